//! PG105 `unique-not-using-index`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, has_option};
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG105",
    name: "unique-not-using-index",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "ADD UNIQUE (constraint or column) on an existing table, not built USING INDEX.",
    why: "The unique index is built under an ACCESS EXCLUSIVE lock: no reads or writes on the table until it is done.",
    instead: Some(
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    bad: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    good: "CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let unique = match operation {
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::Unique(_),
                ..
            } => true,
            AlterTableOperation::AddColumn { column_def, .. } => {
                has_option(&column_def.options, |o| {
                    matches!(o, ColumnOption::Unique(_))
                })
            }
            _ => false,
        };
        if unique && cx.is_existing_table(table) {
            emit.report(&["UNIQUE"], format!("adding a unique constraint to existing table `{table}` builds its index under an ACCESS EXCLUSIVE lock"));
        }
    }
}

rule_tests!();
