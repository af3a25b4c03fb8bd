//! Stores the views that reads build (issue 9), off the request: a read hands its view
//! to this thread and answers at once; the thread writes what it was given in batches,
//! one transaction each, so that reads never wait for the writers' lock. A view that
//! cannot be stored (a full queue, a failed write) is only built again by a later read.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use crate::db::Database;
use crate::store::read_views::{self, StoredView};

/// Views waiting beyond this are dropped.
const QUEUE: usize = 20_000;
/// The most views written in one transaction.
const BATCH: usize = 500;
/// How long a view may wait for others to share its transaction.
const LINGER: Duration = Duration::from_millis(20);

#[derive(Clone)]
pub struct ViewWriter {
    views: Option<SyncSender<StoredView>>,
}

impl ViewWriter {
    /// A writer thread for `db`; it ends when the last handle is dropped.
    pub fn spawn(db: Database) -> std::io::Result<Self> {
        let (views, queue) = mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("view-writer".into())
            .spawn(move || write_until_closed(&db, &queue))?;
        Ok(Self { views: Some(views) })
    }

    /// A writer that stores nothing.
    pub fn disabled() -> Self {
        Self { views: None }
    }

    /// Whether views are stored (and so read back).
    pub fn is_enabled(&self) -> bool {
        self.views.is_some()
    }

    /// Hands `view` over to be stored; never waits.
    pub fn store(&self, view: StoredView) {
        if let Some(views) = &self.views {
            let _ = views.try_send(view);
        }
    }
}

fn write_until_closed(db: &Database, queue: &Receiver<StoredView>) {
    while let Ok(first) = queue.recv() {
        let mut batch: HashMap<(i64, String), StoredView> = HashMap::new();
        let deadline = Instant::now() + LINGER;
        let mut next = Some(first);
        while let Some(view) = next.take() {
            let key = (view.gi_id, view.kind.clone());
            if batch.get(&key).is_none_or(|kept| kept.stamp <= view.stamp) {
                batch.insert(key, view);
            }
            if batch.len() >= BATCH {
                break;
            }
            let wait = deadline.saturating_duration_since(Instant::now());
            match queue.recv_timeout(wait) {
                Ok(view) => next = Some(view),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let views: Vec<StoredView> = batch.into_values().collect();
        if let Err(err) = db.write_blocking(|conn| read_views::keep(conn, &views)) {
            tracing::debug!("could not store {} read views: {err}", views.len());
        }
    }
}
