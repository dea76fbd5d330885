//! `sextant migrate down [N]`: reverts the last N applied migrations by planning the
//! live database's schema back to the schema the migrations before them build, under
//! the runner's lock. Statements that can lose data are refused unless allowed.

use super::run::TargetArgs;
use crate::source;
use sextant::migrate::{DownOptions, DownReport, MigratorOptions};
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `sextant migrate down`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many applied migrations to revert, newest first.
    #[arg(default_value_t = 1, value_name = "N")]
    pub steps: usize,
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Run statements that can lose data (dropped tables and columns).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Print the plan and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How long to wait for another migrator holding the lock, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub lock_timeout: u64,
}

/// Runs `migrate down`.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let migrator = args
        .target
        .migrator(MigratorOptions::new().lock_timeout(Duration::from_secs(args.lock_timeout)))?;
    let options = DownOptions::new()
        .steps(args.steps)
        .allow_destructive(args.allow_destructive)
        .dry_run(args.dry_run);
    let report = source::runtime()?
        .block_on(migrator.down_url(&args.target.url, &options))
        .map_err(|e| format!("error: {e}\n"))?;
    print!("{}", render(&report));
    Ok(ExitCode::SUCCESS)
}

/// What was reverted and the statements run, or in a dry run what would be.
fn render(report: &DownReport) -> String {
    let mut out = String::new();
    let to = report.target.as_deref().map_or_else(
        || "no migration applied".to_owned(),
        |t| format!("version {t}"),
    );
    let verb = if report.executed {
        "reverted"
    } else {
        "would revert"
    };
    for reverted in &report.reverted {
        out.push_str(&format!(
            "{verb} {} ({})\n",
            reverted.version, reverted.file
        ));
    }
    out.push_str(&format!(
        "{} {} statement{} to reach {to}{}\n",
        if report.executed { "ran" } else { "would run" },
        report.statements.len(),
        if report.statements.len() == 1 {
            ""
        } else {
            "s"
        },
        if report.executed && report.atomic {
            " (one transaction)"
        } else {
            ""
        }
    ));
    for statement in &report.statements {
        out.push('\n');
        if let Some(hazard) = statement
            .hazard
            .as_deref()
            .filter(|_| statement.destructive)
        {
            out.push_str(&format!("-- loses data: {hazard}\n"));
        }
        out.push_str(statement.sql.trim_end());
        out.push('\n');
    }
    out
}
