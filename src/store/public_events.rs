//! The newest events of filed GIs (drafts are never public), by GI, by programme or by
//! office: what the Atom feeds carry.

use diesel::prelude::*;

use super::events::Event;
use crate::db::schema::{events, gis, recognitions};
use crate::db::AnyConnection;
use crate::error::AppError;

/// Whose events.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// One GI's, at home and abroad.
    Gi(i64),
    /// The recognitions of one programme.
    Programme(i64),
    /// One office's: its GIs at home and abroad, and the recognitions it decides.
    Office(i64),
}

/// At most `limit` events in `scope`, newest first.
pub fn newest(conn: &mut AnyConnection, scope: Scope, limit: i64) -> Result<Vec<Event>, AppError> {
    let filed = gis::table
        .filter(gis::file_number.is_not_null())
        .select(gis::id);
    let query = events::table
        .filter(events::gi_id.eq_any(filed))
        .select(Event::as_select())
        .order(events::id.desc())
        .limit(limit)
        .into_boxed();
    let query = match scope {
        Scope::Gi(id) => query.filter(events::gi_id.eq(id)),
        Scope::Programme(programme_id) => {
            query.filter(events::entity_type.eq("recognition")).filter(
                events::entity_id.eq_any(
                    recognitions::table
                        .filter(recognitions::programme_id.eq(programme_id))
                        .select(recognitions::id),
                ),
            )
        }
        Scope::Office(office_id) => query.filter(
            events::gi_id
                .eq_any(
                    gis::table
                        .filter(gis::origin_office_id.eq(office_id))
                        .select(gis::id),
                )
                .or(events::entity_type.eq("recognition").and(
                    events::entity_id.eq_any(
                        recognitions::table
                            .filter(recognitions::partner_office_id.eq(office_id))
                            .select(recognitions::id),
                    ),
                )),
        ),
    };
    Ok(query.load(conn)?)
}
