//! The driver: splits each source into statements, runs the rules on each with the
//! schema the statements before it produced, replays it, and turns findings into
//! diagnostics (severities, inline directives, order).

use crate::context::{Cx, Emit, FileState, Finding, StatementRef, Word};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::LintError;
use crate::nolint;
use crate::rule::RuleMeta;
use crate::settings::Settings;
use schema_inspect::split::{RawKind, RawStatement, split};
use schema_inspect::{LoadOptions, Replayer, Source};
use schema_model::{Dialect, QualifiedName, Realm};
use schema_plan::Plan;
use sqlparser::ast::{AlterTableOperation, ColumnOption, ObjectType, Statement, TableConstraint};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::collections::HashMap;

/// A statement with what a plan says about it.
struct Step<'a> {
    raw: RawStatement<'a>,
    /// Plans: the transaction group, and whether the statement runs in it.
    group: Option<(usize, bool)>,
    hazard: Option<&'a str>,
}

pub(crate) struct Engine<'s> {
    settings: &'s Settings,
    rules: Vec<(&'static RuleMeta, Severity)>,
    replayer: Replayer,
    out: Vec<Diagnostic>,
    /// The statement that created each table, for custom rules' findings.
    origins: HashMap<QualifiedName, StatementRef>,
}

impl<'s> Engine<'s> {
    pub fn new(settings: &'s Settings, start: Option<Realm>) -> Self {
        let options = LoadOptions::new(settings.dialect);
        let replayer = match start {
            Some(realm) => Replayer::onto(realm, &options),
            None => Replayer::new(&options),
        };
        let rules = crate::rules::ALL
            .iter()
            .copied()
            .filter(|meta| meta.applies_to(settings.dialect))
            .filter_map(|meta| settings.severity_of(meta).map(|s| (meta, s)))
            .collect();
        Engine {
            settings,
            rules,
            replayer,
            out: Vec::new(),
            origins: HashMap::new(),
        }
    }

    /// The replay so far (tests that need name resolution as a lint run has it).
    #[cfg(test)]
    pub fn replayer(&self) -> &Replayer {
        &self.replayer
    }

    pub fn finish(mut self) -> Vec<Diagnostic> {
        let custom = &self.settings.config.custom;
        if !custom.is_empty() {
            let found = crate::custom::check(custom, self.replayer.realm(), &self.origins);
            self.out.extend(found);
        }
        self.out
    }

    pub fn source(&mut self, source: &Source) -> Result<(), LintError> {
        let raws = split(&source.text, self.settings.dialect).map_err(|e| LintError::Split {
            file: source.name.clone(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let steps: Vec<Step<'_>> = raws
            .into_iter()
            .map(|raw| Step {
                raw,
                group: None,
                hazard: None,
            })
            .collect();
        self.file(&source.name, &steps, false);
        Ok(())
    }

    pub fn plan(&mut self, plan: &Plan) {
        let mut script = String::new();
        let mut spans = Vec::new();
        for statement in &plan.statements {
            if !script.is_empty() {
                script.push_str("\n\n");
            }
            let line = script.matches('\n').count() + 1;
            spans.push((script.len(), line));
            script.push_str(&statement.sql);
        }
        let mut steps = Vec::new();
        let mut group = 0;
        let mut previous_transactional = false;
        for (i, (statement, (offset, line))) in plan.statements.iter().zip(spans).enumerate() {
            // A new group starts at each non-transactional statement and after one.
            if i > 0 && !(statement.transactional && previous_transactional) {
                group += 1;
            }
            previous_transactional = statement.transactional;
            steps.push(Step {
                raw: RawStatement {
                    text: &script[offset..offset + statement.sql.len()],
                    preamble: "",
                    offset,
                    line,
                    column: 1,
                    kind: RawKind::Sql,
                },
                group: Some((group, statement.transactional)),
                hazard: statement
                    .hazard
                    .as_deref()
                    .filter(|_| statement.destructive),
            });
        }
        self.file("<plan>", &steps, true);
    }

    fn file(&mut self, file: &str, steps: &[Step<'_>], plan: bool) {
        let dialect = self.settings.dialect;
        let wrapped = self.settings.assume_in_transaction && !plan;
        let mut state = FileState {
            in_transaction: wrapped,
            wrapped,
            plan,
            ..FileState::default()
        };
        for step in steps {
            let words = words(dialect, step.raw.text);
            if let Some(i) = find_rename_to(&words)
                && let Some(w) = words.get(i + 2)
            {
                state.renamed_into.insert(w.text.to_lowercase());
            }
        }
        let mut findings: Vec<(usize, Finding)> = Vec::new();
        let mut current_group = None;
        for (index, step) in steps.iter().enumerate() {
            let raw = &step.raw;
            if let Some((group, transactional)) = step.group {
                if current_group != Some(group) {
                    state.not_valid_in_transaction.clear();
                    current_group = Some(group);
                }
                state.in_transaction = transactional && dialect != Dialect::Mysql;
            }
            let stmt = StatementRef {
                file: file.to_owned(),
                text: raw.text.to_owned(),
                line: raw.line,
                column: raw.column,
            };
            if raw.kind == RawKind::ClientCommand {
                let _ = self.replayer.replay(file, raw);
                continue;
            }
            let words = words(dialect, raw.text);
            let parsed = parse(dialect, raw.text);
            let statements: Vec<Option<&Statement>> = match &parsed {
                Ok(list) if !list.is_empty() => list.iter().map(Some).collect(),
                _ => vec![None],
            };
            let mut local = Vec::new();
            for statement in &statements {
                let cx = Cx {
                    settings: self.settings,
                    stmt: &stmt,
                    statement: *statement,
                    words: &words,
                    realm: self.replayer.realm(),
                    state: &state,
                    replayer: &self.replayer,
                    plan_hazard: step.hazard,
                };
                for (meta, _) in &self.rules {
                    let mut emit = Emit {
                        meta,
                        stmt: &stmt,
                        words: &words,
                        out: &mut local,
                    };
                    (meta.check)(&cx, &mut emit);
                }
            }
            if !self.settings.table_rows.is_empty() && !local.is_empty() {
                let table = crate::sizes::statement_table(
                    statements.first().copied().flatten(),
                    &words,
                    &self.replayer,
                    self.replayer.realm(),
                );
                for finding in &mut local {
                    finding.table.clone_from(&table);
                }
            }
            for statement in statements.iter().flatten() {
                update_state(&mut state, statement, &words, &stmt, &self.replayer);
            }
            update_state_words(&mut state, &words, &stmt);
            // A CREATE that sqlparser cannot parse but the loader reads (by its fallbacks)
            // still creates tables: find them by what the replay added.
            let tables_before = (parsed.is_err()
                && words.first().is_some_and(|w| w.text == "CREATE"))
            .then(|| table_names(self.replayer.realm()));
            let replayed = self.replayer.replay(file, raw);
            if let (Some(before), Ok(())) = (tables_before, &replayed) {
                for table in table_names(self.replayer.realm()) {
                    if !before.contains(&table) {
                        state.created_by.push((table.clone(), stmt.clone()));
                        state.created_tables.insert(table);
                    }
                }
            }
            if let (Err(parse_error), Err(load_error)) = (&parsed, &replayed) {
                tracing::debug!(%parse_error, %load_error, "statement not read");
                if let Some(meta) = crate::rules::find(crate::rules::syntax_error::RULE.code) {
                    local.push(Finding {
                        meta,
                        message: format!(
                            "cannot read this statement, so no rule checked it: {}",
                            load_message(load_error)
                        ),
                        suggestion: None,
                        stmt: stmt.clone(),
                        at: (1, 1),
                        table: None,
                    });
                }
            }
            findings.extend(local.into_iter().map(|f| (index, f)));
        }
        for (table, stmt) in &state.created_by {
            self.origins.insert(table.clone(), stmt.clone());
        }
        // End-of-file checks see the schema the whole file produced.
        let end = StatementRef {
            file: file.to_owned(),
            ..StatementRef::default()
        };
        let mut local = Vec::new();
        let cx = Cx {
            settings: self.settings,
            stmt: &end,
            statement: None,
            words: &[],
            realm: self.replayer.realm(),
            state: &state,
            replayer: &self.replayer,
            plan_hazard: None,
        };
        for (meta, _) in &self.rules {
            if let Some(check) = meta.at_file_end {
                let mut emit = Emit {
                    meta,
                    stmt: &end,
                    words: &[],
                    out: &mut local,
                };
                check(&cx, &mut emit);
            }
        }
        let by_position: HashMap<(usize, usize), usize> = steps
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.raw.line, s.raw.column), i))
            .collect();
        for finding in local {
            let index = by_position
                .get(&(finding.stmt.line, finding.stmt.column))
                .copied()
                .unwrap_or(usize::MAX);
            findings.push((index, finding));
        }
        self.report(file, steps, findings);
    }

    /// Applies severities and directives, and reports unused directives.
    fn report(&mut self, file: &str, steps: &[Step<'_>], findings: Vec<(usize, Finding)>) {
        let raws: Vec<RawStatement<'_>> = steps.iter().map(|s| s.raw.clone()).collect();
        let mut directives = nolint::directives(file, &raws);
        let mut diagnostics = Vec::new();
        for (index, finding) in findings {
            let Some(severity) = self
                .rules
                .iter()
                .find(|(meta, _)| meta.code == finding.meta.code)
                .map(|(_, s)| *s)
            else {
                continue;
            };
            let mut silenced = false;
            for directive in &mut directives {
                silenced |= directive.silences(index, finding.meta.code, finding.meta.name);
            }
            if !silenced {
                let mut finding = finding;
                let severity = crate::sizes::grade(
                    self.settings,
                    finding.meta,
                    finding.table.as_ref(),
                    severity,
                    &mut finding.message,
                );
                diagnostics.push(finding.into_diagnostic(severity));
            }
        }
        let unused = crate::rules::find(crate::rules::unused_nolint::RULE.code)
            .and_then(|meta| self.settings.severity_of(meta).map(|s| (meta, s)));
        if let Some((meta, severity)) = unused {
            for directive in &directives {
                let args = directive.unused();
                if args.is_empty() {
                    continue;
                }
                let message = if args == ["*"] {
                    "this directive silences nothing".to_owned()
                } else {
                    format!("this directive silences nothing for {}", args.join(", "))
                };
                diagnostics.push(
                    Finding {
                        meta,
                        message,
                        suggestion: Some("remove it, or the rules it names".to_owned()),
                        stmt: directive.at.clone(),
                        at: (1, 1),
                        table: None,
                    }
                    .into_diagnostic(severity),
                );
            }
        }
        diagnostics.sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
        self.out.extend(diagnostics);
    }
}

fn load_message(error: &schema_inspect::LoadError) -> String {
    use schema_inspect::LoadError;
    match error {
        LoadError::Parse { message, .. } => message.clone(),
        LoadError::Unsupported { what, .. } => format!("unsupported: {what}"),
        LoadError::Invalid { message, .. } | LoadError::Lex { message, .. } => message.clone(),
        LoadError::Io { .. } => error.to_string(),
    }
}

fn sql_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

pub(crate) fn parse(
    dialect: Dialect,
    text: &str,
) -> Result<Vec<Statement>, sqlparser::parser::ParserError> {
    Parser::parse_sql(sql_dialect(dialect).as_ref(), text)
}

/// The statement's tokens, for rules that read keywords (and for statements sqlparser
/// cannot parse: `REINDEX`, `CLUSTER`, `ALTER DOMAIN`).
pub(crate) fn words(dialect: Dialect, text: &str) -> Vec<Word> {
    let sql = sql_dialect(dialect);
    let Ok(tokens) = Tokenizer::new(sql.as_ref(), text).tokenize_with_location() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter_map(|t| {
            let (text, quoted, identifier) = match &t.token {
                Token::Whitespace(_) | Token::EOF => return None,
                Token::Word(w) if w.quote_style.is_none() => (w.value.to_uppercase(), false, true),
                Token::Word(w) => (w.value.clone(), true, true),
                Token::SingleQuotedString(s) => (s.clone(), true, false),
                other => (other.to_string(), false, false),
            };
            Some(Word {
                text,
                quoted,
                identifier,
                line: t.span.start.line as usize,
                column: t.span.start.column as usize,
            })
        })
        .collect()
}

/// What a statement changes in the file's state (after the rules saw it).
fn update_state(
    state: &mut FileState,
    statement: &Statement,
    words: &[Word],
    stmt: &StatementRef,
    replayer: &Replayer,
) {
    let name = |n| replayer.resolve_table(n);
    let fold = |columns: &[sqlparser::ast::Ident]| -> Vec<String> {
        columns.iter().map(|c| replayer.ident(c)).collect()
    };
    match statement {
        Statement::StartTransaction { .. } => {
            if state.explicit_transaction.is_none() {
                state.explicit_transaction = Some(stmt.clone());
            }
            state.in_transaction = true;
        }
        Statement::Commit { .. } | Statement::Rollback { .. } => {
            state.in_transaction = false;
            state.explicit_transaction = None;
            state.not_valid_in_transaction.clear();
        }
        Statement::CreateTable(create) => {
            if let Some(table) = name(&create.name) {
                for column in &create.columns {
                    for option in &column.options {
                        if let ColumnOption::ForeignKey(_) = option.option {
                            state.foreign_keys_added.push((
                                table.clone(),
                                vec![replayer.ident(&column.name)],
                                stmt.clone(),
                            ));
                        }
                    }
                }
                for constraint in &create.constraints {
                    if let TableConstraint::ForeignKey(fk) = constraint {
                        state.foreign_keys_added.push((
                            table.clone(),
                            fold(&fk.columns),
                            stmt.clone(),
                        ));
                    }
                }
                state.created_by.push((table.clone(), stmt.clone()));
                state.created_tables.insert(table);
            }
        }
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => {
            for n in names {
                if let Some(table) = name(n) {
                    state.created_tables.remove(&table);
                }
            }
        }
        Statement::AlterTable(alter) => {
            let Some(table) = name(&alter.name) else {
                return;
            };
            for operation in &alter.operations {
                match operation {
                    AlterTableOperation::AddConstraint {
                        constraint,
                        not_valid,
                    } => {
                        if *not_valid && state.in_transaction {
                            let constraint_name = match constraint {
                                TableConstraint::Check(c) => c.name.as_ref(),
                                TableConstraint::ForeignKey(c) => c.name.as_ref(),
                                _ => None,
                            };
                            if let Some(n) = constraint_name {
                                state
                                    .not_valid_in_transaction
                                    .insert((table.clone(), replayer.ident(n)));
                            }
                        }
                        if let TableConstraint::ForeignKey(fk) = constraint {
                            state.foreign_keys_added.push((
                                table.clone(),
                                fold(&fk.columns),
                                stmt.clone(),
                            ));
                        }
                    }
                    AlterTableOperation::AddColumn { column_def, .. }
                        if column_def
                            .options
                            .iter()
                            .any(|o| matches!(o.option, ColumnOption::ForeignKey(_))) =>
                    {
                        state.foreign_keys_added.push((
                            table.clone(),
                            vec![replayer.ident(&column_def.name)],
                            stmt.clone(),
                        ));
                    }
                    AlterTableOperation::RenameTable { table_name }
                        if state.created_tables.remove(&table) =>
                    {
                        let new = match table_name {
                            sqlparser::ast::RenameTableNameKind::As(n)
                            | sqlparser::ast::RenameTableNameKind::To(n) => n,
                        };
                        let last = new
                            .0
                            .last()
                            .and_then(|p| p.as_ident())
                            .map(|i| replayer.ident(i));
                        if let Some(last) = last {
                            state
                                .created_tables
                                .insert(QualifiedName::new(table.schema.clone(), last));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    let _ = words;
}

/// State changes read from words: session settings and pragmas, which sqlparser
/// spells in several ways.
fn update_state_words(state: &mut FileState, words: &[Word], stmt: &StatementRef) {
    let text = |i: usize| words.get(i).map_or("", |w| w.text.as_str());
    if text(0) == "SET" {
        let setting = if matches!(text(1), "SESSION" | "LOCAL") {
            text(2)
        } else {
            text(1)
        };
        match setting {
            "LOCK_TIMEOUT" => state.lock_timeout = true,
            "STATEMENT_TIMEOUT" => state.statement_timeout = true,
            _ => {}
        }
    }
    if text(0) == "CREATE" {
        let mut i = 1;
        while matches!(
            text(i),
            "OR" | "REPLACE"
                | "UNIQUE"
                | "MATERIALIZED"
                | "TEMP"
                | "TEMPORARY"
                | "UNLOGGED"
                | "RECURSIVE"
        ) {
            i += 1;
        }
        if matches!(
            text(i),
            "VIEW" | "TYPE" | "SEQUENCE" | "DOMAIN" | "INDEX" | "TABLE"
        ) {
            i += 1;
            while matches!(text(i), "IF" | "NOT" | "EXISTS" | "CONCURRENTLY") {
                i += 1;
            }
            if let Some(name) = crate::context::last_name_part(words, i) {
                state.created_objects.insert(name);
            }
        }
    }
    if text(0) == "PRAGMA" && text(1) == "FOREIGN_KEYS" {
        let value = text(3).to_ascii_uppercase();
        if matches!(value.as_str(), "OFF" | "0" | "FALSE" | "NO") {
            state.foreign_keys_off = Some(stmt.clone());
        } else {
            state.foreign_keys_off = None;
        }
    }
}

/// The index of `RENAME TO` in `ALTER TABLE ... RENAME TO name`.
fn find_rename_to(words: &[Word]) -> Option<usize> {
    let first = words.first().map(|w| w.text.as_str());
    let second = words.get(1).map(|w| w.text.as_str());
    if first != Some("ALTER") || second != Some("TABLE") {
        return None;
    }
    words
        .windows(2)
        .position(|pair| pair[0].text == "RENAME" && pair[1].text == "TO" && !pair[0].quoted)
}

/// Every table's qualified name.
fn table_names(realm: &Realm) -> std::collections::HashSet<QualifiedName> {
    realm
        .schemas
        .iter()
        .flat_map(|(schema, s)| {
            s.tables
                .keys()
                .map(move |t| QualifiedName::new(schema.clone(), t.clone()))
        })
        .collect()
}
