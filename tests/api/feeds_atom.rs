//! Atom feeds of public changes (issue 15): valid Atom 1.0 as an XML parser reads it,
//! with RFC 4287's required elements (feed: id, title, updated, author; entry: id,
//! title, updated, link), newest first; a draft has no feed; unknown codes are 404.

use std::collections::HashMap;

use quick_xml::events::Event as Xml;
use quick_xml::Reader;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{partners, recognition_in, CN_TH};
use crate::register::gi_in;

both_backends!(feeds_are_atom_with_the_changes_newest_first);

#[derive(Debug, Default)]
struct Entry {
    fields: HashMap<String, String>,
    links: Vec<String>,
}

#[derive(Debug, Default)]
struct Feed {
    fields: HashMap<String, String>,
    has_author: bool,
    entries: Vec<Entry>,
}

/// Reads an Atom document with a real XML parser (any malformation fails the test).
fn parse(xml: &str) -> Feed {
    let mut reader = Reader::from_str(xml);
    let mut feed = Feed::default();
    let mut path: Vec<String> = Vec::new();
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"))
        {
            Xml::Start(start) => {
                let name = String::from_utf8(start.name().as_ref().to_vec()).unwrap();
                if path.is_empty() {
                    assert_eq!(name, "feed");
                    let ns = start.try_get_attribute("xmlns").unwrap().unwrap();
                    assert_eq!(ns.value.as_ref(), b"http://www.w3.org/2005/Atom");
                }
                if name == "entry" {
                    feed.entries.push(Entry::default());
                }
                if name == "author" && path.len() == 1 {
                    feed.has_author = true;
                }
                path.push(name);
            }
            Xml::Empty(empty)
                if empty.name().as_ref() == b"link"
                    && path.last().map(String::as_str) == Some("entry") =>
            {
                let href = empty.try_get_attribute("href").unwrap().unwrap();
                let href = String::from_utf8(href.value.to_vec()).unwrap();
                feed.entries.last_mut().unwrap().links.push(href);
            }
            Xml::Text(text) => {
                let text = text.decode().unwrap().to_string();
                let text = quick_xml::escape::unescape(&text).unwrap().to_string();
                match path
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    ["feed", field] => {
                        feed.fields.insert(field.to_string(), text);
                    }
                    ["feed", "entry", field] => {
                        let entry = feed.entries.last_mut().unwrap();
                        entry.fields.insert(field.to_string(), text);
                    }
                    _ => {}
                }
            }
            Xml::End(_) => {
                path.pop();
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    feed
}

async fn atom(app: &TestApp, path: &str) -> Feed {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let feed = parse(&response.text().await.unwrap());
    for field in ["id", "title", "updated"] {
        assert!(feed.fields.contains_key(field), "feed {field}: {feed:?}");
    }
    assert!(feed.has_author, "a feed-level author");
    for entry in &feed.entries {
        for field in ["id", "title", "updated", "summary"] {
            assert!(entry.fields.contains_key(field), "entry {field}: {entry:?}");
        }
        assert!(chrono::DateTime::parse_from_rfc3339(&entry.fields["updated"]).is_ok());
        assert_eq!(entry.links.len(), 1, "{entry:?}");
    }
    feed
}

async fn feeds_are_atom_with_the_changes_newest_first(app: TestApp) {
    let w = partners(&app).await;
    let (gi, recognition) = recognition_in(&app, &w, "protected").await;
    let draft = gi_in(&app, &w, "draft").await;

    let feed = atom(&app, &format!("/feeds/gis/{gi}.atom")).await;
    assert!(feed.fields["title"].contains("龙井茶"), "{:?}", feed.fields);
    let titles: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.fields["title"].as_str())
        .collect();
    // register at home, then the partner's protect: the newest comes first.
    assert!(
        titles[0].contains("protect") && titles[0].contains("DIP"),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t.contains("register")), "{titles:?}");
    let ids: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.fields["id"].as_str())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "entry ids are unique");
    assert!(feed.entries[0].links[0].ends_with(&format!("/api/v1/recognitions/{recognition}")));

    let programme = atom(&app, &format!("/feeds/programmes/{CN_TH}.atom")).await;
    assert!(!programme.entries.is_empty());
    assert!(
        programme
            .entries
            .iter()
            .all(|e| e.fields["id"].contains(&format!("/gis/{gi}/"))),
        "only the programme's recognitions"
    );
    assert!(programme
        .entries
        .iter()
        .all(|e| e.links[0].contains("/recognitions/")));

    let dip = atom(&app, "/feeds/offices/DIP.atom").await;
    assert!(dip
        .entries
        .iter()
        .any(|e| e.fields["title"].contains("protect")));
    assert!(
        dip.entries
            .iter()
            .all(|e| e.links[0].contains("/recognitions/")),
        "DIP decides the recognition; CNIPA's home events are not DIP's"
    );
    let cnipa = atom(&app, "/feeds/offices/CNIPA.atom").await;
    assert!(
        cnipa.entries.len() > dip.entries.len(),
        "CNIPA's GI, at home and abroad"
    );
    let euipo = atom(&app, "/feeds/offices/EUIPO.atom").await;
    assert!(euipo.entries.is_empty());

    assert_error(
        app.get(&format!("/feeds/gis/{draft}.atom"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/feeds/gis/999999.atom", None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/feeds/programmes/NOPE.atom", None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/feeds/offices/NOPE.atom", None).await,
        404,
        "not_found",
    )
    .await;
}
