//! The rules, one per file, each declared once as a [`RuleMeta`] static named `RULE`.
//! Rules for one dialect live under `postgres/`, `mysql/` and `sqlite/`, as in the
//! other crates.
//!
//! Each file ends with `rule_tests!()`: its bad example must be flagged (the rendered
//! diagnostics are an insta snapshot beside it) and its good example must not.

use crate::rule::RuleMeta;
use sqlparser::ast::{
    AlterTable, AlterTableOperation, ColumnOption, DataType, Expr, ObjectName, Statement,
};

/// Tests every rule file has: the bad example is flagged (snapshot of the rendered
/// diagnostics), the good example is not.
macro_rules! rule_tests {
    () => {
        #[cfg(test)]
        mod tests {
            #[test]
            fn bad_example_is_flagged() {
                let rendered =
                    crate::rules::test_utils::lint_example(&super::RULE, super::RULE.bad);
                assert!(
                    rendered.contains(super::RULE.code),
                    "{} did not flag its bad example:\n{rendered}",
                    super::RULE.code
                );
                insta::assert_snapshot!(rendered);
            }

            #[test]
            fn good_example_passes() {
                let rendered =
                    crate::rules::test_utils::lint_example(&super::RULE, super::RULE.good);
                assert_eq!(
                    rendered,
                    "no findings\n",
                    "{} flagged its good example",
                    super::RULE.code
                );
            }
        }
    };
}

pub(crate) mod add_check_on_existing_table;
pub(crate) mod add_not_null_column_without_default;
pub(crate) mod change_column_type;
pub(crate) mod char_type;
pub(crate) mod drop_column;
pub(crate) mod drop_database;
pub(crate) mod drop_function;
pub(crate) mod drop_not_null;
pub(crate) mod drop_schema;
pub(crate) mod drop_sequence;
pub(crate) mod drop_table;
pub(crate) mod drop_type;
pub(crate) mod drop_view;
pub(crate) mod duplicate_column;
pub(crate) mod enum_value_removed;
pub(crate) mod foreign_key_without_index;
pub(crate) mod integer_key;
pub(crate) mod mysql;
pub(crate) mod naming_convention;
pub(crate) mod narrowing_type_change;
pub(crate) mod planned_data_loss;
pub(crate) mod postgres;
pub(crate) mod rename_column;
pub(crate) mod rename_table;
pub(crate) mod require_primary_key;
pub(crate) mod set_not_null_on_existing_column;
pub(crate) mod sqlite;
pub(crate) mod syntax_error;
pub(crate) mod transaction_nesting;
pub(crate) mod truncate;
pub(crate) mod uncommitted_transaction;
pub(crate) mod unique_on_existing_data;
pub(crate) mod unused_nolint;
pub(crate) mod varchar_type;

#[cfg(test)]
pub(crate) mod test_utils;

/// Every rule, in code order.
pub(crate) static ALL: &[&RuleMeta] = &[
    // destructive
    &planned_data_loss::RULE,
    &drop_schema::RULE,
    &drop_table::RULE,
    &drop_column::RULE,
    &drop_view::RULE,
    &drop_function::RULE,
    &drop_type::RULE,
    &drop_sequence::RULE,
    &truncate::RULE,
    &drop_database::RULE,
    // data-dependent
    &unique_on_existing_data::RULE,
    &add_not_null_column_without_default::RULE,
    &set_not_null_on_existing_column::RULE,
    &narrowing_type_change::RULE,
    &add_check_on_existing_table::RULE,
    &enum_value_removed::RULE,
    // backward-incompatible
    &rename_table::RULE,
    &rename_column::RULE,
    &change_column_type::RULE,
    &drop_not_null::RULE,
    // PostgreSQL locks and rewrites
    &postgres::create_index_not_concurrently::RULE,
    &postgres::drop_index_not_concurrently::RULE,
    &postgres::concurrently_in_transaction::RULE,
    &postgres::primary_key_not_using_index::RULE,
    &postgres::unique_not_using_index::RULE,
    &postgres::check_without_not_valid::RULE,
    &postgres::foreign_key_without_not_valid::RULE,
    &postgres::validate_in_same_transaction::RULE,
    &postgres::set_not_null_without_check::RULE,
    &postgres::add_column_rewrites_table::RULE,
    &postgres::type_change_rewrites_table::RULE,
    &postgres::detach_partition_not_concurrently::RULE,
    &postgres::reindex_not_concurrently::RULE,
    &postgres::vacuum_full::RULE,
    &postgres::cluster::RULE,
    &postgres::require_lock_timeout::RULE,
    &postgres::require_statement_timeout::RULE,
    &postgres::enum_value_in_transaction::RULE,
    &postgres::enum_value_ordering::RULE,
    &postgres::domain_add_constraint::RULE,
    &postgres::identifier_too_long::RULE,
    &postgres::set_logged_or_unlogged::RULE,
    // transactions
    &transaction_nesting::RULE,
    &uncommitted_transaction::RULE,
    // MySQL
    &mysql::copying_alter::RULE,
    &mysql::implicit_commit::RULE,
    &mysql::inline_references_ignored::RULE,
    &mysql::drop_index_needed_by_foreign_key::RULE,
    // SQLite
    &sqlite::needs_table_rebuild::RULE,
    &sqlite::foreign_keys_left_off::RULE,
    // design
    &char_type::RULE,
    &varchar_type::RULE,
    &postgres::timestamp_without_time_zone::RULE,
    &integer_key::RULE,
    &postgres::serial_column::RULE,
    &postgres::json_type::RULE,
    &require_primary_key::RULE,
    &foreign_key_without_index::RULE,
    &duplicate_column::RULE,
    // naming
    &naming_convention::RULE,
    // the linter's own
    &syntax_error::RULE,
    &unused_nolint::RULE,
];

/// The rule with that code or name (case-insensitive).
pub(crate) fn find(key: &str) -> Option<&'static RuleMeta> {
    ALL.iter()
        .copied()
        .find(|m| m.code.eq_ignore_ascii_case(key) || m.name.eq_ignore_ascii_case(key))
}

// ----- helpers the rules share -----

/// The statement as an `ALTER TABLE`.
pub(crate) fn alter_table(statement: Option<&Statement>) -> Option<&AlterTable> {
    match statement {
        Some(Statement::AlterTable(alter)) => Some(alter),
        _ => None,
    }
}

/// The operations of an `ALTER TABLE`, with the table's name.
pub(crate) fn alter_operations(
    statement: Option<&Statement>,
) -> impl Iterator<Item = (&ObjectName, &AlterTableOperation)> {
    alter_table(statement)
        .into_iter()
        .flat_map(|alter| alter.operations.iter().map(move |op| (&alter.name, op)))
}

/// Whether a column definition has that option.
pub(crate) fn has_option(
    options: &[sqlparser::ast::ColumnOptionDef],
    test: impl Fn(&ColumnOption) -> bool,
) -> bool {
    options.iter().any(|o| test(&o.option))
}

/// A type's SQL, uppercased, for comparisons.
pub(crate) fn type_text(data_type: &DataType) -> String {
    data_type.to_string().to_uppercase()
}

/// Functions whose value is fixed for a statement (stable or immutable): a default
/// using only these is evaluated once when a column is added, not per row.
const NON_VOLATILE: &[&str] = &[
    "NOW",
    "CURRENT_TIMESTAMP",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "LOCALTIMESTAMP",
    "LOCALTIME",
    "TRANSACTION_TIMESTAMP",
    "STATEMENT_TIMESTAMP",
    "CURRENT_USER",
    "SESSION_USER",
    "LOWER",
    "UPPER",
    "COALESCE",
    "JSONB_BUILD_OBJECT",
    "JSON_BUILD_OBJECT",
    "ARRAY",
    "MAKE_INTERVAL",
    "TO_JSONB",
];

/// Whether a default expression calls a function that may differ per row
/// (`random()`, `gen_random_uuid()`, `nextval()`, or one the linter does not know).
pub(crate) fn is_volatile(expr: &Expr) -> bool {
    use std::ops::ControlFlow;
    let mut volatile = false;
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if let Expr::Function(f) = e {
            let name = f
                .name
                .0
                .last()
                .map(|p| p.to_string().to_uppercase())
                .unwrap_or_default();
            if !NON_VOLATILE.contains(&name.as_str()) {
                volatile = true;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::<()>::Continue(())
    });
    volatile
}

/// A canonical check expression with parentheses, quotes and spaces removed, for
/// recognizing `col IS NOT NULL`.
pub(crate) fn squeeze(expression: &str) -> String {
    expression
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"' | '`' | ' ' | '\n' | '\t'))
        .collect::<String>()
        .to_lowercase()
}

/// A type written in SQL, in the model's canonical form: read by the offline loader
/// from a one-column table (type changes are rare, so the small load is cheap enough).
pub(crate) fn model_type(
    dialect: schema_model::Dialect,
    data_type: &DataType,
) -> Option<schema_model::DataType> {
    model_type_text(dialect, &data_type.to_string())
}

/// A type written as text, in the model's canonical form (see [`model_type`]).
pub(crate) fn model_type_text(
    dialect: schema_model::Dialect,
    data_type: &str,
) -> Option<schema_model::DataType> {
    let sql = format!("CREATE TABLE sextant_lint_probe (c {data_type});");
    let loaded =
        schema_inspect::load_sql(&sql, "<type>", &schema_inspect::LoadOptions::new(dialect))
            .ok()?;
    loaded
        .realm
        .schemas
        .values()
        .find_map(|s| s.tables.get("sextant_lint_probe"))
        .and_then(|t| t.columns.first())
        .map(|c| c.data_type.clone())
}

/// The column's type before the statement, and the type it is changed to, when the
/// statement changes the type of a column the replay knows.
pub(crate) fn type_change(
    cx: &crate::context::Cx<'_>,
    table: &ObjectName,
    column: &sqlparser::ast::Ident,
    data_type: &DataType,
) -> Option<(schema_model::DataType, schema_model::DataType)> {
    let name = cx.ident(column);
    let old = cx.table(table)?.column(&name)?.data_type.clone();
    let new = model_type(cx.dialect(), data_type)?;
    Some((old, new))
}

/// How many values a type holds, for the types whose size orders them: integers by
/// bytes, strings by length (unbounded as `u64::MAX`), numerics by digits before and
/// after the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    Integer(u64),
    Text(u64),
    Numeric(u64, u64),
}

pub(crate) fn width(data_type: &schema_model::DataType) -> Option<Width> {
    use schema_model::DataType as T;
    Some(match data_type {
        T::TinyInt => Width::Integer(1),
        T::SmallInt => Width::Integer(2),
        T::MediumInt => Width::Integer(3),
        T::Integer => Width::Integer(4),
        T::BigInt => Width::Integer(8),
        T::Char(n) => Width::Text(u64::from(*n)),
        T::Varchar(Some(n)) => Width::Text(u64::from(*n)),
        T::TinyText => Width::Text(255),
        T::MediumText => Width::Text(16_777_215),
        T::Varchar(None) | T::Text | T::LongText => Width::Text(u64::MAX),
        T::Numeric {
            precision: Some(p),
            scale,
        } => {
            let scale = u64::from(scale.unwrap_or(0));
            Width::Numeric(u64::from(*p).saturating_sub(scale), scale)
        }
        T::Numeric {
            precision: None, ..
        } => Width::Numeric(u64::MAX, u64::MAX),
        _ => return None,
    })
}

/// Whether `new` holds fewer values than `old`.
pub(crate) fn narrows(old: &schema_model::DataType, new: &schema_model::DataType) -> bool {
    match (width(old), width(new)) {
        (Some(Width::Integer(a)), Some(Width::Integer(b))) => b < a,
        (Some(Width::Text(a)), Some(Width::Text(b))) => b < a,
        (Some(Width::Numeric(a, s)), Some(Width::Numeric(b, t))) => b < a || t < s,
        _ => false,
    }
}

/// The column definitions a statement declares: `CREATE TABLE` columns and added
/// columns.
pub(crate) fn declared_columns(statement: Option<&Statement>) -> Vec<&sqlparser::ast::ColumnDef> {
    match statement {
        Some(Statement::CreateTable(create)) => create.columns.iter().collect(),
        Some(Statement::AlterTable(alter)) => alter
            .operations
            .iter()
            .filter_map(|op| match op {
                AlterTableOperation::AddColumn { column_def, .. } => Some(column_def),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The types a statement gives columns, with the column: declared and changed ones.
pub(crate) fn declared_types(
    statement: Option<&Statement>,
) -> Vec<(&sqlparser::ast::Ident, &DataType)> {
    let mut out: Vec<_> = declared_columns(statement)
        .into_iter()
        .map(|c| (&c.name, &c.data_type))
        .collect();
    for (_, operation) in alter_operations(statement) {
        match operation {
            AlterTableOperation::AlterColumn {
                column_name,
                op: sqlparser::ast::AlterColumnOperation::SetDataType { data_type, .. },
            } => out.push((column_name, data_type)),
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                ..
            } => out.push((col_name, data_type)),
            AlterTableOperation::ChangeColumn {
                new_name,
                data_type,
                ..
            } => out.push((new_name, data_type)),
            _ => {}
        }
    }
    out
}

/// The type's first word, uppercased (`VARCHAR` of `varchar(20)`, `INT` of `int unsigned`).
pub(crate) fn base_type(data_type: &DataType) -> String {
    let text = type_text(data_type);
    text.split(['(', ' ']).next().unwrap_or_default().to_owned()
}
