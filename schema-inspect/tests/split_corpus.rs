//! The splitter against SQL that other people wrote: every case of the shared corpus
//! (sqldef's test cases and whole real-world schemas) must split without an error, and
//! the statements it gives are handed to sqlparser, whose success rate is printed (not
//! asserted: a parse failure may be sqlparser's, not the splitter's). Run with
//! `--nocapture` to see the rates and the failures.
//!
//! Also: the real-world schemas' statement counts against the counts in the corpus
//! README, and the splitting of a generated 10,000-table schema.

// This test reports to whoever runs it.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use schema_inspect::split::{RawKind, RawStatement, split};
use schema_model::Dialect;
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        eprintln!(
            "skipping: the shared corpus is not at {} (it lives outside this repository)",
            dir.display()
        );
        None
    }
}

struct Case {
    file: String,
    id: String,
    dialect: Dialect,
    current: String,
    desired: String,
}

fn read_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for file in [
        "sqldef/postgres.jsonl",
        "sqldef/mysql.jsonl",
        "sqldef/sqlite.jsonl",
        "real-world/cases.jsonl",
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", n + 1));
            let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
            let dialect = match field("dialect").as_str() {
                "postgres" => Dialect::Postgres,
                "mysql" => Dialect::Mysql,
                "sqlite" => Dialect::Sqlite,
                other => panic!("{file}:{}: unknown dialect {other:?}", n + 1),
            };
            cases.push(Case {
                file: file.to_owned(),
                id: field("id"),
                dialect,
                current: field("current"),
                desired: field("desired"),
            });
        }
    }
    cases
}

fn sql_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// What the loader hands sqlparser: the text, with a `;` when a custom MySQL delimiter
/// or the end of the input ended it.
fn parse_text(raw: &RawStatement<'_>) -> String {
    if raw.text.ends_with(';') {
        raw.text.to_owned()
    } else {
        format!("{};", raw.text)
    }
}

#[derive(Default)]
struct Tally {
    statements: usize,
    parsed: usize,
    /// Texts sqlparser read as more (or fewer) than one statement: statements glued
    /// together, or a piece with no statement in it. Always the splitter's fault.
    glued: Vec<String>,
    failures: Vec<String>,
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.chars().take(max).collect()
}

#[test]
fn corpus_splits_and_parses() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let cases = read_cases(&dir);
    assert!(cases.len() > 1000, "only {} cases read", cases.len());
    let mut split_errors = Vec::new();
    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for case in &cases {
        let sql_dialect = sql_dialect(case.dialect);
        for (side, text) in [("current", &case.current), ("desired", &case.desired)] {
            let raws = match split(text, case.dialect) {
                Ok(raws) => raws,
                Err(e) => {
                    split_errors.push(format!(
                        "{} {} {side}: {}:{}: {}",
                        case.file, case.id, e.line, e.column, e.message
                    ));
                    continue;
                }
            };
            let tally = tallies.entry(case.dialect.as_str()).or_default();
            for raw in raws.iter().filter(|r| r.kind == RawKind::Sql) {
                assert_eq!(&text[raw.offset..raw.offset + raw.text.len()], raw.text);
                tally.statements += 1;
                match Parser::parse_sql(sql_dialect.as_ref(), &parse_text(raw)) {
                    Ok(parsed) if parsed.len() == 1 => tally.parsed += 1,
                    Ok(parsed) => tally.glued.push(format!(
                        "{} {side} {}:{}: {} statements in: {}",
                        case.id,
                        raw.line,
                        raw.column,
                        parsed.len(),
                        raw.text
                    )),
                    Err(e) => tally.failures.push(format!(
                        "{} {side} {}:{}: {e}\n      {}",
                        case.id,
                        raw.line,
                        raw.column,
                        first_line(raw.text, 160)
                    )),
                }
            }
        }
    }
    for (dialect, tally) in &tallies {
        println!(
            "{dialect}: {} of {} statements parse ({:.1}%), {} glued",
            tally.parsed,
            tally.statements,
            100.0 * tally.parsed as f64 / tally.statements.max(1) as f64,
            tally.glued.len(),
        );
        for glued in &tally.glued {
            println!("  GLUED {glued}");
        }
        for failure in &tally.failures {
            println!("  FAIL {failure}");
        }
    }
    let glued: usize = tallies.values().map(|t| t.glued.len()).sum();
    assert_eq!(glued, 0, "texts that are not one statement (listed above)");
    assert!(
        split_errors.is_empty(),
        "split errors:\n{}",
        split_errors.join("\n")
    );
}

/// Statement counts from `real-world/README.md`, of what the command-line clients sent
/// for the upstream files (client commands, MySQL's `USE` included, not counted), and
/// what the `#create` case's text holds instead, with why it differs.
const README_COUNTS: &[(&str, usize, isize, &str)] = &[
    ("pagila/postgres#create", 233, 0, ""),
    (
        "chinook/postgres#create",
        59,
        -2,
        "the case drops DROP DATABASE and CREATE DATABASE (and `\\c`, not counted)",
    ),
    ("danbooru/postgres#create", 821, 0, ""),
    ("lago/postgres#create", 2684, 0, ""),
    ("openstreetmap/postgres#create", 416, 0, ""),
    ("panoptes/postgres#create", 494, 0, ""),
    ("synapse/postgres#create", 430, 0, ""),
    ("temporal/postgres#create", 119, 0, ""),
    ("kanboard/postgres#create", 346, 0, ""),
    (
        "dolphinscheduler/postgres#create",
        532,
        -1,
        "a lone `;` (line 726) that psql sends as an empty query; the splitter drops it",
    ),
    (
        "musicbrainz/postgres#create",
        3734,
        57,
        "the case adds setup.sql's 10 CREATE SCHEMA and a SET search_path up front, and a \
         SET search_path before each of the 46 files",
    ),
    (
        "sakila/mysql#create",
        40,
        -2,
        "the case drops DROP SCHEMA and CREATE SCHEMA (and `USE`, not counted)",
    ),
    (
        "chinook/mysql#create",
        59,
        -2,
        "the case drops DROP DATABASE and CREATE DATABASE (and `USE`, not counted)",
    ),
    ("kanboard/mysql#create", 292, 0, ""),
    ("temporal/mysql#create", 38, 0, ""),
    ("dolphinscheduler/mysql#create", 369, 0, ""),
    ("chinook/sqlite#create", 57, 0, ""),
    ("sakila/sqlite#create", 75, 0, ""),
    ("synapse/sqlite#create", 292, 0, ""),
    ("temporal/sqlite#create", 102, 0, ""),
];

/// SQL statements as the README counts them: the MySQL client runs `USE` itself.
fn counted(raws: &[RawStatement<'_>], dialect: Dialect) -> usize {
    raws.iter()
        .filter(|r| r.kind == RawKind::Sql)
        .filter(|r| {
            let first = r.text.split(|c: char| !c.is_ascii_alphabetic()).next();
            !(dialect == Dialect::Mysql && first.is_some_and(|w| w.eq_ignore_ascii_case("use")))
        })
        .count()
}

#[test]
fn real_world_statement_counts() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("real-world/cases.jsonl"))
        .unwrap_or_else(|e| panic!("reading cases: {e}"));
    let cases: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let mut wrong = Vec::new();
    for &(id, readme, case_difference, why) in README_COUNTS {
        let case = cases
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no case {id}"));
        let dialect = match case["dialect"].as_str() {
            Some("postgres") => Dialect::Postgres,
            Some("mysql") => Dialect::Mysql,
            _ => Dialect::Sqlite,
        };
        // The upstream files, each on its own, as the clients read them.
        let mut files = 0;
        for file in case["upstream"]["files"].as_array().into_iter().flatten() {
            let path = dir
                .join("real-world")
                .join(file.as_str().unwrap_or_default());
            let sql = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let raws = split(&sql, dialect).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files += counted(&raws, dialect);
        }
        let desired = case["desired"].as_str().unwrap_or_default();
        let raws = split(desired, dialect).unwrap_or_else(|e| panic!("{id}: {e}"));
        let in_case = counted(&raws, dialect);
        let clients = raws
            .iter()
            .filter(|r| r.kind == RawKind::ClientCommand)
            .count();
        println!(
            "{id}: README {readme}; upstream files {files}; case {in_case} \
             ({clients} client commands){}{why}",
            if why.is_empty() { "" } else { ": " },
        );
        // dolphinscheduler's empty statement is in the upstream file too.
        let files_expected = if id == "dolphinscheduler/postgres#create" {
            readme - 1
        } else {
            readme
        };
        if files != files_expected {
            wrong.push(format!(
                "{id}: upstream files give {files}, expected {files_expected}"
            ));
        }
        if in_case as isize != readme as isize + case_difference {
            wrong.push(format!(
                "{id}: the case gives {in_case}, expected {}",
                readme as isize + case_difference
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A psql-dump-like schema of 10,000 tables, about 10 MB, with every construct that
/// makes splitting hard (quotes with `;`, escape strings, dollar-quoted bodies, comments):
/// it must split into exactly its statements. How fast it splits is measured by the
/// `split` benchmark (`cargo bench --bench load -- split`), not here: speed targets are
/// measured in benchmarks, never in timed tests.
#[test]
fn ten_thousand_tables_split() {
    let sql = dump_like_schema(10_000);
    let raws = split(&sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(raws.len(), 1 + 6 * 10_000);
    assert!(sql.len() > 10_000_000, "only {} bytes", sql.len());
    for raw in &raws {
        assert_eq!(&sql[raw.offset..raw.offset + raw.text.len()], raw.text);
    }
}

/// `tables` tables as `pg_dump` would write them, each with a comment, an index, a
/// primary key and a trigger function.
fn dump_like_schema(tables: usize) -> String {
    let mut sql = String::with_capacity(tables * 1100 + 64);
    sql.push_str("-- generated schema\nSET client_encoding = 'UTF8';\n");
    for t in 0..tables {
        sql.push_str(&format!(
            "\n--\n-- Name: table_{t}; Type: TABLE\n--\n\nCREATE TABLE public.table_{t} (\n    \
             id bigint NOT NULL,\n    name character varying(255) DEFAULT 'it''s'::character varying NOT NULL,\n    \
             \"Quoted Column\" text,\n    payload jsonb DEFAULT '{{}}'::jsonb,\n    \
             created_at timestamp with time zone DEFAULT now() NOT NULL, /* audit */\n    \
             parent_id bigint REFERENCES public.table_{t} (id) ON DELETE CASCADE,\n    \
             status text DEFAULT 'new'::text NOT NULL CHECK (status = ANY (ARRAY['new'::text, 'done'::text])),\n    CONSTRAINT table_{t}_name_check CHECK ((char_length((name)::text) > 0))\n);\n\n\
             COMMENT ON TABLE public.table_{t} IS E'Table number {t}\\'s comment; with a semicolon';\n\
             COMMENT ON COLUMN public.table_{t}.name IS 'The name; never empty';\n\
             CREATE INDEX table_{t}_name_idx ON public.table_{t} USING btree (name, created_at DESC);\n\
             ALTER TABLE ONLY public.table_{t}\n    ADD CONSTRAINT table_{t}_pkey PRIMARY KEY (id);\n\
             CREATE FUNCTION public.touch_{t}() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $fn$\n\
             BEGIN\n  NEW.created_at := now(); -- keep; it\n  RETURN NEW;\nEND;\n$fn$;\n"
        ));
    }
    sql
}
