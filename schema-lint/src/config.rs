//! The `[lint]` table of `sextant.toml`.
//!
//! ```toml
//! [lint]
//! assume-in-transaction = true
//! postgres-version = 15
//! small-table-rows = 10000  # with --url: locks on tables this small are notes
//!
//! [lint.rules]
//! PG101 = "error"          # by code
//! prefer-text = "warning"  # by name: turns an off-by-default rule on
//! drop-table = "off"
//!
//! [lint.naming]
//! table = "^[a-z][a-z0-9_]*$"
//! index = "^(idx|uq)_"
//! ```

use crate::diagnostic::Severity;
use crate::error::LintError;
use crate::rule::RuleMeta;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a configuration file says.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Overrides the run's transaction wrapping.
    pub assume_in_transaction: Option<bool>,
    /// Overrides the PostgreSQL version.
    pub postgres_version: Option<u32>,
    /// Overrides the row count at or under which a table counts as small
    /// ([`crate::Settings::small_table_rows`]).
    pub small_table_rows: Option<u64>,
    /// Per rule (by code or name): `Some(severity)` turns it on at that severity,
    /// `None` turns it off.
    pub rules: BTreeMap<&'static str, Option<Severity>>,
    /// Naming patterns per object kind (`schema`, `table`, `column`, `index`,
    /// `foreign-key`, `check`, `view`, `sequence`).
    pub naming: BTreeMap<String, Regex>,
    /// Custom schema rules (`[[lint.custom]]`).
    pub custom: Vec<crate::custom::CustomRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: Option<LintTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LintTable {
    assume_in_transaction: Option<bool>,
    postgres_version: Option<u32>,
    small_table_rows: Option<u64>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    naming: BTreeMap<String, String>,
    #[serde(default)]
    custom: Vec<crate::custom::RawCustomRule>,
}

/// The object kinds naming patterns may name.
pub const NAMING_KINDS: &[&str] = &[
    "schema",
    "table",
    "column",
    "index",
    "foreign-key",
    "check",
    "view",
    "sequence",
];

impl Config {
    /// Reads a configuration from TOML text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`LintError::Config`] for TOML that does not parse, an unknown key, rule,
    /// severity or object kind, or a pattern that is not a regular expression.
    pub fn from_toml(text: &str, file: &str) -> Result<Config, LintError> {
        let error = |message: String| LintError::Config {
            file: file.to_owned(),
            message,
        };
        let parsed: File = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let Some(lint) = parsed.lint else {
            return Ok(Config::default());
        };
        let mut config = Config {
            assume_in_transaction: lint.assume_in_transaction,
            postgres_version: lint.postgres_version,
            small_table_rows: lint.small_table_rows,
            ..Config::default()
        };
        for (key, value) in &lint.rules {
            let meta = crate::rules::find(key)
                .ok_or_else(|| error(format!("lint.rules: no rule is named `{key}`")))?;
            let choice = match value.to_ascii_lowercase().as_str() {
                "off" => None,
                "on" => Some(meta.severity),
                other => Some(
                    other
                        .parse::<Severity>()
                        .map_err(|e| error(format!("lint.rules.{key}: {e}")))?,
                ),
            };
            config.rules.insert(meta.code, choice);
        }
        for (kind, pattern) in &lint.naming {
            if !NAMING_KINDS.contains(&kind.as_str()) {
                return Err(error(format!(
                    "lint.naming: unknown object kind `{kind}` (one of {})",
                    NAMING_KINDS.join(", ")
                )));
            }
            let regex =
                Regex::new(pattern).map_err(|e| error(format!("lint.naming.{kind}: {e}")))?;
            config.naming.insert(kind.clone(), regex);
        }
        for raw in lint.custom {
            config.custom.push(raw.read().map_err(error)?);
        }
        Ok(config)
    }

    /// The configured choice for a rule: `None` when the configuration says nothing.
    pub fn rule_choice(&self, meta: &RuleMeta) -> Option<Option<Severity>> {
        self.rules.get(meta.code).copied()
    }

    /// The same configuration with a rule set (tests, callers building one in code).
    pub fn with_rule(mut self, code_or_name: &str, choice: Option<Severity>) -> Self {
        if let Some(meta) = crate::rules::find(code_or_name) {
            self.rules.insert(meta.code, choice);
        }
        self
    }
}
