//! BC102 `rename-column`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::AlterTableOperation;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "BC102",
    name: "rename-column",
    family: Family::Incompatible,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "Renaming a column of a table that existed before this migration.",
    why: "Applications still running with the old name fail from the moment the rename commits.",
    instead: Some(
        "add the new column, write both, backfill, move readers over, then drop the old column",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, mail text);",
    bad: "ALTER TABLE users RENAME COLUMN mail TO email;",
    good: "ALTER TABLE users ADD COLUMN email text;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let (old, new, at): (_, _, &[&str]) = match operation {
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => (old_column_name, new_column_name, &["RENAME"]),
            AlterTableOperation::ChangeColumn {
                old_name, new_name, ..
            } => (old_name, new_name, &["CHANGE"]),
            _ => continue,
        };
        let (old, new) = (cx.ident(old), cx.ident(new));
        if old != new && cx.is_existing_table(table) {
            emit.report(at, format!("renaming column `{old}` of `{table}` to `{new}` breaks applications that use the old name"));
        }
    }
}

rule_tests!();
