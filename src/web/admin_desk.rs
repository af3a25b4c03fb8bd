//! The administrators' part of `/desk` (an admin's, and an office admin's below its work
//! list): the offices, associations and users the API lists to them; forms to create an
//! office (admins: `POST /desk/offices`), an association (`POST /desk/associations`) or
//! a user (`POST /desk/users`), and to change an association (`POST
//! /desk/associations/edit`: rename, contacts) or a user (`POST /desk/users/edit`: name,
//! role, deactivate or reactivate). Each goes through the API's body validation, its
//! check of who may write, and the same use case (`registry::offices::create`,
//! `registry::associations::create`, `api::users::create_user`,
//! `api::associations::update_association`, `api::users::update_user`).

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::Failed;
use super::error_page;
use super::forms::{field, fields, see_other, with_cookies};
use super::layout::{or_dash, Frame};
use super::login_page::LOGIN_PATH;
use super::session::{csrf_holds, csrf_token, signed_in, CSRF_FIELD};
use crate::api::associations::update_association;
use crate::api::caller::Caller;
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::api::users::{create_user, update_user};
use crate::domain::attempts::Write;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::registry::associations::{self, AssociationView, CreateAssociation};
use crate::registry::offices::{self, CreateOffice, OfficeView};
use crate::registry::user_views;
use crate::registry::users::{CreateUser, UserView};

pub const OFFICES_PATH: &str = "/desk/offices";
pub const ASSOCIATIONS_PATH: &str = "/desk/associations";
pub const USERS_PATH: &str = "/desk/users";
pub const ASSOCIATION_EDIT_PATH: &str = "/desk/associations/edit";
pub const USER_EDIT_PATH: &str = "/desk/users/edit";
/// The most rows each list shows.
const LISTED: i64 = 500;

const OFFICE_FIELDS: [&str; 5] = [
    "code",
    "jurisdiction",
    "name",
    "opposition_period",
    "time_zone",
];
const ASSOCIATION_EDIT_FIELDS: [&str; 4] = ["name", "contact_email", "contact_phone", "address"];
const USER_EDIT_FIELDS: [&str; 3] = ["display_name", "role", "active"];
const ASSOCIATION_FIELDS: [&str; 5] = [
    "name",
    "office",
    "contact_email",
    "contact_phone",
    "address",
];
const USER_FIELDS: [&str; 6] = [
    "username",
    "display_name",
    "password",
    "role",
    "office",
    "association_id",
];

/// Whether `role` gets these sections.
pub fn administers(role: Role) -> bool {
    matches!(role, Role::Admin | Role::OfficeAdmin)
}

/// The lists and the create forms; `failed` is a form sent back (`association` or `user`).
pub async fn sections(
    frame: &Frame<'_>,
    state: &AppState,
    caller: &Caller,
    csrf: &str,
    failed: Option<&Failed>,
) -> Result<Markup, AppError> {
    let acting = caller.acting();
    // An office admin sees its own office's associations and users, as the API lists them.
    let own_office = match caller.role() {
        Role::OfficeAdmin => caller.office_code.clone(),
        _ => None,
    };
    let (offices, associations, users) = state
        .db
        .read(move |conn| {
            let offices: Vec<OfficeView> = offices::list(conn, None, LISTED)?
                .into_iter()
                .map(OfficeView::from)
                .collect();
            let associations: Vec<AssociationView> =
                associations::list(conn, own_office.as_deref(), 0, LISTED)?
                    .into_iter()
                    .map(AssociationView::from)
                    .collect();
            let users: Vec<UserView> = user_views::list(conn, &acting, None, 0, LISTED)?
                .into_iter()
                .map(UserView::from)
                .collect();
            Ok((offices, associations, users))
        })
        .await?;
    let failed_as = |form: &str| failed.filter(|f| f.action == form);
    let creates_offices = caller.may_attempt(Write::Offices).is_ok();
    let association_choices: Vec<(String, String)> = associations
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                format!("{} — {} ({})", a.id, a.name, a.office),
            )
        })
        .collect();
    let user_choices: Vec<(String, String)> = users
        .iter()
        .map(|u| (u.id.to_string(), format!("{} ({})", u.username, u.role)))
        .collect();
    let text = |names: &'static [&'static str]| -> Vec<(&'static str, Control<'static>)> {
        names.iter().map(|n| (*n, Control::of(n))).collect()
    };
    let mut association_edit = vec![("association_id", Control::Pick(&association_choices))];
    association_edit.extend(text(&ASSOCIATION_EDIT_FIELDS));
    let mut user_edit = vec![("user_id", Control::Pick(&user_choices))];
    user_edit.extend(USER_EDIT_FIELDS.iter().map(|n| match *n {
        "role" => (*n, Control::Role { keep: true }),
        "active" => (*n, Control::Active),
        _ => (*n, Control::Text),
    }));
    Ok(html! {
        h2 id="offices" { (frame.t("admin.offices")) }
        table.offices {
            thead { tr {
                th scope="col" { (frame.t("admin.code")) }
                th scope="col" { (frame.t("field.name")) }
                th scope="col" { (frame.t("field.jurisdiction")) }
            } }
            tbody { @for o in &offices { tr { td { (o.code) } td { (o.name) } td { (o.jurisdiction) } } } }
        }
        @if creates_offices {
            h3 { (frame.t("admin.new_office")) }
            (record_form(frame, "office", OFFICES_PATH, &text(&OFFICE_FIELDS), csrf, failed_as("office"), "admin.create_office"))
        }
        h2 id="associations" { (frame.t("admin.associations")) }
        table.associations {
            thead { tr {
                th scope="col" { "#" }
                th scope="col" { (frame.t("field.name")) }
                th scope="col" { (frame.t("field.origin")) }
                th scope="col" { (frame.t("admin.contact_email")) }
            } }
            tbody { @for a in &associations { tr {
                td { (a.id) } td { (a.name) } td { (a.office) } td { (or_dash(frame, a.contact_email.as_ref())) }
            } } }
        }
        h3 { (frame.t("admin.new_association")) }
        (record_form(frame, "association", ASSOCIATIONS_PATH, &text(&ASSOCIATION_FIELDS), csrf, failed_as("association"), "admin.create_association"))
        @if !associations.is_empty() {
            h3 { (frame.t("admin.edit_association")) }
            (record_form(frame, "edit-association", ASSOCIATION_EDIT_PATH, &association_edit, csrf, failed_as("edit-association"), "admin.save_association"))
        }
        h2 id="users" { (frame.t("admin.users")) }
        table.users {
            thead { tr {
                th scope="col" { (frame.t("login.username")) }
                th scope="col" { (frame.t("admin.role")) }
                th scope="col" { (frame.t("field.origin")) }
                th scope="col" { (frame.t("admin.active")) }
            } }
            tbody { @for u in &users { tr class=[(!u.active).then_some("inactive")] {
                td { (u.username) } td { (u.role) } td { (or_dash(frame, u.office.as_ref())) } td { (frame.yes_no(u.active)) }
            } } }
        }
        h3 { (frame.t("admin.new_user")) }
        (record_form(frame, "user", USERS_PATH, &USER_FIELDS.iter().map(|n| (*n, Control::of(n))).collect::<Vec<_>>(), csrf, failed_as("user"), "admin.create_user"))
        @if !users.is_empty() {
            h3 { (frame.t("admin.edit_user")) }
            (record_form(frame, "edit-user", USER_EDIT_PATH, &user_edit, csrf, failed_as("edit-user"), "admin.save_user"))
        }
    })
}

/// What kind of control a form's field is.
#[derive(Clone, Copy)]
enum Control<'a> {
    Text,
    Password,
    /// The roles; with `keep`, first a choice that leaves the role as it is.
    Role {
        keep: bool,
    },
    /// Leave as is, active, or deactivated.
    Active,
    /// One of these records: (id, what it is).
    Pick(&'a [(String, String)]),
}

impl Control<'_> {
    fn of(name: &str) -> Self {
        match name {
            "password" => Control::Password,
            "role" => Control::Role { keep: false },
            _ => Control::Text,
        }
    }
}

/// A form whose controls are named as the API body's fields (and, to change a record,
/// the record's id).
fn record_form(
    frame: &Frame,
    form: &str,
    path: &str,
    controls: &[(&str, Control)],
    csrf: &str,
    failed: Option<&Failed>,
    submit: &str,
) -> Markup {
    let typed = |name: &str| {
        failed
            .map(|f| f.typed(name))
            .unwrap_or_default()
            .to_string()
    };
    let error_of = |name: &str| failed.and_then(|f| f.fields.iter().find(|e| e.field == name));
    let general = failed.filter(|f| {
        !f.fields
            .iter()
            .any(|e| controls.iter().any(|(n, _)| *n == e.field))
    });
    html! {
        form.record id=(format!("{}{form}", if form.starts_with("edit-") { "" } else { "new-" })) method="post" action=(frame.link(path)) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            @for (name, control) in controls {
                @let id = format!("{form}-{name}");
                @let error = error_of(name);
                @let error_id = format!("{id}-error");
                @let chosen = typed(name);
                label for=(id) {
                    (frame.lang.value("admin", name))
                    @match control {
                        Control::Role { keep } => select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                            @if *keep { option value="" { (frame.t("admin.unchanged")) } }
                            @for role in Role::ALL {
                                option value=(role.as_str()) selected[chosen == role.as_str()] { (role.as_str()) }
                            }
                        },
                        Control::Active => select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                            option value="" { (frame.t("admin.unchanged")) }
                            option value="true" selected[chosen == "true"] { (frame.t("admin.reactivate")) }
                            option value="false" selected[chosen == "false"] { (frame.t("admin.deactivate")) }
                        },
                        Control::Pick(choices) => select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                            @for (value, what) in *choices {
                                option value=(value) selected[chosen == *value] { (what) }
                            }
                        },
                        Control::Password => input type="password" id=(id) name=(name) value=""
                            autocomplete="new-password"
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];,
                        Control::Text => input type="text" id=(id) name=(name) value=(chosen)
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];,
                    }
                }
                @if let Some(error) = error {
                    p.field-error id=(error_id) role="alert" { (error.message) }
                }
            }
            button type="submit" { (frame.t(submit)) }
        }
    }
}

/// The API's body from a form: its non-empty fields, numbers where the API wants them.
fn body_of(typed: &[(String, String)], names: &[&str]) -> Result<Vec<u8>, AppError> {
    let mut body = Map::new();
    for name in names {
        if let Some(value) = field(typed, name).map(str::trim).filter(|v| !v.is_empty()) {
            let value = match (*name, value.parse::<i64>()) {
                ("association_id", Ok(n)) => Value::from(n),
                ("active", _) if value == "true" || value == "false" => {
                    Value::Bool(value == "true")
                }
                _ => Value::String(value.into()),
            };
            body.insert((*name).into(), value);
        }
    }
    serde_json::to_vec(&Value::Object(body)).map_err(AppError::internal)
}

/// The record a change form names in `name`: its id, or the field's error.
fn chosen(typed: &[(String, String)], name: &str) -> Result<i64, AppError> {
    field(typed, name)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid(name, "choose one of the list"))
}

pub async fn create_office(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    submit(req, state, body, "office").await
}

pub async fn edit_association(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    submit(req, state, body, "edit-association").await
}

pub async fn edit_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    submit(req, state, body, "edit-user").await
}

pub async fn create_association(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    submit(req, state, body, "association").await
}

pub async fn create_user_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    submit(req, state, body, "user").await
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
    form: &str,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let Some(caller) = signed_in(&req, &state).await else {
        return see_other(&frame, LOGIN_PATH);
    };
    let typed = fields(&body);
    if !csrf_holds(&req, field(&typed, CSRF_FIELD)) {
        return error_page::forbidden(&frame, frame.t("login.expired"));
    }
    let done = async {
        match form {
            "office" => {
                caller.may_attempt(Write::Offices)?;
                let body: CreateOffice = parse_body(&body_of(&typed, &OFFICE_FIELDS)?)?;
                let acting = caller.acting();
                state
                    .db
                    .write(move |conn| offices::create(conn, &acting, body))
                    .await?;
            }
            "association" => {
                caller.may_attempt(Write::Associations)?;
                let body: CreateAssociation = parse_body(&body_of(&typed, &ASSOCIATION_FIELDS)?)?;
                let acting = caller.acting();
                state
                    .db
                    .write(move |conn| associations::create(conn, &acting, body))
                    .await?;
            }
            "edit-association" => {
                caller.may_attempt(Write::Associations)?;
                let id = chosen(&typed, "association_id")?;
                let bytes = body_of(&typed, &ASSOCIATION_EDIT_FIELDS)?;
                update_association(&state, &caller, id, None, || parse_body(&bytes)).await?;
            }
            "edit-user" => {
                caller.may_attempt(Write::Users)?;
                let id = chosen(&typed, "user_id")?;
                let bytes = body_of(&typed, &USER_EDIT_FIELDS)?;
                update_user(&state, &caller, id, None, || parse_body(&bytes)).await?;
            }
            _ => {
                caller.may_attempt(Write::Users)?;
                let body: CreateUser = parse_body(&body_of(&typed, &USER_FIELDS)?)?;
                create_user(&state, &caller, body).await?;
            }
        }
        Ok::<_, AppError>(())
    }
    .await;
    match done {
        Ok(()) => see_other(&frame, "/desk"),
        Err(AppError::NotFound(_)) => error_page::not_found(&frame),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let failed = Failed::of(&error, form.into(), typed);
            let (csrf, new_cookie) = csrf_token(&req);
            let who = super::desk_page::who(&frame, &caller, &csrf);
            match sections(&frame, &state, &caller, &csrf, Some(&failed)).await {
                Ok(page) => with_cookies(
                    frame.respond(
                        error.status_code(),
                        frame.t("desk.title"),
                        html! { h1 { (frame.t("desk.title")) } (who) (page) },
                    ),
                    new_cookie,
                ),
                Err(error) => error_page::respond(&frame, &error),
            }
        }
    }
}
