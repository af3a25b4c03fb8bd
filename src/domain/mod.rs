//! Pure rules: no actix, no diesel.

pub mod area_summary;
pub mod attempts;
pub mod calendar;
pub mod content_sniffing;
pub mod countries;
pub mod document_kind;
pub mod geojson;
pub mod gi;
pub mod gi_status;
pub mod icalendar;
pub mod identifiers;
pub mod language_codes;
pub mod language_tags;
pub mod legal_dates;
pub mod name_text;
pub mod names;
pub mod opposition_status;
pub mod period;
pub mod permissions;
pub mod product_class;
pub mod programme_terms;
pub mod recognition_status;
pub mod role;
pub mod scripts;
pub mod transition;
