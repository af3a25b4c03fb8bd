//! A public GI page weighs under 100 KB for a GI protected in 20 territories (issue 14),
//! in each language: 龙井茶 of the demonstration, recognised by 20 more partner offices
//! (seeded by SQL, with the submit and protect events the territory table is rebuilt
//! from, and a limitation each). `bench/pages.py` measures the same page's render time.

use serde_json::json;

use super::web_pages::{gi_id, load_demo, LONGJING};
use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(a_gi_page_with_20_territories_weighs_under_100_kb,);

/// The partner jurisdictions of the seeded offices.
const PARTNERS: [&str; 20] = [
    "FR", "IT", "ES", "PT", "GR", "DE", "VN", "IN", "MX", "PE", "JP", "KR", "MY", "ID", "PH", "SG",
    "AU", "NZ", "CL", "AR",
];
const LIMIT: usize = 100 * 1024;

/// Twenty partner offices (`P01`…`P20`) and a programme in which each protects `gi`.
pub async fn protect_in_20_territories(app: &TestApp, gi: i64) {
    let admin = app.admin_token().await;
    for (i, jurisdiction) in PARTNERS.iter().enumerate() {
        app.create_office(&admin, &format!("P{:02}", i + 1), jurisdiction, 90)
            .await;
    }
    let statements = [
        "INSERT INTO programmes (code, title, decision_period_days, tacit_protection, requires_origin_registration, version, created_at, updated_at) \
         VALUES ('WEIGHT', 'Twenty partners', 365, false, false, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')".to_string(),
        "INSERT INTO programme_parties (programme_id, office_id) SELECT p.id, o.id FROM programmes p, offices o \
         WHERE p.code = 'WEIGHT' AND (o.code LIKE 'P%' OR o.code = 'CNIPA')".to_string(),
        format!(
            "INSERT INTO recognitions (programme_id, gi_id, origin_office_id, partner_office_id, status, list_label, submitted_on, \
             decision_deadline, decided_on, protected_from, limitations, version, created_at, updated_at) \
             SELECT p.id, g.id, g.origin_office_id, o.id, 'protected', 'weight', '2025-01-10', '2026-01-10', '2025-06-01', '2025-06-01', \
             'Only with the indication of the origin in the national language, on teas of the declared harvest year', 1, \
             '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM programmes p, gis g, offices o \
             WHERE p.code = 'WEIGHT' AND g.id = {gi} AND o.code LIKE 'P%'"
        ),
        "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) \
         SELECT 'recognition', r.id, r.gi_id, 'submit', NULL, 'submitted', '2025-01-10', '2026-01-01 00:00:00', 'seed', \
         '{\"recognition\":{\"status\":\"submitted\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\"}}' \
         FROM recognitions r WHERE r.list_label = 'weight'".to_string(),
        "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) \
         SELECT 'recognition', r.id, r.gi_id, 'protect', 'published', 'protected', '2025-06-01', '2026-01-01 00:00:00', 'seed', \
         '{\"recognition\":{\"status\":\"protected\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\",\
         \"decided_on\":\"2025-06-01\",\"protected_from\":\"2025-06-01\",\
         \"limitations\":\"Only with the indication of the origin in the national language, on teas of the declared harvest year\"}}' \
         FROM recognitions r WHERE r.list_label = 'weight'".to_string(),
    ];
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        use diesel::RunQueryDsl;
        db.write_blocking(move |conn| {
            for statement in &statements {
                diesel::sql_query(statement).execute(conn)?;
            }
            Ok(())
        })
        .unwrap()
    })
    .await
    .unwrap();
}

async fn a_gi_page_with_20_territories_weighs_under_100_kb(app: TestApp) {
    load_demo(&app).await;
    let id = gi_id(&app, LONGJING).await;
    protect_in_20_territories(&app, id).await;
    let protection: serde_json::Value = app
        .get(&format!("/api/v1/gis/{id}/protection"), None)
        .await
        .json()
        .await
        .unwrap();
    let protected = protection["territories"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == json!("protected"))
        .count();
    assert!(protected >= 20, "{protection}");
    for lang in ["en", "zh", "th"] {
        let response = app.get(&format!("/gis/{id}?lang={lang}"), None).await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        let rows = page
            .split(r#"class="territories""#)
            .nth(1)
            .unwrap_or_else(|| panic!("{page}"))
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr")
            .count();
        assert!(rows > 20, "{lang}: {rows} rows");
        for jurisdiction in PARTNERS {
            assert!(page.contains(jurisdiction), "{lang}: {jurisdiction}");
        }
        assert!(
            page.len() < LIMIT,
            "{lang}: {} bytes for {rows} rows",
            page.len()
        );
        eprintln!(
            "/gis/{id}?lang={lang}: {} bytes, {rows} table rows",
            page.len()
        );
    }
}
