//! MF103 `add-not-null-column-without-default`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, has_option, type_text};
use sqlparser::ast::{AlterTableOperation, ColumnOption};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MF103",
    name: "add-not-null-column-without-default",
    family: Family::DataDependent,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A NOT NULL column without a default added to an existing table.",
    why: "PostgreSQL and SQLite refuse it as soon as the table has a row; MySQL fills existing rows with the type's zero value. Old application code that inserts without the column fails too.",
    instead: Some("add the column nullable (or with a default), backfill it, then set NOT NULL"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE users ADD COLUMN email text NOT NULL;",
    good: "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::ExistingRows,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::AddColumn { column_def, .. } = operation else {
            continue;
        };
        let options = &column_def.options;
        let not_null = has_option(options, |o| {
            matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_))
        });
        let filled = has_option(options, |o| {
            matches!(o, ColumnOption::Default(_) | ColumnOption::Generated { .. })
        }) || type_text(&column_def.data_type).contains("SERIAL")
            || has_option(
                options,
                |o| matches!(o, ColumnOption::DialectSpecific(t) if t.iter().any(|t| t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT"))),
            );
        if not_null && !filled && cx.is_existing_table(table) {
            emit.report(
                &["ADD"],
                format!(
                    "column `{}` is added NOT NULL without a default to existing table `{table}`",
                    cx.ident(&column_def.name)
                ),
            );
        }
    }
}

rule_tests!();
