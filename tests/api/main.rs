//! Integration tests over real HTTP against the real application, on SQLite and on
//! PostgreSQL (when TERROIR_TEST_POSTGRES_URL is set).

mod helpers;

mod area_precision;
mod audit;
mod audit_truncation;
mod auth;
mod backup;
mod bad_input;
mod decisions;
mod demo;
mod disk_full;
mod documents;
mod export_formulas;
mod export_head;
mod exports;
mod feed;
mod feeds_atom;
mod first_hour;
mod gi_areas;
mod hardening_http;
mod import;
mod import_partner;
mod legal_time;
mod notices;
mod openapi;
mod openapi_rules;
mod operations;
mod outage;
mod permission_first;
mod permission_first_records;
mod readme;
mod recognition;
mod recognition_dates;
mod recognition_scope;
mod register;
mod register_scope;
mod register_search;
mod register_search_index;
mod roles;
mod sessions;
mod shutdown;
mod tokens;
mod visible_names;
mod webhook_receiver;
mod webhooks;
