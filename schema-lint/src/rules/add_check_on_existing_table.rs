//! MF106 `add-check-on-existing-table`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterTableOperation, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF106",
    name: "add-check-on-existing-table",
    family: Family::DataDependent,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A CHECK constraint added to an existing table and checked against its rows.",
    why: "If any existing row violates it the migration fails, which depends on the data.",
    instead: Some(
        "find and fix violating rows first; on PostgreSQL add the check NOT VALID and validate it later",
    ),
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
    good: "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::ExistingRows,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if let AlterTableOperation::AddConstraint {
            constraint: TableConstraint::Check(_),
            not_valid: false,
        } = operation
            && cx.is_existing_table(table)
        {
            emit.report(
                &["CHECK"],
                format!("a check on existing table `{table}` fails if a row violates it"),
            );
        }
    }
}

rule_tests!();
