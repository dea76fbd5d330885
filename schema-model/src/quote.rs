//! Quoting identifiers and string literals, one function per dialect: every crate that
//! writes SQL quotes through these, so that a name is spelled one way everywhere.
use crate::Dialect;

/// Quotes an identifier for a dialect chosen at run time: the dialect module's
/// `quote_ident`.
pub fn quote_ident(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Postgres => postgres::quote_ident(name),
        Dialect::Mysql => mysql::quote_ident(name),
        Dialect::Sqlite => sqlite::quote_ident(name),
    }
}

/// PostgreSQL.
pub mod postgres {
    /// PostgreSQL keywords that cannot stand as a bare name everywhere a name can appear:
    /// the reserved ones, and the column-name and type-or-function-name ones (as
    /// PostgreSQL's own `quote_ident` treats them), including those later versions added.
    pub(crate) const KEYWORDS: &[&str] = &[
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "between",
        "bigint",
        "binary",
        "bit",
        "boolean",
        "both",
        "case",
        "cast",
        "char",
        "character",
        "check",
        "coalesce",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "dec",
        "decimal",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "exists",
        "extract",
        "false",
        "fetch",
        "float",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "greatest",
        "group",
        "grouping",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "inout",
        "int",
        "integer",
        "intersect",
        "interval",
        "into",
        "is",
        "isnull",
        "join",
        "json",
        "json_array",
        "json_arrayagg",
        "json_exists",
        "json_object",
        "json_objectagg",
        "json_query",
        "json_scalar",
        "json_serialize",
        "json_table",
        "json_value",
        "lateral",
        "leading",
        "least",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "merge_action",
        "national",
        "natural",
        "nchar",
        "none",
        "normalize",
        "not",
        "notnull",
        "null",
        "nullif",
        "numeric",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "out",
        "outer",
        "overlaps",
        "overlay",
        "placing",
        "position",
        "precision",
        "primary",
        "real",
        "references",
        "returning",
        "right",
        "row",
        "select",
        "session_user",
        "setof",
        "similar",
        "smallint",
        "some",
        "substring",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "time",
        "timestamp",
        "to",
        "trailing",
        "treat",
        "trim",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "values",
        "varchar",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
        "xmlattributes",
        "xmlconcat",
        "xmlelement",
        "xmlexists",
        "xmlforest",
        "xmlnamespaces",
        "xmlparse",
        "xmlpi",
        "xmlroot",
        "xmlserialize",
        "xmltable",
    ];

    /// Quotes an identifier for PostgreSQL: left bare when it is lowercase
    /// `[a-z_][a-z0-9_$]*` and not a keyword that needs quoting, double-quoted (with `""`
    /// for an inner `"`) otherwise.
    pub fn quote_ident(name: &str) -> String {
        let bytes = name.as_bytes();
        let bare = bytes
            .first()
            .is_some_and(|&b| b.is_ascii_lowercase() || b == b'_')
            && bytes
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'$')
            && !is_keyword(bytes);
        if bare {
            name.to_owned()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }

    /// For each first letter, a bit per length that some keyword starting with it has:
    /// a plan quotes every name it writes, and most names are ruled out by this
    /// before the keyword list is searched.
    const KEYWORD_SHAPES: [u32; 26] = {
        let mut shapes = [0u32; 26];
        let mut i = 0;
        while i < KEYWORDS.len() {
            let word = KEYWORDS[i].as_bytes();
            shapes[(word[0] - b'a') as usize] |= 1 << word.len();
            i += 1;
        }
        shapes
    };

    /// Whether a lowercase `[a-z_][a-z0-9_$]*` name is a keyword that needs quoting.
    pub(crate) fn is_keyword(name: &[u8]) -> bool {
        let Some(&first) = name.first() else {
            return false;
        };
        if !first.is_ascii_lowercase()
            || name.len() >= 32
            || KEYWORD_SHAPES[usize::from(first - b'a')] & (1 << name.len()) == 0
        {
            return false;
        }
        KEYWORDS
            .binary_search_by(|k| k.as_bytes().cmp(name))
            .is_ok()
    }

    /// Quotes a string literal for PostgreSQL: `'...'` with `''` for an inner quote
    /// (`standard_conforming_strings` is on, so backslashes need nothing).
    pub fn quote_literal(value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }
}
/// SQLite.
pub mod sqlite {
    /// SQLite's keywords (`sqlite3_keyword_name`), lowercase and sorted.
    pub(crate) const KEYWORDS: &[&str] = &[
        "abort",
        "action",
        "add",
        "after",
        "all",
        "alter",
        "always",
        "analyze",
        "and",
        "as",
        "asc",
        "attach",
        "autoincrement",
        "before",
        "begin",
        "between",
        "by",
        "cascade",
        "case",
        "cast",
        "check",
        "collate",
        "column",
        "commit",
        "conflict",
        "constraint",
        "create",
        "cross",
        "current",
        "current_date",
        "current_time",
        "current_timestamp",
        "database",
        "default",
        "deferrable",
        "deferred",
        "delete",
        "desc",
        "detach",
        "distinct",
        "do",
        "drop",
        "each",
        "else",
        "end",
        "escape",
        "except",
        "exclude",
        "exclusive",
        "exists",
        "explain",
        "fail",
        "filter",
        "first",
        "following",
        "for",
        "foreign",
        "from",
        "full",
        "generated",
        "glob",
        "group",
        "groups",
        "having",
        "if",
        "ignore",
        "immediate",
        "in",
        "index",
        "indexed",
        "initially",
        "inner",
        "insert",
        "instead",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "key",
        "last",
        "left",
        "like",
        "limit",
        "match",
        "materialized",
        "natural",
        "no",
        "not",
        "nothing",
        "notnull",
        "null",
        "nulls",
        "of",
        "offset",
        "on",
        "or",
        "order",
        "others",
        "outer",
        "over",
        "partition",
        "plan",
        "pragma",
        "preceding",
        "primary",
        "query",
        "raise",
        "range",
        "recursive",
        "references",
        "regexp",
        "reindex",
        "release",
        "rename",
        "replace",
        "restrict",
        "returning",
        "right",
        "rollback",
        "row",
        "rows",
        "savepoint",
        "select",
        "set",
        "table",
        "temp",
        "temporary",
        "then",
        "ties",
        "to",
        "transaction",
        "trigger",
        "unbounded",
        "union",
        "unique",
        "update",
        "using",
        "vacuum",
        "values",
        "view",
        "virtual",
        "when",
        "where",
        "window",
        "with",
        "without",
    ];

    /// Quotes an identifier for SQLite: bare when it is a plain `[A-Za-z_][A-Za-z0-9_]*`
    /// name and not a keyword, double-quoted (with `""` for an inner `"`) otherwise.
    pub fn quote_ident(name: &str) -> String {
        let mut chars = name.chars();
        let bare = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && KEYWORDS
                .binary_search(&name.to_ascii_lowercase().as_str())
                .is_err();
        if bare {
            name.to_owned()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }

    /// Quotes a string literal for SQLite: `'...'` with `''` for an inner quote.
    pub fn quote_literal(value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }
}
/// MySQL and MariaDB.
pub mod mysql {
    /// Quotes an identifier for MySQL: always backticks, with ` `` ` for an inner backtick.
    pub fn quote_ident(name: &str) -> String {
        format!("`{}`", name.replace('`', "``"))
    }

    /// Quotes a string literal for MySQL: `'...'` with `''` for a quote and `\\` for a
    /// backslash (the default SQL mode reads backslash escapes).
    pub fn quote_literal(value: &str) -> String {
        format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keyword_lists_are_sorted_for_binary_search() {
        assert!(super::postgres::KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            super::postgres::KEYWORDS
                .iter()
                .all(|k| super::postgres::is_keyword(k.as_bytes()))
        );
        for name in ["users", "selects", "use", "a", "order_id", "zz"] {
            assert!(!super::postgres::is_keyword(name.as_bytes()), "{name}");
        }
        assert!(super::sqlite::KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(super::sqlite::KEYWORDS.len(), 147);
    }

    #[test]
    fn names_are_quoted_only_where_they_must_be() {
        assert_eq!(super::postgres::quote_ident("users"), "users");
        assert_eq!(super::postgres::quote_ident("Users"), "\"Users\"");
        assert_eq!(super::postgres::quote_ident("select"), "\"select\"");
        assert_eq!(super::postgres::quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(super::sqlite::quote_ident("Users"), "Users");
        assert_eq!(super::sqlite::quote_ident("order"), "\"order\"");
        assert_eq!(super::mysql::quote_ident("a`b"), "`a``b`");
    }
}
