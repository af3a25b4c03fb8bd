//! The events of a GI's home phase and of a recognition, for whoever may see them.

use super::gi_application::load_visible;
use super::recognitions::load_visible_recognition;
use crate::db::AnyConnection;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::events::{self, Event};

/// Every event of the GI's home phase, oldest first.
pub fn of_gi(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
) -> Result<Vec<Event>, AppError> {
    load_visible(conn, reader, id)?;
    events::of_entity(conn, "gi", id)
}

/// Every event of the recognition, oldest first.
pub fn of_recognition(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
) -> Result<Vec<Event>, AppError> {
    load_visible_recognition(conn, reader, id)?;
    events::of_entity(conn, "recognition", id)
}
