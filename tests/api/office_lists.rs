//! Generic terms and earlier trademarks (issue 13): each office keeps its own, anyone
//! reads them, and the conflict check meets them in that office's territory, at filing
//! too.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::partners;
use crate::register::{act_ok, application, create_gi_id, expect, get_ok, FILED_ON};

both_backends!(
    generic_terms_are_kept_by_their_office_and_met_by_the_check,
    earlier_trademarks_load_and_meet_the_check_and_the_filing,
    trademarks_import_from_a_csv_file,
    trademarks_import_loads_a_long_file_in_batches,
);

async fn conflicts(app: &TestApp, name: &str, territory: Option<&str>) -> Vec<Value> {
    let mut params = vec![("name", name)];
    if let Some(t) = territory {
        params.push(("territory", t));
    }
    let url = reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), &params).unwrap();
    let response = app.client.get(url).send().await.unwrap();
    expect(response, 200).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn of_kind<'a>(items: &'a [Value], kind: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["kind"] == kind).collect()
}

async fn generic_terms_are_kept_by_their_office_and_met_by_the_check(app: TestApp) {
    let w = partners(&app).await;
    let path = "/api/v1/offices/DIP/generic-terms";
    let term = json!({"term": "Som O", "lang": "th-Latn", "note": "pomelo, the fruit itself"});
    let added = expect(
        app.post(path, Some(&w.th_examiner), term.clone()).await,
        201,
    )
    .await;
    assert_eq!(added["term"], "Som O");
    // The same after folding is the same term.
    let again = app
        .post(path, Some(&w.th_examiner), json!({"term": "som-o"}))
        .await;
    assert_error(again, 409, "duplicate").await;
    // Another office's examiner, an association, an anonymous caller may not.
    let stranger = app.post(path, Some(&w.cn_examiner), term.clone()).await;
    assert_error(stranger, 403, "forbidden").await;
    let association = app.post(path, Some(&w.th_assoc), term.clone()).await;
    assert_error(association, 403, "forbidden").await;
    assert_eq!(app.post(path, None, term.clone()).await.status(), 401);
    for bad in [
        json!({"term": "  "}),
        json!({"term": "Som O 2", "lang": "not a tag!"}),
        json!({"term": "Som\u{202E}O"}),
        json!({"term": "x".repeat(201)}),
    ] {
        let refused = app.post(path, Some(&w.th_examiner), bad.clone()).await;
        assert_error(refused, 422, "validation_failed").await;
    }
    let listed = get_ok(&app, path, None).await;
    assert_eq!(listed["office"], "DIP");
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");

    let items = conflicts(&app, "Som O Thapthim Siam Pak Phanang", None).await;
    let generic = of_kind(&items, "generic_term");
    assert_eq!(generic.len(), 1, "{items:?}");
    assert_eq!(generic[0]["name"], "Som O");
    assert_eq!(generic[0]["reasons"], json!(["generic_term"]));
    assert_eq!(generic[0]["score"], 0.75, "contained in the name");
    assert_eq!(generic[0]["origin_office"], "DIP");
    assert_eq!(generic[0]["territories_protected"], json!(["TH"]));
    assert!(generic[0]["gi_id"].is_null());
    // Only in the office's territory.
    assert!(of_kind(
        &conflicts(&app, "Som O Thapthim", Some("CN")).await,
        "generic_term"
    )
    .is_empty());
    assert_eq!(
        of_kind(&conflicts(&app, "som o", Some("TH")).await, "generic_term")[0]["score"],
        0.95,
        "the term itself"
    );
}

fn mark(number: &str, text: &str, status: &str) -> Value {
    json!({"number": number, "mark": text, "classes": [30, 43],
           "owner": "Mae Fah Luang Foundation", "filed_on": "2001-03-04", "status": status})
}

async fn earlier_trademarks_load_and_meet_the_check_and_the_filing(app: TestApp) {
    let w = partners(&app).await;
    let path = "/api/v1/offices/DIP/trademarks";
    let load = json!({"trademarks": [
        mark("TH-1", "DOI TUNG", "registered"),
        mark("TH-2", "Longjing", "pending"),
        mark("TH-3", "Kafae Doi Tung", "lapsed"),
    ]});
    let report = expect(app.post(path, Some(&w.th_examiner), load).await, 201).await;
    assert_eq!(
        report,
        json!({"office": "DIP", "loaded": 3, "new": 3, "total": 3})
    );
    let reload = json!({"trademarks": [mark("TH-1", "DOI TUNG", "registered")]});
    let report = expect(app.post(path, Some(&w.th_examiner), reload).await, 201).await;
    assert_eq!(
        (report["new"].clone(), report["total"].clone()),
        (json!(0), json!(3))
    );

    // Refused whole, naming the entry; nothing loaded.
    let mut bad_class = mark("TH-9", "X", "registered");
    bad_class["classes"] = json!([99]);
    let twice = json!({"trademarks": [mark("TH-8", "A", "pending"), mark("TH-8", "B", "pending")]});
    let mut unknown_status = mark("TH-7", "Y", "registered");
    unknown_status["status"] = json!("expired");
    for body in [
        json!({"trademarks": [mark("TH-6", "Z", "pending"), bad_class]}),
        twice,
        json!({"trademarks": [unknown_status]}),
        json!({"trademarks": []}),
    ] {
        let refused = app.post(path, Some(&w.th_examiner), body.clone()).await;
        let error = assert_error(refused, 422, "validation_failed").await;
        let _ = error;
    }
    let stranger = app
        .post(
            path,
            Some(&w.cn_examiner),
            json!({"trademarks": [mark("X", "X", "pending")]}),
        )
        .await;
    assert_error(stranger, 403, "forbidden").await;
    let again = expect(
        app.post(
            path,
            Some(&w.th_examiner),
            json!({"trademarks": [mark("TH-1", "DOI TUNG", "registered")]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(again["total"], 3, "the refused loads left nothing behind");

    // The check meets a live mark inside a Thai name, by its romanisation; a lapsed one
    // never.
    let items = conflicts(&app, "กาแฟดอยตุง", None).await;
    let marks = of_kind(&items, "trademark");
    assert_eq!(marks.len(), 1, "{items:?}");
    assert_eq!(marks[0]["name"], "DOI TUNG");
    assert_eq!(marks[0]["reasons"], json!(["earlier_trademark"]));
    assert_eq!(marks[0]["score"], 0.75);
    assert_eq!(marks[0]["status"], "registered");
    assert_eq!(marks[0]["listed"]["number"], "TH-1");
    assert_eq!(marks[0]["listed"]["classes"], json!([30, 43]));
    assert_eq!(marks[0]["listed"]["owner"], "Mae Fah Luang Foundation");
    assert!(of_kind(&conflicts(&app, "กาแฟดอยตุง", Some("CN")).await, "trademark").is_empty());
    // A pending mark counts, and sounds alike too: Wade–Giles "Lung Ching".
    let sounds = conflicts(&app, "Lung Ching", Some("TH")).await;
    assert_eq!(
        of_kind(&sounds, "trademark")[0]["listed"]["number"],
        "TH-2",
        "{sounds:?}"
    );

    // Filing a GI reports the mark.
    let gi = create_gi_id(
        &app,
        &w.th_assoc,
        application(
            "DIP",
            Some(w.th_association),
            json!([{"text": "กาแฟดอยตุง", "lang": "th", "script": "Thai", "kind": "original"}]),
        ),
    )
    .await;
    let filed = act_ok(&app, &w.th_assoc, gi, "file", FILED_ON).await;
    let reported = of_kind(filed["conflicts"].as_array().unwrap(), "trademark");
    assert_eq!(reported[0]["listed"]["number"], "TH-1", "{filed}");

    // Each load is one audit entry.
    let audit = get_ok(&app, "/api/v1/audit?limit=500", Some(&w.auditor)).await;
    let loads = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "trademarks.load")
        .count();
    assert_eq!(loads, 3);
}

async fn trademarks_import_from_a_csv_file(app: TestApp) {
    let w = partners(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("marks.csv");
    std::fs::write(
        &file,
        "number,mark,classes,owner,filed_on,status\n\
         TH-1,DOI TUNG,30;43,Mae Fah Luang Foundation,2001-03-04,registered\n\
         TH-2,Longjing,30,Someone,,pending\n\
         TH-3,Bad,99,Someone,,pending\n",
    )
    .unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["trademarks", "import", "DIP"])
        .arg(&file)
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(said.contains("2 trademark(s) loaded into DIP"), "{said}");
    assert!(
        said.contains("line 4: classes: 99 is not a Nice class"),
        "{said}"
    );
    let items = conflicts(&app, "กาแฟดอยตุง", Some("TH")).await;
    assert_eq!(of_kind(&items, "trademark").len(), 1, "{items:?}");
    let _ = w;
}

/// More marks than one transaction loads: every batch is loaded, and a number given again
/// in a later batch is rejected there, its first line kept.
async fn trademarks_import_loads_a_long_file_in_batches(app: TestApp) {
    let _w = partners(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("marks.csv");
    let mut csv = String::from("number,mark,classes,owner,filed_on,status\n");
    for i in 0..2_500 {
        csv.push_str(&format!("TH-{i},Mark {i},30,Owner {i},,registered\n"));
    }
    csv.push_str("TH-7,Doi Tung Again,30,Someone,,registered\n");
    csv.push_str("TH-2600,Doi Tung,30,Someone,,registered\n");
    std::fs::write(&file, csv).unwrap();
    let import = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
            .args(["trademarks", "import", "DIP"])
            .arg(&file)
            .env("TERROIR_DATABASE_URL", &app.database_url)
            .env("TERROIR_DATA_DIR", &app.data_dir)
            .output()
            .unwrap()
    };
    let run = import();
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains(
            "2501 trademark(s) loaded into DIP (2501 new; 2501 in all); 1 line(s) rejected"
        ),
        "{said}"
    );
    assert!(
        said.contains("line 2502: number TH-7 is given twice"),
        "{said}"
    );
    let items = conflicts(&app, "Mark 7", Some("TH")).await;
    let marks = of_kind(&items, "trademark");
    assert!(marks.iter().any(|m| m["name"] == "Mark 7"), "{items:?}");
    assert!(
        !marks.iter().any(|m| m["name"] == "Doi Tung Again"),
        "{items:?}"
    );
    assert_eq!(
        of_kind(&conflicts(&app, "Doi Tung", Some("TH")).await, "trademark").len(),
        1
    );

    // Again: every number is replaced, none new, and the repeat is still refused.
    let run = import();
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        said.contains("2501 trademark(s) loaded into DIP (0 new; 2501 in all); 1 line(s) rejected"),
        "{said}"
    );
}
