//! MySQL / MariaDB plans between two schemas read offline: the statements, their order
//! and their flags. `live_plan_mysql.rs` applies such plans to a server.

use schema_inspect::{LoadOptions, load_sql};
use schema_model::{Dialect, Realm};
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
