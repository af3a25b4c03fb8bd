//! Code lists: ISO 639 language codes and ISO 15924 script codes.
//!
//! Data only, with lookups; the rules that use them live in `language_tags`
//! (BCP-47) and `scripts`. Every list is sorted so a lookup is a binary search,
//! and a test keeps it that way.

/// ISO 639-1 two-letter codes (current, plus `bh`), lower case.
/// The withdrawn `in`, `iw`, `ji`, `jw` and `mo` are left out: BCP-47 deprecates them.
pub const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", //
    "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", //
    "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", //
    "da", "de", "dv", "dz", //
    "ee", "el", "en", "eo", "es", "et", "eu", //
    "fa", "ff", "fi", "fj", "fo", "fr", "fy", //
    "ga", "gd", "gl", "gn", "gu", "gv", //
    "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", //
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", //
    "ja", "jv", //
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
    "ky", //
    "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", //
    "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", //
    "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", //
    "oc", "oj", "om", "or", "os", //
    "pa", "pi", "pl", "ps", "pt", //
    "qu", //
    "rm", "rn", "ro", "ru", "rw", //
    "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su",
    "sv", "sw", //
    "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", //
    "ug", "uk", "ur", "uz", //
    "ve", "vi", "vo", //
    "wa", "wo", //
    "xh", //
    "yi", "yo", //
    "za", "zh", "zu",
];

/// Three-letter language codes that are valid BCP-47 primary language subtags.
///
/// BCP-47 uses the two-letter ISO 639-1 code wherever one exists, so a three-letter
/// code such as `eng`, `fra` or `zho` is *not* here. The list holds:
/// - every ISO 639-2 code that has no ISO 639-1 equivalent (collections such as
///   `sla`, special codes `mis`, `mul`, `und`, `zxx`, and `cnr`);
/// - ISO 639-3 codes for the varieties of Chinese, the languages of China, Taiwan,
///   Thailand and its neighbours (Myanmar, Laos, Cambodia, Malaysia), and the regional
///   and minority languages of the European Union, plus a few widely used others.
///
/// The private-use range `qaa`..`qtz` is handled by [`is_language_code`], not listed.
pub const ISO_639_3_LETTER: &[&str] = &[
    "ace", "ach", "acm", "ada", "adx", "ady", "afa", "afh", "ahk", "ain", "akk", "ale", "alg",
    "aln", "als", "alt", "ami", "ang", "anp", "apa", "apc", "arb", "arc", "arn", "arp", "art",
    "arw", "ary", "arz", "ast", "ath", "aus", "awa", //
    "bad", "bai", "bal", "ban", "bar", "bas", "bat", "bca", "bej", "bem", "ber", "bho", "bik",
    "bin", "bla", "blt", "bnn", "bnt", "bra", "btk", "bua", "bug", "byn", //
    "cad", "cai", "car", "cau", "cdo", "ceb", "cel", "chb", "chg", "chk", "chm", "chn", "cho",
    "chp", "chr", "chy", "cja", "cjm", "cjy", "ckb", "cmc", "cmn", "cnp", "cnr", "cop", "cpe",
    "cpf", "cpp", "cpx", "crh", "crp", "csb", "csp", "cus", "czh", "czo", //
    "dak", "dar", "day", "del", "den", "dgr", "din", "dng", "doi", "dra", "dsb", "dta", "dua",
    "dum", "dyu", //
    "efi", "egl", "egy", "eka", "ekk", "elx", "enm", "evn", "ewo", "ext", //
    "fan", "fat", "fil", "fit", "fiu", "fkv", "fon", "frm", "fro", "frp", "frr", "frs",
    "fur", //
    "gaa", "gan", "gay", "gba", "gem", "gez", "gil", "gmh", "goh", "gon", "gor", "got", "grb",
    "grc", "gsw", "gwi", //
    "hai", "hak", "haw", "hil", "him", "hit", "hmn", "hni", "hnj", "hsb", "hsn", "hup", //
    "iba", "ijo", "ilo", "inc", "ine", "inh", "ira", "iro", "ium", //
    "jbo", "jpr", "jrb", //
    "kaa", "kab", "kac", "kam", "kar", "kaw", "kbd", "kdt", "kha", "khb", "khg", "khi", "khk",
    "kho", "kjg", "kmb", "kmr", "koi", "kok", "kos", "kpe", "kpv", "krc", "krl", "kro", "kru",
    "ksh", "ksw", "kum", "kut", "kxm", //
    "lad", "lah", "lam", "lez", "lhu", "lij", "lis", "liv", "lld", "lmo", "lol", "loz", "ltc",
    "ltg", "lua", "lui", "lun", "luo", "lus", "lvs", "lzh", //
    "mad", "mag", "mai", "mak", "man", "map", "mas", "mdf", "mdr", "men", "mfa", "mga", "mhr",
    "mic", "min", "mis", "mjg", "mkh", "mnc", "mni", "mno", "mnp", "mnw", "moh", "mos", "mrj",
    "mul", "mun", "mus", "mvf", "mwl", "mwr", "mww", "myn", "myv", //
    "nah", "nai", "nan", "nap", "nds", "new", "nia", "nic", "niu", "nod", "nog", "non", "nqo",
    "nrf", "nso", "nub", "nwc", "nxq", "nym", "nyn", "nyo", "nzi", //
    "och", "osa", "ota", "oto", //
    "paa", "pag", "pal", "pam", "pap", "pau", "pcd", "peo", "pes", "pfl", "phi", "phn", "pms",
    "pon", "pra", "pro", "prs", "pwn", //
    "raj", "rap", "rar", "rgn", "rki", "rmc", "rmf", "rml", "rmn", "rmo", "rmy", "roa", "rom",
    "rue", "ruo", "rup", "ruq", //
    "sad", "sah", "sai", "sal", "sam", "sas", "sat", "scn", "sco", "sdc", "sdn", "sel", "sem",
    "sga", "sgn", "sgs", "shn", "sid", "sio", "sit", "sje", "sju", "sla", "sli", "slr", "sma",
    "smi", "smj", "smn", "sms", "snk", "sog", "son", "sou", "src", "srn", "sro", "srr", "ssa",
    "stq", "suk", "sus", "sux", "swg", "swh", "syc", "syr", "szl", //
    "tai", "tao", "tay", "tdd", "tem", "ter", "tet", "tig", "tiv", "tkl", "tlh", "tli", "tmh",
    "tog", "tpi", "tsi", "tsu", "tts", "tum", "tup", "tut", "tvl", "tyv", "tzm", //
    "udm", "uga", "umb", "und", "urk", //
    "vai", "vec", "vls", "vmf", "vot", "vro", //
    "wae", "wak", "wal", "war", "was", "wen", "wuu", //
    "xal", //
    "yao", "yap", "ydd", "ypk", "yue", //
    "zap", "zbl", "zea", "zen", "zgh", "zlm", "znd", "zsm", "zun", "zxx", "zza",
];

/// ISO 15924 four-letter script codes, in their conventional title case, as of the
/// 2024 edition of the Unicode Consortium's registration-authority table. The
/// private-use range `Qaaa`..`Qabx` is handled by [`is_script_code`], not listed.
pub const ISO_15924: &[&str] = &[
    "Adlm", "Afak", "Aghb", "Ahom", "Arab", "Aran", "Armi", "Armn", "Avst", //
    "Bali", "Bamu", "Bass", "Batk", "Beng", "Berf", "Bhks", "Blis", "Bopo", "Brah", "Brai", "Bugi",
    "Buhd", //
    "Cakm", "Cans", "Cari", "Cham", "Cher", "Chis", "Chrs", "Cirt", "Copt", "Cpmn", "Cprt", "Cyrl",
    "Cyrs", //
    "Deva", "Diak", "Dogr", "Dsrt", "Dupl", //
    "Egyd", "Egyh", "Egyp", "Elba", "Elym", "Ethi", //
    "Gara", "Geok", "Geor", "Glag", "Gong", "Gonm", "Goth", "Gran", "Grek", "Gujr", "Gukh",
    "Guru", //
    "Hanb", "Hang", "Hani", "Hano", "Hans", "Hant", "Hatr", "Hebr", "Hira", "Hluw", "Hmng", "Hmnp",
    "Hntl", "Hrkt", "Hung", //
    "Inds", "Ital", //
    "Jamo", "Java", "Jpan", "Jurc", //
    "Kali", "Kana", "Kawi", "Khar", "Khmr", "Khoj", "Kitl", "Kits", "Knda", "Kore", "Kpel", "Krai",
    "Kthi", //
    "Lana", "Laoo", "Latf", "Latg", "Latn", "Leke", "Lepc", "Limb", "Lina", "Linb", "Lisu", "Loma",
    "Lyci", "Lydi", //
    "Mahj", "Maka", "Mand", "Mani", "Marc", "Maya", "Medf", "Mend", "Merc", "Mero", "Mlym", "Modi",
    "Mong", "Moon", "Mroo", "Mtei", "Mult", "Mymr", //
    "Nagm", "Nand", "Narb", "Nbat", "Newa", "Nkdb", "Nkgb", "Nkoo", "Nshu", //
    "Ogam", "Olck", "Onao", "Orkh", "Orya", "Osge", "Osma", "Ougr", //
    "Palm", "Pauc", "Pcun", "Pelm", "Perm", "Phag", "Phli", "Phlp", "Phlv", "Phnx", "Piqd", "Plrd",
    "Prti", "Psin", //
    "Ranj", "Rjng", "Rohg", "Roro", "Runr", //
    "Samr", "Sara", "Sarb", "Saur", "Seal", "Sgnw", "Shaw", "Shrd", "Shui", "Sidd", "Sidt", "Sind",
    "Sinh", "Sogd", "Sogo", "Sora", "Soyo", "Sund", "Sunu", "Sylo", "Syrc", "Syre", "Syrj",
    "Syrn", //
    "Tagb", "Takr", "Tale", "Talu", "Taml", "Tang", "Tavt", "Tayo", "Telu", "Teng", "Tfng", "Tglg",
    "Thaa", "Thai", "Tibt", "Tirh", "Tnsa", "Todr", "Tols", "Toto", "Tutg", //
    "Ugar", //
    "Vaii", "Visp", "Vith", //
    "Wara", "Wcho", "Wole", //
    "Xpeo", "Xsux", //
    "Yezi", "Yiii", //
    "Zanb", "Zinh", "Zmth", "Zsye", "Zsym", "Zxxx", "Zyyy", "Zzzz",
];

/// Whether `code` (lower case, as BCP-47 writes it) is a known primary language
/// code: ISO 639-1, a listed three-letter code, or the private-use range `qaa`..`qtz`.
pub fn is_language_code(code: &str) -> bool {
    match code.len() {
        2 => ISO_639_1.binary_search(&code).is_ok(),
        3 => ISO_639_3_LETTER.binary_search(&code).is_ok() || is_private_use_language(code),
        _ => false,
    }
}

/// Whether a three-letter lower-case code is a listed three-letter code (used for
/// BCP-47 extended language subtags such as the `yue` of `zh-yue`).
pub fn is_three_letter_language_code(code: &str) -> bool {
    ISO_639_3_LETTER.binary_search(&code).is_ok()
}

fn is_private_use_language(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3 && b[0] == b'q' && (b'a'..=b't').contains(&b[1]) && b[2].is_ascii_lowercase()
}

/// Whether `code` is an ISO 15924 four-letter code, exactly in title case
/// (`Latn`, not `latn` or `LATN`), including the private-use range `Qaaa`..`Qabx`.
pub fn is_script_code(code: &str) -> bool {
    ISO_15924.binary_search(&code).is_ok() || is_private_use_script(code)
}

fn is_private_use_script(code: &str) -> bool {
    match code.as_bytes() {
        [b'Q', b'a', b'a', c] => c.is_ascii_lowercase(),
        [b'Q', b'a', b'b', c] => (b'a'..=b'x').contains(c),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_sorted_unique(list: &[&str], name: &str) {
        for pair in list.windows(2) {
            assert!(pair[0] < pair[1], "{name}: {} before {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn lists_are_sorted_and_unique_so_binary_search_works() {
        assert_sorted_unique(ISO_639_1, "ISO_639_1");
        assert_sorted_unique(ISO_639_3_LETTER, "ISO_639_3_LETTER");
        assert_sorted_unique(ISO_15924, "ISO_15924");
    }

    #[test]
    fn lists_have_the_expected_shape() {
        assert!(ISO_639_1.len() >= 183, "{}", ISO_639_1.len());
        assert!(ISO_639_1
            .iter()
            .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(ISO_639_3_LETTER
            .iter()
            .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(ISO_15924.len() >= 200, "{}", ISO_15924.len());
        for code in ISO_15924 {
            let b = code.as_bytes();
            assert_eq!(b.len(), 4, "{code}");
            assert!(b[0].is_ascii_uppercase(), "{code}");
            assert!(b[1..].iter().all(u8::is_ascii_lowercase), "{code}");
        }
    }

    #[test]
    fn eu_official_languages_are_two_letter_codes() {
        for code in [
            "bg", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "hu", "ga", "it",
            "lv", "lt", "mt", "pl", "pt", "ro", "sk", "sl", "es", "sv",
        ] {
            assert!(is_language_code(code), "{code}");
        }
    }

    #[test]
    fn china_thailand_and_neighbours_are_known() {
        for code in [
            "zh", "th", "lo", "km", "my", "ms", "vi", "bo", "ug", "ii", "za", "mn", "ko", "cmn",
            "yue", "wuu", "nan", "hak", "hsn", "gan", "lzh", "tts", "nod", "sou", "shn", "mnw",
        ] {
            assert!(is_language_code(code), "{code}");
        }
    }

    #[test]
    fn three_letter_codes_with_a_two_letter_code_are_not_primary_subtags() {
        for code in ["eng", "fra", "zho", "tha", "deu", "ger", "ell", "gre"] {
            assert!(!is_language_code(code), "{code}");
        }
    }

    #[test]
    fn unknown_and_malformed_language_codes_are_refused() {
        for code in ["xx", "zz", "", "e", "EN", "abcd", "qua", "qza"] {
            assert!(!is_language_code(code), "{code}");
        }
        assert!(is_language_code("qaa"));
        assert!(is_language_code("qtz"));
    }

    #[test]
    fn script_codes_are_title_case_and_include_private_use() {
        for code in [
            "Latn", "Grek", "Cyrl", "Hans", "Hant", "Thai", "Khmr", "Armn", "Zyyy",
        ] {
            assert!(is_script_code(code), "{code}");
        }
        for code in ["latn", "LATN", "Fake", "Lat", "Latin", "", "Qabz", "Qaca"] {
            assert!(!is_script_code(code), "{code}");
        }
        assert!(is_script_code("Qaaa"));
        assert!(is_script_code("Qabx"));
    }
}
