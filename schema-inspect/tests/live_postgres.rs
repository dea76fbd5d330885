//! Live PostgreSQL inspection against a real server: what the offline loader reads
//! from SQL must equal what the inspector reads from a database built from that SQL.
//!
//! Set `SEXTANT_TEST_POSTGRES_URL` (`postgres://postgres@127.0.0.1:5432/postgres`) to
//! run them; without it each test says why and passes, unless
//! `SEXTANT_REQUIRE_LIVE=1`. Every test loads into its own scratch database.

#![cfg(feature = "postgres")]
// Tests say why they skip and what differs; a failed setup is a failed test.
#![allow(
    clippy::print_stderr,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::unwrap_used
)]

use schema_inspect::live::{InspectError, InspectOptions, postgres};
use schema_inspect::{LoadOptions, Source, load_sql};
use schema_model::{Dialect, Realm, compare};

fn server() -> Option<String> {
    match std::env::var("SEXTANT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but SEXTANT_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipped: SEXTANT_TEST_POSTGRES_URL is not set");
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

fn offline(sql: &str) -> Realm {
    load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Postgres))
        .unwrap_or_else(|e| panic!("offline load failed: {e}"))
        .realm
}

fn live(url: &str, sql: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    runtime().block_on(postgres::load_dev(
        url,
        &[Source::new("test.sql", sql)],
        options,
    ))
}

/// Whether the server offers an extension (`pg_available_extensions`).
fn available(url: &str, extension: &str) -> bool {
    let probe = format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = '{extension}') \
         THEN RAISE EXCEPTION 'missing'; END IF; END $$;"
    );
    live(url, &probe, &InspectOptions::default()).is_ok()
}

/// Offline and live agree on `sql`; prints every difference otherwise. Returns the
/// live realm, for tests that also check values against what the server reports.
fn assert_agree(url: &str, sql: &str) -> Realm {
    assert_agree_live(url, sql, sql)
}

/// The offline load of `sql` equals the live load of `live_sql` (the same schema,
/// written so that the server accepts it again).
fn assert_agree_live(url: &str, sql: &str, live_sql: &str) -> Realm {
    let offline = offline(sql);
    let live = live(url, live_sql, &InspectOptions::default())
        .unwrap_or_else(|e| panic!("live load failed: {e}"));
    let differences = compare(&offline, &live);
    for d in &differences {
        eprintln!("{d}");
    }
    assert_eq!(differences.len(), 0, "differences (offline | live)");
    live
}

macro_rules! agreement {
    ($($name:ident: $sql:expr;)*) => {$(
        #[test]
        fn $name() {
            let Some(url) = server() else { return };
            assert_agree(&url, $sql);
        }
    )*};
}

agreement! {
    aliases_in_later_leaves_of_a_subquery_union: "CREATE TABLE a (x int, c int); CREATE TABLE b (x int);
    CREATE VIEW v1 AS SELECT q.x, q.c FROM (SELECT x, c FROM a UNION ALL SELECT x, NULL FROM b) q;
    CREATE VIEW v2 AS SELECT q.x, q.c FROM (SELECT a.x, a.c FROM a UNION ALL SELECT b.x, NULL::integer AS whatever FROM b) q;";
    composite_star_of_a_row_function: "CREATE SCHEMA mb; SET search_path = mb, public;
    CREATE TABLE editor (id int PRIMARY KEY, name text, password text);
    CREATE FUNCTION sanitize_editor(editor) RETURNS editor LANGUAGE sql AS $$ SELECT $1.id, $1.name, NULL::text $$;
    CREATE VIEW editor_sanitized AS SELECT (sanitize_editor(editor)).* FROM editor;
    CREATE VIEW named AS SELECT (sanitize_editor(e)).*, e.id AS original FROM editor e;";
    public_schema_grants: "GRANT ALL ON SCHEMA public TO PUBLIC; GRANT USAGE ON SCHEMA public TO pg_monitor;";
    alter_view_rename_column: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; ALTER VIEW v RENAME COLUMN a TO b; ALTER VIEW v RENAME TO w; CREATE VIEW u AS SELECT 1 AS x, 2 AS y; ALTER VIEW u RENAME COLUMN y TO \"Why\";";
    alter_matview_rename_setschema: "CREATE SCHEMA s; CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; ALTER MATERIALIZED VIEW m RENAME TO m2; ALTER MATERIALIZED VIEW m2 SET SCHEMA s; ALTER MATERIALIZED VIEW s.m2 RENAME COLUMN a TO b; CREATE VIEW u AS SELECT 1 AS x, 2 AS y; ALTER VIEW u RENAME COLUMN y TO \"Why\";";
    default_privileges_reach_new_tables: "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO pg_monitor;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT ON TABLES TO pg_read_all_data;
    CREATE TABLE t2 (a int);
    GRANT USAGE ON SCHEMA public TO pg_monitor;";
    alter_fk_timing_1: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int CONSTRAINT f REFERENCES p DEFERRABLE INITIALLY DEFERRED, q int CONSTRAINT g REFERENCES p); ALTER TABLE c ALTER CONSTRAINT f DEFERRABLE; ALTER TABLE c ALTER CONSTRAINT g INITIALLY DEFERRED;";
    alter_fk_timing_2: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int CONSTRAINT f REFERENCES p DEFERRABLE INITIALLY DEFERRED); ALTER TABLE c ALTER CONSTRAINT f NOT DEFERRABLE;";
    alter_identity_2: "CREATE TABLE t (b bigint GENERATED BY DEFAULT AS IDENTITY (MINVALUE 5 MAXVALUE 1000 CACHE 3)); ALTER TABLE t ALTER COLUMN b SET GENERATED ALWAYS SET MAXVALUE 50 SET NO CYCLE RESTART; ALTER TABLE t ALTER b SET START WITH 7 SET CACHE 1;";
    alter_index_params_2: "CREATE TABLE t (a int, v tsvector); CREATE INDEX i ON t USING gin (v) WITH (fastupdate = off); ALTER INDEX i SET (gin_pending_list_limit = 128, fastupdate = on); ALTER INDEX IF EXISTS i RESET (fastupdate); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX mi ON m (a); ALTER INDEX mi SET (fillfactor = 80);";
    alter_type_set_schema_2: "CREATE SCHEMA s; CREATE TYPE r AS RANGE (subtype = int4); ALTER TYPE r SET SCHEMA s; CREATE TYPE c AS (x int); ALTER TYPE c SET SCHEMA s; CREATE TABLE t (v s.c);";
    alter_procedure_2: "CREATE SCHEMA s; CREATE PROCEDURE p(a int, b text) LANGUAGE sql AS $$ SELECT 1 $$; ALTER PROCEDURE p(int, text) SET SCHEMA s; ALTER ROUTINE s.p(int, text) RENAME TO q;";
    alter_drop_expression_2: "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) STORED, c int); ALTER TABLE t ALTER b DROP EXPRESSION; ALTER TABLE t ALTER c DROP EXPRESSION IF EXISTS;";
    alter_index_rename_setschema: "CREATE SCHEMA s; CREATE TABLE t (a int); CREATE INDEX i ON t (a); ALTER INDEX i RENAME TO j; ALTER INDEX IF EXISTS nope RENAME TO k;";
    alter_enum_alters: "CREATE SCHEMA s; CREATE TYPE e AS ENUM ('a','c'); ALTER TYPE e ADD VALUE 'b' BEFORE 'c'; ALTER TYPE e ADD VALUE IF NOT EXISTS 'a'; ALTER TYPE e RENAME VALUE 'a' TO 'z'; ALTER TYPE e RENAME TO e2; ALTER TYPE e2 SET SCHEMA s;";
    alter_fk_alter_constraint: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int CONSTRAINT f REFERENCES p); ALTER TABLE c ALTER CONSTRAINT f DEFERRABLE INITIALLY DEFERRED;";
    alter_identity_alters: "CREATE TABLE t (a int NOT NULL, b int GENERATED ALWAYS AS IDENTITY); ALTER TABLE t ALTER a ADD GENERATED BY DEFAULT AS IDENTITY (START 10); ALTER TABLE t ALTER b SET GENERATED BY DEFAULT; ALTER TABLE t ALTER b RESTART WITH 100; ALTER TABLE t ALTER b SET INCREMENT BY 5;";
    alter_index_alter_set: "CREATE TABLE t (a int); CREATE INDEX i ON t (a) WITH (fillfactor = 50); ALTER INDEX i SET (fillfactor = 60); ALTER INDEX i RESET (fillfactor);";
    alter_procedure: "CREATE PROCEDURE p(INOUT x int) LANGUAGE plpgsql AS $$BEGIN x := x + 1; END$$; ALTER PROCEDURE p(int) RENAME TO p2;";
    alter_generated_virtual_stored: "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED); ALTER TABLE t ALTER COLUMN b DROP EXPRESSION;";
    moves_and_attribute_changes: "CREATE SCHEMA s;
    CREATE TABLE t (id serial PRIMARY KEY, n text);
    CREATE TABLE r (t_id int REFERENCES t);
    ALTER TABLE t SET SCHEMA s;
    ALTER TABLE IF EXISTS nope SET SCHEMA s;
    CREATE TYPE pair AS (a int, c text);
    ALTER TYPE pair ADD ATTRIBUTE b text COLLATE \"C\", DROP ATTRIBUTE c;
    ALTER TYPE pair RENAME ATTRIBUTE a TO x;
    ALTER TYPE pair ALTER ATTRIBUTE x SET DATA TYPE bigint;
    ALTER TYPE pair DROP ATTRIBUTE IF EXISTS zz;
    CREATE TYPE p2 AS (b text COLLATE \"C\");
    CREATE TABLE u (id bigserial);
    ALTER SEQUENCE u_id_seq RENAME TO u_seq;";
    tables_and_columns: "CREATE TABLE t (
        id serial PRIMARY KEY,
        b bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5),
        c int GENERATED BY DEFAULT AS IDENTITY,
        name varchar(20) NOT NULL DEFAULT 'x' COLLATE \"C\",
        price numeric(10,2) DEFAULT 0,
        ratio double precision, r real, flag boolean DEFAULT false,
        tags text[], at timestamptz(3) DEFAULT now(), d date, tm time, iv interval,
        u uuid, j jsonb, bits bit(3), vb bit varying(8), ch char(2), ip inet, by bytea,
        g int GENERATED ALWAYS AS (id * 2) STORED
    );
    CREATE UNLOGGED TABLE un (a int) WITH (fillfactor = 70);
    COMMENT ON TABLE t IS 'tee';
    COMMENT ON COLUMN t.name IS 'nm';";
    constraints: "CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE, a int, b int,
        CONSTRAINT ab UNIQUE (a, b), CONSTRAINT ba UNIQUE (b, a) DEFERRABLE INITIALLY DEFERRED);
    CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p(id) ON DELETE CASCADE ON UPDATE SET NULL,
        a int, b int, v int CHECK (v > 0),
        CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES p(a, b) MATCH FULL DEFERRABLE,
        CONSTRAINT v_small CHECK (v < 100) NO INHERIT);
    ALTER TABLE c ADD CONSTRAINT later CHECK (a <> b) NOT VALID;
    COMMENT ON CONSTRAINT v_small ON c IS 'small';";
    indexes: "CREATE TABLE t (id int PRIMARY KEY, note text, n int, ts tsvector, r int4range);
    CREATE INDEX ON t (lower(note)) WHERE id > 5;
    CREATE UNIQUE INDEX t_u ON t USING btree (note DESC NULLS LAST, id) INCLUDE (n) WITH (fillfactor = 70);
    CREATE INDEX t_pat ON t (note text_pattern_ops);
    CREATE INDEX t_coll ON t (note COLLATE \"C\");
    CREATE INDEX t_gin ON t USING gin (ts);
    CREATE INDEX t_gist ON t USING gist (r);
    CREATE INDEX t_brin ON t USING brin (n);
    CREATE INDEX t_hash ON t USING hash (note);
    CREATE INDEX t_nf ON t (n NULLS FIRST);
    CREATE UNIQUE INDEX t_nnd ON t (n) NULLS NOT DISTINCT;
    COMMENT ON INDEX t_gin IS 'gin';";
    // pg_get_viewdef qualifies every column with its relation; the offline loader
    // keeps them as written, so these views are written the server's way.
    views: "CREATE TABLE t (id int, name text);
    CREATE TABLE u (id int, t_id int);
    CREATE VIEW v AS SELECT t.id, t.name FROM t WHERE t.id > 10;
    CREATE VIEW j AS SELECT t.id, u.id AS u_id FROM t JOIN u ON u.t_id = t.id LEFT JOIN u u2 ON u2.id = u.id;
    CREATE VIEW v2 WITH (security_barrier = true) AS SELECT t.id FROM t WITH LOCAL CHECK OPTION;
    CREATE MATERIALIZED VIEW mv AS SELECT t.id FROM t WITH NO DATA;
    CREATE INDEX mv_id ON mv (id);
    COMMENT ON VIEW v IS 'vee';";
    // Over a single relation, pg_get_viewdef's qualifiers and resolved casts are left
    // out on both sides, so views read as people write them.
    views_over_one_relation: "CREATE TABLE products (id int, name text, price numeric(8,2),
        category varchar(20), tier text);
    CREATE VIEW cheap AS SELECT id, name FROM products WHERE price < 50 AND tier = 'premium';
    CREATE VIEW by_category AS SELECT category, sum(price) AS total FROM products
        GROUP BY category ORDER BY category DESC;
    CREATE VIEW aliased AS SELECT p.id, date_trunc('month', now()) AS m FROM products p
        WHERE p.category = 'x';
    CREATE VIEW names AS SELECT name FROM cheap UNION SELECT name FROM products;";
    // What the server resolves when it stores a view: `*` expanded, every column
    // qualified, nested relations renamed, items named, literals and NULLs typed,
    // aliases resolved, casts beside columns of views.
    views_as_people_write_them: "CREATE TABLE t (id int, name text, d date);
    CREATE TABLE u (id int, x text, n numeric(10,2));
    CREATE VIEW star AS SELECT * FROM t JOIN u USING (id);
    CREATE VIEW nested AS SELECT * FROM t WHERE id IN (SELECT id FROM t WHERE name IS NULL);
    CREATE VIEW cte AS WITH q AS (SELECT id, n FROM u WHERE n > 0) SELECT t.name, q.n FROM t INNER JOIN q ON t.id = q.id;
    CREATE VIEW named AS SELECT 1, 'x' AS label, count(*), 4 AS time, CASE WHEN 1 > 0 THEN 2 END AS c FROM t;
    CREATE VIEW grouped AS SELECT id AS k, sum(n) AS total FROM u GROUP BY k ORDER BY total;
    CREATE VIEW unioned AS (SELECT id, 'a' AS s FROM t) UNION ALL (SELECT NULL, 'b');
    CREATE VIEW over_view AS SELECT k, date_trunc('month', now()) AS m FROM grouped WHERE total > 100;
    CREATE VIEW monthly AS SELECT date_trunc('month', d) AS m FROM t LEFT OUTER JOIN u AS uu ON uu.id = t.id;";
    sequences: "CREATE SEQUENCE s1 START 5 INCREMENT 2 CACHE 10;
    CREATE SEQUENCE s2 AS integer MINVALUE -10 MAXVALUE 10 CYCLE;
    CREATE TABLE t (id int);
    CREATE SEQUENCE s3 OWNED BY t.id;
    COMMENT ON SEQUENCE s1 IS 'one';";
    types: "CREATE SCHEMA app;
    CREATE TYPE app.mood AS ENUM ('sad', 'ok');
    CREATE TYPE app.pair AS (a int, b text);
    CREATE DOMAIN app.posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);
    CREATE TYPE app.fr AS RANGE (subtype = float8);
    CREATE TABLE app.t (m app.mood, ms app.mood[], p app.posint);
    COMMENT ON TYPE app.mood IS 'feel';";
    functions: "CREATE FUNCTION f(a integer, b text DEFAULT 'q') RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a $$;
    CREATE FUNCTION g() RETURNS SETOF text LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER AS $$ BEGIN RETURN NEXT 'x'; END $$;
    CREATE PROCEDURE pr(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN x := x + 1; END $$;
    COMMENT ON FUNCTION g() IS 'gee';";
    triggers_and_policies: "CREATE TABLE t (id int, note text);
    CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF note ON t FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION trg('a', 'b');
    CREATE TRIGGER st AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION trg();
    CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trg();
    ALTER TABLE t DISABLE TRIGGER st;
    ALTER TABLE t ENABLE ROW LEVEL SECURITY;
    ALTER TABLE t FORCE ROW LEVEL SECURITY;
    CREATE POLICY p ON t FOR SELECT USING (id > 0);
    CREATE POLICY p2 ON t AS RESTRICTIVE FOR UPDATE TO PUBLIC USING (true) WITH CHECK (id < 10);
    COMMENT ON TRIGGER tr ON t IS 'tr';";
    partitions: "CREATE TABLE p (id int, at date, k text) PARTITION BY RANGE (at);
    CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
    CREATE TABLE p2 PARTITION OF p DEFAULT;
    CREATE TABLE l (id int, k text) PARTITION BY LIST (k);
    CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a', 'b');
    CREATE TABLE h (id int) PARTITION BY HASH (id);
    CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
    CREATE TABLE parent (a int); CREATE TABLE child (b int) INHERITS (parent);";
    privileges: "CREATE SCHEMA app;
    CREATE TABLE app.t (id int, secret text);
    CREATE SEQUENCE app.s;
    CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
    GRANT USAGE ON SCHEMA app TO PUBLIC;
    GRANT SELECT, INSERT ON app.t TO PUBLIC;
    GRANT UPDATE (secret) ON app.t TO PUBLIC;
    GRANT USAGE ON SEQUENCE app.s TO PUBLIC;
    ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
    ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO PUBLIC;";
    extensions_and_collations: "CREATE EXTENSION hstore;
    CREATE EXTENSION citext;
    CREATE TABLE t (h hstore, c citext);
    CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    COMMENT ON COLLATION ci IS 'case-insensitive';";
    // The casts the server resolves and prints are left out on both sides.
    resolved_casts: "CREATE TYPE mood AS ENUM ('a', 'b');
    CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
    CREATE DOMAIN code AS varchar(5) CHECK (VALUE IN ('a', 'b'));
    CREATE TABLE t (s text, v varchar(10), c char(2), n numeric(8,2), f float8, m mood,
        d date, iv interval, j jsonb, arr text[], e email, b bigint,
        at timestamptz DEFAULT timezone('utc', now()),
        g text GENERATED ALWAYS AS (coalesce(s, '') || ' ' || coalesce(s, '')) STORED,
        CHECK (s IN ('x', 'y')), CHECK (v IN ('x', 'y')), CHECK (c IN ('x', 'y')),
        CHECK (n >= 0), CHECK (f > 0.5), CHECK (n > 0.5), CHECK (m <> 'a'),
        CHECK (m IN ('a', 'b')), CHECK (v = 'x'), CHECK (v LIKE 'a%'), CHECK (s <> ''),
        CHECK (d > '2020-01-01'), CHECK (iv > '1 day'), CHECK (j ? 'k'),
        CHECK (s = ANY ('{a,b}')), CHECK (arr @> '{a}'), CHECK (lower(s) = 'x'),
        CHECK (e = 'x@y'), CHECK (b > 0), CHECK (at > now() - interval '1 day'),
        CHECK (length(s) < 10), CHECK (n BETWEEN 0 AND 100), CHECK (b NOT BETWEEN 5 AND 6),
        CHECK (s IN ('one')), CHECK (s NOT IN ('two')), CHECK (s::text <> 'z'),
        CHECK (v || '@' || v <> 'a'), CHECK ('a' || 'b' <> s));
    CREATE INDEX t_s ON t (s) WHERE s = 'active';
    CREATE INDEX t_m ON t (lower(s)) WHERE m = 'a' AND v IN ('p', 'q');
    CREATE INDEX t_ops ON t (s text_ops, v text_ops, b pg_catalog.int8_ops);
    CREATE INDEX t_gin ON t USING gin (arr array_ops, j jsonb_ops);
    CREATE INDEX t_pat ON t (s text_pattern_ops);";
    // Typed literals print through their type's output function, in the session the
    // inspector sets (TimeZone UTC, lc_monetary C): both sides compute the same text.
    typed_literals_and_null_defaults: "CREATE DOMAIN qty AS integer DEFAULT 0 NOT NULL;
    CREATE FUNCTION new_id() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
    CREATE TABLE t (v varchar(16) DEFAULT NULL, q qty DEFAULT NULL,
        mask bit(8) DEFAULT x'1F', p money DEFAULT money '1234.567',
        y interval DEFAULT interval '1.5' year, m interval DEFAULT interval '90' minute,
        i2 interval day to second(0) DEFAULT '1 day 2 hours 3.5 seconds',
        ts timestamp DEFAULT '1970-01-01 00:00:01+00:00'::timestamp,
        tz timestamptz DEFAULT '2022-04-01 00:00:00+01',
        a text[] DEFAULT ARRAY['a', 'b']::text[], pid text DEFAULT ('acc_' || new_id()),
        n numeric CHECK (n <> numeric '1.5'), x int, z int, CHECK ((x, z) > (0, 0)));
    CREATE TABLE pay (d timestamptz NOT NULL) PARTITION BY RANGE (d);
    CREATE TABLE pay_04 PARTITION OF pay FOR VALUES FROM ('2022-04-01 00:00:00+01') TO ('2022-05-01 00:00:00+01');";
    // DO blocks that only run DDL: a conditional extension, EXECUTE of a constant, and
    // an exception handler that does not run.
    do_blocks: "DO LANGUAGE plpgsql $$ BEGIN
        IF (NOT EXISTS (SELECT extname FROM pg_extension WHERE extname = 'citext')) THEN
            CREATE EXTENSION citext;
        END IF;
    END $$;
    DO $$ BEGIN
        EXECUTE 'CREATE TABLE t (a citext)';
        CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $f$ SELECT x $f$;
    EXCEPTION WHEN insufficient_privilege THEN
        CREATE TABLE fallback (a int);
    END $$;";
    // Routine signatures: a table's row type found through the search path is named
    // with its schema.
    routine_row_types: "CREATE SCHEMA app;
    SET search_path = app, public;
    CREATE TABLE editor (id int, name text);
    CREATE FUNCTION sanitize(editor) RETURNS editor LANGUAGE sql AS $$ SELECT $1 $$;
    CREATE FUNCTION editors() RETURNS SETOF editor LANGUAGE sql AS $$ SELECT * FROM editor $$;
    CREATE TABLE public.customer (id int);
    CREATE FUNCTION customers() RETURNS SETOF customer LANGUAGE sql AS $$ SELECT * FROM customer $$;";
    exclusions: "CREATE EXTENSION btree_gist;
    CREATE TABLE r (room int, during tsrange,
        CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0));";
}

#[test]
fn shop_example() {
    let Some(url) = server() else { return };
    let sql = include_str!("../../examples/schemas/migrations-postgres/001_shop.sql");
    assert_agree(&url, sql);
}

/// Statements of the pg-features corpus whose offline and live readings still differ,
/// for reasons outside the inspector's reading of the catalog, each with the difference
/// it makes. The corpus test leaves them out (the statement from the line that starts
/// with the text to the line ending in `;`), so that it guards everything else; delete
/// an entry when its difference is gone.
const OPEN_IN_PG_FEATURES: &[(&str, &str)] = &[
    (
        "CREATE TABLE app.orders_2024 PARTITION OF",
        "bound: the server prints timestamptz bounds in its own output form \
         ('2024-01-01 00:00:00+00'), and the offline loader does not give partitions \
         the primary key they inherit",
    ),
    (
        "CREATE TABLE app.orders_2025 PARTITION OF",
        "as orders_2024",
    ),
    (
        "CREATE TABLE app.orders_default PARTITION OF",
        "the inherited primary key, as orders_2024",
    ),
    (
        "CREATE VIEW app.active_users AS",
        "view text: the server qualifies tags[1] as users.tags[1]",
    ),
    (
        "CREATE RECURSIVE VIEW app.nums",
        "view text: the server's aliases (nums_1) in a recursive view",
    ),
    (
        "CREATE MATERIALIZED VIEW app.order_totals AS",
        "view text: the server spells GROUP BY 1, 2 out",
    ),
    (
        "CREATE UNIQUE INDEX order_totals_uidx",
        "on app.order_totals, left out above",
    ),
    (
        "CREATE FUNCTION app.active_count()",
        "BEGIN ATOMIC body: the server adds the column alias and qualifies columns",
    ),
];

/// The SQL without the statements that start with one of `starts`.
fn without_statements(sql: &str, starts: &[(&str, &str)]) -> String {
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in sql.lines() {
        if !skipping && starts.iter().any(|(start, _)| line.starts_with(start)) {
            skipping = true;
        }
        if skipping {
            skipping = !line.trim_end().ends_with(';');
            continue;
        }
        kept.push(line);
    }
    kept.join("\n")
}

#[test]
fn pg_features_corpus() {
    let Some(url) = server() else { return };
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/pg-features/schema.sql"
    );
    let Ok(sql) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} is not there");
        return;
    };
    let narrowed = without_statements(&sql, OPEN_IN_PG_FEATURES);
    for (start, reason) in OPEN_IN_PG_FEATURES {
        assert!(
            sql.lines().any(|line| line.starts_with(start)),
            "{start}: not in the corpus any more"
        );
        eprintln!("left out: {start}... ({reason})");
    }
    let sql = narrowed;
    for extension in [
        "postgis",
        "pg_partman",
        "hstore",
        "citext",
        "btree_gist",
        "pgcrypto",
    ] {
        if sql.contains(extension) && !available(&url, extension) {
            eprintln!("skipped: the server does not offer the {extension} extension");
            return;
        }
    }
    // Roles belong to the server, not the scratch database: a second run finds them
    // there already, so the live side creates them only when missing.
    let live_sql: String = sql
        .lines()
        .map(|line| match line.strip_prefix("CREATE ROLE ") {
            Some(rest) => format!(
                "DO $$ BEGIN CREATE ROLE {}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
                rest.trim_end_matches(';')
            ),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_agree_live(&url, &sql, &live_sql);
}

#[test]
fn pgvector_types_and_indexes() {
    let Some(url) = server() else { return };
    if !available(&url, "vector") {
        eprintln!("skipped: the server does not offer the vector extension (pgvector)");
        return;
    }
    assert_agree(
        &url,
        "CREATE EXTENSION vector;
        CREATE TABLE items (id int PRIMARY KEY, e vector(3), h halfvec(3));
        CREATE INDEX items_ivf ON items USING ivfflat (e vector_cosine_ops) WITH (lists = 100);
        CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops) WITH (m = 16);",
    );
}

#[test]
fn schema_filter_reads_only_named_schemas() {
    let Some(url) = server() else { return };
    let sql =
        "CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.t (id int); CREATE TABLE b.u (id int);";
    let options = InspectOptions {
        schemas: vec!["a".into()],
        exclude: vec![],
    };
    let realm = live(&url, sql, &options).expect("live load");
    let names: Vec<&String> = realm.schemas.keys().collect();
    assert_eq!(names, ["a"]);
    assert!(realm.schemas["a"].tables.contains_key("t"));
}

#[test]
fn exclusion_patterns_leave_objects_out() {
    let Some(url) = server() else { return };
    let sql = "CREATE TABLE keep (id int); CREATE TABLE tmp_x (id int);
        CREATE VIEW tmp_v AS SELECT 1 AS one; CREATE SEQUENCE tmp_s;";
    let options = InspectOptions {
        schemas: vec![],
        exclude: vec!["public.tmp_*".into()],
    };
    let realm = live(&url, sql, &options).expect("live load");
    let public = &realm.schemas["public"];
    assert!(public.tables.contains_key("keep"));
    assert!(!public.tables.contains_key("tmp_x"));
    assert!(public.views.is_empty());
    assert!(public.sequences.is_empty());
}

#[test]
fn extension_objects_are_not_user_objects() {
    let Some(url) = server() else { return };
    let realm =
        live(&url, "CREATE EXTENSION hstore;", &InspectOptions::default()).expect("live load");
    let public = &realm.schemas["public"];
    assert!(realm.extensions.contains_key("hstore"));
    assert!(public.functions.is_empty(), "{:?}", public.functions.keys());
    assert!(public.types.is_empty());
    assert!(public.other_objects.is_empty());
}

#[test]
fn a_failing_statement_is_reported_with_its_location_and_the_servers_message() {
    let Some(url) = server() else { return };
    let sql = "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int REFERENCES missing (id));\n";
    match live(&url, sql, &InspectOptions::default()) {
        Err(InspectError::Apply { location, message }) => {
            assert_eq!(location.line, 3);
            assert_eq!(location.file, "test.sql");
            assert!(
                message.contains("relation \"missing\" does not exist"),
                "{message}"
            );
        }
        other => panic!("expected an Apply error, got {other:?}"),
    }
}

#[test]
fn connection_errors_name_the_target_without_the_password() {
    let url = "postgres://someone:hunter2@127.0.0.1:1/nowhere";
    match runtime().block_on(postgres::inspect_url(url, &InspectOptions::default())) {
        Err(e @ InspectError::Connect { .. }) => {
            let text = e.to_string();
            assert!(text.contains("127.0.0.1:1/nowhere"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
        other => panic!("expected a Connect error, got {other:?}"),
    }
}

/// A role without CREATEDB gets the fallback: a scratch schema inside a transaction
/// that is rolled back. What it reads must equal what the scratch database gives.
#[test]
fn a_role_that_cannot_create_databases_loads_in_a_rolled_back_schema() {
    use sqlx::{AssertSqlSafe, Connection as _};
    let Some(url) = server() else { return };
    let suffix = std::process::id();
    let (role, database) = (
        format!("sextant_nocreatedb_{suffix}"),
        format!("sextant_nocreatedb_{suffix}"),
    );
    // One statement at a time: DROP/CREATE DATABASE refuse to run in a transaction.
    let admin_sql = |statements: Vec<String>| {
        let url = url.clone();
        runtime().block_on(async move {
            let mut conn = sqlx::PgConnection::connect(&url).await?;
            for sql in statements {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await?;
            }
            conn.close().await
        })
    };
    admin_sql(vec![
        format!("DROP DATABASE IF EXISTS {database}"),
        format!("DROP ROLE IF EXISTS {role}"),
        format!("CREATE ROLE {role} LOGIN NOCREATEDB"),
        format!("CREATE DATABASE {database} OWNER {role}"),
    ])
    .expect("creating the role and its database");
    let sql = "CREATE TABLE t (id serial PRIMARY KEY, n int DEFAULT 1 CHECK (n > 0));
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
        CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE t ENABLE ROW LEVEL SECURITY;
        CREATE POLICY p ON t USING (n > 1);
        CREATE VIEW v AS SELECT id, n FROM t WHERE n > 1;
        CREATE INDEX t_n ON t (n) WHERE n > 2;";
    // The same server, as the new role (no password: the test server trusts loopback).
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let host = host.split(['/', '?']).next().unwrap_or(host);
    let role_url = format!("{scheme}://{role}@{host}/{database}");
    let live_result = live(&role_url, sql, &InspectOptions::default());
    let leftovers = runtime().block_on(async {
        let mut conn = sqlx::PgConnection::connect(&role_url).await?;
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sextant%'")
                .fetch_one(&mut conn)
                .await?;
        conn.close().await?;
        Ok::<_, sqlx::Error>(count)
    });
    admin_sql(vec![
        format!("DROP DATABASE {database} WITH (FORCE)"),
        format!("DROP ROLE {role}"),
    ])
    .expect("dropping the role and its database");
    let live = live_result.unwrap_or_else(|e| panic!("the fallback failed: {e}"));
    assert_eq!(
        leftovers.expect("counting schemas"),
        0,
        "the scratch schema is gone"
    );
    let differences = compare(&offline(sql), &live);
    for d in &differences {
        eprintln!("{d}");
    }
    assert!(differences.is_empty(), "differences (offline | live)");
}

/// The definition of an opaque object in the live realm.
fn definition(realm: &Realm, schema: &str, key: &str) -> Vec<String> {
    realm.schemas[schema]
        .other_objects
        .get(key)
        .unwrap_or_else(|| panic!("no {key} in {schema}"))
        .definition
        .clone()
}

// The expected texts below are pg_dump's for the same database (pg_dump -s, PostgreSQL
// 15), in canonical spacing, but where noted.

#[test]
fn aggregates_are_read_from_pg_aggregate() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE FUNCTION app.add_one(integer[], integer) RETURNS integer[] LANGUAGE sql IMMUTABLE
            AS $$ SELECT $1 || $2 $$;
        CREATE AGGREGATE app.collect(integer) (stype = int4[], sfunc = app.add_one,
            initcond = '{}', parallel = safe);
        CREATE AGGREGATE app.total(int8) (SFUNC = int8pl, STYPE = bigint, FINALFUNC_MODIFY = READ_ONLY);",
    );
    let app = &live.schemas["app"];
    let collect = &app.functions["collect(integer)"];
    assert_eq!(collect.kind, schema_model::FunctionKind::Aggregate);
    assert_eq!(
        collect.body,
        "(SFUNC = app.add_one, STYPE = integer[], INITCOND = '{}', PARALLEL = safe)"
    );
    // READ_ONLY is the default pg_dump leaves out.
    assert_eq!(
        app.functions["total(bigint)"].body,
        "(SFUNC = int8pl, STYPE = bigint)"
    );
}

#[test]
fn operators_and_casts_are_read_from_the_catalog() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE OPERATOR app.<~> (RIGHTARG = int4, LEFTARG = int4, PROCEDURE = int4eq,
            COMMUTATOR = <~>, RESTRICT = eqsel, HASHES);
        CREATE TYPE app.mood AS ENUM ('a');
        CREATE FUNCTION app.to_mood(text) RETURNS app.mood LANGUAGE sql AS $$ SELECT $1::app.mood $$;
        CREATE CAST (text AS app.mood) WITH FUNCTION app.to_mood(text) AS IMPLICIT;
        CREATE TYPE mood2 AS ENUM ('b');
        CREATE FUNCTION to_mood2(int4) RETURNS mood2 LANGUAGE sql AS $$ SELECT 'b'::mood2 $$;
        CREATE CAST (int4 AS mood2) WITH FUNCTION to_mood2(int4);",
    );
    assert_eq!(
        definition(&live, "public", "cast (integer AS public.mood2)"),
        ["CREATE CAST (integer AS public.mood2) WITH FUNCTION public.to_mood2(integer);"]
    );
    // The bare commutator, not defined yet, became a shell operator in `public`,
    // which pg_dump (and the model) leave out.
    assert_eq!(
        definition(&live, "app", "operator app.<~>(integer,integer)"),
        [
            "CREATE OPERATOR app.<~> (FUNCTION = int4eq, LEFTARG = integer, RIGHTARG = integer, \
          COMMUTATOR = OPERATOR(public.<~>), HASHES, RESTRICT = eqsel);"
        ]
    );
    assert!(
        live.schemas["public"]
            .other_objects
            .keys()
            .all(|k| !k.starts_with("operator"))
    );
    assert_eq!(
        definition(&live, "public", "cast (text AS app.mood)"),
        ["CREATE CAST (text AS app.mood) WITH FUNCTION app.to_mood(text) AS IMPLICIT;"]
    );
}

#[test]
fn rules_and_statistics_are_read_from_the_catalog() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE TABLE app.t (a int, b int, c text);
        CREATE RULE t_no_delete AS ON DELETE TO app.t DO INSTEAD NOTHING;
        CREATE STATISTICS app.t_stats (mcv, ndistinct) ON a, b FROM app.t;
        CREATE STATISTICS app.t_all ON a, b FROM app.t;
        SET search_path = app;
        CREATE STATISTICS t_some (dependencies, ndistinct, mcv) ON b, c FROM t;",
    );
    assert_eq!(
        definition(&live, "app", "rule t_no_delete ON app.t"),
        ["CREATE RULE t_no_delete AS ON DELETE TO app.t DO INSTEAD NOTHING;"]
    );
    assert_eq!(
        definition(&live, "app", "statistics app.t_stats"),
        ["CREATE STATISTICS app.t_stats (ndistinct, mcv) ON a, b FROM app.t;"]
    );
    assert_eq!(
        definition(&live, "app", "statistics app.t_all"),
        ["CREATE STATISTICS app.t_all ON a, b FROM app.t;"]
    );
    // All three kinds named are all kinds: the server prints no list.
    assert_eq!(
        definition(&live, "app", "statistics app.t_some"),
        ["CREATE STATISTICS app.t_some ON b, c FROM app.t;"]
    );
}

#[test]
fn text_search_objects_are_read_from_the_catalog() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE TEXT SEARCH DICTIONARY app.simple_nostop (TEMPLATE = pg_catalog.simple,
            STOPWORDS = english, Accept = false);
        CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION app.cfg ALTER MAPPING FOR word, asciiword
            WITH app.simple_nostop;
        CREATE TEXT SEARCH CONFIGURATION app.plain (PARSER = default);
        ALTER TEXT SEARCH CONFIGURATION app.plain ADD MAPPING FOR asciiword WITH simple;
        CREATE TEXT SEARCH CONFIGURATION app.copied (COPY = pg_catalog.german);",
    );
    assert_eq!(
        definition(&live, "app", "text search dictionary app.simple_nostop"),
        [
            "CREATE TEXT SEARCH DICTIONARY app.simple_nostop (TEMPLATE = pg_catalog.simple, \
          stopwords = 'english', accept = 'false');"
        ]
    );
    let cfg = definition(&live, "app", "text search configuration app.cfg");
    assert_eq!(
        cfg[0],
        "CREATE TEXT SEARCH CONFIGURATION app.cfg (PARSER = pg_catalog.\"default\");"
    );
    // pg_dump writes 19 mappings, the first two the altered ones.
    assert_eq!(cfg.len(), 20);
    assert_eq!(
        cfg[1],
        "ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR asciiword WITH app.simple_nostop;"
    );
    assert_eq!(
        cfg[10],
        "ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR hword_part WITH english_stem;"
    );
    assert_eq!(
        definition(&live, "app", "text search configuration app.plain"),
        [
            "CREATE TEXT SEARCH CONFIGURATION app.plain (PARSER = pg_catalog.\"default\");",
            "ALTER TEXT SEARCH CONFIGURATION app.plain ADD MAPPING FOR asciiword WITH simple;"
        ]
    );
    // Not pg_dump's form: the catalog cannot tell a copy from its source, and the
    // model writes an unchanged copy of a shipped configuration as the copy.
    assert_eq!(
        definition(&live, "app", "text search configuration app.copied"),
        ["CREATE TEXT SEARCH CONFIGURATION app.copied (COPY = pg_catalog.german);"]
    );
}

#[test]
fn foreign_data_objects_are_read_from_the_catalog() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE FOREIGN DATA WRAPPER w;
        CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', port '1');
        CREATE FOREIGN TABLE app.ft (id int4 NOT NULL, v varchar(5)) SERVER s
            OPTIONS (table_name 'x');",
    );
    assert_eq!(
        definition(&live, "public", "foreign data wrapper w"),
        ["CREATE FOREIGN DATA WRAPPER w;"]
    );
    assert_eq!(
        definition(&live, "public", "server s"),
        ["CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', port '1');"]
    );
    // The model's spelling of the type (varchar), not pg_dump's (character varying).
    assert_eq!(
        definition(&live, "app", "foreign table app.ft"),
        [
            "CREATE FOREIGN TABLE app.ft (id integer NOT NULL, v varchar(5)) SERVER s \
          OPTIONS (table_name 'x');"
        ]
    );
}

#[test]
fn publications_and_event_triggers_are_read_from_the_catalog() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE SCHEMA app;
        CREATE TABLE app.t (a int);
        CREATE TABLE app.u (a int);
        CREATE PUBLICATION p FOR TABLE app.t, app.u WITH (publish = 'insert');
        CREATE PUBLICATION p_all FOR ALL TABLES;
        CREATE PUBLICATION q WITH (publish = 'insert, update, delete, truncate');
        ALTER PUBLICATION q ADD TABLE ONLY app.u;
        ALTER PUBLICATION q ADD TABLE ONLY app.t;
        CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
        CREATE EVENT TRIGGER ddl ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE')
            EXECUTE FUNCTION app.on_ddl();
        ALTER EVENT TRIGGER ddl DISABLE;",
    );
    // Not pg_dump's form (which adds the tables one by one and always names what is
    // published): the tables in the order added, `publish` when not everything.
    assert_eq!(
        definition(&live, "public", "publication p"),
        ["CREATE PUBLICATION p FOR TABLE app.t, app.u WITH (publish = 'insert');"]
    );
    assert_eq!(
        definition(&live, "public", "publication q"),
        ["CREATE PUBLICATION q FOR TABLE app.u, app.t;"]
    );
    assert_eq!(
        definition(&live, "public", "publication p_all"),
        ["CREATE PUBLICATION p_all FOR ALL TABLES;"]
    );
    assert_eq!(
        definition(&live, "public", "event trigger ddl"),
        [
            "CREATE EVENT TRIGGER ddl ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') \
             EXECUTE FUNCTION app.on_ddl();",
            "ALTER EVENT TRIGGER ddl DISABLE;"
        ]
    );
}

#[test]
fn partitions_leave_their_partitioned_tables_keys_and_indexes_to_it() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE TABLE p (id int, k text, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
        CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('a');
        CREATE TABLE p2 PARTITION OF p FOR VALUES IN ('b') PARTITION BY HASH (id);
        CREATE TABLE p2_0 PARTITION OF p2 FOR VALUES WITH (MODULUS 1, REMAINDER 0);
        CREATE INDEX p_k ON p (k);
        CREATE INDEX p1_own ON p1 (id);
        CREATE TABLE p3 (id int NOT NULL, k text NOT NULL, CONSTRAINT p3_pk PRIMARY KEY (id, k));
        CREATE INDEX p3_k ON p3 (k);
        ALTER TABLE p ATTACH PARTITION p3 FOR VALUES IN ('c');
        CREATE TABLE q (id int, k text) PARTITION BY LIST (k);
        CREATE TABLE q1 PARTITION OF q FOR VALUES IN ('a');
        CREATE INDEX q_k ON ONLY q (k);
        CREATE INDEX q1_k ON q1 (k);
        ALTER INDEX q_k ATTACH PARTITION q1_k;
        CREATE TABLE d PARTITION OF p FOR VALUES IN ('d');
        ALTER TABLE p DETACH PARTITION d;",
    );
    let public = &live.schemas["public"];
    assert!(public.tables["p"].indexes.contains_key("p_k"));
    assert!(public.tables["p"].primary_key.is_some());
    // Copies the server made, and the partitions' own ones it attached (p3's), are the
    // parent's; what a partition created itself and did not attach is its own.
    for partition in ["p1", "p2", "p2_0", "p3", "q1"] {
        let table = &public.tables[partition];
        assert!(table.primary_key.is_none(), "{partition}");
        assert!(
            table.indexes.keys().all(|k| k == "p1_own"),
            "{partition}: {:?}",
            table.indexes.keys()
        );
    }
    assert!(public.tables["p1"].indexes.contains_key("p1_own"));
    // A detached partition's copies are its own.
    assert_eq!(
        public.tables["d"]
            .primary_key
            .as_ref()
            .map(|pk| pk.name.as_str()),
        Some("d_pkey")
    );
    assert!(public.tables["d"].indexes.contains_key("d_k_idx"));
}

#[test]
fn objects_of_extensions_are_left_out() {
    let Some(url) = server() else { return };
    // citext brings casts, operators, operator classes and aggregates (min, max);
    // postgis rules on its geometry_columns view.
    let live = assert_agree(&url, "CREATE EXTENSION citext; CREATE EXTENSION postgis;");
    let public = &live.schemas["public"];
    assert!(public.functions.is_empty(), "{:?}", public.functions.keys());
    assert!(
        public.other_objects.is_empty(),
        "{:?}",
        public.other_objects.keys()
    );
}

#[test]
fn libc_collations_name_their_provider() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "CREATE COLLATION c_posix FROM \"C\";
        CREATE COLLATION mixed (lc_collate = 'C', lc_ctype = 'POSIX');",
    );
    // pg_dump: (provider = libc, locale = 'C') and (provider = libc, lc_collate = 'C',
    // lc_ctype = 'POSIX').
    let collations = &live.schemas["public"].collations;
    let options = |name: &str| {
        collations[name]
            .options
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(options("c_posix"), ["locale=C", "provider=libc"]);
    assert_eq!(
        options("mixed"),
        ["lc_collate=C", "lc_ctype=POSIX", "provider=libc"]
    );
}

#[test]
fn new_tables_take_the_default_privileges() {
    let Some(url) = server() else { return };
    let live = assert_agree(
        &url,
        "DO $$ BEGIN CREATE ROLE app_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        CREATE SCHEMA app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO app_user;
        CREATE TABLE app.t (a int);
        CREATE TABLE public.u (a int);",
    );
    // relacl: {postgres=arwdDxt/postgres,app_user=r/postgres} on app.t only.
    let t = &live.schemas["app"].tables["t"];
    assert_eq!(t.privileges.len(), 1);
    assert_eq!(
        (
            t.privileges[0].grantee.as_str(),
            t.privileges[0].privilege.as_str()
        ),
        ("app_user", "SELECT")
    );
    assert!(live.schemas["public"].tables["u"].privileges.is_empty());
}
