//! Many tenants: one migration directory applied to every schema or database whose
//! name matches a pattern, a bounded number at a time.
//!
//! Each tenant is an ordinary run of the [`Migrator`] with connections of its own and
//! its own lock and revision table, so a tenant that fails stops only itself: its
//! failing file rolls back as in any run (see [`super::runner`]), and the others go on.
//!
//! - **PostgreSQL schemas** ([`TenantKind::Schema`]): the migrations run with the
//!   tenant's schema first on the `search_path` (then `public`, where extensions
//!   usually live), and the revision table is in the tenant's schema.
//! - **PostgreSQL databases** ([`TenantKind::Database`]): the databases of the server
//!   the URL names, templates left out; the revision table where the options say.
//! - **MySQL / MariaDB**: a schema is a database there, so both kinds list databases.
//! - **SQLite** has no tenants to list: one file is one database.
//!
//! ```no_run
//! # async fn run(migrator: sextant::migrate::Migrator) -> Result<(), sextant::migrate::tenants::TenantsError> {
//! use sextant::migrate::tenants::{self, TenantKind};
//!
//! let report = tenants::apply(&migrator, "postgres://app@db/app", TenantKind::Schema,
//!     "tenant_*", 4, |_result, _done, _total| {}).await?;
//! assert_eq!(report.failed(), 0);
//! # Ok(()) }
//! ```

use super::runner::{MigrateError, MigrateReport, Migrator, redact_url};
use schema_model::Dialect;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What a tenant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TenantKind {
    /// A schema of the database the URL names (a database on MySQL).
    #[default]
    Schema,
    /// A database of the server the URL names.
    Database,
}

/// What one tenant's run did.
#[derive(Debug)]
#[non_exhaustive]
pub struct TenantResult {
    /// The schema or database.
    pub tenant: String,
    /// The run's report, or why it stopped.
    pub outcome: Result<MigrateReport, MigrateError>,
    /// How long the tenant took, connecting included.
    pub duration: Duration,
}

/// What a many-tenant run did, one result per tenant in name order.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct TenantsReport {
    /// The results, sorted by tenant name.
    pub results: Vec<TenantResult>,
}

impl TenantsReport {
    /// How many tenants failed.
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_err()).count()
    }
}

/// Why a many-tenant run could not start. Failures of single tenants are in the
/// [`TenantsReport`] instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TenantsError {
    /// The URL's database has no tenants to list.
    #[error("{url}: tenants are not supported on {dialect:?}: {reason}")]
    Unsupported {
        /// The URL, password removed.
        url: String,
        /// Its database.
        dialect: Dialect,
        /// Why.
        reason: &'static str,
    },
    /// The pattern is empty.
    #[error("the tenant pattern is empty")]
    EmptyPattern,
    /// Listing the tenants failed (connecting included).
    #[error("listing the tenants of {url}: {message}")]
    List {
        /// The URL, password removed.
        url: String,
        /// The database's message.
        message: String,
    },
    /// The URL or the migrations are wrong before any tenant runs.
    #[error(transparent)]
    Migrate(#[from] MigrateError),
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters
/// (empty included) and every other character for itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return pattern == name;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the whole name must be the prefix.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The tenants of the URL's database or server whose names match `pattern`, sorted.
///
/// # Errors
///
/// [`TenantsError::Unsupported`] on SQLite, [`TenantsError::List`] when connecting or
/// the query fails.
pub async fn list(url: &str, kind: TenantKind, pattern: &str) -> Result<Vec<String>, TenantsError> {
    if pattern.is_empty() {
        return Err(TenantsError::EmptyPattern);
    }
    let names = match dialect(url)? {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => pg::list(url, kind).await?,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => my::list(url, kind).await?,
        other => return Err(unsupported(url, other)),
    };
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|name| glob_match(pattern, name))
        .collect();
    names.sort();
    Ok(names)
}

/// Applies the migrations to every tenant matching `pattern`, at most `jobs` at a
/// time (at least one). `progress` is called as each tenant finishes, with its result,
/// how many are done and how many there are.
///
/// A tenant that fails does not stop the others; the report holds every tenant's
/// result. With [`TenantKind::Schema`] on PostgreSQL the migrator's
/// [`super::MigratorOptions::schema`] is replaced by each tenant's schema.
///
/// # Errors
///
/// Only what stops the run before any tenant starts: see [`TenantsError`].
pub async fn apply(
    migrator: &Migrator,
    url: &str,
    kind: TenantKind,
    pattern: &str,
    jobs: usize,
    mut progress: impl FnMut(&TenantResult, usize, usize),
) -> Result<TenantsReport, TenantsError> {
    migrator.check_target()?;
    let dialect = dialect(url)?;
    let tenants = list(url, kind, pattern).await?;
    let results = run_bounded(
        tenants,
        jobs,
        url,
        |tenant| run_one(migrator.clone(), url.to_owned(), dialect, kind, tenant),
        &mut progress,
    )
    .await;
    Ok(TenantsReport { results })
}

/// Runs `run` for every tenant, at most `jobs` at a time, each a task of its own so
/// that a panic stops only its tenant; the results sorted by tenant.
async fn run_bounded<F, Fut>(
    tenants: Vec<String>,
    jobs: usize,
    url: &str,
    run: F,
    progress: &mut impl FnMut(&TenantResult, usize, usize),
) -> Vec<TenantResult>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = TenantResult> + Send + 'static,
{
    let total = tenants.len();
    let jobs = jobs.max(1);
    let mut queue = tenants.into_iter();
    let mut running = tokio::task::JoinSet::new();
    // Which task runs which tenant, to name the tenant of a task that panicked.
    let mut names: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut results = Vec::with_capacity(total);
    loop {
        while running.len() < jobs {
            let Some(tenant) = queue.next() else { break };
            let handle = running.spawn(run(tenant.clone()));
            names.insert(handle.id(), tenant);
        }
        let Some(joined) = running.join_next_with_id().await else {
            break;
        };
        let result = match joined {
            Ok((id, result)) => {
                names.remove(&id);
                result
            }
            Err(e) => TenantResult {
                tenant: names.remove(&e.id()).unwrap_or_default(),
                outcome: Err(MigrateError::Connect {
                    target: redact_url(url),
                    message: format!("the tenant's task stopped: {e}"),
                }),
                duration: Duration::ZERO,
            },
        };
        progress(&result, results.len() + 1, total);
        results.push(result);
    }
    results.sort_by(|a, b| a.tenant.cmp(&b.tenant));
    results
}

async fn run_one(
    migrator: Migrator,
    url: String,
    dialect: Dialect,
    kind: TenantKind,
    tenant: String,
) -> TenantResult {
    let start = Instant::now();
    let outcome = match dialect {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => pg::apply(&migrator, &url, kind, &tenant).await,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => my::apply(&migrator, &url, kind, &tenant).await,
        other => Err(MigrateError::Url {
            url: redact_url(&url),
            message: format!("tenants are not supported on {other:?}"),
        }),
    };
    TenantResult {
        tenant,
        outcome,
        duration: start.elapsed(),
    }
}

fn dialect(url: &str) -> Result<Dialect, TenantsError> {
    schema_inspect::live::url_dialect(url).map_err(|e| {
        TenantsError::Migrate(MigrateError::Url {
            url: redact_url(url),
            message: e.to_string(),
        })
    })
}

fn unsupported(url: &str, dialect: Dialect) -> TenantsError {
    TenantsError::Unsupported {
        url: redact_url(url),
        dialect,
        reason: if dialect == Dialect::Sqlite {
            "one file is one database; apply to each file's URL instead"
        } else {
            "this build has no support for it (cargo feature)"
        },
    }
}

fn list_error(url: &str, error: &dyn std::fmt::Display) -> TenantsError {
    // connect_error takes the password out of the message as well as the URL.
    let message = match super::runner::connect_error(url, error) {
        MigrateError::Connect { message, .. } => message,
        other => other.to_string(),
    };
    TenantsError::List {
        url: redact_url(url),
        message,
    }
}

#[cfg(feature = "postgres")]
mod pg {
    use super::{MigrateError, MigrateReport, Migrator, TenantKind, TenantsError, list_error};
    use schema_plan::postgres::quote_ident;
    use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sqlx::{ConnectOptions as _, Connection as _, Row as _};
    use std::str::FromStr as _;

    fn parse(url: &str) -> Result<PgConnectOptions, MigrateError> {
        PgConnectOptions::from_str(url).map_err(|e| super::super::runner::connect_error(url, &e))
    }

    pub(super) async fn list(url: &str, kind: TenantKind) -> Result<Vec<String>, TenantsError> {
        let options = parse(url)?;
        let mut conn = options.connect().await.map_err(|e| list_error(url, &e))?;
        let sql = match kind {
            // pg_toast, pg_temp_N and the catalogs are the server's, not tenants.
            TenantKind::Schema => {
                "SELECT nspname::text FROM pg_namespace \
                 WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
            }
            TenantKind::Database => {
                "SELECT datname::text FROM pg_database WHERE NOT datistemplate AND datallowconn"
            }
        };
        let rows = sqlx::raw_sql(sql).fetch_all(&mut conn).await;
        if let Err(e) = conn.close().await {
            tracing::debug!(target: "sextant::migrate", error = %e, "closing a connection");
        }
        let rows = rows.map_err(|e| list_error(url, &e))?;
        rows.iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()
            .map_err(|e| list_error(url, &e))
    }

    pub(super) async fn apply(
        migrator: &Migrator,
        url: &str,
        kind: TenantKind,
        tenant: &str,
    ) -> Result<MigrateReport, MigrateError> {
        let options = parse(url)?;
        let (options, migrator) = match kind {
            TenantKind::Schema => {
                let search_path = format!("{}, public", quote_ident(tenant));
                let tenant_options = migrator.options().clone().schema(tenant);
                (
                    options.options([("search_path", search_path)]),
                    migrator.clone().with_options(tenant_options),
                )
            }
            TenantKind::Database => (options.database(tenant), migrator.clone()),
        };
        // The pool form connects every connection of the run from these options, so
        // the search_path reaches the lock, the revision reads and the migrations.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options);
        let result = crate::migrate::postgres::apply(&pool, &migrator).await;
        pool.close().await;
        result
    }
}

#[cfg(feature = "mysql")]
mod my {
    use super::{MigrateError, MigrateReport, Migrator, TenantKind, TenantsError, list_error};
    use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
    use sqlx::{ConnectOptions as _, Connection as _, Row as _};
    use std::str::FromStr as _;

    fn parse(url: &str) -> Result<MySqlConnectOptions, MigrateError> {
        MySqlConnectOptions::from_str(url).map_err(|e| super::super::runner::connect_error(url, &e))
    }

    /// A schema is a database on MySQL: both kinds list databases.
    pub(super) async fn list(url: &str, _kind: TenantKind) -> Result<Vec<String>, TenantsError> {
        let options = parse(url)?;
        let mut conn = options.connect().await.map_err(|e| list_error(url, &e))?;
        let rows = sqlx::raw_sql(
            "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata \
             WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
        )
        .fetch_all(&mut conn)
        .await;
        if let Err(e) = conn.close().await {
            tracing::debug!(target: "sextant::migrate", error = %e, "closing a connection");
        }
        let rows = rows.map_err(|e| list_error(url, &e))?;
        rows.iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()
            .map_err(|e| list_error(url, &e))
    }

    pub(super) async fn apply(
        migrator: &Migrator,
        url: &str,
        _kind: TenantKind,
        tenant: &str,
    ) -> Result<MigrateReport, MigrateError> {
        let options = parse(url)?.database(tenant);
        let pool = MySqlPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options);
        let result = crate::migrate::mysql::apply(&pool, migrator).await;
        pool.close().await;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::{MigrateReport, TenantResult, glob_match, run_bounded};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn at_most_jobs_tenants_run_at_once_and_a_panic_stops_only_its_tenant() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("a runtime: {e}"));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tenants: Vec<String> = (1..=7).rev().map(|i| format!("t{i}")).collect();
        let mut progress = Vec::new();
        let results = runtime.block_on(run_bounded(
            tenants,
            3,
            "postgres://app:s3cr3t@db/app",
            |tenant| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Let the other tasks start while this one is "running".
                    for _ in 0..5 {
                        tokio::task::yield_now().await;
                    }
                    running.fetch_sub(1, Ordering::SeqCst);
                    assert_ne!(tenant, "t4", "t4 panics");
                    TenantResult {
                        tenant,
                        outcome: Ok(MigrateReport::default()),
                        duration: Duration::ZERO,
                    }
                }
            },
            &mut |result: &TenantResult, done, total| {
                progress.push((result.tenant.clone(), done, total));
            },
        ));
        assert_eq!(most.load(Ordering::SeqCst), 3);
        let names: Vec<&str> = results.iter().map(|r| r.tenant.as_str()).collect();
        assert_eq!(names, ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
        let failed: Vec<String> = results
            .iter()
            .filter_map(|r| {
                r.outcome
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", r.tenant))
            })
            .collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].starts_with("t4: "), "{failed:?}");
        assert!(failed[0].contains("panicked"), "{failed:?}");
        assert!(!failed[0].contains("s3cr3t"), "{failed:?}");
        let done: Vec<(usize, usize)> = progress.iter().map(|&(_, d, t)| (d, t)).collect();
        assert_eq!(done, (1..=7).map(|d| (d, 7)).collect::<Vec<_>>());
    }

    #[test]
    fn a_star_matches_any_run_and_the_rest_matches_itself() {
        assert!(glob_match("tenant_*", "tenant_"));
        assert!(glob_match("tenant_*", "tenant_acme"));
        assert!(!glob_match("tenant_*", "tenants"));
        assert!(!glob_match("tenant_*", "xtenant_a"));
        assert!(glob_match("*_prod", "acme_prod"));
        assert!(!glob_match("*_prod", "acme_prod2"));
        assert!(glob_match("a*b*c", "abc"));
        assert!(glob_match("a*b*c", "a_x_b_y_c"));
        assert!(!glob_match("a*b*c", "acb"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
        // `_` and `%` are not wildcards, as they would be in LIKE.
        assert!(!glob_match("a_c", "abc"));
        assert!(!glob_match("a%", "abc"));
        // The last part may not reuse what the middle consumed.
        assert!(!glob_match("ab*ba", "aba"));
    }
}
