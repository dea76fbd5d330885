//! MySQL / MariaDB plans between two schemas read offline: the statements, their order
//! and their flags. `live_plan_mysql.rs` applies such plans to a server.

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm};

mod kinds_live;
use schema_plan::{Plan, PlanOptions, plan};

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Mysql)) {
        Ok(loaded) => loaded.realm,
        Err(e) => panic!("{e}"),
    }
}

fn planned_with(from: &str, to: &str, options: &PlanOptions) -> Plan {
    match plan(&load(from), &load(to), options) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    }
}

fn rename(hint: &str) -> schema_diff::Rename {
    match schema_diff::Rename::parse(hint) {
        Ok(rename) => rename,
        Err(e) => panic!("{e}"),
    }
}

fn planned(from: &str, to: &str) -> Plan {
    planned_with(from, to, &PlanOptions::default())
}

/// The plan's SQL, each statement marked when it can lose data or must run outside a
/// transaction (every MySQL statement must: DDL commits implicitly).
fn show(plan: &Plan) -> String {
    let mut out = String::new();
    for s in &plan.statements {
        assert!(
            !s.transactional,
            "MySQL DDL is never transactional: {}",
            s.sql
        );
        if s.destructive {
            out.push_str(&format!(
                "-- destructive: {}\n",
                s.hazard.as_deref().unwrap_or("")
            ));
        }
        out.push_str(&s.sql);
        out.push('\n');
    }
    out
}

const BASE: &str = "
CREATE TABLE users (
    id bigint NOT NULL AUTO_INCREMENT,
    email varchar(255) NOT NULL,
    name varchar(100),
    PRIMARY KEY (id),
    UNIQUE KEY users_email (email)
) ENGINE=InnoDB;
CREATE TABLE posts (
    id bigint NOT NULL,
    author bigint,
    title text,
    PRIMARY KEY (id),
    KEY posts_author (author),
    CONSTRAINT posts_author_fk FOREIGN KEY (author) REFERENCES users (id)
) ENGINE=InnoDB;
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE TRIGGER posts_title BEFORE INSERT ON posts FOR EACH ROW SET NEW.title = trim(NEW.title);
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
fn columns_are_added_dropped_and_modified_in_one_statement() {
    let to = BASE.replace(
        "    email varchar(255) NOT NULL,\n    name varchar(100),",
        "    nick varchar(20) DEFAULT 'x' COMMENT 'short',\n    name varchar(50) NOT NULL,\n    email varchar(255) NOT NULL,",
    );
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn widening_a_column_keeps_the_view_and_reverses() {
    let to = BASE.replace("name varchar(100)", "name varchar(200) DEFAULT ''");
    let plan = planned(BASE, &to);
    insta::assert_snapshot!(show(&plan));
    assert!(plan.statements.iter().all(|s| s.reverse.is_some()));
}

#[test]
fn index_changes_drop_and_add_in_the_same_statement() {
    let to = BASE
        .replace(
            "UNIQUE KEY users_email (email)",
            "UNIQUE KEY users_email (email, name),\n    FULLTEXT KEY users_name (name)",
        )
        .replace(
            ") ENGINE=InnoDB;\nCREATE TABLE posts",
            ") ENGINE=InnoDB COMMENT='people';\nCREATE TABLE posts",
        );
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn an_index_a_foreign_key_needs_is_replaced_around_the_key() {
    let to = BASE.replace(
        "KEY posts_author (author)",
        "KEY posts_author (author, title(20))",
    );
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_dropped_column_takes_its_views_and_triggers() {
    let to = BASE
        .replace("    name varchar(100),\n", "")
        .replace("SELECT id, name FROM users", "SELECT id, email FROM users");
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn a_new_table_with_a_foreign_key_and_a_dropped_one() {
    let to = format!(
        "{}\nCREATE TABLE tags (id int NOT NULL PRIMARY KEY, post bigint NOT NULL, CONSTRAINT tags_post FOREIGN KEY (post) REFERENCES posts (id) ON DELETE CASCADE);",
        BASE.replace(
            "    KEY posts_author (author),\n    CONSTRAINT posts_author_fk FOREIGN KEY (author) REFERENCES users (id)\n",
            "    KEY posts_author (author)\n"
        )
    );
    insta::assert_snapshot!(show(&planned(BASE, &to)));
}

#[test]
fn primary_key_checks_and_table_options() {
    let from = "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int, PRIMARY KEY (a), CONSTRAINT c_pos CHECK (c > 0)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;";
    let to = "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int, PRIMARY KEY (a, b), CONSTRAINT c_pos CHECK (c >= 0), CONSTRAINT b_pos CHECK (b > 0)) ENGINE=InnoDB ROW_FORMAT=COMPACT DEFAULT CHARSET=utf8mb4;";
    insta::assert_snapshot!(show(&planned(from, to)));
}

#[test]
fn a_changed_generation_drops_and_adds_the_column() {
    let from = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL, c int);";
    let to = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 3) STORED, c int GENERATED ALWAYS AS (a + 1) VIRTUAL);";
    insta::assert_snapshot!(show(&planned(from, to)));
}

// Hints name the schema, and the connection's database has the empty name, which a
// hint cannot spell yet: the renames here happen in a database of their own.
#[test]
fn rename_hints_rename_in_place() {
    let with = |column: &str, index: &str| {
        format!(
            "CREATE DATABASE app;
CREATE TABLE app.users (id int NOT NULL PRIMARY KEY, {column} varchar(100), KEY {index} ({column}));
CREATE VIEW app.names AS SELECT {column} FROM app.users;"
        )
    };
    let mut options = PlanOptions::default();
    options.renames = vec![
        rename("column:app.users.name=full_name"),
        rename("index:app.users.users_name=users_full_name"),
    ];
    let plan = planned_with(
        &with("name", "users_name"),
        &with("full_name", "users_full_name"),
        &options,
    );
    insta::assert_snapshot!(show(&plan));
}

/// Live, on the server `SEXTANT_TEST_MYSQL_URL` names (skipped with a message when it is
/// unset, failing when `SEXTANT_REQUIRE_LIVE=1`): applies `current` (and `rows`) to a
/// database of the test's own, plans from what inspection reads there to `desired` read
/// offline, runs the plan, and checks that the database now inspects as `desired`
/// applied to an empty database does, that planning again finds nothing, and that the
/// row count `check` gives is `expected`. The database is dropped afterwards.
mod live {
    #![allow(clippy::print_stderr)]
    use super::*;
    use schema_inspect::Source;
    use schema_inspect::live::{InspectOptions, mysql};
    use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
    use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
    use std::str::FromStr;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn server_url() -> Option<String> {
        match std::env::var("SEXTANT_TEST_MYSQL_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                assert!(
                    std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                    "SEXTANT_REQUIRE_LIVE=1 but SEXTANT_TEST_MYSQL_URL is not set"
                );
                eprintln!("SEXTANT_TEST_MYSQL_URL is not set: skipping the live MySQL plan test");
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

    fn database_name() -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        format!(
            "sextant_plan_{}_{}_{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    async fn execute(conn: &mut MySqlConnection, sql: &str) -> Result<(), String> {
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e}\n{sql}"))
    }

    async fn run_script(conn: &mut MySqlConnection, sql: &str) -> Result<(), String> {
        let statements = schema_inspect::split::split(sql, Dialect::Mysql)
            .map_err(|e| format!("splitting: {}", e.message))?;
        for statement in statements {
            if statement.kind == schema_inspect::split::RawKind::Sql {
                execute(conn, statement.text).await?;
            }
        }
        Ok(())
    }

    async fn steps(
        url: &str,
        options: &MySqlConnectOptions,
        current: &str,
        desired: &str,
        rows: &str,
        check: &str,
        expected: i64,
    ) -> Result<(), String> {
        let mut conn = options.connect().await.map_err(|e| e.to_string())?;
        run_script(&mut conn, current).await?;
        run_script(&mut conn, rows).await?;
        let inspect_options = InspectOptions::default();
        let before = mysql::inspect(&mut conn, &inspect_options)
            .await
            .map_err(|e| e.to_string())?;
        let wanted = load(desired);
        let steps = plan(&before, &wanted, &PlanOptions::default()).map_err(|e| e.to_string())?;
        if steps.is_empty() {
            return Err("nothing planned".into());
        }
        for statement in &steps.statements {
            execute(&mut conn, &statement.sql)
                .await
                .map_err(|e| format!("{e}\n\nplan:\n{}", show(&steps)))?;
        }
        let after = mysql::inspect(&mut conn, &inspect_options)
            .await
            .map_err(|e| e.to_string())?;
        let reference = mysql::load_dev(
            url,
            &[Source::new("desired.sql", desired)],
            &inspect_options,
        )
        .await
        .map_err(|e| e.to_string())?;
        let differences: Vec<String> = schema_model::compare(&after, &reference)
            .iter()
            .map(ToString::to_string)
            .collect();
        if !differences.is_empty() {
            return Err(format!(
                "after the plan | desired differ:\n{}\n\nplan:\n{}",
                differences.join("\n"),
                show(&steps)
            ));
        }
        let again = plan(&after, &wanted, &PlanOptions::default()).map_err(|e| e.to_string())?;
        if !again.is_empty() {
            return Err(format!("planned again:\n{}", show(&again)));
        }
        let row = sqlx::query(AssertSqlSafe(check.to_owned()))
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let count: i64 = row.try_get(0).map_err(|e| e.to_string())?;
        if count != expected {
            return Err(format!("{check}: {count}, expected {expected}"));
        }
        let _ = conn.close().await;
        Ok(())
    }

    fn round_trip(current: &str, desired: &str, rows: &str, check: &str, expected: i64) {
        let Some(url) = server_url() else { return };
        let result = runtime().block_on(async {
            let server = MySqlConnectOptions::from_str(&url).map_err(|e| e.to_string())?;
            let mut admin = server.connect().await.map_err(|e| e.to_string())?;
            let database = database_name();
            execute(&mut admin, &format!("CREATE DATABASE `{database}`")).await?;
            let result = steps(
                &url,
                &server.clone().database(&database),
                current,
                desired,
                rows,
                check,
                expected,
            )
            .await;
            let dropped = execute(&mut admin, &format!("DROP DATABASE `{database}`")).await;
            result.and(dropped)
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    const ROWS: &str =
        "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'Ann'), (2, 'b@x', NULL);
        INSERT INTO posts (id, author, title) VALUES (10, 1, ' hi '), (11, 2, 'yo');";

    #[test]
    fn columns_added_dropped_modified_and_reordered() {
        let to = BASE
            .replace(
                "    email varchar(255) NOT NULL,\n    name varchar(100),",
                "    nick varchar(20) DEFAULT 'x' COMMENT 'short',\n    name varchar(150) NOT NULL DEFAULT '',\n    email varchar(255) NOT NULL,",
            )
            .replace("name varchar(100)", "name varchar(150)");
        round_trip(
            BASE,
            &to,
            "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'Ann'), (2, 'b@x', 'Bo');",
            "SELECT count(*) FROM users WHERE nick = 'x'",
            2,
        );
    }

    #[test]
    fn dropped_column_with_its_view() {
        let to = BASE
            .replace("    name varchar(100),\n", "")
            .replace("SELECT id, name FROM users", "SELECT id, email FROM users");
        round_trip(BASE, &to, ROWS, "SELECT count(*) FROM user_names", 2);
    }

    #[test]
    fn indexes_keys_and_options() {
        let to = BASE
            .replace(
                "UNIQUE KEY users_email (email)",
                "UNIQUE KEY users_email (email, name),\n    FULLTEXT KEY users_name (name)",
            )
            .replace(
                ") ENGINE=InnoDB;\nCREATE TABLE posts",
                ") ENGINE=InnoDB COMMENT='people';\nCREATE TABLE posts",
            )
            .replace("KEY posts_author (author)", "KEY posts_author (author, id)");
        round_trip(BASE, &to, ROWS, "SELECT count(*) FROM posts", 2);
    }

    #[test]
    fn primary_key_and_checks() {
        let from = "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int, PRIMARY KEY (a), CONSTRAINT c_pos CHECK (c > 0)) ROW_FORMAT=DYNAMIC;";
        let to = "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int, PRIMARY KEY (a, b), CONSTRAINT c_pos CHECK (c >= 0), CONSTRAINT b_pos CHECK (b > 0)) ROW_FORMAT=COMPACT;";
        round_trip(
            from,
            to,
            "INSERT INTO t VALUES (1, 1, 1), (2, 2, 2);",
            "SELECT count(*) FROM t",
            2,
        );
    }

    #[test]
    fn foreign_keys_added_and_dropped_with_tables() {
        let to = format!(
            "{}\nCREATE TABLE tags (id int NOT NULL PRIMARY KEY, post bigint NOT NULL, CONSTRAINT tags_post FOREIGN KEY (post) REFERENCES posts (id) ON DELETE CASCADE);",
            BASE.replace(
                "    KEY posts_author (author),\n    CONSTRAINT posts_author_fk FOREIGN KEY (author) REFERENCES users (id)\n",
                "    KEY posts_author (author)\n"
            )
        );
        round_trip(BASE, &to, ROWS, "SELECT count(*) FROM posts", 2);
    }

    #[test]
    fn generated_columns_change() {
        round_trip(
            "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL, c int);",
            "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 3) STORED, c int GENERATED ALWAYS AS (a + 1) VIRTUAL);",
            "INSERT INTO t (a, c) VALUES (1, 5), (2, 6);",
            "SELECT count(*) FROM t WHERE b = a * 3 AND c = a + 1",
            2,
        );
    }

    #[test]
    fn to_empty_and_from_empty() {
        round_trip(BASE, "CREATE TABLE other (x int);", ROWS, "SELECT 0", 0);
        round_trip("", BASE, "", "SELECT count(*) FROM users", 0);
    }
}

// ---------------------------------------------------------------------------------
// One test per change kind: the SQL each kind of change produces, the way there and
// the way back (the reverse plan, made by diffing the other way).

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
    kinds_live::check(Dialect::Mysql, from_sql, to_sql, &forward, &back);
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

const T: &str =
    "CREATE TABLE t (id bigint NOT NULL, a int, b varchar(100), PRIMARY KEY (id)) ENGINE=InnoDB;\n";

fn t_with(extra: &str) -> String {
    format!("{T}{extra}")
}

fn t_as(definition: &str) -> String {
    format!("CREATE TABLE t ({definition}) ENGINE=InnoDB;\n")
}

change_kind!(
    kind_schema_add,
    "",
    "CREATE DATABASE sextant_kind_app; CREATE TABLE sextant_kind_app.t (id int);"
);
change_kind!(kind_table_add, "", T);
change_kind!(
    kind_table_rename,
    T,
    &T.replace("TABLE t", "TABLE u"),
    "table:t=u"
);
change_kind!(
    kind_table_comment,
    T,
    &T.replace("ENGINE=InnoDB", "ENGINE=InnoDB COMMENT='things'")
);
change_kind!(
    kind_table_engine,
    T,
    &T.replace("ENGINE=InnoDB", "ENGINE=MyISAM")
);
change_kind!(
    kind_table_row_format,
    T,
    &T.replace("ENGINE=InnoDB", "ENGINE=InnoDB ROW_FORMAT=COMPRESSED")
);
change_kind!(
    kind_table_charset,
    T,
    &T.replace(
        "ENGINE=InnoDB",
        "ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci"
    )
);
change_kind!(
    kind_column_add,
    T,
    &T.replace(
        "b varchar(100)",
        "b varchar(100), c decimal(10,2) NOT NULL DEFAULT 0"
    )
);
change_kind!(
    kind_column_rename,
    T,
    &T.replace("b varchar(100)", "body varchar(100)"),
    "column:t.b=body"
);
change_kind!(
    kind_column_order,
    T,
    &t_as("id bigint NOT NULL, b varchar(100), a int, PRIMARY KEY (id)")
);
change_kind!(kind_column_type, T, &T.replace("a int", "a bigint"));
change_kind!(
    kind_column_unsigned,
    T,
    &T.replace("a int", "a int unsigned")
);
change_kind!(
    kind_column_nullable,
    T,
    &T.replace("a int", "a int NOT NULL")
);
change_kind!(
    kind_column_default,
    T,
    &T.replace("b varchar(100)", "b varchar(100) DEFAULT 'none'")
);
change_kind!(
    kind_column_auto_increment,
    &t_as("id bigint NOT NULL, PRIMARY KEY (id)"),
    &t_as("id bigint NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)")
);
change_kind!(
    kind_column_generated,
    T,
    &T.replace(
        "b varchar(100)",
        "b varchar(100) GENERATED ALWAYS AS (concat('#', a)) VIRTUAL"
    )
);
change_kind!(
    kind_column_collation,
    T,
    &T.replace("b varchar(100)", "b varchar(100) COLLATE utf8mb4_bin")
);
change_kind!(
    kind_column_comment,
    T,
    &T.replace("b varchar(100)", "b varchar(100) COMMENT 'the body'")
);
change_kind!(
    kind_column_on_update,
    &t_as("id bigint NOT NULL, at timestamp NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id)"),
    &t_as(
        "id bigint NOT NULL, at timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (id)"
    )
);
change_kind!(
    kind_primary_key_add,
    &t_as("id bigint NOT NULL, a int NOT NULL"),
    &t_as("id bigint NOT NULL, a int NOT NULL, PRIMARY KEY (id)")
);
change_kind!(
    kind_primary_key_modify,
    &t_as("id bigint NOT NULL, a int NOT NULL, PRIMARY KEY (id)"),
    &t_as("id bigint NOT NULL, a int NOT NULL, PRIMARY KEY (id, a)")
);
change_kind!(
    kind_unique_add,
    T,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), UNIQUE KEY t_b (b)")
);
change_kind!(
    kind_unique_modify,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), UNIQUE KEY t_b (b)"),
    &T.replace(
        "PRIMARY KEY (id)",
        "PRIMARY KEY (id), UNIQUE KEY t_b (a, b)"
    )
);
const U: &str = "CREATE TABLE u (id bigint NOT NULL, t_id bigint, PRIMARY KEY (id), KEY u_t (t_id)";
change_kind!(
    kind_foreign_key_add,
    &format!("{T}{U}) ENGINE=InnoDB;"),
    &format!("{T}{U}, CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB;")
);
change_kind!(
    kind_foreign_key_modify,
    &format!("{T}{U}, CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB;"),
    &format!(
        "{T}{U}, CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t (id) ON DELETE CASCADE) ENGINE=InnoDB;"
    )
);
/// A table whose unnamed foreign key on `t_id` references `target`: MariaDB makes it the
/// index `t_id`, and names the key `v_ibfk_1`. `keys` are more items of the table.
fn v_referencing(target: &str, keys: &str) -> String {
    format!(
        "{T}CREATE TABLE w (id bigint NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB;\n\
         CREATE TABLE v (id bigint NOT NULL, t_id bigint, PRIMARY KEY (id){keys}, \
         FOREIGN KEY (t_id) REFERENCES {target} (id)) ENGINE=InnoDB;"
    )
}
change_kind!(
    /// Adding the key again would rename the index MariaDB made for it to `v_ibfk_1`:
    /// the index is re-added as a declared one in the same statement, keeping its name.
    kind_foreign_key_retarget_implicit_index,
    &v_referencing("t", ""),
    &v_referencing("w", "")
);
change_kind!(
    /// A named key's index is named after it: adding the key again keeps the name.
    kind_foreign_key_retarget_named,
    &v_referencing("t", "").replace("FOREIGN KEY", "CONSTRAINT v_t FOREIGN KEY"),
    &v_referencing("w", "").replace("FOREIGN KEY", "CONSTRAINT v_t FOREIGN KEY")
);
change_kind!(
    /// An index that covers the key's columns serves it: MariaDB made none.
    kind_foreign_key_retarget_covered,
    &v_referencing("t", ", KEY v_t_id (t_id, id)"),
    &v_referencing("w", ", KEY v_t_id (t_id, id)")
);
change_kind!(
    kind_check_add,
    T,
    &T.replace(
        "PRIMARY KEY (id)",
        "PRIMARY KEY (id), CONSTRAINT t_a_positive CHECK (a > 0)"
    )
);
change_kind!(
    kind_check_modify,
    &T.replace(
        "PRIMARY KEY (id)",
        "PRIMARY KEY (id), CONSTRAINT t_a_positive CHECK (a > 0)"
    ),
    &T.replace(
        "PRIMARY KEY (id)",
        "PRIMARY KEY (id), CONSTRAINT t_a_positive CHECK (a >= 0)"
    )
);
change_kind!(
    kind_index_add,
    T,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), KEY t_b (b(10))")
);
change_kind!(
    kind_index_modify,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), KEY t_b (b)"),
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), KEY t_b (b, a)")
);
change_kind!(
    kind_fulltext_index_add,
    T,
    &T.replace(
        "PRIMARY KEY (id)",
        "PRIMARY KEY (id), FULLTEXT KEY t_b_text (b)"
    )
);
change_kind!(
    kind_index_rename,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), KEY t_b (b)"),
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), KEY t_body (b)"),
    "index:t.t_b=t_body"
);
change_kind!(
    /// A unique key is an index in MySQL: renamed as one.
    kind_unique_constraint_rename,
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), CONSTRAINT t_b UNIQUE (b)"),
    &T.replace("PRIMARY KEY (id)", "PRIMARY KEY (id), CONSTRAINT t_b_unique UNIQUE (b)"),
    "constraint:t.t_b=t_b_unique"
);
change_kind!(
    /// MySQL cannot rename a foreign key or a check: renamed by a drop and an add.
    kind_foreign_key_and_check_rename,
    &format!(
        "{T}{U}, CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t (id), CONSTRAINT u_id CHECK (id > 0)) ENGINE=InnoDB;"
    ),
    &format!(
        "{T}{U}, CONSTRAINT u_t_ref FOREIGN KEY (t_id) REFERENCES t (id), CONSTRAINT u_id_positive CHECK (id > 0)) ENGINE=InnoDB;"
    ),
    "constraint:u.u_t_fk=u_t_ref",
    "constraint:u.u_id=u_id_positive",
);
change_kind!(
    kind_trigger_add,
    T,
    &t_with("CREATE TRIGGER t_b BEFORE INSERT ON t FOR EACH ROW SET NEW.b = trim(NEW.b);")
);
change_kind!(
    kind_trigger_modify,
    &t_with("CREATE TRIGGER t_b BEFORE INSERT ON t FOR EACH ROW SET NEW.b = trim(NEW.b);"),
    &t_with("CREATE TRIGGER t_b BEFORE INSERT ON t FOR EACH ROW SET NEW.b = lower(NEW.b);")
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
    kind_function_add,
    "",
    "CREATE FUNCTION add2(a int, b int) RETURNS int DETERMINISTIC RETURN a + b;"
);
change_kind!(
    kind_function_modify,
    "CREATE FUNCTION f() RETURNS int DETERMINISTIC RETURN 1;",
    "CREATE FUNCTION f() RETURNS int DETERMINISTIC RETURN 2;"
);
change_kind!(
    kind_procedure_add,
    T,
    &t_with("CREATE PROCEDURE clear_t() BEGIN DELETE FROM t; END;")
);
change_kind!(
    kind_event_add,
    T,
    &t_with("CREATE EVENT purge_t ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE a < 0;")
);
change_kind!(
    kind_event_modify,
    &t_with("CREATE EVENT purge_t ON SCHEDULE EVERY 1 DAY DO DELETE FROM t WHERE a < 0;"),
    &t_with("CREATE EVENT purge_t ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t WHERE a < 0;")
);
