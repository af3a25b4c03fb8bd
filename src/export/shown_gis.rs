//! What a list shows of each GI in every one of its rows (its numbers as of the list's
//! date and known at its moment, and its names), read once per list and kept, shared by
//! the threads that make the rows: a GI is in the list once per partner, in batches far
//! apart, and reading its names for every row was a third of an export's time. What is
//! kept is packed ([`ShownGi`]) and bounded by [`KEPT_BYTES`]; past that, GIs are read
//! each time.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{NaiveDate, NaiveDateTime};

use super::shown_gi::{NameRef, ShownGi};
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::{events, gis};

/// The most bytes kept for one list: about 110,000 GIs of three names.
const KEPT_BYTES: usize = 16 << 20;
/// What one kept GI costs beside its packing: its entry in the map (an id and a pointer
/// with its length, at the map's load).
const ENTRY_BYTES: usize = 32;

#[derive(Default)]
pub struct ShownGis {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    gis: HashMap<i64, ShownGi>,
    bytes: usize,
}

impl ShownGis {
    /// What the list shows of `gi_ids` (distinct) on `as_of`, as known at `known_at`.
    pub fn of(
        &self,
        conn: &mut AnyConnection,
        gi_ids: &[i64],
        as_of: NaiveDate,
        known_at: NaiveDateTime,
    ) -> Result<HashMap<i64, ShownGi>, AppError> {
        let mut found = HashMap::with_capacity(gi_ids.len());
        let mut missing = Vec::new();
        {
            let kept = self.kept.lock().map_err(AppError::internal)?;
            for id in gi_ids {
                match kept.gis.get(id) {
                    Some(gi) => {
                        found.insert(*id, gi.clone());
                    }
                    None => missing.push(*id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let read = read(conn, &missing, as_of, known_at)?;
        let mut kept = self.kept.lock().map_err(AppError::internal)?;
        for (id, gi) in read {
            let bytes = gi.heap_bytes() + ENTRY_BYTES;
            if kept.bytes + bytes <= KEPT_BYTES {
                kept.bytes += bytes;
                kept.gis.insert(id, gi.clone());
            }
            found.insert(id, gi);
        }
        Ok(found)
    }
}

fn read(
    conn: &mut AnyConnection,
    gi_ids: &[i64],
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Vec<(i64, ShownGi)>, AppError> {
    let numbers = gis::numbers_of(conn, gi_ids)?;
    let known = events::gi_numbers_known(conn, gi_ids, known_at)?;
    let names = gis::names_of(conn, gi_ids)?;
    // The names come by GI, in order of position.
    let mut names_of: HashMap<i64, &[gis::NameRow]> = HashMap::with_capacity(gi_ids.len());
    for gi in names.chunk_by(|a, b| a.gi_id == b.gi_id) {
        names_of.insert(gi[0].gi_id, gi);
    }
    fn on_date(
        number: Option<&str>,
        since: Option<NaiveDate>,
        known: bool,
        as_of: NaiveDate,
    ) -> Option<&str> {
        number.filter(|_| known && since.is_none_or(|d| d <= as_of))
    }
    Ok(gi_ids
        .iter()
        .map(|&id| {
            let (filing_known, registration_known) = known.get(&id).copied().unwrap_or_default();
            let shown = match numbers.get(&id) {
                Some(n) => [
                    on_date(n.file_number.as_deref(), n.filed_on, filing_known, as_of),
                    on_date(
                        n.registration_number.as_deref(),
                        n.registered_on,
                        registration_known,
                        as_of,
                    ),
                ],
                None => [None, None],
            };
            let names = names_of.get(&id).copied().unwrap_or_default();
            let gi = ShownGi::pack(
                shown,
                names.iter().map(|n| NameRef {
                    id: n.id,
                    text: &n.text,
                    script: &n.script,
                    lang: &n.lang,
                    kind: &n.kind,
                }),
            );
            (id, gi)
        })
        .collect())
}
