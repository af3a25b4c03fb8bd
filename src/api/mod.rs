//! HTTP handlers, one file per resource, and the extractors they share.

pub mod associations;
pub mod atom;
pub mod audit;
pub mod auth;
pub mod byte_range;
pub mod caller;
pub mod client_address;
pub mod conflicts;
pub mod docs;
pub mod documents;
pub mod exports;
pub mod fallback;
pub mod feed;
pub mod gi_area;
pub mod gi_proceedings;
pub mod gis;
pub mod health;
pub mod if_match;
pub mod json;
pub mod keys;
pub mod me;
pub mod notices;
pub mod office_lists;
pub mod offices;
pub mod pagination;
pub mod programmes;
pub mod protection;
pub mod query;
pub mod recognitions;
pub mod request_guard;
pub mod request_span;
pub mod route_pattern;
pub mod routes;
pub mod security_headers;
pub mod state;
pub mod subscriptions;
pub mod upload;
pub mod users;

use actix_web::web;

/// Registers every handler.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(me::me)
        .service(me::change_password)
        .service(offices::list)
        .service(offices::create)
        .service(offices::read)
        .service(offices::update)
        .service(offices::list_holidays)
        .service(offices::add_holidays)
        .service(offices::remove_holiday)
        .service(associations::list)
        .service(associations::create)
        .service(associations::read)
        .service(associations::update)
        .service(users::list)
        .service(users::create)
        .service(users::read)
        .service(users::update)
        .service(audit::list)
        .service(audit::verify)
        .service(audit::head)
        .service(gis::list)
        .service(gis::create)
        .service(gis::read)
        .service(gis::edit)
        .service(gis::act)
        .service(gis::list_events)
        .service(gi_area::read_area)
        .service(gi_proceedings::list_oppositions)
        .service(gi_proceedings::file_opposition)
        .service(gi_proceedings::decide_opposition)
        .service(gi_proceedings::list_specifications)
        .service(gi_proceedings::read_specification)
        .service(gi_proceedings::propose_amendment)
        .service(gi_proceedings::decide_amendment)
        .service(protection::read_protection)
        .service(protection::read_worklist)
        .service(programmes::list)
        .service(programmes::create)
        .service(programmes::read)
        .service(programmes::amend)
        .service(programmes::record_amendment)
        .service(recognitions::submit_list)
        .service(recognitions::list)
        .service(recognitions::submit)
        .service(recognitions::read)
        .service(recognitions::act)
        .service(recognitions::list_events)
        .service(recognitions::list_oppositions)
        .service(recognitions::file_opposition)
        .service(documents::attach_to_gi)
        .service(documents::list_of_gi)
        .service(documents::attach_to_recognition)
        .service(documents::list_of_recognition)
        .service(documents::download)
        .service(atom::gi_feed)
        .service(atom::programme_feed)
        .service(atom::office_feed)
        .service(notices::list)
        .service(notices::mark_read)
        .service(subscriptions::create)
        .service(subscriptions::list)
        .service(subscriptions::read)
        .service(subscriptions::cancel)
        .service(subscriptions::deliveries)
        .service(exports::export_recognitions)
        .service(exports::read_export)
        .service(exports::replay_export)
        .service(keys::list)
        .service(office_lists::list_terms)
        .service(office_lists::add_term)
        .service(office_lists::load_trademarks)
        .service(feed::feed)
        .service(conflicts::check);
}
