//! DE103 `timestamp-without-time-zone`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{declared_types, type_text};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE103",
    name: "timestamp-without-time-zone",
    family: Family::Design,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column of type timestamp without time zone.",
    why: "It stores a wall-clock reading with no zone: the same instant reads differently depending on the session, and daylight-saving changes make values ambiguous.",
    instead: Some("timestamptz (timestamp with time zone), which stores an instant"),
    setup: "",
    bad: "CREATE TABLE events (id bigint PRIMARY KEY, at timestamp);",
    good: "CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (column, data_type) in declared_types(cx.statement) {
        let text = type_text(data_type);
        if text.starts_with("TIMESTAMP")
            && !text.starts_with("TIMESTAMPTZ")
            && !text.contains("WITH TIME ZONE")
        {
            emit.report_ident(
                column,
                format!(
                    "column `{}` is a timestamp without time zone",
                    cx.ident(column)
                ),
            );
        }
    }
}

rule_tests!();
