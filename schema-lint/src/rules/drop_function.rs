//! DS105 `drop-function`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS105",
    name: "drop-function",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Dropping a function or procedure.",
    why: "Triggers, defaults, views and application code that call it fail at their next call.",
    instead: Some("replace it with CREATE OR REPLACE, or drop it only once nothing calls it"),
    setup: "CREATE FUNCTION add_one(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i + 1';",
    bad: "DROP FUNCTION add_one(integer);",
    good: "CREATE OR REPLACE FUNCTION add_one(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i + 1';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for kind in ["FUNCTION", "PROCEDURE"] {
        if cx.starts_with(&["DROP", kind]) {
            emit.report(
                &["DROP"],
                format!(
                    "dropping a {} breaks whatever calls it",
                    kind.to_lowercase()
                ),
            );
        }
    }
}

rule_tests!();
