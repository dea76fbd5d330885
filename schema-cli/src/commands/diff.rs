//! `sextant diff`: what it takes to go from one schema to another.

use crate::planning::{self, Scope};
use crate::source::{self, SourceOptions};
use schema_model::Dialect;
use std::process::ExitCode;

/// Arguments of `sextant diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema to start from: a `.sql` file, a directory of them, or a database URL
    /// (`postgres://`, `mysql://`, `mariadb://`, `sqlite://`).
    #[arg(long, value_name = "SOURCE")]
    pub from: String,
    /// The schema to arrive at, in the same forms.
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// The SQL dialect of the files; a URL names its own.
    #[arg(long, short)]
    pub dialect: Option<Dialect>,
    /// What to print.
    #[arg(long, short, value_enum, default_value_t = Format::Sql)]
    pub format: Format,
    /// A rename to assume, `KIND:FROM=TO`: `table:public.users=people`,
    /// `column:public.users.mail=email`, `index:public.users.users_mail=users_email`,
    /// `constraint:public.users.users_mail_key=users_email_key`, `type:public.mood=feeling`,
    /// `enum-value:public.mood.happy=glad`. The schema may be left out. Repeatable.
    #[arg(long, value_name = "KIND:FROM=TO")]
    pub rename: Vec<String>,
    /// Leave out objects matching `schema.name`, where `*` matches any run of
    /// characters (`audit.*`). Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Compare only these schemas (MySQL: the databases to inspect). Repeatable.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Exit with status 2 when there are changes (0 when there are none).
    #[arg(long)]
    pub exit_code: bool,
    /// Files: skip statements that cannot be read, with a warning each.
    #[arg(long)]
    pub lenient: bool,
    /// Lint the plan (with `sextant.toml`'s `[lint]` settings when present): findings
    /// go to stderr, and an error-level one makes the exit status 1. When `--from` is a
    /// database, its catalog's row estimates grade the findings, as `lint --url` does.
    #[arg(long)]
    pub lint: bool,
}

/// Output formats of `sextant diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The plan's SQL, in the order it must run.
    Sql,
    /// The plan as JSON: every statement with its reverse, transactionality, objects
    /// and hazards.
    Json,
    /// The typed changes, one line each, and rename suggestions as hints.
    Changes,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let scope = Scope::parse(&args.rename, &args.exclude, &args.schemas)?;
    let dialect = source::resolve_dialect(&[&args.from, &args.to], args.dialect)?;
    let options = SourceOptions {
        dialect: Some(dialect),
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
        lenient: args.lenient,
        verbose: false,
    };
    let from = source::load(&args.from, &options)?;
    let to = source::load(&args.to, &options)?;
    let changed = match args.format {
        Format::Changes => {
            let diff = scope.diff(&from, &to)?;
            if diff.is_empty() {
                eprintln!("no changes");
            }
            source::write_stdout(&schema_diff::changes_text(&diff))?;
            eprint!("{}", planning::suggestion_hints(&diff.suggestions));
            !diff.is_empty()
        }
        Format::Sql | Format::Json => {
            // The differ's suggestions matter most here: without a hint, the plan drops
            // and recreates what may be a renamed object.
            let diff = scope.diff(&from, &to)?;
            eprint!("{}", planning::suggestion_hints(&diff.suggestions));
            let plan = scope.plan(&from, &to)?;
            let text = if args.format == Format::Json {
                planning::plan_json(&plan)?
            } else {
                plan.to_sql()
            };
            if plan.is_empty() {
                eprintln!("no changes");
            }
            source::write_stdout(&text)?;
            if args.lint {
                let mut settings = super::lint::settings(dialect, None)?;
                if source::is_url(&args.from) {
                    settings.table_rows = super::lint::table_rows(&args.from, dialect)?
                        .into_iter()
                        .collect();
                }
                let findings = schema_lint::lint_plan(&plan, &from, &settings);
                if !findings.is_empty() {
                    eprint!("{}", schema_lint::output::human(&findings));
                }
                if schema_lint::has_errors(&findings) {
                    return Ok(ExitCode::FAILURE);
                }
            }
            !plan.is_empty()
        }
    };
    Ok(if args.exit_code && changed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
