//! Live inspection of PostgreSQL (15), and the dev-database loader.
//!
//! [`inspect`] reads the catalog with a fixed number of queries
//! ([`QUERIES_PER_INSPECTION`]), each filtered to the schemas being read, inside one
//! read-only repeatable-read transaction so that the queries see one snapshot. The
//! transaction sets `search_path` to `public` because `format_type`, `pg_get_expr` and
//! the other printers qualify names by what the search path shows, and the offline
//! loader assumes the default path; and `TimeZone` (UTC), `DateStyle`, `IntervalStyle`
//! and `lc_monetary` (C), in which the printers write timestamp, interval and money
//! constants and partition bounds, to the values the offline loader assumes.
//!
//! The attributes the model keeps as canonical text go through the offline loader's
//! canonicalizer: expressions through [`super::canonical_expression`], a view's query
//! and a function's definition (`pg_get_viewdef`, `pg_get_functiondef`) through the
//! offline loader itself, so both sides produce one spelling.
//!
//! [`load_dev`] creates a scratch database, applies the SQL statement by statement,
//! inspects it and drops it again (`WITH (FORCE)`), also when applying fails. A role
//! that may not create databases gets a fallback: the statements run inside one
//! transaction in the database the URL names, with a scratch schema first on the
//! search path, that schema is inspected and reported as `public`, and the
//! transaction is rolled back, so nothing is left behind. Statements that cannot run
//! in a transaction block (`CREATE INDEX CONCURRENTLY`, `CREATE DATABASE`) fail there,
//! and objects the SQL puts into other schemas by name are not reported.

mod catalog;
mod convert;
mod queries;

pub use catalog::QUERIES_PER_INSPECTION;

use super::{InspectError, InspectOptions, redact_url, scratch_name, statements};
use crate::Source;
use schema_model::{Dialect, QualifiedName, Realm};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Acquire, AssertSqlSafe, ConnectOptions, Connection};
use std::collections::BTreeMap;
use std::str::FromStr;

/// What every inspection transaction sets, the fallback's included.
///
/// JIT off, as pg_dump does: the catalog queries' subqueries over `generate_series` make
/// the planner expect thousands of rows, which crosses the JIT cost threshold, and
/// compiling costs more than the queries (MusicBrainz's indexes: 81 ms with JIT, 28 ms
/// without). The printers write constants of the other settings' types in the
/// session's style; the offline loader computes them for these (`offline::literals`).
const SESSION_SETTINGS: [&str; 5] = [
    "SET LOCAL jit = off",
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, MDY'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL lc_monetary = 'C'",
];

/// Inspects the database a connection (or pool) reaches.
pub async fn inspect<'c, A>(conn: A, options: &InspectOptions) -> Result<Realm, InspectError>
where
    A: Acquire<'c, Database = sqlx::Postgres>,
{
    let mut tx = conn
        .begin()
        .await
        .map_err(|e| query_error("transaction", &e))?;
    for setting in [
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        "SET LOCAL search_path = public",
    ]
    .into_iter()
    .chain(SESSION_SETTINGS)
    {
        sqlx::query(setting)
            .execute(&mut *tx)
            .await
            .map_err(|e| query_error("session settings", &e))?;
    }
    let realm = catalog::read(&mut tx, options).await;
    // Read-only: nothing to keep, and a failed rollback changes nothing read.
    if let Err(e) = tx.rollback().await {
        tracing::debug!(error = %e, "rolling back the inspection transaction");
    }
    realm
}

/// Connects to the URL and inspects that database.
pub async fn inspect_url(url: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    let connect_options = parse_url(url)?;
    let mut conn = connect(&connect_options).await?;
    let realm = inspect(&mut conn, options).await;
    close(conn).await;
    realm
}

/// Row estimates per table (see [`super::table_rows`]), one catalog query.
pub async fn table_rows<'c, A>(conn: A) -> Result<BTreeMap<QualifiedName, u64>, InspectError>
where
    A: Acquire<'c, Database = sqlx::Postgres>,
{
    // The planner's estimate: tuples per page at the last ANALYZE times the pages the
    // table has now, so growth since then counts. No pages now means no rows, analyzed
    // or not: the only case called empty, since lint trusts "empty" more than a count.
    // Pages but no density (never analyzed, or analyzed when it held no live row) means
    // unknown.
    const SQL: &str = "SELECT n.nspname::text, c.relname::text, \
        CASE WHEN pg_relation_size(c.oid) = 0 THEN 0::float8 \
             WHEN c.relpages > 0 AND c.reltuples > 0 \
                  THEN c.reltuples::float8 / c.relpages \
                       * (pg_relation_size(c.oid) / current_setting('block_size')::int8) \
        END \
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
        WHERE c.relkind IN ('r', 'm') \
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";
    let mut conn = conn
        .acquire()
        .await
        .map_err(|e| query_error("table sizes", &e))?;
    let rows: Vec<(String, String, Option<f64>)> = sqlx::query_as(SQL)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| query_error("table sizes", &e))?;
    Ok(rows
        .into_iter()
        .filter_map(|(schema, table, estimate)| {
            let estimate = estimate.filter(|e| e.is_finite() && *e >= 0.0)?;
            // Saturating float-to-int conversion; estimates are whole-ish anyway.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let rows = estimate.round() as u64;
            Some((QualifiedName::new(schema, table), rows))
        })
        .collect())
}

/// Connects to the URL and reads [`table_rows`].
pub async fn table_rows_url(url: &str) -> Result<BTreeMap<QualifiedName, u64>, InspectError> {
    let mut conn = connect(&parse_url(url)?).await?;
    let rows = table_rows(&mut conn).await;
    close(conn).await;
    rows
}

/// Applies the sources to a scratch database on the server and inspects it.
pub async fn load_dev(
    url: &str,
    sources: &[Source],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let statements = statements(sources, Dialect::Postgres)?;
    let server = parse_url(url)?;
    let mut admin = connect(&server).await?;
    let database = scratch_name();
    let create = format!("CREATE DATABASE {}", quote(&database));
    if let Err(e) = sqlx::raw_sql(AssertSqlSafe(create))
        .execute(&mut admin)
        .await
    {
        let denied = e
            .as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|code| code == "42501");
        if denied {
            tracing::info!(
                "the role may not create databases: loading in a rolled-back transaction"
            );
            let realm = load_in_transaction(&mut admin, &database, &statements, options).await;
            close(admin).await;
            return realm;
        }
        close(admin).await;
        return Err(InspectError::Scratch {
            database,
            message: server_message(&e),
        });
    }
    tracing::debug!(%database, "created the scratch database");
    let result = load_into(&server.clone().database(&database), &statements, options).await;
    let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(&database));
    let dropped = sqlx::raw_sql(AssertSqlSafe(drop)).execute(&mut admin).await;
    close(admin).await;
    let realm = result?;
    dropped.map_err(|e| InspectError::Scratch {
        database,
        message: server_message(&e),
    })?;
    Ok(realm)
}

async fn load_into(
    target: &PgConnectOptions,
    statements: &[(crate::Location, String)],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let mut conn = connect(target).await?;
    let result = apply(&mut conn, statements).await;
    let result = match result {
        Ok(()) => inspect(&mut conn, options).await,
        Err(e) => Err(e),
    };
    close(conn).await;
    result
}

async fn apply(
    conn: &mut PgConnection,
    statements: &[(crate::Location, String)],
) -> Result<(), InspectError> {
    for (location, text) in statements {
        if let Err(e) = sqlx::raw_sql(AssertSqlSafe(text.clone()))
            .execute(&mut *conn)
            .await
        {
            return Err(InspectError::Apply {
                location: location.clone(),
                message: server_message(&e),
            });
        }
    }
    Ok(())
}

/// The fallback for roles without `CREATEDB` (see the module docs).
async fn load_in_transaction(
    conn: &mut PgConnection,
    scratch: &str,
    statements: &[(crate::Location, String)],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let mut tx = Connection::begin(conn)
        .await
        .map_err(|e| query_error("transaction", &e))?;
    let setup = format!(
        "CREATE SCHEMA {name}; SET LOCAL search_path = {name}, public",
        name = quote(scratch)
    );
    let result = async {
        sqlx::raw_sql(AssertSqlSafe(setup))
            .execute(&mut *tx)
            .await
            .map_err(|e| InspectError::Scratch {
                database: scratch.to_owned(),
                message: server_message(&e),
            })?;
        apply(&mut tx, statements).await?;
        for setting in SESSION_SETTINGS {
            sqlx::query(setting)
                .execute(&mut *tx)
                .await
                .map_err(|e| query_error("session settings", &e))?;
        }
        let scoped = InspectOptions {
            schemas: vec![scratch.to_owned()],
            exclude: options.exclude.clone(),
        };
        catalog::read(&mut tx, &scoped).await
    }
    .await;
    if let Err(e) = tx.rollback().await {
        tracing::warn!(error = %e, "rolling back the fallback transaction");
    }
    let realm = result?;
    // The scratch name is unique, so replacing it in the serialized realm renames the
    // schema and every reference to it.
    let json = realm.to_json().replace(scratch, "public");
    Realm::from_json(&json).map_err(|e| InspectError::Unreadable {
        object: scratch.to_owned(),
        message: e.to_string(),
    })
}

fn parse_url(url: &str) -> Result<PgConnectOptions, InspectError> {
    PgConnectOptions::from_str(url).map_err(|e| InspectError::Url {
        url: redact_url(url),
        message: e.to_string().replace(url, &redact_url(url)),
    })
}

/// `host:port/database`, never the password.
fn target(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    )
}

async fn connect(options: &PgConnectOptions) -> Result<PgConnection, InspectError> {
    options.connect().await.map_err(|e| InspectError::Connect {
        target: target(options),
        message: server_message(&e),
    })
}

async fn close(conn: PgConnection) {
    if let Err(e) = conn.close().await {
        tracing::debug!(error = %e, "closing a connection");
    }
}

/// The server's own message for a database error, the driver's otherwise.
pub(super) fn server_message(error: &sqlx::Error) -> String {
    match error.as_database_error() {
        Some(db) => db.message().to_owned(),
        None => error.to_string(),
    }
}

fn query_error(what: &str, error: &sqlx::Error) -> InspectError {
    InspectError::Query {
        object: what.to_owned(),
        message: server_message(error),
    }
}

use schema_model::quote::postgres::quote_ident as quote;
