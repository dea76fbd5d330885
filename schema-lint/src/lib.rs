//! Analyzers over plans and migration files.
//!
//! Not written yet: the rules arrive with the lint issue. The crate exists now so that
//! the dependency direction (plan ← lint ← facade) is fixed from the first commit.
