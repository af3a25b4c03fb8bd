//! Webhook subscriptions: an office administrator subscribes for the office's partner
//! systems, an association for its own GIs. The secret that signs deliveries is shown
//! once, when the subscription is made.

use chrono::NaiveDateTime;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::acting::Acting;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::permissions::Action;
use crate::domain::role::Role;
use crate::domain::webhook_events::{check_pattern, MAX_PATTERNS};
use crate::error::AppError;
use crate::store::subscriptions::{self, NewSubscription, Owner, Subscription};
use crate::store::webhook_deliveries::{self, Attempt, Delivery};
use crate::store::{audit, gis, offices, programmes, recognitions};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscription {
    /// Where deliveries are POSTed: an `https://` (or `http://`) URL whose host resolves
    /// to a public address.
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "https://gi.dip.go.th/terroir-hooks"
    )]
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// Event names (`recognition.refuse`), families (`recognition.*`) or `*`.
    #[schema(min_items = 1, max_items = 50, example = json!(["recognition.*", "gi.status_changed", "specification.approved"]))]
    #[validate(length(min = 1, max = 50), custom(function = "known_patterns"))]
    pub events: Vec<String>,
    /// Only recognitions in this programme (its code).
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    pub programme: Option<String>,
    /// Only recognitions decided by this partner office (its code).
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    pub partner: Option<String>,
    /// Only this GI.
    pub gi_id: Option<i64>,
    #[schema(max_length = 300)]
    #[validate(length(max = 300))]
    pub description: Option<String>,
}

fn known_patterns(patterns: &[String]) -> Result<(), ValidationError> {
    for pattern in patterns.iter().take(MAX_PATTERNS) {
        if let Err(why) = check_pattern(pattern) {
            let mut error = ValidationError::new("event");
            error.message = Some(why.into());
            return Err(error);
        }
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    /// The subscribing office's code, for an office's subscription.
    pub office: Option<String>,
    /// The subscribing association, for an association's subscription.
    pub association_id: Option<i64>,
    pub url: String,
    pub events: Vec<String>,
    pub programme: Option<String>,
    pub partner: Option<String>,
    pub gi_id: Option<i64>,
    pub description: Option<String>,
    /// False once cancelled: nothing more is delivered.
    pub active: bool,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize_option")]
    #[schema(value_type = Option<String>)]
    pub cancelled_at: Option<NaiveDateTime>,
}

/// A new subscription, with the secret its deliveries are signed with (shown only here).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    #[serde(flatten)]
    pub subscription: SubscriptionView,
    /// The HMAC-SHA256 key of `X-Terroir-Signature`. Keep it: it is not shown again.
    pub secret: String,
}

/// A delivery and every attempt made at it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    #[serde(flatten)]
    pub delivery: Delivery,
    /// Oldest first.
    pub attempt_log: Vec<Attempt>,
}

/// The subscriber a caller subscribes as.
fn subscriber_of(acting: &Acting) -> Result<(Option<i64>, Option<i64>), AppError> {
    match acting.actor.role {
        Role::OfficeAdmin => Ok((acting.actor.office_id, None)),
        Role::Association => Ok((None, acting.actor.association_id)),
        Role::Admin => Err(AppError::forbidden(
            "an administrator has no partner system of its own: an office administrator \
subscribes for the office, a producers' association for its GIs",
        )),
        _ => Err(AppError::forbidden(
            "subscriptions are made by an office administrator or a producers' association",
        )),
    }
}

/// Makes a subscription whose URL the caller has checked (`webhooks::destination`).
pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: CreateSubscription,
    now: NaiveDateTime,
) -> Result<CreatedSubscription, AppError> {
    let (office_id, association_id) = subscriber_of(acting)?;
    acting.authorize(Action::ManageSubscription {
        office_id,
        association_id,
    })?;
    let programme_id = match &body.programme {
        Some(code) => {
            let programme = programmes::by_code(conn, code)?
                .ok_or_else(|| AppError::invalid("programme", "no programme has this code"))?;
            if let Some(office) = office_id {
                let parties = programmes::parties(conn, programme.id)?;
                if !parties.iter().any(|(id, _)| *id == office) {
                    return Err(AppError::invalid(
                        "programme",
                        "your office is not a party to this programme",
                    ));
                }
            }
            Some(programme.id)
        }
        None => None,
    };
    let partner_office_id = match &body.partner {
        Some(code) => Some(
            offices::by_code(conn, code)?
                .ok_or_else(|| AppError::invalid("partner", "no office has this code"))?
                .id,
        ),
        None => None,
    };
    if let Some(gi_id) = body.gi_id {
        check_gi(conn, gi_id, office_id, association_id)?;
    }
    let secret = new_secret();
    let id = subscriptions::insert(
        conn,
        &NewSubscription {
            office_id,
            association_id,
            url: body.url,
            events: json!(body.events).to_string(),
            programme_id,
            partner_office_id,
            gi_id: body.gi_id,
            description: body.description,
            secret: secret.clone(),
            created_by: acting.audit.name.clone(),
            created_at: now,
        },
    )?;
    let stored = found(conn, id)?;
    let subscription = view(conn, &stored)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "subscription.create",
            "subscription",
            id,
            json!(subscription),
        ),
    )?;
    Ok(CreatedSubscription {
        subscription,
        secret,
    })
}

/// A GI filter names a GI of the association, or one the office is origin or partner of.
fn check_gi(
    conn: &mut AnyConnection,
    gi_id: i64,
    office_id: Option<i64>,
    association_id: Option<i64>,
) -> Result<(), AppError> {
    let unknown = || AppError::invalid("gi_id", "not a GI of your office or association");
    let (origin, applicant) = gis::owners(conn, gi_id)?.ok_or_else(unknown)?;
    let concerned = match office_id {
        Some(office) => {
            origin == office
                || recognitions::of_gi(conn, gi_id)?
                    .iter()
                    .any(|r| r.partner_office_id == office)
        }
        None => association_id.is_some() && applicant == association_id,
    };
    if concerned {
        Ok(())
    } else {
        Err(unknown())
    }
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

fn found(conn: &mut AnyConnection, id: i64) -> Result<Subscription, AppError> {
    subscriptions::find(conn, id)?.ok_or_else(|| AppError::not_found("subscription"))
}

fn view(conn: &mut AnyConnection, s: &Subscription) -> Result<SubscriptionView, AppError> {
    let code_of = |conn: &mut AnyConnection, id: Option<i64>| -> Result<Option<String>, AppError> {
        Ok(match id {
            Some(id) => offices::by_id(conn, id)?.map(|o| o.code),
            None => None,
        })
    };
    let office = code_of(conn, s.office_id)?;
    let partner = code_of(conn, s.partner_office_id)?;
    let programme = match s.programme_id {
        Some(id) => programmes::by_id(conn, id)?.map(|p| p.code),
        None => None,
    };
    Ok(SubscriptionView {
        id: s.id,
        office,
        association_id: s.association_id,
        url: s.url.clone(),
        events: s.patterns(),
        programme,
        partner,
        gi_id: s.gi_id,
        description: s.description.clone(),
        active: s.cancelled_at.is_none(),
        created_by: s.created_by.clone(),
        created_at: s.created_at,
        cancelled_at: s.cancelled_at,
    })
}

/// The subscription `id`, when the caller may read it.
fn readable(conn: &mut AnyConnection, acting: &Acting, id: i64) -> Result<Subscription, AppError> {
    let subscription = found(conn, id)?;
    acting.authorize(Action::ReadSubscription {
        office_id: subscription.office_id,
        association_id: subscription.association_id,
    })?;
    Ok(subscription)
}

pub fn read(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
) -> Result<SubscriptionView, AppError> {
    let subscription = readable(conn, acting, id)?;
    view(conn, &subscription)
}

/// The caller's subscriptions (every one, for admins and auditors), oldest first.
pub fn list(
    conn: &mut AnyConnection,
    acting: &Acting,
    after: i64,
    fetch: i64,
) -> Result<Vec<SubscriptionView>, AppError> {
    let owner = match acting.actor.role {
        Role::Admin | Role::Auditor => Owner::All,
        Role::OfficeAdmin => Owner::Office(acting.actor.office_id.unwrap_or_default()),
        Role::Association => Owner::Association(acting.actor.association_id.unwrap_or_default()),
        Role::Examiner => {
            return Err(AppError::forbidden(
                "subscriptions belong to an office administrator or an association",
            ))
        }
    };
    subscriptions::page(conn, owner, after, fetch)?
        .iter()
        .map(|s| view(conn, s))
        .collect()
}

/// Cancels a subscription: nothing more is delivered, and what was pending never is.
pub fn cancel(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let subscription = found(conn, id)?;
    acting.authorize(Action::ManageSubscription {
        office_id: subscription.office_id,
        association_id: subscription.association_id,
    })?;
    if subscription.cancelled_at.is_some() {
        return Ok(());
    }
    subscriptions::cancel(conn, id, now)?;
    webhook_deliveries::cancel_pending(conn, id, now)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "subscription.cancel",
            "subscription",
            id,
            json!({ "url": subscription.url }),
        ),
    )?;
    Ok(())
}

/// A subscription's deliveries with ids below `before`, newest first.
pub fn deliveries(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    status: Option<&str>,
    before: i64,
    fetch: i64,
) -> Result<Vec<DeliveryView>, AppError> {
    readable(conn, acting, id)?;
    Ok(webhook_deliveries::page(conn, id, status, before, fetch)?
        .into_iter()
        .map(|(delivery, attempt_log)| DeliveryView {
            delivery,
            attempt_log,
        })
        .collect())
}
