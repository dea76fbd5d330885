//! `cargo xtask corpus`: runs the external test corpora in `../shared/corpus`.
//!
//! Every subcommand follows the same steps, and shares them through this module: read
//! the cases ([`read_cases`]), decide which ones count ([`offline_skip_reason`]), check
//! each one into an [`Outcome`], and print one line per failing or skipped case and the
//! summary line `N passed, M failed, K skipped` ([`Report`]). `load` needs no database;
//! the subcommands that will apply cases to live servers (`normalize`, `roundtrip`) add
//! their own skip reasons (flavor, server version, missing extension) on top of the
//! offline ones and plug their own check into [`run`].

use crate::error::{Context as _, Error, Result};
use schema_inspect::{LoadOptions, load_sql};
use schema_model::Dialect;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

/// The `corpus` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CorpusCommand {
    /// Load each case's `current` and `desired` SQL with the offline loader.
    Load(LoadArgs),
    /// Apply each case's `desired` SQL to a fresh database, inspect it, and compare
    /// with the offline load of the same SQL.
    Normalize(crate::normalize::NormalizeArgs),
    /// Migrate a fresh database from each case's `current` to `desired` and back with
    /// plans and apply, and check each result against the side applied directly.
    Roundtrip(crate::roundtrip::RoundtripArgs),
}

/// Arguments of `corpus load`.
#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// Corpus files (JSON Lines), e.g. `../shared/corpus/sqldef/postgres.jsonl`.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Exit with a failure status when any case fails.
    #[arg(long)]
    strict: bool,
    /// Also print passing cases, and every failing side of a failing case.
    #[arg(long)]
    verbose: bool,
}

/// Runs a `corpus` subcommand.
pub fn run_command(command: &CorpusCommand) -> Result<ExitCode> {
    match command {
        CorpusCommand::Load(args) => load(args),
        CorpusCommand::Normalize(args) => crate::normalize::run(args),
        CorpusCommand::Roundtrip(args) => crate::roundtrip::run(args),
    }
}

/// The PostgreSQL search path of sqldef's `psqldef_user` role, which the `non_default_user`
/// cases run as (see `sqldef/README.md`).
const NON_DEFAULT_USER_SEARCH_PATH: [&str; 2] = ["foo", "public"];

/// One case of a corpus: the fields the harness uses.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique across all corpora.
    pub id: String,
    /// The dialect both texts are written in.
    pub dialect: Dialect,
    /// The starting schema; empty for an empty database.
    pub current: String,
    /// The target schema; empty for "drop everything".
    pub desired: String,
    /// Machine-readable tags (`offline_only`, `non_default_user`, …).
    pub caveats: Vec<String>,
    /// The server flavor the case needs (`mysql`, `mariadb`, `tidb`, `pgvector`), or
    /// `!flavor` for any but that one.
    pub flavor: Option<String>,
    /// The role sqldef runs the case as, when not the default one.
    pub user: Option<String>,
    /// The oldest server version the case applies to (of the flavor that runs it).
    pub min_version: Option<String>,
    /// The newest server version the case applies to.
    pub max_version: Option<String>,
    /// Where the case comes from (`sqldef`, a real-world project).
    pub source: String,
    /// The database the SQL names, which the case must run in (MySQL).
    pub database: Option<String>,
    /// The other tool refuses this migration: refusing it with a clear error passes.
    pub expects_error: bool,
}

impl Case {
    /// Whether the case carries the caveat tag.
    pub fn has_caveat(&self, tag: &str) -> bool {
        self.caveats.iter().any(|c| c == tag)
    }

    /// Loader options for the case: strict, in its dialect, with the search path of the
    /// role the case runs as.
    pub fn load_options(&self) -> LoadOptions {
        let options = LoadOptions::new(self.dialect);
        if self.has_caveat("non_default_user") || self.user.is_some() {
            options.with_search_path(NON_DEFAULT_USER_SEARCH_PATH)
        } else {
            options
        }
    }
}

/// A case as stored; unknown fields are ignored, so the corpora can grow fields.
#[derive(Deserialize)]
struct StoredCase {
    id: String,
    dialect: String,
    current: String,
    desired: String,
    #[serde(default)]
    caveats: Vec<String>,
    #[serde(default)]
    flavor: Option<String>,
    #[serde(default)]
    sqldef_options: Option<SqldefOptions>,
    #[serde(default)]
    min_version: Option<String>,
    #[serde(default)]
    max_version: Option<String>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    database: Option<String>,
    #[serde(default)]
    expects_error: bool,
}

#[derive(Deserialize)]
struct SqldefOptions {
    #[serde(default)]
    user: Option<String>,
}

/// Reads every case of the files, in order. Ids must be unique across them all.
pub fn read_cases(files: &[PathBuf]) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for (index, line) in text.split('\n').enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let origin = format!("{}:{}", file.display(), index + 1);
            let stored: StoredCase =
                serde_json::from_str(line).with_context(|| format!("{origin}: bad case"))?;
            let dialect = stored
                .dialect
                .parse::<Dialect>()
                .with_context(|| format!("{origin}: case {}", stored.id))?;
            if let Some(first) = seen.insert(stored.id.clone(), origin.clone()) {
                return Err(Error::new(format!(
                    "{origin}: case id {} is also at {first}",
                    stored.id
                )));
            }
            cases.push(Case {
                id: stored.id,
                dialect,
                current: stored.current,
                desired: stored.desired,
                caveats: stored.caveats,
                flavor: stored.flavor,
                user: stored.sqldef_options.and_then(|o| o.user),
                min_version: stored.min_version,
                max_version: stored.max_version,
                source: stored.source,
                database: stored.database,
                expects_error: stored.expects_error,
            });
        }
    }
    Ok(cases)
}

/// The PostgreSQL version the canonical model follows: offline, PostgreSQL cases are
/// judged as if they ran on it, so a case for a newer server does not count.
pub const MODEL_POSTGRES_VERSION: &str = "15";

/// Why a case does not count when no server is involved, or `None` when it counts.
///
/// Three reasons hold offline: the SQL was never meant to run anywhere but in the
/// other tool's parser (`offline_only`); it is TiDB's, a dialect Sextant does not
/// support; or it is PostgreSQL SQL for a server newer than the one the model follows
/// ([`MODEL_POSTGRES_VERSION`]). MySQL cases are not filtered by version or flavor
/// offline: the loader reads MySQL 8 and MariaDB alike.
pub fn offline_skip_reason(case: &Case) -> Option<String> {
    if case.has_caveat("offline_only") {
        Some("offline_only".to_owned())
    } else if case.flavor.as_deref() == Some("tidb") {
        Some("flavor tidb: not a supported dialect".to_owned())
    } else if case.dialect == Dialect::Postgres {
        version_skip_reason(case, MODEL_POSTGRES_VERSION)
    } else {
        None
    }
}

/// Why a case does not run on a server of that version (`min_version`..`max_version`,
/// compared per numeric segment), or `None` when it does.
pub fn version_skip_reason(case: &Case, server: &str) -> Option<String> {
    use std::cmp::Ordering;
    if let Some(min) = &case.min_version
        && compare_versions(server, min) == Ordering::Less
    {
        return Some(format!(
            "needs server version {min} or later, have {server}"
        ));
    }
    if let Some(max) = &case.max_version
        && compare_versions(server, max) == Ordering::Greater
    {
        return Some(format!(
            "needs server version {max} or earlier, have {server}"
        ));
    }
    None
}

/// Compares dotted versions segment by segment, as numbers; a missing segment is 0 and
/// the part of a segment after its digits (`10.11.19-MariaDB`) is ignored.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn segments(v: &str) -> Vec<u64> {
        v.split('.')
            .map(|s| {
                let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            })
            .collect()
    }
    let (a, b) = (segments(a), segments(b));
    let len = a.len().max(b.len());
    for i in 0..len {
        let ordering = a
            .get(i)
            .copied()
            .unwrap_or(0)
            .cmp(&b.get(i).copied().unwrap_or(0));
        if ordering != std::cmp::Ordering::Equal {
            return ordering;
        }
    }
    std::cmp::Ordering::Equal
}

/// Which of a case's two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The starting schema.
    Current,
    /// The target schema.
    Desired,
}

impl Side {
    /// Both sides, in the order a migration reads them.
    pub const BOTH: [Side; 2] = [Side::Current, Side::Desired];

    /// The case's text for this side.
    pub fn text(self, case: &Case) -> &str {
        match self {
            Side::Current => &case.current,
            Side::Desired => &case.desired,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Current => "current",
            Side::Desired => "desired",
        })
    }
}

/// Something that went wrong with one side of a case.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Which text.
    pub side: Side,
    /// The first line of the error.
    pub message: String,
}

/// What checking a case gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Everything checked held.
    Pass,
    /// Passed with a qualification the reader must see (refused as the case expects,
    /// or a difference the dialect cannot migrate): counted as passed, always printed.
    PassNoted(String),
    /// At least one check failed; never empty.
    Fail(Vec<Failure>),
    /// The case does not count, for this reason.
    Skip(String),
}

/// The counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases skipped.
    pub skipped: usize,
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Prints outcomes as they come: `FAIL <id> <side>: <message>` for the first failing
/// side of a failing case, `SKIP <id>: <reason>`, and with `verbose` `PASS <id>` and the
/// other failing sides too.
pub struct Report<W: Write> {
    out: W,
    verbose: bool,
    tally: Tally,
}

impl<W: Write> Report<W> {
    /// A report printing to `out`.
    pub fn new(out: W, verbose: bool) -> Self {
        Report {
            out,
            verbose,
            tally: Tally::default(),
        }
    }

    /// Counts and prints one outcome.
    pub fn record(&mut self, case: &Case, outcome: &Outcome) -> io::Result<()> {
        match outcome {
            Outcome::Pass => {
                self.tally.passed += 1;
                if self.verbose {
                    writeln!(self.out, "PASS {}", case.id)?;
                }
            }
            Outcome::PassNoted(note) => {
                self.tally.passed += 1;
                writeln!(self.out, "PASS {}: {}", case.id, first_line(note))?;
            }
            Outcome::Fail(failures) => {
                self.tally.failed += 1;
                let shown = if self.verbose { failures.len() } else { 1 };
                for failure in failures.iter().take(shown) {
                    writeln!(
                        self.out,
                        "FAIL {} {}: {}",
                        case.id, failure.side, failure.message
                    )?;
                }
            }
            Outcome::Skip(reason) => {
                self.tally.skipped += 1;
                writeln!(self.out, "SKIP {}: {reason}", case.id)?;
            }
        }
        Ok(())
    }

    /// Prints the summary line and returns the counts.
    pub fn finish(mut self) -> io::Result<Tally> {
        writeln!(self.out, "{}", self.tally)?;
        self.out.flush()?;
        Ok(self.tally)
    }
}

/// Checks every case that counts and reports each outcome; returns the counts.
pub fn run(
    cases: &[Case],
    verbose: bool,
    skip_reason: impl Fn(&Case) -> Option<String>,
    mut check: impl FnMut(&Case) -> Outcome,
) -> Result<Tally> {
    let stdout = io::stdout();
    let mut report = Report::new(io::BufWriter::new(stdout.lock()), verbose);
    for case in cases {
        let outcome = match skip_reason(case) {
            Some(reason) => Outcome::Skip(reason),
            None => check(case),
        };
        report
            .record(case, &outcome)
            .context("writing the report")?;
    }
    report.finish().context("writing the report")
}

/// `corpus load`: both texts of every case must load.
fn load(args: &LoadArgs) -> Result<ExitCode> {
    let cases = read_cases(&args.files)?;
    let tally = run(&cases, args.verbose, offline_skip_reason, load_case)?;
    Ok(if args.strict && tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads both sides; a loader panic counts as a failure of that side, so one bug does
/// not hide the rest of the corpus.
fn load_case(case: &Case) -> Outcome {
    let options = case.load_options();
    let mut failures = Vec::new();
    for side in Side::BOTH {
        let origin = format!("{side}.sql");
        let message = match catch_panic(|| load_sql(side.text(case), &origin, &options)) {
            Ok(Ok(_)) => continue,
            Ok(Err(error)) => first_line(&error.to_string()).to_owned(),
            Err(panic) => format!("loader panicked: {panic}"),
        };
        failures.push(Failure { side, message });
    }
    if failures.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(failures)
    }
}

/// The text up to the first line break (`\n` or a bare `\r`).
pub fn first_line(text: &str) -> &str {
    text.split(['\n', '\r']).next().unwrap_or(text)
}

/// Runs `f`, turning a panic into its message and place, without the default hook's
/// print to stderr.
fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    use std::cell::RefCell;
    thread_local! {
        static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    }
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let payload = info
            .payload_as_str()
            .map_or_else(|| "(no message)".to_owned(), str::to_owned);
        let message = match info.location() {
            Some(location) => format!("{} (at {location})", first_line(&payload)),
            None => first_line(&payload).to_owned(),
        };
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|_| {
        LAST_PANIC
            .with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| "(no message)".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one case from a file of its own, after a blank line.
    fn case(line: &str) -> Result<Case> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("xtask-corpus-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).context("temp dir")?;
        let file = dir.join(format!("{}.jsonl", NEXT.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&file, format!("\n{line}\n")).context("writing")?;
        let cases = read_cases(std::slice::from_ref(&file));
        let _ = std::fs::remove_file(&file);
        cases?.pop().ok_or_else(|| Error::new("no case"))
    }

    #[test]
    fn reads_sqldef_and_real_world_cases() -> Result<()> {
        let sqldef = case(
            r#"{"id":"a#b","dialect":"postgres","current":"","desired":"CREATE TABLE t (id int);","caveats":["non_default_user"],"flavor":null,"sqldef_options":{"user":"psqldef_user","enable_drop":true}}"#,
        )?;
        assert_eq!(sqldef.dialect, Dialect::Postgres);
        assert_eq!(sqldef.user.as_deref(), Some("psqldef_user"));
        assert_eq!(sqldef.load_options().search_path, ["foo", "public"]);
        let real = case(
            r#"{"id":"x/mysql#create","dialect":"mysql","current":"","desired":"","caveats":[],"flavor":"mysql","database":null}"#,
        )?;
        assert_eq!(real.dialect, Dialect::Mysql);
        assert_eq!(real.load_options().search_path, [""]);
        Ok(())
    }

    #[test]
    fn skips_offline_only_tidb_and_newer_postgres() -> Result<()> {
        let base = r#""dialect":"mysql","current":"","desired":"""#;
        let offline = case(&format!(
            r#"{{"id":"1",{base},"caveats":["offline_only"]}}"#
        ))?;
        assert_eq!(
            offline_skip_reason(&offline).as_deref(),
            Some("offline_only")
        );
        let tidb = case(&format!(r#"{{"id":"2",{base},"flavor":"tidb"}}"#))?;
        assert!(offline_skip_reason(&tidb).is_some());
        let not_tidb = case(&format!(r#"{{"id":"3",{base},"flavor":"!tidb"}}"#))?;
        assert_eq!(offline_skip_reason(&not_tidb), None);
        let mariadb = case(&format!(r#"{{"id":"4",{base},"flavor":"mariadb"}}"#))?;
        assert_eq!(offline_skip_reason(&mariadb), None);
        let mysql8 = case(&format!(r#"{{"id":"5",{base},"min_version":"8.0"}}"#))?;
        assert_eq!(offline_skip_reason(&mysql8), None);
        let pg = r#""dialect":"postgres","current":"","desired":"""#;
        let pg18 = case(&format!(r#"{{"id":"6",{pg},"min_version":"18.0"}}"#))?;
        assert_eq!(
            offline_skip_reason(&pg18).as_deref(),
            Some("needs server version 18.0 or later, have 15")
        );
        let pg12 = case(&format!(r#"{{"id":"7",{pg},"min_version":"12"}}"#))?;
        assert_eq!(offline_skip_reason(&pg12), None);
        Ok(())
    }

    #[test]
    fn versions_compare_per_numeric_segment() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("15", "15.0"), Equal);
        assert_eq!(compare_versions("10.11.19-MariaDB", "10.2"), Greater);
        assert_eq!(compare_versions("8.0.13", "8.0.17"), Less);
        assert_eq!(compare_versions("9.1", "10"), Less);
    }

    #[test]
    fn report_prints_one_line_per_failing_case_and_the_summary() -> Result<()> {
        let c = case(r#"{"id":"c1","dialect":"sqlite","current":"","desired":""}"#)?;
        let mut buffer = Vec::new();
        let mut report = Report::new(&mut buffer, false);
        let failures = vec![
            Failure {
                side: Side::Current,
                message: "current.sql:1:1: nope".to_owned(),
            },
            Failure {
                side: Side::Desired,
                message: "desired.sql:1:1: nope".to_owned(),
            },
        ];
        report.record(&c, &Outcome::Pass).context("record")?;
        report
            .record(&c, &Outcome::Fail(failures))
            .context("record")?;
        report
            .record(&c, &Outcome::Skip("offline_only".to_owned()))
            .context("record")?;
        let tally = report.finish().context("finish")?;
        assert_eq!(
            tally,
            Tally {
                passed: 1,
                failed: 1,
                skipped: 1
            }
        );
        let text = String::from_utf8(buffer).context("utf-8")?;
        assert_eq!(
            text,
            "FAIL c1 current: current.sql:1:1: nope\nSKIP c1: offline_only\n1 passed, 1 failed, 1 skipped\n"
        );
        Ok(())
    }

    #[test]
    fn panics_become_failures() {
        let result: std::result::Result<(), String> = catch_panic(|| panic!("boom\nmore"));
        let message = result.err().unwrap_or_default();
        assert!(message.starts_with("boom (at "), "{message}");
    }
}
