//! `cargo xtask`: Sextant's development tasks.
//!
//! - `gen-schema`: print a generated schema, for benchmarks and load tests;
//! - `corpus load`: load every case of the external corpora with the offline loader;
//! - `corpus normalize`: apply every case to a real database and check that live
//!   inspection and the offline loader agree;
//! - `corpus roundtrip`: migrate each case from `current` to `desired` and back with
//!   plans applied to a real database, and check the results;
//! - `bench-load`: time the offline loader on generated schemas and MusicBrainz;
//! - `bench-inspect`: time live inspection against `pg_dump` / `mariadb-dump` on
//!   generated schemas and MusicBrainz;
//! - `bench-migrate`: the migration runner at startup, nothing pending and 1,000
//!   pending, on SQLite and PostgreSQL.
//!
//! Run from anywhere in the workspace: `cargo xtask --help` (the alias builds this crate
//! in release mode, so the timings of `bench-load` mean something).

// A command-line tool: printing to stdout and stderr is its output, not stray debugging.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench_inspect;
mod bench_load;
mod bench_migra;
mod bench_migrate;
mod bench_plan;
mod corpus;
mod error;
mod gen_schema;
mod measure;
mod normalize;
mod renames;
mod roundtrip;

/// The allocator the `sextant` binary uses, so that benchmarks measure what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use error::{Context as _, Result};
use schema_model::Dialect;
use std::io::Write as _;
use std::process::ExitCode;

/// Sextant's development tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Print a generated schema: realistic tables, keys, indexes, checks, comments,
    /// views, enums and sequences, the same for the same seed.
    GenSchema(GenSchemaArgs),
    /// Run the external test corpora (`../shared/corpus`).
    #[command(subcommand)]
    Corpus(corpus::CorpusCommand),
    /// Time the offline loader, and measure its memory, on generated schemas and
    /// MusicBrainz.
    BenchLoad(bench_load::BenchLoadArgs),
    /// Load one file once in this fresh process and print its memory figures (used by
    /// bench-load).
    #[command(hide = true)]
    MeasureLoad(bench_load::MeasureLoadArgs),
    /// Time live inspection against the servers' dump tools (`pg_dump --schema-only`,
    /// `mariadb-dump --no-data`) on generated schemas and MusicBrainz, and measure its
    /// peak memory.
    BenchInspect(bench_inspect::BenchInspectArgs),
    /// Inspect the database `SEXTANT_BENCH_INSPECT_URL` names once in this fresh process
    /// and print its time, peak memory and counts (used by bench-inspect).
    #[command(hide = true)]
    MeasureInspect(bench_inspect::MeasureInspectArgs),
    /// Time diff and plan of two generated schemas, the second with a share of its
    /// tables changed.
    BenchPlan(bench_plan::BenchPlanArgs),
    /// Time `sextant diff` between two live PostgreSQL databases beside migra's on the
    /// same pair.
    BenchMigra(bench_migra::BenchMigraArgs),
    /// Time the migration runner: startup with nothing pending (round trips and time)
    /// and many small pending migrations, on SQLite and PostgreSQL.
    BenchMigrate(bench_migrate::BenchMigrateArgs),
}

/// Arguments of `gen-schema`. They live here, not in `gen_schema.rs`, which the
/// benchmarks include and which therefore must not depend on clap.
#[derive(Debug, clap::Args)]
struct GenSchemaArgs {
    /// How many tables.
    #[arg(long, default_value_t = 100)]
    tables: usize,
    /// The seed: the same seed gives the same schema.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// postgres, mysql or sqlite.
    #[arg(long, default_value = "postgres")]
    dialect: Dialect,
    /// Print the schema with about this percentage of its tables changed (columns
    /// added, dropped or retyped, an index added or dropped, a default changed).
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u32).range(0..=100))]
    mutate: Option<u32>,
}

fn gen_schema(args: &GenSchemaArgs) -> Result<ExitCode> {
    let generated = gen_schema::generate(&gen_schema::GenOptions {
        tables: args.tables,
        seed: args.seed,
        dialect: args.dialect,
        mutate_percent: args.mutate,
    });
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(generated.sql.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing the schema")?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.task {
        Task::GenSchema(args) => gen_schema(args),
        Task::Corpus(command) => corpus::run_command(command),
        Task::BenchLoad(args) => bench_load::run(args),
        Task::MeasureLoad(args) => bench_load::measure_load(args),
        Task::BenchInspect(args) => bench_inspect::run(args),
        Task::BenchMigra(args) => bench_migra::run(args),
        Task::MeasureInspect(args) => bench_inspect::measure_inspect(args),
        Task::BenchPlan(args) => bench_plan::run(args),
        Task::BenchMigrate(args) => bench_migrate::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
