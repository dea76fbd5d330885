//! DE101 `char-type`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{declared_types, type_text};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE101",
    name: "char-type",
    family: Family::Design,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column of type char(n) / character(n).",
    why: "Values are blank-padded to n characters, which wastes space and surprises comparisons and lengths; it is never faster than a variable-length type.",
    instead: Some("text, or varchar(n) where a length limit is wanted"),
    setup: "",
    bad: "CREATE TABLE countries (code char(2) PRIMARY KEY);",
    good: "CREATE TABLE countries (code text PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (column, data_type) in declared_types(cx.statement) {
        let text = type_text(data_type);
        let char_like = (text.starts_with("CHAR")
            || text.starts_with("CHARACTER")
            || text.starts_with("BPCHAR")
            || text.starts_with("NCHAR"))
            && !text.contains("VARYING")
            && !text.starts_with("CHARACTER LARGE");
        if char_like {
            let name = cx.ident(column);
            emit.report_ident(
                column,
                format!("column `{name}` is {}: values are blank-padded", data_type),
            );
        }
    }
}

rule_tests!();
