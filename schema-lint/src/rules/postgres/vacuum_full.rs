//! PG114 `vacuum-full`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG114",
    name: "vacuum-full",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "VACUUM FULL.",
    why: "It rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.",
    instead: Some(
        "plain VACUUM, or an online repacking tool (pg_repack, or REPACK CONCURRENTLY where available)",
    ),
    setup: "CREATE TABLE events (id bigint PRIMARY KEY);",
    bad: "VACUUM FULL events;",
    good: "VACUUM (ANALYZE) events;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.first_word() == "VACUUM" && cx.has_words(&["FULL"]) {
        emit.report(
            &["FULL"],
            "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
        );
    }
}

rule_tests!();
