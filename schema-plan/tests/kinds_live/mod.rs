//! The change-kind snapshots proven on a real database: `from` with the forward plan's
//! SQL run after it must inspect as `to` applied directly, and with the reverse plan's
//! SQL run after that, as `from` again. PostgreSQL and MySQL need
//! `SEXTANT_TEST_POSTGRES_URL` / `SEXTANT_TEST_MYSQL_URL` (without them the check says
//! why and is skipped, unless `SEXTANT_REQUIRE_LIVE=1`); SQLite runs in memory. Each
//! load runs in a scratch database of its own, dropped afterwards.

#![allow(clippy::print_stderr)]

use schema_inspect::Source;
use schema_inspect::live::{InspectOptions, load_dev};
use schema_model::{Dialect, Realm, compare};
use schema_plan::Plan;

/// The server to check on, or `None` (with the reason printed) when there is none.
fn server(dialect: Dialect) -> Option<String> {
    let variable = match dialect {
        Dialect::Sqlite => return Some("sqlite::memory:".to_owned()),
        Dialect::Postgres => "SEXTANT_TEST_POSTGRES_URL",
        Dialect::Mysql => "SEXTANT_TEST_MYSQL_URL",
    };
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but {variable} is not set"
            );
            eprintln!("{variable} is not set: the plan is not run on a server");
            None
        }
    }
}

async fn load(url: &str, scripts: &[(&str, &str)]) -> Realm {
    let sources: Vec<Source> = scripts
        .iter()
        .map(|(name, sql)| Source::new(*name, *sql))
        .collect();
    load_dev(url, &sources, &InspectOptions::default())
        .await
        .unwrap_or_else(|e| {
            let text: Vec<String> = scripts
                .iter()
                .map(|(n, s)| format!("-- {n}\n{s}"))
                .collect();
            panic!("{e}\n{}", text.join("\n"))
        })
}

fn assert_same(direction: &str, got: &Realm, want: &Realm) {
    let differences: Vec<String> = compare(got, want).iter().map(ToString::to_string).collect();
    assert!(
        differences.is_empty(),
        "{direction}: the plan's result differs from the schema applied directly:\n{}",
        differences.join("\n")
    );
}

/// Runs `forward` after `from` and `back` after both on the dialect's server and
/// checks each lands where it should.
pub fn check(dialect: Dialect, from: &str, to: &str, forward: &Plan, back: &Plan) {
    // Roles belong to the whole server, not to the scratch database: a test that
    // creates one is checked offline only.
    if from.contains("CREATE ROLE") || to.contains("CREATE ROLE") {
        eprintln!("creates a role, which outlives a scratch database: not run on a server");
        return;
    }
    let Some(url) = server(dialect) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    runtime.block_on(async {
        let (forward_sql, back_sql) = (forward.to_sql(), back.to_sql());
        let there = load(&url, &[("from.sql", from), ("forward.sql", &forward_sql)]).await;
        assert_same("forward", &there, &load(&url, &[("to.sql", to)]).await);
        let back_again = load(
            &url,
            &[
                ("from.sql", from),
                ("forward.sql", &forward_sql),
                ("reverse.sql", &back_sql),
            ],
        )
        .await;
        assert_same(
            "reverse",
            &back_again,
            &load(&url, &[("from.sql", from)]).await,
        );
    });
}
