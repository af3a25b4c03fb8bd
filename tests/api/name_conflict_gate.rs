//! The conflict check where a name enters the register (issue 13): filing and submission
//! report what a GI's names collide with, the examiner's work list shows it, and
//! registering or protecting a homonym of a GI already protected in the territory needs
//! an acknowledgement with grounds (409 `name_conflict` otherwise).

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{id_of, partners, r_act, r_act_ok, recognition, CN_TH, TH_REGISTERED_ON};
use crate::register::{
    act, act_ok, application, create_gi_id, expect, get_ok, gi_in, longjing, World, EXAMINED_ON,
    FILED_ON, PUBLISHED_ON, REGISTERED_ON,
};

both_backends!(
    filing_reports_what_the_names_collide_with_and_the_work_list_shows_it,
    registering_a_homonym_needs_an_acknowledgement_with_grounds,
    protecting_a_homonym_in_a_partner_territory_needs_an_acknowledgement,
    a_gi_met_by_several_names_is_reported_once_by_its_best_match,
);

fn conflict_ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|c| c["gi_id"].as_i64().unwrap())
        .collect()
}

async fn worklist_item(app: &TestApp, token: &str, kind: &str, gi_id: i64) -> Value {
    let list = expect(app.get("/api/v1/worklist", Some(token)).await, 200).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind && i["gi_id"] == gi_id)
        .unwrap_or_else(|| panic!("no {kind} item for GI {gi_id}: {list}"))
        .clone()
}

/// A second Longjing application (the first is `first`), published.
async fn second_longjing(app: &TestApp, w: &World) -> i64 {
    let id = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(app, &w.cn_assoc, id, "file", FILED_ON).await;
    act_ok(app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    act_ok(app, &w.cn_examiner, id, "publish", PUBLISHED_ON).await;
    id
}

async fn filing_reports_what_the_names_collide_with_and_the_work_list_shows_it(app: TestApp) {
    let w = partners(&app).await;
    let first = gi_in(&app, &w, "registered").await;
    let second = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let filed = act_ok(&app, &w.cn_assoc, second, "file", FILED_ON).await;
    assert_eq!(conflict_ids(&filed["conflicts"]), vec![first], "{filed}");
    let found = &filed["conflicts"][0];
    assert_eq!(found["reasons"], json!(["identical"]));
    assert_eq!(found["score"], 1.0);
    assert_eq!(found["territories_protected"], json!(["CN"]));
    // Kept with the GI, and on the examiner's work list.
    let read = get_ok(&app, &format!("/api/v1/gis/{second}"), None).await;
    assert_eq!(conflict_ids(&read["conflicts"]), vec![first]);
    let item = worklist_item(&app, &w.cn_examiner, "examine_application", second).await;
    assert_eq!(conflict_ids(&item["conflicts"]), vec![first], "{item}");

    // A name that collides with nothing reports an empty list, and its item none.
    let other = create_gi_id(
        &app,
        &w.cn_assoc,
        application(
            "CNIPA",
            Some(w.cn_association),
            json!([{"text": "平谷大桃", "lang": "zh", "script": "Hans", "kind": "original"}]),
        ),
    )
    .await;
    let filed = act_ok(&app, &w.cn_assoc, other, "file", FILED_ON).await;
    assert_eq!(filed["conflicts"], json!([]));
    let item = worklist_item(&app, &w.cn_examiner, "examine_application", other).await;
    assert!(item.get("conflicts").is_none(), "{item}");
    // A phonetic match without a trigram in common scores exactly the reporting
    // threshold (0.6), and is reported: "Petur" sounds like "Bodal" (p-t-l both).
    let latin = |text: &str| {
        application(
            "CNIPA",
            Some(w.cn_association),
            json!([{"text": text, "lang": "und", "script": "Latn", "kind": "original"}]),
        )
    };
    let bodal = create_gi_id(&app, &w.cn_assoc, latin("Bodal")).await;
    act_ok(&app, &w.cn_assoc, bodal, "file", FILED_ON).await;
    let petur = create_gi_id(&app, &w.cn_assoc, latin("Petur")).await;
    let filed = act_ok(&app, &w.cn_assoc, petur, "file", FILED_ON).await;
    assert_eq!(conflict_ids(&filed["conflicts"]), vec![bodal], "{filed}");
    assert_eq!(filed["conflicts"][0]["score"], 0.6);
    assert_eq!(filed["conflicts"][0]["reasons"], json!(["phonetic"]));
    // The first GI, filed before any other, lists none either way.
    let first_read = get_ok(&app, &format!("/api/v1/gis/{first}"), None).await;
    assert_eq!(first_read["conflicts"], json!([]));
}

async fn registering_a_homonym_needs_an_acknowledgement_with_grounds(app: TestApp) {
    let w = partners(&app).await;
    // While the first Longjing is only published, a second may be registered freely:
    // only a GI protected in the territory blocks.
    let published = gi_in(&app, &w, "published").await;
    let early = second_longjing(&app, &w).await;
    act_ok(&app, &w.cn_examiner, early, "register", REGISTERED_ON).await;
    let _ = published;

    let second = second_longjing(&app, &w).await;
    let register = |body: Value| {
        let app = &app;
        let token = w.cn_examiner.clone();
        async move { act(app, &token, second, body).await }
    };
    let refused = register(json!({"action": "register", "effective_on": REGISTERED_ON})).await;
    let body = assert_error(refused, 409, "name_conflict").await;
    assert_eq!(body["error"]["details"]["territory"], "CN");
    assert_eq!(
        conflict_ids(&body["error"]["details"]["conflicts"]),
        vec![early],
        "{body}"
    );
    assert_eq!(body["error"]["details"]["conflicts"][0]["name"], "龙井茶");

    // Acknowledging needs grounds; an acknowledged GI must be a homonym; only register
    // takes it.
    let no_grounds = register(json!({"action": "register", "effective_on": REGISTERED_ON,
        "acknowledge_conflicts": [early]}))
    .await;
    assert_error(no_grounds, 422, "validation_failed").await;
    let stray = register(json!({"action": "register", "effective_on": REGISTERED_ON,
        "acknowledge_conflicts": [early, published], "grounds": "different area"}))
    .await;
    let body = assert_error(stray, 422, "validation_failed").await;
    assert!(body.to_string().contains("acknowledge_conflicts"), "{body}");
    let wrong_action = act(
        &app,
        &w.cn_examiner,
        second,
        json!({"action": "refuse", "grounds": "x", "acknowledge_conflicts": [early]}),
    )
    .await;
    assert_error(wrong_action, 422, "validation_failed").await;
    let unchanged = get_ok(&app, &format!("/api/v1/gis/{second}"), None).await;
    assert_eq!(
        unchanged["status"], "published",
        "every refusal changed nothing"
    );

    let grounds = "a homonym from the Longjing village of Hangzhou, labelled with its village";
    let registered = register(json!({"action": "register", "effective_on": REGISTERED_ON,
        "acknowledge_conflicts": [early], "grounds": grounds}))
    .await;
    let registered = expect(registered, 200).await;
    assert_eq!(registered["status"], "registered");
    let events = get_ok(&app, &format!("/api/v1/gis/{second}/events"), None).await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["details"]["acknowledged_conflicts"],
        json!([early]),
        "{last}"
    );
    assert_eq!(last["grounds"], grounds);
}

/// A DIP GI whose Latin name is the pinyin of CNIPA's 龙井茶.
async fn thai_longjing(app: &TestApp, w: &World) -> i64 {
    let id = create_gi_id(
        app,
        &w.th_assoc,
        application(
            "DIP",
            Some(w.th_association),
            json!([{"text": "Longjing Cha", "lang": "en", "script": "Latn", "kind": "original"}]),
        ),
    )
    .await;
    act_ok(app, &w.th_assoc, id, "file", FILED_ON).await;
    act_ok(app, &w.th_examiner, id, "start_examination", EXAMINED_ON).await;
    act_ok(app, &w.th_examiner, id, "publish", PUBLISHED_ON).await;
    act_ok(app, &w.th_examiner, id, "register", TH_REGISTERED_ON).await;
    id
}

async fn protecting_a_homonym_in_a_partner_territory_needs_an_acknowledgement(app: TestApp) {
    let w = partners(&app).await;
    let chinese = gi_in(&app, &w, "registered").await;
    let thai = thai_longjing(&app, &w).await;
    // DIP registered it at home: no homonym is protected in Thailand.
    let submitted = app
        .post(
            "/api/v1/recognitions",
            Some(&w.th_examiner),
            json!({"programme": CN_TH, "gi_id": thai, "partner": "CNIPA",
                   "effective_on": "2026-06-05"}),
        )
        .await;
    let submitted = expect(submitted, 201).await;
    let rec = id_of(&submitted);
    assert_eq!(
        conflict_ids(&submitted["conflicts"]),
        vec![chinese],
        "{submitted}"
    );
    assert_eq!(
        submitted["conflicts"][0]["reasons"],
        json!(["identical"]),
        "up to case"
    );
    let item = worklist_item(&app, &w.cn_examiner, "decide_recognition", thai).await;
    assert_eq!(conflict_ids(&item["conflicts"]), vec![chinese]);

    r_act_ok(&app, &w.cn_examiner, rec, "start_examination", "2026-06-10").await;
    r_act_ok(&app, &w.cn_examiner, rec, "publish", "2026-06-15").await;
    let protect_on = "2026-09-15";
    let refused = r_act(
        &app,
        &w.cn_examiner,
        rec,
        json!({"action": "protect", "effective_on": protect_on}),
    )
    .await;
    let body = assert_error(refused, 409, "name_conflict").await;
    assert_eq!(body["error"]["details"]["territory"], "CN");
    assert_eq!(
        conflict_ids(&body["error"]["details"]["conflicts"]),
        vec![chinese]
    );
    assert_eq!(recognition(&app, rec).await["status"], "published");

    let protected = r_act(
        &app,
        &w.cn_examiner,
        rec,
        json!({"action": "protect", "effective_on": protect_on,
               "acknowledge_conflicts": [chinese],
               "grounds": "coffee-growing Longjing of Chiang Rai, never tea; labels say so"}),
    )
    .await;
    assert_eq!(expect(protected, 200).await["status"], "protected");

    // Protected in China now, the Thai GI is a homonym for the next Chinese Longjing
    // registered there, beside the Chinese one registered at home.
    let third = second_longjing(&app, &w).await;
    let refused = act(
        &app,
        &w.cn_examiner,
        third,
        json!({"action": "register", "effective_on": REGISTERED_ON}),
    )
    .await;
    let body = assert_error(refused, 409, "name_conflict").await;
    let mut homonyms = conflict_ids(&body["error"]["details"]["conflicts"]);
    homonyms.sort_unstable();
    let mut expected = vec![chinese, thai];
    expected.sort_unstable();
    assert_eq!(homonyms, expected, "{body}");
}

/// A GI whose names meet another's more than once is reported once, with its best
/// match; between equal matches, with the one met first (our names in their order).
async fn a_gi_met_by_several_names_is_reported_once_by_its_best_match(app: TestApp) {
    let w = partners(&app).await;
    let filed = |names: Value| {
        let app = &app;
        let w = &w;
        async move {
            let id = create_gi_id(
                app,
                &w.cn_assoc,
                application("CNIPA", Some(w.cn_association), names),
            )
            .await;
            (id, act_ok(app, &w.cn_assoc, id, "file", FILED_ON).await)
        }
    };
    let latin = |text: &str, kind: &str| json!({"text": text, "lang": "und", "script": "Latn", "kind": kind});
    let (earlier, _) = filed(json!([
        latin("Bodal", "original"),
        latin("Kafar", "synonym")
    ]))
    .await;
    let of_earlier = |report: &Value| {
        report["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["gi_id"] == earlier)
            .cloned()
            .collect::<Vec<_>>()
    };
    // "Petur" sounds like "Bodal" (0.6); "Bodal" is the same name (1.0).
    let (_, report) = filed(json!([
        latin("Petur", "original"),
        latin("Bodal", "synonym")
    ]))
    .await;
    let met = of_earlier(&report);
    assert_eq!(met.len(), 1, "{report}");
    assert_eq!(met[0]["score"], 1.0);
    assert_eq!(met[0]["reasons"], json!(["identical"]));
    // Both names are the same as one of the earlier GI's: the first of ours is shown.
    let (_, report) = filed(json!([
        latin("Kafar", "original"),
        latin("Bodal", "synonym")
    ]))
    .await;
    let met = of_earlier(&report);
    assert_eq!(met.len(), 1, "{report}");
    assert_eq!(met[0]["name"], "Kafar", "{report}");
}
