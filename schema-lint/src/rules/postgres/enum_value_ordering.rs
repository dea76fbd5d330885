//! PG119 `enum-value-ordering`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG119",
    name: "enum-value-ordering",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Note,
    default_on: false,
    summary: "ALTER TYPE ... ADD VALUE without BEFORE or AFTER.",
    why: "Enum values sort in declaration order; a value appended at the end may sort where no one meant it to, which changes ORDER BY results and range checks.",
    instead: Some("say where the value goes with BEFORE or AFTER"),
    setup: "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    bad: "ALTER TYPE mood ADD VALUE 'calm';",
    good: "ALTER TYPE mood ADD VALUE 'calm' AFTER 'sad';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.starts_with(&["ALTER", "TYPE"])
        && cx.has_words(&["ADD", "VALUE"])
        && !cx.has_words(&["BEFORE"])
        && !cx.has_words(&["AFTER"])
    {
        emit.report(
            &["ADD", "VALUE"],
            "the new enum value is appended last, which decides how it sorts",
        );
    }
}

rule_tests!();
