//! Sequences, and the option arithmetic identity columns share with them.

use super::{already_exists, does_not_exist, expr_i64, ignored};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid};
use schema_model::{DataType, QualifiedName, Sequence, SequenceOptions, SequenceOwner};
use sqlparser::ast::{self, ObjectName};

/// Sequence options as a statement spells them, before defaults are filled in.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct SequenceSpec {
    /// `AS type`.
    pub data_type: Option<DataType>,
    /// `INCREMENT [BY] n`.
    pub increment: Option<i64>,
    /// `MINVALUE n` (`Some(Some)`) or `NO MINVALUE` (`Some(None)`).
    pub min_value: Option<Option<i64>>,
    /// `MAXVALUE n` or `NO MAXVALUE`.
    pub max_value: Option<Option<i64>>,
    /// `START [WITH] n`.
    pub start: Option<i64>,
    /// `CACHE n`.
    pub cache: Option<i64>,
    /// `[NO] CYCLE`.
    pub cycle: Option<bool>,
    /// `OWNED BY table.column` (`Some(Some)`) or `OWNED BY NONE` (`Some(None)`).
    pub owned_by: Option<Option<ObjectName>>,
    /// `RESTART`: changes only the current value.
    pub restart: bool,
}

impl SequenceSpec {
    /// Reads sqlparser's option list.
    pub(crate) fn from_ast(
        replay: &Replay,
        options: &[ast::SequenceOptions],
        loc: &Location,
    ) -> Result<Self> {
        let number = |expr: &ast::Expr| {
            expr_i64(expr).ok_or_else(|| invalid(loc, format!("not an integer: {expr}")))
        };
        let mut spec = SequenceSpec::default();
        for option in options {
            match option {
                ast::SequenceOptions::DataType(ty) => {
                    spec.data_type = Some(replay.data_type_at(ty, loc)?.0);
                }
                ast::SequenceOptions::IncrementBy(e, _) => spec.increment = Some(number(e)?),
                ast::SequenceOptions::MinValue(e) => {
                    spec.min_value = Some(e.as_ref().map(number).transpose()?);
                }
                ast::SequenceOptions::MaxValue(e) => {
                    spec.max_value = Some(e.as_ref().map(number).transpose()?);
                }
                ast::SequenceOptions::StartWith(e, _) => spec.start = Some(number(e)?),
                ast::SequenceOptions::Cache(e) => spec.cache = Some(number(e)?),
                // sqlparser's flag is "NO": `Cycle(true)` means `NO CYCLE`.
                ast::SequenceOptions::Cycle(no) => spec.cycle = Some(!*no),
                ast::SequenceOptions::OwnedBy(owner) => spec.owned_by = Some(owner.clone()),
            }
        }
        Ok(spec)
    }

    /// The options of a new sequence (or identity): PostgreSQL's defaults for the type
    /// and the increment's sign, overridden by what is spelled out.
    pub(crate) fn build(&self, default_type: DataType) -> SequenceOptions {
        let data_type = self.data_type.clone().unwrap_or(default_type);
        let increment = self.increment.unwrap_or(1);
        let mut options = SequenceOptions::postgres_defaults(data_type, increment);
        if let Some(Some(min)) = self.min_value {
            options.min_value = min;
        }
        if let Some(Some(max)) = self.max_value {
            options.max_value = max;
        }
        options.start = self.start.unwrap_or(if increment < 0 {
            options.max_value
        } else {
            options.min_value
        });
        if let Some(cache) = self.cache {
            options.cache = cache;
        }
        if let Some(cycle) = self.cycle {
            options.cycle = cycle;
        }
        options
    }

    /// `ALTER SEQUENCE` on existing options: bounds that were at the old type's
    /// defaults follow a new type or increment sign, as PostgreSQL does.
    pub(crate) fn apply_to(&self, options: &mut SequenceOptions) {
        let old_defaults =
            SequenceOptions::postgres_defaults(options.data_type.clone(), options.increment);
        let data_type = self.data_type.clone().unwrap_or(options.data_type.clone());
        let increment = self.increment.unwrap_or(options.increment);
        let new_defaults = SequenceOptions::postgres_defaults(data_type.clone(), increment);
        options.min_value = match self.min_value {
            Some(Some(v)) => v,
            Some(None) => new_defaults.min_value,
            None if options.min_value == old_defaults.min_value => new_defaults.min_value,
            None => options.min_value,
        };
        options.max_value = match self.max_value {
            Some(Some(v)) => v,
            Some(None) => new_defaults.max_value,
            None if options.max_value == old_defaults.max_value => new_defaults.max_value,
            None => options.max_value,
        };
        options.data_type = data_type;
        options.increment = increment;
        if let Some(start) = self.start {
            options.start = start;
        }
        if let Some(cache) = self.cache {
            options.cache = cache;
        }
        if let Some(cycle) = self.cycle {
            options.cycle = cycle;
        }
    }

    /// Whether the statement changes any option (as opposed to only `RESTART` or
    /// `OWNED BY`).
    pub(crate) fn changes_options(&self) -> bool {
        self.data_type.is_some()
            || self.increment.is_some()
            || self.min_value.is_some()
            || self.max_value.is_some()
            || self.start.is_some()
            || self.cache.is_some()
            || self.cycle.is_some()
    }
}

/// Reads `OWNED BY [schema.]table.column` into the owner it names; `None` for
/// `OWNED BY NONE`.
pub(crate) fn owner(
    replay: &Replay,
    owned_by: Option<&ObjectName>,
    loc: &Location,
) -> Result<Option<SequenceOwner>> {
    let Some(name) = owned_by else {
        return Ok(None);
    };
    let mut table_name = name.clone();
    let Some(column) = table_name.0.pop() else {
        return Err(invalid(loc, "empty OWNED BY"));
    };
    if table_name.0.is_empty() {
        if super::part_name(replay, &column).eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        return Err(invalid(loc, format!("invalid OWNED BY option: {name}")));
    }
    let column = super::part_name(replay, &column);
    let table = replay.resolve_table(&table_name, loc)?;
    let Some(t) = replay.realm.table(&table) else {
        return Err(invalid(loc, format!("relation \"{table}\" does not exist")));
    };
    if t.column(&column).is_none() {
        return Err(invalid(
            loc,
            format!("column \"{column}\" of relation \"{table}\" does not exist"),
        ));
    }
    Ok(Some(SequenceOwner { table, column }))
}

pub(crate) fn create_sequence(
    replay: &mut Replay,
    name: &ObjectName,
    if_not_exists: bool,
    temporary: bool,
    options: &[ast::SequenceOptions],
    loc: &Location,
) -> Result<Outcome> {
    if temporary {
        return ignored("temporary sequences live only in the session");
    }
    let name = replay.create_name(name, loc)?;
    if super::relation_taken(replay, &name) {
        if if_not_exists {
            return ignored(format!("relation \"{name}\" already exists, skipping"));
        }
        return Err(already_exists(loc, "relation", &name));
    }
    let spec = SequenceSpec::from_ast(replay, options, loc)?;
    let owned_by = match &spec.owned_by {
        Some(owner_name) => owner(replay, owner_name.as_ref(), loc)?,
        None => None,
    };
    let sequence = Sequence {
        name: name.name.clone(),
        options: spec.build(DataType::BigInt),
        owned_by,
        comment: None,
        privileges: super::grants::default_privileges(replay, &name.schema, "SEQUENCES"),
    };
    replay
        .realm
        .schema_mut(&name.schema)
        .sequences
        .insert(name.name, sequence);
    Ok(Outcome::Applied)
}

/// The sequence of that name, resolved through the search path.
pub(crate) fn resolve_sequence(
    replay: &Replay,
    name: &ObjectName,
    loc: &Location,
) -> Result<QualifiedName> {
    super::resolve(replay, name, loc, |s, n| s.sequences.contains_key(n))
}

/// The sequence, mutably, or the error the database gives.
pub(crate) fn sequence_mut<'a>(
    replay: &'a mut Replay,
    name: &QualifiedName,
    loc: &Location,
) -> Result<&'a mut Sequence> {
    replay
        .realm
        .schemas
        .get_mut(&name.schema)
        .and_then(|s| s.sequences.get_mut(&name.name))
        .ok_or_else(|| does_not_exist(loc, "sequence", name))
}

/// `ALTER SEQUENCE name <options>` (read by the fallback reader: sqlparser 0.64 has no
/// ALTER SEQUENCE).
pub(crate) fn alter_sequence(
    replay: &mut Replay,
    name: &ObjectName,
    if_exists: bool,
    spec: &SequenceSpec,
    loc: &Location,
) -> Result<Outcome> {
    let qn = resolve_sequence(replay, name, loc)?;
    let exists = replay
        .realm
        .schemas
        .get(&qn.schema)
        .is_some_and(|s| s.sequences.contains_key(&qn.name));
    if !exists {
        if if_exists {
            return ignored(format!("relation \"{qn}\" does not exist, skipping"));
        }
        return Err(does_not_exist(loc, "sequence", &qn));
    }
    let owned_by = match &spec.owned_by {
        Some(owner_name) => Some(owner(replay, owner_name.as_ref(), loc)?),
        None => None,
    };
    let sequence = sequence_mut(replay, &qn, loc)?;
    spec.apply_to(&mut sequence.options);
    if let Some(owner) = owned_by {
        sequence.owned_by = owner;
    }
    if spec.restart && !spec.changes_options() && spec.owned_by.is_none() {
        return ignored("RESTART changes the sequence's data, not its definition");
    }
    Ok(Outcome::Applied)
}

/// `ALTER SEQUENCE ... RENAME TO` / `SET SCHEMA`.
pub(crate) fn move_sequence(
    replay: &mut Replay,
    from: &QualifiedName,
    to: QualifiedName,
    loc: &Location,
) -> Result<Outcome> {
    let taken = super::relation_taken(replay, &to);
    let moved = to.clone();
    let outcome = super::move_object(
        replay,
        "sequence",
        (from, to),
        taken,
        |s| &mut s.sequences,
        loc,
    )?;
    if replay.dialect == schema_model::Dialect::Postgres {
        crate::offline::tables::sequence_moved(replay, from, &moved);
    }
    Ok(outcome)
}

pub(crate) fn drop_sequences(
    replay: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let mut skipped = Vec::new();
    for name in names {
        let qn = resolve_sequence(replay, name, loc)?;
        let removed = replay
            .realm
            .schemas
            .get_mut(&qn.schema)
            .and_then(|s| s.sequences.remove(&qn.name));
        if removed.is_none() {
            if !if_exists {
                return Err(does_not_exist(loc, "sequence", &qn));
            }
            skipped.push(qn.to_string());
        }
    }
    if skipped.is_empty() {
        Ok(Outcome::Applied)
    } else {
        ignored(format!(
            "sequence \"{}\" does not exist, skipping",
            skipped.join("\", \"")
        ))
    }
}
