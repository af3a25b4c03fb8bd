//! What the pages' forms and redirects share: reading a submitted form leniently, setting
//! cookies on a page, and the 303 that follows a sign-in or an action (so that a reload
//! does not submit twice).

use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::HttpResponse;

use super::layout::Frame;

/// The fields of a submitted form.
pub fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A response with `cookies` set.
pub fn with_cookies(
    mut response: HttpResponse,
    cookies: impl IntoIterator<Item = Cookie<'static>>,
) -> HttpResponse {
    for cookie in cookies {
        // Only an invalid header value fails, and these are hex and JWTs.
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// A 303 to `to` in the reader's language.
pub fn see_other(frame: &Frame, to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, frame.link(to)))
        .finish()
}
