//! Qualified object names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A name inside a schema: `schema.name`.
///
/// Serialized as one string, `schema.name`, with each part double-quoted when it holds a
/// `.` or a `"`, so that JSON stays readable and still round-trips exactly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The schema.
    pub schema: String,
    /// The object's name.
    pub name: String,
}

impl QualifiedName {
    /// A name in that schema.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Reads the serialized form back. Returns `None` for text that was not made by
    /// [`QualifiedName`]'s `Display`.
    pub fn parse(text: &str) -> Option<Self> {
        let (schema, rest) = read_part(text)?;
        let rest = rest.strip_prefix('.')?;
        let (name, rest) = read_part(rest)?;
        rest.is_empty().then(|| QualifiedName::new(schema, name))
    }
}

fn read_part(text: &str) -> Option<(String, &str)> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if quoted[i + 1..].starts_with('"') {
                    out.push('"');
                    chars.next();
                } else {
                    return Some((out, &quoted[i + 1..]));
                }
            } else {
                out.push(c);
            }
        }
        None
    } else {
        let end = text.find('.').unwrap_or(text.len());
        let part = &text[..end];
        (!part.contains('"')).then(|| (part.to_owned(), &text[end..]))
    }
}

fn write_part(f: &mut fmt::Formatter<'_>, part: &str) -> fmt::Result {
    if part.contains('.') || part.contains('"') {
        write!(f, "\"{}\"", part.replace('"', "\"\""))
    } else {
        f.write_str(part)
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_part(f, &self.schema)?;
        f.write_str(".")?;
        write_part(f, &self.name)
    }
}

impl Serialize for QualifiedName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QualifiedName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        QualifiedName::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a qualified name: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_are_inverse() {
        for (schema, name) in [
            ("public", "users"),
            ("", "t"),
            ("my.schema", "a\"b"),
            ("s", "x.y.z"),
        ] {
            let qn = QualifiedName::new(schema, name);
            assert_eq!(QualifiedName::parse(&qn.to_string()), Some(qn));
        }
    }

    #[test]
    fn parse_rejects_malformed_text() {
        assert_eq!(QualifiedName::parse("no_dot"), None);
        assert_eq!(QualifiedName::parse("\"open.x"), None);
        assert_eq!(QualifiedName::parse("a.b.c"), None);
    }
}
