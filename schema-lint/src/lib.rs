//! Analyzers over plans and migration files.
//!
//! Each migration file is split into statements ([`schema_inspect::split`]) and replayed
//! on the schema the earlier files produce ([`schema_inspect::Replayer`]); before each
//! statement every enabled rule sees it (parsed by sqlparser, and as words for what
//! sqlparser cannot parse), the schema before it, and what the file did so far: its
//! transactions, its session settings, the tables it created. A plan is linted the same
//! way, replayed on its source realm, with the planner's transaction groups.
//!
//! ```
//! use schema_lint::{Settings, lint_sql};
//! use schema_model::Dialect;
//!
//! let diagnostics = lint_sql("DROP TABLE users;", "001.sql", &Settings::new(Dialect::Postgres))?;
//! assert!(diagnostics.iter().any(|d| d.name == "drop-table"));
//! # Ok::<(), schema_lint::LintError>(())
//! ```

mod config;
mod context;
mod custom;
mod diagnostic;
pub mod docs;
mod engine;
mod error;
mod nolint;
pub mod output;
mod rule;
mod rules;
mod settings;
mod sizes;

pub use config::{Config, NAMING_KINDS};
pub use context::{Cx, Emit, FileState, StatementRef, Word};
pub use custom::CustomRule;
pub use diagnostic::{Diagnostic, Severity};
pub use error::LintError;
pub use rule::{Family, RuleMeta, Sizing};
pub use settings::{DEFAULT_POSTGRES_VERSION, DEFAULT_SMALL_TABLE_ROWS, Settings};

use schema_inspect::Source;
use schema_model::Realm;
use schema_plan::Plan;
use std::path::{Path, PathBuf};

/// Every rule, in code order.
pub fn rules() -> &'static [&'static RuleMeta] {
    rules::ALL
}

/// The rule with that code or name.
pub fn rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    rules::find(code_or_name)
}

/// Lints one SQL text; `file` names it in diagnostics.
///
/// # Errors
///
/// [`LintError::Split`] when the text cannot be split into statements.
pub fn lint_sql(sql: &str, file: &str, settings: &Settings) -> Result<Vec<Diagnostic>, LintError> {
    lint_sources(&[Source::new(file, sql)], settings)
}

/// Lints sources in order, as one migration history: each is replayed on what the
/// ones before it produced.
///
/// # Errors
///
/// [`LintError::Split`] when a source cannot be split into statements.
pub fn lint_sources(sources: &[Source], settings: &Settings) -> Result<Vec<Diagnostic>, LintError> {
    let mut engine = engine::Engine::new(settings, None);
    for source in sources {
        engine.source(source)?;
    }
    Ok(engine.finish())
}

/// Lints files and directories: each directory stands for its `.sql` files
/// (recursively, in lexical order of their paths), and all are linted in the order
/// given, as one history.
///
/// # Errors
///
/// [`LintError::Io`] for a path that cannot be read, [`LintError::Split`] as
/// [`lint_sources`].
pub fn lint_files(paths: &[PathBuf], settings: &Settings) -> Result<Vec<Diagnostic>, LintError> {
    let mut sources = Vec::new();
    for path in paths {
        read_path(path, &mut sources)?;
    }
    lint_sources(&sources, settings)
}

/// Lints a plan, replayed on `from`, the realm it starts from. Statements run in the
/// planner's transaction groups.
pub fn lint_plan(plan: &Plan, from: &Realm, settings: &Settings) -> Vec<Diagnostic> {
    let mut engine = engine::Engine::new(settings, Some(from.clone()));
    engine.plan(plan);
    engine.finish()
}

/// Whether any diagnostic is an error (a run with one exits non-zero).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

fn read_path(path: &Path, out: &mut Vec<Source>) -> Result<(), LintError> {
    let io = |source| LintError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        let mut files = Vec::new();
        collect_sql(path, &mut files).map_err(io)?;
        files.sort();
        for file in files {
            read_path(&file, out)?;
        }
        return Ok(());
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    out.push(Source::new(path.display().to_string(), text));
    Ok(())
}

fn collect_sql(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_sql(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
    Ok(())
}
