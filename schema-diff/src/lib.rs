//! Model × model to typed changes.
//!
//! Not written yet: the differ arrives with the diff/plan issue. The crate exists now so
//! that the dependency direction (model ← diff ← plan) is fixed from the first commit.
