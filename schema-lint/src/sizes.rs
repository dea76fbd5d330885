//! Grading findings by the size of the table they are about: rewriting an empty table
//! is not rewriting one of fifty million rows. The sizes are the catalog's row
//! estimates ([`Settings::table_rows`]); each rule says how its findings depend on them
//! ([`Sizing`]).

use crate::context::Word;
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta, Sizing};
use crate::settings::Settings;
use schema_inspect::Replayer;
use schema_model::{QualifiedName, Realm};
use sqlparser::ast::{Ident, ObjectName, ObjectType, Statement};

/// The severity and message of a finding about `table`, graded by its row estimate.
/// Unchanged when the rule is not graded, the table is not known, or it has no estimate.
pub(crate) fn grade(
    settings: &Settings,
    meta: &RuleMeta,
    table: Option<&QualifiedName>,
    severity: Severity,
    message: &mut String,
) -> Severity {
    if meta.family == Family::Destructive {
        return severity;
    }
    let Some(table) = table else {
        return severity;
    };
    let Some(&rows) = settings.table_rows.get(table) else {
        return severity;
    };
    let name = table_name(table);
    let small = match meta.sizing {
        Sizing::Never => return severity,
        Sizing::LockTime => rows <= settings.small_table_rows,
        Sizing::ExistingRows => rows == 0,
    };
    if rows == 0 {
        message.push_str(&format!(
            "; table {name} is empty, by the catalog's estimate"
        ));
    } else if small {
        message.push_str(&format!(
            "; table {name} has about {} rows, at most small-table-rows ({})",
            thousands(rows),
            thousands(settings.small_table_rows)
        ));
    } else {
        message.push_str(&format!(
            "; table {name} has about {} rows",
            thousands(rows)
        ));
    }
    if small { Severity::Note } else { severity }
}

/// `schema.table`, or `table` in MySQL's current database (the model's schema `""`).
fn table_name(table: &QualifiedName) -> String {
    if table.schema.is_empty() {
        table.name.clone()
    } else {
        table.to_string()
    }
}

/// 52000000 as `52,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The one table a statement locks, rewrites or scans, if it names exactly one:
/// `ALTER TABLE`, `CREATE INDEX`, `DROP INDEX` (the index's table), and, read from its
/// words, `VACUUM`, `CLUSTER` and `REINDEX`.
pub(crate) fn statement_table(
    statement: Option<&Statement>,
    words: &[Word],
    replayer: &Replayer,
    realm: &Realm,
) -> Option<QualifiedName> {
    match statement {
        Some(Statement::AlterTable(alter)) => return replayer.resolve_table(&alter.name),
        Some(Statement::CreateIndex(create)) => return replayer.resolve_table(&create.table_name),
        Some(Statement::Drop {
            object_type: ObjectType::Index,
            names,
            ..
        }) => {
            let [name] = names.as_slice() else {
                return None;
            };
            return index_table(name, replayer, realm);
        }
        _ => {}
    }
    let text = |i: usize| words.get(i).filter(|w| !w.quoted).map(|w| w.text.as_str());
    let mut i = 1;
    match text(0)? {
        "ALTER" if text(1) == Some("TABLE") => {
            i = 2;
            while matches!(text(i), Some("IF" | "EXISTS" | "ONLY")) {
                i += 1;
            }
            single_name(words, i).and_then(|n| replayer.resolve_table(&n))
        }
        "VACUUM" | "CLUSTER" => {
            loop {
                match text(i) {
                    Some("FULL" | "FREEZE" | "VERBOSE" | "ANALYZE" | "ANALYSE") => i += 1,
                    Some("(") => i = skip_parentheses(words, i),
                    _ => break,
                }
            }
            single_name(words, i).and_then(|n| replayer.resolve_table(&n))
        }
        "REINDEX" => {
            if text(i) == Some("(") {
                i = skip_parentheses(words, i);
            }
            let kind = text(i)?;
            i += 1;
            if text(i) == Some("CONCURRENTLY") {
                i += 1;
            }
            let name = single_name(words, i)?;
            match kind {
                "TABLE" => replayer.resolve_table(&name),
                "INDEX" => index_table(&name, replayer, realm),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The table holding an index of that name; `None` unless exactly one does.
fn index_table(name: &ObjectName, replayer: &Replayer, realm: &Realm) -> Option<QualifiedName> {
    let mut parts: Vec<String> = name
        .0
        .iter()
        .map(|p| p.as_ident().map(|i| replayer.ident(i)))
        .collect::<Option<_>>()?;
    let index = parts.pop()?;
    let schema = parts.pop();
    let mut found = realm.schemas.iter().flat_map(|(schema_name, s)| {
        s.tables
            .iter()
            .filter(|(_, t)| t.indexes.contains_key(&index) || t.uniques.contains_key(&index))
            .map(move |(table, _)| QualifiedName::new(schema_name.clone(), table.clone()))
    });
    let first = found.find(|q| schema.as_ref().is_none_or(|s| *s == q.schema))?;
    let other = found.any(|q| schema.as_ref().is_none_or(|s| *s == q.schema));
    (!other).then_some(first)
}

/// The index just past the parenthesized group starting at `i`.
fn skip_parentheses(words: &[Word], mut i: usize) -> usize {
    let mut depth = 0usize;
    while let Some(word) = words.get(i) {
        i += 1;
        match word.text.as_str() {
            "(" if !word.quoted => depth += 1,
            ")" if !word.quoted => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    i
}

/// The dotted name starting at word `i`, when it is the statement's only name (a list,
/// `VACUUM a, b`, names none).
fn single_name(words: &[Word], mut i: usize) -> Option<ObjectName> {
    let mut parts = Vec::new();
    loop {
        let word = words.get(i).filter(|w| w.identifier)?;
        parts.push(if word.quoted {
            Ident::with_quote('"', word.text.clone())
        } else {
            Ident::new(word.text.clone())
        });
        i += 1;
        if words.get(i).is_some_and(|w| w.text == "." && !w.quoted) {
            i += 1;
        } else {
            break;
        }
    }
    if words.get(i).is_some_and(|w| w.text == "," && !w.quoted) {
        return None;
    }
    Some(ObjectName::from(parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, lint_sql};
    use schema_model::Dialect;

    #[test]
    fn destructive_rules_are_never_graded() {
        for meta in crate::rules() {
            if meta.family == Family::Destructive {
                assert_eq!(meta.sizing, Sizing::Never, "{}", meta.code);
            }
        }
        // And grading refuses them whatever their metadata says.
        let settings = Settings::new(schema_model::Dialect::Postgres)
            .with_table_rows([(QualifiedName::new("public", "t"), 0)]);
        let meta = RuleMeta {
            sizing: Sizing::LockTime,
            ..crate::rules::drop_table::RULE
        };
        let mut message = String::from("dropping table t loses its rows");
        let severity = grade(
            &settings,
            &meta,
            Some(&QualifiedName::new("public", "t")),
            Severity::Error,
            &mut message,
        );
        assert_eq!(severity, Severity::Error);
        assert_eq!(message, "dropping table t loses its rows");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(52_000_000), "52,000,000");
    }

    /// Lints a migration after `setup`, with row estimates, and renders the diagnostics
    /// one per line: `severity code: message`.
    fn lint(dialect: Dialect, setup: &str, sql: &str, rows: &[(&str, &str, u64)]) -> String {
        let settings = Settings::new(dialect).with_table_rows(
            rows.iter()
                .map(|(schema, table, n)| (QualifiedName::new(*schema, *table), *n)),
        );
        let sources = [
            schema_inspect::Source::new("001_setup.sql", setup),
            schema_inspect::Source::new("002_change.sql", sql),
        ];
        let diagnostics = crate::lint_sources(&sources, &settings).unwrap_or_else(|e| {
            panic!("lint failed: {e}");
        });
        render(&diagnostics)
    }

    fn render(diagnostics: &[Diagnostic]) -> String {
        diagnostics
            .iter()
            .filter(|d| d.file == "002_change.sql")
            .map(|d| format!("{} {} {}: {}\n", d.line, d.severity, d.code, d.message))
            .collect()
    }

    const PG_SETUP: &str = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, note text);\n\
                            CREATE TABLE events (id bigint PRIMARY KEY, kind text);\n\
                            CREATE INDEX events_kind ON events (kind);\n";
    const PG_CHANGE: &str = "CREATE INDEX orders_total ON orders (total);\n\
                             ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n\
                             ALTER TABLE orders ADD CONSTRAINT orders_total_unique UNIQUE (total);\n\
                             DROP INDEX events_kind;\n\
                             VACUUM FULL events;\n\
                             ALTER TABLE orders DROP COLUMN note;\n";

    #[test]
    fn without_sizes_nothing_is_graded() {
        let without = lint(Dialect::Postgres, PG_SETUP, PG_CHANGE, &[]);
        let unrelated = lint(
            Dialect::Postgres,
            PG_SETUP,
            PG_CHANGE,
            &[("public", "customers", 0)],
        );
        assert_eq!(without, unrelated);
        assert!(!without.contains("; table"), "{without}");
        insta::assert_snapshot!(without);
    }

    #[test]
    fn empty_tables_turn_locks_and_data_checks_into_notes_but_not_drops() {
        let rendered = lint(
            Dialect::Postgres,
            PG_SETUP,
            PG_CHANGE,
            &[("public", "orders", 0), ("public", "events", 0)],
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn small_tables_turn_locks_into_notes_but_data_checks_stay() {
        let rendered = lint(
            Dialect::Postgres,
            PG_SETUP,
            PG_CHANGE,
            &[("public", "orders", 120), ("public", "events", 10_000)],
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn large_tables_keep_their_severity_and_say_their_size() {
        let rendered = lint(
            Dialect::Postgres,
            PG_SETUP,
            PG_CHANGE,
            &[
                ("public", "orders", 52_000_000),
                ("public", "events", 10_001),
            ],
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn the_threshold_is_configurable() {
        let config = crate::Config::from_toml("[lint]\nsmall-table-rows = 100\n", "sextant.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings::new(Dialect::Postgres)
            .with_config(config)
            .with_table_rows([(QualifiedName::new("public", "orders"), 120)]);
        assert_eq!(settings.small_table_rows, 100);
        let diagnostics = lint_sql(
            "CREATE TABLE orders (id bigint, total numeric);\nCREATE INDEX orders_total ON orders (total);\n",
            "x.sql",
            &settings,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // The table is created in the same file: nothing to grade, nothing flagged.
        assert!(diagnostics.iter().all(|d| d.code != "PG101"));
        let rendered = {
            let sources = [
                schema_inspect::Source::new(
                    "001_setup.sql",
                    "CREATE TABLE orders (id bigint, total numeric);",
                ),
                schema_inspect::Source::new(
                    "002_change.sql",
                    "CREATE INDEX orders_total ON orders (total);",
                ),
            ];
            render(&crate::lint_sources(&sources, &settings).unwrap_or_else(|e| panic!("{e}")))
        };
        let pg101: String = rendered.lines().filter(|l| l.contains("PG101")).collect();
        assert_eq!(
            pg101,
            "1 warning PG101: building an index on existing table `orders` blocks writes to it until the build finishes; table public.orders has about 120 rows"
        );
    }

    #[test]
    fn mysql_copying_alter_is_graded_in_the_current_database() {
        let setup = "CREATE TABLE orders (id bigint PRIMARY KEY, total decimal(10,2));";
        let change = "ALTER TABLE orders MODIFY total decimal(12,2);";
        let large = lint(Dialect::Mysql, setup, change, &[("", "orders", 3_000_000)]);
        let empty = lint(Dialect::Mysql, setup, change, &[("", "orders", 0)]);
        insta::assert_snapshot!(format!("large:\n{large}empty:\n{empty}"));
    }

    #[test]
    fn words_name_the_table_of_vacuum_cluster_and_reindex() {
        let sources = [schema_inspect::Source::new("001.sql", PG_SETUP)];
        let settings = Settings::new(Dialect::Postgres);
        let mut engine = crate::engine::Engine::new(&settings, None);
        for source in &sources {
            engine.source(source).unwrap_or_else(|e| panic!("{e}"));
        }
        let replayer = engine.replayer();
        let table = |sql: &str| {
            let words = crate::engine::words(Dialect::Postgres, sql);
            let parsed = crate::engine::parse(Dialect::Postgres, sql).ok();
            let statement = parsed.as_ref().and_then(|p| p.first());
            statement_table(statement, &words, replayer, replayer.realm()).map(|q| q.to_string())
        };
        let events = Some("public.events".to_owned());
        assert_eq!(table("VACUUM FULL events"), events);
        assert_eq!(table("VACUUM (FULL, VERBOSE) public.events"), events);
        assert_eq!(table("VACUUM FULL events, orders"), None);
        assert_eq!(table("CLUSTER events USING events_kind"), events);
        assert_eq!(table("REINDEX TABLE CONCURRENTLY events"), events);
        assert_eq!(table("REINDEX INDEX events_kind"), events);
        assert_eq!(table("DROP INDEX events_kind"), events);
        assert_eq!(table("DROP INDEX nope"), None);
        assert_eq!(
            table("ALTER TABLE ONLY \"events\" ADD COLUMN x int"),
            events
        );
        assert_eq!(table("CREATE INDEX ON events (id)"), events);
        assert_eq!(table("SELECT 1"), None);
    }
}
