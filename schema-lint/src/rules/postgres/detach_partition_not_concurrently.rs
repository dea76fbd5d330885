//! PG112 `detach-partition-not-concurrently`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG112",
    name: "detach-partition-not-concurrently",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "DETACH PARTITION without CONCURRENTLY (PostgreSQL 14 and later).",
    why: "A plain detach takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking every query on every partition.",
    instead: Some("ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, outside a transaction"),
    setup: "CREATE TABLE measurements (at date NOT NULL, value numeric) PARTITION BY RANGE (at);\nCREATE TABLE measurements_2020 PARTITION OF measurements FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');",
    bad: "ALTER TABLE measurements DETACH PARTITION measurements_2020;",
    good: "ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.pg_version() >= 14
        && cx.first_word() == "ALTER"
        && cx.has_words(&["DETACH", "PARTITION"])
        && !cx.has_words(&["CONCURRENTLY"])
        && !cx.has_words(&["FINALIZE"])
    {
        emit.report(
            &["DETACH"],
            "detaching a partition locks the whole partitioned table against reads and writes",
        );
    }
}

rule_tests!();
