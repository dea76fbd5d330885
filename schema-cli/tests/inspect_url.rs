//! `sextant inspect --url`: the live form gives what the file form gives, diagrams
//! included, and connection errors name the server but never the password.

use std::path::PathBuf;
use std::process::Command;

const SCHEMA: &str = "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    price NUMERIC CHECK (price >= 0)
);
CREATE INDEX books_title ON books (title);
CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
";

fn sextant(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running sextant: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sextant-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// A SQLite database file built from [`SCHEMA`] by SQLite itself.
fn database_file(dir: &std::path::Path) -> PathBuf {
    use sqlx::{ConnectOptions as _, Connection as _};
    let path = dir.join("books.db");
    let _ = std::fs::remove_file(&path);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        sqlx::raw_sql(SCHEMA)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("applying the schema: {e}"));
        conn.close()
            .await
            .unwrap_or_else(|e| panic!("closing: {e}"));
    });
    path
}

#[test]
fn live_sqlite_matches_the_sql_file() {
    let dir = scratch_dir("match");
    let db = database_file(&dir);
    let sql = dir.join("books.sql");
    std::fs::write(&sql, SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}?mode=ro", db.display());
    let sql_path = sql.to_string_lossy().into_owned();
    for format in ["json", "sql", "mermaid", "dot"] {
        let (ok, live, stderr) = sextant(&["inspect", "--url", &url, "--format", format]);
        assert!(ok, "--url, --format {format}: {stderr}");
        let (ok, file, stderr) = sextant(&[
            "inspect",
            &sql_path,
            "--dialect",
            "sqlite",
            "--format",
            format,
        ]);
        assert!(ok, "file, --format {format}: {stderr}");
        assert_eq!(
            live, file,
            "--format {format}: the live and file forms differ"
        );
    }
    let (_, mermaid, _) = sextant(&["inspect", "--url", &url, "--format", "mermaid"]);
    insta::assert_snapshot!(mermaid);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_sqlite_file_is_an_error_not_a_new_database() {
    let dir = scratch_dir("missing");
    let path = dir.join("nope.db");
    let (ok, _, stderr) = sextant(&["inspect", "--url", &format!("sqlite://{}", path.display())]);
    assert!(!ok);
    assert!(stderr.contains("nope.db"), "{stderr}");
    assert!(!path.exists(), "inspect created the file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn connection_errors_name_the_server_and_hide_the_password() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    for url in [
        "postgres://app:s3cr3t-pw@127.0.0.1:1/appdb",
        "mysql://app:s3cr3t-pw@127.0.0.1:1/appdb",
    ] {
        let (ok, _, stderr) = sextant(&["inspect", "--url", url]);
        assert!(!ok, "{url}");
        assert!(stderr.contains("127.0.0.1:1"), "{url}: {stderr}");
        assert!(stderr.contains("appdb"), "{url}: {stderr}");
        assert!(
            !stderr.contains("s3cr3t-pw"),
            "{url}: the password leaked: {stderr}"
        );
    }
}

#[test]
fn a_path_or_a_url_is_needed_and_the_dialect_must_agree() {
    let (ok, _, stderr) = sextant(&["inspect"]);
    assert!(!ok);
    assert!(stderr.contains("--url"), "{stderr}");
    let (ok, _, stderr) = sextant(&[
        "inspect",
        "--url",
        "sqlite::memory:",
        "--dialect",
        "postgres",
    ]);
    assert!(!ok);
    assert!(stderr.contains("does not match"), "{stderr}");
}
