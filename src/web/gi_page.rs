//! `/gis/{id}`: one GI as the public sees it — its names in their scripts, type and
//! class, the area's outline, the current specification and its versions, the events,
//! and the territory table, today or (`?as_of=`) as it stood on a past date. The path
//! is the GI's stable, printable address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::area_svg::outline;
use super::error_page;
use super::layout::{headline_names, name, or_dash, Frame};
use super::query::PageQuery;
use crate::api::state::AppState;
use crate::registry::amendments;
use crate::registry::event_history;
use crate::registry::gi_application::load_visible;
use crate::registry::gi_views::{full_view, GiView, SpecificationView};
use crate::registry::protection::{protection, Protection};
use crate::store::events::Event;

struct Shown {
    gi: GiView,
    versions: Vec<SpecificationView>,
    events: Vec<Event>,
    protection: Protection,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let Ok(id) = id.parse::<i64>() else {
        return error_page::not_found(&frame);
    };
    let as_of = match PageQuery::of(&req).get("as_of") {
        None => None,
        Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                return error_page::bad_request(
                    &frame,
                    vec![format!("as_of: {text:?} is not a date (YYYY-MM-DD)")],
                )
            }
        },
    };
    let now = state.clock.now();
    let shown = state
        .db
        .read(move |conn| {
            // Bad input first, as the API answers it: a future date is refused before a
            // GI that cannot be read is a 404.
            let protection = protection(conn, None, id, as_of, None, now)?;
            let row = load_visible(conn, None, id)?;
            Ok(Shown {
                gi: full_view(conn, row)?,
                versions: amendments::list(conn, None, id)?,
                events: event_history::of_gi(conn, None, id, None, None, now)?,
                protection,
            })
        })
        .await;
    match shown {
        Ok(shown) => {
            let title = headline_names(&shown.gi.names)
                .first()
                .map(|n| n.text.clone())
                .unwrap_or_else(|| format!("GI {id}"));
            let permalink = {
                let info = req.connection_info();
                format!("{}://{}/gis/{id}", info.scheme(), info.host())
            };
            let body = html! {
                (heading(&frame, &shown.gi, &permalink))
                (names_table(&frame, &shown.gi))
                (territories(&frame, &shown.gi, &shown.protection, as_of.is_some()))
                (area(&frame, &shown.gi))
                (specification(&frame, &shown.gi, &shown.versions))
                (events(&frame, &shown.events))
            };
            frame.respond(StatusCode::OK, &title, body)
        }
        Err(error) => error_page::respond(&frame, &error),
    }
}

fn heading(frame: &Frame, gi: &GiView, permalink: &str) -> Markup {
    let names = headline_names(&gi.names);
    html! {
        h1.names {
            @for (i, n) in names.iter().filter(|n| n.kind.as_str() == "original").enumerate() {
                @if i > 0 { " · " }
                (name(n))
            }
        }
        p.subtitle.names {
            @for (i, n) in names.iter().filter(|n| n.kind.as_str() != "original").enumerate() {
                @if i > 0 { " · " }
                (name(n))
            }
        }
        dl.facts {
            dt { (frame.t("field.gi_type")) }
            dd { (frame.lang.value("gi_type", &gi.gi_type)) }
            dt { (frame.t("field.product_type")) }
            dd { (frame.lang.value("product_type", &gi.product_type)) }
            dt { (frame.t("field.product_class")) }
            dd { (gi.product_class) }
            dt { (frame.t("field.origin")) }
            dd { (gi.origin_office) " (" (gi.countries.join(", ")) ")" }
            dt { (frame.t("field.home_status")) }
            dd { (frame.status(&gi.status)) }
            dt { (frame.t("field.file_number")) }
            dd { (or_dash(frame, gi.file_number.as_ref())) }
            dt { (frame.t("field.registration_number")) }
            dd { (or_dash(frame, gi.registration_number.as_ref())) }
            @if let Some(instrument) = &gi.legal_instrument {
                dt { (frame.t("field.legal_instrument")) }
                dd { (instrument) }
            }
            dt { (frame.t("gi.permalink")) }
            dd { a.permalink href=(permalink) { (permalink) } }
        }
    }
}

pub fn names_table(frame: &Frame, gi: &GiView) -> Markup {
    html! {
        h2 { (frame.t("field.names")) }
        table.names {
            thead { tr {
                th scope="col" { (frame.t("field.name")) }
                th scope="col" { (frame.t("field.script")) }
                th scope="col" { (frame.t("field.kind")) }
                th scope="col" { (frame.t("field.language")) }
            } }
            tbody {
                @for n in headline_names(&gi.names) {
                    tr {
                        td { (name(n)) }
                        td { code { (n.script) } @if let Some(r) = &n.romanization { " (" (r) ")" } }
                        td { (frame.lang.value("kind", n.kind.as_str())) }
                        td { code { (n.lang) } }
                    }
                }
            }
        }
    }
}

/// The home row and one row per partner office, with the "as of" form above them.
pub fn territories(frame: &Frame, gi: &GiView, protection: &Protection, dated: bool) -> Markup {
    let home = &protection.home;
    let as_of = protection.as_of.to_string();
    html! {
        h2 id="territories" { (frame.t("gi.territories")) }
        form.as-of method="get" action=(format!("/gis/{}", gi.id)) {
            input type="hidden" name="lang" value=(frame.lang.code());
            label {
                (frame.t("gi.as_of"))
                input type="date" name="as_of" id="as_of" value=(as_of);
            }
            button type="submit" { (frame.t("gi.as_of_submit")) }
        }
        @if dated { p.note { (frame.t("gi.as_of_note")) " " strong { (as_of) } } }
        table.territories {
            thead { tr {
                th scope="col" { (frame.t("field.jurisdiction")) }
                th scope="col" { (frame.t("field.programme")) }
                th scope="col" { (frame.t("field.status")) }
                th scope="col" { (frame.t("field.since")) }
                th scope="col" { (frame.t("field.limitations")) }
                th scope="col" { (frame.t("field.phase_out")) }
            } }
            tbody {
                tr.home {
                    th scope="row" { (frame.t("gi.home")) " — " (home.office) }
                    td { (frame.t("none")) }
                    td { @match &home.status {
                        Some(status) => (frame.status(status)),
                        None => (frame.t("gi.not_yet")),
                    } }
                    td { (or_dash(frame, home.registered_on.or(home.filed_on))) }
                    td { (frame.t("none")) }
                    td { (frame.t("none")) }
                }
                @for t in &protection.territories {
                    tr {
                        th scope="row" { (t.jurisdiction) " — " (t.partner) }
                        td { a href=(frame.link(&format!("/programmes/{}", t.programme))) { (t.programme) } }
                        td { (frame.status(&t.status)) }
                        td { (or_dash(frame, t.protected_from)) }
                        td { (or_dash(frame, t.limitations.as_ref())) }
                        td {
                            (or_dash(frame, t.phase_out_until))
                            @if let Some(who) = &t.phase_out_beneficiaries { " (" (who.join(", ")) ")" }
                        }
                    }
                }
            }
        }
        @if protection.territories.is_empty() { p.empty { (frame.t("gi.no_territories")) } }
    }
}

fn area(frame: &Frame, gi: &GiView) -> Markup {
    let drawn = gi.area_geojson.as_ref().and_then(outline);
    html! {
        h2 { (frame.t("field.area")) }
        div.area {
            @if let Some(drawn) = drawn {
                svg xmlns="http://www.w3.org/2000/svg" viewBox=(drawn.view_box) role="img" aria-label=(frame.t("field.area")) {
                    path d=(drawn.path) fill-rule="evenodd" {}
                }
            } @else {
                p.empty { (frame.t("gi.no_area")) }
            }
            p { (gi.area_description) }
        }
    }
}

fn specification(frame: &Frame, gi: &GiView, versions: &[SpecificationView]) -> Markup {
    html! {
        h2 { (frame.t("gi.current_specification")) }
        @if let Some(spec) = &gi.specification {
            dl.facts {
                dt { (frame.t("field.version")) }
                dd { (spec.version) }
                dt { (frame.t("gi.product_description")) }
                dd { (spec.product_description) }
                @for (key, value) in [
                    ("gi.raw_materials", &spec.raw_materials),
                    ("gi.production_method", &spec.production_method),
                    ("gi.link_with_area", &spec.link_with_area),
                    ("gi.labelling", &spec.labelling),
                    ("gi.control_body", &spec.control_body),
                ] {
                    @if let Some(value) = value {
                        dt { (frame.lang.t(key)) }
                        dd { (value) }
                    }
                }
            }
        } @else {
            p.empty { (frame.t("none")) }
        }
        h3 { (frame.t("gi.versions")) }
        table.versions {
            thead { tr {
                th scope="col" { (frame.t("field.version")) }
                th scope="col" { (frame.t("field.status")) }
                th scope="col" { (frame.t("field.date")) }
            } }
            tbody {
                @for v in versions {
                    tr {
                        td { (v.version) }
                        td { (frame.lang.value("spec", &v.status)) }
                        td { (or_dash(frame, v.decided_on)) }
                    }
                }
            }
        }
    }
}

fn events(frame: &Frame, events: &[Event]) -> Markup {
    html! {
        h2 { (frame.t("gi.events")) }
        @if events.is_empty() {
            p.empty { (frame.t("gi.no_events")) }
        } @else {
            table.events {
                thead { tr {
                    th scope="col" { (frame.t("field.date")) }
                    th scope="col" { (frame.t("field.event")) }
                    th scope="col" { (frame.t("field.status")) }
                } }
                tbody {
                    @for e in events {
                        tr {
                            td { (e.effective_on) }
                            td { (frame.lang.value("event", &e.event_type)) }
                            td { (frame.status(&e.to_status)) }
                        }
                    }
                }
            }
        }
    }
}
