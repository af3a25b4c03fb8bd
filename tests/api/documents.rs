//! Documents (issue 15): uploaded as a form, stored once per SHA-256 and never changed,
//! checked from their bytes, downloaded byte for byte with `ETag` and `Range`, as private
//! as the GI they belong to, and recorded in the audit log with their digest.

use reqwest::multipart::{Form, Part};
use reqwest::Response;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::exports::{csv_records, export_bytes};
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{partners, recognition_in};
use crate::register::{expect, gi_in, World};

both_backends!(
    an_upload_comes_back_byte_for_byte_with_its_digest,
    a_file_is_judged_by_its_bytes_not_its_name,
    a_drafts_documents_are_as_private_as_the_draft,
    uploads_are_refused_before_their_body_for_callers_outside_the_gi,
    a_recognitions_decision_letter_is_listed_with_the_recognition_and_the_gi,
    an_upload_beyond_the_document_limit_is_413,
);

/// A PDF-looking file of `len` bytes (more than one 1 MiB storage chunk when asked).
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n% Longjing tea product specification\n".to_vec();
    let mut i = 0u32;
    while bytes.len() < len {
        bytes.push((i.wrapping_mul(2_654_435_761) >> 24) as u8);
        i += 1;
    }
    bytes.truncate(len);
    bytes
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn form(bytes: Vec<u8>, file_name: &str, mime: Option<&str>, fields: &[(&str, &str)]) -> Form {
    let mut part = Part::bytes(bytes).file_name(file_name.to_string());
    if let Some(mime) = mime {
        part = part.mime_str(mime).unwrap();
    }
    let mut form = Form::new().part("file", part);
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    form
}

async fn upload(app: &TestApp, path: &str, token: &str, form: Form) -> Response {
    app.request(reqwest::Method::POST, path, Some(token))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

const SPECIFICATION: &[(&str, &str)] = &[
    ("kind", "specification"),
    ("title", "龙井茶 product specification, version 1"),
    ("lang", "zh-hans"),
    ("specification_version", "1"),
];

async fn an_upload_comes_back_byte_for_byte_with_its_digest(app: TestApp) {
    let w = crate::register::world(&app).await;
    let gi = gi_in(&app, &w, "published").await;
    let bytes = pdf(2 * 1024 * 1024 + 12_345);
    let digest = sha256(&bytes);
    let audit = app.audit_count().await;
    let path = format!("/api/v1/gis/{gi}/documents");
    let response = upload(
        &app,
        &path,
        &w.cn_assoc,
        form(
            bytes.clone(),
            "spec.pdf",
            Some("application/pdf"),
            SPECIFICATION,
        ),
    )
    .await;
    assert_eq!(
        response.headers()["location"],
        format!("/api/v1/documents/{digest}").as_str()
    );
    let document = expect(response, 201).await;
    assert_eq!(document["sha256"], digest);
    assert_eq!(document["kind"], "specification");
    assert_eq!(document["lang"], "zh-Hans", "the tag is canonical");
    assert_eq!(document["specification_version"], 1);
    assert_eq!(document["file_name"], "spec.pdf");

    let entries = app.audit_after(audit).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].action, "document.attach");
    assert_eq!(entries[0].payload["sha256"], digest);
    assert_eq!(entries[0].payload["byte_count"], bytes.len());

    // Anyone may read a registered GI's documents, byte for byte.
    let download = app.get(&format!("/api/v1/documents/{digest}"), None).await;
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["etag"], format!("\"{digest}\"").as_str());
    assert_eq!(headers["accept-ranges"], "bytes");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("spec.pdf"));
    let got = download.bytes().await.unwrap();
    assert_eq!(got.len(), bytes.len());
    assert_eq!(sha256(&got), digest);

    // A range across the first chunk boundary.
    let (start, end) = (1024 * 1024 - 10, 1024 * 1024 + 9);
    let partial = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/documents/{digest}"),
            None,
        )
        .header("range", format!("bytes={start}-{end}"))
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), 206);
    assert_eq!(
        partial.headers()["content-range"],
        format!("bytes {start}-{end}/{}", bytes.len()).as_str()
    );
    assert_eq!(partial.bytes().await.unwrap(), &bytes[start..=end]);
    let outside = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/documents/{digest}"),
            None,
        )
        .header("range", format!("bytes={}-", bytes.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        outside.headers()["content-range"],
        format!("bytes */{}", bytes.len()).as_str()
    );
    assert_error(outside, 416, "range_not_satisfiable").await;
    let held = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/documents/{digest}"),
            None,
        )
        .header("if-none-match", format!("\"{digest}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 304);

    // The same bytes filed again, with another GI, are stored once and listed twice.
    let other = gi_in(&app, &w, "published").await;
    let again = upload(
        &app,
        &format!("/api/v1/gis/{other}/documents"),
        &w.cn_examiner,
        form(
            bytes.clone(),
            "copy.pdf",
            None,
            &[("kind", "publication"), ("title", "Gazette extract")],
        ),
    )
    .await;
    assert_eq!(expect(again, 201).await["sha256"], digest);
    let listed = expect(app.get(&path, None).await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["title"],
        "龙井茶 product specification, version 1"
    );
    for unknown in ["0".repeat(64), "not-a-digest".into(), "A".repeat(64)] {
        assert_error(
            app.get(&format!("/api/v1/documents/{unknown}"), None).await,
            404,
            "not_found",
        )
        .await;
    }
}

async fn a_file_is_judged_by_its_bytes_not_its_name(app: TestApp) {
    let w = crate::register::world(&app).await;
    let gi = gi_in(&app, &w, "published").await;
    let path = format!("/api/v1/gis/{gi}/documents");
    let audit = app.audit_count().await;
    let executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    for (bytes, mime) in [
        (executable.clone(), Some("application/pdf")),
        (executable, None),
        (b"\x7fELF\x02\x01\x01\x00".to_vec(), None),
        (pdf(2000), Some("image/png")),
    ] {
        let response = upload(
            &app,
            &path,
            &w.cn_assoc,
            form(bytes, "specification.pdf", mime, SPECIFICATION),
        )
        .await;
        assert_error(response, 415, "unsupported_media_type").await;
    }
    // Plain text and a PNG are told from their bytes whatever the name says.
    let text = upload(
        &app,
        &path,
        &w.cn_assoc,
        form(
            "Longjing: the tea of West Lake\n".into(),
            "notes.bin",
            None,
            &[("kind", "other"), ("title", "Notes")],
        ),
    )
    .await;
    assert_eq!(expect(text, 201).await["kind"], "other");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    let map = upload(
        &app,
        &path,
        &w.cn_assoc,
        form(
            png.clone(),
            "area.pdf",
            None,
            &[("kind", "map"), ("title", "The area")],
        ),
    )
    .await;
    let map = expect(map, 201).await;
    let download = app
        .get(
            &format!("/api/v1/documents/{}", map["sha256"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(
        app.audit_count().await,
        audit + 2,
        "only the accepted files are recorded"
    );

    // What the form says is checked too; nothing is recorded.
    let audit = app.audit_count().await;
    for (fields, field) in [
        (&[("title", "No kind")][..], "kind"),
        (&[("kind", "poem"), ("title", "t")][..], "kind"),
        (&[("kind", "other")][..], "title"),
        (
            &[("kind", "other"), ("title", "\u{202e}fdp.exe")][..],
            "title",
        ),
        (
            &[("kind", "other"), ("title", "t"), ("lang", "not a tag")][..],
            "lang",
        ),
        (
            &[
                ("kind", "other"),
                ("title", "t"),
                ("specification_version", "9"),
            ][..],
            "specification_version",
        ),
        (
            &[("kind", "other"), ("title", "t"), ("event_id", "-1")][..],
            "event_id",
        ),
        (
            &[("kind", "other"), ("title", "t"), ("colour", "red")][..],
            "colour",
        ),
    ] {
        let response = upload(
            &app,
            &path,
            &w.cn_assoc,
            form(pdf(100), "a.pdf", None, fields),
        )
        .await;
        let body = assert_error(response, 422, "validation_failed").await;
        assert_eq!(body["error"]["details"][0]["field"], field, "{body}");
    }
    let not_a_form = app
        .post(&path, Some(&w.cn_assoc), json!({"kind": "other"}))
        .await;
    assert_error(not_a_form, 415, "unsupported_media_type").await;
    assert_eq!(app.audit_count().await, audit);
}

async fn a_drafts_documents_are_as_private_as_the_draft(app: TestApp) {
    let w = crate::register::world(&app).await;
    let draft = gi_in(&app, &w, "draft").await;
    let path = format!("/api/v1/gis/{draft}/documents");
    let bytes = pdf(5000);
    let digest = sha256(&bytes);
    expect(
        upload(
            &app,
            &path,
            &w.cn_assoc,
            form(bytes, "draft.pdf", None, SPECIFICATION),
        )
        .await,
        201,
    )
    .await;
    for token in [
        None,
        Some(w.th_examiner.as_str()),
        Some(w.cn_other_assoc.as_str()),
    ] {
        assert_error(
            app.get(&format!("/api/v1/documents/{digest}"), token).await,
            404,
            "not_found",
        )
        .await;
        assert_error(app.get(&path, token).await, 404, "not_found").await;
    }
    for token in [&w.cn_assoc, &w.cn_examiner, &w.auditor] {
        let download = app
            .get(&format!("/api/v1/documents/{digest}"), Some(token))
            .await;
        assert_eq!(download.status(), 200);
        assert_eq!(
            expect(app.get(&path, Some(token)).await, 200)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
    // The draft's upload is not in the public feed.
    let feed = expect(app.get("/api/v1/feed", None).await, 200).await;
    assert!(!feed.to_string().contains(&digest), "{feed}");
}

async fn uploads_are_refused_before_their_body_for_callers_outside_the_gi(app: TestApp) {
    let w: World = crate::register::world(&app).await;
    let gi = gi_in(&app, &w, "published").await;
    let path = format!("/api/v1/gis/{gi}/documents");
    let audit = app.audit_count().await;
    for token in [&w.th_examiner, &w.cn_other_assoc, &w.th_assoc, &w.auditor] {
        // Even a body that is no form at all gets the 403.
        let response = app
            .request(reqwest::Method::POST, &path, Some(token))
            .header("content-type", "text/plain")
            .body("not a form")
            .send()
            .await
            .unwrap();
        assert_error(response, 403, "forbidden").await;
        let response = upload(
            &app,
            &path,
            token,
            form(pdf(100), "a.pdf", None, SPECIFICATION),
        )
        .await;
        assert_error(response, 403, "forbidden").await;
    }
    let anonymous = app
        .request(reqwest::Method::POST, &path, None)
        .multipart(form(pdf(100), "a.pdf", None, SPECIFICATION))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, 401, "unauthorized").await;
    let missing = upload(
        &app,
        "/api/v1/gis/999999/documents",
        &w.cn_examiner,
        form(pdf(100), "a.pdf", None, SPECIFICATION),
    )
    .await;
    assert_error(missing, 404, "not_found").await;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(expect(app.get(&path, None).await, 200).await, json!([]));
}

async fn a_recognitions_decision_letter_is_listed_with_the_recognition_and_the_gi(app: TestApp) {
    let w = partners(&app).await;
    let (gi, recognition) = recognition_in(&app, &w, "protected").await;
    let events: Value = expect(
        app.get(&format!("/api/v1/recognitions/{recognition}/events"), None)
            .await,
        200,
    )
    .await;
    let protect = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "protect")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/recognitions/{recognition}/documents");
    let letter = "ประกาศกรมทรัพย์สินทางปัญญา: คุ้มครองสิ่งบ่งชี้ทางภูมิศาสตร์ 龙井茶\n";
    let fields = [
        ("kind", "decision"),
        ("title", "DIP decision to protect"),
        ("lang", "th"),
        ("event_id", protect.as_str()),
    ];
    // The association of the GI does not act in the partner phase.
    let refused = upload(
        &app,
        &path,
        &w.cn_assoc,
        form(letter.into(), "decision.txt", None, &fields),
    )
    .await;
    assert_error(refused, 403, "forbidden").await;
    let wrong_event = [("kind", "decision"), ("title", "t"), ("event_id", "1")];
    let refused = upload(
        &app,
        &path,
        &w.th_examiner,
        form(letter.into(), "decision.txt", None, &wrong_event),
    )
    .await;
    assert_error(refused, 422, "validation_failed").await;
    let document = expect(
        upload(
            &app,
            &path,
            &w.th_examiner,
            form(letter.into(), "decision.txt", Some("text/plain"), &fields),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(document["recognition_id"], recognition);
    assert_eq!(document["gi_id"], gi);
    assert_eq!(document["event_id"].to_string(), protect);
    let of_recognition = expect(app.get(&path, None).await, 200).await;
    assert_eq!(of_recognition[0]["sha256"], document["sha256"]);
    let of_gi = expect(
        app.get(&format!("/api/v1/gis/{gi}/documents"), None).await,
        200,
    )
    .await;
    assert_eq!(of_gi[0]["sha256"], document["sha256"]);
    let download = app
        .get(
            &format!("/api/v1/documents/{}", document["sha256"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(
        download.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(download.text().await.unwrap(), letter);

    // Exports list the digests of the decision documents on file by the end of their
    // date: today's list has the letter, yesterday's (as it stood) does not, and other
    // kinds of document are never listed.
    let correspondence = [("kind", "correspondence"), ("title", "Cover letter")];
    expect(
        upload(
            &app,
            &path,
            &w.th_examiner,
            form(
                b"Dear colleagues".to_vec(),
                "cover.txt",
                None,
                &correspondence,
            ),
        )
        .await,
        201,
    )
    .await;
    let digests_on = |as_of: String| {
        let app = &app;
        let auditor = w.auditor.clone();
        async move {
            let body = export_bytes(app, &auditor, &format!("format=csv&as_of={as_of}")).await;
            let records = csv_records(&body);
            let row = records
                .iter()
                .find(|r| r[0] == recognition.to_string())
                .unwrap()
                .clone();
            // The decision_documents column (recorded_at and recorded_late follow).
            row[18].clone()
        }
    };
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        digests_on(today.to_string()).await,
        document["sha256"].as_str().unwrap()
    );
    assert_eq!(digests_on(today.pred_opt().unwrap().to_string()).await, "");
    let json = expect(
        app.get(
            &format!("/api/v1/exports/recognitions?format=json&as_of={today}"),
            Some(&w.auditor),
        )
        .await,
        200,
    )
    .await;
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["recognition_id"] == recognition)
        .unwrap();
    assert_eq!(row["decision_documents"], json!([document["sha256"]]));
}

async fn an_upload_beyond_the_document_limit_is_413(app: TestApp) {
    let Some(small) =
        TestApp::spawn_with(app.backend, |server| server.max_document_bytes = 4096).await
    else {
        return;
    };
    let w = crate::register::world(&small).await;
    let gi = gi_in(&small, &w, "published").await;
    let path = format!("/api/v1/gis/{gi}/documents");
    let audit = small.audit_count().await;
    let response = upload(
        &small,
        &path,
        &w.cn_assoc,
        form(pdf(4097), "big.pdf", None, SPECIFICATION),
    )
    .await;
    assert_error(response, 413, "payload_too_large").await;
    let response = upload(
        &small,
        &path,
        &w.cn_assoc,
        form(pdf(4096), "fits.pdf", None, SPECIFICATION),
    )
    .await;
    expect(response, 201).await;
    // The JSON body limit does not apply to documents, nor this limit to JSON.
    assert_eq!(small.audit_count().await, audit + 1);
}
