//! Custom schema rules: small declarative checks from `[[lint.custom]]`, run on the
//! schema the linted files (or the plan) produce — the whole desired schema, not only
//! what changed.
//!
//! ```toml
//! [[lint.custom]]
//! code = "CU101"
//! name = "tables-have-created-at"
//! message = "every table records when its rows were created"
//! severity = "error"                  # warning unless given
//! tables = "^public\\."               # which tables (regex on schema.table); all if absent
//! require-column = "created_at"       # the table has this column...
//! column-type = "timestamp with time zone"   # ...of this type (canonical spelling)
//!
//! [[lint.custom]]
//! code = "CU102"
//! name = "no-public-tables"
//! message = "tables live in an application schema"
//! forbid-schema = "public"
//!
//! [[lint.custom]]
//! code = "CU103"
//! name = "tables-have-primary-keys"
//! message = "every table has a primary key"
//! require-primary-key = true
//! ```

use crate::context::StatementRef;
use crate::diagnostic::{Diagnostic, Severity};
use regex::Regex;
use schema_model::{QualifiedName, Realm, Table};
use serde::Deserialize;
use std::collections::HashMap;

/// One `[[lint.custom]]` rule.
#[derive(Debug, Clone)]
pub struct CustomRule {
    /// Its code (must not be a built-in rule's).
    pub code: String,
    /// Its kebab-case name.
    pub name: String,
    /// What a finding says.
    pub message: String,
    /// Its severity.
    pub severity: Severity,
    /// The tables it applies to (regex on `schema.table`); all when `None`.
    pub tables: Option<Regex>,
    /// The column every table must have.
    pub require_column: Option<String>,
    /// The type that column must have, in the model's canonical spelling.
    pub column_type: Option<String>,
    /// No table may be in this schema.
    pub forbid_schema: Option<String>,
    /// Every table must have a primary key.
    pub require_primary_key: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawCustomRule {
    code: String,
    name: String,
    message: String,
    severity: Option<String>,
    tables: Option<String>,
    require_column: Option<String>,
    column_type: Option<String>,
    forbid_schema: Option<String>,
    #[serde(default)]
    require_primary_key: bool,
}

impl RawCustomRule {
    pub(crate) fn read(self) -> Result<CustomRule, String> {
        let at = format!("lint.custom {}", self.code);
        if crate::rules::find(&self.code).is_some() || crate::rules::find(&self.name).is_some() {
            return Err(format!("{at}: the code or name of a built-in rule"));
        }
        if self.require_column.is_none()
            && self.forbid_schema.is_none()
            && !self.require_primary_key
        {
            return Err(format!(
                "{at}: checks nothing (give require-column, forbid-schema or require-primary-key)"
            ));
        }
        if self.column_type.is_some() && self.require_column.is_none() {
            return Err(format!("{at}: column-type needs require-column"));
        }
        let severity = match &self.severity {
            Some(s) => s.parse().map_err(|e| format!("{at}: {e}"))?,
            None => Severity::Warning,
        };
        let tables = match &self.tables {
            Some(pattern) => Some(Regex::new(pattern).map_err(|e| format!("{at}: tables: {e}"))?),
            None => None,
        };
        Ok(CustomRule {
            code: self.code,
            name: self.name,
            message: self.message,
            severity,
            tables,
            require_column: self.require_column,
            column_type: self.column_type,
            forbid_schema: self.forbid_schema,
            require_primary_key: self.require_primary_key,
        })
    }
}

impl CustomRule {
    /// Why a table breaks the rule, if it does.
    fn violation(
        &self,
        name: &QualifiedName,
        table: &Table,
        wanted_type: Option<&schema_model::DataType>,
    ) -> Option<String> {
        if let Some(schema) = &self.forbid_schema
            && name.schema == *schema
        {
            return Some(format!("table `{name}` is in schema `{schema}`"));
        }
        if self.require_primary_key && table.primary_key.is_none() {
            return Some(format!("table `{name}` has no primary key"));
        }
        if let Some(column) = &self.require_column {
            match table.column(column) {
                None => return Some(format!("table `{name}` has no column `{column}`")),
                Some(c) => {
                    if let Some(wanted) = &self.column_type {
                        // Compared in canonical form when the loader reads the configured
                        // type, so that `timestamptz` and `timestamp with time zone` agree.
                        let same = match wanted_type {
                            Some(canonical) => c.data_type == *canonical,
                            None => c.data_type.to_string().eq_ignore_ascii_case(wanted),
                        };
                        if !same {
                            return Some(format!(
                                "column `{column}` of `{name}` is {}, not {wanted}",
                                c.data_type
                            ));
                        }
                    }
                }
            }
        }
        None
    }
}

/// Runs the custom rules on a realm; each finding points at the statement that created
/// the table when one of the linted sources did.
pub(crate) fn check(
    rules: &[CustomRule],
    realm: &Realm,
    origins: &HashMap<QualifiedName, StatementRef>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in rules {
        let wanted_type = rule
            .column_type
            .as_deref()
            .and_then(|t| crate::rules::model_type_text(realm.dialect, t));
        for (schema_name, schema) in &realm.schemas {
            for (table_name, table) in &schema.tables {
                let name = QualifiedName::new(schema_name.clone(), table_name.clone());
                if rule
                    .tables
                    .as_ref()
                    .is_some_and(|pattern| !pattern.is_match(&name.to_string()))
                {
                    continue;
                }
                let Some(why) = rule.violation(&name, table, wanted_type.as_ref()) else {
                    continue;
                };
                let origin = origins.get(&name).cloned().unwrap_or_else(|| StatementRef {
                    file: "<schema>".to_owned(),
                    text: String::new(),
                    line: 1,
                    column: 1,
                });
                out.push(Diagnostic {
                    code: rule.code.clone(),
                    name: rule.name.clone(),
                    severity: rule.severity,
                    message: format!("{}: {why}", rule.message),
                    file: origin.file,
                    line: origin.line,
                    column: origin.column,
                    statement: origin.text,
                    statement_line: origin.line,
                    statement_column: origin.column,
                    suggestion: None,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, &a.code).cmp(&(&b.file, b.line, &b.code)));
    out
}
