//! `docs/lint-rules.md` is generated from the rules' metadata: this test fails when the
//! checked-in page differs, and rewrites it with `UPDATE_EXPECT=1`.

use std::path::Path;

#[test]
fn lint_rules_page_matches_the_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lint-rules.md");
    let generated = schema_lint::docs::markdown();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Err(e) = std::fs::write(&path, &generated) {
            panic!("writing {}: {e}", path.display());
        }
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/lint-rules.md is out of date: run `UPDATE_EXPECT=1 cargo test -p schema-lint --test docs`"
    );
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let rules = schema_lint::rules();
    let mut seen = std::collections::BTreeSet::new();
    for rule in rules {
        assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
        assert!(seen.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            rule.name
        );
        assert_eq!(rule.code.len(), 5, "{}", rule.code);
    }
}
