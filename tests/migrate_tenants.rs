//! Many tenants against real servers: PostgreSQL schemas and MariaDB databases, one
//! tenant failing while the others are migrated.
//!
//! PostgreSQL and MariaDB need `SEXTANT_TEST_POSTGRES_URL` / `SEXTANT_TEST_MYSQL_URL`;
//! without them each test says why and passes, unless `SEXTANT_REQUIRE_LIVE=1`. Every
//! test works in databases of its own, dropped at the end.

#![cfg(all(feature = "postgres", feature = "mysql", feature = "sqlite"))]
#![allow(
    clippy::print_stderr,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::unwrap_used
)]

mod common;

use common::{runtime, server, unique_name, with_database};
use sextant::migrate::tenants::{self, TenantKind, TenantsError, TenantsReport};
use sextant::migrate::{Migration, Migrator};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::str::FromStr as _;

async fn pg_exec(url: &str, sql: &str) {
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

async fn pg_scalar(url: &str, sql: &str) -> Option<String> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connecting");
    let value = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.expect("closing");
    value
}

async fn my_exec(url: &str, sql: &str) {
    let mut conn = sqlx::MySqlConnection::connect(url)
        .await
        .expect("connecting");
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.expect("closing");
}

async fn my_count(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::MySqlConnection::connect(url)
        .await
        .expect("connecting");
    let value = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.expect("closing");
    value
}

/// Tenant name -> applied versions, or the error's text.
fn outcomes(report: &TenantsReport) -> Vec<(String, Result<Vec<String>, String>)> {
    report
        .results
        .iter()
        .map(|r| {
            (
                r.tenant.clone(),
                r.outcome
                    .as_ref()
                    .map(|run| run.applied.iter().map(|a| a.version.clone()).collect())
                    .map_err(|e| e.to_string()),
            )
        })
        .collect()
}

#[test]
fn postgres_schema_tenants_one_failing_leaves_the_others_migrated() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let name = unique_name("ten_pg_schemas");
        pg_exec(&server, &format!("CREATE DATABASE \"{name}\"")).await;
        let url = with_database(&server, &name);
        pg_exec(
            &url,
            "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c;
             CREATE SCHEMA other;
             CREATE TABLE tenant_b.items (legacy int);",
        )
        .await;
        // The first file creates accounts before it trips on tenant_b's items: a
        // rolled-back file leaves no accounts behind there.
        let migrator = Migrator::new(vec![
            Migration::new(
                "1",
                "init",
                "1_init.sql",
                "CREATE TABLE accounts (id int PRIMARY KEY);\n\
                 CREATE TABLE items (id int PRIMARY KEY, account int REFERENCES accounts (id));\n",
            ),
            Migration::new(
                "2",
                "name",
                "2_name.sql",
                "ALTER TABLE items ADD name text;\n",
            ),
        ])
        .expect("migrations");

        let mut progress = Vec::new();
        let report = tenants::apply(
            &migrator,
            &url,
            TenantKind::Schema,
            "tenant_*",
            2,
            |result, done, total| progress.push((result.tenant.clone(), done, total)),
        )
        .await
        .expect("the run starts");

        let got = outcomes(&report);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["tenant_a", "tenant_b", "tenant_c"]);
        assert_eq!(got[0].1, Ok(vec!["1".to_owned(), "2".to_owned()]));
        assert_eq!(got[2].1, Ok(vec!["1".to_owned(), "2".to_owned()]));
        let error = got[1].1.clone().expect_err("tenant_b fails");
        assert!(error.contains("items"), "{error}");
        assert!(error.contains("already exists"), "{error}");
        assert_eq!(report.failed(), 1);
        let mut done: Vec<(usize, usize)> = progress.iter().map(|&(_, d, t)| (d, t)).collect();
        done.sort_unstable();
        assert_eq!(done, [(1, 3), (2, 3), (3, 3)]);

        // The migrated tenants have the tables and their own revisions; the failing
        // one has nothing of the file, and neither public nor `other` was touched.
        let count = |schema: &str| {
            format!(
                "SELECT count(*)::text FROM {schema}.sextant_revisions \
                 WHERE statements_applied = statements_total"
            )
        };
        for schema in ["tenant_a", "tenant_c"] {
            assert_eq!(pg_scalar(&url, &count(schema)).await.as_deref(), Some("2"));
            let columns = pg_scalar(
                &url,
                &format!(
                    "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute \
                     WHERE attrelid = '{schema}.items'::regclass AND attnum > 0"
                ),
            )
            .await;
            assert_eq!(columns.as_deref(), Some("id,account,name"));
        }
        assert_eq!(
            pg_scalar(&url, &count("tenant_b")).await.as_deref(),
            Some("0")
        );
        for missing in [
            "tenant_b.accounts",
            "public.accounts",
            "public.items",
            "public.sextant_revisions",
            "other.accounts",
            "other.sextant_revisions",
        ] {
            assert_eq!(
                pg_scalar(&url, &format!("SELECT to_regclass('{missing}')::text")).await,
                None,
                "{missing}"
            );
        }
        let legacy = pg_scalar(
            &url,
            "SELECT string_agg(attname, ',') FROM pg_attribute \
             WHERE attrelid = 'tenant_b.items'::regclass AND attnum > 0",
        )
        .await;
        assert_eq!(legacy.as_deref(), Some("legacy"));

        // Again: the migrated tenants are up to date, the failing one fails again.
        let again = tenants::apply(
            &migrator,
            &url,
            TenantKind::Schema,
            "tenant_*",
            3,
            |_, _, _| {},
        )
        .await
        .expect("the run starts");
        let got = outcomes(&again);
        assert_eq!(got[0].1, Ok(vec![]));
        assert!(got[1].1.is_err());
        assert_eq!(got[2].1, Ok(vec![]));

        pg_exec(
            &server,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )
        .await;
    });
}

#[test]
fn postgres_database_tenants_each_get_their_own_revisions() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let prefix = unique_name("ten_pg_dbs");
        let databases: Vec<String> = ["a", "b"].iter().map(|t| format!("{prefix}_{t}")).collect();
        for db in &databases {
            pg_exec(&server, &format!("CREATE DATABASE \"{db}\"")).await;
        }
        let migrator = Migrator::new(vec![Migration::new(
            "1",
            "init",
            "1_init.sql",
            "CREATE TABLE accounts (id int PRIMARY KEY);\n",
        )])
        .expect("migrations");
        let report = tenants::apply(
            &migrator,
            &server,
            TenantKind::Database,
            &format!("{prefix}_*"),
            2,
            |_, _, _| {},
        )
        .await
        .expect("the run starts");
        let got = outcomes(&report);
        let expected: Vec<(String, Result<Vec<String>, String>)> = databases
            .iter()
            .map(|db| (db.clone(), Ok(vec!["1".to_owned()])))
            .collect();
        assert_eq!(got, expected);
        for db in &databases {
            let url = with_database(&server, db);
            assert_eq!(
                pg_scalar(&url, "SELECT count(*)::text FROM public.sextant_revisions")
                    .await
                    .as_deref(),
                Some("1"),
                "{db}"
            );
        }
        for db in &databases {
            pg_exec(
                &server,
                &format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"),
            )
            .await;
        }
    });
}

#[test]
fn mysql_database_tenants_one_failing_leaves_the_others_migrated() {
    let Some(server) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let prefix = unique_name("ten_my_dbs");
        let databases: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|t| format!("{prefix}_{t}"))
            .collect();
        for db in &databases {
            my_exec(&server, &format!("CREATE DATABASE `{db}`")).await;
        }
        let b_url = with_database(&server, &databases[1]);
        my_exec(&b_url, "CREATE TABLE items (legacy int)").await;
        // MySQL commits DDL as it goes, so the conflicting statement comes first: the
        // failing tenant stops before anything of the file is done.
        let migrator = Migrator::new(vec![
            Migration::new(
                "1",
                "init",
                "1_init.sql",
                "CREATE TABLE items (id int PRIMARY KEY);\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
            ),
            Migration::new("2", "name", "2_name.sql", "ALTER TABLE items ADD name text;\n"),
        ])
        .expect("migrations");

        let report = tenants::apply(
            &migrator,
            &server,
            TenantKind::Database,
            &format!("{prefix}_*"),
            3,
            |_, _, _| {},
        )
        .await
        .expect("the run starts");
        let got = outcomes(&report);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, databases.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(got[0].1, Ok(vec!["1".to_owned(), "2".to_owned()]));
        assert_eq!(got[2].1, Ok(vec!["1".to_owned(), "2".to_owned()]));
        let error = got[1].1.clone().expect_err("the b tenant fails");
        assert!(error.contains("items"), "{error}");

        for (db, revisions, accounts) in [(&databases[0], 2, 1), (&databases[1], 0, 0), (&databases[2], 2, 1)] {
            let url = with_database(&server, db);
            assert_eq!(
                my_count(
                    &url,
                    "SELECT count(*) FROM sextant_revisions WHERE statements_applied = statements_total"
                )
                .await,
                revisions,
                "{db}"
            );
            assert_eq!(
                my_count(
                    &url,
                    "SELECT count(*) FROM information_schema.tables \
                     WHERE table_schema = DATABASE() AND table_name = 'accounts'"
                )
                .await,
                accounts,
                "{db}"
            );
        }

        for db in &databases {
            my_exec(&server, &format!("DROP DATABASE IF EXISTS `{db}`")).await;
        }
    });
}

#[test]
fn sqlite_has_no_tenants_and_says_so() {
    runtime().block_on(async {
        let migrator = Migrator::new(vec![]).expect("migrations");
        let error = tenants::apply(
            &migrator,
            "sqlite::memory:",
            TenantKind::Database,
            "*",
            1,
            |_, _, _| {},
        )
        .await
        .expect_err("SQLite has no tenants");
        assert!(matches!(error, TenantsError::Unsupported { .. }), "{error}");
        assert!(
            error.to_string().contains("one file is one database"),
            "{error}"
        );
    });
}

#[test]
fn a_password_never_reaches_the_error() {
    runtime().block_on(async {
        let migrator = Migrator::new(vec![]).expect("migrations");
        // Nothing listens on port 1.
        let error = tenants::apply(
            &migrator,
            "postgres://app:s3cr3t-pw@127.0.0.1:1/app",
            TenantKind::Schema,
            "*",
            1,
            |_, _, _| {},
        )
        .await
        .expect_err("nothing to connect to");
        let text = error.to_string();
        assert!(!text.contains("s3cr3t-pw"), "{text}");
        assert!(text.contains("listing the tenants"), "{text}");
    });
}
