//! MySQL and MariaDB rules: type spellings, the names MariaDB 10.11 gives unnamed keys
//! and constraints, and defaults as `information_schema.COLUMNS.COLUMN_DEFAULT` shows
//! them in MariaDB 10.11.
//!
//! Names of unnamed objects (MariaDB 10.11; where MySQL 8 differs, it says so):
//!
//! - the primary key is always `PRIMARY`, whatever `CONSTRAINT name` says;
//! - an unnamed `UNIQUE`, `KEY`, `INDEX`, `FULLTEXT` or `SPATIAL` key is named after
//!   its first column, then `<col>_2`, `<col>_3`, ... while taken. `UNIQUE` constraints
//!   are unique indexes: they live in `Table::indexes` with `unique`, never in
//!   `Table::uniques`;
//! - an unnamed foreign key is `<table>_ibfk_<n>`, the smallest n from 1 not taken;
//! - a foreign key whose columns no index (or the primary key) starts with gets an
//!   index, created after the whole `CREATE TABLE` is read: named by `FOREIGN KEY
//!   index_name (...)` or the constraint's name when given, else after its first
//!   column. Live inspection sees it, so the model keeps it;
//! - an unnamed column-level `CHECK` is named after its column; a table-level one
//!   `CONSTRAINT_<n>` (MySQL 8: `<table>_chk_<n>` for both);
//! - `MODIFY` / `CHANGE` replace a column's definition whole, its column-level `CHECK`
//!   included.
//!
//! Defaults: MariaDB quotes string defaults (`'abc'`) and writes
//! `current_timestamp()`; MySQL 8 shows `abc` and `CURRENT_TIMESTAMP`.

use super::Replay;
use schema_model::DataType;
use sqlparser::ast::{
    self, CharacterLength, EnumMember, ExactNumberInfo, Expr, Ident, TimezoneInfo, Value,
};

/// MySQL keeps identifiers as written (table-name case sensitivity depends on the
/// server's file system and `lower_case_table_names`; the model keeps the spelling).
pub(crate) fn fold_ident(ident: &Ident) -> String {
    ident.value.clone()
}

fn small(n: u64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("type modifier {n} is out of range"))
}

fn length(len: &Option<CharacterLength>) -> Result<Option<u32>, String> {
    match len {
        None => Ok(None),
        Some(CharacterLength::IntegerLength { length, .. }) => small(*length).map(Some),
        Some(CharacterLength::Max) => Err("length MAX is not MySQL".to_owned()),
    }
}

/// MySQL fractional-second precision: 0 is the default and is dropped.
fn fsp(p: &Option<u64>) -> Result<Option<u32>, String> {
    Ok(match p {
        None | Some(0) => None,
        Some(p) => Some(small(*p)?),
    })
}

/// `decimal` alone is `decimal(10,0)`; `decimal(p)` is `decimal(p,0)`.
fn decimal(info: &ExactNumberInfo) -> Result<DataType, String> {
    let (precision, scale) = match info {
        ExactNumberInfo::None => (10, 0),
        ExactNumberInfo::Precision(p) => (small(*p)?, 0),
        ExactNumberInfo::PrecisionAndScale(p, s) => (
            small(*p)?,
            u32::try_from(*s).map_err(|_| format!("decimal scale {s} is out of range"))?,
        ),
    };
    Ok(DataType::Numeric {
        precision: Some(precision),
        scale: Some(scale),
    })
}

/// `float` is 4 bytes, `float(p)` with p > 24 is a double.
fn float(info: &ExactNumberInfo) -> DataType {
    match info {
        ExactNumberInfo::Precision(p) if *p > 24 => DataType::Double,
        _ => DataType::Real,
    }
}

/// A MySQL column type in canonical form, and whether it is `UNSIGNED`.
///
/// Integer display widths are dropped (`int(11)` is `integer`), except that
/// `tinyint(1)` is the boolean type. `ZEROFILL` implies `UNSIGNED` and is otherwise not
/// kept. `json` is [`DataType::Json`] although MariaDB stores it as `longtext` with a
/// `json_valid` check: live inspection of MariaDB has to map it back. `real` is a
/// double (unless the `REAL_AS_FLOAT` SQL mode is set, which the loader does not
/// model).
pub(crate) fn data_type(ty: &ast::DataType) -> Result<(DataType, bool), String> {
    use ast::DataType as A;
    let signed = |t: DataType| Ok((t, false));
    let unsigned = |t: DataType| Ok((t, true));
    match ty {
        A::TinyInt(Some(1)) => signed(DataType::Boolean),
        A::Bool | A::Boolean => signed(DataType::Boolean),
        A::TinyInt(_) => signed(DataType::TinyInt),
        A::TinyIntUnsigned(_) | A::UTinyInt => unsigned(DataType::TinyInt),
        A::SmallInt(_) | A::Int2(_) => signed(DataType::SmallInt),
        A::SmallIntUnsigned(_) | A::Int2Unsigned(_) | A::USmallInt => unsigned(DataType::SmallInt),
        A::MediumInt(_) => signed(DataType::MediumInt),
        A::MediumIntUnsigned(_) => unsigned(DataType::MediumInt),
        A::Int(_) | A::Integer(_) | A::Int4(_) | A::Signed | A::SignedInteger => {
            signed(DataType::Integer)
        }
        A::IntUnsigned(_)
        | A::IntegerUnsigned(_)
        | A::Int4Unsigned(_)
        | A::Unsigned
        | A::UnsignedInteger => unsigned(DataType::Integer),
        A::BigInt(_) | A::Int8(_) => signed(DataType::BigInt),
        A::BigIntUnsigned(_) | A::Int8Unsigned(_) | A::UBigInt => unsigned(DataType::BigInt),
        A::Decimal(info) | A::Numeric(info) | A::Dec(info) => signed(decimal(info)?),
        A::DecimalUnsigned(info) | A::DecUnsigned(info) => unsigned(decimal(info)?),
        A::Float(info) => signed(float(info)),
        A::FloatUnsigned(info) => unsigned(float(info)),
        A::Float4 => signed(DataType::Real),
        A::Double(_) | A::DoublePrecision | A::Real | A::Float8 => signed(DataType::Double),
        A::DoubleUnsigned(_) | A::DoublePrecisionUnsigned | A::RealUnsigned => {
            unsigned(DataType::Double)
        }
        A::Zerofill(inner) => data_type(inner).map(|(t, _)| (t, true)),
        A::Char(len) | A::Character(len) => signed(DataType::Char(length(len)?.unwrap_or(1))),
        A::Varchar(len) | A::CharacterVarying(len) | A::CharVarying(len) | A::Nvarchar(len) => {
            signed(DataType::Varchar(length(len)?))
        }
        A::Text => signed(DataType::Text),
        A::TinyText => signed(DataType::TinyText),
        A::MediumText => signed(DataType::MediumText),
        A::LongText => signed(DataType::LongText),
        A::Blob(_) => signed(DataType::Blob),
        A::TinyBlob => signed(DataType::TinyBlob),
        A::MediumBlob => signed(DataType::MediumBlob),
        A::LongBlob => signed(DataType::LongBlob),
        A::Binary(n) => signed(DataType::Binary(n.map(small).transpose()?.unwrap_or(1))),
        A::Varbinary(len) => match len {
            Some(ast::BinaryLength::IntegerLength { length }) => {
                signed(DataType::Varbinary(small(*length)?))
            }
            _ => Err("varbinary needs a length".to_owned()),
        },
        A::Bit(n) => signed(DataType::Bit(n.map(small).transpose()?.unwrap_or(1))),
        A::Date => signed(DataType::Date),
        A::Datetime(p) => signed(DataType::Datetime(fsp(p)?)),
        A::Timestamp(p, _) => signed(DataType::Timestamp {
            precision: fsp(p)?,
            with_time_zone: false,
        }),
        A::Time(p, tz) => signed(DataType::Time {
            precision: fsp(p)?,
            with_time_zone: matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz),
        }),
        A::JSON => signed(DataType::Json),
        A::Uuid => signed(DataType::Uuid),
        A::Enum(members, _) => signed(DataType::Enum(
            members
                .iter()
                .map(|m| match m {
                    EnumMember::Name(name) | EnumMember::NamedValue(name, _) => name.clone(),
                })
                .collect(),
        )),
        A::Set(values) => signed(DataType::Set(values.clone())),
        A::Collate(inner, _) => data_type(inner),
        A::GeometricType(kind) => signed(DataType::Other(kind.to_string().to_lowercase())),
        A::Custom(name, modifiers) => {
            let base = name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.to_ascii_lowercase())
                .unwrap_or_default();
            match (base.as_str(), modifiers.as_slice()) {
                ("year", _) => signed(DataType::Year),
                // MySQL's SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE; the
                // table handler adds the rest.
                ("serial", []) => unsigned(DataType::BigInt),
                ("long", []) => signed(DataType::MediumText),
                _ => {
                    let mut text = base;
                    if !modifiers.is_empty() {
                        let args: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
                        text = format!("{text}({})", args.join(",")).to_lowercase();
                    }
                    signed(DataType::Other(text))
                }
            }
        }
        A::Unspecified => Err("a column type is required".to_owned()),
        other => Err(format!("type {other} is not a MySQL type")),
    }
}

fn is_numeric(ty: &DataType) -> bool {
    ty.is_integer()
        || matches!(
            ty,
            DataType::Numeric { .. } | DataType::Real | DataType::Double | DataType::Boolean
        )
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn strip_nested(mut expr: &Expr) -> &Expr {
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

/// Whether an expression is `CURRENT_TIMESTAMP` in one of its spellings (`now()`,
/// `CURRENT_TIMESTAMP[(p)]`, `LOCALTIMESTAMP`, `LOCALTIME`); returns the precision
/// argument if one is given.
fn current_timestamp(expr: &Expr) -> Option<Option<String>> {
    let Expr::Function(function) = expr else {
        return None;
    };
    let name = function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())?
        .value
        .to_ascii_lowercase();
    if !matches!(
        name.as_str(),
        "now" | "current_timestamp" | "localtimestamp" | "localtime"
    ) {
        return None;
    }
    match &function.args {
        ast::FunctionArguments::None => Some(None),
        ast::FunctionArguments::List(list) => match list.args.as_slice() {
            [] => Some(None),
            [ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(arg))] => {
                Some(Some(arg.to_string()))
            }
            _ => None,
        },
        ast::FunctionArguments::Subquery(_) => None,
    }
}

/// A default (or `ON UPDATE`) expression as MariaDB 10.11's `COLUMN_DEFAULT` shows it:
/// string literals quoted (`'abc'`), numbers as written (a quoted number on a numeric
/// column unquoted), `current_timestamp()` for every spelling of the current time,
/// `TRUE`/`FALSE` as `1`/`0`; `None` for `DEFAULT NULL`. MySQL 8 shows string defaults
/// unquoted and `CURRENT_TIMESTAMP` in uppercase.
pub(crate) fn default_expr(replay: &Replay, value: &Expr, ty: &DataType) -> Option<String> {
    let value = strip_nested(value);
    if let Some(precision) = current_timestamp(value) {
        return Some(match precision {
            Some(p) if p != "0" => format!("current_timestamp({p})"),
            _ => "current_timestamp()".to_owned(),
        });
    }
    match value {
        Expr::Value(v) => match &v.value {
            Value::Null => None,
            Value::Boolean(b) => Some(if *b { "1" } else { "0" }.to_owned()),
            Value::Number(n, _) => Some(n.clone()),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                if is_numeric(ty) && s.trim().parse::<f64>().is_ok() {
                    Some(s.trim().to_owned())
                } else {
                    Some(quote(s))
                }
            }
            _ => Some(replay.expr(value)),
        },
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr: inner,
        } => match strip_nested(inner) {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => Some(format!("-{n}")),
                _ => Some(replay.expr(value)),
            },
            _ => Some(replay.expr(value)),
        },
        _ => Some(replay.expr(value)),
    }
}

/// The name MariaDB gives an unnamed key: its first column, then `<col>_2`, `<col>_3`
/// while taken.
pub(crate) fn choose_key_name(first_column: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(first_column) && !first_column.eq_ignore_ascii_case("PRIMARY") {
        return first_column.to_owned();
    }
    let mut n = 2u32;
    loop {
        let candidate = format!("{first_column}_{n}");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}
