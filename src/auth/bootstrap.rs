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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::password::verify_password;
    use crate::db::{migrations, DatabaseUrl, PoolSettings};

    fn fresh_sqlite(dir: &std::path::Path) -> Database {
        let url = DatabaseUrl::parse(&dir.join("bootstrap.db").display().to_string()).unwrap();
        let db = Database::open(&url, &PoolSettings::default()).unwrap();
        migrations::run_pending(&mut db.connection().unwrap()).unwrap();
        db
    }

    fn user(db: &Database, username: &str) -> Option<users::User> {
        let username = username.to_string();
        db.read_blocking(move |conn| users::by_username(conn, &username))
            .unwrap()
            .map(|(user, _)| user)
    }

    fn actions(db: &Database) -> Vec<(String, Option<String>)> {
        db.read_blocking(|conn| audit::list(conn, 0, 100, false))
            .unwrap()
            .into_iter()
            .map(|entry| (entry.action, entry.entity_id))
            .collect()
    }

    #[test]
    fn the_first_start_creates_admin_with_a_generated_password_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_sqlite(dir.path());
        let Bootstrap::CreatedWithPassword(password) = ensure_admin(&db, None).unwrap() else {
            panic!("no admin was created");
        };
        let admin = user(&db, ADMIN_USERNAME).unwrap();
        assert!(verify_password(&password, &admin.password_hash));
        assert_eq!(admin.role, Role::Admin.as_str());
        assert_eq!(
            actions(&db),
            [("user.create".to_string(), Some(admin.id.to_string()))]
        );
        assert_eq!(ensure_admin(&db, None).unwrap(), Bootstrap::NotNeeded);
        assert_eq!(actions(&db).len(), 1);
    }

    #[test]
    fn a_configured_password_is_used_then_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_sqlite(dir.path());
        let password = "the configured one";
        assert_eq!(
            ensure_admin(&db, Some(password)).unwrap(),
            Bootstrap::Created
        );
        assert!(verify_password(
            password,
            &user(&db, ADMIN_USERNAME).unwrap().password_hash
        ));
        // Once users exist the setting is not even checked against the policy.
        assert_eq!(
            ensure_admin(&db, Some("short")).unwrap(),
            Bootstrap::PasswordIgnored
        );
    }

    #[test]
    fn an_account_made_on_the_command_line_returns_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_sqlite(dir.path());
        ensure_admin(&db, None).unwrap();
        let id = create_account(&db, "auditor1", None, Role::Auditor, "hash".into()).unwrap();
        let made = user(&db, "auditor1").unwrap();
        assert_eq!(id, made.id);
        assert_ne!(id, user(&db, ADMIN_USERNAME).unwrap().id);
        assert_eq!(made.display_name, "auditor1");
        assert_eq!(made.role, Role::Auditor.as_str());
        assert_eq!(
            actions(&db).last(),
            Some(&("user.create".to_string(), Some(id.to_string())))
        );
    }
}
