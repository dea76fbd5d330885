//! MySQL canonical forms the server proves: spellings the catalog cannot tell apart
//! load equal offline, so that live inspection and the offline loader agree.

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{DataType, Dialect, Realm, ReferentialAction, compare};

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Mysql)) {
        Ok(loaded) => loaded.realm,
        Err(error) => panic!("loading failed: {error}\n{sql}"),
    }
}

#[track_caller]
fn assert_same(a: &str, b: &str) {
    let differences: Vec<String> = compare(&load(a), &load(b))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        differences.is_empty(),
        "expected equal realms:\n{a}\n{b}\n{}",
        differences.join("\n")
    );
}

#[test]
fn the_default_engine_and_charset_are_not_options() {
    assert_same(
        "CREATE TABLE t (id int);",
        "CREATE TABLE t (id int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;",
    );
    let realm = load("CREATE TABLE t (id int) ENGINE=MyISAM DEFAULT CHARSET=latin1;");
    let options = &realm.schemas[""].tables["t"].options;
    assert_eq!(options.engine.as_deref(), Some("MyISAM"));
    assert_eq!(options.charset.as_deref(), Some("latin1"));
    assert_eq!(
        options.collation, None,
        "latin1_swedish_ci is latin1's default"
    );
}

#[test]
fn a_collation_implies_its_charset() {
    assert_same(
        "CREATE TABLE t (a varchar(5) COLLATE latin1_bin) COLLATE=utf8mb4_unicode_ci;",
        "CREATE TABLE t (a varchar(5) CHARACTER SET latin1 COLLATE latin1_bin) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;",
    );
    assert_same(
        "CREATE TABLE t (a varchar(5) CHARACTER SET utf8mb4) DEFAULT CHARSET=utf8mb4;",
        "CREATE TABLE t (a varchar(5));",
    );
    assert_same(
        "CREATE TABLE t (a varchar(5) CHARACTER SET utf8) CHARSET=utf8;",
        "CREATE TABLE t (a varchar(5)) CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;",
    );
    let realm = load("CREATE TABLE t (a varchar(5) COLLATE utf8mb4_bin);");
    let column = &realm.schemas[""].tables["t"].columns[0];
    assert_eq!(
        (column.charset.as_deref(), column.collation.as_deref()),
        (None, Some("utf8mb4_bin"))
    );
}

#[test]
fn restrict_is_no_action() {
    let sql = "CREATE TABLE p (id int PRIMARY KEY);
               CREATE TABLE c (p int, FOREIGN KEY (p) REFERENCES p (id) ON DELETE RESTRICT ON UPDATE NO ACTION);";
    let realm = load(sql);
    let fk = &realm.schemas[""].tables["c"].foreign_keys["c_ibfk_1"];
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (ReferentialAction::NoAction, ReferentialAction::NoAction)
    );
}

#[test]
fn decimal_defaults_show_their_scale() {
    let realm = load(
        "CREATE TABLE t (a decimal(12,2) DEFAULT 0, b decimal(5,0) DEFAULT '3', c decimal(4,2) DEFAULT -1.5);",
    );
    let defaults: Vec<Option<&str>> = realm.schemas[""].tables["t"]
        .columns
        .iter()
        .map(|c| c.default.as_deref())
        .collect();
    assert_eq!(defaults, vec![Some("0.00"), Some("3"), Some("-1.50")]);
}

#[test]
fn views_read_the_same_as_mariadb_prints_them() {
    assert_same(
        "CREATE TABLE t (id int, n int);
         CREATE VIEW v AS SELECT id, n AS total FROM t AS x WHERE x.n > 0;",
        "CREATE TABLE t (id int, n int);
         CREATE VIEW v AS select `x`.`id` AS `id`,`x`.`n` AS `total` from `t` `x` where `x`.`n` > 0;",
    );
    assert_same(
        "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
         CREATE VIEW v AS SELECT a.id FROM a JOIN b ON a.id = b.id LEFT JOIN c ON c.id = a.id;",
        "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
         CREATE VIEW v AS select `a`.`id` AS `id` from ((`a` join `b` on(`a`.`id` = `b`.`id`)) left join `c` on(`c`.`id` = `a`.`id`));",
    );
}

#[test]
fn longtext_with_a_json_valid_check_is_json() {
    assert_same(
        "CREATE TABLE t (data json);",
        "CREATE TABLE t (data longtext COLLATE utf8mb4_bin CHECK (json_valid(data)));",
    );
}

#[test]
fn an_index_that_serves_a_foreign_key_replaces_the_implicit_one() {
    assert_same(
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE c (p_id int);
         ALTER TABLE c ADD CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id);
         CREATE INDEX ix_p ON c (p_id);",
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE c (p_id int, KEY ix_p (p_id), CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));",
    );
}

#[test]
fn national_varchar_is_utf8mb3() {
    assert_same(
        "CREATE TABLE t (a nvarchar(10));",
        "CREATE TABLE t (a varchar(10) CHARACTER SET utf8mb3);",
    );
}

#[test]
fn substring_spellings_are_one_function() {
    assert_same(
        "CREATE VIEW v AS SELECT SUBSTRING('abc' FROM 1 FOR 2) AS c;",
        "CREATE VIEW v AS SELECT substr('abc', 1, 2) AS c;",
    );
}

#[test]
fn partition_values_take_the_catalog_spacing() {
    assert_same(
        "CREATE TABLE t (id int) PARTITION BY LIST (id) (PARTITION a VALUES IN (1, 2), PARTITION b VALUES IN (3));",
        "CREATE TABLE t (id int) PARTITION BY LIST (id) (PARTITION a VALUES IN (1,2), PARTITION b VALUES IN ( 3 ));",
    );
    assert_same(
        "CREATE TABLE t (d date) PARTITION BY RANGE COLUMNS (d) (PARTITION a VALUES LESS THAN ('2024-01-01'), PARTITION b VALUES LESS THAN MAXVALUE);",
        "CREATE TABLE t (d date) PARTITION BY RANGE COLUMNS (d) (PARTITION a VALUES LESS THAN ('2024-01-01'), PARTITION b VALUES LESS THAN (MAXVALUE));",
    );
}

#[test]
fn view_spellings_mariadb_drops() {
    assert_same(
        "CREATE DATABASE shop; USE shop; CREATE TABLE a (id int, n varchar(5)); CREATE TABLE b (id int);
         CREATE VIEW v AS SELECT shop.a.id, concat(_utf8 'x', group_concat(a.n ORDER BY a.n ASC)) AS c
           FROM a INNER JOIN b ON shop.a.id = b.id;",
        "CREATE DATABASE shop; USE shop; CREATE TABLE a (id int, n varchar(5)); CREATE TABLE b (id int);
         CREATE VIEW v AS select `a`.`id` AS `id`,concat('x',group_concat(`a`.`n` order by `a`.`n` ASC separator ',')) AS `c`
           from (`shop`.`a` join `shop`.`b` on(`shop`.`a`.`id` = `shop`.`b`.`id`));",
    );
}

// ----- events -----

fn event(realm: &Realm, name: &str) -> schema_model::Event {
    match realm.schemas.get("").and_then(|s| s.events.get(name)) {
        Some(event) => event.clone(),
        None => panic!("no event {name}: {}", realm.to_json()),
    }
}

#[test]
fn events_take_the_servers_canonical_form() {
    use schema_model::{EventSchedule, EventStatus};
    let realm = load(
        "CREATE DEFINER='root'@'%' EVENT `e` ON SCHEDULE EVERY '01:65' HOUR_MINUTE
             STARTS '2035-1-2' ENDS '2036-01-01 12:30:45.678'
             ON COMPLETION PRESERVE DISABLE ON SLAVE COMMENT 'purge'
             DO BEGIN
               DELETE FROM t WHERE at < NOW() - INTERVAL 30 DAY;
             END;",
    );
    let e = event(&realm, "e");
    assert_eq!(
        e.schedule,
        EventSchedule::Every {
            interval: "'2:5'".into(),
            unit: "HOUR_MINUTE".into(),
            starts: Some("2035-01-02 00:00:00".into()),
            ends: Some("2036-01-01 12:30:45".into()),
        }
    );
    assert!(e.preserve);
    assert_eq!(e.status, EventStatus::DisabledOnSlave);
    assert_eq!(e.comment.as_deref(), Some("purge"));
    // The body as written, as for routines and triggers.
    assert_eq!(
        e.body,
        "BEGIN\n               DELETE FROM t WHERE at < NOW() - INTERVAL 30 DAY;\n             END"
    );
    let once = load("CREATE EVENT o ON SCHEDULE AT TIMESTAMP '2035-01-01' DO DELETE FROM t;");
    assert_eq!(
        event(&once, "o").schedule,
        EventSchedule::At("2035-01-01 00:00:00".into())
    );
}

#[test]
fn event_spellings_the_server_stores_alike_load_equal() {
    // No STARTS and STARTS at the moment of creation are the same schedule.
    assert_same(
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;",
        "CREATE DEFINER=CURRENT_USER EVENT e ON SCHEDULE EVERY 1 DAY STARTS CURRENT_TIMESTAMP
           ON COMPLETION NOT PRESERVE ENABLE COMMENT '' DO DELETE FROM t",
    );
    assert_same(
        "CREATE EVENT e ON SCHEDULE EVERY 2 HOUR DO DELETE FROM t;",
        "CREATE EVENT e ON SCHEDULE EVERY 1.5 HOUR STARTS NOW() DO DELETE FROM t;",
    );
    assert_same(
        "CREATE EVENT e ON SCHEDULE EVERY '1 4' DAY_HOUR DO DELETE FROM t;",
        "CREATE EVENT e ON SCHEDULE EVERY '0 28' DAY_HOUR DO DELETE FROM t;",
    );
}

#[test]
fn alter_rename_and_drop_event() {
    use schema_model::{EventSchedule, EventStatus};
    let realm = load(
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01' COMMENT 'x' DO DELETE FROM t;
         ALTER DEFINER=root EVENT e ON SCHEDULE EVERY 2 HOUR DISABLE COMMENT '';
         ALTER EVENT e RENAME TO f DO DELETE FROM t WHERE 1;
         CREATE EVENT g ON SCHEDULE AT '2035-01-01 00:00:00' DO DELETE FROM t;
         DROP EVENT g;
         DROP EVENT IF EXISTS g;",
    );
    let events = &realm.schemas[""].events;
    assert_eq!(events.keys().collect::<Vec<_>>(), ["f"]);
    let f = event(&realm, "f");
    // A new schedule replaces the old one whole, STARTS included.
    assert_eq!(
        f.schedule,
        EventSchedule::Every {
            interval: "2".into(),
            unit: "HOUR".into(),
            starts: None,
            ends: None,
        }
    );
    assert_eq!(f.status, EventStatus::Disabled);
    assert_eq!(f.comment, None);
    assert_eq!(f.body, "DELETE FROM t WHERE 1");
    let error = load_sql(
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1; CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;",
        "test.sql",
        &LoadOptions::new(Dialect::Mysql),
    );
    assert!(error.is_err(), "a second CREATE EVENT of one name fails");
    let replaced = load(
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;
         CREATE EVENT IF NOT EXISTS e ON SCHEDULE EVERY 2 DAY DO SELECT 2;
         CREATE OR REPLACE EVENT e ON SCHEDULE EVERY 3 DAY DO SELECT 3;",
    );
    assert_eq!(event(&replaced, "e").body, "SELECT 3");
}

// ----- views: MariaDB's stored spellings -----

fn view_definition(sql: &str) -> String {
    let realm = load(sql);
    match realm.schemas.get("").and_then(|s| s.views.get("v")) {
        Some(view) => view.definition.clone(),
        None => panic!("no view v: {}", realm.to_json()),
    }
}

#[test]
fn views_use_the_function_names_mariadb_prints() {
    assert_same(
        "CREATE TABLE t (a varchar(9), b int, c int);
         CREATE VIEW v AS SELECT length(a) l, character_length(a) c1, lower(a) lo, upper(a) up,
           mid(a, 1, 2) m, nvl(b, 0) n, power(b, 2) p, ceil(b) ce, now() t1, CURRENT_TIMESTAMP t2,
           localtime t3, CURRENT_DATE d, day(a) dd, sha1(a) s, stddev(b) sd FROM t;",
        "CREATE TABLE t (a varchar(9), b int, c int);
         CREATE VIEW v AS SELECT octet_length(a) l, char_length(a) c1, lcase(a) lo, ucase(a) up,
           substr(a, 1, 2) m, ifnull(b, 0) n, pow(b, 2) p, ceiling(b) ce, current_timestamp() t1,
           current_timestamp() t2, current_timestamp() t3, curdate() d, dayofmonth(a) dd, sha(a) s,
           std(b) sd FROM t;",
    );
    // Checks and generated columns print the same way on the server.
    assert_same(
        "CREATE TABLE t (a varchar(9), g int AS (length(a)), CHECK (upper(a) <> 'X'));",
        "CREATE TABLE t (a varchar(9), g int AS (octet_length(a)), CHECK (ucase(a) <> 'X'));",
    );
}

#[test]
fn view_aliases_in_order_by_and_group_by_resolve_as_mariadb_stores_them() {
    let base = "CREATE TABLE t (a int, b int, total int);";
    let v = |q: &str| view_definition(&format!("{base} CREATE VIEW v AS {q};"));
    // A whole ORDER BY item naming an alias is the aliased expression.
    assert_eq!(
        v("SELECT a, sum(b) AS total_b FROM t GROUP BY a ORDER BY total_b DESC"),
        v("SELECT a, sum(b) AS total_b FROM t GROUP BY a ORDER BY sum(b) DESC"),
    );
    // In ORDER BY the alias wins over a column of that name ...
    assert_eq!(
        v("SELECT b + 1 AS b, a FROM t ORDER BY b"),
        v("SELECT b + 1 AS b, a FROM t ORDER BY b + 1"),
    );
    // ... in GROUP BY the column wins.
    assert!(v("SELECT b + 1 AS b FROM t GROUP BY b").ends_with("GROUP BY b"));
    assert_eq!(
        v("SELECT b * 2 AS dbl FROM t GROUP BY dbl"),
        v("SELECT b * 2 AS dbl FROM t GROUP BY b * 2"),
    );
    // Inside an expression, in HAVING and after UNION the alias stays.
    assert!(v("SELECT sum(b) AS s FROM t ORDER BY s + 1").ends_with("ORDER BY s + 1"));
    assert!(v("SELECT a, sum(b) AS s FROM t GROUP BY a HAVING s > 3").ends_with("HAVING s > 3"));
    assert!(v("SELECT a AS x FROM t UNION SELECT b FROM t ORDER BY x").ends_with("ORDER BY x"));
    // Aliases match whatever their case.
    assert_eq!(
        v("SELECT a AS X FROM t ORDER BY x"),
        v("SELECT a AS X FROM t ORDER BY a")
    );
}

#[test]
fn vector_columns_are_the_model_vector_type() -> Result<(), serde_json::Error> {
    let realm = load("CREATE TABLE v (id int PRIMARY KEY, embedding VECTOR(3) NOT NULL);");
    let table = &realm.schemas[""].tables["v"];
    assert_eq!(table.columns[1].data_type, DataType::Vector(Some(3)));
    // The JSON form reads back as the same type, as for every other type.
    let back = Realm::from_json(&realm.to_json())?;
    assert!(compare(&realm, &back).is_empty());
    Ok(())
}
