//! DE107 `require-primary-key`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DE107",
    name: "require-primary-key",
    family: Family::Design,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A table created without a primary key (by the end of the file that creates it).",
    why: "Rows cannot be addressed one by one: logical replication cannot replicate updates and deletes, and tools and ORMs that need a key break.",
    instead: Some("give every table a primary key, a bigint identity if nothing else"),
    setup: "",
    bad: "CREATE TABLE audit_log (at timestamptz, message text);",
    good: "CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz, message text);",
    check: crate::rule::no_check,
    at_file_end: Some(at_file_end),
    sizing: crate::rule::Sizing::Never,
};

fn at_file_end(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    for (name, stmt) in &cx.state.created_by {
        let Some(table) = cx.realm.table(name) else {
            continue;
        };
        // Partitions inherit their parent's key.
        if table.primary_key.is_none() && table.partition_of.is_none() && !table.columns.is_empty()
        {
            emit.report_on(stmt, format!("table `{name}` has no primary key"));
        }
    }
}

rule_tests!();
