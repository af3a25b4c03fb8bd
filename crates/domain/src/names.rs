//! GI names: normalisation, search keys and the per-GI search blob.
//!
//! Search (DESIGN §4) matches any name of a GI in any script, case-, width- and
//! accent-insensitively, and finds a Chinese name by its toneless pinyin. It works
//! by plain substring matching on one stored string per GI:
//!
//! ```text
//! blob = search_blob(&names)          // computed on every write of the names
//! hit  = blob.contains(&query_key(q)) // or: search_blob LIKE '%' || escape_like(key) || '%' ESCAPE '\'
//! ```
//!
//! Normalisation ([`search_key`]), in order:
//! 1. Invisible format characters removed: soft hyphen, zero-width space and
//!    joiners, bidi marks and controls, byte-order mark (first, so that they cannot
//!    hide an accent from step 4).
//! 2. NFKC: full-width and compatibility forms become plain ones (`ＬＯＮＧ` → `LONG`, `ﬁ` → `fi`).
//! 3. Full Unicode case folding (`ß` → `ss`, `ς` → `σ`, `İ` → `i̇`).
//! 4. Accents removed, **for Latin, Greek and Cyrillic only**: the text is decomposed
//!    and a combining mark is dropped when the letter it sits on is Latin, Greek or
//!    Cyrillic (`côte` → `cote`, `ούζο` → `ουζο`, `й` → `и`). Marks on any other
//!    script are kept: Thai vowel and tone marks, Devanagari vowel signs, Hebrew
//!    points and Arabic harakat are part of the word, and stripping them would make
//!    different words collide (Thai `ข้าว` rice would become `ขาว` white, and `ไก่`
//!    chicken would become a prefix of `ไกล` far). The search key keeps them; the
//!    query key below folds Thai tone marks only (issue 13), so `ข้าว` and `ขาว` meet
//!    in a search, as a reader who leaves them out expects.
//!    Latin letters whose mark does not decompose are folded too: `ł` → `l`,
//!    `ø` → `o`, `đ`/`ð` → `d`, `ħ` → `h`, `ı` → `i`, `ŧ` → `t`, `æ` → `ae`,
//!    `œ` → `oe`, `þ` → `th`.
//! 5. Recomposed (NFKC again), so that the key is stable:
//!    `search_key(search_key(x)) == search_key(x)`.
//! 6. Every whitespace and control character becomes a space; runs of spaces
//!    collapse to one; the ends are trimmed.
//!
//! A query key ([`query_key`]) is the search key with **all spaces and punctuation
//! removed** (`"Longjing cha"` → `longjingcha`, `"Côtes-du-Rhône"` → `cotesdurhone`),
//! so that word boundaries, hyphens and apostrophes never decide a match; the blob
//! holds a compact form of every name to match it. Because the query key holds no
//! control character, it can never contain [`SEPARATOR`], so a match never spans
//! two names.
//!
//! The query key is then folded by [`super::name_folding::match_fold`]: Traditional
//! Chinese to Simplified, Thai tone marks dropped, Latin romanisation variants folded
//! (`h` dropped, `u` → `oo`: `Phetchaboon` meets `Phetchabun`). The blob holds that
//! folding of every compact entry beside the entry, and for each name its per-character
//! and word-level pinyin (`重庆` → `zhongqing` and `chongqing`) and, for Thai, its RTGS
//! romanisation ([`super::thai_romanization`]), so `Makham Wan Phetchabun` finds
//! `มะขามหวานเพชรบูรณ์`. A query that folds to nothing (`h`) is matched unfolded.

use pinyin::ToPinyin;

use super::name_folding::{match_fold, phrase_at, simplified};
use super::thai_romanization::rtgs;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub use super::language_tags::{canonical_language_tag, is_valid_language_tag};
pub use super::scripts::{detect_script, is_known_script};

/// Separates the entries of a search blob; a control character (U+001F, UNIT
/// SEPARATOR), which [`query_key`] never produces. A blob starts and ends with it.
pub const SEPARATOR: char = '\u{1F}';

/// The normalised form of a name for searching (see the module documentation):
/// NFKC, full case folding, Latin/Greek/Cyrillic accents removed, whitespace
/// collapsed to single spaces and trimmed. Spaces and punctuation are kept.
pub fn search_key(text: &str) -> String {
    let visible: String = text.chars().filter(|c| !is_invisible(*c)).collect();
    let folded = caseless::default_case_fold_str(&visible.nfkc().collect::<String>());
    let mut stripped = String::with_capacity(folded.len());
    let mut base_is_lgc = false;
    for c in folded.nfd() {
        if is_combining_mark(c) {
            if !base_is_lgc {
                stripped.push(c);
            }
            continue;
        }
        base_is_lgc = is_latin_greek_cyrillic(c);
        match fold_latin_letter(c) {
            Some(s) => stripped.push_str(s),
            None => stripped.push(c),
        }
    }
    let mut key = String::with_capacity(stripped.len());
    let mut pending_space = false;
    for c in stripped.nfkc() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        key.push(c);
    }
    key
}

/// The normalised query: the [`search_key`] of `q` with every space and
/// punctuation character removed (`"Longjing cha"` → `"longjingcha"`). It never
/// contains [`SEPARATOR`]. An empty result (blank or all-punctuation `q`) matches
/// every blob, so callers should treat it as "no text filter" or refuse it.
pub fn query_key(q: &str) -> String {
    let raw = compact(&search_key(q));
    let folded = match_fold(&raw);
    if folded.is_empty() {
        raw
    } else {
        folded
    }
}

/// The version of [`search_blob`]'s making. A database whose blobs were made by an
/// older one has them made again at start-up (store/search_keys.rs); raise it whenever
/// the blob of some names changes.
pub const SEARCH_KEY_VERSION: i32 = 4;

/// Whether a GI whose blob is `blob` matches a query whose key is `query_key`.
pub fn blob_matches(blob: &str, query_key: &str) -> bool {
    blob.contains(query_key)
}

/// The one string stored per GI, computed on write, such that the GI matches query
/// `q` exactly when `blob.contains(&query_key(q))`. For each non-blank name it holds
/// the name's [`search_key`], that key without spaces and punctuation, and, for a
/// name with Han characters, its toneless pinyin joined (`longjingcha`), separated
/// by spaces (`long jing cha`) and, when a syllable has `ü`, joined with `v`
/// (`lvcha`). Entries are distinct and separated by [`SEPARATOR`], with which the
/// blob also starts and ends (a blob of no names is a single separator).
pub fn search_blob(names: &[&str]) -> String {
    let mut entries: Vec<String> = Vec::new();
    let mut add = |entry: String| {
        if !entry.is_empty() && !entries.contains(&entry) {
            entries.push(entry);
        }
    };
    for name in names {
        let key = search_key(name);
        let mut compacts = vec![compact(&key)];
        add(key);
        let simple = simplified(name);
        for words in [false, true] {
            if let Some(tokens) = pinyin_tokens(&simple, words) {
                compacts.push(compact(&search_key(&tokens.concat())));
                add(search_key(&tokens.join(" ")));
                if tokens.iter().any(|t| t.contains('ü')) {
                    compacts.push(compact(&search_key(&tokens.concat().replace('ü', "v"))));
                }
            }
        }
        if let Some(latin) = rtgs(name) {
            compacts.push(compact(&search_key(&latin)));
        }
        for entry in compacts {
            add(match_fold(&entry));
            add(entry);
        }
    }
    let mut blob = String::from(SEPARATOR);
    for entry in entries {
        blob.push_str(&entry);
        blob.push(SEPARATOR);
    }
    blob
}

/// The toneless pinyin of `text`, syllables joined (`龙井茶` → `"longjingcha"`),
/// or `None` when `text` has no Han character. Non-Han characters are kept as their
/// search key, without spaces or punctuation (`龙井 Tea` → `"longjingtea"`); `ü` is
/// written `u` (`绿` → `"lu"`). Each character takes its most common reading (the
/// `pinyin` crate has no word context, so `重庆` gives `zhongqing`, not `chongqing`):
/// an entered transliteration covers such names.
pub fn toneless_pinyin(text: &str) -> Option<String> {
    pinyin_tokens(text, false).map(|tokens| compact(&search_key(&tokens.concat())))
}

/// The word-level toneless pinyin of `text` (Traditional read as Simplified; place names
/// of [`super::name_folding::PINYIN_PHRASES`] by word: `重庆` → `chongqing`), or `None`
/// when `text` has no Han character.
pub fn word_pinyin(text: &str) -> Option<String> {
    pinyin_tokens(&simplified(text), true).map(|tokens| compact(&search_key(&tokens.concat())))
}

/// Like [`toneless_pinyin`] with the syllables separated by single spaces
/// (`龙井茶` → `"long jing cha"`); a run of non-Han text keeps its own spaces.
pub fn toneless_pinyin_spaced(text: &str) -> Option<String> {
    pinyin_tokens(text, false).map(|tokens| search_key(&tokens.join(" ")))
}

/// `s` escaped for `LIKE … ESCAPE '\'`: `\` → `\\`, `%` → `\%`, `_` → `\_`.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The length of `s` in characters (Unicode scalar values), not bytes: the unit
/// for every length limit on names (`龙井茶` is 3, not 9).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The search key without spaces and punctuation, normalised again so that a mark
/// left stranded by a removed space lands on its new base (`"e \u{301}"` → `"e"`),
/// which keeps `compact` idempotent.
fn compact(key: &str) -> String {
    let filtered: String = key
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_punctuation(*c))
        .collect();
    search_key(&filtered)
}

/// Splits NFKC `text` into tokens: one toneless syllable per Han character (with
/// `ü`), and the whitespace-separated words of the text between them. `None` when
/// no character has a reading. `々` repeats the syllable before it. With `words`, a
/// place name of [`super::name_folding::PINYIN_PHRASES`] takes its word reading (`重庆` → `chong qing`).
fn pinyin_tokens(text: &str, words: bool) -> Option<Vec<String>> {
    let mut tokens: Vec<String> = Vec::new();
    let mut other = String::new();
    let mut has_han = false;
    let mut last_syllable: Option<&'static str> = None;
    let chars: Vec<char> = text.nfkc().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some((len, syllables)) = words.then(|| phrase_at(&chars[i..])).flatten() {
            tokens.extend(other.split_whitespace().map(str::to_string));
            other.clear();
            tokens.extend(syllables.iter().map(|s| s.to_string()));
            has_han = true;
            last_syllable = syllables.last().copied();
            i += len;
            continue;
        }
        i += 1;
        let syllable = match c.to_pinyin() {
            Some(p) => Some(p.plain()),
            None if c == '々' => last_syllable,
            None => None,
        };
        match syllable {
            Some(s) => {
                tokens.extend(other.split_whitespace().map(str::to_string));
                other.clear();
                tokens.push(s.to_string());
                has_han = true;
                last_syllable = Some(s);
            }
            None => {
                other.push(c);
                last_syllable = None;
            }
        }
    }
    tokens.extend(other.split_whitespace().map(str::to_string));
    has_han.then_some(tokens)
}

fn is_latin_greek_cyrillic(c: char) -> bool {
    matches!(u32::from(c),
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2AF
        | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F                                     // Latin
        | 0x370..=0x3FF | 0x1F00..=0x1FFF                     // Greek
        | 0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F) // Cyrillic
}

/// Latin letters whose "accent" has no canonical decomposition.
fn fold_latin_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ı' => "i",
        'ŧ' => "t",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// Format characters that do not show: soft hyphen, Mongolian vowel separator,
/// zero-width space, non-joiner, joiner, bidi marks and controls, word joiner and
/// invisible operators, byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(u32::from(c),
        0xAD | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x2069 | 0xFEFF)
}

/// Punctuation (Unicode general category P, in the scripts the register uses, plus
/// the ASCII symbols `$+<=>^`|~`). Letters such as Thai `ๆ` and Han `々` are not.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(u32::from(c),
            0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x37E | 0x387
            | 0x55A..=0x55F | 0x589 | 0x58A | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3 | 0x5F4
            | 0x609 | 0x60A | 0x60C | 0x60D | 0x61B | 0x61D..=0x61F | 0x66A..=0x66D | 0x6D4
            | 0x964 | 0x965 | 0x970 | 0xE4F | 0xE5A | 0xE5B | 0xF04..=0xF12 | 0xF14
            | 0x104A..=0x104F | 0x10FB | 0x1360..=0x1368 | 0x17D4..=0x17D6 | 0x17D8..=0x17DA
            | 0x1800..=0x180A | 0x2010..=0x2027 | 0x2030..=0x205E | 0x2E00..=0x2E5D
            | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0x3030 | 0x303D | 0x30A0
            | 0x30FB | 0xFE10..=0xFE19 | 0xFE30..=0xFE52 | 0xFE54..=0xFE61 | 0xFE63 | 0xFE68
            | 0xFE6A | 0xFE6B | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(names: &[&str], q: &str) -> bool {
        blob_matches(&search_blob(names), &query_key(q))
    }

    const LONGJING: &[&str] = &["龙井茶"];
    const OUZO: &[&str] = &["Ούζο Μυτιλήνης", "Ouzo of Mitilene"];
    const THAI_RICE: &[&str] = &["ข้าวหอมมะลิทุ่งกุลาร้องไห้"];

    #[test]
    fn search_key_folds_case_width_and_accents() {
        let cases = [
            ("Champagne", "champagne"),
            ("Côte de Beaune", "cote de beaune"),
            ("ＬＯＮＧＪＩＮＧ", "longjing"),
            ("Münchener Bier", "munchener bier"),
            ("Straße", "strasse"),
            ("STRASSE", "strasse"),
            ("Ούζο Μυτιλήνης", "ουζο μυτιληνησ"),
            ("ΟΥΖΟ", "ουζο"),
            ("Българско розово масло", "българско розово масло"),
            ("Йошкар", "иошкар"),
            ("Kiełbasa lisiecka", "kielbasa lisiecka"),
            ("Smørrebrød", "smorrebrod"),
            ("Ħobż Malti", "hobz malti"),
            ("Đurđevac", "durdevac"),
            ("Þorramatur", "thorramatur"),
            ("Kırşehir", "kirsehir"),
            ("Giŧŧu", "gittu"),
            ("Œufs", "oeufs"),
            ("Ærø æbler", "aero aebler"),
            ("ﬁne", "fine"),
            ("Jamón de Teruel", "jamon de teruel"),
            ("Tiêu Phú Quốc", "tieu phu quoc"),
        ];
        for (text, expected) in cases {
            assert_eq!(search_key(text), expected, "{text}");
        }
    }

    #[test]
    fn search_key_collapses_whitespace_and_drops_invisibles() {
        assert_eq!(
            search_key("  Côte \t de\n\u{3000}Beaune  "),
            "cote de beaune"
        );
        assert_eq!(search_key("a\u{00A0}b"), "a b");
        assert_eq!(search_key("a\u{200B}b\u{00AD}c\u{FEFF}"), "abc");
        assert_eq!(search_key("a\u{1F}b\u{0}c"), "a b c");
        assert_eq!(search_key(""), "");
        assert_eq!(search_key(" \t\n"), "");
    }

    #[test]
    fn thai_keeps_its_vowel_and_tone_marks() {
        let rice = "ข้าว"; // khao, rice
        let white = "ขาว"; // khao, white: the same letters without the tone mark
        assert_eq!(search_key(rice), rice);
        assert_ne!(search_key(rice), search_key(white));
        assert_eq!(search_key("ไก่"), "ไก่");
        assert_eq!(search_key(THAI_RICE[0]), THAI_RICE[0]);
        // The search itself folds the tone marks (issue 13): a reader who leaves them
        // out, or puts another, finds the name.
        assert!(matches(&["ขาวหอม"], "ข้าว"));
        assert!(matches(&["ข้าวหอม"], "ขาว"));
        assert!(matches(&["ข้าวหอม"], "ข๊าว"));
        assert!(!matches(&["ข้าวหอม"], "ขิว"));
    }

    #[test]
    fn other_scripts_keep_their_marks() {
        assert_eq!(search_key("दार्जिलिंग"), "दार्जिलिंग");
        assert_eq!(search_key("កំពត"), "កំពត");
    }

    #[test]
    fn longjing_is_found_by_pinyin_without_a_transliteration() {
        for q in [
            "longjing",
            "LONGJING",
            "Longjing",
            "ＬＯＮＧＪＩＮＧ",
            "龙井",
            "longjing cha",
            "Long Jing Cha",
            "jingcha",
            "龙井茶",
        ] {
            assert!(matches(LONGJING, q), "{q}");
        }
        for q in ["longjin cha x", "dragon well", "oolong"] {
            assert!(!matches(LONGJING, q), "{q}");
        }
    }

    #[test]
    fn ouzo_is_found_in_greek_and_latin() {
        for q in [
            "ouzo",
            "OUZO",
            "ΟΥΖΟ",
            "ούζο",
            "ουζο",
            "μυτιληνης",
            "Μυτιλήνης",
            "ΜΥΤΙΛΗΝΗΣ",
            "mitilene",
            "ouzo of mitilene",
            "ούζο μυτιλήνης",
        ] {
            assert!(matches(OUZO, q), "{q}");
        }
        assert!(!matches(OUZO, "raki"));
    }

    #[test]
    fn final_sigma_matches_medial_sigma() {
        assert_eq!(query_key("μυτιληνης"), query_key("ΜΥΤΙΛΗΝΗΣ"));
        assert!(matches(&["Μυτιλήνης"], "μυτιληνησ"));
    }

    #[test]
    fn thai_is_found_by_its_exact_text() {
        assert!(matches(THAI_RICE, "ข้าวหอมมะลิ"));
        assert!(matches(THAI_RICE, "ทุ่งกุลาร้องไห้"));
        assert!(matches(THAI_RICE, " ข้าวหอมมะลิ "));
        assert!(matches(THAI_RICE, "ขาวหอมมะลิ"));
        assert!(matches(THAI_RICE, "ทุงกุลารองไห"));
        assert!(!matches(THAI_RICE, "ขาวหอมมะลา"));
    }

    #[test]
    fn latin_names_match_without_case_or_accents() {
        assert!(matches(&["Champagne"], "champagne"));
        assert!(matches(&["Champagne"], "CHAMPAGNE"));
        assert!(matches(&["Côte de Beaune"], "cote"));
        assert!(matches(&["Côte de Beaune"], "côte de beaune"));
        assert!(matches(&["Côte de Beaune"], "cotedebeaune"));
        assert!(matches(&["Münchener Bier"], "münchener"));
        assert!(matches(&["Münchener Bier"], "munchener"));
        assert!(matches(&["Münchener Bier"], "MÜNCHENER"));
        assert!(!matches(&["Champagne"], "cote"));
    }

    #[test]
    fn sharp_s_matches_double_s_both_ways() {
        assert!(matches(&["Straße"], "strasse"));
        assert!(matches(&["Strasse"], "straße"));
        assert!(matches(&["STRASSE"], "Straße"));
        assert_eq!(query_key("ẞ"), "ss");
    }

    #[test]
    fn hyphens_apostrophes_and_spaces_do_not_decide_a_match() {
        assert!(matches(&["Côtes-du-Rhône"], "cotes du rhone"));
        assert!(matches(&["Valle d’Aosta"], "valle d'aosta"));
        assert!(matches(&["Khao Hom Mali Thung Kula Rong-Hai"], "rong hai"));
        assert!(matches(&["Khao Hom Mali Thung Kula Rong-Hai"], "ronghai"));
    }

    #[test]
    fn query_key_removes_spaces_and_punctuation() {
        assert_eq!(query_key("  Longjing   cha "), "longjingca");
        assert_eq!(query_key("Côtes-du-Rhône"), "cotesdoorone");
        assert_eq!(query_key("50% _off_ \\"), "50off");
        assert_eq!(query_key("龙井、茶。"), "龙井茶");
        assert_eq!(query_key("龍井、茶。"), "龙井茶");
        assert_eq!(query_key("ข้าว หอม"), "ขาวหอม");
        assert_eq!(query_key("Phetchaboon"), query_key("Phetchabun"));
        // a query of nothing but folded letters is matched as it is
        assert_eq!(query_key("h"), "h");
        assert_eq!(query_key("!!!"), "");
    }

    #[test]
    fn toneless_pinyin_of_chinese_names() {
        assert_eq!(toneless_pinyin("龙井茶").as_deref(), Some("longjingcha"));
        assert_eq!(
            toneless_pinyin_spaced("龙井茶").as_deref(),
            Some("long jing cha")
        );
        assert_eq!(toneless_pinyin("平谷大桃").as_deref(), Some("pinggudatao"));
        assert_eq!(
            toneless_pinyin("镇江香醋").as_deref(),
            Some("zhenjiangxiangcu")
        );
        assert_eq!(toneless_pinyin("龍井茶").as_deref(), Some("longjingcha"));
        // `々` repeats the syllable before it; alone, it has none.
        assert_eq!(toneless_pinyin_spaced("人々").as_deref(), Some("ren ren"));
        assert_eq!(toneless_pinyin("々").as_deref(), None);
        assert_eq!(toneless_pinyin("龙井 Tea").as_deref(), Some("longjingtea"));
        assert_eq!(
            toneless_pinyin_spaced("龙井 Green Tea").as_deref(),
            Some("long jing green tea")
        );
        assert_eq!(toneless_pinyin("绿茶").as_deref(), Some("lucha"));
        assert_eq!(toneless_pinyin("Champagne"), None);
        assert_eq!(toneless_pinyin("ข้าว"), None);
        assert_eq!(toneless_pinyin(""), None);
    }

    #[test]
    fn umlaut_u_in_pinyin_matches_u_and_v() {
        assert!(matches(&["绿茶"], "lucha"));
        assert!(matches(&["绿茶"], "lvcha"));
        assert!(matches(&["绿茶"], "lücha"));
    }

    #[test]
    fn demo_gis_are_found_by_pinyin() {
        let cases = [
            ("平谷大桃", "pinggu da tao"),
            ("镇江香醋", "zhenjiang xiang cu"),
            ("琯溪蜜柚", "guanxi mi you"),
            ("茅台酒", "maotai"),
        ];
        for (name, q) in cases {
            assert!(matches(&[name], q), "{name} / {q}");
        }
    }

    #[test]
    fn blob_has_every_form_and_is_delimited() {
        let blob = search_blob(&["龙井茶", "Longjing cha"]);
        let s = SEPARATOR;
        assert_eq!(
            blob,
            format!("{s}龙井茶{s}long jing cha{s}longjingca{s}longjingcha{s}longjing cha{s}")
        );
        assert!(blob.starts_with(SEPARATOR) && blob.ends_with(SEPARATOR));
        assert_eq!(search_blob(&[]), SEPARATOR.to_string());
        assert_eq!(search_blob(&["", "  "]), SEPARATOR.to_string());
    }

    #[test]
    fn a_match_never_spans_two_names() {
        // "cha" ends one name and "mpagne" starts the next; "champagne" must not match.
        assert!(!matches(&["Longjing cha", "mpagne"], "champagne"));
        assert!(!matches(&["ouzo", "raki"], "ouzoraki"));
    }

    #[test]
    fn query_keys_never_hold_the_separator_or_whitespace() {
        for cp in (0u32..=0x10FFFF).step_by(7).chain(0..0x400) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let q = format!("a{c}b");
            let key = query_key(&q);
            assert!(!key.contains(SEPARATOR), "U+{cp:04X}");
            assert!(!key.chars().any(char::is_whitespace), "U+{cp:04X}");
            assert!(!key.chars().any(char::is_control), "U+{cp:04X}");
        }
    }

    #[test]
    fn search_key_is_idempotent() {
        let samples = [
            "Ούζο Μυτιλήνης",
            "ＬＯＮＧＪＩＮＧ",
            "Straße",
            "ǰ İstanbul ΐ",
            "ข้าวหอมมะลิทุ่งกุลาร้องไห้",
            "ﬀ ﬃ ㎏ ① ½",
            "a \u{0308} b",
            "Æble Œuf",
        ];
        for s in samples {
            let once = search_key(s);
            assert_eq!(search_key(&once), once, "{s}");
        }
        // And over a sweep of single characters, with Latin and Greek neighbours.
        for cp in (0u32..=0x2FFFF).step_by(3) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("É{c}ά");
            let once = search_key(&s);
            assert_eq!(search_key(&once), once, "U+{cp:04X}");
        }
    }

    #[test]
    fn query_key_is_idempotent_even_when_a_space_strands_a_mark() {
        assert_eq!(query_key("e \u{301}"), "e");
        for cp in (0u32..=0x2FFFF).step_by(5) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for s in [format!("e{c}\u{301}"), format!("ข{c}\u{E49}")] {
                let once = query_key(&s);
                assert_eq!(query_key(&once), once, "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn thai_sara_am_is_matched_whether_composed_or_not() {
        // NFKC writes SARA AM (U+0E33) as NIKHAHIT + SARA AA; names and queries alike.
        let fish_sauce = "น้ำปลา";
        assert!(matches(&[fish_sauce], "น้ำ"));
        assert!(matches(&[fish_sauce], "น\u{E49}\u{E4D}\u{E32}ปลา"));
        assert!(!matches(&[fish_sauce], "นา"));
    }

    #[test]
    fn every_name_matches_itself_and_its_own_substrings() {
        let names = [
            "龙井茶",
            "Longjing cha",
            "Ούζο Μυτιλήνης",
            "ข้าวหอมมะลิทุ่งกุลาร้องไห้",
            "Côte de Beaune",
            "Münchener Bier",
            "Българско розово масло",
            "Kampot pepper / ម្រេចកំពត",
        ];
        for name in names {
            let blob = search_blob(&[name]);
            assert!(blob_matches(&blob, &query_key(name)), "{name}");
            let chars: Vec<char> = name.chars().collect();
            for start in 0..chars.len() {
                for end in start + 1..=chars.len() {
                    let part: String = chars[start..end].iter().collect();
                    assert!(blob_matches(&blob, &query_key(&part)), "{name} / {part}");
                }
            }
        }
    }

    #[test]
    fn every_spelling_finds_the_gi() {
        // Traditional finds Simplified, and Simplified finds Traditional
        assert!(matches(LONGJING, "龍井"));
        assert!(matches(&["西湖龍井"], "西湖龙井"));
        // word-level pinyin beside the per-character one
        assert!(matches(&["重庆火锅底料"], "chongqing"));
        assert!(matches(&["重庆火锅底料"], "zhongqing"));
        assert!(matches(&["長白山人參"], "changbaishan"));
        assert!(!matches(&["重要"], "chongyao"));
        // Thai by its RTGS, with no Latin name entered, and by common spellings
        let tamarind = &["มะขามหวานเพชรบูรณ์"][..];
        assert!(matches(tamarind, "Makham Wan Phetchabun"));
        assert!(matches(tamarind, "makham-wan"));
        assert!(matches(tamarind, "Phetchaboon"));
        assert!(matches(tamarind, "Petchabun"));
        assert!(matches(THAI_RICE, "khao hom mali"));
        assert!(matches(THAI_RICE, "Thung Kula Rong-Hai"));
        assert!(!matches(tamarind, "khao hom mali"));
        assert!(!matches(THAI_RICE, "Phetchabun"));
    }

    #[test]
    fn word_readings_only_where_the_table_has_the_word() {
        let blob = search_blob(&["重庆"]);
        assert!(blob.contains("chongqing") && blob.contains("zhongqing"));
        let blob = search_blob(&["龙井茶"]);
        assert_eq!(blob.matches("longjingcha").count(), 1);
    }

    #[test]
    fn escape_like_escapes_wildcards_and_the_escape_char() {
        assert_eq!(escape_like("100%"), "100\\%");
        assert_eq!(escape_like("a_b"), "a\\_b");
        assert_eq!(escape_like("c:\\d"), "c:\\\\d");
        assert_eq!(escape_like("\\%_"), "\\\\\\%\\_");
        assert_eq!(escape_like("龙井 cha"), "龙井 cha");
        assert_eq!(escape_like(""), "");
    }

    #[test]
    fn char_len_counts_characters_not_bytes() {
        assert_eq!(char_len("龙井茶"), 3);
        assert_eq!("龙井茶".len(), 9);
        assert_eq!(char_len("Ούζο"), 4);
        assert_eq!(char_len("ข้าว"), 4);
        assert_eq!(char_len(""), 0);
    }

    #[test]
    fn re_exports_reach_scripts_and_language_tags() {
        assert_eq!(detect_script("龙井茶"), "Hans");
        assert!(is_known_script("Thai"));
        assert!(is_valid_language_tag("zh-Latn-pinyin"));
        assert_eq!(
            canonical_language_tag("zh-hans-cn").as_deref(),
            Some("zh-Hans-CN")
        );
    }
}
