//! BCP-47 (RFC 5646) language tags: validation and conventional casing.
//!
//! A tag is accepted when it is well-formed —
//! `language[-extlang][-script][-region][-variant]*[-extension]*[-privateuse]` — and
//! - its primary language subtag is a known code (see `language_codes`): two letters
//!   from ISO 639-1, or three letters for a language without a two-letter code
//!   (`eng` is refused: BCP-47 spells it `en`), or the private-use `qaa`..`qtz`;
//! - its extended language subtag, if any, is one known three-letter code (`zh-yue`);
//! - its script, if any, is an ISO 15924 code (`Hans`, `Latn`, …);
//! - its region, if any, is two letters or three digits (the shape only);
//! - no variant and no extension singleton appears twice.
//!
//! Input is case-insensitive. A tag that is only private use (`x-foo`) is refused:
//! a GI name needs a real language. The grandfathered tags of RFC 5646 (`i-ami`,
//! `zh-min-nan`, …) are accepted as they are registered.
//! Variants (`pinyin`) are checked for shape, not looked up in the IANA registry.

use super::language_codes::{is_language_code, is_three_letter_language_code};
use super::scripts::is_known_script;

/// The grandfathered tags of RFC 5646, in their registered casing.
const GRANDFATHERED: &[&str] = &[
    "art-lojban",
    "cel-gaulish",
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "no-bok",
    "no-nyn",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

/// Whether `tag` is a valid BCP-47 language tag (see the module documentation).
pub fn is_valid_language_tag(tag: &str) -> bool {
    canonical_language_tag(tag).is_some()
}

/// The tag in conventional casing — language and extlang lower case, script title
/// case, region upper case, variants and extensions lower case (`zh-Hans-CN`,
/// `zh-Latn-pinyin`) — or `None` when the tag is not valid.
pub fn canonical_language_tag(tag: &str) -> Option<String> {
    if let Some(g) = GRANDFATHERED.iter().find(|g| g.eq_ignore_ascii_case(tag)) {
        return Some((*g).to_string());
    }
    let lower = tag.to_ascii_lowercase();
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags
        .iter()
        .any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(subtags.len());
    let mut rest = subtags.as_slice();

    // language: 2 or 3 letters (4-8 letter primary subtags are reserved or unused).
    let (language, after) = rest.split_first()?;
    if !is_alpha(language) || !is_language_code(language) {
        return None;
    }
    out.push((*language).to_string());
    rest = after;

    // extlang: one three-letter code (RFC 5646 permits at most one in a valid tag).
    if let Some((sub, after)) = rest.split_first() {
        if sub.len() == 3 && is_alpha(sub) {
            if language.len() > 3 || !is_three_letter_language_code(sub) {
                return None;
            }
            out.push((*sub).to_string());
            rest = after;
        }
    }

    // script: four letters.
    if let Some((sub, after)) = rest.split_first() {
        if sub.len() == 4 && is_alpha(sub) {
            let script = title_case(sub);
            if !is_known_script(&script) {
                return None;
            }
            out.push(script);
            rest = after;
        }
    }

    // region: two letters or three digits.
    if let Some((sub, after)) = rest.split_first() {
        let is_region = (sub.len() == 2 && is_alpha(sub))
            || (sub.len() == 3 && sub.bytes().all(|b| b.is_ascii_digit()));
        if is_region {
            out.push(sub.to_ascii_uppercase());
            rest = after;
        }
    }

    // variants: 5-8 alphanumerics, or a digit and 3 alphanumerics; no repeats.
    let mut variants: Vec<&str> = Vec::new();
    while let Some((sub, after)) = rest.split_first() {
        let is_variant =
            (5..=8).contains(&sub.len()) || (sub.len() == 4 && sub.as_bytes()[0].is_ascii_digit());
        if !is_variant {
            break;
        }
        if variants.contains(sub) {
            return None;
        }
        variants.push(sub);
        out.push((*sub).to_string());
        rest = after;
    }

    // extensions: a singleton other than `x`, then one or more 2-8 alphanumerics.
    let mut singletons: Vec<&str> = Vec::new();
    while let Some((sub, after)) = rest.split_first() {
        if sub.len() != 1 || *sub == "x" {
            break;
        }
        if singletons.contains(sub) {
            return None;
        }
        singletons.push(sub);
        out.push((*sub).to_string());
        rest = after;
        let mut count = 0;
        while let Some((part, after)) = rest.split_first() {
            if part.len() < 2 {
                break;
            }
            out.push((*part).to_string());
            rest = after;
            count += 1;
        }
        if count == 0 {
            return None;
        }
    }

    // private use: `x` then one or more 1-8 alphanumerics.
    if let Some((sub, after)) = rest.split_first() {
        if *sub != "x" || after.is_empty() {
            return None;
        }
        out.push((*sub).to_string());
        out.extend(after.iter().map(|s| (*s).to_string()));
        rest = &[];
    }

    rest.is_empty().then(|| out.join("-"))
}

fn is_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn title_case(s: &str) -> String {
    let mut out = s.to_ascii_lowercase();
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_the_registry_uses_are_valid() {
        for tag in [
            "zh",
            "zh-Hans",
            "zh-Hant",
            "zh-Latn",
            "zh-Latn-pinyin",
            "zh-Hans-CN",
            "zh-yue",
            "yue-Hant-HK",
            "th",
            "th-Latn",
            "th-TH",
            "el",
            "en-GB",
            "en-US",
            "bg",
            "hy",
            "km",
            "fr-FR",
            "es-419",
            "sr-Latn-RS",
            "ca-ES-valencia",
            "de-CH-1901",
            "sl-rozaj-biske",
            "en-a-bbb-x-a-ccc",
            "de-u-co-phonebk",
            "en-Latn-GB-x-private",
            "qaa",
            "i-ami",
            "zh-min-nan",
            "en-GB-oed",
        ] {
            assert!(is_valid_language_tag(tag), "{tag} should be valid");
        }
    }

    #[test]
    fn an_extlang_follows_a_two_or_three_letter_language() {
        // RFC 5646's `language = 2*3ALPHA ["-" extlang]`: the extlang is checked as a
        // known code, not against its registered prefix (as variants are checked for
        // shape only), after a three-letter language as after a two-letter one.
        assert_eq!(
            canonical_language_tag("SGN-yue").as_deref(),
            Some("sgn-yue")
        );
        assert_eq!(canonical_language_tag("zh-YUE").as_deref(), Some("zh-yue"));
        // Two extlangs are one too many.
        assert!(!is_valid_language_tag("zh-yue-cmn"));
    }

    #[test]
    fn malformed_or_unknown_tags_are_refused() {
        for tag in [
            "",
            "xx",
            "zz-Latn",
            "zh-Fake",
            "english",
            "zh--CN",
            "zh-",
            "-zh",
            "zh-CN-",
            "e",
            "eng",
            "zh-Hans-Hant",
            "zh-CN-CN",
            "de-1901-1901",
            "en-a-bbb-a-ccc",
            "en-a",
            "en-x",
            "x-private",
            "zh-abc",
            "zh-Latn-pinyinabc",
            "zh CN",
            "zh_CN",
            "zh-Hans-CNN",
            "ζh",
            "en-GB-abcdefghi",
            // Extension and private-use subtags are 1 to 8 characters, none empty.
            "en-a-abcdefghi",
            "en-x-abcdefghi",
            "en-x-",
            "en-x-a--b",
        ] {
            assert!(!is_valid_language_tag(tag), "{tag:?} should be invalid");
        }
    }

    #[test]
    fn canonical_form_uses_conventional_casing() {
        let cases = [
            ("ZH-HANS-CN", "zh-Hans-CN"),
            ("zh-hans-cn", "zh-Hans-CN"),
            ("zh-latn-PINYIN", "zh-Latn-pinyin"),
            ("EN-gb", "en-GB"),
            ("th-latn", "th-Latn"),
            ("es-419", "es-419"),
            ("I-AMI", "i-ami"),
            ("en-gb-OED", "en-GB-oed"),
            ("de-U-CO-PHONEBK-X-ABC", "de-u-co-phonebk-x-abc"),
            ("ZH-YUE-hk", "zh-yue-HK"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                canonical_language_tag(input).as_deref(),
                Some(expected),
                "{input}"
            );
        }
        assert_eq!(canonical_language_tag("zh-Fake"), None);
    }

    #[test]
    fn canonical_form_is_idempotent_and_valid() {
        for tag in [
            "zh-hans-cn",
            "TH-latn",
            "sr-latn-rs",
            "de-ch-1901",
            "en-a-bbb-x-a",
        ] {
            let once = canonical_language_tag(tag).unwrap();
            assert_eq!(
                canonical_language_tag(&once).as_deref(),
                Some(once.as_str())
            );
        }
    }

    #[test]
    fn every_two_letter_code_with_every_common_script_is_valid() {
        for lang in super::super::language_codes::ISO_639_1 {
            for script in ["Latn", "Hans", "Thai", "Cyrl"] {
                let tag = format!("{lang}-{script}");
                assert!(is_valid_language_tag(&tag), "{tag}");
            }
        }
    }
}
