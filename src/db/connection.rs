//! One connection type over both backends, and the r2d2 manager that opens it.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel::{PgConnection, SqliteConnection};

use super::url::DatabaseUrl;

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// How long a SQLite connection waits for another process's write lock before failing.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens connections to the backend the URL names (never by trial and error, so a SQLite
/// path is never handed to libpq), with SQLite's per-connection settings applied.
#[derive(Clone, Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }

    pub fn establish(&self) -> Result<AnyConnection, diesel::r2d2::Error> {
        match &self.url {
            // libpq may quote the URL's parts in its message ("invalid percent-encoded
            // token: …"), and r2d2 logs that message as it is: scrub it here, at the
            // source, so neither the log nor any error built from it shows the password.
            DatabaseUrl::Postgres(url) => PgConnection::establish(&with_connect_timeout(url))
                .map(AnyConnection::Postgres)
                .map_err(|err| {
                    diesel::r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(
                        self.url.scrub(&err.to_string()),
                    ))
                }),
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&path)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    SQLITE_BUSY_TIMEOUT.as_millis()
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

thread_local! {
    static DISCARD_ON_RETURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the pooled connection this thread returns next as broken, so that the pool
/// drops it rather than hand it to the next request: called when a query on it failed
/// for want of a working connection. r2d2 returns a connection on the thread that drops
/// it, right after this call.
pub fn discard_on_return() {
    DISCARD_ON_RETURN.with(|flag| flag.set(true));
}

/// SQLite: lets this connection's sorts use every core (`PRAGMA threads`). Meant for a
/// bulk load's large sorts (an index made from a whole table, postings merged in key
/// order), which took a quarter less time with it on two cores; a sort that fits in
/// memory starts no thread. Nothing on PostgreSQL, which plans its own workers.
pub fn sort_with_every_core(conn: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Sqlite(sqlite) = conn {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        sqlite.batch_execute(&format!("PRAGMA threads = {cores}"))?;
    }
    Ok(())
}

/// A server that is down should fail a connection attempt quickly, not hang a worker.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout=5")
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        self.establish()
    }

    /// Only for callers that ask: the pools do not test connections on checkout (a
    /// `SELECT 1` round trip per request); a connection that failed is discarded
    /// when it is returned instead (`discard_on_return`).
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        // Always taken, so that the mark never outlives the connection it was meant for.
        let discard = DISCARD_ON_RETURN.with(|flag| flag.replace(false));
        discard
            || std::thread::panicking()
            || match conn {
                AnyConnection::Postgres(c) => c.is_broken(),
                AnyConnection::Sqlite(c) => c.is_broken(),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_error_never_quotes_the_password() {
        // libpq refuses the URL before connecting, quoting the password it could not
        // decode: the error (which r2d2 also logs) shows it masked.
        for raw in [
            "postgres://terroir:Pw%zzSecret@127.0.0.1:9/terroir",
            "postgres://127.0.0.1:9/terroir?user=terroir&password=Pw%zzSecret",
        ] {
            let manager = ConnectionManager::new(DatabaseUrl::parse(raw).unwrap());
            let Err(err) = manager.establish() else {
                panic!("{raw} connected");
            };
            let message = err.to_string();
            assert!(!message.contains("zzSecret"), "{message}");
            assert!(message.contains("***"), "{message}");
        }
    }

    #[test]
    fn connect_timeout_is_added_once() {
        assert_eq!(
            with_connect_timeout("postgres://h/db"),
            "postgres://h/db?connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=disable"),
            "postgres://h/db?sslmode=disable&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=1"),
            "postgres://h/db?connect_timeout=1"
        );
    }
}
