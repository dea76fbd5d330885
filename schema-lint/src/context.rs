//! What a rule sees: the statement (parsed, and as words), the schema before it, and
//! what the file did so far (transactions, session settings, tables it created).

use crate::diagnostic::Diagnostic;
use crate::rule::RuleMeta;
use crate::settings::Settings;
use schema_inspect::Replayer;
use schema_model::{Dialect, QualifiedName, Realm, Table};
use sqlparser::ast::{ObjectName, Statement};
use std::collections::HashSet;

/// A statement's place and text.
#[derive(Debug, Clone, Default)]
pub struct StatementRef {
    /// The file.
    pub file: String,
    /// The text.
    pub text: String,
    /// 1-based line of its first character.
    pub line: usize,
    /// 1-based column of its first character.
    pub column: usize,
}

/// One token of a statement: keywords and unquoted identifiers uppercased, quoted
/// identifiers and literals as written.
#[derive(Debug, Clone)]
pub struct Word {
    /// The token's text (uppercased unless quoted).
    pub text: String,
    /// Whether it was a quoted identifier or a string.
    pub quoted: bool,
    /// Whether it was a keyword or identifier (quoted or not), not a literal or symbol.
    pub identifier: bool,
    /// 1-based line within the statement.
    pub line: usize,
    /// 1-based column within the statement.
    pub column: usize,
}

/// What the file (or plan) did before the current statement.
#[derive(Debug, Default, Clone)]
pub struct FileState {
    /// Inside a transaction: an explicit `BEGIN`, the tool's wrapping, or a plan group.
    pub in_transaction: bool,
    /// Inside a transaction the file opened itself with `BEGIN`.
    pub explicit_transaction: Option<StatementRef>,
    /// The tool wraps the file in a transaction (assume-in-transaction).
    pub wrapped: bool,
    /// Tables created in this file (or plan), still there.
    pub created_tables: HashSet<QualifiedName>,
    /// The statements that created tables in this file, for end-of-file checks.
    pub created_by: Vec<(QualifiedName, StatementRef)>,
    /// `SET lock_timeout` ran earlier in this session.
    pub lock_timeout: bool,
    /// `SET statement_timeout` ran earlier in this session.
    pub statement_timeout: bool,
    /// Constraints added `NOT VALID` in the current transaction, as (table, name).
    pub not_valid_in_transaction: HashSet<(QualifiedName, String)>,
    /// Foreign keys added in this file: (table, columns, statement) for end-of-file checks.
    pub foreign_keys_added: Vec<(QualifiedName, Vec<String>, StatementRef)>,
    /// SQLite: `PRAGMA foreign_keys = OFF` ran and was not turned back on.
    pub foreign_keys_off: Option<StatementRef>,
    /// Linting a plan rather than files.
    pub plan: bool,
    /// Table names (last part, lowercased) that some statement of the file renames a
    /// table to: a table dropped and replaced this way (SQLite's rebuild, a swap) had
    /// its rows copied first.
    pub renamed_into: HashSet<String>,
    /// Objects of any kind (views, types, sequences, domains, indexes, tables) created
    /// in this file, by their last name part, lowercased.
    pub created_objects: HashSet<String>,
}

/// The context of one check.
pub struct Cx<'a> {
    /// Settings in force.
    pub settings: &'a Settings,
    /// The statement's place and text.
    pub stmt: &'a StatementRef,
    /// The statement parsed; `None` when sqlparser cannot parse it, and at the end of
    /// a file.
    pub statement: Option<&'a Statement>,
    /// The statement's tokens.
    pub words: &'a [Word],
    /// The schema before the statement (at the end of a file: after it).
    pub realm: &'a Realm,
    /// What the file did before.
    pub state: &'a FileState,
    /// Name resolution as the loader does it.
    pub replayer: &'a Replayer,
    /// The planner's hazard for this statement, when linting a plan.
    pub plan_hazard: Option<&'a str>,
}

impl Cx<'_> {
    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.settings.dialect
    }

    /// The qualified name a table reference resolves to.
    pub fn qualified(&self, name: &ObjectName) -> Option<QualifiedName> {
        self.replayer.resolve_table(name)
    }

    /// The table a name refers to, as it was before the statement.
    pub fn table(&self, name: &ObjectName) -> Option<&Table> {
        self.qualified(name).and_then(|q| self.realm.table(&q))
    }

    /// Whether the table existed before this file (or plan) and so may hold rows that
    /// others use. A table the replay does not know counts as existing: a single file
    /// linted without its history is about tables made elsewhere.
    pub fn is_existing_table(&self, name: &ObjectName) -> bool {
        let created = match self.qualified(name) {
            Some(q) => self.state.created_tables.contains(&q),
            None => false,
        };
        // A materialized view (say) created in this file is new too.
        !created && !self.is_new_object(name)
    }

    /// Whether an object of that (last) name was created in this file.
    pub fn is_new_object(&self, name: &ObjectName) -> bool {
        name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| {
            self.state
                .created_objects
                .contains(&self.ident(i).to_lowercase())
        })
    }

    /// The name a statement's words give after `skip` words, as a last name part:
    /// `ALTER TYPE app.mood ...` with `skip` 2 gives `mood`.
    pub fn word_name_after(&self, skip: usize) -> Option<String> {
        last_name_part(self.words, skip)
    }

    /// An identifier folded as the database stores it.
    pub fn ident(&self, ident: &sqlparser::ast::Ident) -> String {
        self.replayer.ident(ident)
    }

    /// The first word, uppercased.
    pub fn first_word(&self) -> &str {
        self.words.first().map_or("", |w| w.text.as_str())
    }

    /// Whether the unquoted words `seq` appear in sequence.
    pub fn has_words(&self, seq: &[&str]) -> bool {
        self.find_words(seq).is_some()
    }

    /// The index of the first occurrence of the unquoted words `seq`.
    pub fn find_words(&self, seq: &[&str]) -> Option<usize> {
        if seq.is_empty() || self.words.len() < seq.len() {
            return None;
        }
        (0..=self.words.len() - seq.len()).find(|&i| {
            seq.iter()
                .zip(&self.words[i..])
                .all(|(s, w)| !w.quoted && w.text == *s)
        })
    }

    /// Whether the statement starts with the unquoted words `seq`.
    pub fn starts_with(&self, seq: &[&str]) -> bool {
        self.find_words(seq) == Some(0)
    }

    /// The PostgreSQL major version the migration targets.
    pub fn pg_version(&self) -> u32 {
        self.settings.postgres_version
    }
}

/// A finding on its way out: the rule, the message and where.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub meta: &'static RuleMeta,
    pub message: String,
    pub suggestion: Option<String>,
    pub stmt: StatementRef,
    /// Line and column within the statement (1-based).
    pub at: (usize, usize),
    /// The table the statement works on, for grading by its size (set by the engine).
    pub table: Option<QualifiedName>,
}

/// Where a rule reports.
pub struct Emit<'a> {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) stmt: &'a StatementRef,
    pub(crate) words: &'a [Word],
    pub(crate) out: &'a mut Vec<Finding>,
}

impl Emit<'_> {
    /// Reports at the first occurrence of the words `at` (or at the statement's start),
    /// with the rule's own safer alternative.
    pub fn report(&mut self, at: &[&str], message: impl Into<String>) {
        let suggestion = self.meta.instead.map(str::to_owned);
        self.report_with(at, message, suggestion);
    }

    /// Reports with a suggestion of its own.
    pub fn report_with(
        &mut self,
        at: &[&str],
        message: impl Into<String>,
        suggestion: Option<String>,
    ) {
        let position = find(self.words, at)
            .and_then(|i| self.words.get(i))
            .map_or((1, 1), |w| (w.line, w.column));
        self.out.push(Finding {
            meta: self.meta,
            message: message.into(),
            suggestion,
            stmt: self.stmt.clone(),
            at: position,
            table: None,
        });
    }

    /// Reports at the first token spelling that identifier (a column's name, say), or
    /// at the statement's start.
    pub fn report_ident(&mut self, ident: &sqlparser::ast::Ident, message: impl Into<String>) {
        let position = self
            .words
            .iter()
            .find(|w| {
                w.identifier
                    && if ident.quote_style.is_some() {
                        w.quoted && w.text == ident.value
                    } else {
                        !w.quoted && w.text.eq_ignore_ascii_case(&ident.value)
                    }
            })
            .map_or((1, 1), |w| (w.line, w.column));
        self.out.push(Finding {
            meta: self.meta,
            message: message.into(),
            suggestion: self.meta.instead.map(str::to_owned),
            stmt: self.stmt.clone(),
            at: position,
            table: None,
        });
    }

    /// Reports at the start of another statement (end-of-file checks).
    pub fn report_on(&mut self, stmt: &StatementRef, message: impl Into<String>) {
        self.out.push(Finding {
            meta: self.meta,
            message: message.into(),
            suggestion: self.meta.instead.map(str::to_owned),
            stmt: stmt.clone(),
            at: (1, 1),
            table: None,
        });
    }
}

fn find(words: &[Word], seq: &[&str]) -> Option<usize> {
    if seq.is_empty() || words.len() < seq.len() {
        return None;
    }
    (0..=words.len() - seq.len()).find(|&i| {
        seq.iter()
            .zip(&words[i..])
            .all(|(s, w)| !w.quoted && w.text == *s)
    })
}

impl Finding {
    pub(crate) fn into_diagnostic(self, severity: crate::Severity) -> Diagnostic {
        let (line, column) = if self.at.0 <= 1 {
            (
                self.stmt.line,
                self.stmt.column + self.at.1.saturating_sub(1),
            )
        } else {
            (self.stmt.line + self.at.0 - 1, self.at.1)
        };
        Diagnostic {
            code: self.meta.code.to_owned(),
            name: self.meta.name.to_owned(),
            severity,
            message: self.message,
            file: self.stmt.file,
            line,
            column,
            statement: self.stmt.text,
            statement_line: self.stmt.line,
            statement_column: self.stmt.column,
            suggestion: self.suggestion,
        }
    }
}

/// The last part of the dotted name starting at word `start`, lowercased.
pub(crate) fn last_name_part(words: &[Word], start: usize) -> Option<String> {
    let mut i = start;
    let mut last = words.get(i).filter(|w| w.identifier)?.text.clone();
    while words.get(i + 1).is_some_and(|w| w.text == ".") {
        i += 2;
        last = words.get(i).filter(|w| w.identifier)?.text.clone();
    }
    Some(last.to_lowercase())
}
