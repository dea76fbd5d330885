//! Why a lint run could not be made (as opposed to what it found).

use std::path::PathBuf;

/// An error that stops a lint run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// A file or directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A source cannot be split into statements (an unterminated quote or comment).
    #[error("{file}:{line}:{column}: {message}")]
    Split {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is unterminated.
        message: String,
    },
    /// The configuration is invalid.
    #[error("{file}: {message}")]
    Config {
        /// The configuration file (or `<config>`).
        file: String,
        /// What is wrong, with the key.
        message: String,
    },
}
