//! The administrators' part of `/desk` (an admin's, and an office admin's below its work
//! list): the offices, associations and users the API lists to them, and forms to
//! create an association (`POST /desk/associations`) or a user (`POST /desk/users`),
//! each through the API's body validation, its check of who may write, and the same
//! use case (`registry::associations::create`, `api::users::create_user`).

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::Failed;
use super::error_page;
use super::forms::{field, fields, see_other, with_cookies};
use super::layout::{or_dash, Frame};
use super::login_page::LOGIN_PATH;
use super::session::{csrf_holds, csrf_token, signed_in, CSRF_FIELD};
use crate::api::caller::Caller;
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::api::users::create_user;
use crate::domain::attempts::Write;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::registry::associations::{self, AssociationView, CreateAssociation};
use crate::registry::offices::{self, OfficeView};
use crate::registry::user_views;
use crate::registry::users::{CreateUser, UserView};

pub const ASSOCIATIONS_PATH: &str = "/desk/associations";
pub const USERS_PATH: &str = "/desk/users";
/// The most rows each list shows.
const LISTED: i64 = 500;

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
        (record_form(frame, "association", ASSOCIATIONS_PATH, &ASSOCIATION_FIELDS, csrf, failed_as("association")))
        h2 id="users" { (frame.t("admin.users")) }
        table.users {
            thead { tr {
                th scope="col" { (frame.t("login.username")) }
                th scope="col" { (frame.t("admin.role")) }
                th scope="col" { (frame.t("field.origin")) }
                th scope="col" { (frame.t("admin.active")) }
            } }
            tbody { @for u in &users { tr {
                td { (u.username) } td { (u.role) } td { (or_dash(frame, u.office.as_ref())) } td { (frame.yes_no(u.active)) }
            } } }
        }
        h3 { (frame.t("admin.new_user")) }
        (record_form(frame, "user", USERS_PATH, &USER_FIELDS, csrf, failed_as("user")))
    })
}

/// A create form whose controls are named as the API body's fields.
fn record_form(
    frame: &Frame,
    form: &str,
    path: &str,
    names: &[&str],
    csrf: &str,
    failed: Option<&Failed>,
) -> Markup {
    let typed = |name: &str| {
        failed
            .map(|f| f.typed(name))
            .unwrap_or_default()
            .to_string()
    };
    let error_of = |name: &str| failed.and_then(|f| f.fields.iter().find(|e| e.field == name));
    let general = failed.filter(|f| !f.fields.iter().any(|e| names.contains(&e.field.as_str())));
    html! {
        form.record id=(format!("new-{form}")) method="post" action=(frame.link(path)) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            @for name in names {
                @let id = format!("{form}-{name}");
                @let error = error_of(name);
                @let error_id = format!("{id}-error");
                label for=(id) {
                    (frame.lang.value("admin", name))
                    @if *name == "role" {
                        select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                            @for role in Role::ALL {
                                option value=(role.as_str()) selected[typed(name) == role.as_str()] { (role.as_str()) }
                            }
                        }
                    } @else {
                        input type=(if *name == "password" { "password" } else { "text" }) id=(id) name=(name)
                            value=(if *name == "password" { String::new() } else { typed(name) })
                            autocomplete=[(*name == "password").then_some("new-password")]
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
                    }
                }
                @if let Some(error) = error {
                    p.field-error id=(error_id) role="alert" { (error.message) }
                }
            }
            button type="submit" { (frame.t(&format!("admin.create_{form}"))) }
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
                _ => Value::String(value.into()),
            };
            body.insert((*name).into(), value);
        }
    }
    serde_json::to_vec(&Value::Object(body)).map_err(AppError::internal)
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
    let created = async {
        if form == "association" {
            caller.may_attempt(Write::Associations)?;
            let body: CreateAssociation = parse_body(&body_of(&typed, &ASSOCIATION_FIELDS)?)?;
            let acting = caller.acting();
            state
                .db
                .write(move |conn| associations::create(conn, &acting, body))
                .await?;
        } else {
            caller.may_attempt(Write::Users)?;
            let body: CreateUser = parse_body(&body_of(&typed, &USER_FIELDS)?)?;
            create_user(&state, &caller, body).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match created {
        Ok(()) => see_other(&frame, "/desk"),
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
