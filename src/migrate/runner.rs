//! The migration runner: what every database shares.
//!
//! A [`Migrator`] holds the migrations (sorted by [`compare_versions`]) and its
//! [`MigratorOptions`]; the dialect modules ([`super::postgres`], [`super::mysql`],
//! [`super::sqlite`]) talk to the database, and this module decides what to do.
//!
//! What a run does, in order:
//!
//! 1. **Read** the revision table, without the lock. When nothing is pending and
//!    nothing is wrong, that is all: a service restarting with an up-to-date database
//!    pays one query ([`MigrateReport::round_trips`] counts them).
//! 2. **Lock**, create the revision table when missing, and read it again: another
//!    replica may have applied everything while this one waited.
//! 3. **Check** every file against its revision before anything runs: a file edited
//!    after it was applied ([`Problem::Edited`]), a revision whose file is gone
//!    ([`Problem::Missing`]), and a pending file older than the newest revision
//!    ([`Problem::OutOfOrder`]) each stop the run with [`MigrateError::Invalid`],
//!    naming every such version and file. An edit that changes only comments or
//!    whitespace is a [`Warning::CosmeticEdit`] instead, until [`Migrator`]'s `repair`
//!    records it as accepted.
//! 4. **Apply** the pending files in version order, in the [`TxMode`] the file asks for
//!    ([`Migration::tx_mode`]) or else [`MigratorOptions::tx_mode`]. The revision row
//!    is written before a file's first statement, in the file's transaction: a file
//!    that fails or whose process dies leaves no row (PostgreSQL, SQLite). Without a
//!    transaction (mode none, and MySQL, whose DDL commits by itself) the row counts
//!    the statements done after each one, so a rerun resumes at the next statement.
//! 5. **Unlock.**
//!
//! What the record cannot promise: without a transaction, a crash between a statement
//! and the update that counts it runs that statement again on the next run.
//!
//! **Down** (`Migrator::down_url`, and `down` in each dialect module) takes the same
//! lock, reverts the newest revisions without reading any reverse file: the files that
//! stay applied are replayed offline, the live database is inspected (the revision
//! table left out) and planned to that replay. A plan that can lose data is refused
//! before anything runs unless allowed. The plan and the deletion of the revisions run
//! in one transaction where DDL is transactional (PostgreSQL, SQLite); on MySQL they
//! run one by one and the revisions go last, so a failed down leaves them in place and
//! the next one, planned from the database as it then is, finishes it.

use super::{Migration, TxMode, compare_versions, sha256_hex};
use schema_inspect::split::{RawKind, split};
use schema_model::Dialect;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

/// The revision table's default name.
pub const DEFAULT_TABLE: &str = schema_inspect::live::REVISIONS_TABLE;

/// How a [`Migrator`] runs.
///
/// ```
/// use sextant::migrate::{MigratorOptions, TxMode};
/// use std::time::Duration;
///
/// let options = MigratorOptions::new()
///     .schema("ops")
///     .tx_mode(TxMode::All)
///     .lock_timeout(Duration::from_secs(30))
///     .target("20240101120000");
/// assert_eq!(options.table, "sextant_revisions");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigratorOptions {
    /// Where the revision table lives: a PostgreSQL schema (default `public`), a MySQL
    /// database (default: the connection's current one), or an attached SQLite
    /// database (default `main`). Created when missing (PostgreSQL, MySQL).
    pub schema: Option<String>,
    /// The revision table's name ([`DEFAULT_TABLE`]).
    pub table: String,
    /// The transaction mode of files that do not ask for one themselves.
    pub tx_mode: TxMode,
    /// How long to wait for another migrator to finish before giving up with
    /// [`MigrateError::LockTimeout`].
    pub lock_timeout: Duration,
    /// Apply up to this version (included) and no further (`--to`).
    pub target: Option<String>,
}

impl Default for MigratorOptions {
    fn default() -> Self {
        Self {
            schema: None,
            table: DEFAULT_TABLE.to_owned(),
            tx_mode: TxMode::File,
            // A replica waits while another one builds an index; giving up too soon
            // would crash-loop the service.
            lock_timeout: Duration::from_secs(600),
            target: None,
        }
    }
}

impl MigratorOptions {
    /// The defaults: the table [`DEFAULT_TABLE`] in the default schema, a transaction
    /// per file, a 10-minute lock timeout, every pending file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Self::schema`].
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// Sets [`Self::table`].
    pub fn table(mut self, table: impl Into<String>) -> Self {
        self.table = table.into();
        self
    }

    /// Sets [`Self::tx_mode`].
    pub fn tx_mode(mut self, mode: TxMode) -> Self {
        self.tx_mode = mode;
        self
    }

    /// Sets [`Self::lock_timeout`].
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Sets [`Self::target`].
    pub fn target(mut self, version: impl Into<String>) -> Self {
        self.target = Some(version.into());
        self
    }
}

/// Migrations and how to run them.
///
/// ```
/// use sextant::migrate::{Migration, Migrator};
///
/// let migrator = Migrator::new(vec![
///     Migration::new("2", "add_email", "2_add_email.sql", "ALTER TABLE users ADD email text;"),
///     Migration::new("1", "init", "1_init.sql", "CREATE TABLE users (id int);"),
/// ])?;
/// assert_eq!(migrator.migrations()[0].version, "1");
/// # Ok::<(), sextant::migrate::MigrateError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Migrator {
    migrations: Vec<Migration>,
    options: MigratorOptions,
}

impl Migrator {
    /// Sorts the migrations by version ([`compare_versions`]).
    ///
    /// # Errors
    ///
    /// [`MigrateError::DuplicateVersion`] when two migrations share a version.
    pub fn new(mut migrations: Vec<Migration>) -> Result<Self, MigrateError> {
        migrations.sort_by(|a, b| compare_versions(&a.version, &b.version));
        for pair in migrations.windows(2) {
            if let [a, b] = pair
                && a.version == b.version
            {
                return Err(MigrateError::DuplicateVersion {
                    version: a.version.clone(),
                    first: a.file.clone(),
                    second: b.file.clone(),
                });
            }
        }
        Ok(Self {
            migrations,
            options: MigratorOptions::default(),
        })
    }

    /// Sets the options.
    pub fn with_options(mut self, options: MigratorOptions) -> Self {
        self.options = options;
        self
    }

    /// The migrations, in version order.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The options.
    pub fn options(&self) -> &MigratorOptions {
        &self.options
    }

    /// The migration of a version.
    fn find(&self, version: &str) -> Option<&Migration> {
        self.migrations
            .binary_search_by(|m| compare_versions(&m.version, version))
            .ok()
            .and_then(|i| self.migrations.get(i))
    }

    /// Checks that the target version, when there is one, names a migration.
    pub(crate) fn check_target(&self) -> Result<(), MigrateError> {
        match &self.options.target {
            Some(target) if self.find(target).is_none() => Err(MigrateError::UnknownVersion {
                version: target.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Applies the pending migrations to the database a URL names
    /// (`postgres://`, `mysql://`, `sqlite:`), picking the module by its scheme.
    ///
    /// # Errors
    ///
    /// See [`MigrateError`]; whatever the error, the lock is released.
    pub async fn apply_url(&self, url: &str) -> Result<MigrateReport, MigrateError> {
        match url_dialect(url)? {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => super::postgres::apply_url(url, self).await,
            #[cfg(feature = "mysql")]
            Dialect::Mysql => super::mysql::apply_url(url, self).await,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => super::sqlite::apply_url(url, self).await,
            #[allow(unreachable_patterns)]
            other => Err(not_built(url, other)),
        }
    }

    /// What is applied, what is pending and what is wrong, in the database a URL
    /// names. Takes no lock and writes nothing.
    ///
    /// # Errors
    ///
    /// Connection and query failures; problems are part of the [`Status`].
    pub async fn status_url(&self, url: &str) -> Result<Status, MigrateError> {
        match url_dialect(url)? {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => super::postgres::status_url(url, self).await,
            #[cfg(feature = "mysql")]
            Dialect::Mysql => super::mysql::status_url(url, self).await,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => super::sqlite::status_url(url, self).await,
            #[allow(unreachable_patterns)]
            other => Err(not_built(url, other)),
        }
    }

    /// Accepts edited files (all of them, or only `version`): their revisions take the
    /// files' new checksums, with `operator` (who accepted), the old checksum and the
    /// time recorded beside them.
    ///
    /// # Errors
    ///
    /// Connection, lock and query failures.
    pub async fn repair_url(
        &self,
        url: &str,
        operator: &str,
        version: Option<&str>,
    ) -> Result<Vec<Repair>, MigrateError> {
        match url_dialect(url)? {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => super::postgres::repair_url(url, self, operator, version).await,
            #[cfg(feature = "mysql")]
            Dialect::Mysql => super::mysql::repair_url(url, self, operator, version).await,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => super::sqlite::repair_url(url, self, operator, version).await,
            #[allow(unreachable_patterns)]
            other => Err(not_built(url, other)),
        }
    }

    /// Marks every migration up to `version` (included) as applied without running it,
    /// for a database that already holds their schema. The revision table must be
    /// empty.
    ///
    /// # Errors
    ///
    /// [`MigrateError::UnknownVersion`], [`MigrateError::BaselineNotEmpty`], connection,
    /// lock and query failures.
    pub async fn baseline_url(&self, url: &str, version: &str) -> Result<Baseline, MigrateError> {
        match url_dialect(url)? {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => super::postgres::baseline_url(url, self, version).await,
            #[cfg(feature = "mysql")]
            Dialect::Mysql => super::mysql::baseline_url(url, self, version).await,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => super::sqlite::baseline_url(url, self, version).await,
            #[allow(unreachable_patterns)]
            other => Err(not_built(url, other)),
        }
    }

    /// Reverts the last [`DownOptions::steps`] applied migrations of the database a URL
    /// names: the live schema is planned against the schema the migrations before them
    /// build (replayed offline), the plan runs (in one transaction with the deletion of
    /// the revisions on PostgreSQL and SQLite), and the revisions are deleted. Refused
    /// before anything runs when a statement can lose data, unless allowed.
    ///
    /// # Errors
    ///
    /// [`MigrateError::DownTooFew`], [`MigrateError::DownPartial`],
    /// [`MigrateError::Invalid`], [`MigrateError::Destructive`],
    /// [`MigrateError::DownFailed`], and connection, lock and query failures.
    pub async fn down_url(
        &self,
        url: &str,
        options: &DownOptions,
    ) -> Result<DownReport, MigrateError> {
        match url_dialect(url)? {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => super::postgres::down_url(url, self, options).await,
            #[cfg(feature = "mysql")]
            Dialect::Mysql => super::mysql::down_url(url, self, options).await,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => super::sqlite::down_url(url, self, options).await,
            #[allow(unreachable_patterns)]
            other => Err(not_built(url, other)),
        }
    }
}

fn url_dialect(url: &str) -> Result<Dialect, MigrateError> {
    schema_inspect::live::url_dialect(url).map_err(|e| MigrateError::Url {
        url: redact_url(url),
        message: e.to_string(),
    })
}

#[allow(dead_code)]
fn not_built(url: &str, dialect: Dialect) -> MigrateError {
    MigrateError::Url {
        url: redact_url(url),
        message: format!("this build has no {dialect:?} support (cargo feature)"),
    }
}

pub(crate) use schema_inspect::live::redact_url;

/// One row of the revision table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Revision {
    /// The migration's version.
    pub version: String,
    /// Its description when it was applied.
    pub description: String,
    /// Its file when it was applied.
    pub file: String,
    /// SHA-256 of the file's SQL when it was applied (or last repaired).
    pub checksum: String,
    /// The checksum of its statements without comments and whitespace, which tells a
    /// cosmetic edit from a real one.
    pub normalized_checksum: String,
    /// When it was applied, as the database spells a timestamp.
    pub applied_at: String,
    /// How long it took, in milliseconds.
    pub execution_ms: i64,
    /// How many of its statements ran.
    pub statements_applied: i64,
    /// How many statements it has.
    pub statements_total: i64,
    /// The last failure, for a file left partly applied.
    pub error: Option<String>,
    /// Marked as applied by a baseline, never run.
    pub baseline: bool,
    /// Who accepted an edit of the file ([`Migrator`]'s `repair`).
    pub repaired_by: Option<String>,
    /// When.
    pub repaired_at: Option<String>,
    /// The checksum before the accepted edit.
    pub previous_checksum: Option<String>,
}

impl Revision {
    /// Some of its statements ran and others did not: the next run resumes it.
    pub fn is_partial(&self) -> bool {
        !self.baseline && self.statements_applied < self.statements_total
    }
}

/// A reason not to apply anything.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The file changed after it was applied, beyond comments and whitespace.
    Edited {
        /// The version.
        version: String,
        /// The file.
        file: String,
        /// The checksum the revision table holds.
        applied: String,
        /// The file's checksum now.
        current: String,
    },
    /// A revision whose file is gone.
    Missing {
        /// The version.
        version: String,
        /// The file the revision names.
        file: String,
    },
    /// A pending file older than the newest revision: applying it would run history in
    /// an order no other database saw.
    OutOfOrder {
        /// The pending version.
        version: String,
        /// Its file.
        file: String,
        /// The newest applied version.
        last_applied: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Edited {
                version,
                file,
                applied,
                current,
            } => write!(
                f,
                "migration {version} ({file}) was edited after it was applied: checksum \
                 {applied} applied, {current} now (restore the file, or accept the edit \
                 with `migrate repair`)"
            ),
            Problem::Missing { version, file } => write!(
                f,
                "migration {version} ({file}) is applied but its file is missing"
            ),
            Problem::OutOfOrder {
                version,
                file,
                last_applied,
            } => write!(
                f,
                "migration {version} ({file}) is pending but older than the last applied \
                 version {last_applied} (give it a newer version)"
            ),
        }
    }
}

/// Something worth knowing that does not stop the run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The file changed after it was applied, in comments or whitespace only.
    CosmeticEdit {
        /// The version.
        version: String,
        /// The file.
        file: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::CosmeticEdit { version, file } => write!(
                f,
                "migration {version} ({file}) changed after it was applied, in comments or \
                 whitespace only (`migrate repair` records the new checksum)"
            ),
        }
    }
}

/// One migration a run applied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    /// The version.
    pub version: String,
    /// The file.
    pub file: String,
    /// How many statements ran in this run.
    pub statements: usize,
    /// How many an earlier run had done (resumed after them).
    pub resumed_from: usize,
    /// How long it took.
    pub duration: Duration,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MigrateReport {
    /// The migrations applied, in order.
    pub applied: Vec<Applied>,
    /// Cosmetic edits and the like.
    pub warnings: Vec<Warning>,
    /// Queries sent to the database (connecting not included): 1 when nothing is
    /// pending.
    pub round_trips: usize,
    /// Whether the lock was taken (something was pending, or wrong, unlocked).
    pub locked: bool,
}

/// A migration not applied yet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pending {
    /// The version.
    pub version: String,
    /// The file.
    pub file: String,
    /// Statements an earlier run did (a partly applied file resumes after them).
    pub resume_from: usize,
}

/// What [`Migrator::status_url`] finds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Status {
    /// The revision table's rows, in version order.
    pub applied: Vec<Revision>,
    /// What an apply would run (up to the target), in order.
    pub pending: Vec<Pending>,
    /// What would stop an apply.
    pub problems: Vec<Problem>,
    /// What would not.
    pub warnings: Vec<Warning>,
    /// Queries sent.
    pub round_trips: usize,
}

/// An accepted edit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repair {
    /// The version.
    pub version: String,
    /// The file.
    pub file: String,
    /// The checksum the revision held.
    pub previous_checksum: String,
    /// The file's checksum, now recorded.
    pub checksum: String,
    /// Who accepted it.
    pub operator: String,
}

/// What a baseline marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Baseline {
    /// The versions marked as applied, in order.
    pub versions: Vec<String>,
}

/// How [`Migrator`]'s `down` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownOptions {
    /// How many applied migrations to revert, newest first (at least 1).
    pub steps: usize,
    /// Run statements that can lose data (dropped tables and columns); otherwise the
    /// whole down is refused with [`MigrateError::Destructive`] before anything runs.
    pub allow_destructive: bool,
    /// Plan only: take no lock, run nothing, write nothing.
    pub dry_run: bool,
}

impl Default for DownOptions {
    fn default() -> Self {
        Self {
            steps: 1,
            allow_destructive: false,
            dry_run: false,
        }
    }
}

impl DownOptions {
    /// One step back, refusing data loss.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Self::steps`].
    pub fn steps(mut self, steps: usize) -> Self {
        self.steps = steps;
        self
    }

    /// Sets [`Self::allow_destructive`].
    pub fn allow_destructive(mut self, allow: bool) -> Self {
        self.allow_destructive = allow;
        self
    }

    /// Sets [`Self::dry_run`].
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }
}

/// One migration a down reverted (or, in a dry run, would revert).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reverted {
    /// The version.
    pub version: String,
    /// The file its revision names.
    pub file: String,
}

/// What a down did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DownReport {
    /// The migrations reverted, newest first.
    pub reverted: Vec<Reverted>,
    /// The version the database is at afterwards; `None` when every migration was
    /// reverted.
    pub target: Option<String>,
    /// The statements that take the live schema to the target's replayed schema, in
    /// the order they run.
    pub statements: Vec<schema_plan::PlannedStatement>,
    /// Whether they ran (false in a dry run).
    pub executed: bool,
    /// Whether they ran in one transaction with the deletion of the revisions.
    pub atomic: bool,
    /// Queries sent to the database (the inspection's not included).
    pub round_trips: usize,
}

/// A statement that can lose data, as a refused down lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hazard {
    /// The statement.
    pub sql: String,
    /// What it can lose.
    pub hazard: String,
}

/// A statement the database refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// The migration's version.
    pub version: String,
    /// Its file.
    pub file: String,
    /// The statement's position in the file, from 1; 0 when the commit failed
    /// (deferred constraints).
    pub statement: usize,
    /// How many statements the file has.
    pub total: usize,
    /// The statement's line in the file.
    pub line: usize,
    /// The statement.
    pub sql: String,
    /// The database's message.
    pub message: String,
    /// The database's error code (SQLSTATE, MySQL error number).
    pub code: Option<String>,
    /// Whether the file's statements were rolled back with it (in a transaction);
    /// otherwise the revision row records how many ran and the next run resumes at
    /// this statement.
    pub rolled_back: bool,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// Two migrations share a version.
    #[error("two migrations have version {version}: {first} and {second}")]
    DuplicateVersion {
        /// The version.
        version: String,
        /// One file.
        first: String,
        /// The other.
        second: String,
    },
    /// A version that names no migration (target, baseline).
    #[error("no migration has version {version}")]
    UnknownVersion {
        /// The version asked for.
        version: String,
    },
    /// Edited, missing or out-of-order files: nothing was applied.
    #[error("{}", problems_message(.problems))]
    Invalid {
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// A file asks to run without a transaction, which mode all cannot give.
    #[error(
        "migration {version} ({file}) asks to run without a transaction, but the run's \
         transaction mode is all: run it with mode file or none"
    )]
    TxModeConflict {
        /// The version.
        version: String,
        /// The file.
        file: String,
    },
    /// A file that cannot be split into statements.
    #[error("migration {version} ({file}) cannot be split into statements: line {line}: {message}")]
    Split {
        /// The version.
        version: String,
        /// The file.
        file: String,
        /// Where the unterminated construct starts.
        line: usize,
        /// What is unterminated.
        message: String,
    },
    /// A statement failed.
    #[error("{}", failure_message(.0))]
    Failed(Box<Failure>),
    /// Another migrator held the lock for longer than the timeout.
    #[error(
        "the migration lock {lock} was not acquired within {timeout:?}: another migrator \
         holds it (raise the lock timeout, or find the process holding it)"
    )]
    LockTimeout {
        /// The lock.
        lock: String,
        /// How long this run waited.
        timeout: Duration,
    },
    /// Baseline on a database that already has revisions.
    #[error("baseline needs an empty revision table, but {table} holds {count} revisions")]
    BaselineNotEmpty {
        /// The table.
        table: String,
        /// How many rows it holds.
        count: usize,
    },
    /// `down` asked for more steps than there are applied migrations (or for none).
    #[error("{}", too_few_message(*.steps, *.applied))]
    DownTooFew {
        /// The steps asked for.
        steps: usize,
        /// How many migrations are applied.
        applied: usize,
    },
    /// `down` over a migration that is only partly applied.
    #[error(
        "migration {version} ({file}) is only partly applied: finish it with `migrate apply` \
         before reverting; nothing was reverted"
    )]
    DownPartial {
        /// The version.
        version: String,
        /// The file.
        file: String,
    },
    /// The migrations up to the down's target could not be replayed.
    #[error("replaying the migrations up to {}: {message}", .target.as_deref().unwrap_or("the start"))]
    Replay {
        /// The target version.
        target: Option<String>,
        /// The loader's message, with the file and line.
        message: String,
    },
    /// The live database could not be inspected.
    #[error("inspecting the database: {message}")]
    Inspect {
        /// The inspector's message.
        message: String,
    },
    /// No plan leads from the live schema to the target's.
    #[error("planning the way back to {}: {message}", .target.as_deref().unwrap_or("the start"))]
    Plan {
        /// The target version.
        target: Option<String>,
        /// The planner's message.
        message: String,
    },
    /// The down would lose data and was not allowed to.
    #[error("{}", destructive_message(.target.as_deref(), .hazards))]
    Destructive {
        /// The target version.
        target: Option<String>,
        /// The statements that can lose data.
        hazards: Vec<Hazard>,
    },
    /// A statement of a down failed.
    #[error("{}", down_failure_message(.target.as_deref(), *.statement, *.total, .sql, .message, *.rolled_back))]
    DownFailed {
        /// The target version.
        target: Option<String>,
        /// The statement's position, from 1.
        statement: usize,
        /// How many statements the down has.
        total: usize,
        /// The statement.
        sql: String,
        /// The database's message.
        message: String,
        /// Whether everything was rolled back.
        rolled_back: bool,
    },
    /// Reading or writing the revision table, or taking the lock, failed.
    #[error("{action} ({table}): {message}")]
    Revisions {
        /// The table.
        table: String,
        /// What was being done.
        action: &'static str,
        /// The database's message.
        message: String,
    },
    /// The URL is not one this build can use.
    #[error("{url}: {message}")]
    Url {
        /// The URL, password removed.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// The database could not be reached.
    #[error("could not connect to {target}: {message}")]
    Connect {
        /// The URL (password removed) or "the pool".
        target: String,
        /// The driver's message, password removed.
        message: String,
    },
}

fn failure_message(failure: &Failure) -> String {
    let Failure {
        version,
        file,
        statement,
        total,
        line,
        message,
        rolled_back,
        ..
    } = failure;
    let place = if *statement == 0 {
        "at commit".to_owned()
    } else {
        format!("at statement {statement} of {total} (line {line})")
    };
    let outcome = if *rolled_back {
        "the file was rolled back"
    } else {
        "the statements before it stay applied and the next run resumes at it"
    };
    format!("migration {version} ({file}) failed {place}: {message}; {outcome}")
}

fn too_few_message(steps: usize, applied: usize) -> String {
    if steps == 0 {
        return "migrate down needs at least 1 step".to_owned();
    }
    format!(
        "cannot revert {steps} migration{}: only {applied} {} applied; nothing was reverted",
        if steps == 1 { "" } else { "s" },
        if applied == 1 { "is" } else { "are" }
    )
}

fn target_name(target: Option<&str>) -> String {
    target.map_or_else(|| "the start".to_owned(), |t| format!("version {t}"))
}

fn down_failure_message(
    target: Option<&str>,
    statement: usize,
    total: usize,
    sql: &str,
    message: &str,
    rolled_back: bool,
) -> String {
    let outcome = if rolled_back {
        "nothing was reverted (rolled back)"
    } else {
        // The next down plans from what the database holds then, so it finishes the
        // job rather than repeating what ran.
        "the statements before it stay applied and the revisions are kept; fix the cause \
         and run the down again, which plans from what the database holds now"
    };
    format!(
        "reverting to {}: statement {statement} of {total} failed: {message}\n    {}\n{outcome}",
        target_name(target),
        sql.trim_end().replace('\n', "\n    ")
    )
}

fn destructive_message(target: Option<&str>, hazards: &[Hazard]) -> String {
    let mut out = format!(
        "reverting to {} would lose data; nothing was run (allow it with --allow-destructive):",
        target_name(target)
    );
    for hazard in hazards {
        // The hazard as the statement's comment; a long statement keeps its lines,
        // indented under the first.
        out.push_str(&format!(
            "\n  - {} -- {}",
            hazard.sql.trim_end().replace('\n', "\n    "),
            hazard.hazard
        ));
    }
    out
}

fn problems_message(problems: &[Problem]) -> String {
    let mut out = format!(
        "nothing was applied: {} problem{} in the migrations",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        out.push_str("\n  - ");
        out.push_str(&problem.to_string());
    }
    out
}

/// A driver message with the URL's password taken out, should the driver quote it.
pub(crate) fn connect_error(url: &str, error: &dyn fmt::Display) -> MigrateError {
    let mut message = error.to_string();
    if let Some(password) = url_password(url)
        && !password.is_empty()
    {
        message = message.replace(url, &redact_url(url));
        message = message.replace(password, "***");
    }
    MigrateError::Connect {
        target: redact_url(url),
        message,
    }
}

fn url_password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    Some(userinfo.split_once(':')?.1)
}

/// The database's message and code.
pub(crate) fn database_error(error: &sqlx::Error) -> (String, Option<String>) {
    match error.as_database_error() {
        Some(db) => (db.message().to_owned(), db.code().map(|c| c.into_owned())),
        None => (error.to_string(), None),
    }
}

/// A migration's statements, as the database receives them.
pub(crate) struct Statements<'m> {
    /// Each statement's text and line.
    pub list: Vec<(&'m str, usize)>,
}

/// Splits a migration with the loader's splitter; client commands (psql `\` lines,
/// MySQL `DELIMITER`) are the client's business and do not reach the server.
pub(crate) fn statements(
    migration: &Migration,
    dialect: Dialect,
) -> Result<Statements<'_>, MigrateError> {
    let raw = split(&migration.up, dialect).map_err(|e| MigrateError::Split {
        version: migration.version.clone(),
        file: migration.file.clone(),
        line: e.line,
        message: e.message,
    })?;
    let list = raw
        .into_iter()
        .filter(|s| s.kind == RawKind::Sql)
        .map(|s| (s.text, s.line))
        .collect();
    Ok(Statements { list })
}

/// SHA-256 of the migration's statements with comments and whitespace taken out: the
/// tokens of each statement (sqlparser's tokenizer for the dialect) joined by one space,
/// statements by a newline. String literals and dollar-quoted bodies are tokens, so a
/// comment inside a function body counts as an edit. Where the tokenizer gives up, the
/// statement's text with its whitespace runs collapsed stands in.
pub fn normalized_checksum(sql: &str, dialect: Dialect) -> String {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let parser_dialect: Box<dyn sqlparser::dialect::Dialect> = match dialect {
        Dialect::Postgres => Box::new(sqlparser::dialect::PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(sqlparser::dialect::MySqlDialect {}),
        Dialect::Sqlite => Box::new(sqlparser::dialect::SQLiteDialect {}),
    };
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    match split(sql, dialect) {
        Ok(raw) => {
            for statement in raw.iter().filter(|s| s.kind == RawKind::Sql) {
                match Tokenizer::new(parser_dialect.as_ref(), statement.text).tokenize() {
                    Ok(tokens) => {
                        let words: Vec<String> = tokens
                            .iter()
                            .filter(|t| match t {
                                // MySQL runs `/*! ... */`: it is code, not a comment.
                                Token::Whitespace(Whitespace::MultiLineComment(c)) => {
                                    dialect == Dialect::Mysql && c.starts_with('!')
                                }
                                Token::Whitespace(_) => false,
                                _ => true,
                            })
                            .map(ToString::to_string)
                            .collect();
                        out.push_str(&words.join(" "));
                    }
                    Err(_) => out.push_str(&collapse(statement.text)),
                }
                out.push('\n');
            }
        }
        Err(_) => out = collapse(sql),
    }
    sha256_hex(out.as_bytes())
}

/// What to run: a migration, and how many of its statements an earlier run did.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step<'m> {
    pub migration: &'m Migration,
    pub resume_from: usize,
}

/// The outcome of comparing the migrations with the revisions.
#[derive(Debug, Default)]
pub(crate) struct Planned<'m> {
    pub steps: Vec<Step<'m>>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Warning>,
}

/// Compares the migrations with the revision table: what is pending, what is wrong.
pub(crate) fn plan<'m>(
    migrator: &'m Migrator,
    revisions: &[Revision],
    dialect: Dialect,
) -> Planned<'m> {
    let mut planned = Planned::default();
    let by_version: BTreeMap<&str, &Revision> =
        revisions.iter().map(|r| (r.version.as_str(), r)).collect();
    let mut last_applied: Option<&str> = None;
    let mut revisions_sorted: Vec<&Revision> = revisions.iter().collect();
    revisions_sorted.sort_by(|a, b| compare_versions(&a.version, &b.version));
    for revision in &revisions_sorted {
        if migrator.find(&revision.version).is_none() {
            planned.problems.push(Problem::Missing {
                version: revision.version.clone(),
                file: revision.file.clone(),
            });
        }
        last_applied = Some(&revision.version);
    }
    let target = migrator.options.target.as_deref();
    for migration in &migrator.migrations {
        let wanted = target.is_none_or(|t| compare_versions(&migration.version, t).is_le());
        match by_version.get(migration.version.as_str()) {
            Some(revision) => {
                if revision.checksum != migration.checksum {
                    if revision.normalized_checksum == normalized_checksum(&migration.up, dialect) {
                        planned.warnings.push(Warning::CosmeticEdit {
                            version: migration.version.clone(),
                            file: migration.file.clone(),
                        });
                    } else {
                        planned.problems.push(Problem::Edited {
                            version: migration.version.clone(),
                            file: migration.file.clone(),
                            applied: revision.checksum.clone(),
                            current: migration.checksum.clone(),
                        });
                        continue;
                    }
                }
                if revision.is_partial() && wanted {
                    planned.steps.push(Step {
                        migration,
                        resume_from: usize::try_from(revision.statements_applied)
                            .unwrap_or_default(),
                    });
                }
            }
            None => {
                if let Some(last) = last_applied
                    && compare_versions(&migration.version, last).is_lt()
                {
                    planned.problems.push(Problem::OutOfOrder {
                        version: migration.version.clone(),
                        file: migration.file.clone(),
                        last_applied: last.to_owned(),
                    });
                } else if wanted {
                    planned.steps.push(Step {
                        migration,
                        resume_from: 0,
                    });
                }
            }
        }
    }
    planned
}

/// Computes the status from the revisions.
pub(crate) fn status(
    migrator: &Migrator,
    mut revisions: Vec<Revision>,
    dialect: Dialect,
    round_trips: usize,
) -> Status {
    let planned = plan(migrator, &revisions, dialect);
    let pending = planned
        .steps
        .iter()
        .map(|s| Pending {
            version: s.migration.version.clone(),
            file: s.migration.file.clone(),
            resume_from: s.resume_from,
        })
        .collect();
    revisions.sort_by(|a, b| compare_versions(&a.version, &b.version));
    Status {
        applied: revisions,
        pending,
        problems: planned.problems,
        warnings: planned.warnings,
        round_trips,
    }
}

/// A revision row as it is first written.
#[derive(Debug, Clone)]
pub(crate) struct NewRevision<'m> {
    pub migration: &'m Migration,
    pub normalized_checksum: String,
    pub statements_total: usize,
    pub baseline: bool,
}

/// What the driver asks of a database. Each dialect module implements it on its own
/// connections; every method that talks to the database counts its round trips.
pub(crate) trait Backend: Send {
    /// The dialect, for splitting files.
    fn dialect(&self) -> Dialect;
    /// The revision table as shown in messages.
    fn table(&self) -> &str;
    /// The lock as shown in messages.
    fn lock_name(&self) -> String;
    /// Queries sent so far.
    fn round_trips(&self) -> usize;
    /// Whether statements inside a transaction need their progress counted one by one
    /// (MySQL: DDL commits by itself).
    fn counts_in_transaction(&self) -> bool;
    /// Reads the revision table; `None` when it does not exist.
    fn read(&mut self) -> impl Future<Output = Result<Option<Vec<Revision>>, MigrateError>> + Send;
    /// Takes the lock, creates the revision table when missing, and reads it.
    fn lock(&mut self) -> impl Future<Output = Result<Vec<Revision>, MigrateError>> + Send;
    /// Releases the lock (also after a failure).
    fn unlock(&mut self) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Starts a transaction on the migrating connection.
    fn begin(&mut self) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Commits it.
    fn commit(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
    /// Rolls it back.
    fn rollback(&mut self) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Runs a statement of a migration.
    fn exec(&mut self, sql: &str) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
    /// Writes a new revision row.
    fn insert(
        &mut self,
        row: &NewRevision<'_>,
    ) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Counts the statements done (and the time taken, when finished; the error
    /// cleared).
    fn progress(
        &mut self,
        version: &str,
        applied: usize,
        execution_ms: Option<i64>,
    ) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Records a failure on the row, when the row exists.
    fn record_error(
        &mut self,
        version: &str,
        message: &str,
    ) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Records an accepted edit.
    fn repair(
        &mut self,
        repair: &Repair,
        normalized_checksum: &str,
    ) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Lets go of the lock while a file runs without a transaction, where the lock is
    /// a transaction (SQLite).
    fn suspend(&mut self) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Takes it back; `Some` holds the revisions read again when the lock was let go.
    fn resume(
        &mut self,
    ) -> impl Future<Output = Result<Option<Vec<Revision>>, MigrateError>> + Send;
    /// Deletes the revisions of reverted migrations, inside the current transaction
    /// when there is one.
    fn delete_revisions(
        &mut self,
        versions: &[String],
    ) -> impl Future<Output = Result<(), MigrateError>> + Send;
    /// Inspects the live database on the migrating connection (outside any
    /// transaction of ours on PostgreSQL and MySQL; inside the lock's on SQLite).
    fn inspect(
        &mut self,
        options: &schema_inspect::live::InspectOptions,
    ) -> impl Future<Output = Result<schema_model::Realm, MigrateError>> + Send;
    /// Runs a statement and tells whether it returned rows (`PRAGMA foreign_key_check`
    /// reports violations as rows).
    fn returns_rows(&mut self, sql: &str)
    -> impl Future<Output = Result<bool, sqlx::Error>> + Send;
}

/// Takes the lock; should anything fail after the lock was taken (creating the table),
/// lets it go before returning the error.
async fn lock<B: Backend>(backend: &mut B) -> Result<Vec<Revision>, MigrateError> {
    match backend.lock().await {
        Ok(revisions) => Ok(revisions),
        Err(e) => {
            if let Err(unlock) = backend.unlock().await {
                tracing::warn!(target: "sextant::migrate", error = %unlock, "releasing the lock");
            }
            Err(e)
        }
    }
}

/// Applies the pending migrations: see the module documentation.
pub(crate) async fn apply<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
) -> Result<MigrateReport, MigrateError> {
    migrator.check_target()?;
    let dialect = backend.dialect();
    let revisions = backend.read().await?.unwrap_or_default();
    let planned = plan(migrator, &revisions, dialect);
    if planned.steps.is_empty() && planned.problems.is_empty() {
        for warning in &planned.warnings {
            tracing::warn!(target: "sextant::migrate", "{warning}");
        }
        tracing::debug!(target: "sextant::migrate", "no migration pending");
        return Ok(MigrateReport {
            applied: Vec::new(),
            warnings: planned.warnings,
            round_trips: backend.round_trips(),
            locked: false,
        });
    }
    let revisions = lock(backend).await?;
    let result = apply_locked(backend, migrator, revisions).await;
    let unlocked = backend.unlock().await;
    let mut report = result?;
    unlocked?;
    report.round_trips = backend.round_trips();
    Ok(report)
}

async fn apply_locked<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    mut revisions: Vec<Revision>,
) -> Result<MigrateReport, MigrateError> {
    let dialect = backend.dialect();
    let mut report = MigrateReport {
        locked: true,
        ..MigrateReport::default()
    };
    let mut first = true;
    loop {
        let planned = plan(migrator, &revisions, dialect);
        if !planned.problems.is_empty() {
            return Err(MigrateError::Invalid {
                problems: planned.problems,
            });
        }
        if first {
            for warning in &planned.warnings {
                tracing::warn!(target: "sextant::migrate", "{warning}");
            }
            report.warnings = planned.warnings;
            first = false;
        }
        if planned.steps.is_empty() {
            return Ok(report);
        }
        let mode = migrator.options.tx_mode;
        if mode == TxMode::All {
            if let Some(step) = planned
                .steps
                .iter()
                .find(|s| s.migration.tx_mode == Some(TxMode::None))
            {
                return Err(MigrateError::TxModeConflict {
                    version: step.migration.version.clone(),
                    file: step.migration.file.clone(),
                });
            }
            backend.begin().await?;
            for step in &planned.steps {
                match run_step(backend, *step, true).await {
                    Ok(applied) => report.applied.push(applied),
                    Err(e) => return Err(fail_in_transaction(backend, *step, e).await),
                }
            }
            commit(backend, planned.steps.last().copied()).await?;
            return Ok(report);
        }
        let mut reread = None;
        for step in &planned.steps {
            let file_mode = step.migration.tx_mode.unwrap_or(mode);
            if file_mode == TxMode::None {
                let applied = run_without_transaction(backend, *step).await?;
                report.applied.push(applied);
                if let Some(fresh) = backend.resume().await? {
                    reread = Some(fresh);
                    break;
                }
            } else {
                backend.begin().await?;
                match run_step(backend, *step, true).await {
                    Ok(applied) => {
                        commit(backend, Some(*step)).await?;
                        report.applied.push(applied);
                    }
                    Err(e) => return Err(fail_in_transaction(backend, *step, e).await),
                }
            }
        }
        match reread {
            Some(fresh) => revisions = fresh,
            None => return Ok(report),
        }
    }
}

async fn commit<B: Backend>(backend: &mut B, step: Option<Step<'_>>) -> Result<(), MigrateError> {
    backend.commit().await.map_err(|e| {
        let (message, code) = database_error(&e);
        match step {
            // Deferred constraints are checked at commit: the file failed.
            Some(step) => MigrateError::Failed(Box::new(Failure {
                version: step.migration.version.clone(),
                file: step.migration.file.clone(),
                statement: 0,
                total: 0,
                line: 0,
                sql: "COMMIT".to_owned(),
                message,
                code,
                rolled_back: true,
            })),
            None => MigrateError::Revisions {
                table: backend.table().to_owned(),
                action: "committing",
                message,
            },
        }
    })
}

/// Rolls back after a failure inside a transaction and records the error on the row,
/// should the row have outlived the rollback (MySQL's implicit commits).
async fn fail_in_transaction<B: Backend>(
    backend: &mut B,
    step: Step<'_>,
    error: MigrateError,
) -> MigrateError {
    if let Err(e) = backend.rollback().await {
        tracing::warn!(target: "sextant::migrate", error = %e, "rolling back the failed migration");
    }
    if let MigrateError::Failed(failure) = &error
        && let Err(e) = backend
            .record_error(&step.migration.version, &failure.message)
            .await
    {
        tracing::warn!(target: "sextant::migrate", error = %e, "recording the failure");
    }
    match error {
        MigrateError::Failed(mut failure) => {
            // MySQL's DDL commits as it runs: what ran before the failing statement
            // stays, and the row counts it.
            failure.rolled_back = !backend.counts_in_transaction();
            MigrateError::Failed(failure)
        }
        other => other,
    }
}

/// Runs a step inside the caller's transaction.
async fn run_step<B: Backend>(
    backend: &mut B,
    step: Step<'_>,
    in_transaction: bool,
) -> Result<Applied, MigrateError> {
    let migration = step.migration;
    let dialect = backend.dialect();
    let statements = statements(migration, dialect)?;
    let total = statements.list.len();
    let started = Instant::now();
    if step.resume_from == 0 {
        backend
            .insert(&NewRevision {
                migration,
                normalized_checksum: normalized_checksum(&migration.up, dialect),
                statements_total: total,
                baseline: false,
            })
            .await?;
    } else {
        tracing::info!(
            target: "sextant::migrate",
            version = %migration.version,
            done = step.resume_from,
            total,
            "resuming a partly applied migration"
        );
    }
    let count_each = !in_transaction || backend.counts_in_transaction();
    for (index, (sql, line)) in statements.list.iter().enumerate().skip(step.resume_from) {
        if let Err(e) = backend.exec(sql).await {
            let (message, code) = database_error(&e);
            return Err(MigrateError::Failed(Box::new(Failure {
                version: migration.version.clone(),
                file: migration.file.clone(),
                statement: index + 1,
                total,
                line: *line,
                sql: (*sql).to_owned(),
                message,
                code,
                rolled_back: in_transaction,
            })));
        }
        if count_each && index + 1 < total {
            backend
                .progress(&migration.version, index + 1, None)
                .await?;
        }
    }
    let duration = started.elapsed();
    backend
        .progress(
            &migration.version,
            total,
            Some(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)),
        )
        .await?;
    tracing::info!(
        target: "sextant::migrate",
        version = %migration.version,
        file = %migration.file,
        statements = total - step.resume_from.min(total),
        ?duration,
        "applied migration"
    );
    Ok(Applied {
        version: migration.version.clone(),
        file: migration.file.clone(),
        statements: total - step.resume_from.min(total),
        resumed_from: step.resume_from,
        duration,
    })
}

/// Runs a step statement by statement, each one committed and counted.
async fn run_without_transaction<B: Backend>(
    backend: &mut B,
    step: Step<'_>,
) -> Result<Applied, MigrateError> {
    let migration = step.migration;
    if step.resume_from == 0 {
        let dialect = backend.dialect();
        let total = statements(migration, dialect)?.list.len();
        backend
            .insert(&NewRevision {
                migration,
                normalized_checksum: normalized_checksum(&migration.up, dialect),
                statements_total: total,
                baseline: false,
            })
            .await?;
    }
    backend.suspend().await?;
    let result = run_step_counted(backend, step).await;
    if let Err(MigrateError::Failed(failure)) = &result {
        backend
            .record_error(&migration.version, &failure.message)
            .await?;
    }
    result
}

async fn run_step_counted<B: Backend>(
    backend: &mut B,
    step: Step<'_>,
) -> Result<Applied, MigrateError> {
    // The row exists (written by the caller or by an earlier run): each statement is
    // counted on it as soon as it is done.
    let migration = step.migration;
    let dialect = backend.dialect();
    let statements = statements(migration, dialect)?;
    let total = statements.list.len();
    let started = Instant::now();
    for (index, (sql, line)) in statements.list.iter().enumerate().skip(step.resume_from) {
        if let Err(e) = backend.exec(sql).await {
            let (message, code) = database_error(&e);
            return Err(MigrateError::Failed(Box::new(Failure {
                version: migration.version.clone(),
                file: migration.file.clone(),
                statement: index + 1,
                total,
                line: *line,
                sql: (*sql).to_owned(),
                message,
                code,
                rolled_back: false,
            })));
        }
        let finished = index + 1 == total;
        let elapsed = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        backend
            .progress(&migration.version, index + 1, finished.then_some(elapsed))
            .await?;
    }
    if total == 0 || step.resume_from >= total {
        backend.progress(&migration.version, total, Some(0)).await?;
    }
    let duration = started.elapsed();
    tracing::info!(
        target: "sextant::migrate",
        version = %migration.version,
        file = %migration.file,
        resumed_from = step.resume_from,
        ?duration,
        "applied migration without a transaction"
    );
    Ok(Applied {
        version: migration.version.clone(),
        file: migration.file.clone(),
        statements: total - step.resume_from.min(total),
        resumed_from: step.resume_from,
        duration,
    })
}

/// Reads the status.
pub(crate) async fn read_status<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
) -> Result<Status, MigrateError> {
    migrator.check_target()?;
    let revisions = backend.read().await?.unwrap_or_default();
    Ok(status(
        migrator,
        revisions,
        backend.dialect(),
        backend.round_trips(),
    ))
}

/// Accepts edits under the lock.
pub(crate) async fn repair<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
) -> Result<Vec<Repair>, MigrateError> {
    if let Some(version) = version
        && migrator.find(version).is_none()
    {
        return Err(MigrateError::UnknownVersion {
            version: version.to_owned(),
        });
    }
    let revisions = lock(backend).await?;
    let result = repair_locked(backend, migrator, operator, version, &revisions).await;
    let unlocked = backend.unlock().await;
    let repairs = result?;
    unlocked?;
    Ok(repairs)
}

async fn repair_locked<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    operator: &str,
    version: Option<&str>,
    revisions: &[Revision],
) -> Result<Vec<Repair>, MigrateError> {
    let dialect = backend.dialect();
    let mut repairs = Vec::new();
    for revision in revisions {
        if version.is_some_and(|v| v != revision.version) {
            continue;
        }
        let Some(migration) = migrator.find(&revision.version) else {
            continue;
        };
        if migration.checksum == revision.checksum {
            continue;
        }
        let repair = Repair {
            version: migration.version.clone(),
            file: migration.file.clone(),
            previous_checksum: revision.checksum.clone(),
            checksum: migration.checksum.clone(),
            operator: operator.to_owned(),
        };
        backend
            .repair(&repair, &normalized_checksum(&migration.up, dialect))
            .await?;
        tracing::info!(
            target: "sextant::migrate",
            version = %repair.version,
            file = %repair.file,
            previous = %repair.previous_checksum,
            checksum = %repair.checksum,
            operator,
            "accepted an edited migration"
        );
        repairs.push(repair);
    }
    Ok(repairs)
}

/// Marks everything up to a version as applied, under the lock.
pub(crate) async fn baseline<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    version: &str,
) -> Result<Baseline, MigrateError> {
    if migrator.find(version).is_none() {
        return Err(MigrateError::UnknownVersion {
            version: version.to_owned(),
        });
    }
    let revisions = lock(backend).await?;
    let result = baseline_locked(backend, migrator, version, &revisions).await;
    let unlocked = backend.unlock().await;
    let baseline = result?;
    unlocked?;
    Ok(baseline)
}

async fn baseline_locked<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    version: &str,
    revisions: &[Revision],
) -> Result<Baseline, MigrateError> {
    if !revisions.is_empty() {
        return Err(MigrateError::BaselineNotEmpty {
            table: backend.table().to_owned(),
            count: revisions.len(),
        });
    }
    let dialect = backend.dialect();
    let mut baseline = Baseline::default();
    backend.begin().await?;
    for migration in &migrator.migrations {
        if compare_versions(&migration.version, version).is_gt() {
            break;
        }
        let row = NewRevision {
            migration,
            normalized_checksum: normalized_checksum(&migration.up, dialect),
            statements_total: 0,
            baseline: true,
        };
        if let Err(e) = backend.insert(&row).await {
            if let Err(e) = backend.rollback().await {
                tracing::warn!(target: "sextant::migrate", error = %e, "rolling back the baseline");
            }
            return Err(e);
        }
        baseline.versions.push(migration.version.clone());
    }
    commit(backend, None).await?;
    tracing::info!(target: "sextant::migrate", version, count = baseline.versions.len(), "baseline recorded");
    Ok(baseline)
}

/// Reverts the last applied migrations: see [`Migrator::down_url`]. A dry run reads
/// without the lock and writes nothing.
pub(crate) async fn down<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    options: &DownOptions,
) -> Result<DownReport, MigrateError> {
    if options.steps == 0 {
        return Err(MigrateError::DownTooFew {
            steps: 0,
            applied: 0,
        });
    }
    if options.dry_run {
        let revisions = backend.read().await?.unwrap_or_default();
        let mut report = down_plan(backend, migrator, options, &revisions).await?;
        report.round_trips = backend.round_trips();
        return Ok(report);
    }
    let revisions = lock(backend).await?;
    let result = down_locked(backend, migrator, options, &revisions).await;
    let unlocked = backend.unlock().await;
    let mut report = result?;
    unlocked?;
    report.round_trips = backend.round_trips();
    Ok(report)
}

/// Checks the revisions, replays the target, inspects the database and plans: what a
/// down would do, nothing run yet.
async fn down_plan<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    options: &DownOptions,
    revisions: &[Revision],
) -> Result<DownReport, MigrateError> {
    let dialect = backend.dialect();
    let planned = plan(migrator, revisions, dialect);
    if !planned.problems.is_empty() {
        return Err(MigrateError::Invalid {
            problems: planned.problems,
        });
    }
    let mut applied: Vec<&Revision> = revisions.iter().collect();
    applied.sort_by(|a, b| compare_versions(&a.version, &b.version));
    if let Some(partial) = applied.iter().find(|r| r.is_partial()) {
        return Err(MigrateError::DownPartial {
            version: partial.version.clone(),
            file: partial.file.clone(),
        });
    }
    if applied.len() < options.steps {
        return Err(MigrateError::DownTooFew {
            steps: options.steps,
            applied: applied.len(),
        });
    }
    let (kept, reverted) = applied.split_at(applied.len() - options.steps);
    let target = kept.last().map(|r| r.version.clone());

    // Every kept revision has its file (no problem was found), so the files replay
    // the target exactly as the applies built it.
    let sources: Vec<schema_inspect::Source> = kept
        .iter()
        .filter_map(|r| migrator.find(&r.version))
        .map(|m| schema_inspect::Source::new(m.file.clone(), m.up.clone()))
        .collect();
    let mut desired =
        schema_inspect::load_sources(&sources, &schema_inspect::LoadOptions::new(dialect))
            .map_err(|e| MigrateError::Replay {
                target: target.clone(),
                message: e.to_string(),
            })?
            .realm;

    let mut inspect = schema_inspect::live::InspectOptions::default();
    inspect
        .exclude
        .push(format!("*.{}", migrator.options.table));
    let live = backend.inspect(&inspect).await?;
    // Schemas the replay does not make but the database must keep: the default one,
    // and the one the revision table lives in.
    for schema in [
        Some(dialect.default_schema()),
        migrator.options.schema.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if live.schemas.contains_key(schema) {
            desired.schema_mut(schema);
        }
    }
    let plan =
        schema_plan::plan(&live, &desired, &schema_plan::PlanOptions::default()).map_err(|e| {
            MigrateError::Plan {
                target: target.clone(),
                message: e.to_string(),
            }
        })?;
    let hazards: Vec<Hazard> = plan
        .destructive()
        .map(|s| Hazard {
            sql: s.sql.clone(),
            hazard: s
                .hazard
                .clone()
                .unwrap_or_else(|| "can lose data".to_owned()),
        })
        .collect();
    if !hazards.is_empty() && !options.allow_destructive && !options.dry_run {
        return Err(MigrateError::Destructive { target, hazards });
    }
    Ok(DownReport {
        reverted: reverted
            .iter()
            .rev()
            .map(|r| Reverted {
                version: r.version.clone(),
                file: r.file.clone(),
            })
            .collect(),
        target,
        statements: plan.statements,
        executed: false,
        atomic: false,
        round_trips: 0,
    })
}

/// A statement a down leaves to the runner: SQLite's `PRAGMA foreign_keys` switches,
/// which do nothing inside the lock's transaction; the SQLite runner turns foreign keys
/// off on its connection for the whole down instead, so that no `DROP TABLE` runs the
/// `ON DELETE` actions of the tables referencing it.
fn skipped_in_down(dialect: Dialect, sql: &str) -> bool {
    dialect == Dialect::Sqlite
        && sql
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("pragma foreign_keys")
}

async fn down_locked<B: Backend>(
    backend: &mut B,
    migrator: &Migrator,
    options: &DownOptions,
    revisions: &[Revision],
) -> Result<DownReport, MigrateError> {
    let dialect = backend.dialect();
    let mut report = down_plan(backend, migrator, options, revisions).await?;
    let versions: Vec<String> = report.reverted.iter().map(|r| r.version.clone()).collect();
    let run: Vec<&str> = report
        .statements
        .iter()
        .filter(|s| !skipped_in_down(dialect, &s.sql))
        .map(|s| s.sql.as_str())
        .collect();
    // MySQL commits DDL by itself; a statement that cannot run in a transaction
    // (PostgreSQL's CONCURRENTLY) splits it too.
    let atomic = dialect != Dialect::Mysql
        && report
            .statements
            .iter()
            .filter(|s| !skipped_in_down(dialect, &s.sql))
            .all(|s| s.transactional);
    let total = run.len();
    if atomic {
        backend.begin().await?;
    }
    for (index, sql) in run.iter().enumerate() {
        let outcome = if dialect == Dialect::Sqlite && sql.contains("foreign_key_check") {
            match backend.returns_rows(sql).await {
                Ok(true) => Err("the rebuilt table breaks a foreign key".to_owned()),
                Ok(false) => Ok(()),
                Err(e) => Err(database_error(&e).0),
            }
        } else {
            backend.exec(sql).await.map_err(|e| database_error(&e).0)
        };
        if let Err(message) = outcome {
            if atomic && let Err(e) = backend.rollback().await {
                tracing::warn!(target: "sextant::migrate", error = %e, "rolling back the down");
            }
            return Err(MigrateError::DownFailed {
                target: report.target.clone(),
                statement: index + 1,
                total,
                sql: (*sql).to_owned(),
                message,
                rolled_back: atomic,
            });
        }
    }
    if let Err(e) = backend.delete_revisions(&versions).await {
        if atomic && let Err(e) = backend.rollback().await {
            tracing::warn!(target: "sextant::migrate", error = %e, "rolling back the down");
        }
        return Err(e);
    }
    if atomic {
        commit(backend, None).await?;
    }
    tracing::info!(
        target: "sextant::migrate",
        reverted = ?versions,
        target_version = ?report.target,
        statements = total,
        "reverted migrations"
    );
    report.executed = true;
    report.atomic = atomic;
    Ok(report)
}

/// Waits between tries for a lock: doubling from 25 ms up to 1 s, with jitter so that
/// replicas started together do not retry in step.
#[cfg(feature = "postgres")]
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = 25u64.saturating_mul(1u64 << attempt.min(6)).min(1000);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or_default();
    let jitter =
        (nanos ^ u64::from(std::process::id()).wrapping_mul(2_654_435_761)) % (base / 2 + 1);
    Duration::from_millis(base / 2 + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrator(files: &[(&str, &str)]) -> Migrator {
        Migrator::new(
            files
                .iter()
                .map(|(v, sql)| Migration::new(*v, "m", format!("{v}_m.sql"), *sql))
                .collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn applied(migration: &Migration, dialect: Dialect) -> Revision {
        Revision {
            version: migration.version.clone(),
            file: migration.file.clone(),
            checksum: migration.checksum.clone(),
            normalized_checksum: normalized_checksum(&migration.up, dialect),
            statements_applied: 1,
            statements_total: 1,
            ..Revision::default()
        }
    }

    #[test]
    fn comments_and_whitespace_do_not_change_the_normalized_checksum() {
        let a = "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);";
        let b = "-- a table\nCREATE   TABLE t (\n  id int -- the key\n);\n\n/* data */ INSERT INTO t VALUES (1);\n";
        for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            assert_eq!(
                normalized_checksum(a, dialect),
                normalized_checksum(b, dialect)
            );
            assert_ne!(
                normalized_checksum(a, dialect),
                normalized_checksum(
                    "CREATE TABLE t (id bigint);\nINSERT INTO t VALUES (1);",
                    dialect
                )
            );
        }
        // A string literal is data, whitespace inside it counts.
        assert_ne!(
            normalized_checksum("SELECT 'a b';", Dialect::Postgres),
            normalized_checksum("SELECT 'a  b';", Dialect::Postgres)
        );
        // MySQL runs executable comments.
        assert_ne!(
            normalized_checksum(
                "CREATE TABLE t (id int) /*!50100 ENGINE=InnoDB */;",
                Dialect::Mysql
            ),
            normalized_checksum(
                "CREATE TABLE t (id int) /*!50100 ENGINE=MyISAM */;",
                Dialect::Mysql
            )
        );
    }

    #[test]
    fn duplicate_versions_are_refused() {
        let error = Migrator::new(vec![
            Migration::new("1", "a", "1_a.sql", ""),
            Migration::new("1", "b", "1_b.sql", ""),
        ])
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("two migrations have version 1: 1_a.sql and 1_b.sql")
        );
    }

    #[test]
    fn plan_finds_pending_edited_missing_and_out_of_order() {
        let m = migrator(&[
            ("1", "SELECT 1;"),
            ("2", "SELECT 2;"),
            ("3", "SELECT 3;"),
            ("10", "SELECT 10;"),
        ]);
        let d = Dialect::Sqlite;
        let migrations = m.migrations();
        // 1 applied, 3 applied: 2 is out of order, 10 pending.
        let revisions = vec![applied(&migrations[0], d), applied(&migrations[2], d)];
        let planned = plan(&m, &revisions, d);
        let steps: Vec<&str> = planned
            .steps
            .iter()
            .map(|s| s.migration.version.as_str())
            .collect();
        assert_eq!(steps, ["10"]);
        assert_eq!(
            planned.problems,
            [Problem::OutOfOrder {
                version: "2".into(),
                file: "2_m.sql".into(),
                last_applied: "3".into()
            }]
        );

        let mut edited = applied(&migrations[0], d);
        edited.checksum = "0".repeat(64);
        edited.normalized_checksum = "1".repeat(64);
        let gone = Revision {
            version: "0".into(),
            file: "0_gone.sql".into(),
            ..applied(&migrations[0], d)
        };
        let planned = plan(&m, &[edited, gone], d);
        assert_eq!(planned.problems.len(), 2, "{:?}", planned.problems);
        let message = MigrateError::Invalid {
            problems: planned.problems,
        }
        .to_string();
        assert_eq!(
            message,
            format!(
                "nothing was applied: 2 problems in the migrations\n  - migration 0 \
                 (0_gone.sql) is applied but its file is missing\n  - migration 1 (1_m.sql) \
                 was edited after it was applied: checksum {} applied, {} now (restore the \
                 file, or accept the edit with `migrate repair`)",
                "0".repeat(64),
                migrations[0].checksum
            )
        );
    }

    #[test]
    fn a_cosmetic_edit_is_a_warning_and_a_partial_file_resumes() {
        let m = migrator(&[("1", "SELECT 1; -- edited\n"), ("2", "SELECT 2; SELECT 3;")]);
        let d = Dialect::Postgres;
        let original = Migration::new("1", "m", "1_m.sql", "SELECT 1;");
        let mut partial = applied(&m.migrations()[1], d);
        partial.statements_total = 2;
        let planned = plan(&m, &[applied(&original, d), partial], d);
        assert!(planned.problems.is_empty(), "{:?}", planned.problems);
        assert_eq!(
            planned.warnings,
            [Warning::CosmeticEdit {
                version: "1".into(),
                file: "1_m.sql".into()
            }]
        );
        assert_eq!(planned.steps.len(), 1);
        assert_eq!(planned.steps[0].migration.version, "2");
        assert_eq!(planned.steps[0].resume_from, 1);
    }

    #[test]
    fn the_target_stops_the_plan() {
        let m = migrator(&[("1", "SELECT 1;"), ("2", "SELECT 2;"), ("3", "SELECT 3;")])
            .with_options(MigratorOptions::new().target("2"));
        let planned = plan(&m, &[], Dialect::Sqlite);
        let steps: Vec<&str> = planned
            .steps
            .iter()
            .map(|s| s.migration.version.as_str())
            .collect();
        assert_eq!(steps, ["1", "2"]);
        let unknown =
            migrator(&[("1", "SELECT 1;")]).with_options(MigratorOptions::new().target("7"));
        assert_eq!(
            unknown
                .check_target()
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("no migration has version 7")
        );
    }

    #[test]
    fn down_failures_and_refusals_say_what_stays() {
        let failed = MigrateError::DownFailed {
            target: Some("2".into()),
            statement: 2,
            total: 3,
            sql: "CREATE TABLE t (\n  id int\n);".into(),
            message: "permission denied".into(),
            rolled_back: false,
        };
        insta::assert_snapshot!(failed.to_string(), @r"
        reverting to version 2: statement 2 of 3 failed: permission denied
            CREATE TABLE t (
              id int
            );
        the statements before it stay applied and the revisions are kept; fix the cause and run the down again, which plans from what the database holds now
        ");
        let refused = MigrateError::Destructive {
            target: None,
            hazards: vec![Hazard {
                sql: "DROP TABLE t;".into(),
                hazard: "drops the table and its rows".into(),
            }],
        };
        insta::assert_snapshot!(refused.to_string(), @r"
        reverting to the start would lose data; nothing was run (allow it with --allow-destructive):
          - DROP TABLE t; -- drops the table and its rows
        ");
        assert_eq!(
            MigrateError::DownTooFew {
                steps: 1,
                applied: 0
            }
            .to_string(),
            "cannot revert 1 migration: only 0 are applied; nothing was reverted"
        );
    }

    #[test]
    fn passwords_stay_out_of_connection_errors() {
        let error = connect_error(
            "postgres://bob:hunter2@db:5432/app",
            &"password authentication failed for postgres://bob:hunter2@db:5432/app",
        );
        let message = error.to_string();
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(0) <= Duration::from_millis(25));
        assert!(backoff(20) <= Duration::from_secs(1));
        assert!(backoff(20) >= Duration::from_millis(500));
    }
}
