//! Catalog rows into the canonical model, attribute by attribute in the form the offline
//! loader gives the same schema (see `offline::mysql` for the MariaDB 10.11 forms).
//!
//! Kept apart from the queries so that it can be read (and tested) on rows alone.

use super::catalog::{Catalog, Flavor, Record, Server};
use crate::live::{InspectOptions, canonical_expression};
use schema_model::{
    ArgumentMode, Check, CheckOption, Column, DataType, Dialect, Event, EventSchedule, EventStatus,
    ForeignKey, Function, FunctionArgument, FunctionKind, Generated, Index, IndexKey, IndexMethod,
    IndexPart, PartitionBy, PartitionStrategy, PrimaryKey, QualifiedName, Realm, ReferentialAction,
    Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming, View,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A cell of a row, `None` for NULL or a missing column.
fn cell(row: &Record, i: usize) -> Option<&str> {
    row.get(i).and_then(|c| c.as_deref())
}

fn text(row: &Record, i: usize) -> String {
    cell(row, i).unwrap_or_default().to_owned()
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Which character set each collation belongs to, and each set's default collation.
pub(super) struct Collations {
    charset_of: HashMap<String, String>,
    default_of: HashMap<String, String>,
}

impl Collations {
    fn new(rows: &[Record]) -> Self {
        let mut charset_of = HashMap::new();
        let mut default_of = HashMap::new();
        for row in rows {
            let (collation, charset) = (text(row, 0), text(row, 1));
            if cell(row, 2).is_some_and(|d| d.eq_ignore_ascii_case("yes")) {
                default_of.insert(charset.clone(), collation.clone());
            }
            charset_of.insert(collation, charset);
        }
        Collations {
            charset_of,
            default_of,
        }
    }

    fn charset(&self, collation: &str) -> String {
        self.charset_of
            .get(collation)
            .cloned()
            .unwrap_or_else(|| collation.split('_').next().unwrap_or(collation).to_owned())
    }

    /// The canonical `(charset, collation)` of something whose effective collation is
    /// `collation`, inside a parent (database, table) whose collation is `parent`: both
    /// left out when they equal the parent's; otherwise the charset when it differs
    /// from the parent's, and the collation unless it is that charset's default.
    fn relative(&self, collation: &str, parent: &str) -> (Option<String>, Option<String>) {
        if collation == parent || collation.is_empty() {
            return (None, None);
        }
        let charset = self.charset(collation);
        if charset == self.charset(parent) {
            return (None, Some(collation.to_owned()));
        }
        let is_default = self
            .default_of
            .get(&charset)
            .is_some_and(|d| d == collation);
        (Some(charset), (!is_default).then(|| collation.to_owned()))
    }
}

/// A column type as `information_schema.COLUMNS.COLUMN_TYPE` (or a routine's
/// `DTD_IDENTIFIER`) spells it, in canonical form, and whether it is `UNSIGNED`.
pub(super) fn column_type(column_type: &str) -> (DataType, bool) {
    let lower = column_type.trim().to_ascii_lowercase();
    let unsigned = lower.contains(" unsigned") || lower.contains(" zerofill");
    // Enum and set values keep their case and may hold anything: take them whole.
    for prefix in ["enum(", "set("] {
        if lower.starts_with(prefix) {
            let end = column_type.rfind(')').map_or(column_type.len(), |i| i + 1);
            let canonical = format!("{}{}", prefix, &column_type.trim()[prefix.len()..end]);
            return (DataType::parse_canonical(&canonical), false);
        }
    }
    let head = lower
        .split(" unsigned")
        .next()
        .unwrap_or(&lower)
        .split(" zerofill")
        .next()
        .unwrap_or(&lower)
        .split(" character set")
        .next()
        .unwrap_or(&lower)
        .split(" collate")
        .next()
        .unwrap_or(&lower)
        .trim();
    let (name, args) = match head.find('(') {
        Some(open) if head.ends_with(')') => (&head[..open], Some(&head[open + 1..head.len() - 1])),
        _ => (head, None),
    };
    let numbers: Vec<u32> = args
        .map(|a| a.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_default();
    let first = numbers.first().copied();
    // Fractional-second precision 0 is the default, written without.
    let fsp = first.filter(|p| *p != 0);
    let ty = match name {
        "tinyint" if first == Some(1) && !unsigned => DataType::Boolean,
        "bool" | "boolean" => DataType::Boolean,
        "tinyint" => DataType::TinyInt,
        "smallint" => DataType::SmallInt,
        "mediumint" => DataType::MediumInt,
        "int" | "integer" => DataType::Integer,
        "bigint" => DataType::BigInt,
        "decimal" | "numeric" | "dec" | "fixed" => DataType::Numeric {
            precision: Some(first.unwrap_or(10)),
            scale: Some(numbers.get(1).copied().unwrap_or(0)),
        },
        "float" => match (first, numbers.len()) {
            (Some(p), 1) if p > 24 => DataType::Double,
            _ => DataType::Real,
        },
        "double" | "double precision" | "real" => DataType::Double,
        "char" => DataType::Char(first.unwrap_or(1)),
        "varchar" => DataType::Varchar(first),
        "text" => DataType::Text,
        "tinytext" => DataType::TinyText,
        "mediumtext" => DataType::MediumText,
        "longtext" => DataType::LongText,
        "blob" => DataType::Blob,
        "tinyblob" => DataType::TinyBlob,
        "mediumblob" => DataType::MediumBlob,
        "longblob" => DataType::LongBlob,
        "binary" => DataType::Binary(first.unwrap_or(1)),
        "varbinary" => DataType::Varbinary(first.unwrap_or(0)),
        "bit" => DataType::Bit(first.unwrap_or(1)),
        "date" => DataType::Date,
        "datetime" => DataType::Datetime(fsp),
        "timestamp" => DataType::Timestamp {
            precision: fsp,
            with_time_zone: false,
        },
        "time" => DataType::Time {
            precision: fsp,
            with_time_zone: false,
        },
        "year" => DataType::Year,
        "json" => DataType::Json,
        "uuid" => DataType::Uuid,
        // MariaDB 11.7's and MySQL 9's VECTOR(n): n float32s, as pgvector's vector(n).
        "vector" => DataType::Vector(first),
        _ => DataType::Other(head.to_owned()),
    };
    let unsigned = unsigned
        && (ty.is_integer()
            || matches!(
                ty,
                DataType::Numeric { .. } | DataType::Real | DataType::Double | DataType::Boolean
            ));
    (ty, unsigned)
}

/// Whether a default is the SQL NULL, however the server spells it.
fn is_null_default(text: &str) -> bool {
    text.eq_ignore_ascii_case("null")
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn is_numeric(ty: &DataType) -> bool {
    ty.is_integer()
        || matches!(
            ty,
            DataType::Numeric { .. } | DataType::Real | DataType::Double | DataType::Boolean
        )
}

/// `COLUMN_DEFAULT` in the model's form (MariaDB 10.11's): string literals quoted,
/// numbers as they are, `current_timestamp()`, expressions canonical. MySQL 8 shows
/// literals unquoted and marks expressions `DEFAULT_GENERATED` in `EXTRA`.
fn default_value(flavor: Flavor, raw: Option<&str>, extra: &str, ty: &DataType) -> Option<String> {
    let raw = raw?;
    if is_null_default(raw) && flavor == Flavor::MariaDb {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("current_timestamp") {
        let precision = rest.trim_matches(|c| c == '(' || c == ')');
        return Some(match precision {
            "" | "0" => "current_timestamp()".to_owned(),
            p => format!("current_timestamp({p})"),
        });
    }
    match flavor {
        Flavor::MariaDb => {
            if raw.starts_with('\'') || raw.parse::<f64>().is_ok() {
                Some(raw.to_owned())
            } else {
                Some(canonical_expression(Dialect::Mysql, raw))
            }
        }
        Flavor::Mysql => {
            if extra.to_ascii_lowercase().contains("default_generated") {
                Some(canonical_expression(Dialect::Mysql, raw))
            } else if is_numeric(ty) && raw.parse::<f64>().is_ok() {
                Some(raw.to_owned())
            } else {
                Some(quote(raw))
            }
        }
    }
}

/// What `ON UPDATE` says in `EXTRA` (`on update current_timestamp(3)`).
fn on_update(extra: &str) -> Option<String> {
    let lower = extra.to_ascii_lowercase();
    let at = lower.find("on update ")?;
    let rest = lower[at + "on update ".len()..].trim();
    // EXTRA lists several attributes with commas: `on update current_timestamp(),
    // INVISIBLE`.
    let word = rest
        .split_whitespace()
        .next()
        .unwrap_or(rest)
        .trim_end_matches(',');
    let precision = word
        .strip_prefix("current_timestamp")?
        .trim_matches(|c| c == '(' || c == ')');
    Some(match precision {
        "" | "0" => "current_timestamp()".to_owned(),
        p => format!("current_timestamp({p})"),
    })
}

fn action(rule: &str) -> ReferentialAction {
    match rule.to_ascii_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        // MariaDB reports an unspecified action as RESTRICT and MySQL 8 as NO ACTION;
        // InnoDB treats both alike, so the model has one value for the three.
        _ => ReferentialAction::NoAction,
    }
}

/// MariaDB stores a `json` column as `longtext` with a `json_valid(col)` check named
/// after the column; the model has the type back and no check.
fn is_json_check(column: &str, name: &str, clause: &str) -> bool {
    name == column && clause.replace(['`', ' '], "") == format!("json_valid({column})")
}

pub(super) struct Builder<'a> {
    pub server: &'a Server,
    pub options: &'a InspectOptions,
}

impl Builder<'_> {
    /// The model's name for a database: `""` for the connection's own.
    fn schema_name(&self, database: &str) -> String {
        if self.server.database.as_deref() == Some(database) {
            String::new()
        } else {
            database.to_owned()
        }
    }

    fn excluded(&self, database: &str, name: &str) -> bool {
        self.options.excludes(database, name)
    }

    pub(super) fn build(&self, catalog: &Catalog) -> Realm {
        let collations = Collations::new(&catalog.collations);
        let mut realm = Realm::new(Dialect::Mysql);
        let mut database_collation: HashMap<String, String> = HashMap::new();
        for row in &catalog.schemata {
            let database = text(row, 0);
            let collation = text(row, 2);
            let schema = realm.schema_mut(&self.schema_name(&database));
            let (charset, own) = collations.relative(&collation, &self.server.collation);
            schema.charset = charset;
            schema.collation = own;
            database_collation.insert(database, collation);
        }
        let json_checks = self.json_columns(catalog);
        let mut table_collation: HashMap<(String, String), String> = HashMap::new();
        for row in &catalog.tables {
            let (database, name) = (text(row, 0), text(row, 1));
            if text(row, 2) != "BASE TABLE" || self.excluded(&database, &name) {
                continue;
            }
            let mut table = Table::new(name.clone());
            let engine = text(row, 3);
            if !engine.eq_ignore_ascii_case(&self.server.default_engine) && !engine.is_empty() {
                table.options.engine = Some(engine);
            }
            let collation = text(row, 4);
            let parent = database_collation
                .get(&database)
                .cloned()
                .unwrap_or_else(|| self.server.collation.clone());
            let (charset, own) = collations.relative(&collation, &parent);
            table.options.charset = charset;
            table.options.collation = own;
            table.options.row_format =
                create_option(cell(row, 5), "row_format").map(|f| f.to_ascii_uppercase());
            table.comment = non_empty(cell(row, 6));
            table_collation.insert((database.clone(), name.clone()), collation);
            realm
                .schema_mut(&self.schema_name(&database))
                .tables
                .insert(name, table);
        }
        for row in &catalog.columns {
            let (database, table_name) = (text(row, 0), text(row, 1));
            let Some(table) = self.table_mut(&mut realm, &database, &table_name) else {
                continue;
            };
            let name = text(row, 2);
            let (mut data_type, unsigned) = column_type(cell(row, 3).unwrap_or_default());
            let json = json_checks.contains(&(database.clone(), table_name.clone(), name.clone()));
            if json {
                data_type = DataType::Json;
            }
            let extra = text(row, 7);
            let mut column = Column::new(name, data_type);
            column.unsigned = unsigned;
            column.nullable = cell(row, 5) == Some("YES");
            let lower_extra = extra.to_ascii_lowercase();
            column.auto_increment = lower_extra.contains("auto_increment");
            if lower_extra.contains("generated") && !lower_extra.contains("default_generated") {
                column.generated = Some(Generated {
                    expression: canonical_expression(
                        Dialect::Mysql,
                        cell(row, 8).unwrap_or_default(),
                    ),
                    stored: lower_extra.contains("stored"),
                });
            } else {
                column.default =
                    default_value(self.server.flavor, cell(row, 6), &extra, &column.data_type);
            }
            column.on_update = on_update(&extra);
            // MySQL and MariaDB both say INVISIBLE in EXTRA.
            column.invisible = lower_extra.contains("invisible");
            if !json && let Some(collation) = cell(row, 10) {
                let parent = table_collation
                    .get(&(database.clone(), table_name.clone()))
                    .map(String::as_str)
                    .unwrap_or_default();
                let (charset, own) = collations.relative(collation, parent);
                column.charset = charset;
                column.collation = own;
            }
            column.comment = non_empty(cell(row, 11));
            table.columns.push(column);
        }
        self.indexes(&mut realm, catalog);
        self.foreign_keys(&mut realm, catalog);
        self.checks(&mut realm, catalog, &json_checks);
        self.partitions(&mut realm, catalog);
        self.views(&mut realm, catalog);
        self.triggers(&mut realm, catalog);
        self.routines(&mut realm, catalog);
        self.events(&mut realm, catalog);
        realm.normalize();
        realm
    }

    fn table_mut<'r>(
        &self,
        realm: &'r mut Realm,
        database: &str,
        table: &str,
    ) -> Option<&'r mut Table> {
        realm
            .schemas
            .get_mut(&self.schema_name(database))?
            .tables
            .get_mut(table)
    }

    /// The (database, table, column) of every MariaDB `json` column.
    fn json_columns(&self, catalog: &Catalog) -> BTreeSet<(String, String, String)> {
        if self.server.flavor != Flavor::MariaDb {
            return BTreeSet::new();
        }
        let longtext: BTreeSet<(String, String, String)> = catalog
            .columns
            .iter()
            .filter(|r| cell(r, 4).is_some_and(|t| t.eq_ignore_ascii_case("longtext")))
            .map(|r| (text(r, 0), text(r, 1), text(r, 2)))
            .collect();
        catalog
            .checks
            .iter()
            .filter_map(|r| {
                let key = (text(r, 0), text(r, 1), text(r, 2));
                (longtext.contains(&key) && is_json_check(&key.2, &key.2, &text(r, 3)))
                    .then_some(key)
            })
            .collect()
    }

    fn indexes(&self, realm: &mut Realm, catalog: &Catalog) {
        // Rows come ordered by table, index and position: one index is a run of rows.
        let mut current: Option<(String, String, String)> = None;
        for row in &catalog.statistics {
            let key = (text(row, 0), text(row, 1), text(row, 2));
            let Some(table) = self.table_mut(realm, &key.0, &key.1) else {
                continue;
            };
            let method = match text(row, 6).to_ascii_uppercase().as_str() {
                "FULLTEXT" => IndexMethod::Fulltext,
                "SPATIAL" | "RTREE" => IndexMethod::Spatial,
                "HASH" => IndexMethod::Hash,
                "BTREE" | "" => IndexMethod::Btree,
                other => IndexMethod::from_name(other),
            };
            let mut part = match cell(row, 4) {
                Some(column) => IndexPart::column(column),
                None => IndexPart {
                    key: IndexKey::Expression(canonical_expression(
                        Dialect::Mysql,
                        cell(row, 9).unwrap_or_default(),
                    )),
                    ..IndexPart::column("")
                },
            };
            part.descending = cell(row, 7) == Some("D");
            if method == IndexMethod::Btree || method == IndexMethod::Hash {
                part.prefix_length = cell(row, 5).and_then(|n| n.parse().ok());
            }
            let index_name = key.2.clone();
            let starts = current.as_ref() != Some(&key);
            current = Some(key);
            if index_name == "PRIMARY" {
                match &mut table.primary_key {
                    Some(pk) if !starts => pk.columns.push(part_column(&part)),
                    _ => {
                        table.primary_key = Some(PrimaryKey {
                            name: index_name,
                            columns: vec![part_column(&part)],
                            include: Vec::new(),
                            deferrable: Default::default(),
                            comment: None,
                        });
                    }
                }
                continue;
            }
            if starts {
                table.indexes.insert(
                    index_name.clone(),
                    Index {
                        name: index_name,
                        unique: cell(row, 3) == Some("0"),
                        method,
                        parts: vec![part],
                        include: Vec::new(),
                        predicate: None,
                        nulls_not_distinct: false,
                        parameters: BTreeMap::new(),
                        comment: non_empty(cell(row, 8)),
                    },
                );
            } else if let Some(index) = table.indexes.get_mut(&index_name) {
                index.parts.push(part);
            }
        }
    }

    fn foreign_keys(&self, realm: &mut Realm, catalog: &Catalog) {
        for row in &catalog.foreign_keys {
            let (database, table_name, name) = (text(row, 0), text(row, 1), text(row, 2));
            let referenced_table =
                QualifiedName::new(self.schema_name(&text(row, 4)), text(row, 5));
            let Some(table) = self.table_mut(realm, &database, &table_name) else {
                continue;
            };
            let fk = table
                .foreign_keys
                .entry(name.clone())
                .or_insert_with(|| ForeignKey {
                    name,
                    columns: Vec::new(),
                    referenced_table,
                    referenced_columns: Vec::new(),
                    on_delete: action(&text(row, 8)),
                    on_update: action(&text(row, 7)),
                    on_delete_columns: Vec::new(),
                    match_type: Default::default(),
                    deferrable: Default::default(),
                    not_valid: false,
                    comment: None,
                });
            fk.columns.push(text(row, 3));
            fk.referenced_columns.push(text(row, 6));
        }
    }

    fn checks(
        &self,
        realm: &mut Realm,
        catalog: &Catalog,
        json: &BTreeSet<(String, String, String)>,
    ) {
        for row in &catalog.checks {
            let key = (text(row, 0), text(row, 1), text(row, 2));
            if json.contains(&key) {
                continue;
            }
            let Some(table) = self.table_mut(realm, &key.0, &key.1) else {
                continue;
            };
            table.checks.insert(
                key.2.clone(),
                Check {
                    name: key.2,
                    expression: canonical_expression(Dialect::Mysql, &text(row, 3)),
                    no_inherit: false,
                    not_valid: false,
                    not_enforced: cell(row, 4).is_some_and(|e| e.eq_ignore_ascii_case("no")),
                    comment: None,
                },
            );
        }
    }

    fn partitions(&self, realm: &mut Realm, catalog: &Catalog) {
        let mut seen: BTreeMap<(String, String), Vec<&Record>> = BTreeMap::new();
        for row in &catalog.partitions {
            // Subpartitions repeat their partition; the model keeps partitions only.
            let key = (text(row, 0), text(row, 1));
            let rows = seen.entry(key).or_default();
            if rows.last().is_some_and(|r| cell(r, 2) == cell(row, 2)) {
                continue;
            }
            rows.push(row);
        }
        for ((database, table_name), rows) in seen {
            let Some(first) = rows.first() else { continue };
            let Some(table) = self.table_mut(realm, &database, &table_name) else {
                continue;
            };
            let method = text(first, 3).to_ascii_uppercase();
            let method = method.trim_start_matches("LINEAR ");
            let (strategy, columns) = match method {
                "RANGE" => (PartitionStrategy::Range, false),
                "RANGE COLUMNS" => (PartitionStrategy::Range, true),
                "LIST" => (PartitionStrategy::List, false),
                "LIST COLUMNS" => (PartitionStrategy::List, true),
                "HASH" => (PartitionStrategy::Hash, false),
                _ => (PartitionStrategy::Key, true),
            };
            let expression = text(first, 4);
            let keys = if columns {
                expression
                    .split(',')
                    .map(|k| k.trim().trim_matches('`').to_owned())
                    .filter(|k| !k.is_empty())
                    .collect()
            } else {
                vec![canonical_expression(Dialect::Mysql, &expression)]
            };
            let names: Vec<String> = rows.iter().map(|r| text(r, 2)).collect();
            let numbered = names.iter().enumerate().all(|(i, n)| *n == format!("p{i}"));
            let partitions = match strategy {
                // One partition is what `PARTITION BY HASH (x)` alone gives.
                PartitionStrategy::Hash | PartitionStrategy::Key if numbered && rows.len() == 1 => {
                    Vec::new()
                }
                PartitionStrategy::Hash | PartitionStrategy::Key if numbered => {
                    vec![format!("PARTITIONS {}", rows.len())]
                }
                _ => rows
                    .iter()
                    .map(|r| {
                        let name = partition_name(&text(r, 2));
                        match (strategy, cell(r, 5)) {
                            (PartitionStrategy::Range, Some(d)) => {
                                format!("PARTITION {name} VALUES LESS THAN ({d})")
                            }
                            (PartitionStrategy::List, Some(d)) => {
                                format!("PARTITION {name} VALUES IN ({d})")
                            }
                            _ => format!("PARTITION {name}"),
                        }
                    })
                    .collect(),
            };
            table.partition_by = Some(PartitionBy {
                strategy,
                keys,
                partitions,
            });
        }
    }

    fn views(&self, realm: &mut Realm, catalog: &Catalog) {
        for row in &catalog.views {
            let (database, name) = (text(row, 0), text(row, 1));
            if self.excluded(&database, &name) {
                continue;
            }
            let definition =
                super::view_definition(&database, &text(row, 2), &self.server.database);
            let view = View {
                name: name.clone(),
                materialized: false,
                columns: Vec::new(),
                definition,
                check_option: match text(row, 3).to_ascii_uppercase().as_str() {
                    "LOCAL" => Some(CheckOption::Local),
                    "CASCADED" => Some(CheckOption::Cascaded),
                    _ => None,
                },
                options: BTreeMap::new(),
                with_no_data: false,
                indexes: BTreeMap::new(),
                security: non_empty(cell(row, 4)).map(|s| s.to_ascii_uppercase()),
                triggers: BTreeMap::new(),
                comment: None,
                column_comments: BTreeMap::new(),
                privileges: Vec::new(),
            };
            realm
                .schema_mut(&self.schema_name(&database))
                .views
                .insert(name, view);
        }
    }

    fn triggers(&self, realm: &mut Realm, catalog: &Catalog) {
        for row in &catalog.triggers {
            let (database, name, table_name) = (text(row, 0), text(row, 1), text(row, 3));
            if self.excluded(&database, &name) {
                continue;
            }
            let Some(table) = self.table_mut(realm, &database, &table_name) else {
                continue;
            };
            let event = match text(row, 2).to_ascii_uppercase().as_str() {
                "INSERT" => TriggerEvent::Insert,
                "DELETE" => TriggerEvent::Delete,
                _ => TriggerEvent::Update {
                    columns: Vec::new(),
                },
            };
            let timing = match text(row, 6).to_ascii_uppercase().as_str() {
                "BEFORE" => TriggerTiming::Before,
                _ => TriggerTiming::After,
            };
            table.triggers.insert(
                name.clone(),
                Trigger {
                    name,
                    timing,
                    events: vec![event],
                    for_each_row: !text(row, 5).eq_ignore_ascii_case("statement"),
                    when: None,
                    action: TriggerAction::Body(text(row, 4)),
                    constraint: false,
                    deferrable: Default::default(),
                    from: None,
                    old_table: None,
                    new_table: None,
                    enabled: true,
                    comment: None,
                },
            );
        }
    }

    fn routines(&self, realm: &mut Realm, catalog: &Catalog) {
        let mut parameters: HashMap<(String, String, String), Vec<FunctionArgument>> =
            HashMap::new();
        for row in &catalog.parameters {
            let key = (
                text(row, 0),
                text(row, 1),
                text(row, 2).to_ascii_uppercase(),
            );
            let mode = match text(row, 3).to_ascii_uppercase().as_str() {
                "OUT" => ArgumentMode::Out,
                "INOUT" => ArgumentMode::InOut,
                _ => ArgumentMode::In,
            };
            // The offline loader keeps no UNSIGNED on routine types.
            let (data_type, _) = column_type(&text(row, 5));
            parameters.entry(key).or_default().push(FunctionArgument {
                name: non_empty(cell(row, 4)),
                mode,
                data_type,
                default: None,
            });
        }
        for row in &catalog.routines {
            let (database, name) = (text(row, 0), text(row, 1));
            if self.excluded(&database, &name) {
                continue;
            }
            let routine_type = text(row, 2).to_ascii_uppercase();
            let kind = if routine_type == "PROCEDURE" {
                FunctionKind::Procedure
            } else {
                FunctionKind::Function
            };
            let arguments = parameters
                .remove(&(database.clone(), name.clone(), routine_type))
                .unwrap_or_default();
            let mut attributes = Vec::new();
            if cell(row, 5).is_some_and(|d| d.eq_ignore_ascii_case("yes")) {
                attributes.push("DETERMINISTIC".to_owned());
            }
            let access = text(row, 6).to_ascii_uppercase();
            if !access.is_empty() && access != "CONTAINS SQL" {
                attributes.push(access);
            }
            if text(row, 7).eq_ignore_ascii_case("invoker") {
                attributes.push("SQL SECURITY INVOKER".to_owned());
            }
            attributes.sort();
            let returns =
                (kind == FunctionKind::Function).then(|| column_type(&text(row, 3)).0.to_string());
            let function = Function {
                name: name.clone(),
                kind,
                arguments,
                returns,
                language: "sql".to_owned(),
                body: text(row, 4),
                attributes,
                comment: non_empty(cell(row, 8)),
                privileges: Vec::new(),
            };
            let key = signature(&name, &function.arguments);
            realm
                .schema_mut(&self.schema_name(&database))
                .functions
                .insert(key, function);
        }
    }

    /// Events, in the model's canonical form (see [`schema_model::Event`]): the
    /// server already reprints intervals and timestamps that way; the STARTS it fills
    /// in for an `EVERY` without one is left out (see `catalog::IMPLICIT_STARTS`).
    fn events(&self, realm: &mut Realm, catalog: &Catalog) {
        for row in &catalog.events {
            let (database, name) = (text(row, 0), text(row, 1));
            if self.excluded(&database, &name) {
                continue;
            }
            let schedule = if text(row, 2).eq_ignore_ascii_case("one time") {
                EventSchedule::At(text(row, 3))
            } else {
                let implicit = cell(row, 12) == Some("1");
                EventSchedule::Every {
                    interval: text(row, 4),
                    unit: text(row, 5).to_ascii_uppercase(),
                    starts: non_empty(cell(row, 6)).filter(|_| !implicit),
                    ends: non_empty(cell(row, 7)),
                }
            };
            let status = match text(row, 8).to_ascii_uppercase().as_str() {
                "DISABLED" => EventStatus::Disabled,
                "SLAVESIDE_DISABLED" => EventStatus::DisabledOnSlave,
                _ => EventStatus::Enabled,
            };
            let event = Event {
                name: name.clone(),
                schedule,
                preserve: text(row, 9).eq_ignore_ascii_case("preserve"),
                status,
                comment: non_empty(cell(row, 10)),
                body: text(row, 11),
            };
            realm
                .schema_mut(&self.schema_name(&database))
                .events
                .insert(name, event);
        }
    }
}

/// A partition name as a definition writes it: back-quoted where it must be.
fn partition_name(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

fn part_column(part: &IndexPart) -> String {
    match &part.key {
        IndexKey::Column(c) | IndexKey::Expression(c) => c.clone(),
    }
}

/// `name(type, ...)` over the arguments that identify a routine (not `OUT`), as the
/// offline loader keys routines.
fn signature(name: &str, args: &[FunctionArgument]) -> String {
    let types: Vec<String> = args
        .iter()
        .filter(|a| a.mode != ArgumentMode::Out)
        .map(|a| a.data_type.to_string())
        .collect();
    format!("{name}({})", types.join(", "))
}

/// One `key=value` of `TABLES.CREATE_OPTIONS` (`row_format=DYNAMIC partitioned`).
fn create_option(options: Option<&str>, key: &str) -> Option<String> {
    options?.split_whitespace().find_map(|option| {
        let (k, v) = option.split_once('=')?;
        k.eq_ignore_ascii_case(key).then(|| v.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_update_is_read_from_an_extra_that_lists_more() {
        // As MariaDB 10.11 reports them.
        assert_eq!(
            on_update("on update current_timestamp(), INVISIBLE").as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(
            on_update("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)").as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(on_update("auto_increment"), None);
    }

    #[test]
    fn column_types_read_as_the_offline_loader_reads_them() {
        let cases = [
            ("int(11)", "integer", false),
            ("int(10) unsigned zerofill", "integer", true),
            ("tinyint(1)", "boolean", false),
            ("tinyint(1) unsigned", "tinyint", true),
            ("tinyint(4)", "tinyint", false),
            ("decimal(12,2)", "numeric(12,2)", false),
            ("decimal(10,0) unsigned", "numeric(10,0)", true),
            ("float", "real", false),
            ("double", "double precision", false),
            ("varchar(255)", "varchar(255)", false),
            ("timestamp(3)", "timestamp(3)", false),
            ("datetime", "datetime", false),
            ("year(4)", "year", false),
            ("enum('a','it''s')", "enum('a','it''s')", false),
            ("set('X','y')", "set('X','y')", false),
            ("bit(3)", "bit(3)", false),
            ("point", "point", false),
            ("vector(3)", "vector(3)", false),
        ];
        for (input, expected, unsigned) in cases {
            let (ty, u) = column_type(input);
            assert_eq!(
                (ty.to_string().as_str(), u),
                (expected, unsigned),
                "{input}"
            );
        }
    }

    #[test]
    fn defaults_take_the_mariadb_form() {
        let ty = DataType::Integer;
        let d = |raw: &str| default_value(Flavor::MariaDb, Some(raw), "", &ty);
        assert_eq!(d("NULL"), None);
        assert_eq!(d("'x''y'").as_deref(), Some("'x''y'"));
        assert_eq!(d("0.00").as_deref(), Some("0.00"));
        assert_eq!(
            d("current_timestamp(3)").as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(d("(1 + 2)").as_deref(), Some("1 + 2"));
        let m = |raw: &str, extra: &str, ty: &DataType| {
            default_value(Flavor::Mysql, Some(raw), extra, ty)
        };
        assert_eq!(m("abc", "", &DataType::Text).as_deref(), Some("'abc'"));
        assert_eq!(
            m(
                "CURRENT_TIMESTAMP",
                "DEFAULT_GENERATED",
                &DataType::Datetime(None)
            )
            .as_deref(),
            Some("current_timestamp()")
        );
    }

    #[test]
    fn on_update_reads_extra() {
        assert_eq!(
            on_update("on update current_timestamp(3)").as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(
            on_update("DEFAULT_GENERATED on update CURRENT_TIMESTAMP").as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(on_update("auto_increment"), None);
    }

    #[test]
    fn charsets_are_kept_where_they_differ() {
        let row = |c: &str, s: &str, d: &str| vec![Some(c.into()), Some(s.into()), Some(d.into())];
        let collations = Collations::new(&[
            row("utf8mb4_general_ci", "utf8mb4", "Yes"),
            row("utf8mb4_bin", "utf8mb4", ""),
            row("latin1_swedish_ci", "latin1", "Yes"),
            row("latin1_bin", "latin1", ""),
        ]);
        let parent = "utf8mb4_general_ci";
        assert_eq!(collations.relative(parent, parent), (None, None));
        assert_eq!(
            collations.relative("utf8mb4_bin", parent),
            (None, Some("utf8mb4_bin".into()))
        );
        assert_eq!(
            collations.relative("latin1_swedish_ci", parent),
            (Some("latin1".into()), None)
        );
        assert_eq!(
            collations.relative("latin1_bin", parent),
            (Some("latin1".into()), Some("latin1_bin".into()))
        );
    }
}
