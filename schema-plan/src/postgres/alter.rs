//! PostgreSQL changes made in place: `ALTER TABLE` for a table's columns, keys and
//! options; `ALTER SEQUENCE`, `ALTER TYPE ... ADD VALUE`, `CREATE OR REPLACE FUNCTION`
//! and `ALTER EXTENSION ... UPDATE` for the objects that can change without a drop.

use super::tables::{
    check_constraint, column_definition, exclusion_constraint, primary_key, unique_constraint,
};
use super::{collation, data_type, qualified, quote_ident, quote_literal, sequence_options};
use crate::order::{Kind, RenderedNode};
use crate::plan::{PlanError, PlannedStatement};
use crate::planner::TableAlter;
use schema_diff::{Change, ColumnChange, ConstraintKind, ObjectKind, TableChange};
use schema_model::{Column, DataType, FunctionKind, QualifiedName, Realm, Table, TypeKind};

fn step(sql: String, reverse: Option<String>, object: &str) -> PlannedStatement {
    PlannedStatement {
        sql: terminated(sql),
        reverse: reverse.map(terminated),
        transactional: true,
        objects: vec![object.to_owned()],
        destructive: false,
        hazard: None,
    }
}

fn terminated(mut sql: String) -> String {
    if !sql.ends_with(';') {
        sql.push(';');
    }
    sql
}

fn lossy(mut statement: PlannedStatement, hazard: &str) -> PlannedStatement {
    statement.destructive = true;
    statement.hazard = Some(hazard.to_owned());
    statement.reverse = None;
    statement
}

/// The `ALTER TABLE`/`ALTER INDEX`/`ALTER TYPE ... RENAME` statements of hinted
/// renames, in order.
pub(crate) fn rename_statements(from: &Realm, changes: &[Change]) -> Vec<PlannedStatement> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::Rename {
                kind: ObjectKind::Type,
                schema,
                from: old,
                to,
            } => {
                let is_domain = from
                    .schema(schema)
                    .and_then(|s| s.types.get(old))
                    .is_some_and(|t| matches!(t.kind, TypeKind::Domain(_)));
                let word = if is_domain { "DOMAIN" } else { "TYPE" };
                out.push(step(
                    format!(
                        "ALTER {word} {} RENAME TO {}",
                        qualified(schema, old),
                        quote_ident(to)
                    ),
                    Some(format!(
                        "ALTER {word} {} RENAME TO {}",
                        qualified(schema, to),
                        quote_ident(old)
                    )),
                    &format!("type {}", QualifiedName::new(schema, old)),
                ));
            }
            Change::RenameEnumValue {
                schema,
                name,
                from: old,
                to,
            } => out.push(step(
                format!(
                    "ALTER TYPE {} RENAME VALUE {} TO {}",
                    qualified(schema, name),
                    quote_literal(old),
                    quote_literal(to)
                ),
                Some(format!(
                    "ALTER TYPE {} RENAME VALUE {} TO {}",
                    qualified(schema, name),
                    quote_literal(to),
                    quote_literal(old)
                )),
                &format!("type {}", QualifiedName::new(schema, name)),
            )),
            Change::RenameTable { schema, from, to } => {
                let object = format!("table {}", QualifiedName::new(schema, from));
                out.push(step(
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
                    &object,
                ));
            }
            Change::ModifyTable {
                schema,
                name,
                changes,
            } => {
                let table = qualified(schema, name);
                let object = format!("table {}", QualifiedName::new(schema, name));
                for item in changes {
                    match item {
                        TableChange::RenameColumn { from, to } => out.push(step(
                            format!(
                                "ALTER TABLE {table} RENAME COLUMN {} TO {}",
                                quote_ident(from),
                                quote_ident(to)
                            ),
                            Some(format!(
                                "ALTER TABLE {table} RENAME COLUMN {} TO {}",
                                quote_ident(to),
                                quote_ident(from)
                            )),
                            &object,
                        )),
                        TableChange::RenameIndex { from, to } => out.push(step(
                            format!(
                                "ALTER INDEX {} RENAME TO {}",
                                qualified(schema, from),
                                quote_ident(to)
                            ),
                            Some(format!(
                                "ALTER INDEX {} RENAME TO {}",
                                qualified(schema, to),
                                quote_ident(from)
                            )),
                            &object,
                        )),
                        // The index of a primary key, unique or exclusion constraint is
                        // renamed with it.
                        TableChange::RenameConstraint { from, to, .. } => out.push(step(
                            format!(
                                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                                quote_ident(from),
                                quote_ident(to)
                            ),
                            Some(format!(
                                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                                quote_ident(to),
                                quote_ident(from)
                            )),
                            &object,
                        )),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether converting `from` to `to` can lose or change values.
fn narrows(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    match (from, to) {
        (SmallInt, Integer | BigInt | Numeric { .. } | Text) => false,
        (Integer, BigInt | Numeric { .. } | Text) => false,
        (BigInt, Numeric { .. } | Text) => false,
        (Varchar(Some(a)), Varchar(Some(b))) => b < a,
        (Varchar(_), Varchar(None) | Text) => false,
        (Char(_), Text | Varchar(None)) => false,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => p2 < p1 || s2.unwrap_or(0) < s1.unwrap_or(0),
        (
            Numeric { .. },
            Numeric {
                precision: None, ..
            },
        ) => false,
        (Real, Double) => false,
        (
            Timestamp {
                with_time_zone: false,
                ..
            },
            Timestamp {
                with_time_zone: true,
                precision: None,
            },
        ) => false,
        _ => from != to,
    }
}

/// The `ALTER TABLE` statements that turn `old` into `new`.
pub(crate) fn alter_table(
    _from: &Realm,
    to: &Realm,
    name: &QualifiedName,
    old: &Table,
    new: &Table,
    online: bool,
) -> Result<TableAlter, PlanError> {
    let table = qualified(&name.schema, &name.name);
    let object = format!("table {name}");
    let is_partition = new.partition_of.is_some();
    let mut alter = TableAlter {
        statements: Vec::new(),
        breaks_dependents: false,
        breaks_references: false,
    };
    let mut changes = schema_diff::diff_table(old, new);
    // A constraint that only changed its name (a table renamed keeps its old
    // constraint names, a new definition has the new default ones) is renamed.
    let mut renames = Vec::new();
    for i in 0..changes.len() {
        let TableChange::Drop { kind, name: gone } = &changes[i] else {
            continue;
        };
        let Some(before) = constraint_sql(to, old, *kind, gone) else {
            continue;
        };
        let found = changes.iter().position(|c| {
            matches!(c, TableChange::Add { kind: k, name: fresh } if k == kind
            && constraint_sql(to, new, *k, fresh).is_some_and(|after| {
                after.replacen(&quote_ident(fresh), &quote_ident(gone), 1) == before
            }))
        });
        if let Some(j) = found
            && let TableChange::Add { name: fresh, .. } = &changes[j]
        {
            renames.push((i, j, gone.clone(), fresh.clone()));
        }
    }
    let mut taken = Vec::new();
    for (i, j, gone, fresh) in renames {
        if taken.contains(&i) || taken.contains(&j) {
            continue;
        }
        taken.extend([i, j]);
        alter.statements.push(step(
            format!(
                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                quote_ident(&gone),
                quote_ident(&fresh)
            ),
            Some(format!(
                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                quote_ident(&fresh),
                quote_ident(&gone)
            )),
            &object,
        ));
    }
    let mut index = 0;
    changes.retain(|_| {
        index += 1;
        !taken.contains(&(index - 1))
    });
    let mut drops = Vec::new();
    let mut adds = Vec::new();
    let mut columns = Vec::new();
    let mut constraint_adds = Vec::new();
    let at = |sql: String| format!("ALTER TABLE {table} {sql}");
    let (mut options_done, mut partition_of_done) = (false, false);

    for change in &changes {
        match change {
            TableChange::AddColumn { name: column } => {
                if is_partition {
                    continue;
                }
                let Some(c) = new.column(column) else {
                    continue;
                };
                adds.push(step(
                    at(format!("ADD COLUMN {}", column_definition(to, c))),
                    Some(at(format!("DROP COLUMN {}", quote_ident(column)))),
                    &object,
                ));
            }
            TableChange::DropColumn { name: column } => {
                alter.breaks_dependents = true;
                if is_partition {
                    continue;
                }
                drops.push(lossy(
                    step(
                        at(format!("DROP COLUMN {}", quote_ident(column))),
                        None,
                        &object,
                    ),
                    &format!("drops column {column} and its data"),
                ));
            }
            TableChange::ModifyColumn {
                name: column,
                changes,
            } => {
                let (Some(before), Some(after)) = (old.column(column), new.column(column)) else {
                    continue;
                };
                let steps = alter_column(
                    to,
                    &table,
                    &object,
                    before,
                    after,
                    changes,
                    is_partition,
                    online.then_some(name.name.as_str()),
                );
                if changes.iter().any(|c| {
                    matches!(
                        c,
                        ColumnChange::Type { .. } | ColumnChange::Generated { .. }
                    )
                }) {
                    alter.breaks_dependents = true;
                }
                columns.extend(steps);
            }
            TableChange::Add { kind, name: item } => {
                if let Some(sql) = constraint_sql(to, new, *kind, item)
                    && !(is_partition && inherited(to, new, *kind, item))
                {
                    let add = step(
                        at(format!("ADD {sql}")),
                        Some(at(format!("DROP CONSTRAINT {}", quote_ident(item)))),
                        &object,
                    );
                    constraint_adds.extend(if online {
                        online_constraint(&table, &name.schema, new, *kind, item, add)
                    } else {
                        vec![add]
                    });
                }
            }
            TableChange::Drop { kind, name: item } => {
                if constraint_sql(to, old, *kind, item).is_some() {
                    if matches!(kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) {
                        alter.breaks_references = true;
                    }
                    if is_partition && inherited(to, old, *kind, item) {
                        continue;
                    }
                    drops.insert(
                        0,
                        step(
                            at(format!("DROP CONSTRAINT {}", quote_ident(item))),
                            constraint_sql(to, old, *kind, item).map(|s| at(format!("ADD {s}"))),
                            &object,
                        ),
                    );
                }
            }
            TableChange::Modify {
                kind, name: item, ..
            } => {
                let (Some(before), Some(after)) = (
                    constraint_sql(to, old, *kind, item),
                    constraint_sql(to, new, *kind, item),
                ) else {
                    continue;
                };
                // The primary key is one per table: its old name may differ.
                let old_name = match kind {
                    ConstraintKind::PrimaryKey => old
                        .primary_key
                        .as_ref()
                        .map_or(item.as_str(), |pk| pk.name.as_str()),
                    _ => item.as_str(),
                };
                if old_name != item
                    && after.replacen(&quote_ident(item), &quote_ident(old_name), 1) == before
                {
                    alter.statements.push(step(
                        format!(
                            "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                            quote_ident(old_name),
                            quote_ident(item)
                        ),
                        Some(format!(
                            "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                            quote_ident(item),
                            quote_ident(old_name)
                        )),
                        &object,
                    ));
                    continue;
                }
                if matches!(kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) {
                    alter.breaks_references = true;
                }
                drops.insert(
                    0,
                    step(
                        at(format!("DROP CONSTRAINT {}", quote_ident(old_name))),
                        Some(at(format!("ADD {before}"))),
                        &object,
                    ),
                );
                let add = step(
                    at(format!("ADD {after}")),
                    Some(at(format!("DROP CONSTRAINT {}", quote_ident(item)))),
                    &object,
                );
                constraint_adds.extend(if online {
                    online_constraint(&table, &name.schema, new, *kind, item, add)
                } else {
                    vec![add]
                });
            }
            TableChange::Attribute(attribute) => {
                // An attribute unset on one side is one change (`options`), set on both
                // a change per field (`options.unlogged`): both are read by prefix.
                let a = attribute.attribute.as_str();
                let family = a.split('.').next().unwrap_or(a);
                if family == "options" {
                    if !options_done {
                        options_done = true;
                        columns.extend(alter_options(&at, old, new, &object));
                    }
                } else if family == "partition_of" {
                    if partition_of_done {
                        continue;
                    }
                    partition_of_done = true;
                    if let Some(of) = &old.partition_of {
                        drops.push(step(
                            format!(
                                "ALTER TABLE {} DETACH PARTITION {table}",
                                qualified(&of.parent.schema, &of.parent.name)
                            ),
                            None,
                            &object,
                        ));
                    }
                    if let Some(of) = &new.partition_of {
                        constraint_adds.push(step(
                            format!(
                                "ALTER TABLE {} ATTACH PARTITION {table} {}",
                                qualified(&of.parent.schema, &of.parent.name),
                                of.bound.trim()
                            ),
                            None,
                            &object,
                        ));
                    }
                } else if family == "partition_by" || family == "inherits" {
                    return Err(PlanError::Unsupported {
                        object,
                        reason: format!(
                            "changing {family} needs the table rebuilt, which Sextant does not plan yet"
                        ),
                    });
                } else if a == "column order" {
                    tracing::warn!(
                        table = %name,
                        "PostgreSQL cannot reorder columns: new columns are added at the end"
                    );
                }
                // Row level security, comments and grants are nodes of their own.
            }
            TableChange::RenameColumn { .. }
            | TableChange::RenameIndex { .. }
            | TableChange::RenameConstraint { .. } => {}
        }
    }
    alter.statements.extend(drops);
    alter.statements.extend(adds);
    alter.statements.extend(columns);
    alter.statements.extend(constraint_adds);
    Ok(alter)
}

/// The `ALTER TABLE` statements for a table's changed storage options: `LOGGED` or
/// `UNLOGGED`, storage parameters reset and set, and the access method.
fn alter_options(
    at: &dyn Fn(String) -> String,
    old: &Table,
    new: &Table,
    object: &str,
) -> Vec<PlannedStatement> {
    let mut out = Vec::new();
    let (before, after) = (&old.options, &new.options);
    if before.unlogged != after.unlogged {
        let word = |unlogged: bool| {
            if unlogged {
                "SET UNLOGGED"
            } else {
                "SET LOGGED"
            }
        };
        out.push(step(
            at(word(after.unlogged).to_owned()),
            Some(at(word(before.unlogged).to_owned())),
            object,
        ));
    }
    if before.storage_parameters != after.storage_parameters {
        let removed: Vec<&str> = before
            .storage_parameters
            .keys()
            .filter(|k| !after.storage_parameters.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !removed.is_empty() {
            out.push(step(
                at(format!("RESET ({})", removed.join(", "))),
                None,
                object,
            ));
        }
        if !after.storage_parameters.is_empty() {
            out.push(step(
                at(format!(
                    "SET ({})",
                    super::tables::parameters(&after.storage_parameters)
                )),
                None,
                object,
            ));
        }
    }
    if before.access_method != after.access_method {
        let method = after.access_method.as_deref().unwrap_or("heap");
        out.push(step(
            at(format!("SET ACCESS METHOD {}", quote_ident(method))),
            None,
            object,
        ));
    }
    out
}

/// Online forms of a constraint added to a table that holds rows: a check `NOT VALID`
/// and then validated; a primary key or unique constraint over an index built
/// concurrently first (`USING INDEX`).
fn online_constraint(
    table_sql: &str,
    schema: &str,
    table: &Table,
    kind: ConstraintKind,
    name: &str,
    add: PlannedStatement,
) -> Vec<PlannedStatement> {
    let index = |columns: &[String], include: &[String], nulls_not_distinct: bool| {
        let list = |names: &[String]| {
            names
                .iter()
                .map(|n| quote_ident(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut sql = format!(
            "CREATE UNIQUE INDEX CONCURRENTLY {} ON {table_sql} ({})",
            quote_ident(name),
            list(columns)
        );
        if !include.is_empty() {
            sql.push_str(&format!(" INCLUDE ({})", list(include)));
        }
        if nulls_not_distinct {
            sql.push_str(" NULLS NOT DISTINCT");
        }
        PlannedStatement {
            transactional: false,
            ..step(
                sql,
                Some(format!(
                    "DROP INDEX CONCURRENTLY {}",
                    qualified(schema, name)
                )),
                &add.objects[0],
            )
        }
    };
    let using = |word: &str, deferrable: schema_model::Deferrable| {
        step(
            format!(
                "ALTER TABLE {table_sql} ADD CONSTRAINT {} {word} USING INDEX {}{}",
                quote_ident(name),
                quote_ident(name),
                super::deferrable(deferrable)
            ),
            add.reverse.clone(),
            &add.objects[0],
        )
    };
    match kind {
        ConstraintKind::Check => super::online::add_not_valid(add, table_sql, name),
        ConstraintKind::Unique => match table.uniques.get(name) {
            Some(u) => vec![
                index(&u.columns, &u.include, u.nulls_not_distinct),
                using("UNIQUE", u.deferrable),
            ],
            None => vec![add],
        },
        ConstraintKind::PrimaryKey => match &table.primary_key {
            Some(pk) => vec![
                index(&pk.columns, &pk.include, false),
                using("PRIMARY KEY", pk.deferrable),
            ],
            None => vec![add],
        },
        _ => vec![add],
    }
}

/// Whether a partition's constraint comes from its parent (the parent's change makes it).
fn inherited(realm: &Realm, table: &Table, kind: ConstraintKind, name: &str) -> bool {
    let Some(parent) = table
        .partition_of
        .as_ref()
        .and_then(|of| realm.table(&of.parent))
    else {
        return false;
    };
    match kind {
        ConstraintKind::PrimaryKey => parent.primary_key.is_some(),
        ConstraintKind::Unique => {
            let Some(u) = table.uniques.get(name) else {
                return false;
            };
            parent.uniques.values().any(|p| p.columns == u.columns)
        }
        ConstraintKind::Check => parent.checks.contains_key(name),
        ConstraintKind::Exclusion => parent.exclusions.contains_key(name),
        _ => false,
    }
}

/// The `CONSTRAINT ...` text of a key or constraint the table holds inline.
fn constraint_sql(
    realm: &Realm,
    table: &Table,
    kind: ConstraintKind,
    name: &str,
) -> Option<String> {
    match kind {
        ConstraintKind::PrimaryKey => table.primary_key.as_ref().map(primary_key),
        ConstraintKind::Unique => table.uniques.get(name).map(unique_constraint),
        ConstraintKind::Check => table.checks.get(name).map(|c| {
            let mut sql = check_constraint(c);
            if c.not_valid {
                sql.push_str(" NOT VALID");
            }
            sql
        }),
        ConstraintKind::Exclusion => table
            .exclusions
            .get(name)
            .map(|e| exclusion_constraint(realm, e)),
        _ => None,
    }
}

fn type_with_collation(realm: &Realm, column: &Column) -> String {
    let mut sql = data_type(&column.data_type);
    if let Some(c) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&collation(realm, c));
    }
    sql
}

/// `online_table` is the table's bare name in online mode, for the temporary check that
/// carries `SET NOT NULL`.
#[allow(clippy::too_many_arguments)]
fn alter_column(
    realm: &Realm,
    table: &str,
    object: &str,
    before: &Column,
    after: &Column,
    changes: &[ColumnChange],
    is_partition: bool,
    online_table: Option<&str>,
) -> Vec<PlannedStatement> {
    let column = quote_ident(&after.name);
    let at = |sql: String| format!("ALTER TABLE {table} ALTER COLUMN {column} {sql}");
    let mut out = Vec::new();
    let retyped = changes.iter().any(|c| {
        matches!(
            c,
            ColumnChange::Type { .. } | ColumnChange::Collation { .. }
        )
    });
    let regenerated = changes
        .iter()
        .any(|c| matches!(c, ColumnChange::Generated { .. }));
    if regenerated && !(before.generated.is_some() && after.generated.is_none()) {
        // A generation expression cannot change in place: a generated column is derived
        // data, so dropping and adding it back loses nothing; a plain column that
        // becomes generated loses the values it held.
        let drop = step(
            format!("ALTER TABLE {table} DROP COLUMN {column}"),
            None,
            object,
        );
        out.push(if before.generated.is_none() {
            lossy(
                drop,
                &format!(
                    "replaces the values of column {} with generated ones",
                    before.name
                ),
            )
        } else {
            drop
        });
        out.push(step(
            format!(
                "ALTER TABLE {table} ADD COLUMN {}",
                column_definition(realm, after)
            ),
            None,
            object,
        ));
        return out;
    }
    // A default that does not cast to the new type blocks the type change: it goes
    // first and comes back after.
    let default_in_the_way = retyped && before.default.is_some() && !is_partition;
    if default_in_the_way {
        out.push(step(
            at("DROP DEFAULT".into()),
            before
                .default
                .as_ref()
                .map(|d| at(format!("SET DEFAULT {}", d.trim()))),
            object,
        ));
    }
    // An identity column is NOT NULL until its identity goes: the drop comes first.
    let (identity_drops, others): (Vec<&ColumnChange>, Vec<&ColumnChange>) =
        changes.iter().partition(|c| {
            matches!(
                c,
                ColumnChange::Identity {
                    from: Some(_),
                    to: None
                }
            )
        });
    for change in identity_drops.into_iter().chain(others) {
        match change {
            ColumnChange::Type { from, to, .. } => {
                if is_partition {
                    continue;
                }
                let sql = at(format!(
                    "TYPE {} USING {column}{}::{}",
                    type_with_collation(realm, after),
                    through_text(from, to),
                    data_type(to)
                ));
                let reverse = at(format!(
                    "TYPE {} USING {column}{}::{}",
                    type_with_collation(realm, before),
                    through_text(to, from),
                    data_type(from)
                ));
                let statement = step(sql, Some(reverse), object);
                out.push(if narrows(from, to) {
                    lossy(
                        statement,
                        &format!(
                            "changes column {} from {} to {}, which can lose or reject values",
                            after.name,
                            data_type(from),
                            data_type(to)
                        ),
                    )
                } else {
                    statement
                });
            }
            ColumnChange::Collation { .. } => {
                if !is_partition
                    && !changes
                        .iter()
                        .any(|c| matches!(c, ColumnChange::Type { .. }))
                {
                    out.push(step(
                        at(format!("TYPE {}", type_with_collation(realm, after))),
                        Some(at(format!("TYPE {}", type_with_collation(realm, before)))),
                        object,
                    ));
                }
            }
            ColumnChange::Nullable { to, .. } => {
                let (set, unset) = ("SET NOT NULL", "DROP NOT NULL");
                if let (false, Some(bare)) = (*to, online_table) {
                    out.extend(super::online::set_not_null(
                        table,
                        bare,
                        &after.name,
                        object,
                    ));
                    continue;
                }
                out.push(if *to {
                    step(at(unset.into()), Some(at(set.into())), object)
                } else {
                    step(at(set.into()), Some(at(unset.into())), object)
                });
            }
            ColumnChange::Default { from, to } => {
                if default_in_the_way && to.is_none() {
                    continue;
                }
                let sql = match to {
                    Some(d) => at(format!("SET DEFAULT {}", d.trim())),
                    None => at("DROP DEFAULT".into()),
                };
                let reverse = match from {
                    Some(d) => at(format!("SET DEFAULT {}", d.trim())),
                    None => at("DROP DEFAULT".into()),
                };
                out.push(step(sql, Some(reverse), object));
            }
            ColumnChange::Identity { from, to } => match (from, to) {
                (None, Some(identity)) => {
                    let kind = if identity.always {
                        "ALWAYS"
                    } else {
                        "BY DEFAULT"
                    };
                    let options = sequence_options(&identity.sequence);
                    let options = if options.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", options.join(" "))
                    };
                    out.push(step(
                        at(format!("ADD GENERATED {kind} AS IDENTITY{options}")),
                        Some(at("DROP IDENTITY".into())),
                        object,
                    ));
                }
                (Some(_), None) => out.push(step(at("DROP IDENTITY".into()), None, object)),
                (Some(old), Some(new)) => {
                    let mut parts = Vec::new();
                    if old.always != new.always {
                        parts.push(if new.always {
                            "SET GENERATED ALWAYS".to_owned()
                        } else {
                            "SET GENERATED BY DEFAULT".to_owned()
                        });
                    }
                    let s = &new.sequence;
                    if s.increment != old.sequence.increment {
                        parts.push(format!("SET INCREMENT BY {}", s.increment));
                    }
                    if s.min_value != old.sequence.min_value {
                        parts.push(format!("SET MINVALUE {}", s.min_value));
                    }
                    if s.max_value != old.sequence.max_value {
                        parts.push(format!("SET MAXVALUE {}", s.max_value));
                    }
                    if s.start != old.sequence.start {
                        parts.push(format!("SET START WITH {}", s.start));
                    }
                    // PostgreSQL refuses a range that leaves out the sequence's current
                    // value; one that leaves out the old start would, on an unused
                    // sequence, so it starts again from the new start.
                    if old.sequence.start < s.min_value || old.sequence.start > s.max_value {
                        parts.push("RESTART".to_owned());
                    }
                    if s.cache != old.sequence.cache {
                        parts.push(format!("SET CACHE {}", s.cache));
                    }
                    if s.cycle != old.sequence.cycle {
                        parts.push(if s.cycle { "SET CYCLE" } else { "SET NO CYCLE" }.to_owned());
                    }
                    if !parts.is_empty() {
                        out.push(step(at(parts.join(" ")), None, object));
                    }
                }
                (None, None) => {}
            },
            ColumnChange::Generated { .. } => {
                // Only the drop of a generation gets here (see above).
                out.push(step(at("DROP EXPRESSION".into()), None, object));
            }
            ColumnChange::AutoIncrement { .. }
            | ColumnChange::Comment { .. }
            | ColumnChange::Other(_) => {}
        }
    }
    if default_in_the_way && let Some(d) = &after.default {
        out.push(step(
            at(format!("SET DEFAULT {}", d.trim())),
            Some(at("DROP DEFAULT".into())),
            object,
        ));
    }
    out
}

/// Statements that change a node in place, for the kinds PostgreSQL can alter without
/// dropping: sequences, enum types gaining labels, functions whose signature and result
/// stay, extensions changing version. `None` means drop and create.
/// The `ALTER DOMAIN` statements that turn `old` into `new` when its base type and
/// collation stay: default, `NOT NULL` and checks change in place, and a check that
/// only changed its name (a renamed domain keeps its constraints' names, a new
/// definition has the new default ones) is renamed. `None` when the domain must be
/// created again.
fn alter_domain(
    name: &QualifiedName,
    old: &schema_model::Domain,
    new: &schema_model::Domain,
    object: &str,
) -> Option<Vec<PlannedStatement>> {
    if old.base_type != new.base_type || old.collation != new.collation {
        return None;
    }
    let domain = qualified(&name.schema, &name.name);
    let at = |sql: String| format!("ALTER DOMAIN {domain} {sql}");
    let add = |check: &schema_model::Check| {
        at(format!(
            "ADD CONSTRAINT {} CHECK {}{}",
            quote_ident(&check.name),
            super::paren(&check.expression),
            if check.not_valid { " NOT VALID" } else { "" }
        ))
    };
    let drop =
        |check: &schema_model::Check| at(format!("DROP CONSTRAINT {}", quote_ident(&check.name)));
    let mut out = Vec::new();
    let gone: Vec<&schema_model::Check> = old
        .checks
        .values()
        .filter(|c| new.checks.get(&c.name) != Some(*c))
        .collect();
    let mut fresh: Vec<&schema_model::Check> = new
        .checks
        .values()
        .filter(|c| old.checks.get(&c.name) != Some(*c))
        .collect();
    let mut dropped = Vec::new();
    for check in gone {
        let same_but_name = fresh.iter().position(|f| {
            !old.checks.contains_key(&f.name)
                && !new.checks.contains_key(&check.name)
                && schema_model::Check {
                    name: check.name.clone(),
                    ..(*f).clone()
                } == *check
        });
        match same_but_name {
            Some(i) => {
                let renamed = fresh.remove(i);
                out.push(step(
                    at(format!(
                        "RENAME CONSTRAINT {} TO {}",
                        quote_ident(&check.name),
                        quote_ident(&renamed.name)
                    )),
                    Some(at(format!(
                        "RENAME CONSTRAINT {} TO {}",
                        quote_ident(&renamed.name),
                        quote_ident(&check.name)
                    ))),
                    object,
                ));
            }
            None => dropped.push(check),
        }
    }
    for check in dropped {
        out.push(step(drop(check), Some(add(check)), object));
    }
    if old.default != new.default {
        let set = |default: &Option<String>| match default {
            Some(d) => at(format!("SET DEFAULT {}", d.trim())),
            None => at("DROP DEFAULT".to_owned()),
        };
        out.push(step(set(&new.default), Some(set(&old.default)), object));
    }
    if old.not_null != new.not_null {
        let set = |not_null: bool| {
            at(format!(
                "{} NOT NULL",
                if not_null { "SET" } else { "DROP" }
            ))
        };
        out.push(step(set(new.not_null), Some(set(old.not_null)), object));
    }
    for check in fresh {
        out.push(step(add(check), Some(drop(check)), object));
    }
    Some(out)
}

pub(crate) fn alter_in_place(
    kind: Kind,
    key: &str,
    old: &RenderedNode,
    new: &RenderedNode,
    from: &Realm,
    to: &Realm,
) -> Option<Vec<PlannedStatement>> {
    let object = new.statements.first()?.object.clone();
    match kind {
        Kind::Sequence => {
            let name = QualifiedName::parse(key.strip_prefix("sequence ")?)?;
            let before = from.schema(&name.schema)?.sequences.get(&name.name)?;
            let after = to.schema(&name.schema)?.sequences.get(&name.name)?;
            let render = |o: &schema_model::SequenceOptions| {
                let mut parts = vec![format!("AS {}", data_type(&o.data_type))];
                parts.push(format!("INCREMENT BY {}", o.increment));
                parts.push(format!("MINVALUE {}", o.min_value));
                parts.push(format!("MAXVALUE {}", o.max_value));
                parts.push(format!("START WITH {}", o.start));
                parts.push(format!("CACHE {}", o.cache));
                parts.push(if o.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
                format!(
                    "ALTER SEQUENCE {} {}",
                    qualified(&name.schema, &name.name),
                    parts.join(" ")
                )
            };
            Some(vec![step(
                render(&after.options),
                Some(render(&before.options)),
                &object,
            )])
        }
        Kind::Type => {
            let name = QualifiedName::parse(key.strip_prefix("type ")?)?;
            let before = from.schema(&name.schema)?.types.get(&name.name)?;
            let after = to.schema(&name.schema)?.types.get(&name.name)?;
            if let (TypeKind::Domain(old), TypeKind::Domain(new)) = (&before.kind, &after.kind) {
                return alter_domain(&name, old, new, &object);
            }
            let (TypeKind::Enum { values: old_values }, TypeKind::Enum { values: new_values }) =
                (&before.kind, &after.kind)
            else {
                return None;
            };
            // Labels can be added, never removed or reordered, in place.
            let mut kept = new_values.iter().filter(|v| old_values.contains(v));
            if !old_values.iter().all(|v| kept.next() == Some(v)) {
                return Some(replace_enum(
                    &name, old_values, new_values, from, to, &object,
                ));
            }
            let mut out = Vec::new();
            for (i, value) in new_values.iter().enumerate() {
                if old_values.contains(value) {
                    continue;
                }
                let position = match new_values[i + 1..].iter().find(|v| old_values.contains(v)) {
                    Some(next) => format!(" BEFORE {}", quote_literal(next)),
                    None => String::new(),
                };
                out.push(PlannedStatement {
                    // A label added in a transaction cannot be used before it commits:
                    // it runs in a group of its own.
                    transactional: false,
                    ..step(
                        format!(
                            "ALTER TYPE {} ADD VALUE {}{position}",
                            qualified(&name.schema, &name.name),
                            quote_literal(value)
                        ),
                        None,
                        &object,
                    )
                });
            }
            Some(out)
        }
        Kind::Function => {
            let name = QualifiedName::parse(key.strip_prefix("function ")?)?;
            let before = from.schema(&name.schema)?.functions.get(&name.name)?;
            let after = to.schema(&name.schema)?.functions.get(&name.name)?;
            if before.kind != after.kind
                || before.kind == FunctionKind::Aggregate
                || before.returns != after.returns
                || before.arguments != after.arguments
            {
                return None;
            }
            let create = new.statements.first()?;
            let word = super::objects::routine_word(after);
            let replaced = create
                .sql
                .strip_prefix(&format!("CREATE {word} "))
                .map(|rest| format!("CREATE OR REPLACE {word} {rest}"))?;
            let previous = old
                .statements
                .first()?
                .sql
                .strip_prefix(&format!("CREATE {word} "))
                .map(|rest| format!("CREATE OR REPLACE {word} {rest}"));
            let mut out = vec![step(replaced, previous, &object)];
            out.extend(
                new.statements[1..]
                    .iter()
                    .map(|s| crate::planner::forward(schema_model::Dialect::Postgres, s)),
            );
            Some(out)
        }
        Kind::Extension => {
            let name = key.strip_prefix("extension ")?;
            let before = from.extensions.get(name)?;
            let after = to.extensions.get(name)?;
            if before.schema != after.schema {
                return None;
            }
            let version = after.version.as_ref()?;
            // Extensions ship update scripts upwards only: an older version is installed
            // anew (its drop fails, rather than cascades, when something uses it), and
            // an update has no single statement that undoes it.
            if let Some(old) = &before.version
                && version_order(version, old) == Some(std::cmp::Ordering::Less)
            {
                return None;
            }
            Some(vec![step(
                format!(
                    "ALTER EXTENSION {} UPDATE TO {}",
                    quote_ident(name),
                    quote_literal(version)
                ),
                None,
                &object,
            )])
        }
        _ => None,
    }
}

/// The order of two dotted numeric versions (`1.7` < `1.10`), or `None` when either is
/// not one.
fn version_order(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let parts = |v: &str| -> Option<Vec<u64>> { v.split('.').map(|p| p.parse().ok()).collect() };
    Some(parts(a)?.cmp(&parts(b)?))
}

/// The cast through text a value needs between two user-defined types: PostgreSQL has
/// no cast from one enum (or composite, or domain over either) to another, but every
/// type reads from and prints to text.
fn through_text(from: &DataType, to: &DataType) -> &'static str {
    match (from, to) {
        (DataType::UserDefined(_), DataType::UserDefined(_)) => "::text",
        (DataType::Array(a), DataType::Array(b))
            if matches!(
                (&**a, &**b),
                (DataType::UserDefined(_), DataType::UserDefined(_))
            ) =>
        {
            "::text[]"
        }
        _ => "",
    }
}

/// An enum whose labels are removed or reordered: the old type steps aside under another
/// name, the new one is created, every column that keeps the type is cast to it through
/// text, and the old type goes. A row holding a removed label fails the cast, so nothing
/// is lost silently, and the statement that casts says so.
fn replace_enum(
    name: &QualifiedName,
    old_values: &[String],
    new_values: &[String],
    from: &Realm,
    to: &Realm,
    object: &str,
) -> Vec<PlannedStatement> {
    let aside = super::online::temporary_name(&name.name, "_sextant_old");
    let type_sql = qualified(&name.schema, &name.name);
    let aside_sql = qualified(&name.schema, &aside);
    let labels = |values: &[String]| {
        values
            .iter()
            .map(|v| quote_literal(v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let removed: Vec<&String> = old_values
        .iter()
        .filter(|v| !new_values.contains(v))
        .collect();
    let mut out = vec![
        step(
            format!("ALTER TYPE {type_sql} RENAME TO {}", quote_ident(&aside)),
            None,
            object,
        ),
        step(
            format!("CREATE TYPE {type_sql} AS ENUM ({})", labels(new_values)),
            None,
            object,
        ),
    ];
    let target = DataType::UserDefined(name.clone());
    let target_array = DataType::Array(Box::new(target.clone()));
    for (schema_name, schema) in &from.schemas {
        for (table_name, table) in &schema.tables {
            if table.partition_of.is_some() {
                // A partition's columns follow its parent's.
                continue;
            }
            let Some(wanted) = to
                .schema(schema_name)
                .and_then(|s| s.tables.get(table_name))
            else {
                continue;
            };
            for column in &table.columns {
                let through = if column.data_type == target {
                    "text"
                } else if column.data_type == target_array {
                    "text[]"
                } else {
                    continue;
                };
                let Some(after) = wanted.column(&column.name) else {
                    continue;
                };
                if after.data_type != column.data_type {
                    // The table's own alter changes this column's type.
                    continue;
                }
                let table_sql = qualified(schema_name, table_name);
                let column_sql = quote_ident(&column.name);
                let at = |sql: String| {
                    format!("ALTER TABLE {table_sql} ALTER COLUMN {column_sql} {sql}")
                };
                if column.default.is_some() {
                    out.push(step(at("DROP DEFAULT".into()), None, object));
                }
                let cast = step(
                    at(format!(
                        "TYPE {} USING {column_sql}::{through}::{}",
                        data_type(&column.data_type),
                        data_type(&column.data_type)
                    )),
                    None,
                    object,
                );
                out.push(if removed.is_empty() {
                    cast
                } else {
                    PlannedStatement {
                        hazard: Some(format!(
                            "fails if a row of {table_name}.{} holds a removed label ({})",
                            column.name,
                            removed
                                .iter()
                                .map(|v| quote_literal(v))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                        ..cast
                    }
                });
                if let Some(default) = &after.default {
                    out.push(step(
                        at(format!("SET DEFAULT {}", default.trim())),
                        None,
                        object,
                    ));
                }
            }
        }
    }
    out.push(step(format!("DROP TYPE {aside_sql}"), None, object));
    out
}
