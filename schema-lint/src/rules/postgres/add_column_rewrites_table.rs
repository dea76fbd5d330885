//! PG110 `add-column-rewrites-table`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_operations, is_volatile, type_text};
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, ColumnOption, GeneratedAs, GeneratedExpressionMode};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "PG110",
    name: "add-column-rewrites-table",
    family: Family::PostgresLocking,
    dialects: &[Dialect::Postgres],
    severity: Severity::Warning,
    default_on: true,
    summary: "A column added to an existing table with a volatile default, a stored generated expression, an identity or serial, or (before PostgreSQL 11) any default.",
    why: "PostgreSQL rewrites the whole table to fill the new column, holding an ACCESS EXCLUSIVE lock throughout.",
    instead: Some(
        "add the column without the default, set the default afterwards (it applies to new rows), and backfill existing rows in batches",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
    good: "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (table, operation) in alter_operations(cx.statement) {
        let AlterTableOperation::AddColumn { column_def, .. } = operation else {
            continue;
        };
        if !cx.is_existing_table(table) {
            continue;
        }
        let column = cx.ident(&column_def.name);
        let mut why = None;
        if type_text(&column_def.data_type).contains("SERIAL") {
            why = Some("a serial column fills every row from its sequence");
        }
        for option in &column_def.options {
            match &option.option {
                ColumnOption::Default(expr) if is_volatile(expr) => {
                    why = Some("its default is volatile and is computed for every row");
                }
                ColumnOption::Default(_) if cx.pg_version() < 11 => {
                    why = Some("before PostgreSQL 11 any default is written into every row");
                }
                ColumnOption::Generated {
                    generation_expr: Some(_),
                    generation_expr_mode,
                    generated_as,
                    ..
                } if !matches!(generation_expr_mode, Some(GeneratedExpressionMode::Virtual))
                    || matches!(generated_as, GeneratedAs::ExpStored) =>
                {
                    why = Some("a stored generated column is computed for every row");
                }
                ColumnOption::Generated {
                    generation_expr: None,
                    ..
                } => {
                    why = Some("an identity column fills every row from its sequence");
                }
                _ => {}
            }
        }
        if let Some(why) = why {
            emit.report(&["ADD"], format!("adding column `{column}` rewrites existing table `{table}` under an ACCESS EXCLUSIVE lock: {why}"));
        }
    }
}

rule_tests!();
