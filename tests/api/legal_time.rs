//! Legal time as offices count it (issue 11): "today" in the acting office's time zone,
//! holidays and weekends that move deadlines, periods in months, iCalendar imports,
//! decision periods enforced, and the work list's deadlines and next steps.

use std::process::Command;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    create_programme, id_of, partners, programme_body, r_act, r_act_ok, r_events, recognition,
    recognition_in, submit_ok, CN_TH, SUBMITTED_ON,
};
use crate::register::{
    act, act_ok, create_gi_id, doi_tung, expect, get_ok, gi, gi_in, longjing, world, World,
    EXAMINED_ON, FILED_ON,
};

both_backends!(
    today_is_the_local_date_of_the_office_that_acts,
    a_deadline_on_labour_day_rolls_past_the_holidays_and_the_weekend,
    holidays_are_set_by_their_own_office,
    periods_in_months_clamp_to_the_month_end,
    an_ics_file_brings_a_recurring_and_a_single_holiday,
    a_refusal_after_the_decision_period_is_refused,
    the_work_list_shows_both_deadlines_and_the_next_step,
    programme_terms_change_by_dated_amendments,
    an_amendment_for_pending_recognitions_moves_the_deadlines_it_reaches,
    reads_default_to_the_local_date,
    the_sweep_counts_on_the_partners_date,
);

fn at(instant: &str) -> DateTime<Utc> {
    instant.parse().unwrap()
}

async fn patch_office(app: &TestApp, admin: &str, code: &str, body: Value) -> Value {
    expect(
        app.patch(&format!("/api/v1/offices/{code}"), Some(admin), body)
            .await,
        200,
    )
    .await
}

async fn office_admin(app: &TestApp, w: &World, username: &str, office: &str) -> String {
    app.user_token(
        &w.admin,
        json!({"username": username, "role": "office_admin", "office": office}),
    )
    .await
}

async fn add_holidays(app: &TestApp, token: &str, code: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/offices/{code}/holidays"),
        Some(token),
        body,
    )
    .await
}

/// A new Doi Tung application (DIP), drafted, not filed.
async fn th_draft(app: &TestApp, w: &World) -> i64 {
    create_gi_id(app, &w.th_assoc, doi_tung(w.th_association)).await
}

async fn today_is_the_local_date_of_the_office_that_acts(app: TestApp) {
    let w = partners(&app).await;
    let dip = patch_office(&app, &w.admin, "DIP", json!({"time_zone": "Asia/Bangkok"})).await;
    assert_eq!(dip["time_zone"], "Asia/Bangkok");

    // 00:02 on 29 November in Bangkok; still 28 November in UTC (CNIPA's zone here).
    app.clock.set(at("2026-11-28T17:02:00Z"));
    let th = th_draft(&app, &w).await;
    let filed = act_ok(&app, &w.th_assoc, th, "file", "2026-11-29").await;
    assert_eq!(filed["filed_on"], "2026-11-29");
    // Without a date, the legal date is Bangkok's.
    let th = th_draft(&app, &w).await;
    let filed = expect(
        act(&app, &w.th_assoc, th, json!({"action": "file"})).await,
        200,
    )
    .await;
    assert_eq!(filed["filed_on"], "2026-11-29");
    // At CNIPA (UTC) the same instant is the 28th: the 29th is in the future.
    let cn = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let err = assert_error(
        act(
            &app,
            &w.cn_assoc,
            cn,
            json!({"action": "file", "effective_on": "2026-11-29"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err.to_string().contains("today is 2026-11-28"), "{err}");

    // In the partner phase DIP acts on Bangkok's date.
    let (_, id) = recognition_in(&app, &w, "submitted").await;
    let examined = r_act_ok(&app, &w.th_examiner, id, "start_examination", "2026-11-29").await;
    assert_eq!(examined["status"], "under_examination");

    // Three minutes earlier it is still the 28th in Bangkok.
    app.clock.set(at("2026-11-28T16:59:00Z"));
    let th = th_draft(&app, &w).await;
    assert_error(
        act(
            &app,
            &w.th_assoc,
            th,
            json!({"action": "file", "effective_on": "2026-11-29"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let filed = expect(
        act(&app, &w.th_assoc, th, json!({"action": "file"})).await,
        200,
    )
    .await;
    assert_eq!(filed["filed_on"], "2026-11-28");

    // Unknown zones are refused.
    let err = assert_error(
        app.patch(
            "/api/v1/offices/DIP",
            Some(&w.admin),
            json!({"time_zone": "Asia/Atlantis"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err.to_string().contains("time_zone"), "{err}");
}

/// CNIPA with China's calendar: a Saturday–Sunday weekend and the Labour Day holidays
/// of 2026 (1–5 May).
async fn chinese_calendar(app: &TestApp, w: &World) {
    patch_office(
        app,
        &w.admin,
        "CNIPA",
        json!({"time_zone": "Asia/Shanghai", "weekend": ["sat", "sun"]}),
    )
    .await;
    let dates: Vec<String> = (1..=5).map(|d| format!("2026-05-0{d}")).collect();
    expect(
        add_holidays(
            app,
            &w.admin,
            "CNIPA",
            json!({"dates": dates, "label": "Labour Day"}),
        )
        .await,
        201,
    )
    .await;
}

async fn a_deadline_on_labour_day_rolls_past_the_holidays_and_the_weekend(app: TestApp) {
    let w = world(&app).await;
    chinese_calendar(&app, &w).await;
    // Published 2026-03-02: 60 days end on Friday 1 May; 1–5 May are holidays, so the
    // deadline is Wednesday 6 May.
    let id = gi_in(&app, &w, "published").await;
    let published = gi(&app, None, id).await;
    assert_eq!(published["opposition_deadline"], "2026-05-06");
    assert_eq!(
        published["opposition_deadline_basis"],
        json!({"date": "2026-05-06", "from": "2026-03-02", "period": "P60D", "rolled_from": "2026-05-01"})
    );
    // The moved deadline day is still in the period; registration comes the day after.
    let err = assert_error(
        act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "register", "effective_on": "2026-05-06"}),
        )
        .await,
        409,
        "deadline_not_passed",
    )
    .await;
    assert_eq!(err["error"]["details"]["earliest"], "2026-05-07", "{err}");
    let registered = act_ok(&app, &w.cn_examiner, id, "register", "2026-05-07").await;
    assert_eq!(registered["status"], "registered");

    // A deadline on a working day does not move: published 2026-02-27 (a Friday),
    // 60 days end on Tuesday 28 April.
    let other = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, other, "file", FILED_ON).await;
    act_ok(
        &app,
        &w.cn_examiner,
        other,
        "start_examination",
        EXAMINED_ON,
    )
    .await;
    let published = act_ok(&app, &w.cn_examiner, other, "publish", "2026-02-27").await;
    assert_eq!(published["opposition_deadline"], "2026-04-28");
    assert_eq!(
        published["opposition_deadline_basis"]["rolled_from"],
        Value::Null
    );

    // An office that does not roll keeps the period's last day.
    let cnipa = patch_office(
        &app,
        &w.admin,
        "CNIPA",
        json!({"deadline_rolls_forward": false}),
    )
    .await;
    assert_eq!(cnipa["deadline_rolls_forward"], false);
    let fixed = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, fixed, "file", FILED_ON).await;
    act_ok(
        &app,
        &w.cn_examiner,
        fixed,
        "start_examination",
        EXAMINED_ON,
    )
    .await;
    let published = act_ok(&app, &w.cn_examiner, fixed, "publish", "2026-03-02").await;
    assert_eq!(published["opposition_deadline"], "2026-05-01");
    assert_eq!(
        published["opposition_deadline_basis"]["rolled_from"],
        Value::Null
    );

    // Thailand: Labour Day is Friday 1 May alone, then the weekend, then Coronation Day
    // on Monday 4 May. DIP's 90 days from 31 January end on 1 May and move to Tuesday 5.
    patch_office(&app, &w.admin, "DIP", json!({"weekend": ["sat", "sun"]})).await;
    for (date, label) in [
        ("2026-05-01", "National Labour Day"),
        ("2026-05-04", "Coronation Day"),
    ] {
        expect(
            add_holidays(
                &app,
                &w.admin,
                "DIP",
                json!({"dates": [date], "label": label}),
            )
            .await,
            201,
        )
        .await;
    }
    let th = th_draft(&app, &w).await;
    act_ok(&app, &w.th_assoc, th, "file", FILED_ON).await;
    act_ok(&app, &w.th_examiner, th, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.th_examiner, th, "publish", "2026-01-31").await;
    assert_eq!(
        published["opposition_deadline_basis"],
        json!({"date": "2026-05-05", "from": "2026-01-31", "period": "P90D", "rolled_from": "2026-05-01"})
    );
}

async fn holidays_are_set_by_their_own_office(app: TestApp) {
    let w = world(&app).await;
    let cn_admin = office_admin(&app, &w, "cn-admin", "CNIPA").await;
    let th_admin = office_admin(&app, &w, "th-admin", "DIP").await;
    let body = json!({"dates": ["2026-10-01", "2026-10-02"], "label": "National Day"});
    let before = app.audit_count().await;
    // Another office's admin, an examiner, an association: 403, even with a bad body.
    for token in [&th_admin, &w.cn_examiner, &w.cn_assoc, &w.auditor] {
        assert_error(
            add_holidays(&app, token, "CNIPA", body.clone()).await,
            403,
            "forbidden",
        )
        .await;
        assert_error(
            add_holidays(&app, token, "CNIPA", json!({"dates": "soon"})).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before);
    // The office's own admin may; a bad body is then a 422.
    assert_error(
        add_holidays(&app, &cn_admin, "CNIPA", json!({"dates": []})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        add_holidays(&app, &cn_admin, "CNIPA", json!({"dates": ["2026-02-30"]})).await,
        422,
        "validation_failed",
    )
    .await;
    let added = expect(
        add_holidays(&app, &cn_admin, "CNIPA", body.clone()).await,
        201,
    )
    .await;
    assert_eq!(
        added["items"],
        json!([
            {"date": "2026-10-01", "label": "National Day", "yearly": false},
            {"date": "2026-10-02", "label": "National Day", "yearly": false},
        ])
    );
    // Adding a listed date again relabels it.
    expect(
        add_holidays(
            &app,
            &w.admin,
            "CNIPA",
            json!({"dates": ["2026-10-02"], "label": "National Day (2)"}),
        )
        .await,
        201,
    )
    .await;
    let listed = get_ok(&app, "/api/v1/offices/CNIPA/holidays", None).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(listed["items"][1]["label"], "National Day (2)");
    assert_eq!(
        get_ok(&app, "/api/v1/offices/DIP/holidays", None).await["items"],
        json!([])
    );
    assert_error(
        app.get("/api/v1/offices/NOPE/holidays", None).await,
        404,
        "not_found",
    )
    .await;

    let delete = |token: String, path: &'static str| {
        let app = &app;
        async move {
            app.request(Method::DELETE, path, Some(&token))
                .send()
                .await
                .unwrap()
        }
    };
    assert_error(
        delete(
            th_admin.clone(),
            "/api/v1/offices/CNIPA/holidays/2026-10-01",
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let removed = delete(
        cn_admin.clone(),
        "/api/v1/offices/CNIPA/holidays/2026-10-01",
    )
    .await;
    assert_eq!(removed.status(), 204);
    assert_error(
        delete(
            cn_admin.clone(),
            "/api/v1/offices/CNIPA/holidays/2026-10-01",
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        delete(cn_admin, "/api/v1/offices/CNIPA/holidays/someday").await,
        404,
        "not_found",
    )
    .await;
    let listed = get_ok(&app, "/api/v1/offices/CNIPA/holidays", None).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

async fn periods_in_months_clamp_to_the_month_end(app: TestApp) {
    let w = partners(&app).await;
    // GIs registered at home on CNIPA's 60 days, before its period changes.
    let (_, rid) = recognition_in(&app, &w, "under_examination").await;
    let cn = gi_in(&app, &w, "registered").await;
    let cnipa = patch_office(&app, &w.admin, "CNIPA", json!({"opposition_period": "P2M"})).await;
    assert_eq!(cnipa["opposition_period"], "P2M");
    assert_eq!(cnipa["opposition_period_days"], Value::Null);
    let dip = patch_office(&app, &w.admin, "DIP", json!({"opposition_period": "P3M"})).await;
    assert_eq!(dip["opposition_period"], "P3M");

    // CNIPA: published 31 July, two months end on 30 September.
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.cn_examiner, id, "publish", "2026-07-31").await;
    assert_eq!(published["opposition_deadline"], "2026-09-30");
    assert_eq!(published["opposition_deadline_basis"]["period"], "P2M");
    // DIP: published 31 March, three months end on 30 June.
    let th = th_draft(&app, &w).await;
    act_ok(&app, &w.th_assoc, th, "file", FILED_ON).await;
    act_ok(&app, &w.th_examiner, th, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.th_examiner, th, "publish", "2026-03-31").await;
    assert_eq!(published["opposition_deadline"], "2026-06-30");
    // DIP publishing a recognition counts its own three months.
    let published = r_act_ok(&app, &w.th_examiner, rid, "publish", "2026-05-31").await;
    assert_eq!(published["opposition_deadline"], "2026-08-31");

    // The older field still works, and is shown for periods in days.
    let cnipa = patch_office(
        &app,
        &w.admin,
        "CNIPA",
        json!({"opposition_period_days": 60}),
    )
    .await;
    assert_eq!(cnipa["opposition_period"], "P60D");
    assert_eq!(cnipa["opposition_period_days"], 60);
    for bad in [
        json!({"opposition_period": "P2Y"}),
        json!({"opposition_period": "2 months"}),
        json!({"opposition_period": "P121M"}),
        json!({"opposition_period": "P2M", "opposition_period_days": 60}),
    ] {
        assert_error(
            app.patch("/api/v1/offices/CNIPA", Some(&w.admin), bad)
                .await,
            422,
            "validation_failed",
        )
        .await;
    }

    // A programme's decision period in months: twelve months from 31 May 2026.
    let mut body = programme_body("CN-TH-M", &["CNIPA", "DIP"], 365);
    body.as_object_mut().unwrap().remove("decision_period_days");
    body["decision_period"] = json!("P12M");
    let programme = create_programme(&app, &w.admin, body).await;
    assert_eq!(programme["decision_period"], "P12M");
    assert_eq!(programme["decision_period_days"], Value::Null);
    let r = submit_ok(&app, &w.cn_examiner, "CN-TH-M", cn, "DIP", "2026-05-31").await;
    assert_eq!(r["decision_deadline"], "2027-05-31");
    assert_eq!(
        r["decision_deadline_basis"],
        json!({"date": "2027-05-31", "from": "2026-05-31", "period": "P12M", "rolled_from": null})
    );
    // Given both ways, the period and the days must agree.
    let mut both = programme_body("CN-TH-B", &["CNIPA", "DIP"], 365);
    both["decision_period"] = json!("P12M");
    let error = assert_error(
        app.post("/api/v1/programmes", Some(&w.admin), both.clone())
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "decision_period");
    both["decision_period"] = json!("P365D");
    let agreed = create_programme(&app, &w.admin, both).await;
    assert_eq!(agreed["decision_period"], "P365D");
    let legacy = get_ok(&app, &format!("/api/v1/programmes/{CN_TH}"), None).await;
    assert_eq!(legacy["decision_period"], "P365D");
    assert_eq!(legacy["decision_period_days"], 365);
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Holidays//EN\r\n\
BEGIN:VEVENT\r\nUID:labour@test\r\nDTSTART;VALUE=DATE:20260501\r\nSUMMARY:Labour Day\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:national@test\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261002\r\nSUMMARY:National Day\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

async fn holidays_import(
    app: &TestApp,
    code: &str,
    file: &std::path::Path,
) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terroir"));
    command
        .args(["holidays", "import", code])
        .arg(file)
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

async fn an_ics_file_brings_a_recurring_and_a_single_holiday(app: TestApp) {
    let w = world(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cn-2026.ics");
    std::fs::write(&file, ICS).unwrap();
    let output = holidays_import(&app, "CNIPA", &file).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("2 holiday(s) imported"), "{stdout}");
    let listed = get_ok(&app, "/api/v1/offices/CNIPA/holidays", None).await;
    assert_eq!(
        listed["items"],
        json!([
            {"date": "2026-05-01", "label": "Labour Day", "yearly": true},
            {"date": "2026-10-01", "label": "National Day", "yearly": false},
        ])
    );
    // A file that is not iCalendar, or an unknown office, changes nothing.
    std::fs::write(&file, "not a calendar").unwrap();
    let output = holidays_import(&app, "CNIPA", &file).await;
    assert!(!output.status.success());
    std::fs::write(&file, ICS).unwrap();
    let output = holidays_import(&app, "NOPE", &file).await;
    assert!(!output.status.success());
    assert_eq!(
        get_ok(&app, "/api/v1/offices/CNIPA/holidays", None).await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Labour Day recurs: a deadline on 1 May 2027 moves to the 2nd (CNIPA works every
    // other day in these tests); the single holiday moves a deadline on 1 October 2026.
    app.clock.set(at("2027-04-01T04:00:00Z"));
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.cn_examiner, id, "publish", "2027-03-02").await;
    assert_eq!(published["opposition_deadline"], "2027-05-02");
    assert_eq!(
        published["opposition_deadline_basis"]["rolled_from"],
        "2027-05-01"
    );
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.cn_examiner, id, "publish", "2026-08-02").await;
    assert_eq!(published["opposition_deadline"], "2026-10-02");
    // 1 October 2027 is an ordinary day.
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    app.clock.set(at("2027-08-10T04:00:00Z"));
    let published = act_ok(&app, &w.cn_examiner, id, "publish", "2027-08-02").await;
    assert_eq!(published["opposition_deadline"], "2027-10-01");
}

async fn refusal_on(app: &TestApp, w: &World, id: i64, on: &str) -> reqwest::Response {
    r_act(
        app,
        &w.th_examiner,
        id,
        json!({"action": "refuse", "effective_on": on, "grounds": "generic term in Thailand"}),
    )
    .await
}

/// A registered Longjing submitted to DIP under `programme` on `SUBMITTED_ON` and taken
/// into examination.
async fn examined_under(app: &TestApp, w: &World, programme: &str) -> i64 {
    let gi_id = gi_in(app, w, "registered").await;
    let id = id_of(&submit_ok(app, &w.cn_examiner, programme, gi_id, "DIP", SUBMITTED_ON).await);
    r_act_ok(app, &w.th_examiner, id, "start_examination", "2026-05-12").await;
    id
}

async fn a_refusal_after_the_decision_period_is_refused(app: TestApp) {
    let w = partners(&app).await;
    // Ten days from 2026-05-10: the partner decides by 2026-05-20.
    create_programme(
        &app,
        &w.admin,
        programme_body("SHORT", &["CNIPA", "DIP"], 10),
    )
    .await;
    let late = examined_under(&app, &w, "SHORT").await;
    assert_eq!(
        recognition(&app, late).await["decision_deadline"],
        "2026-05-20"
    );
    let before = app.audit_count().await;
    let err = assert_error(
        refusal_on(&app, &w, late, "2026-05-21").await,
        409,
        "decision_period_expired",
    )
    .await;
    assert_eq!(
        err["error"]["details"]["decision_deadline"], "2026-05-20",
        "{err}"
    );
    assert_eq!(app.audit_count().await, before);
    assert_eq!(recognition(&app, late).await["status"], "under_examination");
    // On the deadline day itself the refusal is in time.
    let in_time = examined_under(&app, &w, "SHORT").await;
    let refused = expect(refusal_on(&app, &w, in_time, "2026-05-20").await, 200).await;
    assert_eq!(refused["status"], "refused");

    // A programme whose text allows late refusals.
    let mut body = programme_body("LATE", &["CNIPA", "DIP"], 10);
    body["refusal_after_deadline"] = json!(true);
    assert_eq!(
        create_programme(&app, &w.admin, body).await["refusal_after_deadline"],
        true
    );
    let allowed = examined_under(&app, &w, "LATE").await;
    expect(refusal_on(&app, &w, allowed, "2026-05-21").await, 200).await;

    // Under tacit protection a late refusal is refused whatever the programme says.
    let mut body = programme_body("TACIT", &["CNIPA", "DIP"], 10);
    body["tacit_protection"] = json!(true);
    body["refusal_after_deadline"] = json!(true);
    create_programme(&app, &w.admin, body).await;
    let tacit = examined_under(&app, &w, "TACIT").await;
    assert_error(
        refusal_on(&app, &w, tacit, "2026-05-21").await,
        409,
        "decision_period_expired",
    )
    .await;
    // Nor may it be published late, out of the sweep's reach, nor examined late.
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            tacit,
            json!({"action": "publish", "effective_on": "2026-05-21"}),
        )
        .await,
        409,
        "decision_period_expired",
    )
    .await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let submitted =
        id_of(&submit_ok(&app, &w.cn_examiner, "TACIT", gi_id, "DIP", SUBMITTED_ON).await);
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            submitted,
            json!({"action": "start_examination", "effective_on": "2026-05-21"}),
        )
        .await,
        409,
        "decision_period_expired",
    )
    .await;
    // Outside tacit protection, a late examination is only late.
    let gi_id = gi_in(&app, &w, "registered").await;
    let plain = id_of(&submit_ok(&app, &w.cn_examiner, "SHORT", gi_id, "DIP", SUBMITTED_ON).await);
    r_act_ok(
        &app,
        &w.th_examiner,
        plain,
        "start_examination",
        "2026-05-21",
    )
    .await;
    expect(refusal_on(&app, &w, tacit, "2026-05-20").await, 200).await;
}

async fn the_work_list_shows_both_deadlines_and_the_next_step(app: TestApp) {
    let w = partners(&app).await;
    let (_, id) = recognition_in(&app, &w, "published").await;
    let item = |list: Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|i| i["recognition_id"] == id && i["kind"] == "decide_recognition")
            .cloned()
            .unwrap_or_else(|| panic!("{list}"))
    };
    // The opposition deadline (2026-08-30) is the last day of the period.
    app.clock.set(at("2026-08-30T12:00:00Z"));
    let entry = item(get_ok(&app, "/api/v1/worklist", Some(&w.th_examiner)).await);
    assert_eq!(entry["opposition_deadline"], "2026-08-30", "{entry}");
    assert_eq!(entry["decision_deadline"], "2027-05-10", "{entry}");
    assert_eq!(entry["next_step"], "await_opposition_deadline", "{entry}");
    // Each with how it was computed.
    assert_eq!(
        entry["opposition_deadline_basis"],
        json!({"date": "2026-08-30", "from": "2026-06-01", "period": "P90D", "rolled_from": null}),
        "{entry}"
    );
    assert_eq!(
        entry["decision_deadline_basis"],
        json!({"date": "2027-05-10", "from": "2026-05-10", "period": "P365D", "rolled_from": null}),
        "{entry}"
    );
    app.clock.set(at("2026-08-31T12:00:00Z"));
    let entry = item(get_ok(&app, "/api/v1/worklist", Some(&w.th_examiner)).await);
    assert_eq!(entry["next_step"], "protect_or_refuse", "{entry}");
    assert_eq!(entry["overdue"], false, "{entry}");
    // A submitted recognition waits for examination.
    let (_, submitted) = recognition_in(&app, &w, "submitted").await;
    let entry = recognition_item(&app, &w.th_examiner, submitted).await;
    assert_eq!(entry["next_step"], "start_examination", "{entry}");
    assert_eq!(entry["opposition_deadline"], Value::Null, "{entry}");
    // One under examination is published or refused next.
    let (_, examined) = recognition_in(&app, &w, "under_examination").await;
    let entry = recognition_item(&app, &w.th_examiner, examined).await;
    assert_eq!(entry["next_step"], "publish_or_refuse", "{entry}");

    // The home office's own applications, each with its next step; a published one
    // waits out its opposition period, the deadline day included.
    let filed = gi_in(&app, &w, "filed").await;
    let under_examination = gi_in(&app, &w, "under_examination").await;
    let published = gi_in(&app, &w, "published").await;
    let opposition_deadline = gi(&app, Some(&w.cn_examiner), published).await
        ["opposition_deadline"]
        .as_str()
        .unwrap()
        .to_string();
    let application = |list: &Value, id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|i| i["gi_id"] == id && i["recognition_id"].is_null())
            .cloned()
            .unwrap_or_else(|| panic!("{id} not in {list}"))
    };
    app.clock
        .set(at(&format!("{opposition_deadline}T12:00:00Z")));
    let list = get_ok(&app, "/api/v1/worklist", Some(&w.cn_examiner)).await;
    for (id, kind, deadline, next_step) in [
        (
            filed,
            "examine_application",
            Value::Null,
            "start_examination",
        ),
        (
            under_examination,
            "examine_application",
            Value::Null,
            "publish_or_refuse",
        ),
        (
            published,
            "decide_application",
            json!(opposition_deadline),
            "await_opposition_deadline",
        ),
    ] {
        let entry = application(&list, id);
        assert_eq!(entry["kind"], kind, "{entry}");
        assert_eq!(entry["deadline"], deadline, "{entry}");
        assert_eq!(entry["next_step"], next_step, "{entry}");
    }
    app.clock
        .set(at(&format!("{opposition_deadline}T12:00:00Z")) + chrono::Duration::days(1));
    let list = get_ok(&app, "/api/v1/worklist", Some(&w.cn_examiner)).await;
    let entry = application(&list, published);
    assert_eq!(entry["next_step"], "register_or_refuse", "{entry}");
    assert_eq!(entry["deadline"], json!(opposition_deadline), "{entry}");
}

/// The work list item of a recognition, as `token`'s office reads it.
async fn recognition_item(app: &TestApp, token: &str, recognition_id: i64) -> Value {
    let list = get_ok(app, "/api/v1/worklist", Some(token)).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["recognition_id"] == recognition_id)
        .cloned()
        .unwrap_or_else(|| panic!("{recognition_id} not in {list}"))
}

async fn amend_terms(app: &TestApp, token: &str, code: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/programmes/{code}/amendments"),
        Some(token),
        body,
    )
    .await
}

/// Runs `terroir sweep` once (on the real clock) and returns its report line.
async fn sweep(app: &TestApp) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terroir"));
    command
        .arg("sweep")
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

async fn programme_terms_change_by_dated_amendments(app: TestApp) {
    let w = partners(&app).await;
    // Terms are never edited in place; the title is.
    let err = assert_error(
        app.patch(
            &format!("/api/v1/programmes/{CN_TH}"),
            Some(&w.admin),
            json!({"tacit_protection": true}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err.to_string().contains("/amendments"), "{err}");
    let renamed = expect(
        app.patch(
            &format!("/api/v1/programmes/{CN_TH}"),
            Some(&w.admin),
            json!({"title": "China–Thailand GI recognition"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(renamed["tacit_protection"], false);

    // Ten days to decide, no tacit protection, until a Joint Committee decision.
    create_programme(&app, &w.admin, programme_body("JC", &["CNIPA", "DIP"], 10)).await;
    let tacit = json!({"effective_on": "2026-06-01", "decision_reference": "Joint Committee Decision No 1/2026",
                       "changes": {"tacit_protection": true}, "applies_to_pending": true});
    for token in [&w.th_examiner, &w.cn_examiner, &w.auditor] {
        assert_error(
            amend_terms(&app, token, "JC", json!({"changes": 1})).await,
            403,
            "forbidden",
        )
        .await;
    }
    for bad in [
        json!({"effective_on": "2026-06-01", "decision_reference": "x", "changes": {}}),
        json!({"effective_on": "2026-06-01", "decision_reference": "x", "changes": {"title": "y"}}),
        json!({"effective_on": "2026-06-01", "decision_reference": " ", "changes": {"tacit_protection": true}}),
        json!({"effective_on": "2026-06-01", "decision_reference": "x", "changes": {"decision_period": "P0D"}}),
    ] {
        assert_error(
            amend_terms(&app, &w.admin, "JC", bad).await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_error(
        amend_terms(&app, &w.admin, "NOPE", tacit.clone()).await,
        404,
        "not_found",
    )
    .await;

    // Recognitions submitted before the decision: one whose deadline (2026-05-20) falls
    // before it took effect, one whose deadline (2026-06-04) falls after.
    let before = gi_in(&app, &w, "registered").await;
    let before = id_of(&submit_ok(&app, &w.cn_examiner, "JC", before, "DIP", "2026-05-10").await);
    let reached = gi_in(&app, &w, "registered").await;
    let reached = id_of(&submit_ok(&app, &w.cn_examiner, "JC", reached, "DIP", "2026-05-25").await);
    let amended = expect(amend_terms(&app, &w.admin, "JC", tacit).await, 201).await;
    assert_eq!(amended["tacit_protection"], true, "{amended}");
    assert_eq!(
        amended["history"][0]["decision_reference"],
        "Joint Committee Decision No 1/2026"
    );
    // Submitted after it took effect: governed by it.
    let after = gi_in(&app, &w, "registered").await;
    let after = id_of(&submit_ok(&app, &w.cn_examiner, "JC", after, "DIP", "2026-06-02").await);

    // The same decision without applies_to_pending reaches no pending recognition.
    create_programme(&app, &w.admin, programme_body("JC2", &["CNIPA", "DIP"], 10)).await;
    let kept = gi_in(&app, &w, "registered").await;
    let kept = id_of(&submit_ok(&app, &w.cn_examiner, "JC2", kept, "DIP", "2026-05-25").await);
    expect(
        amend_terms(
            &app,
            &w.admin,
            "JC2",
            json!({"effective_on": "2026-06-01", "decision_reference": "JC Decision No 2/2026",
                   "changes": {"tacit_protection": true}}),
        )
        .await,
        201,
    )
    .await;

    let report = sweep(&app).await;
    assert!(report.contains("2 recognition(s) protected"), "{report}");
    assert_eq!(recognition(&app, before).await["status"], "submitted");
    assert_eq!(recognition(&app, kept).await["status"], "submitted");
    let protected = recognition(&app, reached).await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["protected_from"], "2026-06-04");
    assert_eq!(
        recognition(&app, after).await["protected_from"],
        "2026-06-12"
    );

    // Terms as of a date; a decision taking effect later shows only from then.
    expect(
        amend_terms(
            &app,
            &w.admin,
            "JC",
            json!({"effective_on": "2099-01-01", "decision_reference": "JC Decision No 9/2098",
                   "changes": {"decision_period": "P18M", "refusal_after_deadline": true}}),
        )
        .await,
        201,
    )
    .await;
    let on = |date: &'static str| {
        let app = &app;
        async move { get_ok(app, &format!("/api/v1/programmes/JC?as_of={date}"), None).await }
    };
    let may = on("2026-05-31").await;
    assert_eq!(
        (may["tacit_protection"].clone(), may["as_of"].clone()),
        (json!(false), json!("2026-05-31"))
    );
    assert_eq!(on("2026-06-01").await["tacit_protection"], true);
    let now = get_ok(&app, "/api/v1/programmes/JC", None).await;
    assert_eq!(now["decision_period"], "P10D");
    assert_eq!(now["history"].as_array().unwrap().len(), 2, "{now}");
    let later = on("2099-01-01").await;
    assert_eq!(later["decision_period"], "P18M");
    assert_eq!(later["refusal_after_deadline"], true);
    assert_error(
        app.get("/api/v1/programmes/JC?as_of=someday", None).await,
        422,
        "validation_failed",
    )
    .await;
}

/// A programme of three months to decide, on the test offices' plain calendars.
fn three_months(code: &str, tacit: bool) -> Value {
    let mut body = programme_body(code, &["CNIPA", "DIP"], 1);
    body.as_object_mut().unwrap().remove("decision_period_days");
    body["decision_period"] = json!("P3M");
    body["tacit_protection"] = json!(tacit);
    body
}

/// The tacit-protection sweep, run as the server runs it, at the server clock's "now".
async fn sweep_now(app: &TestApp) -> Vec<i64> {
    let db = app.database();
    let now = app.clock.now();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            terroir::registry::recognition_lifecycle::sweep_tacit_protection(conn, now)
        })
        .unwrap()
        .protected
    })
    .await
    .unwrap()
}

async fn an_amendment_for_pending_recognitions_moves_the_deadlines_it_reaches(app: TestApp) {
    let w = partners(&app).await;
    app.clock.set(at("2026-08-01T04:00:00Z"));
    create_programme(&app, &w.admin, three_months("P3", false)).await;
    create_programme(&app, &w.admin, three_months("P3T", true)).await;
    let submit = |programme: &'static str, on: &'static str| {
        let (app, w) = (&app, &w);
        async move {
            let gi_id = gi_in(app, w, "registered").await;
            id_of(&submit_ok(app, &w.cn_examiner, programme, gi_id, "DIP", on).await)
        }
    };
    // Deadlines 2026-08-05 (before the amendment takes effect) and 2026-09-10 (after).
    let passed = submit("P3", "2026-05-05").await;
    let reached = submit("P3", "2026-06-10").await;
    let tacit_passed = submit("P3T", "2026-05-05").await;
    let tacit_reached = submit("P3T", "2026-06-10").await;
    assert_eq!(
        recognition(&app, reached).await["decision_deadline"],
        "2026-09-10"
    );

    // Adopted on 1 August, in force on 1 September: six months, for pending ones too.
    for (code, moved) in [("P3", reached), ("P3T", tacit_reached)] {
        let audit = app.audit_count().await;
        let amended = expect(
            amend_terms(
                &app,
                &w.admin,
                code,
                json!({"effective_on": "2026-09-01", "decision_reference": "Joint Committee Decision No 2/2026",
                       "changes": {"decision_period": "P6M"}, "applies_to_pending": true}),
            )
            .await,
            201,
        )
        .await;
        // Not in force yet today.
        assert_eq!(amended["decision_period"], "P3M", "{amended}");
        // The audit entry names each deadline that moved, and only those.
        let entry = app.audit_after(audit).await.pop().unwrap();
        assert_eq!(entry.action, "programme.amendment");
        assert_eq!(
            entry.payload["decision_deadlines_moved"],
            json!([{"recognition_id": moved, "from": "2026-09-10", "to": "2026-12-10"}])
        );
    }
    let on_sept = get_ok(&app, "/api/v1/programmes/P3?as_of=2026-09-01", None).await;
    assert_eq!(on_sept["decision_period"], "P6M");
    // The stored deadline it reaches moved at once, with its basis; the other did not.
    for id in [reached, tacit_reached] {
        let r = recognition(&app, id).await;
        assert_eq!(r["decision_deadline"], "2026-12-10", "{r}");
        assert_eq!(r["decision_deadline_basis"]["period"], "P6M", "{r}");
        assert_eq!(r["decision_deadline_basis"]["from"], "2026-06-10", "{r}");
    }
    for id in [passed, tacit_passed] {
        let r = recognition(&app, id).await;
        assert_eq!(r["decision_deadline"], "2026-08-05", "{r}");
        assert_eq!(r["decision_deadline_basis"]["period"], "P3M", "{r}");
    }
    // The move is an event of the recognition, dated today (the amendment is not in
    // force yet), naming the decision; the lists as of a date read it.
    let history = get_ok(
        &app,
        &format!("/api/v1/recognitions/{reached}/events"),
        None,
    )
    .await;
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event_type"], "decision_deadline_amended", "{history}");
    assert_eq!(last["effective_on"], "2026-08-01", "{last}");
    assert_eq!(
        last["grounds"], "Joint Committee Decision No 2/2026",
        "{last}"
    );
    let as_of_today = get_ok(
        &app,
        "/api/v1/recognitions?programme=P3&as_of=2026-08-01",
        None,
    )
    .await;
    let listed = as_of_today["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == reached)
        .cloned()
        .unwrap();
    assert_eq!(listed["decision_deadline"], "2026-12-10", "{listed}");
    let untouched = get_ok(&app, &format!("/api/v1/recognitions/{passed}/events"), None).await;
    assert_eq!(untouched.as_array().unwrap().len(), 1, "{untouched}");
    // The work list reads the same deadlines.
    let list = get_ok(&app, "/api/v1/worklist", Some(&w.th_examiner)).await;
    let deadline_of = |id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|i| i["recognition_id"] == id)
            .map(|i| i["decision_deadline"].clone())
            .unwrap_or_else(|| panic!("{id} not in {list}"))
    };
    assert_eq!(deadline_of(reached), "2026-12-10");
    let basis = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["recognition_id"] == reached)
        .map(|i| i["decision_deadline_basis"]["period"].clone());
    assert_eq!(basis, Some(json!("P6M")));
    assert_eq!(deadline_of(passed), "2026-08-05");

    // 15 September: the old deadline of 10 September has passed, the new one has not.
    app.clock.set(at("2026-09-15T04:00:00Z"));
    assert_eq!(sweep_now(&app).await, vec![tacit_passed]);
    assert_eq!(
        recognition(&app, tacit_passed).await["protected_from"],
        "2026-08-05"
    );
    assert_eq!(
        recognition(&app, tacit_reached).await["status"],
        "submitted"
    );
    assert_error(
        refusal_on(&app, &w, passed, "2026-09-05").await,
        409,
        "decision_period_expired",
    )
    .await;
    let refused = expect(refusal_on(&app, &w, reached, "2026-09-15").await, 200).await;
    assert_eq!(refused["status"], "refused");

    // A period restated in days that ends on the same date still moves the basis, and
    // the restatement is an event of the recognition: 183 days from 10 June are 10
    // December, as six months were.
    let events_before = r_events(&app, tacit_reached).await.len();
    let audit = app.audit_count().await;
    expect(
        amend_terms(
            &app,
            &w.admin,
            "P3T",
            json!({"effective_on": "2026-10-01", "decision_reference": "Joint Committee Decision No 3/2026",
                   "changes": {"decision_period": "P183D"}, "applies_to_pending": true}),
        )
        .await,
        201,
    )
    .await;
    let restated = recognition(&app, tacit_reached).await;
    assert_eq!(restated["decision_deadline"], "2026-12-10", "{restated}");
    assert_eq!(
        restated["decision_deadline_basis"]["period"], "P183D",
        "{restated}"
    );
    let entry = app.audit_after(audit).await.pop().unwrap();
    assert_eq!(
        entry.payload["decision_deadlines_moved"],
        json!([]),
        "no date moved"
    );
    let events = r_events(&app, tacit_reached).await;
    assert_eq!(events.len(), events_before + 1, "{events:?}");
    assert_eq!(
        events.last().unwrap()["grounds"],
        "Joint Committee Decision No 3/2026"
    );

    // What the work list says comes next: on the deadline day, examination; the day
    // after, before the sweep has run, tacit protection under P3T only (P3 has none).
    // A deadline is overdue from the day after it.
    let next_steps = |instant: &'static str| {
        let app = &app;
        let token = w.th_examiner.clone();
        async move {
            app.clock.set(at(instant));
            let list = get_ok(app, "/api/v1/worklist", Some(&token)).await;
            [tacit_reached, passed].map(|id| {
                list.as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["recognition_id"] == id)
                    .map(|i| (i["next_step"].clone(), i["overdue"].clone()))
                    .unwrap_or_else(|| panic!("{id} not in {list}"))
            })
        }
    };
    assert_eq!(
        next_steps("2026-12-10T04:00:00Z").await,
        [
            (json!("start_examination"), json!(false)),
            (json!("start_examination"), json!(true))
        ]
    );
    assert_eq!(
        next_steps("2026-12-11T04:00:00Z").await,
        [
            (json!("tacit_protection"), json!(true)),
            (json!("start_examination"), json!(true))
        ]
    );
    // The day after the new deadline the sweep protects, dated on it.
    assert_eq!(sweep_now(&app).await, vec![tacit_reached]);
    assert_eq!(
        recognition(&app, tacit_reached).await["protected_from"],
        "2026-12-10"
    );
}

/// What a read answers about `as_of`, from its status and body.
async fn as_of_of(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    get_ok(app, path, token).await["as_of"].clone()
}

async fn reads_default_to_the_local_date(app: TestApp) {
    let w = partners(&app).await;
    patch_office(
        &app,
        &w.admin,
        "CNIPA",
        json!({"time_zone": "Asia/Shanghai"}),
    )
    .await;
    patch_office(&app, &w.admin, "DIP", json!({"time_zone": "Asia/Bangkok"})).await;
    patch_office(
        &app,
        &w.admin,
        "EUIPO",
        json!({"time_zone": "Europe/Brussels"}),
    )
    .await;
    let eu_examiner = app
        .user_token(
            &w.admin,
            json!({"username": "eu-examiner", "role": "examiner", "office": "EUIPO"}),
        )
        .await;
    // 00:02 on 29 November in Bangkok (01:02 in Shanghai; 18:02 on the 28th in Brussels
    // and 17:02 in UTC). DIP protects today, Bangkok's date.
    app.clock.set(at("2026-11-28T17:02:00Z"));
    let (gi_id, id) = recognition_in(&app, &w, "published").await;
    let protected = expect(
        r_act(&app, &w.th_examiner, id, json!({"action": "protect"})).await,
        200,
    )
    .await;
    assert_eq!(protected["protected_from"], "2026-11-29");

    // The protection read: today is the reader's office's date, else the origin's.
    let path = format!("/api/v1/gis/{gi_id}/protection");
    for (token, today, status) in [
        (Some(w.th_examiner.as_str()), "2026-11-29", "protected"),
        (None, "2026-11-29", "protected"),
        (Some(eu_examiner.as_str()), "2026-11-28", "published"),
    ] {
        let read = get_ok(&app, &path, token).await;
        assert_eq!(read["as_of"], today, "{read}");
        assert_eq!(read["territories"][0]["status"], status, "{read}");
    }
    let on_29 = format!("{path}?as_of=2026-11-29");
    assert_eq!(as_of_of(&app, &on_29, None).await, "2026-11-29");
    assert_error(
        app.get(&on_29, Some(&eu_examiner)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get(&format!("{path}?as_of=2026-11-30"), None).await,
        422,
        "validation_failed",
    )
    .await;

    // Lists as of a date: the reader's office, else the partner named, else UTC.
    let list = |query: &'static str| format!("/api/v1/recognitions?as_of=2026-11-29{query}");
    let listed = get_ok(&app, &list(""), Some(&w.th_examiner)).await;
    assert_eq!(listed["items"][0]["status"], "protected", "{listed}");
    get_ok(&app, &list("&partner=DIP"), None).await;
    // An association's today is its own office's date: DIP's association may ask for
    // Bangkok's 29th where the public, unfiltered, is still on UTC's 28th.
    let listed = get_ok(&app, &list(""), Some(&w.th_assoc)).await;
    assert_eq!(listed["items"][0]["status"], "protected", "{listed}");
    for (query, token) in [("", None), ("&partner=DIP", Some(eu_examiner.as_str()))] {
        assert_error(app.get(&list(query), token).await, 422, "validation_failed").await;
    }

    // An export's default date: the partner it names, else UTC (the auditor has no office).
    for (query, day) in [("&partner=DIP", "2026-11-29"), ("", "2026-11-28")] {
        let response = app
            .get(
                &format!("/api/v1/exports/recognitions?format=json{query}"),
                Some(&w.auditor),
            )
            .await;
        assert_eq!(response.status(), 200);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains(&format!("recognitions-{day}.json")),
            "{disposition}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(body.to_string().contains(day), "{body}");
    }

    // A programme's terms in force today: the reader's office's date, else UTC.
    let programme = format!("/api/v1/programmes/{CN_TH}");
    assert_eq!(
        as_of_of(&app, &programme, Some(&w.th_examiner)).await,
        "2026-11-29"
    );
    assert_eq!(
        as_of_of(&app, &programme, Some(&w.th_assoc)).await,
        "2026-11-29"
    );
    assert_eq!(as_of_of(&app, &programme, None).await, "2026-11-28");
}

async fn the_sweep_counts_on_the_partners_date(app: TestApp) {
    let w = partners(&app).await;
    patch_office(&app, &w.admin, "DIP", json!({"time_zone": "Asia/Bangkok"})).await;
    patch_office(
        &app,
        &w.admin,
        "EUIPO",
        json!({"time_zone": "Europe/Brussels"}),
    )
    .await;
    let mut body = programme_body("TACIT3", &["CNIPA", "DIP", "EUIPO"], 10);
    body["tacit_protection"] = json!(true);
    create_programme(&app, &w.admin, body).await;
    // Both decision deadlines are 28 November.
    app.clock.set(at("2026-11-28T12:00:00Z"));
    let mut ids = Vec::new();
    for partner in ["DIP", "EUIPO"] {
        let gi_id = gi_in(&app, &w, "registered").await;
        let r = submit_ok(&app, &w.cn_examiner, "TACIT3", gi_id, partner, "2026-11-18").await;
        assert_eq!(r["decision_deadline"], "2026-11-28", "{r}");
        ids.push(id_of(&r));
    }
    let (dip, euipo) = (ids[0], ids[1]);
    // 23:59 on the 28th in Bangkok: the deadline day has not ended there.
    app.clock.set(at("2026-11-28T16:59:00Z"));
    assert_eq!(sweep_now(&app).await, Vec::<i64>::new());
    // 00:02 on the 29th in Bangkok, still the 28th in Brussels and in UTC.
    app.clock.set(at("2026-11-28T17:02:00Z"));
    assert_eq!(sweep_now(&app).await, vec![dip]);
    let protected = recognition(&app, dip).await;
    assert_eq!(protected["protected_from"], "2026-11-28", "{protected}");
    assert_eq!(recognition(&app, euipo).await["status"], "submitted");
    // Midnight in Brussels.
    app.clock.set(at("2026-11-28T23:00:00Z"));
    assert_eq!(sweep_now(&app).await, vec![euipo]);
}
