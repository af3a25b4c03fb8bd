//! Accounts made outside the API: the first administrator, created on first start when
//! there are no users, and `terroir user add`.

use chrono::Utc;
use serde_json::json;

use super::password::{check_policy, generate_password, hash_password};
use crate::audit::{AuditActor, AuditRecord};
use crate::db::{AnyConnection, Database};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::{audit, users};

pub const ADMIN_USERNAME: &str = "admin";

/// What happened at start-up.
#[derive(Debug, PartialEq, Eq)]
pub enum Bootstrap {
    /// Users exist already: nothing was done.
    NotNeeded,
    /// Users exist already, so the configured first-admin password was not used.
    PasswordIgnored,
    /// `admin` was created with the configured password.
    Created,
    /// `admin` was created with this generated password, shown once.
    CreatedWithPassword(String),
}

/// Blocking: call it from the command line or off the async workers.
pub fn ensure_admin(db: &Database, configured: Option<&str>) -> Result<Bootstrap, AppError> {
    let users_exist = if configured.is_some() {
        Bootstrap::PasswordIgnored
    } else {
        Bootstrap::NotNeeded
    };
    if db.read_blocking(users::count)? > 0 {
        return Ok(users_exist);
    }
    let (password, generated) = match configured {
        Some(password) => {
            check_policy(ADMIN_USERNAME, password).map_err(|_| {
                AppError::BadRequest(
                    "TERROIR_ADMIN_PASSWORD does not meet the password policy (12 to 256 characters, not the username)".into(),
                )
            })?;
            (password.to_string(), false)
        }
        None => (generate_password(), true),
    };
    let password_hash = hash_password(&password)?;
    let created = db.write_blocking(|conn| {
        // Another process may have created the first user meanwhile.
        if users::count(conn)? > 0 {
            return Ok(false);
        }
        insert_account(
            conn,
            ADMIN_USERNAME,
            "Administrator".into(),
            Role::Admin,
            password_hash,
        )?;
        Ok(true)
    })?;
    Ok(match (created, generated) {
        (false, _) => users_exist,
        (true, false) => Bootstrap::Created,
        (true, true) => Bootstrap::CreatedWithPassword(password),
    })
}

/// Creates an account of a role without office (admin, auditor), recorded as done by
/// the system. Blocking.
pub fn create_account(
    db: &Database,
    username: &str,
    display_name: Option<String>,
    role: Role,
    password_hash: String,
) -> Result<i64, AppError> {
    let display_name = display_name.unwrap_or_else(|| username.to_string());
    db.write_blocking(|conn| insert_account(conn, username, display_name, role, password_hash))
}

/// Inserts an account of a role without office and its audit entry, as the system.
pub fn insert_account(
    conn: &mut AnyConnection,
    username: &str,
    display_name: String,
    role: Role,
    password_hash: String,
) -> Result<i64, AppError> {
    let now = Utc::now().naive_utc();
    let id = users::insert(
        conn,
        &users::NewUser {
            username: username.into(),
            display_name,
            password_hash,
            role: role.as_str().into(),
            office_id: None,
            association_id: None,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::append(
        conn,
        AuditRecord::new(
            &AuditActor::system(),
            "user.create",
            "user",
            id,
            json!({
                "username": username, "role": role.as_str()
            }),
        ),
    )?;
    Ok(id)
}
