//! Terroir's pure rules: no actix, no diesel, no database. A crate of its own so that
//! its unit tests (and each mutant cargo-mutants plants in it) build without the
//! service; the service re-exports it as `terroir::domain`.

pub mod appeals;
pub mod area_summary;
pub mod attempts;
pub mod calendar;
pub mod coexistence;
pub mod conflicts;
pub mod content_sniffing;
pub mod countries;
pub mod destinations;
pub mod document_kind;
pub mod earlier_rights;
pub mod excluded_names;
pub mod geojson;
pub mod gi;
pub mod gi_status;
pub mod icalendar;
pub mod identifiers;
pub mod known_at;
pub mod language_codes;
pub mod language_tags;
pub mod legal_dates;
pub mod list_matching;
pub mod name_folding;
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
pub mod thai_romanization;
pub mod transition;
pub mod webhook_events;
pub mod webhook_signature;
