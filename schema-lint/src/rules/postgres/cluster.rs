//! PG115 `cluster`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG115",
    name: "cluster",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "CLUSTER.",
    why: "It rewrites the table in index order under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.",
    instead: Some("an online repacking tool (pg_repack, or REPACK CONCURRENTLY where available)"),
    setup: "CREATE TABLE events (id bigint PRIMARY KEY);",
    bad: "CLUSTER events USING events_pkey;",
    good: "ANALYZE events;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.first_word() == "CLUSTER" {
        emit.report(
            &["CLUSTER"],
            "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
        );
    }
}

rule_tests!();
