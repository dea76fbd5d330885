//! The migration runner against real databases: checks before anything runs, resuming,
//! round trips with nothing pending, and the reliability scenarios (replicas starting
//! together, a process killed mid-migration, PgBouncer in transaction pooling).
//!
//! SQLite runs always. PostgreSQL and MariaDB need `SEXTANT_TEST_POSTGRES_URL` /
//! `SEXTANT_TEST_MYSQL_URL`, PgBouncer the `pgbouncer` binary; without them each test
//! says why and passes, unless `SEXTANT_REQUIRE_LIVE=1`. Every test works in a
//! database of its own, dropped at the end.
//!
//! Child processes are this test binary itself, started on the ignored test
//! [`child_migrator`] with the scenario in environment variables: it builds the
//! scenario's migrations in memory and applies them to the URL it is given.

#![cfg(all(feature = "postgres", feature = "mysql", feature = "sqlite"))]
#![allow(
    clippy::print_stderr,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use common::{runtime, server, unique_name, with_database};
use sextant::migrate::{
    MigrateError, Migration, Migrator, MigratorOptions, Problem, TxMode, Warning,
};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::process::{Child, Command, Stdio};
use std::str::FromStr as _;
use std::time::{Duration, Instant};

const CHILD_URL: &str = "SEXTANT_MIGRATE_CHILD_URL";
const CHILD_SCENARIO: &str = "SEXTANT_MIGRATE_CHILD_SCENARIO";

// ---------------------------------------------------------------------------------
// Scenarios, shared by the tests and their child processes

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Db {
    Postgres,
    Mysql,
    Sqlite,
}

impl Db {
    fn of(url: &str) -> Db {
        if url.starts_with("postgres") {
            Db::Postgres
        } else if url.starts_with("mysql") {
            Db::Mysql
        } else {
            Db::Sqlite
        }
    }

    fn sleep(self, seconds: u32) -> String {
        match self {
            Db::Postgres => format!("SELECT pg_sleep({seconds});"),
            Db::Mysql => format!("SELECT SLEEP({seconds});"),
            Db::Sqlite => String::new(),
        }
    }
}

const LOG_TABLE: &str =
    "CREATE TABLE migration_log (version varchar(40) NOT NULL, step varchar(40) NOT NULL)";

/// `count` migrations, each creating a table and logging itself once.
fn many(count: usize) -> Vec<Migration> {
    (1..=count)
        .map(|i| {
            Migration::new(
                format!("{i}"),
                format!("step_{i}"),
                format!("{i}_step_{i}.sql"),
                format!(
                    "CREATE TABLE t_{i} (id int);\n\
                     INSERT INTO migration_log (version, step) VALUES ('{i}', 'only');\n"
                ),
            )
        })
        .collect()
}

/// Three migrations, the second sleeping in the middle; in mode none the second logs
/// one row before its sleep and one after.
fn sleepy(db: Db, mode: TxMode) -> Vec<Migration> {
    let mut second = Migration::new(
        "2",
        "sleepy",
        "2_sleepy.sql",
        format!(
            "INSERT INTO migration_log (version, step) VALUES ('2', 'before');\n{}\n\
             INSERT INTO migration_log (version, step) VALUES ('2', 'after');\n",
            db.sleep(4)
        ),
    );
    if mode == TxMode::None {
        second = second.with_tx_mode(TxMode::None);
    }
    vec![
        Migration::new(
            "1",
            "first",
            "1_first.sql",
            "INSERT INTO migration_log (version, step) VALUES ('1', 'only');",
        ),
        second,
        Migration::new(
            "3",
            "third",
            "3_third.sql",
            "INSERT INTO migration_log (version, step) VALUES ('3', 'only');",
        ),
    ]
}

fn scenario(name: &str, url: &str) -> Vec<Migration> {
    let db = Db::of(url);
    match name {
        "many" => many(30),
        "pgbouncer" => many(12),
        "sleepy-file" => sleepy(db, TxMode::File),
        "sleepy-none" => sleepy(db, TxMode::None),
        other => panic!("unknown scenario {other}"),
    }
}

/// The child process: applies a scenario's migrations to a URL. Run by the tests, not
/// on its own (it does nothing without its environment variables).
#[test]
#[ignore = "a child process of the reliability tests"]
fn child_migrator() {
    let (Ok(url), Ok(name)) = (std::env::var(CHILD_URL), std::env::var(CHILD_SCENARIO)) else {
        return;
    };
    let migrator = Migrator::new(scenario(&name, &url))
        .expect("migrations")
        .with_options(MigratorOptions::new().lock_timeout(Duration::from_secs(120)));
    runtime().block_on(async {
        let report = migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("child: {e}"));
        println!("child applied {}", report.applied.len());
    });
}

fn spawn_child(url: &str, scenario: &str) -> Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "child_migrator",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, url)
        .env(CHILD_SCENARIO, scenario)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting a child migrator")
}

/// Waits for every child; panics with the output of any that failed.
fn wait_all(children: Vec<Child>) {
    let mut failures = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("waiting for a child");
        if !output.status.success() {
            failures.push(format!(
                "{}\n{}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "children failed:\n{}",
        failures.join("\n---\n")
    );
}

// ---------------------------------------------------------------------------------
// Databases

/// A fresh database on a server, dropped when the test is done with it.
struct TestDb {
    /// The URL of the database.
    url: String,
    server: String,
    name: String,
}

impl TestDb {
    async fn create(server: &str, test: &str) -> TestDb {
        let name = unique_name(&format!("mig_{test}"));
        let ddl = match Db::of(server) {
            Db::Postgres => format!("CREATE DATABASE \"{name}\""),
            _ => format!("CREATE DATABASE `{name}`"),
        };
        admin(server, &ddl).await;
        let db = TestDb {
            url: with_database(server, &name),
            server: server.to_owned(),
            name,
        };
        db.exec(LOG_TABLE).await;
        db
    }

    async fn exec(&self, sql: &str) {
        admin(&self.url, sql).await;
    }

    /// `(version, step, count)` of the log, in order.
    async fn log(&self) -> Vec<(String, String, i64)> {
        let sql = "SELECT version, step, count(*) FROM migration_log GROUP BY version, step \
                   ORDER BY version, step";
        match Db::of(&self.url) {
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("connecting");
                sqlx::query_as(sql)
                    .fetch_all(&mut conn)
                    .await
                    .expect("reading the log")
            }
            Db::Mysql => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("connecting");
                sqlx::query_as(sql)
                    .fetch_all(&mut conn)
                    .await
                    .expect("reading the log")
            }
            Db::Sqlite => unreachable!("SQLite tests read their pool"),
        }
    }

    /// How many rows the revision table holds.
    async fn revisions(&self) -> i64 {
        let sql =
            "SELECT count(*) FROM sextant_revisions WHERE statements_applied = statements_total";
        match Db::of(&self.url) {
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("connecting");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect("counting")
            }
            _ => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("connecting");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect("counting")
            }
        }
    }

    async fn drop(self) {
        let ddl = match Db::of(&self.server) {
            Db::Postgres => format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS `{}`", self.name),
        };
        admin(&self.server, &ddl).await;
    }
}

async fn admin(url: &str, sql: &str) {
    match Db::of(url) {
        Db::Postgres => {
            let mut conn = sqlx::postgres::PgConnectOptions::from_str(url)
                .expect("a URL")
                .connect()
                .await
                .expect("connecting");
            sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            conn.close().await.expect("closing");
        }
        Db::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(url)
                .await
                .expect("connecting");
            sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            conn.close().await.expect("closing");
        }
        Db::Sqlite => unreachable!(),
    }
}

fn expect_once(log: &[(String, String, i64)], expected: &[(&str, &str)]) {
    let got: Vec<(String, String, i64)> = log.to_vec();
    let mut want: Vec<(String, String, i64)> = expected
        .iter()
        .map(|(v, s)| ((*v).to_owned(), (*s).to_owned(), 1))
        .collect();
    want.sort();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, want, "each step must be logged exactly once");
}

// ---------------------------------------------------------------------------------
// Checks before anything runs, round trips (SQLite, in memory)

async fn sqlite_pool() -> sqlx::SqlitePool {
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("an in-memory database")
}

async fn sqlite_log(pool: &sqlx::SqlitePool) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT version, step, count(*) FROM migration_log GROUP BY version, step ORDER BY version, step",
    )
    .fetch_all(pool)
    .await
    .expect("reading the log")
}

fn invalid(result: Result<sextant::migrate::MigrateReport, MigrateError>) -> Vec<Problem> {
    match result {
        Err(MigrateError::Invalid { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn sqlite_nothing_pending_costs_one_round_trip() {
    runtime().block_on(async {
        let pool = sqlite_pool().await;
        sqlx::raw_sql(LOG_TABLE)
            .execute(&pool)
            .await
            .expect("log table");
        let migrator = Migrator::new(many(5)).expect("migrations");
        let first = sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.applied.len(), 5);
        assert!(first.locked);
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&pool)
            .await
            .expect("busy_timeout");
        assert_eq!(
            busy, 5000,
            "the pooled connection keeps sqlx's busy_timeout"
        );
        let again = sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(again.applied.is_empty());
        assert!(!again.locked);
        assert_eq!(again.round_trips, 1);
        let status = sextant::migrate::sqlite::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.applied.len(), 5);
        assert!(status.pending.is_empty() && status.problems.is_empty());
    });
}

#[test]
fn sqlite_edited_missing_and_out_of_order_files_apply_nothing() {
    runtime().block_on(async {
        let pool = sqlite_pool().await;
        sqlx::raw_sql(LOG_TABLE).execute(&pool).await.expect("log table");
        let two = Migrator::new(many(2)).expect("migrations");
        sextant::migrate::sqlite::apply(&pool, &two)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let before = sqlite_log(&pool).await;

        // Tampered: 1 edited for real, 3 pending; nothing runs.
        let mut files = many(3);
        files[0] = Migration::new(
            "1",
            "step_1",
            "1_step_1.sql",
            "CREATE TABLE t_1 (id bigint);\nINSERT INTO migration_log (version, step) VALUES ('1', 'only');\n",
        );
        let tampered = Migrator::new(files).expect("migrations");
        let problems = invalid(sextant::migrate::sqlite::apply(&pool, &tampered).await);
        assert!(
            matches!(&problems[..], [Problem::Edited { version, file, .. }] if version == "1" && file == "1_step_1.sql"),
            "{problems:?}"
        );
        assert_eq!(sqlite_log(&pool).await, before, "nothing ran");

        // Missing: 2's file is gone, 3 pending.
        let mut files = many(3);
        files.remove(1);
        let problems = invalid(
            sextant::migrate::sqlite::apply(&pool, &Migrator::new(files).expect("migrations")).await,
        );
        assert_eq!(
            problems,
            [Problem::Missing {
                version: "2".into(),
                file: "2_step_2.sql".into()
            }]
        );

        // Out of order: a new file older than the last applied one.
        let mut files = many(3);
        files.push(Migration::new("1.5", "late", "1.5_late.sql", "SELECT 1;"));
        let error = sextant::migrate::sqlite::apply(&pool, &Migrator::new(files).expect("m"))
            .await
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "nothing was applied: 1 problem in the migrations\n  - migration 1.5 \
                 (1.5_late.sql) is pending but older than the last applied version 2 (give it \
                 a newer version)"
            )
        );
        assert_eq!(sqlite_log(&pool).await, before, "nothing ran");
    });
}

#[test]
fn sqlite_a_cosmetic_edit_warns_and_repair_records_who_accepted_what() {
    runtime().block_on(async {
        let dir = std::env::temp_dir().join(unique_name("mig_repair"));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let url = format!("sqlite://{}", dir.join("app.db").display());
        let setup = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .expect("url")
            .create_if_missing(true);
        let mut conn = setup.connect().await.expect("creating the database");
        sqlx::raw_sql(LOG_TABLE).execute(&mut conn).await.expect("log table");
        conn.close().await.expect("closing");

        Migrator::new(many(2))
            .expect("migrations")
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        // Comments and whitespace only: a warning, and 3 applies.
        let mut files = many(3);
        files[0] = Migration::new(
            "1",
            "step_1",
            "1_step_1.sql",
            "-- the first table\nCREATE TABLE   t_1 (id int);\n\nINSERT INTO migration_log (version, step)\n  VALUES ('1', 'only'); /* logged */\n",
        );
        let cosmetic = Migrator::new(files.clone()).expect("migrations");
        let report = cosmetic.apply_url(&url).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            report.warnings,
            [Warning::CosmeticEdit {
                version: "1".into(),
                file: "1_step_1.sql".into()
            }]
        );
        assert_eq!(report.applied.len(), 1);

        // A real edit of 2, accepted by repair.
        files[1] = Migration::new(
            "2",
            "step_2",
            "2_step_2.sql",
            "CREATE TABLE t_2 (id int, note text);\nINSERT INTO migration_log (version, step) VALUES ('2', 'only');\n",
        );
        let edited = Migrator::new(files).expect("migrations");
        let problems = invalid(edited.apply_url(&url).await);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let repairs = edited
            .repair_url(&url, "alice", None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let versions: Vec<&str> = repairs.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(versions, ["1", "2"]);
        assert_eq!(repairs[1].previous_checksum, many(2)[1].checksum);
        assert_eq!(repairs[1].checksum, edited.migrations()[1].checksum);
        let status = edited.status_url(&url).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(status.problems.is_empty() && status.warnings.is_empty(), "{status:?}");
        let two = &status.applied[1];
        assert_eq!(two.repaired_by.as_deref(), Some("alice"));
        assert_eq!(two.previous_checksum.as_deref(), Some(many(2)[1].checksum.as_str()));
        assert!(two.repaired_at.is_some());
        let again = edited.apply_url(&url).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.round_trips, 1);
        std::fs::remove_dir_all(&dir).ok();
    });
}

#[test]
fn sqlite_baseline_marks_without_running_and_the_target_stops() {
    runtime().block_on(async {
        let dir = std::env::temp_dir().join(unique_name("mig_baseline"));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("app.db").display());
        let migrator = Migrator::new(many(4)).expect("migrations");
        let baseline = migrator
            .baseline_url(&url, "2")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(baseline.versions, ["1", "2"]);
        let again = migrator.baseline_url(&url, "2").await;
        assert!(
            matches!(again, Err(MigrateError::BaselineNotEmpty { count: 2, .. })),
            "{again:?}"
        );

        // The log table does not exist: 1 and 2 would fail if they ran. 3 creates it
        // first, then logs.
        let mut files = many(4);
        files[2] = Migration::new(
            "3",
            "log",
            "3_log.sql",
            format!("{LOG_TABLE};\nINSERT INTO migration_log VALUES ('3', 'only');"),
        );
        let migrator = Migrator::new(files)
            .expect("migrations")
            .with_options(MigratorOptions::new().target("3"));
        let report = migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let applied: Vec<&str> = report.applied.iter().map(|a| a.version.as_str()).collect();
        assert_eq!(applied, ["3"]);
        let status = migrator
            .clone()
            .with_options(MigratorOptions::new())
            .status_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let pending: Vec<&str> = status.pending.iter().map(|p| p.version.as_str()).collect();
        assert_eq!(pending, ["4"]);
        assert!(status.applied[0].baseline);
        std::fs::remove_dir_all(&dir).ok();
    });
}

#[test]
fn sqlite_a_failing_file_rolls_back_and_a_file_without_transaction_resumes() {
    runtime().block_on(async {
        let pool = sqlite_pool().await;
        sqlx::raw_sql(LOG_TABLE).execute(&pool).await.expect("log table");
        let broken = vec![
            Migration::new("1", "ok", "1_ok.sql", "INSERT INTO migration_log VALUES ('1', 'only');"),
            Migration::new(
                "2",
                "broken",
                "2_broken.sql",
                "INSERT INTO migration_log VALUES ('2', 'only');\nINSERT INTO nowhere VALUES (1);",
            ),
        ];
        let error = sextant::migrate::sqlite::apply(&pool, &Migrator::new(broken).expect("m"))
            .await
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "migration 2 (2_broken.sql) failed at statement 2 of 2 (line 2): no such table: \
                 nowhere; the file was rolled back"
            )
        );
        assert_eq!(
            sqlite_log(&pool).await,
            [("1".to_owned(), "only".to_owned(), 1)],
            "1 committed, 2 rolled back"
        );

        // Without a transaction: the first statement stays and is counted; the rerun,
        // fixed from the failing statement on, resumes after it.
        let none = |tail: &str| {
            Migration::new(
                "2",
                "broken",
                "2_broken.sql",
                format!("INSERT INTO migration_log VALUES ('2', 'first');\n{tail}\nINSERT INTO migration_log VALUES ('2', 'last');"),
            )
            .with_tx_mode(TxMode::None)
        };
        let first = Migration::new("1", "ok", "1_ok.sql", "INSERT INTO migration_log VALUES ('1', 'only');");
        let failing = Migrator::new(vec![first.clone(), none("INSERT INTO nowhere VALUES (1);")]).expect("m");
        let error = sextant::migrate::sqlite::apply(&pool, &failing).await;
        assert!(matches!(&error, Err(MigrateError::Failed(f)) if f.statement == 2 && !f.rolled_back), "{error:?}");
        let status = sextant::migrate::sqlite::status(&pool, &failing)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.pending.len(), 1);
        assert_eq!(status.pending[0].resume_from, 1);
        assert_eq!(status.applied[1].error.as_deref(), Some("no such table: nowhere"));

        // The fix changes the file: accepted by repair, then resumed.
        sqlx::raw_sql("CREATE TABLE somewhere (id int)").execute(&pool).await.expect("table");
        let fixed = Migrator::new(vec![first, none("INSERT INTO somewhere VALUES (1);")]).expect("m");
        let problems = invalid(sextant::migrate::sqlite::apply(&pool, &fixed).await);
        assert!(matches!(&problems[..], [Problem::Edited { version, .. }] if version == "2"));
        let repairs = sextant::migrate::sqlite::repair(&pool, &fixed, "bob", Some("2"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(repairs.len(), 1);
        let report = sextant::migrate::sqlite::apply(&pool, &fixed)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.applied.len(), 1);
        assert_eq!(report.applied[0].resumed_from, 1);
        assert_eq!(report.applied[0].statements, 2);
        let log = sqlite_log(&pool).await;
        expect_once(&log, &[("1", "only"), ("2", "first"), ("2", "last")]);
    });
}

// ---------------------------------------------------------------------------------
// PostgreSQL and MariaDB

fn live_servers() -> Vec<String> {
    ["SEXTANT_TEST_POSTGRES_URL", "SEXTANT_TEST_MYSQL_URL"]
        .into_iter()
        .filter_map(server)
        .collect()
}

/// 16 processes start together against one database with 30 pending migrations: all
/// exit 0 and each migration is applied once.
fn replicas_started_together(server: &str) {
    let rt = runtime();
    let db = rt.block_on(TestDb::create(server, "replicas"));
    let children: Vec<Child> = (0..16).map(|_| spawn_child(&db.url, "many")).collect();
    wait_all(children);
    rt.block_on(async {
        let log = db.log().await;
        let expected: Vec<(String, &str)> = (1..=30).map(|i| (i.to_string(), "only")).collect();
        let expected: Vec<(&str, &str)> = expected.iter().map(|(v, s)| (v.as_str(), *s)).collect();
        expect_once(&log, &expected);
        assert_eq!(db.revisions().await, 30);
        db.drop().await;
    });
}

#[test]
fn postgres_replicas_started_together_apply_each_migration_once() {
    if let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") {
        replicas_started_together(&url);
    }
}

#[test]
fn mysql_replicas_started_together_apply_each_migration_once() {
    if let Some(url) = server("SEXTANT_TEST_MYSQL_URL") {
        replicas_started_together(&url);
    }
}

/// Waits until the database runs a sleep for this test's database.
async fn wait_for_sleep(db: &TestDb) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let sleeping: i64 = match Db::of(&db.url) {
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&db.server)
                    .await
                    .expect("connecting");
                sqlx::query_scalar(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 \
                     AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()",
                )
                .bind(&db.name)
                .fetch_one(&mut conn)
                .await
                .expect("pg_stat_activity")
            }
            _ => {
                let mut conn = sqlx::MySqlConnection::connect(&db.server)
                    .await
                    .expect("connecting");
                sqlx::query_scalar(
                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = ? \
                     AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()",
                )
                .bind(&db.name)
                .fetch_one(&mut conn)
                .await
                .expect("processlist")
            }
        };
        if sleeping > 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the child never reached its sleep"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A process killed with SIGKILL in the middle of a migration: the next run finishes
/// with nothing lost and nothing applied twice.
fn killed_mid_migration(server: &str, mode: TxMode) {
    let scenario = if mode == TxMode::None {
        "sleepy-none"
    } else {
        "sleepy-file"
    };
    let rt = runtime();
    let db = rt.block_on(TestDb::create(server, "killed"));
    let mut child = spawn_child(&db.url, scenario);
    rt.block_on(wait_for_sleep(&db));
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaping the child");
    assert!(!status.success(), "the child was killed, not finished");
    rt.block_on(async {
        let log = db.log().await;
        if mode == TxMode::None {
            // The first statement of 2 committed on its own; nothing after it.
            expect_once(&log, &[("1", "only"), ("2", "before")]);
        } else {
            // 2 was rolled back (or is, once its server session notices).
            expect_once(&log, &[("1", "only")]);
        }
        // A lock left behind by the killed process would show as a timeout here.
        let migrator = Migrator::new(scenario_for(scenario, &db.url))
            .expect("migrations")
            .with_options(MigratorOptions::new().lock_timeout(Duration::from_secs(30)));
        let report = migrator
            .apply_url(&db.url)
            .await
            .unwrap_or_else(|e| panic!("rerun: {e}"));
        let applied: Vec<(&str, usize)> = report
            .applied
            .iter()
            .map(|a| (a.version.as_str(), a.resumed_from))
            .collect();
        if mode == TxMode::None {
            assert_eq!(
                applied,
                [("2", 1), ("3", 0)],
                "2 resumes after its first statement"
            );
        } else {
            assert_eq!(applied, [("2", 0), ("3", 0)]);
        }
        expect_once(
            &db.log().await,
            &[
                ("1", "only"),
                ("2", "before"),
                ("2", "after"),
                ("3", "only"),
            ],
        );
        assert_eq!(db.revisions().await, 3);
        db.drop().await;
    });
}

fn scenario_for(name: &str, url: &str) -> Vec<Migration> {
    scenario(name, url)
}

#[test]
fn postgres_a_process_killed_mid_migration_loses_nothing() {
    if let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") {
        killed_mid_migration(&url, TxMode::File);
    }
}

#[test]
fn postgres_a_process_killed_mid_migration_without_transaction_resumes() {
    if let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") {
        killed_mid_migration(&url, TxMode::None);
    }
}

#[test]
fn mysql_a_process_killed_mid_migration_loses_nothing() {
    if let Some(url) = server("SEXTANT_TEST_MYSQL_URL") {
        killed_mid_migration(&url, TxMode::File);
    }
}

#[test]
fn mysql_a_process_killed_mid_migration_without_transaction_resumes() {
    if let Some(url) = server("SEXTANT_TEST_MYSQL_URL") {
        killed_mid_migration(&url, TxMode::None);
    }
}

/// A tampered file: a clear error and nothing applied; with nothing pending, one
/// round trip.
#[test]
fn live_a_tampered_file_applies_nothing_and_nothing_pending_costs_one_round_trip() {
    for server in live_servers() {
        runtime().block_on(async {
            let db = TestDb::create(&server, "tamper").await;
            let migrator = Migrator::new(many(3)).expect("migrations");
            let report = migrator.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(report.applied.len(), 3);

            let again = migrator.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert!(again.applied.is_empty() && !again.locked);
            assert_eq!(again.round_trips, 1, "{server}");
            let through_pool = match Db::of(&db.url) {
                Db::Postgres => {
                    let pool = sqlx::PgPool::connect(&db.url).await.expect("a pool");
                    sextant::migrate::postgres::apply(&pool, &migrator).await
                }
                _ => {
                    let pool = sqlx::MySqlPool::connect(&db.url).await.expect("a pool");
                    sextant::migrate::mysql::apply(&pool, &migrator).await
                }
            }
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(through_pool.round_trips, 1);

            let mut files = many(4);
            files[1] = Migration::new(
                "2",
                "step_2",
                "2_step_2.sql",
                "CREATE TABLE t_2 (id int, extra int);\nINSERT INTO migration_log (version, step) VALUES ('2', 'only');\n",
            );
            let tampered = Migrator::new(files).expect("migrations");
            let error = tampered.apply_url(&db.url).await.err().map(|e| e.to_string());
            let expected = format!(
                "nothing was applied: 1 problem in the migrations\n  - migration 2 (2_step_2.sql) \
                 was edited after it was applied: checksum {} applied, {} now (restore the file, \
                 or accept the edit with `migrate repair`)",
                many(3)[1].checksum,
                tampered.migrations()[1].checksum
            );
            assert_eq!(error.as_deref(), Some(expected.as_str()));
            expect_once(&db.log().await, &[("1", "only"), ("2", "only"), ("3", "only")]);
            assert_eq!(db.revisions().await, 3);

            let status = tampered.status_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status.problems.len(), 1);
            assert_eq!(status.pending.len(), 1);
            let repairs = tampered
                .repair_url(&db.url, "carol", Some("2"))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(repairs.len(), 1);
            // The edit is accepted, not run: 4 runs, 2 does not run again.
            let report = tampered.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            let applied: Vec<&str> = report.applied.iter().map(|a| a.version.as_str()).collect();
            assert_eq!(applied, ["4"]);
            let status = tampered.status_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status.applied[1].repaired_by.as_deref(), Some("carol"));
            db.drop().await;
        });
    }
}

/// The revision table in a schema of its own (PostgreSQL) or database (MariaDB),
/// created by the run, and a lock that times out with a clear error while another
/// migrator holds it.
#[test]
fn live_a_configured_schema_and_a_lock_timeout() {
    for server in live_servers() {
        runtime().block_on(async {
            let db = TestDb::create(&server, "schema").await;
            let schema = format!("{}_ops", db.name);
            let options = MigratorOptions::new()
                .schema(&schema)
                .table("History Of Changes")
                .lock_timeout(Duration::from_secs(1));
            let migrator = Migrator::new(many(2)).expect("m").with_options(options.clone());
            migrator.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            let status = migrator.status_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status.applied.len(), 2);

            // Hold the lock from another connection, the way a migrator does.
            let pending = Migrator::new(many(3)).expect("m").with_options(options.clone());
            let started = Instant::now();
            let error = match Db::of(&db.url) {
                Db::Postgres => {
                    let mut holder = sqlx::PgConnection::connect(&db.url).await.expect("connecting");
                    let key = lock_key_of(&schema, "History Of Changes");
                    sqlx::raw_sql(AssertSqlSafe(format!("BEGIN; SELECT pg_advisory_xact_lock({key})")))
                        .execute(&mut holder)
                        .await
                        .expect("holding the lock");
                    let error = pending.apply_url(&db.url).await;
                    holder.close().await.expect("closing");
                    error
                }
                _ => {
                    let mut holder = sqlx::MySqlConnection::connect(&db.url).await.expect("connecting");
                    sqlx::query(
                        "SELECT GET_LOCK(LEFT(SHA2(CONCAT('sextant_migrate.', ?, '.', ?), 256), 64), 0)",
                    )
                    .bind(&schema)
                    .bind("History Of Changes")
                    .execute(&mut holder)
                    .await
                    .expect("holding the lock");
                    let error = pending.apply_url(&db.url).await;
                    holder.close().await.expect("closing");
                    error
                }
            };
            let message = error.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                message.starts_with("the migration lock ") && message.contains("was not acquired within 1s"),
                "{message}"
            );
            assert!(started.elapsed() < Duration::from_secs(10));
            // The holder is gone: the run goes through.
            let report = pending.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(report.applied.len(), 1);
            if Db::of(&db.url) == Db::Mysql {
                admin(&db.server, &format!("DROP DATABASE IF EXISTS `{schema}`")).await;
            }
            db.drop().await;
        });
    }
}

/// The PostgreSQL lock key, computed as the runner computes it.
fn lock_key_of(schema: &str, table: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("sextant_migrate\0{schema}\0{table}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

// ---------------------------------------------------------------------------------
// PgBouncer

fn pgbouncer_binary() -> Option<std::path::PathBuf> {
    let mut candidates: Vec<std::path::PathBuf> = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("pgbouncer"))
                .collect()
        })
        .unwrap_or_default();
    candidates.push("/usr/sbin/pgbouncer".into());
    candidates.into_iter().find(|p| p.is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A PgBouncer in transaction pooling, stopped when dropped.
struct Bouncer {
    child: Child,
    dir: std::path::PathBuf,
    port: u16,
}

impl Bouncer {
    fn start(binary: &std::path::Path, server: &str) -> Bouncer {
        let options = sqlx::postgres::PgConnectOptions::from_str(server).expect("a URL");
        let dir = std::env::temp_dir().join(unique_name("mig_pgbouncer"));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let user = options.get_username();
        std::fs::write(dir.join("users.txt"), format!("\"{user}\" \"\"\n")).expect("users");
        let ini = format!(
            "[databases]\n* = host={host} port={server_port}\n\n[pgbouncer]\n\
             listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
             auth_type = trust\nauth_file = {users}\npool_mode = transaction\n\
             default_pool_size = 10\nmax_client_conn = 200\n\
             ignore_startup_parameters = extra_float_digits,options\n\
             logfile = {log}\npidfile = {pid}\n",
            host = options.get_host(),
            server_port = options.get_port(),
            users = dir.join("users.txt").display(),
            log = dir.join("pgbouncer.log").display(),
            pid = dir.join("pgbouncer.pid").display(),
        );
        let config = dir.join("pgbouncer.ini");
        std::fs::write(&config, ini).expect("config");
        // PgBouncer refuses to run as root.
        let mut command = if is_root() {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(binary);
            c
        } else {
            Command::new(binary)
        };
        let child = command
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting pgbouncer");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "pgbouncer did not listen: {}",
                std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Bouncer { child, dir, port }
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        // runuser passes SIGTERM on to pgbouncer; a kill of runuser alone would leave
        // pgbouncer running, so the pid file is asked first.
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("pgbouncer.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replicas migrating through PgBouncer in transaction pooling: the lock is a
/// transaction's, so it holds there, and every replica starts.
#[test]
fn postgres_through_pgbouncer_in_transaction_pooling() {
    let Some(server_url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    let Some(binary) = pgbouncer_binary() else {
        assert!(
            std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
            "SEXTANT_REQUIRE_LIVE=1 but pgbouncer is not installed"
        );
        eprintln!("skipped: pgbouncer is not installed (apt-get install pgbouncer)");
        return;
    };
    let rt = runtime();
    let db = rt.block_on(TestDb::create(&server_url, "bouncer"));
    let bouncer = Bouncer::start(&binary, &server_url);
    let user = sqlx::postgres::PgConnectOptions::from_str(&server_url)
        .expect("a URL")
        .get_username()
        .to_owned();
    let url = format!("postgres://{user}@127.0.0.1:{}/{}", bouncer.port, db.name);
    let children: Vec<Child> = (0..8).map(|_| spawn_child(&url, "pgbouncer")).collect();
    wait_all(children);
    // And once more through the bouncer, in process: nothing pending, one round trip.
    let report = rt
        .block_on(Migrator::new(many(12)).expect("m").apply_url(&url))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.round_trips, 1);
    drop(bouncer);
    rt.block_on(async {
        let expected: Vec<(String, &str)> = (1..=12).map(|i| (i.to_string(), "only")).collect();
        let expected: Vec<(&str, &str)> = expected.iter().map(|(v, s)| (v.as_str(), *s)).collect();
        expect_once(&db.log().await, &expected);
        assert_eq!(db.revisions().await, 12);
        db.drop().await;
    });
}

// ---------------------------------------------------------------------------------
// SQLite files shared by processes

async fn sqlite_file(test: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(unique_name(&format!("mig_{test}")));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let url = format!("sqlite://{}", dir.join("app.db").display());
    let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .expect("url")
        .create_if_missing(true)
        .connect()
        .await
        .expect("creating the database");
    sqlx::raw_sql(LOG_TABLE)
        .execute(&mut conn)
        .await
        .expect("log table");
    conn.close().await.expect("closing");
    (dir, url)
}

#[test]
fn sqlite_replicas_started_together_apply_each_migration_once() {
    let rt = runtime();
    let (dir, url) = rt.block_on(sqlite_file("replicas"));
    let children: Vec<Child> = (0..8).map(|_| spawn_child(&url, "many")).collect();
    wait_all(children);
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.expect("a pool");
        let expected: Vec<(String, &str)> = (1..=30).map(|i| (i.to_string(), "only")).collect();
        let expected: Vec<(&str, &str)> = expected.iter().map(|(v, s)| (v.as_str(), *s)).collect();
        expect_once(&sqlite_log(&pool).await, &expected);
        pool.close().await;
    });
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sqlite_the_lock_times_out_with_a_clear_error() {
    runtime().block_on(async {
        let (dir, url) = sqlite_file("locktimeout").await;
        let mut holder = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connecting");
        sqlx::raw_sql("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .expect("holding the lock");
        let migrator = Migrator::new(many(1))
            .expect("m")
            .with_options(MigratorOptions::new().lock_timeout(Duration::from_millis(300)));
        let error = migrator.apply_url(&url).await.err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "the migration lock BEGIN IMMEDIATE (the database file's write lock) was not \
                 acquired within 300ms: another migrator holds it (raise the lock timeout, or \
                 find the process holding it)"
            )
        );
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut holder)
            .await
            .expect("letting go");
        let report = migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.applied.len(), 1);
        holder.close().await.expect("closing");
        std::fs::remove_dir_all(&dir).ok();
    });
}

/// PostgreSQL rolls a failing file back whole, in mode file (the files before it stay)
/// and in mode all (nothing stays), a failure at commit included (a deferred
/// constraint).
#[test]
fn postgres_a_failing_file_rolls_back_in_mode_file_and_all() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = TestDb::create(&server, "rollback").await;
        let files = |second: &str| {
            vec![
                Migration::new("1", "ok", "1_ok.sql", "INSERT INTO migration_log VALUES ('1', 'only');"),
                Migration::new("2", "bad", "2_bad.sql", format!("INSERT INTO migration_log VALUES ('2', 'only');\n{second}")),
            ]
        };
        // Mode all: 1 goes too.
        let all = Migrator::new(files("INSERT INTO nowhere VALUES (1);"))
            .expect("m")
            .with_options(MigratorOptions::new().tx_mode(TxMode::All));
        let error = all.apply_url(&db.url).await;
        assert!(
            matches!(&error, Err(MigrateError::Failed(f)) if f.version == "2" && f.statement == 2 && f.line == 2 && f.rolled_back && f.code.as_deref() == Some("42P01")),
            "{error:?}"
        );
        assert!(db.log().await.is_empty(), "mode all: nothing stays");
        assert_eq!(db.revisions().await, 0);

        // Mode file, failing at commit: 1 stays, 2 goes.
        db.exec("CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)").await;
        let file = Migrator::new(files("INSERT INTO child VALUES (42);")).expect("m");
        let error = file.apply_url(&db.url).await.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.starts_with("migration 2 (2_bad.sql) failed at commit: insert or update on table \"child\" violates foreign key constraint"),
            "{error}"
        );
        assert!(error.ends_with("; the file was rolled back"), "{error}");
        expect_once(&db.log().await, &[("1", "only")]);
        assert_eq!(db.revisions().await, 1);

        // Fixed (2 was never recorded, so no repair): it applies.
        db.exec("INSERT INTO parent VALUES (42)").await;
        let report = file.apply_url(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.applied.len(), 1);
        expect_once(&db.log().await, &[("1", "only"), ("2", "only")]);
        db.drop().await;
    });
}

#[test]
fn sqlite_mode_all_refuses_a_file_that_asks_for_no_transaction() {
    runtime().block_on(async {
        let pool = sqlite_pool().await;
        sqlx::raw_sql(LOG_TABLE)
            .execute(&pool)
            .await
            .expect("log table");
        let mut files = many(2);
        files[1] = files[1].clone().with_tx_mode(TxMode::None);
        let migrator = Migrator::new(files)
            .expect("m")
            .with_options(MigratorOptions::new().tx_mode(TxMode::All));
        let error = sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "migration 2 (2_step_2.sql) asks to run without a transaction, but the run's \
                 transaction mode is all: run it with mode file or none"
            )
        );
        assert!(sqlite_log(&pool).await.is_empty(), "nothing ran");
    });
}
