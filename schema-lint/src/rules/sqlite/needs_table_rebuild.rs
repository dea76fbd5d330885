//! LT101 `needs-table-rebuild`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};
use crate::rules::{alter_table, has_option};
use schema_model::Dialect;
use schema_model::IndexKey;
use sqlparser::ast::{AlterTableOperation, ColumnOption};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "LT101",
    name: "needs-table-rebuild",
    family: Family::Sqlite,
    dialects: &[Dialect::Sqlite],
    severity: Severity::Error,
    default_on: true,
    summary: "An ALTER TABLE that SQLite cannot do in place: changing a column or constraint, adding a PRIMARY KEY, UNIQUE or NOT NULL-without-default column, or dropping a column that a key, index or constraint uses.",
    why: "SQLite refuses the statement; the change needs the table rebuilt (create the new table, copy the rows, drop the old one, rename), which the migration does not do.",
    instead: Some(
        "rebuild the table: CREATE TABLE new_t (...); INSERT INTO new_t SELECT ...; DROP TABLE t; ALTER TABLE new_t RENAME TO t; with PRAGMA foreign_keys=OFF around it and foreign_key_check after",
    ),
    setup: "CREATE TABLE users (id integer PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);",
    bad: "ALTER TABLE users DROP COLUMN email;",
    good: "ALTER TABLE users ADD COLUMN bio text;",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(alter) = alter_table(cx.statement) else {
        return;
    };
    let table = cx.table(&alter.name);
    for operation in &alter.operations {
        let why = match operation {
            AlterTableOperation::AlterColumn { .. }
            | AlterTableOperation::ModifyColumn { .. }
            | AlterTableOperation::ChangeColumn { .. } => {
                Some("SQLite cannot change a column".to_owned())
            }
            AlterTableOperation::AddConstraint { .. } => {
                Some("SQLite cannot add a constraint to a table".to_owned())
            }
            AlterTableOperation::DropConstraint { .. } => {
                Some("SQLite cannot drop a constraint".to_owned())
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let options = &column_def.options;
                if has_option(options, |o| {
                    matches!(o, ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_))
                }) {
                    Some("SQLite cannot add a PRIMARY KEY or UNIQUE column".to_owned())
                } else if has_option(options, |o| matches!(o, ColumnOption::NotNull))
                    && !has_option(options, |o| matches!(o, ColumnOption::Default(_)))
                {
                    Some("SQLite cannot add a NOT NULL column without a default".to_owned())
                } else {
                    None
                }
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                column_names.iter().find_map(|c| {
                    let name = cx.ident(c);
                    let t = table?;
                    let in_key = t
                        .primary_key
                        .as_ref()
                        .is_some_and(|pk| pk.columns.contains(&name))
                        || t.uniques.values().any(|u| u.columns.contains(&name))
                        || t.foreign_keys.values().any(|f| f.columns.contains(&name));
                    let indexed = t.indexes.values().any(|i| {
                        i.parts
                            .iter()
                            .any(|p| matches!(&p.key, IndexKey::Column(col) if *col == name))
                    });
                    (in_key || indexed).then(|| {
                        format!("SQLite cannot drop column `{name}`: a key or index uses it")
                    })
                })
            }
            _ => None,
        };
        if let Some(why) = why {
            emit.report(
                &["ALTER"],
                format!("{why}; table `{}` must be rebuilt", alter.name),
            );
        }
    }
}

rule_tests!();
