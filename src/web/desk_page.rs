//! `/desk`: the signed-in examiner's work list, ordered by deadline with the overdue
//! marked — the API's work list (`GET /api/v1/worklist`), with its permission check.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::error_page;
use super::forms::{see_other, with_cookies};
use super::layout::{or_dash, Frame};
use super::login_page::{logout_form, LOGIN_PATH};
use super::session::{csrf_token, signed_in};
use super::{admin_desk, association_desk, auditor_desk};
use crate::api::caller::Caller;
use crate::api::state::AppState;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::registry::worklist::for_office;

/// A GET of a path the desk's forms post to (the language switch of a form sent back
/// links there): the desk, in the language asked.
pub async fn back_to_desk(req: HttpRequest) -> HttpResponse {
    see_other(&Frame::of(&req), super::login_page::DESK_PATH)
}

/// Who is signed in, and the button to sign out.
pub fn who(frame: &Frame, caller: &Caller, csrf: &str) -> Markup {
    html! {
        p.signed-in {
            (frame.t("desk.signed_in_as")) " " strong { (caller.username) }
            " (" (caller.actor.role.as_str())
            @if let Some(office) = &caller.office_code { ", " (office) }
            ")"
        }
        (logout_form(frame, csrf))
    }
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let frame = Frame::of(&req);
    let Some(caller) = signed_in(&req, &state).await else {
        return see_other(&frame, LOGIN_PATH);
    };
    let (csrf, new_cookie) = csrf_token(&req);
    let who = who(&frame, &caller, &csrf);
    let own_desk = match caller.role() {
        Role::Association => {
            Some(association_desk::body(&frame, &state, &caller, &csrf, who.clone(), None).await)
        }
        Role::Auditor => {
            Some(auditor_desk::body(&frame, &state, &caller, &csrf, who.clone(), None).await)
        }
        Role::Admin => Some(
            admin_desk::sections(&frame, &state, &caller, &csrf, None)
                .await
                .map(|sections| html! { h1 { (frame.t("desk.title")) } (who.clone()) (sections) }),
        ),
        _ => None,
    };
    if let Some(page) = own_desk {
        let response = match page {
            Ok(page) => frame.respond(StatusCode::OK, frame.t("desk.title"), page),
            Err(error) => error_page::respond(&frame, &error),
        };
        return with_cookies(response, new_cookie);
    }
    let now = state.clock.now();
    let actor = caller.actor.clone();
    let items = state
        .db
        .read(move |conn| for_office(conn, &actor, now))
        .await;
    let administration = match admin_desk::administers(caller.role()) {
        true => match admin_desk::sections(&frame, &state, &caller, &csrf, None).await {
            Ok(sections) => Some(sections),
            Err(error) => return with_cookies(error_page::respond(&frame, &error), new_cookie),
        },
        false => None,
    };
    let title = frame.t("desk.title");
    let response = match items {
        Ok(items) => frame.respond(
            StatusCode::OK,
            title,
            html! {
                h1 { (title) }
                (who)
                h2 { (frame.t("desk.worklist")) }
                @if items.is_empty() {
                    p.empty { (frame.t("desk.empty")) }
                } @else {
                    table.worklist {
                        thead { tr {
                            th scope="col" { (frame.t("desk.deadline")) }
                            th scope="col" { (frame.t("field.gi")) }
                            th scope="col" { (frame.t("desk.what")) }
                            th scope="col" { (frame.t("field.status")) }
                            th scope="col" { (frame.t("desk.next_step")) }
                        } }
                        tbody {
                            @for item in &items {
                                tr class=[item.overdue.then_some("overdue")] {
                                    td {
                                        (or_dash(&frame, item.deadline))
                                        @if item.overdue { " " strong.overdue-mark { (frame.t("desk.overdue")) } }
                                    }
                                    td { a href=(frame.link(&format!("/gis/{}", item.gi_id))) { span.name { (item.name) } } }
                                    td { (frame.lang.value("work", item.kind)) }
                                    td { (frame.status(&item.status)) }
                                    td {
                                        (frame.lang.value("step", item.next_step))
                                        @if let Some(note) = &item.note { br; small { (note) } }
                                        @if let Some(warning) = &item.warning { br; small.warning { (warning) } }
                                        @if let Some(recognition) = item.recognition_id {
                                            " " a.open href=(frame.link(&format!("/desk/recognitions/{recognition}"))) { (frame.t("desk.open")) }
                                        } @else {
                                            " " a.open href=(frame.link(&super::gi_desk::path_of(item.gi_id))) { (frame.t("desk.open")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(sections) = &administration { (sections) }
            },
        ),
        Err(AppError::Forbidden(_)) => frame.respond(
            StatusCode::FORBIDDEN,
            title,
            html! {
                h1 { (title) }
                (who)
                div.error role="alert" { p { (frame.t("desk.forbidden")) } }
            },
        ),
        Err(error) => error_page::respond(&frame, &error),
    };
    with_cookies(response, new_cookie)
}
