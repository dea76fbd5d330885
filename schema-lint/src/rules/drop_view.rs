//! DS104 `drop-view`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS104",
    name: "drop-view",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Dropping a view or materialized view.",
    why: "Applications and other views that read it fail; a materialized view's contents must be computed again.",
    instead: Some("create the replacement first and drop the old view once nothing reads it"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, name text);\nCREATE VIEW user_names AS SELECT id, name FROM users;",
    bad: "DROP VIEW user_names;",
    good: "CREATE OR REPLACE VIEW user_names AS SELECT id, name FROM users;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.starts_with(&["DROP", "VIEW"]) {
        emit.report(&["DROP"], "dropping a view breaks whatever still reads it");
    } else if cx.starts_with(&["DROP", "MATERIALIZED", "VIEW"]) {
        emit.report(
            &["DROP"],
            "dropping a materialized view loses its contents and breaks whatever reads it",
        );
    }
}

rule_tests!();
