//! `cargo xtask corpus roundtrip`: the semantic check of plans and apply.
//!
//! For every case that counts (the skip rules of `normalize`, plus the sqldef settings
//! that shape a migration and have no equivalent here, as the corpus README lists):
//!
//! 1. **Forward.** A fresh database gets `current` (as written, or as the
//!    dependency-ordered SQL of its offline model where the server rejects the order);
//!    it is inspected, planned to the offline load of `desired`, the plan is applied,
//!    and the database is inspected again. That must equal a second fresh database
//!    where `desired` was applied directly (the dev loader's), and planning again from
//!    the result to `desired` must give an empty plan.
//! 2. **Reverse.** The same database, now at `desired` (or, when the forward direction
//!    did not get there, a fresh one built from `desired`), is taken back to `current`
//!    and checked the same way against `current` applied directly.
//!
//! Each direction prints its own report and summary line,
//! `N passed, M failed, K skipped`.

use crate::corpus::{self, Case, Failure, Outcome, Side};
use crate::error::{Context as _, Result};
use crate::normalize::{self, Server};
use crate::renames;
use schema_inspect::live::{self, InspectError, InspectOptions};
use schema_inspect::{Source, load_sources};
use schema_model::{Dialect, Realm, compare};
use schema_plan::apply::{self, ApplyOptions};
use schema_plan::{Plan, PlanOptions};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr as _;
use std::sync::Arc;

/// Arguments of `corpus roundtrip`.
#[derive(Debug, clap::Args)]
pub struct RoundtripArgs {
    /// Corpus files (JSON Lines). Cases of other dialects than the server's are skipped.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The server: `postgres://postgres@127.0.0.1:5432/postgres`,
    /// `mysql://root@127.0.0.1:3306/mysql`, or `sqlite::memory:`.
    #[arg(long)]
    url: String,
    /// How many cases run at once.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// Exit with a failure status when any case fails, in either direction.
    #[arg(long)]
    strict: bool,
    /// Also print passing cases, and every difference of a failing case (not just the
    /// first ten).
    #[arg(long)]
    verbose: bool,
    /// Only the cases whose id contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Only the first N cases (after `--filter`).
    #[arg(long)]
    limit: Option<usize>,
}

/// sqldef settings that change what the migration must do, for which Sextant has no
/// equivalent yet (corpus README, "Which cases count").
const MIGRATION_SETTINGS: [&str; 6] = [
    "managed_roles",
    "manage_privilege",
    "manage_function",
    "manage_extension",
    "enable_drop_false",
    "config_bulk_alter",
];

/// Runs `corpus roundtrip`.
pub fn run(args: &RoundtripArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // Cases run as local tasks: the inspectors' futures over a borrowed connection are
    // not `Send`, and the work is the servers', so one thread is enough.
    let local = tokio::task::LocalSet::new();
    runtime.block_on(local.run_until(run_async(args)))
}

/// Both directions' outcomes of one case.
#[derive(Debug, Clone)]
struct Outcomes {
    forward: Outcome,
    reverse: Outcome,
}

impl Outcomes {
    fn both(outcome: Outcome) -> Self {
        Outcomes {
            forward: outcome.clone(),
            reverse: outcome,
        }
    }
}

async fn run_async(args: &RoundtripArgs) -> Result<ExitCode> {
    let mut cases = corpus::read_cases(&args.files)?;
    if let Some(filter) = &args.filter {
        cases.retain(|case| case.id.contains(filter.as_str()));
    }
    if let Some(limit) = args.limit {
        cases.truncate(limit);
    }
    let server = Arc::new(normalize::server_info(&args.url).await?);
    if server.dialect == Dialect::Postgres {
        normalize::create_roles(&args.url).await?;
    }
    let url: Arc<str> = Arc::from(args.url.as_str());
    let semaphore = Arc::new(tokio::sync::Semaphore::new(args.jobs.max(1)));
    let named_database = Arc::new(tokio::sync::Mutex::new(()));
    let mut tasks = tokio::task::JoinSet::new();
    for case in cases.iter().cloned() {
        let (server, url, semaphore) = (server.clone(), url.clone(), semaphore.clone());
        let verbose = args.verbose;
        let named = named_database.clone();
        tasks.spawn_local(async move {
            let _permit = semaphore.acquire_owned().await;
            // Cases that create a database of a fixed name cannot overlap on one server.
            let needs_name =
                case.dialect == Dialect::Mysql && normalize::mysql_database(&case).is_some();
            let _named = if needs_name {
                Some(named.lock_owned().await)
            } else {
                None
            };
            let outcomes = match skip_reason(&case, &server) {
                Some(reason) => Outcomes::both(Outcome::Skip(reason)),
                None => check(&case, &server, &url, verbose).await,
            };
            (case.id, outcomes)
        });
    }
    let mut outcomes: HashMap<String, Outcomes> = HashMap::new();
    let total = cases.len();
    while let Some(joined) = tasks.join_next().await {
        let (id, outcome) = joined.context("a case's task failed")?;
        outcomes.insert(id, outcome);
        // A server round trip takes minutes: a heartbeat on stderr tells a CI log (and
        // whoever watches it) that the run is moving, without mixing into the report.
        if outcomes.len().is_multiple_of(100) {
            eprintln!("{} of {total} cases done", outcomes.len());
        }
    }
    let not_run = || {
        Outcome::Fail(vec![Failure {
            side: Side::Desired,
            message: "the case was not run".to_owned(),
        }])
    };
    println!("forward: current -> desired");
    let forward = corpus::run(
        &cases,
        args.verbose,
        |_| None,
        |case| {
            outcomes
                .get(&case.id)
                .map_or_else(not_run, |o| o.forward.clone())
        },
    )?;
    println!();
    println!("reverse: desired -> current");
    let reverse = corpus::run(
        &cases,
        args.verbose,
        |_| None,
        |case| {
            outcomes
                .get(&case.id)
                .map_or_else(not_run, |o| o.reverse.clone())
        },
    )?;
    Ok(
        if args.strict && (forward.failed > 0 || reverse.failed > 0) {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Why a case does not count here: `normalize`'s reasons, and the sqldef settings that
/// shape a migration.
fn skip_reason(case: &Case, server: &Server) -> Option<String> {
    normalize::skip_reason(case, server).or_else(|| {
        MIGRATION_SETTINGS
            .iter()
            .find(|setting| case.has_caveat(setting))
            .map(|setting| format!("{setting}: a sqldef setting with no equivalent here yet"))
    })
}

/// One side of a case, ready to build databases from.
struct SideSql {
    side: Side,
    /// The prelude and the side's SQL.
    sources: Vec<Source>,
    /// The offline load of `sources`.
    offline: Realm,
}

/// The prelude and one side's SQL, loaded offline.
fn load_side(case: &Case, side: Side) -> std::result::Result<SideSql, String> {
    let mut sources: Vec<Source> = normalize::prelude(case).into_iter().collect();
    sources.push(Source::new(format!("{side}.sql"), side.text(case)));
    let offline = load_sources(&sources, &case.load_options())
        .map_err(|e| format!("offline {side}: {}", corpus::first_line(&e.to_string())))?
        .realm;
    Ok(SideSql {
        side,
        sources,
        offline,
    })
}

async fn check(case: &Case, server: &Server, url: &str, verbose: bool) -> Outcomes {
    let (current, desired) = match (
        load_side(case, Side::Current),
        load_side(case, Side::Desired),
    ) {
        (Ok(current), Ok(desired)) => (current, desired),
        (Err(message), _) | (_, Err(message)) => {
            return Outcomes::both(fail(Side::Current, message));
        }
    };
    let too_new = normalize::feature_version_skip_reason(&current.offline, server)
        .or_else(|| normalize::feature_version_skip_reason(&desired.offline, server));
    if let Some(reason) = too_new {
        return Outcomes::both(Outcome::Skip(reason));
    }
    let mut plan_options = PlanOptions::default();
    plan_options.online = case.has_caveat("config_create_index_concurrently");
    if case.has_caveat("rename_annotation") {
        match renames::hints(&case.desired, &desired.offline) {
            Ok(hints) => plan_options.renames = hints,
            Err(message) => {
                let message = format!("rename annotations: {message}");
                return Outcomes::both(if case.expects_error {
                    Outcome::PassNoted(format!("refused, as the case expects: {message}"))
                } else {
                    fail(Side::Desired, message)
                });
            }
        }
    }
    let mut back_options = plan_options.clone();
    back_options.renames = schema_plan::invert_renames(&plan_options.renames);
    // The references come first: on MySQL they and the working database may need the
    // same fixed database name, one at a time.
    let reference_desired = reference(url, case, &desired).await;
    let reference_current = reference(url, case, &current).await;

    let mut db = match Scratch::build(url, case, &current).await {
        Ok(db) => db,
        Err(message) => {
            return Outcomes::both(fail(Side::Current, format!("building current: {message}")));
        }
    };
    let forward = migrate(
        &mut db,
        case,
        &desired,
        reference_desired,
        &plan_options,
        verbose,
    )
    .await;
    let reverse = if forward.reached {
        migrate(
            &mut db,
            case,
            &current,
            reference_current,
            &back_options,
            verbose,
        )
        .await
    } else {
        db.drop().await;
        db = match Scratch::build(url, case, &desired).await {
            Ok(db) => db,
            Err(message) => {
                return Outcomes {
                    forward: forward.outcome,
                    reverse: fail(Side::Desired, format!("building desired: {message}")),
                };
            }
        };
        migrate(
            &mut db,
            case,
            &current,
            reference_current,
            &back_options,
            verbose,
        )
        .await
    };
    db.drop().await;
    Outcomes {
        forward: forward.outcome,
        reverse: reverse.outcome,
    }
}

/// A direction's outcome, and whether the database got to the target (so that the
/// reverse direction can start from it).
struct Migrated {
    outcome: Outcome,
    reached: bool,
}

/// Plans the database to the target side, applies, and checks the result.
async fn migrate(
    db: &mut Scratch,
    case: &Case,
    target: &SideSql,
    reference: std::result::Result<Realm, String>,
    plan_options: &PlanOptions,
    verbose: bool,
) -> Migrated {
    let side = target.side;
    let start = match db.inspect().await {
        Ok(realm) => realm,
        Err(message) => return failed(side, format!("inspecting the start: {message}"), false),
    };
    let plan = match schema_plan::plan(&start, &target.offline, plan_options) {
        Ok(plan) => plan,
        Err(error) if case.expects_error => {
            return Migrated {
                outcome: Outcome::PassNoted(format!(
                    "refused, as the case expects: planning: {error}"
                )),
                reached: false,
            };
        }
        Err(error) => return failed(side, format!("planning: {error}"), false),
    };
    if let Err(message) = db.apply(&plan).await {
        return failed(side, format!("applying the plan: {message}"), false);
    }
    let result = match db.inspect().await {
        Ok(realm) => realm,
        Err(message) => return failed(side, format!("inspecting the result: {message}"), true),
    };
    let reference = match reference {
        Ok(realm) => realm,
        Err(message) => {
            return failed(side, format!("building {side} directly: {message}"), true);
        }
    };
    let differences = compare(&reference, &result);
    // PostgreSQL adds a column at the end of its table and has no way to move one: a
    // plan that drops and adds columns (or keys with their columns) leaves them in
    // another order than a fresh build. Sextant does not rewrite a table to reorder
    // it, so such a case passes with that said, and only when nothing else differs.
    let note = (case.dialect == Dialect::Postgres
        && !differences.is_empty()
        && differences
            .iter()
            .all(|d| d.attribute == "column order" && same_columns(d)))
    .then(|| {
        format!(
            "column order differs, as PostgreSQL appends added columns: {}",
            differences
                .iter()
                .map(|d| d.object.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )
    });
    if note.is_none() && !differences.is_empty() {
        let shown = if verbose { differences.len() } else { 10 };
        let mut message = format!(
            "{} differences (applied directly | migrated)",
            differences.len()
        );
        for difference in differences.iter().take(shown) {
            message.push_str(&format!("\n    {difference}"));
        }
        return failed(side, message, true);
    }
    match schema_plan::plan(&result, &target.offline, plan_options) {
        Ok(again) if again.is_empty() => Migrated {
            outcome: note.map_or(Outcome::Pass, Outcome::PassNoted),
            reached: true,
        },
        Ok(again) => {
            let mut message = format!(
                "not idempotent: planning again gives {} statements",
                again.statements.len()
            );
            let shown = if verbose { again.statements.len() } else { 3 };
            for statement in again.statements.iter().take(shown) {
                message.push_str(&format!("\n    {}", corpus::first_line(&statement.sql)));
            }
            failed(side, message, true)
        }
        Err(error) => failed(side, format!("planning again: {error}"), true),
    }
}

/// Whether a column order difference lists the same columns on both sides.
fn same_columns(difference: &schema_model::Difference) -> bool {
    fn sorted(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text.split(", ").collect();
        names.sort_unstable();
        names
    }
    sorted(&difference.left) == sorted(&difference.right)
}

/// The side applied directly to a fresh database and inspected (the dev loader, which
/// drops its database again); as dependency-ordered SQL where the server rejects the
/// text's order, as `normalize` does.
async fn reference(url: &str, case: &Case, side: &SideSql) -> std::result::Result<Realm, String> {
    let options = InspectOptions::default();
    match live::load_dev(url, &side.sources, &options).await {
        Ok(realm) => Ok(realm),
        Err(InspectError::Apply { location, message }) => {
            let ordered = ordered_sources(case, side);
            live::load_dev(url, &ordered, &options)
                .await
                .map_err(|second| {
                    format!(
                        "{location}: {} (and as ordered SQL: {})",
                        corpus::first_line(&message),
                        corpus::first_line(&second.to_string())
                    )
                })
        }
        Err(error) => Err(error.to_string()),
    }
}

fn ordered_sources(case: &Case, side: &SideSql) -> Vec<Source> {
    let mut ordered: Vec<Source> = normalize::prelude(case).into_iter().collect();
    ordered.push(Source::new(
        "ordered.sql",
        schema_plan::render_script(&side.offline),
    ));
    ordered
}

/// The statements of the sources, client commands left out.
fn statements(sources: &[Source], dialect: Dialect) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    for source in sources {
        let raw = schema_inspect::split::split(&source.text, dialect)
            .map_err(|e| format!("{}:{}:{}: {e}", source.name, e.line, e.column))?;
        out.extend(
            raw.into_iter()
                .filter(|s| s.kind == schema_inspect::split::RawKind::Sql)
                .map(|s| s.text.to_owned()),
        );
    }
    Ok(out)
}

/// A fresh database that stays until the case is done with it: one of its own on the
/// server (named as the case needs on MySQL), or an in-memory SQLite database.
enum Scratch {
    Postgres {
        server: sqlx::postgres::PgConnectOptions,
        name: String,
        conn: Option<sqlx::PgConnection>,
    },
    Mysql {
        server: sqlx::mysql::MySqlConnectOptions,
        name: String,
        conn: Option<sqlx::MySqlConnection>,
    },
    Sqlite {
        conn: Option<sqlx::SqliteConnection>,
    },
}

fn scratch_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "sextant_rt_{}_{nanos}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn server_message(error: &sqlx::Error) -> String {
    match error.as_database_error() {
        Some(db) => db.message().to_owned(),
        None => error.to_string(),
    }
}

impl Scratch {
    /// A fresh database holding the side: its SQL as written, or the ordered SQL of its
    /// offline model where the server rejects the order (in a new fresh database).
    async fn build(url: &str, case: &Case, side: &SideSql) -> std::result::Result<Self, String> {
        let mut db = Scratch::create(url, case).await?;
        let Err(first) = db.execute(&side.sources, case).await else {
            return Ok(db);
        };
        db.drop().await;
        let mut db = Scratch::create(url, case).await?;
        match db.execute(&ordered_sources(case, side), case).await {
            Ok(()) => Ok(db),
            Err(second) => {
                db.drop().await;
                Err(format!("{first} (and as ordered SQL: {second})"))
            }
        }
    }

    async fn create(url: &str, case: &Case) -> std::result::Result<Self, String> {
        match case.dialect {
            Dialect::Postgres => {
                let server =
                    sqlx::postgres::PgConnectOptions::from_str(url).map_err(|e| e.to_string())?;
                let name = scratch_name();
                let mut admin = server.connect().await.map_err(|e| e.to_string())?;
                let created = sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut admin)
                    .await;
                let _ = admin.close().await;
                created.map_err(|e| format!("creating database {name}: {}", server_message(&e)))?;
                let conn = server
                    .clone()
                    .database(&name)
                    .connect()
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Scratch::Postgres {
                    server,
                    name,
                    conn: Some(conn),
                })
            }
            Dialect::Mysql => {
                // The mysql client's session, as the inspector and apply have it.
                let server = sqlx::mysql::MySqlConnectOptions::from_str(url)
                    .map_err(|e| e.to_string())?
                    .pipes_as_concat(false)
                    .timezone(None);
                let name = normalize::mysql_database(case).map_or_else(scratch_name, str::to_owned);
                let mut admin = server.connect().await.map_err(|e| e.to_string())?;
                let quoted = format!("`{}`", name.replace('`', "``"));
                let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {quoted}")))
                    .execute(&mut admin)
                    .await;
                let created = sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {quoted}")))
                    .execute(&mut admin)
                    .await;
                let _ = admin.close().await;
                created.map_err(|e| format!("creating database {name}: {}", server_message(&e)))?;
                let conn = server
                    .clone()
                    .database(&name)
                    .connect()
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Scratch::Mysql {
                    server,
                    name,
                    conn: Some(conn),
                })
            }
            Dialect::Sqlite => {
                let conn = sqlx::SqliteConnection::connect("sqlite::memory:")
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Scratch::Sqlite { conn: Some(conn) })
            }
        }
    }

    /// Runs the sources statement by statement. On MySQL the prelude (which creates and
    /// selects the case's database) is left out: the connection is in it already.
    async fn execute(
        &mut self,
        sources: &[Source],
        case: &Case,
    ) -> std::result::Result<(), String> {
        let sources: Vec<Source> = sources
            .iter()
            .filter(|s| !(case.dialect == Dialect::Mysql && s.name == "prelude.sql"))
            .cloned()
            .collect();
        for sql in statements(&sources, case.dialect)? {
            let result = match self {
                Scratch::Postgres { conn: Some(c), .. } => {
                    sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                        .execute(c)
                        .await
                        .map(drop)
                }
                Scratch::Mysql { conn: Some(c), .. } => sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                    .execute(c)
                    .await
                    .map(drop),
                Scratch::Sqlite { conn: Some(c) } => sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                    .execute(c)
                    .await
                    .map(drop),
                _ => return Err("the database is closed".to_owned()),
            };
            result.map_err(|e| {
                format!(
                    "{}: {}",
                    corpus::first_line(&sql),
                    corpus::first_line(&server_message(&e))
                )
            })?;
        }
        // Dumps set session state (pg_dump empties the search path): plans run later on
        // this connection must find the session a new connection of the case gets, which
        // is the defaults and the prelude's own settings.
        if let Scratch::Postgres { conn: Some(c), .. } = self {
            let prelude: Vec<Source> = sources
                .iter()
                .filter(|s| s.name == "prelude.sql")
                .cloned()
                .collect();
            let mut session = vec!["RESET ALL".to_owned()];
            session.extend(
                statements(&prelude, case.dialect)?
                    .into_iter()
                    .filter(|sql| sql.trim_start().to_ascii_uppercase().starts_with("SET ")),
            );
            for sql in session {
                sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                    .execute(&mut *c)
                    .await
                    .map_err(|e| format!("{sql}: {}", server_message(&e)))?;
            }
        }
        Ok(())
    }

    async fn inspect(&mut self) -> std::result::Result<Realm, String> {
        let options = InspectOptions::default();
        let realm = match self {
            Scratch::Postgres { conn: Some(c), .. } => live::postgres::inspect(c, &options).await,
            Scratch::Mysql { conn: Some(c), .. } => live::mysql::inspect(c, &options).await,
            Scratch::Sqlite { conn: Some(c) } => live::sqlite::inspect(c, &options).await,
            _ => return Err("the database is closed".to_owned()),
        };
        realm.map_err(|e| e.to_string())
    }

    async fn apply(&mut self, plan: &Plan) -> std::result::Result<(), String> {
        // The harness judges the plan, not the user's caution.
        let options = ApplyOptions::new().allow_destructive(true);
        let report = match self {
            Scratch::Postgres { conn: Some(c), .. } => {
                apply::postgres::apply(c, plan, &options).await
            }
            Scratch::Mysql { conn: Some(c), .. } => apply::mysql::apply(c, plan, &options).await,
            Scratch::Sqlite { conn: Some(c) } => apply::sqlite::apply(c, plan, &options).await,
            _ => return Err("the database is closed".to_owned()),
        };
        report
            .map(drop)
            .map_err(|e| corpus::first_line(&e.to_string()).to_owned())
    }

    /// Closes and drops the database; failures are logged, not fatal to the run.
    async fn drop(&mut self) {
        match self {
            Scratch::Postgres { server, name, conn } => {
                if let Some(c) = conn.take() {
                    let _ = c.close().await;
                }
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                if let Ok(mut admin) = server.connect().await {
                    if let Err(e) = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut admin).await {
                        eprintln!("warning: dropping database {name}: {e}");
                    }
                    let _ = admin.close().await;
                }
            }
            Scratch::Mysql { server, name, conn } => {
                if let Some(c) = conn.take() {
                    let _ = c.close().await;
                }
                let sql = format!("DROP DATABASE IF EXISTS `{}`", name.replace('`', "``"));
                if let Ok(mut admin) = server.connect().await {
                    if let Err(e) = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut admin).await {
                        eprintln!("warning: dropping database {name}: {e}");
                    }
                    let _ = admin.close().await;
                }
            }
            Scratch::Sqlite { conn } => {
                if let Some(c) = conn.take() {
                    let _ = c.close().await;
                }
            }
        }
    }
}

fn failed(side: Side, message: String, reached: bool) -> Migrated {
    Migrated {
        outcome: fail(side, message),
        reached,
    }
}

fn fail(side: Side, message: String) -> Outcome {
    Outcome::Fail(vec![Failure { side, message }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_settings_skip_with_their_names() {
        let case = Case {
            id: "t".into(),
            dialect: Dialect::Postgres,
            current: String::new(),
            desired: String::new(),
            caveats: vec!["enable_drop_false".into()],
            flavor: None,
            user: None,
            min_version: None,
            max_version: None,
            source: "sqldef".into(),
            database: None,
            expects_error: false,
        };
        let server = Server {
            dialect: Dialect::Postgres,
            flavor: "postgres",
            version: "15.19".into(),
            extensions: Default::default(),
        };
        assert_eq!(
            skip_reason(&case, &server).as_deref(),
            Some("enable_drop_false: a sqldef setting with no equivalent here yet")
        );
        let counted = Case {
            caveats: vec!["rename_annotation".into(), "non_default_user".into()],
            ..case
        };
        assert_eq!(skip_reason(&counted, &server), None);
    }

    #[test]
    fn statements_leave_client_commands_out() -> Result<()> {
        let sources = [Source::new(
            "x.sql",
            "DELIMITER //\nCREATE TABLE a (id int)//\nDELIMITER ;\nCREATE TABLE b (id int);",
        )];
        let got = statements(&sources, Dialect::Mysql).map_err(crate::error::Error::new)?;
        assert_eq!(got.len(), 2, "{got:?}");
        Ok(())
    }
}
