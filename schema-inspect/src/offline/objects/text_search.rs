//! Text search configurations, kept whole as the statements `pg_dump` writes for one:
//! the parser, then one `ADD MAPPING` per token type in the parser's order, or
//! `COPY = pg_catalog.<name>` when the mappings are exactly those of a configuration
//! the server ships. The catalog keeps no trace of `COPY`, so the live inspector
//! writes every configuration as a parser and its mappings; both sides replay the
//! statements on the same table of mappings and write it back in this one form.
//!
//! The configurations the server ships follow one pattern (PostgreSQL 15's
//! `snowball_create.sql`): `simple` maps every token type of the default parser but
//! `blank`, `tag`, `protocol` and `entity` to the `simple` dictionary; a language maps
//! the word types to its stemmer and the ASCII word types to its stemmer too, or to
//! `english_stem` for the languages written in another script, the rest to `simple`.

use crate::offline::Replay;
use crate::offline::fallback::Tokens;
use schema_model::QualifiedName;
use sqlparser::tokenizer::Token;
use std::collections::BTreeMap;

/// The default parser's token types, by id (`ts_token_type('default')`).
const TOKEN_TYPES: [&str; 23] = [
    "asciiword",
    "word",
    "numword",
    "email",
    "url",
    "host",
    "sfloat",
    "version",
    "hword_numpart",
    "hword_part",
    "hword_asciipart",
    "blank",
    "tag",
    "protocol",
    "numhword",
    "asciihword",
    "hword",
    "url_path",
    "file",
    "float",
    "int",
    "uint",
    "entity",
];

const DEFAULT_PARSER: &str = "pg_catalog.\"default\"";

/// Token ids the shipped configurations map: all but `blank`, `tag`, `protocol`,
/// `entity`.
const MAPPED: [u8; 19] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22,
];
const WORD_TYPES: [u8; 3] = [2, 10, 17];
const ASCII_TYPES: [u8; 3] = [1, 11, 16];

const LANGUAGES: [&str; 28] = [
    "arabic",
    "armenian",
    "basque",
    "catalan",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hindi",
    "hungarian",
    "indonesian",
    "irish",
    "italian",
    "lithuanian",
    "nepali",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "serbian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
    "yiddish",
];

/// Dictionaries by token id.
type Mappings = BTreeMap<u8, Vec<String>>;

/// The mappings of a configuration the server ships.
fn shipped(name: &str) -> Option<Mappings> {
    let simple = || vec!["simple".to_owned()];
    if name == "simple" {
        return Some(MAPPED.iter().map(|id| (*id, simple())).collect());
    }
    if !LANGUAGES.contains(&name) {
        return None;
    }
    let stem = format!("{name}_stem");
    let ascii = if matches!(name, "hindi" | "russian") {
        "english_stem".to_owned()
    } else {
        stem.clone()
    };
    Some(
        MAPPED
            .iter()
            .map(|id| {
                let dictionary = if WORD_TYPES.contains(id) {
                    vec![stem.clone()]
                } else if ASCII_TYPES.contains(id) {
                    vec![ascii.clone()]
                } else {
                    simple()
                };
                (*id, dictionary)
            })
            .collect(),
    )
}

fn token_id(alias: &str) -> Option<u8> {
    let at = TOKEN_TYPES
        .iter()
        .position(|t| t.eq_ignore_ascii_case(alias))?;
    u8::try_from(at + 1).ok()
}

/// A configuration: its parser and mappings.
struct Config {
    parser: String,
    mappings: Mappings,
}

/// A name as written, folded, without the quotes.
fn folded(replay: &Replay, tokens: &mut Tokens<'_>) -> Option<Vec<String>> {
    tokens.object_name().map(|n| replay.name_parts(&n))
}

/// A dictionary as the catalog prints it under the inspector's search path
/// (`public`): bare when `pg_catalog` or `public` holds it, qualified otherwise.
fn dictionary(replay: &Replay, parts: &[String]) -> String {
    match parts {
        [schema, name] if schema == "pg_catalog" || schema == "public" => name.clone(),
        [schema, name] => QualifiedName::new(schema.clone(), name.clone()).to_string(),
        [name] => replay
            .search_path
            .iter()
            .find(|schema| {
                let key = format!("text search dictionary {schema}.{name}");
                replay
                    .realm
                    .schemas
                    .get(*schema)
                    .is_some_and(|s| s.other_objects.contains_key(&key))
            })
            .filter(|schema| *schema != "public")
            .map(|schema| QualifiedName::new(schema.clone(), name.clone()).to_string())
            .unwrap_or_else(|| name.clone()),
        _ => parts.join("."),
    }
}

/// The configuration another one copies: one of the realm's (read back from its
/// definition), else one the server ships.
fn source(replay: &Replay, parts: &[String]) -> Option<Config> {
    let (schema, name) = match parts {
        [schema, name] => (Some(schema.as_str()), name.as_str()),
        [name] => (None, name.as_str()),
        _ => return None,
    };
    let schemas: Vec<&str> = match schema {
        Some(schema) => vec![schema],
        None => replay.search_path.iter().map(String::as_str).collect(),
    };
    for schema in schemas {
        let key = format!(
            "text search configuration {}",
            QualifiedName::new(schema, name)
        );
        if let Some(object) = replay
            .realm
            .schemas
            .get(schema)
            .and_then(|s| s.other_objects.get(&key))
        {
            return read_back(replay, &object.definition);
        }
    }
    if schema.is_some_and(|s| s != "pg_catalog") {
        return None;
    }
    Some(Config {
        parser: DEFAULT_PARSER.to_owned(),
        mappings: shipped(name)?,
    })
}

/// `CREATE TEXT SEARCH CONFIGURATION name (PARSER = p | COPY = c)`.
fn created(replay: &Replay, sql: &str) -> Option<Config> {
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["CREATE", "TEXT", "SEARCH", "CONFIGURATION"]) {
        return None;
    }
    tokens.kws(&["IF", "NOT", "EXISTS"]);
    tokens.object_name()?;
    let items = tokens.group_items()?;
    let [item] = items.as_slice() else {
        return None;
    };
    let mut it = tokens.sub(item.clone());
    let copy = it.kw("COPY");
    if !copy && !it.kw("PARSER") || !it.eat(&Token::Eq) {
        return None;
    }
    let parts = folded(replay, &mut it)?;
    if copy {
        return source(replay, &parts);
    }
    let parser = match parts.as_slice() {
        [name] | [_, name] if name == "default" => DEFAULT_PARSER.to_owned(),
        _ => return None,
    };
    Some(Config {
        parser,
        mappings: Mappings::new(),
    })
}

/// Applies `ALTER TEXT SEARCH CONFIGURATION name {ADD | ALTER | DROP} MAPPING ...`.
fn alter(replay: &Replay, config: &mut Config, sql: &str) -> Option<()> {
    let mut tokens = Tokens::new(replay.dialect, sql)?;
    if !tokens.kws(&["ALTER", "TEXT", "SEARCH", "CONFIGURATION"]) {
        return None;
    }
    tokens.object_name()?;
    let list = |tokens: &mut Tokens<'_>, until: &[&str]| -> Option<Vec<Vec<String>>> {
        let mut names = Vec::new();
        loop {
            if until.iter().any(|kw| tokens.peek_kws(&[kw])) || tokens.at_end() {
                break;
            }
            names.push(folded(replay, tokens)?);
            if !tokens.eat(&Token::Comma) {
                break;
            }
        }
        Some(names)
    };
    let types = |names: Vec<Vec<String>>| -> Option<Vec<u8>> {
        names
            .iter()
            .map(|n| n.last().and_then(|a| token_id(a)))
            .collect()
    };
    if tokens.kws(&["ADD", "MAPPING", "FOR"]) {
        let ids = types(list(&mut tokens, &["WITH"])?)?;
        if !tokens.kw("WITH") {
            return None;
        }
        let dictionaries: Vec<String> = list(&mut tokens, &[])?
            .iter()
            .map(|d| dictionary(replay, d))
            .collect();
        for id in ids {
            config.mappings.insert(id, dictionaries.clone());
        }
    } else if tokens.kws(&["ALTER", "MAPPING"]) {
        let ids = if tokens.kw("FOR") {
            Some(types(list(&mut tokens, &["WITH", "REPLACE"])?)?)
        } else {
            None
        };
        if tokens.kw("REPLACE") {
            let old = dictionary(replay, &folded(replay, &mut tokens)?);
            if !tokens.kw("WITH") {
                return None;
            }
            let new = dictionary(replay, &folded(replay, &mut tokens)?);
            for (id, dictionaries) in &mut config.mappings {
                if ids.as_ref().is_none_or(|ids| ids.contains(id)) {
                    for d in dictionaries.iter_mut().filter(|d| **d == old) {
                        d.clone_from(&new);
                    }
                }
            }
        } else if tokens.kw("WITH") {
            let dictionaries: Vec<String> = list(&mut tokens, &[])?
                .iter()
                .map(|d| dictionary(replay, d))
                .collect();
            for id in ids? {
                config.mappings.insert(id, dictionaries.clone());
            }
        } else {
            return None;
        }
    } else if tokens.kws(&["DROP", "MAPPING"]) {
        tokens.kws(&["IF", "EXISTS"]);
        if !tokens.kw("FOR") {
            return None;
        }
        for id in types(list(&mut tokens, &[])?)? {
            config.mappings.remove(&id);
        }
    } else {
        return None;
    }
    tokens.at_end().then_some(())
}

/// The statements of a configuration in the canonical form (see the module docs).
fn render(name: &QualifiedName, config: &Config) -> Vec<String> {
    const HEAD: &str = "CREATE TEXT SEARCH CONFIGURATION";
    if config.parser == DEFAULT_PARSER
        && let Some(copied) = LANGUAGES
            .iter()
            .chain(std::iter::once(&"simple"))
            .find(|l| shipped(l).as_ref() == Some(&config.mappings))
    {
        return vec![format!("{HEAD} {name} (COPY = pg_catalog.{copied});")];
    }
    let mut statements = vec![format!("{HEAD} {name} (PARSER = {});", config.parser)];
    for (id, dictionaries) in &config.mappings {
        let alias = TOKEN_TYPES
            .get(usize::from(*id).saturating_sub(1))
            .copied()
            .unwrap_or_default();
        statements.push(format!(
            "ALTER TEXT SEARCH CONFIGURATION {name} ADD MAPPING FOR {alias} WITH {};",
            dictionaries.join(", ")
        ));
    }
    statements
}

/// A configuration's canonical definition, read back.
fn read_back(replay: &Replay, definition: &[String]) -> Option<Config> {
    let (first, rest) = definition.split_first()?;
    let mut config = created(replay, first)?;
    for statement in rest {
        alter(replay, &mut config, statement)?;
    }
    Some(config)
}

/// The canonical definition of `CREATE TEXT SEARCH CONFIGURATION`; `None` when the
/// statement is not understood (it is then kept as written).
pub(crate) fn create_definition(
    replay: &Replay,
    name: &QualifiedName,
    sql: &str,
) -> Option<Vec<String>> {
    created(replay, sql).map(|config| render(name, &config))
}

/// The canonical definition after an `ALTER TEXT SEARCH CONFIGURATION`; `None` when
/// either is not understood.
pub(crate) fn alter_definition(
    replay: &Replay,
    name: &QualifiedName,
    definition: &[String],
    sql: &str,
) -> Option<Vec<String>> {
    let mut config = read_back(replay, definition)?;
    alter(replay, &mut config, sql)?;
    Some(render(name, &config))
}
