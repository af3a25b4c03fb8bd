//! The people of the demonstration: its administrator, the two offices, their staff,
//! the producers' associations and their users, each created by whoever may create it
//! and audited as the API would audit it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::calendars::{DemoCalendar, CNIPA_CALENDAR, DIP_CALENDAR};
use super::checked;
use super::data::{DemoGi, CNIPA, DIP, GIS};
use crate::audit::AuditActor;
use crate::db::AnyConnection;
use crate::domain::role::{Actor, Role};
use crate::error::AppError;
use crate::registry::acting::Acting;
use crate::registry::associations::CreateAssociation;
use crate::registry::holidays::AddHolidays;
use crate::registry::offices::CreateOffice;
use crate::registry::users::CreateUser;

/// One demo account: who creates it and where it sits.
#[derive(Clone, Copy, Debug)]
pub(super) struct Account {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    /// The office code (for association users, their association's office).
    pub office: Option<&'static str>,
    /// The key of the GI whose association the user acts for.
    pub gi: Option<&'static str>,
}

pub(super) struct Credential {
    pub account: Account,
    pub password: String,
    pub hash: String,
}

const DEMO_ADMIN: &str = "demo-admin";

pub(super) fn accounts() -> Vec<Account> {
    let staff = |username, display_name, role, office| Account {
        username,
        display_name,
        role,
        office,
        gi: None,
    };
    let mut list = vec![
        staff(DEMO_ADMIN, "Demo administrator", Role::Admin, None),
        staff("auditor", "Programme auditor", Role::Auditor, None),
    ];
    for (office, admin, examiner) in [
        (
            CNIPA,
            ("cnipa-admin", "CNIPA office administrator"),
            ("cnipa-examiner", "CNIPA GI examiner"),
        ),
        (
            DIP,
            ("dip-admin", "DIP office administrator"),
            ("dip-examiner", "DIP GI examiner"),
        ),
    ] {
        list.push(staff(admin.0, admin.1, Role::OfficeAdmin, Some(office)));
        list.push(staff(examiner.0, examiner.1, Role::Examiner, Some(office)));
        for gi in GIS.iter().filter(|gi| gi.office == office) {
            list.push(Account {
                username: gi.association.username,
                display_name: gi.association.display_name,
                role: Role::Association,
                office: Some(office),
                gi: Some(gi.key),
            });
        }
    }
    list
}

/// The people of the demonstration, as the use cases see them.
pub(super) struct Cast {
    pub admin: Acting,
    office_admins: HashMap<&'static str, Acting>,
    examiners: HashMap<&'static str, Acting>,
    /// Association user and association id, by GI key.
    applicants: HashMap<&'static str, (Acting, i64)>,
    office_ids: HashMap<&'static str, i64>,
}

impl Cast {
    pub fn examiner(&self, office: &str) -> Result<&Acting, AppError> {
        self.examiners
            .get(office)
            .ok_or_else(|| AppError::internal(format!("no demo examiner for {office}")))
    }

    pub fn office_admin(&self, office: &str) -> Result<&Acting, AppError> {
        self.office_admins
            .get(office)
            .ok_or_else(|| AppError::internal(format!("no demo office admin for {office}")))
    }

    pub fn applicant(&self, gi: &str) -> Result<&(Acting, i64), AppError> {
        self.applicants
            .get(gi)
            .ok_or_else(|| AppError::internal(format!("no demo association for {gi}")))
    }
}

fn acting_for(
    user_id: i64,
    account: &Account,
    office_id: Option<i64>,
    association_id: Option<i64>,
) -> Acting {
    Acting {
        actor: Actor {
            user_id,
            role: account.role,
            office_id,
            association_id,
        },
        audit: AuditActor {
            id: Some(user_id),
            name: account.username.to_string(),
            office: account.office.map(str::to_string),
        },
    }
}

/// The administrator (created by the system, as `terroir user add` would), the offices,
/// then every account and association, each created by whoever may.
pub(super) fn people(
    conn: &mut AnyConnection,
    credentials: &[Credential],
) -> Result<Cast, AppError> {
    let credential = |username: &str| {
        credentials
            .iter()
            .find(|c| c.account.username == username)
            .ok_or_else(|| AppError::internal(format!("no demo credential for {username}")))
    };
    let admin_credential = credential(DEMO_ADMIN)?;
    let admin_id = crate::auth::bootstrap::insert_account(
        conn,
        DEMO_ADMIN,
        admin_credential.account.display_name.into(),
        Role::Admin,
        admin_credential.hash.clone(),
    )?;
    let admin = acting_for(admin_id, &admin_credential.account, None, None);

    let mut office_ids = HashMap::new();
    for (code, jurisdiction, name, calendar, languages) in [
        (
            CNIPA,
            "CN",
            "China National Intellectual Property Administration",
            &CNIPA_CALENDAR,
            ["zh", "en"],
        ),
        (
            DIP,
            "TH",
            "Department of Intellectual Property",
            &DIP_CALENDAR,
            ["th", "en"],
        ),
    ] {
        let office = create_office(
            conn,
            &admin,
            CreateOffice {
                code: code.into(),
                jurisdiction: jurisdiction.into(),
                name: name.into(),
                opposition_period: Some(calendar.opposition_period),
                opposition_period_days: None,
                time_zone: Some(calendar.time_zone.into()),
                weekend: None,
                deadline_rolls_forward: None,
                languages: languages.iter().map(|l| l.to_string()).collect(),
            },
        )?;
        add_holidays(conn, &admin, code, calendar)?;
        office_ids.insert(code, office);
    }
    let mut cast = Cast {
        admin,
        office_admins: HashMap::new(),
        examiners: HashMap::new(),
        applicants: HashMap::new(),
        office_ids,
    };
    staff(conn, credentials, &mut cast)?;
    Ok(cast)
}

/// The auditor and office administrators (by the admin); examiners, associations and
/// association users (by their office administrator).
fn staff(
    conn: &mut AnyConnection,
    credentials: &[Credential],
    cast: &mut Cast,
) -> Result<(), AppError> {
    for c in credentials {
        let account = &c.account;
        match account.role {
            Role::Admin => {}
            Role::Auditor => {
                create_user(conn, &cast.admin, c, None)?;
            }
            Role::OfficeAdmin | Role::Examiner => {
                let code = account
                    .office
                    .ok_or_else(|| AppError::internal("an office user without office"))?;
                let office_id = *cast
                    .office_ids
                    .get(code)
                    .ok_or_else(|| AppError::internal(format!("no office {code}")))?;
                let creator = match account.role {
                    Role::OfficeAdmin => &cast.admin,
                    _ => cast
                        .office_admins
                        .get(code)
                        .ok_or_else(|| AppError::internal("office admin missing"))?,
                };
                let id = create_user(conn, creator, c, None)?;
                let acting = acting_for(id, account, Some(office_id), None);
                if account.role == Role::OfficeAdmin {
                    cast.office_admins.insert(code, acting);
                } else {
                    cast.examiners.insert(code, acting);
                }
            }
            Role::Association => {
                let key = account
                    .gi
                    .ok_or_else(|| AppError::internal("an association user without GI"))?;
                let gi = demo_gi(key)?;
                let office_id = *cast
                    .office_ids
                    .get(gi.office)
                    .ok_or_else(|| AppError::internal(format!("no office {}", gi.office)))?;
                let office_admin = cast
                    .office_admins
                    .get(gi.office)
                    .ok_or_else(|| AppError::internal("office admin missing"))?
                    .clone();
                let association_id = create_association(conn, &office_admin, gi)?;
                let id = create_user(conn, &office_admin, c, Some(association_id))?;
                let acting = acting_for(id, account, Some(office_id), Some(association_id));
                cast.applicants.insert(key, (acting, association_id));
            }
        }
    }
    Ok(())
}

pub(super) fn demo_gi(key: &str) -> Result<&'static DemoGi, AppError> {
    GIS.iter()
        .find(|gi| gi.key == key)
        .ok_or_else(|| AppError::internal(format!("no demo GI {key}")))
}

/// As `POST /api/v1/users`, by whoever may create the account.
fn create_user(
    conn: &mut AnyConnection,
    creator: &Acting,
    credential: &Credential,
    association_id: Option<i64>,
) -> Result<i64, AppError> {
    let account = &credential.account;
    let body = checked(CreateUser {
        username: account.username.into(),
        display_name: Some(account.display_name.into()),
        password: credential.password.clone(),
        role: account.role,
        office: account
            .office
            .filter(|_| account.role != Role::Association)
            .map(str::to_string),
        association_id,
    })?;
    Ok(crate::registry::users::create(conn, creator, body, credential.hash.clone())?.id)
}

/// As `POST /api/v1/offices`.
/// As `POST /api/v1/offices/{code}/holidays`, by the administrator.
fn add_holidays(
    conn: &mut AnyConnection,
    admin: &Acting,
    code: &str,
    calendar: &DemoCalendar,
) -> Result<(), AppError> {
    for (first, last, label) in calendar.holidays {
        let (first, last): (NaiveDate, NaiveDate) = (
            first.parse().map_err(AppError::internal)?,
            last.parse().map_err(AppError::internal)?,
        );
        let dates = first.iter_days().take_while(|d| *d <= last).collect();
        let body = checked(AddHolidays {
            dates,
            label: Some(label.to_string()),
            yearly: false,
        })?;
        crate::registry::holidays::add(conn, admin, code, body)?;
    }
    Ok(())
}

fn create_office(
    conn: &mut AnyConnection,
    admin: &Acting,
    body: CreateOffice,
) -> Result<i64, AppError> {
    Ok(crate::registry::offices::create(conn, admin, checked(body)?)?.id)
}

/// As `POST /api/v1/associations`, by the office administrator.
fn create_association(
    conn: &mut AnyConnection,
    office_admin: &Acting,
    gi: &DemoGi,
) -> Result<i64, AppError> {
    let body = checked(CreateAssociation {
        name: gi.association.name.into(),
        office: gi.office.into(),
        contact_email: Some(gi.association.contact_email.into()),
        contact_phone: None,
        address: Some(gi.association.address.into()),
    })?;
    Ok(crate::registry::associations::create(conn, office_admin, body)?.id)
}
