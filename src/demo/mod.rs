//! `terroir demo` (and `serve --demo`): a realistic China–Thailand programme loaded into
//! an empty database (DESIGN §6, §7). CNIPA and DIP with their opposition periods, the
//! CN-TH programme, an association per GI, the nine real GIs with their original names
//! and transliterations, spread over every status at home and in the partner office,
//! and one user of every role.
//!
//! Everything is written through the registry's own use cases, by the user who would
//! have done it over the API (the association files, the examiner publishes, the
//! partner's examiner protects …), so every change has its event and its audit entry
//! and every permission and date rule is checked. Legal dates are chosen relative to
//! `today`: the GIs were filed about two years ago, the recognitions submitted four to
//! fourteen months ago, so that the CN-TH decision period (365 days) is running for
//! most and over for one.
//!
//! The whole demonstration is one write transaction: a failure leaves nothing.

mod areas;
mod calendars;
mod data;
mod extras;
mod office_lists;
mod people;
mod scene;
mod specification_pdf;

use std::fmt::Write as _;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use self::data::{CNIPA, DIP};
use self::people::{accounts, Credential};
use self::scene::build;
use crate::api::json::flatten;
use crate::auth::password::{check_policy, generate_password, hash_password};
use crate::db::schema;
use crate::db::{AnyConnection, Database};
use crate::error::AppError;
use crate::store::offices;

/// When set, every demo user gets this password (it must pass the password policy).
pub const PASSWORD_ENV: &str = "TERROIR_DEMO_PASSWORD";

/// The programme the demonstration loads.
pub const PROGRAMME: &str = "CN-TH";

/// A demo user: (username, role, office code, password); admins and auditors have no
/// office, association users have their association's.
pub type DemoUser = (String, String, Option<String>, String);

/// What was loaded.
#[derive(Clone, Debug)]
pub struct DemoReport {
    /// Every demo user, in creation order.
    pub users: Vec<DemoUser>,
    pub gis: usize,
    pub recognitions: usize,
}

impl DemoReport {
    /// The users as a table, with a short guide: what `terroir demo` prints.
    pub fn table(&self) -> String {
        let headers = ("username", "role", "office", "password");
        let office = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
        let width = |f: &dyn Fn(&DemoUser) -> usize, h: &str| {
            self.users.iter().map(f).chain([h.len()]).max().unwrap_or(0)
        };
        let w_user = width(&|u| u.0.chars().count(), headers.0);
        let w_role = width(&|u| u.1.chars().count(), headers.1);
        let w_office = width(&|u| office(&u.2).chars().count(), headers.2);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Loaded the {PROGRAMME} demonstration: CNIPA and DIP, {} GIs, {} recognitions.\n",
            self.gis, self.recognitions
        );
        let _ = writeln!(
            out,
            "  {:w_user$}  {:w_role$}  {:w_office$}  {}",
            headers.0, headers.1, headers.2, headers.3
        );
        for (username, role, office_code, password) in &self.users {
            let _ = writeln!(
                out,
                "  {username:w_user$}  {role:w_role$}  {:w_office$}  {password}",
                office(office_code)
            );
        }
        let _ = write!(
            out,
            "\nKeep these passwords now: they are not shown again.\n\
             Try: log in (POST /api/v1/auth/login) as dip-examiner and GET /api/v1/worklist\n\
             (an overdue recognition comes first); GET /api/v1/gis?q=longjing;\n\
             GET /api/v1/audit/verify as demo-admin or auditor.\n"
        );
        out
    }

    pub fn print(&self) {
        print!("{}", self.table());
    }
}

/// Whether the database holds any GI (the demonstration loads into an empty register).
/// Blocking.
pub fn database_has_gis(db: &Database) -> Result<bool, AppError> {
    db.read_blocking(|conn| Ok(gi_count(conn)? > 0))
}

/// `serve --demo`: loads the demonstration unless the database already holds GIs.
/// Blocking.
pub fn load_demo_if_empty(
    db: &Database,
    today: NaiveDate,
    password: Option<&str>,
) -> Result<Option<DemoReport>, AppError> {
    if database_has_gis(db)? {
        return Ok(None);
    }
    load_demo(db, today, password).map(Some)
}

/// Loads the demonstration in one write transaction. Refuses a database that already
/// holds GIs, an office CNIPA or DIP, or the CN-TH programme; leaves every existing
/// account (the bootstrap `admin` included) alone. Blocking: hashes passwords and runs
/// on the caller's thread.
pub fn load_demo(
    db: &Database,
    today: NaiveDate,
    password: Option<&str>,
) -> Result<DemoReport, AppError> {
    // Fail fast, before paying for the hashes; checked again inside the transaction.
    db.read_blocking(refuse_unless_empty)?;
    let mut credentials = Vec::new();
    for account in accounts() {
        let (password, configured) = match password {
            Some(p) => (p.to_string(), true),
            None => (generate_password(), false),
        };
        check_policy(account.username, &password).map_err(|_| {
            if configured {
                AppError::BadRequest(format!(
                    "{PASSWORD_ENV} does not meet the password policy for {} (12 to 256 characters, not the username)",
                    account.username
                ))
            } else {
                AppError::internal("a generated password failed the policy")
            }
        })?;
        let hash = hash_password(&password)?;
        credentials.push(Credential {
            account,
            password,
            hash,
        });
    }
    let (gis, recognitions) = db
        .write_blocking(|conn| {
            refuse_unless_empty(conn)?;
            build(conn, today, &credentials)
        })
        .map_err(readable)?;
    Ok(DemoReport {
        users: credentials
            .into_iter()
            .map(|c| {
                (
                    c.account.username.to_string(),
                    c.account.role.as_str().to_string(),
                    c.account.office.map(str::to_string),
                    c.password,
                )
            })
            .collect(),
        gis,
        recognitions,
    })
}

fn gi_count(conn: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(schema::gis::table.count().get_result(conn)?)
}

fn refuse_unless_empty(conn: &mut AnyConnection) -> Result<(), AppError> {
    let refuse = |what: String| AppError::Conflict {
        code: "not_empty",
        message: format!(
            "{what}; the demonstration loads into an empty register only (use a new database)"
        ),
        details: json!({ "reason": what }),
    };
    let gis = gi_count(conn)?;
    if gis > 0 {
        return Err(refuse(format!("the database already holds {gis} GI(s)")));
    }
    for code in [CNIPA, DIP] {
        if offices::by_code(conn, code)?.is_some() {
            return Err(refuse(format!("an office {code} already exists")));
        }
    }
    if crate::store::programmes::by_code(conn, PROGRAMME)?.is_some() {
        return Err(refuse(format!("a programme {PROGRAMME} already exists")));
    }
    Ok(())
}

/// Validation errors name the fields; on the command line, say which.
fn readable(err: AppError) -> AppError {
    match err {
        AppError::Validation(fields) => AppError::BadRequest(format!(
            "the demonstration data was refused: {}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => other,
    }
}

fn checked<T: Validate>(value: T) -> Result<T, AppError> {
    value
        .validate()
        .map_err(|errors| AppError::Validation(flatten(&errors)))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::db::{migrations, DatabaseUrl, PoolSettings};
    use crate::domain::role::Role;
    use crate::registry::gi_search::{search, GiQuery};

    fn fresh_sqlite(dir: &std::path::Path) -> Result<Database, AppError> {
        let url = DatabaseUrl::parse(&dir.join("demo.db").display().to_string())
            .map_err(AppError::internal)?;
        let db = Database::open(&url, &PoolSettings::default())?;
        let mut conn = db.connection()?;
        migrations::run_pending(&mut conn)?;
        drop(conn);
        Ok(db)
    }

    fn found(db: &Database, q: &str) -> Result<Vec<String>, AppError> {
        let query = GiQuery {
            q: Some(q.into()),
            ..GiQuery::default()
        };
        let rows = db.read_blocking(|conn| search(conn, None, &query, 0, 50))?;
        let ids: Vec<i64> = rows.iter().map(|(gi, _)| gi.id).collect();
        let names = db.read_blocking(|conn| crate::store::gis::names_of(conn, &ids))?;
        Ok(names
            .into_iter()
            .filter(|n| n.kind == "original")
            .map(|n| n.text)
            .collect())
    }

    #[test]
    fn the_demo_is_found_by_transliteration_and_refuses_a_second_load() -> Result<(), AppError> {
        let dir = tempfile::tempdir().map_err(AppError::internal)?;
        let db = fresh_sqlite(dir.path())?;
        let today = Utc::now().date_naive();
        let report = load_demo(&db, today, None)?;
        assert_eq!(report.gis, 9);
        assert_eq!(report.recognitions, 6);
        let roles: Vec<&str> = report.users.iter().map(|u| u.1.as_str()).collect();
        for role in Role::ALL {
            assert!(
                roles.contains(&role.as_str()),
                "no demo user of role {role}"
            );
        }
        for (username, _, _, password) in &report.users {
            assert!(check_policy(username, password).is_ok());
        }
        assert!(report.table().contains("dip-examiner"));

        assert_eq!(found(&db, "longjing")?, vec!["龙井茶".to_string()]);
        assert_eq!(found(&db, "doi tung")?, vec!["กาแฟดอยตุง".to_string()]);
        assert_eq!(found(&db, "maotai")?, vec!["茅台酒".to_string()]);

        let again = load_demo(&db, today, None);
        assert!(
            matches!(
                again,
                Err(AppError::Conflict {
                    code: "not_empty",
                    ..
                })
            ),
            "{again:?}"
        );
        assert!(load_demo_if_empty(&db, today, None)?.is_none());
        Ok(())
    }

    #[test]
    fn a_configured_password_must_pass_the_policy() -> Result<(), AppError> {
        let dir = tempfile::tempdir().map_err(AppError::internal)?;
        let db = fresh_sqlite(dir.path())?;
        let refused = load_demo(&db, Utc::now().date_naive(), Some("short"));
        assert!(
            matches!(refused, Err(AppError::BadRequest(_))),
            "{refused:?}"
        );
        assert!(!database_has_gis(&db)?);
        Ok(())
    }
}
