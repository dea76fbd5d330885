//! The scope of a diff: schemas included and excluded, objects ignored by pattern.

use crate::{DiffError, DiffOptions};
use schema_model::Realm;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A `schema.name` pattern where `*` matches any run of characters; a pattern without
/// a `.` matches names in every schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pattern {
    schema: Option<String>,
    name: String,
}

impl Pattern {
    /// Whether the pattern matches the object `name` in `schema`.
    pub fn matches(&self, schema: &str, name: &str) -> bool {
        self.schema.as_deref().is_none_or(|s| glob(s, schema)) && glob(&self.name, name)
    }
}

impl FromStr for Pattern {
    type Err = DiffError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (schema, name) = match text.split_once('.') {
            Some((schema, name)) => (Some(schema.to_owned()), name.to_owned()),
            None => (None, text.to_owned()),
        };
        if name.is_empty() || schema.as_deref() == Some("") || name.contains('.') {
            return Err(DiffError::BadPattern {
                pattern: text.to_owned(),
                reason: "expected NAME or SCHEMA.NAME, with * as a wildcard".into(),
            });
        }
        Ok(Pattern { schema, name })
    }
}

impl TryFrom<String> for Pattern {
    type Error = DiffError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Pattern> for String {
    fn from(pattern: Pattern) -> Self {
        pattern.to_string()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The realm cut down to the options' scope.
pub fn scope(realm: &Realm, options: &DiffOptions) -> Realm {
    scoped(realm, options).into_owned()
}

/// [`scope`], borrowing the realm when the options cut nothing (the usual case), since
/// copying a large realm costs more than diffing it.
pub fn scoped<'a>(realm: &'a Realm, options: &DiffOptions) -> Cow<'a, Realm> {
    let untouched = options.ignore.is_empty()
        && (options.include_schemas.is_empty()
            || realm
                .schemas
                .keys()
                .all(|name| options.include_schemas.contains(name)))
        && !realm
            .schemas
            .keys()
            .any(|name| options.exclude_schemas.contains(name));
    if untouched {
        return Cow::Borrowed(realm);
    }
    let mut realm = realm.clone();
    if !options.include_schemas.is_empty() {
        realm
            .schemas
            .retain(|name, _| options.include_schemas.contains(name));
    }
    realm
        .schemas
        .retain(|name, _| !options.exclude_schemas.contains(name));
    if options.ignore.is_empty() {
        return Cow::Owned(realm);
    }
    let ignored = |schema: &str, name: &str| options.ignore.iter().any(|p| p.matches(schema, name));
    for (schema_name, schema) in &mut realm.schemas {
        let s = schema_name.as_str();
        schema.tables.retain(|name, _| !ignored(s, name));
        schema.views.retain(|name, _| !ignored(s, name));
        schema.sequences.retain(|name, _| !ignored(s, name));
        schema.types.retain(|name, _| !ignored(s, name));
        schema.functions.retain(|_, f| !ignored(s, &f.name));
        schema.collations.retain(|name, _| !ignored(s, name));
        schema.events.retain(|name, _| !ignored(s, name));
        schema.other_objects.retain(|_, o| !ignored(s, &o.name));
        for table in schema.tables.values_mut() {
            table.indexes.retain(|name, _| !ignored(s, name));
            table.triggers.retain(|name, _| !ignored(s, name));
        }
    }
    Cow::Owned(realm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("audit_*", "audit_log"));
        assert!(glob("*", ""));
        assert!(glob("*_tmp", "x_tmp"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxc"));
        assert!(!glob("ab*ba", "aba"));
        assert!(glob("users", "users"));
        assert!(!glob("users", "users2"));
    }

    #[test]
    fn patterns_read_schema_and_name() {
        let p: Pattern = "audit.*".parse().unwrap();
        assert!(p.matches("audit", "log"));
        assert!(!p.matches("public", "log"));
        let any: Pattern = "tmp_*".parse().unwrap();
        assert!(any.matches("public", "tmp_1"));
        assert!(".x".parse::<Pattern>().is_err());
        assert!("a.b.c".parse::<Pattern>().is_err());
    }
}
