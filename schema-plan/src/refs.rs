//! Which realm objects a stored text (a view's query, a default, a check) mentions.
//!
//! The renderer does not parse SQL: it lexes the text ([`crate::text`]), takes every
//! identifier chain outside literals and comments, and looks the chains up among the
//! realm's tables, views, sequences, types and functions. A chain that names nothing in
//! the realm (a column, an alias, a keyword) is ignored, so the result is a superset of
//! the true dependencies only when an alias happens to share a relation's name, which
//! at worst adds an edge the order did not need.

use crate::text::identifier_chains;
use schema_model::{Dialect, QualifiedName, Realm};
use std::collections::{BTreeSet, HashMap};

/// A node key: the kind word and the qualified name.
pub(crate) fn key(kind: &str, schema: &str, name: &str) -> String {
    format!("{kind} {}", QualifiedName::new(schema, name))
}

/// Realm objects by the name SQL text would use for them.
///
/// Relations, sequences and types are looked up in the realm's own maps, so that making
/// a resolver costs nothing per table (a plan makes one for each side of a large realm
/// and asks it about a few objects). Functions are keyed by signature in the model, so
/// their bare names get an index; SQLite, whose names are case-insensitive, indexes
/// everything folded.
pub(crate) struct Resolver<'r> {
    realm: &'r Realm,
    functions: HashMap<(&'r str, &'r str), Vec<&'r str>>,
    folded: Option<HashMap<(String, String), Vec<String>>>,
}

impl<'r> Resolver<'r> {
    /// Indexes what the realm's maps cannot find by name.
    pub(crate) fn new(realm: &'r Realm) -> Self {
        let mut functions: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
        for (schema_name, schema) in &realm.schemas {
            for (signature, function) in &schema.functions {
                functions
                    .entry((schema_name.as_str(), function.name.as_str()))
                    .or_default()
                    .push(signature.as_str());
            }
        }
        let folded = (realm.dialect == Dialect::Sqlite).then(|| folded_index(realm));
        Resolver {
            realm,
            functions,
            folded,
        }
    }

    fn lookup(&self, schema: &str, name: &str, out: &mut BTreeSet<String>) {
        if let Some(folded) = &self.folded {
            if let Some(keys) = folded.get(&(schema.to_lowercase(), name.to_lowercase())) {
                out.extend(keys.iter().cloned());
            }
            return;
        }
        // PostgreSQL names were folded by the lexer, and MySQL's table names are
        // case-sensitive on the servers Sextant targets: both are matched exactly.
        let Some(found) = self.realm.schemas.get(schema) else {
            return;
        };
        if found.tables.contains_key(name) {
            out.insert(key("table", schema, name));
        }
        if found.views.contains_key(name) {
            out.insert(key("view", schema, name));
        }
        if found.sequences.contains_key(name) {
            out.insert(key("sequence", schema, name));
        }
        if found.types.contains_key(name) {
            out.insert(key("type", schema, name));
        }
        if let Some(signatures) = self.functions.get(&(schema, name)) {
            for signature in signatures {
                out.insert(key("function", schema, signature));
            }
        }
    }

    /// The keys of the objects the text mentions. Unqualified names are looked up in the
    /// dialect's default schema and in `own_schema`.
    pub(crate) fn references(&self, text: &str, own_schema: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let default_schema = self.realm.dialect.default_schema();
        for chain in identifier_chains(text, self.realm.dialect) {
            if let Some(first) = chain.first() {
                self.lookup(default_schema, first, &mut out);
                self.lookup(own_schema, first, &mut out);
            }
            for pair in chain.windows(2) {
                self.lookup(&pair[0], &pair[1], &mut out);
            }
        }
        out
    }

    /// The keys of the objects a qualified name may point at (a relation, a type, ...).
    pub(crate) fn named(&self, name: &QualifiedName) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.lookup(&name.schema, &name.name, &mut out);
        out
    }
}

/// Every relation, sequence, type and function under its lowercased schema and name.
fn folded_index(realm: &Realm) -> HashMap<(String, String), Vec<String>> {
    let mut index: HashMap<(String, String), Vec<String>> = HashMap::new();
    let mut insert = |schema: &str, name: &str, key: String| {
        index
            .entry((schema.to_lowercase(), name.to_lowercase()))
            .or_default()
            .push(key);
    };
    for (schema_name, schema) in &realm.schemas {
        for name in schema.tables.keys() {
            insert(schema_name, name, key("table", schema_name, name));
        }
        for name in schema.views.keys() {
            insert(schema_name, name, key("view", schema_name, name));
        }
        for name in schema.sequences.keys() {
            insert(schema_name, name, key("sequence", schema_name, name));
        }
        for name in schema.types.keys() {
            insert(schema_name, name, key("type", schema_name, name));
        }
        for (signature, function) in &schema.functions {
            insert(
                schema_name,
                &function.name,
                key("function", schema_name, signature),
            );
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_model::{Table, View};

    #[test]
    fn finds_relations_by_bare_and_qualified_names() {
        let mut realm = Realm::new(Dialect::Postgres);
        realm
            .schema_mut("public")
            .tables
            .insert("users".into(), Table::new("users"));
        realm
            .schema_mut("app")
            .tables
            .insert("orders".into(), Table::new("orders"));
        realm.schema_mut("app").views.insert(
            "v".into(),
            View {
                name: "v".into(),
                materialized: false,
                columns: vec![],
                definition: "SELECT 1".into(),
                check_option: None,
                options: Default::default(),
                with_no_data: false,
                indexes: Default::default(),
                security: None,
                triggers: Default::default(),
                comment: None,
                column_comments: Default::default(),
                privileges: vec![],
            },
        );
        let resolver = Resolver::new(&realm);
        let refs = resolver.references(
            "SELECT users.id, 'app.v' FROM users JOIN app.orders o ON o.id = users.id",
            "app",
        );
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        assert_eq!(refs, ["table app.orders", "table public.users"]);
    }

    #[test]
    fn finds_sequences_named_in_regclass_literals() {
        let mut realm = Realm::new(Dialect::Postgres);
        for schema in ["public", "app"] {
            realm.schema_mut(schema).sequences.insert(
                "ids".into(),
                schema_model::Sequence {
                    name: "ids".into(),
                    options: schema_model::SequenceOptions::postgres_defaults(
                        schema_model::DataType::BigInt,
                        1,
                    ),
                    owned_by: None,
                    comment: None,
                    privileges: vec![],
                },
            );
        }
        let resolver = Resolver::new(&realm);
        let refs = resolver.references("nextval('app.ids'::regclass)", "public");
        assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["sequence app.ids"]);
        let refs = resolver.references("nextval('\"ids\"' :: regclass)", "app");
        assert_eq!(
            refs.into_iter().collect::<Vec<_>>(),
            ["sequence app.ids", "sequence public.ids"]
        );
        assert!(resolver.references("'app.ids'", "public").is_empty());
    }
}
