//! Live inspection of MySQL 8 and MariaDB 10.11, and the dev-database loader.
//!
//! The inspector reads `information_schema` with a fixed number of queries
//! ([`CATALOG_QUERIES`]), each over every inspected database at once, and turns the rows
//! into the realm the offline loader reads from the SQL that built the database. The
//! database the connection uses is the model's default schema `""`; other databases
//! named in [`InspectOptions::schemas`] keep their names.
//!
//! Canonical forms the catalog forces (and the offline loader follows):
//!
//! - table options are kept where they differ from what the server would pick anyway:
//!   the engine unless it is the default engine (InnoDB), the charset and collation
//!   unless they are the database's, the collation only where it is not the charset's
//!   default; `ROW_FORMAT` only when the table names one. Columns keep a charset and
//!   collation by the same rule against their table's.
//! - foreign-key actions `RESTRICT` and `NO ACTION` are one value, `NoAction`: MariaDB
//!   reports an unspecified action as `RESTRICT`, MySQL 8 as `NO ACTION`, and InnoDB
//!   treats them alike.
//! - MariaDB's `json` is `longtext` with a `json_valid` check; the model has `json` and
//!   no check.
//! - views go through the offline loader's own query canonicalizer (after the server's
//!   qualification with the current database is removed), so both sides print the
//!   same text.
//!
//! - events come from `information_schema.EVENTS`, whose intervals and timestamps are
//!   already the model's canonical form; the STARTS the server fills in for an `EVERY`
//!   without one is told from an explicit one by comparing it with the creation and
//!   last-alteration times (see `catalog::IMPLICIT_STARTS`). `DEFINER` is not read, as
//!   for routines and triggers.
//!
//! Not read: privileges (MySQL grants belong to accounts; the offline loader sets them
//! aside too), `FOLLOWS`/`PRECEDES` trigger order and ignored (MariaDB) or invisible
//! (MySQL) indexes, for which the model has no place yet.

mod build;
mod catalog;

use super::{InspectError, InspectOptions, scratch_name, statements};
use crate::{LoadOptions, Location, Source, load_sql};
use schema_model::{Dialect, QualifiedName, Realm};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};
use std::collections::BTreeMap;
use std::str::FromStr;

/// How many catalog queries one inspection sends, whatever the number of objects.
pub const CATALOG_QUERIES: usize = catalog::QUERIES;

/// Inspects the database a connection (or pool) reaches.
pub async fn inspect<'c, A>(conn: A, options: &InspectOptions) -> Result<Realm, InspectError>
where
    A: sqlx::Acquire<'c, Database = sqlx::MySql>,
{
    let mut conn = conn.acquire().await.map_err(|e| InspectError::Connect {
        target: "pool".to_owned(),
        message: e.to_string(),
    })?;
    inspect_connection(&mut conn, options).await
}

/// [`inspect`] on a connection in hand. Not generic, so that its future is `Send`
/// whatever the caller's lifetimes (the migration runner inspects through its own
/// connection inside a `Send` future).
pub async fn inspect_connection(
    conn: &mut MySqlConnection,
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let server = catalog::server(conn).await?;
    let databases: Vec<String> = if options.schemas.is_empty() {
        match &server.database {
            Some(database) => vec![database.clone()],
            None => {
                return Err(InspectError::Unreadable {
                    object: "connection".to_owned(),
                    message: "no database selected: name one in the URL or in the options"
                        .to_owned(),
                });
            }
        }
    } else {
        options.schemas.clone()
    };
    tracing::debug!(?databases, flavor = ?server.flavor, "inspecting");
    let catalog = catalog::read(conn, &server, &databases).await?;
    let builder = build::Builder {
        server: &server,
        options,
    };
    Ok(builder.build(&catalog))
}

/// `host:port/database` for messages: never the password.
fn target(options: &MySqlConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    )
}

fn connect_options(url: &str) -> Result<MySqlConnectOptions, InspectError> {
    let options = MySqlConnectOptions::from_str(url).map_err(|e| InspectError::Url {
        url: super::redact_url(url),
        message: e.to_string(),
    })?;
    // The mysql client's session: `||` is OR, and the server's time zone stands.
    Ok(options.pipes_as_concat(false).timezone(None))
}

async fn connect(options: &MySqlConnectOptions) -> Result<MySqlConnection, InspectError> {
    options.connect().await.map_err(|e| InspectError::Connect {
        target: target(options),
        message: e.to_string(),
    })
}

/// Connects to the URL and inspects that database.
pub async fn inspect_url(url: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    let mut conn = connect(&connect_options(url)?).await?;
    let realm = inspect_connection(&mut conn, options).await;
    if let Err(error) = conn.close().await {
        tracing::debug!(%error, "closing the connection");
    }
    realm
}

/// Row estimates per table of the connection's database (see [`super::table_rows`]),
/// one query; the database is the model's default schema `""`.
pub async fn table_rows(
    conn: &mut MySqlConnection,
) -> Result<BTreeMap<QualifiedName, u64>, InspectError> {
    let rows: Vec<(String, Option<u64>)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_ROWS AS UNSIGNED) \
         FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| InspectError::Query {
        object: "table sizes".to_owned(),
        message: server_message(&e),
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(table, rows)| Some((QualifiedName::new("", table), rows?)))
        .collect())
}

/// Connects to the URL and reads [`table_rows`].
pub async fn table_rows_url(url: &str) -> Result<BTreeMap<QualifiedName, u64>, InspectError> {
    let mut conn = connect(&connect_options(url)?).await?;
    let rows = table_rows(&mut conn).await;
    if let Err(error) = conn.close().await {
        tracing::debug!(%error, "closing the connection");
    }
    rows
}

/// The server's own words for a failed statement: `ERROR 1064 (42000): ...`, as the
/// mysql client prints them.
fn server_message(error: &sqlx::Error) -> String {
    match error.as_database_error() {
        Some(db) => {
            let number = db
                .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                .map(|e| e.number().to_string());
            match (number, db.code()) {
                (Some(n), Some(state)) => format!("ERROR {n} ({state}): {}", db.message()),
                _ => db.message().to_owned(),
            }
        }
        None => error.to_string(),
    }
}

use schema_model::quote::mysql::quote_ident;

async fn execute(conn: &mut MySqlConnection, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The database a `CREATE DATABASE|SCHEMA [IF NOT EXISTS] name` statement creates.
fn created_database(statement: &str) -> Option<String> {
    let mut words = statement.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("create") {
        return None;
    }
    let kind = words.next()?;
    if !kind.eq_ignore_ascii_case("database") && !kind.eq_ignore_ascii_case("schema") {
        return None;
    }
    let mut name = words.next()?;
    if name.eq_ignore_ascii_case("if") {
        words.next();
        words.next();
        name = words.next()?;
    }
    let name = name.trim_end_matches(';');
    let name = name
        .strip_prefix('`')
        .and_then(|n| n.strip_suffix('`'))
        .map(|n| n.replace("``", "`"))
        .unwrap_or_else(|| name.to_owned());
    Some(name)
}

async fn database_exists(conn: &mut MySqlConnection, name: &str) -> Result<bool, InspectError> {
    let rows = catalog::fetch(
        conn,
        "databases",
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?".to_owned(),
        &[name.to_owned()],
    )
    .await?;
    Ok(!rows.is_empty())
}

/// Applies the statements in order on one connection. Databases that a statement
/// creates (and that did not exist before) go into `created`, to be dropped with the
/// scratch database.
async fn apply(
    conn: &mut MySqlConnection,
    statements: &[(Location, String)],
    created: &mut Vec<String>,
) -> Result<(), InspectError> {
    for (location, text) in statements {
        let new_database = match created_database(text) {
            Some(name) if !database_exists(conn, &name).await? => Some(name),
            _ => None,
        };
        tracing::trace!(%location, "applying");
        execute(conn, text.clone())
            .await
            .map_err(|e| InspectError::Apply {
                location: location.clone(),
                message: server_message(&e),
            })?;
        created.extend(new_database);
    }
    Ok(())
}

/// Applies the sources to a scratch database on the server and inspects it.
///
/// The scratch database is the connection's database while the SQL runs, and the
/// realm's default schema `""` afterwards. SQL that creates and `USE`s its own
/// database (`CREATE DATABASE shop; USE shop;`) is run as written: that database is
/// then the default schema (as the offline loader reads `USE`), and it is dropped
/// afterwards with the scratch database, unless it existed before. Every database the
/// load created is dropped, also when applying fails.
pub async fn load_dev(
    url: &str,
    sources: &[Source],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let statements = statements(sources, Dialect::Mysql)?;
    let server_options = connect_options(url)?;
    let mut admin = connect(&server_options).await?;
    let scratch = scratch_name();
    execute(
        &mut admin,
        format!("CREATE DATABASE {}", quote_ident(&scratch)),
    )
    .await
    .map_err(|e| InspectError::Scratch {
        database: scratch.clone(),
        message: server_message(&e),
    })?;
    let mut created = vec![scratch.clone()];
    let result = async {
        let mut conn = connect(&server_options.clone().database(&scratch)).await?;
        let applied = apply(&mut conn, &statements, &mut created).await;
        let realm = match applied {
            Ok(()) => inspect_connection(&mut conn, options).await,
            Err(error) => Err(error),
        };
        if let Err(error) = conn.close().await {
            tracing::debug!(%error, "closing the scratch connection");
        }
        realm
    }
    .await;
    let mut drop_error = None;
    for database in created.iter().rev() {
        if let Err(error) = execute(
            &mut admin,
            format!("DROP DATABASE IF EXISTS {}", quote_ident(database)),
        )
        .await
        {
            tracing::warn!(database, %error, "dropping a scratch database");
            drop_error.get_or_insert(InspectError::Scratch {
                database: database.clone(),
                message: server_message(&error),
            });
        }
    }
    if let Err(error) = admin.close().await {
        tracing::debug!(%error, "closing the admin connection");
    }
    match (result, drop_error) {
        (Ok(_), Some(error)) => Err(error),
        (result, _) => result,
    }
}

/// A view's query in the offline loader's canonical text. The server qualifies every
/// table with its database; names in the connection's own database lose that, as they
/// are unqualified in the SQL that made them.
fn view_definition(database: &str, text: &str, current: &Option<String>) -> String {
    let unqualified = if current.as_deref() == Some(database) {
        text.replace(&format!("{}.", quote_ident(database)), "")
    } else {
        text.to_owned()
    };
    let sql = format!("CREATE VIEW `v` AS {unqualified}");
    match load_sql(&sql, "view", &LoadOptions::new(Dialect::Mysql)) {
        Ok(loaded) => loaded
            .realm
            .schemas
            .get("")
            .and_then(|s| s.views.get("v"))
            .map(|v| v.definition.clone())
            .unwrap_or(unqualified),
        Err(error) => {
            tracing::debug!(%error, "view definition kept as the server prints it");
            unqualified
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_databases_are_recognised() {
        assert_eq!(
            created_database("CREATE DATABASE IF NOT EXISTS `my``db`;").as_deref(),
            Some("my`db")
        );
        assert_eq!(
            created_database("create schema shop").as_deref(),
            Some("shop")
        );
        assert_eq!(created_database("CREATE TABLE t (a int)"), None);
    }
}
