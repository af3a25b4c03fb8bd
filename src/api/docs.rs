//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{
    associations, audit, auth, exports, feed, gi_area, gi_proceedings, gis, health, me, offices,
    programmes, protection, recognitions, users,
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
        recognitions::submit,
        recognitions::submit_list,
        recognitions::list,
        recognitions::read,
        recognitions::act,
        recognitions::list_events,
        recognitions::list_oppositions,
        recognitions::file_opposition,
        exports::export_recognitions,
        exports::read_export,
        feed::feed,
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        crate::domain::gi_status::GiStatus,
        crate::domain::recognition_status::RecognitionStatus,
        crate::domain::gi::GiType,
        crate::domain::gi::ProductType,
        crate::export::ExportFormat,
    )),
    modifiers(&BearerAuth, &DefaultErrors),
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
        (name = "exports", description = "Recognition lists as of a date, for auditors"),
        (name = "feed", description = "The public change feed for partner systems"),
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

/// The document as YAML, exactly as `openapi.yaml` must hold it.
pub fn openapi_yaml() -> Result<String, String> {
    ApiDoc::openapi().to_yaml().map_err(|e| e.to_string())
}
