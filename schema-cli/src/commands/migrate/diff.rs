//! `sextant migrate diff`: the next migration file, from the difference between the
//! directory's replayed schema and the desired one.

use super::DirArgs;
use crate::planning::{self, Scope};
use crate::source::{self, SourceOptions};
use schema_inspect::Source;
use schema_model::{Dialect, Realm};
use sextant::migrate::Layout;
use sextant::migrate::dir::{self, NewMigration};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `sextant migrate diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new migration's name, the part of the file name after the version.
    pub name: String,
    /// The migration directory and its layout.
    #[command(flatten)]
    pub dir: DirArgs,
    /// The desired schema: a `.sql` file, a directory of them, or a database URL.
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// The SQL dialect of the files; a URL names its own.
    #[arg(long, short)]
    pub dialect: Option<Dialect>,
    /// A dev server (`postgres://`, `mysql://`, `sqlite::memory:`): the directory and
    /// the desired files are replayed on scratch databases there, so the database
    /// itself reads the SQL, instead of the offline loader.
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Write statements that can lose data (dropped tables and columns, narrowed
    /// types). Without it, a plan holding any is refused and nothing is written.
    #[arg(long)]
    pub allow_destructive: bool,
    /// The new file's version instead of the current UTC time (`yyyymmddhhmmss`).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// A rename to assume, `KIND:FROM=TO` (see `sextant diff --help`). Repeatable.
    #[arg(long, value_name = "KIND:FROM=TO")]
    pub rename: Vec<String>,
    /// Leave out objects matching `schema.name` (`*` matches any run of characters).
    /// Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Compare only these schemas. Repeatable.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    super::check_name(&args.name)?;
    let scope = Scope::parse(&args.rename, &args.exclude, &args.schemas)?;
    let mut urls: Vec<&str> = vec![&args.to];
    if let Some(url) = &args.dev_url {
        if !source::is_url(url) {
            return Err(format!(
                "error: --dev-url {url}: expected a postgres://, mysql://, mariadb:// or sqlite: URL\n"
            ));
        }
        urls.push(url);
    }
    let dialect = source::resolve_dialect(&urls, args.dialect)?;
    let read = args.dir.read(true)?;
    let current = super::replay_dir(&read, dialect, args.dev_url.as_deref())?;
    let desired = load_desired(args, dialect)?;

    let diff = scope.diff(&current, &desired)?;
    eprint!("{}", planning::suggestion_hints(&diff.suggestions));
    let plan = scope.plan(&current, &desired)?;
    if plan.is_empty() {
        eprintln!("no changes: the directory already reaches the desired schema");
        return Ok(ExitCode::SUCCESS);
    }
    let destructive: Vec<_> = plan
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.destructive)
        .collect();
    if !destructive.is_empty() && !args.allow_destructive {
        let count = destructive.len();
        let mut out = format!(
            "error: refusing to write the migration: {count} statement{} can lose data\n",
            if count == 1 { "" } else { "s" }
        );
        for (index, statement) in destructive {
            let _ = writeln!(out, "  statement {}: {}", index + 1, statement.sql);
            if let Some(hazard) = &statement.hazard {
                let _ = writeln!(out, "    hazard: {hazard}");
            }
        }
        out.push_str("hint: nothing was written; pass --allow-destructive to write them\n");
        return Err(out);
    }
    // Layouts with a reverse section get the plan back to the directory's schema.
    let down = if read.layout == Layout::Atlas {
        None
    } else {
        Some(scope.plan(&desired, &current)?.to_sql())
    };
    // MySQL commits DDL as it goes whatever the file says; elsewhere a statement that
    // cannot run in a transaction takes the whole file out of one.
    let no_transaction =
        dialect != Dialect::Mysql && plan.statements.iter().any(|s| !s.transactional);
    let version = args.version.clone().unwrap_or_else(dir::timestamp_version);
    let up = plan.to_sql();
    let written = dir::write_migration(
        &read,
        &NewMigration {
            version: &version,
            name: &args.name,
            up: &up,
            down: down.as_deref(),
            no_transaction,
            dialect: Some(dialect),
        },
    )
    .map_err(|e| super::dir_error(&e))?;
    for name in written {
        println!("wrote {}", read.path.join(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The desired schema: a URL inspected, or files read offline (on the dev server when
/// one is given, as the directory was).
fn load_desired(args: &Args, dialect: Dialect) -> Result<Realm, String> {
    let options = SourceOptions {
        dialect: Some(dialect),
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        lenient: false,
        verbose: false,
    };
    match &args.dev_url {
        Some(url) if !source::is_url(&args.to) => {
            let sources = read_sources(Path::new(&args.to))?;
            source::runtime()?
                .block_on(schema_inspect::live::load_dev(
                    url,
                    &sources,
                    &Default::default(),
                ))
                .map_err(|e| format!("error: {e}\n"))
        }
        _ => source::load(&args.to, &options),
    }
}

/// A `.sql` file, or the `.sql` files under a directory in lexical order of their paths.
fn read_sources(path: &Path) -> Result<Vec<Source>, String> {
    let mut files = Vec::new();
    collect(path, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|file| {
            std::fs::read_to_string(&file)
                .map(|text| Source::new(file.display().to_string(), text))
                .map_err(|e| format!("error: reading {}: {e}\n", file.display()))
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("error: reading {}: {e}\n", path.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("error: reading {}: {e}\n", path.display()))?;
        let child = entry.path();
        if child.is_dir() {
            collect(&child, out)?;
        } else if child.extension().is_some_and(|e| e == "sql") {
            out.push(child);
        }
    }
    Ok(())
}
