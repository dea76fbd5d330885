//! The catalog queries: one per object kind, each over every inspected database at once
//! (`TABLE_SCHEMA IN (...)`), so an inspection costs the same number of round trips
//! whatever the number of tables.
//!
//! Every value is read as bytes and turned into text here: `information_schema`
//! columns come back as VARCHAR, LONGTEXT or binary-collated BLOBs depending on the
//! server and version, and sqlx refuses `String` for the binary ones.

use super::super::InspectError;
use sqlx::mysql::{MySqlConnection, MySqlRow};
use sqlx::{AssertSqlSafe, Row};

/// One catalog row: its columns as text, `None` for SQL NULL.
pub(super) type Record = Vec<Option<String>>;

/// The first column of the MariaDB-only and MySQL-8-only queries differs; everything
/// else is standard `information_schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    MariaDb,
    Mysql,
}

/// What the server says about itself, read once per inspection.
#[derive(Debug, Clone)]
pub(super) struct Server {
    pub flavor: Flavor,
    /// `DATABASE()`: the database the connection uses, which the model calls `""`.
    pub database: Option<String>,
    pub default_engine: String,
    /// `@@collation_server`: what a new database gets.
    pub collation: String,
}

fn decode(row: &MySqlRow, index: usize) -> Result<Option<String>, sqlx::Error> {
    let bytes: Option<Vec<u8>> = row.try_get(index)?;
    Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

/// Runs a query and reads every column of every row as text.
pub(super) async fn fetch(
    conn: &mut MySqlConnection,
    object: &str,
    sql: String,
    binds: &[String],
) -> Result<Vec<Record>, InspectError> {
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for bind in binds {
        query = query.bind(bind.clone());
    }
    let failed = |e: sqlx::Error| InspectError::Query {
        object: object.to_owned(),
        message: e.to_string(),
    };
    let rows = query.fetch_all(&mut *conn).await.map_err(failed)?;
    tracing::debug!(object, rows = rows.len(), "catalog query");
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| decode(row, i))
                .collect::<Result<Record, _>>()
                .map_err(failed)
        })
        .collect()
}

pub(super) async fn server(conn: &mut MySqlConnection) -> Result<Server, InspectError> {
    let rows = fetch(
        conn,
        "server",
        "SELECT CAST(VERSION() AS CHAR), CAST(DATABASE() AS CHAR), \
         CAST(@@default_storage_engine AS CHAR), CAST(@@collation_server AS CHAR)"
            .to_owned(),
        &[],
    )
    .await?;
    let row = rows.into_iter().next().unwrap_or_default();
    let cell = |i: usize| row.get(i).cloned().flatten();
    let version = cell(0).unwrap_or_default();
    Ok(Server {
        flavor: if version.to_ascii_lowercase().contains("mariadb") {
            Flavor::MariaDb
        } else {
            Flavor::Mysql
        },
        database: cell(1),
        default_engine: cell(2).unwrap_or_else(|| "InnoDB".to_owned()),
        collation: cell(3).unwrap_or_default(),
    })
}

/// `?, ?, ?` for a list of binds.
fn placeholders(n: usize) -> String {
    vec!["?"; n.max(1)].join(", ")
}

/// The catalog of the inspected databases, raw.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    /// SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME.
    pub schemata: Vec<Record>,
    /// COLLATION_NAME, CHARACTER_SET_NAME, IS_DEFAULT.
    pub collations: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, CREATE_OPTIONS,
    /// TABLE_COMMENT.
    pub tables: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE,
    /// COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, CHARACTER_SET_NAME,
    /// COLLATION_NAME, COLUMN_COMMENT.
    pub columns: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART,
    /// INDEX_TYPE, COLLATION, INDEX_COMMENT, EXPRESSION (MySQL 8; NULL on MariaDB).
    pub statistics: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,
    /// REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME,
    /// UPDATE_RULE, DELETE_RULE.
    pub foreign_keys: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, ENFORCED.
    pub checks: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, PARTITION_NAME, PARTITION_METHOD,
    /// PARTITION_EXPRESSION, PARTITION_DESCRIPTION, SUBPARTITION_NAME.
    pub partitions: Vec<Record>,
    /// TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE.
    pub views: Vec<Record>,
    /// TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE,
    /// ACTION_STATEMENT, ACTION_ORIENTATION, ACTION_TIMING.
    pub triggers: Vec<Record>,
    /// ROUTINE_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION,
    /// IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT.
    pub routines: Vec<Record>,
    /// SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, PARAMETER_MODE, PARAMETER_NAME,
    /// DTD_IDENTIFIER.
    pub parameters: Vec<Record>,
    /// EVENT_SCHEMA, EVENT_NAME, EVENT_TYPE, EXECUTE_AT, INTERVAL_VALUE, INTERVAL_FIELD,
    /// STARTS, ENDS, STATUS, ON_COMPLETION, EVENT_COMMENT, EVENT_DEFINITION, and
    /// whether STARTS is the implicit one (`1`/`0`, see [`IMPLICIT_STARTS`]).
    pub events: Vec<Record>,
}

/// Whether an event's STARTS is the one the server filled in for an `EVERY` without
/// `STARTS`: the moment of the `CREATE EVENT`, or of the last `ALTER EVENT ... ON
/// SCHEDULE` (both also what an explicit `STARTS CURRENT_TIMESTAMP` gives, which means
/// the same). The server keeps no flag, so the rule is that STARTS equals CREATED or
/// LAST_ALTERED to the second.
///
/// STARTS is shown in the event's own time zone (`TIME_ZONE`: the session zone of its
/// `CREATE EVENT`), CREATED and LAST_ALTERED in the reading session's zone, so those
/// are converted to the event's zone first; a zone name that `CONVERT_TZ` cannot
/// resolve gives NULL, that is an explicit STARTS. Known limit: after an
/// `ALTER EVENT ... ON SCHEDULE` without STARTS, a later `ALTER EVENT` of anything else
/// moves LAST_ALTERED and the STARTS it left reads as explicit.
pub(super) const IMPLICIT_STARTS: &str = "CAST(COALESCE(\
     STARTS = CONVERT_TZ(CREATED, @@session.time_zone, TIME_ZONE) \
     OR STARTS = CONVERT_TZ(LAST_ALTERED, @@session.time_zone, TIME_ZONE), 0) AS CHAR)";

/// The number of queries [`read`] sends, the server probe included.
pub(super) const QUERIES: usize = 14;

/// Reads the catalog of `databases` (which must not be empty).
pub(super) async fn read(
    conn: &mut MySqlConnection,
    server: &Server,
    databases: &[String],
) -> Result<Catalog, InspectError> {
    let marks = placeholders(databases.len());
    let binds = databases;
    let mut catalog = Catalog {
        schemata: fetch(
            conn,
            "databases",
            format!(
                "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
                 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ({marks})"
            ),
            binds,
        )
        .await?,
        collations: fetch(
            conn,
            "collations",
            "SELECT COLLATION_NAME, CHARACTER_SET_NAME, IS_DEFAULT \
             FROM information_schema.COLLATIONS"
                .to_owned(),
            &[],
        )
        .await?,
        ..Catalog::default()
    };
    catalog.tables = fetch(
        conn,
        "tables",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, \
             CREATE_OPTIONS, TABLE_COMMENT FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA IN ({marks}) ORDER BY TABLE_SCHEMA, TABLE_NAME"
        ),
        binds,
    )
    .await?;
    catalog.columns = fetch(
        conn,
        "columns",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, \
             IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, CHARACTER_SET_NAME, \
             COLLATION_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA IN ({marks}) \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
        ),
        binds,
    )
    .await?;
    let expression = match server.flavor {
        Flavor::Mysql => "EXPRESSION",
        Flavor::MariaDb => "NULL",
    };
    catalog.statistics = fetch(
        conn,
        "indexes",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, CAST(NON_UNIQUE AS CHAR), \
             COLUMN_NAME, CAST(SUB_PART AS CHAR), INDEX_TYPE, COLLATION, INDEX_COMMENT, \
             {expression} FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA IN ({marks}) \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
        ),
        binds,
    )
    .await?;
    catalog.foreign_keys = fetch(
        conn,
        "foreign keys",
        format!(
            "SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, \
             k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, \
             r.UPDATE_RULE, r.DELETE_RULE \
             FROM information_schema.KEY_COLUMN_USAGE k \
             JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
               ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
              AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
             WHERE k.TABLE_SCHEMA IN ({marks}) AND k.REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"
        ),
        binds,
    )
    .await?;
    // MariaDB names checks per table and lists the table in CHECK_CONSTRAINTS; MySQL 8
    // names them per database and keeps the table (and ENFORCED) in TABLE_CONSTRAINTS.
    let checks_sql = match server.flavor {
        Flavor::MariaDb => format!(
            "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 'YES' \
             FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN ({marks}) \
             ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME"
        ),
        Flavor::Mysql => format!(
            "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE, \
             t.ENFORCED FROM information_schema.TABLE_CONSTRAINTS t \
             JOIN information_schema.CHECK_CONSTRAINTS c \
               ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA \
              AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME \
             WHERE t.CONSTRAINT_TYPE = 'CHECK' AND t.TABLE_SCHEMA IN ({marks}) \
             ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, t.CONSTRAINT_NAME"
        ),
    };
    catalog.checks = fetch(conn, "checks", checks_sql, binds).await?;
    catalog.partitions = fetch(
        conn,
        "partitions",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, \
             PARTITION_EXPRESSION, PARTITION_DESCRIPTION, SUBPARTITION_NAME \
             FROM information_schema.PARTITIONS \
             WHERE TABLE_SCHEMA IN ({marks}) AND PARTITION_NAME IS NOT NULL \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, \
             SUBPARTITION_ORDINAL_POSITION"
        ),
        binds,
    )
    .await?;
    catalog.views = fetch(
        conn,
        "views",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE \
             FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN ({marks}) \
             ORDER BY TABLE_SCHEMA, TABLE_NAME"
        ),
        binds,
    )
    .await?;
    catalog.triggers = fetch(
        conn,
        "triggers",
        format!(
            "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, \
             ACTION_STATEMENT, ACTION_ORIENTATION, ACTION_TIMING \
             FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN ({marks}) \
             ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME"
        ),
        binds,
    )
    .await?;
    catalog.routines = fetch(
        conn,
        "routines",
        format!(
            "SELECT ROUTINE_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, \
             ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, \
             ROUTINE_COMMENT FROM information_schema.ROUTINES \
             WHERE ROUTINE_SCHEMA IN ({marks}) ORDER BY ROUTINE_SCHEMA, SPECIFIC_NAME"
        ),
        binds,
    )
    .await?;
    catalog.parameters = fetch(
        conn,
        "routine parameters",
        format!(
            "SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, PARAMETER_MODE, \
             PARAMETER_NAME, DTD_IDENTIFIER FROM information_schema.PARAMETERS \
             WHERE SPECIFIC_SCHEMA IN ({marks}) AND ORDINAL_POSITION > 0 \
             ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION"
        ),
        binds,
    )
    .await?;
    // Datetimes as text in the server's own format, `YYYY-MM-DD HH:MM:SS`.
    catalog.events = fetch(
        conn,
        "events",
        format!(
            "SELECT EVENT_SCHEMA, EVENT_NAME, EVENT_TYPE, CAST(EXECUTE_AT AS CHAR), \
             INTERVAL_VALUE, INTERVAL_FIELD, CAST(STARTS AS CHAR), CAST(ENDS AS CHAR), \
             STATUS, ON_COMPLETION, EVENT_COMMENT, EVENT_DEFINITION, {IMPLICIT_STARTS} \
             FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN ({marks}) \
             ORDER BY EVENT_SCHEMA, EVENT_NAME"
        ),
        binds,
    )
    .await?;
    Ok(catalog)
}
