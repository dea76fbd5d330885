//! TX102 `uncommitted-transaction`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "TX102",
    name: "uncommitted-transaction",
    family: Family::Transactions,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "A BEGIN with no COMMIT or ROLLBACK after it in the file.",
    why: "The migration's changes are rolled back when the session ends, or stay uncommitted holding their locks, depending on the tool.",
    instead: Some("end the file with COMMIT;"),
    setup: "",
    bad: "BEGIN;\nCREATE TABLE t (id bigint PRIMARY KEY);",
    good: "BEGIN;\nCREATE TABLE t (id bigint PRIMARY KEY);\nCOMMIT;",
    check: crate::rule::no_check,
    at_file_end: Some(at_file_end),
    sizing: crate::rule::Sizing::Never,
};

fn at_file_end(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if let Some(begin) = &cx.state.explicit_transaction {
        emit.report_on(begin, "this transaction is never committed");
    }
}

rule_tests!();
