//! `atlas.sum`: the integrity file of a migration directory, hash-compatible with Atlas.
//!
//! One running SHA-256 covers the whole directory: for each file, in the directory's
//! order, its name and then its bytes are fed in, and the digest of the running state
//! (never reset) is that file's hash. Each file's line therefore commits to every file
//! before it, so the first line that differs names the file that was edited, added or
//! removed. The first line of the sum is a SHA-256 over every listed `(name, hash)` pair.
//! A file whose first line holds the directive `atlas:sum ignore` still feeds its name
//! into the running hash but gets no line of its own.
//!
//! Every hash is standard padded base64 behind an `h1:` prefix, and every line ends with
//! `\n`, so that a sum written here validates in Atlas and one Atlas wrote validates here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::fmt;

/// The name of the integrity file in a migration directory.
pub const SUM_FILE: &str = "atlas.sum";

/// The contents of an `atlas.sum`: the directory hash and one hash per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashFile {
    /// The directory hash (base64, without `h1:`), the sum's first line.
    pub total: String,
    /// `(file name, hash)` per file, in the directory's order; hashes are base64
    /// without `h1:`.
    pub files: Vec<(String, String)>,
}

/// Why a sum cannot be read, or does not match its directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SumError {
    /// The directory holds migration files but no sum.
    #[error(
        "not found, but the directory holds migration files; run `sextant migrate hash` to write it"
    )]
    Missing,
    /// A line of the sum is not `<name> h1:<hash>`, or its first line does not match
    /// the lines below it.
    #[error("corrupt: {reason} (line {line})")]
    Corrupt {
        /// The 1-based line (the directory hash is line 1).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The sum was written for other files than the directory holds.
    #[error(
        "does not match the directory: {change} (line {line}); if the change is deliberate, run `sextant migrate hash`"
    )]
    Mismatch {
        /// The 1-based line of the sum where the first difference is.
        line: usize,
        /// What differs there.
        change: SumChange,
    },
}

/// The first difference between a sum and its directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SumChange {
    /// The file's bytes differ from those the sum was written for.
    Edited(String),
    /// The file is new to the sum.
    Added(String),
    /// The sum lists a file the directory no longer holds.
    Removed(String),
}

impl fmt::Display for SumChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SumChange::Edited(name) => write!(f, "{name} was edited"),
            SumChange::Added(name) => write!(f, "{name} was added"),
            SumChange::Removed(name) => write!(f, "{name} was removed"),
        }
    }
}

impl HashFile {
    /// The sum of files given as `(name, bytes)` in the directory's order.
    pub fn compute<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> HashFile {
        let mut running = Sha256::new();
        let mut lines = Vec::new();
        for (name, bytes) in files {
            running.update(name.as_bytes());
            if sum_ignored(bytes) {
                continue;
            }
            running.update(bytes);
            let digest = running.clone().finalize();
            lines.push((name.to_owned(), STANDARD.encode(digest)));
        }
        HashFile {
            total: total(&lines),
            files: lines,
        }
    }

    /// Reads a sum's text and checks that its first line matches the lines below it.
    ///
    /// # Errors
    ///
    /// [`SumError::Corrupt`] for a malformed line or a directory hash that does not
    /// match the file hashes.
    pub fn parse(text: &str) -> Result<HashFile, SumError> {
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let Some(stored_total) = header.trim().strip_prefix("h1:") else {
            return Err(SumError::Corrupt {
                line: 1,
                reason: "the first line is not `h1:<hash>`".to_owned(),
            });
        };
        let mut files = Vec::new();
        for (index, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            // A file name may hold spaces; the hash is after the last `h1:`.
            let Some((name, hash)) = line.rsplit_once("h1:") else {
                return Err(SumError::Corrupt {
                    line: index + 2,
                    reason: format!("`{line}` is not `<file> h1:<hash>`"),
                });
            };
            files.push((name.trim().to_owned(), hash.trim().to_owned()));
        }
        if total(&files) != stored_total {
            return Err(SumError::Corrupt {
                line: 1,
                reason: "the directory hash does not match the file hashes".to_owned(),
            });
        }
        Ok(HashFile {
            total: stored_total.to_owned(),
            files,
        })
    }

    /// Checks that `actual`, computed from the directory, is what this sum was written
    /// for.
    ///
    /// # Errors
    ///
    /// [`SumError::Mismatch`] naming the first line that differs.
    pub fn validate(&self, actual: &HashFile) -> Result<(), SumError> {
        if self.total == actual.total && self.files == actual.files {
            return Ok(());
        }
        let stored = &self.files;
        let computed = &actual.files;
        let mut index = 0;
        while index < stored.len() && index < computed.len() && stored[index] == computed[index] {
            index += 1;
        }
        let change = match (stored.get(index), computed.get(index)) {
            (Some((stored_name, _)), Some((name, _))) if stored_name == name => {
                SumChange::Edited(name.clone())
            }
            (Some((stored_name, _)), Some((name, _))) => {
                if computed.iter().all(|(n, _)| n != stored_name) {
                    SumChange::Removed(stored_name.clone())
                } else {
                    SumChange::Added(name.clone())
                }
            }
            (Some((stored_name, _)), None) => SumChange::Removed(stored_name.clone()),
            (None, Some((name, _))) => SumChange::Added(name.clone()),
            // The same lines under another directory hash: only the first line changed.
            (None, None) => {
                return Err(SumError::Corrupt {
                    line: 1,
                    reason: "the directory hash does not match the file hashes".to_owned(),
                });
            }
        };
        Err(SumError::Mismatch {
            // Line 1 is the directory hash.
            line: index + 2,
            change,
        })
    }

    /// The hash of one file, as its line holds it (without `h1:`).
    pub fn hash_of(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, hash)| hash.as_str())
    }
}

impl fmt::Display for HashFile {
    /// The sum's text, as it is written to `atlas.sum`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "h1:{}", self.total)?;
        for (name, hash) in &self.files {
            writeln!(f, "{name} h1:{hash}")?;
        }
        Ok(())
    }
}

/// The directory hash: SHA-256 over each file's name and its base64 hash, in order.
fn total(files: &[(String, String)]) -> String {
    let mut hasher = Sha256::new();
    for (name, hash) in files {
        hasher.update(name.as_bytes());
        hasher.update(hash.as_bytes());
    }
    STANDARD.encode(hasher.finalize())
}

/// Whether a file opts out of the sum: its first line holds `atlas:sum ignore`.
pub fn sum_ignored(bytes: &[u8]) -> bool {
    directive(bytes, "sum").is_some_and(|value| value == "ignore")
}

/// The value of the `atlas:<name>` directive on a file's first line, read as Atlas
/// reads it: any printable ASCII may come before the directive (`-- `, `// `), its
/// value is what follows the spaces after its name. Only the first line counts, and
/// the last directive on it.
pub fn directive<'a>(bytes: &'a [u8], name: &str) -> Option<&'a str> {
    let printable = bytes
        .iter()
        .position(|&b| !(b' '..=b'~').contains(&b))
        .unwrap_or(bytes.len());
    // Printable ASCII only, so the slice is UTF-8.
    let line = std::str::from_utf8(&bytes[..printable]).ok()?;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let rest = line.rmatch_indices("atlas:").find_map(|(at, tag)| {
        let rest = &line[at + tag.len()..];
        rest.starts_with(word).then_some(rest)
    })?;
    let word_end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
    if &rest[..word_end] != name {
        return None;
    }
    let after = &rest[word_end..];
    Some(if after.starts_with(' ') {
        after.trim_start_matches(' ')
    } else {
        ""
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below were computed independently with Python's hashlib and
    // base64 modules following the algorithm written in /work/shared/reference/atlas.md
    // §3.2 (running SHA-256 over name then bytes; digest without reset; header over
    // name + base64 hash). The same Python code reproduces nine real Atlas-written sums
    // byte for byte (public repositories' migration directories, and Ent's golang-migrate
    // example), as does this implementation.
    const ONE: &str = "CREATE TABLE t (id int);\n";
    const TWO: &str = "ALTER TABLE t ADD COLUMN name text;\n";

    fn compute(files: &[(&str, &str)]) -> HashFile {
        HashFile::compute(files.iter().map(|(n, t)| (*n, t.as_bytes())))
    }

    #[test]
    fn sum_of_two_files_matches_an_independent_computation() {
        let sum = compute(&[("1_init.sql", ONE), ("2_name.sql", TWO)]);
        assert_eq!(
            sum.to_string(),
            "h1:JFBPBzMLmGCU2HxRW2G3jnyJNFwLROAaLIB6ps0NmNY=\n\
             1_init.sql h1:CljdN0mRRypLgnOb0bKKlZ2rGT42jXDb5lFPkN5gFHI=\n\
             2_name.sql h1:q+oLok4IzrTsnAdHf1ulrltNaiG3iBayFp6P6AclXk4=\n"
        );
    }

    #[test]
    fn empty_directory_sum() {
        // SHA-256 of nothing, base64.
        assert_eq!(
            compute(&[]).to_string(),
            "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
        );
    }

    #[test]
    fn ignored_file_feeds_its_name_but_gets_no_line() {
        let ignored = "-- atlas:sum ignore\nSELECT 1;\n";
        let sum = compute(&[("1_a.sql", ONE), ("2_b.sql", ignored), ("3_c.sql", TWO)]);
        assert_eq!(sum.files.len(), 2);
        assert_eq!(
            sum.to_string(),
            "h1:33b0pgFRh51sEglOrRLYtFpQyyHiL2DXoaDdUPuovHk=\n\
             1_a.sql h1:RyL1nDQ6LvKjltyMld6lIILdIMAYseO5LygOKjzFtaU=\n\
             3_c.sql h1:6LkMHlMIPFtJgIPjh2oq3UY1fqRChOP2O9mJgZNcZjk=\n"
        );
        // Its name still counts: renaming it changes the next file's hash.
        let renamed = compute(&[("1_a.sql", ONE), ("2_x.sql", ignored), ("3_c.sql", TWO)]);
        assert_ne!(renamed.files[1], sum.files[1]);
    }

    #[test]
    fn directive_is_read_as_atlas_reads_it() {
        assert_eq!(directive(b"atlas:sum ignore", "sum"), Some("ignore"));
        assert_eq!(directive(b"atlas:sum ignore\n\n", "sum"), Some("ignore"));
        assert_eq!(
            directive(b"-- atlas:sum ignore\r\nx", "sum"),
            Some("ignore")
        );
        assert_eq!(directive(b"//atlas:sum ignore\nbar", "sum"), Some("ignore"));
        assert_eq!(directive(b"//atlas:sum\nfoo", "sum"), Some(""));
        assert_eq!(directive(b"-- atlas:baseline  \n", "baseline"), Some(""));
        assert_eq!(directive(b"-- x\n-- atlas:sum ignore\n", "sum"), None);
        assert_eq!(directive(b"-- atlas:summary ignore", "sum"), None);
        assert!(sum_ignored(b"-- atlas:sum ignore\nSELECT 1;"));
        assert!(!sum_ignored(b"-- atlas:sum\nSELECT 1;"));
    }

    #[test]
    fn parse_round_trips_and_checks_the_header() {
        let sum = compute(&[("1_init.sql", ONE), ("2 with space.sql", TWO)]);
        assert_eq!(HashFile::parse(&sum.to_string()), Ok(sum.clone()));
        let tampered = sum.to_string().replacen("h1:", "h1:A", 1);
        assert!(matches!(
            HashFile::parse(&tampered),
            Err(SumError::Corrupt { line: 1, .. })
        ));
        assert!(matches!(
            HashFile::parse(&format!("{sum}garbage\n")),
            Err(SumError::Corrupt { line: 4, .. })
        ));
        assert!(matches!(
            HashFile::parse("nonsense\n"),
            Err(SumError::Corrupt { line: 1, .. })
        ));
    }

    #[test]
    fn validate_names_the_first_difference() {
        let stored = compute(&[("1_a.sql", ONE), ("2_b.sql", TWO)]);
        assert_eq!(stored.validate(&stored.clone()), Ok(()));

        let edited = compute(&[("1_a.sql", "CREATE TABLE u (id int);\n"), ("2_b.sql", TWO)]);
        assert_eq!(
            stored.validate(&edited),
            Err(SumError::Mismatch {
                line: 2,
                change: SumChange::Edited("1_a.sql".to_owned())
            })
        );

        let added = compute(&[("1_a.sql", ONE), ("2_b.sql", TWO), ("3_c.sql", ONE)]);
        assert_eq!(
            stored.validate(&added),
            Err(SumError::Mismatch {
                line: 4,
                change: SumChange::Added("3_c.sql".to_owned())
            })
        );

        let inserted = compute(&[("1_a.sql", ONE), ("1_z.sql", ONE), ("2_b.sql", TWO)]);
        assert_eq!(
            stored.validate(&inserted),
            Err(SumError::Mismatch {
                line: 3,
                change: SumChange::Added("1_z.sql".to_owned())
            })
        );

        let removed = compute(&[("2_b.sql", TWO)]);
        assert_eq!(
            stored.validate(&removed),
            Err(SumError::Mismatch {
                line: 2,
                change: SumChange::Removed("1_a.sql".to_owned())
            })
        );

        let truncated = compute(&[("1_a.sql", ONE)]);
        assert_eq!(
            stored.validate(&truncated),
            Err(SumError::Mismatch {
                line: 3,
                change: SumChange::Removed("2_b.sql".to_owned())
            })
        );
    }
}
