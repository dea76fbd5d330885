//! Times linting a directory of generated migration files (the target: 1,000
//! files in at most a second). `cargo run --release -p schema-lint --example bench_lint [N]`.

#![allow(clippy::print_stdout)]

use schema_lint::{Settings, lint_files};
use schema_model::Dialect;
use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let dir = std::env::temp_dir().join(format!("sextant-bench-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for i in 0..files {
        let mut sql = String::new();
        writeln!(sql, "SET lock_timeout = '2s';")?;
        writeln!(
            sql,
            "CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
        )?;
        writeln!(sql, "CREATE INDEX t{i}_name_idx ON t{i} (name);")?;
        if i > 0 {
            let p = i - 1;
            writeln!(sql, "ALTER TABLE t{p} ADD COLUMN ref_{i} bigint;")?;
            writeln!(
                sql,
                "ALTER TABLE t{p} ADD CONSTRAINT t{p}_ref_{i}_fkey FOREIGN KEY (ref_{i}) REFERENCES t{i} (id) NOT VALID;"
            )?;
            writeln!(
                sql,
                "CREATE INDEX CONCURRENTLY t{p}_ref_{i}_idx ON t{p} (ref_{i});"
            )?;
        }
        std::fs::write(dir.join(format!("{i:05}.sql")), sql)?;
    }
    let start = std::time::Instant::now();
    let diagnostics = lint_files(
        std::slice::from_ref(&dir),
        &Settings::new(Dialect::Postgres),
    )?;
    let elapsed = start.elapsed();
    println!(
        "{files} files linted in {:.3} s, {} findings",
        elapsed.as_secs_f64(),
        diagnostics.len()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
