//! PostgreSQL online mode: the lock-light forms of risky steps.
//!
//! Indexes on tables that already hold rows are built and dropped `CONCURRENTLY`
//! (outside a transaction), a changed index is built under a temporary name before the
//! old one goes, foreign keys and checks are added `NOT VALID` and validated in a step
//! of their own (which takes a lighter lock), `SET NOT NULL` rides on a validated
//! `CHECK (col IS NOT NULL)`, and every transaction group starts by setting
//! `lock_timeout` and `statement_timeout`, so that a step waiting on a lock gives up
//! instead of queueing every other query behind it.

use super::{qualified, quote_ident, quote_literal};
use crate::plan::{PlanOptions, PlannedStatement};

/// The `lock_timeout` online mode sets when the caller gives none.
pub(crate) const DEFAULT_LOCK_TIMEOUT: &str = "5s";
/// The `statement_timeout` online mode sets when the caller gives none: long enough for
/// a concurrent index build on a large table, short enough to stop a runaway rewrite.
pub(crate) const DEFAULT_STATEMENT_TIMEOUT: &str = "1h";

fn inserted_after(sql: &str, prefix: &str, word: &str) -> Option<String> {
    sql.strip_prefix(prefix)
        .map(|rest| format!("{prefix}{word}{rest}"))
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY ...`, outside a transaction.
pub(crate) fn create_concurrently(mut statement: PlannedStatement) -> PlannedStatement {
    let sql = inserted_after(&statement.sql, "CREATE UNIQUE INDEX", " CONCURRENTLY")
        .or_else(|| inserted_after(&statement.sql, "CREATE INDEX", " CONCURRENTLY"));
    if let Some(sql) = sql {
        statement.sql = sql;
        statement.transactional = false;
        if let Some(reverse) = &statement.reverse {
            statement.reverse = Some(reverse.replacen("DROP INDEX", "DROP INDEX CONCURRENTLY", 1));
        }
    }
    statement
}

/// `DROP INDEX CONCURRENTLY ...`, outside a transaction.
pub(crate) fn drop_concurrently(mut statement: PlannedStatement) -> PlannedStatement {
    if let Some(rest) = statement.sql.strip_prefix("DROP INDEX ") {
        statement.sql = format!("DROP INDEX CONCURRENTLY {rest}");
        statement.transactional = false;
    }
    statement
}

/// A changed index replaced without a moment without it: the new one is built
/// concurrently under a temporary name, the old one dropped concurrently, and the new
/// one renamed.
pub(crate) fn replace_index(
    schema: &str,
    name: &str,
    create: &PlannedStatement,
    drop: &PlannedStatement,
) -> Vec<PlannedStatement> {
    let temporary = temporary_name(name, "_sextant_new");
    let mut build = create.clone();
    build.sql = build.sql.replacen(
        &format!("INDEX {} ON", quote_ident(name)),
        &format!("INDEX {} ON", quote_ident(&temporary)),
        1,
    );
    build.reverse = Some(format!("DROP INDEX {};", qualified(schema, &temporary)));
    let build = create_concurrently(build);
    let mut gone = drop_concurrently(drop.clone());
    gone.reverse = None;
    let rename = PlannedStatement {
        sql: format!(
            "ALTER INDEX {} RENAME TO {};",
            qualified(schema, &temporary),
            quote_ident(name)
        ),
        reverse: None,
        transactional: true,
        objects: create.objects.clone(),
        destructive: false,
        hazard: None,
    };
    vec![build, gone, rename]
}

/// A temporary name within PostgreSQL's 63 bytes: the name, cut where needed, and a
/// suffix saying what the object is there for.
pub(crate) fn temporary_name(name: &str, suffix: &str) -> String {
    let mut cut = name.len().min(63usize.saturating_sub(suffix.len()));
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &name[..cut])
}

/// A foreign key or check added `NOT VALID`, then validated in a step of its own.
pub(crate) fn add_not_valid(
    mut statement: PlannedStatement,
    table_sql: &str,
    constraint: &str,
) -> Vec<PlannedStatement> {
    let body = statement.sql.trim_end_matches(';').to_owned();
    if body.ends_with(" NOT VALID") {
        return vec![statement];
    }
    statement.sql = format!("{body} NOT VALID;");
    let validate = PlannedStatement {
        sql: format!(
            "ALTER TABLE {table_sql} VALIDATE CONSTRAINT {};",
            quote_ident(constraint)
        ),
        reverse: None,
        // In a transaction of its own: the NOT VALID constraint commits first and its
        // lock goes, and the scan runs under the weaker lock VALIDATE takes.
        transactional: false,
        objects: statement.objects.clone(),
        destructive: false,
        hazard: None,
    };
    vec![statement, validate]
}

/// `SET NOT NULL` through a validated `CHECK (col IS NOT NULL)`: PostgreSQL 12 and
/// later skip the full scan when such a check proves the column has no nulls.
pub(crate) fn set_not_null(
    table_sql: &str,
    table: &str,
    column: &str,
    object: &str,
) -> Vec<PlannedStatement> {
    let check = temporary_name(&format!("{table}_{column}_not_null"), "_sextant_new");
    let step = |sql: String| PlannedStatement {
        sql,
        reverse: None,
        transactional: true,
        objects: vec![object.to_owned()],
        destructive: false,
        hazard: None,
    };
    let column = quote_ident(column);
    let check = quote_ident(&check);
    vec![
        step(format!(
            "ALTER TABLE {table_sql} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID;"
        )),
        // Its own transaction, as in `add_not_valid`.
        PlannedStatement {
            transactional: false,
            ..step(format!(
                "ALTER TABLE {table_sql} VALIDATE CONSTRAINT {check};"
            ))
        },
        PlannedStatement {
            reverse: Some(format!(
                "ALTER TABLE {table_sql} ALTER COLUMN {column} DROP NOT NULL;"
            )),
            ..step(format!(
                "ALTER TABLE {table_sql} ALTER COLUMN {column} SET NOT NULL;"
            ))
        },
        step(format!("ALTER TABLE {table_sql} DROP CONSTRAINT {check};")),
    ]
}

/// The plan with `SET lock_timeout` and `SET statement_timeout` at the start of each
/// transaction group.
pub(crate) fn with_timeouts(
    statements: Vec<PlannedStatement>,
    options: &PlanOptions,
) -> Vec<PlannedStatement> {
    if statements.is_empty() {
        return statements;
    }
    let lock = options
        .lock_timeout
        .as_deref()
        .unwrap_or(DEFAULT_LOCK_TIMEOUT);
    let slow = options
        .statement_timeout
        .as_deref()
        .unwrap_or(DEFAULT_STATEMENT_TIMEOUT);
    let setting = |name: &str, value: &str| PlannedStatement {
        sql: format!("SET {name} = {};", quote_literal(value)),
        reverse: None,
        transactional: true,
        objects: vec![format!("setting {name}")],
        destructive: false,
        hazard: None,
    };
    let mut out = Vec::with_capacity(statements.len() + 4);
    let mut previous_transactional: Option<bool> = None;
    for statement in statements {
        let starts_group = !statement.transactional || previous_transactional != Some(true);
        if starts_group {
            out.push(setting("lock_timeout", lock));
            out.push(setting("statement_timeout", slow));
        }
        previous_transactional = Some(statement.transactional);
        out.push(statement);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_fit_in_63_bytes() {
        let long = "é".repeat(40);
        let name = temporary_name(&long, "_sextant_new");
        assert!(name.len() <= 63, "{}", name.len());
        assert!(name.ends_with("_sextant_new"));
    }
}
