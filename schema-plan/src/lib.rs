//! Rendering the canonical model as SQL DDL.
//!
//! [`render_realm`] turns a [`Realm`] into the statements that recreate it in an empty
//! database of its dialect, in an order that runs: each object after everything it
//! depends on, ties broken by a fixed phase order and then by name, so that equal realms
//! render to identical text. [`render_script`] joins them into one script, the text
//! `sextant inspect --format sql` prints.
//!
//! ```
//! use schema_model::{Column, DataType, Dialect, Realm, Table};
//!
//! let mut realm = Realm::new(Dialect::Postgres);
//! let mut users = Table::new("users");
//! users.columns.push(Column::new("id", DataType::BigInt));
//! realm.schema_mut("public").tables.insert("users".into(), users);
//!
//! let script = schema_plan::render_script(&realm);
//! assert_eq!(script, "CREATE TABLE public.users (\n    id bigint\n);\n");
//! ```
//!
//! Each dialect module ([`postgres`], [`mysql`], [`sqlite`]) holds the spelling of its
//! types and objects, and the one function that quotes identifiers in that dialect.
//! Stored expressions (defaults, checks, predicates, view queries) are canonical text in
//! the model and are emitted as they are.

#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub mod apply;
pub mod mysql;
pub mod postgres;
pub mod sqlite;

mod order;
mod plan;
mod planner;
mod refs;
mod select;
mod text;

pub use plan::{
    Plan, PlanError, PlanOptions, PlannedStatement, invert_renames, plan, plan_rendering_whole,
    reverse_plan,
};

use schema_model::{Dialect, Realm};

/// One SQL statement and the object it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement, ending with `;`.
    pub sql: String,
    /// The object the statement creates or alters, for messages and plans: a kind word
    /// and a name, such as `table public.users` or `index public.users_email_idx`.
    pub object: String,
    /// The statement that takes away what this one made (`DROP INDEX` for `CREATE
    /// INDEX`), when this statement creates something on its own. Statements that only
    /// refine what an earlier statement of the same object made (a `NOT VALID` check
    /// added after its `CREATE TABLE`) have none: undoing the first undoes them.
    pub undo: Option<String>,
}

impl Statement {
    /// A statement; the `;` terminator is added when the text lacks one (on a line of
    /// its own when the text ends in a `--` comment, which would swallow it).
    pub fn new(sql: impl Into<String>, object: impl Into<String>) -> Self {
        let mut sql: String = sql.into();
        let trimmed = sql.trim_end().len();
        sql.truncate(trimmed);
        let line_comment = text::ends_in_line_comment(&sql, Dialect::Postgres);
        if !sql.ends_with(';') || line_comment {
            if line_comment {
                sql.push('\n');
            }
            sql.push(';');
        }
        Statement {
            sql,
            object: object.into(),
            undo: None,
        }
    }

    /// The statement with its [`Self::undo`].
    pub fn undo(mut self, sql: impl Into<String>) -> Self {
        let mut sql: String = sql.into();
        if !sql.ends_with(';') {
            sql.push(';');
        }
        self.undo = Some(sql);
        self
    }
}

/// How plans label an object in [`PlannedStatement::objects`]: a kind word and the
/// name, qualified as the dialect shows it (`table public.users` on PostgreSQL, `table
/// users` for SQLite's `main` and MySQL's current database). Callers that look for the
/// statements touching an object build its label here rather than guessing the form.
pub fn object_label(dialect: Dialect, kind: &str, schema: &str, name: &str) -> String {
    match dialect {
        Dialect::Postgres => postgres::label(kind, schema, name),
        Dialect::Mysql => mysql::label(kind, schema, name),
        Dialect::Sqlite => sqlite::label(kind, schema, name),
    }
}

/// The statements that recreate the realm in an empty database of `realm.dialect`, in
/// dependency order.
pub fn render_realm(realm: &Realm) -> Vec<Statement> {
    match realm.dialect {
        Dialect::Postgres => postgres::render_realm(realm),
        Dialect::Mysql => mysql::render_realm(realm),
        Dialect::Sqlite => sqlite::render_realm(realm),
    }
}

/// The statements of [`render_realm`] as one script: separated by blank lines, ending
/// with a newline (empty for an empty realm). MySQL statements with compound bodies are
/// wrapped in `DELIMITER` client commands so that the `mysql` client and the loader
/// split them where the server would.
pub fn render_script(realm: &Realm) -> String {
    let statements = render_realm(realm);
    let mut parts: Vec<String> = Vec::with_capacity(statements.len());
    for statement in &statements {
        if realm.dialect == Dialect::Mysql
            && text::has_inner_semicolon(&statement.sql, Dialect::Mysql)
        {
            parts.push(mysql::with_delimiter(&statement.sql));
        } else {
            parts.push(statement.sql.clone());
        }
    }
    let mut script = parts.join("\n\n");
    if !script.is_empty() {
        script.push('\n');
    }
    script
}
