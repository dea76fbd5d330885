//! The facade's declarative apply and drift against real databases: SQLite in memory
//! always, PostgreSQL when `SEXTANT_TEST_POSTGRES_URL` is set (required with
//! `SEXTANT_REQUIRE_LIVE=1`). Each PostgreSQL test works in a database of its own.
#![allow(clippy::print_stderr, clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{server, unique_name, with_database};
use sextant::lint::Severity;
use sextant::model::{Dialect, Realm};
use sextant::plan::apply::ApplyError;
use sextant::{Error, Policy, PolicyCheck, assert_schema_eq};
use sqlx::{AssertSqlSafe, Connection as _};

fn load(sql: &str, dialect: Dialect) -> Realm {
    sextant::load_sql(sql, dialect).unwrap_or_else(|e| panic!("{e}"))
}

async fn sqlite() -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect("sqlite::memory:")
        .await
        .expect("an in-memory database")
}

async fn exec<'e, E: sqlx::Executor<'e>>(executor: E, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(executor)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

const USERS: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));";

#[tokio::test]
async fn sqlite_apply_reaches_the_desired_schema_and_then_has_nothing_to_do() {
    let pool = sqlite().await;
    let desired = load(USERS, Dialect::Sqlite);
    let applied = sextant::apply(&pool, &desired, &Policy::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(applied.plan.statements.len(), 2);
    assert_eq!(applied.report.map(|r| r.executed), Some(2));
    assert_schema_eq!(sextant::inspect_db(&pool).await.unwrap(), desired);
    let again = sextant::apply(&pool, &desired, &Policy::new())
        .await
        .unwrap();
    assert!(again.plan.is_empty() && again.report.is_none());
}

#[tokio::test]
async fn sqlite_drops_are_refused_unless_allowed_and_then_only_when_empty() {
    let pool = sqlite().await;
    sextant::apply(&pool, &load(USERS, Dialect::Sqlite), &Policy::new())
        .await
        .unwrap();
    exec(
        &pool,
        "INSERT INTO users VALUES (1, 'a@example.com'); INSERT INTO sessions VALUES (1, 1);",
    )
    .await;
    let without_sessions = load(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
        Dialect::Sqlite,
    );

    let refused = sextant::apply(&pool, &without_sessions, &Policy::new()).await;
    assert!(
        matches!(refused, Err(Error::Apply(ApplyError::Destructive { .. }))),
        "{refused:?}"
    );

    let only_if_empty = Policy::new().allow_destructive(true).require_empty(true);
    let refused = sextant::apply(&pool, &without_sessions, &only_if_empty).await;
    let Err(Error::Apply(ApplyError::CheckFailed(failure))) = refused else {
        panic!("expected the emptiness check to fail: {refused:?}");
    };
    assert_eq!(
        failure.check.description,
        "table sessions is empty before it is dropped"
    );
    assert_eq!(failure.answer, "false");
    let live = sextant::inspect_db(&pool).await.unwrap();
    assert!(
        live.schemas["main"].tables.contains_key("sessions"),
        "nothing was dropped"
    );

    exec(&pool, "DELETE FROM sessions").await;
    sextant::apply(&pool, &without_sessions, &only_if_empty)
        .await
        .unwrap_or_else(|e| panic!("empty now: {e}"));
    assert_schema_eq!(sextant::inspect_db(&pool).await.unwrap(), without_sessions);
}

#[tokio::test]
async fn sqlite_a_dropped_column_must_hold_no_value() {
    let pool = sqlite().await;
    let two_columns = load(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);",
        Dialect::Sqlite,
    );
    sextant::apply(&pool, &two_columns, &Policy::new())
        .await
        .unwrap();
    exec(&pool, "INSERT INTO t VALUES (1, NULL), (2, 'kept')").await;
    let one_column = load("CREATE TABLE t (id INTEGER PRIMARY KEY);", Dialect::Sqlite);
    let policy = Policy::new().allow_destructive(true).require_empty(true);
    let refused = sextant::apply(&pool, &one_column, &policy).await;
    let Err(Error::Apply(ApplyError::CheckFailed(failure))) = refused else {
        panic!("expected the column check to fail: {refused:?}");
    };
    assert_eq!(
        failure.check.sql,
        "SELECT NOT EXISTS (SELECT 1 FROM t WHERE note IS NOT NULL)"
    );
    exec(&pool, "UPDATE t SET note = NULL").await;
    sextant::apply(&pool, &one_column, &policy).await.unwrap();
    assert_schema_eq!(sextant::inspect_db(&pool).await.unwrap(), one_column);
}

#[tokio::test]
async fn sqlite_a_policy_check_guards_the_object_it_names_and_skips_otherwise() {
    let pool = sqlite().await;
    sextant::apply(&pool, &load(USERS, Dialect::Sqlite), &Policy::new())
        .await
        .unwrap();
    let never = |object: &str| PolicyCheck::before(object, "never holds", "SELECT 1 = 0");
    let with_name = load(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
         CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));",
        Dialect::Sqlite,
    );
    let guarded = Policy::new().check(never("table users"));
    let refused = sextant::apply(&pool, &with_name, &guarded).await;
    assert!(
        matches!(&refused, Err(Error::Apply(ApplyError::CheckFailed(f))) if f.check.description == "never holds"),
        "{refused:?}"
    );
    let elsewhere = Policy::new().check(never("table sessions"));
    sextant::apply(&pool, &with_name, &elsewhere)
        .await
        .unwrap_or_else(|e| {
            panic!("no statement touches sessions, so its check does not run: {e}")
        });
}

#[tokio::test]
async fn sqlite_the_lint_gate_blocks_before_anything_runs() {
    let pool = sqlite().await;
    sextant::apply(&pool, &load(USERS, Dialect::Sqlite), &Policy::new())
        .await
        .unwrap();
    let without_sessions = load(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
        Dialect::Sqlite,
    );
    let gated = Policy::new()
        .allow_destructive(true)
        .block_at(Severity::Warning);
    let blocked = sextant::apply(&pool, &without_sessions, &gated).await;
    let Err(Error::Blocked(diagnostics)) = &blocked else {
        panic!("expected the linter to block: {blocked:?}");
    };
    assert!(
        diagnostics.iter().any(|d| d.name == "planned-data-loss"),
        "{diagnostics:#?}"
    );
    assert!(
        blocked
            .unwrap_err()
            .to_string()
            .starts_with("refusing to apply: the linter found"),
    );
    let live = sextant::inspect_db(&pool).await.unwrap();
    assert!(live.schemas["main"].tables.contains_key("sessions"));
}

#[tokio::test]
async fn sqlite_drift_names_each_difference() {
    let pool = sqlite().await;
    let expected = load(USERS, Dialect::Sqlite);
    sextant::apply(&pool, &expected, &Policy::new())
        .await
        .unwrap();
    let none = sextant::drift(&pool, &expected, &Policy::new())
        .await
        .unwrap();
    assert!(none.is_empty() && none.plan.is_empty(), "{none}");
    exec(
        &pool,
        "ALTER TABLE users ADD COLUMN nickname TEXT; CREATE INDEX users_email ON users (email);",
    )
    .await;
    let drift = sextant::drift(&pool, &expected, &Policy::new())
        .await
        .unwrap();
    insta::assert_snapshot!(drift.to_string());
    assert!(!drift.plan.is_empty());
}

#[tokio::test]
async fn a_desired_schema_of_another_dialect_is_refused() {
    let pool = sqlite().await;
    let desired = load("CREATE TABLE t (id int);", Dialect::Postgres);
    let refused = sextant::apply(&pool, &desired, &Policy::new()).await;
    assert_eq!(
        refused.unwrap_err().to_string(),
        "the database is sqlite, but the desired schema is postgres"
    );
}

/// A database of the test's own, dropped by [`PgScratch::drop`].
struct PgScratch {
    server: String,
    name: String,
}

impl PgScratch {
    async fn create(server: &str, test: &str) -> (Self, sqlx::PgPool) {
        let name = unique_name(&format!("facade_{test}"));
        let mut admin = sqlx::PgConnection::connect(server)
            .await
            .expect("connecting");
        exec(&mut admin, &format!("CREATE DATABASE {name}")).await;
        admin.close().await.ok();
        let url = with_database(server, &name);
        let pool = sqlx::PgPool::connect(&url)
            .await
            .expect("the scratch database");
        (
            PgScratch {
                server: server.to_owned(),
                name,
            },
            pool,
        )
    }

    async fn drop(self, pool: sqlx::PgPool) {
        pool.close().await;
        let mut admin = sqlx::PgConnection::connect(&self.server)
            .await
            .expect("connecting");
        exec(
            &mut admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await;
        admin.close().await.ok();
    }
}

#[tokio::test]
async fn postgres_apply_checks_and_drift() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    let (scratch, pool) = PgScratch::create(&server, "apply").await;
    let v1 = load(
        "CREATE TABLE public.accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
         CREATE TABLE public.audit (id bigint, note text);
         CREATE VIEW public.emails AS SELECT email FROM public.accounts;",
        Dialect::Postgres,
    );
    sextant::apply(&pool, &v1, &Policy::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_schema_eq!(sextant::inspect_db(&pool).await.unwrap(), v1);

    exec(&pool, "INSERT INTO public.audit VALUES (1, 'x')").await;
    let v2 = load(
        "CREATE TABLE public.accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name text);
         CREATE VIEW public.emails AS SELECT email FROM public.accounts;",
        Dialect::Postgres,
    );
    let policy = Policy::new().allow_destructive(true).require_empty(true);
    let refused = sextant::apply(&pool, &v2, &policy).await;
    assert!(
        matches!(&refused, Err(Error::Apply(ApplyError::CheckFailed(f))) if f.check.description == "table public.audit is empty before it is dropped"),
        "{refused:?}"
    );
    let live = sextant::inspect_db(&pool).await.unwrap();
    assert!(
        live.schemas["public"].tables["accounts"]
            .column("name")
            .is_none(),
        "the column added in the same transaction was rolled back"
    );

    let drift = sextant::drift(&pool, &v2, &Policy::new()).await.unwrap();
    insta::assert_snapshot!(drift.to_string());

    exec(&pool, "TRUNCATE public.audit").await;
    sextant::apply(&pool, &v2, &policy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        sextant::drift(&pool, &v2, &Policy::new())
            .await
            .unwrap()
            .is_empty()
    );
    scratch.drop(pool).await;
}
