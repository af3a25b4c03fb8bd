//! The web application: server-rendered HTML pages for the public and an examiner's
//! desk, beside the API in
//! the same App, reading through the same registry use cases. No JavaScript; one
//! stylesheet from the binary; English, Chinese and Thai.

pub mod action_form;
pub mod admin_desk;
pub mod area_svg;
pub mod association_desk;
pub mod auditor_desk;
pub mod desk_page;
pub mod desk_request;
pub mod draft_form;
pub mod error_page;
pub mod forms;
pub mod gi_desk;
pub mod gi_page;
pub mod i18n;
pub mod layout;
pub mod login_page;
pub mod opposition_form;
pub mod programme_page;
pub mod query;
pub mod recognition_desk;
pub mod routes;
pub mod search_page;
pub mod session;
pub mod stylesheet;

pub use routes::{configure, is_page, is_private_page};
