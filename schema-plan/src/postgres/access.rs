//! Comments, grants and default privileges.

use super::objects::{
    function_label, function_signature, routine_word, trigger_label, type_label, view_label,
};
use super::tables::{index_key, policy_label, trigger_key};
use super::{Cx, label, qualified, quote_ident, quote_literal, role};
use crate::Statement;
use crate::order::Kind;
use crate::refs::key;
use crate::select::ObjKind;
use schema_model::{DefaultPrivilege, FunctionKind, Privilege, Table, TypeKind};
use std::collections::{BTreeMap, BTreeSet};

/// `COMMENT ON <target> IS '...'`, or `IS NULL` to remove a comment. `target` is the
/// object as the statement names it: `TABLE public.users`,
/// `CONSTRAINT users_pkey ON public.users`.
pub fn comment_on(target: &str, comment: Option<&str>, object: &str) -> Statement {
    let text = comment.map_or_else(|| "NULL".to_owned(), quote_literal);
    let statement = Statement::new(format!("COMMENT ON {target} IS {text}"), object);
    if comment.is_some() {
        statement.undo(format!("COMMENT ON {target} IS NULL"))
    } else {
        statement
    }
}

/// `GRANT` statements for an object's privileges, one per grantee and grant option,
/// naming its privileges together. `target` is the object as `GRANT ... ON` takes it:
/// `TABLE public.users`, `SCHEMA app`, `FUNCTION public.f(integer)`.
pub fn grant_statements(target: &str, privileges: &[Privilege], object: &str) -> Vec<Statement> {
    let mut grouped: BTreeMap<(&str, bool), Vec<&str>> = BTreeMap::new();
    for p in privileges {
        grouped
            .entry((p.grantee.as_str(), p.grantable))
            .or_default()
            .push(&p.privilege);
    }
    grouped
        .into_iter()
        .map(|((grantee, grantable), mut privileges)| {
            privileges.sort_unstable();
            privileges.dedup();
            Statement::new(
                format!(
                    "GRANT {} ON {target} TO {}{}",
                    privileges.join(", "),
                    role(grantee),
                    if grantable { " WITH GRANT OPTION" } else { "" }
                ),
                object,
            )
            .undo(format!(
                "REVOKE {} ON {target} FROM {}",
                privileges.join(", "),
                role(grantee)
            ))
        })
        .collect()
}

/// Column grants, `GRANT SELECT (a, b) ON TABLE t TO r`: one statement per grantee,
/// privilege and grant option, columns in table order.
fn column_grants(table_sql: &str, table: &Table, object: &str) -> Vec<Statement> {
    let mut grouped: BTreeMap<(&str, &str, bool), Vec<String>> = BTreeMap::new();
    for column in &table.columns {
        for p in &column.privileges {
            grouped
                .entry((p.grantee.as_str(), p.privilege.as_str(), p.grantable))
                .or_default()
                .push(quote_ident(&column.name));
        }
    }
    grouped
        .into_iter()
        .map(|((grantee, privilege, grantable), columns)| {
            Statement::new(
                format!(
                    "GRANT {privilege} ({}) ON TABLE {table_sql} TO {}{}",
                    columns.join(", "),
                    role(grantee),
                    if grantable { " WITH GRANT OPTION" } else { "" }
                ),
                object,
            )
            .undo(format!(
                "REVOKE {privilege} ({}) ON TABLE {table_sql} FROM {}",
                columns.join(", "),
                role(grantee)
            ))
        })
        .collect()
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT ... ON <kind> TO ...`,
/// entries that differ only in the privilege joined into one statement.
pub fn default_privilege_statements(entries: &[DefaultPrivilege]) -> Vec<Statement> {
    type Group<'a> = (Option<&'a str>, Option<&'a str>, &'a str, &'a str, bool);
    let mut grouped: BTreeMap<Group<'_>, Vec<&str>> = BTreeMap::new();
    for e in entries {
        grouped
            .entry((
                e.for_role.as_deref(),
                e.schema.as_deref(),
                e.object_kind.as_str(),
                e.privilege.grantee.as_str(),
                e.privilege.grantable,
            ))
            .or_default()
            .push(&e.privilege.privilege);
    }
    grouped
        .into_iter()
        .map(
            |((for_role, schema, kind, grantee, grantable), mut privileges)| {
                privileges.sort_unstable();
                privileges.dedup();
                let mut sql = "ALTER DEFAULT PRIVILEGES".to_owned();
                if let Some(r) = for_role {
                    sql.push_str(&format!(" FOR ROLE {}", role(r)));
                }
                if let Some(s) = schema {
                    sql.push_str(&format!(" IN SCHEMA {}", quote_ident(s)));
                }
                let undo = format!(
                    "{sql} REVOKE {} ON {} FROM {}",
                    privileges.join(", "),
                    kind.to_ascii_uppercase(),
                    role(grantee)
                );
                sql.push_str(&format!(
                    " GRANT {} ON {} TO {}{}",
                    privileges.join(", "),
                    kind.to_ascii_uppercase(),
                    role(grantee),
                    if grantable { " WITH GRANT OPTION" } else { "" }
                ));
                Statement::new(sql, "default privileges").undo(undo)
            },
        )
        .collect()
}

/// Collects comments (one node per object, with those of its columns, constraints,
/// indexes, triggers and policies) and grants (one node per object). Callers with many
/// parts (a table's columns, indexes, ...) pass only those that have a comment, so that
/// the statement text of the others is never built.
#[derive(Default)]
struct Collector {
    comments: Vec<Statement>,
    deps: BTreeSet<String>,
}

impl Collector {
    fn comment(&mut self, target: String, comment: &Option<String>, object: String, dep: String) {
        if let Some(text) = comment {
            self.comments.push(comment_on(&target, Some(text), &object));
            self.deps.insert(dep);
        }
    }

    fn flush(self, cx: &mut Cx<'_>, schema: &str, node_key: &str, name: &str) {
        cx.graph.own(format!("comment {node_key}"), node_key);
        cx.add(
            Kind::Comment,
            format!("comment {node_key}"),
            name.to_owned(),
            schema,
            self.comments,
            self.deps,
        );
    }
}

fn grants(cx: &mut Cx<'_>, schema: &str, node_key: &str, name: &str, statements: Vec<Statement>) {
    cx.graph.own(format!("grant {node_key}"), node_key);
    cx.add(
        Kind::Grant,
        format!("grant {node_key}"),
        name.to_owned(),
        schema,
        statements,
        [node_key.to_owned()],
    );
}

pub(super) fn add_comments_and_grants(cx: &mut Cx<'_>) {
    let realm = cx.realm;
    cx.realm_level();
    for extension in realm.extensions.values() {
        let node = format!("extension {}", extension.name);
        let mut c = Collector::default();
        c.comment(
            format!("EXTENSION {}", quote_ident(&extension.name)),
            &extension.comment,
            node.clone(),
            node.clone(),
        );
        c.flush(cx, "", &node, &extension.name);
    }
    for (s, schema) in &realm.schemas {
        cx.realm_level();
        let node = format!("schema {s}");
        let target = format!("SCHEMA {}", quote_ident(s));
        let mut c = Collector::default();
        c.comment(target.clone(), &schema.comment, node.clone(), node.clone());
        c.flush(cx, s, &node, s);
        grants(
            cx,
            s,
            &node,
            s,
            grant_statements(&target, &schema.privileges, &node),
        );

        for (object_key, coll) in cx.chosen(ObjKind::Collation, s, &schema.collations) {
            if !cx.enter(ObjKind::Collation, s, object_key) {
                continue;
            }
            let node = key("collation", s, &coll.name);
            let mut c = Collector::default();
            c.comment(
                format!("COLLATION {}", qualified(s, &coll.name)),
                &coll.comment,
                label("collation", s, &coll.name),
                node.clone(),
            );
            c.flush(cx, s, &node, &format!("{s}.{}", coll.name));
        }
        for (object_key, ty) in cx.chosen(ObjKind::Type, s, &schema.types) {
            if !cx.enter(ObjKind::Type, s, object_key) {
                continue;
            }
            let node = key("type", s, &ty.name);
            let name = qualified(s, &ty.name);
            let object = type_label(s, ty);
            let word = if let TypeKind::Domain(_) = ty.kind {
                "DOMAIN"
            } else {
                "TYPE"
            };
            let mut c = Collector::default();
            c.comment(
                format!("{word} {name}"),
                &ty.comment,
                object.clone(),
                node.clone(),
            );
            if let TypeKind::Domain(domain) = &ty.kind {
                for check in domain.checks.values() {
                    c.comment(
                        format!("CONSTRAINT {} ON DOMAIN {name}", quote_ident(&check.name)),
                        &check.comment,
                        object.clone(),
                        node.clone(),
                    );
                }
            }
            let sort_name = format!("{s}.{}", ty.name);
            c.flush(cx, s, &node, &sort_name);
            let statements = grant_statements(&format!("TYPE {name}"), &ty.privileges, &object);
            grants(cx, s, &node, &sort_name, statements);
        }
        for (object_key, seq) in cx.chosen(ObjKind::Sequence, s, &schema.sequences) {
            if !cx.enter(ObjKind::Sequence, s, object_key) {
                continue;
            }
            let node = key("sequence", s, &seq.name);
            let target = format!("SEQUENCE {}", qualified(s, &seq.name));
            let object = label("sequence", s, &seq.name);
            let sort_name = format!("{s}.{}", seq.name);
            let mut c = Collector::default();
            c.comment(target.clone(), &seq.comment, object.clone(), node.clone());
            c.flush(cx, s, &node, &sort_name);
            grants(
                cx,
                s,
                &node,
                &sort_name,
                grant_statements(&target, &seq.privileges, &object),
            );
        }
        for (signature, function) in cx.chosen(ObjKind::Function, s, &schema.functions) {
            if !cx.enter(ObjKind::Function, s, signature) {
                continue;
            }
            let node = key("function", s, signature);
            let sig = function_signature(s, function);
            let object = function_label(s, signature, function);
            let sort_name = format!("{s}.{signature}");
            let mut c = Collector::default();
            c.comment(
                format!("{} {sig}", routine_word(function)),
                &function.comment,
                object.clone(),
                node.clone(),
            );
            c.flush(cx, s, &node, &sort_name);
            let word = if function.kind == FunctionKind::Procedure {
                "PROCEDURE"
            } else {
                "FUNCTION"
            };
            let statements =
                grant_statements(&format!("{word} {sig}"), &function.privileges, &object);
            grants(cx, s, &node, &sort_name, statements);
        }
        for (object_key, table) in cx.chosen(ObjKind::Table, s, &schema.tables) {
            if cx.enter(ObjKind::Table, s, object_key) {
                add_table_comments_and_grants(cx, s, table);
            }
        }
        for (object_key, view) in cx.chosen(ObjKind::View, s, &schema.views) {
            if !cx.enter(ObjKind::View, s, object_key) {
                continue;
            }
            let node = key("view", s, &view.name);
            let name = qualified(s, &view.name);
            let object = view_label(s, view);
            let sort_name = format!("{s}.{}", view.name);
            let word = if view.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            let mut c = Collector::default();
            c.comment(
                format!("{word} {name}"),
                &view.comment,
                object.clone(),
                node.clone(),
            );
            for (column, comment) in &view.column_comments {
                c.comment(
                    format!("COLUMN {name}.{}", quote_ident(column)),
                    &Some(comment.clone()),
                    format!(
                        "column {}.{column}",
                        schema_model::QualifiedName::new(s, &view.name)
                    ),
                    node.clone(),
                );
            }
            for index in view.indexes.values() {
                c.comment(
                    format!("INDEX {}", qualified(s, &index.name)),
                    &index.comment,
                    label("index", s, &index.name),
                    index_key(s, &view.name, &index.name),
                );
            }
            for trigger in view.triggers.values() {
                c.comment(
                    format!("TRIGGER {} ON {name}", quote_ident(&trigger.name)),
                    &trigger.comment,
                    trigger_label(s, &view.name, &trigger.name),
                    trigger_key(s, &view.name, &trigger.name),
                );
            }
            c.flush(cx, s, &node, &sort_name);
            let statements = grant_statements(&format!("TABLE {name}"), &view.privileges, &object);
            grants(cx, s, &node, &sort_name, statements);
        }
        for (object_key, object) in cx.chosen(ObjKind::Opaque, s, &schema.other_objects) {
            if !cx.enter(ObjKind::Opaque, s, object_key) {
                continue;
            }
            let node = format!("opaque {s} {object_key}");
            let mut c = Collector::default();
            c.comment(
                format!("{} {}", object.kind.to_ascii_uppercase(), object.name),
                &object.comment,
                format!("{} {}", object.kind, object.name),
                node.clone(),
            );
            c.flush(cx, s, &node, &format!("{s} {object_key}"));
        }
    }
    cx.realm_level();
    cx.graph.add(
        Kind::DefaultPrivilege,
        "default privileges",
        "",
        default_privilege_statements(&realm.default_privileges),
    );
    for entry in &realm.default_privileges {
        if let Some(schema) = &entry.schema {
            cx.graph
                .depend("default privileges", format!("schema {schema}"));
        }
    }
}

fn add_table_comments_and_grants(cx: &mut Cx<'_>, s: &str, table: &Table) {
    let node = key("table", s, &table.name);
    let name = qualified(s, &table.name);
    let object = label("table", s, &table.name);
    let qn = schema_model::QualifiedName::new(s, &table.name);
    let sort_name = qn.to_string();
    let mut c = Collector::default();
    c.comment(
        format!("TABLE {name}"),
        &table.comment,
        object.clone(),
        node.clone(),
    );
    for column in table.columns.iter().filter(|c| c.comment.is_some()) {
        c.comment(
            format!("COLUMN {name}.{}", quote_ident(&column.name)),
            &column.comment,
            format!("column {qn}.{}", column.name),
            node.clone(),
        );
    }
    let constraint =
        |c: &mut Collector, constraint: &str, comment: &Option<String>, dep: String| {
            c.comment(
                format!("CONSTRAINT {} ON {name}", quote_ident(constraint)),
                comment,
                format!("constraint {constraint} on {qn}"),
                dep,
            );
        };
    if let Some(pk) = table.primary_key.as_ref().filter(|pk| pk.comment.is_some()) {
        constraint(&mut c, &pk.name, &pk.comment, node.clone());
    }
    for u in table.uniques.values().filter(|u| u.comment.is_some()) {
        constraint(&mut c, &u.name, &u.comment, node.clone());
    }
    for check in table.checks.values().filter(|c| c.comment.is_some()) {
        constraint(&mut c, &check.name, &check.comment, node.clone());
    }
    for e in table.exclusions.values().filter(|e| e.comment.is_some()) {
        constraint(&mut c, &e.name, &e.comment, node.clone());
    }
    for fk in table.foreign_keys.values().filter(|f| f.comment.is_some()) {
        constraint(
            &mut c,
            &fk.name,
            &fk.comment,
            format!("{node} fk {}", fk.name),
        );
    }
    for index in table.indexes.values().filter(|i| i.comment.is_some()) {
        c.comment(
            format!("INDEX {}", qualified(s, &index.name)),
            &index.comment,
            label("index", s, &index.name),
            index_key(s, &table.name, &index.name),
        );
    }
    for trigger in table.triggers.values().filter(|t| t.comment.is_some()) {
        c.comment(
            format!("TRIGGER {} ON {name}", quote_ident(&trigger.name)),
            &trigger.comment,
            trigger_label(s, &table.name, &trigger.name),
            trigger_key(s, &table.name, &trigger.name),
        );
    }
    for policy in table.policies.values().filter(|p| p.comment.is_some()) {
        c.comment(
            format!("POLICY {} ON {name}", quote_ident(&policy.name)),
            &policy.comment,
            policy_label(s, &table.name, &policy.name),
            format!("policy {node} {}", policy.name),
        );
    }
    c.flush(cx, s, &node, &sort_name);
    let mut statements = grant_statements(&format!("TABLE {name}"), &table.privileges, &object);
    statements.extend(column_grants(&name, table, &object));
    grants(cx, s, &node, &sort_name, statements);
}
