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
pub(crate) struct Resolver {
    objects: HashMap<(String, String), Vec<String>>,
    dialect: Dialect,
}

impl Resolver {
    /// Indexes the realm's relations, sequences, types and functions.
    pub(crate) fn new(realm: &Realm) -> Self {
        let mut resolver = Resolver {
            objects: HashMap::new(),
            dialect: realm.dialect,
        };
        for (schema_name, schema) in &realm.schemas {
            for name in schema.tables.keys() {
                resolver.insert(schema_name, name, key("table", schema_name, name));
            }
            for name in schema.views.keys() {
                resolver.insert(schema_name, name, key("view", schema_name, name));
            }
            for name in schema.sequences.keys() {
                resolver.insert(schema_name, name, key("sequence", schema_name, name));
            }
            for name in schema.types.keys() {
                resolver.insert(schema_name, name, key("type", schema_name, name));
            }
            for (signature, function) in &schema.functions {
                resolver.insert(
                    schema_name,
                    &function.name,
                    key("function", schema_name, signature),
                );
            }
        }
        resolver
    }

    fn fold(&self, name: &str) -> String {
        // SQLite names are case-insensitive; PostgreSQL's were folded by the lexer, and
        // MySQL's table names are case-sensitive on the servers Sextant targets.
        if self.dialect == Dialect::Sqlite {
            name.to_lowercase()
        } else {
            name.to_owned()
        }
    }

    fn insert(&mut self, schema: &str, name: &str, key: String) {
        let entry = (self.fold(schema), self.fold(name));
        self.objects.entry(entry).or_default().push(key);
    }

    fn lookup(&self, schema: &str, name: &str, out: &mut BTreeSet<String>) {
        if let Some(keys) = self.objects.get(&(self.fold(schema), self.fold(name))) {
            out.extend(keys.iter().cloned());
        }
    }

    /// The keys of the objects the text mentions. Unqualified names are looked up in the
    /// dialect's default schema and in `own_schema`.
    pub(crate) fn references(&self, text: &str, own_schema: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let default_schema = self.dialect.default_schema();
        for chain in identifier_chains(text, self.dialect) {
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
