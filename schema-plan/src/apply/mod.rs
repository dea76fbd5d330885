//! Applying a [`Plan`] to a live database, resumably.
//!
//! One module per database, each behind the cargo feature of the same name
//! (`postgres`, `mysql`, `sqlite`); each offers `apply(conn, &Plan, &ApplyOptions)`,
//! where `conn` is anything sqlx can acquire a connection from (`&Pool`,
//! `&mut Connection`). [`apply_url`] connects to a URL and picks the module from its
//! scheme.
//!
//! What every module does, in order:
//!
//! 1. **Refuse** the whole plan, before anything runs, when it holds destructive
//!    statements and [`ApplyOptions::allow_destructive`] is off; the error lists each
//!    one with its hazard.
//! 2. **Resume.** Progress is kept in the database itself, in the table
//!    [`PROGRESS_TABLE`], keyed by a hash of the plan's statements ([`plan_hash`]). A
//!    rerun of the same plan skips the statements an earlier run finished.
//! 3. **Run.** PostgreSQL and SQLite run each transaction group ([`Plan::groups`]) in
//!    one transaction and record the progress in that same transaction, so a group and
//!    its record commit together or not at all: after a failure or a crash, a rerun
//!    starts at the first group that did not commit. A non-transactional statement
//!    (`CREATE INDEX CONCURRENTLY`) runs on its own and is recorded right after it.
//!    MySQL commits DDL implicitly, so it runs statement by statement and records each
//!    one after it ran.
//! 4. **Finish.** When the last statement is done, the plan's progress row is deleted
//!    (in the last group's transaction where there is one), so running the same plan
//!    again later runs it again rather than skipping everything.
//!
//! What the record cannot promise: on MySQL, and for non-transactional statements on
//! PostgreSQL, a crash between a statement and its record leaves the statement done but
//! not recorded, and the rerun runs it once more (where it usually fails because the
//! object exists; drop it or finish by hand). Two runs of one plan at the same time are
//! not guarded against.
//!
//! The progress table lives in the schema [`ApplyOptions::progress_schema`] names:
//! PostgreSQL's `public` and MySQL's current database by default; SQLite keeps it in
//! the database file itself (`main`). Whatever its schema, the live inspectors leave a
//! table of that name out, so it never shows up in a diff or a plan.
//!
//! Progress goes to [`ApplyOptions::on_progress`] and to `tracing` events (target
//! `schema_plan::apply`), one as each statement starts and one as it is skipped.
//! Messages and events never hold a password: URLs are shown through
//! [`schema_inspect::live::redact_url`].

#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use crate::plan::{Plan, PlannedStatement};
use schema_inspect::live::{redact_url, url_dialect};
use schema_model::Dialect;
use std::fmt;
use std::sync::Arc;

/// The table apply records its progress in (see the module documentation).
pub const PROGRESS_TABLE: &str = schema_inspect::live::APPLY_PROGRESS_TABLE;

/// What the dialect modules' `apply` returns: a boxed future that can be spawned.
pub type ApplyFuture<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<ApplyReport, ApplyError>> + Send + 'a>>;

/// A progress callback: called for every statement as it is skipped or started.
pub type ProgressFn = Arc<dyn Fn(&ProgressEvent<'_>) + Send + Sync>;

/// How to apply.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ApplyOptions {
    /// Run statements that can lose data. Off: a plan holding any is refused whole,
    /// before anything runs.
    pub allow_destructive: bool,
    /// Where the progress table lives: a PostgreSQL schema (default `public`) or a
    /// MySQL database (default: the connection's current one), created when missing.
    /// Ignored for SQLite, which keeps the table in the database file.
    pub progress_schema: Option<String>,
    /// Called for every statement as it is skipped (done by an earlier run) or started.
    pub on_progress: Option<ProgressFn>,
    /// Pre-migration checks: SQL assertions run right before the statement they guard,
    /// in its transaction where there is one, so that what they saw is what the
    /// statement acts on.
    pub checks: Vec<Check>,
}

/// A pre-migration check: a query whose first column of its first row must be true
/// (PostgreSQL `boolean`; MySQL and SQLite: a non-zero integer), run right before the
/// statement it guards. A false, `NULL` or missing answer stops the run, and the
/// statement's transaction group is rolled back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What must hold, for the error message (`table public.t is empty`).
    pub description: String,
    /// The assertion, such as `SELECT NOT EXISTS (SELECT 1 FROM t)`.
    pub sql: String,
    /// The index in the plan of the statement it guards.
    pub before: usize,
}

impl ApplyOptions {
    /// The defaults: destructive statements refused, the progress table in its
    /// default place, no callback.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Self::allow_destructive`].
    pub fn allow_destructive(mut self, allow: bool) -> Self {
        self.allow_destructive = allow;
        self
    }

    /// Sets [`Self::progress_schema`].
    pub fn progress_schema(mut self, schema: impl Into<String>) -> Self {
        self.progress_schema = Some(schema.into());
        self
    }

    /// Adds a pre-migration [`Check`].
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// Sets [`Self::on_progress`].
    pub fn on_progress(mut self, f: impl Fn(&ProgressEvent<'_>) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }
}

impl fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("allow_destructive", &self.allow_destructive)
            .field("checks", &self.checks)
            .field("progress_schema", &self.progress_schema)
            .field(
                "on_progress",
                &self.on_progress.as_ref().map(|_| "<callback>"),
            )
            .finish()
    }
}

/// What happens to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// An earlier run of the same plan finished it; it does not run again.
    Skipped,
    /// It is about to run.
    Started,
}

/// One statement's progress, as handed to [`ApplyOptions::on_progress`].
#[derive(Debug, Clone, Copy)]
pub struct ProgressEvent<'a> {
    /// The statement's position in the plan, from 0.
    pub index: usize,
    /// How many statements the plan has.
    pub total: usize,
    /// The statement.
    pub statement: &'a PlannedStatement,
    /// What happens to it.
    pub step: Step,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplyReport {
    /// How many statements the plan has.
    pub total: usize,
    /// How many statements an earlier run had finished, and this one skipped.
    pub resumed: usize,
    /// How many statements this run ran and committed.
    pub executed: usize,
    /// The plan's key in the progress table ([`plan_hash`]).
    pub plan_hash: String,
}

impl ApplyReport {
    /// How many statements are done, by this run or earlier ones.
    pub fn completed(&self) -> usize {
        self.resumed + self.executed
    }
}

/// A destructive statement that was not allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedStatement {
    /// Its position in the plan, from 0.
    pub index: usize,
    /// The statement.
    pub sql: String,
    /// Why it can lose data.
    pub hazard: Option<String>,
}

/// A statement the database rejected, and how far the run got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFailure {
    /// Its position in the plan, from 0.
    pub index: usize,
    /// The statement.
    pub sql: String,
    /// The objects it touches.
    pub objects: Vec<String>,
    /// The database's own message.
    pub message: String,
    /// The database's error code (SQLSTATE, MySQL error number), when it gave one.
    pub code: Option<String>,
    /// How many statements of the failing statement's transaction had run before it and
    /// were rolled back with it (always 0 on MySQL, which commits DDL as it goes).
    pub rolled_back: usize,
    /// What was done: the statements before the failing group stay committed, and a
    /// rerun of the same plan resumes after them.
    pub report: ApplyReport,
}

/// Why a plan could not be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The plan can lose data and that was not allowed; nothing ran.
    #[error("{}", destructive_message(.statements))]
    Destructive {
        /// The destructive statements.
        statements: Vec<RefusedStatement>,
    },
    /// The plan is for another dialect than the database.
    #[error("the plan is for {plan}, the database is {database}")]
    DialectMismatch {
        /// The plan's dialect.
        plan: Dialect,
        /// The database's.
        database: Dialect,
    },
    /// The URL names no database this build can reach.
    #[error("{url}: {message}")]
    Url {
        /// The URL without its password.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// Connecting failed.
    #[error("connecting to {target}: {message}")]
    Connect {
        /// The URL without its password.
        target: String,
        /// The driver's message.
        message: String,
    },
    /// Reading or writing the progress table failed.
    #[error("progress table {table}: {message}")]
    Progress {
        /// The table.
        table: String,
        /// The database's message.
        message: String,
    },
    /// A pre-migration check did not hold; the statement it guards did not run, and
    /// its transaction group was rolled back.
    #[error("{}", check_message(.0))]
    CheckFailed(Box<CheckFailure>),
    /// A statement failed.
    #[error("{}", failure_message(.0))]
    Statement(Box<StatementFailure>),
}

/// A pre-migration check that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    /// The check.
    pub check: Check,
    /// The statement it guards.
    pub statement: String,
    /// Why it failed: `false`, `NULL`, no row, or the database's error.
    pub answer: String,
    /// What was done before it, as for a failed statement.
    pub report: ApplyReport,
}

fn check_message(failure: &CheckFailure) -> String {
    let report = &failure.report;
    format!(
        "pre-migration check failed before statement {} of {}: {}\n  check: {}\n  answer: {}\n  statement: {}\n  done: {} of {} statements; the statement's transaction group was rolled back",
        failure.check.before + 1,
        report.total,
        failure.check.description,
        failure.check.sql,
        failure.answer,
        failure.statement,
        report.completed(),
        report.total,
    )
}

/// The checks that guard the statement at `index`.
pub(crate) fn checks_before(options: &ApplyOptions, index: usize) -> impl Iterator<Item = &Check> {
    options
        .checks
        .iter()
        .filter(move |check| check.before == index)
}

/// The error for a check that answered something other than true.
pub(crate) fn check_failure(
    plan: &Plan,
    check: &Check,
    answer: String,
    report: &ApplyReport,
) -> ApplyError {
    ApplyError::CheckFailed(Box::new(CheckFailure {
        check: check.clone(),
        statement: plan
            .statements
            .get(check.before)
            .map(|s| s.sql.clone())
            .unwrap_or_default(),
        answer,
        report: report.clone(),
    }))
}

/// Checks naming statements the plan does not have are a caller's mistake, reported
/// before anything runs rather than silently never checked.
pub(crate) fn check_targets(plan: &Plan, options: &ApplyOptions) -> Result<(), ApplyError> {
    match options
        .checks
        .iter()
        .find(|check| check.before >= plan.statements.len())
    {
        Some(check) => Err(ApplyError::CheckFailed(Box::new(CheckFailure {
            check: check.clone(),
            statement: String::new(),
            answer: format!(
                "the check guards statement {}, but the plan has {}",
                check.before + 1,
                plan.statements.len()
            ),
            report: ApplyReport {
                total: plan.statements.len(),
                ..ApplyReport::default()
            },
        }))),
        None => Ok(()),
    }
}

fn destructive_message(statements: &[RefusedStatement]) -> String {
    let count = statements.len();
    let mut out = format!(
        "refusing to apply: {count} statement{} can lose data, and destructive changes are not allowed",
        if count == 1 { "" } else { "s" }
    );
    for statement in statements {
        out.push_str(&format!(
            "\n  statement {}: {}",
            statement.index + 1,
            statement.sql
        ));
        if let Some(hazard) = &statement.hazard {
            out.push_str(&format!("\n    hazard: {hazard}"));
        }
    }
    out
}

fn failure_message(failure: &StatementFailure) -> String {
    let report = &failure.report;
    let mut out = format!(
        "statement {} of {} failed: {}",
        failure.index + 1,
        report.total,
        failure.message
    );
    if let Some(code) = &failure.code {
        out.push_str(&format!(" (code {code})"));
    }
    out.push_str(&format!("\n  statement: {}", failure.sql));
    if failure.rolled_back > 0 {
        out.push_str(&format!(
            "\n  rolled back with it: the {} statement{} before it in its transaction",
            failure.rolled_back,
            if failure.rolled_back == 1 { "" } else { "s" }
        ));
    }
    out.push_str(&format!(
        "\n  done: {} of {} statements ({} by earlier runs); running the same plan again resumes at statement {}",
        report.completed(),
        report.total,
        report.resumed,
        report.completed() + 1
    ));
    out
}

/// The key of a plan's progress row: a 128-bit FNV-1a hash, in hex, of the dialect and
/// every statement's text and transactionality (which decide the groups, and so where a
/// rerun may resume). Stable across builds and platforms, unlike `std`'s hasher.
pub fn plan_hash(plan: &Plan) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u128::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    feed(plan.dialect.as_str().as_bytes());
    for statement in &plan.statements {
        feed(&[0, u8::from(statement.transactional)]);
        feed(statement.sql.as_bytes());
    }
    format!("{hash:032x}")
}

/// Refuses a plan with destructive statements unless they are allowed.
pub(crate) fn refuse_destructive(plan: &Plan, options: &ApplyOptions) -> Result<(), ApplyError> {
    if options.allow_destructive {
        return Ok(());
    }
    let statements: Vec<RefusedStatement> = plan
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.destructive)
        .map(|(index, s)| RefusedStatement {
            index,
            sql: s.sql.clone(),
            hazard: s.hazard.clone(),
        })
        .collect();
    if statements.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::Destructive { statements })
    }
}

pub(crate) fn check_dialect(plan: &Plan, database: Dialect) -> Result<(), ApplyError> {
    if plan.dialect == database {
        Ok(())
    } else {
        Err(ApplyError::DialectMismatch {
            plan: plan.dialect,
            database,
        })
    }
}

/// Tells the callback and the log about one statement.
pub(crate) fn notify(options: &ApplyOptions, plan: &Plan, index: usize, step: Step) {
    let Some(statement) = plan.statements.get(index) else {
        return;
    };
    let total = plan.statements.len();
    let object = statement.objects.join(", ");
    match step {
        Step::Skipped => {
            tracing::info!(statement = index + 1, total, %object, "skipped: done by an earlier run");
        }
        Step::Started => tracing::info!(statement = index + 1, total, %object, "running"),
    }
    if let Some(callback) = &options.on_progress {
        callback(&ProgressEvent {
            index,
            total,
            statement,
            step,
        });
    }
}

/// The database's message and code for a failed statement.
#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub(crate) fn database_error(error: &sqlx::Error) -> (String, Option<String>) {
    match error.as_database_error() {
        Some(db) => (db.message().to_owned(), db.code().map(|c| c.into_owned())),
        None => (error.to_string(), None),
    }
}

/// A driver message with the URL's password taken out, should the driver quote it.
pub(crate) fn scrub(message: &str, url: &str) -> String {
    let redacted = redact_url(url);
    let mut out = message.replace(url, &redacted);
    if let Some(password) = password(url)
        && !password.is_empty()
    {
        out = out.replace(password, "***");
    }
    out
}

fn password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, p)| p)
}

/// A failed statement, as the error the caller sees.
pub(crate) fn statement_failure(
    plan: &Plan,
    index: usize,
    error: &sqlx::Error,
    rolled_back: usize,
    report: &ApplyReport,
) -> ApplyError {
    let (message, code) = database_error(error);
    let statement = plan.statements.get(index);
    tracing::warn!(statement = index + 1, %message, "statement failed");
    ApplyError::Statement(Box::new(StatementFailure {
        index,
        sql: statement.map(|s| s.sql.clone()).unwrap_or_default(),
        objects: statement.map(|s| s.objects.clone()).unwrap_or_default(),
        message,
        code,
        rolled_back,
        report: report.clone(),
    }))
}

/// Where a rerun starts: the statements done, checked against the plan.
pub(crate) fn resume_point(
    table: &str,
    done: Option<(i64, i64)>,
    total: usize,
) -> Result<usize, ApplyError> {
    let Some((done, recorded_total)) = done else {
        return Ok(0);
    };
    let done = usize::try_from(done).ok();
    match done {
        Some(done) if usize::try_from(recorded_total).ok() == Some(total) && done <= total => {
            Ok(done)
        }
        _ => Err(ApplyError::Progress {
            table: table.to_owned(),
            message: format!(
                "the row for this plan records {recorded_total} statements, the plan has {total}"
            ),
        }),
    }
}

/// Connects to the database a URL names and applies the plan: `postgres://` or
/// `postgresql://`, `mysql://` or `mariadb://`, `sqlite:` (read-write; add
/// `?mode=rwc` to create a missing file).
pub async fn apply_url(
    url: &str,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    let dialect = url_dialect(url).map_err(|e| ApplyError::Url {
        url: redact_url(url),
        message: e.to_string(),
    })?;
    check_dialect(plan, dialect)?;
    // Refused before connecting: a refusal must not depend on the server being up.
    refuse_destructive(plan, options)?;
    check_targets(plan, options)?;
    match dialect {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::apply_url(url, plan, options).await,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::apply_url(url, plan, options).await,
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::apply_url(url, plan, options).await,
        #[allow(unreachable_patterns)]
        dialect => Err(ApplyError::Url {
            url: redact_url(url),
            message: format!(
                "this build cannot apply to {} (cargo feature `{}` of schema-plan)",
                dialect.as_str(),
                dialect.as_str()
            ),
        }),
    }
}

/// A connect error, without the password.
pub(crate) fn connect_error(url: &str, error: &sqlx::Error) -> ApplyError {
    ApplyError::Connect {
        target: redact_url(url),
        message: scrub(&error.to_string(), url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers spawn apply on multi-threaded runtimes, so its futures must be `Send`
    /// for any lifetime of their arguments: this does not compile otherwise.
    #[allow(dead_code)]
    async fn futures_can_be_spawned(
        pg: &mut sqlx::PgConnection,
        my: &mut sqlx::MySqlConnection,
        lite: &mut sqlx::SqliteConnection,
    ) {
        fn is_send<T: Send>(_: &T) {}
        let (plan, options) = (plan(vec![]), ApplyOptions::new());
        let f = apply_url("sqlite::memory:", &plan, &options);
        is_send(&f);
        let f = postgres::apply(pg, &plan, &options);
        is_send(&f);
        let f = mysql::apply(my, &plan, &options);
        is_send(&f);
        let f = sqlite::apply(lite, &plan, &options);
        is_send(&f);
        drop(tokio::spawn(async {
            let (plan, options) = (plan_empty(), ApplyOptions::new());
            apply_url("sqlite::memory:", &plan, &options).await
        }));
    }

    fn plan_empty() -> Plan {
        plan(vec![])
    }

    fn statement(sql: &str, destructive: bool) -> PlannedStatement {
        PlannedStatement {
            sql: sql.to_owned(),
            reverse: None,
            transactional: true,
            objects: vec!["table public.t".to_owned()],
            destructive,
            hazard: destructive.then(|| "drops table public.t and its rows".to_owned()),
        }
    }

    fn plan(statements: Vec<PlannedStatement>) -> Plan {
        Plan {
            dialect: Dialect::Postgres,
            statements,
        }
    }

    #[test]
    fn destructive_statements_are_refused_unless_allowed() {
        let p = plan(vec![
            statement("CREATE TABLE public.u (id int);", false),
            statement("DROP TABLE public.t;", true),
        ]);
        let error = refuse_destructive(&p, &ApplyOptions::new());
        match &error {
            Err(ApplyError::Destructive { statements }) => {
                assert_eq!(statements.len(), 1);
                assert_eq!(statements[0].index, 1);
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let message = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            message,
            "refusing to apply: 1 statement can lose data, and destructive changes are not allowed\n  statement 2: DROP TABLE public.t;\n    hazard: drops table public.t and its rows"
        );
        assert!(refuse_destructive(&p, &ApplyOptions::new().allow_destructive(true)).is_ok());
    }

    #[test]
    fn the_hash_follows_the_statements_and_their_grouping() {
        let a = plan(vec![statement("CREATE TABLE a ();", false)]);
        let mut b = a.clone();
        assert_eq!(plan_hash(&a), plan_hash(&b));
        assert_eq!(plan_hash(&a).len(), 32);
        b.statements[0].transactional = false;
        assert_ne!(plan_hash(&a), plan_hash(&b));
        let c = plan(vec![statement("CREATE TABLE b ();", false)]);
        assert_ne!(plan_hash(&a), plan_hash(&c));
        // A fixed value (FNV-1a 128 of "postgres", computed independently): the key
        // must not change between builds, or reruns would not find their progress.
        assert_eq!(plan_hash(&plan(vec![])), "fe4ae28cde659ba7a74dd25b0b82f5c6");
    }

    #[test]
    fn passwords_are_scrubbed_from_driver_messages() {
        let url = "postgres://bob:s3cret@db:5432/app";
        assert_eq!(
            scrub("error with postgres://bob:s3cret@db:5432/app: s3cret", url),
            "error with postgres://bob:***@db:5432/app: ***"
        );
        assert_eq!(scrub("plain", "sqlite::memory:"), "plain");
    }

    #[test]
    fn a_resume_point_must_fit_the_plan() {
        assert_eq!(resume_point("t", None, 3).ok(), Some(0));
        assert_eq!(resume_point("t", Some((2, 3)), 3).ok(), Some(2));
        assert!(resume_point("t", Some((2, 4)), 3).is_err());
        assert!(resume_point("t", Some((5, 3)), 3).is_err());
    }
}
