//! A fast path for sqlparser's tokenizer, for the plainest PostgreSQL statements.
//!
//! Tokenizing is the largest part of parsing a `CREATE TABLE` or a `CREATE INDEX`:
//! sqlparser's tokenizer reads characters one at a time through a peekable iterator and
//! grows each word's string a character at a time. Most statements of a schema hold
//! nothing but ASCII words, numbers, plain strings and quoted identifiers, commas,
//! parentheses and a few operators; for those, [`tokenize_plain_postgres`] gives the very
//! tokens and spans sqlparser's tokenizer gives (with `PostgreSqlDialect` and unescaping,
//! as `Parser::try_with_sql` tokenizes), and the parser gets them instead. Anything else
//! (non-ASCII text, comments, escapes, prefixed or dollar-quoted strings, other operators,
//! `COPY`) is left to sqlparser: the function says no, and nothing is lost but the attempt.
//!
//! The tests compare both tokenizers on every PostgreSQL statement of the shared corpus.

use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace};

/// Tokenizes `sql` into `out` (which must be empty) as sqlparser's tokenizer does with
/// `PostgreSqlDialect`, when every token of it is one this function knows; returns
/// `false` otherwise, with `out` holding some tokens to be discarded.
pub(crate) fn tokenize_plain_postgres(sql: &str, out: &mut Vec<TokenWithSpan>) -> bool {
    let b = sql.as_bytes();
    // ASCII only: columns then count bytes. `COPY ... FROM STDIN` has its data tokenized
    // apart.
    if !sql.is_ascii() || leading_word_is(b, b"copy") {
        return false;
    }
    let mut i = 0;
    let mut line = 1;
    let mut column = 1;
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        let (token, len) = match c {
            b' ' => (Token::Whitespace(Whitespace::Space), 1),
            b'\t' => (Token::Whitespace(Whitespace::Tab), 1),
            b'\n' => {
                out.push(TokenWithSpan::new(
                    Token::Whitespace(Whitespace::Newline),
                    Span::new(Location::new(line, column), Location::new(line + 1, 1)),
                ));
                line += 1;
                column = 1;
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = span_end(b, i, |c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$')
                });
                // `E'...'`, `B'...'`, `X'...'`, `N'...'`, `U&'...'`: prefixed literals.
                if matches!(b.get(end), Some(b'\'' | b'"' | b'&')) {
                    return false;
                }
                (Token::make_word(slice(sql, i, end), None), end - i)
            }
            b'0'..=b'9' => {
                let mut end = span_end(b, i, |c| c.is_ascii_digit());
                if b.get(end) == Some(&b'.') {
                    if !b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                        return false;
                    }
                    end = span_end(b, end + 1, |c| c.is_ascii_digit());
                }
                // Exponents, `0x`, `1_000`, `10L`, numbers running into words.
                if b.get(end).is_some_and(|&c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.' | b'\'' | b'"')
                }) {
                    return false;
                }
                (Token::Number(slice(sql, i, end).to_owned(), false), end - i)
            }
            b'\'' => match quoted_end(b, i, b'\'') {
                // No `\`: a plain string has no escapes, but keep to the simplest.
                Some(end) if !b[i + 1..end].contains(&b'\\') => (
                    Token::SingleQuotedString(slice(sql, i + 1, end).to_owned()),
                    end + 1 - i,
                ),
                _ => return false,
            },
            b'"' => match quoted_end(b, i, b'"') {
                Some(end) => (
                    Token::make_word(slice(sql, i + 1, end), Some('"')),
                    end + 1 - i,
                ),
                None => return false,
            },
            b'(' => (Token::LParen, 1),
            b')' => (Token::RParen, 1),
            b',' => (Token::Comma, 1),
            b';' => (Token::SemiColon, 1),
            // `.5`, and `._` after a word.
            b'.' if next.is_some_and(|n| n.is_ascii_digit() || n == b'_') => return false,
            b'.' => (Token::Period, 1),
            b'=' if matches!(next, Some(b'>' | b'=')) => return false,
            b'=' => (Token::Eq, 1),
            b':' if next == Some(b':') => (Token::DoubleColon, 2),
            b':' if next == Some(b'=') => return false,
            b':' => (Token::Colon, 1),
            // The rest are operators that sqlparser extends into custom operators with
            // whatever operator characters follow: take them only when none follow.
            b'>' | b'<' | b'-' => {
                let (token, len) = match (c, next) {
                    (b'>', Some(b'=')) => (Token::GtEq, 2),
                    (b'<', Some(b'=')) => (Token::LtEq, 2),
                    (b'<', Some(b'>')) => (Token::Neq, 2),
                    (b'>', _) => (Token::Gt, 1),
                    (b'<', _) => (Token::Lt, 1),
                    _ => (Token::Minus, 1),
                };
                if b.get(i + len).is_some_and(|&c| is_operator_part(c)) {
                    return false;
                }
                (token, len)
            }
            _ => return false,
        };
        let start = Location::new(line, column);
        column += len as u64;
        out.push(TokenWithSpan::new(
            token,
            Span::new(start, Location::new(line, column)),
        ));
        i += len;
    }
    true
}

/// `PostgreSqlDialect::is_custom_operator_part`.
fn is_operator_part(c: u8) -> bool {
    matches!(
        c,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
    )
}

/// The end of the run of bytes from `start` (included) that `part` accepts after the
/// first.
fn span_end(b: &[u8], start: usize, part: impl Fn(u8) -> bool) -> usize {
    let mut end = start + 1;
    while b.get(end).is_some_and(|&c| part(c)) {
        end += 1;
    }
    end
}

/// The offset of the quote closing the quoted text that opens at `start`, when the text
/// stays on one line and holds no doubled quote (those are left to sqlparser).
fn quoted_end(b: &[u8], start: usize, quote: u8) -> Option<usize> {
    let mut end = start + 1;
    loop {
        match b.get(end)? {
            &c if c == quote => break,
            b'\n' | b'\r' => return None,
            _ => end += 1,
        }
    }
    (b.get(end + 1) != Some(&quote)).then_some(end)
}

/// `sql[start..end]`, empty if that is not a slice (it always is: the text is ASCII).
fn slice(sql: &str, start: usize, end: usize) -> &str {
    sql.get(start..end).unwrap_or_default()
}

fn leading_word_is(b: &[u8], word: &[u8]) -> bool {
    b.get(..word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && !b
            .get(word.len())
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::{RawKind, split};
    use schema_model::Dialect;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::Tokenizer;

    /// Both tokenizers on `sql`: `None` when the fast path declines, else whether it
    /// gave exactly sqlparser's tokens and spans.
    fn compare(sql: &str) -> Option<Result<(), String>> {
        let mut fast = Vec::new();
        if !tokenize_plain_postgres(sql, &mut fast) {
            return None;
        }
        let slow = Tokenizer::new(&PostgreSqlDialect {}, sql)
            .with_unescape(true)
            .tokenize_with_location();
        let (fast, slow) = (format!("{fast:?}"), format!("{slow:?}"));
        Some(if slow == format!("Ok({fast})") {
            Ok(())
        } else {
            Err(format!("{sql}\n  fast: {fast}\n  sqlparser: {slow}"))
        })
    }

    #[test]
    fn plain_statements_tokenize_as_sqlparser_does() {
        let plain = [
            "CREATE TABLE t (id bigint NOT NULL, name varchar(120) DEFAULT 'x', \"Quoted Col\" text);",
            "CREATE TABLE shop_tasks (\n    id bigint GENERATED ALWAYS AS IDENTITY,\n    longitude numeric(9,6),\n    CONSTRAINT c CHECK (longitude BETWEEN -180 AND 180)\n);",
            "CREATE UNIQUE INDEX a_sku_key ON s.a (sku);",
            "COMMENT ON COLUMN a.b IS 'When it went public.';",
            "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES b (id) ON DELETE SET NULL;",
            "SELECT a<b, a>b, a<=b, a>=b, a<>b, a=b, a::text, a - 1, x.y, 12.5, 0, t.a$b, _x\tfrom y",
            "CREATE TYPE e AS ENUM ('a', 'b');",
            "a >= (b)",
            "SELECT a <= -b",
            "",
            "ab",
        ];
        for sql in plain {
            match compare(sql) {
                Some(Ok(())) => {}
                Some(Err(e)) => panic!("{e}"),
                None => panic!("declined: {sql}"),
            }
        }
        let declined = [
            "SELECT E'a\\'b'",
            "SELECT 'it''s'",
            "SELECT \"a\"\"b\"",
            "SELECT 1e5",
            "SELECT .5",
            "SELECT 0x1F",
            "SELECT 1_000",
            "SELECT a -- comment",
            "SELECT a->b",
            "SELECT a <-> b",
            "SELECT a >>= b",
            "SELECT $1",
            "SELECT $$x$$",
            "SELECT 'é'",
            "SELECT U&'x'",
            "SELECT B'01'",
            "SELECT a\r\nFROM b",
            "SELECT 'a\nb'",
            "COPY t FROM stdin;",
            "SELECT a => b",
            "SELECT 1.",
            "SELECT a || b",
            "SELECT a=>b",
            "x := 1",
            "SELECT a <+ b",
        ];
        for sql in declined {
            if let Some(result) = compare(sql) {
                panic!("not declined: {sql}: {result:?}");
            }
        }
    }

    /// Every PostgreSQL statement of the shared corpus (it lives outside this repository;
    /// without it only the cases above are checked).
    #[test]
    fn corpus_statements_tokenize_as_sqlparser_does() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
        let mut statements = 0;
        let mut taken = 0;
        let mut wrong = Vec::new();
        for file in ["sqldef/postgres.jsonl", "real-world/cases.jsonl"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                continue;
            };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                if case["dialect"] != "postgres" {
                    continue;
                }
                for side in ["current", "desired"] {
                    let sql = case[side].as_str().unwrap_or_default();
                    let Ok(raws) = split(sql, Dialect::Postgres) else {
                        continue;
                    };
                    for raw in raws.iter().filter(|r| r.kind == RawKind::Sql) {
                        statements += 1;
                        match compare(raw.text) {
                            Some(Ok(())) => taken += 1,
                            Some(Err(e)) => wrong.push(e),
                            None => {}
                        }
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The fast path must stay useful: most plain statements take it.
        assert!(
            statements == 0 || taken * 4 > statements,
            "{taken} of {statements} statements tokenized by the fast path"
        );
    }
}
