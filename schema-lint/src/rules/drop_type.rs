//! DS106 `drop-type`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS106",
    name: "drop-type",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Dropping a type or domain.",
    why: "Columns of the type go with it (CASCADE) or the drop fails; either way code that uses the type breaks.",
    instead: Some("drop the type only after every column and function using it is gone"),
    setup: "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    bad: "DROP TYPE mood;",
    good: "CREATE TYPE weather AS ENUM ('rain', 'sun');",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for kind in ["TYPE", "DOMAIN"] {
        if cx.starts_with(&["DROP", kind]) {
            emit.report(
                &["DROP"],
                format!(
                    "dropping a {} breaks the columns and code that use it",
                    kind.to_lowercase()
                ),
            );
        }
    }
}

rule_tests!();
