//! Object kinds the model keeps whole, as [`OpaqueObject`]s: operators, casts, rules,
//! text search configurations, foreign servers and tables, publications, statistics,
//! event triggers, MySQL events.
//!
//! Each lives in [`Schema::other_objects`](schema_model::Schema) under `kind name`.
//! Kinds that belong to no schema (casts, servers, foreign data wrappers,
//! publications, event triggers) are kept in the dialect's default schema.

use super::types::type_or_other;
use super::{already_exists, does_not_exist, ignored, statement_text};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, fallback};
use schema_model::{OpaqueObject, QualifiedName};
use sqlparser::ast::{self, ObjectName, Statement, TextSearchObjectType};

/// Kinds that belong to no schema.
const GLOBAL_KINDS: [&str; 9] = [
    "cast",
    "server",
    "foreign data wrapper",
    "publication",
    "subscription",
    "event trigger",
    "language",
    "access method",
    "user mapping",
];

fn is_global(kind: &str) -> bool {
    GLOBAL_KINDS.contains(&kind)
}

fn text_search_kind(t: &TextSearchObjectType) -> &'static str {
    match t {
        TextSearchObjectType::Dictionary => "text search dictionary",
        TextSearchObjectType::Configuration => "text search configuration",
        TextSearchObjectType::Template => "text search template",
        TextSearchObjectType::Parser => "text search parser",
    }
}

fn operator_name(
    replay: &Replay,
    name: &ObjectName,
    left: Option<&ast::DataType>,
    right: Option<&ast::DataType>,
    loc: &Location,
) -> Result<(String, String)> {
    let qn = replay.create_name(name, loc)?;
    let arg = |t: Option<&ast::DataType>| {
        t.map(|t| type_or_other(replay, t).to_string())
            .unwrap_or_else(|| "NONE".to_owned())
    };
    Ok((
        qn.schema.clone(),
        format!("{qn}({},{})", arg(left), arg(right)),
    ))
}

/// Statements sqlparser reads that create, alter or drop an opaque object.
pub(crate) fn apply(replay: &mut Replay, statement: &Statement, loc: &Location) -> Result<Outcome> {
    match statement {
        Statement::CreateOperator(op) => {
            let (schema, name) = operator_name(
                replay,
                &op.name,
                op.left_arg.as_ref(),
                op.right_arg.as_ref(),
                loc,
            )?;
            create_named(replay, "operator", name, Some(&schema), loc)
        }
        Statement::CreateOperatorFamily(f) => {
            let qn = replay.create_name(&f.name, loc)?;
            let name = format!("{qn} USING {}", replay.ident(&f.using));
            create_named(replay, "operator family", name, Some(&qn.schema), loc)
        }
        Statement::CreateOperatorClass(c) => {
            let qn = replay.create_name(&c.name, loc)?;
            let name = format!("{qn} USING {}", replay.ident(&c.using));
            create_named(replay, "operator class", name, Some(&qn.schema), loc)
        }
        Statement::CreateTextSearch(t) => {
            let qn = replay.create_name(&t.name, loc)?;
            create_named(
                replay,
                text_search_kind(&t.object_type),
                qualified_display(&qn),
                Some(&qn.schema),
                loc,
            )
        }
        Statement::CreateRule(rule) => {
            let table = replay.resolve_table(&rule.table_name, loc)?;
            let name = format!("{} ON {table}", replay.ident(&rule.name));
            create_named(replay, "rule", name, Some(&table.schema), loc)
        }
        Statement::CreateServer(server) => {
            let name = super::display_name(replay, &server.name);
            create_named(replay, "server", name, None, loc)
        }
        Statement::CreateForeignDataWrapper(fdw) => {
            let name = replay.ident(&fdw.name);
            create_named(replay, "foreign data wrapper", name, None, loc)
        }
        Statement::CreateForeignTable(table) => {
            let qn = replay.create_name(&table.name, loc)?;
            if replay.realm.schemas.get(&qn.schema).is_some_and(|s| {
                s.other_objects
                    .contains_key(&format!("foreign table {}", qualified_display(&qn)))
            }) && table.if_not_exists
            {
                return ignored(format!("relation \"{qn}\" already exists, skipping"));
            }
            let definition = vec![foreign_table_definition(replay, table, &qn)];
            create_defined(
                replay,
                "foreign table",
                qualified_display(&qn),
                Some(&qn.schema),
                definition,
                loc,
            )
        }
        Statement::CreateUserMapping(_) => {
            ignored("user mappings belong to roles, which are cluster-wide")
        }
        Statement::CreateVirtualTable {
            name,
            if_not_exists,
            ..
        } => {
            let qn = replay.create_name(name, loc)?;
            let key = format!("virtual table {}", qualified_display(&qn));
            if *if_not_exists
                && replay
                    .realm
                    .schemas
                    .get(&qn.schema)
                    .is_some_and(|s| s.other_objects.contains_key(&key))
            {
                return ignored(format!("table \"{qn}\" already exists, skipping"));
            }
            create_named(
                replay,
                "virtual table",
                qualified_display(&qn),
                Some(&qn.schema),
                loc,
            )
        }
        Statement::AlterOperator(op) => {
            let (schema, name) = operator_name(
                replay,
                &op.name,
                op.left_type.as_ref(),
                Some(&op.right_type),
                loc,
            )?;
            append(replay, "operator", &name, &schema, loc)
        }
        Statement::AlterOperatorFamily(f) => {
            let (schema, key) = locate(replay, "operator family", &f.name, loc)?;
            append_key(replay, &schema, &key, loc)
        }
        Statement::AlterOperatorClass(c) => {
            let (schema, key) = locate(replay, "operator class", &c.name, loc)?;
            append_key(replay, &schema, &key, loc)
        }
        Statement::AlterTextSearch(t) => {
            let (schema, key) = locate(replay, text_search_kind(&t.object_type), &t.name, loc)?;
            append_key(replay, &schema, &key, loc)
        }
        Statement::DropOperator(drop) => {
            for op in &drop.operators {
                let (schema, name) = operator_name(
                    replay,
                    &op.name,
                    op.left_type.as_ref(),
                    Some(&op.right_type),
                    loc,
                )?;
                remove(
                    replay,
                    &schema,
                    &format!("operator {name}"),
                    drop.if_exists,
                    loc,
                )?;
            }
            Ok(Outcome::Applied)
        }
        Statement::DropOperatorFamily(drop) => {
            for name in &drop.names {
                let qn = replay.create_name(name, loc)?;
                let key = format!("operator family {qn} USING {}", replay.ident(&drop.using));
                remove(replay, &qn.schema, &key, drop.if_exists, loc)?;
            }
            Ok(Outcome::Applied)
        }
        Statement::DropOperatorClass(drop) => {
            for name in &drop.names {
                let qn = replay.create_name(name, loc)?;
                let key = format!("operator class {qn} USING {}", replay.ident(&drop.using));
                remove(replay, &qn.schema, &key, drop.if_exists, loc)?;
            }
            Ok(Outcome::Applied)
        }
        Statement::DropRule(drop) => {
            let table = replay.resolve_table(&drop.table_name, loc)?;
            let key = format!("rule {} ON {table}", replay.ident(&drop.name));
            remove(replay, &table.schema, &key, drop.if_exists, loc)?;
            Ok(Outcome::Applied)
        }
        other => Err(super::unsupported_statement(loc, other)),
    }
}

/// `CREATE FOREIGN TABLE` as the catalog describes it: the name qualified, the column
/// names folded and their types canonical, without `IF NOT EXISTS`, so that the live inspector's text (written
/// from `pg_attribute` and `pg_foreign_table`) reads back the same.
fn foreign_table_definition(
    replay: &Replay,
    table: &ast::CreateForeignTable,
    qn: &QualifiedName,
) -> String {
    let mut table = table.clone();
    table.if_not_exists = false;
    table.name = ObjectName::from(vec![
        ast::Ident::new(qn.schema.clone()),
        ast::Ident::new(qn.name.clone()),
    ]);
    for column in &mut table.columns {
        column.name = ast::Ident::new(replay.ident(&column.name));
        let canonical = type_or_other(replay, &column.data_type).to_string();
        column.data_type =
            ast::DataType::Custom(ObjectName::from(vec![ast::Ident::new(canonical)]), vec![]);
    }
    // sqlparser prints the statement in single spacing already; canonical spacing
    // would set a type's parentheses apart from its name.
    format!("{table};")
}

/// A qualified name as an opaque object's name: the schema left out for MySQL's
/// default schema (the empty name).
pub(crate) fn qualified_display(qn: &QualifiedName) -> String {
    if qn.schema.is_empty() {
        qn.name.clone()
    } else {
        qn.to_string()
    }
}

/// The schema an opaque object of that kind lives in.
fn home_schema(replay: &Replay, kind: &str, schema: Option<&str>) -> String {
    match schema {
        Some(schema) if !is_global(kind) => schema.to_owned(),
        _ => replay.dialect.default_schema().to_owned(),
    }
}

/// Creates an opaque object from the current statement's text.
pub(crate) fn create_named(
    replay: &mut Replay,
    kind: &str,
    name: String,
    schema: Option<&str>,
    loc: &Location,
) -> Result<Outcome> {
    let definition = canonical_definition(replay, kind, &name, schema, loc);
    create_defined(replay, kind, name, schema, definition, loc)
}

/// The definition of an opaque object: the statement in canonical spacing, and for
/// the kinds whose catalog rows the live inspector writes back as a statement, in the
/// form the server (`pg_dump`) writes, so that both sides read the same text.
fn canonical_definition(
    replay: &Replay,
    kind: &str,
    name: &str,
    schema: Option<&str>,
    loc: &Location,
) -> Vec<String> {
    if let ("text search configuration", Some(schema)) = (kind, schema)
        && let Some((_, object)) = name.rsplit_once('.')
        && let Some(definition) = super::text_search::create_definition(
            replay,
            &QualifiedName::new(schema, object),
            &loc.statement,
        )
    {
        return definition;
    }
    let canonical = match (kind, schema) {
        ("operator", Some(schema)) => name
            .split('(')
            .next()
            .and_then(|qn| qn.rsplit_once('.'))
            .and_then(|(_, symbol)| {
                let qn = QualifiedName::new(schema, symbol);
                fallback::operator_definition(replay, &qn, &loc.statement)
            }),
        ("cast", _) => fallback::cast_definition(replay, name, &loc.statement),
        ("publication", _) => {
            fallback::publication_definition(replay, name, &[loc.statement.as_str()], loc)
        }
        ("text search dictionary", Some(schema)) => {
            name.rsplit_once('.').and_then(|(_, object)| {
                let qn = QualifiedName::new(schema, object);
                fallback::dictionary_definition(replay, &qn, &loc.statement)
            })
        }
        ("statistics", Some(schema)) => name.rsplit_once('.').and_then(|(_, object)| {
            let qn = QualifiedName::new(schema, object);
            fallback::statistics_definition(replay, &qn, &loc.statement, loc)
        }),
        _ => None,
    };
    vec![canonical.unwrap_or_else(|| statement_text(replay.dialect, loc))]
}

/// Creates an opaque object with the definition given.
pub(crate) fn create_defined(
    replay: &mut Replay,
    kind: &str,
    name: String,
    schema: Option<&str>,
    mut definition: Vec<String>,
    loc: &Location,
) -> Result<Outcome> {
    let schema_name = home_schema(replay, kind, schema);
    let key = format!("{kind} {name}");
    let upper = statement_text(replay.dialect, loc).to_ascii_uppercase();
    let replace = upper.contains(" OR REPLACE ");
    let if_not_exists = upper.contains(" IF NOT EXISTS ");
    // SQLite stores a virtual table's statement without its IF NOT EXISTS: the
    // definition describes the table, not the condition it was created under.
    const VIRTUAL_IF_NOT_EXISTS: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS ";
    if kind == "virtual table"
        && let [first] = definition.as_mut_slice()
        && first
            .to_ascii_uppercase()
            .starts_with(VIRTUAL_IF_NOT_EXISTS)
    {
        *first = format!(
            "CREATE VIRTUAL TABLE {}",
            &first[VIRTUAL_IF_NOT_EXISTS.len()..]
        );
    }
    let schema = replay.realm.schema_mut(&schema_name);
    if let Some(existing) = schema.other_objects.get_mut(&key) {
        if if_not_exists {
            return ignored(format!("{kind} \"{name}\" already exists, skipping"));
        }
        if !replace {
            return Err(already_exists(loc, kind, &name));
        }
        existing.definition = definition;
        return Ok(Outcome::Applied);
    }
    schema.other_objects.insert(
        key,
        OpaqueObject {
            kind: kind.to_owned(),
            name,
            definition,
            comment: None,
        },
    );
    Ok(Outcome::Applied)
}

/// The schema and key of an existing opaque object named in a statement: unqualified
/// names of schema-bound kinds are looked up through the search path.
pub(crate) fn locate(
    replay: &Replay,
    kind: &str,
    name: &ObjectName,
    loc: &Location,
) -> Result<(String, String)> {
    if is_global(kind) {
        let name = super::display_name(replay, name);
        return Ok((home_schema(replay, kind, None), format!("{kind} {name}")));
    }
    let qn = replay.resolve_name(name, loc, |realm, qn: &QualifiedName| {
        realm.schemas.get(&qn.schema).is_some_and(|s| {
            s.other_objects
                .contains_key(&format!("{kind} {}", qualified_display(qn)))
        })
    })?;
    Ok((
        qn.schema.clone(),
        format!("{kind} {}", qualified_display(&qn)),
    ))
}

/// Appends the current statement to an opaque object's definition.
pub(crate) fn append(
    replay: &mut Replay,
    kind: &str,
    name: &str,
    schema: &str,
    loc: &Location,
) -> Result<Outcome> {
    let schema = home_schema(replay, kind, Some(schema));
    append_key(replay, &schema, &format!("{kind} {name}"), loc)
}

/// Appends the current statement to the definition of the object under `key`.
pub(crate) fn append_key(
    replay: &mut Replay,
    schema: &str,
    key: &str,
    loc: &Location,
) -> Result<Outcome> {
    let definition = statement_text(replay.dialect, loc);
    // A text search configuration is kept as the mappings it ends up with, a
    // publication as what it publishes.
    let current = replay
        .realm
        .schema(schema)
        .and_then(|s| s.other_objects.get(key));
    let rewritten = current.and_then(|current| {
        if let Some((_, object)) = key
            .strip_prefix("text search configuration ")
            .and_then(|name| name.rsplit_once('.'))
        {
            return super::text_search::alter_definition(
                replay,
                &QualifiedName::new(schema, object),
                &current.definition,
                &loc.statement,
            );
        }
        let name = key.strip_prefix("publication ")?;
        let mut statements: Vec<&str> = current.definition.iter().map(String::as_str).collect();
        statements.push(&loc.statement);
        fallback::publication_definition(replay, name, &statements, loc).map(|d| vec![d])
    });
    match replay
        .realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.other_objects.get_mut(key))
    {
        Some(object) => {
            match rewritten {
                Some(rewritten) => object.definition = rewritten,
                None => object.definition.push(definition),
            }
            Ok(Outcome::Applied)
        }
        None => Err(does_not_exist(loc, "object", &key)),
    }
}

/// Removes the object under `key`.
pub(crate) fn remove(
    replay: &mut Replay,
    schema: &str,
    key: &str,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let removed = replay
        .realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.other_objects.remove(key));
    match removed {
        Some(_) => Ok(Outcome::Applied),
        None if if_exists => ignored(format!("{key} does not exist, skipping")),
        None => Err(does_not_exist(loc, "object", &key)),
    }
}

/// `DROP <kind> name, ...` for a kind the model keeps whole.
pub(crate) fn drop_named(
    replay: &mut Replay,
    kind: &str,
    names: &[ObjectName],
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let mut outcome = Outcome::Applied;
    for name in names {
        let (schema, key) = locate(replay, kind, name, loc)?;
        if let Outcome::Ignored(reason) = remove(replay, &schema, &key, if_exists, loc)? {
            outcome = Outcome::Ignored(reason);
        }
    }
    Ok(outcome)
}
