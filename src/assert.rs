//! Schema assertions for test suites: [`assert_schema_eq!`](crate::assert_schema_eq),
//! whose failure says exactly what differs, and [`schema_text`], a stable text form
//! for snapshot tests.

use schema_model::{Difference, Realm, compare};
use std::fmt;

/// A schema as canonical SQL: every object in dependency order, one statement each,
/// written the same way whatever SQL or database it was read from. Stable across runs,
/// so it works with insta snapshots (`insta::assert_snapshot!(sextant::schema_text(&realm))`).
///
/// ```
/// let realm = sextant::load_sql(
///     "create table public.Users (ID int primary key, Name varchar(40))",
///     sextant::model::Dialect::Postgres,
/// )?;
/// assert_eq!(
///     sextant::schema_text(&realm),
///     "CREATE TABLE public.users (\n    id integer NOT NULL,\n    name varchar(40),\n    CONSTRAINT users_pkey PRIMARY KEY (id)\n);\n",
/// );
/// # Ok::<(), sextant::Error>(())
/// ```
pub fn schema_text(realm: &Realm) -> String {
    schema_plan::render_script(realm)
}

/// Two schemas that differ: each difference, attribute by attribute, and the changes
/// that would take the left one to the right one.
#[derive(Debug, Clone)]
pub struct SchemaMismatch {
    /// Every difference, the left value first.
    pub differences: Vec<Difference>,
    /// The typed changes from left to right, one line each (empty when the differ
    /// cannot compare the two, such as two dialects).
    pub changes: String,
}

impl fmt::Display for SchemaMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "schemas differ: {} difference{} (left | right)",
            self.differences.len(),
            if self.differences.len() == 1 { "" } else { "s" }
        )?;
        for difference in &self.differences {
            writeln!(f, "  {difference}")?;
        }
        if !self.changes.is_empty() {
            writeln!(f, "changes from left to right:")?;
            for line in self.changes.lines() {
                writeln!(f, "  {line}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for SchemaMismatch {}

/// Compares two schemas: `Ok` when equal, otherwise what differs. The function behind
/// [`assert_schema_eq!`](crate::assert_schema_eq), for tests that want the mismatch as
/// a value.
pub fn check_schema_eq(left: &Realm, right: &Realm) -> Result<(), SchemaMismatch> {
    let differences = compare(left, right);
    if differences.is_empty() {
        return Ok(());
    }
    let changes = schema_diff::diff(left, right, &schema_diff::DiffOptions::default())
        .map(|diff| schema_diff::changes_text(&diff))
        .unwrap_or_default();
    Err(SchemaMismatch {
        differences,
        changes,
    })
}

/// Asserts that two schemas ([`Realm`](crate::model::Realm)s, or references to them)
/// are equal; on failure, panics with every difference and the changes from the left
/// one to the right one.
///
/// ```
/// use sextant::{assert_schema_eq, model::Dialect};
///
/// let written = sextant::load_sql("CREATE TABLE t (id int NOT NULL);", Dialect::Postgres)?;
/// let spelled_differently = sextant::load_sql("create table public.t (id integer not null)", Dialect::Postgres)?;
/// assert_schema_eq!(written, &spelled_differently);
/// # Ok::<(), sextant::Error>(())
/// ```
///
/// ```should_panic
/// # use sextant::{assert_schema_eq, model::Dialect};
/// let a = sextant::load_sql("CREATE TABLE t (id int);", Dialect::Postgres).unwrap();
/// let b = sextant::load_sql("CREATE TABLE t (id bigint);", Dialect::Postgres).unwrap();
/// assert_schema_eq!(a, b, "after migration {}", 3);
/// ```
#[macro_export]
macro_rules! assert_schema_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let left: &$crate::model::Realm = &$left;
        let right: &$crate::model::Realm = &$right;
        if let Err(mismatch) = $crate::check_schema_eq(left, right) {
            panic!("{mismatch}");
        }
    }};
    ($left:expr, $right:expr, $($message:tt)+) => {{
        let left: &$crate::model::Realm = &$left;
        let right: &$crate::model::Realm = &$right;
        if let Err(mismatch) = $crate::check_schema_eq(left, right) {
            panic!("{}: {mismatch}", format_args!($($message)+));
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::Dialect;

    fn load(sql: &str) -> Realm {
        match crate::load_sql(sql, Dialect::Postgres) {
            Ok(realm) => realm,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_mismatch_names_the_attribute_both_values_and_the_change() {
        let left = load("CREATE TABLE t (id int, name text);");
        let right = load("CREATE TABLE t (id bigint NOT NULL);");
        let Err(mismatch) = check_schema_eq(&left, &right) else {
            panic!("the schemas differ");
        };
        insta::assert_snapshot!(mismatch.to_string());
    }

    #[test]
    #[should_panic(
        expected = "after step 2: schemas differ: 2 differences (left | right)\n  schema public, table t: present | absent\n  schema public, table u: absent | present"
    )]
    fn the_macro_panics_with_the_message_first() {
        let left = load("CREATE TABLE t (id int);");
        let right = load("CREATE TABLE u (id int);");
        assert_schema_eq!(left, right, "after step {}", 2);
    }

    #[test]
    fn equal_schemas_pass_whatever_their_spelling() {
        let left = load("CREATE TABLE t (id int PRIMARY KEY, at timestamp with time zone);");
        let right = load("create table public.t (id integer primary key, at timestamptz)");
        assert_schema_eq!(left, &right);
    }
}
