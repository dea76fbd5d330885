//! The typed changes as readable lines: what `sextant diff --format changes` prints and
//! what a failed schema assertion shows.

use crate::{Change, ColumnChange, Diff, TableChange};
use std::fmt::Write as _;

/// The changes, one line per change and one indented line per item of a changed table;
/// `+` added, `-` dropped, `~` changed, `>` renamed.
pub fn changes_text(diff: &Diff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        write_change(&mut out, change);
    }
    out
}

fn write_change(out: &mut String, change: &Change) {
    let label = change.object();
    match change {
        Change::AddSchema { .. }
        | Change::AddExtension { .. }
        | Change::AddTable { .. }
        | Change::Add { .. } => {
            let _ = writeln!(out, "+ {label}");
        }
        Change::DropSchema { .. }
        | Change::DropExtension { .. }
        | Change::DropTable { .. }
        | Change::Drop { .. } => {
            let _ = writeln!(out, "- {label}");
        }
        Change::RenameTable { to, .. } | Change::Rename { to, .. } => {
            let _ = writeln!(out, "> {label} renamed to {to}");
        }
        Change::RenameEnumValue { from, to, .. } => {
            let _ = writeln!(out, "> {label}: value {from} renamed to {to}");
        }
        Change::ModifySchema { attributes, .. }
        | Change::ModifyExtension { attributes, .. }
        | Change::Modify { attributes, .. } => {
            let _ = writeln!(out, "~ {label}");
            for attribute in attributes {
                let _ = writeln!(out, "    ~ {attribute}");
            }
        }
        Change::ModifyTable { changes, .. } => {
            let _ = writeln!(out, "~ {label}");
            for item in changes {
                write_table_change(out, item);
            }
        }
        Change::DefaultPrivileges { added, removed } => {
            let _ = writeln!(
                out,
                "~ {label}: {} granted, {} revoked",
                added.len(),
                removed.len()
            );
        }
    }
}

fn write_table_change(out: &mut String, change: &TableChange) {
    let _ = match change {
        TableChange::AddColumn { name } => writeln!(out, "    + column {name}"),
        TableChange::DropColumn { name } => writeln!(out, "    - column {name}"),
        TableChange::RenameColumn { from, to } => {
            writeln!(out, "    > column {from} renamed to {to}")
        }
        TableChange::ModifyColumn { name, changes } => {
            let items: Vec<String> = changes.iter().map(column_change).collect();
            writeln!(out, "    ~ column {name}: {}", items.join("; "))
        }
        TableChange::Add { kind, name } => writeln!(out, "    + {kind} {name}"),
        TableChange::Drop { kind, name } => writeln!(out, "    - {kind} {name}"),
        TableChange::RenameIndex { from, to } => {
            writeln!(out, "    > index {from} renamed to {to}")
        }
        TableChange::RenameConstraint { kind, from, to } => {
            writeln!(out, "    > {kind} {from} renamed to {to}")
        }
        TableChange::Modify {
            kind,
            name,
            attributes,
        } => {
            let items: Vec<String> = attributes.iter().map(ToString::to_string).collect();
            writeln!(out, "    ~ {kind} {name}: {}", items.join("; "))
        }
        TableChange::Attribute(attribute) => writeln!(out, "    ~ {attribute}"),
    };
}

fn column_change(change: &ColumnChange) -> String {
    fn opt(value: Option<&str>) -> String {
        value.map_or_else(|| "(none)".to_owned(), str::to_owned)
    }
    fn json<T: serde::Serialize>(value: &Option<T>) -> String {
        match value {
            None => "(none)".to_owned(),
            Some(v) => serde_json::to_string(v).unwrap_or_else(|_| "?".to_owned()),
        }
    }
    match change {
        ColumnChange::Type {
            from,
            to,
            from_unsigned,
            to_unsigned,
        } => {
            let sign = |unsigned: bool| if unsigned { " unsigned" } else { "" };
            format!(
                "type {from}{} -> {to}{}",
                sign(*from_unsigned),
                sign(*to_unsigned)
            )
        }
        ColumnChange::Nullable { to, .. } => {
            if *to {
                "NOT NULL dropped".to_owned()
            } else {
                "NOT NULL set".to_owned()
            }
        }
        ColumnChange::Default { from, to } => {
            format!("default {} -> {}", opt(from.as_deref()), opt(to.as_deref()))
        }
        ColumnChange::Identity { from, to } => {
            format!("identity {} -> {}", json(from), json(to))
        }
        ColumnChange::AutoIncrement { from, to } => format!("auto increment {from} -> {to}"),
        ColumnChange::Generated { from, to } => {
            format!("generated {} -> {}", json(from), json(to))
        }
        ColumnChange::Collation { from, to } => format!(
            "collation {} -> {}",
            opt(from.as_deref()),
            opt(to.as_deref())
        ),
        ColumnChange::Comment { from, to } => {
            format!("comment {} -> {}", opt(from.as_deref()), opt(to.as_deref()))
        }
        ColumnChange::Other(attribute) => attribute.to_string(),
    }
}
