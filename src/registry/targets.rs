//! The facts of the record a write names, read before the write's body is opened, so
//! that a caller outside the record's scope is refused (403) before it learns anything
//! of the body's rules, and a record it may not see is a 404 as it would be anyway.

use super::gi_application::load_visible;
use super::recognitions::load_visible_recognition;
use crate::db::AnyConnection;
use crate::domain::attempts::Target;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::{associations, gis, oppositions};

/// A GI, in its home phase.
pub fn gi(conn: &mut AnyConnection, reader: &Actor, id: i64) -> Result<Target, AppError> {
    let (gi, _) = load_visible(conn, Some(reader), id)?;
    Ok(Target {
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: None,
        filed_by_association_id: None,
    })
}

/// A recognition: its GI's origin and applicant, and the partner deciding it.
pub fn recognition(conn: &mut AnyConnection, reader: &Actor, id: i64) -> Result<Target, AppError> {
    let r = load_visible_recognition(conn, Some(reader), id)?;
    let applicant = gis::owners(conn, r.gi_id)?.and_then(|(_, association)| association);
    Ok(Target {
        origin_office_id: r.origin_office_id,
        association_id: applicant,
        partner_office_id: Some(r.partner_office_id),
        filed_by_association_id: None,
    })
}

/// An opposition: the proceeding it was filed in, and who filed it.
pub fn opposition(conn: &mut AnyConnection, reader: &Actor, id: i64) -> Result<Target, AppError> {
    let opposition =
        oppositions::by_id(conn, id)?.ok_or_else(|| AppError::not_found("opposition"))?;
    let proceeding = match opposition.recognition_id {
        Some(recognition_id) => recognition(conn, reader, recognition_id)?,
        None => gi(conn, reader, opposition.gi_id)?,
    };
    Ok(Target {
        filed_by_association_id: opposition.filed_by_association_id,
        ..proceeding
    })
}

/// An association: the office it belongs to.
pub fn association(conn: &mut AnyConnection, id: i64) -> Result<Target, AppError> {
    let (association, _) =
        associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?;
    Ok(Target {
        origin_office_id: association.office_id,
        association_id: Some(association.id),
        partner_office_id: None,
        filed_by_association_id: None,
    })
}
