//! One module per subcommand.

pub mod apply;
pub mod diff;
pub mod drift;
pub mod inspect;
pub mod lint;
pub mod migrate;
