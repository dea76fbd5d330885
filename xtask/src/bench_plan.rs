//! `cargo xtask bench-plan`: how fast the differ and the planner turn two generated
//! schemas (the second with a share of its tables changed) into a plan, and how that
//! time grows with the table count.
//!
//! Both schemas are loaded once, outside the timing; each timed run is one
//! `schema_diff::diff` and one `schema_plan::plan` of the same pair, after a warm-up.
//! The allocator is the `sextant` binary's (mimalloc, see `main.rs`); the libraries run
//! under whichever allocator their user picks, and glibc's malloc is slower on this work.

use crate::error::{Error, Result};
use crate::gen_schema::{GenOptions, generate};
use crate::measure::{median, verdict};
use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The target from the diff/plan issue, for 10,000 tables with 10% changed; printed,
/// never enforced.
const TARGET_10K_TABLES: Duration = Duration::from_millis(200);
/// 10× the tables may take at most this many times as long ("grows linearly", with
/// room for cache effects).
const TARGET_GROWTH_PER_10X: f64 = 12.0;

/// Arguments of `bench-plan`.
#[derive(Debug, clap::Args)]
pub struct BenchPlanArgs {
    /// Table counts, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    tables: Vec<usize>,
    /// The dialect of the generated schemas.
    #[arg(long, default_value = "postgres")]
    dialect: Dialect,
    /// The share of tables the second schema changes.
    #[arg(long, default_value_t = 10)]
    mutate: u32,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed runs per size, after one warm-up.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
}

fn load(sql: &str, dialect: Dialect) -> Result<Realm> {
    load_sql(sql, "<generated>", &LoadOptions::new(dialect))
        .map(|l| l.realm)
        .map_err(|e| Error::new(format!("loading the generated schema: {e}")))
}

/// Runs `bench-plan`.
#[allow(clippy::print_stdout)] // a benchmark driver reports on stdout
pub fn run(args: &BenchPlanArgs) -> Result<ExitCode> {
    let mut results: Vec<(usize, Duration, usize, usize)> = Vec::new();
    for &tables in &args.tables {
        let options = |mutate_percent| GenOptions {
            tables,
            seed: args.seed,
            dialect: args.dialect,
            mutate_percent,
        };
        let from = load(&generate(&options(None)).sql, args.dialect)?;
        let to = load(&generate(&options(Some(args.mutate))).sql, args.dialect)?;
        // The plan diffs by itself; the separate diff is timed too because tools that
        // only report changes call it alone.
        let once = || -> Result<(usize, usize, Duration)> {
            let start = Instant::now();
            let diff = schema_diff::diff(&from, &to, &schema_diff::DiffOptions::default())
                .map_err(|e| Error::new(format!("diff: {e}")))?;
            let diff_time = start.elapsed();
            let plan = schema_plan::plan(&from, &to, &schema_plan::PlanOptions::default())
                .map_err(|e| Error::new(format!("plan: {e}")))?;
            Ok((diff.changes.len(), plan.statements.len(), diff_time))
        };
        let (changes, statements, _) = once()?;
        if std::env::var_os("SEXTANT_BENCH_CHECK").is_some() {
            // The planner renders only what the change can touch; rendering both realms
            // whole must give the same plan.
            let options = schema_plan::PlanOptions::default();
            let selective = schema_plan::plan(&from, &to, &options)
                .map_err(|e| Error::new(format!("plan: {e}")))?;
            let start = Instant::now();
            let whole = schema_plan::plan_rendering_whole(&from, &to, &options)
                .map_err(|e| Error::new(format!("plan: {e}")))?;
            let same = selective == whole;
            println!(
                "  whole-realm plan: {:.1} ms, same plan as the selective one: {same}",
                start.elapsed().as_secs_f64() * 1e3
            );
            if !same {
                return Err(Error::new(
                    "the selective plan differs from the whole-realm plan",
                ));
            }
        }
        if std::env::var_os("SEXTANT_BENCH_PHASES").is_some() {
            let start = Instant::now();
            let rendered = schema_plan::render_realm(&to);
            println!(
                "  render one realm: {:.1} ms ({} statements)",
                start.elapsed().as_secs_f64() * 1e3,
                rendered.len()
            );
            let start = Instant::now();
            let copy = to.clone();
            println!(
                "  clone one realm: {:.1} ms",
                start.elapsed().as_secs_f64() * 1e3
            );
            drop(copy);
        }
        let mut times = Vec::with_capacity(args.runs as usize);
        let mut diff_times = Vec::with_capacity(args.runs as usize);
        for _ in 0..args.runs {
            let start = Instant::now();
            let (_, _, diff_time) = once()?;
            times.push(start.elapsed());
            diff_times.push(diff_time);
        }
        let median = median(&times);
        println!(
            "{tables:>6} tables, {}% changed: diff + plan median {:>8.1} ms, of which diff {:.1} ms (min {:.1}, max {:.1}; {changes} table-level changes, {statements} statements)",
            args.mutate,
            median.as_secs_f64() * 1e3,
            crate::measure::median(&diff_times).as_secs_f64() * 1e3,
            times
                .iter()
                .min()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
            times
                .iter()
                .max()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
        );
        results.push((tables, median, changes, statements));
    }
    println!("targets (on wall time, which other work on the machine inflates):");
    if let Some((_, time, ..)) = results.iter().find(|(t, ..)| *t == 10_000) {
        println!(
            "  10,000 tables in at most {} ms: {:.1} ms, {}",
            TARGET_10K_TABLES.as_millis(),
            time.as_secs_f64() * 1e3,
            verdict(*time <= TARGET_10K_TABLES)
        );
    }
    if let (Some(small), Some(large)) = (results.first(), results.last())
        && large.0 > small.0
    {
        let size = large.0 as f64 / small.0 as f64;
        let growth = large.1.as_secs_f64() / small.1.as_secs_f64().max(1e-9);
        let per_10x = growth.powf(1.0 / size.log10());
        println!(
            "  growth {} -> {} tables: x{growth:.1} time for x{size:.0} tables (x{per_10x:.1} per 10x, at most x{TARGET_GROWTH_PER_10X}): {}",
            small.0,
            large.0,
            verdict(per_10x <= TARGET_GROWTH_PER_10X)
        );
    }
    Ok(ExitCode::SUCCESS)
}
