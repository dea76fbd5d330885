//! Versioned migrations: a directory of SQL files applied in order and recorded in a
//! revision table, so that every database reaches the same schema by the same steps.
//!
//! [`Migration`] is the one shape every directory layout (Atlas, sqlx, golang-migrate,
//! goose, Flyway, dbmate) is read into, and the one the runner applies.
//!
//! [`Migrator`] applies them (see [`runner`] for what a run does and promises);
//! [`postgres`], [`mysql`] and [`sqlite`] hold each database's lock and revision
//! table, behind the cargo features of their names.

#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
// A runner needs a database to run on: without any, only the migrations' shape is here.
#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub mod runner;
#[cfg(feature = "sqlite")]
pub mod sqlite;
// SQLite has no tenants to list: one file is one database.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub mod tenants;

#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub use runner::{
    Applied, Baseline, DEFAULT_TABLE, DownOptions, DownReport, Failure, Hazard, MigrateError,
    MigrateReport, Migrator, MigratorOptions, Pending, Problem, Repair, Reverted, Revision, Status,
    Warning, normalized_checksum,
};
use sha2::{Digest, Sha256};

pub mod dir;
mod embed;
pub mod layout;
pub mod replay;
pub mod sum;

pub use dir::{DirError, MigrationDir, ReadOptions, read_dir};
pub use embed::EmbeddedDir;
pub use layout::Layout;
pub use replay::ReplayError;
pub use sum::{HashFile, SumError};

/// One versioned migration, as read from a directory or embedded in a binary.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Migration {
    /// The version, exactly as the file name spells it (`20240101120000`, `0001`, `1.2`;
    /// Flyway's `V1_2__` is `1.2`, as Flyway records it). Versions are ordered by
    /// [`compare_versions`], not as strings.
    pub version: String,
    /// The human part of the file name (`create_users`), may be empty.
    pub description: String,
    /// The file the forward SQL came from, relative to the directory (`1_init.sql`).
    pub file: String,
    /// The forward SQL.
    pub up: String,
    /// The reverse SQL, where the layout has one (`.down.sql`, `-- +goose Down`, ...).
    pub down: Option<String>,
    /// A transaction mode the file asks for itself (`-- atlas:txmode none`,
    /// sqlx's `-- no-transaction`, ...), overriding the runner's default.
    pub tx_mode: Option<TxMode>,
    /// SHA-256 of [`Self::up`], lowercase hex: what the revision table records and
    /// compares to notice a file edited after it was applied.
    pub checksum: String,
}

impl Migration {
    /// A migration from its parts; the checksum is computed from `up`.
    pub fn new(
        version: impl Into<String>,
        description: impl Into<String>,
        file: impl Into<String>,
        up: impl Into<String>,
    ) -> Self {
        let up = up.into();
        Self {
            version: version.into(),
            description: description.into(),
            file: file.into(),
            checksum: sha256_hex(up.as_bytes()),
            up,
            down: None,
            tx_mode: None,
        }
    }

    /// Sets [`Self::down`].
    pub fn with_down(mut self, down: impl Into<String>) -> Self {
        self.down = Some(down.into());
        self
    }

    /// Sets [`Self::tx_mode`].
    pub fn with_tx_mode(mut self, mode: TxMode) -> Self {
        self.tx_mode = Some(mode);
        self
    }
}

/// How migrations are wrapped in transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TxMode {
    /// One transaction per file (the default): a failing file leaves nothing behind.
    #[default]
    File,
    /// All pending files in one transaction: all or nothing.
    All,
    /// No transaction: statement by statement, for `CREATE INDEX CONCURRENTLY` and
    /// MySQL, whose DDL commits implicitly anyway.
    None,
}

/// Orders two versions: runs of digits compare as numbers (`2` before `10`, `1.9`
/// before `1.10`), everything else as text, so every layout's versions sort as their
/// authors meant.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let a_len = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let b_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (a_num, b_num) = (trim_zeros(&a[..a_len]), trim_zeros(&b[..b_len]));
                let order = a_num
                    .len()
                    .cmp(&b_num.len())
                    .then_with(|| a_num.cmp(b_num))
                    // `01` and `1` are the same number; the shorter spelling sorts first
                    // so that the order stays total.
                    .then_with(|| a_len.cmp(&b_len));
                if order.is_ne() {
                    return order;
                }
                a = &a[a_len..];
                b = &b[b_len..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

/// SHA-256 of some bytes as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn versions_compare_numerically_where_they_are_numbers() {
        assert_eq!(compare_versions("2", "10"), Ordering::Less);
        assert_eq!(compare_versions("1.9", "1.10"), Ordering::Less);
        assert_eq!(compare_versions("0002", "10"), Ordering::Less);
        assert_eq!(compare_versions("20240101", "20240101"), Ordering::Equal);
        assert_eq!(compare_versions("1", "1a"), Ordering::Less);
        assert_eq!(compare_versions("01", "1"), Ordering::Greater);
        assert_eq!(compare_versions("b", "a"), Ordering::Greater);
    }

    #[test]
    fn checksum_is_sha256_of_the_forward_sql() {
        let migration = Migration::new("1", "init", "1_init.sql", "abc");
        assert_eq!(
            migration.checksum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
