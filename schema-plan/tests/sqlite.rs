//! SQLite rendering of hand-built realms.

use schema_model::Realm;
use schema_plan::render_script;

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
    let realm = fixture("sqlite.json");
    insta::assert_snapshot!(render_script(&realm));
}
