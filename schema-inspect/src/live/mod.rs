//! Live inspection: reading a running database's catalog into the canonical model, and
//! the dev-database loader, which applies SQL to a scratch database and inspects it.
//!
//! One module per database, each behind the cargo feature of the same name
//! (`postgres`, `mysql`, `sqlite`). Each module offers:
//!
//! - `inspect(conn, &InspectOptions)`: the realm a connection sees. `conn` is anything
//!   sqlx can acquire a connection from: `&Pool`, `&mut Connection`. A fixed number of
//!   catalog queries per object kind, whatever the number of tables.
//! - `load_dev(server_url, &[Source], &InspectOptions)`: creates a scratch database,
//!   applies the SQL statement by statement, inspects the result and drops the
//!   database again, also when applying fails.
//!
//! [`inspect_url`] and [`load_dev`] pick the module from a URL's scheme.
//!
//! The realm a live inspector returns must equal the one the offline loader reads from
//! the SQL that built the database: expressions the server prints go through the same
//! canonical form as the offline loader's (see `offline::expr`), and names, types and
//! defaults are reported as the model defines them, not as the catalog spells them.

#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use crate::{Location, Source};
use schema_model::{Dialect, Realm};

/// The table in which `schema_plan::apply` records how far a plan got, so that a rerun
/// resumes. It is bookkeeping, not part of anyone's schema: every inspector leaves a
/// table of this name out, whatever schema it is in, so that planning against a
/// database that has been applied to never proposes to drop it.
pub const APPLY_PROGRESS_TABLE: &str = "sextant_apply_progress";

/// The default name of the migration runner's revision table (`sextant::migrate`).
/// Like [`APPLY_PROGRESS_TABLE`], bookkeeping that every inspector leaves out, so that
/// a diff against a migrated database never proposes to drop it. A runner configured
/// with another name leaves it out with [`InspectOptions::exclude`].
pub const REVISIONS_TABLE: &str = "sextant_revisions";

/// What to inspect.
#[derive(Debug, Clone, Default)]
pub struct InspectOptions {
    /// The schemas (MySQL: databases) to read. Empty means every user schema:
    /// PostgreSQL's schemas except `pg_catalog`, `information_schema`, `pg_toast` and
    /// temporary ones; MySQL's current database; SQLite's `main`.
    pub schemas: Vec<String>,
    /// Objects to leave out, as `schema.name` patterns where `*` matches any run of
    /// characters (`audit.*`, `*.tmp_*`). A pattern without a dot matches object
    /// names in every schema.
    pub exclude: Vec<String>,
}

impl InspectOptions {
    /// Whether an object of that schema and name is left out: by [`Self::exclude`], or
    /// because it is bookkeeping ([`APPLY_PROGRESS_TABLE`], [`REVISIONS_TABLE`]).
    pub fn excludes(&self, schema: &str, name: &str) -> bool {
        name == APPLY_PROGRESS_TABLE
            || name == REVISIONS_TABLE
            || self
                .exclude
                .iter()
                .any(|pattern| match pattern.split_once('.') {
                    Some((schema_pattern, name_pattern)) => {
                        glob_match(schema_pattern, schema) && glob_match(name_pattern, name)
                    }
                    None => glob_match(pattern, name),
                })
    }

    /// Whether the schema is one to read (before exclusions).
    pub fn includes_schema(&self, schema: &str) -> bool {
        self.schemas.is_empty() || self.schemas.iter().any(|s| s == schema)
    }
}

/// `*` matches any run of characters, everything else itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, rest) = (parts[0], &parts[1..]);
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let (last, middle) = match rest.split_last() {
        Some(split) => split,
        None => return true,
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// Why live inspection or the dev-database loader failed.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// The URL names no database this build can reach.
    #[error("{url}: {message}")]
    Url {
        /// The URL without its password.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// Connecting failed.
    #[error("connecting to {target}: {message}")]
    Connect {
        /// Host, port and database (never the password).
        target: String,
        /// The driver's message.
        message: String,
    },
    /// A catalog query failed.
    #[error("reading {object}: {message}")]
    Query {
        /// What was being read: an object kind or one object's name.
        object: String,
        /// The server's message.
        message: String,
    },
    /// The catalog holds something the model cannot describe.
    #[error("{object}: {message}")]
    Unreadable {
        /// The object.
        object: String,
        /// What could not be read, and why.
        message: String,
    },
    /// The dev-database loader: the SQL could not be split or applied.
    #[error("{location}: {message}")]
    Apply {
        /// The statement that failed, with file, line and column.
        location: Location,
        /// The database's own error (or the splitter's).
        message: String,
    },
    /// The dev-database loader: the scratch database could not be created or dropped.
    #[error("scratch database {database}: {message}")]
    Scratch {
        /// The scratch database's name.
        database: String,
        /// The server's message.
        message: String,
    },
}

/// A URL with its password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => format!("{scheme}://{authority}{tail}"),
        },
        None => url.to_owned(),
    }
}

/// The dialect a URL's scheme names: `postgres://` or `postgresql://`, `mysql://` or
/// `mariadb://`, `sqlite:`.
pub fn url_dialect(url: &str) -> Result<Dialect, InspectError> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "postgres" | "postgresql" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::Mysql),
        "sqlite" => Ok(Dialect::Sqlite),
        _ => Err(InspectError::Url {
            url: redact_url(url),
            message: "expected a postgres://, mysql:// or sqlite: URL".to_owned(),
        }),
    }
}

/// Inspects the database a URL names.
pub async fn inspect_url(url: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    match url_dialect(url)? {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::inspect_url(url, options).await,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::inspect_url(url, options).await,
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::inspect_url(url, options).await,
        #[allow(unreachable_patterns)]
        dialect => Err(not_compiled_in(url, dialect)),
    }
}

/// Row estimates per table of the database a URL names, from the catalog, for grading
/// lint findings by table size. Tables the catalog has no estimate for are left out.
///
/// PostgreSQL: `reltuples` scaled to the table's current size as the planner does it,
/// ordinary and materialized tables (a partitioned parent holds no rows of its own; it
/// is left out); a table with no pages at all is 0, one never analyzed (or analyzed
/// when it held no live row) but with pages now is left out. MySQL: `information_schema.TABLES.TABLE_ROWS` of the connection's database
/// (InnoDB's own estimate), under the model's default schema `""`. SQLite: the counts
/// `ANALYZE` left in `sqlite_stat1`, and 0 for a table without one that holds no row
/// (one query for all). Estimates are as fresh as the last `ANALYZE` or autovacuum.
pub async fn table_rows(
    url: &str,
) -> Result<std::collections::BTreeMap<schema_model::QualifiedName, u64>, InspectError> {
    match url_dialect(url)? {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::table_rows_url(url).await,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::table_rows_url(url).await,
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::table_rows_url(url).await,
        #[allow(unreachable_patterns)]
        dialect => Err(not_compiled_in(url, dialect)),
    }
}

/// Loads SQL through a scratch database on the server a URL names (for SQLite, an
/// in-memory database; the URL is `sqlite::memory:`).
pub async fn load_dev(
    url: &str,
    sources: &[Source],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    match url_dialect(url)? {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::load_dev(url, sources, options).await,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::load_dev(url, sources, options).await,
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::load_dev(url, sources, options).await,
        #[allow(unreachable_patterns)]
        dialect => Err(not_compiled_in(url, dialect)),
    }
}

#[allow(dead_code)]
fn not_compiled_in(url: &str, dialect: Dialect) -> InspectError {
    InspectError::Url {
        url: redact_url(url),
        message: format!(
            "this build has no {} support (cargo feature `{}`)",
            dialect.as_str(),
            dialect.as_str()
        ),
    }
}

/// A name for a scratch database that no concurrent run picks too.
#[allow(dead_code)]
pub(crate) fn scratch_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "sextant_dev_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The statements of the sources, in order, with their locations, ready to apply one by
/// one. Client commands (psql's `\c`, MySQL's `DELIMITER`) are not sent.
#[allow(dead_code)]
pub(crate) fn statements(
    sources: &[Source],
    dialect: Dialect,
) -> Result<Vec<(Location, String)>, InspectError> {
    let mut out = Vec::new();
    for source in sources {
        let raw = crate::split::split(&source.text, dialect).map_err(|e| InspectError::Apply {
            location: Location {
                file: source.name.clone(),
                line: e.line,
                column: e.column,
                statement: String::new(),
            },
            message: e.message,
        })?;
        for stmt in raw {
            if stmt.kind != crate::split::RawKind::Sql {
                continue;
            }
            out.push((
                Location {
                    file: source.name.clone(),
                    line: stmt.line,
                    column: stmt.column,
                    statement: stmt.text.to_owned(),
                },
                stmt.text.to_owned(),
            ));
        }
    }
    Ok(out)
}

/// The canonical text of an expression the server printed (a default, a check, an
/// index expression), as the offline loader gives it; text that does not parse comes
/// back unchanged.
#[allow(dead_code)]
pub(crate) fn canonical_expression(dialect: Dialect, text: &str) -> String {
    crate::offline::canonical_text(dialect, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Services spawn inspection on a multi-threaded runtime, so the futures must be
    /// `Send` for any lifetime of their arguments: this does not compile otherwise.
    #[allow(dead_code)]
    fn futures_can_be_spawned() {
        drop(tokio::spawn(async {
            let options = InspectOptions::default();
            inspect_url("sqlite::memory:", &options).await
        }));
        drop(tokio::spawn(async {
            let (sources, options) = (Vec::<Source>::new(), InspectOptions::default());
            load_dev("sqlite::memory:", &sources, &options).await
        }));
    }

    #[test]
    fn exclusion_patterns_match_schema_and_name() {
        let options = InspectOptions {
            schemas: vec![],
            exclude: vec!["audit.*".into(), "*.tmp_*".into(), "legacy".into()],
        };
        assert!(options.excludes("audit", "log"));
        assert!(options.excludes("public", "tmp_x"));
        assert!(options.excludes("other", "legacy"));
        assert!(!options.excludes("public", "log"));
        assert!(!options.excludes("public", "legacy_x"));
        assert!(!options.excludes("auditx", "log"));
        assert!(
            InspectOptions::default().excludes("public", APPLY_PROGRESS_TABLE),
            "apply's bookkeeping is never part of a schema"
        );
    }

    #[test]
    fn glob_needs_the_whole_text() {
        assert!(glob_match("a*b*c", "aXbYc"));
        assert!(!glob_match("a*b*c", "aXbYcd"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("ab*ba", "aba"));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://bob:s3cret@db:5432/app?sslmode=require"),
            "postgres://bob:***@db:5432/app?sslmode=require"
        );
        assert_eq!(
            redact_url("mysql://root@127.0.0.1:3306/x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(
            redact_url("postgres://u:p@ss@h/d"),
            "postgres://u:***@h/d",
            "an @ in the password stays hidden"
        );
    }

    #[test]
    fn url_schemes_name_dialects() {
        assert_eq!(
            url_dialect("postgresql://h/d").ok(),
            Some(Dialect::Postgres)
        );
        assert_eq!(url_dialect("mariadb://h/d").ok(), Some(Dialect::Mysql));
        assert_eq!(url_dialect("sqlite::memory:").ok(), Some(Dialect::Sqlite));
        assert!(url_dialect("oracle://h/d").is_err());
    }
}
