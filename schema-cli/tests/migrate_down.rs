//! `sextant migrate down` on a SQLite file: the refusal when data would be lost, the
//! dry run, and the revert. Snapshotted as the user sees them.

#![allow(clippy::print_stderr, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch working directory of its own per test (tests run in parallel).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sextant-migrate-down-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    dir
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

#[test]
fn down_refuses_data_loss_then_reverts_when_allowed() {
    let dir = scratch("sqlite");
    let files = [
        (
            "1_users.sql",
            "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n",
        ),
        ("2_email.sql", "ALTER TABLE users ADD COLUMN email text;\n"),
        (
            "3_users_name.sql",
            "CREATE INDEX users_name ON users (name);\n",
        ),
    ];
    for (file, text) in files {
        std::fs::write(dir.join("migrations").join(file), text).unwrap();
    }
    let hashed = sextant(&dir, &["migrate", "hash"]);
    assert!(hashed.starts_with("exit: 0"), "{hashed}");
    let url = "sqlite://app.db?mode=rwc";
    let applied = sextant(&dir, &["migrate", "apply", "--url", url]);
    assert!(applied.starts_with("exit: 0"), "{applied}");

    // Down 1: the index goes.
    insta::assert_snapshot!(sextant(&dir, &["migrate", "down", "--url", url]), @r"
    exit: 0
    --- stdout
    reverted 3 (3_users_name.sql)
    ran 1 statement to reach version 2 (one transaction)

    DROP INDEX users_name;
    --- stderr
    ");
    insta::assert_snapshot!(sextant(&dir, &["migrate", "down", "5", "--url", url]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: cannot revert 5 migrations: only 2 are applied; nothing was reverted
    ");
    // Down 1 again: the column would go with its data.
    insta::assert_snapshot!(sextant(&dir, &["migrate", "down", "--url", url]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: reverting to version 1 would lose data; nothing was run (allow it with --allow-destructive):
      - ALTER TABLE users DROP COLUMN email; -- drops column email and its data
    ");
    insta::assert_snapshot!(
        sextant(&dir, &["migrate", "down", "--url", url, "--dry-run"]),
        @r"
    exit: 0
    --- stdout
    would revert 2 (2_email.sql)
    would run 1 statement to reach version 1

    -- loses data: drops column email and its data
    ALTER TABLE users DROP COLUMN email;
    --- stderr
    "
    );
    insta::assert_snapshot!(
        sextant(&dir, &["migrate", "down", "--url", url, "--allow-destructive"]),
        @r"
    exit: 0
    --- stdout
    reverted 2 (2_email.sql)
    ran 1 statement to reach version 1 (one transaction)

    -- loses data: drops column email and its data
    ALTER TABLE users DROP COLUMN email;
    --- stderr
    "
    );
    let status = sextant(&dir, &["migrate", "status", "--url", url]);
    let status: Vec<&str> = status
        .lines()
        .map(|line| line.split(" at ").next().unwrap_or(line))
        .collect();
    insta::assert_snapshot!(status.join("\n"), @r"
    exit: 2
    --- stdout
    applied  1 1_users.sql
    pending  2 2_email.sql
    pending  3 3_users_name.sql
    --- stderr
    ");
    let applied = sextant(&dir, &["migrate", "apply", "--url", url]);
    assert!(
        applied.contains("applied 2 (2_email.sql)")
            && applied.contains("applied 3 (3_users_name.sql)"),
        "{applied}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
