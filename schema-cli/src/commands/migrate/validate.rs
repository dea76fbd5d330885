//! `sextant migrate validate`: the directory's atlas.sum, a replay of every file, and
//! lint, in that order; the first failure stops it.

use super::DirArgs;
use crate::source;
use schema_lint::output;
use schema_model::Dialect;
use sextant::migrate::replay;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sextant migrate validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The migration directory and its layout.
    #[command(flatten)]
    pub dir: DirArgs,
    /// The SQL dialect of the files (a `--dev-url` names its own).
    #[arg(long, short)]
    pub dialect: Option<Dialect>,
    /// A dev server to replay the directory on, instead of the offline loader.
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// The lint configuration file (`[lint]` table); `sextant.toml` in the current
    /// directory when it exists.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The migration tool runs each file in a transaction (files that say otherwise
    /// with their layout's directive excepted).
    #[arg(long)]
    pub assume_in_transaction: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let urls: Vec<&str> = args.dev_url.iter().map(String::as_str).collect();
    let dialect = source::resolve_dialect(&urls, args.dialect)?;
    let read = args.dir.read(false)?;
    let count = read.migrations.len();
    eprintln!(
        "{}: {count} migration{} ({} layout), {}",
        read.path.display(),
        if count == 1 { "" } else { "s" },
        read.layout,
        if read.has_sum {
            "atlas.sum matches"
        } else {
            "no atlas.sum"
        }
    );
    super::replay_dir(&read, dialect, args.dev_url.as_deref())?;
    eprintln!("replay: ok");

    let mut settings = crate::commands::lint::settings(dialect, args.config.as_deref())?;
    settings.assume_in_transaction |= args.assume_in_transaction;
    let sources = replay::sources(&read, &read.migrations);
    let diagnostics =
        schema_lint::lint_sources(&sources, &settings).map_err(|e| format!("error: {e}\n"))?;
    source::write_stdout(&output::human(&diagnostics))?;
    Ok(if schema_lint::has_errors(&diagnostics) {
        eprintln!("lint: failed");
        ExitCode::FAILURE
    } else {
        eprintln!("lint: ok");
        ExitCode::SUCCESS
    })
}
