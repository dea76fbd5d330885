//! Triggers, on tables and (`INSTEAD OF`) on views.

use super::{already_exists, does_not_exist, ignored};
use crate::Location;
use crate::offline::fallback::Tokens;
use crate::offline::{Outcome, Replay, Result, invalid};
use schema_model::{
    Deferrable, Dialect, QualifiedName, Trigger, TriggerAction, TriggerEvent, TriggerTiming,
};
use sqlparser::ast::{
    AlterTrigger, AlterTriggerOperation, CreateTrigger, DeferrableInitial, DropTrigger, ObjectName,
    TriggerObject, TriggerObjectKind, TriggerPeriod, TriggerReferencingType,
};
use std::collections::BTreeMap;

/// Where a trigger hangs: a table or a view.
pub(crate) fn resolve_relation(
    replay: &Replay,
    name: &ObjectName,
    loc: &Location,
) -> Result<QualifiedName> {
    super::resolve(replay, name, loc, |s, n| {
        s.tables.contains_key(n) || s.views.contains_key(n)
    })
}

/// The triggers of a table or view.
pub(crate) fn triggers_mut<'a>(
    replay: &'a mut Replay,
    relation: &QualifiedName,
    loc: &Location,
) -> Result<&'a mut BTreeMap<String, Trigger>> {
    let Some(schema) = replay.realm.schemas.get_mut(&relation.schema) else {
        return Err(does_not_exist(loc, "relation", relation));
    };
    if let Some(table) = schema.tables.get_mut(&relation.name) {
        return Ok(&mut table.triggers);
    }
    if let Some(view) = schema.views.get_mut(&relation.name) {
        return Ok(&mut view.triggers);
    }
    Err(does_not_exist(loc, "relation", relation))
}

/// The trigger function a PostgreSQL trigger executes, resolved through the search
/// path among the functions replayed so far.
fn trigger_function(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
    // `pg_catalog` is searched before the search path, so a built-in trigger function
    // named without a schema is that one, whatever the realm defines.
    if let [function] = replay.name_parts(name).as_slice()
        && replay.dialect == Dialect::Postgres
        && crate::offline::postgres::BUILTIN_TRIGGER_FUNCTIONS.contains(&function.as_str())
    {
        return Ok(QualifiedName::new("pg_catalog", function.clone()));
    }
    replay.resolve_name(name, loc, |realm, qn| {
        realm
            .schemas
            .get(&qn.schema)
            .is_some_and(|s| super::functions::first_overload(s, &qn.name).is_some())
    })
}

/// The body of a MySQL or SQLite trigger as written: MySQL's statement after
/// `FOR EACH ROW [FOLLOWS|PRECEDES other]`, SQLite's `BEGIN ... END`.
pub(crate) fn body_as_written(dialect: Dialect, text: &str) -> Option<String> {
    let text = crate::offline::fallback::dehint(text);
    let mut tokens = Tokens::new(dialect, &text)?;
    match dialect {
        Dialect::Sqlite => {
            tokens.seek_kw("BEGIN")?;
            Some(tokens.rest_text().to_owned())
        }
        _ => {
            tokens.seek_kws(&["FOR", "EACH", "ROW"])?;
            tokens.kws(&["FOR", "EACH", "ROW"]);
            if tokens.kw("FOLLOWS") || tokens.kw("PRECEDES") {
                tokens.object_name()?;
            }
            Some(tokens.rest_text().to_owned())
        }
    }
}

/// `CREATE TRIGGER` as sqlparser reads it. `arguments` carries the literal arguments
/// of `EXECUTE FUNCTION f('a', 1)` that the fallback reader stripped (sqlparser 0.64
/// reads only types there); `if_not_exists` SQLite's clause, which it also strips.
pub(crate) fn create_trigger_with(
    replay: &mut Replay,
    create: &CreateTrigger,
    arguments: &[String],
    if_not_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let relation = resolve_relation(replay, &create.table_name, loc)?;
    let Some(name) = create.name.0.last().map(|p| super::part_name(replay, p)) else {
        return Err(invalid(loc, "empty trigger name"));
    };
    let timing = match create.period {
        Some(TriggerPeriod::Before) => TriggerTiming::Before,
        Some(TriggerPeriod::InsteadOf) => TriggerTiming::InsteadOf,
        Some(TriggerPeriod::After) | Some(TriggerPeriod::For) | None => TriggerTiming::After,
    };
    let mut events: Vec<TriggerEvent> = create
        .events
        .iter()
        .map(|e| match e {
            sqlparser::ast::TriggerEvent::Insert => TriggerEvent::Insert,
            sqlparser::ast::TriggerEvent::Update(columns) => TriggerEvent::Update {
                columns: columns.iter().map(|c| replay.ident(c)).collect(),
            },
            sqlparser::ast::TriggerEvent::Delete => TriggerEvent::Delete,
            sqlparser::ast::TriggerEvent::Truncate => TriggerEvent::Truncate,
        })
        .collect();
    events.sort();
    let for_each_row = match &create.trigger_object {
        Some(TriggerObjectKind::For(o) | TriggerObjectKind::ForEach(o)) => *o == TriggerObject::Row,
        // PostgreSQL defaults to FOR EACH STATEMENT; MySQL and SQLite only have row
        // triggers.
        None => replay.dialect != Dialect::Postgres,
    };
    let action = match &create.exec_body {
        Some(exec) => TriggerAction::Function {
            function: trigger_function(replay, &exec.func_desc.name, loc)?,
            arguments: arguments.to_vec(),
        },
        None => TriggerAction::Body(
            body_as_written(replay.dialect, &loc.statement).unwrap_or_else(|| {
                create
                    .statements
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            }),
        ),
    };
    let deferrable = match &create.characteristics {
        Some(c) if c.deferrable == Some(true) => match c.initially {
            Some(DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
        _ => Deferrable::NotDeferrable,
    };
    let from = match &create.referenced_table_name {
        Some(from) => Some(replay.resolve_table(from, loc)?),
        None => None,
    };
    let mut old_table = None;
    let mut new_table = None;
    for referencing in &create.referencing {
        let alias = super::display_name(replay, &referencing.transition_relation_name);
        match referencing.refer_type {
            TriggerReferencingType::OldTable => old_table = Some(alias),
            TriggerReferencingType::NewTable => new_table = Some(alias),
        }
    }
    let trigger = Trigger {
        name: name.clone(),
        timing,
        events,
        for_each_row,
        when: create.condition.as_ref().map(|c| replay.expr(c)),
        action,
        constraint: create.is_constraint,
        deferrable,
        from,
        old_table,
        new_table,
        enabled: true,
        comment: None,
    };
    insert_trigger(
        replay,
        &relation,
        trigger,
        create.or_replace || create.or_alter,
        if_not_exists,
        loc,
    )
}

pub(crate) fn create_trigger(
    replay: &mut Replay,
    create: &CreateTrigger,
    arguments: &[String],
    loc: &Location,
) -> Result<Outcome> {
    create_trigger_with(replay, create, arguments, false, loc)
}

/// Adds a trigger to a table or view.
pub(crate) fn insert_trigger(
    replay: &mut Replay,
    relation: &QualifiedName,
    trigger: Trigger,
    or_replace: bool,
    if_not_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let dialect = replay.dialect;
    if dialect != Dialect::Postgres {
        // MySQL and SQLite keep trigger names unique per schema, not per table.
        if let Some(owner) = find_trigger_table(replay, &relation.schema, &trigger.name) {
            if if_not_exists {
                return ignored(format!(
                    "trigger \"{}\" already exists, skipping",
                    trigger.name
                ));
            }
            if !or_replace || owner != *relation {
                return Err(already_exists(loc, "trigger", &trigger.name));
            }
        }
    }
    let triggers = triggers_mut(replay, relation, loc)?;
    if let Some(existing) = triggers.get_mut(&trigger.name) {
        if if_not_exists {
            return ignored(format!(
                "trigger \"{}\" already exists, skipping",
                trigger.name
            ));
        }
        if !or_replace {
            return Err(invalid(
                loc,
                format!(
                    "trigger \"{}\" for relation \"{relation}\" already exists",
                    trigger.name
                ),
            ));
        }
        let comment = existing.comment.take();
        *existing = Trigger { comment, ..trigger };
        return Ok(Outcome::Applied);
    }
    triggers.insert(trigger.name.clone(), trigger);
    Ok(Outcome::Applied)
}

/// The table or view of a schema that holds a trigger of that name (MySQL and SQLite
/// drop triggers by name alone).
pub(crate) fn find_trigger_table(
    replay: &Replay,
    schema: &str,
    trigger: &str,
) -> Option<QualifiedName> {
    let schema_def = replay.realm.schemas.get(schema)?;
    schema_def
        .tables
        .iter()
        .find(|(_, t)| t.triggers.contains_key(trigger))
        .map(|(n, _)| n)
        .or_else(|| {
            schema_def
                .views
                .iter()
                .find(|(_, v)| v.triggers.contains_key(trigger))
                .map(|(n, _)| n)
        })
        .map(|name| QualifiedName::new(schema, name.clone()))
}

pub(crate) fn drop_trigger(
    replay: &mut Replay,
    drop: &DropTrigger,
    loc: &Location,
) -> Result<Outcome> {
    let Some(name) = drop
        .trigger_name
        .0
        .last()
        .map(|p| super::part_name(replay, p))
    else {
        return Err(invalid(loc, "empty trigger name"));
    };
    let relation = match &drop.table_name {
        Some(table) => Some(resolve_relation(replay, table, loc)?),
        None => {
            let schema = replay.create_name(&drop.trigger_name, loc)?.schema;
            find_trigger_table(replay, &schema, &name)
        }
    };
    let removed = match &relation {
        Some(relation) => triggers_mut(replay, relation, loc)
            .ok()
            .and_then(|t| t.remove(&name)),
        None => None,
    };
    if removed.is_none() {
        if drop.if_exists {
            return ignored(format!("trigger \"{name}\" does not exist, skipping"));
        }
        return Err(match relation {
            Some(relation) => invalid(
                loc,
                format!("trigger \"{name}\" for table \"{relation}\" does not exist"),
            ),
            None => does_not_exist(loc, "trigger", &name),
        });
    }
    Ok(Outcome::Applied)
}

pub(crate) fn alter_trigger(
    replay: &mut Replay,
    alter: &AlterTrigger,
    loc: &Location,
) -> Result<Outcome> {
    let relation = resolve_relation(replay, &alter.table_name, loc)?;
    let name = replay.ident(&alter.name);
    match &alter.operation {
        AlterTriggerOperation::DependsOnExtension { .. } => {
            ignored("extension dependencies are not part of the schema model")
        }
        AlterTriggerOperation::Rename { new_name } => {
            let new_name = replay.ident(new_name);
            let triggers = triggers_mut(replay, &relation, loc)?;
            if triggers.contains_key(&new_name) {
                return Err(invalid(
                    loc,
                    format!("trigger \"{new_name}\" for relation \"{relation}\" already exists"),
                ));
            }
            let Some(mut trigger) = triggers.remove(&name) else {
                return Err(invalid(
                    loc,
                    format!("trigger \"{name}\" for table \"{relation}\" does not exist"),
                ));
            };
            trigger.name = new_name.clone();
            triggers.insert(new_name, trigger);
            Ok(Outcome::Applied)
        }
    }
}
