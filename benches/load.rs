//! Benchmarks of the offline loader: `cargo bench --bench load`.
//!
//! The inputs are made by xtask's schema generator, compiled in by path rather than read
//! from committed fixtures: sizes stay a one-line change, no megabytes of SQL are
//! committed, and the benchmark loads exactly what `cargo xtask bench-load` and
//! `cargo xtask gen-schema` produce for the same seed. That works because the generator
//! depends on nothing but `schema_model`, which this crate depends on too.
//!
//! MusicBrainz's schema is read from the corpus beside the repository
//! (`../shared/corpus/real-world/cases.jsonl`); without it that benchmark is skipped.

// The benchmarks use the generator's entry point, not every item of the file.
#[allow(dead_code)]
#[path = "../xtask/src/gen_schema.rs"]
mod gen_schema;

use divan::Bencher;
use divan::counter::BytesCount;
use gen_schema::{GenOptions, generate};
use sextant::inspect::{LoadOptions, load_sql};
use sextant::model::Dialect;

fn main() {
    divan::main();
}

/// The seed every generated input uses, as `cargo xtask bench-load` does by default.
const SEED: u64 = 1;

/// Loads a generated schema of `tables` tables; the throughput counter is its bytes.
fn load_generated(bencher: Bencher, tables: usize, dialect: Dialect) {
    let sql = generate(&GenOptions {
        tables,
        seed: SEED,
        dialect,
        mutate_percent: None,
    })
    .sql;
    let options = LoadOptions::new(dialect);
    bencher
        .counter(BytesCount::of_str(&sql))
        .bench(|| load_sql(divan::black_box(&sql), "generated.sql", &options));
}

/// PostgreSQL, up to the 10,000 tables of the loader's time target (≤ 1 s).
#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10, sample_size = 1)]
fn postgres(bencher: Bencher, tables: usize) {
    load_generated(bencher, tables, Dialect::Postgres);
}

/// MySQL, inline `KEY`s and `ENUM`s.
#[divan::bench(args = [100, 1_000], sample_count = 10, sample_size = 1)]
fn mysql(bencher: Bencher, tables: usize) {
    load_generated(bencher, tables, Dialect::Mysql);
}

/// SQLite, constraints inline and comments inside `CREATE TABLE`.
#[divan::bench(args = [100, 1_000], sample_count = 10, sample_size = 1)]
fn sqlite(bencher: Bencher, tables: usize) {
    load_generated(bencher, tables, Dialect::Sqlite);
}

/// Splitting alone (no parsing) of the 10,000-table PostgreSQL schema: the splitter
/// must stay a small part of loading (well under 100 ms for these ~9 MB).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn split_postgres_10k(bencher: Bencher) {
    let sql = generate(&GenOptions {
        tables: 10_000,
        seed: SEED,
        dialect: Dialect::Postgres,
        mutate_percent: None,
    })
    .sql;
    bencher
        .counter(BytesCount::of_str(&sql))
        .bench(|| sextant::inspect::split::split(divan::black_box(&sql), Dialect::Postgres));
}

/// MusicBrainz's whole schema (target: < 100 ms).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn musicbrainz(bencher: Bencher) {
    let Some(sql) = musicbrainz_sql() else {
        // Benchmarks print their results; saying why one has none belongs with them.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("musicbrainz: skipped, no ../shared/corpus/real-world/cases.jsonl");
        }
        return;
    };
    let options = LoadOptions::new(Dialect::Postgres);
    bencher
        .counter(BytesCount::of_str(&sql))
        .bench(|| load_sql(divan::black_box(&sql), "musicbrainz.sql", &options));
}

/// The `desired` text of the corpus case `musicbrainz/postgres#create`.
fn musicbrainz_sql() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/real-world/cases.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    text.split('\n')
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|case| case["id"] == "musicbrainz/postgres#create")
        .and_then(|case| case["desired"].as_str().map(str::to_owned))
}
