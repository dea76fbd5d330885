//! PG111 `type-change-rewrites-table`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{Width, alter_operations, type_change, width};
use schema_model::Dialect;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG111",
    name: "type-change-rewrites-table",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column type change that rewrites the table and its indexes (anything but widening a varchar, varchar to text, or more numeric precision).",
    why: "The table and every index on it are rewritten under an ACCESS EXCLUSIVE lock: no reads or writes until it is done.",
    instead: Some(
        "add a new column of the new type, backfill it in batches, then swap the columns in a short transaction",
    ),
    setup: "CREATE TABLE events (id integer PRIMARY KEY, name varchar(50));",
    bad: "ALTER TABLE events ALTER COLUMN id TYPE bigint;",
    good: "ALTER TABLE events ALTER COLUMN name TYPE varchar(100);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

/// Whether PostgreSQL changes the type without touching the rows: binary-coercible
/// string changes that do not shorten, and numeric changes that keep the scale and do
/// not lose digits.
fn keeps_rows(old: &schema_model::DataType, new: &schema_model::DataType) -> bool {
    use schema_model::DataType as T;
    if old == new {
        return true;
    }
    match (old, new) {
        (T::Varchar(_) | T::Text, T::Varchar(_) | T::Text) => {
            matches!((width(old), width(new)), (Some(Width::Text(a)), Some(Width::Text(b))) if b >= a)
        }
        (T::Numeric { scale: s, .. }, T::Numeric { scale: t, .. }) => {
            s == t
                && matches!((width(old), width(new)), (Some(Width::Numeric(a, _)), Some(Width::Numeric(b, _))) if b >= a)
        }
        (T::Cidr, T::Inet) => true,
        _ => false,
    }
}

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetDataType { data_type, .. },
        } = operation
        else {
            continue;
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        let column = cx.ident(column_name);
        match type_change(cx, table, column_name, data_type) {
            Some((old, new)) if keeps_rows(&old, &new) => {}
            Some((old, new)) => emit.report(&["TYPE"], format!("changing `{column}` from {old} to {new} rewrites existing table `{table}` and its indexes under an ACCESS EXCLUSIVE lock")),
            None => emit.report(&["TYPE"], format!("changing the type of `{column}` may rewrite existing table `{table}` under an ACCESS EXCLUSIVE lock")),
        }
    }
}

rule_tests!();
