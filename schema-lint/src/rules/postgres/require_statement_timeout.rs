//! PG117 `require-statement-timeout`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;
use sqlparser::ast::Statement;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG117",
    name: "require-statement-timeout",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A statement that may run long on an existing table (index builds, scans, rewrites, validation), with no statement_timeout set before it.",
    why: "A statement that runs far longer than expected holds its locks all that time; a timeout bounds the damage.",
    instead: Some("SET statement_timeout = '5min'; (or what the table's size warrants) before it"),
    setup: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);",
    bad: "CREATE INDEX CONCURRENTLY posts_author_idx ON posts (author);",
    good: "SET statement_timeout = '10min';\nCREATE INDEX CONCURRENTLY posts_author_idx ON posts (author);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn slow(cx: &Cx<'_>) -> bool {
    match cx.statement {
        Some(Statement::CreateIndex(create)) => cx.is_existing_table(&create.table_name),
        Some(Statement::AlterTable(alter)) => {
            cx.is_existing_table(&alter.name)
                && (cx.has_words(&["VALIDATE"])
                    || cx.has_words(&["TYPE"])
                    || cx.has_words(&["SET", "NOT", "NULL"])
                    || cx.has_words(&["SET", "DATA", "TYPE"])
                    || (cx.has_words(&["ADD", "CONSTRAINT"])
                        && !cx.has_words(&["NOT", "VALID"])
                        && !cx.has_words(&["USING", "INDEX"]))
                    || cx.has_words(&["PRIMARY", "KEY"]) && !cx.has_words(&["USING", "INDEX"]))
        }
        _ => {
            matches!(cx.first_word(), "REINDEX" | "CLUSTER")
                || (cx.first_word() == "VACUUM" && cx.has_words(&["FULL"]))
        }
    }
}

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if !cx.state.statement_timeout && slow(cx) {
        emit.report(
            &[],
            "this statement may run long on an existing table with no statement_timeout set",
        );
    }
}

rule_tests!();
