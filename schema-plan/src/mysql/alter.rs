//! MySQL and MariaDB changes made in place: one `ALTER TABLE` per changed table with
//! every clause it needs, so the server copies or rebuilds the table at most once, and
//! the `RENAME` statements of hinted renames.
//!
//! MySQL DDL commits implicitly, so every statement here is non-transactional.

use super::{
    check_item, column_definition, columns, data_type, index_item, partition_clause, qualified,
    quote_ident, table_options,
};
use crate::plan::{PlanError, PlannedStatement};
use crate::planner::TableAlter;
use schema_diff::{Change, TableChange};
use schema_model::{Column, DataType, QualifiedName, Realm, Table};
use std::collections::BTreeSet;

fn terminated(mut sql: String) -> String {
    if !sql.ends_with(';') {
        sql.push(';');
    }
    sql
}

fn step(sql: String, reverse: Option<String>, object: &str) -> PlannedStatement {
    PlannedStatement {
        sql: terminated(sql),
        reverse: reverse.map(terminated),
        transactional: false,
        objects: vec![object.to_owned()],
        destructive: false,
        hazard: None,
    }
}

fn table_label(name: &QualifiedName) -> String {
    format!("table {}", super::name_label(&name.schema, &name.name))
}

/// The `ALTER TABLE ... RENAME` statements of hinted renames, in order.
pub(crate) fn rename_statements(_from: &Realm, changes: &[Change]) -> Vec<PlannedStatement> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::RenameTable { schema, from, to } => out.push(step(
                format!(
                    "ALTER TABLE {} RENAME TO {}",
                    qualified(schema, from),
                    qualified(schema, to)
                ),
                Some(format!(
                    "ALTER TABLE {} RENAME TO {}",
                    qualified(schema, to),
                    qualified(schema, from)
                )),
                &format!("table {}", super::name_label(schema, from)),
            )),
            Change::ModifyTable {
                schema,
                name,
                changes,
            } => {
                let table = qualified(schema, name);
                let object = format!("table {}", super::name_label(schema, name));
                for item in changes {
                    let (word, from, to) = match item {
                        TableChange::RenameColumn { from, to } => ("COLUMN", from, to),
                        TableChange::RenameIndex { from, to } => ("INDEX", from, to),
                        // Only unique keys get here (the planner leaves other constraint
                        // renames to a drop and an add): MySQL's unique constraints are
                        // unique indexes.
                        TableChange::RenameConstraint { from, to, .. } => ("INDEX", from, to),
                        _ => continue,
                    };
                    out.push(step(
                        format!(
                            "ALTER TABLE {table} RENAME {word} {} TO {}",
                            quote_ident(from),
                            quote_ident(to)
                        ),
                        Some(format!(
                            "ALTER TABLE {table} RENAME {word} {} TO {}",
                            quote_ident(to),
                            quote_ident(from)
                        )),
                        &object,
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// One clause of an `ALTER TABLE`, and why it can lose data when it can.
struct Clause {
    sql: String,
    hazard: Option<String>,
}

impl Clause {
    fn safe(sql: String) -> Self {
        Clause { sql, hazard: None }
    }
}

/// The keys and indexes a table holds inline, by name, as `ADD` clause bodies.
/// Unique constraints are unique indexes in MySQL; both share one namespace.
fn keys(table: &Table) -> Vec<(String, String, Vec<String>)> {
    let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
    for unique in table.uniques.values() {
        out.push((
            unique.name.clone(),
            format!(
                "UNIQUE KEY {} ({})",
                quote_ident(&unique.name),
                columns(&unique.columns)
            ),
            unique.columns.clone(),
        ));
    }
    for index in table.indexes.values() {
        let cols = index
            .parts
            .iter()
            .filter_map(|p| match &p.key {
                schema_model::IndexKey::Column(c) => Some(c.clone()),
                schema_model::IndexKey::Expression(_) => None,
            })
            .collect();
        out.push((index.name.clone(), index_item(index), cols));
    }
    out
}

/// Whether a column of this type has a character set.
fn takes_charset(ty: &DataType) -> bool {
    matches!(
        ty,
        DataType::Char(_)
            | DataType::Varchar(_)
            | DataType::Text
            | DataType::TinyText
            | DataType::MediumText
            | DataType::LongText
            | DataType::Enum(_)
            | DataType::Set(_)
    )
}

fn integer_rank(ty: &DataType) -> Option<u8> {
    use DataType::*;
    Some(match ty {
        Boolean | TinyInt => 1,
        SmallInt => 2,
        MediumInt => 3,
        Integer => 4,
        BigInt => 5,
        _ => return None,
    })
}

fn text_rank(ty: &DataType) -> Option<(bool, u64)> {
    use DataType::*;
    // (binary, maximum bytes)
    Some(match ty {
        Char(n) => (false, u64::from(*n) * 4),
        Varchar(Some(n)) => (false, u64::from(*n) * 4),
        TinyText => (false, 255),
        Text | Varchar(None) => (false, 65_535),
        MediumText => (false, 16_777_215),
        LongText => (false, 4_294_967_295),
        Binary(n) => (true, u64::from(*n)),
        Varbinary(n) => (true, u64::from(*n)),
        TinyBlob => (true, 255),
        Blob => (true, 65_535),
        MediumBlob => (true, 16_777_215),
        LongBlob | Bytea => (true, 4_294_967_295),
        _ => return None,
    })
}

/// Whether retyping a column from `from` to `to` can lose, change or reject values.
fn narrows(from: &Column, to: &Column) -> bool {
    use DataType::*;
    let (a, b) = (&from.data_type, &to.data_type);
    if a == b && from.unsigned == to.unsigned {
        return false;
    }
    if let (Some(ra), Some(rb)) = (integer_rank(a), integer_rank(b)) {
        return match (from.unsigned, to.unsigned) {
            (false, false) | (true, true) => rb < ra,
            // Unsigned values fit a signed type of a larger size.
            (true, false) => rb <= ra,
            (false, true) => true,
        };
    }
    if let (Some((bin_a, len_a)), Some((bin_b, len_b))) = (text_rank(a), text_rank(b)) {
        // Char pads, so char to varchar keeps values; the other way round trims.
        let padding = matches!(b, Char(_)) && !matches!(a, Char(_));
        return bin_a != bin_b || len_b < len_a || padding;
    }
    match (a, b) {
        (
            Numeric {
                precision: p1,
                scale: s1,
            },
            Numeric {
                precision: p2,
                scale: s2,
            },
        ) => {
            let (p1, s1, p2, s2) = (
                p1.unwrap_or(10),
                s1.unwrap_or(0),
                p2.unwrap_or(10),
                s2.unwrap_or(0),
            );
            s2 < s1
                || p2.saturating_sub(s2) < p1.saturating_sub(s1)
                || (!from.unsigned && to.unsigned)
        }
        (Real, Double) => !from.unsigned && to.unsigned,
        (Datetime(p1), Datetime(p2))
        | (Timestamp { precision: p1, .. }, Timestamp { precision: p2, .. }) => {
            p2.unwrap_or(0) < p1.unwrap_or(0)
        }
        (Enum(v1), Enum(v2)) | (Set(v1), Set(v2)) => {
            // Values keep their meaning only when the old list is a prefix of the new.
            !v2.starts_with(v1)
        }
        _ => true,
    }
}

/// The FK-bound columns of a table: its own foreign keys' columns, and the referenced
/// columns of foreign keys (in either realm) that point at it.
fn fk_columns(from: &Realm, to: &Realm, name: &QualifiedName, old: &Table) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = old
        .foreign_keys
        .values()
        .flat_map(|fk| fk.columns.iter().cloned())
        .collect();
    for realm in [from, to] {
        for (schema_name, schema) in &realm.schemas {
            for table in schema.tables.values() {
                for fk in table.foreign_keys.values() {
                    let target = &fk.referenced_table;
                    let same = target.name == name.name
                        && (target.schema == name.schema
                            || (target.schema.is_empty() && schema_name == &name.schema));
                    if same {
                        out.extend(fk.referenced_columns.iter().cloned());
                    }
                }
            }
        }
    }
    out
}

/// The clauses that turn `old` into `new`, and what they break.
fn clauses(
    from: &Realm,
    to: &Realm,
    name: &QualifiedName,
    old: &Table,
    new: &Table,
) -> (Vec<Clause>, bool, bool) {
    let mut out = Vec::new();
    let mut breaks_dependents = false;
    let mut breaks_references = false;
    let bound = fk_columns(from, to, name, old);

    // Checks dropped or changed.
    for (check_name, check) in &old.checks {
        if new.checks.get(check_name).map(check_item) != Some(check_item(check)) {
            out.push(Clause::safe(format!(
                "DROP CONSTRAINT {}",
                quote_ident(check_name)
            )));
        }
    }
    // Keys dropped or changed. An index a foreign key needs cannot go while the key
    // stands: the planner recreates the foreign keys around this statement.
    let old_keys = keys(old);
    let new_keys = keys(new);
    for (key_name, item, cols) in &old_keys {
        if !new_keys.iter().any(|(n, i, _)| n == key_name && i == item) {
            if cols.iter().any(|c| bound.contains(c)) {
                breaks_references = true;
            }
            out.push(Clause::safe(format!(
                "DROP INDEX {}",
                quote_ident(key_name)
            )));
        }
    }
    let pk_columns = |t: &Table| t.primary_key.as_ref().map(|pk| pk.columns.clone());
    let pk_changed = pk_columns(old) != pk_columns(new);
    if pk_changed && let Some(cols) = pk_columns(old) {
        if cols.iter().any(|c| bound.contains(c)) {
            breaks_references = true;
        }
        out.push(Clause::safe("DROP PRIMARY KEY".to_owned()));
    }

    for column in &old.columns {
        if new.column(&column.name).is_none() {
            breaks_dependents = true;
            if bound.contains(&column.name) {
                breaks_references = true;
            }
            out.push(Clause {
                sql: format!("DROP COLUMN {}", quote_ident(&column.name)),
                hazard: Some(format!("drops column {} and its data", column.name)),
            });
        }
    }

    // Columns in the desired order: each new column added after its predecessor, each
    // kept one modified when its definition changes or when it is out of place.
    let mut layout: Vec<&str> = old
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| new.column(n).is_some())
        .collect();
    for (i, column) in new.columns.iter().enumerate() {
        let predecessor = i.checked_sub(1).map(|p| new.columns[p].name.as_str());
        let position = match predecessor {
            Some(p) => format!(" AFTER {}", quote_ident(p)),
            None => " FIRST".to_owned(),
        };
        let definition = column_definition(column);
        match old.column(&column.name) {
            None => {
                let appended = layout.last().copied() == predecessor;
                let at = layout
                    .iter()
                    .position(|c| Some(*c) == predecessor)
                    .map_or(0, |p| p + 1);
                layout.insert(at, column.name.as_str());
                out.push(Clause::safe(format!(
                    "ADD COLUMN {definition}{}",
                    if appended { "" } else { position.as_str() }
                )));
            }
            Some(before) => {
                let current = layout.iter().position(|c| *c == column.name);
                let current_predecessor = current
                    .and_then(|p| p.checked_sub(1))
                    .and_then(|p| layout.get(p).copied());
                let moved = current_predecessor != predecessor;
                if moved && let Some(p) = current {
                    layout.remove(p);
                    let at = layout
                        .iter()
                        .position(|c| Some(*c) == predecessor)
                        .map_or(0, |p| p + 1);
                    layout.insert(at, column.name.as_str());
                }
                // A column that takes the table's character set (none of its own) is
                // converted with it: a new table default alone leaves the existing
                // columns in the old one.
                let recharset = old.options.charset != new.options.charset
                    && before.charset.is_none()
                    && column.charset.is_none()
                    && takes_charset(&column.data_type);
                let changed = column_definition(before) != definition || recharset;
                if !moved && !changed {
                    continue;
                }
                if before.generated != column.generated {
                    // MariaDB cannot change a column's generation in place: the column
                    // is dropped and added again, in the same statement.
                    breaks_dependents = true;
                    let hazard = match (&before.generated, &column.generated) {
                        (None, _) => Some(format!(
                            "replaces column {} with a generated one: its values are lost",
                            column.name
                        )),
                        (Some(_), None) => Some(format!(
                            "replaces generated column {} with a plain one, which starts empty",
                            column.name
                        )),
                        _ => None,
                    };
                    out.push(Clause {
                        sql: format!("DROP COLUMN {}", quote_ident(&column.name)),
                        hazard,
                    });
                    out.push(Clause::safe(format!("ADD COLUMN {definition}{position}")));
                    continue;
                }
                let retyped = before.data_type != column.data_type
                    || before.unsigned != column.unsigned
                    || before.charset != column.charset
                    || before.collation != column.collation;
                if retyped && bound.contains(&column.name) {
                    breaks_references = true;
                }
                let hazard = if before.data_type != column.data_type
                    || before.unsigned != column.unsigned
                {
                    narrows(before, column).then(|| {
                        format!(
                            "changes column {} from {} to {}, which can lose or reject values",
                            column.name,
                            data_type(&before.data_type, before.unsigned),
                            data_type(&column.data_type, column.unsigned)
                        )
                    })
                } else if before.charset != column.charset && column.charset.is_some() {
                    Some(format!(
                        "converts column {} to character set {}, which can lose characters",
                        column.name,
                        column.charset.as_deref().unwrap_or_default()
                    ))
                } else if recharset {
                    Some(format!(
                        "converts column {} to the table's character set {}, which can lose characters",
                        column.name,
                        new.options.charset.as_deref().unwrap_or("(the database's)")
                    ))
                } else {
                    None
                };
                out.push(Clause {
                    sql: format!(
                        "MODIFY COLUMN {definition}{}",
                        if moved { position.as_str() } else { "" }
                    ),
                    hazard,
                });
            }
        }
    }

    if pk_changed && let Some(cols) = pk_columns(new) {
        out.push(Clause::safe(format!(
            "ADD PRIMARY KEY ({})",
            columns(&cols)
        )));
    }
    for (key_name, item, _) in &new_keys {
        if !old_keys.iter().any(|(n, i, _)| n == key_name && i == item) {
            out.push(Clause::safe(format!("ADD {item}")));
        }
    }
    for (check_name, check) in &new.checks {
        if old.checks.get(check_name).map(check_item) != Some(check_item(check)) {
            out.push(Clause::safe(format!("ADD {}", check_item(check))));
        }
    }

    let (old_options, new_options) = (table_options(old), table_options(new));
    for (i, (before, after)) in old_options.iter().zip(&new_options).enumerate() {
        if before == after {
            continue;
        }
        // An option unset is the server's default: InnoDB (which the loaders leave out
        // as the default engine), the database's character set and collation, the
        // default row format, and no comment.
        let reset = [
            "ENGINE=InnoDB",
            "DEFAULT CHARSET=DEFAULT",
            "COLLATE=DEFAULT",
            "ROW_FORMAT=DEFAULT",
            "COMMENT=''",
        ];
        match after {
            Some(option) => out.push(Clause::safe(option.clone())),
            None => {
                if let Some(sql) = reset.get(i) {
                    out.push(Clause::safe((*sql).to_owned()));
                }
            }
        }
    }
    (out, breaks_dependents, breaks_references)
}

/// The `ALTER TABLE` that turns `old` into `new`: one statement with every clause,
/// then a partitioning change on its own.
pub(crate) fn alter_table(
    from: &Realm,
    to: &Realm,
    name: &QualifiedName,
    old: &Table,
    new: &Table,
) -> Result<TableAlter, PlanError> {
    let table = qualified(&name.schema, &name.name);
    let object = table_label(name);
    let (forward, breaks_dependents, breaks_references) = clauses(from, to, name, old, new);
    let mut alter = TableAlter {
        statements: Vec::new(),
        breaks_dependents,
        breaks_references,
    };
    let join = |clauses: &[Clause]| {
        let items: Vec<&str> = clauses.iter().map(|c| c.sql.as_str()).collect();
        format!("ALTER TABLE {table}\n    {}", items.join(",\n    "))
    };
    if !forward.is_empty() {
        let hazards: Vec<&str> = forward.iter().filter_map(|c| c.hazard.as_deref()).collect();
        let backward = clauses(to, from, name, new, old).0;
        let mut statement = step(
            join(&forward),
            (hazards.is_empty() && !backward.is_empty()).then(|| join(&backward)),
            &object,
        );
        if !hazards.is_empty() {
            statement.destructive = true;
            statement.hazard = Some(hazards.join("; "));
        }
        alter.statements.push(statement);
    }
    if old.partition_by != new.partition_by {
        let render = |t: &Table| match &t.partition_by {
            Some(by) => format!("ALTER TABLE {table} {}", partition_clause(t, by)),
            None => format!("ALTER TABLE {table} REMOVE PARTITIONING"),
        };
        alter
            .statements
            .push(step(render(new), Some(render(old)), &object));
    }
    Ok(alter)
}
