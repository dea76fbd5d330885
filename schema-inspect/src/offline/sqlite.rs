//! SQLite rules: column types reduce to their affinity, names are kept as written
//! (and matched case-insensitively).
//!
//! Names: SQLite keeps none for the primary key (the model uses `""`), nor for unnamed
//! foreign keys and checks, which take PostgreSQL's names (`<table>_<cols>_fkey`,
//! `<table>_<col>_check` / `<table>_check`) so that the model is deterministic. A
//! `UNIQUE` constraint keeps its given name, else it is named after the index SQLite
//! builds for it, `sqlite_autoindex_<table>_<n>`, where n counts the table's primary
//! key (unless it is an `INTEGER PRIMARY KEY` rowid alias) and `UNIQUE` constraints in
//! declaration order. Defaults are the canonical expression text (`NULL` is no
//! default); SQLite itself reports the text as written.

use schema_model::{DataType, IndexKey, IndexPart, Table};
use sqlparser::ast::{self, Ident};

/// SQLite keeps identifiers as written (and compares them case-insensitively).
pub(crate) fn fold_ident(ident: &Ident) -> String {
    ident.value.clone()
}

/// The declared type's affinity, by the rules of
/// <https://www.sqlite.org/datatype3.html> §3.1, in order: a name containing `INT` is
/// INTEGER; `CHAR`, `CLOB` or `TEXT`, TEXT; `BLOB` or no type at all, BLOB; `REAL`,
/// `FLOA` or `DOUB`, REAL ([`DataType::Double`]); anything else NUMERIC. `ANY` is
/// [`DataType::Any`]; the table handler turns it back into NUMERIC outside `STRICT`
/// tables, where it has no special meaning.
pub(crate) fn data_type(ty: &ast::DataType) -> DataType {
    if matches!(ty, ast::DataType::Unspecified) {
        return DataType::Blob;
    }
    if let ast::DataType::Collate(inner, _) = ty {
        return data_type(inner);
    }
    let text = ty.to_string().to_uppercase();
    affinity(&text)
}

/// The affinity of a declared type name.
pub(crate) fn affinity(declared: &str) -> DataType {
    let text = declared.to_uppercase();
    if text.trim() == "ANY" {
        DataType::Any
    } else if text.contains("INT") {
        DataType::Integer
    } else if text.contains("CHAR") || text.contains("CLOB") || text.contains("TEXT") {
        DataType::Text
    } else if text.contains("BLOB") || text.trim().is_empty() {
        DataType::Blob
    } else if text.contains("REAL") || text.contains("FLOA") || text.contains("DOUB") {
        DataType::Double
    } else {
        DataType::NUMERIC
    }
}

/// Whether a declared type makes an `INTEGER PRIMARY KEY` an alias of the rowid: only
/// the exact name `INTEGER`, case-insensitively.
pub(crate) fn is_rowid_alias_type(ty: &ast::DataType) -> bool {
    matches!(ty, ast::DataType::Integer(None)) || ty.to_string().eq_ignore_ascii_case("integer")
}

/// An automatic index's key: (column, collation) pairs, both lowercase.
pub(crate) type IndexKeyColumns = Vec<(String, String)>;

/// The key of the index a PRIMARY KEY or UNIQUE constraint makes, as SQLite compares
/// them to find a constraint that needs no index of its own: each column with the
/// collation in effect (written on the key, else the column's, else `BINARY`), both
/// lowercase. Sort order does not count.
pub(crate) fn index_key(table: &Table, parts: &[IndexPart]) -> IndexKeyColumns {
    parts
        .iter()
        .map(|part| {
            let column = match &part.key {
                IndexKey::Column(c) | IndexKey::Expression(c) => c.clone(),
            };
            let collation = part
                .collation
                .clone()
                .or_else(|| table.column(&column).and_then(|c| c.collation.clone()))
                .unwrap_or_else(|| "binary".to_owned());
            (column.to_lowercase(), collation.to_lowercase())
        })
        .collect()
}

/// `ALTER TABLE ... RENAME TO`: SQLite renames the table's automatic indexes with it,
/// so unique constraints named after them (`sqlite_autoindex_<table>_<n>`) follow.
pub(crate) fn rename_autoindexes(table: &mut Table, old_name: &str, new_name: &str) {
    let old_prefix = format!("sqlite_autoindex_{old_name}_");
    let renamed: Vec<String> = table
        .uniques
        .keys()
        .filter(|name| {
            name.strip_prefix(&old_prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .cloned()
        .collect();
    for old in renamed {
        if let Some(mut unique) = table.uniques.remove(&old) {
            unique.name = format!("sqlite_autoindex_{new_name}_{}", &old[old_prefix.len()..]);
            table.uniques.insert(unique.name.clone(), unique);
        }
    }
}

/// After a table or column rename (the table already renamed; `old_column` maps a
/// column's new name to the one it had): SQLite keeps no names for unnamed foreign
/// keys and checks, and the model derives them from the table and column names (see
/// the module docs), so each name derived from the old names is derived again from
/// the new ones, as a database built from the final schema would be read.
pub(crate) fn rederive_names(
    table: &mut Table,
    old_table: &str,
    old_column: impl Fn(&str) -> String,
) {
    use super::postgres::{make_object_name, name_addition};
    fn labels(base: &'static str) -> impl Iterator<Item = String> {
        (0..100u32).map(move |pass| {
            if pass == 0 {
                base.to_owned()
            } else {
                format!("{base}{pass}")
            }
        })
    }
    let mut fk_renames = Vec::new();
    for (name, fk) in &table.foreign_keys {
        let new_addition = name_addition(&fk.columns);
        let old_columns: Vec<String> = fk.columns.iter().map(|c| old_column(c)).collect();
        let old_addition = name_addition(&old_columns);
        if let Some(label) = labels("fkey")
            .find(|label| *name == make_object_name(old_table, Some(&old_addition), label))
        {
            fk_renames.push((
                name.clone(),
                make_object_name(&table.name, Some(&new_addition), &label),
            ));
        }
    }
    let mut check_renames = Vec::new();
    for name in table.checks.keys() {
        let found = labels("check").find_map(|label| {
            if *name == make_object_name(old_table, None, &label) {
                return Some(make_object_name(&table.name, None, &label));
            }
            table.columns.iter().find_map(|column| {
                let old = old_column(&column.name);
                (*name == make_object_name(old_table, Some(&old), &label))
                    .then(|| make_object_name(&table.name, Some(&column.name), &label))
            })
        });
        if let Some(new_name) = found {
            check_renames.push((name.clone(), new_name));
        }
    }
    for (old, new) in fk_renames {
        if old != new
            && !table.foreign_keys.contains_key(&new)
            && let Some(mut fk) = table.foreign_keys.remove(&old)
        {
            fk.name.clone_from(&new);
            table.foreign_keys.insert(new, fk);
        }
    }
    for (old, new) in check_renames {
        if old != new
            && !table.checks.contains_key(&new)
            && let Some(mut check) = table.checks.remove(&old)
        {
            check.name.clone_from(&new);
            table.checks.insert(new, check);
        }
    }
}
