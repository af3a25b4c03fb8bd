//! `/desk/gis/{id}`: a GI on the desk — its names, the name conflicts reported when it
//! was filed, its status per territory, and the lifecycle actions its status allows and
//! the caller may take, as forms. A submitted form goes through the API's own path (the
//! same body validation, the same pre-check of the caller on the record, the same
//! `api::gis::take_action`); registering a homonym of a GI protected in the territory
//! is refused with the API's 409 `name_conflict`, and the form then lists those GIs to
//! acknowledge, with grounds.

use std::str::FromStr;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::{action_form, open_to, Failed};
use super::desk_request::{desk_form, desk_request, DeskRequest};
use super::draft_form::{body_of, control_of, draft_form, typed_of};
use super::error_page;
use super::forms::{field, see_other, with_cookies};
use super::gi_page::{names_table, territories};
use super::layout::{headline_names, or_dash, Frame};
use super::login_page::logout_form;
use super::opposition_form::{self, Proceeding};
use super::session::csrf_token;
use crate::api::caller::Caller;
use crate::api::gis::{edit_draft, take_action};
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::domain::attempts::{Write, GI_ACTORS};
use crate::domain::gi_status::{gi_action_actor, gi_allowed_actions, GiStatus, GI_CREATE_ACTOR};
use crate::error::AppError;
use crate::registry::conflicts::ConflictCandidate;
use crate::registry::gi_application::{load_visible, GiDraftEdit};
use crate::registry::gi_lifecycle::ActionRequest;
use crate::registry::gi_views::{full_view, GiView};
use crate::registry::protection::{protection, Protection};
use crate::registry::targets;

const ACKNOWLEDGE: &str = "acknowledge_conflicts";

/// The text fields each action's form asks for, besides the legal date.
fn fields_of(action: &str) -> &'static [&'static str] {
    match action {
        "publish" => &["publication_reference"],
        "register" => &["publication_reference", "grounds"],
        "refuse" | "cancel" | "withdraw" => &["grounds"],
        _ => &[],
    }
}

pub fn path_of(id: i64) -> String {
    format!("/desk/gis/{id}")
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
        Ok(()) => see_other(&frame, &path_of(id)),
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

/// The API's path for `POST /api/v1/gis/{id}/actions`, from a form.
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
    let acknowledged: Vec<Value> = typed
        .iter()
        .filter(|(k, _)| k == ACKNOWLEDGE)
        .map(|(_, v)| match v.parse::<i64>() {
            Ok(n) => Value::from(n),
            // Left as typed, for the body's validation to name.
            Err(_) => Value::String(v.clone()),
        })
        .collect();
    if !acknowledged.is_empty() {
        body.insert(ACKNOWLEDGE.into(), Value::Array(acknowledged));
    }
    let bytes = serde_json::to_vec(&Value::Object(body)).map_err(AppError::internal)?;
    caller
        .may_attempt_on_record(&state.db, Write::Act(GI_ACTORS), move |conn, actor| {
            targets::gi(conn, actor, id)
        })
        .await?;
    let request: ActionRequest = parse_body(&bytes)?;
    let expected = field(typed, "version").and_then(|v| v.parse().ok());
    take_action(state, caller, id, expected, request).await?;
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
        .read(move |conn| {
            let row = load_visible(conn, Some(&actor), id)?;
            let gi = full_view(conn, row)?;
            let shown = protection(conn, Some(&actor), id, None, None, now)?;
            let target = targets::gi(conn, &actor, id)?;
            Ok((gi, shown, target))
        })
        .await;
    let (gi, shown, target): (GiView, Protection, _) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_page::respond(frame, &error),
    };
    let oppositions = match opposition_form::filed(state, caller, Proceeding::Gi(id)).await {
        Ok(filed) => filed,
        Err(error) => return error_page::respond(frame, &error),
    };
    let may_oppose = opposition_form::open_to(
        caller,
        &gi.status,
        gi.opposition_deadline,
        &target,
        now.date_naive(),
    );
    let actions: Vec<&'static str> = match GiStatus::from_str(&gi.status) {
        Ok(status) => open_to(caller, &target, gi_allowed_actions(status), gi_action_actor)
            .into_iter()
            .map(|a| a.as_str())
            .collect(),
        Err(_) => Vec::new(),
    };
    let editable = gi.status == "draft"
        && caller
            .may_attempt_on(Write::Act(&[GI_CREATE_ACTOR]), &target)
            .is_ok();
    let (csrf, new_cookie) = csrf_token(frame.req);
    let title = headline_names(&gi.names)
        .first()
        .map(|n| n.text.clone())
        .unwrap_or_else(|| format!("GI {id}"));
    let version = gi.version.to_string();
    let body = html! {
        p { a href=(frame.link("/desk")) { (frame.t("desk.title")) } }
        h1.names { (title) }
        (logout_form(frame, &csrf))
        dl.facts {
            dt { (frame.t("field.home_status")) }
            dd.current-status { (frame.status(&gi.status)) }
            dt { (frame.t("field.file_number")) }
            dd { (or_dash(frame, gi.file_number.as_ref())) }
            dt { (frame.t("field.filed_on")) }
            dd { (or_dash(frame, gi.filed_on)) }
            dt { (frame.t("field.opposition_deadline")) }
            dd { (or_dash(frame, gi.opposition_deadline)) }
            dt { (frame.t("gi.public_page")) }
            dd { a href=(frame.link(&format!("/gis/{id}"))) { (format!("/gis/{id}")) } }
        }
        (names_table(frame, &gi))
        @if editable {
            h2 id="edit" { (frame.t("desk.edit_draft")) }
            @let filled = Failed::filled(typed_of(&gi));
            @let shown_form = failed.as_ref().filter(|f| f.action == "edit").unwrap_or(&filled);
            (draft_form(frame, &format!("{}/draft", path_of(id)), &csrf, Some(shown_form),
                html! { input type="hidden" name="version" value=(version); }, "desk.save_draft"))
        }
        (reported_conflicts(frame, gi.conflicts.as_deref()))
        (territories(frame, &gi, &shown, false))
        h2 { (frame.t("desk.actions")) }
        @if actions.is_empty() {
            p.empty { (frame.t("desk.no_gi_actions")) }
        }
        @for action in &actions {
            @let failed_here = failed.as_ref().filter(|f| f.action == *action);
            (action_form(frame, &path_of(id), action, fields_of(action), &csrf, failed_here,
                html! {
                    input type="hidden" name="version" value=(version);
                    @if *action == "register" { (acknowledge(frame, failed_here)) }
                }))
        }
        @if let Some(failed) = failed.as_ref().filter(|f| !["edit", opposition_form::FORM].contains(&f.action.as_str()) && !actions.contains(&f.action.as_str())) {
            p.error role="alert" { (failed.message) }
        }
        (opposition_form::section(frame, Proceeding::Gi(id), &oppositions, may_oppose, opposition_form::asks_opponent(caller),
            &csrf, failed.as_ref().filter(|f| f.action == opposition_form::FORM)))
    };
    with_cookies(frame.respond(status, &title, body), new_cookie)
}

/// `POST /desk/gis/{id}/draft`: the draft edited through the API's path (`PATCH
/// /api/v1/gis/{id}` with the version read as `If-Match`).
pub async fn edit(
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
    let (json, rows) = body_of(&typed, None);
    let edited = async {
        caller
            .may_attempt_on_record(
                &state.db,
                Write::Act(&[GI_CREATE_ACTOR]),
                move |conn, actor| targets::gi(conn, actor, id),
            )
            .await?;
        let bytes = serde_json::to_vec(&json).map_err(AppError::internal)?;
        let request: GiDraftEdit = parse_body(&bytes)?;
        let expected = field(&typed, "version")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| AppError::invalid("version", "the version read is required"))?;
        edit_draft(&state, &caller, id, expected, request).await
    }
    .await;
    match edited {
        Ok(_) => see_other(&frame, &path_of(id)),
        Err(AppError::NotFound(_)) => error_page::not_found(&frame),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let mut failed = Failed::of(&error, "edit".into(), typed);
            for e in &mut failed.fields {
                e.field = control_of(&e.field, &rows);
            }
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

/// What the filing reported its names collide with.
fn reported_conflicts(frame: &Frame, conflicts: Option<&[ConflictCandidate]>) -> Markup {
    html! {
        h2 id="conflicts" { (frame.t("desk.conflicts")) }
        @match conflicts {
            Some(found) if !found.is_empty() => {
                table.conflicts {
                    thead { tr {
                        th scope="col" { (frame.t("field.name")) }
                        th scope="col" { (frame.t("desk.conflict_kind")) }
                        th scope="col" { (frame.t("field.origin")) }
                        th scope="col" { (frame.t("field.status")) }
                        th scope="col" { (frame.t("desk.score")) }
                    } }
                    tbody {
                        @for c in found {
                            tr {
                                td {
                                    @if let Some(gi) = c.gi_id {
                                        a href=(frame.link(&format!("/gis/{gi}"))) { span.name { (c.name) } }
                                    } @else { span.name { (c.name) } }
                                }
                                td { (frame.lang.value("conflict_kind", serde_json::to_value(c.kind).ok().as_ref().and_then(Value::as_str).unwrap_or_default())) }
                                td { (c.origin_office) }
                                td { (frame.lang.value("status", &c.status)) }
                                td { (format!("{:.2}", c.score)) }
                            }
                        }
                    }
                }
            }
            _ => p.empty { (frame.t("desk.no_conflicts")) },
        }
    }
}

/// On the register form after a 409 `name_conflict`: the GIs already protected under the
/// same name, each to acknowledge (with the grounds above).
fn acknowledge(frame: &Frame, failed: Option<&Failed>) -> Markup {
    let Some(failed) = failed else {
        return html! {};
    };
    let checked: Vec<&str> = failed
        .typed
        .iter()
        .filter(|(k, _)| k == ACKNOWLEDGE)
        .map(|(_, v)| v.as_str())
        .collect();
    let mut listed: Vec<(String, String)> = failed.details["conflicts"]
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|c| {
                    let id = c["gi_id"].to_string();
                    let what = format!(
                        "{} ({}, GI {id})",
                        c["name"].as_str().unwrap_or_default(),
                        c["origin_office"].as_str().unwrap_or_default()
                    );
                    (id, what)
                })
                .collect()
        })
        .unwrap_or_default();
    for id in &checked {
        if !listed.iter().any(|(l, _)| l == id) {
            listed.push((id.to_string(), format!("GI {id}")));
        }
    }
    let error = failed
        .fields
        .iter()
        .find(|e| e.field.starts_with(ACKNOWLEDGE));
    html! {
        @if !listed.is_empty() {
            fieldset.acknowledge aria-describedby=[error.map(|_| "register-acknowledge_conflicts-error")] {
                legend { (frame.t("desk.acknowledge")) }
                @for (id, what) in &listed {
                    @let control = format!("register-acknowledge-{id}");
                    label for=(control) {
                        input type="checkbox" id=(control) name=(ACKNOWLEDGE) value=(id)
                            checked[checked.contains(&id.as_str())];
                        " " span.name { (what) }
                    }
                }
            }
        }
        @if let Some(error) = error {
            p.field-error id="register-acknowledge_conflicts-error" role="alert" { (error.message) }
        }
    }
}
