//! Rename hints: applied to the source realm before diffing, and suggested where a drop
//! and an add look alike.

use crate::{Change, DiffError, Rename, RenameKind, RenameSuggestion, TableChange};
use schema_model::{IndexKey, QualifiedName, Realm, Table};
use std::borrow::Cow;

/// Splits a dot-separated name whose parts may be double-quoted (`"a.b".c`).
pub(crate) fn split_name(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let (part, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut end = None;
            let mut chars = quoted.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|&(_, c)| c) == Some('"') {
                        out.push('"');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    out.push(c);
                }
            }
            (out, &quoted[end?..])
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            (rest[..end].to_owned(), &rest[end..])
        };
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => return Some(parts),
            None => return None,
        }
    }
}

fn bad(rename: &Rename, reason: impl Into<String>) -> DiffError {
    DiffError::BadRename {
        hint: format!("{}:{}={}", rename.kind, rename.from, rename.to),
        reason: reason.into(),
    }
}

/// The source realm with the hinted renames made, and the rename changes, in the order
/// given. Every hint must name an object of the source realm whose new name exists in the
/// target and not yet in the source.
pub fn apply_renames(
    from: &Realm,
    to: &Realm,
    renames: &[Rename],
) -> Result<(Realm, Vec<Change>), DiffError> {
    renamed(from, to, renames).map(|(realm, changes)| (realm.into_owned(), changes))
}

/// [`apply_renames`] without copying the realm when there is nothing to rename: most
/// plans have no hints, and a large realm's copy costs more than its diff.
pub fn renamed<'a>(
    from: &'a Realm,
    to: &Realm,
    renames: &[Rename],
) -> Result<(Cow<'a, Realm>, Vec<Change>), DiffError> {
    if renames.is_empty() {
        return Ok((Cow::Borrowed(from), Vec::new()));
    }
    let mut realm = from.clone();
    let mut changes = Vec::new();
    for rename in renames {
        let mut parts = rename
            .from_parts()
            .ok_or_else(|| bad(rename, "unreadable name"))?;
        if let Some(schema) = parts.first_mut().filter(|s| s.is_empty()) {
            from.dialect.default_schema().clone_into(schema);
        }
        if moot(&realm, to, rename.kind, &parts, &rename.to) {
            tracing::debug!(hint = %rename.from, to = %rename.to, "rename hint moot");
            continue;
        }
        match (rename.kind, parts.as_slice()) {
            (RenameKind::Table, [schema, old]) => {
                rename_table(&mut realm, to, rename, schema, old)?;
                changes.push(Change::RenameTable {
                    schema: schema.clone(),
                    from: old.clone(),
                    to: rename.to.clone(),
                });
            }
            (RenameKind::Column, [schema, table, old]) => {
                rename_column(&mut realm, to, rename, schema, table, old)?;
                changes.push(Change::ModifyTable {
                    schema: schema.clone(),
                    name: table.clone(),
                    changes: vec![TableChange::RenameColumn {
                        from: old.clone(),
                        to: rename.to.clone(),
                    }],
                });
            }
            (RenameKind::Index, [schema, table, old]) => {
                let target = realm
                    .schemas
                    .get_mut(schema)
                    .and_then(|s| s.tables.get_mut(table))
                    .ok_or_else(|| bad(rename, format!("no table {schema}.{table}")))?;
                let wanted = to.schemas.get(schema).and_then(|s| s.tables.get(table));
                if wanted.is_none_or(|t| !t.indexes.contains_key(&rename.to)) {
                    return Err(bad(rename, "the target has no index of the new name"));
                }
                if target.indexes.contains_key(&rename.to) {
                    return Err(bad(
                        rename,
                        "the source already has an index of the new name",
                    ));
                }
                let mut index = target
                    .indexes
                    .remove(old)
                    .ok_or_else(|| bad(rename, format!("no index {old} on {schema}.{table}")))?;
                index.name = rename.to.clone();
                target.indexes.insert(rename.to.clone(), index);
                changes.push(Change::ModifyTable {
                    schema: schema.clone(),
                    name: table.clone(),
                    changes: vec![TableChange::RenameIndex {
                        from: old.clone(),
                        to: rename.to.clone(),
                    }],
                });
            }
            _ => return Err(bad(rename, "wrong number of name parts for the kind")),
        }
    }
    Ok((Cow::Owned(realm), changes))
}

/// Whether the hint asks for nothing: the source already holds the object under its
/// new name and not its old one (a hint stays in the desired schema after its rename
/// ran, as sqldef's annotations do), or the target still holds it under its old name
/// and not the new one (the way back from a rename that was already made).
fn moot(from: &Realm, to: &Realm, kind: RenameKind, parts: &[String], new: &str) -> bool {
    let has = |realm: &Realm, name: &str| -> Option<bool> {
        let schema = realm.schemas.get(parts.first()?)?;
        Some(match (kind, parts) {
            (RenameKind::Table, [_, _]) => schema.tables.contains_key(name),
            (RenameKind::Column, [_, table, _]) => schema.tables.get(table)?.column(name).is_some(),
            (RenameKind::Index, [_, table, _]) => {
                schema.tables.get(table)?.indexes.contains_key(name)
            }
            _ => return None,
        })
    };
    let Some(old) = parts.last() else {
        return false;
    };
    let renamed = |realm: &Realm| has(realm, old) == Some(false) && has(realm, new) == Some(true);
    let kept = |realm: &Realm| has(realm, old) == Some(true) && has(realm, new) == Some(false);
    renamed(from) || kept(to)
}

fn rename_table(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    if to
        .schemas
        .get(schema)
        .is_none_or(|s| !s.tables.contains_key(new))
    {
        return Err(bad(
            rename,
            format!("the target has no table {schema}.{new}"),
        ));
    }
    let s = realm
        .schemas
        .get_mut(schema)
        .ok_or_else(|| bad(rename, format!("no schema {schema}")))?;
    if s.has_relation(new) {
        return Err(bad(
            rename,
            format!("the source already has {schema}.{new}"),
        ));
    }
    let mut table = s
        .tables
        .remove(old)
        .ok_or_else(|| bad(rename, format!("no table {schema}.{old}")))?;
    table.name = new.to_owned();
    s.tables.insert(new.to_owned(), table);
    // What the database rewrites by itself when a table is renamed: references by
    // name to the table from keys, sequences and partitions.
    let before = QualifiedName::new(schema, old);
    let after = QualifiedName::new(schema, new);
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for fk in table.foreign_keys.values_mut() {
                if fk.referenced_table == before {
                    fk.referenced_table = after.clone();
                }
            }
            if let Some(of) = &mut table.partition_of
                && of.parent == before
            {
                of.parent = after.clone();
            }
            for parent in &mut table.inherits {
                if *parent == before {
                    *parent = after.clone();
                }
            }
        }
        for sequence in s.sequences.values_mut() {
            if let Some(owner) = &mut sequence.owned_by
                && owner.table == before
            {
                owner.table = after.clone();
            }
        }
    }
    Ok(())
}

fn rename_column(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    table_name: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    let wanted = to
        .schemas
        .get(schema)
        .and_then(|s| s.tables.get(table_name));
    if wanted.is_none_or(|t| t.column(new).is_none()) {
        return Err(bad(
            rename,
            format!("the target has no column {new} in {schema}.{table_name}"),
        ));
    }
    let table = realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.tables.get_mut(table_name))
        .ok_or_else(|| bad(rename, format!("no table {schema}.{table_name}")))?;
    if table.column(new).is_some() {
        return Err(bad(
            rename,
            format!("the source already has a column {new}"),
        ));
    }
    let column = table
        .column_mut(old)
        .ok_or_else(|| bad(rename, format!("no column {old} in {schema}.{table_name}")))?;
    column.name = new.to_owned();
    rename_in_table(table, old, new);
    let this = QualifiedName::new(schema, table_name);
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for fk in table.foreign_keys.values_mut() {
                if fk.referenced_table == this {
                    swap(&mut fk.referenced_columns, old, new);
                }
            }
        }
        for sequence in s.sequences.values_mut() {
            if let Some(owner) = &mut sequence.owned_by
                && owner.table == this
                && owner.column == old
            {
                owner.column = new.to_owned();
            }
        }
    }
    Ok(())
}

fn swap(names: &mut [String], old: &str, new: &str) {
    for name in names {
        if name == old {
            *name = new.to_owned();
        }
    }
}

/// The column lists of keys and indexes follow a renamed column.
fn rename_in_table(table: &mut Table, old: &str, new: &str) {
    if let Some(pk) = &mut table.primary_key {
        swap(&mut pk.columns, old, new);
        swap(&mut pk.include, old, new);
    }
    for unique in table.uniques.values_mut() {
        swap(&mut unique.columns, old, new);
        swap(&mut unique.include, old, new);
    }
    for fk in table.foreign_keys.values_mut() {
        swap(&mut fk.columns, old, new);
        swap(&mut fk.on_delete_columns, old, new);
    }
    for index in table.indexes.values_mut() {
        swap(&mut index.include, old, new);
        for part in &mut index.parts {
            if part.key == IndexKey::Column(old.to_owned()) {
                part.key = IndexKey::Column(new.to_owned());
            }
        }
    }
    if let Some(by) = &mut table.partition_by {
        swap(&mut by.keys, old, new);
    }
}

/// Drops and adds that look like renames: a table dropped and one added in the same
/// schema with the same columns, a column dropped and one added in the same table with
/// the same type and nullability.
pub(crate) fn suggestions(from: &Realm, to: &Realm, changes: &[Change]) -> Vec<RenameSuggestion> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::DropTable { schema, name } => {
                let Some(old) = from.schemas.get(schema).and_then(|s| s.tables.get(name)) else {
                    continue;
                };
                for added in changes {
                    let Change::AddTable {
                        schema: s,
                        name: new_name,
                    } = added
                    else {
                        continue;
                    };
                    let Some(new) = to.schemas.get(s).and_then(|x| x.tables.get(new_name)) else {
                        continue;
                    };
                    if s == schema && same_columns(old, new) {
                        out.push(RenameSuggestion {
                            rename: Rename {
                                kind: RenameKind::Table,
                                from: dotted(&[schema, name]),
                                to: new_name.clone(),
                            },
                            reason: "dropped and added with the same columns".into(),
                        });
                    }
                }
            }
            Change::ModifyTable {
                schema,
                name,
                changes,
            } => {
                let (Some(old), Some(new)) = (
                    from.schemas.get(schema).and_then(|s| s.tables.get(name)),
                    to.schemas.get(schema).and_then(|s| s.tables.get(name)),
                ) else {
                    continue;
                };
                for dropped in changes {
                    let TableChange::DropColumn { name: gone } = dropped else {
                        continue;
                    };
                    for added in changes {
                        let TableChange::AddColumn { name: fresh } = added else {
                            continue;
                        };
                        let (Some(a), Some(b)) = (old.column(gone), new.column(fresh)) else {
                            continue;
                        };
                        if a.data_type == b.data_type && a.nullable == b.nullable {
                            out.push(RenameSuggestion {
                                rename: Rename {
                                    kind: RenameKind::Column,
                                    from: dotted(&[schema, name, gone]),
                                    to: fresh.clone(),
                                },
                                reason: format!(
                                    "dropped and added with the same type in {schema}.{name}"
                                ),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn same_columns(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| x.name == y.name && x.data_type == y.data_type)
}

fn dotted(parts: &[&String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.contains('.') || p.contains('"') {
                format!("\"{}\"", p.replace('"', "\"\""))
            } else {
                (*p).clone()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_dots_outside_quotes() {
        assert_eq!(split_name("a.b").unwrap(), ["a", "b"]);
        assert_eq!(split_name("\"a.b\".c").unwrap(), ["a.b", "c"]);
        assert_eq!(split_name("\"a\"\"b\".c").unwrap(), ["a\"b", "c"]);
        assert!(split_name("a..b").is_none());
        assert!(split_name("\"a").is_none());
    }
}
