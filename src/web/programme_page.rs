//! `/programmes/{code}`: a programme, its parties and the terms in force today, their
//! amendments, and its lists: what each party has submitted and where each GI stands
//! in the partner's territory.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::error_page;
use super::layout::{headline_names, name, or_dash, Frame};
use crate::api::state::AppState;
use crate::registry::calendars::reader_today;
use crate::registry::gi_application::load_visible;
use crate::registry::gi_views::views;
use crate::registry::gi_views::GiNameView;
use crate::registry::programmes::{self, ProgrammeView};
use crate::registry::protection::{page, RecognitionQuery};
use crate::registry::recognition_views::RecognitionView;

/// The most recognitions the page lists.
const SHOWN: i64 = 500;

struct Shown {
    programme: ProgrammeView,
    /// By submitting (origin) office.
    submissions: BTreeMap<String, Vec<RecognitionView>>,
    names: BTreeMap<i64, Vec<GiNameView>>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let code = code.into_inner();
    let now = state.clock.now();
    let shown = state
        .db
        .read(move |conn| {
            let today = reader_today(conn, None, None, now)?;
            let programme = programmes::read(conn, &code, today)?;
            let query = RecognitionQuery {
                programme: Some(code),
                ..RecognitionQuery::default()
            };
            let (list, _) = page(conn, &query, 0, SHOWN)?;
            let mut gi_ids: Vec<i64> = list.iter().map(|r| r.gi_id).collect();
            gi_ids.sort_unstable();
            gi_ids.dedup();
            let mut rows = Vec::with_capacity(gi_ids.len());
            for id in gi_ids {
                rows.push(load_visible(conn, None, id)?);
            }
            let names = views(conn, rows)?
                .into_iter()
                .map(|gi| (gi.id, gi.names))
                .collect();
            let mut submissions: BTreeMap<String, Vec<RecognitionView>> = BTreeMap::new();
            for r in list {
                submissions.entry(r.origin.clone()).or_default().push(r);
            }
            Ok(Shown {
                programme,
                submissions,
                names,
            })
        })
        .await;
    match shown {
        Ok(shown) => {
            let title = format!("{} — {}", shown.programme.code, shown.programme.title);
            let body = html! {
                h1 { (title) }
                (terms(&frame, &shown.programme))
                (submissions(&frame, &shown))
            };
            frame.respond(StatusCode::OK, &title, body)
        }
        Err(error) => error_page::respond(&frame, &error),
    }
}

fn terms(frame: &Frame, p: &ProgrammeView) -> Markup {
    html! {
        h2 { (frame.t("programme.terms")) }
        dl.facts {
            dt { (frame.t("field.parties")) }
            dd { (p.parties.join(", ")) }
            dt { (frame.t("field.signed_on")) }
            dd { (or_dash(frame, p.signed_on)) }
            dt { (frame.t("field.in_force_on")) }
            dd { (or_dash(frame, p.in_force_on)) }
            dt { (frame.t("field.legal_instrument")) }
            dd { (or_dash(frame, p.legal_instrument.as_ref())) }
            dt { (frame.t("field.decision_period")) }
            dd { code { (p.decision_period) } }
            dt { (frame.t("field.tacit_protection")) }
            dd { (frame.yes_no(p.tacit_protection)) }
            dt { (frame.t("field.requires_origin_registration")) }
            dd { (frame.yes_no(p.requires_origin_registration)) }
            dt { (frame.t("field.refusal_after_deadline")) }
            dd { (frame.yes_no(p.refusal_after_deadline)) }
            dt { (frame.t("field.max_phase_out")) }
            dd { (or_dash(frame, p.max_phase_out)) }
        }
        @if !p.history.is_empty() {
            h3 { (frame.t("programme.history")) }
            table.history {
                thead { tr {
                    th scope="col" { (frame.t("field.effective_on")) }
                    th scope="col" { (frame.t("field.decision_reference")) }
                } }
                tbody {
                    @for a in &p.history {
                        tr { td { (a.effective_on) } td { (a.decision_reference) } }
                    }
                }
            }
        }
    }
}

fn submissions(frame: &Frame, shown: &Shown) -> Markup {
    html! {
        h2 { (frame.t("programme.submissions")) }
        @if shown.submissions.is_empty() {
            p.empty { (frame.t("programme.none")) }
        }
        @for (origin, list) in &shown.submissions {
            h3 { (frame.t("programme.submitted_by")) " " (origin) }
            table.submissions {
                thead { tr {
                    th scope="col" { (frame.t("field.gi")) }
                    th scope="col" { (frame.t("field.partner")) }
                    th scope="col" { (frame.t("field.status")) }
                    th scope="col" { (frame.t("field.submitted_on")) }
                    th scope="col" { (frame.t("field.decision_deadline")) }
                    th scope="col" { (frame.t("field.since")) }
                } }
                tbody {
                    @for r in list {
                        tr {
                            td.names {
                                a href=(frame.link(&format!("/gis/{}", r.gi_id))) {
                                    @match shown.names.get(&r.gi_id).and_then(|n| headline_names(n).first().copied()) {
                                        Some(n) => (name(n)),
                                        None => (r.gi_id),
                                    }
                                }
                            }
                            td { (r.partner_jurisdiction) " — " (r.partner) }
                            td { (frame.status(&r.status)) }
                            td { (or_dash(frame, r.submitted_on)) }
                            td { (or_dash(frame, r.decision_deadline)) }
                            td { (or_dash(frame, r.protected_from)) }
                        }
                    }
                }
            }
        }
    }
}
