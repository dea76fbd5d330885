//! `sextant inspect`: load a schema and print it in canonical form.

use crate::diagram;
use crate::source::{self, SourceOptions};
use schema_model::Dialect;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sextant inspect`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["path", "url"]))]
pub struct Args {
    /// A `.sql` file, or a directory whose `.sql` files are replayed in lexical order.
    pub path: Option<PathBuf>,
    /// A live database to inspect instead: `postgres://user@host:5432/db`,
    /// `mysql://user@host:3306/db`, `sqlite://file.db` (opened read-only).
    #[arg(long)]
    pub url: Option<String>,
    /// The SQL dialect of the files (a URL names its own).
    #[arg(long, short, required_unless_present = "url")]
    pub dialect: Option<Dialect>,
    /// Live databases: the schemas (MySQL: databases) to read; all user schemas when
    /// none is given. Repeatable.
    #[arg(long = "schema", requires = "url")]
    pub schemas: Vec<String>,
    /// Live databases: leave out objects matching `schema.name`, where `*` matches any
    /// run of characters (`audit.*`). Repeatable.
    #[arg(long, requires = "url")]
    pub exclude: Vec<String>,
    /// What to print.
    #[arg(long, short, value_enum, default_value_t = Format::Sql)]
    pub format: Format,
    /// Skip statements that cannot be read, with a warning each, instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    /// Print the statements that were read but not modelled (data, settings, ownership).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Output formats of `sextant inspect`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Dependency-ordered DDL; loading it again gives an equal model.
    Sql,
    /// The canonical model as JSON.
    Json,
    /// A Mermaid entity-relationship diagram: tables, key columns, relations.
    Mermaid,
    /// The same diagram for Graphviz (`dot -Tsvg`).
    Dot,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let options = SourceOptions {
        dialect: args.dialect,
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        lenient: args.lenient,
        verbose: args.verbose,
    };
    let realm = match (&args.url, &args.path) {
        (Some(url), _) => source::inspect_url(url, &options)?,
        (None, Some(path)) => source::load_files(path, &options)?,
        (None, None) => return Err("error: give a path or --url\n".to_owned()),
    };
    let text = match args.format {
        Format::Sql => schema_plan::render_script(&realm),
        Format::Json => format!("{}\n", realm.to_json()),
        Format::Mermaid => diagram::mermaid(&realm),
        Format::Dot => diagram::dot(&realm),
    };
    source::write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
