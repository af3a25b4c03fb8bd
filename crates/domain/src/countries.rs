//! Country names as registers write them, and their ISO 3166-1 alpha-2 codes.
//!
//! Covers every country of the EU register snapshot (`EA_Country`), in English
//! and in the native spellings registers use (`Italia`, `Česko`, `Ελλάδα`,
//! `中国`, `ประเทศไทย`, …), plus the EU's other partners. The regional code `EU`
//! ("European Union") is accepted too, as `identifiers::is_jurisdiction` does.
//! Each country also carries its main language for names (a best effort used
//! when importing names whose language the source does not give).

/// One country: its code, English name, main language (BCP-47 tag and the ISO
/// 15924 script it is written in) and the other spellings that name it.
struct Country {
    code: &'static str,
    english: &'static str,
    language: Option<(&'static str, &'static str)>,
    aliases: &'static [&'static str],
}

const fn c(
    code: &'static str,
    english: &'static str,
    language: Option<(&'static str, &'static str)>,
    aliases: &'static [&'static str],
) -> Country {
    Country {
        code,
        english,
        language,
        aliases,
    }
}

const LATN: &str = "Latn";

/// Countries by code. `language` is `None` where names are commonly in several
/// languages (Belgium, Switzerland, India, …): their names get `und`.
const COUNTRIES: &[Country] = &[
    c(
        "AD",
        "Andorra",
        Some(("ca", LATN)),
        &["Principat d'Andorra"],
    ),
    c(
        "AL",
        "Albania",
        Some(("sq", LATN)),
        &["Shqipëria", "Shqipëri"],
    ),
    c(
        "AM",
        "Armenia",
        Some(("hy", "Armn")),
        &["Հայաստան", "Hayastan"],
    ),
    c("AR", "Argentina", Some(("es", LATN)), &[]),
    c(
        "AT",
        "Austria",
        Some(("de", LATN)),
        &["Österreich", "Oesterreich"],
    ),
    c("AU", "Australia", Some(("en", LATN)), &[]),
    c(
        "BA",
        "Bosnia and Herzegovina",
        Some(("bs", LATN)),
        &["Bosna i Hercegovina", "Bosnia-Herzegovina"],
    ),
    c("BE", "Belgium", None, &["Belgique", "België", "Belgien"]),
    c(
        "BG",
        "Bulgaria",
        Some(("bg", "Cyrl")),
        &["България", "Bulgariya", "Balgariya"],
    ),
    c("BR", "Brazil", Some(("pt", LATN)), &["Brasil"]),
    c("BY", "Belarus", Some(("be", "Cyrl")), &["Беларусь"]),
    c("CA", "Canada", None, &[]),
    c(
        "CH",
        "Switzerland",
        None,
        &["Schweiz", "Suisse", "Svizzera", "Svizra", "Helvetia"],
    ),
    c("CL", "Chile", Some(("es", LATN)), &[]),
    c(
        "CN",
        "China",
        Some(("zh", "Hans")),
        &[
            "中国",
            "中國",
            "People's Republic of China",
            "PR China",
            "Zhongguo",
        ],
    ),
    c("CO", "Colombia", Some(("es", LATN)), &[]),
    c("CR", "Costa Rica", Some(("es", LATN)), &[]),
    c(
        "CY",
        "Cyprus",
        Some(("el", "Grek")),
        &["Κύπρος", "Kypros", "Kıbrıs"],
    ),
    c(
        "CZ",
        "Czechia",
        Some(("cs", LATN)),
        &[
            "Czech Republic",
            "Česko",
            "Česká republika",
            "Ceska republika",
        ],
    ),
    c("DE", "Germany", Some(("de", LATN)), &["Deutschland"]),
    c("DK", "Denmark", Some(("da", LATN)), &["Danmark"]),
    c(
        "DO",
        "Dominican Republic",
        Some(("es", LATN)),
        &["República Dominicana"],
    ),
    c("EC", "Ecuador", Some(("es", LATN)), &[]),
    c("EE", "Estonia", Some(("et", LATN)), &["Eesti"]),
    c("EG", "Egypt", Some(("ar", "Arab")), &["مصر"]),
    c("ES", "Spain", Some(("es", LATN)), &["España", "Espana"]),
    c("ET", "Ethiopia", Some(("am", "Ethi")), &[]),
    c("EU", "European Union", None, &[]),
    c("FI", "Finland", Some(("fi", LATN)), &["Suomi"]),
    c("FR", "France", Some(("fr", LATN)), &[]),
    c(
        "GB",
        "United Kingdom",
        Some(("en", LATN)),
        &[
            "UK",
            "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    ),
    c(
        "GE",
        "Georgia",
        Some(("ka", "Geor")),
        &["საქართველო", "Sakartvelo"],
    ),
    c("GN", "Guinea", Some(("fr", LATN)), &["Guinée"]),
    c(
        "GR",
        "Greece",
        Some(("el", "Grek")),
        &["Ελλάδα", "Ελλάς", "Hellas", "Ellada"],
    ),
    c("GT", "Guatemala", Some(("es", LATN)), &[]),
    c("GY", "Guyana", Some(("en", LATN)), &[]),
    c("HK", "Hong Kong", Some(("zh", "Hant")), &["香港"]),
    c("HR", "Croatia", Some(("hr", LATN)), &["Hrvatska"]),
    c("HU", "Hungary", Some(("hu", LATN)), &["Magyarország"]),
    c("ID", "Indonesia", Some(("id", LATN)), &[]),
    c("IE", "Ireland", Some(("en", LATN)), &["Éire", "Eire"]),
    c("IL", "Israel", Some(("he", "Hebr")), &["ישראל"]),
    c("IN", "India", None, &["Bharat", "भारत"]),
    c("IS", "Iceland", Some(("is", LATN)), &["Ísland"]),
    c("IT", "Italy", Some(("it", LATN)), &["Italia"]),
    c("JP", "Japan", Some(("ja", "Jpan")), &["日本", "Nippon"]),
    c("KE", "Kenya", None, &[]),
    c(
        "KH",
        "Cambodia",
        Some(("km", "Khmr")),
        &["Kampuchea", "កម្ពុជា"],
    ),
    c(
        "KR",
        "South Korea",
        Some(("ko", "Kore")),
        &[
            "Republic of Korea",
            "Korea, Republic of",
            "Korea",
            "대한민국",
        ],
    ),
    c("KZ", "Kazakhstan", Some(("kk", "Cyrl")), &["Қазақстан"]),
    c(
        "LA",
        "Laos",
        Some(("lo", "Laoo")),
        &["Lao People's Democratic Republic", "Lao PDR"],
    ),
    c("LI", "Liechtenstein", Some(("de", LATN)), &[]),
    c("LK", "Sri Lanka", None, &[]),
    c("LT", "Lithuania", Some(("lt", LATN)), &["Lietuva"]),
    c(
        "LU",
        "Luxembourg",
        Some(("fr", LATN)),
        &["Lëtzebuerg", "Luxemburg"],
    ),
    c("LV", "Latvia", Some(("lv", LATN)), &["Latvija"]),
    c("MA", "Morocco", None, &["Maroc", "المغرب"]),
    c("MC", "Monaco", Some(("fr", LATN)), &[]),
    c(
        "MD",
        "Moldova",
        Some(("ro", LATN)),
        &[
            "Republic of Moldova",
            "Republica Moldova",
            "Moldova, Republic of",
        ],
    ),
    c(
        "ME",
        "Montenegro",
        Some(("cnr", LATN)),
        &["Crna Gora", "Црна Гора"],
    ),
    c(
        "MK",
        "North Macedonia",
        Some(("mk", "Cyrl")),
        &["Republic of North Macedonia", "Северна Македонија"],
    ),
    c("MM", "Myanmar", Some(("my", "Mymr")), &["Burma"]),
    c(
        "MN",
        "Mongolia",
        Some(("mn", "Cyrl")),
        &["Монгол Улс", "Монгол"],
    ),
    c("MT", "Malta", Some(("mt", LATN)), &[]),
    c("MX", "Mexico", Some(("es", LATN)), &["México"]),
    c("MY", "Malaysia", Some(("ms", LATN)), &[]),
    c(
        "NL",
        "Netherlands",
        Some(("nl", LATN)),
        &["Nederland", "The Netherlands", "Holland"],
    ),
    c("NO", "Norway", Some(("no", LATN)), &["Norge", "Noreg"]),
    c("NZ", "New Zealand", Some(("en", LATN)), &[]),
    c("PE", "Peru", Some(("es", LATN)), &["Perú"]),
    c("PH", "Philippines", None, &["Pilipinas"]),
    c("PL", "Poland", Some(("pl", LATN)), &["Polska"]),
    c("PT", "Portugal", Some(("pt", LATN)), &[]),
    c("RO", "Romania", Some(("ro", LATN)), &["România"]),
    c("RS", "Serbia", Some(("sr", "Cyrl")), &["Србија", "Srbija"]),
    c(
        "RU",
        "Russia",
        Some(("ru", "Cyrl")),
        &["Russian Federation", "Россия", "Rossiya"],
    ),
    c("SE", "Sweden", Some(("sv", LATN)), &["Sverige"]),
    c("SG", "Singapore", None, &[]),
    c("SI", "Slovenia", Some(("sl", LATN)), &["Slovenija"]),
    c(
        "SK",
        "Slovakia",
        Some(("sk", LATN)),
        &["Slovensko", "Slovak Republic"],
    ),
    c("SM", "San Marino", Some(("it", LATN)), &[]),
    c(
        "TH",
        "Thailand",
        Some(("th", "Thai")),
        &["ประเทศไทย", "ไทย", "Prathet Thai", "Kingdom of Thailand"],
    ),
    c("TN", "Tunisia", Some(("ar", "Arab")), &["Tunisie", "تونس"]),
    c("TR", "Turkey", Some(("tr", LATN)), &["Türkiye", "Turkiye"]),
    c("TT", "Trinidad and Tobago", Some(("en", LATN)), &[]),
    c("TW", "Taiwan", Some(("zh", "Hant")), &["臺灣", "台灣"]),
    c("UA", "Ukraine", Some(("uk", "Cyrl")), &["Україна"]),
    c(
        "US",
        "United States",
        Some(("en", LATN)),
        &["United States of America", "USA", "U.S.A."],
    ),
    c("UY", "Uruguay", Some(("es", LATN)), &[]),
    c(
        "VN",
        "Viet Nam",
        Some(("vi", LATN)),
        &["Vietnam", "Việt Nam"],
    ),
    c("XK", "Kosovo", Some(("sq", LATN)), &["Kosova"]),
    c("ZA", "South Africa", None, &[]),
];

/// The ISO 3166-1 alpha-2 code (or `EU`) of a country name, in English or a
/// native spelling: `Italia` → `IT`, `Czechia` → `CZ`, `United Kingdom` → `GB`,
/// `Viet nam` → `VN`. Case-insensitive; surrounding and repeated spaces are
/// ignored. `None` for an unknown name (and for codes: `IT` is not a name).
pub fn iso_alpha2(name: &str) -> Option<&'static str> {
    let wanted = fold(name);
    if wanted.is_empty() {
        return None;
    }
    COUNTRIES
        .iter()
        .find(|c| fold(c.english) == wanted || c.aliases.iter().any(|a| fold(a) == wanted))
        .map(|c| c.code)
}

/// The English name of a code from this table (`GB` → "United Kingdom").
pub fn english_name(alpha2: &str) -> Option<&'static str> {
    find(alpha2).map(|c| c.english)
}

/// The main language in which the country's GI names are written, as a BCP-47
/// tag with the ISO 15924 script of that language (`IT` → `("it", "Latn")`,
/// `GR` → `("el", "Grek")`). `None` for unknown codes and for countries whose
/// names are commonly in several languages (`BE`, `CH`, `IN`, …).
pub fn main_language(alpha2: &str) -> Option<(&'static str, &'static str)> {
    find(alpha2).and_then(|c| c.language)
}

/// Every code of the table, in alphabetical order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|c| c.code)
}

/// The country names in a value that may hold several (`Czechia, Slovakia`):
/// split on `,` and `;`, trimmed, empty parts dropped. A comma that belongs to a
/// known name (`Korea, Republic of`) does not split it.
pub fn split_countries(value: &str) -> Vec<&str> {
    // Byte spans of the comma/semicolon-separated parts.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, ch) in value.char_indices() {
        if ch == ',' || ch == ';' {
            spans.push((start, i));
            start = i + ch.len_utf8();
        }
    }
    spans.push((start, value.len()));

    let mut out = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let (from, to) = spans[i];
        // Join with the next part when the two together make a known name.
        if let Some(&(_, next_to)) = spans.get(i + 1) {
            let joined = value[from..next_to].trim();
            if iso_alpha2(joined).is_some() {
                out.push(joined);
                i += 2;
                continue;
            }
        }
        let part = value[from..to].trim();
        if !part.is_empty() {
            out.push(part);
        }
        i += 1;
    }
    out
}

fn find(alpha2: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == alpha2)
}

/// Lower case with runs of whitespace collapsed, for comparing names.
fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiers::is_jurisdiction;
    use crate::language_tags::is_valid_language_tag;
    use crate::scripts::is_known_script;

    /// Every `EA_Country` value of the EU register snapshot.
    const EU_REGISTER_COUNTRIES: &[(&str, &str)] = &[
        ("Italia", "IT"),
        ("France", "FR"),
        ("Spain", "ES"),
        ("Greece", "GR"),
        ("Portugal", "PT"),
        ("Germany", "DE"),
        ("Hungary", "HU"),
        ("United Kingdom", "GB"),
        ("Romania", "RO"),
        ("Bulgaria", "BG"),
        ("Austria", "AT"),
        ("Croatia", "HR"),
        ("Poland", "PL"),
        ("Slovenia", "SI"),
        ("Czechia", "CZ"),
        ("Belgium", "BE"),
        ("Netherlands", "NL"),
        ("Slovakia", "SK"),
        ("Sweden", "SE"),
        ("Turkey", "TR"),
        ("Cyprus", "CY"),
        ("Lithuania", "LT"),
        ("Finland", "FI"),
        ("Denmark", "DK"),
        ("Ireland", "IE"),
        ("China", "CN"),
        ("Luxembourg", "LU"),
        ("Latvia", "LV"),
        ("Norway", "NO"),
        ("Thailand", "TH"),
        ("India", "IN"),
        ("Malta", "MT"),
        ("Estonia", "EE"),
        ("Switzerland", "CH"),
        ("Brazil", "BR"),
        ("Cambodia", "KH"),
        ("Indonesia", "ID"),
        ("United States", "US"),
        ("Guatemala", "GT"),
        ("Guyana", "GY"),
        ("Russian Federation", "RU"),
        ("Mexico", "MX"),
        ("Peru", "PE"),
        ("Andorra", "AD"),
        ("Morocco", "MA"),
        ("Mongolia", "MN"),
        ("Armenia", "AM"),
        ("Viet nam", "VN"),
        ("Colombia", "CO"),
        ("Dominican Republic", "DO"),
        ("South Africa", "ZA"),
        ("Sri Lanka", "LK"),
        ("Trinidad and Tobago", "TT"),
        ("Guinea", "GN"),
        ("Serbia", "RS"),
    ];

    #[test]
    fn every_country_of_the_eu_register() {
        for (name, code) in EU_REGISTER_COUNTRIES {
            assert_eq!(iso_alpha2(name), Some(*code), "{name}");
        }
    }

    #[test]
    fn native_spellings_case_and_spaces() {
        let cases = [
            ("Italy", "IT"),
            ("ITALIA", "IT"),
            ("  czech   republic ", "CZ"),
            ("Česko", "CZ"),
            ("Deutschland", "DE"),
            ("Österreich", "AT"),
            ("Ελλάδα", "GR"),
            ("България", "BG"),
            ("中国", "CN"),
            ("ประเทศไทย", "TH"),
            ("Türkiye", "TR"),
            ("Vietnam", "VN"),
            ("UK", "GB"),
            ("Korea, Republic of", "KR"),
        ];
        for (name, code) in cases {
            assert_eq!(iso_alpha2(name), Some(code), "{name}");
        }
        for bad in ["", "  ", "Atlantis", "IT", "Czechia, Slovakia"] {
            assert_eq!(iso_alpha2(bad), None, "{bad}");
        }
    }

    #[test]
    fn english_names_and_languages() {
        assert_eq!(english_name("GB"), Some("United Kingdom"));
        assert_eq!(english_name("IT"), Some("Italy"));
        assert_eq!(english_name("XX"), None);
        assert_eq!(main_language("IT"), Some(("it", "Latn")));
        assert_eq!(main_language("GR"), Some(("el", "Grek")));
        assert_eq!(main_language("BE"), None);
        assert_eq!(main_language("XX"), None);
    }

    #[test]
    fn table_is_sound() {
        let all: Vec<&str> = codes().collect();
        assert_eq!(all.len(), COUNTRIES.len());
        assert!(all.contains(&"TH") && all.contains(&"IT"), "{all:?}");
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(all, sorted, "codes sorted and unique");
        for country in COUNTRIES {
            assert!(is_jurisdiction(country.code), "{}", country.code);
            assert_eq!(iso_alpha2(country.english), Some(country.code));
            for alias in country.aliases {
                assert_eq!(iso_alpha2(alias), Some(country.code), "{alias}");
            }
            if let Some((lang, script)) = country.language {
                assert!(is_valid_language_tag(lang), "{lang}");
                assert!(is_known_script(script), "{script}");
            }
        }
    }

    #[test]
    fn splits_several_countries() {
        assert_eq!(
            split_countries("Czechia, Slovakia"),
            ["Czechia", "Slovakia"]
        );
        assert_eq!(
            split_countries("Belgium, Netherlands, France, Germany"),
            ["Belgium", "Netherlands", "France", "Germany"]
        );
        assert_eq!(split_countries(" Italia "), ["Italia"]);
        assert_eq!(split_countries("France;Italia,, "), ["France", "Italia"]);
        assert_eq!(split_countries(""), Vec::<&str>::new());
        assert_eq!(
            split_countries("Korea, Republic of, Japan"),
            ["Korea, Republic of", "Japan"]
        );
        assert_eq!(
            split_countries("Trinidad and Tobago"),
            ["Trinidad and Tobago"]
        );
    }
}
