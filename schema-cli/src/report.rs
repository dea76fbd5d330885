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

/// Renders an apply error, with what to do next.
pub fn apply_error(error: &schema_plan::apply::ApplyError) -> String {
    use schema_plan::apply::ApplyError;
    let mut out = format!("error: {error}\n");
    match error {
        ApplyError::Destructive { .. } => {
            out.push_str("hint: nothing ran; pass --allow-destructive to run them\n");
        }
        ApplyError::Statement(_) => {
            out.push_str(
                "hint: fix the cause and run the same command again: it resumes where it stopped\n",
            );
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::Dialect;
    use schema_plan::apply::{ApplyError, ApplyReport, RefusedStatement, StatementFailure};

    #[test]
    fn destructive_refusal_lists_statements_and_hazards() {
        let error = ApplyError::Destructive {
            statements: vec![
                RefusedStatement {
                    index: 2,
                    sql: "DROP TABLE books;".into(),
                    hazard: Some("drops table main.books and its rows".into()),
                },
                RefusedStatement {
                    index: 4,
                    sql: "ALTER TABLE authors DROP COLUMN bio;".into(),
                    hazard: Some("drops column main.authors.bio and its values".into()),
                },
            ],
        };
        insta::assert_snapshot!(apply_error(&error));
    }

    #[test]
    fn a_failed_statement_says_how_far_the_run_got() {
        let error = ApplyError::Statement(Box::new(StatementFailure {
            index: 5,
            sql: "CREATE TABLE c (id int);".into(),
            objects: vec!["table public.c".into()],
            message: "relation \"c\" already exists".into(),
            code: Some("42P07".into()),
            rolled_back: 1,
            report: ApplyReport {
                total: 8,
                resumed: 2,
                executed: 2,
                plan_hash: "0".repeat(32),
            },
        }));
        insta::assert_snapshot!(apply_error(&error));
        let mismatch = ApplyError::DialectMismatch {
            plan: Dialect::Postgres,
            database: Dialect::Sqlite,
        };
        assert_eq!(
            apply_error(&mismatch),
            "error: the plan is for postgres, the database is sqlite\n"
        );
    }
}
