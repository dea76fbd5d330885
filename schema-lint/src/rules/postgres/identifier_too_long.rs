//! PG121 `identifier-too-long`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG121",
    name: "identifier-too-long",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "An identifier longer than 63 bytes.",
    why: "PostgreSQL silently truncates it to 63 bytes, so the object gets another name than the one written, and two long names can collide.",
    instead: Some("use a name of at most 63 bytes"),
    setup: "",
    bad: "CREATE TABLE customer_subscription_billing_history_entries_archived_for_audit_2024_q1 (id bigint PRIMARY KEY);",
    good: "CREATE TABLE billing_history_2024_q1 (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    if !matches!(cx.first_word(), "CREATE" | "ALTER") {
        return;
    }
    for word in cx
        .words
        .iter()
        .filter(|w| w.identifier && w.text.len() > 63)
    {
        let shown = if word.quoted {
            word.text.clone()
        } else {
            word.text.to_lowercase()
        };
        let at = [word.text.as_str()];
        emit.report(
            &at,
            format!(
                "`{shown}` is {} bytes long; PostgreSQL keeps only the first 63",
                word.text.len()
            ),
        );
    }
}

rule_tests!();
