//! Model × model to typed changes.
//!
//! [`diff`] compares two realms of one dialect and lists what differs as [`Change`]s:
//! an object added, dropped, renamed or modified, for every object kind the model holds.
//! A modified table itemizes its changes ([`TableChange`]): columns, keys, constraints,
//! indexes, triggers, policies and table attributes; a modified column itemizes its own
//! ([`ColumnChange`]): type, nullability, default, identity, generated expression,
//! collation, comment and the rest.
//!
//! Renames are never guessed. The caller states them as [`Rename`] hints; without one, a
//! renamed table is a drop and an add, and [`Diff::suggestions`] lists the pairs that look
//! like renames so that a tool can ask.
//!
//! ```
//! use schema_diff::{diff, Change, DiffOptions, TableChange};
//! use schema_model::{Column, DataType, Dialect, Realm, Table};
//!
//! let mut from = Realm::new(Dialect::Postgres);
//! let mut users = Table::new("users");
//! users.columns.push(Column::new("id", DataType::BigInt));
//! from.schema_mut("public").tables.insert("users".into(), users.clone());
//!
//! let mut to = from.clone();
//! let table = to.schema_mut("public").tables.get_mut("users").unwrap();
//! table.columns.push(Column::new("email", DataType::Text));
//!
//! let changes = diff(&from, &to, &DiffOptions::default()).unwrap().changes;
//! assert_eq!(
//!     changes,
//!     [Change::ModifyTable {
//!         schema: "public".into(),
//!         name: "users".into(),
//!         changes: vec![TableChange::AddColumn { name: "email".into() }],
//!     }]
//! );
//! ```

mod fields;
mod filter;
mod rename;
mod text;

pub use filter::{Pattern, scope, scoped};
pub use rename::{apply_renames, renamed};
pub use text::changes_text;

use schema_model::{
    Column, DataType, DefaultPrivilege, Dialect, Generated, Identity, Realm, Schema, Table,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What a rename hint renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenameKind {
    /// A table: `schema.old` to `schema.new` (the new name is unqualified).
    Table,
    /// A column: `schema.table.old` to `new`.
    Column,
    /// An index: `schema.table.old` to `new`.
    Index,
    /// A user-defined type (PostgreSQL enum, composite, range or domain): `schema.old`
    /// to `new`. The columns, attributes and routines that use it follow it.
    Type,
    /// A label of an enum type: `schema.type.old` to `new`.
    EnumValue,
    /// A primary key, unique, foreign key, check or exclusion constraint:
    /// `schema.table.old` to `new`. Where the dialect keeps unique constraints as unique
    /// indexes (MySQL), a unique index of that name.
    Constraint,
}

impl RenameKind {
    /// The kind as the CLI's hints spell it: `table`, `enum-value`, ...
    pub fn keyword(self) -> &'static str {
        match self {
            RenameKind::Table => "table",
            RenameKind::Column => "column",
            RenameKind::Index => "index",
            RenameKind::Type => "type",
            RenameKind::EnumValue => "enum-value",
            RenameKind::Constraint => "constraint",
        }
    }

    /// How many parts a fully qualified old name has: `schema.object` for what lives in
    /// a schema, `schema.owner.member` for what lives in a table or a type.
    fn parts(self) -> usize {
        match self {
            RenameKind::Table | RenameKind::Type => 2,
            RenameKind::Column
            | RenameKind::Index
            | RenameKind::EnumValue
            | RenameKind::Constraint => 3,
        }
    }

    /// Whether the kind names an object in a schema (a table, a type) rather than a
    /// member of one.
    pub fn is_owner(self) -> bool {
        self.parts() == 2
    }
}

impl fmt::Display for RenameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A rename the caller asserts: the object `from` in the source realm is the object named
/// `to` in the target realm.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Rename {
    /// What is renamed.
    pub kind: RenameKind,
    /// The old name, dot-separated: `schema.table` for a table or `schema.type` for a
    /// type, `schema.table.member` for a column, an index or a constraint, and
    /// `schema.type.label` for an enum value. A part holding a `.` is double-quoted.
    /// Members name their table or type by its new name when it is renamed too.
    pub from: String,
    /// The new name, unqualified.
    pub to: String,
}

impl Rename {
    /// Reads a hint in the CLI's form, `KIND:FROM=TO`: `table:public.users=people`,
    /// `column:public.users.mail=email`, `index:public.users.users_mail=users_email`,
    /// `constraint:public.users.users_mail_key=users_email_key`,
    /// `type:public.mood=feeling` or `enum-value:public.mood.sad=blue`. Without a kind, a
    /// two-part `FROM` is a table and a three-part one a column.
    pub fn parse(text: &str) -> Result<Self, DiffError> {
        let bad = || DiffError::BadRename {
            hint: text.to_owned(),
            // The CLI's snapshots pin this text; `KIND`s are listed in `--rename`'s help.
            reason: "expected KIND:SCHEMA.TABLE[.COLUMN]=NEW_NAME".into(),
        };
        const KINDS: [RenameKind; 6] = [
            RenameKind::Table,
            RenameKind::Column,
            RenameKind::Index,
            RenameKind::Type,
            RenameKind::EnumValue,
            RenameKind::Constraint,
        ];
        let (kind, rest) = text
            .split_once(':')
            .and_then(|(word, rest)| {
                let kind = KINDS.into_iter().find(|k| k.keyword() == word)?;
                Some((Some(kind), rest))
            })
            .unwrap_or((None, text));
        let (from, to) = rest.split_once('=').ok_or_else(bad)?;
        let parts = rename::split_name(from).ok_or_else(bad)?;
        // With the kind spelled out, the schema may be left out: the dialect's default
        // schema is meant (MySQL's, the current database, has no name to write).
        let kind = match (kind, parts.len()) {
            (Some(kind), n) if n == kind.parts() || n + 1 == kind.parts() => kind,
            (None, 2) => RenameKind::Table,
            (None, 3) => RenameKind::Column,
            _ => return Err(bad()),
        };
        if to.is_empty() {
            return Err(bad());
        }
        Ok(Rename {
            kind,
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    /// The parts of `from` (schema, table or type and, for a member, its name), or
    /// `None` when it cannot be read. A schema left out is an empty first part: the
    /// dialect's default schema.
    pub fn from_parts(&self) -> Option<Vec<String>> {
        let mut parts = rename::split_name(&self.from)?;
        if parts.len() + 1 == self.kind.parts() {
            parts.insert(0, String::new());
        }
        Some(parts)
    }

    /// A dot-separated name in the form `from` takes: a part holding a `.` or a `"` is
    /// double-quoted, so that [`Rename::from_parts`] reads the same parts back, and an
    /// empty schema (the default one) is left out.
    pub fn join_name<S: AsRef<str>>(parts: &[S]) -> String {
        let parts = match parts.split_first() {
            Some((schema, rest)) if schema.as_ref().is_empty() => rest,
            _ => parts,
        };
        parts
            .iter()
            .map(|part| {
                let part = part.as_ref();
                if part.contains(['.', '"']) {
                    format!("\"{}\"", part.replace('"', "\"\""))
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Which objects a diff looks at, and the renames it may assume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiffOptions {
    /// Renames the caller asserts.
    pub renames: Vec<Rename>,
    /// When not empty, only these schemas are compared.
    pub include_schemas: Vec<String>,
    /// Schemas left out of the comparison.
    pub exclude_schemas: Vec<String>,
    /// Objects left out, as `schema.name` patterns where `*` matches any run of
    /// characters (`audit.*`, `*.tmp_*`). A matching table takes its columns, indexes
    /// and constraints with it.
    pub ignore: Vec<Pattern>,
}

/// A readable change of one attribute: its name and both values as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeChange {
    /// The attribute, such as `comment`, `options.engine` or `definition`.
    pub attribute: String,
    /// The old value, `(none)` when unset.
    pub from: String,
    /// The new value, `(none)` when unset.
    pub to: String,
}

impl fmt::Display for AttributeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} -> {}", self.attribute, self.from, self.to)
    }
}

/// One change of a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "attribute", rename_all = "snake_case")]
pub enum ColumnChange {
    /// The type (and, for MySQL, signedness).
    Type {
        /// The old type.
        from: DataType,
        /// The new type.
        to: DataType,
        /// Old `UNSIGNED`.
        from_unsigned: bool,
        /// New `UNSIGNED`.
        to_unsigned: bool,
    },
    /// `NOT NULL` set (`to == false`) or dropped.
    Nullable {
        /// Whether the column was nullable.
        from: bool,
        /// Whether it becomes nullable.
        to: bool,
    },
    /// The default expression.
    Default {
        /// The old default.
        from: Option<String>,
        /// The new default.
        to: Option<String>,
    },
    /// Identity (`GENERATED ... AS IDENTITY`).
    Identity {
        /// The old identity.
        from: Option<Identity>,
        /// The new identity.
        to: Option<Identity>,
    },
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`.
    AutoIncrement {
        /// Old value.
        from: bool,
        /// New value.
        to: bool,
    },
    /// The generation expression of a generated column.
    Generated {
        /// The old generation.
        from: Option<Generated>,
        /// The new generation.
        to: Option<Generated>,
    },
    /// The collation.
    Collation {
        /// The old collation.
        from: Option<String>,
        /// The new collation.
        to: Option<String>,
    },
    /// The comment.
    Comment {
        /// The old comment.
        from: Option<String>,
        /// The new comment.
        to: Option<String>,
    },
    /// Anything else (MySQL `ON UPDATE`, charset, invisibility, column grants, position).
    Other(AttributeChange),
}

/// One change inside a table that exists on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TableChange {
    /// A column added.
    AddColumn {
        /// Its name.
        name: String,
    },
    /// A column dropped.
    DropColumn {
        /// Its name.
        name: String,
    },
    /// A column renamed (only through a hint).
    RenameColumn {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A column modified.
    ModifyColumn {
        /// Its name.
        name: String,
        /// What changed.
        changes: Vec<ColumnChange>,
    },
    /// A key, constraint, index, trigger or policy added.
    Add {
        /// What it is: `primary key`, `unique`, `foreign key`, `check`, `exclusion`,
        /// `index`, `trigger`, `policy`.
        kind: ConstraintKind,
        /// Its name.
        name: String,
    },
    /// A key, constraint, index, trigger or policy dropped.
    Drop {
        /// What it is.
        kind: ConstraintKind,
        /// Its name.
        name: String,
    },
    /// An index renamed (only through a hint).
    RenameIndex {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A primary key, unique, foreign key, check or exclusion constraint renamed (only
    /// through a hint). A unique, primary key or exclusion constraint's index follows.
    /// Where the dialect has no statement for it (SQLite; MySQL but for unique keys),
    /// the planner drops the constraint and adds it under its new name.
    RenameConstraint {
        /// What it is.
        kind: ConstraintKind,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A key, constraint, index, trigger or policy modified in place.
    Modify {
        /// What it is.
        kind: ConstraintKind,
        /// Its name.
        name: String,
        /// What changed.
        attributes: Vec<AttributeChange>,
    },
    /// A table attribute: row level security, options, partitioning, comment, grants.
    Attribute(AttributeChange),
}

/// The kinds of objects a table holds besides columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// The primary key.
    PrimaryKey,
    /// A unique constraint.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// A check constraint.
    Check,
    /// An exclusion constraint.
    Exclusion,
    /// An index.
    Index,
    /// A trigger.
    Trigger,
    /// A row level security policy.
    Policy,
}

impl fmt::Display for ConstraintKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check",
            ConstraintKind::Exclusion => "exclusion constraint",
            ConstraintKind::Index => "index",
            ConstraintKind::Trigger => "trigger",
            ConstraintKind::Policy => "policy",
        })
    }
}

/// The kinds of schema-level objects other than tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A view or materialized view.
    View,
    /// A sequence.
    Sequence,
    /// An enum, composite, range type or domain.
    Type,
    /// A function, procedure or aggregate, keyed by signature.
    Function,
    /// A collation.
    Collation,
    /// A MySQL event.
    Event,
    /// An object the model keeps whole (operators, casts, text search objects, ...).
    Opaque,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::View => "view",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Type => "type",
            ObjectKind::Function => "function",
            ObjectKind::Collation => "collation",
            ObjectKind::Event => "event",
            ObjectKind::Opaque => "object",
        })
    }
}

/// One change between two realms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A schema (MySQL: database) added.
    AddSchema {
        /// Its name.
        name: String,
    },
    /// A schema dropped, with everything in it.
    DropSchema {
        /// Its name.
        name: String,
    },
    /// A schema's own attributes changed (comment, grants, charset).
    ModifySchema {
        /// Its name.
        name: String,
        /// What changed.
        attributes: Vec<AttributeChange>,
    },
    /// An extension added.
    AddExtension {
        /// Its name.
        name: String,
    },
    /// An extension dropped.
    DropExtension {
        /// Its name.
        name: String,
    },
    /// An extension's schema, version or comment changed.
    ModifyExtension {
        /// Its name.
        name: String,
        /// What changed.
        attributes: Vec<AttributeChange>,
    },
    /// A table added.
    AddTable {
        /// Its schema.
        schema: String,
        /// Its name.
        name: String,
    },
    /// A table dropped.
    DropTable {
        /// Its schema.
        schema: String,
        /// Its name.
        name: String,
    },
    /// A table renamed (only through a hint).
    RenameTable {
        /// Its schema.
        schema: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A type or another schema object renamed (only through a hint).
    Rename {
        /// Its kind.
        kind: ObjectKind,
        /// Its schema.
        schema: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A label of an enum type renamed (only through a hint).
    RenameEnumValue {
        /// The type's schema.
        schema: String,
        /// The type (its new name when renamed).
        name: String,
        /// The old label.
        from: String,
        /// The new label.
        to: String,
    },
    /// A table that exists on both sides, changed.
    ModifyTable {
        /// Its schema.
        schema: String,
        /// Its name (the new one when renamed).
        name: String,
        /// What changed, itemized.
        changes: Vec<TableChange>,
    },
    /// Another schema object added.
    Add {
        /// Its kind.
        kind: ObjectKind,
        /// Its schema.
        schema: String,
        /// Its name (a function's signature).
        name: String,
    },
    /// Another schema object dropped.
    Drop {
        /// Its kind.
        kind: ObjectKind,
        /// Its schema.
        schema: String,
        /// Its name.
        name: String,
    },
    /// Another schema object changed.
    Modify {
        /// Its kind.
        kind: ObjectKind,
        /// Its schema.
        schema: String,
        /// Its name.
        name: String,
        /// What changed.
        attributes: Vec<AttributeChange>,
    },
    /// `ALTER DEFAULT PRIVILEGES` entries granted or revoked.
    DefaultPrivileges {
        /// Entries only the target holds.
        added: Vec<DefaultPrivilege>,
        /// Entries only the source holds.
        removed: Vec<DefaultPrivilege>,
    },
}

impl Change {
    /// A label for messages: `table public.users`, `view app.v`, `schema audit`.
    pub fn object(&self) -> String {
        match self {
            Change::AddSchema { name }
            | Change::DropSchema { name }
            | Change::ModifySchema { name, .. } => format!("schema {name}"),
            Change::AddExtension { name }
            | Change::DropExtension { name }
            | Change::ModifyExtension { name, .. } => format!("extension {name}"),
            Change::AddTable { schema, name }
            | Change::DropTable { schema, name }
            | Change::ModifyTable { schema, name, .. } => format!("table {schema}.{name}"),
            Change::RenameTable { schema, from, .. } => format!("table {schema}.{from}"),
            Change::Rename {
                kind, schema, from, ..
            } => format!("{kind} {schema}.{from}"),
            Change::RenameEnumValue { schema, name, .. } => format!("type {schema}.{name}"),
            Change::Add { kind, schema, name }
            | Change::Drop { kind, schema, name }
            | Change::Modify {
                kind, schema, name, ..
            } => format!("{kind} {schema}.{name}"),
            Change::DefaultPrivileges { .. } => "default privileges".into(),
        }
    }
}

/// A drop and an add that look like one object renamed: same schema (and table), same
/// shape. Only a suggestion: a [`Rename`] hint makes it a rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameSuggestion {
    /// The hint that would turn the pair into a rename.
    pub rename: Rename,
    /// Why the pair looks like a rename.
    pub reason: String,
}

/// The changes from one realm to another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// The changes, renames first, then by object kind and name.
    pub changes: Vec<Change>,
    /// Pairs of drops and adds that may be renames.
    pub suggestions: Vec<RenameSuggestion>,
}

impl Diff {
    /// Whether the realms are equal within the diff's scope.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Why a diff could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The realms are of different dialects.
    #[error("cannot compare a {from} schema with a {to} schema")]
    DialectMismatch {
        /// The source realm's dialect.
        from: Dialect,
        /// The target realm's dialect.
        to: Dialect,
    },
    /// A rename hint that cannot be read or names nothing.
    #[error("rename hint {hint:?}: {reason}")]
    BadRename {
        /// The hint as given.
        hint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An ignore pattern that cannot be read.
    #[error("ignore pattern {pattern:?}: {reason}")]
    BadPattern {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The changes from `from` to `to`, within the options' scope and with their renames.
pub fn diff(from: &Realm, to: &Realm, options: &DiffOptions) -> Result<Diff, DiffError> {
    if from.dialect != to.dialect {
        return Err(DiffError::DialectMismatch {
            from: from.dialect,
            to: to.dialect,
        });
    }
    let from = scoped(from, options);
    let to = scoped(to, options);
    let (source, mut changes) = renamed(&from, &to, &options.renames)?;
    let mut diff = Diff::default();
    diff_realms(&source, &to, &mut diff.changes);
    // A renamed table's other changes follow its rename, under the new name.
    changes.append(&mut diff.changes);
    diff.changes = merge_table_renames(changes);
    diff.suggestions = rename::suggestions(&source, &to, &diff.changes);
    tracing::debug!(changes = diff.changes.len(), "diffed");
    Ok(diff)
}

/// Folds each table's column and index renames into its `ModifyTable` entry.
fn merge_table_renames(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    // Where each table's entry is, so that a large diff does not search the output for
    // every modified table.
    let mut entries: HashMap<(String, String), usize> = HashMap::new();
    for change in changes {
        if let Change::ModifyTable {
            schema,
            name,
            changes: items,
        } = change
        {
            let slot = (schema, name);
            if let Some(&i) = entries.get(&slot)
                && let Some(Change::ModifyTable {
                    changes: existing, ..
                }) = out.get_mut(i)
            {
                existing.extend(items);
                continue;
            }
            let (schema, name) = slot.clone();
            entries.insert(slot, out.len());
            out.push(Change::ModifyTable {
                schema,
                name,
                changes: items,
            });
        } else {
            out.push(change);
        }
    }
    out
}

fn diff_realms(from: &Realm, to: &Realm, out: &mut Vec<Change>) {
    for name in to.schemas.keys() {
        if !from.schemas.contains_key(name) {
            out.push(Change::AddSchema { name: name.clone() });
        }
    }
    for (name, old) in &from.extensions {
        match to.extensions.get(name) {
            None => out.push(Change::DropExtension { name: name.clone() }),
            Some(new) => {
                let attributes = attributes(old, new, &[]);
                if !attributes.is_empty() {
                    out.push(Change::ModifyExtension {
                        name: name.clone(),
                        attributes,
                    });
                }
            }
        }
    }
    for name in to.extensions.keys() {
        if !from.extensions.contains_key(name) {
            out.push(Change::AddExtension { name: name.clone() });
        }
    }
    let empty = Schema::new("");
    for (name, old) in &from.schemas {
        let new = to.schemas.get(name);
        if new.is_none() {
            out.push(Change::DropSchema { name: name.clone() });
        }
        let attributes = match new {
            Some(new) => attributes(&schema_shell(old), &schema_shell(new), SCHEMA_COLLECTIONS),
            None => Vec::new(),
        };
        if !attributes.is_empty() {
            out.push(Change::ModifySchema {
                name: name.clone(),
                attributes,
            });
        }
        diff_schema(name, old, new.unwrap_or(&empty), out);
    }
    for (name, new) in &to.schemas {
        if !from.schemas.contains_key(name) {
            diff_schema(name, &empty, new, out);
        }
    }
    let added: Vec<DefaultPrivilege> = to
        .default_privileges
        .iter()
        .filter(|p| !from.default_privileges.contains(p))
        .cloned()
        .collect();
    let removed: Vec<DefaultPrivilege> = from
        .default_privileges
        .iter()
        .filter(|p| !to.default_privileges.contains(p))
        .cloned()
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::DefaultPrivileges { added, removed });
    }
}

/// A schema's fields that hold objects, diffed one by one rather than as attributes.
const SCHEMA_COLLECTIONS: &[&str] = &[
    "name",
    "tables",
    "views",
    "sequences",
    "types",
    "functions",
    "collations",
    "events",
    "other_objects",
];

/// The schema without its objects: its own attributes are compared as JSON, and
/// serializing every table of a large schema for that would cost more than the whole
/// diff. The destructuring names every field, so that a new one is a compile error here
/// rather than an attribute silently left out of the comparison.
fn schema_shell(schema: &Schema) -> Schema {
    let Schema {
        name,
        tables: _,
        views: _,
        sequences: _,
        types: _,
        functions: _,
        collations: _,
        events: _,
        other_objects: _,
        comment,
        privileges,
        charset,
        collation,
    } = schema;
    Schema {
        name: name.clone(),
        comment: comment.clone(),
        privileges: privileges.clone(),
        charset: charset.clone(),
        collation: collation.clone(),
        ..Schema::default()
    }
}

/// A table's fields diffed item by item rather than as attributes.
const TABLE_COLLECTIONS: &[&str] = &[
    "name",
    "columns",
    "primary_key",
    "uniques",
    "foreign_keys",
    "checks",
    "exclusions",
    "indexes",
    "triggers",
    "policies",
];

fn diff_schema(schema: &str, from: &Schema, to: &Schema, out: &mut Vec<Change>) {
    let pairs: Vec<_> = schema_model::paired(&from.tables, &to.tables).collect();
    let table_changes =
        schema_model::map_in_halves(&pairs, |(_, old, new)| new.map(|new| diff_table(old, new)));
    for ((name, _, _), changes) in pairs.iter().zip(table_changes) {
        match changes {
            None => out.push(Change::DropTable {
                schema: schema.to_owned(),
                name: (*name).clone(),
            }),
            Some(changes) => {
                if !changes.is_empty() {
                    out.push(Change::ModifyTable {
                        schema: schema.to_owned(),
                        name: (*name).clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (name, _, old) in schema_model::paired(&to.tables, &from.tables) {
        if old.is_none() {
            out.push(Change::AddTable {
                schema: schema.to_owned(),
                name: name.clone(),
            });
        }
    }
    objects(schema, ObjectKind::Type, &from.types, &to.types, out);
    objects(
        schema,
        ObjectKind::Sequence,
        &from.sequences,
        &to.sequences,
        out,
    );
    objects(
        schema,
        ObjectKind::Collation,
        &from.collations,
        &to.collations,
        out,
    );
    objects(
        schema,
        ObjectKind::Function,
        &from.functions,
        &to.functions,
        out,
    );
    objects(schema, ObjectKind::View, &from.views, &to.views, out);
    objects(schema, ObjectKind::Event, &from.events, &to.events, out);
    objects(
        schema,
        ObjectKind::Opaque,
        &from.other_objects,
        &to.other_objects,
        out,
    );
}

fn objects<T: Serialize + PartialEq>(
    schema: &str,
    kind: ObjectKind,
    from: &BTreeMap<String, T>,
    to: &BTreeMap<String, T>,
    out: &mut Vec<Change>,
) {
    for (name, old, new) in schema_model::paired(from, to) {
        match new {
            None => out.push(Change::Drop {
                kind,
                schema: schema.to_owned(),
                name: name.clone(),
            }),
            Some(new) => {
                let attributes = attributes(old, new, &[]);
                if !attributes.is_empty() {
                    out.push(Change::Modify {
                        kind,
                        schema: schema.to_owned(),
                        name: name.clone(),
                        attributes,
                    });
                }
            }
        }
    }
    for (name, _, old) in schema_model::paired(to, from) {
        if old.is_none() {
            out.push(Change::Add {
                kind,
                schema: schema.to_owned(),
                name: name.clone(),
            });
        }
    }
}

/// The itemized changes of a table present on both sides.
pub fn diff_table(from: &Table, to: &Table) -> Vec<TableChange> {
    let mut out = Vec::new();
    // Most tables of a large schema are unchanged: equality is far cheaper than the
    // attribute-by-attribute comparison below.
    if from == to {
        return out;
    }
    for old in &from.columns {
        match to.column(&old.name) {
            None => out.push(TableChange::DropColumn {
                name: old.name.clone(),
            }),
            Some(new) => {
                let changes = diff_column(old, new);
                if !changes.is_empty() {
                    out.push(TableChange::ModifyColumn {
                        name: old.name.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for new in &to.columns {
        if from.column(&new.name).is_none() {
            out.push(TableChange::AddColumn {
                name: new.name.clone(),
            });
        }
    }
    // Column order matters to the model (and to `SELECT *`): a reorder of the columns
    // both sides hold is a change of its own.
    let kept_old: Vec<&str> = from
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| to.column(n).is_some())
        .collect();
    let kept_new: Vec<&str> = to
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| from.column(n).is_some())
        .collect();
    if kept_old != kept_new {
        out.push(TableChange::Attribute(AttributeChange {
            attribute: "column order".into(),
            from: kept_old.join(", "),
            to: kept_new.join(", "),
        }));
    }

    match (&from.primary_key, &to.primary_key) {
        (Some(old), None) => out.push(TableChange::Drop {
            kind: ConstraintKind::PrimaryKey,
            name: old.name.clone(),
        }),
        (None, Some(new)) => out.push(TableChange::Add {
            kind: ConstraintKind::PrimaryKey,
            name: new.name.clone(),
        }),
        (Some(old), Some(new)) => {
            let attributes = attributes(old, new, &[]);
            if !attributes.is_empty() {
                out.push(TableChange::Modify {
                    kind: ConstraintKind::PrimaryKey,
                    name: new.name.clone(),
                    attributes,
                });
            }
        }
        (None, None) => {}
    }
    members(ConstraintKind::Unique, &from.uniques, &to.uniques, &mut out);
    members(
        ConstraintKind::ForeignKey,
        &from.foreign_keys,
        &to.foreign_keys,
        &mut out,
    );
    members(ConstraintKind::Check, &from.checks, &to.checks, &mut out);
    members(
        ConstraintKind::Exclusion,
        &from.exclusions,
        &to.exclusions,
        &mut out,
    );
    members(ConstraintKind::Index, &from.indexes, &to.indexes, &mut out);
    members(
        ConstraintKind::Trigger,
        &from.triggers,
        &to.triggers,
        &mut out,
    );
    members(
        ConstraintKind::Policy,
        &from.policies,
        &to.policies,
        &mut out,
    );
    out.extend(
        attributes(from, to, TABLE_COLLECTIONS)
            .into_iter()
            .map(TableChange::Attribute),
    );
    out
}

fn members<T: Serialize + PartialEq>(
    kind: ConstraintKind,
    from: &BTreeMap<String, T>,
    to: &BTreeMap<String, T>,
    out: &mut Vec<TableChange>,
) {
    for (name, old) in from {
        match to.get(name) {
            None => out.push(TableChange::Drop {
                kind,
                name: name.clone(),
            }),
            Some(new) => {
                let attributes = attributes(old, new, &[]);
                if !attributes.is_empty() {
                    out.push(TableChange::Modify {
                        kind,
                        name: name.clone(),
                        attributes,
                    });
                }
            }
        }
    }
    for name in to.keys() {
        if !from.contains_key(name) {
            out.push(TableChange::Add {
                kind,
                name: name.clone(),
            });
        }
    }
}

/// The itemized changes of a column present on both sides.
pub fn diff_column(from: &Column, to: &Column) -> Vec<ColumnChange> {
    let mut out = Vec::new();
    if from == to {
        return out;
    }
    if from.data_type != to.data_type || from.unsigned != to.unsigned {
        out.push(ColumnChange::Type {
            from: from.data_type.clone(),
            to: to.data_type.clone(),
            from_unsigned: from.unsigned,
            to_unsigned: to.unsigned,
        });
    }
    if from.nullable != to.nullable {
        out.push(ColumnChange::Nullable {
            from: from.nullable,
            to: to.nullable,
        });
    }
    if from.default != to.default {
        out.push(ColumnChange::Default {
            from: from.default.clone(),
            to: to.default.clone(),
        });
    }
    if from.identity != to.identity {
        out.push(ColumnChange::Identity {
            from: from.identity.clone(),
            to: to.identity.clone(),
        });
    }
    if from.auto_increment != to.auto_increment {
        out.push(ColumnChange::AutoIncrement {
            from: from.auto_increment,
            to: to.auto_increment,
        });
    }
    if from.generated != to.generated {
        out.push(ColumnChange::Generated {
            from: from.generated.clone(),
            to: to.generated.clone(),
        });
    }
    if from.collation != to.collation {
        out.push(ColumnChange::Collation {
            from: from.collation.clone(),
            to: to.collation.clone(),
        });
    }
    if from.comment != to.comment {
        out.push(ColumnChange::Comment {
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
    const TYPED: &[&str] = &[
        "name",
        "type",
        "unsigned",
        "nullable",
        "default",
        "identity",
        "auto_increment",
        "generated",
        "collation",
        "comment",
    ];
    out.extend(
        attributes(from, to, TYPED)
            .into_iter()
            .map(ColumnChange::Other),
    );
    out
}

const ABSENT: &str = "(none)";

/// The top-level fields of two serializable values that differ, but for `skip`.
pub fn attributes<T: Serialize + PartialEq>(
    from: &T,
    to: &T,
    skip: &[&str],
) -> Vec<AttributeChange> {
    if from == to {
        return Vec::new();
    }
    let (from, to) = match (fields::top_level(from, skip), fields::top_level(to, skip)) {
        (Some(from), Some(to)) => (from, to),
        _ => match whole_values(from, to) {
            Ok(maps) => maps,
            Err(changes) => return changes,
        },
    };
    let mut keys: Vec<&String> = from.keys().chain(to.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let (a, b) = (from.get(key), to.get(key));
        if a == b {
            continue;
        }
        // Nested option maps are itemized one level down (`options.engine`), so that a
        // change reads as what changed rather than as two whole objects.
        if let (Some(Value::Object(a)), Some(Value::Object(b))) = (a, b) {
            let mut inner: Vec<&String> = a.keys().chain(b.keys()).collect();
            inner.sort();
            inner.dedup();
            for k in inner {
                if a.get(k) != b.get(k) {
                    out.push(AttributeChange {
                        attribute: format!("{key}.{k}"),
                        from: text(a.get(k)),
                        to: text(b.get(k)),
                    });
                }
            }
            continue;
        }
        out.push(AttributeChange {
            attribute: key.clone(),
            from: text(a),
            to: text(b),
        });
    }
    out
}

/// A value's fields by name, as JSON.
type Fields = serde_json::Map<String, Value>;

/// Two values that are not both structs, as JSON objects when both serialize to one
/// (a map), or else the whole-value change (none when they serialize alike).
fn whole_values<T: Serialize>(from: &T, to: &T) -> Result<(Fields, Fields), Vec<AttributeChange>> {
    let from = serde_json::to_value(from).unwrap_or(Value::Null);
    let to = serde_json::to_value(to).unwrap_or(Value::Null);
    match (from, to) {
        (Value::Object(from), Value::Object(to)) => Ok((from, to)),
        (from, to) if from == to => Err(Vec::new()),
        (from, to) => Err(vec![AttributeChange {
            attribute: "value".into(),
            from: text(Some(&from)),
            to: text(Some(&to)),
        }]),
    }
}

fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => ABSENT.to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
