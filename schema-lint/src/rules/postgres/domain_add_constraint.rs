//! PG120 `domain-add-constraint`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG120",
    name: "domain-add-constraint",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID.",
    why: "Every column of every table that uses the domain is checked, with those tables locked, and the migration fails if one value violates it.",
    instead: Some("ADD CONSTRAINT ... NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT later"),
    setup: "CREATE DOMAIN positive AS integer;",
    bad: "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);",
    good: "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0) NOT VALID;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.starts_with(&["ALTER", "DOMAIN"])
        && (cx.has_words(&["ADD", "CONSTRAINT"]) || cx.has_words(&["ADD", "CHECK"]))
        && !cx.has_words(&["NOT", "VALID"])
    {
        emit.report(
            &["ADD"],
            "adding a domain constraint checks every column that uses the domain",
        );
    }
}

rule_tests!();
