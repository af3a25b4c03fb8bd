//! How a proposed name meets an office's generic terms and earlier trademarks: by the
//! folded key of the term or mark, looked up among the name's forms and their pieces,
//! and by sound. Lookups are by equality only, so that an index answers them however
//! long the lists grow.

use std::collections::BTreeSet;

use super::conflicts::NameForms;

/// The shortest piece of a Latin form looked up (shorter marks, like `ABC`, would be
/// found inside too many names); in other scripts a character says more.
const SHORTEST_LATIN_PIECE: usize = 4;
const SHORTEST_OTHER_PIECE: usize = 2;
/// The longest piece looked up; a longer term is found only as a whole form.
const LONGEST_PIECE: usize = 40;

/// A term or mark the same as a form of the name after folding.
pub const SAME_SCORE: f64 = 0.95;
/// A term or mark contained in a form of the name (`Doi Tung` in `Kafae Doi Tung`).
pub const CONTAINED_SCORE: f64 = 0.75;
/// A term or mark with the phonetic code of a form of the name.
pub const SOUNDS_SCORE: f64 = 0.6;

/// The keys to look terms and marks up by: every form of the name, and every run of its
/// characters that is long enough.
pub fn lookup_keys(name: &NameForms) -> Vec<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for form in name.forms() {
        let chars: Vec<char> = form.chars().collect();
        keys.insert(form.clone());
        let shortest = shortest_piece(form);
        for start in 0..chars.len() {
            let longest = (chars.len() - start).min(LONGEST_PIECE);
            for len in shortest..=longest {
                keys.insert(chars[start..start + len].iter().collect());
            }
        }
    }
    keys.into_iter().collect()
}

fn shortest_piece(form: &str) -> usize {
    if form.is_ascii() {
        SHORTEST_LATIN_PIECE
    } else {
        SHORTEST_OTHER_PIECE
    }
}

/// How well a term or mark with `key` (and `phonetic`, its code) matches the name: a
/// score, or None.
pub fn score(name: &NameForms, key: &str, phonetic: Option<&str>) -> Option<f64> {
    if key.is_empty() {
        return None;
    }
    if name.forms().iter().any(|form| form == key) {
        return Some(SAME_SCORE);
    }
    let contained = name
        .forms()
        .iter()
        .any(|form| key.chars().count() >= shortest_piece(form) && form.contains(key));
    if contained {
        return Some(CONTAINED_SCORE);
    }
    phonetic
        .filter(|code| name.phonetic().iter().any(|own| own == code))
        .map(|_| SOUNDS_SCORE)
}

/// The key and phonetic code a term or mark is stored under.
pub fn keys_of(text: &str) -> (String, Option<String>) {
    let forms = NameForms::of(text);
    let key = forms.forms().first().cloned().unwrap_or_default();
    (key, forms.phonetic().first().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_inside_a_thai_name_is_found_by_its_romanisation() {
        let name = NameForms::of("กาแฟดอยตุง");
        let (key, phonetic) = keys_of("DOI TUNG");
        assert_eq!(key, "doitoong", "u folded as oo");
        assert!(lookup_keys(&name).contains(&key));
        assert_eq!(
            score(&name, &key, phonetic.as_deref()),
            Some(CONTAINED_SCORE)
        );
    }

    #[test]
    fn same_contained_sounding_or_nothing() {
        let name = NameForms::of("Longjing cha");
        let same = keys_of("Longjing-Cha");
        assert_eq!(score(&name, &same.0, same.1.as_deref()), Some(SAME_SCORE));
        let inside = keys_of("Longjing");
        assert_eq!(
            score(&name, &inside.0, inside.1.as_deref()),
            Some(CONTAINED_SCORE)
        );
        let sounds = keys_of("Lung Ching Cha");
        assert_eq!(
            score(&name, &sounds.0, sounds.1.as_deref()),
            Some(SOUNDS_SCORE)
        );
        let short = keys_of("cha");
        assert_eq!(
            score(&name, &short.0, short.1.as_deref()),
            None,
            "too short to count inside"
        );
        let other = keys_of("Doi Tung");
        assert_eq!(score(&name, &other.0, other.1.as_deref()), None);
        // Chinese: two characters are a piece.
        let tea = NameForms::of("龙井茶");
        let (key, _) = keys_of("龙井");
        assert!(lookup_keys(&tea).contains(&key));
        assert_eq!(score(&tea, &key, None), Some(CONTAINED_SCORE));
    }
}
