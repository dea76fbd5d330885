//! SQL sources: text with a name, read from files and directories.

use crate::LoadError;
use std::path::{Path, PathBuf};

/// A named SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name errors use: a file path, or `<stdin>`.
    pub name: String,
    /// The SQL.
    pub text: String,
}

impl Source {
    /// A source from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Reads a file, or the `.sql` files under a directory in lexical order of their paths.
pub(crate) fn read_path(path: &Path) -> Result<Vec<Source>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    if meta.is_dir() {
        collect_sql_files(path, &mut files)?;
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).map_err(|source| LoadError::Io {
                path: file.clone(),
                source,
            })?;
            Ok(Source::new(file.display().to_string(), text))
        })
        .collect()
}

fn collect_sql_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_sql_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
    Ok(())
}
