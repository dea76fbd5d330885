//! Settings of a lint run: the dialect, what the migration tool does around files, the
//! server version, and the configuration's rule choices.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::rule::RuleMeta;
use schema_model::{Dialect, QualifiedName};
use std::collections::HashMap;

/// The PostgreSQL version assumed unless configured.
pub const DEFAULT_POSTGRES_VERSION: u32 = 16;

/// The largest table, in rows, whose locks and rewrites are graded as notes unless
/// configured (`small-table-rows`): rewriting 10,000 narrow rows takes milliseconds.
pub const DEFAULT_SMALL_TABLE_ROWS: u64 = 10_000;

/// How to lint.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The dialect of the SQL.
    pub dialect: Dialect,
    /// The migration tool runs each file in a transaction.
    pub assume_in_transaction: bool,
    /// The PostgreSQL major version the migrations run on.
    pub postgres_version: u32,
    /// Rule choices and naming patterns.
    pub config: Config,
    /// Row estimates per table (from a live database's catalog), by which findings about
    /// locking, rewriting or scanning a table, or about the rows it holds, are graded
    /// ([`crate::Sizing`]). Empty when sizes are unknown: nothing is graded.
    pub table_rows: HashMap<QualifiedName, u64>,
    /// Tables of at most this many rows are small: their locks and rewrites are notes.
    pub small_table_rows: u64,
}

impl Settings {
    /// Defaults for that dialect: no transaction wrapping, PostgreSQL 16, every rule
    /// at its default.
    pub fn new(dialect: Dialect) -> Self {
        Settings {
            dialect,
            assume_in_transaction: false,
            postgres_version: DEFAULT_POSTGRES_VERSION,
            config: Config::default(),
            table_rows: HashMap::new(),
            small_table_rows: DEFAULT_SMALL_TABLE_ROWS,
        }
    }

    /// The same settings with row estimates per table, such as a live database's:
    ///
    /// ```ignore
    /// let rows = schema_inspect::live::table_rows("postgres://localhost/app").await?;
    /// let settings = Settings::new(Dialect::Postgres).with_table_rows(rows);
    /// ```
    pub fn with_table_rows(mut self, rows: impl IntoIterator<Item = (QualifiedName, u64)>) -> Self {
        self.table_rows = rows.into_iter().collect();
        self
    }

    /// The same settings with a configuration: its `assume-in-transaction`,
    /// `postgres-version` and `small-table-rows`, where given, override these.
    pub fn with_config(mut self, config: Config) -> Self {
        if let Some(wrapped) = config.assume_in_transaction {
            self.assume_in_transaction = wrapped;
        }
        if let Some(version) = config.postgres_version {
            self.postgres_version = version;
        }
        if let Some(rows) = config.small_table_rows {
            self.small_table_rows = rows;
        }
        self.config = config;
        self
    }

    /// The severity a rule runs at, or `None` when it is off.
    pub fn severity_of(&self, meta: &RuleMeta) -> Option<Severity> {
        match self.config.rule_choice(meta) {
            Some(choice) => choice,
            None if meta.default_on => Some(meta.severity),
            None => None,
        }
    }
}
