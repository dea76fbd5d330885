//! `GRANT`, `REVOKE` and `ALTER DEFAULT PRIVILEGES` (PostgreSQL).
//!
//! The model keeps the privileges granted explicitly: `ALL` is expanded into the
//! privileges that kind of object has, and a `REVOKE` removes entries. MySQL grants go
//! to accounts, not schema objects, and are not replayed.

use super::functions::resolve_routine;
use super::{ROLES, does_not_exist, ignored, role_name};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid, unsupported};
use schema_model::{DefaultPrivilege, Dialect, Privilege, QualifiedName};
use sqlparser::ast::{
    Action, AlterDefaultPrivileges, AlterDefaultPrivilegesOperation, DefaultPrivilegesObjectType,
    DefaultPrivilegesOption, Grant, GrantObjects, Grantee, GranteeName, GranteesType, Ident,
    ObjectName, Privileges, Revoke,
};

const TABLE_PRIVILEGES: [&str; 7] = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
];
const SEQUENCE_PRIVILEGES: [&str; 3] = ["USAGE", "SELECT", "UPDATE"];
const FUNCTION_PRIVILEGES: [&str; 1] = ["EXECUTE"];
const SCHEMA_PRIVILEGES: [&str; 2] = ["USAGE", "CREATE"];
const TYPE_PRIVILEGES: [&str; 1] = ["USAGE"];
const COLUMN_PRIVILEGES: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "REFERENCES"];

/// An object privileges are granted on.
#[derive(Debug, Clone)]
pub(crate) enum GrantTarget {
    Table(QualifiedName),
    View(QualifiedName),
    Sequence(QualifiedName),
    Function(QualifiedName, String),
    Schema(String),
    Type(QualifiedName),
    /// A kind the model keeps whole (a foreign table): privileges are not kept.
    Opaque(String),
}

impl GrantTarget {
    fn all_privileges(&self) -> &'static [&'static str] {
        match self {
            GrantTarget::Table(_) | GrantTarget::View(_) | GrantTarget::Opaque(_) => {
                &TABLE_PRIVILEGES
            }
            GrantTarget::Sequence(_) => &SEQUENCE_PRIVILEGES,
            GrantTarget::Function(..) => &FUNCTION_PRIVILEGES,
            GrantTarget::Schema(_) => &SCHEMA_PRIVILEGES,
            GrantTarget::Type(_) => &TYPE_PRIVILEGES,
        }
    }
}

/// One privilege as a statement names it: its keyword and, for column privileges, the
/// columns.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub privilege: String,
    pub columns: Vec<String>,
}

/// The privileges of a `GRANT`/`REVOKE`: `None` for `ALL`.
pub(crate) fn named_privileges(replay: &Replay, privileges: &Privileges) -> Option<Vec<Named>> {
    let Privileges::Actions(actions) = privileges else {
        return None;
    };
    let columns = |c: &Option<Vec<Ident>>| {
        c.as_ref()
            .map(|c| c.iter().map(|i| replay.ident(i)).collect())
            .unwrap_or_default()
    };
    Some(
        actions
            .iter()
            .map(|action| {
                let (privilege, columns) = match action {
                    Action::Select { columns: c } => ("SELECT".to_owned(), columns(c)),
                    Action::Insert { columns: c } => ("INSERT".to_owned(), columns(c)),
                    Action::Update { columns: c } => ("UPDATE".to_owned(), columns(c)),
                    Action::References { columns: c } => ("REFERENCES".to_owned(), columns(c)),
                    Action::Delete => ("DELETE".to_owned(), Vec::new()),
                    Action::Truncate => ("TRUNCATE".to_owned(), Vec::new()),
                    Action::Trigger => ("TRIGGER".to_owned(), Vec::new()),
                    Action::Usage => ("USAGE".to_owned(), Vec::new()),
                    Action::Execute { .. } | Action::Exec { .. } => {
                        ("EXECUTE".to_owned(), Vec::new())
                    }
                    Action::Create { .. } => ("CREATE".to_owned(), Vec::new()),
                    Action::Connect => ("CONNECT".to_owned(), Vec::new()),
                    Action::Temporary => ("TEMPORARY".to_owned(), Vec::new()),
                    other => (other.to_string().to_ascii_uppercase(), Vec::new()),
                };
                Named { privilege, columns }
            })
            .collect(),
    )
}

/// The grantees of a statement, canonical: `PUBLIC`, or role names folded.
fn grantees(replay: &Replay, grantees: &[Grantee]) -> Vec<String> {
    grantees
        .iter()
        .map(|g| match (&g.grantee_type, &g.name) {
            (GranteesType::Public, _) | (_, None) => "PUBLIC".to_owned(),
            (_, Some(GranteeName::ObjectName(name))) => match name.0.as_slice() {
                [part] => match part.as_ident() {
                    Some(ident) => role_name(replay, ident),
                    None => part.to_string(),
                },
                _ => name.to_string(),
            },
            (_, Some(GranteeName::UserHost { user, host })) => {
                format!("{}@{}", user.value, host.value)
            }
        })
        .collect()
}

fn relation_target(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<GrantTarget> {
    let qn = super::resolve(replay, name, loc, |s, n| {
        s.has_relation(n)
            || s.other_objects
                .contains_key(&format!("foreign table {}.{n}", s.name))
    })?;
    let Some(schema) = replay.realm.schemas.get(&qn.schema) else {
        return Err(does_not_exist(loc, "relation", &qn));
    };
    if schema.tables.contains_key(&qn.name) {
        Ok(GrantTarget::Table(qn))
    } else if schema.views.contains_key(&qn.name) {
        Ok(GrantTarget::View(qn))
    } else if schema.sequences.contains_key(&qn.name) {
        Ok(GrantTarget::Sequence(qn))
    } else if schema
        .other_objects
        .contains_key(&format!("foreign table {qn}"))
    {
        Ok(GrantTarget::Opaque(format!("foreign table {qn}")))
    } else {
        Err(does_not_exist(loc, "relation", &qn))
    }
}

fn schema_target(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<String> {
    let parts = replay.name_parts(name);
    let Some(schema) = parts.last() else {
        return Err(invalid(loc, "empty schema name"));
    };
    let schema = replay.schema_alias(schema);
    if !replay.realm.schemas.contains_key(&schema) {
        return Err(does_not_exist(loc, "schema", &schema));
    }
    Ok(schema)
}

/// The objects a `GRANT`/`REVOKE` names.
fn targets(replay: &Replay, objects: &GrantObjects, loc: &Location) -> Result<Vec<GrantTarget>> {
    let mut out = Vec::new();
    match objects {
        GrantObjects::Tables(names) | GrantObjects::Views(names) => {
            for name in names {
                out.push(relation_target(replay, name, loc)?);
            }
        }
        GrantObjects::Sequences(names) => {
            for name in names {
                let qn = super::sequences::resolve_sequence(replay, name, loc)?;
                if replay
                    .realm
                    .schema(&qn.schema)
                    .and_then(|s| s.sequences.get(&qn.name))
                    .is_none()
                {
                    return Err(does_not_exist(loc, "sequence", &qn));
                }
                out.push(GrantTarget::Sequence(qn));
            }
        }
        GrantObjects::Schemas(names) => {
            for name in names {
                out.push(GrantTarget::Schema(schema_target(replay, name, loc)?));
            }
        }
        GrantObjects::Functions(descs)
        | GrantObjects::Procedures(descs)
        | GrantObjects::Routines(descs) => {
            for desc in descs {
                let Some((qn, key)) = resolve_routine(replay, desc, loc)? else {
                    return Err(does_not_exist(loc, "function", &desc.to_string()));
                };
                out.push(GrantTarget::Function(qn, key));
            }
        }
        GrantObjects::AllTablesInSchema { schemas } => {
            for name in schemas {
                let schema = schema_target(replay, name, loc)?;
                if let Some(s) = replay.realm.schema(&schema) {
                    out.extend(s.tables.keys().map(|t| {
                        GrantTarget::Table(QualifiedName::new(schema.clone(), t.clone()))
                    }));
                    out.extend(
                        s.views.keys().map(|v| {
                            GrantTarget::View(QualifiedName::new(schema.clone(), v.clone()))
                        }),
                    );
                }
            }
        }
        GrantObjects::AllSequencesInSchema { schemas } => {
            for name in schemas {
                let schema = schema_target(replay, name, loc)?;
                if let Some(s) = replay.realm.schema(&schema) {
                    out.extend(s.sequences.keys().map(|q| {
                        GrantTarget::Sequence(QualifiedName::new(schema.clone(), q.clone()))
                    }));
                }
            }
        }
        GrantObjects::AllFunctionsInSchema { schemas }
        | GrantObjects::AllProceduresInSchema { schemas }
        | GrantObjects::AllRoutinesInSchema { schemas } => {
            for name in schemas {
                let schema = schema_target(replay, name, loc)?;
                if let Some(s) = replay.realm.schema(&schema) {
                    out.extend(s.functions.iter().map(|(key, f)| {
                        GrantTarget::Function(
                            QualifiedName::new(schema.clone(), f.name.clone()),
                            key.clone(),
                        )
                    }));
                }
            }
        }
        other => {
            return Err(unsupported(loc, format!("privileges on {other}")));
        }
    }
    Ok(out)
}

fn privileges_mut<'a>(
    replay: &'a mut Replay,
    target: &GrantTarget,
) -> Option<&'a mut Vec<Privilege>> {
    let schemas = &mut replay.realm.schemas;
    match target {
        GrantTarget::Table(qn) => Some(
            &mut schemas
                .get_mut(&qn.schema)?
                .tables
                .get_mut(&qn.name)?
                .privileges,
        ),
        GrantTarget::View(qn) => Some(
            &mut schemas
                .get_mut(&qn.schema)?
                .views
                .get_mut(&qn.name)?
                .privileges,
        ),
        GrantTarget::Sequence(qn) => Some(
            &mut schemas
                .get_mut(&qn.schema)?
                .sequences
                .get_mut(&qn.name)?
                .privileges,
        ),
        GrantTarget::Function(qn, key) => Some(
            &mut schemas
                .get_mut(&qn.schema)?
                .functions
                .get_mut(key)?
                .privileges,
        ),
        GrantTarget::Schema(name) => Some(&mut schemas.get_mut(name)?.privileges),
        GrantTarget::Type(qn) => Some(
            &mut schemas
                .get_mut(&qn.schema)?
                .types
                .get_mut(&qn.name)?
                .privileges,
        ),
        GrantTarget::Opaque(_) => None,
    }
}

/// What a statement does to a privilege list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change {
    Grant { grantable: bool },
    Revoke { grant_option_only: bool },
}

fn change_list(list: &mut Vec<Privilege>, grantee: &str, privilege: &str, change: Change) {
    let existing = list
        .iter()
        .position(|p| p.grantee == grantee && p.privilege == privilege);
    match (change, existing) {
        (Change::Grant { grantable }, Some(at)) => {
            if let Some(p) = list.get_mut(at) {
                p.grantable |= grantable;
            }
        }
        (Change::Grant { grantable }, None) => list.push(Privilege {
            grantee: grantee.to_owned(),
            privilege: privilege.to_owned(),
            grantable,
        }),
        (
            Change::Revoke {
                grant_option_only: true,
            },
            Some(at),
        ) => {
            if let Some(p) = list.get_mut(at) {
                p.grantable = false;
            }
        }
        (
            Change::Revoke {
                grant_option_only: false,
            },
            Some(at),
        ) => {
            list.remove(at);
        }
        (Change::Revoke { .. }, None) => {}
    }
    list.sort();
}

/// Applies a grant or revoke on resolved targets; shared with the fallback reader
/// (`GRANT ... ON TYPE`, `ON DOMAIN`).
pub(crate) fn apply_change(
    replay: &mut Replay,
    privileges: Option<&[Named]>,
    targets: &[GrantTarget],
    grantees: &[String],
    change: Change,
    loc: &Location,
) -> Result<Outcome> {
    let mut outcome = Outcome::Applied;
    for target in targets {
        if let GrantTarget::Opaque(key) = target {
            outcome = Outcome::Ignored(format!("privileges on {key} are not modelled"));
            continue;
        }
        let expanded: Vec<Named> = match privileges {
            Some(list) => list.to_vec(),
            None => target
                .all_privileges()
                .iter()
                .map(|p| Named {
                    privilege: (*p).to_owned(),
                    columns: Vec::new(),
                })
                .collect(),
        };
        for named in &expanded {
            if !named.columns.is_empty() {
                if !COLUMN_PRIVILEGES.contains(&named.privilege.as_str()) {
                    return Err(invalid(
                        loc,
                        format!("invalid privilege type {} for column", named.privilege),
                    ));
                }
                let GrantTarget::Table(qn) = target else {
                    return Err(unsupported(loc, "column privileges on a view or sequence"));
                };
                for column in &named.columns {
                    let table = replay.table_mut(qn, loc)?;
                    let Some(col) = table.column_mut(column) else {
                        return Err(invalid(
                            loc,
                            format!("column \"{column}\" of relation \"{qn}\" does not exist"),
                        ));
                    };
                    for grantee in grantees {
                        change_list(&mut col.privileges, grantee, &named.privilege, change);
                    }
                }
                continue;
            }
            if !target.all_privileges().contains(&named.privilege.as_str()) {
                return Err(invalid(
                    loc,
                    format!("invalid privilege type {} for this object", named.privilege),
                ));
            }
            // A table-level REVOKE also takes the privilege back from every column.
            if let (Change::Revoke { grant_option_only }, GrantTarget::Table(qn)) = (change, target)
                && let Some(table) = replay.realm.table_mut(qn)
            {
                for col in &mut table.columns {
                    for grantee in grantees {
                        change_list(
                            &mut col.privileges,
                            grantee,
                            &named.privilege,
                            Change::Revoke { grant_option_only },
                        );
                    }
                }
            }
            let postgres = replay.dialect == schema_model::Dialect::Postgres;
            let Some(list) = privileges_mut(replay, target) else {
                return Err(invalid(loc, "the object of the grant does not exist"));
            };
            for grantee in grantees {
                // PUBLIC's USAGE on `public` is that schema's default since PostgreSQL
                // 15: granting it changes nothing, and the model leaves defaults out
                // (live inspection does the same).
                let public_default = postgres
                    && matches!(target, GrantTarget::Schema(name) if name == "public")
                    && grantee == "PUBLIC"
                    && named.privilege == "USAGE"
                    && matches!(change, Change::Grant { grantable: false });
                if !public_default {
                    change_list(list, grantee, &named.privilege, change);
                }
            }
        }
    }
    Ok(outcome)
}

pub(crate) fn grant(replay: &mut Replay, grant: &Grant, loc: &Location) -> Result<Outcome> {
    if replay.dialect != Dialect::Postgres {
        return ignored("MySQL privileges belong to accounts, not to schema objects");
    }
    let Some(objects) = &grant.objects else {
        return ignored(ROLES);
    };
    if let GrantObjects::Databases(_) = objects {
        return ignored("database privileges are not part of a schema");
    }
    let targets = targets(replay, objects, loc)?;
    let grantees = grantees(replay, &grant.grantees);
    let privileges = named_privileges(replay, &grant.privileges);
    apply_change(
        replay,
        privileges.as_deref(),
        &targets,
        &grantees,
        Change::Grant {
            grantable: grant.with_grant_option,
        },
        loc,
    )
}

pub(crate) fn revoke(replay: &mut Replay, revoke: &Revoke, loc: &Location) -> Result<Outcome> {
    if replay.dialect != Dialect::Postgres {
        return ignored("MySQL privileges belong to accounts, not to schema objects");
    }
    let Some(objects) = &revoke.objects else {
        return ignored(ROLES);
    };
    if let GrantObjects::Databases(_) = objects {
        return ignored("database privileges are not part of a schema");
    }
    let targets = targets(replay, objects, loc)?;
    let grantees = grantees(replay, &revoke.grantees);
    let privileges = named_privileges(replay, &revoke.privileges);
    apply_change(
        replay,
        privileges.as_deref(),
        &targets,
        &grantees,
        Change::Revoke {
            grant_option_only: revoke.grant_option_for,
        },
        loc,
    )
}

pub(crate) fn alter_default_privileges(
    replay: &mut Replay,
    alter: &AlterDefaultPrivileges,
    loc: &Location,
) -> Result<Outcome> {
    let mut roles: Vec<Option<String>> = Vec::new();
    let mut schemas: Vec<Option<String>> = Vec::new();
    for option in &alter.options {
        match option {
            DefaultPrivilegesOption::ForRole(list) => {
                roles.extend(list.iter().map(|r| Some(role_name(replay, r))));
            }
            DefaultPrivilegesOption::InSchema(list) => {
                for name in list {
                    schemas.push(Some(schema_target(replay, name, loc)?));
                }
            }
        }
    }
    if roles.is_empty() {
        roles.push(None);
    }
    if schemas.is_empty() {
        schemas.push(None);
    }
    let (privileges, object_type, grantees_list, change) = match &alter.operation {
        AlterDefaultPrivilegesOperation::Grant {
            privileges,
            object_type,
            grantees,
            with_grant_option,
        } => (
            privileges,
            object_type,
            grantees,
            Change::Grant {
                grantable: *with_grant_option,
            },
        ),
        AlterDefaultPrivilegesOperation::Revoke {
            grant_option_for,
            privileges,
            object_type,
            grantees,
            ..
        } => (
            privileges,
            object_type,
            grantees,
            Change::Revoke {
                grant_option_only: *grant_option_for,
            },
        ),
    };
    let (kind, all): (&str, &[&str]) = match object_type {
        DefaultPrivilegesObjectType::Tables => ("TABLES", &TABLE_PRIVILEGES),
        DefaultPrivilegesObjectType::Sequences => ("SEQUENCES", &SEQUENCE_PRIVILEGES),
        // PostgreSQL keeps ROUTINES as FUNCTIONS.
        DefaultPrivilegesObjectType::Functions | DefaultPrivilegesObjectType::Routines => {
            ("FUNCTIONS", &FUNCTION_PRIVILEGES)
        }
        DefaultPrivilegesObjectType::Types => ("TYPES", &TYPE_PRIVILEGES),
        DefaultPrivilegesObjectType::Schemas => ("SCHEMAS", &SCHEMA_PRIVILEGES),
        DefaultPrivilegesObjectType::LargeObjects => {
            return ignored("large objects are data, not schema");
        }
    };
    let names: Vec<String> = match named_privileges(replay, privileges) {
        Some(list) => list.into_iter().map(|n| n.privilege).collect(),
        None => all.iter().map(|p| (*p).to_owned()).collect(),
    };
    let grantees = grantees(replay, grantees_list);
    for role in &roles {
        for schema in &schemas {
            for privilege in &names {
                for grantee in &grantees {
                    let matches = |d: &DefaultPrivilege| {
                        d.for_role == *role
                            && d.schema == *schema
                            && d.object_kind == kind
                            && d.privilege.grantee == *grantee
                            && d.privilege.privilege == *privilege
                    };
                    let list = &mut replay.realm.default_privileges;
                    match change {
                        Change::Grant { grantable } => {
                            if let Some(d) = list.iter_mut().find(|d| matches(d)) {
                                d.privilege.grantable |= grantable;
                            } else {
                                list.push(DefaultPrivilege {
                                    for_role: role.clone(),
                                    schema: schema.clone(),
                                    object_kind: kind.to_owned(),
                                    privilege: Privilege {
                                        grantee: grantee.clone(),
                                        privilege: privilege.clone(),
                                        grantable,
                                    },
                                });
                            }
                        }
                        Change::Revoke {
                            grant_option_only: true,
                        } => {
                            if let Some(d) = list.iter_mut().find(|d| matches(d)) {
                                d.privilege.grantable = false;
                            }
                        }
                        Change::Revoke {
                            grant_option_only: false,
                        } => list.retain(|d| !matches(d)),
                    }
                }
            }
        }
    }
    replay.realm.default_privileges.sort();
    Ok(Outcome::Applied)
}

/// The privileges `ALTER DEFAULT PRIVILEGES` gives a new object of that kind
/// (`TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES`, `SCHEMAS`) in that schema, as the
/// database applies them when the object is created. The role that creates it is not
/// known offline: entries for every role apply.
pub(crate) fn default_privileges(replay: &Replay, schema: &str, kind: &str) -> Vec<Privilege> {
    let mut privileges: Vec<Privilege> = replay
        .realm
        .default_privileges
        .iter()
        .filter(|d| d.object_kind == kind && d.schema.as_deref().is_none_or(|s| s == schema))
        .map(|d| d.privilege.clone())
        .collect();
    privileges.sort();
    privileges.dedup_by(|a, b| a.grantee == b.grantee && a.privilege == b.privilege);
    privileges
}
