//! PG118 `enum-value-in-transaction`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG118",
    name: "enum-value-in-transaction",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "ALTER TYPE ... ADD VALUE inside a transaction.",
    why: "Before PostgreSQL 12 it cannot run in a transaction at all; from 12 on, the new value cannot be used until the transaction commits, so later statements of the same migration that use it fail.",
    instead: Some(
        "add enum values in a migration of their own, outside a transaction (or at least commit before using them)",
    ),
    setup: "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    bad: "BEGIN;\nALTER TYPE mood ADD VALUE 'calm' AFTER 'sad';\nCOMMIT;",
    good: "ALTER TYPE mood ADD VALUE 'calm' AFTER 'sad';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if cx.state.in_transaction
        && cx.starts_with(&["ALTER", "TYPE"])
        && cx.has_words(&["ADD", "VALUE"])
    {
        if cx.pg_version() < 12 {
            emit.report(
                &["ADD", "VALUE"],
                "ALTER TYPE ... ADD VALUE cannot run inside a transaction before PostgreSQL 12",
            );
        } else {
            emit.report(
                &["ADD", "VALUE"],
                "the new enum value cannot be used until this transaction commits",
            );
        }
    }
}

rule_tests!();
