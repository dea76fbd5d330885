//! TX101 `transaction-nesting`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use sqlparser::ast::Statement;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "TX101",
    name: "transaction-nesting",
    family: Family::Transactions,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "BEGIN inside a transaction, COMMIT or ROLLBACK with none open, or either in a file the migration tool already wraps in a transaction.",
    why: "A nested BEGIN does not nest: the first COMMIT ends the outer transaction, and what follows runs outside the atomic unit the migration was meant to be.",
    instead: Some("let either the file or the migration tool manage the transaction, not both"),
    setup: "",
    bad: "BEGIN;\nBEGIN;\nCREATE TABLE t (id bigint PRIMARY KEY);\nCOMMIT;\nCOMMIT;",
    good: "BEGIN;\nCREATE TABLE t (id bigint PRIMARY KEY);\nCOMMIT;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    match cx.statement {
        Some(Statement::StartTransaction { .. }) => {
            if cx.state.explicit_transaction.is_some() {
                emit.report(&[], "BEGIN inside a transaction already open: it does not nest, and the first COMMIT ends both");
            } else if cx.state.wrapped {
                emit.report(
                    &[],
                    "BEGIN in a file the migration tool already runs in a transaction",
                );
            }
        }
        Some(Statement::Commit { .. } | Statement::Rollback { .. })
            if cx.state.explicit_transaction.is_none() =>
        {
            if cx.state.wrapped {
                emit.report(&[], "this ends the transaction the migration tool opened for the file; what follows is not atomic");
            } else {
                emit.report(&[], "no transaction is open here");
            }
        }
        _ => {}
    }
}

rule_tests!();
