//! `/`: search the register in any script (the search of `GET /api/v1/gis`), with its
//! filters, and the results: names in their scripts, origin, status at home, and in how
//! many territories each GI is protected today.

use std::str::FromStr;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::error_page;
use super::layout::{headline_names, name, Frame};
use super::query::PageQuery;
use crate::api::state::AppState;
use crate::domain::gi::GiType;
use crate::domain::gi_status::GiStatus;
use crate::domain::recognition_status::RecognitionStatus;
use crate::registry::gi_search::{search, GiQuery};
use crate::registry::gi_views::{views, GiView};
use crate::registry::offices;
use crate::registry::protection::protection;

/// The most results a page shows.
const SHOWN: i64 = 50;

/// One result: the GI and in how many territories it is protected.
struct Found {
    gi: GiView,
    protected_in: usize,
}

struct Results {
    found: Vec<Found>,
    more: bool,
    /// Office codes and their jurisdictions, for the filters.
    offices: Vec<(String, String)>,
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let frame = Frame::of(&req);
    let params = PageQuery::of(&req);
    let query = match gi_query(&params) {
        Ok(query) => query,
        Err(messages) => return error_page::bad_request(&frame, messages),
    };
    let now = state.clock.now();
    let results = state
        .db
        .read(move |conn| {
            let mut rows = search(conn, None, &query, 0, SHOWN + 1)?;
            let more = rows.len() as i64 > SHOWN;
            rows.truncate(SHOWN as usize);
            let mut found = Vec::with_capacity(rows.len());
            for gi in views(conn, rows)? {
                let territories = protection(conn, None, gi.id, None, None, now)?.territories;
                let protected_in = territories
                    .iter()
                    .filter(|t| t.status == RecognitionStatus::Protected.as_str())
                    .count();
                found.push(Found { gi, protected_in });
            }
            let offices = offices::list(conn, None, 200)?
                .into_iter()
                .map(|o| (o.code, o.jurisdiction))
                .collect();
            Ok(Results {
                found,
                more,
                offices,
            })
        })
        .await;
    match results {
        Ok(results) => {
            let body = html! {
                h1 { (frame.t("search.title")) }
                (form(&frame, &params, &results.offices))
                (list(&frame, &results))
            };
            frame.respond(StatusCode::OK, frame.t("search.title"), body)
        }
        Err(error) => error_page::respond(&frame, &error),
    }
}

/// The API's query from the form's fields; an unknown status or type is a 400 naming it.
fn gi_query(params: &PageQuery) -> Result<GiQuery, Vec<String>> {
    let mut errors = Vec::new();
    let status = params.get("status").and_then(|s| {
        GiStatus::from_str(&s)
            .map_err(|e| errors.push(format!("status: {e}")))
            .ok()
    });
    let gi_type = params.get("gi_type").and_then(|s| {
        GiType::from_str(&s)
            .map_err(|e| errors.push(format!("gi_type: {e}")))
            .ok()
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(GiQuery {
        q: params.get("q"),
        origin: params.get("origin"),
        status,
        gi_type,
        product_type: None,
        product_class: params.get("product_class"),
        country: params.get("country"),
    })
}

fn form(frame: &Frame, params: &PageQuery, offices: &[(String, String)]) -> Markup {
    let chosen = |field: &str| params.get(field).unwrap_or_default();
    let mut countries: Vec<&str> = offices.iter().map(|(_, j)| j.as_str()).collect();
    countries.sort();
    countries.dedup();
    let select = |field: &str, label: &str, options: Vec<(String, String)>| {
        let current = chosen(field);
        html! {
            label {
                (label)
                select name=(field) id=(field) {
                    option value="" { (frame.t("search.any")) }
                    @for (value, text) in &options {
                        option value=(value) selected[*value == current] { (text) }
                    }
                }
            }
        }
    };
    html! {
        form.search method="get" action="/" role="search" {
            input type="hidden" name="lang" value=(frame.lang.code());
            div.query {
                label {
                    (frame.t("search.q"))
                    span.hint { (frame.t("search.q_hint")) }
                    input type="search" name="q" id="q" value=(chosen("q")) maxlength="300" autocomplete="off";
                }
                button type="submit" { (frame.t("search.submit")) }
            }
            fieldset {
                legend { (frame.t("search.filters")) }
                (select("origin", frame.t("field.origin"),
                    offices.iter().map(|(code, _)| (code.clone(), code.clone())).collect()))
                (select("country", frame.t("field.country"),
                    countries.iter().map(|c| (c.to_string(), c.to_string())).collect()))
                (select("gi_type", frame.t("field.gi_type"),
                    GiType::NAMES.iter().map(|t| (t.to_string(), frame.lang.value("gi_type", t))).collect()))
                label {
                    (frame.t("field.product_class"))
                    input type="text" name="product_class" id="product_class" value=(chosen("product_class")) size="6";
                }
                (select("status", frame.t("field.status"),
                    GiStatus::NAMES.iter().filter(|s| **s != "draft")
                        .map(|s| (s.to_string(), frame.lang.value("status", s))).collect()))
            }
        }
    }
}

fn list(frame: &Frame, results: &Results) -> Markup {
    html! {
        h2 { (frame.t("search.results")) }
        @if results.found.is_empty() {
            p.empty { (frame.t("search.none")) }
        } @else {
            table.results {
                thead {
                    tr {
                        th scope="col" { (frame.t("field.names")) }
                        th scope="col" { (frame.t("field.origin")) }
                        th scope="col" { (frame.t("field.gi_type")) }
                        th scope="col" { (frame.t("field.home_status")) }
                        th scope="col" { (frame.t("field.territories")) }
                    }
                }
                tbody {
                    @for found in &results.found {
                        @let gi = &found.gi;
                        tr {
                            td.names {
                                a href=(frame.link(&format!("/gis/{}", gi.id))) {
                                    @for (i, n) in headline_names(&gi.names).into_iter().enumerate() {
                                        @if i > 0 { " · " }
                                        (name(n))
                                    }
                                }
                            }
                            td { (gi.origin_office) " (" (gi.countries.join(", ")) ")" }
                            td { (frame.lang.value("gi_type", &gi.gi_type)) }
                            td { (frame.status(&gi.status)) }
                            td.count { (found.protected_in) }
                        }
                    }
                }
            }
            @if results.more { p.note { (frame.t("search.more")) } }
        }
    }
}
