//! sqldef's rename annotations (`-- @renamed from=old`, or `/* @renamed from=old */`)
//! turned into Sextant's rename hints, as the corpus README asks of the harness.
//!
//! An annotation names the object it sits beside: inside a `CREATE TABLE` header or
//! right after the opening parenthesis, the table; after (or inside) a table element,
//! that element (a column, an index, a constraint); in `CREATE INDEX`, the index; in
//! `CREATE TYPE`, the type or the enum value it follows. The scanner only knows
//! strings, quoted identifiers, comments and parentheses: annotated statements are
//! plain DDL, and a reading it cannot make is an error, never a guess.

use schema_diff::Rename;
use schema_model::{Dialect, Realm};

/// One lexical piece of the text.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// An identifier or keyword; `quoted` when written in quotes (its case is kept).
    Word {
        text: String,
        quoted: bool,
    },
    /// A string literal, its quotes undoubled.
    Text(String),
    Punct(char),
    /// The old name of a `@renamed from=` annotation.
    Annotation(Word),
}

/// A name as written: quoted names keep their case.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    quoted: bool,
}

impl Word {
    /// The name the database stores: PostgreSQL folds unquoted names to lower case.
    fn stored(&self, dialect: Dialect) -> String {
        if !self.quoted && dialect == Dialect::Postgres {
            self.text.to_lowercase()
        } else {
            self.text.clone()
        }
    }
}

/// The rename hints the annotations in `desired` ask for, resolved against the
/// offline load of `desired` (for unqualified names' schemas).
pub fn hints(desired: &str, target: &Realm) -> Result<Vec<Rename>, String> {
    let dialect = target.dialect;
    let tokens = tokenize(desired)?;
    let mut tables = Vec::new();
    let mut members = Vec::new();
    for statement in tokens.split(|t| *t == Token::Punct(';')) {
        if !statement.iter().any(|t| matches!(t, Token::Annotation(_))) {
            continue;
        }
        for found in annotations(statement)? {
            let table_name = |words: &[Word]| -> Result<(String, String), String> {
                resolve_table(words, target, dialect)
            };
            match found {
                Found::Table { name, old } => {
                    let (schema, new) = table_name(&name)?;
                    tables.push(rename("table", &[&schema, &old.stored(dialect)], &new)?);
                }
                Found::Column { table, old, new } => {
                    let (schema, table) = table_name(&table)?;
                    members.push(rename(
                        "column",
                        &[&schema, &table, &old.stored(dialect)],
                        &new.stored(dialect),
                    )?);
                }
                Found::Index { table, old, new } => {
                    let (schema, table) = table_name(&table)?;
                    members.push(rename(
                        "index",
                        &[&schema, &table, &old.stored(dialect)],
                        &new.stored(dialect),
                    )?);
                }
                Found::Constraint { table, old, new } => {
                    let (schema, table) = table_name(&table)?;
                    members.push(rename(
                        "constraint",
                        &[&schema, &table, &old.stored(dialect)],
                        &new.stored(dialect),
                    )?);
                }
                Found::Type { name, old } => {
                    let (schema, new) = resolve_type(&name, target, dialect)?;
                    tables.push(rename("type", &[&schema, &old.stored(dialect)], &new)?);
                }
                Found::EnumValue {
                    type_name,
                    old,
                    new,
                } => {
                    let (schema, type_name) = resolve_type(&type_name, target, dialect)?;
                    // Labels are strings: their case is kept, quoted or not.
                    members.push(rename(
                        "enum-value",
                        &[&schema, &type_name, &old.text],
                        &new,
                    )?);
                }
                Found::Unsupported(what) => {
                    return Err(format!(
                        "a rename annotation on {what}: Sextant has no rename hint for it yet"
                    ));
                }
            }
        }
    }
    // Member hints name their table or type by its new name: those renames go first.
    tables.extend(members);
    Ok(tables)
}

fn rename(kind: &str, from: &[&str], to: &str) -> Result<Rename, String> {
    let hint = format!("{kind}:{}={to}", Rename::join_name(from));
    Rename::parse(&hint).map_err(|e| format!("rename hint {hint}: {e}"))
}

/// The schema and name of a table named by `words` (one or two parts) in the target.
fn resolve_table(
    words: &[Word],
    target: &Realm,
    dialect: Dialect,
) -> Result<(String, String), String> {
    match words {
        [schema, name] => Ok((schema.stored(dialect), name.stored(dialect))),
        [name] => {
            let name = name.stored(dialect);
            let schemas: Vec<&String> = target
                .schemas
                .iter()
                .filter(|(_, s)| s.tables.contains_key(&name))
                .map(|(schema, _)| schema)
                .collect();
            match schemas.as_slice() {
                [schema] => Ok(((*schema).clone(), name)),
                [] => Err(format!(
                    "the annotated table {name} is not in the desired schema"
                )),
                _ => Err(format!("the annotated table {name} is in several schemas")),
            }
        }
        _ => Err("an annotated table with an unreadable name".to_owned()),
    }
}

/// The schema and name of a type named by `words` (one or two parts) in the target.
fn resolve_type(
    words: &[Word],
    target: &Realm,
    dialect: Dialect,
) -> Result<(String, String), String> {
    match words {
        [schema, name] => Ok((schema.stored(dialect), name.stored(dialect))),
        [name] => {
            let name = name.stored(dialect);
            let schemas: Vec<&String> = target
                .schemas
                .iter()
                .filter(|(_, s)| s.types.contains_key(&name))
                .map(|(schema, _)| schema)
                .collect();
            match schemas.as_slice() {
                [schema] => Ok(((*schema).clone(), name)),
                [] => Err(format!(
                    "the annotated type {name} is not in the desired schema"
                )),
                _ => Err(format!("the annotated type {name} is in several schemas")),
            }
        }
        _ => Err("an annotated type with an unreadable name".to_owned()),
    }
}

/// What one annotation renames.
#[derive(Debug, PartialEq)]
enum Found {
    Table {
        name: Vec<Word>,
        old: Word,
    },
    Column {
        table: Vec<Word>,
        old: Word,
        new: Word,
    },
    Index {
        table: Vec<Word>,
        old: Word,
        new: Word,
    },
    Constraint {
        table: Vec<Word>,
        old: Word,
        new: Word,
    },
    Type {
        name: Vec<Word>,
        old: Word,
    },
    EnumValue {
        type_name: Vec<Word>,
        old: Word,
        new: String,
    },
    Unsupported(&'static str),
}

fn keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word { text, quoted: false }) if text.eq_ignore_ascii_case(word))
}

/// A dotted name starting at `tokens[at]`, and the index after it.
fn dotted_name(tokens: &[&Token], mut at: usize) -> Option<(Vec<Word>, usize)> {
    let mut parts = Vec::new();
    loop {
        let Some(Token::Word { text, quoted }) = tokens.get(at) else {
            return None;
        };
        parts.push(Word {
            text: text.clone(),
            quoted: *quoted,
        });
        at += 1;
        if tokens.get(at) == Some(&&Token::Punct('.')) {
            at += 1;
        } else {
            return Some((parts, at));
        }
    }
}

/// The annotations of one statement and what each renames.
fn annotations(statement: &[Token]) -> Result<Vec<Found>, String> {
    // Annotations are looked at in place; the grammar is read from the other tokens.
    let code: Vec<&Token> = statement
        .iter()
        .filter(|t| !matches!(t, Token::Annotation(_)))
        .collect();
    let mut at = 0;
    if !keyword(code.get(at).copied(), "create") {
        return Err("a rename annotation outside a CREATE statement".to_owned());
    }
    at += 1;
    while ["temporary", "temp", "unique", "or", "replace", "unlogged"]
        .iter()
        .any(|w| keyword(code.get(at).copied(), w))
    {
        at += 1;
    }
    let skip_if_not_exists = |mut at: usize| {
        if keyword(code.get(at).copied(), "if") {
            at += 3;
        }
        at
    };
    if keyword(code.get(at).copied(), "table") {
        let at = skip_if_not_exists(at + 1);
        let (table, _) = dotted_name(&code, at).ok_or("an unreadable annotated table name")?;
        table_annotations(statement, &table)
    } else if keyword(code.get(at).copied(), "index") {
        let mut at = at + 1;
        if keyword(code.get(at).copied(), "concurrently") {
            at += 1;
        }
        let at = skip_if_not_exists(at);
        let (index, after) = dotted_name(&code, at).ok_or("an unreadable annotated index name")?;
        if !keyword(code.get(after).copied(), "on") {
            return Err("an annotated CREATE INDEX without ON".to_owned());
        }
        let mut on = after + 1;
        if keyword(code.get(on).copied(), "only") {
            on += 1;
        }
        let (table, _) = dotted_name(&code, on).ok_or("an unreadable indexed table name")?;
        let new = index.last().cloned().ok_or("an empty index name")?;
        Ok(statement
            .iter()
            .filter_map(|t| match t {
                Token::Annotation(old) => Some(Found::Index {
                    table: table.clone(),
                    old: old.clone(),
                    new: new.clone(),
                }),
                _ => None,
            })
            .collect())
    } else if keyword(code.get(at).copied(), "type") || keyword(code.get(at).copied(), "domain") {
        let (name, _) = dotted_name(&code, at + 1).ok_or("an unreadable annotated type name")?;
        let olds = statement.iter().filter_map(|t| match t {
            Token::Annotation(old) => Some(old.clone()),
            _ => None,
        });
        Ok(member_annotations(statement)
            .into_iter()
            .zip(olds)
            .map(|(member, old)| match member.as_deref() {
                None => Found::Type {
                    name: name.clone(),
                    old,
                },
                // An enum's element is one label; a composite's is a name and a type.
                Some([Token::Text(label)]) => Found::EnumValue {
                    type_name: name.clone(),
                    old,
                    new: label.clone(),
                },
                Some(_) => Found::Unsupported("a composite type's attribute"),
            })
            .collect())
    } else {
        Err(
            "a rename annotation on a statement that is not CREATE TABLE, INDEX, TYPE or DOMAIN"
                .into(),
        )
    }
}

/// For each annotation of a parenthesized body: `None` when it names the statement's
/// object (in the header, or first in the body), or the tokens of the body element it
/// belongs to (the one it follows, or sits inside).
fn member_annotations(statement: &[Token]) -> Vec<Option<Vec<&Token>>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut element: Vec<&Token> = Vec::new();
    let mut previous: Option<Vec<&Token>> = None;
    let mut pending: Vec<usize> = Vec::new();
    for token in statement {
        match token {
            Token::Punct('(') => {
                depth += 1;
                if depth > 1 {
                    element.push(token);
                }
            }
            Token::Punct(')') => {
                if depth > 1 {
                    element.push(token);
                }
                depth = depth.saturating_sub(1);
                if depth == 0 && !element.is_empty() {
                    let done = std::mem::take(&mut element);
                    for index in pending.drain(..) {
                        out[index] = Some(done.clone());
                    }
                    previous = Some(done);
                }
            }
            Token::Punct(',') if depth == 1 => {
                let done = std::mem::take(&mut element);
                for index in pending.drain(..) {
                    out[index] = Some(done.clone());
                }
                previous = Some(done);
            }
            Token::Annotation(_) => {
                if depth == 0 && previous.is_none() {
                    out.push(None);
                } else if depth == 1 && element.is_empty() {
                    // After a comma the annotation trails the element before it; right
                    // after the opening parenthesis, it belongs to the statement.
                    out.push(previous.clone());
                } else {
                    out.push(None);
                    pending.push(out.len() - 1);
                }
            }
            _ if depth >= 1 => element.push(token),
            _ => {}
        }
    }
    out
}

fn table_annotations(statement: &[Token], table: &[Word]) -> Result<Vec<Found>, String> {
    let olds = statement.iter().filter_map(|t| match t {
        Token::Annotation(old) => Some(old.clone()),
        _ => None,
    });
    let mut found = Vec::new();
    for (member, old) in member_annotations(statement).into_iter().zip(olds) {
        let Some(element) = member else {
            found.push(Found::Table {
                name: table.to_vec(),
                old,
            });
            continue;
        };
        let word = |i: usize| match element.get(i) {
            Some(Token::Word { text, quoted }) => Some(Word {
                text: text.clone(),
                quoted: *quoted,
            }),
            _ => None,
        };
        let first = element.first().copied();
        let index_name = if keyword(first, "index") || keyword(first, "key") {
            Some(1)
        } else if keyword(first, "unique")
            && (keyword(element.get(1).copied(), "key")
                || keyword(element.get(1).copied(), "index"))
        {
            Some(2)
        } else {
            None
        };
        if keyword(first, "constraint") {
            // A named constraint of any kind; where a unique constraint is a unique
            // index (MySQL), the differ renames the index.
            let new = word(1).ok_or("an annotated constraint without a name")?;
            found.push(Found::Constraint {
                table: table.to_vec(),
                old,
                new,
            });
        } else if let Some(at) = index_name {
            let new = word(at).ok_or("an annotated index without a name")?;
            found.push(Found::Index {
                table: table.to_vec(),
                old,
                new,
            });
        } else if keyword(first, "primary")
            || keyword(first, "foreign")
            || keyword(first, "check")
            || keyword(first, "unique")
            || keyword(first, "exclude")
        {
            found.push(Found::Unsupported("a constraint without a name"));
        } else {
            let new = word(0).ok_or("an annotated column without a name")?;
            found.push(Found::Column {
                table: table.to_vec(),
                old,
                new,
            });
        }
    }
    Ok(found)
}

/// Strings, quoted names, comments (kept only when they are annotations) and the rest.
fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |p| i + p);
            annotation(&chars[i + 2..end], &mut tokens)?;
            i = end;
        } else if c == '/' && next == Some('*') {
            let end = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
                .ok_or("an unclosed /* comment")?;
            annotation(&chars[i + 2..end], &mut tokens)?;
            i = end + 2;
        } else if c == '\'' || c == '"' || c == '`' {
            let (body, end) = quoted(&chars, i)?;
            tokens.push(if c == '\'' {
                Token::Text(body)
            } else {
                Token::Word {
                    text: body,
                    quoted: true,
                }
            });
            i = end;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            tokens.push(Token::Word {
                text: chars[start..i].iter().collect(),
                quoted: false,
            });
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    Ok(tokens)
}

/// The body of the quoted text starting at `start` (doubled quotes undoubled), and the
/// index after its closing quote.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut body = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(format!("an unclosed {quote}")),
            Some(&c) if c == quote => {
                if chars.get(i + 1) == Some(&quote) {
                    body.push(quote);
                    i += 2;
                } else {
                    return Ok((body, i + 1));
                }
            }
            Some(&c) => {
                body.push(c);
                i += 1;
            }
        }
    }
}

/// Pushes the annotation a comment holds, if it holds one.
fn annotation(comment: &[char], tokens: &mut Vec<Token>) -> Result<(), String> {
    let text: String = comment.iter().collect();
    let Some(at) = text.find("@renamed") else {
        return Ok(());
    };
    let rest = text[at + "@renamed".len()..].trim_start();
    let value = rest
        .strip_prefix("from=")
        .ok_or_else(|| format!("an annotation without from=: {}", text.trim()))?;
    let value: Vec<char> = value.trim().chars().collect();
    let word = match value.first() {
        Some('"' | '`' | '\'') => {
            let (body, _) = quoted(&value, 0)?;
            Word {
                text: body,
                quoted: true,
            }
        }
        Some(_) => Word {
            text: value.iter().take_while(|c| !c.is_whitespace()).collect(),
            quoted: false,
        },
        None => return Err("an annotation with an empty from=".to_owned()),
    };
    tokens.push(Token::Annotation(word));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_inspect::{LoadOptions, Source, load_sources};

    fn hints_of(dialect: Dialect, sql: &str) -> Result<Vec<String>, String> {
        let options = LoadOptions::new(dialect);
        let realm = load_sources(&[Source::new("desired.sql", sql)], &options)
            .map_err(|e| e.to_string())?
            .realm;
        Ok(hints(sql, &realm)?
            .iter()
            .map(|r| format!("{}:{}={}", r.kind, r.from, r.to))
            .collect())
    }

    #[test]
    fn columns_tables_and_indexes() -> Result<(), String> {
        let sql = "CREATE TABLE new_users ( -- @renamed from=old_users\n  id int,\n  \
                   user_name text, -- @renamed from=username\n  \"Mail\" text /* @renamed from=\"E Mail\" */\n);\n\
                   CREATE INDEX email_idx /* @renamed from=idx_email */ ON new_users (\"Mail\");";
        assert_eq!(
            hints_of(Dialect::Postgres, sql)?,
            vec![
                "table:public.old_users=new_users",
                "column:public.new_users.username=user_name",
                "column:public.new_users.E Mail=Mail",
                "index:public.new_users.idx_email=email_idx",
            ]
        );
        Ok(())
    }

    #[test]
    fn last_element_and_mysql_keys() -> Result<(), String> {
        let sql = "CREATE DATABASE app;\nUSE app;\nCREATE TABLE users (\n  id int,\n  `a.b` int, -- @renamed from=`a.c`\n  \
                   UNIQUE KEY unique_email (id) -- @renamed from=old_unique_email\n);";
        assert_eq!(
            hints_of(Dialect::Mysql, sql)?,
            vec![
                r#"column:users."a.c"=a.b"#,
                "index:users.old_unique_email=unique_email"
            ]
        );
        Ok(())
    }

    #[test]
    fn types_enum_values_and_constraints() -> Result<(), String> {
        let sql = "CREATE SCHEMA app;\n\
                   CREATE TYPE app.order_status -- @renamed from=order_state\nAS ENUM (\n  \
                   'minor', -- @renamed from=low\n  'High' /* @renamed from='HIGH' */\n);\n\
                   CREATE DOMAIN positive /* @renamed from=posint */ AS integer CHECK (VALUE > 0);\n\
                   CREATE TYPE mood AS ( -- @renamed from=feeling\n  a int\n);\n\
                   CREATE TABLE users (\n  id int,\n  email text,\n  \
                   CONSTRAINT unique_email UNIQUE (email), -- @renamed from=old_unique_email\n  \
                   CONSTRAINT \"Positive\" CHECK (id > 0) /* @renamed from=id_check */\n);";
        assert_eq!(
            hints_of(Dialect::Postgres, sql)?,
            vec![
                "type:app.order_state=order_status",
                "type:public.posint=positive",
                "type:public.feeling=mood",
                "enum-value:app.order_status.low=minor",
                "enum-value:app.order_status.HIGH=High",
                "constraint:public.users.old_unique_email=unique_email",
                "constraint:public.users.id_check=Positive",
            ]
        );
        Ok(())
    }

    #[test]
    fn composite_attributes_and_unnamed_constraints_are_refused_with_a_reason() {
        let sql = "CREATE TYPE pair AS (\n  a int, -- @renamed from=b\n  c int\n);";
        let error = hints_of(Dialect::Postgres, sql).err().unwrap_or_default();
        assert!(error.contains("composite type's attribute"), "{error}");
        let sql = "CREATE TABLE t (\n  id int,\n  CHECK (id > 0) -- @renamed from=c\n);";
        let error = hints_of(Dialect::Postgres, sql).err().unwrap_or_default();
        assert!(error.contains("constraint without a name"), "{error}");
    }
}
