//! Expressions in canonical text.
//!
//! Canonical text is a function of the expression's parse tree alone, so that two
//! spellings that parse to the same tree give the same text:
//!
//! - parentheses: every `Expr::Nested` is removed, and parentheses are put back only
//!   where the tree needs them to read back the same (a child operator that binds
//!   weaker than, or as strongly as and to the right of, its parent; any compound
//!   operand of a postfix or prefix operator). `((a > 0))` and `a > 0` are equal;
//!   `(a + b) * c` keeps its parentheses.
//! - identifiers: folded as the dialect stores them (PostgreSQL lowercases unquoted
//!   names), then quoted only when they must be (`"Mixed"`, reserved words), with the
//!   dialect's quote (`"` for PostgreSQL and SQLite, `` ` `` for MySQL).
//! - function names: lowercase in every dialect (they are case-insensitive), except
//!   the SQL-standard value functions written without parentheses
//!   (`CURRENT_TIMESTAMP`, `CURRENT_DATE`, `CURRENT_USER`, ...), which stay uppercase
//!   as PostgreSQL prints them. MySQL takes MariaDB's names for synonyms instead
//!   (`length` is `octet_length`, `CURRENT_DATE` is `curdate()`; see
//!   `MARIADB_RENAMES`).
//! - cast target types: PostgreSQL writes them as `format_type` does (`x::integer`,
//!   `x::character varying(10)`); MySQL and SQLite lowercase sqlparser's spelling.
//! - PostgreSQL spellings that `pg_get_expr` prints another way are rewritten to its
//!   form: `CAST(x AS t)`, `DATE 'x'` and `INTERVAL 'x'` become `::` casts, `LIKE` is
//!   `~~`, `IN (...)` is `= ANY (ARRAY[...])` (`IN (a)` is `= a`), `BETWEEN a AND b`
//!   is `>= a AND <= b` (`NOT BETWEEN`: `< a OR > b`), `AT TIME ZONE` is
//!   `timezone(...)`.
//! - literals are kept exactly; keywords are printed the way sqlparser's `Display`
//!   prints them (uppercase).
//! - PostgreSQL casts the server resolves by type are left out once the realm is
//!   complete (`crate::resolved`, which both loaders run): `'x'::text` beside a `text`
//!   column is `'x'`, `0::numeric` beside a `numeric` one is `0`, `(v)::text` of a
//!   `varchar` column beside an untyped literal is `v`, `'x'::text` as a function
//!   argument is `'x'`. Only casts that writing or omitting gives the server the same
//!   expression are removed; a whole default keeps its typed form. View queries over
//!   a single relation drop the relation's qualifier from their columns there too.
//!
//! Where it still differs from what the servers report (a live comparison must
//! canonicalize the server's text through this same function, not compare raw text):
//! PostgreSQL's `pg_get_expr` parenthesises every operator (`((a > 0) AND (b < 1))`),
//! and adds the implicit casts it resolved (`price > (0)::numeric`, `'x'::text`,
//! `ARRAY['a'::text]`);
//! MariaDB prints backquoted identifiers and lowercase keywords; SQLite reports the
//! text as written.

use super::Replay;
use schema_model::Dialect;
use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, FunctionArguments, Ident, ObjectName, ObjectNamePart,
    UnaryOperator, VisitMut, VisitorMut,
};
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::Tokenizer;
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// The canonical text of an expression as SQL writes it (see [`Canonicalizer::written`]).
pub(crate) fn canonical(replay: &Replay, expr: &Expr) -> String {
    let mut expr = expr.clone();
    let mut visitor = Canonicalizer {
        replay,
        rename: None,
        written: true,
    };
    let _ = expr.visit(&mut visitor);
    printed(replay, expr)
}

/// The canonical text of an expression a server printed.
pub(crate) fn canonical_printed(replay: &Replay, expr: &Expr) -> String {
    let mut expr = expr.clone();
    normalize(replay, &mut expr, None);
    printed(replay, expr)
}

/// The canonical tree as text. PostgreSQL's `x = ANY (ARRAY['a', 'b'])` whose elements
/// carry no cast prints as `x IN ('a', 'b')` (`<> ALL` as `NOT IN`): the same test, and
/// the form that runs, since an array of untyped literals reads as `text[]`, which an
/// enum or integer `x` cannot be compared with, while an `IN` list takes the type of
/// `x` (as the server did when it stored the casts that canonical text leaves out).
fn printed(replay: &Replay, mut expr: Expr) -> String {
    if replay.dialect == Dialect::Postgres {
        let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e: &mut Expr| {
            as_in_list(e);
            ControlFlow::<()>::Continue(())
        });
    }
    expr.to_string()
}

fn as_in_list(expr: &mut Expr) {
    let (left, right, negated) = match expr {
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            ..
        } => (left, right, false),
        Expr::AllOp {
            left,
            compare_op: BinaryOperator::NotEq,
            right,
        } => (left, right, true),
        _ => return,
    };
    let Expr::Array(array) = right.as_ref() else {
        return;
    };
    let untyped = |e: &Expr| {
        matches!(e, Expr::Value(v) if matches!(
            v.value,
            sqlparser::ast::Value::SingleQuotedString(_)
                | sqlparser::ast::Value::EscapedStringLiteral(_)
        ))
    };
    if array.elem.is_empty() || !array.elem.iter().all(untyped) {
        return;
    }
    *expr = Expr::In {
        expr: left.clone(),
        target: sqlparser::ast::InTarget::List(array.elem.clone()),
        negated,
        global: false,
    };
}

/// Normalizes an expression tree in place (see the module docs); with `rename`, column
/// references named `old` (after folding) become `new` on the way.
pub(crate) fn normalize(replay: &Replay, expr: &mut Expr, rename: Option<(&str, &str)>) {
    let mut visitor = Canonicalizer {
        replay,
        rename,
        written: false,
    };
    let _ = expr.visit(&mut visitor);
}

/// Reads a canonical expression text back into a tree.
pub(crate) fn parse_expr(dialect: Dialect, text: &str) -> Option<Expr> {
    let parsed = match dialect {
        Dialect::Postgres => {
            let dialect = PostgreSqlDialect {};
            Tokenizer::new(&dialect, text)
                .with_unescape(ParserOptions::new().unescape)
                .tokenize_with_location()
                .map_err(ParserError::from)
                .and_then(|mut tokens| {
                    super::postgres::spread_variadic_arrays(&mut tokens);
                    Parser::new(&dialect)
                        .with_tokens_with_locations(tokens)
                        .parse_expr()
                })
        }
        Dialect::Mysql => Parser::new(&MySqlDialect {})
            .try_with_sql(text)
            .and_then(|mut p| p.parse_expr()),
        Dialect::Sqlite => Parser::new(&SQLiteDialect {})
            .try_with_sql(text)
            .and_then(|mut p| p.parse_expr()),
    };
    parsed.ok()
}

/// Renames a column inside a canonical expression text. Text that does not parse back
/// is returned unchanged (it was not made by [`canonical`]).
pub(crate) fn rename_column(replay: &Replay, text: &str, old: &str, new: &str) -> String {
    match parse_expr(replay.dialect, text) {
        Some(mut expr) => {
            normalize(replay, &mut expr, Some((old, new)));
            expr.to_string()
        }
        None => text.to_owned(),
    }
}

/// The distinct column-like names an expression refers to (plain identifiers and the
/// last part of compound ones), folded.
pub(crate) fn referenced_names(replay: &Replay, expr: &Expr) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        match e {
            Expr::Identifier(ident) => {
                names.insert(replay.ident(ident));
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    names.insert(replay.ident(last));
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    names
}

/// The column names a canonical expression text refers to.
pub(crate) fn referenced_names_in_text(replay: &Replay, text: &str) -> BTreeSet<String> {
    parse_expr(replay.dialect, text)
        .map(|e| referenced_names(replay, &e))
        .unwrap_or_default()
}

struct Canonicalizer<'a> {
    replay: &'a Replay,
    rename: Option<(&'a str, &'a str)>,
    /// The expression is SQL as written, not as `pg_get_expr` printed it. The two read
    /// `(ARRAY[...])::T[]` differently: the parser casts the elements of a written
    /// `ARRAY[...]` one by one, while the server prints an array coercion (what `IN`
    /// over a `varchar` column builds) in that same spelling.
    written: bool,
}

impl VisitorMut for Canonicalizer<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Nested(inner) = expr {
            let inner = std::mem::replace(inner.as_mut(), Expr::Value(null()));
            *expr = inner;
            return ControlFlow::Continue(());
        }
        if self.replay.dialect == Dialect::Postgres {
            postgres_spelling(expr);
            if self.written {
                super::literals::cast_array_elements(self.replay, expr);
            }
            super::literals::spell(self.replay, expr);
        }
        // MySQL: SUBSTRING(x FROM a FOR b), SUBSTRING(x, a, b) and SUBSTR(...) are one
        // function, which the server prints `substr(x, a, b)`.
        if self.replay.dialect == Dialect::Mysql
            && let Expr::Substring {
                special, shorthand, ..
            } = expr
        {
            *special = true;
            *shorthand = true;
        }
        match expr {
            Expr::Identifier(ident) => {
                let mut folded = self.replay.ident(ident);
                if let Some((old, new)) = self.rename
                    && folded == old
                {
                    new.clone_into(&mut folded);
                }
                *ident = quoted(self.replay.dialect, folded);
            }
            Expr::CompoundIdentifier(parts) => {
                let last = parts.len().saturating_sub(1);
                for (i, part) in parts.iter_mut().enumerate() {
                    let mut folded = self.replay.ident(part);
                    if i == last
                        && let Some((old, new)) = self.rename
                        && folded == old
                    {
                        new.clone_into(&mut folded);
                    }
                    *part = quoted(self.replay.dialect, folded);
                }
            }
            Expr::Function(function) => {
                let value_function = matches!(function.args, FunctionArguments::None);
                let parts: Vec<ObjectNamePart> = function
                    .name
                    .0
                    .iter()
                    .map(|part| match part.as_ident() {
                        Some(ident) if ident.quote_style.is_none() => {
                            let text = if value_function {
                                ident.value.to_uppercase()
                            } else {
                                ident.value.to_lowercase()
                            };
                            ObjectNamePart::Identifier(Ident::new(text))
                        }
                        // A quoted name that the parser reads as special syntax when
                        // bare (`"substring"(x, 1, 1)` is a plain call, `substring(...)`
                        // is SUBSTRING) keeps its quotes, or it would not read back the
                        // same.
                        Some(ident)
                            if SPECIAL_SYNTAX_FUNCTIONS
                                .contains(&ident.value.to_ascii_lowercase().as_str()) =>
                        {
                            let quote = if self.replay.dialect == Dialect::Mysql {
                                '`'
                            } else {
                                '"'
                            };
                            ObjectNamePart::Identifier(Ident::with_quote(
                                quote,
                                self.replay.ident(ident),
                            ))
                        }
                        Some(ident) => ObjectNamePart::Identifier(quoted(
                            self.replay.dialect,
                            self.replay.ident(ident),
                        )),
                        None => part.clone(),
                    })
                    .collect();
                function.name = ObjectName(qualify_function(self.replay, parts, value_function));
            }
            Expr::Cast {
                data_type, kind, ..
            } => {
                let text = cast_type_text(self.replay, data_type);
                *data_type = sqlparser::ast::DataType::Custom(
                    ObjectName::from(vec![Ident::new(text)]),
                    Vec::new(),
                );
                let _ = kind;
            }
            _ => {}
        }
        if self.replay.dialect == Dialect::Mysql {
            mariadb_function_spelling(expr);
        }
        add_parens(expr);
        ControlFlow::Continue(())
    }
}

/// A function's name with the schema `pg_get_expr` prints for it (see
/// [`Replay::function_name_parts`]); value functions (`CURRENT_DATE`) are keywords.
fn qualify_function(
    replay: &Replay,
    mut parts: Vec<ObjectNamePart>,
    value_function: bool,
) -> Vec<ObjectNamePart> {
    if replay.dialect != Dialect::Postgres || value_function {
        return parts;
    }
    let folded: Option<Vec<String>> = parts
        .iter()
        .map(|part| part.as_ident().map(|ident| replay.ident(ident)))
        .collect();
    let Some(folded) = folded else {
        return parts;
    };
    let resolved = replay.function_name_parts(folded.clone());
    if resolved == folded {
        return parts;
    }
    let Some(last) = parts.pop() else {
        return parts;
    };
    let mut out: Vec<ObjectNamePart> = resolved[..resolved.len().saturating_sub(1)]
        .iter()
        .map(|schema| ObjectNamePart::Identifier(quoted(Dialect::Postgres, schema.clone())))
        .collect();
    out.push(last);
    out
}

/// Functions MariaDB 10.11 prints under another name, in views, checks, generated
/// columns and defaults alike (each checked against the server's
/// `information_schema`): the synonyms on the left become the name on the right, and
/// the value functions written without parentheses get them. MySQL 8 keeps more of
/// the spellings as written (`length`, `lower`, `now()`); the model follows MariaDB.
/// Renames that also reorder or rewrite the arguments (`instr(a, b)` is
/// `locate(b, a)`, `date_add(d, interval 1 day)` is `d + interval 1 day`,
/// `mod(a, b)` is `a MOD b`) are not made.
const MARIADB_RENAMES: &[(&str, &str)] = &[
    ("ceil", "ceiling"),
    ("character_length", "char_length"),
    ("day", "dayofmonth"),
    ("length", "octet_length"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("lower", "lcase"),
    ("now", "current_timestamp"),
    ("nvl", "ifnull"),
    ("power", "pow"),
    ("schema", "database"),
    ("session_user", "user"),
    ("sha1", "sha"),
    ("stddev", "std"),
    ("system_user", "user"),
    ("upper", "ucase"),
];

/// Value functions (no parentheses) and the call MariaDB prints for each.
const MARIADB_VALUE_FUNCTIONS: &[(&str, &str)] = &[
    ("current_date", "curdate"),
    ("current_time", "curtime"),
    ("current_timestamp", "current_timestamp"),
    ("current_user", "current_user"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("utc_date", "utc_date"),
    ("utc_time", "utc_time"),
    ("utc_timestamp", "utc_timestamp"),
];

fn plain_call(name: &str, args: Vec<Expr>) -> Expr {
    use sqlparser::ast::{Function, FunctionArg, FunctionArgExpr, FunctionArgumentList};
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a)))
                .collect(),
            clauses: Vec::new(),
        }),
        within_group: Vec::new(),
        filter: None,
        null_treatment: None,
        over: None,
    })
}

/// Rewrites one expression node into MariaDB's spelling (see [`MARIADB_RENAMES`]).
fn mariadb_function_spelling(expr: &mut Expr) {
    use sqlparser::ast::{CeilFloorKind, DateTimeField, FunctionArg, FunctionArgExpr};
    if let Expr::Ceil {
        expr: inner,
        field: CeilFloorKind::DateTimeField(DateTimeField::NoDateTime),
    } = expr
    {
        *expr = plain_call("ceiling", vec![take(inner)]);
        return;
    }
    let Expr::Function(function) = expr else {
        return;
    };
    let plain = function.over.is_none()
        && function.filter.is_none()
        && matches!(function.parameters, FunctionArguments::None);
    let name = match function.name.0.as_slice() {
        [part] => match part.as_ident() {
            Some(ident) if ident.quote_style.is_none() => ident.value.to_ascii_lowercase(),
            _ => return,
        },
        _ => return,
    };
    if !plain {
        return;
    }
    let args: Option<Vec<Expr>> = match &function.args {
        FunctionArguments::None => None,
        FunctionArguments::List(list)
            if list.duplicate_treatment.is_none() && list.clauses.is_empty() =>
        {
            list.args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                    _ => None,
                })
                .collect()
        }
        _ => return,
    };
    let Some(args) = args else {
        // A value function: `CURRENT_DATE` is `curdate()`.
        if let Some((_, call)) = MARIADB_VALUE_FUNCTIONS.iter().find(|(n, _)| *n == name) {
            *expr = plain_call(call, Vec::new());
        }
        return;
    };
    // `mid(s, a[, b])` is SUBSTRING, printed `substr(...)` like the other spellings.
    if name == "mid" && (2..=3).contains(&args.len()) {
        let mut args = args.into_iter();
        if let (Some(source), Some(from)) = (args.next(), args.next()) {
            *expr = Expr::Substring {
                expr: Box::new(source),
                substring_from: Some(Box::new(from)),
                substring_for: args.next().map(Box::new),
                special: true,
                shorthand: true,
            };
        }
        return;
    }
    if let Some((_, new)) = MARIADB_RENAMES.iter().find(|(old, _)| *old == name) {
        function.name = ObjectName::from(vec![Ident::new(*new)]);
    }
}

fn take(expr: &mut Expr) -> Expr {
    std::mem::replace(expr, Expr::Value(null()))
}

/// Rewrites PostgreSQL spellings into the one `pg_get_expr` prints: `CAST(x AS t)` and
/// `DATE 'x'` / `INTERVAL 'x'` become `x::t`; `LIKE` / `ILIKE` become `~~` / `~~*`;
/// `x IN (a, b)` becomes `x = ANY (ARRAY[a, b])` (`NOT IN`: `<> ALL`); `SOME` is
/// `ANY`; `x AT TIME ZONE z` is `timezone(z, x)`.
fn postgres_spelling(expr: &mut Expr) {
    use sqlparser::ast::{
        Array, BinaryOperator as B, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    };
    resolved_by_the_parser(expr);
    let replacement = match expr {
        Expr::Cast { kind, .. } if *kind == CastKind::Cast => {
            *kind = CastKind::DoubleColon;
            None
        }
        Expr::TypedString(typed) => Some(Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(Expr::Value(typed.value.clone())),
            data_type: typed.data_type.clone(),
            format: None,
        }),
        Expr::Interval(interval)
            if interval.leading_field.is_none()
                && interval.last_field.is_none()
                && interval.leading_precision.is_none()
                && interval.fractional_seconds_precision.is_none() =>
        {
            Some(Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: Box::new(take(&mut interval.value)),
                data_type: sqlparser::ast::DataType::Interval {
                    fields: None,
                    precision: None,
                },
                format: None,
            })
        }
        Expr::Like {
            negated,
            any: false,
            expr: left,
            pattern,
            escape_char: None,
        } => Some(Expr::BinaryOp {
            left: Box::new(take(left)),
            op: if *negated {
                B::PGNotLikeMatch
            } else {
                B::PGLikeMatch
            },
            right: Box::new(take(pattern)),
        }),
        Expr::ILike {
            negated,
            any: false,
            expr: left,
            pattern,
            escape_char: None,
        } => Some(Expr::BinaryOp {
            left: Box::new(take(left)),
            op: if *negated {
                B::PGNotILikeMatch
            } else {
                B::PGILikeMatch
            },
            right: Box::new(take(pattern)),
        }),
        // The server reads `x IN (a)` as `x = a` (`NOT IN`: `<>`).
        Expr::In {
            expr: left,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            ..
        } if list.len() == 1 => {
            let mut compare = Expr::BinaryOp {
                left: Box::new(take(left)),
                op: if *negated { B::NotEq } else { B::Eq },
                right: Box::new(list.remove(0)),
            };
            add_parens(&mut compare);
            Some(compare)
        }
        // The server reads `x BETWEEN a AND b` as `x >= a AND x <= b`, and
        // `x NOT BETWEEN a AND b` as `x < a OR x > b`.
        Expr::Between {
            expr: operand,
            negated,
            low,
            high,
        } => {
            let (low_op, high_op, join) = if *negated {
                (B::Lt, B::Gt, B::Or)
            } else {
                (B::GtEq, B::LtEq, B::And)
            };
            let mut low = Expr::BinaryOp {
                left: operand.clone(),
                op: low_op,
                right: Box::new(take(low)),
            };
            let mut high = Expr::BinaryOp {
                left: Box::new(take(operand)),
                op: high_op,
                right: Box::new(take(high)),
            };
            add_parens(&mut low);
            add_parens(&mut high);
            Some(Expr::BinaryOp {
                left: Box::new(low),
                op: join,
                right: Box::new(high),
            })
        }
        Expr::In {
            expr: left,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            ..
        } => {
            let right = Box::new(Expr::Array(Array {
                elem: std::mem::take(list),
                named: true,
            }));
            let left = Box::new(take(left));
            Some(if *negated {
                Expr::AllOp {
                    left,
                    compare_op: B::NotEq,
                    right,
                }
            } else {
                Expr::AnyOp {
                    left,
                    compare_op: B::Eq,
                    right,
                    is_some: false,
                }
            })
        }
        Expr::AnyOp { is_some, .. } => {
            *is_some = false;
            None
        }
        // `E'...'` holds the string its escapes spell; the server stores the string and
        // prints it as a standard literal (`E'^\\d$'` is `'^\d$'`).
        Expr::Value(value) => {
            if let sqlparser::ast::Value::EscapedStringLiteral(text) = &mut value.value {
                value.value = sqlparser::ast::Value::SingleQuotedString(std::mem::take(text));
            }
            None
        }
        // `(a, b)` is a row constructor, which the server prints `ROW(a, b)`.
        Expr::Tuple(items) => Some(plain_call("row", std::mem::take(items))),
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => {
            let arg = |e: Expr| FunctionArg::Unnamed(FunctionArgExpr::Expr(e));
            Some(Expr::Function(sqlparser::ast::Function {
                name: ObjectName::from(vec![Ident::new("timezone")]),
                uses_odbc_syntax: false,
                parameters: FunctionArguments::None,
                args: FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![arg(take(time_zone)), arg(take(timestamp))],
                    clauses: Vec::new(),
                }),
                within_group: Vec::new(),
                filter: None,
                null_treatment: None,
                over: None,
            }))
        }
        _ => None,
    };
    if let Some(replacement) = replacement {
        *expr = replacement;
    }
}

/// Built-in functions with one signature of their arity, and the type each parameter
/// takes. The server prints the coercion of an argument to that type
/// (`to_timestamp((x)::double precision)` for a `bigint` x), which SQL writes either
/// way: the call is the same.
const SINGLE_SIGNATURES: &[(&str, &[&str])] = &[("to_timestamp", &["double precision"])];

/// Built-in functions with a `timestamp with time zone` variant that a `date` argument
/// resolves to (the preferred type of the date/time category), and the argument's
/// position: the server prints the date cast to it (`to_char((CURRENT_DATE)::timestamp
/// with time zone, 'YYYY')`).
const TIMESTAMPTZ_FOR_DATE: &[(&str, usize)] = &[("to_char", 0), ("date_trunc", 1)];

/// Parts of an expression that the server's parser resolves whatever the SQL wrote,
/// in the form SQL usually writes them, decidable without the column types:
///
/// - a `CASE` without `ELSE` has `ELSE NULL` (the parser adds it, typed as the
///   result), so `ELSE NULL` and `ELSE NULL::T` are left out;
/// - an argument cast to the only parameter type a built-in takes there (see
///   [`SINGLE_SIGNATURES`]) is the argument alone;
/// - a `date` (`CURRENT_DATE`, `x::date`) cast to `timestamp with time zone` where a
///   built-in resolves it to that type (see [`TIMESTAMPTZ_FOR_DATE`]) is the date
///   alone. Date columns are `crate::resolved`'s, which knows the column types.
fn resolved_by_the_parser(expr: &mut Expr) {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr};
    match expr {
        Expr::Case { else_result, .. } if else_result.as_deref().is_some_and(is_null_constant) => {
            *else_result = None;
        }
        Expr::Function(function) => {
            let [part] = function.name.0.as_slice() else {
                return;
            };
            let Some(name) = part
                .as_ident()
                .filter(|i| i.quote_style.is_none())
                .map(|i| i.value.to_ascii_lowercase())
            else {
                return;
            };
            let FunctionArguments::List(list) = &mut function.args else {
                return;
            };
            if function.over.is_some() || !list.clauses.is_empty() {
                return;
            }
            let arity = list.args.len();
            for (position, arg) in list.args.iter_mut().enumerate() {
                let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = arg else {
                    continue;
                };
                let Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: inner,
                    data_type,
                    format: None,
                } = arg
                else {
                    continue;
                };
                let target = data_type.to_string().to_ascii_lowercase();
                let coerced = SINGLE_SIGNATURES.iter().any(|(f, params)| {
                    *f == name
                        && params.len() == arity
                        && params.get(position) == Some(&target.as_str())
                });
                let date_to_timestamptz = (target == "timestamp with time zone"
                    || target == "timestamptz")
                    && TIMESTAMPTZ_FOR_DATE.contains(&(name.as_str(), position))
                    && is_date(inner);
                if coerced || date_to_timestamptz {
                    *arg = take(inner);
                }
            }
        }
        _ => {}
    }
}

/// `NULL`, or `NULL::T`.
fn is_null_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, sqlparser::ast::Value::Null),
        Expr::Cast { expr, .. } | Expr::Nested(expr) => is_null_constant(expr),
        _ => false,
    }
}

/// An expression of type `date` by its spelling alone: `CURRENT_DATE`, `x::date`.
fn is_date(expr: &Expr) -> bool {
    match expr {
        Expr::Nested(inner) => is_date(inner),
        Expr::Function(f) => {
            matches!(f.args, FunctionArguments::None)
                && f.name.to_string().eq_ignore_ascii_case("current_date")
        }
        Expr::Cast { data_type, .. } => data_type.to_string().eq_ignore_ascii_case("date"),
        _ => false,
    }
}

fn null() -> sqlparser::ast::ValueWithSpan {
    sqlparser::ast::Value::Null.into()
}

fn cast_type_text(replay: &Replay, ty: &sqlparser::ast::DataType) -> String {
    // `"bit"` is `bit` without a length (what a bit constant's label prints), where
    // `bit` alone is `bit(1)`.
    if let sqlparser::ast::DataType::Custom(name, modifiers) = ty
        && modifiers.is_empty()
        && let [part] = name.0.as_slice()
        && part
            .as_ident()
            .is_some_and(|i| i.quote_style == Some('"') && i.value == "bit")
    {
        return "\"bit\"".to_owned();
    }
    match replay.dialect {
        Dialect::Postgres => match replay.data_type(ty) {
            Ok((data_type, _)) => super::postgres::format_type(&data_type, true),
            Err(_) => ty.to_string().to_lowercase(),
        },
        _ => ty.to_string().to_lowercase(),
    }
}

/// An identifier with quotes only where the dialect needs them.
pub(crate) fn quoted(dialect: Dialect, value: String) -> Ident {
    if needs_quotes(dialect, &value) {
        let quote = if dialect == Dialect::Mysql { '`' } else { '"' };
        Ident::with_quote(quote, value)
    } else {
        Ident::new(value)
    }
}

/// Whether an identifier must be quoted to read back as itself.
pub(crate) fn needs_quotes(dialect: Dialect, value: &str) -> bool {
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let plain_char = |c: char| {
        c == '_'
            || c.is_ascii_digit()
            || if dialect == Dialect::Postgres {
                c.is_ascii_lowercase()
            } else {
                c.is_ascii_alphabetic()
            }
    };
    if first.is_ascii_digit() || !plain_char(first) || !chars.all(plain_char) {
        return true;
    }
    RESERVED
        .binary_search(&value.to_ascii_lowercase().as_str())
        .is_ok()
}

/// Function names sqlparser reads as their own syntax when written bare.
const SPECIAL_SYNTAX_FUNCTIONS: &[&str] = &[
    "ceil",
    "convert",
    "extract",
    "floor",
    "overlay",
    "position",
    "substring",
    "trim",
];

/// Words that cannot be bare identifiers in at least one of the dialects (sorted).
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "between",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "div",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "if",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "interval",
    "into",
    "is",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "match",
    "mod",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "placing",
    "primary",
    "range",
    "references",
    "regexp",
    "returning",
    "right",
    "rlike",
    "select",
    "session_user",
    "set",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    "xor",
];

/// Binding strength of the binary operators whose relative precedence every dialect
/// agrees on; `None` for the rest, which are then always parenthesised as children.
fn rank(op: &BinaryOperator) -> Option<u8> {
    use BinaryOperator::*;
    Some(match op {
        Or => 1,
        And => 2,
        Eq | NotEq | Lt | Gt | LtEq | GtEq => 4,
        Plus | Minus => 6,
        Multiply | Divide | Modulo => 7,
        _ => return None,
    })
}

/// Expressions that print as one unit and never need parentheses as an operand.
fn is_atom(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Value(_)
            | Expr::Function(_)
            | Expr::Case { .. }
            | Expr::Subquery(_)
            | Expr::Exists { .. }
            | Expr::Tuple(_)
            | Expr::Array(_)
            | Expr::TypedString(_)
            | Expr::Extract { .. }
            | Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Position { .. }
            | Expr::Ceil { .. }
            | Expr::Floor { .. }
            | Expr::Overlay { .. }
            | Expr::Convert { .. }
            | Expr::Nested(_)
    ) || matches!(
        expr,
        Expr::Cast {
            kind: CastKind::Cast | CastKind::TryCast | CastKind::SafeCast,
            ..
        }
    )
}

fn is_double_colon(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Cast {
            kind: CastKind::DoubleColon,
            ..
        }
    )
}

/// Predicates that bind tighter than `AND` / `OR` in every dialect.
fn is_predicate(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::In { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::RLike { .. }
            | Expr::AnyOp { .. }
            | Expr::AllOp { .. }
    )
}

fn is_signed_atom(expr: &Expr) -> bool {
    matches!(expr, Expr::UnaryOp { op: UnaryOperator::Minus | UnaryOperator::Plus, expr } if is_atom(expr))
}

fn wrap(expr: &mut Box<Expr>) {
    let inner = std::mem::replace(expr.as_mut(), Expr::Value(null()));
    **expr = Expr::Nested(Box::new(inner));
}

fn wrap_if(expr: &mut Box<Expr>, condition: bool) {
    if condition {
        wrap(expr);
    }
}

fn binary_child_needs_parens(child: &Expr, parent: &BinaryOperator, left: bool) -> bool {
    if is_atom(child) || is_double_colon(child) || is_signed_atom(child) {
        return false;
    }
    let parent_is_logical = matches!(parent, BinaryOperator::And | BinaryOperator::Or);
    match child {
        Expr::BinaryOp { op, .. } => {
            // Comparisons do not associate (`a = b = c` is a syntax error): only the
            // other operators chain to the left without parentheses.
            if left && op == parent && rank(op) != Some(4) {
                return false;
            }
            !matches!((rank(op), rank(parent)), (Some(c), Some(p)) if c > p)
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => !parent_is_logical,
        other if is_predicate(other) => !parent_is_logical,
        _ => true,
    }
}

/// An operand of a prefix or postfix operator: anything but an atom is parenthesised.
fn operand_needs_parens(child: &Expr, parent_is_cast: bool) -> bool {
    !(is_atom(child) || (parent_is_cast && is_double_colon(child)))
}

fn add_parens(expr: &mut Expr) {
    match expr {
        Expr::BinaryOp { left, op, right } => {
            if binary_child_needs_parens(left, op, true) {
                wrap(left);
            }
            if binary_child_needs_parens(right, op, false) {
                wrap(right);
            }
        }
        Expr::UnaryOp { op, expr: operand } => {
            let needs = match op {
                UnaryOperator::Not => {
                    !(is_atom(operand)
                        || is_double_colon(operand)
                        || is_predicate(operand)
                        || matches!(operand.as_ref(), Expr::UnaryOp { .. }))
                }
                _ => operand_needs_parens(operand, false),
            };
            if needs {
                wrap(operand);
            }
        }
        Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: operand,
            ..
        } => {
            wrap_if(operand, operand_needs_parens(operand, true));
        }
        Expr::IsNull(operand)
        | Expr::IsNotNull(operand)
        | Expr::IsTrue(operand)
        | Expr::IsNotTrue(operand)
        | Expr::IsFalse(operand)
        | Expr::IsNotFalse(operand)
        | Expr::IsUnknown(operand)
        | Expr::IsNotUnknown(operand)
        | Expr::Collate { expr: operand, .. }
        | Expr::In { expr: operand, .. } => {
            wrap_if(operand, operand_needs_parens(operand, true));
        }
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
            for side in [a, b] {
                wrap_if(side, operand_needs_parens(side, true));
            }
        }
        Expr::Between {
            expr: operand,
            low,
            high,
            ..
        } => {
            for side in [operand, low, high] {
                wrap_if(side, operand_needs_parens(side, true));
            }
        }
        Expr::Like {
            expr: operand,
            pattern,
            ..
        }
        | Expr::ILike {
            expr: operand,
            pattern,
            ..
        }
        | Expr::SimilarTo {
            expr: operand,
            pattern,
            ..
        }
        | Expr::RLike {
            expr: operand,
            pattern,
            ..
        } => {
            for side in [operand, pattern] {
                wrap_if(side, operand_needs_parens(side, true));
            }
        }
        Expr::AnyOp { left, .. } | Expr::AllOp { left, .. } => {
            wrap_if(left, operand_needs_parens(left, true));
        }
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => {
            for side in [timestamp, time_zone] {
                wrap_if(side, operand_needs_parens(side, true));
            }
        }
        Expr::CompoundFieldAccess { root, .. } | Expr::JsonAccess { value: root, .. } => {
            let plain = matches!(
                root.as_ref(),
                Expr::Identifier(_) | Expr::CompoundIdentifier(_)
            );
            wrap_if(root, !plain);
        }
        _ => {}
    }
}
