//! A plan the planner makes in online mode must pass the PostgreSQL locking rules: the
//! lock-light forms it writes are the ones those rules ask for.

use schema_inspect::{LoadOptions, load_sql};
use schema_lint::{Family, Settings, lint_plan};
use schema_model::{Dialect, Realm};
use schema_plan::{PlanOptions, plan};

fn load(sql: &str) -> Realm {
    match load_sql(sql, "test.sql", &LoadOptions::new(Dialect::Postgres)) {
        Ok(loaded) => loaded.realm,
        Err(e) => panic!("{e}"),
    }
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
";

fn target() -> String {
    format!(
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
    )
}

fn locking_findings(online: bool) -> Vec<String> {
    let from = load(BASE);
    let to = load(&target());
    let mut options = PlanOptions::default();
    options.online = online;
    options.lock_timeout = Some("2s".into());
    let plan = match plan(&from, &to, &options) {
        Ok(plan) => plan,
        Err(e) => panic!("{e}"),
    };
    lint_plan(&plan, &from, &Settings::new(Dialect::Postgres))
        .into_iter()
        .filter(|d| {
            schema_lint::rule(&d.code)
                .is_some_and(|r| matches!(r.family, Family::PostgresLocking | Family::Transactions))
        })
        .map(|d| format!("{} {} line {}: {}", d.code, d.name, d.line, d.message))
        .collect()
}

/// Online mode validates a `NOT VALID` constraint in a transaction of its own, so even
/// PG108 (validate in the same transaction) has nothing to say.
#[test]
fn an_online_plan_passes_every_locking_rule() {
    let findings = locking_findings(true);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn the_same_plan_made_offline_does_not() {
    // The check above means something only if the rules see the difference.
    let findings = locking_findings(false);
    assert!(
        findings.iter().any(|f| f.starts_with("PG101")),
        "{}",
        findings.join("\n")
    );
    assert!(
        findings.iter().any(|f| f.starts_with("PG107")),
        "{}",
        findings.join("\n")
    );
}
