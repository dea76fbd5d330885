//! PG107 `foreign-key-without-not-valid`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, has_option};
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG107",
    name: "foreign-key-without-not-valid",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A foreign key added to an existing table without NOT VALID.",
    why: "Every row is checked against the referenced table while both are locked against writes (SHARE ROW EXCLUSIVE).",
    instead: Some(
        "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE posts (id bigint PRIMARY KEY, author bigint);",
    bad: "ALTER TABLE posts ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author) REFERENCES users (id);",
    good: "ALTER TABLE posts ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author) REFERENCES users (id) NOT VALID;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if !cx.is_existing_table(table) {
            continue;
        }
        match operation {
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::ForeignKey(_),
                not_valid: false,
            } => emit.report(&["FOREIGN"], format!("the foreign key scans existing table `{table}` while blocking writes to it and to the referenced table")),
            AlterTableOperation::AddColumn { column_def, .. }
                if has_option(&column_def.options, |o| matches!(o, ColumnOption::ForeignKey(_))) =>
            {
                emit.report_with(
                    &["REFERENCES"],
                    format!("a column added with REFERENCES to existing table `{table}` locks the referenced table against writes"),
                    Some("add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE it later".to_owned()),
                );
            }
            _ => {}
        }
    }
}

rule_tests!();
