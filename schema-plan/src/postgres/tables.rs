//! Tables, their constraints, foreign keys, indexes, row level security and policies.

use super::{
    Cx, collation, collation_key, data_type, deferrable, group, label, paren, qualified,
    qualified_name, quote_ident, role, sequence_options, type_refs,
};
use crate::Statement;
use crate::order::Kind;
use crate::refs::key;
use crate::select::ObjKind;
use schema_model::{
    Check, Column, Exclusion, ForeignKey, Index, IndexKey, IndexPart, MatchType, PartitionStrategy,
    Policy, PolicyCommand, PrimaryKey, Realm, Schema, Table, UniqueConstraint,
};
use std::collections::{BTreeMap, BTreeSet};

/// The parent of a partition, when the realm holds it: what the partition inherits from
/// it is left out of the partition's own statements, since `PARTITION OF` and the
/// parent's later statements create it.
fn partition_parent<'a>(realm: &'a Realm, table: &Table) -> Option<&'a Table> {
    realm.table(&table.partition_of.as_ref()?.parent)
}

/// `CREATE TABLE` with columns and the inline constraints (primary key, uniques,
/// checks, exclusions), then an `ALTER TABLE ... ADD CONSTRAINT ... NOT VALID` for each
/// check that is not validated. Foreign keys, indexes and triggers are separate
/// ([`add_foreign_key`], [`create_index`], [`super::create_trigger`]).
pub fn create_table(realm: &Realm, schema: &str, table: &Table) -> Vec<Statement> {
    let name = qualified(schema, &table.name);
    let object = label("table", schema, &table.name);
    let parent = partition_parent(realm, table);
    let mut items: Vec<String> = Vec::new();

    match (&table.partition_of, parent) {
        (Some(_), Some(parent)) => {
            for column in &table.columns {
                if let Some(options) = partition_column_options(column, parent.column(&column.name))
                {
                    items.push(options);
                }
            }
        }
        _ => items.extend(table.columns.iter().map(|c| column_definition(realm, c))),
    }

    if let Some(pk) = &table.primary_key
        && parent.is_none_or(|p| p.primary_key.is_none())
    {
        items.push(primary_key(pk));
    }
    for unique in table.uniques.values() {
        let inherited =
            parent.is_some_and(|p| p.uniques.values().any(|u| u.columns == unique.columns));
        if !inherited {
            items.push(unique_constraint(unique));
        }
    }
    for check in table.checks.values().filter(|c| !c.not_valid) {
        let inherited = parent.is_some_and(|p| p.checks.get(&check.name) == Some(check));
        if !inherited {
            items.push(check_constraint(check));
        }
    }
    for exclusion in table.exclusions.values() {
        let inherited = parent.is_some_and(|p| {
            p.exclusions
                .values()
                .any(|e| e.elements == exclusion.elements && e.method == exclusion.method)
        });
        if !inherited {
            items.push(exclusion_constraint(realm, exclusion));
        }
    }

    let mut sql = String::from("CREATE ");
    if table.options.unlogged {
        sql.push_str("UNLOGGED ");
    }
    sql.push_str("TABLE ");
    sql.push_str(&name);
    if let Some(of) = &table.partition_of {
        sql.push_str(" PARTITION OF ");
        sql.push_str(&qualified_name(&of.parent));
    }
    if !items.is_empty() {
        sql.push_str(" (\n    ");
        sql.push_str(&items.join(",\n    "));
        sql.push_str("\n)");
    } else if table.partition_of.is_none() {
        sql.push_str(" ()");
    }
    if let Some(of) = &table.partition_of {
        sql.push(' ');
        sql.push_str(of.bound.trim());
    }
    if !table.inherits.is_empty() {
        let parents: Vec<String> = table.inherits.iter().map(qualified_name).collect();
        sql.push_str(&format!(" INHERITS ({})", parents.join(", ")));
    }
    if let Some(by) = &table.partition_by {
        let strategy = match by.strategy {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash | PartitionStrategy::Key => "HASH",
        };
        let keys: Vec<String> = by
            .keys
            .iter()
            .map(|k| {
                if table.column(k).is_some() {
                    quote_ident(k)
                } else {
                    group(k)
                }
            })
            .collect();
        sql.push_str(&format!(" PARTITION BY {strategy} ({})", keys.join(", ")));
    }
    if let Some(method) = &table.options.access_method {
        sql.push_str(" USING ");
        sql.push_str(&quote_ident(method));
    }
    if !table.options.storage_parameters.is_empty() {
        sql.push_str(&format!(
            " WITH ({})",
            parameters(&table.options.storage_parameters)
        ));
    }

    let mut out = vec![Statement::new(sql, object.clone()).undo(format!("DROP TABLE {name}"))];
    for check in table.checks.values().filter(|c| c.not_valid) {
        out.push(Statement::new(
            format!(
                "ALTER TABLE {name} ADD {} NOT VALID",
                check_constraint(check)
            ),
            object.clone(),
        ));
    }
    out
}

/// `name type [COLLATE] [GENERATED ...] [DEFAULT] [NOT NULL]`.
pub(super) fn column_definition(realm: &Realm, column: &Column) -> String {
    let mut sql = format!(
        "{} {}",
        quote_ident(&column.name),
        data_type(&column.data_type)
    );
    if let Some(c) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&collation(realm, c));
    }
    if let Some(generated) = &column.generated {
        let storage = if generated.stored {
            "STORED"
        } else {
            "VIRTUAL"
        };
        sql.push_str(&format!(
            " GENERATED ALWAYS AS {} {storage}",
            paren(&generated.expression)
        ));
    }
    if let Some(identity) = &column.identity {
        let kind = if identity.always {
            "ALWAYS"
        } else {
            "BY DEFAULT"
        };
        sql.push_str(&format!(" GENERATED {kind} AS IDENTITY"));
        let options = sequence_options(&identity.sequence);
        if !options.is_empty() {
            sql.push_str(&format!(" ({})", options.join(" ")));
        }
    }
    if let Some(default) = &column.default {
        sql.push_str(" DEFAULT ");
        sql.push_str(default.trim());
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    sql
}

/// A partition's `col WITH OPTIONS ...` for what differs from the parent's column.
fn partition_column_options(column: &Column, parent: Option<&Column>) -> Option<String> {
    let parent_default = parent.and_then(|p| p.default.as_ref());
    let parent_nullable = parent.is_none_or(|p| p.nullable);
    let mut options = Vec::new();
    if let Some(default) = &column.default
        && Some(default) != parent_default
    {
        options.push(format!("DEFAULT {}", default.trim()));
    }
    if !column.nullable && parent_nullable {
        options.push("NOT NULL".into());
    }
    (!options.is_empty()).then(|| {
        format!(
            "{} WITH OPTIONS {}",
            quote_ident(&column.name),
            options.join(" ")
        )
    })
}

fn constraint_name(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("CONSTRAINT {} ", quote_ident(name))
    }
}

fn columns(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn include(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", columns(names))
    }
}

pub(super) fn primary_key(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}{}",
        constraint_name(&pk.name),
        columns(&pk.columns),
        include(&pk.include),
        deferrable(pk.deferrable)
    )
}

pub(super) fn unique_constraint(unique: &UniqueConstraint) -> String {
    format!(
        "{}UNIQUE{} ({}){}{}",
        constraint_name(&unique.name),
        if unique.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        columns(&unique.columns),
        include(&unique.include),
        deferrable(unique.deferrable)
    )
}

pub(super) fn check_constraint(check: &Check) -> String {
    format!(
        "{}CHECK {}{}",
        constraint_name(&check.name),
        paren(&check.expression),
        if check.no_inherit { " NO INHERIT" } else { "" }
    )
}

pub(super) fn exclusion_constraint(realm: &Realm, exclusion: &Exclusion) -> String {
    let elements: Vec<String> = exclusion
        .elements
        .iter()
        .map(|e| format!("{} WITH {}", index_part(realm, &e.part), e.operator))
        .collect();
    let mut sql = format!(
        "{}EXCLUDE USING {} ({}){}",
        constraint_name(&exclusion.name),
        quote_ident(exclusion.method.name()),
        elements.join(", "),
        include(&exclusion.include)
    );
    if let Some(predicate) = &exclusion.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(&paren(predicate));
    }
    sql.push_str(deferrable(exclusion.deferrable));
    sql
}

/// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...`.
pub fn add_foreign_key(schema: &str, table: &str, fk: &ForeignKey) -> Statement {
    let mut sql = format!(
        "ALTER TABLE {} ADD {}FOREIGN KEY ({}) REFERENCES {} ({})",
        qualified(schema, table),
        constraint_name(&fk.name),
        columns(&fk.columns),
        qualified_name(&fk.referenced_table),
        columns(&fk.referenced_columns)
    );
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => sql.push_str(" MATCH FULL"),
        MatchType::Partial => sql.push_str(" MATCH PARTIAL"),
    }
    if !fk.on_delete.is_no_action() || !fk.on_delete_columns.is_empty() {
        sql.push_str(" ON DELETE ");
        sql.push_str(fk.on_delete.as_sql());
        if !fk.on_delete_columns.is_empty() {
            sql.push_str(&format!(" ({})", columns(&fk.on_delete_columns)));
        }
    }
    if !fk.on_update.is_no_action() {
        sql.push_str(" ON UPDATE ");
        sql.push_str(fk.on_update.as_sql());
    }
    sql.push_str(deferrable(fk.deferrable));
    if fk.not_valid {
        sql.push_str(" NOT VALID");
    }
    Statement::new(sql, fk_label(schema, table, &fk.name)).undo(format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        qualified(schema, table),
        quote_ident(&fk.name)
    ))
}

fn fk_label(schema: &str, table: &str, name: &str) -> String {
    format!(
        "foreign key {name} on {}",
        schema_model::QualifiedName::new(schema, table)
    )
}

/// One index key part: column or `(expression)`, `COLLATE`, operator class, `DESC`,
/// `NULLS FIRST | LAST`.
fn index_part(realm: &Realm, part: &IndexPart) -> String {
    let mut sql = match &part.key {
        IndexKey::Column(name) => quote_ident(name),
        IndexKey::Expression(expression) => group(expression),
    };
    if let Some(c) = &part.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&collation(realm, c));
    }
    if let Some(class) = &part.operator_class {
        sql.push(' ');
        sql.push_str(class.name());
    }
    if part.descending {
        sql.push_str(" DESC");
    }
    match part.nulls_first {
        Some(true) => sql.push_str(" NULLS FIRST"),
        Some(false) => sql.push_str(" NULLS LAST"),
        None => {}
    }
    sql
}

pub(super) fn parameters(parameters: &BTreeMap<String, String>) -> String {
    parameters
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE [UNIQUE] INDEX name ON relation ...`, for a table or a materialized view.
pub fn create_index(realm: &Realm, schema: &str, relation: &str, index: &Index) -> Statement {
    let parts: Vec<String> = index.parts.iter().map(|p| index_part(realm, p)).collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        qualified(schema, relation)
    );
    if !index.method.is_btree() {
        sql.push_str(" USING ");
        sql.push_str(&quote_ident(index.method.name()));
    }
    sql.push_str(&format!(" ({})", parts.join(", ")));
    sql.push_str(&include(&index.include));
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.parameters.is_empty() {
        sql.push_str(&format!(" WITH ({})", parameters(&index.parameters)));
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(predicate.trim());
    }
    Statement::new(sql, label("index", schema, &index.name))
        .undo(format!("DROP INDEX {}", qualified(schema, &index.name)))
}

/// `CREATE POLICY`; `FOR ALL`, `AS PERMISSIVE` and `TO PUBLIC` are the defaults and
/// left out.
pub fn create_policy(schema: &str, table: &str, policy: &Policy) -> Statement {
    let mut sql = format!(
        "CREATE POLICY {} ON {}",
        quote_ident(&policy.name),
        qualified(schema, table)
    );
    if !policy.permissive {
        sql.push_str(" AS RESTRICTIVE");
    }
    let command = match policy.command {
        PolicyCommand::All => "",
        PolicyCommand::Select => " FOR SELECT",
        PolicyCommand::Insert => " FOR INSERT",
        PolicyCommand::Update => " FOR UPDATE",
        PolicyCommand::Delete => " FOR DELETE",
    };
    sql.push_str(command);
    let only_public = policy
        .roles
        .iter()
        .all(|r| r.eq_ignore_ascii_case("public"));
    if !only_public {
        let roles: Vec<String> = policy.roles.iter().map(|r| role(r)).collect();
        sql.push_str(&format!(" TO {}", roles.join(", ")));
    }
    if let Some(using) = &policy.using {
        sql.push_str(" USING ");
        sql.push_str(&paren(using));
    }
    if let Some(check) = &policy.with_check {
        sql.push_str(" WITH CHECK ");
        sql.push_str(&paren(check));
    }
    Statement::new(sql, policy_label(schema, table, &policy.name)).undo(format!(
        "DROP POLICY {} ON {}",
        quote_ident(&policy.name),
        qualified(schema, table)
    ))
}

pub(super) fn policy_label(schema: &str, table: &str, name: &str) -> String {
    format!(
        "policy {name} on {}",
        schema_model::QualifiedName::new(schema, table)
    )
}

/// Whether two indexes are the same index but for their names: a partition's copy of
/// its parent's index.
fn same_index(a: &Index, b: &Index) -> bool {
    a.unique == b.unique
        && a.method == b.method
        && a.parts == b.parts
        && a.include == b.include
        && a.predicate == b.predicate
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.parameters == b.parameters
}

pub(super) fn index_key(schema: &str, relation: &str, index: &str) -> String {
    format!("{} {index}", key("index", schema, relation))
}

pub(super) fn trigger_key(schema: &str, relation: &str, trigger: &str) -> String {
    format!("{} {trigger}", key("trigger", schema, relation))
}

/// The dependencies of an index: its relation, and what its expressions, predicate and
/// collations mention.
pub(super) fn index_deps(
    cx: &Cx<'_>,
    schema: &str,
    relation_key: String,
    index: &Index,
) -> BTreeSet<String> {
    let mut deps = BTreeSet::from([relation_key]);
    for part in &index.parts {
        if let IndexKey::Expression(e) = &part.key {
            cx.expression_refs(e, schema, &mut deps);
        }
        if let Some(c) = &part.collation {
            deps.extend(collation_key(cx.realm, c, schema));
        }
    }
    if let Some(p) = &index.predicate {
        cx.expression_refs(p, schema, &mut deps);
    }
    deps
}

/// Adds every table of the schema with its foreign keys, indexes, sequence ownerships,
/// triggers, row level security and policies.
pub(super) fn add_tables(cx: &mut Cx<'_>, schema_name: &str, schema: &Schema) {
    for (object_key, table) in cx.chosen(ObjKind::Table, schema_name, &schema.tables) {
        if cx.enter(ObjKind::Table, schema_name, object_key) {
            add_table(cx, schema_name, table);
        }
    }
    for (object_key, sequence) in &schema.sequences {
        let Some(owner) = &sequence.owned_by else {
            continue;
        };
        if !cx.enter(ObjKind::Sequence, schema_name, object_key) {
            continue;
        }
        let seq_key = key("sequence", schema_name, &sequence.name);
        let object = label("sequence", schema_name, &sequence.name);
        let sql = format!(
            "ALTER SEQUENCE {} OWNED BY {}.{}",
            qualified(schema_name, &sequence.name),
            qualified_name(&owner.table),
            quote_ident(&owner.column)
        );
        cx.graph.own(format!("owned {seq_key}"), seq_key.clone());
        // Dropping the table drops the sequences it owns.
        cx.graph.own(
            seq_key.clone(),
            key("table", &owner.table.schema, &owner.table.name),
        );
        cx.add(
            Kind::SequenceOwner,
            format!("owned {seq_key}"),
            object.clone(),
            schema_name,
            vec![Statement::new(sql, object).undo(format!(
                "ALTER SEQUENCE {} OWNED BY NONE",
                qualified(schema_name, &sequence.name)
            ))],
            [
                seq_key,
                key("table", &owner.table.schema, &owner.table.name),
            ],
        );
    }
}

fn add_table(cx: &mut Cx<'_>, schema_name: &str, table: &Table) {
    let realm = cx.realm;
    let table_key = key("table", schema_name, &table.name);
    let name = schema_model::QualifiedName::new(schema_name, &table.name).to_string();
    let parent = partition_parent(realm, table);

    let mut deps = BTreeSet::new();
    for column in &table.columns {
        type_refs(cx.resolver, &column.data_type, &mut deps);
        if let Some(c) = &column.collation {
            deps.extend(collation_key(realm, c, schema_name));
        }
        for text in [
            &column.default,
            &column.generated.as_ref().map(|g| g.expression.clone()),
        ]
        .into_iter()
        .flatten()
        {
            cx.expression_refs(text, schema_name, &mut deps);
        }
    }
    for check in table.checks.values() {
        cx.expression_refs(&check.expression, schema_name, &mut deps);
    }
    for exclusion in table.exclusions.values() {
        for element in &exclusion.elements {
            if let IndexKey::Expression(e) = &element.part.key {
                cx.expression_refs(e, schema_name, &mut deps);
            }
        }
    }
    if let Some(of) = &table.partition_of {
        deps.insert(key("table", &of.parent.schema, &of.parent.name));
    }
    for parent in &table.inherits {
        deps.insert(key("table", &parent.schema, &parent.name));
    }
    cx.add(
        Kind::Table,
        table_key.clone(),
        name.clone(),
        schema_name,
        create_table(realm, schema_name, table),
        deps,
    );

    for fk in table.foreign_keys.values() {
        if parent.is_some_and(|p| {
            p.foreign_keys.get(&fk.name).is_some_and(|pfk| {
                pfk.columns == fk.columns && pfk.referenced_columns == fk.referenced_columns
            })
        }) {
            continue;
        }
        let target = &fk.referenced_table;
        let mut deps = BTreeSet::from([
            table_key.clone(),
            key("table", &target.schema, &target.name),
        ]);
        // A foreign key may rest on a unique index rather than a constraint; that index
        // must exist first.
        if let Some(referenced) = realm.table(target) {
            for index in referenced.indexes.values().filter(|i| i.unique) {
                let cols: BTreeSet<&IndexKey> = index.parts.iter().map(|p| &p.key).collect();
                let wanted: BTreeSet<IndexKey> = fk
                    .referenced_columns
                    .iter()
                    .map(|c| IndexKey::Column(c.clone()))
                    .collect();
                if cols == wanted.iter().collect() {
                    deps.insert(index_key(&target.schema, &target.name, &index.name));
                }
            }
        }
        cx.graph
            .own(format!("{table_key} fk {}", fk.name), table_key.clone());
        cx.add(
            Kind::ForeignKey,
            format!("{table_key} fk {}", fk.name),
            format!("{name} {}", fk.name),
            schema_name,
            vec![add_foreign_key(schema_name, &table.name, fk)],
            deps,
        );
    }

    for index in table.indexes.values() {
        if parent.is_some_and(|p| p.indexes.values().any(|pi| same_index(pi, index))) {
            continue;
        }
        let deps = index_deps(cx, schema_name, table_key.clone(), index);
        cx.graph.own(
            index_key(schema_name, &table.name, &index.name),
            table_key.clone(),
        );
        cx.add(
            Kind::Index,
            index_key(schema_name, &table.name, &index.name),
            format!("{schema_name}.{}", index.name),
            schema_name,
            vec![create_index(realm, schema_name, &table.name, index)],
            deps,
        );
    }

    for trigger in table.triggers.values() {
        if parent.is_some_and(|p| p.triggers.contains_key(&trigger.name)) {
            continue;
        }
        super::objects::add_trigger(cx, schema_name, &table.name, table_key.clone(), trigger);
    }

    let mut security = Vec::new();
    let quoted = qualified(schema_name, &table.name);
    if table.row_security {
        security.push(
            Statement::new(
                format!("ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY"),
                label("table", schema_name, &table.name),
            )
            .undo(format!("ALTER TABLE {quoted} DISABLE ROW LEVEL SECURITY")),
        );
    }
    if table.force_row_security {
        security.push(
            Statement::new(
                format!("ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY"),
                label("table", schema_name, &table.name),
            )
            .undo(format!("ALTER TABLE {quoted} NO FORCE ROW LEVEL SECURITY")),
        );
    }
    cx.graph
        .own(format!("security {table_key}"), table_key.clone());
    cx.add(
        Kind::RowSecurity,
        format!("security {table_key}"),
        name.clone(),
        schema_name,
        security,
        [table_key.clone()],
    );

    for policy in table.policies.values() {
        let mut deps = BTreeSet::from([table_key.clone()]);
        for text in [&policy.using, &policy.with_check].into_iter().flatten() {
            // Policies may read other tables and views in subqueries.
            deps.extend(cx.resolver.references(text, schema_name));
        }
        cx.graph.own(
            format!("policy {table_key} {}", policy.name),
            table_key.clone(),
        );
        cx.add(
            Kind::Policy,
            format!("policy {table_key} {}", policy.name),
            format!("{name} {}", policy.name),
            schema_name,
            vec![create_policy(schema_name, &table.name, policy)],
            deps,
        );
    }
}
