//! Errors as people read them: the message, the place and a snippet of the source.

use schema_inspect::{LoadError, Location};
use std::fmt::Write;

/// Renders a load error with a source snippet pointing at the statement.
pub fn load_error(error: &LoadError) -> String {
    let mut out = String::new();
    let message = match error {
        LoadError::Parse { message, .. } => format!("cannot parse statement: {message}"),
        LoadError::Unsupported { what, .. } => format!("unsupported statement: {what}"),
        LoadError::Invalid { message, .. } | LoadError::Lex { message, .. } => message.clone(),
        LoadError::Io { .. } => error.to_string(),
    };
    let _ = writeln!(out, "error: {message}");
    if let Some(location) = error.location() {
        out.push_str(&snippet(location));
    }
    out
}

/// The lines around a location, rustc style: a gutter of line numbers and a caret.
pub fn snippet(location: &Location) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  --> {location}");
    let source = std::fs::read_to_string(&location.file).ok();
    let line_text = source
        .as_deref()
        .and_then(|text| text.split('\n').nth(location.line.saturating_sub(1)))
        .map(|line| line.trim_end_matches('\r').to_owned())
        .or_else(|| location.statement.split('\n').next().map(str::to_owned));
    if let Some(line_text) = line_text {
        let number = location.line.to_string();
        let pad = " ".repeat(number.len());
        let caret_pad: String = line_text
            .chars()
            .take(location.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {line_text}");
        let _ = writeln!(out, "{pad} | {caret_pad}^");
    }
    out
}
