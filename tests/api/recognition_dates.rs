//! Legal dates in the partner phase (DESIGN §2): the partner office's opposition
//! deadline on both sides of the boundary, status as of any date from the events, and
//! the tacit-protection sweep (`terroir sweep`, the server's own sweeper, and two sweeps
//! at once on one PostgreSQL database).

use std::process::{Command, Output};
use std::time::Duration;

use serde_json::{json, Value};
use terroir::config::ServerArgs;

use crate::both_backends;
use crate::helpers::{assert_error, Backend, TestApp};
use crate::recognition::{
    all_ids, audit_verifies, create_programme, ev, id_of, oppose, partners, programme_body,
    protection, r_act, r_act_ok, r_events, recent_audit, recognition, recognition_in, submit_list,
    submit_ok, summary, th_gi, CN_TH, SUBMITTED_ON, TH_DEADLINE, TH_EXAMINED_ON, TH_PROTECTED_ON,
    TH_PUBLISHED_ON,
};
use crate::register::{act_ok, days_from_today, expect, get_ok, gi_in, World};

both_backends!(
    protection_waits_for_the_day_after_the_partners_deadline,
    status_as_of_a_date_comes_from_the_events,
    a_backdated_cancellation_at_origin_never_predates_a_recognitions_last_event,
);

/// Like `both_backends!`, on a server whose own sweeper never runs (`terroir sweep` is
/// then the only thing that sweeps), or runs every second.
macro_rules! with_sweeper {
    ($interval:expr => $($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::helpers::{Backend, TestApp};

                #[tokio::test]
                async fn sqlite() {
                    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.sweep_interval_secs = $interval)
                        .await
                        .unwrap();
                    super::$name(app).await;
                }

                #[tokio::test]
                async fn postgres() {
                    match TestApp::spawn_with(Backend::Postgres, |s| s.sweep_interval_secs = $interval).await {
                        Some(app) => super::$name(app).await,
                        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
                    }
                }
            }
        )*
    };
}

with_sweeper!(0 => tacit_protection_by_the_sweep_command);
with_sweeper!(1 => the_server_sweeps_by_itself);

async fn protection_waits_for_the_day_after_the_partners_deadline(app: TestApp) {
    let w = partners(&app).await;

    // CN → TH: DIP's 90 days from 2026-06-01 end on 2026-08-30.
    let (_, id) = recognition_in(&app, &w, "published").await;
    assert_eq!(
        recognition(&app, id).await["opposition_deadline"],
        TH_DEADLINE
    );
    refused_until_the_day_after(&app, &w.th_examiner, id, &["2026-08-29", TH_DEADLINE]).await;
    let protected = r_act_ok(&app, &w.th_examiner, id, "protect", TH_PROTECTED_ON).await;
    assert_eq!(protected["protected_from"], TH_PROTECTED_ON);

    // TH → CN: CNIPA's 60 days from 2026-07-01 end on 2026-08-30 (DIP's own 90 days
    // would run to 2026-09-29).
    let th = th_gi(&app, &w, "registered").await;
    let id = id_of(&submit_ok(&app, &w.th_examiner, CN_TH, th, "CNIPA", "2026-06-10").await);
    r_act_ok(&app, &w.cn_examiner, id, "start_examination", "2026-06-15").await;
    let published = r_act_ok(&app, &w.cn_examiner, id, "publish", "2026-07-01").await;
    assert_eq!(published["opposition_deadline"], "2026-08-30");
    refused_until_the_day_after(&app, &w.cn_examiner, id, &["2026-08-29", "2026-08-30"]).await;
    // Oppositions: the deadline day is in time, the day after is late.
    assert_error(
        oppose(
            &app,
            &w.cn_assoc,
            id,
            json!({"grounds": "late", "filed_on": "2026-08-31"}),
        )
        .await,
        409,
        "opposition_period_closed",
    )
    .await;
    let filed = expect(
        oppose(
            &app,
            &w.cn_assoc,
            id,
            json!({"grounds": "prior use in Yunnan", "filed_on": "2026-08-30"}),
        )
        .await,
        201,
    )
    .await;
    expect(
        app.post(
            &format!("/api/v1/oppositions/{}/actions", id_of(&filed)),
            Some(&w.cn_assoc),
            json!({"action": "withdraw", "effective_on": "2026-08-30"}),
        )
        .await,
        200,
    )
    .await;
    let protected = r_act_ok(&app, &w.cn_examiner, id, "protect", "2026-08-31").await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["protected_from"], "2026-08-31");
}

/// Protection on each of `dates` (on or before the deadline) is refused, naming the
/// first day it is allowed, and changes nothing.
async fn refused_until_the_day_after(app: &TestApp, token: &str, id: i64, dates: &[&str]) {
    let before = recognition(app, id).await;
    let audit = app.audit_count().await;
    let deadline = before["opposition_deadline"].as_str().unwrap().to_string();
    for on in dates {
        let err = assert_error(
            r_act(
                app,
                token,
                id,
                json!({"action": "protect", "effective_on": on}),
            )
            .await,
            409,
            "deadline_not_passed",
        )
        .await;
        assert_eq!(err["error"]["details"]["deadline"], deadline, "{err}");
        assert_eq!(err["error"]["details"]["earliest"], "2026-08-31", "{err}");
    }
    assert_eq!(recognition(app, id).await, before);
    assert_eq!(app.audit_count().await, audit);
}

/// (recognition id, status, protected_from) of one territory.
type Territory = (i64, String, Value);

/// The territories of a GI as of `date`.
async fn territories(app: &TestApp, gi_id: i64, date: &str) -> Vec<Territory> {
    let shown = protection(app, gi_id, Some(date)).await;
    assert_eq!(shown["as_of"], date);
    assert_eq!(shown["gi_id"], gi_id);
    shown["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["recognition_id"].as_i64().unwrap(),
                t["status"].as_str().unwrap().to_string(),
                t["protected_from"].clone(),
            )
        })
        .collect()
}

async fn status_as_of_a_date_comes_from_the_events(app: TestApp) {
    let w = partners(&app).await;
    create_programme(
        &app,
        &w.admin,
        programme_body("CN-EU", &["CNIPA", "DIP", "EUIPO"], 365),
    )
    .await;
    // D1 = 2026-05-10 submitted, examined on 2026-05-20, D2 = 2026-06-01 published,
    // D3 = 2026-08-31 protected; a second recognition of the same GI is submitted on
    // 2026-07-01 and refused on 2026-08-15.
    let (gi_id, id) = recognition_in(&app, &w, "submitted").await;
    r_act_ok(
        &app,
        &w.th_examiner,
        id,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    r_act_ok(&app, &w.th_examiner, id, "publish", TH_PUBLISHED_ON).await;
    expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                   "limitations": "co-exists with prior trademark TH 181112345"}),
        )
        .await,
        200,
    )
    .await;
    let later = id_of(&submit_ok(&app, &w.cn_examiner, "CN-EU", gi_id, "DIP", "2026-07-01").await);
    r_act_ok(&app, &w.th_examiner, later, "refuse", "2026-08-15").await;

    let null = Value::Null;
    let s = |v: &str| v.to_string();
    let table: Vec<(&str, Vec<Territory>)> = vec![
        ("2026-05-09", vec![]),
        ("2026-05-10", vec![(id, s("submitted"), null.clone())]),
        ("2026-05-19", vec![(id, s("submitted"), null.clone())]),
        (
            "2026-05-20",
            vec![(id, s("under_examination"), null.clone())],
        ),
        (
            "2026-05-31",
            vec![(id, s("under_examination"), null.clone())],
        ),
        ("2026-06-01", vec![(id, s("published"), null.clone())]),
        ("2026-06-30", vec![(id, s("published"), null.clone())]),
        (
            "2026-07-01",
            vec![
                (id, s("published"), null.clone()),
                (later, s("submitted"), null.clone()),
            ],
        ),
        (
            "2026-08-15",
            vec![
                (id, s("published"), null.clone()),
                (later, s("refused"), null.clone()),
            ],
        ),
        (
            "2026-08-30",
            vec![
                (id, s("published"), null.clone()),
                (later, s("refused"), null.clone()),
            ],
        ),
        (
            TH_PROTECTED_ON,
            vec![
                (id, s("protected"), json!(TH_PROTECTED_ON)),
                (later, s("refused"), null.clone()),
            ],
        ),
    ];
    for (date, expected) in &table {
        assert_eq!(
            &territories(&app, gi_id, date).await,
            expected,
            "as of {date}"
        );
    }
    // Today, and a date given explicitly as today, agree with the current rows.
    let today = days_from_today(0);
    let now = protection(&app, gi_id, None).await;
    assert_eq!(now, protection(&app, gi_id, Some(&today)).await);
    assert_eq!(
        now["territories"][0]["limitations"],
        "co-exists with prior trademark TH 181112345"
    );
    // Before the protection the limitations were not yet there.
    let then = protection(&app, gi_id, Some("2026-08-30")).await;
    assert!(then["territories"][0]["limitations"].is_null(), "{then}");

    // The list answers the same questions, its status filter applying to the state on
    // that date.
    let list = |query: String| {
        let app = &app;
        async move { all_ids(app, &query, 1).await }
    };
    for (date, expected) in &table {
        for status in [
            "submitted",
            "under_examination",
            "published",
            "protected",
            "refused",
        ] {
            let want: Vec<i64> = expected
                .iter()
                .filter(|(_, st, _)| st == status)
                .map(|(r, _, _)| *r)
                .collect();
            assert_eq!(
                list(format!("as_of={date}&status={status}")).await,
                want,
                "{status} as of {date}"
            );
        }
        let everything: Vec<i64> = expected.iter().map(|(r, _, _)| *r).collect();
        assert_eq!(list(format!("as_of={date}")).await, everything, "{date}");
    }
    // The items carry the state of that date.
    let page = get_ok(
        &app,
        "/api/v1/recognitions?as_of=2026-06-01&status=published",
        None,
    )
    .await;
    let item = &page["items"][0];
    assert_eq!(item["id"], id);
    assert_eq!(item["status"], "published");
    assert_eq!(item["published_on"], TH_PUBLISHED_ON);
    assert_eq!(item["opposition_deadline"], TH_DEADLINE);
    assert!(item["protected_from"].is_null());
    assert!(item["decided_on"].is_null());
    // Without as_of, the status is today's.
    assert_eq!(list("status=published".into()).await, Vec::<i64>::new());
    assert_eq!(list("status=protected".into()).await, vec![id]);

    let response = app
        .get(
            &format!("/api/v1/gis/{gi_id}/protection?as_of=2026-13-01"),
            None,
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        422,
        "a malformed date is a 422 naming as_of"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "as_of", "{body}");
}

/// Runs `terroir sweep` once against the app's database.
fn sweep_command(app: &TestApp) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terroir"));
    command
        .arg("sweep")
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir);
    command
}

/// How many recognitions a finished `terroir sweep` reports it protected.
fn protected_count(output: &Output) -> usize {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "terroir sweep failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tacit protection: "))
        .unwrap_or_else(|| panic!("no report in {stdout}"));
    line.split_whitespace().next().unwrap().parse().unwrap()
}

async fn sweep(app: &TestApp) -> usize {
    let mut command = sweep_command(app);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    protected_count(&output)
}

/// A tacit-protection programme of CNIPA, DIP and EUIPO with a 30-day decision period.
async fn tacit_programme(app: &TestApp, w: &World, code: &str) {
    let mut body = programme_body(code, &["CNIPA", "DIP", "EUIPO"], 30);
    body["tacit_protection"] = json!(true);
    let created = create_programme(app, &w.admin, body).await;
    assert_eq!(created["tacit_protection"], true);
}

async fn tacit_protection_by_the_sweep_command(app: TestApp) {
    let w = partners(&app).await;
    tacit_programme(&app, &w, "CN-TACIT").await;
    let mut plain = programme_body("CN-PLAIN", &["CNIPA", "DIP"], 30);
    plain["tacit_protection"] = json!(false);
    create_programme(&app, &w.admin, plain).await;

    // Submitted on 2026-06-01: the 30 days ended on 2026-07-01.
    let g1 = gi_in(&app, &w, "registered").await;
    let submitted =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TACIT", g1, "DIP", "2026-06-01").await);
    assert_eq!(
        recognition(&app, submitted).await["decision_deadline"],
        "2026-07-01"
    );
    let not_tacit =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-PLAIN", g1, "DIP", "2026-06-01").await);
    let g2 = gi_in(&app, &w, "registered").await;
    let examined =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TACIT", g2, "DIP", "2026-06-01").await);
    r_act_ok(
        &app,
        &w.th_examiner,
        examined,
        "start_examination",
        "2026-06-10",
    )
    .await;
    let g3 = gi_in(&app, &w, "registered").await;
    let refused =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TACIT", g3, "DIP", "2026-06-01").await);
    r_act_ok(&app, &w.th_examiner, refused, "refuse", "2026-06-20").await;
    // The deadline is today, or tomorrow: not passed.
    let g4 = gi_in(&app, &w, "registered").await;
    let due_today = id_of(
        &submit_ok(
            &app,
            &w.cn_examiner,
            "CN-TACIT",
            g4,
            "DIP",
            &days_from_today(-30),
        )
        .await,
    );
    assert_eq!(
        recognition(&app, due_today).await["decision_deadline"],
        days_from_today(0)
    );
    let due_tomorrow = id_of(
        &submit_ok(
            &app,
            &w.cn_examiner,
            "CN-TACIT",
            g4,
            "EUIPO",
            &days_from_today(-29),
        )
        .await,
    );
    // A published one is past the stage where silence protects.
    let g5 = gi_in(&app, &w, "registered").await;
    let in_opposition =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TACIT", g5, "DIP", "2026-06-01").await);
    r_act_ok(
        &app,
        &w.th_examiner,
        in_opposition,
        "start_examination",
        "2026-06-05",
    )
    .await;
    r_act_ok(&app, &w.th_examiner, in_opposition, "publish", "2026-06-10").await;

    let left_alone = [not_tacit, refused, due_today, due_tomorrow, in_opposition];
    let mut before = Vec::new();
    for id in left_alone {
        before.push((recognition(&app, id).await, r_events(&app, id).await.len()));
    }
    let audit = app.audit_count().await;

    assert_eq!(sweep(&app).await, 2);

    for (id, from) in [(submitted, "submitted"), (examined, "under_examination")] {
        let r = recognition(&app, id).await;
        assert_eq!(r["status"], "protected", "{r}");
        assert_eq!(r["protected_from"], "2026-07-01");
        assert_eq!(r["decided_on"], "2026-07-01");
        assert_eq!(r["protected_from"], r["decision_deadline"]);
        let history = r_events(&app, id).await;
        let last = history.last().unwrap();
        assert_eq!(
            summary(std::slice::from_ref(last)),
            vec![ev(
                "tacit_protection",
                Some(from),
                "protected",
                "2026-07-01"
            )]
        );
        assert_eq!(last["actor"], "system");
        assert!(last["grounds"].is_null());
        let tacit = history
            .iter()
            .filter(|e| e["event_type"] == "tacit_protection")
            .count();
        assert_eq!(tacit, 1);
    }
    for (id, (view, events)) in left_alone.iter().zip(&before) {
        assert_eq!(&recognition(&app, *id).await, view, "recognition {id}");
        assert_eq!(r_events(&app, *id).await.len(), *events);
    }
    assert_eq!(app.audit_count().await, audit + 2);
    assert_eq!(
        recent_audit(&app, 2).await,
        vec![
            (
                "recognition.transition".to_string(),
                Some(submitted.to_string())
            ),
            (
                "recognition.transition".to_string(),
                Some(examined.to_string())
            ),
        ]
    );
    audit_verifies(&app, &w.auditor).await;

    // Protected as of the deadline, not before.
    let as_of = |date: &'static str| {
        let app = &app;
        async move {
            protection(app, g1, Some(date)).await["territories"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["recognition_id"] == submitted)
                .cloned()
                .unwrap()
        }
    };
    assert_eq!(as_of("2026-06-30").await["status"], "submitted");
    let on = as_of("2026-07-01").await;
    assert_eq!(on["status"], "protected");
    assert_eq!(on["protected_from"], "2026-07-01");

    // A second sweep finds nothing to do.
    let events_before: Vec<usize> = {
        let mut counts = Vec::new();
        for id in [submitted, examined] {
            counts.push(r_events(&app, id).await.len());
        }
        counts
    };
    assert_eq!(sweep(&app).await, 0);
    for (id, count) in [submitted, examined].iter().zip(events_before) {
        assert_eq!(r_events(&app, *id).await.len(), count);
    }
    assert_eq!(app.audit_count().await, audit + 2);

    // What the sweep protected is decided: the partner cannot refuse it any more.
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            submitted,
            json!({"action": "refuse", "grounds": "too late", "effective_on": "2026-07-02"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}

async fn the_server_sweeps_by_itself(app: TestApp) {
    let w = partners(&app).await;
    tacit_programme(&app, &w, "CN-TACIT").await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let id = id_of(&submit_ok(&app, &w.cn_examiner, "CN-TACIT", gi_id, "DIP", "2026-06-01").await);
    let mut status = String::new();
    for _ in 0..50 {
        status = recognition(&app, id).await["status"]
            .as_str()
            .unwrap()
            .to_string();
        if status == "protected" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, "protected", "the server's sweeper did not run");
    // Later ticks do not protect it again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let kinds: Vec<String> = r_events(&app, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["submit", "tacit_protection"]);
    assert_eq!(recognition(&app, id).await["protected_from"], "2026-07-01");
}

/// Two `terroir sweep` processes at once on one PostgreSQL database: every eligible
/// recognition gets exactly one tacit-protection event, and the chain stays whole.
#[tokio::test]
async fn two_sweeps_at_once_on_one_postgres_protect_each_recognition_once() {
    let Some(app) = TestApp::spawn_with(Backend::Postgres, |s: &mut ServerArgs| {
        s.sweep_interval_secs = 0
    })
    .await
    else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let w = partners(&app).await;
    let gis = [
        gi_in(&app, &w, "registered").await,
        gi_in(&app, &w, "registered").await,
    ];
    let mut ids = Vec::new();
    for n in 1..=10 {
        let code = format!("TACIT-{n:02}");
        tacit_programme(&app, &w, &code).await;
        let items: Vec<Value> = gis
            .iter()
            .map(|g| json!({"gi_id": g, "partner": "DIP"}))
            .collect();
        let created = expect(
            submit_list(
                &app,
                &w.cn_examiner,
                json!({"programme": code, "list_label": "batch", "effective_on": SUBMITTED_ON,
                       "items": items}),
            )
            .await,
            201,
        )
        .await;
        ids.extend(created.as_array().unwrap().iter().map(id_of));
    }
    assert_eq!(ids.len(), 20);
    let audit = app.audit_count().await;

    let mut first = sweep_command(&app);
    let mut second = sweep_command(&app);
    let (a, b) = tokio::task::spawn_blocking(move || {
        use std::process::Stdio;
        let a = first
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let b = second
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        (a.wait_with_output().unwrap(), b.wait_with_output().unwrap())
    })
    .await
    .unwrap();
    assert_eq!(protected_count(&a) + protected_count(&b), 20);

    for id in &ids {
        let history = r_events(&app, *id).await;
        let tacit: Vec<&Value> = history
            .iter()
            .filter(|e| e["event_type"] == "tacit_protection")
            .collect();
        assert_eq!(tacit.len(), 1, "recognition {id}: {history:?}");
        assert_eq!(tacit[0]["effective_on"], "2026-06-09");
        let r = recognition(&app, *id).await;
        assert_eq!(r["status"], "protected");
        assert_eq!(r["protected_from"], "2026-06-09");
    }
    assert_eq!(app.audit_count().await, audit + 20);
    audit_verifies(&app, &w.auditor).await;
    assert_eq!(sweep(&app).await, 0);
}

/// The GI is cancelled at home with a legal date (2026-06-15) that lies before DIP's
/// protection (2026-08-31): the cascade dates the recognition's cancellation on its own
/// last event, so its history stays in order and the past reads as it was.
async fn a_backdated_cancellation_at_origin_never_predates_a_recognitions_last_event(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = recognition_in(&app, &w, "protected").await;
    let cancelled_at_home = "2026-06-15";
    act_ok(&app, &w.cn_examiner, gi_id, "cancel", cancelled_at_home).await;

    let r = recognition(&app, id).await;
    assert_eq!(r["status"], "cancelled_at_origin");
    assert_eq!(r["decided_on"], TH_PROTECTED_ON, "{r}");
    let history = summary(&r_events(&app, id).await);
    assert_eq!(
        history.last().unwrap(),
        &ev(
            "cancelled_at_origin",
            Some("protected"),
            "cancelled_at_origin",
            TH_PROTECTED_ON
        )
    );
    let dates: Vec<&String> = history.iter().map(|(_, _, _, on)| on).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{history:?}");

    // Between the home cancellation's date and DIP's protection, DIP had published.
    assert_eq!(
        territories(&app, gi_id, "2026-07-01").await,
        vec![(id, "published".to_string(), Value::Null)]
    );
    // On the day of protection the cancellation applies; the day before, it did not.
    assert_eq!(
        territories(&app, gi_id, "2026-08-30").await,
        vec![(id, "published".to_string(), Value::Null)]
    );
    assert_eq!(
        territories(&app, gi_id, TH_PROTECTED_ON).await[0].1,
        "cancelled_at_origin"
    );
}
