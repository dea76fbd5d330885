//! DS103 `drop-column`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::AlterTableOperation;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS103",
    name: "drop-column",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "Dropping a column of a table that existed before this migration.",
    why: "The column's values are lost, and applications that still select or insert it fail as soon as it is gone.",
    instead: Some(
        "deploy code that no longer uses the column first, then drop it in a later migration",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);",
    bad: "ALTER TABLE users DROP COLUMN nickname;",
    good: "ALTER TABLE users ADD COLUMN bio text;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    // In a plan, planned-data-loss reports the planner's own hazard instead.
    if cx.plan_hazard.is_some() {
        return;
    }
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::DropColumn { column_names, .. } = operation else {
            continue;
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        for column in column_names {
            let name = cx.ident(column);
            // A virtual generated column holds no data of its own.
            let virtual_column = cx
                .table(table)
                .and_then(|t| t.column(&name))
                .and_then(|c| c.generated.as_ref())
                .is_some_and(|g| !g.stored);
            if !virtual_column {
                emit.report(
                    &["DROP"],
                    format!("dropping column `{name}` of `{table}` loses its values"),
                );
            }
        }
    }
}

rule_tests!();
