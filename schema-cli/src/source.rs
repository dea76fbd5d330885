//! Where schemas come from: SQL files, directories of them, or live databases. Shared
//! by the subcommands that read schemas (`inspect`, `diff`, `apply`).

use crate::report;
use schema_inspect::live::{self, InspectOptions};
use schema_inspect::{LoadOptions, load_path};
use schema_model::{Dialect, Realm};
use std::path::Path;

/// How to read a source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The dialect files are read in; a URL names its own, which must agree.
    pub dialect: Option<Dialect>,
    /// Live databases: the schemas to read (all user schemas when empty).
    pub schemas: Vec<String>,
    /// Live databases: objects to leave out, as `schema.name` patterns.
    pub exclude: Vec<String>,
    /// Files: skip statements that cannot be read, with a warning each.
    pub lenient: bool,
    /// Files: print every loader warning, not only skipped statements.
    pub verbose: bool,
}

/// Whether the source names a database rather than a file: it has a scheme
/// (`postgres://`, `mysql://`, `mariadb://`, `sqlite:`).
pub fn is_url(source: &str) -> bool {
    [
        "postgres://",
        "postgresql://",
        "mysql://",
        "mariadb://",
        "sqlite:",
    ]
    .iter()
    .any(|scheme| source.starts_with(scheme))
}

/// The dialect a URL source names, or `None` for a file.
pub fn url_dialect(source: &str) -> Result<Option<Dialect>, String> {
    if is_url(source) {
        live::url_dialect(source)
            .map(Some)
            .map_err(|e| format!("error: {e}\n"))
    } else {
        Ok(None)
    }
}

/// The one dialect all sources and `--dialect` agree on; files alone need `--dialect`.
pub fn resolve_dialect(sources: &[&str], given: Option<Dialect>) -> Result<Dialect, String> {
    let mut dialect = given;
    for source in sources {
        let Some(named) = url_dialect(source)? else {
            continue;
        };
        match dialect {
            Some(d) if d != named => {
                return Err(format!(
                    "error: {} is a {} database, but the other side is {}\n",
                    live::redact_url(source),
                    named.as_str(),
                    d.as_str()
                ));
            }
            _ => dialect = Some(named),
        }
    }
    dialect.ok_or_else(|| "error: --dialect is needed to read files\n".to_owned())
}

/// Loads a source: inspects a URL, reads a file or directory.
pub fn load(source: &str, options: &SourceOptions) -> Result<Realm, String> {
    if is_url(source) {
        inspect_url(source, options)
    } else {
        load_files(Path::new(source), options)
    }
}

/// Reads a `.sql` file, or a directory whose `.sql` files are replayed in lexical order.
pub fn load_files(path: &Path, options: &SourceOptions) -> Result<Realm, String> {
    let dialect = options
        .dialect
        .ok_or_else(|| "error: --dialect is needed to read files\n".to_owned())?;
    let mut load_options = LoadOptions::new(dialect);
    load_options.lenient = options.lenient;
    let loaded = load_path(path, &load_options).map_err(|e| report::load_error(&e))?;
    for warning in &loaded.warnings {
        if options.verbose || warning.message.starts_with("skipped") {
            eprintln!("warning: {warning}");
        }
    }
    Ok(loaded.realm)
}

/// Inspects the database a URL names.
pub fn inspect_url(url: &str, options: &SourceOptions) -> Result<Realm, String> {
    let url_dialect = live::url_dialect(url).map_err(|e| format!("error: {e}\n"))?;
    if let Some(dialect) = options.dialect
        && dialect != url_dialect
    {
        return Err(format!(
            "error: --dialect {} does not match the URL, which is {}\n",
            dialect.as_str(),
            url_dialect.as_str()
        ));
    }
    let inspect_options = InspectOptions {
        schemas: options.schemas.clone(),
        exclude: options.exclude.clone(),
    };
    runtime()?
        .block_on(live::inspect_url(url, &inspect_options))
        .map_err(|e| format!("error: {e}\n"))
}

/// A runtime for the async database calls.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: starting the async runtime: {e}\n"))
}

/// Writes the output; a reader that stopped reading (`sextant ... | head`) is not an
/// error.
pub fn write_stdout(text: &str) -> Result<(), String> {
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
