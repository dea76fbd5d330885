//! Compile-time macros for Sextant. Use them through the facade, as
//! `sextant::embed_migrations!`; this crate exists only because a procedural macro must
//! live in a crate of its own.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use std::path::{Path, PathBuf};

/// The name of Atlas's integrity file, which the directory reader checks.
const SUM_FILE: &str = "atlas.sum";

/// Embeds a migration directory in the binary: expands to a
/// `sextant::migrate::EmbeddedDir` (usable in a `static`) holding every `.sql` file under
/// the directory, each through `include_str!`, and its `atlas.sum`.
///
/// The path is relative to the crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`), or absolute;
/// with no argument it is `"migrations"`. A missing directory or a file that cannot be
/// read as UTF-8 text is a compile error at the argument. Layout, order and the sum are
/// checked when the program reads the directory (`EmbeddedDir::migrations`), exactly as
/// `sextant::migrate::read_dir` checks them.
///
/// Editing an embedded file rebuilds the crate; adding a file does not, unless a build
/// script says so (`println!("cargo:rerun-if-changed=migrations");`).
///
/// The expansion names the facade as `::sextant`, so the dependency must keep that name
/// in `Cargo.toml` (no `package = "sextant"` under another key).
#[proc_macro]
pub fn embed_migrations(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let lit = if input.is_empty() {
        syn::LitStr::new("migrations", Span::call_site())
    } else {
        syn::parse_macro_input!(input as syn::LitStr)
    };
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    match expand(&lit, manifest_dir.as_deref()) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The expansion for a directory argument; errors carry the argument's span.
fn expand(lit: &syn::LitStr, manifest_dir: Option<&Path>) -> syn::Result<TokenStream> {
    let error = |message: String| syn::Error::new(lit.span(), message);
    let given = lit.value();
    let dir = if Path::new(&given).is_absolute() {
        PathBuf::from(&given)
    } else {
        match manifest_dir {
            Some(base) => base.join(&given),
            None => {
                return Err(error(format!(
                    "cannot resolve the relative path {given:?}: CARGO_MANIFEST_DIR is not set; \
                     give an absolute path"
                )));
            }
        }
    };
    match std::fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(error(format!("{} is not a directory", dir.display()))),
        Err(e) => {
            return Err(error(format!(
                "cannot read the migration directory {}: {e} (a relative path is resolved \
                 against the crate's Cargo.toml directory)",
                dir.display()
            )));
        }
    }

    let mut names = Vec::new();
    collect(&dir, "", &mut names).map_err(|(path, e)| {
        error(format!(
            "cannot read the migration directory {}: {e}",
            path.display()
        ))
    })?;
    names.sort();

    let span = lit.span();
    let mut files = Vec::new();
    for name in &names {
        let path = dir.join(name);
        let absolute = checked_text_path(&path).map_err(error)?;
        files.push(quote_spanned! {span=> (#name, ::core::include_str!(#absolute)) });
    }
    let sum_path = dir.join(SUM_FILE);
    let sum = if sum_path.is_file() {
        let absolute = checked_text_path(&sum_path).map_err(error)?;
        quote_spanned! {span=> ::core::option::Option::Some(::core::include_str!(#absolute)) }
    } else {
        quote_spanned! {span=> ::core::option::Option::None }
    };
    Ok(quote_spanned! {span=>
        ::sextant::migrate::EmbeddedDir::new(#given, &[#(#files),*], #sum)
    })
}

/// The path as a string for `include_str!`, once it is known to be readable UTF-8 text,
/// so that a bad file is reported here, at the macro's argument, in words.
fn checked_text_path(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if std::str::from_utf8(&bytes).is_err() {
        return Err(format!("{}: the file is not UTF-8 text", path.display()));
    }
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: the path is not UTF-8", path.display()))
}

/// The `.sql` files under a directory, relative and `/`-separated, as the directory
/// reader lists them: hidden directories skipped, symbolic links to directories not
/// followed. Every layout's files are listed; the reader keeps what its layout reads.
fn collect(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let io = |e| (dir.to_path_buf(), e);
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            // The reader would name such a file lossily and then fail to open it; a
            // non-UTF-8 name cannot be a migration name of any layout.
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file name {:?} is not UTF-8", entry.file_name()),
            )));
        };
        let file_type = entry.file_type().map_err(io)?;
        if file_type.is_dir() {
            if !name.starts_with('.') {
                collect(&entry.path(), &format!("{prefix}{name}/"), out)?;
            }
        } else if name.ends_with(".sql") {
            out.push(format!("{prefix}{name}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("sextant-macros-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn lit(value: &str) -> syn::LitStr {
        syn::LitStr::new(value, Span::call_site())
    }

    #[test]
    fn missing_directory_is_an_error_naming_it() {
        let scratch = Scratch::new("missing");
        let error = expand(&lit("nope"), Some(&scratch.0)).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "cannot read the migration directory {}",
                scratch.0.join("nope").display()
            )),
            "{message}"
        );
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let scratch = Scratch::new("file");
        std::fs::write(scratch.0.join("x.sql"), "").unwrap();
        let error = expand(&lit("x.sql"), Some(&scratch.0)).unwrap_err();
        assert!(error.to_string().ends_with("x.sql is not a directory"));
    }

    #[test]
    fn non_utf8_file_is_an_error_naming_it() {
        let scratch = Scratch::new("utf8");
        std::fs::write(scratch.0.join("1_a.sql"), [0xff, 0xfe]).unwrap();
        let error = expand(&lit(scratch.0.to_str().unwrap()), None).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("1_a.sql: the file is not UTF-8 text")
        );
    }

    #[test]
    fn relative_path_without_manifest_dir_is_an_error() {
        let error = expand(&lit("migrations"), None).unwrap_err();
        assert!(error.to_string().contains("CARGO_MANIFEST_DIR is not set"));
    }

    #[test]
    fn lists_sql_files_recursively_skipping_hidden_directories() {
        let scratch = Scratch::new("list");
        std::fs::create_dir_all(scratch.0.join("sub")).unwrap();
        std::fs::create_dir_all(scratch.0.join(".hidden")).unwrap();
        std::fs::write(scratch.0.join("2_b.sql"), "").unwrap();
        std::fs::write(scratch.0.join("1_a.sql"), "").unwrap();
        std::fs::write(scratch.0.join("notes.txt"), "").unwrap();
        std::fs::write(scratch.0.join("sub/V3__c.sql"), "").unwrap();
        std::fs::write(scratch.0.join(".hidden/9_z.sql"), "").unwrap();
        let mut names = Vec::new();
        collect(&scratch.0, "", &mut names).unwrap();
        names.sort();
        assert_eq!(names, ["1_a.sql", "2_b.sql", "sub/V3__c.sql"]);
    }

    #[test]
    fn expansion_includes_each_file_and_the_sum_by_absolute_path() {
        let scratch = Scratch::new("expand");
        std::fs::write(scratch.0.join("1_a.sql"), "SELECT 1;\n").unwrap();
        std::fs::write(scratch.0.join("atlas.sum"), "h1:x=\n").unwrap();
        let parent = scratch.0.parent().unwrap();
        let name = scratch.0.file_name().unwrap().to_str().unwrap();
        let text = expand(&lit(name), Some(parent)).unwrap().to_string();
        let file = scratch.0.join("1_a.sql");
        let sum = scratch.0.join("atlas.sum");
        assert!(
            text.contains(&format!("{:?}", file.to_str().unwrap())),
            "{text}"
        );
        assert!(
            text.contains(&format!("{:?}", sum.to_str().unwrap())),
            "{text}"
        );
        assert!(text.contains(&format!("{name:?}")), "{text}");
        assert!(text.contains("\"1_a.sql\""), "{text}");
    }
}
