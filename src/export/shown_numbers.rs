//! The file and registration numbers a list shows for each GI: a number given by the
//! list's date and known at its moment. They are the same for every recognition of the
//! GI, so they are read once per list and kept (a GI is in the list once per partner,
//! in batches far apart), shared by the threads that make the rows. What is kept is
//! small (two short strings per GI); past [`KEPT`] GIs, numbers are read each time.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::{events, gis};

/// GIs whose numbers are kept (under 100 bytes each).
const KEPT: usize = 250_000;

/// The numbers shown for one GI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
}

#[derive(Default)]
pub struct ShownNumbers {
    kept: Mutex<HashMap<i64, Shown>>,
}

impl ShownNumbers {
    /// The numbers shown for `gi_ids` (distinct) on `as_of`, as known at `known_at`.
    pub fn of(
        &self,
        conn: &mut AnyConnection,
        gi_ids: &[i64],
        as_of: NaiveDate,
        known_at: NaiveDateTime,
    ) -> Result<HashMap<i64, Shown>, AppError> {
        let mut shown = HashMap::with_capacity(gi_ids.len());
        let mut missing = Vec::new();
        {
            let kept = self.kept.lock().map_err(AppError::internal)?;
            for id in gi_ids {
                match kept.get(id) {
                    Some(numbers) => {
                        shown.insert(*id, numbers.clone());
                    }
                    None => missing.push(*id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(shown);
        }
        let numbers = gis::numbers_of(conn, &missing)?;
        let known = events::gi_numbers_known(conn, &missing, known_at)?;
        let on_date = |number: Option<String>, since: Option<NaiveDate>, known: bool| {
            number.filter(|_| known && since.is_none_or(|d| d <= as_of))
        };
        let mut kept = self.kept.lock().map_err(AppError::internal)?;
        for id in missing {
            let numbers = numbers.get(&id).cloned().unwrap_or_default();
            let (filing_known, registration_known) = known.get(&id).copied().unwrap_or_default();
            let numbers = Shown {
                file_number: on_date(numbers.file_number, numbers.filed_on, filing_known),
                registration_number: on_date(
                    numbers.registration_number,
                    numbers.registered_on,
                    registration_known,
                ),
            };
            if kept.len() < KEPT {
                kept.insert(id, numbers.clone());
            }
            shown.insert(id, numbers);
        }
        Ok(shown)
    }
}
