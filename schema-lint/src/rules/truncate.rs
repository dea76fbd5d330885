//! DS108 `truncate`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS108",
    name: "truncate",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "Emptying a table with TRUNCATE.",
    why: "Every row is deleted at once under an ACCESS EXCLUSIVE lock, and with CASCADE so are the rows of every table referencing it.",
    instead: Some("delete the rows you mean to in batches, or archive the table first"),
    setup: "CREATE TABLE events (id bigint PRIMARY KEY);",
    bad: "TRUNCATE events CASCADE;",
    good: "DELETE FROM events WHERE id < 1000;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    // In a plan, planned-data-loss reports the planner's own hazard instead.
    if cx.plan_hazard.is_some() {
        return;
    }
    if cx.first_word() != "TRUNCATE" {
        return;
    }
    if cx.has_words(&["CASCADE"]) {
        emit.report(&["TRUNCATE"], "TRUNCATE ... CASCADE deletes every row of this table and of every table that references it");
    } else {
        emit.report(&["TRUNCATE"], "TRUNCATE deletes every row of the table");
    }
}

rule_tests!();
