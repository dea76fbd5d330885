//! NM101 `naming-convention`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::alter_operations;
use sqlparser::ast::{AlterTableOperation, ObjectName, Statement, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "NM101",
    name: "naming-convention",
    family: Family::Naming,
    dialects: &[],
    severity: Severity::Warning,
    default_on: true,
    summary: "A new object's name that does not match the pattern configured for its kind ([lint.naming] in sextant.toml: schema, table, column, index, foreign-key, check, view, sequence). Does nothing until a pattern is configured.",
    why: "Consistent names make schemas searchable and reviews shorter; a convention only holds if something checks it.",
    instead: Some("rename the object to match the configured pattern"),
    setup: "",
    bad: "CREATE TABLE \"UserAccounts\" (id bigint PRIMARY KEY);",
    good: "CREATE TABLE user_accounts (id bigint PRIMARY KEY);",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn last(cx: &Cx<'_>, name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| cx.ident(i))
        .unwrap_or_default()
}

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let naming = &cx.settings.config.naming;
    if naming.is_empty() {
        return;
    }
    let mut names: Vec<(&str, String)> = Vec::new();
    let constraint = |c: &TableConstraint, cx: &Cx<'_>| -> Option<(&'static str, String)> {
        let (kind, name) = match c {
            TableConstraint::ForeignKey(fk) => ("foreign-key", fk.name.as_ref()),
            TableConstraint::Check(check) => ("check", check.name.as_ref()),
            TableConstraint::Unique(u) => ("index", u.name.as_ref()),
            _ => return None,
        };
        name.map(|n| (kind, cx.ident(n)))
    };
    match cx.statement {
        Some(Statement::CreateTable(create)) => {
            names.push(("table", last(cx, &create.name)));
            names.extend(create.columns.iter().map(|c| ("column", cx.ident(&c.name))));
            names.extend(create.constraints.iter().filter_map(|c| constraint(c, cx)));
        }
        Some(Statement::CreateIndex(create)) => {
            if let Some(name) = &create.name {
                names.push(("index", last(cx, name)));
            }
        }
        Some(Statement::CreateView(view)) => names.push(("view", last(cx, &view.name))),
        Some(Statement::CreateSequence { name, .. }) => names.push(("sequence", last(cx, name))),
        Some(Statement::CreateSchema { schema_name, .. }) => {
            names.push((
                "schema",
                schema_name.to_string().trim_matches('"').to_owned(),
            ));
        }
        _ => {}
    }
    for (_, operation) in alter_operations(cx.statement) {
        match operation {
            AlterTableOperation::AddColumn { column_def, .. } => {
                names.push(("column", cx.ident(&column_def.name)))
            }
            AlterTableOperation::RenameColumn {
                new_column_name, ..
            } => names.push(("column", cx.ident(new_column_name))),
            AlterTableOperation::AddConstraint { constraint: c, .. } => {
                names.extend(constraint(c, cx))
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new = match table_name {
                    sqlparser::ast::RenameTableNameKind::As(n)
                    | sqlparser::ast::RenameTableNameKind::To(n) => n,
                };
                names.push(("table", last(cx, new)));
            }
            _ => {}
        }
    }
    for (kind, name) in names {
        if let Some(pattern) = naming.get(kind)
            && !pattern.is_match(&name)
        {
            emit.report(
                &[],
                format!(
                    "{kind} name `{name}` does not match the pattern `{}`",
                    pattern.as_str()
                ),
            );
        }
    }
}

rule_tests!();
