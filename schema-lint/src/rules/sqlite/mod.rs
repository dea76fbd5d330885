//! Rules for SQLite only.

pub(crate) mod foreign_keys_left_off;
pub(crate) mod needs_table_rebuild;
