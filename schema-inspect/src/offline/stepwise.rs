//! Statement-by-statement replay for callers that look at the schema between statements
//! (the linter asks, before each statement, which tables exist and what they hold).
//!
//! A child of `offline` so that it drives the same [`Replay`] the loader does, with no
//! second copy of the driver loop.

use super::{Replay, Text, tables};
use crate::split::RawStatement;
use crate::{LoadError, LoadOptions, Location};
use schema_model::{QualifiedName, Realm};
use sqlparser::ast::{Ident, ObjectName};

/// A replay that the caller feeds one statement at a time.
///
/// Unlike [`crate::load_sql`], a statement that cannot be read returns its error and
/// the replay goes on with the next one: the realm stays as it was before it.
pub struct Replayer {
    replay: Replay,
}

impl Replayer {
    /// An empty replay of that dialect.
    pub fn new(options: &LoadOptions) -> Self {
        Replayer {
            replay: Replay::new(options),
        }
    }

    /// A replay that starts from a realm read elsewhere (the source side of a plan).
    pub fn onto(realm: Realm, options: &LoadOptions) -> Self {
        let mut replay = Replay::new(options);
        replay.declared_schemas = realm.schemas.keys().cloned().collect();
        replay.realm = realm;
        Replayer { replay }
    }

    /// Applies one statement of `file`. Statements read but not modelled (data,
    /// settings) are applied as nothing.
    ///
    /// # Errors
    ///
    /// The loader's error for a statement it cannot read or the database would refuse.
    pub fn replay(&mut self, file: &str, raw: &RawStatement<'_>) -> Result<(), LoadError> {
        let source = Text {
            name: file,
            text: raw.text,
        };
        self.replay.replay_one(source, raw, None)
    }

    /// The realm as the statements so far left it. Foreign keys to tables created later
    /// are filled in only by [`Self::finish`].
    pub fn realm(&self) -> &Realm {
        &self.replay.realm
    }

    /// The realm with what only the whole replay knows filled in, as the loader returns it.
    pub fn finish(mut self) -> Realm {
        tables::finish(&mut self.replay);
        self.replay.realm.normalize();
        self.replay.realm
    }

    /// An identifier as the database stores it (folded per dialect).
    pub fn ident(&self, ident: &Ident) -> String {
        self.replay.ident(ident)
    }

    /// The qualified name a table reference resolves to under the current search path:
    /// an existing table's, or the one it would be created with. `None` for a name with
    /// more parts than the dialect knows.
    pub fn resolve_table(&self, name: &ObjectName) -> Option<QualifiedName> {
        let location = Location {
            file: String::new(),
            line: 0,
            column: 0,
            statement: String::new(),
        };
        self.replay.resolve_table(name, &location).ok()
    }
}
