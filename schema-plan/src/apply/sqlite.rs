//! Applying plans to SQLite: one transaction per transaction group, the progress
//! recorded inside it, in a table of the database file itself.

use super::{
    ApplyError, ApplyFuture, ApplyOptions, ApplyReport, PROGRESS_TABLE, Step, check_dialect,
    check_failure, check_targets, connect_error, notify, plan_hash, refuse_destructive,
    resume_point, statement_failure,
};
use crate::plan::Plan;
use schema_model::Dialect;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Acquire, AssertSqlSafe, ConnectOptions as _, Connection as _};
use std::str::FromStr as _;

/// Applies the plan through a connection (or pool): see the [module
/// documentation](super) for the order of things and the resume rules.
/// [`ApplyOptions::progress_schema`] is ignored: the progress table is `main`'s.
pub fn apply<'a, 'c, A>(conn: A, plan: &'a Plan, options: &'a ApplyOptions) -> ApplyFuture<'a>
where
    A: Acquire<'c, Database = sqlx::Sqlite> + Send + 'a,
    'c: 'a,
{
    // Boxed, so that the future is `Send` whatever the caller's lifetimes: an `async fn`
    // generic over `Acquire` is not, and could not be spawned.
    Box::pin(async move {
        check_dialect(plan, Dialect::Sqlite)?;
        refuse_destructive(plan, options)?;
        check_targets(plan, options)?;
        let mut conn = conn.acquire().await.map_err(|e| ApplyError::Connect {
            target: "the pool".to_owned(),
            message: e.to_string(),
        })?;
        run(&mut conn, plan, options).await
    })
}

/// Opens the database file the URL names, read-write, and applies the plan. A missing
/// file is an error unless the URL asks for it to be created (`?mode=rwc`).
pub async fn apply_url(
    url: &str,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    check_dialect(plan, Dialect::Sqlite)?;
    refuse_destructive(plan, options)?;
    let connect_options =
        SqliteConnectOptions::from_str(url).map_err(|e| connect_error(url, &e))?;
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
    conn: &mut SqliteConnection,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    let table = format!("main.{PROGRESS_TABLE}");
    let progress_error = |e: sqlx::Error| ApplyError::Progress {
        table: table.clone(),
        message: super::database_error(&e).0,
    };
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {table} (plan_hash TEXT PRIMARY KEY, \
         statements_done INTEGER NOT NULL, statements_total INTEGER NOT NULL, \
         updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    );
    sqlx::raw_sql(AssertSqlSafe(create))
        .execute(&mut *conn)
        .await
        .map_err(progress_error)?;
    let hash = plan_hash(plan);
    let total = plan.statements.len();
    let select =
        format!("SELECT statements_done, statements_total FROM {table} WHERE plan_hash = ?");
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
    let mut start = 0;
    for group in plan.groups() {
        let end = start + group.len();
        if end <= done {
            for index in start..end {
                notify(options, plan, index, Step::Skipped);
            }
            start = end;
            continue;
        }
        if start < done {
            return Err(ApplyError::Progress {
                table: table.clone(),
                message: format!(
                    "the row for this plan records {done} statements done, inside a transaction group"
                ),
            });
        }
        if group.iter().all(|s| s.transactional) {
            let mut tx = sqlx::Connection::begin(&mut *conn)
                .await
                .map_err(progress_error)?;
            for (offset, statement) in group.iter().enumerate() {
                notify(options, plan, start + offset, Step::Started);
                if let Some((check, answer)) = failed_check(&mut tx, options, start + offset).await
                {
                    if let Err(e) = tx.rollback().await {
                        tracing::warn!(error = %e, "rolling back the checked group");
                    }
                    return Err(check_failure(plan, check, answer, &report));
                }
                if let Err(e) = sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
                    .execute(&mut *tx)
                    .await
                {
                    let failure = statement_failure(plan, start + offset, &e, offset, &report);
                    if let Err(e) = tx.rollback().await {
                        tracing::warn!(error = %e, "rolling back the failed group");
                    }
                    return Err(failure);
                }
            }
            record(&mut tx, &table, &hash, end, total)
                .await
                .map_err(progress_error)?;
            // Deferred foreign keys are checked here: a failed commit fails the group's
            // last statement, with the others rolled back.
            tx.commit().await.map_err(|e| {
                let last = group.len().saturating_sub(1);
                statement_failure(plan, start + last, &e, last, &report)
            })?;
        } else {
            // Statements that cannot run in a transaction (`PRAGMA foreign_keys`, `VACUUM`).
            for (offset, statement) in group.iter().enumerate() {
                notify(options, plan, start + offset, Step::Started);
                if let Some((check, answer)) = failed_check(conn, options, start + offset).await {
                    return Err(check_failure(plan, check, answer, &report));
                }
                sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| statement_failure(plan, start + offset, &e, 0, &report))?;
                record(&mut *conn, &table, &hash, start + offset + 1, total)
                    .await
                    .map_err(progress_error)?;
            }
        }
        report.executed += group.len();
        start = end;
    }
    Ok(report)
}

/// Records `done` statements of the plan; the last one deletes the row instead.
async fn record(
    conn: &mut SqliteConnection,
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
         ON CONFLICT (plan_hash) DO UPDATE SET statements_done = excluded.statements_done, \
         statements_total = excluded.statements_total, updated_at = CURRENT_TIMESTAMP"
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
    conn: &mut SqliteConnection,
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
