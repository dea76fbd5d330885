//! Rules for PostgreSQL only: locks, rewrites and types.

pub(crate) mod add_column_rewrites_table;
pub(crate) mod check_without_not_valid;
pub(crate) mod cluster;
pub(crate) mod concurrently_in_transaction;
pub(crate) mod create_index_not_concurrently;
pub(crate) mod detach_partition_not_concurrently;
pub(crate) mod domain_add_constraint;
pub(crate) mod drop_index_not_concurrently;
pub(crate) mod enum_value_in_transaction;
pub(crate) mod enum_value_ordering;
pub(crate) mod foreign_key_without_not_valid;
pub(crate) mod identifier_too_long;
pub(crate) mod json_type;
pub(crate) mod primary_key_not_using_index;
pub(crate) mod reindex_not_concurrently;
pub(crate) mod require_lock_timeout;
pub(crate) mod require_statement_timeout;
pub(crate) mod serial_column;
pub(crate) mod set_logged_or_unlogged;
pub(crate) mod set_not_null_without_check;
pub(crate) mod timestamp_without_time_zone;
pub(crate) mod type_change_rewrites_table;
pub(crate) mod unique_not_using_index;
pub(crate) mod vacuum_full;
pub(crate) mod validate_in_same_transaction;
