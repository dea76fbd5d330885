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
