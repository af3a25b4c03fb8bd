//! The pages' routes, mounted in the same App as the API, and which paths are pages
//! (they get the pages' Content-Security-Policy and HTML error pages).

use actix_web::web;

use super::association_desk::DRAFTS_PATH;
use super::auditor_desk::EXPORTS_PATH;
use super::login_page::{DESK_PATH, LOGIN_PATH};
use super::session::LOGOUT_PATH;
use super::{
    admin_desk, association_desk, auditor_desk, desk_page, gi_desk, gi_page, login_page,
    opposition_form, programme_page, recognition_desk, search_page, stylesheet,
};

/// Where the one stylesheet is served.
pub const STYLESHEET_PATH: &str = "/static/terroir.css";

/// Registers every page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(search_page::show))
        .route("/gis/{id}", web::get().to(gi_page::show))
        .route("/programmes/{code}", web::get().to(programme_page::show))
        .route(STYLESHEET_PATH, web::get().to(stylesheet::serve))
        .route(LOGIN_PATH, web::get().to(login_page::show))
        .route(LOGIN_PATH, web::post().to(login_page::submit))
        .route(LOGOUT_PATH, web::post().to(login_page::logout))
        .route(DESK_PATH, web::get().to(desk_page::show))
        .route(
            "/desk/recognitions/{id}",
            web::get().to(recognition_desk::show),
        )
        .route(
            "/desk/recognitions/{id}",
            web::post().to(recognition_desk::act),
        )
        .route(DRAFTS_PATH, web::post().to(association_desk::create))
        .route(EXPORTS_PATH, web::post().to(auditor_desk::export))
        .route(DRAFTS_PATH, web::get().to(desk_page::back_to_desk))
        .route(EXPORTS_PATH, web::get().to(desk_page::back_to_desk))
        .route(
            admin_desk::ASSOCIATIONS_PATH,
            web::get().to(desk_page::back_to_desk),
        )
        .route(
            admin_desk::USERS_PATH,
            web::get().to(desk_page::back_to_desk),
        )
        .route(
            admin_desk::OFFICES_PATH,
            web::get().to(desk_page::back_to_desk),
        )
        .route(
            admin_desk::ASSOCIATION_EDIT_PATH,
            web::get().to(desk_page::back_to_desk),
        )
        .route(
            admin_desk::USER_EDIT_PATH,
            web::get().to(desk_page::back_to_desk),
        )
        .route(
            admin_desk::ASSOCIATIONS_PATH,
            web::post().to(admin_desk::create_association),
        )
        .route(
            admin_desk::OFFICES_PATH,
            web::post().to(admin_desk::create_office),
        )
        .route(
            admin_desk::ASSOCIATION_EDIT_PATH,
            web::post().to(admin_desk::edit_association),
        )
        .route(
            admin_desk::USER_EDIT_PATH,
            web::post().to(admin_desk::edit_user),
        )
        .route(
            admin_desk::USERS_PATH,
            web::post().to(admin_desk::create_user_form),
        )
        .route("/desk/exports/{id}/file", web::get().to(auditor_desk::file))
        .route("/desk/gis/{id}", web::get().to(gi_desk::show))
        .route("/desk/gis/{id}", web::post().to(gi_desk::act))
        .route("/desk/gis/{id}/draft", web::post().to(gi_desk::edit))
        .route(
            "/desk/gis/{id}/oppositions",
            web::post().to(opposition_form::file_against_gi),
        )
        .route(
            "/desk/gis/{id}/oppositions",
            web::get().to(opposition_form::back_to_gi),
        )
        .route(
            "/desk/recognitions/{id}/oppositions",
            web::post().to(opposition_form::file_against_recognition),
        )
        .route(
            "/desk/recognitions/{id}/oppositions",
            web::get().to(opposition_form::back_to_recognition),
        );
}

/// Whether `path` is one of the pages (or their stylesheet) rather than the API, its
/// documentation, the feeds or the probes.
pub fn is_page(path: &str) -> bool {
    is_private_page(path)
        || path == "/"
        || path.starts_with("/gis/")
        || path.starts_with("/programmes/")
        || path.starts_with("/static/")
}

/// The pages of a signed-in user (and the sign-in itself): never cached.
pub fn is_private_page(path: &str) -> bool {
    [LOGIN_PATH, LOGOUT_PATH, DESK_PATH]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_from_the_api() {
        for path in [
            "/",
            "/gis/3",
            "/programmes/CN-TH",
            STYLESHEET_PATH,
            "/login",
            "/desk",
        ] {
            assert!(is_page(path), "{path}");
        }
        assert!(is_private_page("/desk") && is_private_page("/logout"));
        assert!(!is_private_page("/") && !is_private_page("/desktop"));
        for path in [
            "/api/v1/gis",
            "/docs/",
            "/feeds/gis/1.atom",
            "/healthz",
            "/metrics",
            "/gis",
        ] {
            assert!(!is_page(path), "{path}");
        }
    }
}
