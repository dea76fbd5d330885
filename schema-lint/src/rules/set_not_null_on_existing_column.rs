//! MF104 `set-not-null-on-existing-column`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnOption};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF104",
    name: "set-not-null-on-existing-column",
    family: Family::DataDependent,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "An existing nullable column made NOT NULL.",
    why: "The migration fails if any row holds NULL in the column, which depends on the data; writers that still insert NULL start failing.",
    instead: Some(
        "backfill the NULLs in an earlier step and make sure no writer still inserts them",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    good: "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::ExistingRows,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let (column, at): (_, &[&str]) = match operation {
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetNotNull,
            } => (column_name, &["SET", "NOT", "NULL"]),
            AlterTableOperation::ModifyColumn {
                col_name, options, ..
            } if options.iter().any(|o| matches!(o, ColumnOption::NotNull)) => {
                (col_name, &["MODIFY"])
            }
            AlterTableOperation::ChangeColumn {
                old_name, options, ..
            } if options.iter().any(|o| matches!(o, ColumnOption::NotNull)) => {
                (old_name, &["CHANGE"])
            }
            _ => continue,
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        let name = cx.ident(column);
        let was_nullable = cx
            .table(table)
            .and_then(|t| t.column(&name))
            .is_none_or(|c| c.nullable);
        if was_nullable {
            emit.report(at, format!("column `{name}` of existing table `{table}` becomes NOT NULL: the migration fails if a row holds NULL"));
        }
    }
}

rule_tests!();
