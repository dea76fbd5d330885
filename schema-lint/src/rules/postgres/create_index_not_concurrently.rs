//! PG101 `create-index-not-concurrently`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;
use sqlparser::ast::Statement;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG101",
    name: "create-index-not-concurrently",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "CREATE INDEX without CONCURRENTLY on a table that existed before this migration.",
    why: "A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits until the index is built.",
    instead: Some("CREATE INDEX CONCURRENTLY, outside a transaction"),
    setup: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);",
    bad: "CREATE INDEX posts_author_idx ON posts (author);",
    good: "CREATE INDEX CONCURRENTLY posts_author_idx ON posts (author);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(Statement::CreateIndex(create)) = cx.statement else {
        return;
    };
    if create.concurrently || !cx.is_existing_table(&create.table_name) {
        return;
    }
    // A partitioned table's index cannot be built concurrently: build it on each
    // partition concurrently and attach them instead.
    let partitioned = cx
        .table(&create.table_name)
        .is_some_and(|t| t.partition_by.is_some());
    let suggestion = if partitioned {
        "build the index CONCURRENTLY on each partition, create it ON ONLY the parent, then ATTACH PARTITION each index"
    } else {
        "CREATE INDEX CONCURRENTLY, outside a transaction"
    };
    emit.report_with(
        &["INDEX"],
        format!(
            "building an index on existing table `{}` blocks writes to it until the build finishes",
            create.table_name
        ),
        Some(suggestion.to_owned()),
    );
}

rule_tests!();
