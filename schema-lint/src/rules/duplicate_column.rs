//! DE109 `duplicate-column`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use sqlparser::ast::Statement;
use std::collections::HashSet;

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE109",
    name: "duplicate-column",
    family: Family::Design,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "A column named twice in CREATE TABLE or in an INSERT column list.",
    why: "The database refuses the statement when it runs, so the migration fails.",
    instead: Some("name each column once"),
    setup: "",
    bad: "CREATE TABLE users (id bigint PRIMARY KEY, email text, email text);",
    good: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let names: Vec<String> = match cx.statement {
        Some(Statement::CreateTable(create)) => {
            create.columns.iter().map(|c| cx.ident(&c.name)).collect()
        }
        Some(Statement::Insert(insert)) => insert.columns.iter().map(|c| c.to_string()).collect(),
        _ => return,
    };
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    for name in names {
        // PostgreSQL compares names after truncating them to 63 bytes.
        let key: String = name.bytes().take(63).map(char::from).collect();
        if !seen.insert(key.clone()) && reported.insert(key) {
            emit.report(&[], format!("column `{name}` is named more than once"));
        }
    }
}

rule_tests!();
