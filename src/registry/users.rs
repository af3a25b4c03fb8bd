//! User accounts: admins manage all; office admins manage those of their own office.
//! Passwords are hashed by the caller, off the write transaction.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use crate::audit::AuditRecord;
use crate::auth::password::check_policy;
use crate::db::AnyConnection;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::users::{self, UserWithOffice};
use crate::store::{associations, audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[schema(value_type = crate::domain::role::Role)]
    pub role: String,
    /// The office's code (for association users, their association's office).
    pub office: Option<String>,
    pub association_id: Option<i64>,
    pub active: bool,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

impl From<UserWithOffice> for UserView {
    fn from((user, office): UserWithOffice) -> Self {
        Self {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            office,
            association_id: user.association_id,
            active: user.active,
            version: user.version,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(pattern = r"^[a-z0-9][a-z0-9._-]{2,63}$")]
    #[validate(custom(function = "validate::username"))]
    pub username: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub display_name: Option<String>,
    /// 12 to 256 characters, not the username.
    #[schema(min_length = 12, max_length = 256)]
    #[validate(length(min = 1, max = 256))]
    pub password: String,
    pub role: Role,
    /// Required for `examiner` and `office_admin`; not used for `admin` and `auditor`.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub office: Option<String>,
    /// Required for `association` users.
    pub association_id: Option<i64>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub display_name: Option<String>,
    /// A new password, 12 to 256 characters, not the username; ends every session of
    /// the user.
    #[schema(min_length = 12, max_length = 256)]
    #[validate(length(min = 1, max = 256))]
    pub password: Option<String>,
    pub role: Option<Role>,
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub office: Option<String>,
    pub association_id: Option<i64>,
    /// false deactivates the account and ends its sessions at once.
    pub active: Option<bool>,
}

/// Where an account sits: its office (for association users, the association's office).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placement {
    office_id: Option<i64>,
    association_id: Option<i64>,
}

/// Checks that `role` gets what it needs (an office, an association, or neither) and
/// finds the office an association user belongs to.
fn resolve_placement(
    conn: &mut AnyConnection,
    role: Role,
    office: Option<&str>,
    association_id: Option<i64>,
) -> Result<Placement, AppError> {
    if role.requires_association() {
        let id = association_id.ok_or_else(|| {
            AppError::invalid("association_id", "is required for association users")
        })?;
        let (association, office_code) = associations::by_id(conn, id)?
            .ok_or_else(|| AppError::invalid("association_id", "no association has this id"))?;
        if office.is_some_and(|code| code != office_code) {
            return Err(AppError::invalid(
                "office",
                "differs from the association's office",
            ));
        }
        return Ok(Placement {
            office_id: Some(association.office_id),
            association_id: Some(id),
        });
    }
    if association_id.is_some() {
        return Err(AppError::invalid(
            "association_id",
            format!("is not used for role {role}"),
        ));
    }
    if role.has_no_office() {
        if office.is_some() {
            return Err(AppError::invalid(
                "office",
                format!("is not used for role {role}"),
            ));
        }
        return Ok(Placement {
            office_id: None,
            association_id: None,
        });
    }
    let code = office
        .ok_or_else(|| AppError::invalid("office", format!("is required for role {role}")))?;
    let office = offices::by_code(conn, code)?
        .ok_or_else(|| AppError::invalid("office", "no office has this code"))?;
    Ok(Placement {
        office_id: Some(office.id),
        association_id: None,
    })
}

/// Before a password is hashed (off the transaction): refuses what the role alone rules
/// out, then the password policy.
pub fn precheck_create(acting: &Acting, body: &CreateUser) -> Result<(), AppError> {
    acting.authorize(Action::ManageUser {
        role: body.role,
        office_id: acting.actor.office_id,
    })?;
    check_policy(&body.username, &body.password)
}

/// The username of account `id`, when the caller may manage the account as it is.
pub fn managed_username(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
) -> Result<String, AppError> {
    let (current, _) = users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?;
    let current_role: Role = current.role.parse().map_err(AppError::internal)?;
    acting.authorize(Action::ManageUser {
        role: current_role,
        office_id: current.office_id,
    })?;
    Ok(current.username)
}

/// Creates an account whose password `password_hash` was computed from the body's.
pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: CreateUser,
    password_hash: String,
) -> Result<UserView, AppError> {
    let placement =
        resolve_placement(conn, body.role, body.office.as_deref(), body.association_id)?;
    acting.authorize(Action::ManageUser {
        role: body.role,
        office_id: placement.office_id,
    })?;
    let now = Utc::now().naive_utc();
    let id = users::insert(
        conn,
        &users::NewUser {
            display_name: body.display_name.unwrap_or_else(|| body.username.clone()),
            username: body.username,
            password_hash,
            role: body.role.as_str().into(),
            office_id: placement.office_id,
            association_id: placement.association_id,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    let view = UserView::from(users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?);
    audit::append(
        conn,
        AuditRecord::new(&acting.audit, "user.create", "user", id, json!(view)),
    )?;
    Ok(view)
}

/// Amends an account, only at `expected_version` when one is given; `password_hash` is
/// the new password's, when the body changes it.
pub fn update(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    expected_version: Option<i32>,
    body: UpdateUser,
    password_hash: Option<String>,
) -> Result<UserView, AppError> {
    let (current, current_office) =
        users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(AppError::PreconditionFailed {
            current: current.version,
        });
    }
    let current_role: Role = current.role.parse().map_err(AppError::internal)?;
    let role = body.role.unwrap_or(current_role);
    let placement_changes =
        body.role.is_some() || body.office.is_some() || body.association_id.is_some();
    let placement = if placement_changes {
        let office = body.office.clone().or(if role.requires_office() {
            current_office
        } else {
            None
        });
        let association = body.association_id.or(if role.requires_association() {
            current.association_id
        } else {
            None
        });
        resolve_placement(conn, role, office.as_deref(), association)?
    } else {
        Placement {
            office_id: current.office_id,
            association_id: current.association_id,
        }
    };
    acting.authorize(Action::ManageUser {
        role,
        office_id: placement.office_id,
    })?;
    if id == acting.actor.user_id && (body.active == Some(false) || role != current_role) {
        return Err(AppError::conflict(
            "cannot_change_self",
            "you cannot deactivate yourself or change your own role",
        ));
    }
    let changes = users::UserChanges {
        display_name: body.display_name,
        password_hash,
        role: (role != current_role).then(|| role.as_str().to_string()),
        office_id: (placement.office_id != current.office_id).then_some(placement.office_id),
        association_id: (placement.association_id != current.association_id)
            .then_some(placement.association_id),
        active: body.active.filter(|active| *active != current.active),
    };
    let now = Utc::now().naive_utc();
    if !users::update(conn, &current, current.version, &changes, now)? {
        return Err(AppError::PreconditionFailed {
            current: current.version,
        });
    }
    if changes.revokes_sessions() {
        crate::store::sessions::revoke_all_of_user(conn, id, now)?;
    }
    let view = UserView::from(users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?);
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "user.update",
            "user",
            id,
            json!({
                "user": view,
                "password_changed": changes.password_hash.is_some(),
            }),
        ),
    )?;
    Ok(view)
}
