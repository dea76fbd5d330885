//! `sextant migrate apply/status/repair/baseline/drift` on a SQLite database file: the
//! whole life of a migration directory at the terminal, snapshotted as the user sees it.
//! Timestamps and timings are masked; everything else is as printed.

#![allow(clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sextant-migrate-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

/// Runs sextant in `dir`: exit status, stdout and stderr, with times masked.
fn sextant(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running sextant: {e}"));
    let shown = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    mask(&shown)
}

/// Replaces ` in N ms` and ` at <timestamp>` with placeholders.
fn mask(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = match line.find(" in ").zip(line.find(" ms")) {
                Some((a, b)) if a < b => format!("{} in [ms]{}", &line[..a], &line[b + 3..]),
                _ => line.to_owned(),
            };
            match line.find(" at ") {
                Some(a) if line.starts_with("applied  ") => {
                    let rest = &line[a + 4..];
                    let end = rest.find(" (").unwrap_or(rest.len());
                    format!("{} at [time]{}", &line[..a], &rest[end..])
                }
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn apply_status_drift_and_a_tampered_file() {
    let dir = scratch("life");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
    );
    write(
        &dir,
        "migrations/2_posts.sql",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users (id));\n",
    );
    let hashed = sextant(&dir, &["migrate", "hash"]);
    assert!(hashed.starts_with("exit: 0"), "{hashed}");
    let url = "sqlite://app.db?mode=rwc";
    let mut transcript = String::new();
    for args in [
        &["migrate", "status", "--url", url][..],
        &["migrate", "apply", "--url", url, "--to", "1"],
        &["migrate", "status", "--url", url],
        &["migrate", "apply", "--url", url],
        &["migrate", "apply", "--url", url],
        &["migrate", "drift", "--url", url],
    ] {
        transcript.push_str(&format!(
            "$ sextant {}\n{}\n",
            args.join(" "),
            sextant(&dir, args)
        ));
    }
    // A change made by hand shows as drift against what the revisions claim.
    let db = dir.join("app.db");
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg("CREATE INDEX posts_author ON posts (author);")
        .status();
    if matches!(status, Ok(s) if s.success()) {
        let args = ["migrate", "drift", "--url", url];
        transcript.push_str(&format!(
            "$ sextant {}\n{}\n",
            args.join(" "),
            sextant(&dir, &args)
        ));
    } else {
        eprintln!("sqlite3 is not installed: the hand-made drift step is left out");
    }
    // An applied file edited: refused with the version and file, nothing applied.
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    write(
        &dir,
        "migrations/3_tags.sql",
        "CREATE TABLE tags (name TEXT PRIMARY KEY);\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    for args in [
        &["migrate", "apply", "--url", url][..],
        &["migrate", "status", "--url", url],
    ] {
        transcript.push_str(&format!(
            "$ sextant {}\n{}\n",
            args.join(" "),
            sextant(&dir, args)
        ));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn a_comment_only_edit_warns_and_repair_records_who_accepted_it() {
    let dir = scratch("repair");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    let url = "sqlite://app.db?mode=rwc";
    assert!(sextant(&dir, &["migrate", "apply", "--url", url]).starts_with("exit: 0"));
    write(
        &dir,
        "migrations/1_users.sql",
        "-- the users of the app\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    let mut transcript = String::new();
    for args in [
        &["migrate", "status", "--url", url][..],
        &["migrate", "repair", "--url", url, "--operator", "alice"],
        &["migrate", "status", "--url", url],
    ] {
        transcript.push_str(&format!(
            "$ sextant {}\n{}\n",
            args.join(" "),
            sextant(&dir, args)
        ));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn baseline_records_an_existing_schema_without_running_it() {
    let dir = scratch("baseline");
    write(
        &dir,
        "migrations/1_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    );
    write(
        &dir,
        "migrations/2_tags.sql",
        "CREATE TABLE tags (name TEXT PRIMARY KEY);\n",
    );
    sextant(&dir, &["migrate", "hash"]);
    let url = "sqlite://app.db?mode=rwc";
    let mut transcript = String::new();
    for args in [
        &["migrate", "baseline", "--url", url, "1"][..],
        &["migrate", "status", "--url", url],
        &["migrate", "apply", "--url", url],
    ] {
        transcript.push_str(&format!(
            "$ sextant {}\n{}\n",
            args.join(" "),
            sextant(&dir, args)
        ));
    }
    insta::assert_snapshot!(transcript);
}
