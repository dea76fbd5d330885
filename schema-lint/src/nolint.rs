//! Inline `-- sextant:nolint [code|name ...]` directives.
//!
//! A directive in the comments just above a statement silences that statement; one at
//! the top of a file followed by a blank line silences the whole file. Without
//! arguments it silences every rule. A directive, or an argument of one, that silences
//! nothing is reported itself (`unused-nolint`), so stale ones do not pile up.

use crate::context::StatementRef;
use schema_inspect::split::RawStatement;

const MARKER: &str = "sextant:nolint";

/// One directive.
#[derive(Debug, Clone)]
pub(crate) struct Directive {
    /// The rules it names (codes or names as written); empty for all.
    pub args: Vec<String>,
    /// Silences the whole file rather than one statement.
    pub file_level: bool,
    /// The statement it silences (index among the file's statements).
    pub statement: usize,
    /// Where it is, for the unused report.
    pub at: StatementRef,
    /// Per argument (or one flag when there are none): whether it silenced something.
    pub used: Vec<bool>,
}

impl Directive {
    /// Whether it silences that finding, marking itself used if so.
    pub fn silences(&mut self, statement: usize, code: &str, name: &str) -> bool {
        if !self.file_level && self.statement != statement {
            return false;
        }
        if self.args.is_empty() {
            self.used[0] = true;
            return true;
        }
        let mut hit = false;
        for (arg, used) in self.args.iter().zip(self.used.iter_mut()) {
            if arg.eq_ignore_ascii_case(code) || arg.eq_ignore_ascii_case(name) {
                *used = true;
                hit = true;
            }
        }
        hit
    }

    /// The arguments that silenced nothing (`["*"]` for an unused bare directive).
    pub fn unused(&self) -> Vec<String> {
        if self.args.is_empty() {
            return if self.used[0] {
                Vec::new()
            } else {
                vec!["*".to_owned()]
            };
        }
        self.args
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(arg, _)| arg.clone())
            .collect()
    }
}

/// The directives in the comments above each statement of a file.
pub(crate) fn directives(file: &str, raws: &[RawStatement<'_>]) -> Vec<Directive> {
    let mut out = Vec::new();
    for (index, raw) in raws.iter().enumerate() {
        if !raw.preamble.contains(MARKER) {
            continue;
        }
        let lines: Vec<&str> = raw.preamble.split('\n').collect();
        let first_line = raw.line + 1 - lines.len();
        for (i, line) in lines.iter().enumerate() {
            let Some(found) = line.find(MARKER) else {
                continue;
            };
            let rest = &line[found + MARKER.len()..];
            let rest = rest.trim_end_matches('\r').trim_end_matches("*/");
            let args: Vec<String> = rest
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            // A blank line between the directive and the first statement makes it the
            // file's, as Atlas reads its file directives.
            // (The last line is the text before the statement on its own line.)
            let between = &lines[i + 1..lines.len() - 1];
            let file_level = index == 0 && between.iter().any(|l| l.trim().is_empty());
            let column = line[..found].chars().count() + 1;
            let comment_start = line
                .find("--")
                .or_else(|| line.find("/*"))
                .or_else(|| line.find('#'));
            let column = comment_start.map_or(column, |c| line[..c].chars().count() + 1);
            let used = vec![false; args.len().max(1)];
            out.push(Directive {
                args,
                file_level,
                statement: index,
                at: StatementRef {
                    file: file.to_owned(),
                    text: line.trim_end_matches('\r').to_owned(),
                    line: first_line + i,
                    column,
                },
                used,
            });
        }
    }
    out
}
