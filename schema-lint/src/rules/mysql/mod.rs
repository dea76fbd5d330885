//! Rules for MySQL and MariaDB only.

pub(crate) mod copying_alter;
pub(crate) mod drop_index_needed_by_foreign_key;
pub(crate) mod implicit_commit;
pub(crate) mod inline_references_ignored;
