//! `sextant migrate diff/new/hash/validate` on migration directories: the files written,
//! atlas.sum kept current, and the refusals. Snapshotted as the user sees them.

#![allow(clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch working directory of its own per test (tests run in parallel).
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sextant-migrate-dir-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("reading {file}: {e}"))
}

/// The directory's files, sorted, one per line.
fn listing(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.join("\n")
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

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email ON users (email);
";

const USERS_AND_POSTS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE posts (id bigint PRIMARY KEY, author bigint NOT NULL REFERENCES users (id));
";

fn diff(dir: &Path, name: &str, version: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "migrate",
        "diff",
        name,
        "--to",
        "schema.sql",
        "--dialect",
        "postgres",
        "--version",
        version,
    ];
    args.extend_from_slice(extra);
    sextant(dir, &args)
}

#[test]
fn diff_writes_the_next_file_and_the_sum() {
    let dir = scratch("diff");
    write(&dir, "schema.sql", USERS);
    insta::assert_snapshot!(
        "diff_first_output",
        diff(&dir, "init", "20240101000000", &[])
    );
    write(&dir, "schema.sql", USERS_AND_POSTS);
    insta::assert_snapshot!(
        "diff_second_output",
        diff(&dir, "posts", "20240102000000", &[])
    );
    let migrations = dir.join("migrations");
    assert_eq!(
        listing(&migrations),
        "20240101000000_init.sql\n20240102000000_posts.sql\natlas.sum"
    );
    insta::assert_snapshot!(
        "diff_first_file",
        read(&migrations, "20240101000000_init.sql")
    );
    insta::assert_snapshot!(
        "diff_second_file",
        read(&migrations, "20240102000000_posts.sql")
    );
    // The sum's hashes are checked against an independent implementation in the
    // library's unit tests; here it must cover both files, in name order, and validate.
    let sum = read(&migrations, "atlas.sum");
    let names: Vec<&str> = sum
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["20240101000000_init.sql", "20240102000000_posts.sql"]
    );
    let validated = sextant(&dir, &["migrate", "validate", "--dialect", "postgres"]);
    assert!(validated.starts_with("exit: 0"), "{validated}");
}

#[test]
fn diff_with_nothing_to_do_writes_nothing() {
    let dir = scratch("nochange");
    write(&dir, "schema.sql", USERS);
    diff(&dir, "init", "1", &[]);
    let before = listing(&dir.join("migrations"));
    let sum_before = read(&dir.join("migrations"), "atlas.sum");
    insta::assert_snapshot!(diff(&dir, "again", "2", &[]), @r"
    exit: 0
    --- stdout
    --- stderr
    no changes: the directory already reaches the desired schema
    ");
    assert_eq!(listing(&dir.join("migrations")), before);
    assert_eq!(read(&dir.join("migrations"), "atlas.sum"), sum_before);
}

#[test]
fn diff_refuses_data_loss_unless_allowed() {
    let dir = scratch("destructive");
    write(&dir, "schema.sql", USERS_AND_POSTS);
    diff(&dir, "init", "1", &[]);
    write(
        &dir,
        "schema.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    insta::assert_snapshot!("diff_refused", diff(&dir, "shrink", "2", &[]));
    assert_eq!(listing(&dir.join("migrations")), "1_init.sql\natlas.sum");
    let allowed = diff(&dir, "shrink", "2", &["--allow-destructive"]);
    assert!(allowed.starts_with("exit: 0"), "{allowed}");
    insta::assert_snapshot!(
        "diff_destructive_file",
        read(&dir.join("migrations"), "2_shrink.sql")
    );
}

#[test]
fn diff_refuses_a_stale_sum() {
    let dir = scratch("stale");
    write(&dir, "schema.sql", USERS);
    diff(&dir, "init", "1", &[]);
    write(
        &dir,
        "migrations/1_init.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    write(&dir, "schema.sql", USERS_AND_POSTS);
    insta::assert_snapshot!("diff_stale_sum", diff(&dir, "posts", "2", &[]));
    assert_eq!(listing(&dir.join("migrations")), "1_init.sql\natlas.sum");
}

#[test]
fn diff_in_a_goose_directory_writes_goose_sections() {
    let dir = scratch("goose");
    write(
        &dir,
        "db/00001_users.sql",
        "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n\n-- +goose Down\nDROP TABLE users;\n",
    );
    write(&dir, "schema.sql", USERS);
    let output = sextant(
        &dir,
        &[
            "migrate",
            "diff",
            "email_index",
            "--dir",
            "db",
            "--to",
            "schema.sql",
            "--dialect",
            "postgres",
            "--version",
            "00002",
        ],
    );
    assert!(output.starts_with("exit: 0"), "{output}");
    insta::assert_snapshot!(
        "diff_goose_file",
        read(&dir.join("db"), "00002_email_index.sql")
    );
}

#[test]
fn new_writes_an_empty_file_and_the_sum() {
    let dir = scratch("new");
    insta::assert_snapshot!(sextant(&dir, &["migrate", "new", "backfill", "--version", "7"]), @r"
    exit: 0
    --- stdout
    wrote migrations/7_backfill.sql
    --- stderr
    ");
    assert_eq!(read(&dir.join("migrations"), "7_backfill.sql"), "");
    // Independently computed (Python hashlib, the algorithm of atlas.md §3.2): the
    // running SHA-256 after "7_backfill.sql" and no bytes, and the header over the line.
    assert_eq!(
        read(&dir.join("migrations"), "atlas.sum"),
        "h1:K94sF/A+PP31zKhvCqhxnz8fwnh3jSQUVf0gJZvmf54=\n7_backfill.sql h1:qs5BrPH0sdvKhgGRT8js2Sw9QTWa3jPTbgI+iefd+fE=\n"
    );
    insta::assert_snapshot!(sextant(&dir, &["migrate", "new", "bad name"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: the migration name `bad name` may hold only letters, digits, `_` and `-`
    ");
}

#[test]
fn hash_then_validate_and_a_tampered_file() {
    let dir = scratch("validate");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    write(
        &dir,
        "migrations/2_posts.sql",
        "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));\n",
    );
    insta::assert_snapshot!(
        "validate_missing_sum",
        sextant(&dir, &["migrate", "validate", "-d", "postgres"])
    );
    insta::assert_snapshot!(sextant(&dir, &["migrate", "hash"]), @r"
    exit: 0
    --- stdout
    wrote migrations/atlas.sum (2 files)
    --- stderr
    ");
    insta::assert_snapshot!(
        "validate_ok",
        sextant(&dir, &["migrate", "validate", "-d", "postgres"])
    );
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, x int);\n",
    );
    insta::assert_snapshot!(
        "validate_tampered",
        sextant(&dir, &["migrate", "validate", "-d", "postgres"])
    );
}

#[test]
fn validate_points_at_the_failing_statement() {
    let dir = scratch("replay-error");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    write(
        &dir,
        "migrations/2_posts.sql",
        "-- comment\nCREATE TABLE posts (id bigint PRIMARY KEY);\n  ALTER TABLE post ADD COLUMN title text;\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    insta::assert_snapshot!(
        "validate_replay_error",
        sextant(&dir, &["migrate", "validate", "-d", "postgres"])
    );
}

#[test]
fn validate_fails_on_a_lint_error() {
    let dir = scratch("lint-error");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
    );
    write(
        &dir,
        "migrations/2_drop.sql",
        "ALTER TABLE users DROP COLUMN nickname;\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    let output = sextant(&dir, &["migrate", "validate", "-d", "postgres"]);
    assert!(output.starts_with("exit: 1"), "{output}");
    assert!(output.contains("error[DS103/drop-column]"), "{output}");
}

#[test]
fn dev_database_replay_on_sqlite() {
    let dir = scratch("dev-sqlite");
    write(
        &dir,
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n",
    );
    let dev = ["--dev-url", "sqlite::memory:"];
    let first = sextant(
        &dir,
        &[
            &[
                "migrate",
                "diff",
                "init",
                "--to",
                "schema.sql",
                "--version",
                "1",
            ][..],
            &dev,
        ]
        .concat(),
    );
    assert!(first.starts_with("exit: 0"), "{first}");
    write(
        &dir,
        "migrations/2_bad.sql",
        "ALTER TABLE nope ADD COLUMN x int;\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    insta::assert_snapshot!(
        "dev_replay_error",
        sextant(&dir, &[&["migrate", "validate"][..], &dev].concat())
    );
}

#[test]
fn other_layouts_are_read_as_detected_or_named() {
    let dir = scratch("layouts");
    write(
        &dir,
        "fw/V1__users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    write(
        &dir,
        "fw/V1_1__posts.sql",
        "CREATE TABLE posts (id bigint PRIMARY KEY);\n",
    );
    write(&dir, "fw/R__views.sql", "CREATE VIEW v AS SELECT 1;\n");
    insta::assert_snapshot!(
        "flyway_repeatable",
        sextant(
            &dir,
            &["migrate", "validate", "--dir", "fw", "-d", "postgres"]
        )
    );
    std::fs::remove_file(dir.join("fw/R__views.sql")).unwrap();
    let flyway = sextant(
        &dir,
        &["migrate", "validate", "--dir", "fw", "-d", "postgres"],
    );
    assert!(
        flyway.contains("2 migrations (flyway layout), no atlas.sum"),
        "{flyway}"
    );
    assert!(flyway.starts_with("exit: 0"), "{flyway}");

    write(
        &dir,
        "plain/20240101_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    );
    let atlas = sextant(
        &dir,
        &["migrate", "validate", "--dir", "plain", "-d", "postgres"],
    );
    assert!(atlas.contains("atlas.sum: not found"), "{atlas}");
    let sqlx = sextant(
        &dir,
        &[
            "migrate", "validate", "--dir", "plain", "--layout", "sqlx", "-d", "postgres",
        ],
    );
    assert!(
        sqlx.contains("1 migration (sqlx layout), no atlas.sum"),
        "{sqlx}"
    );
    let unknown = sextant(
        &dir,
        &["migrate", "hash", "--dir", "plain", "--layout", "liquibase"],
    );
    assert!(unknown.contains("unknown layout `liquibase`"), "{unknown}");
}

/// A server URL from the environment; without it the test says why and passes, unless
/// `SEXTANT_REQUIRE_LIVE=1`.
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

/// The dev-database replay on a server: the diff is the same as offline, and a failing
/// statement is placed by the server's own error. The loader works in a scratch
/// database of its own, dropped afterwards.
fn dev_server_replay(variable: &str, name: &str, failing: &str) {
    let Some(url) = server(variable) else { return };
    let dir = scratch(name);
    write(
        &dir,
        "schema.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
    );
    let first = sextant(
        &dir,
        &[
            "migrate",
            "diff",
            "init",
            "--to",
            "schema.sql",
            "--dev-url",
            &url,
            "--version",
            "1",
        ],
    );
    assert!(first.starts_with("exit: 0"), "{first}");
    write(
        &dir,
        "schema.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);\n",
    );
    let second = sextant(
        &dir,
        &[
            "migrate",
            "diff",
            "name",
            "--to",
            "schema.sql",
            "--dev-url",
            &url,
            "--version",
            "2",
        ],
    );
    assert!(second.starts_with("exit: 0"), "{second}");
    let added = read(&dir.join("migrations"), "2_name.sql");
    // MySQL quotes the name and breaks the line; the column is what counts.
    assert!(
        added.contains("ADD COLUMN") && added.contains("name") && !added.contains("CREATE"),
        "{added}"
    );
    let again = sextant(
        &dir,
        &[
            "migrate",
            "diff",
            "none",
            "--to",
            "schema.sql",
            "--dev-url",
            &url,
            "--version",
            "3",
        ],
    );
    assert!(again.contains("no changes"), "{again}");

    write(
        &dir,
        "migrations/3_bad.sql",
        &format!("-- a comment\n{failing}\n"),
    );
    sextant(&dir, &["migrate", "hash"]);
    let validated = sextant(&dir, &["migrate", "validate", "--dev-url", &url]);
    assert!(validated.starts_with("exit: 1"), "{validated}");
    assert!(
        validated.contains("--> migrations/3_bad.sql:2:1"),
        "{validated}"
    );
    assert!(
        !validated.contains("@"),
        "no URL (and no password) in messages: {validated}"
    );
}

#[test]
fn dev_database_replay_on_postgres() {
    dev_server_replay(
        "SEXTANT_TEST_POSTGRES_URL",
        "dev-postgres",
        "ALTER TABLE missing ADD COLUMN x int;",
    );
}

#[test]
fn dev_database_replay_on_mysql() {
    dev_server_replay(
        "SEXTANT_TEST_MYSQL_URL",
        "dev-mysql",
        "ALTER TABLE missing ADD COLUMN x int;",
    );
}
