//! `/desk` for an association: its GIs and drafts a page at a time (keyset paging by
//! `?after=`, as the API pages), each with its status at home and per territory and a
//! link to its desk page (where a draft is edited and filed); the published GIs and the
//! recognitions published in partner offices that are still open to opposition, each
//! linked to the desk page where the opposition is filed; and the form to draft a new
//! application — posted to `/desk/gis`, which goes through the API's body validation and
//! `api::gis::create_draft`.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::action_form::Failed;
use super::draft_form::{body_of, control_of, draft_form};
use super::error_page;
use super::forms::{field, fields, see_other, with_cookies};
use super::gi_desk::path_of;
use super::layout::{headline_names, name, or_dash, Frame};
use super::login_page::LOGIN_PATH;
use super::query::PageQuery;
use super::session::{csrf_holds, csrf_token, signed_in, CSRF_FIELD};
use crate::api::caller::Caller;
use crate::api::gis::create_draft;
use crate::api::json::parse_body;
use crate::api::state::AppState;
use crate::db::AnyConnection;
use crate::domain::attempts::Write;
use crate::domain::gi_status::{GiStatus, GI_CREATE_ACTOR};
use crate::domain::recognition_status::RecognitionStatus;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::registry::gi_application::load_visible;
use crate::registry::gi_application::GiApplication;
use crate::registry::gi_search::{self, GiQuery};
use crate::registry::gi_views::{views, GiView};
use crate::registry::protection::{self, protection, RecognitionQuery, Territory};
use crate::store::gis;

pub const DRAFTS_PATH: &str = "/desk/gis";
/// How many of its own GIs an association's desk lists a page (the next by `?after=`,
/// the last id shown, as the API pages).
const PAGE: i64 = 20;
/// How many published GIs, and recognitions, are read for the list of those open to
/// opposition.
const OPEN_LISTED: i64 = 100;

/// One of the association's GIs, with its territories.
type Listed = (GiView, Vec<Territory>);

/// A proceeding open to opposition: a GI's at home, or a recognition's in a partner
/// office (`partner`); the desk page where the opposition is filed.
struct Open {
    gi: GiView,
    path: String,
    partner: Option<String>,
    deadline: Option<NaiveDate>,
}

/// A GI's names, linked to `path`.
fn names_link(frame: &Frame, gi: &GiView, path: &str) -> Markup {
    html! {
        a href=(frame.link(path)) {
            @for (i, n) in headline_names(&gi.names).into_iter().enumerate() {
                @if i > 0 { " · " }
                (name(n))
            }
        }
    }
}

/// The published GIs and recognitions `actor` may oppose (not its association's own)
/// whose opposition deadline has not passed on `today`: of the first `OPEN_LISTED` of
/// each, in id order.
fn open_to_opposition(
    conn: &mut AnyConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<Open>, AppError> {
    let published = GiQuery {
        status: Some(GiStatus::Published),
        ..Default::default()
    };
    let others = gi_search::search(conn, Some(actor), &published, 0, OPEN_LISTED)?
        .into_iter()
        .filter(|(gi, _)| gi.association_id.is_none() || gi.association_id != actor.association_id)
        .collect();
    let mut open: Vec<Open> = views(conn, others)?
        .into_iter()
        .filter(|gi| gi.opposition_deadline.is_none_or(|d| today <= d))
        .map(|gi| Open {
            path: path_of(gi.id),
            deadline: gi.opposition_deadline,
            partner: None,
            gi,
        })
        .collect();
    let published = RecognitionQuery {
        status: Some(RecognitionStatus::Published),
        ..Default::default()
    };
    for r in protection::page(conn, &published, 0, OPEN_LISTED)?.0 {
        let own = gis::owners(conn, r.gi_id)?.and_then(|(_, association)| association);
        if r.opposition_deadline.is_some_and(|d| d < today)
            || (own.is_some() && own == actor.association_id)
        {
            continue;
        }
        let Ok(gi) = load_visible(conn, Some(actor), r.gi_id) else {
            continue;
        };
        if let Some(gi) = views(conn, vec![gi])?.pop() {
            open.push(Open {
                path: format!("/desk/recognitions/{}", r.id),
                deadline: r.opposition_deadline,
                partner: Some(format!("{} — {}", r.partner_jurisdiction, r.partner)),
                gi,
            });
        }
    }
    Ok(open)
}

/// The desk's body for an association, below the signed-in line `who`.
pub async fn body(
    frame: &Frame<'_>,
    state: &AppState,
    caller: &Caller,
    csrf: &str,
    who: Markup,
    failed: Option<&Failed>,
) -> Result<Markup, AppError> {
    let after = match PageQuery::of(frame.req).get("after") {
        None => 0,
        Some(after) => after
            .parse::<i64>()
            .ok()
            .filter(|a| *a >= 0)
            .ok_or_else(|| AppError::invalid("after", "must be a GI id, 0 or more"))?,
    };
    let actor = caller.actor.clone();
    let now = state.clock.now();
    let (listed, more, open): (Vec<Listed>, bool, Vec<Open>) = state
        .db
        .read(move |conn| {
            let own = match actor.association_id {
                Some(association) => {
                    gi_search::of_association(conn, &actor, association, after, PAGE + 1)?
                }
                None => Vec::new(),
            };
            let more = own.len() as i64 > PAGE;
            let mut listed = Vec::new();
            for gi in views(conn, own.into_iter().take(PAGE as usize).collect())? {
                let territories = match gi.filed_on {
                    Some(_) => protection(conn, Some(&actor), gi.id, None, None, now)?.territories,
                    None => Vec::new(),
                };
                listed.push((gi, territories));
            }
            let open = open_to_opposition(conn, &actor, now.date_naive())?;
            Ok((listed, more, open))
        })
        .await?;
    Ok(html! {
        h1 { (frame.t("desk.title")) }
        (who)
        h2 id="own-gis" { (frame.t("desk.own_gis")) }
        @if listed.is_empty() {
            p.empty { (frame.t("desk.no_gis")) }
        } @else {
            table.own-gis {
                thead { tr {
                    th scope="col" { (frame.t("field.names")) }
                    th scope="col" { (frame.t("field.home_status")) }
                    th scope="col" { (frame.t("gi.territories")) }
                } }
                tbody {
                    @for (gi, territories) in &listed {
                        tr {
                            td { (names_link(frame, gi, &path_of(gi.id))) }
                            td { (frame.status(&gi.status)) }
                            td {
                                @if territories.is_empty() { (frame.t("none")) }
                                ul.territories {
                                    @for t in territories {
                                        li { (t.jurisdiction) ": " (frame.status(&t.status))
                                            @if let Some(since) = t.protected_from { " (" (frame.t("field.since")) " " (since) ")" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if after > 0 || more {
            nav.pages aria-label=(frame.t("desk.own_gis")) {
                @if after > 0 { a.first href=(frame.link("/desk")) { (frame.t("desk.first_page")) } " " }
                @if let (true, Some((last, _))) = (more, listed.last()) {
                    a.next rel="next" href=(frame.link(&format!("/desk?after={}", last.id))) { (frame.t("desk.next_page")) }
                }
            }
        }
        h2 id="open-to-opposition" { (frame.t("desk.open_to_opposition")) }
        @if open.is_empty() {
            p.empty { (frame.t("desk.none_open")) }
        } @else {
            table.open-to-opposition {
                thead { tr {
                    th scope="col" { (frame.t("field.names")) }
                    th scope="col" { (frame.t("field.origin")) }
                    th scope="col" { (frame.t("desk.where")) }
                    th scope="col" { (frame.t("field.opposition_deadline")) }
                } }
                tbody { @for o in &open { tr {
                    td { (names_link(frame, &o.gi, &o.path)) }
                    td { (o.gi.origin_office) }
                    td { @match &o.partner { Some(partner) => (partner), None => (frame.t("desk.at_home")) } }
                    td { (or_dash(frame, o.deadline)) }
                } } }
            }
        }
        h2 id="new-draft" { (frame.t("desk.new_draft")) }
        (draft_form(frame, DRAFTS_PATH, csrf, failed, html! {}, "desk.create_draft"))
    })
}

/// `POST /desk/gis`: a new draft, through the API's path; on to its desk page.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let Some(caller) = signed_in(&req, &state).await else {
        return see_other(&frame, LOGIN_PATH);
    };
    let typed = fields(&body);
    if !csrf_holds(&req, field(&typed, CSRF_FIELD)) {
        return error_page::forbidden(&frame, frame.t("login.expired"));
    }
    let origin = caller.office_code.clone().unwrap_or_default();
    let (json, rows) = body_of(&typed, Some(&origin));
    let created = async {
        caller.may_attempt(Write::Act(&[GI_CREATE_ACTOR]))?;
        let bytes = serde_json::to_vec(&json).map_err(AppError::internal)?;
        let application: GiApplication = parse_body(&bytes)?;
        create_draft(&state, &caller, application).await
    }
    .await;
    match created {
        Ok(view) => see_other(&frame, &path_of(view.id)),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let mut failed = Failed::of(&error, "create".into(), typed);
            for e in &mut failed.fields {
                e.field = control_of(&e.field, &rows);
            }
            let (csrf, new_cookie) = csrf_token(&req);
            let who = super::desk_page::who(&frame, &caller, &csrf);
            match self::body(&frame, &state, &caller, &csrf, who, Some(&failed)).await {
                Ok(page) => with_cookies(
                    frame.respond(error.status_code(), frame.t("desk.title"), page),
                    new_cookie,
                ),
                Err(error) => error_page::respond(&frame, &error),
            }
        }
    }
}
