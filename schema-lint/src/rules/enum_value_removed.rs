//! MF107 `enum-value-removed`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, type_change};
use schema_model::{DataType, Dialect};
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF107",
    name: "enum-value-removed",
    family: Family::DataDependent,
    dialects: &[Dialect::Mysql],
    severity: Severity::Warning,
    default_on: true,
    summary: "An ENUM or SET column redefined without some of its values.",
    why: "Rows holding a removed value make the change fail in strict mode, or are silently turned into the empty string without it.",
    instead: Some(
        "update rows off the values first (UPDATE ... SET col = 'other' WHERE col = 'old'), then remove them",
    ),
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, state ENUM('new', 'paid', 'void'));",
    bad: "ALTER TABLE orders MODIFY state ENUM('new', 'paid');",
    good: "ALTER TABLE orders MODIFY state ENUM('new', 'paid', 'void', 'refunded');",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn values(data_type: &DataType) -> Option<&[String]> {
    match data_type {
        DataType::Enum(values) | DataType::Set(values) => Some(values),
        _ => None,
    }
}

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
        let Some((old, new)) = type_change(cx, table, column, data_type) else {
            continue;
        };
        let (Some(old), Some(new)) = (values(&old), values(&new)) else {
            continue;
        };
        let removed: Vec<&str> = old
            .iter()
            .filter(|v| !new.contains(v))
            .map(String::as_str)
            .collect();
        if !removed.is_empty() {
            emit.report(
                at,
                format!("column `{}` of `{table}` loses the value(s) {}: rows holding them break the change", cx.ident(column), removed.join(", ")),
            );
        }
    }
}

rule_tests!();
