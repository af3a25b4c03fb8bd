//! The OpenAPI document is something a client can be generated from: every operation
//! has its own id, and the rules it declares are the rules the server enforces.

use std::collections::BTreeMap;

use serde_json::Value;

fn document() -> Value {
    use utoipa::OpenApi;
    serde_json::to_value(terroir::api::docs::ApiDoc::openapi()).unwrap()
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Generators key operations by id; a shared id silently drops all but one of them.
#[test]
fn every_operation_has_its_own_id() {
    let doc = document();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut without = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let name = format!("{} {path}", method.to_uppercase());
            match operation["operationId"].as_str() {
                Some(id) => seen.entry(id.to_string()).or_default().push(name),
                None => without.push(name),
            }
        }
    }
    assert!(without.is_empty(), "operations without an id: {without:?}");
    let shared: Vec<_> = seen.iter().filter(|(_, ops)| ops.len() > 1).collect();
    assert!(shared.is_empty(), "operation ids used twice: {shared:?}");
    // The two that a generator dropped: home oppositions beside partner ones.
    for id in [
        "list_gi_oppositions",
        "file_gi_opposition",
        "list_recognition_oppositions",
        "file_recognition_opposition",
    ] {
        assert!(seen.contains_key(id), "{id}");
    }
}

fn operations(doc: &Value) -> Vec<(String, &'static str, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push((path.clone(), method, operation));
            }
        }
    }
    out
}

/// Every response that carries an ETag says so: a resource read with an ETag carries
/// one too when it is created (201), updated (PATCH) or moved by an action.
#[test]
fn etag_is_declared_wherever_it_is_sent() {
    let doc = document();
    let body_of = |response: &Value| {
        response["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .map(str::to_string)
    };
    let mut versioned = std::collections::BTreeSet::new();
    for (_, method, operation) in operations(&doc) {
        let ok = &operation["responses"]["200"];
        if method == "get" && ok["headers"]["ETag"].is_object() {
            versioned.extend(body_of(ok));
        }
    }
    assert!(versioned.len() >= 6, "{versioned:?}");
    let mut missing = Vec::new();
    for (path, method, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let writes = method != "get" && matches!(status.as_str(), "200" | "201");
            let of_versioned = body_of(response).is_some_and(|b| versioned.contains(&b));
            if writes && of_versioned && !response["headers"]["ETag"].is_object() {
                missing.push(format!("{method} {path} {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "ETag not declared: {missing:?}");
}

/// A list's page refers to its item schema, so a generated client has one class per
/// resource, not one more per list.
#[test]
fn pages_refer_to_their_item_schema() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let pages: Vec<_> = schemas.keys().filter(|k| k.starts_with("Page_")).collect();
    assert!(pages.len() >= 5, "{pages:?}");
    for name in pages {
        let item = name.trim_start_matches("Page_");
        assert_eq!(
            schemas[name]["properties"]["items"]["items"]["$ref"],
            format!("#/components/schemas/{item}"),
            "{name}"
        );
    }
}

/// Views name the enums their fields take, not plain strings.
#[test]
fn views_use_the_enums() {
    let doc = document();
    for (schema, field, enumeration) in [
        ("GiView", "status", "GiStatus"),
        ("GiView", "gi_type", "GiType"),
        ("GiView", "product_type", "ProductType"),
        ("RecognitionView", "status", "RecognitionStatus"),
        ("Territory", "status", "RecognitionStatus"),
        ("UserView", "role", "Role"),
        ("OppositionView", "status", "OppositionStatus"),
        ("ExportRecord", "format", "ExportFormat"),
        ("ExportRow", "status", "RecognitionStatus"),
        ("ActionRequest", "action", "GiAction"),
        ("RecognitionActionRequest", "action", "RecognitionAction"),
        ("OppositionDecision", "action", "OppositionAction"),
        ("AmendmentDecision", "action", "AmendmentAction"),
    ] {
        assert_eq!(
            doc["components"]["schemas"][schema]["properties"][field]["$ref"],
            format!("#/components/schemas/{enumeration}"),
            "{schema}.{field}"
        );
        assert!(
            doc["components"]["schemas"][enumeration]["enum"].is_array(),
            "{enumeration}"
        );
    }
    // The action enums are the actions the server parses.
    use terroir::domain::{gi_status, opposition_status, recognition_status};
    for (schema, names) in [
        ("GiAction", gi_status::GiAction::NAMES),
        (
            "RecognitionAction",
            recognition_status::RecognitionAction::NAMES,
        ),
        (
            "OppositionAction",
            opposition_status::OppositionAction::NAMES,
        ),
        (
            "OppositionStatus",
            opposition_status::OppositionStatus::NAMES,
        ),
    ] {
        let listed: Vec<&str> = doc["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, names, "{schema}");
    }
}

/// What is not JSON says what it is: each export format, the probes, the metrics.
#[test]
fn non_json_and_operational_responses_are_declared() {
    let doc = document();
    let export =
        &doc["paths"]["/api/v1/exports/recognitions"]["get"]["responses"]["200"]["content"];
    assert_eq!(export["text/csv"]["schema"]["type"], "string");
    assert_eq!(
        export["application/json"]["schema"]["$ref"],
        "#/components/schemas/ExportDocument"
    );
    let workbook = &export["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"];
    assert_eq!(workbook["schema"]["$ref"], "#/components/schemas/Workbook");
    assert_eq!(doc["components"]["schemas"]["Workbook"]["type"], "string");
    assert_eq!(doc["components"]["schemas"]["Workbook"]["format"], "binary");
    for (path, schema) in [("/healthz", "Liveness"), ("/readyz", "Readiness")] {
        assert_eq!(
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            format!("#/components/schemas/{schema}"),
            "{path}"
        );
    }
    let metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
        .as_object()
        .unwrap();
    assert!(
        metrics.keys().all(|k| k.starts_with("text/plain")),
        "{metrics:?}"
    );
}

/// Lists the server refuses with a repeated item say `uniqueItems`.
#[test]
fn distinct_lists_say_so() {
    let doc = document();
    for (schema, field) in terroir::api::docs::DISTINCT_ITEMS {
        assert_eq!(
            doc["components"]["schemas"][schema]["properties"][field]["uniqueItems"], true,
            "{schema}.{field}"
        );
    }
}
