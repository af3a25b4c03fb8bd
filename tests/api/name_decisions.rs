//! Decisions per name (issue 12): a registration or a protection may leave names out,
//! each with its reason; an invalidation may take some names only.

use serde_json::{json, Value};

use crate::both_backends;
use crate::exports::export_bytes;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    id_of, partners, protection, r_act, r_act_ok, recognition, submit_ok, CN_TH, SUBMITTED_ON,
    TH_EXAMINED_ON, TH_PROTECTED_ON, TH_PUBLISHED_ON,
};
use crate::register::{
    act, act_ok, application, create_gi_id, expect, gi, World, EXAMINED_ON, FILED_ON, PUBLISHED_ON,
    REGISTERED_ON,
};

both_backends!(
    som_o_is_registered_without_the_bare_term,
    dragon_well_tea_is_left_out_in_thailand,
    an_invalidation_may_take_some_names_only,
    withdrawing_a_refusal_protects_as_it_says,
);

/// The Pak Phanang pomelo at DIP, with the bare "Som O" among its names.
fn som_o(association_id: i64) -> Value {
    let mut body = application(
        "DIP",
        Some(association_id),
        json!([
            {"text": "ส้มโอทับทิมสยามปากพนัง", "lang": "th", "script": "Thai", "kind": "original"},
            {"text": "Som O Thapthim Siam Pak Phanang", "lang": "th-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "rtgs"},
            {"text": "Som O", "lang": "th-Latn", "script": "Latn", "kind": "synonym"},
        ]),
    );
    body["area_description"] = json!("Pak Phanang district, Nakhon Si Thammarat");
    body
}

/// 龙井茶 with its pinyin and its English translation.
fn longjing_with_translation(association_id: i64) -> Value {
    application(
        "CNIPA",
        Some(association_id),
        json!([
            {"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original"},
            {"text": "Longjing cha", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
            {"text": "Dragon Well tea", "lang": "en", "script": "Latn", "kind": "translation"},
        ]),
    )
}

/// The id of the GI's name `text`.
async fn name_id(app: &TestApp, token: &str, gi_id: i64, text: &str) -> i64 {
    let gi = gi(app, Some(token), gi_id).await;
    gi["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["text"] == text)
        .and_then(|n| n["id"].as_i64())
        .unwrap_or_else(|| panic!("no name {text} in {gi}"))
}

/// The Longjing GI with its translation, registered at CNIPA, submitted to DIP and
/// published there: (GI id, recognition id).
async fn published_in_thailand(app: &TestApp, w: &World) -> (i64, i64) {
    let gi_id = create_gi_id(
        app,
        &w.cn_assoc,
        longjing_with_translation(w.cn_association),
    )
    .await;
    act_ok(app, &w.cn_assoc, gi_id, "file", FILED_ON).await;
    for (action, on) in [
        ("start_examination", EXAMINED_ON),
        ("publish", PUBLISHED_ON),
        ("register", REGISTERED_ON),
    ] {
        act_ok(app, &w.cn_examiner, gi_id, action, on).await;
    }
    let id = id_of(&submit_ok(app, &w.cn_examiner, CN_TH, gi_id, "DIP", SUBMITTED_ON).await);
    r_act_ok(app, &w.th_examiner, id, "start_examination", TH_EXAMINED_ON).await;
    r_act_ok(app, &w.th_examiner, id, "publish", TH_PUBLISHED_ON).await;
    (gi_id, id)
}

/// DIP registers the Pak Phanang pomelo at home, but not the bare "Som O", the common
/// word for pomelo: named by its text or its id, with a reason; never every name.
async fn som_o_is_registered_without_the_bare_term(app: TestApp) {
    let w = partners(&app).await;
    let id = create_gi_id(&app, &w.th_assoc, som_o(w.th_association)).await;
    act_ok(&app, &w.th_assoc, id, "file", FILED_ON).await;
    act_ok(&app, &w.th_examiner, id, "start_examination", EXAMINED_ON).await;
    let bare = name_id(&app, &w.th_examiner, id, "Som O").await;
    let original = name_id(&app, &w.th_examiner, id, "ส้มโอทับทิมสยามปากพนัง").await;
    let latin = name_id(&app, &w.th_examiner, id, "Som O Thapthim Siam Pak Phanang").await;
    let generic = "the bare term is the common Thai word for pomelo";
    // Only a registration leaves names out at home.
    let error = assert_error(
        act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "publish", "effective_on": PUBLISHED_ON,
                   "publication_reference": "Gazette 1",
                   "excluded_names": [{"name": "Som O", "reason": generic}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "excluded_names");
    act_ok(&app, &w.th_examiner, id, "publish", PUBLISHED_ON).await;

    let register = |excluded: Value| json!({"action": "register", "effective_on": "2026-06-01", "excluded_names": excluded});
    let before = app.audit_count().await;
    for (excluded, field) in [
        (
            json!([{"name": "som o", "reason": generic}]),
            "excluded_names[0].name",
        ),
        (
            json!([{"name": 999999, "reason": generic}]),
            "excluded_names[0].name",
        ),
        (
            json!([{"name": "Som O", "reason": generic}, {"name": bare, "reason": generic}]),
            "excluded_names[1].name",
        ),
        (json!([{"name": "Som O"}]), "excluded_names[0].reason"),
        (
            json!([{"name": "Som O", "reason": "  "}]),
            "excluded_names[0].reason",
        ),
        (
            json!([{"name": bare, "reason": generic}, {"name": original, "reason": generic},
                   {"name": latin, "reason": generic}]),
            "excluded_names",
        ),
    ] {
        let error = assert_error(
            act(&app, &w.th_examiner, id, register(excluded.clone())).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{excluded}: {error}"
        );
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    assert_eq!(gi(&app, None, id).await["status"], "published");

    let registered = expect(
        act(
            &app,
            &w.th_examiner,
            id,
            register(json!([{"name": "Som O", "reason": generic}])),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(registered["status"], "registered");
    assert_eq!(
        registered["excluded_names"],
        json!([{"name_id": bare, "name": "Som O", "reason": generic}])
    );
    let now = protection(&app, id, None).await;
    assert_eq!(now["home"]["status"], "registered", "{now}");
    assert_eq!(
        now["home"]["protected_names"],
        json!(["ส้มโอทับทิมสยามปากพนัง", "Som O Thapthim Siam Pak Phanang"])
    );
    assert_eq!(now["home"]["excluded_names"][0]["name"], "Som O");
    assert_eq!(now["home"]["excluded_names"][0]["reason"], generic);
    // Before the registration, published: nothing protected, nothing excluded yet.
    let then = protection(&app, id, Some("2026-05-01")).await;
    assert_eq!(then["home"]["status"], "published", "{then}");
    assert_eq!(then["home"]["protected_names"], json!([]));
    assert_eq!(then["home"]["excluded_names"], json!([]));
}

/// DIP protects 龙井茶 and its pinyin, but not "Dragon Well tea": the status per
/// territory is `protected`, the translation is listed with its reason, and an as-of
/// read before the decision shows no exclusion. Exports carry both lists.
async fn dragon_well_tea_is_left_out_in_thailand(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = published_in_thailand(&app, &w).await;
    let dragon_well = name_id(&app, &w.th_examiner, gi_id, "Dragon Well tea").await;
    let reason = "an English description of a kind of tea, free for all to use in Thailand";
    // A refusal refuses every name: it leaves none out.
    let before = app.audit_count().await;
    let error = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "refuse", "grounds": "generic", "effective_on": TH_PROTECTED_ON,
                   "excluded_names": [{"name": dragon_well, "reason": reason}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "excluded_names");
    let error = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                   "excluded_names": [{"name": "Dragon well tea", "reason": reason}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error["error"]["details"][0]["field"],
        "excluded_names[0].name"
    );
    assert_eq!(app.audit_count().await, before);

    let protected = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                   "excluded_names": [{"name": dragon_well, "reason": reason}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["excluded_names"][0]["name"], "Dragon Well tea");

    let now = protection(&app, gi_id, None).await;
    let thailand = &now["territories"][0];
    assert_eq!(thailand["status"], "protected", "{now}");
    assert_eq!(
        thailand["protected_names"],
        json!(["龙井茶", "Longjing cha"])
    );
    assert_eq!(
        thailand["excluded_names"],
        json!([{"name_id": dragon_well, "name": "Dragon Well tea", "reason": reason}])
    );
    assert_eq!(thailand["coexisting_rights"], json!([]));
    // At home every name is protected.
    assert_eq!(
        now["home"]["protected_names"],
        json!(["龙井茶", "Longjing cha", "Dragon Well tea"])
    );
    let before_decision = protection(&app, gi_id, Some("2026-08-01")).await;
    let then = &before_decision["territories"][0];
    assert_eq!(then["status"], "published", "{before_decision}");
    assert_eq!(then["protected_names"], json!([]));
    assert_eq!(then["excluded_names"], json!([]));

    // A partial protection is a protection: the protected list holds it.
    let list = expect(
        app.get("/api/v1/recognitions?status=protected", None).await,
        200,
    )
    .await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id),
        "{list}"
    );

    let csv = String::from_utf8(
        export_bytes(
            &app,
            &w.auditor,
            &format!("format=csv&as_of={TH_PROTECTED_ON}"),
        )
        .await,
    )
    .unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(",recorded_late,protected_names,excluded_names"));
    let row = lines
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.ends_with(&format!(
            ",龙井茶 | Longjing cha,\"Dragon Well tea ({reason})\""
        )),
        "{row}"
    );
    let json_export: Value = serde_json::from_slice(
        &export_bytes(&app, &w.auditor, "format=json&as_of=2026-08-01").await,
    )
    .unwrap();
    let row = json_export["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["recognition_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["status"], "published");
    assert_eq!(row["protected_names"], json!([]));
    assert_eq!(row["excluded_names"], json!([]));
}

/// A court takes "Longjing cha" out of the Thai protection: the protection stays for the
/// other names; the last name cannot be taken out this way (that is an invalidation).
async fn an_invalidation_may_take_some_names_only(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = published_in_thailand(&app, &w).await;
    expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                   "excluded_names": [{"name": "Dragon Well tea", "reason": "descriptive"}]}),
        )
        .await,
        200,
    )
    .await;
    let invalidate = |excluded: Value| {
        json!({"action": "invalidate", "effective_on": "2026-10-01",
               "grounds": "the romanisation is used by prior Thai traders",
               "deciding_authority": "Central Intellectual Property and International Trade Court",
               "excluded_names": excluded})
    };
    let before = app.audit_count().await;
    for (excluded, field) in [
        (
            json!([{"name": "Dragon Well tea", "reason": "again"}]),
            "excluded_names[0].name",
        ),
        (
            json!([{"name": "Longjing cha", "reason": "prior use"},
                   {"name": "龙井茶", "reason": "prior use"}]),
            "excluded_names",
        ),
    ] {
        let error = assert_error(
            r_act(&app, &w.th_examiner, id, invalidate(excluded.clone())).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{excluded}: {error}"
        );
    }
    assert_eq!(app.audit_count().await, before);

    let partly = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            invalidate(json!([{"name": "Longjing cha", "reason": "prior use by Thai traders"}])),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(partly["status"], "protected", "{partly}");
    assert_eq!(partly["protected_from"], TH_PROTECTED_ON);
    assert_eq!(
        partly["deciding_authority"],
        "Central Intellectual Property and International Trade Court"
    );
    let now = protection(&app, gi_id, None).await;
    let thailand = &now["territories"][0];
    assert_eq!(thailand["status"], "protected");
    assert_eq!(thailand["protected_names"], json!(["龙井茶"]));
    let excluded: Vec<&str> = thailand["excluded_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(excluded, ["Dragon Well tea", "Longjing cha"]);
    // Between the two decisions, only the translation was out.
    let then = protection(&app, gi_id, Some("2026-09-15")).await;
    assert_eq!(
        then["territories"][0]["protected_names"],
        json!(["龙井茶", "Longjing cha"])
    );
    // A whole invalidation still ends it.
    r_act_ok(&app, &w.th_examiner, id, "invalidate", "2026-10-02").await;
    assert_eq!(recognition(&app, id).await["status"], "invalidated");
    let after = protection(&app, gi_id, None).await;
    assert_eq!(after["territories"][0]["protected_names"], json!([]));
}

/// Withdrawing a refusal begins a protection with the limitations and exclusions given
/// with it (the refusal's own limitation goes with the refusal); an as-of read while
/// refused shows no name protected.
async fn withdrawing_a_refusal_protects_as_it_says(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = published_in_thailand(&app, &w).await;
    expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "refuse", "effective_on": "2026-09-01", "grounds": "prior mark",
                   "limitations": "every name is refused"}),
        )
        .await,
        200,
    )
    .await;
    let limitation = "protected for green tea only, not for tea-flavoured drinks";
    let withdrawn = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "withdraw_refusal", "effective_on": "2026-10-01",
                   "limitations": limitation,
                   "excluded_names": [{"name": "Dragon Well tea", "reason": "descriptive"}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "protected");
    assert_eq!(withdrawn["limitations"], limitation);
    let now = protection(&app, gi_id, None).await;
    assert_eq!(now["territories"][0]["limitations"], limitation);
    assert_eq!(
        now["territories"][0]["protected_names"],
        json!(["龙井茶", "Longjing cha"])
    );
    assert_eq!(
        now["territories"][0]["excluded_names"][0]["name"],
        "Dragon Well tea"
    );
    // While refused: no name protected, the refusal's limitation shown.
    let then = protection(&app, gi_id, Some("2026-09-15")).await;
    assert_eq!(then["territories"][0]["status"], "refused");
    assert_eq!(then["territories"][0]["protected_names"], json!([]));
    assert_eq!(then["territories"][0]["excluded_names"], json!([]));
    assert_eq!(
        then["territories"][0]["limitations"],
        "every name is refused"
    );
}
