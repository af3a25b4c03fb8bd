//! Recognition-list exports for auditors (DESIGN §1, §4; README "For auditors"): who may
//! export, the three formats (RFC 4180 CSV, one JSON document, a real xlsx workbook),
//! the digest of the bytes sent and the audit entry of every export, byte-identical
//! lists as of a date whatever is written later, the filters, and `terroir export`.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use terroir::store::audit::AuditEntry;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    create_programme, id_of, partners, programme_body, r_act, r_act_ok, recognition, th_gi, CN_TH,
    SUBMITTED_ON, TH_EXAMINED_ON, TH_PROTECTED_ON, TH_PUBLISHED_ON,
};
use crate::register::{
    act_ok, application, assert_invalid, create_gi_id, days_from_today, expect, get_ok, gi, gi_in,
    World, EXAMINED_ON, FILED_ON, PUBLISHED_ON, REGISTERED_ON,
};

both_backends!(
    exports_are_for_auditors_and_admins_only,
    csv_is_rfc_4180_with_the_documented_columns,
    json_is_one_document_with_the_query_as_of_and_rows,
    xlsx_is_a_real_workbook_with_dates_and_the_query,
    every_export_is_recorded_with_the_digest_of_the_bytes_sent,
    the_same_query_as_of_a_date_gives_the_same_bytes,
    a_registration_at_origin_after_the_date_leaves_the_list_unchanged,
    filters_narrow_the_rows_and_status_is_the_one_on_the_date,
    bad_export_queries_are_refused,
    the_command_line_writes_the_same_bytes_as_the_api,
    csv_and_json_bytes_are_pinned,
    rows_read_ahead_in_batches_come_out_in_list_order,
);

const CN_EU: &str = "CN-EU";
/// The date the reproducible lists are as of.
const AS_OF: &str = "2026-09-15";
/// Before R1's protection (2026-08-31): R1 and R3 are published then.
const EARLY: &str = "2026-08-01";
/// R1 (submitted 2026-05-10) exists, R3 (2026-05-12) does not yet.
const FIRST_DAY: &str = "2026-05-11";

const LABEL_III: &str = "Annex III, batch 1";
const LABEL_IV: &str = "Annex IV, batch 1";
const LABEL_EU: &str = "List A";
/// A comma and quotes: the CSV must quote the field and double the quotes.
const LIMITATIONS: &str = "co-exists with prior trademark \"DRAGON WELL\", TH 181112345";
const PHASE_OUT: &str = "2028-08-31";
const R2_SUBMITTED_ON: &str = "2026-06-10";
const R2_EXAMINED_ON: &str = "2026-06-15";
const R2_REFUSED_ON: &str = "2026-07-01";
const R2_GROUNDS: &str = "conflicts with the earlier GI 咖啡, registered in 2019";
const R3_SUBMITTED_ON: &str = "2026-05-12";
const R3_PUBLISHED_ON: &str = "2026-06-05";
const R4_SUBMITTED_ON: &str = "2026-07-15";
const R5_SUBMITTED_ON: &str = "2026-06-20";

const HEADER: [&str; 23] = [
    "recognition_id",
    "programme",
    "list_label",
    "file_number",
    "registration_number",
    "names",
    "origin_office",
    "origin_jurisdiction",
    "partner_office",
    "partner_jurisdiction",
    "status",
    "submitted_on",
    "published_on",
    "decided_on",
    "protected_from",
    "limitations",
    "grounds",
    "phase_out_until",
    "decision_documents",
    "recorded_at",
    "recorded_late",
    "protected_names",
    "excluded_names",
];

/// The world of `recognition::partners` (CNIPA, DIP, EUIPO, CN-TH), a CN-EU programme
/// (CNIPA, EUIPO), four registered GIs and five recognitions in distinct states, in
/// recognition id order:
///
/// | id | GI | programme → partner | on `AS_OF` |
/// |---|---|---|---|
/// | r1 | 龙井茶 (CNIPA) | CN-TH → DIP | protected 2026-08-31, limitations, phase-out |
/// | r2 | กาแฟดอยตุง (DIP) | CN-TH → CNIPA | refused 2026-07-01 with grounds |
/// | r3 | 平谷大桃 (CNIPA) | CN-TH → DIP | published 2026-06-05 |
/// | r4 | ข้าวหอมมะลิทุ่งกุลาร้องไห้ (DIP) | CN-TH → CNIPA | submitted 2026-07-15 |
/// | r5 | 龙井茶 (CNIPA) | CN-EU → EUIPO | submitted 2026-06-20 |
struct Exports {
    w: World,
    longjing: i64,
    pinggu: i64,
    r: [i64; 5],
}

/// A GI of `origin` with `names`, registered on the standard dates (DIP's 90-day period
/// ends 2026-05-31, so it registers on 2026-06-01).
async fn registered_gi(app: &TestApp, w: &World, origin: &str, names: Value) -> i64 {
    let (applicant, association, examiner, registered_on) = match origin {
        "CNIPA" => (
            &w.cn_other_assoc,
            w.cn_other_association,
            &w.cn_examiner,
            REGISTERED_ON,
        ),
        _ => (&w.th_assoc, w.th_association, &w.th_examiner, "2026-06-01"),
    };
    let id = create_gi_id(
        app,
        applicant,
        application(origin, Some(association), names),
    )
    .await;
    act_ok(app, applicant, id, "file", FILED_ON).await;
    for (action, on) in [
        ("start_examination", EXAMINED_ON),
        ("publish", PUBLISHED_ON),
        ("register", registered_on),
    ] {
        act_ok(app, examiner, id, action, on).await;
    }
    id
}

async fn submit_labelled(
    app: &TestApp,
    token: &str,
    programme: &str,
    gi_id: i64,
    partner: &str,
    label: Option<&str>,
    on: &str,
) -> i64 {
    let mut body = json!({"programme": programme, "gi_id": gi_id, "partner": partner,
                          "effective_on": on});
    if let Some(label) = label {
        body["list_label"] = json!(label);
    }
    id_of(
        &expect(
            app.post("/api/v1/recognitions", Some(token), body).await,
            201,
        )
        .await,
    )
}

async fn act_with(app: &TestApp, token: &str, id: i64, body: Value) {
    expect(r_act(app, token, id, body).await, 200).await;
}

async fn exports_world(app: &TestApp) -> Exports {
    let w = partners(app).await;
    create_programme(
        app,
        &w.admin,
        programme_body(CN_EU, &["CNIPA", "EUIPO"], 365),
    )
    .await;
    let longjing = gi_in(app, &w, "registered").await;
    let doi_tung = th_gi(app, &w, "registered").await;
    let pinggu = registered_gi(
        app,
        &w,
        "CNIPA",
        json!([
            {"text": "平谷大桃", "lang": "zh", "script": "Hans", "kind": "original"},
            {"text": "Pinggu Da Tao", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
        ]),
    )
    .await;
    let khao_hom_mali = registered_gi(
        app,
        &w,
        "DIP",
        json!([
            {"text": "ข้าวหอมมะลิทุ่งกุลาร้องไห้", "lang": "th", "script": "Thai", "kind": "original"},
            {"text": "Khao Hom Mali Thung Kula Rong-Hai", "lang": "th-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "rtgs"},
        ]),
    )
    .await;

    let (cn, th) = (&w.cn_examiner, &w.th_examiner);
    let r1 = submit_labelled(
        app,
        cn,
        CN_TH,
        longjing,
        "DIP",
        Some(LABEL_III),
        SUBMITTED_ON,
    )
    .await;
    let r2 = submit_labelled(
        app,
        th,
        CN_TH,
        doi_tung,
        "CNIPA",
        Some(LABEL_IV),
        R2_SUBMITTED_ON,
    )
    .await;
    let r3 = submit_labelled(
        app,
        cn,
        CN_TH,
        pinggu,
        "DIP",
        Some(LABEL_III),
        R3_SUBMITTED_ON,
    )
    .await;
    let r4 = submit_labelled(
        app,
        th,
        CN_TH,
        khao_hom_mali,
        "CNIPA",
        None,
        R4_SUBMITTED_ON,
    )
    .await;
    let r5 = submit_labelled(
        app,
        cn,
        CN_EU,
        longjing,
        "EUIPO",
        Some(LABEL_EU),
        R5_SUBMITTED_ON,
    )
    .await;

    r_act_ok(app, th, r1, "start_examination", TH_EXAMINED_ON).await;
    r_act_ok(app, th, r1, "publish", TH_PUBLISHED_ON).await;
    act_with(
        app,
        th,
        r1,
        json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
               "limitations": LIMITATIONS, "phase_out_until": PHASE_OUT,
               "phase_out_beneficiaries": ["Siam Tea Importers Co. (fictitious)"]}),
    )
    .await;
    r_act_ok(app, cn, r2, "start_examination", R2_EXAMINED_ON).await;
    act_with(
        app,
        cn,
        r2,
        json!({"action": "refuse", "effective_on": R2_REFUSED_ON, "grounds": R2_GROUNDS}),
    )
    .await;
    r_act_ok(app, th, r3, "start_examination", TH_EXAMINED_ON).await;
    r_act_ok(app, th, r3, "publish", R3_PUBLISHED_ON).await;

    for (id, status) in [
        (r1, "protected"),
        (r2, "refused"),
        (r3, "published"),
        (r4, "submitted"),
        (r5, "submitted"),
    ] {
        assert_eq!(recognition(app, id).await["status"], status);
    }
    Exports {
        w,
        longjing,
        pinggu,
        r: [r1, r2, r3, r4, r5],
    }
}

async fn export(app: &TestApp, token: Option<&str>, query: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/exports/recognitions?{query}"), token)
        .await
}

/// A 200 export: its headers and every byte of its body.
async fn export_ok(app: &TestApp, token: &str, query: &str) -> (HeaderMap, Vec<u8>) {
    let response = export(app, Some(token), query).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    assert_eq!(
        status,
        200,
        "export {query}: {}",
        String::from_utf8_lossy(&body)
    );
    (headers, body)
}

pub async fn export_bytes(app: &TestApp, token: &str, query: &str) -> Vec<u8> {
    export_ok(app, token, query).await.1
}

/// The body with every `known_at` moment it echoes (a JSON export's query and header)
/// replaced by `<known_at>`: what two exports of the same list at different moments
/// share. Only for exports that were not given a `known_at`.
pub fn without_known_at(body: &[u8]) -> String {
    replace_times(std::str::from_utf8(body).unwrap(), "known_at")
}

/// `"{key}":"<27-character UTC time>"` replaced by `"{key}":"<{key}>"`, the time checked
/// to be one.
fn replace_times(text: &str, key: &str) -> String {
    let marker = format!("\"{key}\":\"");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&marker) {
        let start = at + marker.len();
        let time = &rest[start..start + 27];
        assert!(
            time.parse::<chrono::DateTime<chrono::Utc>>().is_ok() && time.ends_with('Z'),
            "{time}"
        );
        out.push_str(&rest[..start]);
        out.push_str(&format!("<{key}>"));
        rest = &rest[start + 27..];
    }
    out.push_str(rest);
    out
}

/// A CSV export with each row's `recorded_at` (the fourth field from the end) replaced by
/// `<recorded_at>`, the time checked to be one.
fn csv_without_recorded_at(text: &str) -> String {
    text.split_inclusive("\r\n")
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return line.to_string();
            }
            // The name columns hold no comma in these lists (they would be quoted).
            let mut parts = line.rsplitn(5, ',');
            let (excluded, protected, late, time, rest) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            assert!(
                time.parse::<chrono::DateTime<chrono::Utc>>().is_ok(),
                "{line}"
            );
            format!("{rest},<recorded_at>,{late},{protected},{excluded}")
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// A strict RFC 4180 reader: every record ends with CRLF (a bare CR or LF outside quotes
/// fails), a quoted field doubles its quotes and is followed by a comma or the line end.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let (mut quoted, mut closed) = (false, false);
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    closed = true;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        assert!(
            !closed || c == ',' || c == '\r',
            "text after a closing quote: {field:?} then {c:?}"
        );
        closed = false;
        match c {
            '"' => {
                assert!(
                    field.is_empty(),
                    "a quote inside an unquoted field {field:?}"
                );
                quoted = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "a CR without its LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            '\n' => panic!("a bare LF ends a line (RFC 4180 wants CRLF)"),
            c => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

pub fn csv_records(body: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(body).expect("CSV is UTF-8");
    let records = parse_csv(text.strip_prefix('\u{feff}').unwrap_or(text));
    assert_eq!(records[0], HEADER, "the header row");
    for record in &records {
        assert_eq!(record.len(), HEADER.len(), "{record:?}");
    }
    records
}

/// The recognition ids of a CSV export, in the order of its rows.
fn csv_ids(body: &[u8]) -> Vec<i64> {
    csv_records(body)[1..]
        .iter()
        .map(|r| r[0].parse().unwrap())
        .collect()
}

async fn ids(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    csv_ids(&export_bytes(app, token, &format!("format=csv&{query}")).await)
}

async fn all_audit(app: &TestApp) -> Vec<AuditEntry> {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| terroir::store::audit::list(conn, 0, i64::MAX, false))
            .unwrap()
    })
    .await
    .unwrap()
}

async fn gi_numbers(app: &TestApp, gi_id: i64) -> (String, String) {
    let g = gi(app, None, gi_id).await;
    (
        g["file_number"].as_str().unwrap().to_string(),
        g["registration_number"].as_str().unwrap().to_string(),
    )
}

async fn exports_are_for_auditors_and_admins_only(app: TestApp) {
    let x = exports_world(&app).await;
    let w = &x.w;
    let office_admin = app
        .user_token(
            &w.admin,
            json!({"username": "cn-office-admin", "role": "office_admin", "office": "CNIPA"}),
        )
        .await;
    let query = format!("format=csv&as_of={AS_OF}");
    let audit = app.audit_count().await;
    for token in [
        &w.cn_examiner,
        &w.th_examiner,
        &w.cn_assoc,
        &w.th_assoc,
        &office_admin,
    ] {
        for format in ["csv", "json", "xlsx"] {
            assert_error(
                export(&app, Some(token), &format!("format={format}&as_of={AS_OF}")).await,
                403,
                "forbidden",
            )
            .await;
        }
    }
    assert_error(export(&app, None, &query).await, 401, "unauthorized").await;
    assert_error(
        export(&app, Some("not-a-token"), &query).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(
        app.audit_count().await,
        audit,
        "a refused export is neither recorded nor audited"
    );

    let (headers, body) = export_ok(&app, &w.auditor, &query).await;
    assert_eq!(csv_ids(&body), x.r);
    let id = header(&headers, "x-export-id");
    let by_admin = export_bytes(&app, &w.admin, &query).await;
    assert_eq!(by_admin, body, "an admin gets the same list");

    // The export record is for auditors and admins too.
    let record_path = format!("/api/v1/exports/{id}");
    for token in [&w.cn_examiner, &w.cn_assoc, &office_admin] {
        assert_error(app.get(&record_path, Some(token)).await, 403, "forbidden").await;
    }
    assert_error(app.get(&record_path, None).await, 401, "unauthorized").await;
    get_ok(&app, &record_path, Some(&w.admin)).await;
    assert_error(
        app.get("/api/v1/exports/999999", Some(&w.auditor)).await,
        404,
        "not_found",
    )
    .await;
}

async fn csv_is_rfc_4180_with_the_documented_columns(app: TestApp) {
    let x = exports_world(&app).await;
    let [r1, r2, r3, r4, r5] = x.r;
    let query = format!("format=csv&as_of={AS_OF}");
    let response = export(&app, Some(&x.w.auditor), &query).await;
    assert_eq!(response.status(), 200);
    assert!(
        header(response.headers(), "content-type").starts_with("text/csv"),
        "{:?}",
        response.headers()
    );
    // Written out whole before it is sent, so that its digest and signature travel in
    // the headers: the length is known too.
    let length = response.content_length();
    let digest = header(response.headers(), "x-content-sha256").to_string();
    let body = response.bytes().await.unwrap().to_vec();
    assert_eq!(length, Some(body.len() as u64));
    assert_eq!(digest, hex::encode(sha2::Sha256::digest(&body)));

    assert!(
        body.starts_with(HEADER.join(",").as_bytes()),
        "no byte-order mark unless asked for, and the header row first"
    );
    assert!(body.ends_with(b"\r\n"));
    let text = String::from_utf8(body.clone()).unwrap();
    assert_eq!(
        text.matches("\r\n").count(),
        6,
        "a header and five rows, each ending with CRLF"
    );
    let records = csv_records(&body);
    let ids: Vec<i64> = records[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(ids, [r1, r2, r3, r4, r5], "one row per recognition, by id");
    let row = |id: i64| -> Vec<String> {
        records
            .iter()
            .find(|r| r[0] == id.to_string())
            .unwrap()
            .clone()
    };

    let (file_number, registration_number) = gi_numbers(&app, x.longjing).await;
    let names = "龙井茶 [Hans, zh, original] | Longjing cha [Latn, zh-Latn, transliteration]";
    assert_eq!(
        row(r1)[..19],
        [
            r1.to_string().as_str(),
            CN_TH,
            LABEL_III,
            file_number.as_str(),
            registration_number.as_str(),
            names,
            "CNIPA",
            "CN",
            "DIP",
            "TH",
            "protected",
            SUBMITTED_ON,
            TH_PUBLISHED_ON,
            TH_PROTECTED_ON,
            TH_PROTECTED_ON,
            LIMITATIONS,
            "",
            PHASE_OUT,
            "",
        ]
    );
    // Recorded today, dated months ago: recorded late.
    assert!(
        row(r1)[19].parse::<chrono::DateTime<chrono::Utc>>().is_ok(),
        "{:?}",
        row(r1)
    );
    assert_eq!(row(r1)[20], "true");
    // The raw line: fields holding a comma or a quote are quoted, quotes doubled.
    let quoted_limitations = "\"co-exists with prior trademark \"\"DRAGON WELL\"\", TH 181112345\"";
    assert!(text.contains(&format!(",{quoted_limitations},,{PHASE_OUT},,")));
    assert!(text.contains(&format!(",\"{LABEL_III}\",")));
    assert!(text.contains(&format!(",\"{names}\",")));

    let r2_row = row(r2);
    assert_eq!(r2_row[1], CN_TH);
    assert_eq!(r2_row[2], LABEL_IV);
    assert!(
        r2_row[5].starts_with("กาแฟดอยตุง [Thai, th, original]"),
        "{r2_row:?}"
    );
    assert_eq!(
        r2_row[6..18],
        [
            "DIP",
            "TH",
            "CNIPA",
            "CN",
            "refused",
            R2_SUBMITTED_ON,
            "",
            R2_REFUSED_ON,
            "",
            "",
            R2_GROUNDS,
            ""
        ]
    );
    let r3_row = row(r3);
    assert!(r3_row[5].starts_with("平谷大桃 [Hans, zh, original]"));
    assert_eq!(
        r3_row[10..18],
        [
            "published",
            R3_SUBMITTED_ON,
            R3_PUBLISHED_ON,
            "",
            "",
            "",
            "",
            ""
        ]
    );
    let r4_row = row(r4);
    assert_eq!(r4_row[2], "", "no list label");
    assert!(r4_row[5].contains("ข้าวหอมมะลิทุ่งกุลาร้องไห้ [Thai, th, original]"));
    assert_eq!(r4_row[10..12], ["submitted", R4_SUBMITTED_ON]);
    let r5_row = row(r5);
    assert_eq!(
        r5_row[1..3].to_vec(),
        [CN_EU.to_string(), LABEL_EU.to_string()]
    );
    assert_eq!(r5_row[8..11], ["EUIPO", "EU", "submitted"]);

    // A byte-order mark on request, and only then.
    let with_bom = export_bytes(&app, &x.w.auditor, &format!("{query}&bom=true")).await;
    assert!(with_bom.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    assert_eq!(&with_bom[3..], &body[..], "the same list after the mark");
    let without = export_bytes(&app, &x.w.auditor, &format!("{query}&bom=false")).await;
    assert!(!without.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert_eq!(without, body);
}

async fn json_is_one_document_with_the_query_as_of_and_rows(app: TestApp) {
    let x = exports_world(&app).await;
    let [r1, r2, r3, r4, _] = x.r;
    let response = export(
        &app,
        Some(&x.w.auditor),
        &format!("format=json&programme={CN_TH}&as_of={AS_OF}"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "content-type").starts_with("application/json"));
    let body = response.bytes().await.unwrap();
    let doc: Value = serde_json::from_slice(&body).expect("one JSON document");
    assert_eq!(doc["as_of"], AS_OF);
    let query = &doc["query"];
    assert_eq!(query["programme"], CN_TH, "{query}");
    assert_eq!(query["format"], "json");
    assert_eq!(query["as_of"], AS_OF);
    for absent in ["partner", "origin", "status"] {
        assert!(query[absent].is_null(), "{query}");
    }
    let rows = doc["rows"].as_array().unwrap();
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r["recognition_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [r1, r2, r3, r4], "CN-TH only, by id");

    let (file_number, registration_number) = gi_numbers(&app, x.longjing).await;
    let first = &rows[0];
    for (field, value) in [
        ("programme", json!(CN_TH)),
        ("list_label", json!(LABEL_III)),
        ("file_number", json!(file_number)),
        ("registration_number", json!(registration_number)),
        ("origin_office", json!("CNIPA")),
        ("origin_jurisdiction", json!("CN")),
        ("partner_office", json!("DIP")),
        ("partner_jurisdiction", json!("TH")),
        ("status", json!("protected")),
        ("submitted_on", json!(SUBMITTED_ON)),
        ("published_on", json!(TH_PUBLISHED_ON)),
        ("decided_on", json!(TH_PROTECTED_ON)),
        ("protected_from", json!(TH_PROTECTED_ON)),
        ("protected_names", json!(["龙井茶", "Longjing cha"])),
        ("excluded_names", json!([])),
        ("limitations", json!(LIMITATIONS)),
        ("grounds", Value::Null),
        ("phase_out_until", json!(PHASE_OUT)),
    ] {
        assert_eq!(first[field], value, "{field} in {first}");
    }
    let names = first["names"].as_array().unwrap();
    assert_eq!(names[0]["text"], "龙井茶");
    assert_eq!(names[0]["script"], "Hans");
    assert_eq!(names[0]["lang"], "zh");
    assert_eq!(names[0]["kind"], "original");
    assert_eq!(names[1]["text"], "Longjing cha");
    assert_eq!(names[1]["script"], "Latn");

    let refused = &rows[1];
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["grounds"], R2_GROUNDS);
    assert_eq!(refused["decided_on"], R2_REFUSED_ON);
    assert_eq!(refused["names"][0]["script"], "Thai");

    // Filters are echoed in the query; an empty list is still one document.
    let doc: Value = serde_json::from_slice(
        &export_bytes(
            &app,
            &x.w.auditor,
            &format!("format=json&partner=DIP&origin=CNIPA&status=protected&as_of={EARLY}"),
        )
        .await,
    )
    .unwrap();
    assert_eq!(doc["query"]["partner"], "DIP");
    assert_eq!(doc["query"]["origin"], "CNIPA");
    assert_eq!(doc["query"]["status"], "protected");
    assert_eq!(doc["as_of"], EARLY);
    assert_eq!(doc["rows"], json!([]), "nothing was protected on {EARLY}");
}

/// The Excel serial number of a date (days since 1899-12-30).
fn excel_serial(date: &str) -> f64 {
    let date: NaiveDate = date.parse().unwrap();
    (date - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

fn assert_date_cell(cell: Option<&Data>, date: &str) {
    match cell {
        Some(Data::DateTime(d)) => {
            assert!(d.is_datetime(), "{d:?}");
            assert_eq!(d.as_f64(), excel_serial(date), "{date}");
        }
        Some(Data::DateTimeIso(s)) => assert!(s.starts_with(date), "{s} for {date}"),
        other => panic!("expected the date {date} as a date cell, got {other:?}"),
    }
}

fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

async fn xlsx_is_a_real_workbook_with_dates_and_the_query(app: TestApp) {
    let x = exports_world(&app).await;
    let [r1, r2, r3, r4, _] = x.r;
    let (headers, body) = export_ok(
        &app,
        &x.w.auditor,
        &format!("format=xlsx&programme={CN_TH}&as_of={AS_OF}"),
    )
    .await;
    assert!(header(&headers, "content-type")
        .starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_eq!(
        header(&headers, "x-content-sha256"),
        sha256_hex(&body),
        "the digest header is the SHA-256 of exactly the bytes received"
    );
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(body.clone())).unwrap();
    let sheets = workbook.sheet_names().to_vec();
    assert_eq!(sheets.len(), 2, "{sheets:?}");

    let list = workbook.worksheet_range(&sheets[0]).unwrap();
    assert_eq!(list.start(), Some((0, 0)));
    let rows: Vec<&[Data]> = list.rows().collect();
    let header_row: Vec<String> = rows[0].iter().map(|c| cell_text(Some(c))).collect();
    assert_eq!(header_row, HEADER);
    assert_eq!(rows.len(), 5, "a header and four CN-TH rows");
    let ids: Vec<i64> = rows[1..]
        .iter()
        .map(|r| match &r[0] {
            Data::Float(f) => *f as i64,
            Data::Int(i) => *i,
            other => panic!("recognition_id {other:?}"),
        })
        .collect();
    assert_eq!(ids, [r1, r2, r3, r4]);
    let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
    let protected = rows[1];
    assert_eq!(cell_text(protected.get(col("programme"))), CN_TH);
    assert_eq!(cell_text(protected.get(col("status"))), "protected");
    assert!(cell_text(protected.get(col("names"))).contains("龙井茶 [Hans"));
    assert_eq!(cell_text(protected.get(col("limitations"))), LIMITATIONS);
    assert_date_cell(protected.get(col("submitted_on")), SUBMITTED_ON);
    assert_date_cell(protected.get(col("published_on")), TH_PUBLISHED_ON);
    assert_date_cell(protected.get(col("decided_on")), TH_PROTECTED_ON);
    assert_date_cell(protected.get(col("protected_from")), TH_PROTECTED_ON);
    assert_date_cell(protected.get(col("phase_out_until")), PHASE_OUT);
    assert_eq!(
        protected.get(col("recorded_late")),
        Some(&Data::Bool(true)),
        "recorded today, dated months ago"
    );
    assert!(cell_text(protected.get(col("recorded_at"))).ends_with('Z'));
    let refused = rows[2];
    assert_eq!(cell_text(refused.get(col("grounds"))), R2_GROUNDS);
    assert_date_cell(refused.get(col("decided_on")), R2_REFUSED_ON);
    assert!(
        cell_text(refused.get(col("published_on"))).is_empty(),
        "a date that does not exist is an empty cell"
    );
    assert_date_cell(rows[4].get(col("submitted_on")), R4_SUBMITTED_ON);

    // The second sheet: the query and the date the list is as of.
    let query = workbook.worksheet_range(&sheets[1]).unwrap();
    let pairs: Vec<(String, String)> = query
        .rows()
        .map(|r| (cell_text(r.first()), cell_text(r.get(1))))
        .collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {key} on the second sheet: {pairs:?}"))
    };
    assert_eq!(value("as_of"), AS_OF);
    assert!(value("known_at").ends_with('Z'), "the moment, resolved");
    assert_eq!(value("programme"), CN_TH);
    assert_eq!(value("format"), "xlsx");
    assert_eq!(value("partner"), "");
    assert_eq!(value("status"), "");

    // The record agrees with the header.
    let record = get_ok(
        &app,
        &format!("/api/v1/exports/{}", header(&headers, "x-export-id")),
        Some(&x.w.auditor),
    )
    .await;
    assert_eq!(record["status"], "complete");
    assert_eq!(record["format"], "xlsx");
    assert_eq!(record["row_count"], 4);
    assert_eq!(record["sha256"], sha256_hex(&body));
}

async fn every_export_is_recorded_with_the_digest_of_the_bytes_sent(app: TestApp) {
    let x = exports_world(&app).await;
    let auditor = &x.w.auditor;
    let mut seen_ids = Vec::new();
    for (query, rows) in [
        (format!("format=csv&partner=DIP&as_of={AS_OF}"), 2),
        (
            format!("format=json&programme={CN_TH}&status=refused&as_of={AS_OF}"),
            1,
        ),
        (format!("format=csv&bom=true&as_of={AS_OF}"), 5),
        ("format=csv&programme=NO-SUCH".to_string(), 0),
    ] {
        let (headers, body) = export_ok(&app, auditor, &query).await;
        let id: i64 = header(&headers, "x-export-id").parse().unwrap();
        assert!(!seen_ids.contains(&id), "every export has its own record");
        seen_ids.push(id);
        let digest = sha256_hex(&body);
        let record = get_ok(&app, &format!("/api/v1/exports/{id}"), Some(auditor)).await;
        assert_eq!(record["id"], id);
        assert_eq!(record["status"], "complete", "{query}: {record}");
        assert_eq!(record["row_count"], rows, "{query}: {record}");
        assert_eq!(
            record["sha256"], digest,
            "{query}: the digest of the bytes sent"
        );
        assert_eq!(record["byte_count"], body.len() as i64, "{query}");
        assert_eq!(record["requested_by"], "auditor");
        assert!(record["completed_at"].is_string());
        assert!(record["query"].is_object(), "the query is JSON: {record}");
        let recorded = record["query"].clone();

        let entries: Vec<AuditEntry> = all_audit(&app)
            .await
            .into_iter()
            .filter(|e| e.action == "export.recognitions")
            .filter(|e| e.entity_id.as_deref() == Some(id.to_string().as_str()))
            .collect();
        assert_eq!(entries.len(), 1, "one audit entry per export: {query}");
        let entry = &entries[0];
        assert_eq!(entry.actor.as_deref(), Some("auditor"));
        assert!(!entry.public, "exports are not public changes");
        let payload: Value = serde_json::from_str(&entry.payload).unwrap();
        assert_eq!(payload["rows"], rows, "{payload}");
        assert_eq!(payload["sha256"], digest, "{payload}");
        assert_eq!(payload["query"], recorded, "{payload}");
        for (key, value) in query.split('&').filter_map(|kv| kv.split_once('=')) {
            let expected = match value {
                "true" => json!(true),
                other => json!(other),
            };
            assert_eq!(payload["query"][key], expected, "{key} in {payload}");
        }
        if !query.contains("as_of") {
            assert_eq!(
                payload["query"]["as_of"], record["as_of"],
                "the default as_of is resolved in the record"
            );
        }
    }
    // The chain still verifies after all these entries.
    let report = get_ok(&app, "/api/v1/audit/verify", Some(auditor)).await;
    assert_eq!(report["status"], "ok", "{report}");
}

async fn the_same_query_as_of_a_date_gives_the_same_bytes(app: TestApp) {
    let x = exports_world(&app).await;
    let [r1, r2, r3, r4, _] = x.r;
    let (auditor, cn, th) = (&x.w.auditor, &x.w.cn_examiner, &x.w.th_examiner);
    let queries = [
        format!("format=csv&as_of={AS_OF}"),
        format!("format=json&as_of={AS_OF}"),
        format!("format=csv&programme={CN_TH}&status=published&as_of={AS_OF}"),
        format!("format=json&partner=DIP&as_of={EARLY}"),
    ];
    // Without a `known_at`, each JSON export echoes its own moment: the rest is equal.
    let mut first = Vec::new();
    for query in &queries {
        let bytes = without_known_at(&export_bytes(&app, auditor, query).await);
        assert_eq!(
            without_known_at(&export_bytes(&app, auditor, query).await),
            bytes,
            "run twice: {query}"
        );
        first.push(bytes);
    }
    let today_before = export_bytes(&app, auditor, "format=csv").await;

    // Changes dated after AS_OF: every live recognition of CN-TH moves on, a new one is
    // submitted, a GI is cancelled at home.
    r_act_ok(&app, th, r1, "invalidate", "2026-10-01").await;
    r_act_ok(&app, th, r3, "refuse", "2026-10-02").await;
    act_with(
        &app,
        cn,
        r2,
        json!({"action": "withdraw_refusal", "effective_on": "2026-10-03",
               "limitations": "the translation 'Doi Tung coffee' is not protected"}),
    )
    .await;
    r_act_ok(&app, th, r4, "withdraw", "2026-10-04").await;
    let r6 = submit_labelled(
        &app,
        cn,
        CN_EU,
        x.pinggu,
        "EUIPO",
        Some("List B"),
        "2026-10-05",
    )
    .await;
    // The GI cancelled at home: its live recognition (r6) follows, dated after AS_OF.
    act_ok(&app, cn, x.pinggu, "cancel", "2026-10-06").await;

    for (query, before) in queries.iter().zip(&first) {
        let after = without_known_at(&export_bytes(&app, auditor, query).await);
        assert!(
            after == *before,
            "{query} changed after writes dated later:\nbefore: {before}\nafter:  {after}"
        );
    }
    let today_after = export_bytes(&app, auditor, "format=csv").await;
    assert_ne!(today_after, today_before, "today's list shows the changes");
    let records = csv_records(&today_after);
    let status: Vec<(String, String)> = records[1..]
        .iter()
        .map(|r| (r[0].clone(), r[10].clone()))
        .collect();
    let s = |id: i64, st: &str| (id.to_string(), st.to_string());
    assert_eq!(
        status,
        [
            s(r1, "invalidated"),
            s(r2, "protected"),
            s(r3, "refused"),
            s(r4, "withdrawn"),
            s(x.r[4], "submitted"),
            s(r6, "cancelled_at_origin"),
        ]
    );
}

/// A GI registered at origin after the date had no registration number on that date: a
/// list as of the date does not change when the registration is recorded later.
// Regression: registration numbers came from the current GI, so a registration at
// origin after the date changed an old list.
async fn a_registration_at_origin_after_the_date_leaves_the_list_unchanged(app: TestApp) {
    let w = partners(&app).await;
    let mut body = programme_body("CN-TH-OPEN", &["CNIPA", "DIP"], 365);
    body["requires_origin_registration"] = json!(false);
    create_programme(&app, &w.admin, body).await;
    let id = create_gi_id(
        &app,
        &w.cn_assoc,
        crate::register::longjing(w.cn_association),
    )
    .await;
    act_ok(&app, &w.cn_assoc, id, "file", "2026-07-01").await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", "2026-07-02").await;
    // CNIPA's 60 days: the deadline is 2026-09-30, after AS_OF.
    act_ok(&app, &w.cn_examiner, id, "publish", "2026-08-01").await;
    let r = submit_labelled(
        &app,
        &w.cn_examiner,
        "CN-TH-OPEN",
        id,
        "DIP",
        None,
        "2026-08-05",
    )
    .await;
    let queries = [
        format!("format=csv&programme=CN-TH-OPEN&as_of={AS_OF}"),
        format!("format=json&programme=CN-TH-OPEN&as_of={AS_OF}"),
    ];
    let mut before = Vec::new();
    for query in &queries {
        before.push(without_known_at(
            &export_bytes(&app, &w.auditor, query).await,
        ));
    }
    let records = csv_records(before[0].as_bytes());
    assert_eq!(records.len(), 2);
    assert_eq!(records[1][0], r.to_string());
    assert!(!records[1][3].is_empty(), "filed: it has a file number");
    assert_eq!(records[1][4], "", "not registered on {AS_OF}");

    act_ok(&app, &w.cn_examiner, id, "register", "2026-10-01").await;
    assert!(gi(&app, None, id).await["registration_number"].is_string());
    for (query, before) in queries.iter().zip(&before) {
        let after = without_known_at(&export_bytes(&app, &w.auditor, query).await);
        assert!(
            after == *before,
            "{query} changed after a registration dated later:\nbefore: {before}\nafter:  {after}"
        );
    }
}

async fn filters_narrow_the_rows_and_status_is_the_one_on_the_date(app: TestApp) {
    let x = exports_world(&app).await;
    let [r1, r2, r3, r4, r5] = x.r;
    let auditor = &x.w.auditor;
    let cases: Vec<(String, Vec<i64>)> = vec![
        (format!("as_of={AS_OF}"), vec![r1, r2, r3, r4, r5]),
        (
            format!("programme={CN_TH}&as_of={AS_OF}"),
            vec![r1, r2, r3, r4],
        ),
        (format!("programme={CN_EU}&as_of={AS_OF}"), vec![r5]),
        (format!("partner=DIP&as_of={AS_OF}"), vec![r1, r3]),
        (format!("partner=CNIPA&as_of={AS_OF}"), vec![r2, r4]),
        (format!("partner=EUIPO&as_of={AS_OF}"), vec![r5]),
        (format!("origin=CNIPA&as_of={AS_OF}"), vec![r1, r3, r5]),
        (format!("origin=DIP&as_of={AS_OF}"), vec![r2, r4]),
        (format!("origin=EUIPO&as_of={AS_OF}"), vec![]),
        (format!("status=protected&as_of={AS_OF}"), vec![r1]),
        (format!("status=refused&as_of={AS_OF}"), vec![r2]),
        (format!("status=published&as_of={AS_OF}"), vec![r3]),
        (format!("status=submitted&as_of={AS_OF}"), vec![r4, r5]),
        // On EARLY, r1 was still published: the status filter is the status then.
        (format!("status=protected&as_of={EARLY}"), vec![]),
        (format!("status=published&as_of={EARLY}"), vec![r1, r3]),
        // Before r3 to r5 were submitted, and before r1 was examined.
        (format!("as_of={FIRST_DAY}"), vec![r1]),
        (format!("status=submitted&as_of={FIRST_DAY}"), vec![r1]),
        (
            format!("status=under_examination&as_of={FIRST_DAY}"),
            vec![],
        ),
        (
            format!("programme={CN_TH}&partner=DIP&status=published&as_of={AS_OF}"),
            vec![r3],
        ),
        (
            format!("programme={CN_EU}&partner=DIP&as_of={AS_OF}"),
            vec![],
        ),
        // Without as_of: today's status.
        ("status=protected".to_string(), vec![r1]),
        ("partner=CNIPA".to_string(), vec![r2, r4]),
    ];
    for (query, expected) in cases {
        assert_eq!(ids(&app, auditor, &query).await, expected, "{query}");
    }
    // The status column is the status on the date.
    let early =
        csv_records(&export_bytes(&app, auditor, &format!("format=csv&as_of={EARLY}")).await);
    let r1_early = early.iter().find(|r| r[0] == r1.to_string()).unwrap();
    assert_eq!(r1_early[10], "published");
    assert_eq!(r1_early[13], "", "not decided on {EARLY}");
    assert_eq!(r1_early[14], "", "not protected on {EARLY}");
    assert_eq!(r1_early[15], "", "no limitations on {EARLY}");
    assert_eq!(r1_early[17], "", "no phase-out on {EARLY}");
}

async fn bad_export_queries_are_refused(app: TestApp) {
    let x = exports_world(&app).await;
    let auditor = x.w.auditor.as_str();
    // Names that match nothing: an empty list, not an error.
    for query in [
        "format=csv&programme=NO-SUCH",
        "format=csv&partner=NOPE",
        "format=csv&origin=NOPE",
    ] {
        let body = export_bytes(&app, auditor, query).await;
        assert_eq!(
            body,
            format!("{}\r\n", HEADER.join(",")).into_bytes(),
            "{query}: the header row only"
        );
    }
    let doc: Value =
        serde_json::from_slice(&export_bytes(&app, auditor, "format=json&programme=NO-SUCH").await)
            .unwrap();
    assert_eq!(doc["rows"], json!([]));
    assert_eq!(doc["query"]["programme"], "NO-SUCH");

    let future = days_from_today(2);
    for format in ["csv", "json", "xlsx"] {
        assert_invalid(
            export(
                &app,
                Some(auditor),
                &format!("format={format}&as_of={future}"),
            )
            .await,
            "as_of",
        )
        .await;
    }
    // What the register will know later is not known yet.
    let later = (chrono::Utc::now() + chrono::Duration::minutes(5))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let audit = app.audit_count().await;
    for format in ["csv", "json", "xlsx"] {
        assert_invalid(
            export(
                &app,
                Some(auditor),
                &format!("format={format}&known_at={later}"),
            )
            .await,
            "known_at",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, audit, "nothing recorded");
    for format in ["json", "xlsx"] {
        assert_invalid(
            export(&app, Some(auditor), &format!("format={format}&bom=true")).await,
            "bom",
        )
        .await;
    }
    // Values that do not parse are 422s naming their parameter, as range errors are.
    for (query, field) in [
        ("format=pdf", "format"),
        ("format=CSV", "format"),
        ("", "format"),
        ("format=csv&as_of=2026-13-01", "as_of"),
        ("format=csv&as_of=2026-02-30", "as_of"),
        ("format=csv&as_of=yesterday", "as_of"),
        ("format=csv&status=dormant", "status"),
        ("format=csv&bom=maybe", "bom"),
        ("format=csv&known_at=yesterday", "known_at"),
        ("format=csv&known_at=2026-11-29", "known_at"),
    ] {
        assert_invalid(export(&app, Some(auditor), query).await, field).await;
    }
}

async fn the_command_line_writes_the_same_bytes_as_the_api(app: TestApp) {
    let x = exports_world(&app).await;
    let dir = tempfile::tempdir().unwrap();
    // The same moment for the command and the API: a JSON export echoes it.
    let known_at = terroir::utc::format(chrono::Utc::now().naive_utc());
    for (args, query, rows) in [
        (
            vec!["--format", "csv", "--as-of", AS_OF],
            format!("format=csv&as_of={AS_OF}"),
            5,
        ),
        (
            vec![
                "--format",
                "json",
                "--known-at",
                &known_at,
                "--as-of",
                AS_OF,
                "--programme",
                CN_TH,
                "--status",
                "published",
            ],
            format!(
                "format=json&programme={CN_TH}&status=published&as_of={AS_OF}&known_at={known_at}"
            ),
            1,
        ),
    ] {
        let out = dir.path().join(format!("export-{rows}"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
            .arg("export")
            .args(&args)
            .arg("-o")
            .arg(&out)
            .env("TERROIR_DATABASE_URL", &app.database_url)
            .env("TERROIR_DATA_DIR", &app.data_dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let written = std::fs::read(&out).unwrap();
        let from_api = export_bytes(&app, &x.w.auditor, &query).await;
        assert!(
            written == from_api,
            "{args:?}: the file and the API differ:\nfile: {}\napi:  {}",
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&from_api)
        );
        let digest = sha256_hex(&written);
        assert!(
            stdout.contains(&format!("sha256 {digest}")),
            "the command prints the digest of the file: {stdout}"
        );
        assert!(stdout.contains(&format!("{rows} rows")), "{stdout}");

        // Recorded and audited like an API export.
        let entry = all_audit(&app)
            .await
            .into_iter()
            .rev()
            .find(|e| {
                e.action == "export.recognitions" && e.actor.as_deref() == Some("command-line")
            })
            .expect("the command's export is audited");
        let payload: Value = serde_json::from_str(&entry.payload).unwrap();
        assert_eq!(payload["sha256"], digest);
        assert_eq!(payload["rows"], rows);
        let record = get_ok(
            &app,
            &format!("/api/v1/exports/{}", entry.entity_id.unwrap()),
            Some(&x.w.auditor),
        )
        .await;
        assert_eq!(record["status"], "complete");
        assert_eq!(record["sha256"], digest);
    }
    let report = get_ok(&app, "/api/v1/audit/verify", Some(&x.w.auditor)).await;
    assert_eq!(report["status"], "ok", "{report}");
}

/// Every byte of a small CSV and JSON export, as of two dates: a faster export must
/// write exactly these. (Ids and numbers are those of a fresh database, on both backends.)
async fn csv_and_json_bytes_are_pinned(app: TestApp) {
    let x = exports_world(&app).await;
    for (query, expected) in [
        (format!("format=csv&as_of={AS_OF}"), PINNED_CSV.to_string()),
        (
            format!("format=csv&as_of={EARLY}&bom=true"),
            format!("\u{feff}{PINNED_CSV_EARLY}"),
        ),
        (
            format!("format=json&as_of={AS_OF}"),
            PINNED_JSON.to_string(),
        ),
    ] {
        // The moments change from run to run: each is checked to be a UTC time and
        // replaced by a placeholder.
        let body = String::from_utf8(export_bytes(&app, &x.w.auditor, &query).await).unwrap();
        let body = if query.starts_with("format=json") {
            replace_times(&replace_times(&body, "known_at"), "recorded_at")
        } else {
            csv_without_recorded_at(&body)
        };
        assert_eq!(body, expected, "{query}");
    }
}

const PINNED_CSV: &str = "recognition_id,programme,list_label,file_number,registration_number,names,origin_office,origin_jurisdiction,partner_office,partner_jurisdiction,status,submitted_on,published_on,decided_on,protected_from,limitations,grounds,phase_out_until,decision_documents,recorded_at,recorded_late,protected_names,excluded_names\r\n\
1,CN-TH,\"Annex III, batch 1\",CN-GI-2026-000001,CN-GI-R-000001,\"龙井茶 [Hans, zh, original] | Longjing cha [Latn, zh-Latn, transliteration]\",CNIPA,CN,DIP,TH,protected,2026-05-10,2026-06-01,2026-08-31,2026-08-31,\"co-exists with prior trademark \"\"DRAGON WELL\"\", TH 181112345\",,2028-08-31,,<recorded_at>,true,龙井茶 | Longjing cha,\r\n\
2,CN-TH,\"Annex IV, batch 1\",TH-GI-2026-000001,TH-GI-R-000001,\"กาแฟดอยตุง [Thai, th, original] | Kafae Doi Tung [Latn, th-Latn, transliteration]\",DIP,TH,CNIPA,CN,refused,2026-06-10,,2026-07-01,,,\"conflicts with the earlier GI 咖啡, registered in 2019\",,,<recorded_at>,true,,\r\n\
3,CN-TH,\"Annex III, batch 1\",CN-GI-2026-000002,CN-GI-R-000002,\"平谷大桃 [Hans, zh, original] | Pinggu Da Tao [Latn, zh-Latn, transliteration]\",CNIPA,CN,DIP,TH,published,2026-05-12,2026-06-05,,,,,,,<recorded_at>,true,,\r\n\
4,CN-TH,,TH-GI-2026-000002,TH-GI-R-000002,\"ข้าวหอมมะลิทุ่งกุลาร้องไห้ [Thai, th, original] | Khao Hom Mali Thung Kula Rong-Hai [Latn, th-Latn, transliteration]\",DIP,TH,CNIPA,CN,submitted,2026-07-15,,,,,,,,<recorded_at>,true,,\r\n\
5,CN-EU,List A,CN-GI-2026-000001,CN-GI-R-000001,\"龙井茶 [Hans, zh, original] | Longjing cha [Latn, zh-Latn, transliteration]\",CNIPA,CN,EUIPO,EU,submitted,2026-06-20,,,,,,,,<recorded_at>,true,,\r\n\
";

const PINNED_CSV_EARLY: &str = "recognition_id,programme,list_label,file_number,registration_number,names,origin_office,origin_jurisdiction,partner_office,partner_jurisdiction,status,submitted_on,published_on,decided_on,protected_from,limitations,grounds,phase_out_until,decision_documents,recorded_at,recorded_late,protected_names,excluded_names\r\n\
1,CN-TH,\"Annex III, batch 1\",CN-GI-2026-000001,CN-GI-R-000001,\"龙井茶 [Hans, zh, original] | Longjing cha [Latn, zh-Latn, transliteration]\",CNIPA,CN,DIP,TH,published,2026-05-10,2026-06-01,,,,,,,<recorded_at>,true,,\r\n\
2,CN-TH,\"Annex IV, batch 1\",TH-GI-2026-000001,TH-GI-R-000001,\"กาแฟดอยตุง [Thai, th, original] | Kafae Doi Tung [Latn, th-Latn, transliteration]\",DIP,TH,CNIPA,CN,refused,2026-06-10,,2026-07-01,,,\"conflicts with the earlier GI 咖啡, registered in 2019\",,,<recorded_at>,true,,\r\n\
3,CN-TH,\"Annex III, batch 1\",CN-GI-2026-000002,CN-GI-R-000002,\"平谷大桃 [Hans, zh, original] | Pinggu Da Tao [Latn, zh-Latn, transliteration]\",CNIPA,CN,DIP,TH,published,2026-05-12,2026-06-05,,,,,,,<recorded_at>,true,,\r\n\
4,CN-TH,,TH-GI-2026-000002,TH-GI-R-000002,\"ข้าวหอมมะลิทุ่งกุลาร้องไห้ [Thai, th, original] | Khao Hom Mali Thung Kula Rong-Hai [Latn, th-Latn, transliteration]\",DIP,TH,CNIPA,CN,submitted,2026-07-15,,,,,,,,<recorded_at>,true,,\r\n\
5,CN-EU,List A,CN-GI-2026-000001,CN-GI-R-000001,\"龙井茶 [Hans, zh, original] | Longjing cha [Latn, zh-Latn, transliteration]\",CNIPA,CN,EUIPO,EU,submitted,2026-06-20,,,,,,,,<recorded_at>,true,,\r\n\
";

const PINNED_JSON: &str = "{\"query\":{\"as_of\":\"2026-09-15\",\"bom\":false,\"format\":\"json\",\"known_at\":\"<known_at>\",\"layout\":2,\"origin\":null,\"partner\":null,\"programme\":null,\"status\":null},\"as_of\":\"2026-09-15\",\"known_at\":\"<known_at>\",\"rows\":[{\"recognition_id\":1,\"programme\":\"CN-TH\",\"list_label\":\"Annex III, batch 1\",\"file_number\":\"CN-GI-2026-000001\",\"registration_number\":\"CN-GI-R-000001\",\"names\":[{\"text\":\"龙井茶\",\"script\":\"Hans\",\"lang\":\"zh\",\"kind\":\"original\"},{\"text\":\"Longjing cha\",\"script\":\"Latn\",\"lang\":\"zh-Latn\",\"kind\":\"transliteration\"}],\"origin_office\":\"CNIPA\",\"origin_jurisdiction\":\"CN\",\"partner_office\":\"DIP\",\"partner_jurisdiction\":\"TH\",\"status\":\"protected\",\"submitted_on\":\"2026-05-10\",\"published_on\":\"2026-06-01\",\"decided_on\":\"2026-08-31\",\"protected_from\":\"2026-08-31\",\"limitations\":\"co-exists with prior trademark \\\"DRAGON WELL\\\", TH 181112345\",\"grounds\":null,\"phase_out_until\":\"2028-08-31\",\"decision_documents\":[],\"recorded_at\":\"<recorded_at>\",\"recorded_late\":true,\"protected_names\":[\"龙井茶\",\"Longjing cha\"],\"excluded_names\":[]},\
{\"recognition_id\":2,\"programme\":\"CN-TH\",\"list_label\":\"Annex IV, batch 1\",\"file_number\":\"TH-GI-2026-000001\",\"registration_number\":\"TH-GI-R-000001\",\"names\":[{\"text\":\"กาแฟดอยตุง\",\"script\":\"Thai\",\"lang\":\"th\",\"kind\":\"original\"},{\"text\":\"Kafae Doi Tung\",\"script\":\"Latn\",\"lang\":\"th-Latn\",\"kind\":\"transliteration\"}],\"origin_office\":\"DIP\",\"origin_jurisdiction\":\"TH\",\"partner_office\":\"CNIPA\",\"partner_jurisdiction\":\"CN\",\"status\":\"refused\",\"submitted_on\":\"2026-06-10\",\"published_on\":null,\"decided_on\":\"2026-07-01\",\"protected_from\":null,\"limitations\":null,\"grounds\":\"conflicts with the earlier GI 咖啡, registered in 2019\",\"phase_out_until\":null,\"decision_documents\":[],\"recorded_at\":\"<recorded_at>\",\"recorded_late\":true,\"protected_names\":[],\"excluded_names\":[]},\
{\"recognition_id\":3,\"programme\":\"CN-TH\",\"list_label\":\"Annex III, batch 1\",\"file_number\":\"CN-GI-2026-000002\",\"registration_number\":\"CN-GI-R-000002\",\"names\":[{\"text\":\"平谷大桃\",\"script\":\"Hans\",\"lang\":\"zh\",\"kind\":\"original\"},{\"text\":\"Pinggu Da Tao\",\"script\":\"Latn\",\"lang\":\"zh-Latn\",\"kind\":\"transliteration\"}],\"origin_office\":\"CNIPA\",\"origin_jurisdiction\":\"CN\",\"partner_office\":\"DIP\",\"partner_jurisdiction\":\"TH\",\"status\":\"published\",\"submitted_on\":\"2026-05-12\",\"published_on\":\"2026-06-05\",\"decided_on\":null,\"protected_from\":null,\"limitations\":null,\"grounds\":null,\"phase_out_until\":null,\"decision_documents\":[],\"recorded_at\":\"<recorded_at>\",\"recorded_late\":true,\"protected_names\":[],\"excluded_names\":[]},\
{\"recognition_id\":4,\"programme\":\"CN-TH\",\"list_label\":null,\"file_number\":\"TH-GI-2026-000002\",\"registration_number\":\"TH-GI-R-000002\",\"names\":[{\"text\":\"ข้าวหอมมะลิทุ่งกุลาร้องไห้\",\"script\":\"Thai\",\"lang\":\"th\",\"kind\":\"original\"},{\"text\":\"Khao Hom Mali Thung Kula Rong-Hai\",\"script\":\"Latn\",\"lang\":\"th-Latn\",\"kind\":\"transliteration\"}],\"origin_office\":\"DIP\",\"origin_jurisdiction\":\"TH\",\"partner_office\":\"CNIPA\",\"partner_jurisdiction\":\"CN\",\"status\":\"submitted\",\"submitted_on\":\"2026-07-15\",\"published_on\":null,\"decided_on\":null,\"protected_from\":null,\"limitations\":null,\"grounds\":null,\"phase_out_until\":null,\"decision_documents\":[],\"recorded_at\":\"<recorded_at>\",\"recorded_late\":true,\"protected_names\":[],\"excluded_names\":[]},\
{\"recognition_id\":5,\"programme\":\"CN-EU\",\"list_label\":\"List A\",\"file_number\":\"CN-GI-2026-000001\",\"registration_number\":\"CN-GI-R-000001\",\"names\":[{\"text\":\"龙井茶\",\"script\":\"Hans\",\"lang\":\"zh\",\"kind\":\"original\"},{\"text\":\"Longjing cha\",\"script\":\"Latn\",\"lang\":\"zh-Latn\",\"kind\":\"transliteration\"}],\"origin_office\":\"CNIPA\",\"origin_jurisdiction\":\"CN\",\"partner_office\":\"EUIPO\",\"partner_jurisdiction\":\"EU\",\"status\":\"submitted\",\"submitted_on\":\"2026-06-20\",\"published_on\":null,\"decided_on\":null,\"protected_from\":null,\"limitations\":null,\"grounds\":null,\"phase_out_until\":null,\"decision_documents\":[],\"recorded_at\":\"<recorded_at>\",\"recorded_late\":true,\"protected_names\":[],\"excluded_names\":[]}]}";

/// The rows of a list are made by several threads a batch at a time: whatever the size
/// of a batch, they come out as one batch holding the whole list gives them, in list
/// order, including batches whose rows the status on the date filters out entirely; and
/// a CSV or JSON export has the same bytes.
async fn rows_read_ahead_in_batches_come_out_in_list_order(app: TestApp) {
    use terroir::audit::AuditActor;
    use terroir::domain::recognition_status::RecognitionStatus;
    use terroir::export::read_ahead::{Batch, ReadAhead, Rendering};
    use terroir::export::rows::{ExportRow, ListSpec};
    use terroir::export::spool::spool;
    use terroir::export::{session, ExportFormat, ExportQuery};

    let x = exports_world(&app).await;
    let db = app.database();
    let now = chrono::Utc::now();
    let query = move |format, status, partner: Option<&str>, as_of: &str| ExportQuery {
        format,
        programme: None,
        partner: partner.map(str::to_string),
        origin: None,
        status,
        as_of: Some(NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap()),
        known_at: Some(now),
        bom: None,
    };
    let rows_of = {
        let db = db.clone();
        move |query: &ExportQuery, batch: i64| -> Vec<ExportRow> {
            let (as_of, known_at) = (query.as_of.unwrap(), now.naive_utc());
            let spec = db
                .read_blocking(|conn| ListSpec::new(conn, query, as_of, known_at))
                .unwrap();
            let mut ahead = match spec {
                Some(spec) => ReadAhead::start(&db, spec, batch, Rendering::Rows),
                None => ReadAhead::empty(),
            };
            let mut rows = Vec::new();
            while !ahead.finished {
                match ahead.next_batch().unwrap() {
                    Batch::Rows(batch) => rows.extend(batch),
                    Batch::Text { .. } => panic!("rows were asked for"),
                }
            }
            rows
        }
    };
    let bytes_of = move |query: &ExportQuery, batch: i64| -> Vec<u8> {
        let who = AuditActor {
            id: None,
            name: "test".into(),
            office: None,
        };
        let mut session = session::start(&db, query, who, now.date_naive(), now).unwrap();
        session.set_batch(batch);
        let mut spooled = spool(&mut session, tempfile::tempfile().unwrap(), &|_| {}).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut spooled.file, &mut bytes).unwrap();
        bytes
    };
    let submitted = Some(RecognitionStatus::Submitted);
    let cases = [
        (None, None, AS_OF, x.r.to_vec()),
        (None, None, FIRST_DAY, vec![x.r[0]]),
        // The first batches hold no row of the status: the JSON's first row has no
        // comma before it all the same.
        (submitted, None, AS_OF, vec![x.r[3], x.r[4]]),
        (None, Some("DIP"), AS_OF, vec![x.r[0], x.r[2]]),
        (None, Some("NOSUCH"), AS_OF, vec![]),
    ];
    for (status, partner, as_of, expected) in cases {
        let (rows_of, bytes_of) = (rows_of.clone(), bytes_of.clone());
        tokio::task::spawn_blocking(move || {
            let whole = rows_of(&query(ExportFormat::Xlsx, status, partner, as_of), 1000);
            let ids: Vec<i64> = whole.iter().map(|r| r.recognition_id).collect();
            assert_eq!(ids, expected, "as of {as_of}");
            for batch in [1, 2, 3] {
                let rows = rows_of(&query(ExportFormat::Xlsx, status, partner, as_of), batch);
                assert_eq!(rows, whole, "as of {as_of}, {batch} at a time");
            }
            for format in [ExportFormat::Csv, ExportFormat::Json] {
                let query = query(format, status, partner, as_of);
                let whole = bytes_of(&query, 1000);
                if format == ExportFormat::Json {
                    let document: Value = serde_json::from_slice(&whole).unwrap();
                    assert_eq!(document["rows"].as_array().unwrap().len(), expected.len());
                } else {
                    assert_eq!(csv_ids(&whole), expected);
                }
                for batch in [1, 2] {
                    assert_eq!(
                        String::from_utf8(bytes_of(&query, batch)).unwrap(),
                        String::from_utf8(whole.clone()).unwrap(),
                        "{format:?} as of {as_of}, {batch} at a time"
                    );
                }
            }
        })
        .await
        .unwrap();
    }
}
