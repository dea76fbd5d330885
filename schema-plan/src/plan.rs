//! Plans: the statements that take a database from one realm to another.
//!
//! [`plan`] diffs two realms ([`schema_diff::diff`]) and orders what must change in one
//! dependency graph: what is dropped goes in the reverse order of the source realm's
//! dependencies, what is created or altered in the order of the target's, and every
//! object that depends on something dropped or recreated is itself dropped first and
//! recreated after. Each [`PlannedStatement`] says whether it can run in a transaction,
//! which objects it touches, whether it can lose data, and how to undo it where one
//! statement can; [`Plan::reverse`] is the whole way back, computed by diffing the other
//! way rather than by inverting statements.

use schema_model::{Dialect, Realm};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How to plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanOptions {
    /// Renames the caller asserts, as `(kind, from, to)` hints handed to the differ.
    pub renames: Vec<schema_diff::Rename>,
    /// PostgreSQL only: rewrite risky steps into their lock-light forms (indexes built
    /// and dropped `CONCURRENTLY`, constraints added `NOT VALID` then validated, ...).
    pub online: bool,
    /// Online mode: the `lock_timeout` set before each statement, such as `"2s"`.
    pub lock_timeout: Option<String>,
    /// Online mode: the `statement_timeout` set before each statement.
    pub statement_timeout: Option<String>,
}

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStatement {
    /// The statement, ending with `;`.
    pub sql: String,
    /// The statement that undoes this one, where a single statement can (`DROP INDEX`
    /// for `CREATE INDEX`); `None` for statements whose undoing needs data back.
    pub reverse: Option<String>,
    /// Whether the statement may run inside a transaction (`CREATE INDEX CONCURRENTLY`,
    /// `ALTER TYPE ... ADD VALUE` on old servers, and MySQL DDL may not).
    pub transactional: bool,
    /// The objects the statement creates, alters or drops, as `kind schema.name` labels.
    pub objects: Vec<String>,
    /// Whether running it can lose data (a dropped table or column, a narrowed type).
    pub destructive: bool,
    /// Why it can lose data, for messages, when [`Self::destructive`] is set.
    pub hazard: Option<String>,
}

/// An ordered list of statements from one realm to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The dialect the statements are written in.
    pub dialect: Dialect,
    /// The statements, in the order they must run.
    pub statements: Vec<PlannedStatement>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The statements that can lose data.
    pub fn destructive(&self) -> impl Iterator<Item = &PlannedStatement> {
        self.statements.iter().filter(|s| s.destructive)
    }

    /// The transaction groups, in order: runs of transactional statements, and each
    /// non-transactional statement on its own. Each group is applied wholly or not at
    /// all where the dialect has transactional DDL.
    pub fn groups(&self) -> Vec<&[PlannedStatement]> {
        let mut groups = Vec::new();
        let mut start = 0;
        for (i, statement) in self.statements.iter().enumerate() {
            if !statement.transactional {
                if start < i {
                    groups.push(&self.statements[start..i]);
                }
                groups.push(&self.statements[i..=i]);
                start = i + 1;
            }
        }
        if start < self.statements.len() {
            groups.push(&self.statements[start..]);
        }
        groups
    }

    /// The plan as one SQL script, statements separated by blank lines.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        for statement in &self.statements {
            if !out.is_empty() {
                out.push('\n');
            }
            if self.dialect == Dialect::Mysql
                && crate::text::has_inner_semicolon(&statement.sql, Dialect::Mysql)
            {
                let _ = writeln!(out, "{}", crate::mysql::with_delimiter(&statement.sql));
            } else {
                let _ = writeln!(out, "{}", statement.sql);
            }
        }
        out
    }
}

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The two realms are of different dialects.
    #[error("cannot plan from a {from} schema to a {to} schema")]
    DialectMismatch {
        /// The source realm's dialect.
        from: Dialect,
        /// The target realm's dialect.
        to: Dialect,
    },
    /// A change the dialect cannot make, with the object and the reason.
    #[error("{object}: {reason}")]
    Unsupported {
        /// The object, as a `kind schema.name` label.
        object: String,
        /// Why the change cannot be planned.
        reason: String,
    },
    /// The differ refused its input (a rename hint naming nothing, ...).
    #[error(transparent)]
    Diff(#[from] schema_diff::DiffError),
}

/// The plan from `from` to `to`.
pub fn plan(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Plan, PlanError> {
    if from.dialect != to.dialect {
        return Err(PlanError::DialectMismatch {
            from: from.dialect,
            to: to.dialect,
        });
    }
    crate::planner::plan(from, to, options)
}

/// [`plan`] made by rendering both realms whole rather than only what the change can
/// touch; the two must agree. Kept for checking that they do (tests, `bench-plan`).
#[doc(hidden)]
pub fn plan_rendering_whole(
    from: &Realm,
    to: &Realm,
    options: &PlanOptions,
) -> Result<Plan, PlanError> {
    if from.dialect != to.dialect {
        return Err(PlanError::DialectMismatch {
            from: from.dialect,
            to: to.dialect,
        });
    }
    crate::planner::plan_rendering(from, to, options, false)
}

/// The plan back from `to` to `from`, made by diffing that way round (not by inverting
/// the forward plan's statements, which cannot bring dropped data or definitions back).
/// Rename hints are turned around with it.
pub fn reverse_plan(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Plan, PlanError> {
    let mut back = options.clone();
    back.renames = invert_renames(&options.renames);
    plan(to, from, &back)
}

/// Rename hints for the way back, from the forward plan's target to its source: the
/// tables and types go back first, then each member hint (a column, index, constraint
/// or enum value) names its object as the target holds it, under its table's or type's
/// old name.
pub fn invert_renames(renames: &[schema_diff::Rename]) -> Vec<schema_diff::Rename> {
    use schema_diff::{Rename, RenameKind};
    // Hints were validated when the forward plan was made; an unreadable one is passed
    // through and refused by the differ with its own message.
    let owner_renames: Vec<(RenameKind, String, String, String)> = renames
        .iter()
        .filter(|r| r.kind.is_owner())
        .filter_map(|r| match r.from_parts()?.as_slice() {
            [schema, old] => Some((r.kind, schema.clone(), old.clone(), r.to.clone())),
            _ => None,
        })
        .collect();
    let mut out: Vec<Rename> = owner_renames
        .iter()
        .rev()
        .map(|(kind, schema, old, new)| Rename {
            kind: *kind,
            from: Rename::join_name(&[schema, new]),
            to: old.clone(),
        })
        .collect();
    // Member hints name their table or type as it was after the renames before them; on
    // the way back those have their old names again.
    for rename in renames.iter().filter(|r| !r.kind.is_owner()) {
        let parts = rename.from_parts().unwrap_or_default();
        let [schema, owner, old] = parts.as_slice() else {
            out.push(rename.clone());
            continue;
        };
        let owner_kind = match rename.kind {
            RenameKind::EnumValue => RenameKind::Type,
            _ => RenameKind::Table,
        };
        let owner = owner_renames
            .iter()
            .find(|(kind, s, _, new)| *kind == owner_kind && s == schema && new == owner)
            .map_or(owner, |(_, _, old, _)| old);
        out.push(Rename {
            kind: rename.kind,
            from: Rename::join_name(&[schema, owner, &rename.to]),
            to: old.clone(),
        });
    }
    out
}
