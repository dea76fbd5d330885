//! CREATE, ALTER, RENAME and DROP TABLE. (Stub.)

use super::{Outcome, Replay, Result, unsupported};
use crate::Location;
use sqlparser::ast::{AlterTable, CreateTable, ObjectName, RenameTable};

pub(crate) fn create_table(_r: &mut Replay, _c: &CreateTable, loc: &Location) -> Result<Outcome> {
    Err(unsupported(loc, "CREATE TABLE"))
}
pub(crate) fn alter_table(_r: &mut Replay, _a: &AlterTable, loc: &Location) -> Result<Outcome> {
    Err(unsupported(loc, "ALTER TABLE"))
}
pub(crate) fn rename_tables(
    _r: &mut Replay,
    _a: &[RenameTable],
    loc: &Location,
) -> Result<Outcome> {
    Err(unsupported(loc, "RENAME TABLE"))
}
pub(crate) fn drop_tables(
    _r: &mut Replay,
    _n: &[ObjectName],
    _if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    Err(unsupported(loc, "DROP TABLE"))
}
