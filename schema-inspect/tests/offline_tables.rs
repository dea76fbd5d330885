//! Offline replay of tables and indexes: spellings that must load equal, names the
//! databases give unnamed objects, replays of ALTERs, errors, and one rich table per
//! dialect as a JSON snapshot.

use schema_inspect::{LoadError, LoadOptions, load_sql};
use schema_model::{
    DataType, Dialect, IndexKey, IndexMethod, OperatorClass, Realm, ReferentialAction,
    SequenceOptions, Table, compare,
};

fn load(dialect: Dialect, sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(dialect)) {
        Ok(loaded) => loaded.realm,
        Err(error) => panic!("loading failed: {error}\n{sql}"),
    }
}

fn load_err(dialect: Dialect, sql: &str) -> LoadError {
    match load_sql(sql, "test.sql", &LoadOptions::new(dialect)) {
        Ok(loaded) => panic!("expected an error, got {}", loaded.realm.to_json()),
        Err(error) => error,
    }
}

fn diff(left: &Realm, right: &Realm) -> Vec<String> {
    compare(left, right)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[track_caller]
fn assert_same(dialect: Dialect, a: &str, b: &str) {
    let left = load(dialect, a);
    let right = load(dialect, b);
    let differences = diff(&left, &right);
    assert!(
        differences.is_empty(),
        "expected equal realms:\n{a}\n{b}\n{}",
        differences.join("\n")
    );
}

fn table<'a>(realm: &'a Realm, schema: &str, name: &str) -> &'a Table {
    match realm.schema(schema).and_then(|s| s.tables.get(name)) {
        Some(t) => t,
        None => panic!("no table {schema}.{name} in {}", realm.to_json()),
    }
}

fn pg_table<'a>(realm: &'a Realm, name: &str) -> &'a Table {
    table(realm, "public", name)
}

fn names<T>(map: &std::collections::BTreeMap<String, T>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

// ----- PostgreSQL -----

#[test]
fn pg_integer_spellings_load_equal() {
    let base = "CREATE TABLE t (a int, b smallint, c bigint, d real, e double precision);";
    assert_same(
        Dialect::Postgres,
        base,
        "CREATE TABLE t (a integer, b int2, c int8, d float4, e float8);",
    );
    assert_same(
        Dialect::Postgres,
        base,
        "CREATE TABLE T (A INT4, B SMALLINT, C BIGINT, D FLOAT(24), E FLOAT);",
    );
}

#[test]
fn pg_character_and_time_spellings_load_equal() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a varchar(10), b char, c timestamptz, d timetz, e bool, f numeric(10,2), g int[][], h varbit(3));",
        "CREATE TABLE t (a character varying(10), b character(1), c timestamp with time zone, \
         d time with time zone, e boolean, f decimal(10,2), g integer[], h bit varying(3));",
    );
}

#[test]
fn pg_types_map_to_the_canonical_variants() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a float(10), b char, c bit, d vector(3), e citext, f public.citext,
                         g geometry(Point,4326), h interval year to month, i timestamp(3),
                         j serial, k jsonb, l macaddr8, m uuid);",
    );
    let t = pg_table(&realm, "t");
    let types: Vec<String> = t.columns.iter().map(|c| c.data_type.to_string()).collect();
    assert_eq!(
        types,
        [
            "real",
            "char(1)",
            "bit(1)",
            "vector(3)",
            "citext",
            "public.citext",
            "geometry(point,4326)",
            "interval year to month",
            "timestamp(3)",
            "integer",
            "jsonb",
            "macaddr8",
            "uuid"
        ]
    );
    assert_eq!(
        t.column("f").map(|c| &c.data_type),
        Some(&DataType::UserDefined(schema_model::QualifiedName::new(
            "public", "citext"
        )))
    );
}

#[test]
fn pg_unnamed_constraints_get_the_names_postgres_gives() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE org (id int PRIMARY KEY);
         CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE, org_id int REFERENCES org,
                         age int CHECK (age >= 0), a int, b int, CHECK (a < b), UNIQUE (a, b));",
        "CREATE TABLE org (id int, CONSTRAINT org_pkey PRIMARY KEY (id));
         CREATE TABLE t (id int, email text, org_id int, age int, a int, b int,
           CONSTRAINT t_pkey PRIMARY KEY (id),
           CONSTRAINT t_email_key UNIQUE (email),
           CONSTRAINT t_org_id_fkey FOREIGN KEY (org_id) REFERENCES org (id),
           CONSTRAINT t_age_check CHECK (((age >= 0))),
           CONSTRAINT t_check CHECK (a < b),
           CONSTRAINT t_a_b_key UNIQUE (a, b));",
    );
}

#[test]
fn pg_inline_and_table_level_primary_keys_load_equal() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (id bigint PRIMARY KEY);",
        "CREATE TABLE t (id bigint NOT NULL, PRIMARY KEY (id));",
    );
}

#[test]
fn pg_different_schemas_are_unequal_and_compare_names_the_difference() {
    let left = load(Dialect::Postgres, "CREATE TABLE t (a int, b varchar(10));");
    let right = load(
        Dialect::Postgres,
        "CREATE TABLE t (a bigint, b varchar(20) NOT NULL);",
    );
    assert_eq!(
        diff(&left, &right),
        [
            "schema public, table t, column a: type: integer | bigint",
            "schema public, table t, column b: nullable: true | false",
            "schema public, table t, column b: type: varchar(10) | varchar(20)",
        ]
    );
}

#[test]
fn pg_long_names_are_cut_to_63_bytes_as_postgres_does() {
    let table_name = "a".repeat(40);
    let column = "b".repeat(40);
    let realm = load(
        Dialect::Postgres,
        &format!("CREATE TABLE {table_name} ({column} int UNIQUE, é{column} int PRIMARY KEY);"),
    );
    let t = pg_table(&realm, &table_name);
    // 63 - len("_key") - 1 = 58 bytes for both names: the longer is cut first, in
    // turns, so each keeps 29.
    let unique = format!("{}_{}_key", "a".repeat(29), "b".repeat(29));
    assert_eq!(names(&t.uniques), [unique.as_str()]);
    assert_eq!(unique.len(), 63);
    // With an odd number of bytes to share (`_fkey` is one longer), the table part keeps
    // the extra byte: on a tie PostgreSQL shortens the second name.
    let realm = load(
        Dialect::Postgres,
        &format!("CREATE TABLE {table_name} ({column} int PRIMARY KEY REFERENCES {table_name});"),
    );
    let fk = format!("{}_{}_fkey", "a".repeat(29), "b".repeat(28));
    assert_eq!(
        names(&pg_table(&realm, &table_name).foreign_keys),
        [fk.as_str()]
    );
    assert_eq!(
        t.primary_key.as_ref().map(|pk| pk.name.as_str()),
        Some(format!("{table_name}_pkey").as_str())
    );
}

#[test]
fn pg_long_names_are_cut_at_a_character_boundary() {
    let table_name = "é".repeat(30); // 60 bytes
    let realm = load(
        Dialect::Postgres,
        &format!("CREATE TABLE \"{table_name}\" (id int PRIMARY KEY);"),
    );
    let t = pg_table(&realm, &table_name);
    let pk = t
        .primary_key
        .as_ref()
        .map(|pk| pk.name.clone())
        .unwrap_or_default();
    // 63 - len("_pkey") = 58 bytes: 29 two-byte characters.
    assert_eq!(pk, format!("{}_pkey", "é".repeat(29)));
    assert!(pk.len() <= 63);
}

#[test]
fn pg_name_collisions_add_a_number_to_the_label() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE x (a int);
         CREATE INDEX t_a_key ON x (a);
         CREATE TABLE t (a int UNIQUE, b int);
         CREATE INDEX t_b_idx ON t (a);
         CREATE INDEX ON t (b);",
    );
    let t = pg_table(&realm, "t");
    assert_eq!(names(&t.uniques), ["t_a_key1"]);
    assert_eq!(names(&t.indexes), ["t_b_idx", "t_b_idx1"]);
}

#[test]
fn pg_a_dropped_name_is_free_again() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a int UNIQUE); DROP TABLE t; CREATE TABLE t (a int UNIQUE);",
        "CREATE TABLE t (a int UNIQUE);",
    );
}

#[test]
fn pg_index_names_use_the_function_name_of_an_expression() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE users (email text, a int, b int);
         CREATE INDEX ON users (lower(email));
         CREATE INDEX ON users ((a + b), a);
         CREATE UNIQUE INDEX ON users (a, b);",
    );
    assert_eq!(
        names(&pg_table(&realm, "users").indexes),
        ["users_a_b_idx", "users_expr_a_idx", "users_lower_idx"]
    );
}

#[test]
fn pg_serial_sequence_details() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (id smallserial PRIMARY KEY);",
    );
    let t = pg_table(&realm, "t");
    let id = t.column("id");
    assert_eq!(id.map(|c| c.data_type.clone()), Some(DataType::SmallInt));
    assert_eq!(id.map(|c| c.nullable), Some(false));
    assert_eq!(
        id.and_then(|c| c.default.clone()).as_deref(),
        Some("nextval('t_id_seq'::regclass)")
    );
    let sequence = realm
        .schema("public")
        .and_then(|s| s.sequences.get("t_id_seq"));
    assert_eq!(
        sequence.map(|s| s.options.clone()),
        Some(SequenceOptions::postgres_defaults(DataType::SmallInt, 1))
    );
    assert_eq!(
        sequence
            .and_then(|s| s.owned_by.as_ref())
            .map(|o| format!("{}.{}", o.table, o.column)),
        Some("public.t.id".to_owned())
    );
}

#[test]
fn pg_identity_columns() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY,
                         b bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5));",
    );
    let t = pg_table(&realm, "t");
    let a = t.column("a").and_then(|c| c.identity.clone());
    assert_eq!(a.as_ref().map(|i| i.always), Some(true));
    assert_eq!(
        a.map(|i| i.sequence),
        Some(SequenceOptions::postgres_defaults(DataType::Integer, 1))
    );
    let b = t.column("b").and_then(|c| c.identity.clone());
    assert_eq!(b.as_ref().map(|i| i.always), Some(false));
    assert_eq!(
        b.as_ref().map(|i| (i.sequence.start, i.sequence.increment)),
        Some((10, 5))
    );
    assert_eq!(t.column("b").map(|c| c.nullable), Some(false));
}

#[test]
fn pg_defaults_read_as_pg_get_expr_prints_them() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a varchar(5) DEFAULT 'x', b text DEFAULT 'y', c int DEFAULT -1,
                         d int DEFAULT '7', e boolean DEFAULT 't', f timestamptz DEFAULT now(),
                         g timestamp DEFAULT CURRENT_TIMESTAMP, h int DEFAULT NULL, i numeric DEFAULT 1.5,
                         j bigint DEFAULT 0, k char(2) DEFAULT 'ab');",
    );
    let t = pg_table(&realm, "t");
    let defaults: Vec<Option<&str>> = t.columns.iter().map(|c| c.default.as_deref()).collect();
    assert_eq!(
        defaults,
        [
            Some("'x'::character varying"),
            Some("'y'::text"),
            Some("-1"), // printed `'-1'::integer`; a negative constant is written as a number
            Some("7"),
            Some("true"),
            Some("now()"),
            Some("CURRENT_TIMESTAMP"),
            None,
            Some("1.5"),
            Some("0"),
            Some("'ab'::bpchar"),
        ]
    );
}

#[test]
fn pg_expressions_lose_redundant_parentheses_only() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a int, b int, c int, CONSTRAINT k CHECK (((a + b) * c > 0) AND (NOT (a = 1))));",
        "CREATE TABLE t (a int, b int, c int, CONSTRAINT k CHECK ((A + B) * C > 0 AND NOT A = 1));",
    );
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a int, b int, c int, CONSTRAINT k CHECK (((a + b) * c) > (a - (b - c))),
                         CONSTRAINT l CHECK (LOWER(\"a\"::text) <> UPPER('X')));",
    );
    let checks = &pg_table(&realm, "t").checks;
    assert_eq!(
        checks.get("k").map(|c| c.expression.as_str()),
        Some("(a + b) * c > a - (b - c)")
    );
    assert_eq!(
        checks.get("l").map(|c| c.expression.as_str()),
        Some("lower(a::text) <> upper('X')")
    );
    // Comparisons do not chain: `(a = 1) = (b IS NULL)` keeps both pairs.
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a int, b int, CONSTRAINT m CHECK (((a = 1) = (b IS NOT NULL))));",
    );
    assert_eq!(
        pg_table(&realm, "t")
            .checks
            .get("m")
            .map(|c| c.expression.as_str()),
        Some("(a = 1) = (b IS NOT NULL)")
    );
}

#[test]
fn pg_lists_of_untyped_literals_stay_lists_so_they_run_for_any_type() {
    // The server's form casts each element to the enum; without the casts an array would
    // be text[], which the enum cannot be compared with, so the canonical form is a list.
    assert_same(
        Dialect::Postgres,
        "CREATE TYPE st AS ENUM ('a', 'b'); CREATE TABLE t (s st, \
         CONSTRAINT k CHECK ((s = ANY (ARRAY['a'::st, 'b'::st]))), \
         CONSTRAINT l CHECK ((s <> ALL (ARRAY['a'::st, 'b'::st]))));",
        "CREATE TYPE st AS ENUM ('a', 'b'); CREATE TABLE t (s st, \
         CONSTRAINT k CHECK (s IN ('a', 'b')), CONSTRAINT l CHECK (s NOT IN ('a', 'b')));",
    );
    let realm = load(
        Dialect::Postgres,
        "CREATE TYPE st AS ENUM ('a', 'b'); CREATE TABLE t (s st, CONSTRAINT k CHECK (s IN ('a', 'b')));",
    );
    assert_eq!(
        pg_table(&realm, "t")
            .checks
            .get("k")
            .map(|c| c.expression.as_str()),
        Some("s IN ('a', 'b')")
    );
}

#[test]
fn pg_foreign_keys_default_to_the_referenced_primary_key() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE child (id int, parent_id int REFERENCES parent ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
         CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE self (id int PRIMARY KEY, up int REFERENCES self);",
    );
    let fk = pg_table(&realm, "child")
        .foreign_keys
        .get("child_parent_id_fkey")
        .cloned();
    assert_eq!(
        fk.as_ref().map(|f| f.referenced_columns.clone()),
        Some(vec!["id".to_owned()])
    );
    assert_eq!(
        fk.as_ref().map(|f| f.on_delete),
        Some(ReferentialAction::Cascade)
    );
    assert_eq!(
        pg_table(&realm, "self")
            .foreign_keys
            .get("self_up_fkey")
            .map(|f| f.referenced_columns.clone()),
        Some(vec!["id".to_owned()])
    );
}

#[test]
fn pg_alter_replay_gives_the_final_create() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (id int, old_name text, gone int, price int);
         CREATE INDEX t_gone_idx ON t (gone);
         ALTER TABLE t ADD COLUMN added varchar(3) NOT NULL DEFAULT 'x';
         ALTER TABLE t DROP COLUMN gone;
         ALTER TABLE t RENAME COLUMN old_name TO name;
         ALTER TABLE t ADD PRIMARY KEY (id);
         ALTER TABLE ONLY t ALTER COLUMN price TYPE bigint USING price::bigint, ALTER COLUMN price SET DEFAULT 0;
         ALTER TABLE t ADD CONSTRAINT c CHECK (price > 0) NOT VALID;
         ALTER TABLE t VALIDATE CONSTRAINT c;
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         ALTER TABLE t OWNER TO someone;
         CREATE INDEX ON t (name);",
        "CREATE TABLE t (id int PRIMARY KEY, name text, price bigint DEFAULT 0, added varchar(3) NOT NULL DEFAULT 'x',
                         CONSTRAINT c CHECK (price > 0));
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE INDEX t_name_idx ON t (name);",
    );
}

#[test]
fn pg_renames_follow_references() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE c (p_id int CONSTRAINT c_p_id_fkey REFERENCES p (id), CONSTRAINT k CHECK (p_id > 0));
         ALTER TABLE p RENAME TO parent;
         ALTER TABLE parent RENAME COLUMN id TO pid;
         ALTER TABLE parent RENAME CONSTRAINT p_pkey TO parent_pkey;
         ALTER TABLE c RENAME COLUMN p_id TO parent_id;",
        "CREATE TABLE parent (pid int PRIMARY KEY);
         CREATE TABLE c (parent_id int CONSTRAINT c_p_id_fkey REFERENCES parent (pid), CONSTRAINT k CHECK (parent_id > 0));",
    );
}

#[test]
fn pg_drop_table_cascade_drops_referencing_foreign_keys() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p); DROP TABLE p CASCADE;",
        "CREATE TABLE c (p_id int);",
    );
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p); DROP TABLE p;",
    );
    assert!(
        error.to_string().contains("other objects depend on it"),
        "{error}"
    );
}

#[test]
fn pg_drop_column_needs_cascade_when_referenced() {
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);
         ALTER TABLE p DROP COLUMN id;",
    );
    assert!(
        error
            .to_string()
            .contains("cannot drop column id of table public.p"),
        "{error}"
    );
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE p (id int PRIMARY KEY, x int); CREATE TABLE c (p_id int REFERENCES p);
         ALTER TABLE p DROP COLUMN id CASCADE;",
        "CREATE TABLE p (x int); CREATE TABLE c (p_id int);",
    );
}

#[test]
fn pg_missing_table_is_an_error_with_its_place() {
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE users (id int);\n  ALTER TABLE user ADD COLUMN email text;",
    );
    assert_eq!(
        error.to_string(),
        "test.sql:2:3: relation \"public.user\" does not exist"
    );
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE users (id int);\nALTER TABLE users ALTER COLUMN emial SET NOT NULL;",
    );
    assert_eq!(
        error.to_string(),
        "test.sql:2:1: table \"public.users\" has no column \"emial\""
    );
    let error = load_err(Dialect::Postgres, "DROP TABLE nope;");
    assert_eq!(
        error.to_string(),
        "test.sql:1:1: relation \"public.nope\" does not exist"
    );
}

#[test]
fn pg_if_exists_and_if_not_exists_are_warnings() {
    let loaded = load_sql(
        "CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (b int); DROP TABLE IF EXISTS nope;",
        "test.sql",
        &LoadOptions::new(Dialect::Postgres),
    );
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(loaded.warnings.len(), 2);
    assert_eq!(pg_table(&loaded.realm, "t").columns.len(), 1);
}

#[test]
fn pg_create_table_as_select_is_unsupported() {
    let error = load_err(Dialect::Postgres, "CREATE TABLE t AS SELECT 1 AS a;");
    assert!(matches!(error, LoadError::Unsupported { .. }), "{error}");
}

#[test]
fn pg_partitions_and_indexes_with_options() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE m (id int, at date, v vector(3)) PARTITION BY RANGE (at);
         CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE INDEX m_v_idx ON m USING hnsw (v vector_cosine_ops) WITH (m = 16, ef_construction = '64');
         CREATE INDEX m_at_idx2 ON m (at DESC NULLS FIRST, id NULLS FIRST) INCLUDE (v) WHERE id > 0;",
    );
    let parent = pg_table(&realm, "m");
    let hnsw = parent.indexes.get("m_v_idx");
    assert_eq!(hnsw.map(|i| i.method.clone()), Some(IndexMethod::Hnsw));
    assert_eq!(
        hnsw.and_then(|i| i.parts.first())
            .and_then(|p| p.operator_class.clone()),
        Some(OperatorClass::VectorCosineOps)
    );
    assert_eq!(
        hnsw.map(|i| i
            .parameters
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()),
        Some(vec!["ef_construction=64".to_owned(), "m=16".to_owned()])
    );
    let ordered = parent.indexes.get("m_at_idx2");
    let parts = ordered.map(|i| i.parts.clone()).unwrap_or_default();
    assert_eq!(
        parts.first().map(|p| (p.descending, p.nulls_first)),
        Some((true, None))
    );
    assert_eq!(
        parts.get(1).map(|p| (p.descending, p.nulls_first)),
        Some((false, Some(true)))
    );
    let child = pg_table(&realm, "m_2024");
    assert_eq!(
        child.partition_of.as_ref().map(|p| p.bound.as_str()),
        Some("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
    );
    assert_eq!(child.columns.len(), 3);
    // The partition's copies of the parent's indexes are the parent's.
    assert!(child.indexes.is_empty(), "{:?}", names(&child.indexes));
}

#[test]
fn pg_partitions_get_the_parent_indexes_in_either_order() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
         CREATE INDEX ON m (at);
         CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('2024-01-01');",
        "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
         CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
         CREATE INDEX m_at_idx ON m (at);",
    );
}

#[test]
fn pg_drop_and_rename_index_through_the_search_path() {
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (a int, b int);
         CREATE INDEX i1 ON t (a);
         CREATE INDEX i2 ON t (b);
         ALTER INDEX i1 RENAME TO i3;
         DROP INDEX public.i2;
         DROP INDEX IF EXISTS nope;",
        "CREATE TABLE t (a int, b int); CREATE INDEX i3 ON t (a);",
    );
}

#[test]
fn pg_rich_table_snapshot() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE org (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
         CREATE TABLE users (
           id bigserial PRIMARY KEY,
           org_id bigint NOT NULL REFERENCES org (id) ON DELETE CASCADE ON UPDATE SET NULL MATCH FULL,
           email varchar(255) NOT NULL COLLATE \"C\",
           name text DEFAULT 'anonymous',
           score numeric(8, 2) DEFAULT 0.0 CHECK (score >= 0),
           tags text[] NOT NULL DEFAULT '{}',
           created_at timestamptz NOT NULL DEFAULT now(),
           full_name text GENERATED ALWAYS AS (name || ' ' || email) STORED,
           UNIQUE NULLS NOT DISTINCT (org_id, email) DEFERRABLE INITIALLY DEFERRED
         ) WITH (fillfactor = 70);
         CREATE UNIQUE INDEX users_lower_email ON users (lower(email)) WHERE created_at > '2020-01-01';
         ALTER TABLE users FORCE ROW LEVEL SECURITY;",
    );
    insta::assert_snapshot!(realm.to_json());
}

// ----- MySQL / MariaDB -----

#[test]
fn mysql_integer_spellings_load_equal() {
    assert_same(
        Dialect::Mysql,
        "CREATE TABLE t (a int(11), b tinyint(1), c bigint(20) unsigned, d decimal, e float, f real);",
        "CREATE TABLE t (a INTEGER, b BOOLEAN, c BIGINT UNSIGNED, d DECIMAL(10,0), e FLOAT(10), f DOUBLE);",
    );
}

#[test]
fn mysql_unnamed_keys_get_the_names_mariadb_gives() {
    assert_same(
        Dialect::Mysql,
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (id int NOT NULL, email varchar(50) UNIQUE, p_id int, a int CHECK (a > 0),
           PRIMARY KEY (id), UNIQUE (email, a), KEY (p_id, a), FOREIGN KEY (p_id) REFERENCES p (id), CHECK (a < 10));",
        "CREATE TABLE p (id int NOT NULL, CONSTRAINT whatever PRIMARY KEY (id));
         CREATE TABLE t (id int NOT NULL, email varchar(50), p_id int, a int,
           PRIMARY KEY (id), UNIQUE KEY email (email), UNIQUE KEY email_2 (email, a), KEY p_id (p_id, a),
           CONSTRAINT t_ibfk_1 FOREIGN KEY (p_id) REFERENCES p (id),
           CONSTRAINT a CHECK (a > 0), CONSTRAINT CONSTRAINT_1 CHECK (a < 10));",
    );
}

#[test]
fn mysql_foreign_keys_get_an_implicit_index() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (a int, b int, FOREIGN KEY (a) REFERENCES p (id),
                         CONSTRAINT fk_b FOREIGN KEY (b) REFERENCES p (id), KEY covers_b (b, a));
         CREATE TABLE u (x int, CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES p (id));",
    );
    let t = table(&realm, "", "t");
    assert_eq!(names(&t.foreign_keys), ["fk_b", "t_ibfk_1"]);
    assert_eq!(names(&t.indexes), ["a", "covers_b"]);
    assert!(t.uniques.is_empty());
    assert_eq!(names(&table(&realm, "", "u").indexes), ["fk_x"]);
}

#[test]
fn mysql_defaults_read_as_information_schema_shows_them() {
    assert_same(
        Dialect::Mysql,
        "CREATE TABLE t (a int DEFAULT '1', b datetime DEFAULT NOW() ON UPDATE NOW(), c varchar(3) DEFAULT NULL, d bool DEFAULT TRUE);",
        "CREATE TABLE t (a int DEFAULT 1, b datetime DEFAULT CURRENT_TIMESTAMP ON UPDATE current_timestamp(), c varchar(3), d tinyint(1) DEFAULT 1);",
    );
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE t (s varchar(9) DEFAULT 'it''s');",
    );
    assert_eq!(
        table(&realm, "", "t")
            .column("s")
            .and_then(|c| c.default.as_deref()),
        Some("'it''s'")
    );
}

#[test]
fn mysql_alter_replay_gives_the_final_create() {
    assert_same(
        Dialect::Mysql,
        "CREATE TABLE t (id int, a int, b varchar(10), gone int, KEY k (a, gone));
         ALTER TABLE t ADD PRIMARY KEY (id), MODIFY b varchar(20) NOT NULL AFTER id, DROP COLUMN gone;
         ALTER TABLE t CHANGE a a2 bigint FIRST, ADD UNIQUE INDEX u (b);
         ALTER TABLE t ADD COLUMN c int;
         RENAME TABLE t TO t2;",
        "CREATE TABLE t2 (a2 bigint, id int NOT NULL, b varchar(20) NOT NULL, c int,
                          PRIMARY KEY (id), KEY k (a2), UNIQUE KEY u (b));",
    );
}

#[test]
fn mysql_different_schemas_are_unequal() {
    let left = load(Dialect::Mysql, "CREATE TABLE t (a int) ENGINE=Aria;");
    let right = load(
        Dialect::Mysql,
        "CREATE TABLE t (a int unsigned) ENGINE=MyISAM;",
    );
    assert_eq!(
        diff(&left, &right),
        [
            "schema , table t, column a: unsigned: false | true",
            "schema , table t: options.engine: Aria | MyISAM",
        ]
    );
}

#[test]
fn mysql_missing_table_is_an_error() {
    let error = load_err(
        Dialect::Mysql,
        "CREATE TABLE t (a int);\nDROP INDEX i ON nope;",
    );
    assert_eq!(
        error.to_string(),
        "test.sql:2:1: Table 'nope' doesn't exist"
    );
}

#[test]
fn mysql_rich_table_snapshot() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE `orgs` (`id` int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY);
         CREATE TABLE `users` (
           `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
           `org_id` int unsigned NOT NULL,
           `email` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'login',
           `active` tinyint(1) NOT NULL DEFAULT '1',
           `status` enum('new','it''s done') NOT NULL DEFAULT 'new',
           `balance` decimal(12,2) NOT NULL DEFAULT '0.00',
           `bio` text,
           `created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
           `updated_at` datetime DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
           PRIMARY KEY (`id`),
           UNIQUE KEY `uq_email` (`email`),
           KEY `idx_bio` (`bio`(20)),
           FULLTEXT KEY `ft_bio` (`bio`),
           CONSTRAINT `fk_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE CASCADE,
           CHECK (`balance` >= 0)
         ) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=dynamic COMMENT='people';",
    );
    insta::assert_snapshot!(realm.to_json());
}

// ----- SQLite -----

#[test]
fn sqlite_type_affinities_load_equal() {
    assert_same(
        Dialect::Sqlite,
        "CREATE TABLE t (a INT, b VARCHAR(10), c BLOB, d REAL, e DECIMAL(5,2), f);",
        "CREATE TABLE t (a BIGINT, b TEXT, c BLOB, d DOUBLE PRECISION, e BOOLEAN, f BLOB);",
    );
}

#[test]
fn sqlite_unnamed_constraints_and_autoindexes() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b INT REFERENCES p, UNIQUE (a, b), CHECK (b > 0));
         CREATE TABLE k (x INT PRIMARY KEY, y TEXT UNIQUE);",
    );
    let t = table(&realm, "main", "t");
    assert_eq!(t.primary_key.as_ref().map(|pk| pk.name.as_str()), Some(""));
    assert_eq!(
        names(&t.uniques),
        ["sqlite_autoindex_t_1", "sqlite_autoindex_t_2"]
    );
    assert_eq!(names(&t.foreign_keys), ["t_b_fkey"]);
    assert_eq!(names(&t.checks), ["t_b_check"]);
    // `INT PRIMARY KEY` is not a rowid alias: its primary key has an autoindex.
    assert_eq!(
        names(&table(&realm, "main", "k").uniques),
        ["sqlite_autoindex_k_2"]
    );
}

#[test]
fn sqlite_names_are_case_insensitive() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE Products (Id integer PRIMARY KEY, Name text);
         CREATE INDEX idx_name ON PRODUCTS (NAME);",
    );
    let index = table(&realm, "main", "Products").indexes.get("idx_name");
    assert_eq!(
        index.and_then(|i| i.parts.first()).map(|p| p.key.clone()),
        Some(IndexKey::Column("Name".to_owned()))
    );
}

#[test]
fn sqlite_missing_table_is_an_error() {
    let error = load_err(Dialect::Sqlite, "CREATE INDEX i ON nope (a);");
    assert_eq!(error.to_string(), "test.sql:1:1: no such table: nope");
}

#[test]
fn sqlite_rich_table_snapshot() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE authors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE);
         CREATE TABLE books (
           id INTEGER PRIMARY KEY,
           author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
           title TEXT NOT NULL,
           price REAL DEFAULT 0 CHECK (price >= 0),
           published TEXT DEFAULT (CURRENT_TIMESTAMP),
           data ANY,
           UNIQUE (author_id, title)
         ) STRICT;
         CREATE INDEX books_title ON books (title COLLATE NOCASE DESC) WHERE price > 0;",
    );
    insta::assert_snapshot!(realm.to_json());
}

#[test]
fn sqlite_alter_replay_gives_the_final_create() {
    assert_same(
        Dialect::Sqlite,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT, gone INT);
         CREATE INDEX t_gone ON t (gone);
         ALTER TABLE t ADD COLUMN added TEXT DEFAULT 'x';
         ALTER TABLE t RENAME COLUMN old TO name;
         ALTER TABLE t DROP COLUMN gone;
         ALTER TABLE t RENAME TO t2;",
        "CREATE TABLE t2 (id INTEGER PRIMARY KEY, name TEXT, added TEXT DEFAULT 'x');",
    );
}

#[test]
fn sqlite_different_schemas_are_unequal() {
    let left = load(Dialect::Sqlite, "CREATE TABLE t (a TEXT, b INT DEFAULT 1);");
    let right = load(Dialect::Sqlite, "CREATE TABLE t (a BLOB, b INT DEFAULT 2);");
    assert_eq!(
        diff(&left, &right),
        [
            "schema main, table t, column a: type: text | blob",
            "schema main, table t, column b: default: 1 | 2",
        ]
    );
}

/// Expectations from SQLite 3.51's `pragma table_info` / `pragma index_list`.
#[test]
fn sqlite_primary_keys_of_without_rowid_and_strict_tables_are_not_null() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE w (k TEXT, v BLOB, PRIMARY KEY (k, v)) WITHOUT ROWID;
         CREATE TABLE s (id INTEGER PRIMARY KEY DESC, n INT) STRICT;
         CREATE TABLE a (id INTEGER PRIMARY KEY, n INT) STRICT;
         CREATE TABLE p (k TEXT PRIMARY KEY);",
    );
    let nullable = |t: &str| -> Vec<bool> {
        table(&realm, "main", t)
            .columns
            .iter()
            .map(|c| c.nullable)
            .collect()
    };
    assert_eq!(nullable("w"), [false, false]);
    assert_eq!(nullable("s"), [false, true]);
    // A rowid alias takes the rowid when given NULL; a plain table keeps SQLite's
    // old leniency.
    assert_eq!(nullable("a"), [true, true]);
    assert_eq!(nullable("p"), [true]);
}

#[test]
fn sqlite_unique_constraints_that_need_no_index_are_not_kept() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE x (a TEXT PRIMARY KEY, b TEXT, UNIQUE (a), UNIQUE (b), UNIQUE (b));
         CREATE TABLE y (a TEXT, b TEXT UNIQUE, PRIMARY KEY (b), UNIQUE (a));
         CREATE TABLE z (a TEXT, UNIQUE (a COLLATE NOCASE), UNIQUE (a));
         CREATE TABLE r (id INTEGER PRIMARY KEY, UNIQUE (id));",
    );
    assert_eq!(
        names(&table(&realm, "main", "x").uniques),
        ["sqlite_autoindex_x_2"]
    );
    assert_eq!(
        names(&table(&realm, "main", "y").uniques),
        ["sqlite_autoindex_y_2"]
    );
    assert_eq!(
        names(&table(&realm, "main", "z").uniques),
        ["sqlite_autoindex_z_1", "sqlite_autoindex_z_2"]
    );
    // A rowid alias has no index: the UNIQUE makes one.
    assert_eq!(
        names(&table(&realm, "main", "r").uniques),
        ["sqlite_autoindex_r_1"]
    );
}

#[test]
fn sqlite_derived_constraint_names_follow_renames() {
    // The usual SQLite table rebuild: a new table, renamed into the old one's place.
    assert_same(
        Dialect::Sqlite,
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t_new (a INT REFERENCES p, b INT CHECK (b > 0), CHECK (a < b),
           CONSTRAINT kept CHECK (a <> 0));
         ALTER TABLE t_new RENAME COLUMN b TO c;
         ALTER TABLE t_new RENAME TO t;",
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t (a INT REFERENCES p, c INT CHECK (c > 0), CHECK (a < c),
           CONSTRAINT kept CHECK (a <> 0));",
    );
}

#[test]
fn sqlite_integer_primary_key_desc_is_no_rowid_alias() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE d (id INTEGER PRIMARY KEY DESC, v TEXT UNIQUE);",
    );
    // The primary key has its own index, sqlite_autoindex_d_1.
    assert_eq!(
        names(&table(&realm, "main", "d").uniques),
        ["sqlite_autoindex_d_2"]
    );
}

#[test]
fn sqlite_automatic_index_names_follow_a_table_rename() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT UNIQUE, CONSTRAINT named UNIQUE (id, v));
         ALTER TABLE u RENAME TO u2;",
    );
    assert_eq!(
        names(&table(&realm, "main", "u2").uniques),
        ["named", "sqlite_autoindex_u2_1"]
    );
}

fn some<T>(value: Option<T>, what: &str) -> T {
    match value {
        Some(value) => value,
        None => panic!("missing: {what}"),
    }
}

fn table_of<'a>(realm: &'a Realm, schema: &str, name: &str) -> &'a Table {
    match realm.table(&schema_model::QualifiedName::new(schema, name)) {
        Some(t) => t,
        None => panic!("no table {schema}.{name}:\n{}", realm.to_json()),
    }
}

#[test]
fn mysql_partition_by_is_cut_out_and_recorded() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE t (id int NOT NULL, y int NOT NULL, PRIMARY KEY (id, y))
         /*!50100 PARTITION BY RANGE (year(`y`))
         (PARTITION p1 VALUES LESS THAN (2022),
          PARTITION   p2 VALUES LESS THAN (2023)) */;
         CREATE TABLE h (id int) PARTITION BY LINEAR KEY ALGORITHM=2 (id) PARTITIONS 4;
         CREATE TABLE c (d date) PARTITION BY LIST COLUMNS (d) (PARTITION a VALUES IN ('2024-01-01'));",
    );
    let t = table_of(&realm, "", "t");
    assert_eq!(t.columns.len(), 2);
    let p = some(t.partition_by.as_ref(), "partitioned");
    assert_eq!(p.strategy, schema_model::PartitionStrategy::Range);
    assert_eq!(p.keys.len(), 1);
    assert!(p.keys[0].to_lowercase().contains("year"), "{:?}", p.keys);
    assert_eq!(
        p.partitions,
        [
            "PARTITION p1 VALUES LESS THAN (2022)",
            "PARTITION p2 VALUES LESS THAN (2023)"
        ]
    );
    let h = some(table_of(&realm, "", "h").partition_by.as_ref(), "h");
    assert_eq!(h.strategy, schema_model::PartitionStrategy::Key);
    assert_eq!(h.keys, ["id"]);
    assert_eq!(h.partitions, ["PARTITIONS 4"]);
    let c = some(table_of(&realm, "", "c").partition_by.as_ref(), "c");
    assert_eq!(c.strategy, schema_model::PartitionStrategy::List);
    assert_eq!(c.keys, ["d"]);
}

#[test]
fn mysql_alter_partitions_and_table_options() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE t (id int, y int, KEY k (y), CONSTRAINT ck CHECK (y > 0))
         PARTITION BY RANGE (y) (PARTITION p1 VALUES LESS THAN (10), PARTITION p2 VALUES LESS THAN (20));
         ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (30));
         ALTER TABLE t DROP PARTITION p1;
         ALTER TABLE t ENGINE=myisam;
         ALTER TABLE t COMMENT='hello';
         ALTER TABLE t RENAME INDEX k TO k2;
         ALTER TABLE t DROP CHECK ck;",
    );
    let t = table_of(&realm, "", "t");
    let p = some(t.partition_by.as_ref(), "partitioned");
    assert_eq!(
        p.partitions,
        [
            "PARTITION p2 VALUES LESS THAN (20)",
            "PARTITION p3 VALUES LESS THAN (30)"
        ]
    );
    assert_eq!(t.options.engine.as_deref(), Some("MyISAM"));
    assert_eq!(t.comment.as_deref(), Some("hello"));
    assert!(t.indexes.contains_key("k2") && !t.indexes.contains_key("k"));
    assert!(t.checks.is_empty());
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE u (id int); ALTER TABLE u PARTITION BY HASH (id) PARTITIONS 2;",
    );
    let u = some(table_of(&realm, "", "u").partition_by.as_ref(), "u");
    assert_eq!(u.strategy, schema_model::PartitionStrategy::Hash);
    assert_eq!(u.partitions, ["PARTITIONS 2"]);
    let error = load_err(
        Dialect::Mysql,
        "CREATE TABLE v (id int); ALTER TABLE v DROP PARTITION p;",
    );
    assert!(error.to_string().contains("not partitioned"), "{error}");
}

#[test]
fn postgres_index_on_only_is_not_propagated() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE p (id int, d date) PARTITION BY RANGE (d);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE INDEX p_only ON ONLY public.p USING btree (id);
         CREATE INDEX p_all ON p (d);
         CREATE INDEX ON p1 (id);
         CREATE INDEX ON p1 (d);",
    );
    let parent = table_of(&realm, "public", "p");
    assert!(parent.indexes.contains_key("p_only") && parent.indexes.contains_key("p_all"));
    // The copy of `p_all` is the parent's, but took `p1_d_idx`; `p_only` made no copy,
    // so `p1_id_idx` was free for the partition's own index.
    let child = table_of(&realm, "public", "p1");
    assert_eq!(names(&child.indexes), ["p1_d_idx1", "p1_id_idx"]);
}

#[test]
fn postgres_temporal_keys_are_refused_by_name() {
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE r (id int, valid tstzrange, PRIMARY KEY (id, valid WITHOUT OVERLAPS));",
    );
    assert!(matches!(error, LoadError::Unsupported { .. }), "{error}");
    assert!(error.to_string().contains("WITHOUT OVERLAPS"), "{error}");
    let error = load_err(
        Dialect::Postgres,
        "CREATE TABLE s (id int, valid tstzrange,
           FOREIGN KEY (id, PERIOD valid) REFERENCES r (id, PERIOD valid));",
    );
    assert!(error.to_string().contains("PERIOD"), "{error}");
}

#[test]
fn postgres_inline_check_not_valid_loads_valid() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (a int CONSTRAINT pos CHECK (a > 0) NOT VALID, b int);",
    );
    let t = table_of(&realm, "public", "t");
    assert_eq!(t.columns.len(), 2);
    let check = some(t.checks.get("pos"), "check pos");
    assert!(!check.not_valid);
}

#[test]
fn sqlite_sub_type_words_keep_their_affinity() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE t (a BLOB SUB_TYPE TEXT, b BLOB SUB_TYPE BINARY, c INT);",
    );
    let t = table_of(&realm, "main", "t");
    let types: Vec<_> = t.columns.iter().map(|c| c.data_type.clone()).collect();
    assert_eq!(types, [DataType::Text, DataType::Blob, DataType::Integer]);
}

#[test]
fn mysql_fulltext_parser_and_index_kinds() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE p (id int, title varchar(40),
           FULLTEXT KEY ft (title) /*!50100 WITH PARSER ngram */);
         CREATE FULLTEXT INDEX ft2 ON p (title);
         CREATE SPATIAL INDEX sp ON p (id);",
    );
    let t = table_of(&realm, "", "p");
    let ft = some(t.indexes.get("ft"), "ft");
    assert_eq!(ft.method, IndexMethod::Fulltext);
    assert_eq!(
        ft.parameters.get("parser").map(String::as_str),
        Some("ngram")
    );
    assert_eq!(
        t.indexes.get("ft2").map(|i| &i.method),
        Some(&IndexMethod::Fulltext)
    );
    assert_eq!(
        t.indexes.get("sp").map(|i| &i.method),
        Some(&IndexMethod::Spatial)
    );
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE v (id int, b blob, VECTOR INDEX vi (b));
         CREATE VECTOR INDEX vi2 ON v (b);",
    );
    let t = table_of(&realm, "", "v");
    let vector = IndexMethod::Other("vector".into());
    assert_eq!(t.indexes.get("vi").map(|i| &i.method), Some(&vector));
    assert_eq!(t.indexes.get("vi2").map(|i| &i.method), Some(&vector));

    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE w (id int, v VECTOR(4) NOT NULL, VECTOR INDEX wi (v) M=8 DISTANCE=euclidean);
         CREATE VECTOR INDEX wi2 ON w (v) DISTANCE=COSINE M=16;",
    );
    let t = table_of(&realm, "", "w");
    let options = |name: &str| {
        t.indexes
            .get(name)
            .map(|i| i.parameters.clone().into_iter().collect::<Vec<_>>())
    };
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        options("wi"),
        Some(vec![pair("distance", "euclidean"), pair("m", "8")])
    );
    assert_eq!(
        options("wi2"),
        Some(vec![pair("distance", "cosine"), pair("m", "16")])
    );
}

#[test]
fn sqlite_auto_increment_is_part_of_the_type_name() {
    let realm = load(
        Dialect::Sqlite,
        "CREATE TABLE t (a INT NOT NULL, id BIGINT AUTO_INCREMENT UNIQUE, n VARCHAR AUTO_INCREMENT);",
    );
    let t = table_of(&realm, "main", "t");
    let types: Vec<_> = t.columns.iter().map(|c| c.data_type.clone()).collect();
    assert_eq!(
        types,
        [DataType::Integer, DataType::Integer, DataType::Text]
    );
    assert_eq!(t.uniques.len(), 1, "{:?}", t.uniques);
}

#[test]
fn mysql_binary_attribute_is_the_binary_collation() {
    let realm = load(
        Dialect::Mysql,
        "CREATE TABLE u (w varchar(64) BINARY NOT NULL, x char(2) CHARACTER SET latin1 BINARY,
           b BINARY(16)) DEFAULT CHARSET=utf8mb3;
         CREATE TABLE v (w varchar(8) BINARY);",
    );
    let u = table_of(&realm, "", "u");
    let collations: Vec<_> = u.columns.iter().map(|c| c.collation.clone()).collect();
    assert_eq!(
        collations,
        [
            Some("utf8mb3_bin".to_owned()),
            Some("latin1_bin".to_owned()),
            None
        ]
    );
    let v = table_of(&realm, "", "v");
    assert_eq!(v.columns[0].collation.as_deref(), Some("utf8mb4_bin"));
}

// ----- partitions keep only their own keys -----

#[test]
fn attached_partitions_leave_the_parents_keys_to_the_parent() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE p (d date NOT NULL, id int NOT NULL, code int, PRIMARY KEY (d, id), UNIQUE (d, code))
           PARTITION BY RANGE (d);
         CREATE INDEX ON p (code);
         CREATE TABLE p1 (d date NOT NULL, id int NOT NULL, code int);
         ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
         CREATE INDEX ON p1 (code);",
    );
    let p1 = pg_table(&realm, "p1");
    assert!(p1.primary_key.is_none());
    assert!(p1.uniques.is_empty());
    // The copy the server made took `p1_code_idx`: the partition's own index, created
    // after, is named next to it.
    assert_eq!(names(&p1.indexes), ["p1_code_idx1"]);
    assert_eq!(
        pg_table(&realm, "p")
            .primary_key
            .as_ref()
            .map(|pk| pk.name.as_str()),
        Some("p_pkey")
    );
    // The same as a partition created with PARTITION OF.
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE p (d date NOT NULL, id int NOT NULL, PRIMARY KEY (d, id)) PARTITION BY RANGE (d);
         CREATE TABLE p1 (d date NOT NULL, id int NOT NULL);
         ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');",
        "CREATE TABLE p (d date NOT NULL, id int NOT NULL, PRIMARY KEY (d, id)) PARTITION BY RANGE (d);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');",
    );
}

#[test]
fn keys_added_to_a_partitioned_table_stay_on_it_in_every_form() {
    let added = "CREATE TABLE p (d date NOT NULL, id int NOT NULL) PARTITION BY RANGE (d);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
         ALTER TABLE p ADD PRIMARY KEY (d, id);";
    let realm = load(Dialect::Postgres, added);
    assert!(pg_table(&realm, "p1").primary_key.is_none());
    // pg_dump's form: ONLY on the parent, the partition's key added on its own, then
    // attached to the parent's.
    assert_same(
        Dialect::Postgres,
        added,
        "CREATE TABLE p (d date NOT NULL, id int NOT NULL) PARTITION BY RANGE (d);
         CREATE TABLE p1 (d date NOT NULL, id int NOT NULL);
         ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
         ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (d, id);
         ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (d, id);
         ALTER INDEX p_pkey ATTACH PARTITION p1_pkey;",
    );
}

#[test]
fn a_detached_partition_keeps_what_it_had_from_its_parent() {
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE p (d date NOT NULL, id int NOT NULL, PRIMARY KEY (d, id)) PARTITION BY RANGE (d);
         CREATE INDEX ON p (id);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
         ALTER TABLE p DETACH PARTITION p1;",
    );
    let p1 = pg_table(&realm, "p1");
    assert!(p1.partition_of.is_none());
    assert_eq!(
        p1.primary_key.as_ref().map(|pk| pk.name.as_str()),
        Some("p1_pkey")
    );
    assert_eq!(names(&p1.indexes), ["p1_id_idx"]);
}

#[test]
fn a_quoted_special_syntax_function_name_survives_render_and_load() {
    // pg_dump writes `"substring"(x, 1, 1)` in view definitions: a plain call, which a
    // bare `substring(...)` would not be.
    let sql = "CREATE VIEW v AS SELECT \"substring\"('abc', 1, 1) AS s;";
    let opts = LoadOptions::new(Dialect::Postgres);
    let first = load_sql(sql, "a.sql", &opts).map(|l| l.realm);
    let Ok(first) = first else {
        panic!("the view did not load: {first:?}");
    };
    let definition = &first.schemas["public"].views["v"].definition;
    assert!(
        definition.contains("\"substring\"('abc', 1, 1)"),
        "{definition}"
    );
}

#[test]
fn numeric_with_precision_only_has_scale_zero() {
    // PostgreSQL stores numeric(10) as numeric(10,0); format_type prints it so.
    let loaded = schema_inspect::load_sql(
        "CREATE TABLE t (a numeric(10), b decimal(5), c numeric(10,0));",
        "test.sql",
        &schema_inspect::LoadOptions::new(schema_model::Dialect::Postgres),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let table = &loaded.realm.schemas["public"].tables["t"];
    let types: Vec<String> = table
        .columns
        .iter()
        .map(|c| c.data_type.to_string())
        .collect();
    assert_eq!(types, ["numeric(10,0)", "numeric(5,0)", "numeric(10,0)"]);
}

// ----- identifiers longer than 63 bytes -----

/// Checked on PostgreSQL 15: the scanner cuts every identifier to 63 bytes at a
/// character boundary (with a NOTICE), so 33 two-byte `é` are 31, and two long
/// spellings with the same first 63 bytes name one table.
#[test]
fn pg_identifiers_are_cut_to_63_bytes() {
    let long = "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij";
    let realm = load(
        Dialect::Postgres,
        &format!(
            "CREATE TABLE \"{}\" (a int);
             CREATE TABLE {long}_xyz (id int PRIMARY KEY);
             ALTER TABLE {long}_other ADD COLUMN b int;
             CREATE TABLE c (p int, CONSTRAINT c_fk_{long} FOREIGN KEY (p) REFERENCES {long}_xyz);",
            "é".repeat(33)
        ),
    );
    let public = &realm.schemas["public"];
    assert!(public.tables.contains_key(&"é".repeat(31)));
    let cut = &long[..63];
    let t = pg_table(&realm, cut);
    assert_eq!(t.columns.len(), 2);
    let c = pg_table(&realm, "c");
    let fk_name = &format!("c_fk_{long}")[..63];
    let fk = c.foreign_keys.get(fk_name);
    assert_eq!(fk.map(|fk| fk.referenced_table.name.as_str()), Some(cut));
}

#[test]
fn pg_variadic_arrays_read_as_spread_arguments() {
    // The server prints a variadic call with `VARIADIC ARRAY[...]` however it was
    // written; both spellings are one expression.
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (col jsonb); CREATE UNIQUE INDEX i ON t (jsonb_extract_path_text(col, 'foo', 'bar'));",
        "CREATE TABLE t (col jsonb); CREATE UNIQUE INDEX i ON t (jsonb_extract_path_text(col, VARIADIC ARRAY['foo'::text, 'bar'::text]));",
    );
    assert_same(
        Dialect::Postgres,
        "CREATE TABLE t (col jsonb); CREATE VIEW v AS SELECT jsonb_extract_path_text(col, 'a') AS a FROM t;",
        "CREATE TABLE t (col jsonb); CREATE VIEW v AS SELECT jsonb_extract_path_text(col, VARIADIC ARRAY['a']) AS a FROM t;",
    );
    // `VARIADIC` text inside a string literal is left alone.
    let realm = load(
        Dialect::Postgres,
        "CREATE TABLE t (s text CHECK (s <> 'VARIADIC ARRAY[1]'));",
    );
    let checks = &pg_table(&realm, "t").checks;
    assert_eq!(
        checks.values().next().map(|c| c.expression.as_str()),
        Some("s <> 'VARIADIC ARRAY[1]'")
    );
}
