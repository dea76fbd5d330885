//! Offline PostgreSQL defaults, typed literals and the casts the server resolves,
//! against what PostgreSQL 15 stores (each expected text is `pg_get_expr` /
//! `pg_get_constraintdef` / `pg_get_indexdef` output of the same SQL, in a session with
//! TimeZone UTC and lc_monetary C, canonicalized).

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm, Table, TypeKind};

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Postgres)) {
        Ok(loaded) => loaded.realm,
        Err(error) => panic!("loading failed: {error}\n{sql}"),
    }
}

fn table<'a>(realm: &'a Realm, name: &str) -> &'a Table {
    match realm.schema("public").and_then(|s| s.tables.get(name)) {
        Some(t) => t,
        None => panic!("no table {name} in {}", realm.to_json()),
    }
}

fn defaults(sql: &str) -> Vec<(String, Option<String>)> {
    let realm = load(sql);
    table(&realm, "t")
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.default.clone()))
        .collect()
}

#[track_caller]
fn assert_defaults(sql: &str, expected: &[(&str, Option<&str>)]) {
    let expected: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(n, d)| ((*n).to_owned(), d.map(str::to_owned)))
        .collect();
    assert_eq!(defaults(sql), expected, "{sql}");
}

#[test]
fn null_defaults_stay_where_a_length_coercion_wraps_them() {
    assert_defaults(
        "CREATE DOMAIN dm AS int;
         CREATE TABLE t (a varchar DEFAULT NULL, b varchar(10) DEFAULT NULL,
           c text DEFAULT NULL, d varchar(5)[] DEFAULT NULL, f char(3) DEFAULT (NULL),
           g numeric(5,2) DEFAULT NULL, h bit(3) DEFAULT NULL, i timestamp(0) DEFAULT NULL,
           j interval day to second DEFAULT NULL, k dm DEFAULT NULL, l numeric DEFAULT NULL);",
        &[
            ("a", None),
            ("b", Some("NULL::character varying")),
            ("c", None),
            ("d", Some("NULL::character varying[]")),
            ("f", Some("NULL::bpchar")),
            ("g", Some("NULL::numeric")),
            ("h", Some("NULL::\"bit\"")),
            ("i", Some("NULL::timestamp without time zone")),
            ("j", None),
            ("k", Some("NULL::integer")),
            ("l", None),
        ],
    );
}

#[test]
fn typed_literal_defaults_print_the_stored_constant() {
    assert_defaults(
        "CREATE TABLE t (mask bit(8) DEFAULT x'1F', nibble bit(4) DEFAULT X'A',
           m2 bit(8) DEFAULT b'00011111', q bit(4) DEFAULT '1'::bit,
           p money DEFAULT money '1.00', p2 money DEFAULT '1.999'::money,
           p4 money DEFAULT '-3'::money, p5 money DEFAULT money '1234567.891',
           y interval DEFAULT interval '1.5' year, h interval DEFAULT interval '1.5' hour,
           mi interval DEFAULT interval '90' minute, i1 interval DEFAULT '1 day'::interval,
           i2 interval day to second(0) DEFAULT '1 day 2 hours 3.5 seconds',
           i3 interval DEFAULT interval '1 day 02:00:00.7' day to second(0),
           ts timestamp DEFAULT '1970-01-01 00:00:01+00:00'::timestamp,
           ts2 timestamptz DEFAULT '1970-01-01 00:00:01+02:00',
           a text[] DEFAULT ARRAY['option1', 'option2']::text[],
           a2 text[] DEFAULT ARRAY[current_date::text]::text[],
           a3 text[] DEFAULT ARRAY[1, NULL]::text[]);",
        &[
            ("mask", Some("'00011111'::\"bit\"")),
            ("nibble", Some("'1010'::\"bit\"")),
            ("m2", Some("'00011111'::\"bit\"")),
            ("q", Some("'1'::bit(1)")),
            ("p", Some("'$1.00'::money")),
            ("p2", Some("'$2.00'::money")),
            ("p4", Some("'-$3.00'::money")),
            ("p5", Some("'$1,234,567.89'::money")),
            ("y", Some("'1 year'::interval")),
            ("h", Some("'01:00:00'::interval")),
            ("mi", Some("'01:30:00'::interval")),
            ("i1", Some("'1 day'::interval")),
            ("i2", Some("'1 day 02:00:04'::interval day to second(0)")),
            ("i3", Some("'1 day 02:00:01'::interval")),
            (
                "ts",
                Some("'1970-01-01 00:00:01'::timestamp without time zone"),
            ),
            (
                "ts2",
                Some("'1969-12-31 22:00:01+00'::timestamp with time zone"),
            ),
            ("a", Some("ARRAY['option1'::text, 'option2'::text]")),
            ("a2", Some("ARRAY[CURRENT_DATE::text]")),
            ("a3", Some("ARRAY[1::text, NULL::text]")),
        ],
    );
}

#[test]
fn domain_defaults_and_not_null() {
    let realm = load(
        "CREATE DOMAIN d1 AS text DEFAULT 'pending';
         CREATE DOMAIN d2 AS d1 DEFAULT 'x';
         CREATE DOMAIN d3 AS varchar(5) DEFAULT NULL;
         CREATE DOMAIN d4 AS int DEFAULT 1 NOT NULL;
         CREATE DOMAIN d6 AS int DEFAULT -1;
         CREATE TABLE t (a d1 DEFAULT NULL, b d2 DEFAULT 'y');",
    );
    let domain = |name: &str| match realm
        .schema("public")
        .and_then(|s| s.types.get(name))
        .map(|t| &t.kind)
    {
        Some(TypeKind::Domain(d)) => d.clone(),
        _ => panic!("no domain {name}"),
    };
    assert_eq!(domain("d1").default.as_deref(), Some("'pending'::text"));
    assert_eq!(domain("d2").default.as_deref(), Some("'x'::text"));
    assert_eq!(
        domain("d3").default.as_deref(),
        Some("NULL::character varying")
    );
    assert_eq!(domain("d4").default.as_deref(), Some("1"));
    assert!(domain("d4").not_null);
    // The server prints the constant -1 as `'-1'::integer`; the model writes it -1.
    assert_eq!(domain("d6").default.as_deref(), Some("-1"));
    let t = table(&realm, "t");
    let column_default = |n: usize| t.columns.get(n).and_then(|c| c.default.clone());
    assert_eq!(column_default(0).as_deref(), Some("NULL::text"));
    assert_eq!(column_default(1).as_deref(), Some("'y'::text"));
}

#[test]
fn checks_with_typed_literals_rows_and_array_casts() {
    let realm = load(
        "CREATE TABLE x (a numeric CONSTRAINT c1 CHECK (a = numeric '1'),
           b numeric CONSTRAINT c2 CHECK (b = numeric '1.5'),
           m bit(8) CONSTRAINT c3 CHECK (m <> x'0F'),
           p integer, q integer, CONSTRAINT c4 CHECK ((p, q) > (0, 0)),
           r varchar CONSTRAINT c5 CHECK (r::text = ANY (ARRAY['u'::varchar, 'c'::varchar]::text[])));",
    );
    let t = table(&realm, "x");
    let check = |name: &str| t.checks.get(name).map(|c| c.expression.clone());
    // Server: `(a = '1'::numeric)`, `(b = 1.5)`, `(m <> '00001111'::"bit")`,
    // `(ROW(p, q) > ROW(0, 0))`, `((r)::text = ANY (ARRAY[('u'::character
    // varying)::text, ('c'::character varying)::text]))`; the cast of a literal beside
    // a column of its type is the server's own.
    assert_eq!(check("c1").as_deref(), Some("a = '1'"));
    assert_eq!(check("c2").as_deref(), Some("b = 1.5"));
    assert_eq!(check("c3").as_deref(), Some("m <> '00001111'::\"bit\""));
    assert_eq!(check("c4").as_deref(), Some("row(p, q) > row(0, 0)"));
    assert_eq!(
        check("c5").as_deref(),
        Some("r::text = ANY(ARRAY['u'::character varying::text, 'c'::character varying::text])")
    );
}

#[test]
fn partition_bounds_are_constants_of_the_key_type() {
    let realm = load(
        "CREATE TABLE logs (id bigint, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at);
         CREATE TABLE logs_2024_01 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
         CREATE TABLE pay (d timestamptz NOT NULL) PARTITION BY RANGE (d);
         CREATE TABLE pay_04 PARTITION OF pay FOR VALUES FROM ('2022-04-01 01:00:00+01') TO ('2022-05-01 00:00:00+00');",
    );
    let bound = |name: &str| {
        table(&realm, name)
            .partition_of
            .as_ref()
            .map(|p| p.bound.clone())
    };
    assert_eq!(
        bound("logs_2024_01").as_deref(),
        Some("FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')")
    );
    assert_eq!(
        bound("pay_04").as_deref(),
        Some("FOR VALUES FROM ('2022-04-01 00:00:00+00') TO ('2022-05-01 00:00:00+00')")
    );
}

#[test]
fn casts_the_server_resolves_by_itself() {
    let realm = load(
        "CREATE FUNCTION new_id() RETURNS text AS $$ SELECT 'x' $$ LANGUAGE sql;
         CREATE FUNCTION convert_ts(s varchar) RETURNS timestamp AS $$ SELECT now()::timestamp $$ LANGUAGE sql;
         CREATE DOMAIN base_text AS text;
         CREATE DOMAIN derived_text AS base_text CHECK (length(VALUE) > 0);
         CREATE TABLE t (
           public_id text DEFAULT ('acc_' || new_id()),
           tenant_id bigint,
           j jsonb,
           ts timestamp GENERATED ALWAYS AS (convert_ts((j ->> 'k')::varchar)) STORED,
           close_time timestamp,
           quantity integer, unit_price numeric(10,2), discount_pct numeric(5,2),
           total numeric(10,2) GENERATED ALWAYS AS (quantity * unit_price * (1 - discount_pct / 100)) STORED);
         CREATE INDEX t_close ON t ((COALESCE(close_time, '9999-12-31 23:59:59'::timestamp)));
         CREATE POLICY p ON t USING (tenant_id::text = current_setting('app.tenant_id', true)::text);",
    );
    let t = table(&realm, "t");
    let column = |name: &str| {
        t.columns
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    // Server: `('acc_'::text || new_id())`.
    assert_eq!(
        column("public_id").default.as_deref(),
        Some("'acc_' || new_id()")
    );
    // Server: `convert_ts(((j ->> 'k'::text))::character varying)`.
    assert_eq!(
        column("ts")
            .generated
            .as_ref()
            .map(|g| g.expression.as_str()),
        Some("convert_ts(j ->> 'k')")
    );
    // Server: `(((quantity)::numeric * unit_price) * ((1)::numeric - (discount_pct /
    // (100)::numeric)))`.
    assert_eq!(
        column("total")
            .generated
            .as_ref()
            .map(|g| g.expression.as_str()),
        Some("quantity * unit_price * (1 - discount_pct / 100)")
    );
    // Server: `COALESCE(close_time, '9999-12-31 23:59:59'::timestamp without time zone)`.
    let index = t.indexes.get("t_close").map(|i| i.parts.clone());
    assert_eq!(
        index
            .as_ref()
            .and_then(|p| p.first())
            .map(|p| p.key.clone()),
        Some(schema_model::IndexKey::Expression(
            "coalesce(close_time, '9999-12-31 23:59:59')".to_owned()
        ))
    );
    // Server: `((tenant_id)::text = current_setting('app.tenant_id'::text, true))`.
    assert_eq!(
        t.policies.get("p").and_then(|p| p.using.as_deref()),
        Some("tenant_id::text = current_setting('app.tenant_id', true)")
    );
    // Server: `CHECK ((length((VALUE)::text) > 0))`.
    let Some(TypeKind::Domain(domain)) = realm
        .schema("public")
        .and_then(|s| s.types.get("derived_text"))
        .map(|t| &t.kind)
    else {
        panic!("no domain derived_text");
    };
    assert_eq!(
        domain
            .checks
            .get("derived_text_check")
            .map(|c| c.expression.as_str()),
        Some("length(value) > 0")
    );
}
