//! One error type for every task: a message with the context it was raised in.

use std::fmt;

/// A task failed; the message says what it was doing and why it failed.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The result of a task step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds what was being done to an error, as `<context>: <error>`.
pub trait Context<T> {
    /// Adds a fixed context.
    fn context(self, context: impl fmt::Display) -> Result<T>;
    /// Adds a context computed only on failure.
    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error(format!("{context}: {e}")))
    }

    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error(format!("{}: {e}", context())))
    }
}
