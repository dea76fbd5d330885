//! `apply` against real databases: plans from an empty database to a small schema,
//! a failing statement rolling back its group, reruns resuming after a failure, and
//! destructive statements refused.
//!
//! SQLite runs in memory and always. PostgreSQL and MySQL need
//! `SEXTANT_TEST_POSTGRES_URL` / `SEXTANT_TEST_MYSQL_URL`; without them each test says
//! why and passes, unless `SEXTANT_REQUIRE_LIVE=1`. Every test works in a database of
//! its own, dropped at the end.
//!
//! Plans the planner cannot make yet (from a non-empty schema, with drops) are written
//! by hand as [`PlannedStatement`]s.

#![cfg(all(feature = "postgres", feature = "mysql", feature = "sqlite"))]
#![allow(
    clippy::print_stderr,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::unwrap_used
)]

use schema_inspect::live::{self, InspectOptions};
use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm, compare};
use schema_plan::apply::{self, ApplyError, ApplyOptions, ApplyReport, PROGRESS_TABLE, Step};
use schema_plan::{Plan, PlanOptions, PlannedStatement};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};

fn server(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but {variable} is not set"
            );
            eprintln!("skipped: {variable} is not set");
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn unique_name(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("sextant_apply_{test}_{}_{nanos}", std::process::id())
}

fn statement(sql: &str, object: &str) -> PlannedStatement {
    PlannedStatement {
        sql: sql.to_owned(),
        reverse: None,
        transactional: true,
        objects: vec![object.to_owned()],
        destructive: false,
        hazard: None,
    }
}

fn non_transactional(sql: &str, object: &str) -> PlannedStatement {
    PlannedStatement {
        transactional: false,
        ..statement(sql, object)
    }
}

fn destructive(sql: &str, object: &str) -> PlannedStatement {
    PlannedStatement {
        destructive: true,
        hazard: Some(format!("drops {object} and its rows")),
        ..statement(sql, object)
    }
}

/// The plan from an empty database to the schema the SQL describes.
fn plan_from_empty(dialect: Dialect, sql: &str) -> (Realm, Plan) {
    let desired = load_sql(sql, "desired.sql", &LoadOptions::new(dialect))
        .unwrap_or_else(|e| panic!("loading the desired schema: {e}"))
        .realm;
    let plan = schema_plan::plan(&Realm::new(dialect), &desired, &PlanOptions::default())
        .unwrap_or_else(|e| panic!("planning: {e}"));
    assert!(!plan.is_empty());
    (desired, plan)
}

/// The progress events seen, as `(index, step)`.
type Events = Arc<Mutex<Vec<(usize, Step)>>>;

/// Options that remember every progress event.
fn recording() -> (ApplyOptions, Events) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let options = ApplyOptions::new().on_progress(move |event| {
        sink.lock().unwrap().push((event.index, event.step));
    });
    (options, events)
}

fn expect_failure(result: Result<ApplyReport, ApplyError>) -> apply::StatementFailure {
    match result {
        Err(ApplyError::Statement(failure)) => *failure,
        other => panic!("expected a failed statement, got {other:?}"),
    }
}

fn table_names(realm: &Realm, schema: &str) -> Vec<String> {
    realm
        .schemas
        .get(schema)
        .map(|s| s.tables.keys().cloned().collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// PostgreSQL

const PG_SCHEMA: &str = "CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, mood mood);
CREATE TABLE books (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title text NOT NULL,
    price numeric CHECK (price >= 0)
);
CREATE INDEX books_title ON books (title);
CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
";

/// A fresh PostgreSQL database, dropped when the test is done with it.
struct PgDatabase {
    server: sqlx::postgres::PgConnectOptions,
    name: String,
}

impl PgDatabase {
    async fn create(url: &str, test: &str) -> Self {
        let server = sqlx::postgres::PgConnectOptions::from_str(url).expect("a postgres URL");
        let name = unique_name(test);
        let mut admin = server.connect().await.expect("connecting to the server");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("creating the test database");
        admin.close().await.expect("closing");
        PgDatabase { server, name }
    }

    async fn connect(&self) -> sqlx::PgConnection {
        self.server
            .clone()
            .database(&self.name)
            .connect()
            .await
            .expect("connecting to the test database")
    }

    async fn drop(self) {
        let mut admin = self.server.connect().await.expect("connecting");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("dropping the test database");
    }
}

async fn pg_exec(conn: &mut sqlx::PgConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn pg_progress_rows(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT count(*) FROM public.{PROGRESS_TABLE}"
    )))
    .fetch_one(conn)
    .await
    .expect("counting progress rows")
}

#[test]
fn postgres_applies_a_plan_from_empty() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "empty").await;
        let (desired, plan) = plan_from_empty(Dialect::Postgres, PG_SCHEMA);
        let mut conn = db.connect().await;
        let (options, events) = recording();
        let report = apply::postgres::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.executed, plan.statements.len());
        assert_eq!(report.resumed, 0);
        assert_eq!(events.lock().unwrap().len(), plan.statements.len());
        assert_eq!(
            pg_progress_rows(&mut conn).await,
            0,
            "done: the row is gone"
        );
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let differences = compare(&desired, &live);
        assert!(differences.is_empty(), "{differences:#?}");
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn postgres_a_failing_statement_rolls_back_its_group() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "rollback").await;
        let plan = Plan {
            dialect: Dialect::Postgres,
            statements: vec![
                statement("CREATE TABLE public.a (id int);", "table public.a"),
                statement(
                    "CREATE TABLE public.b (id int REFERENCES public.missing (id));",
                    "table public.b",
                ),
                statement("CREATE TABLE public.c (id int);", "table public.c"),
            ],
        };
        let mut conn = db.connect().await;
        let failure =
            expect_failure(apply::postgres::apply(&mut conn, &plan, &ApplyOptions::new()).await);
        assert_eq!(failure.index, 1);
        assert_eq!(failure.rolled_back, 1);
        assert_eq!(failure.report.completed(), 0);
        assert_eq!(failure.code.as_deref(), Some("42P01"));
        assert!(
            failure
                .message
                .contains("\"public.missing\" does not exist"),
            "{}",
            failure.message
        );
        let message = ApplyError::Statement(Box::new(failure)).to_string();
        assert!(
            message.starts_with(
                "statement 2 of 3 failed: relation \"public.missing\" does not exist (code 42P01)\n"
            ),
            "{message}"
        );
        assert!(message.contains("rolled back with it: the 1 statement before it"));
        assert!(message.contains("done: 0 of 3 statements"));
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            table_names(&live, "public").is_empty(),
            "table a was rolled back, and the progress table is not reported: {:?}",
            table_names(&live, "public")
        );
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn postgres_a_rerun_resumes_after_the_committed_groups() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "resume").await;
        let mut conn = db.connect().await;
        // An object in the way of the last group.
        pg_exec(&mut conn, "CREATE TABLE public.c (id int);").await;
        let plan = Plan {
            dialect: Dialect::Postgres,
            statements: vec![
                statement("CREATE TABLE public.a (id int);", "table public.a"),
                statement("CREATE TABLE public.b (id int);", "table public.b"),
                non_transactional(
                    "CREATE INDEX CONCURRENTLY a_id ON public.a (id);",
                    "index public.a_id",
                ),
                statement(
                    "CREATE TABLE public.c (id int, name text);",
                    "table public.c",
                ),
                statement(
                    "CREATE VIEW public.v AS SELECT id, name FROM public.c;",
                    "view public.v",
                ),
            ],
        };
        assert_eq!(plan.groups().len(), 3);
        let (options, events) = recording();
        let failure = expect_failure(apply::postgres::apply(&mut conn, &plan, &options).await);
        assert_eq!(failure.index, 3);
        assert_eq!(failure.rolled_back, 0);
        assert_eq!(failure.report.completed(), 3);
        assert_eq!(
            failure.code.as_deref(),
            Some("42P07"),
            "{}",
            failure.message
        );
        assert_eq!(pg_progress_rows(&mut conn).await, 1);
        // The bookkeeping stays out of the schema while a resume is pending.
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, "public"), ["a", "b", "c"]);

        pg_exec(&mut conn, "DROP TABLE public.c;").await;
        events.lock().unwrap().clear();
        let report = apply::postgres::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("the rerun: {e}"));
        assert_eq!((report.resumed, report.executed), (3, 2));
        assert_eq!(
            *events.lock().unwrap(),
            [
                (0, Step::Skipped),
                (1, Step::Skipped),
                (2, Step::Skipped),
                (3, Step::Started),
                (4, Step::Started)
            ]
        );
        assert_eq!(pg_progress_rows(&mut conn).await, 0);
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let public = &live.schemas["public"];
        assert_eq!(public.tables["c"].columns.len(), 2);
        assert!(public.views.contains_key("v"));
        assert!(public.tables["a"].indexes.contains_key("a_id"));
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn postgres_destructive_statements_are_refused_unless_allowed() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "destructive").await;
        let mut conn = db.connect().await;
        pg_exec(&mut conn, "CREATE TABLE public.t (id int);").await;
        let plan = Plan {
            dialect: Dialect::Postgres,
            statements: vec![
                statement("CREATE TABLE public.u (id int);", "table public.u"),
                destructive("DROP TABLE public.t;", "table public.t"),
            ],
        };
        match apply::postgres::apply(&mut conn, &plan, &ApplyOptions::new()).await {
            Err(ApplyError::Destructive { statements }) => {
                assert_eq!(statements.len(), 1);
                assert_eq!(statements[0].index, 1);
                assert_eq!(
                    statements[0].hazard.as_deref(),
                    Some("drops table public.t and its rows")
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, "public"), ["t"], "nothing ran");
        let options = ApplyOptions::new().allow_destructive(true);
        apply::postgres::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let live = live::postgres::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, "public"), ["u"]);
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn postgres_apply_url_applies_and_keeps_progress_in_the_named_schema() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "url").await;
        let db_url = format!(
            "{}/{}",
            url.split('?')
                .next()
                .and_then(|u| u.rsplit_once('/'))
                .map(|(base, _)| base)
                .expect("a URL with a database"),
            db.name
        );
        let plan = Plan {
            dialect: Dialect::Postgres,
            statements: vec![
                statement("CREATE TABLE public.a (id int);", "table public.a"),
                statement("CREATE TABLE public.a (id int);", "table public.a"),
            ],
        };
        let options = ApplyOptions::new().progress_schema("sextant");
        let failure = expect_failure(apply::apply_url(&db_url, &plan, &options).await);
        assert_eq!(failure.index, 1);
        let mut conn = db.connect().await;
        let schema: Option<String> = sqlx::query_scalar(
            "SELECT nspname::text FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid \
             WHERE c.relname = 'sextant_apply_progress'",
        )
        .fetch_optional(&mut conn)
        .await
        .expect("looking for the progress table");
        assert_eq!(schema.as_deref(), Some("sextant"));
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn connection_errors_never_show_the_password() {
    let result = runtime().block_on(apply::apply_url(
        "postgres://bob:s3cret@127.0.0.1:1/app",
        &Plan {
            dialect: Dialect::Postgres,
            statements: vec![statement("SELECT 1;", "nothing")],
        },
        &ApplyOptions::new(),
    ));
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("connecting to postgres://bob:***@127.0.0.1:1/app: "),
        "{message}"
    );
    assert!(!message.contains("s3cret"), "{message}");
}

// ---------------------------------------------------------------------------------
// MySQL / MariaDB

const MYSQL_SCHEMA: &str = "CREATE TABLE authors (
    id bigint NOT NULL PRIMARY KEY,
    name varchar(100) NOT NULL,
    UNIQUE KEY authors_name (name)
) ENGINE=InnoDB;
CREATE TABLE books (
    id bigint NOT NULL PRIMARY KEY,
    author_id bigint NOT NULL,
    title varchar(200) NOT NULL,
    KEY books_title (title),
    CONSTRAINT books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE
) ENGINE=InnoDB;
CREATE VIEW short_titles AS SELECT id, title FROM books WHERE CHAR_LENGTH(title) < 10;
";

struct MyDatabase {
    server: sqlx::mysql::MySqlConnectOptions,
    name: String,
}

impl MyDatabase {
    async fn create(url: &str, test: &str) -> Self {
        let server = sqlx::mysql::MySqlConnectOptions::from_str(url)
            .expect("a mysql URL")
            .pipes_as_concat(false)
            .timezone(None);
        let name = unique_name(test);
        let mut admin = server.connect().await.expect("connecting to the server");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
            .execute(&mut admin)
            .await
            .expect("creating the test database");
        admin.close().await.expect("closing");
        MyDatabase { server, name }
    }

    async fn connect(&self) -> sqlx::MySqlConnection {
        self.server
            .clone()
            .database(&self.name)
            .connect()
            .await
            .expect("connecting to the test database")
    }

    async fn drop(self) {
        let mut admin = self.server.connect().await.expect("connecting");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS `{}`",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("dropping the test database");
    }
}

async fn my_exec(conn: &mut sqlx::MySqlConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[test]
fn mysql_applies_a_plan_from_empty() {
    let Some(url) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = MyDatabase::create(&url, "empty").await;
        let (desired, plan) = plan_from_empty(Dialect::Mysql, MYSQL_SCHEMA);
        let mut conn = db.connect().await;
        let report = apply::mysql::apply(&mut conn, &plan, &ApplyOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.executed, plan.statements.len());
        let live = live::mysql::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let differences = compare(&desired, &live);
        assert!(differences.is_empty(), "{differences:#?}");
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn mysql_a_rerun_resumes_after_the_statements_done() {
    let Some(url) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = MyDatabase::create(&url, "resume").await;
        let mut conn = db.connect().await;
        my_exec(&mut conn, "CREATE TABLE c (id int);").await;
        let plan = Plan {
            dialect: Dialect::Mysql,
            statements: vec![
                non_transactional("CREATE TABLE a (id int);", "table a"),
                non_transactional("CREATE TABLE b (id int);", "table b"),
                non_transactional("CREATE TABLE c (id int, name text);", "table c"),
                non_transactional("CREATE VIEW v AS SELECT id, name FROM c;", "view v"),
            ],
        };
        let (options, events) = recording();
        let failure = expect_failure(apply::mysql::apply(&mut conn, &plan, &options).await);
        assert_eq!(failure.index, 2);
        assert_eq!(failure.rolled_back, 0);
        assert_eq!(failure.report.completed(), 2);
        assert_eq!(
            failure.code.as_deref(),
            Some("42S01"),
            "{}",
            failure.message
        );
        let live = live::mysql::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, ""), ["a", "b", "c"]);

        my_exec(&mut conn, "DROP TABLE c;").await;
        events.lock().unwrap().clear();
        let report = apply::mysql::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("the rerun: {e}"));
        assert_eq!((report.resumed, report.executed), (2, 2));
        assert_eq!(
            *events.lock().unwrap(),
            [
                (0, Step::Skipped),
                (1, Step::Skipped),
                (2, Step::Started),
                (3, Step::Started)
            ]
        );
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {PROGRESS_TABLE}"
        )))
        .fetch_one(&mut conn)
        .await
        .expect("counting");
        assert_eq!(rows, 0);
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

#[test]
fn mysql_destructive_statements_are_refused_unless_allowed() {
    let Some(url) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = MyDatabase::create(&url, "destructive").await;
        let mut conn = db.connect().await;
        my_exec(&mut conn, "CREATE TABLE t (id int);").await;
        let plan = Plan {
            dialect: Dialect::Mysql,
            statements: vec![
                non_transactional("CREATE TABLE u (id int);", "table u"),
                PlannedStatement {
                    transactional: false,
                    ..destructive("DROP TABLE t;", "table t")
                },
            ],
        };
        let refused = apply::mysql::apply(&mut conn, &plan, &ApplyOptions::new()).await;
        assert!(
            matches!(refused, Err(ApplyError::Destructive { .. })),
            "{refused:?}"
        );
        let live = live::mysql::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, ""), ["t"], "nothing ran");
        apply::mysql::apply(
            &mut conn,
            &plan,
            &ApplyOptions::new().allow_destructive(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let live = live::mysql::inspect(&mut conn, &InspectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&live, ""), ["u"]);
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

// ---------------------------------------------------------------------------------
// SQLite: in memory, always run.

const SQLITE_SCHEMA: &str =
    "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    price NUMERIC CHECK (price >= 0)
);
CREATE INDEX books_title ON books (title);
CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
";

async fn memory() -> sqlx::SqliteConnection {
    sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("an in-memory database")
}

async fn sqlite_inspect(conn: &mut sqlx::SqliteConnection) -> Realm {
    live::sqlite::inspect(conn, &InspectOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sqlite_applies_a_plan_from_empty() {
    runtime().block_on(async {
        let (desired, plan) = plan_from_empty(Dialect::Sqlite, SQLITE_SCHEMA);
        let mut conn = memory().await;
        let report = apply::sqlite::apply(&mut conn, &plan, &ApplyOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.executed, plan.statements.len());
        let live = sqlite_inspect(&mut conn).await;
        let differences = compare(&desired, &live);
        assert!(differences.is_empty(), "{differences:#?}");
    });
}

#[test]
fn sqlite_a_failing_statement_rolls_back_its_group_and_a_rerun_resumes() {
    runtime().block_on(async {
        let mut conn = memory().await;
        sqlx::raw_sql("CREATE TABLE c (id INTEGER);")
            .execute(&mut conn)
            .await
            .expect("the object in the way");
        let plan = Plan {
            dialect: Dialect::Sqlite,
            statements: vec![
                statement("CREATE TABLE a (id INTEGER);", "table main.a"),
                non_transactional("CREATE INDEX a_id ON a (id);", "index main.a_id"),
                statement("CREATE TABLE b (id INTEGER);", "table main.b"),
                statement("CREATE TABLE c (id INTEGER, name TEXT);", "table main.c"),
            ],
        };
        let failure =
            expect_failure(apply::sqlite::apply(&mut conn, &plan, &ApplyOptions::new()).await);
        assert_eq!(failure.index, 3);
        assert_eq!(failure.rolled_back, 1, "b went with it");
        assert_eq!(failure.report.completed(), 2);
        assert!(
            failure.message.contains("already exists"),
            "{}",
            failure.message
        );
        let live = sqlite_inspect(&mut conn).await;
        assert_eq!(table_names(&live, "main"), ["a", "c"]);

        sqlx::raw_sql("DROP TABLE c;")
            .execute(&mut conn)
            .await
            .expect("dropping");
        let report = apply::sqlite::apply(&mut conn, &plan, &ApplyOptions::new())
            .await
            .unwrap_or_else(|e| panic!("the rerun: {e}"));
        assert_eq!((report.resumed, report.executed), (2, 2));
        let live = sqlite_inspect(&mut conn).await;
        assert_eq!(table_names(&live, "main"), ["a", "b", "c"]);
        assert_eq!(live.schemas["main"].tables["c"].columns.len(), 2);
    });
}

#[test]
fn sqlite_destructive_statements_are_refused_unless_allowed() {
    runtime().block_on(async {
        let mut conn = memory().await;
        sqlx::raw_sql("CREATE TABLE t (id INTEGER);")
            .execute(&mut conn)
            .await
            .expect("setup");
        let plan = Plan {
            dialect: Dialect::Sqlite,
            statements: vec![
                statement("CREATE TABLE u (id INTEGER);", "table main.u"),
                destructive("DROP TABLE t;", "table main.t"),
            ],
        };
        let refused = apply::sqlite::apply(&mut conn, &plan, &ApplyOptions::new()).await;
        assert!(
            matches!(refused, Err(ApplyError::Destructive { .. })),
            "{refused:?}"
        );
        assert_eq!(table_names(&sqlite_inspect(&mut conn).await, "main"), ["t"]);
        apply::sqlite::apply(
            &mut conn,
            &plan,
            &ApplyOptions::new().allow_destructive(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table_names(&sqlite_inspect(&mut conn).await, "main"), ["u"]);
    });
}

#[test]
fn sqlite_apply_url_writes_the_file() {
    let dir = std::env::temp_dir().join(unique_name("sqlite_url"));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let file = dir.join("app.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let (desired, plan) = plan_from_empty(Dialect::Sqlite, SQLITE_SCHEMA);
    runtime().block_on(async {
        apply::apply_url(&url, &plan, &ApplyOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let live = live::inspect_url(
            &format!("sqlite://{}", file.display()),
            &InspectOptions::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(compare(&desired, &live).is_empty());
        let wrong = apply::apply_url(
            &url,
            &Plan {
                dialect: Dialect::Postgres,
                statements: vec![],
            },
            &ApplyOptions::new(),
        )
        .await;
        assert!(
            matches!(wrong, Err(ApplyError::DialectMismatch { .. })),
            "{wrong:?}"
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}

fn empty_check(table: &str, before: usize) -> apply::Check {
    apply::Check {
        description: format!("table {table} is empty"),
        sql: format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
        before,
    }
}

#[test]
fn sqlite_a_failing_check_stops_before_its_statement_and_rolls_back_its_group() {
    runtime().block_on(async {
        let mut conn = memory().await;
        sqlx::raw_sql("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1);")
            .execute(&mut conn)
            .await
            .expect("setup");
        let plan = Plan {
            dialect: Dialect::Sqlite,
            statements: vec![
                statement("CREATE TABLE u (id INTEGER);", "table main.u"),
                destructive("DROP TABLE t;", "table main.t"),
            ],
        };
        let options = ApplyOptions::new()
            .allow_destructive(true)
            .check(empty_check("t", 1));
        let result = apply::sqlite::apply(&mut conn, &plan, &options).await;
        let Err(ApplyError::CheckFailed(failure)) = result else {
            panic!("expected a failed check, got {result:?}");
        };
        assert_eq!(failure.answer, "false");
        assert_eq!(failure.statement, "DROP TABLE t;");
        let message = ApplyError::CheckFailed(failure).to_string();
        assert!(
            message.starts_with(
                "pre-migration check failed before statement 2 of 2: table t is empty\n"
            ),
            "{message}"
        );
        assert_eq!(
            table_names(&sqlite_inspect(&mut conn).await, "main"),
            ["t"],
            "u was created in the same group and rolled back with it"
        );

        sqlx::raw_sql("DELETE FROM t;")
            .execute(&mut conn)
            .await
            .expect("emptying");
        apply::sqlite::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("the check holds now: {e}"));
        assert_eq!(table_names(&sqlite_inspect(&mut conn).await, "main"), ["u"]);
    });
}

#[test]
fn a_check_guarding_no_statement_is_refused_before_anything_runs() {
    runtime().block_on(async {
        let mut conn = memory().await;
        let plan = Plan {
            dialect: Dialect::Sqlite,
            statements: vec![statement("CREATE TABLE u (id INTEGER);", "table main.u")],
        };
        let options = ApplyOptions::new().check(empty_check("u", 5));
        let result = apply::sqlite::apply(&mut conn, &plan, &options).await;
        assert!(
            matches!(&result, Err(ApplyError::CheckFailed(f)) if f.answer.contains("guards statement 6, but the plan has 1")),
            "{result:?}"
        );
        assert!(table_names(&sqlite_inspect(&mut conn).await, "main").is_empty());
    });
}

#[test]
fn postgres_checks_run_in_the_transaction_of_the_statement_they_guard() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "checks").await;
        let mut conn = db.connect().await;
        pg_exec(&mut conn, "CREATE TABLE public.t (id int); INSERT INTO public.t VALUES (1);").await;
        let plan = Plan {
            dialect: Dialect::Postgres,
            statements: vec![
                statement("DELETE FROM public.t;", "table public.t"),
                destructive("DROP TABLE public.t;", "table public.t"),
            ],
        };
        // The check before the DROP sees the DELETE of the same transaction: it holds.
        let options = ApplyOptions::new()
            .allow_destructive(true)
            .check(empty_check("public.t", 1));
        apply::postgres::apply(&mut conn, &plan, &options)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        pg_exec(&mut conn, "CREATE TABLE public.t (id int); INSERT INTO public.t VALUES (1);").await;
        let guarded_first = ApplyOptions::new()
            .allow_destructive(true)
            .check(empty_check("public.t", 0));
        let result = apply::postgres::apply(&mut conn, &plan, &guarded_first).await;
        assert!(
            matches!(&result, Err(ApplyError::CheckFailed(f)) if f.answer == "false"),
            "{result:?}"
        );
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM public.t")
            .fetch_one(&mut conn)
            .await
            .expect("counting");
        assert_eq!(rows, 1, "nothing ran");

        let broken = ApplyOptions::new()
            .allow_destructive(true)
            .check(apply::Check {
                description: "a check that cannot run".to_owned(),
                sql: "SELECT no_such_column FROM public.t".to_owned(),
                before: 0,
            });
        let result = apply::postgres::apply(&mut conn, &plan, &broken).await;
        assert!(
            matches!(&result, Err(ApplyError::CheckFailed(f)) if f.answer.contains("no_such_column")),
            "{result:?}"
        );
        conn.close().await.expect("closing");
        db.drop().await;
    });
}
