//! The rows of a list made ahead of the writer, on worker threads with a connection
//! each: one thread lists the recognitions batch after batch (keyset, cheap), the
//! workers make the batches' rows (their events, names and numbers: most of an
//! export's time) and, for CSV and JSON, write them out as text, and
//! [`ReadAhead::next_batch`] hands the batches out in list order. At most a few batches wait
//! at any moment, so memory stays bounded. Rows written out as text are freed on the
//! thread that made them: freeing millions of small allocations on another thread
//! (another malloc arena) cost time and kept memory.
//!
//! Every thread holds a connection only while it reads a batch, never while it waits,
//! so that a pool of any size serves them (one connection makes them take turns). A
//! thread stops when the one it hands to is gone: dropping the `ReadAhead` ends them.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use super::rows::{ExportRow, ListSpec, RowBuilder, RowCursor};
use super::shown_gis::ShownGis;
use super::{csv, json, Layout};
use crate::db::Database;
use crate::error::AppError;
use crate::store::recognitions::Listed;

/// Threads making rows.
const WORKERS: usize = 2;
/// Listed batches waiting for a worker, and made batches waiting for the writer.
const WAITING: usize = 1;

/// What the workers make of a batch's rows.
#[derive(Clone, Copy)]
pub enum Rendering {
    /// The rows themselves (for a workbook).
    Rows,
    /// CSV lines.
    Csv(Layout),
    /// JSON array members, each preceded by a comma.
    Json(Layout),
}

/// A batch as made: its rows, or their text and how many rows it holds.
pub enum Batch {
    Rows(Vec<ExportRow>),
    Text { text: String, rows: usize },
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        match self {
            Batch::Rows(rows) => rows.is_empty(),
            Batch::Text { rows, .. } => *rows == 0,
        }
    }

    fn of(rows: Vec<ExportRow>, rendering: Rendering) -> Batch {
        match rendering {
            Rendering::Rows => Batch::Rows(rows),
            Rendering::Csv(layout) => Batch::Text {
                text: csv::lines(&rows, layout),
                rows: rows.len(),
            },
            Rendering::Json(layout) => Batch::Text {
                text: json::members(&rows, layout),
                rows: rows.len(),
            },
        }
    }
}

type Made = (usize, Result<Batch, AppError>);

pub struct ReadAhead {
    made: Receiver<Made>,
    /// Batches made out of their turn, by number.
    early: BTreeMap<usize, Result<Batch, AppError>>,
    next: usize,
    /// How many batches the list had, once the listing thread is through it.
    batches: Arc<OnceLock<usize>>,
    pub finished: bool,
}

impl ReadAhead {
    /// Starts reading `spec`'s list, `batch` recognitions at a time.
    pub fn start(db: &Database, spec: ListSpec, batch: i64, rendering: Rendering) -> Self {
        let (to_workers, listed) = sync_channel::<(usize, Vec<Listed>)>(WAITING);
        let (to_writer, made) = sync_channel::<Made>(WAITING);
        let listed = Arc::new(Mutex::new(listed));
        let shared = Arc::new(ShownGis::default());
        for _ in 0..WORKERS {
            let (db, listed, to_writer) = (db.clone(), listed.clone(), to_writer.clone());
            let mut builder = RowBuilder::new(spec.clone(), shared.clone());
            std::thread::spawn(move || {
                make_rows(&db, &listed, &to_writer, &mut builder, rendering)
            });
        }
        let (db, mut cursor) = (db.clone(), RowCursor::new(spec));
        let batches = Arc::new(OnceLock::new());
        let listed_all = batches.clone();
        std::thread::spawn(move || {
            if let Some(count) = list(&db, &mut cursor, batch, &to_workers, &to_writer) {
                let _ = listed_all.set(count);
            }
        });
        Self {
            made,
            early: BTreeMap::new(),
            next: 0,
            batches,
            finished: false,
        }
    }

    /// A list with no rows (a filter that names nothing that exists).
    pub fn empty() -> Self {
        let (_, made) = sync_channel(0);
        Self {
            made,
            early: BTreeMap::new(),
            next: 0,
            batches: Arc::new(OnceLock::from(0)),
            finished: true,
        }
    }

    /// The next batch, in list order (possibly empty while more remain, when a batch
    /// matched nothing); after the last, an empty one, and `finished` is set. Blocking.
    pub fn next_batch(&mut self) -> Result<Batch, AppError> {
        if self.finished {
            return Ok(Batch::Rows(Vec::new()));
        }
        loop {
            if let Some(made) = self.early.remove(&self.next) {
                self.next += 1;
                return made;
            }
            match self.made.recv() {
                Ok((number, made)) if number == self.next => {
                    self.next += 1;
                    return made;
                }
                Ok((number, made)) => {
                    self.early.insert(number, made);
                }
                // Every thread is done: every batch must have been handed out (a thread
                // that panicked would otherwise cut the list short without a word).
                Err(_) => {
                    self.finished = true;
                    if self.early.is_empty() && self.batches.get() == Some(&self.next) {
                        return Ok(Batch::Rows(Vec::new()));
                    }
                    return Err(AppError::internal(
                        "the reading of an export stopped before the end of its list",
                    ));
                }
            }
        }
    }
}

/// The listing thread: numbers the batches, and gives their count once the list is
/// through. A failure to list goes to the writer in the failed batch's turn.
fn list(
    db: &Database,
    cursor: &mut RowCursor,
    batch: i64,
    to_workers: &SyncSender<(usize, Vec<Listed>)>,
    to_writer: &SyncSender<Made>,
) -> Option<usize> {
    let mut number = 0;
    while !cursor.finished {
        match db.read_blocking(|conn| cursor.next_list(conn, batch)) {
            Ok(list) if list.is_empty() => break,
            Ok(list) => to_workers.send((number, list)).ok()?,
            Err(e) => {
                let _ = to_writer.send((number, Err(e)));
                return None;
            }
        }
        number += 1;
    }
    Some(number)
}

fn make_rows(
    db: &Database,
    listed: &Mutex<Receiver<(usize, Vec<Listed>)>>,
    to_writer: &SyncSender<Made>,
    builder: &mut RowBuilder,
    rendering: Rendering,
) {
    loop {
        // The lock is held only to take a batch, not while making it.
        let next = listed.lock().map(|receiver| receiver.recv());
        let Ok(Ok((number, list))) = next else {
            return;
        };
        let made = db
            .read_blocking(|conn| builder.rows_of(conn, &list))
            .map(|rows| Batch::of(rows, rendering));
        if to_writer.send((number, made)).is_err() {
            return;
        }
    }
}
