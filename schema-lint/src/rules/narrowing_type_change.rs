//! MF105 `narrowing-type-change`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, narrows, type_change};
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF105",
    name: "narrowing-type-change",
    family: Family::DataDependent,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column type narrowed: a shorter string, a smaller integer, fewer digits.",
    why: "Values that no longer fit make the migration fail (PostgreSQL, strict MySQL) or are silently truncated (MySQL without strict mode).",
    instead: Some(
        "check that every value fits (SELECT max(length(col)) ...), or keep the wider type and add a CHECK constraint",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(200));",
    bad: "ALTER TABLE users ALTER COLUMN name TYPE varchar(50);",
    good: "ALTER TABLE users ALTER COLUMN name TYPE varchar(500);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::ExistingRows,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let (column, data_type, at): (_, _, &[&str]) = match operation {
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } => (column_name, data_type, &["TYPE"]),
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                ..
            } => (col_name, data_type, &["MODIFY"]),
            AlterTableOperation::ChangeColumn {
                old_name,
                data_type,
                ..
            } => (old_name, data_type, &["CHANGE"]),
            _ => continue,
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        if let Some((old, new)) = type_change(cx, table, column, data_type)
            && narrows(&old, &new)
        {
            emit.report(
                at,
                format!("column `{}` of `{table}` narrows from {old} to {new}: values that do not fit fail or are cut", cx.ident(column)),
            );
        }
    }
}

rule_tests!();
