//! `cargo xtask bench-migrate`: what the migration runner costs a service at startup.
//!
//! For SQLite (a file in a temporary directory) and, given a URL, PostgreSQL (a fresh
//! database, dropped at the end):
//!
//! - **pending**: applying `--count` small migrations (a table and a row each) to an
//!   empty database, once per transaction mode asked for;
//! - **no pending**: starting again with everything applied, `--runs` times: the round
//!   trips the runner counted and the median time, through a URL (connecting included:
//!   sqlx's TLS attempt under the default `sslmode=prefer` costs about 90 ms here, so
//!   compare with `?sslmode=disable` too) and through a pool the service already holds.
//!
//! With `--sqlx PATH` (sqlx-cli's `sqlx` binary), the same migrations are written in
//! sqlx's layout and `sqlx migrate run` is timed beside, pending and not pending.

use crate::error::{Context as _, Error, Result};
use crate::measure::median;
use sextant::migrate::{MigrateReport, Migration, Migrator, MigratorOptions, TxMode};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr as _;
use std::time::{Duration, Instant};

/// Arguments of `bench-migrate`.
#[derive(Debug, clap::Args)]
pub struct BenchMigrateArgs {
    /// How many pending migrations to apply.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Timed startups with nothing pending.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// A PostgreSQL server to bench on (a database is created and dropped) [default:
    /// SEXTANT_TEST_POSTGRES_URL, else SQLite only].
    #[arg(long)]
    postgres_url: Option<String>,
    /// Transaction modes to apply the pending migrations in.
    #[arg(long, value_delimiter = ',', default_value = "file,all")]
    modes: Vec<String>,
    /// sqlx-cli's binary, to time `sqlx migrate run` on the same migrations.
    #[arg(long)]
    sqlx: Option<PathBuf>,
}

/// Runs the benchmark.
pub fn run(args: &BenchMigrateArgs) -> Result<ExitCode> {
    let modes = args
        .modes
        .iter()
        .map(|m| match m.as_str() {
            "file" => Ok(TxMode::File),
            "all" => Ok(TxMode::All),
            "none" => Ok(TxMode::None),
            other => Err(Error::new(format!("unknown transaction mode {other}"))),
        })
        .collect::<Result<Vec<_>>>()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting tokio")?;
    let migrations = small_migrations(args.count);
    println!(
        "{} migrations, each a CREATE TABLE and an INSERT; {} no-pending startups per figure",
        args.count, args.runs
    );
    runtime.block_on(bench_sqlite(args, &migrations, &modes))?;
    let postgres = args
        .postgres_url
        .clone()
        .or_else(|| std::env::var("SEXTANT_TEST_POSTGRES_URL").ok())
        .filter(|u| !u.is_empty());
    match postgres {
        Some(url) => runtime.block_on(bench_postgres(args, &url, &migrations, &modes))?,
        None => println!("\nPostgreSQL: skipped (no --postgres-url, no SEXTANT_TEST_POSTGRES_URL)"),
    }
    Ok(ExitCode::SUCCESS)
}

fn small_migrations(count: usize) -> Vec<Migration> {
    (1..=count)
        .map(|i| {
            Migration::new(
                format!("{i:06}"),
                format!("table_{i}"),
                format!("{i:06}_table_{i}.sql"),
                format!(
                    "CREATE TABLE bench_{i} (id integer PRIMARY KEY, name text NOT NULL);\n\
                     INSERT INTO bench_{i} (id, name) VALUES (1, 'row');\n"
                ),
            )
        })
        .collect()
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn print_pending(mode: TxMode, report: &MigrateReport, took: Duration) {
    println!(
        "  pending, mode {mode:?}: {} applied in {} ({} round trips, {:.3} ms per migration)",
        report.applied.len(),
        millis(took),
        report.round_trips,
        took.as_secs_f64() * 1000.0 / report.applied.len().max(1) as f64
    );
}

/// Times `runs` no-pending startups; the round trips of the last.
async fn no_pending<F, Fut>(runs: u32, mut start: F) -> Result<(Duration, usize)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<MigrateReport>>,
{
    let mut times = Vec::new();
    let mut round_trips = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let report = start().await?;
        times.push(started.elapsed());
        if !report.applied.is_empty() {
            return Err(Error::new("a no-pending startup applied something"));
        }
        round_trips = report.round_trips;
    }
    Ok((median(&times), round_trips))
}

async fn bench_sqlite(
    args: &BenchMigrateArgs,
    migrations: &[Migration],
    modes: &[TxMode],
) -> Result<()> {
    println!("\nSQLite (a file in a temporary directory)");
    let dir = std::env::temp_dir().join(format!("sextant_bench_migrate_{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("creating a temporary directory")?;
    let mut last_url = String::new();
    for (index, mode) in modes.iter().enumerate() {
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.join(format!("bench{index}.db")).display()
        );
        let migrator = Migrator::new(migrations.to_vec())
            .context("migrations")?
            .with_options(MigratorOptions::new().tx_mode(*mode));
        let started = Instant::now();
        let report = migrator.apply_url(&url).await.context("applying")?;
        print_pending(*mode, &report, started.elapsed());
        last_url = url;
    }
    let migrator = Migrator::new(migrations.to_vec()).context("migrations")?;
    let (time, round_trips) = no_pending(args.runs, || async {
        migrator.apply_url(&last_url).await.context("starting up")
    })
    .await?;
    println!(
        "  no pending, through the URL: {round_trips} round trips, median {}",
        millis(time)
    );
    let pool = sqlx::SqlitePool::connect(&last_url)
        .await
        .context("a pool")?;
    let (time, round_trips) = no_pending(args.runs, || async {
        sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .context("starting up")
    })
    .await?;
    println!(
        "  no pending, through a pool: {round_trips} round trips, median {}",
        millis(time)
    );
    pool.close().await;
    if let Some(sqlx) = &args.sqlx {
        let url = format!("sqlite://{}?mode=rwc", dir.join("sqlx.db").display());
        bench_sqlx(sqlx, &url, &dir, migrations, args.runs)?;
    }
    std::fs::remove_dir_all(&dir).context("removing the temporary directory")?;
    Ok(())
}

async fn bench_postgres(
    args: &BenchMigrateArgs,
    server: &str,
    migrations: &[Migration],
    modes: &[TxMode],
) -> Result<()> {
    println!(
        "\nPostgreSQL ({})",
        sextant::inspect::live::redact_url(server)
    );
    let mut databases = Vec::new();
    let mut last_url = String::new();
    for mode in modes {
        let (name, url) = create_database(server, &format!("{mode:?}").to_lowercase()).await?;
        databases.push(name);
        let migrator = Migrator::new(migrations.to_vec())
            .context("migrations")?
            .with_options(MigratorOptions::new().tx_mode(*mode));
        let started = Instant::now();
        let report = migrator.apply_url(&url).await.context("applying")?;
        print_pending(*mode, &report, started.elapsed());
        last_url = url;
    }
    if !last_url.is_empty() {
        let migrator = Migrator::new(migrations.to_vec()).context("migrations")?;
        let (time, round_trips) = no_pending(args.runs, || async {
            migrator.apply_url(&last_url).await.context("starting up")
        })
        .await?;
        println!(
            "  no pending, through the URL: {round_trips} round trips, median {}",
            millis(time)
        );
        let pool = sqlx::PgPool::connect(&last_url).await.context("a pool")?;
        let (time, round_trips) = no_pending(args.runs, || async {
            sextant::migrate::postgres::apply(&pool, &migrator)
                .await
                .context("starting up")
        })
        .await?;
        println!(
            "  no pending, through a pool: {round_trips} round trips, median {}",
            millis(time)
        );
        pool.close().await;
    }
    if let Some(sqlx) = &args.sqlx {
        let (name, url) = create_database(server, "sqlx").await?;
        databases.push(name);
        let dir = std::env::temp_dir().join(format!("sextant_bench_sqlx_{}", std::process::id()));
        bench_sqlx(sqlx, &url, &dir, migrations, args.runs)?;
        std::fs::remove_dir_all(&dir).ok();
    }
    for name in databases {
        admin(
            server,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )
        .await?;
    }
    Ok(())
}

async fn create_database(server: &str, suffix: &str) -> Result<(String, String)> {
    let name = format!("sextant_bench_migrate_{}_{suffix}", std::process::id());
    admin(server, &format!("DROP DATABASE IF EXISTS \"{name}\"")).await?;
    admin(server, &format!("CREATE DATABASE \"{name}\"")).await?;
    let options = sqlx::postgres::PgConnectOptions::from_str(server).context("the URL")?;
    // The server URL's parameters (`?sslmode=disable`) stay: they change what
    // connecting costs.
    let query = server
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    let url = format!(
        "postgres://{}@{}:{}/{name}{query}",
        options.get_username(),
        options.get_host(),
        options.get_port()
    );
    Ok((name, url))
}

async fn admin(server: &str, sql: &str) -> Result<()> {
    let mut conn = sqlx::postgres::PgConnectOptions::from_str(server)
        .context("the URL")?
        .connect()
        .await
        .context("connecting")?;
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .with_context(|| sql.to_owned())?;
    conn.close().await.context("closing")?;
    Ok(())
}

/// Times `sqlx migrate run` on the same migrations, written in sqlx's layout.
fn bench_sqlx(
    sqlx: &Path,
    url: &str,
    dir: &Path,
    migrations: &[Migration],
    runs: u32,
) -> Result<()> {
    let source = dir.join("sqlx-migrations");
    std::fs::create_dir_all(&source).context("creating the sqlx directory")?;
    for m in migrations {
        std::fs::write(
            source.join(format!("{}_{}.sql", m.version, m.description)),
            &m.up,
        )
        .context("writing a migration")?;
    }
    let run = || -> Result<Duration> {
        let started = Instant::now();
        let status = Command::new(sqlx)
            .args(["migrate", "run", "--source"])
            .arg(&source)
            .args(["--database-url", url])
            .status()
            .context("running sqlx")?;
        if !status.success() {
            return Err(Error::new(format!("sqlx migrate run: {status}")));
        }
        Ok(started.elapsed())
    };
    let pending = run()?;
    println!("  sqlx migrate run, pending: {}", millis(pending));
    let times = (0..runs).map(|_| run()).collect::<Result<Vec<_>>>()?;
    println!(
        "  sqlx migrate run, no pending: median {} (a process each, connecting included)",
        millis(median(&times))
    );
    Ok(())
}
