//! The form of a GI application (type, class, names with their script, language and
//! kind, the area, the specification): its controls are named by the JSON path of the
//! API's body (`names[1].script`, `specification.raw_materials`), so that a submitted
//! form becomes the body of `POST /api/v1/gis` and the API's field errors land next to
//! the control they name.

use maud::{html, Markup};
use serde_json::{Map, Value};

use super::action_form::Failed;
use super::forms::field;
use super::layout::Frame;
use super::session::CSRF_FIELD;
use crate::domain::gi::{GiType, NameKind, ProductType};
use crate::registry::gi_views::GiView;

/// How many empty name rows the form offers at least (empty rows are left out).
const NAME_ROWS: usize = 3;
const NAME_PARTS: [&str; 5] = ["text", "lang", "script", "kind", "romanization"];
const SPECIFICATION: [&str; 6] = [
    "product_description",
    "raw_materials",
    "production_method",
    "link_with_area",
    "labelling",
    "control_body",
];

/// The API's body from a submitted form; and, for each name in it, the form's row (to
/// put an error on `names[i]` back on the row it came from).
/// With `origin_office` for a new application; without, for an edit of a draft.
pub fn body_of(typed: &[(String, String)], origin_office: Option<&str>) -> (Value, Vec<usize>) {
    let text = |name: &str| {
        field(typed, name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| Value::String(v.into()))
    };
    let mut body = Map::new();
    if let Some(origin) = origin_office {
        body.insert("origin_office".into(), Value::String(origin.into()));
    }
    for name in [
        "gi_type",
        "product_type",
        "product_class",
        "area_description",
    ] {
        if let Some(value) = text(name) {
            body.insert(name.into(), value);
        }
    }
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for row in 0..rows_typed(typed) {
        let mut name = Map::new();
        for part in NAME_PARTS {
            if let Some(value) = text(&format!("names[{row}].{part}")) {
                name.insert(part.into(), value);
            }
        }
        // A row with only its kind chosen (the select always sends one) is empty.
        if name.keys().any(|k| k != "kind") {
            rows.push(row);
            names.push(Value::Object(name));
        }
    }
    body.insert("names".into(), Value::Array(names));
    let mut specification = Map::new();
    for part in SPECIFICATION {
        if let Some(value) = text(&format!("specification.{part}")) {
            specification.insert(part.into(), value);
        }
    }
    body.insert("specification".into(), Value::Object(specification));
    (Value::Object(body), rows)
}

/// How many name rows a submitted form had.
fn rows_typed(typed: &[(String, String)]) -> usize {
    typed
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix("names[")?
                .split(']')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .map(|row| row + 1)
        .max()
        .unwrap_or(0)
}

/// A draft's fields as a form would send them, to fill the edit form.
pub fn typed_of(gi: &GiView) -> Vec<(String, String)> {
    let mut typed = vec![
        ("gi_type".to_string(), gi.gi_type.clone()),
        ("product_type".to_string(), gi.product_type.clone()),
        ("product_class".to_string(), gi.product_class.clone()),
        ("area_description".to_string(), gi.area_description.clone()),
    ];
    for (row, name) in gi.names.iter().enumerate() {
        let parts = [
            ("text", Some(name.name.text.clone())),
            ("lang", Some(name.name.lang.clone())),
            ("script", Some(name.name.script.clone())),
            ("kind", Some(name.name.kind.as_str().to_string())),
            ("romanization", name.name.romanization.clone()),
        ];
        for (part, value) in parts {
            if let Some(value) = value {
                typed.push((format!("names[{row}].{part}"), value));
            }
        }
    }
    if let Some(spec) = &gi.specification {
        let parts = [
            ("product_description", Some(&spec.product_description)),
            ("raw_materials", spec.raw_materials.as_ref()),
            ("production_method", spec.production_method.as_ref()),
            ("link_with_area", spec.link_with_area.as_ref()),
            ("labelling", spec.labelling.as_ref()),
            ("control_body", spec.control_body.as_ref()),
        ];
        for (part, value) in parts {
            if let Some(value) = value {
                typed.push((format!("specification.{part}"), value.clone()));
            }
        }
    }
    typed
}

/// An API error's field, as the form names it: `names[i]` is the i-th row sent.
pub fn control_of(field: &str, rows: &[usize]) -> String {
    let Some(rest) = field.strip_prefix("names[") else {
        return field.to_string();
    };
    match rest.split_once(']') {
        Some((index, tail)) => match index.parse::<usize>().ok().and_then(|i| rows.get(i)) {
            Some(row) => format!("names[{row}]{tail}"),
            None => field.to_string(),
        },
        None => field.to_string(),
    }
}

/// The form, posted to `path`; filled with what was typed (after a failure, or a
/// draft's fields to edit); `extra` hidden fields; `submit` the button's label key.
pub fn draft_form(
    frame: &Frame,
    path: &str,
    csrf: &str,
    failed: Option<&Failed>,
    extra: Markup,
    submit: &str,
) -> Markup {
    let name_rows = failed
        .map_or(0, |f| rows_typed(&f.typed) + 1)
        .max(NAME_ROWS);
    let typed = |name: &str| {
        failed
            .map(|f| f.typed(name))
            .unwrap_or_default()
            .to_string()
    };
    let error_of = |name: &str| {
        failed.and_then(|f| {
            f.fields
                .iter()
                .find(|e| e.field == name || e.field.starts_with(&format!("{name}.")))
        })
    };
    let general = failed.filter(|f| f.fields.is_empty() && !f.message.is_empty());
    let control = |name: &str, label: &str, textarea: bool| {
        let id = format!("draft-{name}");
        let error = error_of(name);
        let error_id = format!("{id}-error");
        html! {
            label for=(id) {
                (label)
                @if textarea {
                    textarea id=(id) name=(name) rows="3"
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())] { (typed(name)) }
                } @else {
                    input type="text" id=(id) name=(name) value=(typed(name))
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
                }
            }
            @if let Some(error) = error {
                p.field-error id=(error_id) role="alert" { (error.message) }
            }
        }
    };
    let select = |name: &str, label: &str, prefix: &str, values: &[&str]| {
        let id = format!("draft-{name}");
        let chosen = typed(name);
        let error = error_of(name);
        let error_id = format!("{id}-error");
        html! {
            label for=(id) {
                (label)
                select id=(id) name=(name) aria-describedby=[error.map(|_| error_id.as_str())] {
                    @for value in values {
                        option value=(value) selected[chosen == *value] { (frame.lang.value(prefix, value)) }
                    }
                }
            }
            @if let Some(error) = error {
                p.field-error id=(error_id) role="alert" { (error.message) }
            }
        }
    };
    html! {
        form.draft id="draft" method="post" action=(frame.link(path)) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            (select("gi_type", frame.t("field.gi_type"), "gi_type", GiType::NAMES))
            (select("product_type", frame.t("field.product_type"), "product_type", ProductType::NAMES))
            (control("product_class", frame.t("field.product_class"), false))
            fieldset.names {
                legend { (frame.t("field.names")) }
                @if let Some(error) = error_of("names").filter(|e| e.field == "names") {
                    p.field-error id="draft-names-error" role="alert" { (error.message) }
                }
                @for row in 0..name_rows {
                    fieldset.name-row {
                        legend { (frame.t("field.name")) " " (row + 1) }
                        (control(&format!("names[{row}].text"), frame.t("field.name"), false))
                        (control(&format!("names[{row}].lang"), frame.t("field.language"), false))
                        (control(&format!("names[{row}].script"), frame.t("field.script"), false))
                        (select(&format!("names[{row}].kind"), frame.t("field.kind"), "kind", NameKind::NAMES))
                        (control(&format!("names[{row}].romanization"), frame.t("field.romanization"), false))
                    }
                }
            }
            (control("area_description", frame.t("field.area_description"), true))
            fieldset.specification {
                legend { (frame.t("gi.specification")) }
                (control("specification.product_description", frame.t("gi.product_description"), true))
                (control("specification.raw_materials", frame.t("gi.raw_materials"), true))
                (control("specification.production_method", frame.t("gi.production_method"), true))
                (control("specification.link_with_area", frame.t("gi.link_with_area"), true))
                (control("specification.labelling", frame.t("gi.labelling"), true))
                (control("specification.control_body", frame.t("gi.control_body"), false))
            }
            (extra)
            button type="submit" { (frame.t(submit)) }
        }
    }
}
