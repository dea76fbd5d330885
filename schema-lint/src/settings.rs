//! Settings of a lint run: the dialect, what the migration tool does around files, the
//! server version, and the configuration's rule choices.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::rule::RuleMeta;
use schema_model::Dialect;

/// The PostgreSQL version assumed unless configured.
pub const DEFAULT_POSTGRES_VERSION: u32 = 16;

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
        }
    }

    /// The same settings with a configuration: its `assume-in-transaction` and
    /// `postgres-version`, where given, override these.
    pub fn with_config(mut self, config: Config) -> Self {
        if let Some(wrapped) = config.assume_in_transaction {
            self.assume_in_transaction = wrapped;
        }
        if let Some(version) = config.postgres_version {
            self.postgres_version = version;
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
