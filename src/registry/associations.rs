//! Producers' associations: managed by admins and by office admins of their office.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::associations::{self, AssociationWithOffice};
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct AssociationView {
    pub id: i64,
    pub name: String,
    /// The home office's code.
    pub office: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

impl From<AssociationWithOffice> for AssociationView {
    fn from((a, office): AssociationWithOffice) -> Self {
        Self {
            id: a.id,
            name: a.name,
            office,
            contact_email: a.contact_email,
            contact_phone: a.contact_phone,
            address: a.address,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssociation {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub name: String,
    /// The home office's code.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub office: String,
    #[validate(custom(function = "validate::email"))]
    pub contact_email: Option<String>,
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub contact_phone: Option<String>,
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAssociation {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub name: Option<String>,
    #[validate(custom(function = "validate::email"))]
    pub contact_email: Option<String>,
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub contact_phone: Option<String>,
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub address: Option<String>,
}

/// One page of associations in id order after `after` (`fetch` rows), of the office
/// `office_code` when given; an office that does not exist has none.
pub fn list(
    conn: &mut AnyConnection,
    office_code: Option<&str>,
    after: i64,
    fetch: i64,
) -> Result<Vec<AssociationWithOffice>, AppError> {
    let office_id = match office_code {
        Some(code) => match offices::by_code(conn, code)? {
            Some(office) => Some(office.id),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    associations::list(conn, office_id, after, fetch)
}

/// One association, as anyone may read it.
pub fn read(conn: &mut AnyConnection, id: i64) -> Result<AssociationView, AppError> {
    view_of(conn, id)
}

fn view_of(conn: &mut AnyConnection, id: i64) -> Result<AssociationView, AppError> {
    associations::by_id(conn, id)?
        .map(AssociationView::from)
        .ok_or_else(|| AppError::not_found("association"))
}

pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: CreateAssociation,
) -> Result<AssociationView, AppError> {
    let office = offices::by_code(conn, &body.office)?
        .ok_or_else(|| AppError::invalid("office", "no office has this code"))?;
    acting.authorize(Action::ManageAssociation {
        office_id: office.id,
    })?;
    let now = Utc::now().naive_utc();
    let id = associations::insert(
        conn,
        &associations::NewAssociation {
            name: body.name,
            office_id: office.id,
            contact_email: body.contact_email,
            contact_phone: body.contact_phone,
            address: body.address,
            created_at: now,
            updated_at: now,
        },
    )?;
    let view = view_of(conn, id)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "association.create",
            "association",
            id,
            json!(view),
        ),
    )?;
    Ok(view)
}

/// Amends an association, only at `expected_version` when one is given.
pub fn update(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    expected_version: Option<i32>,
    body: UpdateAssociation,
) -> Result<AssociationView, AppError> {
    let (current, _) =
        associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?;
    acting.authorize(Action::ManageAssociation {
        office_id: current.office_id,
    })?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(AppError::PreconditionFailed {
            current: current.version,
        });
    }
    let changes = associations::AssociationChanges {
        name: body.name,
        contact_email: body.contact_email.map(Some),
        contact_phone: body.contact_phone.map(Some),
        address: body.address.map(Some),
    };
    if !associations::update(conn, id, current.version, &changes, Utc::now().naive_utc())? {
        return Err(AppError::PreconditionFailed {
            current: current.version,
        });
    }
    let view = view_of(conn, id)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "association.update",
            "association",
            id,
            json!(view),
        ),
    )?;
    Ok(view)
}
