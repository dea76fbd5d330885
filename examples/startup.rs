//! A service that migrates its database at startup, from migrations embedded in its
//! binary: every replica can run this at once; one applies the pending files under the
//! runner's lock, the others wait and then find nothing to do.
//!
//! ```sh
//! cargo run --example startup                      # SQLite file in the temp directory
//! cargo run --example startup                      # again: nothing pending, one query
//! cargo run --example startup -- postgres://postgres@127.0.0.1:5432/app
//! ```
//!
//! The migrations are `examples/schemas/migrations` (SQLite), `migrations-postgres` and
//! `migrations-mysql`, carried in the binary by `embed_migrations!` (their `atlas.sum`
//! is checked when the binary starts). On a server, give it an empty scratch database.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use sextant::migrate::{EmbeddedDir, MigrateReport, Migrator};
use std::process::ExitCode;

/// The directories, read at compile time; edits to their files rebuild the binary.
static SQLITE: EmbeddedDir = sextant::embed_migrations!("examples/schemas/migrations");
static POSTGRES: EmbeddedDir = sextant::embed_migrations!("examples/schemas/migrations-postgres");
static MYSQL: EmbeddedDir = sextant::embed_migrations!("examples/schemas/migrations-mysql");

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("startup failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let report = match std::env::args().nth(1) {
        // A server: the runner opens its own connections (one holds the lock).
        Some(url) => {
            let embedded = if url.starts_with("postgres") {
                &POSTGRES
            } else {
                &MYSQL
            };
            let migrator = Migrator::new(embedded.migrations()?.migrations)?;
            let report = migrator.apply_url(&url).await?;
            print_report(&report);
            report
        }
        // The embedded default: the pool the service would use anyway.
        None => {
            let file = std::env::temp_dir().join("sextant-startup-example.db");
            let url = format!("sqlite://{}?mode=rwc", file.display());
            println!("database: {}", file.display());
            let pool = sqlx::SqlitePool::connect(&url).await?;
            let migrator = Migrator::new(SQLITE.migrations()?.migrations)?;
            let report = sextant::migrate::sqlite::apply(&pool, &migrator).await?;
            print_report(&report);
            // The service's own work, on the migrated schema.
            let customers: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
                .fetch_one(&pool)
                .await?;
            println!("serving: {customers} customers");
            pool.close().await;
            report
        }
    };
    tracing::debug!(round_trips = report.round_trips, "started");
    Ok(())
}

fn print_report(report: &MigrateReport) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if report.applied.is_empty() {
        println!(
            "migrations: nothing pending ({} round trip{} to the database)",
            report.round_trips,
            if report.round_trips == 1 { "" } else { "s" }
        );
    }
    for applied in &report.applied {
        println!(
            "migrations: applied {} ({}), {} statements in {} ms",
            applied.version,
            applied.file,
            applied.statements,
            applied.duration.as_millis()
        );
    }
}
