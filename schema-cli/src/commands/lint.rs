//! `sextant lint`: lint migration files (replayed in order, as one history) and print
//! the findings; exit non-zero when one is an error.

use schema_lint::{Config, Settings, output};
use schema_model::Dialect;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sextant lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Migration files, or directories whose `.sql` files are linted in lexical order,
    /// all replayed in the order given.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The SQL dialect of the files.
    #[arg(long, short)]
    pub dialect: Dialect,
    /// The configuration file (`[lint]` table); `sextant.toml` in the current directory
    /// when it exists.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The migration tool runs each file in a transaction.
    #[arg(long)]
    pub assume_in_transaction: bool,
    /// The PostgreSQL major version the migrations run on.
    #[arg(long)]
    pub postgres_version: Option<u32>,
    /// The database the migrations will run on: its catalog's row estimates grade the
    /// findings (a lock on a small table is a note; a large table's size is said).
    #[arg(long)]
    pub url: Option<String>,
}

/// Output formats of `sextant lint`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// rustc-like text with the statement and the suggestion.
    Human,
    /// A JSON array of findings.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// The settings for a dialect with a configuration file: the one given, else
/// `sextant.toml` in the current directory when it exists.
pub fn settings(dialect: Dialect, config: Option<&std::path::Path>) -> Result<Settings, String> {
    let default = PathBuf::from("sextant.toml");
    let path = config.or_else(|| default.exists().then_some(default.as_path()));
    let config = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("error: reading {}: {e}\n", path.display()))?;
            Config::from_toml(&text, &path.display().to_string())
                .map_err(|e| format!("error: {e}\n"))?
        }
        None => Config::default(),
    };
    Ok(Settings::new(dialect).with_config(config))
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let mut settings = settings(args.dialect, args.config.as_deref())?;
    settings.assume_in_transaction |= args.assume_in_transaction;
    if let Some(version) = args.postgres_version {
        settings.postgres_version = version;
    }
    if let Some(url) = &args.url {
        settings.table_rows = table_rows(url, args.dialect)?.into_iter().collect();
    }
    let diagnostics =
        schema_lint::lint_files(&args.paths, &settings).map_err(|e| format!("error: {e}\n"))?;
    let text = match args.format {
        Format::Human => output::human(&diagnostics),
        Format::Json => output::json(&diagnostics),
        Format::Github => output::github(&diagnostics),
    };
    crate::source::write_stdout(&text)?;
    Ok(if schema_lint::has_errors(&diagnostics) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The row estimates of the database a URL names, which must be of the lint's dialect.
pub(crate) fn table_rows(
    url: &str,
    dialect: Dialect,
) -> Result<std::collections::BTreeMap<schema_model::QualifiedName, u64>, String> {
    let url_dialect =
        schema_inspect::live::url_dialect(url).map_err(|e| format!("error: {e}\n"))?;
    if url_dialect != dialect {
        return Err(format!(
            "error: --dialect {} does not match the URL, which is {}\n",
            dialect.as_str(),
            url_dialect.as_str()
        ));
    }
    let rows = crate::source::runtime()?
        .block_on(schema_inspect::live::table_rows(url))
        .map_err(|e| format!("error: reading table sizes: {e}\n"))?;
    tracing::debug!(tables = rows.len(), "row estimates read");
    Ok(rows)
}
