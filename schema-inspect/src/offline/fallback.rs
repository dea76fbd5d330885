//! Narrow, tested readers for statements sqlparser 0.64 cannot parse (or cannot parse
//! without losing what the model needs).
//!
//! Each reader recognises its statement by the leading keywords, reads names and values
//! with sqlparser's tokenizer (whitespace and comments skipped), and returns `Ok(None)`
//! when the statement is not quite what it expects, so that the original parse error
//! is reported rather than a guess. Where only a clause is in the way, the reader cuts
//! it out of the text, lets sqlparser parse the rest, and hands the clause to the
//! handler itself.

use super::objects::comments::{CommentTarget, set_comment};
use super::objects::functions::{MysqlRoutine, RoutineClass};
use super::objects::grants::{Change, GrantTarget, Named};
use super::objects::sequences::SequenceSpec;
use super::objects::types::DomainAction;
use super::objects::views::ViewExtras;
use super::objects::{
    OWNERSHIP, ROLES, events, functions, grants, opaque, sequences, triggers, types, views,
};
use super::{Outcome, Replay, Result, invalid, parse};
use crate::Location;
use schema_model::{
    ArgumentMode, CheckOption, CompositeAttribute, DataType, Deferrable, Dialect, EventStatus,
    FunctionKind, Identity, QualifiedName, Trigger, TriggerAction, TriggerEvent, TriggerTiming,
    TypeKind,
};
use sqlparser::ast::{self, Expr, Ident, ObjectName, ObjectNamePart, Statement};
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

// ----- the token cursor -----

/// A token with its byte range in the statement text.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

/// The tokens of one statement, whitespace and comments left out, with a cursor.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    sql: &'a str,
    toks: Vec<Tok>,
    pos: usize,
}

/// Turns sqlparser's 1-based line/column positions (in characters) into byte offsets,
/// walking the text once as the positions come in order.
struct ByteOffsets<'a> {
    sql: &'a str,
    byte: usize,
    line: u64,
    column: u64,
}

impl ByteOffsets<'_> {
    fn at(&mut self, line: u64, column: u64) -> usize {
        if (line, column) < (self.line, self.column) {
            self.byte = 0;
            self.line = 1;
            self.column = 1;
        }
        while (self.line, self.column) < (line, column) {
            let Some(c) = self
                .sql
                .get(self.byte..)
                .and_then(|rest| rest.chars().next())
            else {
                break;
            };
            self.byte += c.len_utf8();
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.byte
    }
}

impl<'a> Tokens<'a> {
    /// Tokenizes a statement; `None` when the tokenizer fails.
    pub(crate) fn new(dialect: Dialect, sql: &'a str) -> Option<Self> {
        let tokens = match dialect {
            Dialect::Postgres => {
                Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize_with_location()
            }
            Dialect::Mysql => Tokenizer::new(&MySqlDialect {}, sql).tokenize_with_location(),
            Dialect::Sqlite => Tokenizer::new(&SQLiteDialect {}, sql).tokenize_with_location(),
        }
        .ok()?;
        let mut offsets = ByteOffsets {
            sql,
            byte: 0,
            line: 1,
            column: 1,
        };
        let toks = tokens
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| {
                let start = offsets.at(t.span.start.line, t.span.start.column);
                let end = offsets.at(t.span.end.line, t.span.end.column);
                Tok {
                    token: t.token,
                    start,
                    end,
                }
            })
            .collect();
        Some(Tokens { sql, toks, pos: 0 })
    }

    fn word_at(&self, index: usize) -> Option<&sqlparser::tokenizer::Word> {
        match self.toks.get(index).map(|t| &t.token) {
            Some(Token::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn is_kw_at(&self, index: usize, kw: &str) -> bool {
        self.word_at(index)
            .is_some_and(|w| w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
    }

    /// Whether the next tokens are these keywords.
    pub(crate) fn peek_kws(&self, kws: &[&str]) -> bool {
        kws.iter()
            .enumerate()
            .all(|(i, kw)| self.is_kw_at(self.pos + i, kw))
    }

    /// Consumes a keyword if it is next.
    pub(crate) fn kw(&mut self, kw: &str) -> bool {
        let hit = self.is_kw_at(self.pos, kw);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Consumes these keywords if they are all next.
    pub(crate) fn kws(&mut self, kws: &[&str]) -> bool {
        let hit = self.peek_kws(kws);
        if hit {
            self.pos += kws.len();
        }
        hit
    }

    /// The next token.
    pub(crate) fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos).map(|t| &t.token)
    }

    /// Consumes the next token.
    pub(crate) fn next_token(&mut self) -> Option<Token> {
        let token = self.toks.get(self.pos).map(|t| t.token.clone());
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    /// Consumes a token equal to `token`.
    pub(crate) fn eat(&mut self, token: &Token) -> bool {
        let hit = self.peek() == Some(token);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Consumes an identifier (a word, quoted or not).
    pub(crate) fn ident(&mut self) -> Option<Ident> {
        let word = self.word_at(self.pos)?.clone();
        self.pos += 1;
        Some(match word.quote_style {
            Some(q) => Ident::with_quote(q, word.value),
            None => Ident::new(word.value),
        })
    }

    /// Consumes a dotted name.
    pub(crate) fn object_name(&mut self) -> Option<ObjectName> {
        let mut parts = vec![ObjectNamePart::Identifier(self.ident()?)];
        while self.peek() == Some(&Token::Period) {
            self.pos += 1;
            parts.push(ObjectNamePart::Identifier(self.ident()?));
        }
        Some(ObjectName(parts))
    }

    /// Consumes a string literal.
    pub(crate) fn string(&mut self) -> Option<String> {
        let value = match self.peek()? {
            Token::SingleQuotedString(s)
            | Token::EscapedStringLiteral(s)
            | Token::NationalStringLiteral(s)
            | Token::DoubleQuotedString(s) => s.clone(),
            Token::DollarQuotedString(d) => d.value.clone(),
            _ => return None,
        };
        self.pos += 1;
        Some(value)
    }

    /// Consumes an integer, with an optional sign.
    pub(crate) fn number(&mut self) -> Option<i64> {
        let save = self.pos;
        let negative = if self.eat(&Token::Minus) {
            true
        } else {
            self.eat(&Token::Plus);
            false
        };
        match self.next_token() {
            Some(Token::Number(n, _)) => {
                let value: i64 = n.parse().ok()?;
                Some(if negative { -value } else { value })
            }
            _ => {
                self.pos = save;
                None
            }
        }
    }

    /// A cursor over some of this statement's tokens (a group's item).
    pub(crate) fn sub(&self, toks: Vec<Tok>) -> Tokens<'a> {
        Tokens {
            sql: self.sql,
            toks,
            pos: 0,
        }
    }

    /// Whether only `;` remains.
    pub(crate) fn at_end(&self) -> bool {
        self.toks
            .get(self.pos..)
            .is_none_or(|rest| rest.iter().all(|t| t.token == Token::SemiColon))
    }

    /// Byte offset of the next token (or the end of the text).
    pub(crate) fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.sql.len(), |t| t.start)
    }

    /// Byte offset just after the previous token.
    fn previous_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.end)
    }

    /// Byte offset where the statement's text ends, before any `;`.
    fn content_end(&self) -> usize {
        self.toks
            .iter()
            .rev()
            .find(|t| t.token != Token::SemiColon)
            .map_or(0, |t| t.end)
    }

    /// The text from the next token to the end of the statement, `;` left out.
    pub(crate) fn rest_text(&self) -> &'a str {
        let start = self.offset();
        let end = self.content_end().max(start);
        self.sql.get(start..end).unwrap_or_default()
    }

    /// At `(`: consumes the group and returns the byte range of its inside.
    pub(crate) fn group(&mut self) -> Option<(usize, usize)> {
        if self.peek() != Some(&Token::LParen) {
            return None;
        }
        let open = self.toks.get(self.pos)?.end;
        let mut depth = 0usize;
        while let Some(tok) = self.toks.get(self.pos) {
            match tok.token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let close = tok.start;
                        self.pos += 1;
                        return Some((open, close));
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        None
    }

    /// At `(`: consumes the group and returns the tokens of each comma-separated item.
    pub(crate) fn group_items(&mut self) -> Option<Vec<Vec<Tok>>> {
        if self.peek() != Some(&Token::LParen) {
            return None;
        }
        self.pos += 1;
        let mut items = vec![Vec::new()];
        let mut depth = 0usize;
        loop {
            let tok = self.toks.get(self.pos)?.clone();
            self.pos += 1;
            match tok.token {
                Token::LParen => depth += 1,
                Token::RParen if depth == 0 => break,
                Token::RParen => depth -= 1,
                Token::Comma if depth == 0 => {
                    items.push(Vec::new());
                    continue;
                }
                _ => {}
            }
            if let Some(item) = items.last_mut() {
                item.push(tok);
            }
        }
        if items.len() == 1 && items.first().is_some_and(Vec::is_empty) {
            items.clear();
        }
        Some(items)
    }

    /// Moves to the next keyword `kw` outside parentheses.
    pub(crate) fn seek_kw(&mut self, kw: &str) -> Option<()> {
        self.seek_kws(&[kw])
    }

    /// Moves to the next occurrence of these keywords outside parentheses.
    pub(crate) fn seek_kws(&mut self, kws: &[&str]) -> Option<()> {
        let mut depth = 0usize;
        while let Some(tok) = self.toks.get(self.pos) {
            match tok.token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                _ if depth == 0 && self.peek_kws(kws) => return Some(()),
                _ => {}
            }
            self.pos += 1;
        }
        None
    }

    /// Every token of the statement, with its byte range.
    pub(crate) fn all(&self) -> &[Tok] {
        &self.toks
    }

    /// The text between two byte offsets.
    pub(crate) fn text(&self, start: usize, end: usize) -> &'a str {
        self.sql.get(start..end).unwrap_or_default()
    }
}

/// The first `n` words of a statement, uppercase, skipping whitespace and comments
/// (and the `/*!NNNNN` opener of MySQL's versioned comments). Cheap: no tokenizing.
fn leading_words(sql: &str, n: usize) -> Vec<String> {
    let bytes = sql.as_bytes();
    let mut i = 0;
    let mut words = Vec::new();
    while words.len() < n && i < bytes.len() {
        let rest = bytes.get(i..).unwrap_or_default();
        if rest.starts_with(b"--") || rest.starts_with(b"#") {
            while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                i += 1;
            }
        } else if rest.starts_with(b"/*!") {
            i += 3;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            match sql.get(i + 2..).and_then(|r| r.find("*/")) {
                Some(end) => i += 2 + end + 2,
                None => break,
            }
        } else if rest.starts_with(b"*/") {
            i += 2;
        } else if bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        } else if bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            let start = i;
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                i += 1;
            }
            words.push(sql.get(start..i).unwrap_or_default().to_ascii_uppercase());
        } else {
            break;
        }
    }
    words
}

/// MySQL text with its versioned-comment markers (`/*!50003 ... */`) blanked out, so
/// that the hinted SQL reads as plain SQL at the same byte offsets. (sqlparser's
/// tokenizer reads hints too, but reports positions inside them shifted by the marker.)
pub(crate) fn dehint(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains("/*!") {
        return std::borrow::Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(open) = rest.find("/*!") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 3..).unwrap_or_default();
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&" ".repeat(3 + digits));
        let inner = after.get(digits..).unwrap_or_default();
        match inner.find("*/") {
            Some(close) => {
                out.push_str(inner.get(..close).unwrap_or_default());
                out.push_str("  ");
                rest = inner.get(close + 2..).unwrap_or_default();
            }
            None => {
                out.push_str(inner);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn sql_dialect(dialect: Dialect) -> Box<dyn sqlparser::dialect::Dialect> {
    match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// Parses a type from text.
fn parse_type(dialect: Dialect, text: &str) -> Option<ast::DataType> {
    let d = sql_dialect(dialect);
    Parser::new(d.as_ref())
        .try_with_sql(text)
        .ok()?
        .parse_data_type()
        .ok()
}

/// Parses an expression from text.
fn parse_expr(dialect: Dialect, text: &str) -> Option<Expr> {
    let d = sql_dialect(dialect);
    let mut parser = Parser::new(d.as_ref()).try_with_sql(text).ok()?;
    let expr = parser.parse_expr().ok()?;
    Some(expr)
}

/// Parses one statement from rewritten text.
fn parse_one(dialect: Dialect, text: &str) -> Option<Statement> {
    let mut statements = parse(dialect, text).ok()?;
    if statements.len() == 1 {
        statements.pop()
    } else {
        None
    }
}

/// The text with byte ranges cut out (ranges in order, not overlapping).
fn cut(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in ranges {
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push(' ');
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// `routine(arg types)` read by sqlparser through a `DROP FUNCTION` it can parse.
fn routine_desc(dialect: Dialect, name_and_args: &str) -> Option<ast::FunctionDesc> {
    match parse_one(dialect, &format!("DROP FUNCTION {name_and_args}"))? {
        Statement::DropFunction(drop) => drop.func_desc.into_iter().next(),
        _ => None,
    }
}

/// `ALTER PROCEDURE` (and `ALTER ROUTINE`), which sqlparser does not read: the same
/// actions as `ALTER FUNCTION`, which it does, on the routine the signature names.
fn alter_procedure(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kw("ALTER") || !(tokens.kw("PROCEDURE") || tokens.kw("ROUTINE")) {
        return Ok(None);
    }
    let rest = tokens.rest_text();
    let Some(statement @ Statement::AlterFunction(_)) =
        parse_one(replay.dialect, &format!("ALTER FUNCTION {rest}"))
    else {
        return Ok(None);
    };
    replay.apply(&statement, loc).map(Some)
}

// ----- entry points -----

/// Statements recognised before sqlparser sees them: ones it would reject or misread
/// whatever their details (`ALTER ... OWNER TO`, MySQL routines, triggers and events,
/// whose bodies must be kept as written).
pub(crate) fn before_parse(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let words = leading_words(sql, 2);
    match words.first().map(String::as_str) {
        Some("ALTER") if contains_ignore_case(sql, "OWNER") => Ok(owner_to(replay.dialect, sql)),
        Some("CREATE") if replay.dialect == Dialect::Mysql => {
            mysql_create(replay, &dehint(sql), loc)
        }
        // sqlparser reads `DEFAULT 1 NOT NULL` as the default `1 IS NOT NULL` instead
        // of failing, so the NOT NULL constraint has to be cut out before it parses.
        Some("CREATE")
            if replay.dialect == Dialect::Postgres
                && words.get(1).map(String::as_str) == Some("DOMAIN") =>
        {
            create_domain(replay, sql, loc)
        }
        // Events are model objects of their own, not kept whole: read them before
        // sqlparser (which has no MySQL event statements) and the opaque fallback.
        // (`ALTER DEFINER = ...` may be a view's: the reader passes on anything else.)
        Some("ALTER" | "DROP")
            if replay.dialect == Dialect::Mysql
                && matches!(words.get(1).map(String::as_str), Some("EVENT" | "DEFINER")) =>
        {
            mysql_alter_or_drop_event(replay, &dehint(sql), loc)
        }
        _ => Ok(None),
    }
}

/// Statements recognised after sqlparser failed on them.
pub(crate) fn after_parse_error(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let dehinted = if replay.dialect == Dialect::Mysql {
        dehint(sql)
    } else {
        std::borrow::Cow::Borrowed(sql)
    };
    let sql = dehinted.as_ref();
    let words = leading_words(sql, 4);
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or_default();
    if replay.dialect == Dialect::Postgres
        && matches!(word(0), "CREATE" | "ALTER")
        && let Some(construct) = temporal_constraint(sql)
    {
        return Err(super::unsupported(loc, construct));
    }
    if replay.dialect == Dialect::Sqlite
        && word(0) == "CREATE"
        && words.iter().any(|w| w == "TABLE")
        && let Some(outcome) = sqlite_sub_type(replay, sql, loc)?
    {
        return Ok(Some(outcome));
    }
    if replay.dialect == Dialect::Postgres
        && word(0) == "CREATE"
        && words.iter().any(|w| w == "TABLE")
        && let Some(outcome) = pg_create_table_not_valid(replay, sql, loc)?
    {
        return Ok(Some(outcome));
    }
    if replay.dialect == Dialect::Postgres
        && matches!(word(0), "CREATE" | "ALTER")
        && words.iter().any(|w| w == "TABLE")
        && let Some(outcome) = pg_foreign_key_action_columns(replay, sql, loc)?
    {
        return Ok(Some(outcome));
    }
    match word(0) {
        "ALTER" => match word(1) {
            "SEQUENCE" => alter_sequence(replay, sql, loc),
            "TABLE" if replay.dialect == Dialect::Mysql => {
                match mysql_alter_table(replay, sql, loc)? {
                    Some(outcome) => Ok(Some(outcome)),
                    None => alter_table(replay, sql, loc),
                }
            }
            "TABLE" => alter_table(replay, sql, loc),
            "INDEX" => alter_index(replay, sql, loc),
            "PROCEDURE" | "ROUTINE" if replay.dialect == Dialect::Postgres => {
                alter_procedure(replay, sql, loc)
            }
            "DOMAIN" => alter_domain(replay, sql, loc),
            "TYPE" if replay.dialect == Dialect::Postgres => {
                match alter_type_attributes(replay, sql, loc)? {
                    Some(outcome) => Ok(Some(outcome)),
                    None => match alter_type_schema(replay, sql, loc)? {
                        Some(outcome) => Ok(Some(outcome)),
                        None => alter_opaque(replay, sql, loc),
                    },
                }
            }
            "EXTENSION" => Ok(Some(Outcome::Ignored(
                "ALTER EXTENSION changes the extension's contents, which are not modelled".into(),
            ))),
            "ROLE" | "USER" | "GROUP" => Ok(Some(Outcome::Ignored(ROLES.into()))),
            _ => alter_opaque(replay, sql, loc),
        },
        "CREATE" if replay.dialect == Dialect::Mysql && words.iter().any(|w| w == "TABLE") => {
            match mysql_partitioned_table(replay, sql, loc)? {
                Some(outcome) => Ok(Some(outcome)),
                None => match mysql_index_kinds(replay, sql, loc)? {
                    Some(outcome) => Ok(Some(outcome)),
                    None => match mysql_binary_attribute(replay, sql, loc)? {
                        Some(outcome) => Ok(Some(outcome)),
                        None => create(replay, sql, loc),
                    },
                },
            }
        }
        "CREATE" if replay.dialect == Dialect::Mysql && words.iter().any(|w| w == "INDEX") => {
            match mysql_index_kinds(replay, sql, loc)? {
                Some(outcome) => Ok(Some(outcome)),
                None => create(replay, sql, loc),
            }
        }
        "CREATE" if words.iter().any(|w| w == "INDEX") => {
            match create_index_only(replay, sql, loc)? {
                Some(outcome) => Ok(Some(outcome)),
                None => create(replay, sql, loc),
            }
        }
        "CREATE" => create(replay, sql, loc),
        "COMMENT" => comment_on(replay, sql, loc),
        "GRANT" | "REVOKE" => grant_other(replay, sql, loc),
        "DROP" => drop_other(replay, sql, loc),
        "DO" if replay.dialect == Dialect::Postgres => {
            super::do_block::apply(replay, sql, loc).map(Some)
        }
        "DO" => Ok(Some(Outcome::Ignored(super::do_block::NOT_REPLAYED.into()))),
        "PRAGMA" => Ok(Some(Outcome::Ignored(format!(
            "PRAGMA {} changes the connection, not the schema",
            pragma_name(sql)
        )))),
        "SECURITY" => Ok(Some(Outcome::Ignored(
            "security labels are not part of the schema model".into(),
        ))),
        _ => Ok(None),
    }
}

/// The (possibly qualified) name after `PRAGMA`, as written.
fn pragma_name(sql: &str) -> String {
    let rest = sql.trim_start();
    let rest = rest.get(6..).unwrap_or_default().trim_start();
    rest.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect()
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

// ----- ALTER ... OWNER TO -----

/// `ALTER <any kind> <name> OWNER TO <role>`, and nothing else in the statement.
fn owner_to(dialect: Dialect, sql: &str) -> Option<Outcome> {
    let tokens = Tokens::new(dialect, sql)?;
    let toks: Vec<&Tok> = tokens
        .toks
        .iter()
        .filter(|t| t.token != Token::SemiColon)
        .collect();
    let n = toks.len();
    if n < 5 {
        return None;
    }
    let is = |i: usize, kw: &str| {
        toks.get(i).is_some_and(|t| {
            matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
        })
    };
    if !is(n - 3, "OWNER")
        || !is(n - 2, "TO")
        || !matches!(toks.get(n - 1).map(|t| &t.token), Some(Token::Word(_)))
    {
        return None;
    }
    // One action only: a comma outside parentheses means several.
    let mut depth = 0usize;
    for t in &toks {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => return None,
            _ => {}
        }
    }
    Some(Outcome::Ignored(OWNERSHIP.into()))
}

// ----- sequences and identity -----

/// Reads sequence options (as `ALTER SEQUENCE` and identity columns write them) until
/// a token that is not one; also returns `SEQUENCE NAME`.
fn sequence_options(
    replay: &Replay,
    tokens: &mut Tokens<'_>,
) -> Option<(SequenceSpec, Option<ObjectName>)> {
    let mut spec = SequenceSpec::default();
    let mut name = None;
    loop {
        if tokens.kw("AS") {
            let start = tokens.offset();
            tokens.ident()?;
            let text = tokens.text(start, tokens.previous_end());
            let ty = parse_type(replay.dialect, text)?;
            spec.data_type = Some(replay.data_type(&ty).ok()?.0);
        } else if tokens.kw("INCREMENT") {
            tokens.kw("BY");
            spec.increment = Some(tokens.number()?);
        } else if tokens.kws(&["NO", "MINVALUE"]) {
            spec.min_value = Some(None);
        } else if tokens.kws(&["NO", "MAXVALUE"]) {
            spec.max_value = Some(None);
        } else if tokens.kws(&["NO", "CYCLE"]) {
            spec.cycle = Some(false);
        } else if tokens.kw("MINVALUE") {
            spec.min_value = Some(Some(tokens.number()?));
        } else if tokens.kw("MAXVALUE") {
            spec.max_value = Some(Some(tokens.number()?));
        } else if tokens.kw("START") {
            tokens.kw("WITH");
            spec.start = Some(tokens.number()?);
        } else if tokens.kw("RESTART") {
            spec.restart = true;
            let with = tokens.kw("WITH");
            if tokens.number().is_none() && with {
                return None;
            }
        } else if tokens.kw("CACHE") {
            spec.cache = Some(tokens.number()?);
        } else if tokens.kw("CYCLE") {
            spec.cycle = Some(true);
        } else if tokens.kws(&["OWNED", "BY"]) {
            let owner = tokens.object_name()?;
            let is_none = owner.0.len() == 1
                && owner
                    .0
                    .first()
                    .and_then(ObjectNamePart::as_ident)
                    .is_some_and(|i| {
                        i.quote_style.is_none() && i.value.eq_ignore_ascii_case("none")
                    });
            spec.owned_by = Some(if is_none { None } else { Some(owner) });
        } else if tokens.kws(&["SEQUENCE", "NAME"]) {
            name = Some(tokens.object_name()?);
        } else if tokens.kw("LOGGED") || tokens.kw("UNLOGGED") {
        } else {
            break;
        }
    }
    Some((spec, name))
}

/// `ALTER SEQUENCE [IF EXISTS] name { options | RENAME TO n | SET SCHEMA s }`.
fn alter_sequence(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "SEQUENCE"]) {
        return Ok(None);
    }
    let if_exists = tokens.kws(&["IF", "EXISTS"]);
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    if tokens.kws(&["RENAME", "TO"]) || tokens.kws(&["SET", "SCHEMA"]) {
        let renaming = tokens.toks.get(tokens.pos.saturating_sub(2)).is_some_and(
            |t| matches!(&t.token, Token::Word(w) if w.value.eq_ignore_ascii_case("RENAME")),
        );
        let Some(target) = tokens.ident() else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        let from = sequences::resolve_sequence(replay, &name, loc)?;
        let target = replay.ident(&target);
        let to = if renaming {
            schema_model::QualifiedName::new(from.schema.clone(), target)
        } else {
            schema_model::QualifiedName::new(target, from.name.clone())
        };
        return sequences::move_sequence(replay, &from, to, loc).map(Some);
    }
    let Some((spec, None)) = sequence_options(replay, &mut tokens) else {
        return Ok(None);
    };
    if !tokens.at_end() || spec == SequenceSpec::default() {
        return Ok(None);
    }
    sequences::alter_sequence(replay, &name, if_exists, &spec, loc).map(Some)
}

/// The `ALTER TABLE` forms sqlparser 0.64 cannot parse, one action per statement:
/// identity columns as pg_dump writes them, column storage settings, `CLUSTER ON`.
fn alter_table(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "TABLE"]) {
        return Ok(None);
    }
    let if_exists = tokens.kws(&["IF", "EXISTS"]);
    tokens.kw("ONLY");
    let Some(table) = tokens.object_name() else {
        return Ok(None);
    };
    tokens.eat(&Token::Mul);
    if replay.dialect == Dialect::Postgres && tokens.kws(&["SET", "SCHEMA"]) {
        let Some(schema) = tokens.ident().filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        let schema = replay.ident(&schema);
        return super::tables::set_table_schema(replay, &table, schema, if_exists, loc).map(Some);
    }
    if tokens.kws(&["CLUSTER", "ON"]) {
        return Ok(tokens.ident().filter(|_| tokens.at_end()).map(|_| {
            Outcome::Ignored("CLUSTER ON orders the table's storage, not its schema".into())
        }));
    }
    if tokens.kws(&["SET", "WITHOUT", "CLUSTER"]) && tokens.at_end() {
        return Ok(Some(Outcome::Ignored(
            "SET WITHOUT CLUSTER orders the table's storage, not its schema".into(),
        )));
    }
    if (tokens.kws(&["DISABLE", "KEYS"]) || tokens.kws(&["ENABLE", "KEYS"])) && tokens.at_end() {
        return Ok(Some(Outcome::Ignored(
            "DISABLE/ENABLE KEYS pauses index maintenance during a load".into(),
        )));
    }
    if replay.dialect == Dialect::Postgres && tokens.kws(&["ALTER", "CONSTRAINT"]) {
        let Some(constraint) = tokens.ident() else {
            return Ok(None);
        };
        let Some(deferrable) = constraint_timing(&mut tokens).filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        return alter_fk_timing(replay, &table, &replay.ident(&constraint), deferrable, loc)
            .map(Some);
    }
    if !tokens.kw("ALTER") {
        return Ok(None);
    }
    tokens.kw("COLUMN");
    let Some(column) = tokens.ident() else {
        return Ok(None);
    };
    if replay.dialect == Dialect::Postgres {
        if tokens.kws(&["DROP", "EXPRESSION"]) {
            let if_exists = tokens.kws(&["IF", "EXISTS"]);
            if !tokens.at_end() {
                return Ok(None);
            }
            return drop_expression(replay, &table, &column, if_exists, loc).map(Some);
        }
        if tokens.peek_kws(&["SET", "GENERATED"])
            || tokens.peek_kws(&["RESTART"])
            || (tokens.peek_kws(&["SET"])
                && !tokens.peek_kws(&["SET", "STATISTICS"])
                && !tokens.peek_kws(&["SET", "STORAGE"])
                && !tokens.peek_kws(&["SET", "COMPRESSION"])
                && tokens.toks.get(tokens.pos + 1).map(|t| &t.token) != Some(&Token::LParen))
        {
            let save = tokens.pos;
            if let Some((always, spec)) = identity_changes(replay, &mut tokens) {
                return alter_identity(replay, &table, &column, always, &spec, loc).map(Some);
            }
            tokens.pos = save;
        }
    }
    if tokens.kws(&["SET", "STATISTICS"]) {
        return Ok(tokens
            .number()
            .filter(|_| tokens.at_end())
            .map(|_| Outcome::Ignored("SET STATISTICS tunes the planner, not the schema".into())));
    }
    if tokens.kws(&["SET", "STORAGE"]) {
        return Ok(tokens.ident().filter(|_| tokens.at_end()).map(|_| {
            Outcome::Ignored("SET STORAGE changes how values are stored, not the schema".into())
        }));
    }
    let options_follow = (tokens.peek_kws(&["SET"]) || tokens.peek_kws(&["RESET"]))
        && tokens.toks.get(tokens.pos + 1).map(|t| &t.token) == Some(&Token::LParen);
    if options_follow && {
        tokens.pos += 1;
        tokens.group().is_some() && tokens.at_end()
    } {
        return Ok(Some(Outcome::Ignored(
            "column attribute options (n_distinct, ...) tune the planner, not the schema".into(),
        )));
    }
    if tokens.kws(&["SET", "COMPRESSION"]) {
        return Ok(tokens.ident().filter(|_| tokens.at_end()).map(|_| {
            Outcome::Ignored("SET COMPRESSION changes how values are stored, not the schema".into())
        }));
    }
    if tokens.kws(&["ADD", "GENERATED"]) {
        let always = if tokens.kw("ALWAYS") {
            true
        } else if tokens.kws(&["BY", "DEFAULT"]) {
            false
        } else {
            return Ok(None);
        };
        if !tokens.kws(&["AS", "IDENTITY"]) {
            return Ok(None);
        }
        let mut spec = SequenceSpec::default();
        if tokens.peek() == Some(&Token::LParen) {
            tokens.pos += 1;
            let Some((read, _sequence_name)) = sequence_options(replay, &mut tokens) else {
                return Ok(None);
            };
            spec = read;
            if !tokens.eat(&Token::RParen) {
                return Ok(None);
            }
        }
        if !tokens.at_end() {
            return Ok(None);
        }
        return set_identity(replay, &table, &column, Some((always, spec)), false, loc).map(Some);
    }
    if tokens.kws(&["DROP", "IDENTITY"]) {
        let if_exists = tokens.kws(&["IF", "EXISTS"]);
        if !tokens.at_end() {
            return Ok(None);
        }
        return set_identity(replay, &table, &column, None, if_exists, loc).map(Some);
    }
    Ok(None)
}

/// Sets (or drops) a column's identity, as `ALTER COLUMN ... ADD GENERATED ... AS
/// IDENTITY` and `DROP IDENTITY` do.
fn set_identity(
    replay: &mut Replay,
    table: &ObjectName,
    column: &Ident,
    identity: Option<(bool, SequenceSpec)>,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.resolve_table(table, loc)?;
    let column = replay.ident(column);
    let t = replay.table_mut(&qn, loc)?;
    let Some(col) = t.column_mut(&column) else {
        return Err(super::invalid(
            loc,
            format!("column \"{column}\" of relation \"{qn}\" does not exist"),
        ));
    };
    match identity {
        Some((always, spec)) => {
            if col.identity.is_some() {
                return Err(super::invalid(
                    loc,
                    format!(
                        "column \"{column}\" of relation \"{qn}\" is already an identity column"
                    ),
                ));
            }
            // The identity's sequence has the column's integer type.
            let default_type = if col.data_type.is_integer() {
                col.data_type.clone()
            } else {
                DataType::BigInt
            };
            col.identity = Some(Identity {
                always,
                sequence: spec.build(default_type),
            });
            col.nullable = false;
        }
        None => {
            if col.identity.take().is_none() {
                if if_exists {
                    return Ok(Outcome::Ignored(format!(
                        "column \"{column}\" of relation \"{qn}\" is not an identity column, skipping"
                    )));
                }
                return Err(super::invalid(
                    loc,
                    format!("column \"{column}\" of relation \"{qn}\" is not an identity column"),
                ));
            }
        }
    }
    Ok(Outcome::Applied)
}

/// `[NOT] DEFERRABLE [INITIALLY {DEFERRED | IMMEDIATE}]` as `ALTER CONSTRAINT` writes
/// it: what is left out is not deferrable and initially immediate, as the server reads
/// it.
fn constraint_timing(tokens: &mut Tokens<'_>) -> Option<Deferrable> {
    let mut deferrable = None;
    let mut initially_deferred = None;
    loop {
        if tokens.kws(&["NOT", "DEFERRABLE"]) {
            deferrable = Some(false);
        } else if tokens.kw("DEFERRABLE") {
            deferrable = Some(true);
        } else if tokens.kws(&["INITIALLY", "DEFERRED"]) {
            initially_deferred = Some(true);
        } else if tokens.kws(&["INITIALLY", "IMMEDIATE"]) {
            initially_deferred = Some(false);
        } else {
            break;
        }
    }
    if deferrable.is_none() && initially_deferred.is_none() {
        return None;
    }
    Some(match (deferrable, initially_deferred) {
        // The server refuses NOT DEFERRABLE INITIALLY DEFERRED; so does this reader.
        (Some(false), Some(true)) => return None,
        (Some(false), _) => Deferrable::NotDeferrable,
        (_, Some(true)) => Deferrable::InitiallyDeferred,
        (Some(true), _) => Deferrable::InitiallyImmediate,
        (None, _) => Deferrable::NotDeferrable,
    })
}

/// `ALTER TABLE t ALTER CONSTRAINT fk ...`: PostgreSQL 15 alters foreign keys only.
fn alter_fk_timing(
    replay: &mut Replay,
    table: &ObjectName,
    constraint: &str,
    deferrable: Deferrable,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.resolve_table(table, loc)?;
    let t = replay.table_mut(&qn, loc)?;
    if let Some(fk) = t.foreign_keys.get_mut(constraint) {
        fk.deferrable = deferrable;
        return Ok(Outcome::Applied);
    }
    let exists = t.checks.contains_key(constraint)
        || t.uniques.contains_key(constraint)
        || t.exclusions.contains_key(constraint)
        || t.primary_key
            .as_ref()
            .is_some_and(|pk| pk.name == constraint);
    Err(super::invalid(
        loc,
        if exists {
            format!(
                "constraint \"{constraint}\" of relation \"{}\" is not a foreign key constraint",
                qn.name
            )
        } else {
            format!(
                "constraint \"{constraint}\" of relation \"{}\" does not exist",
                qn.name
            )
        },
    ))
}

/// `ALTER COLUMN c { SET GENERATED { ALWAYS | BY DEFAULT } | SET option | RESTART
/// [[WITH] n] } ...`: the changes to an identity column, or `None` when the text is
/// something else.
fn identity_changes(
    replay: &Replay,
    tokens: &mut Tokens<'_>,
) -> Option<(Option<bool>, SequenceSpec)> {
    let mut always = None;
    let mut spec = SequenceSpec::default();
    while !tokens.at_end() {
        if tokens.kws(&["SET", "GENERATED"]) {
            always = Some(if tokens.kw("ALWAYS") {
                true
            } else if tokens.kws(&["BY", "DEFAULT"]) {
                false
            } else {
                return None;
            });
        } else if tokens.kw("RESTART") {
            spec.restart = true;
            let with = tokens.kw("WITH");
            if tokens.number().is_none() && with {
                return None;
            }
        } else if tokens.kw("SET") {
            let before = tokens.pos;
            let (read, None) = sequence_options(replay, tokens)? else {
                return None;
            };
            if tokens.pos == before {
                return None;
            }
            merge_spec(&mut spec, read);
        } else {
            return None;
        }
    }
    Some((always, spec))
}

/// Options read later win, as the server applies them in order.
fn merge_spec(into: &mut SequenceSpec, later: SequenceSpec) {
    into.data_type = later.data_type.or(into.data_type.take());
    into.increment = later.increment.or(into.increment);
    into.min_value = later.min_value.or(into.min_value);
    into.max_value = later.max_value.or(into.max_value);
    into.start = later.start.or(into.start);
    into.cache = later.cache.or(into.cache);
    into.cycle = later.cycle.or(into.cycle);
    into.restart |= later.restart;
}

fn alter_identity(
    replay: &mut Replay,
    table: &ObjectName,
    column: &Ident,
    always: Option<bool>,
    spec: &SequenceSpec,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.resolve_table(table, loc)?;
    let column = replay.ident(column);
    let t = replay.table_mut(&qn, loc)?;
    let Some(col) = t.column_mut(&column) else {
        return Err(super::invalid(
            loc,
            format!("column \"{column}\" of relation \"{qn}\" does not exist"),
        ));
    };
    let Some(identity) = col.identity.as_mut() else {
        return Err(super::invalid(
            loc,
            format!("column \"{column}\" of relation \"{qn}\" is not an identity column"),
        ));
    };
    if let Some(always) = always {
        identity.always = always;
    }
    spec.apply_to(&mut identity.sequence);
    Ok(Outcome::Applied)
}

/// `ALTER COLUMN c DROP EXPRESSION [IF EXISTS]`: a stored generated column becomes a
/// plain one.
fn drop_expression(
    replay: &mut Replay,
    table: &ObjectName,
    column: &Ident,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.resolve_table(table, loc)?;
    let column = replay.ident(column);
    let t = replay.table_mut(&qn, loc)?;
    let Some(col) = t.column_mut(&column) else {
        return Err(super::invalid(
            loc,
            format!("column \"{column}\" of relation \"{qn}\" does not exist"),
        ));
    };
    if col.generated.take().is_none() {
        if if_exists {
            return Ok(Outcome::Ignored(format!(
                "column \"{column}\" of relation \"{qn}\" is not a stored generated column, skipping"
            )));
        }
        return Err(super::invalid(
            loc,
            format!("column \"{column}\" of relation \"{qn}\" is not a stored generated column"),
        ));
    }
    Ok(Outcome::Applied)
}

/// The `ALTER INDEX` forms sqlparser does not read: `IF EXISTS ... RENAME TO`, `SET
/// (...)` and `RESET (...)` of storage parameters, `ATTACH PARTITION` (implied by the
/// partitioned parent's index), `ALTER [COLUMN] n SET STATISTICS`.
fn alter_index(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "INDEX"]) {
        return Ok(None);
    }
    let if_exists = tokens.kws(&["IF", "EXISTS"]);
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    if tokens.kws(&["ATTACH", "PARTITION"]) {
        let Some(child) = tokens.object_name().filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        attach_index(replay, &child, loc)?;
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["ALTER", "COLUMN"]) || tokens.kw("ALTER") {
        if tokens.number().is_some() && tokens.kws(&["SET", "STATISTICS"]) {
            return Ok(tokens.number().filter(|_| tokens.at_end()).map(|_| {
                Outcome::Ignored("SET STATISTICS tunes the planner, not the schema".into())
            }));
        }
        return Ok(None);
    }
    if tokens.kws(&["SET", "TABLESPACE"]) {
        return Ok(tokens.ident().filter(|_| tokens.at_end()).map(|_| {
            Outcome::Ignored("SET TABLESPACE places storage, which is not modelled".into())
        }));
    }
    let change = if tokens.kws(&["RENAME", "TO"]) {
        let Some(new_name) = tokens.ident().filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        super::indexes::IndexChange::Rename(replay.ident(&new_name))
    } else if tokens.kw("SET") {
        let Some(items) = tokens.group_items().filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        let mut set = Vec::new();
        for item in items {
            let (Some(first), Some(last)) = (item.first(), item.last()) else {
                return Ok(None);
            };
            let Some(expr) = tokens
                .sql
                .get(first.start..last.end)
                .and_then(|text| parse_expr(replay.dialect, text))
            else {
                return Ok(None);
            };
            set.push(expr);
        }
        super::indexes::IndexChange::Set(set)
    } else if tokens.kw("RESET") {
        let Some(items) = tokens.group_items().filter(|_| tokens.at_end()) else {
            return Ok(None);
        };
        let mut names = Vec::new();
        for item in items {
            match item.as_slice() {
                [
                    Tok {
                        token: Token::Word(word),
                        ..
                    },
                ] => names.push(word.value.to_lowercase()),
                _ => return Ok(None),
            }
        }
        super::indexes::IndexChange::Reset(names)
    } else {
        return Ok(None);
    };
    super::indexes::change_index(replay, &name, if_exists, change, loc).map(Some)
}

/// `ALTER TABLE t option [=] value [[,] option [=] value ...]` for the table options
/// the model holds (`ENGINE`, `ROW_FORMAT`, `[DEFAULT] CHARSET`/`CHARACTER SET`,
/// `[DEFAULT] COLLATE`) and `AUTO_INCREMENT`, which it does not; `None` when the
/// statement is anything else. Keys come back as `ENGINE`, `ROW_FORMAT`, `CHARSET`,
/// `COLLATE`, `AUTO_INCREMENT`.
fn mysql_table_options(tokens: &mut Tokens<'_>) -> Option<Vec<(String, String)>> {
    let save = tokens.pos;
    let mut options = Vec::new();
    while !tokens.at_end() {
        if !options.is_empty() {
            tokens.eat(&Token::Comma);
        }
        tokens.kw("DEFAULT");
        let key = if tokens.kw("ENGINE") {
            "ENGINE"
        } else if tokens.kw("ROW_FORMAT") {
            "ROW_FORMAT"
        } else if tokens.kw("CHARSET") || tokens.kws(&["CHARACTER", "SET"]) {
            "CHARSET"
        } else if tokens.kw("COLLATE") {
            "COLLATE"
        } else if tokens.kw("AUTO_INCREMENT") {
            "AUTO_INCREMENT"
        } else {
            tokens.pos = save;
            return None;
        };
        tokens.eat(&Token::Eq);
        let value = match tokens.next_token() {
            Some(Token::Word(word)) => word.value,
            Some(Token::Number(number, _)) => number,
            Some(Token::SingleQuotedString(text)) => text,
            _ => {
                tokens.pos = save;
                return None;
            }
        };
        options.push((key.to_owned(), value));
    }
    if options.is_empty() {
        tokens.pos = save;
        return None;
    }
    Some(options)
}

// ----- MySQL partitioning and ALTER TABLE forms -----

/// The `PARTITION BY ...` clause of a MySQL table, read into the model.
///
/// `keys`: the columns of `COLUMNS (...)` and `KEY (...)`, or the one expression of
/// `RANGE|LIST|HASH (expr)`, canonical. `partitions`: each partition definition with
/// its whitespace collapsed (`PARTITION p0 VALUES LESS THAN (10)`), or
/// `PARTITIONS n` when only a count is given. `LINEAR` has no place in the model and
/// is reported as a warning; subpartitions are not read (`None`).
fn mysql_partition_clause(
    replay: &mut Replay,
    tokens: &mut Tokens<'_>,
    loc: &Location,
) -> Option<schema_model::PartitionBy> {
    use schema_model::{PartitionBy, PartitionStrategy};
    if !tokens.kws(&["PARTITION", "BY"]) {
        return None;
    }
    if tokens.kw("LINEAR") {
        replay.warnings.push(crate::Warning {
            location: loc.clone(),
            message: "LINEAR partitioning is recorded as plain HASH/KEY partitioning".into(),
        });
    }
    let strategy = if tokens.kw("RANGE") {
        PartitionStrategy::Range
    } else if tokens.kw("LIST") {
        PartitionStrategy::List
    } else if tokens.kw("HASH") {
        PartitionStrategy::Hash
    } else if tokens.kw("KEY") {
        if tokens.kw("ALGORITHM") {
            tokens.eat(&Token::Eq);
            tokens.number()?;
        }
        PartitionStrategy::Key
    } else {
        return None;
    };
    let columns = strategy == PartitionStrategy::Key || tokens.kw("COLUMNS");
    let (start, end) = tokens.group()?;
    let inside = tokens.text(start, end);
    let keys = if columns {
        let mut inner = Tokens::new(replay.dialect, inside)?;
        let mut keys = Vec::new();
        while !inner.at_end() {
            keys.push(replay.ident(&inner.ident()?));
            if !inner.eat(&Token::Comma) && !inner.at_end() {
                return None;
            }
        }
        keys
    } else {
        vec![replay.expr(&parse_expr(replay.dialect, inside)?)]
    };
    let mut partitions = Vec::new();
    if tokens.kw("PARTITIONS") {
        partitions.push(format!("PARTITIONS {}", tokens.number()?));
    }
    if tokens.peek_kws(&["SUBPARTITION"]) {
        return None;
    }
    if tokens.peek() == Some(&Token::LParen) {
        partitions = mysql_partition_definitions(tokens)?;
    }
    Some(PartitionBy {
        strategy,
        keys,
        partitions,
    })
}

/// At `(`: the partition definitions of a MySQL table, whitespace collapsed.
fn mysql_partition_definitions(tokens: &mut Tokens<'_>) -> Option<Vec<String>> {
    let items = tokens.group_items()?;
    items
        .iter()
        .map(|item| {
            let first = item.first()?;
            let last = item.last()?;
            let text = tokens.text(first.start, last.end);
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            collapsed
                .get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("PARTITION "))
                .then_some(collapsed)
        })
        .collect()
}

/// The name of a stored partition definition (`PARTITION name ...`), unquoted.
fn mysql_partition_name(definition: &str) -> Option<String> {
    let mut tokens = Tokens::new(Dialect::Mysql, definition)?;
    tokens.kw("PARTITION");
    tokens.ident().map(|i| i.value)
}

/// MySQL `CREATE TABLE ... PARTITION BY ...`: the partition clause is cut out, the rest
/// parsed and created, and the partitioning stored in `Table.partition_by`.
fn mysql_partitioned_table(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kw("CREATE") {
        return Ok(None);
    }
    tokens.kw("TEMPORARY");
    if !tokens.kw("TABLE") || tokens.seek_kws(&["PARTITION", "BY"]).is_none() {
        return Ok(None);
    }
    let clause_start = tokens.offset();
    let Some(partition_by) = mysql_partition_clause(replay, &mut tokens, loc) else {
        return Ok(None);
    };
    if !tokens.at_end() {
        return Ok(None);
    }
    let rest = cut(sql, &[(clause_start, tokens.content_end())]);
    let Some(Statement::CreateTable(create)) = parse_one(replay.dialect, &rest) else {
        return Ok(None);
    };
    let qn = replay.create_name(&create.name, loc)?;
    let outcome = super::tables::create_table(replay, &create, loc)?;
    if let Outcome::Applied = outcome {
        replay.table_mut(&qn, loc)?.partition_by = Some(partition_by);
    }
    Ok(Some(outcome))
}

/// The MySQL `ALTER TABLE` forms sqlparser 0.64 rejects, one action per statement:
/// `ENGINE=`, `COMMENT=`, `RENAME INDEX a TO b`, `DROP CHECK c`, `PARTITION BY ...`,
/// `ADD PARTITION (...)`, `DROP PARTITION p, ...`, `REMOVE PARTITIONING`.
fn mysql_alter_table(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "TABLE"]) {
        return Ok(None);
    }
    let Some(table) = tokens.object_name() else {
        return Ok(None);
    };
    let qn = replay.resolve_table(&table, loc)?;
    if let Some(options) = mysql_table_options(&mut tokens) {
        let (database_charset, database_collation) = replay
            .realm
            .schemas
            .get(&qn.schema)
            .map(|s| (s.charset.clone(), s.collation.clone()))
            .unwrap_or_default();
        let t = replay.table_mut(&qn, loc)?;
        for (key, value) in options {
            match key.as_str() {
                "ENGINE" => t.options.engine = Some(super::tables::mysql_engine_name(&value)),
                "ROW_FORMAT" => t.options.row_format = Some(value.to_uppercase()),
                "CHARSET" | "COLLATE" => {
                    // Existing columns keep the charset they have; only the table's
                    // default changes.
                    super::mysql::pin_column_charsets(
                        (database_charset.as_deref(), database_collation.as_deref()),
                        t,
                    );
                    if key == "CHARSET" {
                        t.options.charset = Some(value.to_lowercase());
                        t.options.collation = None;
                    } else {
                        t.options.collation = Some(value.to_lowercase());
                    }
                }
                // The next value to hand out: data, not schema.
                _ => {}
            }
        }
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["CONVERT", "TO"]) {
        if !(tokens.kws(&["CHARACTER", "SET"]) || tokens.kw("CHARSET")) {
            return Ok(None);
        }
        let Some(charset) = tokens.ident() else {
            return Ok(None);
        };
        let collation = if tokens.kw("COLLATE") {
            match tokens.ident() {
                Some(collation) => Some(collation.value),
                None => return Ok(None),
            }
        } else {
            None
        };
        if !tokens.at_end() || charset.value.eq_ignore_ascii_case("default") {
            return Ok(None);
        }
        let (database_charset, database_collation) = replay
            .realm
            .schemas
            .get(&qn.schema)
            .map(|s| (s.charset.clone(), s.collation.clone()))
            .unwrap_or_default();
        let t = replay.table_mut(&qn, loc)?;
        super::mysql::convert_table_charset(
            (database_charset.as_deref(), database_collation.as_deref()),
            t,
            &charset.value,
            collation.as_deref(),
        )
        .map_err(|message| super::invalid(loc, message))?;
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kw("COMMENT") {
        tokens.eat(&Token::Eq);
        let Some(comment) = tokens.string() else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        replay.table_mut(&qn, loc)?.comment = (!comment.is_empty()).then_some(comment);
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["RENAME", "INDEX"]) || tokens.kws(&["RENAME", "KEY"]) {
        let (Some(from), true, Some(to)) = (tokens.ident(), tokens.kw("TO"), tokens.ident()) else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        let (from, to) = (replay.ident(&from), replay.ident(&to));
        let t = replay.table_mut(&qn, loc)?;
        if t.indexes.contains_key(&to) {
            return Err(super::invalid(loc, format!("Duplicate key name '{to}'")));
        }
        let Some(mut index) = t.indexes.remove(&from) else {
            return Err(super::invalid(
                loc,
                format!("Key '{from}' doesn't exist in table '{}'", qn.name),
            ));
        };
        index.name.clone_from(&to);
        t.indexes.insert(to, index);
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["DROP", "CHECK"]) || tokens.kws(&["DROP", "CONSTRAINT"]) {
        let Some(name) = tokens.ident() else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        let name = replay.ident(&name);
        let t = replay.table_mut(&qn, loc)?;
        if t.checks.remove(&name).is_none() {
            return Err(super::invalid(
                loc,
                format!("Check constraint '{name}' is not found in the table."),
            ));
        }
        return Ok(Some(Outcome::Applied));
    }
    if tokens.peek_kws(&["PARTITION", "BY"]) {
        let Some(partition_by) = mysql_partition_clause(replay, &mut tokens, loc) else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        replay.table_mut(&qn, loc)?.partition_by = Some(partition_by);
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["REMOVE", "PARTITIONING"]) && tokens.at_end() {
        replay.table_mut(&qn, loc)?.partition_by = None;
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["ADD", "PARTITION"]) {
        let Some(added) = mysql_partition_definitions(&mut tokens) else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        let t = replay.table_mut(&qn, loc)?;
        let Some(partitioning) = t.partition_by.as_mut() else {
            return Err(super::invalid(
                loc,
                "Partition management on a not partitioned table is not possible",
            ));
        };
        partitioning.partitions.extend(added);
        return Ok(Some(Outcome::Applied));
    }
    if tokens.kws(&["DROP", "PARTITION"]) {
        let mut names = Vec::new();
        loop {
            let Some(name) = tokens.ident() else {
                return Ok(None);
            };
            names.push(name.value);
            if !tokens.eat(&Token::Comma) {
                break;
            }
        }
        if !tokens.at_end() {
            return Ok(None);
        }
        let t = replay.table_mut(&qn, loc)?;
        let Some(partitioning) = t.partition_by.as_mut() else {
            return Err(super::invalid(
                loc,
                "Partition management on a not partitioned table is not possible",
            ));
        };
        for name in names {
            let before = partitioning.partitions.len();
            partitioning
                .partitions
                .retain(|p| mysql_partition_name(p).is_none_or(|n| !n.eq_ignore_ascii_case(&name)));
            if partitioning.partitions.len() == before {
                return Err(super::invalid(
                    loc,
                    format!("Error in list of partitions to DROP: {name}"),
                ));
            }
        }
        return Ok(Some(Outcome::Applied));
    }
    Ok(None)
}

/// MySQL and MariaDB index spellings sqlparser rejects, in `CREATE TABLE` and
/// `CREATE ... INDEX`: `WITH PARSER name` after a `FULLTEXT` key (recorded as the
/// index parameter `parser`), `CREATE FULLTEXT|SPATIAL INDEX`, and MariaDB's
/// `VECTOR INDEX` (recorded as [`IndexMethod::Other`]`("vector")`, with its options
/// `M=n` and `DISTANCE=euclidean|cosine` as the parameters `m` and `distance`, in
/// lowercase as MariaDB prints them). Each is cut out, the rest parsed, and the index
/// given its method and parameters by name afterwards; unnamed keys are left to the
/// original error.
fn mysql_index_kinds(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    use schema_model::IndexMethod;
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let toks = tokens.all();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    // (index name, method, parameters)
    type Fix = (String, Option<IndexMethod>, Vec<(String, String)>);
    let mut fixes: Vec<Fix> = Vec::new();
    let index_word = |i: usize| tokens.is_kw_at(i, "INDEX") || tokens.is_kw_at(i, "KEY");
    for i in 0..toks.len() {
        let kind = if tokens.is_kw_at(i, "VECTOR") && index_word(i + 1) {
            Some(IndexMethod::Other("vector".into()))
        } else if tokens.is_kw_at(i, "FULLTEXT") && index_word(i + 1) && i <= 2 {
            // `CREATE FULLTEXT INDEX` (inside a table sqlparser reads FULLTEXT itself).
            Some(IndexMethod::Fulltext)
        } else if tokens.is_kw_at(i, "SPATIAL") && index_word(i + 1) && i <= 2 {
            Some(IndexMethod::Spatial)
        } else {
            None
        };
        if let Some(method) = kind {
            let (Some(kw), Some(name)) = (toks.get(i), tokens.word_at(i + 2)) else {
                return Ok(None);
            };
            let name = replay.ident(&match name.quote_style {
                Some(q) => Ident::with_quote(q, name.value.clone()),
                None => Ident::new(name.value.clone()),
            });
            cuts.push((kw.start, kw.end));
            let is_vector = matches!(&method, IndexMethod::Other(m) if m == "vector");
            let options = if is_vector {
                vector_index_options(&tokens, i + 3)
            } else {
                None
            };
            let parameters = match options {
                Some((range, parameters)) => {
                    cuts.push(range);
                    parameters
                }
                None => Vec::new(),
            };
            fixes.push((name, Some(method), parameters));
        }
        if tokens.is_kw_at(i, "WITH") && tokens.is_kw_at(i + 1, "PARSER") {
            let (Some(with), Some(parser_tok), Some(parser)) =
                (toks.get(i), toks.get(i + 2), tokens.word_at(i + 2))
            else {
                return Ok(None);
            };
            // The key this belongs to: `FULLTEXT [KEY|INDEX] name (...)` before it.
            let Some(start) = (0..i).rev().find(|&j| tokens.is_kw_at(j, "FULLTEXT")) else {
                return Ok(None);
            };
            let name_at = if index_word(start + 1) {
                start + 2
            } else {
                start + 1
            };
            let Some(name) = tokens.word_at(name_at) else {
                return Ok(None);
            };
            let name = replay.ident(&match name.quote_style {
                Some(q) => Ident::with_quote(q, name.value.clone()),
                None => Ident::new(name.value.clone()),
            });
            cuts.push((with.start, parser_tok.end));
            fixes.push((
                name,
                None,
                vec![("parser".into(), parser.value.to_lowercase())],
            ));
        }
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    cuts.sort_unstable();
    let Some(statement) = parse_one(replay.dialect, &cut(sql, &cuts)) else {
        return Ok(None);
    };
    let (table, outcome) = match &statement {
        Statement::CreateTable(create) => (
            replay.create_name(&create.name, loc)?,
            super::tables::create_table(replay, create, loc)?,
        ),
        Statement::CreateIndex(create) => (
            replay.resolve_table(&create.table_name, loc)?,
            super::indexes::create_index(replay, create, loc)?,
        ),
        _ => return Ok(None),
    };
    if let Outcome::Applied = outcome {
        let t = replay.table_mut(&table, loc)?;
        for (name, method, parameters) in fixes {
            let Some(index) = t.indexes.get_mut(&name) else {
                return Err(super::invalid(
                    loc,
                    format!("index \"{name}\" was not created"),
                ));
            };
            if let Some(method) = method {
                index.method = method;
            }
            index.parameters.extend(parameters);
        }
    }
    Ok(Some(outcome))
}

/// A byte range of a statement: start, end.
type Range = (usize, usize);

/// MariaDB's `VECTOR INDEX` options after the key's column list, which starts at or
/// after token `from`: the byte range to cut out and the options as parameters.
/// `None` when there are none, or when the list is not closed.
fn vector_index_options(
    tokens: &Tokens<'_>,
    from: usize,
) -> Option<(Range, Vec<(String, String)>)> {
    let toks = tokens.all();
    let open = (from..toks.len()).find(|&j| toks[j].token == Token::LParen)?;
    let mut depth = 0usize;
    let mut close = None;
    for (j, tok) in toks.iter().enumerate().skip(open) {
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let mut at = close? + 1;
    let start = toks.get(at)?.start;
    let mut end = start;
    let mut parameters = Vec::new();
    while let Some(key) = tokens.word_at(at) {
        let key = key.value.to_lowercase();
        if !matches!(key.as_str(), "m" | "distance") || toks.get(at + 1)?.token != Token::Eq {
            break;
        }
        let value = match &toks.get(at + 2)?.token {
            Token::Number(n, _) => n.clone(),
            Token::Word(w) => w.value.to_lowercase(),
            _ => break,
        };
        parameters.push((key, value));
        end = toks.get(at + 2)?.end;
        at += 3;
    }
    (!parameters.is_empty()).then_some(((start, end), parameters))
}

/// MySQL `CREATE TABLE` with the `BINARY` attribute of a character column
/// (`varchar(40) BINARY`): it means the binary collation of the column's character
/// set, and is recorded as `collation = <charset>_bin`, the charset being the column's
/// `CHARACTER SET`, else the table's `DEFAULT CHARSET`, else the database's, else
/// `utf8mb4` (MySQL 8's server default). An explicit `COLLATE` on the column wins.
fn mysql_binary_attribute(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    const CHAR_TYPES: [&str; 9] = [
        "CHAR",
        "VARCHAR",
        "TINYTEXT",
        "TEXT",
        "MEDIUMTEXT",
        "LONGTEXT",
        "ENUM",
        "SET",
        "NCHAR",
    ];
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let toks = tokens.all();
    let mut cuts = Vec::new();
    let mut columns = Vec::new();
    for i in 0..toks.len() {
        if !tokens.is_kw_at(i, "BINARY")
            || toks.get(i + 1).is_some_and(|t| t.token == Token::LParen)
        {
            continue;
        }
        // The type word: just before, or before the `(...)` just before, a
        // `CHARACTER SET name` in between skipped.
        let mut type_at = i.checked_sub(1);
        if let Some(p) = type_at {
            if p >= 3 && tokens.is_kw_at(p - 1, "SET") && tokens.is_kw_at(p - 2, "CHARACTER") {
                type_at = Some(p - 3);
            } else if p >= 2 && tokens.is_kw_at(p - 1, "CHARSET") {
                type_at = Some(p - 2);
            }
        }
        if let Some(p) = type_at
            && toks.get(p).is_some_and(|t| t.token == Token::RParen)
        {
            let mut depth = 0usize;
            let mut j = p;
            type_at = loop {
                match toks.get(j).map(|t| &t.token) {
                    Some(Token::RParen) => depth += 1,
                    Some(Token::LParen) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break j.checked_sub(1);
                        }
                    }
                    None => break None,
                    _ => {}
                }
                let Some(prev) = j.checked_sub(1) else {
                    break None;
                };
                j = prev;
            };
        }
        let Some(type_at) = type_at else {
            continue;
        };
        if !CHAR_TYPES.iter().any(|ty| tokens.is_kw_at(type_at, ty)) {
            continue;
        }
        let (Some(column), Some(tok)) = (
            type_at.checked_sub(1).and_then(|c| tokens.word_at(c)),
            toks.get(i),
        ) else {
            return Ok(None);
        };
        columns.push(replay.ident(&match column.quote_style {
            Some(q) => Ident::with_quote(q, column.value.clone()),
            None => Ident::new(column.value.clone()),
        }));
        cuts.push((tok.start, tok.end));
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    let Some(Statement::CreateTable(create)) = parse_one(replay.dialect, &cut(sql, &cuts)) else {
        return Ok(None);
    };
    let qn = replay.create_name(&create.name, loc)?;
    let outcome = super::tables::create_table(replay, &create, loc)?;
    if let Outcome::Applied = outcome {
        let database = replay
            .realm
            .schema(&qn.schema)
            .and_then(|s| s.charset.clone());
        let t = replay.table_mut(&qn, loc)?;
        let table_charset = t.options.charset.clone();
        for name in columns {
            let Some(column) = t.column_mut(&name) else {
                return Err(super::invalid(
                    loc,
                    format!("column \"{name}\" was not created"),
                ));
            };
            if column.collation.is_none() {
                let charset = column
                    .charset
                    .clone()
                    .or_else(|| table_charset.clone())
                    .or_else(|| database.clone())
                    .unwrap_or_else(|| "utf8mb4".into());
                column.collation = Some(format!("{}_bin", charset.to_lowercase()));
            }
        }
    }
    Ok(Some(outcome))
}

/// `ALTER INDEX parent ATTACH PARTITION child`: the partition's index (or the key it
/// backs) belongs to the partitioned table's from now on, and is kept with the
/// partition's inherited keys (`tables::InheritedKeys`), out of the realm, as the live
/// inspector leaves it out.
fn attach_index(replay: &mut Replay, child: &ObjectName, loc: &Location) -> Result<()> {
    let holds = |realm: &schema_model::Realm, qn: &QualifiedName| {
        realm.schema(&qn.schema).is_some_and(|s| {
            s.tables
                .values()
                .any(|t| t.has_constraint_or_index(&qn.name))
        })
    };
    let index = replay.resolve_name(child, loc, holds)?;
    let table = replay.realm.schema(&index.schema).and_then(|s| {
        s.tables
            .values()
            .find(|t| t.has_constraint_or_index(&index.name))
            .map(|t| QualifiedName::new(index.schema.clone(), t.name.clone()))
    });
    let Some(table) = table else {
        return Err(invalid(
            loc,
            format!("relation \"{}\" does not exist", index.name),
        ));
    };
    let mut inherited = replay.inherited.remove(&table).unwrap_or_default();
    if let Some(t) = replay.realm.table_mut(&table) {
        inherited.take_from(t, &index.name);
    }
    replay.inherited.insert(table, inherited);
    Ok(())
}

// ----- CREATE INDEX ... ON ONLY -----

/// PostgreSQL `CREATE [UNIQUE] INDEX ... ON ONLY parent ...` (pg_dump's form for a
/// partitioned table): `ONLY` is cut out and the index created on the parent alone;
/// the partitions' own indexes come later, attached with `ALTER INDEX ... ATTACH
/// PARTITION`.
fn create_index_only(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    if replay.dialect != Dialect::Postgres {
        return Ok(None);
    }
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kw("CREATE") {
        return Ok(None);
    }
    tokens.kw("UNIQUE");
    if !tokens.kw("INDEX") || tokens.seek_kw("ON").is_none() {
        return Ok(None);
    }
    tokens.kw("ON");
    let only_start = tokens.offset();
    if !tokens.kw("ONLY") {
        return Ok(None);
    }
    let rest = cut(sql, &[(only_start, tokens.previous_end())]);
    let Some(Statement::CreateIndex(create)) = parse_one(replay.dialect, &rest) else {
        return Ok(None);
    };
    super::indexes::create_index_on_only(replay, &create, loc).map(Some)
}

// ----- PostgreSQL table constraints sqlparser rejects -----

/// PostgreSQL 18's temporal constraints: `PRIMARY KEY|UNIQUE (a, b WITHOUT OVERLAPS)`
/// and `FOREIGN KEY (a, PERIOD b) REFERENCES t (a, PERIOD b)`. The model has no place
/// for the temporal part, so they are refused by name rather than loaded as plain keys.
fn temporal_constraint(sql: &str) -> Option<&'static str> {
    let tokens = Tokens::new(Dialect::Postgres, sql)?;
    let toks = tokens.all();
    (0..toks.len()).find_map(|i| {
        if tokens.is_kw_at(i, "WITHOUT") && tokens.is_kw_at(i + 1, "OVERLAPS") {
            return Some(
                "PRIMARY KEY/UNIQUE ... WITHOUT OVERLAPS (PostgreSQL 18 temporal key): the model has no field for it",
            );
        }
        let after_open = i
            .checked_sub(1)
            .and_then(|p| toks.get(p))
            .is_some_and(|t| matches!(t.token, Token::LParen | Token::Comma));
        (after_open && tokens.is_kw_at(i, "PERIOD") && tokens.word_at(i + 1).is_some()).then_some(
            "FOREIGN KEY ... PERIOD (PostgreSQL 18 temporal foreign key): the model has no field for it",
        )
    })
}

/// PostgreSQL `CREATE TABLE` with an inline `CHECK (...) NOT VALID`: in `CREATE TABLE`
/// PostgreSQL accepts `NOT VALID` and marks the check valid anyway (the new table is
/// empty), so the words are cut out and the rest parsed as usual.
fn pg_create_table_not_valid(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let toks = tokens.all();
    let ranges: Vec<(usize, usize)> = (0..toks.len())
        .filter(|&i| tokens.is_kw_at(i, "NOT") && tokens.is_kw_at(i + 1, "VALID"))
        .filter_map(|i| Some((toks.get(i)?.start, toks.get(i + 1)?.end)))
        .collect();
    if ranges.is_empty() {
        return Ok(None);
    }
    let Some(Statement::CreateTable(create)) = parse_one(replay.dialect, &cut(sql, &ranges)) else {
        return Ok(None);
    };
    super::tables::create_table(replay, &create, loc).map(Some)
}

/// PostgreSQL 15's `ON DELETE SET NULL (col, ...)` and `ON DELETE SET DEFAULT (col,
/// ...)` in `CREATE TABLE` and `ALTER TABLE ... ADD`, which sqlparser rejects: the column
/// lists are cut out, the rest applied, and each list given to the foreign key this
/// statement created with that action whose columns include the listed ones. Left to
/// the original error when a list cannot be matched to exactly one new foreign key.
fn pg_foreign_key_action_columns(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    use schema_model::ReferentialAction;
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let toks = tokens.all();
    let mut cuts = Vec::new();
    let mut lists: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i + 4 < toks.len() {
        let is_set_action = tokens.is_kw_at(i, "ON")
            && tokens.is_kw_at(i + 1, "DELETE")
            && tokens.is_kw_at(i + 2, "SET")
            && (tokens.is_kw_at(i + 3, "NULL") || tokens.is_kw_at(i + 3, "DEFAULT"))
            && toks[i + 4].token == Token::LParen;
        if !is_set_action {
            i += 1;
            continue;
        }
        let mut columns = Vec::new();
        let mut j = i + 5;
        loop {
            let Some(word) = tokens.word_at(j) else {
                return Ok(None);
            };
            columns.push(replay.ident(&match word.quote_style {
                Some(q) => Ident::with_quote(q, word.value.clone()),
                None => Ident::new(word.value.clone()),
            }));
            match toks.get(j + 1).map(|t| &t.token) {
                Some(Token::Comma) => j += 2,
                Some(Token::RParen) => break,
                _ => return Ok(None),
            }
        }
        cuts.push((toks[i + 4].start, toks[j + 1].end));
        lists.push(columns);
        i = j + 2;
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    let Some(statement) = parse_one(replay.dialect, &cut(sql, &cuts)) else {
        return Ok(None);
    };
    let table = match &statement {
        Statement::CreateTable(create) => replay.create_name(&create.name, loc)?,
        Statement::AlterTable(alter) => replay.resolve_table(&alter.name, loc)?,
        _ => return Ok(None),
    };
    let before: Vec<String> = replay
        .realm
        .table(&table)
        .map(|t| t.foreign_keys.keys().cloned().collect())
        .unwrap_or_default();
    let outcome = replay.apply(&statement, loc)?;
    let t = replay.table_mut(&table, loc)?;
    let mut taken: Vec<String> = Vec::new();
    for columns in lists {
        let candidates: Vec<String> = t
            .foreign_keys
            .values()
            .filter(|fk| {
                !before.contains(&fk.name)
                    && !taken.contains(&fk.name)
                    && matches!(
                        fk.on_delete,
                        ReferentialAction::SetNull | ReferentialAction::SetDefault
                    )
                    && columns.iter().all(|c| fk.columns.contains(c))
            })
            .map(|fk| fk.name.clone())
            .collect();
        let [name] = candidates.as_slice() else {
            return Err(super::invalid(
                loc,
                format!(
                    "cannot tell which foreign key the ON DELETE column list ({}) belongs to",
                    columns.join(", ")
                ),
            ));
        };
        if let Some(fk) = t.foreign_keys.get_mut(name) {
            fk.on_delete_columns = columns;
        }
        taken.push(name.clone());
    }
    Ok(Some(outcome))
}

/// SQLite `CREATE TABLE` with type words sqlparser stops at: Firebird's
/// `BLOB SUB_TYPE TEXT` and MySQL's `BIGINT AUTO_INCREMENT` (not a keyword in SQLite,
/// whose `AUTOINCREMENT` has no underscore). SQLite takes any run of names as the
/// declared type and applies its affinity rules to the whole text, so the words are
/// joined with underscores into one type name (`BLOB_SUB_TYPE_TEXT`,
/// `BIGINT_AUTO_INCREMENT`), which has the same affinity: the rules look for letter
/// sequences, and `_` adds none. The word before must itself follow a word (the
/// column name), so a column without a type is left alone.
fn sqlite_sub_type(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let toks = tokens.all();
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for i in 0..toks.len() {
        let words_after = if tokens.is_kw_at(i, "SUB_TYPE") {
            1
        } else if tokens.is_kw_at(i, "AUTO_INCREMENT") {
            0
        } else {
            continue;
        };
        let type_word = i.checked_sub(1);
        let column_word = i.checked_sub(2);
        let (Some(first), Some(before), Some(_)) = (
            type_word.and_then(|p| toks.get(p)),
            type_word.and_then(|p| tokens.word_at(p)),
            column_word.and_then(|p| tokens.word_at(p)),
        ) else {
            return Ok(None);
        };
        let mut joined = format!(
            "{}_{}",
            before.value,
            tokens.text(
                toks.get(i).map_or(0, |t| t.start),
                toks.get(i).map_or(0, |t| t.end)
            )
        );
        let mut last = toks.get(i).map_or(0, |t| t.end);
        for k in 1..=words_after {
            let (Some(word), Some(tok)) = (tokens.word_at(i + k), toks.get(i + k)) else {
                return Ok(None);
            };
            if word.quote_style.is_some() {
                return Ok(None);
            }
            joined.push('_');
            joined.push_str(&word.value);
            last = tok.end;
        }
        if before.quote_style.is_some() || first.start < at {
            return Ok(None);
        }
        out.push_str(tokens.text(at, first.start));
        out.push_str(&joined);
        at = last;
    }
    if at == 0 {
        return Ok(None);
    }
    out.push_str(sql.get(at..).unwrap_or_default());
    let Some(Statement::CreateTable(create)) = parse_one(replay.dialect, &out) else {
        return Ok(None);
    };
    super::tables::create_table(replay, &create, loc).map(Some)
}

// ----- composite types -----

/// `ALTER TYPE name SET SCHEMA schema`, for every kind of type.
fn alter_type_schema(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "TYPE"]) {
        return Ok(None);
    }
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    if !tokens.kws(&["SET", "SCHEMA"]) {
        return Ok(None);
    }
    let Some(schema) = tokens.ident().filter(|_| tokens.at_end()) else {
        return Ok(None);
    };
    let schema = replay.ident(&schema);
    let from = super::objects::types::resolve_type(replay, &name, loc)?;
    let to = schema_model::QualifiedName::new(schema, from.name.clone());
    super::objects::types::rename_type(replay, &from, to, loc).map(Some)
}

/// One change `ALTER TYPE` makes to a composite type's attributes.
#[derive(Debug)]
enum AttributeAction {
    Add(CompositeAttribute),
    Drop {
        name: String,
        if_exists: bool,
    },
    SetType {
        name: String,
        data_type: DataType,
        collation: Option<String>,
    },
    Rename {
        from: String,
        to: String,
    },
}

/// `ALTER TYPE name { ADD | DROP | ALTER } ATTRIBUTE ... [, ...]` and `ALTER TYPE name
/// RENAME ATTRIBUTE a TO b`, which sqlparser does not read. `CASCADE` / `RESTRICT`
/// decide what happens to typed tables, which the model does not hold apart.
fn alter_type_attributes(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "TYPE"]) {
        return Ok(None);
    }
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let Some(actions) = attribute_actions(replay, &mut tokens) else {
        return Ok(None);
    };
    let qn = super::objects::types::resolve_type(replay, &name, loc)?;
    let Some(type_def) = replay
        .realm
        .schemas
        .get_mut(&qn.schema)
        .and_then(|s| s.types.get_mut(&qn.name))
    else {
        return Err(super::objects::does_not_exist(loc, "type", &qn));
    };
    let TypeKind::Composite { attributes } = &mut type_def.kind else {
        return Err(super::invalid(
            loc,
            format!("\"{qn}\" is not a composite type"),
        ));
    };
    // All or nothing, as the server applies one statement.
    let mut changed = attributes.clone();
    let mut skipped = Vec::new();
    for action in actions {
        let position = |name: &str| changed.iter().position(|a| a.name == name);
        let missing = |name: &str| {
            super::invalid(
                loc,
                format!(
                    "column \"{name}\" of relation \"{}\" does not exist",
                    qn.name
                ),
            )
        };
        match action {
            AttributeAction::Add(attribute) => {
                if position(&attribute.name).is_some() {
                    return Err(super::invalid(
                        loc,
                        format!(
                            "column \"{}\" of relation \"{}\" already exists",
                            attribute.name, qn.name
                        ),
                    ));
                }
                changed.push(attribute);
            }
            AttributeAction::Drop { name, if_exists } => match position(&name) {
                Some(i) => {
                    changed.remove(i);
                }
                None if if_exists => skipped.push(name),
                None => return Err(missing(&name)),
            },
            AttributeAction::SetType {
                name,
                data_type,
                collation,
            } => {
                let Some(i) = position(&name) else {
                    return Err(missing(&name));
                };
                changed[i].data_type = data_type;
                changed[i].collation = collation;
            }
            AttributeAction::Rename { from, to } => {
                if position(&to).is_some() {
                    return Err(super::invalid(
                        loc,
                        format!("column \"{to}\" of relation \"{}\" already exists", qn.name),
                    ));
                }
                let Some(i) = position(&from) else {
                    return Err(missing(&from));
                };
                changed[i].name = to;
            }
        }
    }
    *attributes = changed;
    Ok(Some(if skipped.is_empty() {
        Outcome::Applied
    } else {
        Outcome::Ignored(format!(
            "attribute \"{}\" does not exist, skipping",
            skipped.join("\", \"")
        ))
    }))
}

/// The actions after `ALTER TYPE name`, or `None` when they are not attribute actions.
fn attribute_actions(replay: &Replay, tokens: &mut Tokens) -> Option<Vec<AttributeAction>> {
    if tokens.kws(&["RENAME", "ATTRIBUTE"]) {
        let from = replay.ident(&tokens.ident()?);
        if !tokens.kw("TO") {
            return None;
        }
        let to = replay.ident(&tokens.ident()?);
        let _ = tokens.kw("CASCADE") || tokens.kw("RESTRICT");
        return tokens
            .at_end()
            .then_some(vec![AttributeAction::Rename { from, to }]);
    }
    let mut actions = Vec::new();
    loop {
        let action = if tokens.kws(&["ADD", "ATTRIBUTE"]) {
            let name = replay.ident(&tokens.ident()?);
            let (data_type, collation) = attribute_type(replay, tokens)?;
            AttributeAction::Add(CompositeAttribute {
                name,
                data_type,
                collation,
            })
        } else if tokens.kws(&["DROP", "ATTRIBUTE"]) {
            let if_exists = tokens.kws(&["IF", "EXISTS"]);
            let name = replay.ident(&tokens.ident()?);
            AttributeAction::Drop { name, if_exists }
        } else if tokens.kws(&["ALTER", "ATTRIBUTE"]) {
            let name = replay.ident(&tokens.ident()?);
            tokens.kws(&["SET", "DATA"]);
            if !tokens.kw("TYPE") {
                return None;
            }
            let (data_type, collation) = attribute_type(replay, tokens)?;
            AttributeAction::SetType {
                name,
                data_type,
                collation,
            }
        } else {
            return None;
        };
        actions.push(action);
        let _ = tokens.kw("CASCADE") || tokens.kw("RESTRICT");
        if tokens.at_end() {
            return Some(actions);
        }
        if !tokens.eat(&Token::Comma) {
            return None;
        }
    }
}

/// A type up to `COLLATE`, `CASCADE`, `RESTRICT`, a comma or the end, and its
/// collation.
fn attribute_type(replay: &Replay, tokens: &mut Tokens) -> Option<(DataType, Option<String>)> {
    let start = tokens.offset();
    let mut depth = 0usize;
    while let Some(token) = tokens.peek() {
        let stops = depth == 0
            && (matches!(token, Token::Comma | Token::SemiColon)
                || tokens.peek_kws(&["COLLATE"])
                || tokens.peek_kws(&["CASCADE"])
                || tokens.peek_kws(&["RESTRICT"]));
        if stops {
            break;
        }
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        tokens.pos += 1;
    }
    let text = tokens.sql.get(start..tokens.previous_end())?;
    let data_type =
        super::objects::types::type_or_other(replay, &parse_type(replay.dialect, text)?);
    let collation = if tokens.kw("COLLATE") {
        Some(super::objects::types::collation_name(
            replay,
            &tokens.object_name()?,
        ))
    } else {
        None
    };
    Some((data_type, collation))
}

// ----- domains -----

/// `ALTER DOMAIN name action`.
fn alter_domain(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["ALTER", "DOMAIN"]) {
        return Ok(None);
    }
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let dialect = replay.dialect;
    let action = if tokens.kws(&["SET", "DEFAULT"]) {
        match parse_expr(dialect, tokens.rest_text()) {
            Some(expr) => Some(DomainAction::SetDefault(expr)),
            None => return Ok(None),
        }
    } else if tokens.kws(&["DROP", "DEFAULT"]) {
        Some(DomainAction::DropDefault)
    } else if tokens.kws(&["SET", "NOT", "NULL"]) {
        Some(DomainAction::SetNotNull)
    } else if tokens.kws(&["DROP", "NOT", "NULL"]) {
        Some(DomainAction::DropNotNull)
    } else if tokens.kw("ADD") {
        let constraint = if tokens.kw("CONSTRAINT") {
            tokens.ident().map(|i| replay.ident(&i))
        } else {
            None
        };
        if !tokens.kw("CHECK") {
            return Ok(None);
        }
        let Some((start, end)) = tokens.group() else {
            return Ok(None);
        };
        let not_valid = tokens.kws(&["NOT", "VALID"]);
        let Some(expr) = parse_expr(dialect, tokens.text(start, end)) else {
            return Ok(None);
        };
        Some(DomainAction::AddCheck {
            name: constraint,
            expr,
            not_valid,
        })
    } else if tokens.kws(&["DROP", "CONSTRAINT"]) {
        let if_exists = tokens.kws(&["IF", "EXISTS"]);
        let constraint = tokens.ident().map(|i| replay.ident(&i));
        let _ = tokens.kw("CASCADE") || tokens.kw("RESTRICT");
        constraint.map(|name| DomainAction::DropConstraint { name, if_exists })
    } else if tokens.kws(&["RENAME", "CONSTRAINT"]) {
        let from = tokens.ident().map(|i| replay.ident(&i));
        let to = if tokens.kw("TO") {
            tokens.ident().map(|i| replay.ident(&i))
        } else {
            None
        };
        from.zip(to)
            .map(|(from, to)| DomainAction::RenameConstraint { from, to })
    } else if tokens.kws(&["VALIDATE", "CONSTRAINT"]) {
        tokens
            .ident()
            .map(|i| DomainAction::Validate(replay.ident(&i)))
    } else if tokens.kws(&["RENAME", "TO"]) {
        tokens
            .ident()
            .map(|i| DomainAction::Rename(replay.ident(&i)))
    } else if tokens.kws(&["SET", "SCHEMA"]) {
        tokens
            .ident()
            .map(|i| DomainAction::SetSchema(replay.ident(&i)))
    } else {
        None
    };
    let Some(action) = action else {
        return Ok(None);
    };
    if !matches!(action, DomainAction::SetDefault(_)) && !tokens.at_end() {
        return Ok(None);
    }
    types::alter_domain(replay, &name, action, loc).map(Some)
}

/// `CREATE DOMAIN ... [CONSTRAINT c] NOT NULL ...`: sqlparser 0.64 rejects the `NOT
/// NULL` constraint; cut it out and parse the rest.
fn create_domain(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["CREATE", "DOMAIN"]) {
        return Ok(None);
    }
    let mut cuts = Vec::new();
    let mut not_null = false;
    let mut depth = 0usize;
    while let Some(tok) = tokens.toks.get(tokens.pos) {
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth == 0 => {
                let start = tok.start;
                let save = tokens.pos;
                if tokens.kw("CONSTRAINT")
                    && tokens.ident().is_some()
                    && tokens.peek_kws(&["NOT", "NULL"])
                {
                    tokens.pos += 2;
                    cuts.push((start, tokens.previous_end()));
                    not_null = true;
                    continue;
                }
                tokens.pos = save;
                let after_is = tokens.pos > 0 && tokens.is_kw_at(tokens.pos - 1, "IS");
                if !after_is && tokens.peek_kws(&["NOT", "NULL"]) {
                    tokens.pos += 2;
                    cuts.push((start, tokens.previous_end()));
                    not_null = true;
                    continue;
                }
                // A bare NULL constraint (not a DEFAULT NULL) says what the default says.
                let after_default = tokens.pos > 0 && tokens.is_kw_at(tokens.pos - 1, "DEFAULT");
                if tokens.is_kw_at(tokens.pos, "NULL") && !after_default {
                    tokens.pos += 1;
                    cuts.push((start, tokens.previous_end()));
                    continue;
                }
            }
            _ => {}
        }
        tokens.pos += 1;
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    let Some(Statement::CreateDomain(create)) = parse_one(replay.dialect, &cut(sql, &cuts)) else {
        return Ok(None);
    };
    types::create_domain(replay, &create, not_null, loc).map(Some)
}

// ----- CREATE statements -----

fn create(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    tokens.kw("CREATE");
    if tokens.peek_kws(&["USER"]) || tokens.peek_kws(&["ROLE"]) || tokens.peek_kws(&["GROUP"]) {
        return Ok(Some(Outcome::Ignored(ROLES.into())));
    }
    tokens.kws(&["OR", "REPLACE"]);
    let kind_start = tokens.pos;
    tokens.kw("TEMP");
    tokens.kw("TEMPORARY");
    tokens.kw("DEFAULT");
    tokens.kw("TRUSTED");
    tokens.kw("PROCEDURAL");
    tokens.kw("CONSTRAINT");
    tokens.kw("RECURSIVE");
    tokens.kw("MATERIALIZED");
    if tokens.kw("VIEW") {
        return create_view(replay, sql, loc);
    }
    tokens.pos = kind_start;
    if tokens.kw("DOMAIN") {
        return create_domain(replay, sql, loc);
    }
    if tokens.kw("FUNCTION") || tokens.kw("PROCEDURE") {
        return create_function(replay, sql, loc);
    }
    tokens.kw("CONSTRAINT");
    tokens.kw("TEMP");
    tokens.kw("TEMPORARY");
    if tokens.kw("TRIGGER") {
        return create_trigger(replay, sql, loc);
    }
    tokens.pos = kind_start;
    create_opaque(replay, &mut tokens, loc)
}

/// `CREATE [RECURSIVE] [MATERIALIZED] VIEW ... [WITH [CASCADED|LOCAL] CHECK OPTION |
/// WITH [NO] DATA]`: the trailing clause is cut out and handed over; a recursive view
/// is rewritten as PostgreSQL stores it (`WITH RECURSIVE name(cols) AS (...) SELECT
/// cols FROM name`).
fn create_view(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let mut extras = ViewExtras::default();
    let toks: Vec<&Tok> = tokens
        .toks
        .iter()
        .filter(|t| t.token != Token::SemiColon)
        .collect();
    let is = |i: usize, kw: &str| {
        toks.get(i).is_some_and(|t| {
            matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
        })
    };
    let n = toks.len();
    let mut end = tokens.content_end();
    let clause_start = |i: usize| toks.get(i).map_or(0, |t| t.start);
    if n >= 3 && is(n - 2, "CHECK") && is(n - 1, "OPTION") {
        if n >= 4 && is(n - 3, "WITH") {
            extras.check_option = Some(CheckOption::Cascaded);
            end = clause_start(n - 3);
        } else if n >= 4 && is(n - 4, "WITH") && (is(n - 3, "CASCADED") || is(n - 3, "LOCAL")) {
            extras.check_option = Some(if is(n - 3, "LOCAL") {
                CheckOption::Local
            } else {
                CheckOption::Cascaded
            });
            end = clause_start(n - 4);
        }
    } else if n >= 2 && is(n - 1, "DATA") {
        if is(n - 2, "WITH") {
            end = clause_start(n - 2);
        } else if n >= 3 && is(n - 2, "NO") && is(n - 3, "WITH") {
            extras.with_no_data = true;
            end = clause_start(n - 3);
        }
    }
    let text = tokens.text(0, end);
    // RECURSIVE: rewrite.
    let mut t = Tokens::new(replay.dialect, text).unwrap_or(tokens.clone());
    t.pos = 0;
    t.kw("CREATE");
    t.kws(&["OR", "REPLACE"]);
    let head_end = t.previous_end();
    t.kw("TEMP");
    t.kw("TEMPORARY");
    let rewritten = if t.kw("RECURSIVE") {
        if !t.kw("VIEW") {
            return Ok(None);
        }
        let name_start = t.offset();
        let Some(name) = t.object_name() else {
            return Ok(None);
        };
        let name_text = t.text(name_start, t.previous_end()).to_owned();
        let Some((cols_start, cols_end)) = t.group() else {
            return Ok(None);
        };
        let columns = t.text(cols_start, cols_end).to_owned();
        let mut options = String::new();
        if t.peek_kws(&["WITH"]) {
            let with_start = t.offset();
            t.kw("WITH");
            if t.group().is_none() {
                return Ok(None);
            }
            options = format!(" {}", t.text(with_start, t.previous_end()));
        }
        if !t.kw("AS") {
            return Ok(None);
        }
        let query = t.rest_text();
        let Some(last) = name.0.last() else {
            return Ok(None);
        };
        format!(
            "{} VIEW {name_text}{options} AS WITH RECURSIVE {last}({columns}) AS ({query}) SELECT {columns} FROM {last}",
            t.text(0, head_end)
        )
    } else {
        text.to_owned()
    };
    if let Some(Statement::CreateView(create)) = parse_one(replay.dialect, &rewritten) {
        return views::create_view(replay, &create, &extras, loc).map(Some);
    }
    // `(f(x)).*`, which sqlparser cannot read: with the star marked as a field the
    // query parses, and the view shaper expands it as the server does (see
    // `view_shape::COMPOSITE_STAR`).
    if replay.dialect == Dialect::Postgres
        && let Some(marked) = mark_composite_stars(&rewritten)
        && let Some(Statement::CreateView(create)) = parse_one(replay.dialect, &marked)
    {
        let outcome = views::create_view(replay, &create, &extras, loc)?;
        unmark_composite_stars(replay);
        return Ok(Some(outcome));
    }
    // sqlparser cannot read the query itself (operators it does not know): parse the
    // head with a stand-in query and keep the query as written.
    let Some(mut t) = Tokens::new(replay.dialect, &rewritten) else {
        return Ok(None);
    };
    if t.seek_kw("AS").is_none() {
        return Ok(None);
    }
    t.kw("AS");
    let head = t.text(0, t.previous_end());
    let query = t.rest_text();
    if query.is_empty() {
        return Ok(None);
    }
    let Some(Statement::CreateView(create)) =
        parse_one(replay.dialect, &format!("{head} SELECT 1"))
    else {
        return Ok(None);
    };
    extras.definition = Some(super::objects::canonical_spacing(replay.dialect, query));
    views::create_view(replay, &create, &extras, loc).map(Some)
}

/// The text with each `(expr).*` (a composite value's columns) written as a call of
/// the marker function, `marker((expr))`, which sqlparser reads; `None` when it has none.
fn mark_composite_stars(text: &str) -> Option<String> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, text)
        .tokenize()
        .ok()?;
    let mut pieces: Vec<String> = tokens.iter().map(ToString::to_string).collect();
    let mut marked = false;
    for i in 0..tokens.len() {
        let star = tokens[i] == Token::RParen
            && tokens.get(i + 1) == Some(&Token::Period)
            && tokens.get(i + 2) == Some(&Token::Mul);
        if !star {
            continue;
        }
        // The `(` this `)` closes.
        let mut depth = 0usize;
        let mut open = None;
        for j in (0..=i).rev() {
            match tokens[j] {
                Token::RParen => depth += 1,
                Token::LParen => {
                    depth -= 1;
                    if depth == 0 {
                        open = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let open = open?;
        pieces[open] = format!("{}((", super::objects::view_shape::COMPOSITE_STAR);
        pieces[i] = "))".to_owned();
        pieces[i + 1] = String::new();
        pieces[i + 2] = String::new();
        marked = true;
    }
    marked.then(|| pieces.concat())
}

/// A marked star the shaper could not expand (a function it does not know, a query it
/// does not shape) goes back to `(expr).*` in the stored definition, as written.
fn unmark_composite_stars(replay: &mut Replay) {
    let marker = format!("{}(", super::objects::view_shape::COMPOSITE_STAR);
    for schema in replay.realm.schemas.values_mut() {
        for view in schema.views.values_mut() {
            while let Some(start) = view.definition.find(&marker) {
                // The marker's argument runs to the `)` that closes the call.
                let inner_start = start + marker.len();
                let mut depth = 1usize;
                let mut close = None;
                for (offset, c) in view.definition[inner_start..].char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(inner_start + offset);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let Some(close) = close else {
                    break;
                };
                let inner = view.definition[inner_start..close].to_owned();
                view.definition
                    .replace_range(start..=close, &format!("{inner}.*"));
            }
        }
    }
}

/// `CREATE FUNCTION ... COST n | ROWS n | [NOT] LEAKPROOF | SUPPORT f | WINDOW` and
/// `CREATE PROCEDURE ... AS $$...$$`: the attributes are cut out (and kept), a
/// procedure is read as a function and stored as a procedure.
fn create_function(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    tokens.kw("CREATE");
    tokens.kws(&["OR", "REPLACE"]);
    let mut cuts: Vec<(usize, usize, &'static str)> = Vec::new();
    let kind = if tokens.is_kw_at(tokens.pos, "PROCEDURE") {
        let tok = tokens.toks.get(tokens.pos).map(|t| (t.start, t.end));
        if let Some((start, end)) = tok {
            cuts.push((start, end, "FUNCTION"));
        }
        tokens.pos += 1;
        FunctionKind::Procedure
    } else if tokens.kw("FUNCTION") {
        FunctionKind::Function
    } else {
        return Ok(None);
    };
    if tokens.object_name().is_none() || tokens.group().is_none() {
        return Ok(None);
    }
    let mut extra = Vec::new();
    while let Some(tok) = tokens.toks.get(tokens.pos) {
        let start = tok.start;
        if tokens.peek_kws(&["BEGIN"]) || tokens.peek_kws(&["RETURN"]) {
            break;
        }
        if tokens.kw("COST") || tokens.kw("ROWS") {
            let word = if tokens.is_kw_at(tokens.pos - 1, "COST") {
                "COST"
            } else {
                "ROWS"
            };
            let Some(n) = tokens.next_token() else {
                return Ok(None);
            };
            extra.push(format!("{word} {n}"));
            cuts.push((start, tokens.previous_end(), ""));
        } else if tokens.kws(&["NOT", "LEAKPROOF"]) {
            extra.push("NOT LEAKPROOF".to_owned());
            cuts.push((start, tokens.previous_end(), ""));
        } else if tokens.kw("LEAKPROOF") {
            extra.push("LEAKPROOF".to_owned());
            cuts.push((start, tokens.previous_end(), ""));
        } else if tokens.kw("WINDOW") {
            extra.push("WINDOW".to_owned());
            cuts.push((start, tokens.previous_end(), ""));
        } else if tokens.kw("SUPPORT") {
            let Some(f) = tokens.object_name() else {
                return Ok(None);
            };
            extra.push(format!(
                "SUPPORT {}",
                super::objects::display_name(replay, &f)
            ));
            cuts.push((start, tokens.previous_end(), ""));
        } else {
            tokens.pos += 1;
        }
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    let mut text = String::with_capacity(sql.len());
    let mut at = 0;
    for (start, end, replacement) in &cuts {
        text.push_str(sql.get(at..*start).unwrap_or_default());
        text.push(' ');
        text.push_str(replacement);
        text.push(' ');
        at = *end;
    }
    text.push_str(sql.get(at..).unwrap_or_default());
    let Some(Statement::CreateFunction(create)) = parse_one(replay.dialect, &text) else {
        return Ok(None);
    };
    functions::create_function(replay, &create, kind, &extra, loc).map(Some)
}

/// `CREATE TRIGGER ... EXECUTE FUNCTION f('literal', ...)` (sqlparser 0.64 reads only
/// types between the parentheses) and SQLite's `CREATE TRIGGER IF NOT EXISTS`.
fn create_trigger(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let mut cuts = Vec::new();
    let mut if_not_exists = false;
    if tokens.seek_kw("TRIGGER").is_none() {
        return Ok(None);
    }
    tokens.kw("TRIGGER");
    let start = tokens.offset();
    if tokens.kws(&["IF", "NOT", "EXISTS"]) {
        cuts.push((start, tokens.previous_end()));
        if_not_exists = true;
    }
    let mut arguments = Vec::new();
    if tokens.seek_kw("EXECUTE").is_some() {
        tokens.kw("EXECUTE");
        if !(tokens.kw("FUNCTION") || tokens.kw("PROCEDURE")) || tokens.object_name().is_none() {
            return Ok(None);
        }
        let Some((open, close)) = tokens.group() else {
            return Ok(None);
        };
        let mut inner = Tokens::new(replay.dialect, tokens.text(open, close)).unwrap_or(Tokens {
            sql: "",
            toks: Vec::new(),
            pos: 0,
        });
        while !inner.at_end() {
            let value = match inner.next_token() {
                Some(Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s)) => s,
                Some(Token::Number(n, _)) => n,
                Some(Token::Word(w)) => w.value,
                Some(Token::Minus) => match inner.next_token() {
                    Some(Token::Number(n, _)) => format!("-{n}"),
                    _ => return Ok(None),
                },
                _ => return Ok(None),
            };
            arguments.push(value);
            if !inner.at_end() && !inner.eat(&Token::Comma) {
                return Ok(None);
            }
        }
        if !arguments.is_empty() {
            cuts.push((open, close));
        }
    }
    if cuts.is_empty() {
        return Ok(None);
    }
    let Some(Statement::CreateTrigger(create)) = parse_one(replay.dialect, &cut(sql, &cuts)) else {
        return Ok(None);
    };
    triggers::create_trigger_with(replay, &create, &arguments, if_not_exists, loc).map(Some)
}

/// `CREATE <kind>` of the kinds the model keeps whole and sqlparser 0.64 cannot parse:
/// casts, statistics, publications, event triggers, operators, languages, ...
fn create_opaque(
    replay: &mut Replay,
    tokens: &mut Tokens<'_>,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let global =
        |replay: &mut Replay, tokens: &mut Tokens<'_>, kind: &str| -> Result<Option<Outcome>> {
            tokens.kws(&["IF", "NOT", "EXISTS"]);
            let Some(name) = tokens.object_name() else {
                return Ok(None);
            };
            let name = super::objects::display_name(replay, &name);
            opaque::create_named(replay, kind, name, None, loc).map(Some)
        };
    let qualified =
        |replay: &mut Replay, tokens: &mut Tokens<'_>, kind: &str| -> Result<Option<Outcome>> {
            tokens.kws(&["IF", "NOT", "EXISTS"]);
            let Some(name) = tokens.object_name() else {
                return Ok(None);
            };
            let qn = replay.create_name(&name, loc)?;
            let display = opaque::qualified_display(&qn);
            opaque::create_named(replay, kind, display, Some(&qn.schema), loc).map(Some)
        };
    if tokens.kw("CAST") {
        let Some((start, end)) = tokens.group() else {
            return Ok(None);
        };
        let inside = tokens.text(start, end);
        let Some(name) = cast_name(replay, inside) else {
            return Ok(None);
        };
        return opaque::create_named(replay, "cast", name, None, loc).map(Some);
    }
    if tokens.kw("STATISTICS") {
        return qualified(replay, tokens, "statistics");
    }
    if tokens.kws(&["VIRTUAL", "TABLE"]) {
        // SQLite module arguments are free text sqlparser cannot always read.
        let if_not_exists = tokens.peek_kws(&["IF", "NOT", "EXISTS"]);
        let save = tokens.pos;
        tokens.kws(&["IF", "NOT", "EXISTS"]);
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        let qn = replay.create_name(&name, loc)?;
        let display = opaque::qualified_display(&qn);
        if if_not_exists
            && replay.realm.schema(&qn.schema).is_some_and(|s| {
                s.other_objects
                    .contains_key(&format!("virtual table {display}"))
            })
        {
            return Ok(Some(Outcome::Ignored(format!(
                "table \"{qn}\" already exists, skipping"
            ))));
        }
        tokens.pos = save;
        return qualified(replay, tokens, "virtual table");
    }
    if tokens.kw("PUBLICATION") {
        return global(replay, tokens, "publication");
    }
    if tokens.kw("SUBSCRIPTION") {
        return global(replay, tokens, "subscription");
    }
    if tokens.kws(&["EVENT", "TRIGGER"]) {
        return global(replay, tokens, "event trigger");
    }
    if tokens.kws(&["ACCESS", "METHOD"]) {
        return global(replay, tokens, "access method");
    }
    if tokens.kws(&["FOREIGN", "DATA", "WRAPPER"]) {
        return global(replay, tokens, "foreign data wrapper");
    }
    if tokens.kw("SERVER") {
        return global(replay, tokens, "server");
    }
    tokens.kw("TRUSTED");
    tokens.kw("PROCEDURAL");
    if tokens.kw("LANGUAGE") {
        return global(replay, tokens, "language");
    }
    tokens.kw("DEFAULT");
    if tokens.kw("CONVERSION") {
        return qualified(replay, tokens, "conversion");
    }
    if tokens.kws(&["TEXT", "SEARCH"]) {
        let kind = if tokens.kw("CONFIGURATION") {
            "text search configuration"
        } else if tokens.kw("DICTIONARY") {
            "text search dictionary"
        } else if tokens.kw("TEMPLATE") {
            "text search template"
        } else if tokens.kw("PARSER") {
            "text search parser"
        } else {
            return Ok(None);
        };
        return qualified(replay, tokens, kind);
    }
    if tokens.kw("OPERATOR") {
        if tokens.kw("CLASS") || tokens.kw("FAMILY") {
            return Ok(None);
        }
        let Some(name) = operator_name(tokens) else {
            return Ok(None);
        };
        let qn = replay.create_name(&name, loc)?;
        let (mut left, mut right) = ("NONE".to_owned(), "NONE".to_owned());
        if let Some(items) = tokens.group_items() {
            for item in items {
                let mut it = Tokens {
                    sql: tokens.sql,
                    toks: item,
                    pos: 0,
                };
                let is_left = it.kw("LEFTARG");
                let is_right = !is_left && it.kw("RIGHTARG");
                if (is_left || is_right) && it.eat(&Token::Eq) {
                    let text = it.rest_text();
                    let ty = parse_type(replay.dialect, text)
                        .map(|t| types::type_or_other(replay, &t).to_string())
                        .unwrap_or_else(|| text.to_lowercase());
                    if is_left {
                        left = ty;
                    } else {
                        right = ty;
                    }
                }
            }
        }
        let name = format!("{qn}({left},{right})");
        return opaque::create_named(replay, "operator", name, Some(&qn.schema), loc).map(Some);
    }
    Ok(None)
}

/// An operator's name: `[schema.]symbols`.
fn operator_name(tokens: &mut Tokens<'_>) -> Option<ObjectName> {
    let mut parts = Vec::new();
    if matches!(tokens.peek(), Some(Token::Word(_)))
        && tokens
            .toks
            .get(tokens.pos + 1)
            .is_some_and(|t| t.token == Token::Period)
    {
        parts.push(ObjectNamePart::Identifier(tokens.ident()?));
        tokens.pos += 1;
    }
    let start = tokens.offset();
    while let Some(tok) = tokens.peek() {
        if matches!(tok, Token::LParen | Token::Word(_) | Token::SemiColon) {
            break;
        }
        tokens.pos += 1;
    }
    let symbols = tokens.text(start, tokens.previous_end()).trim().to_owned();
    if symbols.is_empty() {
        return None;
    }
    parts.push(ObjectNamePart::Identifier(Ident::new(symbols)));
    Some(ObjectName(parts))
}

/// A cast's name, `(source AS target)`, with both types canonical.
fn cast_name(replay: &Replay, inside: &str) -> Option<String> {
    let mut tokens = Tokens::new(replay.dialect, inside)?;
    tokens.seek_kw("AS")?;
    let as_start = tokens.offset();
    tokens.kw("AS");
    let source = inside.get(..as_start)?.trim();
    let target = tokens.rest_text();
    let canonical = |text: &str| {
        parse_type(replay.dialect, text)
            .map(|t| types::type_or_other(replay, &t).to_string())
            .unwrap_or_else(|| text.to_lowercase())
    };
    Some(format!("({} AS {})", canonical(source), canonical(target)))
}

// ----- ALTER and DROP of opaque kinds -----

/// The kind of opaque object the next words name, with the words consumed.
fn opaque_kind(tokens: &mut Tokens<'_>) -> Option<&'static str> {
    const KINDS: [(&[&str], &str); 12] = [
        (
            &["TEXT", "SEARCH", "CONFIGURATION"],
            "text search configuration",
        ),
        (&["TEXT", "SEARCH", "DICTIONARY"], "text search dictionary"),
        (&["TEXT", "SEARCH", "TEMPLATE"], "text search template"),
        (&["TEXT", "SEARCH", "PARSER"], "text search parser"),
        (&["EVENT", "TRIGGER"], "event trigger"),
        (&["FOREIGN", "DATA", "WRAPPER"], "foreign data wrapper"),
        (&["FOREIGN", "TABLE"], "foreign table"),
        (&["PUBLICATION"], "publication"),
        (&["SUBSCRIPTION"], "subscription"),
        (&["STATISTICS"], "statistics"),
        (&["SERVER"], "server"),
        (&["CONVERSION"], "conversion"),
    ];
    KINDS
        .iter()
        .find(|(words, _)| tokens.kws(words))
        .map(|(_, kind)| *kind)
}

/// `ALTER <opaque kind> name ...`: appended to the object's definition; `RENAME TO`
/// renames it.
fn alter_opaque(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    tokens.kw("ALTER");
    let Some(kind) = opaque_kind(&mut tokens) else {
        return Ok(None);
    };
    tokens.kws(&["IF", "EXISTS"]);
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let (schema, key) = opaque::locate(replay, kind, &name, loc)?;
    if tokens.kws(&["RENAME", "TO"]) {
        let Some(new_name) = tokens.ident() else {
            return Ok(None);
        };
        let new_name = replay.ident(&new_name);
        let Some(mut object) = replay
            .realm
            .schemas
            .get_mut(&schema)
            .and_then(|s| s.other_objects.remove(&key))
        else {
            return Err(super::invalid(loc, format!("{key} does not exist")));
        };
        object.name = match object.name.rsplit_once('.') {
            Some((prefix, _)) if name.0.len() > 1 || prefix == schema => {
                format!("{prefix}.{new_name}")
            }
            _ => new_name,
        };
        object
            .definition
            .push(super::objects::statement_text(replay.dialect, loc));
        let new_key = format!("{kind} {}", object.name);
        replay
            .realm
            .schema_mut(&schema)
            .other_objects
            .insert(new_key, object);
        return Ok(Some(Outcome::Applied));
    }
    opaque::append_key(replay, &schema, &key, loc).map(Some)
}

/// `DROP` of the kinds sqlparser 0.64 cannot parse: aggregates and routines, casts,
/// and the opaque kinds.
fn drop_other(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    tokens.kw("DROP");
    if tokens.kws(&["OWNED", "BY"]) {
        return Ok(Some(Outcome::Ignored(ROLES.into())));
    }
    if tokens.kw("AGGREGATE") || tokens.kw("ROUTINE") {
        let class = if tokens.is_kw_at(tokens.pos - 1, "AGGREGATE") {
            RoutineClass::Aggregate
        } else {
            RoutineClass::Routine
        };
        let if_exists = tokens.kws(&["IF", "EXISTS"]);
        let mut descs = Vec::new();
        loop {
            let start = tokens.offset();
            if tokens.object_name().is_none() {
                return Ok(None);
            }
            let mut text = tokens.text(start, tokens.previous_end()).to_owned();
            if let Some((open, close)) = tokens.group() {
                let args = tokens.text(open, close).trim();
                if args != "*" {
                    text.push('(');
                    text.push_str(args);
                    text.push(')');
                } else {
                    text.push_str("()");
                }
            }
            let Some(desc) = routine_desc(replay.dialect, &text) else {
                return Ok(None);
            };
            descs.push(desc);
            if !tokens.eat(&Token::Comma) {
                break;
            }
        }
        tokens.kw("CASCADE");
        tokens.kw("RESTRICT");
        if !tokens.at_end() {
            return Ok(None);
        }
        return functions::drop_functions(replay, &descs, if_exists, class, loc).map(Some);
    }
    if tokens.kw("CAST") {
        let if_exists = tokens.kws(&["IF", "EXISTS"]);
        let Some((start, end)) = tokens.group() else {
            return Ok(None);
        };
        let Some(name) = cast_name(replay, tokens.text(start, end)) else {
            return Ok(None);
        };
        let schema = replay.dialect.default_schema().to_owned();
        return opaque::remove(replay, &schema, &format!("cast {name}"), if_exists, loc).map(Some);
    }
    let Some(kind) = opaque_kind(&mut tokens) else {
        return Ok(None);
    };
    let if_exists = tokens.kws(&["IF", "EXISTS"]);
    let mut names = Vec::new();
    loop {
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        names.push(name);
        if !tokens.eat(&Token::Comma) {
            break;
        }
    }
    tokens.kw("CASCADE");
    tokens.kw("RESTRICT");
    if !tokens.at_end() {
        return Ok(None);
    }
    opaque::drop_named(replay, kind, &names, if_exists, loc).map(Some)
}

// ----- COMMENT ON -----

/// `COMMENT ON` for the forms sqlparser 0.64 rejects: `CONSTRAINT`, `TRIGGER`,
/// `POLICY`, `RULE`, routines with argument lists, aggregates, and the opaque kinds.
fn comment_on(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kws(&["COMMENT", "ON"]) {
        return Ok(None);
    }
    let on_table = |tokens: &mut Tokens<'_>| -> Option<(Ident, ObjectName)> {
        let name = tokens.ident()?;
        if !tokens.kw("ON") {
            return None;
        }
        Some((name, tokens.object_name()?))
    };
    let target = if tokens.kw("CONSTRAINT") {
        let Some(name) = tokens.ident() else {
            return Ok(None);
        };
        if !tokens.kw("ON") {
            return Ok(None);
        }
        let domain = tokens.kw("DOMAIN");
        let Some(relation) = tokens.object_name() else {
            return Ok(None);
        };
        if domain {
            CommentTarget::DomainConstraint(name, relation)
        } else {
            CommentTarget::Constraint(name, relation)
        }
    } else if tokens.kw("TRIGGER") {
        match on_table(&mut tokens) {
            Some((name, table)) => CommentTarget::Trigger(name, table),
            None => return Ok(None),
        }
    } else if tokens.kw("POLICY") {
        match on_table(&mut tokens) {
            Some((name, table)) => CommentTarget::Policy(name, table),
            None => return Ok(None),
        }
    } else if tokens.kw("RULE") {
        let Some((name, table)) = on_table(&mut tokens) else {
            return Ok(None);
        };
        let qn = replay.resolve_table(&table, loc)?;
        let key = format!("rule {} ON {qn}", replay.ident(&name));
        CommentTarget::OpaqueKey {
            schema: qn.schema.clone(),
            key,
        }
    } else if tokens.kw("FUNCTION")
        || tokens.kw("PROCEDURE")
        || tokens.kw("AGGREGATE")
        || tokens.kw("ROUTINE")
    {
        let start = tokens.offset();
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        let name_text = tokens.text(start, tokens.previous_end()).to_owned();
        match tokens.group() {
            Some((open, close)) => {
                let args = tokens.text(open, close).trim();
                let args = if args == "*" { "" } else { args };
                let Some(desc) = routine_desc(replay.dialect, &format!("{name_text}({args})"))
                else {
                    return Ok(None);
                };
                CommentTarget::Routine(desc.name, Some(desc.args.unwrap_or_default()))
            }
            None => CommentTarget::Routine(name, None),
        }
    } else if tokens.kw("COLUMN") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Column(name),
            None => return Ok(None),
        }
    } else if tokens.kw("TABLE") || tokens.kw("VIEW") || tokens.kws(&["MATERIALIZED", "VIEW"]) {
        match tokens.object_name() {
            Some(name) => CommentTarget::Relation(name),
            None => return Ok(None),
        }
    } else if tokens.kw("INDEX") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Index(name),
            None => return Ok(None),
        }
    } else if tokens.kw("SEQUENCE") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Sequence(name),
            None => return Ok(None),
        }
    } else if tokens.kw("TYPE") || tokens.kw("DOMAIN") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Type(name),
            None => return Ok(None),
        }
    } else if tokens.kw("SCHEMA") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Schema(name),
            None => return Ok(None),
        }
    } else if tokens.kw("EXTENSION") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Extension(name),
            None => return Ok(None),
        }
    } else if tokens.kw("COLLATION") {
        match tokens.object_name() {
            Some(name) => CommentTarget::Collation(name),
            None => return Ok(None),
        }
    } else if tokens.kw("ROLE") || tokens.kw("DATABASE") || tokens.kw("TABLESPACE") {
        if tokens.ident().is_none() {
            return Ok(None);
        }
        CommentTarget::NotModelled("roles, databases and tablespaces are not part of a schema")
    } else if let Some(kind) = opaque_kind(&mut tokens) {
        match tokens.object_name() {
            Some(name) => CommentTarget::Opaque { kind, name },
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    if !tokens.kw("IS") {
        return Ok(None);
    }
    let comment = if tokens.kw("NULL") {
        None
    } else {
        match tokens.string() {
            Some(text) => Some(text),
            None => return Ok(None),
        }
    };
    if !tokens.at_end() {
        return Ok(None);
    }
    set_comment(replay, target, comment, loc).map(Some)
}

// ----- GRANT / REVOKE on types -----

/// `GRANT`/`REVOKE ... ON {TYPE | DOMAIN} names` (sqlparser 0.64 reads neither), and
/// the kinds whose privileges are not part of a schema (`LANGUAGE`, `FOREIGN SERVER`,
/// `FOREIGN DATA WRAPPER`, `TABLESPACE`, `LARGE OBJECT`).
fn grant_other(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    if replay.dialect != Dialect::Postgres {
        return Ok(None);
    }
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    let grant = tokens.kw("GRANT");
    if !grant && !tokens.kw("REVOKE") {
        return Ok(None);
    }
    let grant_option_only = !grant && tokens.kws(&["GRANT", "OPTION", "FOR"]);
    let privileges = if tokens.kw("ALL") {
        tokens.kw("PRIVILEGES");
        None
    } else {
        let mut list = Vec::new();
        while let Some(ident) = tokens.ident() {
            list.push(Named {
                privilege: ident.value.to_ascii_uppercase(),
                columns: Vec::new(),
            });
            if !tokens.eat(&Token::Comma) {
                break;
            }
        }
        Some(list)
    };
    if !tokens.kw("ON") {
        return Ok(None);
    }
    let is_type = tokens.kw("TYPE") || tokens.kw("DOMAIN");
    if !is_type {
        let not_modelled = tokens.kw("LANGUAGE")
            || tokens.kws(&["FOREIGN", "SERVER"])
            || tokens.kws(&["FOREIGN", "DATA", "WRAPPER"])
            || tokens.kw("TABLESPACE")
            || tokens.kws(&["LARGE", "OBJECT"])
            || tokens.kw("DATABASE")
            || tokens.kw("PARAMETER");
        return Ok(not_modelled.then(|| {
            Outcome::Ignored("privileges on this kind of object are not part of a schema".into())
        }));
    }
    let mut targets = Vec::new();
    loop {
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        let qn = types::resolve_type(replay, &name, loc)?;
        if replay
            .realm
            .schema(&qn.schema)
            .and_then(|s| s.types.get(&qn.name))
            .is_none()
        {
            return Err(super::invalid(loc, format!("type \"{qn}\" does not exist")));
        }
        targets.push(GrantTarget::Type(qn));
        if !tokens.eat(&Token::Comma) {
            break;
        }
    }
    if !(tokens.kw("TO") || tokens.kw("FROM")) {
        return Ok(None);
    }
    let mut grantees = Vec::new();
    loop {
        tokens.kw("GROUP");
        let Some(ident) = tokens.ident() else {
            return Ok(None);
        };
        grantees.push(super::objects::role_name(replay, &ident));
        if !tokens.eat(&Token::Comma) {
            break;
        }
    }
    let grantable = grant && tokens.kws(&["WITH", "GRANT", "OPTION"]);
    tokens.kw("CASCADE");
    tokens.kw("RESTRICT");
    if !tokens.at_end() {
        return Ok(None);
    }
    let change = if grant {
        Change::Grant { grantable }
    } else {
        Change::Revoke { grant_option_only }
    };
    grants::apply_change(
        replay,
        privileges.as_deref(),
        &targets,
        &grantees,
        change,
        loc,
    )
    .map(Some)
}

// ----- MySQL routines, triggers and events -----

/// MySQL `CREATE [DEFINER = ...] {FUNCTION | PROCEDURE | TRIGGER | EVENT}`: read from
/// the tokens so that bodies are kept as written (sqlparser rejects many of them, such
/// as `DECLARE ... HANDLER`, and reprints the others).
fn mysql_create(replay: &mut Replay, sql: &str, loc: &Location) -> Result<Option<Outcome>> {
    let words = leading_words(sql, 6);
    let interesting = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "FUNCTION" | "PROCEDURE" | "TRIGGER" | "EVENT" | "DEFINER" | "AGGREGATE"
        )
    });
    if !interesting {
        return Ok(None);
    }
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if !tokens.kw("CREATE") {
        return Ok(None);
    }
    let or_replace = tokens.kws(&["OR", "REPLACE"]);
    if tokens.kw("DEFINER") {
        if !tokens.eat(&Token::Eq) {
            return Ok(None);
        }
        // `user`@`host`, 'user'@'%', CURRENT_USER[()]: skip to the object keyword.
        while !tokens.at_end() {
            if [
                "FUNCTION",
                "PROCEDURE",
                "TRIGGER",
                "EVENT",
                "AGGREGATE",
                "VIEW",
                "SQL",
                "ALGORITHM",
            ]
            .iter()
            .any(|kw| tokens.peek_kws(&[kw]))
            {
                break;
            }
            tokens.pos += 1;
        }
    }
    tokens.kw("AGGREGATE");
    if tokens.kw("FUNCTION") {
        return mysql_routine(replay, &mut tokens, FunctionKind::Function, or_replace, loc);
    }
    if tokens.kw("PROCEDURE") {
        return mysql_routine(
            replay,
            &mut tokens,
            FunctionKind::Procedure,
            or_replace,
            loc,
        );
    }
    if tokens.kw("TRIGGER") {
        return mysql_trigger(replay, &mut tokens, or_replace, loc);
    }
    if tokens.kw("EVENT") {
        let if_not_exists = tokens.kws(&["IF", "NOT", "EXISTS"]);
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        let Some(clauses) = mysql_event_clauses(&mut tokens) else {
            return Ok(None);
        };
        return events::create_event(replay, &name, &clauses, or_replace, if_not_exists, loc)
            .map(Some);
    }
    Ok(None)
}

/// MySQL `ALTER [DEFINER = ...] EVENT name ...` and `DROP EVENT [IF EXISTS] name`.
fn mysql_alter_or_drop_event(
    replay: &mut Replay,
    sql: &str,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let Some(mut tokens) = Tokens::new(replay.dialect, sql) else {
        return Ok(None);
    };
    if tokens.kw("DROP") {
        if !tokens.kw("EVENT") {
            return Ok(None);
        }
        let if_exists = tokens.kws(&["IF", "EXISTS"]);
        let Some(name) = tokens.object_name() else {
            return Ok(None);
        };
        if !tokens.at_end() {
            return Ok(None);
        }
        return events::drop_event(replay, &name, if_exists, loc).map(Some);
    }
    if !tokens.kw("ALTER") {
        return Ok(None);
    }
    if tokens.kw("DEFINER") {
        if !tokens.eat(&Token::Eq) {
            return Ok(None);
        }
        // The account is not schema (see `schema_model::Event`): skip to EVENT.
        while !tokens.at_end() && !tokens.peek_kws(&["EVENT"]) {
            tokens.pos += 1;
        }
    }
    if !tokens.kw("EVENT") {
        return Ok(None);
    }
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let Some(clauses) = mysql_event_clauses(&mut tokens) else {
        return Ok(None);
    };
    events::alter_event(replay, &name, &clauses, loc).map(Some)
}

/// Words that end one clause of an event's definition and start the next.
const EVENT_CLAUSE_STARTS: [&str; 8] = [
    "STARTS", "ENDS", "ON", "ENABLE", "DISABLE", "COMMENT", "DO", "RENAME",
];

/// The tokens up to the next event clause (outside parentheses), consumed.
fn event_clause_tokens<'t>(tokens: &'t mut Tokens<'_>) -> &'t [Tok] {
    let start = tokens.pos;
    let mut depth = 0usize;
    while let Some(tok) = tokens.toks.get(tokens.pos) {
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::SemiColon => break,
            _ if depth == 0
                && EVENT_CLAUSE_STARTS
                    .iter()
                    .any(|kw| tokens.is_kw_at(tokens.pos, kw)) =>
            {
                break;
            }
            _ => {}
        }
        tokens.pos += 1;
    }
    tokens.toks.get(start..tokens.pos).unwrap_or_default()
}

/// The source text a run of tokens covers.
fn toks_text<'s>(sql: &'s str, toks: &[Tok]) -> &'s str {
    match (toks.first(), toks.last()) {
        (Some(first), Some(last)) => sql.get(first.start..last.end).unwrap_or_default(),
        _ => "",
    }
}

/// A timestamp of `AT`, `STARTS` or `ENDS`.
fn event_time(sql: &str, toks: &[Tok]) -> Option<events::TimeText> {
    let word = |t: &Tok| match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    };
    let literal = |t: &Tok| match &t.token {
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(s.clone()),
        _ => None,
    };
    let now = |w: Option<String>| {
        w.is_some_and(|w| {
            matches!(
                w.as_str(),
                "CURRENT_TIMESTAMP" | "NOW" | "LOCALTIME" | "LOCALTIMESTAMP"
            )
        })
    };
    Some(match toks {
        [] => return None,
        [only] if literal(only).is_some() => events::TimeText::Literal(literal(only)?),
        [kind, value]
            if matches!(word(kind).as_deref(), Some("TIMESTAMP" | "DATETIME"))
                && literal(value).is_some() =>
        {
            events::TimeText::Literal(literal(value)?)
        }
        [only] if now(word(only)) && word(only).as_deref() != Some("NOW") => events::TimeText::Now,
        [f, open, close]
            if now(word(f)) && open.token == Token::LParen && close.token == Token::RParen =>
        {
            events::TimeText::Now
        }
        _ => events::TimeText::Expression(toks_text(sql, toks).to_owned()),
    })
}

/// `ON SCHEDULE ...`, after those words.
fn event_schedule(tokens: &mut Tokens<'_>) -> Option<events::ScheduleText> {
    let sql = tokens.sql;
    if tokens.kw("AT") {
        let toks = event_clause_tokens(tokens).to_vec();
        return Some(events::ScheduleText::At(event_time(sql, &toks)?));
    }
    if !tokens.kw("EVERY") {
        return None;
    }
    let toks = event_clause_tokens(tokens).to_vec();
    let (unit, value) = toks.split_last()?;
    let unit = match &unit.token {
        Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        _ => return None,
    };
    if !events::UNITS.contains(&unit.as_str()) {
        return None;
    }
    let value = match value {
        [] => return None,
        [only] => match &only.token {
            Token::Number(n, _) => events::IntervalText::Number(n.clone()),
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
                events::IntervalText::String(s.clone())
            }
            _ => events::IntervalText::Expression(toks_text(sql, value).to_owned()),
        },
        _ => events::IntervalText::Expression(toks_text(sql, value).to_owned()),
    };
    let mut starts = None;
    let mut ends = None;
    if tokens.kw("STARTS") {
        let toks = event_clause_tokens(tokens).to_vec();
        starts = Some(event_time(sql, &toks)?);
    }
    if tokens.kw("ENDS") {
        let toks = event_clause_tokens(tokens).to_vec();
        ends = Some(event_time(sql, &toks)?);
    }
    Some(events::ScheduleText::Every {
        value,
        unit,
        starts,
        ends,
    })
}

/// The clauses of `CREATE EVENT` / `ALTER EVENT` after the name, up to and including
/// the body after `DO` (kept as written, as routine and trigger bodies are). Any
/// order is accepted; `None` for anything else.
fn mysql_event_clauses(tokens: &mut Tokens<'_>) -> Option<events::EventClauses> {
    let mut clauses = events::EventClauses::default();
    loop {
        if tokens.at_end() {
            return Some(clauses);
        }
        if tokens.kws(&["ON", "SCHEDULE"]) {
            clauses.schedule = Some(event_schedule(tokens)?);
        } else if tokens.kws(&["ON", "COMPLETION"]) {
            let not = tokens.kw("NOT");
            if !tokens.kw("PRESERVE") {
                return None;
            }
            clauses.preserve = Some(!not);
        } else if tokens.kws(&["RENAME", "TO"]) {
            clauses.rename = Some(tokens.object_name()?);
        } else if tokens.kw("ENABLE") {
            clauses.status = Some(EventStatus::Enabled);
        } else if tokens.kw("DISABLE") {
            // MySQL 8.0.22 also spells it DISABLE ON REPLICA.
            let on_slave = tokens.kws(&["ON", "SLAVE"]) || tokens.kws(&["ON", "REPLICA"]);
            clauses.status = Some(if on_slave {
                EventStatus::DisabledOnSlave
            } else {
                EventStatus::Disabled
            });
        } else if tokens.kw("COMMENT") {
            clauses.comment = Some(tokens.string()?);
        } else if tokens.kw("DO") {
            let body = tokens.rest_text();
            if body.is_empty() {
                return None;
            }
            clauses.body = Some(body.to_owned());
            return Some(clauses);
        } else {
            return None;
        }
    }
}

/// Words that start a MySQL routine body.
const BODY_STARTS: [&str; 16] = [
    "BEGIN", "RETURN", "SELECT", "INSERT", "UPDATE", "DELETE", "SET", "CALL", "IF", "CASE",
    "WHILE", "REPEAT", "LOOP", "DECLARE", "REPLACE", "WITH",
];

fn mysql_routine(
    replay: &mut Replay,
    tokens: &mut Tokens<'_>,
    kind: FunctionKind,
    or_replace: bool,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let if_not_exists = tokens.kws(&["IF", "NOT", "EXISTS"]);
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let Some(items) = tokens.group_items() else {
        return Ok(None);
    };
    let mut params = Vec::new();
    let mut params_fallback = Vec::new();
    for item in items {
        let mut it = Tokens {
            sql: tokens.sql,
            toks: item,
            pos: 0,
        };
        let mode = if it.kw("INOUT") {
            ArgumentMode::InOut
        } else if it.kw("OUT") {
            ArgumentMode::Out
        } else {
            it.kw("IN");
            ArgumentMode::In
        };
        let Some(param) = it.ident() else {
            return Ok(None);
        };
        let type_text = it.rest_text();
        match parse_type(replay.dialect, type_text) {
            Some(ty) => params.push((mode, param, ty)),
            None => params_fallback.push((mode, param, type_text.to_owned())),
        }
    }
    let mut returns = None;
    if tokens.kw("RETURNS") {
        let start = tokens.offset();
        let mut previous_charset = false;
        while let Some(Token::Word(w)) = tokens.peek() {
            let upper = w.value.to_ascii_uppercase();
            let characteristic = matches!(
                upper.as_str(),
                "COMMENT"
                    | "LANGUAGE"
                    | "NOT"
                    | "DETERMINISTIC"
                    | "CONTAINS"
                    | "NO"
                    | "READS"
                    | "MODIFIES"
                    | "SQL"
            );
            let body =
                BODY_STARTS.contains(&upper.as_str()) && !(upper == "SET" && previous_charset);
            if w.quote_style.is_none() && (characteristic || body) {
                break;
            }
            previous_charset = matches!(upper.as_str(), "CHARACTER" | "CHAR");
            tokens.pos += 1;
            if tokens.peek() == Some(&Token::LParen) && tokens.group().is_none() {
                return Ok(None);
            }
        }
        let text = tokens.text(start, tokens.previous_end()).trim();
        let canonical = parse_type(replay.dialect, text)
            .map(|t| functions::routine_type(replay, &t).to_string())
            .unwrap_or_else(|| text.to_lowercase());
        returns = Some(canonical);
    }
    let (attributes, comment) = functions::mysql_characteristics(tokens);
    let body = tokens.rest_text().to_owned();
    if body.is_empty() {
        return Ok(None);
    }
    let routine = MysqlRoutine {
        name,
        kind,
        params,
        params_fallback,
        returns,
        attributes,
        comment,
        body,
        if_not_exists,
        or_replace,
    };
    functions::create_mysql_routine(replay, &routine, loc).map(Some)
}

fn mysql_trigger(
    replay: &mut Replay,
    tokens: &mut Tokens<'_>,
    or_replace: bool,
    loc: &Location,
) -> Result<Option<Outcome>> {
    let if_not_exists = tokens.kws(&["IF", "NOT", "EXISTS"]);
    let Some(name) = tokens.object_name() else {
        return Ok(None);
    };
    let timing = if tokens.kw("BEFORE") {
        TriggerTiming::Before
    } else if tokens.kw("AFTER") {
        TriggerTiming::After
    } else {
        return Ok(None);
    };
    let mut events = Vec::new();
    loop {
        let event = if tokens.kw("INSERT") {
            TriggerEvent::Insert
        } else if tokens.kw("UPDATE") {
            TriggerEvent::Update {
                columns: Vec::new(),
            }
        } else if tokens.kw("DELETE") {
            TriggerEvent::Delete
        } else {
            return Ok(None);
        };
        events.push(event);
        // MariaDB 10.11 allows several events joined by OR.
        if !tokens.kw("OR") {
            break;
        }
    }
    events.sort();
    if !tokens.kw("ON") {
        return Ok(None);
    }
    let Some(table) = tokens.object_name() else {
        return Ok(None);
    };
    if !tokens.kws(&["FOR", "EACH", "ROW"]) {
        return Ok(None);
    }
    if (tokens.kw("FOLLOWS") || tokens.kw("PRECEDES")) && tokens.object_name().is_none() {
        return Ok(None);
    }
    let body = tokens.rest_text().to_owned();
    if body.is_empty() {
        return Ok(None);
    }
    let Some(trigger_name) = name.0.last().map(|p| super::objects::part_name(replay, p)) else {
        return Ok(None);
    };
    let relation = triggers::resolve_relation(replay, &table, loc)?;
    let trigger = Trigger {
        name: trigger_name,
        timing,
        events,
        for_each_row: true,
        when: None,
        action: TriggerAction::Body(body),
        constraint: false,
        deferrable: Deferrable::NotDeferrable,
        from: None,
        old_table: None,
        new_table: None,
        enabled: true,
        comment: None,
    };
    triggers::insert_trigger(replay, &relation, trigger, or_replace, if_not_exists, loc).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_words_skip_comments_and_versioned_openers() {
        assert_eq!(
            leading_words("-- x\n/* y */ /*!50003 create */ TRIGGER t", 3),
            vec!["CREATE", "TRIGGER", "T"]
        );
        assert_eq!(
            leading_words("  alter   sequence s", 2),
            vec!["ALTER", "SEQUENCE"]
        );
        assert!(leading_words("(select 1)", 2).is_empty());
    }

    #[test]
    fn tokens_know_byte_offsets_across_lines_and_multibyte_text() {
        let sql = "COMMENT ON TABLE \"é\"\n  IS 'ü';";
        let Some(mut tokens) = Tokens::new(Dialect::Postgres, sql) else {
            panic!("tokenizer failed");
        };
        assert!(tokens.kws(&["COMMENT", "ON", "TABLE"]));
        let start = tokens.offset();
        assert!(tokens.object_name().is_some());
        assert_eq!(tokens.text(start, tokens.previous_end()), "\"é\"");
        assert!(tokens.kw("IS"));
        assert_eq!(tokens.rest_text(), "'ü'");
        assert_eq!(tokens.string().as_deref(), Some("ü"));
        assert!(tokens.at_end());
    }

    #[test]
    fn owner_to_needs_a_single_action() {
        assert!(owner_to(Dialect::Postgres, "ALTER TYPE app.mood OWNER TO postgres;").is_some());
        assert!(
            owner_to(
                Dialect::Postgres,
                "ALTER FUNCTION f(a integer, b text) OWNER TO x"
            )
            .is_some()
        );
        assert!(
            owner_to(
                Dialect::Postgres,
                "ALTER TABLE t ADD COLUMN c int, OWNER TO x"
            )
            .is_none()
        );
        assert!(owner_to(Dialect::Postgres, "ALTER TABLE t RENAME TO owner").is_none());
    }

    #[test]
    fn dehint_blanks_versioned_comment_markers_in_place() {
        let sql = "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t */";
        let plain = dehint(sql);
        assert_eq!(plain.len(), sql.len());
        assert_eq!(
            plain.split_whitespace().collect::<Vec<_>>(),
            ["CREATE", "DEFINER=`root`@`%`", "TRIGGER", "t"]
        );
        assert!(matches!(dehint("SELECT 1"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn cut_replaces_ranges_with_a_space() {
        assert_eq!(cut("abcdef", &[(1, 2), (4, 5)]), "a cd f");
    }
}

// ----- canonical definitions of opaque kinds -----

/// A type written in another object's definition, canonical.
fn canonical_type_text(replay: &Replay, text: &str) -> String {
    parse_type(replay.dialect, text)
        .map(|t| types::type_or_other(replay, &t).to_string())
        .unwrap_or_else(|| text.to_lowercase())
}

/// A routine written in another object's definition, as the catalog resolves it.
fn routine_text(replay: &Replay, text: &str) -> String {
    Tokens::new(replay.dialect, text)
        .and_then(|mut t| t.object_name())
        .map(|name| super::objects::functions::routine_reference(replay, &name))
        .unwrap_or_else(|| text.to_owned())
}

/// An operator written in another operator's definition (`=`, `OPERATOR(s.=)`), as
/// `OPERATOR(schema.symbol)`. A bare symbol is looked up on the search path: one of
/// the realm's operators, else the server's own (`pg_catalog`); the operator being
/// defined, not there yet, is made a shell in the schema new objects go to, as the
/// server does.
fn operator_reference(replay: &Replay, own_symbol: &str, text: &str) -> String {
    let mut inner = text.trim();
    if inner.len() > 9 && inner[..9].eq_ignore_ascii_case("OPERATOR(") && inner.ends_with(')') {
        inner = inner[9..inner.len() - 1].trim();
    }
    let qualified = inner.split_once('.').filter(|(schema, _)| {
        !schema.is_empty()
            && schema
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '"')
    });
    let (schema, symbol) = match qualified {
        Some((schema, symbol)) => (
            schema.trim_matches('"').to_lowercase(),
            symbol.trim().to_owned(),
        ),
        None => {
            let schema = replay
                .search_path
                .iter()
                .find(|schema| {
                    let prefix = format!("operator {schema}.{inner}(");
                    replay
                        .realm
                        .schemas
                        .get(*schema)
                        .is_some_and(|s| s.other_objects.keys().any(|k| k.starts_with(&prefix)))
                })
                .cloned()
                .unwrap_or_else(|| {
                    if inner == own_symbol {
                        replay.creation_schema()
                    } else {
                        "pg_catalog".to_owned()
                    }
                });
            (schema, inner.to_owned())
        }
    };
    format!("OPERATOR({schema}.{symbol})")
}

/// `CREATE OPERATOR` as `pg_dump` writes it: the options in the catalog's order, with
/// canonical types and resolved routines and operators, so that the order and spelling
/// of the SQL do not matter and the live inspector's text (written from `pg_operator`)
/// reads back the same. `None` when an option is not understood.
pub(crate) fn operator_definition(
    replay: &Replay,
    name: &schema_model::QualifiedName,
    sql: &str,
) -> Option<String> {
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["CREATE", "OPERATOR"]) {
        return None;
    }
    operator_name(&mut tokens)?;
    let items = tokens.group_items()?;
    let mut parts: Vec<(u8, String)> = Vec::new();
    for item in items {
        let mut it = Tokens {
            sql: tokens.sql,
            toks: item,
            pos: 0,
        };
        let Some(Token::Word(word)) = it.next_token() else {
            return None;
        };
        let key = word.value.to_ascii_uppercase();
        let value = it.eat(&Token::Eq).then(|| it.rest_text().trim());
        let operator = |v: &str| operator_reference(replay, &name.name, v);
        let part = match (key.as_str(), value) {
            ("FUNCTION" | "PROCEDURE", Some(v)) => {
                (0, format!("FUNCTION = {}", routine_text(replay, v)))
            }
            ("LEFTARG", Some(v)) => (1, format!("LEFTARG = {}", canonical_type_text(replay, v))),
            ("RIGHTARG", Some(v)) => (2, format!("RIGHTARG = {}", canonical_type_text(replay, v))),
            ("COMMUTATOR", Some(v)) => (3, format!("COMMUTATOR = {}", operator(v))),
            ("NEGATOR", Some(v)) => (4, format!("NEGATOR = {}", operator(v))),
            ("MERGES", None) => (5, "MERGES".to_owned()),
            ("HASHES", None) => (6, "HASHES".to_owned()),
            ("RESTRICT", Some(v)) => (7, format!("RESTRICT = {}", routine_text(replay, v))),
            ("JOIN", Some(v)) => (8, format!("JOIN = {}", routine_text(replay, v))),
            _ => return None,
        };
        parts.push(part);
    }
    parts.sort_by_key(|(order, _)| *order);
    let parts: Vec<String> = parts.into_iter().map(|(_, text)| text).collect();
    Some(format!("CREATE OPERATOR {name} ({});", parts.join(", ")))
}

/// `CREATE STATISTICS` as `pg_get_statisticsobjdef` prints it: the kinds in the
/// catalog's order and left out when all are wanted, the name and the table qualified.
pub(crate) fn statistics_definition(
    replay: &Replay,
    name: &schema_model::QualifiedName,
    sql: &str,
    loc: &Location,
) -> Option<String> {
    const KINDS: [&str; 3] = ["ndistinct", "dependencies", "mcv"];
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["CREATE", "STATISTICS"]) {
        return None;
    }
    tokens.kws(&["IF", "NOT", "EXISTS"]);
    tokens.object_name()?;
    let mut kinds: Vec<&str> = Vec::new();
    if tokens.peek() == Some(&Token::LParen) {
        for item in tokens.group_items()? {
            let [
                Tok {
                    token: Token::Word(word),
                    ..
                },
            ] = item.as_slice()
            else {
                return None;
            };
            let kind = KINDS.iter().find(|k| word.value.eq_ignore_ascii_case(k))?;
            kinds.push(kind);
        }
    }
    if !tokens.kw("ON") {
        return None;
    }
    let columns_start = tokens.offset();
    tokens.seek_kw("FROM")?;
    let columns = tokens
        .text(columns_start, tokens.offset())
        .trim()
        .to_owned();
    tokens.kw("FROM");
    let table = tokens.object_name()?;
    let table = replay.resolve_table(&table, loc).ok()?;
    let kinds: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|k| kinds.contains(k))
        .collect();
    let kinds = if kinds.is_empty() || kinds.len() == KINDS.len() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    Some(format!(
        "CREATE STATISTICS {name}{kinds} ON {} FROM {table};",
        super::objects::canonical_spacing(replay.dialect, &columns)
    ))
}

/// `CREATE TEXT SEARCH DICTIONARY` as `pg_dump` writes it: the template qualified, the
/// options as the catalog keeps them (`name = 'value'`, in the order written).
pub(crate) fn dictionary_definition(
    replay: &Replay,
    name: &schema_model::QualifiedName,
    sql: &str,
) -> Option<String> {
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["CREATE", "TEXT", "SEARCH", "DICTIONARY"]) {
        return None;
    }
    tokens.object_name()?;
    let mut template = None;
    let mut options = Vec::new();
    for item in tokens.group_items()? {
        let mut it = tokens.sub(item);
        let key = it.ident()?;
        if !it.eat(&Token::Eq) {
            return None;
        }
        if key.value.eq_ignore_ascii_case("TEMPLATE") {
            let parts = replay.name_parts(&it.object_name()?);
            template = Some(match parts.as_slice() {
                [name] => format!("pg_catalog.{name}"),
                _ => parts.join("."),
            });
            continue;
        }
        let value = match it.next_token()? {
            Token::SingleQuotedString(s) => s,
            Token::Word(w) => w.value.to_lowercase(),
            Token::Number(n, _) => n,
            _ => return None,
        };
        options.push(format!(
            "{} = '{}'",
            replay.ident(&key),
            value.replace('\'', "''")
        ));
    }
    let mut all = vec![format!("TEMPLATE = {}", template?)];
    all.extend(options);
    Some(format!(
        "CREATE TEXT SEARCH DICTIONARY {name} ({});",
        all.join(", ")
    ))
}

/// `CREATE CAST` as `pg_dump` writes it: both types and the function's argument types
/// canonical, the function as the catalog resolves it.
pub(crate) fn cast_definition(replay: &Replay, name: &str, sql: &str) -> Option<String> {
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["CREATE", "CAST"]) {
        return None;
    }
    tokens.group()?;
    let method = if tokens.kws(&["WITHOUT", "FUNCTION"]) {
        "WITHOUT FUNCTION".to_owned()
    } else if tokens.kws(&["WITH", "INOUT"]) {
        "WITH INOUT".to_owned()
    } else if tokens.kws(&["WITH", "FUNCTION"]) {
        let function = tokens.object_name()?;
        let function = super::objects::functions::routine_reference(replay, &function);
        let arguments: Vec<String> = tokens
            .group_items()?
            .into_iter()
            .map(|item| {
                let it = tokens.sub(item);
                canonical_type_text(replay, it.rest_text())
            })
            .collect();
        format!("WITH FUNCTION {function}({})", arguments.join(", "))
    } else {
        return None;
    };
    let context = if tokens.kws(&["AS", "ASSIGNMENT"]) {
        " AS ASSIGNMENT"
    } else if tokens.kws(&["AS", "IMPLICIT"]) {
        " AS IMPLICIT"
    } else {
        ""
    };
    tokens
        .at_end()
        .then(|| format!("CREATE CAST {name} {method}{context};"))
}

/// What a publication publishes.
#[derive(Default)]
struct Publication {
    all_tables: bool,
    /// `schema.table[ (columns)][ WHERE (...)]`, in the order added.
    tables: Vec<(String, String)>,
    schemas: Vec<String>,
    /// `insert`, `update`, `delete`, `truncate`: all by default.
    publish: Option<Vec<String>>,
    via_root: bool,
}

const PUBLISHED: [&str; 4] = ["insert", "update", "delete", "truncate"];

/// `TABLE [ONLY] t [*] [(columns)] [WHERE (...)], ... | TABLES IN SCHEMA s, ...`.
fn publication_objects(
    replay: &Replay,
    tokens: &mut Tokens<'_>,
    loc: &Location,
) -> Option<Vec<(Option<String>, String, String)>> {
    let mut objects = Vec::new();
    let mut in_schema = false;
    loop {
        if tokens.kws(&["TABLES", "IN", "SCHEMA"]) {
            in_schema = true;
        } else if tokens.kw("TABLE") {
            in_schema = false;
        }
        if in_schema {
            let name = tokens.ident()?;
            objects.push((None, replay.ident(&name), String::new()));
        } else {
            tokens.kw("ONLY");
            let name = tokens.object_name()?;
            let table = replay.resolve_table(&name, loc).ok()?.to_string();
            if tokens.peek() == Some(&Token::Mul) {
                tokens.pos += 1;
            }
            let mut extra = String::new();
            if tokens.peek() == Some(&Token::LParen) {
                let columns: Vec<String> = tokens
                    .group_items()?
                    .into_iter()
                    .map(|item| {
                        let mut it = tokens.sub(item);
                        it.ident().map(|c| replay.ident(&c))
                    })
                    .collect::<Option<_>>()?;
                extra.push_str(&format!(" ({})", columns.join(", ")));
            }
            if tokens.kw("WHERE") {
                let (start, end) = tokens.group()?;
                let text =
                    super::objects::canonical_spacing(replay.dialect, tokens.text(start, end));
                extra.push_str(&format!(" WHERE ({text})"));
            }
            objects.push((Some(table), String::new(), extra));
        }
        if !tokens.eat(&Token::Comma) {
            return Some(objects);
        }
    }
}

fn add_objects(publication: &mut Publication, objects: Vec<(Option<String>, String, String)>) {
    for (table, schema, extra) in objects {
        match table {
            Some(table) => {
                publication.tables.retain(|(t, _)| *t != table);
                publication.tables.push((table, extra));
            }
            None => {
                if !publication.schemas.contains(&schema) {
                    publication.schemas.push(schema);
                }
            }
        }
    }
}

fn publication_name(tokens: &mut Tokens<'_>) -> Option<()> {
    tokens.kws(&["IF", "NOT", "EXISTS"]);
    tokens.ident().map(|_| ())
}

/// `WITH (publish = '...', publish_via_partition_root = ...)`.
fn publication_options(tokens: &mut Tokens<'_>, publication: &mut Publication) -> Option<()> {
    for item in tokens.group_items()? {
        let mut it = tokens.sub(item);
        let key = it.ident()?.value.to_lowercase();
        let value = if it.eat(&Token::Eq) {
            match it.next_token()? {
                Token::SingleQuotedString(s) => s,
                Token::Word(w) => w.value,
                Token::Number(n, _) => n,
                _ => return None,
            }
        } else {
            "true".to_owned()
        };
        match key.as_str() {
            "publish" => {
                let wanted: Vec<String> = value
                    .split(',')
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| !p.is_empty())
                    .collect();
                publication.publish = Some(
                    PUBLISHED
                        .iter()
                        .filter(|p| wanted.iter().any(|w| w == *p))
                        .map(|p| (*p).to_owned())
                        .collect(),
                );
            }
            "publish_via_partition_root" => {
                publication.via_root = matches!(value.to_lowercase().as_str(), "true" | "on" | "1")
            }
            _ => return None,
        }
    }
    Some(())
}

fn render_publication(name: &str, publication: &Publication) -> String {
    let mut sql = format!("CREATE PUBLICATION {name}");
    if publication.all_tables {
        sql.push_str(" FOR ALL TABLES");
    } else {
        let mut objects = Vec::new();
        if !publication.tables.is_empty() {
            let tables: Vec<String> = publication
                .tables
                .iter()
                .map(|(t, extra)| format!("{t}{extra}"))
                .collect();
            objects.push(format!("TABLE {}", tables.join(", ")));
        }
        if !publication.schemas.is_empty() {
            objects.push(format!(
                "TABLES IN SCHEMA {}",
                publication.schemas.join(", ")
            ));
        }
        if !objects.is_empty() {
            sql.push_str(&format!(" FOR {}", objects.join(", ")));
        }
    }
    let mut options = Vec::new();
    if let Some(publish) = publication
        .publish
        .as_ref()
        .filter(|p| p.len() < PUBLISHED.len())
    {
        options.push(format!("publish = '{}'", publish.join(", ")));
    }
    if publication.via_root {
        options.push("publish_via_partition_root = true".to_owned());
    }
    if !options.is_empty() {
        sql.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    sql.push(';');
    sql
}

/// Reads a publication's statements (its `CREATE` and the `ALTER`s that change what it
/// publishes).
fn publication_state(replay: &Replay, statements: &[&str], loc: &Location) -> Option<Publication> {
    let mut publication = Publication::default();
    for (i, sql) in statements.iter().enumerate() {
        let mut tokens = Tokens::new(replay.dialect, sql)?;
        if i == 0 {
            if !tokens.kws(&["CREATE", "PUBLICATION"]) {
                return None;
            }
            publication_name(&mut tokens)?;
            if tokens.kws(&["FOR", "ALL", "TABLES"]) {
                publication.all_tables = true;
            } else if tokens.kw("FOR") {
                let objects = publication_objects(replay, &mut tokens, loc)?;
                add_objects(&mut publication, objects);
            }
            if tokens.kw("WITH") {
                publication_options(&mut tokens, &mut publication)?;
            }
        } else {
            if !tokens.kws(&["ALTER", "PUBLICATION"]) {
                return None;
            }
            tokens.ident()?;
            if tokens.kw("ADD") {
                let objects = publication_objects(replay, &mut tokens, loc)?;
                add_objects(&mut publication, objects);
            } else if tokens.kw("SET") {
                if tokens.peek() == Some(&Token::LParen) {
                    publication_options(&mut tokens, &mut publication)?;
                } else {
                    publication.tables.clear();
                    publication.schemas.clear();
                    let objects = publication_objects(replay, &mut tokens, loc)?;
                    add_objects(&mut publication, objects);
                }
            } else if tokens.kw("DROP") {
                for (table, schema, _) in publication_objects(replay, &mut tokens, loc)? {
                    match table {
                        Some(table) => publication.tables.retain(|(t, _)| *t != table),
                        None => publication.schemas.retain(|s| *s != schema),
                    }
                }
            } else {
                return None;
            }
        }
        if !tokens.at_end() {
            return None;
        }
    }
    Some(publication)
}

/// A publication as one `CREATE PUBLICATION` of what it ends up publishing (the tables
/// in the order added, `publish` when not everything), so that `pg_dump`'s form (a
/// `CREATE` and an `ALTER ... ADD TABLE` per table) and the live inspector's read the
/// same. `None` when a statement is not understood.
pub(crate) fn publication_definition(
    replay: &Replay,
    name: &str,
    statements: &[&str],
    loc: &Location,
) -> Option<String> {
    publication_state(replay, statements, loc).map(|p| render_publication(name, &p))
}
