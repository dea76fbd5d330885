//! Rename hints applied to real databases: types, enum labels and constraints renamed
//! in place with their rows kept, the result equal to the target schema applied
//! directly, a second plan empty, and the reverse plan back to where it started.
//!
//! SQLite runs in memory and always. PostgreSQL and MySQL need
//! `SEXTANT_TEST_POSTGRES_URL` / `SEXTANT_TEST_MYSQL_URL`; without them each test says
//! why and passes, unless `SEXTANT_REQUIRE_LIVE=1`. Every test works in a database of
//! its own, dropped at the end.

#![cfg(all(feature = "postgres", feature = "mysql", feature = "sqlite"))]
#![allow(
    clippy::print_stderr,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::unwrap_used
)]

use schema_diff::Rename;
use schema_inspect::live::{self, InspectOptions};
use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm, compare};
use schema_plan::apply::{self, ApplyOptions};
use schema_plan::{Plan, PlanOptions};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _, Row as _};
use std::str::FromStr as _;

fn server(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but {variable} is not set"
            );
            eprintln!("skipped: {variable} is not set");
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn unique_name(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("sextant_renames_{test}_{}_{nanos}", std::process::id())
}

fn load(dialect: Dialect, sql: &str) -> Realm {
    load_sql(sql, "schema.sql", &LoadOptions::new(dialect))
        .unwrap_or_else(|e| panic!("loading: {e}"))
        .realm
}

fn options(hints: &[&str]) -> PlanOptions {
    let mut options = PlanOptions::default();
    options.renames = hints
        .iter()
        .map(|h| Rename::parse(h).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    options
}

fn planned(from: &Realm, to: &Realm, options: &PlanOptions) -> Plan {
    schema_plan::plan(from, to, options).unwrap_or_else(|e| panic!("planning: {e}"))
}

fn assert_same(expected: &Realm, live: &Realm) {
    let differences = compare(expected, live);
    assert!(differences.is_empty(), "{differences:#?}");
}

// ---------------------------------------------------------------------------------
// PostgreSQL

const PG_BEFORE: &str = "
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (m mood, n posint);
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL CONSTRAINT users_email_key UNIQUE,
    mood mood NOT NULL DEFAULT 'sad',
    moods mood[] DEFAULT ARRAY['sad'::mood],
    n posint,
    CONSTRAINT users_n_check CHECK (id < 1000000)
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author bigint CONSTRAINT posts_author_fkey REFERENCES users (id)
);
CREATE FUNCTION cheer(m mood, p pair) RETURNS mood LANGUAGE sql AS $$ SELECT m $$;
CREATE VIEW happy_users AS SELECT id FROM users WHERE mood = 'happy'::mood;
";

const PG_AFTER: &str = "
CREATE TYPE feeling AS ENUM ('blue', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (m feeling, n positive);
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL CONSTRAINT users_mail_key UNIQUE,
    mood feeling NOT NULL DEFAULT 'blue',
    moods feeling[] DEFAULT ARRAY['blue'::feeling],
    n positive,
    CONSTRAINT users_n_small CHECK (id < 1000000)
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author bigint CONSTRAINT posts_user_fkey REFERENCES users (id)
);
CREATE FUNCTION cheer(m feeling, p pair) RETURNS feeling LANGUAGE sql AS $$ SELECT m $$;
CREATE VIEW happy_users AS SELECT id FROM users WHERE mood = 'happy'::feeling;
";

const PG_HINTS: &[&str] = &[
    "type:public.mood=feeling",
    "type:public.posint=positive",
    "enum-value:public.feeling.sad=blue",
    "constraint:public.users.users_email_key=users_mail_key",
    "constraint:public.users.users_n_check=users_n_small",
    "constraint:public.posts.posts_author_fkey=posts_user_fkey",
];

struct PgDatabase {
    server: sqlx::postgres::PgConnectOptions,
    name: String,
}

impl PgDatabase {
    async fn create(url: &str, test: &str) -> Self {
        let server = sqlx::postgres::PgConnectOptions::from_str(url).expect("a postgres URL");
        let name = unique_name(test);
        let mut admin = server.connect().await.expect("connecting to the server");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("creating the test database");
        admin.close().await.expect("closing");
        PgDatabase { server, name }
    }

    async fn connect(&self) -> sqlx::PgConnection {
        self.server
            .clone()
            .database(&self.name)
            .connect()
            .await
            .expect("connecting to the test database")
    }

    async fn drop(self) {
        let mut admin = self.server.connect().await.expect("connecting");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("dropping the test database");
    }
}

async fn pg_exec(conn: &mut sqlx::PgConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn pg_inspect(conn: &mut sqlx::PgConnection) -> Realm {
    live::postgres::inspect(conn, &InspectOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn pg_apply(conn: &mut sqlx::PgConnection, plan: &Plan) {
    apply::postgres::apply(conn, plan, &ApplyOptions::new())
        .await
        .unwrap_or_else(|e| panic!("applying {}: {e}", plan.to_sql()));
}

#[test]
fn postgres_types_enum_values_and_constraints_are_renamed_in_place_keeping_rows() {
    let Some(url) = server("SEXTANT_TEST_POSTGRES_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = PgDatabase::create(&url, "pg").await;
        let mut conn = db.connect().await;
        pg_exec(&mut conn, PG_BEFORE).await;
        pg_exec(
            &mut conn,
            "INSERT INTO users (id, email, n) VALUES (1, 'a@example.org', 5);
             INSERT INTO posts VALUES (10, 1);",
        )
        .await;
        let current = pg_inspect(&mut conn).await;
        let desired = load(Dialect::Postgres, PG_AFTER);
        let options = options(PG_HINTS);

        let forward = planned(&current, &desired, &options);
        assert!(
            forward.destructive().next().is_none(),
            "{}",
            forward.to_sql()
        );
        pg_apply(&mut conn, &forward).await;
        let live = pg_inspect(&mut conn).await;
        assert_same(&desired, &live);
        let row = sqlx::query("SELECT mood::text AS mood, n FROM users WHERE id = 1")
            .fetch_one(&mut conn)
            .await
            .expect("the row is kept");
        assert_eq!(row.get::<String, _>("mood"), "blue");
        assert_eq!(row.get::<i32, _>("n"), 5);
        let again = planned(&live, &desired, &options);
        assert!(again.is_empty(), "{}", again.to_sql());

        let back = schema_plan::reverse_plan(&current, &live, &options)
            .unwrap_or_else(|e| panic!("planning back: {e}"));
        pg_apply(&mut conn, &back).await;
        assert_same(&current, &pg_inspect(&mut conn).await);
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

// ---------------------------------------------------------------------------------
// MySQL / MariaDB

const MY_BEFORE: &str = "CREATE TABLE users (
    id bigint NOT NULL PRIMARY KEY,
    email varchar(100) NOT NULL,
    CONSTRAINT users_email UNIQUE (email)
) ENGINE=InnoDB;
CREATE TABLE posts (
    id bigint NOT NULL PRIMARY KEY,
    author bigint NOT NULL,
    CONSTRAINT posts_author FOREIGN KEY (author) REFERENCES users (id),
    CONSTRAINT posts_id_positive CHECK (id > 0)
) ENGINE=InnoDB;
";

const MY_HINTS: &[&str] = &[
    "constraint:users.users_email=users_mail",
    "constraint:posts.posts_author=posts_user",
    "constraint:posts.posts_id_positive=posts_id_check",
];

fn my_after() -> String {
    MY_BEFORE
        .replace("users_email", "users_mail")
        .replace("posts_author", "posts_user")
        .replace("posts_id_positive", "posts_id_check")
}

struct MyDatabase {
    server: sqlx::mysql::MySqlConnectOptions,
    name: String,
}

impl MyDatabase {
    async fn create(url: &str, test: &str) -> Self {
        let server = sqlx::mysql::MySqlConnectOptions::from_str(url)
            .expect("a mysql URL")
            .pipes_as_concat(false)
            .timezone(None);
        let name = unique_name(test);
        let mut admin = server.connect().await.expect("connecting to the server");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
            .execute(&mut admin)
            .await
            .expect("creating the test database");
        admin.close().await.expect("closing");
        MyDatabase { server, name }
    }

    async fn connect(&self) -> sqlx::MySqlConnection {
        self.server
            .clone()
            .database(&self.name)
            .connect()
            .await
            .expect("connecting to the test database")
    }

    async fn drop(self) {
        let mut admin = self.server.connect().await.expect("connecting");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS `{}`",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("dropping the test database");
    }
}

async fn my_inspect(conn: &mut sqlx::MySqlConnection) -> Realm {
    live::mysql::inspect(conn, &InspectOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn my_apply(conn: &mut sqlx::MySqlConnection, plan: &Plan) {
    apply::mysql::apply(conn, plan, &ApplyOptions::new())
        .await
        .unwrap_or_else(|e| panic!("applying {}: {e}", plan.to_sql()));
}

/// A unique key is renamed as an index; a foreign key and a check, which MySQL cannot
/// rename, are dropped and added under their new names.
#[test]
fn mysql_constraints_are_renamed_keeping_rows() {
    let Some(url) = server("SEXTANT_TEST_MYSQL_URL") else {
        return;
    };
    runtime().block_on(async {
        let db = MyDatabase::create(&url, "my").await;
        let mut conn = db.connect().await;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "{MY_BEFORE} INSERT INTO users VALUES (1, 'a@example.org'); INSERT INTO posts VALUES (10, 1);"
        )))
        .execute(&mut conn)
        .await
        .expect("creating the schema");
        let current = my_inspect(&mut conn).await;
        let desired = load(Dialect::Mysql, &my_after());
        let options = options(MY_HINTS);

        let forward = planned(&current, &desired, &options);
        assert!(
            forward.to_sql().contains("RENAME INDEX `users_email` TO `users_mail`"),
            "{}",
            forward.to_sql()
        );
        my_apply(&mut conn, &forward).await;
        let live = my_inspect(&mut conn).await;
        assert_same(&desired, &live);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM posts")
            .fetch_one(&mut conn)
            .await
            .expect("counting");
        assert_eq!(rows, 1);
        let again = planned(&live, &desired, &options);
        assert!(again.is_empty(), "{}", again.to_sql());

        let back = schema_plan::reverse_plan(&current, &live, &options)
            .unwrap_or_else(|e| panic!("planning back: {e}"));
        my_apply(&mut conn, &back).await;
        assert_same(&current, &my_inspect(&mut conn).await);
        conn.close().await.expect("closing");
        db.drop().await;
    });
}

// ---------------------------------------------------------------------------------
// SQLite

const LITE_BEFORE: &str = "CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    CONSTRAINT users_email UNIQUE (email),
    CONSTRAINT users_id_positive CHECK (id > 0)
);
";

/// SQLite renames no constraint: the table is rebuilt with the new names, rows kept.
#[test]
fn sqlite_constraints_are_renamed_by_a_rebuild_keeping_rows() {
    runtime().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        sqlx::raw_sql(AssertSqlSafe(format!(
            "{LITE_BEFORE} INSERT INTO users VALUES (1, 'a@example.org');"
        )))
        .execute(&mut conn)
        .await
        .expect("creating the schema");
        let inspect = async |conn: &mut sqlx::SqliteConnection| {
            live::sqlite::inspect(conn, &InspectOptions::default())
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let current = inspect(&mut conn).await;
        let desired = load(
            Dialect::Sqlite,
            &LITE_BEFORE
                .replace("users_email", "users_mail")
                .replace("users_id_positive", "users_id_check"),
        );
        let options = options(&[
            "constraint:main.users.users_email=users_mail",
            "constraint:main.users.users_id_positive=users_id_check",
        ]);
        let forward = planned(&current, &desired, &options);
        assert!(
            forward.destructive().next().is_none(),
            "{}",
            forward.to_sql()
        );
        apply::sqlite::apply(&mut conn, &forward, &ApplyOptions::new())
            .await
            .unwrap_or_else(|e| panic!("applying {}: {e}", forward.to_sql()));
        let live = inspect(&mut conn).await;
        assert_same(&desired, &live);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(&mut conn)
            .await
            .expect("counting");
        assert_eq!(rows, 1);
        let again = planned(&live, &desired, &options);
        assert!(again.is_empty(), "{}", again.to_sql());
    });
}
