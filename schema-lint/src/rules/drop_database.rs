//! DS109 `drop-database`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS109",
    name: "drop-database",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "Dropping a database.",
    why: "Everything in it is gone; a migration has no business doing this.",
    instead: Some("drop databases by hand, outside migrations"),
    setup: "",
    bad: "DROP DATABASE analytics;",
    good: "CREATE TABLE t (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.starts_with(&["DROP", "DATABASE"]) {
        emit.report(&["DROP"], "dropping a database loses everything in it");
    }
}

rule_tests!();
