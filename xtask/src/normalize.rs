//! `cargo xtask corpus normalize`: proof that the two loaders agree.
//!
//! For every case that counts, the case's `desired` SQL is applied to a fresh database
//! on the server the URL names (the dev-database loader creates and drops it; for
//! SQLite each case gets its own in-memory database), the database is inspected, and
//! the result is compared with the offline load of the same SQL. Differences print as
//! `object: attribute: offline | live`.
//!
//! Where the server rejects `desired` as written (statements out of dependency order,
//! which sqldef accepts because it sorts them), the database is built from the
//! dependency-ordered SQL that `sextant inspect` prints for the offline model instead,
//! as the corpus README prescribes; those cases are counted on their own line.

use crate::corpus::{self, Case, Failure, Outcome, Side};
use crate::error::{Context as _, Result};
use schema_inspect::live::{self, InspectError, InspectOptions};
use schema_inspect::{Source, load_sources};
use schema_model::{Dialect, compare};
use sqlx::{AssertSqlSafe, Connection as _};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `corpus normalize`.
#[derive(Debug, clap::Args)]
pub struct NormalizeArgs {
    /// Corpus files (JSON Lines). Cases of other dialects than the server's are skipped.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The server: `postgres://postgres@127.0.0.1:5432/postgres`,
    /// `mysql://root@127.0.0.1:3306/mysql`, or `sqlite::memory:`.
    #[arg(long)]
    url: String,
    /// How many cases run at once.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// Exit with a failure status when any case fails.
    #[arg(long)]
    strict: bool,
    /// Also print passing cases, and every difference of a failing case (not just the
    /// first ten).
    #[arg(long)]
    verbose: bool,
    /// Only the cases whose id contains this text.
    #[arg(long)]
    filter: Option<String>,
}

/// What the harness knows about the server under test.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub(crate) dialect: Dialect,
    /// `postgres`, `mysql`, `mariadb` or `sqlite`.
    pub(crate) flavor: &'static str,
    pub(crate) version: String,
    /// PostgreSQL: the extensions the server can install.
    pub(crate) extensions: BTreeSet<String>,
}

/// The roles sqldef's PostgreSQL cases grant to (`sqldef/README.md`). They are
/// cluster-wide, so the harness creates them once, before any case runs.
const SQLDEF_ROLES: [&str; 26] = [
    "readonly_user",
    "app_user",
    "admin_role",
    "user-with-dash",
    "user.with.dot",
    "user with spaces",
    "CamelCaseUser",
    "UPPERCASE_USER",
    "user1",
    "user2",
    "user3",
    "user4",
    "My User",
    "reader",
    "writer",
    "admin",
    "reader1",
    "reader2",
    "writer1",
    "writer2",
    "role1",
    "role2",
    "power_user",
    "user@domain.com",
    "psqldef_user",
    "sqldef_user",
];

/// Runs `corpus normalize`.
pub fn run(args: &NormalizeArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run_async(args))
}

async fn run_async(args: &NormalizeArgs) -> Result<ExitCode> {
    let mut cases = corpus::read_cases(&args.files)?;
    if let Some(filter) = &args.filter {
        cases.retain(|case| case.id.contains(filter.as_str()));
    }
    let server = Arc::new(server_info(&args.url).await?);
    if server.dialect == Dialect::Postgres {
        create_roles(&args.url).await?;
    }
    let url: Arc<str> = Arc::from(args.url.as_str());
    let semaphore = Arc::new(tokio::sync::Semaphore::new(args.jobs.max(1)));
    let named_database = Arc::new(tokio::sync::Mutex::new(()));
    let mut tasks = tokio::task::JoinSet::new();
    for case in cases.iter().cloned() {
        let (server, url, semaphore) = (server.clone(), url.clone(), semaphore.clone());
        let verbose = args.verbose;
        let named = named_database.clone();
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            // Cases that create a database of a fixed name cannot overlap on one server.
            let needs_name = case.dialect == Dialect::Mysql && mysql_database(&case).is_some();
            let _named = if needs_name {
                Some(named.lock_owned().await)
            } else {
                None
            };
            let outcome = match skip_reason(&case, &server) {
                Some(reason) => Checked::Plain(Outcome::Skip(reason)),
                None => check(&case, &server, &url, verbose).await,
            };
            (case.id, outcome)
        });
    }
    let mut outcomes: HashMap<String, Checked> = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (id, outcome) = joined.context("a case's task failed")?;
        outcomes.insert(id, outcome);
    }
    let reordered = outcomes
        .values()
        .filter(|o| matches!(o, Checked::Reordered(Outcome::Pass)))
        .count();
    let tally = corpus::run(
        &cases,
        args.verbose,
        |_| None,
        |case| match outcomes.remove(&case.id) {
            Some(Checked::Plain(outcome) | Checked::Reordered(outcome)) => outcome,
            None => Outcome::Fail(vec![Failure {
                side: Side::Desired,
                message: "the case was not run".to_owned(),
            }]),
        },
    )?;
    println!(
        "({reordered} of the passing cases were applied as dependency-ordered SQL, because \
         the server rejects the statement order as written)"
    );
    Ok(if args.strict && tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// An outcome, and whether the database had to be built from the ordered SQL.
enum Checked {
    Plain(Outcome),
    Reordered(Outcome),
}

/// Why a case does not count on this server, or `None`.
pub(crate) fn skip_reason(case: &Case, server: &Server) -> Option<String> {
    if case.dialect != server.dialect {
        return Some(format!(
            "a {} case, the server is {}",
            case.dialect.as_str(),
            server.flavor
        ));
    }
    if case.has_caveat("offline_only") {
        return Some("offline_only".to_owned());
    }
    if let Some(flavor) = &case.flavor {
        let matches = match flavor.strip_prefix('!') {
            Some(not) => not != server.flavor,
            None if flavor == "pgvector" => true, // an extension, checked below
            None => flavor == server.flavor,
        };
        if !matches {
            return Some(format!("flavor {flavor}, the server is {}", server.flavor));
        }
    }
    if let Some(reason) = corpus::version_skip_reason(case, &server.version) {
        return Some(reason);
    }
    let mut needed: Vec<&str> = case
        .caveats
        .iter()
        .filter_map(|c| c.strip_prefix("requires_extension:"))
        .collect();
    if case.flavor.as_deref() == Some("pgvector") {
        needed.push("vector");
    }
    // sqldef settings (`managed_roles`, `enable_drop_false`, ...) shape the migration,
    // not the desired schema, so they do not keep a case from counting here.
    needed
        .into_iter()
        .find(|extension| !server.extensions.contains(*extension))
        .map(|extension| format!("requires_extension:{extension}, which the server does not offer"))
}

/// The first server version of each MySQL flavor with the VECTOR type. A case that
/// uses VECTOR cannot run on an older server even when its `min_version` is unset:
/// sqldef runs its MariaDB file on the newest MariaDB, so its VECTOR cases name no
/// version, and 10.11 rejects them as a syntax error. Judged from what the offline
/// model holds, so it applies to any case that uses the type, whatever its name.
const VECTOR_INTRODUCED: [(&str, &str); 2] = [("mariadb", "11.7"), ("mysql", "9.0")];

/// Why the server is too old for a type the offline model of the case uses, or `None`.
pub(crate) fn feature_version_skip_reason(
    offline: &schema_model::Realm,
    server: &Server,
) -> Option<String> {
    let (_, introduced) = VECTOR_INTRODUCED
        .iter()
        .find(|(flavor, _)| *flavor == server.flavor)?;
    let uses_vector = offline
        .schemas
        .values()
        .flat_map(|schema| schema.tables.values())
        .flat_map(|table| &table.columns)
        .any(|column| matches!(column.data_type, schema_model::DataType::Vector(_)));
    (uses_vector && corpus::compare_versions(&server.version, introduced).is_lt()).then(|| {
        format!(
            "uses the VECTOR type, which needs server version {introduced} or later, have {}",
            server.version
        )
    })
}

/// The statements a case runs after, read by both loaders so both see the same schema:
/// - sqldef's PostgreSQL `non_default_user` cases run as a role whose search path is
///   `foo, public`, in a database where schema `foo` exists;
/// - MySQL cases run in a database of a fixed name: `mysqldef_test` for sqldef (its
///   views spell it out), the case's `database` for real-world ones. Both loaders read
///   the database `USE` selects as the default schema.
///
/// (`sqldef/README.md`, "Prepare the server".)
pub(crate) fn prelude(case: &Case) -> Option<Source> {
    match case.dialect {
        Dialect::Postgres if case.has_caveat("non_default_user") || case.user.is_some() => {
            Some(Source::new(
                "prelude.sql",
                "CREATE SCHEMA foo;\nSET search_path = foo, public;\n",
            ))
        }
        Dialect::Mysql => mysql_database(case).map(|database| {
            let quoted = format!("`{}`", database.replace('`', "``"));
            Source::new(
                "prelude.sql",
                format!("CREATE DATABASE {quoted};\nUSE {quoted};\n"),
            )
        }),
        _ => None,
    }
}

/// The database a MySQL case must run in, if it names one.
pub(crate) fn mysql_database(case: &Case) -> Option<&str> {
    case.database
        .as_deref()
        .or_else(|| (case.source == "sqldef").then_some("mysqldef_test"))
}

async fn check(case: &Case, server: &Server, url: &str, verbose: bool) -> Checked {
    let mut sources: Vec<Source> = prelude(case).into_iter().collect();
    sources.push(Source::new("desired.sql", case.desired.clone()));
    let offline = match load_sources(&sources, &case.load_options()) {
        Ok(loaded) => loaded.realm,
        Err(error) => return Checked::Plain(fail(format!("offline: {error}"))),
    };
    if let Some(reason) = feature_version_skip_reason(&offline, server) {
        return Checked::Plain(Outcome::Skip(reason));
    }
    let options = InspectOptions::default();
    let (live, reordered) = match live::load_dev(url, &sources, &options).await {
        Ok(realm) => (realm, false),
        Err(InspectError::Apply { location, message }) => {
            // sqldef accepts statements in any order; the server does not. Build the
            // database from the ordered SQL the offline model prints.
            let mut ordered: Vec<Source> = prelude(case).into_iter().collect();
            ordered.push(Source::new(
                "ordered.sql",
                schema_plan::render_script(&offline),
            ));
            match live::load_dev(url, &ordered, &options).await {
                Ok(realm) => (realm, true),
                Err(second) => {
                    return Checked::Plain(fail(format!(
                        "applying desired: {location}: {} (and as ordered SQL: {})",
                        corpus::first_line(&message),
                        corpus::first_line(&second.to_string())
                    )));
                }
            }
        }
        Err(error) => return Checked::Plain(fail(format!("live: {error}"))),
    };
    let differences = compare(&offline, &live);
    let outcome = if differences.is_empty() {
        Outcome::Pass
    } else {
        let shown = if verbose { differences.len() } else { 10 };
        let mut message = format!("{} differences (offline | live)", differences.len());
        for difference in differences.iter().take(shown) {
            message.push_str(&format!("\n    {difference}"));
        }
        fail(message)
    };
    if reordered {
        Checked::Reordered(outcome)
    } else {
        Checked::Plain(outcome)
    }
}

fn fail(message: String) -> Outcome {
    Outcome::Fail(vec![Failure {
        side: Side::Desired,
        message,
    }])
}

/// Reads the server's dialect, flavor, version and available extensions.
pub(crate) async fn server_info(url: &str) -> Result<Server> {
    let dialect = live::url_dialect(url).context("--url")?;
    let target = live::redact_url(url);
    match dialect {
        Dialect::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let version: String = sqlx::query_scalar("SHOW server_version")
                .fetch_one(&mut conn)
                .await
                .context("reading the server version")?;
            let extensions: Vec<String> =
                sqlx::query_scalar("SELECT name::text FROM pg_available_extensions")
                    .fetch_all(&mut conn)
                    .await
                    .context("reading the available extensions")?;
            Ok(Server {
                dialect,
                flavor: "postgres",
                version: version
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                extensions: extensions.into_iter().collect(),
            })
        }
        Dialect::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let version: String = sqlx::query_scalar("SELECT VERSION()")
                .fetch_one(&mut conn)
                .await
                .context("reading the server version")?;
            let flavor = if version.to_lowercase().contains("mariadb") {
                "mariadb"
            } else {
                "mysql"
            };
            Ok(Server {
                dialect,
                flavor,
                version,
                extensions: BTreeSet::new(),
            })
        }
        Dialect::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
                .await
                .context("opening an in-memory SQLite database")?;
            let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                .fetch_one(&mut conn)
                .await
                .context("reading the SQLite version")?;
            Ok(Server {
                dialect,
                flavor: "sqlite",
                version,
                extensions: BTreeSet::new(),
            })
        }
    }
}

/// Creates sqldef's roles on a PostgreSQL server where they do not exist yet.
pub(crate) async fn create_roles(url: &str) -> Result<()> {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .with_context(|| format!("connecting to {}", live::redact_url(url)))?;
    for role in SQLDEF_ROLES {
        let quoted = format!("\"{}\"", role.replace('"', "\"\""));
        // A concurrent run may create the role between the check and the CREATE; the
        // exception handler makes that harmless.
        let sql = format!(
            "DO $$ BEGIN CREATE ROLE {quoted} LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        );
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .with_context(|| format!("creating role {role}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(dialect: Dialect, flavor: Option<&str>, caveats: &[&str]) -> Case {
        Case {
            id: "t".into(),
            dialect,
            current: String::new(),
            desired: String::new(),
            caveats: caveats.iter().map(|c| (*c).to_owned()).collect(),
            flavor: flavor.map(str::to_owned),
            user: None,
            min_version: None,
            max_version: None,
            source: "sqldef".into(),
            database: None,
            expects_error: false,
        }
    }

    fn mariadb() -> Server {
        Server {
            dialect: Dialect::Mysql,
            flavor: "mariadb",
            version: "10.11.19-MariaDB".into(),
            extensions: BTreeSet::new(),
        }
    }

    #[test]
    fn vector_cases_need_a_server_with_vector() -> Result<()> {
        let options = schema_inspect::LoadOptions::new(Dialect::Mysql);
        let with_vector = schema_inspect::load_sql(
            "CREATE TABLE v (id int PRIMARY KEY, embedding VECTOR(3) NOT NULL);",
            "v.sql",
            &options,
        )
        .context("loading the VECTOR table")?
        .realm;
        let without =
            schema_inspect::load_sql("CREATE TABLE v (id int PRIMARY KEY);", "v.sql", &options)
                .context("loading the plain table")?
                .realm;
        let old = mariadb();
        assert_eq!(
            feature_version_skip_reason(&with_vector, &old).as_deref(),
            Some(
                "uses the VECTOR type, which needs server version 11.7 or later, have 10.11.19-MariaDB"
            )
        );
        assert_eq!(feature_version_skip_reason(&without, &old), None);
        let new = Server {
            version: "11.8.2-MariaDB".into(),
            ..mariadb()
        };
        assert_eq!(feature_version_skip_reason(&with_vector, &new), None);
        Ok(())
    }

    #[test]
    fn flavors_follow_the_corpus_rules() {
        let server = mariadb();
        assert_eq!(skip_reason(&case(Dialect::Mysql, None, &[]), &server), None);
        assert_eq!(
            skip_reason(&case(Dialect::Mysql, Some("mariadb"), &[]), &server),
            None
        );
        assert_eq!(
            skip_reason(&case(Dialect::Mysql, Some("!tidb"), &[]), &server),
            None
        );
        assert!(skip_reason(&case(Dialect::Mysql, Some("mysql"), &[]), &server).is_some());
        assert!(skip_reason(&case(Dialect::Mysql, Some("!mariadb"), &[]), &server).is_some());
        assert!(skip_reason(&case(Dialect::Postgres, None, &[]), &server).is_some());
    }

    #[test]
    fn extensions_and_settings_skip_with_their_names() {
        let server = Server {
            dialect: Dialect::Postgres,
            flavor: "postgres",
            version: "15.19".into(),
            extensions: ["postgis".to_owned()].into(),
        };
        assert_eq!(
            skip_reason(
                &case(Dialect::Postgres, None, &["requires_extension:postgis"]),
                &server
            ),
            None
        );
        assert_eq!(
            skip_reason(&case(Dialect::Postgres, Some("pgvector"), &[]), &server).as_deref(),
            Some("requires_extension:vector, which the server does not offer")
        );
        assert_eq!(
            skip_reason(
                &case(Dialect::Postgres, None, &["manage_privilege"]),
                &server
            ),
            None,
            "a migration setting does not change the desired schema"
        );
        assert_eq!(
            skip_reason(
                &case(Dialect::Postgres, None, &["rename_annotation"]),
                &server
            ),
            None,
            "rename hints are ours to honour, so those cases count"
        );
    }
}
