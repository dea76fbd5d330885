//! Turning the catalog's spellings into the model's: `format_type` text into
//! [`DataType`], privilege rows into [`Privilege`]s, and the pieces of
//! `pg_get_*def` text that the catalog keeps nowhere else.

use schema_model::{DataType, Deferrable, Privilege, QualifiedName};
use std::collections::BTreeSet;

/// User-defined types the inspector saw, to tell `mood` (a type of the realm, shown
/// unqualified because `public` is on the search path) from an extension's `hstore`.
pub(super) type UserTypes = BTreeSet<QualifiedName>;

/// The model's type for a `format_type(oid, typmod)` text.
pub(super) fn data_type(text: &str, user_types: &UserTypes) -> DataType {
    if let Some(element) = text.strip_suffix("[]") {
        // PostgreSQL does not keep dimensions: `int[][]` is `integer[]`.
        let element = element.trim_end_matches("[]");
        return DataType::Array(Box::new(data_type(element, user_types)));
    }
    if let Some(known) = builtin(text) {
        return known;
    }
    let (name, modifiers) = match text.find('(') {
        Some(open) if text.ends_with(')') && !text.starts_with('"') => {
            (&text[..open], Some(&text[open + 1..text.len() - 1]))
        }
        _ => (text, None),
    };
    let parts = split_qualified(name);
    match (parts.as_slice(), modifiers) {
        ([schema, base], None) if schema != "pg_catalog" => {
            DataType::UserDefined(QualifiedName::new(schema.clone(), base.clone()))
        }
        ([base], None) if user_types.contains(&QualifiedName::new("public", base.clone())) => {
            DataType::UserDefined(QualifiedName::new("public", base.clone()))
        }
        _ => {
            let base = parts.last().cloned().unwrap_or_default();
            if text.starts_with("\"char\"") {
                return DataType::Other("\"char\"".to_owned());
            }
            match modifiers {
                Some(m) => {
                    DataType::Other(format!("{base}({})", m.replace(' ', "").to_lowercase()))
                }
                None => DataType::Other(base),
            }
        }
    }
}

fn number(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// `name(n)` → `Some(Some(n))`, `name` → `Some(None)`.
fn with_modifier(text: &str, name: &str) -> Option<Option<u32>> {
    let rest = text.strip_prefix(name)?;
    if rest.is_empty() {
        return Some(None);
    }
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    number(inner).map(Some)
}

/// The spellings `format_type` gives core types.
fn builtin(text: &str) -> Option<DataType> {
    use DataType::*;
    let simple = match text {
        "integer" => Some(Integer),
        "smallint" => Some(SmallInt),
        "bigint" => Some(BigInt),
        "real" => Some(Real),
        "double precision" => Some(Double),
        "boolean" => Some(Boolean),
        "text" => Some(Text),
        "bytea" => Some(Bytea),
        "date" => Some(Date),
        "money" => Some(Money),
        "uuid" => Some(Uuid),
        "json" => Some(Json),
        "jsonb" => Some(Jsonb),
        "xml" => Some(Xml),
        "inet" => Some(Inet),
        "cidr" => Some(Cidr),
        "macaddr" => Some(Macaddr),
        "macaddr8" => Some(Macaddr8),
        "tsvector" => Some(Tsvector),
        "tsquery" => Some(Tsquery),
        "bpchar" => Some(Other("bpchar".to_owned())),
        _ => None,
    };
    if simple.is_some() {
        return simple;
    }
    if let Some(args) = text.strip_prefix("numeric") {
        if args.is_empty() {
            return Some(DataType::NUMERIC);
        }
        let inner = args.strip_prefix('(')?.strip_suffix(')')?;
        let mut parts = inner.split(',');
        let precision = number(parts.next()?)?;
        let scale = parts.next().and_then(number);
        return Some(Numeric {
            precision: Some(precision),
            scale,
        });
    }
    if let Some(n) = with_modifier(text, "character varying") {
        return Some(Varchar(n));
    }
    if let Some(n) = with_modifier(text, "character") {
        return Some(Char(n.unwrap_or(1)));
    }
    if let Some(n) = with_modifier(text, "bit varying") {
        return Some(VarBit(n));
    }
    if let Some(n) = with_modifier(text, "bit") {
        return Some(Bit(n.unwrap_or(1)));
    }
    for (prefix, is_timestamp) in [("timestamp", true), ("time", false)] {
        let Some(rest) = text.strip_prefix(prefix) else {
            continue;
        };
        let (precision, rest) = match rest.strip_prefix('(') {
            Some(r) => {
                let close = r.find(')')?;
                (Some(number(&r[..close])?), &r[close + 1..])
            }
            None => (None, rest),
        };
        let with_time_zone = match rest {
            " with time zone" => true,
            " without time zone" => false,
            _ => continue,
        };
        return Some(if is_timestamp {
            Timestamp {
                precision,
                with_time_zone,
            }
        } else {
            Time {
                precision,
                with_time_zone,
            }
        });
    }
    if let Some(rest) = text.strip_prefix("interval") {
        let (rest, precision) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once('(')) {
            Some((head, n)) => (head, Some(number(n)?)),
            None => (rest, None),
        };
        let fields = rest.trim();
        return Some(Interval {
            fields: (!fields.is_empty()).then(|| fields.to_owned()),
            precision,
        });
    }
    for (name, make) in [
        ("vector", Vector as fn(Option<u32>) -> DataType),
        ("halfvec", HalfVec),
        ("sparsevec", SparseVec),
    ] {
        if let Some(n) = with_modifier(text, name) {
            return Some(make(n));
        }
    }
    None
}

/// `a.b`, `"A"."b.c"` → its parts, unquoted.
pub(super) fn split_qualified(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
}

/// Privileges from `grantee=PRIVILEGE` / `grantee=PRIVILEGE*` entries (`*`: grantable).
pub(super) fn privileges(entries: &[String]) -> Vec<Privilege> {
    let mut out: Vec<Privilege> = entries
        .iter()
        .filter_map(|entry| {
            let (grantee, privilege) = entry.rsplit_once('=')?;
            let (privilege, grantable) = match privilege.strip_suffix('*') {
                Some(p) => (p, true),
                None => (privilege, false),
            };
            Some(Privilege {
                grantee: grantee.to_owned(),
                privilege: privilege.to_owned(),
                grantable,
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `condeferrable` / `condeferred` as the model says it.
pub(super) fn deferrable(deferrable: bool, deferred: bool) -> Deferrable {
    match (deferrable, deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

/// The text inside the parentheses that start at `open` (a byte index of `(`), with
/// quotes and nested parentheses skipped; `None` when they do not close.
pub(super) fn parenthesised(text: &str, open: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return text.get(open + 1..i);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// Splits at the commas that are outside parentheses and quotes.
pub(super) fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(current.trim().to_owned());
                    current.clear();
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_type_spellings() {
        let none = UserTypes::new();
        let cases = [
            ("integer", "integer"),
            ("character varying(20)", "varchar(20)"),
            ("character varying", "varchar"),
            ("character(1)", "char(1)"),
            ("numeric(10,2)", "numeric(10,2)"),
            ("timestamp(3) with time zone", "timestamptz(3)"),
            ("timestamp without time zone", "timestamp"),
            ("time with time zone", "timetz"),
            ("interval day to second(3)", "interval day to second(3)"),
            ("integer[]", "integer[]"),
            ("app.mood[]", "app.mood[]"),
            ("geometry(Point,4326)", "geometry(point,4326)"),
            ("\"char\"", "\"char\""),
            ("hstore", "hstore"),
        ];
        for (text, canonical) in cases {
            assert_eq!(data_type(text, &none).to_string(), canonical, "{text}");
        }
    }

    #[test]
    fn parentheses_and_commas() {
        let text = "CHECK ((a > ')') AND (b = 1))";
        assert_eq!(parenthesised(text, 6), Some("(a > ')') AND (b = 1)"));
        assert_eq!(
            split_top_level("a, f(b, c), 'x,y'"),
            vec!["a", "f(b, c)", "'x,y'"]
        );
    }
}
