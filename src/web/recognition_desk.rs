//! `/desk/recognitions/{id}`: a recognition on the examiner's desk, with the actions its
//! status allows as forms (legal date, grounds, limitations, …). A submitted form goes
//! through the API's own path — the same body parsing and validation
//! (`api::json::parse_body`), the same pre-check of the caller on the record, the same
//! use case (`recognition_lifecycle::apply`) — and the API's errors are shown next to
//! the field they name. Below, the oppositions filed in the partner office's proceeding
//! and, while it is open, the form to file one (`opposition_form`).

use std::str::FromStr;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::{action_form, open_to, Failed};
use super::desk_request::{desk_form, desk_request, DeskRequest};
use super::error_page;
use super::forms::{field, see_other, with_cookies};
use super::layout::{or_dash, Frame};
use super::login_page::logout_form;
use super::opposition_form::{self, Proceeding};
use super::session::csrf_token;
use crate::api::caller::Caller;
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::domain::attempts::{Write, RECOGNITION_ACTORS};
use crate::domain::recognition_status::{
    recognition_action_actor, recognition_allowed_actions, RecognitionStatus,
};
use crate::error::AppError;
use crate::registry::protection::recognition_as_of;
use crate::registry::recognition_lifecycle::{self, RecognitionActionRequest};
use crate::registry::recognition_views::RecognitionView;
use crate::registry::targets;

/// The fields each action's form asks for, besides the legal date.
fn fields_of(action: &str) -> &'static [&'static str] {
    match action {
        "publish" => &["publication_reference"],
        "protect" => &["limitations"],
        "refuse" => &["grounds", "remedies", "remedy_deadline"],
        "withdraw_refusal" => &["grounds"],
        "invalidate" => &[
            "grounds",
            "deciding_authority",
            "remedies",
            "remedy_deadline",
        ],
        _ => &[],
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    match desk_request(&req, &state, &id).await {
        Ok(DeskRequest { frame, id, caller }) => {
            render(&frame, &state, &caller, id, StatusCode::OK, None).await
        }
        Err(answer) => answer,
    }
}

pub async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (DeskRequest { frame, id, caller }, typed) = match desk_form(&req, &state, &id, &body).await
    {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let action = field(&typed, "action").unwrap_or_default().to_string();
    match apply(&state, &caller, id, &action, &typed).await {
        Ok(()) => see_other(&frame, &format!("/desk/recognitions/{id}")),
        Err(AppError::NotFound(_)) => error_page::not_found(&frame),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let failed = Failed::of(&error, action, typed);
            render(
                &frame,
                &state,
                &caller,
                id,
                error.status_code(),
                Some(failed),
            )
            .await
        }
    }
}

/// The API's path for `POST /api/v1/recognitions/{id}/actions`, from a form.
async fn apply(
    state: &AppState,
    caller: &Caller,
    id: i64,
    action: &str,
    typed: &[(String, String)],
) -> Result<(), AppError> {
    let mut body = Map::new();
    body.insert("action".into(), Value::String(action.into()));
    for name in ["effective_on"].iter().chain(fields_of(action)) {
        if let Some(value) = field(typed, name).map(str::trim).filter(|v| !v.is_empty()) {
            body.insert((*name).into(), Value::String(value.into()));
        }
    }
    let bytes = serde_json::to_vec(&Value::Object(body)).map_err(AppError::internal)?;
    caller
        .may_attempt_on_record(
            &state.db,
            Write::Act(RECOGNITION_ACTORS),
            move |conn, actor| targets::recognition(conn, actor, id),
        )
        .await?;
    let request: RecognitionActionRequest = parse_body(&bytes)?;
    let acting = caller.acting();
    let now = state.clock.now();
    state
        .db
        .write(move |conn| recognition_lifecycle::apply(conn, &acting, id, None, request, now))
        .await?;
    Ok(())
}

/// The page, with `status`; `failed` is a form sent back with the API's errors.
pub async fn render(
    frame: &Frame<'_>,
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    failed: Option<Failed>,
) -> HttpResponse {
    let actor = caller.actor.clone();
    let now = state.clock.now();
    let loaded = state
        .db
        .read(move |conn| recognition_as_of(conn, Some(&actor), id, None, None, now))
        .await;
    let view = match loaded {
        Ok((view, _)) => view,
        Err(error) => return error_page::respond(frame, &error),
    };
    let actor = caller.actor.clone();
    let target = state
        .db
        .read(move |conn| targets::recognition(conn, &actor, id))
        .await;
    let may_oppose = target.as_ref().is_ok_and(|target| {
        opposition_form::open_to(
            caller,
            &view.status,
            view.opposition_deadline,
            target,
            now.date_naive(),
        )
    });
    let actions: Vec<&'static str> = match (RecognitionStatus::from_str(&view.status), target) {
        (Ok(status), Ok(target)) => open_to(
            caller,
            &target,
            recognition_allowed_actions(status),
            recognition_action_actor,
        )
        .into_iter()
        .map(|a| a.as_str())
        .collect(),
        _ => Vec::new(),
    };
    let proceeding = Proceeding::Recognition(id);
    let oppositions = match opposition_form::filed(state, caller, proceeding).await {
        Ok(filed) => filed,
        Err(error) => return error_page::respond(frame, &error),
    };
    let (csrf, new_cookie) = csrf_token(frame.req);
    let title = format!("{} {}", frame.t("desk.recognition"), view.id);
    let body = html! {
        p { a href=(frame.link("/desk")) { (frame.t("desk.title")) } }
        h1 { (title) }
        (logout_form(frame, &csrf))
        (facts(frame, &view))
        h2 { (frame.t("desk.actions")) }
        @if actions.is_empty() {
            p.empty { (frame.t("desk.no_actions")) }
        }
        @for action in &actions {
            (action_form(frame, &format!("/desk/recognitions/{}", view.id), action, fields_of(action), &csrf,
                failed.as_ref().filter(|f| f.action == *action), html! {}))
        }
        @if let Some(failed) = failed.as_ref().filter(|f| f.action != opposition_form::FORM && !actions.contains(&f.action.as_str())) {
            p.error role="alert" { (failed.message) }
        }
        (opposition_form::section(frame, proceeding, &oppositions, may_oppose, opposition_form::asks_opponent(caller),
            &csrf, failed.as_ref().filter(|f| f.action == opposition_form::FORM)))
    };
    with_cookies(frame.respond(status, &title, body), new_cookie)
}

fn facts(frame: &Frame, view: &RecognitionView) -> Markup {
    html! {
        dl.facts {
            dt { (frame.t("field.gi")) }
            dd { a href=(frame.link(&format!("/gis/{}", view.gi_id))) { (view.gi_id) } }
            dt { (frame.t("field.programme")) }
            dd { (view.programme) }
            dt { (frame.t("field.partner")) }
            dd { (view.partner_jurisdiction) " — " (view.partner) }
            dt { (frame.t("field.status")) }
            dd.current-status { (frame.status(&view.status)) }
            dt { (frame.t("field.submitted_on")) }
            dd { (or_dash(frame, view.submitted_on)) }
            dt { (frame.t("field.decision_deadline")) }
            dd { (or_dash(frame, view.decision_deadline)) }
            dt { (frame.t("field.since")) }
            dd { (or_dash(frame, view.protected_from)) }
            dt { (frame.t("field.limitations")) }
            dd { (or_dash(frame, view.limitations.as_ref())) }
        }
    }
}
