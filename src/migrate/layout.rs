//! The directory layouts migrations are read from: file names, sections and directives
//! of Atlas, sqlx, golang-migrate, goose, Flyway and dbmate.
//!
//! Each layout reads a file into its version, description, forward SQL and reverse SQL.
//! Where the reverse SQL shares the file (goose, dbmate), the forward SQL keeps its
//! lines where they were, with the reverse section's lines left empty, so that an error
//! in it points to the line of the file.

use super::TxMode;
use super::dir::NewMigration;
use schema_inspect::split::RawKind;
use schema_model::Dialect;
use std::fmt;
use std::str::FromStr;

/// A directory layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Atlas's format, and ours: `<version>[_<name>].sql` and an `atlas.sum`;
    /// `-- atlas:txmode none` on top of a file runs it outside a transaction.
    Atlas,
    /// sqlx: `<version>_<description>.sql`, or `.up.sql` / `.down.sql` pairs;
    /// `-- no-transaction` as the first line runs a file outside a transaction.
    Sqlx,
    /// golang-migrate: `<version>_<title>.up.sql` and `<version>_<title>.down.sql`.
    GolangMigrate,
    /// goose: `<version>_<name>.sql` with `-- +goose Up` and `-- +goose Down`
    /// sections; `-- +goose NO TRANSACTION` runs it outside a transaction.
    Goose,
    /// Flyway: `V<version>__<description>.sql`, and `U<version>__<description>.sql`
    /// to undo it. Repeatable migrations (`R__`) are not supported yet.
    Flyway,
    /// dbmate: `<version>_<name>.sql` with `-- migrate:up` and `-- migrate:down`
    /// sections; `-- migrate:up transaction:false` runs it outside a transaction.
    Dbmate,
}

impl Layout {
    /// Every layout, in the order detection considers them.
    pub const ALL: [Layout; 6] = [
        Layout::Atlas,
        Layout::Sqlx,
        Layout::GolangMigrate,
        Layout::Goose,
        Layout::Flyway,
        Layout::Dbmate,
    ];

    /// The layout's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Atlas => "atlas",
            Layout::Sqlx => "sqlx",
            Layout::GolangMigrate => "golang-migrate",
            Layout::Goose => "goose",
            Layout::Flyway => "flyway",
            Layout::Dbmate => "dbmate",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Layout {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layout::ALL
            .into_iter()
            .find(|layout| layout.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Layout::ALL.iter().map(|l| l.as_str()).collect();
                format!("unknown layout `{s}`; expected one of {}", names.join(", "))
            })
    }
}

/// What a file name says under a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A forward migration (or a whole file holding both directions).
    Up {
        /// The version, as the migration records it.
        version: String,
        /// The description.
        description: String,
    },
    /// The reverse of the migration with that version.
    Down {
        /// The version it undoes.
        version: String,
    },
}

/// Reads a file name under a layout. `Ok(None)` for files the layout does not read
/// (not `.sql`); `Err` with the reason for a name it cannot read.
pub(crate) fn parse_name(layout: Layout, name: &str) -> Result<Option<FileKind>, String> {
    let Some(stem) = name.strip_suffix(".sql") else {
        return Ok(None);
    };
    match layout {
        Layout::Atlas => {
            let (version, description) = stem.split_once('_').unwrap_or((stem, ""));
            if version.is_empty() {
                return Err("expected `<version>[_<name>].sql`: the version is empty".to_owned());
            }
            Ok(Some(FileKind::Up {
                version: version.to_owned(),
                description: description.to_owned(),
            }))
        }
        Layout::Sqlx | Layout::GolangMigrate => {
            let (stem, down) = if let Some(stem) = stem.strip_suffix(".down") {
                (stem, true)
            } else if let Some(stem) = stem.strip_suffix(".up") {
                (stem, false)
            } else if layout == Layout::Sqlx {
                (stem, false)
            } else {
                return Err(
                    "expected `<version>_<title>.up.sql` or `<version>_<title>.down.sql`"
                        .to_owned(),
                );
            };
            let (version, description) = numbered(stem, "_")?;
            let description = if layout == Layout::Sqlx {
                // sqlx shows descriptions with spaces for underscores.
                description.replace('_', " ")
            } else {
                description.to_owned()
            };
            Ok(Some(if down {
                FileKind::Down {
                    version: version.to_owned(),
                }
            } else {
                FileKind::Up {
                    version: version.to_owned(),
                    description,
                }
            }))
        }
        Layout::Goose | Layout::Dbmate => {
            let (version, description) = numbered(stem, "_")?;
            Ok(Some(FileKind::Up {
                version: version.to_owned(),
                description: description.to_owned(),
            }))
        }
        Layout::Flyway => {
            let prefix = stem.chars().next();
            if stem.starts_with("R__") {
                return Err("repeatable Flyway migrations (`R__`) are not supported yet".to_owned());
            }
            let rest = match prefix {
                Some('V' | 'U') => &stem[1..],
                Some('B') => {
                    return Err(
                        "Flyway baseline migrations (`B<version>__`) are not supported yet"
                            .to_owned(),
                    );
                }
                _ => {
                    return Err(
                        "expected `V<version>__<description>.sql` or `U<version>__<description>.sql`"
                            .to_owned(),
                    );
                }
            };
            let Some((version, description)) = rest.split_once("__") else {
                return Err("expected `__` between the version and the description".to_owned());
            };
            if version.is_empty()
                || !version
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
                || !version.starts_with(|c: char| c.is_ascii_digit())
            {
                return Err(format!(
                    "the version `{version}` is not numbers separated by `.` or `_`"
                ));
            }
            // Flyway reads `1_1` as `1.1`; the revision it records is `1.1`.
            let version = version.replace('_', ".");
            Ok(Some(if prefix == Some('U') {
                FileKind::Down { version }
            } else {
                FileKind::Up {
                    version,
                    description: description.replace('_', " "),
                }
            }))
        }
    }
}

/// Splits `<digits><sep><description>`; the description may be absent.
fn numbered<'a>(stem: &'a str, sep: &str) -> Result<(&'a str, &'a str), String> {
    let (version, description) = stem.split_once(sep).unwrap_or((stem, ""));
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "expected `<version>_<description>` with a numeric version, found `{version}`"
        ));
    }
    Ok((version, description))
}

/// A file's forward and reverse SQL and its transaction directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sections {
    pub up: String,
    pub down: Option<String>,
    pub tx_mode: Option<TxMode>,
}

/// Reads a forward file's contents under a layout. `Err` with the reason when the
/// file lacks the section the layout needs.
pub(crate) fn parse_sections(layout: Layout, text: &str) -> Result<Sections, String> {
    match layout {
        Layout::Atlas => Ok(Sections {
            up: text.to_owned(),
            down: None,
            tx_mode: atlas_tx_mode(text),
        }),
        Layout::Sqlx => Ok(Sections {
            up: text.to_owned(),
            down: None,
            tx_mode: sqlx_tx_mode(text),
        }),
        Layout::GolangMigrate | Layout::Flyway => Ok(Sections {
            up: text.to_owned(),
            down: None,
            tx_mode: None,
        }),
        Layout::Goose => split_sections(text, goose_marker, "-- +goose Up"),
        Layout::Dbmate => split_sections(text, dbmate_marker, "-- migrate:up"),
    }
}

/// A section marker found on a line.
enum Marker {
    Up {
        no_transaction: bool,
    },
    Down,
    /// A file-wide option (`-- +goose NO TRANSACTION`).
    NoTransaction,
    Other,
}

fn goose_marker(line: &str) -> Marker {
    let Some(rest) = line.trim().strip_prefix("--") else {
        return Marker::Other;
    };
    let Some(annotation) = rest.trim_start().strip_prefix("+goose") else {
        return Marker::Other;
    };
    let annotation = annotation.trim();
    if annotation.eq_ignore_ascii_case("up") {
        Marker::Up {
            no_transaction: false,
        }
    } else if annotation.eq_ignore_ascii_case("down") {
        Marker::Down
    } else if annotation.eq_ignore_ascii_case("no transaction") {
        Marker::NoTransaction
    } else {
        // StatementBegin / StatementEnd and envsub stay in the text as comments: the
        // splitter keeps a statement with inner semicolons whole where the dialect's
        // quoting marks it (dollar quotes, BEGIN ... END).
        Marker::Other
    }
}

fn dbmate_marker(line: &str) -> Marker {
    let Some(rest) = line.trim().strip_prefix("--") else {
        return Marker::Other;
    };
    let rest = rest.trim_start();
    let (is_up, options) = if let Some(options) = rest.strip_prefix("migrate:up") {
        (true, options)
    } else if let Some(options) = rest.strip_prefix("migrate:down") {
        (false, options)
    } else {
        return Marker::Other;
    };
    if !options.is_empty() && !options.starts_with(char::is_whitespace) {
        return Marker::Other;
    }
    if is_up {
        Marker::Up {
            no_transaction: options
                .split_whitespace()
                .any(|o| o.eq_ignore_ascii_case("transaction:false")),
        }
    } else {
        Marker::Down
    }
}

/// Splits a file with up and down sections. The up text keeps the file's line numbers:
/// the lines outside the up section are left empty, and trailing empty lines dropped.
fn split_sections(
    text: &str,
    marker: fn(&str) -> Marker,
    up_marker: &str,
) -> Result<Sections, String> {
    #[derive(PartialEq)]
    enum In {
        Header,
        Up,
        Down,
    }
    let mut state = In::Header;
    let mut up = String::with_capacity(text.len());
    let mut down: Option<String> = None;
    let mut seen_up = false;
    let mut no_transaction = false;
    for line in text.split_inclusive('\n') {
        let ending = if line.ends_with("\r\n") {
            "\r\n"
        } else if line.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        match marker(line) {
            Marker::Up {
                no_transaction: off,
            } => {
                if seen_up {
                    return Err(format!("a second `{up_marker}` section"));
                }
                seen_up = true;
                no_transaction |= off;
                state = In::Up;
                up.push_str(line);
                continue;
            }
            Marker::Down => {
                state = In::Down;
                down.get_or_insert_with(String::new);
                up.push_str(ending);
                continue;
            }
            Marker::NoTransaction => no_transaction = true,
            Marker::Other => {}
        }
        match state {
            In::Header | In::Up => up.push_str(line),
            In::Down => {
                down.get_or_insert_with(String::new).push_str(line);
                up.push_str(ending);
            }
        }
    }
    if !seen_up {
        return Err(format!("no `{up_marker}` section"));
    }
    // The down section's empty lines at the end carry no line numbers worth keeping.
    let kept = up.trim_end_matches(['\n', '\r']).len();
    if kept < up.len() {
        up.truncate(kept);
        up.push('\n');
    }
    Ok(Sections {
        up,
        down,
        tx_mode: no_transaction.then_some(TxMode::None),
    })
}

/// Atlas: `-- atlas:txmode none|file|all` among the comment lines on top of the file.
fn atlas_tx_mode(text: &str) -> Option<TxMode> {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("--") else {
            break;
        };
        if let Some(mode) = comment.trim().strip_prefix("atlas:txmode") {
            return match mode.trim() {
                "none" => Some(TxMode::None),
                "file" => Some(TxMode::File),
                "all" => Some(TxMode::All),
                _ => None,
            };
        }
    }
    None
}

/// sqlx: `-- no-transaction` as the file's first line.
fn sqlx_tx_mode(text: &str) -> Option<TxMode> {
    let first = text.lines().next().unwrap_or_default().trim();
    (first == "-- no-transaction").then_some(TxMode::None)
}

/// The files a new migration is written as under a layout: `(file name, contents)`.
pub(crate) fn new_files(layout: Layout, new: &NewMigration<'_>) -> Vec<(String, String)> {
    let NewMigration {
        version,
        name,
        up,
        down,
        no_transaction,
        dialect,
    } = *new;
    let suffix = if name.is_empty() {
        String::new()
    } else {
        format!("_{name}")
    };
    let down = down.unwrap_or("");
    match layout {
        Layout::Atlas => {
            let header = if no_transaction {
                "-- atlas:txmode none\n\n"
            } else {
                ""
            };
            vec![(format!("{version}{suffix}.sql"), format!("{header}{up}"))]
        }
        Layout::Sqlx | Layout::GolangMigrate => {
            let header = if no_transaction && layout == Layout::Sqlx {
                "-- no-transaction\n"
            } else {
                ""
            };
            vec![
                (
                    format!("{version}{suffix}.up.sql"),
                    format!("{header}{}", statements_text(up, dialect, false)),
                ),
                (
                    format!("{version}{suffix}.down.sql"),
                    format!("{header}{}", statements_text(down, dialect, false)),
                ),
            ]
        }
        Layout::Goose => {
            let header = if no_transaction {
                "-- +goose NO TRANSACTION\n"
            } else {
                ""
            };
            vec![(
                format!("{version}{suffix}.sql"),
                format!(
                    "{header}-- +goose Up\n{}\n-- +goose Down\n{}",
                    goose_statements(up, dialect),
                    goose_statements(down, dialect)
                ),
            )]
        }
        Layout::Dbmate => {
            let option = if no_transaction {
                " transaction:false"
            } else {
                ""
            };
            vec![(
                format!("{version}{suffix}.sql"),
                format!(
                    "-- migrate:up{option}\n{}\n-- migrate:down{option}\n{}",
                    statements_text(up, dialect, false),
                    statements_text(down, dialect, false)
                ),
            )]
        }
        Layout::Flyway => {
            let description = if name.is_empty() {
                "migration".to_owned()
            } else {
                name.to_owned()
            };
            vec![
                (format!("V{version}__{description}.sql"), up.to_owned()),
                (format!("U{version}__{description}.sql"), down.to_owned()),
            ]
        }
    }
}

/// goose splits a section at every line that ends with `;`, unless the statement is
/// wrapped in `StatementBegin` / `StatementEnd`; a statement with a `;` of its own (a
/// function body) gets the wrapping.
fn goose_statements(sql: &str, dialect: Option<Dialect>) -> String {
    statements_text(sql, dialect, true)
}

/// The statements of `sql`, each ending with `;`, without the MySQL client's
/// `DELIMITER` lines: tools other than Atlas and Flyway send a file's statements to
/// the server themselves, and the server reads a body's `BEGIN ... END` without help.
/// `goose` wraps statements with a `;` of their own for goose. Without a dialect to
/// split by, or when the text cannot be split, it is written as it is.
fn statements_text(sql: &str, dialect: Option<Dialect>, goose: bool) -> String {
    let Some(dialect) = dialect else {
        return sql.to_owned();
    };
    let Ok(statements) = schema_inspect::split::split(sql, dialect) else {
        return sql.to_owned();
    };
    let mut out = String::new();
    for raw in statements.iter().filter(|r| r.kind == RawKind::Sql) {
        if !out.is_empty() {
            out.push('\n');
        }
        let text = raw.text.trim_end();
        let body = text.strip_suffix(';').unwrap_or(text);
        if goose && body.contains(';') {
            out.push_str("-- +goose StatementBegin\n");
            out.push_str(body);
            out.push_str(";\n-- +goose StatementEnd\n");
        } else {
            out.push_str(body);
            out.push_str(";\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(version: &str, description: &str) -> Option<FileKind> {
        Some(FileKind::Up {
            version: version.to_owned(),
            description: description.to_owned(),
        })
    }

    fn down(version: &str) -> Option<FileKind> {
        Some(FileKind::Down {
            version: version.to_owned(),
        })
    }

    #[test]
    fn atlas_names() {
        let parse = |n| parse_name(Layout::Atlas, n);
        assert_eq!(
            parse("20240101120000_init.sql"),
            Ok(up("20240101120000", "init"))
        );
        assert_eq!(parse("20240101120000.sql"), Ok(up("20240101120000", "")));
        assert_eq!(parse("1_add_users.sql"), Ok(up("1", "add_users")));
        assert_eq!(parse("atlas.sum"), Ok(None));
        assert!(parse("_x.sql").is_err());
    }

    #[test]
    fn sqlx_and_golang_migrate_names() {
        let sqlx = |n| parse_name(Layout::Sqlx, n);
        assert_eq!(
            sqlx("20240101_add_users.sql"),
            Ok(up("20240101", "add users"))
        );
        assert_eq!(sqlx("1_init.up.sql"), Ok(up("1", "init")));
        assert_eq!(sqlx("1_init.down.sql"), Ok(down("1")));
        assert!(sqlx("v1_init.sql").is_err());
        let gm = |n| parse_name(Layout::GolangMigrate, n);
        assert_eq!(
            gm("000001_create_users.up.sql"),
            Ok(up("000001", "create_users"))
        );
        assert_eq!(gm("000001_create_users.down.sql"), Ok(down("000001")));
        assert!(gm("000001_create_users.sql").is_err());
    }

    #[test]
    fn flyway_names() {
        let fw = |n| parse_name(Layout::Flyway, n);
        assert_eq!(fw("V1__init.sql"), Ok(up("1", "init")));
        assert_eq!(fw("V1_1__add_users.sql"), Ok(up("1.1", "add users")));
        assert_eq!(fw("V2.0.1__x.sql"), Ok(up("2.0.1", "x")));
        assert_eq!(fw("U1_1__add_users.sql"), Ok(down("1.1")));
        let repeatable = fw("R__views.sql").unwrap_err();
        assert!(repeatable.contains("not supported yet"), "{repeatable}");
        assert!(fw("V1_init.sql").is_err());
        assert!(fw("Vx__init.sql").is_err());
        assert!(fw("init.sql").is_err());
    }

    #[test]
    fn atlas_txmode_directive() {
        let s = parse_sections(Layout::Atlas, "-- atlas:txmode none\n\nCREATE INDEX x;\n").unwrap();
        assert_eq!(s.tx_mode, Some(TxMode::None));
        let s = parse_sections(
            Layout::Atlas,
            "CREATE TABLE t (id int);\n-- atlas:txmode none\n",
        )
        .unwrap();
        assert_eq!(
            s.tx_mode, None,
            "a directive below the first statement is no directive"
        );
    }

    #[test]
    fn sqlx_no_transaction() {
        let s = parse_sections(
            Layout::Sqlx,
            "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
        )
        .unwrap();
        assert_eq!(s.tx_mode, Some(TxMode::None));
        let s = parse_sections(Layout::Sqlx, "SELECT 1;\n-- no-transaction\n").unwrap();
        assert_eq!(s.tx_mode, None);
    }

    #[test]
    fn goose_sections_keep_line_numbers() {
        let text = "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\nCREATE TABLE t (id int);\n\n-- +goose Down\nDROP TABLE t;\nDROP FUNCTION f;\n";
        let s = parse_sections(Layout::Goose, text).unwrap();
        assert_eq!(s.tx_mode, Some(TxMode::None));
        assert_eq!(s.down.as_deref(), Some("DROP TABLE t;\nDROP FUNCTION f;\n"));
        assert_eq!(
            s.up.lines().position(|l| l.starts_with("CREATE TABLE")),
            text.lines().position(|l| l.starts_with("CREATE TABLE"))
        );
        assert!(!s.up.contains("DROP"));
        assert!(s.up.ends_with("CREATE TABLE t (id int);\n"));
    }

    #[test]
    fn goose_without_up_is_refused() {
        let error = parse_sections(Layout::Goose, "CREATE TABLE t (id int);\n").unwrap_err();
        assert_eq!(error, "no `-- +goose Up` section");
    }

    #[test]
    fn dbmate_sections_and_transaction_option() {
        let text = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n";
        let s = parse_sections(Layout::Dbmate, text).unwrap();
        assert_eq!(s.tx_mode, Some(TxMode::None));
        assert_eq!(s.down.as_deref(), Some("DROP INDEX i;\n"));
        assert_eq!(
            s.up,
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
        );
        let s =
            parse_sections(Layout::Dbmate, "-- migrate:up\nCREATE TABLE t (id int);\n").unwrap();
        assert_eq!(s.tx_mode, None);
        assert_eq!(s.down, None);
    }

    #[test]
    fn dbmate_down_before_up_keeps_up_lines_in_place() {
        let text = "-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (id int);\n";
        let s = parse_sections(Layout::Dbmate, text).unwrap();
        assert_eq!(s.up, "\n\n-- migrate:up\nCREATE TABLE t (id int);\n");
        assert_eq!(s.down.as_deref(), Some("DROP TABLE t;\n"));
    }

    #[test]
    fn goose_wraps_statements_with_semicolons_of_their_own() {
        let up = "CREATE TABLE t (id int);\n\nCREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.id = 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n";
        insta::assert_snapshot!(goose_statements(up, Some(Dialect::Postgres)), @r"
        CREATE TABLE t (id int);

        -- +goose StatementBegin
        CREATE FUNCTION f() RETURNS trigger AS $$
        BEGIN
          NEW.id = 1;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        -- +goose StatementEnd
        ");
        // MySQL bodies come with the client's DELIMITER, which goose does not need.
        let mysql = "CREATE TABLE t (id int);\n\nDELIMITER //\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = 1; END//\nDELIMITER ;\n";
        insta::assert_snapshot!(goose_statements(mysql, Some(Dialect::Mysql)), @r"
        CREATE TABLE t (id int);

        -- +goose StatementBegin
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = 1; END;
        -- +goose StatementEnd
        ");
    }

    #[test]
    fn tools_that_send_statements_themselves_get_no_delimiter_lines() {
        let mysql = "DELIMITER //\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = 1; END//\nDELIMITER ;\n";
        let files = new_files(
            Layout::Dbmate,
            &NewMigration {
                version: "1",
                name: "tr",
                up: mysql,
                down: Some("DROP TRIGGER tr;\n"),
                no_transaction: false,
                dialect: Some(Dialect::Mysql),
            },
        );
        insta::assert_snapshot!(files[0].1, @r"
        -- migrate:up
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = 1; END;

        -- migrate:down
        DROP TRIGGER tr;
        ");
        // Atlas reads DELIMITER itself: its file keeps the text as planned.
        let atlas = new_files(
            Layout::Atlas,
            &NewMigration {
                version: "1",
                name: "tr",
                up: mysql,
                down: None,
                no_transaction: false,
                dialect: Some(Dialect::Mysql),
            },
        );
        assert_eq!(atlas[0].1, mysql);
    }

    #[test]
    fn written_files_read_back() {
        let up_sql = "CREATE TABLE t (id int);\n";
        let down_sql = "DROP TABLE t;\n";
        for layout in Layout::ALL {
            let files = new_files(
                layout,
                &NewMigration {
                    version: "20240101000000",
                    name: "init",
                    up: up_sql,
                    down: Some(down_sql),
                    no_transaction: false,
                    dialect: Some(Dialect::Postgres),
                },
            );
            let mut read_up = None;
            let mut read_down = None;
            for (name, text) in &files {
                match parse_name(layout, name).unwrap() {
                    Some(FileKind::Up { version, .. }) => {
                        assert_eq!(version, "20240101000000", "{layout}");
                        read_up = Some(parse_sections(layout, text).unwrap());
                    }
                    Some(FileKind::Down { .. }) => read_down = Some(text.clone()),
                    None => panic!("{layout}: {name} is not read back"),
                }
            }
            let sections = read_up.unwrap();
            assert!(sections.up.contains(up_sql), "{layout}: {}", sections.up);
            if layout != Layout::Atlas {
                let down = sections.down.or(read_down).unwrap();
                assert_eq!(down.trim(), down_sql.trim(), "{layout}");
            }
        }
    }
}
