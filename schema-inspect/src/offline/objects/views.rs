//! Views and materialized views.

use super::{OWNERSHIP, already_exists, canonical_ident, does_not_exist, ignored, literal_text};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid, unsupported};
use schema_model::{CheckOption, Dialect, QualifiedName, View};
use sqlparser::ast::{
    AlterView, AlterViewOperation, CreateTableOptions, CreateView, CreateViewSecurity, Expr,
    ObjectName, ObjectNamePart, Query, SetExpr, SqlOption, TableFactor, Visit, Visitor,
    visit_expressions_mut, visit_relations_mut,
};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// What a view statement says that sqlparser 0.64 cannot parse; the fallback readers
/// strip it from the text and hand it over here.
#[derive(Debug, Default, Clone)]
pub(crate) struct ViewExtras {
    /// `WITH [CASCADED | LOCAL] CHECK OPTION`.
    pub check_option: Option<CheckOption>,
    /// `WITH NO DATA`.
    pub with_no_data: bool,
    /// The query's text, when sqlparser cannot parse the query itself: kept in
    /// canonical spacing instead of its canonical form.
    pub definition: Option<String>,
}

pub(crate) fn create_view(
    replay: &mut Replay,
    create: &CreateView,
    extras: &ViewExtras,
    loc: &Location,
) -> Result<Outcome> {
    if create.temporary {
        return ignored("temporary views live only in the session");
    }
    let name = replay.create_name(&create.name, loc)?;
    let mut options = BTreeMap::new();
    if let CreateTableOptions::With(list) | CreateTableOptions::Options(list) = &create.options {
        options = view_options(replay, list);
    }
    let security = if replay.dialect == Dialect::Mysql {
        // MySQL reports the default, DEFINER, when none is written: fill it in.
        let security = match create.params.as_ref().and_then(|p| p.security.as_ref()) {
            Some(CreateViewSecurity::Invoker) => "INVOKER",
            _ => "DEFINER",
        };
        Some(security.to_owned())
    } else {
        None
    };
    let view = View {
        name: name.name.clone(),
        materialized: create.materialized,
        columns: create
            .columns
            .iter()
            .map(|c| replay.ident(&c.name))
            .collect(),
        definition: match &extras.definition {
            Some(text) => text.clone(),
            None => canonical_query(replay, &create.query),
        },
        check_option: extras.check_option,
        options,
        with_no_data: extras.with_no_data,
        indexes: BTreeMap::new(),
        security,
        triggers: BTreeMap::new(),
        comment: create.comment.clone(),
        column_comments: BTreeMap::new(),
        privileges: Vec::new(),
    };
    let replacing = create.or_replace || create.or_alter;
    let schema = replay.realm.schema_mut(&name.schema);
    if let Some(existing) = schema.views.get_mut(&name.name) {
        if create.if_not_exists {
            return ignored(format!("relation \"{name}\" already exists, skipping"));
        }
        if !replacing || existing.materialized != view.materialized {
            return Err(already_exists(loc, "relation", &name));
        }
        // OR REPLACE keeps what hangs off the view: triggers, grants, comments.
        let kept = View {
            triggers: std::mem::take(&mut existing.triggers),
            privileges: std::mem::take(&mut existing.privileges),
            comment: view.comment.clone().or(existing.comment.take()),
            column_comments: std::mem::take(&mut existing.column_comments),
            indexes: std::mem::take(&mut existing.indexes),
            ..view
        };
        *existing = kept;
        return Ok(Outcome::Applied);
    }
    if super::relation_taken(replay, &name) {
        if create.if_not_exists {
            return ignored(format!("relation \"{name}\" already exists, skipping"));
        }
        return Err(already_exists(loc, "relation", &name));
    }
    let privileges = super::grants::default_privileges(replay, &name.schema, "TABLES");
    replay
        .realm
        .schema_mut(&name.schema)
        .views
        .insert(name.name.clone(), View { privileges, ..view });
    Ok(Outcome::Applied)
}

/// View options: names lowercase, values as written without quotes.
fn view_options(replay: &Replay, options: &[SqlOption]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for option in options {
        match option {
            SqlOption::KeyValue { key, value } => {
                let key = replay.name_parts(key).join(".").to_ascii_lowercase();
                let value = literal_text(value)
                    .unwrap_or_else(|| value.to_string())
                    .to_ascii_lowercase();
                map.insert(key, value);
            }
            SqlOption::Ident(key) => {
                let key = replay.name_parts(key).join(".").to_ascii_lowercase();
                map.insert(key, "true".to_owned());
            }
            _ => {}
        }
    }
    map
}

/// A query in canonical text: sqlparser's Display after folding the identifiers of
/// relations and expressions as the database stores them, so that `SELECT ID FROM T`
/// and `select id from t` read the same in PostgreSQL.
pub(crate) fn canonical_query(replay: &Replay, query: &Query) -> String {
    let mut query = query.clone();
    let mut local = LocalNames {
        replay,
        names: Vec::new(),
    };
    let _ = query.visit(&mut local);
    let ctes = local.names;
    let _ = visit_relations_mut(&mut query, |name: &mut ObjectName| {
        qualify_relation(replay, name, &ctes);
        fold_name(replay, name);
        ControlFlow::<()>::Continue(())
    });
    // Expressions take the same canonical form as everywhere else (parentheses,
    // identifiers, casts); the visit reaches each expression after its children, and
    // normalizing is idempotent.
    let _ = visit_expressions_mut(&mut query, |expr: &mut Expr| {
        crate::offline::expr::normalize(replay, expr, None);
        ControlFlow::<()>::Continue(())
    });
    unwrap_join_parentheses(&mut query.body);
    query.to_string()
}

/// The names in a query that are no relations of the schema: its CTEs (at any depth)
/// and the table functions it calls (`FROM generate_series(1, 3)`).
struct LocalNames<'a> {
    replay: &'a Replay,
    names: Vec<String>,
}

impl Visitor for LocalNames<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.names.push(self.replay.ident(&cte.alias.name));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            name,
            args: Some(_),
            ..
        } = factor
            && let [ObjectNamePart::Identifier(ident)] = name.0.as_slice()
        {
            self.names.push(self.replay.ident(ident));
        }
        ControlFlow::Continue(())
    }
}

/// `FROM (a JOIN b ON ...)` and `FROM a JOIN b ON ...` are the same query; PostgreSQL
/// prints the parentheses, people mostly do not. A parenthesised join without an alias
/// that starts a `FROM` item loses them.
fn unwrap_join_parentheses(body: &mut SetExpr) {
    match body {
        SetExpr::Select(select) => {
            for item in &mut select.from {
                // Joins associate to the left, so a parenthesised join that starts a
                // `FROM` item reads the same without its parentheses:
                // `(a JOIN b ON ...) LEFT JOIN c ON ...`, as `pg_get_viewdef` prints
                // it, is `a JOIN b ON ... LEFT JOIN c ON ...`.
                while let TableFactor::NestedJoin {
                    table_with_joins,
                    alias: None,
                } = &mut item.relation
                {
                    let inner = table_with_joins.as_ref().clone();
                    let outer_joins = std::mem::take(&mut item.joins);
                    *item = inner;
                    item.joins.extend(outer_joins);
                }
            }
        }
        SetExpr::Query(query) => unwrap_join_parentheses(&mut query.body),
        SetExpr::SetOperation { left, right, .. } => {
            unwrap_join_parentheses(left);
            unwrap_join_parentheses(right);
        }
        _ => {}
    }
}

/// Qualifies an unqualified table or view name with the schema the search path finds
/// it in, so that `FROM t` and `FROM public.t` read the same (names of the query's
/// own CTEs and table functions stay as written; names not found take the creation
/// schema).
fn qualify_relation(replay: &Replay, name: &mut ObjectName, ctes: &[String]) {
    if replay.dialect != schema_model::Dialect::Postgres {
        return;
    }
    let [ObjectNamePart::Identifier(ident)] = name.0.as_slice() else {
        return;
    };
    let folded = replay.ident(ident);
    if ctes.contains(&folded) {
        return;
    }
    let found = replay.search_path.iter().find(|schema| {
        replay
            .realm
            .schemas
            .get(schema.as_str())
            .is_some_and(|s| s.tables.contains_key(&folded) || s.views.contains_key(&folded))
    });
    // A name not found yet is qualified with the schema it would be created in:
    // declarative files may create a view before its tables, and the rendering, which
    // orders tables first, must read the same.
    let schema = found.cloned().unwrap_or_else(|| replay.creation_schema());
    if schema.is_empty() {
        return;
    }
    name.0.insert(
        0,
        ObjectNamePart::Identifier(sqlparser::ast::Ident::new(schema)),
    );
}

fn fold_name(replay: &Replay, name: &mut ObjectName) {
    for part in name.0.iter_mut() {
        if let ObjectNamePart::Identifier(ident) = part {
            *ident = canonical_ident(replay, ident);
        }
    }
}

/// The view of that name, resolved through the search path.
fn resolve_view(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
    super::resolve(replay, name, loc, |schema, n| schema.views.contains_key(n))
}

pub(crate) fn alter_view(
    replay: &mut Replay,
    alter: &AlterView,
    loc: &Location,
) -> Result<Outcome> {
    let name = resolve_view(replay, &alter.name, loc)?;
    let exists = replay
        .realm
        .schemas
        .get(&name.schema)
        .is_some_and(|s| s.views.contains_key(&name.name));
    if !exists {
        if alter.if_exists {
            return ignored(format!("view \"{name}\" does not exist, skipping"));
        }
        return Err(does_not_exist(loc, "view", &name));
    }
    match &alter.operation {
        AlterViewOperation::OwnerTo(_) => ignored(OWNERSHIP),
        AlterViewOperation::RenameTo { new_name } => {
            let parts = replay.name_parts(new_name);
            let Some(new) = parts.last().cloned() else {
                return Err(invalid(loc, "empty view name"));
            };
            move_view(
                replay,
                &name,
                QualifiedName::new(name.schema.clone(), new),
                loc,
            )
        }
        AlterViewOperation::SetSchema { schema_name } => {
            let parts = replay.name_parts(schema_name);
            let Some(schema) = parts.last().cloned() else {
                return Err(invalid(loc, "empty schema name"));
            };
            move_view(
                replay,
                &name,
                QualifiedName::new(schema, name.name.clone()),
                loc,
            )
        }
        AlterViewOperation::SetOptions { options } => {
            let options = view_options(replay, options);
            if let Some(view) = view_mut(replay, &name) {
                view.options.extend(options);
            }
            Ok(Outcome::Applied)
        }
        AlterViewOperation::ResetOptions { options } => {
            let keys: Vec<String> = options
                .iter()
                .map(|o| replay.ident(o).to_ascii_lowercase())
                .collect();
            if let Some(view) = view_mut(replay, &name) {
                for key in keys {
                    view.options.remove(&key);
                }
            }
            Ok(Outcome::Applied)
        }
        AlterViewOperation::As {
            columns,
            query,
            with_options,
        } => {
            let definition = canonical_query(replay, query);
            let columns: Vec<String> = columns.iter().map(|c| replay.ident(c)).collect();
            let options = view_options(replay, with_options);
            if let Some(view) = view_mut(replay, &name) {
                view.definition = definition;
                view.columns = columns;
                if !options.is_empty() {
                    view.options = options;
                }
            }
            Ok(Outcome::Applied)
        }
        AlterViewOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = replay.ident(old_column_name);
            let new = replay.ident(new_column_name);
            if let Some(view) = view_mut(replay, &name) {
                if let Some(column) = view.columns.iter_mut().find(|c| **c == old) {
                    *column = new.clone();
                }
                if let Some(comment) = view.column_comments.remove(&old) {
                    view.column_comments.insert(new, comment);
                }
            }
            Ok(Outcome::Applied)
        }
        AlterViewOperation::AlterColumn { .. } => {
            Err(unsupported(loc, "ALTER VIEW ... ALTER COLUMN"))
        }
    }
}

fn view_mut<'a>(replay: &'a mut Replay, name: &QualifiedName) -> Option<&'a mut View> {
    replay
        .realm
        .schemas
        .get_mut(&name.schema)?
        .views
        .get_mut(&name.name)
}

fn move_view(
    replay: &mut Replay,
    from: &QualifiedName,
    to: QualifiedName,
    loc: &Location,
) -> Result<Outcome> {
    let taken = super::relation_taken(replay, &to);
    super::move_object(replay, "view", (from, to), taken, |s| &mut s.views, loc)
}

pub(crate) fn drop_views(
    replay: &mut Replay,
    names: &[ObjectName],
    if_exists: bool,
    materialized: bool,
    loc: &Location,
) -> Result<Outcome> {
    let kind = if materialized {
        "materialized view"
    } else {
        "view"
    };
    let mut skipped = Vec::new();
    for name in names {
        let qn = resolve_view(replay, name, loc)?;
        let Some(schema) = replay.realm.schemas.get_mut(&qn.schema) else {
            if if_exists {
                skipped.push(qn.to_string());
                continue;
            }
            return Err(does_not_exist(loc, kind, &qn));
        };
        match schema.views.get(&qn.name) {
            Some(view) if view.materialized == materialized => {
                schema.views.remove(&qn.name);
            }
            Some(_) => {
                return Err(invalid(loc, format!("\"{qn}\" is not a {kind}")));
            }
            None if if_exists => skipped.push(qn.to_string()),
            None => return Err(does_not_exist(loc, kind, &qn)),
        }
    }
    if skipped.is_empty() {
        Ok(Outcome::Applied)
    } else {
        ignored(format!(
            "{kind} \"{}\" does not exist, skipping",
            skipped.join("\", \"")
        ))
    }
}
