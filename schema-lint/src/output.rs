//! Diagnostics as people and tools read them: rustc-like text, a JSON array, and
//! GitHub Actions annotations.

use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::fmt::Write as _;

/// rustc-like text: the finding, the place, the line of the statement with a caret, and
/// the suggestion; then a count.
pub fn human(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}[{}/{}]: {}", d.severity, d.code, d.name, d.message);
        let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
        if let Some(text) = d
            .statement
            .split('\n')
            .nth(d.line.saturating_sub(d.statement_line))
        {
            let text = text.trim_end_matches('\r');
            // The statement's first line starts where the statement does.
            let (text, start) = if d.line == d.statement_line {
                (
                    format!("{}{text}", " ".repeat(d.statement_column.saturating_sub(1))),
                    1,
                )
            } else {
                (text.to_owned(), 1)
            };
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let caret: String = text
                .chars()
                .take(d.column.saturating_sub(start))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {text}");
            let _ = writeln!(out, "{pad} | {caret}^");
            if let Some(suggestion) = &d.suggestion {
                let _ = writeln!(out, "{pad} = help: {suggestion}");
            }
        } else if let Some(suggestion) = &d.suggestion {
            let _ = writeln!(out, "  = help: {suggestion}");
        }
        out.push('\n');
    }
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    if diagnostics.is_empty() {
        out.push_str("no findings\n");
    } else {
        let _ = writeln!(
            out,
            "{errors} error{}, {warnings} warning{}, {notes} note{}",
            plural(errors),
            plural(warnings),
            plural(notes)
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    suggestion: Option<&'a str>,
}

/// A JSON array of `{code, name, severity, message, file, line, column, suggestion}`.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let view: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            code: &d.code,
            name: &d.name,
            severity: d.severity,
            message: &d.message,
            file: &d.file,
            line: d.line,
            column: d.column,
            suggestion: d.suggestion.as_deref(),
        })
        .collect();
    // Serializing plain strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&view).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line each.
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(suggestion) = &d.suggestion {
            message.push_str("\nhelp: ");
            message.push_str(suggestion);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&d.file),
            d.line,
            d.column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
