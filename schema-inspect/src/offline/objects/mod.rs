//! Replay of everything that is not a table or an index: schemas, extensions, views,
//! sequences, types, functions, triggers, policies, collations, comments, privileges,
//! session statements, and the object kinds the model keeps whole
//! ([`schema_model::OpaqueObject`]).
//!
//! Each kind has its own file; this one dispatches on the statement and holds the small
//! helpers they share.

pub(crate) mod comments;
pub(crate) mod events;
pub(crate) mod functions;
pub(crate) mod grants;
pub(crate) mod opaque;
pub(crate) mod policies;
pub(crate) mod schemas;
pub(crate) mod sequences;
pub(crate) mod session;
pub(crate) mod text_search;
pub(crate) mod triggers;
pub(crate) mod types;
pub(crate) mod view_shape;
pub(crate) mod views;

use super::{Outcome, Replay, Result, invalid, statement_kind, unsupported};
use crate::Location;
use schema_model::{Dialect, QualifiedName};
use sqlparser::ast::{self, Expr, Ident, ObjectName, ObjectType, Statement, Value};

/// Applies a statement the dispatcher in `mod.rs` does not route to tables or indexes.
pub(crate) fn apply(replay: &mut Replay, statement: &Statement, loc: &Location) -> Result<Outcome> {
    match statement {
        // Schemas, extensions, collations.
        Statement::CreateSchema {
            schema_name,
            if_not_exists,
            ..
        } => schemas::create_schema(replay, schema_name, *if_not_exists, loc),
        Statement::CreateDatabase {
            db_name,
            if_not_exists,
            default_charset,
            default_collation,
            ..
        } => schemas::create_database(
            replay,
            db_name,
            *if_not_exists,
            default_charset.as_deref(),
            default_collation.as_deref(),
            loc,
        ),
        Statement::AlterSchema(alter) => schemas::alter_schema(replay, alter, loc),
        Statement::Use(use_) => schemas::use_database(replay, use_, loc),
        Statement::CreateExtension(create) => schemas::create_extension(replay, create, loc),
        Statement::DropExtension(drop) => schemas::drop_extension(replay, drop, loc),
        Statement::CreateCollation(create) => schemas::create_collation(replay, create, loc),
        Statement::AlterCollation(alter) => schemas::alter_collation(replay, alter, loc),

        // Views.
        Statement::CreateView(create) => {
            views::create_view(replay, create, &views::ViewExtras::default(), loc)
        }
        Statement::AlterView(alter) => views::alter_view(replay, alter, loc),
        Statement::RefreshMaterializedView(_) => ignored("REFRESH MATERIALIZED VIEW loads data"),

        // Sequences.
        Statement::CreateSequence {
            if_not_exists,
            name,
            sequence_options,
            temporary,
        } => sequences::create_sequence(
            replay,
            name,
            *if_not_exists,
            *temporary,
            sequence_options,
            loc,
        ),

        // Types and domains.
        Statement::CreateType {
            name,
            representation,
        } => types::create_type(replay, name, representation.as_ref(), loc),
        Statement::AlterType(alter) => types::alter_type(replay, alter, loc),
        Statement::CreateDomain(create) => types::create_domain(replay, create, false, loc),
        Statement::DropDomain(drop) => types::drop_types(
            replay,
            std::slice::from_ref(&drop.name),
            drop.if_exists,
            types::TypeClass::Domain,
            loc,
        ),

        // Functions, procedures, aggregates.
        Statement::CreateFunction(create) => functions::create_function(
            replay,
            create,
            schema_model::FunctionKind::Function,
            &[],
            loc,
        ),
        Statement::CreateProcedure {
            name,
            params,
            language,
            body,
            ..
        } => functions::create_procedure(
            replay,
            name,
            params.as_deref(),
            language.as_ref(),
            body,
            loc,
        ),
        Statement::CreateAggregate(create) => functions::create_aggregate(replay, create, loc),
        Statement::AlterFunction(alter) => functions::alter_function(replay, alter, loc),
        Statement::DropFunction(drop) => functions::drop_functions(
            replay,
            &drop.func_desc,
            drop.if_exists,
            functions::RoutineClass::Function,
            loc,
        ),
        Statement::DropProcedure {
            if_exists,
            proc_desc,
            ..
        } => functions::drop_functions(
            replay,
            proc_desc,
            *if_exists,
            functions::RoutineClass::Procedure,
            loc,
        ),

        // Triggers and policies.
        Statement::CreateTrigger(create) => triggers::create_trigger(replay, create, &[], loc),
        Statement::DropTrigger(drop) => triggers::drop_trigger(replay, drop, loc),
        Statement::AlterTrigger(alter) => triggers::alter_trigger(replay, alter, loc),
        Statement::CreatePolicy(create) => policies::create_policy(replay, create, loc),
        Statement::AlterPolicy(alter) => policies::alter_policy(replay, alter, loc),
        Statement::DropPolicy(drop) => policies::drop_policy(replay, drop, loc),

        // Comments and privileges.
        Statement::Comment {
            object_type,
            object_name,
            comment,
            if_exists,
        } => comments::comment_statement(
            replay,
            object_type,
            object_name,
            comment.clone(),
            *if_exists,
            loc,
        ),
        Statement::Grant(grant) => grants::grant(replay, grant, loc),
        Statement::Revoke(revoke) => grants::revoke(replay, revoke, loc),
        Statement::AlterDefaultPrivileges(alter) => {
            grants::alter_default_privileges(replay, alter, loc)
        }
        Statement::GrantRole(_) | Statement::RevokeRole(_) => ignored(ROLES),
        Statement::CreateRole(_)
        | Statement::AlterRole { .. }
        | Statement::CreateUser(_)
        | Statement::AlterUser(_) => ignored(ROLES),

        // DROP of the kinds that are not tables or indexes.
        Statement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            ..
        } => drop_objects(replay, *object_type, names, *if_exists, *cascade, loc),

        // Kinds the model keeps whole.
        Statement::CreateOperator(_)
        | Statement::CreateOperatorFamily(_)
        | Statement::CreateOperatorClass(_)
        | Statement::CreateTextSearch(_)
        | Statement::CreateRule(_)
        | Statement::CreateServer(_)
        | Statement::CreateForeignDataWrapper(_)
        | Statement::CreateForeignTable(_)
        | Statement::CreateUserMapping(_)
        | Statement::CreateVirtualTable { .. }
        | Statement::AlterOperator(_)
        | Statement::AlterOperatorFamily(_)
        | Statement::AlterOperatorClass(_)
        | Statement::AlterTextSearch(_)
        | Statement::DropOperator(_)
        | Statement::DropOperatorFamily(_)
        | Statement::DropOperatorClass(_)
        | Statement::DropRule(_) => opaque::apply(replay, statement, loc),

        // Session settings, transactions and data.
        other => session::apply(replay, other, loc),
    }
}

/// Why role statements are not replayed.
pub(crate) const ROLES: &str = "roles are cluster-wide, not part of a schema";

/// Whether a table, view or sequence holds that qualified name.
pub(crate) fn relation_taken(replay: &Replay, name: &QualifiedName) -> bool {
    replay
        .realm
        .schemas
        .get(&name.schema)
        .is_some_and(|s| s.has_relation(&name.name))
}

/// `RENAME TO` / `SET SCHEMA` of an object kept in one of a schema's maps: the target
/// schema must exist and the target name be free (`taken`, which each kind answers for
/// its own namespace), then the object moves under its new key.
pub(crate) fn move_object<T: Renamed>(
    replay: &mut Replay,
    kind: &str,
    (from, to): (&QualifiedName, QualifiedName),
    taken: bool,
    map: fn(&mut schema_model::Schema) -> &mut std::collections::BTreeMap<String, T>,
    loc: &Location,
) -> Result<Outcome> {
    if !replay.realm.schemas.contains_key(&to.schema) {
        return Err(does_not_exist(loc, "schema", &to.schema));
    }
    if taken {
        return Err(already_exists(loc, kind, &to));
    }
    let Some(mut object) = replay
        .realm
        .schemas
        .get_mut(&from.schema)
        .and_then(|s| map(s).remove(&from.name))
    else {
        return Err(does_not_exist(loc, kind, from));
    };
    object.rename(to.name.clone());
    if let Some(schema) = replay.realm.schemas.get_mut(&to.schema) {
        map(schema).insert(to.name, object);
    }
    Ok(Outcome::Applied)
}

/// Objects that carry their own name beside their map key.
pub(crate) trait Renamed {
    fn rename(&mut self, name: String);
}

impl Renamed for schema_model::Sequence {
    fn rename(&mut self, name: String) {
        self.name = name;
    }
}

impl Renamed for schema_model::View {
    fn rename(&mut self, name: String) {
        self.name = name;
    }
}

impl Renamed for schema_model::TypeDef {
    fn rename(&mut self, name: String) {
        self.name = name;
    }
}

/// Why `OWNER TO` is not replayed.
pub(crate) const OWNERSHIP: &str = "ownership is not part of the schema model";

/// An [`Outcome::Ignored`] with that reason.
pub(crate) fn ignored(reason: impl Into<String>) -> Result<Outcome> {
    Ok(Outcome::Ignored(reason.into()))
}

fn drop_objects(
    replay: &mut Replay,
    object_type: ObjectType,
    names: &[ObjectName],
    if_exists: bool,
    cascade: bool,
    loc: &Location,
) -> Result<Outcome> {
    match object_type {
        ObjectType::View | ObjectType::MaterializedView => views::drop_views(
            replay,
            names,
            if_exists,
            object_type == ObjectType::MaterializedView,
            loc,
        ),
        ObjectType::Sequence => sequences::drop_sequences(replay, names, if_exists, loc),
        ObjectType::Type => {
            types::drop_types(replay, names, if_exists, types::TypeClass::Type, loc)
        }
        ObjectType::Schema | ObjectType::Database => {
            schemas::drop_schemas(replay, names, if_exists, cascade, object_type, loc)
        }
        ObjectType::Collation => schemas::drop_collations(replay, names, if_exists, loc),
        ObjectType::ForeignTable => {
            opaque::drop_named(replay, "foreign table", names, if_exists, loc)
        }
        ObjectType::Role | ObjectType::User | ObjectType::Group => ignored(ROLES),
        other => Err(unsupported(loc, format!("DROP {other}"))),
    }
}

/// The statement's text in canonical spacing, ending in `;`: the definition of an
/// opaque object. Tokens keep their spelling; whitespace and comments between them
/// become one space (none inside parentheses and around dots), so that a statement
/// reads the same however it was laid out.
pub(crate) fn statement_text(dialect: Dialect, loc: &Location) -> String {
    format!("{};", canonical_spacing(dialect, &loc.statement))
}

/// SQL text in canonical spacing, without a trailing `;`: tokens keep their spelling,
/// whitespace and comments between them become one space (none just inside
/// parentheses, before commas and around dots).
pub(crate) fn canonical_spacing(dialect: Dialect, text: &str) -> String {
    let text = text.trim();
    let Some(tokens) = super::fallback::Tokens::new(dialect, text) else {
        return text.trim_end_matches(';').trim_end().to_owned();
    };
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<&sqlparser::tokenizer::Token> = None;
    let mut previous_end = 0;
    for tok in tokens.all() {
        use sqlparser::tokenizer::Token;
        if tok.token == Token::SemiColon {
            continue;
        }
        // The tokenizer splits some operators (`===` into `==` and `=`): symbols
        // written together stay together.
        let symbol = |t: &Token| {
            !matches!(
                t,
                Token::Word(_)
                    | Token::Number(..)
                    | Token::SingleQuotedString(_)
                    | Token::LParen
                    | Token::RParen
                    | Token::Comma
            )
        };
        let joined_symbol =
            tok.start == previous_end && symbol(&tok.token) && previous.is_some_and(symbol);
        // A call's parenthesis sticks to its name (a word that is not a keyword).
        let call = tok.token == Token::LParen
            && matches!(previous, Some(Token::Word(w)) if w.keyword == sqlparser::keywords::Keyword::NoKeyword);
        let glue = call
            || joined_symbol
            || matches!(tok.token, Token::RParen | Token::Comma | Token::Period)
            || matches!(previous, Some(Token::LParen | Token::Period) | None);
        if !glue {
            out.push(' ');
        }
        out.push_str(text.get(tok.start..tok.end).unwrap_or_default());
        previous = Some(&tok.token);
        previous_end = tok.end;
    }
    out
}

/// Whether an identifier needs no quotes in this dialect once folded: lowercase letters,
/// digits and underscores (MySQL and SQLite also keep uppercase letters unquoted).
fn is_plain_identifier(dialect: Dialect, value: &str) -> bool {
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| {
        c == '_'
            || c.is_ascii_lowercase()
            || (dialect != Dialect::Postgres && c.is_ascii_uppercase())
    });
    first_ok
        && chars.all(|c| {
            c == '_'
                || c.is_ascii_digit()
                || c.is_ascii_lowercase()
                || (dialect != Dialect::Postgres && c.is_ascii_uppercase())
        })
}

/// An identifier as the database stores it, quoted only where it has to be, so that
/// `"foo"`, `foo` and `FOO` print the same in PostgreSQL.
pub(crate) fn canonical_ident(replay: &Replay, ident: &Ident) -> Ident {
    let value = replay.ident(ident);
    let quote_style = if is_plain_identifier(replay.dialect, &value) {
        None
    } else {
        Some(match replay.dialect {
            Dialect::Mysql => '`',
            _ => '"',
        })
    };
    Ident {
        value,
        quote_style,
        span: ident.span,
    }
}

/// A name as SQL writes it: parts folded, quoted where needed, joined with dots.
pub(crate) fn display_name(replay: &Replay, name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => canonical_ident(replay, ident).to_string(),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A role name as the catalogs store it: `PUBLIC` for everyone, other names folded like
/// identifiers.
pub(crate) fn role_name(replay: &Replay, ident: &Ident) -> String {
    if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case("public") {
        "PUBLIC".to_owned()
    } else {
        replay.ident(ident)
    }
}

/// The text of a string literal (or an identifier where the grammar allows one).
pub(crate) fn literal_text(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => value_text(&v.value),
        Expr::Identifier(ident) => Some(ident.value.clone()),
        _ => None,
    }
}

/// The text of a literal value: strings unquoted, numbers and booleans as written.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::SingleQuotedString(s)
        | Value::DoubleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::NationalStringLiteral(s)
        | Value::TripleSingleQuotedString(s)
        | Value::TripleDoubleQuotedString(s) => Some(s.clone()),
        Value::DollarQuotedString(d) => Some(d.value.clone()),
        Value::Number(n, _) => Some(n.to_string()),
        Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer literal, with an optional sign.
pub(crate) fn expr_i64(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.to_string().parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr,
        } => expr_i64(expr).and_then(i64::checked_neg),
        Expr::UnaryOp {
            op: ast::UnaryOperator::Plus,
            expr,
        } => expr_i64(expr),
        Expr::Nested(inner) => expr_i64(inner),
        _ => None,
    }
}

/// The error for creating something that exists.
pub(crate) fn already_exists(
    loc: &Location,
    kind: &str,
    name: &dyn std::fmt::Display,
) -> crate::LoadError {
    invalid(loc, format!("{kind} \"{name}\" already exists"))
}

/// The error for referring to something that does not exist.
pub(crate) fn does_not_exist(
    loc: &Location,
    kind: &str,
    name: &dyn std::fmt::Display,
) -> crate::LoadError {
    invalid(loc, format!("{kind} \"{name}\" does not exist"))
}

/// Resolves the name of an existing relation-like object of a kind whose map is given
/// by `exists`; see [`Replay::resolve_name`].
pub(crate) fn resolve(
    replay: &Replay,
    name: &ObjectName,
    loc: &Location,
    exists: impl Fn(&schema_model::Schema, &str) -> bool,
) -> Result<QualifiedName> {
    replay.resolve_name(name, loc, |realm, qn| {
        realm
            .schemas
            .get(&qn.schema)
            .is_some_and(|schema| exists(schema, &qn.name))
    })
}

/// For messages: the statement kind the dispatcher could not place.
pub(crate) fn unsupported_statement(loc: &Location, statement: &Statement) -> crate::LoadError {
    unsupported(loc, statement_kind(statement))
}

/// One part of a dotted name, folded.
pub(crate) fn part_name(replay: &Replay, part: &ast::ObjectNamePart) -> String {
    match part.as_ident() {
        Some(ident) => replay.ident(ident),
        None => part.to_string(),
    }
}
