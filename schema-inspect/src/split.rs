//! The statement splitter: SQL text to statements, with their positions.
//!
//! A byte-level lexer that knows each dialect's quoting, comments and compound bodies just
//! well enough to find where statements end, the way each dialect's own command-line
//! client finds them: psql (parenthesis depth, `BEGIN ATOMIC` bodies, dollar quoting,
//! backslash meta-commands), the MySQL client (`DELIMITER`, `#` comments, backslash
//! escapes, `/*! */` executable comments) and SQLite's `sqlite3_complete()` (trigger
//! bodies). It never parses SQL: it hands back borrowed slices of the source, one per
//! statement, for sqlparser to parse one at a time.

use schema_model::Dialect;

/// What a piece of split text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// An SQL statement for the parser.
    Sql,
    /// A client command that is not SQL: psql's `\restrict`, `\c`, `\set`; the MySQL
    /// client's `DELIMITER`.
    ClientCommand,
}

/// One statement of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement<'a> {
    /// The statement, from its first token to its `;` terminator included (when the
    /// terminator is `;`; a custom MySQL `DELIMITER` is not included).
    pub text: &'a str,
    /// Comments and blank text between the previous statement and this one.
    pub preamble: &'a str,
    /// Byte offset of `text` in the source.
    pub offset: usize,
    /// 1-based line of the first character of `text`.
    pub line: usize,
    /// 1-based column (in characters) of the first character of `text`.
    pub column: usize,
    /// SQL or client command.
    pub kind: RawKind,
}

/// Text that cannot be split: an unterminated quote, comment or body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SplitError {
    /// Byte offset where the unterminated construct starts.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is unterminated.
    pub message: String,
}

/// Splits SQL text into statements.
///
/// Statements end at `;` (or at the MySQL client's current `DELIMITER`) outside quotes,
/// comments, dollar-quoted strings and `BEGIN ... END` bodies; in PostgreSQL also outside
/// parentheses, as psql does. A statement at the end of the input needs no terminator.
/// Empty statements and comment-only tails are dropped. psql meta-commands (`\c db`) and
/// MySQL `DELIMITER` lines come back as [`RawKind::ClientCommand`].
///
/// # Errors
///
/// A [`SplitError`] pointing at the start of an unterminated quoted string or identifier,
/// block comment, dollar-quoted string or `BEGIN ... END` body, at a PostgreSQL
/// parenthesis left open across a `;` at the end of the input, or at a `DELIMITER`
/// command without a delimiter.
pub fn split(sql: &str, dialect: Dialect) -> Result<Vec<RawStatement<'_>>, SplitError> {
    // A byte-order mark is no part of the first line: editors do not show it, so
    // columns and the first preamble start after it.
    let origin = if sql.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut splitter = Splitter {
        src: sql,
        b: sql.as_bytes(),
        dialect,
        origin,
        pos: origin,
        prev_end: origin,
        delimiter: None,
        cursor: Cursor::at(origin),
        out: Vec::new(),
    };
    splitter.run()?;
    Ok(splitter.out)
}

/// A line/column position, moved forward only, so that positions cost O(n) in total
/// however many statements share a line.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    offset: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    /// Line 1, column 1, at `offset`.
    fn at(offset: usize) -> Self {
        Cursor {
            offset,
            line: 1,
            column: 1,
        }
    }

    fn advance(&mut self, b: &[u8], to: usize) {
        let Some(bytes) = b.get(self.offset..to) else {
            return;
        };
        match bytes.iter().rposition(|&c| c == b'\n') {
            Some(last) => {
                self.line += count_newlines(bytes);
                self.column = 1 + char_count(&bytes[last + 1..]);
            }
            None => self.column += char_count(bytes),
        }
        self.offset = to;
    }
}

/// Eight bytes at a time, as one integer.
const LANES: usize = 8;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Newlines in `bytes`, counted eight bytes at a time: a per-byte loop here would cost
/// as much as the lexing itself.
fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(LANES);
    let mut n = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; LANES]>::try_from(chunk) else {
            continue;
        };
        let x = u64::from_le_bytes(word) ^ (LOW_BITS * u64::from(b'\n'));
        // The high bit of each byte of `x | ...` is set exactly when that byte is not 0
        // (the addition cannot carry into the next byte).
        let zero_bytes = !(((x & !HIGH_BITS) + !HIGH_BITS) | x) & HIGH_BITS;
        n += zero_bytes.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&c| c == b'\n').count()
}

/// Characters in UTF-8 bytes: the bytes that are not continuation bytes (`10xxxxxx`),
/// counted eight at a time.
fn char_count(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(LANES);
    let mut continuation = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; LANES]>::try_from(chunk) else {
            continue;
        };
        let x = u64::from_le_bytes(word);
        continuation += (x & !(x << 1) & HIGH_BITS).count_ones() as usize;
    }
    let rest = chunks.remainder();
    bytes.len() - continuation - rest.iter().filter(|&&c| c & 0xC0 == 0x80).count()
}

/// Offset of the first `byte` (ASCII) at or after `from`, found with the standard
/// library's word-at-a-time `memchr`.
fn find_byte(src: &str, from: usize, byte: u8) -> Option<usize> {
    match src.get(from..) {
        Some(rest) => rest.find(char::from(byte)).map(|k| from + k),
        // Not at a character boundary: search the bytes (an ASCII byte never occurs
        // inside a multi-byte character, so the answer is the same).
        None => src
            .as_bytes()
            .get(from..)?
            .iter()
            .position(|&c| c == byte)
            .map(|k| from + k),
    }
}

/// A significant token, as far as finding compound bodies goes.
#[derive(Debug, Clone, Copy)]
enum Tok<'s> {
    /// An unquoted word: keyword, identifier or number.
    Word(&'s [u8]),
    /// One byte of punctuation.
    Punct(u8),
    /// A quoted string or identifier, or an executable comment.
    Other,
}

/// What the statement is, as far as `;` inside it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// No token seen yet.
    Start,
    /// After `CREATE` (or MySQL `ALTER`), before the kind of object. `definer_words`
    /// counts the unquoted `user@host` words still allowed after a MySQL `DEFINER =`.
    Create {
        alter: bool,
        definer: bool,
        definer_words: u8,
    },
    /// MySQL: a statement that starts with `BEGIN`; MariaDB's `BEGIN NOT ATOMIC` opens an
    /// anonymous compound block, anything else is a transaction statement.
    Begin,
    /// A trigger, routine or event, whose `BEGIN ... END` body may hold `;`.
    Routine,
    /// Anything else: its first `;` outside quotes (and, in PostgreSQL, parentheses) ends it.
    Plain,
}

/// Tracks `BEGIN ... END` nesting in the statements that can have a compound body.
///
/// Only `BEGIN` and `CASE` are counted as openers: `END IF`, `END LOOP`, `END REPEAT` and
/// `END WHILE` close constructs that are not counted, so their openers (`IF` is also a
/// function and a clause, `REPEAT` a function) never have to be told apart.
struct Body {
    dialect: Dialect,
    class: Class,
    depth: u32,
    /// Offset of the outermost open `BEGIN`, for the error if it is never closed.
    opener: usize,
    /// An `END` was seen; the next token says whether it closes a counted opener.
    pending_end: bool,
    /// The previous token when it was punctuation, else 0: in `NEW.end`, `@begin` and
    /// `SET a = 1, end = 2` the words are identifiers, not keywords.
    prev: u8,
}

impl Body {
    fn new(dialect: Dialect) -> Self {
        Body {
            dialect,
            class: Class::Start,
            depth: 0,
            opener: 0,
            pending_end: false,
            prev: 0,
        }
    }

    #[inline]
    fn token(&mut self, tok: Tok<'_>, at: usize, parens: u32) {
        match self.class {
            Class::Plain => {}
            Class::Start => {
                self.class = match tok {
                    Tok::Word(w) if w.eq_ignore_ascii_case(b"create") => Class::Create {
                        alter: false,
                        definer: false,
                        definer_words: 0,
                    },
                    Tok::Word(w)
                        if self.dialect == Dialect::Mysql && w.eq_ignore_ascii_case(b"alter") =>
                    {
                        Class::Create {
                            alter: true,
                            definer: false,
                            definer_words: 0,
                        }
                    }
                    Tok::Word(w)
                        if self.dialect == Dialect::Mysql && w.eq_ignore_ascii_case(b"begin") =>
                    {
                        self.opener = at;
                        Class::Begin
                    }
                    _ => Class::Plain,
                };
            }
            Class::Create {
                alter,
                definer,
                definer_words,
            } => self.class = self.classify(tok, alter, definer, definer_words),
            Class::Begin => {
                self.class = match tok {
                    Tok::Word(w) if w.eq_ignore_ascii_case(b"not") => {
                        self.depth = 1;
                        Class::Routine
                    }
                    _ => Class::Plain,
                };
            }
            Class::Routine => self.routine_token(tok, at, parens),
        }
    }

    fn classify(&self, tok: Tok<'_>, alter: bool, definer: bool, definer_words: u8) -> Class {
        let Tok::Word(w) = tok else {
            // `DEFINER = 'user'@'host'` and `CURRENT_USER()` are quoted strings and
            // punctuation between `CREATE` and the object kind.
            return if definer {
                Class::Create {
                    alter,
                    definer,
                    definer_words,
                }
            } else {
                Class::Plain
            };
        };
        let is = |k: &[u8]| w.eq_ignore_ascii_case(k);
        let routine = match self.dialect {
            Dialect::Postgres => !alter && (is(b"function") || is(b"procedure")),
            Dialect::Mysql => {
                is(b"event") || (!alter && (is(b"trigger") || is(b"procedure") || is(b"function")))
            }
            Dialect::Sqlite => !alter && is(b"trigger"),
        };
        if routine {
            return Class::Routine;
        }
        if is(b"definer") {
            return Class::Create {
                alter,
                definer: true,
                definer_words: 2,
            };
        }
        let modifier = [
            &b"or"[..],
            b"replace",
            b"temp",
            b"temporary",
            b"sql",
            b"security",
            b"invoker",
            b"aggregate",
        ]
        .iter()
        .any(|k| is(k));
        if modifier {
            return Class::Create {
                alter,
                definer,
                definer_words,
            };
        }
        if definer && definer_words > 0 {
            return Class::Create {
                alter,
                definer,
                definer_words: definer_words - 1,
            };
        }
        Class::Plain
    }

    fn routine_token(&mut self, tok: Tok<'_>, at: usize, parens: u32) {
        if self.pending_end {
            self.pending_end = false;
            match tok {
                Tok::Word(w)
                    if [&b"if"[..], b"loop", b"repeat", b"while"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k)) =>
                {
                    self.prev = 0;
                    return;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case(b"case") => {
                    // `END CASE` closes the CASE statement counted when it opened.
                    self.close();
                    self.prev = 0;
                    return;
                }
                // `end.column`: a qualified name, not the keyword.
                Tok::Punct(b'.') => {}
                _ => self.close(),
            }
        }
        match tok {
            Tok::Word(w) => {
                // Like psql, keywords inside parentheses are not looked at: a CASE there
                // is closed there, and `(start, end)` is a column list.
                if parens == 0 && self.prev != b'.' && self.prev != b'@' {
                    let listed = self.prev == b',';
                    let opens = (!listed && w.eq_ignore_ascii_case(b"begin"))
                        || (self.depth > 0 && w.eq_ignore_ascii_case(b"case"));
                    if opens {
                        self.open(at);
                    } else if !listed && w.eq_ignore_ascii_case(b"end") {
                        self.pending_end = true;
                    }
                }
                self.prev = 0;
            }
            Tok::Punct(p) => self.prev = p,
            Tok::Other => self.prev = 0,
        }
    }

    /// The statement's terminator (or the end of the input) follows.
    fn finish_pending(&mut self) {
        if self.pending_end {
            self.pending_end = false;
            self.close();
        }
    }

    fn open(&mut self, at: usize) {
        if self.depth == 0 {
            self.opener = at;
        }
        self.depth = self.depth.saturating_add(1);
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

struct Splitter<'a> {
    src: &'a str,
    b: &'a [u8],
    dialect: Dialect,
    /// Where line 1, column 1 is: 0, or after a byte-order mark.
    origin: usize,
    pos: usize,
    /// Where the next statement's preamble starts: just after the previous statement.
    prev_end: usize,
    /// The MySQL client's delimiter when `DELIMITER` made it something other than `;`.
    delimiter: Option<&'a [u8]>,
    cursor: Cursor,
    out: Vec<RawStatement<'a>>,
}

/// Byte classes, looked up instead of compared in the hot loops.
const SPACE: u8 = 1;
/// `$`: continues a word (`a$b`; MySQL and SQLite may also start one with it), but in
/// PostgreSQL starts a dollar quote or a parameter.
const DOLLAR: u8 = 2;
/// Starts and continues an unquoted word: ASCII letters and digits, `_`, and every byte
/// of a non-ASCII character (so that a word never ends inside a character).
const WORD: u8 = 3;

static CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        class[c] = if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            SPACE
        } else if b == b'$' {
            DOLLAR
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            WORD
        } else {
            0
        };
        c += 1;
    }
    class
};

#[inline]
fn is_space(c: u8) -> bool {
    CLASS[c as usize] == SPACE
}

#[inline]
fn class_of(c: u8) -> u8 {
    CLASS[c as usize]
}

/// The bytes that can start something that matters in a statement whose keywords do not:
/// quotes, comments, `;`, and in PostgreSQL parentheses and dollar quotes.
const fn special(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let common = b";'\"-/";
    let mut i = 0;
    while i < common.len() {
        table[common[i] as usize] = true;
        i += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

static SPECIAL_POSTGRES: [bool; 256] = special(b"$()");
static SPECIAL_MYSQL: [bool; 256] = special(b"`#");
static SPECIAL_SQLITE: [bool; 256] = special(b"`[");

/// Continues an unquoted word.
#[inline]
fn in_word(c: u8) -> bool {
    CLASS[c as usize] >= DOLLAR
}

impl<'a> Splitter<'a> {
    fn run(&mut self) -> Result<(), SplitError> {
        loop {
            self.skip_gap()?;
            let start = self.pos;
            let Some(&c) = self.b.get(start) else {
                return Ok(());
            };
            if self.dialect == Dialect::Postgres && c == b'\\' {
                self.psql_command(start);
            } else if self.dialect == Dialect::Mysql && self.at_delimiter_command(start) {
                self.delimiter_command(start)?;
            } else {
                self.statement(start)?;
            }
        }
    }

    /// Skips whitespace, comments and empty statements between statements.
    fn skip_gap(&mut self) -> Result<(), SplitError> {
        let b = self.b;
        while let Some(&c) = b.get(self.pos) {
            if let Some(d) = self.delimiter
                && b[self.pos..].starts_with(d)
            {
                self.pos += d.len();
                continue;
            }
            match c {
                c if is_space(c) => self.pos += 1,
                b';' => self.pos += 1,
                b'-' if self.line_comment_at(self.pos) => self.pos = self.line_end(self.pos),
                b'#' if self.dialect == Dialect::Mysql => self.pos = self.line_end(self.pos),
                b'/' if b.get(self.pos + 1) == Some(&b'*')
                    && !self.executable_comment_at(self.pos) =>
                {
                    self.pos = self.block_comment(self.pos)?;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// One SQL statement starting at `start`, up to its terminator or the end of input.
    fn statement(&mut self, start: usize) -> Result<(), SplitError> {
        let b = self.b;
        let dialect = self.dialect;
        let pg = dialect == Dialect::Postgres;
        let mysql = dialect == Dialect::Mysql;
        let sqlite = dialect == Dialect::Sqlite;
        let special = match dialect {
            Dialect::Postgres => &SPECIAL_POSTGRES,
            Dialect::Mysql => &SPECIAL_MYSQL,
            Dialect::Sqlite => &SPECIAL_SQLITE,
        };
        let delimiter = self.delimiter;
        let mut pos = start;
        // End of the last token: trailing comments are not part of an unterminated
        // statement, nor of one ended by a custom delimiter.
        let mut last_end = start;
        let mut body = Body::new(dialect);
        let mut parens: u32 = 0;
        let mut paren_open = start;
        let mut paren_swallowed_semicolon = false;

        while pos < b.len() {
            if body.class == Class::Plain && delimiter.is_none() {
                // Once no keyword can matter, only quotes, comments, parentheses and `;`
                // do: skip everything else without tokenizing it.
                let run = pos;
                while pos < b.len() && !special[b[pos] as usize] {
                    pos += 1;
                }
                let mut code_end = pos;
                while code_end > run && is_space(b[code_end - 1]) {
                    code_end -= 1;
                }
                if code_end > run {
                    last_end = code_end;
                }
                if pos >= b.len() {
                    break;
                }
            }
            let c = b[pos];
            if let Some(d) = delimiter
                && d.first() == Some(&c)
                && b[pos..].starts_with(d)
            {
                body.finish_pending();
                self.emit(start, last_end, pos + d.len(), RawKind::Sql);
                return Ok(());
            }
            let class = CLASS[c as usize];
            if class == SPACE {
                pos += 1;
                while pos < b.len() && is_space(b[pos]) {
                    pos += 1;
                }
                continue;
            }
            let tok_start = pos;
            let tok = if class == WORD {
                pos = self.word_end(pos);
                Tok::Word(&b[tok_start..pos])
            } else {
                match c {
                    b';' if delimiter.is_none() => {
                        body.finish_pending();
                        if body.depth == 0 && (parens == 0 || !pg) {
                            self.emit(start, pos + 1, pos + 1, RawKind::Sql);
                            return Ok(());
                        }
                        if parens > 0 {
                            paren_swallowed_semicolon = true;
                        }
                        pos += 1;
                        Tok::Punct(b';')
                    }
                    b'\'' if pg && self.escape_string_prefix(start, pos) => {
                        pos = self
                            .quoted(pos, b'\'', true, "unterminated quoted string")
                            .map_err(|e| SplitError {
                                // The string starts at its `E`.
                                offset: pos - 1,
                                column: e.column.saturating_sub(1),
                                ..e
                            })?;
                        Tok::Other
                    }
                    b'\'' => {
                        pos = self.quoted(pos, b'\'', mysql, "unterminated quoted string")?;
                        Tok::Other
                    }
                    b'"' => {
                        let what = if mysql {
                            "unterminated quoted string"
                        } else {
                            "unterminated quoted identifier"
                        };
                        pos = self.quoted(pos, b'"', mysql, what)?;
                        Tok::Other
                    }
                    b'`' if !pg => {
                        pos = self.quoted(pos, b'`', false, "unterminated quoted identifier")?;
                        Tok::Other
                    }
                    b'[' if sqlite => {
                        pos = match find_byte(self.src, pos, b']') {
                            Some(k) => k + 1,
                            None => return Err(self.error(pos, "unterminated [quoted] identifier")),
                        };
                        Tok::Other
                    }
                    b'-' if self.line_comment_at(pos) => {
                        pos = self.line_end(pos);
                        continue;
                    }
                    b'#' if mysql => {
                        pos = self.line_end(pos);
                        continue;
                    }
                    b'/' if b.get(pos + 1) == Some(&b'*') => {
                        if self.executable_comment_at(pos) {
                            pos = self.executable_comment(pos)?;
                            Tok::Other
                        } else {
                            pos = self.block_comment(pos)?;
                            continue;
                        }
                    }
                    // `a$b`: a `$` inside an identifier. (Only when skipping: tokenized
                    // words take their `$`s along.)
                    b'$' if pg && pos > start && class_of(b[pos - 1]) == WORD => {
                        pos = self.word_end(pos);
                        Tok::Other
                    }
                    b'$' if pg => match self.dollar_tag(pos) {
                        Some(tag_end) => {
                            pos = self.dollar_quoted(pos, tag_end)?;
                            Tok::Other
                        }
                        None => {
                            // `$1`: a positional parameter.
                            pos += 1;
                            while b.get(pos).is_some_and(u8::is_ascii_digit) {
                                pos += 1;
                            }
                            Tok::Other
                        }
                    },
                    // MySQL identifiers and SQLite parameters may start with `$`.
                    b'$' => {
                        pos = self.word_end(pos);
                        Tok::Word(&b[tok_start..pos])
                    }
                    b'(' => {
                        if parens == 0 {
                            paren_open = pos;
                        }
                        parens = parens.saturating_add(1);
                        pos += 1;
                        Tok::Punct(b'(')
                    }
                    b')' => {
                        parens = parens.saturating_sub(1);
                        pos += 1;
                        Tok::Punct(b')')
                    }
                    c => {
                        pos += 1;
                        Tok::Punct(c)
                    }
                }
            };
            last_end = pos;
            if body.class != Class::Plain {
                body.token(tok, tok_start, parens);
            }
        }

        body.finish_pending();
        if body.depth > 0 {
            return Err(self.error(
                body.opener,
                "unterminated BEGIN ... END body: no END closes this BEGIN",
            ));
        }
        if pg && parens > 0 && paren_swallowed_semicolon {
            return Err(self.error(
                paren_open,
                "unclosed parenthesis: the `;` after it does not end the statement",
            ));
        }
        self.emit(start, last_end, last_end, RawKind::Sql);
        Ok(())
    }

    /// PostgreSQL: the quote at `quote` opens an `E'...'` escape string (backslash
    /// escapes) when a lone `E` word stands right before it.
    fn escape_string_prefix(&self, start: usize, quote: usize) -> bool {
        let b = self.b;
        quote > start
            && b[quote - 1] | 0x20 == b'e'
            && (quote - 1 == start || !in_word(b[quote - 2]))
    }

    /// A psql meta-command: the rest of the line, which psql never sends to the server.
    fn psql_command(&mut self, start: usize) {
        let end = self.trim_end(start, self.line_end(start));
        self.emit(start, end, end, RawKind::ClientCommand);
    }

    fn at_delimiter_command(&self, start: usize) -> bool {
        let Some(word) = self.b.get(start..start + 9) else {
            return false;
        };
        word.eq_ignore_ascii_case(b"delimiter")
            && self.b.get(start + 9).is_none_or(|&c| is_space(c))
    }

    /// The MySQL client's `DELIMITER xx`: its first argument ends statements from now on.
    fn delimiter_command(&mut self, start: usize) -> Result<(), SplitError> {
        let b = self.b;
        let line_end = self.line_end(start);
        let mut arg = start + 9;
        while arg < line_end && is_space(b[arg]) {
            arg += 1;
        }
        let mut arg_end = arg;
        while arg_end < line_end && !is_space(b[arg_end]) {
            arg_end += 1;
        }
        if arg == arg_end {
            return Err(self.error(start, "DELIMITER needs a delimiter, as in `DELIMITER $$`"));
        }
        let delimiter = &b[arg..arg_end];
        self.delimiter = (delimiter != b";").then_some(delimiter);
        let end = self.trim_end(start, line_end);
        self.emit(start, end, end, RawKind::ClientCommand);
        Ok(())
    }

    fn emit(&mut self, start: usize, text_end: usize, next: usize, kind: RawKind) {
        self.cursor.advance(self.b, start);
        self.out.push(RawStatement {
            text: self.src.get(start..text_end).unwrap_or_default(),
            preamble: self.src.get(self.prev_end..start).unwrap_or_default(),
            offset: start,
            line: self.cursor.line,
            column: self.cursor.column,
            kind,
        });
        self.prev_end = next;
        self.pos = next;
    }

    fn error(&self, offset: usize, message: &str) -> SplitError {
        let mut cursor = Cursor::at(self.origin);
        cursor.advance(self.b, offset);
        SplitError {
            offset,
            line: cursor.line,
            column: cursor.column,
            message: message.to_owned(),
        }
    }

    /// `--` starts a comment; in MySQL only when followed by a space or control character.
    fn line_comment_at(&self, pos: usize) -> bool {
        self.b.get(pos + 1) == Some(&b'-')
            && (self.dialect != Dialect::Mysql || self.b.get(pos + 2).is_none_or(|&c| c <= b' '))
    }

    /// Offset of the newline ending the line `pos` is on (or of the end of the input).
    fn line_end(&self, pos: usize) -> usize {
        find_byte(self.src, pos, b'\n').unwrap_or(self.b.len())
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && is_space(self.b[end - 1]) {
            end -= 1;
        }
        end
    }

    /// MySQL's `/*! ... */` and MariaDB's `/*M! ... */` hold code the server runs.
    fn executable_comment_at(&self, pos: usize) -> bool {
        self.dialect == Dialect::Mysql
            && (self.b[pos..].starts_with(b"/*!") || self.b[pos..].starts_with(b"/*M!"))
    }

    /// A `/* */` comment starting at `pos`; PostgreSQL's nest. Returns the offset after it.
    fn block_comment(&self, pos: usize) -> Result<usize, SplitError> {
        let b = self.b;
        let nested = self.dialect == Dialect::Postgres;
        let mut depth = 1u32;
        let mut i = pos + 2;
        // Jump from `*` to `*`: every opener and closer has one.
        while let Some(k) = find_byte(self.src, i, b'*') {
            if nested && k > i && b[k - 1] == b'/' {
                depth = depth.saturating_add(1);
                i = k + 1;
            } else if b.get(k + 1) == Some(&b'/') {
                depth -= 1;
                i = k + 2;
                if depth == 0 {
                    return Ok(i);
                }
            } else {
                i = k + 1;
            }
        }
        Err(self.error(pos, "unterminated /* comment"))
    }

    /// An executable comment: code, so a `*/` inside its strings does not close it.
    fn executable_comment(&self, pos: usize) -> Result<usize, SplitError> {
        let b = self.b;
        let mut i = pos + 3;
        while let Some(&c) = b.get(i) {
            match c {
                b'*' if b.get(i + 1) == Some(&b'/') => return Ok(i + 2),
                b'\'' | b'"' => i = self.quoted(i, c, true, "unterminated quoted string")?,
                b'`' => i = self.quoted(i, c, false, "unterminated quoted identifier")?,
                _ => i += 1,
            }
        }
        Err(self.error(pos, "unterminated /*! executable comment"))
    }

    /// A quoted string or identifier starting at `pos`, where a doubled `quote` stands for
    /// itself and, with `backslash`, `\` escapes the next byte. Returns the offset after it.
    fn quoted(
        &self,
        pos: usize,
        quote: u8,
        backslash: bool,
        what: &str,
    ) -> Result<usize, SplitError> {
        let b = self.b;
        let mut i = pos + 1;
        loop {
            i = if backslash {
                let Some(k) = b
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == quote || c == b'\\'))
                else {
                    return Err(self.error(pos, what));
                };
                i + k
            } else {
                match find_byte(self.src, i, quote) {
                    Some(k) => k,
                    None => return Err(self.error(pos, what)),
                }
            };
            if b[i] == quote {
                if b.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return Ok(i + 1);
                }
            } else {
                // A backslash: the next byte is escaped, whatever it is.
                i += 2;
            }
        }
    }

    /// If a PostgreSQL dollar-quote opening tag (`$$`, `$tag$`) starts at `pos`, the
    /// offset just after it.
    fn dollar_tag(&self, pos: usize) -> Option<usize> {
        let b = self.b;
        let mut i = pos + 1;
        let &first = b.get(i)?;
        if first == b'$' {
            return Some(i + 1);
        }
        // A tag is an identifier without `$`; `$1` is a parameter, not a tag.
        if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
            return None;
        }
        while let Some(&c) = b.get(i) {
            if c == b'$' {
                return Some(i + 1);
            }
            if !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80) {
                return None;
            }
            i += 1;
        }
        None
    }

    fn dollar_quoted(&self, pos: usize, tag_end: usize) -> Result<usize, SplitError> {
        let tag = self.src.get(pos..tag_end).unwrap_or("$$");
        match self.src.get(tag_end..).and_then(|rest| rest.find(tag)) {
            Some(k) => Ok(tag_end + k + tag.len()),
            None => Err(self.error(pos, &format!("unterminated dollar-quoted string {tag}"))),
        }
    }

    /// The end of the unquoted word (keyword, identifier or number) starting at `pos`.
    #[inline(always)]
    fn word_end(&self, pos: usize) -> usize {
        let b = self.b;
        let mut i = pos + 1;
        match self.delimiter {
            None => {
                while i < b.len() && in_word(b[i]) {
                    i += 1;
                }
            }
            Some(d) => {
                // The MySQL client ends a statement at its delimiter wherever it appears
                // outside quotes and comments, so `END$$` ends at `$$`.
                while i < b.len()
                    && in_word(b[i])
                    && !(d.first() == Some(&b[i]) && b[i..].starts_with(d))
                {
                    i += 1;
                }
            }
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::{Mysql, Postgres, Sqlite};

    fn ok(sql: &str, dialect: Dialect) -> Vec<RawStatement<'_>> {
        match split(sql, dialect) {
            Ok(statements) => statements,
            Err(e) => panic!("{dialect:?}: {}:{}: {}", e.line, e.column, e.message),
        }
    }

    /// Offset, line and column.
    type At = (usize, usize, usize);

    /// Text, preamble, offset, line, column and kind.
    type Expected = (String, String, usize, usize, usize, RawKind);

    /// The texts of every statement, client commands included.
    fn texts(sql: &str, dialect: Dialect) -> Vec<&str> {
        ok(sql, dialect).into_iter().map(|s| s.text).collect()
    }

    fn err(sql: &str, dialect: Dialect) -> SplitError {
        match split(sql, dialect) {
            Ok(statements) => panic!("{dialect:?}: expected an error, got {statements:#?}"),
            Err(e) => e,
        }
    }

    fn sql(text: &str, preamble: &str, at: At) -> Expected {
        (text.into(), preamble.into(), at.0, at.1, at.2, RawKind::Sql)
    }

    fn client(text: &str, preamble: &str, at: At) -> Expected {
        (
            text.into(),
            preamble.into(),
            at.0,
            at.1,
            at.2,
            RawKind::ClientCommand,
        )
    }

    /// Every field of every statement, to compare with expectations written by hand.
    fn full(sql: &str, dialect: Dialect) -> Vec<Expected> {
        ok(sql, dialect)
            .into_iter()
            .map(|s| {
                (
                    s.text.into(),
                    s.preamble.into(),
                    s.offset,
                    s.line,
                    s.column,
                    s.kind,
                )
            })
            .collect()
    }

    #[test]
    fn positions_preambles_empty_statements_and_tails() {
        let input = "-- head\nCREATE TABLE a (x int);\n\n  /* c */ SELECT 1;;\n;SELECT 2 -- tail\n-- only a comment\n";
        for dialect in Dialect::ALL {
            assert_eq!(
                full(input, dialect),
                vec![
                    sql("CREATE TABLE a (x int);", "-- head\n", (8, 2, 1)),
                    sql("SELECT 1;", "\n\n  /* c */ ", (43, 4, 11)),
                    sql("SELECT 2", ";\n;", (55, 5, 2)),
                ],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn unterminated_last_statement_ends_at_its_last_token() {
        for dialect in Dialect::ALL {
            assert_eq!(
                texts("SELECT 1 /* c */ \n-- d\n ", dialect),
                ["SELECT 1"],
                "{dialect:?}"
            );
            assert_eq!(
                texts("SELECT 'a' \t", dialect),
                ["SELECT 'a'"],
                "{dialect:?}"
            );
            assert_eq!(texts("x", dialect), ["x"], "{dialect:?}");
        }
    }

    #[test]
    fn nothing_to_split() {
        for dialect in Dialect::ALL {
            for input in [
                "",
                "  \n\t",
                ";;\n;",
                "-- just a comment",
                "/* a */ -- b\n;",
            ] {
                assert_eq!(ok(input, dialect), vec![], "{dialect:?} {input:?}");
            }
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let input = "SELECT 'é';\nSELECT 'ü'; SELECT 3;";
        assert_eq!(
            full(input, Postgres),
            vec![
                sql("SELECT 'é';", "", (0, 1, 1)),
                sql("SELECT 'ü';", "\n", (13, 2, 1)),
                sql("SELECT 3;", " ", (26, 2, 13)),
            ]
        );
        // Long enough for whole eight-byte chunks of multi-byte characters.
        let input = "SELECT 'привет, мир'; SELECT 2;\n  SELECT 'ééééé'; SELECT 3;";
        assert_eq!(
            full(input, Sqlite),
            vec![
                sql("SELECT 'привет, мир';", "", (0, 1, 1)),
                sql("SELECT 2;", " ", (31, 1, 23)),
                sql("SELECT 'ééééé';", "\n  ", (43, 2, 3)),
                sql("SELECT 3;", " ", (64, 2, 19)),
            ]
        );
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let input = "\u{feff}SELECT 1;\n SELECT 2;";
        assert_eq!(
            full(input, Sqlite),
            vec![
                sql("SELECT 1;", "", (3, 1, 1)),
                sql("SELECT 2;", "\n ", (14, 2, 2))
            ]
        );
        let e = err("\u{feff}SELECT 'x", Sqlite);
        assert_eq!((e.offset, e.line, e.column), (10, 1, 8));
    }

    #[test]
    fn windows_line_endings() {
        let input = "SELECT 1;\r\n\r\nSELECT\r\n  2;\r\n";
        assert_eq!(
            full(input, Mysql),
            vec![
                sql("SELECT 1;", "", (0, 1, 1)),
                sql("SELECT\r\n  2;", "\r\n\r\n", (13, 3, 1))
            ]
        );
    }

    #[test]
    fn single_quoted_strings_with_doubled_quotes() {
        let input = "INSERT INTO t VALUES ('a;''b', ''';');SELECT 1;";
        for dialect in Dialect::ALL {
            assert_eq!(
                texts(input, dialect),
                ["INSERT INTO t VALUES ('a;''b', ''';');", "SELECT 1;"],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn postgres_escape_strings_and_standard_strings() {
        // In E'' a backslash escapes the quote; in '' it is an ordinary character.
        let input = r"SELECT E'it\'s; here', e'\\';SELECT 'a\';SELECT 3;";
        assert_eq!(
            texts(input, Postgres),
            [
                r"SELECT E'it\'s; here', e'\\';",
                r"SELECT 'a\';",
                "SELECT 3;"
            ]
        );
        // Also where keywords are still being looked at.
        let function = r"CREATE FUNCTION f() RETURNS text LANGUAGE sql RETURN E'a\';b';";
        assert_eq!(
            texts(&format!("{function}SELECT 2;"), Postgres),
            [function, "SELECT 2;"]
        );
        // A word ending in `e` is not an escape-string prefix.
        assert_eq!(
            texts(r"SELECT some'\';SELECT 2;", Postgres),
            [r"SELECT some'\';", "SELECT 2;"]
        );
    }

    #[test]
    fn mysql_backslash_escapes_in_both_quotes() {
        let input = r#"INSERT INTO t VALUES ('it\'s; ok', "say \"hi;\"", 'a\\');SELECT 1;"#;
        assert_eq!(
            texts(input, Mysql),
            [
                r#"INSERT INTO t VALUES ('it\'s; ok', "say \"hi;\"", 'a\\');"#,
                "SELECT 1;"
            ]
        );
        // Without backslash escapes (SQLite), `'it\'` is a whole string.
        assert_eq!(
            texts(r"SELECT 'it\';SELECT 2;", Sqlite),
            [r"SELECT 'it\';", "SELECT 2;"]
        );
    }

    #[test]
    fn quoted_identifiers() {
        let pg = r#"CREATE TABLE "a;b" ("c"";" int);SELECT a[1] FROM x;"#;
        assert_eq!(
            texts(pg, Postgres),
            [r#"CREATE TABLE "a;b" ("c"";" int);"#, "SELECT a[1] FROM x;"]
        );
        let my = "CREATE TABLE `a;b` (`c``;` int);SELECT 1;";
        assert_eq!(
            texts(my, Mysql),
            ["CREATE TABLE `a;b` (`c``;` int);", "SELECT 1;"]
        );
        let lite = r#"CREATE TABLE [a;b] (`c;` int, "d"";" int);SELECT 1;"#;
        assert_eq!(
            texts(lite, Sqlite),
            [r#"CREATE TABLE [a;b] (`c;` int, "d"";" int);"#, "SELECT 1;"]
        );
    }

    #[test]
    fn comments_hide_semicolons() {
        let input = "SELECT 1 -- not here;\n + 2 /* nor; here */;\nSELECT 3;";
        for dialect in Dialect::ALL {
            assert_eq!(
                texts(input, dialect),
                ["SELECT 1 -- not here;\n + 2 /* nor; here */;", "SELECT 3;"],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn block_comments_nest_in_postgres_only() {
        let input = "/* a /* b */ ; */ SELECT 1;";
        assert_eq!(
            full(input, Postgres),
            vec![sql("SELECT 1;", "/* a /* b */ ; */ ", (18, 1, 19))]
        );
        // Elsewhere the first `*/` closes the comment, and `; */ SELECT 1;` follows it.
        assert_eq!(texts(input, Sqlite), ["*/ SELECT 1;"]);
        let e = err("SELECT /* /* */ 1;", Postgres);
        assert_eq!((e.offset, e.line, e.column), (7, 1, 8));
        assert_eq!(texts("SELECT /* /* */ 1;", Mysql), ["SELECT /* /* */ 1;"]);
    }

    #[test]
    fn mysql_hash_comments_and_double_dash_needing_a_space() {
        let input = "SELECT 1; # a comment; with a semicolon\nSELECT 2;";
        assert_eq!(
            full(input, Mysql),
            vec![
                sql("SELECT 1;", "", (0, 1, 1)),
                sql("SELECT 2;", " # a comment; with a semicolon\n", (40, 2, 1)),
            ]
        );
        // `#` is an operator in PostgreSQL.
        assert_eq!(
            texts("SELECT 1 # 2;SELECT 3;", Postgres),
            ["SELECT 1 # 2;", "SELECT 3;"]
        );
        // MySQL: `1--1` is arithmetic; elsewhere `--1;` is a comment.
        let input = "SELECT 1--1;\nSELECT 2;";
        assert_eq!(texts(input, Mysql), ["SELECT 1--1;", "SELECT 2;"]);
        assert_eq!(texts(input, Postgres), ["SELECT 1--1;\nSELECT 2;"]);
        assert_eq!(texts("SELECT 1 --\n;", Mysql), ["SELECT 1 --\n;"]);
    }

    #[test]
    fn mysql_executable_comments_are_statements() {
        let input = "/*!40101 SET NAMES utf8 */;\n/*!40014 SET @x=1 */;\n/*M!100100 SET y=2 */;";
        assert_eq!(
            full(input, Mysql),
            vec![
                sql("/*!40101 SET NAMES utf8 */;", "", (0, 1, 1)),
                sql("/*!40014 SET @x=1 */;", "\n", (28, 2, 1)),
                sql("/*M!100100 SET y=2 */;", "\n", (50, 3, 1)),
            ]
        );
        // Code inside: a `*/` in a string does not close it.
        let trigger = "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = '*/;' */;SELECT 1;";
        assert_eq!(
            texts(trigger, Mysql),
            [
                "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = '*/;' */;",
                "SELECT 1;"
            ]
        );
        // Other dialects see an ordinary comment.
        assert_eq!(
            full("/*!40101 SET NAMES utf8 */;SELECT 1;", Postgres),
            vec![sql("SELECT 1;", "/*!40101 SET NAMES utf8 */;", (27, 1, 28))]
        );
        let e = err("/*!40101 SET NAMES utf8 ;", Mysql);
        assert_eq!(
            (e.offset, e.message.as_str()),
            (0, "unterminated /*! executable comment")
        );
    }

    #[test]
    fn postgres_dollar_quotes() {
        let input = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                     CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\n\
                     DO $a$ BEGIN EXECUTE $b$ SELECT ';' $b$; END $a$;\n\
                     PREPARE p AS SELECT $1, a$b$c FROM t;\n\
                     SELECT $_$x;y$_$;";
        assert_eq!(
            texts(input, Postgres),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
                "CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;",
                "DO $a$ BEGIN EXECUTE $b$ SELECT ';' $b$; END $a$;",
                "PREPARE p AS SELECT $1, a$b$c FROM t;",
                "SELECT $_$x;y$_$;",
            ]
        );
        // Not a quote in the other dialects.
        assert_eq!(
            texts("SELECT $$;SELECT 2;", Sqlite),
            ["SELECT $$;", "SELECT 2;"]
        );
        let e = err("SELECT 1;\nSELECT $tag$ abc $ta$;", Postgres);
        assert_eq!((e.offset, e.line, e.column), (17, 2, 8));
        assert_eq!(e.message, "unterminated dollar-quoted string $tag$");
    }

    #[test]
    fn postgres_parentheses_hold_semicolons_like_psql() {
        let input = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));SELECT 1;";
        assert_eq!(
            texts(input, Postgres),
            [
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));",
                "SELECT 1;"
            ]
        );
        // The MySQL client and sqlite3_complete() do not count parentheses.
        assert_eq!(
            texts("SELECT (1;SELECT 2);", Mysql),
            ["SELECT (1;", "SELECT 2);"]
        );
        // An unclosed parenthesis that swallowed a `;` is an error; one at the end of a
        // truncated statement is left to the parser.
        let e = err("SELECT 1;\nSELECT (1;\nSELECT 2;", Postgres);
        assert_eq!((e.offset, e.line, e.column), (17, 2, 8));
        assert_eq!(
            texts("CREATE TABLE t (a int", Postgres),
            ["CREATE TABLE t (a int"]
        );
        // A stray `)` does not make later parentheses look closed.
        assert_eq!(
            texts("SELECT 1);SELECT (2);", Postgres),
            ["SELECT 1);", "SELECT (2);"]
        );
    }

    #[test]
    fn mysql_trigger_body_with_if_and_case() {
        let input = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  \
                     IF NEW.a IS NULL THEN\n    SET NEW.a = 1;\n  ELSEIF NEW.a > 9 THEN SET NEW.a = 9;\n  END IF;\n  \
                     SET NEW.b = CASE WHEN NEW.c THEN 1 ELSE 2 END;\nEND;\nSELECT 1;";
        let statements = ok(input, Mysql);
        assert_eq!(statements.len(), 2);
        assert_eq!(
            statements[0].text,
            &input[..input.len() - "\nSELECT 1;".len()]
        );
        assert_eq!(statements[1].text, "SELECT 1;");
        // A trigger whose body is one statement ends at its `;`.
        let input = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = CASE WHEN 1 THEN 2 END;\nSELECT 1;";
        assert_eq!(
            texts(input, Mysql),
            [
                "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = CASE WHEN 1 THEN 2 END;",
                "SELECT 1;"
            ]
        );
    }

    #[test]
    fn mysql_procedure_with_every_compound_statement() {
        let procedure = "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)\n\
                         proc: BEGIN\n  \
                         DECLARE i INT DEFAULT 0;\n  \
                         DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;\n  \
                         lbl: LOOP\n    SET i = i + 1;\n    IF i > n THEN LEAVE lbl; END IF;\n  END LOOP lbl;\n  \
                         REPEAT SET i = i - 1; UNTIL i = 0 END REPEAT;\n  \
                         WHILE i < 3 DO SET i = i + 1; END WHILE;\n  \
                         CASE i WHEN 3 THEN SELECT 'three'; ELSE BEGIN SELECT 'other'; END; END CASE;\n  \
                         SELECT REPEAT('x', 2), IF(i > 1, 'a', 'b');\n  \
                         DROP TABLE IF EXISTS tmp;\n\
                         END proc;";
        let input = format!("{procedure}\nSELECT 2;");
        assert_eq!(texts(&input, Mysql), [procedure, "SELECT 2;"]);
        for definer in [
            "DEFINER=root@localhost",
            "DEFINER = 'root'@'%'",
            "DEFINER=CURRENT_USER()",
        ] {
            let function = format!(
                "CREATE {definer} FUNCTION f() RETURNS INT BEGIN DECLARE x INT; RETURN 1; END;"
            );
            let input = format!("{function}SELECT 2;");
            assert_eq!(
                texts(&input, Mysql),
                [function.as_str(), "SELECT 2;"],
                "{definer}"
            );
        }
    }

    #[test]
    fn mysql_events_and_anonymous_blocks() {
        let input = "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; DELETE FROM u; END;\n\
                     ALTER EVENT e DO BEGIN DELETE FROM t; END;\n\
                     BEGIN NOT ATOMIC SELECT 1; SELECT 2; END;\n\
                     BEGIN;\nBEGIN WORK;\nSTART TRANSACTION;\nCOMMIT;";
        assert_eq!(
            texts(input, Mysql),
            [
                "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; DELETE FROM u; END;",
                "ALTER EVENT e DO BEGIN DELETE FROM t; END;",
                "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END;",
                "BEGIN;",
                "BEGIN WORK;",
                "START TRANSACTION;",
                "COMMIT;",
            ]
        );
    }

    #[test]
    fn end_and_begin_as_identifiers_in_bodies() {
        let input = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN \
                     INSERT INTO log (start, end) VALUES (NEW.start, NEW.end); SET @end = 1; SET @begin = 2; END;SELECT 1;";
        assert_eq!(texts(input, Mysql).len(), 2);
        assert_eq!(texts(input, Mysql)[1], "SELECT 1;");
    }

    #[test]
    fn other_statements_ignore_begin_and_end() {
        // Columns named like keywords, in statements that cannot have a body.
        let input = "CREATE TABLE t (`begin` INT, end INT, `case` INT);\nSELECT begin, end FROM t;\nSELECT 2;";
        assert_eq!(
            texts(input, Mysql),
            [
                "CREATE TABLE t (`begin` INT, end INT, `case` INT);",
                "SELECT begin, end FROM t;",
                "SELECT 2;"
            ]
        );
    }

    #[test]
    fn sqlite_triggers_and_transactions() {
        let trigger = "CREATE TEMP TRIGGER IF NOT EXISTS t AFTER INSERT ON x WHEN NEW.a IS NOT NULL BEGIN\n  \
                       UPDATE y SET a = CASE WHEN NEW.b THEN 1 ELSE 0 END;\n  \
                       SELECT RAISE(ABORT, 'no; way') WHERE NEW.c < 0;\n  \
                       INSERT INTO z VALUES (NEW.id);\nEND;";
        let input = format!(
            "{trigger}\nBEGIN TRANSACTION;\nINSERT INTO x VALUES (1);\nEND;\nBEGIN;\nCOMMIT;"
        );
        assert_eq!(
            texts(&input, Sqlite),
            [
                trigger,
                "BEGIN TRANSACTION;",
                "INSERT INTO x VALUES (1);",
                "END;",
                "BEGIN;",
                "COMMIT;"
            ]
        );
    }

    #[test]
    fn postgres_begin_atomic_bodies() {
        let function = "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  \
                        SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;";
        let procedure =
            "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;";
        let input = format!("{function}\n{procedure}\nBEGIN;\nCOMMIT;\nBEGIN TRANSACTION;\nEND;");
        assert_eq!(
            texts(&input, Postgres),
            [
                function,
                procedure,
                "BEGIN;",
                "COMMIT;",
                "BEGIN TRANSACTION;",
                "END;"
            ]
        );
        // A parameter called `begin` is inside parentheses.
        assert_eq!(
            texts(
                "CREATE FUNCTION f(begin int) RETURNS int AS 'SELECT 1' LANGUAGE sql;SELECT 2;",
                Postgres
            ),
            [
                "CREATE FUNCTION f(begin int) RETURNS int AS 'SELECT 1' LANGUAGE sql;",
                "SELECT 2;"
            ]
        );
    }

    #[test]
    fn unterminated_bodies() {
        let input =
            "SELECT 1;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1;";
        let e = err(input, Mysql);
        assert_eq!((e.offset, e.line, e.column), (59, 2, 50));
        assert_eq!(
            e.message,
            "unterminated BEGIN ... END body: no END closes this BEGIN"
        );
        let e = err(
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM y;",
            Sqlite,
        );
        assert_eq!(e.offset, 35);
        let e = err(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;",
            Postgres,
        );
        assert_eq!(e.offset, 45);
    }

    #[test]
    fn mysql_delimiter_commands() {
        let input = "DELIMITER ;;\n\
                     CREATE TRIGGER a AFTER INSERT ON f FOR EACH ROW BEGIN\n  INSERT INTO x VALUES (1);\n  END;;\n\
                     delimiter ;\n\
                     SELECT 1;\n\
                     DELIMITER //\n\
                     CREATE PROCEDURE p() BEGIN SELECT 1; END //\n\
                     DELIMITER $$\n\
                     CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\n\
                     SELECT 2 -- trailing comment\n$$\n\
                     DELIMITER ;\n\
                     SELECT 3;";
        assert_eq!(
            full(input, Mysql),
            vec![
                client("DELIMITER ;;", "", (0, 1, 1)),
                sql(
                    "CREATE TRIGGER a AFTER INSERT ON f FOR EACH ROW BEGIN\n  INSERT INTO x VALUES (1);\n  END",
                    "\n",
                    (13, 2, 1)
                ),
                client("delimiter ;", "\n", (103, 5, 1)),
                sql("SELECT 1;", "\n", (115, 6, 1)),
                client("DELIMITER //", "\n", (125, 7, 1)),
                sql(
                    "CREATE PROCEDURE p() BEGIN SELECT 1; END",
                    "\n",
                    (138, 8, 1)
                ),
                client("DELIMITER $$", "\n", (182, 9, 1)),
                sql(
                    "CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END",
                    "\n",
                    (195, 10, 1)
                ),
                sql("SELECT 2", "\n", (249, 11, 1)),
                client("DELIMITER ;", "\n", (281, 13, 1)),
                sql("SELECT 3;", "\n", (293, 14, 1)),
            ]
        );
        let e = err("SELECT 1;\nDELIMITER\nSELECT 2;", Mysql);
        assert_eq!((e.offset, e.line, e.column), (10, 2, 1));
        // Only MySQL has the command.
        assert_eq!(texts("DELIMITER x;", Sqlite), ["DELIMITER x;"]);
    }

    #[test]
    fn psql_meta_commands() {
        let input = "\\restrict abc123\nSET x = 1;\n\\connect db\n  \\set ON_ERROR_STOP 1\r\nSELECT 1; \\c other\n\\unrestrict abc123";
        assert_eq!(
            full(input, Postgres),
            vec![
                client("\\restrict abc123", "", (0, 1, 1)),
                sql("SET x = 1;", "\n", (17, 2, 1)),
                client("\\connect db", "\n", (28, 3, 1)),
                client("\\set ON_ERROR_STOP 1", "\n  ", (42, 4, 3)),
                sql("SELECT 1;", "\r\n", (64, 5, 1)),
                client("\\c other", " ", (74, 5, 11)),
                client("\\unrestrict abc123", "\n", (83, 6, 1)),
            ]
        );
    }

    #[test]
    fn unterminated_quotes_point_at_their_start() {
        let cases: &[(&str, Dialect, At, &str)] = &[
            (
                "SELECT 1;\nSELECT 'abc",
                Postgres,
                (17, 2, 8),
                "unterminated quoted string",
            ),
            (
                "SELECT 1;\nSELECT E'abc\\'",
                Postgres,
                (17, 2, 8),
                "unterminated quoted string",
            ),
            (
                "SELECT \"abc",
                Postgres,
                (7, 1, 8),
                "unterminated quoted identifier",
            ),
            (
                "SELECT \"abc\\\"",
                Mysql,
                (7, 1, 8),
                "unterminated quoted string",
            ),
            (
                "SELECT 'abc\\'",
                Mysql,
                (7, 1, 8),
                "unterminated quoted string",
            ),
            (
                "SELECT `abc",
                Mysql,
                (7, 1, 8),
                "unterminated quoted identifier",
            ),
            (
                "SELECT [abc",
                Sqlite,
                (7, 1, 8),
                "unterminated [quoted] identifier",
            ),
            (
                "SELECT 'é', /* x",
                Sqlite,
                (13, 1, 13),
                "unterminated /* comment",
            ),
            ("/* x", Mysql, (0, 1, 1), "unterminated /* comment"),
        ];
        for &(input, dialect, at, message) in cases {
            let e = err(input, dialect);
            assert_eq!((e.offset, e.line, e.column), at, "{input:?}");
            assert_eq!(e.message, message, "{input:?}");
        }
    }

    /// Every construct of every dialect, to cut at every character.
    const TRICKY: &str = "\u{feff}-- sextant:nolint\n\\set ON_ERROR_STOP 1\nDELIMITER $$\n\
        CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF a THEN SET b = 'x\\';'; END IF; END$$\n\
        DELIMITER ;\n/*!40101 SET NAMES utf8 */;\n# hash\nSELECT E'it\\'s', \"q\"\"\", `b``t`, [br], 'é;''', 'ünïcödé ✓ 𝄞 ünïcödé';\n\
        CREATE FUNCTION f(a int) RETURNS int AS $f$ SELECT $1; $f$ LANGUAGE sql;\n\
        CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;\n\
        CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);\n/* a /* b */ c */ SELECT 1--x\n;\n\
        CREATE TRIGGER s AFTER INSERT ON x BEGIN UPDATE y SET a = CASE WHEN 1 THEN 2 END; END;\nBEGIN NOT ATOMIC SELECT 1; END;";

    #[test]
    fn no_panic_on_any_prefix_and_consistent_results() {
        for dialect in Dialect::ALL {
            assert!(
                split(TRICKY, dialect).is_ok(),
                "{dialect:?}: {:?}",
                split(TRICKY, dialect)
            );
            for (cut, _) in TRICKY.char_indices().chain([(TRICKY.len(), ' ')]) {
                let input = &TRICKY[..cut];
                match split(input, dialect) {
                    Ok(statements) => {
                        let mut end = 0;
                        for s in &statements {
                            assert!(!s.text.is_empty());
                            assert!(s.offset >= end, "{dialect:?} {cut}: statements overlap");
                            assert_eq!(&input[s.offset..s.offset + s.text.len()], s.text);
                            assert_eq!(
                                s.preamble.as_ptr() as usize + s.preamble.len(),
                                s.text.as_ptr() as usize
                            );
                            assert!(!s.text.starts_with(char::is_whitespace));
                            assert!(!s.text.ends_with(char::is_whitespace));
                            let before = &input[..s.offset];
                            let line = 1 + before.matches('\n').count();
                            let line_start = before.rfind('\n').map_or(0, |k| k + 1);
                            let column = 1 + before[line_start..]
                                .trim_start_matches('\u{feff}')
                                .chars()
                                .count();
                            assert_eq!((s.line, s.column), (line, column), "{dialect:?} {cut}");
                            end = s.offset + s.text.len();
                        }
                    }
                    Err(e) => {
                        assert!(
                            e.offset < cut.max(1),
                            "{dialect:?} {cut}: error past the end"
                        );
                        assert!(e.line >= 1 && e.column >= 1);
                    }
                }
            }
        }
    }

    #[test]
    fn no_panic_on_odd_bytes() {
        let odd = [
            "\\",
            "$",
            "$$",
            "$a",
            "$a$",
            "'",
            "\"",
            "`",
            "[",
            "/*",
            "/*!",
            "/*M!",
            "-",
            "--",
            "#",
            "E",
            "E'",
            "DELIMITER",
            "DELIMITER  ",
            "DELIMITER é",
            "BEGIN",
            "BEGIN NOT",
            "CREATE",
            "CREATE DEFINER",
            "END",
            "END IF",
            ")",
            "(",
            ";",
            "é",
            "\u{feff}",
            "\u{feff}'",
        ];
        for dialect in Dialect::ALL {
            for a in odd {
                for b in odd {
                    let input = format!("{a}{b}");
                    let _ = split(&input, dialect);
                    let input = format!("{a} {b};{a}\n{b}");
                    let _ = split(&input, dialect);
                }
            }
        }
    }

    #[test]
    fn pg_dump_excerpt() {
        let input = "--\n-- PostgreSQL database dump\n--\n\n\\restrict Xy9\n\n\
            SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n\
            CREATE TYPE public.mpaa_rating AS ENUM (\n    'G',\n    'PG-13'\n);\n\n\
            CREATE FUNCTION public.last_updated() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n    \
            NEW.last_update = CURRENT_TIMESTAMP;\n    RETURN NEW;\nEND $$;\n\n\
            COMMENT ON TABLE public.film IS 'Films; all of them';\n\n\\unrestrict Xy9\n";
        insta::assert_debug_snapshot!(ok(input, Postgres));
    }

    #[test]
    fn mysqldump_excerpt() {
        let input = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
            DROP TABLE IF EXISTS `film`;\n/*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
            CREATE TABLE `film` (\n  `id` int NOT NULL, -- the key\n  `title` varchar(255) DEFAULT 'it\\'s',\n  \
            PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
            DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `ins_film` \
            AFTER INSERT ON `film` FOR EACH ROW BEGIN\n    INSERT INTO film_text VALUES (new.id);\n  END */;;\n\
            DELIMITER ;\n/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n";
        insta::assert_debug_snapshot!(ok(input, Mysql));
    }
}
