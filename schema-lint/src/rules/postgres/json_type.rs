//! DE106 `json-type`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{base_type, declared_types};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE106",
    name: "json-type",
    family: Family::Design,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column of type json rather than jsonb.",
    why: "json keeps the text as written and parses it on every access; it cannot be indexed with GIN or compared for equality.",
    instead: Some("jsonb"),
    setup: "",
    bad: "CREATE TABLE events (id bigint PRIMARY KEY, payload json);",
    good: "CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (column, data_type) in declared_types(cx.statement) {
        if base_type(data_type) == "JSON" {
            emit.report_ident(
                column,
                format!("column `{}` is json; prefer jsonb", cx.ident(column)),
            );
        }
    }
}

rule_tests!();
