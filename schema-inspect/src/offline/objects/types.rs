//! User-defined types: enums, composites, ranges and domains.

use super::{already_exists, display_name, does_not_exist, ignored};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid, unsupported};
use schema_model::{Check, CompositeAttribute, DataType, Domain, QualifiedName, TypeDef, TypeKind};
use sqlparser::ast::{
    self, AlterType, AlterTypeAddValuePosition, AlterTypeOperation, CreateDomain, Expr, ObjectName,
    TableConstraint, UserDefinedTypeRangeOption, UserDefinedTypeRepresentation,
};
use std::collections::BTreeMap;

/// A type in canonical form; a type the dialect mapping cannot read is kept as its
/// lowercase text rather than failing the statement.
pub(crate) fn type_or_other(replay: &Replay, ty: &ast::DataType) -> DataType {
    match replay.data_type(ty) {
        Ok((ty, _)) => ty,
        Err(_) => DataType::Other(ty.to_string().to_lowercase()),
    }
}

/// Which statement family drops a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeClass {
    /// `DROP TYPE`.
    Type,
    /// `DROP DOMAIN`.
    Domain,
}

/// The type of that name, resolved through the search path.
pub(crate) fn resolve_type(
    replay: &Replay,
    name: &ObjectName,
    loc: &Location,
) -> Result<QualifiedName> {
    super::resolve(replay, name, loc, |s, n| s.types.contains_key(n))
}

fn type_mut<'a>(
    replay: &'a mut Replay,
    name: &QualifiedName,
    kind: &str,
    loc: &Location,
) -> Result<&'a mut TypeDef> {
    replay
        .realm
        .schemas
        .get_mut(&name.schema)
        .and_then(|s| s.types.get_mut(&name.name))
        .ok_or_else(|| does_not_exist(loc, kind, name))
}

fn insert_type(
    replay: &mut Replay,
    name: QualifiedName,
    kind: TypeKind,
    loc: &Location,
) -> Result<Outcome> {
    let privileges = super::grants::default_privileges(replay, &name.schema, "TYPES");
    let schema = replay.realm.schema_mut(&name.schema);
    if schema.types.contains_key(&name.name) {
        return Err(already_exists(loc, "type", &name));
    }
    schema.types.insert(
        name.name.clone(),
        TypeDef {
            name: name.name,
            kind,
            comment: None,
            privileges,
        },
    );
    Ok(Outcome::Applied)
}

pub(crate) fn create_type(
    replay: &mut Replay,
    name: &ObjectName,
    representation: Option<&UserDefinedTypeRepresentation>,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(name, loc)?;
    let kind = match representation {
        None => return ignored(format!("shell type \"{qn}\" has no definition to model")),
        Some(UserDefinedTypeRepresentation::Enum { labels }) => TypeKind::Enum {
            values: labels.iter().map(|l| l.value.clone()).collect(),
        },
        Some(UserDefinedTypeRepresentation::Composite { attributes }) => TypeKind::Composite {
            attributes: attributes
                .iter()
                .map(|a| CompositeAttribute {
                    name: replay.ident(&a.name),
                    data_type: type_or_other(replay, &a.data_type),
                    collation: a.collation.as_ref().map(|c| collation_name(replay, c)),
                })
                .collect(),
        },
        Some(UserDefinedTypeRepresentation::Range { options }) => {
            let mut subtype = None;
            let mut map = BTreeMap::new();
            for option in options {
                let (key, value) = match option {
                    UserDefinedTypeRangeOption::Subtype(ty) => {
                        subtype = Some(type_or_other(replay, ty));
                        continue;
                    }
                    UserDefinedTypeRangeOption::SubtypeOpClass(n) => ("subtype_opclass", n),
                    UserDefinedTypeRangeOption::Collation(n) => ("collation", n),
                    UserDefinedTypeRangeOption::Canonical(n) => ("canonical", n),
                    UserDefinedTypeRangeOption::SubtypeDiff(n) => ("subtype_diff", n),
                    UserDefinedTypeRangeOption::MultirangeTypeName(n) => {
                        // Stored qualified, as pg_dump prints it.
                        let multirange = replay.create_name(n, loc)?;
                        map.insert("multirange_type_name".to_owned(), multirange.to_string());
                        continue;
                    }
                };
                map.insert(key.to_owned(), display_name(replay, value));
            }
            let Some(subtype) = subtype else {
                return Err(invalid(loc, "type attribute \"subtype\" is required"));
            };
            // PostgreSQL names the multirange type after the range when not told:
            // the first "range" becomes "multirange", else "_multirange" is appended.
            map.entry("multirange_type_name".to_owned())
                .or_insert_with(|| {
                    let name = match qn.name.find("range") {
                        Some(at) => format!("{}multi{}", &qn.name[..at], &qn.name[at..]),
                        None => format!("{}_multirange", qn.name),
                    };
                    QualifiedName::new(qn.schema.clone(), name).to_string()
                });
            TypeKind::Range {
                subtype,
                options: map,
            }
        }
        Some(UserDefinedTypeRepresentation::SqlDefinition { .. }) => {
            return super::opaque::create_named(
                replay,
                "type",
                qn.to_string(),
                Some(&qn.schema),
                loc,
            );
        }
    };
    insert_type(replay, qn, kind, loc)
}

/// A collation's name as the model keeps it (see [`Replay::collation_name`]).
pub(crate) fn collation_name(replay: &Replay, name: &ObjectName) -> String {
    replay.collation_name(name)
}

/// `CREATE DOMAIN`. `not_null` carries a `NOT NULL` the fallback reader stripped
/// (sqlparser 0.64 cannot parse it).
pub(crate) fn create_domain(
    replay: &mut Replay,
    create: &CreateDomain,
    not_null: bool,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(&create.name, loc)?;
    let base_type = type_or_other(replay, &create.data_type);
    // The server cooks a domain's default as a column default of the base type.
    let default = create
        .default
        .as_ref()
        .and_then(|d| crate::offline::postgres::default_expr(replay, d, &base_type));
    let mut domain = Domain {
        base_type,
        not_null,
        default,
        collation: create.collation.as_ref().map(|c| replay.ident(c)),
        checks: BTreeMap::new(),
    };
    for constraint in &create.constraints {
        match constraint {
            TableConstraint::Check(check) => {
                let name = check.name.as_ref().map(|n| replay.ident(n));
                add_domain_check(replay, &qn, &mut domain, name, &check.expr, false);
            }
            other => {
                return Err(unsupported(loc, format!("domain constraint {other}")));
            }
        }
    }
    insert_type(replay, qn, TypeKind::Domain(domain), loc)
}

/// Adds a check to a domain, named `<domain>_check` (then `_check1`, ...) when the SQL
/// names none, as PostgreSQL does.
fn add_domain_check(
    replay: &Replay,
    domain_name: &QualifiedName,
    domain: &mut Domain,
    name: Option<String>,
    expr: &Expr,
    not_valid: bool,
) {
    let name = name.unwrap_or_else(|| {
        let base = format!("{}_check", domain_name.name);
        let mut candidate = base.clone();
        let mut n = 0;
        while domain.checks.contains_key(&candidate) {
            n += 1;
            candidate = format!("{base}{n}");
        }
        candidate
    });
    domain.checks.insert(
        name.clone(),
        Check {
            name,
            expression: replay.expr(expr),
            no_inherit: false,
            not_valid,
            not_enforced: false,
            comment: None,
        },
    );
}

pub(crate) fn alter_type(
    replay: &mut Replay,
    alter: &AlterType,
    loc: &Location,
) -> Result<Outcome> {
    let qn = resolve_type(replay, &alter.name, loc)?;
    match &alter.operation {
        AlterTypeOperation::Rename(rename) => {
            let new_name = replay.ident(&rename.new_name);
            rename_type(
                replay,
                &qn,
                QualifiedName::new(qn.schema.clone(), new_name),
                loc,
            )
        }
        AlterTypeOperation::AddValue(add) => {
            let value = add.value.value.clone();
            let ty = type_mut(replay, &qn, "type", loc)?;
            let TypeKind::Enum { values } = &mut ty.kind else {
                return Err(invalid(loc, format!("\"{qn}\" is not an enum")));
            };
            if values.contains(&value) {
                if add.if_not_exists {
                    return ignored(format!("enum label \"{value}\" already exists, skipping"));
                }
                return Err(invalid(
                    loc,
                    format!("enum label \"{value}\" already exists"),
                ));
            }
            let at = match &add.position {
                None => values.len(),
                Some(AlterTypeAddValuePosition::Before(neighbour)) => {
                    position(values, &neighbour.value, loc)?
                }
                Some(AlterTypeAddValuePosition::After(neighbour)) => {
                    position(values, &neighbour.value, loc)? + 1
                }
            };
            values.insert(at, value);
            Ok(Outcome::Applied)
        }
        AlterTypeOperation::RenameValue(rename) => {
            let ty = type_mut(replay, &qn, "type", loc)?;
            let TypeKind::Enum { values } = &mut ty.kind else {
                return Err(invalid(loc, format!("\"{qn}\" is not an enum")));
            };
            if values.contains(&rename.to.value) {
                return Err(invalid(
                    loc,
                    format!("enum label \"{}\" already exists", rename.to.value),
                ));
            }
            let at = position(values, &rename.from.value, loc)?;
            if let Some(slot) = values.get_mut(at) {
                *slot = rename.to.value.clone();
            }
            Ok(Outcome::Applied)
        }
    }
}

fn position(values: &[String], label: &str, loc: &Location) -> Result<usize> {
    values
        .iter()
        .position(|v| v == label)
        .ok_or_else(|| invalid(loc, format!("\"{label}\" is not an existing enum label")))
}

/// Renames or moves a type.
pub(crate) fn rename_type(
    replay: &mut Replay,
    from: &QualifiedName,
    to: QualifiedName,
    loc: &Location,
) -> Result<Outcome> {
    let taken = replay
        .realm
        .schemas
        .get(&to.schema)
        .is_some_and(|s| s.types.contains_key(&to.name));
    super::move_object(replay, "type", (from, to), taken, |s| &mut s.types, loc)
}

/// One action of `ALTER DOMAIN` (read by the fallback reader: sqlparser 0.64 has no
/// ALTER DOMAIN).
#[derive(Debug, Clone)]
pub(crate) enum DomainAction {
    SetDefault(Expr),
    DropDefault,
    SetNotNull,
    DropNotNull,
    AddCheck {
        name: Option<String>,
        expr: Expr,
        not_valid: bool,
    },
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    RenameConstraint {
        from: String,
        to: String,
    },
    Validate(String),
    Rename(String),
    SetSchema(String),
}

pub(crate) fn alter_domain(
    replay: &mut Replay,
    name: &ObjectName,
    action: DomainAction,
    loc: &Location,
) -> Result<Outcome> {
    let qn = resolve_type(replay, name, loc)?;
    match action {
        DomainAction::Rename(new_name) => {
            return rename_type(
                replay,
                &qn,
                QualifiedName::new(qn.schema.clone(), new_name),
                loc,
            );
        }
        DomainAction::SetSchema(schema) => {
            return rename_type(
                replay,
                &qn,
                QualifiedName::new(schema, qn.name.clone()),
                loc,
            );
        }
        _ => {}
    }
    // The check's canonical text needs `replay` while the domain is borrowed: compute
    // it first.
    let new_check = match &action {
        DomainAction::AddCheck { expr, .. } => Some(replay.expr(expr)),
        _ => None,
    };
    let default = match &action {
        DomainAction::SetDefault(expr) => {
            let base = replay
                .realm
                .schemas
                .get(&qn.schema)
                .and_then(|s| s.types.get(&qn.name))
                .and_then(|t| match &t.kind {
                    TypeKind::Domain(d) => Some(d.base_type.clone()),
                    _ => None,
                });
            match base {
                Some(base) => crate::offline::postgres::default_expr(replay, expr, &base),
                None => Some(replay.expr(expr)),
            }
        }
        _ => None,
    };
    let ty = type_mut(replay, &qn, "domain", loc)?;
    let TypeKind::Domain(domain) = &mut ty.kind else {
        return Err(invalid(loc, format!("\"{qn}\" is not a domain")));
    };
    match action {
        DomainAction::SetDefault(_) => domain.default = default,
        DomainAction::DropDefault => domain.default = None,
        DomainAction::SetNotNull => domain.not_null = true,
        DomainAction::DropNotNull => domain.not_null = false,
        DomainAction::AddCheck {
            name, not_valid, ..
        } => {
            let name = name.unwrap_or_else(|| {
                let base = format!("{}_check", qn.name);
                let mut candidate = base.clone();
                let mut n = 0;
                while domain.checks.contains_key(&candidate) {
                    n += 1;
                    candidate = format!("{base}{n}");
                }
                candidate
            });
            if domain.checks.contains_key(&name) {
                return Err(invalid(
                    loc,
                    format!("constraint \"{name}\" for domain \"{qn}\" already exists"),
                ));
            }
            domain.checks.insert(
                name.clone(),
                Check {
                    name,
                    expression: new_check.unwrap_or_default(),
                    no_inherit: false,
                    not_valid,
                    not_enforced: false,
                    comment: None,
                },
            );
        }
        DomainAction::DropConstraint { name, if_exists } => {
            if domain.checks.remove(&name).is_none() {
                if if_exists {
                    return ignored(format!(
                        "constraint \"{name}\" of domain \"{qn}\" does not exist, skipping"
                    ));
                }
                return Err(invalid(
                    loc,
                    format!("constraint \"{name}\" of domain \"{qn}\" does not exist"),
                ));
            }
        }
        DomainAction::RenameConstraint { from, to } => {
            let Some(mut check) = domain.checks.remove(&from) else {
                return Err(invalid(
                    loc,
                    format!("constraint \"{from}\" of domain \"{qn}\" does not exist"),
                ));
            };
            check.name = to.clone();
            domain.checks.insert(to, check);
        }
        DomainAction::Validate(name) => match domain.checks.get_mut(&name) {
            Some(check) => check.not_valid = false,
            None => {
                return Err(invalid(
                    loc,
                    format!("constraint \"{name}\" of domain \"{qn}\" does not exist"),
                ));
            }
        },
        DomainAction::Rename(_) | DomainAction::SetSchema(_) => {}
    }
    Ok(Outcome::Applied)
}

pub(crate) fn drop_types(
    replay: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    class: TypeClass,
    loc: &Location,
) -> Result<Outcome> {
    let kind = match class {
        TypeClass::Type => "type",
        TypeClass::Domain => "domain",
    };
    let mut skipped = Vec::new();
    for name in names {
        let qn = resolve_type(replay, name, loc)?;
        let Some(schema) = replay.realm.schemas.get_mut(&qn.schema) else {
            if if_exists {
                skipped.push(qn.to_string());
                continue;
            }
            return Err(does_not_exist(loc, kind, &qn));
        };
        match schema.types.get(&qn.name) {
            Some(ty) if class == TypeClass::Domain && !matches!(ty.kind, TypeKind::Domain(_)) => {
                return Err(invalid(loc, format!("\"{qn}\" is not a domain")));
            }
            Some(_) => {
                schema.types.remove(&qn.name);
            }
            None if if_exists => skipped.push(qn.to_string()),
            None => return Err(does_not_exist(loc, kind, &qn)),
        }
    }
    if skipped.is_empty() {
        Ok(Outcome::Applied)
    } else {
        ignored(format!(
            "{kind} \"{}\" does not exist, skipping",
            skipped.join("\", \"")
        ))
    }
}
