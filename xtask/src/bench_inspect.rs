//! `cargo xtask bench-inspect`: how live inspection compares with the servers' own dump
//! tools on generated schemas (PostgreSQL, MariaDB/MySQL) and on MusicBrainz.
//!
//! For each input a database is created whose name encodes the input (size and seed), the
//! SQL is loaded into it with the server's command-line client (not timed), and then
//! `--runs` rounds are timed, each running Sextant's inspection and the dump tool once,
//! in alternating order so that a burst of load on the shared machine hits both sides.
//!
//! Both sides are measured the same way: the wall time of a fresh process, from spawn to
//! exit, connection and process start-up included. The dump tool cannot be measured any
//! other way, so the inspection is too: the hidden `measure-inspect` task inspects the
//! database once in its own process, on the current-thread runtime the CLI uses, and
//! prints the time it spent inside (connect to realm built), its peak RSS (`VmHWM`: a
//! fresh process, so no earlier, larger inspection hides it) and the realm's object
//! counts. The counts are checked against the catalog, so a run that did not read the
//! schema cannot pass for a fast one.
//!
//! One untimed round comes first, so that the server's caches and the page cache are as
//! warm for the first timed round as for the last.
//!
//! A database is dropped after its input is measured unless `--keep` is given. A kept
//! database is reused by the next run only if it carries the marker comment written after
//! a load completed, with the fingerprint of the same SQL; otherwise it is rebuilt.

use crate::corpus;
use crate::error::{Context as _, Error, Result};
use crate::gen_schema::{GenOptions, generate};
use crate::measure::{
    ChildReport, default_real_world_cases, group, median, proc_status_kib, verdict,
};
use schema_inspect::live::{self, InspectOptions};
use schema_model::Dialect;
use schema_model::quote::quote_ident as quote;
use sqlx::{AssertSqlSafe, Connection as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The corpus case whose `desired` text is MusicBrainz's whole schema.
const MUSICBRAINZ_CASE: &str = "musicbrainz/postgres#create";
/// PostgreSQL sizes measured when no input is named.
const DEFAULT_POSTGRES_TABLES: [usize; 4] = [500, 1000, 2000, 5000];
/// MariaDB/MySQL sizes measured when no input is named.
const DEFAULT_MYSQL_TABLES: [usize; 1] = [1000];
/// The targets of the issue ("Speed"); printed, never enforced.
const TARGET_RATIO: f64 = 1.0;
/// Peak RSS of the inspecting process at the largest PostgreSQL size.
const TARGET_PEAK_MIB: f64 = 200.0;
/// The size the PostgreSQL time and memory targets are set at.
const TARGET_POSTGRES_TABLES: usize = 5000;
/// The size the MariaDB/MySQL target is set at.
const TARGET_MYSQL_TABLES: usize = 1000;
/// Written on a database after its load completed: `<prefix><fingerprint of the SQL>`.
const MARKER_PREFIX: &str = "sextant bench-inspect: loaded ";
/// The environment variable that hands the URL to `measure-inspect`, so that a password
/// in it does not show in the process list.
const URL_VARIABLE: &str = "SEXTANT_BENCH_INSPECT_URL";

/// Arguments of `bench-inspect`.
#[derive(Debug, clap::Args)]
pub struct BenchInspectArgs {
    /// The PostgreSQL server (any database on it: the benchmark creates its own).
    /// Host, port, user and password are used; query parameters are not.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,
    /// The MariaDB/MySQL server (any database on it).
    #[arg(long, default_value = "mysql://root@127.0.0.1:3306/mysql")]
    mysql_url: String,
    /// PostgreSQL: table counts to generate, comma-separated [default: 500,1000,2000,5000
    /// when none of --tables, --mysql-tables, --musicbrainz is given].
    #[arg(long, value_delimiter = ',')]
    tables: Vec<usize>,
    /// MariaDB/MySQL: table counts to generate [default: 1000 when none of --tables,
    /// --mysql-tables, --musicbrainz is given].
    #[arg(long, value_delimiter = ',')]
    mysql_tables: Vec<usize>,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed rounds per input (each: one inspection, one dump), after one untimed round.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Also measure MusicBrainz (the `desired` of `musicbrainz/postgres#create`) on
    /// PostgreSQL.
    #[arg(long)]
    musicbrainz: bool,
    /// Keep the databases (the next run reuses them instead of loading again).
    #[arg(long)]
    keep: bool,
    /// The real-world corpus file holding the MusicBrainz case.
    #[arg(long, default_value_os_t = default_real_world_cases())]
    corpus: PathBuf,
}

/// Arguments of the hidden `measure-inspect` task. The URL comes in the environment
/// variable `SEXTANT_BENCH_INSPECT_URL`.
#[derive(Debug, clap::Args)]
pub struct MeasureInspectArgs {}

/// A server URL taken apart for the command-line clients, which take no URLs (MariaDB's)
/// or take them with the same parts (`psql`, `pg_dump`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    dialect: Dialect,
    /// The URL as given, for the inspector.
    url: String,
    host: String,
    port: Option<u16>,
    user: Option<String>,
    password: Option<String>,
}

impl Server {
    fn parse(url: &str) -> Result<Server> {
        let dialect = live::url_dialect(url).context("the server URL")?;
        let redacted = live::redact_url(url);
        let rest = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .ok_or_else(|| Error::new(format!("{redacted}: expected scheme://host")))?;
        let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let (user, password) = match userinfo.map(|u| u.split_once(':').unwrap_or((u, ""))) {
            Some((user, password)) => (
                Some(percent_decode(user)).filter(|u| !u.is_empty()),
                Some(percent_decode(password)).filter(|p| !p.is_empty()),
            ),
            None => (None, None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            // `[::1]:5432`, `host:5432`; a bare IPv6 literal keeps its colons.
            Some((host, port)) if !port.contains(']') => (
                host,
                Some(
                    port.parse::<u16>()
                        .with_context(|| format!("{redacted}: the port"))?,
                ),
            ),
            _ => (hostport, None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Ok(Server {
            dialect,
            url: url.to_owned(),
            host: if host.is_empty() {
                "127.0.0.1".to_owned()
            } else {
                host.to_owned()
            },
            port,
            user,
            password,
        })
    }

    /// The URL with its database replaced, query parameters kept.
    fn url_for(&self, database: &str) -> String {
        let (scheme, rest) = self.url.split_once("://").unwrap_or(("", &self.url));
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let query = rest[authority_end..]
            .find('?')
            .map_or("", |at| &rest[authority_end + at..]);
        format!("{scheme}://{}/{database}{query}", &rest[..authority_end])
    }

    /// A client command with host, port, user and password (in the environment, where
    /// both clients look for it) set.
    fn client(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        match self.dialect {
            Dialect::Mysql => {
                command.arg(format!("-h{}", self.host));
                if let Some(port) = self.port {
                    command.arg(format!("-P{port}"));
                }
                if let Some(user) = &self.user {
                    command.arg(format!("-u{user}"));
                }
                if let Some(password) = &self.password {
                    command.env("MYSQL_PWD", password);
                }
            }
            _ => {
                command.arg("-h").arg(&self.host);
                if let Some(port) = self.port {
                    command.arg("-p").arg(port.to_string());
                }
                if let Some(user) = &self.user {
                    command.arg("-U").arg(user);
                }
                if let Some(password) = &self.password {
                    command.env("PGPASSWORD", password);
                }
            }
        }
        command
    }

    /// The dump command for a database, its output discarded, as the issue states it:
    /// `pg_dump --schema-only -h … -U … -f /dev/null db`,
    /// `mariadb-dump --no-data -h… -u… db > /dev/null`.
    fn dump(&self, database: &str, tools: &Tools) -> Command {
        let mut command;
        match self.dialect {
            Dialect::Mysql => {
                command = self.client(&tools.mysql_dump);
                command.arg("--no-data").arg(database);
            }
            _ => {
                command = self.client("pg_dump");
                command
                    .arg("--schema-only")
                    .arg("-f")
                    .arg("/dev/null")
                    .arg(database);
            }
        }
        command.stdout(Stdio::null());
        command
    }

    /// The dump command as text, for the report.
    fn dump_text(&self, tools: &Tools) -> String {
        let command = self.dump("DB", tools);
        let mut text = command.get_program().to_string_lossy().into_owned();
        for arg in command.get_args() {
            text.push(' ');
            text.push_str(&arg.to_string_lossy());
        }
        if self.dialect == Dialect::Mysql {
            text.push_str(" > /dev/null");
        }
        text
    }
}

/// `%XX` escapes decoded; anything malformed kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The client programs found on the PATH.
struct Tools {
    /// `mariadb-dump`, or `mysqldump` where only that exists.
    mysql_dump: String,
    /// `mariadb`, or `mysql`.
    mysql_client: String,
}

impl Tools {
    fn find() -> Tools {
        let first = |names: [&str; 2]| {
            names
                .iter()
                .find(|name| on_path(name))
                .unwrap_or(&names[0])
                .to_string()
        };
        Tools {
            mysql_dump: first(["mariadb-dump", "mysqldump"]),
            mysql_client: first(["mariadb", "mysql"]),
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// One input to measure: the SQL and the database to load it into.
struct Input {
    label: String,
    server: Server,
    database: String,
    sql: String,
    /// The table count the generator promises (`None` for MusicBrainz, whose count comes
    /// from the catalog alone).
    tables: Option<usize>,
}

/// What one input gave.
struct Measured {
    label: String,
    dialect: Dialect,
    tables: usize,
    /// Wall time of each inspecting process.
    inspect: Vec<Duration>,
    /// Time inside each inspecting process, connection to realm.
    inside: Vec<Duration>,
    /// Wall time of each dump process.
    dump: Vec<Duration>,
    /// The highest peak RSS of the inspecting processes, in KiB.
    peak_kib: u64,
    /// What the last inspection found.
    counts: Counts,
}

impl Measured {
    fn ratio(&self) -> f64 {
        median(&self.inspect).as_secs_f64() / median(&self.dump).as_secs_f64().max(1e-9)
    }

    /// The median of each round's inspect/dump ratio: less sensitive to load that changes
    /// between rounds than the ratio of the medians.
    fn paired_ratio(&self) -> f64 {
        let mut ratios: Vec<f64> = self
            .inspect
            .iter()
            .zip(&self.dump)
            .map(|(i, d)| i.as_secs_f64() / d.as_secs_f64().max(1e-9))
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN)
    }

    fn peak_mib(&self) -> f64 {
        self.peak_kib as f64 / 1024.0
    }
}

/// The realm's object counts, as `measure-inspect` prints them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    tables: usize,
    indexes: usize,
    foreign_keys: usize,
    views: usize,
    functions: usize,
    triggers: usize,
}

/// One `measure-inspect` run.
struct Inspection {
    wall: Duration,
    inside: Duration,
    peak_kib: u64,
    counts: Counts,
}

/// Runs `bench-inspect`.
pub fn run(args: &BenchInspectArgs) -> Result<ExitCode> {
    let (mut pg_sizes, mut my_sizes) = (args.tables.clone(), args.mysql_tables.clone());
    if pg_sizes.is_empty() && my_sizes.is_empty() && !args.musicbrainz {
        pg_sizes = DEFAULT_POSTGRES_TABLES.to_vec();
        my_sizes = DEFAULT_MYSQL_TABLES.to_vec();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let tools = Tools::find();
    let postgres = Server::parse(&args.postgres_url).context("--postgres-url")?;
    let mysql = Server::parse(&args.mysql_url).context("--mysql-url")?;
    if postgres.dialect != Dialect::Postgres || mysql.dialect != Dialect::Mysql {
        return Err(Error::new(
            "--postgres-url needs postgres://, --mysql-url mysql:// or mariadb://",
        ));
    }
    println!(
        "bench-inspect: {} build; {} timed rounds per input after an untimed one, inspect and \
         dump alternating; every figure is the wall time of a fresh process",
        if cfg!(debug_assertions) {
            "DEBUG (numbers meaningless)"
        } else {
            "release"
        },
        args.runs
    );
    println!(
        "  machine: {} CPUs, load average {} (shared: timings are noisy)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average().unwrap_or_else(|| "unknown".to_owned())
    );

    let mut inputs = Vec::new();
    for &tables in &pg_sizes {
        inputs.push(generated_input(&postgres, tables, args.seed));
    }
    for &tables in &my_sizes {
        inputs.push(generated_input(&mysql, tables, args.seed));
    }
    if args.musicbrainz {
        inputs.push(musicbrainz_input(&postgres, &args.corpus)?);
    }

    let mut results = Vec::new();
    let mut failed = false;
    for input in &inputs {
        println!(
            "{}: database {} ({} bytes of SQL)",
            input.label,
            input.database,
            group(input.sql.len() as u64)
        );
        let outcome = runtime.block_on(prepare(input, &tools)).and_then(|loaded| {
            if loaded {
                println!("  loaded");
            } else {
                println!("  reused (complete: its marker matches this SQL)");
            }
            measure(input, &tools, args.runs)
        });
        if !args.keep
            && let Err(error) = runtime.block_on(drop_database(&input.server, &input.database))
        {
            println!("  could not drop {}: {error}", input.database);
        }
        match outcome {
            Ok(measured) => {
                print_table(std::slice::from_ref(&measured));
                results.push(measured);
            }
            Err(error) => {
                failed = true;
                println!("  FAILED: {error}");
            }
        }
    }
    if !results.is_empty() {
        println!("summary (seed {}):", args.seed);
        print_table(&results);
        println!(
            "  inspect: `cargo xtask measure-inspect` (connect, read the catalog, build the realm)"
        );
        println!("  in-proc: the same, timed inside the process (no process start-up)");
        if !pg_sizes.is_empty() || args.musicbrainz {
            println!("  PostgreSQL dump: {}", postgres.dump_text(&tools));
        }
        if !my_sizes.is_empty() {
            println!("  MariaDB dump:    {}", mysql.dump_text(&tools));
        }
        print_targets(&results);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn generated_input(server: &Server, tables: usize, seed: u64) -> Input {
    let generated = generate(&GenOptions {
        tables,
        seed,
        dialect: server.dialect,
        mutate_percent: None,
    });
    let short = if server.dialect == Dialect::Mysql {
        "my"
    } else {
        "pg"
    };
    Input {
        label: format!(
            "{} {} tables",
            if server.dialect == Dialect::Mysql {
                "MariaDB"
            } else {
                "PostgreSQL"
            },
            group(tables as u64)
        ),
        server: server.clone(),
        database: format!("sextant_bench_{short}_t{tables}_s{seed}"),
        sql: generated.sql,
        tables: Some(tables),
    }
}

fn musicbrainz_input(server: &Server, corpus_file: &Path) -> Result<Input> {
    let cases = corpus::read_cases(&[corpus_file.to_path_buf()])?;
    let case = cases
        .into_iter()
        .find(|c| c.id == MUSICBRAINZ_CASE)
        .ok_or_else(|| {
            Error::new(format!(
                "no case {MUSICBRAINZ_CASE} in {}",
                corpus_file.display()
            ))
        })?;
    // The SQL runs `CREATE EXTENSION IF NOT EXISTS` for cube, earthdistance and unaccent
    // itself (the case's caveats name the same three), so the server only needs contrib.
    Ok(Input {
        label: "MusicBrainz".to_owned(),
        server: server.clone(),
        database: "sextant_bench_musicbrainz".to_owned(),
        sql: case.desired,
        tables: None,
    })
}

/// FNV-1a, 64 bits: enough to tell whether a kept database holds this very SQL.
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}-{}", text.len())
}

/// Makes sure the input's database holds the input: reuses it when its marker says a
/// load of the same SQL completed, rebuilds it otherwise. Returns whether it loaded.
async fn prepare(input: &Input, tools: &Tools) -> Result<bool> {
    let marker = format!("{MARKER_PREFIX}{}", fingerprint(&input.sql));
    if database_marker(&input.server, &input.database)
        .await?
        .is_some_and(|found| found == marker)
    {
        return Ok(false);
    }
    drop_database(&input.server, &input.database).await?;
    admin_execute(
        &input.server,
        format!(
            "CREATE DATABASE {}",
            quote(input.server.dialect, &input.database)
        ),
    )
    .await?;
    let started = Instant::now();
    load(input, tools)?;
    println!(
        "  load took {:.1} s (not measured)",
        started.elapsed().as_secs_f64()
    );
    // The marker is written last, so a load that failed half-way is never reused.
    let mark = match input.server.dialect {
        Dialect::Mysql => format!(
            "ALTER DATABASE {} COMMENT '{marker}'",
            quote(Dialect::Mysql, &input.database)
        ),
        _ => format!(
            "COMMENT ON DATABASE {} IS '{marker}'",
            quote(Dialect::Postgres, &input.database)
        ),
    };
    admin_execute(&input.server, mark).await?;
    Ok(true)
}

/// Loads the SQL with the server's own client, which also runs MusicBrainz's psql
/// meta-commands (`\set ON_ERROR_STOP 1`).
fn load(input: &Input, tools: &Tools) -> Result<()> {
    let file = std::env::temp_dir().join(format!(
        "sextant-bench-inspect-{}-{}.sql",
        std::process::id(),
        input.database
    ));
    std::fs::write(&file, &input.sql).with_context(|| format!("writing {}", file.display()))?;
    let output = match input.server.dialect {
        Dialect::Mysql => {
            let mut command = input.server.client(&tools.mysql_client);
            command.arg("--batch").arg(&input.database);
            std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))
                .and_then(|sql| {
                    command
                        .stdin(sql)
                        .output()
                        .with_context(|| format!("running {}", tools.mysql_client))
                })
        }
        _ => {
            let mut command = input.server.client("psql");
            command
                .args([
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    &input.database,
                    "-f",
                ])
                .arg(&file)
                // Loading is not measured: no need to wait for the disk on every commit,
                // nor to read a NOTICE per implicit index.
                .env(
                    "PGOPTIONS",
                    "-c synchronous_commit=off -c client_min_messages=warning",
                );
            command.output().context("running psql")
        }
    };
    let _ = std::fs::remove_file(&file);
    let output = output?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // MusicBrainz turns ON_ERROR_STOP off in places, so an error may not fail psql.
    let error_line = stderr.lines().find(|line| line.contains("ERROR"));
    if !output.status.success() || error_line.is_some() {
        return Err(Error::new(format!(
            "loading into {} failed ({}): {}",
            input.database,
            output.status,
            error_line.unwrap_or_else(|| stderr.trim())
        )));
    }
    Ok(())
}

/// The marker comment of a database: `None` when the database does not exist.
async fn database_marker(server: &Server, database: &str) -> Result<Option<String>> {
    let target = live::redact_url(&server.url);
    match server.dialect {
        Dialect::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(&server.url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let comment: Option<Option<String>> = sqlx::query_scalar(
                "SELECT CAST(SCHEMA_COMMENT AS CHAR) FROM information_schema.SCHEMATA \
                 WHERE SCHEMA_NAME = ?",
            )
            .bind(database)
            .fetch_optional(&mut conn)
            .await
            .context("reading the database's comment")?;
            let _ = conn.close().await;
            Ok(comment.map(Option::unwrap_or_default))
        }
        _ => {
            let mut conn = sqlx::PgConnection::connect(&server.url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let comment: Option<Option<String>> = sqlx::query_scalar(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database \
                 WHERE datname = $1",
            )
            .bind(database)
            .fetch_optional(&mut conn)
            .await
            .context("reading the database's comment")?;
            let _ = conn.close().await;
            Ok(comment.map(Option::unwrap_or_default))
        }
    }
}

async fn drop_database(server: &Server, database: &str) -> Result<()> {
    let sql = match server.dialect {
        Dialect::Mysql => format!(
            "DROP DATABASE IF EXISTS {}",
            quote(Dialect::Mysql, database)
        ),
        _ => format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote(Dialect::Postgres, database)
        ),
    };
    admin_execute(server, sql).await
}

/// Runs one statement on the URL's own database.
async fn admin_execute(server: &Server, sql: String) -> Result<()> {
    let target = live::redact_url(&server.url);
    let what = sql.clone();
    let result = match server.dialect {
        Dialect::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(&server.url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let result = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await;
            let _ = conn.close().await;
            result.map(drop)
        }
        _ => {
            let mut conn = sqlx::PgConnection::connect(&server.url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let result = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await;
            let _ = conn.close().await;
            result.map(drop)
        }
    };
    result.with_context(|| format!("{target}: {what}"))
}

/// The tables the catalog holds, counted as the corpus README counts them: PostgreSQL
/// relkinds `r`, `p`, `f` outside the system schemas and not owned by an extension;
/// MariaDB's base tables.
async fn catalog_tables(server: &Server, database: &str) -> Result<usize> {
    let url = server.url_for(database);
    let target = live::redact_url(&url);
    let count: i64 = match server.dialect {
        Dialect::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(&url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let count = sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
            )
            .bind(database)
            .fetch_one(&mut conn)
            .await;
            let _ = conn.close().await;
            count.context("counting the tables")?
        }
        _ => {
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .with_context(|| format!("connecting to {target}"))?;
            let count = sqlx::query_scalar(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p', 'f') \
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' \
                   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                       AND d.objid = c.oid AND d.deptype = 'e')",
            )
            .fetch_one(&mut conn)
            .await;
            let _ = conn.close().await;
            count.context("counting the tables")?
        }
    };
    usize::try_from(count).context("the table count")
}

/// The untimed round, then the timed ones, then the sanity check.
fn measure(input: &Input, tools: &Tools, runs: u32) -> Result<Measured> {
    let url = input.server.url_for(&input.database);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let expected = runtime.block_on(catalog_tables(&input.server, &input.database))?;
    if let Some(generated) = input.tables
        && generated != expected
    {
        return Err(Error::new(format!(
            "the catalog holds {expected} tables, the generator wrote {generated}"
        )));
    }
    let warm_up = inspect_in_child(&url)?;
    check_counts(&warm_up.counts, expected)?;
    dump(&input.server, &input.database, tools)?;

    let mut measured = Measured {
        label: input.label.clone(),
        dialect: input.server.dialect,
        tables: expected,
        inspect: Vec::new(),
        inside: Vec::new(),
        dump: Vec::new(),
        peak_kib: 0,
        counts: warm_up.counts,
    };
    for round in 0..runs {
        // Alternate which side goes first, so neither always follows the other's
        // disturbance of the caches.
        let (inspection, dumped) = if round % 2 == 0 {
            let inspection = inspect_in_child(&url)?;
            (inspection, dump(&input.server, &input.database, tools)?)
        } else {
            let dumped = dump(&input.server, &input.database, tools)?;
            (inspect_in_child(&url)?, dumped)
        };
        check_counts(&inspection.counts, expected)?;
        measured.inspect.push(inspection.wall);
        measured.inside.push(inspection.inside);
        measured.peak_kib = measured.peak_kib.max(inspection.peak_kib);
        measured.counts = inspection.counts;
        measured.dump.push(dumped);
    }
    Ok(measured)
}

/// Nothing counts as an inspection that did not read every table.
fn check_counts(counts: &Counts, expected: usize) -> Result<()> {
    if counts.tables == expected {
        Ok(())
    } else {
        Err(Error::new(format!(
            "the inspection found {} tables, the catalog holds {expected}",
            counts.tables
        )))
    }
}

/// One dump, its output discarded; its wall time.
fn dump(server: &Server, database: &str, tools: &Tools) -> Result<Duration> {
    let mut command = server.dump(database, tools);
    command.stderr(Stdio::piped());
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("running {}", command.get_program().to_string_lossy()))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(Error::new(format!(
            "{} failed ({}): {}",
            command.get_program().to_string_lossy(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(elapsed)
}

/// One inspection in a fresh `measure-inspect` process: its wall time and what it
/// printed.
fn inspect_in_child(url: &str) -> Result<Inspection> {
    let exe = std::env::current_exe().context("finding this program")?;
    let mut command = Command::new(exe);
    command.arg("measure-inspect").env(URL_VARIABLE, url);
    let started = Instant::now();
    let report = ChildReport::run("measure-inspect", &mut command)?;
    let wall = started.elapsed();
    let field = |key: &str| report.field(key);
    let count = |key: &str| -> Result<usize> {
        usize::try_from(field(key)?).with_context(|| format!("measure-inspect's {key}"))
    };
    Ok(Inspection {
        wall,
        inside: Duration::from_micros(field("inside_us")?),
        peak_kib: field("hwm_kib")?,
        counts: Counts {
            tables: count("tables")?,
            indexes: count("indexes")?,
            foreign_keys: count("foreign_keys")?,
            views: count("views")?,
            functions: count("functions")?,
            triggers: count("triggers")?,
        },
    })
}

/// The hidden `measure-inspect` task: inspects the database `SEXTANT_BENCH_INSPECT_URL`
/// names once, on the current-thread runtime `sextant inspect --url` uses, and prints
/// `inside_us=… hwm_kib=… tables=… …`.
pub fn measure_inspect(_args: &MeasureInspectArgs) -> Result<ExitCode> {
    let url = std::env::var(URL_VARIABLE).with_context(|| format!("reading {URL_VARIABLE}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let started = Instant::now();
    let realm = runtime
        .block_on(live::inspect_url(&url, &InspectOptions::default()))
        .context("inspecting")?;
    let inside = started.elapsed();
    let peak = proc_status_kib("VmHWM")?;
    let stats = realm.stats();
    println!(
        "inside_us={} hwm_kib={peak} tables={} indexes={} foreign_keys={} views={} \
         functions={} triggers={}",
        inside.as_micros(),
        stats.tables,
        stats.indexes,
        stats.foreign_keys,
        stats.views,
        stats.functions,
        stats.triggers
    );
    // Freeing the realm is not part of inspecting, and the peak was read above.
    drop(realm);
    Ok(ExitCode::SUCCESS)
}

/// The 1-, 5- and 15-minute load averages.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn min(durations: &[Duration]) -> Duration {
    durations.iter().min().copied().unwrap_or_default()
}

fn print_table(results: &[Measured]) {
    let row = |cells: [&str; 10]| {
        println!(
            "  {:<24} {:>7} {:>19} {:>9} {:>19} {:>7} {:>7} {:>9}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8]
        );
        if !cells[9].is_empty() {
            println!("  {:<24} {}", "", cells[9]);
        }
    };
    row([
        "input",
        "tables",
        "inspect med / min",
        "in-proc",
        "dump med / min",
        "ratio",
        "paired",
        "peak RSS",
        "found",
        "",
    ]);
    for m in results {
        let c = &m.counts;
        row([
            &m.label,
            &group(m.tables as u64),
            &format!(
                "{} / {}",
                millis(median(&m.inspect)),
                millis(min(&m.inspect))
            ),
            &millis(median(&m.inside)),
            &format!("{} / {}", millis(median(&m.dump)), millis(min(&m.dump))),
            &format!("{:.2}", m.ratio()),
            &format!("{:.2}", m.paired_ratio()),
            &format!("{:.1} MiB", m.peak_mib()),
            &format!(
                "{} idx, {} FKs, {} views, {} fns, {} trg",
                c.indexes, c.foreign_keys, c.views, c.functions, c.triggers
            ),
            "",
        ]);
    }
    println!(
        "  times in ms; ratio: median inspect / median dump; paired: median of each round's \
         inspect / dump"
    );
}

fn print_targets(results: &[Measured]) {
    println!("targets (on wall time, which other work on the machine inflates):");
    let postgres: Vec<&Measured> = results
        .iter()
        .filter(|m| m.dialect == Dialect::Postgres && m.label.ends_with("tables"))
        .collect();
    for m in &postgres {
        if m.tables == TARGET_POSTGRES_TABLES {
            println!(
                "  PostgreSQL {} tables: inspect ≤ {TARGET_RATIO:.1}× pg_dump: {} ({:.2}×); \
                 peak RSS < {TARGET_PEAK_MIB} MB: {} ({:.1} MiB)",
                group(m.tables as u64),
                verdict(m.ratio() <= TARGET_RATIO),
                m.ratio(),
                verdict(m.peak_mib() < TARGET_PEAK_MIB),
                m.peak_mib()
            );
        }
    }
    for m in results {
        if m.dialect == Dialect::Mysql && m.tables == TARGET_MYSQL_TABLES {
            println!(
                "  MariaDB {} tables: inspect ≤ {TARGET_RATIO:.1}× mariadb-dump: {} ({:.2}×)",
                group(m.tables as u64),
                verdict(m.ratio() <= TARGET_RATIO),
                m.ratio()
            );
        }
        if m.label == "MusicBrainz" {
            println!(
                "  MusicBrainz: inspect < pg_dump: {} ({:.2}×)",
                verdict(m.ratio() < TARGET_RATIO),
                m.ratio()
            );
        }
    }
    if let (Some(small), Some(large)) = (
        postgres.iter().min_by_key(|m| m.tables),
        postgres.iter().max_by_key(|m| m.tables),
    ) && large.tables > small.tables
    {
        let growth = |f: fn(&Measured) -> &[Duration]| {
            median(f(large)).as_secs_f64() / median(f(small)).as_secs_f64().max(1e-9)
        };
        println!(
            "  PostgreSQL growth {} → {} tables (×{:.1}): inspect ×{:.1} (in-process ×{:.1}), \
             pg_dump ×{:.1}",
            group(small.tables as u64),
            group(large.tables as u64),
            large.tables as f64 / small.tables as f64,
            growth(|m| &m.inspect),
            growth(|m| &m.inside),
            growth(|m| &m.dump)
        );
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.0}", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_urls_apart_for_the_clients() -> Result<()> {
        let server = Server::parse("postgres://postgres@127.0.0.1:5432/postgres")?;
        assert_eq!(server.host, "127.0.0.1");
        assert_eq!(server.port, Some(5432));
        assert_eq!(server.user.as_deref(), Some("postgres"));
        assert_eq!(server.password, None);
        assert_eq!(
            server.url_for("bench"),
            "postgres://postgres@127.0.0.1:5432/bench"
        );

        let server = Server::parse("mysql://root:p%40ss@db.local/mysql?ssl-mode=disabled")?;
        assert_eq!(server.dialect, Dialect::Mysql);
        assert_eq!(server.host, "db.local");
        assert_eq!(server.port, None);
        assert_eq!(server.password.as_deref(), Some("p@ss"));
        assert_eq!(
            server.url_for("x"),
            "mysql://root:p%40ss@db.local/x?ssl-mode=disabled"
        );

        let server = Server::parse("postgresql://[::1]:6543")?;
        assert_eq!((server.host.as_str(), server.port), ("::1", Some(6543)));
        assert_eq!(server.url_for("x"), "postgresql://[::1]:6543/x");
        Ok(())
    }

    #[test]
    fn dump_commands_match_the_issue() -> Result<()> {
        let tools = Tools {
            mysql_dump: "mariadb-dump".to_owned(),
            mysql_client: "mariadb".to_owned(),
        };
        let pg = Server::parse("postgres://postgres@127.0.0.1/postgres")?;
        assert_eq!(
            pg.dump_text(&tools),
            "pg_dump -h 127.0.0.1 -U postgres --schema-only -f /dev/null DB"
        );
        let my = Server::parse("mysql://root@127.0.0.1:3306/mysql")?;
        assert_eq!(
            my.dump_text(&tools),
            "mariadb-dump -h127.0.0.1 -P3306 -uroot --no-data DB > /dev/null"
        );
        Ok(())
    }

    #[test]
    fn fingerprints_differ_with_the_text() {
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
    }

    #[test]
    fn medians_and_ratios() {
        let ms = Duration::from_millis;
        let m = Measured {
            label: "x".into(),
            dialect: Dialect::Postgres,
            tables: 1,
            inspect: vec![ms(10), ms(30), ms(20)],
            inside: vec![ms(5); 3],
            dump: vec![ms(40), ms(40), ms(10)],
            peak_kib: 2048,
            counts: Counts::default(),
        };
        assert_eq!(median(&m.inspect), ms(20));
        assert!((m.ratio() - 0.5).abs() < 1e-9);
        // Rounds: 10/40, 30/40, 20/10.
        assert!((m.paired_ratio() - 0.75).abs() < 1e-9);
        assert!((m.peak_mib() - 2.0).abs() < 1e-9);
    }
}
