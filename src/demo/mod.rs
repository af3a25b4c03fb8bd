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

mod data;

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{Days, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use self::data::{DemoGi, CNIPA, DIP, GIS};
use crate::api::associations::{AssociationView, CreateAssociation};
use crate::api::json::flatten;
use crate::api::offices::{CreateOffice, OfficeView};
use crate::api::users::{CreateUser, UserView};
use crate::audit::{AuditActor, AuditRecord};
use crate::auth::password::{check_policy, generate_password, hash_password};
use crate::db::schema;
use crate::db::{AnyConnection, Database};
use crate::domain::permissions::Action;
use crate::domain::role::{Actor, Role};
use crate::error::AppError;
use crate::registry::acting::Acting;
use crate::registry::amendments::{self, AmendmentProposal};
use crate::registry::gi_application::{self, GiApplication, NameInput, SpecificationInput};
use crate::registry::gi_lifecycle::{self, ActionRequest};
use crate::registry::oppositions::{self, OppositionDecision, OppositionFiling};
use crate::registry::programmes::{self, CreateProgramme};
use crate::registry::recognition_lifecycle::{self, RecognitionActionRequest};
use crate::registry::recognitions::{self, ListItem, ListSubmission, Submission};
use crate::store::{associations, audit, offices, users};

/// When set, every demo user gets this password (it must pass the password policy).
pub const PASSWORD_ENV: &str = "TERROIR_DEMO_PASSWORD";

/// The programme the demonstration loads.
pub const PROGRAMME: &str = "CN-TH";

/// What was loaded.
#[derive(Clone, Debug)]
pub struct DemoReport {
    /// (username, role, office code, password) of every demo user, in creation order;
    /// admins and auditors have no office.
    pub users: Vec<(String, String, Option<String>, String)>,
    pub gis: usize,
    pub recognitions: usize,
}

impl DemoReport {
    /// The users as a table, with a short guide: what `terroir demo` prints.
    pub fn table(&self) -> String {
        let headers = ("username", "role", "office", "password");
        let office = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
        let width = |f: &dyn Fn(&(String, String, Option<String>, String)) -> usize, h: &str| {
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
            "\nKeep these passwords now: they are not shown again. Log in with \
             POST /api/v1/auth/login; try GET /api/v1/worklist as dip-examiner (an overdue \
             recognition comes first), GET /api/v1/gis?q=longjing, and \
             GET /api/v1/audit/verify as demo-admin.\n"
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

/// One demo account: who creates it and where it sits.
#[derive(Clone, Copy, Debug)]
struct Account {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    /// The office code (for association users, their association's office).
    office: Option<&'static str>,
    /// The key of the GI whose association the user acts for.
    gi: Option<&'static str>,
}

struct Credential {
    account: Account,
    password: String,
    hash: String,
}

const DEMO_ADMIN: &str = "demo-admin";

fn accounts() -> Vec<Account> {
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
struct Cast {
    admin: Acting,
    office_admins: HashMap<&'static str, Acting>,
    examiners: HashMap<&'static str, Acting>,
    /// Association user and association id, by GI key.
    applicants: HashMap<&'static str, (Acting, i64)>,
    office_ids: HashMap<&'static str, i64>,
}

impl Cast {
    fn examiner(&self, office: &str) -> Result<&Acting, AppError> {
        self.examiners
            .get(office)
            .ok_or_else(|| AppError::internal(format!("no demo examiner for {office}")))
    }

    fn applicant(&self, gi: &str) -> Result<&(Acting, i64), AppError> {
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

/// Writes the whole demonstration; returns (GIs, recognitions).
fn build(
    conn: &mut AnyConnection,
    today: NaiveDate,
    credentials: &[Credential],
) -> Result<(usize, usize), AppError> {
    let cast = people(conn, credentials)?;
    let mut scene = Scene { conn, today };
    scene.play(&cast)
}

/// The administrator (created by the system, as `terroir user add` would), the offices,
/// the programme, then every account and association, each created by whoever may.
fn people(conn: &mut AnyConnection, credentials: &[Credential]) -> Result<Cast, AppError> {
    let credential = |username: &str| {
        credentials
            .iter()
            .find(|c| c.account.username == username)
            .ok_or_else(|| AppError::internal(format!("no demo credential for {username}")))
    };
    let admin_credential = credential(DEMO_ADMIN)?;
    let admin_id = insert_user(conn, &AuditActor::system(), admin_credential, None, None)?;
    let admin = acting_for(admin_id, &admin_credential.account, None, None);

    let mut office_ids = HashMap::new();
    for (code, jurisdiction, name, period, languages) in [
        (
            CNIPA,
            "CN",
            "China National Intellectual Property Administration",
            60,
            ["zh", "en"],
        ),
        (
            DIP,
            "TH",
            "Department of Intellectual Property",
            90,
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
                opposition_period_days: period,
                languages: languages.iter().map(|l| l.to_string()).collect(),
            },
        )?;
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
                create_user(conn, &cast.admin, c, None, None)?;
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
                let id = create_user(conn, creator, c, Some(office_id), None)?;
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
                let association_id = create_association(conn, &office_admin, office_id, gi)?;
                let id = create_user(
                    conn,
                    &office_admin,
                    c,
                    Some(office_id),
                    Some(association_id),
                )?;
                let acting = acting_for(id, account, Some(office_id), Some(association_id));
                cast.applicants.insert(key, (acting, association_id));
            }
        }
    }
    Ok(())
}

fn demo_gi(key: &str) -> Result<&'static DemoGi, AppError> {
    GIS.iter()
        .find(|gi| gi.key == key)
        .ok_or_else(|| AppError::internal(format!("no demo GI {key}")))
}

/// Inserts an account and its `user.create` audit entry, as `POST /api/v1/users` does.
fn insert_user(
    conn: &mut AnyConnection,
    by: &AuditActor,
    credential: &Credential,
    office_id: Option<i64>,
    association_id: Option<i64>,
) -> Result<i64, AppError> {
    let account = &credential.account;
    checked(CreateUser {
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
    let now = Utc::now().naive_utc();
    let id = users::insert(
        conn,
        &users::NewUser {
            username: account.username.into(),
            display_name: account.display_name.into(),
            password_hash: credential.hash.clone(),
            role: account.role.as_str().into(),
            office_id,
            association_id,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    let view = UserView::from(users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?);
    audit::append(
        conn,
        AuditRecord::new(by, "user.create", "user", id, json!(view)),
    )?;
    Ok(id)
}

fn create_user(
    conn: &mut AnyConnection,
    creator: &Acting,
    credential: &Credential,
    office_id: Option<i64>,
    association_id: Option<i64>,
) -> Result<i64, AppError> {
    creator.authorize(Action::ManageUser {
        role: credential.account.role,
        office_id,
    })?;
    insert_user(conn, &creator.audit, credential, office_id, association_id)
}

/// As `POST /api/v1/offices`.
fn create_office(
    conn: &mut AnyConnection,
    admin: &Acting,
    body: CreateOffice,
) -> Result<i64, AppError> {
    admin.authorize(Action::ManageOffices)?;
    let body = checked(body)?;
    let now = Utc::now().naive_utc();
    let office = offices::insert(
        conn,
        &offices::NewOffice {
            code: body.code,
            jurisdiction: body.jurisdiction,
            name: body.name,
            opposition_period_days: body.opposition_period_days,
            languages: serde_json::to_string(&body.languages).map_err(AppError::internal)?,
            created_at: now,
            updated_at: now,
        },
    )?;
    let id = office.id;
    let code = office.code.clone();
    audit::append(
        conn,
        AuditRecord::new(
            &admin.audit,
            "office.create",
            "office",
            &code,
            json!(OfficeView::from(office)),
        ),
    )?;
    Ok(id)
}

/// As `POST /api/v1/associations`, by the office administrator.
fn create_association(
    conn: &mut AnyConnection,
    office_admin: &Acting,
    office_id: i64,
    gi: &DemoGi,
) -> Result<i64, AppError> {
    office_admin.authorize(Action::ManageAssociation { office_id })?;
    let body = checked(CreateAssociation {
        name: gi.association.name.into(),
        office: gi.office.into(),
        contact_email: Some(gi.association.contact_email.into()),
        contact_phone: None,
        address: Some(gi.association.address.into()),
    })?;
    let now = Utc::now().naive_utc();
    let id = associations::insert(
        conn,
        &associations::NewAssociation {
            name: body.name,
            office_id,
            contact_email: body.contact_email,
            contact_phone: body.contact_phone,
            address: body.address,
            created_at: now,
            updated_at: now,
        },
    )?;
    let view = AssociationView::from(
        associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?,
    );
    audit::append(
        conn,
        AuditRecord::new(
            &office_admin.audit,
            "association.create",
            "association",
            id,
            json!(view),
        ),
    )?;
    Ok(id)
}

/// The scenario: each step is a use case called by the user who would take it, on a
/// legal date `days` before `today`.
struct Scene<'c> {
    conn: &'c mut AnyConnection,
    today: NaiveDate,
}

/// A partner-phase step.
struct Step<'a> {
    action: &'a str,
    days_ago: u64,
    grounds: Option<&'a str>,
    limitations: Option<&'a str>,
    phase_out_until: Option<NaiveDate>,
}

impl<'a> Step<'a> {
    fn new(action: &'a str, days_ago: u64) -> Self {
        Self {
            action,
            days_ago,
            grounds: None,
            limitations: None,
            phase_out_until: None,
        }
    }
}

impl Scene<'_> {
    fn ago(&self, days: u64) -> NaiveDate {
        self.today
            .checked_sub_days(Days::new(days))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The association applies (a draft) and files on the legal date.
    fn apply_and_file(
        &mut self,
        cast: &Cast,
        gi: &DemoGi,
        filed_days_ago: u64,
    ) -> Result<i64, AppError> {
        let (applicant, association_id) = cast.applicant(gi.key)?;
        let spec = &gi.specification;
        let application = checked(GiApplication {
            origin_office: gi.office.into(),
            association_id: Some(*association_id),
            gi_type: gi.gi_type,
            product_type: gi.product_type,
            product_class: gi.product_class.into(),
            nice_class: None,
            names: gi
                .names
                .iter()
                .map(|(text, lang, script, kind, romanization)| NameInput {
                    text: text.to_string(),
                    lang: lang.to_string(),
                    script: Some(script.to_string()),
                    kind: *kind,
                    romanization: romanization.map(str::to_string),
                })
                .collect(),
            area_description: gi.area_description.into(),
            area_geojson: None,
            specification: SpecificationInput {
                product_description: spec.product_description.into(),
                raw_materials: Some(spec.raw_materials.into()),
                production_method: Some(spec.production_method.into()),
                link_with_area: Some(spec.link_with_area.into()),
                labelling: Some(spec.labelling.into()),
                control_body: Some(spec.control_body.into()),
            },
        })?;
        let view =
            gi_application::create(self.conn, applicant, application, Utc::now().naive_utc())?;
        self.gi(applicant, view.id, "file", filed_days_ago, None)?;
        Ok(view.id)
    }

    fn gi(
        &mut self,
        who: &Acting,
        id: i64,
        action: &str,
        days_ago: u64,
        grounds: Option<&str>,
    ) -> Result<(), AppError> {
        let request = checked(ActionRequest {
            action: action.into(),
            effective_on: Some(self.ago(days_ago)),
            grounds: grounds.map(str::to_string),
        })?;
        gi_lifecycle::apply(self.conn, who, id, None, request, self.today)?;
        Ok(())
    }

    /// Examination, publication and registration at home by the origin examiner.
    fn examine_publish_register(
        &mut self,
        examiner: &Acting,
        id: i64,
        [examined, published, registered]: [u64; 3],
    ) -> Result<(), AppError> {
        self.gi(examiner, id, "start_examination", examined, None)?;
        self.gi(examiner, id, "publish", published, None)?;
        self.gi(examiner, id, "register", registered, None)
    }

    /// An examiner of the deciding office records an opposition on the opponent's
    /// behalf; `recognition` None is the home phase.
    fn oppose(
        &mut self,
        examiner: &Acting,
        target: Target,
        opponent: &str,
        grounds: &str,
        days_ago: u64,
    ) -> Result<i64, AppError> {
        let filing = checked(OppositionFiling {
            opponent_name: Some(opponent.into()),
            grounds: grounds.into(),
            filed_on: Some(self.ago(days_ago)),
        })?;
        let view = match target {
            Target::Gi(id) => {
                oppositions::file_against_gi(self.conn, examiner, id, filing, self.today)?
            }
            Target::Recognition(id) => {
                oppositions::file_against_recognition(self.conn, examiner, id, filing, self.today)?
            }
        };
        Ok(view.id)
    }

    fn decide_opposition(
        &mut self,
        examiner: &Acting,
        id: i64,
        action: &str,
        grounds: &str,
        days_ago: u64,
    ) -> Result<(), AppError> {
        let decision = checked(OppositionDecision {
            action: action.into(),
            grounds: Some(grounds.into()),
            effective_on: Some(self.ago(days_ago)),
        })?;
        oppositions::decide(self.conn, examiner, id, decision, self.today)?;
        Ok(())
    }

    /// The origin examiner puts a whole list forward at once.
    fn submit_list(
        &mut self,
        examiner: &Acting,
        label: &str,
        days_ago: u64,
        items: &[(i64, &str)],
    ) -> Result<Vec<i64>, AppError> {
        let body = checked(ListSubmission {
            programme: PROGRAMME.into(),
            list_label: label.into(),
            effective_on: Some(self.ago(days_ago)),
            items: items
                .iter()
                .map(|(gi_id, partner)| ListItem {
                    gi_id: *gi_id,
                    partner: partner.to_string(),
                })
                .collect(),
        })?;
        let views = recognitions::submit_list(self.conn, examiner, body, self.today)?;
        Ok(views.into_iter().map(|v| v.id).collect())
    }

    fn submit(
        &mut self,
        examiner: &Acting,
        gi_id: i64,
        partner: &str,
        label: &str,
        days_ago: u64,
    ) -> Result<i64, AppError> {
        let body = checked(Submission {
            programme: PROGRAMME.into(),
            gi_id,
            partner: partner.into(),
            list_label: Some(label.into()),
            effective_on: Some(self.ago(days_ago)),
        })?;
        Ok(recognitions::submit(self.conn, examiner, body, self.today)?.id)
    }

    fn recognition(&mut self, examiner: &Acting, id: i64, step: Step<'_>) -> Result<(), AppError> {
        let request = checked(RecognitionActionRequest {
            action: step.action.into(),
            effective_on: Some(self.ago(step.days_ago)),
            grounds: step.grounds.map(str::to_string),
            limitations: step.limitations.map(str::to_string),
            phase_out_until: step.phase_out_until,
        })?;
        recognition_lifecycle::apply(self.conn, examiner, id, None, request, self.today)?;
        Ok(())
    }

    fn play(&mut self, cast: &Cast) -> Result<(usize, usize), AppError> {
        let cnipa = cast.examiner(CNIPA)?;
        let dip = cast.examiner(DIP)?;
        let in_force = self.ago(940);
        programmes::create(
            self.conn,
            &cast.admin,
            checked(CreateProgramme {
                code: PROGRAMME.into(),
                title: "China–Thailand mutual recognition and protection of geographical indications".into(),
                parties: vec![CNIPA.into(), DIP.into()],
                signed_on: Some(self.ago(1000)),
                in_force_on: Some(in_force),
                legal_instrument: Some(
                    "Demonstration programme modelled on the CNIPA–DIP cooperation on geographical indications; its dates, opponents, trademarks and decisions are fictitious".into(),
                ),
                decision_period_days: 365,
                tacit_protection: false,
                requires_origin_registration: true,
            })?,
        )?;

        // Home phase at CNIPA (60-day opposition period).
        let longjing = self.apply_and_file(cast, demo_gi("longjing")?, 790)?;
        self.gi(cnipa, longjing, "start_examination", 770, None)?;
        self.gi(cnipa, longjing, "publish", 720, None)?;
        let objection = self.oppose(
            cnipa,
            Target::Gi(longjing),
            "Qiantang Tea Merchants' Guild (fictitious)",
            "The Yuezhou zone should be left out of the area: its teas have long been traded under other names.",
            690,
        )?;
        self.decide_opposition(
            cnipa,
            objection,
            "reject",
            "Flat pan-fired tea has been made in the Yuezhou zone by the same method for decades; the evidence does not support excluding it.",
            670,
        )?;
        self.gi(cnipa, longjing, "register", 655, None)?;

        let zhenjiang = self.apply_and_file(cast, demo_gi("zhenjiang")?, 760)?;
        self.examine_publish_register(cnipa, zhenjiang, [740, 700, 635])?;
        let moutai = self.apply_and_file(cast, demo_gi("moutai")?, 735)?;
        self.examine_publish_register(cnipa, moutai, [715, 680, 615])?;

        let pinggu = self.apply_and_file(cast, demo_gi("pinggu")?, 330)?;
        self.gi(cnipa, pinggu, "start_examination", 300, None)?;
        self.gi(cnipa, pinggu, "publish", 40, None)?;
        self.oppose(
            cnipa,
            Target::Gi(pinggu),
            "Miyun Orchard Cooperative (fictitious)",
            "'Da Tao' (big peach) is a common name for large peaches in northern China and should not be reserved; protection should cover the compound name only.",
            12,
        )?;

        let guanxi = self.apply_and_file(cast, demo_gi("guanxi")?, 150)?;
        self.gi(cnipa, guanxi, "start_examination", 110, None)?;

        // Home phase at DIP (90-day opposition period).
        let thungkula = self.apply_and_file(cast, demo_gi("thungkula")?, 800)?;
        self.examine_publish_register(dip, thungkula, [780, 750, 650])?;
        let doitung = self.apply_and_file(cast, demo_gi("doitung")?, 770)?;
        self.examine_publish_register(dip, doitung, [750, 720, 625])?;
        let thapthim = self.apply_and_file(cast, demo_gi("thapthim")?, 720)?;
        self.examine_publish_register(dip, thapthim, [700, 660, 560])?;
        self.apply_and_file(cast, demo_gi("makhamwan")?, 45)?;

        // CN → TH: DIP decides.
        let first_cn = self.submit_list(
            cnipa,
            "Annex I, batch 1",
            425,
            &[(longjing, DIP), (zhenjiang, DIP)],
        )?;
        let [longjing_th, _zhenjiang_th] = first_cn[..] else {
            return Err(AppError::internal("the first CNIPA list is not two items"));
        };
        self.recognition(dip, longjing_th, Step::new("start_examination", 400))?;
        self.recognition(dip, longjing_th, Step::new("publish", 370))?;
        let protected_from = self.ago(260);
        self.recognition(
            dip,
            longjing_th,
            Step {
                limitations: Some("the translation 'Dragon Well tea' is not protected"),
                phase_out_until: protected_from.checked_add_days(Days::new(3 * 365)),
                ..Step::new("protect", 260)
            },
        )?;
        // Zhenjiang Xiang Cu: submitted 425 days ago, never decided: overdue at DIP.

        let moutai_th = self.submit(cnipa, moutai, DIP, "Annex I, batch 2", 200)?;
        self.recognition(dip, moutai_th, Step::new("start_examination", 150))?;
        self.recognition(dip, moutai_th, Step::new("publish", 75))?;
        self.oppose(
            dip,
            Target::Recognition(moutai_th),
            "Siam Baijiu Importers Co., Ltd. (fictitious)",
            "Prior Thai trademark MAOTAI for liquor in class 33 (TH 181112345, fictitious), registered in good faith; protection should co-exist with the mark.",
            30,
        )?;

        // TH → CN: CNIPA decides.
        let first_th = self.submit_list(
            dip,
            "Annex II, batch 1",
            400,
            &[(thungkula, CNIPA), (doitung, CNIPA)],
        )?;
        let [thungkula_cn, doitung_cn] = first_th[..] else {
            return Err(AppError::internal("the first DIP list is not two items"));
        };
        self.recognition(cnipa, thungkula_cn, Step::new("start_examination", 380))?;
        self.recognition(cnipa, thungkula_cn, Step::new("publish", 350))?;
        self.recognition(cnipa, thungkula_cn, Step::new("protect", 280))?;
        self.recognition(cnipa, doitung_cn, Step::new("start_examination", 370))?;
        self.recognition(
            cnipa,
            doitung_cn,
            Step {
                grounds: Some(
                    "The name conflicts with an earlier trademark registered in China for coffee in class 30 (No. 12345678, fictitious) that has acquired a reputation; the origin office may request re-examination.",
                ),
                ..Step::new("refuse", 160)
            },
        )?;

        let thapthim_cn = self.submit(dip, thapthim, CNIPA, "Annex II, batch 2", 130)?;
        self.recognition(cnipa, thapthim_cn, Step::new("start_examination", 100))?;

        // A pending amendment, proposed today by the rice producers.
        let (rice_assoc, _) = cast.applicant("thungkula")?;
        let rice = &demo_gi("thungkula")?.specification;
        amendments::propose(
            self.conn,
            rice_assoc,
            thungkula,
            checked(AmendmentProposal {
                specification: SpecificationInput {
                    product_description: rice.product_description.into(),
                    raw_materials: Some(rice.raw_materials.into()),
                    production_method: Some(rice.production_method.into()),
                    link_with_area: Some(rice.link_with_area.into()),
                    labelling: Some(
                        "ข้าวหอมมะลิทุ่งกุลาร้องไห้ / Khao Hom Mali Thung Kula Rong-Hai with the Thai GI logo, the lot number and the crop year on every retail pack.".into(),
                    ),
                    control_body: Some(rice.control_body.into()),
                },
                reason: Some("Print the crop year on retail packs, for traceability.".into()),
            })?,
            self.today,
        )?;

        Ok((GIS.len(), first_cn.len() + first_th.len() + 2))
    }
}

/// The proceeding an opposition is filed in.
#[derive(Clone, Copy)]
enum Target {
    Gi(i64),
    Recognition(i64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{migrations, DatabaseUrl, PoolSettings};
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
