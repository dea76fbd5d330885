//! Rule metadata: declared once per rule, in its own file, and read by dispatch,
//! configuration, output and the generated `docs/lint-rules.md`.

use crate::context::Cx;
use crate::diagnostic::Severity;
use schema_model::Dialect;

/// The kind of problem a rule looks for. The code prefix follows the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Loses data (`DS`).
    Destructive,
    /// Fails or changes meaning depending on the rows present (`MF`).
    DataDependent,
    /// Breaks applications still running against the old schema (`BC`).
    Incompatible,
    /// Takes long locks or rewrites tables on PostgreSQL (`PG`).
    PostgresLocking,
    /// Transaction structure of a migration (`TX`).
    Transactions,
    /// Copies or blocks on MySQL (`MY`).
    Mysql,
    /// Needs a table rebuild, or leaves foreign keys off, on SQLite (`LT`).
    Sqlite,
    /// Type and design choices (`DE`).
    Design,
    /// Naming conventions (`NM`).
    Naming,
    /// The linter's own findings: unreadable statements, unused directives (`SX`).
    Linter,
}

impl Family {
    /// The title docs and output use.
    pub fn title(self) -> &'static str {
        match self {
            Family::Destructive => "Destructive changes",
            Family::DataDependent => "Data-dependent changes",
            Family::Incompatible => "Backward-incompatible changes",
            Family::PostgresLocking => "PostgreSQL locks and rewrites",
            Family::Transactions => "Transactions",
            Family::Mysql => "MySQL",
            Family::Sqlite => "SQLite",
            Family::Design => "Types and design",
            Family::Naming => "Naming",
            Family::Linter => "Linter",
        }
    }
}

/// What a rule checks: a statement as it comes (with the schema before it), or the
/// end of a file (with the schema after it).
pub type Check = fn(&Cx<'_>, &mut crate::context::Emit<'_>);

/// Everything about a rule but its findings.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, such as `PG101`.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    /// The family.
    pub family: Family,
    /// The dialects it applies to; empty for all.
    pub dialects: &'static [Dialect],
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// Whether it runs unless configured otherwise.
    pub default_on: bool,
    /// One line: what it flags.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The safer way, where there is one.
    pub instead: Option<&'static str>,
    /// SQL of an earlier migration the examples run after (the tables they find).
    pub setup: &'static str,
    /// A migration it flags.
    pub bad: &'static str,
    /// A migration it accepts (the same intent, done the safer way, where there is one).
    pub good: &'static str,
    /// The check per statement.
    pub check: Check,
    /// The check at the end of each file, for rules that need what later statements did.
    pub at_file_end: Option<Check>,
    /// How its findings are graded by the size of the table they are about, when the
    /// lint knows table sizes ([`crate::Settings::table_rows`]).
    pub sizing: Sizing,
}

/// How a rule's findings depend on the number of rows in the table a statement works
/// on. Destructive rules are never graded: losing a small table is still losing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizing {
    /// Not graded: the finding does not depend on the table's rows.
    Never,
    /// The statement locks, rewrites or scans the table for a time that grows with it: a
    /// note on a table of at most `small-table-rows` rows; on a larger one the message
    /// gives the estimate.
    LockTime,
    /// The statement can fail on, or change, the rows present: a note only on a table
    /// the catalog says is empty, since one bad row among a few still fails it; otherwise
    /// the message gives the estimate.
    ExistingRows,
}

impl RuleMeta {
    /// Whether it applies to that dialect.
    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.dialects.is_empty() || self.dialects.contains(&dialect)
    }
}

/// A check that looks at no statement (rules that only run at the end of a file).
pub(crate) fn no_check(_: &Cx<'_>, _: &mut crate::context::Emit<'_>) {}
