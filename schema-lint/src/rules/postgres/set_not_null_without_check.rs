//! PG109 `set-not-null-without-check`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, squeeze};
use schema_model::Dialect;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG109",
    name: "set-not-null-without-check",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "SET NOT NULL on an existing column with no validated CHECK (col IS NOT NULL) to vouch for it.",
    why: "PostgreSQL scans the whole table for NULLs under an ACCESS EXCLUSIVE lock, unless (from version 12) a validated check constraint already proves there are none.",
    instead: Some(
        "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL and drop the check",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    good: "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nCOMMIT;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetNotNull,
        } = operation
        else {
            continue;
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        let column = cx.ident(column_name);
        let wanted = format!("{}isnotnull", column.to_lowercase());
        let vouched = cx.pg_version() >= 12
            && cx.table(table).is_some_and(|t| {
                t.checks
                    .values()
                    .any(|c| !c.not_valid && squeeze(&c.expression) == wanted)
            });
        if !vouched {
            emit.report(&["SET", "NOT", "NULL"], format!("SET NOT NULL scans existing table `{table}` for NULLs in `{column}` under an ACCESS EXCLUSIVE lock"));
        }
    }
}

rule_tests!();
