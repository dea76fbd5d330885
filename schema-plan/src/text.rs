//! A small SQL lexer: enough to find identifiers, parentheses and semicolons outside
//! string literals and comments, for each dialect's quoting rules. The renderer never
//! parses SQL; it only needs to know which names a stored expression mentions and
//! whether a stored text is already one parenthesized group.

use schema_model::Dialect;

/// A lexical token; everything the callers do not care about is `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// An identifier: bare ones folded the way the dialect folds them, quoted ones as
    /// written.
    Ident(String),
    Dot,
    Open,
    Close,
    Semicolon,
    /// A line comment that runs to the end of the text: a terminator appended on the
    /// same line would be commented out.
    TrailingLineComment,
    Other,
}

/// The text of the PostgreSQL literal `chars[start..end]` when a `::regclass` cast
/// follows it, quotes undoubled.
fn regclass_name(chars: &[char], start: usize, end: usize, dialect: Dialect) -> Option<String> {
    if dialect != Dialect::Postgres || end > chars.len() || end < start + 2 {
        return None;
    }
    let rest: String = chars[end..].iter().take(12).collect();
    let rest = rest.trim_start().to_ascii_lowercase();
    let after = rest.strip_prefix("::")?.trim_start();
    if !after.starts_with("regclass") {
        return None;
    }
    let body: String = chars[start + 1..end - 1].iter().collect();
    Some(body.replace("''", "'"))
}

/// Splits text into tokens. Unterminated quotes and comments swallow the rest of the
/// text, which is the safe reading for the callers (no names, no semicolons).
pub(crate) fn tokens(text: &str, dialect: Dialect) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            c if c.is_whitespace() => i += 1,
            '-' if next == Some('-') => i = skip_comment(&chars, i, &mut out),
            '#' if dialect == Dialect::Mysql => i = skip_comment(&chars, i, &mut out),
            '/' if next == Some('*') => i = skip_block_comment(&chars, i, dialect),
            '\'' => {
                let backslashes = dialect == Dialect::Mysql;
                let start = i;
                i = skip_quoted(&chars, i + 1, '\'', backslashes);
                match regclass_name(&chars, start, i, dialect) {
                    // `'public.users_id_seq'::regclass` (in `nextval`) names a relation
                    // inside a literal: it reads as that name.
                    Some(name) => out.extend(tokens(&name, dialect)),
                    None => out.push(Token::Other),
                }
            }
            'e' | 'E'
                if dialect == Dialect::Postgres
                    && next == Some('\'')
                    && !previous_is_word(&chars, i) =>
            {
                i = skip_quoted(&chars, i + 2, '\'', true);
                out.push(Token::Other);
            }
            '"' if dialect == Dialect::Mysql => {
                i = skip_quoted(&chars, i + 1, '"', true);
                out.push(Token::Other);
            }
            '"' => {
                let (name, end) = read_quoted_ident(&chars, i + 1, '"');
                out.push(Token::Ident(name));
                i = end;
            }
            '`' if dialect != Dialect::Postgres => {
                let (name, end) = read_quoted_ident(&chars, i + 1, '`');
                out.push(Token::Ident(name));
                i = end;
            }
            '[' if dialect == Dialect::Sqlite => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map_or(chars.len(), |p| i + 1 + p);
                out.push(Token::Ident(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '$' if dialect == Dialect::Postgres => match dollar_tag(&chars, i) {
                Some(tag) => i = skip_dollar_quoted(&chars, i + tag.len(), &tag),
                None => {
                    i += 1;
                    out.push(Token::Other);
                }
            },
            '.' if !next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push(Token::Dot);
                i += 1;
            }
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            ';' => {
                out.push(Token::Semicolon);
                i += 1;
            }
            c if c.is_ascii_digit() || c == '.' => {
                // Numbers, including 1e10 and 1.5: their letters are not names.
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                out.push(Token::Other);
            }
            c if is_ident_start(c) => {
                let start = i;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(Token::Ident(match dialect {
                    Dialect::Postgres => word.to_ascii_lowercase(),
                    Dialect::Mysql | Dialect::Sqlite => word,
                }));
            }
            _ => {
                out.push(Token::Other);
                i += 1;
            }
        }
    }
    out
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn previous_is_word(chars: &[char], i: usize) -> bool {
    i > 0 && is_ident_char(chars[i - 1])
}

fn skip_comment(chars: &[char], i: usize, out: &mut Vec<Token>) -> usize {
    match chars[i..].iter().position(|&c| c == '\n') {
        Some(p) => i + p + 1,
        None => {
            out.push(Token::TrailingLineComment);
            chars.len()
        }
    }
}

fn skip_block_comment(chars: &[char], start: usize, dialect: Dialect) -> usize {
    // PostgreSQL block comments nest; the others end at the first `*/`.
    let nests = dialect == Dialect::Postgres;
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            if depth == 0 || nests {
                depth += 1;
            }
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    chars.len()
}

/// Skips to just past the closing quote; a doubled quote stays inside.
fn skip_quoted(chars: &[char], mut i: usize, quote: char, backslashes: bool) -> usize {
    while i < chars.len() {
        let c = chars[i];
        if backslashes && c == '\\' {
            i += 2;
        } else if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    chars.len()
}

fn read_quoted_ident(chars: &[char], mut i: usize, quote: char) -> (String, usize) {
    let mut name = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                name.push(quote);
                i += 2;
            } else {
                return (name, i + 1);
            }
        } else {
            name.push(c);
            i += 1;
        }
    }
    (name, chars.len())
}

/// The `$tag$` starting at `i`, if one does.
fn dollar_tag(chars: &[char], i: usize) -> Option<String> {
    if previous_is_word(chars, i) {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && chars[j] != '$' {
        let c = chars[j];
        let allowed = if j == i + 1 {
            is_ident_start(c)
        } else {
            is_ident_char(c) && c != '$'
        };
        if !allowed {
            return None;
        }
        j += 1;
    }
    (j < chars.len()).then(|| chars[i..=j].iter().collect())
}

fn skip_dollar_quoted(chars: &[char], start: usize, tag: &str) -> usize {
    let tag: Vec<char> = tag.chars().collect();
    let mut i = start;
    while i + tag.len() <= chars.len() {
        if chars[i..i + tag.len()] == tag[..] {
            return i + tag.len();
        }
        i += 1;
    }
    chars.len()
}

/// Dotted identifier chains (`a`, `s.t`, `s.t.c`) in the order they appear.
pub(crate) fn identifier_chains(text: &str, dialect: Dialect) -> Vec<Vec<String>> {
    let mut chains: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut after_dot = false;
    for token in tokens(text, dialect) {
        match token {
            Token::Ident(name) if current.is_empty() || after_dot => {
                current.push(name);
                after_dot = false;
            }
            Token::Ident(name) => {
                chains.push(std::mem::take(&mut current));
                current.push(name);
            }
            Token::Dot if !current.is_empty() && !after_dot => after_dot = true,
            _ => {
                if !current.is_empty() {
                    chains.push(std::mem::take(&mut current));
                }
                after_dot = false;
            }
        }
    }
    if !current.is_empty() {
        chains.push(current);
    }
    chains
}

/// Whether the whole text is one parenthesized group, `(...)`, so that wrapping it again
/// would only add noise.
pub(crate) fn is_wrapped(text: &str, dialect: Dialect) -> bool {
    let toks = tokens(text, dialect);
    if toks.first() != Some(&Token::Open) || toks.last() != Some(&Token::Close) {
        return false;
    }
    let mut depth = 0i64;
    for (i, token) in toks.iter().enumerate() {
        match token {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth == 0 && i + 1 < toks.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Whether a statement holds a `;` before its end, outside quotes and comments: such a
/// statement (a MySQL compound body) needs another client delimiter.
pub(crate) fn has_inner_semicolon(sql: &str, dialect: Dialect) -> bool {
    let body = sql.trim_end().trim_end_matches(';');
    tokens(body, dialect).contains(&Token::Semicolon)
}

/// Whether the text ends inside a `--` line comment.
pub(crate) fn ends_in_line_comment(text: &str, dialect: Dialect) -> bool {
    // Every rendered statement passes here: lexing it is only worth it when it holds
    // something that can start a line comment.
    let may_comment = text.contains("--") || (dialect == Dialect::Mysql && text.contains('#'));
    may_comment && tokens(text, dialect).last() == Some(&Token::TrailingLineComment)
}

/// The text without trailing whitespace and semicolons: stored queries may end in one,
/// and the renderer adds its own.
pub(crate) fn strip_terminator(text: &str) -> &str {
    let mut t = text.trim();
    while let Some(rest) = t.strip_suffix(';') {
        t = rest.trim_end();
    }
    t
}

/// Whether the text starts with that keyword, case-insensitively, followed by a word
/// boundary.
pub(crate) fn starts_with_keyword(text: &str, keyword: &str) -> bool {
    let t = text.trim_start();
    t.len() >= keyword.len()
        && t.is_char_boundary(keyword.len())
        && t[..keyword.len()].eq_ignore_ascii_case(keyword)
        && !t[keyword.len()..].starts_with(is_ident_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_skip_literals_and_comments() {
        let chains = identifier_chains(
            "SELECT u.id, 'public.secret' FROM public.users u -- other.table\n JOIN \"Odd\".\"T\" ON $$x.y$$ = E'a\\'b.c'",
            Dialect::Postgres,
        );
        let flat: Vec<String> = chains.iter().map(|c| c.join(".")).collect();
        assert_eq!(
            flat,
            [
                "select",
                "u.id",
                "from",
                "public.users",
                "u",
                "join",
                "Odd.T",
                "on"
            ]
        );
    }

    #[test]
    fn mysql_and_sqlite_quoting() {
        let flat = |text, d| -> Vec<String> {
            identifier_chains(text, d)
                .iter()
                .map(|c| c.join("."))
                .collect()
        };
        assert_eq!(
            flat("`db`.`T` \"str.x\" # c\n x", Dialect::Mysql),
            ["db.T", "x"]
        );
        assert_eq!(flat("[a b].c \"q\"", Dialect::Sqlite), ["a b.c", "q"]);
    }

    #[test]
    fn wrapped_groups() {
        assert!(is_wrapped("(a > 0)", Dialect::Postgres));
        assert!(is_wrapped("((a) + (b))", Dialect::Postgres));
        assert!(!is_wrapped("(a) + (b)", Dialect::Postgres));
        assert!(!is_wrapped("a", Dialect::Postgres));
        assert!(is_wrapped("(')')", Dialect::Postgres));
    }

    #[test]
    fn inner_semicolons() {
        assert!(!has_inner_semicolon("SET x = ';';", Dialect::Mysql));
        assert!(has_inner_semicolon(
            "CREATE TRIGGER t BEGIN SET a = 1; END;",
            Dialect::Mysql
        ));
    }

    #[test]
    fn trailing_line_comments() {
        assert!(ends_in_line_comment("SELECT 1 -- note", Dialect::Postgres));
        assert!(!ends_in_line_comment(
            "SELECT '--' -- x\n",
            Dialect::Postgres
        ));
        assert!(!ends_in_line_comment("SELECT '-- x'", Dialect::Postgres));
        assert!(ends_in_line_comment("SELECT 1 # note", Dialect::Mysql));
    }

    #[test]
    fn keywords_and_terminators() {
        assert!(starts_with_keyword("  begin atomic", "BEGIN"));
        assert!(!starts_with_keyword("beginning", "BEGIN"));
        assert_eq!(strip_terminator("SELECT 1; ;\n"), "SELECT 1");
    }
}
