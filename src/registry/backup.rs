//! Backups of a SQLite registry taken while it serves, and restoring one into an empty
//! place. (PostgreSQL is backed up with `pg_dump`; see the README.)
//!
//! A backup is `VACUUM INTO`: SQLite copies the database as one read transaction sees
//! it, so the copy holds exactly the writes committed before that transaction began,
//! whatever the server writes meanwhile, and is a compact ordinary database file.
//! A restore copies the file beside the target, brings its schema up to date, verifies
//! its audit chain with its anchors, and only then moves it into place: a copy whose
//! chain does not verify is refused and leaves nothing behind.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::SqliteConnection;

use crate::db::schema::audit_log;
use crate::db::{migrations, Database, DatabaseUrl, PoolSettings, SQLITE_BUSY_TIMEOUT};
use crate::store::audit::VerifyReport;
use crate::store::audit_anchors;

/// What a backup holds: the head of its audit chain.
#[derive(Debug)]
pub struct BackupReport {
    pub entries: i64,
    pub head_hash: Option<String>,
}

const PG_HINT: &str = "a PostgreSQL registry is backed up with pg_dump and restored with \
                       pg_restore (see the README, \"Backups\")";

/// Writes a consistent copy of the registry at `url` to `target`, which must not exist.
pub fn backup(url: &DatabaseUrl, target: &Path) -> Result<BackupReport, String> {
    let DatabaseUrl::Sqlite(source) = url else {
        return Err(PG_HINT.into());
    };
    if !source.is_file() {
        return Err(format!("there is no registry at {}", source.display()));
    }
    if target.exists() {
        return Err(format!(
            "{} already exists; a backup never overwrites a file",
            target.display()
        ));
    }
    let target_text = target
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", target.display()))?;
    // Created empty and private first (VACUUM INTO fills an empty file): the copy holds
    // password hashes and refresh-token digests, like the registry it copies.
    private_file(target)
        .map_err(|e| format!("cannot create the backup {}: {e}", target.display()))?;
    let mut conn = open_plain(source)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target_text)
        .execute(&mut conn)
        .map_err(|e| format!("cannot write the backup {}: {e}", target.display()))?;
    drop(conn);
    let mut copy = open_plain(target)?;
    let head: Option<(i64, String)> = audit_log::table
        .select((audit_log::seq, audit_log::hash))
        .order(audit_log::seq.desc())
        .first(&mut copy)
        .optional()
        .map_err(|e| format!("cannot read the backup: {e}"))?;
    Ok(BackupReport {
        entries: head.as_ref().map_or(0, |(seq, _)| *seq),
        head_hash: head.map(|(_, hash)| hash),
    })
}

/// Puts the backup `file` in place as the registry at `url`, which must not exist yet.
/// Refused, leaving nothing behind, when the backup's audit chain does not verify.
pub fn restore(file: &Path, url: &DatabaseUrl) -> Result<VerifyReport, String> {
    let DatabaseUrl::Sqlite(target) = url else {
        return Err(PG_HINT.into());
    };
    if !is_sqlite_file(file) {
        return Err(format!("{} is not a SQLite backup", file.display()));
    }
    for existing in [target.clone(), sidecar(target, "-wal")] {
        if existing.exists() {
            return Err(format!(
                "{} already exists: restore into an empty data directory (move the current \
                 registry away first)",
                existing.display()
            ));
        }
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            folder.mode(0o700);
        }
        folder
            .create(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let staging = sidecar(target, ".restoring");
    remove_with_sidecars(&staging);
    // Into a private file, whatever the backup file's mode: a plain copy would give the
    // registry (and so its WAL) the backup's permissions.
    private_file(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let copied = std::fs::File::open(file).and_then(|mut from| {
        let mut to = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&staging)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()
    });
    if let Err(err) = copied {
        remove_with_sidecars(&staging);
        return Err(format!("cannot copy {}: {err}", file.display()));
    }
    let report = match check_staged(&staging) {
        Ok(report) => report,
        Err(err) => {
            remove_with_sidecars(&staging);
            return Err(err);
        }
    };
    if let Some(broken) = &report.first_broken {
        remove_with_sidecars(&staging);
        return Err(format!(
            "refusing the backup: its audit chain does not verify at entry {}: {}",
            broken.seq, broken.reason
        ));
    }
    std::fs::rename(&staging, target)
        .map_err(|e| format!("cannot move the restored registry into place: {e}"))?;
    remove_with_sidecars(&staging);
    Ok(report)
}

/// Creates `path`, empty, readable and writable by its owner only; never over a file.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Migrates the staged copy and verifies its chain; leaves it a single file (WAL
/// checkpointed) with every connection closed.
fn check_staged(staging: &Path) -> Result<VerifyReport, String> {
    let url = DatabaseUrl::Sqlite(staging.to_path_buf());
    let db = Database::open(&url, &PoolSettings::default()).map_err(|e| e.to_string())?;
    let report = {
        let mut conn = db.connection().map_err(|e| e.to_string())?;
        migrations::run_pending(&mut conn).map_err(|e| e.to_string())?;
        let report = audit_anchors::verify(&mut conn).map_err(|e| e.to_string())?;
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .map_err(|e| e.to_string())?;
        report
    };
    drop(db);
    Ok(report)
}

/// A connection with no settings beyond the busy timeout: it changes nothing in the file.
fn open_plain(path: &Path) -> Result<SqliteConnection, String> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {};",
        SQLITE_BUSY_TIMEOUT.as_millis()
    ))
    .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    Ok(conn)
}

fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && &header == b"SQLite format 3\0"
}

/// `path` with `suffix` appended to its file name (`terroir.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_with_sidecars(path: &Path) {
    for file in [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
        sidecar(path, "-journal"),
    ] {
        let _ = std::fs::remove_file(file);
    }
}
