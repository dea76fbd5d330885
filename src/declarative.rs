//! Declarative apply: bring a live database to a desired schema under a policy, and
//! drift: what differs between a live database and the schema it should have.

use crate::{Database, Error};
use schema_diff::{DiffOptions, Pattern, Rename};
use schema_inspect::live::InspectOptions;
use schema_lint::{Diagnostic, Severity};
use schema_model::{Dialect, Realm, compare};
use schema_plan::apply::{ApplyOptions, ApplyReport, Check};
use schema_plan::{Plan, PlanOptions};
use std::fmt;

/// What [`apply`] may do.
///
/// ```
/// use sextant::{Policy, PolicyCheck};
/// use sextant::lint::Severity;
///
/// let policy = Policy::new()
///     .require_empty(true)
///     .block_at(Severity::Error)
///     .check(PolicyCheck::before(
///         "table public.sessions",
///         "no session is younger than a day",
///         "SELECT NOT EXISTS (SELECT 1 FROM sessions WHERE created_at > now() - interval '1 day')",
///     ));
/// assert!(!policy.allow_destructive);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Policy {
    /// Run statements that can lose data (dropped tables and columns, narrowed types).
    /// Off by default: a plan holding any is refused whole, before anything runs.
    pub allow_destructive: bool,
    /// With destructive statements allowed, still require that what they drop holds
    /// nothing: a dropped table must have no rows, a dropped column no non-null value.
    /// Checked in the statement's own transaction right before it (PostgreSQL, SQLite;
    /// on MySQL right before it, as MySQL's DDL commits on its own).
    pub require_empty: bool,
    /// Lint the plan first and refuse it when a finding is at this severity or above.
    /// `None` (the default) does not lint.
    pub block_at: Option<Severity>,
    /// Pre-migration checks: SQL assertions that must hold before the change.
    pub checks: Vec<PolicyCheck>,
    /// Renames to plan as renames rather than as a drop and an add.
    pub renames: Vec<Rename>,
    /// The schemas to manage (MySQL: ignored, the pool's database is the one); empty
    /// means every user schema.
    pub schemas: Vec<String>,
    /// Objects left alone, as `schema.name` patterns (`audit.*`, `*.tmp_*`).
    pub exclude: Vec<String>,
    /// PostgreSQL: plan the lock-light forms (`CONCURRENTLY`, `NOT VALID` then
    /// `VALIDATE`, ...).
    pub online: bool,
}

impl Policy {
    /// The safe defaults: nothing destructive, no lint gate, no checks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Self::allow_destructive`].
    pub fn allow_destructive(mut self, allow: bool) -> Self {
        self.allow_destructive = allow;
        self
    }

    /// Sets [`Self::require_empty`].
    pub fn require_empty(mut self, require: bool) -> Self {
        self.require_empty = require;
        self
    }

    /// Sets [`Self::block_at`].
    pub fn block_at(mut self, severity: Severity) -> Self {
        self.block_at = Some(severity);
        self
    }

    /// Adds a pre-migration check.
    pub fn check(mut self, check: PolicyCheck) -> Self {
        self.checks.push(check);
        self
    }

    /// Adds a rename hint.
    pub fn rename(mut self, rename: Rename) -> Self {
        self.renames.push(rename);
        self
    }

    /// Adds a schema to manage.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schemas.push(schema.into());
        self
    }

    /// Adds an exclusion pattern.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Sets [`Self::online`].
    pub fn online(mut self, online: bool) -> Self {
        self.online = online;
        self
    }

    fn inspect_options(&self) -> InspectOptions {
        InspectOptions {
            schemas: self.schemas.clone(),
            exclude: self.exclude.clone(),
        }
    }

    fn diff_options(&self, dialect: Dialect) -> Result<DiffOptions, Error> {
        let mut options = DiffOptions::default();
        options.renames = self.renames.clone();
        if dialect != Dialect::Mysql {
            options.include_schemas = self.schemas.clone();
        }
        options.ignore = self
            .exclude
            .iter()
            .map(|p| p.parse::<Pattern>())
            .collect::<Result<_, _>>()?;
        Ok(options)
    }
}

/// A pre-migration check of a [`Policy`]: a query whose one value must be true, run
/// before the first statement that touches its object, in that statement's
/// transaction. A check whose object no statement touches does not run: the change it
/// guards is not happening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCheck {
    /// The object whose change it guards, as plans label objects (`table public.users`
    /// on PostgreSQL, `table users` on SQLite; [`object_label`](crate::plan::object_label)
    /// builds it), or `None` for the start of the plan.
    pub object: Option<String>,
    /// What must hold, for the error message.
    pub description: String,
    /// The assertion.
    pub sql: String,
}

impl PolicyCheck {
    /// A check run before the plan's first statement.
    pub fn before_all(description: impl Into<String>, sql: impl Into<String>) -> Self {
        Self {
            object: None,
            description: description.into(),
            sql: sql.into(),
        }
    }

    /// A check run before the first statement touching `object` (`table public.t`).
    pub fn before(
        object: impl Into<String>,
        description: impl Into<String>,
        sql: impl Into<String>,
    ) -> Self {
        Self {
            object: Some(object.into()),
            description: description.into(),
            sql: sql.into(),
        }
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Applied {
    /// The plan it ran (empty when the database already had the desired schema).
    pub plan: Plan,
    /// What running it did; `None` when there was nothing to run.
    pub report: Option<ApplyReport>,
    /// Every lint finding on the plan, when the policy lints ([`Policy::block_at`]).
    pub diagnostics: Vec<Diagnostic>,
}

/// Inspects the database and plans it to `desired` under the policy's scope and
/// renames, without running anything: the dry run of [`apply`]. Returns the database's
/// current schema with the plan.
pub async fn plan_for<D: Database>(
    db: &D,
    desired: &Realm,
    policy: &Policy,
) -> Result<(Realm, Plan), Error> {
    if desired.dialect != db.dialect() {
        return Err(Error::DialectMismatch {
            database: db.dialect(),
            desired: desired.dialect,
        });
    }
    let current = db.inspect(&policy.inspect_options()).await?;
    let diff_options = policy.diff_options(current.dialect)?;
    let from = schema_diff::scope(&current, &diff_options);
    let to = schema_diff::scope(desired, &diff_options);
    let mut options = PlanOptions::default();
    options.renames = policy.renames.clone();
    options.online = policy.online;
    let plan = schema_plan::plan(&from, &to, &options)?;
    Ok((current, plan))
}

/// Brings the database to the desired schema: inspect, plan, lint, check, apply.
///
/// Refuses, before anything runs, a plan that can lose data unless the policy allows
/// it, and a plan the linter blocks. Pre-migration checks run in the transaction of
/// the statement they guard. A rerun after a failure resumes (see
/// `sextant::plan::apply`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use sextant::{Policy, model::Dialect};
///
/// let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
/// let desired = sextant::load_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);", Dialect::Sqlite)?;
/// let applied = sextant::apply(&pool, &desired, &Policy::new()).await?;
/// assert_eq!(applied.plan.statements.len(), 1);
/// // Once there, nothing is left to do.
/// assert!(sextant::apply(&pool, &desired, &Policy::new()).await?.plan.is_empty());
/// # Ok(()) }
/// ```
pub async fn apply<D: Database>(
    db: &D,
    desired: &Realm,
    policy: &Policy,
) -> Result<Applied, Error> {
    let (current, plan) = plan_for(db, desired, policy).await?;
    if plan.is_empty() {
        tracing::info!("the database already has the desired schema");
        return Ok(Applied {
            plan,
            report: None,
            diagnostics: Vec::new(),
        });
    }
    let mut diagnostics = Vec::new();
    if let Some(block_at) = policy.block_at {
        diagnostics = crate::lint_plan(&plan, &current);
        let blocking: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity >= block_at)
            .cloned()
            .collect();
        if !blocking.is_empty() {
            return Err(Error::Blocked(blocking));
        }
    }
    let mut options = ApplyOptions::new().allow_destructive(policy.allow_destructive);
    options.checks = checks(&plan, &current, desired, policy);
    let report = db.apply(&plan, &options).await?;
    Ok(Applied {
        plan,
        report: Some(report),
        diagnostics,
    })
}

/// The policy's checks placed on the plan's statements, and with
/// [`Policy::require_empty`] one per dropped table and column, before the first
/// destructive statement on its table.
fn checks(plan: &Plan, current: &Realm, desired: &Realm, policy: &Policy) -> Vec<Check> {
    let first_touching = |label: &str, destructive_only: bool| {
        plan.statements.iter().position(|s| {
            (!destructive_only || s.destructive) && s.objects.iter().any(|o| o == label)
        })
    };
    let mut out = Vec::new();
    for check in &policy.checks {
        let before = match &check.object {
            None => Some(0),
            Some(object) => first_touching(object, false),
        };
        match before {
            Some(before) => out.push(Check {
                description: check.description.clone(),
                sql: check.sql.clone(),
                before,
            }),
            None => tracing::debug!(
                check = %check.description,
                "no statement touches the object this check guards; it does not run"
            ),
        }
    }
    if !(policy.require_empty && policy.allow_destructive) {
        return out;
    }
    for (schema_name, schema) in &current.schemas {
        for (table_name, table) in &schema.tables {
            let label =
                schema_plan::object_label(current.dialect, "table", schema_name, table_name);
            let Some(before) = first_touching(&label, true) else {
                continue;
            };
            let quoted = qualified(current.dialect, schema_name, table_name);
            let kept = desired
                .schemas
                .get(schema_name)
                .and_then(|s| s.tables.get(table_name));
            match kept {
                None => out.push(Check {
                    description: format!("{label} is empty before it is dropped"),
                    sql: format!("SELECT NOT EXISTS (SELECT 1 FROM {quoted})"),
                    before,
                }),
                Some(kept) => {
                    for column in &table.columns {
                        if kept.columns.iter().any(|c| c.name == column.name) {
                            continue;
                        }
                        out.push(Check {
                            description: format!(
                                "column {} of {label} holds no value before it is dropped",
                                column.name
                            ),
                            sql: format!(
                                "SELECT NOT EXISTS (SELECT 1 FROM {quoted} WHERE {} IS NOT NULL)",
                                schema_model::quote::quote_ident(current.dialect, &column.name)
                            ),
                            before,
                        });
                    }
                }
            }
        }
    }
    out
}

fn qualified(dialect: Dialect, schema: &str, name: &str) -> String {
    match dialect {
        Dialect::Postgres => schema_plan::postgres::qualified(schema, name),
        Dialect::Mysql => schema_plan::mysql::qualified(schema, name),
        Dialect::Sqlite => schema_plan::sqlite::qualified(schema, name),
    }
}

/// What differs between a live database and the schema it should have.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Drift {
    /// Every difference, attribute by attribute: the database on the left, the
    /// expected schema on the right.
    pub differences: Vec<schema_model::Difference>,
    /// The plan that would bring the database back to the expected schema.
    pub plan: Plan,
}

impl Drift {
    /// Whether the database has exactly the expected schema.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no drift: the database has the expected schema");
        }
        writeln!(
            f,
            "drift: {} difference{} (database | expected)",
            self.differences.len(),
            if self.differences.len() == 1 { "" } else { "s" }
        )?;
        for difference in &self.differences {
            writeln!(f, "  {difference}")?;
        }
        Ok(())
    }
}

/// Compares the database with the schema it should have, within the policy's scope.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use sextant::{Policy, model::Dialect};
///
/// let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
/// let expected = sextant::load_sql("CREATE TABLE t (id INTEGER);", Dialect::Sqlite)?;
/// sextant::apply(&pool, &expected, &Policy::new()).await?;
/// sqlx::raw_sql("ALTER TABLE t ADD COLUMN added_by_hand TEXT").execute(&pool).await?;
/// let drift = sextant::drift(&pool, &expected, &Policy::new()).await?;
/// assert!(drift.to_string().contains("column added_by_hand"));
/// # Ok(()) }
/// ```
pub async fn drift<D: Database>(db: &D, expected: &Realm, policy: &Policy) -> Result<Drift, Error> {
    let (current, plan) = plan_for(db, expected, policy).await?;
    let diff_options = policy.diff_options(current.dialect)?;
    let differences = compare(
        &schema_diff::scope(&current, &diff_options),
        &schema_diff::scope(expected, &diff_options),
    );
    Ok(Drift { differences, plan })
}
