//! Migrations on PostgreSQL.
//!
//! **The lock** is a transaction-level advisory lock (`pg_try_advisory_xact_lock`)
//! held by a transaction left open on a connection of its own for the whole run, while
//! the migrations run on a second connection. A transaction pins its server
//! connection in PgBouncer's transaction pooling, where a session lock
//! (`pg_advisory_lock`) would be taken on one server connection and released (or not)
//! on another; and a holder that dies closes its connection, which rolls the
//! transaction back and frees the lock, so it never stays stuck. Waiting replicas try
//! again with a growing, jittered pause rather than wait inside a transaction, so that
//! behind a pooler they do not hold server connections while they wait. The holding
//! transaction turns `idle_in_transaction_session_timeout` off for itself.
//!
//! Every query goes through the simple query protocol (`raw_sql`), values written as
//! literals: PgBouncer before 1.21 does not carry prepared statements across
//! transactions.
//!
//! ```no_run
//! # async fn run(pool: sqlx::PgPool) -> Result<(), sextant::migrate::MigrateError> {
//! use sextant::migrate::{Migration, Migrator};
//!
//! let migrator = Migrator::new(vec![Migration::new("1", "init", "1_init.sql",
//!     "CREATE TABLE users (id bigint PRIMARY KEY);")])?;
//! let report = sextant::migrate::postgres::apply(&pool, &migrator).await?;
//! assert!(report.round_trips <= 3 || report.locked);
//! # Ok(()) }
//! ```

use super::runner::{
    self, Backend, Baseline, DownOptions, DownReport, MigrateError, MigrateReport, Migrator,
    NewRevision, Repair, Revision, Status, backoff, connect_error, database_error,
};
use schema_model::Dialect;
use schema_plan::postgres::{quote_ident, quote_literal};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgRow};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _, Row as _};
use std::str::FromStr as _;
use std::time::{Duration, Instant};

/// Applies the pending migrations through a pool: the revisions are read through it,
/// and when something is pending, two connections of their own (made from the pool's
/// options) hold the lock and run the migrations.
///
/// # Errors
///
/// See [`MigrateError`].
pub async fn apply(pool: &PgPool, migrator: &Migrator) -> Result<MigrateReport, MigrateError> {
    let mut backend = Pg::new(Source::Pool(pool), migrator);
    let result = runner::apply(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// Connects to the URL and applies the pending migrations.
///
/// # Errors
///
/// See [`MigrateError`]; a connection error never holds the password.
pub async fn apply_url(url: &str, migrator: &Migrator) -> Result<MigrateReport, MigrateError> {
    let mut backend = Pg::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::apply(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// What is applied, pending and wrong, read through a pool.
///
/// # Errors
///
/// Query failures.
pub async fn status(pool: &PgPool, migrator: &Migrator) -> Result<Status, MigrateError> {
    let mut backend = Pg::new(Source::Pool(pool), migrator);
    let result = runner::read_status(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// [`status`] for a URL.
///
/// # Errors
///
/// Connection and query failures.
pub async fn status_url(url: &str, migrator: &Migrator) -> Result<Status, MigrateError> {
    let mut backend = Pg::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::read_status(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// Accepts edited files through a pool: see [`Migrator::repair_url`].
///
/// # Errors
///
/// Connection, lock and query failures.
pub async fn repair(
    pool: &PgPool,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
) -> Result<Vec<Repair>, MigrateError> {
    let mut backend = Pg::new(Source::Pool(pool), migrator);
    let result = runner::repair(&mut backend, migrator, operator, version).await;
    backend.close().await;
    result
}

/// Marks migrations as applied through a pool: see [`Migrator::baseline_url`].
///
/// # Errors
///
/// See [`Migrator::baseline_url`].
pub async fn baseline(
    pool: &PgPool,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    let mut backend = Pg::new(Source::Pool(pool), migrator);
    let result = runner::baseline(&mut backend, migrator, version).await;
    backend.close().await;
    result
}

/// Accepts edited files: see [`Migrator::repair_url`].
///
/// # Errors
///
/// Connection, lock and query failures.
pub async fn repair_url(
    url: &str,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
) -> Result<Vec<Repair>, MigrateError> {
    let mut backend = Pg::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::repair(&mut backend, migrator, operator, version).await;
    backend.close().await;
    result
}

/// Marks migrations as applied: see [`Migrator::baseline_url`].
///
/// # Errors
///
/// See [`Migrator::baseline_url`].
pub async fn baseline_url(
    url: &str,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    let mut backend = Pg::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::baseline(&mut backend, migrator, version).await;
    backend.close().await;
    result
}

/// Reverts the last applied migrations through a pool: see [`Migrator::down_url`].
///
/// # Errors
///
/// See [`Migrator::down_url`].
pub async fn down(
    pool: &PgPool,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    let mut backend = Pg::new(Source::Pool(pool), migrator);
    let result = runner::down(&mut backend, migrator, options).await;
    backend.close().await;
    result
}

/// Connects to the URL and reverts the last applied migrations: see
/// [`Migrator::down_url`].
///
/// # Errors
///
/// See [`Migrator::down_url`].
pub async fn down_url(
    url: &str,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    let mut backend = Pg::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::down(&mut backend, migrator, options).await;
    backend.close().await;
    result
}

fn parse(url: &str) -> Result<PgConnectOptions, MigrateError> {
    PgConnectOptions::from_str(url).map_err(|e| connect_error(url, &e))
}

/// The revision table's DDL.
pub(crate) fn create_table_sql(table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {table} (\n\
         \x20   version text PRIMARY KEY,\n\
         \x20   description text NOT NULL,\n\
         \x20   file text NOT NULL,\n\
         \x20   checksum text NOT NULL,\n\
         \x20   normalized_checksum text NOT NULL,\n\
         \x20   applied_at timestamptz NOT NULL DEFAULT now(),\n\
         \x20   execution_ms bigint NOT NULL DEFAULT 0,\n\
         \x20   statements_applied integer NOT NULL,\n\
         \x20   statements_total integer NOT NULL,\n\
         \x20   error text,\n\
         \x20   baseline boolean NOT NULL DEFAULT false,\n\
         \x20   repaired_by text,\n\
         \x20   repaired_at timestamptz,\n\
         \x20   previous_checksum text\n\
         )"
    )
}

/// The lock's key: advisory locks are per database, so the table's name tells the
/// migrators of one database apart from those of another schema.
fn lock_key(schema: &str, table: &str) -> i64 {
    let digest = super::sha256_hex(format!("sextant_migrate\0{schema}\0{table}").as_bytes());
    let mut key = 0u64;
    for c in digest.chars().take(16) {
        key = (key << 4) | u64::from(c.to_digit(16).unwrap_or_default());
    }
    i64::from_ne_bytes(key.to_ne_bytes())
}

enum Source<'a> {
    Pool(&'a PgPool),
    Url(&'a str, Box<PgConnectOptions>),
}

struct Pg<'a> {
    source: Source<'a>,
    /// The connection migrations run on.
    work: Option<PgConnection>,
    /// The connection whose open transaction holds the lock.
    lock: Option<PgConnection>,
    schema: String,
    table: String,
    key: i64,
    lock_timeout: Duration,
    round_trips: usize,
    /// SQL held back to ride with the next query, saving a round trip each: the
    /// `BEGIN` of a transaction, and a file's last revision update before its `COMMIT`.
    held: String,
    /// Inside a transaction on the migrating connection.
    in_transaction: bool,
}

impl<'a> Pg<'a> {
    fn new(source: Source<'a>, migrator: &Migrator) -> Self {
        let options = migrator.options();
        let schema = options
            .schema
            .clone()
            .unwrap_or_else(|| "public".to_owned());
        Self {
            source,
            work: None,
            lock: None,
            table: format!("{}.{}", quote_ident(&schema), quote_ident(&options.table)),
            key: lock_key(&schema, &options.table),
            schema,
            lock_timeout: options.lock_timeout,
            round_trips: 0,
            held: String::new(),
            in_transaction: false,
        }
    }

    async fn connect(&self) -> Result<PgConnection, MigrateError> {
        match &self.source {
            Source::Pool(pool) => {
                pool.connect_options()
                    .connect()
                    .await
                    .map_err(|e| MigrateError::Connect {
                        target: "the pool's database".to_owned(),
                        message: e.to_string(),
                    })
            }
            Source::Url(url, options) => {
                options.connect().await.map_err(|e| connect_error(url, &e))
            }
        }
    }

    async fn work(&mut self) -> Result<&mut PgConnection, MigrateError> {
        if self.work.is_none() {
            self.work = Some(self.connect().await?);
        }
        self.work.as_mut().ok_or_else(|| MigrateError::Connect {
            target: "the database".to_owned(),
            message: "no connection".to_owned(),
        })
    }

    fn error(&self, action: &'static str, error: &sqlx::Error) -> MigrateError {
        MigrateError::Revisions {
            table: self.table.clone(),
            action,
            message: database_error(error).0,
        }
    }

    /// The held SQL followed by `sql`.
    fn with_held(&mut self, sql: &str) -> String {
        let mut out = std::mem::take(&mut self.held);
        out.push_str(sql);
        out
    }

    /// Runs bookkeeping SQL on the migrating connection.
    async fn run(&mut self, action: &'static str, sql: String) -> Result<(), MigrateError> {
        let sql = self.with_held(&sql);
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn).await;
        result.map(|_| ()).map_err(|e| self.error(action, &e))
    }

    fn select_sql(&self) -> String {
        format!(
            "SELECT version, description, file, checksum, normalized_checksum, \
             applied_at::text, execution_ms, statements_applied, statements_total, error, \
             baseline, repaired_by, repaired_at::text, previous_checksum FROM {}",
            self.table
        )
    }

    async fn close(self) {
        for conn in [self.lock, self.work].into_iter().flatten() {
            if let Err(e) = conn.close().await {
                tracing::debug!(target: "sextant::migrate", error = %e, "closing a connection");
            }
        }
    }
}

fn revision(row: &PgRow) -> Result<Revision, sqlx::Error> {
    Ok(Revision {
        version: row.try_get(0)?,
        description: row.try_get(1)?,
        file: row.try_get(2)?,
        checksum: row.try_get(3)?,
        normalized_checksum: row.try_get(4)?,
        applied_at: row.try_get(5)?,
        execution_ms: row.try_get(6)?,
        statements_applied: i64::from(row.try_get::<i32, _>(7)?),
        statements_total: i64::from(row.try_get::<i32, _>(8)?),
        error: row.try_get(9)?,
        baseline: row.try_get(10)?,
        repaired_by: row.try_get(11)?,
        repaired_at: row.try_get(12)?,
        previous_checksum: row.try_get(13)?,
    })
}

fn revisions(rows: &[PgRow]) -> Result<Vec<Revision>, sqlx::Error> {
    rows.iter().map(revision).collect()
}

fn is_undefined_table(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "42P01" || code == "3F000")
}

fn optional_literal(value: Option<&str>) -> String {
    value.map_or_else(|| "NULL".to_owned(), quote_literal)
}

impl Backend for Pg<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn table(&self) -> &str {
        &self.table
    }

    fn lock_name(&self) -> String {
        format!("pg_advisory_xact_lock({}) for {}", self.key, self.table)
    }

    fn round_trips(&self) -> usize {
        self.round_trips
    }

    fn counts_in_transaction(&self) -> bool {
        false
    }

    async fn read(&mut self) -> Result<Option<Vec<Revision>>, MigrateError> {
        let sql = self.select_sql();
        self.round_trips += 1;
        let pool = match &self.source {
            Source::Pool(pool) if self.work.is_none() => Some(*pool),
            _ => None,
        };
        let rows = match pool {
            Some(pool) => sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(pool).await,
            None => {
                let conn = self.work().await?;
                sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(conn).await
            }
        };
        match rows {
            Ok(rows) => revisions(&rows)
                .map(Some)
                .map_err(|e| self.error("reading the revisions", &e)),
            Err(e) if is_undefined_table(&e) => Ok(None),
            Err(e) => Err(self.error("reading the revisions", &e)),
        }
    }

    async fn lock(&mut self) -> Result<Vec<Revision>, MigrateError> {
        let mut conn = self.connect().await?;
        let try_lock = format!(
            "BEGIN; SET LOCAL idle_in_transaction_session_timeout = 0; \
             SELECT pg_try_advisory_xact_lock({})",
            self.key
        );
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            self.round_trips += 1;
            let rows = sqlx::raw_sql(AssertSqlSafe(try_lock.clone()))
                .fetch_all(&mut conn)
                .await
                .map_err(|e| self.error("taking the migration lock", &e))?;
            let taken = match rows.last() {
                Some(row) => row
                    .try_get::<bool, _>(0)
                    .map_err(|e| self.error("taking the migration lock", &e))?,
                None => false,
            };
            if taken {
                break;
            }
            self.round_trips += 1;
            sqlx::raw_sql("ROLLBACK")
                .execute(&mut conn)
                .await
                .map_err(|e| self.error("taking the migration lock", &e))?;
            if started.elapsed() >= self.lock_timeout {
                if let Err(e) = conn.close().await {
                    tracing::debug!(target: "sextant::migrate", error = %e, "closing the lock connection");
                }
                return Err(MigrateError::LockTimeout {
                    lock: self.lock_name(),
                    timeout: self.lock_timeout,
                });
            }
            if attempt == 0 {
                tracing::info!(target: "sextant::migrate", lock = %self.lock_name(), "waiting for another migrator");
            }
            let pause = backoff(attempt).min(self.lock_timeout.saturating_sub(started.elapsed()));
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
        self.lock = Some(conn);
        tracing::debug!(target: "sextant::migrate", lock = %self.lock_name(), "lock taken");
        // Creating a schema needs CREATE on the database even when the schema exists,
        // so `public` is left alone.
        let mut sql = String::new();
        if self.schema != "public" {
            sql.push_str(&format!(
                "CREATE SCHEMA IF NOT EXISTS {};\n",
                quote_ident(&self.schema)
            ));
        }
        sql.push_str(&create_table_sql(&self.table));
        sql.push_str(";\n");
        sql.push_str(&self.select_sql());
        self.round_trips += 1;
        let conn = self.work().await?;
        let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(conn).await;
        match rows {
            Ok(rows) => revisions(&rows).map_err(|e| self.error("reading the revisions", &e)),
            Err(e) => Err(self.error("creating the revision table", &e)),
        }
    }

    async fn unlock(&mut self) -> Result<(), MigrateError> {
        if let Some(mut conn) = self.lock.take() {
            self.round_trips += 1;
            let result = sqlx::raw_sql("COMMIT").execute(&mut conn).await;
            if let Err(e) = conn.close().await {
                tracing::debug!(target: "sextant::migrate", error = %e, "closing the lock connection");
            }
            result.map_err(|e| self.error("releasing the migration lock", &e))?;
        }
        Ok(())
    }

    async fn begin(&mut self) -> Result<(), MigrateError> {
        self.in_transaction = true;
        self.held.push_str("BEGIN;\n");
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        self.in_transaction = false;
        let sql = self.with_held("COMMIT");
        self.round_trips += 1;
        let Some(conn) = self.work.as_mut() else {
            return Ok(());
        };
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(conn)
            .await
            .map(|_| ())
    }

    async fn rollback(&mut self) -> Result<(), MigrateError> {
        self.in_transaction = false;
        let held = std::mem::take(&mut self.held);
        if held == "BEGIN;\n" {
            // Nothing was sent: there is no transaction to roll back.
            return Ok(());
        }
        self.run("rolling back", "ROLLBACK".to_owned()).await
    }

    async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = &self.with_held(sql);
        self.round_trips += 1;
        let conn = match self.work().await {
            Ok(conn) => conn,
            Err(e) => return Err(sqlx::Error::Protocol(e.to_string())),
        };
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(conn)
            .await
            .map(|_| ())
    }

    async fn insert(&mut self, row: &NewRevision<'_>) -> Result<(), MigrateError> {
        let m = row.migration;
        let applied = if row.baseline {
            row.statements_total
        } else {
            0
        };
        let sql = format!(
            "INSERT INTO {} (version, description, file, checksum, normalized_checksum, \
             statements_applied, statements_total, baseline) VALUES ({}, {}, {}, {}, {}, {}, {}, {})",
            self.table,
            quote_literal(&m.version),
            quote_literal(&m.description),
            quote_literal(&m.file),
            quote_literal(&m.checksum),
            quote_literal(&row.normalized_checksum),
            applied,
            row.statements_total,
            row.baseline,
        );
        self.run("writing a revision", sql).await
    }

    async fn progress(
        &mut self,
        version: &str,
        applied: usize,
        execution_ms: Option<i64>,
    ) -> Result<(), MigrateError> {
        let finish = execution_ms
            .map(|ms| format!(", execution_ms = {ms}, error = NULL"))
            .unwrap_or_default();
        let sql = format!(
            "UPDATE {} SET statements_applied = {applied}{finish} WHERE version = {}",
            self.table,
            quote_literal(version)
        );
        if self.in_transaction && execution_ms.is_some() {
            // A file's last update inside its transaction goes with what comes next
            // there (its COMMIT, or the next file's first query in mode all).
            self.held.push_str(&sql);
            self.held.push_str(";\n");
            return Ok(());
        }
        self.run("recording progress", sql).await
    }

    async fn record_error(&mut self, version: &str, message: &str) -> Result<(), MigrateError> {
        let sql = format!(
            "UPDATE {} SET error = {} WHERE version = {}",
            self.table,
            quote_literal(&message.replace('\0', "")),
            quote_literal(version)
        );
        self.run("recording a failure", sql).await
    }

    async fn repair(&mut self, repair: &Repair, normalized: &str) -> Result<(), MigrateError> {
        let sql = format!(
            "UPDATE {} SET checksum = {}, normalized_checksum = {}, previous_checksum = {}, \
             repaired_by = {}, repaired_at = now() WHERE version = {}",
            self.table,
            quote_literal(&repair.checksum),
            quote_literal(normalized),
            optional_literal(Some(&repair.previous_checksum)),
            quote_literal(&repair.operator),
            quote_literal(&repair.version),
        );
        self.run("recording a repair", sql).await
    }

    async fn delete_revisions(&mut self, versions: &[String]) -> Result<(), MigrateError> {
        let list: Vec<String> = versions.iter().map(|v| quote_literal(v)).collect();
        if list.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM {} WHERE version IN ({})",
            self.table,
            list.join(", ")
        );
        self.run("deleting the reverted revisions", sql).await
    }

    async fn inspect(
        &mut self,
        options: &schema_inspect::live::InspectOptions,
    ) -> Result<schema_model::Realm, MigrateError> {
        self.round_trips += 1;
        let conn = self.work().await?;
        schema_inspect::live::postgres::inspect(&mut *conn, options)
            .await
            .map_err(|e| MigrateError::Inspect {
                message: e.to_string(),
            })
    }

    async fn returns_rows(&mut self, sql: &str) -> Result<bool, sqlx::Error> {
        let sql = self.with_held(sql);
        self.round_trips += 1;
        let conn = match self.work().await {
            Ok(conn) => conn,
            Err(e) => return Err(sqlx::Error::Protocol(e.to_string())),
        };
        sqlx::raw_sql(AssertSqlSafe(sql))
            .fetch_optional(conn)
            .await
            .map(|row| row.is_some())
    }

    async fn suspend(&mut self) -> Result<(), MigrateError> {
        Ok(())
    }

    async fn resume(&mut self) -> Result<Option<Vec<Revision>>, MigrateError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_key_depends_on_schema_and_table() {
        assert_eq!(lock_key("public", "t"), lock_key("public", "t"));
        assert_ne!(lock_key("public", "t"), lock_key("ops", "t"));
        assert_ne!(lock_key("public", "t"), lock_key("public", "u"));
    }
}
