//! The canonical schema model shared by every Sextant crate.
//!
//! A [`Realm`] is everything one database holds: its schemas, and in each schema the
//! tables, views, sequences, types, functions and the rest. The model does no I/O and
//! knows nothing about SQL text; loaders build it and renderers print it.
//!
//! # Canonical form
//!
//! Two spellings of the same schema give equal models. The loaders are responsible for
//! that (type aliases, identifier case folding, the names a database gives unnamed
//! constraints and indexes, default expressions as the database reports them); the model
//! gives them the vocabulary: [`DataType`] has one variant per type the databases
//! themselves distinguish, names are stored as the database stores them, and every
//! collection is ordered deterministically.
//!
//! Canonical form follows PostgreSQL 15, MariaDB 10.11 (noting where MySQL 8 differs)
//! and SQLite 3.51, the versions Sextant is tested against.
//!
//! # Serialization is a contract
//!
//! The serde form of this crate is a versioned format: JSON round-trips exactly and equal
//! realms serialize to identical bytes (maps are [`BTreeMap`]s, ordered by name; lists
//! whose order has meaning, such as columns, keep it).

mod compare;
mod names;
mod pairs;
mod types;

pub mod quote;

pub use compare::{Difference, compare};
pub use names::QualifiedName;
pub use pairs::{PARALLEL_ITEMS, Paired, map_in_halves, on_two_threads, paired};
pub use types::DataType;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The SQL dialect a realm was read from, and that it renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// PostgreSQL 12 and later.
    Postgres,
    /// MySQL 8 and MariaDB 10.11.
    Mysql,
    /// SQLite 3.
    Sqlite,
}

impl Dialect {
    /// Every dialect, in a fixed order.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

    /// The lowercase name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// The schema that unqualified names land in when nothing else says so:
    /// `public` for PostgreSQL, `main` for SQLite, and for MySQL the empty name, which
    /// stands for "the database the connection uses" and renders unqualified.
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Postgres => "public",
            Dialect::Mysql => "",
            Dialect::Sqlite => "main",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "mysql" | "mariadb" => Ok(Dialect::Mysql),
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            _ => Err(UnknownDialect(s.to_owned())),
        }
    }
}

/// A dialect name that is not `postgres`, `mysql` or `sqlite`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown dialect `{0}`: expected postgres, mysql or sqlite")]
pub struct UnknownDialect(pub String);

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// Everything one database holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Realm {
    /// The dialect the realm was read from.
    pub dialect: Dialect,
    /// Schemas by name. PostgreSQL's `public` exists in a new realm; MySQL and SQLite
    /// realms hold their one default schema (see [`Dialect::default_schema`]).
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Installed extensions by name (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Extension>,
    /// `ALTER DEFAULT PRIVILEGES` entries, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_privileges: Vec<DefaultPrivilege>,
}

impl Realm {
    /// An empty realm as a new database of this dialect holds it: PostgreSQL's `public`
    /// schema, or the one default schema of MySQL and SQLite.
    pub fn new(dialect: Dialect) -> Self {
        let mut schemas = BTreeMap::new();
        let name = dialect.default_schema().to_owned();
        schemas.insert(name.clone(), Schema::new(name));
        Realm {
            dialect,
            schemas,
            extensions: BTreeMap::new(),
            default_privileges: Vec::new(),
        }
    }

    /// The schema of that name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.get(name)
    }

    /// The schema of that name, created empty if it does not exist.
    pub fn schema_mut(&mut self, name: &str) -> &mut Schema {
        self.schemas
            .entry(name.to_owned())
            .or_insert_with(|| Schema::new(name.to_owned()))
    }

    /// The table a qualified name points at.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.schemas.get(&name.schema)?.tables.get(&name.name)
    }

    /// The table a qualified name points at, mutably.
    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.schemas
            .get_mut(&name.schema)?
            .tables
            .get_mut(&name.name)
    }

    /// Puts the realm into its canonical order: sorts privilege lists and the other
    /// unordered lists, so that equal schemas compare and serialize equal. Loaders call
    /// this once at the end; it is idempotent.
    pub fn normalize(&mut self) {
        self.default_privileges.sort();
        self.default_privileges.dedup();
        for schema in self.schemas.values_mut() {
            schema.normalize();
        }
    }

    /// Serializes to pretty JSON, the form `sextant inspect --format json` prints.
    pub fn to_json(&self) -> String {
        // A realm holds only strings, numbers, bools, maps with string keys and lists:
        // serialization cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads the JSON form back.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Counts of the objects the realm holds, for summaries and benchmarks.
    pub fn stats(&self) -> RealmStats {
        let mut stats = RealmStats {
            schemas: self.schemas.len(),
            extensions: self.extensions.len(),
            ..RealmStats::default()
        };
        for schema in self.schemas.values() {
            stats.tables += schema.tables.len();
            stats.views += schema.views.len();
            stats.sequences += schema.sequences.len();
            stats.types += schema.types.len();
            stats.functions += schema.functions.len();
            for table in schema.tables.values() {
                stats.columns += table.columns.len();
                stats.indexes += table.indexes.len();
                stats.foreign_keys += table.foreign_keys.len();
                stats.triggers += table.triggers.len();
            }
        }
        stats
    }
}

/// Object counts of a realm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct RealmStats {
    pub schemas: usize,
    pub extensions: usize,
    pub tables: usize,
    pub columns: usize,
    pub indexes: usize,
    pub foreign_keys: usize,
    pub triggers: usize,
    pub views: usize,
    pub sequences: usize,
    pub types: usize,
    pub functions: usize,
}

/// A PostgreSQL extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The extension's name, such as `pgcrypto` or `vector`.
    pub name: String,
    /// The schema its objects were installed into, when one was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The version, when one was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `COMMENT ON EXTENSION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One schema (a MySQL database, an attached SQLite database).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The schema's name.
    pub name: String,
    /// Tables by name, partitions included.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Table>,
    /// Views and materialized views by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, View>,
    /// Sequences by name, except those that identity columns own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<String, Sequence>,
    /// Enum, composite, domain and range types by name (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeDef>,
    /// Functions, procedures and aggregates by signature, as `name(argtype, ...)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Function>,
    /// Collations by name (PostgreSQL `CREATE COLLATION`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collations: BTreeMap<String, Collation>,
    /// Scheduled events by name (MySQL `CREATE EVENT`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, Event>,
    /// Objects of kinds the model does not describe field by field (operators, casts,
    /// text search configurations, rules, publications, ...), kept whole so that
    /// nothing read is lost. Keyed by `kind name`, such as `operator public.===(text,text)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_objects: BTreeMap<String, OpaqueObject>,
    /// `COMMENT ON SCHEMA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted on the schema, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
    /// MySQL database options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// MySQL database default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl Schema {
    /// An empty schema.
    pub fn new(name: impl Into<String>) -> Self {
        Schema {
            name: name.into(),
            ..Schema::default()
        }
    }

    /// Whether the schema holds no object at all.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.views.is_empty()
            && self.sequences.is_empty()
            && self.types.is_empty()
            && self.functions.is_empty()
            && self.collations.is_empty()
            && self.events.is_empty()
            && self.other_objects.is_empty()
    }

    /// Whether a table, view or sequence of that name exists: they share one
    /// namespace per schema, so creating or renaming any of them must check all three.
    pub fn has_relation(&self, name: &str) -> bool {
        self.tables.contains_key(name)
            || self.views.contains_key(name)
            || self.sequences.contains_key(name)
    }

    fn normalize(&mut self) {
        sort_dedup(&mut self.privileges);
        for table in self.tables.values_mut() {
            sort_dedup(&mut table.privileges);
            for column in &mut table.columns {
                sort_dedup(&mut column.privileges);
            }
            for trigger in table.triggers.values_mut() {
                trigger.events.sort();
                trigger.events.dedup();
            }
            for policy in table.policies.values_mut() {
                policy.roles.sort();
                policy.roles.dedup();
            }
        }
        for view in self.views.values_mut() {
            sort_dedup(&mut view.privileges);
        }
        for sequence in self.sequences.values_mut() {
            sort_dedup(&mut sequence.privileges);
        }
        for function in self.functions.values_mut() {
            sort_dedup(&mut function.privileges);
        }
        for ty in self.types.values_mut() {
            sort_dedup(&mut ty.privileges);
        }
    }
}

fn sort_dedup<T: Ord>(list: &mut Vec<T>) {
    list.sort();
    list.dedup();
}

/// A table, a partitioned table or a partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The table's name.
    pub name: String,
    /// Columns in their declared order.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// The primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints by name. (MySQL has no unique constraints apart from unique
    /// indexes: there they are [`Index`]es with `unique`.)
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub uniques: BTreeMap<String, UniqueConstraint>,
    /// Foreign keys by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign_keys: BTreeMap<String, ForeignKey>,
    /// Check constraints by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, Check>,
    /// Exclusion constraints by name (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exclusions: BTreeMap<String, Exclusion>,
    /// Indexes by name, except the ones that back a primary key, unique or exclusion
    /// constraint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    /// Triggers by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// Row-level security policies by name (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, Policy>,
    /// `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_row_security: bool,
    /// `PARTITION BY`: this table is partitioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionBy>,
    /// `PARTITION OF`: this table is a partition of another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// `INHERITS (...)` parents, in declared order (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<QualifiedName>,
    /// Storage and engine options.
    #[serde(default, skip_serializing_if = "TableOptions::is_default")]
    pub options: TableOptions,
    /// `COMMENT ON TABLE`, or MySQL's `COMMENT=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Table-level privileges, sorted. Column privileges live on the columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
}

impl Table {
    /// An empty table.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }

    /// The column of that name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column of that name, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Whether a constraint or index of this name exists on the table. PostgreSQL keeps
    /// constraint and index names in one namespace per schema; this checks the table's
    /// share of it.
    pub fn has_constraint_or_index(&self, name: &str) -> bool {
        self.primary_key.as_ref().is_some_and(|pk| pk.name == name)
            || self.uniques.contains_key(name)
            || self.foreign_keys.contains_key(name)
            || self.checks.contains_key(name)
            || self.exclusions.contains_key(name)
            || self.indexes.contains_key(name)
    }
}

/// Storage and engine options of a table. Each field belongs to one dialect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOptions {
    /// PostgreSQL `UNLOGGED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// PostgreSQL storage parameters (`WITH (fillfactor = 70)`), names lowercase.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub storage_parameters: BTreeMap<String, String>,
    /// PostgreSQL `USING` table access method, when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_method: Option<String>,
    /// MySQL `ENGINE`, as the server spells it (`InnoDB`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// MySQL `DEFAULT CHARSET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// MySQL `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// MySQL `ROW_FORMAT`, uppercase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_format: Option<String>,
    /// SQLite `WITHOUT ROWID`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub without_rowid: bool,
    /// SQLite `STRICT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
}

impl TableOptions {
    /// Whether no option is set.
    pub fn is_default(&self) -> bool {
        self == &TableOptions::default()
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// Its canonical type.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// MySQL `UNSIGNED` on a numeric type.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unsigned: bool,
    /// Whether NULL is allowed.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub nullable: bool,
    /// The default expression, in the form the database reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `GENERATED ... AS IDENTITY` (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// MySQL `AUTO_INCREMENT`, or SQLite `AUTOINCREMENT` on an `INTEGER PRIMARY KEY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto_increment: bool,
    /// `GENERATED ALWAYS AS (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL `ON UPDATE CURRENT_TIMESTAMP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// An explicit `COLLATE` (MySQL also `CHARACTER SET`, see `charset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// MySQL column `CHARACTER SET`, when it differs from the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// `COMMENT ON COLUMN`, or MySQL's column `COMMENT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column-level privileges, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
    /// MySQL 8.0.23+ / MariaDB 10.3+ `INVISIBLE`: left out of `SELECT *` and of an
    /// `INSERT` without a column list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invisible: bool,
}

impl Column {
    /// A nullable column of that type with no other attribute.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        Column {
            name: name.into(),
            data_type,
            unsigned: false,
            nullable: true,
            default: None,
            identity: None,
            auto_increment: false,
            generated: None,
            on_update: None,
            collation: None,
            charset: None,
            comment: None,
            privileges: Vec::new(),
            invisible: false,
        }
    }
}

/// A PostgreSQL identity column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    /// The options of the sequence behind it, canonical (defaults filled in).
    pub sequence: SequenceOptions,
}

/// A generated column's expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// The expression.
    pub expression: String,
    /// `STORED` (true) or `VIRTUAL` (false).
    pub stored: bool,
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// The constraint's name: given, or as the database names it (`<table>_pkey`,
    /// `PRIMARY`; SQLite keeps none and the model uses the empty name).
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// `INCLUDE (...)` columns (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A unique constraint (as opposed to a unique index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    /// The constraint's name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// `INCLUDE (...)` columns (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Whether a constraint's check can be deferred to commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the default).
    #[default]
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`.
    InitiallyDeferred,
}

impl Deferrable {
    /// Whether this is the default, `NOT DEFERRABLE`.
    pub fn is_not_deferrable(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The constraint's name.
    pub name: String,
    /// Referencing columns in order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub referenced_table: QualifiedName,
    /// Referenced columns in order (filled in from the referenced primary key when the
    /// SQL leaves them out).
    pub referenced_columns: Vec<String>,
    /// `ON DELETE`.
    #[serde(default, skip_serializing_if = "ReferentialAction::is_no_action")]
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    #[serde(default, skip_serializing_if = "ReferentialAction::is_no_action")]
    pub on_update: ReferentialAction,
    /// PostgreSQL 15 `ON DELETE SET NULL (col, ...)` / `SET DEFAULT (col, ...)` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_delete_columns: Vec<String>,
    /// `MATCH FULL` / `MATCH PARTIAL`.
    #[serde(default, skip_serializing_if = "MatchType::is_simple")]
    pub match_type: MatchType,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// Added `NOT VALID` and not validated since (PostgreSQL).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A foreign key's `ON DELETE` / `ON UPDATE` action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION` (the default everywhere; MySQL treats it as `RESTRICT`).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl ReferentialAction {
    /// Whether this is the default, `NO ACTION`.
    pub fn is_no_action(&self) -> bool {
        *self == ReferentialAction::NoAction
    }

    /// The SQL keywords.
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A foreign key's `MATCH` type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// `MATCH SIMPLE` (the default).
    #[default]
    Simple,
    /// `MATCH FULL`.
    Full,
    /// `MATCH PARTIAL`.
    Partial,
}

impl MatchType {
    /// Whether this is the default, `MATCH SIMPLE`.
    pub fn is_simple(&self) -> bool {
        *self == MatchType::Simple
    }
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The constraint's name.
    pub name: String,
    /// The boolean expression, canonical.
    pub expression: String,
    /// `NO INHERIT` (PostgreSQL).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    /// Added `NOT VALID` and not validated since (PostgreSQL).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// MySQL 8 `NOT ENFORCED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_enforced: bool,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A PostgreSQL exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// The constraint's name.
    pub name: String,
    /// The index method (`gist` most often).
    pub method: IndexMethod,
    /// `(element WITH operator, ...)`.
    pub elements: Vec<ExclusionElement>,
    /// `INCLUDE (...)` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `WHERE (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `element WITH operator` of an exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    /// The indexed column or expression, with its operator class and order.
    pub part: IndexPart,
    /// The operator, such as `&&` or `=`.
    pub operator: String,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The index's name.
    pub name: String,
    /// `UNIQUE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// The access method.
    #[serde(default, skip_serializing_if = "IndexMethod::is_btree")]
    pub method: IndexMethod,
    /// Key parts in order.
    pub parts: Vec<IndexPart>,
    /// `INCLUDE (...)` columns (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The `WHERE` of a partial index, canonical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `WITH (...)` storage parameters, such as `lists = 100` for ivfflat or `m = 16` for
    /// hnsw; names lowercase.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    /// `COMMENT ON INDEX`, or MySQL's index `COMMENT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An index access method.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    /// B-tree, the default everywhere.
    #[default]
    Btree,
    /// Hash.
    Hash,
    /// PostgreSQL GIN.
    Gin,
    /// PostgreSQL GiST.
    Gist,
    /// PostgreSQL SP-GiST.
    Spgist,
    /// PostgreSQL BRIN.
    Brin,
    /// pgvector IVFFlat.
    Ivfflat,
    /// pgvector HNSW.
    Hnsw,
    /// MySQL `FULLTEXT`.
    Fulltext,
    /// MySQL `SPATIAL`.
    Spatial,
    /// Another method, lowercase (such as an extension's `bloom` or `rum`).
    Other(String),
}

impl IndexMethod {
    /// Whether this is the default, B-tree.
    pub fn is_btree(&self) -> bool {
        *self == IndexMethod::Btree
    }

    /// Reads a method name as written after `USING`, case-insensitively.
    pub fn from_name(name: &str) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "btree" => IndexMethod::Btree,
            "hash" => IndexMethod::Hash,
            "gin" => IndexMethod::Gin,
            "gist" => IndexMethod::Gist,
            "spgist" => IndexMethod::Spgist,
            "brin" => IndexMethod::Brin,
            "ivfflat" => IndexMethod::Ivfflat,
            "hnsw" => IndexMethod::Hnsw,
            "fulltext" => IndexMethod::Fulltext,
            "spatial" => IndexMethod::Spatial,
            other => IndexMethod::Other(other.to_owned()),
        }
    }

    /// The lowercase name, as written after `USING`.
    pub fn name(&self) -> &str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Spgist => "spgist",
            IndexMethod::Brin => "brin",
            IndexMethod::Ivfflat => "ivfflat",
            IndexMethod::Hnsw => "hnsw",
            IndexMethod::Fulltext => "fulltext",
            IndexMethod::Spatial => "spatial",
            IndexMethod::Other(name) => name,
        }
    }
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    /// A column or an expression.
    pub key: IndexKey,
    /// `DESC`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// An explicit `NULLS FIRST` / `NULLS LAST` that differs from the default for the
    /// order (PostgreSQL puts NULLs last ascending and first descending); `None` when it
    /// is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// The operator class, when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_class: Option<OperatorClass>,
    /// An explicit `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// MySQL key prefix length, `col(10)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_length: Option<u32>,
}

impl IndexPart {
    /// An ascending part on a column, with no other attribute.
    pub fn column(name: impl Into<String>) -> Self {
        IndexPart {
            key: IndexKey::Column(name.into()),
            descending: false,
            nulls_first: None,
            operator_class: None,
            collation: None,
            prefix_length: None,
        }
    }
}

/// What an index part indexes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKey {
    /// A column by name.
    Column(String),
    /// An expression, canonical.
    Expression(String),
}

/// An index operator class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorClass {
    /// pgvector `vector_l2_ops`.
    VectorL2Ops,
    /// pgvector `vector_ip_ops`.
    VectorIpOps,
    /// pgvector `vector_cosine_ops`.
    VectorCosineOps,
    /// pgvector `vector_l1_ops`.
    VectorL1Ops,
    /// pgvector `halfvec_l2_ops`.
    HalfvecL2Ops,
    /// pgvector `halfvec_ip_ops`.
    HalfvecIpOps,
    /// pgvector `halfvec_cosine_ops`.
    HalfvecCosineOps,
    /// pgvector `halfvec_l1_ops`.
    HalfvecL1Ops,
    /// pgvector `sparsevec_l2_ops`.
    SparsevecL2Ops,
    /// pgvector `sparsevec_ip_ops`.
    SparsevecIpOps,
    /// pgvector `sparsevec_cosine_ops`.
    SparsevecCosineOps,
    /// pgvector `sparsevec_l1_ops`.
    SparsevecL1Ops,
    /// Any other operator class, as the database names it (`gin_trgm_ops`,
    /// `public.gist_trgm_ops`, `text_pattern_ops`).
    Other(String),
}

impl OperatorClass {
    const PGVECTOR: [(&'static str, OperatorClass); 12] = [
        ("vector_l2_ops", OperatorClass::VectorL2Ops),
        ("vector_ip_ops", OperatorClass::VectorIpOps),
        ("vector_cosine_ops", OperatorClass::VectorCosineOps),
        ("vector_l1_ops", OperatorClass::VectorL1Ops),
        ("halfvec_l2_ops", OperatorClass::HalfvecL2Ops),
        ("halfvec_ip_ops", OperatorClass::HalfvecIpOps),
        ("halfvec_cosine_ops", OperatorClass::HalfvecCosineOps),
        ("halfvec_l1_ops", OperatorClass::HalfvecL1Ops),
        ("sparsevec_l2_ops", OperatorClass::SparsevecL2Ops),
        ("sparsevec_ip_ops", OperatorClass::SparsevecIpOps),
        ("sparsevec_cosine_ops", OperatorClass::SparsevecCosineOps),
        ("sparsevec_l1_ops", OperatorClass::SparsevecL1Ops),
    ];

    /// Reads an operator class name; pgvector's classes become their own variants.
    pub fn from_name(name: &str) -> Self {
        Self::PGVECTOR
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, class)| class.clone())
            .unwrap_or_else(|| OperatorClass::Other(name.to_owned()))
    }

    /// The name as SQL writes it.
    pub fn name(&self) -> &str {
        if let OperatorClass::Other(name) = self {
            return name;
        }
        Self::PGVECTOR
            .iter()
            .find(|(_, class)| class == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

/// A view or a materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// The view's name.
    pub name: String,
    /// `MATERIALIZED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// An explicit column list, `CREATE VIEW v (a, b) AS`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The query, canonical.
    pub definition: String,
    /// `WITH [LOCAL | CASCADED] CHECK OPTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
    /// View options (`security_barrier`, `security_invoker`), names lowercase.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// A materialized view created `WITH NO DATA`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_no_data: bool,
    /// Indexes on a materialized view, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    /// MySQL `SQL SECURITY`, uppercase (`DEFINER`, `INVOKER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    /// Triggers on the view (`INSTEAD OF`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Comments on the view's columns, by column name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_comments: BTreeMap<String, String>,
    /// Privileges, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
}

/// A view's `CHECK OPTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    /// `WITH LOCAL CHECK OPTION`.
    Local,
    /// `WITH [CASCADED] CHECK OPTION`.
    Cascaded,
}

/// A sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// The sequence's name.
    pub name: String,
    /// Its options, canonical (defaults filled in).
    pub options: SequenceOptions,
    /// `OWNED BY table.column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<SequenceOwner>,
    /// `COMMENT ON SEQUENCE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
}

/// The column that owns a sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOwner {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: String,
}

/// A sequence's options, with every default filled in so that equal sequences compare
/// equal whichever options were spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `AS smallint | integer | bigint`.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

impl SequenceOptions {
    /// PostgreSQL's defaults for a sequence of that integer type, given the increment's
    /// sign: start at the minimum (ascending) or maximum (descending).
    pub fn postgres_defaults(data_type: DataType, increment: i64) -> Self {
        let max = match data_type {
            DataType::SmallInt => i64::from(i16::MAX),
            DataType::Integer => i64::from(i32::MAX),
            _ => i64::MAX,
        };
        let (min_value, max_value) = if increment < 0 {
            (-max - 1, -1)
        } else {
            (1, max)
        };
        SequenceOptions {
            data_type,
            start: if increment < 0 { max_value } else { min_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

/// A user-defined type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    /// The type's name.
    pub name: String,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// `COMMENT ON TYPE` / `COMMENT ON DOMAIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges (`USAGE`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
}

/// The kinds of user-defined types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// `CREATE TYPE ... AS ENUM`: its labels in order.
    Enum {
        /// The labels in sort order.
        values: Vec<String>,
    },
    /// `CREATE TYPE ... AS (...)`.
    Composite {
        /// The attributes in order.
        attributes: Vec<CompositeAttribute>,
    },
    /// `CREATE DOMAIN`.
    Domain(Domain),
    /// `CREATE TYPE ... AS RANGE`.
    Range {
        /// `SUBTYPE`.
        subtype: DataType,
        /// Further options (`subtype_opclass`, `collation`, `canonical`,
        /// `subtype_diff`, `multirange_type_name`), names lowercase.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        options: BTreeMap<String, String>,
    },
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAttribute {
    /// The attribute's name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// An explicit `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

/// A domain: a type with constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// The underlying type.
    pub base_type: DataType,
    /// `NOT NULL`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// `DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `CHECK` constraints by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, Check>,
}

/// A function, procedure or aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// The function's name (the map key adds the argument types).
    pub name: String,
    /// Function, procedure or aggregate.
    #[serde(default, skip_serializing_if = "FunctionKind::is_function")]
    pub kind: FunctionKind,
    /// Arguments in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<FunctionArgument>,
    /// The return type as written canonically (`integer`, `trigger`,
    /// `SETOF public.film`, `TABLE(a integer)`); `None` for procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// The language, lowercase (`sql`, `plpgsql`); MySQL routines are `sql`.
    pub language: String,
    /// The body: the text between the dollar quotes, or the routine body as written;
    /// for a C function, `object_file, link_symbol`.
    pub body: String,
    /// Attributes after the body, canonical and sorted (`IMMUTABLE`, `STRICT`,
    /// `SECURITY DEFINER`, `PARALLEL SAFE`, `COST 10`, `SET search_path = ...`,
    /// MySQL `DETERMINISTIC`, `READS SQL DATA`). Defaults are left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// `COMMENT ON FUNCTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges (`EXECUTE`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
}

/// What kind of routine a [`Function`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// `CREATE FUNCTION`.
    #[default]
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
    /// `CREATE AGGREGATE`; its definition is in `body`.
    Aggregate,
}

impl FunctionKind {
    /// Whether this is a plain function.
    pub fn is_function(&self) -> bool {
        *self == FunctionKind::Function
    }
}

/// One argument of a routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionArgument {
    /// The argument's name, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `IN`, `OUT`, `INOUT` or `VARIADIC`.
    #[serde(default, skip_serializing_if = "ArgumentMode::is_in")]
    pub mode: ArgumentMode,
    /// Its type.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// `DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A routine argument's mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgumentMode {
    /// `IN` (the default).
    #[default]
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
}

impl ArgumentMode {
    /// Whether this is the default, `IN`.
    pub fn is_in(&self) -> bool {
        *self == ArgumentMode::In
    }
}

/// A trigger, on a table or a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The trigger's name.
    pub name: String,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: TriggerTiming,
    /// The events, sorted.
    pub events: Vec<TriggerEvent>,
    /// `FOR EACH ROW` (true) or `FOR EACH STATEMENT`.
    pub for_each_row: bool,
    /// `WHEN (...)`, canonical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// What the trigger runs.
    pub action: TriggerAction,
    /// `CREATE CONSTRAINT TRIGGER` (PostgreSQL).
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    /// Deferrability of a constraint trigger.
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// `FROM referenced_table` of a constraint trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<QualifiedName>,
    /// `REFERENCING OLD TABLE AS x`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS x`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<String>,
    /// MySQL `FOLLOWS` / `PRECEDES` ordering is not kept; `ALTER TABLE ... DISABLE
    /// TRIGGER` is: false when disabled (PostgreSQL).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// `COMMENT ON TRIGGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// When a trigger fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF`.
    InsteadOf,
}

/// An event a trigger fires on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE`, or `UPDATE OF` these columns (in declared order).
    Update {
        /// The columns of `UPDATE OF`; empty for any update.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        columns: Vec<String>,
    },
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

/// What a trigger runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerAction {
    /// PostgreSQL `EXECUTE FUNCTION f(args)`.
    Function {
        /// The trigger function.
        function: QualifiedName,
        /// Its literal arguments, as strings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        arguments: Vec<String>,
    },
    /// MySQL and SQLite: the trigger's body as written.
    Body(String),
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's name.
    pub name: String,
    /// `AS PERMISSIVE` (true, the default) or `AS RESTRICTIVE`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub permissive: bool,
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
    pub command: PolicyCommand,
    /// `TO` roles, sorted; `public` when none is named.
    pub roles: Vec<String>,
    /// `USING (...)`, canonical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// `WITH CHECK (...)`, canonical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The command a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    /// `FOR ALL`.
    All,
    /// `FOR SELECT`.
    Select,
    /// `FOR INSERT`.
    Insert,
    /// `FOR UPDATE`.
    Update,
    /// `FOR DELETE`.
    Delete,
}

/// How a partitioned table splits its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionBy {
    /// `RANGE`, `LIST` or `HASH` (MySQL adds `KEY`).
    pub strategy: PartitionStrategy,
    /// The partition key: columns or expressions, canonical.
    pub keys: Vec<String>,
    /// MySQL: the partitions declared with the table, as written canonically.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<String>,
}

/// A partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    /// `RANGE`.
    Range,
    /// `LIST`.
    List,
    /// `HASH`.
    Hash,
    /// MySQL `KEY`.
    Key,
}

/// The parent of a partition and its bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    /// The partitioned table.
    pub parent: QualifiedName,
    /// The bound, canonical: `FOR VALUES FROM (...) TO (...)`, `FOR VALUES IN (...)`,
    /// `FOR VALUES WITH (modulus 4, remainder 0)` or `DEFAULT`.
    pub bound: String,
}

/// A collation (PostgreSQL `CREATE COLLATION`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collation {
    /// The collation's name.
    pub name: String,
    /// Options (`provider`, `locale`, `lc_collate`, `lc_ctype`, `deterministic`,
    /// `version`), names lowercase, values as written without quotes.
    pub options: BTreeMap<String, String>,
    /// `COMMENT ON COLLATION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A MySQL event: a statement the server's event scheduler runs once or repeatedly.
///
/// # Canonical form (MariaDB 10.11's `information_schema.EVENTS`)
///
/// - Timestamps (`AT`, `STARTS`, `ENDS`) are `YYYY-MM-DD HH:MM:SS`, whole seconds
///   (the server truncates fractions), as wall-clock time in the zone the event was
///   created in: the session `time_zone` of its `CREATE EVENT`, which the server keeps
///   as the event's `TIME_ZONE` and shows its times in whatever the reading session's
///   zone. The model does not keep that zone. A timestamp written as an expression the
///   loader cannot evaluate (`CURRENT_TIMESTAMP + INTERVAL 1 HOUR`) is kept as that
///   expression, canonical, and then differs from what a server reports.
/// - `STARTS` that means "from creation on" is absent: the server stores the creation
///   time when `EVERY` has no `STARTS`, and `STARTS CURRENT_TIMESTAMP` (or `NOW()`)
///   says the same.
/// - The interval is the server's reprint of it: a whole number for a simple unit
///   (`EVERY 1.5 HOUR` is `2`), and for a compound unit the fields normalised
///   and quoted without leading zeros (`'1:65' HOUR_MINUTE` is `'2:5'`).
/// - `DEFINER` is not kept, as for routines, triggers and views: it names an account,
///   which is not part of the schema.
/// - The body is the text after `DO` as written, up to the end of its last token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The event's name.
    pub name: String,
    /// When it runs.
    pub schedule: EventSchedule,
    /// `ON COMPLETION PRESERVE` (true) or `NOT PRESERVE`, the default: whether the
    /// event is kept once its schedule has run out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub preserve: bool,
    /// `ENABLE` (the default), `DISABLE` or `DISABLE ON SLAVE`.
    #[serde(default, skip_serializing_if = "EventStatus::is_enabled")]
    pub status: EventStatus,
    /// `COMMENT`; an empty comment is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The statement after `DO`, as written (see the canonical form above).
    pub body: String,
}

/// An event's `ON SCHEDULE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSchedule {
    /// `AT timestamp`: once.
    At(String),
    /// `EVERY interval unit [STARTS timestamp] [ENDS timestamp]`.
    Every {
        /// The interval's value as the server reprints it: `1`, `'1 4'`.
        interval: String,
        /// The unit, uppercase: `DAY`, `DAY_HOUR`, `MINUTE_SECOND`.
        unit: String,
        /// `STARTS`, absent when it is the creation time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        starts: Option<String>,
        /// `ENDS`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends: Option<String>,
    },
}

/// Whether an event runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// `ENABLE`.
    #[default]
    Enabled,
    /// `DISABLE`.
    Disabled,
    /// `DISABLE ON SLAVE`: enabled on the primary, not run on replicas (the server
    /// reports `SLAVESIDE_DISABLED`).
    DisabledOnSlave,
}

impl EventStatus {
    /// Whether this is the default, `ENABLE`.
    pub fn is_enabled(&self) -> bool {
        *self == EventStatus::Enabled
    }
}

/// An object of a kind the model does not describe field by field, kept as its
/// canonical definition so that it is neither lost nor misread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpaqueObject {
    /// The object kind in SQL words, lowercase (`operator`, `cast`,
    /// `text search configuration`, `rule`).
    pub kind: String,
    /// The object's name as SQL writes it.
    pub name: String,
    /// The statements that create it (later `ALTER`s that only this kind knows are
    /// appended), each ending in `;`.
    pub definition: Vec<String>,
    /// `COMMENT ON <kind>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One granted privilege.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Privilege {
    /// The role granted to; `PUBLIC` for everyone.
    pub grantee: String,
    /// The privilege, uppercase (`SELECT`, `USAGE`, `EXECUTE`, ...). `ALL` is expanded
    /// into the privileges it stands for on that kind of object.
    pub privilege: String,
    /// `WITH GRANT OPTION`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub grantable: bool,
}

/// One `ALTER DEFAULT PRIVILEGES` entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DefaultPrivilege {
    /// `FOR ROLE`; `None` for the role that ran the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_role: Option<String>,
    /// `IN SCHEMA`; `None` for every schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES` or `SCHEMAS`.
    pub object_kind: String,
    /// The grant.
    pub privilege: Privilege,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_json_and_leave_defaults_out() {
        let mut realm = Realm::new(Dialect::Mysql);
        let schema = realm.schema_mut("");
        schema.events.insert(
            "cleanup".into(),
            Event {
                name: "cleanup".into(),
                schedule: EventSchedule::Every {
                    interval: "'1 4'".into(),
                    unit: "DAY_HOUR".into(),
                    starts: None,
                    ends: Some("2036-01-01 12:30:45".into()),
                },
                preserve: false,
                status: EventStatus::Enabled,
                comment: None,
                body: "DELETE FROM t".into(),
            },
        );
        schema.events.insert(
            "once".into(),
            Event {
                name: "once".into(),
                schedule: EventSchedule::At("2035-01-01 00:00:00".into()),
                preserve: true,
                status: EventStatus::DisabledOnSlave,
                comment: Some("x".into()),
                body: "BEGIN DELETE FROM t; END".into(),
            },
        );
        let json = realm.to_json();
        let again = Realm::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(again, realm);
        assert_eq!(again.to_json(), json);
        let cleanup =
            serde_json::to_value(&realm.schemas[""].events["cleanup"]).unwrap_or_default();
        assert_eq!(
            cleanup,
            serde_json::json!({
                "name": "cleanup",
                "schedule": {"every": {"interval": "'1 4'", "unit": "DAY_HOUR",
                                        "ends": "2036-01-01 12:30:45"}},
                "body": "DELETE FROM t"
            })
        );
        let once = serde_json::to_value(&realm.schemas[""].events["once"]).unwrap_or_default();
        assert_eq!(
            once["schedule"],
            serde_json::json!({"at": "2035-01-01 00:00:00"})
        );
        assert_eq!(once["status"], "disabled_on_slave");
        assert_eq!(once["preserve"], true);
        // A realm without events serializes as before events existed.
        assert!(!Realm::new(Dialect::Mysql).to_json().contains("events"));
    }
}
