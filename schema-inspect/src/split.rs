//! The statement splitter: SQL text to statements, with their positions.
//!
//! (Being written: see the splitter task.)

use schema_model::Dialect;

/// What a piece of split text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// An SQL statement for the parser.
    Sql,
    /// A client command that is not SQL: psql's `\restrict`, `\c`, `\set`; the MySQL
    /// client's `DELIMITER`.
    ClientCommand,
}

/// One statement of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement<'a> {
    /// The statement, from its first token to its `;` terminator included (when the
    /// terminator is `;`; a custom MySQL `DELIMITER` is not included).
    pub text: &'a str,
    /// Comments and blank text between the previous statement and this one.
    pub preamble: &'a str,
    /// Byte offset of `text` in the source.
    pub offset: usize,
    /// 1-based line of the first character of `text`.
    pub line: usize,
    /// 1-based column (in characters) of the first character of `text`.
    pub column: usize,
    /// SQL or client command.
    pub kind: RawKind,
}

/// Text that cannot be split: an unterminated quote, comment or body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SplitError {
    /// Byte offset where the unterminated construct starts.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is unterminated.
    pub message: String,
}

/// Splits SQL text into statements.
pub fn split(sql: &str, dialect: Dialect) -> Result<Vec<RawStatement<'_>>, SplitError> {
    let _ = (sql, dialect);
    Ok(Vec::new())
}
