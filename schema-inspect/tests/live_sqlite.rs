//! Live SQLite inspection against the offline loader: the same SQL, read offline and
//! applied to an in-memory database and inspected, must give equal realms. SQLite needs
//! no server, so these tests always run.
#![cfg(feature = "sqlite")]
// The corpus driver reports its counts to whoever runs it.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use schema_inspect::live::{InspectError, InspectOptions, sqlite};
use schema_inspect::{LoadOptions, Source, load_sql};
use schema_model::{Dialect, IndexKey, Realm};
use std::path::{Path, PathBuf};

fn offline(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Sqlite)) {
        Ok(loaded) => loaded.realm,
        Err(error) => panic!("offline loading failed: {error}"),
    }
}

async fn live(sql: &str) -> Realm {
    live_with(sql, &InspectOptions::default()).await
}

async fn live_with(sql: &str, options: &InspectOptions) -> Realm {
    match sqlite::load_dev("sqlite::memory:", &[Source::new("test.sql", sql)], options).await {
        Ok(realm) => realm,
        Err(error) => panic!("live loading failed: {error}"),
    }
}

/// The differences between the offline and the live reading of `sql`.
async fn differences(sql: &str) -> Vec<String> {
    let offline = offline(sql);
    let live = live(sql).await;
    schema_model::compare(&offline, &live)
        .iter()
        .map(ToString::to_string)
        .collect()
}

async fn assert_agree(sql: &str) {
    let found = differences(sql).await;
    assert!(
        found.is_empty(),
        "offline | live differ:\n{}\n\nSQL:\n{sql}",
        found.join("\n")
    );
}

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {}: {e}", full.display()))
}

#[tokio::test]
async fn shop_example_agrees() {
    let sql = repo_file("examples/schemas/shop.sqlite.sql");
    assert_agree(&sql).await;
    let realm = live(&sql).await;
    let stats = realm.stats();
    assert_eq!(
        (stats.tables, stats.indexes, stats.views, stats.triggers),
        (4, 3, 1, 2)
    );
}

#[tokio::test]
async fn columns_types_defaults_and_nullability_agree() {
    assert_agree(
        "CREATE TABLE t (
           a INT, b VARCHAR(10) NOT NULL, c BLOB, d REAL DEFAULT 1.5, e DECIMAL(5,2),
           f, g TEXT DEFAULT 'it''s', h INTEGER DEFAULT -1, i TEXT DEFAULT (CURRENT_TIMESTAMP),
           j INT DEFAULT (1 + 2), k TEXT DEFAULT NULL, l FLOAT, m BOOLEAN DEFAULT TRUE,
           n TEXT COLLATE NOCASE NOT NULL, o ANY
         );",
    )
    .await;
}

#[tokio::test]
async fn keys_and_table_options_agree() {
    assert_agree(
        "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE);
         CREATE TABLE b (x INT PRIMARY KEY, y TEXT UNIQUE, z TEXT, UNIQUE (y, z));
         CREATE TABLE c (k TEXT, v BLOB, PRIMARY KEY (k DESC, v)) WITHOUT ROWID;
         CREATE TABLE d (id INTEGER PRIMARY KEY DESC, data ANY, n INT) STRICT;
         CREATE TABLE e (p TEXT, q TEXT, CONSTRAINT named_u UNIQUE (q), UNIQUE (p));",
    )
    .await;
}

#[tokio::test]
async fn checks_and_generated_columns_agree() {
    assert_agree(
        "CREATE TABLE t (
           a INT CHECK (a > 0), b INT, c INT CONSTRAINT c_small CHECK (c < 10),
           total INT GENERATED ALWAYS AS (a + b) STORED, twice AS (a * 2),
           CHECK (a < b), CHECK ((b > 0)), CONSTRAINT named CHECK (a <> b)
         );",
    )
    .await;
}

#[tokio::test]
async fn foreign_keys_agree() {
    assert_agree(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
         CREATE TABLE q (a INT, b INT, PRIMARY KEY (a, b));
         CREATE TABLE c (
           id INTEGER PRIMARY KEY,
           p_id INT REFERENCES p ON DELETE CASCADE,
           p_code TEXT REFERENCES P (code) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
           qa INT, qb INT,
           CONSTRAINT to_q FOREIGN KEY (qa, qb) REFERENCES q (a, b) ON DELETE SET DEFAULT,
           FOREIGN KEY (qa) REFERENCES later (x) DEFERRABLE,
           FOREIGN KEY (p_id) REFERENCES p (id)
         );
         CREATE TABLE later (x INTEGER PRIMARY KEY);",
    )
    .await;
}

#[tokio::test]
async fn indexes_agree() {
    assert_agree(
        "CREATE TABLE t (a TEXT COLLATE NOCASE, b INT, c TEXT);
         CREATE INDEX t_a ON t (a);
         CREATE UNIQUE INDEX t_bc ON t (b DESC, c COLLATE RTRIM);
         CREATE INDEX t_expr ON t (lower(c), b + 1 DESC) WHERE b > 0 AND c IS NOT NULL;
         CREATE INDEX t_a_binary ON t (a COLLATE BINARY);",
    )
    .await;
}

#[tokio::test]
async fn views_and_triggers_agree() {
    assert_agree(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, note TEXT);
         CREATE VIEW v AS SELECT id, n * 2 AS twice FROM t WHERE n > 0;
         CREATE VIEW v_cols (x, y) AS SELECT id, note FROM t;
         CREATE TRIGGER t_bump AFTER UPDATE OF n ON t WHEN new.n > old.n BEGIN
           UPDATE t SET note = 'bumped' WHERE id = new.id;
         END;
         CREATE TRIGGER v_ins INSTEAD OF INSERT ON v BEGIN INSERT INTO t (n) VALUES (new.twice / 2); END;",
    )
    .await;
}

#[tokio::test]
async fn altered_tables_agree() {
    assert_agree(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT, gone INT);
         CREATE INDEX t_gone ON t (gone);
         DROP INDEX t_gone;
         ALTER TABLE t ADD COLUMN added TEXT DEFAULT 'x' REFERENCES t (id);
         ALTER TABLE t RENAME COLUMN old TO name;
         ALTER TABLE t DROP COLUMN gone;
         CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT UNIQUE);
         ALTER TABLE u RENAME TO u2;",
    )
    .await;
}

#[tokio::test]
async fn virtual_tables_agree_and_shadow_tables_are_left_out() {
    let sql = "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'porter unicode61');";
    assert_agree(sql).await;
    let realm = live(sql).await;
    assert!(
        realm.schemas["main"].tables.is_empty(),
        "{}",
        realm.to_json()
    );
}

#[tokio::test]
async fn pragma_facts_reach_the_model() {
    let realm = live(
        "CREATE TABLE t (a TEXT COLLATE NOCASE, b INT NOT NULL DEFAULT (2 * 3));
         CREATE INDEX t_ab ON t (a DESC, (b + 1)) WHERE b > 1;",
    )
    .await;
    let t = &realm.schemas["main"].tables["t"];
    assert_eq!(t.columns[1].default.as_deref(), Some("2 * 3"));
    assert!(!t.columns[1].nullable);
    let index = &t.indexes["t_ab"];
    assert!(index.parts[0].descending);
    assert_eq!(index.parts[0].collation, None, "the column's own collation");
    assert_eq!(index.parts[1].key, IndexKey::Expression("b + 1".into()));
    assert_eq!(index.predicate.as_deref(), Some("b > 1"));
}

#[tokio::test]
async fn exclusions_leave_objects_out() {
    let sql = "CREATE TABLE keep (id INTEGER PRIMARY KEY);
               CREATE TABLE tmp_a (id INT);
               CREATE TABLE tmp_b (id INT);
               CREATE VIEW tmp_v AS SELECT 1;
               CREATE VIEW keep_v AS SELECT 1;";
    let options = InspectOptions {
        schemas: vec![],
        exclude: vec!["main.tmp_*".into()],
    };
    let realm = live_with(sql, &options).await;
    let schema = &realm.schemas["main"];
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["keep"]);
    assert_eq!(schema.views.keys().collect::<Vec<_>>(), ["keep_v"]);
}

#[tokio::test]
async fn load_dev_reports_the_failing_statement() {
    let sources = [
        Source::new("one.sql", "CREATE TABLE a (id INT);\n"),
        Source::new(
            "two.sql",
            "CREATE TABLE b (id INT);\n\n  CREATE INDEX i ON missing (x);\n",
        ),
    ];
    let error = sqlite::load_dev("sqlite::memory:", &sources, &InspectOptions::default()).await;
    match error {
        Err(InspectError::Apply { location, message }) => {
            assert_eq!(
                (location.file.as_str(), location.line, location.column),
                ("two.sql", 3, 3)
            );
            assert_eq!(message, "no such table: main.missing");
            assert!(location.statement.starts_with("CREATE INDEX i"));
        }
        other => panic!("expected an Apply error, got {other:?}"),
    }
}

#[tokio::test]
async fn load_dev_databases_are_separate() {
    let first = live("CREATE TABLE only_here (id INT);").await;
    let second = live("CREATE TABLE elsewhere (id INT);").await;
    assert!(first.schemas["main"].tables.contains_key("only_here"));
    assert!(!second.schemas["main"].tables.contains_key("only_here"));
}

fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sextant-live-sqlite-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

#[tokio::test]
async fn a_file_database_is_inspected_read_only() {
    use sqlx::ConnectOptions;
    use std::str::FromStr;
    let path = scratch_file("shop.db");
    let _ = std::fs::remove_file(&path);
    let sql = repo_file("examples/schemas/shop.sqlite.sql");
    {
        let options = match sqlx::sqlite::SqliteConnectOptions::from_str(&format!(
            "sqlite://{}?mode=rwc",
            path.display()
        )) {
            Ok(options) => options,
            Err(e) => panic!("{e}"),
        };
        let mut conn = match options.connect().await {
            Ok(conn) => conn,
            Err(e) => panic!("creating {}: {e}", path.display()),
        };
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
        {
            panic!("building the file: {e}");
        }
    }
    let url = format!("sqlite:{}?mode=ro", path.display());
    let realm = match sqlite::inspect_url(&url, &InspectOptions::default()).await {
        Ok(realm) => realm,
        Err(e) => panic!("{e}"),
    };
    let found = schema_model::compare(&offline(&sql), &realm);
    assert!(found.is_empty(), "{found:#?}");
    // Through the dispatcher, and without `mode=ro`: still read-only.
    let url = format!("sqlite://{}", path.display());
    let again = schema_inspect::live::inspect_url(&url, &InspectOptions::default()).await;
    assert!(again.is_ok_and(|r| r == realm));
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_missing_file_is_a_connect_error_and_is_not_created() {
    let path = scratch_file("does-not-exist.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    match sqlite::inspect_url(&url, &InspectOptions::default()).await {
        Err(error @ InspectError::Connect { .. }) => {
            let text = error.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
        }
        other => panic!("expected a Connect error, got {other:?}"),
    }
    assert!(!path.exists(), "inspection created {}", path.display());
}

#[tokio::test]
async fn attached_schemas_are_read_when_named() {
    use sqlx::{ConnectOptions, Connection};
    let path = scratch_file("aux.db");
    let _ = std::fs::remove_file(&path);
    let mut conn = match sqlx::sqlite::SqliteConnectOptions::new()
        .filename(":memory:")
        // ATTACH opens its file with the main database's flags.
        .create_if_missing(true)
        .connect()
        .await
    {
        Ok(conn) => conn,
        Err(e) => panic!("{e}"),
    };
    let script = format!(
        "ATTACH DATABASE '{}' AS aux; CREATE TABLE aux.t (id INTEGER PRIMARY KEY, p INT REFERENCES t); CREATE INDEX aux.t_p ON t (p); CREATE TABLE m (x INT);",
        path.display()
    );
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(script))
        .execute(&mut conn)
        .await
    {
        panic!("{e}");
    }
    let options = InspectOptions {
        schemas: vec!["aux".into()],
        exclude: vec![],
    };
    let realm = match sqlite::inspect(&mut conn, &options).await {
        Ok(realm) => realm,
        Err(e) => panic!("{e}"),
    };
    let aux = &realm.schemas["aux"];
    assert!(aux.tables["t"].indexes.contains_key("t_p"));
    assert_eq!(
        aux.tables["t"].foreign_keys["t_p_fkey"].referenced_table,
        schema_model::QualifiedName::new("aux", "t")
    );
    assert!(realm.schemas["main"].tables.is_empty());
    let missing = InspectOptions {
        schemas: vec!["nope".into()],
        exclude: vec![],
    };
    assert!(sqlite::inspect(&mut conn, &missing).await.is_err());
    let _ = conn.close().await;
    let _ = std::fs::remove_file(&path);
}

// ----- the shared corpus -----

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    dir.is_dir().then(|| dir.to_path_buf())
}

fn real_world(folder_file: &str) -> Option<String> {
    let path = corpus_dir()?.join("real-world").join(folder_file);
    std::fs::read_to_string(path).ok()
}

#[tokio::test]
async fn chinook_agrees() {
    let Some(sql) = real_world("chinook/Chinook_Sqlite.sql") else {
        eprintln!("skipping: the shared corpus is not here");
        return;
    };
    assert_agree(&sql).await;
}

#[tokio::test]
async fn sakila_agrees() {
    let Some(sql) = real_world("sakila/sqlite-sakila-schema.sql") else {
        eprintln!("skipping: the shared corpus is not here");
        return;
    };
    assert_agree(&sql).await;
}

#[tokio::test]
async fn quoting_case_and_if_not_exists_agree() {
    assert_agree(
        "CREATE TABLE IF NOT EXISTS [Order Items] (
           [Id] INTEGER PRIMARY KEY, -- the rowid
           \"Name\" TEXT DEFAULT \"none\" COLLATE \"NOCASE\",
           `Qty` INT CHECK (QTY > 0) CHECK (\"Qty\" < 100),
           /* a comment */ \"key\" TEXT UNIQUE ON CONFLICT REPLACE
         );
         CREATE TABLE IF NOT EXISTS [Order Items] (x);
         CREATE INDEX IF NOT EXISTS \"Items by name\" ON [order items] (\"Name\" DESC);
         CREATE VIEW IF NOT EXISTS v AS SELECT [Id] FROM [Order Items];
         CREATE TRIGGER IF NOT EXISTS tr AFTER DELETE ON [Order Items] BEGIN SELECT 1; END;
         CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(body);",
    )
    .await;
}

#[tokio::test]
async fn renamed_tables_and_columns_keep_derived_names_in_step() {
    assert_agree(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t (a INT REFERENCES p, b INT CHECK (b > 0));
         ALTER TABLE t RENAME COLUMN b TO c;
         ALTER TABLE t RENAME TO t2;",
    )
    .await;
}

/// Row counts for lint: `sqlite_stat1`'s after `ANALYZE`, 0 for a table with no row, and
/// nothing for a table with rows that was never analyzed (or for a virtual table).
#[tokio::test]
async fn table_rows_come_from_sqlite_stat1_and_empty_tables() {
    use sqlx::ConnectOptions;
    use std::str::FromStr;
    let path = scratch_file("rows.db");
    let _ = std::fs::remove_file(&path);
    {
        let options = match sqlx::sqlite::SqliteConnectOptions::from_str(&format!(
            "sqlite://{}?mode=rwc",
            path.display()
        )) {
            Ok(options) => options,
            Err(e) => panic!("{e}"),
        };
        let mut conn = match options.connect().await {
            Ok(conn) => conn,
            Err(e) => panic!("creating {}: {e}", path.display()),
        };
        let sql = "CREATE TABLE big (id integer PRIMARY KEY, v int);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2500)
            INSERT INTO big SELECT x, x FROM c;
            CREATE TABLE \"odd \"\"name\" (id integer PRIMARY KEY);
            ANALYZE;
            CREATE TABLE unanalyzed (id integer PRIMARY KEY);
            INSERT INTO unanalyzed VALUES (1), (2);
            CREATE TABLE empty (id integer PRIMARY KEY);
            CREATE VIRTUAL TABLE search USING fts5(body);";
        if let Err(e) = sqlx::raw_sql(sql).execute(&mut conn).await {
            panic!("building the file: {e}");
        }
    }
    let url = format!("sqlite://{}", path.display());
    let rows = match schema_inspect::live::table_rows(&url).await {
        Ok(rows) => rows,
        Err(e) => panic!("{e}"),
    };
    let _ = std::fs::remove_file(&path);
    let found: Vec<(String, u64)> = rows
        .into_iter()
        .map(|(name, rows)| (name.to_string(), rows))
        .collect();
    assert_eq!(
        found,
        [
            ("main.big".to_owned(), 2500),
            ("main.empty".to_owned(), 0),
            ("main.\"odd \"\"name\"".to_owned(), 0),
        ]
    );
}
