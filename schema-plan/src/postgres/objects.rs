//! Schemas, extensions, collations, types, sequences, functions, views, triggers and
//! opaque objects.

use super::tables::{create_index, index_deps, index_key, trigger_key};
use super::{
    Cx, collation, collation_key, data_type, deferrable, label, paren, qualified, qualified_name,
    quote_ident, quote_literal, sequence_options, type_refs,
};
use crate::Statement;
use crate::order::Kind;
use crate::refs::key;
use crate::select::ObjKind;
use crate::text::{starts_with_keyword, strip_terminator};
use schema_model::{
    ArgumentMode, CheckOption, Collation, DataType, Extension, Function, FunctionKind, Realm,
    Schema, Sequence, Trigger, TriggerAction, TriggerEvent, TriggerTiming, TypeDef, TypeKind, View,
};
use std::collections::BTreeSet;

/// `CREATE SCHEMA`.
pub fn create_schema(name: &str) -> Statement {
    Statement::new(
        format!("CREATE SCHEMA {}", quote_ident(name)),
        format!("schema {name}"),
    )
    .undo(format!("DROP SCHEMA {}", quote_ident(name)))
}

/// `CREATE EXTENSION IF NOT EXISTS` (a new database may already have it, as it has
/// `plpgsql`).
pub fn create_extension(extension: &Extension) -> Statement {
    let mut sql = format!(
        "CREATE EXTENSION IF NOT EXISTS {}",
        quote_ident(&extension.name)
    );
    if let Some(schema) = &extension.schema {
        sql.push_str(" WITH SCHEMA ");
        sql.push_str(&quote_ident(schema));
    }
    if let Some(version) = &extension.version {
        sql.push_str(" VERSION ");
        sql.push_str(&quote_literal(version));
    }
    Statement::new(sql, format!("extension {}", extension.name))
        .undo(format!("DROP EXTENSION {}", quote_ident(&extension.name)))
}

/// `CREATE COLLATION`. `provider` and `deterministic` take bare words; the other
/// options are strings.
pub fn create_collation(schema: &str, collation: &Collation) -> Statement {
    let options: Vec<String> = collation
        .options
        .iter()
        .map(|(k, v)| match k.as_str() {
            "provider" | "deterministic" => format!("{k} = {v}"),
            _ => format!("{k} = {}", quote_literal(v)),
        })
        .collect();
    Statement::new(
        format!(
            "CREATE COLLATION {} ({})",
            qualified(schema, &collation.name),
            options.join(", ")
        ),
        label("collation", schema, &collation.name),
    )
    .undo(format!(
        "DROP COLLATION {}",
        qualified(schema, &collation.name)
    ))
}

/// `CREATE TYPE` (enum, composite, range) or `CREATE DOMAIN`, with an
/// `ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID` for each check not validated.
pub fn create_type(realm: &Realm, schema: &str, ty: &TypeDef) -> Vec<Statement> {
    let name = qualified(schema, &ty.name);
    let object = type_label(schema, ty);
    let drop = format!(
        "DROP {} {}",
        if matches!(ty.kind, TypeKind::Domain(_)) {
            "DOMAIN"
        } else {
            "TYPE"
        },
        qualified(schema, &ty.name)
    );
    match &ty.kind {
        TypeKind::Enum { values } => {
            let values: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
            vec![
                Statement::new(
                    format!("CREATE TYPE {name} AS ENUM ({})", values.join(", ")),
                    object,
                )
                .undo(drop),
            ]
        }
        TypeKind::Composite { attributes } => {
            let attributes: Vec<String> = attributes
                .iter()
                .map(|a| {
                    let mut sql = format!("{} {}", quote_ident(&a.name), data_type(&a.data_type));
                    if let Some(c) = &a.collation {
                        sql.push_str(" COLLATE ");
                        sql.push_str(&collation(realm, c));
                    }
                    sql
                })
                .collect();
            let body = if attributes.is_empty() {
                "()".to_owned()
            } else {
                format!("(\n    {}\n)", attributes.join(",\n    "))
            };
            vec![Statement::new(format!("CREATE TYPE {name} AS {body}"), object).undo(drop)]
        }
        TypeKind::Range { subtype, options } => {
            let mut items = vec![format!("subtype = {}", data_type(subtype))];
            items.extend(options.iter().map(|(k, v)| format!("{k} = {v}")));
            vec![
                Statement::new(
                    format!("CREATE TYPE {name} AS RANGE ({})", items.join(", ")),
                    object,
                )
                .undo(drop),
            ]
        }
        TypeKind::Domain(domain) => {
            let mut sql = format!("CREATE DOMAIN {name} AS {}", data_type(&domain.base_type));
            if let Some(c) = &domain.collation {
                sql.push_str(" COLLATE ");
                sql.push_str(&collation(realm, c));
            }
            // NOT NULL first, as pg_dump writes it: after a default, `1 NOT NULL` would
            // read back as the expression `1 IS NOT NULL`.
            if domain.not_null {
                sql.push_str(" NOT NULL");
            }
            if let Some(default) = &domain.default {
                sql.push_str(" DEFAULT ");
                sql.push_str(default.trim());
            }
            let mut later = Vec::new();
            for check in domain.checks.values() {
                let constraint = format!(
                    "CONSTRAINT {} CHECK {}",
                    quote_ident(&check.name),
                    paren(&check.expression)
                );
                if check.not_valid {
                    later.push(Statement::new(
                        format!("ALTER DOMAIN {name} ADD {constraint} NOT VALID"),
                        object.clone(),
                    ));
                } else {
                    sql.push(' ');
                    sql.push_str(&constraint);
                }
            }
            let mut out = vec![Statement::new(sql, object).undo(drop)];
            out.extend(later);
            out
        }
    }
}

pub(super) fn type_label(schema: &str, ty: &TypeDef) -> String {
    let kind = if matches!(ty.kind, TypeKind::Domain(_)) {
        "domain"
    } else {
        "type"
    };
    label(kind, schema, &ty.name)
}

/// `CREATE SEQUENCE`, with the options that differ from the defaults. Ownership is a
/// separate `ALTER SEQUENCE ... OWNED BY` once the table exists.
pub fn create_sequence(schema: &str, sequence: &Sequence) -> Statement {
    let mut sql = format!("CREATE SEQUENCE {}", qualified(schema, &sequence.name));
    if sequence.options.data_type != DataType::BigInt {
        sql.push_str(" AS ");
        sql.push_str(&data_type(&sequence.options.data_type));
    }
    for option in sequence_options(&sequence.options) {
        sql.push(' ');
        sql.push_str(&option);
    }
    Statement::new(sql, label("sequence", schema, &sequence.name)).undo(format!(
        "DROP SEQUENCE {}",
        qualified(schema, &sequence.name)
    ))
}

/// The argument types that identify a routine, as `COMMENT ON` and `GRANT` take them:
/// `schema.name(type, ...)`, `OUT` arguments left out.
pub fn function_signature(schema: &str, function: &Function) -> String {
    let types: Vec<String> = function
        .arguments
        .iter()
        .filter(|a| a.mode != ArgumentMode::Out)
        .map(|a| match a.mode {
            ArgumentMode::Variadic => format!("VARIADIC {}", data_type(&a.data_type)),
            _ => data_type(&a.data_type),
        })
        .collect();
    format!(
        "{}({})",
        qualified(schema, &function.name),
        types.join(", ")
    )
}

/// A function attribute as SQL. The model keeps `SET name = value, ...` with the
/// values unquoted, as PostgreSQL stores them in `proconfig`; each value is written
/// back as a string literal, so that its case survives (an unquoted `UTC` would fold
/// to `utc`) and values that are no identifiers (`30s`) parse.
fn function_attribute(attribute: &str) -> String {
    let Some(rest) = attribute.strip_prefix("SET ") else {
        return attribute.to_owned();
    };
    let Some((name, values)) = rest.split_once(" = ") else {
        return attribute.to_owned();
    };
    let values: Vec<String> = values.split(", ").map(quote_literal).collect();
    format!("SET {name} = {}", values.join(", "))
}

/// `FUNCTION`, `PROCEDURE` or `AGGREGATE`.
pub(super) fn routine_word(function: &Function) -> &'static str {
    match function.kind {
        FunctionKind::Function => "FUNCTION",
        FunctionKind::Procedure => "PROCEDURE",
        FunctionKind::Aggregate => "AGGREGATE",
    }
}

pub(super) fn function_label(schema: &str, signature: &str, function: &Function) -> String {
    format!(
        "{} {}",
        routine_word(function).to_ascii_lowercase(),
        schema_model::QualifiedName::new(schema, signature)
    )
}

/// A dollar quote tag that does not occur in the body.
fn dollar_quote(body: &str) -> String {
    let mut tag = "$$".to_owned();
    let mut n = 0;
    while body.contains(&tag) {
        tag = if n == 0 {
            "$body$".to_owned()
        } else {
            format!("$body{n}$")
        };
        n += 1;
    }
    tag
}

/// Whether a SQL function's body is SQL-standard (`BEGIN ATOMIC ... END`, `RETURN ...`)
/// rather than a string: PostgreSQL parses such a body at creation.
fn is_sql_standard_body(function: &Function) -> bool {
    function.language.eq_ignore_ascii_case("sql")
        && (starts_with_keyword(&function.body, "BEGIN")
            || starts_with_keyword(&function.body, "RETURN"))
}

/// `CREATE FUNCTION`, `CREATE PROCEDURE` or `CREATE AGGREGATE`. A body is dollar-quoted
/// unless it is a SQL-standard body; an aggregate's body holds its definition, the
/// options between the parentheses.
pub fn create_function(schema: &str, signature: &str, function: &Function) -> Statement {
    let object = function_label(schema, signature, function);
    let name = qualified(schema, &function.name);
    if function.kind == FunctionKind::Aggregate {
        let args: Vec<String> = function
            .arguments
            .iter()
            .map(|a| data_type(&a.data_type))
            .collect();
        let args = if args.is_empty() {
            "*".to_owned()
        } else {
            args.join(", ")
        };
        let body = function.body.trim();
        let body = if crate::text::is_wrapped(body, schema_model::Dialect::Postgres) {
            body.to_owned()
        } else {
            format!("(\n    {body}\n)")
        };
        return Statement::new(format!("CREATE AGGREGATE {name}({args}) {body}"), object)
            .undo(format!("DROP AGGREGATE {name}({args})"));
    }
    let args: Vec<String> = function
        .arguments
        .iter()
        .map(|a| {
            let mut parts = Vec::new();
            match a.mode {
                ArgumentMode::In => {}
                ArgumentMode::Out => parts.push("OUT".to_owned()),
                ArgumentMode::InOut => parts.push("INOUT".to_owned()),
                ArgumentMode::Variadic => parts.push("VARIADIC".to_owned()),
            }
            if let Some(n) = &a.name {
                parts.push(quote_ident(n));
            }
            parts.push(data_type(&a.data_type));
            if let Some(d) = &a.default {
                parts.push(format!("DEFAULT {}", d.trim()));
            }
            parts.join(" ")
        })
        .collect();
    let mut sql = format!(
        "CREATE {} {name}({})",
        routine_word(function),
        args.join(", ")
    );
    if let Some(returns) = &function.returns
        && function.kind == FunctionKind::Function
    {
        sql.push_str(" RETURNS ");
        sql.push_str(returns.trim());
    }
    sql.push_str("\n    LANGUAGE ");
    sql.push_str(&quote_ident(&function.language));
    for attribute in &function.attributes {
        sql.push_str("\n    ");
        sql.push_str(&function_attribute(attribute.trim()));
    }
    if is_sql_standard_body(function) {
        sql.push('\n');
        sql.push_str(strip_terminator(&function.body));
    } else if let Some((object_file, link_symbol)) = function
        .body
        .split_once(", ")
        .filter(|_| function.language.eq_ignore_ascii_case("c"))
    {
        // A C function's body is its object file and link symbol, two literals.
        sql.push_str(&format!(
            "\n    AS {}, {}",
            quote_literal(object_file),
            quote_literal(link_symbol)
        ));
    } else {
        let tag = dollar_quote(&function.body);
        sql.push_str(&format!("\n    AS {tag}{}{tag}", function.body));
    }
    Statement::new(sql, object).undo(format!(
        "DROP {} {}",
        routine_word(function),
        function_signature(schema, function)
    ))
}

/// `CREATE [MATERIALIZED] VIEW`. Indexes and triggers on it are separate.
pub fn create_view(schema: &str, view: &View) -> Statement {
    let kind = if view.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let mut sql = format!("CREATE {kind} {}", qualified(schema, &view.name));
    if !view.columns.is_empty() {
        let columns: Vec<String> = view.columns.iter().map(|c| quote_ident(c)).collect();
        sql.push_str(&format!(" ({})", columns.join(", ")));
    }
    if !view.options.is_empty() {
        let options: Vec<String> = view
            .options
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        sql.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    sql.push_str(" AS\n");
    sql.push_str(strip_terminator(&view.definition));
    match view.check_option {
        Some(CheckOption::Local) => sql.push_str("\n  WITH LOCAL CHECK OPTION"),
        Some(CheckOption::Cascaded) => sql.push_str("\n  WITH CASCADED CHECK OPTION"),
        None => {}
    }
    if view.materialized && view.with_no_data {
        sql.push_str("\n  WITH NO DATA");
    }
    let kind = if view.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    Statement::new(sql, view_label(schema, view))
        .undo(format!("DROP {kind} {}", qualified(schema, &view.name)))
}

pub(super) fn view_label(schema: &str, view: &View) -> String {
    let kind = if view.materialized {
        "materialized view"
    } else {
        "view"
    };
    label(kind, schema, &view.name)
}

/// `CREATE [CONSTRAINT] TRIGGER ... EXECUTE FUNCTION`, and an
/// `ALTER TABLE ... DISABLE TRIGGER` when the trigger is disabled.
pub fn create_trigger(schema: &str, relation: &str, trigger: &Trigger) -> Vec<Statement> {
    let object = trigger_label(schema, relation, &trigger.name);
    let relation_name = qualified(schema, relation);
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<String> = trigger
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT".to_owned(),
            TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".to_owned(),
            TriggerEvent::Update { columns } => {
                let columns: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
                format!("UPDATE OF {}", columns.join(", "))
            }
            TriggerEvent::Delete => "DELETE".to_owned(),
            TriggerEvent::Truncate => "TRUNCATE".to_owned(),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}TRIGGER {} {timing} {} ON {relation_name}",
        if trigger.constraint {
            "CONSTRAINT "
        } else {
            ""
        },
        quote_ident(&trigger.name),
        events.join(" OR ")
    );
    if let Some(from) = &trigger.from {
        sql.push_str(" FROM ");
        sql.push_str(&qualified_name(from));
    }
    sql.push_str(deferrable(trigger.deferrable));
    if trigger.old_table.is_some() || trigger.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(old) = &trigger.old_table {
            sql.push_str(&format!(" OLD TABLE AS {}", quote_ident(old)));
        }
        if let Some(new) = &trigger.new_table {
            sql.push_str(&format!(" NEW TABLE AS {}", quote_ident(new)));
        }
    }
    sql.push_str(if trigger.for_each_row {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(when) = &trigger.when {
        sql.push_str(" WHEN ");
        sql.push_str(&paren(when));
    }
    match &trigger.action {
        TriggerAction::Function {
            function,
            arguments,
        } => {
            let args: Vec<String> = arguments.iter().map(|a| quote_literal(a)).collect();
            sql.push_str(&format!(
                " EXECUTE FUNCTION {}({})",
                qualified_name(function),
                args.join(", ")
            ));
        }
        TriggerAction::Body(body) => {
            sql.push(' ');
            sql.push_str(strip_terminator(body));
        }
    }
    let mut out = vec![Statement::new(sql, object.clone()).undo(format!(
        "DROP TRIGGER {} ON {relation_name}",
        quote_ident(&trigger.name)
    ))];
    if !trigger.enabled {
        out.push(Statement::new(
            format!(
                "ALTER TABLE {relation_name} DISABLE TRIGGER {}",
                quote_ident(&trigger.name)
            ),
            object,
        ));
    }
    out
}

pub(super) fn trigger_label(schema: &str, relation: &str, name: &str) -> String {
    format!(
        "trigger {name} on {}",
        schema_model::QualifiedName::new(schema, relation)
    )
}

pub(super) fn add_trigger(
    cx: &mut Cx<'_>,
    schema: &str,
    relation: &str,
    relation_key: String,
    trigger: &Trigger,
) {
    cx.graph.own(
        trigger_key(schema, relation, &trigger.name),
        relation_key.clone(),
    );
    let mut deps = BTreeSet::from([relation_key]);
    if let TriggerAction::Function { function, .. } = &trigger.action {
        deps.extend(cx.resolver.named(function));
    }
    if let Some(from) = &trigger.from {
        deps.insert(key("table", &from.schema, &from.name));
    }
    if let Some(when) = &trigger.when {
        cx.expression_refs(when, schema, &mut deps);
    }
    cx.add(
        Kind::Trigger,
        trigger_key(schema, relation, &trigger.name),
        format!("{schema}.{relation} {}", trigger.name),
        schema,
        create_trigger(schema, relation, trigger),
        deps,
    );
}

/// Adds the schemas other than `public` (and drops `public` when the realm has none),
/// and the extensions.
pub(super) fn add_schemas_and_extensions(cx: &mut Cx<'_>) {
    cx.realm_level();
    let realm = cx.realm;
    let default = realm.dialect.default_schema();
    for name in realm.schemas.keys().filter(|n| n.as_str() != default) {
        cx.graph.add(
            Kind::Schema,
            format!("schema {name}"),
            name.clone(),
            vec![create_schema(name)],
        );
    }
    if !realm.schemas.contains_key(default) {
        cx.graph.add(
            Kind::Schema,
            format!("schema {default}"),
            String::new(),
            vec![
                Statement::new(
                    format!("DROP SCHEMA {}", quote_ident(default)),
                    format!("schema {default}"),
                )
                .undo(format!("CREATE SCHEMA {}", quote_ident(default))),
            ],
        );
    }
    for extension in realm.extensions.values() {
        let node = format!("extension {}", extension.name);
        if let Some(schema) = &extension.schema {
            cx.graph.depend(node.clone(), format!("schema {schema}"));
        }
        for required in extension_requires(&extension.name) {
            if realm.extensions.contains_key(*required) {
                cx.graph
                    .depend(node.clone(), format!("extension {required}"));
            }
        }
        cx.graph.add(
            Kind::Extension,
            node,
            extension.name.clone(),
            vec![create_extension(extension)],
        );
    }
}

/// The extensions an extension's control file requires, for those shipped with
/// PostgreSQL and PostGIS: the model records what is installed, not why, and `CREATE
/// EXTENSION` without `CASCADE` (or `DROP EXTENSION` without it) fails out of order.
fn extension_requires(name: &str) -> &'static [&'static str] {
    match name {
        "earthdistance" => &["cube"],
        "postgis_raster" | "postgis_topology" | "postgis_sfcgal" => &["postgis"],
        "postgis_tiger_geocoder" => &["postgis", "fuzzystrmatch"],
        "hstore_plperl" | "hstore_plperlu" => &["hstore"],
        "ltree_plpython3u" => &["ltree"],
        "hstore_plpython3u" => &["hstore"],
        _ => &[],
    }
}

/// Adds a schema's collations, types, sequences, functions and opaque objects.
pub(super) fn add_schema_objects(cx: &mut Cx<'_>, schema_name: &str, schema: &Schema) {
    let realm = cx.realm;
    for (object_key, c) in cx.chosen(ObjKind::Collation, schema_name, &schema.collations) {
        if !cx.enter(ObjKind::Collation, schema_name, object_key) {
            continue;
        }
        cx.add(
            Kind::Collation,
            key("collation", schema_name, &c.name),
            format!("{schema_name}.{}", c.name),
            schema_name,
            vec![create_collation(schema_name, c)],
            [],
        );
    }
    for (object_key, ty) in cx.chosen(ObjKind::Type, schema_name, &schema.types) {
        if !cx.enter(ObjKind::Type, schema_name, object_key) {
            continue;
        }
        let mut deps = BTreeSet::new();
        match &ty.kind {
            TypeKind::Enum { .. } => {}
            TypeKind::Composite { attributes } => {
                for a in attributes {
                    type_refs(cx.resolver, &a.data_type, &mut deps);
                    if let Some(c) = &a.collation {
                        deps.extend(collation_key(realm, c, schema_name));
                    }
                }
            }
            TypeKind::Domain(domain) => {
                type_refs(cx.resolver, &domain.base_type, &mut deps);
                for text in domain
                    .default
                    .iter()
                    .chain(domain.checks.values().map(|c| &c.expression))
                {
                    cx.expression_refs(text, schema_name, &mut deps);
                }
                if let Some(c) = &domain.collation {
                    deps.extend(collation_key(realm, c, schema_name));
                }
            }
            TypeKind::Range { subtype, options } => {
                type_refs(cx.resolver, subtype, &mut deps);
                for (option, value) in options {
                    if option == "subtype_diff" || option == "canonical" {
                        cx.expression_refs(value, schema_name, &mut deps);
                    }
                }
            }
        }
        cx.add(
            Kind::Type,
            key("type", schema_name, &ty.name),
            format!("{schema_name}.{}", ty.name),
            schema_name,
            create_type(realm, schema_name, ty),
            deps,
        );
    }
    for (object_key, sequence) in cx.chosen(ObjKind::Sequence, schema_name, &schema.sequences) {
        if !cx.enter(ObjKind::Sequence, schema_name, object_key) {
            continue;
        }
        cx.add(
            Kind::Sequence,
            key("sequence", schema_name, &sequence.name),
            format!("{schema_name}.{}", sequence.name),
            schema_name,
            vec![create_sequence(schema_name, sequence)],
            [],
        );
    }
    let text_search = if schema.functions.is_empty() {
        Vec::new()
    } else {
        text_search_objects(realm)
    };
    for (signature, function) in cx.chosen(ObjKind::Function, schema_name, &schema.functions) {
        if !cx.enter(ObjKind::Function, schema_name, signature) {
            continue;
        }
        let mut deps = BTreeSet::new();
        for a in &function.arguments {
            type_refs(cx.resolver, &a.data_type, &mut deps);
        }
        if let Some(returns) = &function.returns {
            // `SETOF public.film` needs the table; a type needs the type.
            deps.extend(
                cx.resolver
                    .references(returns, schema_name)
                    .into_iter()
                    .filter(|k| k.starts_with("type ") || k.starts_with("table ")),
            );
        }
        if function.kind == FunctionKind::Aggregate || is_sql_standard_body(function) {
            deps.extend(cx.resolver.references(&function.body, schema_name));
        }
        // A SQL body is checked when the function is created, and a text search
        // configuration or dictionary it names in a literal (`to_tsvector('app.cfg',
        // ...)`) must exist by then: the function waits for the ones its body names.
        for (key, name) in &text_search {
            if mentions_word(&function.body, name) {
                deps.insert(key.clone());
            }
        }
        let kind = if function.kind == FunctionKind::Aggregate {
            Kind::Aggregate
        } else {
            Kind::Function
        };
        cx.add(
            kind,
            key("function", schema_name, signature),
            format!("{schema_name}.{signature}"),
            schema_name,
            vec![create_function(schema_name, signature, function)],
            deps,
        );
    }
    for (object_key, object) in cx.chosen(ObjKind::Opaque, schema_name, &schema.other_objects) {
        if !cx.enter(ObjKind::Opaque, schema_name, object_key) {
            continue;
        }
        let label = format!("{} {}", object.kind, object.name);
        // Opaque definitions are kept as written, so unqualified names in them mean
        // what the search path said when they ran: replay them in their own schema
        // (everything else in the script is qualified, and `public` is the default).
        let in_own_schema = schema_name != "public";
        let mut statements = Vec::new();
        if in_own_schema {
            statements.push(Statement::new(
                format!(
                    "SET search_path = {}, public",
                    super::quote_ident(schema_name)
                ),
                label.clone(),
            ));
        }
        // The model keeps these kinds whole, with a name in the form their `DROP`
        // takes (`app.===(integer,integer)`, `(text AS app.mood)`, `r ON app.t`).
        let drop = format!("DROP {} {}", object.kind.to_ascii_uppercase(), object.name);
        statements.extend(object.definition.iter().enumerate().map(|(i, sql)| {
            let statement = Statement::new(sql.trim(), label.clone());
            if i == 0 {
                statement.undo(drop.clone())
            } else {
                statement
            }
        }));
        if in_own_schema {
            statements.push(Statement::new("SET search_path = public", label));
        }
        cx.add(
            Kind::Opaque,
            format!("opaque {schema_name} {object_key}"),
            format!("{schema_name} {object_key}"),
            schema_name,
            statements,
            [],
        );
    }
}

/// The node keys of the realm's text search configurations and dictionaries, with
/// their unqualified names.
fn text_search_objects(realm: &Realm) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (schema_name, schema) in &realm.schemas {
        for (object_key, object) in &schema.other_objects {
            if object.kind == "text search configuration" || object.kind == "text search dictionary"
            {
                let bare = object.name.rsplit('.').next().unwrap_or(&object.name);
                out.push((
                    format!("opaque {schema_name} {object_key}"),
                    bare.trim_matches('"').to_owned(),
                ));
            }
        }
    }
    out
}

/// Whether `text` holds `word` with no identifier character on either side.
fn mentions_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(is_ident)
            && !text[at + word.len()..].chars().next().is_some_and(is_ident)
    })
}

/// Adds a schema's views and materialized views, with their indexes and triggers.
pub(super) fn add_views(cx: &mut Cx<'_>, schema_name: &str, schema: &Schema) {
    let realm = cx.realm;
    for (object_key, view) in cx.chosen(ObjKind::View, schema_name, &schema.views) {
        if !cx.enter(ObjKind::View, schema_name, object_key) {
            continue;
        }
        let view_key = key("view", schema_name, &view.name);
        let deps = cx.resolver.references(&view.definition, schema_name);
        cx.add(
            Kind::View,
            view_key.clone(),
            format!("{schema_name}.{}", view.name),
            schema_name,
            vec![create_view(schema_name, view)],
            deps,
        );
        for index in view.indexes.values() {
            let deps = index_deps(cx, schema_name, view_key.clone(), index);
            cx.graph.own(
                index_key(schema_name, &view.name, &index.name),
                view_key.clone(),
            );
            cx.add(
                Kind::ViewIndex,
                index_key(schema_name, &view.name, &index.name),
                format!("{schema_name}.{}", index.name),
                schema_name,
                vec![create_index(realm, schema_name, &view.name, index)],
                deps,
            );
        }
        for trigger in view.triggers.values() {
            add_trigger(cx, schema_name, &view.name, view_key.clone(), trigger);
        }
    }
}
