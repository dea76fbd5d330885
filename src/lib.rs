//! Sextant: database schema as code.
//!
//! The small API services and tools call: load a schema from SQL, files or a live
//! database, diff two schemas, plan the SQL from one to the other, lint it, and apply
//! it, declaratively ([`apply`]) or as versioned migrations ([`migrate`]). Tests assert
//! that two schemas are equal with [`assert_schema_eq!`].
//!
//! ```
//! use sextant::model::Dialect;
//!
//! let current = sextant::load_sql("CREATE TABLE t (id integer PRIMARY KEY);", Dialect::Sqlite)?;
//! let desired = sextant::load_sql(
//!     "CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');",
//!     Dialect::Sqlite,
//! )?;
//! let plan = sextant::plan(&current, &desired)?;
//! assert_eq!(plan.to_sql(), "ALTER TABLE t ADD COLUMN name TEXT NOT NULL DEFAULT '';\n");
//! # Ok::<(), sextant::Error>(())
//! ```
//!
//! The crates underneath are re-exported for what the facade does not cover: the
//! canonical [`model`], the loaders ([`inspect`]), the differ ([`diff`](mod@diff)),
//! the planner and applier ([`plan`](mod@plan)) and the linter ([`lint`]).

mod assert;
mod database;
mod declarative;
mod error;
pub mod migrate;

pub use assert::{SchemaMismatch, check_schema_eq, schema_text};
pub use database::{BoxFuture, Database};
pub use declarative::{Applied, Drift, Policy, PolicyCheck, apply, drift, plan_for};
pub use error::Error;
pub use schema_diff as diff;
pub use schema_inspect as inspect;
pub use schema_lint as lint;
pub use schema_model as model;
pub use schema_plan as plan;
pub use sextant_macros::embed_migrations;

use schema_model::{Dialect, Realm};
use std::path::Path;

/// Reads SQL text in a dialect into a schema, offline: parsed and replayed in memory.
///
/// ```
/// let realm = sextant::load_sql("CREATE TABLE t (id int);", sextant::model::Dialect::Postgres)?;
/// assert!(realm.schemas["public"].tables.contains_key("t"));
/// # Ok::<(), sextant::Error>(())
/// ```
pub fn load_sql(sql: &str, dialect: Dialect) -> Result<Realm, Error> {
    let loaded =
        schema_inspect::load_sql(sql, "<sql>", &schema_inspect::LoadOptions::new(dialect))?;
    Ok(loaded.realm)
}

/// Reads a SQL file, or a directory of them in name order, into a schema.
///
/// ```no_run
/// let realm = sextant::load_path("schema.sql", sextant::model::Dialect::Postgres)?;
/// # Ok::<(), sextant::Error>(())
/// ```
pub fn load_path(path: impl AsRef<Path>, dialect: Dialect) -> Result<Realm, Error> {
    let loaded =
        schema_inspect::load_path(path.as_ref(), &schema_inspect::LoadOptions::new(dialect))?;
    Ok(loaded.realm)
}

/// Inspects the database a URL names (`postgres://`, `mysql://`, `mariadb://`,
/// `sqlite:`).
///
/// ```no_run
/// # async fn run() -> Result<(), sextant::Error> {
/// let realm = sextant::load_url("sqlite://app.db").await?;
/// # Ok(()) }
/// ```
pub async fn load_url(url: &str) -> Result<Realm, Error> {
    Ok(
        schema_inspect::live::inspect_url(url, &schema_inspect::live::InspectOptions::default())
            .await?,
    )
}

/// Inspects the schema a pool's database holds.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
/// sqlx::raw_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute(&pool).await?;
/// let realm = sextant::inspect_db(&pool).await?;
/// assert!(realm.schemas["main"].tables.contains_key("t"));
/// # Ok(()) }
/// ```
pub async fn inspect_db<D: Database>(db: &D) -> Result<Realm, Error> {
    Ok(db
        .inspect(&schema_inspect::live::InspectOptions::default())
        .await?)
}

/// The typed changes from one schema to another.
///
/// ```
/// use sextant::model::Dialect;
/// let a = sextant::load_sql("CREATE TABLE t (id int);", Dialect::Postgres)?;
/// let b = sextant::load_sql("CREATE TABLE t (id bigint);", Dialect::Postgres)?;
/// let diff = sextant::diff(&a, &b)?;
/// assert_eq!(sextant::diff::changes_text(&diff), "~ table public.t\n    ~ column id: type integer -> bigint\n");
/// # Ok::<(), sextant::Error>(())
/// ```
pub fn diff(from: &Realm, to: &Realm) -> Result<schema_diff::Diff, Error> {
    Ok(schema_diff::diff(
        from,
        to,
        &schema_diff::DiffOptions::default(),
    )?)
}

/// The dependency-ordered plan from one schema to another, with default options (see
/// `sextant::plan::plan` for renames and PostgreSQL's online mode).
pub fn plan(from: &Realm, to: &Realm) -> Result<schema_plan::Plan, Error> {
    Ok(schema_plan::plan(
        from,
        to,
        &schema_plan::PlanOptions::default(),
    )?)
}

/// Lints a plan made from `from`: destructive, data-dependent, backward-incompatible
/// and locking changes, with the linter's default rules for the plan's dialect.
pub fn lint_plan(plan: &schema_plan::Plan, from: &Realm) -> Vec<schema_lint::Diagnostic> {
    schema_lint::lint_plan(plan, from, &schema_lint::Settings::new(plan.dialect))
}
