//! DE105 `serial-column`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{base_type, declared_types};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE105",
    name: "serial-column",
    family: Family::Design,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A serial, smallserial or bigserial column.",
    why: "serial is a default on a separately owned sequence: permissions, copies of the table and dumps handle it awkwardly. Identity columns are the standard form.",
    instead: Some("bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT)"),
    setup: "",
    bad: "CREATE TABLE orders (id bigserial PRIMARY KEY);",
    good: "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (column, data_type) in declared_types(cx.statement) {
        if matches!(
            base_type(data_type).as_str(),
            "SERIAL" | "SERIAL2" | "SERIAL4" | "SERIAL8" | "SMALLSERIAL" | "BIGSERIAL"
        ) {
            emit.report_ident(
                column,
                format!(
                    "column `{}` is {data_type}; prefer an identity column",
                    cx.ident(column)
                ),
            );
        }
    }
}

rule_tests!();
