//! MY101 `copying-alter`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_table, has_option, type_change};
use schema_model::Dialect;
use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "MY101",
    name: "copying-alter",
    family: Family::Mysql,
    dialects: &[Dialect::Mysql],
    severity: Severity::Warning,
    default_on: true,
    summary: "An ALTER TABLE on an existing table that InnoDB can only do by copying the table (ALGORITHM=COPY), which blocks writes throughout: a column type change, adding or dropping the primary key, a character set conversion, a storage engine change, a stored generated or AUTO_INCREMENT column.",
    why: "The copy takes as long as the table is big, and concurrent writes are blocked until it finishes.",
    instead: Some(
        "state ALGORITHM=INPLACE (or INSTANT), LOCK=NONE so that MySQL refuses rather than copies, and use an online schema change tool (gh-ost, pt-online-schema-change) for changes that need a copy",
    ),
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, age int);",
    bad: "ALTER TABLE users MODIFY age bigint;",
    good: "ALTER TABLE users ADD COLUMN bio text, ALGORITHM=INSTANT;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::LockTime,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(alter) = alter_table(cx.statement) else {
        return;
    };
    if !cx.is_existing_table(&alter.name) || cx.has_words(&["ALGORITHM"]) {
        return;
    }
    let mut reasons = Vec::new();
    for operation in &alter.operations {
        match operation {
            AlterTableOperation::ModifyColumn {
                col_name: column,
                data_type,
                ..
            }
            | AlterTableOperation::ChangeColumn {
                old_name: column,
                data_type,
                ..
            } => match type_change(cx, &alter.name, column, data_type) {
                Some((old, new)) if old == new => {}
                _ => reasons.push(format!("the type of `{}` changes", cx.ident(column))),
            },
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::PrimaryKey(_),
                ..
            } => {
                reasons.push("a primary key is added".to_owned());
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                reasons.push("the primary key is dropped".to_owned())
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let stored = has_option(&column_def.options, |o| {
                    matches!(
                        o,
                        ColumnOption::Generated {
                            generation_expr_mode: Some(
                                sqlparser::ast::GeneratedExpressionMode::Stored
                            ),
                            ..
                        }
                    )
                });
                let auto = has_option(
                    &column_def.options,
                    |o| matches!(o, ColumnOption::DialectSpecific(t) if t.iter().any(|t| t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT"))),
                );
                if stored {
                    reasons.push(format!(
                        "stored generated column `{}` is added",
                        cx.ident(&column_def.name)
                    ));
                }
                if auto {
                    reasons.push(format!(
                        "AUTO_INCREMENT column `{}` is added",
                        cx.ident(&column_def.name)
                    ));
                }
            }
            _ => {}
        }
    }
    if cx.has_words(&["CONVERT", "TO"]) {
        reasons.push("the table's character set is converted".to_owned());
    }
    if cx.has_words(&["ENGINE"]) {
        reasons.push("the storage engine changes".to_owned());
    }
    if !reasons.is_empty() {
        emit.report(
            &["ALTER"],
            format!(
                "MySQL copies existing table `{}` and blocks writes while it does: {}",
                alter.name,
                reasons.join(", ")
            ),
        );
    }
}

rule_tests!();
