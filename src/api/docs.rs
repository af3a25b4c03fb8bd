//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{
    associations, atom, audit, auth, conflicts, documents, exports, feed, gi_area, gi_proceedings,
    gis, health, keys, me, notices, office_lists, offices, programmes, protection, recognitions,
    subscriptions, users,
};

/// The error envelope every failure uses.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `invalid_transition`, `validation_failed`.
    code: String,
    /// For people.
    message: String,
    /// Structured detail: the failed fields (422), the current status and allowed
    /// actions (409), the current version (412), or null.
    details: serde_json::Value,
}

/// `GET /healthz`: the process is up.
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
pub struct Liveness {
    status: LivenessStatus,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum LivenessStatus {
    Ok,
}

/// `GET /readyz`: the database answers.
#[derive(serde::Serialize, ToSchema)]
#[allow(dead_code)]
pub struct Readiness {
    status: ReadinessStatus,
    /// The backend in use.
    database: DatabaseBackend,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ReadinessStatus {
    Ready,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum DatabaseBackend {
    Sqlite,
    Postgres,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Terroir",
        description = "A registry for the mutual recognition of geographical indications between IP offices.",
        license(name = "Apache-2.0")
    ),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        auth::login,
        auth::refresh,
        auth::logout,
        me::me,
        me::change_password,
        offices::list,
        offices::create,
        offices::read,
        offices::update,
        offices::list_holidays,
        offices::add_holidays,
        offices::remove_holiday,
        associations::list,
        associations::create,
        associations::read,
        associations::update,
        users::list,
        users::create,
        users::read,
        users::update,
        audit::list,
        audit::verify,
        audit::head,
        gis::list,
        gis::create,
        gis::read,
        gis::edit,
        gis::act,
        gis::list_events,
        gi_area::read_area,
        gi_proceedings::list_oppositions,
        gi_proceedings::file_opposition,
        gi_proceedings::decide_opposition,
        gi_proceedings::list_specifications,
        gi_proceedings::read_specification,
        gi_proceedings::propose_amendment,
        gi_proceedings::decide_amendment,
        protection::read_protection,
        protection::read_worklist,
        programmes::list,
        programmes::create,
        programmes::read,
        programmes::amend,
        programmes::record_amendment,
        recognitions::submit,
        recognitions::submit_list,
        recognitions::list,
        recognitions::read,
        recognitions::act,
        recognitions::list_events,
        recognitions::list_oppositions,
        recognitions::file_opposition,
        documents::attach_to_gi,
        documents::list_of_gi,
        documents::attach_to_recognition,
        documents::list_of_recognition,
        documents::download,
        atom::gi_feed,
        atom::programme_feed,
        atom::office_feed,
        notices::list,
        notices::mark_read,
        subscriptions::create,
        subscriptions::list,
        subscriptions::read,
        subscriptions::cancel,
        subscriptions::deliveries,
        exports::export_recognitions,
        exports::read_export,
        exports::replay_export,
        keys::list,
        office_lists::list_terms,
        office_lists::add_term,
        office_lists::load_trademarks,
        feed::feed,
        conflicts::check,
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        crate::domain::gi_status::GiStatus,
        crate::domain::recognition_status::RecognitionStatus,
        crate::domain::gi::GiType,
        crate::domain::gi::ProductType,
        crate::export::ExportFormat,
        subscriptions::DeliveryStatus,
    )),
    modifiers(
        &BearerAuth,
        &DefaultErrors,
        &PageItemsByReference,
        &StrictIntegers,
        &DistinctItems
    ),
    tags(
        (name = "auth", description = "Log in, refresh, log out; the caller's own account"),
        (name = "offices", description = "IP offices"),
        (name = "associations", description = "Producers' associations"),
        (name = "users", description = "User accounts and roles"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "gis", description = "The register at the origin office: applications, lifecycle, search"),
        (name = "oppositions", description = "Oppositions, at home and in partner offices"),
        (name = "specifications", description = "Product specifications and their amendments"),
        (name = "programmes", description = "Mutual-recognition programmes"),
        (name = "recognitions", description = "The partner phase: recognitions, protection status, work lists"),
        (name = "notices", description = "What happened to an association's GIs at home and abroad, and the deadlines ahead"),
        (name = "subscriptions", description = "Webhooks: signed pushes of changes to partner systems and associations, with a delivery log"),
        (name = "documents", description = "Specifications, decisions, maps and letters filed with a GI or a recognition"),
        (name = "exports", description = "Recognition lists as of a date, for auditors"),
        (name = "feed", description = "The public change feed for partner systems, and Atom feeds of a GI, a programme or an office"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every operation may also answer any other documented status of DESIGN §4 (400, 401,
/// 413, 415, 429, 503, …) in the error envelope: the `default` response says so.
struct DefaultErrors;

impl Modify for DefaultErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let response = ResponseBuilder::new()
            .description("Any other failure, in the error envelope")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                operation
                    .responses
                    .responses
                    .entry("default".to_string())
                    .or_insert_with(|| response.clone().into());
            }
        }
    }
}

/// utoipa inlines a generic's argument: `Page_GiView` would carry its own copy of
/// `GiView`. A client generator then makes a second, unrelated class for each list's
/// items. Each `Page_X` refers to `X` instead.
struct PageItemsByReference;

impl Modify for PageItemsByReference {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ArrayBuilder, Schema};
        use utoipa::openapi::{Ref, RefOr};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let names: Vec<String> = components.schemas.keys().cloned().collect();
        for name in names {
            let Some(item) = name.strip_prefix("Page_") else {
                continue;
            };
            if !components.schemas.contains_key(item) {
                continue;
            }
            if let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(&name) {
                if let Some(items) = page.properties.get_mut("items") {
                    *items = ArrayBuilder::new()
                        .items(Ref::from_schema_name(item))
                        .build()
                        .into();
                }
            }
        }
    }
}

/// JSON Schema counts `4008.0` as an integer; the server does not (serde refuses a
/// number with a fraction or an exponent for an integer field, a 422 naming the field).
/// Every integer in the document says so.
struct StrictIntegers;

pub const STRICT_INTEGER_NOTE: &str =
    "Written as a JSON integer: `4008.0` or `4.008e3` is refused (422).";

impl Modify for StrictIntegers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::RefOr;
        fn visit(schema: &mut Schema) {
            match schema {
                Schema::Object(object) => {
                    if is_integer(&object.schema_type) {
                        let note = match object.description.take() {
                            Some(text) => format!("{text}\n\n{STRICT_INTEGER_NOTE}"),
                            None => STRICT_INTEGER_NOTE.to_string(),
                        };
                        object.description = Some(note);
                    }
                    for property in object.properties.values_mut() {
                        if let RefOr::T(inner) = property {
                            visit(inner);
                        }
                    }
                }
                Schema::Array(array) => {
                    if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) =
                        &mut array.items
                    {
                        if let RefOr::T(inner) = items.as_mut() {
                            visit(inner);
                        }
                    }
                }
                Schema::OneOf(one) => one.items.iter_mut().for_each(|item| {
                    if let RefOr::T(inner) = item {
                        visit(inner);
                    }
                }),
                _ => {}
            }
        }
        fn is_integer(schema_type: &utoipa::openapi::schema::SchemaType) -> bool {
            use utoipa::openapi::schema::{SchemaType, Type};
            match schema_type {
                SchemaType::Type(t) => *t == Type::Integer,
                SchemaType::Array(types) => types.contains(&Type::Integer),
                SchemaType::AnyValue => false,
            }
        }
        let requests = request_schemas(openapi);
        if let Some(components) = openapi.components.as_mut() {
            for (name, schema) in components.schemas.iter_mut() {
                if let (true, RefOr::T(schema)) = (requests.contains(name), schema) {
                    visit(schema);
                }
            }
        }
    }
}

/// Lists whose items must differ (`validate` refuses a repeated one); utoipa's derive
/// cannot say `uniqueItems`, so it is said here.
struct DistinctItems;

pub const DISTINCT_ITEMS: [(&str, &str); 2] =
    [("CreateProgramme", "parties"), ("TermChanges", "parties")];

impl Modify for DistinctItems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (schema, field) in DISTINCT_ITEMS {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) {
                if let Some(RefOr::T(Schema::Array(array))) = object.properties.get_mut(field) {
                    array.unique_items = true;
                }
            }
        }
    }
}

/// The component schemas a request body uses, directly or through references.
pub fn request_schemas(openapi: &utoipa::openapi::OpenApi) -> std::collections::BTreeSet<String> {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    found.push(r.trim_start_matches("#/components/schemas/").to_string());
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    for item in openapi.paths.paths.values() {
        for operation in [&item.post, &item.put, &item.patch].into_iter().flatten() {
            if let Some(body) = &operation.request_body {
                refs(
                    &serde_json::to_value(body).unwrap_or_default(),
                    &mut pending,
                );
            }
        }
    }
    let schemas = openapi
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .cloned()
        .unwrap_or_default();
    let mut found = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if found.insert(name.clone()) {
            if let Some(schema) = schemas.get(&name) {
                refs(
                    &serde_json::to_value(schema).unwrap_or_default(),
                    &mut pending,
                );
            }
        }
    }
    found
}

/// The document as YAML, exactly as `openapi.yaml` must hold it.
pub fn openapi_yaml() -> Result<String, String> {
    ApiDoc::openapi().to_yaml().map_err(|e| e.to_string())
}
