//! PostgreSQL rules: identifier folding, type spellings, the names PostgreSQL 15 gives
//! unnamed objects, and default expressions as `pg_get_expr` prints them.
//!
//! Names of unnamed objects (`makeObjectName` / `ChooseRelationName` /
//! `ChooseConstraintName`): primary key `<table>_pkey`; unique `<table>_<cols>_key`;
//! foreign key `<table>_<cols>_fkey`; check `<table>_<col>_check` when the expression
//! names exactly one column of the table, else `<table>_check`; exclusion
//! `<table>_<cols>_excl`; index `<table>_<cols>_idx`, where an expression contributes
//! its function's name or `expr`; serial sequence `<table>_<col>_seq`. Column names are
//! joined by `_`. The whole is cut to 63 bytes by shortening the longer of the table
//! and column parts first, at a character boundary. A name already taken in the
//! schema (by a relation, an index or a constraint) gets `1`, `2`, ... after the label
//! (`t_a_key1`).

use super::Replay;
use super::expr;
use super::literals;
use schema_model::{DataType, Dialect, QualifiedName};
use sqlparser::ast::{
    self, ArrayElemTypeDef, CharacterLength, ExactNumberInfo, Expr, Ident, IntervalFields,
    ObjectName, TimezoneInfo, TypeModifier, Value,
};

/// PostgreSQL's `NAMEDATALEN - 1`: the longest identifier, in bytes.
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 63;

/// The comment `initdb` gives the `public` schema (PostgreSQL 15).
pub(crate) const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

/// The comment an extension's control file gives it, which `CREATE EXTENSION` sets and
/// the model, like the live inspector, does not count as a comment (the SQL did not
/// write it). From `pg_available_extensions` of PostgreSQL 15 with its contrib modules
/// and PostGIS 3.
const EXTENSION_COMMENTS: &[(&str, &str)] = &[
    (
        "address_standardizer",
        "Used to parse an address into constituent elements. Generally used to support geocoding address normalization step.",
    ),
    (
        "address_standardizer_data_us",
        "Address Standardizer US dataset example",
    ),
    ("adminpack", "administrative functions for PostgreSQL"),
    ("amcheck", "functions for verifying relation integrity"),
    ("autoinc", "functions for autoincrementing fields"),
    ("bloom", "bloom access method - signature file based index"),
    ("btree_gin", "support for indexing common datatypes in GIN"),
    (
        "btree_gist",
        "support for indexing common datatypes in GiST",
    ),
    ("citext", "data type for case-insensitive character strings"),
    ("cube", "data type for multidimensional cubes"),
    (
        "dblink",
        "connect to other PostgreSQL databases from within a database",
    ),
    ("dict_int", "text search dictionary template for integers"),
    (
        "dict_xsyn",
        "text search dictionary template for extended synonym processing",
    ),
    (
        "earthdistance",
        "calculate great-circle distances on the surface of the Earth",
    ),
    ("file_fdw", "foreign-data wrapper for flat file access"),
    (
        "fuzzystrmatch",
        "determine similarities and distance between strings",
    ),
    ("hstore", "data type for storing sets of (key, value) pairs"),
    (
        "insert_username",
        "functions for tracking who changed a table",
    ),
    ("intagg", "integer aggregator and enumerator (obsolete)"),
    (
        "intarray",
        "functions, operators, and index support for 1-D arrays of integers",
    ),
    (
        "isn",
        "data types for international product numbering standards",
    ),
    ("lo", "Large Object maintenance"),
    ("ltree", "data type for hierarchical tree-like structures"),
    (
        "moddatetime",
        "functions for tracking last modification time",
    ),
    (
        "old_snapshot",
        "utilities in support of old_snapshot_threshold",
    ),
    (
        "pageinspect",
        "inspect the contents of database pages at a low level",
    ),
    ("pg_buffercache", "examine the shared buffer cache"),
    ("pg_freespacemap", "examine the free space map (FSM)"),
    (
        "pg_partman",
        "Extension to manage partitioned tables by time or ID",
    ),
    ("pg_prewarm", "prewarm relation data"),
    (
        "pg_stat_statements",
        "track planning and execution statistics of all SQL statements executed",
    ),
    (
        "pg_surgery",
        "extension to perform surgery on a damaged relation",
    ),
    (
        "pg_trgm",
        "text similarity measurement and index searching based on trigrams",
    ),
    (
        "pg_visibility",
        "examine the visibility map (VM) and page-level visibility info",
    ),
    (
        "pg_walinspect",
        "functions to inspect contents of PostgreSQL Write-Ahead Log",
    ),
    ("pgcrypto", "cryptographic functions"),
    ("pgrowlocks", "show row-level locking information"),
    ("pgstattuple", "show tuple-level statistics"),
    (
        "postgis",
        "PostGIS geometry and geography spatial types and functions",
    ),
    ("postgis_raster", "PostGIS raster types and functions"),
    ("postgis_sfcgal", "PostGIS SFCGAL functions"),
    (
        "postgis_tiger_geocoder",
        "PostGIS tiger geocoder and reverse geocoder",
    ),
    (
        "postgis_topology",
        "PostGIS topology spatial types and functions",
    ),
    (
        "postgres_fdw",
        "foreign-data wrapper for remote PostgreSQL servers",
    ),
    (
        "refint",
        "functions for implementing referential integrity (obsolete)",
    ),
    (
        "seg",
        "data type for representing line segments or floating-point intervals",
    ),
    ("sslinfo", "information about SSL certificates"),
    (
        "tablefunc",
        "functions that manipulate whole tables, including crosstab",
    ),
    ("tcn", "Triggered change notifications"),
    (
        "tsm_system_rows",
        "TABLESAMPLE method which accepts number of rows as a limit",
    ),
    (
        "tsm_system_time",
        "TABLESAMPLE method which accepts time in milliseconds as a limit",
    ),
    ("unaccent", "text search dictionary that removes accents"),
    (
        "uuid-ossp",
        "generate universally unique identifiers (UUIDs)",
    ),
    ("xml2", "XPath querying and XSLT"),
];

/// The comment `CREATE EXTENSION name` sets by itself, for the extensions the model
/// knows.
pub(crate) fn extension_default_comment(name: &str) -> Option<&'static str> {
    EXTENSION_COMMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, comment)| *comment)
}

/// The trigger functions `pg_catalog` holds (PostgreSQL 15: `pg_proc` rows returning
/// `trigger`).
pub(crate) const BUILTIN_TRIGGER_FUNCTIONS: &[&str] = &[
    "RI_FKey_cascade_del",
    "RI_FKey_cascade_upd",
    "RI_FKey_check_ins",
    "RI_FKey_check_upd",
    "RI_FKey_noaction_del",
    "RI_FKey_noaction_upd",
    "RI_FKey_restrict_del",
    "RI_FKey_restrict_upd",
    "RI_FKey_setdefault_del",
    "RI_FKey_setdefault_upd",
    "RI_FKey_setnull_del",
    "RI_FKey_setnull_upd",
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
    "unique_key_recheck",
];

/// Unquoted identifiers fold to lowercase; quoted ones keep their case. Either is cut
/// to 63 bytes at a character boundary, as the server's scanner does (with a NOTICE)
/// before anything else sees the name, so a long name and its truncation are one name.
pub(crate) fn fold_ident(ident: &Ident) -> String {
    let folded = if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    };
    truncate_identifier(folded)
}

/// An identifier cut to [`MAX_IDENTIFIER_BYTES`] as `truncate_identifier` does.
pub(crate) fn truncate_identifier(mut name: String) -> String {
    if name.len() > MAX_IDENTIFIER_BYTES {
        let keep = clip(&name, MAX_IDENTIFIER_BYTES).len();
        name.truncate(keep);
    }
    name
}

/// The integer type a `serial` spelling stands for.
pub(crate) fn serial_type(ty: &ast::DataType) -> Option<DataType> {
    let ast::DataType::Custom(name, modifiers) = ty else {
        return None;
    };
    if !modifiers.is_empty() {
        return None;
    }
    let [part] = name.0.as_slice() else {
        return None;
    };
    let ident = part.as_ident()?;
    match ident.value.to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some(DataType::Integer),
        "bigserial" | "serial8" => Some(DataType::BigInt),
        "smallserial" | "serial2" => Some(DataType::SmallInt),
        _ => None,
    }
}

fn length(len: &Option<CharacterLength>) -> Result<Option<u32>, String> {
    match len {
        None => Ok(None),
        Some(CharacterLength::IntegerLength { length, .. }) => u32::try_from(*length)
            .map(Some)
            .map_err(|_| format!("type length {length} is out of range")),
        Some(CharacterLength::Max) => Err("length MAX is not PostgreSQL".to_owned()),
    }
}

fn small(n: u64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("type modifier {n} is out of range"))
}

fn opt_small(n: &Option<u64>) -> Result<Option<u32>, String> {
    n.map(small).transpose()
}

fn numeric(info: &ExactNumberInfo) -> Result<DataType, String> {
    Ok(match info {
        ExactNumberInfo::None => DataType::NUMERIC,
        // `numeric(p)` is `numeric(p,0)`: PostgreSQL stores the scale as zero.
        ExactNumberInfo::Precision(p) => DataType::Numeric {
            precision: Some(small(*p)?),
            scale: Some(0),
        },
        ExactNumberInfo::PrecisionAndScale(p, s) => DataType::Numeric {
            precision: Some(small(*p)?),
            scale: Some(
                u32::try_from(*s).map_err(|_| format!("numeric scale {s} is not supported"))?,
            ),
        },
    })
}

fn interval_fields(fields: &IntervalFields) -> &'static str {
    match fields {
        IntervalFields::Year => "year",
        IntervalFields::Month => "month",
        IntervalFields::Day => "day",
        IntervalFields::Hour => "hour",
        IntervalFields::Minute => "minute",
        IntervalFields::Second => "second",
        IntervalFields::YearToMonth => "year to month",
        IntervalFields::DayToHour => "day to hour",
        IntervalFields::DayToMinute => "day to minute",
        IntervalFields::DayToSecond => "day to second",
        IntervalFields::HourToMinute => "hour to minute",
        IntervalFields::HourToSecond => "hour to second",
        IntervalFields::MinuteToSecond => "minute to second",
    }
}

/// A PostgreSQL column type in canonical form.
pub(crate) fn data_type(replay: &Replay, ty: &ast::DataType) -> Result<DataType, String> {
    use ast::DataType as A;
    Ok(match ty {
        A::Int(_) | A::Int4(_) | A::Integer(_) | A::IntUnsigned(_) | A::Int4Unsigned(_) => {
            DataType::Integer
        }
        A::Int2(_) | A::SmallInt(_) => DataType::SmallInt,
        A::Int8(_) | A::BigInt(_) => DataType::BigInt,
        A::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => DataType::Real,
        A::Float(_) | A::Float8 | A::Double(_) | A::DoublePrecision | A::Float64 => {
            DataType::Double
        }
        A::Float4 | A::Real | A::Float32 => DataType::Real,
        A::Numeric(info) | A::Decimal(info) | A::Dec(info) => numeric(info)?,
        A::Varchar(len) | A::CharacterVarying(len) | A::CharVarying(len) | A::Nvarchar(len) => {
            DataType::Varchar(length(len)?)
        }
        A::Char(len) | A::Character(len) => DataType::Char(length(len)?.unwrap_or(1)),
        A::Text | A::String(None) => DataType::Text,
        A::Bool | A::Boolean => DataType::Boolean,
        A::Bytea => DataType::Bytea,
        A::Timestamp(p, tz) => DataType::Timestamp {
            precision: opt_small(p)?,
            with_time_zone: matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz),
        },
        A::Time(p, tz) => DataType::Time {
            precision: opt_small(p)?,
            with_time_zone: matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz),
        },
        A::Interval { fields, precision } => DataType::Interval {
            fields: fields.as_ref().map(|f| interval_fields(f).to_owned()),
            precision: opt_small(precision)?,
        },
        A::Date => DataType::Date,
        A::Uuid => DataType::Uuid,
        A::JSON => DataType::Json,
        A::JSONB => DataType::Jsonb,
        A::TsVector => DataType::Tsvector,
        A::TsQuery => DataType::Tsquery,
        A::Bit(n) => DataType::Bit(opt_small(n)?.unwrap_or(1)),
        A::BitVarying(n) | A::VarBit(n) => DataType::VarBit(opt_small(n)?),
        A::Regclass => DataType::Other("regclass".to_owned()),
        A::Trigger => DataType::Other("trigger".to_owned()),
        A::GeometricType(kind) => DataType::Other(kind.to_string().to_lowercase()),
        A::Collate(inner, _) => data_type(replay, inner)?,
        A::Array(element) => {
            let inner = match element {
                ArrayElemTypeDef::AngleBracket(t)
                | ArrayElemTypeDef::SquareBracket(t, _)
                | ArrayElemTypeDef::Parenthesis(t)
                | ArrayElemTypeDef::ParenthesisNotNull(t)
                | ArrayElemTypeDef::Qualified(t, _) => data_type(replay, t)?,
                ArrayElemTypeDef::None => return Err("array without element type".to_owned()),
            };
            // PostgreSQL does not enforce dimensions: `int[][]` is `integer[]`.
            match inner {
                DataType::Array(_) => inner,
                other => DataType::Array(Box::new(other)),
            }
        }
        A::Custom(name, modifiers) => custom(replay, name, modifiers)?,
        A::Unspecified => return Err("a column type is required".to_owned()),
        other => {
            return Err(format!("type {other} is not a PostgreSQL type"));
        }
    })
}

fn modifier_text(modifier: &TypeModifier) -> String {
    match modifier {
        TypeModifier::Identifier(ident) => fold_ident(ident),
        TypeModifier::Number(n, _) => n.clone(),
        TypeModifier::String(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

fn one_modifier(modifiers: &[TypeModifier]) -> Option<Option<u32>> {
    match modifiers {
        [] => Some(None),
        [TypeModifier::Number(n, _)] => n.parse().ok().map(Some),
        _ => None,
    }
}

/// Core type names that sqlparser leaves as custom names.
fn builtin(name: &str, modifiers: &[TypeModifier]) -> Option<DataType> {
    let none = modifiers.is_empty();
    let no = |t: DataType| none.then_some(t);
    match name {
        "int" | "int4" | "integer" => no(DataType::Integer),
        "int2" | "smallint" => no(DataType::SmallInt),
        "int8" | "bigint" => no(DataType::BigInt),
        "float4" | "real" => no(DataType::Real),
        "float8" => no(DataType::Double),
        "bool" | "boolean" => no(DataType::Boolean),
        "text" => no(DataType::Text),
        "varchar" => one_modifier(modifiers).map(DataType::Varchar),
        "bpchar" if !none => one_modifier(modifiers).flatten().map(DataType::Char),
        "money" => no(DataType::Money),
        "inet" => no(DataType::Inet),
        "cidr" => no(DataType::Cidr),
        "macaddr" => no(DataType::Macaddr),
        "macaddr8" => no(DataType::Macaddr8),
        "xml" => no(DataType::Xml),
        "uuid" => no(DataType::Uuid),
        "json" => no(DataType::Json),
        "jsonb" => no(DataType::Jsonb),
        "bytea" => no(DataType::Bytea),
        "date" => no(DataType::Date),
        "tsvector" => no(DataType::Tsvector),
        "tsquery" => no(DataType::Tsquery),
        "timestamptz" => one_modifier(modifiers).map(|precision| DataType::Timestamp {
            precision,
            with_time_zone: true,
        }),
        "timetz" => one_modifier(modifiers).map(|precision| DataType::Time {
            precision,
            with_time_zone: true,
        }),
        "varbit" => one_modifier(modifiers).map(DataType::VarBit),
        "vector" => one_modifier(modifiers).map(DataType::Vector),
        "halfvec" => one_modifier(modifiers).map(DataType::HalfVec),
        "sparsevec" => one_modifier(modifiers).map(DataType::SparseVec),
        _ => None,
    }
}

fn custom(
    replay: &Replay,
    name: &ObjectName,
    modifiers: &[TypeModifier],
) -> Result<DataType, String> {
    let quoted_char = matches!(
        name.0.as_slice(),
        [part] if part.as_ident().is_some_and(|i| i.quote_style.is_some() && i.value == "char")
    );
    if quoted_char {
        return Ok(DataType::Other("\"char\"".to_owned()));
    }
    let parts = replay.name_parts(name);
    let (schema, base) = match parts.as_slice() {
        [base] => (None, base.as_str()),
        [.., schema, base] => (Some(schema.as_str()), base.as_str()),
        [] => return Err("empty type name".to_owned()),
    };
    if (schema.is_none() || schema == Some("pg_catalog"))
        && let Some(known) = builtin(base, modifiers)
    {
        return Ok(known);
    }
    if modifiers.is_empty() {
        if let Some(schema) = schema {
            if schema != "pg_catalog" {
                return Ok(DataType::UserDefined(QualifiedName::new(schema, base)));
            }
        } else {
            for candidate in &replay.search_path {
                let exists = replay
                    .realm
                    .schemas
                    .get(candidate)
                    .is_some_and(|s| s.types.contains_key(base));
                if exists {
                    return Ok(DataType::UserDefined(QualifiedName::new(
                        candidate.clone(),
                        base,
                    )));
                }
            }
        }
    }
    let mut text = base.to_owned();
    if !modifiers.is_empty() {
        let args: Vec<String> = modifiers.iter().map(modifier_text).collect();
        text = format!("{text}({})", args.join(",").to_lowercase());
    }
    Ok(DataType::Other(text))
}

/// A type as PostgreSQL's `format_type` writes it. With `typmod`, lengths and
/// precisions are included (as in a column definition or an explicit cast); without,
/// as a constant's type label prints (`'x'::character varying`, `'a'::bpchar`).
pub(crate) fn format_type(ty: &DataType, typmod: bool) -> String {
    let with = |name: &str, n: &Option<u32>| match n {
        Some(n) if typmod => format!("{name}({n})"),
        _ => name.to_owned(),
    };
    match ty {
        DataType::Integer => "integer".into(),
        DataType::SmallInt => "smallint".into(),
        DataType::BigInt => "bigint".into(),
        DataType::Real => "real".into(),
        DataType::Double => "double precision".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Numeric { precision, scale } => match (precision, scale, typmod) {
            (Some(p), Some(s), true) => format!("numeric({p},{s})"),
            (Some(p), None, true) => format!("numeric({p},0)"),
            _ => "numeric".into(),
        },
        DataType::Varchar(n) => with("character varying", n),
        DataType::Char(n) if typmod => format!("character({n})"),
        DataType::Char(_) => "bpchar".into(),
        DataType::Bit(n) if typmod => format!("bit({n})"),
        DataType::Bit(_) => "\"bit\"".into(),
        DataType::VarBit(n) => with("bit varying", n),
        DataType::Timestamp {
            precision,
            with_time_zone,
        } => {
            let base = with("timestamp", precision);
            if *with_time_zone {
                format!("{base} with time zone")
            } else {
                format!("{base} without time zone")
            }
        }
        DataType::Time {
            precision,
            with_time_zone,
        } => {
            let base = with("time", precision);
            if *with_time_zone {
                format!("{base} with time zone")
            } else {
                format!("{base} without time zone")
            }
        }
        DataType::Interval { fields, precision } => {
            let mut text = "interval".to_owned();
            if typmod {
                if let Some(fields) = fields {
                    text.push(' ');
                    text.push_str(fields);
                }
                if let Some(p) = precision {
                    text.push_str(&format!("({p})"));
                }
            }
            text
        }
        DataType::Vector(n) => with("vector", n),
        DataType::HalfVec(n) => with("halfvec", n),
        DataType::SparseVec(n) => with("sparsevec", n),
        DataType::Array(element) => format!("{}[]", format_type(element, typmod)),
        DataType::UserDefined(name) => {
            let quoted = expr::quoted(Dialect::Postgres, name.name.clone()).to_string();
            if name.schema == "public" || name.schema == "pg_catalog" {
                quoted
            } else {
                format!(
                    "{}.{quoted}",
                    expr::quoted(Dialect::Postgres, name.schema.clone())
                )
            }
        }
        other => other.to_string(),
    }
}

/// The name PostgreSQL's `makeObjectName` builds: `name1_name2_label`, with the longer
/// of `name1` / `name2` shortened first (at a character boundary) until the whole fits
/// in 63 bytes.
pub(crate) fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = String::with_capacity(MAX_IDENTIFIER_BYTES);
    out.push_str(clip(name1, n1));
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a character
/// boundary (PostgreSQL's `pg_mbcliplen`).
fn clip(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// `ChooseRelationName` / `ChooseConstraintName`: `make_object_name`, then
/// `label1`, `label2`, ... until `taken` says no.
pub(crate) fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    mut taken: impl FnMut(&str) -> bool,
) -> String {
    let mut candidate = make_object_name(name1, name2, label);
    let mut pass = 0u32;
    while taken(&candidate) {
        pass += 1;
        candidate = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    candidate
}

/// The column-name part of an index or constraint name: names joined by `_`, cut to
/// 63 bytes as `ChooseIndexNameAddition` does.
pub(crate) fn name_addition(names: &[String]) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(name);
        if out.len() >= MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    clip(&out, MAX_IDENTIFIER_BYTES).to_owned()
}

/// An identifier as `quote_ident` writes it.
pub(crate) fn quote_ident(name: &str) -> String {
    expr::quoted(Dialect::Postgres, name.to_owned()).to_string()
}

/// `nextval('<sequence>'::regclass)`: the sequence is qualified unless it lives in
/// `public` (the schema a default `search_path` shows; `pg_get_expr` qualifies names
/// that are not visible through the search path).
pub(crate) fn nextval(sequence: &QualifiedName) -> String {
    let name = if sequence.schema == "public" {
        quote_ident(&sequence.name)
    } else {
        format!(
            "{}.{}",
            quote_ident(&sequence.schema),
            quote_ident(&sequence.name)
        )
    };
    format!("nextval('{}'::regclass)", name.replace('\'', "''"))
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn string_value(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::DollarQuotedString(ast::DollarQuotedString { value: s, .. }) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn strip_nested(mut expr: &Expr) -> &Expr {
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

/// A constant of a given type, as `get_const_expr` prints it.
fn typed_constant(value: &str, ty: &DataType) -> String {
    match ty {
        DataType::Boolean => match value.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => "true".to_owned(),
            "f" | "false" | "n" | "no" | "off" | "0" => "false".to_owned(),
            _ => format!("{}::boolean", quote_literal(value)),
        },
        DataType::Integer if value.parse::<i32>().is_ok() => {
            let n = value.trim();
            if n.starts_with('-') {
                format!("'{n}'::integer")
            } else {
                n.trim_start_matches('+').to_owned()
            }
        }
        DataType::Numeric { .. } => match literals::constant(value, ty) {
            Some(n) if literals::numeric_prints_bare(&n) => n,
            Some(n) => format!("{}::numeric", quote_literal(&n)),
            None => format!("{}::numeric", quote_literal(value)),
        },
        // Interval input takes the column's modifier itself, so the constant carries
        // it and its label prints it.
        DataType::Interval { .. } => format!(
            "{}::{}",
            quote_literal(&literals::constant(value, ty).unwrap_or_else(|| value.to_owned())),
            format_type(ty, true)
        ),
        _ => format!(
            "{}::{}",
            quote_literal(&literals::constant(value, ty).unwrap_or_else(|| value.to_owned())),
            format_type(ty, false)
        ),
    }
}

/// A default that is an interval constant with a field restriction (`INTERVAL '1.5'
/// HOUR`, `'1 day'::interval day`) for an `interval` column without one: the value is
/// cut by the restriction, and the column's type relabels the constant, so its label
/// is plain `interval`.
fn relabeled_interval(replay: &Replay, value: &Expr, ty: &DataType) -> Option<String> {
    if !matches!(
        ty,
        DataType::Interval {
            fields: None,
            precision: None
        }
    ) {
        return None;
    }
    let canonical = expr::parse_expr(Dialect::Postgres, &replay.expr(value))?;
    let Expr::Cast {
        kind: ast::CastKind::DoubleColon,
        expr: inner,
        data_type: ast::DataType::Interval { .. },
        ..
    } = &canonical
    else {
        return None;
    };
    string_value(inner).map(|text| format!("{}::interval", quote_literal(text)))
}

/// A default expression as `pg_get_expr` prints it for a column of type `ty`. `None`
/// for `DEFAULT NULL`.
///
/// Rules: a string literal is a constant of the column's type (`'x'::character
/// varying`, `'x'::text`, `5` for an integer column, `true` for a boolean one); an
/// integer literal prints bare, negative ones as `'-1'::integer`; a decimal literal
/// bare, negative ones as `'-1.5'::numeric`; `nextval('s')` gets its `::regclass`; the
/// rest is the canonical expression. The literal's text is kept as written: the server
/// prints the value normalised by the type's output function (`'2020-01-01
/// 00:00:00+00'`), which a later comparison has to allow for.
pub(crate) fn default_expr(replay: &Replay, value: &Expr, ty: &DataType) -> Option<String> {
    let value = strip_nested(value);
    // A constant for a column of a domain is of the domain's underlying type, and the
    // coercion to the domain keeps even a NULL default.
    let domain_base = domain_base(replay, ty);
    let ty = domain_base.as_ref().unwrap_or(ty);
    if let Some(s) = string_value(value) {
        return Some(typed_constant(s, ty));
    }
    if let Some(relabeled) = relabeled_interval(replay, value, ty) {
        return Some(relabeled);
    }
    match value {
        Expr::Value(v) => match &v.value {
            Value::Null if domain_base.is_some() => {
                Some(format!("NULL::{}", format_type(ty, false)))
            }
            // The length coercion the server wraps around a NULL for a type with a
            // modifier keeps the default; a bare NULL constant is no default at all.
            Value::Null if has_length_coercion(ty) => {
                Some(format!("NULL::{}", format_type(ty, false)))
            }
            Value::Null => None,
            Value::Boolean(b) => Some(b.to_string()),
            Value::Number(n, _) => Some(number_constant(n, false)),
            _ => Some(replay.expr(value)),
        },
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr: inner,
        } => match strip_nested(inner) {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => Some(number_constant(n, true)),
                _ => Some(replay.expr(value)),
            },
            _ => Some(replay.expr(value)),
        },
        Expr::Cast {
            kind: ast::CastKind::DoubleColon,
            expr: inner,
            data_type,
            ..
        } if string_value(strip_nested(inner)).is_some() => {
            let s = string_value(strip_nested(inner)).unwrap_or_default();
            match replay.data_type(data_type) {
                Ok((cast, _)) if cast == *ty => Some(typed_constant(s, ty)),
                Ok((DataType::Other(name), _)) if name == "regclass" => {
                    Some(format!("{}::regclass", quote_literal(s)))
                }
                _ => Some(replay.expr(value)),
            }
        }
        Expr::TypedString(typed) => {
            match (&typed.value.value, replay.data_type(&typed.data_type)) {
                (Value::SingleQuotedString(s), Ok((label, _))) => Some(if label == *ty {
                    typed_constant(s, ty)
                } else {
                    typed_constant(s, &label)
                }),
                _ => Some(replay.expr(value)),
            }
        }
        Expr::Function(function) => {
            let is_nextval = function
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| i.value.eq_ignore_ascii_case("nextval"));
            if is_nextval
                && let ast::FunctionArguments::List(list) = &function.args
                && let [ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(arg))] =
                    list.args.as_slice()
            {
                let arg = strip_nested(arg);
                let text = match arg {
                    Expr::Cast { expr: inner, .. } => string_value(strip_nested(inner)),
                    other => string_value(other),
                };
                if let Some(text) = text {
                    return Some(nextval(&regclass_name(replay, text)));
                }
            }
            Some(replay.expr(value))
        }
        _ => Some(replay.expr(value)),
    }
}

/// The type underneath a domain of the realm (through domains over domains), or
/// `None` when `ty` is not a domain.
fn domain_base(replay: &Replay, ty: &DataType) -> Option<DataType> {
    let mut current = ty.clone();
    let mut found = None;
    // Bounded: a domain cannot be its own base, but the realm is read as written.
    for _ in 0..32 {
        let DataType::UserDefined(name) = &current else {
            break;
        };
        let Some(schema_model::TypeKind::Domain(domain)) = replay
            .realm
            .schemas
            .get(&name.schema)
            .and_then(|s| s.types.get(&name.name))
            .map(|t| &t.kind)
        else {
            break;
        };
        current = domain.base_type.clone();
        found = Some(current.clone());
    }
    found
}

/// Whether a column of this type coerces an assigned value with a length-coercion
/// function (`varchar(n)`, `numeric(p,s)`, `timestamp(p)`, `bit(n)`, `char(n)`, and
/// arrays of them). `interval` is the exception: its input takes the modifier itself.
fn has_length_coercion(ty: &DataType) -> bool {
    match ty {
        DataType::Varchar(n) | DataType::VarBit(n) => n.is_some(),
        DataType::Char(_) | DataType::Bit(_) => true,
        DataType::Numeric { precision, .. } => precision.is_some(),
        DataType::Timestamp { precision, .. } | DataType::Time { precision, .. } => {
            precision.is_some()
        }
        DataType::Array(element) => has_length_coercion(element),
        _ => false,
    }
}

/// A regclass literal's text (`'Public.users_id_seq'`) as the qualified name it reads
/// as: unquoted parts fold to lowercase.
pub(crate) fn regclass_name(replay: &Replay, text: &str) -> QualifiedName {
    let parts: Vec<String> = split_dotted(text)
        .into_iter()
        .map(|(part, quoted)| if quoted { part } else { part.to_lowercase() })
        .collect();
    match parts.as_slice() {
        [.., schema, name] => QualifiedName::new(schema.clone(), name.clone()),
        [name] => QualifiedName::new(replay.creation_schema(), name.clone()),
        [] => QualifiedName::new(replay.creation_schema(), String::new()),
    }
}

fn split_dotted(text: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => {
                in_quotes = !in_quotes;
                quoted = true;
            }
            '.' if !in_quotes => {
                parts.push((std::mem::take(&mut current), quoted));
                quoted = false;
            }
            c => current.push(c),
        }
    }
    parts.push((current, quoted));
    parts
}

fn number_constant(n: &str, negative: bool) -> String {
    let is_int = n.bytes().all(|b| b.is_ascii_digit());
    if is_int {
        let fits_int4 = n.parse::<i64>().is_ok_and(|v| {
            let v = if negative { -v } else { v };
            i32::try_from(v).is_ok()
        });
        match (fits_int4, negative) {
            (true, false) => n.to_owned(),
            (true, true) => format!("'-{n}'::integer"),
            (false, false) if n.parse::<i64>().is_ok() => format!("'{n}'::bigint"),
            (false, true) if n.parse::<i64>().is_ok() => format!("'-{n}'::bigint"),
            (false, false) => n.to_owned(),
            (false, true) => format!("'-{n}'::numeric"),
        }
    } else if negative {
        format!("'-{n}'::numeric")
    } else {
        n.to_owned()
    }
}

/// Spreads `VARIADIC ARRAY[a, b]` as the last argument of a call into `a, b`, in a
/// statement's tokens.
///
/// PostgreSQL stores a call to a variadic function the same way whether the SQL spread
/// the arguments or passed the array with `VARIADIC` (the parser packs spread
/// arguments into an array and marks the call variadic), and `pg_get_expr` /
/// `pg_get_viewdef` print that call with `VARIADIC ARRAY[...]`:
/// `jsonb_extract_path_text(col, 'a', 'b')` comes back as
/// `jsonb_extract_path_text(col, VARIADIC ARRAY['a'::text, 'b'::text])`. sqlparser
/// cannot parse `VARIADIC`, and the two spellings are one expression, so both loaders
/// read the spread form. An array that is not a non-empty `ARRAY[...]` constructor
/// closing the argument list (`VARIADIC arr`, `VARIADIC ARRAY[]::text[]`) is kept, and
/// the statement then fails to parse as before.
pub(crate) fn spread_variadic_arrays(tokens: &mut Vec<sqlparser::tokenizer::TokenWithSpan>) {
    use sqlparser::tokenizer::Token;
    let is_word = |token: &Token, word: &str| matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word));
    let next_significant = |tokens: &[sqlparser::tokenizer::TokenWithSpan], from: usize| {
        (from..tokens.len()).find(|&i| !matches!(tokens[i].token, Token::Whitespace(_)))
    };
    if !tokens.iter().any(|t| is_word(&t.token, "VARIADIC")) {
        return;
    }
    let mut i = 0;
    while i < tokens.len() {
        if !is_word(&tokens[i].token, "VARIADIC") {
            i += 1;
            continue;
        }
        let Some(array) = next_significant(tokens, i + 1) else {
            break;
        };
        let Some(open) = next_significant(tokens, array + 1) else {
            break;
        };
        if !is_word(&tokens[array].token, "ARRAY") || tokens[open].token != Token::LBracket {
            i += 1;
            continue;
        }
        // The `]` that closes this constructor.
        let mut depth = 0usize;
        let mut close = None;
        for (j, token) in tokens.iter().enumerate().skip(open) {
            match token.token {
                Token::LBracket => depth += 1,
                Token::RBracket => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            break;
        };
        let empty = next_significant(tokens, open + 1) == Some(close);
        let closes_call = next_significant(tokens, close + 1)
            .is_some_and(|after| tokens[after].token == Token::RParen);
        if empty || !closes_call {
            i = close + 1;
            continue;
        }
        tokens.remove(close);
        tokens.drain(i..=open);
    }
}
