//! PG113 `reindex-not-concurrently`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG113",
    name: "reindex-not-concurrently",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "REINDEX without CONCURRENTLY (PostgreSQL 12 and later).",
    why: "A plain REINDEX locks the table against writes, and the index against reads, until it is rebuilt.",
    instead: Some("REINDEX ... CONCURRENTLY, outside a transaction"),
    setup: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);\nCREATE INDEX posts_author_idx ON posts (author);",
    bad: "REINDEX INDEX posts_author_idx;",
    good: "REINDEX INDEX CONCURRENTLY posts_author_idx;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.pg_version() >= 12 && cx.first_word() == "REINDEX" && !cx.has_words(&["CONCURRENTLY"]) {
        emit.report(
            &["REINDEX"],
            "REINDEX blocks writes to the table, and reads through the index, until it finishes",
        );
    }
}

rule_tests!();
