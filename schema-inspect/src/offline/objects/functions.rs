//! Functions, procedures and aggregates.
//!
//! A routine is keyed in its schema by its signature, `name(type, ...)`, made of the
//! canonical types of its `IN`, `INOUT` and `VARIADIC` arguments, as PostgreSQL
//! identifies routines.

use super::types::type_or_other;
use super::{OWNERSHIP, already_exists, does_not_exist, ignored, literal_text};
use crate::Location;
use crate::offline::fallback::Tokens;
use crate::offline::{Outcome, Replay, Result, invalid};
use schema_model::{
    ArgumentMode, DataType, Dialect, Function, FunctionArgument, FunctionKind, QualifiedName,
};
use sqlparser::ast::{
    self, AlterFunction, AlterFunctionAction, AlterFunctionOperation, ArgMode, CreateAggregate,
    CreateAggregateArgs, CreateFunction, CreateFunctionBody, CreateProcedureBody, Expr,
    FunctionBehavior, FunctionCalledOnNull, FunctionDefinitionSetParam, FunctionDesc,
    FunctionDeterminismSpecifier, FunctionParallel, FunctionReturnType, FunctionSecurity,
    FunctionSetValue, Ident, ObjectName, OperateFunctionArg, ProcedureParam,
};

/// Which `DROP` statement names a routine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoutineClass {
    /// `DROP FUNCTION`.
    Function,
    /// `DROP PROCEDURE`.
    Procedure,
    /// `DROP AGGREGATE`.
    Aggregate,
    /// `DROP ROUTINE`: any of them.
    Routine,
}

impl RoutineClass {
    fn word(self) -> &'static str {
        match self {
            RoutineClass::Function => "function",
            RoutineClass::Procedure => "procedure",
            RoutineClass::Aggregate => "aggregate",
            RoutineClass::Routine => "routine",
        }
    }
}

/// Types PostgreSQL routines return that are not column types.
const PSEUDO_TYPES: [&str; 16] = [
    "trigger",
    "event_trigger",
    "void",
    "record",
    "internal",
    "cstring",
    "any",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "language_handler",
    "fdw_handler",
    "table_am_handler",
];

/// A routine argument or return type in canonical text.
pub(crate) fn routine_type(replay: &Replay, ty: &ast::DataType) -> DataType {
    match ty {
        ast::DataType::Trigger => DataType::Other("trigger".to_owned()),
        ast::DataType::Custom(name, modifiers) if modifiers.is_empty() && name.0.len() == 1 => {
            let word = super::display_name(replay, name);
            if PSEUDO_TYPES.contains(&word.as_str()) {
                DataType::Other(word)
            } else {
                match type_or_other(replay, ty) {
                    // A table's or view's row type, found through the search path as
                    // the server finds it; the catalog names it with its schema.
                    DataType::Other(base) if base == word => {
                        row_type(replay, &word).map_or(DataType::Other(base), DataType::UserDefined)
                    }
                    other => other,
                }
            }
        }
        _ => type_or_other(replay, ty),
    }
}

/// The table or view of that name first on the search path, whose row type a routine
/// names by it.
fn row_type(replay: &Replay, name: &str) -> Option<QualifiedName> {
    replay.search_path.iter().find_map(|schema| {
        replay
            .realm
            .schemas
            .get(schema)
            .filter(|s| s.tables.contains_key(name) || s.views.contains_key(name))
            .map(|_| QualifiedName::new(schema.clone(), name))
    })
}

fn return_text(replay: &Replay, ty: &ast::DataType) -> String {
    match ty {
        ast::DataType::Table(Some(columns)) => {
            let columns: Vec<String> = columns
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        replay.ident(&c.name),
                        routine_type(replay, &c.data_type)
                    )
                })
                .collect();
            format!("TABLE({})", columns.join(", "))
        }
        other => routine_type(replay, other).to_string(),
    }
}

fn argument_mode(mode: Option<&ArgMode>) -> ArgumentMode {
    match mode {
        None | Some(ArgMode::In) => ArgumentMode::In,
        Some(ArgMode::Out) => ArgumentMode::Out,
        Some(ArgMode::InOut) => ArgumentMode::InOut,
        Some(ArgMode::Variadic) => ArgumentMode::Variadic,
    }
}

/// Arguments from sqlparser's list.
pub(crate) fn arguments(replay: &Replay, args: &[OperateFunctionArg]) -> Vec<FunctionArgument> {
    args.iter()
        .map(|a| {
            let data_type = routine_type(replay, &a.data_type);
            FunctionArgument {
                name: a.name.as_ref().map(|n| replay.ident(n)),
                mode: argument_mode(a.mode.as_ref()),
                default: a
                    .default_expr
                    .as_ref()
                    .map(|d| argument_default(replay, d, &data_type)),
                data_type,
            }
        })
        .collect()
}

/// An argument's default as PostgreSQL prints it: a constant of the argument's type
/// (`'q'::text`), as column defaults are.
fn argument_default(replay: &Replay, value: &Expr, data_type: &DataType) -> String {
    match replay.dialect {
        Dialect::Postgres => crate::offline::postgres::default_expr(replay, value, data_type)
            .unwrap_or_else(|| replay.expr(value)),
        _ => replay.expr(value),
    }
}

/// The key of a routine in its schema: `name(type, ...)` over the arguments that
/// identify it (not `OUT`).
pub(crate) fn signature(name: &str, args: &[FunctionArgument]) -> String {
    let types: Vec<String> = args
        .iter()
        .filter(|a| a.mode != ArgumentMode::Out)
        .map(|a| a.data_type.to_string())
        .collect();
    format!("{name}({})", types.join(", "))
}

/// The attribute's family, so that a new setting replaces the old one.
fn attribute_family(attribute: &str) -> String {
    let mut words = attribute.split_whitespace();
    match words.next().unwrap_or_default() {
        "IMMUTABLE" | "STABLE" | "VOLATILE" => "volatility".to_owned(),
        "STRICT" | "CALLED" | "RETURNS" => "strict".to_owned(),
        "SECURITY" => "security".to_owned(),
        "PARALLEL" => "parallel".to_owned(),
        "LEAKPROOF" | "NOT" => "leakproof".to_owned(),
        "SET" => format!("set {}", words.next().unwrap_or_default()),
        other => other.to_owned(),
    }
}

/// Whether an attribute is the default, which canonical form leaves out.
fn is_default_attribute(attribute: &str, language: &str) -> bool {
    let cost_default = if matches!(language, "c" | "internal") {
        "COST 1"
    } else {
        "COST 100"
    };
    matches!(
        attribute,
        "VOLATILE"
            | "CALLED ON NULL INPUT"
            | "SECURITY INVOKER"
            | "PARALLEL UNSAFE"
            | "NOT LEAKPROOF"
            | "ROWS 1000"
            | "NOT DETERMINISTIC"
            | "CONTAINS SQL"
            | "SQL SECURITY DEFINER"
            | "LANGUAGE SQL"
    ) || attribute == cost_default
}

/// Sets an attribute, replacing one of the same family; defaults are dropped.
pub(crate) fn set_attribute(function: &mut Function, attribute: String) {
    let family = attribute_family(&attribute);
    function
        .attributes
        .retain(|a| attribute_family(a) != family);
    if !is_default_attribute(&attribute, &function.language) {
        function.attributes.push(attribute);
    }
    function.attributes.sort();
}

/// `SET name = value` in canonical form: values unquoted, separated by `, `, as
/// PostgreSQL stores them in `proconfig`.
fn set_param_text(replay: &Replay, param: &FunctionDefinitionSetParam) -> String {
    let name = replay
        .name_parts(&param.name)
        .join(".")
        .to_ascii_lowercase();
    match &param.value {
        FunctionSetValue::FromCurrent => format!("SET {name} FROM CURRENT"),
        FunctionSetValue::Default => format!("RESET {name}"),
        FunctionSetValue::Values(values) => {
            let values: Vec<String> = values
                .iter()
                .map(|v| match v {
                    Expr::Identifier(ident) => replay.ident(ident),
                    other => literal_text(other).unwrap_or_else(|| other.to_string()),
                })
                .collect();
            format!("SET {name} = {}", values.join(", "))
        }
    }
}

fn behavior_text(b: &FunctionBehavior) -> &'static str {
    match b {
        FunctionBehavior::Immutable => "IMMUTABLE",
        FunctionBehavior::Stable => "STABLE",
        FunctionBehavior::Volatile => "VOLATILE",
    }
}

fn called_on_null_text(c: &FunctionCalledOnNull) -> &'static str {
    match c {
        FunctionCalledOnNull::CalledOnNullInput => "CALLED ON NULL INPUT",
        FunctionCalledOnNull::ReturnsNullOnNullInput | FunctionCalledOnNull::Strict => "STRICT",
    }
}

fn parallel_text(p: &FunctionParallel) -> &'static str {
    match p {
        FunctionParallel::Unsafe => "PARALLEL UNSAFE",
        FunctionParallel::Restricted => "PARALLEL RESTRICTED",
        FunctionParallel::Safe => "PARALLEL SAFE",
    }
}

fn security_text(s: &FunctionSecurity) -> &'static str {
    match s {
        FunctionSecurity::Definer => "SECURITY DEFINER",
        FunctionSecurity::Invoker => "SECURITY INVOKER",
    }
}

fn body_text(replay: &Replay, body: &CreateFunctionBody) -> String {
    match body {
        CreateFunctionBody::AsBeforeOptions { body, link_symbol } => {
            let text = literal_text(body).unwrap_or_else(|| body.to_string());
            match link_symbol.as_ref().and_then(literal_text) {
                Some(symbol) => format!("{text}, {symbol}"),
                None => text,
            }
        }
        CreateFunctionBody::AsAfterOptions(body) => {
            literal_text(body).unwrap_or_else(|| body.to_string())
        }
        CreateFunctionBody::Return(expr) => format!("RETURN {}", replay.expr(expr)),
        CreateFunctionBody::BeginAtomic(statements) => {
            format!(
                "BEGIN ATOMIC {} END",
                statement_list(replay, &statements.statements)
            )
        }
        CreateFunctionBody::AsBeginEnd(statements) => statements.to_string(),
        CreateFunctionBody::AsReturnExpr(expr) => format!("RETURN {expr}"),
        CreateFunctionBody::AsReturnSelect(select) => format!("RETURN {select}"),
    }
}

/// The statements of a `BEGIN ATOMIC` body, with their expressions in canonical form
/// (PostgreSQL stores the body parsed, so spacing and parentheses are not kept).
fn statement_list(replay: &Replay, statements: &[ast::Statement]) -> String {
    statements
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let _ = ast::visit_expressions_mut(&mut s, |e: &mut Expr| {
                crate::offline::expr::normalize(replay, e, None);
                std::ops::ControlFlow::<()>::Continue(())
            });
            format!("{s};")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `CREATE FUNCTION` as sqlparser reads it. `extra` carries attributes the fallback
/// reader stripped (`COST`, `ROWS`, `LEAKPROOF`); `kind` is `Procedure` when the
/// fallback reader rewrote a `CREATE PROCEDURE` sqlparser cannot parse.
pub(crate) fn create_function(
    replay: &mut Replay,
    create: &CreateFunction,
    kind: FunctionKind,
    extra: &[String],
    loc: &Location,
) -> Result<Outcome> {
    if create.temporary {
        return ignored("temporary functions live only in the session");
    }
    let name = replay.create_name(&create.name, loc)?;
    let args = arguments(replay, create.args.as_deref().unwrap_or_default());
    let returns = match (&create.return_type, kind) {
        (_, FunctionKind::Procedure) => None,
        (Some(FunctionReturnType::DataType(ty)), _) => Some(return_text(replay, ty)),
        (Some(FunctionReturnType::SetOf(ty)), _) => {
            Some(format!("SETOF {}", return_text(replay, ty)))
        }
        // PostgreSQL derives the return type from the OUT arguments.
        (None, _) => {
            let outs: Vec<&FunctionArgument> = args
                .iter()
                .filter(|a| matches!(a.mode, ArgumentMode::Out | ArgumentMode::InOut))
                .collect();
            match outs.as_slice() {
                [] => None,
                [one] => Some(one.data_type.to_string()),
                _ => Some("record".to_owned()),
            }
        }
    };
    let body = match &create.function_body {
        Some(body) => body_text(replay, body),
        None => String::new(),
    };
    let language = match &create.language {
        Some(language) => language.value.to_ascii_lowercase(),
        None => "sql".to_owned(),
    };
    let mut function = Function {
        name: name.name.clone(),
        kind,
        arguments: args,
        returns,
        language,
        body,
        attributes: Vec::new(),
        comment: None,
        privileges: Vec::new(),
    };
    let mut attributes: Vec<String> = Vec::new();
    if let Some(b) = &create.behavior {
        attributes.push(behavior_text(b).to_owned());
    }
    if let Some(c) = &create.called_on_null {
        attributes.push(called_on_null_text(c).to_owned());
    }
    if let Some(p) = &create.parallel {
        attributes.push(parallel_text(p).to_owned());
    }
    if let Some(s) = &create.security {
        attributes.push(security_text(s).to_owned());
    }
    if let Some(FunctionDeterminismSpecifier::Deterministic) = &create.determinism_specifier {
        attributes.push("DETERMINISTIC".to_owned());
    }
    for param in &create.set_params {
        attributes.push(set_param_text(replay, param));
    }
    attributes.extend(extra.iter().cloned());
    for attribute in attributes {
        set_attribute(&mut function, attribute);
    }
    insert_function(
        replay,
        name,
        function,
        create.or_replace || create.or_alter,
        create.if_not_exists,
        loc,
    )
}

/// Adds a routine; `OR REPLACE` keeps the grants and comment of the one it replaces.
pub(crate) fn insert_function(
    replay: &mut Replay,
    name: QualifiedName,
    mut function: Function,
    or_replace: bool,
    if_not_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let key = signature(&function.name, &function.arguments);
    let defaults = super::grants::default_privileges(replay, &name.schema, "FUNCTIONS");
    let schema = replay.realm.schema_mut(&name.schema);
    if let Some(existing) = schema.functions.get_mut(&key) {
        if if_not_exists {
            return ignored(format!(
                "function \"{}.{key}\" already exists, skipping",
                name.schema
            ));
        }
        if !or_replace {
            return Err(already_exists(
                loc,
                "function",
                &format!("{}.{key}", name.schema),
            ));
        }
        function.privileges = std::mem::take(&mut existing.privileges);
        function.comment = function.comment.take().or(existing.comment.take());
        *existing = function;
        return Ok(Outcome::Applied);
    }
    function.privileges = defaults;
    schema.functions.insert(key, function);
    Ok(Outcome::Applied)
}

/// `CREATE PROCEDURE` as sqlparser reads it (`BEGIN ATOMIC`, and MySQL bodies).
pub(crate) fn create_procedure(
    replay: &mut Replay,
    name: &ObjectName,
    params: Option<&[ProcedureParam]>,
    language: Option<&Ident>,
    body: &CreateProcedureBody,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(name, loc)?;
    let arguments = params
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let data_type = routine_type(replay, &p.data_type);
            FunctionArgument {
                name: Some(replay.ident(&p.name)),
                mode: argument_mode(p.mode.as_ref()),
                default: p
                    .default
                    .as_ref()
                    .map(|d| argument_default(replay, d, &data_type)),
                data_type,
            }
        })
        .collect();
    let body = match body {
        CreateProcedureBody::BeginAtomic(statements) => {
            format!(
                "BEGIN ATOMIC {} END",
                statement_list(replay, &statements.statements)
            )
        }
        CreateProcedureBody::As(statements) => statements.to_string(),
    };
    let function = Function {
        name: qn.name.clone(),
        kind: FunctionKind::Procedure,
        arguments,
        returns: None,
        language: language
            .map(|l| l.value.to_ascii_lowercase())
            .unwrap_or_else(|| "sql".to_owned()),
        body,
        attributes: Vec::new(),
        comment: None,
        privileges: Vec::new(),
    };
    insert_function(replay, qn, function, false, false, loc)
}

pub(crate) fn create_aggregate(
    replay: &mut Replay,
    create: &CreateAggregate,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(&create.name, loc)?;
    let arguments = match &create.args {
        CreateAggregateArgs::List(args) => arguments(replay, args),
        CreateAggregateArgs::OrderedSet { direct, aggregated } => {
            let mut all = arguments(replay, direct);
            all.extend(arguments(replay, aggregated));
            all
        }
        CreateAggregateArgs::Star | CreateAggregateArgs::Legacy => Vec::new(),
    };
    let ordered_set = matches!(create.args, CreateAggregateArgs::OrderedSet { .. });
    let body = aggregate_body(replay, &create.options, ordered_set);
    let function = Function {
        name: qn.name.clone(),
        kind: FunctionKind::Aggregate,
        arguments,
        returns: None,
        language: "internal".to_owned(),
        body,
        attributes: Vec::new(),
        comment: None,
        privileges: Vec::new(),
    };
    insert_function(replay, qn, function, create.or_replace, false, loc)
}

/// An aggregate's option list in the form `pg_dump` writes it (the catalog's order,
/// defaults left out, types canonical, routines by their qualified name), so that
/// the order and spelling of the SQL do not matter and the live inspector, which
/// writes the options from `pg_aggregate`, reads back the same body.
fn aggregate_body(
    replay: &Replay,
    options: &[ast::CreateAggregateOption],
    ordered_set: bool,
) -> String {
    use ast::{AggregateModifyKind, CreateAggregateOption as O};
    let default_modify = if ordered_set {
        AggregateModifyKind::ReadWrite
    } else {
        AggregateModifyKind::ReadOnly
    };
    let routine = |name: &ObjectName| routine_reference(replay, name);
    let ty = |t: &ast::DataType| type_or_other(replay, t).to_string();
    let condition = |v: &ast::ValueWithSpan| {
        let text = super::value_text(&v.value).unwrap_or_else(|| v.value.to_string());
        format!("'{}'", text.replace('\'', "''"))
    };
    let mut parts: Vec<(u8, String)> = Vec::new();
    for option in options {
        let part = match option {
            O::StateTransitionFunction(f) => (0, format!("SFUNC = {}", routine(f))),
            O::StateDataType(t) => (1, format!("STYPE = {}", ty(t))),
            O::StateDataSize(0) | O::MovingStateDataSize(0) => continue,
            O::StateDataSize(n) => (2, format!("SSPACE = {n}")),
            O::FinalFunction(f) => (3, format!("FINALFUNC = {}", routine(f))),
            O::FinalFunctionExtra => (4, "FINALFUNC_EXTRA".to_owned()),
            O::FinalFunctionModify(kind) if *kind == default_modify => continue,
            O::FinalFunctionModify(kind) => (5, format!("FINALFUNC_MODIFY = {kind}")),
            O::CombineFunction(f) => (6, format!("COMBINEFUNC = {}", routine(f))),
            O::SerialFunction(f) => (7, format!("SERIALFUNC = {}", routine(f))),
            O::DeserialFunction(f) => (8, format!("DESERIALFUNC = {}", routine(f))),
            O::InitialCondition(v) => (9, format!("INITCOND = {}", condition(v))),
            O::MovingStateTransitionFunction(f) => (10, format!("MSFUNC = {}", routine(f))),
            O::MovingInverseTransitionFunction(f) => (11, format!("MINVFUNC = {}", routine(f))),
            O::MovingStateDataType(t) => (12, format!("MSTYPE = {}", ty(t))),
            O::MovingStateDataSize(n) => (13, format!("MSSPACE = {n}")),
            O::MovingFinalFunction(f) => (14, format!("MFINALFUNC = {}", routine(f))),
            O::MovingFinalFunctionExtra => (15, "MFINALFUNC_EXTRA".to_owned()),
            O::MovingFinalFunctionModify(kind) if *kind == default_modify => continue,
            O::MovingFinalFunctionModify(kind) => (16, format!("MFINALFUNC_MODIFY = {kind}")),
            O::MovingInitialCondition(v) => (17, format!("MINITCOND = {}", condition(v))),
            O::SortOperator(op) => (18, format!("SORTOP = {op}")),
            O::Parallel(FunctionParallel::Unsafe) => continue,
            O::Parallel(p) => (19, format!("PARALLEL = {}", parallel_word(p))),
            O::Hypothetical => (20, "HYPOTHETICAL".to_owned()),
            O::BaseType(t) => (21, format!("BASETYPE = {}", ty(t))),
        };
        parts.push(part);
    }
    parts.sort_by_key(|(order, _)| *order);
    let parts: Vec<String> = parts.into_iter().map(|(_, text)| text).collect();
    format!("({})", parts.join(", "))
}

fn parallel_word(parallel: &FunctionParallel) -> &'static str {
    match parallel {
        FunctionParallel::Safe => "safe",
        FunctionParallel::Restricted => "restricted",
        FunctionParallel::Unsafe => "unsafe",
    }
}

/// A routine named in another object's definition, as the catalog resolves it: the
/// realm's own routines by their qualified name, the server's (`pg_catalog`) by their
/// bare name.
pub(crate) fn routine_reference(replay: &Replay, name: &ObjectName) -> String {
    let parts = replay.name_parts(name);
    match parts.as_slice() {
        [schema, name] if schema == "pg_catalog" => name.clone(),
        [schema, name] => QualifiedName::new(schema.clone(), name.clone()).to_string(),
        [name] => replay
            .search_path
            .iter()
            .find(|schema| {
                replay
                    .realm
                    .schemas
                    .get(*schema)
                    .is_some_and(|s| s.functions.values().any(|f| f.name == *name))
            })
            .map(|schema| QualifiedName::new(schema.clone(), name.clone()).to_string())
            .unwrap_or_else(|| name.clone()),
        _ => name.to_string(),
    }
}

/// Finds the routine a `name[(args)]` reference means: with arguments, the one of that
/// signature; without, the only routine of that name (the database refuses an
/// ambiguous name).
pub(crate) fn resolve_routine(
    replay: &Replay,
    desc: &FunctionDesc,
    loc: &Location,
) -> Result<Option<(QualifiedName, String)>> {
    resolve_routine_parts(replay, &desc.name, desc.args.as_deref(), loc)
}

/// [`resolve_routine`] from a name and an optional argument list.
pub(crate) fn resolve_routine_parts(
    replay: &Replay,
    name: &ObjectName,
    args: Option<&[OperateFunctionArg]>,
    loc: &Location,
) -> Result<Option<(QualifiedName, String)>> {
    let wanted = args.map(|args| {
        let args = arguments(replay, args);
        (args.clone(), signature("", &args))
    });
    let qn = replay.resolve_name(name, loc, |realm, qn| {
        realm
            .schemas
            .get(&qn.schema)
            .is_some_and(|s| first_overload(s, &qn.name).is_some())
    })?;
    let Some(schema) = replay.realm.schemas.get(&qn.schema) else {
        return Ok(None);
    };
    match wanted {
        Some((_, types)) => {
            let key = format!("{}{types}", qn.name);
            Ok(schema.functions.contains_key(&key).then_some((qn, key)))
        }
        None => {
            let prefix = format!("{}(", qn.name);
            let mut overloads = schema
                .functions
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, _)| k.clone());
            let first = overloads.next();
            if overloads.next().is_some() {
                return Err(invalid(
                    loc,
                    format!("function name \"{qn}\" is not unique"),
                ));
            }
            Ok(first.map(|key| (qn, key)))
        }
    }
}

/// The key of some routine of that name, through a range lookup on the ordered map.
pub(crate) fn first_overload<'a>(schema: &'a schema_model::Schema, name: &str) -> Option<&'a str> {
    let prefix = format!("{name}(");
    schema
        .functions
        .range(prefix.clone()..)
        .next()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(k, _)| k.as_str())
}

fn function_mut<'a>(
    replay: &'a mut Replay,
    qn: &QualifiedName,
    key: &str,
) -> Option<&'a mut Function> {
    replay
        .realm
        .schemas
        .get_mut(&qn.schema)?
        .functions
        .get_mut(key)
}

pub(crate) fn alter_function(
    replay: &mut Replay,
    alter: &AlterFunction,
    loc: &Location,
) -> Result<Outcome> {
    if let AlterFunctionOperation::OwnerTo(_) = &alter.operation {
        return ignored(OWNERSHIP);
    }
    let Some((qn, key)) = resolve_routine(replay, &alter.function, loc)? else {
        return Err(does_not_exist(
            loc,
            "function",
            &super::display_name(replay, &alter.function.name),
        ));
    };
    match &alter.operation {
        AlterFunctionOperation::OwnerTo(_) => ignored(OWNERSHIP),
        AlterFunctionOperation::DependsOnExtension { .. } => {
            ignored("extension dependencies are not part of the schema model")
        }
        AlterFunctionOperation::RenameTo { new_name } => {
            let new_name = replay.ident(new_name);
            move_function(
                replay,
                &qn,
                &key,
                QualifiedName::new(qn.schema.clone(), new_name),
                loc,
            )
        }
        AlterFunctionOperation::SetSchema { schema_name } => {
            let parts = replay.name_parts(schema_name);
            let Some(schema) = parts.last().cloned() else {
                return Err(invalid(loc, "empty schema name"));
            };
            move_function(
                replay,
                &qn,
                &key,
                QualifiedName::new(schema, qn.name.clone()),
                loc,
            )
        }
        AlterFunctionOperation::Actions { actions, .. } => {
            let mut attributes = Vec::new();
            let mut resets = Vec::new();
            for action in actions {
                match action {
                    AlterFunctionAction::CalledOnNull(c) => {
                        attributes.push(called_on_null_text(c).to_owned());
                    }
                    AlterFunctionAction::Behavior(b) => {
                        attributes.push(behavior_text(b).to_owned())
                    }
                    AlterFunctionAction::Leakproof(true) => attributes.push("LEAKPROOF".to_owned()),
                    AlterFunctionAction::Leakproof(false) => {
                        attributes.push("NOT LEAKPROOF".to_owned());
                    }
                    AlterFunctionAction::Security { security, .. } => {
                        attributes.push(security_text(security).to_owned());
                    }
                    AlterFunctionAction::Parallel(p) => {
                        attributes.push(parallel_text(p).to_owned())
                    }
                    AlterFunctionAction::Cost(e) => attributes.push(format!("COST {e}")),
                    AlterFunctionAction::Rows(e) => attributes.push(format!("ROWS {e}")),
                    AlterFunctionAction::Support(f) => {
                        attributes.push(format!("SUPPORT {}", super::display_name(replay, f)));
                    }
                    AlterFunctionAction::Set(param) => {
                        let text = set_param_text(replay, param);
                        match text.strip_prefix("RESET ") {
                            Some(name) => resets.push(Some(name.to_owned())),
                            None => attributes.push(text),
                        }
                    }
                    AlterFunctionAction::Reset(ast::ResetConfig::ALL) => resets.push(None),
                    AlterFunctionAction::Reset(ast::ResetConfig::ConfigName(name)) => {
                        resets.push(Some(replay.name_parts(name).join(".").to_ascii_lowercase()));
                    }
                }
            }
            let Some(function) = function_mut(replay, &qn, &key) else {
                return Err(does_not_exist(
                    loc,
                    "function",
                    &format!("{}.{key}", qn.schema),
                ));
            };
            for attribute in attributes {
                set_attribute(function, attribute);
            }
            for reset in resets {
                match reset {
                    Some(name) => {
                        let family = format!("set {name}");
                        function
                            .attributes
                            .retain(|a| attribute_family(a) != family);
                    }
                    None => function.attributes.retain(|a| !a.starts_with("SET ")),
                }
            }
            Ok(Outcome::Applied)
        }
    }
}

fn move_function(
    replay: &mut Replay,
    qn: &QualifiedName,
    key: &str,
    to: QualifiedName,
    loc: &Location,
) -> Result<Outcome> {
    let Some(mut function) = replay
        .realm
        .schemas
        .get_mut(&qn.schema)
        .and_then(|s| s.functions.remove(key))
    else {
        return Err(does_not_exist(
            loc,
            "function",
            &format!("{}.{key}", qn.schema),
        ));
    };
    function.name = to.name.clone();
    insert_function(replay, to, function, false, false, loc)
}

pub(crate) fn drop_functions(
    replay: &mut Replay,
    descs: &[FunctionDesc],
    if_exists: bool,
    class: RoutineClass,
    loc: &Location,
) -> Result<Outcome> {
    let mut skipped = Vec::new();
    for desc in descs {
        match resolve_routine(replay, desc, loc)? {
            Some((qn, key)) => {
                if let Some(schema) = replay.realm.schemas.get_mut(&qn.schema) {
                    schema.functions.remove(&key);
                }
            }
            None if if_exists => skipped.push(desc.to_string()),
            None => {
                return Err(does_not_exist(loc, class.word(), &desc.to_string()));
            }
        }
    }
    if skipped.is_empty() {
        Ok(Outcome::Applied)
    } else {
        ignored(format!(
            "{} {} does not exist, skipping",
            class.word(),
            skipped.join(", ")
        ))
    }
}

/// A MySQL routine read from its text (sqlparser 0.64 parses only some of them, and
/// keeps none of their bodies as written).
#[derive(Debug, Clone)]
pub(crate) struct MysqlRoutine {
    pub name: ObjectName,
    pub kind: FunctionKind,
    pub params: Vec<(ArgumentMode, Ident, ast::DataType)>,
    pub params_fallback: Vec<(ArgumentMode, Ident, String)>,
    pub returns: Option<String>,
    pub attributes: Vec<String>,
    pub comment: Option<String>,
    pub body: String,
    pub if_not_exists: bool,
    pub or_replace: bool,
}

/// Applies a MySQL routine read by the fallback reader.
pub(crate) fn create_mysql_routine(
    replay: &mut Replay,
    routine: &MysqlRoutine,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(&routine.name, loc)?;
    let mut arguments: Vec<FunctionArgument> = routine
        .params
        .iter()
        .map(|(mode, name, ty)| FunctionArgument {
            name: Some(replay.ident(name)),
            mode: *mode,
            data_type: routine_type(replay, ty),
            default: None,
        })
        .collect();
    arguments.extend(
        routine
            .params_fallback
            .iter()
            .map(|(mode, name, ty)| FunctionArgument {
                name: Some(replay.ident(name)),
                mode: *mode,
                data_type: DataType::Other(ty.to_lowercase()),
                default: None,
            }),
    );
    let mut function = Function {
        name: qn.name.clone(),
        kind: routine.kind,
        arguments,
        returns: routine.returns.clone(),
        language: "sql".to_owned(),
        body: routine.body.clone(),
        attributes: Vec::new(),
        comment: routine.comment.clone(),
        privileges: Vec::new(),
    };
    for attribute in &routine.attributes {
        set_attribute(&mut function, attribute.clone());
    }
    if replay.dialect != Dialect::Mysql {
        return Err(invalid(loc, "not a MySQL routine"));
    }
    insert_function(
        replay,
        qn,
        function,
        routine.or_replace,
        routine.if_not_exists,
        loc,
    )
}

/// Reads a MySQL routine's characteristics and body from its tokens, from just after
/// the parameter list (or `RETURNS type`). Returns the characteristics in canonical
/// form, the comment and the byte offset where the body starts.
pub(crate) fn mysql_characteristics(tokens: &mut Tokens<'_>) -> (Vec<String>, Option<String>) {
    let mut attributes = Vec::new();
    let mut comment = None;
    loop {
        if tokens.kw("COMMENT") {
            comment = tokens.string();
        } else if tokens.kws(&["LANGUAGE", "SQL"]) {
        } else if tokens.kws(&["NOT", "DETERMINISTIC"]) {
            attributes.push("NOT DETERMINISTIC".to_owned());
        } else if tokens.kw("DETERMINISTIC") {
            attributes.push("DETERMINISTIC".to_owned());
        } else if tokens.kws(&["CONTAINS", "SQL"]) {
            attributes.push("CONTAINS SQL".to_owned());
        } else if tokens.kws(&["NO", "SQL"]) {
            attributes.push("NO SQL".to_owned());
        } else if tokens.kws(&["READS", "SQL", "DATA"]) {
            attributes.push("READS SQL DATA".to_owned());
        } else if tokens.kws(&["MODIFIES", "SQL", "DATA"]) {
            attributes.push("MODIFIES SQL DATA".to_owned());
        } else if tokens.kws(&["SQL", "SECURITY", "DEFINER"]) {
            attributes.push("SQL SECURITY DEFINER".to_owned());
        } else if tokens.kws(&["SQL", "SECURITY", "INVOKER"]) {
            attributes.push("SQL SECURITY INVOKER".to_owned());
        } else {
            break;
        }
    }
    (attributes, comment)
}
