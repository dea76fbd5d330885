//! PG122 `set-logged-or-unlogged`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use schema_model::Dialect;
use sqlparser::ast::AlterTableOperation;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG122",
    name: "set-logged-or-unlogged",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "ALTER TABLE ... SET LOGGED or SET UNLOGGED on an existing table.",
    why: "Either rewrites the whole table under an ACCESS EXCLUSIVE lock; an unlogged table is also emptied after a crash and not replicated.",
    instead: Some(
        "create the table with the persistence it needs, or plan the rewrite for a maintenance window",
    ),
    setup: "CREATE TABLE cache (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE cache SET UNLOGGED;",
    good: "CREATE UNLOGGED TABLE cache_v2 (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if matches!(
            operation,
            AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged
        ) && cx.is_existing_table(table)
        {
            emit.report(&["SET"], format!("changing the persistence of existing table `{table}` rewrites it under an ACCESS EXCLUSIVE lock"));
        }
    }
}

rule_tests!();
