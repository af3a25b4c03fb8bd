//! Decisions as the law writes them (issue 12): standing to oppose, who withdraws.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    create_programme, oppose as oppose_recognition, partners, programme_body, protection, r_act,
    recognition, recognition_in, submit_ok, CN_TH, TH_PROTECTED_ON,
};
use crate::register::{
    act, act_ok, create_gi_id, days_from_today, expect, gi_in, longjing, oppose as oppose_gi,
    FILED_ON, REGISTERED_ON,
};

both_backends!(
    an_association_has_no_standing_against_its_own_gi,
    protection_shows_the_gi_at_home_as_it_stood,
    a_refusal_says_which_remedies_remain_and_until_when,
    the_origin_hears_back_until_the_remedies_close,
    a_publication_recorded_late_cites_its_gazette,
    phase_outs_and_invalidations_say_who_and_how_long,
    a_lisbon_style_programme_refuses_only_with_remedies,
    refusals_and_oppositions_name_their_earlier_rights,
    limitations_and_phase_outs_are_checked_before_a_protection,
);

/// The Moutai story: the applicant association files an opposition against its own GI
/// abroad (and at home). Refused, before the body is read; another association may.
async fn an_association_has_no_standing_against_its_own_gi(app: TestApp) {
    let w = partners(&app).await;
    let home = gi_in(&app, &w, "published").await;
    let before = app.audit_count().await;
    for body in [
        json!({"grounds": "we object to our own name", "filed_on": "2026-04-01"}),
        json!({"grounds": 7}),
    ] {
        assert_error(
            oppose_gi(&app, &w.cn_assoc, home, body).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    expect(
        oppose_gi(
            &app,
            &w.cn_other_assoc,
            home,
            json!({"grounds": "the area is drawn too wide", "filed_on": "2026-04-01"}),
        )
        .await,
        201,
    )
    .await;

    let (_, abroad) = recognition_in(&app, &w, "published").await;
    let before = app.audit_count().await;
    for body in [
        json!({"grounds": "we object to our own protection", "filed_on": "2026-07-01"}),
        json!({"filed_on": "not a date"}),
    ] {
        assert_error(
            oppose_recognition(&app, &w.cn_assoc, abroad, body).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    expect(
        oppose_recognition(
            &app,
            &w.th_assoc,
            abroad,
            json!({"grounds": "prior use in Thailand", "filed_on": "2026-07-01"}),
        )
        .await,
        201,
    )
    .await;
}

/// `/protection` starts with the GI at home, as of the same date as the territories.
async fn protection_shows_the_gi_at_home_as_it_stood(app: TestApp) {
    let w = partners(&app).await;
    let (gi, _) = recognition_in(&app, &w, "protected").await;
    let now = protection(&app, gi, None).await;
    let home = &now["home"];
    assert_eq!(home["office"], "CNIPA", "{now}");
    assert_eq!(home["status"], "registered");
    assert_eq!(home["filed_on"], FILED_ON);
    assert_eq!(home["registered_on"], REGISTERED_ON);
    assert!(home["file_number"].as_str().unwrap().starts_with("CN-GI-"));
    assert!(home["registration_number"].is_string());
    assert_eq!(now["territories"][0]["status"], "protected");

    // Published, not yet registered: the file number, no registration number.
    let before = protection(&app, gi, Some("2026-04-01")).await;
    assert_eq!(before["home"]["status"], "published", "{before}");
    assert_eq!(before["home"]["file_number"], home["file_number"]);
    assert_eq!(
        before["home"]["registration_number"],
        serde_json::Value::Null
    );
    assert_eq!(before["home"]["registered_on"], serde_json::Value::Null);
    assert_eq!(before["territories"], json!([]));

    // Before its filing: nothing at home yet.
    let earlier = protection(&app, gi, Some("2025-12-31")).await;
    assert_eq!(
        earlier["home"]["status"],
        serde_json::Value::Null,
        "{earlier}"
    );
    assert_eq!(earlier["home"]["file_number"], serde_json::Value::Null);
}

/// Lisbon Rule 9: a refusal states the remedies open to the holder and their time limit;
/// both together, only with a refusal or an invalidation, the limit after the decision.
async fn a_refusal_says_which_remedies_remain_and_until_when(app: TestApp) {
    let w = partners(&app).await;
    let (_, id) = recognition_in(&app, &w, "published").await;
    let remedies = "A request for review to the GI Board within 60 days of this notification";
    let refuse = |extra: serde_json::Value| {
        let mut body = json!({"action": "refuse", "effective_on": "2026-09-01",
                              "grounds": "the name is generic in Thailand"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let before = app.audit_count().await;
    for (extra, field) in [
        (json!({"remedies": remedies}), "remedy_deadline"),
        (json!({"remedy_deadline": "2026-10-31"}), "remedies"),
        (
            json!({"remedies": remedies, "remedy_deadline": "2026-09-01"}),
            "remedy_deadline",
        ),
        (
            json!({"remedies": remedies, "remedy_deadline": "2026-13-01"}),
            "remedy_deadline",
        ),
    ] {
        let error = assert_error(
            r_act(&app, &w.th_examiner, id, refuse(extra.clone())).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{extra}: {error}"
        );
    }
    let protect_with_remedies = json!({"action": "protect", "effective_on": "2026-09-01",
                                       "remedies": remedies, "remedy_deadline": "2026-10-31"});
    let error = assert_error(
        r_act(&app, &w.th_examiner, id, protect_with_remedies).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "remedies");
    assert_eq!(app.audit_count().await, before, "refusals change nothing");

    let refused = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            refuse(json!({"remedies": remedies, "remedy_deadline": "2026-10-31"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["remedies"], remedies);
    assert_eq!(refused["remedy_deadline"], "2026-10-31");
    let events = expect(
        app.get(&format!("/api/v1/recognitions/{id}/events"), None)
            .await,
        200,
    )
    .await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["details"]["recognition"]["remedy_deadline"],
        "2026-10-31"
    );

    // Withdrawing the refusal protects, and the remedies go with the refusal.
    let protected = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "withdraw_refusal", "effective_on": "2026-10-01"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(protected["remedies"], serde_json::Value::Null);
    assert_eq!(protected["remedy_deadline"], serde_json::Value::Null);
    // As it stood in September, the refusal with its remedies.
    let list = expect(
        app.get("/api/v1/recognitions?as_of=2026-09-15", None).await,
        200,
    )
    .await;
    let then = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(then["status"], "refused", "{then}");
    assert_eq!(then["remedy_deadline"], "2026-10-31");
    assert_eq!(recognition(&app, id).await["status"], "protected");
}

/// A partner's decisions reach the origin office's work list (a refusal until its remedy
/// deadline, any decision for 30 days) and the association's deadlines ahead.
async fn the_origin_hears_back_until_the_remedies_close(app: TestApp) {
    let w = partners(&app).await;
    app.clock.set("2026-09-10T08:00:00Z".parse().unwrap());
    let (_, protected) = recognition_in(&app, &w, "protected").await;
    let (_, refused) = recognition_in(&app, &w, "published").await;
    expect(
        r_act(
            &app,
            &w.th_examiner,
            refused,
            json!({"action": "refuse", "effective_on": "2026-09-01", "grounds": "generic in Thailand",
                   "remedies": "A request for review to the GI Board", "remedy_deadline": "2026-10-31"}),
        )
        .await,
        200,
    )
    .await;
    let received = |token: String| {
        let app = &app;
        async move {
            let list = expect(app.get("/api/v1/worklist", Some(&token)).await, 200).await;
            list.as_array()
                .unwrap()
                .iter()
                .filter(|i| i["kind"] == "decision_received")
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let items = received(w.cn_examiner.clone()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let refusal = items
        .iter()
        .find(|i| i["recognition_id"] == refused)
        .unwrap();
    assert_eq!(refusal["next_step"], "consider_remedies");
    assert_eq!(refusal["deadline"], "2026-10-31");
    assert_eq!(
        refusal["note"],
        "refusal received from DIP: remedy deadline 2026-10-31"
    );
    let protection = items
        .iter()
        .find(|i| i["recognition_id"] == protected)
        .unwrap();
    assert_eq!(protection["next_step"], "note_decision");
    assert_eq!(protection["note"], "protection received from DIP");
    assert!(
        received(w.th_examiner.clone()).await.is_empty(),
        "not the partner's"
    );

    let notices = expect(app.get("/api/v1/notices", Some(&w.cn_assoc)).await, 200).await;
    let remedy = notices["deadlines_ahead"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["deadline"] == "remedy")
        .cloned()
        .unwrap_or_else(|| panic!("{notices}"));
    assert_eq!(remedy["date"], "2026-10-31");
    assert_eq!(remedy["recognition_id"], refused);

    // On the remedy deadline's own day the refusal is still to consider.
    app.clock.set("2026-10-31T08:00:00Z".parse().unwrap());
    let items = received(w.cn_examiner.clone()).await;
    assert_eq!(
        items.len(),
        1,
        "the protection is older than 30 days: {items:?}"
    );
    assert_eq!(items[0]["recognition_id"], refused);
    assert_eq!(items[0]["next_step"], "consider_remedies");
    // The remedy deadline has passed and the protection is two months old: both gone.
    app.clock.set("2026-11-01T08:00:00Z".parse().unwrap());
    assert!(received(w.cn_examiner.clone()).await.is_empty());
    let notices = expect(app.get("/api/v1/notices", Some(&w.cn_assoc)).await, 200).await;
    assert!(!notices["deadlines_ahead"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["deadline"] == "remedy"));
}

/// A publication dated more than 30 days before it is recorded must say where it can be
/// read, and the work list warns how much of its opposition period had run.
async fn a_publication_recorded_late_cites_its_gazette(app: TestApp) {
    let w = partners(&app).await;
    let late = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, late, "file", &days_from_today(-60)).await;
    // Only a publication or a registration cites a gazette.
    let error = assert_error(
        act(
            &app,
            &w.cn_examiner,
            late,
            json!({"action": "start_examination",
            "effective_on": days_from_today(-50), "publication_reference": "Gazette 1"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error["error"]["details"][0]["field"],
        "publication_reference"
    );
    act_ok(
        &app,
        &w.cn_examiner,
        late,
        "start_examination",
        &days_from_today(-50),
    )
    .await;
    let before = app.audit_count().await;
    let publish = json!({"action": "publish", "effective_on": days_from_today(-45)});
    let error = assert_error(
        act(&app, &w.cn_examiner, late, publish.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error["error"]["details"][0]["field"], "publication_reference",
        "{error}"
    );
    assert!(error["error"]["details"][0]["message"]
        .as_str()
        .unwrap()
        .contains("45 days"));
    assert_eq!(app.audit_count().await, before);
    let mut cited = publish.clone();
    cited["publication_reference"] = json!("CNIPA GI Announcement No. 31/2026, p. 4");
    let published = expect(act(&app, &w.cn_examiner, late, cited).await, 200).await;
    assert_eq!(
        published["publication_reference"],
        "CNIPA GI Announcement No. 31/2026, p. 4"
    );

    // A recent publication needs none.
    let recent = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, recent, "file", &days_from_today(-20)).await;
    act_ok(
        &app,
        &w.cn_examiner,
        recent,
        "start_examination",
        &days_from_today(-15),
    )
    .await;
    expect(
        act(
            &app,
            &w.cn_examiner,
            recent,
            json!({"action": "publish", "effective_on": days_from_today(-10)}),
        )
        .await,
        200,
    )
    .await;

    let worklist = expect(app.get("/api/v1/worklist", Some(&w.cn_examiner)).await, 200).await;
    let item = |id: i64| {
        worklist
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["gi_id"] == id && i["kind"] == "decide_application")
            .cloned()
            .unwrap()
    };
    let warning = item(late)["warning"].as_str().unwrap().to_string();
    assert!(warning.contains("45 days later"), "{warning}");
    assert!(warning.contains("15 day(s)"), "{warning}");
    assert_eq!(item(recent)["warning"], serde_json::Value::Null);

    // The partner phase: the same rule for the partner's publication.
    let (_, recognition_id) = recognition_in(&app, &w, "under_examination").await;
    let error = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            recognition_id,
            json!({"action": "publish", "effective_on": "2026-06-01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error["error"]["details"][0]["field"],
        "publication_reference"
    );
}

/// Lisbon Art. 5(6): a phase-out of at most two years where the programme says so, with
/// its beneficiaries; an invalidation names who decided it.
async fn phase_outs_and_invalidations_say_who_and_how_long(app: TestApp) {
    let w = partners(&app).await;
    let amended = expect(
        app.post(
            &format!("/api/v1/programmes/{CN_TH}/amendments"),
            Some(&w.admin),
            json!({"effective_on": "2021-03-01", "decision_reference": "Joint Committee Decision No 1/2021",
                   "changes": {"max_phase_out": "P2Y"}}),
        )
        .await,
        201,
    )
    .await;
    assert!(amended.to_string().contains("P24M"), "{amended}");
    let (_, id) = recognition_in(&app, &w, "published").await;
    let protect = |extra: serde_json::Value| {
        let mut body = json!({"action": "protect", "effective_on": TH_PROTECTED_ON});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let importers = json!(["Siam Tea Importers Co. (fictitious)"]);
    for (extra, field) in [
        (
            json!({"phase_out_until": "2099-12-31", "phase_out_beneficiaries": importers}),
            "phase_out_until",
        ),
        (
            json!({"phase_out_until": "2028-09-01", "phase_out_beneficiaries": importers}),
            "phase_out_until",
        ),
        (
            json!({"phase_out_until": "2028-08-31"}),
            "phase_out_beneficiaries",
        ),
        (
            json!({"phase_out_beneficiaries": importers}),
            "phase_out_until",
        ),
        (
            json!({"phase_out_until": "2028-08-31", "phase_out_beneficiaries": []}),
            "phase_out_beneficiaries",
        ),
        (json!({"deciding_authority": "DIP"}), "deciding_authority"),
    ] {
        let error = assert_error(
            r_act(&app, &w.th_examiner, id, protect(extra.clone())).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{extra}: {error}"
        );
    }
    // Two years to the day is the most.
    let protected = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            protect(json!({"phase_out_until": "2028-08-31", "phase_out_beneficiaries": importers})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(protected["phase_out_beneficiaries"], importers);

    let invalidate = json!({"action": "invalidate", "effective_on": "2026-10-01",
                            "grounds": "the name had become generic before protection"});
    let error = assert_error(
        r_act(&app, &w.th_examiner, id, invalidate.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "deciding_authority");
    let mut decided = invalidate.clone();
    decided["deciding_authority"] =
        json!("Central Intellectual Property and International Trade Court");
    let invalidated = expect(r_act(&app, &w.th_examiner, id, decided).await, 200).await;
    assert_eq!(invalidated["status"], "invalidated");
    assert_eq!(
        invalidated["deciding_authority"],
        "Central Intellectual Property and International Trade Court"
    );
}

/// Limitations and a phase-out are recorded with a protection or a refusal, not with a
/// withdrawal; a phase-out cannot end before the protection begins (it may end on its
/// first day), and each beneficiary is a name of 1 to 300 characters, not blank.
async fn limitations_and_phase_outs_are_checked_before_a_protection(app: TestApp) {
    let w = partners(&app).await;
    let (_, id) = recognition_in(&app, &w, "published").await;
    let before = app.audit_count().await;
    for extra in [
        json!({"limitations": "the translation 'Dragon Well tea' is not protected"}),
        json!({"phase_out_until": "2028-08-31"}),
    ] {
        let mut withdraw = json!({"action": "withdraw", "effective_on": TH_PROTECTED_ON,
                                  "grounds": "the association asked for it"});
        for (key, value) in extra.as_object().unwrap() {
            withdraw[key] = value.clone();
        }
        let error = assert_error(
            r_act(&app, &w.cn_examiner, id, withdraw).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], "limitations",
            "{extra}: {error}"
        );
    }
    let importers = json!(["Siam Tea Importers Co. (fictitious)"]);
    let protect = |until: &str, beneficiaries: &serde_json::Value| {
        json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
               "phase_out_until": until, "phase_out_beneficiaries": beneficiaries})
    };
    for (body, field) in [
        // The day before the protection (2026-08-31).
        (protect("2026-08-30", &importers), "phase_out_until"),
        (
            protect(TH_PROTECTED_ON, &json!(["  "])),
            "phase_out_beneficiaries",
        ),
        (
            protect(TH_PROTECTED_ON, &json!(["Siam Tea", "x".repeat(301)])),
            "phase_out_beneficiaries",
        ),
    ] {
        let error = assert_error(
            r_act(&app, &w.th_examiner, id, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{body}: {error}"
        );
    }
    assert_eq!(app.audit_count().await, before, "refusals change nothing");
    let longest = json!(["x".repeat(300)]);
    let protected = expect(
        r_act(&app, &w.th_examiner, id, protect(TH_PROTECTED_ON, &longest)).await,
        200,
    )
    .await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["phase_out_until"], TH_PROTECTED_ON);
    assert_eq!(protected["phase_out_beneficiaries"], longest);
}

/// Under a programme whose refusals follow Lisbon Rule 9, a refusal without remedies is
/// refused.
async fn a_lisbon_style_programme_refuses_only_with_remedies(app: TestApp) {
    let w = partners(&app).await;
    let mut body = programme_body("CN-TH-L", &["CNIPA", "DIP"], 365);
    body["lisbon_style_refusals"] = json!(true);
    let programme = create_programme(&app, &w.admin, body).await;
    assert_eq!(programme["lisbon_style_refusals"], true);
    let gi = gi_in(&app, &w, "registered").await;
    let id = submit_ok(&app, &w.cn_examiner, "CN-TH-L", gi, "DIP", "2026-05-10").await["id"]
        .as_i64()
        .unwrap();
    let refuse = json!({"action": "refuse", "effective_on": "2026-06-01", "grounds": "generic"});
    let error = assert_error(
        r_act(&app, &w.th_examiner, id, refuse.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "remedies");
    let mut with_remedies = refuse.clone();
    with_remedies["remedies"] = json!("An appeal to the GI Board");
    with_remedies["remedy_deadline"] = json!("2026-08-01");
    expect(r_act(&app, &w.th_examiner, id, with_remedies).await, 200).await;
}

/// Earlier rights are structured: a trademark with its number and classes.
async fn refusals_and_oppositions_name_their_earlier_rights(app: TestApp) {
    let w = partners(&app).await;
    let (_, id) = recognition_in(&app, &w, "published").await;
    let maotai = json!({"kind": "trademark", "number": "TH 181112345", "territory": "TH",
                        "owner": "Siam Baijiu Importers Co., Ltd. (fictitious)", "classes": [33]});
    let opposition = expect(
        oppose_recognition(
            &app,
            &w.th_examiner,
            id,
            json!({"opponent_name": "Siam Baijiu Importers Co., Ltd. (fictitious)",
                   "grounds": "prior trademark", "filed_on": "2026-07-01",
                   "earlier_rights": [maotai]}),
        )
        .await,
        201,
    )
    .await;
    let mut shown = maotai.clone();
    shown["description"] = serde_json::Value::Null;
    assert_eq!(opposition["earlier_rights"], json!([shown]));
    let before = app.audit_count().await;
    for (rights, field) in [
        (
            json!([{"kind": "trademark", "owner": "X"}]),
            "earlier_rights[0].number",
        ),
        (
            json!([{"kind": "trademark", "number": "1", "classes": [0]}]),
            "earlier_rights[0].classes",
        ),
        (json!([{"kind": "brand"}]), "earlier_rights[0].kind"),
    ] {
        let error = assert_error(
            r_act(
                &app,
                &w.th_examiner,
                id,
                json!({"action": "refuse", "effective_on": "2026-09-01",
                  "grounds": "prior trademark", "earlier_rights": rights}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        let named = error["error"]["details"][0]["field"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            named.starts_with(field) || named == "earlier_rights",
            "{field}: {error}"
        );
    }
    let error = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect",
              "effective_on": "2026-09-01", "earlier_rights": [maotai]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "earlier_rights");
    assert_eq!(app.audit_count().await, before);
    // The opposition is upheld: the recognition is refused on the trademark.
    let oid = opposition["id"].as_i64().unwrap();
    expect(
        app.post(
            &format!("/api/v1/oppositions/{oid}/actions"),
            Some(&w.th_examiner),
            json!({"action": "reject", "grounds": "no likelihood of confusion", "effective_on": "2026-08-01"}),
        )
        .await,
        200,
    )
    .await;
    let refused = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "refuse", "effective_on": "2026-09-01",
              "grounds": "the earlier GI Moutai of another origin", "earlier_rights": [
                  {"kind": "gi", "number": "TH-GI-2019-000001", "territory": "TH"}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refused["earlier_rights"][0]["kind"], "gi");
    assert_eq!(refused["earlier_rights"][0]["number"], "TH-GI-2019-000001");
}
