//! What the demonstration adds around the proceedings: the specification as filed, a
//! PDF, with 龙井茶; and a partner system's webhook subscription whose deliveries fail,
//! so that the delivery log has something to show.

use std::io::Write;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::data::DIP;
use super::people::{demo_gi, Cast};
use super::specification_pdf::specification_pdf;
use super::{checked, PROGRAMME};
use crate::db::AnyConnection;
use crate::domain::document_kind::DocumentKind;
use crate::error::AppError;
use crate::registry::documents::{self, Description, Received};
use crate::registry::subscriptions::{self, CreateSubscription};

/// A host that never resolves (RFC 2606): every delivery to it fails and is retried.
pub const UNREACHABLE_PARTNER_SYSTEM: &str = "https://case-management.dip.example/terroir-hooks";

/// Attaches the Longjing specification, version 1, as a PDF filed by its association.
pub fn attach_longjing_specification(
    conn: &mut AnyConnection,
    cast: &Cast,
    gi_id: i64,
) -> Result<(), AppError> {
    let (association, _) = cast.applicant("longjing")?;
    let spec = &demo_gi("longjing")?.specification;
    let pdf = specification_pdf(
        "Longjing Tea (Longjing cha) - product specification, version 1",
        &[
            ("Description of the product", spec.product_description),
            ("Raw materials", spec.raw_materials),
            ("Method of production", spec.production_method),
            ("Link with the geographical area", spec.link_with_area),
            ("Control body", spec.control_body),
        ],
    );
    let mut file = tempfile::NamedTempFile::new().map_err(AppError::internal)?;
    file.write_all(&pdf).map_err(AppError::internal)?;
    file.flush().map_err(AppError::internal)?;
    documents::attach_to_gi(
        conn,
        association,
        gi_id,
        Description {
            kind: Some(DocumentKind::Specification),
            title: Some("Longjing tea product specification, version 1 (as filed)".into()),
            lang: Some("en".into()),
            file_name: Some("longjing-specification-v1.pdf".into()),
            specification_version: Some(1),
            event_id: None,
        },
        Received {
            path: file.path(),
            sha256: hex::encode(Sha256::digest(&pdf)),
            byte_count: pdf.len() as i64,
            content_type: "application/pdf",
        },
    )?;
    Ok(())
}

/// DIP's office administrator subscribes a partner system that does not exist to the
/// programme's recognitions.
pub fn subscribe_unreachable_partner_system(
    conn: &mut AnyConnection,
    cast: &Cast,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    subscriptions::create(
        conn,
        cast.office_admin(DIP)?,
        checked(CreateSubscription {
            url: UNREACHABLE_PARTNER_SYSTEM.into(),
            events: vec!["recognition.*".into()],
            programme: Some(PROGRAMME.into()),
            partner: None,
            gi_id: None,
            description: Some(
                "DIP case-management system (demonstration: its host does not exist, so \
every delivery fails and is retried)"
                    .into(),
            ),
        })?,
        now,
    )?;
    Ok(())
}
