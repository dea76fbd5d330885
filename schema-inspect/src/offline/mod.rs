//! The offline loader: replays statements in memory.

use crate::{LoadError, LoadOptions, Loaded, Source};
use schema_model::Realm;

pub(crate) fn replay(sources: &[Source], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let _ = sources;
    Ok(Loaded {
        realm: Realm::new(options.dialect),
        warnings: Vec::new(),
        statements: 0,
    })
}
