//! BC103 `change-column-type`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, type_change};
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "BC103",
    name: "change-column-type",
    family: Family::Incompatible,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Changing the type of a column of an existing table.",
    why: "Applications that read or bind the column with its old type can fail or misread values.",
    instead: Some(
        "add a column of the new type, write both, backfill, move readers over, then drop the old column",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, age text);",
    bad: "ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer;",
    good: "ALTER TABLE users ADD COLUMN age_years integer;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
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
        match type_change(cx, table, column, data_type) {
            Some((old, new)) if old == new => {}
            Some((old, new)) => emit.report(
                at,
                format!(
                    "column `{}` of `{table}` changes type from {old} to {new}",
                    cx.ident(column)
                ),
            ),
            None => emit.report(
                at,
                format!(
                    "column `{}` of `{table}` changes type to {data_type}",
                    cx.ident(column)
                ),
            ),
        }
    }
}

rule_tests!();
