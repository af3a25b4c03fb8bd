//! The read cache (issue 9): a server serves a GI's view, a page of the list and its
//! protection from memory while the GI's stamp is unchanged. These tests keep one
//! server that caches and compare it, after every kind of change made through another
//! server on the same database, with a server that keeps nothing: a change that did not
//! move the stamp would show as a stale answer.

use reqwest::Client;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::recognition::{
    id_of, partners, r_act_ok, submit_ok, CN_TH, SUBMITTED_ON, TH_EXAMINED_ON, TH_PROTECTED_ON,
    TH_PUBLISHED_ON,
};
use crate::register::{
    act_ok, create_gi_id, expect, longjing, oppose, specification, today, FILED_ON, PUBLISHED_ON,
    REGISTERED_ON,
};

both_backends!(
    a_caching_server_sees_every_change_made_through_another,
    drafts_stay_private_when_cached,
    protection_is_kept_per_day_in_the_readers_time_zone,
    a_stored_view_serves_every_server_until_the_gi_changes,
    only_todays_protection_is_stored,
);

/// The app itself keeps nothing (no memory, no stored views): it builds every answer.
/// `cached` is a second server on the same database that keeps views in memory and in
/// the database; `stored` a third that keeps none in memory, so it answers from the
/// views the others stored.
struct Servers {
    truth: TestApp,
    cached: String,
    stored: String,
    client: Client,
}

impl Servers {
    async fn new(app: TestApp) -> Self {
        let cached = app.second_server(|_| {}).await;
        let stored = app.second_server(|s| s.read_cache_mb = 0).await;
        Self {
            truth: app,
            cached,
            stored,
            client: Client::new(),
        }
    }

    async fn get(&self, base: &str, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.client.get(format!("{base}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string());
        let mut body: Value = response.json().await.unwrap();
        if let Some(etag) = etag {
            body["(etag)"] = json!(etag);
        }
        (status, body)
    }

    /// Reads `paths` on the caching server twice (the second from memory), so that the
    /// next change has something to make stale.
    async fn warm(&self, paths: &[String], token: Option<&str>) {
        for path in paths {
            for _ in 0..2 {
                self.get(&self.cached, path, token).await;
            }
        }
    }

    /// Every path answers the same on both servers.
    async fn agree(&self, paths: &[String], token: Option<&str>, after: &str) {
        for path in paths {
            let truth = self.get(&self.truth.address, path, token).await;
            for _ in 0..2 {
                let cached = self.get(&self.cached, path, token).await;
                assert_eq!(cached, truth, "{path} after {after}");
            }
            let stored = self.get(&self.stored, path, token).await;
            assert_eq!(stored, truth, "{path} from the stored views after {after}");
        }
    }
}

fn read_paths(id: i64) -> Vec<String> {
    vec![
        format!("/api/v1/gis/{id}"),
        format!("/api/v1/gis/{id}/protection"),
        format!("/api/v1/gis/{id}/protection?as_of={FILED_ON}"),
        "/api/v1/gis?limit=50".to_string(),
        "/api/v1/gis?limit=1".to_string(),
        "/api/v1/gis?q=longjing".to_string(),
        "/api/v1/gis?status=registered".to_string(),
    ]
}

async fn a_caching_server_sees_every_change_made_through_another(app: TestApp) {
    let servers = Servers::new(
        TestApp::spawn_with(app.backend, |s| {
            s.read_cache_mb = 0;
            s.stored_views = false;
        })
        .await
        .unwrap(),
    )
    .await;
    drop(app);
    let app = &servers.truth;
    let w = partners(app).await;
    let id = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    let paths = read_paths(id);
    let examiner = Some(w.cn_examiner.as_str());
    servers.warm(&paths, examiner).await;

    // The draft's names and fields change (gis and gi_names).
    let edit = json!({
        "area_description": "West Lake scenic area, Hangzhou",
        "names": [{"text": "西湖龙井", "lang": "zh", "script": "Hans", "kind": "original"}],
    });
    let edited = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/gis/{id}"),
            Some(&w.cn_assoc),
        )
        .header("If-Match", "\"1\"")
        .json(&edit)
        .send()
        .await
        .unwrap();
    expect(edited, 200).await;
    servers.agree(&paths, examiner, "a draft edit").await;

    let steps = [
        ("file", FILED_ON),
        ("start_examination", "2026-01-20"),
        ("publish", PUBLISHED_ON),
    ];
    for (action, on) in steps {
        let token = if action == "file" {
            &w.cn_assoc
        } else {
            &w.cn_examiner
        };
        servers.warm(&paths, examiner).await;
        act_ok(app, token, id, action, on).await;
        servers.agree(&paths, examiner, action).await;
    }

    // An opposition is filed, then withdrawn.
    servers.warm(&paths, examiner).await;
    let opposition = oppose(
        app,
        &w.cn_other_assoc,
        id,
        json!({"grounds": "the area is drawn too wide", "filed_on": "2026-03-10"}),
    )
    .await;
    assert!(
        opposition.status().is_success(),
        "{}",
        opposition.text().await.unwrap()
    );
    servers.agree(&paths, examiner, "an opposition").await;

    servers.warm(&paths, examiner).await;
    let registered = app
        .post(
            &format!("/api/v1/gis/{id}/actions"),
            Some(&w.cn_examiner),
            json!({"action": "register", "effective_on": REGISTERED_ON}),
        )
        .await;
    // A pending opposition keeps it from registration: the refusal changes nothing.
    assert_eq!(registered.status().as_u16(), 409);
    servers
        .agree(&paths, examiner, "a refused registration")
        .await;
    let opposition_id = {
        let (_, list) = servers
            .get(
                &app.address,
                &format!("/api/v1/gis/{id}/oppositions"),
                examiner,
            )
            .await;
        list[0]["id"].as_i64().unwrap()
    };
    let withdrawn = app
        .post(
            &format!("/api/v1/oppositions/{opposition_id}/actions"),
            Some(&w.cn_other_assoc),
            json!({"action": "withdraw", "effective_on": "2026-03-20"}),
        )
        .await;
    assert!(
        withdrawn.status().is_success(),
        "{}",
        withdrawn.text().await.unwrap()
    );
    servers.warm(&paths, examiner).await;
    act_ok(app, &w.cn_examiner, id, "register", REGISTERED_ON).await;
    servers.agree(&paths, examiner, "register").await;

    // A new specification is proposed, then approved (specifications).
    let specs = format!("/api/v1/gis/{id}/specifications");
    servers.warm(&paths, examiner).await;
    let proposed = app
        .post(
            &specs,
            Some(&w.cn_assoc),
            json!({"specification": specification("Rolled by machine"), "reason": "machines"}),
        )
        .await;
    expect(proposed, 201).await;
    servers
        .agree(&paths, examiner, "an amendment proposed")
        .await;
    let approved = app
        .post(
            &format!("{specs}/2/actions"),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await;
    expect(approved, 200).await;
    servers
        .agree(&paths, examiner, "an amendment approved")
        .await;

    // Recognition in Thailand (recognitions and their events).
    servers.warm(&paths, examiner).await;
    let recognition = id_of(&submit_ok(app, &w.cn_examiner, CN_TH, id, "DIP", SUBMITTED_ON).await);
    servers.agree(&paths, examiner, "a submission").await;
    for (action, on) in [
        ("start_examination", TH_EXAMINED_ON),
        ("publish", TH_PUBLISHED_ON),
        ("protect", TH_PROTECTED_ON),
    ] {
        servers.warm(&paths, examiner).await;
        r_act_ok(app, &w.th_examiner, recognition, action, on).await;
        servers.agree(&paths, examiner, action).await;
    }

    // Cancelled at home, which cascades to the recognition.
    servers.warm(&paths, examiner).await;
    act_ok(app, &w.cn_examiner, id, "cancel", &today().to_string()).await;
    servers.agree(&paths, examiner, "cancel").await;
    servers.agree(&paths, None, "cancel, anonymously").await;
}

/// A draft read and kept for its association is still a 404 for everyone else, on the
/// caching server too; once filed, everyone sees it.
async fn drafts_stay_private_when_cached(app: TestApp) {
    let servers = Servers::new(app).await;
    let app = &servers.truth;
    let w = partners(app).await;
    let id = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    let path = format!("/api/v1/gis/{id}");
    let protection = format!("/api/v1/gis/{id}/protection");
    for p in [&path, &protection] {
        for _ in 0..2 {
            let (status, _) = servers.get(&servers.cached, p, Some(&w.cn_assoc)).await;
            assert_eq!(status, 200, "{p}");
        }
        for token in [
            None,
            Some(w.cn_other_assoc.as_str()),
            Some(w.th_examiner.as_str()),
        ] {
            let (status, body) = servers.get(&servers.cached, p, token).await;
            assert_eq!(status, 404, "{p} as {token:?}: {body}");
            assert_eq!(body["error"]["code"], "not_found");
        }
    }
    let (_, listed) = servers.get(&servers.cached, "/api/v1/gis", None).await;
    assert_eq!(listed["items"], json!([]));
    act_ok(app, &w.cn_assoc, id, "file", FILED_ON).await;
    for p in [&path, &protection] {
        let (status, body) = servers.get(&servers.cached, p, None).await;
        assert_eq!(status, 200, "{p}: {body}");
    }
    let (_, listed) = servers.get(&servers.cached, "/api/v1/gis", None).await;
    assert_eq!(listed["items"][0]["id"], id);
    assert_eq!(listed["items"][0]["status"], "filed");
}

/// "Today" (the default `as_of`) is the origin office's date for the public and the
/// reader's own office's date for its staff; an office that moves its time zone moves
/// it at once. Served twice each, so the second answer comes from memory.
async fn protection_is_kept_per_day_in_the_readers_time_zone(app: TestApp) {
    let w = partners(&app).await;
    let id = crate::register::gi_in(&app, &w, "registered").await;
    let set_zone = |code: &'static str, zone: &'static str| {
        let (app, admin) = (&app, &w.admin);
        async move {
            let path = format!("/api/v1/offices/{code}");
            expect(
                app.patch(&path, Some(admin), json!({"time_zone": zone}))
                    .await,
                200,
            )
            .await;
        }
    };
    set_zone("CNIPA", "Asia/Shanghai").await;
    // 2026-06-30 20:00 UTC is 2026-07-01 04:00 in Shanghai.
    app.clock.set("2026-06-30T20:00:00Z".parse().unwrap());
    let path = format!("/api/v1/gis/{id}/protection");
    let as_of = |token: Option<String>| {
        let (app, path) = (&app, &path);
        async move {
            let mut dates = Vec::new();
            for _ in 0..2 {
                let body = expect(app.get(path, token.as_deref()).await, 200).await;
                dates.push(body["as_of"].as_str().unwrap().to_string());
            }
            dates
        }
    };
    assert_eq!(as_of(None).await, ["2026-07-01", "2026-07-01"]);
    assert_eq!(
        as_of(Some(w.th_examiner.clone())).await,
        ["2026-06-30", "2026-06-30"]
    );
    let tomorrow_for_dip = app
        .get(&format!("{path}?as_of=2026-07-01"), Some(&w.th_examiner))
        .await;
    crate::helpers::assert_error(tomorrow_for_dip, 422, "validation_failed").await;
    expect(
        app.get(&format!("{path}?as_of=2026-07-01"), None).await,
        200,
    )
    .await;
    set_zone("CNIPA", "UTC").await;
    assert_eq!(as_of(None).await, ["2026-06-30", "2026-06-30"]);
}

/// A view one server built is stored in the database and served by another server
/// (shown by marking the stored copy: the other server answers with the mark), until
/// the GI changes: then the mark is never served again.
async fn a_stored_view_serves_every_server_until_the_gi_changes(app: TestApp) {
    use diesel::prelude::*;
    use terroir::db::schema::gi_read_views;

    let w = partners(&app).await;
    let id = crate::register::gi_in(&app, &w, "registered").await;
    let other = app.second_server(|s| s.read_cache_mb = 0).await;
    let path = format!("/api/v1/gis/{id}");
    expect(app.get(&path, None).await, 200).await;
    let db = app.database();
    let mark = move |db: terroir::db::Database| {
        tokio::task::spawn_blocking(move || {
            db.write_blocking(|conn| {
                Ok(diesel::update(
                    gi_read_views::table
                        .filter(gi_read_views::gi_id.eq(id))
                        .filter(gi_read_views::kind.eq("gi")),
                )
                .set(gi_read_views::body.eq(r#"{"marked":true}"#))
                .execute(conn)?)
            })
            .unwrap()
        })
    };
    let mut marked = 0;
    for _ in 0..100 {
        marked = mark(db.clone()).await.unwrap();
        if marked == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(marked, 1, "the view was never stored");
    let client = Client::new();
    let read = |base: String| {
        let (client, path) = (&client, &path);
        async move {
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(read(other.clone()).await, json!({"marked": true}));
    act_ok(&app, &w.cn_examiner, id, "cancel", &today().to_string()).await;
    let after = read(other).await;
    assert_eq!(after["status"], "cancelled", "{after}");
}

/// The stored protection view is today's: a read as of a past date is kept in memory
/// only, so that it never displaces the view most readers ask for.
async fn only_todays_protection_is_stored(app: TestApp) {
    use diesel::prelude::*;
    use terroir::db::schema::gi_read_views;

    let w = partners(&app).await;
    let id = crate::register::gi_in(&app, &w, "registered").await;
    let stored_as_of = || {
        let db = app.database();
        tokio::task::spawn_blocking(move || {
            db.read_blocking(|conn| {
                Ok(gi_read_views::table
                    .filter(gi_read_views::gi_id.eq(id))
                    .filter(gi_read_views::kind.eq("protection"))
                    .select(gi_read_views::as_of)
                    .first::<Option<chrono::NaiveDate>>(conn)
                    .optional()?)
            })
            .unwrap()
        })
    };
    let path = format!("/api/v1/gis/{id}/protection");
    expect(app.get(&path, None).await, 200).await;
    let mut stored = None;
    for _ in 0..100 {
        stored = stored_as_of().await.unwrap();
        if stored.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(stored, Some(Some(today())));
    let past = expect(
        app.get(&format!("{path}?as_of={FILED_ON}"), None).await,
        200,
    )
    .await;
    assert_eq!(past["as_of"], FILED_ON);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stored_as_of().await.unwrap(), Some(Some(today())));
}
