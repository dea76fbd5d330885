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
        let there = [("from.sql", from), ("forward.sql", forward_sql.as_str())];
        let to_direct = [("to.sql", to)];
        let back_again = [
            ("from.sql", from),
            ("forward.sql", forward_sql.as_str()),
            ("reverse.sql", back_sql.as_str()),
        ];
        let from_direct = [("from.sql", from)];
        // The four loads are independent and run at once, each in its own database,
        // unless the SQL names a MySQL database: its name is the server's, so one at a
        // time.
        let (there, to_direct, back_again, from_direct) = if dialect == Dialect::Mysql
            && (from.contains("DATABASE") || to.contains("DATABASE"))
        {
            (
                load(&url, &there).await,
                load(&url, &to_direct).await,
                load(&url, &back_again).await,
                load(&url, &from_direct).await,
            )
        } else {
            tokio::join!(
                load(&url, &there),
                load(&url, &to_direct),
                load(&url, &back_again),
                load(&url, &from_direct),
            )
        };
        assert_same("forward", &there, &to_direct);
        assert_same("reverse", &back_again, &from_direct);
    });
}
