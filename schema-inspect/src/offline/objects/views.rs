//! Views and materialized views.

use super::{OWNERSHIP, already_exists, canonical_ident, does_not_exist, ignored, literal_text};
use crate::Location;
use crate::offline::{Outcome, Replay, Result, invalid, unsupported};
use schema_model::{CheckOption, Dialect, QualifiedName, View};
use sqlparser::ast::{
    AlterView, AlterViewOperation, CreateTableOptions, CreateView, CreateViewSecurity, Expr,
    ObjectName, ObjectNamePart, Query, SelectItem, SetExpr, SqlOption, TableFactor, Visit, Visitor,
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
        // MySQL: the database `USE` selected is the default schema; its name is noise.
        if replay.dialect == schema_model::Dialect::Mysql
            && name.0.len() == 2
            && let Some(ObjectNamePart::Identifier(first)) = name.0.first()
            && replay.mysql_database.as_deref() == Some(first.value.as_str())
        {
            name.0.remove(0);
        }
        qualify_relation(replay, name, &ctes);
        fold_name(replay, name);
        ControlFlow::<()>::Continue(())
    });
    // Expressions take the same canonical form as everywhere else (parentheses,
    // identifiers, casts); the visit reaches each expression after its children, and
    // normalizing is idempotent.
    let _ = visit_expressions_mut(&mut query, |expr: &mut Expr| {
        if replay.dialect == schema_model::Dialect::Mysql
            && let Expr::CompoundIdentifier(parts) = expr
            && parts.len() == 3
            && parts.first().map(|p| p.value.as_str()) == replay.mysql_database.as_deref()
        {
            parts.remove(0);
        }
        crate::offline::expr::normalize(replay, expr, None);
        ControlFlow::<()>::Continue(())
    });
    if replay.dialect == schema_model::Dialect::Postgres {
        super::view_shape::shape(replay, &mut query);
    }
    unwrap_join_parentheses(&mut query.body);
    if replay.dialect == schema_model::Dialect::Mysql {
        let _ = sqlparser::ast::VisitMut::visit(&mut query, &mut MysqlViewShape { replay });
    }
    query.to_string()
}

/// MySQL stores a view in its own normalized text: every select item named
/// (`c.email AS email`), every column qualified, joins nested in parentheses, aliases
/// back-quoted. Both the text people write and the server's go through this to one
/// form: an alias that repeats the column's own name is dropped, the qualifier of a
/// column is dropped when the `FROM` holds a single table, left-nested joins are
/// flattened, and aliases are quoted only where they must be. MariaDB also resolves a
/// select-list alias that makes up a whole `ORDER BY` or `GROUP BY` item into the
/// aliased expression (see [`resolve_aliases`]).
struct MysqlViewShape<'a> {
    replay: &'a Replay,
}

impl sqlparser::ast::VisitorMut for MysqlViewShape<'_> {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        resolve_aliases(self.replay, query);
        let single = mysql_shape_set_expr(&mut query.body);
        if let Some(order_by) = &mut query.order_by
            && let sqlparser::ast::OrderByKind::Expressions(exprs) = &mut order_by.kind
        {
            drop_asc(exprs);
            // The ORDER BY of a single-table query loses its qualifiers like the rest.
            if let Some(qualifier) = single {
                for item in exprs {
                    unqualify(&mut item.expr, &qualifier);
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Function(function) = expr {
            if let Some(sqlparser::ast::WindowType::WindowSpec(spec)) = &mut function.over {
                drop_asc(&mut spec.order_by);
            }
            if let sqlparser::ast::FunctionArguments::List(list) = &mut function.args {
                for clause in &mut list.clauses {
                    if let sqlparser::ast::FunctionArgumentClause::OrderBy(exprs) = clause {
                        drop_asc(exprs);
                    }
                }
                // GROUP_CONCAT's default separator, which MariaDB prints.
                list.clauses.retain(|clause| {
                    !matches!(clause, sqlparser::ast::FunctionArgumentClause::Separator(sep)
                        if matches!(&sep.value, sqlparser::ast::Value::SingleQuotedString(s) if s == ","))
                });
            }
        }
        // A charset introducer (`_utf8 'x'`) is not kept in MariaDB's view text.
        if let Expr::Prefixed { prefix, value } = expr
            && prefix.value.starts_with('_')
        {
            *expr = value.as_ref().clone();
        }
        ControlFlow::Continue(())
    }
}

/// Drops the qualifier `qualifier` from every column reference in an expression.
fn unqualify<T: sqlparser::ast::VisitMut>(node: &mut T, qualifier: &str) {
    let _ = visit_expressions_mut(node, |expr: &mut Expr| {
        if let Expr::CompoundIdentifier(parts) = expr
            && let [first, column] = parts.as_slice()
            && first.value == qualifier
        {
            *expr = Expr::Identifier(column.clone());
        }
        ControlFlow::<()>::Continue(())
    });
}

/// MariaDB 10.11 stores a view's `ORDER BY` and `GROUP BY` items that are a bare
/// select-list alias as the aliased expression (`SELECT sum(x) AS total ... ORDER BY
/// total` is stored `ORDER BY sum(x)`), checked on the server:
///
/// - only whole items of a plain `SELECT`: an alias inside an expression
///   (`ORDER BY total + 1`), in `HAVING`, or after a `UNION` stays as written;
/// - in `ORDER BY` the alias wins over a column of the same name; in `GROUP BY` the
///   column wins, so an alias that is also a column of a table in `FROM` stays;
/// - aliases match case-insensitively, as MariaDB's do.
///
/// The server's own text qualifies every column (`t.total`), so reading it back through
/// this rule changes nothing.
fn resolve_aliases(replay: &Replay, query: &mut Query) {
    use sqlparser::ast::{GroupByExpr, OrderByKind, SelectItem};
    let SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    let aliases: Vec<(String, Expr)> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { expr, alias } => {
                Some((alias.value.to_lowercase(), expr.clone()))
            }
            _ => None,
        })
        .collect();
    if aliases.is_empty() {
        return;
    }
    let aliased = |expr: &Expr| -> Option<Expr> {
        let Expr::Identifier(ident) = expr else {
            return None;
        };
        let name = ident.value.to_lowercase();
        aliases
            .iter()
            .find(|(alias, _)| *alias == name)
            .map(|(_, e)| e.clone())
    };
    if let Some(order_by) = &mut query.order_by
        && let OrderByKind::Expressions(items) = &mut order_by.kind
    {
        for item in items {
            if let Some(expr) = aliased(&item.expr) {
                item.expr = expr;
            }
        }
    }
    if let GroupByExpr::Expressions(items, _) = &mut select.group_by {
        let columns = from_columns(replay, &select.from);
        for item in items {
            if let Expr::Identifier(ident) = item
                && !columns.contains(&ident.value.to_lowercase())
                && let Some(expr) = aliased(item)
            {
                *item = expr;
            }
        }
    }
}

/// The column names (lowercase) of the tables a `FROM` names that the realm knows.
fn from_columns(
    replay: &Replay,
    from: &[sqlparser::ast::TableWithJoins],
) -> std::collections::BTreeSet<String> {
    let mut columns = std::collections::BTreeSet::new();
    for item in from {
        for factor in std::iter::once(&item.relation).chain(item.joins.iter().map(|j| &j.relation))
        {
            let TableFactor::Table { name, .. } = factor else {
                continue;
            };
            let parts = replay.name_parts(name);
            let (schema, table) = match parts.as_slice() {
                [table] => ("", table.as_str()),
                [.., schema, table] => (schema.as_str(), table.as_str()),
                [] => continue,
            };
            let found = replay
                .realm
                .schemas
                .get(schema)
                .and_then(|s| s.tables.get(table));
            if let Some(table) = found {
                columns.extend(table.columns.iter().map(|c| c.name.to_lowercase()));
            }
        }
    }
    columns
}

/// Shapes a query body as MariaDB stores it; returns the qualifier that a single-table
/// `SELECT` drops from its columns, for the caller to drop from `ORDER BY` too.
fn mysql_shape_set_expr(body: &mut SetExpr) -> Option<String> {
    use crate::offline::expr::quoted;
    use schema_model::Dialect;
    use sqlparser::ast::SelectItem;
    match body {
        SetExpr::Select(select) => {
            for item in &mut select.from {
                flatten_nested_join(item);
                for join in &mut item.joins {
                    // `INNER JOIN` is `JOIN`, as MariaDB prints it.
                    if let sqlparser::ast::JoinOperator::Inner(constraint) = &join.join_operator {
                        join.join_operator = sqlparser::ast::JoinOperator::Join(constraint.clone());
                    }
                }
            }
            let mut single = None;
            for item in &mut select.from {
                for factor in std::iter::once(&mut item.relation)
                    .chain(item.joins.iter_mut().map(|j| &mut j.relation))
                {
                    if let TableFactor::Table {
                        name,
                        alias: Some(alias),
                        ..
                    } = factor
                    {
                        alias.explicit = false;
                        alias.name = quoted(Dialect::Mysql, alias.name.value.clone());
                        let _ = name;
                    }
                }
            }
            if let [item] = select.from.as_slice()
                && item.joins.is_empty()
                && let TableFactor::Table { name, alias, .. } = &item.relation
            {
                single = match alias {
                    Some(alias) => Some(alias.name.value.clone()),
                    None => name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(|i| i.value.clone()),
                };
            }
            if let Some(qualifier) = &single {
                unqualify(select.as_mut(), qualifier);
            }
            for item in &mut select.projection {
                if let SelectItem::ExprWithAlias { expr, alias } = item {
                    let implicit = match expr {
                        Expr::Identifier(ident) => Some(&ident.value),
                        Expr::CompoundIdentifier(parts) => parts.last().map(|p| &p.value),
                        _ => None,
                    };
                    if implicit == Some(&alias.value) {
                        *item = SelectItem::UnnamedExpr(expr.clone());
                    } else {
                        *alias = quoted(Dialect::Mysql, alias.value.clone());
                    }
                }
            }
            single
        }
        SetExpr::Query(query) => {
            mysql_shape_set_expr(&mut query.body);
            None
        }
        SetExpr::SetOperation { left, right, .. } => {
            mysql_shape_set_expr(left);
            mysql_shape_set_expr(right);
            None
        }
        _ => None,
    }
}

/// `ORDER BY x ASC` is `ORDER BY x`; MySQL prints no `ASC`.
fn drop_asc(exprs: &mut [sqlparser::ast::OrderByExpr]) {
    for expr in exprs {
        if matches!(expr.options.sort, Some(sqlparser::ast::OrderBySort::Asc)) {
            expr.options.sort = None;
        }
    }
}

/// `(a JOIN b ON x) JOIN c ON y` is `a JOIN b ON x JOIN c ON y`: joins associate to
/// the left, so a parenthesised join on the left side adds nothing.
fn flatten_nested_join(item: &mut sqlparser::ast::TableWithJoins) {
    while let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = &mut item.relation
    {
        let inner = table_with_joins.as_mut().clone();
        let outer = std::mem::take(&mut item.joins);
        item.relation = inner.relation;
        item.joins = inner.joins;
        item.joins.extend(outer);
    }
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
            // Without a column list the name comes from the query: the server renames
            // the output column, which its definition then shows as an alias.
            let definition = view_mut(replay, &name)
                .filter(|view| view.columns.is_empty())
                .map(|view| format!("{};", view.definition));
            let renamed_query = definition
                .and_then(|text| crate::offline::parse(replay.dialect, &text).ok())
                .and_then(|mut statements| match statements.pop() {
                    Some(sqlparser::ast::Statement::Query(query)) => Some(query),
                    _ => None,
                })
                .and_then(|mut query| rename_output_column(&mut query, &old, &new).then_some(query))
                .map(|query| canonical_query(replay, &query));
            if let Some(view) = view_mut(replay, &name) {
                if let Some(column) = view.columns.iter_mut().find(|c| **c == old) {
                    *column = new.clone();
                }
                if let Some(definition) = renamed_query {
                    view.definition = definition;
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

/// Gives the output column `old` of the query's first SELECT (the one that names the
/// columns of a set operation) the alias `new`; false when no item produces `old`.
fn rename_output_column(query: &mut Query, old: &str, new: &str) -> bool {
    let mut body = query.body.as_mut();
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left.as_mut(),
            SetExpr::Query(inner) => body = inner.body.as_mut(),
            _ => return false,
        }
    };
    let alias = if crate::offline::postgres::quote_ident(new) == new {
        sqlparser::ast::Ident::new(new)
    } else {
        sqlparser::ast::Ident::with_quote('"', new)
    };
    for item in &mut select.projection {
        let produces_old = match &*item {
            SelectItem::UnnamedExpr(Expr::Identifier(ident)) => ident.value == old,
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => {
                parts.last().is_some_and(|ident| ident.value == old)
            }
            SelectItem::ExprWithAlias { alias, .. } => alias.value == old,
            _ => false,
        };
        if !produces_old {
            continue;
        }
        *item = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                SelectItem::ExprWithAlias { expr, alias }
            }
            other => other,
        };
        return true;
    }
    false
}

fn view_mut<'a>(replay: &'a mut Replay, name: &QualifiedName) -> Option<&'a mut View> {
    replay
        .realm
        .schemas
        .get_mut(&name.schema)?
        .views
        .get_mut(&name.name)
}

pub(crate) fn move_view(
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
