//! PostgreSQL plans between two schemas read offline: the statements, their order and
//! their flags. The same changes are applied to a live server by the corpus round trip.

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm};

mod kinds_live;
use schema_plan::{Plan, PlanError, PlanOptions};

/// The plan, checked against the one made by rendering both realms whole: the planner
/// renders only what a change can touch, and must not plan differently for it.
fn plan(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Plan, PlanError> {
    let selective = schema_plan::plan(from, to, options);
    let whole = schema_plan::plan_rendering_whole(from, to, options);
    match (&selective, &whole) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the selective plan differs from the whole one"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("selective {selective:?} but whole {whole:?}"),
    }
    selective
}

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Postgres)) {
        Ok(loaded) => loaded.realm,
        Err(e) => panic!("{e}"),
    }
}

fn planned(from: &str, to: &str) -> Plan {
    match plan(&load(from), &load(to), &PlanOptions::default()) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    }
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
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name varchar(100),
    mood mood DEFAULT 'happy'
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author bigint REFERENCES users (id),
    title text
);
CREATE INDEX posts_title_idx ON posts (title);
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE VIEW user_name_count AS SELECT count(*) AS n FROM user_names;
COMMENT ON TABLE users IS 'people';
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
fn column_changes_alter_in_place_and_recreate_the_views_that_read_them() {
    let to = BASE
        .replace(
            "name varchar(100),",
            "name varchar(50) NOT NULL,\n    age int DEFAULT 0,",
        )
        .replace(
            "COMMENT ON TABLE users IS 'people';",
            "COMMENT ON TABLE users IS 'everyone';",
        );
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn enum_labels_are_added_in_place() {
    let to = BASE.replace("('sad', 'happy')", "('sad', 'meh', 'happy', 'glad')");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_changed_index_is_dropped_and_built_again() {
    let to = BASE.replace("ON posts (title)", "ON posts (lower(title))");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_dropped_column_takes_its_views_and_the_plan_reverses() {
    let to = BASE
        .replace("    name varchar(100),\n", "")
        .replace("SELECT id, name FROM users", "SELECT id, email FROM users");
    let forward = planned(BASE, &to);
    insta::assert_snapshot!(show(&forward));
    let back = planned(&to, BASE);
    insta::assert_snapshot!("a_dropped_column_reversed", show(&back));
}

#[test]
fn a_function_body_change_replaces_it_and_keeps_its_trigger() {
    let with_function = |body: &str| {
        format!(
            "{BASE}
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NEW; END $$;
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();"
        )
    };
    let from = with_function("NULL;");
    let to = with_function("NEW.title := trim(NEW.title);");
    insta::assert_snapshot!(show(&planned(&from, &to)));
}

fn planned_online(from: &str, to: &str) -> Plan {
    let mut options = PlanOptions::default();
    options.online = true;
    options.lock_timeout = Some("2s".into());
    match plan(&load(from), &load(to), &options) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn online_mode_takes_the_lock_light_forms() {
    let to = format!(
        "{}
CREATE TABLE tags (id bigint PRIMARY KEY, post bigint REFERENCES posts (id));
CREATE INDEX tags_post_idx ON tags (post);
CREATE INDEX posts_author_idx ON posts (author);
ALTER TABLE posts ADD CONSTRAINT posts_title_check CHECK (title <> '');
ALTER TABLE posts ADD CONSTRAINT posts_title_key UNIQUE (title);
",
        BASE.replace("ON posts (title)", "ON posts (lower(title))")
            .replace("title text\n", "title text NOT NULL\n")
            .replace(
                "author bigint REFERENCES users (id),",
                "author bigint,\n    editor bigint REFERENCES users (id),"
            )
    );
    insta::assert_snapshot!(show(&planned_online(BASE, &to)));
}

#[test]
fn renames_are_planned_from_hints_and_reverse() {
    let to = BASE
        .replace("CREATE TABLE users", "CREATE TABLE people")
        .replace("REFERENCES users", "REFERENCES people")
        .replace("FROM users", "FROM people")
        .replace("ON TABLE users", "ON TABLE people")
        .replace("email text NOT NULL UNIQUE", "mail text NOT NULL UNIQUE");
    let mut options = PlanOptions::default();
    options.renames = vec![
        schema_diff::Rename::parse("table:public.users=people").unwrap(),
        schema_diff::Rename::parse("column:public.people.email=mail").unwrap(),
    ];
    let (from, to) = (load(BASE), load(&to));
    let forward = plan(&from, &to, &options).unwrap();
    insta::assert_snapshot!(show(&forward));
    let back = schema_plan::reverse_plan(&from, &to, &options).unwrap();
    insta::assert_snapshot!("renames_reversed", show(&back));
}

/// The planner renders only what a change can reach: an object far from the change gets
/// no statement, while a chain of views over a retyped column (views on views, then a
/// materialized view with its index) is dropped and created again, in order; `planned`
/// also checks the plan equals the one made from whole renders.
#[test]
fn only_what_a_change_reaches_is_planned_and_view_chains_are_recreated() {
    let schema = |amount: &str| {
        format!(
            "CREATE TABLE orders (id bigint PRIMARY KEY, amount {amount}, note text);
CREATE VIEW v1 AS SELECT id, amount FROM orders;
CREATE VIEW v2 AS SELECT id, amount FROM v1;
CREATE VIEW v3 AS SELECT id FROM v2 WHERE amount > 0;
CREATE MATERIALIZED VIEW m4 AS SELECT id FROM v3;
CREATE UNIQUE INDEX m4_id ON m4 (id);
CREATE TABLE far_away (id bigint PRIMARY KEY, label text);
CREATE INDEX far_away_label ON far_away (label);
CREATE VIEW far_view AS SELECT id, label FROM far_away;
COMMENT ON TABLE far_away IS 'untouched';"
        )
    };
    let plan = planned(&schema("integer"), &schema("bigint"));
    let sql = plan.to_sql();
    for view in [
        "VIEW public.v1",
        "VIEW public.v2",
        "VIEW public.v3",
        "MATERIALIZED VIEW public.m4",
    ] {
        assert!(
            sql.contains(&format!("CREATE {view}")),
            "{view} not created again:\n{sql}"
        );
        assert!(
            sql.contains(&format!("DROP {view}")),
            "{view} not dropped first:\n{sql}"
        );
    }
    assert!(sql.contains("ALTER TABLE public.orders"), "{sql}");
    assert!(
        !sql.contains("far_"),
        "an unchanged object far from the change was planned:\n{sql}"
    );
    // Dependents go before what they read, and come back after it.
    let at = |needle: &str| {
        sql.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in:\n{sql}"))
    };
    assert!(at("DROP MATERIALIZED VIEW public.m4") < at("DROP VIEW public.v3"));
    assert!(at("DROP VIEW public.v3") < at("DROP VIEW public.v2"));
    assert!(at("DROP VIEW public.v1") < at("ALTER TABLE public.orders"));
    assert!(at("ALTER TABLE public.orders") < at("CREATE VIEW public.v1"));
    assert!(at("CREATE VIEW public.v2") < at("CREATE VIEW public.v3"));
    assert!(at("CREATE MATERIALIZED VIEW public.m4") < at("CREATE UNIQUE INDEX m4_id"));
}

#[test]
fn c_functions_keep_their_object_file_and_link_symbol() {
    let realm = load(
        "CREATE FUNCTION public.unaccent_text(regdictionary, text) RETURNS text \
         LANGUAGE c IMMUTABLE STRICT AS '$libdir/unaccent', 'unaccent_dict';",
    );
    let script = schema_plan::render_script(&realm);
    assert!(
        script.contains("AS '$libdir/unaccent', 'unaccent_dict';"),
        "{script}"
    );
}

const TYPED: &str = "
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (m mood, n posint);
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL CONSTRAINT users_email_key UNIQUE,
    mood mood NOT NULL DEFAULT 'happy',
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

/// Types, enum labels and constraints renamed through hints: one `RENAME` each, and
/// nothing that uses them (columns, defaults, the composite, the routine, the view, the
/// unique constraint's index) dropped or recreated. The way back renames them back.
#[test]
fn type_enum_value_and_constraint_renames_are_planned_from_hints_and_reverse() {
    let to = TYPED
        .replace("mood AS ENUM ('sad'", "feeling AS ENUM ('blue'")
        .replace("mood mood", "mood feeling")
        .replace(
            "mood[] DEFAULT ARRAY['sad'::mood]",
            "feeling[] DEFAULT ARRAY['blue'::feeling]",
        )
        .replace("(m mood", "(m feeling")
        .replace("RETURNS mood", "RETURNS feeling")
        .replace("'happy'::mood", "'happy'::feeling")
        .replace("DOMAIN posint", "DOMAIN positive")
        .replace("n posint", "n positive")
        .replace("users_email_key", "users_mail_key")
        .replace("users_n_check", "users_n_small")
        .replace("posts_author_fkey", "posts_user_fkey");
    let mut options = PlanOptions::default();
    options.renames = [
        "type:public.mood=feeling",
        "type:public.posint=positive",
        "enum-value:public.feeling.sad=blue",
        "constraint:public.users.users_email_key=users_mail_key",
        "constraint:public.users.users_n_check=users_n_small",
        "constraint:public.posts.posts_author_fkey=posts_user_fkey",
    ]
    .iter()
    .map(|hint| schema_diff::Rename::parse(hint).unwrap())
    .collect();
    let (from, to) = (load(TYPED), load(&to));
    let forward = plan(&from, &to, &options).unwrap();
    insta::assert_snapshot!(show(&forward));
    let back = schema_plan::reverse_plan(&from, &to, &options).unwrap();
    insta::assert_snapshot!(
        "type_enum_value_and_constraint_renames_reversed",
        show(&back)
    );
}

// ---------------------------------------------------------------------------------
// One test per change kind: the SQL each kind of change produces, the way there and
// the way back (the reverse plan, made by diffing the other way, so that an add shows
// its drop and a change its undoing).

/// The plan from `from_sql` to `to_sql` and the reverse plan, with the rename hints;
/// both are also run on a real database ([`kinds_live`]).
fn both_ways(from_sql: &str, to_sql: &str, hints: &[&str]) -> String {
    let mut options = PlanOptions::default();
    options.renames = hints
        .iter()
        .map(|h| schema_diff::Rename::parse(h).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let (from, to) = (load(from_sql), load(to_sql));
    let forward = plan(&from, &to, &options).unwrap_or_else(|e| panic!("{e}"));
    let back = schema_plan::reverse_plan(&from, &to, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !forward.is_empty() && !back.is_empty(),
        "a change plans something"
    );
    kinds_live::check(Dialect::Postgres, from_sql, to_sql, &forward, &back);
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

const T: &str = "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text);\n";

fn t_with(extra: &str) -> String {
    format!("{T}{extra}")
}

fn t_as(definition: &str) -> String {
    format!("CREATE TABLE t ({definition});\n")
}

change_kind!(kind_schema_add, "", "CREATE SCHEMA app;");
change_kind!(
    kind_schema_comment,
    "CREATE SCHEMA app;",
    "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'the application';"
);
change_kind!(kind_extension_add, "", "CREATE EXTENSION citext;");
change_kind!(
    kind_extension_version,
    "CREATE EXTENSION hstore WITH VERSION '1.7';",
    "CREATE EXTENSION hstore WITH VERSION '1.8';"
);
change_kind!(
    kind_extension_schema,
    "CREATE SCHEMA ext; CREATE EXTENSION citext;",
    "CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext;"
);
change_kind!(kind_table_add, "", T);
change_kind!(
    kind_table_rename,
    T,
    &T.replace("TABLE t", "TABLE u"),
    "table:public.t=u"
);
change_kind!(
    kind_table_comment,
    T,
    &t_with("COMMENT ON TABLE t IS 'things';")
);
change_kind!(
    kind_table_grant,
    &format!("CREATE ROLE reader; {T}"),
    &format!("CREATE ROLE reader; {T} GRANT SELECT, INSERT ON t TO reader;")
);
change_kind!(
    kind_table_storage_parameters,
    T,
    &T.replace(");", ") WITH (fillfactor = 70);")
);
change_kind!(
    kind_table_row_level_security,
    T,
    &t_with("ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;")
);
/// A new partitioning needs the table rebuilt with its rows moved: refused, never
/// planned as nothing.
#[test]
fn kind_table_partitioning_is_refused() {
    let from = load("CREATE TABLE t (id bigint, at date) PARTITION BY RANGE (at);");
    let to = load("CREATE TABLE t (id bigint, at date) PARTITION BY LIST (id);");
    let error = plan(&from, &to, &PlanOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "table public.t: changing partition_by needs the table rebuilt, which Sextant does not plan yet"
    );
}
change_kind!(
    kind_table_partition_bound,
    "CREATE TABLE t (id bigint, at date) PARTITION BY RANGE (at);
     CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    "CREATE TABLE t (id bigint, at date) PARTITION BY RANGE (at);
     CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');"
);
change_kind!(
    kind_table_partition_add,
    "CREATE TABLE t (id bigint, at date) PARTITION BY RANGE (at);",
    "CREATE TABLE t (id bigint, at date) PARTITION BY RANGE (at);
     CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
);
change_kind!(
    kind_column_add,
    T,
    &T.replace("b text", "b text, c numeric(10, 2) NOT NULL DEFAULT 0")
);
change_kind!(
    kind_column_rename,
    T,
    &T.replace("b text", "body text"),
    "column:public.t.b=body"
);
change_kind!(kind_column_type, T, &T.replace("a integer", "a bigint"));
change_kind!(
    kind_column_type_narrowed,
    T,
    &T.replace("b text", "b varchar(20)")
);
change_kind!(
    kind_column_nullable,
    T,
    &T.replace("a integer", "a integer NOT NULL")
);
change_kind!(
    kind_column_default,
    T,
    &T.replace("b text", "b text DEFAULT 'none'")
);
change_kind!(
    kind_column_identity,
    T,
    &T.replace("a integer", "a integer GENERATED BY DEFAULT AS IDENTITY")
);
change_kind!(
    kind_column_identity_options,
    &T.replace("a integer", "a integer GENERATED BY DEFAULT AS IDENTITY"),
    &T.replace(
        "a integer",
        "a integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10)"
    )
);
change_kind!(
    kind_column_generated,
    T,
    &T.replace("b text", "b text GENERATED ALWAYS AS (a::text) STORED")
);
change_kind!(
    kind_column_collation,
    T,
    &T.replace("b text", "b text COLLATE \"C\"")
);
change_kind!(
    kind_column_comment,
    T,
    &t_with("COMMENT ON COLUMN t.b IS 'the body';")
);
change_kind!(
    kind_column_grant,
    &format!("CREATE ROLE reader; {T}"),
    &format!("CREATE ROLE reader; {T} GRANT SELECT (a, b) ON t TO reader;")
);
change_kind!(
    kind_primary_key_add,
    &t_as("id bigint NOT NULL, a integer"),
    &t_as("id bigint NOT NULL, a integer, PRIMARY KEY (id)")
);
change_kind!(
    kind_primary_key_modify,
    &t_as("id bigint NOT NULL, a integer NOT NULL, PRIMARY KEY (id)"),
    &t_as("id bigint NOT NULL, a integer NOT NULL, PRIMARY KEY (id, a)")
);
change_kind!(
    kind_unique_add,
    T,
    &T.replace("b text", "b text, CONSTRAINT t_b_key UNIQUE (b)")
);
change_kind!(
    kind_unique_modify,
    &T.replace("b text", "b text, CONSTRAINT t_ab UNIQUE (b)"),
    &T.replace("b text", "b text, CONSTRAINT t_ab UNIQUE (a, b)")
);
change_kind!(
    kind_foreign_key_add,
    &format!("{T}CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint);"),
    &format!("{T}CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id));")
);
change_kind!(
    kind_foreign_key_modify,
    &format!("{T}CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id));"),
    &format!(
        "{T}CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id) ON DELETE CASCADE);"
    )
);
change_kind!(
    kind_check_add,
    T,
    &T.replace("a integer", "a integer CONSTRAINT t_a_check CHECK (a > 0)")
);
change_kind!(
    kind_check_modify,
    &T.replace("a integer", "a integer CONSTRAINT t_a_check CHECK (a > 0)"),
    &T.replace("a integer", "a integer CONSTRAINT t_a_check CHECK (a >= 0)")
);
change_kind!(
    kind_exclusion_add,
    "CREATE TABLE r (id bigint, during tsrange);",
    "CREATE TABLE r (id bigint, during tsrange, CONSTRAINT r_no_overlap EXCLUDE USING gist (during WITH &&));"
);
change_kind!(
    kind_constraint_rename,
    &T.replace("b text", "b text, CONSTRAINT t_b_key UNIQUE (b)"),
    &T.replace("b text", "b text, CONSTRAINT t_b_unique UNIQUE (b)"),
    "constraint:public.t.t_b_key=t_b_unique"
);
change_kind!(
    kind_index_add,
    T,
    &t_with("CREATE INDEX t_b_idx ON t (b) WHERE a > 0;")
);
change_kind!(
    kind_index_modify,
    &t_with("CREATE INDEX t_b_idx ON t (b);"),
    &t_with("CREATE UNIQUE INDEX t_b_idx ON t (b DESC) INCLUDE (a);")
);
change_kind!(
    kind_index_rename,
    &t_with("CREATE INDEX t_b_idx ON t (b);"),
    &t_with("CREATE INDEX t_body_idx ON t (b);"),
    "index:public.t.t_b_idx=t_body_idx"
);
change_kind!(
    kind_index_comment,
    &t_with("CREATE INDEX t_b_idx ON t (b);"),
    &t_with("CREATE INDEX t_b_idx ON t (b); COMMENT ON INDEX t_b_idx IS 'lookups';")
);
const TOUCH: &str =
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n";
change_kind!(
    kind_trigger_add,
    &t_with(TOUCH),
    &t_with(&format!(
        "{TOUCH}CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();"
    ))
);
change_kind!(
    kind_trigger_modify,
    &t_with(&format!(
        "{TOUCH}CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();"
    )),
    &t_with(&format!(
        "{TOUCH}CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();"
    ))
);
change_kind!(
    kind_policy_add,
    &t_with("ALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
    &t_with(
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY t_own ON t FOR SELECT USING (a = 1);"
    )
);
change_kind!(
    kind_policy_modify,
    &t_with(
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY t_own ON t FOR SELECT USING (a = 1);"
    ),
    &t_with(
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY t_own ON t FOR SELECT USING (a = 2);"
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
change_kind!(
    kind_materialized_view_add,
    T,
    &t_with(
        "CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a;
         CREATE INDEX mv_a ON mv (a);"
    )
);
change_kind!(
    kind_sequence_add,
    "",
    "CREATE SEQUENCE s START WITH 100 INCREMENT BY 5;"
);
change_kind!(
    kind_sequence_modify,
    "CREATE SEQUENCE s START WITH 100 INCREMENT BY 5;",
    "CREATE SEQUENCE s START WITH 100 INCREMENT BY 10 MAXVALUE 100000 CYCLE;"
);
change_kind!(
    kind_sequence_owned_by,
    &t_with("CREATE SEQUENCE s;"),
    &t_with("CREATE SEQUENCE s OWNED BY t.a;")
);
change_kind!(
    kind_enum_type_add,
    "",
    "CREATE TYPE mood AS ENUM ('sad', 'happy');"
);
change_kind!(
    kind_enum_value_add,
    "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
);
change_kind!(
    /// A label removed cannot be done in place: the type is replaced, its columns
    /// converted through text.
    kind_enum_value_remove,
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood);",
    "CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE t (m mood);"
);
change_kind!(
    kind_enum_value_rename,
    "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    "CREATE TYPE mood AS ENUM ('blue', 'happy');",
    "enum-value:public.mood.sad=blue"
);
change_kind!(
    kind_type_rename,
    "CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE t (m mood DEFAULT 'sad');",
    "CREATE TYPE feeling AS ENUM ('sad', 'happy'); CREATE TABLE t (m feeling DEFAULT 'sad');",
    "type:public.mood=feeling"
);
change_kind!(
    kind_composite_type_modify,
    "CREATE TYPE pair AS (a integer, b text);",
    "CREATE TYPE pair AS (a bigint, b text, c date);"
);
change_kind!(
    kind_range_type_add,
    "",
    "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);"
);
change_kind!(
    kind_domain_modify,
    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0); CREATE TABLE t (n posint);",
    "CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CONSTRAINT posint_small CHECK (VALUE < 100) CHECK (VALUE > 0); CREATE TABLE t (n posint);"
);
change_kind!(
    kind_domain_base_type,
    "CREATE DOMAIN code AS varchar(10);",
    "CREATE DOMAIN code AS varchar(20);"
);
change_kind!(
    kind_domain_rename,
    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0); CREATE TABLE t (n posint);",
    "CREATE DOMAIN positive AS integer CHECK (VALUE > 0); CREATE TABLE t (n positive);",
    "type:public.posint=positive"
);
change_kind!(
    kind_type_comment,
    "CREATE TYPE mood AS ENUM ('sad', 'happy');",
    "CREATE TYPE mood AS ENUM ('sad', 'happy'); COMMENT ON TYPE mood IS 'how one feels';"
);
change_kind!(
    kind_function_add,
    "",
    "CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;"
);
change_kind!(
    kind_function_body,
    "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;",
    "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;"
);
change_kind!(
    kind_function_attributes,
    "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;",
    "CREATE FUNCTION f() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT 1 $$;"
);
change_kind!(
    /// A new return type cannot be replaced in place: the function is dropped and
    /// created again.
    kind_function_return_type,
    "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;",
    "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS $$ SELECT 1 $$;"
);
change_kind!(
    kind_procedure_add,
    T,
    &t_with("CREATE PROCEDURE clear() LANGUAGE sql AS $$ DELETE FROM t $$;")
);
change_kind!(
    kind_aggregate_add,
    "",
    "CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');"
);
change_kind!(
    kind_function_grant,
    "CREATE ROLE app; CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;",
    "CREATE ROLE app; CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
     REVOKE ALL ON FUNCTION f() FROM PUBLIC; GRANT EXECUTE ON FUNCTION f() TO app;"
);
change_kind!(
    kind_collation_add,
    "",
    "CREATE COLLATION german (provider = icu, locale = 'de-DE');"
);
change_kind!(
    kind_opaque_object_add,
    "",
    "CREATE TEXT SEARCH CONFIGURATION english_simple (COPY = english);"
);
change_kind!(
    kind_default_privileges,
    "CREATE ROLE reader;",
    "CREATE ROLE reader; ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;"
);
