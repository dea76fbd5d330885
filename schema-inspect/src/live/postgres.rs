//! Live inspection of postgres (placeholder until the inspector lands).

use super::{InspectError, InspectOptions};
use crate::Source;
use schema_model::Realm;

/// Inspects the database a connection (or pool) reaches.
pub async fn inspect<'c, A>(conn: A, options: &InspectOptions) -> Result<Realm, InspectError>
where
    A: sqlx::Acquire<'c, Database = sqlx::Postgres>,
{
    let _ = (conn, options);
    Err(InspectError::Unreadable {
        object: "postgres".into(),
        message: "live inspection is not written yet".into(),
    })
}

/// Connects to the URL and inspects that database.
pub async fn inspect_url(url: &str, options: &InspectOptions) -> Result<Realm, InspectError> {
    let _ = (url, options);
    Err(InspectError::Unreadable {
        object: "postgres".into(),
        message: "live inspection is not written yet".into(),
    })
}

/// Applies the sources to a scratch database on the server and inspects it.
pub async fn load_dev(
    url: &str,
    sources: &[Source],
    options: &InspectOptions,
) -> Result<Realm, InspectError> {
    let _ = (url, sources, options);
    Err(InspectError::Unreadable {
        object: "postgres".into(),
        message: "the dev-database loader is not written yet".into(),
    })
}
