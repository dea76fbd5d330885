//! `COMMENT ON`: the `comment` field of the object it names.
//!
//! sqlparser 0.64 reads only some of the forms; the fallback reader reads the rest into
//! the same [`CommentTarget`].

use super::functions::resolve_routine_parts;
use super::{ROLES, does_not_exist, ignored};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid};
use schema_model::QualifiedName;
use sqlparser::ast::{CommentObject, Ident, ObjectName, OperateFunctionArg};

/// The object a comment is on.
#[derive(Debug, Clone)]
pub(crate) enum CommentTarget {
    Schema(ObjectName),
    Extension(ObjectName),
    /// `TABLE`, `VIEW`, `MATERIALIZED VIEW`: a table or a view.
    Relation(ObjectName),
    /// `COLUMN [schema.]table.column`.
    Column(ObjectName),
    Index(ObjectName),
    Sequence(ObjectName),
    /// `TYPE` and `DOMAIN`.
    Type(ObjectName),
    Collation(ObjectName),
    /// `FUNCTION`, `PROCEDURE`, `AGGREGATE`, `ROUTINE`, with the argument list when
    /// one is written.
    Routine(ObjectName, Option<Vec<OperateFunctionArg>>),
    Trigger(Ident, ObjectName),
    Policy(Ident, ObjectName),
    /// `CONSTRAINT c ON table`.
    Constraint(Ident, ObjectName),
    /// `CONSTRAINT c ON DOMAIN d`.
    DomainConstraint(Ident, ObjectName),
    /// A kind the model keeps whole: its [`OpaqueObject`](schema_model::OpaqueObject)
    /// key parts.
    Opaque {
        kind: &'static str,
        name: ObjectName,
    },
    /// An opaque object by its schema and key (rules, whose key names their table).
    OpaqueKey {
        schema: String,
        key: String,
    },
    /// Roles and databases: not part of a schema.
    NotModelled(&'static str),
}

pub(crate) fn comment_statement(
    replay: &mut Replay,
    object_type: &CommentObject,
    name: &ObjectName,
    comment: Option<String>,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let name = name.clone();
    let target = match object_type {
        CommentObject::Collation => CommentTarget::Collation(name),
        CommentObject::Column => CommentTarget::Column(name),
        CommentObject::Database => CommentTarget::NotModelled("databases are not modelled"),
        CommentObject::Domain | CommentObject::Type => CommentTarget::Type(name),
        CommentObject::Extension => CommentTarget::Extension(name),
        CommentObject::ForeignTable => CommentTarget::Opaque {
            kind: "foreign table",
            name,
        },
        CommentObject::Function | CommentObject::Procedure => CommentTarget::Routine(name, None),
        CommentObject::Index => CommentTarget::Index(name),
        CommentObject::MaterializedView | CommentObject::Table | CommentObject::View => {
            CommentTarget::Relation(name)
        }
        CommentObject::Role | CommentObject::User => CommentTarget::NotModelled(ROLES),
        CommentObject::Schema => CommentTarget::Schema(name),
        CommentObject::Sequence => CommentTarget::Sequence(name),
    };
    let _ = if_exists;
    set_comment(replay, target, comment, loc)
}

fn last_part(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<String> {
    name.0
        .last()
        .map(|p| super::part_name(replay, p))
        .ok_or_else(|| invalid(loc, "empty name"))
}

/// Sets (or with `None` or `''`, removes) the comment on an object.
pub(crate) fn set_comment(
    replay: &mut Replay,
    target: CommentTarget,
    comment: Option<String>,
    loc: &Location,
) -> Result<Outcome> {
    // PostgreSQL stores an empty comment as none.
    let comment = comment.filter(|c| !c.is_empty());
    match target {
        CommentTarget::NotModelled(reason) => ignored(format!("comment not kept: {reason}")),
        CommentTarget::Schema(name) => {
            let schema_name = last_part(replay, &name, loc)?;
            let schema_name = replay.schema_alias(&schema_name);
            let schema = replay
                .realm
                .schemas
                .get_mut(&schema_name)
                .ok_or_else(|| does_not_exist(loc, "schema", &schema_name))?;
            // The comment `initdb` gives `public` is no comment in the model, as the
            // live inspector reads it: the SQL did not have to write it.
            schema.comment = comment.filter(|c| {
                !(replay.dialect == schema_model::Dialect::Postgres
                    && schema_name == "public"
                    && c == crate::offline::postgres::PUBLIC_SCHEMA_COMMENT)
            });
            Ok(Outcome::Applied)
        }
        CommentTarget::Extension(name) => {
            let ext = last_part(replay, &name, loc)?;
            // An extension's own comment (its control file's, which `CREATE EXTENSION`
            // sets) is no comment in the model; pg_dump writes it back out.
            let comment = comment.filter(|c| {
                crate::offline::postgres::extension_default_comment(&ext) != Some(c.as_str())
            });
            let extension = replay
                .realm
                .extensions
                .get_mut(&ext)
                .ok_or_else(|| does_not_exist(loc, "extension", &ext))?;
            extension.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Relation(name) => {
            let qn = super::triggers::resolve_relation(replay, &name, loc)?;
            let schema = replay.realm.schemas.get_mut(&qn.schema);
            match schema {
                Some(s) if s.tables.contains_key(&qn.name) => {
                    if let Some(t) = s.tables.get_mut(&qn.name) {
                        t.comment = comment;
                    }
                }
                Some(s) if s.views.contains_key(&qn.name) => {
                    if let Some(v) = s.views.get_mut(&qn.name) {
                        v.comment = comment;
                    }
                }
                _ => {
                    let key = format!("foreign table {qn}");
                    match replay
                        .realm
                        .schemas
                        .get_mut(&qn.schema)
                        .and_then(|s| s.other_objects.get_mut(&key))
                    {
                        Some(object) => object.comment = comment,
                        None => return Err(does_not_exist(loc, "relation", &qn)),
                    }
                }
            }
            Ok(Outcome::Applied)
        }
        CommentTarget::Column(name) => {
            let mut relation = name.clone();
            let Some(column) = relation.0.pop() else {
                return Err(invalid(loc, "empty column name"));
            };
            if relation.0.is_empty() {
                return Err(invalid(
                    loc,
                    format!("column name must be qualified: {name}"),
                ));
            }
            let column = super::part_name(replay, &column);
            let qn = super::triggers::resolve_relation(replay, &relation, loc)?;
            let missing = || {
                invalid(
                    loc,
                    format!("column \"{column}\" of relation \"{qn}\" does not exist"),
                )
            };
            let Some(schema) = replay.realm.schemas.get_mut(&qn.schema) else {
                return Err(does_not_exist(loc, "relation", &qn));
            };
            if let Some(table) = schema.tables.get_mut(&qn.name) {
                let col = table.column_mut(&column).ok_or_else(missing)?;
                col.comment = comment;
            } else if let Some(view) = schema.views.get_mut(&qn.name) {
                match comment {
                    Some(text) => {
                        view.column_comments.insert(column, text);
                    }
                    None => {
                        view.column_comments.remove(&column);
                    }
                }
            } else {
                return Err(does_not_exist(loc, "relation", &qn));
            }
            Ok(Outcome::Applied)
        }
        CommentTarget::Index(name) => {
            let index = last_part(replay, &name, loc)?;
            let schema_name = if name.0.len() > 1 {
                replay.create_name(&name, loc)?.schema
            } else {
                // Unqualified: the first schema on the search path holding it.
                replay
                    .search_path
                    .iter()
                    .find(|s| find_index(replay, s, &index))
                    .cloned()
                    .unwrap_or_else(|| replay.creation_schema())
            };
            let Some(schema) = replay.realm.schemas.get_mut(&schema_name) else {
                return Err(does_not_exist(loc, "index", &name.to_string()));
            };
            for table in schema.tables.values_mut() {
                if let Some(ix) = table.indexes.get_mut(&index) {
                    ix.comment = comment;
                    return Ok(Outcome::Applied);
                }
                // An index backing a constraint carries its comment on the constraint.
                if let Some(pk) = table.primary_key.as_mut().filter(|pk| pk.name == index) {
                    pk.comment = comment;
                    return Ok(Outcome::Applied);
                }
                if let Some(u) = table.uniques.get_mut(&index) {
                    u.comment = comment;
                    return Ok(Outcome::Applied);
                }
            }
            for view in schema.views.values_mut() {
                if let Some(ix) = view.indexes.get_mut(&index) {
                    ix.comment = comment;
                    return Ok(Outcome::Applied);
                }
            }
            Err(does_not_exist(
                loc,
                "index",
                &QualifiedName::new(schema_name, index),
            ))
        }
        CommentTarget::Sequence(name) => {
            let qn = super::sequences::resolve_sequence(replay, &name, loc)?;
            super::sequences::sequence_mut(replay, &qn, loc)?.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Type(name) => {
            let qn = super::types::resolve_type(replay, &name, loc)?;
            let ty = replay
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.types.get_mut(&qn.name))
                .ok_or_else(|| does_not_exist(loc, "type", &qn))?;
            ty.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Collation(name) => {
            let qn = super::resolve(replay, &name, loc, |s, n| s.collations.contains_key(n))?;
            let collation = replay
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.collations.get_mut(&qn.name))
                .ok_or_else(|| does_not_exist(loc, "collation", &qn))?;
            collation.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Routine(name, args) => {
            let Some((qn, key)) = resolve_routine_parts(replay, &name, args.as_deref(), loc)?
            else {
                return Err(does_not_exist(
                    loc,
                    "function",
                    &super::display_name(replay, &name),
                ));
            };
            if let Some(function) = replay
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.functions.get_mut(&key))
            {
                function.comment = comment;
            }
            Ok(Outcome::Applied)
        }
        CommentTarget::Trigger(trigger, relation) => {
            let qn = super::triggers::resolve_relation(replay, &relation, loc)?;
            let trigger = replay.ident(&trigger);
            let triggers = super::triggers::triggers_mut(replay, &qn, loc)?;
            let t = triggers.get_mut(&trigger).ok_or_else(|| {
                invalid(
                    loc,
                    format!("trigger \"{trigger}\" for table \"{qn}\" does not exist"),
                )
            })?;
            t.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Policy(policy, relation) => {
            let qn = replay.resolve_table(&relation, loc)?;
            let policy = replay.ident(&policy);
            let table = replay.table_mut(&qn, loc)?;
            let p = table.policies.get_mut(&policy).ok_or_else(|| {
                invalid(
                    loc,
                    format!("policy \"{policy}\" for table \"{qn}\" does not exist"),
                )
            })?;
            p.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Constraint(constraint, relation) => {
            let qn = replay.resolve_table(&relation, loc)?;
            let constraint = replay.ident(&constraint);
            let table = replay.table_mut(&qn, loc)?;
            let slot = if let Some(pk) = table
                .primary_key
                .as_mut()
                .filter(|pk| pk.name == constraint)
            {
                &mut pk.comment
            } else if let Some(u) = table.uniques.get_mut(&constraint) {
                &mut u.comment
            } else if let Some(fk) = table.foreign_keys.get_mut(&constraint) {
                &mut fk.comment
            } else if let Some(c) = table.checks.get_mut(&constraint) {
                &mut c.comment
            } else if let Some(x) = table.exclusions.get_mut(&constraint) {
                &mut x.comment
            } else {
                return Err(invalid(
                    loc,
                    format!("constraint \"{constraint}\" for table \"{qn}\" does not exist"),
                ));
            };
            *slot = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::DomainConstraint(constraint, domain) => {
            let qn = super::types::resolve_type(replay, &domain, loc)?;
            let constraint = replay.ident(&constraint);
            let check = replay
                .realm
                .schemas
                .get_mut(&qn.schema)
                .and_then(|s| s.types.get_mut(&qn.name))
                .and_then(|t| match &mut t.kind {
                    schema_model::TypeKind::Domain(d) => d.checks.get_mut(&constraint),
                    _ => None,
                })
                .ok_or_else(|| {
                    invalid(
                        loc,
                        format!("constraint \"{constraint}\" for domain \"{qn}\" does not exist"),
                    )
                })?;
            check.comment = comment;
            Ok(Outcome::Applied)
        }
        CommentTarget::Opaque { kind, name } => {
            let (schema, key) = super::opaque::locate(replay, kind, &name, loc)?;
            set_comment(
                replay,
                CommentTarget::OpaqueKey { schema, key },
                comment,
                loc,
            )
        }
        CommentTarget::OpaqueKey { schema, key } => {
            match replay
                .realm
                .schemas
                .get_mut(&schema)
                .and_then(|s| s.other_objects.get_mut(&key))
            {
                Some(object) => {
                    object.comment = comment;
                    Ok(Outcome::Applied)
                }
                None => Err(does_not_exist(loc, "object", &key)),
            }
        }
    }
}

fn find_index(replay: &Replay, schema: &str, index: &str) -> bool {
    replay.realm.schemas.get(schema).is_some_and(|s| {
        s.tables.values().any(|t| {
            t.indexes.contains_key(index)
                || t.uniques.contains_key(index)
                || t.primary_key.as_ref().is_some_and(|pk| pk.name == index)
        }) || s.views.values().any(|v| v.indexes.contains_key(index))
    })
}
