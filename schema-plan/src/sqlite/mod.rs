//! SQLite: identifier and literal quoting, type affinities, and the realm renderer.
//!
//! SQLite cannot add a foreign key to an existing table, so foreign keys are inline in
//! `CREATE TABLE`; it does not need a referenced table to exist yet either, so tables
//! come in name order with referenced tables moved first where the references allow
//! (tables in a reference cycle keep name order). Then indexes, views (in dependency
//! order) and triggers. Objects of the `main` schema are unqualified; other schemas are
//! attached databases. SQLite has no comments and no privileges: those are not
//! rendered.
//!
//! Every creating statement carries the statement that drops it; indexes and triggers
//! are owned by their table (or view), whose drop takes them along. Changed tables are
//! altered with `ALTER TABLE` where SQLite can, and rebuilt otherwise
//! ([`alter::alter_table`]).

mod alter;

pub(crate) use alter::{alter_table, rename_statements};

use crate::Statement;
use crate::order::{Graph, Kind};
use crate::refs::{Resolver, key};
use crate::text::{starts_with_keyword, strip_terminator};
use petgraph::graph::DiGraph;
use schema_model::{
    Column, DataType, Deferrable, ForeignKey, Index, IndexKey, IndexPart, MatchType, Realm, Table,
    Trigger, TriggerAction, TriggerEvent, TriggerTiming, View,
};
use std::collections::{BTreeSet, HashMap};

pub use schema_model::quote::sqlite::{quote_ident, quote_literal};

/// A name in a schema: bare in `main`, `schema.name` in an attached database.
pub fn qualified(schema: &str, name: &str) -> String {
    if schema == "main" {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

/// The schema part of a tie-break name: empty for `main`, so that its objects come
/// before those of attached databases.
fn sort_prefix(schema: &str) -> &str {
    if schema == "main" { "" } else { schema }
}

pub(crate) fn label(kind: &str, schema: &str, name: &str) -> String {
    format!("{kind} {}", name_label(schema, name))
}

fn name_label(schema: &str, name: &str) -> String {
    if schema == "main" {
        name.to_owned()
    } else {
        format!("{schema}.{name}")
    }
}

/// The SQLite type for a column: its affinity (`INTEGER`, `TEXT`, `BLOB`, `REAL`,
/// `NUMERIC`), or `ANY` in a `STRICT` table. Types of other dialects get the affinity
/// that suits their values (text-like types `TEXT`, binary ones `BLOB`, dates and
/// decimals `NUMERIC`); [`DataType::Other`] keeps its text.
pub fn data_type(ty: &DataType) -> String {
    use DataType::*;
    match ty {
        TinyInt | SmallInt | MediumInt | Integer | BigInt => "INTEGER".into(),
        Real | Double => "REAL".into(),
        Char(_)
        | Varchar(_)
        | Text
        | TinyText
        | MediumText
        | LongText
        | Enum(_)
        | Set(_)
        | Uuid
        | Json
        | Jsonb
        | Xml
        | Inet
        | Cidr
        | Macaddr
        | Macaddr8
        | Tsvector
        | Tsquery
        | Interval { .. }
        | Array(_) => "TEXT".into(),
        Bytea | Blob | TinyBlob | MediumBlob | LongBlob | Binary(_) | Varbinary(_) | Vector(_)
        | HalfVec(_) | SparseVec(_) => "BLOB".into(),
        Boolean
        | Numeric { .. }
        | Money
        | Bit(_)
        | VarBit(_)
        | Date
        | Time { .. }
        | Timestamp { .. }
        | Datetime(_)
        | Year
        | UserDefined(_) => "NUMERIC".into(),
        Any => "ANY".into(),
        Other(text) => text.clone(),
    }
}

/// Whether a default can stand bare after `DEFAULT`: a literal, a signed number or one
/// of the `CURRENT_*` keywords. Anything else needs parentheses.
fn is_literal_default(text: &str) -> bool {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "NULL" | "TRUE" | "FALSE" | "CURRENT_TIME" | "CURRENT_DATE" | "CURRENT_TIMESTAMP"
    ) {
        return true;
    }
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !unsigned.is_empty()
        && unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '+' || c == '-')
    {
        return true;
    }
    let string = t.strip_prefix(['x', 'X']).unwrap_or(t);
    if string.len() >= 2 && string.starts_with('\'') && string.ends_with('\'') {
        // One literal, not 'a' || 'b': every inner quote is doubled.
        let inner = &string[1..string.len() - 1];
        return inner.replace("''", "").find('\'').is_none();
    }
    crate::text::is_wrapped(t, schema_model::Dialect::Sqlite)
}

fn columns(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn constraint_name(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("CONSTRAINT {} ", quote_ident(name))
    }
}

fn deferrable(value: Deferrable) -> &'static str {
    match value {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// The column that holds an `INTEGER PRIMARY KEY AUTOINCREMENT`, which must be declared
/// on the column itself.
fn autoincrement_column(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else {
        return None;
    };
    table
        .column(only)
        .is_some_and(|c| c.auto_increment)
        .then_some(only.as_str())
}

fn column_definition(table: &Table, column: &Column) -> String {
    let mut sql = quote_ident(&column.name);
    let ty = data_type(&column.data_type);
    if !ty.is_empty() {
        sql.push(' ');
        sql.push_str(&ty);
    }
    if autoincrement_column(table) == Some(column.name.as_str())
        && let Some(pk) = &table.primary_key
    {
        sql.push(' ');
        sql.push_str(&constraint_name(&pk.name));
        sql.push_str("PRIMARY KEY AUTOINCREMENT");
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        let default = default.trim();
        sql.push_str(" DEFAULT ");
        if is_literal_default(default) {
            sql.push_str(default);
        } else {
            sql.push_str(&format!("({default})"));
        }
    }
    if let Some(collation) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&quote_ident(collation));
    }
    if let Some(generated) = &column.generated {
        sql.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expression.trim(),
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    }
    sql
}

fn foreign_key(fk: &ForeignKey) -> String {
    // SQLite resolves the parent in the child's own database, and only by a bare name.
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(&fk.name),
        columns(&fk.columns),
        quote_ident(&fk.referenced_table.name),
        columns(&fk.referenced_columns)
    );
    if !fk.on_delete.is_no_action() {
        sql.push_str(" ON DELETE ");
        sql.push_str(fk.on_delete.as_sql());
    }
    if !fk.on_update.is_no_action() {
        sql.push_str(" ON UPDATE ");
        sql.push_str(fk.on_update.as_sql());
    }
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => sql.push_str(" MATCH FULL"),
        MatchType::Partial => sql.push_str(" MATCH PARTIAL"),
    }
    sql.push_str(deferrable(fk.deferrable));
    sql
}

/// `CREATE TABLE` with every constraint inline, foreign keys included, and
/// `WITHOUT ROWID` / `STRICT`.
pub fn create_table(schema: &str, table: &Table) -> Statement {
    let mut items: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_definition(table, c))
        .collect();
    if let Some(pk) = &table.primary_key
        && autoincrement_column(table).is_none()
    {
        items.push(format!(
            "{}PRIMARY KEY ({})",
            constraint_name(&pk.name),
            columns(&pk.columns)
        ));
    }
    for unique in table.uniques.values() {
        items.push(format!(
            "{}UNIQUE ({})",
            constraint_name(&unique.name),
            columns(&unique.columns)
        ));
    }
    for check in table.checks.values() {
        items.push(format!(
            "{}CHECK ({})",
            constraint_name(&check.name),
            check.expression.trim()
        ));
    }
    items.extend(table.foreign_keys.values().map(foreign_key));
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(schema, &table.name),
        items.join(",\n    ")
    );
    let mut options = Vec::new();
    if table.options.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if table.options.strict {
        options.push("STRICT");
    }
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(", "));
    }
    Statement::new(sql, format!("table {}", name_label(schema, &table.name)))
        .undo(format!("DROP TABLE {}", qualified(schema, &table.name)))
}

fn index_part(part: &IndexPart) -> String {
    let mut sql = match &part.key {
        IndexKey::Column(name) => quote_ident(name),
        IndexKey::Expression(e) => {
            let e = e.trim();
            if crate::text::is_wrapped(e, schema_model::Dialect::Sqlite) {
                e.to_owned()
            } else {
                format!("({e})")
            }
        }
    };
    if let Some(collation) = &part.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&quote_ident(collation));
    }
    if part.descending {
        sql.push_str(" DESC");
    }
    sql
}

/// `CREATE [UNIQUE] INDEX [schema.]name ON table (parts) [WHERE ...]`.
pub fn create_index(schema: &str, table: &str, index: &Index) -> Statement {
    let parts: Vec<String> = index.parts.iter().map(index_part).collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        qualified(schema, &index.name),
        quote_ident(table),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(predicate.trim());
    }
    Statement::new(sql, format!("index {}", name_label(schema, &index.name)))
        .undo(format!("DROP INDEX {}", qualified(schema, &index.name)))
}

/// `CREATE VIEW`.
pub fn create_view(schema: &str, view: &View) -> Statement {
    let mut sql = format!("CREATE VIEW {}", qualified(schema, &view.name));
    if !view.columns.is_empty() {
        sql.push_str(&format!(" ({})", columns(&view.columns)));
    }
    sql.push_str(" AS\n");
    sql.push_str(strip_terminator(&view.definition));
    Statement::new(sql, format!("view {}", name_label(schema, &view.name)))
        .undo(format!("DROP VIEW {}", qualified(schema, &view.name)))
}

/// `CREATE TRIGGER ... BEGIN ... END`; a stored body without its `BEGIN ... END` gets
/// one.
pub fn create_trigger(schema: &str, relation: &str, trigger: &Trigger) -> Statement {
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
            TriggerEvent::Update { columns: c } if c.is_empty() => "UPDATE".to_owned(),
            TriggerEvent::Update { columns: c } => format!("UPDATE OF {}", columns(c)),
            TriggerEvent::Delete => "DELETE".to_owned(),
            TriggerEvent::Truncate => "TRUNCATE".to_owned(),
        })
        .collect();
    let mut sql = format!(
        "CREATE TRIGGER {} {timing} {} ON {}",
        qualified(schema, &trigger.name),
        events.join(" OR "),
        quote_ident(relation)
    );
    if trigger.for_each_row {
        sql.push_str(" FOR EACH ROW");
    }
    if let Some(when) = &trigger.when {
        sql.push_str(" WHEN ");
        sql.push_str(when.trim());
    }
    let body = match &trigger.action {
        TriggerAction::Body(body) => body.trim().to_owned(),
        TriggerAction::Function { function, .. } => {
            format!("SELECT {}()", quote_ident(&function.name))
        }
    };
    sql.push('\n');
    if starts_with_keyword(&body, "BEGIN") {
        sql.push_str(strip_terminator(&body));
    } else {
        sql.push_str(&format!("BEGIN\n    {};\nEND", strip_terminator(&body)));
    }
    Statement::new(
        sql,
        format!(
            "trigger {} on {}",
            trigger.name,
            name_label(schema, relation)
        ),
    )
    .undo(format!("DROP TRIGGER {}", qualified(schema, &trigger.name)))
}

/// Renders a SQLite realm; see the module documentation for the order.
pub fn render_realm(realm: &Realm) -> Vec<Statement> {
    render_graph(realm).into_statements()
}

/// The realm's statements as nodes with their dependencies, before sorting.
pub(crate) fn render_graph(realm: &Realm) -> Graph {
    let resolver = Resolver::new(realm);
    let mut graph = Graph::default();
    for name in realm.schemas.keys().filter(|s| s.as_str() != "main") {
        graph.add(
            Kind::Schema,
            format!("schema {name}"),
            name.clone(),
            vec![
                Statement::new(
                    format!(
                        "ATTACH DATABASE {} AS {}",
                        quote_literal(&format!("{name}.db")),
                        quote_ident(name)
                    ),
                    format!("schema {name}"),
                )
                .undo(format!("DETACH DATABASE {}", quote_ident(name))),
            ],
        );
    }
    for (s, schema) in &realm.schemas {
        let depend_all = |graph: &mut Graph, node: &str, deps: BTreeSet<String>| {
            graph.depend(node.to_owned(), format!("schema {s}"));
            for dep in deps {
                graph.depend(node.to_owned(), dep);
            }
        };
        for (from, to) in acyclic_references(schema) {
            graph.depend(key("table", s, from), key("table", s, to));
        }
        for table in schema.tables.values() {
            let table_key = key("table", s, &table.name);
            depend_all(&mut graph, &table_key, BTreeSet::new());
            graph.add(
                Kind::Table,
                table_key.clone(),
                format!("{}.{}", sort_prefix(s), table.name),
                vec![create_table(s, table)],
            );
            for index in table.indexes.values() {
                let node = format!("index {s} {}", index.name);
                depend_all(&mut graph, &node, BTreeSet::from([table_key.clone()]));
                graph.own(node.clone(), table_key.clone());
                graph.add(
                    Kind::Index,
                    node,
                    format!("{}.{}", sort_prefix(s), index.name),
                    vec![create_index(s, &table.name, index)],
                );
            }
            add_triggers(
                &mut graph,
                &resolver,
                s,
                &table.name,
                &table_key,
                table.triggers.values(),
            );
        }
        for view in schema.views.values() {
            let view_key = key("view", s, &view.name);
            let deps = resolver.references(&view.definition, s);
            depend_all(&mut graph, &view_key, deps);
            graph.add(
                Kind::View,
                view_key.clone(),
                format!("{}.{}", sort_prefix(s), view.name),
                vec![create_view(s, view)],
            );
            add_triggers(
                &mut graph,
                &resolver,
                s,
                &view.name,
                &view_key,
                view.triggers.values(),
            );
        }
        for (object_key, object) in &schema.other_objects {
            let node = format!("opaque {s} {object_key}");
            depend_all(&mut graph, &node, BTreeSet::new());
            // Virtual tables, the one kind SQLite keeps whole, go with `DROP TABLE`.
            let drop = format!("DROP TABLE {}", object.name);
            let statements = object
                .definition
                .iter()
                .enumerate()
                .map(|(i, sql)| {
                    let statement =
                        Statement::new(sql.trim(), format!("{} {}", object.kind, object.name));
                    if i == 0 && object.kind == "virtual table" {
                        statement.undo(drop.clone())
                    } else {
                        statement
                    }
                })
                .collect();
            graph.add(
                Kind::Opaque,
                node,
                format!("{}.{object_key}", sort_prefix(s)),
                statements,
            );
        }
    }
    graph
}

fn add_triggers<'a>(
    graph: &mut Graph,
    resolver: &Resolver,
    schema: &str,
    relation: &str,
    relation_key: &str,
    triggers: impl Iterator<Item = &'a Trigger>,
) {
    for trigger in triggers {
        let node = format!("trigger {schema} {}", trigger.name);
        graph.depend(node.clone(), relation_key.to_owned());
        graph.own(node.clone(), relation_key.to_owned());
        if let TriggerAction::Body(body) = &trigger.action {
            // The tables and views a body writes need not exist at creation, but a
            // script reads better with them first.
            for dep in resolver.references(body, schema) {
                graph.depend(node.clone(), dep);
            }
        }
        graph.add(
            Kind::Trigger,
            node,
            format!("{}.{}", sort_prefix(schema), trigger.name),
            vec![create_trigger(schema, relation, trigger)],
        );
    }
}

/// Foreign key references between tables of one schema, `(referencing, referenced)`,
/// leaving out those inside a reference cycle (self-references included): their order
/// cannot be satisfied, and SQLite does not need it to be.
fn acyclic_references(schema: &schema_model::Schema) -> Vec<(&str, &str)> {
    let mut graph: DiGraph<&str, ()> = DiGraph::new();
    let mut nodes = HashMap::new();
    for name in schema.tables.keys() {
        nodes.insert(name.as_str(), graph.add_node(name.as_str()));
    }
    let mut references = Vec::new();
    for table in schema.tables.values() {
        for fk in table.foreign_keys.values() {
            let target = fk.referenced_table.name.as_str();
            if let (Some(&from), Some(&to)) = (nodes.get(table.name.as_str()), nodes.get(target)) {
                graph.update_edge(to, from, ());
                references.push((table.name.as_str(), target));
            }
        }
    }
    let mut component = HashMap::new();
    for (i, scc) in petgraph::algo::tarjan_scc(&graph).into_iter().enumerate() {
        for node in scc {
            component.insert(graph[node], i);
        }
    }
    references.retain(|(from, to)| component.get(from) != component.get(to));
    references
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {}

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("Users"), "Users");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("Order"), "\"Order\"");
        assert_eq!(quote_ident("a b"), "\"a b\"");
        assert_eq!(quote_ident("x\"y"), "\"x\"\"y\"");
        assert_eq!(qualified("main", "t"), "t");
        assert_eq!(qualified("aux", "t"), "aux.t");
    }

    #[test]
    fn literal_defaults() {
        for bare in [
            "1",
            "-1.5",
            "1e10",
            "'a''b'",
            "X'00'",
            "NULL",
            "current_timestamp",
            "(1 + 2)",
        ] {
            assert!(is_literal_default(bare), "{bare}");
        }
        for expr in ["datetime('now')", "'a' || 'b'", "1 + 2", "abs(-1)"] {
            assert!(!is_literal_default(expr), "{expr}");
        }
    }
}
