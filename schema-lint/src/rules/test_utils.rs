//! Runs one rule on its examples, the way docs show them: the setup as an earlier
//! migration, the example as the next one.

use crate::config::Config;
use crate::rule::RuleMeta;
use crate::settings::Settings;
use schema_inspect::Source;
use schema_model::Dialect;

/// The settings an example runs under: only that rule, on at its severity, PostgreSQL
/// 16, no transaction wrapping; the naming rule gets lowercase snake case for tables.
pub(crate) fn settings(meta: &'static RuleMeta) -> Settings {
    let dialect = meta.dialects.first().copied().unwrap_or(Dialect::Postgres);
    let mut config = Config::default();
    for other in crate::rules::ALL {
        config.rules.insert(other.code, None);
    }
    config.rules.insert(meta.code, Some(meta.severity));
    // The unused-directive rule needs a rule for directives to silence.
    if meta.code == crate::rules::unused_nolint::RULE.code {
        let drop_table = &crate::rules::drop_table::RULE;
        config
            .rules
            .insert(drop_table.code, Some(drop_table.severity));
    }
    if meta.code == crate::rules::naming_convention::RULE.code
        && let Ok(pattern) = regex::Regex::new("^[a-z][a-z0-9_]*$")
    {
        config.naming.insert("table".to_owned(), pattern.clone());
        config.naming.insert("index".to_owned(), pattern);
    }
    Settings::new(dialect).with_config(config)
}

/// The rendered diagnostics of `example` linted after the rule's setup.
pub(crate) fn lint_example(meta: &'static RuleMeta, example: &str) -> String {
    let settings = settings(meta);
    let sources = [
        Source::new("000_setup.sql", meta.setup),
        Source::new("001_example.sql", example),
    ];
    match crate::lint_sources(&sources, &settings) {
        Ok(diagnostics) => {
            let mine: Vec<_> = diagnostics
                .into_iter()
                .filter(|d| d.file == "001_example.sql")
                .collect();
            crate::output::human(&mine)
        }
        Err(e) => format!("lint error: {e}"),
    }
}
