//! BC101 `rename-table`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterTableOperation, Statement};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "BC101",
    name: "rename-table",
    family: Family::Incompatible,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Renaming a table that existed before this migration.",
    why: "Applications still running with the old name fail from the moment the rename commits.",
    instead: Some(
        "create the new table (or a view with the new name), move readers and writers over, then drop the old one",
    ),
    setup: "CREATE TABLE customer (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE customer RENAME TO customers;",
    good: "CREATE TABLE staging (id bigint PRIMARY KEY);\nALTER TABLE staging RENAME TO staged;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if let AlterTableOperation::RenameTable { .. } = operation
            && cx.is_existing_table(table)
        {
            emit.report(
                &["RENAME"],
                format!("renaming table `{table}` breaks applications that use the old name"),
            );
        }
    }
    if let Some(Statement::RenameTable(renames)) = cx.statement {
        for rename in renames {
            if cx.is_existing_table(&rename.old_name) {
                emit.report(
                    &["RENAME"],
                    format!(
                        "renaming table `{}` breaks applications that use the old name",
                        rename.old_name
                    ),
                );
            }
        }
    }
}

rule_tests!();
