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
                // MariaDB 11.7's and MySQL 9's VECTOR(n): n float32s, as pgvector's
                // vector(n), so the model holds the same type for all three.
                ("vector", [dimensions]) => match dimensions.to_string().parse() {
                    Ok(dimensions) => signed(DataType::Vector(Some(dimensions))),
                    Err(_) => Err(format!("VECTOR({dimensions}) needs a number of dimensions")),
                },
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
            Value::Number(n, _) => Some(number_for(n, ty)),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                if is_numeric(ty) && s.trim().parse::<f64>().is_ok() {
                    Some(number_for(s.trim(), ty))
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
                Value::Number(n, _) => Some(format!("-{}", number_for(n, ty))),
                _ => Some(replay.expr(value)),
            },
            _ => Some(replay.expr(value)),
        },
        _ => Some(replay.expr(value)),
    }
}

/// A number as the server stores it in a column of that type: a `decimal(p,s)` shows
/// exactly `s` digits after the point (`0` is `0.00` in `decimal(12,2)`).
fn number_for(n: &str, ty: &DataType) -> String {
    let DataType::Numeric {
        scale: Some(scale), ..
    } = ty
    else {
        return n.to_owned();
    };
    if n.contains(['e', 'E']) {
        return n.to_owned();
    }
    let (whole, fraction) = n.split_once('.').unwrap_or((n, ""));
    let whole = if whole.is_empty() { "0" } else { whole };
    let scale = *scale as usize;
    if scale == 0 {
        return whole.to_owned();
    }
    let mut fraction: String = fraction.chars().take(scale).collect();
    while fraction.len() < scale {
        fraction.push('0');
    }
    format!("{whole}.{fraction}")
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

/// The server defaults the canonical form measures table options against: MariaDB
/// 10.11's default engine and Debian's (and MySQL 8's) default character set with
/// MariaDB's default collation for it. Live inspection compares with the server's own
/// settings instead; on a server configured otherwise the two can differ.
const DEFAULT_ENGINE: &str = "InnoDB";
const SERVER_COLLATION: &str = "utf8mb4_general_ci";

/// A character set name as MariaDB 10.11 reports it (`utf8` is `utf8mb3`).
fn charset_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "utf8" {
        "utf8mb3".to_owned()
    } else {
        lower
    }
}

/// A collation name as MariaDB 10.11 reports it (`utf8_bin` is `utf8mb3_bin`).
fn collation_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.strip_prefix("utf8_") {
        Some(rest) => format!("utf8mb3_{rest}"),
        None => lower,
    }
}

fn charset_of(collation: &str) -> String {
    if collation == "binary" {
        return "binary".to_owned();
    }
    collation.split('_').next().unwrap_or(collation).to_owned()
}

/// The default collation of a character set (MariaDB 10.11).
fn default_collation(charset: &str) -> String {
    let special = match charset {
        "binary" => "binary",
        "latin1" => "latin1_swedish_ci",
        "latin5" => "latin5_turkish_ci",
        "big5" | "gbk" | "gb2312" => return format!("{charset}_chinese_ci"),
        "sjis" | "cp932" | "ujis" | "eucjpms" => return format!("{charset}_japanese_ci"),
        "euckr" => "euckr_korean_ci",
        "tis620" => "tis620_thai_ci",
        "dec8" => "dec8_swedish_ci",
        "swe7" => "swe7_swedish_ci",
        "hp8" => "hp8_english_ci",
        _ => return format!("{charset}_general_ci"),
    };
    special.to_owned()
}

/// The effective collation of a charset / collation pair as written (either may be
/// missing), or `None` when neither is written.
fn effective(charset: Option<&str>, collation: Option<&str>) -> Option<String> {
    match (charset, collation) {
        (_, Some(collation)) => Some(collation_name(collation)),
        (Some(charset), None) => Some(default_collation(&charset_name(charset))),
        (None, None) => None,
    }
}

/// The canonical pair of something whose effective collation is `collation` inside a
/// parent with collation `parent` (see `live::mysql`): nothing when equal; else the
/// charset where it differs from the parent's, and the collation unless it is that
/// charset's default.
fn relative(collation: &str, parent: &str) -> (Option<String>, Option<String>) {
    if collation == parent {
        return (None, None);
    }
    let charset = charset_of(collation);
    if charset == charset_of(parent) {
        return (None, Some(collation.to_owned()));
    }
    let own = (default_collation(&charset) != collation).then(|| collation.to_owned());
    (Some(charset), own)
}

/// Writes the table's current default collation onto the character columns that
/// inherit it, before `ALTER TABLE t DEFAULT CHARSET ...` changes the default: the
/// server keeps those columns as they are.
pub(crate) fn pin_column_charsets(
    (database_charset, database_collation): (Option<&str>, Option<&str>),
    table: &mut schema_model::Table,
) {
    let database = effective(database_charset, database_collation)
        .unwrap_or_else(|| SERVER_COLLATION.to_owned());
    let current = effective(
        table.options.charset.as_deref(),
        table.options.collation.as_deref(),
    )
    .unwrap_or(database);
    for column in &mut table.columns {
        let is_character = matches!(
            column.data_type,
            DataType::TinyText
                | DataType::Text
                | DataType::MediumText
                | DataType::LongText
                | DataType::Char(_)
                | DataType::Varchar(_)
                | DataType::Enum(_)
                | DataType::Set(_)
        );
        if is_character && column.charset.is_none() && column.collation.is_none() {
            column.collation = Some(current.clone());
        }
    }
}

/// The most bytes a character takes in a character set (MariaDB 10.11, MySQL 8).
fn max_bytes_per_char(charset: &str) -> Option<u32> {
    Some(match charset {
        "ascii" | "latin1" | "latin2" | "latin5" | "latin7" | "cp1250" | "cp1251" | "cp1256"
        | "cp1257" | "cp850" | "cp852" | "cp866" | "koi8r" | "koi8u" | "greek" | "hebrew"
        | "armscii8" | "geostd8" | "keybcs2" | "macce" | "macroman" | "dec8" | "hp8" | "swe7"
        | "tis620" | "binary" => 1,
        "ucs2" | "gbk" | "gb2312" | "big5" | "sjis" | "cp932" | "euckr" => 2,
        "ujis" | "eucjpms" | "utf8mb3" => 3,
        "utf8mb4" | "utf16" | "utf16le" | "utf32" | "gb18030" => 4,
        _ => return None,
    })
}

/// `ALTER TABLE t CONVERT TO CHARACTER SET cs [COLLATE c]`: the table's default becomes
/// that pair and every character column takes it, as the server converts them. A text
/// column whose values could outgrow its type in the wider charset moves up one size
/// (`text` to `mediumtext`), as the server does; a narrower charset keeps the type.
pub(crate) fn convert_table_charset(
    (database_charset, database_collation): (Option<&str>, Option<&str>),
    table: &mut schema_model::Table,
    charset: &str,
    collation: Option<&str>,
) -> Result<(), String> {
    let charset = charset_name(charset);
    let collation = collation.map_or_else(|| default_collation(&charset), collation_name);
    let Some(new_width) = max_bytes_per_char(&charset) else {
        return Err(format!("unknown character set '{charset}'"));
    };
    let database = effective(database_charset, database_collation)
        .unwrap_or_else(|| SERVER_COLLATION.to_owned());
    let table_collation = effective(
        table.options.charset.as_deref(),
        table.options.collation.as_deref(),
    )
    .unwrap_or(database);
    for column in &mut table.columns {
        let is_text = matches!(
            column.data_type,
            DataType::TinyText | DataType::Text | DataType::MediumText | DataType::LongText
        );
        let is_character = is_text
            || matches!(
                column.data_type,
                DataType::Char(_) | DataType::Varchar(_) | DataType::Enum(_) | DataType::Set(_)
            );
        if !is_character {
            continue;
        }
        let old = effective(column.charset.as_deref(), column.collation.as_deref())
            .unwrap_or_else(|| table_collation.clone());
        let old_charset = charset_of(&old);
        let Some(old_width) = max_bytes_per_char(&old_charset) else {
            return Err(format!("unknown character set '{old_charset}'"));
        };
        if is_text && new_width > old_width {
            column.data_type = match column.data_type {
                DataType::TinyText => DataType::Text,
                DataType::Text => DataType::MediumText,
                _ => DataType::LongText,
            };
        }
        column.charset = None;
        column.collation = None;
    }
    table.options.charset = Some(charset);
    table.options.collation = Some(collation);
    Ok(())
}

/// Puts MySQL table options and charsets into canonical form, once every statement is
/// replayed: the default engine is left out, and the charset and collation of a
/// database, table or column are kept only where they differ from what it would get
/// from its parent (the server, the database, the table), the way live inspection
/// reads them back.
pub(crate) fn canonical_options(realm: &mut schema_model::Realm) {
    for schema in realm.schemas.values_mut() {
        let database = effective(schema.charset.as_deref(), schema.collation.as_deref())
            .unwrap_or_else(|| SERVER_COLLATION.to_owned());
        (schema.charset, schema.collation) = relative(&database, SERVER_COLLATION);
        for table in schema.tables.values_mut() {
            if table
                .options
                .engine
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(DEFAULT_ENGINE))
            {
                table.options.engine = None;
            }
            let own = effective(
                table.options.charset.as_deref(),
                table.options.collation.as_deref(),
            )
            .unwrap_or_else(|| database.clone());
            (table.options.charset, table.options.collation) = relative(&own, &database);
            if let Some(partition_by) = &mut table.partition_by {
                for definition in &mut partition_by.partitions {
                    *definition = tidy_partition(definition);
                }
            }
            for column in &mut table.columns {
                // MariaDB's json is longtext with a json_valid check named after the
                // column: written either way, the catalog holds the same.
                if column.data_type == DataType::LongText
                    && table.checks.get(&column.name).is_some_and(|check| {
                        check.expression.replace(['`', ' '], "")
                            == format!("json_valid({})", column.name)
                    })
                {
                    table.checks.remove(&column.name);
                    column.data_type = DataType::Json;
                }
                if column.data_type == DataType::Json {
                    column.charset = None;
                    column.collation = None;
                    continue;
                }
                let Some(collation) =
                    effective(column.charset.as_deref(), column.collation.as_deref())
                else {
                    continue;
                };
                (column.charset, column.collation) = relative(&collation, &own);
            }
        }
    }
}

/// A partition definition in the spacing the server's catalog gives its values: no
/// space after commas or inside parentheses (outside quotes), and `MAXVALUE` in
/// parentheses as `RANGE COLUMNS` needs it.
pub(crate) fn tidy_partition(definition: &str) -> String {
    let mut out = String::with_capacity(definition.len());
    let mut quote: Option<char> = None;
    let mut chars = definition.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '\'' || c == '"' || c == '`' {
                    quote = Some(c);
                }
                if c == ' ' && (out.ends_with(',') || out.ends_with('(')) {
                    continue;
                }
                if c == ' ' && chars.peek().is_some_and(|n| *n == ')' || *n == ',') {
                    continue;
                }
                out.push(c);
            }
        }
    }
    let upper = out.to_ascii_uppercase();
    match upper.find("LESS THAN MAXVALUE") {
        Some(at) => format!(
            "{}LESS THAN (MAXVALUE){}",
            &out[..at],
            &out[at + "LESS THAN MAXVALUE".len()..]
        ),
        None => out,
    }
}
