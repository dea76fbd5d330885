//! `cargo xtask bench-load`: how fast, and in how much memory, the offline loader reads
//! large generated schemas and MusicBrainz.
//!
//! Time is measured in this process: a warm-up load, then the median of `--runs` loads.
//! Memory is measured in a fresh process (the hidden `measure-load` task) that reads the
//! SQL from a file in one allocation and loads it once: in this process, memory the
//! generator freed would be reused by the loader without showing in the RSS, and the peak
//! of an earlier, larger load would hide a later one.

use crate::corpus;
use crate::error::{Context as _, Error, Result};
use crate::gen_schema::{GenOptions, generate};
use crate::measure::{
    ChildReport, default_real_world_cases, group, median, proc_status_kib, verdict,
};
use schema_inspect::{LoadOptions, load_sql};
use schema_model::Dialect;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The corpus case whose `desired` text is MusicBrainz's whole schema.
const MUSICBRAINZ_CASE: &str = "musicbrainz/postgres#create";

/// Targets from the loader's design; printed, never enforced.
const TARGET_10K_TABLES: Duration = Duration::from_secs(1);
const TARGET_MUSICBRAINZ: Duration = Duration::from_millis(100);
/// 10× the tables may take at most this many times as long.
const TARGET_GROWTH_PER_10X: f64 = 12.0;
/// Introduces the verdicts.
const TARGETS_HEADER: &str = "targets (on wall time, which other work on the machine inflates):";
/// Peak memory (the input included) over input size.
const TARGET_MEMORY_RATIO: f64 = 20.0;

/// Arguments of `bench-load`.
#[derive(Debug, clap::Args)]
pub struct BenchLoadArgs {
    /// Table counts to generate and load, comma-separated [default: 1000,10000, unless
    /// only --musicbrainz is given].
    #[arg(long, value_delimiter = ',')]
    tables: Vec<usize>,
    /// The dialect of the generated schemas.
    #[arg(long, default_value = "postgres")]
    dialect: Dialect,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed loads per input, after one warm-up load.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Also load MusicBrainz's schema (the `desired` of `musicbrainz/postgres#create`).
    #[arg(long)]
    musicbrainz: bool,
    /// The real-world corpus file holding the MusicBrainz case.
    #[arg(long, default_value_os_t = default_real_world_cases())]
    corpus: PathBuf,
}

/// Arguments of the hidden `measure-load` task.
#[derive(Debug, clap::Args)]
pub struct MeasureLoadArgs {
    /// The SQL file to load.
    #[arg(long)]
    file: PathBuf,
    /// Its dialect.
    #[arg(long)]
    dialect: Dialect,
    /// Load leniently.
    #[arg(long)]
    lenient: bool,
}

/// What one input gave.
struct Measured {
    label: String,
    tables: Option<usize>,
    bytes: usize,
    statements: Option<usize>,
    loader_statements: usize,
    /// Wall time of each load.
    times: Vec<Duration>,
    /// CPU time of the whole process for each load (the loader parses on several
    /// threads); empty where the kernel does not say.
    cpu_times: Vec<Duration>,
    memory: Option<Memory>,
    /// Strict loading failed; the figures are of lenient loading.
    lenient: bool,
}

impl Measured {
    fn median(&self) -> Duration {
        median(&self.times)
    }

    /// Peak memory over input size, the input string included.
    fn memory_ratio(&self) -> Option<f64> {
        self.memory
            .as_ref()
            .map(|m| (m.growth_kib as f64 * 1024.0 + self.bytes as f64) / self.bytes.max(1) as f64)
    }
}

/// Memory figures from a fresh process, in KiB.
struct Memory {
    /// VmHWM after loading minus VmRSS before: what loading added at its peak.
    growth_kib: u64,
}

/// Runs `bench-load`.
pub fn run(args: &BenchLoadArgs) -> Result<ExitCode> {
    let mut sizes = args.tables.clone();
    if sizes.is_empty() && !args.musicbrainz {
        sizes = vec![1000, 10_000];
    }
    println!(
        "bench-load: {} build; time: median of {} loads after a warm-up; memory: one load in a \
         fresh process; exits with failure if strict loading fails anywhere",
        if cfg!(debug_assertions) {
            "DEBUG (numbers meaningless)"
        } else {
            "release"
        },
        args.runs
    );

    let mut results = Vec::new();
    let mut failed = false;
    for &tables in &sizes {
        let generated = generate(&GenOptions {
            tables,
            seed: args.seed,
            dialect: args.dialect,
            mutate_percent: None,
        });
        let label = format!("{} tables", group(tables as u64));
        match measure(&label, &generated.sql, args.dialect, args.runs) {
            Ok(mut measured) => {
                failed |= measured.lenient;
                measured.tables = Some(tables);
                measured.statements = Some(generated.statements);
                results.push(measured);
            }
            Err(error) => {
                failed = true;
                println!("{label}: {error}");
            }
        }
    }
    if !results.is_empty() {
        println!("generated {} schemas, seed {}:", args.dialect, args.seed);
        print_table(&results);
        print_targets(&results);
    }

    if args.musicbrainz {
        println!("MusicBrainz (the `desired` text of {MUSICBRAINZ_CASE}):");
        match musicbrainz(args) {
            Ok(measured) => {
                failed |= measured.lenient;
                print_table(std::slice::from_ref(&measured));
                let median = measured.median();
                println!("{TARGETS_HEADER}");
                println!(
                    "  MusicBrainz loads in < {} ms: {} ({}{})",
                    TARGET_MUSICBRAINZ.as_millis(),
                    verdict(median < TARGET_MUSICBRAINZ && !measured.lenient),
                    millis(median),
                    if measured.lenient {
                        ", lenient: strict loading fails"
                    } else {
                        ""
                    }
                );
            }
            Err(error) => {
                failed = true;
                println!("{MUSICBRAINZ_CASE}: {error}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn musicbrainz(args: &BenchLoadArgs) -> Result<Measured> {
    let cases = corpus::read_cases(std::slice::from_ref(&args.corpus))?;
    let case = cases
        .into_iter()
        .find(|c| c.id == MUSICBRAINZ_CASE)
        .ok_or_else(|| {
            Error::new(format!(
                "no case {MUSICBRAINZ_CASE} in {}",
                args.corpus.display()
            ))
        })?;
    measure(MUSICBRAINZ_CASE, &case.desired, case.dialect, args.runs)
}

/// Times `runs` loads after a warm-up, then measures memory in a fresh process. When
/// strict loading fails, says why and measures lenient loading instead, so that one
/// statement the loader cannot read yet does not hide the figures.
fn measure(label: &str, sql: &str, dialect: Dialect, runs: u32) -> Result<Measured> {
    let mut options = LoadOptions::new(dialect);
    let mut label = label.to_owned();
    let loader_statements = match load_sql(sql, "bench.sql", &options) {
        Ok(loaded) => loaded.statements,
        Err(error) => {
            println!("{label}: strict load failed, measuring lenient loading: {error}");
            options = options.lenient();
            let loaded = load_sql(sql, "bench.sql", &options).context("lenient load failed")?;
            label.push_str(" (lenient)");
            loaded.statements
        }
    };
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    for _ in 0..runs {
        let cpu_start = process_cpu_time();
        let start = Instant::now();
        let loaded = load_sql(sql, "bench.sql", &options);
        times.push(start.elapsed());
        if let (Some(before), Some(after)) = (cpu_start, process_cpu_time()) {
            cpu_times.push(after.saturating_sub(before));
        }
        // Freeing the result is not part of loading.
        drop(loaded);
    }
    let memory = match measure_memory_in_child(sql, dialect, options.lenient) {
        Ok(memory) => Some(memory),
        Err(error) => {
            println!("{label}: memory not measured: {error}");
            None
        }
    };
    Ok(Measured {
        label,
        tables: None,
        bytes: sql.len(),
        statements: None,
        loader_statements,
        cpu_times: if cpu_times.len() == times.len() {
            cpu_times
        } else {
            Vec::new()
        },
        times,
        memory,
        lenient: options.lenient,
    })
}

fn measure_memory_in_child(sql: &str, dialect: Dialect, lenient: bool) -> Result<Memory> {
    let file = std::env::temp_dir().join(format!(
        "sextant-bench-load-{}-{}.sql",
        std::process::id(),
        sql.len()
    ));
    std::fs::write(&file, sql).with_context(|| format!("writing {}", file.display()))?;
    let exe = std::env::current_exe().context("finding this program")?;
    let mut command = Command::new(exe);
    command
        .arg("measure-load")
        .arg("--dialect")
        .arg(dialect.as_str())
        .arg("--file")
        .arg(&file);
    if lenient {
        command.arg("--lenient");
    }
    let report = ChildReport::run("measure-load", &mut command);
    let _ = std::fs::remove_file(&file);
    let report = report?;
    let before = report.field("rss_before_kib")?;
    let peak = report.field("hwm_after_kib")?;
    Ok(Memory {
        growth_kib: peak.saturating_sub(before),
    })
}

/// The hidden `measure-load` task: reads the file, loads it once, prints
/// `rss_before_kib=… hwm_after_kib=…` from `/proc/self/status`.
pub fn measure_load(args: &MeasureLoadArgs) -> Result<ExitCode> {
    let sql = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let before = proc_status_kib("VmRSS")?;
    let mut options = LoadOptions::new(args.dialect);
    options.lenient = args.lenient;
    let loaded = load_sql(&sql, "bench.sql", &options);
    let peak = proc_status_kib("VmHWM")?;
    // Keep the result alive until the peak has been read.
    drop(loaded);
    println!("rss_before_kib={before} hwm_after_kib={peak}");
    Ok(ExitCode::SUCCESS)
}

/// The user and system CPU time of this process, all threads (finished ones included):
/// fields 14 and 15 of `/proc/self/stat`, in clock ticks of 10 ms (Linux's USER_HZ).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces; the fields after it start at 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn print_table(results: &[Measured]) {
    let row = |cells: [&str; 10]| {
        println!(
            "  {:<28} {:>11} {:>7} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8],
            cells[9]
        );
    };
    row([
        "input",
        "bytes",
        "stmts",
        "loader",
        "median",
        "min",
        "max",
        "cpu",
        "RSS +peak",
        "× input",
    ]);
    for m in results {
        let min = m.times.iter().min().copied().unwrap_or_default();
        let max = m.times.iter().max().copied().unwrap_or_default();
        let cpu = if m.cpu_times.is_empty() {
            "-".to_owned()
        } else {
            // Whole ticks: decimals would claim a precision the kernel does not give.
            format!("{} ms", median(&m.cpu_times).as_millis())
        };
        let (growth, ratio) = match (&m.memory, m.memory_ratio()) {
            (Some(memory), Some(ratio)) => (mib(memory.growth_kib), format!("{ratio:.1}×")),
            _ => ("-".to_owned(), "-".to_owned()),
        };
        row([
            &m.label,
            &group(m.bytes as u64),
            &m.statements.map_or("-".to_owned(), |s| group(s as u64)),
            &group(m.loader_statements as u64),
            &millis(m.median()),
            &millis(min),
            &millis(max),
            &cpu,
            &growth,
            &ratio,
        ]);
    }
    println!(
        "  stmts: as generated; loader: as the loader counted them; median, min, max: wall \
         time; cpu: median CPU time of all threads, in 10 ms ticks; RSS +peak: what loading added \
         to the RSS at its peak, in a fresh process; × input: (RSS +peak + input) / input"
    );
}

fn print_targets(results: &[Measured]) {
    println!("{TARGETS_HEADER}");
    for pair in results.windows(2) {
        let (small, large) = (&pair[0], &pair[1]);
        let (Some(a), Some(b)) = (small.tables, large.tables) else {
            continue;
        };
        if a == 0 || b <= a {
            continue;
        }
        let size_ratio = b as f64 / a as f64;
        let time_ratio = large.median().as_secs_f64() / small.median().as_secs_f64().max(1e-9);
        // Linear means the time ratio stays within 1.2× the size ratio (12× for 10×).
        let limit = size_ratio * TARGET_GROWTH_PER_10X / 10.0;
        println!(
            "  linear growth, {b} vs {a} tables: time {time_ratio:.1}× for {size_ratio:.1}× the \
             tables (≤ {limit:.1}×): {}",
            verdict(time_ratio <= limit)
        );
        // The slope of memory over input size leaves out the fixed cost of a process that
        // has loaded anything at all, which dominates small inputs.
        if let (Some(x), Some(y)) = (&small.memory, &large.memory)
            && large.bytes > small.bytes
        {
            let added = y.growth_kib.saturating_sub(x.growth_kib) as f64 * 1024.0;
            let slope = added / (large.bytes - small.bytes) as f64;
            let fixed_kib = x
                .growth_kib
                .saturating_sub((slope * small.bytes as f64 / 1024.0) as u64);
            println!(
                "  (memory, {b} vs {a} tables: {slope:.1} bytes per added input byte, plus a \
                 fixed {})",
                mib(fixed_kib)
            );
        }
    }
    for m in results {
        if m.tables == Some(10_000) {
            println!(
                "  10,000 tables load in ≤ {} s: {} ({})",
                TARGET_10K_TABLES.as_secs(),
                verdict(m.median() <= TARGET_10K_TABLES && !m.lenient),
                millis(m.median())
            );
        }
        if let Some(ratio) = m.memory_ratio() {
            println!(
                "  {}: peak memory < {TARGET_MEMORY_RATIO}× input: {} ({ratio:.1}×)",
                m.label,
                verdict(ratio < TARGET_MEMORY_RATIO)
            );
        }
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_cpu_time() {
        assert!(process_cpu_time().is_some());
    }
}
