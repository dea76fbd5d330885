//! Applying plans to MySQL and MariaDB: statement by statement, each recorded right
//! after it ran.
//!
//! MySQL commits every DDL statement implicitly, so neither a group nor a statement and
//! its record can commit together. A crash (or a lost connection) after a statement and
//! before its record leaves it done but unrecorded: the rerun runs that one statement
//! again, which usually fails because its object exists. Drop the object, or finish the
//! change by hand, and run the plan again; the statements before it are not rerun.

use super::{
    ApplyError, ApplyFuture, ApplyOptions, ApplyReport, PROGRESS_TABLE, Step, check_dialect,
    check_failure, check_targets, connect_error, notify, plan_hash, refuse_destructive,
    resume_point, statement_failure,
};
use crate::mysql::quote_ident;
use crate::plan::Plan;
use schema_model::Dialect;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{Acquire, AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::str::FromStr as _;

/// Applies the plan through a connection (or pool): see the [module
/// documentation](super) for the order of things and the resume rules. The session
/// should be the mysql client's, as [`apply_url`] opens it: sqlx's default
/// `PIPES_AS_CONCAT` changes what `||` in a default or a check means.
pub fn apply<'a, 'c, A>(conn: A, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a>
where
    A: Acquire<'c, Database = sqlx::MySql> + Send + 'a,
    'c: 'a,
{
    // Boxed, so that the future is `Send` whatever the caller's lifetimes: an `async fn`
    // generic over `Acquire` is not, and could not be spawned.
    Box::pin(async move {
        check_dialect(plan, Dialect::Mysql)?;
        refuse_destructive(plan, options)?;
        check_targets(plan, options)?;
        let mut conn = conn.acquire().await.map_err(|e| ApplyError::Connect {
            target: "the pool".to_owned(),
            message: e.to_string(),
        })?;
        run(&mut conn, plan, options).await
    })
}

/// Connects to the URL and applies the plan.
pub async fn apply_url(
    url: &str,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    check_dialect(plan, Dialect::Mysql)?;
    refuse_destructive(plan, options)?;
    // sqlx reads the `mysql` scheme only.
    let url_for_driver = match url.strip_prefix("mariadb://") {
        Some(rest) => format!("mysql://{rest}"),
        None => url.to_owned(),
    };
    // The mysql client's session, as the inspector has it: `||` is OR and the server's
    // time zone stands, so that expressions mean what the plan's author read.
    let connect_options = MySqlConnectOptions::from_str(&url_for_driver)
        .map_err(|e| connect_error(url, &e))?
        .pipes_as_concat(false)
        .timezone(None);
    let mut conn = connect_options
        .connect()
        .await
        .map_err(|e| connect_error(url, &e))?;
    let report = apply(&mut conn, plan, options).await;
    if let Err(e) = conn.close().await {
        tracing::debug!(error = %e, "closing the connection");
    }
    report
}

async fn run(
    conn: &mut MySqlConnection,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    let table = match &options.progress_schema {
        Some(database) => format!("{}.{}", quote_ident(database), quote_ident(PROGRESS_TABLE)),
        None => quote_ident(PROGRESS_TABLE),
    };
    let progress_error = |e: sqlx::Error| ApplyError::Progress {
        table: table.clone(),
        message: super::database_error(&e).0,
    };
    if let Some(database) = &options.progress_schema {
        let sql = format!("CREATE DATABASE IF NOT EXISTS {}", quote_ident(database));
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .map_err(progress_error)?;
    }
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {table} (plan_hash varchar(64) NOT NULL PRIMARY KEY, \
         statements_done int NOT NULL, statements_total int NOT NULL, \
         updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    );
    sqlx::raw_sql(AssertSqlSafe(create))
        .execute(&mut *conn)
        .await
        .map_err(progress_error)?;
    let hash = plan_hash(plan);
    let total = plan.statements.len();
    let select = format!(
        "SELECT CAST(statements_done AS SIGNED), CAST(statements_total AS SIGNED) \
         FROM {table} WHERE plan_hash = ?"
    );
    let row: Option<(i64, i64)> = sqlx::query_as(AssertSqlSafe(select))
        .bind(&hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(progress_error)?;
    let done = resume_point(&table, row, total)?;
    let mut report = ApplyReport {
        total,
        resumed: done,
        executed: 0,
        plan_hash: hash.clone(),
    };
    if done > 0 {
        tracing::info!(done, total, "resuming an earlier run of this plan");
    }
    for (index, statement) in plan.statements.iter().enumerate() {
        if index < done {
            notify(options, plan, index, Step::Skipped);
            continue;
        }
        notify(options, plan, index, Step::Started);
        if let Some((check, answer)) = failed_check(conn, options, index).await {
            return Err(check_failure(plan, check, answer, &report));
        }
        sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
            .execute(&mut *conn)
            .await
            .map_err(|e| statement_failure(plan, index, &e, 0, &report))?;
        report.executed += 1;
        record(&mut *conn, &table, &hash, index + 1, total)
            .await
            .map_err(progress_error)?;
    }
    Ok(report)
}

/// Records `done` statements of the plan; the last one deletes the row instead.
async fn record(
    conn: &mut MySqlConnection,
    table: &str,
    hash: &str,
    done: usize,
    total: usize,
) -> Result<(), sqlx::Error> {
    if done >= total {
        let delete = format!("DELETE FROM {table} WHERE plan_hash = ?");
        sqlx::query(AssertSqlSafe(delete))
            .bind(hash)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let upsert = format!(
        "INSERT INTO {table} (plan_hash, statements_done, statements_total) VALUES (?, ?, ?) \
         ON DUPLICATE KEY UPDATE statements_done = VALUES(statements_done), \
         statements_total = VALUES(statements_total), updated_at = CURRENT_TIMESTAMP"
    );
    sqlx::query(AssertSqlSafe(upsert))
        .bind(hash)
        .bind(i64::try_from(done).unwrap_or(i64::MAX))
        .bind(i64::try_from(total).unwrap_or(i64::MAX))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Runs the checks guarding statement `index`: the first that does not hold, with what
/// it answered.
async fn failed_check<'o>(
    conn: &mut MySqlConnection,
    options: &'o ApplyOptions,
    index: usize,
) -> Option<(&'o super::Check, String)> {
    for check in super::checks_before(options, index) {
        let answer: Result<Option<Option<i64>>, sqlx::Error> =
            sqlx::query_scalar(AssertSqlSafe(check.sql.clone()))
                .fetch_optional(&mut *conn)
                .await;
        let verdict = match answer {
            Ok(Some(Some(value))) if value != 0 => continue,
            Ok(Some(Some(_))) => "false".to_owned(),
            Ok(Some(None)) => "NULL".to_owned(),
            Ok(None) => "no row".to_owned(),
            Err(e) => super::database_error(&e).0,
        };
        return Some((check, verdict));
    }
    None
}
