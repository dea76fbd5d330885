//! Directories carried in the binary by [`embed_migrations!`](crate::embed_migrations).

use super::dir::{DirError, MigrationDir, ReadOptions, read_files};
use std::path::Path;

/// A migration directory embedded at compile time: its files' names and texts and its
/// `atlas.sum`, not yet checked. Made by [`embed_migrations!`](crate::embed_migrations);
/// it is `Copy` and can live in a `static`.
///
/// ```
/// use sextant::migrate::EmbeddedDir;
///
/// // Relative to the crate's Cargo.toml; usually "migrations".
/// static MIGRATIONS: EmbeddedDir = sextant::embed_migrations!("tests/fixtures/embed/atlas");
///
/// let dir = MIGRATIONS.migrations()?; // layout, order and atlas.sum checked here
/// assert_eq!(dir.migrations[0].version, "20240101000000");
/// # Ok::<(), sextant::migrate::DirError>(())
/// ```
///
/// The macro lists the directory when the crate compiles and includes every `.sql`
/// file with `include_str!`, so editing a file rebuilds the crate. Adding or removing a
/// file does not, since the compiler tracks only the files it has read; a build script
/// that names the directory fixes that (cargo then watches everything under it):
///
/// ```ignore
/// // build.rs
/// fn main() {
///     println!("cargo:rerun-if-changed=migrations");
/// }
/// ```
///
/// The checks run when the program reads the directory, not at compile time: read it
/// in a test too, so that a stale `atlas.sum` fails CI rather than the service's startup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedDir {
    path: &'static str,
    files: &'static [(&'static str, &'static str)],
    sum: Option<&'static str>,
}

impl EmbeddedDir {
    /// An embedded directory from its parts: the path as written (for messages), the
    /// `.sql` files relative to it with `/` separators (subdirectories included), and the
    /// text of its `atlas.sum`, if it has one.
    pub const fn new(
        path: &'static str,
        files: &'static [(&'static str, &'static str)],
        sum: Option<&'static str>,
    ) -> Self {
        Self { path, files, sum }
    }

    /// The directory's path as given to the macro.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The embedded files, `(relative name, text)`, in name order.
    pub fn files(&self) -> &'static [(&'static str, &'static str)] {
        self.files
    }

    /// The embedded `atlas.sum`, if the directory had one.
    pub fn sum(&self) -> Option<&'static str> {
        self.sum
    }

    /// Reads the migrations with the layout detected and `atlas.sum` checked, as
    /// [`read_dir`](super::read_dir) reads the directory on disk.
    ///
    /// # Errors
    ///
    /// [`DirError`] as [`read_dir`](super::read_dir) gives it: a name the layout cannot
    /// read, a duplicate version, a missing or stale sum.
    pub fn migrations(&self) -> Result<MigrationDir, DirError> {
        self.read(&ReadOptions::default())
    }

    /// Reads the migrations with options (a fixed layout, or the sum not checked).
    ///
    /// # Errors
    ///
    /// As [`Self::migrations`].
    pub fn read(&self, options: &ReadOptions) -> Result<MigrationDir, DirError> {
        let files = self
            .files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect();
        read_files(Path::new(self.path), files, self.sum, options)
    }
}
