//! Live inspection of SQLite, and the dev-database loader (an in-memory database).
//!
//! # Where each attribute comes from
//!
//! SQLite's catalog is `sqlite_schema` (type, name, owning table, the `CREATE` text as
//! written) plus the pragmas. Everything the pragmas report is read from them, as
//! table-valued functions joined with `pragma_table_list`, so that one query reads an
//! object kind for every table of a schema:
//!
//! | attribute | source |
//! | --- | --- |
//! | tables, `WITHOUT ROWID`, `STRICT`, virtual and shadow tables | `pragma_table_list` (`type`, `wr`, `strict`) |
//! | columns, their order, declared type (reduced to its affinity), `NOT NULL`, default text | `pragma_table_xinfo` (`name`, `type`, `notnull`, `dflt_value`) |
//! | primary key columns and their order | `pragma_table_xinfo.pk` |
//! | generated columns, `STORED` or `VIRTUAL` | `pragma_table_xinfo.hidden` (3 or 2) |
//! | unique constraints and their columns, `sqlite_autoindex_*` names | `pragma_index_list` (origin `u`) and `pragma_index_xinfo` |
//! | indexes: name, `UNIQUE`, partial or not, key columns, order, collation | `pragma_index_list` (origin `c`) and `pragma_index_xinfo` (`cid`, `desc`, `coll`, `key`) |
//! | foreign keys: columns, referenced table and columns, actions, `MATCH` | `pragma_foreign_key_list` |
//!
//! The pragmas do not report the rest, so it is read from the stored `sql` text, with a
//! small scanner over sqlparser's tokens (not with the offline loader's statement
//! handlers, so that the two readings check each other):
//!
//! - from `CREATE TABLE`: check constraints, generated expressions, constraint names
//!   (of unique constraints, foreign keys and checks), `AUTOINCREMENT`, column
//!   `COLLATE`, foreign keys' `DEFERRABLE`;
//! - from `CREATE INDEX`: the text of expression key parts and of a partial index's
//!   `WHERE`, and whether a key part's collation was written (`coll` shows the
//!   collation in effect, which a column may have brought along).
//!
//! Views, triggers and virtual tables are their `CREATE` text and nothing else in
//! SQLite; their stored text is read by the offline loader's own handlers for that
//! statement, so that they are described exactly as the offline loader describes them.
//!
//! Expression text (defaults, checks, generated columns, index expressions and
//! predicates) goes through [`super::canonical_expression`]. Unnamed foreign keys and
//! checks get the names the offline loader gives them (see `offline::sqlite`), chosen
//! in declaration order.
//!
//! # Queries
//!
//! Per schema read: one for `sqlite_schema` with `pragma_table_list`, one for columns,
//! one for indexes, one for index columns and one for foreign keys: five, whatever the
//! number of tables. Naming schemas other than `main` in [`InspectOptions::schemas`]
//! adds one query for `pragma_database_list`.

use super::{InspectError, InspectOptions};
use crate::{LoadOptions, Source};
use schema_model::{
    Check, Column, DataType, Deferrable, Dialect, ForeignKey, Generated, Index, IndexKey,
    IndexPart, MatchType, PrimaryKey, QualifiedName, Realm, ReferentialAction, Table,
    UniqueConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::tokenizer::{Token, Tokenizer};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

/// Inspects the database a connection (or pool) reaches: `main`, or the attached
/// schemas [`InspectOptions::schemas`] names.
pub async fn inspect<'c, A>(conn: A, options: &InspectOptions) -> Result<Realm, InspectError>
where
    A: sqlx::Acquire<'c, Database = sqlx::Sqlite>,
{
    let mut conn = conn
        .acquire()
        .await
        .map_err(|e| query_error("a connection", &e))?;
    inspect_connection(&mut conn, options).await
}

/// [`inspect`] on a connection in hand. Not generic, so that the futures of
/// [`inspect_url`] and [`load_dev`] (and the migration runner's) are `Send` and callers
/// can spawn them.
pub async fn inspect_connection(
    conn: &mut SqliteConnection,
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let schemas = schemas_to_read(conn, options).await?;
    let mut realm = Realm::new(Dialect::Sqlite);
    for schema in &schemas {
        read_schema(conn, schema, options, &mut realm).await?;
    }
    realm.normalize();
    Ok(realm)
}

/// Connects to the URL and inspects that database. A file is opened read-only and
/// never created: a missing file is a [`InspectError::Connect`] naming its path.
/// `sqlite::memory:` inspects a new, empty database.
pub async fn inspect_url(url: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    let connect = SqliteConnectOptions::from_str(url).map_err(|e| InspectError::Url {
        url: super::redact_url(url),
        message: e.to_string(),
    })?;
    let memory = is_memory_url(url);
    let target = if memory {
        ":memory:".to_owned()
    } else {
        connect.get_filename().display().to_string()
    };
    let connect = if memory {
        connect
    } else {
        if !connect.get_filename().is_file() {
            return Err(InspectError::Connect {
                target,
                message: "no such database file".to_owned(),
            });
        }
        connect.read_only(true).create_if_missing(false)
    };
    let mut conn = connect.connect().await.map_err(|e| InspectError::Connect {
        target: target.clone(),
        message: driver_message(&e),
    })?;
    tracing::debug!(%target, "inspecting SQLite database");
    let realm = inspect_connection(&mut conn, options).await;
    close(conn).await;
    realm
}

/// Applies the sources, statement by statement, to a new in-memory database of its own
/// and inspects it. The URL only has to be a `sqlite:` one: whatever file it names, the
/// statements never go there. Foreign keys are not enforced while applying, as in a
/// plain `sqlite3` session, so data may come in any order.
pub async fn load_dev(
    url: &str,
    sources: &[Source],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    if super::url_dialect(url)? != Dialect::Sqlite {
        return Err(InspectError::Url {
            url: super::redact_url(url),
            message: "expected a sqlite: URL".to_owned(),
        });
    }
    let statements = super::statements(sources, Dialect::Sqlite)?;
    // One connection to a private `:memory:` database: a pool would give each of its
    // connections a database of its own.
    let connect = SqliteConnectOptions::new()
        .filename(":memory:")
        .foreign_keys(false);
    let mut conn = connect.connect().await.map_err(|e| InspectError::Scratch {
        database: ":memory:".to_owned(),
        message: driver_message(&e),
    })?;
    let result = apply_and_inspect(&mut conn, statements, options).await;
    close(conn).await;
    result
}

async fn apply_and_inspect(
    conn: &mut SqliteConnection,
    statements: Vec<(crate::Location, String)>,
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    tracing::debug!(count = statements.len(), "applying statements to :memory:");
    for (location, text) in statements {
        if let Err(e) = sqlx::raw_sql(AssertSqlSafe(text)).execute(&mut *conn).await {
            return Err(InspectError::Apply {
                location,
                message: driver_message(&e),
            });
        }
    }
    inspect_connection(conn, options).await
}

/// Row counts per table of `main` (see [`super::table_rows`]): `sqlite_stat1`'s where
/// `ANALYZE` wrote one, and 0 for the other tables that hold no row (one query for all
/// of them, per 400 tables). Virtual and shadow tables are left out.
pub async fn table_rows(
    conn: &mut SqliteConnection,
) -> Result<BTreeMap<QualifiedName, u64>, InspectError> {
    let tables: Vec<(String,)> = sqlx::query_as(
        // Virtual and shadow tables are not the user's to migrate, as the inspector has it.
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| query_error("tables", &e))?;
    let mut out = BTreeMap::new();
    let has_stat: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
    )
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| query_error("sqlite_stat1", &e))?;
    if has_stat.is_some() {
        let stats: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT tbl, stat FROM sqlite_stat1")
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| query_error("sqlite_stat1", &e))?;
        let listed: HashSet<&str> = tables.iter().map(|(name,)| name.as_str()).collect();
        for (table, stat) in stats {
            if !listed.contains(table.as_str()) {
                continue;
            }
            // The first number of every line is the table's row count.
            let Some(rows) = stat
                .as_deref()
                .and_then(|s| s.split_whitespace().next())
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            out.insert(QualifiedName::new("main", table), rows);
        }
    }
    let unknown: Vec<&String> = tables
        .iter()
        .map(|(name,)| name)
        .filter(|name| !out.contains_key(&QualifiedName::new("main", name.as_str())))
        .collect();
    // One statement for all of them: whether each holds any row, without counting.
    for chunk in unknown.chunks(400) {
        let sql = chunk
            .iter()
            .map(|name| {
                format!(
                    "SELECT {}, EXISTS (SELECT 1 FROM main.{})",
                    quote_literal(name),
                    quote(name)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<(String, bool)> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| query_error("table sizes", &e))?;
        for (name, any) in rows {
            if !any {
                out.insert(QualifiedName::new("main", name), 0);
            }
        }
    }
    Ok(out)
}

/// Connects to the URL (read-only) and reads [`table_rows`].
pub async fn table_rows_url(url: &str) -> Result<BTreeMap<QualifiedName, u64>, InspectError> {
    let connect = SqliteConnectOptions::from_str(url).map_err(|e| InspectError::Url {
        url: super::redact_url(url),
        message: e.to_string(),
    })?;
    let target = connect.get_filename().display().to_string();
    let connect = if is_memory_url(url) {
        connect
    } else {
        connect.read_only(true).create_if_missing(false)
    };
    let mut conn = connect.connect().await.map_err(|e| InspectError::Connect {
        target,
        message: driver_message(&e),
    })?;
    let rows = table_rows(&mut conn).await;
    close(conn).await;
    rows
}

/// A string literal in SQL text: single quotes, doubled inside.
fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn close(conn: SqliteConnection) {
    if let Err(e) = conn.close().await {
        tracing::warn!(error = %e, "closing the SQLite connection failed");
    }
}

fn is_memory_url(url: &str) -> bool {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    rest.is_empty() || rest.starts_with(":memory:") || rest.contains("mode=memory")
}

/// SQLite's own message for a database error, the driver's text otherwise.
fn driver_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

fn query_error(object: &str, e: &sqlx::Error) -> InspectError {
    InspectError::Query {
        object: object.to_owned(),
        message: driver_message(e),
    }
}

/// `main` unless the options name schemas; named schemas must be attached.
async fn schemas_to_read(
    conn: &mut SqliteConnection,
    options: &InspectOptions,
) -> Result<Vec<String>, InspectError> {
    if options.schemas.is_empty() {
        return Ok(vec!["main".to_owned()]);
    }
    let rows = sqlx::query("SELECT name FROM pragma_database_list ORDER BY seq")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| query_error("attached databases", &e))?;
    let attached: Vec<String> = rows
        .iter()
        .map(|row| text(row, 0))
        .collect::<Result<_, _>>()?;
    options
        .schemas
        .iter()
        .map(|wanted| {
            attached
                .iter()
                .find(|name| name.eq_ignore_ascii_case(wanted))
                .cloned()
                .ok_or_else(|| InspectError::Unreadable {
                    object: format!("schema {wanted}"),
                    message: format!(
                        "no such attached database (attached: {})",
                        attached.join(", ")
                    ),
                })
        })
        .collect()
}

fn text(row: &SqliteRow, index: usize) -> Result<String, InspectError> {
    Ok(opt_text(row, index)?.unwrap_or_default())
}

fn opt_text(row: &SqliteRow, index: usize) -> Result<Option<String>, InspectError> {
    row.try_get::<Option<String>, _>(index)
        .map_err(|e| InspectError::Query {
            object: "a catalog row".to_owned(),
            message: e.to_string(),
        })
}

fn int(row: &SqliteRow, index: usize) -> Result<i64, InspectError> {
    row.try_get::<Option<i64>, _>(index)
        .map(Option::unwrap_or_default)
        .map_err(|e| InspectError::Query {
            object: "a catalog row".to_owned(),
            message: e.to_string(),
        })
}

/// One row of `sqlite_schema`, with `pragma_table_list`'s view of it.
struct CatalogObject {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
    /// `pragma_table_list.type`: `table`, `view`, `virtual` or `shadow`.
    list_type: Option<String>,
    without_rowid: bool,
    strict: bool,
}

/// One row of `pragma_table_xinfo`.
struct ColumnRow {
    name: String,
    declared_type: String,
    not_null: bool,
    default: Option<String>,
    pk: i64,
    hidden: i64,
}

/// One row of `pragma_index_list`.
struct IndexRow {
    name: String,
    unique: bool,
    origin: String,
    partial: bool,
}

/// One row of `pragma_index_xinfo`.
struct IndexColumnRow {
    cid: i64,
    name: Option<String>,
    descending: bool,
    collation: Option<String>,
    key: bool,
}

/// One row of `pragma_foreign_key_list`.
struct ForeignKeyRow {
    id: i64,
    table: String,
    from: String,
    to: Option<String>,
    on_update: String,
    on_delete: String,
    match_type: String,
}

/// What the five catalog queries return for one schema, by table.
#[derive(Default)]
struct Catalog {
    objects: Vec<CatalogObject>,
    columns: BTreeMap<String, Vec<ColumnRow>>,
    indexes: BTreeMap<String, Vec<IndexRow>>,
    index_columns: BTreeMap<String, Vec<IndexColumnRow>>,
    foreign_keys: BTreeMap<String, Vec<ForeignKeyRow>>,
}

use schema_model::quote::sqlite::quote_ident as quote;

async fn read_catalog(conn: &mut SqliteConnection, schema: &str) -> Result<Catalog, InspectError> {
    let mut catalog = Catalog::default();
    // The schema's own `sqlite_schema` cannot be a bound parameter; its name is quoted.
    let objects_sql = format!(
        "SELECT m.type, m.name, m.tbl_name, m.sql, tl.type, tl.wr, tl.strict \
         FROM {}.sqlite_schema m \
         LEFT JOIN pragma_table_list tl ON tl.schema = ?1 AND tl.name = m.name \
         ORDER BY m.rowid",
        quote(schema)
    );
    for row in fetch(conn, AssertSqlSafe(objects_sql), schema, "sqlite_schema").await? {
        catalog.objects.push(CatalogObject {
            kind: text(&row, 0)?,
            name: text(&row, 1)?,
            table: text(&row, 2)?,
            sql: opt_text(&row, 3)?,
            list_type: opt_text(&row, 4)?,
            without_rowid: int(&row, 5)? != 0,
            strict: int(&row, 6)? != 0,
        });
    }
    // Only ordinary tables: a virtual table's columns come from its module, which may
    // not be loaded here, and shadow tables belong to their virtual table.
    const COLUMNS: &str = "SELECT tl.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
         FROM pragma_table_list tl JOIN pragma_table_xinfo(tl.name, tl.schema) p \
         WHERE tl.schema = ?1 AND tl.type = 'table' ORDER BY tl.name, p.cid";
    for row in fetch(conn, COLUMNS, schema, "columns").await? {
        catalog
            .columns
            .entry(text(&row, 0)?)
            .or_default()
            .push(ColumnRow {
                name: text(&row, 1)?,
                declared_type: text(&row, 2)?,
                not_null: int(&row, 3)? != 0,
                default: opt_text(&row, 4)?,
                pk: int(&row, 5)?,
                hidden: int(&row, 6)?,
            });
    }
    const INDEXES: &str = "SELECT tl.name, il.name, il.\"unique\", il.origin, il.partial \
         FROM pragma_table_list tl JOIN pragma_index_list(tl.name, tl.schema) il \
         WHERE tl.schema = ?1 AND tl.type = 'table' ORDER BY tl.name, il.name";
    for row in fetch(conn, INDEXES, schema, "indexes").await? {
        catalog
            .indexes
            .entry(text(&row, 0)?)
            .or_default()
            .push(IndexRow {
                name: text(&row, 1)?,
                unique: int(&row, 2)? != 0,
                origin: text(&row, 3)?,
                partial: int(&row, 4)? != 0,
            });
    }
    const INDEX_COLUMNS: &str = "SELECT il.name, p.cid, p.name, p.\"desc\", p.coll, p.\"key\" \
         FROM pragma_table_list tl JOIN pragma_index_list(tl.name, tl.schema) il \
         JOIN pragma_index_xinfo(il.name, tl.schema) p \
         WHERE tl.schema = ?1 AND tl.type = 'table' ORDER BY il.name, p.seqno";
    for row in fetch(conn, INDEX_COLUMNS, schema, "index columns").await? {
        catalog
            .index_columns
            .entry(text(&row, 0)?)
            .or_default()
            .push(IndexColumnRow {
                cid: int(&row, 1)?,
                name: opt_text(&row, 2)?,
                descending: int(&row, 3)? != 0,
                collation: opt_text(&row, 4)?,
                key: int(&row, 5)? != 0,
            });
    }
    const FOREIGN_KEYS: &str = "SELECT tl.name, p.id, p.\"table\", p.\"from\", p.\"to\", \
         p.on_update, p.on_delete, p.\"match\" \
         FROM pragma_table_list tl JOIN pragma_foreign_key_list(tl.name, tl.schema) p \
         WHERE tl.schema = ?1 AND tl.type = 'table' ORDER BY tl.name, p.id, p.seq";
    for row in fetch(conn, FOREIGN_KEYS, schema, "foreign keys").await? {
        catalog
            .foreign_keys
            .entry(text(&row, 0)?)
            .or_default()
            .push(ForeignKeyRow {
                id: int(&row, 1)?,
                table: text(&row, 2)?,
                from: text(&row, 3)?,
                to: opt_text(&row, 4)?,
                on_update: text(&row, 5)?,
                on_delete: text(&row, 6)?,
                match_type: text(&row, 7)?,
            });
    }
    Ok(catalog)
}

async fn fetch(
    conn: &mut SqliteConnection,
    sql: impl sqlx::SqlSafeStr,
    schema: &str,
    what: &str,
) -> Result<Vec<SqliteRow>, InspectError> {
    let rows = sqlx::query(sql)
        .bind(schema.to_owned())
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| query_error(&format!("{what} of schema {schema}"), &e))?;
    tracing::debug!(schema, what, rows = rows.len(), "catalog query");
    Ok(rows)
}

/// Whether a name is SQLite's own (`sqlite_schema`, `sqlite_sequence`, `sqlite_stat1`,
/// ...): SQLite forbids user objects with that prefix.
fn is_internal(name: &str) -> bool {
    name.len() >= 7 && name[..7].eq_ignore_ascii_case("sqlite_")
}

async fn read_schema(
    conn: &mut SqliteConnection,
    schema: &str,
    options: &InspectOptions,
    realm: &mut Realm,
) -> Result<(), InspectError> {
    let catalog = read_catalog(conn, schema).await?;
    let model_schema = realm.schema_mut(schema);
    let mut table_names: Vec<String> = Vec::new();
    for object in &catalog.objects {
        if object.kind != "table" || is_internal(&object.name) {
            continue;
        }
        if options.excludes(schema, &object.name) {
            tracing::debug!(table = %object.name, "excluded");
            continue;
        }
        match object.list_type.as_deref() {
            Some("table") => {
                let table = read_table(schema, object, &catalog)?;
                model_schema.tables.insert(table.name.clone(), table);
                table_names.push(object.name.clone());
            }
            Some("virtual") => {
                let sql = object.sql.as_deref().unwrap_or_default();
                let loaded = load_definition(schema, &object.name, sql)?;
                if let Some(s) = loaded.schemas.get("main") {
                    for (key, opaque) in &s.other_objects {
                        model_schema
                            .other_objects
                            .insert(key.clone(), opaque.clone());
                    }
                }
            }
            // Shadow tables are made by their virtual table's module.
            _ => {}
        }
    }
    resolve_foreign_keys(model_schema, schema);
    for object in &catalog.objects {
        if object.kind != "view" || options.excludes(schema, &object.name) {
            continue;
        }
        let sql = object.sql.as_deref().unwrap_or_default();
        let loaded = load_definition(schema, &object.name, sql)?;
        if let Some(view) = loaded
            .schemas
            .get("main")
            .and_then(|s| s.views.values().next())
        {
            model_schema.views.insert(object.name.clone(), view.clone());
        }
    }
    for object in &catalog.objects {
        if object.kind != "trigger" || options.excludes(schema, &object.name) {
            continue;
        }
        let sql = object.sql.as_deref().unwrap_or_default();
        let on_view = model_schema.views.contains_key(&object.table);
        let stub = if on_view {
            format!("CREATE VIEW {} AS SELECT 1;\n", quote(&object.table))
        } else {
            format!("CREATE TABLE {} (x);\n", quote(&object.table))
        };
        let loaded = load_definition(schema, &object.name, &format!("{stub}{sql};"))?;
        let Some(s) = loaded.schemas.get("main") else {
            continue;
        };
        let trigger = s
            .tables
            .get(&object.table)
            .and_then(|t| t.triggers.values().next())
            .or_else(|| {
                s.views
                    .get(&object.table)
                    .and_then(|v| v.triggers.values().next())
            });
        let Some(trigger) = trigger else {
            continue;
        };
        if let Some(table) = model_schema.tables.get_mut(&object.table) {
            table.triggers.insert(trigger.name.clone(), trigger.clone());
        } else if let Some(view) = model_schema.views.get_mut(&object.table) {
            view.triggers.insert(trigger.name.clone(), trigger.clone());
        }
    }
    tracing::debug!(
        schema,
        tables = table_names.len(),
        views = model_schema.views.len(),
        "schema read"
    );
    Ok(())
}

/// The offline loader's reading of one stored `CREATE VIEW`, `CREATE TRIGGER` or
/// `CREATE VIRTUAL TABLE`: SQLite keeps nothing else about these.
fn load_definition(schema: &str, name: &str, sql: &str) -> Result<Realm, InspectError> {
    crate::load_sql(
        sql,
        &format!("{schema}.{name}"),
        &LoadOptions::new(Dialect::Sqlite),
    )
    .map(|loaded| loaded.realm)
    .map_err(|e| InspectError::Unreadable {
        object: format!("{schema}.{name}"),
        message: format!("its stored definition cannot be read: {e}"),
    })
}

/// Foreign keys name the referenced table as written, which SQLite matches
/// case-insensitively, and leave out the referenced columns when they are the primary
/// key.
fn resolve_foreign_keys(model_schema: &mut schema_model::Schema, schema: &str) {
    let tables: Vec<(String, Vec<String>)> = model_schema
        .tables
        .values()
        .map(|t| {
            (
                t.name.clone(),
                t.primary_key
                    .as_ref()
                    .map(|pk| pk.columns.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    for table in model_schema.tables.values_mut() {
        for fk in table.foreign_keys.values_mut() {
            let found = tables
                .iter()
                .find(|(name, _)| *name == fk.referenced_table.name)
                .or_else(|| {
                    tables
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case(&fk.referenced_table.name))
                });
            if let Some((name, pk)) = found {
                fk.referenced_table = QualifiedName::new(schema, name.clone());
                if fk.referenced_columns.is_empty() {
                    fk.referenced_columns.clone_from(pk);
                }
            }
        }
    }
}

fn read_table(
    schema: &str,
    object: &CatalogObject,
    catalog: &Catalog,
) -> Result<Table, InspectError> {
    let name = &object.name;
    let sql = object.sql.as_deref().unwrap_or_default();
    let text = TableText::scan(sql).unwrap_or_else(|| {
        tracing::warn!(table = %name, "stored CREATE TABLE text could not be scanned");
        TableText::default()
    });
    let mut table = Table::new(name.clone());
    table.options.without_rowid = object.without_rowid;
    table.options.strict = object.strict;
    let rows = catalog.columns.get(name).map(Vec::as_slice).unwrap_or(&[]);
    let mut pk: Vec<(i64, String)> = Vec::new();
    for row in rows {
        let data_type = affinity(&row.declared_type, object.strict);
        let mut column = Column::new(row.name.clone(), data_type);
        column.nullable = !row.not_null;
        column.default = row
            .default
            .as_deref()
            .filter(|d| !d.eq_ignore_ascii_case("null"))
            .map(|d| super::canonical_expression(Dialect::Sqlite, d));
        let written = text.column(&row.name);
        if row.hidden == 2 || row.hidden == 3 {
            let expression = written
                .and_then(|c| c.generated.as_deref())
                .map(|e| super::canonical_expression(Dialect::Sqlite, e))
                .ok_or_else(|| InspectError::Unreadable {
                    object: format!("{schema}.{name}.{}", row.name),
                    message: "a generated column whose expression is not in the stored text"
                        .to_owned(),
                })?;
            column.generated = Some(Generated {
                expression,
                stored: row.hidden == 3,
            });
        }
        if let Some(written) = written {
            column.collation.clone_from(&written.collation);
            column.auto_increment = written.autoincrement;
        }
        if row.pk > 0 {
            pk.push((row.pk, row.name.clone()));
        }
        table.columns.push(column);
    }
    if !pk.is_empty() {
        pk.sort();
        table.primary_key = Some(PrimaryKey {
            name: String::new(),
            columns: pk.into_iter().map(|(_, c)| c).collect(),
            include: Vec::new(),
            deferrable: Deferrable::NotDeferrable,
            comment: None,
        });
    }
    let names = text.constraint_names(&table, catalog.foreign_keys.get(name));
    read_uniques_and_indexes(&mut table, &text, catalog, schema, &object.name)?;
    read_foreign_keys(&mut table, schema, catalog.foreign_keys.get(name), &names);
    for (check_name, expression) in names.checks {
        table.checks.insert(
            check_name.clone(),
            Check {
                name: check_name,
                expression: super::canonical_expression(Dialect::Sqlite, &expression),
                no_inherit: false,
                not_valid: false,
                not_enforced: false,
                comment: None,
            },
        );
    }
    Ok(table)
}

fn read_uniques_and_indexes(
    table: &mut Table,
    text: &TableText,
    catalog: &Catalog,
    schema: &str,
    table_name: &str,
) -> Result<(), InspectError> {
    let mut index_rows: Vec<&IndexRow> = catalog
        .indexes
        .get(table_name)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    // Autoindexes in the order SQLite made them, which is declaration order.
    index_rows.sort_by_key(|i| autoindex_number(&i.name));
    let mut unique_texts: Vec<(Option<String>, Vec<String>, bool)> = text
        .constraints
        .iter()
        .filter_map(|c| match &c.kind {
            Kind::Unique(columns) => Some((c.name.clone(), columns.clone(), false)),
            _ => None,
        })
        .collect();
    let sql_of = |index: &str| {
        catalog
            .objects
            .iter()
            .find(|o| o.kind == "index" && o.name == index)
            .and_then(|o| o.sql.as_deref())
    };
    for index in index_rows {
        let key_columns: Vec<&IndexColumnRow> = catalog
            .index_columns
            .get(&index.name)
            .map(|v| v.iter().filter(|c| c.key).collect())
            .unwrap_or_default();
        match index.origin.as_str() {
            "pk" => {}
            "u" => {
                let columns: Vec<String> = key_columns
                    .iter()
                    .map(|c| c.name.clone().unwrap_or_default())
                    .collect();
                let written = unique_texts.iter_mut().find(|(_, cols, used)| {
                    !*used
                        && cols.len() == columns.len()
                        && cols
                            .iter()
                            .zip(&columns)
                            .all(|(a, b)| a.eq_ignore_ascii_case(b))
                });
                let name = match written {
                    Some((given, _, used)) => {
                        *used = true;
                        given.clone().unwrap_or_else(|| index.name.clone())
                    }
                    None => index.name.clone(),
                };
                table.uniques.insert(
                    name.clone(),
                    UniqueConstraint {
                        name,
                        columns,
                        include: Vec::new(),
                        nulls_not_distinct: false,
                        deferrable: Deferrable::NotDeferrable,
                        comment: None,
                    },
                );
            }
            _ => {
                let written = sql_of(&index.name).and_then(IndexText::scan);
                let index_model = read_index(table, index, &key_columns, written.as_ref())
                    .ok_or_else(|| InspectError::Unreadable {
                        object: format!("{schema}.{}", index.name),
                        message: "an expression index whose stored text cannot be read".to_owned(),
                    })?;
                table.indexes.insert(index.name.clone(), index_model);
            }
        }
    }
    Ok(())
}

/// `n` of `sqlite_autoindex_<table>_<n>`; other indexes sort after autoindexes.
fn autoindex_number(name: &str) -> (u64, String) {
    let n = name
        .strip_prefix("sqlite_autoindex_")
        .and_then(|rest| rest.rsplit_once('_'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(u64::MAX);
    (n, name.to_owned())
}

fn read_index(
    table: &Table,
    index: &IndexRow,
    key_columns: &[&IndexColumnRow],
    written: Option<&IndexText>,
) -> Option<Index> {
    let mut parts = Vec::new();
    for (position, row) in key_columns.iter().enumerate() {
        let written_part = written.and_then(|w| w.parts.get(position));
        let key = match (&row.name, row.cid) {
            (Some(column), cid) if cid >= 0 => IndexKey::Column(column.clone()),
            (_, -1) => IndexKey::Column("rowid".to_owned()),
            _ => IndexKey::Expression(super::canonical_expression(
                Dialect::Sqlite,
                written_part?.expression.as_str(),
            )),
        };
        // `coll` is the collation in effect; the model keeps it only where the index
        // names one, so one the column brings along is left out.
        let inherited = match &key {
            IndexKey::Column(c) => table.column(c).and_then(|c| c.collation.clone()),
            IndexKey::Expression(_) => None,
        }
        .unwrap_or_else(|| "BINARY".to_owned());
        let explicit = written_part.is_some_and(|p| p.collation.is_some());
        let collation = row
            .collation
            .clone()
            .filter(|coll| explicit || !coll.eq_ignore_ascii_case(&inherited));
        let collation = match (collation, written_part.and_then(|p| p.collation.clone())) {
            // The pragma and the text name the same collation; the text keeps its case.
            (Some(coll), Some(as_written)) if coll.eq_ignore_ascii_case(&as_written) => {
                Some(as_written)
            }
            (collation, _) => collation,
        };
        parts.push(IndexPart {
            key,
            descending: row.descending,
            nulls_first: None,
            operator_class: None,
            collation,
            prefix_length: None,
        });
    }
    let predicate = if index.partial {
        Some(super::canonical_expression(
            Dialect::Sqlite,
            written?.predicate.as_deref()?,
        ))
    } else {
        None
    };
    Some(Index {
        name: index.name.clone(),
        unique: index.unique,
        method: Default::default(),
        parts,
        include: Vec::new(),
        predicate,
        nulls_not_distinct: false,
        parameters: BTreeMap::new(),
        comment: None,
    })
}

fn action(text: &str) -> ReferentialAction {
    match text.to_ascii_uppercase().as_str() {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

fn read_foreign_keys(
    table: &mut Table,
    schema: &str,
    rows: Option<&Vec<ForeignKeyRow>>,
    names: &ConstraintNames,
) {
    let Some(rows) = rows else {
        return;
    };
    let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    ids.dedup();
    for id in ids {
        let parts: Vec<&ForeignKeyRow> = rows.iter().filter(|r| r.id == id).collect();
        let Some(first) = parts.first() else {
            continue;
        };
        let (name, deferrable) = names.foreign_keys.get(&id).cloned().unwrap_or_else(|| {
            (
                format!("{}_fkey{id}", table.name),
                Deferrable::NotDeferrable,
            )
        });
        let referenced_columns: Vec<String> = if parts.iter().all(|p| p.to.is_some()) {
            parts.iter().filter_map(|p| p.to.clone()).collect()
        } else {
            Vec::new()
        };
        let match_type = match first.match_type.to_ascii_uppercase().as_str() {
            "FULL" => MatchType::Full,
            "PARTIAL" => MatchType::Partial,
            _ => MatchType::Simple,
        };
        table.foreign_keys.insert(
            name.clone(),
            ForeignKey {
                name,
                columns: parts.iter().map(|p| p.from.clone()).collect(),
                referenced_table: QualifiedName::new(schema, first.table.clone()),
                referenced_columns,
                on_delete: action(&first.on_delete),
                on_update: action(&first.on_update),
                on_delete_columns: Vec::new(),
                match_type,
                deferrable,
                not_valid: false,
                comment: None,
            },
        );
    }
}

/// The affinity of a declared type, as the offline loader gives it; `ANY` is its own
/// type in a `STRICT` table only.
fn affinity(declared: &str, strict: bool) -> DataType {
    match crate::offline::sqlite::affinity(declared) {
        DataType::Any if !strict => DataType::NUMERIC,
        other => other,
    }
}

// ----- the stored text -----

/// A token of stored SQL with its byte range in the text. Whitespace and comments are
/// left out.
struct Lexeme {
    token: Token,
    start: usize,
    end: usize,
}

/// The tokens of a stored statement; `None` when it does not tokenize.
fn lex(sql: &str) -> Option<Vec<Lexeme>> {
    let tokens = Tokenizer::new(&SQLiteDialect {}, sql)
        .tokenize_with_location()
        .ok()?;
    // Spans are (line, character column); turn them into byte offsets.
    let mut line_starts = vec![0usize];
    for (i, ch) in sql.char_indices() {
        if ch == '\n' {
            line_starts.push(i + 1);
        }
    }
    let offset = |line: u64, column: u64| -> usize {
        let Some(start) = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| line_starts.get(l))
        else {
            return sql.len();
        };
        let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        sql.get(*start..)
            .and_then(|rest| rest.char_indices().nth(skip).map(|(i, _)| start + i))
            .unwrap_or(sql.len())
    };
    Some(
        tokens
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| Lexeme {
                start: offset(t.span.start.line, t.span.start.column),
                end: offset(t.span.end.line, t.span.end.column),
                token: t.token,
            })
            .collect(),
    )
}

/// Whether a token is the unquoted keyword `kw`.
fn is_kw(token: &Token, kw: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

/// A name as SQLite reads it: a word's value without its quotes, or a string literal
/// used as a name.
fn name_of(token: &Token) -> Option<String> {
    match token {
        Token::Word(w) => Some(w.value.clone()),
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(s.clone()),
        _ => None,
    }
}

/// The index of the `)` that closes the `(` at `open`.
fn closing(tokens: &[Lexeme], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, lexeme) in tokens.iter().enumerate().skip(open) {
        match lexeme.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `tokens` at commas outside parentheses.
fn split_commas(tokens: &[Lexeme]) -> Vec<&[Lexeme]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, lexeme) in tokens.iter().enumerate() {
        match lexeme.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                out.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&tokens[start..]);
    out
}

/// The source text of a run of tokens.
fn span_text<'a>(sql: &'a str, tokens: &[Lexeme]) -> &'a str {
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => sql.get(first.start..last.end).unwrap_or_default(),
        _ => "",
    }
}

/// The text inside the parentheses that open at `open`, and the index after them.
fn group_text<'a>(sql: &'a str, tokens: &[Lexeme], open: usize) -> Option<(&'a str, usize)> {
    let close = closing(tokens, open)?;
    Some((span_text(sql, &tokens[open + 1..close]), close + 1))
}

/// The column names of `(a, b COLLATE x DESC, ...)` at `open`, and the index after it.
fn column_list(tokens: &[Lexeme], open: usize) -> Option<(Vec<String>, usize)> {
    let close = closing(tokens, open)?;
    let names = split_commas(&tokens[open + 1..close])
        .into_iter()
        .filter_map(|part| part.first().and_then(|l| name_of(&l.token)))
        .collect();
    Some((names, close + 1))
}

/// What a column definition says that the pragmas do not.
#[derive(Debug, Default, Clone)]
struct ColumnText {
    name: String,
    collation: Option<String>,
    autoincrement: bool,
    generated: Option<String>,
}

#[derive(Debug, Clone)]
enum Kind {
    PrimaryKey,
    Unique(Vec<String>),
    Check(String),
    ForeignKey(Deferrable),
}

/// A constraint as written, column constraints with their column.
#[derive(Debug, Clone)]
struct Constraint {
    name: Option<String>,
    kind: Kind,
}

/// What a stored `CREATE TABLE` says that the pragmas do not, in declaration order
/// (column constraints in column order, then table constraints, as SQLite requires
/// them to be written).
#[derive(Debug, Default)]
struct TableText {
    columns: Vec<ColumnText>,
    constraints: Vec<Constraint>,
}

/// The names of foreign keys (by `pragma_foreign_key_list.id`) and of checks.
#[derive(Default)]
struct ConstraintNames {
    foreign_keys: BTreeMap<i64, (String, Deferrable)>,
    checks: Vec<(String, String)>,
}

impl TableText {
    fn column(&self, name: &str) -> Option<&ColumnText> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            self.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
    }

    /// Scans `CREATE TABLE name (definitions) [options]`.
    fn scan(sql: &str) -> Option<TableText> {
        let tokens = lex(sql)?;
        let open = tokens.iter().position(|l| l.token == Token::LParen)?;
        let close = closing(&tokens, open)?;
        let mut out = TableText::default();
        for element in split_commas(&tokens[open + 1..close]) {
            let Some(first) = element.first() else {
                continue;
            };
            let table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
                .iter()
                .any(|kw| is_kw(&first.token, kw));
            if table_constraint {
                out.scan_table_constraint(sql, element);
            } else {
                out.scan_column(sql, element);
            }
        }
        Some(out)
    }

    fn scan_column(&mut self, sql: &str, tokens: &[Lexeme]) {
        let Some(name) = tokens.first().and_then(|l| name_of(&l.token)) else {
            return;
        };
        let mut column = ColumnText {
            name: name.clone(),
            ..ColumnText::default()
        };
        let mut pending_name: Option<String> = None;
        let mut i = 1;
        while i < tokens.len() {
            let token = &tokens[i].token;
            let next = tokens.get(i + 1).map(|l| &l.token);
            if is_kw(token, "CONSTRAINT") {
                pending_name = next.and_then(name_of);
                i += 2;
            } else if is_kw(token, "PRIMARY") {
                self.constraints.push(Constraint {
                    name: pending_name.take(),
                    kind: Kind::PrimaryKey,
                });
                i += 2;
            } else if is_kw(token, "UNIQUE") {
                self.constraints.push(Constraint {
                    name: pending_name.take(),
                    kind: Kind::Unique(vec![name.clone()]),
                });
                i += 1;
            } else if is_kw(token, "CHECK") && next == Some(&Token::LParen) {
                let Some((expression, after)) = group_text(sql, tokens, i + 1) else {
                    return;
                };
                self.constraints.push(Constraint {
                    name: pending_name.take(),
                    kind: Kind::Check(expression.to_owned()),
                });
                i = after;
            } else if is_kw(token, "DEFAULT") {
                pending_name = None;
                i += 1;
                match tokens.get(i).map(|l| &l.token) {
                    Some(Token::LParen) => i = closing(tokens, i).map_or(tokens.len(), |c| c + 1),
                    Some(Token::Plus | Token::Minus) => i += 2,
                    _ => i += 1,
                }
            } else if is_kw(token, "COLLATE") {
                pending_name = None;
                column.collation = next.and_then(name_of);
                i += 2;
            } else if is_kw(token, "AUTOINCREMENT") {
                column.autoincrement = true;
                i += 1;
            } else if is_kw(token, "REFERENCES") {
                let (deferrable, after) = scan_references(tokens, i);
                self.constraints.push(Constraint {
                    name: pending_name.take(),
                    kind: Kind::ForeignKey(deferrable),
                });
                i = after;
            } else if is_kw(token, "AS") && next == Some(&Token::LParen) {
                pending_name = None;
                let Some((expression, after)) = group_text(sql, tokens, i + 1) else {
                    return;
                };
                column.generated = Some(expression.to_owned());
                i = after;
            } else if is_kw(token, "ON") && next.is_some_and(|t| is_kw(t, "CONFLICT")) {
                i += 3;
            } else if is_kw(token, "NOT") || is_kw(token, "NULL") {
                pending_name = None;
                i += 1;
            } else {
                i += 1;
            }
        }
        self.columns.push(column);
    }

    fn scan_table_constraint(&mut self, sql: &str, tokens: &[Lexeme]) {
        let mut name = None;
        let mut i = 0;
        if tokens
            .first()
            .is_some_and(|l| is_kw(&l.token, "CONSTRAINT"))
        {
            name = tokens.get(1).and_then(|l| name_of(&l.token));
            i = 2;
        }
        let Some(first) = tokens.get(i) else {
            return;
        };
        let open = tokens
            .iter()
            .skip(i)
            .position(|l| l.token == Token::LParen)
            .map(|p| p + i);
        if is_kw(&first.token, "PRIMARY") {
            if let Some((_, _)) = open.and_then(|o| column_list(tokens, o)) {
                // `PRIMARY KEY (id AUTOINCREMENT)`.
                if let Some(o) = open
                    && let Some(c) = closing(tokens, o)
                {
                    for part in split_commas(&tokens[o + 1..c]) {
                        if part.iter().any(|l| is_kw(&l.token, "AUTOINCREMENT"))
                            && let Some(column) = part.first().and_then(|l| name_of(&l.token))
                            && let Some(written) = self
                                .columns
                                .iter_mut()
                                .find(|c| c.name.eq_ignore_ascii_case(&column))
                        {
                            written.autoincrement = true;
                        }
                    }
                }
            }
            self.constraints.push(Constraint {
                name,
                kind: Kind::PrimaryKey,
            });
        } else if is_kw(&first.token, "UNIQUE") {
            let columns = open
                .and_then(|o| column_list(tokens, o))
                .map(|(c, _)| c)
                .unwrap_or_default();
            self.constraints.push(Constraint {
                name,
                kind: Kind::Unique(columns),
            });
        } else if is_kw(&first.token, "CHECK") {
            if let Some((expression, _)) = open.and_then(|o| group_text(sql, tokens, o)) {
                self.constraints.push(Constraint {
                    name,
                    kind: Kind::Check(expression.to_owned()),
                });
            }
        } else if is_kw(&first.token, "FOREIGN") {
            let references = tokens.iter().position(|l| is_kw(&l.token, "REFERENCES"));
            let deferrable =
                references.map_or(Deferrable::NotDeferrable, |r| scan_references(tokens, r).0);
            self.constraints.push(Constraint {
                name,
                kind: Kind::ForeignKey(deferrable),
            });
        }
    }

    /// Names foreign keys and checks as the offline loader does: a given name, else
    /// `<table>_<columns>_fkey` and `<table>_<column>_check` / `<table>_check`, with a
    /// number added when the name is taken, in declaration order. Foreign keys are
    /// matched with `pragma_foreign_key_list`, which numbers them from the last one
    /// declared.
    fn constraint_names(
        &self,
        table: &Table,
        rows: Option<&Vec<ForeignKeyRow>>,
    ) -> ConstraintNames {
        let mut ids: Vec<i64> = rows
            .map(|r| r.iter().map(|r| r.id).collect())
            .unwrap_or_default();
        ids.dedup();
        ids.reverse();
        let written_fks = self
            .constraints
            .iter()
            .filter(|c| matches!(c.kind, Kind::ForeignKey(_)))
            .count();
        if written_fks != ids.len() {
            tracing::warn!(
                table = %table.name,
                written = written_fks,
                catalog = ids.len(),
                "foreign keys in the stored text and the catalog differ; their names may not be the given ones"
            );
        }
        let mut ids = ids.into_iter();
        let mut taken: HashSet<String> = HashSet::new();
        let mut out = ConstraintNames::default();
        for constraint in &self.constraints {
            match &constraint.kind {
                Kind::PrimaryKey => {}
                Kind::Unique(_) => {
                    if let Some(name) = &constraint.name {
                        taken.insert(name.clone());
                    }
                }
                Kind::ForeignKey(deferrable) => {
                    let Some(id) = ids.next() else {
                        continue;
                    };
                    let columns: Vec<String> = rows
                        .map(|r| {
                            r.iter()
                                .filter(|r| r.id == id)
                                .map(|r| r.from.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    let name = constraint.name.clone().unwrap_or_else(|| {
                        choose_name(&table.name, Some(&name_addition(&columns)), "fkey", &taken)
                    });
                    taken.insert(name.clone());
                    out.foreign_keys.insert(id, (name, *deferrable));
                }
                Kind::Check(expression) => {
                    let name = constraint.name.clone().unwrap_or_else(|| {
                        let single = single_column(table, expression);
                        choose_name(&table.name, single.as_deref(), "check", &taken)
                    });
                    taken.insert(name.clone());
                    out.checks.push((name, expression.clone()));
                }
            }
        }
        out
    }
}

/// After `REFERENCES` at `at`: the foreign key's deferrability, and where its clause
/// ends (at the next column constraint).
fn scan_references(tokens: &[Lexeme], at: usize) -> (Deferrable, usize) {
    let mut deferrable = Deferrable::NotDeferrable;
    let mut i = at + 2;
    if tokens.get(i).is_some_and(|l| l.token == Token::LParen) {
        i = closing(tokens, i).map_or(tokens.len(), |c| c + 1);
    }
    while i < tokens.len() {
        let token = &tokens[i].token;
        let next = tokens.get(i + 1).map(|l| &l.token);
        if is_kw(token, "ON") {
            // ON DELETE|UPDATE SET NULL|SET DEFAULT|NO ACTION|CASCADE|RESTRICT
            let two_words = tokens
                .get(i + 2)
                .is_some_and(|l| is_kw(&l.token, "SET") || is_kw(&l.token, "NO"));
            i += if two_words { 4 } else { 3 };
        } else if is_kw(token, "MATCH") {
            i += 2;
        } else if is_kw(token, "NOT") && next.is_some_and(|t| is_kw(t, "DEFERRABLE")) {
            deferrable = Deferrable::NotDeferrable;
            i += 2;
            i = skip_initially(tokens, i).1;
        } else if is_kw(token, "DEFERRABLE") {
            let (initially_deferred, after) = skip_initially(tokens, i + 1);
            deferrable = if initially_deferred {
                Deferrable::InitiallyDeferred
            } else {
                Deferrable::InitiallyImmediate
            };
            i = after;
        } else {
            break;
        }
    }
    (deferrable, i)
}

/// `INITIALLY DEFERRED | IMMEDIATE` at `at`, if there.
fn skip_initially(tokens: &[Lexeme], at: usize) -> (bool, usize) {
    if tokens.get(at).is_some_and(|l| is_kw(&l.token, "INITIALLY")) {
        let deferred = tokens
            .get(at + 1)
            .is_some_and(|l| is_kw(&l.token, "DEFERRED"));
        (deferred, at + 2)
    } else {
        (false, at)
    }
}

/// The one column of the table a check refers to, if it refers to exactly one
/// (compared as the offline loader does: as written).
fn single_column(table: &Table, expression: &str) -> Option<String> {
    let parsed = sqlparser::parser::Parser::new(&SQLiteDialect {})
        .try_with_sql(expression)
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    let mut names = std::collections::BTreeSet::new();
    let _ = sqlparser::ast::visit_expressions(&parsed, |e| {
        match e {
            sqlparser::ast::Expr::Identifier(ident) => {
                names.insert(ident.value.clone());
            }
            sqlparser::ast::Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    names.insert(last.value.clone());
                }
            }
            _ => {}
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    let mut referenced = names.into_iter().filter(|n| table.column(n).is_some());
    match (referenced.next(), referenced.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// What a stored `CREATE INDEX` says that the pragmas do not: each key part's text
/// and written collation, and the `WHERE`.
struct IndexText {
    parts: Vec<IndexPartText>,
    predicate: Option<String>,
}

struct IndexPartText {
    /// The part without `COLLATE` and `ASC`/`DESC`.
    expression: String,
    collation: Option<String>,
}

impl IndexText {
    /// Scans `CREATE [UNIQUE] INDEX name ON table (parts) [WHERE predicate]`.
    fn scan(sql: &str) -> Option<IndexText> {
        let tokens = lex(sql)?;
        let on = tokens.iter().position(|l| is_kw(&l.token, "ON"))?;
        let open = tokens
            .iter()
            .skip(on)
            .position(|l| l.token == Token::LParen)?
            + on;
        let close = closing(&tokens, open)?;
        let mut parts = Vec::new();
        for part in split_commas(&tokens[open + 1..close]) {
            let mut end = part.len();
            if end > 0
                && (is_kw(&part[end - 1].token, "ASC") || is_kw(&part[end - 1].token, "DESC"))
            {
                end -= 1;
            }
            let mut collation = None;
            if end >= 2 && is_kw(&part[end - 2].token, "COLLATE") {
                collation = name_of(&part[end - 1].token);
                end -= 2;
            }
            parts.push(IndexPartText {
                expression: span_text(sql, &part[..end]).to_owned(),
                collation,
            });
        }
        let predicate = tokens
            .iter()
            .skip(close)
            .position(|l| is_kw(&l.token, "WHERE"))
            .map(|w| span_text(sql, &tokens[close + w + 1..]).to_owned());
        Some(IndexText { parts, predicate })
    }
}

// ----- the offline loader's names for unnamed constraints -----

/// The offline loader names unnamed constraints of every dialect by PostgreSQL's rules;
/// the live side must hand out the very same names.
fn choose_name(name1: &str, name2: Option<&str>, label: &str, taken: &HashSet<String>) -> String {
    crate::offline::postgres::choose_name(name1, name2, label, |name| taken.contains(name))
}

use crate::offline::postgres::name_addition;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinities_follow_sqlite_rules() {
        assert_eq!(affinity("FLOATING POINT", false), DataType::Integer);
        assert_eq!(affinity("VARCHAR(10)", false), DataType::Text);
        assert_eq!(affinity("", false), DataType::Blob);
        assert_eq!(affinity("DOUBLE", false), DataType::Double);
        assert_eq!(affinity("DECIMAL(5,2)", false), DataType::NUMERIC);
        assert_eq!(affinity("ANY", false), DataType::NUMERIC);
        assert_eq!(affinity("any", true), DataType::Any);
    }

    #[test]
    fn table_text_reads_what_pragmas_do_not_report() {
        let text = TableText::scan(
            "CREATE TABLE t (a INT CONSTRAINT pos CHECK (a > 0) COLLATE NOCASE, \
             b INTEGER PRIMARY KEY AUTOINCREMENT, c AS (a * 2) STORED, \
             d REFERENCES p ON DELETE SET DEFAULT DEFERRABLE INITIALLY DEFERRED CHECK (d <> ''), \
             CONSTRAINT u UNIQUE (a, \"c\"), FOREIGN KEY (a) REFERENCES p (x) NOT DEFERRABLE)",
        );
        let Some(text) = text else {
            panic!("not scanned");
        };
        let a = text.column("A").map(|c| c.collation.clone());
        assert_eq!(a, Some(Some("NOCASE".to_owned())));
        assert!(text.column("b").is_some_and(|c| c.autoincrement));
        assert_eq!(
            text.column("c")
                .and_then(|c| c.generated.clone())
                .as_deref(),
            Some("a * 2")
        );
        let kinds: Vec<String> = text
            .constraints
            .iter()
            .map(|c| format!("{:?} {:?}", c.name, c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                "Some(\"pos\") Check(\"a > 0\")",
                "None PrimaryKey",
                "None ForeignKey(InitiallyDeferred)",
                "None Check(\"d <> ''\")",
                "Some(\"u\") Unique([\"a\", \"c\"])",
                "None ForeignKey(NotDeferrable)",
            ]
        );
    }

    #[test]
    fn index_text_splits_parts_and_predicate() {
        let Some(text) = IndexText::scan(
            "CREATE INDEX i ON t (a COLLATE nocase DESC, lower(b || ',')) WHERE a > 1",
        ) else {
            panic!("not scanned");
        };
        assert_eq!(text.parts.len(), 2);
        assert_eq!(text.parts[0].collation.as_deref(), Some("nocase"));
        assert_eq!(text.parts[1].expression, "lower(b || ',')");
        assert_eq!(text.predicate.as_deref(), Some("a > 1"));
    }

    #[test]
    fn memory_urls_are_recognised() {
        assert!(is_memory_url("sqlite::memory:"));
        assert!(is_memory_url("sqlite://:memory:"));
        assert!(!is_memory_url("sqlite://app.db?mode=ro"));
    }
}
