//! The databases the facade talks to: the sqlx pools services already hold.

use schema_inspect::live::{InspectError, InspectOptions};
use schema_model::{Dialect, Realm};
use schema_plan::Plan;
use schema_plan::apply::{ApplyFuture, ApplyOptions};
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future, so that facade calls can be spawned on tokio.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A database the facade can inspect and apply to: `sqlx::PgPool`, `sqlx::MySqlPool`
/// and `sqlx::SqlitePool`, each with the cargo feature of its name. Sealed: the three
/// pools are the whole list.
pub trait Database: Send + Sync + sealed::Sealed {
    /// The dialect the database speaks.
    fn dialect(&self) -> Dialect;

    /// Inspects the schema the database holds.
    fn inspect<'a>(
        &'a self,
        options: &'a InspectOptions,
    ) -> BoxFuture<'a, Result<Realm, InspectError>>;

    /// Applies a plan (see `schema_plan::apply`).
    fn apply<'a>(&'a self, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a>;
}

mod sealed {
    pub trait Sealed {}
    #[cfg(feature = "postgres")]
    impl Sealed for sqlx::PgPool {}
    #[cfg(feature = "mysql")]
    impl Sealed for sqlx::MySqlPool {}
    #[cfg(feature = "sqlite")]
    impl Sealed for sqlx::SqlitePool {}
}

#[cfg(feature = "postgres")]
impl Database for sqlx::PgPool {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn inspect<'a>(
        &'a self,
        options: &'a InspectOptions,
    ) -> BoxFuture<'a, Result<Realm, InspectError>> {
        Box::pin(schema_inspect::live::postgres::inspect(self, options))
    }

    fn apply<'a>(&'a self, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a> {
        schema_plan::apply::postgres::apply(self, plan, options)
    }
}

#[cfg(feature = "mysql")]
impl Database for sqlx::MySqlPool {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn inspect<'a>(
        &'a self,
        options: &'a InspectOptions,
    ) -> BoxFuture<'a, Result<Realm, InspectError>> {
        Box::pin(schema_inspect::live::mysql::inspect(self, options))
    }

    fn apply<'a>(&'a self, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a> {
        schema_plan::apply::mysql::apply(self, plan, options)
    }
}

#[cfg(feature = "sqlite")]
impl Database for sqlx::SqlitePool {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn inspect<'a>(
        &'a self,
        options: &'a InspectOptions,
    ) -> BoxFuture<'a, Result<Realm, InspectError>> {
        Box::pin(schema_inspect::live::sqlite::inspect(self, options))
    }

    fn apply<'a>(&'a self, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a> {
        schema_plan::apply::sqlite::apply(self, plan, options)
    }
}
