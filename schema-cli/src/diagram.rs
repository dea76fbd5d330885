//! Entity-relationship diagrams of a realm: Mermaid (`erDiagram`) and Graphviz DOT.
//!
//! Both show every table, its key columns (primary key, unique and foreign key columns,
//! with their types) and one edge per foreign key, from the referencing table to the
//! referenced one, labelled with the constraint's name. Columns that are in no key are
//! counted, not listed: a diagram is for seeing the shape of a schema, the SQL and JSON
//! outputs are for its details.

use schema_model::{QualifiedName, Realm};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// One table as a diagram shows it.
struct Entity {
    name: String,
    /// (column, type, key markers such as `PK`, `FK`, `UK`)
    keys: Vec<(String, String, Vec<&'static str>)>,
    other_columns: usize,
}

/// One foreign key edge.
struct Relation {
    from: String,
    to: String,
    label: String,
    /// Whether the referencing columns may be null (zero or one parent).
    optional: bool,
    /// Whether the referencing columns are themselves unique (one-to-one).
    unique: bool,
}

/// The name a diagram gives a table: unqualified in the dialect's default schema.
fn display_name(realm: &Realm, name: &QualifiedName) -> String {
    if name.schema == realm.dialect.default_schema() || name.schema.is_empty() {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

fn entities(realm: &Realm) -> (Vec<Entity>, Vec<Relation>) {
    let mut entities = Vec::new();
    let mut relations = Vec::new();
    for schema in realm.schemas.values() {
        for table in schema.tables.values() {
            let qualified = QualifiedName::new(schema.name.clone(), table.name.clone());
            let name = display_name(realm, &qualified);
            let pk: BTreeSet<&str> = table
                .primary_key
                .iter()
                .flat_map(|pk| pk.columns.iter().map(String::as_str))
                .collect();
            let fk: BTreeSet<&str> = table
                .foreign_keys
                .values()
                .flat_map(|fk| fk.columns.iter().map(String::as_str))
                .collect();
            let unique_sets: Vec<Vec<String>> = table
                .uniques
                .values()
                .map(|u| u.columns.clone())
                .chain(
                    table
                        .indexes
                        .values()
                        .filter(|i| i.unique && i.predicate.is_none())
                        .filter_map(index_columns),
                )
                .collect();
            let uk: BTreeSet<&str> = unique_sets
                .iter()
                .flat_map(|cols| cols.iter().map(String::as_str))
                .collect();
            let mut keys = Vec::new();
            for column in &table.columns {
                let mut markers = Vec::new();
                if pk.contains(column.name.as_str()) {
                    markers.push("PK");
                }
                if fk.contains(column.name.as_str()) {
                    markers.push("FK");
                }
                if uk.contains(column.name.as_str()) {
                    markers.push("UK");
                }
                if !markers.is_empty() {
                    keys.push((column.name.clone(), column.data_type.to_string(), markers));
                }
            }
            let other_columns = table.columns.len() - keys.len();
            for foreign_key in table.foreign_keys.values() {
                let optional = foreign_key
                    .columns
                    .iter()
                    .any(|c| table.column(c).is_none_or(|col| col.nullable));
                let mut fk_columns = foreign_key.columns.clone();
                fk_columns.sort();
                let unique = table
                    .primary_key
                    .iter()
                    .map(|pk| &pk.columns)
                    .chain(unique_sets.iter())
                    .any(|cols| {
                        let mut cols = cols.clone();
                        cols.sort();
                        cols == fk_columns
                    });
                relations.push(Relation {
                    from: name.clone(),
                    to: display_name(realm, &foreign_key.referenced_table),
                    label: foreign_key.name.clone(),
                    optional,
                    unique,
                });
            }
            entities.push(Entity {
                name,
                keys,
                other_columns,
            });
        }
    }
    (entities, relations)
}

/// The columns of an index made of plain columns only.
fn index_columns(index: &schema_model::Index) -> Option<Vec<String>> {
    index
        .parts
        .iter()
        .map(|part| match &part.key {
            schema_model::IndexKey::Column(name) => Some(name.clone()),
            schema_model::IndexKey::Expression(_) => None,
        })
        .collect()
}

/// Mermaid's attribute words allow letters, digits, `_`, `-`, `(`, `)`, `[` and `]`;
/// anything else (spaces in `character varying`, commas in `numeric(10,2)`) becomes `_`.
fn mermaid_word(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-()[]".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn mermaid_string(text: &str) -> String {
    // Mermaid strings cannot hold a double quote; `#quot;` is its escape.
    format!("\"{}\"", text.replace('"', "#quot;"))
}

/// The realm as a Mermaid `erDiagram`.
pub fn mermaid(realm: &Realm) -> String {
    let (entities, relations) = entities(realm);
    let mut out = String::from("erDiagram\n");
    for entity in &entities {
        let _ = writeln!(out, "    {} {{", mermaid_string(&entity.name));
        for (column, data_type, markers) in &entity.keys {
            let word = mermaid_word(column);
            let _ = write!(
                out,
                "        {} {} {}",
                mermaid_word(data_type),
                word,
                markers.join(", ")
            );
            if word != *column {
                let _ = write!(out, " {}", mermaid_string(column));
            }
            out.push('\n');
        }
        if entity.other_columns > 0 && entity.keys.is_empty() {
            // An entity block may not be empty of attributes and still show a count,
            // so the count rides on a placeholder attribute.
            let _ = writeln!(
                out,
                "        columns {} {}",
                entity.other_columns,
                mermaid_string("not in a key")
            );
        }
        let _ = writeln!(out, "    }}");
    }
    for relation in &relations {
        let child = if relation.unique { "|o" } else { "}o" };
        let parent = if relation.optional { "o|" } else { "||" };
        let _ = writeln!(
            out,
            "    {} {child}--{parent} {} : {}",
            mermaid_string(&relation.from),
            mermaid_string(&relation.to),
            mermaid_string(&relation.label)
        );
    }
    out
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn dot_id(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The realm as a Graphviz `digraph`, one HTML-table node per table.
pub fn dot(realm: &Realm) -> String {
    let (entities, relations) = entities(realm);
    let mut out = String::from(
        "digraph schema {\n    rankdir=LR;\n    node [shape=plain, fontname=\"Helvetica\"];\n    edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for entity in &entities {
        let _ = write!(
            out,
            "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\"><tr><td colspan=\"3\"><b>{}</b></td></tr>",
            dot_id(&entity.name),
            html(&entity.name)
        );
        for (column, data_type, markers) in &entity.keys {
            let _ = write!(
                out,
                "<tr><td align=\"left\">{}</td><td align=\"left\">{}</td><td>{}</td></tr>",
                html(column),
                html(data_type),
                markers.join(" ")
            );
        }
        if entity.other_columns > 0 {
            let noun = if entity.other_columns == 1 {
                "column"
            } else {
                "columns"
            };
            let _ = write!(
                out,
                "<tr><td colspan=\"3\"><i>{} more {noun}</i></td></tr>",
                entity.other_columns
            );
        }
        let _ = writeln!(out, "</table>>];");
    }
    for relation in &relations {
        let style = if relation.optional {
            ", style=dashed"
        } else {
            ""
        };
        let head = if relation.unique {
            "teetee"
        } else {
            "crowodot"
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label={}, arrowtail={head}, arrowhead=tee, dir=both{style}];",
            dot_id(&relation.from),
            dot_id(&relation.to),
            dot_id(&relation.label)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_inspect::{LoadOptions, load_sql};
    use schema_model::Dialect;

    fn realm(dialect: Dialect, sql: &str) -> Realm {
        match load_sql(sql, "test.sql", &LoadOptions::new(dialect)) {
            Ok(loaded) => loaded.realm,
            Err(error) => panic!("{error}"),
        }
    }

    const SCHEMA: &str = "
        CREATE SCHEMA billing;
        CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, bio text);
        CREATE TABLE profiles (user_id bigint PRIMARY KEY REFERENCES users, \"Display Name\" text);
        CREATE TABLE billing.invoices (
            id bigint PRIMARY KEY,
            user_id bigint REFERENCES users (id),
            total numeric(10,2) NOT NULL,
            issued_by bigint NOT NULL,
            CONSTRAINT issued_by_fk FOREIGN KEY (issued_by) REFERENCES users (id)
        );
        CREATE TABLE notes (body text);";

    #[test]
    fn mermaid_shows_key_columns_and_relations() {
        insta::assert_snapshot!(mermaid(&realm(Dialect::Postgres, SCHEMA)));
    }

    #[test]
    fn dot_shows_key_columns_and_relations() {
        insta::assert_snapshot!(dot(&realm(Dialect::Postgres, SCHEMA)));
    }
}
