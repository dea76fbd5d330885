//! What `diff` and `apply` share: rename hints and scope from the command line, the
//! realms cut to that scope, the plan, and the typed changes as readable lines.

use schema_diff::{
    Change, ColumnChange, Diff, DiffOptions, Pattern, Rename, RenameSuggestion, TableChange,
};
use schema_model::{Dialect, Realm};
use schema_plan::{Plan, PlanOptions};
use std::fmt::Write as _;

/// The scope and renames the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// `--rename` hints, parsed.
    pub renames: Vec<Rename>,
    /// `--schema`: only these schemas are compared.
    pub schemas: Vec<String>,
    /// `--exclude`: objects left out.
    pub ignore: Vec<Pattern>,
}

impl Scope {
    /// Parses `--rename` and `--exclude` values; `--schema` is taken as given.
    pub fn parse(
        renames: &[String],
        exclude: &[String],
        schemas: &[String],
    ) -> Result<Self, String> {
        let renames = renames
            .iter()
            .map(|r| Rename::parse(r).map_err(|e| format!("error: --rename: {e}\n")))
            .collect::<Result<_, _>>()?;
        let ignore = exclude
            .iter()
            .map(|p| {
                p.parse::<Pattern>()
                    .map_err(|e| format!("error: --exclude: {e}\n"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Scope {
            renames,
            schemas: schemas.to_vec(),
            ignore,
        })
    }

    /// The differ's options for this scope. `--schema` names MySQL databases, which
    /// the inspector already narrowed to and the model names by its own rules (the
    /// current database is the unnamed schema), so it only scopes the other dialects.
    pub fn diff_options(&self, dialect: Dialect) -> DiffOptions {
        let mut options = DiffOptions::default();
        options.renames = self.renames.clone();
        if dialect != Dialect::Mysql {
            options.include_schemas = self.schemas.clone();
        }
        options.ignore = self.ignore.clone();
        options
    }

    /// The typed changes from `from` to `to`.
    pub fn diff(&self, from: &Realm, to: &Realm) -> Result<Diff, String> {
        schema_diff::diff(from, to, &self.diff_options(from.dialect))
            .map_err(|e| format!("error: {e}\n"))
    }

    /// The plan from `from` to `to`, both cut to the scope first.
    pub fn plan(&self, from: &Realm, to: &Realm) -> Result<Plan, String> {
        let diff_options = self.diff_options(from.dialect);
        let from = schema_diff::scope(from, &diff_options);
        let to = schema_diff::scope(to, &diff_options);
        let mut options = PlanOptions::default();
        options.renames = self.renames.clone();
        schema_plan::plan(&from, &to, &options).map_err(|e| format!("error: planning: {e}\n"))
    }
}

/// The plan as pretty JSON.
pub fn plan_json(plan: &Plan) -> Result<String, String> {
    serde_json::to_string_pretty(plan)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| format!("error: writing the plan as JSON: {e}\n"))
}

/// The changes, one line per change and one indented line per item of a changed table;
/// `+` added, `-` dropped, `~` changed, `>` renamed.
pub fn changes_text(diff: &Diff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        write_change(&mut out, change);
    }
    out
}

/// The rename suggestions as hints, each with the exact flag that accepts it.
pub fn suggestion_hints(suggestions: &[RenameSuggestion]) -> String {
    let mut out = String::new();
    for suggestion in suggestions {
        let rename = &suggestion.rename;
        let _ = writeln!(
            out,
            "hint: {} {} may have been renamed to {} ({}): pass --rename {}:{}={}",
            rename.kind,
            rename.from,
            rename.to,
            suggestion.reason,
            rename.kind,
            rename.from,
            rename.to
        );
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
