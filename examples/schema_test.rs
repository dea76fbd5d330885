//! Asserting schemas in a test suite: build the database the way production does (here,
//! the example migrations), then require that it equals the schema file the team
//! reviews. A failure prints each differing attribute with both values.
//!
//! ```sh
//! cargo run --example schema_test                       # SQLite in memory
//! cargo run --example schema_test -- postgres://postgres@127.0.0.1:5432/scratch
//! cargo test --example schema_test                      # the same, as tests
//! ```
//!
//! With a PostgreSQL or MySQL URL it does the same on that (empty, scratch) database
//! with `migrations-postgres/` or `migrations-mysql/`, checked against their replay: the
//! server's own reading of the SQL must agree with Sextant's.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use sextant::model::{Dialect, Realm};
use sextant::{Database, Policy, assert_schema_eq};
use std::process::ExitCode;

/// The migrations that build the database, and the reviewed schema they must build.
fn sources(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect {
        Dialect::Sqlite => (
            "examples/schemas/migrations",
            "examples/schemas/shop.sqlite.sql",
        ),
        Dialect::Postgres => (
            "examples/schemas/migrations-postgres",
            "examples/schemas/migrations-postgres",
        ),
        Dialect::Mysql => (
            "examples/schemas/migrations-mysql",
            "examples/schemas/migrations-mysql",
        ),
    }
}

fn expected(dialect: Dialect) -> Result<Realm, sextant::Error> {
    sextant::load_path(sources(dialect).1, dialect)
}

/// Builds the database from its migrations (replayed in order, then applied), inspects
/// it, and asserts it is the expected schema.
async fn check<D: Database>(db: &D) -> Result<(), Box<dyn std::error::Error>> {
    let dialect = db.dialect();
    let expected = expected(dialect)?;
    let before = sextant::inspect_db(db).await?;
    let tables: usize = before.schemas.values().map(|s| s.tables.len()).sum();
    if tables > 0 {
        return Err(format!(
            "this example builds the shop schema and needs an empty scratch database; this one has {tables} tables"
        )
        .into());
    }
    let replayed = sextant::load_path(sources(dialect).0, dialect)?;
    sextant::apply(db, &replayed, &Policy::new()).await?;
    let live = sextant::inspect_db(db).await?;
    assert_schema_eq!(live, expected, "the database built by {dialect}");
    println!("ok: the {dialect} database has the expected schema");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite::memory:".to_owned());
    let result = if url.starts_with("postgres") {
        match sqlx::PgPool::connect(&url).await {
            Ok(pool) => check(&pool).await,
            Err(e) => Err(e.into()),
        }
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        match sqlx::MySqlPool::connect(&url.replacen("mariadb://", "mysql://", 1)).await {
            Ok(pool) => check(&pool).await,
            Err(e) => Err(e.into()),
        }
    } else {
        match sqlx::SqlitePool::connect(&url).await {
            Ok(pool) => check(&pool).await,
            Err(e) => Err(e.into()),
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: {}",
                sextant::inspect::live::redact_url(&e.to_string())
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_migrations_build_the_reviewed_schema() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = check(&pool).await {
            panic!("{e}");
        }
    }

    #[test]
    #[should_panic(expected = "schemas differ")]
    fn a_missing_index_fails_with_the_difference() {
        let expected = expected(Dialect::Sqlite).unwrap_or_else(|e| panic!("{e}"));
        let mut without_an_index = expected.clone();
        if let Some(orders) = without_an_index
            .schemas
            .get_mut("main")
            .and_then(|schema| schema.tables.get_mut("orders"))
        {
            orders.indexes.clear();
        }
        assert_schema_eq!(without_an_index, expected);
    }
}
