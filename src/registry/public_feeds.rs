//! The public changes of a GI, a programme or an office, for the Atom feeds: the newest
//! events of filed GIs, with the GI names to title them.

use std::collections::HashMap;

use super::gi_application::load_visible;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::events::Event;
use crate::store::public_events::{self, Scope};
use crate::store::{gis, offices, programmes};

/// Entries a feed carries at most.
pub const FEED_ENTRIES: i64 = 100;

pub struct FeedContent {
    pub title: String,
    /// Newest first.
    pub events: Vec<Event>,
    /// Each GI's first name, by GI id.
    pub names: HashMap<i64, String>,
}

fn content(conn: &mut AnyConnection, title: String, scope: Scope) -> Result<FeedContent, AppError> {
    let events = public_events::newest(conn, scope, FEED_ENTRIES)?;
    let mut gi_ids: Vec<i64> = events.iter().map(|e| e.gi_id).collect();
    gi_ids.sort_unstable();
    gi_ids.dedup();
    let mut names = HashMap::new();
    for row in gis::names_of(conn, &gi_ids)? {
        names.entry(row.gi_id).or_insert(row.text);
    }
    Ok(FeedContent {
        title,
        events,
        names,
    })
}

/// A GI's changes at home and abroad (a GI never filed has no public feed).
pub fn of_gi(conn: &mut AnyConnection, id: i64) -> Result<FeedContent, AppError> {
    let (gi, _) = load_visible(conn, None, id)?;
    if gi.file_number.is_none() {
        return Err(AppError::not_found("GI"));
    }
    let name = gis::names_of(conn, &[id])?
        .into_iter()
        .next()
        .map_or_else(|| format!("GI {id}"), |row| row.text);
    content(
        conn,
        format!("{name}: changes at home and abroad"),
        Scope::Gi(id),
    )
}

/// The recognitions of a programme.
pub fn of_programme(conn: &mut AnyConnection, code: &str) -> Result<FeedContent, AppError> {
    let programme =
        programmes::by_code(conn, code)?.ok_or_else(|| AppError::not_found("programme"))?;
    let title = format!("{}: recognitions", programme.title);
    content(conn, title, Scope::Programme(programme.id))
}

/// An office's GIs, at home and abroad, and the recognitions it decides.
pub fn of_office(conn: &mut AnyConnection, code: &str) -> Result<FeedContent, AppError> {
    let office = offices::by_code(conn, code)?.ok_or_else(|| AppError::not_found("office"))?;
    let title = format!("{} ({}): GIs and recognitions", office.name, office.code);
    content(conn, title, Scope::Office(office.id))
}
