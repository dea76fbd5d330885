//! Sextant: database schema as code.
//!
//! This facade re-exports the crates a service or a tool needs: the canonical model
//! ([`model`]), the loaders ([`inspect`]) and the renderers ([`plan`]).
//!
//! ```
//! use sextant::{inspect::{load_sql, LoadOptions}, model::Dialect};
//!
//! let loaded = load_sql("CREATE TABLE t (id integer PRIMARY KEY);", "t.sql",
//!     &LoadOptions::new(Dialect::Sqlite))?;
//! assert!(loaded.realm.schemas["main"].tables.contains_key("t"));
//! # Ok::<(), sextant::inspect::LoadError>(())
//! ```

pub use schema_inspect as inspect;
pub use schema_lint as lint;
pub use schema_model as model;
pub use schema_plan as plan;

pub mod migrate;
