//! CREATE, ALTER, RENAME and DROP TABLE.
//!
//! A table being changed is taken out of the realm, changed, and put back (under its
//! new name if it was renamed), so that the handlers can read the rest of the realm
//! while they hold the table mutably, and so that a statement that fails half-way
//! leaves the table as it was.
//!
//! Constraint and index names follow the database (see `name_constraint` and the
//! dialect modules): PostgreSQL 15's `ChooseRelationName` / `ChooseConstraintName`,
//! MariaDB 10.11's key and constraint names, and for SQLite (which keeps no names for
//! unnamed foreign keys and checks) the PostgreSQL rule, so that names are
//! deterministic.

use super::{Outcome, Replay, Result, expr, invalid, mysql, postgres, sqlite, unsupported};
use crate::Location;
use schema_model::{
    Check, Column, DataType, Deferrable, Dialect, Exclusion, ExclusionElement, ForeignKey,
    Generated, Identity, Index, IndexKey, IndexMethod, IndexPart, MatchType, OperatorClass,
    PartitionBy, PartitionOf, PartitionStrategy, PrimaryKey, QualifiedName, ReferentialAction,
    Sequence, SequenceOptions, SequenceOwner, Table, UniqueConstraint,
};
use sqlparser::ast::{
    self, AlterColumnOperation, AlterTable, AlterTableOperation, ColumnDef, ColumnOption,
    CreateTable, CreateTableOptions, Expr, ForValues, Ident, IndexColumn, ObjectName, RenameTable,
    SqlOption, TableConstraint,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Every constraint and index name the loader has given out, per schema. PostgreSQL
/// keeps index-backed names (and constraint names, for choosing new ones) unique per
/// schema; checking every table of a schema for each new name would be quadratic, so
/// this set answers first. It may hold names since dropped: a hit is confirmed by
/// looking at the schema's tables.
#[derive(Debug, Default)]
pub(crate) struct NameRegistry {
    by_schema: HashMap<String, HashSet<String>>,
}

impl NameRegistry {
    pub(crate) fn add(&mut self, schema: &str, name: &str) {
        match self.by_schema.get_mut(schema) {
            Some(names) => {
                names.insert(name.to_owned());
            }
            None => {
                let mut names = HashSet::new();
                names.insert(name.to_owned());
                self.by_schema.insert(schema.to_owned(), names);
            }
        }
    }

    pub(crate) fn may_hold(&self, schema: &str, name: &str) -> bool {
        self.by_schema
            .get(schema)
            .is_some_and(|names| names.contains(name))
    }
}

/// The keys and indexes a PostgreSQL partition holds because its partitioned table
/// has them: copies the server made (`PARTITION OF`, `ATTACH PARTITION`, an index or
/// key added to the parent) and the partition's own ones it attached to the parent's
/// (`ALTER INDEX ... ATTACH PARTITION`, an equal index present at `ATTACH`).
///
/// The model keeps them once, on the partitioned table, as the live inspector does
/// (the catalog marks them with `conparentid` and `pg_inherits`), so they are kept
/// here, out of the realm: their names still take their place in the schema's
/// namespace, the partition's own partitions take them in turn, and `DETACH
/// PARTITION`, after which they are the table's own, puts them back.
#[derive(Debug, Default, Clone)]
pub(crate) struct InheritedKeys {
    pub primary_key: Option<PrimaryKey>,
    pub uniques: BTreeMap<String, UniqueConstraint>,
    pub indexes: BTreeMap<String, Index>,
}

impl InheritedKeys {
    fn holds(&self, name: &str) -> bool {
        self.primary_key.as_ref().is_some_and(|pk| pk.name == name)
            || self.uniques.contains_key(name)
            || self.indexes.contains_key(name)
    }

    /// Moves the key or index of that name from the table into this set (an attached
    /// one); whether the table had it.
    pub(crate) fn take_from(&mut self, table: &mut Table, name: &str) -> bool {
        if table.primary_key.as_ref().is_some_and(|pk| pk.name == name) {
            self.primary_key = table.primary_key.take();
            return true;
        }
        if let Some(unique) = table.uniques.remove(name) {
            self.uniques.insert(name.to_owned(), unique);
            return true;
        }
        if let Some(index) = table.indexes.remove(name) {
            self.indexes.insert(name.to_owned(), index);
            return true;
        }
        false
    }

    /// Gives the table back what it holds (after `DETACH PARTITION`).
    fn restore(self, table: &mut Table) {
        if table.primary_key.is_none() {
            table.primary_key = self.primary_key;
        }
        table.uniques.extend(self.uniques);
        table.indexes.extend(self.indexes);
    }
}

/// Whether a name is held by a partition's inherited key or index (see
/// [`InheritedKeys`]) in the schema.
fn inherited_holds(r: &Replay, schema: &str, name: &str) -> bool {
    r.inherited
        .iter()
        .any(|(qn, keys)| qn.schema == schema && keys.holds(name) && r.realm.table(qn).is_some())
}

/// A table's primary key, unique constraints and indexes, its inherited ones (see
/// [`InheritedKeys`]) included: what its partitions take from it.
fn keys_for_partitions(
    r: &Replay,
    qn: &QualifiedName,
    table: &Table,
) -> (Option<PrimaryKey>, Vec<UniqueConstraint>, Vec<Index>) {
    let inherited = r.inherited.get(qn);
    let pk = table
        .primary_key
        .clone()
        .or_else(|| inherited.and_then(|k| k.primary_key.clone()));
    let mut uniques: Vec<UniqueConstraint> = table.uniques.values().cloned().collect();
    let mut indexes: Vec<Index> = table.indexes.values().cloned().collect();
    if let Some(keys) = inherited {
        uniques.extend(keys.uniques.values().cloned());
        indexes.extend(keys.indexes.values().cloned());
    }
    (pk, uniques, indexes)
}

/// Whether a name is taken in the schema's shared namespace (PostgreSQL): by this table,
/// by a relation, or by a constraint or index of another table.
fn pg_taken(r: &Replay, schema: &str, table: &Table, name: &str) -> bool {
    if table.has_constraint_or_index(name) || table.name == name {
        return true;
    }
    let Some(s) = r.realm.schemas.get(schema) else {
        return false;
    };
    if s.has_relation(name) {
        return true;
    }
    r.names.may_hold(schema, name)
        && (s.tables.values().any(|t| t.has_constraint_or_index(name))
            || s.views.values().any(|v| v.indexes.contains_key(name))
            || inherited_holds(r, schema, name))
}

/// Fills in what only the whole replay knows: foreign keys to tables created later
/// reference their primary key columns, and expressions settle the casts their
/// column types decide (`crate::resolved`).
pub(crate) fn finish(r: &mut Replay) {
    if r.dialect == Dialect::Mysql {
        mysql::canonical_options(&mut r.realm);
    }
    let sqlite = r.dialect == Dialect::Sqlite;
    let mut fills = Vec::new();
    for (schema_name, schema) in &r.realm.schemas {
        for (table_name, table) in &schema.tables {
            for (fk_name, fk) in &table.foreign_keys {
                let mut referenced = fk.referenced_table.clone();
                // SQLite matches the referenced table's name case-insensitively; a
                // forward reference could not be matched when it was read.
                if sqlite
                    && r.realm.table(&referenced).is_none()
                    && let Some(name) = r.realm.schema(&referenced.schema).and_then(|s| {
                        s.tables
                            .keys()
                            .find(|k| k.eq_ignore_ascii_case(&referenced.name))
                    })
                {
                    referenced.name.clone_from(name);
                }
                let columns = match r
                    .realm
                    .table(&referenced)
                    .and_then(|t| t.primary_key.as_ref())
                {
                    Some(pk) if fk.referenced_columns.is_empty() => pk.columns.clone(),
                    _ => fk.referenced_columns.clone(),
                };
                if referenced != fk.referenced_table || columns != fk.referenced_columns {
                    fills.push((
                        QualifiedName::new(schema_name.clone(), table_name.clone()),
                        fk_name.clone(),
                        referenced,
                        columns,
                    ));
                }
            }
        }
    }
    for (table, fk, referenced, columns) in fills {
        if let Some(fk) = r
            .realm
            .table_mut(&table)
            .and_then(|t| t.foreign_keys.get_mut(&fk))
        {
            fk.referenced_table = referenced;
            fk.referenced_columns = columns;
        }
    }
    // Expressions leave out the casts the server resolves; deciding which needs the
    // column types of the finished realm.
    crate::resolved::settle(&mut r.realm);
}

/// What a CREATE TABLE knows while it builds the table.
#[derive(Default)]
struct Build {
    /// SQLite: columns declared with the exact type name `INTEGER` (rowid aliases when
    /// they are the primary key alone).
    integer_columns: HashSet<String>,
    /// SQLite: whether the primary key is a rowid alias (and so has no autoindex).
    rowid_pk: bool,
    without_rowid: bool,
    strict: bool,
    /// SQLite: the keys of the indexes the PRIMARY KEY (unless a rowid alias) and
    /// UNIQUE constraints made so far, as (column, collation) pairs, both lowercase;
    /// with the unique constraint's name (`None` for the primary key).
    sqlite_keys: Vec<(Option<String>, sqlite::IndexKeyColumns)>,
    /// MySQL: foreign keys whose implicit index waits until every key of the CREATE
    /// TABLE exists, with the index name the statement gave.
    deferred_fk_indexes: Option<Vec<(String, Option<String>)>>,
}

/// `CREATE TABLE`.
pub(crate) fn create_table(r: &mut Replay, c: &CreateTable, loc: &Location) -> Result<Outcome> {
    if c.temporary {
        return Ok(Outcome::Ignored(
            "temporary table: not part of the schema".to_owned(),
        ));
    }
    if c.query.is_some() {
        return Err(unsupported(
            loc,
            "CREATE TABLE ... AS SELECT: the columns of a query result are not known offline; write the columns out",
        ));
    }
    if c.like.is_some() || c.clone.is_some() {
        return Err(unsupported(loc, "CREATE TABLE ... LIKE / CLONE"));
    }
    let qn = r.create_name(&c.name, loc)?;
    if r.realm.table(&qn).is_some() {
        if c.if_not_exists {
            return Ok(Outcome::Ignored(format!("table \"{qn}\" already exists")));
        }
        return Err(invalid(loc, format!("relation \"{qn}\" already exists")));
    }
    let schema = qn.schema.clone();
    let mut t = Table::new(qn.name.clone());
    if r.dialect == Dialect::Postgres {
        // As for views, sequences and routines: the database applies the default
        // privileges when it creates the table.
        t.privileges = super::objects::grants::default_privileges(r, &schema, "TABLES");
    }
    let mut build = Build {
        deferred_fk_indexes: Some(Vec::new()),
        ..Build::default()
    };
    let strict = c
        .sqlite_table_options
        .options
        .iter()
        .any(|o| matches!(o, ast::SqliteTableOption::Strict));
    for option in &c.sqlite_table_options.options {
        match option {
            ast::SqliteTableOption::Strict => t.options.strict = true,
            ast::SqliteTableOption::WithoutRowid => {
                t.options.without_rowid = true;
                build.without_rowid = true;
            }
        }
    }
    build.strict = strict;
    if let Some(parent) = &c.partition_of {
        let parent_qn = find_table(r, parent, loc)?;
        let Some(parent_table) = r.realm.table(&parent_qn) else {
            return Err(invalid(
                loc,
                format!("relation \"{parent_qn}\" does not exist"),
            ));
        };
        for column in &parent_table.columns {
            let mut copy = Column::new(column.name.clone(), column.data_type.clone());
            copy.nullable = column.nullable;
            copy.default.clone_from(&column.default);
            copy.collation.clone_from(&column.collation);
            copy.generated.clone_from(&column.generated);
            t.columns.push(copy);
        }
        let (parent_pk, parent_uniques, parent_indexes) =
            keys_for_partitions(r, &parent_qn, parent_table);
        let key_types = partition_key_types(parent_table);
        let bound = match &c.for_values {
            Some(values) => partition_bound(r, values, &key_types),
            None => return Err(unsupported(loc, "PARTITION OF without FOR VALUES")),
        };
        t.partition_of = Some(PartitionOf {
            parent: parent_qn,
            bound,
        });
        inherit_keys(
            r,
            &schema,
            &mut t,
            parent_pk,
            parent_uniques,
            parent_indexes,
        );
    }
    let mut pending: Vec<(TableConstraint, Option<String>)> = Vec::new();
    // The realm keeps every table's columns: no room for columns that never come.
    t.columns.reserve_exact(c.columns.len());
    for def in &c.columns {
        let column = column_from_def(
            r,
            &schema,
            &mut t,
            def,
            strict,
            &mut build,
            &mut pending,
            loc,
        )?;
        if t.column(&column.name).is_some() {
            return Err(invalid(
                loc,
                format!("column \"{}\" specified more than once", column.name),
            ));
        }
        t.columns.push(column);
    }
    for constraint in &c.constraints {
        pending.push((constraint.clone(), None));
    }
    for (constraint, column) in &pending {
        add_constraint(
            r,
            &schema,
            &mut t,
            constraint,
            column.as_deref(),
            false,
            &mut build,
            loc,
        )?;
    }
    table_options(r, &mut t, c, loc)?;
    if let Some(parents) = &c.inherits {
        for parent in parents {
            t.inherits.push(find_table(r, parent, loc)?);
        }
    }
    if let Some(partition_by) = &c.partition_by {
        t.partition_by = Some(partition_by_clause(r, partition_by, loc)?);
    }
    fill_self_references(&qn, &mut t);
    if r.dialect == Dialect::Mysql {
        for (fk, index_name) in build.deferred_fk_indexes.take().unwrap_or_default() {
            mysql_fk_index(&mut t, &fk, index_name);
        }
    }
    r.realm
        .schema_mut(&schema)
        .tables
        .insert(qn.name.clone(), t);
    Ok(Outcome::Applied)
}

fn fill_self_references(qn: &QualifiedName, t: &mut Table) {
    let pk = t.primary_key.as_ref().map(|pk| pk.columns.clone());
    for fk in t.foreign_keys.values_mut() {
        if fk.referenced_columns.is_empty()
            && fk.referenced_table == *qn
            && let Some(pk) = &pk
        {
            fk.referenced_columns.clone_from(pk);
        }
    }
}

/// Gives a partition its parent's primary key, unique constraints and indexes, under
/// its own names, as PostgreSQL does for `PARTITION OF` and `ATTACH PARTITION`, and
/// keeps them apart as inherited (see [`InheritedKeys`]). What the partition already
/// has (a primary key, a unique constraint on the same columns, an equal index) is
/// attached instead of copied, which makes it inherited too.
fn inherit_keys(
    r: &mut Replay,
    schema: &str,
    t: &mut Table,
    parent_pk: Option<PrimaryKey>,
    parent_uniques: Vec<UniqueConstraint>,
    parent_indexes: Vec<Index>,
) {
    let child = QualifiedName::new(schema, t.name.clone());
    let mut inherited = r.inherited.remove(&child).unwrap_or_default();
    if let Some(pk) = parent_pk {
        if let Some(own) = t.primary_key.take() {
            inherited.primary_key = Some(own);
        } else if inherited.primary_key.is_none() {
            let name = postgres::choose_name(&t.name, None, "pkey", |n| {
                pg_taken(r, schema, t, n) || inherited.holds(n)
            });
            r.names.add(schema, &name);
            inherited.primary_key = Some(PrimaryKey { name, ..pk });
        }
    }
    for unique in parent_uniques {
        if let Some(own) = t
            .uniques
            .values()
            .find(|u| u.columns == unique.columns)
            .map(|u| u.name.clone())
        {
            inherited.take_from(t, &own);
            continue;
        }
        if inherited
            .uniques
            .values()
            .any(|u| u.columns == unique.columns)
        {
            continue;
        }
        let addition = postgres::name_addition(&unique.columns);
        let name = postgres::choose_name(&t.name, Some(&addition), "key", |n| {
            pg_taken(r, schema, t, n) || inherited.holds(n)
        });
        r.names.add(schema, &name);
        inherited
            .uniques
            .insert(name.clone(), UniqueConstraint { name, ..unique });
    }
    // ... and a copy of each of its indexes, named as `CREATE INDEX` without a name
    // would name it.
    for index in parent_indexes {
        let same = |i: &Index| {
            i.unique == index.unique
                && i.method == index.method
                && i.parts == index.parts
                && i.include == index.include
                && i.predicate == index.predicate
        };
        if let Some(own) = t.indexes.values().find(|i| same(i)).map(|i| i.name.clone()) {
            inherited.take_from(t, &own);
            continue;
        }
        if inherited.indexes.values().any(same) {
            continue;
        }
        let names: Vec<String> = index.parts.iter().map(|p| pg_part_name(r, p)).collect();
        let addition = postgres::name_addition(&names);
        let name = postgres::choose_name(&t.name, Some(&addition), "idx", |n| {
            pg_taken(r, schema, t, n) || inherited.holds(n)
        });
        r.names.add(schema, &name);
        inherited
            .indexes
            .insert(name.clone(), Index { name, ..index });
    }
    r.inherited.insert(child, inherited);
}

/// The tables that are partitions of `parent`.
fn partitions_of(r: &Replay, parent: &QualifiedName) -> Vec<QualifiedName> {
    let mut children = Vec::new();
    for (schema_name, schema) in &r.realm.schemas {
        for (name, table) in &schema.tables {
            if table
                .partition_of
                .as_ref()
                .is_some_and(|p| &p.parent == parent)
            {
                children.push(QualifiedName::new(schema_name.clone(), name.clone()));
            }
        }
    }
    children
}

/// A partition takes its parent's keys: on `ATTACH PARTITION`, and when keys are added
/// to the parent without `ONLY`.
fn attach_keys(r: &mut Replay, parent_qn: &QualifiedName, parent: &Table, child: &QualifiedName) {
    if r.dialect != Dialect::Postgres {
        return;
    }
    let (pk, uniques, indexes) = keys_for_partitions(r, parent_qn, parent);
    let Some(mut t) = r.realm.table(child).cloned() else {
        return;
    };
    inherit_keys(r, &child.schema, &mut t, pk, uniques, indexes);
    if let Some(slot) = r.realm.table_mut(child) {
        *slot = t;
    }
}

/// The type of each partition key of a partitioned table that is a plain column.
fn partition_key_types(table: &schema_model::Table) -> Vec<Option<DataType>> {
    let Some(by) = &table.partition_by else {
        return Vec::new();
    };
    by.keys
        .iter()
        .map(|key| {
            let name = key
                .strip_prefix('"')
                .and_then(|k| k.strip_suffix('"'))
                .map_or_else(|| key.clone(), |k| k.replace("\"\"", "\""));
            table
                .columns
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.data_type.clone())
        })
        .collect()
}

/// A partition bound as `pg_get_expr` prints it: each value is a constant of its key
/// column's type, printed without a label, through the type's output function
/// (`'2024-01-01'` of a `timestamp` key is `'2024-01-01 00:00:00'`).
fn partition_bound(r: &Replay, values: &ForValues, key_types: &[Option<DataType>]) -> String {
    let value = |e: &Expr, i: usize| {
        if r.dialect == Dialect::Postgres
            && let Expr::Value(v) = e
            && let ast::Value::SingleQuotedString(text) = &v.value
            && let Some(Some(ty)) = key_types.get(i)
            && let Some(constant) = super::literals::constant(text, ty)
        {
            return format!("'{}'", constant.replace('\'', "''"));
        }
        r.expr(e)
    };
    let bound_value = |(i, v): (usize, &ast::PartitionBoundValue)| match v {
        ast::PartitionBoundValue::Expr(e) => value(e, i),
        ast::PartitionBoundValue::MinValue => "MINVALUE".to_owned(),
        ast::PartitionBoundValue::MaxValue => "MAXVALUE".to_owned(),
    };
    match values {
        ForValues::In(list) => format!(
            "FOR VALUES IN ({})",
            list.iter()
                .map(|e| value(e, 0))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ForValues::From { from, to } => format!(
            "FOR VALUES FROM ({}) TO ({})",
            from.iter()
                .enumerate()
                .map(bound_value)
                .collect::<Vec<_>>()
                .join(", "),
            to.iter()
                .enumerate()
                .map(bound_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ForValues::With { modulus, remainder } => {
            format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
        }
        ForValues::Default => "DEFAULT".to_owned(),
    }
}

fn partition_by_clause(r: &Replay, e: &Expr, loc: &Location) -> Result<PartitionBy> {
    let Expr::Function(function) = e else {
        return Err(unsupported(loc, format!("PARTITION BY {e}")));
    };
    let name = function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.to_ascii_lowercase())
        .unwrap_or_default();
    let strategy = match name.as_str() {
        "range" => PartitionStrategy::Range,
        "list" => PartitionStrategy::List,
        "hash" => PartitionStrategy::Hash,
        _ => return Err(unsupported(loc, format!("PARTITION BY {e}"))),
    };
    let mut keys = Vec::new();
    if let ast::FunctionArguments::List(list) = &function.args {
        for arg in &list.args {
            match arg {
                ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(key)) => {
                    keys.push(r.expr(key));
                }
                other => return Err(unsupported(loc, format!("partition key {other}"))),
            }
        }
    }
    Ok(PartitionBy {
        strategy,
        keys,
        partitions: Vec::new(),
    })
}

fn option_value_text(value: &Expr) -> String {
    match value {
        Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) | ast::Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}

fn storage_parameters(t: &mut Table, options: &[SqlOption]) {
    for option in options {
        if let SqlOption::KeyValue { key, value } = option {
            t.options
                .storage_parameters
                .insert(key.to_string().to_lowercase(), option_value_text(value));
        }
    }
}

/// MySQL engine names as the server spells them.
fn engine_name(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "innodb" => "InnoDB".to_owned(),
        "myisam" => "MyISAM".to_owned(),
        "memory" | "heap" => "MEMORY".to_owned(),
        "aria" => "Aria".to_owned(),
        "csv" => "CSV".to_owned(),
        "archive" => "ARCHIVE".to_owned(),
        "blackhole" => "BLACKHOLE".to_owned(),
        _ => name.to_owned(),
    }
}

fn mysql_table_option(t: &mut Table, option: &SqlOption) {
    match option {
        SqlOption::NamedParenthesizedList(list)
            if list.key.value.eq_ignore_ascii_case("ENGINE") =>
        {
            if let Some(name) = &list.name {
                t.options.engine = Some(engine_name(&name.value));
            }
        }
        SqlOption::Comment(ast::CommentDef::WithEq(s) | ast::CommentDef::WithoutEq(s)) => {
            t.comment = Some(s.clone());
        }
        SqlOption::KeyValue { key, value } => {
            let key = key.to_string().to_ascii_uppercase();
            let value = option_value_text(value);
            match key.as_str() {
                "DEFAULT CHARSET" | "CHARSET" | "DEFAULT CHARACTER SET" | "CHARACTER SET" => {
                    t.options.charset = Some(value.to_lowercase());
                }
                "DEFAULT COLLATE" | "COLLATE" => t.options.collation = Some(value.to_lowercase()),
                "ROW_FORMAT" => t.options.row_format = Some(value.to_uppercase()),
                "ENGINE" => t.options.engine = Some(engine_name(&value)),
                "COMMENT" => t.comment = Some(value),
                // AUTO_INCREMENT=n is the next value to hand out: data, not schema.
                _ => tracing::debug!(option = %key, "table option not modelled"),
            }
        }
        other => tracing::debug!(option = %other, "table option not modelled"),
    }
}

fn table_options(r: &Replay, t: &mut Table, c: &CreateTable, loc: &Location) -> Result<()> {
    t.options.unlogged = c.unlogged;
    match &c.table_options {
        CreateTableOptions::None => {}
        CreateTableOptions::With(options) if r.dialect == Dialect::Postgres => {
            storage_parameters(t, options);
        }
        CreateTableOptions::With(options)
        | CreateTableOptions::Plain(options)
        | CreateTableOptions::Options(options)
        | CreateTableOptions::TableProperties(options) => {
            if r.dialect != Dialect::Mysql {
                return Err(unsupported(loc, "table options"));
            }
            for option in options {
                mysql_table_option(t, option);
            }
        }
    }
    if let Some(ast::CommentDef::WithEq(s) | ast::CommentDef::WithoutEq(s)) = &c.comment {
        t.comment = Some(s.clone());
    }
    Ok(())
}

/// A column from its definition. Column-level constraints go to `pending`, with the
/// column's name, to be added once every column exists.
#[allow(clippy::too_many_arguments)]
fn column_from_def(
    r: &mut Replay,
    schema: &str,
    t: &mut Table,
    def: &ColumnDef,
    strict: bool,
    build: &mut Build,
    pending: &mut Vec<(TableConstraint, Option<String>)>,
    loc: &Location,
) -> Result<Column> {
    let name = r.ident(&def.name);
    let mut ty_ast = &def.data_type;
    let mut collation = None;
    if let ast::DataType::Collate(inner, coll) = ty_ast {
        collation = Some(r.collation_name(coll));
        ty_ast = inner;
    }
    let serial = match r.dialect {
        Dialect::Postgres => postgres::serial_type(ty_ast),
        _ => None,
    };
    let (data_type, unsigned) = match &serial {
        Some(ty) => (ty.clone(), false),
        None => r.data_type_at(ty_ast, loc)?,
    };
    let data_type = match data_type {
        DataType::Any if !strict => DataType::NUMERIC,
        other => other,
    };
    if r.dialect == Dialect::Sqlite && sqlite::is_rowid_alias_type(ty_ast) {
        build.integer_columns.insert(name.clone());
    }
    let mut column = Column::new(name.clone(), data_type);
    column.unsigned = unsigned;
    column.collation = collation;
    // MySQL's national character types are utf8mb3.
    if r.dialect == Dialect::Mysql && matches!(ty_ast, ast::DataType::Nvarchar(_)) {
        column.charset = Some("utf8mb3".to_owned());
    }
    if r.dialect == Dialect::Mysql
        && matches!(ty_ast, ast::DataType::Custom(n, m) if m.is_empty() && n.to_string().eq_ignore_ascii_case("serial"))
    {
        column.nullable = false;
        column.auto_increment = true;
    }
    if let Some(int_type) = serial {
        let table_name = t.name.clone();
        let seq_name = postgres::choose_name(&table_name, Some(&name), "seq", |n| {
            pg_taken(r, schema, t, n)
        });
        let seq_qn = QualifiedName::new(schema, seq_name.clone());
        column.nullable = false;
        column.default = Some(postgres::nextval(&seq_qn));
        let sequence = Sequence {
            name: seq_name.clone(),
            options: SequenceOptions::postgres_defaults(int_type, 1),
            owned_by: Some(SequenceOwner {
                table: QualifiedName::new(schema, table_name),
                column: name.clone(),
            }),
            comment: None,
            privileges: Vec::new(),
        };
        r.realm
            .schema_mut(schema)
            .sequences
            .insert(seq_name, sequence);
    }
    for option in &def.options {
        column_option(
            r,
            &mut column,
            &option.option,
            option.name.as_ref(),
            &def.name,
            build,
            pending,
            loc,
        )?;
    }
    Ok(column)
}

#[allow(clippy::too_many_arguments)]
fn column_option(
    r: &Replay,
    column: &mut Column,
    option: &ColumnOption,
    constraint_name: Option<&Ident>,
    column_ident: &Ident,
    build: &mut Build,
    pending: &mut Vec<(TableConstraint, Option<String>)>,
    loc: &Location,
) -> Result<()> {
    let _ = build;
    let col_index_column = || IndexColumn {
        column: ast::OrderByExpr {
            expr: Expr::Identifier(column_ident.clone()),
            options: ast::OrderByOptions {
                sort: None,
                nulls_first: None,
            },
            with_fill: None,
        },
        operator_class: None,
    };
    match option {
        ColumnOption::Null => column.nullable = true,
        ColumnOption::NotNull => column.nullable = false,
        ColumnOption::Default(value) => {
            column.default = default_expr(r, value, &column.data_type);
        }
        ColumnOption::PrimaryKey(pk) => {
            let mut pk = pk.clone();
            pk.columns = vec![col_index_column()];
            if pk.name.is_none() {
                pk.name = constraint_name.cloned();
            }
            pending.push((TableConstraint::PrimaryKey(pk), Some(column.name.clone())));
        }
        ColumnOption::Unique(u) => {
            let mut u = u.clone();
            u.columns = vec![col_index_column()];
            if u.name.is_none() {
                u.name = constraint_name.cloned();
            }
            pending.push((TableConstraint::Unique(u), Some(column.name.clone())));
        }
        ColumnOption::ForeignKey(fk) => {
            let mut fk = fk.clone();
            fk.columns = vec![column_ident.clone()];
            if fk.name.is_none() {
                fk.name = constraint_name.cloned();
            }
            pending.push((TableConstraint::ForeignKey(fk), Some(column.name.clone())));
        }
        ColumnOption::Check(ck) => {
            let mut ck = ck.clone();
            if ck.name.is_none() {
                ck.name = constraint_name.cloned();
            }
            pending.push((TableConstraint::Check(ck), Some(column.name.clone())));
        }
        ColumnOption::DialectSpecific(tokens) => {
            let text: Vec<String> = tokens
                .iter()
                .map(|t| t.to_string().to_uppercase())
                .collect();
            if text
                .iter()
                .any(|t| t == "AUTO_INCREMENT" || t == "AUTOINCREMENT")
            {
                column.auto_increment = true;
            }
            // SQLite's `PRIMARY KEY DESC` comes as an option of its own; the order
            // matters, as an `INTEGER PRIMARY KEY DESC` is no rowid alias.
            if text.iter().any(|t| t == "DESC")
                && let Some((TableConstraint::PrimaryKey(pk), Some(owner))) = pending.last_mut()
                && *owner == column.name
            {
                for part in &mut pk.columns {
                    part.column.options.sort = Some(ast::OrderBySort::Desc);
                }
            }
        }
        ColumnOption::CharacterSet(name) => column.charset = Some(name.to_string().to_lowercase()),
        ColumnOption::Collation(name) => column.collation = Some(r.collation_name(name)),
        ColumnOption::Comment(text) => column.comment = Some(text.clone()),
        ColumnOption::OnUpdate(value) => {
            column.on_update = match r.dialect {
                Dialect::Mysql => mysql::default_expr(r, value, &column.data_type),
                _ => Some(r.expr(value)),
            };
        }
        ColumnOption::Generated {
            generated_as,
            sequence_options,
            generation_expr,
            generation_expr_mode,
            ..
        } => match generation_expr {
            Some(generation) => {
                let stored = match generation_expr_mode {
                    Some(ast::GeneratedExpressionMode::Stored) => true,
                    Some(ast::GeneratedExpressionMode::Virtual) => false,
                    None => {
                        r.dialect == Dialect::Postgres
                            || matches!(generated_as, ast::GeneratedAs::ExpStored)
                    }
                };
                column.generated = Some(Generated {
                    expression: r.expr(generation),
                    stored,
                });
            }
            None => {
                let always = matches!(generated_as, ast::GeneratedAs::Always);
                column.identity = Some(Identity {
                    always,
                    sequence: sequence_options_of(
                        r,
                        &column.data_type,
                        sequence_options.as_deref().unwrap_or_default(),
                        loc,
                    )?,
                });
                column.nullable = false;
            }
        },
        ColumnOption::Invisible if r.dialect == Dialect::Mysql => column.invisible = true,
        ColumnOption::Invisible
        | ColumnOption::Options(_)
        | ColumnOption::Srid(_)
        | ColumnOption::OnConflict(_) => {
            tracing::debug!(option = %option, "column option not modelled");
        }
        other => return Err(unsupported(loc, format!("column option {other}"))),
    }
    Ok(())
}

fn object_text(r: &Replay, name: &ObjectName) -> String {
    r.name_parts(name).join(".")
}

fn default_expr(r: &Replay, value: &Expr, ty: &DataType) -> Option<String> {
    match r.dialect {
        Dialect::Postgres => postgres::default_expr(r, value, ty),
        Dialect::Mysql => mysql::default_expr(r, value, ty),
        Dialect::Sqlite => {
            let mut inner = value;
            while let Expr::Nested(e) = inner {
                inner = e;
            }
            match inner {
                Expr::Value(v) if matches!(v.value, ast::Value::Null) => None,
                _ => Some(r.expr(value)),
            }
        }
    }
}

fn int_of(e: &Expr) -> Option<i64> {
    match e {
        Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr,
        } => int_of(expr).map(|v| -v),
        Expr::UnaryOp {
            op: ast::UnaryOperator::Plus,
            expr,
        } => int_of(expr),
        Expr::Nested(inner) => int_of(inner),
        _ => None,
    }
}

/// Identity / sequence options with PostgreSQL's defaults filled in.
pub(crate) fn sequence_options_of(
    r: &Replay,
    column_type: &DataType,
    options: &[ast::SequenceOptions],
    loc: &Location,
) -> Result<SequenceOptions> {
    let mut data_type = column_type.clone();
    let mut increment = 1;
    for option in options {
        match option {
            ast::SequenceOptions::DataType(ty) => data_type = r.data_type_at(ty, loc)?.0,
            ast::SequenceOptions::IncrementBy(e, _) => {
                increment = int_of(e)
                    .ok_or_else(|| invalid(loc, format!("INCREMENT {e} is not an integer")))?;
            }
            _ => {}
        }
    }
    if !matches!(
        data_type,
        DataType::SmallInt | DataType::Integer | DataType::BigInt
    ) {
        data_type = DataType::BigInt;
    }
    let mut result = SequenceOptions::postgres_defaults(data_type, increment);
    let mut start = None;
    for option in options {
        let number = |e: &Expr| {
            int_of(e).ok_or_else(|| invalid(loc, format!("sequence option {e} is not an integer")))
        };
        match option {
            ast::SequenceOptions::MinValue(Some(e)) => result.min_value = number(e)?,
            ast::SequenceOptions::MaxValue(Some(e)) => result.max_value = number(e)?,
            ast::SequenceOptions::StartWith(e, _) => start = Some(number(e)?),
            ast::SequenceOptions::Cache(e) => result.cache = number(e)?,
            ast::SequenceOptions::Cycle(no) => result.cycle = !*no,
            _ => {}
        }
    }
    result.start = start.unwrap_or(if increment < 0 {
        result.max_value
    } else {
        result.min_value
    });
    Ok(result)
}

fn deferrable(c: &Option<ast::ConstraintCharacteristics>) -> Deferrable {
    match c {
        Some(c) if c.deferrable == Some(true) => match c.initially {
            Some(ast::DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
        Some(c) if c.initially == Some(ast::DeferrableInitial::Deferred) => {
            Deferrable::InitiallyDeferred
        }
        _ => Deferrable::NotDeferrable,
    }
}

/// MySQL's `RESTRICT` is `NO ACTION`: InnoDB checks both at once, and MariaDB reports
/// an unspecified action as `RESTRICT` (MySQL 8 as `NO ACTION`), so the catalog cannot
/// tell them apart and the model keeps one value.
fn mysql_action(dialect: Dialect, a: ReferentialAction) -> ReferentialAction {
    match (dialect, a) {
        (Dialect::Mysql, ReferentialAction::Restrict) => ReferentialAction::NoAction,
        (_, a) => a,
    }
}

fn action(a: &Option<ast::ReferentialAction>) -> ReferentialAction {
    match a {
        None | Some(ast::ReferentialAction::NoAction) => ReferentialAction::NoAction,
        Some(ast::ReferentialAction::Restrict) => ReferentialAction::Restrict,
        Some(ast::ReferentialAction::Cascade) => ReferentialAction::Cascade,
        Some(ast::ReferentialAction::SetNull) => ReferentialAction::SetNull,
        Some(ast::ReferentialAction::SetDefault) => ReferentialAction::SetDefault,
    }
}

fn strip_nested(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

/// One key part of an index or key constraint.
pub(crate) fn index_part(r: &Replay, column: &IndexColumn, table: &Table) -> IndexPart {
    let mut e = strip_nested(&column.column.expr);
    let mut collation = None;
    if let Expr::Collate {
        expr: inner,
        collation: coll,
    } = e
    {
        collation = Some(r.collation_name(coll));
        e = strip_nested(inner);
    }
    let key = match e {
        Expr::Identifier(ident) => IndexKey::Column(column_name(r, table, ident)),
        _ => IndexKey::Expression(r.expr(e)),
    };
    let mut prefix_length = None;
    let mut key = key;
    if r.dialect == Dialect::Mysql
        && let Expr::Function(function) = e
        && let ast::FunctionArguments::List(list) = &function.args
        && let [ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(arg))] = list.args.as_slice()
        && let Some(n) = int_of(arg)
        && let [part] = function.name.0.as_slice()
        && let Some(ident) = part.as_ident()
        && table.column(&r.ident(ident)).is_some()
    {
        key = IndexKey::Column(r.ident(ident));
        prefix_length = u32::try_from(n).ok();
    }
    let descending = matches!(column.column.options.sort, Some(ast::OrderBySort::Desc));
    let nulls_first = column
        .column
        .options
        .nulls_first
        .filter(|first| *first != descending);
    IndexPart {
        key,
        descending,
        nulls_first,
        operator_class: column
            .operator_class
            .as_ref()
            .map(|c| OperatorClass::from_name(&object_text(r, c))),
        collation,
        prefix_length,
    }
}

/// The name part an index key contributes to a PostgreSQL index name, read from the
/// statement: the column, or for an expression its function's name, else `expr`.
pub(crate) fn pg_part_name_ast(r: &Replay, column: &IndexColumn) -> String {
    let mut e = strip_nested(&column.column.expr);
    if let Expr::Collate { expr: inner, .. } = e {
        e = strip_nested(inner);
    }
    match e {
        Expr::Identifier(ident) => r.ident(ident),
        Expr::Function(function) => function
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| r.ident(i))
            .unwrap_or_else(|| "expr".to_owned()),
        _ => "expr".to_owned(),
    }
}

/// The name part an index key contributes to a PostgreSQL index name: the column, or
/// for an expression its function's name, else `expr`.
pub(crate) fn pg_part_name(r: &Replay, part: &IndexPart) -> String {
    match &part.key {
        IndexKey::Column(name) => name.clone(),
        IndexKey::Expression(text) => match expr::parse_expr(r.dialect, text) {
            Some(Expr::Function(function)) => function
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| r.ident(i))
                .unwrap_or_else(|| "expr".to_owned()),
            _ => "expr".to_owned(),
        },
    }
}

fn part_column_names(parts: &[IndexPart]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match &p.key {
            IndexKey::Column(c) => Some(c.clone()),
            IndexKey::Expression(_) => None,
        })
        .collect()
}

fn check_columns(loc: &Location, qn_table: &Table, columns: &[String]) -> Result<()> {
    for column in columns {
        if qn_table.column(column).is_none() {
            return Err(invalid(
                loc,
                format!(
                    "column \"{column}\" named in key does not exist in table \"{}\"",
                    qn_table.name
                ),
            ));
        }
    }
    Ok(())
}

fn index_method(ty: &Option<ast::IndexType>, options: &[ast::IndexOption]) -> IndexMethod {
    let from = |t: &ast::IndexType| match t {
        ast::IndexType::BTree => IndexMethod::Btree,
        ast::IndexType::Hash => IndexMethod::Hash,
        ast::IndexType::GIN => IndexMethod::Gin,
        ast::IndexType::GiST => IndexMethod::Gist,
        ast::IndexType::SPGiST => IndexMethod::Spgist,
        ast::IndexType::BRIN => IndexMethod::Brin,
        ast::IndexType::Bloom => IndexMethod::Other("bloom".to_owned()),
        ast::IndexType::Custom(name) => IndexMethod::from_name(&name.value),
    };
    if let Some(t) = ty {
        return from(t);
    }
    for option in options {
        if let ast::IndexOption::Using(t) = option {
            return from(t);
        }
    }
    IndexMethod::Btree
}

fn index_comment(options: &[ast::IndexOption]) -> Option<String> {
    options.iter().find_map(|o| match o {
        ast::IndexOption::Comment(c) => Some(c.clone()),
        ast::IndexOption::Using(_) => None,
    })
}

/// Adds a MySQL key (index) to a table, named as MariaDB names it when unnamed.
fn mysql_add_key(t: &mut Table, name: Option<String>, mut index: Index) -> String {
    let name = match name {
        Some(name) => name,
        None => {
            let first = part_column_names(&index.parts)
                .into_iter()
                .next()
                .unwrap_or_else(|| "expr".to_owned());
            mysql::choose_key_name(&first, |n| t.indexes.contains_key(n))
        }
    };
    index.name.clone_from(&name);
    t.indexes.insert(name.clone(), index);
    name
}

/// MariaDB drops the index it made for a foreign key once another index can serve the
/// key. The model does not mark which index was made that way: one that is named as
/// MariaDB names them (after the constraint, or after its first column) and holds
/// exactly the key's columns is taken for it.
pub(crate) fn mysql_drop_implicit_fk_indexes(t: &mut Table, new_index: &str) {
    let Some(new) = t.indexes.get(new_index) else {
        return;
    };
    if new.method != IndexMethod::Btree || new.parts.iter().any(|p| p.prefix_length.is_some()) {
        return;
    }
    let new_columns = part_column_names(&new.parts);
    let mut implicit = Vec::new();
    for fk in t.foreign_keys.values() {
        let Some(first) = fk.columns.first() else {
            continue;
        };
        if !new_columns.starts_with(&fk.columns) {
            continue;
        }
        for (name, index) in &t.indexes {
            let auto_name = name == &fk.name
                || name == first
                || name
                    .strip_prefix(first.as_str())
                    .and_then(|rest| rest.strip_prefix('_'))
                    .is_some_and(|n| n.parse::<u32>().is_ok());
            if name != new_index
                && auto_name
                && !index.unique
                && index.method == IndexMethod::Btree
                && index.comment.is_none()
                && index
                    .parts
                    .iter()
                    .all(|p| p.prefix_length.is_none() && !p.descending)
                && part_column_names(&index.parts) == fk.columns
            {
                implicit.push(name.clone());
            }
        }
    }
    for name in implicit {
        t.indexes.remove(&name);
    }
}

/// MariaDB creates an index for a foreign key whose columns no index starts with.
fn mysql_fk_index(t: &mut Table, fk_name: &str, explicit: Option<String>) {
    let Some(fk) = t.foreign_keys.get(fk_name) else {
        return;
    };
    let columns = fk.columns.clone();
    let covered = |cols: &[String]| cols.starts_with(&columns);
    let pk_covers = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| covered(&pk.columns));
    let index_covers = t.indexes.values().any(|ix| {
        ix.method == IndexMethod::Btree
            && ix.parts.iter().all(|p| p.prefix_length.is_none())
            && covered(&part_column_names(&ix.parts))
    });
    if pk_covers || index_covers {
        return;
    }
    let name = explicit.filter(|n| !t.indexes.contains_key(n));
    let index = Index {
        name: String::new(),
        unique: false,
        method: IndexMethod::Btree,
        parts: columns.iter().map(IndexPart::column).collect(),
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        parameters: Default::default(),
        comment: None,
    };
    mysql_add_key(t, name, index);
}

fn new_index(parts: Vec<IndexPart>) -> Index {
    Index {
        name: String::new(),
        unique: false,
        method: IndexMethod::Btree,
        parts,
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        parameters: Default::default(),
        comment: None,
    }
}

fn explicit(r: &Replay, name: &Option<Ident>) -> Option<String> {
    name.as_ref().map(|n| r.ident(n))
}

/// Adds a table constraint (or a column constraint, with `column` naming its column).
#[allow(clippy::too_many_arguments)]
fn add_constraint(
    r: &mut Replay,
    schema: &str,
    t: &mut Table,
    constraint: &TableConstraint,
    column: Option<&str>,
    not_valid: bool,
    build: &mut Build,
    loc: &Location,
) -> Result<()> {
    let dialect = r.dialect;
    match constraint {
        TableConstraint::PrimaryKey(pk) => {
            if t.primary_key.is_some() {
                return Err(invalid(
                    loc,
                    format!(
                        "multiple primary keys for table \"{}\" are not allowed",
                        t.name
                    ),
                ));
            }
            let parts: Vec<IndexPart> = pk.columns.iter().map(|c| index_part(r, c, t)).collect();
            let columns = part_column_names(&parts);
            check_columns(loc, t, &columns)?;
            let name = match dialect {
                Dialect::Mysql => "PRIMARY".to_owned(),
                Dialect::Sqlite => String::new(),
                Dialect::Postgres => match explicit(r, &pk.name) {
                    Some(name) => name,
                    None => {
                        postgres::choose_name(&t.name, None, "pkey", |n| pg_taken(r, schema, t, n))
                    }
                },
            };
            if dialect == Dialect::Sqlite {
                build.rowid_pk = columns.len() == 1
                    && !build.without_rowid
                    && columns
                        .first()
                        .is_some_and(|c| build.integer_columns.contains(c))
                    && !parts.iter().any(|p| p.descending && column.is_some());
                if !build.rowid_pk {
                    // SQLite enforces NOT NULL on the primary key of WITHOUT ROWID and
                    // STRICT tables (and reports it in `pragma table_info`).
                    if build.without_rowid || build.strict {
                        for c in &columns {
                            if let Some(col) = t.column_mut(c) {
                                col.nullable = false;
                            }
                        }
                    }
                    // The primary key's index takes over a UNIQUE index on the same key
                    // declared before it: SQLite keeps one index, of origin `pk`.
                    let key = sqlite::index_key(t, &parts);
                    if let Some(at) = build.sqlite_keys.iter().position(|(_, k)| *k == key) {
                        let (name, _) = build.sqlite_keys.remove(at);
                        if let Some(name) = name {
                            t.uniques.remove(&name);
                        }
                    }
                    build.sqlite_keys.push((None, key));
                }
            } else {
                for c in &columns {
                    if let Some(col) = t.column_mut(c) {
                        col.nullable = false;
                    }
                }
            }
            if dialect == Dialect::Postgres {
                r.names.add(schema, &name);
            }
            t.primary_key = Some(PrimaryKey {
                name,
                columns,
                include: pk.include.iter().map(|i| r.ident(i)).collect(),
                deferrable: deferrable(&pk.characteristics),
                comment: None,
            });
        }
        TableConstraint::Unique(u) => {
            let parts: Vec<IndexPart> = u.columns.iter().map(|c| index_part(r, c, t)).collect();
            let columns = part_column_names(&parts);
            check_columns(loc, t, &columns)?;
            if dialect == Dialect::Sqlite {
                // SQLite makes no index, and so keeps no constraint, for a UNIQUE whose
                // key an earlier PRIMARY KEY or UNIQUE index already has.
                let key = sqlite::index_key(t, &parts);
                if build.sqlite_keys.iter().any(|(_, k)| *k == key) {
                    return Ok(());
                }
            }
            match dialect {
                Dialect::Mysql => {
                    let mut index = new_index(parts);
                    index.unique = true;
                    index.method = index_method(&u.index_type, &u.index_options);
                    index.comment = index_comment(&u.index_options);
                    let name = explicit(r, &u.index_name).or_else(|| explicit(r, &u.name));
                    mysql_add_key(t, name, index);
                }
                Dialect::Postgres | Dialect::Sqlite => {
                    let name = match explicit(r, &u.name) {
                        Some(name) => name,
                        None if dialect == Dialect::Sqlite => {
                            let n = t.uniques.len()
                                + usize::from(t.primary_key.is_some() && !build.rowid_pk)
                                + 1;
                            format!("sqlite_autoindex_{}_{n}", t.name)
                        }
                        None => {
                            let addition = postgres::name_addition(&columns);
                            postgres::choose_name(&t.name, Some(&addition), "key", |n| {
                                pg_taken(r, schema, t, n)
                            })
                        }
                    };
                    if t.uniques.contains_key(&name) {
                        return Err(invalid(
                            loc,
                            format!(
                                "constraint \"{name}\" for relation \"{}\" already exists",
                                t.name
                            ),
                        ));
                    }
                    if dialect == Dialect::Postgres {
                        r.names.add(schema, &name);
                    }
                    if dialect == Dialect::Sqlite {
                        build
                            .sqlite_keys
                            .push((Some(name.clone()), sqlite::index_key(t, &parts)));
                    }
                    t.uniques.insert(
                        name.clone(),
                        UniqueConstraint {
                            name,
                            columns,
                            include: u.include.iter().map(|i| r.ident(i)).collect(),
                            nulls_not_distinct: matches!(
                                u.nulls_distinct,
                                ast::NullsDistinctOption::NotDistinct
                            ),
                            deferrable: deferrable(&u.characteristics),
                            comment: None,
                        },
                    );
                }
            }
        }
        TableConstraint::ForeignKey(fk) => {
            let columns: Vec<String> = fk.columns.iter().map(|c| column_name(r, t, c)).collect();
            check_columns(loc, t, &columns)?;
            let referenced_table = find_table(r, &fk.foreign_table, loc)?;
            let mut referenced_columns: Vec<String> =
                fk.referred_columns.iter().map(|c| r.ident(c)).collect();
            if referenced_columns.is_empty()
                && let Some(pk) = r
                    .realm
                    .table(&referenced_table)
                    .and_then(|rt| rt.primary_key.as_ref())
            {
                referenced_columns.clone_from(&pk.columns);
            }
            let name = match explicit(r, &fk.name) {
                Some(name) => name,
                None => match dialect {
                    Dialect::Mysql => {
                        let mut n = 1;
                        loop {
                            let candidate = format!("{}_ibfk_{n}", t.name);
                            if !t.foreign_keys.contains_key(&candidate) {
                                break candidate;
                            }
                            n += 1;
                        }
                    }
                    Dialect::Postgres => {
                        let addition = postgres::name_addition(&columns);
                        postgres::choose_name(&t.name, Some(&addition), "fkey", |n| {
                            pg_taken(r, schema, t, n)
                        })
                    }
                    Dialect::Sqlite => {
                        let addition = postgres::name_addition(&columns);
                        postgres::choose_name(&t.name, Some(&addition), "fkey", |n| {
                            t.has_constraint_or_index(n)
                        })
                    }
                },
            };
            if t.foreign_keys.contains_key(&name) {
                return Err(invalid(
                    loc,
                    format!(
                        "constraint \"{name}\" for relation \"{}\" already exists",
                        t.name
                    ),
                ));
            }
            let match_type = match fk.match_kind {
                Some(ast::ConstraintReferenceMatchKind::Full) => MatchType::Full,
                Some(ast::ConstraintReferenceMatchKind::Partial) => MatchType::Partial,
                _ => MatchType::Simple,
            };
            if dialect == Dialect::Postgres {
                r.names.add(schema, &name);
            }
            t.foreign_keys.insert(
                name.clone(),
                ForeignKey {
                    name: name.clone(),
                    columns,
                    referenced_table,
                    referenced_columns,
                    on_delete: mysql_action(dialect, action(&fk.on_delete)),
                    on_update: mysql_action(dialect, action(&fk.on_update)),
                    on_delete_columns: Vec::new(),
                    match_type,
                    deferrable: deferrable(&fk.characteristics),
                    not_valid,
                    comment: None,
                },
            );
            if dialect == Dialect::Mysql {
                let index_name = explicit(r, &fk.index_name).or_else(|| explicit(r, &fk.name));
                match build.deferred_fk_indexes.as_mut() {
                    Some(deferred) => deferred.push((name.clone(), index_name)),
                    None => mysql_fk_index(t, &name, index_name),
                }
            }
        }
        TableConstraint::Check(ck) => {
            let expression = r.expr(&ck.expr);
            let name = match explicit(r, &ck.name) {
                Some(name) => name,
                None => match dialect {
                    Dialect::Mysql => match column {
                        Some(column) => {
                            mysql::choose_key_name(column, |n| t.checks.contains_key(n))
                        }
                        None => {
                            let mut n = 1;
                            loop {
                                let candidate = format!("CONSTRAINT_{n}");
                                if !t.checks.contains_key(&candidate) {
                                    break candidate;
                                }
                                n += 1;
                            }
                        }
                    },
                    Dialect::Postgres | Dialect::Sqlite => {
                        let referenced: Vec<String> = expr::referenced_names(r, &ck.expr)
                            .into_iter()
                            .filter(|n| t.column(n).is_some())
                            .collect();
                        let single = match referenced.as_slice() {
                            [one] => Some(one.clone()),
                            _ => None,
                        };
                        postgres::choose_name(&t.name, single.as_deref(), "check", |n| {
                            if dialect == Dialect::Postgres {
                                pg_taken(r, schema, t, n)
                            } else {
                                t.has_constraint_or_index(n)
                            }
                        })
                    }
                },
            };
            if t.checks.contains_key(&name) {
                return Err(invalid(
                    loc,
                    format!(
                        "constraint \"{name}\" for relation \"{}\" already exists",
                        t.name
                    ),
                ));
            }
            if dialect == Dialect::Postgres {
                r.names.add(schema, &name);
            }
            t.checks.insert(
                name.clone(),
                Check {
                    name,
                    expression,
                    no_inherit: ck.no_inherit,
                    not_valid,
                    not_enforced: ck.enforced == Some(false),
                    comment: None,
                },
            );
        }
        TableConstraint::Index(ix) => {
            let parts: Vec<IndexPart> = ix.columns.iter().map(|c| index_part(r, c, t)).collect();
            check_columns(loc, t, &part_column_names(&parts))?;
            let mut index = new_index(parts);
            index.method = index_method(&ix.index_type, &ix.index_options);
            index.comment = index_comment(&ix.index_options);
            if dialect != Dialect::Mysql {
                return Err(unsupported(loc, "inline INDEX outside MySQL"));
            }
            let name = mysql_add_key(t, explicit(r, &ix.name), index);
            mysql_drop_implicit_fk_indexes(t, &name);
        }
        TableConstraint::FulltextOrSpatial(fs) => {
            let parts: Vec<IndexPart> = fs.columns.iter().map(|c| index_part(r, c, t)).collect();
            check_columns(loc, t, &part_column_names(&parts))?;
            let mut index = new_index(parts);
            index.method = if fs.fulltext {
                IndexMethod::Fulltext
            } else {
                IndexMethod::Spatial
            };
            mysql_add_key(t, explicit(r, &fs.opt_index_name), index);
        }
        TableConstraint::Exclude(ex) => {
            let elements: Vec<ExclusionElement> = ex
                .elements
                .iter()
                .map(|e| ExclusionElement {
                    part: index_part(r, &e.column, t),
                    operator: match &e.operator {
                        ast::ExcludeConstraintOperator::Token(s) => s.clone(),
                        ast::ExcludeConstraintOperator::PGOperator(parts) => {
                            format!("OPERATOR({})", parts.join("."))
                        }
                    },
                })
                .collect();
            let name = match explicit(r, &ex.name) {
                Some(name) => name,
                None => {
                    let names: Vec<String> = ex
                        .elements
                        .iter()
                        .map(|e| pg_part_name_ast(r, &e.column))
                        .collect();
                    let addition = postgres::name_addition(&names);
                    postgres::choose_name(&t.name, Some(&addition), "excl", |n| {
                        pg_taken(r, schema, t, n)
                    })
                }
            };
            r.names.add(schema, &name);
            t.exclusions.insert(
                name.clone(),
                Exclusion {
                    name,
                    method: ex
                        .index_method
                        .as_ref()
                        .map(|m| IndexMethod::from_name(&m.value))
                        .unwrap_or_default(),
                    elements,
                    include: ex.include.iter().map(|i| r.ident(i)).collect(),
                    predicate: ex.where_clause.as_ref().map(|w| r.expr(w)),
                    deferrable: deferrable(&ex.characteristics),
                    comment: None,
                },
            );
        }
        TableConstraint::PrimaryKeyUsingIndex(using) | TableConstraint::UniqueUsingIndex(using) => {
            let index_name = r.ident(&using.index_name);
            let Some(index) = t.indexes.remove(&index_name) else {
                return Err(invalid(
                    loc,
                    format!("index \"{index_name}\" does not exist"),
                ));
            };
            let name = explicit(r, &using.name).unwrap_or(index_name);
            let columns = part_column_names(&index.parts);
            r.names.add(schema, &name);
            if matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_)) {
                for c in &columns {
                    if let Some(col) = t.column_mut(c) {
                        col.nullable = false;
                    }
                }
                t.primary_key = Some(PrimaryKey {
                    name,
                    columns,
                    include: index.include,
                    deferrable: deferrable(&using.characteristics),
                    comment: index.comment,
                });
            } else {
                t.uniques.insert(
                    name.clone(),
                    UniqueConstraint {
                        name,
                        columns,
                        include: index.include,
                        nulls_not_distinct: index.nulls_not_distinct,
                        deferrable: deferrable(&using.characteristics),
                        comment: index.comment,
                    },
                );
            }
        }
    }
    Ok(())
}

/// The table a name refers to (or would be). SQLite matches table names
/// case-insensitively.
pub(crate) fn find_table(r: &Replay, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
    let qn = r.resolve_table(name, loc)?;
    if r.dialect != Dialect::Sqlite || r.realm.table(&qn).is_some() {
        return Ok(qn);
    }
    let found = r
        .realm
        .schema(&qn.schema)
        .and_then(|s| s.tables.keys().find(|k| k.eq_ignore_ascii_case(&qn.name)))
        .cloned();
    Ok(match found {
        Some(name) => QualifiedName::new(qn.schema, name),
        None => qn,
    })
}

/// A column name as the table spells it: MySQL and SQLite match column names
/// case-insensitively.
pub(crate) fn column_name(r: &Replay, t: &Table, ident: &Ident) -> String {
    let name = r.ident(ident);
    if r.dialect == Dialect::Postgres || t.column(&name).is_some() {
        return name;
    }
    t.columns
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(&name))
        .map_or(name, |c| c.name.clone())
}

/// Takes a table out of the realm to change it.
fn detach(r: &mut Replay, qn: &QualifiedName) -> Option<Table> {
    r.realm.schemas.get_mut(&qn.schema)?.tables.remove(&qn.name)
}

fn attach(r: &mut Replay, qn: &QualifiedName, t: Table) {
    r.realm
        .schema_mut(&qn.schema)
        .tables
        .insert(qn.name.clone(), t);
}

/// `ALTER TABLE`.
pub(crate) fn alter_table(r: &mut Replay, a: &AlterTable, loc: &Location) -> Result<Outcome> {
    let qn = find_table(r, &a.name, loc)?;
    // ALTER TABLE (and ALTER FOREIGN TABLE) also reaches views and sequences; ownership is never modelled.
    if !a.operations.is_empty()
        && a.operations
            .iter()
            .all(|op| matches!(op, AlterTableOperation::OwnerTo { .. }))
    {
        return Ok(Outcome::Ignored(
            "ownership is not part of the schema model".to_owned(),
        ));
    }
    if a.table_type.is_some() {
        return Err(unsupported(
            loc,
            "ALTER of a foreign, external or dynamic table",
        ));
    }
    let Some(original) = detach(r, &qn) else {
        if a.if_exists {
            return Ok(Outcome::Ignored(format!(
                "table \"{qn}\" does not exist, skipping"
            )));
        }
        return Err(no_table(r.dialect, loc, &qn));
    };
    // Only a lenient load goes on after a failed statement, and needs the table as it
    // was; a strict load stops, so the copy would be wasted.
    let backup = r.lenient.then(|| original.clone());
    let mut t = original;
    let mut current = qn.clone();
    let mut ignored = Vec::new();
    let mut applied = false;
    let mut result = Ok(());
    for op in &a.operations {
        match alter_operation(r, &mut current, &mut t, op, loc) {
            Ok(Some(reason)) => ignored.push(reason),
            Ok(None) => applied = true,
            Err(error) => {
                result = Err(error);
                break;
            }
        }
    }
    match result {
        Ok(()) => {
            if current != qn {
                rename_references(r, &qn, &current);
            }
            // Without ONLY, keys added to a partitioned table reach its partitions.
            let keys_added = a.operations.iter().any(|op| {
                matches!(
                    op,
                    AlterTableOperation::AddConstraint {
                        constraint: TableConstraint::PrimaryKey(_) | TableConstraint::Unique(_),
                        ..
                    }
                )
            });
            if keys_added && !a.only && t.partition_by.is_some() {
                for child in partitions_of(r, &current) {
                    attach_keys(r, &current, &t, &child);
                }
            }
            attach(r, &current, t);
            if applied || ignored.is_empty() {
                Ok(Outcome::Applied)
            } else {
                Ok(Outcome::Ignored(ignored.join("; ")))
            }
        }
        Err(error) => {
            attach(r, &qn, backup.unwrap_or(t));
            Err(error)
        }
    }
}

fn no_table(dialect: Dialect, loc: &Location, qn: &QualifiedName) -> crate::LoadError {
    match dialect {
        Dialect::Mysql => invalid(loc, format!("Table '{}' doesn't exist", qn.name)),
        Dialect::Sqlite => invalid(loc, format!("no such table: {}", qn.name)),
        Dialect::Postgres => invalid(loc, format!("relation \"{qn}\" does not exist")),
    }
}

fn no_column(loc: &Location, qn: &QualifiedName, column: &str) -> crate::LoadError {
    invalid(loc, format!("table \"{qn}\" has no column \"{column}\""))
}

/// Applies one ALTER TABLE operation; `Some(reason)` when it changes nothing modelled.
fn alter_operation(
    r: &mut Replay,
    qn: &mut QualifiedName,
    t: &mut Table,
    op: &AlterTableOperation,
    loc: &Location,
) -> Result<Option<String>> {
    let schema = qn.schema.clone();
    let mut build = Build::default();
    match op {
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => {
            add_constraint(r, &schema, t, constraint, None, *not_valid, &mut build, loc)?;
            let pk_added = matches!(constraint, TableConstraint::PrimaryKey(_));
            if pk_added {
                fill_self_references(qn, t);
            }
        }
        AlterTableOperation::AddColumn {
            if_not_exists,
            column_def,
            column_position,
            ..
        } => {
            let name = r.ident(&column_def.name);
            if t.column(&name).is_some() {
                if *if_not_exists {
                    return Ok(Some(format!(
                        "column \"{name}\" of relation \"{qn}\" already exists, skipping"
                    )));
                }
                return Err(invalid(
                    loc,
                    format!("column \"{name}\" of relation \"{qn}\" already exists"),
                ));
            }
            let strict = t.options.strict;
            let mut pending = Vec::new();
            let column = column_from_def(
                r,
                &schema,
                t,
                column_def,
                strict,
                &mut build,
                &mut pending,
                loc,
            )?;
            insert_column(t, column, column_position.as_ref(), r, loc, qn)?;
            for (constraint, column) in &pending {
                add_constraint(
                    r,
                    &schema,
                    t,
                    constraint,
                    column.as_deref(),
                    false,
                    &mut build,
                    loc,
                )?;
            }
        }
        AlterTableOperation::DropColumn {
            column_names,
            if_exists,
            drop_behavior,
            ..
        } => {
            let cascade = matches!(drop_behavior, Some(ast::DropBehavior::Cascade));
            for ident in column_names {
                let name = column_name(r, t, ident);
                if t.column(&name).is_none() {
                    if *if_exists {
                        return Ok(Some(format!(
                            "column \"{name}\" of relation \"{qn}\" does not exist, skipping"
                        )));
                    }
                    return Err(no_column(loc, qn, &name));
                }
                if r.dialect == Dialect::Postgres
                    && !cascade
                    && let Some((other, fk)) = referencing_fk(r, qn, &name)
                {
                    return Err(invalid(
                        loc,
                        format!(
                            "cannot drop column {name} of table {qn} because other objects depend on it: constraint {fk} on table {other} (use CASCADE)"
                        ),
                    ));
                }
                drop_column(r, qn, t, &name);
            }
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = column_name(r, t, old_column_name);
            let new = r.ident(new_column_name);
            rename_column(r, qn, t, &old, &new, loc)?;
            if r.dialect == Dialect::Sqlite {
                let table_name = t.name.clone();
                sqlite::rederive_names(t, &table_name, |c| {
                    if c == new { old.clone() } else { c.to_owned() }
                });
            }
        }
        AlterTableOperation::RenameTable { table_name } => {
            let name = match table_name {
                ast::RenameTableNameKind::To(n) | ast::RenameTableNameKind::As(n) => n,
            };
            let parts = r.name_parts(name);
            let new_name = parts.last().cloned().unwrap_or_default();
            let new_schema = match (r.dialect, parts.as_slice()) {
                (Dialect::Mysql, [.., schema, _]) => schema.clone(),
                _ => qn.schema.clone(),
            };
            let new_qn = QualifiedName::new(new_schema, new_name.clone());
            if r.realm.table(&new_qn).is_some() {
                return Err(invalid(
                    loc,
                    format!("relation \"{new_qn}\" already exists"),
                ));
            }
            let old_name = std::mem::replace(&mut t.name, new_name.clone());
            if r.dialect == Dialect::Sqlite {
                sqlite::rename_autoindexes(t, &old_name, &new_name);
                sqlite::rederive_names(t, &old_name, str::to_owned);
            }
            *qn = new_qn;
        }
        AlterTableOperation::AlterColumn {
            column_name: column,
            op,
        } => {
            let name = column_name(r, t, column);
            alter_column(r, qn, t, &name, op, loc)?;
        }
        AlterTableOperation::ChangeColumn {
            old_name,
            new_name,
            data_type,
            options,
            column_position,
        } => {
            let old = column_name(r, t, old_name);
            let new = r.ident(new_name);
            if t.column(&old).is_none() {
                return Err(no_column(loc, qn, &old));
            }
            if old != new {
                rename_column(r, qn, t, &old, &new, loc)?;
            }
            redefine_column(
                r,
                &schema,
                t,
                new_name,
                data_type,
                options,
                column_position.as_ref(),
                loc,
                qn,
            )?;
        }
        AlterTableOperation::ModifyColumn {
            col_name,
            data_type,
            options,
            column_position,
        } => {
            let name = column_name(r, t, col_name);
            if t.column(&name).is_none() {
                return Err(no_column(loc, qn, &name));
            }
            redefine_column(
                r,
                &schema,
                t,
                col_name,
                data_type,
                options,
                column_position.as_ref(),
                loc,
                qn,
            )?;
        }
        AlterTableOperation::DropConstraint {
            if_exists,
            name,
            drop_behavior,
        } => {
            let name = r.ident(name);
            let cascade = matches!(drop_behavior, Some(ast::DropBehavior::Cascade));
            if !drop_constraint(r, qn, t, &name, cascade) {
                if *if_exists {
                    return Ok(Some(format!(
                        "constraint \"{name}\" of relation \"{qn}\" does not exist, skipping"
                    )));
                }
                return Err(invalid(
                    loc,
                    format!("constraint \"{name}\" of relation \"{qn}\" does not exist"),
                ));
            }
        }
        AlterTableOperation::DropPrimaryKey { .. } => {
            if t.primary_key.take().is_none() {
                return Err(invalid(
                    loc,
                    format!("Can't DROP 'PRIMARY' of table \"{qn}\"; check that it exists"),
                ));
            }
        }
        AlterTableOperation::DropForeignKey { name, .. } => {
            let name = r.ident(name);
            if t.foreign_keys.remove(&name).is_none() {
                return Err(invalid(
                    loc,
                    format!(
                        "Can't DROP FOREIGN KEY `{name}` of table \"{qn}\"; check that it exists"
                    ),
                ));
            }
        }
        AlterTableOperation::DropIndex { name } => {
            let name = r.ident(name);
            if name.eq_ignore_ascii_case("PRIMARY") && t.primary_key.is_some() {
                t.primary_key = None;
            } else if t.indexes.remove(&name).is_none() && t.uniques.remove(&name).is_none() {
                return Err(invalid(
                    loc,
                    format!("Can't DROP INDEX `{name}` of table \"{qn}\"; check that it exists"),
                ));
            }
        }
        AlterTableOperation::ValidateConstraint { name } => {
            let name = r.ident(name);
            if let Some(fk) = t.foreign_keys.get_mut(&name) {
                fk.not_valid = false;
            } else if let Some(check) = t.checks.get_mut(&name) {
                check.not_valid = false;
            } else if !t.has_constraint_or_index(&name) {
                return Err(invalid(
                    loc,
                    format!("constraint \"{name}\" of relation \"{qn}\" does not exist"),
                ));
            }
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            let old = r.ident(old_name);
            let new = r.ident(new_name);
            if !rename_constraint(t, &old, &new) {
                return Err(invalid(
                    loc,
                    format!("constraint \"{old}\" for table \"{qn}\" does not exist"),
                ));
            }
            r.names.add(&schema, &new);
        }
        AlterTableOperation::EnableRowLevelSecurity => t.row_security = true,
        AlterTableOperation::DisableRowLevelSecurity => t.row_security = false,
        AlterTableOperation::ForceRowLevelSecurity => t.force_row_security = true,
        AlterTableOperation::NoForceRowLevelSecurity => t.force_row_security = false,
        AlterTableOperation::AttachPartitionOf {
            partition,
            for_values,
        } => {
            let child = find_table(r, partition, loc)?;
            let bound = partition_bound(r, for_values, &partition_key_types(t));
            let parent = qn.clone();
            r.table_mut(&child, loc)?.partition_of = Some(PartitionOf { parent, bound });
            attach_keys(r, qn, t, &child);
        }
        AlterTableOperation::DetachPartitionOf { partition, .. } => {
            let child = find_table(r, partition, loc)?;
            let inherited = r.inherited.remove(&child);
            let table = r.table_mut(&child, loc)?;
            table.partition_of = None;
            // What the partition held from its parent is its own now.
            if let Some(inherited) = inherited {
                inherited.restore(table);
            }
        }
        AlterTableOperation::OwnerTo { .. } => {
            return Ok(Some("ownership is not part of the schema model".to_owned()));
        }
        AlterTableOperation::ReplicaIdentity { .. } => {
            return Ok(Some(
                "replica identity is not part of the schema model".to_owned(),
            ));
        }
        AlterTableOperation::EnableTrigger { name }
        | AlterTableOperation::EnableAlwaysTrigger { name }
        | AlterTableOperation::EnableReplicaTrigger { name } => {
            set_trigger_enabled(r, qn, t, name, true, loc)?;
        }
        AlterTableOperation::DisableTrigger { name } => {
            set_trigger_enabled(r, qn, t, name, false, loc)?;
        }
        AlterTableOperation::EnableRule { .. }
        | AlterTableOperation::DisableRule { .. }
        | AlterTableOperation::EnableAlwaysRule { .. }
        | AlterTableOperation::EnableReplicaRule { .. } => {
            return Ok(Some(
                "rule state is not part of the schema model".to_owned(),
            ));
        }
        AlterTableOperation::SetLogged => t.options.unlogged = false,
        AlterTableOperation::SetUnlogged => t.options.unlogged = true,
        AlterTableOperation::SetOptionsParens { options } => storage_parameters(t, options),
        AlterTableOperation::ResetOptions { options } => {
            for option in options {
                t.options
                    .storage_parameters
                    .remove(&option.to_string().to_lowercase());
            }
        }
        // AUTO_INCREMENT=n, ALGORITHM and LOCK say how to run the statement or where a
        // counter stands: nothing the schema holds.
        AlterTableOperation::AutoIncrement { .. }
        | AlterTableOperation::Algorithm { .. }
        | AlterTableOperation::Lock { .. } => {}
        AlterTableOperation::Inherit { parent } => {
            let parent = find_table(r, parent, loc)?;
            if !t.inherits.contains(&parent) {
                t.inherits.push(parent);
            }
        }
        AlterTableOperation::NoInherit { parent } => {
            let parent = find_table(r, parent, loc)?;
            t.inherits.retain(|p| *p != parent);
        }
        AlterTableOperation::SetTblProperties { table_properties }
            if r.dialect == Dialect::Mysql =>
        {
            for option in table_properties {
                mysql_table_option(t, option);
            }
        }
        other => {
            return Err(unsupported(loc, format!("ALTER TABLE ... {other}")));
        }
    }
    Ok(None)
}

fn set_trigger_enabled(
    r: &Replay,
    qn: &QualifiedName,
    t: &mut Table,
    name: &Ident,
    enabled: bool,
    loc: &Location,
) -> Result<()> {
    let folded = r.ident(name);
    if name.quote_style.is_none()
        && (name.value.eq_ignore_ascii_case("all") || name.value.eq_ignore_ascii_case("user"))
    {
        for trigger in t.triggers.values_mut() {
            trigger.enabled = enabled;
        }
        return Ok(());
    }
    match t.triggers.get_mut(&folded) {
        Some(trigger) => {
            trigger.enabled = enabled;
            Ok(())
        }
        None => Err(invalid(
            loc,
            format!("trigger \"{folded}\" for table \"{qn}\" does not exist"),
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_column(
    t: &mut Table,
    column: Column,
    position: Option<&ast::MySQLColumnPosition>,
    r: &Replay,
    loc: &Location,
    qn: &QualifiedName,
) -> Result<()> {
    match position {
        None => t.columns.push(column),
        Some(ast::MySQLColumnPosition::First) => t.columns.insert(0, column),
        Some(ast::MySQLColumnPosition::After(after)) => {
            let after = column_name(r, t, after);
            let Some(at) = t.columns.iter().position(|c| c.name == after) else {
                return Err(no_column(loc, qn, &after));
            };
            t.columns.insert(at + 1, column);
        }
    }
    Ok(())
}

/// MySQL `CHANGE` / `MODIFY`: the column's definition is replaced whole.
#[allow(clippy::too_many_arguments)]
fn redefine_column(
    r: &mut Replay,
    schema: &str,
    t: &mut Table,
    name: &Ident,
    data_type: &ast::DataType,
    options: &[ColumnOption],
    position: Option<&ast::MySQLColumnPosition>,
    loc: &Location,
    qn: &QualifiedName,
) -> Result<()> {
    let def = ColumnDef {
        name: name.clone(),
        data_type: data_type.clone(),
        options: options
            .iter()
            .map(|o| ast::ColumnOptionDef {
                name: None,
                option: o.clone(),
            })
            .collect(),
    };
    let mut build = Build::default();
    let mut pending = Vec::new();
    let strict = t.options.strict;
    let mut column = column_from_def(r, schema, t, &def, strict, &mut build, &mut pending, loc)?;
    let Some(at) = t.columns.iter().position(|c| c.name == column.name) else {
        return Err(no_column(loc, qn, &column.name));
    };
    let old = t.columns.remove(at);
    column.privileges = old.privileges;
    // A MariaDB column-level CHECK belongs to the column definition, which this
    // statement replaces whole.
    t.checks.remove(&column.name);
    if t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&column.name))
    {
        column.nullable = false;
    }
    match position {
        None => t.columns.insert(at, column),
        Some(_) => insert_column(t, column, position, r, loc, qn)?,
    }
    for (constraint, column) in &pending {
        add_constraint(
            r,
            schema,
            t,
            constraint,
            column.as_deref(),
            false,
            &mut build,
            loc,
        )?;
    }
    Ok(())
}

fn alter_column(
    r: &mut Replay,
    qn: &QualifiedName,
    t: &mut Table,
    name: &str,
    op: &AlterColumnOperation,
    loc: &Location,
) -> Result<()> {
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == name));
    let Some(at) = t.columns.iter().position(|c| c.name == name) else {
        return Err(no_column(loc, qn, name));
    };
    let data_type = t
        .columns
        .get(at)
        .map(|c| c.data_type.clone())
        .unwrap_or(DataType::Text);
    let default = match op {
        AlterColumnOperation::SetDefault { value } => Some(default_expr(r, value, &data_type)),
        _ => None,
    };
    let new_type = match op {
        AlterColumnOperation::SetDataType { data_type, .. } => {
            let mut ty = data_type;
            let mut collation = None;
            if let ast::DataType::Collate(inner, coll) = ty {
                collation = Some(r.collation_name(coll));
                ty = inner;
            }
            let (mapped, unsigned) = r.data_type_at(ty, loc)?;
            Some((mapped, unsigned, collation))
        }
        _ => None,
    };
    let identity = match op {
        AlterColumnOperation::AddGenerated {
            generated_as,
            sequence_options,
        } => Some(Identity {
            always: matches!(generated_as, Some(ast::GeneratedAs::Always)),
            sequence: sequence_options_of(
                r,
                &data_type,
                sequence_options.as_deref().unwrap_or_default(),
                loc,
            )?,
        }),
        _ => None,
    };
    let Some(column) = t.columns.get_mut(at) else {
        return Err(no_column(loc, qn, name));
    };
    match op {
        AlterColumnOperation::SetNotNull => column.nullable = false,
        AlterColumnOperation::DropNotNull => {
            if in_pk && r.dialect == Dialect::Postgres {
                return Err(invalid(
                    loc,
                    format!("column \"{name}\" of table \"{qn}\" is in a primary key"),
                ));
            }
            column.nullable = true;
        }
        AlterColumnOperation::SetDefault { .. } => column.default = default.flatten(),
        AlterColumnOperation::DropDefault => column.default = None,
        AlterColumnOperation::SetDataType { .. } => {
            if let Some((mapped, unsigned, collation)) = new_type {
                column.data_type = mapped;
                column.unsigned = unsigned;
                if collation.is_some() {
                    column.collation = collation;
                }
                // USING only says how to convert the rows.
            }
        }
        AlterColumnOperation::AddGenerated { .. } => {
            column.identity = identity;
            column.nullable = false;
        }
        AlterColumnOperation::GenericOptions { .. } => {
            return Err(unsupported(loc, "ALTER COLUMN ... OPTIONS"));
        }
    }
    Ok(())
}

/// Drops a column and what only it held up: PostgreSQL and SQLite drop every index and
/// constraint that uses it; MySQL removes it from multi-column indexes and drops the
/// ones left empty.
fn drop_column(r: &mut Replay, qn: &QualifiedName, t: &mut Table, name: &str) {
    t.columns.retain(|c| c.name != name);
    let uses = |columns: &[String]| columns.iter().any(|c| c == name);
    let expr_uses = |r: &Replay, text: &str| expr::referenced_names_in_text(r, text).contains(name);
    let mysql = r.dialect == Dialect::Mysql;
    if t.primary_key.as_ref().is_some_and(|pk| uses(&pk.columns)) {
        if mysql {
            if let Some(pk) = t.primary_key.as_mut() {
                pk.columns.retain(|c| c != name);
                if pk.columns.is_empty() {
                    t.primary_key = None;
                }
            }
        } else {
            t.primary_key = None;
        }
    }
    t.uniques
        .retain(|_, u| !uses(&u.columns) && !uses(&u.include));
    t.foreign_keys.retain(|_, fk| {
        let self_reference = fk.referenced_table == *qn && uses(&fk.referenced_columns);
        !(uses(&fk.columns) || self_reference)
    });
    let checks: Vec<String> = t
        .checks
        .iter()
        .filter(|(_, c)| expr_uses(r, &c.expression))
        .map(|(n, _)| n.clone())
        .collect();
    for check in checks {
        t.checks.remove(&check);
    }
    let part_uses = |r: &Replay, p: &IndexPart| match &p.key {
        IndexKey::Column(c) => c == name,
        IndexKey::Expression(e) => expr_uses(r, e),
    };
    let mut drop_indexes = Vec::new();
    for (index_name, index) in t.indexes.iter_mut() {
        if mysql {
            index.parts.retain(|p| !part_uses(r, p));
            if index.parts.is_empty() {
                drop_indexes.push(index_name.clone());
            }
        } else if index.parts.iter().any(|p| part_uses(r, p))
            || uses(&index.include)
            || index.predicate.as_deref().is_some_and(|p| expr_uses(r, p))
        {
            drop_indexes.push(index_name.clone());
        }
    }
    for index in drop_indexes {
        t.indexes.remove(&index);
    }
    t.exclusions
        .retain(|_, x| !x.elements.iter().any(|e| part_uses(r, &e.part)));
    // PostgreSQL refused above unless CASCADE; MySQL and SQLite drop the keys with it.
    drop_referencing_fks(r, qn, Some(name));
    // The sequence a serial column owns goes with it.
    if let Some(schema) = r.realm.schemas.get_mut(&qn.schema) {
        schema.sequences.retain(|_, s| {
            !s.owned_by
                .as_ref()
                .is_some_and(|o| o.table == *qn && o.column == name)
        });
    }
}

/// A foreign key of another table that references this column: the table and the key.
fn referencing_fk(
    r: &Replay,
    table: &QualifiedName,
    column: &str,
) -> Option<(QualifiedName, String)> {
    r.realm.schemas.values().find_map(|schema| {
        schema.tables.values().find_map(|other| {
            other
                .foreign_keys
                .values()
                .find(|fk| {
                    fk.referenced_table == *table
                        && fk.referenced_columns.iter().any(|c| c == column)
                })
                .map(|fk| {
                    (
                        QualifiedName::new(schema.name.clone(), other.name.clone()),
                        fk.name.clone(),
                    )
                })
        })
    })
}

/// Removes foreign keys of other tables that reference `table` (or only its `column`).
fn drop_referencing_fks(r: &mut Replay, table: &QualifiedName, column: Option<&str>) {
    for schema in r.realm.schemas.values_mut() {
        for other in schema.tables.values_mut() {
            other.foreign_keys.retain(|_, fk| {
                !(fk.referenced_table == *table
                    && column.is_none_or(|c| fk.referenced_columns.iter().any(|rc| rc == c)))
            });
        }
    }
}

fn rename_column(
    r: &mut Replay,
    qn: &QualifiedName,
    t: &mut Table,
    old: &str,
    new: &str,
    loc: &Location,
) -> Result<()> {
    if t.column(old).is_none() {
        return Err(no_column(loc, qn, old));
    }
    if old != new && t.column(new).is_some() {
        return Err(invalid(
            loc,
            format!("column \"{new}\" of relation \"{qn}\" already exists"),
        ));
    }
    let swap = |list: &mut Vec<String>| {
        for c in list.iter_mut() {
            if c == old {
                new.clone_into(c);
            }
        }
    };
    for column in &mut t.columns {
        if column.name == old {
            new.clone_into(&mut column.name);
        }
    }
    if let Some(pk) = t.primary_key.as_mut() {
        swap(&mut pk.columns);
        swap(&mut pk.include);
    }
    for u in t.uniques.values_mut() {
        swap(&mut u.columns);
        swap(&mut u.include);
    }
    for fk in t.foreign_keys.values_mut() {
        swap(&mut fk.columns);
        if fk.referenced_table == *qn {
            swap(&mut fk.referenced_columns);
        }
    }
    let rename_text = |r: &Replay, text: &mut String| {
        *text = expr::rename_column(r, text, old, new);
    };
    for check in t.checks.values_mut() {
        rename_text(r, &mut check.expression);
    }
    for column in &mut t.columns {
        if let Some(g) = column.generated.as_mut() {
            rename_text(r, &mut g.expression);
        }
    }
    let rename_part = |r: &Replay, part: &mut IndexPart| match &mut part.key {
        IndexKey::Column(c) => {
            if c == old {
                new.clone_into(c);
            }
        }
        IndexKey::Expression(e) => rename_text(r, e),
    };
    for index in t.indexes.values_mut() {
        for part in &mut index.parts {
            rename_part(r, part);
        }
        swap(&mut index.include);
        if let Some(p) = index.predicate.as_mut() {
            rename_text(r, p);
        }
    }
    for x in t.exclusions.values_mut() {
        for e in &mut x.elements {
            rename_part(r, &mut e.part);
        }
    }
    for schema in r.realm.schemas.values_mut() {
        for other in schema.tables.values_mut() {
            for fk in other.foreign_keys.values_mut() {
                if fk.referenced_table == *qn {
                    swap(&mut fk.referenced_columns);
                }
            }
        }
        for sequence in schema.sequences.values_mut() {
            if let Some(owner) = sequence.owned_by.as_mut()
                && owner.table == *qn
                && owner.column == old
            {
                new.clone_into(&mut owner.column);
            }
        }
    }
    Ok(())
}

/// Points everything that names `old` at `new`: foreign keys, partitions, inheritance
/// and owned sequences.
fn rename_references(r: &mut Replay, old: &QualifiedName, new: &QualifiedName) {
    if let Some(inherited) = r.inherited.remove(old) {
        r.inherited.insert(new.clone(), inherited);
    }
    for schema in r.realm.schemas.values_mut() {
        for other in schema.tables.values_mut() {
            for fk in other.foreign_keys.values_mut() {
                if fk.referenced_table == *old {
                    fk.referenced_table = new.clone();
                }
            }
            if let Some(p) = other.partition_of.as_mut()
                && p.parent == *old
            {
                p.parent = new.clone();
            }
            for parent in &mut other.inherits {
                if parent == old {
                    *parent = new.clone();
                }
            }
        }
        for sequence in schema.sequences.values_mut() {
            if let Some(owner) = sequence.owned_by.as_mut()
                && owner.table == *old
            {
                owner.table = new.clone();
            }
        }
    }
}

/// Drops a named constraint of any kind; false when the table has none of that name.
fn drop_constraint(
    r: &mut Replay,
    qn: &QualifiedName,
    t: &mut Table,
    name: &str,
    cascade: bool,
) -> bool {
    let key_columns;
    if t.primary_key.as_ref().is_some_and(|pk| pk.name == name) {
        key_columns = t.primary_key.take().map(|pk| pk.columns);
    } else if let Some(u) = t.uniques.remove(name) {
        key_columns = Some(u.columns);
    } else {
        return t.foreign_keys.remove(name).is_some()
            || t.checks.remove(name).is_some()
            || t.exclusions.remove(name).is_some()
            || (r.dialect == Dialect::Mysql && t.indexes.remove(name).is_some());
    }
    if cascade && let Some(columns) = key_columns {
        for schema in r.realm.schemas.values_mut() {
            for other in schema.tables.values_mut() {
                other.foreign_keys.retain(|_, fk| {
                    !(fk.referenced_table == *qn && fk.referenced_columns == columns)
                });
            }
        }
    }
    true
}

fn rename_constraint(t: &mut Table, old: &str, new: &str) -> bool {
    if let Some(pk) = t.primary_key.as_mut()
        && pk.name == old
    {
        new.clone_into(&mut pk.name);
        return true;
    }
    macro_rules! rename_in {
        ($map:expr) => {
            if let Some(mut item) = $map.remove(old) {
                new.clone_into(&mut item.name);
                $map.insert(new.to_owned(), item);
                return true;
            }
        };
    }
    rename_in!(t.uniques);
    rename_in!(t.foreign_keys);
    rename_in!(t.checks);
    rename_in!(t.exclusions);
    false
}

/// MySQL `RENAME TABLE a TO b, c TO d`.
pub(crate) fn rename_tables(
    r: &mut Replay,
    renames: &[RenameTable],
    loc: &Location,
) -> Result<Outcome> {
    for rename in renames {
        let old = find_table(r, &rename.old_name, loc)?;
        let new = r.create_name(&rename.new_name, loc)?;
        if super::objects::relation_taken(r, &new) {
            return Err(invalid(loc, format!("Table '{}' already exists", new.name)));
        }
        // MySQL's RENAME TABLE renames views too.
        let is_view = r.realm.table(&old).is_none()
            && r.realm
                .schema(&old.schema)
                .is_some_and(|s| s.views.contains_key(&old.name));
        if is_view {
            super::objects::views::move_view(r, &old, new, loc)?;
            continue;
        }
        let Some(mut t) = detach(r, &old) else {
            return Err(no_table(r.dialect, loc, &old));
        };
        t.name.clone_from(&new.name);
        rename_references(r, &old, &new);
        attach(r, &new, t);
    }
    Ok(Outcome::Applied)
}

/// `ALTER TABLE [IF EXISTS] name SET SCHEMA schema` (PostgreSQL). The table moves with
/// its columns, keys, indexes and triggers, and so do the sequences its columns own, as
/// the server moves them; what refers to the table or those sequences follows.
pub(crate) fn set_table_schema(
    r: &mut Replay,
    name: &ObjectName,
    schema: String,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let old = find_table(r, name, loc)?;
    if r.realm.table(&old).is_none() {
        if if_exists {
            return Ok(Outcome::Ignored(format!(
                "relation \"{old}\" does not exist, skipping"
            )));
        }
        return Err(no_table(r.dialect, loc, &old));
    }
    if !r.realm.schemas.contains_key(&schema) {
        return Err(super::objects::does_not_exist(loc, "schema", &schema));
    }
    let new = QualifiedName::new(schema, old.name.clone());
    if new == old {
        return Ok(Outcome::Applied);
    }
    if super::objects::relation_taken(r, &new) {
        return Err(super::objects::already_exists(loc, "relation", &new.name));
    }
    let owned: Vec<String> = r
        .realm
        .schema(&old.schema)
        .map(|s| {
            s.sequences
                .values()
                .filter(|q| q.owned_by.as_ref().is_some_and(|o| o.table == old))
                .map(|q| q.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let Some(t) = detach(r, &old) else {
        return Err(no_table(r.dialect, loc, &old));
    };
    attach(r, &new, t);
    rename_references(r, &old, &new);
    for sequence in owned {
        let from = QualifiedName::new(old.schema.clone(), sequence.clone());
        let to = QualifiedName::new(new.schema.clone(), sequence);
        super::objects::sequences::move_sequence(r, &from, to, loc)?;
    }
    Ok(Outcome::Applied)
}

/// After a sequence is renamed or moved: the defaults that call `nextval` on it name
/// it anew, as the server, which keeps the sequence's OID, prints them.
pub(crate) fn sequence_moved(r: &mut Replay, old: &QualifiedName, new: &QualifiedName) {
    let (before, after) = (postgres::nextval(old), postgres::nextval(new));
    for schema in r.realm.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                if let Some(default) = column.default.as_mut()
                    && default.contains(&before)
                {
                    *default = default.replace(&before, &after);
                }
            }
        }
    }
}

/// `DROP TABLE [IF EXISTS] a, b [CASCADE]`.
pub(crate) fn drop_tables(
    r: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    cascade: bool,
    loc: &Location,
) -> Result<Outcome> {
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        let qn = find_table(r, name, loc)?;
        if r.realm.table(&qn).is_some() {
            targets.push(qn);
        } else if if_exists {
            missing.push(qn);
        } else {
            return Err(no_table(r.dialect, loc, &qn));
        }
    }
    if r.dialect == Dialect::Postgres && !cascade && !targets.is_empty() {
        for schema in r.realm.schemas.values() {
            for other in schema.tables.values() {
                let other_qn = QualifiedName::new(schema.name.clone(), other.name.clone());
                if targets.contains(&other_qn) {
                    continue;
                }
                if let Some(fk) = other
                    .foreign_keys
                    .values()
                    .find(|fk| targets.contains(&fk.referenced_table))
                {
                    return Err(invalid(
                        loc,
                        format!(
                            "cannot drop table {} because other objects depend on it: constraint {} on table {other_qn} (use DROP ... CASCADE)",
                            fk.referenced_table, fk.name
                        ),
                    ));
                }
            }
        }
    }
    for qn in &targets {
        detach(r, qn);
        if cascade {
            drop_referencing_fks(r, qn, None);
        }
        if let Some(schema) = r.realm.schemas.get_mut(&qn.schema) {
            schema
                .sequences
                .retain(|_, s| s.owned_by.as_ref().is_none_or(|o| o.table != *qn));
        }
    }
    if targets.is_empty() && !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
        return Ok(Outcome::Ignored(format!(
            "table {} does not exist, skipping",
            list.join(", ")
        )));
    }
    Ok(Outcome::Applied)
}

/// Registers an index name in the schema's shared namespace (PostgreSQL).
pub(crate) fn register_name(r: &mut Replay, schema: &str, name: &str) {
    r.names.add(schema, name);
}

/// Whether a PostgreSQL index or constraint name is taken in the schema.
pub(crate) fn pg_name_taken(r: &Replay, schema: &str, table: &Table, name: &str) -> bool {
    pg_taken(r, schema, table, name)
}

/// A MySQL engine name as the server spells it (for the fallback's `ALTER TABLE ...
/// ENGINE=`).
pub(crate) fn mysql_engine_name(name: &str) -> String {
    engine_name(name)
}
