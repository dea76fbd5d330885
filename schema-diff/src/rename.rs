//! Rename hints: applied to the source realm before diffing, and suggested where a drop
//! and an add look alike.

use crate::{
    Change, ConstraintKind, DiffError, ObjectKind, Rename, RenameKind, RenameSuggestion,
    TableChange,
};
use schema_model::{DataType, IndexKey, QualifiedName, Realm, Table, TypeKind};
use std::borrow::Cow;

/// Splits a dot-separated name whose parts may be double-quoted (`"a.b".c`).
pub(crate) fn split_name(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let (part, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut end = None;
            let mut chars = quoted.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|&(_, c)| c) == Some('"') {
                        out.push('"');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    out.push(c);
                }
            }
            (out, &quoted[end?..])
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            (rest[..end].to_owned(), &rest[end..])
        };
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => return Some(parts),
            None => return None,
        }
    }
}

fn bad(rename: &Rename, reason: impl Into<String>) -> DiffError {
    DiffError::BadRename {
        hint: format!("{}:{}={}", rename.kind, rename.from, rename.to),
        reason: reason.into(),
    }
}

/// The source realm with the hinted renames made, and the rename changes, in the order
/// given. Every hint must name an object of the source realm whose new name exists in the
/// target and not yet in the source.
pub fn apply_renames(
    from: &Realm,
    to: &Realm,
    renames: &[Rename],
) -> Result<(Realm, Vec<Change>), DiffError> {
    renamed(from, to, renames).map(|(realm, changes)| (realm.into_owned(), changes))
}

/// [`apply_renames`] without copying the realm when there is nothing to rename: most
/// plans have no hints, and a large realm's copy costs more than its diff.
pub fn renamed<'a>(
    from: &'a Realm,
    to: &Realm,
    renames: &[Rename],
) -> Result<(Cow<'a, Realm>, Vec<Change>), DiffError> {
    if renames.is_empty() {
        return Ok((Cow::Borrowed(from), Vec::new()));
    }
    let mut realm = from.clone();
    let mut changes = Vec::new();
    for rename in renames {
        let mut parts = rename
            .from_parts()
            .ok_or_else(|| bad(rename, "unreadable name"))?;
        if let Some(schema) = parts.first_mut().filter(|s| s.is_empty()) {
            from.dialect.default_schema().clone_into(schema);
        }
        if moot(&realm, to, rename.kind, &parts, &rename.to) {
            tracing::debug!(hint = %rename.from, to = %rename.to, "rename hint moot");
            continue;
        }
        match (rename.kind, parts.as_slice()) {
            (RenameKind::Table, [schema, old]) => {
                rename_table(&mut realm, to, rename, schema, old)?;
                changes.push(Change::RenameTable {
                    schema: schema.clone(),
                    from: old.clone(),
                    to: rename.to.clone(),
                });
            }
            (RenameKind::Column, [schema, table, old]) => {
                rename_column(&mut realm, to, rename, schema, table, old)?;
                changes.push(Change::ModifyTable {
                    schema: schema.clone(),
                    name: table.clone(),
                    changes: vec![TableChange::RenameColumn {
                        from: old.clone(),
                        to: rename.to.clone(),
                    }],
                });
            }
            (RenameKind::Index, [schema, table, old]) => {
                let target = realm
                    .schemas
                    .get_mut(schema)
                    .and_then(|s| s.tables.get_mut(table))
                    .ok_or_else(|| bad(rename, format!("no table {schema}.{table}")))?;
                let wanted = to.schemas.get(schema).and_then(|s| s.tables.get(table));
                if wanted.is_none_or(|t| !t.indexes.contains_key(&rename.to)) {
                    return Err(bad(rename, "the target has no index of the new name"));
                }
                if target.indexes.contains_key(&rename.to) {
                    return Err(bad(
                        rename,
                        "the source already has an index of the new name",
                    ));
                }
                let mut index = target
                    .indexes
                    .remove(old)
                    .ok_or_else(|| bad(rename, format!("no index {old} on {schema}.{table}")))?;
                index.name = rename.to.clone();
                target.indexes.insert(rename.to.clone(), index);
                changes.push(Change::ModifyTable {
                    schema: schema.clone(),
                    name: table.clone(),
                    changes: vec![TableChange::RenameIndex {
                        from: old.clone(),
                        to: rename.to.clone(),
                    }],
                });
            }
            (RenameKind::Constraint, [schema, table, old]) => {
                let item = rename_constraint(&mut realm, to, rename, schema, table, old)?;
                changes.push(Change::ModifyTable {
                    schema: schema.clone(),
                    name: table.clone(),
                    changes: vec![item],
                });
            }
            (RenameKind::Type, [schema, old]) => {
                rename_type(&mut realm, to, rename, schema, old)?;
                changes.push(Change::Rename {
                    kind: ObjectKind::Type,
                    schema: schema.clone(),
                    from: old.clone(),
                    to: rename.to.clone(),
                });
            }
            (RenameKind::EnumValue, [schema, name, old]) => {
                rename_enum_value(&mut realm, to, rename, schema, name, old)?;
                changes.push(Change::RenameEnumValue {
                    schema: schema.clone(),
                    name: name.clone(),
                    from: old.clone(),
                    to: rename.to.clone(),
                });
            }
            _ => return Err(bad(rename, "wrong number of name parts for the kind")),
        }
    }
    Ok((Cow::Owned(realm), changes))
}

/// Whether the hint asks for nothing: the source already holds the object under its
/// new name and not its old one (a hint stays in the desired schema after its rename
/// ran, as sqldef's annotations do), or the target still holds it under its old name
/// and not the new one (the way back from a rename that was already made).
fn moot(from: &Realm, to: &Realm, kind: RenameKind, parts: &[String], new: &str) -> bool {
    let has = |realm: &Realm, name: &str| -> Option<bool> {
        let schema = realm.schemas.get(parts.first()?)?;
        Some(match (kind, parts) {
            (RenameKind::Table, [_, _]) => schema.tables.contains_key(name),
            (RenameKind::Column, [_, table, _]) => schema.tables.get(table)?.column(name).is_some(),
            (RenameKind::Index, [_, table, _]) => {
                schema.tables.get(table)?.indexes.contains_key(name)
            }
            (RenameKind::Constraint, [_, table, _]) => {
                let table = schema.tables.get(table)?;
                constraint_kind(table, name).is_some()
                    || table.indexes.get(name).is_some_and(|i| i.unique)
            }
            (RenameKind::Type, [_, _]) => schema.types.contains_key(name),
            (RenameKind::EnumValue, [_, type_name, _]) => {
                match &schema.types.get(type_name)?.kind {
                    TypeKind::Enum { values } => values.iter().any(|v| v == name),
                    _ => return None,
                }
            }
            _ => return None,
        })
    };
    let Some(old) = parts.last() else {
        return false;
    };
    let renamed = |realm: &Realm| has(realm, old) == Some(false) && has(realm, new) == Some(true);
    let kept = |realm: &Realm| has(realm, old) == Some(true) && has(realm, new) == Some(false);
    renamed(from) || kept(to)
}

fn rename_table(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    if to
        .schemas
        .get(schema)
        .is_none_or(|s| !s.tables.contains_key(new))
    {
        return Err(bad(
            rename,
            format!("the target has no table {schema}.{new}"),
        ));
    }
    let s = realm
        .schemas
        .get_mut(schema)
        .ok_or_else(|| bad(rename, format!("no schema {schema}")))?;
    if s.has_relation(new) {
        return Err(bad(
            rename,
            format!("the source already has {schema}.{new}"),
        ));
    }
    let mut table = s
        .tables
        .remove(old)
        .ok_or_else(|| bad(rename, format!("no table {schema}.{old}")))?;
    table.name = new.to_owned();
    s.tables.insert(new.to_owned(), table);
    // What the database rewrites by itself when a table is renamed: references by
    // name to the table from keys, sequences and partitions.
    let before = QualifiedName::new(schema, old);
    let after = QualifiedName::new(schema, new);
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for fk in table.foreign_keys.values_mut() {
                if fk.referenced_table == before {
                    fk.referenced_table = after.clone();
                }
            }
            if let Some(of) = &mut table.partition_of
                && of.parent == before
            {
                of.parent = after.clone();
            }
            for parent in &mut table.inherits {
                if *parent == before {
                    *parent = after.clone();
                }
            }
        }
        for sequence in s.sequences.values_mut() {
            if let Some(owner) = &mut sequence.owned_by
                && owner.table == before
            {
                owner.table = after.clone();
            }
        }
    }
    Ok(())
}

fn rename_column(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    table_name: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    let wanted = to
        .schemas
        .get(schema)
        .and_then(|s| s.tables.get(table_name));
    if wanted.is_none_or(|t| t.column(new).is_none()) {
        return Err(bad(
            rename,
            format!("the target has no column {new} in {schema}.{table_name}"),
        ));
    }
    let table = realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.tables.get_mut(table_name))
        .ok_or_else(|| bad(rename, format!("no table {schema}.{table_name}")))?;
    if table.column(new).is_some() {
        return Err(bad(
            rename,
            format!("the source already has a column {new}"),
        ));
    }
    let column = table
        .column_mut(old)
        .ok_or_else(|| bad(rename, format!("no column {old} in {schema}.{table_name}")))?;
    column.name = new.to_owned();
    rename_in_table(table, old, new);
    let this = QualifiedName::new(schema, table_name);
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for fk in table.foreign_keys.values_mut() {
                if fk.referenced_table == this {
                    swap(&mut fk.referenced_columns, old, new);
                }
            }
        }
        for sequence in s.sequences.values_mut() {
            if let Some(owner) = &mut sequence.owned_by
                && owner.table == this
                && owner.column == old
            {
                owner.column = new.to_owned();
            }
        }
    }
    Ok(())
}

/// The kind of the constraint of that name on the table.
fn constraint_kind(table: &Table, name: &str) -> Option<ConstraintKind> {
    if table.primary_key.as_ref().is_some_and(|pk| pk.name == name) {
        Some(ConstraintKind::PrimaryKey)
    } else if table.uniques.contains_key(name) {
        Some(ConstraintKind::Unique)
    } else if table.foreign_keys.contains_key(name) {
        Some(ConstraintKind::ForeignKey)
    } else if table.checks.contains_key(name) {
        Some(ConstraintKind::Check)
    } else if table.exclusions.contains_key(name) {
        Some(ConstraintKind::Exclusion)
    } else {
        None
    }
}

/// Renames a constraint, or a unique index where the dialect keeps unique constraints
/// as indexes (MySQL), and says which.
fn rename_constraint(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    table_name: &str,
    old: &str,
) -> Result<TableChange, DiffError> {
    let new = rename.to.as_str();
    let wanted = to
        .schemas
        .get(schema)
        .and_then(|s| s.tables.get(table_name));
    let table = realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.tables.get_mut(table_name))
        .ok_or_else(|| bad(rename, format!("no table {schema}.{table_name}")))?;
    if table.has_constraint_or_index(new) {
        return Err(bad(
            rename,
            format!("the source already has a constraint or index {new} on {schema}.{table_name}"),
        ));
    }
    let Some(kind) = constraint_kind(table, old) else {
        if table.indexes.get(old).is_some_and(|i| i.unique) {
            if wanted.is_none_or(|t| !t.indexes.get(new).is_some_and(|i| i.unique)) {
                return Err(bad(
                    rename,
                    "the target has no unique index of the new name",
                ));
            }
            if let Some(mut index) = table.indexes.remove(old) {
                index.name = new.to_owned();
                table.indexes.insert(new.to_owned(), index);
            }
            return Ok(TableChange::RenameIndex {
                from: old.to_owned(),
                to: new.to_owned(),
            });
        }
        return Err(bad(
            rename,
            format!("no constraint {old} on {schema}.{table_name}"),
        ));
    };
    if wanted.is_none_or(|t| constraint_kind(t, new) != Some(kind)) {
        return Err(bad(
            rename,
            format!("the target has no {kind} of the new name on {schema}.{table_name}"),
        ));
    }
    match kind {
        ConstraintKind::PrimaryKey => {
            if let Some(pk) = &mut table.primary_key {
                pk.name = new.to_owned();
            }
        }
        ConstraintKind::Unique => rekey(&mut table.uniques, old, new, |u, n| u.name = n),
        ConstraintKind::ForeignKey => {
            rekey(&mut table.foreign_keys, old, new, |f, n| f.name = n);
        }
        ConstraintKind::Check => rekey(&mut table.checks, old, new, |c, n| c.name = n),
        ConstraintKind::Exclusion => rekey(&mut table.exclusions, old, new, |e, n| e.name = n),
        ConstraintKind::Index | ConstraintKind::Trigger | ConstraintKind::Policy => {}
    }
    Ok(TableChange::RenameConstraint {
        kind,
        from: old.to_owned(),
        to: new.to_owned(),
    })
}

/// Moves a map entry to a new key, naming it anew.
fn rekey<T>(
    map: &mut std::collections::BTreeMap<String, T>,
    old: &str,
    new: &str,
    name: impl Fn(&mut T, String),
) {
    if let Some(mut item) = map.remove(old) {
        name(&mut item, new.to_owned());
        map.insert(new.to_owned(), item);
    }
}

fn rename_type(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    if to
        .schemas
        .get(schema)
        .is_none_or(|s| !s.types.contains_key(new))
    {
        return Err(bad(
            rename,
            format!("the target has no type {schema}.{new}"),
        ));
    }
    let s = realm
        .schemas
        .get_mut(schema)
        .ok_or_else(|| bad(rename, format!("no schema {schema}")))?;
    if s.types.contains_key(new) {
        return Err(bad(
            rename,
            format!("the source already has a type {schema}.{new}"),
        ));
    }
    let mut found = s
        .types
        .remove(old)
        .ok_or_else(|| bad(rename, format!("no type {schema}.{old}")))?;
    found.name = new.to_owned();
    s.types.insert(new.to_owned(), found);
    let before = QualifiedName::new(schema, old);
    let after = QualifiedName::new(schema, new);
    let default_schema = realm.dialect.default_schema().to_owned();
    let casts = Casts::new(&before, &after, &default_schema);
    // What the database follows by itself when a type is renamed: everything that
    // holds the type by its identity rather than by its name. Expressions are stored
    // parsed, so their casts name the new type when the catalog prints them again.
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for column in &mut table.columns {
                retype(&mut column.data_type, &before, &after);
                casts.rewrite_option(&mut column.default);
                if let Some(generated) = &mut column.generated {
                    casts.rewrite(&mut generated.expression);
                }
            }
            for check in table.checks.values_mut() {
                casts.rewrite(&mut check.expression);
            }
            for index in table.indexes.values_mut() {
                for part in &mut index.parts {
                    if let IndexKey::Expression(e) = &mut part.key {
                        casts.rewrite(e);
                    }
                }
                casts.rewrite_option(&mut index.predicate);
            }
        }
        for view in s.views.values_mut() {
            casts.rewrite(&mut view.definition);
        }
        for ty in s.types.values_mut() {
            match &mut ty.kind {
                TypeKind::Composite { attributes } => {
                    for attribute in attributes {
                        retype(&mut attribute.data_type, &before, &after);
                    }
                }
                TypeKind::Domain(domain) => {
                    retype(&mut domain.base_type, &before, &after);
                    casts.rewrite_option(&mut domain.default);
                    for check in domain.checks.values_mut() {
                        casts.rewrite(&mut check.expression);
                    }
                }
                TypeKind::Range { subtype, .. } => {
                    retype(subtype, &before, &after);
                }
                TypeKind::Enum { .. } => {}
            }
        }
        // A routine is keyed by its argument types: those that take the type move to
        // their new key.
        let functions = std::mem::take(&mut s.functions);
        for (key, mut function) in functions {
            let mut changed = false;
            for argument in &mut function.arguments {
                changed |= retype(&mut argument.data_type, &before, &after);
                casts.rewrite_option(&mut argument.default);
            }
            if let Some(returns) = &mut function.returns {
                let old_name = DataType::UserDefined(before.clone()).to_string();
                let new_name = DataType::UserDefined(after.clone()).to_string();
                *returns = replace_name(returns, &old_name, &new_name);
            }
            let key = if changed {
                signature(&function.name, &function.arguments)
            } else {
                key
            };
            s.functions.insert(key, function);
        }
    }
    Ok(())
}

/// The key of a routine in its schema, as the loaders make it: `name(type, ...)` over
/// the arguments that identify it (not `OUT`).
fn signature(name: &str, args: &[schema_model::FunctionArgument]) -> String {
    let types: Vec<String> = args
        .iter()
        .filter(|a| a.mode != schema_model::ArgumentMode::Out)
        .map(|a| a.data_type.to_string())
        .collect();
    format!("{name}({})", types.join(", "))
}

/// Points a type (or an array of it) at the renamed type; says whether it did.
fn retype(ty: &mut DataType, before: &QualifiedName, after: &QualifiedName) -> bool {
    match ty {
        DataType::UserDefined(name) if name == before => {
            *name = after.clone();
            true
        }
        DataType::Array(element) => retype(element, before, after),
        _ => false,
    }
}

/// Whether `c` can be part of an unquoted identifier.
fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// `text` with every whole occurrence of the name `old` replaced by `new`: not as part
/// of a longer identifier, and not inside a string literal.
fn replace_name(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_string = false;
    // A name that starts as an identifier does (not a cast's `::`) must not be the
    // tail of a longer or qualified one.
    let bounded_before = old.starts_with(|c: char| ident_char(c) || c == '"');
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            in_string = !in_string;
        } else if !in_string && rest.starts_with(old) {
            let joined_before = bounded_before
                && out
                    .chars()
                    .next_back()
                    .is_some_and(|p| ident_char(p) || p == '.' || p == '"');
            let joined_after = rest[old.len()..].chars().next().is_some_and(ident_char);
            if !joined_before && !joined_after {
                out.push_str(new);
                rest = &rest[old.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The casts to a renamed type in expression text: `::schema.old`, and `::old` when the
/// type is in the default schema (as PostgreSQL prints a type its search path finds).
struct Casts {
    rewrites: Vec<(String, String)>,
}

impl Casts {
    fn new(before: &QualifiedName, after: &QualifiedName, default_schema: &str) -> Self {
        let mut rewrites = vec![(
            format!("::{}", DataType::UserDefined(before.clone())),
            format!("::{}", DataType::UserDefined(after.clone())),
        )];
        if before.schema == default_schema {
            rewrites.push((
                format!("::{}", quoted_part(&before.name)),
                format!("::{}", quoted_part(&after.name)),
            ));
        }
        Casts { rewrites }
    }

    fn rewrite(&self, text: &mut String) {
        if !text.contains("::") {
            return;
        }
        for (old, new) in &self.rewrites {
            if text.contains(old.as_str()) {
                *text = replace_name(text, old, new);
            }
        }
    }

    fn rewrite_option(&self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.rewrite(text);
        }
    }
}

/// One part of a name as PostgreSQL prints it: bare when it is a plain lower-case
/// identifier, double-quoted otherwise.
fn quoted_part(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn rename_enum_value(
    realm: &mut Realm,
    to: &Realm,
    rename: &Rename,
    schema: &str,
    type_name: &str,
    old: &str,
) -> Result<(), DiffError> {
    let new = rename.to.as_str();
    let enum_values = |realm: &Realm| -> Option<Vec<String>> {
        match &realm.schemas.get(schema)?.types.get(type_name)?.kind {
            TypeKind::Enum { values } => Some(values.clone()),
            _ => None,
        }
    };
    if enum_values(to).is_none_or(|values| !values.iter().any(|v| v == new)) {
        return Err(bad(
            rename,
            format!("the target's enum {schema}.{type_name} has no label {new}"),
        ));
    }
    let Some(TypeKind::Enum { values }) = realm
        .schemas
        .get_mut(schema)
        .and_then(|s| s.types.get_mut(type_name))
        .map(|t| &mut t.kind)
    else {
        return Err(bad(rename, format!("no enum type {schema}.{type_name}")));
    };
    if values.iter().any(|v| v == new) {
        return Err(bad(
            rename,
            format!("the source already has the label {new}"),
        ));
    }
    let label = values
        .iter_mut()
        .find(|v| *v == old)
        .ok_or_else(|| bad(rename, format!("no label {old} in {schema}.{type_name}")))?;
    new.clone_into(label);
    // Enum constants are stored as the label's identity: defaults and checks print the
    // new label once it is renamed.
    let this = QualifiedName::new(schema, type_name);
    let literal = |label: &str| format!("'{}'", label.replace('\'', "''"));
    let mut casts = vec![format!("::{}", DataType::UserDefined(this.clone()))];
    if schema == realm.dialect.default_schema() {
        casts.push(format!("::{}", quoted_part(type_name)));
    }
    let (old_literal, new_literal) = (literal(old), literal(new));
    for s in realm.schemas.values_mut() {
        for table in s.tables.values_mut() {
            for column in &mut table.columns {
                let typed = matches!(&column.data_type, DataType::UserDefined(n) if *n == this);
                if let Some(default) = &mut column.default {
                    for cast in &casts {
                        *default = default.replace(
                            &format!("{old_literal}{cast}"),
                            &format!("{new_literal}{cast}"),
                        );
                    }
                    if typed && *default == old_literal {
                        default.clone_from(&new_literal);
                    }
                }
            }
        }
    }
    Ok(())
}

fn swap(names: &mut [String], old: &str, new: &str) {
    for name in names {
        if name == old {
            *name = new.to_owned();
        }
    }
}

/// The column lists of keys and indexes follow a renamed column.
fn rename_in_table(table: &mut Table, old: &str, new: &str) {
    if let Some(pk) = &mut table.primary_key {
        swap(&mut pk.columns, old, new);
        swap(&mut pk.include, old, new);
    }
    for unique in table.uniques.values_mut() {
        swap(&mut unique.columns, old, new);
        swap(&mut unique.include, old, new);
    }
    for fk in table.foreign_keys.values_mut() {
        swap(&mut fk.columns, old, new);
        swap(&mut fk.on_delete_columns, old, new);
    }
    for index in table.indexes.values_mut() {
        swap(&mut index.include, old, new);
        for part in &mut index.parts {
            if part.key == IndexKey::Column(old.to_owned()) {
                part.key = IndexKey::Column(new.to_owned());
            }
        }
    }
    if let Some(by) = &mut table.partition_by {
        swap(&mut by.keys, old, new);
    }
}

/// Drops and adds that look like renames: a table dropped and one added in the same
/// schema with the same columns, a column dropped and one added in the same table with
/// the same type and nullability, a type dropped and one of the same definition added
/// in the same schema. Constraints are not suggested: their names are mostly made by
/// the database from the table's, and the PostgreSQL planner renames one that differs
/// by its name only.
pub(crate) fn suggestions(from: &Realm, to: &Realm, changes: &[Change]) -> Vec<RenameSuggestion> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::DropTable { schema, name } => {
                let Some(old) = from.schemas.get(schema).and_then(|s| s.tables.get(name)) else {
                    continue;
                };
                for added in changes {
                    let Change::AddTable {
                        schema: s,
                        name: new_name,
                    } = added
                    else {
                        continue;
                    };
                    let Some(new) = to.schemas.get(s).and_then(|x| x.tables.get(new_name)) else {
                        continue;
                    };
                    if s == schema && same_columns(old, new) {
                        out.push(RenameSuggestion {
                            rename: Rename {
                                kind: RenameKind::Table,
                                from: dotted(&[schema, name]),
                                to: new_name.clone(),
                            },
                            reason: "dropped and added with the same columns".into(),
                        });
                    }
                }
            }
            Change::ModifyTable {
                schema,
                name,
                changes,
            } => {
                let (Some(old), Some(new)) = (
                    from.schemas.get(schema).and_then(|s| s.tables.get(name)),
                    to.schemas.get(schema).and_then(|s| s.tables.get(name)),
                ) else {
                    continue;
                };
                for dropped in changes {
                    let TableChange::DropColumn { name: gone } = dropped else {
                        continue;
                    };
                    for added in changes {
                        let TableChange::AddColumn { name: fresh } = added else {
                            continue;
                        };
                        let (Some(a), Some(b)) = (old.column(gone), new.column(fresh)) else {
                            continue;
                        };
                        if a.data_type == b.data_type && a.nullable == b.nullable {
                            out.push(RenameSuggestion {
                                rename: Rename {
                                    kind: RenameKind::Column,
                                    from: dotted(&[schema, name, gone]),
                                    to: fresh.clone(),
                                },
                                reason: format!(
                                    "dropped and added with the same type in {schema}.{name}"
                                ),
                            });
                        }
                    }
                }
            }
            Change::Drop {
                kind: ObjectKind::Type,
                schema,
                name,
            } => {
                let Some(old) = from.schemas.get(schema).and_then(|s| s.types.get(name)) else {
                    continue;
                };
                for added in changes {
                    let Change::Add {
                        kind: ObjectKind::Type,
                        schema: s,
                        name: fresh,
                    } = added
                    else {
                        continue;
                    };
                    let new = to.schemas.get(s).and_then(|x| x.types.get(fresh));
                    if s == schema && new.is_some_and(|t| t.kind == old.kind) {
                        out.push(RenameSuggestion {
                            rename: Rename {
                                kind: RenameKind::Type,
                                from: dotted(&[schema, name]),
                                to: fresh.clone(),
                            },
                            reason: "dropped and added with the same definition".into(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn same_columns(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| x.name == y.name && x.data_type == y.data_type)
}

fn dotted(parts: &[&String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.contains('.') || p.contains('"') {
                format!("\"{}\"", p.replace('"', "\"\""))
            } else {
                (*p).clone()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_dots_outside_quotes() {
        assert_eq!(split_name("a.b").unwrap(), ["a", "b"]);
        assert_eq!(split_name("\"a.b\".c").unwrap(), ["a.b", "c"]);
        assert_eq!(split_name("\"a\"\"b\".c").unwrap(), ["a\"b", "c"]);
        assert!(split_name("a..b").is_none());
        assert!(split_name("\"a").is_none());
    }

    #[test]
    fn names_are_replaced_whole_and_outside_strings() {
        assert_eq!(
            replace_name("SETOF public.mood", "public.mood", "public.feeling"),
            "SETOF public.feeling"
        );
        assert_eq!(
            replace_name("x.public.mood, public.moods", "public.mood", "public.f"),
            "x.public.mood, public.moods"
        );
        let casts = Casts::new(
            &QualifiedName::new("public", "mood"),
            &QualifiedName::new("public", "feeling"),
            "public",
        );
        let mut text = "m = 'a::mood'::mood AND n::public.mood <> m::moods".to_owned();
        casts.rewrite(&mut text);
        assert_eq!(
            text,
            "m = 'a::mood'::feeling AND n::public.feeling <> m::moods"
        );
    }
}
