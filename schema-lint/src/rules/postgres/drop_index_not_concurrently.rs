//! PG102 `drop-index-not-concurrently`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use schema_model::Dialect;
use sqlparser::ast::{ObjectType, Statement};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG102",
    name: "drop-index-not-concurrently",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "DROP INDEX without CONCURRENTLY on an index of a table that existed before this migration.",
    why: "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: queued behind a long query, it blocks every read and write behind it.",
    instead: Some("DROP INDEX CONCURRENTLY, outside a transaction"),
    setup: "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint);\nCREATE INDEX posts_author_idx ON posts (author);",
    bad: "DROP INDEX posts_author_idx;",
    good: "DROP INDEX CONCURRENTLY posts_author_idx;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(Statement::Drop {
        object_type: ObjectType::Index,
        names,
        ..
    }) = cx.statement
    else {
        return;
    };
    if cx.has_words(&["CONCURRENTLY"]) {
        return;
    }
    for name in names {
        let index = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| cx.ident(i))
            .unwrap_or_default();
        // The table the index is on, to exempt tables this migration created.
        let table = cx.realm.schemas.iter().find_map(|(schema, s)| {
            s.tables
                .values()
                .find(|t| t.indexes.contains_key(&index))
                .map(|t| schema_model::QualifiedName::new(schema.clone(), t.name.clone()))
        });
        if table.is_some_and(|t| cx.state.created_tables.contains(&t)) {
            continue;
        }
        emit.report(
            &["INDEX"],
            format!("dropping index `{name}` locks its table against reads and writes"),
        );
    }
}

rule_tests!();
