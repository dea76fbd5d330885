//! DS102 `drop-table`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use sqlparser::ast::{ObjectType, Statement};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS102",
    name: "drop-table",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "Dropping a table that existed before this migration.",
    why: "Its rows are lost, and applications still reading it fail.",
    instead: Some(
        "stop reading and writing the table first, check that it is empty or archived, then drop it in a migration of its own",
    ),
    setup: "CREATE TABLE sessions (id bigint PRIMARY KEY);",
    bad: "DROP TABLE sessions;",
    good: "CREATE TABLE tmp_import (id bigint PRIMARY KEY);\nDROP TABLE tmp_import;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(Statement::Drop {
        object_type: ObjectType::Table,
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
        if !cx.is_existing_table(name) {
            continue;
        }
        let last = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| cx.ident(i).to_lowercase())
            .unwrap_or_default();
        if cx.state.renamed_into.contains(&last) {
            // Replaced by a table renamed into its place (a rebuild): rows were copied.
            continue;
        }
        emit.report(&["DROP"], format!("dropping table `{name}` loses its rows"));
    }
}

rule_tests!();
