//! Names a reader can see, in the script they claim.
//!
//! A GI name is what people read on a label and in a register, so it must show what it
//! holds and nothing else:
//! - no bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) nor
//!   the invisible directional marks (U+200E, U+200F, U+061C): they reorder what is
//!   shown, so that two names that look alike differ, or a name looks like another;
//! - no byte-order mark (U+FEFF) nor any other default-ignorable code point (Unicode's
//!   `Default_Ignorable_Code_Point`: zero-width space, soft hyphen, word joiner, Hangul
//!   fillers, tags, …), which render as nothing. Three kinds are allowed inside a name,
//!   because real orthographies need them: the zero-width non-joiner and joiner
//!   (U+200C, U+200D: Persian, Indic and Sinhala spelling) and the variation selectors
//!   (U+FE00–U+FE0F, U+E0100–U+E01EF, Mongolian U+180B–U+180D and U+180F: a Han or
//!   Mongolian glyph variant);
//! - at least one letter, so that a name of only zero-width, space or symbol characters
//!   is refused.
//!
//! A declared script must be the script of some of the name's letters ([`script_fits`]):
//! `Longjing` is not `Hans`, `龙井` is not `Latn`. Related codes count as one: `Hans`,
//! `Hant` and `Hani` are Han; `Jpan` is Han and kana; `Kore` is Hangul and Han; `Latf`
//! and `Latg` are Latin. A script this crate cannot recognise letters of (ISO 15924 has
//! more than [`super::scripts::SCRIPT_ORDER`]) is accepted when the name has letters of
//! an unrecognised script; the codes for no particular script (`Zyyy`, `Zzzz`, …) and
//! the private-use codes (`Qaaa`–`Qabx`) are not checked.

use super::scripts::{letter_scripts, SCRIPT_ORDER};

/// Why `text` is not a name a reader can see, or `Ok`.
pub fn check_visible(text: &str) -> Result<(), String> {
    for c in text.chars() {
        if is_bidi_control(c) {
            return Err(format!(
                "must not contain the bidirectional control character {}",
                code_point(c)
            ));
        }
        if c == '\u{FEFF}' {
            return Err("must not contain a byte-order mark (U+FEFF)".into());
        }
        if is_default_ignorable(c) && !is_allowed_joiner_or_selector(c) {
            return Err(format!(
                "must not contain the invisible character {}",
                code_point(c)
            ));
        }
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err("must contain at least one visible letter".into());
    }
    Ok(())
}

/// Whether `declared` (an ISO 15924 code) is the script of some letter of `text`;
/// otherwise why not. A text without letters fits any script (see [`check_visible`]).
pub fn script_fits(text: &str, declared: &str) -> Result<(), String> {
    let (found, unlisted) = letter_scripts(text);
    if (found.is_empty() && unlisted == 0) || unchecked(declared) {
        return Ok(());
    }
    if found.iter().any(|letter| covers(declared, letter)) {
        return Ok(());
    }
    if unlisted > 0 && !recognised(declared) {
        return Ok(());
    }
    let letters = if found.is_empty() {
        "of a script other than it".to_string()
    } else {
        found
            .iter()
            .map(|s| display(s))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    Err(format!(
        "is {declared} but the letters of the name are {letters}"
    ))
}

/// A code point as it is named in error messages: `U+200B`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(u32::from(c), 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt, Unicode 15).
pub fn is_default_ignorable(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// The default-ignorables a real spelling needs: ZWNJ, ZWJ and variation selectors.
fn is_allowed_joiner_or_selector(c: char) -> bool {
    matches!(u32::from(c),
        0x200C | 0x200D | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x180B..=0x180D | 0x180F)
}

/// Codes for no particular script, and private use: nothing to check against.
fn unchecked(declared: &str) -> bool {
    declared.starts_with('Z') || ("Qaaa"..="Qabx").contains(&declared)
}

/// Whether letters of `declared` are recognised by [`letter_scripts`].
fn recognised(declared: &str) -> bool {
    SCRIPT_ORDER.contains(&declared)
        || [
            "Hani", "Hira", "Kana", "Hrkt", "Hang", "Latf", "Latg", "Cyrs", "Aran",
        ]
        .contains(&declared)
        || ["Syre", "Syrj", "Syrn"].contains(&declared)
}

/// Whether a letter of script `letter` (as [`letter_scripts`] names it) is written in
/// the declared script.
fn covers(declared: &str, letter: &str) -> bool {
    match declared {
        "Hans" | "Hant" | "Hani" => letter == "Hani",
        "Jpan" => matches!(letter, "Hani" | "Kana"),
        "Hira" | "Kana" | "Hrkt" => letter == "Kana",
        "Kore" => matches!(letter, "Hang" | "Hani"),
        "Hang" => letter == "Hang",
        "Latf" | "Latg" => letter == "Latn",
        "Cyrs" => letter == "Cyrl",
        "Aran" => letter == "Arab",
        "Syre" | "Syrj" | "Syrn" => letter == "Syrc",
        other => other == letter,
    }
}

fn display(letter: &str) -> &str {
    match letter {
        "Hani" => "Han",
        "Kana" => "kana",
        "Hang" => "Hangul",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_every_script_of_the_register_are_visible() {
        for name in [
            "龙井茶",
            "Longjing cha",
            "ข้าวหอมมะลิทุ่งกุลาร้องไห้",
            "Ούζο Μυτιλήνης",
            "Българско розово масло",
            "夕張メロン",
            "고려인삼",
            "Côte de Beaune",
            "=HYPERLINK(\"x\")",
            "می\u{200C}خوش", // Persian with a zero-width non-joiner
            "葛\u{E0100}城", // an ideographic variation sequence
            "Pinggu 2026",
        ] {
            assert_eq!(check_visible(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn invisible_names_are_refused_with_the_reason() {
        let refused = [
            ("\u{200B}\u{200B}", "U+200B"),
            ("\u{200C}\u{200D}", "visible letter"),
            ("\u{FE0F}", "visible letter"),
            ("Long\u{200B}jing", "U+200B"),
            ("\u{FEFF}Longjing", "byte-order mark"),
            ("Longjing\u{00AD}", "U+00AD"),
            ("\u{2060}", "U+2060"),
            ("\u{3164}\u{3164}", "U+3164"),
            ("\u{115F}", "U+115F"),
            ("\u{E0041}\u{E0042}", "U+E0041"),
            ("\u{2800}", "visible letter"), // braille blank
            ("123 - 456", "visible letter"),
            ("   ", "visible letter"),
        ];
        for (name, why) in refused {
            let err = check_visible(name).unwrap_err();
            assert!(err.contains(why), "{name:?}: {err}");
        }
    }

    #[test]
    fn every_bidi_override_isolate_and_mark_is_refused() {
        for cp in (0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .chain([0x200E, 0x200F, 0x061C])
        {
            let c = char::from_u32(cp).unwrap();
            let err = check_visible(&format!("abc{c}def")).unwrap_err();
            assert!(err.contains("bidirectional"), "{cp:X}: {err}");
            assert!(err.contains(&format!("U+{cp:04X}")), "{cp:X}: {err}");
        }
    }

    #[test]
    fn every_default_ignorable_is_refused_unless_a_spelling_needs_it() {
        for cp in 0..=0x10FFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if !is_default_ignorable(c) {
                continue;
            }
            let text = format!("a{c}b");
            assert_eq!(
                check_visible(&text).is_ok(),
                is_allowed_joiner_or_selector(c),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn a_variant_of_a_listed_script_refuses_letters_of_an_unlisted_one() {
        // Ogham is no script `letter_scripts` lists. A code it does not know either
        // (`Ogam`) is given the benefit of the doubt; a variant or subset of a script it
        // does list (`Latf`, `Cyrs`, `Aran`, `Hira`, `Syre`...) is known not to be Ogham.
        for script in [
            "Hani", "Hira", "Kana", "Hrkt", "Hang", "Latf", "Latg", "Cyrs", "Aran", "Syre", "Syrj",
            "Syrn",
        ] {
            let err = script_fits("᚛ᚑᚌᚐᚋ᚜", script).unwrap_err();
            assert!(
                err.ends_with("of a script other than it"),
                "{script}: {err}"
            );
        }
        assert_eq!(script_fits("᚛ᚑᚌᚐᚋ᚜", "Ogam"), Ok(()));
    }

    #[test]
    fn a_declared_script_must_be_that_of_some_letter() {
        let fits = [
            ("龙井茶", "Hans"),
            ("龍井茶", "Hant"),
            ("龙井茶", "Hani"),
            ("Longjing cha", "Latn"),
            ("ข้าวหอมมะลิ", "Thai"),
            ("夕張メロン", "Jpan"),
            ("米沢牛", "Jpan"), // kanji only
            ("고려인삼", "Kore"),
            ("高麗인삼", "Kore"),
            ("XO酱", "Hans"), // mixed: some letters are Han
            ("XO酱", "Latn"),
            ("Ούζο", "Grek"),
            ("᚛ᚑᚌᚐᚋ᚜", "Ogam"), // a script this crate does not list
            ("Longjing", "Zyyy"),
            ("Longjing", "Qaaa"),
            ("2026", "Hans"), // no letters: the visibility rule refuses it
            // Variants and subsets of a listed script.
            ("Longjing", "Latf"),
            ("Хванчкара", "Cyrs"),
            ("زعفران", "Aran"),
            ("ܐܪܡܝܐ", "Syrj"),
            ("メロン", "Hira"),
            ("인삼", "Hang"),
        ];
        for (text, script) in fits {
            assert_eq!(script_fits(text, script), Ok(()), "{text} {script}");
        }
        let refused = [
            ("Longjing", "Hans", "Latn"),
            ("龙井", "Latn", "Han"),
            ("ข้าว", "Latn", "Thai"),
            ("Ouzo", "Grek", "Latn"),
            ("メロン", "Hans", "kana"),
            ("Longjing 茶", "Thai", "Latn and Han"),
            ("Longjing", "Ogam", "Latn"),
            ("᚛ᚑᚌᚐᚋ᚜", "Latn", "of a script other than it"),
            ("龙井", "Latf", "Han"),
            ("Khvanchkara", "Cyrs", "Latn"),
            ("Zafaran", "Aran", "Latn"),
            ("Aramaya", "Syrj", "Latn"),
            ("龙井", "Hira", "Han"),
            ("高麗", "Hang", "Han"),
        ];
        for (text, script, letters) in refused {
            let err = script_fits(text, script).unwrap_err();
            assert!(err.contains(script), "{text} {script}: {err}");
            assert!(err.ends_with(letters), "{text} {script}: {err}");
        }
    }
}
