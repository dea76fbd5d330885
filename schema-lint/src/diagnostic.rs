//! What a rule reports.

use serde::Serialize;

/// How serious a finding is. Only [`Severity::Error`] fails a lint run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Note,
    /// Probably a problem; does not fail a run.
    Warning,
    /// Fails the run (non-zero exit).
    Error,
}

impl Severity {
    /// The lowercase name, as configuration and output spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "note" | "info" => Ok(Severity::Note),
            "warning" | "warn" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!("unknown severity `{other}`")),
        }
    }
}

/// One finding: a rule, a place and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable code, such as `PG101` (a custom rule's as configured).
    pub code: String,
    /// The rule's kebab-case name, such as `create-index-not-concurrently`.
    pub name: String,
    /// The severity in force (the rule's default or the configured one).
    pub severity: Severity,
    /// What is wrong with this statement.
    pub message: String,
    /// The file (or `<plan>`) the statement comes from.
    pub file: String,
    /// 1-based line of the finding.
    pub line: usize,
    /// 1-based column (in characters) of the finding.
    pub column: usize,
    /// The whole statement.
    pub statement: String,
    /// 1-based line where the statement starts, for snippets.
    #[serde(skip)]
    pub statement_line: usize,
    /// 1-based column where the statement starts, for snippets.
    #[serde(skip)]
    pub statement_column: usize,
    /// The safer way to do it, where there is one.
    pub suggestion: Option<String>,
}
