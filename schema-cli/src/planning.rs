//! What `diff` and `apply` share: rename hints and scope from the command line, the
//! realms cut to that scope, the plan, and the typed changes as readable lines.

use schema_diff::{Diff, DiffOptions, Pattern, Rename, RenameSuggestion};
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
