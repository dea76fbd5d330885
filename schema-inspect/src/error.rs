//! Loader errors and warnings, with the place in the source they refer to.

use std::fmt;
use std::path::PathBuf;

/// A place in a source: file, 1-based line and column, and the statement found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The source's name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The statement's text, as written.
    pub statement: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Why loading stopped.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text could not be split into statements (an unterminated quote or comment).
    #[error("{location}: {message}")]
    Lex {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// sqlparser could not parse a statement.
    #[error("{location}: cannot parse statement: {message}")]
    Parse {
        /// Where, with the statement.
        location: Location,
        /// sqlparser's message, without its own position suffix.
        message: String,
    },
    /// A statement parsed, but the loader does not support what it does.
    #[error("{location}: unsupported statement: {what}")]
    Unsupported {
        /// Where, with the statement.
        location: Location,
        /// What is not supported, naming the statement kind.
        what: String,
    },
    /// A statement refers to something that does not exist, or creates something that
    /// already exists, as the database would refuse it.
    #[error("{location}: {message}")]
    Invalid {
        /// Where, with the statement.
        location: Location,
        /// What the database would say.
        message: String,
    },
}

impl LoadError {
    /// The place the error refers to, if it refers to one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::Io { .. } => None,
            LoadError::Lex { location, .. }
            | LoadError::Parse { location, .. }
            | LoadError::Unsupported { location, .. }
            | LoadError::Invalid { location, .. } => Some(location),
        }
    }
}

/// Something the loader read but did not turn into schema, or skipped in lenient mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where, with the statement.
    pub location: Location,
    /// What was done with it and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}
