//! `docs/lint-rules.md`, generated from the rules' own metadata (a test fails when the
//! checked-in page differs; `UPDATE_EXPECT=1` rewrites it).

use crate::rule::{Family, RuleMeta, Sizing};
use std::fmt::Write as _;

/// The rules page in Markdown.
pub fn markdown() -> String {
    let rules = crate::rules::ALL;
    let mut out = String::new();
    out.push_str("# Lint rules\n\n");
    out.push_str(
        "<!-- Generated from the rules' metadata by `cargo test -p schema-lint --test docs`; \
         do not edit by hand: run it with UPDATE_EXPECT=1 to rewrite this page. -->\n\n",
    );
    out.push_str(
        "`sextant lint` reads migration files statement by statement, replaying each on the \
         schema the earlier files produce, and flags what can lose data, fail on existing \
         rows, break running applications, or lock and rewrite tables. Rules are turned on \
         and off, and given severities, in the `[lint.rules]` table of `sextant.toml` (by \
         code or name); `-- sextant:nolint <code|name>` above a statement silences it, and \
         at the top of a file followed by a blank line, the file. Custom schema rules \
         (`[[lint.custom]]`: a required column and its type, a forbidden schema, a required \
         primary key, for the tables a regex selects) are checked against the whole schema \
         the files produce.\n\n",
    );
    out.push_str(
        "Given a database URL (`sextant lint --url`), lint reads each table's row estimate \
         from the catalog (PostgreSQL `reltuples`, MySQL `TABLE_ROWS`, SQLite `sqlite_stat1` \
         and empty tables) and grades the findings of the rules marked *graded by size* by \
         the table the statement works on: a lock, rewrite or scan of a table of at most \
         `small-table-rows` rows (`[lint]`, default 10000) is a note; a failure on existing \
         rows is a note only when the table is empty; otherwise the message gives the \
         estimate (\"table public.orders has about 52,000,000 rows\"). Destructive findings \
         are never graded down: losing a small table is still losing it.\n\n",
    );
    out.push_str(
        "| code | name | family | dialects | default |\n| --- | --- | --- | --- | --- |\n",
    );
    for meta in rules {
        let _ = writeln!(
            out,
            "| [{code}](#{anchor}) | `{name}` | {family} | {dialects} | {default} |",
            code = meta.code,
            anchor = anchor(meta),
            name = meta.name,
            family = meta.family.title(),
            dialects = dialects(meta),
            default = default(meta),
        );
    }
    let mut family: Option<Family> = None;
    for meta in rules {
        if family != Some(meta.family) {
            family = Some(meta.family);
            let _ = write!(out, "\n## {}\n", meta.family.title());
        }
        let _ = write!(out, "\n### {} `{}`\n\n", meta.code, meta.name);
        let _ = writeln!(out, "{}\n", meta.summary);
        let _ = writeln!(
            out,
            "Dialects: {}. Default: {}.{}\n",
            dialects(meta),
            default(meta),
            sizing(meta)
        );
        let _ = writeln!(out, "**Why.** {}\n", meta.why);
        if let Some(instead) = meta.instead {
            let stop = if instead.ends_with(['.', ';']) {
                ""
            } else {
                "."
            };
            let _ = writeln!(out, "**Instead.** {}{stop}\n", capitalized(instead));
        }
        if !meta.setup.trim().is_empty() {
            let _ = writeln!(
                out,
                "Given an earlier migration:\n\n```sql\n{}\n```\n",
                meta.setup.trim()
            );
        }
        let _ = writeln!(out, "Flagged:\n\n```sql\n{}\n```", meta.bad.trim());
        if !meta.good.trim().is_empty() {
            let _ = writeln!(out, "\nAccepted:\n\n```sql\n{}\n```", meta.good.trim());
        }
    }
    out
}

fn anchor(meta: &RuleMeta) -> String {
    format!("{}-{}", meta.code.to_ascii_lowercase(), meta.name)
}

fn dialects(meta: &RuleMeta) -> String {
    if meta.dialects.is_empty() {
        "all".to_owned()
    } else {
        meta.dialects
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn default(meta: &RuleMeta) -> String {
    if meta.default_on {
        meta.severity.to_string()
    } else {
        format!("off ({} when on)", meta.severity)
    }
}

fn sizing(meta: &RuleMeta) -> &'static str {
    match meta.sizing {
        Sizing::Never => "",
        Sizing::LockTime => {
            " Graded by size: a note on a table of at most `small-table-rows` rows."
        }
        Sizing::ExistingRows => " Graded by size: a note on an empty table.",
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
