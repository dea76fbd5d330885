//! PostgreSQL: the casts the server resolves, in canonical form.
//!
//! The server stores an expression after resolving its types, and prints what it
//! resolved: `price >= 0` comes back as `price >= (0)::numeric`, `status IN ('a')` on
//! a `text` column as `status = ANY (ARRAY['a'::text])`, on a `varchar` column as
//! `(status)::text = ANY ((ARRAY['a'::character varying])::text[])`. SQL people write
//! has none of that. Both loaders run their finished realm through [`settle`], which
//! removes, from the canonical text of every expression that belongs to a table or a
//! domain (checks, index keys and predicates, exclusion predicates, policies,
//! generated columns, defaults), exactly the casts the server would have added by
//! itself. The column types are what make that decidable, so this runs on the whole
//! realm, where the table of each expression is known.
//!
//! A cast is removed only where writing it or leaving it out gives the server the same
//! expression:
//!
//! - `'s'::T` (a string literal) and `n::T` (a number, `T` one of `numeric`, `real`,
//!   `double precision`) as an operand of a binary operator whose other operand is
//!   known to be of type `T`: a column of type `T` (without its length or precision,
//!   which a literal's cast never carries), or an expression cast to `T`. PostgreSQL
//!   gives an untyped literal the type of the other operand, and converts a number to
//!   the numeric type it is compared with; the cast it prints is that. Not for
//!   `character varying`, which has no operators of its own: `v = 'x'::varchar` and
//!   `v = 'x'` are stored differently.
//!   When both operands are such literals, only `text` casts go (two untyped
//!   literals resolve to `text`): `'a'::text || 'b'::text` is `'a' || 'b'`.
//! - `c::T` where `c` is a column of type `T` without a modifier: a no-op the server
//!   does not keep.
//! - the same for the elements of an `ARRAY[...]` (or a `'{...}'::T[]` literal)
//!   right of `= ANY` / `<> ALL` and the other comparisons, against the left operand's
//!   type.
//! - `c::text` where `c` is a `character varying` column (or `VALUE` of such a
//!   domain), and `c::B` where `c` is of a domain over `B`, as an operand of a binary
//!   operator whose other operand is an untyped literal or of type `text` / `B`: the
//!   server coerces the column to reach the operator and prints the coercion; it is
//!   the same expression as `c` written alone. With `= ANY`, the array
//!   `(ARRAY['a'::character varying, ...])::text[]` the server builds for `c IN ('a',
//!   ...)` goes with it, to `ARRAY['a', ...]`.
//! - `'s'::text` as an argument of a function call: an untyped literal argument
//!   resolves to `text` whenever a candidate takes `text` there (it is the preferred
//!   type of the string category), which is the only way the server prints it.
//! - a negative constant, which the server prints quoted with its type
//!   (`'-1'::integer`, `'-1.5'::numeric`), is the signed number: `-1`, `-1.5` (an
//!   `integer` when it fits, then `bigint`, then `numeric`, as the server types it).
//! - the pattern operators (`~`, `~*`, `!~`, `!~*`) take `text` on the right.
//! - a `character varying` column cast to `text` as an argument of a built-in
//!   function (a name none of the realm's functions has), and `NULL::T` as an argument
//!   of the polymorphic array functions (`array_remove(a, NULL)`).
//! - jsonb's key operators take `text` on the right (`j ? 'k'::text`,
//!   `j ->> 'k'::text`, `j -> 'k'::text`): the cast is removed there, and `?|` / `?&`
//!   take `text[]`, as do the path operators `#>`, `#>>` and `#-`.
//!
//! - view queries: in a query over a single relation (one `FROM` item, no joins, no
//!   subqueries, no `WITH`), `rel.col` with `rel` that relation's alias or name is
//!   `col` (`pg_get_viewdef` qualifies every column; in that scope the name alone
//!   can mean nothing else), and the rules above apply with that relation's columns
//!   when it is a table of the realm.
//!
//! - index operator classes: the type's default class under the index method is no
//!   class (the server prints none), and `public.` / `pg_catalog.` go from the name.
//!
//! What is not removed: casts to other types than the one the position decides
//! (`'1 day'::interval` beside `now()`, `'x'::regclass`), casts with a length, casts
//! of expressions, and every cast of a literal that is a whole default (the model keeps
//! defaults as `pg_get_expr` prints them, typed).

use schema_model::{DataType, Dialect, QualifiedName, Realm, TypeKind};
use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value,
    VisitMut, VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::HashMap;
use std::ops::ControlFlow;

mod views;

/// Removes the casts the server resolves from every expression of a PostgreSQL realm
/// (see the module docs). Idempotent; other dialects are left as they are.
pub(crate) fn settle(realm: &mut Realm) {
    if realm.dialect != Dialect::Postgres {
        return;
    }
    let domains = domain_bases(realm);
    let functions = function_returns(realm);
    settle_views(realm, &domains);
    for schema in realm.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            let scope = Scope {
                columns: table
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), c.data_type.clone()))
                    .collect(),
                domains: &domains,
                functions: &functions,
            };
            for column in &mut table.columns {
                if let Some(default) = &mut column.default {
                    settle_text(&scope, default);
                }
                if let Some(generated) = &mut column.generated {
                    settle_text(&scope, &mut generated.expression);
                }
            }
            for check in table.checks.values_mut() {
                settle_text(&scope, &mut check.expression);
            }
            for index in table.indexes.values_mut() {
                settle_index(&scope, &mut index.parts, &mut index.predicate);
                settle_operator_classes(&scope, &index.method, &mut index.parts);
            }
            for exclusion in table.exclusions.values_mut() {
                let mut parts: Vec<_> = exclusion.elements.iter().map(|e| e.part.clone()).collect();
                settle_index(&scope, &mut parts, &mut exclusion.predicate);
                for (element, part) in exclusion.elements.iter_mut().zip(parts) {
                    element.part = part;
                }
            }
            for policy in table.policies.values_mut() {
                for text in [&mut policy.using, &mut policy.with_check]
                    .into_iter()
                    .flatten()
                {
                    settle_text(&scope, text);
                }
            }
        }
        for ty in schema.types.values_mut() {
            if let TypeKind::Domain(domain) = &mut ty.kind {
                let scope = Scope {
                    columns: HashMap::from([("value".to_owned(), domain.base_type.clone())]),
                    domains: &domains,
                    functions: &functions,
                };
                if let Some(default) = &mut domain.default {
                    settle_text(&scope, default);
                }
                for check in domain.checks.values_mut() {
                    settle_text(&scope, &mut check.expression);
                }
            }
        }
    }
}

/// Function signatures name the types of `public` the realm does not define bare (see
/// [`unqualify_public_foreign_types`]). Only for a whole realm: a fragment read on its
/// own (a function's definition read back during live inspection) cannot tell a table's
/// row type from an extension's type, as the realm it belongs to can.
pub(crate) fn settle_signatures(realm: &mut Realm) {
    if realm.dialect != Dialect::Postgres {
        return;
    }
    let mut respelled = Vec::new();
    for (schema_name, schema) in &realm.schemas {
        for (key, function) in &schema.functions {
            let mut changed = function.clone();
            let new_key = unqualify_public_foreign_types(realm, key.clone(), &mut changed);
            if &changed != function {
                respelled.push((schema_name.clone(), key.clone(), new_key, changed));
            }
        }
    }
    for (schema_name, old_key, new_key, function) in respelled {
        if let Some(schema) = realm.schemas.get_mut(&schema_name) {
            schema.functions.remove(&old_key);
            schema.functions.insert(new_key, function);
        }
    }
}

/// Types in `public` that the realm does not define (an extension's, like `cube` or
/// `earth`), named bare in a function's signature: the inspection's `public` search
/// path names them so in column types, SQL usually writes them so, and
/// `pg_get_functiondef` (run with only `pg_catalog` on the path) and SQL that spells
/// `public.earth` mean the same type.
fn unqualify_public_foreign_types(
    realm: &Realm,
    key: String,
    function: &mut schema_model::Function,
) -> String {
    let foreign = |name: &QualifiedName| {
        name.schema == "public"
            && !realm.schemas.get("public").is_some_and(|s| {
                s.types.contains_key(&name.name)
                    || s.tables.contains_key(&name.name)
                    || s.views.contains_key(&name.name)
            })
    };
    let mut key = key;
    let unqualify = |ty: &mut DataType, key: &mut String| {
        if let DataType::UserDefined(name) = ty
            && foreign(name)
        {
            *key = key.replace(&name.to_string(), &name.name);
            *ty = DataType::Other(name.name.clone());
        }
    };
    for argument in &mut function.arguments {
        unqualify(&mut argument.data_type, &mut key);
        if let DataType::Array(element) = &mut argument.data_type {
            unqualify(element.as_mut(), &mut key);
        }
    }
    if let Some(returns) = &mut function.returns {
        let (prefix, rest) = match returns.strip_prefix("SETOF ") {
            Some(rest) => ("SETOF ", rest),
            None => ("", returns.as_str()),
        };
        if let Some(name) = QualifiedName::parse(rest.trim_end_matches("[]"))
            && foreign(&name)
        {
            let suffix = if rest.ends_with("[]") { "[]" } else { "" };
            *returns = format!("{prefix}{}{suffix}", name.name);
        }
    }
    key
}

/// View queries: in a `SELECT` over a single relation (no joins, no subqueries), a
/// column qualified with that relation's name or alias is the column alone, which is
/// how people write it and not how `pg_get_viewdef` prints it (`SELECT t.id FROM t`);
/// and when that relation is a table of the realm, its column types settle the casts
/// of the query's expressions as they do a table's. Qualifiers stay wherever another
/// relation could be meant.
fn settle_views(realm: &mut Realm, domains: &HashMap<QualifiedName, DataType>) {
    let mut tables: HashMap<QualifiedName, HashMap<String, DataType>> = HashMap::new();
    for (schema_name, schema) in &realm.schemas {
        for (name, table) in &schema.tables {
            tables.insert(
                QualifiedName::new(schema_name.clone(), name.clone()),
                table
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), c.data_type.clone()))
                    .collect(),
            );
        }
    }
    views::add_view_columns(realm, &mut tables);
    for schema in realm.schemas.values_mut() {
        for view in schema.views.values_mut() {
            let Ok(mut statements) = Parser::parse_sql(&PostgreSqlDialect {}, &view.definition)
            else {
                continue;
            };
            let [sqlparser::ast::Statement::Query(query)] = statements.as_mut_slice() else {
                continue;
            };
            settle_query(query, &tables, domains);
            views::settle_qualified(query, &tables, domains);
            let settled = query.to_string();
            if settled != view.definition {
                view.definition = settled;
            }
        }
    }
}

fn settle_query(
    query: &mut sqlparser::ast::Query,
    tables: &HashMap<QualifiedName, HashMap<String, DataType>>,
    domains: &HashMap<QualifiedName, DataType>,
) {
    use sqlparser::ast::SetExpr;
    if query.with.is_some() || has_subquery(query) {
        return;
    }
    match query.body.as_mut() {
        SetExpr::Select(select) => {
            if let Some(relation) = single_relation(select) {
                // The whole query: ORDER BY belongs to it, not to the SELECT.
                settle_scope(query, &relation, tables, domains);
            }
        }
        SetExpr::Query(inner) => settle_query(inner, tables, domains),
        SetExpr::SetOperation { left, right, .. } => {
            for side in [left, right] {
                settle_set_operand(side, tables, domains);
            }
        }
        _ => {}
    }
}

/// One side of a `UNION` / `INTERSECT` / `EXCEPT`.
fn settle_set_operand(
    side: &mut sqlparser::ast::SetExpr,
    tables: &HashMap<QualifiedName, HashMap<String, DataType>>,
    domains: &HashMap<QualifiedName, DataType>,
) {
    use sqlparser::ast::SetExpr;
    match side {
        SetExpr::Select(select) => {
            if let Some(relation) = single_relation(select) {
                settle_scope(select.as_mut(), &relation, tables, domains);
            }
        }
        SetExpr::Query(inner) => settle_query(inner, tables, domains),
        SetExpr::SetOperation { left, right, .. } => {
            for side in [left, right] {
                settle_set_operand(side, tables, domains);
            }
        }
        _ => {}
    }
}

/// The single relation a `SELECT` reads, without joins: the name columns are qualified
/// with (its alias, or its own name) and its name's parts.
fn single_relation(select: &sqlparser::ast::Select) -> Option<(String, Vec<String>)> {
    use sqlparser::ast::TableFactor;
    let [item] = select.from.as_slice() else {
        return None;
    };
    let TableFactor::Table {
        name,
        alias,
        args: None,
        ..
    } = &item.relation
    else {
        return None;
    };
    if !item.joins.is_empty() {
        return None;
    }
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
        .collect();
    let qualifier = match alias {
        Some(alias) if alias.columns.is_empty() => alias.name.value.clone(),
        Some(_) => return None,
        None => parts.last()?.clone(),
    };
    Some((qualifier, parts))
}

/// Drops the relation's qualifier from the column references in `node` and settles
/// their casts against its columns.
fn settle_scope<V: sqlparser::ast::VisitMut>(
    node: &mut V,
    (qualifier, parts): &(String, Vec<String>),
    tables: &HashMap<QualifiedName, HashMap<String, DataType>>,
    domains: &HashMap<QualifiedName, DataType>,
) {
    let columns = match parts.as_slice() {
        [schema, table] => tables
            .get(&QualifiedName::new(schema.clone(), table.clone()))
            .cloned()
            .unwrap_or_default(),
        _ => HashMap::new(),
    };
    let functions = Functions::default();
    let scope = Scope {
        columns,
        domains,
        functions: &functions,
    };
    let mut settler = Settler { scope: &scope };
    let _ = sqlparser::ast::visit_expressions_mut(node, |expr: &mut Expr| {
        if let Expr::CompoundIdentifier(idents) = expr
            && let [first, column] = idents.as_slice()
            && first.value == *qualifier
        {
            *expr = Expr::Identifier(column.clone());
        }
        let _ = settler.post_visit_expr(expr);
        ControlFlow::<()>::Continue(())
    });
}

/// Whether a query holds a subquery anywhere (`IN (SELECT ...)`, `EXISTS`, a scalar
/// subquery, `array(SELECT ...)`, a derived table), whose relations could be meant by
/// a qualified name as well, and where a bare name can mean a column of its own.
fn has_subquery(query: &sqlparser::ast::Query) -> bool {
    struct Queries(usize);
    impl sqlparser::ast::Visitor for Queries {
        type Break = ();
        fn pre_visit_query(&mut self, _: &sqlparser::ast::Query) -> ControlFlow<()> {
            self.0 += 1;
            // The first query visited is the one asked about.
            if self.0 > 1 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
    sqlparser::ast::Visit::visit(query, &mut Queries(0)).is_break()
}

fn settle_index(
    scope: &Scope<'_>,
    parts: &mut [schema_model::IndexPart],
    predicate: &mut Option<String>,
) {
    for part in parts {
        if let schema_model::IndexKey::Expression(text) = &mut part.key {
            settle_text(scope, text);
        }
    }
    if let Some(predicate) = predicate {
        settle_text(scope, predicate);
    }
}

/// Index operator classes as `pg_get_indexdef` prints them: none where the class is
/// the default for the column's type under the method (`text_ops` on a `text`
/// column, `array_ops` on an array: the server stores the default either way and
/// prints no class), and without the schema when it is `public` or `pg_catalog`,
/// which the inspection's search path shows.
fn settle_operator_classes(
    scope: &Scope<'_>,
    method: &schema_model::IndexMethod,
    parts: &mut [schema_model::IndexPart],
) {
    use schema_model::{IndexKey, OperatorClass};
    for part in parts {
        let Some(OperatorClass::Other(name)) = &mut part.operator_class else {
            continue;
        };
        for schema in ["public.", "pg_catalog."] {
            if let Some(rest) = name.strip_prefix(schema) {
                *name = rest.to_owned();
            }
        }
        let column_type = match &part.key {
            IndexKey::Column(column) => scope.columns.get(column),
            IndexKey::Expression(_) => None,
        };
        if let Some(ty) = column_type
            && default_operator_class(method, ty) == Some(name.as_str())
        {
            part.operator_class = None;
        }
    }
}

/// The default operator class of a type under an index method (`pg_opclass` with
/// `opcdefault`; `varchar` takes `text`'s, to which it is binary-coercible).
fn default_operator_class(
    method: &schema_model::IndexMethod,
    ty: &DataType,
) -> Option<&'static str> {
    use schema_model::IndexMethod as M;
    let btree_or_hash = matches!(method, M::Btree | M::Hash);
    Some(match ty {
        DataType::Array(_) if btree_or_hash || *method == M::Gin => "array_ops",
        DataType::Jsonb if btree_or_hash || *method == M::Gin => "jsonb_ops",
        DataType::Tsvector if *method == M::Btree || matches!(method, M::Gin | M::Gist) => {
            "tsvector_ops"
        }
        DataType::Text | DataType::Varchar(_) if btree_or_hash || *method == M::Spgist => {
            "text_ops"
        }
        _ if !btree_or_hash => return None,
        DataType::Integer => "int4_ops",
        DataType::BigInt => "int8_ops",
        DataType::SmallInt => "int2_ops",
        DataType::Boolean => "bool_ops",
        DataType::Char(_) => "bpchar_ops",
        DataType::Date => "date_ops",
        DataType::Double => "float8_ops",
        DataType::Real => "float4_ops",
        DataType::Inet => "inet_ops",
        DataType::Interval { .. } => "interval_ops",
        DataType::Numeric { .. } => "numeric_ops",
        DataType::Uuid => "uuid_ops",
        DataType::Timestamp {
            with_time_zone: true,
            ..
        } => "timestamptz_ops",
        DataType::Timestamp {
            with_time_zone: false,
            ..
        } => "timestamp_ops",
        _ => return None,
    })
}

/// The base type of every domain of the realm, by name.
fn domain_bases(realm: &Realm) -> HashMap<QualifiedName, DataType> {
    let mut bases = HashMap::new();
    for (schema_name, schema) in &realm.schemas {
        for (name, ty) in &schema.types {
            if let TypeKind::Domain(domain) = &ty.kind {
                bases.insert(
                    QualifiedName::new(schema_name.clone(), name.clone()),
                    domain.base_type.clone(),
                );
            }
        }
    }
    bases
}

/// The return type of each function of the realm whose overloads all return the same
/// type (one of the types [`label_type`] reads), by name; built-in text functions
/// ([`TEXT_FUNCTIONS`]) are left out, their name is ambiguous.
fn function_returns(realm: &Realm) -> Functions {
    let mut returns: HashMap<String, Option<DataType>> = HashMap::new();
    let mut params: HashMap<String, Option<Vec<DataType>>> = HashMap::new();
    for schema in realm.schemas.values() {
        for function in schema.functions.values() {
            let plain = function
                .arguments
                .iter()
                .all(|a| a.mode == schema_model::ArgumentMode::In && a.default.is_none());
            let list = plain.then(|| {
                function
                    .arguments
                    .iter()
                    .map(|a| a.data_type.clone())
                    .collect::<Vec<_>>()
            });
            // A second overload (in any schema) makes the name ambiguous.
            params
                .entry(function.name.clone())
                .and_modify(|e| *e = None)
                .or_insert(list);
            let ty = function
                .returns
                .as_deref()
                .map(label_type)
                .filter(|t| !matches!(t, DataType::Other(_)));
            let entry = returns.entry(function.name.clone()).or_insert(ty.clone());
            if *entry != ty {
                *entry = None;
            }
        }
    }
    Functions {
        names: params.keys().cloned().collect(),
        returns: returns
            .into_iter()
            .filter(|(name, _)| !TEXT_FUNCTIONS.contains(&name.as_str()))
            .filter_map(|(name, ty)| ty.map(|ty| (name, ty)))
            .collect(),
        params: params
            .into_iter()
            .filter_map(|(name, list)| list.map(|list| (name, list)))
            .collect(),
    }
}

/// What the realm's functions take and return, by name.
#[derive(Default)]
struct Functions {
    /// Every name the realm's functions have: a call of any other name is a built-in's.
    names: std::collections::HashSet<String>,
    /// Return types (see [`function_returns`]).
    returns: HashMap<String, DataType>,
    /// The parameter types of the names with a single overload, without defaults or
    /// other modes than `IN`.
    params: HashMap<String, Vec<DataType>>,
}

/// The names an expression can refer to, with their types.
struct Scope<'a> {
    /// Column (or `VALUE`) names, as stored, with their types.
    columns: HashMap<String, DataType>,
    domains: &'a HashMap<QualifiedName, DataType>,
    /// What the realm's functions take and return (see [`function_returns`]).
    functions: &'a Functions,
}

impl Scope<'_> {
    /// The type of a column reference, when the expression is one.
    fn column_type(&self, expr: &Expr) -> Option<&DataType> {
        let name = match expr {
            Expr::Identifier(ident) => &ident.value,
            Expr::CompoundIdentifier(parts) => {
                // A view query's scope knows its columns by qualifier (see `views`).
                if let [qualifier, column] = parts.as_slice()
                    && let Some(ty) = self
                        .columns
                        .get(&format!("{}.{}", qualifier.value, column.value))
                {
                    return Some(ty);
                }
                &parts.last()?.value
            }
            _ => return None,
        };
        // Canonical text folds unquoted names; `VALUE` is the one keyword-like name.
        self.columns
            .get(name.as_str())
            .or_else(|| self.columns.get(&name.to_ascii_lowercase()))
            .filter(|_| !name.is_empty())
    }

    /// The type underneath a domain of the realm (through domains over domains), when
    /// `ty` is one.
    fn domain_base(&self, ty: &DataType) -> Option<&DataType> {
        let mut base = self.direct_base(ty)?;
        for _ in 0..32 {
            match self.direct_base(base) {
                Some(next) => base = next,
                None => break,
            }
        }
        Some(base)
    }

    /// The domain's declared base type, when `ty` is a domain of the realm.
    fn direct_base(&self, ty: &DataType) -> Option<&DataType> {
        match ty {
            DataType::UserDefined(name) => self.domains.get(name).or_else(|| {
                (name.schema.is_empty())
                    .then(|| {
                        self.domains
                            .get(&QualifiedName::new("public", name.name.clone()))
                    })
                    .flatten()
            }),
            _ => None,
        }
    }
}

/// Rewrites one canonical expression text in place. Text that does not parse (it was
/// not canonical) is left alone.
fn settle_text(scope: &Scope<'_>, text: &mut String) {
    let Ok(mut expr) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
    else {
        return;
    };
    let mut settler = Settler { scope };
    let _ = expr.visit(&mut settler);
    let settled = crate::offline::canonical_text(Dialect::Postgres, &expr.to_string());
    if settled != *text {
        *text = settled;
    }
}

struct Settler<'s, 'a> {
    scope: &'s Scope<'a>,
}

/// The type a cast names, in the spelling of a literal's label (`format_type` without
/// a type modifier).
fn cast_label(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Cast {
            kind: CastKind::DoubleColon,
            data_type,
            ..
        } => Some(type_text(data_type)),
        _ => None,
    }
}

/// A cast's type as canonical text prints it: sqlparser prints the built-in types it
/// reads back in uppercase (`TEXT`), quoted names as written.
fn type_text(data_type: &sqlparser::ast::DataType) -> String {
    let text = data_type.to_string();
    if text.contains('"') {
        text
    } else {
        text.to_ascii_lowercase()
    }
}

/// A type as a literal's cast names it: `format_type` without the type modifier.
fn label(ty: &DataType) -> Option<String> {
    Some(match ty {
        DataType::Integer => "integer".into(),
        DataType::SmallInt => "smallint".into(),
        DataType::BigInt => "bigint".into(),
        DataType::Real => "real".into(),
        DataType::Double => "double precision".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Numeric { .. } => "numeric".into(),
        DataType::Money => "money".into(),
        DataType::Varchar(_) => "character varying".into(),
        DataType::Char(_) => "bpchar".into(),
        DataType::Text => "text".into(),
        DataType::Bytea => "bytea".into(),
        DataType::Date => "date".into(),
        DataType::Timestamp { with_time_zone, .. } => if *with_time_zone {
            "timestamp with time zone"
        } else {
            "timestamp without time zone"
        }
        .into(),
        DataType::Time { with_time_zone, .. } => if *with_time_zone {
            "time with time zone"
        } else {
            "time without time zone"
        }
        .into(),
        DataType::Interval { .. } => "interval".into(),
        DataType::Uuid => "uuid".into(),
        DataType::Json => "json".into(),
        DataType::Jsonb => "jsonb".into(),
        DataType::Inet => "inet".into(),
        DataType::Cidr => "cidr".into(),
        DataType::Tsvector => "tsvector".into(),
        DataType::Tsquery => "tsquery".into(),
        DataType::Array(element) => format!("{}[]", label(element)?),
        DataType::UserDefined(name) => name.name.clone(),
        DataType::Other(text) => text.clone(),
        _ => return None,
    })
}

/// Whether a type carries no modifier a cast could change (`varchar(10)` does).
fn unmodified(ty: &DataType) -> bool {
    match ty {
        DataType::Varchar(n) | DataType::VarBit(n) => n.is_none(),
        DataType::Numeric { precision, .. } => precision.is_none(),
        DataType::Timestamp { precision, .. } | DataType::Time { precision, .. } => {
            precision.is_none()
        }
        DataType::Interval { fields, precision } => fields.is_none() && precision.is_none(),
        DataType::Char(_) | DataType::Bit(_) => false,
        DataType::Array(element) => unmodified(element),
        _ => true,
    }
}

/// Whether a cast's type (as canonical text prints it) is the literal label of `ty`.
fn same_type(cast: &str, ty: &DataType) -> bool {
    let Some(label) = label(ty) else {
        return false;
    };
    if cast == label {
        return true;
    }
    // A realm type prints qualified where the search path does not show it; the
    // canonical text of a cast keeps whatever was written.
    match ty {
        DataType::UserDefined(name) => {
            cast == format!("{}.{}", name.schema, name.name)
                || cast == format!("\"{}\".\"{}\"", name.schema, name.name)
                || cast == format!("\"{}\"", name.name)
        }
        DataType::Char(_) => cast == "character" || cast.starts_with("character("),
        _ => false,
    }
}

/// A literal under a cast: `'s'::T` or `n::T`.
fn cast_literal(expr: &Expr) -> Option<(&Value, String)> {
    let Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: inner,
        data_type,
        ..
    } = expr
    else {
        return None;
    };
    let inner = match inner.as_ref() {
        Expr::Nested(inner) => inner.as_ref(),
        other => other,
    };
    match inner {
        Expr::Value(v) => Some((&v.value, type_text(data_type))),
        _ => None,
    }
}

fn is_string(value: &Value) -> bool {
    matches!(
        value,
        Value::SingleQuotedString(_) | Value::EscapedStringLiteral(_)
    )
}

/// Whether `'lit'::T` / `n::T` is the cast the server resolves beside an operand of
/// type `other`.
fn implied(literal: &Value, cast: &str, other: &DataType) -> bool {
    if matches!(other, DataType::Varchar(_)) || !same_type(cast, other) {
        return false;
    }
    match literal {
        v if is_string(v) => true,
        Value::Number(..) => matches!(cast, "numeric" | "real" | "double precision"),
        _ => false,
    }
}

fn is_integer(ty: &DataType) -> bool {
    matches!(
        ty,
        DataType::SmallInt | DataType::Integer | DataType::BigInt
    )
}

fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Nested(inner) => strip(inner),
        other => other,
    }
}

/// The literal alone, without its cast.
fn uncast(expr: &mut Expr) {
    if let Expr::Cast { expr: inner, .. } = expr {
        let mut inner = std::mem::replace(inner.as_mut(), Expr::Value(Value::Null.into()));
        if let Expr::Nested(nested) = inner {
            inner = *nested;
        }
        *expr = inner;
    }
}

impl Settler<'_, '_> {
    /// The type of an expression, where it is evident: a column of the scope, a cast,
    /// or a text function.
    fn type_of(&self, expr: &Expr) -> Option<DataType> {
        match expr {
            Expr::Nested(inner) => self.type_of(inner),
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                self.scope.column_type(expr).cloned()
            }
            Expr::Cast {
                kind: CastKind::DoubleColon,
                ..
            } => {
                let label = cast_label(expr)?;
                Some(label_type(&label))
            }
            Expr::Function(function) => {
                let name = function.name.to_string();
                if TEXT_FUNCTIONS.contains(&name.as_str()) {
                    return Some(DataType::Text);
                }
                let unqualified = function
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|i| i.value.as_str());
                if let Some(ty) = unqualified.and_then(|n| self.scope.functions.returns.get(n)) {
                    return Some(ty.clone());
                }
                // COALESCE takes the type its arguments share; a typed one decides it.
                let FunctionArguments::List(list) = &function.args else {
                    return None;
                };
                (name == "coalesce")
                    .then(|| {
                        list.args.iter().find_map(|arg| match arg {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.type_of(e),
                            _ => None,
                        })
                    })
                    .flatten()
            }
            Expr::BinaryOp {
                op: BinaryOperator::LongArrow,
                ..
            } => Some(DataType::Text),
            // `text || x` and `varchar || x` are text (textcat, or anytextcat / textanycat).
            Expr::BinaryOp {
                left,
                op: BinaryOperator::StringConcat,
                right,
            } => [left, right]
                .into_iter()
                .any(|side| {
                    matches!(
                        self.type_of(side),
                        Some(DataType::Text | DataType::Varchar(_))
                    )
                })
                .then_some(DataType::Text),
            _ => None,
        }
    }

    /// A column reference coerced to the type its operator takes: `v::text` for a
    /// `character varying` column, `d::B` for a column of a domain over `B`. Returns
    /// the coerced-to label.
    fn coerced_column(&self, expr: &Expr) -> Option<String> {
        let Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: inner,
            data_type,
            ..
        } = expr
        else {
            return None;
        };
        let column = self.scope.column_type(inner)?;
        let target = type_text(data_type);
        let base = self.scope.domain_base(column).unwrap_or(column);
        let coerced = match base {
            DataType::Varchar(_) => target == "text",
            _ => self.scope.domain_base(column).is_some() && same_type(&target, base),
        };
        coerced.then_some(target)
    }

    fn settle_binary(&self, left: &mut Expr, op: &BinaryOperator, right: &mut Expr) {
        // jsonb's key operators: the right operand is text (or text[]).
        if let Some(DataType::Jsonb | DataType::Json) = self.type_of(left) {
            let key_type = match op {
                BinaryOperator::Question | BinaryOperator::Arrow | BinaryOperator::LongArrow => {
                    Some("text")
                }
                BinaryOperator::QuestionPipe
                | BinaryOperator::QuestionAnd
                | BinaryOperator::HashArrow
                | BinaryOperator::HashLongArrow
                | BinaryOperator::HashMinus => Some("text[]"),
                _ => None,
            };
            if let Some(key_type) = key_type
                && let Some((value, cast)) = cast_literal(right)
                && is_string(value)
                && cast == key_type
            {
                uncast(right);
            }
        }
        // The pattern operators take `text` on the right for every left type that has
        // them (`text`, `bpchar`, `name`), so an untyped pattern resolves to `text`.
        if matches!(
            op,
            BinaryOperator::PGRegexMatch
                | BinaryOperator::PGRegexIMatch
                | BinaryOperator::PGRegexNotMatch
                | BinaryOperator::PGRegexNotIMatch
        ) && let Some((value, cast)) = cast_literal(right)
            && is_string(value)
            && cast == "text"
        {
            uncast(right);
        }
        // Both operands' types as written: two untyped literals resolve to text, so
        // `'a'::text || 'b'::text` is `'a' || 'b'`, but `'1'::int = '2'::int` stays.
        let (left_type, right_type) = (self.type_of(left), self.type_of(right));
        let both_literals = cast_literal(left).is_some() && cast_literal(right).is_some();
        for (this, other_type) in [(&mut *left, right_type), (&mut *right, left_type)] {
            if let Some(other_type) = other_type
                && let Some((value, cast)) = cast_literal(this)
                && implied(value, &cast, &other_type)
                && (!both_literals || cast == "text")
            {
                uncast(this);
            }
        }
        // `v::text` beside an untyped literal or a text operand is `v`. Both sides are
        // decided before either changes: `(a)::text = (b)::text` for two varchar
        // columns is `a = b`, the server coercing each to reach `text = text`.
        let (strip_left, strip_right) = (
            self.coerced_beside(left, right),
            self.coerced_beside(right, left),
        );
        if strip_left {
            uncast(left);
        }
        if strip_right {
            uncast(right);
        }
        // Arithmetic between an integer and a numeric operand is numeric's operator,
        // reached by the integer's implicit cast, which the server prints:
        // `(quantity)::numeric * price`, `(1)::numeric - rate`.
        if matches!(
            op,
            BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide
                | BinaryOperator::Modulo
        ) {
            let (left_type, right_type) = (self.arith_type(left), self.arith_type(right));
            for (this, other_type) in [(&mut *left, right_type), (&mut *right, left_type)] {
                if matches!(other_type, Some(DataType::Numeric { .. }))
                    && let Expr::Cast {
                        kind: CastKind::DoubleColon,
                        expr: inner,
                        data_type,
                        ..
                    } = &*this
                    && type_text(data_type) == "numeric"
                    && self.arith_type(inner).is_some_and(|t| is_integer(&t))
                {
                    uncast(this);
                }
            }
        }
    }

    /// `coalesce(c, 'x'::T)` with `c` of type `T`: an untyped literal among typed
    /// arguments takes their common type, which the server prints as its cast.
    fn settle_coalesce(&self, args: &mut [FunctionArg]) {
        let types: Vec<Option<DataType>> = args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if cast_literal(e).is_none() => {
                    self.type_of(e)
                }
                _ => None,
            })
            .collect();
        let mut known = types.iter().flatten();
        let Some(common) = known.next() else {
            return;
        };
        if known.any(|t| t != common) {
            return;
        }
        for arg in args {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg
                && let Some((value, cast)) = cast_literal(e)
                && is_string(value)
                && same_type(&cast, common)
            {
                uncast(e);
            }
        }
    }

    /// The type of an arithmetic operand: an integer or decimal literal, or what
    /// [`Self::type_of`] sees, through `+ - * /` over integers and `numeric`.
    fn arith_type(&self, expr: &Expr) -> Option<DataType> {
        match strip(expr) {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) if n.bytes().all(|b| b.is_ascii_digit()) => {
                    if n.parse::<i32>().is_ok() {
                        Some(DataType::Integer)
                    } else if n.parse::<i64>().is_ok() {
                        Some(DataType::BigInt)
                    } else {
                        Some(DataType::NUMERIC)
                    }
                }
                Value::Number(..) => Some(DataType::NUMERIC),
                _ => None,
            },
            Expr::BinaryOp {
                left,
                op:
                    BinaryOperator::Plus
                    | BinaryOperator::Minus
                    | BinaryOperator::Multiply
                    | BinaryOperator::Divide
                    | BinaryOperator::Modulo,
                right,
            } => {
                let (l, r) = (self.arith_type(left)?, self.arith_type(right)?);
                let numeric = |t: &DataType| matches!(t, DataType::Numeric { .. });
                if (numeric(&l) || is_integer(&l)) && (numeric(&r) || is_integer(&r)) {
                    if numeric(&l) || numeric(&r) {
                        Some(DataType::NUMERIC)
                    } else if l == DataType::BigInt || r == DataType::BigInt {
                        Some(DataType::BigInt)
                    } else if l == DataType::Integer || r == DataType::Integer {
                        Some(DataType::Integer)
                    } else {
                        Some(DataType::SmallInt)
                    }
                } else {
                    None
                }
            }
            other => self.type_of(other),
        }
    }

    /// Whether `this` is `v::text` beside an untyped literal or a `text` operand,
    /// which is `v` written alone.
    fn coerced_beside(&self, this: &Expr, other: &Expr) -> bool {
        self.coerced_column(this).is_some_and(|target| {
            let untyped = matches!(other, Expr::Value(v) if is_string(&v.value));
            let typed = self.type_of(other).is_some_and(|t| same_type(&target, &t));
            untyped || typed
        })
    }

    fn settle_array_comparison(&self, left: &mut Expr, right: &mut Expr) {
        // `(v)::text = ANY ((ARRAY['a'::character varying])::text[])`: `v IN ('a')`.
        if let Some(target) = self.coerced_column(left)
            && let Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: array,
                data_type,
                ..
            } = &mut *right
            && type_text(data_type) == format!("{target}[]")
        {
            let inner = match array.as_ref() {
                Expr::Nested(inner) => inner.as_ref(),
                other => other,
            };
            if let Expr::Array(array) = inner {
                let mut array = array.clone();
                let all_literals = array.elem.iter().all(|e| {
                    cast_literal(e)
                        .is_some_and(|(v, cast)| is_string(v) && cast == "character varying")
                });
                if all_literals {
                    array.elem.iter_mut().for_each(uncast);
                    *right = Expr::Array(array);
                    uncast(left);
                    return;
                }
            }
        }
        let Some(left_type) = self.type_of(left) else {
            return;
        };
        match &mut *right {
            Expr::Array(array) => {
                if array
                    .elem
                    .iter()
                    .all(|e| cast_literal(e).is_some_and(|(v, cast)| implied(v, &cast, &left_type)))
                {
                    array.elem.iter_mut().for_each(uncast);
                }
            }
            other => {
                if let Some((value, cast)) = cast_literal(other)
                    && is_string(value)
                    && !matches!(left_type, DataType::Varchar(_))
                    && label(&left_type).is_some_and(|l| cast == format!("{l}[]"))
                {
                    uncast(other);
                }
            }
        }
        // `v::text = ANY (ARRAY['a', ...])` once the elements are untyped is `v`.
        if self.coerced_column(left).is_some()
            && let Expr::Array(array) = right
            && array
                .elem
                .iter()
                .all(|e| matches!(e, Expr::Value(v) if is_string(&v.value)))
        {
            uncast(left);
        }
    }
}

/// The model type a literal label names, for the types [`label`] prints.
fn label_type(label: &str) -> DataType {
    if let Some(element) = label.strip_suffix("[]") {
        return DataType::Array(Box::new(label_type(element)));
    }
    match label {
        "integer" => DataType::Integer,
        "smallint" => DataType::SmallInt,
        "bigint" => DataType::BigInt,
        "real" => DataType::Real,
        "double precision" => DataType::Double,
        "boolean" => DataType::Boolean,
        "numeric" => DataType::NUMERIC,
        "money" => DataType::Money,
        "text" => DataType::Text,
        "character varying" => DataType::Varchar(None),
        "bpchar" => DataType::Char(1),
        "date" => DataType::Date,
        "uuid" => DataType::Uuid,
        "json" => DataType::Json,
        "jsonb" => DataType::Jsonb,
        "interval" => DataType::Interval {
            fields: None,
            precision: None,
        },
        "timestamp with time zone" | "timestamp without time zone" => DataType::Timestamp {
            precision: None,
            with_time_zone: label == "timestamp with time zone",
        },
        other => DataType::Other(other.to_owned()),
    }
}

/// Built-in polymorphic functions taking an array and an element of it, whose `NULL`
/// element argument the server types as the array's elements.
const POLYMORPHIC_ARRAY_FUNCTIONS: &[&str] = &[
    "array_append",
    "array_position",
    "array_positions",
    "array_prepend",
    "array_remove",
    "array_replace",
];

fn is_null_literal(expr: &Expr) -> bool {
    matches!(strip(expr), Expr::Value(v) if matches!(v.value, Value::Null))
}

/// The digits of `'-N'::T`, when it is the constant `-N` (see where it is used).
fn negative_constant(expr: &Expr) -> Option<String> {
    let (value, cast) = cast_literal(expr)?;
    let Value::SingleQuotedString(text) = value else {
        return None;
    };
    let digits = text.strip_prefix('-')?;
    let integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let decimal = !integer
        && digits.bytes().filter(|&b| b == b'.').count() == 1
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let fits = match cast.as_str() {
        "integer" => integer && text.parse::<i32>().is_ok(),
        "bigint" => integer && text.parse::<i32>().is_err() && text.parse::<i64>().is_ok(),
        "numeric" => decimal || (integer && text.parse::<i64>().is_err()),
        _ => false,
    };
    fits.then(|| digits.to_owned())
}

/// Built-in functions that return `text` whatever `text`-like arguments they get.
const TEXT_FUNCTIONS: &[&str] = &[
    "btrim",
    "concat",
    "concat_ws",
    "current_setting",
    "format",
    "initcap",
    "left",
    "lower",
    "lpad",
    "ltrim",
    "md5",
    "regexp_replace",
    "repeat",
    "replace",
    "reverse",
    "right",
    "rpad",
    "rtrim",
    "split_part",
    "substr",
    "to_char",
    "translate",
    "upper",
];

impl VisitorMut for Settler<'_, '_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::BinaryOp { left, op, right } => {
                let op = op.clone();
                self.settle_binary(left, &op, right);
            }
            // A column cast to its own type, which has no modifier: the server drops
            // the no-op cast (`mode::text` of a text column is `mode`).
            Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: inner,
                data_type,
                ..
            } if self
                .scope
                .column_type(inner)
                .is_some_and(|ty| unmodified(ty) && same_type(&type_text(data_type), ty)) =>
            {
                uncast(expr);
            }
            // A function result or operator result cast to the type it already has
            // (`current_setting('x')::text`): the server adds no coercion.
            Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: inner,
                data_type,
                ..
            } if matches!(
                strip(inner),
                Expr::Function(_)
                    | Expr::BinaryOp {
                        op: BinaryOperator::LongArrow | BinaryOperator::StringConcat,
                        ..
                    }
            ) && self
                .type_of(inner)
                .is_some_and(|ty| unmodified(&ty) && same_type(&type_text(data_type), &ty)) =>
            {
                uncast(expr);
            }
            // The server prints a negative constant as a quoted literal with its type
            // (`'-1'::integer`), which is the number written with its sign: `-1` is an
            // `integer` constant when it fits, then `bigint`, then `numeric`.
            Expr::Cast {
                kind: CastKind::DoubleColon,
                ..
            } if negative_constant(expr).is_some() => {
                if let Some(number) = negative_constant(expr) {
                    *expr = Expr::UnaryOp {
                        op: sqlparser::ast::UnaryOperator::Minus,
                        expr: Box::new(Expr::Value(Value::Number(number, false).into())),
                    };
                }
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                self.settle_array_comparison(left, right);
            }
            // `CASE x WHEN v ...` compares `x = v`: the values settle as the right
            // operand of that comparison (`WHEN 'a'::text` beside a text `x` is
            // `WHEN 'a'`). The operand itself is printed once, as written.
            Expr::Case {
                operand: Some(operand),
                conditions,
                ..
            } => {
                for condition in conditions {
                    let mut left = operand.as_ref().clone();
                    self.settle_binary(&mut left, &BinaryOperator::Eq, &mut condition.condition);
                }
            }
            Expr::Function(function) => {
                let name = function
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|i| i.value.clone())
                    .unwrap_or_default();
                // `date_trunc(text, date)` and `to_char(date, text)` resolve to the
                // `timestamptz` variant (the preferred type of the date/time
                // category), so the server prints the date column cast to it.
                let date_position = match function.name.to_string().as_str() {
                    "date_trunc" => Some(1),
                    "to_char" => Some(0),
                    _ => None,
                };
                if let FunctionArguments::List(list) = &mut function.args {
                    if name == "coalesce" {
                        self.settle_coalesce(&mut list.args);
                    }
                    // An argument cast to the parameter type of the realm's only
                    // function of that name: the server coerces it there by itself
                    // (`convert_ts((j ->> 'k')::character varying)`).
                    let params = self
                        .scope
                        .functions
                        .params
                        .get(&name)
                        .filter(|p| p.len() == list.args.len());
                    for (i, arg) in list.args.iter_mut().enumerate() {
                        if let Some(param) = params.and_then(|p| p.get(i))
                            && unmodified(param)
                            && let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg
                            && let Expr::Cast {
                                kind: CastKind::DoubleColon,
                                data_type,
                                ..
                            } = &*arg
                            && same_type(&type_text(data_type), param)
                        {
                            uncast(arg);
                        }
                    }
                    if let Some(position) = date_position
                        && let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))) =
                            list.args.get_mut(position)
                        && cast_label(arg).as_deref() == Some("timestamp with time zone")
                        && let Expr::Cast { expr: inner, .. } = arg
                        && matches!(self.scope.column_type(inner), Some(DataType::Date))
                    {
                        uncast(arg);
                    }
                    // Built-ins, which the realm's functions do not overload: the
                    // server coerces a varchar column to the `text` they take
                    // (`lower((name)::text)`), and types a NULL element argument of the
                    // polymorphic array functions as the array's elements
                    // (`array_remove(a, NULL::integer)`).
                    let built_in = !self.scope.functions.names.contains(&name);
                    for arg in &mut list.args {
                        if built_in
                            && let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg
                            && let Expr::Cast { expr: inner, .. } = &*arg
                            && matches!(self.scope.column_type(inner), Some(DataType::Varchar(_)))
                            && self.coerced_column(arg).is_some()
                        {
                            uncast(arg);
                        }
                        if built_in
                            && POLYMORPHIC_ARRAY_FUNCTIONS.contains(&name.as_str())
                            && let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg
                            && let Expr::Cast { expr: inner, .. } = &*arg
                            && is_null_literal(inner)
                        {
                            uncast(arg);
                        }
                        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg
                            && let Some((value, cast)) = cast_literal(arg)
                            && is_string(value)
                            && cast == "text"
                        {
                            uncast(arg);
                        }
                        // A domain value passed where its base type is taken: the
                        // server prints the coercion (`length((VALUE)::text)`).
                        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg
                            && let Expr::Cast { expr: inner, .. } = &*arg
                            && self
                                .scope
                                .column_type(inner)
                                .and_then(|t| self.scope.domain_base(t))
                                .is_some_and(|b| !matches!(b, DataType::Varchar(_)))
                            && self.coerced_column(arg).is_some()
                        {
                            uncast(arg);
                        }
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(columns: &[(&str, DataType)], text: &str) -> String {
        let domains = HashMap::new();
        let scope = Scope {
            columns: columns
                .iter()
                .map(|(n, t)| ((*n).to_owned(), t.clone()))
                .collect(),
            domains: &domains,
            functions: &Functions::default(),
        };
        let mut text = crate::offline::canonical_text(Dialect::Postgres, text);
        settle_text(&scope, &mut text);
        text
    }

    #[test]
    fn what_the_server_prints_for_musicbrainz_checks_and_indexes() {
        let cols = [
            ("name", DataType::Varchar(None)),
            ("sort_name", DataType::Varchar(None)),
            ("ipi", DataType::Char(11)),
            ("vote", DataType::SmallInt),
            ("data", DataType::Jsonb),
            ("t", DataType::Text),
        ];
        // Two varchar columns compared: each coerced to text.
        assert_eq!(
            settled(&cols, "(sort_name)::text = (name)::text"),
            settled(&cols, "sort_name = name")
        );
        // A varchar column where a built-in takes text; a realm function would keep it.
        assert_eq!(settled(&cols, "lower((name)::text)"), "lower(name)");
        // The pattern operators take text on the right, whatever the left is.
        assert_eq!(
            settled(&cols, "ipi ~ '^\\d{11}$'::text"),
            "ipi ~ '^\\d{11}$'"
        );
        assert_eq!(
            settled(&cols, "ipi ~ '^\\d{11}$'::text"),
            settled(&cols, "ipi ~ E'^\\\\d{11}$'")
        );
        // Negative constants come back quoted with their type.
        assert_eq!(
            settled(&cols, "vote = ANY (ARRAY['-1'::integer, 0, 1])"),
            settled(&cols, "vote IN (-1, 0, 1)")
        );
        assert_eq!(settled(&cols, "t > '-1.5'::numeric"), "t > -1.5");
        assert_eq!(
            settled(&cols, "t > '-3000000000'::bigint"),
            "t > -3000000000"
        );
        // Not a constant the server would print that way: a positive one, an integer
        // out of its type's range, a string that is not a number.
        assert_eq!(settled(&cols, "t > '1'::integer"), "t > '1'::integer");
        assert_eq!(
            settled(&cols, "t > '-3000000000'::integer"),
            "t > '-3000000000'::integer"
        );
        assert_eq!(settled(&cols, "t > '-x'::integer"), "t > '-x'::integer");
        // jsonb path operators take text[]; a NULL element of array_remove is typed.
        assert_eq!(
            settled(
                &cols,
                "array_remove(ARRAY[(data #>> '{a,id}'::text[])::integer], NULL::integer)"
            ),
            settled(
                &cols,
                "array_remove(ARRAY[(data #>> '{a,id}')::integer], NULL)"
            )
        );
    }

    #[test]
    fn what_the_parser_resolves_in_calls_and_case() {
        let cols = [
            ("t", DataType::Text),
            ("d", DataType::Date),
            ("b", DataType::BigInt),
        ];
        // A CASE without ELSE has `ELSE NULL`, typed; the operand's values are compared
        // with it.
        assert_eq!(
            settled(&cols, "CASE t WHEN 'a'::text THEN t ELSE NULL::text END"),
            settled(&cols, "CASE t WHEN 'a' THEN t END")
        );
        // A date where the timestamptz variant takes it, and a coercion to the only
        // parameter type.
        assert_eq!(
            settled(
                &cols,
                "to_char((CURRENT_DATE)::timestamp with time zone, 'YYYY'::text)"
            ),
            "to_char(CURRENT_DATE, 'YYYY')"
        );
        assert_eq!(
            settled(
                &cols,
                "to_char((d)::timestamp with time zone, 'YYYY'::text)"
            ),
            "to_char(d, 'YYYY')"
        );
        assert_eq!(
            settled(&cols, "to_timestamp((b)::double precision)"),
            "to_timestamp(b)"
        );
        // Other casts stay: a timestamp is not a date, a two-argument to_timestamp
        // takes text.
        assert_eq!(
            settled(
                &cols,
                "to_char((t)::timestamp with time zone, 'YYYY'::text)"
            ),
            "to_char(t::timestamp with time zone, 'YYYY')"
        );
        assert_eq!(
            settled(&cols, "CASE WHEN t = 'a' THEN 1 ELSE 2 END"),
            "CASE WHEN t = 'a' THEN 1 ELSE 2 END"
        );
    }

    #[test]
    fn literal_casts_beside_columns() {
        let cols = [("s", DataType::Text), ("v", DataType::Varchar(Some(10)))];
        assert_eq!(settled(&cols, "(s = 'active'::text)"), "s = 'active'");
        assert_eq!(settled(&cols, "((v)::text = 'x'::text)"), "v = 'x'");
        assert_eq!(
            settled(
                &cols,
                "((COALESCE(s, ''::text) || ' '::text) || COALESCE(v, ''))"
            ),
            "coalesce(s, '') || ' ' || coalesce(v, '')"
        );
        // A cast to another type than the column's stays.
        assert_eq!(
            settled(&cols, "s = 'x'::character varying"),
            "s = 'x'::character varying"
        );
        assert_eq!(
            settled(&cols, "now() - '1 day'::interval"),
            "now() - '1 day'::interval"
        );
        assert_eq!(
            settled(&cols, "nextval('q'::regclass)"),
            "nextval('q'::regclass)"
        );
        assert_eq!(
            settled(&cols, "timezone('utc'::text, now())"),
            "timezone('utc', now())"
        );
    }
}
