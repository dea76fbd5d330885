//! `sextant migrate apply --tenants`: the progress lines and the per-tenant report as
//! the user sees them, timings masked. PostgreSQL needs `SEXTANT_TEST_POSTGRES_URL`;
//! without it the test says why and passes, unless `SEXTANT_REQUIRE_LIVE=1`.

#![allow(clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr as _;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sextant-tenants-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs sextant in `dir`; exit status, stdout and stderr as one text.
fn sextant(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running sextant: {e}"));
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every `(123 ms)` as `(N ms)`: timings change from run to run.
fn mask_timings(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('(') {
        out.push_str(&rest[..=start]);
        rest = &rest[start + 1..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms)") {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

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

/// The URL with its database replaced.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let rest = base.split_once("://").map(|(_, rest)| rest).unwrap_or(base);
    let host_end = rest
        .find('/')
        .map_or(base.len(), |i| base.len() - rest.len() + i);
    format!("{}/{database}{query}", &base[..host_end])
}

fn pg_exec(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::postgres::PgConnectOptions::from_str(url)
            .unwrap()
            .connect()
            .await
            .expect("connecting");
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.unwrap();
    });
}

#[test]
fn tenants_report_on_postgres_schemas() {
    let Some(server) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!("sextant_cli_tenants_{}_{nanos}", std::process::id());
    pg_exec(&server, &format!("CREATE DATABASE \"{name}\""));
    let url = with_database(&server, &name);
    pg_exec(
        &url,
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c;
         CREATE SCHEMA unrelated; CREATE TABLE tenant_b.items (legacy int);",
    );
    let dir = scratch("pg");
    write(
        &dir,
        "migrations/1_init.sql",
        "CREATE TABLE accounts (id int PRIMARY KEY);\nCREATE TABLE items (id int PRIMARY KEY);\n",
    );
    write(
        &dir,
        "migrations/2_name.sql",
        "ALTER TABLE items ADD name text;\n",
    );
    let hashed = sextant(&dir, &["migrate", "hash"]);
    assert!(hashed.starts_with("exit: 0"), "{hashed}");

    // One job: the progress lines come in name order, so the snapshot is stable.
    let args = [
        "migrate",
        "apply",
        "--url",
        &url,
        "--tenants",
        "tenant_*",
        "--jobs",
        "1",
    ];
    let first = mask_timings(&sextant(&dir, &args));
    let again = mask_timings(&sextant(&dir, &args));
    pg_exec(
        &server,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    );
    insta::assert_snapshot!("tenants_first_run", first);
    insta::assert_snapshot!("tenants_second_run", again);
}

#[test]
fn tenants_refuse_a_shared_revisions_schema() {
    let dir = scratch("shared");
    write(&dir, "migrations/1_init.sql", "CREATE TABLE t (id int);\n");
    sextant(&dir, &["migrate", "hash"]);
    let refused = sextant(
        &dir,
        &[
            "migrate",
            "apply",
            "--url",
            "postgres://app:s3cr3t@127.0.0.1:1/app",
            "--tenants",
            "t_*",
            "--revisions-schema",
            "ops",
        ],
    );
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(
        refused.contains("--revisions-schema goes only with"),
        "{refused}"
    );
    assert!(!refused.contains("s3cr3t"), "{refused}");
}

#[test]
fn tenants_on_sqlite_are_an_error() {
    let dir = scratch("sqlite");
    write(&dir, "migrations/1_init.sql", "CREATE TABLE t (id int);\n");
    sextant(&dir, &["migrate", "hash"]);
    let refused = sextant(
        &dir,
        &[
            "migrate",
            "apply",
            "--url",
            "sqlite::memory:",
            "--tenants",
            "*",
        ],
    );
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(refused.contains("one file is one database"), "{refused}");
}
