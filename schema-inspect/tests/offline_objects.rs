//! Offline replay of every object kind except tables and indexes, and of the
//! statements sqlparser 0.64 cannot parse (the fallback readers).
//!
//! Expectations are written by hand from PostgreSQL 15 / MariaDB 10.11 / SQLite
//! behaviour, not copied from the loader's output.

use schema_inspect::{LoadError, LoadOptions, Loaded, load_sql};
use schema_model::{
    ArgumentMode, CheckOption, DataType, Deferrable, Dialect, FunctionKind, PolicyCommand,
    Privilege, QualifiedName, Realm, ReferentialAction, SequenceOptions, TriggerAction,
    TriggerEvent, TriggerTiming, TypeKind,
};

fn load(dialect: Dialect, sql: &str) -> Loaded {
    match load_sql(sql, "test.sql", &LoadOptions::new(dialect)) {
        Ok(loaded) => loaded,
        Err(error) => panic!("loading failed: {error}"),
    }
}

fn pg(sql: &str) -> Loaded {
    load(Dialect::Postgres, sql)
}

fn pg_realm(sql: &str) -> Realm {
    pg(sql).realm
}

fn pg_error(sql: &str) -> LoadError {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Postgres)) {
        Ok(_) => panic!("expected an error for {sql}"),
        Err(error) => error,
    }
}

fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(|w| w.message.clone()).collect()
}

fn privilege(grantee: &str, privilege: &str) -> Privilege {
    Privilege {
        grantee: grantee.to_owned(),
        privilege: privilege.to_owned(),
        grantable: false,
    }
}

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

/// Asserts two spellings load to equal realms, showing the differences otherwise.
fn assert_same(dialect: Dialect, a: &str, b: &str) {
    let left = load(dialect, a).realm;
    let right = load(dialect, b).realm;
    let differences = schema_model::compare(&left, &right);
    assert!(
        left == right,
        "spellings differ:\n{differences:#?}\n{}\n---\n{}",
        left.to_json(),
        right.to_json()
    );
}

// ----- schemas, extensions, collations -----

#[test]
fn schemas_are_created_renamed_and_dropped() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE SCHEMA IF NOT EXISTS app;
         CREATE SCHEMA Audit AUTHORIZATION admin;
         ALTER SCHEMA audit RENAME TO history;
         CREATE SCHEMA gone;
         DROP SCHEMA gone;",
    );
    let names: Vec<&str> = realm.schemas.keys().map(String::as_str).collect();
    assert_eq!(names, ["app", "history", "public"]);
    assert_eq!(realm.schemas["history"].name, "history");
}

#[test]
fn dropping_a_schema_that_holds_objects_needs_cascade() {
    let error = pg_error("CREATE SCHEMA s; CREATE SEQUENCE s.q; DROP SCHEMA s;");
    assert!(
        error.to_string().contains("cannot drop schema \"s\""),
        "{error}"
    );
    let realm = pg_realm("CREATE SCHEMA s; CREATE SEQUENCE s.q; DROP SCHEMA s CASCADE;");
    assert!(!realm.schemas.contains_key("s"));
}

#[test]
fn creating_an_existing_schema_is_an_error() {
    let error = pg_error("CREATE SCHEMA app;\nCREATE SCHEMA app;");
    assert_eq!(
        error.to_string(),
        "test.sql:2:1: schema \"app\" already exists"
    );
}

#[test]
fn schema_owner_is_ignored_with_a_reason() {
    let loaded = pg("CREATE SCHEMA app; ALTER SCHEMA app OWNER TO postgres;");
    assert_eq!(
        warnings(&loaded),
        ["ownership is not part of the schema model"]
    );
}

#[test]
fn extensions_record_their_schema_and_version() {
    let realm = pg_realm(
        "CREATE EXTENSION IF NOT EXISTS pgcrypto;
         CREATE SCHEMA ext;
         CREATE EXTENSION hstore WITH SCHEMA ext VERSION '1.8';
         CREATE EXTENSION IF NOT EXISTS hstore;
         CREATE EXTENSION citext;
         DROP EXTENSION citext;",
    );
    let names: Vec<&str> = realm.extensions.keys().map(String::as_str).collect();
    assert_eq!(names, ["hstore", "pgcrypto"]);
    assert_eq!(
        realm.extensions["pgcrypto"].schema.as_deref(),
        Some("public")
    );
    assert_eq!(realm.extensions["hstore"].schema.as_deref(), Some("ext"));
    assert_eq!(realm.extensions["hstore"].version.as_deref(), Some("1.8"));
}

#[test]
fn extension_without_schema_equals_with_schema_public() {
    assert_same(
        Dialect::Postgres,
        "CREATE EXTENSION IF NOT EXISTS citext;",
        "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;",
    );
}

#[test]
fn collations_keep_canonical_options() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
         CREATE COLLATION app.c_posix FROM \"C\";
         CREATE COLLATION app.german (LC_COLLATE = 'de_DE.utf8', LC_CTYPE = 'de_DE.utf8');",
    );
    let app = &realm.schemas["app"];
    let options = |name: &str| -> Vec<(String, String)> {
        app.collations[name]
            .options
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(
        options("ci"),
        pairs(&[
            ("deterministic", "false"),
            ("locale", "und-u-ks-level2"),
            ("provider", "icu")
        ])
    );
    assert_eq!(
        options("c_posix"),
        pairs(&[("locale", "C"), ("provider", "libc")])
    );
    assert_eq!(
        options("german"),
        pairs(&[("locale", "de_DE.utf8"), ("provider", "libc")])
    );
}

#[test]
fn collation_spellings_are_equal() {
    // pg_dump's spelling of the same two collations.
    assert_same(
        Dialect::Postgres,
        "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
         CREATE COLLATION c_posix FROM \"C\";",
        "CREATE COLLATION public.c_posix (provider = libc, locale = 'C');
         CREATE COLLATION public.ci (provider = icu, deterministic = false, locale = 'und-u-ks-level2');",
    );
}

#[test]
fn drop_collation() {
    let realm =
        pg_realm("CREATE COLLATION c FROM \"C\"; DROP COLLATION c; DROP COLLATION IF EXISTS c;");
    assert!(realm.schemas["public"].collations.is_empty());
}

// ----- MySQL databases -----

#[test]
fn mysql_use_maps_the_database_to_the_default_schema() {
    let loaded = load(
        Dialect::Mysql,
        "CREATE DATABASE IF NOT EXISTS shop;
         USE shop;
         CREATE TABLE shop.items (id int PRIMARY KEY);
         CREATE VIEW shop.v AS SELECT id FROM shop.items;",
    );
    let realm = &loaded.realm;
    assert_eq!(realm.schemas.keys().collect::<Vec<_>>(), [""]);
    assert!(realm.schemas[""].views.contains_key("v"));
    assert_eq!(
        warnings(&loaded),
        [
            "CREATE DATABASE shop: the realm models one database; `USE shop` makes it the default schema",
            "USE shop: objects of database shop go to the default schema",
        ]
    );
}

// ----- views -----

#[test]
fn views_keep_columns_options_and_canonical_definition() {
    let realm = pg_realm(
        "CREATE TABLE t (id int, name text);
         CREATE VIEW v (a, b) WITH (security_barrier = true) AS SELECT ID, Name FROM T WHERE id > 0;",
    );
    let view = &realm.schemas["public"].views["v"];
    assert_eq!(view.columns, ["a", "b"]);
    assert_eq!(view.options["security_barrier"], "true");
    assert_eq!(
        view.definition,
        "SELECT id, name FROM public.t WHERE id > 0"
    );
    assert!(!view.materialized);
}

#[test]
fn view_definitions_fold_identifiers() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (id int); CREATE VIEW v AS SELECT ID FROM T;",
        "CREATE TABLE t (id int); CREATE VIEW v AS select \"id\" from public.t;",
    );
}

#[test]
fn view_check_option_is_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE VIEW v1 AS SELECT id FROM t WITH CASCADED CHECK OPTION;
         CREATE VIEW v2 AS SELECT id FROM t WITH LOCAL CHECK OPTION;
         CREATE VIEW v3 AS SELECT id FROM t WITH CHECK OPTION;",
    );
    let views = &realm.schemas["public"].views;
    assert_eq!(views["v1"].check_option, Some(CheckOption::Cascaded));
    assert_eq!(views["v2"].check_option, Some(CheckOption::Local));
    assert_eq!(views["v3"].check_option, Some(CheckOption::Cascaded));
    assert_eq!(views["v1"].definition, "SELECT id FROM public.t");
}

#[test]
fn materialized_view_with_no_data() {
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE MATERIALIZED VIEW m AS SELECT id FROM t WITH NO DATA;
         CREATE MATERIALIZED VIEW n AS SELECT id FROM t WITH DATA;
         REFRESH MATERIALIZED VIEW n;",
    );
    let views = &realm.schemas["public"].views;
    assert!(views["m"].materialized && views["m"].with_no_data);
    assert!(views["n"].materialized && !views["n"].with_no_data);
}

#[test]
fn recursive_view_is_stored_as_postgres_rewrites_it() {
    assert_same(
        Dialect::Postgres,
        "CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 10;",
        "CREATE VIEW nums AS WITH RECURSIVE nums (n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 10) SELECT n FROM nums;",
    );
}

/// The view `v` of `sql`, after `tables`.
fn view_definition(tables: &str, view: &str) -> String {
    let realm = pg_realm(&format!("{tables}\n{view}"));
    realm.schemas["public"].views["v"].definition.clone()
}

/// A view as written and as `pg_get_viewdef` prints it (PostgreSQL 15, checked with
/// psql) load to one definition; returns it.
fn view_as_the_server_prints_it(tables: &str, written: &str, printed: &str) -> String {
    assert_same(
        Dialect::Postgres,
        &format!("{tables}\nCREATE VIEW v AS {written};"),
        &format!("{tables}\nCREATE VIEW v AS {printed};"),
    );
    view_definition(tables, &format!("CREATE VIEW v AS {written};"))
}

const TT: &str = "CREATE TABLE tt (id int, name text); CREATE TABLE uu (id int, x text);";

#[test]
fn view_stars_expand_to_the_columns_and_using_merges_them() {
    let definition = view_as_the_server_prints_it(
        TT,
        "SELECT * FROM tt JOIN uu USING (id)",
        "SELECT tt.id, tt.name, uu.x FROM (tt JOIN uu USING (id))",
    );
    assert_eq!(
        definition,
        "SELECT tt.id, tt.name, uu.x FROM public.tt JOIN public.uu USING(id)"
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT uu.*, 1 AS one FROM tt, uu",
        "SELECT uu.id, uu.x, 1 AS one FROM tt, uu",
    );
}

#[test]
fn view_columns_are_qualified_and_nested_relations_renamed() {
    let definition = view_as_the_server_prints_it(
        TT,
        "SELECT * FROM tt WHERE id IN (SELECT id FROM tt WHERE name IS NULL)",
        "SELECT tt.id, tt.name FROM tt WHERE (tt.id IN (SELECT tt_1.id FROM tt tt_1 WHERE (tt_1.name IS NULL)))",
    );
    assert_eq!(
        definition,
        "SELECT tt.id, tt.name FROM public.tt WHERE tt.id IN (SELECT tt_1.id FROM public.tt tt_1 WHERE tt_1.name IS NULL)"
    );
    // A CTE body is named inside the level that has the WITH.
    view_as_the_server_prints_it(
        TT,
        "WITH q AS (SELECT id FROM tt) SELECT tt.name FROM tt, q WHERE tt.id = q.id",
        "WITH q AS (SELECT tt_1.id FROM tt tt_1) SELECT tt.name FROM tt, q WHERE (tt.id = q.id)",
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT * FROM (SELECT tt.id FROM tt INNER JOIN uu ON tt.id = uu.id LEFT OUTER JOIN uu AS u2 ON true) AS s",
        "SELECT s.id FROM (SELECT tt.id FROM ((tt JOIN uu ON ((tt.id = uu.id))) LEFT JOIN uu u2 ON (true))) s",
    );
}

#[test]
fn view_select_items_are_named_and_typed_as_the_server_prints_them() {
    let definition = view_as_the_server_prints_it(
        TT,
        "SELECT 1, 'x' AS label, count(*) FROM tt",
        "SELECT 1 AS \"?column?\", 'x'::text AS label, count(*) AS count FROM tt",
    );
    assert_eq!(
        definition,
        "SELECT 1 AS \"?column?\", 'x'::TEXT AS label, count(*) AS count FROM public.tt"
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT 4 AS time, 5 AS value, CASE WHEN id > 0 THEN 'a' END AS s FROM tt",
        "SELECT 4 AS \"time\", 5 AS value, CASE WHEN (tt.id > 0) THEN 'a'::text ELSE NULL::text END AS s FROM tt",
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT id AS k, sum(id) AS total FROM tt GROUP BY k ORDER BY total",
        "SELECT tt.id AS k, sum(tt.id) AS total FROM tt GROUP BY tt.id ORDER BY (sum(tt.id))",
    );
}

#[test]
fn view_set_operations_name_and_type_every_leaf() {
    view_as_the_server_prints_it(
        TT,
        "(SELECT 1 AS a) UNION ALL (SELECT 2) UNION ALL SELECT 3",
        "SELECT 1 AS a UNION ALL SELECT 2 AS a UNION ALL SELECT 3 AS a",
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT 1 AS a UNION ALL (SELECT 2 UNION ALL SELECT 3)",
        "SELECT 1 AS a UNION ALL (SELECT 2 AS a UNION ALL SELECT 3 AS a)",
    );
    view_as_the_server_prints_it(
        TT,
        "SELECT id, 'x' AS s FROM tt UNION ALL SELECT NULL, 'y'",
        "SELECT tt.id, 'x'::text AS s FROM tt UNION ALL SELECT NULL::integer AS id, 'y'::text AS s",
    );
}

#[test]
fn view_casts_settle_against_the_columns_of_views_and_qualified_tables() {
    let tables = "CREATE TABLE sales (amount numeric(10,2), sale_date date, category text);
         CREATE VIEW e7 AS SELECT category, sum(amount) AS total, sale_date FROM sales GROUP BY category, sale_date;";
    assert_same(
        Dialect::Postgres,
        &format!(
            "{tables} CREATE VIEW v AS SELECT date_trunc('month', sale_date) AS m FROM e7 WHERE total > 1000;"
        ),
        &format!(
            "{tables} CREATE VIEW v AS SELECT date_trunc('month'::text, (e7.sale_date)::timestamp with time zone) AS m FROM e7 WHERE (e7.total > (1000)::numeric);"
        ),
    );
}

#[test]
fn views_are_replaced_altered_and_dropped() {
    let realm = pg_realm(
        "CREATE SCHEMA other;
         CREATE TABLE t (id int, x int);
         CREATE VIEW v AS SELECT id FROM t;
         COMMENT ON VIEW v IS 'kept';
         CREATE OR REPLACE VIEW v AS SELECT id, x FROM t;
         ALTER VIEW v RENAME TO w;
         ALTER VIEW w SET SCHEMA other;
         ALTER VIEW other.w SET (security_barrier = true);
         CREATE VIEW gone AS SELECT 1;
         DROP VIEW gone;
         DROP VIEW IF EXISTS gone;",
    );
    assert!(realm.schemas["public"].views.is_empty());
    let view = &realm.schemas["other"].views["w"];
    assert_eq!(view.definition, "SELECT id, x FROM public.t");
    assert_eq!(view.comment.as_deref(), Some("kept"));
    assert_eq!(view.options["security_barrier"], "true");
}

#[test]
fn view_errors_name_the_view() {
    let error = pg_error("CREATE VIEW v AS SELECT 1;\nCREATE VIEW v AS SELECT 2;");
    assert_eq!(
        error.to_string(),
        "test.sql:2:1: relation \"public.v\" already exists"
    );
    let error = pg_error("DROP VIEW v;");
    assert_eq!(
        error.to_string(),
        "test.sql:1:1: view \"public.v\" does not exist"
    );
}

#[test]
fn mysql_views_record_sql_security() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE t (id int);
         CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW v1 AS SELECT id FROM t;
         CREATE VIEW v2 AS SELECT id FROM t;",
    )
    .realm;
    let views = &realm.schemas[""].views;
    assert_eq!(views["v1"].security.as_deref(), Some("INVOKER"));
    assert_eq!(views["v2"].security.as_deref(), Some("DEFINER"));
}

// ----- sequences -----

#[test]
fn sequence_options_fill_in_postgres_defaults() {
    let realm = pg_realm(
        "CREATE SEQUENCE a;
         CREATE SEQUENCE b AS integer INCREMENT BY -2;
         CREATE SEQUENCE c AS bigint INCREMENT BY 10 MINVALUE 1000 MAXVALUE 9999999 START WITH 1000 CACHE 5 CYCLE;
         CREATE SEQUENCE IF NOT EXISTS a;",
    );
    let seqs = &realm.schemas["public"].sequences;
    assert_eq!(
        seqs["a"].options,
        SequenceOptions {
            data_type: DataType::BigInt,
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: i64::MAX,
            cache: 1,
            cycle: false,
        }
    );
    assert_eq!(
        seqs["b"].options,
        SequenceOptions {
            data_type: DataType::Integer,
            start: -1,
            increment: -2,
            min_value: -2147483648,
            max_value: -1,
            cache: 1,
            cycle: false,
        }
    );
    assert_eq!(
        seqs["c"].options,
        SequenceOptions {
            data_type: DataType::BigInt,
            start: 1000,
            increment: 10,
            min_value: 1000,
            max_value: 9999999,
            cache: 5,
            cycle: true,
        }
    );
}

#[test]
fn sequence_spellings_are_equal() {
    // schema.sql's spelling and pg_dump's.
    assert_same(
        Dialect::Postgres,
        "CREATE SEQUENCE s AS bigint INCREMENT BY 10 MINVALUE 1000 MAXVALUE 9999999 START WITH 1000 CACHE 5 CYCLE;",
        "CREATE SEQUENCE public.s START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 9999999 CACHE 5 CYCLE;",
    );
    assert_same(
        Dialect::Postgres,
        "CREATE SEQUENCE s;",
        "CREATE SEQUENCE s START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;",
    );
}

#[test]
fn alter_sequence_is_read_by_the_fallback() {
    let loaded = pg("CREATE SEQUENCE s;
         ALTER SEQUENCE s AS integer;
         ALTER SEQUENCE s INCREMENT BY 5 CACHE 10 CYCLE;
         ALTER SEQUENCE IF EXISTS missing RESTART;
         ALTER SEQUENCE s RESTART WITH 7;");
    let seq = &loaded.realm.schemas["public"].sequences["s"];
    assert_eq!(
        seq.options,
        SequenceOptions {
            data_type: DataType::Integer,
            start: 1,
            increment: 5,
            min_value: 1,
            max_value: i64::from(i32::MAX),
            cache: 10,
            cycle: true,
        }
    );
    assert_eq!(
        warnings(&loaded),
        [
            "relation \"public.missing\" does not exist, skipping",
            "RESTART changes the sequence's data, not its definition",
        ]
    );
}

#[test]
fn sequence_owned_by_rename_and_drop() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE TABLE app.orders (order_no bigint);
         CREATE SEQUENCE app.order_no_seq;
         ALTER SEQUENCE app.order_no_seq OWNED BY app.orders.order_no;
         CREATE SEQUENCE app.tmp OWNED BY app.orders.order_no;
         ALTER SEQUENCE app.tmp OWNED BY NONE;
         ALTER SEQUENCE app.tmp RENAME TO tmp2;
         CREATE SEQUENCE app.gone;
         DROP SEQUENCE app.gone;",
    );
    let app = &realm.schemas["app"];
    let owner = app.sequences["order_no_seq"].owned_by.as_ref();
    assert_eq!(owner.map(|o| &o.table), Some(&qn("app", "orders")));
    assert_eq!(owner.map(|o| o.column.as_str()), Some("order_no"));
    assert!(app.sequences["tmp2"].owned_by.is_none());
    assert_eq!(app.sequences.len(), 2);
}

#[test]
fn sequence_owned_by_a_missing_column_is_an_error() {
    let error = pg_error("CREATE TABLE t (a int); CREATE SEQUENCE s OWNED BY t.b;");
    assert!(
        error
            .to_string()
            .ends_with("column \"b\" of relation \"public.t\" does not exist"),
        "{error}"
    );
}

#[test]
fn setval_and_nextval_are_data() {
    let loaded = pg(
        "CREATE SEQUENCE s; SELECT pg_catalog.setval('public.s', 42, true); SELECT nextval('s');",
    );
    assert_eq!(
        warnings(&loaded),
        [
            "SELECT reads or changes data, not schema",
            "SELECT reads or changes data, not schema"
        ]
    );
}

// ----- identity columns (fallback) -----

#[test]
fn identity_added_as_pg_dump_writes_it() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 1), x int);",
        "CREATE TABLE t (id bigint NOT NULL, x int);
         ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
             SEQUENCE NAME public.t_id_seq
             START WITH 100
             INCREMENT BY 1
             NO MINVALUE
             NO MAXVALUE
             CACHE 1
         );",
    );
}

#[test]
fn identity_by_default_and_drop_identity() {
    let realm = pg_realm(
        "CREATE TABLE t (a int NOT NULL, b int);
         ALTER TABLE ONLY t ALTER a ADD GENERATED BY DEFAULT AS IDENTITY;
         ALTER TABLE t ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY;
         ALTER TABLE t ALTER COLUMN b DROP IDENTITY;",
    );
    let table = &realm.schemas["public"].tables["t"];
    let a = table.column("a").and_then(|c| c.identity.as_ref());
    assert_eq!(a.map(|i| i.always), Some(false));
    assert_eq!(
        a.map(|i| i.sequence.clone()),
        Some(SequenceOptions::postgres_defaults(DataType::Integer, 1))
    );
    let b = table.column("b");
    assert!(b.is_some_and(|c| c.identity.is_none() && !c.nullable));
}

#[test]
fn column_storage_settings_and_cluster_are_ignored() {
    let loaded = pg("CREATE TABLE t (a jsonb, b numeric);
         CREATE INDEX t_a ON t (b);
         ALTER TABLE ONLY t ALTER COLUMN a SET STORAGE EXTERNAL;
         ALTER TABLE ONLY t ALTER COLUMN b SET STATISTICS 500;
         ALTER TABLE t CLUSTER ON t_a;");
    assert_eq!(
        warnings(&loaded),
        [
            "SET STORAGE changes how values are stored, not the schema",
            "SET STATISTICS tunes the planner, not the schema",
            "CLUSTER ON orders the table's storage, not its schema",
        ]
    );
}

#[test]
fn index_attach_partition_makes_the_index_the_parents() {
    // pg_dump's form: the parent's index ON ONLY, the partition's own, then attached.
    let loaded = pg("CREATE TABLE p (a int) PARTITION BY RANGE (a);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE INDEX p_a ON ONLY p (a);
         CREATE INDEX p1_a ON p1 (a);
         ALTER INDEX public.p_a ATTACH PARTITION public.p1_a;");
    let public = &loaded.realm.schemas["public"];
    assert_eq!(
        public.tables["p"].indexes.keys().collect::<Vec<_>>(),
        ["p_a"]
    );
    assert!(public.tables["p1"].indexes.is_empty());
    // The same schema as the parent's index created on the whole tree.
    let whole = pg("CREATE TABLE p (a int) PARTITION BY RANGE (a);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE INDEX p_a ON p (a);");
    assert!(schema_model::compare(&loaded.realm, &whole.realm).is_empty());
}

// ----- ownership -----

#[test]
fn owner_to_is_ignored_for_every_kind() {
    let loaded = pg("CREATE TYPE mood AS ENUM ('a');
         ALTER TYPE mood OWNER TO postgres;
         CREATE DOMAIN d AS int;
         ALTER DOMAIN d OWNER TO postgres;
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
         ALTER FUNCTION public.f() OWNER TO postgres;
         CREATE SEQUENCE s;
         ALTER TABLE public.s OWNER TO postgres;
         ALTER SEQUENCE s OWNER TO postgres;
         ALTER PROCEDURE p(IN x timestamp with time zone) OWNER TO postgres;
         ALTER OPERATOR app.=== (integer, integer) OWNER TO postgres;
         ALTER EVENT TRIGGER e OWNER TO postgres;
         ALTER TEXT SEARCH CONFIGURATION x OWNER TO \"Admin\";");
    let w = warnings(&loaded);
    assert_eq!(w.len(), 9);
    assert!(
        w.iter()
            .all(|m| m == "ownership is not part of the schema model")
    );
}

// ----- types and domains -----

#[test]
fn enum_values_are_added_and_renamed() {
    let realm = pg_realm(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
         ALTER TYPE mood ADD VALUE 'awful' BEFORE 'sad';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
         ALTER TYPE mood ADD VALUE 'meh';
         ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
         ALTER TYPE mood RENAME TO feeling;",
    );
    let types = &realm.schemas["public"].types;
    assert!(!types.contains_key("mood"));
    assert_eq!(
        types["feeling"].kind,
        TypeKind::Enum {
            values: ["awful", "sad", "fine", "happy", "ecstatic", "meh"]
                .map(String::from)
                .to_vec()
        }
    );
}

#[test]
fn enum_spellings_are_equal() {
    assert_same(
        Dialect::Postgres,
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';",
        "CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'ok',\n    'happy',\n    'ecstatic'\n);",
    );
}

#[test]
fn composite_and_range_types() {
    let realm = pg_realm(
        "CREATE TYPE address AS (street text, zip varchar(10));
         CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
         CREATE TYPE span AS RANGE (subtype = int4, multirange_type_name = spans);",
    );
    let types = &realm.schemas["public"].types;
    let TypeKind::Composite { attributes } = &types["address"].kind else {
        panic!("not composite: {:?}", types["address"].kind);
    };
    assert_eq!(attributes.len(), 2);
    assert_eq!(attributes[1].name, "zip");
    assert_eq!(attributes[1].data_type, DataType::Varchar(Some(10)));
    let TypeKind::Range { subtype, options } = &types["floatrange"].kind else {
        panic!("not a range");
    };
    assert_eq!(*subtype, DataType::Double);
    assert_eq!(options["subtype_diff"], "float8mi");
    assert_eq!(options["multirange_type_name"], "public.floatmultirange");
    let TypeKind::Range { options, .. } = &types["span"].kind else {
        panic!("not a range");
    };
    assert_eq!(options["multirange_type_name"], "public.spans");
}

#[test]
fn domains_name_unnamed_checks_as_postgres_does() {
    let realm = pg_realm(
        "CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0) CHECK (VALUE < 100) CONSTRAINT named CHECK (VALUE <> 5);",
    );
    let TypeKind::Domain(domain) = &realm.schemas["public"].types["posint"].kind else {
        panic!("not a domain");
    };
    assert_eq!(domain.base_type, DataType::Integer);
    assert!(domain.not_null);
    assert_eq!(domain.default.as_deref(), Some("1"));
    let names: Vec<&str> = domain.checks.keys().map(String::as_str).collect();
    assert_eq!(names, ["named", "posint_check", "posint_check1"]);
    assert_eq!(
        domain.checks["posint_check"].expression.to_lowercase(),
        "value > 0"
    );
}

#[test]
fn domain_spellings_are_equal() {
    assert_same(
        Dialect::Postgres,
        "CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0);",
        "CREATE DOMAIN public.positive_int AS integer NOT NULL DEFAULT 1\n\tCONSTRAINT positive CHECK ((VALUE > 0));",
    );
}

#[test]
fn alter_domain_is_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE DOMAIN d AS text;
         ALTER DOMAIN d SET DEFAULT 'x';
         ALTER DOMAIN d SET NOT NULL;
         ALTER DOMAIN d ADD CONSTRAINT short CHECK (length(VALUE) < 10) NOT VALID;
         ALTER DOMAIN d ADD CHECK (VALUE <> '');
         ALTER DOMAIN d VALIDATE CONSTRAINT short;
         ALTER DOMAIN d RENAME CONSTRAINT short TO brief;
         ALTER DOMAIN d DROP CONSTRAINT IF EXISTS nothing;
         CREATE DOMAIN e AS int DEFAULT 0;
         ALTER DOMAIN e DROP DEFAULT;
         ALTER DOMAIN e RENAME TO f;",
    );
    let types = &realm.schemas["public"].types;
    let TypeKind::Domain(d) = &types["d"].kind else {
        panic!("not a domain");
    };
    // As PostgreSQL 15 prints it (pg_get_expr of typdefaultbin).
    assert_eq!(d.default.as_deref(), Some("'x'::text"));
    assert!(d.not_null);
    let names: Vec<&str> = d.checks.keys().map(String::as_str).collect();
    assert_eq!(names, ["brief", "d_check"]);
    assert!(!d.checks["brief"].not_valid);
    let TypeKind::Domain(f) = &types["f"].kind else {
        panic!("not a domain");
    };
    assert_eq!(f.default, None);
    assert!(!types.contains_key("e"));
}

#[test]
fn drop_type_and_domain() {
    let realm = pg_realm(
        "CREATE TYPE a AS ENUM ('x'); CREATE TYPE b AS (x int); CREATE DOMAIN c AS int;
         DROP TYPE a, b CASCADE; DROP DOMAIN c; DROP TYPE IF EXISTS zzz;",
    );
    assert!(realm.schemas["public"].types.is_empty());
    let error = pg_error("CREATE TYPE a AS ENUM ('x'); DROP DOMAIN a;");
    assert!(
        error.to_string().contains("\"public.a\" is not a domain"),
        "{error}"
    );
}

// ----- functions, procedures, aggregates -----

#[test]
fn functions_are_keyed_by_signature_with_canonical_attributes() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
           LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
           RETURN a + b;
         CREATE FUNCTION app.users_by_mood(m text) RETURNS SETOF text
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = app, pg_temp
           AS $$ SELECT m $$;
         CREATE FUNCTION app.v() RETURNS void LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT SECURITY INVOKER AS $$BEGIN END$$;",
    );
    let functions = &realm.schemas["app"].functions;
    let keys: Vec<&str> = functions.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["add(integer, integer)", "users_by_mood(text)", "v()"]
    );
    let add = &functions["add(integer, integer)"];
    assert_eq!(add.returns.as_deref(), Some("integer"));
    assert_eq!(add.language, "sql");
    assert_eq!(add.body, "RETURN a + b");
    assert_eq!(add.attributes, ["IMMUTABLE", "PARALLEL SAFE", "STRICT"]);
    assert_eq!(add.arguments[1].default.as_deref(), Some("1"));
    let by_mood = &functions["users_by_mood(text)"];
    assert_eq!(by_mood.returns.as_deref(), Some("SETOF text"));
    assert_eq!(by_mood.body, " SELECT m ");
    assert_eq!(
        by_mood.attributes,
        [
            "SECURITY DEFINER",
            "SET search_path = app, pg_temp",
            "STABLE"
        ]
    );
    let v = &functions["v()"];
    assert!(
        v.attributes.is_empty(),
        "defaults are left out: {:?}",
        v.attributes
    );
    assert_eq!(v.returns.as_deref(), Some("void"));
}

#[test]
fn function_spellings_are_equal() {
    // schema.sql's spelling and pg_dump's.
    assert_same(
        Dialect::Postgres,
        "CREATE FUNCTION users_by_mood(m text) RETURNS SETOF text
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = app, pg_temp
           AS $$ SELECT m $$;
         CREATE FUNCTION user_count(OUT n bigint) LANGUAGE sql STABLE AS 'SELECT 1';",
        "CREATE FUNCTION public.users_by_mood(m text) RETURNS SETOF text
             LANGUAGE sql STABLE SECURITY DEFINER
             SET search_path TO 'app', 'pg_temp'
             AS $_$ SELECT m $_$;
         CREATE FUNCTION public.user_count(OUT n bigint) RETURNS bigint
             LANGUAGE sql STABLE
             AS $$SELECT 1$$;",
    );
}

#[test]
fn out_arguments_are_not_part_of_the_key() {
    let realm = pg_realm(
        "CREATE FUNCTION f(IN a int, OUT b int, INOUT c text, VARIADIC d int[]) LANGUAGE sql AS 'SELECT 1, 2';",
    );
    let functions = &realm.schemas["public"].functions;
    let f = &functions["f(integer, text, integer[])"];
    let modes: Vec<ArgumentMode> = f.arguments.iter().map(|a| a.mode).collect();
    assert_eq!(
        modes,
        [
            ArgumentMode::In,
            ArgumentMode::Out,
            ArgumentMode::InOut,
            ArgumentMode::Variadic
        ]
    );
    assert_eq!(f.returns.as_deref(), Some("record"));
}

#[test]
fn returns_table_and_trigger() {
    let realm = pg_realm(
        "CREATE FUNCTION t() RETURNS TABLE(id bigint, email text) LANGUAGE plpgsql AS $fn$ BEGIN END $fn$;
         CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
    );
    let functions = &realm.schemas["public"].functions;
    assert_eq!(
        functions["t()"].returns.as_deref(),
        Some("TABLE(id bigint, email text)")
    );
    assert_eq!(functions["trg()"].returns.as_deref(), Some("trigger"));
    assert_eq!(functions["trg()"].body, " BEGIN RETURN NEW; END ");
}

#[test]
fn cost_rows_and_leakproof_are_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE FUNCTION f(a int) RETURNS SETOF int LANGUAGE sql IMMUTABLE LEAKPROOF COST 10 ROWS 5 AS 'SELECT 1';
         CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql COST 100 AS 'SELECT 1';",
    );
    let functions = &realm.schemas["public"].functions;
    assert_eq!(
        functions["f(integer)"].attributes,
        ["COST 10", "IMMUTABLE", "LEAKPROOF", "ROWS 5"]
    );
    assert!(functions["g(integer)"].attributes.is_empty());
}

#[test]
fn procedures_with_dollar_bodies_are_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE PROCEDURE archive_orders(IN before timestamptz) LANGUAGE plpgsql AS $$
BEGIN DELETE FROM orders WHERE placed_at < before; COMMIT; END $$;",
    );
    let p = &realm.schemas["public"].functions["archive_orders(timestamptz)"];
    assert_eq!(p.kind, FunctionKind::Procedure);
    assert_eq!(p.returns, None);
    assert_eq!(p.language, "plpgsql");
    assert_eq!(
        p.body,
        "\nBEGIN DELETE FROM orders WHERE placed_at < before; COMMIT; END "
    );
}

#[test]
fn aggregates_keep_their_definition() {
    let realm = pg_realm(
        "CREATE AGGREGATE my_sum(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');",
    );
    let agg = &realm.schemas["public"].functions["my_sum(integer)"];
    assert_eq!(agg.kind, FunctionKind::Aggregate);
    assert!(agg.body.contains("SFUNC = int4pl"), "{}", agg.body);
}

#[test]
fn functions_are_altered_and_dropped() {
    let realm = pg_realm(
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT 1';
         ALTER FUNCTION f(int) IMMUTABLE;
         ALTER FUNCTION f(integer) SET search_path = public;
         ALTER FUNCTION f(int) RENAME TO g;
         CREATE FUNCTION h() RETURNS int LANGUAGE sql AS 'SELECT 1';
         CREATE FUNCTION h(x text) RETURNS int LANGUAGE sql AS 'SELECT 1';
         DROP FUNCTION h(text);
         DROP FUNCTION h;
         DROP FUNCTION IF EXISTS h;",
    );
    let functions = &realm.schemas["public"].functions;
    let keys: Vec<&str> = functions.keys().map(String::as_str).collect();
    assert_eq!(keys, ["g(integer)"]);
    assert_eq!(
        functions["g(integer)"].attributes,
        ["IMMUTABLE", "SET search_path = public"]
    );
}

#[test]
fn dropping_an_ambiguous_function_name_is_an_error() {
    let error = pg_error(
        "CREATE FUNCTION h() RETURNS int LANGUAGE sql AS 'SELECT 1';
         CREATE FUNCTION h(x text) RETURNS int LANGUAGE sql AS 'SELECT 1';
         DROP FUNCTION h;",
    );
    assert!(
        error
            .to_string()
            .contains("function name \"public.h\" is not unique"),
        "{error}"
    );
}

#[test]
fn drop_aggregate_and_routine_are_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE AGGREGATE my_sum(integer) (SFUNC = int4pl, STYPE = integer);
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
         DROP AGGREGATE my_sum(integer);
         DROP ROUTINE f();",
    );
    assert!(realm.schemas["public"].functions.is_empty());
}

#[test]
fn mysql_routines_keep_bodies_and_characteristics() {
    let realm = load(
        Dialect::Mysql,
        "CREATE DEFINER=`root`@`localhost` FUNCTION `get_customer_balance`(p_customer_id INT, p_effective_date DATETIME) RETURNS decimal(5,2)
    READS SQL DATA
    DETERMINISTIC
BEGIN
  DECLARE v_rentfees DECIMAL(5,2);
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_rentfees = 0;
  RETURN v_rentfees;
END;
CREATE PROCEDURE film_in_stock(IN p_film_id INT, OUT p_film_count INT)
COMMENT 'counts films'
BEGIN
  SELECT COUNT(*) INTO p_film_count FROM inventory WHERE film_id = p_film_id;
END;",
    )
    .realm;
    let functions = &realm.schemas[""].functions;
    let keys: Vec<&str> = functions.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "film_in_stock(integer)",
            "get_customer_balance(integer, datetime)"
        ]
    );
    let f = &functions["get_customer_balance(integer, datetime)"];
    assert_eq!(f.returns.as_deref(), Some("numeric(5,2)"));
    assert_eq!(f.attributes, ["DETERMINISTIC", "READS SQL DATA"]);
    assert_eq!(f.language, "sql");
    assert!(
        f.body.starts_with("BEGIN\n  DECLARE v_rentfees"),
        "{}",
        f.body
    );
    assert!(f.body.ends_with("RETURN v_rentfees;\nEND"), "{}", f.body);
    let p = &functions["film_in_stock(integer)"];
    assert_eq!(p.kind, FunctionKind::Procedure);
    assert_eq!(p.comment.as_deref(), Some("counts films"));
    assert_eq!(p.arguments[1].mode, ArgumentMode::Out);
}

// ----- triggers -----

#[test]
fn postgres_triggers() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE TABLE app.users (id int, email text, name text, deleted_at timestamp);
         CREATE TABLE app.teams (id int);
         CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         SET search_path = app;
         CREATE TRIGGER users_touch BEFORE UPDATE OF email, name OR INSERT ON users
           FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION touch();
         CREATE CONSTRAINT TRIGGER users_check AFTER INSERT ON users FROM teams
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE PROCEDURE app.touch();
         CREATE TRIGGER users_stmt AFTER DELETE ON users REFERENCING OLD TABLE AS oldtab
           FOR EACH STATEMENT EXECUTE FUNCTION app.touch();",
    );
    let triggers = &realm.schemas["app"].tables["users"].triggers;
    let touch = &triggers["users_touch"];
    assert_eq!(touch.timing, TriggerTiming::Before);
    assert_eq!(
        touch.events,
        [
            TriggerEvent::Insert,
            TriggerEvent::Update {
                columns: vec!["email".into(), "name".into()]
            }
        ]
    );
    assert!(touch.for_each_row);
    assert_eq!(touch.when.as_deref(), Some("new.deleted_at IS NULL"));
    assert_eq!(
        touch.action,
        TriggerAction::Function {
            function: qn("app", "touch"),
            arguments: vec![]
        }
    );
    let check = &triggers["users_check"];
    assert!(check.constraint);
    assert_eq!(check.deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(check.from, Some(qn("app", "teams")));
    let stmt = &triggers["users_stmt"];
    assert!(!stmt.for_each_row);
    assert_eq!(stmt.old_table.as_deref(), Some("oldtab"));
}

#[test]
fn trigger_arguments_are_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f('it''s', 42, x);",
    );
    assert_eq!(
        realm.schemas["public"].tables["t"].triggers["tr"].action,
        TriggerAction::Function {
            function: qn("public", "f"),
            arguments: vec!["it's".into(), "42".into(), "x".into()]
        }
    );
}

#[test]
fn triggers_are_renamed_and_dropped() {
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER a AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
         CREATE TRIGGER b AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
         ALTER TRIGGER a ON t RENAME TO c;
         DROP TRIGGER b ON t;
         DROP TRIGGER IF EXISTS b ON t;",
    );
    let names: Vec<&str> = realm.schemas["public"].tables["t"]
        .triggers
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["c"]);
}

#[test]
fn instead_of_triggers_live_on_views() {
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE VIEW v AS SELECT id FROM t;
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();",
    );
    let trigger = &realm.schemas["public"].views["v"].triggers["v_ins"];
    assert_eq!(trigger.timing, TriggerTiming::InsteadOf);
}

#[test]
fn mysql_triggers_keep_their_body_as_written() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE film (id int, title varchar(255));
CREATE DEFINER=`root`@`localhost` TRIGGER `ins_film` AFTER INSERT ON `film` FOR EACH ROW BEGIN
    INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title);
  END;
CREATE TRIGGER upd BEFORE UPDATE ON film FOR EACH ROW SET NEW.title = UPPER(NEW.title);
DROP TRIGGER IF EXISTS nothing;
DROP TRIGGER upd;",
    )
    .realm;
    let triggers = &realm.schemas[""].tables["film"].triggers;
    assert_eq!(triggers.keys().collect::<Vec<_>>(), ["ins_film"]);
    let t = &triggers["ins_film"];
    assert_eq!(t.timing, TriggerTiming::After);
    assert_eq!(t.events, [TriggerEvent::Insert]);
    assert!(t.for_each_row);
    assert_eq!(
        t.action,
        TriggerAction::Body(
            "BEGIN\n    INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title);\n  END"
                .into()
        )
    );
}

#[test]
fn sqlite_triggers_keep_their_body_and_if_not_exists() {
    let loaded = load(
        Dialect::Sqlite,
        "CREATE TABLE t (id INTEGER, n INTEGER);
CREATE TRIGGER IF NOT EXISTS t_ins AFTER INSERT ON t WHEN new.n > 0 BEGIN
  UPDATE t SET n = n + 1 WHERE id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS t_ins AFTER INSERT ON t BEGIN SELECT 1; END;",
    );
    let t = &loaded.realm.schemas["main"].tables["t"].triggers["t_ins"];
    assert!(t.for_each_row);
    assert_eq!(t.when.as_deref(), Some("new.n > 0"));
    assert_eq!(
        t.action,
        TriggerAction::Body("BEGIN\n  UPDATE t SET n = n + 1 WHERE id = new.id;\nEND".into())
    );
    assert_eq!(
        warnings(&loaded),
        ["trigger \"t_ins\" already exists, skipping"]
    );
}

// ----- policies -----

#[test]
fn policies_default_to_public_and_are_altered_and_dropped() {
    let realm = pg_realm(
        "CREATE TABLE users (id int, deleted_at timestamp);
         CREATE POLICY users_self ON users AS PERMISSIVE FOR SELECT TO App_User USING (id = 1);
         CREATE POLICY users_admin ON users AS RESTRICTIVE USING (true) WITH CHECK (deleted_at IS NULL);
         CREATE POLICY gone ON users;
         ALTER POLICY users_self ON users TO app_user, \"Admin\";
         ALTER POLICY users_admin ON users RENAME TO admins;
         DROP POLICY gone ON users;
         DROP POLICY IF EXISTS gone ON users;",
    );
    let policies = &realm.schemas["public"].tables["users"].policies;
    let names: Vec<&str> = policies.keys().map(String::as_str).collect();
    assert_eq!(names, ["admins", "users_self"]);
    let admins = &policies["admins"];
    assert!(!admins.permissive);
    assert_eq!(admins.command, PolicyCommand::All);
    assert_eq!(admins.roles, ["public"]);
    assert_eq!(admins.with_check.as_deref(), Some("deleted_at IS NULL"));
    let selfp = &policies["users_self"];
    assert_eq!(selfp.command, PolicyCommand::Select);
    assert_eq!(selfp.roles, ["Admin", "app_user"]);
    assert_eq!(selfp.using.as_deref(), Some("id = 1"));
}

// ----- comments -----

#[test]
fn comments_land_on_their_objects() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         COMMENT ON SCHEMA app IS 'application schema';
         CREATE EXTENSION hstore;
         COMMENT ON EXTENSION hstore IS 'it''s hstore';
         CREATE TABLE app.users (id int CONSTRAINT users_pkey PRIMARY KEY, email text CONSTRAINT ck CHECK (email <> ''));
         COMMENT ON TABLE app.users IS 'Registered users';
         COMMENT ON COLUMN app.users.email IS 'Login';
         CREATE VIEW app.v AS SELECT id FROM app.users;
         COMMENT ON VIEW app.v IS 'a view';
         COMMENT ON COLUMN app.v.id IS 'the id';
         CREATE SEQUENCE app.s;
         COMMENT ON SEQUENCE app.s IS 'seq';
         CREATE TYPE app.mood AS ENUM ('a');
         COMMENT ON TYPE app.mood IS 'mood';
         CREATE DOMAIN app.d AS int CONSTRAINT d_pos CHECK (VALUE > 0);
         COMMENT ON DOMAIN app.d IS 'dom';
         COMMENT ON CONSTRAINT d_pos ON DOMAIN app.d IS 'positive';
         CREATE INDEX users_email ON app.users (email);
         COMMENT ON INDEX app.users_email IS 'idx';
         COMMENT ON CONSTRAINT users_pkey ON app.users IS 'pk';
         COMMENT ON CONSTRAINT ck ON app.users IS 'check';
         CREATE FUNCTION app.f(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT 1';
         COMMENT ON FUNCTION app.f(integer, text) IS 'fn';
         CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER tr AFTER INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.trg();
         COMMENT ON TRIGGER tr ON app.users IS 'trig';
         CREATE POLICY p ON app.users USING (true);
         COMMENT ON POLICY p ON app.users IS 'pol';
         CREATE COLLATION app.c FROM \"C\";
         COMMENT ON COLLATION app.c IS 'coll';",
    );
    let app = &realm.schemas["app"];
    assert_eq!(app.comment.as_deref(), Some("application schema"));
    assert_eq!(
        realm.extensions["hstore"].comment.as_deref(),
        Some("it's hstore")
    );
    let users = &app.tables["users"];
    assert_eq!(users.comment.as_deref(), Some("Registered users"));
    assert_eq!(
        users.column("email").and_then(|c| c.comment.as_deref()),
        Some("Login")
    );
    assert_eq!(users.indexes["users_email"].comment.as_deref(), Some("idx"));
    assert_eq!(
        users
            .primary_key
            .as_ref()
            .and_then(|p| p.comment.as_deref()),
        Some("pk")
    );
    assert_eq!(users.checks["ck"].comment.as_deref(), Some("check"));
    assert_eq!(users.triggers["tr"].comment.as_deref(), Some("trig"));
    assert_eq!(users.policies["p"].comment.as_deref(), Some("pol"));
    assert_eq!(app.views["v"].comment.as_deref(), Some("a view"));
    assert_eq!(app.views["v"].column_comments["id"], "the id");
    assert_eq!(app.sequences["s"].comment.as_deref(), Some("seq"));
    assert_eq!(app.types["mood"].comment.as_deref(), Some("mood"));
    assert_eq!(app.types["d"].comment.as_deref(), Some("dom"));
    let TypeKind::Domain(d) = &app.types["d"].kind else {
        panic!("not a domain");
    };
    assert_eq!(d.checks["d_pos"].comment.as_deref(), Some("positive"));
    assert_eq!(
        app.functions["f(integer, text)"].comment.as_deref(),
        Some("fn")
    );
    assert_eq!(app.collations["c"].comment.as_deref(), Some("coll"));
}

#[test]
fn comment_is_null_and_empty_remove_the_comment() {
    let realm = pg_realm(
        "CREATE TABLE t (a int);
         COMMENT ON TABLE t IS 'x';
         COMMENT ON TABLE t IS NULL;
         COMMENT ON COLUMN t.a IS 'y';
         COMMENT ON COLUMN t.a IS '';",
    );
    let t = &realm.schemas["public"].tables["t"];
    assert_eq!(t.comment, None);
    assert_eq!(t.column("a").and_then(|c| c.comment.clone()), None);
}

#[test]
fn comment_on_a_missing_object_names_it() {
    let error = pg_error("COMMENT ON SEQUENCE s IS 'x';");
    assert_eq!(
        error.to_string(),
        "test.sql:1:1: sequence \"public.s\" does not exist"
    );
}

#[test]
fn comment_on_a_mysql_column_comment_matches_inline() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'x'; COMMENT ON TABLE t IS 'y';",
        "CREATE TABLE t (a int); COMMENT ON COLUMN public.t.a IS 'x'; COMMENT ON TABLE public.t IS 'y';",
    );
}

// ----- privileges -----

#[test]
fn grant_all_equals_the_expanded_list() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a int); CREATE SEQUENCE s; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE SCHEMA x;
         GRANT ALL ON t TO app; GRANT ALL PRIVILEGES ON SEQUENCE s TO app; GRANT ALL ON FUNCTION f() TO app; GRANT ALL ON SCHEMA x TO app;",
        "CREATE TABLE t (a int); CREATE SEQUENCE s; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE SCHEMA x;
         GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE t TO app;
         GRANT USAGE, SELECT, UPDATE ON SEQUENCE s TO app;
         GRANT EXECUTE ON FUNCTION f() TO app;
         GRANT USAGE, CREATE ON SCHEMA x TO app;",
    );
}

#[test]
fn grants_and_revokes() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE TABLE app.users (id int, name text);
         CREATE TABLE app.teams (id int, name text);
         GRANT USAGE ON SCHEMA app TO App_User;
         GRANT SELECT, INSERT ON app.users TO app_user WITH GRANT OPTION;
         GRANT SELECT, INSERT ON app.users TO public;
         REVOKE GRANT OPTION FOR INSERT ON app.users FROM app_user;
         REVOKE SELECT ON app.users FROM PUBLIC;
         GRANT SELECT (id, name), UPDATE (name) ON app.teams TO app_user;
         REVOKE ALL ON SCHEMA public FROM PUBLIC;
         CREATE FUNCTION app.add(a integer, b integer) RETURNS int LANGUAGE sql AS 'SELECT 1';
         REVOKE ALL ON FUNCTION app.add(integer, integer) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION app.add(a integer, b integer) TO app_user;",
    );
    let app = &realm.schemas["app"];
    assert_eq!(app.privileges, [privilege("app_user", "USAGE")]);
    assert_eq!(
        app.tables["users"].privileges,
        [
            privilege("PUBLIC", "INSERT"),
            Privilege {
                grantable: true,
                ..privilege("app_user", "SELECT")
            },
            privilege("app_user", "INSERT"),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let teams = &app.tables["teams"];
    assert!(teams.privileges.is_empty());
    assert_eq!(
        teams.column("name").map(|c| c.privileges.clone()),
        Some(vec![
            privilege("app_user", "SELECT"),
            privilege("app_user", "UPDATE")
        ])
    );
    assert_eq!(
        app.functions["add(integer, integer)"].privileges,
        [privilege("app_user", "EXECUTE")]
    );
}

#[test]
fn grant_on_all_tables_in_schema() {
    let realm = pg_realm(
        "CREATE TABLE a (x int); CREATE TABLE b (x int); CREATE VIEW v AS SELECT 1;
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO r;
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO r;",
    );
    let public = &realm.schemas["public"];
    assert_eq!(public.tables["a"].privileges, [privilege("r", "SELECT")]);
    assert_eq!(public.tables["b"].privileges, [privilege("r", "SELECT")]);
    assert_eq!(public.views["v"].privileges, [privilege("r", "SELECT")]);
}

#[test]
fn grant_on_type_is_read_by_the_fallback() {
    let realm = pg_realm(
        "CREATE TYPE mood AS ENUM ('a'); CREATE DOMAIN d AS int;
         GRANT USAGE ON TYPE mood TO r;
         GRANT ALL ON DOMAIN d TO r;
         REVOKE ALL ON TYPE mood FROM r;",
    );
    let types = &realm.schemas["public"].types;
    assert!(types["mood"].privileges.is_empty());
    assert_eq!(types["d"].privileges, [privilege("r", "USAGE")]);
}

#[test]
fn invalid_privilege_for_the_object_is_an_error() {
    let error = pg_error("CREATE SEQUENCE s; GRANT EXECUTE ON SEQUENCE s TO r;");
    assert!(
        error.to_string().contains("invalid privilege type EXECUTE"),
        "{error}"
    );
}

#[test]
fn default_privileges_are_recorded_and_applied_to_new_objects() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO app_user;
         ALTER DEFAULT PRIVILEGES FOR ROLE admin GRANT ALL ON SEQUENCES TO app_user;
         ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
         CREATE VIEW app.v AS SELECT 1;
         CREATE SEQUENCE app.s;",
    );
    let entries: Vec<(Option<&str>, Option<&str>, &str, &str)> = realm
        .default_privileges
        .iter()
        .map(|d| {
            (
                d.for_role.as_deref(),
                d.schema.as_deref(),
                d.object_kind.as_str(),
                d.privilege.privilege.as_str(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (None, Some("app"), "TABLES", "SELECT"),
            (Some("admin"), None, "SEQUENCES", "SELECT"),
            (Some("admin"), None, "SEQUENCES", "UPDATE"),
            (Some("admin"), None, "SEQUENCES", "USAGE"),
        ]
    );
    let app = &realm.schemas["app"];
    assert_eq!(app.views["v"].privileges, [privilege("app_user", "SELECT")]);
    assert_eq!(app.sequences["s"].privileges.len(), 3);
}

#[test]
fn mysql_grants_and_roles_are_ignored() {
    let loaded = load(
        Dialect::Mysql,
        "GRANT SELECT ON shop.* TO 'u'@'localhost'; CREATE USER 'u'@'%';",
    );
    assert_eq!(
        warnings(&loaded),
        [
            "MySQL privileges belong to accounts, not to schema objects",
            "roles are cluster-wide, not part of a schema",
        ]
    );
    let loaded =
        pg("CREATE ROLE app NOLOGIN; GRANT app TO other; ALTER ROLE app SET search_path = x;");
    assert_eq!(warnings(&loaded).len(), 3);
    assert!(
        warnings(&loaded)
            .iter()
            .all(|w| w == "roles are cluster-wide, not part of a schema")
    );
}

// ----- session statements and search_path -----

#[test]
fn set_search_path_changes_where_names_go() {
    let realm = pg_realm(
        "CREATE SCHEMA a; CREATE SCHEMA b;
         SET search_path TO b, a;
         CREATE SEQUENCE s1;
         SET search_path = \"$user\", A;
         CREATE SEQUENCE s2;
         SELECT pg_catalog.set_config('search_path', 'b, public', false);
         CREATE SEQUENCE s3;",
    );
    assert!(realm.schemas["b"].sequences.contains_key("s1"));
    assert!(realm.schemas["a"].sequences.contains_key("s2"));
    assert!(realm.schemas["b"].sequences.contains_key("s3"));
}

#[test]
fn search_path_resolves_existing_objects() {
    let realm = pg_realm(
        "CREATE SCHEMA a;
         CREATE SEQUENCE a.s;
         SET search_path = public, a;
         COMMENT ON SEQUENCE s IS 'found in a';",
    );
    assert_eq!(
        realm.schemas["a"].sequences["s"].comment.as_deref(),
        Some("found in a")
    );
}

#[test]
fn empty_search_path_names_no_schema() {
    let loaded = pg(
        "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE SCHEMA x;\nCREATE SEQUENCE x.s;",
    );
    assert!(loaded.realm.schemas["x"].sequences.contains_key("s"));
    assert_eq!(
        warnings(&loaded),
        ["SELECT set_config('search_path', ...) sets the session's search path"]
    );
}

#[test]
fn session_and_data_statements_are_ignored_with_reasons() {
    let loaded = pg("SET statement_timeout = 0;
         SET client_encoding = 'UTF8';
         RESET ALL;
         BEGIN;
         SAVEPOINT a;
         COMMIT;
         CREATE TABLE t (a int);
         INSERT INTO t VALUES (1);
         UPDATE t SET a = 2;
         DELETE FROM t;
         TRUNCATE t;
         ANALYZE t;
         LOCK TABLE t;
         DO $$ BEGIN PERFORM 1; END $$;");
    assert_eq!(
        warnings(&loaded),
        [
            "SET statement_timeout changes the session, not the schema",
            "SET client_encoding changes the session, not the schema",
            "RESET changes only the session",
            "transaction control",
            "transaction control",
            "transaction control",
            "data, not schema",
            "data, not schema",
            "data, not schema",
            "data, not schema",
            "maintenance, not schema",
            "locks last only for the session",
            "DO blocks run code; their effects are not replayed",
        ]
    );
}

#[test]
fn mysql_session_statements_are_ignored() {
    let loaded = load(
        Dialect::Mysql,
        "/*!40101 SET NAMES utf8mb4 */;
SET FOREIGN_KEY_CHECKS=0;
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
LOCK TABLES t WRITE;
UNLOCK TABLES;",
    );
    assert_eq!(
        warnings(&loaded),
        [
            "SET NAMES changes the connection's character set",
            "SET FOREIGN_KEY_CHECKS changes the session, not the schema",
            "SET @OLD_CHARACTER_SET_CLIENT changes the session, not the schema",
            "locks last only for the session",
            "locks last only for the session",
        ]
    );
}

#[test]
fn sqlite_pragmas_are_ignored() {
    let loaded = load(
        Dialect::Sqlite,
        "PRAGMA foreign_keys=OFF;\nPRAGMA journal_mode = WAL;",
    );
    assert_eq!(
        warnings(&loaded),
        [
            "PRAGMA foreign_keys changes the connection, not the schema",
            "PRAGMA journal_mode changes the connection, not the schema",
        ]
    );
}

#[test]
fn unsupported_statements_are_errors_that_name_them() {
    let error = pg_error("CREATE SEQUENCE s;\n  DROP STAGE st;");
    let LoadError::Unsupported { location, what } = &error else {
        panic!("not an unsupported-statement error: {error}");
    };
    assert_eq!((location.line, location.column), (2, 3));
    assert_eq!(what, "DROP STAGE");
    assert_eq!(
        error.to_string(),
        "test.sql:2:3: unsupported statement: DROP STAGE"
    );
}

// ----- kinds kept whole -----

#[test]
fn opaque_objects_are_created_altered_and_dropped() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE TABLE app.users (first_name text, last_name text);
         CREATE TYPE app.mood AS ENUM ('a');
         CREATE FUNCTION app.text_to_mood(text) RETURNS app.mood LANGUAGE sql IMMUTABLE AS $$ SELECT $1::app.mood $$;
         CREATE CAST (text AS app.mood) WITH FUNCTION app.text_to_mood(text) AS ASSIGNMENT;
         CREATE OPERATOR app.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
         CREATE STATISTICS app.users_stats (dependencies) ON first_name, last_name FROM app.users;
         CREATE PUBLICATION app_pub WITH (publish = 'insert');
         ALTER PUBLICATION app_pub ADD TABLE ONLY app.users;
         CREATE TEXT SEARCH CONFIGURATION app.english_simple (PARSER = pg_catalog.\"default\");
         ALTER TEXT SEARCH CONFIGURATION app.english_simple
             ADD MAPPING FOR asciiword WITH english_stem;
         CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION app.f();
         DROP EVENT TRIGGER audit_ddl;
         CREATE RULE r AS ON DELETE TO app.users DO INSTEAD NOTHING;
         CREATE FOREIGN DATA WRAPPER w;
         CREATE SERVER srv FOREIGN DATA WRAPPER w OPTIONS (host 'localhost');",
    );
    let app = &realm.schemas["app"].other_objects;
    let keys: Vec<&str> = app.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "operator app.===(integer,integer)",
            "rule r ON app.users",
            "statistics app.users_stats",
            "text search configuration app.english_simple",
        ]
    );
    assert_eq!(
        app["text search configuration app.english_simple"].definition,
        [
            "CREATE TEXT SEARCH CONFIGURATION app.english_simple (PARSER = pg_catalog.\"default\");",
            "ALTER TEXT SEARCH CONFIGURATION app.english_simple ADD MAPPING FOR asciiword WITH english_stem;",
        ]
    );
    let public = &realm.schemas["public"].other_objects;
    let keys: Vec<&str> = public.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "cast (text AS app.mood)",
            "foreign data wrapper w",
            "publication app_pub",
            "server srv",
        ]
    );
    // pg_dump's CREATE and ALTER ... ADD TABLE, as one statement of what is published.
    assert_eq!(
        public["publication app_pub"].definition,
        ["CREATE PUBLICATION app_pub FOR TABLE app.users WITH (publish = 'insert');"]
    );
    assert_eq!(
        public["cast (text AS app.mood)"].definition,
        ["CREATE CAST (text AS app.mood) WITH FUNCTION app.text_to_mood(text) AS ASSIGNMENT;"]
    );
    assert_eq!(
        public["server srv"].definition,
        ["CREATE SERVER srv FOREIGN DATA WRAPPER w OPTIONS (host 'localhost');"]
    );
}

#[test]
fn opaque_definitions_ignore_layout() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE c (k int); CREATE RULE cache_no_delete AS ON DELETE TO c DO INSTEAD NOTHING;",
        "CREATE TABLE c (k int); CREATE RULE cache_no_delete AS\n    ON DELETE TO c DO INSTEAD NOTHING;",
    );
}

#[test]
fn mysql_events_are_events_not_opaque_objects() {
    let realm = load(
        Dialect::Mysql,
        "CREATE DEFINER=`root`@`%` EVENT IF NOT EXISTS cleanup ON SCHEDULE EVERY 1 DAY DO DELETE FROM logs WHERE at < NOW();",
    )
    .realm;
    let schema = &realm.schemas[""];
    assert!(schema.other_objects.is_empty());
    let keys: Vec<&str> = schema.events.keys().map(String::as_str).collect();
    assert_eq!(keys, ["cleanup"]);
}

// ----- the two spellings of the pg-features schema -----

#[test]
fn foreign_key_set_null_column_lists() {
    let realm = pg_realm(
        "CREATE TABLE teams (id int PRIMARY KEY, org int, UNIQUE (id, org));
         CREATE TABLE m (team int, org int,
             FOREIGN KEY (team, org) REFERENCES teams (id, org) ON DELETE SET NULL (team));
         ALTER TABLE ONLY m ADD CONSTRAINT m_team_fk FOREIGN KEY (team) REFERENCES teams(id)
             ON UPDATE RESTRICT ON DELETE SET DEFAULT (\"team\") DEFERRABLE;",
    );
    let m = &realm.schemas["public"].tables["m"];
    let inline = &m.foreign_keys["m_team_org_fkey"];
    assert_eq!(inline.on_delete, ReferentialAction::SetNull);
    assert_eq!(inline.on_delete_columns, ["team"]);
    let added = &m.foreign_keys["m_team_fk"];
    assert_eq!(added.on_delete, ReferentialAction::SetDefault);
    assert_eq!(added.on_update, ReferentialAction::Restrict);
    assert_eq!(added.on_delete_columns, ["team"]);
}

#[test]
fn pg_features_schema_and_dump_load() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/pg-features");
    let root = if root.exists() {
        root
    } else {
        std::path::PathBuf::from("/work/shared/corpus/pg-features")
    };
    for file in ["schema.sql", "pg_dump.sql"] {
        let path = root.join(file);
        let Ok(sql) = std::fs::read_to_string(&path) else {
            // The corpus is not part of the repository; nothing to check without it.
            return;
        };
        if let Err(error) = load_sql(&sql, file, &LoadOptions::new(Dialect::Postgres)) {
            panic!("{file}: {error}");
        }
    }
}

#[test]
fn column_planner_options_and_mysql_disable_keys_are_ignored() {
    let loaded = pg("CREATE TABLE s (g int);
         ALTER TABLE ONLY s ALTER COLUMN g SET (n_distinct=-0.02);
         ALTER TABLE s ALTER COLUMN g RESET (n_distinct);");
    assert_eq!(
        warnings(&loaded),
        [
            "column attribute options (n_distinct, ...) tune the planner, not the schema",
            "column attribute options (n_distinct, ...) tune the planner, not the schema",
        ]
    );
    let loaded = load(
        Dialect::Mysql,
        "CREATE TABLE `settings` (k varchar(10));
/*!40000 ALTER TABLE `settings` DISABLE KEYS */;
/*!40000 ALTER TABLE `settings` ENABLE KEYS */;",
    );
    assert_eq!(
        warnings(&loaded),
        [
            "DISABLE/ENABLE KEYS pauses index maintenance during a load",
            "DISABLE/ENABLE KEYS pauses index maintenance during a load",
        ]
    );
}

#[test]
fn a_composite_star_of_a_row_function_is_expanded_as_the_server_does() {
    let realm = pg_realm(
        "CREATE TABLE editor (id int);
         CREATE FUNCTION sanitize_editor(editor) RETURNS editor LANGUAGE sql AS 'SELECT $1';
         CREATE OR REPLACE VIEW editor_sanitized AS
             SELECT (sanitize_editor(editor)).*
             FROM editor;",
    );
    assert_eq!(
        realm.schemas["public"].views["editor_sanitized"].definition,
        "SELECT (sanitize_editor(editor.*)).id AS id FROM public.editor"
    );
}

#[test]
fn mysql_create_user_is_ignored() {
    let loaded = load(Dialect::Mysql, "CREATE USER 'u'@'%' IDENTIFIED BY 'x';");
    assert_eq!(
        warnings(&loaded),
        ["roles are cluster-wide, not part of a schema"]
    );
}

#[test]
fn search_path_strings_follow_postgres_list_syntax() {
    let realm = pg_realm(
        "CREATE SCHEMA \"My, Schema\"; CREATE SCHEMA b;
         SELECT pg_catalog.set_config('search_path', '\"$user\", \"My, Schema\" , B', false);
         CREATE SEQUENCE s1;
         SET search_path TO 'b';
         CREATE SEQUENCE s2;",
    );
    assert!(realm.schemas["My, Schema"].sequences.contains_key("s1"));
    assert!(realm.schemas["b"].sequences.contains_key("s2"));
}

#[test]
fn operators_written_together_stay_together_in_definitions() {
    let realm =
        pg_realm("CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);");
    let op = &realm.schemas["public"].other_objects["operator public.===(integer,integer)"];
    assert_eq!(
        op.definition,
        // pg_dump's form: qualified, the options in the catalog's order.
        ["CREATE OPERATOR public.=== (FUNCTION = int4eq, LEFTARG = integer, RIGHTARG = integer);"]
    );
}

#[test]
fn sequences_move_between_schemas() {
    let realm =
        pg_realm("CREATE SCHEMA other; CREATE SEQUENCE s; ALTER SEQUENCE s SET SCHEMA other;");
    assert!(realm.schemas["public"].sequences.is_empty());
    assert!(realm.schemas["other"].sequences.contains_key("s"));
}

#[test]
fn opaque_objects_take_comments_renames_and_drops() {
    let realm = pg_realm(
        "CREATE TABLE c (k int);
         CREATE RULE r AS ON DELETE TO c DO INSTEAD NOTHING;
         COMMENT ON RULE r ON c IS 'no deletes';
         CREATE PUBLICATION p;
         COMMENT ON PUBLICATION p IS 'pub';
         ALTER PUBLICATION p RENAME TO q;
         CREATE CAST (text AS integer) WITH INOUT;
         DROP CAST (text AS integer);
         CREATE STATISTICS st ON k, k FROM c;
         DROP STATISTICS IF EXISTS st, nothing;",
    );
    let objects = &realm.schemas["public"].other_objects;
    let keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    assert_eq!(keys, ["publication q", "rule r ON public.c"]);
    assert_eq!(
        objects["rule r ON public.c"].comment.as_deref(),
        Some("no deletes")
    );
    assert_eq!(objects["publication q"].comment.as_deref(), Some("pub"));
    assert_eq!(
        objects["publication q"].definition,
        ["CREATE PUBLICATION p;", "ALTER PUBLICATION p RENAME TO q;"]
    );
}

#[test]
fn privileges_on_kinds_outside_a_schema_are_ignored() {
    let loaded = pg("GRANT USAGE ON LANGUAGE plpgsql TO r; GRANT USAGE ON FOREIGN SERVER s TO r;");
    assert_eq!(
        warnings(&loaded),
        [
            "privileges on this kind of object are not part of a schema",
            "privileges on this kind of object are not part of a schema",
        ]
    );
}

#[test]
fn unreadable_statements_still_report_the_parse_error() {
    // The readers fall through when unsure: sqlparser's error is reported.
    let error =
        pg_error("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET STATISTICS lots;");
    let LoadError::Parse { location, .. } = &error else {
        panic!("not a parse error: {error}");
    };
    assert_eq!(location.line, 2);
    let error = pg_error("COMMENT ON CONSTRAINT c ON t IS 42;");
    assert!(matches!(error, LoadError::Parse { .. }), "{error}");
}

#[test]
fn snapshot_of_a_mixed_postgres_script() {
    let realm = pg_realm(
        "CREATE SCHEMA app;
         CREATE TYPE app.mood AS ENUM ('sad', 'ok');
         CREATE TABLE app.users (id int, mood app.mood);
         CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER users_touch BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
         CREATE POLICY own ON app.users FOR UPDATE TO app_user USING (id = 1);
         COMMENT ON FUNCTION app.touch() IS 'touches';
         GRANT USAGE ON TYPE app.mood TO app_user;
         CREATE VIEW app.sad_users AS SELECT id FROM app.users WHERE mood = 'sad' WITH LOCAL CHECK OPTION;",
    );
    let mut app = realm.schemas["app"].clone();
    // Tables are the other half of the loader; this snapshot covers what hangs off them.
    for table in app.tables.values_mut() {
        table.columns.clear();
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&app).unwrap_or_default());
}

#[test]
fn sqlite_virtual_tables_are_kept_whole() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(body);
CREATE VIRTUAL TABLE plain USING fts4(content);",
    )
    .realm;
    let objects = &realm.schemas["main"].other_objects;
    let keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["virtual table main.docs", "virtual table main.plain"]
    );
    assert_eq!(
        objects["virtual table main.docs"].definition,
        ["CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'porter unicode61');"]
    );
}

/// SQLite's `sqlite_schema.sql` for it reads `CREATE VIRTUAL TABLE docs USING ...`.
#[test]
fn sqlite_virtual_table_definitions_leave_if_not_exists_out() {
    let realm = load(
        Dialect::Sqlite,
        "create virtual table if not exists docs using fts5(body);",
    )
    .realm;
    assert_eq!(
        realm.schemas["main"].other_objects["virtual table main.docs"].definition,
        ["CREATE VIRTUAL TABLE docs using fts5(body);"]
    );
}

#[test]
fn mysqldump_versioned_comment_triggers_are_read() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE t (id int, n int);
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1 */;",
    )
    .realm;
    let trigger = &realm.schemas[""].tables["t"].triggers["t_bi"];
    assert_eq!(trigger.action, TriggerAction::Body("SET NEW.n = 1".into()));
}

#[test]
fn view_spellings_with_pg_dump_parentheses_are_equal() {
    // pg_dump's spelling of user_team_counts in the pg-features schema.
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE users (id int); CREATE TABLE memberships (user_id int, team_id int);
         CREATE VIEW user_team_counts WITH (security_barrier = true) AS
           SELECT u.id, count(m.team_id) AS teams
           FROM users u LEFT JOIN memberships m ON m.user_id = u.id
           GROUP BY u.id;",
        "CREATE TABLE users (id int); CREATE TABLE memberships (user_id int, team_id int);
         CREATE VIEW public.user_team_counts WITH (security_barrier='true') AS
          SELECT u.id,
             count(m.team_id) AS teams
            FROM (public.users u
              LEFT JOIN public.memberships m ON ((m.user_id = u.id)))
           GROUP BY u.id;",
    );
}

#[test]
fn begin_atomic_bodies_are_kept_parsed() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE users (deleted_at timestamp);
         CREATE FUNCTION active_count() RETURNS bigint LANGUAGE sql STABLE
         BEGIN ATOMIC
           SELECT count(*) FROM users WHERE deleted_at IS NULL;
         END;",
        "CREATE TABLE users (deleted_at timestamp);
         CREATE FUNCTION public.active_count() RETURNS bigint
             LANGUAGE sql STABLE
             BEGIN ATOMIC
          SELECT count(*)
             FROM users
            WHERE (deleted_at IS NULL);
         END;",
    );
}

// ----- round-trip regressions -----

#[test]
fn function_set_values_keep_their_case_and_quoted_spellings_are_equal() {
    let realm = pg_realm(
        "CREATE FUNCTION f() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql
           SET timezone = 'UTC' SET statement_timeout = '30s' SET search_path = public;",
    );
    let function = &realm.schemas["public"].functions["f()"];
    assert_eq!(
        function.attributes,
        [
            "SET search_path = public",
            "SET statement_timeout = 30s",
            "SET timezone = UTC"
        ]
    );
    // What the renderer writes back reads the same.
    assert_same(
        Dialect::Postgres,
        "CREATE FUNCTION f() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql
           SET timezone = 'UTC' SET statement_timeout = '30s' SET search_path = public;",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql
           SET search_path = 'public' SET statement_timeout = '30s' SET timezone = 'UTC'
           AS $$ BEGIN END; $$;",
    );
}

#[test]
fn views_created_before_their_tables_read_like_views_created_after() {
    assert_same(
        Dialect::Postgres,
        "CREATE VIEW v AS SELECT id FROM Users WHERE id > 0;
         CREATE TABLE users (id int PRIMARY KEY);",
        "CREATE TABLE public.users (id int PRIMARY KEY);
         CREATE VIEW public.v AS SELECT id FROM public.users WHERE id > 0;",
    );
    let realm = pg_realm(
        "CREATE VIEW v AS
           WITH w AS (SELECT 1 AS x)
           SELECT x, n FROM w, generate_series(1, 3) AS n, (WITH z AS (SELECT 2) SELECT * FROM z) AS q;",
    );
    let definition = &realm.schemas["public"].views["v"].definition;
    assert!(
        definition.contains("FROM w, generate_series(1, 3)"),
        "{definition}"
    );
    assert!(definition.contains("FROM z)"), "{definition}");
}

// ----- spellings the live inspector gets from the server -----

#[test]
fn a_parenthesised_leading_join_reads_as_the_flat_join() {
    // pg_get_viewdef prints `FROM (a JOIN b ON ...) LEFT JOIN c ON ...`.
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
         CREATE VIEW v AS SELECT a.id FROM a JOIN b ON b.id = a.id LEFT JOIN c ON c.id = b.id;",
        "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
         CREATE VIEW v AS SELECT a.id FROM ((a JOIN b ON b.id = a.id) LEFT JOIN c ON c.id = b.id);",
    );
}

#[test]
fn argument_defaults_are_constants_of_the_arguments_type() {
    // pg_get_functiondef prints `b text DEFAULT 'q'::text`.
    assert_same(
        Dialect::Postgres,
        "CREATE FUNCTION f(a int, b text DEFAULT 'q', c int DEFAULT 1) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
        "CREATE FUNCTION f(a int, b text DEFAULT 'q'::text, c int DEFAULT 1) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
    );
    let realm =
        pg_realm("CREATE PROCEDURE p(x varchar DEFAULT 'v') LANGUAGE sql AS $$ SELECT 1 $$;");
    let procedure = &realm.schemas["public"].functions["p(varchar)"];
    assert_eq!(
        procedure.arguments[0].default.as_deref(),
        Some("'v'::character varying")
    );
}

/// The definition of the only opaque object of that kind in `public` or `app`.
fn opaque_definition(sql: &str, key: &str) -> Vec<String> {
    let realm = pg_realm(sql);
    realm
        .schemas
        .values()
        .find_map(|s| s.other_objects.get(key))
        .unwrap_or_else(|| panic!("no {key}"))
        .definition
        .clone()
}

#[test]
fn aggregate_options_take_the_catalogs_order_and_spelling() {
    let a = pg_realm(
        "CREATE FUNCTION f(integer[], integer) RETURNS integer[] LANGUAGE sql AS $$ SELECT $1 $$;
         CREATE AGGREGATE agg(int4) (initcond = '{}', stype = int4[], sfunc = f,
             parallel = unsafe, finalfunc_modify = read_only);",
    );
    let b = pg_realm(
        "CREATE FUNCTION f(integer[], integer) RETURNS integer[] LANGUAGE sql AS $$ SELECT $1 $$;
         CREATE AGGREGATE public.agg(integer) (SFUNC = public.f, STYPE = integer[], INITCOND = '{}');",
    );
    let body = &a.schemas["public"].functions["agg(integer)"].body;
    // pg_dump: SFUNC, STYPE, INITCOND; the defaults (PARALLEL UNSAFE, READ_ONLY) left out.
    assert_eq!(
        body,
        "(SFUNC = public.f, STYPE = integer[], INITCOND = '{}')"
    );
    assert_eq!(body, &b.schemas["public"].functions["agg(integer)"].body);
}

#[test]
fn operator_options_take_pg_dumps_order() {
    let a = opaque_definition(
        "CREATE OPERATOR <~> (RIGHTARG = int4, LEFTARG = int4, PROCEDURE = int4eq,
             COMMUTATOR = <~>, RESTRICT = eqsel, HASHES, MERGES);",
        "operator public.<~>(integer,integer)",
    );
    let b = opaque_definition(
        "CREATE OPERATOR public.<~> (FUNCTION = pg_catalog.int4eq, LEFTARG = integer,
             RIGHTARG = integer, COMMUTATOR = OPERATOR(public.<~>), MERGES, HASHES, RESTRICT = eqsel);",
        "operator public.<~>(integer,integer)",
    );
    assert_eq!(
        a,
        [
            "CREATE OPERATOR public.<~> (FUNCTION = int4eq, LEFTARG = integer, RIGHTARG = integer, \
          COMMUTATOR = OPERATOR(public.<~>), MERGES, HASHES, RESTRICT = eqsel);"
        ]
    );
    assert_eq!(a, b);
}

#[test]
fn statistics_kinds_take_the_catalogs_order() {
    let sql = "CREATE TABLE t (a int, b int);
               CREATE STATISTICS s1 (mcv, dependencies) ON a, b FROM t;
               CREATE STATISTICS s2 (mcv, ndistinct, dependencies) ON a, b FROM public.t;";
    // pg_get_statisticsobjdef: ndistinct, dependencies, mcv; no list when all three.
    assert_eq!(
        opaque_definition(sql, "statistics public.s1"),
        ["CREATE STATISTICS public.s1 (dependencies, mcv) ON a, b FROM public.t;"]
    );
    assert_eq!(
        opaque_definition(sql, "statistics public.s2"),
        ["CREATE STATISTICS public.s2 ON a, b FROM public.t;"]
    );
}

#[test]
fn text_search_configurations_are_kept_as_their_mappings() {
    let key = "text search configuration public.c";
    assert_eq!(
        opaque_definition("CREATE TEXT SEARCH CONFIGURATION c (COPY = english);", key),
        ["CREATE TEXT SEARCH CONFIGURATION public.c (COPY = pg_catalog.english);"]
    );
    // Mapping simple's token types one by one makes a copy of simple.
    let mut sql = "CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);".to_owned();
    for token in [
        "asciiword",
        "word",
        "numword",
        "email",
        "url",
        "host",
        "sfloat",
        "version",
        "hword_numpart",
        "hword_part",
        "hword_asciipart",
        "numhword",
        "asciihword",
        "hword",
        "url_path",
        "file",
        "float",
        "int",
        "uint",
    ] {
        sql.push_str(&format!(
            "ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR {token} WITH simple;"
        ));
    }
    assert_eq!(
        opaque_definition(&sql, key),
        ["CREATE TEXT SEARCH CONFIGURATION public.c (COPY = pg_catalog.simple);"]
    );
    let altered = opaque_definition(
        "CREATE TEXT SEARCH CONFIGURATION c (COPY = pg_catalog.simple);
         ALTER TEXT SEARCH CONFIGURATION c DROP MAPPING FOR email, url, host, sfloat, version,
             url_path, file, float, int, uint, numword, hword_numpart, numhword, asciihword,
             hword, hword_part, hword_asciipart;
         ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR word WITH english_stem, simple;",
        key,
    );
    assert_eq!(
        altered,
        [
            "CREATE TEXT SEARCH CONFIGURATION public.c (PARSER = pg_catalog.\"default\");",
            "ALTER TEXT SEARCH CONFIGURATION public.c ADD MAPPING FOR asciiword WITH simple;",
            "ALTER TEXT SEARCH CONFIGURATION public.c ADD MAPPING FOR word WITH english_stem, simple;",
        ]
    );
}

#[test]
fn text_search_dictionaries_keep_options_as_the_catalog_does() {
    assert_eq!(
        opaque_definition(
            "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, STOPWORDS = english, Accept = false);",
            "text search dictionary public.d"
        ),
        [
            "CREATE TEXT SEARCH DICTIONARY public.d (TEMPLATE = pg_catalog.simple, \
          stopwords = 'english', accept = 'false');"
        ]
    );
}

#[test]
fn casts_name_their_function_as_the_catalog_resolves_it() {
    assert_eq!(
        opaque_definition(
            "CREATE TYPE mood AS ENUM ('a');
             CREATE FUNCTION to_mood(varchar) RETURNS mood LANGUAGE sql AS $$ SELECT 'a'::mood $$;
             CREATE CAST (varchar AS mood) WITH FUNCTION to_mood(varchar);",
            "cast (varchar AS public.mood)"
        ),
        ["CREATE CAST (varchar AS public.mood) WITH FUNCTION public.to_mood(varchar);"]
    );
}

#[test]
fn publications_are_kept_as_what_they_publish() {
    let sql = "CREATE TABLE t (a int, b int); CREATE TABLE u (a int); CREATE TABLE v (a int);
               CREATE PUBLICATION p FOR TABLE ONLY t (a, b), u WITH (publish = 'update,insert');
               ALTER PUBLICATION p ADD TABLE v;
               ALTER PUBLICATION p DROP TABLE u;
               ALTER PUBLICATION p SET (publish = 'insert, update, delete, truncate');";
    assert_eq!(
        opaque_definition(sql, "publication p"),
        ["CREATE PUBLICATION p FOR TABLE public.t (a, b), public.v;"]
    );
}

#[test]
fn a_table_moved_to_another_schema_takes_its_owned_sequences_and_references_along() {
    let realm = pg_realm(
        "CREATE SCHEMA s;
         CREATE TABLE t (id serial PRIMARY KEY);
         CREATE TABLE r (t_id int REFERENCES t);
         ALTER TABLE t SET SCHEMA s;",
    );
    let moved = &realm.schemas["s"].tables["t"];
    assert!(!realm.schemas["public"].tables.contains_key("t"));
    assert_eq!(
        moved.columns[0].default.as_deref(),
        Some("nextval('s.t_id_seq'::regclass)")
    );
    assert!(realm.schemas["s"].sequences.contains_key("t_id_seq"));
    let fk = &realm.schemas["public"].tables["r"].foreign_keys["r_t_id_fkey"];
    assert_eq!(fk.referenced_table, qn("s", "t"));
    // The server's errors, for the cases it refuses.
    assert!(
        pg_error("CREATE TABLE t (id int); ALTER TABLE t SET SCHEMA nowhere;")
            .to_string()
            .contains("schema \"nowhere\" does not exist")
    );
    let skipped = pg("ALTER TABLE IF EXISTS nope SET SCHEMA public;");
    assert_eq!(
        warnings(&skipped),
        vec!["relation \"public.nope\" does not exist, skipping".to_owned()]
    );
}

#[test]
fn renaming_a_sequence_renames_it_in_the_defaults_that_use_it() {
    let realm = pg_realm("CREATE TABLE u (id bigserial); ALTER SEQUENCE u_id_seq RENAME TO u_seq;");
    assert_eq!(
        realm.schemas["public"].tables["u"].columns[0]
            .default
            .as_deref(),
        Some("nextval('u_seq'::regclass)")
    );
}

#[test]
fn composite_type_attributes_are_added_dropped_changed_and_renamed() {
    let realm = pg_realm(
        "CREATE TYPE pair AS (a int, c text);
         ALTER TYPE pair ADD ATTRIBUTE b text COLLATE \"C\", DROP ATTRIBUTE c;
         ALTER TYPE pair RENAME ATTRIBUTE a TO x;
         ALTER TYPE pair ALTER ATTRIBUTE x SET DATA TYPE bigint CASCADE;",
    );
    let TypeKind::Composite { attributes } = &realm.schemas["public"].types["pair"].kind else {
        panic!("pair is a composite type");
    };
    let read: Vec<(&str, String, Option<&str>)> = attributes
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.data_type.to_string(),
                a.collation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        read,
        vec![
            ("x", "bigint".to_owned(), None),
            ("b", "text".to_owned(), Some("C")),
        ]
    );
    assert!(
        pg_error("CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE zz;")
            .to_string()
            .contains("column \"zz\" of relation \"p\" does not exist")
    );
}

#[test]
fn alter_constraint_changes_foreign_keys_only() {
    let base = "CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE c (p int CONSTRAINT f REFERENCES p, n int CONSTRAINT k CHECK (n > 0));";
    let realm = pg_realm(&format!(
        "{base} ALTER TABLE c ALTER CONSTRAINT f DEFERRABLE INITIALLY DEFERRED;"
    ));
    assert_eq!(
        realm.schemas["public"].tables["c"].foreign_keys["f"].deferrable,
        Deferrable::InitiallyDeferred
    );
    let error = pg_error(&format!(
        "{base} ALTER TABLE c ALTER CONSTRAINT k DEFERRABLE;"
    ));
    assert!(
        error
            .to_string()
            .contains("constraint \"k\" of relation \"c\" is not a foreign key constraint"),
        "{error}"
    );
}

#[test]
fn a_composite_star_of_an_unknown_function_is_kept_as_written() {
    // sqlparser cannot read `(expr).*`; the loader reads it through a marker, expands it
    // for the realm's functions returning a table's row type (see live_postgres's
    // composite_star_of_a_row_function), and writes it back otherwise.
    let realm = pg_realm(
        "CREATE TABLE t (id int);
         CREATE VIEW v AS SELECT (g(t)).* FROM t;
         CREATE VIEW w AS SELECT x FROM (SELECT (g(t)).* FROM t) s;",
    );
    let views = &realm.schemas["public"].views;
    assert_eq!(views["v"].definition, "SELECT (g(t)).* FROM public.t");
    assert_eq!(
        views["w"].definition,
        "SELECT x FROM (SELECT (g(t)).* FROM public.t) s"
    );
}
