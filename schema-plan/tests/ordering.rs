//! Ordering, determinism and statement invariants, asserted directly rather than
//! through snapshots.

use schema_model::{Dialect, Privilege, Realm};
use schema_plan::{Statement, render_realm, render_script};

fn realm(json: &str) -> Realm {
    match Realm::from_json(json) {
        Ok(realm) => realm,
        Err(e) => panic!("bad test realm: {e}"),
    }
}

fn fixture(name: &str) -> Realm {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    realm(&std::fs::read_to_string(path).unwrap_or_default())
}

/// The position of the first statement that contains `needle`.
fn position(statements: &[Statement], needle: &str) -> usize {
    match statements.iter().position(|s| s.sql.contains(needle)) {
        Some(i) => i,
        None => panic!("no statement contains {needle:?}"),
    }
}

#[test]
fn empty_realms_render_nothing() {
    for dialect in Dialect::ALL {
        let realm = Realm::new(dialect);
        assert!(render_realm(&realm).is_empty(), "{dialect}");
        assert_eq!(render_script(&realm), "", "{dialect}");
    }
}

#[test]
fn statements_end_with_a_semicolon_and_name_their_object() {
    for name in ["postgres.json", "mysql.json", "sqlite.json"] {
        let statements = render_realm(&fixture(name));
        assert!(!statements.is_empty());
        for s in &statements {
            assert!(s.sql.ends_with(';'), "{name}: {}", s.sql);
            assert!(!s.sql.ends_with(";;"), "{name}: {}", s.sql);
            assert!(!s.object.is_empty(), "{name}: {}", s.sql);
        }
        let script = render_script(&fixture(name));
        assert!(script.ends_with(";\n"), "{name}");
    }
}

#[test]
fn output_does_not_depend_on_the_order_of_unordered_lists() {
    for name in ["postgres.json", "mysql.json", "sqlite.json"] {
        let original = fixture(name);
        let mut normalized = original.clone();
        normalized.normalize();
        let mut reversed = original.clone();
        reversed.default_privileges.reverse();
        for schema in reversed.schemas.values_mut() {
            schema.privileges.reverse();
            for table in schema.tables.values_mut() {
                table.privileges.reverse();
                for column in &mut table.columns {
                    column.privileges.reverse();
                }
            }
        }
        let script = render_script(&original);
        assert_eq!(script, render_script(&normalized), "{name}");
        assert_eq!(script, render_script(&reversed), "{name}");
        assert_eq!(script, render_script(&original.clone()), "{name}");
    }
}

#[test]
fn postgres_phases_follow_dependencies() {
    let statements = render_realm(&fixture("postgres.json"));
    let at = |needle: &str| position(&statements, needle);
    // The setting comes first, then schemas and extensions.
    assert_eq!(at("SET check_function_bodies = false"), 0);
    assert!(at("CREATE SCHEMA app") < at("CREATE EXTENSION"));
    // A composite uses a domain declared after it by name.
    assert!(at("CREATE DOMAIN public.zip_code") < at("CREATE TYPE public.address"));
    // A function returning a table's rows comes after that table.
    assert!(at("CREATE TABLE public.users (") < at("CREATE FUNCTION public.active_users()"));
    // Tables before their foreign keys; the a <-> b cycle is broken by ALTER TABLE.
    assert!(at("CREATE TABLE public.b (") < at("ADD CONSTRAINT a_b_fkey"));
    // A foreign key resting on a unique index comes after the index.
    assert!(at("CREATE UNIQUE INDEX codes_code_idx") < at("ADD CONSTRAINT code_uses_code_fkey"));
    // Partitions after their parent, children after their INHERITS parents.
    assert!(at("CREATE TABLE public.measurements (") < at("PARTITION OF public.measurements"));
    assert!(at("CREATE TABLE public.cities") < at("CREATE TABLE public.capitals"));
    // Ownership once the table exists.
    assert!(at("CREATE TABLE public.orders (") < at("OWNED BY public.orders.legacy_no"));
    // Views in dependency order, whatever their names.
    assert!(at("CREATE VIEW public.z_mid") < at("CREATE VIEW public.a_top"));
    // Triggers after the view they are on; policies after row security.
    assert!(at("CREATE VIEW public.a_top") < at("CREATE TRIGGER a_top_insert"));
    assert!(at("ENABLE ROW LEVEL SECURITY") < at("CREATE POLICY"));
    // Comments and grants come last.
    assert!(at("CREATE OPERATOR") < at("COMMENT ON"));
    assert!(at("COMMENT ON") < at("GRANT"));
    assert!(at("GRANT") < at("ALTER DEFAULT PRIVILEGES"));
}

#[test]
fn postgres_partitions_leave_out_what_the_parent_gives_them() {
    let script = render_script(&fixture("postgres.json"));
    assert!(!script.contains("measurements_2024_pkey"));
    assert!(!script.contains("measurements_2024_value_idx"));
    assert!(script.contains("CREATE INDEX measurements_2024_id_idx"));
    assert!(script.contains("value WITH OPTIONS DEFAULT 0 NOT NULL"));
    assert!(script.contains("CONSTRAINT measurements_2024_small CHECK"));
    assert!(script.contains(
        "CREATE TABLE public.measurements_default PARTITION OF public.measurements DEFAULT;"
    ));
}

const VIEW_CHAIN: &str = r#"{
  "dialect": "postgres",
  "schemas": {
    "public": {"name": "public",
      "tables": {"t": {"name": "t", "columns": [{"name": "id", "type": "integer"}]}},
      "views": {
        "a": {"name": "a", "definition": "SELECT * FROM \"B\""},
        "B": {"name": "B", "definition": "SELECT * FROM s.c -- public.a"},
        "d": {"name": "d", "definition": "SELECT 'a' AS x FROM public.t"}
      }},
    "s": {"name": "s", "views": {"c": {"name": "c", "materialized": true, "definition": "SELECT id FROM public.t"}}}
  }
}"#;

#[test]
fn views_follow_the_views_they_read() {
    let statements = render_realm(&realm(VIEW_CHAIN));
    let sql: Vec<&str> = statements.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(
        sql,
        [
            "CREATE SCHEMA s;",
            "CREATE TABLE public.t (\n    id integer\n);",
            "CREATE VIEW public.d AS\nSELECT 'a' AS x FROM public.t;",
            "CREATE MATERIALIZED VIEW s.c AS\nSELECT id FROM public.t;",
            "CREATE VIEW public.\"B\" AS\nSELECT * FROM s.c -- public.a\n;",
            "CREATE VIEW public.a AS\nSELECT * FROM \"B\";",
        ]
    );
}

#[test]
fn view_cycles_still_render_every_view() {
    let json = r#"{"dialect": "postgres", "schemas": {"public": {"name": "public", "views": {
        "v1": {"name": "v1", "definition": "SELECT * FROM v2"},
        "v2": {"name": "v2", "definition": "SELECT * FROM v1"}}}}}"#;
    let statements = render_realm(&realm(json));
    assert_eq!(statements.len(), 2);
}

#[test]
fn postgres_quotes_only_what_needs_quoting() {
    let json = r#"{"dialect": "postgres", "schemas": {
      "public": {"name": "public"},
      "My Schema": {"name": "My Schema", "tables": {"select": {"name": "select", "columns": [
        {"name": "a\"b", "type": "integer"}, {"name": "plain_1$", "type": "My Schema.Mood"}, {"name": "user", "type": "text"}]}}}}}"#;
    let script = render_script(&realm(json));
    assert_eq!(
        script,
        "CREATE SCHEMA \"My Schema\";\n\n\
         CREATE TABLE \"My Schema\".\"select\" (\n    \"a\"\"b\" integer,\n    plain_1$ \"My Schema\".\"Mood\",\n    \"user\" text\n);\n"
    );
}

#[test]
fn a_realm_without_public_drops_it() {
    let json = r#"{"dialect": "postgres", "schemas": {"app": {"name": "app"}}}"#;
    let sql: Vec<String> = render_realm(&realm(json))
        .into_iter()
        .map(|s| s.sql)
        .collect();
    assert_eq!(sql, ["DROP SCHEMA public;", "CREATE SCHEMA app;"]);
}

#[test]
fn grants_group_privileges_per_grantee() {
    let mut r = realm(
        r#"{"dialect": "postgres", "schemas": {"public": {"name": "public",
        "sequences": {"s": {"name": "s", "options": {"type": "bigint", "start": 1, "increment": 1, "min_value": 1, "max_value": 9223372036854775807, "cache": 1}}}}}}"#,
    );
    let privileges = vec![
        Privilege {
            grantee: "b".into(),
            privilege: "USAGE".into(),
            grantable: false,
        },
        Privilege {
            grantee: "a".into(),
            privilege: "USAGE".into(),
            grantable: false,
        },
        Privilege {
            grantee: "a".into(),
            privilege: "SELECT".into(),
            grantable: false,
        },
        Privilege {
            grantee: "a".into(),
            privilege: "UPDATE".into(),
            grantable: true,
        },
    ];
    if let Some(seq) = r.schema_mut("public").sequences.get_mut("s") {
        seq.privileges = privileges;
    }
    let sql: Vec<String> = render_realm(&r).into_iter().map(|s| s.sql).collect();
    assert_eq!(
        sql,
        [
            "CREATE SEQUENCE public.s;",
            "GRANT SELECT, USAGE ON SEQUENCE public.s TO a;",
            "GRANT UPDATE ON SEQUENCE public.s TO a WITH GRANT OPTION;",
            "GRANT USAGE ON SEQUENCE public.s TO b;",
        ]
    );
}

#[test]
fn mysql_foreign_keys_follow_all_tables_and_views_follow_their_sources() {
    let statements = render_realm(&fixture("mysql.json"));
    let at = |needle: &str| position(&statements, needle);
    let last_table = statements
        .iter()
        .rposition(|s| s.sql.starts_with("CREATE TABLE"))
        .unwrap_or(usize::MAX);
    assert!(last_table < at("ALTER TABLE `a` ADD CONSTRAINT `a_b`"));
    assert!(at("CREATE FUNCTION `full_name`") < at("CREATE TABLE"));
    assert!(at("VIEW `user_posts`") < at("VIEW `a_summary`"));
    assert!(at("CREATE DATABASE `reporting`") < at("CREATE TABLE `reporting`.`daily`"));
    // The connection's database is never named.
    assert!(!statements.iter().any(|s| s.sql.contains("``.")));
}

#[test]
fn mysql_compound_bodies_get_a_delimiter_in_scripts_only() {
    let r = fixture("mysql.json");
    let trigger = render_realm(&r)
        .into_iter()
        .find(|s| s.object == "trigger posts_ai on posts");
    let Some(trigger) = trigger else {
        panic!("no posts_ai trigger")
    };
    assert!(trigger.sql.starts_with("CREATE TRIGGER `posts_ai`"));
    assert!(trigger.sql.ends_with("END;"));
    let script = render_script(&r);
    assert!(script.contains("DELIMITER ;;\nCREATE TRIGGER `posts_ai`"));
    assert!(script.contains("END;;\nDELIMITER ;"));
    assert!(!script.contains("DELIMITER ;;\nCREATE TRIGGER `users_bi`"));
}

#[test]
fn sqlite_puts_referenced_tables_first_unless_they_form_a_cycle() {
    let statements = render_realm(&fixture("sqlite.json"));
    let at = |needle: &str| position(&statements, needle);
    assert!(at("CREATE TABLE z_parent") < at("CREATE TABLE a_child"));
    assert!(at("CREATE TABLE users") < at("CREATE TABLE posts"));
    // c1 and c2 reference each other: name order, foreign keys inline.
    assert!(at("CREATE TABLE c1") < at("CREATE TABLE c2"));
    assert!(
        statements[at("CREATE TABLE c1")]
            .sql
            .contains("REFERENCES c2 (id)")
    );
    assert!(at("CREATE VIEW v_posts") < at("CREATE VIEW a_view"));
    assert!(at("ATTACH DATABASE 'aux.db' AS aux") < at("CREATE TABLE aux.notes"));
}

#[test]
fn sqlite_autoincrement_is_declared_on_its_column() {
    let script = render_script(&fixture("sqlite.json"));
    assert!(script.contains("    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"));
    assert!(!script.contains("PRIMARY KEY (id),\n    UNIQUE (email)"));
    assert!(script.contains("DEFAULT (datetime('now'))"));
    assert!(script.contains(") WITHOUT ROWID, STRICT;"));
}

#[test]
fn postgres_function_settings_render_as_literals_that_keep_their_case() {
    let realm = realm(
        r#"{
  "dialect": "postgres",
  "schemas": {"public": {"name": "public", "functions": {"f()": {
    "name": "f", "returns": "void", "language": "plpgsql", "body": " BEGIN END; ",
    "attributes": [
      "SET search_path = public, \"$user\"",
      "SET statement_timeout = 30s",
      "SET timezone = UTC",
      "SET x.y = it's",
      "SET work_mem FROM CURRENT",
      "STABLE"
    ]}}}}
}"#,
    );
    let script = render_script(&realm);
    assert!(
        script.contains("SET search_path = 'public', '\"$user\"'\n"),
        "{script}"
    );
    assert!(
        script.contains("SET statement_timeout = '30s'\n"),
        "{script}"
    );
    assert!(script.contains("SET timezone = 'UTC'\n"), "{script}");
    assert!(script.contains("SET x.y = 'it''s'\n"), "{script}");
    assert!(script.contains("SET work_mem FROM CURRENT\n"), "{script}");
    assert!(script.contains("STABLE\n"), "{script}");
}
