//! The rules the OpenAPI document declares for request bodies are the rules the server
//! enforces. For every request schema of the operations below, values on each side of
//! each declared boundary (lengths, ranges, item counts, enums, patterns, required
//! properties, no unknown properties, integers written as integers) are derived from the
//! document itself and sent to the live server: the inside must not be refused for that
//! field, the outside must be a 422 naming it.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{TestApp, PASSWORD};
use crate::recognition::{id_of, partners, programme_body, r_act_ok, submission, submit_ok, CN_TH};
use crate::register::{
    act_ok, application, create_gi_id, expect, longjing, specification, EXAMINED_ON, FILED_ON,
    PUBLISHED_ON, REGISTERED_ON,
};

both_backends!(request_rules_in_the_document_are_the_rules_the_server_enforces);

fn document() -> Value {
    use utoipa::OpenApi;
    serde_json::to_value(terroir::api::docs::ApiDoc::openapi()).unwrap()
}

/// One step into a body: a property or an array index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
struct Probe {
    /// The field as the server names it, e.g. `names[0].text`.
    field: String,
    at: Vec<Step>,
    /// None removes the property.
    value: Option<Value>,
    refused: bool,
    what: String,
}

fn field_name(at: &[Step]) -> String {
    let mut out = String::new();
    for step in at {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn lookup<'a>(body: &'a Value, at: &[Step]) -> Option<&'a Value> {
    at.iter().try_fold(body, |value, step| match step {
        Step::Key(key) => value.get(key),
        Step::Index(i) => value.get(i),
    })
}

fn apply(base: &Value, probe: &Probe) -> Value {
    let mut body = base.clone();
    let (last, parents) = probe.at.split_last().unwrap();
    let mut target = &mut body;
    for step in parents {
        target = match step {
            Step::Key(key) => &mut target[key.as_str()],
            Step::Index(i) => &mut target[*i],
        };
    }
    match (last, &probe.value) {
        (Step::Key(key), None) => {
            target.as_object_mut().unwrap().remove(key);
        }
        (Step::Key(key), Some(value)) => target[key.as_str()] = value.clone(),
        (Step::Index(i), Some(value)) => target[*i] = value.clone(),
        (Step::Index(_), None) => unreachable!(),
    }
    body
}

/// The schema a `$ref` (or a nullable `oneOf`) stands for.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    if let Some(alternatives) = schema["oneOf"].as_array() {
        if let Some(real) = alternatives.iter().find(|s| s["type"] != "null") {
            return resolve(doc, real);
        }
    }
    schema
}

fn main_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => "",
    }
}

/// `n` characters like the base value's first (so a name stays in its script).
fn text_like(base: Option<&Value>, n: u64) -> Value {
    let c = base
        .and_then(Value::as_str)
        .and_then(|s| s.chars().next())
        .unwrap_or('a');
    json!(std::iter::repeat_n(c, n as usize).collect::<String>())
}

fn push(out: &mut Vec<Probe>, at: &[Step], value: Option<Value>, refused: bool, what: String) {
    out.push(Probe {
        field: field_name(at),
        at: at.to_vec(),
        value,
        refused,
        what,
    })
}

fn probes_for_object(doc: &Value, schema: &Value, base: &Value, at: &[Step], out: &mut Vec<Probe>) {
    let schema = resolve(doc, schema);
    let child = |name: &str| {
        let mut here = at.to_vec();
        here.push(Step::Key(name.into()));
        here
    };
    if schema["additionalProperties"] == false {
        let here = child("no_such_field");
        push(
            out,
            &here,
            Some(json!(1)),
            true,
            "an unknown property".into(),
        );
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let here = child(required.as_str().unwrap());
        if lookup(base, &here).is_some() {
            push(out, &here, None, true, "missing".into());
        }
    }
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for (name, declared) in properties {
        let here = child(name);
        let current = lookup(base, &here);
        let property = resolve(doc, declared);
        match main_type(property) {
            "string" => {
                if let Some(members) = property["enum"].as_array() {
                    for member in members {
                        push(out, &here, Some(member.clone()), false, format!("{member}"));
                    }
                    let wrong = Some(json!("no_such_value"));
                    push(out, &here, wrong, true, "not a member".into());
                    continue;
                }
                if property["pattern"].is_string() {
                    let what = format!("not matching {}", property["pattern"]);
                    push(out, &here, Some(json!("Not a match!")), true, what);
                    continue;
                }
                if let Some(min) = property["minLength"].as_u64().filter(|m| *m > 0) {
                    let inside = Some(text_like(current, min));
                    push(out, &here, inside, false, format!("{min} chars"));
                    let outside = Some(text_like(current, min - 1));
                    push(out, &here, outside, true, format!("{} chars", min - 1));
                }
                if let Some(max) = property["maxLength"].as_u64() {
                    let inside = Some(text_like(current, max));
                    push(out, &here, inside, false, format!("{max} chars"));
                    let outside = Some(text_like(current, max + 1));
                    push(out, &here, outside, true, format!("{} chars", max + 1));
                }
            }
            "integer" => {
                let min = property["minimum"].as_i64();
                let max = property["maximum"].as_i64();
                for (bound, outside) in [(min, min.map(|m| m - 1)), (max, max.map(|m| m + 1))] {
                    if let (Some(bound), Some(outside)) = (bound, outside) {
                        push(out, &here, Some(json!(bound)), false, format!("{bound}"));
                        push(out, &here, Some(json!(outside)), true, format!("{outside}"));
                    }
                }
                // JSON Schema counts 4008.0 as an integer; the document says the server
                // does not.
                let whole = current.and_then(Value::as_i64).or(min).unwrap_or(1);
                let what = format!("{whole}.0");
                push(out, &here, Some(json!(whole as f64)), true, what);
            }
            "array" => {
                let items = current.and_then(Value::as_array);
                let first = items.and_then(|items| items.first());
                if let (Some(max), Some(first)) = (property["maxItems"].as_u64(), first) {
                    let too_many = json!(vec![first.clone(); max as usize + 1]);
                    push(
                        out,
                        &here,
                        Some(too_many),
                        true,
                        format!("{} items", max + 1),
                    );
                }
                let min = property["minItems"].as_u64().filter(|m| *m > 0);
                if let (Some(min), Some(items)) = (min, items) {
                    let too_few: Vec<Value> =
                        items.iter().take(min as usize - 1).cloned().collect();
                    push(
                        out,
                        &here,
                        Some(json!(too_few)),
                        true,
                        format!("{} items", min - 1),
                    );
                }
                if let (true, Some(first)) = (property["uniqueItems"] == true, first) {
                    let twice = json!([first, first]);
                    push(out, &here, Some(twice), true, "an item twice".into());
                }
                let item_schema = resolve(doc, &property["items"]);
                if main_type(item_schema) == "object" && first.is_some() {
                    let mut inner = here.clone();
                    inner.push(Step::Index(0));
                    probes_for_object(doc, item_schema, base, &inner, out);
                }
            }
            "object" if property["properties"].is_object() && current.is_some() => {
                probes_for_object(doc, property, base, &here, out);
            }
            _ => {}
        }
    }
}

/// Does the error name `field`, or something inside it, or (with `or_holder`) the part
/// of the body that holds it? A rule across a list's items (one name must be the
/// original) names the list, not one item's field.
fn names(error: &Value, field: &str, or_holder: bool) -> bool {
    error["error"]["details"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["field"].as_str())
        .any(|named| {
            named == field
                || [".", "["].iter().any(|sep| {
                    named.starts_with(&format!("{field}{sep}"))
                        || (or_holder && field.starts_with(&format!("{named}{sep}")))
                })
        })
}

/// One operation and a body the server accepts.
struct Case<'a> {
    method: Method,
    path: String,
    token: Option<&'a str>,
    base: Value,
}

impl Case<'_> {
    async fn send(&self, app: &TestApp, body: &Value) -> (u16, Value) {
        let (status, body, _) = self.send_seeing_etag(app, body).await;
        (status, body)
    }

    async fn send_seeing_etag(&self, app: &TestApp, body: &Value) -> (u16, Value, bool) {
        let mut request = app.request(self.method.clone(), &self.path, self.token);
        if self.method == Method::PATCH {
            // Each update goes against the version just read.
            let read = app.get(&self.path, self.token).await;
            if let Some(etag) = read.headers().get("etag") {
                request = request.header("If-Match", etag.clone());
            }
        }
        let response = request.json(body).send().await.unwrap();
        let status = response.status().as_u16();
        let etag = response.headers().contains_key("etag");
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            etag,
        )
    }

    /// Refusals first (they change nothing), then the base body, which must succeed,
    /// then each value inside the bounds, which the server may refuse for other reasons
    /// (a state, a duplicate) but not for that field. Returns the base's response.
    async fn check(&self, app: &TestApp, doc: &Value, failures: &mut Vec<String>) -> Value {
        let operation = &doc["paths"][self.openapi_path()][self.method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is documented",
            self.method,
            self.path
        );
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{} {} has a JSON body",
            self.method,
            self.path
        );
        let mut probes = Vec::new();
        probes_for_object(doc, schema, &self.base, &[], &mut probes);
        let (refusals, acceptances): (Vec<_>, Vec<_>) = probes.into_iter().partition(|p| p.refused);
        for probe in &refusals {
            let (status, body) = self.send(app, &apply(&self.base, probe)).await;
            if status != 422 || !names(&body, &probe.field, true) {
                failures.push(format!(
                    "{} {}: {} {} should be a 422 naming it, got {status} {body}",
                    self.method, self.path, probe.field, probe.what
                ));
            }
        }
        let (status, accepted, etag) = self.send_seeing_etag(app, &self.base).await;
        assert!(
            (200..300).contains(&status),
            "{} {}: the base body is accepted: {status} {accepted}",
            self.method,
            self.path
        );
        let declared = operation["responses"][status.to_string()]["headers"]["ETag"].is_object();
        if declared != etag {
            failures.push(format!(
                "{} {}: an ETag is sent ({etag}) and declared ({declared}) alike",
                self.method, self.path
            ));
        }
        for probe in &acceptances {
            let (status, body) = self.send(app, &apply(&self.base, probe)).await;
            if status >= 500 || (status == 422 && names(&body, &probe.field, false)) {
                failures.push(format!(
                    "{} {}: {} {} is within the document's rules, got {status} {body}",
                    self.method, self.path, probe.field, probe.what
                ));
            }
        }
        assert!(
            refusals.len() + acceptances.len() > 2,
            "{} {} is probed",
            self.method,
            self.path
        );
        accepted
    }

    /// `/api/v1/gis/12/actions` as the document writes it: `/api/v1/gis/{id}/actions`.
    fn openapi_path(&self) -> String {
        let doc = document();
        let segments: Vec<&str> = self.path.split('/').collect();
        doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .find(|candidate| {
                let theirs: Vec<&str> = candidate.split('/').collect();
                theirs.len() == segments.len()
                    && theirs
                        .iter()
                        .zip(&segments)
                        .all(|(a, b)| a == b || a.starts_with('{'))
                    && doc["paths"][candidate.as_str()][self.method.as_str().to_lowercase()]
                        .is_object()
            })
            .cloned()
            .unwrap_or_else(|| panic!("{} is in the document", self.path))
    }
}

async fn request_rules_in_the_document_are_the_rules_the_server_enforces(app: TestApp) {
    let doc = document();
    let w = partners(&app).await;
    let admin = Some(w.admin.as_str());
    let mut failures = Vec::new();

    // Offices, associations, users, programmes: the admin's.
    let cases = [
        Case {
            method: Method::POST,
            path: "/api/v1/offices".into(),
            token: admin,
            base: json!({"code": "JPO", "jurisdiction": "JP", "name": "Japan Patent Office",
                         "opposition_period_days": 60, "languages": ["ja"]}),
        },
        Case {
            method: Method::PATCH,
            path: "/api/v1/offices/JPO".into(),
            token: admin,
            base: json!({"name": "Japan Patent Office (GI)", "opposition_period_days": 90}),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/associations".into(),
            token: admin,
            base: json!({"name": "Probe tea association", "office": "CNIPA",
                         "address": "1 Tea Road, Hangzhou"}),
        },
        Case {
            method: Method::PATCH,
            path: format!("/api/v1/associations/{}", w.cn_association),
            token: admin,
            base: json!({"address": "2 Tea Road, Hangzhou"}),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/users".into(),
            token: admin,
            base: json!({"username": "probe-examiner", "password": PASSWORD, "role": "examiner",
                         "office": "CNIPA", "display_name": "Probe examiner"}),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/programmes".into(),
            token: admin,
            base: programme_body("CN-EU", &["CNIPA", "EUIPO"], 365),
        },
        Case {
            method: Method::PATCH,
            path: format!("/api/v1/programmes/{CN_TH}"),
            token: admin,
            base: json!({"title": "Mutual recognition programme CN-TH (amended)"}),
        },
    ];
    for case in &cases {
        case.check(&app, &doc, &mut failures).await;
    }
    let target = expect(
        app.post(
            "/api/v1/users",
            admin,
            json!({"username": "probe-target", "password": PASSWORD, "role": "examiner",
                   "office": "CNIPA"}),
        )
        .await,
        201,
    )
    .await;
    Case {
        method: Method::PATCH,
        path: format!("/api/v1/users/{}", id_of(&target)),
        token: admin,
        base: json!({"display_name": "Probe target"}),
    }
    .check(&app, &doc, &mut failures)
    .await;

    // The register: applications, drafts, actions, oppositions, specifications.
    let assoc = Some(w.cn_assoc.as_str());
    let examiner = Some(w.cn_examiner.as_str());
    Case {
        method: Method::POST,
        path: "/api/v1/gis".into(),
        token: assoc,
        base: longjing(w.cn_association),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let draft = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    Case {
        method: Method::PATCH,
        path: format!("/api/v1/gis/{draft}"),
        token: assoc,
        base: json!({"area_description": "West Lake, Hangzhou", "nice_class": 30}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    Case {
        method: Method::POST,
        path: format!("/api/v1/gis/{draft}/actions"),
        token: assoc,
        base: json!({"action": "file", "effective_on": FILED_ON}),
    }
    .check(&app, &doc, &mut failures)
    .await;

    let published = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, published, "file", FILED_ON).await;
    act_ok(
        &app,
        &w.cn_examiner,
        published,
        "start_examination",
        EXAMINED_ON,
    )
    .await;
    act_ok(&app, &w.cn_examiner, published, "publish", PUBLISHED_ON).await;
    let opposition = |name: &str| {
        json!({"grounds": "Prior use of the name since 1990", "opponent_name": name,
               "filed_on": "2026-04-01"})
    };
    let filed = Case {
        method: Method::POST,
        path: format!("/api/v1/gis/{published}/oppositions"),
        token: examiner,
        base: opposition("A tea trader"),
    }
    .check(&app, &doc, &mut failures)
    .await;
    Case {
        method: Method::POST,
        path: format!("/api/v1/oppositions/{}/actions", id_of(&filed)),
        token: examiner,
        base: json!({"action": "reject", "grounds": "No prior use shown",
                     "effective_on": "2026-04-15"}),
    }
    .check(&app, &doc, &mut failures)
    .await;

    let registered = registered(&app, &w).await;
    let proposal = json!({"specification": specification("Flat, jade-green leaves, revised"),
                          "reason": "A clearer description"});
    let proposed = expect(
        app.post(
            &format!("/api/v1/gis/{registered}/specifications"),
            assoc,
            proposal.clone(),
        )
        .await,
        201,
    )
    .await;
    Case {
        method: Method::POST,
        path: format!(
            "/api/v1/gis/{registered}/specifications/{}/actions",
            proposed["version"]
        ),
        token: examiner,
        base: json!({"action": "approve"}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    Case {
        method: Method::POST,
        path: format!("/api/v1/gis/{registered}/specifications"),
        token: assoc,
        base: proposal,
    }
    .check(&app, &doc, &mut failures)
    .await;

    // The partner phase.
    let submitted = Case {
        method: Method::POST,
        path: "/api/v1/recognitions".into(),
        token: examiner,
        base: submission(CN_TH, registered, "DIP", "2026-05-10"),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let second = registered_with(&app, &w, "Longjing xin cha").await;
    Case {
        method: Method::POST,
        path: "/api/v1/recognitions/lists".into(),
        token: examiner,
        base: json!({"programme": CN_TH, "list_label": "Annex III, batch 2",
                     "effective_on": "2026-05-10",
                     "items": [{"gi_id": second, "partner": "DIP"}]}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let recognition = id_of(&submitted);
    let th_examiner = Some(w.th_examiner.as_str());
    Case {
        method: Method::POST,
        path: format!("/api/v1/recognitions/{recognition}/actions"),
        token: th_examiner,
        base: json!({"action": "start_examination", "effective_on": "2026-05-20"}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let third = registered_with(&app, &w, "Longjing lao cha").await;
    let published =
        id_of(&submit_ok(&app, &w.cn_examiner, CN_TH, third, "DIP", "2026-05-10").await);
    r_act_ok(
        &app,
        &w.th_examiner,
        published,
        "start_examination",
        "2026-05-20",
    )
    .await;
    r_act_ok(&app, &w.th_examiner, published, "publish", "2026-06-01").await;
    Case {
        method: Method::POST,
        path: format!("/api/v1/recognitions/{published}/oppositions"),
        token: th_examiner,
        base: json!({"grounds": "A Thai mark of the same name", "opponent_name": "A Thai trader",
                     "filed_on": "2026-06-10"}),
    }
    .check(&app, &doc, &mut failures)
    .await;

    // Sessions and passwords.
    Case {
        method: Method::POST,
        path: "/api/v1/auth/login".into(),
        token: None,
        base: json!({"username": "doitung", "password": PASSWORD}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let tokens = app.tokens("doitung", PASSWORD).await;
    Case {
        method: Method::POST,
        path: "/api/v1/auth/refresh".into(),
        token: None,
        base: json!({"refresh_token": tokens["refresh_token"]}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    let session = app.tokens("doitung", PASSWORD).await;
    Case {
        method: Method::POST,
        path: "/api/v1/auth/logout".into(),
        token: session["access_token"].as_str(),
        base: json!({"refresh_token": session["refresh_token"]}),
    }
    .check(&app, &doc, &mut failures)
    .await;
    Case {
        method: Method::POST,
        path: "/api/v1/me/password".into(),
        token: Some(w.th_assoc.as_str()),
        base: json!({"current_password": PASSWORD, "new_password": "another-long-password"}),
    }
    .check(&app, &doc, &mut failures)
    .await;

    assert!(
        failures.is_empty(),
        "the document and the server disagree:\n{}",
        failures.join("\n")
    );
}

/// A CNIPA GI registered on the standard dates.
async fn registered(app: &TestApp, w: &crate::register::World) -> i64 {
    registered_with(app, w, "Longjing cha").await
}

async fn registered_with(app: &TestApp, w: &crate::register::World, latin: &str) -> i64 {
    let names = json!([{"text": latin, "lang": "zh-Latn", "script": "Latn",
                        "kind": "original"}]);
    let id = create_gi_id(
        app,
        &w.cn_assoc,
        application("CNIPA", Some(w.cn_association), names),
    )
    .await;
    act_ok(app, &w.cn_assoc, id, "file", FILED_ON).await;
    for (action, on) in [
        ("start_examination", EXAMINED_ON),
        ("publish", PUBLISHED_ON),
        ("register", REGISTERED_ON),
    ] {
        act_ok(app, &w.cn_examiner, id, action, on).await;
    }
    id
}
