//! PostgreSQL: identifier and literal quoting, type spellings, and the realm renderer.
//!
//! Every name is schema-qualified (`public.users`), so the script does not depend on a
//! search path. Objects come in dump order: schemas, extensions, collations, types,
//! sequences, functions (after `SET check_function_bodies = false`, so that SQL
//! function bodies need not find their tables), tables with their inline constraints,
//! sequence ownership, foreign keys (as `ALTER TABLE`, which breaks reference cycles),
//! indexes, views in dependency order, materialized view indexes, triggers, row level
//! security, policies, opaque objects, comments, grants and default privileges.

mod access;
mod alter;
mod objects;
pub(crate) mod online;
mod tables;

pub(crate) use alter::{alter_in_place, alter_table, rename_statements};

pub use access::{comment_on, default_privilege_statements, grant_statements};
pub use objects::{
    create_collation, create_extension, create_function, create_schema, create_sequence,
    create_trigger, create_type, create_view, function_signature,
};
pub use tables::{add_foreign_key, create_index, create_policy, create_table};

use crate::Statement;
use crate::order::{Graph, Kind};
use crate::refs::{Resolver, key};
use crate::select::{ObjKind, Selection};
use schema_model::{DataType, Deferrable, QualifiedName, Realm, SequenceOptions};
use std::collections::{BTreeMap, BTreeSet};

pub use schema_model::quote::postgres::{quote_ident, quote_literal};

/// `schema.name`, each part quoted as needed.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

fn qualified_name(name: &QualifiedName) -> String {
    qualified(&name.schema, &name.name)
}

/// A role as `GRANT`, `CREATE POLICY` and `ALTER DEFAULT PRIVILEGES` take it: `PUBLIC`
/// and the `CURRENT_USER`-like keywords stay keywords, other roles are identifiers.
fn role(name: &str) -> String {
    const KEYWORD_ROLES: [&str; 4] = ["public", "current_user", "current_role", "session_user"];
    if KEYWORD_ROLES.iter().any(|k| name.eq_ignore_ascii_case(k)) {
        name.to_ascii_uppercase()
    } else {
        quote_ident(name)
    }
}

/// A collation name as `COLLATE` takes it. Collation names often hold a dot
/// (`en_US.utf8`), so the text is read as `schema.name` only when its first part names
/// a schema of the realm or `pg_catalog`.
fn collation(realm: &Realm, name: &str) -> String {
    if let Some((schema, rest)) = name.split_once('.')
        && (schema == "pg_catalog" || realm.schemas.contains_key(schema))
    {
        return qualified(schema, rest);
    }
    quote_ident(name)
}

/// The key of the realm collation a `COLLATE` name points at, if it is one.
fn collation_key(realm: &Realm, name: &str, own_schema: &str) -> Option<String> {
    let (schema, short) = match name.split_once('.') {
        Some((schema, rest)) if realm.schemas.contains_key(schema) => (schema, rest),
        _ => (own_schema, name),
    };
    for candidate in [schema, realm.dialect.default_schema()] {
        if realm
            .schema(candidate)
            .is_some_and(|s| s.collations.contains_key(short))
        {
            return Some(key("collation", candidate, short));
        }
    }
    None
}

/// The PostgreSQL spelling of a type. Types of other dialects map to their nearest
/// PostgreSQL type (`tinyint` to `smallint`, `longtext` to `text`, `blob` to `bytea`,
/// `datetime` to `timestamp`, inline `enum`/`set` to `text`), so a realm of another
/// dialect still renders to valid SQL.
pub fn data_type(ty: &DataType) -> String {
    use DataType::*;
    let with_length = |name: &str, n: &Option<u32>| match n {
        Some(n) => format!("{name}({n})"),
        None => name.to_owned(),
    };
    match ty {
        Boolean => "boolean".into(),
        TinyInt | SmallInt | Year => "smallint".into(),
        MediumInt | Integer => "integer".into(),
        BigInt => "bigint".into(),
        Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p})"),
            _ => "numeric".into(),
        },
        Real => "real".into(),
        Double => "double precision".into(),
        Money => "money".into(),
        Char(n) => format!("char({n})"),
        Varchar(n) => with_length("varchar", n),
        Text | TinyText | MediumText | LongText | Enum(_) | Set(_) | Any => "text".into(),
        Bytea | Blob | TinyBlob | MediumBlob | LongBlob | Binary(_) | Varbinary(_) => {
            "bytea".into()
        }
        Bit(n) => format!("bit({n})"),
        VarBit(n) => with_length("varbit", n),
        Date => "date".into(),
        Time {
            precision,
            with_time_zone,
        } => with_zone(with_length("time", precision), *with_time_zone),
        Timestamp {
            precision,
            with_time_zone,
        } => with_zone(with_length("timestamp", precision), *with_time_zone),
        Datetime(precision) => with_length("timestamp", precision),
        Interval { fields, precision } => {
            let name = match fields {
                Some(fields) => format!("interval {fields}"),
                None => "interval".into(),
            };
            with_length(&name, precision)
        }
        Uuid => "uuid".into(),
        Json => "json".into(),
        Jsonb => "jsonb".into(),
        Xml => "xml".into(),
        Inet => "inet".into(),
        Cidr => "cidr".into(),
        Macaddr => "macaddr".into(),
        Macaddr8 => "macaddr8".into(),
        Tsvector => "tsvector".into(),
        Tsquery => "tsquery".into(),
        Vector(n) => with_length("vector", n),
        HalfVec(n) => with_length("halfvec", n),
        SparseVec(n) => with_length("sparsevec", n),
        Array(element) => format!("{}[]", data_type(element)),
        UserDefined(name) => qualified_name(name),
        Other(text) => text.clone(),
    }
}

fn with_zone(name: String, with_time_zone: bool) -> String {
    if with_time_zone {
        format!("{name} with time zone")
    } else {
        name
    }
}

/// The user-defined types (or table row types) a type mentions.
fn type_refs(resolver: &Resolver, ty: &DataType, out: &mut BTreeSet<String>) {
    match ty {
        DataType::UserDefined(name) => out.extend(resolver.named(name)),
        DataType::Array(element) => type_refs(resolver, element, out),
        _ => {}
    }
}

/// ` DEFERRABLE ...` for a constraint, empty for the default.
pub(super) fn deferrable(value: Deferrable) -> &'static str {
    match value {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// The sequence options that differ from PostgreSQL's defaults for the sequence's type
/// and direction. `AS type` is left to the caller: identity columns may not say it.
fn sequence_options(options: &SequenceOptions) -> Vec<String> {
    let defaults = SequenceOptions::postgres_defaults(options.data_type.clone(), options.increment);
    let mut out = Vec::new();
    if options.increment != 1 {
        out.push(format!("INCREMENT BY {}", options.increment));
    }
    if options.min_value != defaults.min_value {
        out.push(format!("MINVALUE {}", options.min_value));
    }
    if options.max_value != defaults.max_value {
        out.push(format!("MAXVALUE {}", options.max_value));
    }
    if options.start != defaults.start {
        out.push(format!("START WITH {}", options.start));
    }
    if options.cache != defaults.cache {
        out.push(format!("CACHE {}", options.cache));
    }
    if options.cycle {
        out.push("CYCLE".into());
    }
    out
}

/// `(expr)`: the parentheses that `CHECK`, `WHEN` and `USING` require, always added so
/// that the loader reads back exactly the stored expression.
fn paren(expression: &str) -> String {
    format!("({})", expression.trim())
}

/// An expression where the grammar wants one parenthesized group (an index
/// expression, a partition key), wrapped only when it is not one already.
fn group(expression: &str) -> String {
    let expression = expression.trim();
    if crate::text::is_wrapped(expression, schema_model::Dialect::Postgres) {
        expression.to_owned()
    } else {
        format!("({expression})")
    }
}

/// A human label for [`Statement::object`]: a kind word and a qualified name.
pub(crate) fn label(kind: &str, schema: &str, name: &str) -> String {
    format!("{kind} {}", QualifiedName::new(schema, name))
}

/// Renders a PostgreSQL realm; see the module documentation for the order.
pub fn render_realm(realm: &Realm) -> Vec<Statement> {
    render_graph(realm).into_statements()
}

/// The realm's statements as nodes with their dependencies, before sorting.
pub(crate) fn render_graph(realm: &Realm) -> Graph {
    let resolver = Resolver::new(realm);
    render_selected(realm, &resolver, None)
}

/// [`render_graph`] for the selected objects only (all when `only` is `None`), with the
/// realm-level nodes (settings, schemas, extensions, default privileges) always. Each
/// node of a selected object carries the object's number as its origin. The realm and
/// its resolver stay whole: what an object's statements and dependencies say depends
/// on the rest of the realm.
pub(crate) fn render_selected(
    realm: &Realm,
    resolver: &Resolver,
    only: Option<&Selection<'_>>,
) -> Graph {
    let mut cx = Cx {
        realm,
        resolver,
        graph: Graph::default(),
        only,
    };
    cx.setting();
    objects::add_schemas_and_extensions(&mut cx);
    for (schema_name, schema) in &realm.schemas {
        objects::add_schema_objects(&mut cx, schema_name, schema);
        tables::add_tables(&mut cx, schema_name, schema);
        objects::add_views(&mut cx, schema_name, schema);
    }
    access::add_comments_and_grants(&mut cx);
    cx.graph
}

/// What the per-kind adders share while filling the graph.
struct Cx<'a> {
    realm: &'a Realm,
    resolver: &'a Resolver<'a>,
    graph: Graph,
    only: Option<&'a Selection<'a>>,
}

impl Cx<'_> {
    /// Whether the object is to be rendered; if so, the nodes added next come from it.
    fn enter(&mut self, kind: ObjKind, schema: &str, key: &str) -> bool {
        match self.only {
            None => true,
            Some(only) => {
                self.graph.current = only.get(kind, schema, key);
                self.graph.current.is_some()
            }
        }
    }

    /// The entries of one kind's map to render, in key order: all of them, or in a
    /// selective render those of the chosen objects not rendered yet, found from the
    /// selection's side so that a plan touching a few tables of a large realm does not
    /// walk all of them.
    fn chosen<'m, T>(
        &self,
        kind: ObjKind,
        schema: &str,
        map: &'m BTreeMap<String, T>,
    ) -> Vec<(&'m String, &'m T)> {
        match self.only {
            None => map.iter().collect(),
            Some(only) => {
                let mut entries: Vec<(&String, &T)> = only
                    .pending()
                    .iter()
                    .filter(|o| o.kind == kind && o.schema == schema)
                    .filter_map(|o| map.get_key_value(o.key))
                    .collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                entries
            }
        }
    }

    /// The nodes added next belong to the realm, not to an object.
    fn realm_level(&mut self) {
        self.graph.current = None;
    }

    fn setting(&mut self) {
        let has_functions = self.realm.schemas.values().any(|s| !s.functions.is_empty());
        if has_functions {
            self.graph.add(
                Kind::Setting,
                "setting check_function_bodies",
                "check_function_bodies",
                vec![Statement::new(
                    "SET check_function_bodies = false",
                    "setting check_function_bodies",
                )],
            );
        }
    }

    /// Adds a node that depends on its schema and on `deps`.
    fn add(
        &mut self,
        kind: Kind,
        node_key: String,
        name: String,
        schema: &str,
        statements: Vec<Statement>,
        deps: impl IntoIterator<Item = String>,
    ) {
        self.graph
            .depend(node_key.clone(), format!("schema {schema}"));
        for dep in deps {
            self.graph.depend(node_key.clone(), dep);
        }
        self.graph.add(kind, node_key, name, statements);
    }

    /// The functions, sequences and types an expression mentions (not relations: a
    /// default or check cannot read a table, and a column that shares a table's name
    /// must not tie the two together).
    fn expression_refs(&self, text: &str, schema: &str, out: &mut BTreeSet<String>) {
        out.extend(
            self.resolver
                .references(text, schema)
                .into_iter()
                .filter(|k| !k.starts_with("table ") && !k.starts_with("view ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {}

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_a$1"), "_a$1");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("1a"), "\"1a\"");
        assert_eq!(quote_ident("a b\"c"), "\"a b\"\"c\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident("été"), "\"été\"");
        assert_eq!(quote_literal("it's \\n"), "'it''s \\n'");
    }

    #[test]
    fn roles() {
        assert_eq!(role("PUBLIC"), "PUBLIC");
        assert_eq!(role("current_user"), "CURRENT_USER");
        assert_eq!(role("App"), "\"App\"");
    }

    #[test]
    fn types() {
        let ts = DataType::Timestamp {
            precision: Some(3),
            with_time_zone: true,
        };
        assert_eq!(data_type(&ts), "timestamp(3) with time zone");
        assert_eq!(
            data_type(&DataType::Array(Box::new(ts))),
            "timestamp(3) with time zone[]"
        );
        assert_eq!(
            data_type(&DataType::Interval {
                fields: Some("day to second".into()),
                precision: Some(2)
            }),
            "interval day to second(2)"
        );
        assert_eq!(
            data_type(&DataType::UserDefined(QualifiedName::new("public", "Mood"))),
            "public.\"Mood\""
        );
    }
}
