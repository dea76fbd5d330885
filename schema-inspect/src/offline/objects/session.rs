//! Session settings, transactions and data statements: not schema, so they are
//! reported as ignored, except `search_path`, which changes where later names go.

use super::{ignored, literal_text};
use crate::Location;
use crate::offline::{Outcome, Replay, Result};
use schema_model::Dialect;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Query, SelectItem, Set,
    SetExpr, Statement,
};

pub(crate) fn apply(replay: &mut Replay, statement: &Statement, loc: &Location) -> Result<Outcome> {
    match statement {
        Statement::Set(set) => set_statement(replay, set),
        Statement::Reset(_) => ignored("RESET changes only the session"),
        Statement::StartTransaction { .. }
        | Statement::Commit { .. }
        | Statement::Rollback { .. }
        | Statement::Savepoint { .. }
        | Statement::ReleaseSavepoint { .. } => ignored("transaction control"),
        Statement::Query(query) => match search_path_from_set_config(replay, query) {
            Some(path) => {
                replay.search_path = path;
                ignored("SELECT set_config('search_path', ...) sets the session's search path")
            }
            None => ignored("SELECT reads or changes data, not schema"),
        },
        Statement::Insert(_)
        | Statement::Update(_)
        | Statement::Delete(_)
        | Statement::Merge(_)
        | Statement::Copy { .. }
        | Statement::LoadData { .. }
        | Statement::Truncate(_) => ignored("data, not schema"),
        Statement::Analyze(_) | Statement::Vacuum(_) | Statement::OptimizeTable { .. } => {
            ignored("maintenance, not schema")
        }
        Statement::Lock(_) | Statement::LockTables { .. } | Statement::UnlockTables => {
            ignored("locks last only for the session")
        }
        Statement::Pragma { name, .. } => ignored(format!(
            "PRAGMA {name} changes the connection, not the schema"
        )),
        Statement::Call(_)
        | Statement::Execute { .. }
        | Statement::Prepare { .. }
        | Statement::Deallocate { .. } => ignored("runs code; its effects are not replayed"),
        Statement::Discard { .. }
        | Statement::LISTEN { .. }
        | Statement::UNLISTEN { .. }
        | Statement::NOTIFY { .. }
        | Statement::Flush { .. }
        | Statement::Kill { .. } => ignored("session command"),
        Statement::ShowVariable { .. }
        | Statement::ShowVariables { .. }
        | Statement::ShowStatus { .. }
        | Statement::ShowCreate { .. }
        | Statement::ShowColumns { .. }
        | Statement::ShowTables { .. }
        | Statement::ShowDatabases { .. }
        | Statement::ShowSchemas { .. }
        | Statement::ShowFunctions { .. }
        | Statement::ShowCollation { .. }
        | Statement::Explain { .. }
        | Statement::ExplainTable { .. } => ignored("reads the catalog, changes nothing"),
        Statement::AttachDatabase { .. } => ignored("ATTACH DATABASE opens another file"),
        other => Err(super::unsupported_statement(loc, other)),
    }
}

fn set_statement(replay: &mut Replay, set: &Set) -> Result<Outcome> {
    match set {
        Set::SingleAssignment {
            variable, values, ..
        } if is_search_path(replay, variable) => {
            if replay.dialect == Dialect::Postgres {
                replay.search_path = search_path_values(replay, values);
            }
            ignored("SET search_path sets the session's search path")
        }
        Set::SingleAssignment { variable, .. } => ignored(format!(
            "SET {variable} changes the session, not the schema"
        )),
        Set::SetNames { .. } | Set::SetNamesDefault {} => {
            ignored("SET NAMES changes the connection's character set")
        }
        Set::SetTimeZone { .. } => ignored("SET TIME ZONE changes the session"),
        Set::SetRole { .. } | Set::SetSessionAuthorization(_) => {
            ignored("SET ROLE changes the session's role")
        }
        Set::SetTransaction { .. } => ignored("transaction control"),
        _ => ignored("SET changes the session, not the schema"),
    }
}

fn is_search_path(replay: &Replay, variable: &ObjectName) -> bool {
    replay
        .name_parts(variable)
        .last()
        .is_some_and(|n| n.eq_ignore_ascii_case("search_path"))
}

/// The schemas of `SET search_path TO a, "B", 'c'`: identifiers folded, strings taken
/// literally; `"$user"` (a schema named after the role) is skipped, and an empty string
/// names no schema.
fn search_path_values(replay: &Replay, values: &[Expr]) -> Vec<String> {
    values
        .iter()
        .filter_map(|value| match value {
            Expr::Identifier(ident) => Some(replay.ident(ident)),
            other => literal_text(other),
        })
        .filter(|s| !s.is_empty() && s != "$user")
        .collect()
}

/// The search path `SELECT pg_catalog.set_config('search_path', 'a, b', false)` sets,
/// as pg_dump writes it; `None` for any other query.
fn search_path_from_set_config(replay: &Replay, query: &Query) -> Option<Vec<String>> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let [SelectItem::UnnamedExpr(Expr::Function(function))] = select.projection.as_slice() else {
        return None;
    };
    let name = replay.name_parts(&function.name);
    if !name
        .last()
        .is_some_and(|n| n.eq_ignore_ascii_case("set_config"))
    {
        return None;
    }
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    let mut args = list.args.iter().filter_map(|a| match a {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => literal_text(e),
        _ => None,
    });
    let setting = args.next()?;
    if !setting.eq_ignore_ascii_case("search_path") {
        return None;
    }
    let value = args.next()?;
    Some(parse_search_path_list(replay, &value))
}

/// Reads a search path written as one string, as PostgreSQL does: names separated by
/// commas, unquoted ones folded to lowercase, `"quoted"` ones kept.
pub(crate) fn parse_search_path_list(replay: &Replay, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c != '"' {
                    name.push(c);
                } else if chars.peek() == Some(&'"') {
                    chars.next();
                    name.push('"');
                } else {
                    break;
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                name.push(c);
            }
            name = name.trim().to_owned();
            if replay.dialect == Dialect::Postgres {
                name = name.to_lowercase();
            }
        }
        if !name.is_empty() && name != "$user" {
            out.push(name);
        }
        // Up to and past the comma that ends this entry, if any.
        let mut more = false;
        for c in chars.by_ref() {
            if c == ',' {
                more = true;
                break;
            }
        }
        if !more {
            return out;
        }
    }
}
