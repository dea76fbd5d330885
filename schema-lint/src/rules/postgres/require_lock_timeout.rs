//! PG116 `require-lock-timeout`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;
use sqlparser::ast::Statement;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG116",
    name: "require-lock-timeout",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A statement that takes a strong lock on an existing object, with no lock_timeout set before it.",
    why: "While it waits for its lock (behind a long query, say), every query that needs the table queues behind it: a short lock becomes an outage.",
    instead: Some("SET lock_timeout = '2s'; before it, and retry the migration if it times out"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE users ADD COLUMN bio text;",
    good: "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN bio text;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

/// Whether the statement takes a lock that blocks other sessions' reads or writes on
/// an object that existed before this migration.
pub(crate) fn takes_lock(cx: &Cx<'_>) -> bool {
    match cx.statement {
        Some(Statement::AlterTable(alter)) => return cx.is_existing_table(&alter.name),
        Some(Statement::CreateIndex(create)) => return cx.is_existing_table(&create.table_name),
        Some(Statement::CreateTrigger(create)) => return cx.is_existing_table(&create.table_name),
        _ => {}
    }
    let first = cx.first_word();
    let second = cx.words.get(1).map_or("", |w| w.text.as_str());
    // `ALTER TYPE x`, `DROP VIEW x`: an object this file created is nobody else's yet.
    let target = if second == "MATERIALIZED" {
        cx.word_name_after(3)
    } else {
        cx.word_name_after(2)
    };
    if target.is_some_and(|t| cx.state.created_objects.contains(&t)) {
        return false;
    }
    match first {
        "ALTER" => matches!(
            second,
            "INDEX" | "TYPE" | "DOMAIN" | "VIEW" | "MATERIALIZED" | "SEQUENCE"
        ),
        "DROP" => {
            matches!(
                second,
                "TABLE"
                    | "INDEX"
                    | "VIEW"
                    | "MATERIALIZED"
                    | "TYPE"
                    | "DOMAIN"
                    | "TRIGGER"
                    | "SEQUENCE"
            ) && !cx.has_words(&["CONCURRENTLY"])
        }
        "TRUNCATE" | "REINDEX" | "CLUSTER" | "LOCK" => true,
        "VACUUM" => cx.has_words(&["FULL"]),
        _ => false,
    }
}

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if !cx.state.lock_timeout && takes_lock(cx) {
        emit.report(&[], "this statement waits for a lock with no lock_timeout set, and everything queues behind it while it waits");
    }
}

rule_tests!();
