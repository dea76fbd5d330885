//! `sextant apply`: take a live database to a desired schema.

use crate::planning::{self, Scope};
use crate::report;
use crate::source::{self, SourceOptions};
use schema_inspect::live;
use schema_plan::apply::{ApplyOptions, Step};
use std::process::ExitCode;

/// Arguments of `sextant apply`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database to change: `postgres://user@host:5432/db`, `mysql://...`,
    /// `sqlite://file.db`.
    #[arg(long)]
    pub url: String,
    /// The desired schema: a `.sql` file, a directory of them (read in the URL's
    /// dialect), or another database's URL.
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// Print the plan and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// Run statements that can lose data (dropped tables and columns, narrowed types).
    /// Without it a plan holding any is refused before anything runs.
    #[arg(long)]
    pub allow_destructive: bool,
    /// A rename to assume, `KIND:FROM=TO` (see `sextant diff --help`). Repeatable.
    #[arg(long, value_name = "KIND:FROM=TO")]
    pub rename: Vec<String>,
    /// Leave out objects matching `schema.name` (`*` matches any run of characters).
    /// Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Manage only these schemas (MySQL: databases). Repeatable.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Where apply keeps its progress table (PostgreSQL schema or MySQL database;
    /// created when missing). Default: `public`, or MySQL's current database.
    #[arg(long, value_name = "SCHEMA")]
    pub progress_schema: Option<String>,
    /// How to print the plan.
    #[arg(long, short, value_enum, default_value_t = Format::Sql)]
    pub format: Format,
}

/// How `sextant apply` prints the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The plan's SQL.
    Sql,
    /// The plan as JSON.
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let scope = Scope::parse(&args.rename, &args.exclude, &args.schemas)?;
    if !source::is_url(&args.url) {
        return Err(format!(
            "error: --url {}: expected a postgres://, mysql://, mariadb:// or sqlite: URL\n",
            live::redact_url(&args.url)
        ));
    }
    let dialect = source::resolve_dialect(&[&args.url, &args.to], None)?;
    let options = SourceOptions {
        dialect: Some(dialect),
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        lenient: false,
        verbose: false,
    };
    let current = source::inspect_url(&args.url, &options)?;
    let desired = source::load(&args.to, &options)?;
    let diff = scope.diff(&current, &desired)?;
    eprint!("{}", planning::suggestion_hints(&diff.suggestions));
    let plan = scope.plan(&current, &desired)?;
    if plan.is_empty() {
        eprintln!("no changes: the database is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    let text = match args.format {
        Format::Sql => plan.to_sql(),
        Format::Json => planning::plan_json(&plan)?,
    };
    source::write_stdout(&text)?;
    if args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    let mut apply_options = ApplyOptions::new()
        .allow_destructive(args.allow_destructive)
        .on_progress(|event| {
            let first_line = event.statement.sql.lines().next().unwrap_or_default();
            let ellipsis = if event.statement.sql.contains('\n') {
                " ..."
            } else {
                ""
            };
            match event.step {
                Step::Skipped => eprintln!(
                    "[{}/{}] done by an earlier run: {first_line}{ellipsis}",
                    event.index + 1,
                    event.total
                ),
                Step::Started => eprintln!(
                    "[{}/{}] {first_line}{ellipsis}",
                    event.index + 1,
                    event.total
                ),
            }
        });
    if let Some(schema) = &args.progress_schema {
        apply_options = apply_options.progress_schema(schema.clone());
    }
    let report = source::runtime()?
        .block_on(schema_plan::apply::apply_url(
            &args.url,
            &plan,
            &apply_options,
        ))
        .map_err(|e| report::apply_error(&e))?;
    if report.resumed > 0 {
        eprintln!(
            "applied {} statements ({} were done by an earlier run)",
            report.executed, report.resumed
        );
    } else {
        eprintln!("applied {} statements", report.executed);
    }
    Ok(ExitCode::SUCCESS)
}
