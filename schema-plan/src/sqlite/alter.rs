//! SQLite table changes: `ALTER TABLE ... ADD COLUMN` / `DROP COLUMN` where SQLite
//! allows them, and otherwise the table rebuilt as
//! <https://www.sqlite.org/lang_altertable.html#otheralter> describes.
//!
//! A rebuild is, in order:
//!
//! 1. `PRAGMA foreign_keys = OFF`, non-transactional: SQLite ignores it inside a
//!    transaction, and with foreign keys on, `DROP TABLE` would run the `ON DELETE`
//!    actions of the tables that reference this one. An apply that wraps the whole plan
//!    in one transaction must run it before `BEGIN`;
//! 2. `CREATE TABLE new_x` with the desired definition;
//! 3. `INSERT INTO new_x (...) SELECT ... FROM x` for the columns both sides hold
//!    (generated columns are computed, not copied; new columns take their defaults);
//! 4. `DROP TABLE x`, which also drops its indexes and triggers;
//! 5. `ALTER TABLE new_x RENAME TO x`;
//! 6. the indexes the table keeps unchanged, built again (the planner builds the new
//!    and changed ones, and recreates the views and triggers around the rebuild, since
//!    the rebuild breaks its dependents);
//! 7. `PRAGMA foreign_key_check`, which reports violations as rows rather than failing:
//!    an apply must treat any row it returns as a failure;
//! 8. `PRAGMA foreign_keys = ON`, non-transactional, after the transaction.

use super::{create_index, create_table, data_type, is_literal_default, qualified, quote_ident};
use crate::plan::{PlanError, PlannedStatement};
use crate::planner::TableAlter;
use crate::text::identifier_chains;
use schema_diff::{Change, TableChange};
use schema_model::{Column, Dialect, IndexKey, QualifiedName, Realm, Table};

fn step(sql: String, reverse: Option<String>, object: &str) -> PlannedStatement {
    let terminated = |mut sql: String| {
        if !sql.ends_with(';') {
            sql.push(';');
        }
        sql
    };
    PlannedStatement {
        sql: terminated(sql),
        reverse: reverse.map(terminated),
        transactional: true,
        objects: vec![object.to_owned()],
        destructive: false,
        hazard: None,
    }
}

fn lossy(mut statement: PlannedStatement, hazard: String) -> PlannedStatement {
    statement.destructive = true;
    statement.hazard = Some(hazard);
    statement.reverse = None;
    statement
}

fn table_label(schema: &str, name: &str) -> String {
    format!("table {}", super::name_label(schema, name))
}

/// The statements of hinted renames, in order. SQLite renames tables and columns in
/// place (and rewrites the indexes, triggers and views that name them); an index has no
/// rename, so a renamed one is dropped and created again under its new name.
pub(crate) fn rename_statements(from: &Realm, changes: &[Change]) -> Vec<PlannedStatement> {
    let mut out = Vec::new();
    let mut index_renames = Vec::new();
    for change in changes {
        match change {
            Change::RenameTable { schema, from, to } => out.push(step(
                format!(
                    "ALTER TABLE {} RENAME TO {}",
                    qualified(schema, from),
                    quote_ident(to)
                ),
                Some(format!(
                    "ALTER TABLE {} RENAME TO {}",
                    qualified(schema, to),
                    quote_ident(from)
                )),
                &table_label(schema, from),
            )),
            Change::ModifyTable {
                schema,
                name,
                changes,
            } => {
                let object = table_label(schema, name);
                let column_renames: Vec<(&String, &String)> = changes
                    .iter()
                    .filter_map(|c| match c {
                        TableChange::RenameColumn { from, to } => Some((from, to)),
                        _ => None,
                    })
                    .collect();
                for (old, new) in &column_renames {
                    out.push(step(
                        format!(
                            "ALTER TABLE {} RENAME COLUMN {} TO {}",
                            qualified(schema, name),
                            quote_ident(old),
                            quote_ident(new)
                        ),
                        Some(format!(
                            "ALTER TABLE {} RENAME COLUMN {} TO {}",
                            qualified(schema, name),
                            quote_ident(new),
                            quote_ident(old)
                        )),
                        &object,
                    ));
                }
                for change in changes {
                    let TableChange::RenameIndex { from: old, to: new } = change else {
                        continue;
                    };
                    let table = from
                        .schema(schema)
                        .and_then(|s| s.tables.get(name.as_str()));
                    let Some(index) = table.and_then(|t| t.indexes.get(old.as_str())) else {
                        continue;
                    };
                    let mut renamed = index.clone();
                    renamed.name.clone_from(new);
                    // The columns were renamed first; the index names them anew.
                    for part in &mut renamed.parts {
                        if let IndexKey::Column(c) = &mut part.key
                            && let Some((_, to)) = column_renames.iter().find(|(f, _)| *f == c)
                        {
                            c.clone_from(to);
                        }
                    }
                    let create = create_index(schema, name, &renamed);
                    let drop_old = format!("DROP INDEX {}", qualified(schema, old));
                    index_renames.push(step(drop_old, None, &object));
                    index_renames.push(step(create.sql, create.undo, &object));
                }
            }
            _ => {}
        }
    }
    out.extend(index_renames);
    out
}

/// Whether `ALTER TABLE ADD COLUMN` may add the column: SQLite refuses primary key and
/// unique columns, non-constant defaults, `NOT NULL` without a default, and stored
/// generated columns.
fn can_add(new: &Table, column: &Column) -> bool {
    let keyed = new
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&column.name))
        || new
            .uniques
            .values()
            .any(|u| u.columns.contains(&column.name));
    let default_ok = match column.default.as_deref().map(str::trim) {
        None => column.nullable,
        Some(d) => {
            let upper = d.to_ascii_uppercase();
            let non_constant = upper.starts_with("CURRENT_") || d.starts_with('(');
            let null = upper == "NULL";
            is_literal_default(d) && !non_constant && (column.nullable || !null)
        }
    };
    !keyed && default_ok && column.generated.as_ref().is_none_or(|g| !g.stored)
}

/// Whether `ALTER TABLE DROP COLUMN` may drop the column from `old`: SQLite refuses
/// key, unique and foreign key columns and columns a generated column reads. (Indexes,
/// views and triggers that read it are dropped before the statement by the planner.)
fn can_drop(old: &Table, column: &str) -> bool {
    let keyed = old
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == column))
        || old
            .uniques
            .values()
            .any(|u| u.columns.iter().any(|c| c == column))
        || old
            .foreign_keys
            .values()
            .any(|fk| fk.columns.iter().any(|c| c == column));
    let generated_reads = old.columns.iter().any(|c| {
        c.generated.as_ref().is_some_and(|g| {
            identifier_chains(&g.expression, Dialect::Sqlite)
                .iter()
                .any(|chain| chain.last().is_some_and(|n| n.eq_ignore_ascii_case(column)))
        })
    });
    !keyed && !generated_reads
}

/// The statements that turn `old` into `new`.
pub(crate) fn alter_table(
    _from: &Realm,
    to: &Realm,
    name: &QualifiedName,
    old: &Table,
    new: &Table,
) -> Result<TableAlter, PlanError> {
    match in_place(name, old, new) {
        Some(alter) => Ok(alter),
        None => rebuild(to, name, old, new),
    }
}

/// `ALTER TABLE ... DROP COLUMN` and `ADD COLUMN`, when they make exactly `new`.
fn in_place(name: &QualifiedName, old: &Table, new: &Table) -> Option<TableAlter> {
    let schema = name.schema.as_str();
    let table = qualified(schema, &name.name);
    let object = table_label(schema, &name.name);
    let dropped: Vec<&Column> = old
        .columns
        .iter()
        .filter(|c| new.column(&c.name).is_none())
        .collect();
    // Added columns go at the end: they must be the end of the new column list.
    let kept = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_some())
        .count();
    let added = &new.columns[kept.min(new.columns.len())..];
    if new.columns[..kept]
        .iter()
        .any(|c| old.column(&c.name).is_none())
        || added.iter().any(|c| old.column(&c.name).is_some())
    {
        return None;
    }
    if !dropped.iter().all(|c| can_drop(old, &c.name)) || !added.iter().all(|c| can_add(new, c)) {
        return None;
    }
    let mut reached = old.clone();
    reached.columns.retain(|c| new.column(&c.name).is_some());
    reached.columns.extend(added.iter().cloned());
    if create_table(schema, &reached).sql != create_table(schema, new).sql {
        return None;
    }
    let mut statements = Vec::new();
    for column in &dropped {
        statements.push(lossy(
            step(
                format!(
                    "ALTER TABLE {table} DROP COLUMN {}",
                    quote_ident(&column.name)
                ),
                None,
                &object,
            ),
            format!("drops column {} and its data", column.name),
        ));
    }
    for column in added {
        statements.push(step(
            format!(
                "ALTER TABLE {table} ADD COLUMN {}",
                super::column_definition(new, column)
            ),
            Some(format!(
                "ALTER TABLE {table} DROP COLUMN {}",
                quote_ident(&column.name)
            )),
            &object,
        ));
    }
    Some(TableAlter {
        statements,
        breaks_dependents: !dropped.is_empty(),
        breaks_references: false,
    })
}

/// A name for the rebuilt table that no table of either realm holds.
fn scratch_name(realm: &Realm, schema: &str, name: &str) -> String {
    let mut candidate = format!("new_{name}");
    let taken = |n: &str| {
        realm.schema(schema).is_some_and(|s| {
            s.tables.keys().any(|t| t.eq_ignore_ascii_case(n))
                || s.views.keys().any(|v| v.eq_ignore_ascii_case(n))
        })
    };
    while taken(&candidate) {
        candidate.insert(0, '_');
    }
    candidate
}

/// The 12-step rebuild (see the module documentation).
fn rebuild(
    to: &Realm,
    name: &QualifiedName,
    old: &Table,
    new: &Table,
) -> Result<TableAlter, PlanError> {
    let schema = name.schema.as_str();
    let table = qualified(schema, &name.name);
    let object = table_label(schema, &name.name);
    let scratch = scratch_name(to, schema, &name.name);
    let pragma_schema = if schema == "main" {
        String::new()
    } else {
        format!("{}.", quote_ident(schema))
    };

    let mut statements = vec![PlannedStatement {
        transactional: false,
        ..step(
            "PRAGMA foreign_keys = OFF".to_owned(),
            Some("PRAGMA foreign_keys = ON".to_owned()),
            &object,
        )
    }];
    let mut shaped = new.clone();
    shaped.name.clone_from(&scratch);
    statements.push(step(create_table(schema, &shaped).sql, None, &object));

    let copied: Vec<String> = new
        .columns
        .iter()
        .filter(|c| c.generated.is_none() && old.column(&c.name).is_some())
        .map(|c| quote_ident(&c.name))
        .collect();
    for column in &new.columns {
        if old.column(&column.name).is_none()
            && !column.nullable
            && column.default.is_none()
            && column.generated.is_none()
        {
            tracing::warn!(
                table = %name,
                column = column.name.as_str(),
                "a new NOT NULL column without a default: the rebuild fails if the table has rows"
            );
        }
    }
    if !copied.is_empty() {
        let list = copied.join(", ");
        statements.push(step(
            format!(
                "INSERT INTO {} ({list}) SELECT {list} FROM {table}",
                qualified(schema, &scratch)
            ),
            None,
            &object,
        ));
    }

    let mut hazards: Vec<String> = old
        .columns
        .iter()
        .filter(|c| new.column(&c.name).is_none())
        .map(|c| format!("drops column {} and its data", c.name))
        .collect();
    for column in &new.columns {
        if let Some(before) = old.column(&column.name)
            && before.generated.is_none()
            && column.generated.is_some()
        {
            hazards.push(format!(
                "replaces the values of column {} with generated ones",
                column.name
            ));
        } else if let Some(before) = old.column(&column.name)
            && before.generated.is_none()
            && data_type(&before.data_type) != data_type(&column.data_type)
        {
            hazards.push(format!(
                "copies column {} from {} to {} affinity, which can change values",
                column.name,
                data_type(&before.data_type),
                data_type(&column.data_type)
            ));
        }
    }
    let drop = step(format!("DROP TABLE {table}"), None, &object);
    statements.push(if hazards.is_empty() {
        drop
    } else {
        lossy(drop, hazards.join("; "))
    });
    statements.push(step(
        format!(
            "ALTER TABLE {} RENAME TO {}",
            qualified(schema, &scratch),
            quote_ident(&name.name)
        ),
        None,
        &object,
    ));
    // The indexes the planner keeps (same definition on both sides) went with the old
    // table: they are built again here. New and changed ones are the planner's.
    for index in new.indexes.values() {
        let create = create_index(schema, &name.name, index);
        let unchanged = old
            .indexes
            .get(&index.name)
            .is_some_and(|before| create_index(schema, &name.name, before).sql == create.sql);
        if unchanged {
            statements.push(step(create.sql, create.undo, &object));
        }
    }
    statements.push(step(
        format!("PRAGMA {pragma_schema}foreign_key_check"),
        None,
        &object,
    ));
    statements.push(PlannedStatement {
        transactional: false,
        ..step("PRAGMA foreign_keys = ON".to_owned(), None, &object)
    });
    Ok(TableAlter {
        statements,
        breaks_dependents: true,
        breaks_references: false,
    })
}
