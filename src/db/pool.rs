//! The connection pools and the only ways handlers reach the database: `read` and
//! `write`, both on actix's blocking pool, never on an async worker.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::Connection;

use super::connection::{AnyConnection, ConnectionManager, SQLITE_BUSY_TIMEOUT};
use super::health::{Health, PROBE_INTERVAL, PROBE_TIMEOUT};
use super::url::{Backend, DatabaseUrl};
use crate::error::AppError;

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// An arbitrary constant: the transaction-scoped advisory lock every PostgreSQL write
/// takes first. Writes are serialised on both backends, which keeps the audit chain
/// linear and makes audit order equal commit order, however many processes write.
const WRITE_LOCK: i64 = 0x7465_7272_6f69_7200;

/// PostgreSQL: the connections of the write pool, beside the read pool. Writes take
/// [`WRITE_LOCK`] one at a time, so a second connection only lets the next write be
/// ready when the lock is handed on. A write that waits for the lock holds its
/// connection: when writes shared the read pool, 32 logins at once (each a write of its
/// session and audit entry) held most of it, and reads queued behind them.
const POSTGRES_WRITE_CONNECTIONS: u32 = 2;

#[derive(Clone, Debug)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub checkout_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            checkout_timeout: Duration::from_secs(5),
        }
    }
}

#[derive(Clone)]
pub struct Database {
    backend: Backend,
    read: Pool,
    write: Pool,
    health: Arc<Health>,
}

impl Database {
    /// Builds the pools without connecting, so a server whose database is down still
    /// starts answering (503) and recovers when the database returns.
    pub fn open(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Self, AppError> {
        let manager = ConnectionManager::new(url.clone());
        let build = |size: u32, timeout: Duration| {
            r2d2::Pool::builder()
                .max_size(size)
                .min_idle(Some(0))
                .connection_timeout(timeout)
                // No `SELECT 1` per checkout: a connection that turns out dead fails
                // its query with 503 and is dropped on return (see `checked_in`).
                .test_on_check_out(false)
                .build_unchecked(manager.clone())
        };
        // Writes queue for the few write connections: their checkout waits longer than
        // SQLite's busy timeout, so a queued writer never gives up before the lock would.
        let write_timeout = settings.checkout_timeout.max(SQLITE_BUSY_TIMEOUT * 3);
        let read = build(settings.max_connections, settings.checkout_timeout);
        match url {
            DatabaseUrl::Sqlite(path) => {
                prepare_sqlite_file(path, &manager)?;
                Ok(Self {
                    backend: Backend::Sqlite,
                    read,
                    write: build(1, write_timeout),
                    health: Arc::default(),
                })
            }
            DatabaseUrl::Postgres(_) => Ok(Self {
                backend: Backend::Postgres,
                read,
                write: build(POSTGRES_WRITE_CONNECTIONS, write_timeout),
                health: Arc::default(),
            }),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Pool state for /metrics: (connections, idle) of the read and the write pool.
    pub fn pool_state(&self) -> [(&'static str, u32, u32); 2] {
        let read = self.read.state();
        let write = self.write.state();
        [
            ("read", read.connections, read.idle_connections),
            ("write", write.connections, write.idle_connections),
        ]
    }

    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Runs `f` with a pooled connection on the blocking pool; 503 at once, without a
    /// thread, while the database is known to be down.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.refuse_while_down()?;
        let db = self.clone();
        let result = web::block(move || db.read_blocking(f)).await?;
        self.observe(&result, false);
        result
    }

    /// Runs `f` in one write transaction on the blocking pool: all of it or none of it.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.refuse_while_down()?;
        let db = self.clone();
        let result = web::block(move || db.write_blocking(f)).await?;
        self.observe(&result, true);
        result
    }

    /// For `/readyz`: a connection within `PROBE_TIMEOUT` that answers `SELECT 1`.
    pub async fn ping(&self) -> Result<(), AppError> {
        self.refuse_while_down()?;
        let db = self.clone();
        let result = web::block(move || db.ping_blocking()).await?;
        self.observe(&result, false);
        result
    }

    fn ping_blocking(&self) -> Result<(), AppError> {
        let mut conn = self.read.get_timeout(PROBE_TIMEOUT)?;
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn refuse_while_down(&self) -> Result<(), AppError> {
        if self.health.is_down() {
            return Err(AppError::Unavailable(
                "the database is down; a background probe watches for its return".into(),
            ));
        }
        Ok(())
    }

    /// Learns from an outcome: a connection that could not be had marks the database
    /// down (and starts the probe); a write refused for lack of space marks storage
    /// full; a write that went through marks it free again.
    fn observe<T>(&self, result: &Result<T, AppError>, wrote: bool) {
        match result {
            Err(AppError::Unavailable(_)) => self.mark_down(),
            Err(AppError::InsufficientStorage(_)) => self.health.mark_storage_full(),
            Ok(_) if wrote => self.health.mark_write_succeeded(),
            _ => {}
        }
    }

    /// Marks the database down and, once per outage, probes it from a thread of its
    /// own until it answers (or until nothing else holds this database any more).
    pub fn mark_down(&self) {
        if !self.health.trip() {
            return;
        }
        tracing::warn!("database unreachable; failing fast until a probe reaches it");
        let db = self.clone();
        let spawned = std::thread::Builder::new()
            .name("terroir-db-probe".into())
            .spawn(move || loop {
                std::thread::sleep(PROBE_INTERVAL);
                if Arc::strong_count(&db.health) == 1 {
                    return;
                }
                if db.ping_blocking().is_ok() {
                    db.health.recovered();
                    tracing::info!("database reachable again");
                    return;
                }
            });
        if spawned.is_err() {
            // Without a probe the flag would never lift: keep serving the slow way.
            self.health.recovered();
        }
    }

    /// `read` for callers that are already off the async workers (the command line).
    pub fn read_blocking<T>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.read.get()?;
        checked_in(f(&mut conn))
    }

    /// `write` for callers that are already off the async workers (the command line).
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.write.get()?;
        checked_in(write_transaction(&mut conn, f))
    }

    /// A connection outside any transaction, for migrations and health checks.
    pub fn connection(&self) -> Result<PooledConnection, AppError> {
        Ok(self.write.get()?)
    }
}

/// Passes a query's result through, marking the connection for the pool to drop when
/// the result says the connection no longer works. The connection is returned to the
/// pool (on this thread) right after.
fn checked_in<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if matches!(result, Err(AppError::Unavailable(_))) {
        super::connection::discard_on_return();
    }
    result
}

/// Creates the file's folder (mode 0700) and the file itself (mode 0600, which SQLite
/// gives its WAL and shared-memory files too) when they are new, and switches the file
/// to WAL once, before any pool connection.
fn prepare_sqlite_file(
    path: &std::path::Path,
    manager: &ConnectionManager,
) -> Result<(), AppError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            folder.mode(0o700);
        }
        folder
            .create(parent)
            .map_err(|e| AppError::internal(format!("cannot create {}: {e}", parent.display())))?;
    }
    if path != std::path::Path::new(":memory:") {
        let mut file = std::fs::OpenOptions::new();
        file.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            file.mode(0o600);
        }
        match file.open(path) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(AppError::internal(format!(
                    "cannot create {}: {err}",
                    path.display()
                )))
            }
        }
    }
    let mut conn = manager.establish()?;
    conn.batch_execute("PRAGMA journal_mode = WAL")?;
    Ok(())
}

/// SQLite: `BEGIN IMMEDIATE`, so the write lock is taken up front and a transaction that
/// reads before it writes never fails to upgrade. PostgreSQL: the write advisory lock.
pub fn write_transaction<T>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match conn {
        AnyConnection::Postgres(_) => conn.transaction(|conn| {
            conn.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))?;
            f(conn)
        }),
        AnyConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            let result = f(conn);
            let AnyConnection::Sqlite(inner) = conn else {
                return Err(AppError::internal("connection changed backend"));
            };
            match result {
                Ok(value) => match AnsiTransactionManager::commit_transaction(inner) {
                    Ok(()) => Ok(value),
                    Err(err) => {
                        let _ = AnsiTransactionManager::rollback_transaction(inner);
                        Err(err.into())
                    }
                },
                Err(err) => {
                    // The caller's error says more than a failed rollback would.
                    let _ = AnsiTransactionManager::rollback_transaction(inner);
                    Err(err)
                }
            }
        }
    }
}
