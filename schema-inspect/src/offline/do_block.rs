//! PostgreSQL `DO` blocks that only run DDL.
//!
//! A `DO` block runs PL/pgSQL, which the loader does not interpret in general. Schemas
//! use a few simple shapes of it to create objects conditionally or to survive a
//! missing privilege, and those are read here:
//!
//! - a block without `DECLARE`, whose statements are DDL (`CREATE`, `ALTER`,
//!   `COMMENT`, `GRANT`, `REVOKE`, `DROP`), `EXECUTE '<constant>'` or `NULL`;
//! - `IF [NOT] EXISTS (SELECT ... FROM pg_extension WHERE extname = '<name>') THEN ...
//!   [ELSE ...] END IF`, decided by the extensions the realm holds at that point;
//! - an `EXCEPTION` section, which does not run when the block succeeds: the offline
//!   load assumes it does (the statements before it are replayed, the handlers not).
//!
//! Anything else (variables, loops, queries, `PERFORM`, other conditions) makes the
//! whole block one the loader does not replay, recorded with its reason, as before.

use super::{Outcome, Replay, Result, Text};
use crate::Location;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// Why a block is not replayed.
pub(crate) const NOT_REPLAYED: &str = "DO blocks run code; their effects are not replayed";

/// One step of a block the loader can replay.
#[derive(Debug, PartialEq)]
enum Step {
    /// A statement, as written (`EXECUTE`'s constant, unquoted).
    Sql(String),
    /// `IF [NOT] EXISTS (... pg_extension ... extname = 'name') THEN ... ELSE ... END IF`.
    IfExtension {
        name: String,
        exists: bool,
        then: Vec<Step>,
        otherwise: Vec<Step>,
    },
}

/// Replays a `DO` block of the shapes the module docs list, or records that it was not.
pub(crate) fn apply(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Outcome> {
    let Some(steps) = read(sql) else {
        return Ok(Outcome::Ignored(NOT_REPLAYED.into()));
    };
    run(replay, &steps, loc)?;
    Ok(Outcome::Applied)
}

fn run(replay: &mut Replay, steps: &[Step], loc: &Location) -> Result<()> {
    for step in steps {
        match step {
            Step::Sql(text) => {
                let text = format!("{text};");
                replay.replay_source(Text {
                    name: &loc.file,
                    text: &text,
                })?;
            }
            Step::IfExtension {
                name,
                exists,
                then,
                otherwise,
            } => {
                let holds = replay.realm.extensions.contains_key(name);
                run(replay, if holds == *exists { then } else { otherwise }, loc)?;
            }
        }
    }
    Ok(())
}

/// The steps of a `DO` statement, when it has one of the shapes the module reads.
fn read(sql: &str) -> Option<Vec<Step>> {
    let tokens = significant(sql)?;
    let mut words = Cursor {
        tokens: &tokens,
        pos: 0,
    };
    if !words.kw("DO") {
        return None;
    }
    let mut language = None;
    let mut body = None;
    while let Some(token) = words.next() {
        match token {
            Token::Word(w)
                if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("LANGUAGE") =>
            {
                language = match words.next()? {
                    Token::Word(w) => Some(w.value.to_ascii_lowercase()),
                    Token::SingleQuotedString(s) => Some(s.to_ascii_lowercase()),
                    _ => return None,
                };
            }
            Token::DollarQuotedString(s) => body = Some(s.value.clone()),
            Token::SingleQuotedString(s) => body = Some(s.replace("''", "'")),
            Token::SemiColon => {}
            _ => return None,
        }
    }
    if language.is_some_and(|l| l != "plpgsql") {
        return None;
    }
    let body = significant(&body?)?;
    let mut cursor = Cursor {
        tokens: &body,
        pos: 0,
    };
    if !cursor.kw("BEGIN") {
        return None;
    }
    let steps = statements(&mut cursor, &["END", "EXCEPTION"])?;
    if cursor.kw("EXCEPTION") {
        // The handlers run only when the block fails; skip to the block's END.
        let end = body.iter().rposition(|t| is_word(t, "END"))?;
        cursor.pos = end;
    }
    if !cursor.kw("END") {
        return None;
    }
    cursor.eat(&Token::SemiColon);
    cursor.at_end().then_some(steps)
}

/// Statements up to (not including) one of the `stop` words at this level.
fn statements(cursor: &mut Cursor<'_>, stop: &[&str]) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    loop {
        let token = cursor.peek()?;
        if stop.iter().any(|s| is_word(token, s)) {
            return Some(steps);
        }
        if cursor.eat(&Token::SemiColon) {
            continue;
        }
        if cursor.kw("IF") {
            steps.push(if_extension(cursor)?);
            continue;
        }
        if cursor.kw("NULL") {
            cursor.eat(&Token::SemiColon).then_some(())?;
            continue;
        }
        if cursor.kw("EXECUTE") {
            let text = match cursor.next()? {
                Token::SingleQuotedString(s) => s.replace("''", "'"),
                Token::DollarQuotedString(s) => s.value.clone(),
                _ => return None,
            };
            cursor.eat(&Token::SemiColon).then_some(())?;
            steps.push(Step::Sql(text));
            continue;
        }
        const DDL: [&str; 6] = ["CREATE", "ALTER", "COMMENT", "GRANT", "REVOKE", "DROP"];
        if !DDL.iter().any(|w| is_word(token, w)) {
            return None;
        }
        let start = cursor.pos;
        while !cursor.eat(&Token::SemiColon) {
            cursor.next()?;
        }
        let text: String = cursor.tokens[start..cursor.pos - 1]
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        steps.push(Step::Sql(text));
    }
}

/// After `IF`: `[(] [NOT] EXISTS (SELECT ... FROM [pg_catalog.]pg_extension WHERE
/// extname = 'name') [)] THEN ... [ELSE ...] END IF ;`.
fn if_extension(cursor: &mut Cursor<'_>) -> Option<Step> {
    let then_at =
        (cursor.pos..cursor.tokens.len()).find(|&i| is_word(&cursor.tokens[i], "THEN"))?;
    let condition = &cursor.tokens[cursor.pos..then_at];
    let (name, exists) = extension_condition(condition)?;
    cursor.pos = then_at + 1;
    let then = statements(cursor, &["ELSE", "ELSIF", "ELSEIF", "END"])?;
    let otherwise = if cursor.kw("ELSE") {
        statements(cursor, &["END"])?
    } else {
        Vec::new()
    };
    if !(cursor.kw("END") && cursor.kw("IF")) {
        return None;
    }
    cursor.eat(&Token::SemiColon);
    Some(Step::IfExtension {
        name,
        exists,
        then,
        otherwise,
    })
}

/// `[NOT] EXISTS (SELECT ... FROM [pg_catalog.]pg_extension WHERE extname = 'name')`,
/// in any parentheses: the name, and whether the condition holds when it exists.
fn extension_condition(tokens: &[Token]) -> Option<(String, bool)> {
    let mut tokens = tokens;
    // Outer parentheses around the whole condition.
    while let (Some(Token::LParen), Some(Token::RParen)) = (tokens.first(), tokens.last()) {
        tokens = &tokens[1..tokens.len() - 1];
    }
    let (exists, rest) = match tokens {
        [not, rest @ ..] if is_word(not, "NOT") => (false, rest),
        rest => (true, rest),
    };
    let [first, Token::LParen, query @ .., Token::RParen] = rest else {
        return None;
    };
    if !is_word(first, "EXISTS") || !query.first().is_some_and(|t| is_word(t, "SELECT")) {
        return None;
    }
    let from = query.iter().position(|t| is_word(t, "FROM"))?;
    let table_and_filter = match &query[from + 1..] {
        [schema, Token::Period, rest @ ..] if is_word(schema, "pg_catalog") => rest,
        rest => rest,
    };
    match table_and_filter {
        [
            table,
            where_,
            column,
            Token::Eq,
            Token::SingleQuotedString(name),
        ] if is_word(table, "pg_extension")
            && is_word(where_, "WHERE")
            && is_word(column, "extname") =>
        {
            Some((name.replace("''", "'"), exists))
        }
        _ => None,
    }
}

/// The tokens of `sql` without whitespace and comments, literals kept as written
/// (their `Display` puts the quotes back around that text); `None` when it does not
/// tokenize.
fn significant(sql: &str) -> Option<Vec<Token>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql)
        .with_unescape(false)
        .tokenize()
        .ok()?;
    Some(
        tokens
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect(),
    )
}

fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
}

struct Cursor<'t> {
    tokens: &'t [Token],
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.pos)?;
        self.pos += 1;
        Some(token)
    }

    fn kw(&mut self, word: &str) -> bool {
        let found = self.peek().is_some_and(|t| is_word(t, word));
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat(&mut self, token: &Token) -> bool {
        let found = self.peek() == Some(token);
        if found {
            self.pos += 1;
        }
        found
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_extension_and_exception_blocks_are_read() {
        let steps = read(
            "DO LANGUAGE 'plpgsql' $$
                BEGIN
                    IF ( NOT EXISTS (select extname from pg_extension where extname = 'btree_gin') ) THEN
                        CREATE EXTENSION btree_gin;
                    END IF;
                END
            $$;",
        );
        assert_eq!(
            steps,
            Some(vec![Step::IfExtension {
                name: "btree_gin".into(),
                exists: false,
                then: vec![Step::Sql("CREATE EXTENSION btree_gin".into())],
                otherwise: vec![],
            }])
        );
        let steps = read(
            "DO $$ BEGIN EXECUTE 'CREATE TABLE t (a int)'; CREATE SCHEMA s;
             EXCEPTION WHEN insufficient_privilege THEN CREATE SCHEMA other; END $$;",
        );
        assert_eq!(
            steps,
            Some(vec![
                Step::Sql("CREATE TABLE t (a int)".into()),
                Step::Sql("CREATE SCHEMA s".into()),
            ])
        );
    }

    #[test]
    fn other_code_is_not_read() {
        for sql in [
            "DO $$ DECLARE x int; BEGIN CREATE SCHEMA s; END $$;",
            "DO $$ BEGIN PERFORM 1; END $$;",
            "DO $$ BEGIN IF now() > '2020-01-01' THEN CREATE SCHEMA s; END IF; END $$;",
            "DO $$ BEGIN FOR i IN 1..3 LOOP EXECUTE 'CREATE SCHEMA s' || i; END LOOP; END $$;",
            "DO LANGUAGE plperl $$ 1 $$;",
        ] {
            assert_eq!(read(sql), None, "{sql}");
        }
    }
}
