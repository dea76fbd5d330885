//! PostgreSQL rendering of hand-built realms.

use schema_model::Realm;
use schema_plan::{render_realm, render_script};

fn fixture(name: &str) -> Realm {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match Realm::from_json(&text) {
        Ok(realm) => realm,
        Err(e) => panic!("{path}: {e}"),
    }
}

#[test]
fn every_object_kind() {
    let realm = fixture("postgres.json");
    insta::assert_snapshot!(render_script(&realm));
}

#[test]
fn statement_objects() {
    let realm = fixture("postgres.json");
    let objects: Vec<String> = render_realm(&realm)
        .into_iter()
        .map(|s| {
            let first_line = s.sql.lines().next().unwrap_or_default().to_owned();
            format!("{:<50} {first_line}", s.object)
        })
        .collect();
    insta::assert_snapshot!(objects.join("\n"));
}
