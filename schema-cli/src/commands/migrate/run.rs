//! The `migrate` subcommands that work on a database: `apply`, `status`, `repair`,
//! `baseline` and `drift`. They read the directory, then hand its migrations to the
//! facade's runner (`sextant::migrate::Migrator`), which keeps the revision table.

use super::DirArgs;
use crate::source;
use schema_inspect::live::{self, InspectOptions};
use sextant::migrate::tenants::{self, TenantKind, TenantsReport};
use sextant::migrate::{Migrator, MigratorOptions, Status, TxMode};
use std::process::ExitCode;
use std::time::Duration;

/// What every database subcommand takes: the directory, the database and where the
/// revision table is.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetArgs {
    /// The migration directory and its layout.
    #[command(flatten)]
    pub dir: DirArgs,
    /// The database: `postgres://...`, `mysql://...`, `sqlite://app.db?mode=rwc`.
    #[arg(long)]
    pub url: String,
    /// Where the revision table lives: a PostgreSQL schema, a MySQL database (created
    /// when missing). Default: `public`, or MySQL's current database.
    #[arg(long, value_name = "SCHEMA")]
    pub revisions_schema: Option<String>,
    /// The revision table's name.
    #[arg(long, value_name = "TABLE", default_value = sextant::migrate::runner::DEFAULT_TABLE)]
    pub revisions_table: String,
}

impl TargetArgs {
    /// The directory's migrations, with the revision table's place added to `options`.
    pub(crate) fn migrator(&self, options: MigratorOptions) -> Result<Migrator, String> {
        if !source::is_url(&self.url) {
            return Err(format!(
                "error: --url {}: expected a postgres://, mysql://, mariadb:// or sqlite: URL\n",
                live::redact_url(&self.url)
            ));
        }
        let read = self.dir.read(false)?;
        let mut options = options.table(self.revisions_table.clone());
        if let Some(schema) = &self.revisions_schema {
            options = options.schema(schema.clone());
        }
        Migrator::new(read.migrations)
            .map(|m| m.with_options(options))
            .map_err(|e| format!("error: {e}\n"))
    }
}

/// The transaction modes, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TxModeArg {
    /// One transaction per file.
    File,
    /// All pending files in one transaction.
    All,
    /// No transaction; progress is counted statement by statement.
    None,
}

/// Arguments of `sextant migrate apply`.
#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Apply up to this version (included) and no further.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// How files that do not ask for a mode themselves are wrapped in transactions.
    #[arg(long, value_enum, default_value_t = TxModeArg::File)]
    pub tx_mode: TxModeArg,
    /// How long to wait for another migrator holding the lock, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub lock_timeout: u64,
    /// Apply to every tenant whose name matches this pattern (`*` for any run of
    /// characters) instead of the URL's database alone.
    #[arg(long, value_name = "PATTERN")]
    pub tenants: Option<String>,
    /// What a tenant is: a schema of the URL's database, or a database of its server
    /// (on MySQL both mean a database).
    #[arg(long, value_enum, default_value_t = TenantKindArg::Schema, requires = "tenants")]
    pub tenant_kind: TenantKindArg,
    /// How many tenants to migrate at a time.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "tenants",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// The tenant kinds, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TenantKindArg {
    /// A schema of the URL's database.
    Schema,
    /// A database of the URL's server.
    Database,
}

/// Arguments of `sextant migrate status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Arguments of `sextant migrate repair`.
#[derive(Debug, clap::Args)]
pub struct RepairArgs {
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Accept the edit of this version only (default: every edited file).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Who accepts the edit, recorded with it (default: $USER).
    #[arg(long)]
    pub operator: Option<String>,
}

/// Arguments of `sextant migrate baseline`.
#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Record every migration up to this version (included) as applied, without running
    /// it: the database already has their schema.
    pub version: String,
}

/// Arguments of `sextant migrate drift`.
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The directory and the database.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Runs `migrate apply`.
pub fn run_apply(args: &ApplyArgs) -> Result<ExitCode, String> {
    let mut options = MigratorOptions::new()
        .tx_mode(match args.tx_mode {
            TxModeArg::File => TxMode::File,
            TxModeArg::All => TxMode::All,
            TxModeArg::None => TxMode::None,
        })
        .lock_timeout(Duration::from_secs(args.lock_timeout));
    if let Some(to) = &args.to {
        options = options.target(to.clone());
    }
    let migrator = args.target.migrator(options)?;
    if let Some(pattern) = &args.tenants {
        return apply_tenants(args, &migrator, pattern);
    }
    let report = source::runtime()?
        .block_on(migrator.apply_url(&args.target.url))
        .map_err(|e| format!("error: {e}\n"))?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if report.applied.is_empty() {
        eprintln!("nothing to apply: the database is at the latest version");
    }
    for applied in &report.applied {
        let resumed = if applied.resumed_from > 0 {
            format!(", resumed at statement {}", applied.resumed_from + 1)
        } else {
            String::new()
        };
        println!(
            "applied {} ({}): {} statement{} in {} ms{resumed}",
            applied.version,
            applied.file,
            applied.statements,
            if applied.statements == 1 { "" } else { "s" },
            applied.duration.as_millis()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate apply --tenants`: every matching tenant, `--jobs` at a time, a line on
/// stderr as each finishes, then the report on stdout; exit 1 when any failed.
fn apply_tenants(args: &ApplyArgs, migrator: &Migrator, pattern: &str) -> Result<ExitCode, String> {
    let url = &args.target.url;
    let kind = match args.tenant_kind {
        TenantKindArg::Schema => TenantKind::Schema,
        TenantKindArg::Database => TenantKind::Database,
    };
    let postgres_databases = kind == TenantKind::Database && url.starts_with("postgres");
    if args.target.revisions_schema.is_some() && !postgres_databases {
        // Every tenant would share one revision table, each reading the others'
        // revisions as its own.
        return Err(
            "error: --revisions-schema goes only with --tenant-kind database on PostgreSQL: \
             each tenant keeps its revisions in itself\n"
                .to_owned(),
        );
    }
    let report = source::runtime()?
        .block_on(tenants::apply(
            migrator,
            url,
            kind,
            pattern,
            usize::from(args.jobs),
            |result, done, total| {
                let what = match &result.outcome {
                    Ok(report) if report.applied.is_empty() => "up to date".to_owned(),
                    Ok(report) => format!("applied {}", report.applied.len()),
                    Err(_) => "failed".to_owned(),
                };
                eprintln!("[{done}/{total}] {}: {what}", result.tenant);
            },
        ))
        .map_err(|e| format!("error: {e}\n"))?;
    if report.results.is_empty() {
        eprintln!("no tenant matches {pattern} in {}", live::redact_url(url));
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", tenants_report(&report));
    Ok(if report.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The per-tenant report: a line per tenant (its versions, or its error, warnings
/// below it), then the totals.
fn tenants_report(report: &TenantsReport) -> String {
    let mut out = String::new();
    let mut migrated = 0;
    let mut current = 0;
    for result in &report.results {
        let ms = result.duration.as_millis();
        match &result.outcome {
            Ok(run) if run.applied.is_empty() => {
                current += 1;
                out.push_str(&format!(
                    "ok      {} ({ms} ms): up to date\n",
                    result.tenant
                ));
            }
            Ok(run) => {
                migrated += 1;
                let versions: Vec<&str> = run.applied.iter().map(|a| a.version.as_str()).collect();
                out.push_str(&format!(
                    "ok      {} ({ms} ms): applied {}\n",
                    result.tenant,
                    versions.join(", ")
                ));
            }
            Err(e) => {
                out.push_str(&format!("FAILED  {} ({ms} ms): {e}\n", result.tenant));
            }
        }
        if let Ok(run) = &result.outcome {
            for warning in &run.warnings {
                out.push_str(&format!("          warning: {warning}\n"));
            }
        }
    }
    let total = report.results.len();
    out.push_str(&format!(
        "{total} tenant{}: {migrated} migrated, {current} up to date, {} failed\n",
        if total == 1 { "" } else { "s" },
        report.failed()
    ));
    out
}

fn status_of(target: &TargetArgs) -> Result<Status, String> {
    let migrator = target.migrator(MigratorOptions::new())?;
    source::runtime()?
        .block_on(migrator.status_url(&target.url))
        .map_err(|e| format!("error: {e}\n"))
}

/// Runs `migrate status`: exit 0 when up to date, 2 with pending migrations, 1 with
/// problems (an edited, missing or out-of-order file).
pub fn run_status(args: &StatusArgs) -> Result<ExitCode, String> {
    let status = status_of(&args.target)?;
    let mut out = String::new();
    for revision in &status.applied {
        let how = if revision.baseline {
            " (baseline)".to_owned()
        } else if revision.is_partial() {
            format!(
                " (partial: {} of {} statements{})",
                revision.statements_applied,
                revision.statements_total,
                revision
                    .error
                    .as_deref()
                    .map(|e| format!("; {e}"))
                    .unwrap_or_default()
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "applied  {} {} at {}{how}\n",
            revision.version, revision.file, revision.applied_at
        ));
    }
    for pending in &status.pending {
        let resume = if pending.resume_from > 0 {
            format!(" (resumes at statement {})", pending.resume_from + 1)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "pending  {} {}{resume}\n",
            pending.version, pending.file
        ));
    }
    print!("{out}");
    for warning in &status.warnings {
        eprintln!("warning: {warning}");
    }
    for problem in &status.problems {
        eprintln!("error: {problem}");
    }
    Ok(if !status.problems.is_empty() {
        ExitCode::FAILURE
    } else if !status.pending.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `migrate repair`.
pub fn run_repair(args: &RepairArgs) -> Result<ExitCode, String> {
    let operator = args
        .operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".to_owned());
    let migrator = args.target.migrator(MigratorOptions::new())?;
    let repairs = source::runtime()?
        .block_on(migrator.repair_url(&args.target.url, &operator, args.version.as_deref()))
        .map_err(|e| format!("error: {e}\n"))?;
    if repairs.is_empty() {
        eprintln!("nothing to repair: every applied file matches its revision");
    }
    for repair in &repairs {
        println!(
            "accepted {} ({}) by {}: checksum {} -> {}",
            repair.version, repair.file, repair.operator, repair.previous_checksum, repair.checksum
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `migrate baseline`.
pub fn run_baseline(args: &BaselineArgs) -> Result<ExitCode, String> {
    let migrator = args.target.migrator(MigratorOptions::new())?;
    let baseline = source::runtime()?
        .block_on(migrator.baseline_url(&args.target.url, &args.version))
        .map_err(|e| format!("error: {e}\n"))?;
    println!(
        "recorded {} migration{} as applied, up to {}",
        baseline.versions.len(),
        if baseline.versions.len() == 1 {
            ""
        } else {
            "s"
        },
        args.version
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `migrate drift`: the live schema against the files the revision table says are
/// applied, replayed. Exit 0 without drift, 2 with drift.
pub fn run_drift(args: &DriftArgs) -> Result<ExitCode, String> {
    let status = status_of(&args.target)?;
    for problem in &status.problems {
        eprintln!("warning: {problem}");
    }
    let read = args.target.dir.read(false)?;
    let applied: std::collections::BTreeSet<&str> =
        status.applied.iter().map(|r| r.version.as_str()).collect();
    let mut claimed = read.clone();
    claimed
        .migrations
        .retain(|m| applied.contains(m.version.as_str()));
    let dialect = source::resolve_dialect(&[&args.target.url], None)?;
    let expected = super::replay_dir(&claimed, dialect, None)?;
    let mut inspect = InspectOptions::default();
    inspect
        .exclude
        .push(format!("*.{}", args.target.revisions_table));
    let live = source::runtime()?
        .block_on(live::inspect_url(&args.target.url, &inspect))
        .map_err(|e| format!("error: {e}\n"))?;
    let differences = schema_model::compare(&live, &expected);
    if differences.is_empty() {
        eprintln!(
            "no drift: the database has the schema of its {} applied migration{}",
            claimed.migrations.len(),
            if claimed.migrations.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "drift: {} difference{} between the database and its {} applied migration{} (database | migrations)",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" },
        claimed.migrations.len(),
        if claimed.migrations.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for difference in &differences {
        println!("  {difference}");
    }
    Ok(ExitCode::from(2))
}
