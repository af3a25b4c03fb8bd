//! Applying for a GI at its origin office: the draft, its edits, who may see it.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::acting::Acting;
use super::gi_views::{full_view, GiView};
use super::record::{record, Change};
use crate::db::AnyConnection;
use crate::domain::gi::{GiName, GiType, NameKind, ProductType};
use crate::domain::gi_status::GI_CREATE_ACTOR;
use crate::domain::identifiers::validate;
use crate::domain::names::{detect_script, search_blob};
use crate::domain::permissions::{can_see_draft, Action};
use crate::domain::role::Actor;
use crate::domain::{geojson, language_tags, name_text, product_class, scripts};
use crate::error::AppError;
use crate::store::gis::{self, GiChanges, GiWithOffice, NewGi, NewName};
use crate::store::specifications::{self, NewSpecification, SpecificationContent};
use crate::store::{associations, offices};

const MAX_SPEC_CHARS: u64 = 20_000;

#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameInput {
    #[schema(min_length = 1, max_length = 300)]
    /// Visible text: at least one letter; no bidi controls, byte-order marks or other
    /// invisible (default-ignorable) characters except ZWNJ, ZWJ and variation selectors.
    #[validate(length(min = 1, max = 300), custom(function = "valid_name_text"))]
    pub text: String,
    /// BCP-47, e.g. `zh`, `zh-Latn`, `th`.
    #[validate(custom(function = "valid_lang"))]
    pub lang: String,
    /// ISO 15924, e.g. `Hans`, `Thai`; detected from the text when absent. When given,
    /// it must be the script of some of the text's letters (`Longjing` is not `Hans`).
    #[validate(custom(function = "valid_script"))]
    pub script: Option<String>,
    pub kind: NameKind,
    /// e.g. `pinyin`, `rtgs`.
    #[schema(min_length = 1, max_length = 40)]
    #[validate(length(min = 1, max = 40))]
    pub romanization: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecificationInput {
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(
        length(min = 1, max = "MAX_SPEC_CHARS"),
        custom(function = "validate::not_blank")
    )]
    pub product_description: String,
    #[schema(max_length = 20000)]
    #[validate(length(max = "MAX_SPEC_CHARS"))]
    pub raw_materials: Option<String>,
    #[schema(max_length = 20000)]
    #[validate(length(max = "MAX_SPEC_CHARS"))]
    pub production_method: Option<String>,
    #[schema(max_length = 20000)]
    #[validate(length(max = "MAX_SPEC_CHARS"))]
    pub link_with_area: Option<String>,
    #[schema(max_length = 20000)]
    #[validate(length(max = "MAX_SPEC_CHARS"))]
    pub labelling: Option<String>,
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub control_body: Option<String>,
}

impl SpecificationInput {
    pub fn content(self) -> SpecificationContent {
        SpecificationContent {
            product_description: self.product_description,
            raw_materials: self.raw_materials,
            production_method: self.production_method,
            link_with_area: self.link_with_area,
            labelling: self.labelling,
            control_body: self.control_body,
        }
    }
}

/// A new GI application (a draft).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiApplication {
    /// The origin office's code.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub origin_office: String,
    /// The applicant; an association user's own association when absent.
    pub association_id: Option<i64>,
    pub gi_type: GiType,
    pub product_type: ProductType,
    /// e.g. `1.6` (fruit, vegetables, cereals), `1.8` (other, incl. tea), `wine`.
    #[validate(custom(function = "valid_product_class"))]
    pub product_class: String,
    #[schema(minimum = 1, maximum = 45)]
    #[validate(range(min = 1, max = 45))]
    pub nice_class: Option<i32>,
    #[schema(min_items = 1, max_items = 20)]
    #[validate(length(min = 1, max = 20), nested, custom(function = "has_original"))]
    pub names: Vec<NameInput>,
    #[schema(min_length = 1, max_length = 5000)]
    #[validate(length(min = 1, max = 5000), custom(function = "validate::not_blank"))]
    pub area_description: String,
    /// A GeoJSON Polygon or MultiPolygon.
    #[schema(value_type = Option<Object>)]
    #[validate(custom(function = "valid_geojson"))]
    pub area_geojson: Option<Value>,
    #[validate(nested)]
    pub specification: SpecificationInput,
}

/// An edit of a draft: only the fields given change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiDraftEdit {
    pub gi_type: Option<GiType>,
    pub product_type: Option<ProductType>,
    #[validate(custom(function = "valid_product_class"))]
    pub product_class: Option<String>,
    #[schema(minimum = 1, maximum = 45)]
    #[validate(range(min = 1, max = 45))]
    pub nice_class: Option<i32>,
    #[schema(min_items = 1, max_items = 20)]
    #[validate(length(min = 1, max = 20), nested, custom(function = "has_original"))]
    pub names: Option<Vec<NameInput>>,
    #[schema(min_length = 1, max_length = 5000)]
    #[validate(length(min = 1, max = 5000), custom(function = "validate::not_blank"))]
    pub area_description: Option<String>,
    #[schema(value_type = Option<Object>)]
    #[validate(custom(function = "valid_geojson"))]
    pub area_geojson: Option<Value>,
    #[validate(nested)]
    pub specification: Option<SpecificationInput>,
}

fn invalid(code: &'static str, message: String) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

fn valid_lang(tag: &str) -> Result<(), ValidationError> {
    if language_tags::is_valid_language_tag(tag) {
        Ok(())
    } else {
        Err(invalid(
            "lang",
            format!("{tag:?} is not a BCP-47 language tag"),
        ))
    }
}

fn valid_name_text(text: &str) -> Result<(), ValidationError> {
    validate::not_blank(text)?;
    name_text::check_visible(text).map_err(|why| invalid("visible_text", why))
}

fn valid_script(code: &str) -> Result<(), ValidationError> {
    if scripts::is_known_script(code) {
        Ok(())
    } else {
        Err(invalid(
            "script",
            format!("{code:?} is not an ISO 15924 script code"),
        ))
    }
}

fn valid_product_class(code: &str) -> Result<(), ValidationError> {
    if product_class::is_known_product_class(code) {
        Ok(())
    } else {
        Err(invalid(
            "product_class",
            format!("{code:?} is not a known product class"),
        ))
    }
}

fn has_original(names: &[NameInput]) -> Result<(), ValidationError> {
    if names.iter().any(|n| n.kind == NameKind::Original) {
        Ok(())
    } else {
        Err(invalid(
            "original_name",
            "at least one name must be of kind original".into(),
        ))
    }
}

fn valid_geojson(value: &Value) -> Result<(), ValidationError> {
    geojson::validate_area_geojson(value).map_err(|why| invalid("geojson", why))
}

/// Names as stored, with scripts detected where the applicant gave none; a declared
/// script that is not the script of any letter of its name is a 422 on
/// `names[i].script`.
pub fn resolve_names(inputs: Vec<NameInput>) -> Result<Vec<GiName>, AppError> {
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            if let Some(script) = &n.script {
                name_text::script_fits(&n.text, script)
                    .map_err(|why| AppError::invalid(format!("names[{i}].script"), why))?;
            }
            Ok(GiName {
                script: n
                    .script
                    .unwrap_or_else(|| detect_script(&n.text).to_string()),
                lang: language_tags::canonical_language_tag(&n.lang).unwrap_or(n.lang),
                text: n.text.trim().to_string(),
                kind: n.kind,
                romanization: n.romanization,
            })
        })
        .collect()
}

pub fn blob_of(names: &[GiName]) -> String {
    let texts: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
    search_blob(&texts)
}

pub fn store_names(conn: &mut AnyConnection, gi_id: i64, names: &[GiName]) -> Result<(), AppError> {
    let rows: Vec<NewName<'_>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| NewName {
            gi_id,
            position: i as i32,
            text: &n.text,
            lang: &n.lang,
            script: &n.script,
            kind: n.kind.as_str(),
            romanization: n.romanization.as_deref(),
        })
        .collect();
    gis::replace_names(conn, gi_id, &rows)
}

/// A GI the reader may see, or 404: someone else's unfiled GI does not exist for them.
pub fn load_visible(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
) -> Result<GiWithOffice, AppError> {
    let found = gis::by_id(conn, id)?.ok_or_else(|| AppError::not_found("GI"))?;
    let (gi, _) = &found;
    // Never filed (a draft, or withdrawn as a draft): private to its applicant, its
    // office, auditors and admins.
    if gi.file_number.is_none() && !can_see_draft(reader, gi.origin_office_id, gi.association_id) {
        return Err(AppError::not_found("GI"));
    }
    Ok(found)
}

pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    app: GiApplication,
    now: NaiveDateTime,
) -> Result<GiView, AppError> {
    let office = offices::by_code(conn, &app.origin_office)?
        .ok_or_else(|| AppError::invalid("origin_office", "no office has this code"))?;
    let association_id = app.association_id.or(acting.actor.association_id);
    if let Some(id) = association_id {
        let (association, _) = associations::by_id(conn, id)?
            .ok_or_else(|| AppError::invalid("association_id", "no association has this id"))?;
        if association.office_id != office.id {
            return Err(AppError::invalid(
                "association_id",
                "the association belongs to another office than the origin office",
            ));
        }
    }
    acting.authorize(Action::Act {
        who: GI_CREATE_ACTOR,
        origin_office_id: office.id,
        association_id,
        partner_office_id: None,
    })?;
    let names = resolve_names(app.names)?;
    let id = gis::insert(
        conn,
        &NewGi {
            file_number: None,
            registration_number: None,
            origin_office_id: office.id,
            association_id,
            gi_type: app.gi_type.as_str().into(),
            product_type: app.product_type.as_str().into(),
            product_class: app.product_class,
            nice_class: app.nice_class,
            area_description: app.area_description,
            area_geojson: app.area_geojson.map(|v| v.to_string()),
            countries: json!([office.jurisdiction]).to_string(),
            legal_instrument: None,
            status: "draft".into(),
            filed_on: None,
            published_on: None,
            opposition_deadline: None,
            registered_on: None,
            decided_on: None,
            search_blob: blob_of(&names),
            source: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    store_names(conn, id, &names)?;
    let spec = app.specification.content();
    specifications::insert(
        conn,
        &NewSpecification {
            gi_id: id,
            version: 1,
            status: "current".into(),
            product_description: spec.product_description,
            raw_materials: spec.raw_materials,
            production_method: spec.production_method,
            link_with_area: spec.link_with_area,
            labelling: spec.labelling,
            control_body: spec.control_body,
            reason: None,
            proposed_by: Some(acting.audit.name.clone()),
            proposed_at: now,
        },
    )?;
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: id,
            gi_id: id,
            event_type: "create",
            from_status: None,
            to_status: "draft",
            effective_on: now.date(),
            grounds: None,
            details: json!({ "names": names }),
            public: false,
        },
    )?;
    let row = gis::by_id(conn, id)?.ok_or_else(|| AppError::not_found("GI"))?;
    full_view(conn, row)
}

/// Edits a draft, only at the version the editor read (`If-Match` is required).
pub fn edit_draft(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    expected_version: i32,
    edit: GiDraftEdit,
) -> Result<GiView, AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), id)?;
    acting.authorize(Action::Act {
        who: GI_CREATE_ACTOR,
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: None,
    })?;
    if gi.version != expected_version {
        return Err(AppError::PreconditionFailed {
            current: gi.version,
        });
    }
    if gi.status != "draft" {
        return Err(AppError::Conflict {
            code: "not_a_draft",
            message: format!("only drafts are edited; this GI is {}", gi.status),
            details: json!({ "status": gi.status }),
        });
    }
    let names = edit.names.map(resolve_names).transpose()?;
    let changes = GiChanges {
        gi_type: edit.gi_type.map(|t| t.as_str().to_string()),
        product_type: edit.product_type.map(|t| t.as_str().to_string()),
        product_class: edit.product_class,
        nice_class: edit.nice_class.map(Some),
        area_description: edit.area_description,
        area_geojson: edit.area_geojson.map(|v| Some(v.to_string())),
        search_blob: names.as_deref().map(blob_of),
        ..Default::default()
    };
    let now = Utc::now().naive_utc();
    if !gis::update(conn, id, gi.version, &changes, now)? {
        return Err(AppError::PreconditionFailed {
            current: gi.version,
        });
    }
    if let Some(names) = &names {
        store_names(conn, id, names)?;
    }
    if let Some(spec) = edit.specification {
        specifications::replace_content(conn, id, 1, &spec.content())?;
    }
    crate::store::audit::append(
        conn,
        crate::audit::AuditRecord::new(
            &acting.audit,
            "gi.edit_draft",
            "gi",
            id,
            json!({
                "version": gi.version + 1, "names": names,
            }),
        ),
    )?;
    let row = gis::by_id(conn, id)?.ok_or_else(|| AppError::not_found("GI"))?;
    full_view(conn, row)
}
