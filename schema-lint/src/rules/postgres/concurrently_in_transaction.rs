//! PG103 `concurrently-in-transaction`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG103",
    name: "concurrently-in-transaction",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Error,
    default_on: true,
    summary: "A CONCURRENTLY statement (index build or drop, REINDEX, DETACH PARTITION) inside a transaction.",
    why: "PostgreSQL refuses to run these inside a transaction block, so the migration fails.",
    instead: Some(
        "run the statement in a migration of its own that the tool does not wrap in a transaction",
    ),
    setup: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);",
    bad: "BEGIN;\nCREATE INDEX CONCURRENTLY posts_author_idx ON posts (author);\nCOMMIT;",
    good: "CREATE INDEX CONCURRENTLY posts_author_idx ON posts (author);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.state.in_transaction
        && cx.has_words(&["CONCURRENTLY"])
        && matches!(cx.first_word(), "CREATE" | "DROP" | "REINDEX" | "ALTER")
    {
        let why = if cx.state.explicit_transaction.is_some() {
            "inside the transaction this file opened"
        } else if cx.state.plan {
            "inside one of the plan's transaction groups"
        } else {
            "inside the transaction the migration tool wraps the file in"
        };
        emit.report(&["CONCURRENTLY"], format!("CONCURRENTLY cannot run {why}"));
    }
}

rule_tests!();
