//! Row-level security policies.

use super::{does_not_exist, ignored};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid};
use schema_model::{Policy, PolicyCommand, QualifiedName};
use sqlparser::ast::{
    AlterPolicy, AlterPolicyOperation, CreatePolicy, CreatePolicyCommand, CreatePolicyType,
    DropPolicy, Owner,
};
use std::collections::BTreeMap;

/// A policy role in canonical form: lowercase unquoted names as the catalog prints
/// them (`public` for everyone).
fn policy_role(replay: &Replay, owner: &Owner) -> String {
    match owner {
        Owner::Ident(ident) => replay.ident(ident),
        Owner::CurrentRole => "current_role".to_owned(),
        Owner::CurrentUser => "current_user".to_owned(),
        Owner::SessionUser => "session_user".to_owned(),
    }
}

fn roles(replay: &Replay, to: Option<&Vec<Owner>>) -> Vec<String> {
    let mut roles: Vec<String> = match to {
        Some(list) if !list.is_empty() => list.iter().map(|o| policy_role(replay, o)).collect(),
        _ => vec!["public".to_owned()],
    };
    roles.sort();
    roles.dedup();
    roles
}

fn policies_mut<'a>(
    replay: &'a mut Replay,
    table: &QualifiedName,
    loc: &Location,
) -> Result<&'a mut BTreeMap<String, Policy>> {
    Ok(&mut replay.table_mut(table, loc)?.policies)
}

pub(crate) fn create_policy(
    replay: &mut Replay,
    create: &CreatePolicy,
    loc: &Location,
) -> Result<Outcome> {
    let table = replay.resolve_table(&create.table_name, loc)?;
    let name = replay.ident(&create.name);
    let policy = Policy {
        name: name.clone(),
        permissive: !matches!(create.policy_type, Some(CreatePolicyType::Restrictive)),
        command: match create.command {
            None | Some(CreatePolicyCommand::All) => PolicyCommand::All,
            Some(CreatePolicyCommand::Select) => PolicyCommand::Select,
            Some(CreatePolicyCommand::Insert) => PolicyCommand::Insert,
            Some(CreatePolicyCommand::Update) => PolicyCommand::Update,
            Some(CreatePolicyCommand::Delete) => PolicyCommand::Delete,
        },
        roles: roles(replay, create.to.as_ref()),
        using: create.using.as_ref().map(|e| replay.expr(e)),
        with_check: create.with_check.as_ref().map(|e| replay.expr(e)),
        comment: None,
    };
    let policies = policies_mut(replay, &table, loc)?;
    if policies.contains_key(&name) {
        return Err(invalid(
            loc,
            format!("policy \"{name}\" for table \"{table}\" already exists"),
        ));
    }
    policies.insert(name, policy);
    Ok(Outcome::Applied)
}

pub(crate) fn alter_policy(
    replay: &mut Replay,
    alter: &AlterPolicy,
    loc: &Location,
) -> Result<Outcome> {
    let table = replay.resolve_table(&alter.table_name, loc)?;
    let name = replay.ident(&alter.name);
    let missing = || {
        invalid(
            loc,
            format!("policy \"{name}\" for table \"{table}\" does not exist"),
        )
    };
    match &alter.operation {
        AlterPolicyOperation::Rename { new_name } => {
            let new_name = replay.ident(new_name);
            let policies = policies_mut(replay, &table, loc)?;
            if policies.contains_key(&new_name) {
                return Err(invalid(
                    loc,
                    format!("policy \"{new_name}\" for table \"{table}\" already exists"),
                ));
            }
            let mut policy = policies.remove(&name).ok_or_else(missing)?;
            policy.name = new_name.clone();
            policies.insert(new_name, policy);
        }
        AlterPolicyOperation::Apply {
            to,
            using,
            with_check,
        } => {
            let new_roles = to.as_ref().map(|to| roles(replay, Some(to)));
            let using = using.as_ref().map(|e| replay.expr(e));
            let with_check = with_check.as_ref().map(|e| replay.expr(e));
            let policies = policies_mut(replay, &table, loc)?;
            let policy = policies.get_mut(&name).ok_or_else(missing)?;
            if let Some(roles) = new_roles {
                policy.roles = roles;
            }
            if using.is_some() {
                policy.using = using;
            }
            if with_check.is_some() {
                policy.with_check = with_check;
            }
        }
    }
    Ok(Outcome::Applied)
}

pub(crate) fn drop_policy(
    replay: &mut Replay,
    drop: &DropPolicy,
    loc: &Location,
) -> Result<Outcome> {
    let table = replay.resolve_table(&drop.table_name, loc)?;
    let name = replay.ident(&drop.name);
    let removed = match replay.realm.table_mut(&table) {
        Some(t) => t.policies.remove(&name),
        None if drop.if_exists => None,
        None => return Err(does_not_exist(loc, "relation", &table)),
    };
    if removed.is_none() {
        if drop.if_exists {
            return ignored(format!(
                "policy \"{name}\" for table \"{table}\" does not exist, skipping"
            ));
        }
        return Err(invalid(
            loc,
            format!("policy \"{name}\" for table \"{table}\" does not exist"),
        ));
    }
    Ok(Outcome::Applied)
}
