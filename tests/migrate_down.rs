//! `migrate down`: the live schema planned back to the schema of the migrations before
//! the reverted ones, data loss refused unless allowed, the revisions deleted with it.
//!
//! SQLite runs always. PostgreSQL and MariaDB need `SEXTANT_TEST_POSTGRES_URL` /
//! `SEXTANT_TEST_MYSQL_URL`; without them each test says why and passes, unless
//! `SEXTANT_REQUIRE_LIVE=1`. Each works in a database of its own, dropped at the end.

#![cfg(all(feature = "postgres", feature = "mysql", feature = "sqlite"))]
#![allow(clippy::print_stderr, clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{runtime, server, unique_name, with_database};
use sextant::migrate::{DownOptions, MigrateError, Migration, Migrator, MigratorOptions};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::str::FromStr as _;

/// Three migrations: a table, a second table referencing it plus a column, an index.
fn three(db_int: &str) -> Vec<Migration> {
    vec![
        Migration::new(
            "1",
            "users",
            "1_users.sql",
            format!("CREATE TABLE users (id {db_int} PRIMARY KEY, name text NOT NULL);\n"),
        ),
        Migration::new(
            "2",
            "posts",
            "2_posts.sql",
            format!(
                "CREATE TABLE posts (id {db_int} PRIMARY KEY, user_id {db_int} NOT NULL, \
                 body text, FOREIGN KEY (user_id) REFERENCES users (id));\n\
                 ALTER TABLE users ADD COLUMN email text;\n"
            ),
        ),
        Migration::new(
            "3",
            "users_name",
            "3_users_name.sql",
            "CREATE INDEX users_name ON users (name);\n",
        ),
    ]
}

fn versions(status: &sextant::migrate::Status) -> (Vec<String>, Vec<String>) {
    (
        status.applied.iter().map(|r| r.version.clone()).collect(),
        status.pending.iter().map(|p| p.version.clone()).collect(),
    )
}

async fn sqlite_names(pool: &sqlx::SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' \
         AND name <> 'sextant_revisions' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("reading the catalog")
}

#[test]
fn sqlite_down_reverts_refuses_data_loss_and_reapplies() {
    runtime().block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        let migrator = Migrator::new(three("integer")).expect("migrations");
        let applied = sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(applied.applied.len(), 3);

        // Down 1: the index goes, nothing is lost, revision 3 goes with it.
        let report = sextant::migrate::sqlite::down(&pool, &migrator, &DownOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let reverted: Vec<&str> = report.reverted.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(reverted, ["3"]);
        assert_eq!(report.target.as_deref(), Some("2"));
        let sql: Vec<&str> = report.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["DROP INDEX users_name;"]);
        assert!(report.executed && report.atomic);
        assert_eq!(
            sqlite_names(&pool).await,
            ["table posts", "table users"],
            "the index is gone, the tables stay"
        );
        let status = sextant::migrate::sqlite::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            versions(&status),
            (vec!["1".into(), "2".into()], vec!["3".into()])
        );

        // Data in the tables that reverting 2 and 1 would drop.
        sqlx::raw_sql(
            "INSERT INTO users (id, name, email) VALUES (1, 'ann', 'ann@example.com'); \
             INSERT INTO posts (id, user_id, body) VALUES (1, 1, 'hello');",
        )
        .execute(&pool)
        .await
        .expect("rows");

        // Down 3 with 2 applied: refused, nothing touched.
        let too_many =
            sextant::migrate::sqlite::down(&pool, &migrator, &DownOptions::new().steps(3)).await;
        assert!(
            matches!(
                too_many,
                Err(MigrateError::DownTooFew {
                    steps: 3,
                    applied: 2
                })
            ),
            "{too_many:?}"
        );

        // Down 2: refused before anything runs, each lossy statement listed.
        let refused =
            sextant::migrate::sqlite::down(&pool, &migrator, &DownOptions::new().steps(2))
                .await
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
        insta::assert_snapshot!(refused, @r"
        reverting to the start would lose data; nothing was run (allow it with --allow-destructive):
          - DROP TABLE posts; -- drops the table and its rows
          - DROP TABLE users; -- drops the table and its rows
        ");
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM posts")
            .fetch_one(&pool)
            .await
            .expect("posts are still there");
        assert_eq!(rows, 1);
        let status = sextant::migrate::sqlite::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(versions(&status).0, ["1", "2"]);

        // A dry run shows the plan and runs nothing.
        let dry = sextant::migrate::sqlite::down(
            &pool,
            &migrator,
            &DownOptions::new().steps(2).dry_run(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!dry.executed);
        assert_eq!(dry.statements.iter().filter(|s| s.destructive).count(), 2);
        assert_eq!(sqlite_names(&pool).await, ["table posts", "table users"]);

        // Allowed: both tables go, and both revisions.
        let report = sextant::migrate::sqlite::down(
            &pool,
            &migrator,
            &DownOptions::new().steps(2).allow_destructive(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let reverted: Vec<&str> = report.reverted.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(reverted, ["2", "1"]);
        assert_eq!(report.target, None);
        assert!(sqlite_names(&pool).await.is_empty());
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .expect("foreign_keys");
        assert_eq!(foreign_keys, 1, "the connection gets its foreign keys back");

        // Status shows them all pending; apply brings them back.
        let status = sextant::migrate::sqlite::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            versions(&status),
            (Vec::new(), vec!["1".into(), "2".into(), "3".into()])
        );
        let again = sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.applied.len(), 3);
        assert_eq!(
            sqlite_names(&pool).await,
            ["index users_name", "table posts", "table users"]
        );
    });
}

#[test]
fn sqlite_down_reverting_a_column_keeps_the_other_data() {
    runtime().block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        let files = vec![
            Migration::new("1", "users", "1_users.sql", "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);"),
            Migration::new("2", "email", "2_email.sql", "ALTER TABLE users ADD COLUMN email text;"),
        ];
        let migrator = Migrator::new(files).expect("migrations");
        sextant::migrate::sqlite::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sqlx::raw_sql("INSERT INTO users VALUES (1, 'ann', 'ann@example.com')")
            .execute(&pool)
            .await
            .expect("a row");
        let refused = sextant::migrate::sqlite::down(&pool, &migrator, &DownOptions::new()).await;
        assert!(
            matches!(&refused, Err(MigrateError::Destructive { hazards, .. }) if hazards.len() == 1),
            "{refused:?}"
        );
        sextant::migrate::sqlite::down(&pool, &migrator, &DownOptions::new().allow_destructive(true))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let row: (i64, String) = sqlx::query_as("SELECT * FROM users")
            .fetch_one(&pool)
            .await
            .expect("the row, without its email");
        assert_eq!(row, (1, "ann".to_owned()));
    });
}

/// PostgreSQL: the same steps in one transaction each, in a database of its own.
#[test]
fn postgres_down_reverts_refuses_data_loss_and_reapplies() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let name = unique_name("down");
        let admin = |sql: String| {
            let server = server.clone();
            async move {
                let mut conn = sqlx::postgres::PgConnectOptions::from_str(&server)
                    .expect("a URL")
                    .connect()
                    .await
                    .expect("connecting");
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .expect("admin statement");
                conn.close().await.expect("closing");
            }
        };
        admin(format!("CREATE DATABASE \"{name}\"")).await;
        let url = with_database(&server, &name);
        let migrator = Migrator::new(three("bigint")).expect("migrations");
        migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        let report = migrator
            .down_url(&url, &DownOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let sql: Vec<&str> = report.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["DROP INDEX public.users_name;"]);
        assert!(report.atomic);

        let pool = sqlx::PgPool::connect(&url).await.expect("a pool");
        sqlx::raw_sql(
            "INSERT INTO users (id, name, email) VALUES (1, 'ann', 'ann@example.com'); \
             INSERT INTO posts (id, user_id, body) VALUES (1, 1, 'hello');",
        )
        .execute(&pool)
        .await
        .expect("rows");
        let refused = sextant::migrate::postgres::down(
            &pool,
            &migrator,
            &DownOptions::new().steps(2),
        )
        .await;
        assert!(
            matches!(&refused, Err(MigrateError::Destructive { hazards, .. }) if hazards.len() == 2),
            "{refused:?}"
        );
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM posts")
            .fetch_one(&pool)
            .await
            .expect("posts are still there");
        assert_eq!(rows, 1);

        let report = sextant::migrate::postgres::down(
            &pool,
            &migrator,
            &DownOptions::new().steps(2).allow_destructive(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.reverted.len(), 2);
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' \
             AND tablename <> 'sextant_revisions'",
        )
        .fetch_one(&pool)
        .await
        .expect("tables");
        assert_eq!(tables, 0);
        let status = sextant::migrate::postgres::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            versions(&status),
            (Vec::new(), vec!["1".into(), "2".into(), "3".into()])
        );
        let again = sextant::migrate::postgres::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.applied.len(), 3);
        pool.close().await;
        admin(format!("DROP DATABASE \"{name}\" WITH (FORCE)")).await;
    });
}

/// MariaDB/MySQL: DDL commits by itself, so the statements run one by one and the
/// revisions are deleted after the last.
#[test]
fn mysql_down_reverts_refuses_data_loss_and_reapplies() {
    let Some(server) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let name = unique_name("down");
        let admin = |sql: String| {
            let server = server.clone();
            async move {
                let mut conn = sqlx::MySqlConnection::connect(&server)
                    .await
                    .expect("connecting");
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .expect("admin statement");
                conn.close().await.expect("closing");
            }
        };
        admin(format!("CREATE DATABASE `{name}`")).await;
        let url = with_database(&server, &name);
        let migrator = Migrator::new(three("bigint")).expect("migrations");
        migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        let report = migrator
            .down_url(&url, &DownOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.statements.len(), 1, "{:?}", report.statements);
        assert!(!report.statements[0].destructive);
        assert!(report.executed && !report.atomic);

        let pool = sqlx::MySqlPool::connect(&url).await.expect("a pool");
        sqlx::raw_sql(
            "INSERT INTO users (id, name, email) VALUES (1, 'ann', 'ann@example.com'); \
             INSERT INTO posts (id, user_id, body) VALUES (1, 1, 'hello');",
        )
        .execute(&pool)
        .await
        .expect("rows");
        let refused =
            sextant::migrate::mysql::down(&pool, &migrator, &DownOptions::new().steps(2)).await;
        assert!(
            matches!(&refused, Err(MigrateError::Destructive { hazards, .. }) if hazards.len() == 2),
            "{refused:?}"
        );
        let report = sextant::migrate::mysql::down(
            &pool,
            &migrator,
            &DownOptions::new().steps(2).allow_destructive(true),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.reverted.len(), 2);
        let status = sextant::migrate::mysql::status(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            versions(&status),
            (Vec::new(), vec!["1".into(), "2".into(), "3".into()])
        );
        let again = sextant::migrate::mysql::apply(&pool, &migrator)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.applied.len(), 3);
        pool.close().await;
        admin(format!("DROP DATABASE `{name}`")).await;
    });
}

/// PostgreSQL with the revision table under another name in a schema of its own: the
/// down neither drops that schema nor the table, though no migration makes them.
#[test]
fn postgres_down_keeps_a_configured_revision_table() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let name = unique_name("down_ops");
        let admin = |sql: String| {
            let server = server.clone();
            async move {
                let mut conn = sqlx::postgres::PgConnectOptions::from_str(&server)
                    .expect("a URL")
                    .connect()
                    .await
                    .expect("connecting");
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .expect("admin statement");
                conn.close().await.expect("closing");
            }
        };
        admin(format!("CREATE DATABASE \"{name}\"")).await;
        let url = with_database(&server, &name);
        let migrator = Migrator::new(three("bigint"))
            .expect("migrations")
            .with_options(MigratorOptions::new().schema("ops").table("history"));
        migrator
            .apply_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let dry = migrator
            .down_url(&url, &DownOptions::new().steps(3).dry_run(true))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let sql: Vec<&str> = dry.statements.iter().map(|s| s.sql.as_str()).collect();
        assert!(
            sql.iter()
                .all(|s| !s.contains("ops") && !s.contains("history")),
            "{sql:?}"
        );
        migrator
            .down_url(&url, &DownOptions::new().steps(3).allow_destructive(true))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = migrator
            .status_url(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            versions(&status),
            (Vec::new(), vec!["1".into(), "2".into(), "3".into()])
        );
        admin(format!("DROP DATABASE \"{name}\" WITH (FORCE)")).await;
    });
}
