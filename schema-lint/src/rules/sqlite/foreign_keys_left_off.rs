//! LT102 `foreign-keys-left-off`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "LT102",
    name: "foreign-keys-left-off",
    family: Family::Sqlite,
    dialects: &[Dialect::Sqlite],
    severity: Severity::Warning,
    default_on: true,
    summary: "PRAGMA foreign_keys = OFF with no PRAGMA foreign_keys = ON after it in the file.",
    why: "The connection goes on without enforcing foreign keys, so rows that break them can be written unnoticed.",
    instead: Some(
        "turn foreign keys back on at the end of the rebuild, after PRAGMA foreign_key_check",
    ),
    setup: "",
    bad: "PRAGMA foreign_keys = OFF;\nCREATE TABLE t (id integer PRIMARY KEY);",
    good: "PRAGMA foreign_keys = OFF;\nCREATE TABLE t (id integer PRIMARY KEY);\nPRAGMA foreign_key_check;\nPRAGMA foreign_keys = ON;",
    check: crate::rule::no_check,
    at_file_end: Some(at_file_end),
    sizing: crate::rule::Sizing::Never,
};

fn at_file_end(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if let Some(off) = &cx.state.foreign_keys_off {
        emit.report_on(off, "foreign keys are turned off and never turned back on");
    }
}

rule_tests!();
