//! How much a proposed name collides with a GI's name (issue 13): pure rules, no I/O.
//!
//! Each name is seen in several **forms**, all compact (no spaces or punctuation) and
//! folded by [`match_fold`] (Simplified Chinese, Thai without tone marks, Latin variants
//! met):
//! - its own key: the folded [`query_key`] of the text;
//! - its romanisations: per-character and word-level pinyin of Han, RTGS of Thai;
//! - the **phonetic code** of each Latin form ([`phonetic_code`]).
//!
//! Between a proposed name `q` and a GI's name `n` the reasons and score are:
//!
//! | reason               | when                                                      | score      |
//! |----------------------|-----------------------------------------------------------|------------|
//! | `identical`          | same text after NFKC, case folding and spacing            | 1.00       |
//! | `same_after_folding` | same own key (`龍井茶` / `龙井茶`, `ข้าว` / `ขาว`)          | 0.95       |
//! | `transliteration`    | the own key of one is a romanisation of the other          | 0.90       |
//! | `translation`        | one of the three above, on a name entered as a translation | (as above) |
//! | `phonetic`           | a Latin form of each with the same phonetic code (≥ 3)     | 0.60 + 0.2·s |
//! | `similar_spelling`   | trigram similarity `s` ≥ [`SIMILAR_SPELLING`]              | 0.85·s     |
//!
//! `phonetic` and `similar_spelling` are given only when none of the first three is.
//!
//! `s` is the largest trigram similarity (pg_trgm's: shared trigrams over all trigrams,
//! each form padded with two spaces before and one after) between a form of `q` and a
//! form of `n`. A name's score is the largest that applies; a GI's is that of its
//! best-scoring name. A GI is a candidate when its score is at least [`LISTED`] and
//! [`compare`] gives it a reason.
//!
//! **Finding the candidates.** The check does not compare the name with every GI: the
//! conflict index (store/conflict_index.rs) holds each GI's [`index_entries`] (the
//! forms of all its names and their phonetic codes) and the trigrams of each form, and
//! names every GI that may have a reason:
//! - `identical`, `same_after_folding`, `transliteration`: a form equal to one of the
//!   query's (identical texts have the same own key; a transliteration is the own key
//!   or a romanisation of one equal to a romanisation of the other);
//! - `phonetic`: an equal phonetic code;
//! - `similar_spelling`: `s ≥ 0.5` between forms of `c` shared trigrams of `n` and `m`
//!   needs `c ≥ ⌈n/2⌉`, so the GI's form holds one of the query form's
//!   [`trigrams_to_probe`]`(n)` rarest trigrams (prefix filtering); the forms those
//!   posting lists name are kept when their `s`, computed again, is at least 0.5.
//!
//! Then [`compare`] scores only those GIs' names, so the ranking and the reasons are
//! what comparing every GI would give (tests/api/conflict_index.rs checks it over the
//! EU register). The formula is unchanged by the index.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::name_folding::match_fold;
use super::names::{query_key, search_key, toneless_pinyin};
use super::thai_romanization::rtgs;

/// The making of the conflict index (store/conflict_index.rs): a database whose index
/// was made by an older one has it made again at start-up. Raise it whenever
/// [`NameForms`] or [`phonetic_code`] give other forms or codes for some name (a change
/// of `SEARCH_KEY_VERSION`'s folding usually does).
pub const CONFLICT_INDEX_VERSION: i32 = 3;
/// The least score of a listed candidate.
pub const LISTED: f64 = 0.35;
/// The least trigram similarity that counts as a similar spelling.
pub const SIMILAR_SPELLING: f64 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Identical,
    SameAfterFolding,
    Transliteration,
    Translation,
    SimilarSpelling,
    Phonetic,
    /// The name is, holds or sounds like a generic term of the office.
    GenericTerm,
    /// The name is, holds or sounds like an earlier trademark of the office.
    EarlierTrademark,
}

/// A name in the forms it is compared in.
#[derive(Debug, Clone)]
pub struct NameForms {
    exact: String,
    own: String,
    romanised: Vec<String>,
    /// Every form: own and romanised.
    all: Vec<String>,
    phonetic: Vec<String>,
    /// The trigrams of each of `all`, in order.
    trigrams: Vec<Trigrams>,
}

impl NameForms {
    pub fn of(text: &str) -> Self {
        let exact: String = search_key(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let own = query_key(text);
        let mut romanised: Vec<String> = Vec::new();
        let mut add = |form: String| {
            if !form.is_empty() && !romanised.contains(&form) {
                romanised.push(form);
            }
        };
        if let Some(p) = toneless_pinyin(text) {
            add(match_fold(&p));
        }
        if let Some(words) = super::names::word_pinyin(text) {
            add(query_key(&words));
        }
        if let Some(latin) = rtgs(text) {
            add(query_key(&latin));
        }
        let mut all = vec![own.clone()];
        all.extend(romanised.iter().filter(|r| **r != own).cloned());
        let phonetic = all
            .iter()
            .filter_map(|f| phonetic_code(f))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let trigrams = all.iter().map(|f| Trigrams::of(f)).collect();
        Self {
            exact,
            own,
            romanised,
            all,
            phonetic,
            trigrams,
        }
    }
}

impl NameForms {
    /// The folded key and every romanisation.
    pub fn forms(&self) -> &[String] {
        &self.all
    }

    /// The phonetic codes of the Latin forms.
    pub fn phonetic(&self) -> &[String] {
        &self.phonetic
    }

    /// The trigrams of each of [`Self::forms`], in the same order.
    pub fn trigrams(&self) -> &[Trigrams] {
        &self.trigrams
    }
}

/// How `query` collides with `name`: its score and reasons (sorted, no repeats), or a
/// score of 0 and no reasons. `translation`: whether `name` was entered as a translation.
pub fn compare(query: &NameForms, name: &NameForms, translation: bool) -> (f64, Vec<Reason>) {
    let mut reasons = BTreeSet::new();
    let mut score: f64 = 0.0;
    if !query.exact.is_empty() && query.exact == name.exact {
        reasons.insert(Reason::Identical);
        score = score.max(1.0);
    }
    if !query.own.is_empty() && query.own == name.own {
        if !reasons.contains(&Reason::Identical) {
            reasons.insert(Reason::SameAfterFolding);
        }
        score = score.max(0.95);
    }
    let transliterated = query.own != name.own
        && (name.romanised.contains(&query.own)
            || query.romanised.contains(&name.own)
            || query.romanised.iter().any(|r| name.romanised.contains(r)));
    if transliterated {
        reasons.insert(Reason::Transliteration);
        score = score.max(0.9);
    }
    if translation && !reasons.is_empty() {
        reasons.insert(Reason::Translation);
    }
    let theirs: Vec<Trigrams> = name.all.iter().map(|b| Trigrams::of(b)).collect();
    let similarity = query
        .trigrams
        .iter()
        .flat_map(|a| theirs.iter().map(move |b| a.similarity(b)))
        .fold(0.0, f64::max);
    let strong = score >= 0.9;
    if !strong && query.phonetic.iter().any(|p| name.phonetic.contains(p)) {
        reasons.insert(Reason::Phonetic);
        score = score.max(0.6 + 0.2 * similarity);
    }
    if !strong && similarity >= SIMILAR_SPELLING {
        reasons.insert(Reason::SimilarSpelling);
    }
    score = score.max(0.85 * similarity);
    if score < LISTED {
        return (0.0, Vec::new());
    }
    (round3(score), reasons.into_iter().collect())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// pg_trgm's similarity: the trigrams of each string, padded with two spaces before and
/// one after, shared over all.
pub fn trigram_similarity(a: &str, b: &str) -> f64 {
    Trigrams::of(a).similarity(&Trigrams::of(b))
}

/// The distinct trigrams of a form, sorted: made once to compare a form with many.
#[derive(Debug, Clone)]
pub struct Trigrams(Vec<[char; 3]>);

impl Trigrams {
    pub fn of(form: &str) -> Self {
        let mut padded: Vec<char> = Vec::with_capacity(form.len() + 3);
        padded.extend("  ".chars());
        padded.extend(form.chars());
        padded.push(' ');
        let mut grams: Vec<[char; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
        grams.sort_unstable();
        grams.dedup();
        Self(grams)
    }

    /// [`trigram_similarity`] of the two forms.
    pub fn similarity(&self, other: &Self) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared as f64 / (a.len() + b.len() - shared) as f64
    }
}

/// The trigrams [`trigram_similarity`] compares, as strings: what the conflict index
/// stores for each form.
pub fn trigram_strings(form: &str) -> Vec<String> {
    Trigrams::of(form)
        .0
        .iter()
        .map(|t| t.iter().collect())
        .collect()
}

/// Of a form with `n` trigrams, how many trigrams a form at least
/// [`SIMILAR_SPELLING`]-similar to it must share with it, `⌈n/2⌉`, and so how many of
/// its trigrams, whichever they are, such a form must hold at least one of:
/// `n − ⌈n/2⌉ + 1`. (With `c` shared of `n` and `m`, `c/(n+m−c) ≥ ½` gives
/// `3c ≥ n + m ≥ n + c`, so `c ≥ n/2`.) The conflict index looks up that many of the
/// query's rarest trigrams.
pub fn trigrams_to_probe(n: usize) -> usize {
    let shared = n.div_ceil(2);
    n - shared + 1
}

/// What the conflict index holds for a GI with these names: the distinct non-empty
/// forms of all its names, and their distinct phonetic codes.
pub fn index_entries<'a>(names: impl IntoIterator<Item = &'a str>) -> (Vec<String>, Vec<String>) {
    let mut forms = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for name in names {
        let of = NameForms::of(name);
        forms.extend(of.all.iter().filter(|f| !f.is_empty()).cloned());
        codes.extend(of.phonetic.iter().cloned());
    }
    (forms.into_iter().collect(), codes.into_iter().collect())
}

/// A phonetic code of a folded Latin form (ASCII letters and digits only; `None`
/// otherwise or when shorter than 3): its letters' consonant classes (b p → p; d t → t;
/// g k q → k; c j s x z → s, as pinyin c and Wade–Giles ch; f v w → f; l r → l;
/// m n → n), a leading vowel kept, other vowels and `y` dropped, a class repeated with
/// no vowel between written once: `longjing` and `lungching` (Wade–Giles, folded
/// `loongcing`) are both `lnksnk`.
pub fn phonetic_code(form: &str) -> Option<String> {
    if form.is_empty() || !form.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut code = String::new();
    let mut last = None;
    for (i, c) in form.chars().enumerate() {
        let k = class(c);
        match k {
            Some(k) if last != Some(k) => code.push(k),
            None if i == 0 => code.push(c),
            _ => {}
        }
        last = k;
    }
    (code.chars().count() >= 3).then_some(code)
}

fn class(c: char) -> Option<char> {
    Some(match c {
        'b' | 'p' => 'p',
        'd' | 't' => 't',
        'g' | 'k' | 'q' => 'k',
        'f' | 'v' | 'w' => 'f',
        'c' | 'j' | 's' | 'x' | 'z' => 's',
        'l' | 'r' => 'l',
        'm' | 'n' => 'n',
        d if d.is_ascii_digit() => d,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(q: &str, n: &str) -> (f64, Vec<Reason>) {
        compare(&NameForms::of(q), &NameForms::of(n), false)
    }

    #[test]
    fn identical_and_folded_names() {
        assert_eq!(check("龙井茶", "龙井茶"), (1.0, vec![Reason::Identical]));
        assert_eq!(
            check("Longjing Cha", "longjing  cha"),
            (1.0, vec![Reason::Identical])
        );
        assert_eq!(
            check("龍井茶", "龙井茶"),
            (0.95, vec![Reason::SameAfterFolding])
        );
        assert_eq!(
            check("ขาวหอมมะลิ", "ข้าวหอมมะลิ"),
            (0.95, vec![Reason::SameAfterFolding])
        );
        assert_eq!(
            check("Phetchaboon", "Phetchabun").1,
            vec![Reason::SameAfterFolding]
        );
    }

    #[test]
    fn transliterations_across_scripts() {
        let (score, reasons) = check("Longjing cha", "龙井茶");
        assert_eq!(score, 0.9);
        assert!(reasons.contains(&Reason::Transliteration), "{reasons:?}");
        let (_, reasons) = check("Makham Wan Phetchabun", "มะขามหวานเพชรบูรณ์");
        assert!(reasons.contains(&Reason::Transliteration), "{reasons:?}");
        let (_, reasons) = check("龍井茶", "Longjing cha");
        assert!(reasons.contains(&Reason::Transliteration), "{reasons:?}");
        let (_, reasons) = check("Chongqing", "重庆");
        assert!(reasons.contains(&Reason::Transliteration), "{reasons:?}");
    }

    #[test]
    fn translations_are_named_as_such() {
        let (score, reasons) = compare(
            &NameForms::of("Longjing tea"),
            &NameForms::of("Longjing Tea"),
            true,
        );
        assert_eq!(score, 1.0);
        assert_eq!(reasons, vec![Reason::Identical, Reason::Translation]);
    }

    #[test]
    fn similar_spellings_and_sounds() {
        let (score, reasons) = check("Longjin", "Longjing");
        assert!(reasons.contains(&Reason::SimilarSpelling), "{reasons:?}");
        assert!(score > 0.5 && score < 0.9, "{score}");
        let (score, reasons) = check("Lung Ching", "龙井");
        assert!(reasons.contains(&Reason::Phonetic), "{reasons:?}");
        assert!(score >= 0.6, "{score}");
    }

    #[test]
    fn a_score_of_exactly_listed_is_kept() {
        // 7 trigrams shared of 17: s = 7/17, and 0.85 * 7/17 is LISTED.
        assert_eq!(trigram_similarity("abcdefgijkl", "abcdefgxyzw"), 7.0 / 17.0);
        assert_eq!(check("abcdefgijkl", "abcdefgxyzw"), (LISTED, vec![]));
    }

    #[test]
    fn unrelated_names_are_not_candidates() {
        assert_eq!(check("Champagne", "龙井茶"), (0.0, vec![]));
        assert_eq!(check("Roquefort", "Parmigiano Reggiano"), (0.0, vec![]));
        assert_eq!(check("กาแฟดอยตุง", "มะขามหวานเพชรบูรณ์"), (0.0, vec![]));
    }

    #[test]
    fn trigram_similarity_is_pg_trgms() {
        assert_eq!(trigram_similarity("abc", "abc"), 1.0);
        assert_eq!(trigram_similarity("abc", "xyz"), 0.0);
        // "  abc " has "  a"," ab","abc","bc "; "  abd " has "  a"," ab","abd","bd "
        assert!((trigram_similarity("abc", "abd") - 2.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_similar_form_holds_one_of_any_probed_trigrams() {
        assert_eq!(trigrams_to_probe(4), 3);
        assert_eq!(trigrams_to_probe(11), 6);
        assert_eq!(trigrams_to_probe(13), 7);
        // Every pair of short strings over three letters: when similar enough, they
        // share at least ⌈n/2⌉ of the first one's n trigrams.
        let words: Vec<String> = (0..3usize.pow(5))
            .flat_map(|i| {
                (1..=5).map(move |len| {
                    (0..len)
                        .map(|d| ['a', 'b', 'c'][(i / 3usize.pow(d)) % 3])
                        .collect::<String>()
                })
            })
            .collect();
        for a in &words {
            let ta = Trigrams::of(a);
            for b in &words {
                let tb = Trigrams::of(b);
                if ta.similarity(&tb) >= SIMILAR_SPELLING {
                    let shared = ta.0.iter().filter(|t| tb.0.contains(t)).count();
                    assert!(shared >= ta.0.len().div_ceil(2), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn a_names_forms_are_its_key_then_each_distinct_romanisation() {
        // Per-character and word pinyin of 龙井茶 are the same form: listed once.
        let tea = NameForms::of("龙井茶");
        assert_eq!(tea.forms(), ["龙井茶", "longjingca"]);
        assert_eq!(tea.phonetic(), ["lnksnks"]);
        let chongqing = NameForms::of("重庆");
        assert_eq!(chongqing.forms(), ["重庆", "zongqing", "congqing"]);
        assert_eq!(NameForms::of("Lung Ching").forms(), ["loongcing"]);
        assert_eq!(tea.trigrams().len(), tea.forms().len());
    }

    #[test]
    fn a_phonetic_score_grows_with_the_spelling_similarity() {
        let (score, reasons) = check("Lung Ching", "龙井");
        let similarity = trigram_similarity("loongcing", "longjing");
        assert_eq!(reasons, vec![Reason::Phonetic]);
        assert_eq!(score, round3(0.6 + 0.2 * similarity));
        assert_eq!(score, 0.671);
    }

    #[test]
    fn the_index_holds_every_distinct_form_and_code_of_all_names() {
        assert_eq!(
            index_entries(["龙井茶", "Longjing", "Longjing tea", "Longjing"]),
            (
                vec![
                    "longjing".to_owned(),
                    "longjingca".to_owned(),
                    "longjingtea".to_owned(),
                    "龙井茶".to_owned(),
                ],
                vec![
                    "lnksnk".to_owned(),
                    "lnksnks".to_owned(),
                    "lnksnkt".to_owned()
                ],
            )
        );
        assert_eq!(index_entries([]), (vec![], vec![]));
        assert_eq!(trigram_strings("abc"), ["  a", " ab", "abc", "bc "]);
    }

    #[test]
    fn phonetic_codes() {
        assert_eq!(phonetic_code("longjing").as_deref(), Some("lnksnk"));
        assert_eq!(phonetic_code("loongcing").as_deref(), Some("lnksnk"));
        assert_eq!(phonetic_code("oozo").as_deref(), None);
        assert_eq!(phonetic_code("ouzomitilene").as_deref(), Some("osntln"));
        assert_eq!(phonetic_code("龙井"), None);
        // Only a form of ASCII letters and digits has a code: not one with a space, a
        // hyphen or a letter left unfolded.
        assert_eq!(phonetic_code("long jing"), None);
        assert_eq!(phonetic_code("longjing-cha"), None);
        assert_eq!(phonetic_code("longjingé"), None);
        assert_eq!(phonetic_code("ab"), None);
        // One class twice with no vowel between is written once (s c → s).
        assert_eq!(phonetic_code("scotch").as_deref(), Some("sts"));
        assert_eq!(phonetic_code("valpolicella").as_deref(), Some("flplsl"));
        assert_eq!(phonetic_code("waffle").as_deref(), Some("ffl"));
        // Digits are kept as they are.
        assert_eq!(phonetic_code("chanel5").as_deref(), Some("snl5"));
    }
}
