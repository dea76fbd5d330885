//! The planner: the two realms rendered as dependency graphs and compared node by node.
//!
//! Each renderer emits one node per object (a table with its inline constraints, an
//! index, a view, a function, the comments of one object, ...), its statements, the
//! nodes it depends on, and for each creating statement the statement that undoes it.
//! Comparing the source realm's nodes with the target's gives each node a fate: kept,
//! dropped, created, recreated (dropped, then created again), altered in place (tables,
//! sequences, enum types) or patched statement by statement (comments, grants, row
//! level security). A node that depends on something dropped or recreated is recreated
//! with it. The statements then go into one graph: drops ordered by the source's
//! dependencies reversed, creates and alters by the target's, drops before the alter
//! of the table they depend on, and the alter of a table before the drop of what it
//! stops using.

use crate::order::{Graph, Kind, RenderedNode};
use crate::plan::{Plan, PlanError, PlanOptions, PlannedStatement};
use crate::refs::Resolver;
use crate::select::{self, Object, Reach, Selection};
use crate::{Statement, mysql, postgres, sqlite};
use schema_model::{Dialect, QualifiedName, Realm, Table};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What happens to one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    Drop,
    Create,
    Recreate,
    /// Changed in place by statements the dialect writes.
    Alter,
    /// Its statements are independent: undo the removed ones, run the new ones.
    Patch,
}

/// What a dialect writes for a table changed in place.
pub(crate) struct TableAlter {
    pub(crate) statements: Vec<PlannedStatement>,
    /// Whether the change breaks the views, policies and triggers that read the table
    /// (a column dropped or retyped), so that they must be recreated around it.
    pub(crate) breaks_dependents: bool,
    /// Whether the change breaks foreign keys that reference the table (its primary
    /// key or a unique constraint replaced).
    pub(crate) breaks_references: bool,
}

/// A statement that creates or changes something and can be undone.
pub(crate) fn forward(dialect: Dialect, statement: &Statement) -> PlannedStatement {
    PlannedStatement {
        sql: statement.sql.clone(),
        reverse: statement.undo.clone(),
        transactional: dialect != Dialect::Mysql,
        objects: vec![statement.object.clone()],
        destructive: false,
        hazard: None,
    }
}

/// The undoing statement of `statement`, as a step of its own.
fn backward(dialect: Dialect, kind: Kind, statement: &Statement, undo: &str) -> PlannedStatement {
    let hazard = match kind {
        Kind::Table => Some("drops the table and its rows"),
        Kind::Sequence => Some("drops the sequence and its current value"),
        _ => None,
    };
    PlannedStatement {
        sql: undo.to_owned(),
        reverse: hazard.is_none().then(|| statement.sql.clone()),
        transactional: dialect != Dialect::Mysql,
        objects: vec![statement.object.clone()],
        destructive: hazard.is_some(),
        hazard: hazard.map(str::to_owned),
    }
}

/// Renders a whole realm, as the dialects without a selective renderer do.
fn render(realm: &Realm) -> HashMap<String, RenderedNode> {
    match realm.dialect {
        Dialect::Postgres => postgres::render_graph(realm),
        Dialect::Mysql => mysql::render_graph(realm),
        Dialect::Sqlite => sqlite::render_graph(realm),
    }
    .into_rendered(false)
}

fn same_statements(a: &RenderedNode, b: &RenderedNode) -> bool {
    a.statements.len() == b.statements.len()
        && a.statements
            .iter()
            .zip(&b.statements)
            .all(|(x, y)| x.sql == y.sql)
}

/// The table a `table schema.name` node key names.
fn table_of<'a>(realm: &'a Realm, key: &str) -> Option<(QualifiedName, &'a Table)> {
    let name = QualifiedName::parse(key.strip_prefix("table ")?)?;
    let table = realm.table(&name)?;
    Some((name, table))
}

/// The fate of each source node judged on its own (before its dependencies' fates
/// reach it), with the statements of those changed in place. Judged once per node, since
/// a selective plan adds nodes in rounds.
#[derive(Default)]
struct Judged {
    fates: HashMap<String, Fate>,
    alters: HashMap<String, Vec<PlannedStatement>>,
    breaking: HashMap<String, TableAlter>,
}

/// What the planner compares: the two realms, as their rendered nodes, and how each
/// source node fares on its own.
struct Compared<'r> {
    renamed: &'r Realm,
    to: &'r Realm,
    source: HashMap<String, RenderedNode>,
    target: HashMap<String, RenderedNode>,
    judged: Judged,
}

impl Compared<'_> {
    /// Judges the source nodes not judged yet.
    fn judge(&mut self, options: &PlanOptions) -> Result<(), PlanError> {
        let dialect = self.to.dialect;
        let (renamed, to) = (self.renamed, self.to);
        for (key, old) in &self.source {
            if self.judged.fates.contains_key(key) {
                continue;
            }
            let fate = match self.target.get(key) {
                None => Fate::Drop,
                Some(new) if same_statements(old, new) => Fate::Keep,
                Some(new) => match old.kind {
                    Kind::Comment | Kind::Grant | Kind::RowSecurity | Kind::DefaultPrivilege => {
                        Fate::Patch
                    }
                    Kind::Setting => Fate::Keep,
                    Kind::Table => {
                        let (Some((name, old_table)), Some((_, new_table))) =
                            (table_of(renamed, key), table_of(to, key))
                        else {
                            return Err(PlanError::Unsupported {
                                object: key.clone(),
                                reason: "a table node names no table".into(),
                            });
                        };
                        let alter = match dialect {
                            Dialect::Postgres => postgres::alter_table(
                                renamed,
                                to,
                                &name,
                                old_table,
                                new_table,
                                options.online,
                            )?,
                            Dialect::Mysql => {
                                mysql::alter_table(renamed, to, &name, old_table, new_table)?
                            }
                            Dialect::Sqlite => {
                                sqlite::alter_table(renamed, to, &name, old_table, new_table)?
                            }
                        };
                        self.judged.breaking.insert(key.clone(), alter);
                        Fate::Alter
                    }
                    kind => {
                        let in_place = match dialect {
                            Dialect::Postgres => {
                                postgres::alter_in_place(kind, key, old, new, renamed, to)
                            }
                            Dialect::Mysql | Dialect::Sqlite => None,
                        };
                        match in_place {
                            Some(steps) => {
                                self.judged.alters.insert(key.clone(), steps);
                                Fate::Alter
                            }
                            None => Fate::Recreate,
                        }
                    }
                },
            };
            self.judged.fates.insert(key.clone(), fate);
        }
        Ok(())
    }
}

/// Who depends on whom in the source, turned around.
fn dependents(source: &HashMap<String, RenderedNode>) -> HashMap<&str, Vec<&str>> {
    let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, node) in source {
        for dep in &node.deps {
            dependents
                .entry(dep.as_str())
                .or_default()
                .push(key.as_str());
        }
    }
    dependents
}

/// Every node's fate: its own, then what the drops, recreations and breaking table
/// changes of its dependencies make of it.
fn fates<'k>(
    source: &'k HashMap<String, RenderedNode>,
    target: &'k HashMap<String, RenderedNode>,
    judged: &Judged,
    dependents: &HashMap<&'k str, Vec<&'k str>>,
) -> HashMap<&'k str, Fate> {
    let mut fates: HashMap<&str, Fate> = HashMap::with_capacity(source.len());
    for key in source.keys() {
        let fate = judged.fates.get(key).copied().unwrap_or(Fate::Keep);
        fates.insert(key.as_str(), fate);
    }
    for key in target.keys() {
        if !source.contains_key(key) {
            fates.insert(key.as_str(), Fate::Create);
        }
    }
    let mut queue: Vec<&str> = fates
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Drop | Fate::Recreate))
        .map(|(k, _)| *k)
        .collect();
    for (key, alter) in &judged.breaking {
        for dependent in dependents.get(key.as_str()).into_iter().flatten() {
            let Some(node) = source.get(*dependent) else {
                continue;
            };
            let broken = match node.kind {
                Kind::View | Kind::ViewIndex | Kind::Policy | Kind::Trigger => {
                    alter.breaks_dependents
                }
                Kind::ForeignKey => alter.breaks_references,
                _ => false,
            };
            if broken && fates.get(dependent) != Some(&Fate::Drop) {
                fates.insert(dependent, Fate::Recreate);
                queue.push(dependent);
            }
        }
    }
    while let Some(key) = queue.pop() {
        for dependent in dependents.get(key).into_iter().flatten() {
            let Some(node) = source.get(*dependent) else {
                continue;
            };
            let fate = fates.get(dependent).copied().unwrap_or(Fate::Keep);
            if node.kind == Kind::Table || matches!(fate, Fate::Drop | Fate::Recreate) {
                continue;
            }
            let next = if target.contains_key(*dependent) {
                Fate::Recreate
            } else {
                Fate::Drop
            };
            fates.insert(dependent, next);
            queue.push(dependent);
        }
    }
    fates
}

/// Adds the nodes of a render round; realm-level nodes, rendered in every round, are
/// kept from the first.
fn merge(into: &mut HashMap<String, RenderedNode>, nodes: HashMap<String, RenderedNode>) {
    for (key, node) in nodes {
        into.entry(key).or_insert(node);
    }
}

/// The number of objects from which a render round uses a second thread.
const PARALLEL_RENDER: usize = 64;

/// Renders and judges only what the plan can touch (PostgreSQL; see [`crate::select`]):
/// the objects that differ, then, round by round, the objects that may depend on a node
/// that is dropped, recreated or broken, until a round reaches nothing new. The nodes
/// left out would all be kept, and kept nodes give no statements and no edges.
fn compare_selected<'r>(
    renamed: &'r Realm,
    to: &'r Realm,
    options: &PlanOptions,
) -> Result<Compared<'r>, PlanError> {
    let source_resolver = Resolver::new(renamed);
    let target_resolver = Resolver::new(to);
    let mut selection = Selection::default();
    select::changed(renamed, to, &mut selection);
    let mut compared = Compared {
        renamed,
        to,
        source: HashMap::new(),
        target: HashMap::new(),
        judged: Judged::default(),
    };
    let mut seen: HashSet<(String, Reach)> = HashSet::new();
    loop {
        let render_source = || {
            postgres::render_selected(renamed, &source_resolver, Some(&selection))
                .into_rendered(true)
        };
        let render_target = || {
            postgres::render_selected(to, &target_resolver, Some(&selection)).into_rendered(true)
        };
        // The two sides are independent: a round of many objects renders them on two
        // threads, a small one (most plans) on this one.
        let (source_nodes, target_nodes) = if selection.pending().len() >= PARALLEL_RENDER {
            let (target, source) = schema_model::on_two_threads(render_target, render_source);
            (source, target)
        } else {
            (render_source(), render_target())
        };
        merge(&mut compared.source, source_nodes);
        merge(&mut compared.target, target_nodes);
        selection.floor = u32::try_from(selection.len()).unwrap_or(u32::MAX);
        compared.judge(options)?;

        let dependents = dependents(&compared.source);
        let fates = fates(
            &compared.source,
            &compared.target,
            &compared.judged,
            &dependents,
        );
        let mut reached: Vec<(Object<'r>, Reach)> = Vec::new();
        let mut schemas: BTreeSet<String> = BTreeSet::new();
        let mut reach = |key: &str, how: Reach| {
            if !seen.insert((key.to_owned(), how)) {
                return;
            }
            let Some(node) = compared.source.get(key) else {
                return;
            };
            match node.origin.and_then(|o| selection.object(o)) {
                Some(object) => reached.push((*object, how)),
                // Of the realm-level nodes, only schemas have dependents beyond other
                // realm-level nodes (which every round renders): everything in them.
                None => {
                    if let Some(schema) = key.strip_prefix("schema ") {
                        schemas.insert(schema.to_owned());
                    }
                }
            }
        };
        for (key, fate) in &fates {
            if !matches!(fate, Fate::Drop | Fate::Recreate) {
                continue;
            }
            let Some(node) = compared.source.get(*key) else {
                continue;
            };
            // The parts of a table (and a view's indexes and triggers) are depended on
            // only by nodes of the same object, which are rendered with it, except a
            // unique index, on which other tables' foreign keys may rest.
            match node.kind {
                Kind::Index => reach(key, Reach::References),
                Kind::ForeignKey
                | Kind::Trigger
                | Kind::Policy
                | Kind::RowSecurity
                | Kind::ViewIndex
                | Kind::SequenceOwner
                | Kind::Comment
                | Kind::Grant
                    if node.origin.is_some() => {}
                _ => reach(key, Reach::All),
            }
        }
        for (key, alter) in &compared.judged.breaking {
            if alter.breaks_dependents {
                reach(key, Reach::Readers);
            }
            if alter.breaks_references {
                reach(key, Reach::References);
            }
        }
        if reached.is_empty() && schemas.is_empty() {
            break;
        }
        let more = select::dependents(renamed, &selection, &reached, &schemas);
        let mut added = false;
        for object in more {
            added |= selection.insert(object);
        }
        if !added {
            break;
        }
    }
    // Now that no more nodes come, dependencies on nodes left out are dropped, as a
    // whole render drops those on objects outside the realm.
    for map in [&mut compared.source, &mut compared.target] {
        let keys: HashSet<String> = map.keys().cloned().collect();
        for node in map.values_mut() {
            node.deps.retain(|d| keys.contains(d));
        }
    }
    Ok(compared)
}

/// Whether the target still has the column a `column schema.table.name` statement
/// object names, on the table whose comments node `key` is.
fn column_kept(to: &Realm, key: &str, object: &str) -> bool {
    let Some((name, table)) = key
        .strip_prefix("comment ")
        .and_then(|table_key| table_of(to, table_key))
    else {
        return false;
    };
    table
        .columns
        .iter()
        .any(|c| object == format!("column {name}.{}", c.name))
}

pub(crate) fn plan(from: &Realm, to: &Realm, options: &PlanOptions) -> Result<Plan, PlanError> {
    plan_rendering(from, to, options, true)
}

/// [`plan`], rendering the whole realms when `selective` is false: the plan must come
/// out the same either way, which tests and `bench-plan` check.
pub(crate) fn plan_rendering(
    from: &Realm,
    to: &Realm,
    options: &PlanOptions,
    selective: bool,
) -> Result<Plan, PlanError> {
    let dialect = to.dialect;
    let (mut renamed, mut rename_changes) = schema_diff::renamed(from, to, &options.renames)?;
    if let Some(hints) = renamable(dialect, &options.renames, &rename_changes) {
        (renamed, rename_changes) = schema_diff::renamed(from, to, &hints)?;
    }
    let renamed: &Realm = &renamed;
    let mut statements = match dialect {
        Dialect::Postgres => postgres::rename_statements(from, &rename_changes),
        Dialect::Mysql => mysql::rename_statements(from, &rename_changes),
        Dialect::Sqlite => sqlite::rename_statements(from, &rename_changes),
    };
    let compared = if selective && dialect == Dialect::Postgres {
        compare_selected(renamed, to, options)?
    } else {
        let mut compared = Compared {
            renamed,
            to,
            source: render(renamed),
            target: render(to),
            judged: Judged::default(),
        };
        compared.judge(options)?;
        compared
    };
    let Compared {
        source,
        target,
        judged,
        ..
    } = compared;
    let dependents = dependents(&source);
    let mut fates = fates(&source, &target, &judged, &dependents);
    let Judged {
        mut alters,
        mut breaking,
        ..
    } = judged;

    let online = options.online && dialect == Dialect::Postgres;
    // Online, an index that changes on a table that stays is built anew before the old
    // one goes, unless the table's own change takes the old one away.
    if online {
        let broken: BTreeSet<&str> = breaking
            .iter()
            .filter(|(_, a)| a.breaks_dependents)
            .map(|(k, _)| k.as_str())
            .collect();
        for (key, node) in &source {
            if node.kind != Kind::Index || fates.get(key.as_str()) != Some(&Fate::Recreate) {
                continue;
            }
            let Some(owner) = node.owner.as_deref() else {
                continue;
            };
            if broken.contains(owner)
                || matches!(fates.get(owner), Some(Fate::Drop | Fate::Recreate))
            {
                continue;
            }
            let (Some(new), Some((schema, name))) = (target.get(key), index_name(key, owner))
            else {
                continue;
            };
            let (Some(create), Some(old_create)) =
                (new.statements.first(), node.statements.first())
            else {
                continue;
            };
            let Some(undo) = old_create.undo.as_deref() else {
                continue;
            };
            let steps = postgres::online::replace_index(
                &schema,
                &name,
                &forward(dialect, create),
                &backward(dialect, node.kind, old_create, undo),
            );
            alters.insert(key.clone(), steps);
            fates.insert(key.as_str(), Fate::Alter);
        }
    }
    let dropped = |key: &str| matches!(fates.get(key), Some(Fate::Drop | Fate::Recreate));
    // Whether a node's table exists before the plan and stays: online mode takes care
    // not to lock such a table for long.
    let on_kept_table = |node: &RenderedNode| {
        node.owner
            .as_deref()
            .is_some_and(|owner| source.contains_key(owner) && !dropped(owner))
    };
    let mut graph: Graph<PlannedStatement> = Graph::default();
    let drop_key = |key: &str| format!("drop {key}");
    let make_key = |key: &str| format!("make {key}");

    // Drops.
    let mut emitted_drops: BTreeSet<&str> = BTreeSet::new();
    for (key, node) in &source {
        if !dropped(key) {
            continue;
        }
        let cascaded = node.owner.as_deref().is_some_and(|owner| {
            dropped(owner)
                && !(node.kind == Kind::ForeignKey
                    && node.deps.iter().any(|d| d != owner && dropped(d)))
        });
        if cascaded {
            continue;
        }
        let mut steps: Vec<PlannedStatement> = node
            .statements
            .iter()
            .rev()
            .filter_map(|s| {
                s.undo
                    .as_deref()
                    .map(|undo| backward(dialect, node.kind, s, undo))
            })
            .collect();
        if online && node.kind == Kind::Index && on_kept_table(node) {
            steps = steps
                .into_iter()
                .map(postgres::online::drop_concurrently)
                .collect();
        }
        if steps.is_empty() {
            if node.kind != Kind::Setting {
                return Err(PlanError::Unsupported {
                    object: node
                        .statements
                        .first()
                        .map_or_else(|| key.clone(), |s| s.object.clone()),
                    reason: "Sextant cannot drop or replace this kind of object yet".into(),
                });
            }
            continue;
        }
        emitted_drops.insert(key);
        graph.add_in_phase(0, drop_kind(node.kind), drop_key(key), key.clone(), steps);
    }
    // The drop of a node waits for the drops of what depends on it; a node dropped with
    // its owner hands its dependencies to the owner's drop. The same holds for what is
    // depended on: a sequence owned by a table goes with the table, so whatever uses
    // the sequence is dropped before the table.
    let carrier_of = |key: &str| -> Option<String> {
        if emitted_drops.contains(key) {
            return Some(key.to_owned());
        }
        source.get(key)?.owner.clone()
    };
    for (key, node) in &source {
        if !dropped(key) {
            continue;
        }
        let Some(carrier) = carrier_of(key.as_str()) else {
            continue;
        };
        for dep in &node.deps {
            if !dropped(dep) {
                continue;
            }
            if let Some(dep_carrier) = carrier_of(dep.as_str())
                && dep_carrier != carrier
            {
                graph.depend(drop_key(&dep_carrier), drop_key(&carrier));
            }
        }
    }

    // What an extension provides (types, functions, operator classes) is not a node the
    // renderers can point at, so the drop of an extension waits for every other drop
    // but those of schemas: nothing it provided is still used when it goes.
    let extension_drops: Vec<&str> = emitted_drops
        .iter()
        .copied()
        .filter(|key| source.get(*key).is_some_and(|n| n.kind == Kind::Extension))
        .collect();
    for extension in &extension_drops {
        for other in &emitted_drops {
            let kind = source.get(*other).map(|n| n.kind);
            if !matches!(kind, Some(Kind::Extension | Kind::Schema)) {
                graph.depend(drop_key(extension), drop_key(other));
            }
        }
    }

    // Creates, alters and patches, in the target's order.
    for (key, node) in &target {
        let fate = fates.get(key.as_str()).copied().unwrap_or(Fate::Create);
        let steps: Vec<PlannedStatement> = match fate {
            Fate::Keep | Fate::Drop => continue,
            Fate::Create | Fate::Recreate => {
                let mut steps: Vec<PlannedStatement> = node
                    .statements
                    .iter()
                    .map(|s| forward(dialect, s))
                    .collect();
                if dialect == Dialect::Mysql
                    && node.kind == Kind::ForeignKey
                    && on_kept_table(node)
                    && let Some(statement) = mysql_fk_on_existing(renamed, to, key, node)
                {
                    steps = vec![forward(dialect, &statement)];
                }
                if online && on_kept_table(node) {
                    steps = match node.kind {
                        Kind::Index => steps
                            .into_iter()
                            .map(postgres::online::create_concurrently)
                            .collect(),
                        Kind::ForeignKey => {
                            match (
                                node.owner.as_deref().and_then(|o| o.strip_prefix("table ")),
                                fk_name(key),
                            ) {
                                (Some(table), Some(name)) => {
                                    let table_sql = QualifiedName::parse(table)
                                        .map(|q| postgres::qualified(&q.schema, &q.name))
                                        .unwrap_or_default();
                                    steps
                                        .into_iter()
                                        .flat_map(|s| {
                                            postgres::online::add_not_valid(s, &table_sql, name)
                                        })
                                        .collect()
                                }
                                _ => steps,
                            }
                        }
                        _ => steps,
                    };
                }
                steps
            }
            Fate::Alter => match breaking.get_mut(key.as_str()) {
                Some(alter) => std::mem::take(&mut alter.statements),
                None => alters.remove(key.as_str()).unwrap_or_default(),
            },
            Fate::Patch => {
                let old = source
                    .get(key)
                    .map(|n| n.statements.as_slice())
                    .unwrap_or(&[]);
                // A statement replaced by one with the same undo (a comment rewritten)
                // needs no undoing first.
                let kept_column = |s: &&Statement| {
                    !s.object.starts_with("column ") || column_kept(to, key, &s.object)
                };
                let mut steps: Vec<PlannedStatement> = old
                    .iter()
                    .filter(|s| !node.statements.iter().any(|n| n.sql == s.sql))
                    .filter(|s| {
                        s.undo.is_none() || !node.statements.iter().any(|n| n.undo == s.undo)
                    })
                    // A dropped column takes its comment with it.
                    .filter(kept_column)
                    .filter_map(|s| {
                        s.undo
                            .as_deref()
                            .map(|undo| backward(dialect, node.kind, s, undo))
                    })
                    .collect();
                steps.extend(
                    node.statements
                        .iter()
                        .filter(|s| !old.iter().any(|o| o.sql == s.sql))
                        .map(|s| forward(dialect, s)),
                );
                steps
            }
        };
        graph.add_in_phase(1, node.kind, make_key(key), key.clone(), steps);
        if fate == Fate::Recreate {
            graph.depend(make_key(key), drop_key(key));
        }
        for dep in &node.deps {
            graph.depend(make_key(key), make_key(dep));
        }
    }
    // An altered table waits for the drops of what read its old shape, and goes before
    // the drops of what it stops using.
    for (key, node) in &source {
        if fates.get(key.as_str()) != Some(&Fate::Alter) {
            continue;
        }
        for dependent in dependents.get(key.as_str()).into_iter().flatten() {
            graph.depend(make_key(key), drop_key(dependent));
        }
        for dep in &node.deps {
            graph.depend(drop_key(dep), make_key(key));
        }
    }
    // What an altered table's new dependents need is made first anyway (their make
    // nodes depend on the table's), and a dropped node's name is free before a new
    // node takes it: the phases sort drops first where nothing else decides.

    statements.extend(graph.into_statements());
    if online {
        statements = postgres::online::with_timeouts(statements, options);
    }
    Ok(Plan {
        dialect,
        statements,
    })
}

/// The rename hints without the constraint renames the dialect has no statement for,
/// or `None` when there are none: SQLite renames no constraint, MySQL only unique keys
/// (as indexes). Those constraints are dropped and added under their new names
/// instead (SQLite rebuilds the table), which loses no data. The hints were checked
/// by the first pass of the differ, so a hint left out here was a valid one.
fn renamable(
    dialect: Dialect,
    hints: &[schema_diff::Rename],
    changes: &[schema_diff::Change],
) -> Option<Vec<schema_diff::Rename>> {
    use schema_diff::{Change, ConstraintKind, RenameKind, TableChange};
    let unrenamable = |kind: ConstraintKind| match dialect {
        Dialect::Postgres => false,
        Dialect::Mysql => kind != ConstraintKind::Unique,
        Dialect::Sqlite => true,
    };
    // (schema, table, old name, new name) of each constraint rename to leave out.
    let mut left_out: Vec<(&str, &str, &str, &str)> = Vec::new();
    for change in changes {
        let Change::ModifyTable {
            schema,
            name,
            changes,
        } = change
        else {
            continue;
        };
        for item in changes {
            if let TableChange::RenameConstraint { kind, from, to } = item
                && unrenamable(*kind)
            {
                left_out.push((schema, name, from, to));
            }
        }
    }
    if left_out.is_empty() {
        return None;
    }
    let default_schema = dialect.default_schema();
    Some(
        hints
            .iter()
            .filter(|hint| {
                if hint.kind != RenameKind::Constraint {
                    return true;
                }
                let Some(parts) = hint.from_parts() else {
                    return true;
                };
                let [schema, table, old] = parts.as_slice() else {
                    return true;
                };
                let schema = if schema.is_empty() {
                    default_schema
                } else {
                    schema
                };
                !left_out
                    .iter()
                    .any(|&(s, t, f, n)| s == schema && t == table && f == old && n == hint.to)
            })
            .cloned()
            .collect(),
    )
}

/// The schema and name of the index a node key names, given its owner's key:
/// `index schema.table name` for the owner `table schema.table`.
fn index_name(key: &str, owner: &str) -> Option<(String, String)> {
    let relation = owner.split_once(' ')?.1;
    let name = key
        .strip_prefix("index ")?
        .strip_prefix(relation)?
        .strip_prefix(' ')?;
    let schema = QualifiedName::parse(relation)?.schema;
    Some((schema, name.to_owned()))
}

/// MySQL: the statement that adds the foreign key of node `key` to its table, which
/// exists before the plan and stays, with the table as it is before (in `renamed`)
/// and after (in `to`); see [`mysql::add_foreign_key_to_existing`].
fn mysql_fk_on_existing(
    renamed: &Realm,
    to: &Realm,
    key: &str,
    node: &RenderedNode,
) -> Option<Statement> {
    let owner = node.owner.as_deref()?;
    let (_, old) = table_of(renamed, owner)?;
    let (name, new) = table_of(to, owner)?;
    let fk = new.foreign_keys.get(fk_name(key)?)?;
    Some(mysql::add_foreign_key_to_existing(
        &name.schema,
        old,
        new,
        fk,
    ))
}

/// The constraint name of a foreign key node: `table schema.table fk name`.
fn fk_name(key: &str) -> Option<&str> {
    key.rsplit_once(" fk ").map(|(_, name)| name)
}

/// The kind a drop sorts by: the dump order turned around, so that where edges leave a
/// choice, dependents go first.
fn drop_kind(kind: Kind) -> Kind {
    use Kind::*;
    match kind {
        DefaultPrivilege => Setting,
        Grant => Schema,
        Comment => Extension,
        Opaque => Collation,
        Policy => Type,
        RowSecurity => Sequence,
        Trigger => Function,
        ViewIndex => Aggregate,
        View => Table,
        Index => SequenceOwner,
        ForeignKey => ForeignKey,
        SequenceOwner => Index,
        Table => View,
        Aggregate => ViewIndex,
        Function => Trigger,
        Sequence => RowSecurity,
        Type => Policy,
        Collation => Opaque,
        Extension => Comment,
        Schema => Grant,
        Setting => DefaultPrivilege,
    }
}
