//! The offline loader: splits sources into statements, parses each on its own with
//! sqlparser, and replays it on an in-memory [`Realm`].
//!
//! The driver loop lives here, with the helpers every handler shares (names, types,
//! expressions, errors). Handlers are grouped by object kind (`tables`, `indexes`,
//! `objects`); what differs between dialects (type spellings, identifier folding, the
//! names a database gives unnamed constraints, default expressions) is answered by
//! `postgres`, `mysql` and `sqlite`.

mod do_block;
mod expr;
mod fallback;
mod indexes;
mod lex;
mod literals;
mod mysql;
mod objects;
#[cfg(feature = "pg-query")]
mod pg_query;
pub(crate) mod postgres;
pub(crate) mod sqlite;
pub(crate) mod stepwise;
mod tables;

use crate::split::{RawKind, RawStatement, split};
use crate::{LoadError, LoadOptions, Loaded, Location, Source, Warning};
use schema_model::{DataType, Dialect, QualifiedName, Realm};
use sqlparser::ast::{self, Ident, ObjectName, Statement};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::{TokenWithSpan, Tokenizer};

pub(crate) fn replay(sources: &[Source], options: &LoadOptions) -> Result<Loaded, LoadError> {
    replay_texts(
        sources.iter().map(|source| Text {
            name: &source.name,
            text: &source.text,
        }),
        options,
    )
}

/// A source's name and text, borrowed: `load_sql` loads its text without copying it.
#[derive(Clone, Copy)]
pub(crate) struct Text<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Loads texts in order, as one migration history.
pub(crate) fn replay_texts<'a>(
    sources: impl IntoIterator<Item = Text<'a>>,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let mut replay = Replay::new(options);
    for source in sources {
        replay.replay_source(source)?;
    }
    tables::finish(&mut replay);
    replay.realm.normalize();
    Ok(Loaded {
        realm: replay.realm,
        warnings: replay.warnings,
        statements: replay.statements,
    })
}

/// Replays SQL on a realm read from elsewhere (the live inspector's, so far), so that
/// objects the server describes by statement text are read by the same handlers, with
/// the same names and types in sight, as the offline load of the SQL that made them.
/// Lenient: a statement that does not read back is skipped with a warning.
#[cfg(feature = "postgres")]
pub(crate) fn replay_onto(realm: Realm, sql: &str, origin: &str) -> Result<Loaded, LoadError> {
    let options = LoadOptions::new(realm.dialect).lenient();
    let mut replay = Replay::new(&options);
    replay.declared_schemas = realm.schemas.keys().cloned().collect();
    replay.realm = realm;
    replay.replay_source(Text {
        name: origin,
        text: sql,
    })?;
    Ok(Loaded {
        realm: replay.realm,
        warnings: replay.warnings,
        statements: replay.statements,
    })
}

/// The state of one replay: the realm built so far and the session settings that
/// change how later statements read (PostgreSQL's `search_path`).
pub(crate) struct Replay {
    pub realm: Realm,
    pub dialect: Dialect,
    pub search_path: Vec<String>,
    pub warnings: Vec<Warning>,
    pub lenient: bool,
    pub statements: usize,
    /// MySQL: the database `USE` selected. The realm models it as the default schema
    /// (the empty name), so names qualified with it land there.
    pub mysql_database: Option<String>,
    /// Schemas a `CREATE SCHEMA` created (or the realm started with). Others exist only
    /// because an object was created in them first; a later `CREATE SCHEMA` of one of
    /// them is not a duplicate.
    pub declared_schemas: std::collections::BTreeSet<String>,
    /// Constraint and index names handed out so far, per schema (PostgreSQL's shared
    /// namespace; see `tables::NameRegistry`).
    pub names: tables::NameRegistry,
    /// PostgreSQL: what each partition holds from its partitioned table, kept out of
    /// the realm (see `tables::InheritedKeys`).
    pub inherited: std::collections::BTreeMap<QualifiedName, tables::InheritedKeys>,
}

/// Whether names in that schema print without it under the live inspector's search
/// path (`pg_catalog`, then `public`).
fn is_visible_schema(schema: &str) -> bool {
    schema == "public" || schema == "pg_catalog"
}

/// What a handler did with a statement.
pub(crate) enum Outcome {
    /// The realm now reflects the statement.
    Applied,
    /// The statement changes nothing the model holds (data, session settings,
    /// ownership); the reason goes into the warnings.
    Ignored(String),
}

pub(crate) type Result<T, E = LoadError> = std::result::Result<T, E>;

impl Replay {
    fn new(options: &LoadOptions) -> Self {
        let search_path = if options.search_path.is_empty() {
            vec![options.dialect.default_schema().to_owned()]
        } else {
            options.search_path.clone()
        };
        let mut realm = Realm::new(options.dialect);
        for schema in &search_path {
            if options.dialect != Dialect::Postgres {
                realm.schema_mut(schema);
            }
        }
        Replay {
            realm,
            dialect: options.dialect,
            search_path,
            warnings: Vec::new(),
            lenient: options.lenient,
            statements: 0,
            mysql_database: None,
            declared_schemas: std::collections::BTreeSet::new(),
            names: tables::NameRegistry::default(),
            inherited: std::collections::BTreeMap::new(),
        }
    }

    fn replay_source(&mut self, source: Text<'_>) -> Result<()> {
        let raws = split(source.text, self.dialect).map_err(|e| LoadError::Lex {
            location: Location {
                file: source.name.to_owned(),
                line: e.line,
                column: e.column,
                statement: String::new(),
            },
            message: e.message,
        })?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if threads <= 1 || raws.len() < PARALLEL_MIN {
            let mut tokens = Vec::new();
            for raw in &raws {
                self.replay_one(source, raw, parse_raw(self.dialect, raw, &mut tokens))?;
            }
            return Ok(());
        }
        self.replay_pipelined(source, &raws, threads)
    }

    /// Replays statements on this thread while `threads` others parse the batches ahead
    /// of it: batch k is parsed by worker k mod `threads`, which hands it over through a
    /// channel holding at most [`PARSE_AHEAD`] batches, so that parsed, not yet applied
    /// statements stay few however long the source is. Each statement's tree is dropped
    /// once it has been applied.
    fn replay_pipelined(
        &mut self,
        source: Text<'_>,
        raws: &[RawStatement<'_>],
        threads: usize,
    ) -> Result<()> {
        let dialect = self.dialect;
        let batches: Vec<&[RawStatement<'_>]> = raws.chunks(PARSE_BATCH).collect();
        let workers = threads.min(batches.len());
        std::thread::scope(|scope| {
            let mut channels = Vec::with_capacity(workers);
            let mut handles = Vec::with_capacity(workers);
            for first in 0..workers {
                let (sender, receiver) = std::sync::mpsc::sync_channel(PARSE_AHEAD);
                let batches = &batches;
                handles.push(scope.spawn(move || {
                    for batch in batches.iter().skip(first).step_by(workers) {
                        if sender.send(parse_batch(dialect, batch)).is_err() {
                            // The replay stopped (an error): nothing more is wanted.
                            break;
                        }
                    }
                }));
                channels.push(receiver);
            }
            let mut result = Ok(());
            for (k, batch) in batches.iter().enumerate() {
                // A worker that panicked has lost its batches; parse them again here so
                // that the panic surfaces on this thread, where callers expect it.
                let parsed = channels
                    .get(k % workers)
                    .and_then(|channel| channel.recv().ok())
                    .unwrap_or_else(|| parse_batch(dialect, batch));
                result = batch
                    .iter()
                    .zip(parsed)
                    .try_for_each(|(raw, parsed)| self.replay_one(source, raw, parsed));
                if result.is_err() {
                    break;
                }
            }
            // Workers still parsing ahead see their channel closed and stop.
            drop(channels);
            for handle in handles {
                // A worker's panic was re-raised above by parsing its batch again.
                let _ = handle.join();
            }
            result
        })
    }

    fn replay_one(
        &mut self,
        source: Text<'_>,
        raw: &RawStatement<'_>,
        parsed: Parsed,
    ) -> Result<()> {
        self.statements += 1;
        let location = Location {
            file: source.name.to_owned(),
            line: raw.line,
            column: raw.column,
            statement: raw.text.to_owned(),
        };
        match self.replay_statement(raw, parsed, &location) {
            Ok(Outcome::Applied) => {}
            Ok(Outcome::Ignored(reason)) => {
                tracing::debug!(%location, %reason, "statement not modelled");
                self.warnings.push(Warning {
                    location,
                    message: reason,
                });
            }
            Err(error) if self.lenient && !matches!(error, LoadError::Io { .. }) => {
                tracing::warn!(%error, "skipping statement");
                self.warnings.push(Warning {
                    message: format!("skipped: {}", strip_location(&error)),
                    location,
                });
            }
            Err(error) => return Err(error),
        }
        Ok(())
    }

    fn replay_statement(
        &mut self,
        raw: &RawStatement<'_>,
        parsed: Parsed,
        loc: &Location,
    ) -> Result<Outcome> {
        if raw.kind == RawKind::ClientCommand {
            return Ok(Outcome::Ignored(format!(
                "client command, not SQL: {}",
                first_line(raw.text)
            )));
        }
        if let Some(outcome) = fallback::before_parse(self, raw.text, loc)? {
            return Ok(outcome);
        }
        let parsed = parsed.unwrap_or_else(|| parse(self.dialect, raw.text));
        let statements = match parsed {
            Ok(statements) => statements,
            Err(error) => {
                if let Some(outcome) = fallback::after_parse_error(self, raw.text, loc)? {
                    return Ok(outcome);
                }
                #[cfg(feature = "pg-query")]
                if self.dialect == Dialect::Postgres
                    && let Some(outcome) = pg_query::read(self, raw.text, loc)?
                {
                    return Ok(outcome);
                }
                return Err(parse_error(raw, loc, &error));
            }
        };
        let mut outcome = Outcome::Applied;
        for statement in &statements {
            if let Outcome::Ignored(reason) = self.apply(statement, loc)? {
                outcome = Outcome::Ignored(reason);
            }
        }
        Ok(outcome)
    }

    fn apply(&mut self, statement: &Statement, loc: &Location) -> Result<Outcome> {
        match statement {
            Statement::CreateTable(create) => tables::create_table(self, create, loc),
            Statement::AlterTable(alter) => tables::alter_table(self, alter, loc),
            Statement::RenameTable(renames) => tables::rename_tables(self, renames, loc),
            Statement::CreateIndex(create) => indexes::create_index(self, create, loc),
            Statement::AlterIndex { name, operation } => {
                indexes::alter_index(self, name, operation, loc)
            }
            Statement::Drop {
                object_type: ast::ObjectType::Table,
                names,
                if_exists,
                cascade,
                ..
            } => tables::drop_tables(self, names, *if_exists, *cascade, loc),
            Statement::Drop {
                object_type: ast::ObjectType::Index,
                names,
                if_exists,
                table,
                ..
            } => indexes::drop_indexes(self, names, table.as_ref(), *if_exists, loc),
            other => objects::apply(self, other, loc),
        }
    }

    // ----- helpers shared by the handlers -----

    /// An identifier as the database stores it: PostgreSQL folds unquoted names to
    /// lowercase; MySQL and SQLite keep them as written.
    pub fn ident(&self, ident: &Ident) -> String {
        match self.dialect {
            Dialect::Postgres => postgres::fold_ident(ident),
            Dialect::Mysql => mysql::fold_ident(ident),
            Dialect::Sqlite => sqlite::fold_ident(ident),
        }
    }

    /// The identifiers of a dotted name, folded.
    pub fn name_parts(&self, name: &ObjectName) -> Vec<String> {
        name.0
            .iter()
            .map(|part| match part.as_ident() {
                Some(ident) => self.ident(ident),
                None => part.to_string(),
            })
            .collect()
    }

    /// The schema new unqualified objects are created in.
    pub fn creation_schema(&self) -> String {
        match self.dialect {
            Dialect::Postgres => self
                .search_path
                .iter()
                .find(|s| self.realm.schemas.contains_key(*s))
                .or_else(|| self.search_path.first())
                .cloned()
                .unwrap_or_else(|| "public".to_owned()),
            _ => self
                .search_path
                .first()
                .cloned()
                .unwrap_or_else(|| self.dialect.default_schema().to_owned()),
        }
    }

    /// The qualified name an object gets when a statement creates it under `name`.
    /// A database qualifier in front of the schema (`db.schema.t`) is dropped.
    pub fn create_name(&self, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
        let parts = self.name_parts(name);
        match parts.as_slice() {
            [object] => Ok(QualifiedName::new(self.creation_schema(), object.clone())),
            [.., schema, object] => Ok(QualifiedName::new(
                self.schema_alias(schema),
                object.clone(),
            )),
            [] => Err(invalid(loc, "empty object name")),
        }
    }

    /// The name of an existing object: unqualified names are looked up through the
    /// search path with `exists`, and fall back to the creation schema.
    pub fn resolve_name(
        &self,
        name: &ObjectName,
        loc: &Location,
        exists: impl Fn(&Realm, &QualifiedName) -> bool,
    ) -> Result<QualifiedName> {
        let parts = self.name_parts(name);
        if let [object] = parts.as_slice() {
            for schema in &self.search_path {
                let candidate = QualifiedName::new(schema.clone(), object.clone());
                if exists(&self.realm, &candidate) {
                    return Ok(candidate);
                }
            }
        }
        self.create_name(name, loc)
    }

    /// A function name as `pg_get_expr` prints it under the inspector's search path
    /// (`public`, after the implicit `pg_catalog`): the function is found the way the
    /// server found it when the statement ran (through the session's search path,
    /// among the functions replayed so far), and printed with its schema unless that
    /// is `public` or `pg_catalog`. A name the realm does not define (a built-in, an
    /// extension's function) keeps the schema it was written with, if any but those
    /// two.
    pub fn function_name_parts(&self, parts: Vec<String>) -> Vec<String> {
        if self.dialect != Dialect::Postgres {
            return parts;
        }
        match parts.as_slice() {
            [.., schema, name] if is_visible_schema(schema) => vec![name.clone()],
            [name] => {
                let found = self.search_path.iter().find(|schema| {
                    self.realm
                        .schemas
                        .get(*schema)
                        .is_some_and(|s| objects::functions::first_overload(s, name).is_some())
                });
                match found {
                    Some(schema) if !is_visible_schema(schema) => {
                        vec![schema.clone(), name.clone()]
                    }
                    _ => parts,
                }
            }
            _ => parts,
        }
    }

    /// A collation's name as the model keeps it: `pg_catalog`'s bare, any other with
    /// its schema, an unqualified name resolved through the search path among the
    /// collations replayed so far (one the realm does not define is taken to be
    /// built-in).
    pub fn collation_name(&self, name: &ObjectName) -> String {
        let parts = self.name_parts(name);
        if self.dialect != Dialect::Postgres {
            return parts.join(".");
        }
        match parts.as_slice() {
            [.., schema, collation] if schema == "pg_catalog" => collation.clone(),
            [.., schema, collation] => format!("{schema}.{collation}"),
            [collation] => self
                .search_path
                .iter()
                .find(|schema| {
                    self.realm
                        .schemas
                        .get(*schema)
                        .is_some_and(|s| s.collations.contains_key(collation))
                })
                .map_or_else(
                    || collation.clone(),
                    |schema| format!("{schema}.{collation}"),
                ),
            [] => String::new(),
        }
    }

    /// The qualified name of an existing table (or of the table it would be).
    pub fn resolve_table(&self, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
        self.resolve_name(name, loc, |realm, qn| realm.table(qn).is_some())
    }

    /// MySQL and SQLite know a single schema here: a qualifier naming it (the MySQL
    /// database, SQLite's `main`) is the default schema.
    fn schema_alias(&self, schema: &str) -> String {
        match self.dialect {
            Dialect::Sqlite if schema.eq_ignore_ascii_case("main") => "main".to_owned(),
            Dialect::Mysql if self.mysql_database.as_deref() == Some(schema) => String::new(),
            _ => schema.to_owned(),
        }
    }

    /// A column type in canonical form, and MySQL's `UNSIGNED`.
    pub fn data_type(&self, ty: &ast::DataType) -> std::result::Result<(DataType, bool), String> {
        match self.dialect {
            Dialect::Postgres => postgres::data_type(self, ty).map(|t| (t, false)),
            Dialect::Mysql => mysql::data_type(ty),
            Dialect::Sqlite => Ok((sqlite::data_type(ty), false)),
        }
    }

    /// A column type in canonical form, as a load error when it cannot be read.
    pub fn data_type_at(&self, ty: &ast::DataType, loc: &Location) -> Result<(DataType, bool)> {
        self.data_type(ty).map_err(|what| unsupported(loc, what))
    }

    /// An expression in canonical text.
    pub fn expr(&self, expr: &ast::Expr) -> String {
        expr::canonical(self, expr)
    }

    /// The table a qualified name points at, or the error the database would give.
    pub fn table_mut(
        &mut self,
        name: &QualifiedName,
        loc: &Location,
    ) -> Result<&mut schema_model::Table> {
        self.realm
            .table_mut(name)
            .ok_or_else(|| invalid(loc, format!("relation \"{name}\" does not exist")))
    }
}

/// How many statements a parser thread parses at a time. Parsing is most of the
/// loader's time and each statement parses on its own, so batches are parsed on other
/// threads while this one applies the statements parsed before.
const PARSE_BATCH: usize = 64;

/// How many parsed batches each parser thread may hold ready, beyond the one it is
/// parsing: this bounds the memory that parsed, not yet applied statements take.
const PARSE_AHEAD: usize = 1;

/// Sources with fewer statements are parsed on the replaying thread alone: starting
/// threads would cost more than it saves.
const PARALLEL_MIN: usize = 2 * PARSE_BATCH;

/// A statement parsed ahead: `None` for client commands, which are not SQL.
type Parsed = Option<std::result::Result<Vec<Statement>, ParserError>>;

fn parse_raw(dialect: Dialect, raw: &RawStatement<'_>, tokens: &mut Vec<TokenWithSpan>) -> Parsed {
    (raw.kind == RawKind::Sql).then(|| parse_with_buffer(dialect, raw.text, tokens))
}

/// Parses a batch of statements, in order.
fn parse_batch(dialect: Dialect, batch: &[RawStatement<'_>]) -> Vec<Parsed> {
    let mut tokens = Vec::new();
    batch
        .iter()
        .map(|raw| parse_raw(dialect, raw, &mut tokens))
        .collect()
}

pub(crate) fn parse(
    dialect: Dialect,
    sql: &str,
) -> std::result::Result<Vec<Statement>, ParserError> {
    parse_with_buffer(dialect, sql, &mut Vec::new())
}

/// Token buffers of more entries than this are not kept for the next statement.
const TOKEN_BUFFER_KEEP: usize = 1 << 14;

/// Parses `sql` as `Parser::new(dialect).try_with_sql(sql)?.parse_statements()` does,
/// tokenizing into `tokens`, a buffer that is handed back empty for the next statement:
/// growing a fresh token vector for every statement costs more than tokenizing some.
/// Plain PostgreSQL statements are tokenized by `lex`, to the same tokens.
fn parse_with_buffer(
    dialect: Dialect,
    sql: &str,
    tokens: &mut Vec<TokenWithSpan>,
) -> std::result::Result<Vec<Statement>, ParserError> {
    fn run(
        dialect: &dyn SqlDialect,
        plain_postgres: bool,
        sql: &str,
        tokens: &mut Vec<TokenWithSpan>,
    ) -> std::result::Result<Vec<Statement>, ParserError> {
        tokens.clear();
        if !(plain_postgres && lex::tokenize_plain_postgres(sql, tokens)) {
            tokens.clear();
            // The same tokenizer settings as `try_with_sql`: the parser's default options
            // unescape literals.
            Tokenizer::new(dialect, sql)
                .with_unescape(ParserOptions::new().unescape)
                .tokenize_with_location_into_buf(tokens)?;
        }
        if plain_postgres {
            postgres::spread_variadic_arrays(tokens);
        }
        let mut parser = Parser::new(dialect).with_tokens_with_locations(std::mem::take(tokens));
        // Mostly one statement, in a vector grown for four: keep what is used only, as
        // parsed statements wait for the replay.
        let statements = parser.parse_statements().map(|mut statements| {
            statements.shrink_to_fit();
            statements
        });
        *tokens = parser.into_tokens();
        tokens.clear();
        if tokens.capacity() > TOKEN_BUFFER_KEEP {
            *tokens = Vec::new();
        }
        statements
    }
    match dialect {
        Dialect::Postgres => run(&PostgreSqlDialect {}, true, sql, tokens),
        Dialect::Mysql => run(&MySqlDialect {}, false, sql, tokens),
        Dialect::Sqlite => run(&SQLiteDialect {}, false, sql, tokens),
    }
}

/// sqlparser reports positions as a text suffix relative to the statement; turn it into
/// a location in the source.
fn parse_error(raw: &RawStatement<'_>, loc: &Location, error: &ParserError) -> LoadError {
    let text = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "statement nests too deeply".to_owned(),
    };
    let (message, line, column) = match text.rsplit_once(" at Line: ") {
        Some((message, position)) => {
            let mut numbers = position.split(", Column: ");
            let line: usize = numbers
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(1);
            let column: usize = numbers
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(1);
            let absolute_line = raw.line + line.saturating_sub(1);
            let absolute_column = if line <= 1 {
                raw.column + column.saturating_sub(1)
            } else {
                column
            };
            (message.to_owned(), absolute_line, absolute_column)
        }
        None => (text, raw.line, raw.column),
    };
    LoadError::Parse {
        location: Location {
            line,
            column,
            ..loc.clone()
        },
        message,
    }
}

fn strip_location(error: &LoadError) -> String {
    match error {
        LoadError::Parse { message, .. } => format!("cannot parse statement: {message}"),
        LoadError::Unsupported { what, .. } => format!("unsupported statement: {what}"),
        LoadError::Invalid { message, .. } | LoadError::Lex { message, .. } => message.clone(),
        LoadError::Io { .. } => error.to_string(),
    }
}

fn first_line(text: &str) -> &str {
    text.split('\n')
        .next()
        .unwrap_or(text)
        .trim_end_matches('\r')
}

/// The error for a statement the loader does not support.
/// The canonical text (see `expr`) of an expression given as text, such as a default a
/// server printed; text that does not parse as an expression comes back unchanged.
#[cfg_attr(
    not(any(feature = "postgres", feature = "mysql", feature = "sqlite")),
    allow(dead_code)
)]
pub(crate) fn canonical_text(dialect: Dialect, text: &str) -> String {
    match expr::parse_expr(dialect, text) {
        Some(parsed) => expr::canonical_printed(&Replay::new(&LoadOptions::new(dialect)), &parsed),
        None => text.to_owned(),
    }
}

pub(crate) fn unsupported(loc: &Location, what: impl Into<String>) -> LoadError {
    LoadError::Unsupported {
        location: loc.clone(),
        what: what.into(),
    }
}

/// The error for a statement the database itself would refuse.
pub(crate) fn invalid(loc: &Location, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        location: loc.clone(),
        message: message.into(),
    }
}

/// A short name for a statement kind, for messages: the statement's first words.
pub(crate) fn statement_kind(statement: &Statement) -> String {
    let text = statement.to_string();
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    words.join(" ")
}
