//! Migrations on SQLite.
//!
//! **The lock** is the database file's write lock: the run holds a `BEGIN IMMEDIATE`
//! transaction, which no other writer can start until it ends, and which ends with the
//! process should the process die. Waiting writers wait up to the lock timeout
//! (SQLite's `busy_timeout`). Inside it each file is a savepoint (mode file), or the
//! whole run is one (mode all), so a failing file leaves nothing behind and the files
//! before it are committed when the run ends.
//!
//! A file without a transaction (mode none: `VACUUM`, `PRAGMA foreign_keys`) cannot run
//! inside one, so the lock is let go while it runs and taken again after it; another
//! migrator can start in that window. The revision row records each statement as it
//! finishes, as on the other databases.
//!
//! Through a pool, the run uses one of the pool's connections (so that an in-memory
//! database is the pool's own), and gives it back with the `busy_timeout` it had.
//!
//! ```
//! # async fn run() -> Result<(), sextant::migrate::MigrateError> {
//! use sextant::migrate::{Migration, Migrator};
//!
//! let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.map_err(|e|
//!     sextant::migrate::MigrateError::Connect { target: "memory".into(), message: e.to_string() })?;
//! let migrator = Migrator::new(vec![Migration::new("1", "init", "1_init.sql",
//!     "CREATE TABLE users (id integer PRIMARY KEY);")])?;
//! let report = sextant::migrate::sqlite::apply(&pool, &migrator).await?;
//! assert_eq!(report.applied.len(), 1);
//! let again = sextant::migrate::sqlite::apply(&pool, &migrator).await?;
//! assert_eq!(again.round_trips, 1);
//! # Ok(()) }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run()).unwrap();
//! ```

use super::runner::{
    self, Backend, Baseline, DownOptions, DownReport, MigrateError, MigrateReport, Migrator,
    NewRevision, Repair, Revision, Status, connect_error, database_error,
};
use schema_model::Dialect;
use schema_plan::sqlite::quote_ident;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _, Row as _, Sqlite};
use std::str::FromStr as _;
use std::time::Duration;

/// Applies the pending migrations on one of the pool's connections.
///
/// # Errors
///
/// See [`MigrateError`].
pub async fn apply(pool: &SqlitePool, migrator: &Migrator) -> Result<MigrateReport, MigrateError> {
    let mut backend = Lite::new(pooled(pool).await?, migrator);
    let result = runner::apply(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// Opens the database file the URL names (created when missing) and applies the
/// pending migrations.
///
/// # Errors
///
/// See [`MigrateError`].
pub async fn apply_url(url: &str, migrator: &Migrator) -> Result<MigrateReport, MigrateError> {
    let mut backend = Lite::new(open(url, migrator, true).await?, migrator);
    let result = runner::apply(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// What is applied, pending and wrong, read through a pool.
///
/// # Errors
///
/// Query failures.
pub async fn status(pool: &SqlitePool, migrator: &Migrator) -> Result<Status, MigrateError> {
    let mut backend = Lite::new(pooled(pool).await?, migrator);
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
    let mut backend = Lite::new(open(url, migrator, false).await?, migrator);
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
    pool: &SqlitePool,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
) -> Result<Vec<Repair>, MigrateError> {
    let mut backend = Lite::new(pooled(pool).await?, migrator);
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
    pool: &SqlitePool,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    let mut backend = Lite::new(pooled(pool).await?, migrator);
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
    let mut backend = Lite::new(open(url, migrator, false).await?, migrator);
    let result = runner::repair(&mut backend, migrator, operator, version).await;
    backend.close().await;
    result
}

/// Opens the database file the URL names (created when missing) and marks migrations
/// as applied: see [`Migrator::baseline_url`].
///
/// # Errors
///
/// See [`Migrator::baseline_url`].
pub async fn baseline_url(
    url: &str,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    let mut backend = Lite::new(open(url, migrator, true).await?, migrator);
    let result = runner::baseline(&mut backend, migrator, version).await;
    backend.close().await;
    result
}

/// Reverts the last applied migrations on one of the pool's connections: see
/// [`Migrator::down_url`].
///
/// # Errors
///
/// See [`Migrator::down_url`].
pub async fn down(
    pool: &SqlitePool,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    let mut backend = Lite::new(pooled(pool).await?, migrator);
    let result = down_with_foreign_keys_off(&mut backend, migrator, options).await;
    backend.close().await;
    result
}

/// Opens the database file the URL names and reverts the last applied migrations:
/// see [`Migrator::down_url`].
///
/// # Errors
///
/// See [`Migrator::down_url`].
pub async fn down_url(
    url: &str,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    let mut backend = Lite::new(open(url, migrator, false).await?, migrator);
    let result = down_with_foreign_keys_off(&mut backend, migrator, options).await;
    backend.close().await;
    result
}

/// A down with the connection's foreign keys off (see `runner::skipped_in_down`),
/// switched back to what they were afterwards. The switch is the connection's, not
/// the database's: other connections keep enforcing them.
async fn down_with_foreign_keys_off(
    backend: &mut Lite,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    backend.round_trips += 1;
    let before: Result<i64, _> = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(backend.conn())
        .await;
    let before = before.map_err(|e| backend.error("reading foreign_keys", &e))?;
    if before != 0 {
        backend
            .raw(
                "turning foreign keys off",
                "PRAGMA foreign_keys = OFF".to_owned(),
            )
            .await?;
    }
    let result = runner::down(backend, migrator, options).await;
    if before != 0 {
        let restored = backend
            .raw(
                "turning foreign keys on",
                "PRAGMA foreign_keys = ON".to_owned(),
            )
            .await;
        if let Err(e) = restored {
            tracing::warn!(target: "sextant::migrate", error = %e, "turning foreign keys back on");
        }
    }
    result
}

async fn pooled(pool: &SqlitePool) -> Result<Conn, MigrateError> {
    pool.acquire()
        .await
        .map(Conn::Pooled)
        .map_err(|e| MigrateError::Connect {
            target: "the pool".to_owned(),
            message: e.to_string(),
        })
}

async fn open(url: &str, migrator: &Migrator, create: bool) -> Result<Conn, MigrateError> {
    let mut options = SqliteConnectOptions::from_str(url)
        .map_err(|e| connect_error(url, &e))?
        .busy_timeout(migrator.options().lock_timeout);
    // Otherwise the URL decides (`?mode=rwc`).
    if create {
        options = options.create_if_missing(true);
    }
    options
        .connect()
        .await
        .map(Conn::Own)
        .map_err(|e| connect_error(url, &e))
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
         \x20   applied_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n\
         \x20   execution_ms integer NOT NULL DEFAULT 0,\n\
         \x20   statements_applied integer NOT NULL,\n\
         \x20   statements_total integer NOT NULL,\n\
         \x20   error text,\n\
         \x20   baseline integer NOT NULL DEFAULT 0,\n\
         \x20   repaired_by text,\n\
         \x20   repaired_at text,\n\
         \x20   previous_checksum text\n\
         )"
    )
}

const SAVEPOINT: &str = "sextant_migration";

enum Conn {
    Pooled(PoolConnection<Sqlite>),
    Own(SqliteConnection),
}

struct Lite {
    conn: Conn,
    table: String,
    lock_timeout: Duration,
    /// Inside the `BEGIN IMMEDIATE` transaction.
    locked: bool,
    /// A pooled connection's own `busy_timeout`, to give back.
    busy_timeout: Option<i64>,
    round_trips: usize,
}

impl Lite {
    fn new(conn: Conn, migrator: &Migrator) -> Self {
        let options = migrator.options();
        let table = match &options.schema {
            Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&options.table)),
            None => quote_ident(&options.table),
        };
        Self {
            conn,
            table,
            lock_timeout: options.lock_timeout,
            locked: false,
            busy_timeout: None,
            round_trips: 0,
        }
    }

    fn conn(&mut self) -> &mut SqliteConnection {
        match &mut self.conn {
            Conn::Pooled(conn) => conn,
            Conn::Own(conn) => conn,
        }
    }

    fn error(&self, action: &'static str, error: &sqlx::Error) -> MigrateError {
        MigrateError::Revisions {
            table: self.table.clone(),
            action,
            message: database_error(error).0,
        }
    }

    async fn raw(&mut self, action: &'static str, sql: String) -> Result<(), MigrateError> {
        self.round_trips += 1;
        let result = sqlx::raw_sql(AssertSqlSafe(sql)).execute(self.conn()).await;
        result.map(|_| ()).map_err(|e| self.error(action, &e))
    }

    fn select_sql(&self) -> String {
        format!(
            "SELECT version, description, file, checksum, normalized_checksum, applied_at, \
             execution_ms, statements_applied, statements_total, error, baseline, repaired_by, \
             repaired_at, previous_checksum FROM {}",
            self.table
        )
    }

    async fn select(&mut self) -> Result<Vec<SqliteRow>, sqlx::Error> {
        self.round_trips += 1;
        let sql = self.select_sql();
        sqlx::query(AssertSqlSafe(sql)).fetch_all(self.conn()).await
    }

    /// Takes the write lock, waiting up to the lock timeout.
    async fn begin_immediate(&mut self) -> Result<(), MigrateError> {
        let ms = self.lock_timeout.as_millis();
        if matches!(self.conn, Conn::Pooled(_)) && self.busy_timeout.is_none() {
            self.round_trips += 1;
            let current: Result<i64, _> = sqlx::query_scalar("PRAGMA busy_timeout")
                .fetch_one(self.conn())
                .await;
            self.busy_timeout = Some(current.map_err(|e| self.error("reading busy_timeout", &e))?);
        }
        self.raw(
            "setting the lock timeout",
            format!("PRAGMA busy_timeout = {ms}"),
        )
        .await?;
        self.round_trips += 1;
        let result = sqlx::raw_sql("BEGIN IMMEDIATE").execute(self.conn()).await;
        match result {
            Ok(_) => {
                self.locked = true;
                Ok(())
            }
            Err(e) if is_busy(&e) => Err(MigrateError::LockTimeout {
                lock: self.lock_name(),
                timeout: self.lock_timeout,
            }),
            Err(e) => Err(self.error("taking the migration lock", &e)),
        }
    }

    async fn close(mut self) {
        if let Some(ms) = self.busy_timeout {
            let sql = format!("PRAGMA busy_timeout = {ms}");
            if let Err(e) = sqlx::raw_sql(AssertSqlSafe(sql)).execute(self.conn()).await {
                tracing::debug!(target: "sextant::migrate", error = %e, "restoring busy_timeout");
            }
        }
        if let Conn::Own(conn) = self.conn
            && let Err(e) = conn.close().await
        {
            tracing::debug!(target: "sextant::migrate", error = %e, "closing the connection");
        }
    }
}

fn is_busy(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|e| {
        e.code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| code & 0xff == 5 || code & 0xff == 6)
            || e.message().contains("database is locked")
    })
}

fn revision(row: &SqliteRow) -> Result<Revision, sqlx::Error> {
    Ok(Revision {
        version: row.try_get(0)?,
        description: row.try_get(1)?,
        file: row.try_get(2)?,
        checksum: row.try_get(3)?,
        normalized_checksum: row.try_get(4)?,
        applied_at: row.try_get(5)?,
        execution_ms: row.try_get(6)?,
        statements_applied: row.try_get(7)?,
        statements_total: row.try_get(8)?,
        error: row.try_get(9)?,
        baseline: row.try_get(10)?,
        repaired_by: row.try_get(11)?,
        repaired_at: row.try_get(12)?,
        previous_checksum: row.try_get(13)?,
    })
}

fn i64_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Backend for Lite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn table(&self) -> &str {
        &self.table
    }

    fn lock_name(&self) -> String {
        "BEGIN IMMEDIATE (the database file's write lock)".to_owned()
    }

    fn round_trips(&self) -> usize {
        self.round_trips
    }

    fn counts_in_transaction(&self) -> bool {
        false
    }

    async fn read(&mut self) -> Result<Option<Vec<Revision>>, MigrateError> {
        match self.select().await {
            Ok(rows) => rows
                .iter()
                .map(revision)
                .collect::<Result<_, _>>()
                .map(Some)
                .map_err(|e| self.error("reading the revisions", &e)),
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.message().starts_with("no such table")) =>
            {
                Ok(None)
            }
            Err(e) => Err(self.error("reading the revisions", &e)),
        }
    }

    async fn lock(&mut self) -> Result<Vec<Revision>, MigrateError> {
        self.begin_immediate().await?;
        let create = create_table_sql(&self.table);
        self.raw("creating the revision table", create).await?;
        Ok(self.read().await?.unwrap_or_default())
    }

    async fn unlock(&mut self) -> Result<(), MigrateError> {
        if self.locked {
            self.locked = false;
            self.raw("committing", "COMMIT".to_owned()).await?;
        }
        Ok(())
    }

    async fn begin(&mut self) -> Result<(), MigrateError> {
        self.raw("starting a savepoint", format!("SAVEPOINT {SAVEPOINT}"))
            .await
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        self.round_trips += 1;
        sqlx::raw_sql(AssertSqlSafe(format!("RELEASE {SAVEPOINT}")))
            .execute(self.conn())
            .await
            .map(|_| ())
    }

    async fn rollback(&mut self) -> Result<(), MigrateError> {
        self.raw(
            "rolling back",
            format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"),
        )
        .await
    }

    async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.round_trips += 1;
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(self.conn())
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
             statements_applied, statements_total, baseline) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.table
        );
        self.round_trips += 1;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(&m.version)
            .bind(&m.description)
            .bind(&m.file)
            .bind(&m.checksum)
            .bind(&row.normalized_checksum)
            .bind(i64_of(applied))
            .bind(i64_of(row.statements_total))
            .bind(row.baseline)
            .execute(self.conn())
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("writing a revision", &e))
    }

    async fn progress(
        &mut self,
        version: &str,
        applied: usize,
        execution_ms: Option<i64>,
    ) -> Result<(), MigrateError> {
        let sql = match execution_ms {
            Some(_) => format!(
                "UPDATE {} SET statements_applied = ?, execution_ms = ?, error = NULL \
                 WHERE version = ?",
                self.table
            ),
            None => format!(
                "UPDATE {} SET statements_applied = ?, execution_ms = coalesce(?, execution_ms) \
                 WHERE version = ?",
                self.table
            ),
        };
        self.round_trips += 1;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(i64_of(applied))
            .bind(execution_ms)
            .bind(version)
            .execute(self.conn())
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording progress", &e))
    }

    async fn record_error(&mut self, version: &str, message: &str) -> Result<(), MigrateError> {
        let sql = format!("UPDATE {} SET error = ? WHERE version = ?", self.table);
        self.round_trips += 1;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(message)
            .bind(version)
            .execute(self.conn())
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording a failure", &e))
    }

    async fn repair(&mut self, repair: &Repair, normalized: &str) -> Result<(), MigrateError> {
        let sql = format!(
            "UPDATE {} SET checksum = ?, normalized_checksum = ?, previous_checksum = ?, \
             repaired_by = ?, repaired_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             WHERE version = ?",
            self.table
        );
        self.round_trips += 1;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(&repair.checksum)
            .bind(normalized)
            .bind(&repair.previous_checksum)
            .bind(&repair.operator)
            .bind(&repair.version)
            .execute(self.conn())
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording a repair", &e))
    }

    async fn delete_revisions(&mut self, versions: &[String]) -> Result<(), MigrateError> {
        for version in versions {
            let sql = format!("DELETE FROM {} WHERE version = ?", self.table);
            self.round_trips += 1;
            let result = sqlx::query(AssertSqlSafe(sql))
                .bind(version)
                .execute(self.conn())
                .await;
            result.map_err(|e| self.error("deleting a revision", &e))?;
        }
        Ok(())
    }

    async fn inspect(
        &mut self,
        options: &schema_inspect::live::InspectOptions,
    ) -> Result<schema_model::Realm, MigrateError> {
        self.round_trips += 1;
        schema_inspect::live::sqlite::inspect_connection(self.conn(), options)
            .await
            .map_err(|e| MigrateError::Inspect {
                message: e.to_string(),
            })
    }

    async fn returns_rows(&mut self, sql: &str) -> Result<bool, sqlx::Error> {
        self.round_trips += 1;
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .fetch_optional(self.conn())
            .await
            .map(|row| row.is_some())
    }

    async fn suspend(&mut self) -> Result<(), MigrateError> {
        self.unlock().await
    }

    async fn resume(&mut self) -> Result<Option<Vec<Revision>>, MigrateError> {
        self.begin_immediate().await?;
        Ok(Some(self.read().await?.unwrap_or_default()))
    }
}
