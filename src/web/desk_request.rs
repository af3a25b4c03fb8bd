//! What every desk page of one record reads first: the record's id and the signed-in
//! caller, and for a posted form its fields once its CSRF token holds; or the page to
//! answer instead (404 for an id that is none, the sign-in page without a session, 403
//! for a stale form).

use actix_web::{HttpRequest, HttpResponse};

use super::error_page;
use super::forms::{field, fields, see_other};
use super::layout::Frame;
use super::login_page::LOGIN_PATH;
use super::session::{csrf_holds, signed_in, CSRF_FIELD};
use crate::api::caller::Caller;
use crate::api::state::AppState;

pub struct DeskRequest<'a> {
    pub frame: Frame<'a>,
    pub id: i64,
    pub caller: Caller,
}

/// A desk page's record and caller.
pub async fn desk_request<'a>(
    req: &'a HttpRequest,
    state: &AppState,
    id: &str,
) -> Result<DeskRequest<'a>, HttpResponse> {
    let frame = Frame::of(req);
    let Ok(id) = id.parse::<i64>() else {
        return Err(error_page::not_found(&frame));
    };
    let Some(caller) = signed_in(req, state).await else {
        return Err(see_other(&frame, LOGIN_PATH));
    };
    Ok(DeskRequest { frame, id, caller })
}

/// A form posted to a desk page: its record, caller and fields.
pub async fn desk_form<'a>(
    req: &'a HttpRequest,
    state: &AppState,
    id: &str,
    body: &[u8],
) -> Result<(DeskRequest<'a>, Vec<(String, String)>), HttpResponse> {
    let desk = desk_request(req, state, id).await?;
    let typed = fields(body);
    if !csrf_holds(req, field(&typed, CSRF_FIELD)) {
        return Err(error_page::forbidden(
            &desk.frame,
            desk.frame.t("login.expired"),
        ));
    }
    Ok((desk, typed))
}
