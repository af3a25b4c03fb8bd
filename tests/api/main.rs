//! Integration tests over real HTTP against the real application, on SQLite and on
//! PostgreSQL (when TERROIR_TEST_POSTGRES_URL is set).

mod helpers;

mod audit;
mod audit_truncation;
mod auth;
mod backup;
mod bad_input;
mod demo;
mod export_formulas;
mod exports;
mod feed;
mod gi_areas;
mod import;
mod operations;
mod recognition;
mod recognition_dates;
mod recognition_scope;
mod register;
mod register_scope;
mod register_search;
mod roles;
mod sessions;
mod tokens;
mod visible_names;
