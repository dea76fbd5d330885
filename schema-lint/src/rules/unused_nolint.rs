//! SX100 `unused-nolint`.

use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "SX100",
    name: "unused-nolint",
    family: Family::Linter,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A -- sextant:nolint directive (or one of the rules it names) that silences nothing.",
    why: "Stale directives hide future findings the author never saw.",
    instead: Some("remove the directive, or the rules in it that no longer fire"),
    setup: "CREATE TABLE sessions (id bigint PRIMARY KEY);",
    bad: "-- sextant:nolint drop-table\nALTER TABLE sessions ADD COLUMN token text;",
    good: "-- sextant:nolint drop-table\nDROP TABLE sessions;",
    // Reported by the driver once every finding of the file is known.
    check: crate::rule::no_check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

rule_tests!();
