//! Replaying a migration directory into the schema it produces: in memory with the
//! offline loader, or exactly, through a scratch database on a dev server.

use super::Migration;
use super::dir::MigrationDir;
use schema_inspect::{LoadError, LoadOptions, Loaded, Location, Source};
use std::fmt::Write as _;

/// Why a directory could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The offline loader refused a statement.
    #[error("{}", located(.0.location(), &.0.to_string()))]
    Load(#[source] LoadError),
    /// The dev database refused a statement, or could not be reached.
    #[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
    #[error("{}", dev_message(.0))]
    Dev(#[source] schema_inspect::live::InspectError),
    /// The version to stop at is not in the directory.
    #[error("version {0} is not in the directory")]
    UnknownVersion(String),
}

impl ReplayError {
    /// The statement that failed, with its file, line and column, when one did.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ReplayError::Load(error) => error.location(),
            #[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
            ReplayError::Dev(schema_inspect::live::InspectError::Apply { location, .. }) => {
                Some(location)
            }
            _ => None,
        }
    }
}

/// The message, and under it the statement that failed, indented.
fn located(location: Option<&Location>, message: &str) -> String {
    let mut out = message.to_owned();
    if let Some(location) = location {
        for line in location.statement.trim().lines() {
            let _ = write!(out, "\n    {line}");
        }
    }
    out
}

#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
fn dev_message(error: &schema_inspect::live::InspectError) -> String {
    match error {
        schema_inspect::live::InspectError::Apply { location, .. } => {
            located(Some(location), &error.to_string())
        }
        _ => error.to_string(),
    }
}

/// The migrations up to and including `upto` (all when `None`).
///
/// # Errors
///
/// [`ReplayError::UnknownVersion`] when `upto` names no migration.
pub fn up_to<'a>(
    dir: &'a MigrationDir,
    upto: Option<&str>,
) -> Result<&'a [Migration], ReplayError> {
    match upto {
        None => Ok(&dir.migrations),
        Some(version) => dir
            .migrations
            .iter()
            .position(|m| m.version == version)
            .map(|at| &dir.migrations[..=at])
            .ok_or_else(|| ReplayError::UnknownVersion(version.to_owned())),
    }
}

/// The migrations' forward SQL as loader sources, each named by its file's path so
/// that errors point into the file (the forward text keeps the file's line numbers).
pub fn sources(dir: &MigrationDir, migrations: &[Migration]) -> Vec<Source> {
    migrations
        .iter()
        .map(|m| Source::new(dir.file_path(m).display().to_string(), m.up.clone()))
        .collect()
}

/// Replays the migrations up to `upto` (all when `None`) in order, in memory.
///
/// # Errors
///
/// [`ReplayError::Load`] with the file, line, column and statement the loader refused.
pub fn replay(
    dir: &MigrationDir,
    upto: Option<&str>,
    options: &LoadOptions,
) -> Result<Loaded, ReplayError> {
    let migrations = up_to(dir, upto)?;
    schema_inspect::load_sources(&sources(dir, migrations), options).map_err(ReplayError::Load)
}

/// Replays the migrations up to `upto` (all when `None`) on a scratch database of the
/// dev server `url` names, and inspects the result: the database's own reading of the
/// SQL, where the offline loader only imitates it.
///
/// # Errors
///
/// [`ReplayError::Dev`] with the file, line, column and statement the database
/// refused, or why it could not be reached.
#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
pub async fn replay_dev(
    dir: &MigrationDir,
    upto: Option<&str>,
    url: &str,
    options: &schema_inspect::live::InspectOptions,
) -> Result<schema_model::Realm, ReplayError> {
    let migrations = up_to(dir, upto)?;
    schema_inspect::live::load_dev(url, &sources(dir, migrations), options)
        .await
        .map_err(ReplayError::Dev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::dir::{ReadOptions, read_dir, write_sum};
    use crate::migrate::layout::Layout;
    use schema_model::Dialect;

    fn scratch(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sextant-replay-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        dir
    }

    #[test]
    fn replays_in_version_order_and_stops_where_asked() {
        let path = scratch(
            "order",
            &[
                ("10_b.sql", "ALTER TABLE a ADD COLUMN b int;\n"),
                ("2_a.sql", "CREATE TABLE a (id int);\n"),
            ],
        );
        write_sum(&path, &ReadOptions::default()).unwrap();
        let dir = read_dir(&path, &ReadOptions::default()).unwrap();
        let options = LoadOptions::new(Dialect::Postgres);
        let all = replay(&dir, None, &options).unwrap();
        let table = &all.realm.schemas["public"].tables["a"];
        assert!(table.columns.iter().any(|c| c.name == "b"));
        let first = replay(&dir, Some("2"), &options).unwrap();
        assert!(
            !first.realm.schemas["public"].tables["a"]
                .columns
                .iter()
                .any(|c| c.name == "b")
        );
        assert!(matches!(
            replay(&dir, Some("3"), &options),
            Err(ReplayError::UnknownVersion(_))
        ));
        let _ = std::fs::remove_dir_all(&path);
    }

    #[test]
    fn failure_points_into_the_file_of_a_sectioned_layout() {
        let path = scratch(
            "goose",
            &[(
                "1_x.sql",
                "-- +goose Up\nCREATE TABLE a (id int);\n\nALTER TABLE missing ADD COLUMN b int;\n-- +goose Down\nDROP TABLE a;\n",
            )],
        );
        let dir = read_dir(&path, &ReadOptions::default().with_layout(Layout::Goose)).unwrap();
        let error = replay(&dir, None, &LoadOptions::new(Dialect::Postgres)).unwrap_err();
        let location = error.location().unwrap();
        assert_eq!((location.line, location.column), (4, 1));
        assert!(location.file.ends_with("1_x.sql"));
        let message = error
            .to_string()
            .replace(&path.display().to_string(), "<dir>");
        insta::assert_snapshot!(message, @r#"
        <dir>/1_x.sql:4:1: relation "public.missing" does not exist
            ALTER TABLE missing ADD COLUMN b int;
        "#);
        let _ = std::fs::remove_dir_all(&path);
    }
}
