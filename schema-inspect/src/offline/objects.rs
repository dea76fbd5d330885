//! Everything that is not a table or an index. (Stub.)

use super::{Outcome, Replay, Result, statement_kind, unsupported};
use crate::Location;
use sqlparser::ast::Statement;

pub(crate) fn apply(
    _replay: &mut Replay,
    statement: &Statement,
    loc: &Location,
) -> Result<Outcome> {
    Err(unsupported(loc, statement_kind(statement)))
}
