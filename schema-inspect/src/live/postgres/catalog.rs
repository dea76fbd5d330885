//! Reading the catalog rows into a [`Realm`].

use super::convert::{self, UserTypes};
use super::queries;
use crate::live::{InspectError, InspectOptions, canonical_expression};
use schema_model::{
    Check, CheckOption, Collation, Column, CompositeAttribute, DefaultPrivilege, Dialect, Domain,
    Exclusion, ExclusionElement, Extension, ForeignKey, Function, Generated, Identity, Index,
    IndexKey, IndexMethod, IndexPart, MatchType, OperatorClass, PartitionBy, PartitionOf,
    PartitionStrategy, Policy, PolicyCommand, PrimaryKey, QualifiedName, Realm, ReferentialAction,
    Schema, Sequence, SequenceOptions, SequenceOwner, Table, Trigger, TriggerAction, TriggerEvent,
    TriggerTiming, TypeDef, TypeKind, UniqueConstraint, View,
};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many catalog queries one inspection sends (schemas, extensions, relations,
/// columns, constraints, indexes, sequences, types, functions, triggers, policies,
/// collations, default privileges, and one for aggregates and the kinds the model
/// keeps whole).
pub const QUERIES_PER_INSPECTION: usize = 14;

fn canonical(text: &str) -> String {
    canonical_expression(Dialect::Postgres, text)
}

async fn fetch(
    conn: &mut PgConnection,
    kind: &str,
    sql: String,
    schemas: &[String],
) -> Result<Vec<PgRow>, InspectError> {
    tracing::debug!(kind, "reading the catalog");
    let query = sqlx::query(AssertSqlSafe(sql));
    let query = if sql_uses_schemas(kind) {
        query.bind(schemas)
    } else {
        query
    };
    query
        .fetch_all(conn)
        .await
        .map_err(|e| InspectError::Query {
            object: kind.to_owned(),
            message: super::server_message(&e),
        })
}

fn sql_uses_schemas(_kind: &str) -> bool {
    true
}

/// One column of a row, with the object kind in the error.
fn get<'r, T>(row: &'r PgRow, column: &str, kind: &str) -> Result<T, InspectError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(|e| InspectError::Unreadable {
        object: kind.to_owned(),
        message: format!("column {column}: {e}"),
    })
}

/// A relation read from `pg_class`, by oid.
struct Relation {
    schema: String,
    name: String,
    kind: String,
}

/// Reads the realm the connection sees.
pub(super) async fn read(
    conn: &mut PgConnection,
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let mut realm = Realm {
        dialect: Dialect::Postgres,
        schemas: BTreeMap::new(),
        extensions: BTreeMap::new(),
        default_privileges: Vec::new(),
    };

    let kind = "schemas";
    for row in fetch(conn, kind, queries::schemas(), &options.schemas).await? {
        let name: String = get(&row, "name", kind)?;
        let mut schema = Schema::new(name.clone());
        schema.comment = get(&row, "comment", kind)?;
        if name == "public" && schema.comment.as_deref() == Some("standard public schema") {
            // The comment `initdb` gives `public`, not one the SQL wrote.
            schema.comment = None;
        }
        schema.privileges = convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?);
        if name == "public" {
            // PUBLIC's USAGE is the `public` schema's own default since PostgreSQL 15,
            // whatever else was granted on it since.
            schema
                .privileges
                .retain(|p| !(p.grantee == "PUBLIC" && p.privilege == "USAGE" && !p.grantable));
        }
        realm.schemas.insert(name, schema);
    }
    let schemas: Vec<String> = realm.schemas.keys().cloned().collect();

    let kind = "extensions";
    for row in fetch(conn, kind, queries::EXTENSIONS.to_owned(), &schemas).await? {
        let name: String = get(&row, "name", kind)?;
        realm.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: get(&row, "schema", kind)?,
                version: None,
                comment: get(&row, "comment", kind)?,
            },
        );
    }

    // Types first: columns need to know which names are types of the realm.
    let kind = "types";
    let type_rows = fetch(conn, kind, queries::types(), &schemas).await?;
    let mut user_types = UserTypes::new();
    for row in &type_rows {
        user_types.insert(QualifiedName::new(
            get::<String>(row, "schema", kind)?,
            get::<String>(row, "name", kind)?,
        ));
    }
    let mut domain_oids: HashMap<i64, QualifiedName> = HashMap::new();
    for row in &type_rows {
        let schema: String = get(row, "schema", kind)?;
        let name: String = get(row, "name", kind)?;
        if options.excludes(&schema, &name) {
            continue;
        }
        let type_kind = match get::<String>(row, "kind", kind)?.as_str() {
            "e" => TypeKind::Enum {
                values: get(row, "labels", kind)?,
            },
            "c" => {
                let names: Vec<String> = get(row, "attribute_names", kind)?;
                let types: Vec<String> = get(row, "attribute_types", kind)?;
                let collations: Vec<String> = get(row, "attribute_collations", kind)?;
                TypeKind::Composite {
                    attributes: names
                        .into_iter()
                        .zip(types)
                        .zip(collations)
                        .map(|((name, ty), collation)| CompositeAttribute {
                            name,
                            data_type: convert::data_type(&ty, &user_types),
                            collation: (!collation.is_empty()).then(|| quote_collation(&collation)),
                        })
                        .collect(),
                }
            }
            "d" => {
                let oid: i64 = get(row, "oid", kind)?;
                domain_oids.insert(oid, QualifiedName::new(schema.clone(), name.clone()));
                let base: String =
                    get::<Option<String>>(row, "base_type", kind)?.unwrap_or_default();
                TypeKind::Domain(Domain {
                    base_type: convert::data_type(&base, &user_types),
                    not_null: get(row, "not_null", kind)?,
                    default: get::<Option<String>>(row, "default_expr", kind)?
                        .map(|d| canonical(&d)),
                    collation: get(row, "collation", kind)?,
                    checks: BTreeMap::new(),
                })
            }
            _ => {
                let subtype: String =
                    get::<Option<String>>(row, "subtype", kind)?.unwrap_or_default();
                let mut range_options = BTreeMap::new();
                for (option, column) in [
                    ("subtype_opclass", "subtype_opclass"),
                    ("collation", "range_collation"),
                    ("canonical", "canonical"),
                    ("subtype_diff", "subtype_diff"),
                    ("multirange_type_name", "multirange"),
                ] {
                    if let Some(value) = get::<Option<String>>(row, column, kind)? {
                        range_options.insert(option.to_owned(), value);
                    }
                }
                TypeKind::Range {
                    subtype: convert::data_type(&subtype, &user_types),
                    options: range_options,
                }
            }
        };
        realm.schema_mut(&schema).types.insert(
            name.clone(),
            TypeDef {
                name,
                kind: type_kind,
                comment: get(row, "comment", kind)?,
                privileges: convert::privileges(&get::<Vec<String>>(row, "acl", kind)?),
            },
        );
    }

    let kind = "relations";
    let mut relations: HashMap<i64, Relation> = HashMap::new();
    for row in fetch(conn, kind, queries::relations(), &schemas).await? {
        let oid: i64 = get(&row, "oid", kind)?;
        let schema: String = get(&row, "schema", kind)?;
        let name: String = get(&row, "name", kind)?;
        if options.excludes(&schema, &name) {
            continue;
        }
        let rel_kind: String = get(&row, "kind", kind)?;
        let comment: Option<String> = get(&row, "comment", kind)?;
        let privileges = convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?);
        let reloptions: Vec<String> = get(&row, "options", kind)?;
        if rel_kind == "v" || rel_kind == "m" {
            let definition: String =
                get::<Option<String>>(&row, "view_definition", kind)?.unwrap_or_default();
            let materialized = rel_kind == "m";
            let mut view_options = BTreeMap::new();
            let mut check_option = None;
            for (key, value) in storage_parameters(&reloptions) {
                if key == "check_option" {
                    check_option = Some(if value == "local" {
                        CheckOption::Local
                    } else {
                        CheckOption::Cascaded
                    });
                } else {
                    view_options.insert(key, value);
                }
            }
            let view = View {
                name: name.clone(),
                materialized,
                columns: Vec::new(),
                definition: view_definition(&schema, &name, materialized, &definition),
                check_option,
                options: view_options,
                with_no_data: materialized && !get::<bool>(&row, "populated", kind)?,
                indexes: BTreeMap::new(),
                security: None,
                triggers: BTreeMap::new(),
                comment,
                column_comments: BTreeMap::new(),
                privileges,
            };
            realm.schema_mut(&schema).views.insert(name.clone(), view);
        } else {
            let mut table = Table::new(name.clone());
            table.comment = comment;
            table.privileges = privileges;
            table.row_security = get(&row, "row_security", kind)?;
            table.force_row_security = get(&row, "force_row_security", kind)?;
            table.options.unlogged = get::<String>(&row, "persistence", kind)? == "u";
            table.options.storage_parameters = storage_parameters(&reloptions);
            table.options.access_method = get(&row, "access_method", kind)?;
            if let Some(key) = get::<Option<String>>(&row, "partition_key", kind)? {
                table.partition_by = partition_by(&key);
            }
            let parent_schemas: Vec<String> = get(&row, "parent_schemas", kind)?;
            let parent_names: Vec<String> = get(&row, "parent_names", kind)?;
            let parents: Vec<QualifiedName> = parent_schemas
                .into_iter()
                .zip(parent_names)
                .map(|(s, n)| QualifiedName::new(s, n))
                .collect();
            match get::<Option<String>>(&row, "partition_bound", kind)? {
                Some(bound) => {
                    if let Some(parent) = parents.into_iter().next() {
                        table.partition_of = Some(PartitionOf { parent, bound });
                    }
                }
                None => table.inherits = parents,
            }
            realm.schema_mut(&schema).tables.insert(name.clone(), table);
        }
        relations.insert(
            oid,
            Relation {
                schema,
                name,
                kind: rel_kind,
            },
        );
    }

    let kind = "columns";
    for row in fetch(conn, kind, queries::columns(), &schemas).await? {
        let rel: i64 = get(&row, "rel", kind)?;
        let Some(relation) = relations.get(&rel) else {
            continue;
        };
        let name: String = get(&row, "name", kind)?;
        let comment: Option<String> = get(&row, "comment", kind)?;
        let schema = realm.schema_mut(&relation.schema);
        if let Some(view) = schema.views.get_mut(&relation.name) {
            if let Some(comment) = comment {
                view.column_comments.insert(name, comment);
            }
            continue;
        }
        let Some(table) = schema.tables.get_mut(&relation.name) else {
            continue;
        };
        // An inheritance child's copies of its parents' columns are the parents';
        // a partition's columns are its own (the model lists them).
        if !get::<bool>(&row, "local", kind)? && table.partition_of.is_none() {
            continue;
        }
        let type_text: String = get(&row, "type", kind)?;
        let mut column = Column::new(name, convert::data_type(&type_text, &user_types));
        column.nullable = !get::<bool>(&row, "not_null", kind)?;
        let default: Option<String> = get(&row, "default_expr", kind)?;
        let generated: String = get(&row, "generated", kind)?;
        match (generated.as_str(), default) {
            ("s", Some(expression)) => {
                column.generated = Some(Generated {
                    expression: canonical(&expression),
                    stored: true,
                });
            }
            (_, default) => column.default = default.map(|d| canonical(&d)),
        }
        column.collation = get(&row, "collation", kind)?;
        column.comment = comment;
        column.privileges = convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?);
        let identity: String = get(&row, "identity", kind)?;
        if identity == "a" || identity == "d" {
            // The sequence's options come with the sequences below.
            column.identity = Some(Identity {
                always: identity == "a",
                sequence: SequenceOptions::postgres_defaults(column.data_type.clone(), 1),
            });
        }
        table.columns.push(column);
    }

    let kind = "constraints";
    for row in fetch(conn, kind, queries::constraints(), &schemas).await? {
        read_constraint(&mut realm, &row, &relations, &domain_oids)?;
    }

    let kind = "indexes";
    let mut constraint_indexes: HashMap<(i64, String), Index> = HashMap::new();
    for row in fetch(conn, kind, queries::INDEXES.to_owned(), &schemas).await? {
        let rel: i64 = get(&row, "rel", kind)?;
        let Some(relation) = relations.get(&rel) else {
            continue;
        };
        // A partition's index attached to its partitioned table's is the parent's
        // (see `queries`); the constraint it may back is left out with it.
        if get::<bool>(&row, "attached", kind)? {
            continue;
        }
        let index = read_index(&row)?;
        if get::<bool>(&row, "backs_constraint", kind)? {
            constraint_indexes.insert((rel, index.name.clone()), index);
            continue;
        }
        let schema = realm.schema_mut(&relation.schema);
        if relation.kind == "m" {
            if let Some(view) = schema.views.get_mut(&relation.name) {
                view.indexes.insert(index.name.clone(), index);
            }
        } else if let Some(table) = schema.tables.get_mut(&relation.name) {
            table.indexes.insert(index.name.clone(), index);
        }
    }
    fill_from_constraint_indexes(&mut realm, &relations, &constraint_indexes);

    let kind = "sequences";
    for row in fetch(conn, kind, queries::sequences(), &schemas).await? {
        let schema: String = get(&row, "schema", kind)?;
        let name: String = get(&row, "name", kind)?;
        let type_text: String = get(&row, "type", kind)?;
        let sequence_options = SequenceOptions {
            data_type: convert::data_type(&type_text, &user_types),
            start: get(&row, "start", kind)?,
            increment: get(&row, "increment", kind)?,
            min_value: get(&row, "min_value", kind)?,
            max_value: get(&row, "max_value", kind)?,
            cache: get(&row, "cache", kind)?,
            cycle: get(&row, "cycle", kind)?,
        };
        let owner_kind: Option<String> = get(&row, "owner_kind", kind)?;
        let owner = match (
            get::<Option<String>>(&row, "owner_schema", kind)?,
            get::<Option<String>>(&row, "owner_table", kind)?,
            get::<Option<String>>(&row, "owner_column", kind)?,
        ) {
            (Some(s), Some(t), Some(c)) => Some(SequenceOwner {
                table: QualifiedName::new(s, t),
                column: c,
            }),
            _ => None,
        };
        if owner_kind.as_deref() == Some("i") {
            if let Some(owner) = owner
                && let Some(table) = realm.table_mut(&owner.table)
                && let Some(column) = table.column_mut(&owner.column)
                && let Some(identity) = column.identity.as_mut()
            {
                identity.sequence = sequence_options;
            }
            continue;
        }
        if options.excludes(&schema, &name) {
            continue;
        }
        realm.schema_mut(&schema).sequences.insert(
            name.clone(),
            Sequence {
                name,
                options: sequence_options,
                owned_by: owner,
                comment: get(&row, "comment", kind)?,
                privileges: convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?),
            },
        );
    }

    let kind = "functions";
    // With only pg_catalog on the path, pg_get_functiondef qualifies the realm's own
    // types (`public.mood`), which the offline reading of the definition, seeing no
    // `CREATE TYPE`, would otherwise take for a foreign type name.
    set_search_path(conn, "pg_catalog").await?;
    let function_rows = fetch(conn, kind, queries::functions(), &schemas).await?;
    set_search_path(conn, "public").await?;
    for row in function_rows {
        let schema: String = get(&row, "schema", kind)?;
        let name: String = get(&row, "name", kind)?;
        if options.excludes(&schema, &name) {
            continue;
        }
        let definition: String = get(&row, "definition", kind)?;
        let Some((key, mut function)) = function_from_definition(&schema, &definition) else {
            tracing::warn!(function = %name, "the function's definition did not read back");
            continue;
        };
        function.comment = get(&row, "comment", kind)?;
        function.privileges = convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?);
        realm.schema_mut(&schema).functions.insert(key, function);
    }

    let kind = "triggers";
    for row in fetch(conn, kind, queries::TRIGGERS.to_owned(), &schemas).await? {
        let rel: i64 = get(&row, "rel", kind)?;
        let Some(relation) = relations.get(&rel) else {
            continue;
        };
        let trigger = read_trigger(&row)?;
        let schema = realm.schema_mut(&relation.schema);
        if let Some(view) = schema.views.get_mut(&relation.name) {
            view.triggers.insert(trigger.name.clone(), trigger);
        } else if let Some(table) = schema.tables.get_mut(&relation.name) {
            table.triggers.insert(trigger.name.clone(), trigger);
        }
    }

    let kind = "policies";
    for row in fetch(conn, kind, queries::POLICIES.to_owned(), &schemas).await? {
        let rel: i64 = get(&row, "rel", kind)?;
        let Some(relation) = relations.get(&rel) else {
            continue;
        };
        let name: String = get(&row, "name", kind)?;
        let command = match get::<String>(&row, "command", kind)?.as_str() {
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            _ => PolicyCommand::All,
        };
        let policy = Policy {
            name: name.clone(),
            permissive: get(&row, "permissive", kind)?,
            command,
            roles: get(&row, "roles", kind)?,
            using: get::<Option<String>>(&row, "using_expr", kind)?.map(|e| canonical(&e)),
            with_check: get::<Option<String>>(&row, "check_expr", kind)?.map(|e| canonical(&e)),
            comment: get(&row, "comment", kind)?,
        };
        if let Some(table) = realm
            .schema_mut(&relation.schema)
            .tables
            .get_mut(&relation.name)
        {
            table.policies.insert(name, policy);
        }
    }

    let kind = "collations";
    for row in fetch(conn, kind, queries::collations(), &schemas).await? {
        let schema: String = get(&row, "schema", kind)?;
        let name: String = get(&row, "name", kind)?;
        if options.excludes(&schema, &name) {
            continue;
        }
        let mut collation_options = BTreeMap::new();
        let provider: String = get(&row, "provider", kind)?;
        let lc_collate: Option<String> = get(&row, "lc_collate", kind)?;
        let lc_ctype: Option<String> = get(&row, "lc_ctype", kind)?;
        if provider == "i" {
            collation_options.insert("provider".to_owned(), "icu".to_owned());
            if let Some(locale) = get::<Option<String>>(&row, "icu_locale", kind)? {
                collation_options.insert("locale".to_owned(), locale);
            }
        } else {
            // The offline form names the provider as pg_dump does, libc included.
            collation_options.insert("provider".to_owned(), "libc".to_owned());
            if lc_collate == lc_ctype {
                if let Some(locale) = lc_collate {
                    collation_options.insert("locale".to_owned(), locale);
                }
            } else {
                if let Some(value) = lc_collate {
                    collation_options.insert("lc_collate".to_owned(), value);
                }
                if let Some(value) = lc_ctype {
                    collation_options.insert("lc_ctype".to_owned(), value);
                }
            }
        }
        if !get::<bool>(&row, "deterministic", kind)? {
            collation_options.insert("deterministic".to_owned(), "false".to_owned());
        }
        realm.schema_mut(&schema).collations.insert(
            name.clone(),
            Collation {
                name,
                options: collation_options,
                comment: get(&row, "comment", kind)?,
            },
        );
    }

    let kind = "default privileges";
    for row in fetch(conn, kind, queries::DEFAULT_PRIVILEGES.to_owned(), &schemas).await? {
        let object_kind = match get::<String>(&row, "kind", kind)?.as_str() {
            "r" => "TABLES",
            "S" => "SEQUENCES",
            "f" => "FUNCTIONS",
            "T" => "TYPES",
            "n" => "SCHEMAS",
            _ => continue,
        };
        let for_role: Option<String> = get(&row, "for_role", kind)?;
        let schema: Option<String> = get(&row, "schema", kind)?;
        for privilege in convert::privileges(&get::<Vec<String>>(&row, "acl", kind)?) {
            realm.default_privileges.push(DefaultPrivilege {
                for_role: for_role.clone(),
                schema: schema.clone(),
                object_kind: object_kind.to_owned(),
                privilege,
            });
        }
    }

    let kind = "other objects";
    for row in fetch(conn, kind, queries::other_objects(), &schemas).await? {
        let object_kind: String = get(&row, "kind", kind)?;
        let schema: Option<String> = get(&row, "schema", kind)?;
        let comment: Option<String> = get(&row, "comment", kind)?;
        let Some(statements) = get::<Option<String>>(&row, "statements", kind)? else {
            tracing::warn!(kind = %object_kind, "the catalog describes an object by no statement");
            continue;
        };
        let home = schema.unwrap_or_else(|| Dialect::Postgres.default_schema().to_owned());
        realm = read_statements(realm, &object_kind, &home, &statements, comment)?;
    }

    // The server prints the casts it resolved; the canonical form leaves them out.
    crate::resolved::settle(&mut realm);
    crate::resolved::settle_signatures(&mut realm);
    realm.normalize();
    Ok(realm)
}

async fn set_search_path(conn: &mut PgConnection, path: &str) -> Result<(), InspectError> {
    sqlx::query("SELECT set_config('search_path', $1, true)")
        .bind(path)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| InspectError::Query {
            object: "search_path".to_owned(),
            message: super::server_message(&e),
        })
}

/// `{fillfactor=70}` → `fillfactor: 70`.
fn storage_parameters(options: &[String]) -> BTreeMap<String, String> {
    options
        .iter()
        .filter_map(|o| o.split_once('='))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect()
}

fn quote_collation(name: &str) -> String {
    name.to_owned()
}

/// `RANGE (a, lower(b))` as `pg_get_partkeydef` prints it.
fn partition_by(text: &str) -> Option<PartitionBy> {
    let (strategy, rest) = text.split_once(' ')?;
    let strategy = match strategy {
        "RANGE" => PartitionStrategy::Range,
        "LIST" => PartitionStrategy::List,
        "HASH" => PartitionStrategy::Hash,
        _ => return None,
    };
    let open = rest.find('(')?;
    let inner = convert::parenthesised(rest, open)?;
    Some(PartitionBy {
        strategy,
        keys: convert::split_top_level(inner)
            .iter()
            .map(|k| canonical(k))
            .collect(),
        partitions: Vec::new(),
    })
}

fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// The expression of `CHECK (...)` in a constraint definition.
fn check_expression(definition: &str) -> String {
    match definition.find('(') {
        Some(open) => convert::parenthesised(definition, open)
            .map(canonical)
            .unwrap_or_else(|| definition.to_owned()),
        None => definition.to_owned(),
    }
}

fn read_constraint(
    realm: &mut Realm,
    row: &PgRow,
    relations: &HashMap<i64, Relation>,
    domains: &HashMap<i64, QualifiedName>,
) -> Result<(), InspectError> {
    let kind = "constraints";
    let name: String = get(row, "name", kind)?;
    let contype: String = get(row, "kind", kind)?;
    let definition: String = get(row, "definition", kind)?;
    let comment: Option<String> = get(row, "comment", kind)?;
    let deferrable =
        convert::deferrable(get(row, "deferrable", kind)?, get(row, "deferred", kind)?);
    let type_oid: i64 = get(row, "type_oid", kind)?;
    if type_oid != 0 {
        let Some(domain_name) = domains.get(&type_oid) else {
            return Ok(());
        };
        if let Some(ty) = realm
            .schema_mut(&domain_name.schema)
            .types
            .get_mut(&domain_name.name)
            && let TypeKind::Domain(domain) = &mut ty.kind
            && contype == "c"
        {
            domain.checks.insert(
                name.clone(),
                Check {
                    name,
                    expression: check_expression(&definition),
                    no_inherit: false,
                    not_valid: !get::<bool>(row, "validated", kind)?,
                    not_enforced: false,
                    comment,
                },
            );
        }
        return Ok(());
    }
    let rel: i64 = get(row, "rel", kind)?;
    let Some(relation) = relations.get(&rel) else {
        return Ok(());
    };
    let Some(table) = realm
        .schema_mut(&relation.schema)
        .tables
        .get_mut(&relation.name)
    else {
        return Ok(());
    };
    let columns: Vec<String> = get(row, "columns", kind)?;
    match contype.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name,
                columns,
                include: Vec::new(),
                deferrable,
                comment,
            });
        }
        "u" => {
            table.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns,
                    include: Vec::new(),
                    nulls_not_distinct: false,
                    deferrable,
                    comment,
                },
            );
        }
        "f" => {
            let match_type = match get::<String>(row, "match_type", kind)?.as_str() {
                "f" => MatchType::Full,
                "p" => MatchType::Partial,
                _ => MatchType::Simple,
            };
            table.foreign_keys.insert(
                name.clone(),
                ForeignKey {
                    name,
                    columns,
                    referenced_table: QualifiedName::new(
                        get::<Option<String>>(row, "ref_schema", kind)?.unwrap_or_default(),
                        get::<Option<String>>(row, "ref_table", kind)?.unwrap_or_default(),
                    ),
                    referenced_columns: get(row, "ref_columns", kind)?,
                    on_delete: action(&get::<String>(row, "on_delete", kind)?),
                    on_update: action(&get::<String>(row, "on_update", kind)?),
                    on_delete_columns: get(row, "set_columns", kind)?,
                    match_type,
                    deferrable,
                    not_valid: !get::<bool>(row, "validated", kind)?,
                    comment,
                },
            );
        }
        "c" => {
            table.checks.insert(
                name.clone(),
                Check {
                    name,
                    expression: check_expression(&definition),
                    no_inherit: get(row, "no_inherit", kind)?,
                    not_valid: !get::<bool>(row, "validated", kind)?,
                    not_enforced: false,
                    comment,
                },
            );
        }
        "x" => {
            let operators: Vec<String> = get(row, "operators", kind)?;
            table.exclusions.insert(
                name.clone(),
                Exclusion {
                    name,
                    method: IndexMethod::Gist,
                    elements: operators
                        .into_iter()
                        .map(|operator| ExclusionElement {
                            part: IndexPart::column(String::new()),
                            operator,
                        })
                        .collect(),
                    include: Vec::new(),
                    predicate: None,
                    deferrable,
                    comment,
                },
            );
        }
        _ => {}
    }
    Ok(())
}

fn read_index(row: &PgRow) -> Result<Index, InspectError> {
    let kind = "indexes";
    let name: String = get(row, "name", kind)?;
    let key_count = usize::try_from(get::<i32>(row, "key_count", kind)?).unwrap_or_default();
    let definitions: Vec<String> = get(row, "definitions", kind)?;
    let column_names: Vec<String> = get(row, "column_names", kind)?;
    let flags: Vec<i32> = get(row, "flags", kind)?;
    let opclasses: Vec<String> = get(row, "opclasses", kind)?;
    let collations: Vec<String> = get(row, "collations", kind)?;
    let mut parts = Vec::new();
    let mut include = Vec::new();
    for (i, definition) in definitions.iter().enumerate() {
        let column = column_names.get(i).cloned().unwrap_or_default();
        if i >= key_count {
            include.push(if column.is_empty() {
                definition.clone()
            } else {
                column
            });
            continue;
        }
        let key = if column.is_empty() {
            IndexKey::Expression(canonical(definition))
        } else {
            IndexKey::Column(column)
        };
        let flag = flags.get(i).copied().unwrap_or_default();
        let descending = flag & 1 != 0;
        let nulls_first = flag & 2 != 0;
        let opclass = opclasses.get(i).cloned().unwrap_or_default();
        let collation = collations.get(i).cloned().unwrap_or_default();
        parts.push(IndexPart {
            key,
            descending,
            nulls_first: (nulls_first != descending).then_some(nulls_first),
            operator_class: (!opclass.is_empty()).then(|| OperatorClass::from_name(&opclass)),
            collation: (!collation.is_empty()).then_some(collation),
            prefix_length: None,
        });
    }
    Ok(Index {
        name,
        unique: get(row, "is_unique", kind)?,
        method: IndexMethod::from_name(&get::<String>(row, "method", kind)?),
        parts,
        include,
        predicate: get::<Option<String>>(row, "predicate", kind)?.map(|p| canonical(&p)),
        nulls_not_distinct: get(row, "nulls_not_distinct", kind)?,
        parameters: storage_parameters(&get::<Vec<String>>(row, "parameters", kind)?),
        comment: get(row, "comment", kind)?,
    })
}

/// Unique and primary key constraints take `INCLUDE` and `NULLS NOT DISTINCT` from
/// their index; exclusion constraints take their elements, method and predicate.
fn fill_from_constraint_indexes(
    realm: &mut Realm,
    relations: &HashMap<i64, Relation>,
    indexes: &HashMap<(i64, String), Index>,
) {
    for ((rel, name), index) in indexes {
        let Some(relation) = relations.get(rel) else {
            continue;
        };
        let Some(table) = realm
            .schema_mut(&relation.schema)
            .tables
            .get_mut(&relation.name)
        else {
            continue;
        };
        if let Some(pk) = table.primary_key.as_mut()
            && pk.name == *name
        {
            pk.include.clone_from(&index.include);
        }
        if let Some(unique) = table.uniques.get_mut(name) {
            unique.include.clone_from(&index.include);
            unique.nulls_not_distinct = index.nulls_not_distinct;
        }
        if let Some(exclusion) = table.exclusions.get_mut(name) {
            exclusion.method = index.method.clone();
            exclusion.include.clone_from(&index.include);
            exclusion.predicate.clone_from(&index.predicate);
            for (element, part) in exclusion.elements.iter_mut().zip(&index.parts) {
                element.part = part.clone();
            }
        }
    }
}

fn read_trigger(row: &PgRow) -> Result<Trigger, InspectError> {
    let kind = "triggers";
    let bits: i32 = get(row, "type_bits", kind)?;
    let columns: Vec<String> = get(row, "columns", kind)?;
    let mut events = Vec::new();
    if bits & 4 != 0 {
        events.push(TriggerEvent::Insert);
    }
    if bits & 8 != 0 {
        events.push(TriggerEvent::Delete);
    }
    if bits & 16 != 0 {
        events.push(TriggerEvent::Update { columns });
    }
    if bits & 32 != 0 {
        events.push(TriggerEvent::Truncate);
    }
    let timing = if bits & 64 != 0 {
        TriggerTiming::InsteadOf
    } else if bits & 2 != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let raw_args: Vec<u8> = get(row, "arguments", kind)?;
    let mut arguments: Vec<String> = raw_args
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    // tgargs ends each argument with a NUL, so the split leaves one empty tail.
    arguments.pop();
    let definition: String = get(row, "definition", kind)?;
    let when = definition
        .find(" WHEN (")
        .and_then(|at| convert::parenthesised(&definition, at + 6))
        .map(canonical);
    let from = match (
        get::<Option<String>>(row, "from_schema", kind)?,
        get::<Option<String>>(row, "from_table", kind)?,
    ) {
        (Some(s), Some(t)) => Some(QualifiedName::new(s, t)),
        _ => None,
    };
    Ok(Trigger {
        name: get(row, "name", kind)?,
        timing,
        events,
        for_each_row: bits & 1 != 0,
        when,
        action: TriggerAction::Function {
            function: QualifiedName::new(
                get::<String>(row, "function_schema", kind)?,
                get::<String>(row, "function_name", kind)?,
            ),
            arguments,
        },
        constraint: get(row, "is_constraint", kind)?,
        deferrable: convert::deferrable(get(row, "deferrable", kind)?, get(row, "deferred", kind)?),
        from,
        old_table: get(row, "old_table", kind)?,
        new_table: get(row, "new_table", kind)?,
        enabled: get::<String>(row, "enabled", kind)? != "D",
        comment: get(row, "comment", kind)?,
    })
}

/// Reads a statement the server printed through the offline loader, so that the
/// parts the model keeps as canonical text (a view's query, a function's arguments,
/// return type and attributes) take exactly the offline form.
fn offline_realm(sql: &str, origin: &str) -> Option<Realm> {
    let options = crate::LoadOptions::new(Dialect::Postgres).lenient();
    match crate::load_fragment(sql, origin, &options) {
        Ok(loaded) => Some(loaded.realm),
        Err(e) => {
            tracing::warn!(origin, error = %e, "the server's text did not read back offline");
            None
        }
    }
}

fn view_definition(schema: &str, name: &str, materialized: bool, definition: &str) -> String {
    let body = definition.trim().trim_end_matches(';');
    let word = if materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let sql = format!(
        "CREATE {word} {}.{} AS {body};",
        quote_ident(schema),
        quote_ident(name)
    );
    offline_realm(&sql, "pg_get_viewdef")
        .and_then(|realm| {
            realm
                .schemas
                .get(schema)
                .and_then(|s| s.views.get(name))
                .map(|v| v.definition.clone())
        })
        .unwrap_or_else(|| body.to_owned())
}

fn function_from_definition(schema: &str, definition: &str) -> Option<(String, Function)> {
    let realm = offline_realm(&format!("{definition};"), "pg_get_functiondef")?;
    let functions = &realm.schemas.get(schema)?.functions;
    let (key, function) = functions.iter().next()?;
    Some((key.clone(), function.clone()))
}

/// The keys an object of that kind is filed under in its schema: aggregates are
/// routines, the other kinds opaque objects.
fn object_keys(realm: &Realm, schema: &str, kind: &str) -> BTreeSet<String> {
    realm
        .schemas
        .get(schema)
        .map(|s| {
            if kind == "aggregate" {
                s.functions.keys().cloned().collect()
            } else {
                s.other_objects.keys().cloned().collect()
            }
        })
        .unwrap_or_default()
}

/// Reads the statements the catalog query wrote for one object with the offline
/// loader, on the realm read so far (its schemas, types and routines resolve the
/// names in them), and gives the object its comment.
fn read_statements(
    realm: Realm,
    kind: &str,
    schema: &str,
    statements: &str,
    comment: Option<String>,
) -> Result<Realm, InspectError> {
    let before = comment
        .as_ref()
        .map(|_| object_keys(&realm, schema, kind))
        .unwrap_or_default();
    let loaded = crate::offline::replay_onto(realm, statements, kind).map_err(|e| {
        InspectError::Unreadable {
            object: kind.to_owned(),
            message: format!("the catalog's description does not read back: {e}"),
        }
    })?;
    for warning in &loaded.warnings {
        if warning.message.starts_with("skipped") {
            tracing::warn!(kind, statement = %warning.location.statement, message = %warning.message,
                "the catalog's description of an object did not read back");
        }
    }
    let mut realm = loaded.realm;
    if let Some(comment) = comment {
        let added: Vec<String> = object_keys(&realm, schema, kind)
            .difference(&before)
            .cloned()
            .collect();
        if let Some(s) = realm.schemas.get_mut(schema) {
            for key in added {
                if kind == "aggregate" {
                    if let Some(f) = s.functions.get_mut(&key) {
                        f.comment = Some(comment.clone());
                    }
                } else if let Some(o) = s.other_objects.get_mut(&key) {
                    o.comment = Some(comment.clone());
                }
            }
        }
    }
    Ok(realm)
}

use schema_model::quote::postgres::quote_ident;
