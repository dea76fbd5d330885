//! Reading schemas into the canonical [`schema_model::Realm`].
//!
//! The offline loader replays SQL text in memory: it splits the text into statements
//! with a lexer that knows each dialect's quoting ([`split`]), parses each statement on
//! its own with sqlparser, and applies it to a realm, so that a whole migrations
//! directory replays, without a database, to the schema it produces.
//!
//! ```
//! use schema_inspect::{load_sql, LoadOptions};
//! use schema_model::Dialect;
//!
//! let loaded = load_sql(
//!     "CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL);",
//!     "schema.sql",
//!     &LoadOptions::new(Dialect::Postgres),
//! )?;
//! let users = &loaded.realm.schemas["public"].tables["users"];
//! assert_eq!(users.primary_key.as_ref().map(|pk| pk.name.as_str()), Some("users_pkey"));
//! # Ok::<(), schema_inspect::LoadError>(())
//! ```

mod error;
#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub mod live;
mod offline;
mod resolved;
mod source;
pub mod split;

pub use error::{LoadError, Location, Warning};
pub use offline::stepwise::Replayer;
pub use source::Source;

use schema_model::{Dialect, Realm};
use std::path::Path;

/// How to read SQL.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The dialect the SQL is written in.
    pub dialect: Dialect,
    /// Skip statements that cannot be read, with a [`Warning`] for each, instead of
    /// stopping at the first.
    pub lenient: bool,
    /// PostgreSQL: the schemas unqualified names are looked up in, and the first of them
    /// the one new objects are created in, until the SQL sets `search_path` itself.
    /// Defaults to `["public"]`.
    pub search_path: Vec<String>,
}

impl LoadOptions {
    /// Strict loading of that dialect.
    pub fn new(dialect: Dialect) -> Self {
        LoadOptions {
            dialect,
            lenient: false,
            search_path: vec![dialect.default_schema().to_owned()],
        }
    }

    /// The same options with another PostgreSQL search path.
    pub fn with_search_path(
        mut self,
        schemas: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.search_path = schemas.into_iter().map(Into::into).collect();
        self
    }

    /// The same options, lenient.
    pub fn lenient(mut self) -> Self {
        self.lenient = true;
        self
    }
}

/// A loaded schema and what the loader had to say about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The schema the SQL produces.
    pub realm: Realm,
    /// Statements read but not modelled (data, session settings, ownership), and in
    /// lenient mode the statements skipped, each with its reason.
    pub warnings: Vec<Warning>,
    /// How many statements were read.
    pub statements: usize,
}

/// Loads SQL text. `origin` names the text in errors (a file name, `<stdin>`).
pub fn load_sql(sql: &str, origin: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut loaded = load_fragment(sql, origin, options)?;
    resolved::settle_signatures(&mut loaded.realm);
    Ok(loaded)
}

/// Loads SQL text that is a fragment of a realm (an object's definition read back from
/// a catalog): as [`load_sql`], without the steps that need the whole realm.
pub(crate) fn load_fragment(
    sql: &str,
    origin: &str,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    // Borrowed, not copied into a `Source`: the text may be large.
    offline::replay_texts(
        [offline::Text {
            name: origin,
            text: sql,
        }],
        options,
    )
}

/// Loads several SQL texts in order, as one migration history.
pub fn load_sources(sources: &[Source], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut loaded = offline::replay(sources, options)?;
    resolved::settle_signatures(&mut loaded.realm);
    Ok(loaded)
}

/// Loads a `.sql` file, or every `.sql` file of a directory (recursively, in lexical
/// order of their paths).
pub fn load_path(path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let sources = source::read_path(path)?;
    load_sources(&sources, options)
}
