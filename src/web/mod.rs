//! The web application: server-rendered HTML pages for the public, beside the API in
//! the same App, reading through the same registry use cases. No JavaScript; one
//! stylesheet from the binary; English, Chinese and Thai.

pub mod area_svg;
pub mod error_page;
pub mod gi_page;
pub mod i18n;
pub mod layout;
pub mod programme_page;
pub mod query;
pub mod routes;
pub mod search_page;
pub mod stylesheet;

pub use routes::{configure, is_page};
