//! `sextant`: the command-line face of Sextant.
//!
//! The library crates do the work; this binary parses arguments, calls them and prints.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a CLI's job is to print

mod commands;
mod diagram;
mod planning;
mod report;
mod source;

/// Plans of large realms allocate many small strings; mimalloc serves them faster than
/// the system allocator (see `cargo xtask bench-plan`). Library users choose their own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Database schema as code: inspect, diff, plan, lint and migrate schemas.
#[derive(Debug, Parser)]
#[command(name = "sextant", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the canonical schema of SQL files or a live database, as SQL, JSON or an
    /// ER diagram (Mermaid, Graphviz).
    Inspect(commands::inspect::Args),
    /// Compare two schemas (SQL files, directories or live databases) and print the
    /// plan from one to the other, as SQL or JSON, or the typed changes.
    Diff(commands::diff::Args),
    /// Plan a live database to a desired schema and apply it, resumably.
    Apply(commands::apply::Args),
    /// Compare a live database with the schema it should have; exit 2 when they differ.
    Drift(commands::drift::Args),
    /// Lint migration files: destructive, data-dependent, backward-incompatible and
    /// locking changes.
    Lint(commands::lint::Args),
    /// Versioned migration directories: write the next file from a desired schema,
    /// create, hash and validate.
    Migrate(commands::migrate::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SEXTANT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => commands::inspect::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Apply(args) => commands::apply::run(&args),
        Command::Lint(args) => commands::lint::run(&args),
        Command::Drift(args) => commands::drift::run(&args),
        Command::Migrate(args) => commands::migrate::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprint!("{error}");
            ExitCode::FAILURE
        }
    }
}
