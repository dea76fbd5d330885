//! MySQL and MariaDB: identifier and literal quoting, type spellings, and the realm
//! renderer.
//!
//! Objects of the schema named `""` (the connection's database) are rendered
//! unqualified; those of other schemas qualified, after a `CREATE DATABASE`. Order:
//! databases, routines (their bodies are bound late, and generated columns or views may
//! call them), tables with their indexes inline, foreign keys as `ALTER TABLE` (which
//! breaks reference cycles), views in dependency order, triggers, then events and
//! opaque objects as stored.
//!
//! Every creating statement carries the statement that drops it, and the indexes,
//! foreign keys and triggers of a table are owned by it, so that a plan drops a table
//! without first dropping what goes with it. Changed tables are altered in place
//! ([`alter::alter_table`]).

mod alter;

pub(crate) use alter::{alter_table, rename_statements};

use crate::Statement;
use crate::order::{Graph, Kind};
use crate::refs::{Resolver, key};
use crate::text::strip_terminator;
use schema_model::{
    ArgumentMode, CheckOption, Column, DataType, Event, EventSchedule, EventStatus, ForeignKey,
    Function, FunctionKind, Index, IndexKey, IndexMethod, IndexPart, PartitionBy,
    PartitionStrategy, Realm, Schema, Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming,
    View,
};
use std::collections::BTreeSet;

pub use schema_model::quote::mysql::{quote_ident, quote_literal};

/// A name in a schema: bare in the connection's database (schema `""`), `db`.`name`
/// elsewhere.
pub fn qualified(schema: &str, name: &str) -> String {
    if schema.is_empty() {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

fn name_label(schema: &str, name: &str) -> String {
    if schema.is_empty() {
        name.to_owned()
    } else {
        format!("{schema}.{name}")
    }
}

pub(crate) fn label(kind: &str, schema: &str, name: &str) -> String {
    format!("{kind} {}", name_label(schema, name))
}

/// The MySQL spelling of a type, `unsigned` appended for numeric types when asked.
/// Types of other dialects map to their nearest MySQL type (`boolean` to `tinyint(1)`,
/// `bytea` to `longblob`, `jsonb` to `json`, `timestamptz` to `timestamp`, arrays to
/// `json`).
pub fn data_type(ty: &DataType, unsigned: bool) -> String {
    use DataType::*;
    let with_length = |name: &str, n: &Option<u32>| match n {
        Some(n) => format!("{name}({n})"),
        None => name.to_owned(),
    };
    let list = |name: &str, values: &[String]| {
        let values: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
        format!("{name}({})", values.join(","))
    };
    let base = match ty {
        Boolean => "tinyint(1)".into(),
        TinyInt => "tinyint".into(),
        SmallInt => "smallint".into(),
        MediumInt => "mediumint".into(),
        Integer => "int".into(),
        BigInt => "bigint".into(),
        Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("decimal({p},{s})"),
            (Some(p), None) => format!("decimal({p})"),
            _ => "decimal".into(),
        },
        Real => "float".into(),
        Double => "double".into(),
        Money => "decimal(19,4)".into(),
        Char(n) => format!("char({n})"),
        Varchar(Some(n)) => format!("varchar({n})"),
        Varchar(None) | Text | Xml | Tsvector | Tsquery | Interval { .. } | Any => "text".into(),
        TinyText => "tinytext".into(),
        MediumText => "mediumtext".into(),
        LongText => "longtext".into(),
        Bytea | LongBlob => "longblob".into(),
        Blob => "blob".into(),
        TinyBlob => "tinyblob".into(),
        MediumBlob => "mediumblob".into(),
        Binary(n) => format!("binary({n})"),
        Varbinary(n) => format!("varbinary({n})"),
        Bit(n) => format!("bit({n})"),
        VarBit(n) => format!("bit({})", n.unwrap_or(64)),
        Date => "date".into(),
        Time { precision, .. } => with_length("time", precision),
        Timestamp { precision, .. } => with_length("timestamp", precision),
        Datetime(precision) => with_length("datetime", precision),
        Year => "year".into(),
        Uuid => "uuid".into(),
        Json | Jsonb | Array(_) => "json".into(),
        Inet | Cidr => "varchar(43)".into(),
        Macaddr | Macaddr8 => "varchar(23)".into(),
        Vector(n) | HalfVec(n) | SparseVec(n) => with_length("vector", n),
        Enum(values) => list("enum", values),
        Set(values) => list("set", values),
        UserDefined(name) => qualified(&name.schema, &name.name),
        Other(text) => text.clone(),
    };
    let numeric = ty.is_integer() || matches!(ty, Numeric { .. } | Real | Double | Money | Boolean);
    if unsigned && numeric {
        format!("{base} unsigned")
    } else {
        base
    }
}

fn columns(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `name type [CHARACTER SET] [COLLATE] [GENERATED ...] [NOT NULL] [DEFAULT]
/// [AUTO_INCREMENT] [ON UPDATE] [INVISIBLE] [COMMENT]`.
fn column_definition(column: &Column) -> String {
    let mut sql = format!(
        "{} {}",
        quote_ident(&column.name),
        data_type(&column.data_type, column.unsigned)
    );
    if let Some(charset) = &column.charset {
        sql.push_str(" CHARACTER SET ");
        sql.push_str(charset);
    }
    if let Some(collation) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(collation);
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
    if !column.nullable {
        sql.push_str(" NOT NULL");
    } else if matches!(column.data_type, DataType::Timestamp { .. }) && column.generated.is_none() {
        // Without explicit_defaults_for_timestamp a bare timestamp column is NOT NULL.
        sql.push_str(" NULL");
    }
    if let Some(default) = &column.default {
        sql.push_str(" DEFAULT ");
        sql.push_str(default.trim());
    }
    if column.auto_increment {
        sql.push_str(" AUTO_INCREMENT");
    }
    if let Some(on_update) = &column.on_update {
        sql.push_str(" ON UPDATE ");
        sql.push_str(on_update.trim());
    }
    if column.invisible {
        sql.push_str(" INVISIBLE");
    }
    if let Some(comment) = &column.comment {
        sql.push_str(" COMMENT ");
        sql.push_str(&quote_literal(comment));
    }
    sql
}

fn index_part(part: &IndexPart) -> String {
    let mut sql = match &part.key {
        IndexKey::Column(name) => quote_ident(name),
        IndexKey::Expression(e) => format!("({})", e.trim()),
    };
    if let Some(length) = part.prefix_length {
        sql.push_str(&format!("({length})"));
    }
    if part.descending {
        sql.push_str(" DESC");
    }
    sql
}

/// An index as a `CREATE TABLE` item: `[UNIQUE | FULLTEXT | SPATIAL] KEY name (parts)`.
fn index_item(index: &Index) -> String {
    let kind = match (&index.method, index.unique) {
        (IndexMethod::Fulltext, _) => "FULLTEXT KEY",
        (IndexMethod::Spatial, _) => "SPATIAL KEY",
        (IndexMethod::Other(method), _) if method == "vector" => "VECTOR INDEX",
        (_, true) => "UNIQUE KEY",
        (_, false) => "KEY",
    };
    let parts: Vec<String> = index.parts.iter().map(index_part).collect();
    let mut sql = format!("{kind} {} ({})", quote_ident(&index.name), parts.join(", "));
    if index.method == IndexMethod::Hash {
        sql.push_str(" USING HASH");
    }
    // MariaDB's vector index options, in the order it prints them.
    for option in ["m", "distance"] {
        if let Some(value) = index.parameters.get(option) {
            sql.push_str(&format!(" {}={value}", option.to_uppercase()));
        }
    }
    if let Some(parser) = index.parameters.get("parser") {
        sql.push_str(" WITH PARSER ");
        sql.push_str(&quote_ident(parser));
    }
    if let Some(comment) = &index.comment {
        sql.push_str(" COMMENT ");
        sql.push_str(&quote_literal(comment));
    }
    sql
}

fn partition_clause(table: &Table, by: &PartitionBy) -> String {
    let is_column = |k: &String| table.column(k).is_some();
    let key_list = |keys: &[String]| -> String {
        keys.iter()
            .map(|k| {
                if is_column(k) {
                    quote_ident(k)
                } else {
                    k.trim().to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // RANGE and LIST take one integer expression; several keys or a non-integer
    // column need the COLUMNS form.
    let needs_columns = by.keys.len() > 1
        || by
            .keys
            .first()
            .and_then(|k| table.column(k))
            .is_some_and(|c| !c.data_type.is_integer());
    let head = match by.strategy {
        PartitionStrategy::Range if needs_columns => "RANGE COLUMNS",
        PartitionStrategy::Range => "RANGE",
        PartitionStrategy::List if needs_columns => "LIST COLUMNS",
        PartitionStrategy::List => "LIST",
        PartitionStrategy::Hash => "HASH",
        PartitionStrategy::Key => "KEY",
    };
    let mut sql = format!("PARTITION BY {head} ({})", key_list(&by.keys));
    // A partition count alone is kept as the one entry `PARTITIONS n`.
    if let [count] = by.partitions.as_slice()
        && count
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("PARTITIONS ")
    {
        sql.push(' ');
        sql.push_str(count.trim());
        return sql;
    }
    if !by.partitions.is_empty() {
        let partitions: Vec<&str> = by.partitions.iter().map(|p| p.trim()).collect();
        sql.push_str(&format!("\n(\n    {}\n)", partitions.join(",\n    ")));
    }
    sql
}

/// `CONSTRAINT name CHECK (expr) [NOT ENFORCED]`.
fn check_item(check: &schema_model::Check) -> String {
    format!(
        "CONSTRAINT {} CHECK ({}){}",
        quote_ident(&check.name),
        check.expression.trim(),
        if check.not_enforced {
            " NOT ENFORCED"
        } else {
            ""
        }
    )
}

/// The table options in `CREATE TABLE` order: `ENGINE`, `DEFAULT CHARSET`, `COLLATE`,
/// `ROW_FORMAT`, `COMMENT`, each `None` when unset.
fn table_options(table: &Table) -> [Option<String>; 5] {
    let o = &table.options;
    [
        o.engine.as_ref().map(|e| format!("ENGINE={e}")),
        o.charset.as_ref().map(|c| format!("DEFAULT CHARSET={c}")),
        o.collation.as_ref().map(|c| format!("COLLATE={c}")),
        o.row_format.as_ref().map(|r| format!("ROW_FORMAT={r}")),
        table
            .comment
            .as_ref()
            .map(|c| format!("COMMENT={}", quote_literal(c))),
    ]
}

/// `CREATE TABLE` with columns, primary key, indexes and checks inline, and the table
/// options. Foreign keys are separate ([`add_foreign_key`]).
pub fn create_table(schema: &str, table: &Table) -> Statement {
    let mut items: Vec<String> = table.columns.iter().map(column_definition).collect();
    if let Some(pk) = &table.primary_key {
        items.push(format!("PRIMARY KEY ({})", columns(&pk.columns)));
    }
    for unique in table.uniques.values() {
        items.push(format!(
            "UNIQUE KEY {} ({})",
            quote_ident(&unique.name),
            columns(&unique.columns)
        ));
    }
    items.extend(table.indexes.values().map(index_item));
    items.extend(table.checks.values().map(check_item));
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(schema, &table.name),
        items.join(",\n    ")
    );
    let options: Vec<String> = table_options(table).into_iter().flatten().collect();
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(" "));
    }
    if let Some(by) = &table.partition_by {
        sql.push('\n');
        sql.push_str(&partition_clause(table, by));
    }
    Statement::new(sql, label("table", schema, &table.name))
        .undo(format!("DROP TABLE {}", qualified(schema, &table.name)))
}

/// `ADD CONSTRAINT ... FOREIGN KEY ...`, the clause.
fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut sql = format!(
        "ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        columns(&fk.columns),
        qualified(&fk.referenced_table.schema, &fk.referenced_table.name),
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
    sql
}

/// The statement `sql` that adds `fk` to a table (with the foreign key clause last), and
/// drops the key to undo.
fn foreign_key_statement(schema: &str, table: &str, fk: &ForeignKey, sql: String) -> Statement {
    Statement::new(
        sql,
        format!("foreign key {} on {}", fk.name, name_label(schema, table)),
    )
    .undo(format!(
        "ALTER TABLE {} DROP FOREIGN KEY {}",
        qualified(schema, table),
        quote_ident(&fk.name)
    ))
}

/// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...`.
pub fn add_foreign_key(schema: &str, table: &str, fk: &ForeignKey) -> Statement {
    let sql = format!(
        "ALTER TABLE {} {}",
        qualified(schema, table),
        foreign_key_clause(fk)
    );
    foreign_key_statement(schema, table, fk, sql)
}

/// The index of `table` that a foreign key on `columns` named `fk_name` would leave in
/// place of one the server made for it: a plain key on exactly those columns, under
/// another name, that no other key of the table covers.
///
/// MariaDB (seen on 10.11) marks the index it creates for a foreign key as generated,
/// and keeps the mark after the key is dropped. Adding a foreign key creates a new
/// generated index named after the constraint, which replaces a generated index on the
/// same columns (a key the user declared, or one that covers the columns, makes the
/// new one unnecessary instead). So re-adding `posts_ibfk_1` on `author_id` renames the
/// index `author_id` of `CREATE TABLE ... FOREIGN KEY (author_id)` to `posts_ibfk_1`.
/// The mark cannot be read back, and no other key covers the columns of an index so
/// marked: the server drops a generated index as soon as one does.
fn fk_index_at_risk<'t>(table: &'t Table, fk_name: &str, columns: &[String]) -> Option<&'t Index> {
    let column_names = |index: &Index| -> Option<Vec<String>> {
        index
            .parts
            .iter()
            .map(|p| match &p.key {
                IndexKey::Column(c) if p.prefix_length.is_none() => Some(c.clone()),
                _ => None,
            })
            .collect()
    };
    let plain = |index: &Index| {
        !index.unique
            && index.method == IndexMethod::Btree
            && index.comment.is_none()
            && index.parameters.is_empty()
            && index.parts.iter().all(|p| !p.descending)
    };
    let index = table.indexes.values().find(|index| {
        index.name != fk_name
            && plain(index)
            && column_names(index).is_some_and(|c| c.as_slice() == columns)
    })?;
    let covers = |cols: &[String]| cols.starts_with(columns);
    let covered = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| covers(&pk.columns))
        || table.uniques.values().any(|u| covers(&u.columns))
        || table.indexes.values().any(|other| {
            other.name != index.name
                && matches!(other.method, IndexMethod::Btree | IndexMethod::Hash)
                && column_names(other).is_some_and(|c| covers(&c))
        });
    (!covered).then_some(index)
}

/// [`add_foreign_key`] for a table that exists before the plan, which may hold an
/// index the server made for an earlier foreign key on the same columns (see
/// [`fk_index_at_risk`]). When the desired table keeps such an index unchanged, the
/// statement drops and re-adds it as a declared key first, so that the new foreign key
/// rests on it and the index keeps its name, as a fresh `CREATE TABLE` has it. The
/// index is rebuilt with the table, which adding a checked foreign key copies anyway.
pub(crate) fn add_foreign_key_to_existing(
    schema: &str,
    old: &Table,
    new: &Table,
    fk: &ForeignKey,
) -> Statement {
    let plain = || add_foreign_key(schema, &new.name, fk);
    let Some(index) = fk_index_at_risk(new, &fk.name, &fk.columns) else {
        return plain();
    };
    let unchanged = old.indexes.get(&index.name) == Some(index)
        && fk_index_at_risk(old, &fk.name, &fk.columns).map(|i| &i.name) == Some(&index.name);
    if !unchanged {
        // The table's own change adds the index anew (declared), or another key
        // serves the foreign key before: no index the server made is in the way.
        return plain();
    }
    let sql = format!(
        "ALTER TABLE {}\n    DROP INDEX {},\n    ADD {},\n    {}",
        qualified(schema, &new.name),
        quote_ident(&index.name),
        index_item(index),
        foreign_key_clause(fk)
    );
    foreign_key_statement(schema, &new.name, fk, sql)
}

/// `CREATE [SQL SECURITY ...] VIEW`.
pub fn create_view(schema: &str, view: &View) -> Statement {
    let mut sql = "CREATE ".to_owned();
    if let Some(security) = &view.security {
        sql.push_str(&format!("SQL SECURITY {security} "));
    }
    sql.push_str("VIEW ");
    sql.push_str(&qualified(schema, &view.name));
    if !view.columns.is_empty() {
        sql.push_str(&format!(" ({})", columns(&view.columns)));
    }
    sql.push_str(" AS\n");
    sql.push_str(strip_terminator(&view.definition));
    match view.check_option {
        Some(CheckOption::Local) => sql.push_str("\n  WITH LOCAL CHECK OPTION"),
        Some(CheckOption::Cascaded) => sql.push_str("\n  WITH CASCADED CHECK OPTION"),
        None => {}
    }
    Statement::new(sql, label("view", schema, &view.name))
        .undo(format!("DROP VIEW {}", qualified(schema, &view.name)))
}

/// `CREATE TRIGGER ... FOR EACH ROW <body>`, the body as stored.
pub fn create_trigger(schema: &str, table: &str, trigger: &Trigger) -> Statement {
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<&str> = trigger
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update { .. } => "UPDATE",
            TriggerEvent::Delete => "DELETE",
            TriggerEvent::Truncate => "TRUNCATE",
        })
        .collect();
    let body = match &trigger.action {
        TriggerAction::Body(body) => strip_terminator(body).to_owned(),
        TriggerAction::Function {
            function,
            arguments,
        } => {
            let args: Vec<String> = arguments.iter().map(|a| quote_literal(a)).collect();
            format!(
                "CALL {}({})",
                qualified(&function.schema, &function.name),
                args.join(", ")
            )
        }
    };
    let sql = format!(
        "CREATE TRIGGER {} {timing} {} ON {} FOR EACH ROW\n{body}",
        qualified(schema, &trigger.name),
        events.join(" OR "),
        qualified(schema, table)
    );
    Statement::new(
        sql,
        format!("trigger {} on {}", trigger.name, name_label(schema, table)),
    )
    .undo(format!("DROP TRIGGER {}", qualified(schema, &trigger.name)))
}

/// `CREATE FUNCTION` or `CREATE PROCEDURE`, with the characteristics and the body as
/// stored.
pub fn create_routine(schema: &str, function: &Function) -> Statement {
    let is_procedure = function.kind == FunctionKind::Procedure;
    let args: Vec<String> = function
        .arguments
        .iter()
        .map(|a| {
            let mode = match (is_procedure, a.mode) {
                (false, _) => "",
                (true, ArgumentMode::In | ArgumentMode::Variadic) => "IN ",
                (true, ArgumentMode::Out) => "OUT ",
                (true, ArgumentMode::InOut) => "INOUT ",
            };
            let name = a.name.as_deref().map(quote_ident).unwrap_or_default();
            format!("{mode}{name} {}", data_type(&a.data_type, false))
                .trim()
                .to_owned()
        })
        .collect();
    let word = if is_procedure {
        "PROCEDURE"
    } else {
        "FUNCTION"
    };
    let mut sql = format!(
        "CREATE {word} {}({})",
        qualified(schema, &function.name),
        args.join(", ")
    );
    if let (false, Some(returns)) = (is_procedure, &function.returns) {
        sql.push_str(" RETURNS ");
        sql.push_str(returns.trim());
    }
    for attribute in &function.attributes {
        sql.push_str("\n    ");
        sql.push_str(attribute.trim());
    }
    if let Some(comment) = &function.comment {
        sql.push_str("\n    COMMENT ");
        sql.push_str(&quote_literal(comment));
    }
    sql.push('\n');
    sql.push_str(strip_terminator(&function.body));
    Statement::new(
        sql,
        label(&word.to_ascii_lowercase(), schema, &function.name),
    )
    .undo(format!("DROP {word} {}", qualified(schema, &function.name)))
}

/// `CREATE EVENT`, every clause spelled out in the model's canonical values (which
/// the server reads back as the same values), the body as stored.
pub fn create_event(schema: &str, event: &Event) -> Statement {
    let mut sql = format!(
        "CREATE EVENT {}\n    ON SCHEDULE ",
        qualified(schema, &event.name)
    );
    // Canonical timestamps are bare `YYYY-MM-DD HH:MM:SS`; anything else is an
    // expression the loader kept as written.
    let time = |t: &str| {
        let literal = t.len() == 19
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | ':'));
        if literal {
            quote_literal(t)
        } else {
            t.to_owned()
        }
    };
    match &event.schedule {
        EventSchedule::At(at) => {
            sql.push_str("AT ");
            sql.push_str(&time(at));
        }
        EventSchedule::Every {
            interval,
            unit,
            starts,
            ends,
        } => {
            sql.push_str(&format!("EVERY {interval} {unit}"));
            if let Some(starts) = starts {
                sql.push_str(&format!(" STARTS {}", time(starts)));
            }
            if let Some(ends) = ends {
                sql.push_str(&format!(" ENDS {}", time(ends)));
            }
        }
    }
    sql.push_str(if event.preserve {
        "\n    ON COMPLETION PRESERVE"
    } else {
        "\n    ON COMPLETION NOT PRESERVE"
    });
    sql.push_str(match event.status {
        EventStatus::Enabled => "\n    ENABLE",
        EventStatus::Disabled => "\n    DISABLE",
        EventStatus::DisabledOnSlave => "\n    DISABLE ON SLAVE",
    });
    if let Some(comment) = &event.comment {
        sql.push_str("\n    COMMENT ");
        sql.push_str(&quote_literal(comment));
    }
    sql.push_str("\n    DO ");
    sql.push_str(strip_terminator(&event.body));
    Statement::new(sql, label("event", schema, &event.name))
        .undo(format!("DROP EVENT {}", qualified(schema, &event.name)))
}

/// `CREATE DATABASE` for a schema other than the connection's, or an `ALTER DATABASE`
/// setting the connection database's character set and collation.
pub fn create_database(schema: &Schema) -> Option<Statement> {
    let mut options = String::new();
    if let Some(charset) = &schema.charset {
        options.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = &schema.collation {
        options.push_str(&format!(" COLLATE {collation}"));
    }
    if schema.name.is_empty() {
        (!options.is_empty())
            .then(|| Statement::new(format!("ALTER DATABASE{options}"), "database"))
    } else {
        Some(
            Statement::new(
                format!("CREATE DATABASE {}{options}", quote_ident(&schema.name)),
                format!("database {}", schema.name),
            )
            .undo(format!("DROP DATABASE {}", quote_ident(&schema.name))),
        )
    }
}

/// Wraps a statement whose body holds `;` in `DELIMITER` client commands, so that the
/// `mysql` client sends it whole.
pub fn with_delimiter(sql: &str) -> String {
    let body = strip_terminator(sql);
    let newline = if crate::text::ends_in_line_comment(body, schema_model::Dialect::Mysql) {
        "\n"
    } else {
        ""
    };
    format!("DELIMITER ;;\n{body}{newline};;\nDELIMITER ;")
}

/// Renders a MySQL realm; see the module documentation for the order.
pub fn render_realm(realm: &Realm) -> Vec<Statement> {
    render_graph(realm).into_statements()
}

/// The realm's statements as nodes with their dependencies, before sorting.
pub(crate) fn render_graph(realm: &Realm) -> Graph {
    let resolver = Resolver::new(realm);
    let mut graph = Graph::default();
    let schema_node = |s: &str| format!("schema {s}");
    for (s, schema) in &realm.schemas {
        if let Some(statement) = create_database(schema) {
            // The connection database's `ALTER DATABASE` cannot be undone: it is a
            // setting, which plans leave as it is (a changed default character set
            // is not planned yet).
            let kind = if s.is_empty() {
                Kind::Setting
            } else {
                Kind::Schema
            };
            graph.add(kind, schema_node(s), s.clone(), vec![statement]);
        }
    }
    for (s, schema) in &realm.schemas {
        let add = |graph: &mut Graph,
                   kind,
                   node: String,
                   name: String,
                   statements,
                   deps: BTreeSet<String>| {
            graph.depend(node.clone(), schema_node(s));
            if !s.is_empty() {
                // `DROP DATABASE` drops everything in it.
                graph.own(node.clone(), schema_node(s));
            }
            for dep in deps {
                graph.depend(node.clone(), dep);
            }
            graph.add(kind, node, name, statements);
        };
        for (signature, function) in &schema.functions {
            add(
                &mut graph,
                Kind::Function,
                key("function", s, signature),
                format!("{s}.{signature}"),
                vec![create_routine(s, function)],
                BTreeSet::new(),
            );
        }
        for table in schema.tables.values() {
            let table_key = key("table", s, &table.name);
            let mut deps = BTreeSet::new();
            for column in &table.columns {
                for text in [
                    &column.default,
                    &column.generated.as_ref().map(|g| g.expression.clone()),
                ]
                .into_iter()
                .flatten()
                {
                    deps.extend(functions_only(resolver.references(text, s)));
                }
            }
            for check in table.checks.values() {
                deps.extend(functions_only(resolver.references(&check.expression, s)));
            }
            add(
                &mut graph,
                Kind::Table,
                table_key.clone(),
                format!("{s}.{}", table.name),
                vec![create_table(s, table)],
                deps,
            );
            for fk in table.foreign_keys.values() {
                let target = &fk.referenced_table;
                let fk_key = format!("{table_key} fk {}", fk.name);
                add(
                    &mut graph,
                    Kind::ForeignKey,
                    fk_key.clone(),
                    format!("{s}.{} {}", table.name, fk.name),
                    vec![add_foreign_key(s, &table.name, fk)],
                    BTreeSet::from([
                        table_key.clone(),
                        key("table", &target.schema, &target.name),
                    ]),
                );
                graph.own(fk_key, table_key.clone());
            }
            for trigger in table.triggers.values() {
                let mut deps = BTreeSet::from([table_key.clone()]);
                if let TriggerAction::Body(body) = &trigger.action {
                    deps.extend(functions_only(resolver.references(body, s)));
                }
                let trigger_key = format!("trigger {table_key} {}", trigger.name);
                add(
                    &mut graph,
                    Kind::Trigger,
                    trigger_key.clone(),
                    format!("{s}.{} {}", table.name, trigger.name),
                    vec![create_trigger(s, &table.name, trigger)],
                    deps,
                );
                graph.own(trigger_key, table_key.clone());
            }
        }
        for view in schema.views.values() {
            add(
                &mut graph,
                Kind::View,
                key("view", s, &view.name),
                format!("{s}.{}", view.name),
                vec![create_view(s, view)],
                resolver.references(&view.definition, s),
            );
        }
        for event in schema.events.values() {
            // An event's body is compiled when it runs, not when it is created: it
            // depends on nothing at creation time.
            add(
                &mut graph,
                Kind::Opaque,
                key("event", s, &event.name),
                format!("{s}.{}", event.name),
                vec![create_event(s, event)],
                BTreeSet::new(),
            );
        }
        for (object_key, object) in &schema.other_objects {
            let statements: Vec<Statement> = object
                .definition
                .iter()
                .map(|sql| Statement::new(sql.trim(), format!("{} {}", object.kind, object.name)))
                .collect();
            add(
                &mut graph,
                Kind::Opaque,
                format!("opaque {s} {object_key}"),
                format!("{s} {object_key}"),
                statements,
                BTreeSet::new(),
            );
        }
    }
    graph
}

fn functions_only(keys: BTreeSet<String>) -> impl Iterator<Item = String> {
    keys.into_iter().filter(|k| k.starts_with("function "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a`b"), "`a``b`");
        assert_eq!(quote_literal("it's a \\"), "'it''s a \\\\'");
        assert_eq!(qualified("", "t"), "`t`");
        assert_eq!(qualified("db", "t"), "`db`.`t`");
    }

    #[test]
    fn types() {
        assert_eq!(data_type(&DataType::Integer, true), "int unsigned");
        assert_eq!(data_type(&DataType::Boolean, false), "tinyint(1)");
        assert_eq!(
            data_type(&DataType::Enum(vec!["a".into(), "b'c".into()]), false),
            "enum('a','b''c')"
        );
        assert_eq!(data_type(&DataType::Varchar(Some(20)), true), "varchar(20)");
    }

    #[test]
    fn delimiter() {
        assert_eq!(
            with_delimiter("CREATE TRIGGER t BEGIN SET a = 1; END;"),
            "DELIMITER ;;\nCREATE TRIGGER t BEGIN SET a = 1; END;;\nDELIMITER ;"
        );
    }
}
