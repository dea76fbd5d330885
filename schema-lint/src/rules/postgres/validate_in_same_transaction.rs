//! PG108 `validate-in-same-transaction`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use schema_model::Dialect;
use sqlparser::ast::AlterTableOperation;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG108",
    name: "validate-in-same-transaction",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "VALIDATE CONSTRAINT in the same transaction that added the constraint NOT VALID.",
    why: "The ACCESS EXCLUSIVE lock taken by ADD CONSTRAINT is still held while VALIDATE scans the table, which is what NOT VALID was meant to avoid.",
    instead: Some(
        "commit after ADD CONSTRAINT ... NOT VALID and validate in a separate transaction",
    ),
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
    bad: "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;\nCOMMIT;",
    good: "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::ValidateConstraint { name } = operation else {
            continue;
        };
        let Some(qualified) = cx.qualified(table) else {
            continue;
        };
        let name = cx.ident(name);
        if cx
            .state
            .not_valid_in_transaction
            .contains(&(qualified, name.clone()))
        {
            emit.report(&["VALIDATE"], format!("constraint `{name}` is validated in the transaction that added it, under the lock NOT VALID was meant to release"));
        }
    }
}

rule_tests!();
