//! Migrations on MySQL and MariaDB.
//!
//! **The lock** is `GET_LOCK` on a connection of its own, held for the whole run while
//! the migrations run on a second connection. Its name is server-wide, so it is made
//! from the database and the revision table's name (hashed to fit MySQL's 64
//! characters). A holder that dies closes its connection, which releases the lock.
//!
//! MySQL commits DDL implicitly, so a transaction cannot make a file of DDL atomic:
//! the revision row counts the statements as they finish, whatever the mode, and a
//! file that fails half-way resumes at the failing statement on the next run (fix the
//! file from that statement on). DML in mode file or all is still rolled back.

use super::runner::{
    self, Backend, Baseline, DownOptions, DownReport, MigrateError, MigrateReport, Migrator,
    NewRevision, Repair, Revision, Status, connect_error, database_error,
};
use schema_model::Dialect;
use schema_plan::mysql::quote_ident;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlPool, MySqlRow};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _, Row as _};
use std::str::FromStr as _;
use std::time::Duration;

/// Applies the pending migrations through a pool: the revisions are read through it,
/// and when something is pending, two connections of their own (made from the pool's
/// options) hold the lock and run the migrations.
///
/// # Errors
///
/// See [`MigrateError`].
pub async fn apply(pool: &MySqlPool, migrator: &Migrator) -> Result<MigrateReport, MigrateError> {
    let mut backend = My::new(Source::Pool(pool), migrator);
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
    let mut backend = My::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::apply(&mut backend, migrator).await;
    backend.close().await;
    result
}

/// What is applied, pending and wrong, read through a pool.
///
/// # Errors
///
/// Query failures.
pub async fn status(pool: &MySqlPool, migrator: &Migrator) -> Result<Status, MigrateError> {
    let mut backend = My::new(Source::Pool(pool), migrator);
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
    let mut backend = My::new(Source::Url(url, Box::new(parse(url)?)), migrator);
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
    pool: &MySqlPool,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
) -> Result<Vec<Repair>, MigrateError> {
    let mut backend = My::new(Source::Pool(pool), migrator);
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
    pool: &MySqlPool,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    let mut backend = My::new(Source::Pool(pool), migrator);
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
    let mut backend = My::new(Source::Url(url, Box::new(parse(url)?)), migrator);
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
    let mut backend = My::new(Source::Url(url, Box::new(parse(url)?)), migrator);
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
    pool: &MySqlPool,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    let mut backend = My::new(Source::Pool(pool), migrator);
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
    let mut backend = My::new(Source::Url(url, Box::new(parse(url)?)), migrator);
    let result = runner::down(&mut backend, migrator, options).await;
    backend.close().await;
    result
}

fn parse(url: &str) -> Result<MySqlConnectOptions, MigrateError> {
    MySqlConnectOptions::from_str(url).map_err(|e| connect_error(url, &e))
}

/// The revision table's DDL.
pub(crate) fn create_table_sql(table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {table} (\n\
         \x20   version varchar(191) NOT NULL PRIMARY KEY,\n\
         \x20   description text NOT NULL,\n\
         \x20   file text NOT NULL,\n\
         \x20   checksum varchar(64) NOT NULL,\n\
         \x20   normalized_checksum varchar(64) NOT NULL,\n\
         \x20   applied_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n\
         \x20   execution_ms bigint NOT NULL DEFAULT 0,\n\
         \x20   statements_applied int NOT NULL,\n\
         \x20   statements_total int NOT NULL,\n\
         \x20   error text NULL,\n\
         \x20   baseline boolean NOT NULL DEFAULT false,\n\
         \x20   repaired_by text NULL,\n\
         \x20   repaired_at datetime(6) NULL,\n\
         \x20   previous_checksum varchar(64) NULL\n\
         ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
    )
}

enum Source<'a> {
    Pool(&'a MySqlPool),
    Url(&'a str, Box<MySqlConnectOptions>),
}

struct My<'a> {
    source: Source<'a>,
    work: Option<MySqlConnection>,
    lock: Option<MySqlConnection>,
    schema: Option<String>,
    table_name: String,
    table: String,
    lock_timeout: Duration,
    round_trips: usize,
}

/// The lock's name, before hashing: `GET_LOCK` names are server-wide.
const LOCK_NAME_SQL: &str =
    "LEFT(SHA2(CONCAT('sextant_migrate.', COALESCE(?, DATABASE(), ''), '.', ?), 256), 64)";

impl<'a> My<'a> {
    fn new(source: Source<'a>, migrator: &Migrator) -> Self {
        let options = migrator.options();
        let table = match &options.schema {
            Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&options.table)),
            None => quote_ident(&options.table),
        };
        Self {
            source,
            work: None,
            lock: None,
            schema: options.schema.clone(),
            table_name: options.table.clone(),
            table,
            lock_timeout: options.lock_timeout,
            round_trips: 0,
        }
    }

    async fn connect(&self) -> Result<MySqlConnection, MigrateError> {
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

    async fn work(&mut self) -> Result<&mut MySqlConnection, MigrateError> {
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

    async fn raw(&mut self, action: &'static str, sql: String) -> Result<(), MigrateError> {
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn).await;
        result.map(|_| ()).map_err(|e| self.error(action, &e))
    }

    fn select_sql(&self) -> String {
        format!(
            "SELECT version, description, file, checksum, normalized_checksum, \
             CAST(applied_at AS CHAR), execution_ms, statements_applied, statements_total, \
             error, baseline, repaired_by, CAST(repaired_at AS CHAR), previous_checksum FROM {}",
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

fn revision(row: &MySqlRow) -> Result<Revision, sqlx::Error> {
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

fn is_undefined_table(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|e| {
        e.code().is_some_and(|c| c == "42S02")
            || e.message().contains("doesn't exist")
            || e.message().starts_with("Unknown database")
    })
}

fn i64_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Backend for My<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn table(&self) -> &str {
        &self.table
    }

    fn lock_name(&self) -> String {
        format!(
            "GET_LOCK(sha2('sextant_migrate.{}.{}'))",
            self.schema.as_deref().unwrap_or("<current database>"),
            self.table_name
        )
    }

    fn round_trips(&self) -> usize {
        self.round_trips
    }

    fn counts_in_transaction(&self) -> bool {
        true
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
            Ok(rows) => rows
                .iter()
                .map(revision)
                .collect::<Result<_, _>>()
                .map(Some)
                .map_err(|e| self.error("reading the revisions", &e)),
            Err(e) if is_undefined_table(&e) => Ok(None),
            Err(e) => Err(self.error("reading the revisions", &e)),
        }
    }

    async fn lock(&mut self) -> Result<Vec<Revision>, MigrateError> {
        let mut conn = self.connect().await?;
        // GET_LOCK waits in whole seconds; a negative timeout would wait forever.
        let seconds =
            i64::try_from(self.lock_timeout.as_secs_f64().ceil() as u64).unwrap_or(i64::MAX);
        self.round_trips += 1;
        let taken: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT GET_LOCK({LOCK_NAME_SQL}, ?)"
        )))
        .bind(self.schema.as_deref())
        .bind(&self.table_name)
        .bind(seconds)
        .fetch_one(&mut conn)
        .await
        .map_err(|e| self.error("taking the migration lock", &e))?;
        if taken != Some(1) {
            if let Err(e) = conn.close().await {
                tracing::debug!(target: "sextant::migrate", error = %e, "closing the lock connection");
            }
            return Err(MigrateError::LockTimeout {
                lock: self.lock_name(),
                timeout: self.lock_timeout,
            });
        }
        self.lock = Some(conn);
        tracing::debug!(target: "sextant::migrate", lock = %self.lock_name(), "lock taken");
        if let Some(schema) = &self.schema {
            let create = format!("CREATE DATABASE IF NOT EXISTS {}", quote_ident(schema));
            self.raw("creating the revision table's database", create)
                .await?;
        }
        self.raw("creating the revision table", create_table_sql(&self.table))
            .await?;
        Ok(self.read().await?.unwrap_or_default())
    }

    async fn unlock(&mut self) -> Result<(), MigrateError> {
        if let Some(mut conn) = self.lock.take() {
            self.round_trips += 1;
            let result = sqlx::query(AssertSqlSafe(format!(
                "SELECT RELEASE_LOCK({LOCK_NAME_SQL})"
            )))
            .bind(self.schema.as_deref())
            .bind(&self.table_name)
            .execute(&mut conn)
            .await;
            if let Err(e) = conn.close().await {
                tracing::debug!(target: "sextant::migrate", error = %e, "closing the lock connection");
            }
            result.map_err(|e| self.error("releasing the migration lock", &e))?;
        }
        Ok(())
    }

    async fn begin(&mut self) -> Result<(), MigrateError> {
        self.raw("starting a transaction", "BEGIN".to_owned()).await
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        self.round_trips += 1;
        let Some(conn) = self.work.as_mut() else {
            return Ok(());
        };
        sqlx::raw_sql("COMMIT").execute(conn).await.map(|_| ())
    }

    async fn rollback(&mut self) -> Result<(), MigrateError> {
        self.raw("rolling back", "ROLLBACK".to_owned()).await
    }

    async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
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
             statements_applied, statements_total, baseline) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.table
        );
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(&m.version)
            .bind(&m.description)
            .bind(&m.file)
            .bind(&m.checksum)
            .bind(&row.normalized_checksum)
            .bind(i64_of(applied))
            .bind(i64_of(row.statements_total))
            .bind(row.baseline)
            .execute(conn)
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
                "UPDATE {} SET statements_applied = ?, execution_ms = COALESCE(?, execution_ms) \
                 WHERE version = ?",
                self.table
            ),
        };
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(i64_of(applied))
            .bind(execution_ms)
            .bind(version)
            .execute(conn)
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording progress", &e))
    }

    async fn record_error(&mut self, version: &str, message: &str) -> Result<(), MigrateError> {
        let sql = format!("UPDATE {} SET error = ? WHERE version = ?", self.table);
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(message)
            .bind(version)
            .execute(conn)
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording a failure", &e))
    }

    async fn repair(&mut self, repair: &Repair, normalized: &str) -> Result<(), MigrateError> {
        let sql = format!(
            "UPDATE {} SET checksum = ?, normalized_checksum = ?, previous_checksum = ?, \
             repaired_by = ?, repaired_at = CURRENT_TIMESTAMP(6) WHERE version = ?",
            self.table
        );
        self.round_trips += 1;
        let conn = self.work().await?;
        let result = sqlx::query(AssertSqlSafe(sql))
            .bind(&repair.checksum)
            .bind(normalized)
            .bind(&repair.previous_checksum)
            .bind(&repair.operator)
            .bind(&repair.version)
            .execute(conn)
            .await;
        result
            .map(|_| ())
            .map_err(|e| self.error("recording a repair", &e))
    }

    async fn delete_revisions(&mut self, versions: &[String]) -> Result<(), MigrateError> {
        for version in versions {
            let sql = format!("DELETE FROM {} WHERE version = ?", self.table);
            self.round_trips += 1;
            let conn = self.work().await?;
            let result = sqlx::query(AssertSqlSafe(sql))
                .bind(version)
                .execute(conn)
                .await;
            result.map_err(|e| self.error("deleting a reverted revision", &e))?;
        }
        Ok(())
    }

    async fn inspect(
        &mut self,
        options: &schema_inspect::live::InspectOptions,
    ) -> Result<schema_model::Realm, MigrateError> {
        // A connection of its own, in the session the inspector reads the catalog in
        // (`||` is OR, the server's time zone): sqlx's defaults would change how
        // expressions and timestamp defaults read back. The lock is advisory and stays
        // with the lock connection.
        let (connect, url) = match &self.source {
            Source::Pool(pool) => ((*pool.connect_options()).clone(), None),
            Source::Url(url, options) => ((**options).clone(), Some(*url)),
        };
        let mut conn = connect
            .pipes_as_concat(false)
            .timezone(None)
            .connect()
            .await
            .map_err(|e| match url {
                Some(url) => connect_error(url, &e),
                None => MigrateError::Connect {
                    target: "the pool's database".to_owned(),
                    message: e.to_string(),
                },
            })?;
        self.round_trips += 1;
        let realm = schema_inspect::live::mysql::inspect_connection(&mut conn, options).await;
        if let Err(e) = conn.close().await {
            tracing::debug!(target: "sextant::migrate", error = %e, "closing the inspecting connection");
        }
        realm.map_err(|e| MigrateError::Inspect {
            message: e.to_string(),
        })
    }

    async fn returns_rows(&mut self, sql: &str) -> Result<bool, sqlx::Error> {
        self.round_trips += 1;
        let conn = match self.work().await {
            Ok(conn) => conn,
            Err(e) => return Err(sqlx::Error::Protocol(e.to_string())),
        };
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
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
