//! `sextant drift`: what differs between a live database and the schema it should have.

use crate::planning::Scope;
use crate::source::{self, SourceOptions};
use schema_inspect::live;
use schema_model::compare;
use std::fmt::Write as _;
use std::process::ExitCode;

/// Arguments of `sextant drift`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The live database: `postgres://...`, `mysql://...`, `sqlite://file.db`.
    #[arg(long)]
    pub url: String,
    /// The schema it should have: a `.sql` file, a directory of them, or another
    /// database's URL.
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// Leave out objects matching `schema.name`. Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Compare only these schemas (MySQL: databases). Repeatable.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Also print the SQL that would bring the database back to the expected schema.
    #[arg(long)]
    pub plan: bool,
}

/// Runs the command: exit 0 without drift, 2 with drift, 1 on errors.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let scope = Scope::parse(&[], &args.exclude, &args.schemas)?;
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
    let live = source::inspect_url(&args.url, &options)?;
    let expected = source::load(&args.to, &options)?;
    let diff_options = scope.diff_options(dialect);
    let differences = compare(
        &schema_diff::scope(&live, &diff_options),
        &schema_diff::scope(&expected, &diff_options),
    );
    if differences.is_empty() {
        eprintln!("no drift: the database has the expected schema");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!(
        "drift: {} difference{} (database | expected)\n",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" }
    );
    for difference in &differences {
        let _ = writeln!(out, "  {difference}");
    }
    if args.plan {
        let plan = scope.plan(&live, &expected)?;
        out.push_str("\n-- to bring the database back:\n");
        out.push_str(&plan.to_sql());
    }
    source::write_stdout(&out)?;
    Ok(ExitCode::from(2))
}
