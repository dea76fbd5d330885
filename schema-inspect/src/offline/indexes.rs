//! CREATE, ALTER and DROP INDEX. (Stub.)

use super::{Outcome, Replay, Result, unsupported};
use crate::Location;
use sqlparser::ast::{AlterIndexOperation, CreateIndex, ObjectName};

pub(crate) fn create_index(_r: &mut Replay, _c: &CreateIndex, loc: &Location) -> Result<Outcome> {
    Err(unsupported(loc, "CREATE INDEX"))
}
pub(crate) fn alter_index(
    _r: &mut Replay,
    _n: &ObjectName,
    _o: &AlterIndexOperation,
    loc: &Location,
) -> Result<Outcome> {
    Err(unsupported(loc, "ALTER INDEX"))
}
pub(crate) fn drop_indexes(
    _r: &mut Replay,
    _n: &[ObjectName],
    _t: Option<&ObjectName>,
    _if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    Err(unsupported(loc, "DROP INDEX"))
}
