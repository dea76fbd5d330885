//! SX001 `syntax-error`.

use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "SX001",
    name: "syntax-error",
    family: Family::Linter,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A statement neither sqlparser nor the offline loader can read.",
    why: "No rule can check what cannot be read, and the replay goes on without it, so later findings may rest on a schema that is not the real one.",
    instead: Some(
        "fix the statement, or silence this finding with -- sextant:nolint syntax-error if the database accepts it",
    ),
    setup: "",
    bad: "CREAT TABLE t (id bigint PRIMARY KEY);",
    good: "CREATE TABLE t (id bigint PRIMARY KEY);",
    // Reported by the driver, which alone sees both parsers fail.
    check: crate::rule::no_check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

rule_tests!();
