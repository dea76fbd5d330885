//! A tool that embeds Sextant's differ: compare two schemas and print the typed
//! changes, the plan between them, and what the linter thinks of that plan.
//!
//! ```sh
//! # two SQL files (SQLite by default; pass --dialect postgres|mysql for others)
//! cargo run --example embed_differ
//! cargo run --example embed_differ -- examples/schemas/migrations-postgres/001_shop.sql new.sql --dialect postgres
//! # a live database against a file: the URL names the dialect
//! cargo run --example embed_differ -- postgres://postgres@127.0.0.1/app schema.sql
//! ```
//!
//! Without arguments it compares the example shop schema with a next version of it
//! written inline below, so it runs on a fresh machine with no server.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use sextant::model::{Dialect, Realm};
use std::process::ExitCode;

/// The next version of examples/schemas/shop.sqlite.sql: a column added to
/// customers, the phone column gone, a new index on products, and ordering (the orders
/// and order_items tables and their summary view) dropped.
const NEXT_SHOP: &str = "
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    loyalty_tier TEXT   NOT NULL DEFAULT 'none'
);
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX products_name_idx ON products (name);
";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Vec<String>) -> Result<(), String> {
    let mut dialect = Dialect::Sqlite;
    let mut sources = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--dialect" {
            let name = args.next().ok_or("--dialect needs a value")?;
            dialect = name.parse().map_err(|e| format!("--dialect {name}: {e}"))?;
        } else {
            sources.push(arg);
        }
    }
    let (from, to) = match sources.as_slice() {
        [] => (
            load("examples/schemas/shop.sqlite.sql", dialect).await?,
            sextant::load_sql(NEXT_SHOP, Dialect::Sqlite).map_err(|e| e.to_string())?,
        ),
        [from, to] => (load(from, dialect).await?, load(to, dialect).await?),
        _ => return Err("expected no arguments, or two sources: FROM TO".to_owned()),
    };

    let diff = sextant::diff(&from, &to).map_err(|e| e.to_string())?;
    if diff.is_empty() {
        println!("the schemas are equal");
        return Ok(());
    }
    println!("-- changes\n{}", sextant::diff::changes_text(&diff));
    for suggestion in &diff.suggestions {
        println!(
            "-- maybe renamed: {} {} -> {} ({})",
            suggestion.rename.kind, suggestion.rename.from, suggestion.rename.to, suggestion.reason
        );
    }
    let plan = sextant::plan(&from, &to).map_err(|e| e.to_string())?;
    println!("-- plan\n{}", plan.to_sql());
    for statement in plan.destructive() {
        println!(
            "-- can lose data: {} ({})",
            statement.sql,
            statement.hazard.as_deref().unwrap_or("data")
        );
    }
    for diagnostic in sextant::lint_plan(&plan, &from) {
        println!(
            "-- lint {} {} [{}]: {}",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.name,
            diagnostic.message
        );
    }
    Ok(())
}

/// A source is a database URL (its scheme names the dialect) or a SQL file or
/// directory read in `dialect`.
async fn load(source: &str, dialect: Dialect) -> Result<Realm, String> {
    let is_url = [
        "postgres://",
        "postgresql://",
        "mysql://",
        "mariadb://",
        "sqlite:",
    ]
    .iter()
    .any(|scheme| source.starts_with(scheme));
    if is_url {
        sextant::load_url(source).await.map_err(|e| e.to_string())
    } else {
        sextant::load_path(source, dialect).map_err(|e| format!("{source}: {e}"))
    }
}
