//! DE104 `integer-key`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{base_type, declared_columns, has_option};
use schema_model::Dialect;
use sqlparser::ast::{ColumnOption, Statement, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE104",
    name: "integer-key",
    family: Family::Design,
    // SQLite stores every integer in up to 8 bytes (INTEGER PRIMARY KEY is the rowid).
    dialects: &[Dialect::Postgres, Dialect::Mysql],
    severity: Severity::Warning,
    default_on: true,
    summary: "A primary or foreign key column of a 32-bit (or smaller) integer type.",
    why: "A busy table runs out of 32-bit ids (about 2.1 billion), and widening a key later rewrites the table and every table referencing it.",
    instead: Some("bigint (or bigserial / bigint identity)"),
    setup: "",
    bad: "CREATE TABLE orders (id integer PRIMARY KEY);",
    good: "CREATE TABLE orders (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

const SMALL: &[&str] = &[
    "INT",
    "INTEGER",
    "INT4",
    "SERIAL",
    "SERIAL4",
    "SMALLINT",
    "INT2",
    "SMALLSERIAL",
    "SERIAL2",
    "MEDIUMINT",
    "TINYINT",
];

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let mut keys: Vec<String> = Vec::new();
    if let Some(Statement::CreateTable(create)) = cx.statement {
        for constraint in &create.constraints {
            match constraint {
                TableConstraint::PrimaryKey(pk) => {
                    keys.extend(pk.columns.iter().map(|c| c.column.expr.to_string()))
                }
                TableConstraint::ForeignKey(fk) => {
                    keys.extend(fk.columns.iter().map(|c| cx.ident(c)))
                }
                _ => {}
            }
        }
    }
    let keys: Vec<String> = keys
        .iter()
        .map(|k| k.trim_matches('"').to_lowercase())
        .collect();
    for column in declared_columns(cx.statement) {
        let name = cx.ident(&column.name);
        let key = has_option(&column.options, |o| {
            matches!(o, ColumnOption::PrimaryKey(_) | ColumnOption::ForeignKey(_))
        }) || keys.contains(&name.to_lowercase());
        if key && SMALL.contains(&base_type(&column.data_type).as_str()) {
            emit.report_ident(&column.name, format!("key column `{name}` is {}, which runs out at about 2.1 billion values or fewer", column.data_type));
        }
    }
}

rule_tests!();
