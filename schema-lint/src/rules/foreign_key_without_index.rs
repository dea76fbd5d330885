//! DE108 `foreign-key-without-index`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::{Dialect, IndexKey, Table};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE108",
    name: "foreign-key-without-index",
    family: Family::Design,
    dialects: &[Dialect::Postgres, Dialect::Sqlite],
    severity: Severity::Warning,
    default_on: true,
    summary: "A foreign key whose columns no index starts with (by the end of the file that adds it).",
    why: "Every delete or key update on the referenced table scans the referencing table to check or cascade, and joins along the key cannot use an index. MySQL creates the index by itself; PostgreSQL and SQLite do not.",
    instead: Some("create an index on the foreign key's columns"),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);",
    bad: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));",
    good: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));\nCREATE INDEX posts_author_idx ON posts (author);",
    check: crate::rule::no_check,
    at_file_end: Some(at_file_end),
    sizing: crate::rule::Sizing::Never,
};

/// Whether some index, unique constraint or the primary key starts with the columns.
fn covered(table: &Table, columns: &[String]) -> bool {
    let starts = |keys: Vec<&str>| {
        keys.len() >= columns.len() && keys.iter().zip(columns).all(|(k, c)| *k == c)
    };
    if table
        .primary_key
        .as_ref()
        .is_some_and(|pk| starts(pk.columns.iter().map(String::as_str).collect()))
    {
        return true;
    }
    if table
        .uniques
        .values()
        .any(|u| starts(u.columns.iter().map(String::as_str).collect()))
    {
        return true;
    }
    table.indexes.values().any(|index| {
        index.predicate.is_none()
            && starts(
                index
                    .parts
                    .iter()
                    .map(|p| match &p.key {
                        IndexKey::Column(c) => c.as_str(),
                        IndexKey::Expression(_) => "",
                    })
                    .collect(),
            )
    })
}

fn at_file_end(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (name, columns, stmt) in &cx.state.foreign_keys_added {
        let Some(table) = cx.realm.table(name) else {
            continue;
        };
        if !columns.is_empty() && !covered(table, columns) {
            emit.report_on(
                stmt,
                format!(
                    "no index on `{name}` starts with the foreign key's columns ({})",
                    columns.join(", ")
                ),
            );
        }
    }
}

rule_tests!();
