//! `cargo xtask bench-migra`: end to end against migra (PyPI), on the same pair of
//! live PostgreSQL databases: a generated schema and the same with a share of its
//! tables changed. Both tools run as the user runs them, a fresh process each time
//! (`sextant diff --from URL --to URL`, which inspects both databases, diffs and plans;
//! `migra --unsafe URL URL`), alternating, so that both see the same machine.

use crate::error::{Context as _, Error, Result};
use crate::gen_schema::{GenOptions, generate};
use crate::measure::median;
use schema_model::Dialect;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Arguments of `bench-migra`.
#[derive(Debug, clap::Args)]
pub struct BenchMigraArgs {
    /// The PostgreSQL server, as a URL of a database to connect to for administration.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    url: String,
    /// Tables in each database.
    #[arg(long, default_value_t = 1000)]
    tables: usize,
    /// The share of tables the second database changes.
    #[arg(long, default_value_t = 10)]
    mutate: u32,
    /// Timed runs of each tool, after one warm-up each.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// The migra program (`pip install migra psycopg2-binary`).
    #[arg(long, default_value = "migra")]
    migra: PathBuf,
    /// The sextant binary; by default the one built beside this xtask.
    #[arg(long)]
    sextant: Option<PathBuf>,
}

const DATABASES: [&str; 2] = ["sextant_bench_migra_from", "sextant_bench_migra_to"];

/// Runs `bench-migra`.
#[allow(clippy::print_stdout)] // a benchmark driver reports on stdout
pub fn run(args: &BenchMigraArgs) -> Result<ExitCode> {
    let sextant = match &args.sextant {
        Some(path) => path.clone(),
        None => std::env::current_exe()
            .context("finding this program")?
            .with_file_name("sextant"),
    };
    let base = args
        .url
        .rsplit_once('/')
        .map(|(server, _)| server.to_owned())
        .ok_or_else(|| Error::new(format!("not a database URL: {}", args.url)))?;
    for (database, mutate) in DATABASES.into_iter().zip([None, Some(args.mutate)]) {
        let sql = generate(&GenOptions {
            tables: args.tables,
            seed: 1,
            dialect: Dialect::Postgres,
            mutate_percent: mutate,
        })
        .sql;
        psql(&args.url, &format!("DROP DATABASE IF EXISTS {database}"))?;
        psql(&args.url, &format!("CREATE DATABASE {database}"))?;
        psql(&format!("{base}/{database}"), &sql)?;
    }
    let [from, to] = DATABASES.map(|d| format!("{base}/{d}"));
    let migra_url = |url: &str| url.replacen("postgres://", "postgresql+psycopg2://", 1);
    let mut sextant_command = Command::new(&sextant);
    sextant_command.args(["diff", "--from", &from, "--to", &to]);
    let mut migra_command = Command::new(&args.migra);
    migra_command.args(["--unsafe", &migra_url(&from), &migra_url(&to)]);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for run in 0..=args.runs {
        let a = time(&mut sextant_command, &[0])?;
        // migra exits 2 when the databases differ.
        let b = time(&mut migra_command, &[0, 2])?;
        if run > 0 {
            ours.push(a);
            theirs.push(b);
        }
    }
    for database in DATABASES {
        psql(&args.url, &format!("DROP DATABASE IF EXISTS {database}"))?;
    }
    let (ours, theirs) = (median(&ours), median(&theirs));
    println!(
        "{} tables each, {}% changed, median of {} runs",
        args.tables, args.mutate, args.runs
    );
    println!("sextant diff: {:>8.1} ms", ours.as_secs_f64() * 1000.0);
    println!("migra:        {:>8.1} ms", theirs.as_secs_f64() * 1000.0);
    println!(
        "sextant takes {:.2}x migra's time",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs psql on the URL with the SQL on its standard input, stopping at the first error.
fn psql(url: &str, sql: &str) -> Result<()> {
    use std::io::Write as _;
    let mut child = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("starting psql")?;
    child
        .stdin
        .take()
        .ok_or_else(|| Error::new("psql has no standard input"))?
        .write_all(sql.as_bytes())
        .context("writing to psql")?;
    let status = child.wait().context("waiting for psql")?;
    if !status.success() {
        return Err(Error::new(format!("psql failed on {url}: {status}")));
    }
    Ok(())
}

/// The wall time of one run of the command, which must exit with one of `ok`.
fn time(command: &mut Command, ok: &[i32]) -> Result<Duration> {
    let start = Instant::now();
    let output = command
        .stdout(Stdio::null())
        .output()
        .with_context(|| format!("running {:?}", command.get_program()))?;
    let elapsed = start.elapsed();
    if !output.status.code().is_some_and(|code| ok.contains(&code)) {
        return Err(Error::new(format!(
            "{:?} failed ({}): {}",
            command.get_program(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(elapsed)
}
