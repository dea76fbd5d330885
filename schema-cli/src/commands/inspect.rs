//! `sextant inspect`: load a schema and print it in canonical form.

use crate::{diagram, report};
use schema_inspect::live::{self, InspectOptions};
use schema_inspect::{LoadOptions, load_path};
use schema_model::{Dialect, Realm};
use std::path::PathBuf;

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
pub fn run(args: &Args) -> Result<(), String> {
    let realm = match (&args.url, &args.path) {
        (Some(url), _) => inspect_url(url, args)?,
        (None, Some(path)) => load_files(path, args)?,
        (None, None) => return Err("error: give a path or --url\n".to_owned()),
    };
    let text = match args.format {
        Format::Sql => schema_plan::render_script(&realm),
        Format::Json => format!("{}\n", realm.to_json()),
        Format::Mermaid => diagram::mermaid(&realm),
        Format::Dot => diagram::dot(&realm),
    };
    write_stdout(&text)
}

/// Writes the output; a reader that stopped reading (`sextant inspect ... | head`) is
/// not an error.
fn write_stdout(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("error: writing the output: {error}\n"))
        }
        _ => Ok(()),
    }
}

fn load_files(path: &std::path::Path, args: &Args) -> Result<Realm, String> {
    let dialect = args
        .dialect
        .ok_or_else(|| "error: --dialect is needed to read files\n".to_owned())?;
    let mut options = LoadOptions::new(dialect);
    options.lenient = args.lenient;
    let loaded = load_path(path, &options).map_err(|e| report::load_error(&e))?;
    for warning in &loaded.warnings {
        if args.verbose || warning.message.starts_with("skipped") {
            eprintln!("warning: {warning}");
        }
    }
    Ok(loaded.realm)
}

fn inspect_url(url: &str, args: &Args) -> Result<Realm, String> {
    let url_dialect = live::url_dialect(url).map_err(|e| format!("error: {e}\n"))?;
    if let Some(dialect) = args.dialect
        && dialect != url_dialect
    {
        return Err(format!(
            "error: --dialect {} does not match the URL, which is {}\n",
            dialect.as_str(),
            url_dialect.as_str()
        ));
    }
    let options = InspectOptions {
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: starting the async runtime: {e}\n"))?;
    runtime
        .block_on(live::inspect_url(url, &options))
        .map_err(|e| format!("error: {e}\n"))
}
