//! BC104 `drop-not-null`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "BC104",
    name: "drop-not-null",
    family: Family::Incompatible,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Dropping NOT NULL from a column of an existing table.",
    why: "Readers that assume the column always has a value start seeing NULLs once new writers store them.",
    instead: Some("update readers to handle NULL before allowing it"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
    bad: "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
    good: "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::DropNotNull,
        } = operation
            && cx.is_existing_table(table)
        {
            emit.report(&["DROP", "NOT", "NULL"], format!("column `{}` of `{table}` may hold NULL from now on, which readers may not expect", cx.ident(column_name)));
        }
    }
}

rule_tests!();
