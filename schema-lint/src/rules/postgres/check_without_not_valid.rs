//! PG106 `check-without-not-valid`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG106",
    name: "check-without-not-valid",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A CHECK constraint added to an existing table without NOT VALID.",
    why: "Every row is checked while an ACCESS EXCLUSIVE lock is held: no reads or writes until the scan finishes.",
    instead: Some(
        "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction (it takes only a SHARE UPDATE EXCLUSIVE lock)",
    ),
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
    good: "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
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
                format!("the check scans existing table `{table}` under an ACCESS EXCLUSIVE lock"),
            );
        }
    }
}

rule_tests!();
