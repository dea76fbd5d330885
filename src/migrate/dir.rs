//! Reading a migration directory into [`Migration`]s, in version order, with its
//! `atlas.sum` checked.
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("sextant-doc-dir-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir)?;
//! use sextant::migrate::dir::{self, ReadOptions};
//!
//! std::fs::write(dir.join("1_init.sql"), "CREATE TABLE t (id int);\n")?;
//! dir::write_sum(&dir, &ReadOptions::default())?;
//! let read = dir::read_dir(&dir, &ReadOptions::default())?;
//! assert_eq!(read.migrations[0].version, "1");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::layout::{self, FileKind, Layout};
use super::sum::{HashFile, SUM_FILE, SumError};
use super::{Migration, compare_versions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a directory cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    /// A file or directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error("{path}: the file is not UTF-8 text")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A file name the layout cannot read.
    #[error("{path}: not a {layout} migration name: {reason}")]
    BadName {
        /// The file.
        path: PathBuf,
        /// The layout it was read under.
        layout: Layout,
        /// What is wrong with it.
        reason: String,
    },
    /// A file's contents lack what the layout needs (goose's `-- +goose Up`).
    #[error("{path}: not a {layout} migration: {reason}")]
    BadContents {
        /// The file.
        path: PathBuf,
        /// The layout it was read under.
        layout: Layout,
        /// What is wrong with it.
        reason: String,
    },
    /// Two files carry the same version.
    #[error("{second}: version {version} is also the version of {first}")]
    DuplicateVersion {
        /// The version.
        version: String,
        /// The file read first.
        first: PathBuf,
        /// The other file.
        second: PathBuf,
    },
    /// A reverse file with no forward file of its version.
    #[error("{path}: a down migration for version {version}, which has no up migration")]
    OrphanDown {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: String,
    },
    /// The integrity file is missing, corrupt or stale.
    #[error("{path}: {source}")]
    Sum {
        /// The directory's `atlas.sum`.
        path: PathBuf,
        /// What is wrong.
        source: SumError,
    },
}

/// How to read a directory.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The layout to read; detected from the files when `None` ([`detect_layout`]).
    pub layout: Option<Layout>,
    /// Skip checking `atlas.sum` (it is still required to be well formed if present).
    pub skip_sum: bool,
}

impl ReadOptions {
    /// Reads the directory as this layout instead of detecting it.
    pub fn with_layout(mut self, layout: Layout) -> Self {
        self.layout = Some(layout);
        self
    }
}

/// A directory as read: its layout, its migrations in version order, and the files
/// its sum covers.
#[derive(Debug, Clone)]
pub struct MigrationDir {
    /// The directory.
    pub path: PathBuf,
    /// The layout it was read as.
    pub layout: Layout,
    /// The migrations, ordered by [`compare_versions`].
    pub migrations: Vec<Migration>,
    /// The sum the directory's files give now.
    pub sum: HashFile,
    /// Whether an `atlas.sum` was found (and matched, unless skipped).
    pub has_sum: bool,
}

impl MigrationDir {
    /// The path of a migration's file, for messages and for the loaders.
    pub fn file_path(&self, migration: &Migration) -> PathBuf {
        self.path.join(&migration.file)
    }

    /// The latest migration's version, if any.
    pub fn latest_version(&self) -> Option<&str> {
        self.migrations.last().map(|m| m.version.as_str())
    }
}

/// Detects a directory's layout from its file names and first lines.
///
/// Flyway names (`V1__x.sql`) mean Flyway; a `-- +goose Up` line means goose; a
/// `-- migrate:up` line means dbmate; `.up.sql` / `.down.sql` pairs mean
/// golang-migrate, or sqlx when a file starts with sqlx's `-- no-transaction`; plain
/// `<version>_<name>.sql` files mean Atlas, or sqlx when there is no `atlas.sum` and
/// a file starts with `-- no-transaction`. An empty directory is Atlas.
///
/// # Errors
///
/// [`DirError::Io`] when the directory or a file cannot be read.
pub fn detect_layout(dir: &Path) -> Result<Layout, DirError> {
    let names = sql_names(dir)?;
    let mut texts = Vec::new();
    if !names.iter().any(|n| is_flyway_name(n)) {
        for name in names.iter().filter(|n| !n.contains('/')) {
            texts.push((name.clone(), read_text(&dir.join(name))?));
        }
    }
    Ok(detect(&names, &texts, dir.join(SUM_FILE).is_file()))
}

/// Whether a file name is Flyway's (`V1__x.sql`, `U1__x.sql`, `R__x.sql`).
fn is_flyway_name(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    (base.starts_with('V') || base.starts_with('U') || base.starts_with('R')) && base.contains("__")
}

/// [`detect_layout`] on names (relative, `/`-separated, subdirectories included) and
/// the texts of the top-level ones.
fn detect(names: &[String], texts: &[(String, String)], has_sum: bool) -> Layout {
    if names.iter().any(|n| is_flyway_name(n)) {
        return Layout::Flyway;
    }
    let comment_starting = |text: &str, marker: &str| {
        text.lines().any(|line| {
            line.trim()
                .strip_prefix("--")
                .is_some_and(|rest| rest.trim_start().to_ascii_lowercase().starts_with(marker))
        })
    };
    let mut up_down = false;
    let mut no_transaction = false;
    for (name, text) in texts.iter().filter(|(n, _)| !n.contains('/')) {
        if comment_starting(text, "+goose up") {
            return Layout::Goose;
        }
        if comment_starting(text, "migrate:up") {
            return Layout::Dbmate;
        }
        up_down |= name.ends_with(".up.sql") || name.ends_with(".down.sql");
        no_transaction |= text.lines().next().map(str::trim) == Some("-- no-transaction");
    }
    match (up_down, no_transaction) {
        (true, true) => Layout::Sqlx,
        (true, false) => Layout::GolangMigrate,
        (false, true) if !has_sum => Layout::Sqlx,
        _ => Layout::Atlas,
    }
}

/// Reads a directory's migrations in version order and checks its `atlas.sum`: an
/// Atlas directory with migration files needs one; any directory that has one must
/// match it. Only Flyway reads subdirectories (hidden ones excepted).
///
/// # Errors
///
/// [`DirError`] naming the file: an unreadable file, a name the layout cannot read, a
/// duplicate version, a reverse file without its forward file, a missing or stale sum.
pub fn read_dir(dir: &Path, options: &ReadOptions) -> Result<MigrationDir, DirError> {
    let (read, sum) = read_unchecked(dir, options)?;
    if !options.skip_sum {
        check_sum(&read, sum.as_deref())?;
    }
    Ok(read)
}

/// Reads migrations from files already in memory, such as a directory embedded in a
/// binary: `(name relative to the directory with `/` separators, text)`, and the text
/// of its `atlas.sum` if it has one. `path` names the directory in messages. Layout,
/// order and sum are as [`read_dir`] has them.
///
/// # Errors
///
/// As [`read_dir`], except for I/O.
pub fn read_files(
    path: &Path,
    files: Vec<(String, String)>,
    sum: Option<&str>,
    options: &ReadOptions,
) -> Result<MigrationDir, DirError> {
    let mut files: Vec<(String, String)> = files
        .into_iter()
        .filter(|(name, _)| name.ends_with(".sql"))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let layout = match options.layout {
        Some(layout) => layout,
        None => {
            let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
            detect(&names, &files, sum.is_some())
        }
    };
    if layout != Layout::Flyway {
        files.retain(|(name, _)| !name.contains('/'));
    }
    let read = build(path, layout, files, sum.is_some())?;
    if !options.skip_sum {
        check_sum(&read, sum)?;
    }
    Ok(read)
}

/// Reads a directory without comparing it to its `atlas.sum`; returns the sum's text
/// too, if there is one.
fn read_unchecked(
    dir: &Path,
    options: &ReadOptions,
) -> Result<(MigrationDir, Option<String>), DirError> {
    let layout = match options.layout {
        Some(layout) => layout,
        None => detect_layout(dir)?,
    };
    let mut files = Vec::new();
    for name in sql_names(dir)? {
        if layout == Layout::Flyway || !name.contains('/') {
            let text = read_text(&dir.join(&name))?;
            files.push((name, text));
        }
    }
    let sum_path = dir.join(SUM_FILE);
    let sum = if sum_path.is_file() {
        Some(read_text(&sum_path)?)
    } else {
        None
    };
    let read = build(dir, layout, files, sum.is_some())?;
    Ok((read, sum))
}

/// Turns `(name, text)` pairs, sorted by name, into migrations under a layout.
fn build(
    dir: &Path,
    layout: Layout,
    files: Vec<(String, String)>,
    has_sum: bool,
) -> Result<MigrationDir, DirError> {
    // Names come sorted, the order Atlas hashes files in, whatever their versions say.
    let mut read: Vec<(String, FileKind, String)> = Vec::new();
    for (name, text) in files {
        let base = name.rsplit('/').next().unwrap_or(&name);
        let kind = layout::parse_name(layout, base).map_err(|reason| DirError::BadName {
            path: dir.join(&name),
            layout,
            reason,
        })?;
        if let Some(kind) = kind {
            read.push((name, kind, text));
        }
    }
    let sum = HashFile::compute(read.iter().map(|(n, _, t)| (n.as_str(), t.as_bytes())));

    let mut ups: BTreeMap<String, Migration> = BTreeMap::new();
    let mut downs: Vec<(String, String, String)> = Vec::new();
    for (name, kind, text) in read {
        let path = dir.join(&name);
        match kind {
            FileKind::Up {
                version,
                description,
            } => {
                if let Some(first) = ups.get(&version) {
                    return Err(DirError::DuplicateVersion {
                        version,
                        first: dir.join(&first.file),
                        second: path,
                    });
                }
                let sections = layout::parse_sections(layout, &text).map_err(|reason| {
                    DirError::BadContents {
                        path: path.clone(),
                        layout,
                        reason,
                    }
                })?;
                let mut migration = Migration::new(&version, description, &name, sections.up);
                migration.down = sections.down;
                migration.tx_mode = sections.tx_mode;
                ups.insert(version, migration);
            }
            FileKind::Down { version } => downs.push((version, name, text)),
        }
    }
    let mut down_files: BTreeMap<String, String> = BTreeMap::new();
    for (version, name, text) in downs {
        let path = dir.join(&name);
        let Some(migration) = ups.get_mut(&version) else {
            return Err(DirError::OrphanDown { path, version });
        };
        if let Some(first) = down_files.get(&version) {
            return Err(DirError::DuplicateVersion {
                version,
                first: dir.join(first),
                second: path,
            });
        }
        down_files.insert(version, name);
        migration.down = Some(text);
    }
    let mut migrations: Vec<Migration> = ups.into_values().collect();
    migrations.sort_by(|a, b| compare_versions(&a.version, &b.version));
    Ok(MigrationDir {
        path: dir.to_path_buf(),
        layout,
        migrations,
        sum,
        has_sum,
    })
}

/// Checks the directory against its `atlas.sum` text.
fn check_sum(read: &MigrationDir, text: Option<&str>) -> Result<(), DirError> {
    let sum_error = |source| DirError::Sum {
        path: read.path.join(SUM_FILE),
        source,
    };
    let Some(text) = text else {
        // Only Atlas's own layout promises a sum; the other tools never wrote one.
        if read.layout == Layout::Atlas && !read.sum.files.is_empty() {
            return Err(sum_error(SumError::Missing));
        }
        return Ok(());
    };
    let stored = HashFile::parse(text).map_err(sum_error)?;
    stored.validate(&read.sum).map_err(sum_error)
}

/// Writes the directory's `atlas.sum` from its files as they are now, and returns it.
///
/// # Errors
///
/// [`DirError`] when the directory cannot be read or the sum cannot be written.
pub fn write_sum(dir: &Path, options: &ReadOptions) -> Result<HashFile, DirError> {
    let (read, _) = read_unchecked(dir, options)?;
    let path = dir.join(SUM_FILE);
    std::fs::write(&path, read.sum.to_string()).map_err(|source| DirError::Io { path, source })?;
    Ok(read.sum)
}

/// Writes a new migration into a read directory in its layout, then rewrites the sum.
/// Returns the files written, relative to the directory.
///
/// # Errors
///
/// [`DirError::DuplicateVersion`] when the version is taken, [`DirError::BadName`]
/// when it would sort before the latest migration or the name cannot be read back,
/// [`DirError::Io`] when a file cannot be written.
pub fn write_migration(
    read: &MigrationDir,
    new: &NewMigration<'_>,
) -> Result<Vec<String>, DirError> {
    let files = layout::new_files(read.layout, new);
    for (name, _) in &files {
        let path = read.path.join(name);
        if let Some(existing) = read.migrations.iter().find(|m| m.version == new.version) {
            return Err(DirError::DuplicateVersion {
                version: new.version.to_owned(),
                first: read.file_path(existing),
                second: path,
            });
        }
        if let Some(latest) = read.latest_version()
            && compare_versions(new.version, latest).is_lt()
        {
            return Err(DirError::BadName {
                path,
                layout: read.layout,
                reason: format!(
                    "version {} would sort before the latest migration, {latest}",
                    new.version
                ),
            });
        }
        match layout::parse_name(read.layout, name) {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => {
                return Err(DirError::BadName {
                    path,
                    layout: read.layout,
                    reason: "the name given would not be read back as a migration".to_owned(),
                });
            }
        }
    }
    std::fs::create_dir_all(&read.path).map_err(|source| DirError::Io {
        path: read.path.clone(),
        source,
    })?;
    for (name, text) in &files {
        let path = read.path.join(name);
        std::fs::write(&path, text).map_err(|source| DirError::Io { path, source })?;
    }
    write_sum(&read.path, &ReadOptions::default().with_layout(read.layout))?;
    Ok(files.into_iter().map(|(name, _)| name).collect())
}

/// A migration to write with [`write_migration`].
#[derive(Debug, Clone, Copy)]
pub struct NewMigration<'a> {
    /// Its version (a UTC timestamp `yyyymmddhhmmss` by convention, [`timestamp_version`]).
    pub version: &'a str,
    /// The name part of the file name; may be empty.
    pub name: &'a str,
    /// The forward SQL, each statement ending with `;` and a newline.
    pub up: &'a str,
    /// The reverse SQL, for layouts that keep one.
    pub down: Option<&'a str>,
    /// Whether the file must run outside a transaction (written as the layout's
    /// directive).
    pub no_transaction: bool,
    /// The dialect of the SQL, for layouts that mark statements themselves (goose);
    /// `None` writes the text as it is.
    pub dialect: Option<schema_model::Dialect>,
}

/// The current UTC time as `yyyymmddhhmmss`, the conventional version of a new file.
pub fn timestamp_version() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format_timestamp(seconds)
}

/// Seconds since the Unix epoch as `yyyymmddhhmmss` (UTC).
fn format_timestamp(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rem = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for non-negative days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// The `.sql` file names of a directory and its subdirectories (except hidden ones),
/// relative to it with `/` separators, in lexical order.
fn sql_names(dir: &Path) -> Result<Vec<String>, DirError> {
    let mut names = Vec::new();
    collect(dir, "", &mut names)?;
    names.sort();
    Ok(names)
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), DirError> {
    let io = |source| DirError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().map_err(io)?;
        // Symbolic links to directories are not followed: one pointing up would loop.
        if file_type.is_dir() {
            if !name.starts_with('.') {
                collect(&entry.path(), &format!("{prefix}{name}/"), out)?;
            }
        } else if name.ends_with(".sql") {
            out.push(format!("{prefix}{name}"));
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, DirError> {
    let bytes = std::fs::read(path).map_err(|source| DirError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| DirError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::TxMode;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str, files: &[(&str, &str)]) -> Scratch {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let dir = std::env::temp_dir().join(format!(
                "sextant-migdir-{}-{}-{name}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (file, text) in files {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Scratch(dir)
        }

        fn read(&self, layout: Option<Layout>) -> Result<MigrationDir, DirError> {
            read_dir(
                &self.0,
                &ReadOptions {
                    layout,
                    skip_sum: false,
                },
            )
        }

        fn error(&self, layout: Option<Layout>) -> String {
            let error = self.read(layout).unwrap_err();
            error
                .to_string()
                .replace(&self.0.display().to_string(), "<dir>")
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn versions(read: &MigrationDir) -> Vec<&str> {
        read.migrations.iter().map(|m| m.version.as_str()).collect()
    }

    #[test]
    fn atlas_directory_in_version_order_with_its_sum() {
        let dir = Scratch::new(
            "atlas",
            &[
                ("10_later.sql", "CREATE TABLE b (id int);\n"),
                (
                    "2_first.sql",
                    "-- atlas:txmode none\n\nCREATE TABLE a (id int);\n",
                ),
                ("README.md", "not a migration"),
            ],
        );
        write_sum(&dir.0, &ReadOptions::default()).unwrap();
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::Atlas);
        assert_eq!(versions(&read), ["2", "10"]);
        assert_eq!(read.migrations[0].description, "first");
        assert_eq!(read.migrations[0].tx_mode, Some(TxMode::None));
        assert_eq!(read.migrations[1].tx_mode, None);
        // The sum lists files by name, as Atlas orders them.
        let names: Vec<_> = read.sum.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["10_later.sql", "2_first.sql"]);
    }

    #[test]
    fn atlas_directory_without_sum_is_refused() {
        let dir = Scratch::new("nosum", &[("1_init.sql", "CREATE TABLE a (id int);\n")]);
        insta::assert_snapshot!(dir.error(None), @"<dir>/atlas.sum: not found, but the directory holds migration files; run `sextant migrate hash` to write it");
        // An empty directory needs no sum.
        let empty = Scratch::new("empty", &[]);
        assert!(empty.read(None).unwrap().migrations.is_empty());
    }

    #[test]
    fn awkward_directory_sum_matches_an_independent_computation() {
        // CRLF line ends, a non-ASCII name and text, an ignored file, a directive that
        // is not `ignore`, an empty file, and versions whose numeric order is not their
        // name order. The expected sum was computed with Python's hashlib and base64,
        // with Atlas's directive pattern `^([ -~]*)atlas:(\w+)(?: +([ -~]*))*` in
        // Python's `re`, following the algorithm of atlas.md §3.2; the same Python code
        // reproduces nine real Atlas-written sums byte for byte (eight Atlas-format
        // directories from public repositories, and the golang-migrate example of Ent's
        // documentation, whose sum covers the down files too).
        let dir = Scratch::new(
            "awkward",
            &[
                (
                    "10_later.sql",
                    "CREATE TABLE later (id int);\r\nINSERT INTO later VALUES (1);\r\n",
                ),
                (
                    "2_caf\u{e9}.sql",
                    "CREATE TABLE caf\u{e9} (na\u{ef}ve text); -- \u{2713}",
                ),
                ("3_ignored.sql", "-- atlas:sum ignore\nSELECT 1;\n"),
                (
                    "4_not_ignored.sql",
                    "-- atlas:sum ignore please\nSELECT 2;\n",
                ),
                ("5_empty.sql", ""),
            ],
        );
        let expected = "h1:WeYkIWdzuhwlhQjiFBhEo4Le2ci5FF0TWNP1oel8F0s=\n\
            10_later.sql h1:Ga39ioO1LjyrmrtyAsWSJtN+2mXTn1euoc+5TW+YtH4=\n\
            2_caf\u{e9}.sql h1:f/qliF10rlTtfCmtRWu2O+Aa3JrNfDpMNnyLwU3xwkc=\n\
            4_not_ignored.sql h1:WddZHzMapmvMHpc5f/covO2Z8+or/rps4kd+FWrIZSE=\n\
            5_empty.sql h1:GhGT0KzE4ZqHLpXDiOh2Pg+xU7Mih7AxFblGju10UsU=\n";
        assert_eq!(
            write_sum(&dir.0, &ReadOptions::default())
                .unwrap()
                .to_string(),
            expected
        );
        assert_eq!(
            std::fs::read_to_string(dir.0.join(SUM_FILE)).unwrap(),
            expected
        );
        let read = dir.read(None).unwrap();
        // The ignored file is still a migration; only the sum leaves it out.
        assert_eq!(versions(&read), ["2", "3", "4", "5", "10"]);
    }

    #[test]
    fn edited_file_is_named() {
        let dir = Scratch::new(
            "edited",
            &[
                ("1_a.sql", "CREATE TABLE a (id int);\n"),
                ("2_b.sql", "CREATE TABLE b (id int);\n"),
            ],
        );
        write_sum(&dir.0, &ReadOptions::default()).unwrap();
        std::fs::write(dir.0.join("1_a.sql"), "CREATE TABLE a (id bigint);\n").unwrap();
        insta::assert_snapshot!(dir.error(None), @"<dir>/atlas.sum: does not match the directory: 1_a.sql was edited (line 2); if the change is deliberate, run `sextant migrate hash`");
        std::fs::write(dir.0.join("1_a.sql"), "CREATE TABLE a (id int);\n").unwrap();
        std::fs::write(dir.0.join("3_c.sql"), "CREATE TABLE c (id int);\n").unwrap();
        insta::assert_snapshot!(dir.error(None), @"<dir>/atlas.sum: does not match the directory: 3_c.sql was added (line 4); if the change is deliberate, run `sextant migrate hash`");
    }

    #[test]
    fn duplicate_versions_are_refused() {
        let dir = Scratch::new(
            "dup",
            &[
                ("1_a.sql", "CREATE TABLE a (id int);\n"),
                ("1_b.sql", "CREATE TABLE b (id int);\n"),
            ],
        );
        insta::assert_snapshot!(dir.error(Some(Layout::Atlas)), @"<dir>/1_b.sql: version 1 is also the version of <dir>/1_a.sql");
    }

    #[test]
    fn bad_names_name_the_file() {
        let dir = Scratch::new("badname", &[("init.sql", "CREATE TABLE a (id int);\n")]);
        insta::assert_snapshot!(dir.error(Some(Layout::GolangMigrate)), @"<dir>/init.sql: not a golang-migrate migration name: expected `<version>_<title>.up.sql` or `<version>_<title>.down.sql`");
    }

    #[test]
    fn unreadable_file_names_the_file() {
        let dir = Scratch::new("binary", &[]);
        std::fs::write(dir.0.join("1_a.sql"), [0xff, 0xfe, 0x00]).unwrap();
        insta::assert_snapshot!(dir.error(Some(Layout::Atlas)), @"<dir>/1_a.sql: the file is not UTF-8 text");
    }

    #[test]
    fn golang_migrate_pairs() {
        let dir = Scratch::new(
            "gm",
            &[
                ("000001_users.up.sql", "CREATE TABLE users (id int);\n"),
                ("000001_users.down.sql", "DROP TABLE users;\n"),
                ("000002_posts.up.sql", "CREATE TABLE posts (id int);\n"),
            ],
        );
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::GolangMigrate);
        assert_eq!(versions(&read), ["000001", "000002"]);
        assert_eq!(
            read.migrations[0].down.as_deref(),
            Some("DROP TABLE users;\n")
        );
        assert_eq!(read.migrations[1].down, None);
        assert!(!read.has_sum, "other layouts need no sum");
        // The sum covers the down files too: editing one is noticed.
        assert_eq!(read.sum.files.len(), 3);
    }

    #[test]
    fn down_without_up_is_refused() {
        let dir = Scratch::new("orphan", &[("2_x.down.sql", "DROP TABLE x;\n")]);
        insta::assert_snapshot!(dir.error(Some(Layout::GolangMigrate)), @"<dir>/2_x.down.sql: a down migration for version 2, which has no up migration");
    }

    #[test]
    fn sqlx_is_detected_by_its_directive() {
        let dir = Scratch::new(
            "sqlx",
            &[
                (
                    "20240101000000_create_users.sql",
                    "CREATE TABLE users (id int);\n",
                ),
                (
                    "20240102000000_index.sql",
                    "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON users (id);\n",
                ),
            ],
        );
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::Sqlx);
        assert_eq!(read.migrations[0].description, "create users");
        assert_eq!(read.migrations[1].tx_mode, Some(TxMode::None));
    }

    #[test]
    fn goose_directory() {
        let dir = Scratch::new(
            "goose",
            &[
                (
                    "00001_users.sql",
                    "-- +goose Up\nCREATE TABLE users (id int);\n\n-- +goose Down\nDROP TABLE users;\n",
                ),
                (
                    "00002_index.sql",
                    "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON users (id);\n-- +goose Down\nDROP INDEX i;\n",
                ),
            ],
        );
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::Goose);
        assert_eq!(versions(&read), ["00001", "00002"]);
        assert_eq!(
            read.migrations[0].up,
            "-- +goose Up\nCREATE TABLE users (id int);\n"
        );
        assert_eq!(
            read.migrations[0].down.as_deref(),
            Some("DROP TABLE users;\n")
        );
        assert_eq!(read.migrations[1].tx_mode, Some(TxMode::None));
    }

    #[test]
    fn goose_file_without_up_names_the_file() {
        let dir = Scratch::new("goose-bad", &[("1_x.sql", "CREATE TABLE x (id int);\n")]);
        insta::assert_snapshot!(dir.error(Some(Layout::Goose)), @"<dir>/1_x.sql: not a goose migration: no `-- +goose Up` section");
    }

    #[test]
    fn flyway_directory_recursive_with_undo() {
        let dir = Scratch::new(
            "flyway",
            &[
                ("V1__init.sql", "CREATE TABLE a (id int);\n"),
                ("sub/V1_1__more.sql", "CREATE TABLE b (id int);\n"),
                ("U1_1__more.sql", "DROP TABLE b;\n"),
                ("V2__last.sql", "CREATE TABLE c (id int);\n"),
                (".hidden/V9__no.sql", "nope"),
            ],
        );
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::Flyway);
        assert_eq!(versions(&read), ["1", "1.1", "2"]);
        assert_eq!(read.migrations[1].file, "sub/V1_1__more.sql");
        assert_eq!(read.migrations[1].down.as_deref(), Some("DROP TABLE b;\n"));
    }

    #[test]
    fn flyway_repeatable_is_refused_clearly() {
        let dir = Scratch::new(
            "flyway-r",
            &[
                ("V1__init.sql", "CREATE TABLE a (id int);\n"),
                ("R__views.sql", "CREATE VIEW v AS SELECT 1;\n"),
            ],
        );
        insta::assert_snapshot!(dir.error(None), @"<dir>/R__views.sql: not a flyway migration name: repeatable Flyway migrations (`R__`) are not supported yet");
    }

    #[test]
    fn dbmate_directory() {
        let dir = Scratch::new(
            "dbmate",
            &[(
                "20240101000000_users.sql",
                "-- migrate:up transaction:false\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
            )],
        );
        let read = dir.read(None).unwrap();
        assert_eq!(read.layout, Layout::Dbmate);
        assert_eq!(read.migrations[0].tx_mode, Some(TxMode::None));
        assert_eq!(
            read.migrations[0].down.as_deref(),
            Some("DROP TABLE users;\n")
        );
    }

    #[test]
    fn forced_layout_wins_over_detection() {
        let dir = Scratch::new(
            "forced",
            &[(
                "1_init.sql",
                "-- no-transaction\nCREATE TABLE a (id int);\n",
            )],
        );
        assert_eq!(dir.read(None).unwrap().layout, Layout::Sqlx);
        let error = dir.error(Some(Layout::Atlas));
        assert!(error.contains("atlas.sum: not found"), "{error}");
    }

    #[test]
    fn writing_a_migration_updates_the_sum() {
        let dir = Scratch::new("write", &[("1_init.sql", "CREATE TABLE a (id int);\n")]);
        write_sum(&dir.0, &ReadOptions::default()).unwrap();
        let read = dir.read(None).unwrap();
        let written = write_migration(
            &read,
            &NewMigration {
                version: "2",
                name: "more",
                up: "CREATE TABLE b (id int);\n",
                down: None,
                no_transaction: false,
                dialect: None,
            },
        )
        .unwrap();
        assert_eq!(written, ["2_more.sql"]);
        let again = dir.read(None).unwrap();
        assert_eq!(versions(&again), ["1", "2"]);
        // A version before the latest is refused.
        let error = write_migration(
            &again,
            &NewMigration {
                version: "0",
                name: "old",
                up: "",
                down: None,
                no_transaction: false,
                dialect: None,
            },
        )
        .unwrap_err();
        assert!(error.to_string().contains("would sort before"), "{error}");
    }

    #[test]
    fn files_in_memory_read_as_the_directory_does() {
        let files = [
            ("1_a.sql", "CREATE TABLE a (id int);\n"),
            (
                "2_b.sql",
                "-- atlas:txmode none\n\nCREATE TABLE b (id int);\n",
            ),
            ("seeds/1_seed.sql", "INSERT INTO a VALUES (1);\n"),
        ];
        let dir = Scratch::new("memory", &files);
        write_sum(&dir.0, &ReadOptions::default()).unwrap();
        let on_disk = dir.read(None).unwrap();
        let sum = std::fs::read_to_string(dir.0.join(SUM_FILE)).unwrap();
        let owned = || {
            files
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect::<Vec<_>>()
        };
        let in_memory = read_files(&dir.0, owned(), Some(&sum), &ReadOptions::default()).unwrap();
        assert_eq!(in_memory.migrations, on_disk.migrations);
        assert_eq!(in_memory.sum, on_disk.sum);
        assert_eq!(in_memory.layout, Layout::Atlas);
        // Subdirectories are not Atlas migrations, on disk or in memory.
        assert_eq!(versions(&in_memory), ["1", "2"]);
        // A stale sum is refused the same way.
        let mut edited = owned();
        edited[0].1.push_str("-- edited\n");
        let error = read_files(&dir.0, edited, Some(&sum), &ReadOptions::default()).unwrap_err();
        assert!(matches!(
            error,
            DirError::Sum {
                source: SumError::Mismatch { line: 2, .. },
                ..
            }
        ));
        let missing = read_files(&dir.0, owned(), None, &ReadOptions::default()).unwrap_err();
        assert!(matches!(
            missing,
            DirError::Sum {
                source: SumError::Missing,
                ..
            }
        ));
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(format_timestamp(0), "19700101000000");
        // 2024-02-29T23:59:59Z, a leap day.
        assert_eq!(format_timestamp(1_709_251_199), "20240229235959");
        // 2026-11-27T07:45:00Z.
        assert_eq!(format_timestamp(1_795_765_500), "20261127074500");
    }
}
