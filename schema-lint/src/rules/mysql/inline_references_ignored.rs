//! MY103 `inline-references-ignored`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{declared_columns, has_option};
use schema_model::Dialect;
use sqlparser::ast::ColumnOption;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MY103",
    name: "inline-references-ignored",
    family: Family::Mysql,
    dialects: &[Dialect::Mysql],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column-level REFERENCES clause on MySQL.",
    why: "MySQL (before 9.0) parses and ignores REFERENCES written on a column: no foreign key is created.",
    instead: Some("declare the key as a table constraint: FOREIGN KEY (col) REFERENCES other (id)"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);",
    bad: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));",
    good: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint, FOREIGN KEY (author) REFERENCES users (id));",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for column in declared_columns(cx.statement) {
        if has_option(&column.options, |o| {
            matches!(o, ColumnOption::ForeignKey(_))
        }) {
            emit.report(
                &["REFERENCES"],
                format!(
                    "REFERENCES on column `{}` is ignored by MySQL: no foreign key is created",
                    cx.ident(&column.name)
                ),
            );
        }
    }
}

rule_tests!();
