//! MY102 `implicit-commit`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MY102",
    name: "implicit-commit",
    family: Family::Mysql,
    dialects: &[Dialect::Mysql],
    severity: Severity::Warning,
    default_on: true,
    summary: "DDL inside a transaction on MySQL, which commits it implicitly.",
    why: "MySQL commits the open transaction before and after every DDL statement: a file that looks atomic is not, and a failure halfway leaves it half applied.",
    instead: Some("keep one DDL statement per migration, or make each step safe to run again"),
    setup: "",
    bad: "START TRANSACTION;\nCREATE TABLE a (id bigint PRIMARY KEY);\nCOMMIT;",
    good: "CREATE TABLE a (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.state.in_transaction
        && matches!(
            cx.first_word(),
            "CREATE" | "ALTER" | "DROP" | "RENAME" | "TRUNCATE"
        )
    {
        emit.report(
            &[],
            "this DDL statement commits the open transaction implicitly; the file is not atomic",
        );
    }
}

rule_tests!();
