//! DS101 `drop-schema`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use sqlparser::ast::{ObjectType, Statement};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS101",
    name: "drop-schema",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "Dropping a schema (a MySQL database) and everything in it.",
    why: "Every table, view and function in the schema goes with it, and their rows cannot be brought back.",
    instead: Some(
        "move what is still needed out first, and drop the schema in a migration of its own once it is empty",
    ),
    setup: "CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY);",
    bad: "DROP SCHEMA billing CASCADE;",
    good: "CREATE SCHEMA scratch;\nDROP SCHEMA scratch;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(Statement::Drop {
        object_type: ObjectType::Schema,
        names,
        ..
    }) = cx.statement
    else {
        return;
    };
    // In a plan, planned-data-loss reports the planner's own hazard instead.
    if cx.plan_hazard.is_some() {
        return;
    }
    for name in names {
        let schema = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| cx.ident(i))
            .unwrap_or_default();
        match cx.realm.schema(&schema) {
            Some(s) if s.tables.is_empty() && s.views.is_empty() => {}
            Some(s) => emit.report(
                &["DROP"],
                format!(
                    "dropping schema `{schema}` drops its {} table(s) and {} view(s) with their data",
                    s.tables.len(),
                    s.views.len()
                ),
            ),
            None => emit.report(&["DROP"], format!("dropping schema `{schema}` drops everything in it")),
        }
    }
}

rule_tests!();
