//! Schemas (MySQL databases), extensions and collations.
//!
//! MySQL: a realm models the database the connection uses as the schema with the empty
//! name. `CREATE DATABASE x` is not replayed (the realm is one database), and `USE x`
//! makes names qualified with `x` land in the default schema; names qualified with any
//! other database keep a schema of that name.

use super::{OWNERSHIP, already_exists, does_not_exist, ignored, literal_text};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid, unsupported};
use schema_model::{Collation, Dialect, Extension, Schema};
use sqlparser::ast::{
    AlterCollation, AlterCollationOperation, AlterSchema, AlterSchemaOperation, CreateCollation,
    CreateCollationDefinition, CreateExtension, DropExtension, ObjectName, ObjectType, SchemaName,
    SqlOption, Use,
};
use std::collections::BTreeMap;

/// The folded name of a schema: its last part (a database qualifier is dropped).
fn schema_name(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<String> {
    let parts = replay.name_parts(name);
    match parts.last() {
        Some(last) => Ok(replay.schema_alias(last)),
        None => Err(invalid(loc, "empty schema name")),
    }
}

pub(crate) fn create_schema(
    replay: &mut Replay,
    name: &SchemaName,
    if_not_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let name = match name {
        SchemaName::Simple(name) | SchemaName::NamedAuthorization(name, _) => {
            schema_name(replay, name, loc)?
        }
        // `CREATE SCHEMA AUTHORIZATION role` names the schema after the role.
        SchemaName::UnnamedAuthorization(role) => replay.ident(role),
    };
    if replay.dialect == Dialect::Mysql {
        // MySQL's CREATE SCHEMA is CREATE DATABASE.
        let parsed = ObjectName(vec![sqlparser::ast::ObjectNamePart::Identifier(
            sqlparser::ast::Ident::new(name),
        )]);
        return create_database(replay, &parsed, if_not_exists, None, None, loc);
    }
    let declared = replay.declared_schemas.contains(&name)
        || name == replay.dialect.default_schema()
        || replay.search_path.first() == Some(&name) && replay.dialect != Dialect::Postgres;
    if replay.realm.schemas.contains_key(&name) {
        if if_not_exists {
            return Ok(Outcome::Applied);
        }
        if declared {
            return Err(already_exists(loc, "schema", &name));
        }
        // Created implicitly by an object named in it before: now declared.
        replay.declared_schemas.insert(name);
        return Ok(Outcome::Applied);
    }
    replay.declared_schemas.insert(name.clone());
    let mut schema = Schema::new(name.clone());
    // Only global default privileges (no IN SCHEMA) apply to schemas.
    schema.privileges = super::grants::default_privileges(replay, "\0", "SCHEMAS");
    replay.realm.schemas.insert(name, schema);
    Ok(Outcome::Applied)
}

pub(crate) fn create_database(
    replay: &mut Replay,
    name: &ObjectName,
    if_not_exists: bool,
    charset: Option<&str>,
    collation: Option<&str>,
    loc: &Location,
) -> Result<Outcome> {
    if replay.dialect != Dialect::Mysql {
        return Err(unsupported(loc, "CREATE DATABASE"));
    }
    let name = schema_name(replay, name, loc)?;
    if name.is_empty() {
        // The database in use: its options describe the default schema.
        let schema = replay.realm.schema_mut("");
        schema.charset = charset.map(str::to_owned).or(schema.charset.take());
        schema.collation = collation.map(str::to_owned).or(schema.collation.take());
        return Ok(Outcome::Applied);
    }
    let _ = if_not_exists;
    ignored(format!(
        "CREATE DATABASE {name}: the realm models one database; `USE {name}` makes it the default schema"
    ))
}

pub(crate) fn use_database(replay: &mut Replay, use_: &Use, loc: &Location) -> Result<Outcome> {
    let name = match use_ {
        Use::Object(name) | Use::Database(name) | Use::Schema(name) => name,
        _ => return ignored("USE changes only the session"),
    };
    if replay.dialect != Dialect::Mysql {
        return ignored("USE changes only the session");
    }
    let parts = replay.name_parts(name);
    let Some(database) = parts.last() else {
        return Err(invalid(loc, "empty database name"));
    };
    replay.mysql_database = Some(database.clone());
    ignored(format!(
        "USE {database}: objects of database {database} go to the default schema"
    ))
}

pub(crate) fn alter_schema(
    replay: &mut Replay,
    alter: &AlterSchema,
    loc: &Location,
) -> Result<Outcome> {
    let name = schema_name(replay, &alter.name, loc)?;
    if !replay.realm.schemas.contains_key(&name) {
        if alter.if_exists {
            return ignored(format!("schema \"{name}\" does not exist, skipping"));
        }
        return Err(does_not_exist(loc, "schema", &name));
    }
    let mut outcome = Outcome::Applied;
    let mut current = name;
    for operation in &alter.operations {
        match operation {
            AlterSchemaOperation::OwnerTo { .. } => outcome = Outcome::Ignored(OWNERSHIP.into()),
            AlterSchemaOperation::Rename { name } => {
                let new_name = schema_name(replay, name, loc)?;
                if replay.realm.schemas.contains_key(&new_name) {
                    return Err(already_exists(loc, "schema", &new_name));
                }
                if let Some(mut schema) = replay.realm.schemas.remove(&current) {
                    schema.name = new_name.clone();
                    rename_schema_references(replay, &current, &new_name);
                    replay.realm.schemas.insert(new_name.clone(), schema);
                }
                current = new_name;
            }
            other => return Err(unsupported(loc, format!("ALTER SCHEMA {other}"))),
        }
    }
    Ok(outcome)
}

/// Other schemas' references (foreign keys, sequence owners) follow a renamed schema,
/// as the database keeps them by identity.
fn rename_schema_references(replay: &mut Replay, from: &str, to: &str) {
    for schema in replay.realm.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            for fk in table.foreign_keys.values_mut() {
                if fk.referenced_table.schema == from {
                    fk.referenced_table.schema = to.to_owned();
                }
            }
        }
        for sequence in schema.sequences.values_mut() {
            if let Some(owner) = sequence
                .owned_by
                .as_mut()
                .filter(|o| o.table.schema == from)
            {
                owner.table.schema = to.to_owned();
            }
        }
    }
}

pub(crate) fn drop_schemas(
    replay: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    cascade: bool,
    object_type: ObjectType,
    loc: &Location,
) -> Result<Outcome> {
    let mut skipped = Vec::new();
    for name in names {
        let name = schema_name(replay, name, loc)?;
        if replay.dialect == Dialect::Mysql
            && (name.is_empty() || object_type == ObjectType::Database)
            && !replay.realm.schemas.contains_key(&name)
        {
            skipped.push(name);
            continue;
        }
        match replay.realm.schemas.get(&name) {
            None if if_exists => skipped.push(name),
            None => return Err(does_not_exist(loc, "schema", &name)),
            Some(schema)
                if !cascade && !schema.is_empty() && replay.dialect == Dialect::Postgres =>
            {
                return Err(invalid(
                    loc,
                    format!(
                        "cannot drop schema \"{name}\" because other objects depend on it (use CASCADE)"
                    ),
                ));
            }
            Some(_) => {
                if replay.dialect == Dialect::Mysql && name.is_empty() {
                    // Dropping the database in use empties the default schema.
                    replay.realm.schemas.insert(String::new(), Schema::new(""));
                } else {
                    replay.realm.schemas.remove(&name);
                }
            }
        }
    }
    if skipped.is_empty() {
        Ok(Outcome::Applied)
    } else {
        ignored(format!(
            "schema {} does not exist, skipping",
            skipped
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

pub(crate) fn create_extension(
    replay: &mut Replay,
    create: &CreateExtension,
    loc: &Location,
) -> Result<Outcome> {
    let name = replay.ident(&create.name);
    if replay.realm.extensions.contains_key(&name) {
        if create.if_not_exists {
            return Ok(Outcome::Applied);
        }
        return Err(already_exists(loc, "extension", &name));
    }
    // Without `SCHEMA`, PostgreSQL installs into the schema new objects go to: fill it
    // in, so that `WITH SCHEMA public` and no clause read the same.
    let schema = match &create.schema {
        Some(schema) => replay.ident(schema),
        None => replay.creation_schema(),
    };
    let version = create.version.as_ref().map(|v| v.value.clone());
    replay.realm.extensions.insert(
        name.clone(),
        Extension {
            name,
            schema: Some(schema),
            version,
            comment: None,
        },
    );
    Ok(Outcome::Applied)
}

pub(crate) fn drop_extension(
    replay: &mut Replay,
    drop: &DropExtension,
    loc: &Location,
) -> Result<Outcome> {
    for name in &drop.names {
        let name = replay.ident(name);
        if replay.realm.extensions.remove(&name).is_none() && !drop.if_exists {
            return Err(does_not_exist(loc, "extension", &name));
        }
    }
    Ok(Outcome::Applied)
}

pub(crate) fn create_collation(
    replay: &mut Replay,
    create: &CreateCollation,
    loc: &Location,
) -> Result<Outcome> {
    let name = replay.create_name(&create.name, loc)?;
    let options = match &create.definition {
        CreateCollationDefinition::Options(options) => collation_options(replay, options),
        CreateCollationDefinition::From(from) => {
            let parts = replay.name_parts(from);
            let source = replay.resolve_name(from, loc, |realm, qn| {
                realm
                    .schemas
                    .get(&qn.schema)
                    .is_some_and(|s| s.collations.contains_key(&qn.name))
            })?;
            match replay
                .realm
                .schemas
                .get(&source.schema)
                .and_then(|s| s.collations.get(&source.name))
            {
                Some(existing) => existing.options.clone(),
                // A built-in collation such as "C" or "POSIX": libc with that locale,
                // as pg_dump prints the copy.
                None => {
                    let locale = parts.last().cloned().unwrap_or_default();
                    BTreeMap::from([
                        ("locale".to_owned(), locale),
                        ("provider".to_owned(), "libc".to_owned()),
                    ])
                }
            }
        }
    };
    let schema = replay.realm.schema_mut(&name.schema);
    if schema.collations.contains_key(&name.name) {
        if create.if_not_exists {
            return Ok(Outcome::Applied);
        }
        return Err(already_exists(loc, "collation", &name));
    }
    schema.collations.insert(
        name.name.clone(),
        Collation {
            name: name.name,
            options,
            comment: None,
        },
    );
    Ok(Outcome::Applied)
}

/// Collation options in canonical form: names lowercase, values unquoted, defaults
/// (`provider = libc`, `deterministic = true`) filled in or left out as pg_dump does,
/// and equal `lc_collate`/`lc_ctype` folded into `locale`.
fn collation_options(replay: &Replay, options: &[SqlOption]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for option in options {
        if let SqlOption::KeyValue { key, value } = option {
            let key = replay.name_parts(key).join(".").to_ascii_lowercase();
            let value = literal_text(value).unwrap_or_else(|| value.to_string());
            map.insert(key, value);
        }
    }
    map.entry("provider".to_owned())
        .or_insert_with(|| "libc".to_owned());
    if map
        .get("deterministic")
        .is_some_and(|d| matches!(d.to_ascii_lowercase().as_str(), "true" | "on" | "yes" | "1"))
    {
        map.remove("deterministic");
    } else if let Some(d) = map.get_mut("deterministic") {
        *d = "false".to_owned();
    }
    if !map.contains_key("locale")
        && map.contains_key("lc_collate")
        && map.get("lc_collate") == map.get("lc_ctype")
        && let Some(locale) = map.remove("lc_collate")
    {
        map.remove("lc_ctype");
        map.insert("locale".to_owned(), locale);
    }
    map
}

pub(crate) fn alter_collation(
    replay: &mut Replay,
    alter: &AlterCollation,
    loc: &Location,
) -> Result<Outcome> {
    let name = replay.resolve_name(&alter.name, loc, |realm, qn| {
        realm
            .schemas
            .get(&qn.schema)
            .is_some_and(|s| s.collations.contains_key(&qn.name))
    })?;
    match &alter.operation {
        AlterCollationOperation::OwnerTo(_) => ignored(OWNERSHIP),
        AlterCollationOperation::RefreshVersion => {
            ignored("REFRESH VERSION records the library version only")
        }
        AlterCollationOperation::RenameTo { new_name } => {
            let new_name = replay.ident(new_name);
            let schema = replay
                .realm
                .schemas
                .get_mut(&name.schema)
                .ok_or_else(|| does_not_exist(loc, "collation", &name))?;
            if schema.collations.contains_key(&new_name) {
                return Err(already_exists(loc, "collation", &new_name));
            }
            let mut collation = schema
                .collations
                .remove(&name.name)
                .ok_or_else(|| does_not_exist(loc, "collation", &name))?;
            collation.name = new_name.clone();
            schema.collations.insert(new_name, collation);
            Ok(Outcome::Applied)
        }
        AlterCollationOperation::SetSchema { schema_name } => {
            let target = super::display_name(replay, schema_name);
            let target = replay
                .name_parts(schema_name)
                .last()
                .cloned()
                .unwrap_or(target);
            let collation = replay
                .realm
                .schemas
                .get_mut(&name.schema)
                .and_then(|s| s.collations.remove(&name.name))
                .ok_or_else(|| does_not_exist(loc, "collation", &name))?;
            let Some(schema) = replay.realm.schemas.get_mut(&target) else {
                return Err(does_not_exist(loc, "schema", &target));
            };
            schema.collations.insert(collation.name.clone(), collation);
            Ok(Outcome::Applied)
        }
    }
}

pub(crate) fn drop_collations(
    replay: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    for name in names {
        let qn = replay.resolve_name(name, loc, |realm, qn| {
            realm
                .schemas
                .get(&qn.schema)
                .is_some_and(|s| s.collations.contains_key(&qn.name))
        })?;
        let removed = replay
            .realm
            .schemas
            .get_mut(&qn.schema)
            .and_then(|s| s.collations.remove(&qn.name));
        if removed.is_none() && !if_exists {
            return Err(does_not_exist(loc, "collation", &qn));
        }
    }
    Ok(Outcome::Applied)
}
