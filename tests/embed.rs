//! `embed_migrations!`: a directory embedded at compile time reads as the same
//! directory read from disk, and its `atlas.sum` is checked when it is read.

#![allow(clippy::unwrap_used)]

use sextant::migrate::dir::{self, DirError, MigrationDir, ReadOptions};
use sextant::migrate::sum::{SumChange, SumError};
use sextant::migrate::{EmbeddedDir, Layout};
use std::path::Path;

static ATLAS: EmbeddedDir = sextant::embed_migrations!("tests/fixtures/embed/atlas");
static TAMPERED: EmbeddedDir = sextant::embed_migrations!("tests/fixtures/embed/tampered");
static FLYWAY: EmbeddedDir = sextant::embed_migrations!("tests/fixtures/embed/flyway");
static GOLANG: EmbeddedDir = sextant::embed_migrations!("tests/fixtures/embed/golang");

/// Reads the fixture from disk; tests run in the crate's directory, the one the macro
/// resolves relative paths against, so both carry the same `path`.
fn from_disk(embedded: &EmbeddedDir) -> MigrationDir {
    dir::read_dir(Path::new(embedded.path()), &ReadOptions::default()).unwrap()
}

fn assert_same(embedded: &MigrationDir, disk: &MigrationDir) {
    assert_eq!(embedded.path, disk.path);
    assert_eq!(embedded.layout, disk.layout);
    assert_eq!(embedded.migrations, disk.migrations);
    assert_eq!(embedded.sum, disk.sum);
    assert_eq!(embedded.has_sum, disk.has_sum);
}

#[test]
fn atlas_directory_reads_as_on_disk() {
    let embedded = ATLAS.migrations().unwrap();
    let disk = from_disk(&ATLAS);
    assert_same(&embedded, &disk);
    assert_eq!(embedded.layout, Layout::Atlas);
    assert!(embedded.has_sum);
    let versions: Vec<&str> = embedded
        .migrations
        .iter()
        .map(|m| m.version.as_str())
        .collect();
    assert_eq!(versions, ["20240101000000", "20240102000000"]);
    assert_eq!(
        embedded.migrations[1].tx_mode,
        Some(sextant::migrate::TxMode::None)
    );
}

#[test]
fn flyway_subdirectories_are_embedded() {
    let embedded = FLYWAY.migrations().unwrap();
    assert_same(&embedded, &from_disk(&FLYWAY));
    assert_eq!(embedded.layout, Layout::Flyway);
    let files: Vec<&str> = embedded
        .migrations
        .iter()
        .map(|m| m.file.as_str())
        .collect();
    assert_eq!(files, ["V1__init.sql", "more/V2__second.sql"]);
    assert_eq!(
        embedded.migrations[0].down.as_deref(),
        Some("DROP TABLE a;\n")
    );
}

#[test]
fn up_and_down_pairs_read_as_on_disk() {
    let embedded = GOLANG.migrations().unwrap();
    assert_same(&embedded, &from_disk(&GOLANG));
    assert_eq!(embedded.layout, Layout::GolangMigrate);
    assert!(!embedded.has_sum);
    assert_eq!(embedded.migrations.len(), 2);
    assert_eq!(
        embedded.migrations[0].down.as_deref(),
        Some("DROP TABLE b;\n")
    );
}

#[test]
fn tampered_sum_is_the_same_error_as_on_disk() {
    let embedded = TAMPERED.migrations().unwrap_err();
    let disk = dir::read_dir(Path::new(TAMPERED.path()), &ReadOptions::default()).unwrap_err();
    assert_eq!(embedded.to_string(), disk.to_string());
    match embedded {
        DirError::Sum {
            path,
            source: SumError::Mismatch { line, change },
        } => {
            assert_eq!(path, Path::new("tests/fixtures/embed/tampered/atlas.sum"));
            assert_eq!(line, 3);
            assert_eq!(
                change,
                SumChange::Edited("20240102000000_users_name.sql".to_owned())
            );
        }
        other => panic!("expected a sum mismatch, got {other:?}"),
    }
    // Skipping the check reads it, as on disk.
    let skipped = TAMPERED
        .read(&ReadOptions {
            skip_sum: true,
            ..ReadOptions::default()
        })
        .unwrap();
    assert_eq!(skipped.migrations.len(), 2);
}

#[test]
fn embedded_files_and_sum_are_the_files_on_disk() {
    let names: Vec<&str> = ATLAS.files().iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        ["20240101000000_init.sql", "20240102000000_users_name.sql"]
    );
    for (name, text) in ATLAS.files() {
        let on_disk = std::fs::read_to_string(Path::new(ATLAS.path()).join(name)).unwrap();
        assert_eq!(*text, on_disk);
    }
    let sum = std::fs::read_to_string("tests/fixtures/embed/atlas/atlas.sum").unwrap();
    assert_eq!(ATLAS.sum(), Some(sum.as_str()));
    assert_eq!(GOLANG.sum(), None);
}
