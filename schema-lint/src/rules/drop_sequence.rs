//! DS107 `drop-sequence`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS107",
    name: "drop-sequence",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Dropping a sequence.",
    why: "Its current value is lost, and defaults that call nextval() on it fail.",
    instead: Some("keep the sequence until no column default uses it"),
    setup: "CREATE SEQUENCE order_numbers;",
    bad: "DROP SEQUENCE order_numbers;",
    good: "ALTER SEQUENCE order_numbers RESTART WITH 1000;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.starts_with(&["DROP", "SEQUENCE"]) {
        emit.report(
            &["DROP"],
            "dropping a sequence loses its position and breaks defaults that use it",
        );
    }
}

rule_tests!();
