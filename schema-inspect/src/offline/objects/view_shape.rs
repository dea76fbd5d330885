//! PostgreSQL: a view's query in the shape `pg_get_viewdef` prints it.
//!
//! The server stores a view as a parsed query tree and prints it back from that tree,
//! so what it prints carries what parsing resolved, checked against PostgreSQL 15:
//!
//! - `*` and `t.*` in a select list are the columns the relations had at creation
//!   time, each qualified (`SELECT * FROM t JOIN u USING (id)` is `SELECT t.id,
//!   t.name, u.x ...`: the merged `USING` columns first, from the left input of an
//!   inner or left join and the right input of a right join);
//! - every column reference is qualified with the name of its relation, and a
//!   relation whose name an enclosing query level or an earlier item of its own level
//!   already uses is renamed `name_1`, `name_2`, ... (`FROM t WHERE id IN (SELECT id
//!   FROM t)` is `... IN (SELECT t_1.id FROM t t_1)`); a CTE body counts as nested in
//!   the level that has the `WITH`;
//! - a bare `GROUP BY` name that is no input column but an output alias is the
//!   aliased expression, and a bare `ORDER BY` name that is an output column is that
//!   column's expression;
//! - every select item has a name: written, or the one `FigureColname` picks
//!   (`count(*) AS count`, `1 AS "?column?"`); the name is printed unless it is the
//!   column's own, or `?column?` where names do not matter (a sublink, the right side
//!   of a set operation); the right leaves of a view's top-level set operation take
//!   the view's column names;
//! - a string literal that makes up a whole select item is `text` (`'x'::text`); in
//!   a set operation only where every leaf has a string literal in that column;
//! - table aliases are printed without `AS`, joins as `JOIN` / `LEFT JOIN` /
//!   `RIGHT JOIN`, and parentheses around set operation operands only where they
//!   change the meaning or the operator changes.
//!
//! Every rule applies only where the realm knows what it needs (the columns of each
//! relation of a level); elsewhere the query stays as written. The server's own text
//! goes through the same code when the live inspector reads it back: it is already in
//! this shape, so nothing changes there.

use crate::offline::Replay;
use crate::offline::expr::needs_quotes;
use schema_model::Dialect;
use sqlparser::ast::{
    CastKind, DataType, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, ObjectName,
    ObjectNamePart, OrderByKind, Query, Select, SelectItem, SelectItemQualifiedWildcardKind,
    SetExpr, SetQuantifier, TableAlias, TableFactor, TableWithJoins, Value, ValueWithSpan,
    VisitMut, VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

/// PostgreSQL 15's column-name and type-or-function-name keywords: `quote_identifier`
/// quotes them although they are no reserved words (`AS "time"`), checked with
/// `pg_get_keywords()` (categories `C` and `T`).
const NON_RESERVED_QUOTED: &[&str] = &[
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "char",
    "character",
    "coalesce",
    "collation",
    "concurrently",
    "cross",
    "current_schema",
    "dec",
    "decimal",
    "exists",
    "extract",
    "float",
    "freeze",
    "full",
    "greatest",
    "grouping",
    "ilike",
    "inner",
    "inout",
    "int",
    "integer",
    "interval",
    "is",
    "isnull",
    "join",
    "least",
    "left",
    "like",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "notnull",
    "nullif",
    "numeric",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "position",
    "precision",
    "real",
    "right",
    "row",
    "setof",
    "similar",
    "smallint",
    "substring",
    "tablesample",
    "time",
    "timestamp",
    "treat",
    "trim",
    "values",
    "varchar",
    "verbose",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// The name `FigureColname` gives an expression without one.
const NO_NAME: &str = "?column?";

/// Shapes a PostgreSQL view query in place (see the module docs).
pub(crate) fn shape(replay: &Replay, query: &mut Query) {
    let shaper = Shaper { replay };
    shaper.query(query, &[], true, true);
}

/// A relation one query level reads.
#[derive(Debug, Clone)]
struct Rel {
    /// The name the query wrote for it: its alias, or its own name.
    written: String,
    /// The name the server prints: `written`, or made unique.
    name: String,
    /// Its columns in order, when known.
    columns: Option<Vec<String>>,
}

/// What one query level (one `SELECT`) can name.
#[derive(Debug, Clone, Default)]
struct Level {
    rels: Vec<Rel>,
    /// Columns merged by `JOIN ... USING`: the relation name the server qualifies them
    /// with, or none for a `FULL JOIN`, where the merged column has no relation.
    merged: Vec<(String, Option<String>)>,
    /// The CTEs this level defines, with their columns when known.
    ctes: Vec<(String, Option<Vec<String>>)>,
}

struct Shaper<'a> {
    replay: &'a Replay,
}

impl Shaper<'_> {
    /// Shapes a query; returns its output column names when known. `visible`: whether
    /// the column names of its select list matter (not in a sublink); `top`: the view's
    /// own query, whose right set-operation leaves take its column names.
    fn query(
        &self,
        query: &mut Query,
        parents: &[Level],
        visible: bool,
        top: bool,
    ) -> Option<Vec<String>> {
        // A CTE body is printed inside the level that has the `WITH`, so the names of
        // that level's relations are taken for it.
        let mut level = Level::default();
        if let SetExpr::Select(select) = query.body.as_mut() {
            level.rels = self.level_names(&select.from, parents);
        }
        if let Some(with) = &mut query.with {
            for cte in &mut with.cte_tables {
                let name = self.replay.ident(&cte.alias.name);
                // A recursive CTE reads itself: known, with its columns not yet.
                level.ctes.push((name, None));
                let mut scopes = parents.to_vec();
                scopes.push(level.clone());
                let columns = self
                    .query(&mut cte.query, &scopes, true, false)
                    .map(|names| with_aliases(self.replay, names, &cte.alias));
                if let Some(last) = level.ctes.last_mut() {
                    last.1 = columns;
                }
            }
        }
        let ctes = level.ctes;
        let order_by = query.order_by.as_mut();
        match query.body.as_mut() {
            SetExpr::Select(select) => self.select(select, order_by, parents, ctes, visible, None),
            SetExpr::Query(inner) => {
                let mut scopes = parents.to_vec();
                scopes.push(Level {
                    ctes,
                    ..Level::default()
                });
                self.query(inner, &scopes, visible, top)
            }
            SetExpr::SetOperation { .. } => {
                let mut scopes = parents.to_vec();
                scopes.push(Level {
                    ctes,
                    ..Level::default()
                });
                self.set_operation(query.body.as_mut(), &scopes, visible, top)
            }
            _ => None,
        }
    }

    /// A set operation: parentheses as the server prints them, each leaf shaped, and
    /// string literals typed where every leaf has one.
    fn set_operation(
        &self,
        body: &mut SetExpr,
        parents: &[Level],
        visible: bool,
        top: bool,
    ) -> Option<Vec<String>> {
        parenthesize(body);
        let mut leaves = Vec::new();
        collect_leaves(body, &mut leaves);
        let literal_columns = literal_columns(&leaves);
        let mut names: Option<Vec<String>> = None;
        for (i, leaf) in leaves.into_iter().enumerate() {
            let result = if top && i > 0 { names.clone() } else { None };
            let leaf_visible = visible && i == 0;
            let leaf_names = match leaf {
                Leaf::Select(select) => {
                    for (column, item) in select.projection.iter_mut().enumerate() {
                        if literal_columns.get(column).copied().unwrap_or(false) {
                            type_literal(item);
                        }
                        // Below the view's own query, a set operation's columns are
                        // named by its first leaf alone: an alias in a later leaf names
                        // nothing, and the server prints one only where it made one up
                        // (`NULL::integer AS int4` for a cast written out).
                        if !top
                            && i > 0
                            && let SelectItem::ExprWithAlias { expr, .. } = item
                        {
                            *item = SelectItem::UnnamedExpr(expr.clone());
                        }
                    }
                    self.select(
                        select,
                        None,
                        parents,
                        Vec::new(),
                        leaf_visible,
                        result.as_deref(),
                    )
                }
                Leaf::Query(query) => self.query(query, parents, leaf_visible, false),
                Leaf::Other => None,
            };
            if i == 0 {
                names = leaf_names;
            }
        }
        self.type_nulls(body);
        names
    }

    /// A bare `NULL` in a set operation column takes the type the other leaves give that
    /// column (`SELECT t.n ... UNION ALL SELECT NULL` prints `NULL::integer`), when they
    /// all select a table column of one type that has no modifier.
    fn type_nulls(&self, body: &mut SetExpr) {
        let mut leaves = Vec::new();
        collect_leaves(body, &mut leaves);
        let mut selects = Vec::new();
        for leaf in leaves {
            match leaf {
                Leaf::Select(select) => selects.push(select),
                Leaf::Query(_) | Leaf::Other => return,
            }
        }
        let width = selects
            .iter()
            .map(|s| s.projection.len())
            .max()
            .unwrap_or(0);
        for column in 0..width {
            let mut common: Option<DataType> = None;
            let mut nulls = false;
            let mut known = true;
            for select in &selects {
                let Some(SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) =
                    select.projection.get(column)
                else {
                    known = false;
                    break;
                };
                if is_null(expr) {
                    nulls = true;
                    continue;
                }
                match self.column_type(select, expr) {
                    Some(ty) if common.as_ref().is_none_or(|c| *c == ty) => common = Some(ty),
                    _ => {
                        known = false;
                        break;
                    }
                }
            }
            let (true, true, Some(data_type)) = (known, nulls, common) else {
                continue;
            };
            for select in &mut selects {
                if let Some(SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) =
                    select.projection.get_mut(column)
                    && is_null(expr)
                {
                    *expr = Expr::Cast {
                        kind: CastKind::DoubleColon,
                        expr: Box::new(Expr::Value(Value::Null.into())),
                        data_type: data_type.clone(),
                        format: None,
                    };
                }
            }
        }
    }

    /// The type of a qualified column of a table the `SELECT` reads, for the types that
    /// print without a modifier.
    fn column_type(&self, select: &Select, expr: &Expr) -> Option<DataType> {
        let Expr::CompoundIdentifier(parts) = expr else {
            return None;
        };
        let [qualifier, column] = parts.as_slice() else {
            return None;
        };
        let table = select.from.iter().find_map(|item| {
            std::iter::once(&item.relation)
                .chain(item.joins.iter().map(|j| &j.relation))
                .find_map(|factor| match factor {
                    TableFactor::Table {
                        name,
                        alias,
                        args: None,
                        ..
                    } => {
                        let own = name.0.last().and_then(ObjectNamePart::as_ident)?;
                        let named = alias.as_ref().map_or(own, |a| &a.name);
                        (named.value == qualifier.value).then_some(name)
                    }
                    _ => None,
                })
        })?;
        let [
            ObjectNamePart::Identifier(schema),
            ObjectNamePart::Identifier(name),
        ] = table.0.as_slice()
        else {
            return None;
        };
        let table = self
            .replay
            .realm
            .schemas
            .get(&schema.value)?
            .tables
            .get(&name.value)?;
        use schema_model::DataType as Model;
        Some(
            match &table
                .columns
                .iter()
                .find(|c| c.name == column.value)?
                .data_type
            {
                Model::SmallInt => DataType::SmallInt(None),
                Model::Integer => DataType::Integer(None),
                Model::BigInt => DataType::BigInt(None),
                Model::Text => DataType::Text,
                Model::Boolean => DataType::Boolean,
                Model::Date => DataType::Date,
                Model::Real => DataType::Real,
                Model::Double => DataType::DoublePrecision,
                _ => return None,
            },
        )
    }

    /// The relations of a `FROM`, with the names the server gives them; columns not
    /// read yet.
    fn level_names(&self, from: &[TableWithJoins], parents: &[Level]) -> Vec<Rel> {
        let mut written = Vec::new();
        for item in from {
            factor_names(self.replay, &item.relation, &mut written);
            for join in &item.joins {
                factor_names(self.replay, &join.relation, &mut written);
            }
        }
        let mut taken: Vec<String> = parents
            .iter()
            .flat_map(|l| l.rels.iter().map(|r| r.name.clone()))
            .collect();
        written
            .into_iter()
            .map(|written| {
                let name = unique_name(&written, &taken);
                taken.push(name.clone());
                Rel {
                    written,
                    name,
                    columns: None,
                }
            })
            .collect()
    }

    fn select(
        &self,
        select: &mut Select,
        mut order_by: Option<&mut sqlparser::ast::OrderBy>,
        parents: &[Level],
        ctes: Vec<(String, Option<Vec<String>>)>,
        visible: bool,
        result: Option<&[String]>,
    ) -> Option<Vec<String>> {
        for item in &mut select.from {
            unwrap_nested_join(item);
        }
        let mut level = Level {
            rels: self.level_names(&select.from, parents),
            merged: Vec::new(),
            ctes,
        };
        // The columns of each relation, in FROM order; a LATERAL subquery sees those
        // before it.
        let mut index = 0;
        for item in &mut select.from {
            self.read_factor(&mut item.relation, &mut level, &mut index, parents);
            for join in &mut item.joins {
                join.join_operator = plain_join(&join.join_operator);
                self.read_factor(&mut join.relation, &mut level, &mut index, parents);
            }
        }
        level.merged = merged_columns(&select.from, &level);
        expand_stars(self.replay, select, &level);
        let mut scopes = parents.to_vec();
        scopes.push(level);
        let mut qualifier = Qualifier {
            shaper: self,
            scopes: &scopes,
            depth: 0,
            field_access: 0,
        };
        for item in &mut select.projection {
            match item {
                SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                    let _ = expr.visit(&mut qualifier);
                }
                _ => {}
            }
        }
        let level = scopes.last().cloned().unwrap_or_default();
        if let GroupByExpr::Expressions(items, _) = &mut select.group_by {
            for item in items.iter_mut() {
                if let Expr::Identifier(ident) = item
                    && !level_has_column(&level, &ident.value)
                    && let Some(expr) = aliased(&select.projection, &ident.value)
                {
                    *item = expr;
                }
            }
        }
        if let Some(order_by) = order_by.as_deref_mut()
            && let OrderByKind::Expressions(items) = &mut order_by.kind
        {
            for item in items.iter_mut() {
                if let Expr::Identifier(ident) = &item.expr
                    && let Some(expr) = output_expr(&select.projection, &ident.value)
                {
                    item.expr = expr;
                }
            }
        }
        for item in &mut select.from {
            qualify_joins(item, &mut qualifier);
        }
        if let Some(selection) = &mut select.selection {
            let _ = selection.visit(&mut qualifier);
        }
        let _ = select.group_by.visit(&mut qualifier);
        if let Some(having) = &mut select.having {
            let _ = having.visit(&mut qualifier);
        }
        let _ = select.named_window.visit(&mut qualifier);
        if let Some(order_by) = order_by {
            let _ = order_by.visit(&mut qualifier);
        }
        self.name_items(select, visible, result)
    }

    /// Reads the columns of one `FROM` item (a nested join: of each of its items) into
    /// the level, and shapes the queries it holds.
    fn read_factor(
        &self,
        factor: &mut TableFactor,
        level: &mut Level,
        index: &mut usize,
        parents: &[Level],
    ) {
        match factor {
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => {
                self.read_factor(&mut table_with_joins.relation, level, index, parents);
                for join in &mut table_with_joins.joins {
                    join.join_operator = plain_join(&join.join_operator);
                    self.read_factor(&mut join.relation, level, index, parents);
                }
            }
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let columns = self.relation_columns(name, level, parents);
                let columns = match alias {
                    Some(alias) => columns.map(|c| with_aliases(self.replay, c, alias)),
                    None => columns,
                };
                self.set_rel(factor, level, index, columns);
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let mut scopes = parents.to_vec();
                scopes.push(level.clone());
                let columns = self.query(subquery, &scopes, true, false);
                let columns = match alias {
                    Some(alias) => columns.map(|c| with_aliases(self.replay, c, alias)),
                    None => columns,
                };
                self.set_rel(factor, level, index, columns);
            }
            _ => self.set_rel(factor, level, index, None),
        }
    }

    /// Records the columns of the level's next relation, and prints its alias as the
    /// server does: the unique name, without `AS`.
    fn set_rel(
        &self,
        factor: &mut TableFactor,
        level: &mut Level,
        index: &mut usize,
        columns: Option<Vec<String>>,
    ) {
        let Some(rel) = level.rels.get_mut(*index) else {
            return;
        };
        *index += 1;
        rel.columns = columns;
        let renamed = rel.name != rel.written;
        let name = rel.name.clone();
        let alias = match factor {
            TableFactor::Table { alias, .. }
            | TableFactor::Derived { alias, .. }
            | TableFactor::Function { alias, .. }
            | TableFactor::UNNEST { alias, .. }
            | TableFactor::TableFunction { alias, .. } => alias,
            _ => return,
        };
        match alias {
            Some(alias) => {
                alias.explicit = false;
                if renamed {
                    alias.name = pg_ident(name);
                }
            }
            None if renamed => {
                *alias = Some(TableAlias {
                    explicit: false,
                    name: pg_ident(name),
                    columns: Vec::new(),
                    at: None,
                });
            }
            None => {}
        }
    }

    /// The columns of a table, view or CTE the query names.
    fn relation_columns(
        &self,
        name: &ObjectName,
        level: &Level,
        parents: &[Level],
    ) -> Option<Vec<String>> {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(|i| self.replay.ident(i)))
            .collect::<Option<_>>()?;
        if let [single] = parts.as_slice() {
            let cte = std::iter::once(level)
                .chain(parents.iter().rev())
                .find_map(|l| l.ctes.iter().rev().find(|(n, _)| n == single));
            if let Some((_, columns)) = cte {
                return columns.clone();
            }
        }
        let (schema, relation) = match parts.as_slice() {
            [schema, relation] => (schema.as_str(), relation.as_str()),
            _ => return None,
        };
        let schema = self.replay.realm.schemas.get(schema)?;
        if let Some(table) = schema.tables.get(relation) {
            return Some(table.columns.iter().map(|c| c.name.clone()).collect());
        }
        let view = schema.views.get(relation)?;
        let mut names = view_output_names(&view.definition)?;
        for (name, column) in names.iter_mut().zip(&view.columns) {
            name.clone_from(column);
        }
        Some(names)
    }

    /// Names every select item as the server does, types whole string literals, and
    /// returns the output column names.
    fn name_items(
        &self,
        select: &mut Select,
        visible: bool,
        result: Option<&[String]>,
    ) -> Option<Vec<String>> {
        let mut names = Vec::new();
        let mut known = true;
        for (i, item) in select.projection.iter_mut().enumerate() {
            type_literal(item);
            let (expr, written) = match item {
                SelectItem::UnnamedExpr(expr) => (expr.clone(), None),
                SelectItem::ExprWithAlias { expr, alias } => {
                    (expr.clone(), Some(self.replay.ident(alias)))
                }
                _ => {
                    known = false;
                    continue;
                }
            };
            let column = column_name(&expr);
            let own = written
                .or_else(|| column.clone())
                .or_else(|| figure(&expr).map(|(n, _)| n));
            let name = match result.and_then(|r| r.get(i)) {
                Some(name) => Some(name.clone()),
                None => own.clone(),
            };
            let Some(name) = name else {
                known = false;
                continue;
            };
            names.push(own.unwrap_or_else(|| name.clone()));
            let shown = match &column {
                Some(column) => column != &name,
                None => visible || name != NO_NAME,
            };
            *item = if shown {
                SelectItem::ExprWithAlias {
                    expr,
                    alias: pg_ident(name),
                }
            } else {
                SelectItem::UnnamedExpr(expr)
            };
        }
        known.then_some(names)
    }
}

/// Walks the expressions of one query level: qualifies its column references and
/// shapes the subqueries inside them as levels of their own.
struct Qualifier<'s, 'r> {
    shaper: &'s Shaper<'r>,
    scopes: &'s [Level],
    depth: usize,
    /// Inside `a[1]` or `(a).b`: a qualified root would print as `t.a[1]`, which reads
    /// back as a field of `t`, so references there stay as written.
    field_access: usize,
}

impl VisitorMut for Qualifier<'_, '_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if self.depth == 0 {
            self.shaper.query(query, self.scopes, false, false);
        }
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
        self.depth = self.depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if matches!(expr, Expr::CompoundFieldAccess { .. }) {
            self.field_access += 1;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if matches!(expr, Expr::CompoundFieldAccess { .. }) {
            self.field_access = self.field_access.saturating_sub(1);
        }
        if self.depth > 0 || self.field_access > 0 {
            return ControlFlow::Continue(());
        }
        match expr {
            Expr::Identifier(ident) => {
                if let Some(Some(rel)) = resolve_column(self.scopes, &ident.value) {
                    *expr = Expr::CompoundIdentifier(vec![pg_ident(rel), ident.clone()]);
                }
            }
            Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
                if let Some(first) = parts.first_mut() {
                    let renamed = self.scopes.iter().rev().find_map(|l| {
                        l.rels
                            .iter()
                            .find(|r| r.written == first.value)
                            .map(|r| r.name.clone())
                    });
                    if let Some(name) = renamed
                        && name != first.value
                    {
                        *first = pg_ident(name);
                    }
                }
            }
            Expr::Case {
                conditions,
                else_result,
                ..
            } => type_case(conditions, else_result),
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// A `CASE` has the type its results resolve to: with string results every result is
/// `text`. Other results are left as written. The `ELSE NULL` the server adds when
/// there is no `ELSE` (and prints typed, `ELSE NULL::integer`) is left out by the
/// canonical form (`expr`), whatever the results' type, so it is not added here.
fn type_case(conditions: &mut [sqlparser::ast::CaseWhen], else_result: &mut Option<Box<Expr>>) {
    // The canonical form leaves `ELSE NULL` out (see above).
    let null_else = match else_result.as_deref() {
        Some(Expr::Cast { expr, .. }) => is_null(expr),
        Some(other) => is_null(other),
        None => false,
    };
    if null_else {
        *else_result = None;
    }
    let mut results: Vec<Expr> = conditions.iter().map(|c| c.result.clone()).collect();
    if let Some(other) = else_result.as_deref()
        && !is_null(other)
    {
        results.push(other.clone());
    }
    let number = |e: &Expr| match e {
        Expr::Value(ValueWithSpan {
            value: Value::Number(n, _),
            ..
        }) => Some(n.parse::<i32>().is_ok()),
        _ => None,
    };
    if results.iter().all(|e| number(e).is_some()) {
        return;
    }
    if results.iter().all(is_text_literal) {
        for condition in conditions.iter_mut() {
            cast_text(&mut condition.result);
        }
        if let Some(other) = else_result.as_deref_mut() {
            cast_text(other);
        }
    }
}

/// The relation a bare column name belongs to: `Some(Some(name))` to qualify it with,
/// `Some(None)` for a `FULL JOIN`'s merged column (stays bare), `None` when it cannot
/// be told (a relation of the level whose columns are unknown, or two that have it).
fn resolve_column(scopes: &[Level], column: &str) -> Option<Option<String>> {
    for level in scopes.iter().rev() {
        if let Some((_, rel)) = level.merged.iter().find(|(c, _)| c == column) {
            return Some(rel.clone());
        }
        let mut found = None;
        for rel in &level.rels {
            match &rel.columns {
                None => return None,
                Some(columns) if columns.iter().any(|c| c == column) => {
                    if found.is_some() {
                        return None;
                    }
                    found = Some(rel.name.clone());
                }
                Some(_) => {}
            }
        }
        if found.is_some() {
            return Some(found);
        }
    }
    None
}

/// Whether a column of that name is one of the level's input columns (or cannot be
/// ruled out).
fn level_has_column(level: &Level, column: &str) -> bool {
    level.merged.iter().any(|(c, _)| c == column)
        || level.rels.iter().any(|rel| match &rel.columns {
            None => true,
            Some(columns) => columns.iter().any(|c| c == column),
        })
}

/// The expression of the select item aliased `name`.
fn aliased(projection: &[SelectItem], name: &str) -> Option<Expr> {
    projection.iter().find_map(|item| match item {
        SelectItem::ExprWithAlias { expr, alias } if alias.value == name => Some(expr.clone()),
        _ => None,
    })
}

/// The expression of the output column `name`: aliased, or a column of that name.
fn output_expr(projection: &[SelectItem], name: &str) -> Option<Expr> {
    let matches: Vec<&Expr> = projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { expr, alias } if alias.value == name => Some(expr),
            SelectItem::UnnamedExpr(expr) if column_name(expr).as_deref() == Some(name) => {
                Some(expr)
            }
            _ => None,
        })
        .collect();
    match matches.as_slice() {
        [expr] => Some((*expr).clone()),
        _ => None,
    }
}

/// The names the relations of one `FROM` item are known by, in order.
fn factor_names(replay: &Replay, factor: &TableFactor, out: &mut Vec<String>) {
    match factor {
        TableFactor::NestedJoin {
            table_with_joins,
            alias: None,
        } => {
            factor_names(replay, &table_with_joins.relation, out);
            for join in &table_with_joins.joins {
                factor_names(replay, &join.relation, out);
            }
        }
        TableFactor::Table { name, alias, .. } => match alias {
            Some(alias) => out.push(replay.ident(&alias.name)),
            None => out.push(
                name.0
                    .last()
                    .and_then(ObjectNamePart::as_ident)
                    .map(|i| replay.ident(i))
                    .unwrap_or_default(),
            ),
        },
        TableFactor::Derived { alias, .. }
        | TableFactor::Function { alias, .. }
        | TableFactor::UNNEST { alias, .. }
        | TableFactor::TableFunction { alias, .. }
        | TableFactor::NestedJoin { alias, .. } => out.push(
            alias
                .as_ref()
                .map(|a| replay.ident(&a.name))
                .unwrap_or_default(),
        ),
        _ => out.push(String::new()),
    }
}

/// `name`, or `name_N` with the first N that no enclosing level or earlier relation
/// has, as `set_rtable_names` picks it (an empty name is no name).
fn unique_name(name: &str, taken: &[String]) -> String {
    if name.is_empty() || !taken.iter().any(|t| t == name) {
        return name.to_owned();
    }
    (1..)
        .map(|n| format!("{name}_{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// A relation's columns renamed by an alias's column list (`t(a, b)`), which renames a
/// prefix of them.
fn with_aliases(replay: &Replay, mut columns: Vec<String>, alias: &TableAlias) -> Vec<String> {
    for (column, renamed) in columns.iter_mut().zip(&alias.columns) {
        *column = replay.ident(&renamed.name);
    }
    columns
}

/// The output column names of a canonical view definition: what its first leaf's
/// select list names (after shaping, every item is a column or named).
fn view_output_names(definition: &str) -> Option<Vec<String>> {
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, definition).ok()?;
    let Some(sqlparser::ast::Statement::Query(query)) = statements.pop() else {
        return None;
    };
    let mut body = query.body.as_ref();
    loop {
        match body {
            SetExpr::Select(select) => {
                return select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::UnnamedExpr(expr) => {
                            column_name(expr).or_else(|| figure(expr).map(|(n, _)| n))
                        }
                        SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
                        _ => None,
                    })
                    .collect();
            }
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = inner.body.as_ref(),
            _ => return None,
        }
    }
}

/// The column a plain column reference names.
fn column_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(ident) => Some(ident.value.clone()),
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            parts.last().map(|p| p.value.clone())
        }
        _ => None,
    }
}

/// `FigureColname`: the name PostgreSQL gives a select item without one, with its
/// strength (2: a column or function name, 1: a type name or `case`, 0: none). `None`
/// where this does not know the rule, so that no name is made up.
fn figure(expr: &Expr) -> Option<(String, u8)> {
    let name = |s: &str| Some((s.to_owned(), 2));
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => column_name(expr).map(|n| (n, 2)),
        Expr::Nested(inner) => figure(inner),
        Expr::Function(function) => function
            .name
            .0
            .last()
            .and_then(ObjectNamePart::as_ident)
            .map(|i| (i.value.to_lowercase(), 2)),
        Expr::Cast {
            kind: CastKind::DoubleColon | CastKind::Cast,
            expr,
            data_type,
            ..
        } => match figure(expr) {
            Some((n, 2)) => Some((n, 2)),
            _ => type_name(data_type).map(|n| (n.to_owned(), 1)),
        },
        Expr::Case { else_result, .. } => match else_result.as_deref().and_then(figure) {
            Some((n, 2)) => Some((n, 2)),
            _ => Some(("case".to_owned(), 1)),
        },
        Expr::Value(_)
        | Expr::BinaryOp { .. }
        | Expr::UnaryOp { .. }
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNotFalse(_)
        | Expr::IsDistinctFrom(..)
        | Expr::IsNotDistinctFrom(..)
        | Expr::In { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::ILike { .. }
        | Expr::AnyOp { .. }
        | Expr::AllOp { .. } => Some((NO_NAME.to_owned(), 0)),
        Expr::Exists { negated: false, .. } => name("exists"),
        Expr::Exists { negated: true, .. } => Some((NO_NAME.to_owned(), 0)),
        Expr::Subquery(query) => view_output_names(&query.to_string())
            .and_then(|names| names.into_iter().next())
            .map(|n| (n, 2)),
        Expr::Array(_) => name("array"),
        Expr::Extract { .. } => name("extract"),
        Expr::Substring { .. } => name("substring"),
        Expr::Position { .. } => name("position"),
        Expr::Trim { .. } => name("trim"),
        Expr::Overlay { .. } => name("overlay"),
        _ => None,
    }
}

/// `FigureColname`'s name for a cast's type: the last part of the type's name as the
/// grammar reads it (`integer` is `pg_catalog.int4`).
fn type_name(data_type: &DataType) -> Option<&'static str> {
    Some(match data_type {
        DataType::Text => "text",
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => "int4",
        DataType::BigInt(_) | DataType::Int8(_) => "int8",
        DataType::SmallInt(_) | DataType::Int2(_) => "int2",
        DataType::Numeric(_) | DataType::Decimal(_) => "numeric",
        DataType::Boolean | DataType::Bool => "bool",
        DataType::Date => "date",
        DataType::Real | DataType::Float4 => "float4",
        DataType::DoublePrecision | DataType::Float8 => "float8",
        DataType::Varchar(_) | DataType::CharacterVarying(_) => "varchar",
        DataType::JSON => "json",
        DataType::JSONB => "jsonb",
        DataType::Uuid => "uuid",
        _ => return None,
    })
}

/// A string literal that is a whole select item is typed `text` (PostgreSQL 10 and
/// later resolve an output column of unknown type so).
fn type_literal(item: &mut SelectItem) {
    let (SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) = item else {
        return;
    };
    cast_text(expr);
}

fn cast_text(expr: &mut Expr) {
    if is_string_literal(expr) {
        let literal = std::mem::replace(expr, Expr::Value(Value::Null.into()));
        *expr = Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(literal),
            data_type: DataType::Text,
            format: None,
        };
    }
}

fn is_null(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Value(ValueWithSpan {
            value: Value::Null,
            ..
        })
    )
}

fn is_string_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(_) | Value::EscapedStringLiteral(_),
            ..
        })
    )
}

fn is_text_literal(expr: &Expr) -> bool {
    is_string_literal(expr)
        || matches!(expr, Expr::Cast { expr, data_type: DataType::Text, .. } if is_string_literal(expr))
}

/// An identifier as PostgreSQL's `quote_identifier` prints it.
fn pg_ident(value: String) -> Ident {
    if needs_quotes(Dialect::Postgres, &value)
        || NON_RESERVED_QUOTED.binary_search(&value.as_str()).is_ok()
    {
        Ident::with_quote('"', value)
    } else {
        Ident::new(value)
    }
}

/// `INNER JOIN` is `JOIN`, `LEFT OUTER JOIN` is `LEFT JOIN`, as the server prints them.
fn plain_join(operator: &JoinOperator) -> JoinOperator {
    match operator {
        JoinOperator::Inner(c) => JoinOperator::Join(c.clone()),
        JoinOperator::LeftOuter(c) => JoinOperator::Left(c.clone()),
        JoinOperator::RightOuter(c) => JoinOperator::Right(c.clone()),
        other => other.clone(),
    }
}

/// `(a JOIN b ON x) JOIN c ON y` is `a JOIN b ON x JOIN c ON y`: joins associate to
/// the left, so a parenthesised join that starts a `FROM` item adds nothing; the server
/// prints the parentheses, people mostly do not.
fn unwrap_nested_join(item: &mut TableWithJoins) {
    while let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = &mut item.relation
    {
        let inner = table_with_joins.as_ref().clone();
        let outer = std::mem::take(&mut item.joins);
        *item = inner;
        item.joins.extend(outer);
    }
}

/// The columns `JOIN ... USING` merges, each with the relation the server qualifies it
/// with: the left input's for an inner or left join, the right's for a right join.
fn merged_columns(from: &[TableWithJoins], level: &Level) -> Vec<(String, Option<String>)> {
    let mut merged = Vec::new();
    let mut index = 0;
    for item in from {
        let mut left: Vec<usize> = Vec::new();
        count_rels(&item.relation, &mut index, &mut left);
        for join in &item.joins {
            let mut right = Vec::new();
            count_rels(&join.relation, &mut index, &mut right);
            let (constraint, side) = match &join.join_operator {
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::Left(c)
                | JoinOperator::LeftOuter(c) => (c, Some(&left)),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (c, Some(&right)),
                JoinOperator::FullOuter(c) => (c, None),
                _ => {
                    left.extend(right);
                    continue;
                }
            };
            if let JoinConstraint::Using(columns) = constraint {
                for column in columns {
                    let Some(ObjectNamePart::Identifier(ident)) = column.0.last() else {
                        continue;
                    };
                    let owner = side.and_then(|side| {
                        side.iter().find_map(|&i| {
                            let rel = level.rels.get(i)?;
                            rel.columns
                                .as_ref()?
                                .contains(&ident.value)
                                .then(|| rel.name.clone())
                        })
                    });
                    if side.is_none() || owner.is_some() {
                        merged.retain(|(c, _)| *c != ident.value);
                        merged.push((ident.value.clone(), owner));
                    }
                }
            }
            left.extend(right);
        }
    }
    merged
}

/// The level indexes of the relations of one `FROM` item.
fn count_rels(factor: &TableFactor, index: &mut usize, out: &mut Vec<usize>) {
    if let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = factor
    {
        count_rels(&table_with_joins.relation, index, out);
        for join in &table_with_joins.joins {
            count_rels(&join.relation, index, out);
        }
    } else {
        out.push(*index);
        *index += 1;
    }
}

/// Qualifies the `ON` conditions of a `FROM` item's joins.
fn qualify_joins(item: &mut TableWithJoins, qualifier: &mut Qualifier<'_, '_>) {
    if let TableFactor::NestedJoin {
        table_with_joins, ..
    } = &mut item.relation
    {
        qualify_joins(table_with_joins, qualifier);
    }
    for join in &mut item.joins {
        if let TableFactor::NestedJoin {
            table_with_joins, ..
        } = &mut join.relation
        {
            qualify_joins(table_with_joins, qualifier);
        }
        let constraint = match &mut join.join_operator {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c)
            | JoinOperator::CrossJoin(c) => c,
            _ => continue,
        };
        if let JoinConstraint::On(expr) = constraint {
            let _ = expr.visit(qualifier);
        }
    }
}

/// Replaces `*` and `rel.*` in the select list with the columns they stand for, when
/// every relation they cover has known columns.
fn expand_stars(replay: &Replay, select: &mut Select, level: &Level) {
    let mut projection = Vec::with_capacity(select.projection.len());
    for item in std::mem::take(&mut select.projection) {
        let columns = match &item {
            SelectItem::Wildcard(options) if plain_wildcard(options) => {
                star_columns(&select.from, level)
            }
            SelectItem::QualifiedWildcard(
                SelectItemQualifiedWildcardKind::ObjectName(name),
                options,
            ) if plain_wildcard(options) => match name.0.as_slice() {
                [ObjectNamePart::Identifier(ident)] => {
                    let written = replay.ident(ident);
                    level
                        .rels
                        .iter()
                        .find(|r| r.written == written)
                        .and_then(|rel| {
                            let columns = rel.columns.as_ref()?;
                            Some(
                                columns
                                    .iter()
                                    .map(|c| (Some(rel.name.clone()), c.clone()))
                                    .collect(),
                            )
                        })
                }
                _ => None,
            },
            SelectItem::UnnamedExpr(Expr::Function(marker))
                if marker.name.to_string() == COMPOSITE_STAR =>
            {
                let argument = match &marker.args {
                    sqlparser::ast::FunctionArguments::List(list) => match list.args.as_slice() {
                        [
                            sqlparser::ast::FunctionArg::Unnamed(
                                sqlparser::ast::FunctionArgExpr::Expr(argument),
                            ),
                        ] => Some(argument.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                match argument {
                    Some(argument) => {
                        match composite_star(replay, level, &argument) {
                            Some(items) => projection.extend(items),
                            // Written back as it was: `(expr).*`.
                            None => projection.push(SelectItem::QualifiedWildcard(
                                SelectItemQualifiedWildcardKind::Expr(match argument {
                                    nested @ Expr::Nested(_) => nested,
                                    bare => Expr::Nested(Box::new(bare)),
                                }),
                                sqlparser::ast::WildcardAdditionalOptions::default(),
                            )),
                        }
                        continue;
                    }
                    None => None,
                }
            }
            _ => None,
        };
        match columns {
            Some(columns) => projection.extend(columns.into_iter().map(|(rel, column)| {
                SelectItem::UnnamedExpr(match rel {
                    Some(rel) => Expr::CompoundIdentifier(vec![pg_ident(rel), pg_ident(column)]),
                    None => Expr::Identifier(pg_ident(column)),
                })
            })),
            None => projection.push(item),
        }
    }
    select.projection = projection;
}

/// The field name that stands for `*` in `(f(x)).*`, which sqlparser cannot read: the
/// fallback reader writes the star so, and [`composite_star`] expands it.
pub(crate) const COMPOSITE_STAR: &str = "__sextant_composite_star";

/// `(f(t)).*` where `f` is one of the realm's functions returning a table's row type:
/// the server expands it into one field access per column of that table, each named
/// by its column (`(f(t.*)).id AS id, ...`), and prints a relation passed whole as `t.*`.
fn composite_star(replay: &Replay, level: &Level, expr: &Expr) -> Option<Vec<SelectItem>> {
    use sqlparser::ast::{AccessExpr, FunctionArg, FunctionArgExpr, FunctionArguments};
    // The canonical pass before shaping drops the parentheses around the call.
    let inner = match expr {
        Expr::Nested(inner) => inner.as_ref(),
        other => other,
    };
    let Expr::Function(function) = inner else {
        return None;
    };
    let folded: Option<Vec<String>> = function
        .name
        .0
        .iter()
        .map(|part| part.as_ident().map(|ident| replay.ident(ident)))
        .collect();
    let folded = folded?;
    let name = folded.last()?.clone();
    let schema = match folded.as_slice() {
        [schema, _] => schema.clone(),
        [_] => replay
            .search_path
            .iter()
            .find(|schema| {
                replay
                    .realm
                    .schemas
                    .get(*schema)
                    .is_some_and(|s| super::functions::first_overload(s, &name).is_some())
            })?
            .clone(),
        _ => return None,
    };
    let home = replay.realm.schemas.get(&schema)?;
    let key = super::functions::first_overload(home, &name)?;
    let returns = home.functions.get(key)?.returns.clone()?;
    let row = schema_model::QualifiedName::parse(&returns)?;
    let table = replay
        .realm
        .schemas
        .get(&row.schema)?
        .tables
        .get(&row.name)?;
    let mut call = function.clone();
    if let FunctionArguments::List(list) = &mut call.args {
        for arg in &mut list.args {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(ident))) = arg {
                let written = replay.ident(ident);
                let whole_row = level.rels.iter().any(|r| r.written == written)
                    && !level_has_column(level, &written);
                if whole_row {
                    *arg = FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(
                        ObjectName::from(vec![ident.clone()]),
                    ));
                }
            }
        }
    }
    let call = Expr::Nested(Box::new(Expr::Function(call)));
    Some(
        table
            .columns
            .iter()
            .map(|column| SelectItem::ExprWithAlias {
                expr: Expr::CompoundFieldAccess {
                    root: Box::new(call.clone()),
                    access_chain: vec![AccessExpr::Dot(Expr::Identifier(pg_ident(
                        column.name.clone(),
                    )))],
                },
                alias: pg_ident(column.name.clone()),
            })
            .collect(),
    )
}

fn plain_wildcard(options: &sqlparser::ast::WildcardAdditionalOptions) -> bool {
    options.opt_ilike.is_none()
        && options.opt_exclude.is_none()
        && options.opt_except.is_none()
        && options.opt_replace.is_none()
        && options.opt_rename.is_none()
}

/// What `*` stands for over a whole `FROM`: per item, a join's merged `USING` columns
/// first, then the others of its left and right inputs.
fn star_columns(from: &[TableWithJoins], level: &Level) -> Option<Vec<(Option<String>, String)>> {
    let mut index = 0;
    let mut all = Vec::new();
    for item in from {
        all.extend(star_item(item, level, &mut index)?);
    }
    Some(all)
}

fn star_item(
    item: &TableWithJoins,
    level: &Level,
    index: &mut usize,
) -> Option<Vec<(Option<String>, String)>> {
    let mut acc = star_factor(&item.relation, level, index)?;
    for join in &item.joins {
        let right = star_factor(&join.relation, level, index)?;
        let constraint = match &join.join_operator {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c)
            | JoinOperator::CrossJoin(c) => c,
            _ => return None,
        };
        match constraint {
            JoinConstraint::Using(columns) => {
                let names: Vec<String> = columns
                    .iter()
                    .filter_map(|c| c.0.last().and_then(ObjectNamePart::as_ident))
                    .map(|i| i.value.clone())
                    .collect();
                let mut merged = Vec::new();
                for name in &names {
                    let (_, owner) = level.merged.iter().find(|(c, _)| c == name)?;
                    merged.push((owner.clone(), name.clone()));
                }
                merged.extend(acc.into_iter().filter(|(_, c)| !names.contains(c)));
                merged.extend(right.into_iter().filter(|(_, c)| !names.contains(c)));
                acc = merged;
            }
            JoinConstraint::Natural => return None,
            _ => acc.extend(right),
        }
    }
    Some(acc)
}

fn star_factor(
    factor: &TableFactor,
    level: &Level,
    index: &mut usize,
) -> Option<Vec<(Option<String>, String)>> {
    if let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = factor
    {
        return star_item(table_with_joins, level, index);
    }
    let rel = level.rels.get(*index)?;
    *index += 1;
    Some(
        rel.columns
            .as_ref()?
            .iter()
            .map(|c| (Some(rel.name.clone()), c.clone()))
            .collect(),
    )
}

enum Leaf<'a> {
    Select(&'a mut Select),
    Query(&'a mut Query),
    /// `VALUES` and the like: names and types not read.
    Other,
}

/// The leaves of a set operation, left to right.
fn collect_leaves<'a>(body: &'a mut SetExpr, out: &mut Vec<Leaf<'a>>) {
    match body {
        SetExpr::SetOperation { left, right, .. } => {
            collect_leaves(left, out);
            collect_leaves(right, out);
        }
        SetExpr::Select(select) => out.push(Leaf::Select(select)),
        // Parentheses around a set operation only group it: its leaves are leaves
        // of the whole, named by the view's columns like the others.
        SetExpr::Query(query) => {
            if simple(query) && matches!(query.body.as_ref(), SetExpr::SetOperation { .. }) {
                collect_leaves(query.body.as_mut(), out);
            } else {
                out.push(Leaf::Query(query));
            }
        }
        _ => out.push(Leaf::Other),
    }
}

/// The columns in which every leaf of a set operation selects a string literal: those
/// resolve to `text`.
fn literal_columns(leaves: &[Leaf<'_>]) -> Vec<bool> {
    let mut columns: Option<Vec<bool>> = None;
    for leaf in leaves {
        let Leaf::Select(select) = leaf else {
            return Vec::new();
        };
        let this: Vec<bool> = select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                    is_text_literal(expr)
                }
                _ => false,
            })
            .collect();
        columns = Some(match columns {
            None => this,
            Some(previous) => previous.iter().zip(&this).map(|(a, b)| *a && *b).collect(),
        });
    }
    columns.unwrap_or_default()
}

/// Parentheses in a set operation as the server prints them: around a right operand
/// that is itself a set operation, around a left one whose operator differs, and around
/// a leaf only where it has its own `ORDER BY`, `LIMIT` or `WITH`.
fn parenthesize(body: &mut SetExpr) {
    let SetExpr::SetOperation {
        left,
        op,
        set_quantifier,
        right,
    } = body
    else {
        return;
    };
    for (side, is_left) in [(left, true), (right, false)] {
        // Unwrap parentheses that carry nothing of their own.
        while let SetExpr::Query(inner) = side.as_mut()
            && simple(inner)
        {
            let inner_body =
                std::mem::replace(inner.body.as_mut(), SetExpr::Values(empty_values()));
            **side = inner_body;
        }
        parenthesize(side);
        let wrap = match side.as_ref() {
            SetExpr::SetOperation {
                op: inner_op,
                set_quantifier: inner_quantifier,
                ..
            } => !is_left || inner_op != op || !same_quantifier(*inner_quantifier, *set_quantifier),
            _ => false,
        };
        if wrap {
            let inner = std::mem::replace(side.as_mut(), SetExpr::Values(empty_values()));
            **side = SetExpr::Query(Box::new(bare_query(inner)));
        }
    }
}

fn same_quantifier(a: SetQuantifier, b: SetQuantifier) -> bool {
    let plain = |q: SetQuantifier| match q {
        SetQuantifier::Distinct | SetQuantifier::None => SetQuantifier::None,
        other => other,
    };
    plain(a) == plain(b)
}

fn simple(query: &Query) -> bool {
    query.with.is_none()
        && query.order_by.is_none()
        && query.limit_clause.is_none()
        && query.fetch.is_none()
        && query.locks.is_empty()
        && matches!(
            query.body.as_ref(),
            SetExpr::Select(_) | SetExpr::SetOperation { .. } | SetExpr::Query(_)
        )
}

fn empty_values() -> sqlparser::ast::Values {
    sqlparser::ast::Values {
        explicit_row: false,
        value_keyword: false,
        rows: Vec::new(),
    }
}

fn bare_query(body: SetExpr) -> Query {
    Query {
        with: None,
        body: Box::new(body),
        order_by: None,
        limit_clause: None,
        fetch: None,
        locks: Vec::new(),
        for_clause: None,
        settings: None,
        format_clause: None,
        pipe_operators: Vec::new(),
    }
}
