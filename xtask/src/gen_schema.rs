//! A deterministic generator of realistic schemas, for benchmarks and load tests.
//!
//! The generator first builds a small dialect-aware model of the schema (tables with
//! columns, keys, indexes, checks and comments; enum types, sequences and views), then
//! renders it as the SQL a person or a dump tool would write for that dialect. With
//! `mutate_percent`, the same model is built and then about that share of its tables is
//! changed before rendering, so a benchmark gets two related schemas to diff.
//!
//! Output depends only on the options: the generator carries its own PRNG (splitmix64)
//! and never iterates a hash map, so a seed gives the same bytes on every machine.
//!
//! This file has no dependency but `schema_model`, so that the `sextant` crate's
//! benchmarks can include it with `#[path]` instead of reading a committed fixture.

use schema_model::Dialect;
use std::collections::HashSet;
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenOptions {
    /// How many tables.
    pub tables: usize,
    /// The PRNG seed: the same seed gives the same schema.
    pub seed: u64,
    /// The dialect to write.
    pub dialect: Dialect,
    /// Change about this percentage of the tables (0 to 100; more is read as 100).
    pub mutate_percent: Option<u32>,
}

/// A generated schema.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The SQL text.
    pub sql: String,
    /// How many SQL statements the text holds.
    pub statements: usize,
}

/// Generates a schema.
pub fn generate(options: &GenOptions) -> Generated {
    let mut model = build(options.tables, options.seed, options.dialect);
    if let Some(percent) = options.mutate_percent {
        mutate(&mut model, percent.min(100), options.seed);
    }
    render(&model, options)
}

/// splitmix64: tiny, fast, and good enough to pick names and shapes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift: its bias is far below
    /// anything a generated schema could show.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with the given probability, in percent.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.below(items.len())])
        }
    }
}

/// Identifiers stay below every dialect's limit (PostgreSQL truncates at 63 bytes, MySQL
/// refuses more than 64), with room for a `_N` suffix that makes a name unique.
const MAX_NAME: usize = 56;

/// Business areas; a table is named `<area>_<noun>`.
const AREAS: &[&str] = &[
    "billing",
    "sales",
    "crm",
    "hr",
    "inventory",
    "shop",
    "support",
    "analytics",
    "auth",
    "content",
    "logistics",
    "finance",
    "ops",
    "marketing",
    "catalog",
    "media",
    "social",
    "admin",
    "legal",
    "fleet",
];

/// Table nouns, plural and singular (the singular names foreign-key columns).
const NOUNS: &[(&str, &str)] = &[
    ("customers", "customer"),
    ("orders", "order"),
    ("invoices", "invoice"),
    ("payments", "payment"),
    ("products", "product"),
    ("categories", "category"),
    ("suppliers", "supplier"),
    ("shipments", "shipment"),
    ("warehouses", "warehouse"),
    ("employees", "employee"),
    ("departments", "department"),
    ("projects", "project"),
    ("tasks", "task"),
    ("comments", "comment"),
    ("tags", "tag"),
    ("sessions", "session"),
    ("events", "event"),
    ("subscriptions", "subscription"),
    ("plans", "plan"),
    ("coupons", "coupon"),
    ("reviews", "review"),
    ("addresses", "address"),
    ("contacts", "contact"),
    ("accounts", "account"),
    ("transactions", "transaction"),
    ("ledgers", "ledger"),
    ("documents", "document"),
    ("attachments", "attachment"),
    ("notifications", "notification"),
    ("messages", "message"),
    ("channels", "channel"),
    ("teams", "team"),
    ("roles", "role"),
    ("permissions", "permission"),
    ("audits", "audit"),
    ("reports", "report"),
    ("metrics", "metric"),
    ("devices", "device"),
    ("locations", "location"),
    ("regions", "region"),
    ("vendors", "vendor"),
    ("contracts", "contract"),
    ("tickets", "ticket"),
    ("releases", "release"),
    ("builds", "build"),
    ("deployments", "deployment"),
    ("artifacts", "artifact"),
    ("licenses", "license"),
    ("assets", "asset"),
    ("users", "user"),
];

/// Enumerated types: the type's base name (and the column that uses it) and its labels.
const ENUM_SETS: &[(&str, &[&str])] = &[
    ("status", &["draft", "active", "suspended", "archived"]),
    ("priority", &["low", "normal", "high", "urgent"]),
    ("visibility", &["private", "internal", "public"]),
    (
        "payment_state",
        &["pending", "authorized", "captured", "refunded", "failed"],
    ),
    (
        "shipping_method",
        &["standard", "express", "overnight", "pickup"],
    ),
    ("member_role", &["owner", "admin", "member", "guest"]),
];

/// A column's type, independent of the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColType {
    SmallInt,
    Integer,
    BigInt,
    Varchar(u16),
    Text,
    Numeric(u8, u8),
    Boolean,
    Timestamp,
    Date,
    Json,
    Uuid,
    /// One of the model's enum types, by index.
    Enum(usize),
    /// The type of a table key of that kind, without its identity or default: what a
    /// foreign key column that points at such a key is declared as.
    Key(IdKind),
}

/// The type of a table's `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdKind {
    Integer,
    BigInt,
    Uuid,
}

/// A column default, independent of the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DefaultValue {
    /// A numeric literal, as written.
    Number(String),
    /// A string literal.
    Text(String),
    Bool(bool),
    /// The current timestamp.
    Now,
    /// An empty JSON object (not written for MySQL, which refuses literal JSON defaults).
    EmptyJson,
    /// The next value of one of the model's sequences (PostgreSQL only).
    NextVal(usize),
    /// A random UUID (not written for MySQL).
    RandomUuid,
}

/// A kind of check constraint over one or two columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CheckKind {
    NonNegative,
    Between(i32, i32),
    NotEmpty,
}

/// A column shape the generator picks from: name, type, nullability, default, check,
/// whether it is a natural unique key, and the comment it sometimes gets.
struct Archetype {
    name: &'static str,
    ty: ColType,
    not_null: bool,
    default: Option<ArchetypeDefault>,
    check: Option<CheckKind>,
    unique: bool,
    comment: &'static str,
}

/// [`DefaultValue`] in a form that a `const` can hold.
#[derive(Clone, Copy)]
enum ArchetypeDefault {
    Number(&'static str),
    Text(&'static str),
    Bool(bool),
    EmptyJson,
}

impl ArchetypeDefault {
    fn value(self) -> DefaultValue {
        match self {
            ArchetypeDefault::Number(n) => DefaultValue::Number(n.to_owned()),
            ArchetypeDefault::Text(s) => DefaultValue::Text(s.to_owned()),
            ArchetypeDefault::Bool(b) => DefaultValue::Bool(b),
            ArchetypeDefault::EmptyJson => DefaultValue::EmptyJson,
        }
    }
}

const fn arch(name: &'static str, ty: ColType, comment: &'static str) -> Archetype {
    Archetype {
        name,
        ty,
        not_null: false,
        default: None,
        check: None,
        unique: false,
        comment,
    }
}

impl Archetype {
    const fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }
    const fn default(mut self, default: ArchetypeDefault) -> Self {
        self.default = Some(default);
        self
    }
    const fn check(mut self, check: CheckKind) -> Self {
        self.check = Some(check);
        self
    }
    const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}

use ArchetypeDefault as D;

/// The columns tables are filled with, beyond keys and timestamps.
const ARCHETYPES: &[Archetype] = &[
    arch("name", ColType::Varchar(120), "Display name.").not_null(),
    arch("title", ColType::Varchar(200), "Title shown in lists.").not_null(),
    arch("description", ColType::Text, "Free text, Markdown allowed."),
    arch(
        "email",
        ColType::Varchar(255),
        "Contact address; unique per row.",
    )
    .not_null()
    .unique(),
    arch("code", ColType::Varchar(32), "Short code people type.")
        .not_null()
        .unique()
        .check(CheckKind::NotEmpty),
    arch("sku", ColType::Varchar(64), "Stock keeping unit.").unique(),
    arch("state", ColType::Varchar(20), "Workflow state.")
        .not_null()
        .default(D::Text("active")),
    arch(
        "amount",
        ColType::Numeric(12, 2),
        "Amount in the account's currency.",
    )
    .not_null()
    .default(D::Number("0"))
    .check(CheckKind::NonNegative),
    arch(
        "price",
        ColType::Numeric(10, 2),
        "Unit price, tax excluded.",
    )
    .check(CheckKind::NonNegative),
    arch("quantity", ColType::Integer, "How many units.")
        .not_null()
        .default(D::Number("1"))
        .check(CheckKind::NonNegative),
    arch(
        "position",
        ColType::Integer,
        "Sort order within the parent.",
    )
    .not_null()
    .default(D::Number("0")),
    arch("score", ColType::Numeric(5, 2), "Computed relevance score."),
    arch("is_active", ColType::Boolean, "Whether the row is in use.")
        .not_null()
        .default(D::Bool(true)),
    arch(
        "is_archived",
        ColType::Boolean,
        "Hidden from default views.",
    )
    .not_null()
    .default(D::Bool(false)),
    arch("deleted_at", ColType::Timestamp, "Soft-delete marker."),
    arch("published_at", ColType::Timestamp, "When it went public."),
    arch(
        "expires_at",
        ColType::Timestamp,
        "After this, the row is ignored.",
    ),
    arch("starts_on", ColType::Date, "First day, inclusive."),
    arch("ends_on", ColType::Date, "Last day, inclusive."),
    arch("birth_date", ColType::Date, "Date of birth, if given."),
    arch(
        "metadata",
        ColType::Json,
        "Free-form attributes from integrations.",
    )
    .not_null()
    .default(D::EmptyJson),
    arch("settings", ColType::Json, "Per-row settings."),
    arch(
        "external_id",
        ColType::Uuid,
        "Identifier in the upstream system.",
    )
    .unique(),
    arch("phone", ColType::Varchar(32), "Phone number in E.164 form."),
    arch("url", ColType::Varchar(500), "Canonical link."),
    arch("country_code", ColType::Varchar(2), "ISO 3166-1 alpha-2.")
        .not_null()
        .default(D::Text("US")),
    arch("currency", ColType::Varchar(3), "ISO 4217 code.")
        .not_null()
        .default(D::Text("EUR")),
    arch(
        "notes",
        ColType::Text,
        "Internal notes; never shown to customers.",
    ),
    arch("version", ColType::Integer, "Optimistic-locking counter.")
        .not_null()
        .default(D::Number("1")),
    arch("weight_kg", ColType::Numeric(8, 3), "Shipping weight.").check(CheckKind::NonNegative),
    arch("latitude", ColType::Numeric(9, 6), "WGS 84 latitude.").check(CheckKind::Between(-90, 90)),
    arch("longitude", ColType::Numeric(9, 6), "WGS 84 longitude.")
        .check(CheckKind::Between(-180, 180)),
    arch("rating", ColType::SmallInt, "One to five stars.").check(CheckKind::Between(1, 5)),
    arch("retry_count", ColType::SmallInt, "Attempts so far.")
        .not_null()
        .default(D::Number("0")),
    arch("locale", ColType::Varchar(10), "BCP 47 language tag.").default(D::Text("en")),
    arch("slug", ColType::Varchar(160), "URL path segment.").unique(),
    arch("total_cents", ColType::BigInt, "Total in minor units.")
        .not_null()
        .default(D::Number("0")),
    arch(
        "ip_address",
        ColType::Varchar(45),
        "Client address, IPv4 or IPv6.",
    ),
    arch("user_agent", ColType::Text, "Client's User-Agent header."),
    arch("last_seen_at", ColType::Timestamp, "Last activity."),
];

/// String defaults the mutator may switch a text column's default to.
const TEXT_DEFAULTS: &[&str] = &[
    "US", "DE", "FR", "EUR", "USD", "GBP", "en", "de", "fr", "new", "open", "draft", "active",
    "pending", "unknown",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnDelete {
    NoAction,
    Cascade,
    Restrict,
    SetNull,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    ty: ColType,
    not_null: bool,
    default: Option<DefaultValue>,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP`, for `updated_at`.
    on_update_now: bool,
    comment: Option<String>,
}

impl Column {
    fn new(name: impl Into<String>, ty: ColType) -> Self {
        Column {
            name: name.into(),
            ty,
            not_null: false,
            default: None,
            on_update_now: false,
            comment: None,
        }
    }
}

/// How a table is keyed.
#[derive(Debug, Clone)]
enum Key {
    /// A surrogate `id` (the table's first column). `style` picks among the spellings of
    /// the dialect (identity or serial, inline or table-level primary key).
    Id { kind: IdKind, style: usize },
    /// A join table keyed by its two foreign key columns; nothing may reference it.
    Composite(Vec<String>),
}

#[derive(Debug, Clone)]
struct ForeignKey {
    name: String,
    column: String,
    target: usize,
    on_delete: OnDelete,
    /// Written in the column definition rather than as a table constraint.
    inline: bool,
    /// Added after every table exists (`ALTER TABLE ... ADD CONSTRAINT`), because it
    /// points at a later table; SQLite, which cannot add constraints, keeps it inline.
    deferred: bool,
}

#[derive(Debug, Clone)]
struct Unique {
    name: String,
    columns: Vec<String>,
}

#[derive(Debug, Clone)]
enum CheckExpr {
    Column(String, CheckKind),
    /// `later >= earlier`.
    Ordered {
        later: String,
        earlier: String,
    },
}

#[derive(Debug, Clone)]
struct Check {
    name: String,
    expr: CheckExpr,
}

#[derive(Debug, Clone)]
struct Index {
    name: String,
    /// Columns, each with "descending".
    columns: Vec<(String, bool)>,
    unique: bool,
    /// `WHERE <column> IS NULL` (PostgreSQL and SQLite; MySQL has no partial indexes).
    partial_on: Option<String>,
    /// A GIN index (PostgreSQL, on a jsonb column).
    gin: bool,
    /// MySQL: written as `KEY` inside `CREATE TABLE` rather than as `CREATE INDEX`.
    inline: bool,
}

#[derive(Debug, Clone)]
struct Table {
    name: String,
    area: &'static str,
    plural: &'static str,
    singular: &'static str,
    key: Key,
    columns: Vec<Column>,
    uniques: Vec<Unique>,
    checks: Vec<Check>,
    indexes: Vec<Index>,
    foreign_keys: Vec<ForeignKey>,
    comment: Option<String>,
}

impl Table {
    fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }

    fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    fn is_key_column(&self, name: &str) -> bool {
        match &self.key {
            Key::Id { .. } => name == "id",
            Key::Composite(columns) => columns.iter().any(|c| c == name),
        }
    }

    fn is_indexed(&self, name: &str) -> bool {
        self.indexes
            .iter()
            .any(|i| i.columns.iter().any(|(c, _)| c == name))
            || self
                .uniques
                .iter()
                .any(|u| u.columns.iter().any(|c| c == name))
    }
}

#[derive(Debug, Clone)]
struct View {
    name: String,
    table: usize,
    columns: Vec<String>,
    /// The foreign key column of `table` to join on, the table it points at, and the
    /// columns of that table to show.
    join: Option<(String, usize, Vec<String>)>,
    /// `WHERE a.<column> IS NULL`.
    filter: Option<String>,
}

#[derive(Debug, Clone)]
struct EnumType {
    name: String,
    /// The column that uses it.
    column: &'static str,
    values: &'static [&'static str],
}

/// Every name given so far, tables, types and constraints alike: PostgreSQL and SQLite
/// want index names unique per schema and MySQL constraint names unique per database, so
/// the generator never reuses one.
#[derive(Debug, Clone, Default)]
struct Names(HashSet<String>);

impl Names {
    /// `base`, or `base_2`, `base_3`, … whichever is free.
    fn unique(&mut self, base: String) -> String {
        if self.0.insert(base.clone()) {
            return base;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}_{n}");
            if self.0.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Makes a name free again, once its object is gone.
    fn release(&mut self, name: &str) {
        self.0.remove(name);
    }

    /// A constraint or index name in PostgreSQL's style, `<table>_<columns>_<suffix>`,
    /// shortened to `<table>_<suffix>` when that would be too long.
    fn object(&mut self, table: &str, columns: &[&str], suffix: &str) -> String {
        let mut base = format!("{table}_{}_{suffix}", columns.join("_"));
        if base.len() > MAX_NAME {
            base = format!("{table}_{suffix}");
        }
        self.unique(base)
    }
}

#[derive(Debug, Clone)]
struct Model {
    dialect: Dialect,
    enums: Vec<EnumType>,
    sequences: Vec<String>,
    tables: Vec<Table>,
    views: Vec<View>,
    names: Names,
}

impl Model {
    /// Whether dropping the column would break something: a key, a constraint, an index
    /// or a view uses it.
    fn column_in_use(&self, table: usize, name: &str) -> bool {
        let t = &self.tables[table];
        t.is_key_column(name)
            || t.is_indexed(name)
            || t.indexes
                .iter()
                .any(|i| i.partial_on.as_deref() == Some(name))
            || t.foreign_keys.iter().any(|fk| fk.column == name)
            || t.checks.iter().any(|c| match &c.expr {
                CheckExpr::Column(column, _) => column == name,
                CheckExpr::Ordered { later, earlier } => later == name || earlier == name,
            })
            || self.views.iter().any(|v| {
                let own = v.table == table
                    && (v.columns.iter().any(|c| c == name)
                        || v.filter.as_deref() == Some(name)
                        || v.join.as_ref().is_some_and(|(fk, _, _)| fk == name));
                let joined = v.join.as_ref().is_some_and(|(_, target, shown)| {
                    *target == table && shown.iter().any(|c| c == name)
                });
                own || joined
            })
    }
}

/// Whether an ordinary (b-tree) index on a column of that type is usual and valid.
fn indexable(ty: ColType, dialect: Dialect) -> bool {
    match ty {
        // MySQL needs a prefix length to index TEXT and cannot index JSON at all.
        ColType::Text => dialect != Dialect::Mysql,
        ColType::Json | ColType::Boolean => false,
        _ => true,
    }
}

fn build(tables: usize, seed: u64, dialect: Dialect) -> Model {
    let mut rng = Rng::new(seed);
    let mut model = Model {
        dialect,
        enums: Vec::new(),
        sequences: Vec::new(),
        tables: Vec::with_capacity(tables),
        views: Vec::new(),
        names: Names::default(),
    };

    for _ in 0..tables.div_ceil(50) {
        let area = rng.pick(AREAS).unwrap_or("app");
        let (column, values) = ENUM_SETS[rng.below(ENUM_SETS.len())];
        let name = model.names.unique(format!("{area}_{column}"));
        model.enums.push(EnumType {
            name,
            column,
            values,
        });
    }

    for index in 0..tables {
        let table = build_table(&mut model, &mut rng, index);
        model.tables.push(table);
    }

    for _ in 0..tables.div_ceil(20) {
        if let Some(view) = build_view(&mut model, &mut rng) {
            model.views.push(view);
        }
    }
    model
}

/// Picks an earlier table that can be referenced: recent ones more often, as related
/// tables tend to be created together.
fn pick_target(model: &Model, rng: &mut Rng, before: usize) -> Option<usize> {
    if before == 0 {
        return None;
    }
    for _ in 0..8 {
        let target = if rng.chance(50) {
            before - 1 - rng.below(before.min(30))
        } else {
            rng.below(before)
        };
        if matches!(model.tables[target].key, Key::Id { .. }) {
            return Some(target);
        }
    }
    None
}

fn id_kind_of(model: &Model, table: usize) -> IdKind {
    match model.tables[table].key {
        Key::Id { kind, .. } => kind,
        // Never referenced: pick_target skips join tables.
        Key::Composite(_) => IdKind::BigInt,
    }
}

/// A column name for a foreign key to `target` that the table does not have yet.
fn fk_column_name(model: &Model, columns: &[Column], target: usize) -> String {
    let t = &model.tables[target];
    let plain = format!("{}_id", t.singular);
    let mut candidate = plain.clone();
    if columns.iter().any(|c| c.name == candidate) {
        candidate = format!("{}_{}_id", t.area, t.singular);
    }
    let mut n = 2;
    while columns.iter().any(|c| c.name == candidate) {
        candidate = format!("{}_{n}_id", t.singular);
        n += 1;
    }
    candidate
}

fn build_table(model: &mut Model, rng: &mut Rng, index: usize) -> Table {
    let area = rng.pick(AREAS).unwrap_or("app");
    let (plural, singular) = rng.pick(NOUNS).unwrap_or(("items", "item"));
    let name = model.names.unique(format!("{area}_{plural}"));

    let join_targets = if index >= 2 && rng.chance(5) {
        match (
            pick_target(model, rng, index),
            pick_target(model, rng, index),
        ) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        }
    } else {
        None
    };

    let mut columns = Vec::new();
    let mut foreign_keys = Vec::new();
    let key;
    let target_columns;

    if let Some((a, b)) = join_targets {
        let mut key_columns = Vec::new();
        for target in [a, b] {
            let column_name = fk_column_name(model, &columns, target);
            let mut column = Column::new(&column_name, ColType::Key(id_kind_of(model, target)));
            column.not_null = true;
            columns.push(column);
            foreign_keys.push(ForeignKey {
                name: model.names.object(&name, &[&column_name], "fkey"),
                column: column_name.clone(),
                target,
                on_delete: OnDelete::Cascade,
                inline: false,
                deferred: false,
            });
            key_columns.push(column_name);
        }
        key = Key::Composite(key_columns);
        target_columns = 3 + rng.below(3);
    } else {
        let kind = match rng.below(10) {
            0..=6 => IdKind::BigInt,
            7 | 8 => IdKind::Integer,
            _ => IdKind::Uuid,
        };
        key = Key::Id {
            kind,
            style: rng.below(3),
        };
        let mut id = Column::new("id", ColType::Key(kind));
        id.not_null = true;
        if kind == IdKind::Uuid {
            id.default = Some(DefaultValue::RandomUuid);
        }
        columns.push(id);

        for _ in 0..rng.below(4) {
            let Some(target) = pick_target(model, rng, index) else {
                break;
            };
            let column_name = fk_column_name(model, &columns, target);
            let mut column = Column::new(&column_name, ColType::Key(id_kind_of(model, target)));
            column.not_null = rng.chance(65);
            let on_delete = if column.not_null {
                [OnDelete::Cascade, OnDelete::Restrict, OnDelete::NoAction][rng.below(3)]
            } else {
                [OnDelete::SetNull, OnDelete::NoAction][rng.below(2)]
            };
            if rng.chance(8) {
                column.comment = Some(format!("Points at {}.", model.tables[target].name));
            }
            columns.push(column);
            foreign_keys.push(ForeignKey {
                name: model.names.object(&name, &[&column_name], "fkey"),
                column: column_name,
                target,
                on_delete,
                inline: rng.chance(30),
                deferred: false,
            });
            // Now and then the earlier table points back at this one, added once both
            // exist: that makes the foreign-key cycles real schemas have.
            if rng.chance(5) {
                add_back_reference(model, rng, target, index, &name, singular, kind);
            }
        }

        if rng.chance(5) {
            let mut parent = Column::new("parent_id", ColType::Key(kind));
            parent.comment = Some("The enclosing row, if any.".to_owned());
            columns.push(parent);
            foreign_keys.push(ForeignKey {
                name: model.names.object(&name, &["parent_id"], "fkey"),
                column: "parent_id".to_owned(),
                target: index,
                on_delete: [OnDelete::Cascade, OnDelete::SetNull][rng.below(2)],
                inline: rng.chance(30),
                deferred: false,
            });
        }

        if !model.enums.is_empty() && rng.chance(30) {
            let e = rng.below(model.enums.len());
            let mut column = Column::new(model.enums[e].column, ColType::Enum(e));
            column.not_null = true;
            column.default = Some(DefaultValue::Text(model.enums[e].values[0].to_owned()));
            columns.push(column);
        }

        if dialect_has_sequences(model.dialect) && rng.below(50) == 0 {
            let sequence = model.names.unique(format!("{name}_number_seq"));
            let mut column = Column::new("reference_number", ColType::BigInt);
            column.not_null = true;
            column.default = Some(DefaultValue::NextVal(model.sequences.len()));
            column.comment = Some("Human-facing number, from a shared sequence.".to_owned());
            model.sequences.push(sequence);
            columns.push(column);
        }
        target_columns = 3 + rng.below(15);
    }

    let is_join = matches!(key, Key::Composite(_));
    if rng.chance(if is_join { 50 } else { 80 }) {
        let mut created = Column::new("created_at", ColType::Timestamp);
        created.not_null = true;
        created.default = Some(DefaultValue::Now);
        columns.push(created);
    }
    if !is_join && rng.chance(60) {
        let mut updated = Column::new("updated_at", ColType::Timestamp);
        updated.not_null = true;
        updated.default = Some(DefaultValue::Now);
        updated.on_update_now = true;
        columns.push(updated);
    }

    // Fill with archetypes, in a random order without repeats.
    let mut order: Vec<usize> = (0..ARCHETYPES.len()).collect();
    let mut checks = Vec::new();
    let mut unique_candidates = Vec::new();
    let mut next = 0;
    while columns.len() < target_columns && next < order.len() {
        let pick = next + rng.below(order.len() - next);
        order.swap(next, pick);
        let archetype = &ARCHETYPES[order[next]];
        next += 1;
        if columns.iter().any(|c| c.name == archetype.name) {
            continue;
        }
        let mut column = Column::new(archetype.name, archetype.ty);
        column.not_null = archetype.not_null;
        column.default = archetype.default.map(ArchetypeDefault::value);
        if rng.chance(8) {
            column.comment = Some(archetype.comment.to_owned());
        }
        if let Some(kind) = archetype.check
            && rng.chance(40)
        {
            checks.push(Check {
                name: model.names.object(&name, &[archetype.name], "check"),
                expr: CheckExpr::Column(archetype.name.to_owned(), kind),
            });
        }
        if archetype.unique {
            unique_candidates.push(archetype.name);
        }
        columns.push(column);
    }
    if columns.iter().any(|c| c.name == "starts_on") && columns.iter().any(|c| c.name == "ends_on")
    {
        checks.push(Check {
            name: model.names.object(&name, &["period"], "check"),
            expr: CheckExpr::Ordered {
                later: "ends_on".to_owned(),
                earlier: "starts_on".to_owned(),
            },
        });
    }

    let mut uniques = Vec::new();
    if let Some(column) = rng.pick(&unique_candidates)
        && rng.chance(60)
    {
        uniques.push(Unique {
            name: model.names.object(&name, &[column], "key"),
            columns: vec![column.to_owned()],
        });
    }

    let mut table = Table {
        name,
        area,
        plural,
        singular,
        key,
        columns,
        uniques,
        checks,
        indexes: Vec::new(),
        foreign_keys,
        comment: None,
    };

    for _ in 0..rng.below(5) {
        add_index(&mut model.names, model.dialect, rng, &mut table);
    }
    if rng.chance(40) {
        table.comment = Some(if rng.chance(30) {
            format!("The {} team's {}.", table.area, table.plural)
        } else {
            format!("{} of the {} area.", capitalize(table.plural), table.area)
        });
    }
    table
}

fn dialect_has_sequences(dialect: Dialect) -> bool {
    dialect == Dialect::Postgres
}

/// Gives the earlier table `from` a nullable column pointing at the table being built.
fn add_back_reference(
    model: &mut Model,
    rng: &mut Rng,
    from: usize,
    to: usize,
    to_name: &str,
    to_singular: &str,
    to_kind: IdKind,
) {
    let from_name = model.tables[from].name.clone();
    let mut column_name = format!("{to_singular}_id");
    let mut n = 2;
    while model.tables[from].has_column(&column_name) {
        column_name = format!("{to_singular}_{n}_id");
        n += 1;
    }
    let name = model.names.object(&from_name, &[&column_name], "fkey");
    let mut column = Column::new(&column_name, ColType::Key(to_kind));
    if rng.chance(50) {
        column.comment = Some(format!("Current row of {to_name}, if any."));
    }
    let table = &mut model.tables[from];
    table.columns.push(column);
    table.foreign_keys.push(ForeignKey {
        name,
        column: column_name,
        target: to,
        on_delete: OnDelete::SetNull,
        inline: false,
        deferred: true,
    });
}

/// Adds one index: on a foreign key column first (PostgreSQL and SQLite do not index
/// them by themselves), otherwise on another column, sometimes descending, partial,
/// unique, composite or GIN. Returns whether it added one.
fn add_index(names: &mut Names, dialect: Dialect, rng: &mut Rng, table: &mut Table) -> bool {
    let unindexed_fk = table
        .foreign_keys
        .iter()
        .map(|fk| fk.column.clone())
        .find(|c| !table.is_indexed(c) && !table.is_key_column(c));
    let mut index = Index {
        name: String::new(),
        columns: Vec::new(),
        unique: false,
        partial_on: None,
        gin: false,
        inline: rng.chance(70),
    };
    if let Some(column) = unindexed_fk {
        index.columns.push((column, false));
        if table.has_column("created_at") && rng.chance(20) {
            index.columns.push(("created_at".to_owned(), true));
        }
    } else {
        let candidates: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| !table.is_key_column(&c.name) && !table.is_indexed(&c.name))
            .collect();
        let gin_candidate = candidates
            .iter()
            .find(|c| c.ty == ColType::Json)
            .map(|c| c.name.clone());
        let btree: Vec<String> = candidates
            .iter()
            .filter(|c| indexable(c.ty, dialect))
            .map(|c| c.name.clone())
            .collect();
        if dialect == Dialect::Postgres
            && let Some(column) = gin_candidate
            && rng.chance(15)
        {
            index.columns.push((column, false));
            index.gin = true;
        } else if let Some(column) = rng.pick(&btree.iter().map(String::as_str).collect::<Vec<_>>())
        {
            let ty = table.column(column).map(|c| c.ty);
            let descending =
                matches!(ty, Some(ColType::Timestamp | ColType::Date)) && rng.chance(30);
            index.columns.push((column.to_owned(), descending));
            let natural_key = ARCHETYPES.iter().any(|a| a.name == column && a.unique);
            index.unique = natural_key && rng.chance(50);
            if dialect != Dialect::Mysql
                && column != "deleted_at"
                && table.has_column("deleted_at")
                && rng.chance(40)
            {
                index.partial_on = Some("deleted_at".to_owned());
            }
        } else {
            return false;
        }
    }
    let columns: Vec<&str> = index.columns.iter().map(|(c, _)| c.as_str()).collect();
    let suffix = if index.unique { "key" } else { "idx" };
    index.name = names.object(&table.name, &columns, suffix);
    table.indexes.push(index);
    true
}

/// Columns that name a row, which a view shows for a joined table.
const LABEL_COLUMNS: &[&str] = &["name", "title", "code", "email", "slug", "sku", "state"];

fn build_view(model: &mut Model, rng: &mut Rng) -> Option<View> {
    for _ in 0..10 {
        let table = rng.below(model.tables.len());
        let t = &model.tables[table];
        if !matches!(t.key, Key::Id { .. }) {
            continue;
        }
        let plain: Vec<String> = t
            .columns
            .iter()
            .filter(|c| {
                c.name != "id"
                    && !t.foreign_keys.iter().any(|fk| fk.column == c.name)
                    && c.ty != ColType::Json
            })
            .map(|c| c.name.clone())
            .collect();
        // A few of the table's own columns, in table order, and a label of the joined row.
        let wanted = 1 + rng.below(3);
        let mut columns = vec!["id".to_owned()];
        for (i, column) in plain.iter().enumerate() {
            let left = plain.len() - i;
            if columns.len() <= wanted && rng.below(left) < wanted + 1 - columns.len() {
                columns.push(column.clone());
            }
        }
        let join = t
            .foreign_keys
            .iter()
            .find(|fk| fk.target != table)
            .and_then(|fk| {
                let target = &model.tables[fk.target];
                let label = LABEL_COLUMNS
                    .iter()
                    .find(|name| target.has_column(name))
                    .map(|name| (*name).to_owned());
                label.map(|label| (fk.column.clone(), fk.target, vec![label]))
            });
        let filter = t.has_column("deleted_at").then(|| "deleted_at".to_owned());
        let base = format!("{}_overview", t.name);
        let name = model.names.unique(base);
        return Some(View {
            name,
            table,
            columns,
            join,
            filter,
        });
    }
    None
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Mutation

/// Changes about `percent`% of the tables: adds, drops or retypes a column, adds or
/// drops an index, changes a default. Only changes that keep the schema valid are made
/// (nothing that a key, constraint, index or view uses is dropped).
fn mutate(model: &mut Model, percent: u32, seed: u64) {
    let count = model.tables.len();
    let mut rng = Rng::new(seed ^ 0x6D75_7461_7465_0000 ^ u64::from(percent));
    let mut chosen = ((count * percent as usize) + 50) / 100;
    if percent > 0 {
        chosen = chosen.max(1);
    }
    let chosen = chosen.min(count);
    // A partial Fisher-Yates shuffle picks `chosen` distinct tables.
    let mut order: Vec<usize> = (0..count).collect();
    for i in 0..chosen {
        let j = i + rng.below(count - i);
        order.swap(i, j);
    }
    let mut picked = order[..chosen].to_vec();
    picked.sort_unstable();
    for table in picked {
        for _ in 0..1 + rng.below(3) {
            let first = rng.below(MUTATIONS.len());
            for k in 0..MUTATIONS.len() {
                if MUTATIONS[(first + k) % MUTATIONS.len()](model, &mut rng, table) {
                    break;
                }
            }
        }
    }
}

type Mutation = fn(&mut Model, &mut Rng, usize) -> bool;

const MUTATIONS: &[Mutation] = &[
    add_column,
    drop_column,
    retype_column,
    mutate_add_index,
    drop_index,
    change_default,
];

fn add_column(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    for _ in 0..10 {
        let archetype = &ARCHETYPES[rng.below(ARCHETYPES.len())];
        let t = &mut model.tables[table];
        if t.has_column(archetype.name) {
            continue;
        }
        let mut column = Column::new(archetype.name, archetype.ty);
        // A column added to a live table is nullable or has a default.
        if archetype.default.is_some() && rng.chance(50) {
            column.not_null = archetype.not_null;
            column.default = archetype.default.map(ArchetypeDefault::value);
        }
        t.columns.push(column);
        return true;
    }
    false
}

fn drop_column(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    let droppable: Vec<usize> = (0..model.tables[table].columns.len())
        .filter(|&i| !model.column_in_use(table, &model.tables[table].columns[i].name))
        .collect();
    match rng.pick(&droppable) {
        Some(i) if model.tables[table].columns.len() > 2 => {
            model.tables[table].columns.remove(i);
            true
        }
        _ => false,
    }
}

fn retype_column(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    let dialect = model.dialect;
    let t = &model.tables[table];
    let candidates: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c.ty,
                ColType::SmallInt | ColType::Integer | ColType::Varchar(_) | ColType::Numeric(..)
            ) && !t.foreign_keys.iter().any(|fk| fk.column == c.name)
                && !matches!(c.default, Some(DefaultValue::NextVal(_)))
        })
        .map(|(i, _)| i)
        .collect();
    let Some(i) = rng.pick(&candidates) else {
        return false;
    };
    let indexed = t.is_indexed(&t.columns[i].name);
    let column = &t.columns[i];
    let new_type = match column.ty {
        ColType::SmallInt => ColType::Integer,
        ColType::Integer => ColType::BigInt,
        ColType::Numeric(p, s) => ColType::Numeric((p + 2).min(38), s),
        // MySQL refuses literal defaults on TEXT and cannot index it without a prefix.
        ColType::Varchar(_)
            if column.default.is_none()
                && !(dialect == Dialect::Mysql && indexed)
                && rng.chance(40) =>
        {
            ColType::Text
        }
        ColType::Varchar(n) => {
            // Wide enough to matter, narrow enough for MySQL's index and row limits.
            let limit = if indexed { 255 } else { 500 };
            let widened = (n.saturating_mul(2)).min(limit);
            if widened == n {
                return false;
            }
            ColType::Varchar(widened)
        }
        _ => return false,
    };
    model.tables[table].columns[i].ty = new_type;
    true
}

fn mutate_add_index(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    add_index(
        &mut model.names,
        model.dialect,
        rng,
        &mut model.tables[table],
    )
}

fn drop_index(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    let t = &mut model.tables[table];
    if t.indexes.is_empty() {
        return false;
    }
    let i = rng.below(t.indexes.len());
    let dropped = t.indexes.remove(i);
    // Free the name, so that an index added back on the same columns is the same index
    // rather than a renamed one.
    model.names.release(&dropped.name);
    true
}

fn change_default(model: &mut Model, rng: &mut Rng, table: usize) -> bool {
    let dialect = model.dialect;
    let t = &model.tables[table];
    let mut options: Vec<(usize, Option<DefaultValue>)> = Vec::new();
    for (i, column) in t.columns.iter().enumerate() {
        if t.is_key_column(&column.name)
            || t.foreign_keys.iter().any(|fk| fk.column == column.name)
            || matches!(column.default, Some(DefaultValue::NextVal(_)))
        {
            continue;
        }
        let new = match column.ty {
            ColType::SmallInt | ColType::Integer | ColType::BigInt => {
                let current = match &column.default {
                    Some(DefaultValue::Number(n)) => n.parse::<i64>().unwrap_or(0),
                    _ => -1,
                };
                Some(DefaultValue::Number((current + 1).to_string()))
            }
            ColType::Numeric(..) => Some(DefaultValue::Number(
                if column.default == Some(DefaultValue::Number("0".to_owned())) {
                    "1.00"
                } else {
                    "0"
                }
                .to_owned(),
            )),
            ColType::Boolean => Some(DefaultValue::Bool(
                column.default != Some(DefaultValue::Bool(true)),
            )),
            ColType::Varchar(n) if column.default.is_some() => {
                let fitting: Vec<&str> = TEXT_DEFAULTS
                    .iter()
                    .copied()
                    .filter(|s| s.len() <= usize::from(n))
                    .filter(|s| column.default != Some(DefaultValue::Text((*s).to_owned())))
                    .collect();
                rng.pick(&fitting).map(|s| DefaultValue::Text(s.to_owned()))
            }
            ColType::Enum(e) => {
                let values = model.enums[e].values;
                let current = match &column.default {
                    Some(DefaultValue::Text(v)) => values.iter().position(|x| x == v),
                    _ => None,
                };
                let next = current.map_or(0, |p| (p + 1) % values.len());
                Some(DefaultValue::Text(values[next].to_owned()))
            }
            ColType::Timestamp if column.default.is_none() && !column.not_null => {
                Some(DefaultValue::Now)
            }
            ColType::Json if column.default.is_none() && dialect != Dialect::Mysql => {
                Some(DefaultValue::EmptyJson)
            }
            _ => None,
        };
        if let Some(new) = new {
            options.push((i, Some(new)));
        }
        // Dropping a default is a change too, where the column can do without one.
        if column.default.is_some() && !column.not_null {
            options.push((i, None));
        }
    }
    if options.is_empty() {
        return false;
    }
    let (i, new) = options.swap_remove(rng.below(options.len()));
    model.tables[table].columns[i].default = new;
    true
}

// ---------------------------------------------------------------------------------------
// Rendering

/// Appends statements to the output and counts them.
struct Out {
    sql: String,
    statements: usize,
}

impl Out {
    /// Starts a statement; the caller writes it and ends it with `;` and a newline.
    fn statement(&mut self) -> &mut String {
        self.statements += 1;
        &mut self.sql
    }
}

/// An SQL string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn render(model: &Model, options: &GenOptions) -> Generated {
    let mut out = Out {
        // About 800 bytes per table in every dialect.
        sql: String::with_capacity(options.tables * 900 + 256),
        statements: 0,
    };
    let _ = writeln!(
        out.sql,
        "-- Generated by `cargo xtask gen-schema --tables {} --seed {} --dialect {}{}`.\n\
         -- Synthetic, for tests and benchmarks: names and shapes are realistic, the data model is not.\n",
        options.tables,
        options.seed,
        options.dialect,
        options
            .mutate_percent
            .map_or(String::new(), |p| format!(" --mutate {p}")),
    );
    match model.dialect {
        Dialect::Postgres => render_postgres(model, &mut out),
        Dialect::Mysql => render_mysql(model, &mut out),
        Dialect::Sqlite => render_sqlite(model, &mut out),
    }
    Generated {
        sql: out.sql,
        statements: out.statements,
    }
}

fn on_delete_clause(action: OnDelete) -> &'static str {
    match action {
        OnDelete::NoAction => "",
        OnDelete::Cascade => " ON DELETE CASCADE",
        OnDelete::Restrict => " ON DELETE RESTRICT",
        OnDelete::SetNull => " ON DELETE SET NULL",
    }
}

fn check_sql(expr: &CheckExpr, dialect: Dialect) -> String {
    match expr {
        CheckExpr::Column(column, CheckKind::NonNegative) => format!("{column} >= 0"),
        CheckExpr::Column(column, CheckKind::Between(low, high)) => {
            format!("{column} BETWEEN {low} AND {high}")
        }
        CheckExpr::Column(column, CheckKind::NotEmpty) => match dialect {
            Dialect::Sqlite => format!("length({column}) > 0"),
            Dialect::Postgres | Dialect::Mysql => format!("char_length({column}) > 0"),
        },
        CheckExpr::Ordered { later, earlier } => format!("{later} >= {earlier}"),
    }
}

fn index_columns(index: &Index) -> String {
    index
        .columns
        .iter()
        .map(|(c, desc)| {
            if *desc {
                format!("{c} DESC")
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_view(model: &Model, view: &View, out: &mut Out) {
    let table = &model.tables[view.table];
    let mut select: Vec<String> = view.columns.iter().map(|c| format!("a.{c}")).collect();
    let mut from = format!("{} a", table.name);
    if let Some((fk, target, shown)) = &view.join {
        let target_table = &model.tables[*target];
        for column in shown {
            select.push(format!("b.{column} AS {}_{column}", target_table.singular));
        }
        let _ = write!(
            from,
            "\n    LEFT JOIN {} b ON b.id = a.{fk}",
            target_table.name
        );
    }
    let filter = view
        .filter
        .as_ref()
        .map_or(String::new(), |c| format!("\n  WHERE a.{c} IS NULL"));
    let _ = writeln!(
        out.statement(),
        "CREATE VIEW {} AS\n  SELECT {}\n  FROM {from}{filter};\n",
        view.name,
        select.join(", "),
    );
}

// PostgreSQL ------------------------------------------------------------------------------

fn pg_type(model: &Model, ty: ColType) -> String {
    match ty {
        ColType::SmallInt => "smallint".to_owned(),
        ColType::Integer | ColType::Key(IdKind::Integer) => "integer".to_owned(),
        ColType::BigInt | ColType::Key(IdKind::BigInt) => "bigint".to_owned(),
        ColType::Varchar(n) => format!("varchar({n})"),
        ColType::Text => "text".to_owned(),
        ColType::Numeric(p, s) => format!("numeric({p},{s})"),
        ColType::Boolean => "boolean".to_owned(),
        ColType::Timestamp => "timestamptz".to_owned(),
        ColType::Date => "date".to_owned(),
        ColType::Json => "jsonb".to_owned(),
        ColType::Uuid | ColType::Key(IdKind::Uuid) => "uuid".to_owned(),
        ColType::Enum(e) => model.enums[e].name.clone(),
    }
}

fn pg_default(model: &Model, default: &DefaultValue) -> String {
    match default {
        DefaultValue::Number(n) => n.clone(),
        DefaultValue::Text(s) => quote(s),
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Now => "now()".to_owned(),
        DefaultValue::EmptyJson => "'{}'::jsonb".to_owned(),
        DefaultValue::NextVal(s) => format!("nextval({}::regclass)", quote(&model.sequences[*s])),
        DefaultValue::RandomUuid => "gen_random_uuid()".to_owned(),
    }
}

fn render_postgres(model: &Model, out: &mut Out) {
    for e in &model.enums {
        let labels: Vec<String> = e.values.iter().map(|v| quote(v)).collect();
        let _ = writeln!(
            out.statement(),
            "CREATE TYPE {} AS ENUM ({});",
            e.name,
            labels.join(", ")
        );
    }
    for sequence in &model.sequences {
        let _ = writeln!(
            out.statement(),
            "CREATE SEQUENCE {sequence} START WITH 1000 INCREMENT BY 1;"
        );
    }
    if !model.enums.is_empty() || !model.sequences.is_empty() {
        out.sql.push('\n');
    }

    for table in &model.tables {
        let mut lines = Vec::new();
        let (id_kind, style) = match table.key {
            Key::Id { kind, style } => (Some(kind), style),
            Key::Composite(_) => (None, 0),
        };
        for column in &table.columns {
            let mut line = format!("    {} ", column.name);
            if column.name == "id"
                && let Some(kind) = id_kind
            {
                line.push_str(&match (kind, style) {
                    (IdKind::BigInt, 1) => "bigserial".to_owned(),
                    (IdKind::Integer, 1) => "serial".to_owned(),
                    (IdKind::Uuid, _) => "uuid DEFAULT gen_random_uuid() NOT NULL".to_owned(),
                    (_, 2) => format!("{} GENERATED ALWAYS AS IDENTITY", pg_type(model, column.ty)),
                    _ => format!(
                        "{} GENERATED BY DEFAULT AS IDENTITY",
                        pg_type(model, column.ty)
                    ),
                });
                if style != 2 {
                    line.push_str(" PRIMARY KEY");
                }
                lines.push(line);
                continue;
            }
            line.push_str(&pg_type(model, column.ty));
            if column.not_null {
                line.push_str(" NOT NULL");
            }
            if let Some(default) = &column.default {
                let _ = write!(line, " DEFAULT {}", pg_default(model, default));
            }
            if let Some(fk) = table
                .foreign_keys
                .iter()
                .find(|fk| fk.inline && !fk.deferred && fk.column == column.name)
            {
                let _ = write!(
                    line,
                    " REFERENCES {} (id){}",
                    model.tables[fk.target].name,
                    on_delete_clause(fk.on_delete)
                );
            }
            lines.push(line);
        }
        match &table.key {
            Key::Id { style: 2, .. } => {
                lines.push(format!(
                    "    CONSTRAINT {}_pkey PRIMARY KEY (id)",
                    table.name
                ));
            }
            Key::Id { .. } => {}
            Key::Composite(columns) => {
                lines.push(format!(
                    "    CONSTRAINT {}_pkey PRIMARY KEY ({})",
                    table.name,
                    columns.join(", ")
                ));
            }
        }
        for unique in &table.uniques {
            lines.push(format!(
                "    CONSTRAINT {} UNIQUE ({})",
                unique.name,
                unique.columns.join(", ")
            ));
        }
        for check in &table.checks {
            lines.push(format!(
                "    CONSTRAINT {} CHECK ({})",
                check.name,
                check_sql(&check.expr, Dialect::Postgres)
            ));
        }
        for fk in table
            .foreign_keys
            .iter()
            .filter(|fk| !fk.inline && !fk.deferred)
        {
            lines.push(format!(
                "    CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} (id){}",
                fk.name,
                fk.column,
                model.tables[fk.target].name,
                on_delete_clause(fk.on_delete)
            ));
        }
        let _ = writeln!(
            out.statement(),
            "CREATE TABLE {} (\n{}\n);",
            table.name,
            lines.join(",\n")
        );

        for index in &table.indexes {
            let _ = writeln!(
                out.statement(),
                "CREATE {}INDEX {} ON {}{} ({}){};",
                if index.unique { "UNIQUE " } else { "" },
                index.name,
                table.name,
                if index.gin { " USING gin" } else { "" },
                index_columns(index),
                index
                    .partial_on
                    .as_ref()
                    .map_or(String::new(), |c| format!(" WHERE {c} IS NULL")),
            );
        }
        if let Some(comment) = &table.comment {
            let _ = writeln!(
                out.statement(),
                "COMMENT ON TABLE {} IS {};",
                table.name,
                quote(comment)
            );
        }
        for column in &table.columns {
            if let Some(comment) = &column.comment {
                let _ = writeln!(
                    out.statement(),
                    "COMMENT ON COLUMN {}.{} IS {};",
                    table.name,
                    column.name,
                    quote(comment)
                );
            }
        }
        out.sql.push('\n');
    }

    for table in &model.tables {
        for fk in table.foreign_keys.iter().filter(|fk| fk.deferred) {
            let _ = writeln!(
                out.statement(),
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} (id){};",
                table.name,
                fk.name,
                fk.column,
                model.tables[fk.target].name,
                on_delete_clause(fk.on_delete)
            );
        }
    }
    out.sql.push('\n');
    for view in &model.views {
        render_view(model, view, out);
    }
}

// MySQL -----------------------------------------------------------------------------------

fn mysql_type(model: &Model, ty: ColType) -> String {
    match ty {
        ColType::SmallInt => "SMALLINT".to_owned(),
        ColType::Integer | ColType::Key(IdKind::Integer) => "INT".to_owned(),
        ColType::BigInt => "BIGINT".to_owned(),
        ColType::Key(IdKind::BigInt) => "BIGINT UNSIGNED".to_owned(),
        ColType::Varchar(n) => format!("VARCHAR({n})"),
        ColType::Text => "TEXT".to_owned(),
        ColType::Numeric(p, s) => format!("DECIMAL({p},{s})"),
        ColType::Boolean => "TINYINT(1)".to_owned(),
        ColType::Timestamp => "DATETIME".to_owned(),
        ColType::Date => "DATE".to_owned(),
        ColType::Json => "JSON".to_owned(),
        ColType::Uuid | ColType::Key(IdKind::Uuid) => "CHAR(36)".to_owned(),
        ColType::Enum(e) => {
            let labels: Vec<String> = model.enums[e].values.iter().map(|v| quote(v)).collect();
            format!("ENUM({})", labels.join(","))
        }
    }
}

/// MySQL has no literal JSON default, no UUID function default in MariaDB 10.11 and no
/// sequences; those columns get no default there.
fn mysql_default(default: &DefaultValue) -> Option<String> {
    match default {
        DefaultValue::Number(n) => Some(n.clone()),
        DefaultValue::Text(s) => Some(quote(s)),
        DefaultValue::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        DefaultValue::Now => Some("CURRENT_TIMESTAMP".to_owned()),
        DefaultValue::EmptyJson | DefaultValue::NextVal(_) | DefaultValue::RandomUuid => None,
    }
}

fn render_mysql(model: &Model, out: &mut Out) {
    for table in &model.tables {
        let mut lines = Vec::new();
        for column in &table.columns {
            let mut line = format!("  {} {}", column.name, mysql_type(model, column.ty));
            let is_id = column.name == "id" && matches!(table.key, Key::Id { .. });
            if column.not_null {
                line.push_str(" NOT NULL");
            }
            if is_id && matches!(column.ty, ColType::Key(IdKind::BigInt | IdKind::Integer)) {
                line.push_str(" AUTO_INCREMENT");
            } else if let Some(default) = column.default.as_ref().and_then(mysql_default) {
                let _ = write!(line, " DEFAULT {default}");
                if column.on_update_now {
                    line.push_str(" ON UPDATE CURRENT_TIMESTAMP");
                }
            }
            if let Some(comment) = &column.comment {
                let _ = write!(line, " COMMENT {}", quote(comment));
            }
            lines.push(line);
        }
        match &table.key {
            Key::Id { .. } => lines.push("  PRIMARY KEY (id)".to_owned()),
            Key::Composite(columns) => {
                lines.push(format!("  PRIMARY KEY ({})", columns.join(", ")));
            }
        }
        for unique in &table.uniques {
            lines.push(format!(
                "  UNIQUE KEY {} ({})",
                unique.name,
                unique.columns.join(", ")
            ));
        }
        for index in table.indexes.iter().filter(|i| i.inline) {
            lines.push(format!(
                "  {}KEY {} ({})",
                if index.unique { "UNIQUE " } else { "" },
                index.name,
                index_columns(index)
            ));
        }
        for fk in table.foreign_keys.iter().filter(|fk| !fk.deferred) {
            lines.push(format!(
                "  CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} (id){}",
                fk.name,
                fk.column,
                model.tables[fk.target].name,
                on_delete_clause(fk.on_delete)
            ));
        }
        for check in &table.checks {
            lines.push(format!(
                "  CONSTRAINT {} CHECK ({})",
                check.name,
                check_sql(&check.expr, Dialect::Mysql)
            ));
        }
        let comment = table
            .comment
            .as_ref()
            .map_or(String::new(), |c| format!(" COMMENT={}", quote(c)));
        let _ = writeln!(
            out.statement(),
            "CREATE TABLE {} (\n{}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4{comment};",
            table.name,
            lines.join(",\n")
        );
        for index in table.indexes.iter().filter(|i| !i.inline) {
            let _ = writeln!(
                out.statement(),
                "CREATE {}INDEX {} ON {} ({});",
                if index.unique { "UNIQUE " } else { "" },
                index.name,
                table.name,
                index_columns(index)
            );
        }
        out.sql.push('\n');
    }
    for table in &model.tables {
        for fk in table.foreign_keys.iter().filter(|fk| fk.deferred) {
            let _ = writeln!(
                out.statement(),
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} (id){};",
                table.name,
                fk.name,
                fk.column,
                model.tables[fk.target].name,
                on_delete_clause(fk.on_delete)
            );
        }
    }
    out.sql.push('\n');
    for view in &model.views {
        render_view(model, view, out);
    }
}

// SQLite ----------------------------------------------------------------------------------

fn sqlite_type(ty: ColType) -> String {
    match ty {
        ColType::SmallInt => "SMALLINT".to_owned(),
        ColType::Integer | ColType::Key(IdKind::Integer | IdKind::BigInt) => "INTEGER".to_owned(),
        ColType::BigInt => "BIGINT".to_owned(),
        ColType::Varchar(n) => format!("VARCHAR({n})"),
        ColType::Text | ColType::Enum(_) | ColType::Uuid | ColType::Key(IdKind::Uuid) => {
            "TEXT".to_owned()
        }
        ColType::Numeric(p, s) => format!("DECIMAL({p},{s})"),
        ColType::Boolean => "BOOLEAN".to_owned(),
        ColType::Timestamp => "DATETIME".to_owned(),
        ColType::Date => "DATE".to_owned(),
        ColType::Json => "JSON".to_owned(),
    }
}

/// SQLite has no sequences; everything else has a spelling.
fn sqlite_default(default: &DefaultValue) -> Option<String> {
    match default {
        DefaultValue::Number(n) => Some(n.clone()),
        DefaultValue::Text(s) => Some(quote(s)),
        DefaultValue::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        DefaultValue::Now => Some("CURRENT_TIMESTAMP".to_owned()),
        DefaultValue::EmptyJson => Some("'{}'".to_owned()),
        DefaultValue::RandomUuid => Some("(lower(hex(randomblob(16))))".to_owned()),
        DefaultValue::NextVal(_) => None,
    }
}

fn render_sqlite(model: &Model, out: &mut Out) {
    for table in &model.tables {
        let mut lines = Vec::new();
        let (id_kind, style) = match table.key {
            Key::Id { kind, style } => (Some(kind), style),
            Key::Composite(_) => (None, 0),
        };
        for column in &table.columns {
            if let Some(comment) = &column.comment {
                lines.push(format!("  -- {comment}"));
            }
            let mut line = format!("  {} {}", column.name, sqlite_type(column.ty));
            if column.name == "id"
                && let Some(kind) = id_kind
            {
                match (kind, style) {
                    (IdKind::Uuid, _) => {
                        line.push_str(" NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(16))))");
                    }
                    (_, 1) => line.push_str(" PRIMARY KEY AUTOINCREMENT"),
                    (_, 2) => line.push_str(" NOT NULL"),
                    _ => line.push_str(" PRIMARY KEY"),
                }
                lines.push(format!("{line},"));
                continue;
            }
            if column.not_null {
                line.push_str(" NOT NULL");
            }
            if let Some(default) = column.default.as_ref().and_then(sqlite_default) {
                let _ = write!(line, " DEFAULT {default}");
            }
            if let ColType::Enum(e) = column.ty {
                let labels: Vec<String> = model.enums[e].values.iter().map(|v| quote(v)).collect();
                let _ = write!(line, " CHECK ({} IN ({}))", column.name, labels.join(", "));
            }
            if let Some(fk) = table
                .foreign_keys
                .iter()
                .find(|fk| fk.inline && fk.column == column.name)
            {
                let _ = write!(
                    line,
                    " REFERENCES {} (id){}",
                    model.tables[fk.target].name,
                    on_delete_clause(fk.on_delete)
                );
            }
            lines.push(format!("{line},"));
        }
        match (&table.key, style, id_kind) {
            (Key::Id { .. }, 2, Some(IdKind::BigInt | IdKind::Integer)) => {
                lines.push(format!(
                    "  CONSTRAINT {}_pkey PRIMARY KEY (id),",
                    table.name
                ));
            }
            (Key::Composite(columns), _, _) => {
                lines.push(format!("  PRIMARY KEY ({}),", columns.join(", ")));
            }
            _ => {}
        }
        for unique in &table.uniques {
            lines.push(format!(
                "  CONSTRAINT {} UNIQUE ({}),",
                unique.name,
                unique.columns.join(", ")
            ));
        }
        for check in &table.checks {
            lines.push(format!(
                "  CONSTRAINT {} CHECK ({}),",
                check.name,
                check_sql(&check.expr, Dialect::Sqlite)
            ));
        }
        // SQLite cannot add a constraint later, and does not need to: it resolves foreign
        // keys when rows are written, so a forward reference is fine inside CREATE TABLE.
        for fk in table.foreign_keys.iter().filter(|fk| !fk.inline) {
            lines.push(format!(
                "  FOREIGN KEY ({}) REFERENCES {} (id){},",
                fk.column,
                model.tables[fk.target].name,
                on_delete_clause(fk.on_delete)
            ));
        }
        // The last definition has no comma; comment lines after it stay as they are.
        if let Some(last) = lines
            .iter_mut()
            .rev()
            .find(|l| !l.trim_start().starts_with("--"))
        {
            last.pop();
        }
        if let Some(comment) = &table.comment {
            let _ = writeln!(out.sql, "-- {comment}");
        }
        let _ = writeln!(
            out.statement(),
            "CREATE TABLE {} (\n{}\n);",
            table.name,
            lines.join("\n")
        );
        for index in &table.indexes {
            let _ = writeln!(
                out.statement(),
                "CREATE {}INDEX {} ON {} ({}){};",
                if index.unique { "UNIQUE " } else { "" },
                index.name,
                table.name,
                index_columns(index),
                index
                    .partial_on
                    .as_ref()
                    .map_or(String::new(), |c| format!(" WHERE {c} IS NULL")),
            );
        }
        out.sql.push('\n');
    }
    for view in &model.views {
        render_view(model, view, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(tables: usize, seed: u64, dialect: Dialect, mutate: Option<u32>) -> GenOptions {
        GenOptions {
            tables,
            seed,
            dialect,
            mutate_percent: mutate,
        }
    }

    #[test]
    fn same_seed_same_output() {
        for dialect in Dialect::ALL {
            let a = generate(&options(200, 7, dialect, None));
            let b = generate(&options(200, 7, dialect, None));
            assert_eq!(a.sql, b.sql);
            let c = generate(&options(200, 8, dialect, None));
            assert_ne!(a.sql, c.sql);
        }
    }

    #[test]
    fn mutation_is_deterministic_and_related() {
        for dialect in Dialect::ALL {
            let base = generate(&options(300, 3, dialect, None));
            let zero = generate(&options(300, 3, dialect, Some(0)));
            let ten = generate(&options(300, 3, dialect, Some(10)));
            let again = generate(&options(300, 3, dialect, Some(10)));
            assert_eq!(ten.sql, again.sql);
            assert_ne!(base.sql, ten.sql);
            // Only the header differs without changes.
            let body = |s: &str| s.split_once("\n\n").map(|(_, b)| b.to_owned());
            assert_eq!(body(&base.sql), body(&zero.sql));
            // The same tables, by name, in both.
            let tables = |s: &str| s.matches("CREATE TABLE ").count();
            assert_eq!(tables(&base.sql), tables(&ten.sql));
        }
    }

    /// Every column that an index, constraint or view names exists, after any mutation.
    #[test]
    fn mutation_keeps_every_reference_valid() {
        for dialect in Dialect::ALL {
            for seed in 0..20 {
                let mut model = build(300, seed, dialect);
                mutate(&mut model, 100, seed);
                for t in &model.tables {
                    let missing = |c: &str| !t.has_column(c);
                    for index in &t.indexes {
                        assert!(
                            !index.columns.iter().any(|(c, _)| missing(c)),
                            "{}",
                            index.name
                        );
                        assert!(
                            !index.partial_on.as_deref().is_some_and(missing),
                            "{}",
                            index.name
                        );
                    }
                    for unique in &t.uniques {
                        assert!(
                            !unique.columns.iter().any(|c| missing(c)),
                            "{}",
                            unique.name
                        );
                    }
                    for check in &t.checks {
                        let used: Vec<&str> = match &check.expr {
                            CheckExpr::Column(c, _) => vec![c],
                            CheckExpr::Ordered { later, earlier } => vec![later, earlier],
                        };
                        assert!(!used.into_iter().any(missing), "{}", check.name);
                    }
                    for fk in &t.foreign_keys {
                        assert!(!missing(&fk.column), "{}", fk.name);
                        assert!(model.tables[fk.target].has_column("id"), "{}", fk.name);
                    }
                }
                for view in &model.views {
                    let t = &model.tables[view.table];
                    assert!(
                        view.columns.iter().all(|c| t.has_column(c)),
                        "{}",
                        view.name
                    );
                    assert!(view.filter.as_deref().is_none_or(|c| t.has_column(c)));
                    if let Some((fk, target, shown)) = &view.join {
                        assert!(t.has_column(fk), "{}", view.name);
                        let target = &model.tables[*target];
                        assert!(shown.iter().all(|c| target.has_column(c)), "{}", view.name);
                    }
                }
            }
        }
    }

    #[test]
    fn shape_is_about_right() {
        let generated = generate(&options(1000, 1, Dialect::Postgres, None));
        let sql = &generated.sql;
        let tables = sql.matches("CREATE TABLE ").count();
        assert_eq!(tables, 1000);
        let indexes = sql.matches("INDEX ").count();
        assert!((1500..=2500).contains(&indexes), "{indexes} indexes");
        let fks = sql.matches("REFERENCES ").count();
        assert!((1200..=1800).contains(&fks), "{fks} foreign keys");
        assert_eq!(sql.matches("CREATE VIEW ").count(), 50);
        assert_eq!(sql.matches("CREATE TYPE ").count(), 20);
        assert!(sql.contains("CREATE SEQUENCE "));
        assert!(sql.contains("ALTER TABLE "));
        assert_eq!(generated.statements, sql.matches(";\n").count());
    }

    #[test]
    fn names_fit_identifier_limits() {
        for dialect in Dialect::ALL {
            let sql = generate(&options(2000, 11, dialect, Some(30))).sql;
            for word in sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                assert!(word.len() <= 63, "{word}");
            }
        }
    }
}
