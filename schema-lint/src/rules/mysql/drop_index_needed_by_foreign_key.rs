//! MY104 `drop-index-needed-by-foreign-key`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_table;
use schema_model::{Dialect, IndexKey, Table};
use sqlparser::ast::{AlterTableOperation, ObjectType, Statement};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MY104",
    name: "drop-index-needed-by-foreign-key",
    family: Family::Mysql,
    dialects: &[Dialect::Mysql],
    severity: Severity::Error,
    default_on: true,
    summary: "Dropping the only index a foreign key's columns can use.",
    why: "InnoDB needs an index starting with a foreign key's columns and refuses to drop the last one (error 1553), so the migration fails.",
    instead: Some(
        "create the replacement index first, or drop the foreign key in the same statement",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE posts (id bigint PRIMARY KEY, author bigint, KEY posts_author (author), CONSTRAINT posts_author_fk FOREIGN KEY (author) REFERENCES users (id));",
    bad: "ALTER TABLE posts DROP INDEX posts_author;",
    good: "ALTER TABLE posts ADD INDEX posts_author_id (author, id), DROP INDEX posts_author;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn starts_with(keys: &[&str], columns: &[String]) -> bool {
    keys.len() >= columns.len() && keys.iter().zip(columns).all(|(k, c)| *k == c)
}

fn index_keys(table: &Table, name: &str) -> Option<Vec<String>> {
    table.indexes.get(name).map(|i| {
        i.parts
            .iter()
            .map(|p| match &p.key {
                IndexKey::Column(c) => c.clone(),
                IndexKey::Expression(_) => String::new(),
            })
            .collect()
    })
}

/// The foreign keys left with no index once `dropped` indexes are gone.
fn orphaned(table: &Table, dropped: &[String], added: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for fk in table.foreign_keys.values() {
        let needed_before = dropped.iter().any(|d| {
            index_keys(table, d).is_some_and(|keys| {
                starts_with(
                    &keys.iter().map(String::as_str).collect::<Vec<_>>(),
                    &fk.columns,
                )
            })
        });
        if !needed_before {
            continue;
        }
        let pk = table.primary_key.as_ref().is_some_and(|pk| {
            starts_with(
                &pk.columns.iter().map(String::as_str).collect::<Vec<_>>(),
                &fk.columns,
            )
        });
        let other = table
            .indexes
            .keys()
            .filter(|n| !dropped.contains(n))
            .any(|n| {
                index_keys(table, n).is_some_and(|keys| {
                    starts_with(
                        &keys.iter().map(String::as_str).collect::<Vec<_>>(),
                        &fk.columns,
                    )
                })
            });
        let new = added.iter().any(|keys| {
            starts_with(
                &keys.iter().map(String::as_str).collect::<Vec<_>>(),
                &fk.columns,
            )
        });
        if !(pk || other || new) {
            out.push(fk.name.clone());
        }
    }
    out
}

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let (table_name, dropped, added, fks_dropped): (_, Vec<String>, Vec<Vec<String>>, Vec<String>) =
        match cx.statement {
            Some(Statement::Drop {
                object_type: ObjectType::Index,
                names,
                table: Some(table),
                ..
            }) => (
                table,
                names
                    .iter()
                    .filter_map(|n| n.0.last().and_then(|p| p.as_ident()).map(|i| cx.ident(i)))
                    .collect(),
                Vec::new(),
                Vec::new(),
            ),
            _ => {
                let Some(alter) = alter_table(cx.statement) else {
                    return;
                };
                let mut dropped = Vec::new();
                let mut fks = Vec::new();
                let mut added = Vec::new();
                for operation in &alter.operations {
                    match operation {
                        AlterTableOperation::DropIndex { name } => dropped.push(cx.ident(name)),
                        AlterTableOperation::DropForeignKey { name, .. } => {
                            fks.push(cx.ident(name))
                        }
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            let columns: Vec<String> = match constraint {
                                sqlparser::ast::TableConstraint::Index(i) => i
                                    .columns
                                    .iter()
                                    .map(|c| c.column.expr.to_string())
                                    .collect(),
                                sqlparser::ast::TableConstraint::Unique(u) => u
                                    .columns
                                    .iter()
                                    .map(|c| c.column.expr.to_string())
                                    .collect(),
                                _ => continue,
                            };
                            added.push(
                                columns
                                    .iter()
                                    .map(|c| c.trim_matches('`').to_owned())
                                    .collect(),
                            );
                        }
                        _ => {}
                    }
                }
                (&alter.name, dropped, added, fks)
            }
        };
    if dropped.is_empty() {
        return;
    }
    let Some(table) = cx.table(table_name) else {
        return;
    };
    let orphans: Vec<String> = orphaned(table, &dropped, &added)
        .into_iter()
        .filter(|fk| !fks_dropped.contains(fk))
        .collect();
    if !orphans.is_empty() {
        emit.report(&["DROP"], format!("foreign key(s) {} of `{table_name}` need the index dropped here; MySQL refuses to drop it", orphans.join(", ")));
    }
}

rule_tests!();
