//! Names a reader cannot see (issue 8, item 11): a name of zero-width characters, one
//! with a bidi override or isolate, a byte-order mark or another invisible code point,
//! and a name whose declared script is not that of its letters are 422s naming the
//! field, on create and on a draft's edit, and change nothing.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::register::{application, assert_invalid, create_gi, create_gi_id, gi, longjing, world};

both_backends!(
    invisible_names_are_refused_naming_the_field,
    a_declared_script_must_be_that_of_the_letters,
);

fn names(original: &str, transliteration: Value) -> Value {
    json!([
        {"text": original, "lang": "zh", "script": "Hans", "kind": "original"},
        transliteration,
    ])
}

fn latin(text: &str) -> Value {
    json!({"text": text, "lang": "zh-Latn", "script": "Latn", "kind": "transliteration",
           "romanization": "pinyin"})
}

async fn invisible_names_are_refused_naming_the_field(app: TestApp) {
    let w = world(&app).await;
    let draft = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let before = gi(&app, Some(&w.cn_assoc), draft).await;
    let audit = app.audit_count().await;

    let mut invisible: Vec<String> = vec![
        "\u{200B}\u{200B}\u{200B}".into(), // zero-width spaces only
        "\u{200C}\u{200D}".into(),         // joiners only
        "\u{FEFF}".into(),                 // a byte-order mark only
        "\u{FEFF}Longjing cha".into(),     // a byte-order mark in front
        "Long\u{200B}jing cha".into(),     // a zero-width space inside
        "Longjing\u{00AD}cha".into(),      // a soft hyphen
        "\u{2060}\u{2061}".into(),         // word joiner, function application
        "\u{3164}\u{3164}".into(),         // Hangul fillers
        "\u{E0041}\u{E0042}".into(),       // tag characters
    ];
    // Every bidi embedding, override and isolate, inside an otherwise good name.
    for cp in (0x202A..=0x202E).chain(0x2066..=0x2069) {
        let c = char::from_u32(cp).unwrap();
        invisible.push(format!("Longjing {c}ahc"));
    }
    for text in &invisible {
        // As the transliteration of a new application…
        let body = application(
            "CNIPA",
            Some(w.cn_association),
            names("龙井茶", latin(text)),
        );
        let response = app.post("/api/v1/gis", Some(&w.cn_assoc), body).await;
        assert_invalid(response, "names[1].text").await;
        // …as the original…
        let body = application(
            "CNIPA",
            Some(w.cn_association),
            json!([{"text": text, "lang": "zh", "kind": "original"}]),
        );
        let response = app.post("/api/v1/gis", Some(&w.cn_assoc), body).await;
        assert_invalid(response, "names[0].text").await;
        // …and in the edit of a draft.
        let response = app
            .request(
                reqwest::Method::PATCH,
                &format!("/api/v1/gis/{draft}"),
                Some(&w.cn_assoc),
            )
            .header("if-match", "\"1\"")
            .json(&json!({"names": names("龙井茶", latin(text))}))
            .send()
            .await
            .unwrap();
        assert_invalid(response, "names[1].text").await;
    }
    assert_eq!(app.audit_count().await, audit, "nothing was written");
    assert_eq!(gi(&app, Some(&w.cn_assoc), draft).await, before);

    // What real spellings need stays allowed: a joiner inside a Persian name, an
    // ideographic variation selector, and the names of the README.
    let created = create_gi(
        &app,
        &w.cn_assoc,
        application(
            "CNIPA",
            Some(w.cn_association),
            json!([
                {"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original"},
                {"text": "葛\u{E0100}城", "lang": "zh", "script": "Hans", "kind": "synonym"},
                {"text": "چای\u{200C}لونگ\u{200C}جینگ", "lang": "fa", "script": "Arab",
                 "kind": "translation"},
            ]),
        ),
    )
    .await;
    assert_eq!(created["names"][2]["text"], "چای\u{200C}لونگ\u{200C}جینگ");
}

async fn a_declared_script_must_be_that_of_the_letters(app: TestApp) {
    let w = world(&app).await;
    let draft = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let before = gi(&app, Some(&w.cn_assoc), draft).await;
    let audit = app.audit_count().await;

    let longjing_as_hans =
        json!({"text": "Longjing", "lang": "zh-Latn", "script": "Hans", "kind": "transliteration"});
    let body = application(
        "CNIPA",
        Some(w.cn_association),
        names("龙井茶", longjing_as_hans.clone()),
    );
    let refused = assert_invalid(
        app.post("/api/v1/gis", Some(&w.cn_assoc), body).await,
        "names[1].script",
    )
    .await;
    assert!(
        refused.to_string().contains("Latn"),
        "the message says which script the letters are: {refused}"
    );
    let body = application(
        "CNIPA",
        Some(w.cn_association),
        json!([{"text": "龙井", "lang": "zh", "script": "Latn", "kind": "original"}]),
    );
    assert_invalid(
        app.post("/api/v1/gis", Some(&w.cn_assoc), body).await,
        "names[0].script",
    )
    .await;
    let body = application(
        "DIP",
        Some(w.th_association),
        json!([{"text": "กาแฟดอยตุง", "lang": "th", "script": "Hans", "kind": "original"}]),
    );
    assert_invalid(
        app.post("/api/v1/gis", Some(&w.th_assoc), body).await,
        "names[0].script",
    )
    .await;
    // The edit of a draft is held to the same rule.
    let response = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/gis/{draft}"),
            Some(&w.cn_assoc),
        )
        .header("if-match", "\"1\"")
        .json(&json!({"names": names("龙井茶", longjing_as_hans)}))
        .send()
        .await
        .unwrap();
    assert_invalid(response, "names[1].script").await;
    assert_eq!(app.audit_count().await, audit, "nothing was written");
    assert_eq!(gi(&app, Some(&w.cn_assoc), draft).await, before);

    // A script left out is taken from the letters; a mixed name fits either script.
    let created = create_gi(
        &app,
        &w.cn_assoc,
        application(
            "CNIPA",
            Some(w.cn_association),
            json!([
                {"text": "龙井茶", "lang": "zh", "kind": "original"},
                {"text": "Longjing cha", "lang": "zh-Latn", "kind": "transliteration"},
                {"text": "XO酱", "lang": "zh", "script": "Hans", "kind": "synonym"},
            ]),
        ),
    )
    .await;
    assert_eq!(created["names"][0]["script"], "Hans");
    assert_eq!(created["names"][1]["script"], "Latn");
}
