//! Oppositions on a desk page of a GI (its home proceeding) or of a recognition (the
//! partner office's proceeding): those filed, and — while it is published and its
//! opposition deadline has not passed, to whom the permission module lets file — the
//! form to file one, posted to `…/oppositions` beside the page and taken through the
//! API's path (`POST /api/v1/gis/{id}/oppositions` or
//! `/api/v1/recognitions/{id}/oppositions`: the same pre-check of the caller on the
//! record, the same body validation, `registry::oppositions::file_against_gi` or
//! `file_against_recognition`). Its controls are named by the JSON path of the body
//! (`earlier_rights[0].number`), so the API's field errors land next to them.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::Failed;
use super::desk_request::{desk_form, DeskRequest};
use super::error_page;
use super::forms::{field, see_other};
use super::gi_desk::{self, path_of};
use super::layout::Frame;
use super::recognition_desk;
use super::session::CSRF_FIELD;
use crate::api::caller::Caller;
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::domain::attempts::{Target, Write};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::registry::oppositions::{self, OppositionFiling, OppositionView};
use crate::registry::targets;

/// The form's name, as a sent-back `Failed` carries it.
pub const FORM: &str = "oppose";
const RIGHT_KINDS: [&str; 6] = [
    "trademark",
    "gi",
    "generic_term",
    "plant_variety",
    "animal_breed",
    "other",
];
const RIGHT_PARTS: [&str; 4] = ["kind", "number", "territory", "owner"];

/// What an opposition is filed in.
#[derive(Clone, Copy, Debug)]
pub enum Proceeding {
    /// A GI's application at home.
    Gi(i64),
    /// A recognition in the partner office.
    Recognition(i64),
}

impl Proceeding {
    /// The desk page of the GI or the recognition.
    pub fn desk_path(self) -> String {
        match self {
            Proceeding::Gi(id) => path_of(id),
            Proceeding::Recognition(id) => format!("/desk/recognitions/{id}"),
        }
    }

    fn filing_path(self) -> String {
        format!("{}/oppositions", self.desk_path())
    }
}

/// Whether `caller` is offered the form on a proceeding with `status` and `deadline`
/// today.
pub fn open_to(
    caller: &Caller,
    status: &str,
    deadline: Option<NaiveDate>,
    target: &Target,
    today: NaiveDate,
) -> bool {
    status == "published"
        && deadline.is_none_or(|d| today <= d)
        && caller.may_attempt_on(Write::FileOpposition, target).is_ok()
}

/// The oppositions filed, and the form when `offered`.
pub fn section(
    frame: &Frame,
    proceeding: Proceeding,
    filed: &[OppositionView],
    offered: bool,
    examiner: bool,
    csrf: &str,
    failed: Option<&Failed>,
) -> Markup {
    html! {
        h2 id="oppositions" { (frame.t("desk.oppositions")) }
        @if filed.is_empty() {
            p.empty { (frame.t("desk.no_oppositions")) }
        } @else {
            table.oppositions {
                thead { tr {
                    th scope="col" { (frame.t("desk.opponent")) }
                    th scope="col" { (frame.t("field.filed_on")) }
                    th scope="col" { (frame.t("field.grounds")) }
                    th scope="col" { (frame.t("field.status")) }
                } }
                tbody { @for o in filed { tr {
                    td { (o.opponent_name) } td { (o.filed_on) } td { (o.grounds) }
                    td { (frame.lang.value("opposition_status", &o.status)) }
                } } }
            }
        }
        @if offered { (form(frame, proceeding, examiner, csrf, failed)) }
    }
}

fn form(
    frame: &Frame,
    proceeding: Proceeding,
    examiner: bool,
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
    let mut names = vec!["grounds", "filed_on"];
    if examiner {
        names.insert(0, "opponent_name");
    }
    let rights: Vec<String> = RIGHT_PARTS
        .iter()
        .map(|p| format!("earlier_rights[0].{p}"))
        .collect();
    let general = failed.filter(|f| {
        !f.fields
            .iter()
            .any(|e| names.contains(&e.field.as_str()) || rights.contains(&e.field))
    });
    let control = |name: &str, label: &str| {
        let id = format!("{FORM}-{name}");
        let error = error_of(name);
        let error_id = format!("{id}-error");
        html! {
            label for=(id) {
                (label)
                @match name {
                    "grounds" => textarea id=(id) name=(name) rows="3"
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())] { (typed(name)) },
                    "filed_on" => input type="date" id=(id) name=(name) value=(typed(name))
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];,
                    "earlier_rights[0].kind" => select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                        option value="" { (frame.t("none")) }
                        @for kind in RIGHT_KINDS {
                            option value=(kind) selected[typed(name) == kind] { (frame.lang.value("right", kind)) }
                        }
                    },
                    _ => input type="text" id=(id) name=(name) value=(typed(name))
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];,
                }
            }
            @if let Some(error) = error {
                p.field-error id=(error_id) role="alert" { (error.message) }
            }
        }
    };
    html! {
        form.oppose id=(FORM) method="post" action=(frame.link(&proceeding.filing_path())) {
            h3 { (frame.t("desk.file_opposition")) }
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            @for name in &names { (control(name, &frame.lang.value("field", name))) }
            fieldset.earlier-right {
                legend { (frame.t("desk.earlier_right")) }
                @for (part, name) in RIGHT_PARTS.iter().zip(&rights) {
                    (control(name, &frame.lang.value("right_part", part)))
                }
            }
            button type="submit" { (frame.t("desk.file_opposition")) }
        }
    }
}

/// The oppositions filed in `proceeding`, as the caller may see them.
pub async fn filed(
    state: &AppState,
    caller: &Caller,
    proceeding: Proceeding,
) -> Result<Vec<OppositionView>, AppError> {
    let actor = caller.actor.clone();
    state
        .db
        .read(move |conn| match proceeding {
            Proceeding::Gi(id) => oppositions::of_gi(conn, Some(&actor), id),
            Proceeding::Recognition(id) => oppositions::of_recognition(conn, Some(&actor), id),
        })
        .await
}

/// Whether the form asks for the opponent's name (an examiner records an opposition for
/// a named opponent; an association files in its own name).
pub fn asks_opponent(caller: &Caller) -> bool {
    matches!(caller.role(), Role::Examiner | Role::OfficeAdmin)
}

/// A GET of the path the form posts to (the language switch of a form sent back links
/// there): the GI's desk page, in the language asked.
pub async fn back_to_gi(req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    back(&req, &id, Proceeding::Gi)
}

/// The same for a recognition's.
pub async fn back_to_recognition(req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    back(&req, &id, Proceeding::Recognition)
}

fn back(req: &HttpRequest, id: &str, of: fn(i64) -> Proceeding) -> HttpResponse {
    let frame = Frame::of(req);
    match id.parse::<i64>() {
        Ok(id) => see_other(&frame, &of(id).desk_path()),
        Err(_) => error_page::not_found(&frame),
    }
}

/// `POST /desk/gis/{id}/oppositions`.
pub async fn file_against_gi(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    file(req, state, &id, body, Proceeding::Gi).await
}

/// `POST /desk/recognitions/{id}/oppositions`.
pub async fn file_against_recognition(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    file(req, state, &id, body, Proceeding::Recognition).await
}

async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: &str,
    body: web::Bytes,
    of: fn(i64) -> Proceeding,
) -> HttpResponse {
    let (DeskRequest { frame, id, caller }, typed) = match desk_form(&req, &state, id, &body).await
    {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let proceeding = of(id);
    let filed = async {
        caller
            .may_attempt_on_record(&state.db, Write::FileOpposition, move |conn, actor| {
                match proceeding {
                    Proceeding::Gi(id) => targets::gi(conn, actor, id),
                    Proceeding::Recognition(id) => targets::recognition(conn, actor, id),
                }
            })
            .await?;
        let filing: OppositionFiling = parse_body(&body_of(&typed)?)?;
        let acting = caller.acting();
        let now = state.clock.now();
        state
            .db
            .write(move |conn| match proceeding {
                Proceeding::Gi(id) => oppositions::file_against_gi(conn, &acting, id, filing, now),
                Proceeding::Recognition(id) => {
                    oppositions::file_against_recognition(conn, &acting, id, filing, now)
                }
            })
            .await
    }
    .await;
    match filed {
        Ok(_) => see_other(&frame, &proceeding.desk_path()),
        Err(AppError::NotFound(_)) => error_page::not_found(&frame),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let status = error.status_code();
            let failed = Some(Failed::of(&error, FORM.into(), typed));
            match proceeding {
                Proceeding::Gi(id) => {
                    gi_desk::render(&frame, &state, &caller, id, status, failed).await
                }
                Proceeding::Recognition(id) => {
                    recognition_desk::render(&frame, &state, &caller, id, status, failed).await
                }
            }
        }
    }
}

/// The API's body from the form: its non-empty fields; the earlier right when any of its
/// parts is given.
fn body_of(typed: &[(String, String)]) -> Result<Vec<u8>, AppError> {
    let text = |name: &str| {
        field(typed, name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| Value::String(v.into()))
    };
    let mut body = Map::new();
    for name in ["opponent_name", "grounds", "filed_on"] {
        if let Some(value) = text(name) {
            body.insert(name.into(), value);
        }
    }
    let mut right = Map::new();
    for part in RIGHT_PARTS {
        if let Some(value) = text(&format!("earlier_rights[0].{part}")) {
            right.insert(part.into(), value);
        }
    }
    if !right.is_empty() {
        body.insert(
            "earlier_rights".into(),
            Value::Array(vec![Value::Object(right)]),
        );
    }
    serde_json::to_vec(&Value::Object(body)).map_err(AppError::internal)
}
