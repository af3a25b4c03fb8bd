//! `/desk` for an auditor: the recognitions export as a form (programme, partner,
//! origin, status, as-of date, format) and the audit chain's verification. The form
//! posts to `/desk/exports`, which issues the export through the API's own path
//! (`api::exports::issue_export`: spooled, signed, recorded) and answers with its
//! record — id, SHA-256, signature, key id — and a link to
//! `/desk/exports/{id}/file`, the replay of the same bytes with the API's headers (a
//! page and a download cannot be one response).

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};

use super::action_form::Failed;
use super::error_page;
use super::forms::{field, fields, see_other, with_cookies};
use super::layout::{or_dash, Frame};
use super::login_page::{logout_form, LOGIN_PATH};
use super::session::{csrf_holds, csrf_token, signed_in, CSRF_FIELD};
use crate::api::caller::Caller;
use crate::api::exports::{export_day, issue_export, replay_response, IssuedExport};
use crate::api::state::AppState;
use crate::domain::recognition_status::RecognitionStatus;
use crate::error::AppError;
use crate::export::ExportQuery;
use crate::registry::audit_log;

pub const EXPORTS_PATH: &str = "/desk/exports";
/// The export form's fields, named as the API's query parameters.
const FILTERS: [&str; 4] = ["programme", "partner", "origin", "status"];
const FORMATS: [&str; 3] = ["csv", "json", "xlsx"];

/// The desk's body for an auditor, below the signed-in line `who`.
pub async fn body(
    frame: &Frame<'_>,
    state: &AppState,
    caller: &Caller,
    csrf: &str,
    who: Markup,
    failed: Option<&Failed>,
) -> Result<Markup, AppError> {
    let acting = caller.acting();
    let report = state
        .db
        .read(move |conn| audit_log::verify(conn, &acting))
        .await?;
    Ok(html! {
        h1 { (frame.t("desk.title")) }
        (who)
        h2 { (frame.t("desk.audit_chain")) }
        dl.facts.audit-chain {
            dt { (frame.t("field.status")) }
            dd.chain-status { (report.status) }
            dt { (frame.t("desk.entries")) }
            dd { (report.entries) }
            dt { (frame.t("desk.head_hash")) }
            dd { code { (or_dash(frame, report.head_hash.as_ref())) } }
            @if let Some(broken) = &report.first_broken {
                dt { (frame.t("desk.first_broken")) }
                dd.error { (broken.seq) ": " (broken.reason) }
            }
        }
        h2 id="export" { (frame.t("desk.export")) }
        (export_form(frame, csrf, failed))
    })
}

fn export_form(frame: &Frame, csrf: &str, failed: Option<&Failed>) -> Markup {
    let typed = |name: &str| {
        failed
            .map(|f| f.typed(name))
            .unwrap_or_default()
            .to_string()
    };
    let error_of = |name: &str| failed.and_then(|f| f.fields.iter().find(|e| e.field == name));
    let general = failed.filter(|f| {
        !f.fields.iter().any(|e| {
            FILTERS.contains(&e.field.as_str()) || ["as_of", "format"].contains(&e.field.as_str())
        })
    });
    let described = |name: &str| error_of(name).map(|_| format!("export-{name}-error"));
    let error_line = |name: &str| {
        html! {
            @if let Some(error) = error_of(name) {
                p.field-error id=(format!("export-{name}-error")) role="alert" { (error.message) }
            }
        }
    };
    html! {
        form.export id="export-form" method="post" action=(frame.link(EXPORTS_PATH)) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            @for name in ["programme", "partner", "origin"] {
                label for=(format!("export-{name}")) {
                    (frame.t(&format!("desk.export_{name}")))
                    input type="text" id=(format!("export-{name}")) name=(name) value=(typed(name))
                        aria-describedby=[described(name)];
                }
                (error_line(name))
            }
            label for="export-status" {
                (frame.t("field.status"))
                select id="export-status" name="status" aria-describedby=[described("status")] {
                    option value="" { (frame.t("search.any")) }
                    @for status in RecognitionStatus::NAMES {
                        option value=(status) selected[typed("status") == *status] { (frame.lang.value("status", status)) }
                    }
                }
            }
            (error_line("status"))
            label for="export-as_of" {
                (frame.t("gi.as_of"))
                input type="date" id="export-as_of" name="as_of" value=(typed("as_of"))
                    aria-describedby=[described("as_of")];
            }
            (error_line("as_of"))
            label for="export-format" {
                (frame.t("desk.format"))
                select id="export-format" name="format" aria-describedby=[described("format")] {
                    @for format in FORMATS {
                        option value=(format) selected[typed("format") == format] { (format.to_uppercase()) }
                    }
                }
            }
            (error_line("format"))
            button type="submit" { (frame.t("desk.export_submit")) }
        }
    }
}

/// `POST /desk/exports`: issues the export, and shows its record.
pub async fn export(
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
    // The API's query string, without the fields left empty.
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &typed {
        let value = value.trim();
        if (FILTERS.contains(&name.as_str()) || name == "as_of" || name == "format")
            && !value.is_empty()
        {
            query.append_pair(name, value);
        }
    }
    let issued = async {
        let query: ExportQuery = crate::api::query::parse(&query.finish())?;
        let (today, recorded_now) = export_day(&state, &caller, &query).await?;
        issue_export(&state, &caller, query, today, recorded_now).await
    }
    .await;
    let (csrf, new_cookie) = csrf_token(&req);
    let response = match issued {
        Ok(export) => frame.respond(
            actix_web::http::StatusCode::OK,
            frame.t("desk.export_done"),
            record(&frame, &export, &csrf),
        ),
        Err(AppError::Forbidden(message)) => error_page::forbidden(&frame, &message),
        Err(error) => {
            let failed = Failed::of(&error, "export".into(), typed);
            let who = super::desk_page::who(&frame, &caller, &csrf);
            match self::body(&frame, &state, &caller, &csrf, who, Some(&failed)).await {
                Ok(page) => frame.respond(error.status_code(), frame.t("desk.title"), page),
                Err(error) => error_page::respond(&frame, &error),
            }
        }
    };
    with_cookies(response, new_cookie)
}

/// The issued export's record, and where to download it.
fn record(frame: &Frame, export: &IssuedExport, csrf: &str) -> Markup {
    let file = format!("{EXPORTS_PATH}/{}/file", export.id);
    html! {
        p { a href=(frame.link("/desk")) { (frame.t("desk.title")) } }
        h1 { (frame.t("desk.export_done")) }
        (logout_form(frame, csrf))
        dl.facts.export-record {
            dt { (frame.t("desk.export_id")) }
            dd.export-id { (export.id) }
            dt { (frame.t("gi.as_of")) }
            dd { (export.as_of) }
            dt { (frame.t("desk.rows")) }
            dd { (export.issued.body.rows) }
            dt { "SHA-256" }
            dd { code.sha256 { (export.issued.body.sha256) } }
            dt { (frame.t("desk.signature")) }
            dd { code.signature { (export.issued.signed.signature) } }
            dt { (frame.t("desk.key_id")) }
            dd { code.key-id { (export.issued.signed.kid) } }
        }
        p { a.download href=(file) download { (frame.t("desk.download")) " (" (export.format.as_str().to_uppercase()) ")" } }
    }
}

/// `GET /desk/exports/{id}/file`: the export's bytes, replayed, with the API's headers.
pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let Ok(id) = id.parse::<i64>() else {
        return error_page::not_found(&frame);
    };
    let Some(caller) = signed_in(&req, &state).await else {
        return see_other(&frame, LOGIN_PATH);
    };
    match replay_response(&state, &caller, id).await {
        Ok(response) => response,
        Err(error) => error_page::respond(&frame, &error),
    }
}
