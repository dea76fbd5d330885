//! Live MySQL / MariaDB inspection against a real server: what the offline loader reads
//! from SQL must equal what the dev-database loader inspects after applying that SQL.
//!
//! Needs `SEXTANT_TEST_MYSQL_URL` (such as `mysql://root@127.0.0.1:3306/mysql`), a user
//! that may create databases. Without it the tests say so and pass, unless
//! `SEXTANT_REQUIRE_LIVE=1`. Every test works in scratch databases of its own, so they
//! run in parallel.
#![cfg(feature = "mysql")]
// The tests report skips and the corpus driver its counts on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use schema_inspect::live::mysql;
use schema_inspect::live::{InspectError, InspectOptions};
use schema_inspect::{LoadOptions, Source, load_sql};
use schema_model::{Dialect, Realm, compare};

fn server_url() -> Option<String> {
    match std::env::var("SEXTANT_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but SEXTANT_TEST_MYSQL_URL is not set"
            );
            eprintln!("SEXTANT_TEST_MYSQL_URL is not set: skipping the live MySQL test");
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("tokio runtime: {e}"),
    }
}

fn offline(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Mysql)) {
        Ok(loaded) => loaded.realm,
        Err(error) => panic!("offline loading failed: {error}\n{sql}"),
    }
}

fn live(url: &str, sql: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    runtime().block_on(mysql::load_dev(
        url,
        &[Source::new("test.sql", sql)],
        options,
    ))
}

fn differences(left: &Realm, right: &Realm) -> Vec<String> {
    compare(left, right)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Loads the SQL both ways and asserts equal realms.
#[track_caller]
fn assert_agree(url: &str, sql: &str) {
    let offline = offline(sql);
    let live = match live(url, sql, &InspectOptions::default()) {
        Ok(realm) => realm,
        Err(error) => panic!("live loading failed: {error}\n{sql}"),
    };
    let diffs = differences(&offline, &live);
    if !diffs.is_empty() && std::env::var("SEXTANT_SHOW_REALM").is_ok() {
        eprintln!("--- live:\n{}", live.to_json());
    }
    assert!(
        diffs.is_empty(),
        "offline | live differ:\n{}",
        diffs.join("\n")
    );
}

fn read(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(e) => panic!("{full}: {e}"),
    }
}

#[test]
fn shop_example_agrees() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        &read("examples/schemas/migrations-mysql/001_shop.sql"),
    );
}

#[test]
fn columns_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (
           id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
           a varchar(10) CHARACTER SET latin1 DEFAULT 'x''y',
           b json,
           c int GENERATED ALWAYS AS (f3 * 2) VIRTUAL,
           c2 int AS (f3 + 1) STORED,
           d timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
           d2 datetime DEFAULT now() ON UPDATE now(),
           e enum('a','b') DEFAULT NULL,
           e2 set('x','y') NOT NULL DEFAULT 'x',
           f double DEFAULT 1.5,
           f1 float unsigned,
           f2 decimal(12,2) DEFAULT 0.50,
           f3 int DEFAULT (1 + 2),
           g text COMMENT 'the ''g''',
           gg int(10) unsigned zerofill,
           h bit(3),
           i varchar(20) COLLATE utf8mb4_bin NOT NULL,
           j tinyint(1) NOT NULL DEFAULT 1,
           k bigint unsigned,
           l char(2) CHARACTER SET latin1 COLLATE latin1_bin,
           m year, n time(2), o binary(16), p varbinary(100), q mediumblob, r longtext
         );",
    );
}

#[test]
fn invisible_columns_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, secret int INVISIBLE DEFAULT 3,
           stamp timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP INVISIBLE);
         ALTER TABLE t ADD COLUMN hidden varchar(5) INVISIBLE;",
    );
}

/// The ALTER forms migrations use, replayed offline as the server applies them.
#[test]
fn alter_statements_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE a (id int PRIMARY KEY); RENAME TABLE a TO b; ALTER TABLE b RENAME TO c; ALTER TABLE c RENAME AS d;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(10)); ALTER TABLE t RENAME COLUMN a TO a2; ALTER TABLE t CHANGE b b2 varchar(20) NOT NULL; ALTER TABLE t MODIFY a2 bigint DEFAULT 5; ALTER TABLE t ALTER COLUMN b2 SET DEFAULT 'x'; ALTER TABLE t ALTER b2 DROP DEFAULT; ALTER TABLE t ADD COLUMN z int FIRST; ALTER TABLE t ADD COLUMN y int AFTER id;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int, txt text); ALTER TABLE t ADD INDEX ia (a); ALTER TABLE t ADD UNIQUE KEY ub (b); ALTER TABLE t RENAME INDEX ia TO ia2; ALTER TABLE t DROP INDEX ub; CREATE INDEX ib ON t (b DESC); DROP INDEX ib ON t; ALTER TABLE t ADD FULLTEXT INDEX ft (txt);",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, a int, CONSTRAINT ca CHECK (a > 0)); ALTER TABLE t ADD CONSTRAINT cb CHECK (a < 100); ALTER TABLE t DROP CONSTRAINT ca;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int NOT NULL, a int); ALTER TABLE t ADD PRIMARY KEY (id); ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a);",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE VIEW v AS SELECT id, a FROM t; CREATE OR REPLACE VIEW v AS SELECT id FROM t; ALTER VIEW v AS SELECT a FROM t; RENAME TABLE v TO w;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY ab (a, b)); ALTER TABLE t DROP COLUMN b;",
    );
}

/// Charset changes: `CONVERT TO` converts the character columns (and widens text types
/// for a wider charset); a new default leaves existing columns as they were.
#[test]
fn table_charset_changes_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, s varchar(10), tt text, e enum('a'), c char(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, tiny tinytext, b blob) DEFAULT CHARSET latin1; ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, s varchar(10), tt text, m mediumtext); ALTER TABLE t CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, tt text CHARACTER SET utf8mb3, l longtext CHARACTER SET latin1) DEFAULT CHARSET utf8mb3; ALTER TABLE t CONVERT TO CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, s varchar(10), tt text); ALTER TABLE t ENGINE=InnoDB, ROW_FORMAT=DYNAMIC; ALTER TABLE t DEFAULT CHARSET=latin1; ALTER TABLE t ADD COLUMN n varchar(5); ALTER TABLE t AUTO_INCREMENT = 10; ALTER TABLE t COLLATE latin1_bin;",
    );
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, s varchar(10)) DEFAULT CHARSET latin1; ALTER TABLE t CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
    );
}

#[test]
fn keys_and_indexes_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE parent (id int PRIMARY KEY, code varchar(10) UNIQUE);
         CREATE TABLE child (
           id int NOT NULL,
           parent_id int,
           code varchar(10),
           body text,
           title varchar(200),
           PRIMARY KEY (id),
           KEY (title(20)),
           KEY both_desc (parent_id DESC, code),
           UNIQUE KEY uq (code, title),
           FULLTEXT KEY ft (body, title),
           CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
             ON DELETE CASCADE ON UPDATE SET NULL,
           FOREIGN KEY (code) REFERENCES parent (code)
         );
         CREATE INDEX later ON child (title, code);",
    );
}

#[test]
fn checks_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (
           a int CHECK (a > 0),
           b int,
           c varchar(10),
           CHECK (b < 10 AND a IN (1, 2, 3)),
           CONSTRAINT named CHECK (c LIKE 'x%' OR c IS NULL)
         );",
    );
}

#[test]
fn table_options_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE a (id int) ENGINE=MyISAM COMMENT='plain';
         CREATE TABLE b (id int) ENGINE=InnoDB DEFAULT CHARSET=latin1;
         CREATE TABLE c (id int, s varchar(5)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPRESSED;
         CREATE TABLE d (id int, s varchar(5) CHARACTER SET utf8mb4) CHARSET=latin1;",
    );
}

#[test]
fn partitions_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE r (id int, d date) PARTITION BY RANGE (year(d))
           (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN MAXVALUE);
         CREATE TABLE h (id int) PARTITION BY HASH (id) PARTITIONS 4;
         CREATE TABLE l (id int) PARTITION BY LIST (id)
           (PARTITION a VALUES IN (1,2), PARTITION b VALUES IN (3));",
    );
}

#[test]
fn views_triggers_and_routines_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, n int, note varchar(20));
         CREATE TABLE log (id int);
         CREATE VIEW v AS SELECT t.id, t.n * 2 AS twice FROM t WHERE t.n > 0;
         CREATE VIEW v2 AS SELECT id FROM t WITH CHECK OPTION;
         CREATE SQL SECURITY INVOKER VIEW v3 AS SELECT a.id, b.n FROM t a JOIN t b ON a.id = b.n;
         CREATE TRIGGER t_ins BEFORE INSERT ON t FOR EACH ROW SET NEW.n = NEW.n + 1;
         CREATE TRIGGER t_del AFTER DELETE ON t FOR EACH ROW INSERT INTO log VALUES (OLD.id);
         CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;
         CREATE PROCEDURE touch(IN a int, OUT b varchar(10))
           READS SQL DATA COMMENT 'reads'
           BEGIN SELECT note INTO b FROM t WHERE id = a; END;",
    );
}

/// What MariaDB rewrites in a view's stored text: function synonyms and select-list
/// aliases in ORDER BY / GROUP BY (Sakila's `sales_by_film_category` and
/// `nicer_but_slower_film_list`).
#[test]
fn view_function_names_and_alias_references_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (a varchar(20), b int, total int);
         CREATE TABLE u (id int, a varchar(20));
         CREATE VIEW funcs AS SELECT length(a) l, character_length(a) c, lower(a) lo,
           upper(a) up, mid(a, 1, 2) m, substring(a, 2) s, nvl(b, 0) n, power(b, 2) p,
           ceil(b) ce, now() t1, CURRENT_TIMESTAMP t2, CURRENT_DATE d, sha1(a) h FROM t;
         CREATE VIEW sales AS SELECT t.a AS category, sum(t.b) AS total_sales
           FROM t JOIN u ON t.a = u.a GROUP BY t.a ORDER BY total_sales DESC;
         CREATE VIEW single AS SELECT a, sum(b) AS total_b FROM t GROUP BY a ORDER BY total_b;
         CREATE VIEW shadow AS SELECT b + 1 AS b, a FROM t ORDER BY b;
         CREATE VIEW grouped AS SELECT b * 2 AS dbl, b + 1 AS total FROM t GROUP BY dbl, total;
         CREATE VIEW kept AS SELECT a, sum(b) AS s, max(b) AS m FROM t GROUP BY a HAVING s > 1 ORDER BY a + 1, m;
         CREATE TABLE c (a varchar(9), g int AS (length(a)), CHECK (upper(a) <> 'X'));",
    );
}

#[test]
fn events_agree() {
    let Some(url) = server_url() else { return };
    assert_agree(
        &url,
        "CREATE TABLE t (id int, at datetime);
         CREATE EVENT plain ON SCHEDULE EVERY 1 DAY COMMENT 'purge old data'
           DO DELETE FROM t WHERE at < NOW() - INTERVAL 30 DAY;
         CREATE DEFINER=CURRENT_USER EVENT compound ON SCHEDULE EVERY '01:65' HOUR_MINUTE
           ON COMPLETION PRESERVE DO DELETE FROM `t` WHERE `at` < NOW();
         CREATE EVENT ranged ON SCHEDULE EVERY 1.5 HOUR STARTS '2035-1-2' ENDS '2036-01-01 12:30:45.678'
           DISABLE DO DELETE FROM t;
         CREATE EVENT now_on ON SCHEDULE EVERY 2 WEEK STARTS CURRENT_TIMESTAMP
           DISABLE ON SLAVE DO DELETE FROM t;
         CREATE EVENT once ON SCHEDULE AT '2035-01-01 00:00:00' ON COMPLETION PRESERVE
           DO BEGIN
             DELETE FROM t WHERE id = 1;
             DELETE FROM t WHERE id = 2;
           END;
         CREATE EVENT moved ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01' DO DELETE FROM t;
         ALTER EVENT moved ON SCHEDULE EVERY '1 4' DAY_HOUR RENAME TO renamed COMMENT 'x';",
    );
}

/// The server shows an event's times in the zone it was created in, whatever the
/// reading session's zone, and the implicit STARTS is recognised across zones.
#[test]
fn event_times_are_in_the_events_own_zone() {
    let Some(url) = server_url() else { return };
    let sql = "SET time_zone = '+05:00';
         CREATE EVENT once ON SCHEDULE AT '2035-01-01 00:00:00' DO DELETE FROM t;
         CREATE EVENT daily ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;
         CREATE EVENT later ON SCHEDULE EVERY 1 DAY STARTS '2035-06-01 08:00:00' DO DELETE FROM t;
         SET time_zone = '-03:00';";
    assert_agree(&url, &format!("CREATE TABLE t (id int);\n{sql}"));
}

#[test]
fn schema_filter_and_exclusions() {
    let Some(url) = server_url() else { return };
    let sql = "CREATE TABLE keep_me (id int); CREATE TABLE tmp_x (id int); CREATE VIEW tmp_v AS SELECT 1 AS a;";
    let options = InspectOptions {
        schemas: Vec::new(),
        exclude: vec!["tmp_*".to_owned()],
    };
    let realm = match live(&url, sql, &options) {
        Ok(realm) => realm,
        Err(error) => panic!("{error}"),
    };
    let schema = &realm.schemas[""];
    assert_eq!(
        schema.tables.keys().collect::<Vec<_>>(),
        vec!["keep_me"],
        "{}",
        realm.to_json()
    );
    assert!(schema.views.is_empty());

    // A database the SQL names is read by name, beside the default schema.
    let other = format!("sextant_other_{}", std::process::id());
    let sql = format!(
        "CREATE TABLE here (id int);
         CREATE DATABASE {other};
         CREATE TABLE {other}.there (id int PRIMARY KEY);"
    );
    let rt = runtime();
    let realm = rt.block_on(async {
        // Inspect inside load_dev's scratch: the named database is dropped afterwards.
        let options = InspectOptions {
            schemas: Vec::new(),
            exclude: Vec::new(),
        };
        mysql::load_dev(&url, &[Source::new("t.sql", sql.as_str())], &options).await
    });
    let realm = match realm {
        Ok(realm) => realm,
        Err(error) => panic!("{error}"),
    };
    assert!(realm.schemas[""].tables.contains_key("here"));
    assert!(
        !realm.schemas.contains_key(&other),
        "only the current database by default"
    );
    let leftover = rt.block_on(async {
        let conn = mysql::inspect_url(
            &url,
            &InspectOptions {
                schemas: vec![other.clone()],
                exclude: Vec::new(),
            },
        )
        .await;
        conn.map(|r| r.schemas.get(&other).is_some_and(|s| !s.tables.is_empty()))
    });
    assert!(
        matches!(leftover, Ok(false)),
        "databases the SQL created are dropped: {leftover:?}"
    );
}

#[test]
fn named_schemas_are_read_by_name() {
    let Some(url) = server_url() else { return };
    let other = format!("sextant_named_{}", std::process::id());
    let sql = format!(
        "CREATE DATABASE {other};
         CREATE TABLE {other}.there (id int PRIMARY KEY);
         CREATE TABLE here (id int);"
    );
    let scratch_and_other = |scratch: &str| InspectOptions {
        schemas: vec![scratch.to_owned(), other.clone()],
        exclude: Vec::new(),
    };
    // load_dev inspects its scratch database as ""; naming another database adds it.
    let realm = runtime().block_on(async {
        // The scratch name is not known in advance: name only the other database and
        // check that the default schema is then empty.
        mysql::load_dev(
            &url,
            &[Source::new("t.sql", sql.as_str())],
            &scratch_and_other("no_such_database"),
        )
        .await
    });
    let realm = match realm {
        Ok(realm) => realm,
        Err(error) => panic!("{error}"),
    };
    assert!(realm.schemas[""].tables.is_empty(), "{}", realm.to_json());
    assert!(
        realm.schemas[&other].tables.contains_key("there"),
        "{}",
        realm.to_json()
    );
}

#[test]
fn apply_errors_name_the_statement_and_the_server_message() {
    let Some(url) = server_url() else { return };
    let sql = "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n  CREATE TABLE a (id int);\n";
    match live(&url, sql, &InspectOptions::default()) {
        Err(InspectError::Apply { location, message }) => {
            assert_eq!((location.line, location.column), (4, 3), "{location}");
            assert!(location.statement.starts_with("CREATE TABLE a"));
            assert!(
                message.contains("1050") && message.contains("already exists"),
                "{message}"
            );
        }
        other => panic!("expected an apply error, got {other:?}"),
    }
}

#[test]
fn connect_errors_hide_the_password() {
    let rt = runtime();
    let result = rt.block_on(mysql::inspect_url(
        "mysql://someone:s3cret-pw@127.0.0.1:1/db",
        &InspectOptions::default(),
    ));
    match result {
        Err(error @ InspectError::Connect { .. }) => {
            let text = error.to_string();
            assert!(text.contains("127.0.0.1:1/db"), "{text}");
            assert!(!text.contains("s3cret"), "{text}");
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

/// Row estimates for lint: InnoDB's `TABLE_ROWS` of the connection's database, under the
/// model's default schema `""`. Works in a scratch database of its own.
#[test]
fn table_rows_are_innodb_estimates_in_the_default_schema() {
    use sqlx::Connection;
    let Some(url) = server_url() else { return };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let database = format!("sextant_rows_{}_{nanos}", std::process::id());
    let base = match url.rfind('/') {
        Some(slash) if slash > url.find("://").map_or(0, |i| i + 2) => &url[..slash],
        _ => url.as_str(),
    };
    let db_url = format!("{base}/{database}");
    let rt = runtime();
    let rows = rt.block_on(async {
        let mut admin = match sqlx::MySqlConnection::connect(&url).await {
            Ok(conn) => conn,
            Err(e) => panic!("connecting: {e}"),
        };
        let setup = format!(
            "CREATE DATABASE `{database}`; USE `{database}`;
             CREATE TABLE orders (id bigint PRIMARY KEY) ENGINE=InnoDB;
             INSERT INTO orders VALUES (1), (2), (3);
             CREATE TABLE empty (id bigint PRIMARY KEY) ENGINE=InnoDB;
             ANALYZE TABLE orders, empty;"
        );
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(setup))
            .execute(&mut admin)
            .await
        {
            panic!("setting up: {e}");
        }
        let rows = schema_inspect::live::table_rows(&db_url).await;
        let drop = format!("DROP DATABASE `{database}`");
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut admin)
            .await
        {
            panic!("dropping: {e}");
        }
        rows
    });
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => panic!("{e}"),
    };
    let get = |table: &str| {
        rows.get(&schema_model::QualifiedName::new("", table))
            .copied()
    };
    assert_eq!(get("orders"), Some(3));
    assert_eq!(get("empty"), Some(0));
    assert_eq!(rows.len(), 2);
}
