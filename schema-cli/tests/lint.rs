//! `sextant lint` on a migrations directory: the output in each format, the exit
//! status, and the configuration file. Snapshotted as the user sees it.

#![allow(clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const FIRST: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text, nickname text);
CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);
";

const SECOND: &str = "SET lock_timeout = '2s';
SET statement_timeout = '5min';
CREATE INDEX posts_author_idx ON posts (author);
-- sextant:nolint drop-column
ALTER TABLE users DROP COLUMN nickname;
DROP TABLE posts;
";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sextant-lint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(dir.join("migrations/001_init.sql"), FIRST).unwrap();
    std::fs::write(dir.join("migrations/002_change.sql"), SECOND).unwrap();
    dir
}

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

#[test]
fn human_output_fails_on_an_error() {
    let dir = scratch("human");
    insta::assert_snapshot!(sextant(
        &dir,
        &["lint", "migrations", "--dialect", "postgres"]
    ));
}

#[test]
fn json_output() {
    let dir = scratch("json");
    insta::assert_snapshot!(sextant(
        &dir,
        &["lint", "migrations", "-d", "postgres", "--format", "json"]
    ));
}

#[test]
fn github_annotations() {
    let dir = scratch("github");
    insta::assert_snapshot!(sextant(
        &dir,
        &["lint", "migrations", "-d", "postgres", "--format", "github"]
    ));
}

#[test]
fn the_config_file_turns_rules_off_and_sets_severities() {
    let dir = scratch("config");
    std::fs::write(
        dir.join("sextant.toml"),
        "[lint]\n[lint.rules]\ndrop-table = \"warning\"\nPG101 = \"off\"\nrequire-primary-key = \"off\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(sextant(&dir, &["lint", "migrations", "-d", "postgres"]));
}

#[test]
fn a_bad_config_is_an_error_with_the_key() {
    let dir = scratch("bad-config");
    std::fs::write(
        dir.join("sextant.toml"),
        "[lint.rules]\nno-such-rule = \"off\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(sextant(&dir, &["lint", "migrations", "-d", "postgres"]));
}

#[test]
fn diff_lint_lints_the_plan_it_prints() {
    let dir = scratch("diff");
    std::fs::write(dir.join("from.sql"), FIRST).unwrap();
    std::fs::write(
        dir.join("to.sql"),
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);\n",
    )
    .unwrap();
    insta::assert_snapshot!(sextant(
        &dir,
        &[
            "diff", "--from", "from.sql", "--to", "to.sql", "-d", "postgres", "--lint"
        ]
    ));
}

/// The server URL a live test runs against, or `None` (said on stderr) when it is not
/// set; `SEXTANT_REQUIRE_LIVE=1` makes a missing server a failure.
fn postgres_server() -> Option<String> {
    match std::env::var("SEXTANT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but SEXTANT_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipped: SEXTANT_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

/// The server URL with another database.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{base}/{database}{query}")
}

/// With `--url`, lint reads the tables' row estimates from PostgreSQL's catalog: an
/// analyzed table of 20,000 rows keeps its warnings and says its size, a table of 5
/// rows makes its lock findings notes, an empty one its data findings too, and a table
/// never analyzed, or analyzed before it got rows, is not graded. Runs in a database of
/// its own.
#[test]
fn table_sizes_from_postgres_grade_the_findings() {
    use sqlx::Connection;
    let Some(server) = postgres_server() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let database = format!("sextant_lint_rows_{}_{nanos}", std::process::id());
    let url = with_database(&server, &database);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{database}\""
        )))
        .execute(&mut admin)
        .await
        .unwrap();
        admin.close().await.unwrap();
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE orders (id bigint PRIMARY KEY, note text);
             INSERT INTO orders SELECT g, 'n' FROM generate_series(1, 20000) g;
             CREATE TABLE tags (id bigint PRIMARY KEY, note text);
             INSERT INTO tags SELECT g, 'n' FROM generate_series(1, 5) g;
             CREATE TABLE empty (id bigint PRIMARY KEY, note text);
             CREATE TABLE grown (id bigint PRIMARY KEY, note text);
             ANALYZE orders, tags, empty, grown;
             INSERT INTO grown SELECT g, 'n' FROM generate_series(1, 5) g;
             CREATE TABLE fresh (id bigint PRIMARY KEY, note text);
             INSERT INTO fresh SELECT g, 'n' FROM generate_series(1, 5) g;",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });

    let rows = runtime.block_on(schema_inspect::live::table_rows(&url));
    let dir = std::env::temp_dir().join(format!("sextant-lint-{}-rows", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(
        dir.join("migrations/001_init.sql"),
        "CREATE TABLE orders (id bigint PRIMARY KEY, note text);
CREATE TABLE tags (id bigint PRIMARY KEY, note text);
CREATE TABLE empty (id bigint PRIMARY KEY, note text);
CREATE TABLE fresh (id bigint PRIMARY KEY, note text);
",
    )
    .unwrap();
    std::fs::write(
        dir.join("migrations/002_change.sql"),
        "SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
ALTER TABLE tags ALTER COLUMN note SET NOT NULL;
ALTER TABLE empty ALTER COLUMN note SET NOT NULL;
ALTER TABLE fresh ALTER COLUMN note SET NOT NULL;
",
    )
    .unwrap();
    let output = sextant(
        &dir,
        &["lint", "migrations", "--dialect", "postgres", "--url", &url],
    );
    let mismatched = sextant(
        &dir,
        &["lint", "migrations", "--dialect", "mysql", "--url", &url],
    );
    // The plan from the database grades its findings by the same estimates.
    std::fs::write(
        dir.join("desired.sql"),
        "CREATE TABLE orders (id bigint PRIMARY KEY, note text NOT NULL);
CREATE TABLE tags (id bigint PRIMARY KEY, note text NOT NULL);
CREATE TABLE empty (id bigint PRIMARY KEY, note text NOT NULL);
CREATE TABLE grown (id bigint PRIMARY KEY, note text);
CREATE TABLE fresh (id bigint PRIMARY KEY, note text NOT NULL);
",
    )
    .unwrap();
    let planned = sextant(
        &dir,
        &["diff", "--from", &url, "--to", "desired.sql", "--lint"],
    );

    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE \"{database}\" WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await
        .unwrap();
        admin.close().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);

    let rows = rows.unwrap();
    let estimate = |table: &str| {
        rows.get(&schema_model::QualifiedName::new("public", table))
            .copied()
    };
    assert_eq!(estimate("orders"), Some(20_000));
    assert_eq!(estimate("tags"), Some(5));
    assert_eq!(estimate("empty"), Some(0));
    assert_eq!(estimate("fresh"), None, "never analyzed: unknown");
    assert_eq!(
        estimate("grown"),
        None,
        "analyzed when empty, rows since: unknown, not empty"
    );
    assert!(
        mismatched.contains("does not match the URL") && !mismatched.contains('@'),
        "{mismatched}"
    );
    // The database name differs per run; the snapshots hold everything else.
    insta::assert_snapshot!(output.replace(&database, "<database>"));
    insta::assert_snapshot!(
        "table_sizes_from_postgres_grade_the_plan_findings",
        planned.replace(&database, "<database>")
    );
}
