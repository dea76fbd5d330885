//! `sextant migrate`: versioned migration directories. Each subcommand has its own
//! file; what they share (the directory options, reading it, replaying it) is here.

pub mod diff;
pub mod down;
pub mod files;
pub mod run;
pub mod validate;

use crate::report;
use crate::source;
use schema_model::{Dialect, Realm};
use sextant::migrate::dir::{self, MigrationDir, ReadOptions};
use sextant::migrate::{Layout, ReplayError, replay};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sextant migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the directory.
    #[command(subcommand)]
    pub command: Command,
}

/// The `migrate` subcommands. Each takes `--dir`; those that need a database take
/// `--url`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the next migration file: the difference between the directory's replayed
    /// schema and a desired one. Updates atlas.sum.
    Diff(diff::Args),
    /// Write a new, empty migration file, and update atlas.sum.
    New(files::NewArgs),
    /// Rewrite atlas.sum from the directory's files as they are.
    Hash(files::HashArgs),
    /// Check the directory: atlas.sum, a replay of every file, and lint. Exits non-zero
    /// on any error.
    Validate(validate::Args),
    /// Apply the pending migrations to a database, under a lock that lets many
    /// replicas start together, and record each in the revision table.
    Apply(run::ApplyArgs),
    /// List applied and pending migrations, and problems (edited, missing or
    /// out-of-order files). Exits 2 with pending migrations, 1 with problems.
    Status(run::StatusArgs),
    /// Accept a deliberate edit of an applied file, recording who accepted it and when.
    Repair(run::RepairArgs),
    /// Record the migrations up to a version as applied without running them.
    Baseline(run::BaselineArgs),
    /// Compare the database with the schema its applied migrations build. Exits 2 on
    /// drift.
    Drift(run::DriftArgs),
    /// Revert the last N applied migrations (default 1): the database's live schema is
    /// planned back to the schema of the migrations before them, and their revisions
    /// are deleted. Refused when a statement can lose data, unless --allow-destructive.
    Down(down::Args),
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    match &args.command {
        Command::Diff(args) => diff::run(args),
        Command::New(args) => files::run_new(args),
        Command::Hash(args) => files::run_hash(args),
        Command::Validate(args) => validate::run(args),
        Command::Apply(args) => run::run_apply(args),
        Command::Status(args) => run::run_status(args),
        Command::Repair(args) => run::run_repair(args),
        Command::Baseline(args) => run::run_baseline(args),
        Command::Drift(args) => run::run_drift(args),
        Command::Down(args) => down::run(args),
    }
}

/// The directory options every `migrate` subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct DirArgs {
    /// The migration directory.
    #[arg(long, default_value = "migrations")]
    pub dir: PathBuf,
    /// Read the directory as this layout instead of detecting it: atlas, sqlx,
    /// golang-migrate, goose, flyway or dbmate.
    #[arg(long)]
    pub layout: Option<Layout>,
}

impl DirArgs {
    /// The reader's options.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            layout: self.layout,
            skip_sum: false,
        }
    }

    /// Reads the directory, its sum checked. `create`: a directory that does not exist
    /// yet is created (the first `migrate diff` or `migrate new`).
    pub fn read(&self, create: bool) -> Result<MigrationDir, String> {
        if create && !self.dir.exists() {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| format!("error: creating {}: {e}\n", self.dir.display()))?;
        }
        dir::read_dir(&self.dir, &self.read_options()).map_err(|e| dir_error(&e))
    }
}

/// A directory error, with what to do next where there is something to do.
pub fn dir_error(error: &sextant::migrate::DirError) -> String {
    use sextant::migrate::{DirError, SumError};
    let mut out = format!("error: {error}\n");
    match error {
        DirError::Sum {
            source: SumError::Missing,
            ..
        } => out.push_str(
            "hint: if the directory belongs to another tool, name it with --layout (sqlx, golang-migrate, goose, flyway, dbmate)\n",
        ),
        DirError::Sum {
            source: SumError::Mismatch { .. },
            ..
        } => out.push_str(
            "hint: migration files are not edited once applied; add a new migration instead\n",
        ),
        _ => {}
    }
    out
}

/// Replays the whole directory: on a scratch database of `dev_url` when given, else
/// in memory.
pub fn replay_dir(
    read: &MigrationDir,
    dialect: Dialect,
    dev_url: Option<&str>,
) -> Result<Realm, String> {
    match dev_url {
        Some(url) => source::runtime()?
            .block_on(replay::replay_dev(read, None, url, &Default::default()))
            .map_err(|e| replay_error(&e)),
        None => replay::replay(read, None, &schema_inspect::LoadOptions::new(dialect))
            .map(|loaded| loaded.realm)
            .map_err(|e| replay_error(&e)),
    }
}

/// A replay error, with the statement under a caret where the loader or the dev
/// database placed one.
pub fn replay_error(error: &ReplayError) -> String {
    use schema_inspect::live::InspectError;
    match error {
        ReplayError::Load(load) => report::load_error(load),
        ReplayError::Dev(InspectError::Apply { location, message }) => {
            format!("error: {message}\n{}", report::snippet(location))
        }
        other => format!("error: {other}\n"),
    }
}

/// Checks a migration name: it becomes part of a file name.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "error: the migration name `{name}` may hold only letters, digits, `_` and `-`\n"
        ));
    }
    Ok(())
}
