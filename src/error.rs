//! The facade's one error type.

use schema_lint::Diagnostic;

/// Why a facade call failed. Each variant carries the underlying crate's error, whose
/// message names the file, statement or object.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQL could not be read (file:line:col and the statement are in the message).
    #[error(transparent)]
    Load(#[from] schema_inspect::LoadError),
    /// A live database could not be inspected.
    #[error(transparent)]
    Inspect(#[from] schema_inspect::live::InspectError),
    /// The differ refused its input (a rename hint naming nothing, ...).
    #[error(transparent)]
    Diff(#[from] schema_diff::DiffError),
    /// No plan could be made.
    #[error(transparent)]
    Plan(#[from] schema_plan::PlanError),
    /// Applying failed, or was refused (destructive statements, a failed check).
    #[error(transparent)]
    Apply(#[from] schema_plan::apply::ApplyError),
    /// The policy's lint level blocked the plan; nothing ran.
    #[error("{}", blocked_message(.0))]
    Blocked(Vec<Diagnostic>),
    /// The desired schema is written for another dialect than the database speaks.
    #[error("the database is {database}, but the desired schema is {desired}")]
    DialectMismatch {
        /// The database's dialect.
        database: schema_model::Dialect,
        /// The desired schema's.
        desired: schema_model::Dialect,
    },
}

fn blocked_message(diagnostics: &[Diagnostic]) -> String {
    let mut out = format!(
        "refusing to apply: the linter found {} problem{} at or above the blocking level",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    );
    for diagnostic in diagnostics {
        out.push_str(&format!(
            "\n  {} {} ({}): {}",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.name,
            diagnostic.message
        ));
    }
    out
}
