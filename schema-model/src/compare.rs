//! A readable structural comparison of two realms.

use crate::Realm;
use serde_json::{Map, Value};
use std::fmt;

/// One way two realms differ: which object, which attribute, and both values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The object, from the outside in: `schema public, table users, column email`.
    pub object: String,
    /// The attribute that differs (`type`, `nullable`, `options.engine`), or empty when
    /// the object itself exists on one side only.
    pub attribute: String,
    /// The value on the left, `(none)` when absent.
    pub left: String,
    /// The value on the right, `(none)` when absent.
    pub right: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.attribute.is_empty() {
            write!(f, "{}: {} | {}", self.object, self.left, self.right)
        } else {
            write!(
                f,
                "{}: {}: {} | {}",
                self.object, self.attribute, self.left, self.right
            )
        }
    }
}

const ABSENT: &str = "(none)";

/// Compares two realms and lists every difference, in a deterministic order. An empty
/// list means the realms are equal.
///
/// Collections of named objects are matched by name; a column list is also compared
/// for order.
pub fn compare(left: &Realm, right: &Realm) -> Vec<Difference> {
    let left = serde_json::to_value(left).unwrap_or(Value::Null);
    let right = serde_json::to_value(right).unwrap_or(Value::Null);
    let mut out = Vec::new();
    walk_object(&mut out, &[], "", &left, &right);
    out
}

/// The singular noun for the objects in a collection field, if the field is one.
fn collection_kind(field: &str) -> Option<&'static str> {
    Some(match field {
        "schemas" => "schema",
        "extensions" => "extension",
        "tables" => "table",
        "views" => "view",
        "sequences" => "sequence",
        "types" => "type",
        "functions" => "function",
        "collations" => "collation",
        "events" => "event",
        "other_objects" => "object",
        "columns" => "column",
        "uniques" => "unique constraint",
        "foreign_keys" => "foreign key",
        "checks" => "check",
        "exclusions" => "exclusion constraint",
        "indexes" => "index",
        "triggers" => "trigger",
        "policies" => "policy",
        _ => return None,
    })
}

fn render(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => ABSENT.to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn join_path(path: &[String]) -> String {
    if path.is_empty() {
        "realm".to_owned()
    } else {
        path.join(", ")
    }
}

fn join_attribute(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk_object(
    out: &mut Vec<Difference>,
    path: &[String],
    attr: &str,
    left: &Value,
    right: &Value,
) {
    let empty = Map::new();
    let (Some(l), Some(r)) = (left.as_object(), right.as_object()) else {
        if left != right {
            out.push(Difference {
                object: join_path(path),
                attribute: attr.to_owned(),
                left: render(Some(left)),
                right: render(Some(right)),
            });
        }
        return;
    };
    let mut keys: Vec<&String> = l.keys().chain(r.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let lv = l.get(key);
        let rv = r.get(key);
        if lv == rv {
            continue;
        }
        if let Some(kind) = collection_kind(key).filter(|_| attr.is_empty()) {
            walk_collection(out, path, kind, lv, rv, &empty);
            continue;
        }
        match (lv, rv) {
            (Some(lv @ Value::Object(_)), Some(rv @ Value::Object(_))) => {
                walk_object(out, path, &join_attribute(attr, key), lv, rv)
            }
            _ => out.push(Difference {
                object: join_path(path),
                attribute: join_attribute(attr, key),
                left: render_or_default(lv, rv),
                right: render_or_default(rv, lv),
            }),
        }
    }
}

/// Renders one side; a boolean left out of the JSON holds its default, which is the
/// opposite of the other side's value (only defaults are left out).
fn render_or_default(value: Option<&Value>, other: Option<&Value>) -> String {
    match (value, other) {
        (None, Some(Value::Bool(b))) => (!b).to_string(),
        _ => render(value),
    }
}

fn walk_collection(
    out: &mut Vec<Difference>,
    path: &[String],
    kind: &str,
    left: Option<&Value>,
    right: Option<&Value>,
    empty: &Map<String, Value>,
) {
    let named = |value: Option<&Value>| -> Vec<(String, Value)> {
        match value {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    let name = item
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    (name, item.clone())
                })
                .collect(),
            _ => empty.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    };
    let l = named(left);
    let r = named(right);
    let mut names: Vec<&String> = l.iter().chain(r.iter()).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    for name in names {
        let lv = l.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let rv = r.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let mut child = path.to_vec();
        child.push(format!("{kind} {name}"));
        match (lv, rv) {
            (Some(lv), Some(rv)) => walk_object(out, &child, "", lv, rv),
            (lv, rv) => out.push(Difference {
                object: join_path(&child),
                attribute: String::new(),
                left: if lv.is_some() { "present" } else { "absent" }.to_owned(),
                right: if rv.is_some() { "present" } else { "absent" }.to_owned(),
            }),
        }
    }
    let order = |list: &[(String, Value)]| list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if matches!(left, Some(Value::Array(_))) || matches!(right, Some(Value::Array(_))) {
        let (lo, ro) = (order(&l), order(&r));
        let common = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|n| b.contains(n)).cloned().collect()
        };
        let (lc, rc) = (common(&lo, &ro), common(&ro, &lo));
        if lc != rc {
            out.push(Difference {
                object: join_path(path),
                attribute: format!("{kind} order"),
                left: lc.join(", "),
                right: rc.join(", "),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, DataType, Dialect, Table};

    fn realm_with(columns: &[(&str, DataType)]) -> Realm {
        let mut realm = Realm::new(Dialect::Postgres);
        let mut table = Table::new("users");
        for (name, ty) in columns {
            table.columns.push(Column::new(*name, ty.clone()));
        }
        realm
            .schema_mut("public")
            .tables
            .insert("users".into(), table);
        realm
    }

    #[test]
    fn equal_realms_have_no_difference() {
        let a = realm_with(&[("id", DataType::BigInt)]);
        assert!(compare(&a, &a.clone()).is_empty());
    }

    #[test]
    fn a_changed_column_type_names_object_attribute_and_values() {
        let a = realm_with(&[("id", DataType::Integer)]);
        let b = realm_with(&[("id", DataType::BigInt)]);
        let diffs: Vec<String> = compare(&a, &b).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            diffs,
            ["schema public, table users, column id: type: integer | bigint"]
        );
    }

    #[test]
    fn a_missing_object_and_a_reordered_column_are_reported() {
        let a = realm_with(&[("a", DataType::Text), ("b", DataType::Text)]);
        let mut b = realm_with(&[("b", DataType::Text), ("a", DataType::Text)]);
        b.schema_mut("public")
            .tables
            .insert("extra".into(), Table::new("extra"));
        let diffs: Vec<String> = compare(&a, &b).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            diffs,
            [
                "schema public, table extra: absent | present",
                "schema public, table users: column order: a, b | b, a",
            ]
        );
    }

    #[test]
    fn a_nullability_change_shows_the_default_side_too() {
        let a = realm_with(&[("id", DataType::Integer)]);
        let mut b = a.clone();
        if let Some(t) = b.schema_mut("public").tables.get_mut("users") {
            t.columns[0].nullable = false;
        }
        let diffs: Vec<String> = compare(&a, &b).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            diffs,
            ["schema public, table users, column id: nullable: true | false"]
        );
    }
}
