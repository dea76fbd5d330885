//! PG104 `primary-key-not-using-index`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG104",
    name: "primary-key-not-using-index",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "ADD PRIMARY KEY on an existing table, not built USING INDEX.",
    why: "The key's unique index is built under an ACCESS EXCLUSIVE lock: no reads or writes until it is done (and the columns are scanned for NULLs).",
    instead: Some(
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX",
    ),
    setup: "CREATE TABLE events (id bigint NOT NULL, kind text);",
    bad: "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);",
    good: "CREATE UNIQUE INDEX CONCURRENTLY events_id_idx ON events (id);\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        if let AlterTableOperation::AddConstraint {
            constraint: TableConstraint::PrimaryKey(_),
            ..
        } = operation
            && cx.is_existing_table(table)
        {
            emit.report(&["PRIMARY"], format!("adding a primary key to existing table `{table}` builds its index under an ACCESS EXCLUSIVE lock"));
        }
    }
}

rule_tests!();
