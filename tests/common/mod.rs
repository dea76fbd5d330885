//! What the facade's live tests share: the server each one needs, a runtime, names of
//! their own, and URLs of their scratch databases.
//!
//! Each integration test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

/// The server URL in `variable`, or `None` (said on stderr) when it is not set;
/// `SEXTANT_REQUIRE_LIVE=1` makes a missing server a failure.
pub fn server(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SEXTANT_REQUIRE_LIVE").as_deref() != Ok("1"),
                "SEXTANT_REQUIRE_LIVE=1 but {variable} is not set"
            );
            eprintln!("skipped: {variable} is not set");
            None
        }
    }
}

/// A runtime with two workers, so that concurrent migrators really overlap.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// `sextant_<test>_<pid>_<nanos>`: a database, schema or directory name no other test
/// (or parallel run) uses.
pub fn unique_name(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("sextant_{test}_{}_{nanos}", std::process::id())
}

/// The URL with its database replaced, its query kept.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    let host_end = rest
        .find('/')
        .map_or(base.len(), |i| base.len() - rest.len() + i);
    format!("{}/{database}{query}", &base[..host_end])
}
