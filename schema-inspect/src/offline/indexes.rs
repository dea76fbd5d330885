//! CREATE, ALTER and DROP INDEX.
//!
//! PostgreSQL and SQLite index names are unique per schema, so an index is found by
//! name through the search path across the schema's tables (and, in PostgreSQL, its
//! materialized views); MySQL names indexes per table (`DROP INDEX i ON t`).

use super::tables::{index_part, pg_name_taken, pg_part_name, pg_part_name_ast, register_name};
use super::{Outcome, Replay, Result, invalid, postgres, unsupported};
use crate::Location;
use schema_model::{Dialect, Index, IndexKey, IndexMethod, QualifiedName, Table};
use sqlparser::ast::{self, AlterIndexOperation, CreateIndex, Expr, ObjectName};
use std::collections::BTreeMap;

/// Where an index lives: on a table, or on a materialized view.
enum Owner {
    Table(QualifiedName),
    View(QualifiedName),
}

fn method_of(ty: &ast::IndexType) -> IndexMethod {
    match ty {
        ast::IndexType::BTree => IndexMethod::Btree,
        ast::IndexType::Hash => IndexMethod::Hash,
        ast::IndexType::GIN => IndexMethod::Gin,
        ast::IndexType::GiST => IndexMethod::Gist,
        ast::IndexType::SPGiST => IndexMethod::Spgist,
        ast::IndexType::BRIN => IndexMethod::Brin,
        ast::IndexType::Bloom => IndexMethod::Other("bloom".to_owned()),
        ast::IndexType::Custom(name) => IndexMethod::from_name(&name.value),
    }
}

fn parameter_value(value: &Expr) -> String {
    match value {
        Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) | ast::Value::DoubleQuotedString(s) => s.clone(),
            ast::Value::Boolean(b) => b.to_string(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}

/// `WITH (name = value, ...)`, names lowercase and values without quotes.
fn parameters(with: &[Expr], loc: &Location) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for item in with {
        match item {
            Expr::BinaryOp {
                left,
                op: ast::BinaryOperator::Eq,
                right,
            } => {
                let key = match left.as_ref() {
                    Expr::Identifier(ident) => ident.value.to_lowercase(),
                    other => other.to_string().to_lowercase(),
                };
                out.insert(key, parameter_value(right));
            }
            Expr::Identifier(ident) => {
                out.insert(ident.value.to_lowercase(), "true".to_owned());
            }
            other => return Err(unsupported(loc, format!("index parameter {other}"))),
        }
    }
    Ok(out)
}

fn owner_of(r: &Replay, name: &ObjectName, loc: &Location) -> Result<Owner> {
    let qn = r.resolve_name(name, loc, |realm, qn| {
        realm.table(qn).is_some()
            || realm
                .schema(&qn.schema)
                .and_then(|s| s.views.get(&qn.name))
                .is_some_and(|v| v.materialized)
    })?;
    let qn = match r.dialect {
        Dialect::Sqlite => super::tables::find_table(r, name, loc)?,
        _ => qn,
    };
    if r.realm.table(&qn).is_some() {
        return Ok(Owner::Table(qn));
    }
    let is_matview = r
        .realm
        .schema(&qn.schema)
        .and_then(|s| s.views.get(&qn.name))
        .map(|v| v.materialized);
    match is_matview {
        Some(true) => Ok(Owner::View(qn)),
        Some(false) => Err(invalid(
            loc,
            format!("cannot create index on relation \"{qn}\": it is a view"),
        )),
        None => Err(match r.dialect {
            Dialect::Mysql => invalid(loc, format!("Table '{}' doesn't exist", qn.name)),
            Dialect::Sqlite => invalid(loc, format!("no such table: {}", qn.name)),
            Dialect::Postgres => invalid(loc, format!("relation \"{qn}\" does not exist")),
        }),
    }
}

/// `CREATE [UNIQUE] INDEX`.
pub(crate) fn create_index(r: &mut Replay, c: &CreateIndex, loc: &Location) -> Result<Outcome> {
    create_index_with(r, c, true, loc)
}

/// `CREATE [UNIQUE] INDEX ... ON ONLY parent`: the index is created on the partitioned
/// table alone, not on its partitions (they get their own, attached later).
pub(crate) fn create_index_on_only(
    r: &mut Replay,
    c: &CreateIndex,
    loc: &Location,
) -> Result<Outcome> {
    create_index_with(r, c, false, loc)
}

fn create_index_with(
    r: &mut Replay,
    c: &CreateIndex,
    propagate: bool,
    loc: &Location,
) -> Result<Outcome> {
    let owner = owner_of(r, &c.table_name, loc)?;
    let owner_qn = match &owner {
        Owner::Table(qn) | Owner::View(qn) => qn.clone(),
    };
    // A view's index parts are read against an empty column list: only plain columns
    // and expressions, no MySQL prefix lengths.
    let empty = Table::default();
    let table = r.realm.table(&owner_qn).unwrap_or(&empty);
    let parts: Vec<_> = c
        .columns
        .iter()
        .map(|col| index_part(r, col, table))
        .collect();
    if let Owner::Table(qn) = &owner {
        for part in &parts {
            if let IndexKey::Column(column) = &part.key
                && table.column(column).is_none()
            {
                return Err(invalid(
                    loc,
                    format!("table \"{qn}\" has no column \"{column}\""),
                ));
            }
        }
    }
    let mut method = c.using.as_ref().map(method_of).unwrap_or_default();
    let mut comment = None;
    for option in &c.index_options {
        match option {
            ast::IndexOption::Using(ty) => method = method_of(ty),
            ast::IndexOption::Comment(text) => comment = Some(text.clone()),
        }
    }
    let mut index = Index {
        name: String::new(),
        unique: c.unique,
        method,
        parts,
        include: c.include.iter().map(|i| r.ident(i)).collect(),
        predicate: c.predicate.as_ref().map(|p| r.expr(p)),
        nulls_not_distinct: c.nulls_distinct == Some(false),
        parameters: parameters(&c.with, loc)?,
        comment,
    };
    let schema = owner_qn.schema.clone();
    let explicit = c
        .name
        .as_ref()
        .and_then(|n| r.name_parts(n).last().cloned());
    let taken = |r: &Replay, name: &str| match (&owner, r.dialect) {
        (Owner::Table(qn), Dialect::Mysql) => r
            .realm
            .table(qn)
            .is_some_and(|t| t.indexes.contains_key(name) || name == "PRIMARY"),
        _ => pg_name_taken(r, &schema, &empty, name),
    };
    let name = match explicit {
        Some(name) => {
            if taken(r, &name) {
                if c.if_not_exists {
                    return Ok(Outcome::Ignored(format!(
                        "relation \"{name}\" already exists, skipping"
                    )));
                }
                return Err(invalid(loc, format!("relation \"{name}\" already exists")));
            }
            name
        }
        None => {
            if r.dialect != Dialect::Postgres {
                return Err(invalid(loc, "an index needs a name"));
            }
            let names: Vec<String> = c
                .columns
                .iter()
                .map(|col| pg_part_name_ast(r, col))
                .collect();
            let addition = postgres::name_addition(&names);
            postgres::choose_name(&owner_qn.name, Some(&addition), "idx", |n| taken(r, n))
        }
    };
    index.name.clone_from(&name);
    register_name(r, &schema, &name);
    match owner {
        Owner::Table(qn) => {
            let partitioned = r.realm.table(&qn).is_some_and(|t| t.partition_by.is_some());
            if propagate && partitioned && r.dialect == Dialect::Postgres {
                propagate_to_partitions(r, &qn, &index);
            }
            let mysql = r.dialect == Dialect::Mysql;
            if let Some(t) = r.realm.table_mut(&qn) {
                t.indexes.insert(name.clone(), index);
                if mysql {
                    super::tables::mysql_drop_implicit_fk_indexes(t, &name);
                }
            }
        }
        Owner::View(qn) => {
            if let Some(view) = r
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.views.get_mut(&qn.name))
            {
                view.indexes.insert(name, index);
            }
        }
    }
    Ok(Outcome::Applied)
}

/// An index on a partitioned table is created on each partition too, named by the
/// partition (`ChooseRelationName(partition, columns, "idx")`), and kept as the
/// partition's inherited index (see `tables::InheritedKeys`).
fn propagate_to_partitions(r: &mut Replay, parent: &QualifiedName, index: &Index) {
    let children: Vec<QualifiedName> = r
        .realm
        .schemas
        .values()
        .flat_map(|s| {
            s.tables.values().filter_map(|t| {
                t.partition_of
                    .as_ref()
                    .filter(|p| p.parent == *parent)
                    .map(|_| QualifiedName::new(s.name.clone(), t.name.clone()))
            })
        })
        .collect();
    let unnamed = |i: &Index| Index {
        name: String::new(),
        ..i.clone()
    };
    for child in children {
        let mut inherited = r.inherited.remove(&child).unwrap_or_default();
        // A partition that already has an index of the same definition attaches it.
        let own_equal = r.realm.table(&child).and_then(|t| {
            t.indexes
                .values()
                .find(|i| unnamed(i) == unnamed(index))
                .map(|i| i.name.clone())
        });
        if let Some(own) = own_equal {
            if let Some(t) = r.realm.table_mut(&child) {
                inherited.take_from(t, &own);
            }
            r.inherited.insert(child, inherited);
            continue;
        }
        if inherited
            .indexes
            .values()
            .any(|i| unnamed(i) == unnamed(index))
        {
            r.inherited.insert(child, inherited);
            continue;
        }
        let names: Vec<String> = index.parts.iter().map(|p| pg_part_name(r, p)).collect();
        let addition = postgres::name_addition(&names);
        let empty = Table::default();
        let name = postgres::choose_name(&child.name, Some(&addition), "idx", |n| {
            pg_name_taken(r, &child.schema, &empty, n)
                || inherited.indexes.contains_key(n)
                || r.realm
                    .table(&child)
                    .is_some_and(|t| t.has_constraint_or_index(n))
        });
        register_name(r, &child.schema, &name);
        let mut copy = index.clone();
        copy.name.clone_from(&name);
        inherited.indexes.insert(name, copy.clone());
        r.inherited.insert(child.clone(), inherited);
        let grandchild = r
            .realm
            .table(&child)
            .is_some_and(|t| t.partition_by.is_some());
        if grandchild {
            propagate_to_partitions(r, &child, &copy);
        }
    }
}

/// Where an index (or the constraint an index backs) of that name is.
enum Found {
    Index(QualifiedName),
    ViewIndex(QualifiedName),
    Constraint(QualifiedName),
}

/// Finds an index by its (possibly qualified) name in the schemas it can be in.
fn find_index(r: &Replay, name: &ObjectName) -> Option<(String, Found)> {
    let parts = r.name_parts(name);
    let (schemas, index): (Vec<String>, String) = match parts.as_slice() {
        [index] => (r.search_path.clone(), index.clone()),
        [.., schema, index] => (vec![schema.clone()], index.clone()),
        [] => return None,
    };
    for schema_name in schemas {
        let Some(schema) = r.realm.schema(&schema_name) else {
            continue;
        };
        if !r.names.may_hold(&schema_name, &index) {
            continue;
        }
        for t in schema.tables.values() {
            let qn = QualifiedName::new(schema_name.clone(), t.name.clone());
            if t.indexes.contains_key(&index) {
                return Some((index, Found::Index(qn)));
            }
            if t.primary_key.as_ref().is_some_and(|pk| pk.name == index)
                || t.uniques.contains_key(&index)
                || t.exclusions.contains_key(&index)
            {
                return Some((index, Found::Constraint(qn)));
            }
        }
        for v in schema.views.values() {
            if v.indexes.contains_key(&index) {
                let qn = QualifiedName::new(schema_name.clone(), v.name.clone());
                return Some((index, Found::ViewIndex(qn)));
            }
        }
    }
    None
}

/// What the fallback reader's `ALTER INDEX` forms change.
pub(crate) enum IndexChange {
    /// `RENAME TO`.
    Rename(String),
    /// `SET (name = value, ...)`.
    Set(Vec<Expr>),
    /// `RESET (name, ...)`.
    Reset(Vec<String>),
}

/// `ALTER INDEX [IF EXISTS] name { RENAME TO | SET (...) | RESET (...) }`.
pub(crate) fn change_index(
    r: &mut Replay,
    name: &ObjectName,
    if_exists: bool,
    change: IndexChange,
    loc: &Location,
) -> Result<Outcome> {
    let Some((index, found)) = find_index(r, name) else {
        let shown = r.name_parts(name).join(".");
        if if_exists {
            return Ok(Outcome::Ignored(format!(
                "relation \"{shown}\" does not exist, skipping"
            )));
        }
        return Err(invalid(loc, format!("relation \"{shown}\" does not exist")));
    };
    let (set, reset) = match change {
        IndexChange::Rename(new) => {
            let operation = AlterIndexOperation::RenameIndex {
                index_name: ObjectName::from(vec![ast::Ident::with_quote('"', new)]),
            };
            return alter_index(r, name, &operation, loc);
        }
        IndexChange::Set(exprs) => (parameters(&exprs, loc)?, Vec::new()),
        IndexChange::Reset(names) => (BTreeMap::new(), names),
    };
    let target = match &found {
        Found::Index(qn) => r
            .realm
            .table_mut(qn)
            .and_then(|t| t.indexes.get_mut(&index)),
        Found::ViewIndex(qn) => r
            .realm
            .schemas
            .get_mut(&qn.schema)
            .and_then(|s| s.views.get_mut(&qn.name))
            .and_then(|v| v.indexes.get_mut(&index)),
        // Constraints' indexes keep no storage parameters in the model.
        Found::Constraint(_) => {
            return Err(unsupported(
                loc,
                "storage parameters of the index behind a constraint",
            ));
        }
    };
    if let Some(target) = target {
        target.parameters.extend(set);
        for name in reset {
            target.parameters.remove(&name);
        }
    }
    Ok(Outcome::Applied)
}

/// `ALTER INDEX ... RENAME TO`.
pub(crate) fn alter_index(
    r: &mut Replay,
    name: &ObjectName,
    operation: &AlterIndexOperation,
    loc: &Location,
) -> Result<Outcome> {
    let AlterIndexOperation::RenameIndex { index_name } = operation;
    let new = r.name_parts(index_name).last().cloned().unwrap_or_default();
    let Some((old, found)) = find_index(r, name) else {
        return Err(invalid(
            loc,
            format!(
                "relation \"{}\" does not exist",
                r.name_parts(name).join(".")
            ),
        ));
    };
    let schema = match &found {
        Found::Index(qn) | Found::ViewIndex(qn) | Found::Constraint(qn) => qn.schema.clone(),
    };
    if pg_name_taken(r, &schema, &Table::default(), &new) {
        return Err(invalid(loc, format!("relation \"{new}\" already exists")));
    }
    register_name(r, &schema, &new);
    match found {
        Found::Index(qn) => {
            if let Some(t) = r.realm.table_mut(&qn)
                && let Some(mut index) = t.indexes.remove(&old)
            {
                index.name.clone_from(&new);
                t.indexes.insert(new, index);
            }
        }
        Found::ViewIndex(qn) => {
            if let Some(view) = r
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.views.get_mut(&qn.name))
                && let Some(mut index) = view.indexes.remove(&old)
            {
                index.name.clone_from(&new);
                view.indexes.insert(new, index);
            }
        }
        // Renaming the index behind a constraint renames the constraint.
        Found::Constraint(qn) => {
            if let Some(t) = r.realm.table_mut(&qn) {
                if let Some(pk) = t.primary_key.as_mut()
                    && pk.name == old
                {
                    pk.name.clone_from(&new);
                } else if let Some(mut u) = t.uniques.remove(&old) {
                    u.name.clone_from(&new);
                    t.uniques.insert(new, u);
                } else if let Some(mut x) = t.exclusions.remove(&old) {
                    x.name.clone_from(&new);
                    t.exclusions.insert(new, x);
                }
            }
        }
    }
    Ok(Outcome::Applied)
}

/// `DROP INDEX [IF EXISTS] name, ...` (PostgreSQL, SQLite) or `DROP INDEX name ON t`
/// (MySQL).
pub(crate) fn drop_indexes(
    r: &mut Replay,
    names: &[ObjectName],
    table: Option<&ObjectName>,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let mut skipped = Vec::new();
    for name in names {
        if let Some(table) = table {
            let qn = super::tables::find_table(r, table, loc)?;
            let index = r.name_parts(name).last().cloned().unwrap_or_default();
            let Some(t) = r.realm.table_mut(&qn) else {
                return Err(invalid(loc, format!("Table '{}' doesn't exist", qn.name)));
            };
            if index.eq_ignore_ascii_case("PRIMARY") && t.primary_key.is_some() {
                t.primary_key = None;
            } else if t.indexes.remove(&index).is_none() {
                if if_exists {
                    skipped.push(index);
                    continue;
                }
                return Err(invalid(
                    loc,
                    format!("Can't DROP INDEX `{index}` of table \"{qn}\"; check that it exists"),
                ));
            }
            continue;
        }
        match find_index(r, name) {
            Some((index, Found::Index(qn))) => {
                if let Some(t) = r.realm.table_mut(&qn) {
                    t.indexes.remove(&index);
                }
            }
            Some((index, Found::ViewIndex(qn))) => {
                if let Some(view) = r
                    .realm
                    .schemas
                    .get_mut(&qn.schema)
                    .and_then(|s| s.views.get_mut(&qn.name))
                {
                    view.indexes.remove(&index);
                }
            }
            Some((index, Found::Constraint(qn))) => {
                return Err(invalid(
                    loc,
                    format!(
                        "cannot drop index {index} because constraint {index} on table {qn} requires it"
                    ),
                ));
            }
            None => {
                let text = r.name_parts(name).join(".");
                if if_exists {
                    skipped.push(text);
                    continue;
                }
                return Err(invalid(loc, format!("index \"{text}\" does not exist")));
            }
        }
    }
    if !skipped.is_empty() && skipped.len() == names.len() {
        return Ok(Outcome::Ignored(format!(
            "index {} does not exist, skipping",
            skipped.join(", ")
        )));
    }
    Ok(Outcome::Applied)
}
