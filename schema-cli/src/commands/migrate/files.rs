//! `sextant migrate new` and `sextant migrate hash`: the directory's files and its
//! atlas.sum, without any schema.

use super::DirArgs;
use sextant::migrate::dir::{self, NewMigration};
use std::process::ExitCode;

/// Arguments of `sextant migrate new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new migration's name, the part of the file name after the version.
    pub name: String,
    /// The migration directory and its layout.
    #[command(flatten)]
    pub dir: DirArgs,
    /// The new file's version instead of the current UTC time (`yyyymmddhhmmss`).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
}

/// Arguments of `sextant migrate hash`.
#[derive(Debug, clap::Args)]
pub struct HashArgs {
    /// The migration directory and its layout.
    #[command(flatten)]
    pub dir: DirArgs,
}

/// Runs `migrate new`.
pub fn run_new(args: &NewArgs) -> Result<ExitCode, String> {
    super::check_name(&args.name)?;
    let read = args.dir.read(true)?;
    let version = args.version.clone().unwrap_or_else(dir::timestamp_version);
    let written = dir::write_migration(
        &read,
        &NewMigration {
            version: &version,
            name: &args.name,
            up: "",
            down: Some(""),
            no_transaction: false,
            dialect: None,
        },
    )
    .map_err(|e| super::dir_error(&e))?;
    for name in written {
        println!("wrote {}", read.path.join(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `migrate hash`.
pub fn run_hash(args: &HashArgs) -> Result<ExitCode, String> {
    let sum = dir::write_sum(&args.dir.dir, &args.dir.read_options())
        .map_err(|e| super::dir_error(&e))?;
    let count = sum.files.len();
    println!(
        "wrote {} ({count} file{})",
        args.dir.dir.join(sextant::migrate::sum::SUM_FILE).display(),
        if count == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}
