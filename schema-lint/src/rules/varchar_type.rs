//! DE102 `varchar-type`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{declared_types, type_text};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE102",
    name: "varchar-type",
    family: Family::Design,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: false,
    summary: "A column of type varchar(n) rather than text.",
    why: "On PostgreSQL varchar(n) is text with a length check; raising the limit later needs an ACCESS EXCLUSIVE lock, and the limit is rarely a real business rule.",
    instead: Some("text, with a CHECK (length(col) <= n) constraint where a limit matters"),
    setup: "",
    bad: "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));",
    good: "CREATE TABLE users (id bigint PRIMARY KEY, name text);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (column, data_type) in declared_types(cx.statement) {
        let text = type_text(data_type);
        if (text.starts_with("VARCHAR(") || text.starts_with("CHARACTER VARYING("))
            && !text.contains("MAX")
        {
            emit.report_ident(
                column,
                format!("column `{}` is {data_type}; prefer text", cx.ident(column)),
            );
        }
    }
}

rule_tests!();
