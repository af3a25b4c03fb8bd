//! `terroir import FILE --as-partner EU --programme EU-CN` (issue 16): the EU register's
//! Chinese entries become the EU's recognitions of CNIPA's GIs, linked to the GI CNIPA
//! already holds instead of a second 龙井茶.

use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::import::{run, run_ok, EU_REGISTER};
use crate::recognition::{all_ids, create_programme, programme_body};
use crate::register::{get_ok, gi_in, world, World};

both_backends!(
    eu_register_as_partner_links_to_the_origin_gi,
    after_a_plain_import_every_entry_is_linked,
    a_list_as_of_a_date_reads_on_past_a_batch_without_a_match,
);

/// The world with the EU as an office, a party with CNIPA to programme EU-CN.
async fn with_eu_cn(app: &TestApp) -> World {
    let w = world(app).await;
    app.create_office(&w.admin, "EU", "EU", 90).await;
    create_programme(
        app,
        &w.admin,
        programme_body("EU-CN", &["CNIPA", "EU"], 365),
    )
    .await;
    w
}

async fn eu_register_as_partner_links_to_the_origin_gi(app: TestApp) {
    let w = with_eu_cn(&app).await;
    create_programme(
        &app,
        &w.admin,
        programme_body("CN-TH", &["CNIPA", "DIP"], 365),
    )
    .await;
    let longjing = gi_in(&app, &w, "registered").await;

    // Refused up front, changing nothing.
    for args in [
        &["--as-partner", "EUIPO", "--programme", "EU-CN"][..],
        &["--as-partner", "EU", "--programme", "EU-XX"][..],
        &["--as-partner", "EU", "--programme", "CN-TH"][..],
        &["--as-partner", "EU"][..],
    ] {
        let mut all = vec!["import", EU_REGISTER];
        all.extend_from_slice(args);
        let out = run(&app, &all);
        assert!(!out.status.success(), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
    let all: Value = get_ok(&app, "/api/v1/gis?limit=500", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1);

    let first = run(
        &app,
        &[
            "import",
            EU_REGISTER,
            "--as-partner",
            "EU",
            "--programme",
            "EU-CN",
        ],
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8_lossy(&first.stdout);
    let link = out
        .lines()
        .find(|l| l.starts_with("PDO-CN-0621 "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        link.contains(&format!("of GI {longjing} at CNIPA (linked)")),
        "{link}"
    );
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("PGI-IT-02305): not a partner recognition: origin IT is in the EU"));

    // One 龙井茶 under CNIPA, recognised by the EU with the register's dates.
    let found: Value = get_ok(&app, "/api/v1/gis?q=longjing", None).await;
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{found}");
    assert_eq!(items[0]["id"], longjing);
    let recognitions: Value = get_ok(
        &app,
        "/api/v1/recognitions?partner=EU&programme=EU-CN&limit=500",
        None,
    )
    .await;
    let r = recognitions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["gi_id"] == longjing)
        .unwrap_or_else(|| panic!("{recognitions}"))
        .clone();
    assert_eq!(r["status"], "protected", "{r}");
    assert_eq!(r["submitted_on"], "2007-07-16", "{r}");
    assert_eq!(r["protected_from"], "2011-05-11", "{r}");

    // Other Chinese entries are created at CNIPA with their recognitions; no EU entry is.
    assert_eq!(
        recognitions["items"].as_array().unwrap().len(),
        out.lines()
            .filter(|l| l.contains(" -> recognition "))
            .count()
    );
    let created = out
        .lines()
        .filter(|l| l.ends_with("at CNIPA (created)"))
        .count();
    // The register's ten Chinese entries: Longjing linked, nine created.
    assert_eq!(created, 9, "{out}");
    assert!(
        out.contains("10 recognitions (1 linked to existing GIs), 3705 skipped"),
        "{out}"
    );
    let all: Value = get_ok(&app, "/api/v1/gis?limit=500", None).await;
    let gis = all["items"].as_array().unwrap();
    assert_eq!(gis.len(), 1 + created);
    assert!(gis.iter().all(|g| g["origin_office"] == "CNIPA"), "{all}");

    // A second run changes nothing.
    let audit = app.audit_count().await;
    let second = run(
        &app,
        &[
            "import",
            EU_REGISTER,
            "--as-partner",
            "EU",
            "--programme",
            "EU-CN",
        ],
    );
    assert!(second.status.success());
    let out2 = String::from_utf8_lossy(&second.stdout);
    assert!(out2.contains("0 imported"), "{out2}");
    assert!(out2.contains(": 0 recognitions"), "{out2}");
    assert_eq!(app.audit_count().await, audit);
}

/// The EU snapshot imported plainly first put its Chinese entries at CNIPA; read again
/// as the EU's recognitions, each is linked to the GI already there (not "created").
async fn after_a_plain_import_every_entry_is_linked(app: TestApp) {
    with_eu_cn(&app).await;
    run_ok(&app, &["import", EU_REGISTER]);
    let before: Value = get_ok(&app, "/api/v1/gis?limit=500&origin=CNIPA", None).await;
    let partner = run(
        &app,
        &[
            "import",
            EU_REGISTER,
            "--as-partner",
            "EU",
            "--programme",
            "EU-CN",
        ],
    );
    let out = String::from_utf8_lossy(&partner.stdout);
    assert!(partner.status.success(), "{out}");
    let links: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(" -> recognition "))
        .collect();
    assert_eq!(links.len(), 10, "{out}");
    assert!(
        links.iter().all(|l| l.ends_with("at CNIPA (linked)")),
        "{out}"
    );
    assert!(
        out.contains("10 recognitions (10 linked to existing GIs)"),
        "{out}"
    );
    let after: Value = get_ok(&app, "/api/v1/gis?limit=500&origin=CNIPA", None).await;
    assert_eq!(before["items"], after["items"], "no GI was created");
}

/// A list as of a date reads the recognitions in batches of at least 50 and keeps those
/// whose state then matches: the one submitted recognition behind 55 protected ones is
/// found on the first page, read past a full batch with no match.
async fn a_list_as_of_a_date_reads_on_past_a_batch_without_a_match(app: TestApp) {
    with_eu_cn(&app).await;
    let row = |i: usize, status: &str, dated: &str| {
        serde_json::json!({
            "file_number": format!("TEST-CN-{i:03}"), "origin_jurisdiction": "CN",
            "gi_type": "pgi", "product_type": "food", "product_class": "1.6",
            "status": status, dated: "2010-01-10",
            "names": [{"text": format!("Test Tea {i}"), "lang": "en", "kind": "original"}],
        })
        .to_string()
    };
    let mut lines: Vec<String> = (0..55)
        .map(|i| row(i, "registered", "registered_on"))
        .collect();
    lines.push(row(55, "filed", "filed_on"));
    let file = app.data_dir.join("partner-recognitions.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let file = file.to_str().unwrap();
    run_ok(
        &app,
        &["import", file, "--as-partner", "EU", "--programme", "EU-CN"],
    );

    let everything = all_ids(&app, "", 100).await;
    assert_eq!(everything.len(), 56);
    let submitted = all_ids(&app, "as_of=2020-01-01&status=submitted", 1).await;
    assert_eq!(submitted, [everything[55]]);
    let protected = all_ids(&app, "as_of=2020-01-01&status=protected", 20).await;
    assert_eq!(protected, everything[..55]);
}
