//! For every corpus `desired` schema, and the pg-features schema and its dump: load it, print it as SQL, load that again, and
//! require an equal model. This is what makes `sextant inspect --format sql` trustworthy:
//! its output is a faithful spelling of the model.
#![allow(clippy::print_stderr)] // a test reports what it skipped and what it checked

use sextant::inspect::{LoadOptions, load_sql};
use sextant::model::{Dialect, compare};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

struct Case {
    id: String,
    dialect: Dialect,
    desired: String,
    options: LoadOptions,
}

fn read_cases(file: &Path) -> Vec<Case> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            panic!("{}: a corpus line is not JSON", file.display());
        };
        let caveats: Vec<&str> = value["caveats"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
            .unwrap_or_default();
        // The same skip rules as `cargo xtask corpus load`: vendor syntax never meant for
        // a server, and TiDB, which is not a dialect we support.
        if caveats.contains(&"offline_only") || value["flavor"].as_str() == Some("tidb") {
            continue;
        }
        let Some(dialect) = value["dialect"].as_str().and_then(|d| d.parse().ok()) else {
            continue;
        };
        let mut options = LoadOptions::new(dialect);
        if caveats.contains(&"non_default_user") {
            options = options.with_search_path(["foo", "public"]);
        }
        cases.push(Case {
            id: value["id"].as_str().unwrap_or_default().to_owned(),
            dialect,
            desired: value["desired"].as_str().unwrap_or_default().to_owned(),
            options,
        });
    }
    cases
}

#[test]
fn every_corpus_schema_survives_load_render_load() {
    let dir = corpus_dir();
    if !dir.exists() {
        eprintln!(
            "skipping: no corpus at {} (it sits beside the repository in CI)",
            dir.display()
        );
        return;
    }
    let files = [
        "sqldef/postgres.jsonl",
        "sqldef/mysql.jsonl",
        "sqldef/sqlite.jsonl",
        "real-world/cases.jsonl",
    ];
    let (mut checked, mut unloadable) = (0, 0);
    let mut failures = Vec::new();
    // Our own schema of every PostgreSQL object kind, as written and as pg_dump prints it.
    let pg_features = ["schema.sql", "pg_dump.sql"].map(|file| {
        let path = dir.join("pg-features").join(file);
        Case {
            id: format!("pg-features/{file}"),
            dialect: Dialect::Postgres,
            desired: std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            options: LoadOptions::new(Dialect::Postgres),
        }
    });
    let cases = files
        .iter()
        .flat_map(|file| read_cases(&dir.join(file)))
        .chain(pg_features);
    for case in cases {
        let Ok(first) = load_sql(&case.desired, &case.id, &case.options) else {
            // Load failures are counted and listed by `cargo xtask corpus load`.
            unloadable += 1;
            continue;
        };
        checked += 1;
        let script = sextant::plan::render_script(&first.realm);
        // The rendered script is qualified throughout, so it must not depend on the
        // search path the original was read with.
        let again = match load_sql(&script, "<rendered>", &LoadOptions::new(case.dialect)) {
            Ok(again) => again,
            Err(error) => {
                failures.push(format!("{}: rendered SQL does not load: {error}", case.id));
                continue;
            }
        };
        let differences = compare(&first.realm, &again.realm);
        if !differences.is_empty() {
            let listed: Vec<String> = differences
                .iter()
                .take(5)
                .map(|d| format!("    {d}"))
                .collect();
            failures.push(format!("{}:\n{}", case.id, listed.join("\n")));
        }
    }
    eprintln!(
        "{checked} schemas round-tripped, {unloadable} did not load (see cargo xtask corpus load)"
    );
    assert!(
        checked > 0,
        "no corpus schema loaded, so nothing was checked"
    );
    assert!(
        failures.is_empty(),
        "{} schemas changed through render and load:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
