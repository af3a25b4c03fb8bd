//! Atom 1.0 (RFC 4287) feeds of public changes: `/feeds/gis/{id}.atom`,
//! `/feeds/programmes/{code}.atom`, `/feeds/offices/{code}.atom`. Each entry is one
//! event: what changed, its legal date, when it was recorded, and the grounds given.

use std::fmt::Write as _;

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::state::AppState;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::registry::public_feeds::{self, FeedContent};
use crate::store::events::Event;

const ATOM: &str = "application/atom+xml; charset=utf-8";

/// A GI's changes, at home and in every partner office.
#[utoipa::path(operation_id = "gi_feed", tag = "feed", params(("id" = i64, Path)), responses(
    (status = 200, description = "an Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/feeds/gis/{id}.atom")]
pub async fn gi_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    serve(&req, &state, move |conn| public_feeds::of_gi(conn, id)).await
}

/// The recognitions of a programme.
#[utoipa::path(operation_id = "programme_feed", tag = "feed", params(("code" = String, Path)), responses(
    (status = 200, description = "an Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/feeds/programmes/{code}.atom")]
pub async fn programme_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    serve(&req, &state, move |conn| {
        public_feeds::of_programme(conn, &code)
    })
    .await
}

/// An office's GIs at home and abroad, and the recognitions it decides.
#[utoipa::path(operation_id = "office_feed", tag = "feed", params(("code" = String, Path)), responses(
    (status = 200, description = "an Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/feeds/offices/{code}.atom")]
pub async fn office_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    serve(&req, &state, move |conn| {
        public_feeds::of_office(conn, &code)
    })
    .await
}

/// Reads a feed's content with `load` and answers it as Atom.
async fn serve(
    req: &HttpRequest,
    state: &AppState,
    load: impl FnOnce(&mut AnyConnection) -> Result<FeedContent, AppError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let content = state.db.read(load).await?;
    Ok(answer(req, &content))
}

fn answer(req: &HttpRequest, content: &FeedContent) -> HttpResponse {
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let self_url = format!("{base}{}", req.path());
    HttpResponse::Ok()
        .content_type(ATOM)
        .body(feed(&base, &self_url, content))
}

/// The feed document.
pub fn feed(base: &str, self_url: &str, content: &FeedContent) -> String {
    let updated = content
        .events
        .iter()
        .map(|e| e.recorded_at)
        .max()
        .unwrap_or_default();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(&mut xml, 1, "id", self_url);
    element(&mut xml, 1, "title", &content.title);
    element(&mut xml, 1, "updated", &timestamp(updated));
    let _ = writeln!(xml, "  <link rel=\"self\" href=\"{}\"/>", escape(self_url));
    xml.push_str("  <author><name>Terroir registry</name></author>\n");
    element(&mut xml, 1, "generator", "Terroir");
    for event in &content.events {
        entry(&mut xml, base, content, event);
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(xml: &mut String, base: &str, content: &FeedContent, event: &Event) {
    let name = content
        .names
        .get(&event.gi_id)
        .cloned()
        .unwrap_or_else(|| format!("GI {}", event.gi_id));
    let (subject, link) = match event.entity_type.as_str() {
        "recognition" => (
            format!("{name}, recognition {}", event.entity_id),
            format!("{base}/api/v1/recognitions/{}", event.entity_id),
        ),
        _ => (name, format!("{base}/api/v1/gis/{}", event.gi_id)),
    };
    let by = event.office.as_deref().unwrap_or("the registry");
    let title = format!(
        "{subject}: {} ({by}), now {}",
        event.event_type.replace('_', " "),
        event.to_status.replace('_', " ")
    );
    let mut summary = format!("Legal date {}.", event.effective_on);
    if let Some(grounds) = &event.grounds {
        let _ = write!(summary, " Grounds: {grounds}");
    }
    xml.push_str("  <entry>\n");
    element(
        xml,
        2,
        "id",
        &format!("{base}/api/v1/gis/{}/events#{}", event.gi_id, event.id),
    );
    element(xml, 2, "title", &title);
    element(xml, 2, "updated", &timestamp(event.recorded_at));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" href=\"{}\"/>",
        escape(&link)
    );
    let _ = writeln!(
        xml,
        "    <category term=\"{}\"/>",
        escape(&format!("{}.{}", event.entity_type, event.event_type))
    );
    element(xml, 2, "summary", &summary);
    xml.push_str("  </entry>\n");
}

fn element(xml: &mut String, depth: usize, name: &str, text: &str) {
    let _ = writeln!(
        xml,
        "{}<{name}>{}</{name}>",
        "  ".repeat(depth),
        escape(text)
    );
}

fn timestamp(at: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(at, Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Text as XML character data or an attribute value; characters XML 1.0 cannot carry
/// are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_what_xml_cannot_carry_is_dropped() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(escape("龙井\u{1}茶\u{FFFE}"), "龙井茶");
    }
}
