//! `sextant inspect`: load a schema and print it in canonical form.

use crate::report;
use schema_inspect::{LoadOptions, load_path};
use schema_model::Dialect;
use std::path::PathBuf;

/// Arguments of `sextant inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.sql` file, or a directory whose `.sql` files are replayed in lexical order.
    pub path: PathBuf,
    /// The SQL dialect of the files.
    #[arg(long, short)]
    pub dialect: Dialect,
    /// What to print.
    #[arg(long, short, value_enum, default_value_t = Format::Sql)]
    pub format: Format,
    /// Skip statements that cannot be read, with a warning each, instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    /// Print the statements that were read but not modelled (data, settings, ownership).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Output formats of `sextant inspect`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Dependency-ordered DDL; loading it again gives an equal model.
    Sql,
    /// The canonical model as JSON.
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), String> {
    let mut options = LoadOptions::new(args.dialect);
    options.lenient = args.lenient;
    let loaded = load_path(&args.path, &options).map_err(|e| report::load_error(&e))?;
    for warning in &loaded.warnings {
        if args.verbose || warning.message.starts_with("skipped") {
            eprintln!("warning: {warning}");
        }
    }
    match args.format {
        Format::Sql => print!("{}", schema_plan::render_script(&loaded.realm)),
        Format::Json => println!("{}", loaded.realm.to_json()),
    }
    Ok(())
}
