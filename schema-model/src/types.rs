//! Canonical column types.

use crate::QualifiedName;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A column type in canonical form: one variant per type the databases themselves
/// distinguish, so that aliases (`int`, `int4`, `integer`; `varchar`,
/// `character varying`; `timestamptz`, `timestamp with time zone`) become one value.
///
/// Loaders map each dialect's spellings onto these variants; renderers map them back to
/// each dialect's preferred spelling. SQLite columns hold their type affinity
/// ([`DataType::Integer`], [`DataType::Text`], [`DataType::Blob`], [`DataType::Double`]
/// for REAL, [`DataType::Numeric`] without precision), except in `STRICT` tables, where
/// `ANY` is [`DataType::Any`].
///
/// Serialized as its canonical text (`varchar(255)`, `timestamptz(3)`, `integer[]`,
/// `vector(1536)`, `enum('a','b')`), which [`DataType::parse_canonical`] reads back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataType {
    /// `boolean` (MySQL `tinyint(1)`).
    Boolean,
    /// 8-bit integer (MySQL).
    TinyInt,
    /// 16-bit integer.
    SmallInt,
    /// 24-bit integer (MySQL).
    MediumInt,
    /// 32-bit integer; SQLite's INTEGER affinity.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// Exact numeric, with optional precision and scale; SQLite's NUMERIC affinity.
    Numeric {
        /// Total digits.
        precision: Option<u32>,
        /// Digits after the point.
        scale: Option<u32>,
    },
    /// 4-byte float (`real`, `float4`, MySQL `float`).
    Real,
    /// 8-byte float (`double precision`, `float8`, `float`, MySQL `double`); SQLite's
    /// REAL affinity.
    Double,
    /// PostgreSQL `money`.
    Money,
    /// Fixed-length character string; `char` alone is `char(1)`.
    Char(u32),
    /// Variable-length character string, with an optional limit.
    Varchar(Option<u32>),
    /// Unlimited text; SQLite's TEXT affinity.
    Text,
    /// MySQL `tinytext`.
    TinyText,
    /// MySQL `mediumtext`.
    MediumText,
    /// MySQL `longtext`.
    LongText,
    /// PostgreSQL `bytea`.
    Bytea,
    /// MySQL `blob`; SQLite's BLOB affinity (and a column with no type).
    Blob,
    /// MySQL `tinyblob`.
    TinyBlob,
    /// MySQL `mediumblob`.
    MediumBlob,
    /// MySQL `longblob`.
    LongBlob,
    /// MySQL `binary(n)`.
    Binary(u32),
    /// MySQL `varbinary(n)`.
    Varbinary(u32),
    /// `bit(n)`; `bit` alone is `bit(1)`.
    Bit(u32),
    /// PostgreSQL `bit varying(n)`.
    VarBit(Option<u32>),
    /// `date`.
    Date,
    /// `time`, with or without time zone.
    Time {
        /// Fractional-second digits.
        precision: Option<u32>,
        /// `with time zone`.
        with_time_zone: bool,
    },
    /// `timestamp`, with or without time zone (MySQL `timestamp` is without).
    Timestamp {
        /// Fractional-second digits.
        precision: Option<u32>,
        /// `with time zone`.
        with_time_zone: bool,
    },
    /// MySQL `datetime`; precision 0 is `None`.
    Datetime(Option<u32>),
    /// MySQL `year`.
    Year,
    /// PostgreSQL `interval`.
    Interval {
        /// A field restriction such as `year to month`, lowercase.
        fields: Option<String>,
        /// Fractional-second digits.
        precision: Option<u32>,
    },
    /// `uuid`.
    Uuid,
    /// `json`.
    Json,
    /// PostgreSQL `jsonb`.
    Jsonb,
    /// PostgreSQL `xml`.
    Xml,
    /// PostgreSQL `inet`.
    Inet,
    /// PostgreSQL `cidr`.
    Cidr,
    /// PostgreSQL `macaddr`.
    Macaddr,
    /// PostgreSQL `macaddr8`.
    Macaddr8,
    /// PostgreSQL `tsvector`.
    Tsvector,
    /// PostgreSQL `tsquery`.
    Tsquery,
    /// pgvector `vector(n)`.
    Vector(Option<u32>),
    /// pgvector `halfvec(n)`.
    HalfVec(Option<u32>),
    /// pgvector `sparsevec(n)`.
    SparseVec(Option<u32>),
    /// MySQL inline `enum('a', 'b')`.
    Enum(Vec<String>),
    /// MySQL `set('a', 'b')`.
    Set(Vec<String>),
    /// An array of the element type (PostgreSQL; dimensions are not enforced there, so
    /// `int[][]` is `integer[]`).
    Array(Box<DataType>),
    /// A type defined in the realm, or by an extension, named with its schema.
    UserDefined(QualifiedName),
    /// SQLite `ANY` in a `STRICT` table.
    Any,
    /// Any other type, in canonical lowercase text with its modifiers
    /// (`int4range`, `geometry(point,4326)`, `"char"`, `oid`).
    Other(String),
}

impl DataType {
    /// `numeric` without precision or scale.
    pub const NUMERIC: DataType = DataType::Numeric {
        precision: None,
        scale: None,
    };

    /// Reads the canonical text that [`Display`](fmt::Display) writes. Text of another
    /// form becomes [`DataType::Other`], so reading never fails.
    pub fn parse_canonical(text: &str) -> DataType {
        if let Some(element) = text.strip_suffix("[]") {
            return DataType::Array(Box::new(DataType::parse_canonical(element)));
        }
        let (name, args) = match text.find('(') {
            Some(open) if text.ends_with(')') => {
                (&text[..open], Some(&text[open + 1..text.len() - 1]))
            }
            _ => (text, None),
        };
        parse_known(name, args).unwrap_or_else(|| match QualifiedName::parse(text) {
            Some(qualified) if !text.contains('(') => DataType::UserDefined(qualified),
            _ => DataType::Other(text.to_owned()),
        })
    }

    /// Whether this is one of the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            DataType::TinyInt
                | DataType::SmallInt
                | DataType::MediumInt
                | DataType::Integer
                | DataType::BigInt
        )
    }
}

fn number(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

fn one_number(args: Option<&str>) -> Option<Option<u32>> {
    match args {
        None => Some(None),
        Some(a) => number(a).map(Some),
    }
}

fn parse_known(name: &str, args: Option<&str>) -> Option<DataType> {
    use DataType::*;
    let no_args = |t: DataType| args.is_none().then_some(t);
    match name {
        "boolean" => no_args(Boolean),
        "tinyint" => no_args(TinyInt),
        "smallint" => no_args(SmallInt),
        "mediumint" => no_args(MediumInt),
        "integer" => no_args(Integer),
        "bigint" => no_args(BigInt),
        "numeric" => match args {
            None => Some(DataType::NUMERIC),
            Some(a) => {
                let mut parts = a.split(',');
                let precision = number(parts.next()?)?;
                let scale = match parts.next() {
                    Some(s) => Some(number(s)?),
                    None => None,
                };
                parts.next().is_none().then_some(Numeric {
                    precision: Some(precision),
                    scale,
                })
            }
        },
        "real" => no_args(Real),
        "double precision" => no_args(Double),
        "money" => no_args(Money),
        "char" => number(args?).map(Char),
        "varchar" => one_number(args).map(Varchar),
        "text" => no_args(Text),
        "tinytext" => no_args(TinyText),
        "mediumtext" => no_args(MediumText),
        "longtext" => no_args(LongText),
        "bytea" => no_args(Bytea),
        "blob" => no_args(Blob),
        "tinyblob" => no_args(TinyBlob),
        "mediumblob" => no_args(MediumBlob),
        "longblob" => no_args(LongBlob),
        "binary" => number(args?).map(Binary),
        "varbinary" => number(args?).map(Varbinary),
        "bit" => number(args?).map(Bit),
        "varbit" => one_number(args).map(VarBit),
        "date" => no_args(Date),
        "time" | "timetz" | "timestamp" | "timestamptz" => {
            let precision = one_number(args)?;
            let with_time_zone = name.ends_with("tz");
            Some(if name.starts_with("timestamp") {
                Timestamp {
                    precision,
                    with_time_zone,
                }
            } else {
                Time {
                    precision,
                    with_time_zone,
                }
            })
        }
        "datetime" => one_number(args).map(Datetime),
        "year" => no_args(Year),
        "uuid" => no_args(Uuid),
        "json" => no_args(Json),
        "jsonb" => no_args(Jsonb),
        "xml" => no_args(Xml),
        "inet" => no_args(Inet),
        "cidr" => no_args(Cidr),
        "macaddr" => no_args(Macaddr),
        "macaddr8" => no_args(Macaddr8),
        "tsvector" => no_args(Tsvector),
        "tsquery" => no_args(Tsquery),
        "vector" => one_number(args).map(Vector),
        "halfvec" => one_number(args).map(HalfVec),
        "sparsevec" => one_number(args).map(SparseVec),
        "enum" => split_quoted_list(args?).map(Enum),
        "set" => split_quoted_list(args?).map(Set),
        "any" => no_args(Any),
        _ => parse_interval(name, args),
    }
}

fn parse_interval(name: &str, args: Option<&str>) -> Option<DataType> {
    let rest = name.strip_prefix("interval")?;
    let fields = rest.trim();
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some(DataType::Interval {
        fields: (!fields.is_empty()).then(|| fields.to_owned()),
        precision: one_number(args)?,
    })
}

/// Splits `'a','b''c'` into `a`, `b'c`.
fn split_quoted_list(text: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                c => value.push(c),
            }
        }
        values.push(value);
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

fn write_quoted_list(f: &mut fmt::Formatter<'_>, name: &str, values: &[String]) -> fmt::Result {
    write!(f, "{name}(")?;
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "'{}'", value.replace('\'', "''"))?;
    }
    f.write_str(")")
}

fn write_optional(f: &mut fmt::Formatter<'_>, name: &str, n: &Option<u32>) -> fmt::Result {
    match n {
        Some(n) => write!(f, "{name}({n})"),
        None => f.write_str(name),
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DataType::*;
        match self {
            Boolean => f.write_str("boolean"),
            TinyInt => f.write_str("tinyint"),
            SmallInt => f.write_str("smallint"),
            MediumInt => f.write_str("mediumint"),
            Integer => f.write_str("integer"),
            BigInt => f.write_str("bigint"),
            Numeric { precision, scale } => match (precision, scale) {
                (Some(p), Some(s)) => write!(f, "numeric({p},{s})"),
                (Some(p), None) => write!(f, "numeric({p})"),
                _ => f.write_str("numeric"),
            },
            Real => f.write_str("real"),
            Double => f.write_str("double precision"),
            Money => f.write_str("money"),
            Char(n) => write!(f, "char({n})"),
            Varchar(n) => write_optional(f, "varchar", n),
            Text => f.write_str("text"),
            TinyText => f.write_str("tinytext"),
            MediumText => f.write_str("mediumtext"),
            LongText => f.write_str("longtext"),
            Bytea => f.write_str("bytea"),
            Blob => f.write_str("blob"),
            TinyBlob => f.write_str("tinyblob"),
            MediumBlob => f.write_str("mediumblob"),
            LongBlob => f.write_str("longblob"),
            Binary(n) => write!(f, "binary({n})"),
            Varbinary(n) => write!(f, "varbinary({n})"),
            Bit(n) => write!(f, "bit({n})"),
            VarBit(n) => write_optional(f, "varbit", n),
            Date => f.write_str("date"),
            Time {
                precision,
                with_time_zone,
            } => write_optional(
                f,
                if *with_time_zone { "timetz" } else { "time" },
                precision,
            ),
            Timestamp {
                precision,
                with_time_zone,
            } => write_optional(
                f,
                if *with_time_zone {
                    "timestamptz"
                } else {
                    "timestamp"
                },
                precision,
            ),
            Datetime(p) => write_optional(f, "datetime", p),
            Year => f.write_str("year"),
            Interval { fields, precision } => {
                let name = match fields {
                    Some(fields) => format!("interval {fields}"),
                    None => "interval".to_owned(),
                };
                write_optional(f, &name, precision)
            }
            Uuid => f.write_str("uuid"),
            Json => f.write_str("json"),
            Jsonb => f.write_str("jsonb"),
            Xml => f.write_str("xml"),
            Inet => f.write_str("inet"),
            Cidr => f.write_str("cidr"),
            Macaddr => f.write_str("macaddr"),
            Macaddr8 => f.write_str("macaddr8"),
            Tsvector => f.write_str("tsvector"),
            Tsquery => f.write_str("tsquery"),
            Vector(n) => write_optional(f, "vector", n),
            HalfVec(n) => write_optional(f, "halfvec", n),
            SparseVec(n) => write_optional(f, "sparsevec", n),
            Enum(values) => write_quoted_list(f, "enum", values),
            Set(values) => write_quoted_list(f, "set", values),
            Array(element) => write!(f, "{element}[]"),
            UserDefined(name) => write!(f, "{name}"),
            Any => f.write_str("any"),
            Other(text) => f.write_str(text),
        }
    }
}

impl Serialize for DataType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DataType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(DataType::parse_canonical(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<DataType> {
        use DataType::*;
        vec![
            Boolean,
            TinyInt,
            SmallInt,
            MediumInt,
            Integer,
            BigInt,
            DataType::NUMERIC,
            Numeric {
                precision: Some(10),
                scale: None,
            },
            Numeric {
                precision: Some(10),
                scale: Some(2),
            },
            Real,
            Double,
            Money,
            Char(1),
            Varchar(None),
            Varchar(Some(255)),
            Text,
            TinyText,
            MediumText,
            LongText,
            Bytea,
            Blob,
            TinyBlob,
            MediumBlob,
            LongBlob,
            Binary(16),
            Varbinary(255),
            Bit(1),
            VarBit(None),
            VarBit(Some(8)),
            Date,
            Time {
                precision: None,
                with_time_zone: false,
            },
            Time {
                precision: Some(3),
                with_time_zone: true,
            },
            Timestamp {
                precision: None,
                with_time_zone: true,
            },
            Timestamp {
                precision: Some(6),
                with_time_zone: false,
            },
            Datetime(None),
            Datetime(Some(3)),
            Year,
            Interval {
                fields: None,
                precision: None,
            },
            Interval {
                fields: Some("year to month".into()),
                precision: None,
            },
            Interval {
                fields: Some("second".into()),
                precision: Some(3),
            },
            Uuid,
            Json,
            Jsonb,
            Xml,
            Inet,
            Cidr,
            Macaddr,
            Macaddr8,
            Tsvector,
            Tsquery,
            Vector(Some(1536)),
            Vector(None),
            HalfVec(Some(3)),
            SparseVec(Some(5)),
            Enum(vec!["a".into(), "it's".into(), "".into()]),
            Set(vec!["x".into(), "a,b".into()]),
            Array(Box::new(Integer)),
            Array(Box::new(Array(Box::new(Varchar(Some(3)))))),
            UserDefined(QualifiedName::new("public", "mood")),
            UserDefined(QualifiedName::new("odd.schema", "t")),
            Any,
            Other("int4range".into()),
            Other("geometry(point,4326)".into()),
            Other("\"char\"".into()),
        ]
    }

    #[test]
    fn canonical_text_reads_back_to_the_same_type() {
        for ty in every_variant() {
            let text = ty.to_string();
            assert_eq!(DataType::parse_canonical(&text), ty, "via {text}");
        }
    }

    #[test]
    fn serde_uses_the_canonical_text() {
        let json = serde_json::to_string(&DataType::Timestamp {
            precision: Some(3),
            with_time_zone: true,
        })
        .unwrap_or_default();
        assert_eq!(json, "\"timestamptz(3)\"");
    }

    #[test]
    fn malformed_known_names_become_other() {
        assert_eq!(
            DataType::parse_canonical("integer(5)"),
            DataType::Other("integer(5)".into())
        );
        assert_eq!(
            DataType::parse_canonical("enum(a)"),
            DataType::Other("enum(a)".into())
        );
    }
}
