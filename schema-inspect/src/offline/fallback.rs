//! Narrow, tested readers for statements sqlparser cannot parse.

use super::{Outcome, Replay, Result};
use crate::Location;

/// Statements recognised before sqlparser sees them. (Stub.)
pub(crate) fn before_parse(
    _replay: &mut Replay,
    _sql: &str,
    _loc: &Location,
) -> Result<Option<Outcome>> {
    Ok(None)
}

/// Statements recognised after sqlparser failed on them. (Stub.)
pub(crate) fn after_parse_error(
    _replay: &mut Replay,
    _sql: &str,
    _loc: &Location,
) -> Result<Option<Outcome>> {
    Ok(None)
}
