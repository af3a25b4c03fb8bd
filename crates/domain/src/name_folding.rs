//! The foldings that make every spelling of a name meet (issue 13), on top of the
//! search key of [`super::names`]:
//! - **Traditional → Simplified Chinese** by OpenCC's `t2s` tables (phrases, then
//!   characters), compiled into the binary by the `ferrous-opencc` crate: `龍井` → `龙井`.
//! - **Word-level pinyin** for polyphonic characters in place names, from
//!   [`PINYIN_PHRASES`]: `重庆` → `chongqing`, not the per-character `zhongqing`.
//!   No crate reads pinyin by word without a large segmenter and dictionary (the
//!   `pinyin` crate reads each character alone), and a GI name's polyphonic characters
//!   are nearly all in a small set of place names, so the table lists those.
//! - **Thai without tone marks** (่ ้ ๊ ๋), ็, ์ and ๎ (`ข้าว` and `ขาว` meet).
//! - **Romanisation variants** of Latin letters ([`fold_variants`]): every `h` is
//!   dropped (ph/p, th/t, kh/k, ch/c: aspirated and unaspirated spellings meet, as do
//!   pinyin zh/z, sh/s) and every `u` is written `oo` (oo/u: `Phetchaboon` and
//!   `Phetchabun` meet). Each letter folds on its own, never by its neighbours, so the
//!   folding of a part of a word is a part of the folding of the word, and a search by
//!   substring keeps finding what it found.

use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

use super::thai_romanization::is_tone_mark;

/// `text` with Traditional Chinese characters and phrases in their Simplified form;
/// other text unchanged.
pub fn simplified(text: &str) -> String {
    if !text.chars().any(is_han) {
        return text.to_string();
    }
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    match T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok()) {
        Some(converter) => converter.convert(text),
        None => text.to_string(),
    }
}

/// The key a search matches on, from a compact search key (no spaces or punctuation):
/// Simplified Chinese, Thai without tone marks, and Latin romanisation variants folded.
pub fn match_fold(compact_key: &str) -> String {
    let simple = simplified(compact_key);
    let mut out = String::with_capacity(simple.len());
    for c in simple.chars() {
        if is_tone_mark(c) {
            continue;
        }
        fold_variant(c, &mut out);
    }
    out
}

/// Latin romanisation variants folded letter by letter: `h` dropped, `u` → `oo`
/// (`"phetchabun"` → `"petcaboon"`, `"phetchaboon"` → `"petcaboon"`).
pub fn fold_variants(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_variant(c, &mut out);
    }
    out
}

fn fold_variant(c: char, out: &mut String) {
    match c {
        'h' => {}
        'u' => out.push_str("oo"),
        other => out.push(other),
    }
}

fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Place names (in Simplified characters) whose polyphonic characters the per-character
/// reading gets wrong, with their toneless pinyin by syllable.
pub const PINYIN_PHRASES: &[(&str, &[&str])] = &[
    ("重庆", &["chong", "qing"]),
    ("长白山", &["chang", "bai", "shan"]),
    ("长白", &["chang", "bai"]),
    ("长沙", &["chang", "sha"]),
    ("长城", &["chang", "cheng"]),
    ("长江", &["chang", "jiang"]),
    ("长兴", &["chang", "xing"]),
    ("长泰", &["chang", "tai"]),
    ("长汀", &["chang", "ting"]),
    ("长寿", &["chang", "shou"]),
    ("长乐", &["chang", "le"]),
    ("长治", &["chang", "zhi"]),
    ("长春", &["chang", "chun"]),
    ("长安", &["chang", "an"]),
    ("长葛", &["chang", "ge"]),
    ("长丰", &["chang", "feng"]),
    ("长阳", &["chang", "yang"]),
    ("长岛", &["chang", "dao"]),
    ("重阳", &["chong", "yang"]),
    ("厦门", &["xia", "men"]),
    ("蚌埠", &["beng", "bu"]),
    ("六安", &["lu", "an"]),
    ("六合", &["lu", "he"]),
    ("乐山", &["le", "shan"]),
    ("乐陵", &["le", "ling"]),
    ("乐亭", &["lao", "ting"]),
    ("乐清", &["yue", "qing"]),
    ("朝阳", &["chao", "yang"]),
    ("单县", &["shan", "xian"]),
    ("番禺", &["pan", "yu"]),
    ("东阿", &["dong", "e"]),
    ("阿胶", &["e", "jiao"]),
    ("蔚县", &["yu", "xian"]),
    ("曲阜", &["qu", "fu"]),
    ("成都", &["cheng", "du"]),
    ("都江堰", &["du", "jiang", "yan"]),
    ("洪洞", &["hong", "tong"]),
    ("铅山", &["yan", "shan"]),
    ("荥阳", &["xing", "yang"]),
    ("荥经", &["ying", "jing"]),
    ("涡阳", &["guo", "yang"]),
    ("会稽", &["kuai", "ji"]),
    ("台州", &["tai", "zhou"]),
    ("天台", &["tian", "tai"]),
    ("莘县", &["shen", "xian"]),
    ("解州", &["xie", "zhou"]),
    ("大冶", &["da", "ye"]),
    ("睢宁", &["sui", "ning"]),
    ("盱眙", &["xu", "yi"]),
    ("郫县", &["pi", "xian"]),
    ("郫都", &["pi", "du"]),
    ("藏红花", &["zang", "hong", "hua"]),
    ("西藏", &["xi", "zang"]),
    ("宁夏", &["ning", "xia"]),
    ("大理", &["da", "li"]),
    ("济南", &["ji", "nan"]),
    ("济宁", &["ji", "ning"]),
    ("茌平", &["chi", "ping"]),
    ("尉氏", &["wei", "shi"]),
    ("柞水", &["zha", "shui"]),
    ("綦江", &["qi", "jiang"]),
    ("黄埔", &["huang", "pu"]),
    ("沈丘", &["shen", "qiu"]),
    ("枸杞", &["gou", "qi"]),
    ("普洱", &["pu", "er"]),
    ("仔姜", &["zi", "jiang"]),
    ("血糯", &["xue", "nuo"]),
];

/// The longest phrase of [`PINYIN_PHRASES`] at the start of `chars`: its length in
/// characters and its syllables.
pub fn phrase_at(chars: &[char]) -> Option<(usize, &'static [&'static str])> {
    // Called at every character of every name indexed: only the phrases that start
    // with this character are counted and compared (none starts with ASCII).
    let first = *chars.first()?;
    if first.is_ascii() {
        return None;
    }
    PINYIN_PHRASES
        .iter()
        .filter(|(phrase, _)| phrase.starts_with(first))
        .filter_map(|(phrase, syllables)| {
            let n = phrase.chars().count();
            (n <= chars.len() && phrase.chars().eq(chars[..n].iter().copied()))
                .then_some((n, *syllables))
        })
        .max_by_key(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_phrase_starts_with_ascii() {
        for (phrase, _) in PINYIN_PHRASES {
            assert!(!phrase.starts_with(|c: char| c.is_ascii()), "{phrase}");
            assert!(!phrase.is_empty());
        }
    }

    #[test]
    fn traditional_chinese_folds_to_simplified() {
        assert_eq!(simplified("龍井茶"), "龙井茶");
        assert_eq!(simplified("龍井"), "龙井");
        assert_eq!(simplified("西湖龍井"), "西湖龙井");
        assert_eq!(simplified("普洱茶"), "普洱茶");
        assert_eq!(simplified("Longjing"), "Longjing");
        assert_eq!(simplified("長白山人參"), "长白山人参");
    }

    #[test]
    fn romanisation_variants_meet() {
        assert_eq!(fold_variants("phetchaboon"), fold_variants("phetchabun"));
        assert_eq!(fold_variants("petchabun"), fold_variants("phetchabun"));
        assert_eq!(fold_variants("kafae"), fold_variants("khafae"));
        assert_eq!(fold_variants("tung"), fold_variants("thung"));
        assert_ne!(fold_variants("makham"), fold_variants("makam wan"));
    }

    #[test]
    fn match_fold_drops_thai_tone_marks_and_simplifies() {
        assert_eq!(match_fold("ข้าว"), "ขาว");
        assert_eq!(match_fold("龍井"), "龙井");
        assert_eq!(match_fold("phetchaboon"), "petcaboon");
    }

    #[test]
    fn folding_a_part_gives_a_part_of_the_folding() {
        let word = "phetchaboonkhaohommali";
        let folded = fold_variants(word);
        let chars: Vec<char> = word.chars().collect();
        for start in 0..chars.len() {
            for end in start + 1..=chars.len() {
                let part: String = chars[start..end].iter().collect();
                assert!(folded.contains(&fold_variants(&part)), "{part}");
            }
        }
    }

    #[test]
    fn phrases_take_their_word_readings() {
        let chars: Vec<char> = "重庆火锅".chars().collect();
        assert_eq!(phrase_at(&chars), Some((2, &["chong", "qing"][..])));
        let chars: Vec<char> = "长白山人参".chars().collect();
        assert_eq!(phrase_at(&chars).map(|p| p.0), Some(3));
        let chars: Vec<char> = "龙井".chars().collect();
        assert_eq!(phrase_at(&chars), None);
    }
}
