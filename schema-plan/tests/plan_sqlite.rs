//! SQLite plans between two schemas read offline: the statements, their order and
//! their flags. `live_plan_sqlite.rs` applies such plans to a database in memory.

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm};

mod kinds_live;
use schema_plan::{Plan, PlanOptions, plan};

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Sqlite)) {
        Ok(loaded) => loaded.realm,
        Err(e) => panic!("{e}"),
    }
}

fn rename(hint: &str) -> schema_diff::Rename {
    match schema_diff::Rename::parse(hint) {
        Ok(rename) => rename,
        Err(e) => panic!("{e}"),
    }
}

fn planned_with(from: &str, to: &str, options: &PlanOptions) -> Plan {
    match plan(&load(from), &load(to), options) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    }
}

fn planned(from: &str, to: &str) -> Plan {
    planned_with(from, to, &PlanOptions::default())
}

/// The plan's SQL, each statement marked when it can lose data or must run outside a
/// transaction.
fn show(plan: &Plan) -> String {
    let mut out = String::new();
    for s in &plan.statements {
        if s.destructive {
            out.push_str(&format!(
                "-- destructive: {}\n",
                s.hazard.as_deref().unwrap_or("")
            ));
        }
        if !s.transactional {
            out.push_str("-- outside a transaction\n");
        }
        out.push_str(&s.sql);
        out.push('\n');
    }
    out
}

const BASE: &str = "
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author INTEGER REFERENCES users (id),
    title TEXT
);
CREATE INDEX posts_title ON posts (title);
CREATE INDEX posts_author ON posts (author);
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE TRIGGER posts_trim AFTER INSERT ON posts BEGIN
    UPDATE posts SET title = trim(title) WHERE id = NEW.id;
END;
";

#[test]
fn equal_schemas_plan_nothing() {
    assert!(planned(BASE, BASE).is_empty());
}

#[test]
fn from_empty_creates_everything_in_order() {
    insta::assert_snapshot!(show(&planned("", BASE)));
}

#[test]
fn to_empty_drops_everything_dependents_first() {
    insta::assert_snapshot!(show(&planned(BASE, "")));
}

#[test]
fn an_appended_nullable_column_is_added_in_place() {
    let to = BASE.replace(
        "    name TEXT\n",
        "    name TEXT,\n    age INTEGER DEFAULT 0\n",
    );
    let plan = planned(BASE, &to);
    insta::assert_snapshot!(show(&plan));
    assert!(plan.statements.iter().all(|s| s.reverse.is_some()));
}

#[test]
fn a_dropped_plain_column_is_dropped_in_place_around_its_view() {
    let to = BASE
        .replace(
            "    email TEXT NOT NULL UNIQUE,\n    name TEXT\n",
            "    email TEXT NOT NULL UNIQUE\n",
        )
        .replace("SELECT id, name FROM users", "SELECT id, email FROM users");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_changed_column_rebuilds_the_table_and_its_indexes_triggers_and_views() {
    let to = BASE
        .replace(
            "    title TEXT\n",
            "    title TEXT NOT NULL DEFAULT '',\n    body TEXT\n",
        )
        .replace("ON posts (title)", "ON posts (title, body)");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_rebuild_that_drops_a_key_column_is_destructive() {
    let to = BASE.replace("    email TEXT NOT NULL UNIQUE,\n", "");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_new_foreign_key_rebuilds_the_referencing_table() {
    let from = "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER);";
    let to = "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id) ON DELETE CASCADE);\nCREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER NOT NULL REFERENCES b (id));";
    insta::assert_snapshot!(show(&planned(from, to)));
}

#[test]
fn an_index_change_alone_touches_only_the_index() {
    let to = BASE.replace("ON posts (title)", "ON posts (title DESC)");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn rename_hints_rename_in_place() {
    let to = BASE
        .replace("name TEXT", "full_name TEXT")
        .replace(
            "SELECT id, name FROM users",
            "SELECT id, full_name FROM users",
        )
        .replace("INDEX posts_title ON", "INDEX posts_by_title ON");
    let mut options = PlanOptions::default();
    options.renames = vec![
        rename("column:main.users.name=full_name"),
        rename("index:main.posts.posts_title=posts_by_title"),
    ];
    insta::assert_snapshot!(show(&planned_with(BASE, &to, &options)));
}

/// Live: applies `current` (and `rows`) to a database in memory, plans from what
/// inspection reads there to `desired` read offline, runs the plan statement by
/// statement, and checks that the database now inspects as `desired` applied to an
/// empty database does, that planning again finds nothing, and that `check` (a query
/// counting rows) still counts `expected_rows`.
mod live {
    use super::*;
    use schema_inspect::Source;
    use schema_inspect::live::{InspectOptions, sqlite};
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{AssertSqlSafe, ConnectOptions, Row};

    async fn execute(conn: &mut sqlx::SqliteConnection, sql: &str) {
        if let Err(e) = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&mut *conn)
            .await
        {
            panic!("{e}\n{sql}");
        }
    }

    async fn inspect(conn: &mut sqlx::SqliteConnection) -> Realm {
        match sqlite::inspect(&mut *conn, &InspectOptions::default()).await {
            Ok(realm) => realm,
            Err(e) => panic!("inspecting: {e}"),
        }
    }

    async fn round_trip(current: &str, desired: &str, rows: &str, check: &str, expected: i64) {
        let connect = SqliteConnectOptions::new()
            .filename(":memory:")
            .foreign_keys(true);
        let mut conn = match connect.connect().await {
            Ok(conn) => conn,
            Err(e) => panic!("{e}"),
        };
        execute(&mut conn, current).await;
        execute(&mut conn, rows).await;
        let before = inspect(&mut conn).await;
        let wanted = load(desired);
        let steps = match plan(&before, &wanted, &PlanOptions::default()) {
            Ok(plan) => plan,
            Err(e) => panic!("{e}"),
        };
        assert!(!steps.is_empty(), "nothing planned");
        for statement in &steps.statements {
            if statement.sql.starts_with("PRAGMA foreign_key_check") {
                let violations = sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
                    .fetch_all(&mut conn)
                    .await;
                match violations {
                    Ok(found) => assert!(found.is_empty(), "foreign key violations"),
                    Err(e) => panic!("{e}"),
                }
            } else {
                execute(&mut conn, &statement.sql).await;
            }
        }
        let after = inspect(&mut conn).await;
        let reference = match sqlite::load_dev(
            "sqlite::memory:",
            &[Source::new("desired.sql", desired)],
            &InspectOptions::default(),
        )
        .await
        {
            Ok(realm) => realm,
            Err(e) => panic!("{e}"),
        };
        let differences: Vec<String> = schema_model::compare(&after, &reference)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            differences.is_empty(),
            "after the plan | desired differ:\n{}\n\nplan:\n{}",
            differences.join("\n"),
            show(&steps)
        );
        match plan(&after, &wanted, &PlanOptions::default()) {
            Ok(again) => assert!(again.is_empty(), "planned again:\n{}", show(&again)),
            Err(e) => panic!("{e}"),
        }
        let count: i64 = match sqlx::query(AssertSqlSafe(check.to_owned()))
            .fetch_one(&mut conn)
            .await
        {
            Ok(row) => row.get(0),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(count, expected, "{check}");
    }

    const ROWS: &str =
        "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'Ann'), (2, 'b@x', NULL);
        INSERT INTO posts (id, author, title) VALUES (10, 1, ' hi '), (11, 2, 'yo');";

    #[tokio::test]
    async fn added_and_dropped_columns() {
        let to = BASE
            .replace("    name TEXT\n", "    age INTEGER DEFAULT 0\n")
            .replace("SELECT id, name FROM users", "SELECT id, age FROM users");
        round_trip(
            BASE,
            &to,
            ROWS,
            "SELECT count(*) FROM users WHERE age = 0",
            2,
        )
        .await;
    }

    #[tokio::test]
    async fn a_rebuild_keeps_rows_indexes_triggers_and_views() {
        let to = BASE
            .replace(
                "    title TEXT\n",
                "    body TEXT,\n    title TEXT NOT NULL DEFAULT ''\n",
            )
            .replace("ON posts (title)", "ON posts (title, body)")
            .replace(
                "    email TEXT NOT NULL UNIQUE,\n",
                "    email TEXT NOT NULL,\n",
            );
        round_trip(
            BASE,
            &to,
            ROWS,
            "SELECT count(*) FROM posts JOIN users ON users.id = posts.author",
            2,
        )
        .await;
    }

    #[tokio::test]
    async fn foreign_keys_added_and_tables_created_and_dropped() {
        let to = "
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author INTEGER REFERENCES users (id) ON DELETE CASCADE,
    title TEXT
);
CREATE TABLE tags (id INTEGER PRIMARY KEY, post INTEGER NOT NULL REFERENCES posts (id));
CREATE INDEX tags_post ON tags (post);
CREATE VIEW post_titles AS SELECT p.title, u.name FROM posts p JOIN users u ON u.id = p.author;
";
        round_trip(BASE, to, ROWS, "SELECT count(*) FROM posts", 2).await;
    }

    #[tokio::test]
    async fn to_empty_and_from_empty() {
        round_trip(BASE, "CREATE TABLE other (x TEXT);", "", "SELECT 0", 0).await;
        round_trip("", BASE, "", "SELECT count(*) FROM users", 0).await;
    }
}

// ---------------------------------------------------------------------------------
// One test per change kind: the SQL each kind of change produces, the way there and
// the way back (the reverse plan, made by diffing the other way). What `ALTER TABLE`
// cannot do rebuilds the table.

/// The plan from `from_sql` to `to_sql` and the reverse plan, with the rename hints;
/// both are also run on a real database ([`kinds_live`]).
fn both_ways(from_sql: &str, to_sql: &str, hints: &[&str]) -> String {
    let mut options = PlanOptions::default();
    options.renames = hints.iter().map(|h| rename(h)).collect();
    let (from, to) = (load(from_sql), load(to_sql));
    let forward = plan(&from, &to, &options).unwrap_or_else(|e| panic!("{e}"));
    let back = schema_plan::reverse_plan(&from, &to, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !forward.is_empty() && !back.is_empty(),
        "a change plans something"
    );
    kinds_live::check(Dialect::Sqlite, from_sql, to_sql, &forward, &back);
    format!(
        "-- forward\n{}\n-- reverse\n{}",
        show(&forward),
        show(&back)
    )
}

macro_rules! change_kind {
    ($(#[$doc:meta])* $name:ident, $from:expr, $to:expr $(, $hint:expr)* $(,)?) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            insta::assert_snapshot!(both_ways($from, $to, &[$($hint),*]));
        }
    };
}

const T: &str = "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);\n";

fn t_with(extra: &str) -> String {
    format!("{T}{extra}")
}

fn t_as(definition: &str) -> String {
    format!("CREATE TABLE t ({definition});\n")
}

change_kind!(kind_table_add, "", T);
change_kind!(
    kind_table_rename,
    T,
    &T.replace("TABLE t", "TABLE u"),
    "table:main.t=u"
);
change_kind!(kind_table_strict, T, &T.replace(");", ") STRICT;"));
change_kind!(
    kind_table_without_rowid,
    &t_as("id INTEGER NOT NULL PRIMARY KEY, a INTEGER"),
    "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, a INTEGER) WITHOUT ROWID;"
);
change_kind!(
    kind_column_add,
    T,
    &T.replace("b TEXT", "b TEXT, c REAL DEFAULT 0")
);
change_kind!(
    kind_column_rename,
    T,
    &T.replace("b TEXT", "body TEXT"),
    "column:main.t.b=body"
);
change_kind!(
    kind_column_order,
    T,
    &t_as("id INTEGER PRIMARY KEY, b TEXT, a INTEGER")
);
change_kind!(kind_column_type, T, &T.replace("a INTEGER", "a REAL"));
change_kind!(
    kind_column_nullable,
    T,
    &T.replace("a INTEGER", "a INTEGER NOT NULL")
);
change_kind!(
    kind_column_default,
    T,
    &T.replace("b TEXT", "b TEXT DEFAULT 'none'")
);
change_kind!(
    kind_column_generated,
    T,
    &T.replace("b TEXT", "b TEXT GENERATED ALWAYS AS (a || '') VIRTUAL")
);
change_kind!(
    kind_column_collation,
    T,
    &T.replace("b TEXT", "b TEXT COLLATE NOCASE")
);
change_kind!(
    kind_column_autoincrement,
    T,
    &T.replace("INTEGER PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT")
);
change_kind!(
    kind_primary_key_modify,
    &t_as("id INTEGER NOT NULL, a INTEGER NOT NULL, PRIMARY KEY (id)"),
    &t_as("id INTEGER NOT NULL, a INTEGER NOT NULL, PRIMARY KEY (id, a)")
);
change_kind!(
    kind_unique_add,
    T,
    &T.replace("b TEXT", "b TEXT, CONSTRAINT t_b UNIQUE (b)")
);
change_kind!(
    kind_foreign_key_add,
    &format!("{T}CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER);"),
    &format!("{T}CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id));")
);
change_kind!(
    kind_foreign_key_modify,
    &format!("{T}CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id));"),
    &format!(
        "{T}CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE CASCADE);"
    )
);
change_kind!(
    kind_check_add,
    T,
    &T.replace(
        "a INTEGER",
        "a INTEGER CONSTRAINT t_a_positive CHECK (a > 0)"
    )
);
change_kind!(
    /// SQLite renames no constraint: the table is rebuilt with the new name.
    kind_constraint_rename,
    &T.replace("a INTEGER", "a INTEGER CONSTRAINT t_a_positive CHECK (a > 0)"),
    &T.replace("a INTEGER", "a INTEGER CONSTRAINT t_a_check CHECK (a > 0)"),
    "constraint:main.t.t_a_positive=t_a_check"
);
change_kind!(
    kind_index_add,
    T,
    &t_with("CREATE INDEX t_b ON t (b) WHERE a > 0;")
);
change_kind!(
    kind_index_modify,
    &t_with("CREATE INDEX t_b ON t (b);"),
    &t_with("CREATE UNIQUE INDEX t_b ON t (b, a);")
);
change_kind!(
    kind_index_rename,
    &t_with("CREATE INDEX t_b ON t (b);"),
    &t_with("CREATE INDEX t_body ON t (b);"),
    "index:main.t.t_b=t_body"
);
change_kind!(
    kind_trigger_add,
    T,
    &t_with(
        "CREATE TRIGGER t_trim AFTER INSERT ON t BEGIN UPDATE t SET b = trim(b) WHERE id = NEW.id; END;"
    )
);
change_kind!(
    kind_trigger_modify,
    &t_with(
        "CREATE TRIGGER t_trim AFTER INSERT ON t BEGIN UPDATE t SET b = trim(b) WHERE id = NEW.id; END;"
    ),
    &t_with(
        "CREATE TRIGGER t_trim AFTER INSERT ON t BEGIN UPDATE t SET b = lower(b) WHERE id = NEW.id; END;"
    )
);
change_kind!(
    kind_view_add,
    T,
    &t_with("CREATE VIEW v AS SELECT id, a FROM t;")
);
change_kind!(
    kind_view_modify,
    &t_with("CREATE VIEW v AS SELECT id, a FROM t;"),
    &t_with("CREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;")
);
