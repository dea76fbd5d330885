//! The `pg-query` feature: PostgreSQL's own parser (libpg_query) as the last resort for
//! statements that neither sqlparser nor the narrow readers in `fallback` can read.
//!
//! It never overrides them: it only sees statements that would otherwise be a parse
//! error. What it reads exactly is kept (ownership and storage settings are set aside
//! with a reason; operators, casts, statistics, publications, event triggers and text
//! search configurations become opaque objects); a statement PostgreSQL accepts but the
//! model cannot hold is refused with its exact kind; and a statement PostgreSQL itself
//! rejects stays the parse error it is without the feature.

use super::objects::{OWNERSHIP, opaque};
use super::{Outcome, Replay, Result, unsupported};
use crate::Location;
use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ObjectType, TypeName};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// Reads a statement sqlparser could not parse. `Ok(None)` hands it back to the caller,
/// which reports the original parse error.
pub(crate) fn read(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    // A statement PostgreSQL's grammar rejects too is the caller's parse error, with
    // sqlparser's position, the same with or without this feature.
    let Ok(parsed) = pg_query::parse(sql, pg_query::ParserOptions::default()) else {
        return Ok(None);
    };
    let mut outcome = None;
    for raw in &parsed.protobuf.stmts {
        let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.as_ref()) else {
            continue;
        };
        match read_node(replay, node, loc)? {
            Some(Outcome::Ignored(reason)) => outcome = Some(Outcome::Ignored(reason)),
            Some(Outcome::Applied) => {
                outcome.get_or_insert(Outcome::Applied);
            }
            None => return Err(unsupported(loc, node_kind(node))),
        }
    }
    Ok(outcome)
}

fn read_node(replay: &mut Replay, node: &NodeEnum, loc: &Location) -> Result<Option<Outcome>> {
    Ok(Some(match node {
        NodeEnum::AlterOwnerStmt(_) => Outcome::Ignored(OWNERSHIP.to_owned()),
        NodeEnum::AlterTableStmt(alter) => {
            let reasons: Option<Vec<&str>> = alter
                .cmds
                .iter()
                .map(|cmd| match cmd.node.as_ref() {
                    Some(NodeEnum::AlterTableCmd(cmd)) => storage_only(cmd.subtype),
                    _ => None,
                })
                .collect();
            match reasons {
                Some(reasons) if !reasons.is_empty() => Outcome::Ignored(reasons.join("; ")),
                _ => return Ok(None),
            }
        }
        NodeEnum::CreateCastStmt(cast) => {
            let name = format!(
                "({} AS {})",
                type_text(replay, cast.sourcetype.as_ref()),
                type_text(replay, cast.targettype.as_ref())
            );
            opaque::create_named(replay, "cast", name, None, loc)?
        }
        NodeEnum::DefineStmt(define) if define.kind == ObjectType::ObjectOperator as i32 => {
            let parts = strings(&define.defnames);
            let (schema, op) = split_qualified(replay, &parts);
            let arg = |i: usize| match define.args.get(i).and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::TypeName(t)) => type_text(replay, Some(t)),
                _ => "NONE".to_owned(),
            };
            let name = format!("{schema}.{op}({},{})", arg(0), arg(1));
            opaque::create_named(replay, "operator", name, Some(&schema), loc)?
        }
        NodeEnum::CreateStatsStmt(stats) => {
            let parts = strings(&stats.defnames);
            let (schema, name) = split_qualified(replay, &parts);
            opaque::create_named(
                replay,
                "statistics",
                format!("{schema}.{name}"),
                Some(&schema),
                loc,
            )?
        }
        NodeEnum::CreatePublicationStmt(publication) => opaque::create_named(
            replay,
            "publication",
            publication.pubname.clone(),
            None,
            loc,
        )?,
        NodeEnum::AlterPublicationStmt(publication) => {
            let schema = replay.dialect.default_schema().to_owned();
            opaque::append(replay, "publication", &publication.pubname, &schema, loc)?
        }
        NodeEnum::CreateEventTrigStmt(trigger) => {
            opaque::create_named(replay, "event trigger", trigger.trigname.clone(), None, loc)?
        }
        NodeEnum::AlterTsconfigurationStmt(config) => {
            let parts = strings(&config.cfgname);
            let (schema, name) = split_qualified(replay, &parts);
            opaque::append(
                replay,
                "text search configuration",
                &format!("{schema}.{name}"),
                &schema,
                loc,
            )?
        }
        _ => return Ok(None),
    }))
}

/// Why an `ALTER TABLE` subcommand changes nothing the model holds, if it doesn't.
fn storage_only(subtype: i32) -> Option<&'static str> {
    let subtype = AlterTableType::try_from(subtype).ok()?;
    Some(match subtype {
        AlterTableType::AtChangeOwner => OWNERSHIP,
        AlterTableType::AtSetStatistics => "column statistics targets are planner settings",
        AlterTableType::AtSetStorage | AlterTableType::AtSetCompression => {
            "column storage is a physical setting"
        }
        AlterTableType::AtClusterOn | AlterTableType::AtDropCluster => {
            "CLUSTER ON marks a physical order, not schema"
        }
        AlterTableType::AtReplicaIdentity => "replica identity is a replication setting",
        _ => return None,
    })
}

/// The `String` values of a list of name nodes.
fn strings(nodes: &[pg_query::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// A dotted name as schema and object, the schema defaulting as creation does.
fn split_qualified(replay: &Replay, parts: &[String]) -> (String, String) {
    match parts {
        [.., schema, name] => (schema.clone(), name.clone()),
        [name] => (replay.creation_schema(), name.clone()),
        [] => (replay.creation_schema(), String::new()),
    }
}

/// A type name in the model's canonical text, read back through the same type mapping
/// the rest of the loader uses, so that `int4` here is `integer` everywhere.
fn type_text(replay: &Replay, ty: Option<&TypeName>) -> String {
    let Some(ty) = ty else {
        return "NONE".to_owned();
    };
    let mut parts = strings(&ty.names);
    if parts.first().is_some_and(|p| p == "pg_catalog") {
        parts.remove(0);
    }
    let quoted: Vec<String> = parts
        .iter()
        .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
        .collect();
    let mut text = quoted.join(".");
    if !ty.array_bounds.is_empty() {
        text.push_str("[]");
    }
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect)
        .try_with_sql(&text)
        .and_then(|mut p| p.parse_data_type());
    match parsed.ok().and_then(|t| replay.data_type(&t).ok()) {
        Some((data_type, _)) => data_type.to_string(),
        None => parts.join("."),
    }
}

/// The statement kind PostgreSQL's grammar gives a node, for error messages.
fn node_kind(node: &NodeEnum) -> String {
    let debug = format!("{node:?}");
    debug
        .split(['(', ' '])
        .next()
        .unwrap_or("statement")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use crate::{LoadError, LoadOptions, load_sql};
    use schema_model::Dialect;

    fn load(sql: &str) -> Result<crate::Loaded, LoadError> {
        load_sql(sql, "t.sql", &LoadOptions::new(Dialect::Postgres))
    }

    #[test]
    fn a_statement_postgres_rejects_stays_a_parse_error() {
        let error = load("CREATE TABEL t (id int);").err();
        assert!(
            matches!(&error, Some(LoadError::Parse { location, .. }) if location.line == 1),
            "{error:?}"
        );
    }

    #[test]
    fn storage_settings_are_set_aside_with_a_reason() {
        // Two subcommands in one ALTER: the narrow readers take single actions only.
        let loaded = load(
            "CREATE TABLE t (body text);\n\
             ALTER TABLE t ALTER COLUMN body SET STATISTICS 100, ALTER COLUMN body SET STORAGE EXTERNAL;",
        );
        let warnings: Vec<String> = loaded
            .map(|l| l.warnings.iter().map(|w| w.message.clone()).collect())
            .unwrap_or_default();
        assert_eq!(
            warnings,
            [
                "column statistics targets are planner settings; column storage is a physical setting"
            ]
        );
    }

    #[test]
    fn a_statement_postgres_accepts_but_the_model_cannot_hold_names_its_kind() {
        let error = load(
            "CREATE TABLE t (id int);\nIMPORT FOREIGN SCHEMA remote FROM SERVER s INTO public;",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert_eq!(
            error,
            "t.sql:2:1: unsupported statement: ImportForeignSchemaStmt"
        );
    }
}
