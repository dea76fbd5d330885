//! MF101 `unique-on-existing-data`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterTableOperation, Statement, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF101",
    name: "unique-on-existing-data",
    family: Family::DataDependent,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A unique index, unique constraint or primary key added to a table that already has rows.",
    why: "If the existing rows hold duplicates the migration fails halfway through, and whether they do depends on the data, not on the migration.",
    instead: Some(
        "check for duplicates first (SELECT col, count(*) ... GROUP BY col HAVING count(*) > 1) and clean them up in an earlier step",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    bad: "CREATE UNIQUE INDEX users_email_key ON users (email);",
    good: "CREATE INDEX users_email_idx ON users (email);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::ExistingRows,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if let Some(Statement::CreateIndex(create)) = cx.statement {
        if create.unique && cx.is_existing_table(&create.table_name) {
            emit.report(
                &["UNIQUE"],
                format!(
                    "a unique index on existing table `{}` fails if its rows hold duplicates",
                    create.table_name
                ),
            );
        }
        return;
    }
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::AddConstraint { constraint, .. } = operation else {
            continue;
        };
        let what = match constraint {
            TableConstraint::Unique(_) => "a unique constraint",
            TableConstraint::PrimaryKey(_) => "a primary key",
            _ => continue,
        };
        if cx.is_existing_table(table) {
            emit.report(
                &["ADD"],
                format!("{what} on existing table `{table}` fails if its rows hold duplicates"),
            );
        }
    }
}

rule_tests!();
