//! View queries beyond a single relation: the types of qualified column references.
//!
//! A view's canonical query qualifies its columns the way `pg_get_viewdef` does
//! (`sessions.duration`, `lt.gid`), so a qualifier that names a table of the realm
//! (or a view whose output column types are evident) gives each reference its type,
//! and the casts the server adds beside such a column settle as they do in a
//! single-relation query: `sessions.duration > 0::double precision` is
//! `sessions.duration > 0`.

use super::{Scope, Settler, cast_label, label_type};
use schema_model::{DataType, QualifiedName, Realm};
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectNamePart, Query, SelectItem,
    SetExpr, TableFactor, Visit, VisitMut, Visitor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

type Columns = HashMap<String, DataType>;

/// Adds the views of the realm whose output column types are evident (plain columns of
/// a known relation, or casts) to `relations`, views over views included.
pub(super) fn add_view_columns(realm: &Realm, relations: &mut HashMap<QualifiedName, Columns>) {
    // Each round can type the views over the views the round before typed.
    for _ in 0..8 {
        let mut added = false;
        for (schema_name, schema) in &realm.schemas {
            for (name, view) in &schema.views {
                let key = QualifiedName::new(schema_name.clone(), name.clone());
                if relations.contains_key(&key) {
                    continue;
                }
                let Some(mut columns) = output_types(&view.definition, relations) else {
                    continue;
                };
                for (i, renamed) in view.columns.iter().enumerate() {
                    if let Some((_, (_, ty))) = columns.iter().find(|(_, (index, _))| *index == i) {
                        let ty = ty.clone();
                        columns.retain(|_, (index, _)| *index != i);
                        columns.insert(renamed.clone(), (i, ty));
                    }
                }
                relations.insert(
                    key,
                    columns.into_iter().map(|(n, (_, ty))| (n, ty)).collect(),
                );
                added = true;
            }
        }
        if !added {
            break;
        }
    }
}

/// The output columns of a view definition whose types are evident, by name, with
/// their position.
fn output_types(
    definition: &str,
    relations: &HashMap<QualifiedName, Columns>,
) -> Option<HashMap<String, (usize, DataType)>> {
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, definition).ok()?;
    let Some(sqlparser::ast::Statement::Query(query)) = statements.pop() else {
        return None;
    };
    let mut body = query.body.as_ref();
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = inner.body.as_ref(),
            _ => return None,
        }
    };
    // The query's own relations: qualifier -> columns; `None` for what is not known.
    let mut rels: Vec<(String, Option<&Columns>)> = Vec::new();
    let mut factors = Vec::new();
    for item in &select.from {
        factors.push(&item.relation);
        factors.extend(item.joins.iter().map(|j| &j.relation));
    }
    while let Some(factor) = factors.pop() {
        match factor {
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => {
                factors.push(&table_with_joins.relation);
                factors.extend(table_with_joins.joins.iter().map(|j| &j.relation));
            }
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let parts: Vec<&str> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().map(|i| i.value.as_str()))
                    .collect();
                let columns = match parts.as_slice() {
                    [schema, table] => relations.get(&QualifiedName::new(*schema, *table)),
                    _ => None,
                };
                let qualifier = match alias {
                    Some(alias) if alias.columns.is_empty() => alias.name.value.clone(),
                    Some(_) => return None,
                    None => (*parts.last()?).to_owned(),
                };
                rels.push((qualifier, columns));
            }
            _ => rels.push((String::new(), None)),
        }
    }
    let mut columns = HashMap::new();
    for (i, item) in select.projection.iter().enumerate() {
        let (expr, name) = match item {
            SelectItem::UnnamedExpr(expr) => match expr {
                Expr::Identifier(ident) => (expr, ident.value.clone()),
                Expr::CompoundIdentifier(parts) => match parts.last() {
                    Some(last) => (expr, last.value.clone()),
                    None => continue,
                },
                _ => continue,
            },
            SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
            // `*` not expanded: the positions of what follows are unknown.
            _ => break,
        };
        if let Some(ty) = expr_type(expr, &rels) {
            columns.insert(name, (i, ty));
        }
    }
    Some(columns)
}

/// The type of a select item, where it is evident: a column of a known relation, a
/// cast, or an aggregate over such a column (typed as PostgreSQL 15 types `sum`, `avg`,
/// `count`, `min` and `max`, checked with `format_type` on a view's columns).
fn expr_type(expr: &Expr, rels: &[(String, Option<&Columns>)]) -> Option<DataType> {
    match expr {
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [q, c] => rels
                .iter()
                .find(|(name, _)| *name == q.value)
                .and_then(|(_, cols)| cols.and_then(|cols| cols.get(&c.value)).cloned()),
            _ => None,
        },
        Expr::Identifier(c) => {
            let mut found = None;
            for (_, cols) in rels {
                let ty = (*cols)?.get(&c.value);
                if ty.is_some() {
                    if found.is_some() {
                        return None;
                    }
                    found = ty.cloned();
                }
            }
            found
        }
        Expr::Cast { .. } => cast_label(expr).map(|label| label_type(&label)),
        Expr::Function(function) => {
            let name = function.name.to_string();
            let FunctionArguments::List(list) = &function.args else {
                return None;
            };
            if name == "count" {
                return Some(DataType::BigInt);
            }
            let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
                return None;
            };
            let numeric = DataType::Numeric {
                precision: None,
                scale: None,
            };
            match (name.as_str(), expr_type(arg, rels)?) {
                ("min" | "max", ty) => Some(ty),
                ("sum", DataType::SmallInt | DataType::Integer) => Some(DataType::BigInt),
                ("sum" | "avg", DataType::BigInt | DataType::Numeric { .. })
                | ("avg", DataType::SmallInt | DataType::Integer) => Some(numeric),
                ("sum", DataType::Real) => Some(DataType::Real),
                ("sum" | "avg", DataType::Double) | ("avg", DataType::Real) => {
                    Some(DataType::Double)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Settles the casts of a view query against the types of its qualified column
/// references, across all its levels. A qualifier that names anything else somewhere
/// in the query (a CTE, a subquery, a function, a relation of other columns) is left
/// out, so that a reference is typed only where its relation cannot be in doubt.
pub(super) fn settle_qualified(
    query: &mut Query,
    relations: &HashMap<QualifiedName, Columns>,
    domains: &HashMap<QualifiedName, DataType>,
) {
    let mut collector = Qualifiers {
        relations,
        known: HashMap::new(),
        doubtful: HashSet::new(),
    };
    let _ = Visit::visit(&*query, &mut collector);
    let mut columns = HashMap::new();
    for (qualifier, table) in collector.known {
        if collector.doubtful.contains(&qualifier) {
            continue;
        }
        if let Some(table_columns) = relations.get(&table) {
            for (column, ty) in table_columns {
                columns.insert(format!("{qualifier}.{column}"), ty.clone());
            }
        }
    }
    if columns.is_empty() {
        return;
    }
    let functions = super::Functions::default();
    let scope = Scope {
        columns,
        domains,
        functions: &functions,
    };
    let mut settler = Settler { scope: &scope };
    let _ = VisitMut::visit(query, &mut settler);
}

/// The qualifiers of a query's relations: those that name one known relation, and
/// those that are in doubt.
struct Qualifiers<'a> {
    relations: &'a HashMap<QualifiedName, Columns>,
    known: HashMap<String, QualifiedName>,
    doubtful: HashSet<String>,
}

impl Visitor for Qualifiers<'_> {
    type Break = ();

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        let alias = match factor {
            TableFactor::Table { alias, .. }
            | TableFactor::Derived { alias, .. }
            | TableFactor::Function { alias, .. }
            | TableFactor::UNNEST { alias, .. }
            | TableFactor::TableFunction { alias, .. }
            | TableFactor::NestedJoin { alias, .. } => alias,
            _ => return ControlFlow::Continue(()),
        };
        let table = match factor {
            TableFactor::Table {
                name, args: None, ..
            } => match name.0.as_slice() {
                [ObjectNamePart::Identifier(s), ObjectNamePart::Identifier(t)] => {
                    Some(QualifiedName::new(s.value.clone(), t.value.clone()))
                }
                _ => None,
            },
            _ => None,
        };
        let qualifier = match (alias, factor) {
            (Some(alias), _) if alias.columns.is_empty() => Some(alias.name.value.clone()),
            (Some(alias), _) => {
                self.doubtful.insert(alias.name.value.clone());
                None
            }
            (None, TableFactor::Table { name, .. }) => name
                .0
                .last()
                .and_then(ObjectNamePart::as_ident)
                .map(|i| i.value.clone()),
            _ => None,
        };
        let Some(qualifier) = qualifier else {
            return ControlFlow::Continue(());
        };
        match table.filter(|t| self.relations.contains_key(t)) {
            Some(table) => {
                if self
                    .known
                    .get(&qualifier)
                    .is_some_and(|other| *other != table)
                {
                    self.doubtful.insert(qualifier.clone());
                }
                self.known.insert(qualifier, table);
            }
            None => {
                self.doubtful.insert(qualifier);
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(definition: &str) -> String {
        let mut relations = HashMap::new();
        relations.insert(
            QualifiedName::new("public", "sessions"),
            HashMap::from([
                ("user_id".to_owned(), DataType::Integer),
                ("duration".to_owned(), DataType::Double),
            ]),
        );
        let Ok(mut statements) = Parser::parse_sql(&PostgreSqlDialect {}, definition) else {
            panic!("does not parse: {definition}");
        };
        let Some(sqlparser::ast::Statement::Query(mut query)) = statements.pop() else {
            panic!("not a query: {definition}");
        };
        settle_qualified(&mut query, &relations, &HashMap::new());
        query.to_string()
    }

    #[test]
    fn casts_beside_qualified_columns_settle_at_every_level() {
        assert_eq!(
            settled(
                "WITH a AS (SELECT sessions.user_id FROM public.sessions WHERE sessions.duration > 0::DOUBLE PRECISION) SELECT a.user_id FROM a"
            ),
            "WITH a AS (SELECT sessions.user_id FROM public.sessions WHERE sessions.duration > 0) SELECT a.user_id FROM a"
        );
    }

    #[test]
    fn a_qualifier_that_also_names_a_subquery_is_left_alone() {
        let text = "SELECT s.x FROM public.sessions s WHERE s.duration > 0::DOUBLE PRECISION AND EXISTS (SELECT 1 FROM (SELECT 1 AS duration) s)";
        assert_eq!(settled(text), text);
    }
}
