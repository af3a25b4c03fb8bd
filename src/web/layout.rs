//! The frame every page shares: `<html lang>`, the stylesheet, the header with the
//! language switch, and the footer; and the pieces pages repeat (links that keep the
//! language, names in their own script, status labels).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup, DOCTYPE};

use super::i18n::Lang;
use super::routes::STYLESHEET_PATH;
use crate::domain::gi::GiName;

/// What a page needs to draw its frame: the language, and the request (for the switch's
/// links to the same page in another language).
pub struct Frame<'a> {
    pub lang: Lang,
    pub req: &'a HttpRequest,
}

impl<'a> Frame<'a> {
    pub fn of(req: &'a HttpRequest) -> Self {
        Self {
            lang: Lang::of_request(req),
            req,
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// A link to one of our pages, in the language shown.
    pub fn link(&self, path: &str) -> String {
        with_lang(path, self.lang)
    }

    /// This page in `lang`: the same path and query, `lang` replaced.
    fn switch_to(&self, lang: Lang) -> String {
        let kept: Vec<(String, String)> =
            form_urlencoded::parse(self.req.query_string().as_bytes())
                .filter(|(k, _)| k != "lang")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query.append_pair("lang", lang.code());
        format!("{}?{}", self.req.path(), query.finish())
    }

    /// The whole page around `body`.
    pub fn page(&self, title: &str, body: Markup) -> Markup {
        let lang = self.lang;
        html! {
            (DOCTYPE)
            html lang=(lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (self.t("site.name")) }
                    link rel="stylesheet" href=(STYLESHEET_PATH);
                }
                body {
                    header.site {
                        a.brand href=(self.link("/")) { (self.t("site.name")) }
                        span.tagline { (self.t("site.tagline")) }
                        a.desk href=(self.link("/desk")) { (self.t("nav.desk")) }
                        nav.langs aria-label=(self.t("nav.language")) {
                            ul {
                                @for other in Lang::ALL {
                                    li {
                                        @if other == lang {
                                            span lang=(other.tag()) aria-current="true" { (other.own_name()) }
                                        } @else {
                                            a href=(self.switch_to(other)) lang=(other.tag()) hreflang=(other.tag()) { (other.own_name()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    main { (body) }
                    footer {
                        a href=(self.link("/")) { (self.t("nav.search")) }
                        " · "
                        a href="/docs/" { (self.t("nav.api")) }
                    }
                }
            }
        }
    }

    /// The page as a response with `status`, in the language it is written in.
    pub fn respond(&self, status: StatusCode, title: &str, body: Markup) -> HttpResponse {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_LANGUAGE, self.lang.tag()))
            .insert_header((header::VARY, "Accept-Language"))
            .body(self.page(title, body).into_string())
    }

    /// A value of a closed list (a status) as a label, styled by its value.
    pub fn status(&self, value: &str) -> Markup {
        html! {
            span class=(format!("status status-{value}")) { (self.lang.value("status", value)) }
        }
    }

    pub fn yes_no(&self, value: bool) -> &'static str {
        self.t(if value { "yes" } else { "no" })
    }
}

/// `path` with `lang=` added to its query.
pub fn with_lang(path: &str, lang: Lang) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={}", lang.code())
}

/// A name as registered, marked with its own language so that it is read (and drawn)
/// in its script whatever the page's language.
pub fn name(name: &GiName) -> Markup {
    html! { span.name lang=(name.lang) { (name.text) } }
}

/// The names a GI is shown under: the originals first, then the rest.
pub fn headline_names(names: &[crate::registry::gi_views::GiNameView]) -> Vec<&GiName> {
    let mut shown: Vec<&GiName> = names.iter().map(|n| &n.name).collect();
    shown.sort_by_key(|n| n.kind.as_str() != "original");
    shown
}

/// An optional value, or the dash.
pub fn or_dash(frame: &Frame, value: Option<impl std::fmt::Display>) -> String {
    value
        .map(|v| v.to_string())
        .unwrap_or_else(|| frame.t("none").to_string())
}
