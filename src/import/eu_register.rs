//! The EU register snapshot (DESIGN §7): a JSON array of entries with `EA_*`
//! fields, mapped onto [`ImportRow`]s.
//!
//! | field | becomes |
//! |---|---|
//! | `EA_FileNumber` | `file_number`, kept whole (`PGI-NL+BE+DE-01994`) |
//! | `EA_Type` | `gi_type`: PDO → `pdo`, PGI → `pgi`, GI → `gi`, TSG → `tsg` (the abbreviation in brackets, or the bare abbreviation) |
//! | `EA_ProductType` | `product_type`: Food → `food`, Wine → `wine`, Spirit drink → `spirit`, Aromatised wine → `aromatised_wine` |
//! | `EA_ProductCategory` | `product_class`, see [`product_class::from_eu_category`] |
//! | `EA_Country` | `countries` (every country, in order; `Czechia, Slovakia` → `CZ`, `SK`); the first is `origin_jurisdiction` |
//! | `EA_Status` | `status`: Registered → `registered`, Applied → `filed`, Published → `published`, Rejected → `refused` |
//! | `EA_ApplicationDate`, `EA_DatePublication`, `EA_DateRegistration` | `filed_on`, `published_on`, `registered_on` (`DD/MM/YYYY`, or empty) |
//! | `EA_LegalInstrument` | `legal_instrument` (empty → none) |
//! | `EA_Name` | `names`, see [`split_names`]; every one of kind `original` |
//!
//! `DEF_*` fields and any others are ignored. An entry that cannot be mapped is
//! rejected with the `EA_*` field at fault; nothing panics.
//!
//! The language of a name is not in the register, so it is guessed
//! ([`guess_lang`]) from the name's script and the origin country.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::row::{ImportRow, Rejected};
use crate::domain::countries::{iso_alpha2, main_language, split_countries};
use crate::domain::gi::{GiName, GiType, NameKind, ProductType};
use crate::domain::gi_status::GiStatus;
use crate::domain::product_class;
use crate::domain::scripts::detect_script;

/// Parses the register's JSON array: one row or one rejection per entry, in
/// order (`line` is the entry's 1-based index). A document that is not a JSON
/// array gives a single rejection with line 0.
pub fn parse_eu_register(json: &str) -> (Vec<ImportRow>, Vec<Rejected>) {
    let json = json.strip_prefix('\u{FEFF}').unwrap_or(json);
    let entries: Vec<Value> = match serde_json::from_str(json) {
        Ok(Value::Array(entries)) => entries,
        Ok(_) => {
            return (
                Vec::new(),
                vec![Rejected::new(
                    0,
                    None,
                    "file: expected a JSON array of register entries",
                )],
            )
        }
        Err(err) => {
            return (
                Vec::new(),
                vec![Rejected::new(0, None, format!("file: invalid JSON: {err}"))],
            )
        }
    };
    let mut rows = Vec::with_capacity(entries.len());
    let mut rejected = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        match parse_entry(index + 1, entry) {
            Ok(row) => rows.push(row),
            Err(r) => rejected.push(r),
        }
    }
    (rows, rejected)
}

/// Maps one register entry.
fn parse_entry(line: usize, entry: &Value) -> Result<ImportRow, Rejected> {
    let Some(obj) = entry.as_object() else {
        return Err(Rejected::new(line, None, "entry: expected a JSON object"));
    };
    let raw_number = text(obj, "EA_FileNumber").ok().flatten();
    let reject = |reason: String| Rejected::new(line, raw_number, reason);
    map_entry(line, obj).map_err(reject)
}

fn map_entry(line: usize, obj: &Map<String, Value>) -> Result<ImportRow, String> {
    let file_number = required(obj, "EA_FileNumber")?.to_owned();
    let gi_type = gi_type(required(obj, "EA_Type")?)?;
    let product_type = product_type(required(obj, "EA_ProductType")?)?;
    let category = text(obj, "EA_ProductCategory")?.unwrap_or("");
    let product_class = product_class::from_eu_category(category, product_type)
        .ok_or_else(|| {
            format!(
                "EA_ProductCategory: unknown category `{category}` for product type `{product_type}`"
            )
        })?
        .to_owned();
    let countries = countries(required(obj, "EA_Country")?)?;
    let origin = countries
        .first()
        .cloned()
        .ok_or_else(|| "EA_Country: missing".to_owned())?;
    let status = status(required(obj, "EA_Status")?)?;
    let filed_on = date(obj, "EA_ApplicationDate")?;
    let published_on = date(obj, "EA_DatePublication")?;
    let registered_on = date(obj, "EA_DateRegistration")?;
    let legal_instrument = text(obj, "EA_LegalInstrument")?.map(str::to_owned);

    let parts = split_names(required(obj, "EA_Name")?);
    if parts.is_empty() {
        return Err("EA_Name: no name".to_owned());
    }
    let names = parts
        .into_iter()
        .map(|text| {
            let script = detect_script(&text);
            GiName {
                lang: guess_lang(script, &origin),
                script: script.to_owned(),
                text,
                kind: NameKind::Original,
                romanization: None,
            }
        })
        .collect();

    let row = ImportRow {
        line,
        file_number,
        origin_jurisdiction: origin,
        origin_office: None,
        countries,
        gi_type,
        product_type,
        product_class,
        names,
        status,
        filed_on,
        published_on,
        registered_on,
        legal_instrument,
        area_description: None,
    };
    row.validate()?;
    Ok(row)
}

/// The trimmed string value of `field`; `None` when absent, null or blank.
fn text<'a>(obj: &'a Map<String, Value>, field: &str) -> Result<Option<&'a str>, String> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            Ok((!s.is_empty()).then_some(s))
        }
        Some(_) => Err(format!("{field}: expected a string")),
    }
}

fn required<'a>(obj: &'a Map<String, Value>, field: &str) -> Result<&'a str, String> {
    text(obj, field)?.ok_or_else(|| format!("{field}: missing"))
}

/// `Protected Designation of Origin (PDO)` or `PDO` → `pdo`, and so on.
fn gi_type(value: &str) -> Result<GiType, String> {
    let abbreviation = match (value.rfind('('), value.strip_suffix(')')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => value,
    };
    match abbreviation.trim().to_ascii_uppercase().as_str() {
        "PDO" => Ok(GiType::Pdo),
        "PGI" => Ok(GiType::Pgi),
        "GI" => Ok(GiType::Gi),
        "TSG" => Ok(GiType::Tsg),
        _ => Err(format!(
            "EA_Type: unknown type `{value}` (expected PDO, PGI, GI or TSG)"
        )),
    }
}

fn product_type(value: &str) -> Result<ProductType, String> {
    match value.to_lowercase().as_str() {
        "food" | "foodstuff" | "agricultural product" => Ok(ProductType::Food),
        "wine" | "wines" => Ok(ProductType::Wine),
        "spirit drink" | "spirit drinks" | "spirit" => Ok(ProductType::Spirit),
        "aromatised wine" | "aromatised wines" | "aromatized wine" => {
            Ok(ProductType::AromatisedWine)
        }
        _ => Err(format!(
            "EA_ProductType: unknown product type `{value}` \
             (expected Food, Wine, Spirit drink or Aromatised wine)"
        )),
    }
}

fn status(value: &str) -> Result<GiStatus, String> {
    match value.to_lowercase().as_str() {
        "registered" => Ok(GiStatus::Registered),
        "applied" => Ok(GiStatus::Filed),
        "published" => Ok(GiStatus::Published),
        "rejected" => Ok(GiStatus::Refused),
        _ => Err(format!(
            "EA_Status: unknown status `{value}` \
             (expected Registered, Applied, Published or Rejected)"
        )),
    }
}

/// Every country of `EA_Country`, as codes, in order and without repeats.
fn countries(value: &str) -> Result<Vec<String>, String> {
    let mut codes: Vec<String> = Vec::new();
    for name in split_countries(value) {
        let code =
            iso_alpha2(name).ok_or_else(|| format!("EA_Country: unknown country `{name}`"))?;
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    if codes.is_empty() {
        return Err("EA_Country: missing".to_owned());
    }
    Ok(codes)
}

/// A `DD/MM/YYYY` date (one- or two-digit day and month, four-digit year), or
/// none when the field is empty.
fn date(obj: &Map<String, Value>, field: &str) -> Result<Option<NaiveDate>, String> {
    let Some(value) = text(obj, field)? else {
        return Ok(None);
    };
    parse_dmy(value)
        .map(Some)
        .ok_or_else(|| format!("{field}: `{value}` is not a date (expected DD/MM/YYYY)"))
}

fn parse_dmy(value: &str) -> Option<NaiveDate> {
    let mut parts = value.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let number = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(number(y, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(m, 1..=2)?, number(d, 1..=2)?)
}

/// The names of an `EA_Name` value: split on ` / ` (a slash with a space or
/// the end of the text on both sides) outside brackets, so that `Сливенска перла (Сливенска гроздова
/// ракия / Гроздова ракия от Сливен) / Slivenska perla (…)` gives two names;
/// whitespace runs (including no-break spaces) become single spaces; parts are
/// trimmed, parts without a letter or digit are dropped, and repeats are
/// dropped. When the brackets do not balance, every ` / ` splits.
pub fn split_names(value: &str) -> Vec<String> {
    let normalised = value
        .split(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let balanced = brackets_balance(&normalised);
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let chars: Vec<char> = normalised.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        // A slash with a space (or the end of the text) on both sides.
        let is_separator = ch == '/'
            && (i == 0 || chars[i - 1] == ' ')
            && matches!(chars.get(i + 1), None | Some(' '))
            && (depth == 0 || !balanced);
        if is_separator {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(ch);
        }
    }
    parts.push(current);
    let mut names: Vec<String> = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.chars().any(char::is_alphanumeric) && !names.iter().any(|n| n == part) {
            names.push(part.to_owned());
        }
    }
    names
}

fn brackets_balance(text: &str) -> bool {
    let mut depth = 0i32;
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A best-effort BCP-47 tag for a name of the register, from its script and the
/// origin country (the register does not say):
/// 1. the country's main language when the name is in that language's script
///    (`IT` + `Latn` → `it`, `GR` + `Grek` → `el`, `BG` + `Cyrl` → `bg`,
///    `RU` + `Cyrl` → `ru`, `CN` + `Hans`/`Hant` → `zh`);
/// 2. a Latin name from a country whose language is written otherwise is taken
///    as that language romanised (`GR` + `Latn` → `el-Latn`, `CN` → `zh-Latn`,
///    `TH` → `th-Latn`);
/// 3. otherwise the language of the script when there is one obvious language
///    (`Grek` → `el`, `Hans`/`Hant` → `zh`, `Thai` → `th`, `Khmr` → `km`,
///    `Armn` → `hy`, `Geor` → `ka`, …; `Cyrl` → `bg`, the one official EU
///    language written in Cyrillic);
/// 4. `und` (undetermined), e.g. for Latin names from Belgium or Switzerland.
pub fn guess_lang(script: &str, country: &str) -> String {
    let main = main_language(country);
    if let Some((lang, lang_script)) = main {
        let same_script = script == lang_script
            || (lang == "zh" && matches!(script, "Hans" | "Hant"))
            || (lang == "sr" && script == "Latn");
        if same_script {
            return lang.to_owned();
        }
        if script == "Latn" {
            return format!("{lang}-Latn");
        }
    }
    let by_script = match script {
        "Grek" => "el",
        "Cyrl" => "bg",
        "Hans" | "Hant" => "zh",
        "Thai" => "th",
        "Khmr" => "km",
        "Armn" => "hy",
        "Geor" => "ka",
        "Hebr" => "he",
        "Jpan" => "ja",
        "Kore" => "ko",
        "Laoo" => "lo",
        "Mymr" => "my",
        "Sinh" => "si",
        _ => "und",
    };
    by_script.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language_tags::is_valid_language_tag;
    use crate::domain::product_class::is_known_product_class;
    use std::collections::HashMap;

    const REGISTER: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/eu-gi-register-2020.json"
    ));

    fn parsed() -> &'static (Vec<ImportRow>, Vec<Rejected>) {
        static PARSED: std::sync::OnceLock<(Vec<ImportRow>, Vec<Rejected>)> =
            std::sync::OnceLock::new();
        PARSED.get_or_init(|| parse_eu_register(REGISTER))
    }

    fn row(file_number: &str) -> &'static ImportRow {
        parsed()
            .0
            .iter()
            .find(|r| r.file_number == file_number)
            .unwrap_or_else(|| panic!("{file_number} not imported"))
    }

    fn count<K: std::hash::Hash + Eq>(key: impl Fn(&ImportRow) -> K) -> HashMap<K, usize> {
        let mut counts = HashMap::new();
        for r in &parsed().0 {
            *counts.entry(key(r)).or_insert(0) += 1;
        }
        counts
    }

    #[test]
    fn every_entry_is_a_row_or_a_rejection() {
        let (rows, rejected) = parsed();
        assert_eq!(rows.len() + rejected.len(), 3715);
        assert!(rejected.is_empty(), "{rejected:#?}");
        // Lines are the 1-based entry indexes, in order.
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.line, i + 1);
        }
    }

    #[test]
    fn counts_by_type_status_and_product_type_match_the_readme() {
        let by_type = count(|r| r.gi_type);
        assert_eq!(by_type[&GiType::Pdo], 1984);
        assert_eq!(by_type[&GiType::Pgi], 1376);
        assert_eq!(by_type[&GiType::Gi], 277);
        assert_eq!(by_type[&GiType::Tsg], 78);
        let by_status = count(|r| r.status);
        assert_eq!(by_status[&GiStatus::Registered], 3341);
        assert_eq!(by_status[&GiStatus::Filed], 315);
        assert_eq!(by_status[&GiStatus::Published], 58);
        assert_eq!(by_status[&GiStatus::Refused], 1);
        let by_product = count(|r| r.product_type);
        assert_eq!(by_product[&ProductType::Wine], 1722);
        assert_eq!(by_product[&ProductType::Food], 1716);
        assert_eq!(by_product[&ProductType::Spirit], 272);
        assert_eq!(by_product[&ProductType::AromatisedWine], 5);
    }

    #[test]
    fn file_numbers_are_unique() {
        let by_number = count(|r| r.file_number.clone());
        assert!(by_number.values().all(|n| *n == 1));
    }

    #[test]
    fn every_row_is_valid_with_known_classes_and_valid_tags() {
        for r in &parsed().0 {
            assert_eq!(r.validate(), Ok(()), "{}", r.file_number);
            assert!(
                is_known_product_class(&r.product_class),
                "{}",
                r.file_number
            );
            assert!(!r.names.is_empty());
            for n in &r.names {
                assert!(
                    is_valid_language_tag(&n.lang),
                    "{} {}",
                    r.file_number,
                    n.lang
                );
                assert_eq!(n.kind, NameKind::Original);
                assert_eq!(n.text.trim(), n.text);
                assert!(!n.text.contains("  "), "{}", n.text);
            }
        }
    }

    #[test]
    fn ouzo_of_mitilene_has_a_greek_and_a_latin_name() {
        let r = parsed()
            .0
            .iter()
            .find(|r| r.names.iter().any(|n| n.text == "Ούζο Μυτιλήνης"))
            .expect("Ouzo of Mitilene");
        assert_eq!(r.names.len(), 2);
        assert_eq!(
            (
                r.names[0].text.as_str(),
                r.names[0].script.as_str(),
                r.names[0].lang.as_str()
            ),
            ("Ούζο Μυτιλήνης", "Grek", "el")
        );
        assert_eq!(
            (
                r.names[1].text.as_str(),
                r.names[1].script.as_str(),
                r.names[1].lang.as_str()
            ),
            ("Ouzo of Mitilene", "Latn", "el-Latn")
        );
        assert_eq!(r.origin_jurisdiction, "GR");
        assert_eq!(r.product_type, ProductType::Spirit);
        assert!(r.product_class.starts_with("spirit."));
    }

    #[test]
    fn several_country_file_numbers_are_kept_whole() {
        let r = row("PGI-NL+BE+DE-01994");
        assert_eq!(r.countries, ["NL", "BE", "DE"]);
        assert_eq!(r.origin_jurisdiction, "NL");
        let r = row("PGI-BE+NL+FR+DE-01962");
        assert_eq!(r.countries, ["BE", "NL", "FR", "DE"]);
        let r = row("TSG-CZ+SK-0055");
        assert_eq!(r.countries, ["CZ", "SK"]);
        assert_eq!(r.gi_type, GiType::Tsg);
        let several = parsed().0.iter().filter(|r| r.countries.len() > 1).count();
        assert_eq!(several, 24);
    }

    #[test]
    fn chinese_thai_khmer_and_armenian_names() {
        let longjing = parsed()
            .0
            .iter()
            .find(|r| r.names[0].text == "龙井茶")
            .expect("Longjing");
        assert_eq!(longjing.origin_jurisdiction, "CN");
        assert_eq!(
            (
                longjing.names[0].script.as_str(),
                longjing.names[0].lang.as_str()
            ),
            ("Hans", "zh")
        );
        assert_eq!(longjing.names[1].text, "Longjing cha");
        assert_eq!(longjing.names[1].lang, "zh-Latn");
        let china: Vec<_> = parsed()
            .0
            .iter()
            .filter(|r| r.origin_jurisdiction == "CN")
            .collect();
        assert_eq!(china.len(), 10);
        assert!(china.iter().all(|r| r.names[0].script == "Hans"));

        let thai: Vec<_> = parsed()
            .0
            .iter()
            .filter(|r| r.origin_jurisdiction == "TH")
            .collect();
        assert_eq!(thai.len(), 4);
        for r in thai {
            assert_eq!(r.names[0].script, "Thai", "{}", r.names[0].text);
            assert_eq!(r.names[0].lang, "th");
            assert_eq!(r.names[1].script, "Latn");
        }
        let kampot = parsed()
            .0
            .iter()
            .find(|r| r.names[0].text == "ម្រេចកំពត")
            .expect("Kampot pepper");
        assert_eq!(
            (
                kampot.names[0].script.as_str(),
                kampot.names[0].lang.as_str()
            ),
            ("Khmr", "km")
        );
        assert_eq!(kampot.names.len(), 3);
        let sevan = parsed()
            .0
            .iter()
            .find(|r| r.origin_jurisdiction == "AM")
            .expect("Armenia");
        assert_eq!(
            (sevan.names[0].script.as_str(), sevan.names[0].lang.as_str()),
            ("Armn", "hy")
        );
    }

    #[test]
    fn cyrillic_names_by_country() {
        let vodka = parsed()
            .0
            .iter()
            .find(|r| r.origin_jurisdiction == "RU")
            .expect("Russian vodka");
        let cyrl = vodka
            .names
            .iter()
            .find(|n| n.script == "Cyrl")
            .expect("Cyrillic name");
        assert_eq!(cyrl.lang, "ru");
        let bg = parsed().0.iter().filter(|r| r.origin_jurisdiction == "BG");
        for r in bg {
            for n in &r.names {
                let want = if n.script == "Cyrl" { "bg" } else { "bg-Latn" };
                assert_eq!(n.lang, want, "{}", n.text);
            }
        }
    }

    #[test]
    fn dates_status_and_legal_instrument() {
        let r = row("PGI-CH-02089"); // Commune de Champagne, the one rejected application
        assert_eq!(r.status, GiStatus::Refused);
        assert_eq!(r.filed_on, NaiveDate::from_ymd_opt(2015, 11, 3));
        assert_eq!(r.published_on, NaiveDate::from_ymd_opt(2020, 6, 2));
        assert_eq!(r.registered_on, None);
        assert_eq!(r.legal_instrument, None);
        assert_eq!(r.origin_office, None);
        let vermouth = row("PGI-IT-02305");
        assert_eq!(vermouth.product_type, ProductType::AromatisedWine);
        assert_eq!(vermouth.product_class, "aromatised.1");
        assert_eq!(vermouth.registered_on, NaiveDate::from_ymd_opt(1991, 6, 14));
        assert_eq!(
            vermouth.legal_instrument.as_deref(),
            Some("Article 26 of Regulation (EU) No 251/2014")
        );
        let dated = parsed()
            .0
            .iter()
            .filter(|r| r.registered_on.is_some())
            .count();
        assert_eq!(dated, 3715 - 375);
    }

    #[test]
    fn product_classes_by_product_type() {
        let by_class = count(|r| r.product_class.clone());
        assert_eq!(by_class["wine"], 1722);
        assert_eq!(by_class["1.6"], 458);
        assert_eq!(by_class["2.22"], 6);
        assert_eq!(by_class["spirit.9"], 61);
        assert_eq!(by_class["spirit.15"], 7); // 5 Vodka + 2 "15. Vodka, 31. Flavoured vodka"
        assert_eq!(by_class["spirit.37a"], 1);
        assert_eq!(by_class["aromatised.2"], 3);
    }

    #[test]
    fn names_are_split_outside_brackets_and_cleaned() {
        assert_eq!(
            split_names("Сливенска перла (Сливенска гроздова ракия / Гроздова ракия от Сливен) / Slivenska perla (Slivenska grozdova rakya / Grozdova rakya from Sliven)"),
            [
                "Сливенска перла (Сливенска гроздова ракия / Гроздова ракия от Сливен)",
                "Slivenska perla (Slivenska grozdova rakya / Grozdova rakya from Sliven)"
            ]
        );
        assert_eq!(
            split_names("Genièvre aux fruits / Vruchtenjenever  / Jenever met vruchten"),
            [
                "Genièvre aux fruits",
                "Vruchtenjenever",
                "Jenever met vruchten"
            ]
        );
        assert_eq!(
            split_names("Saucisson sec de l'Ile de Beauté / Salciccia de l'Ile de Beauté\u{a0}"),
            [
                "Saucisson sec de l'Ile de Beauté",
                "Salciccia de l'Ile de Beauté"
            ]
        );
        assert_eq!(
            split_names("Kriek / Kriek-Lambic / Kriek"),
            ["Kriek", "Kriek-Lambic"]
        );
        assert_eq!(split_names(" / A /  / B / - "), ["A", "B"]);
        assert_eq!(split_names("A/B"), ["A/B"]);
        assert_eq!(split_names("Mel (Serra / Bode"), ["Mel (Serra", "Bode"]);
        assert_eq!(split_names("  "), Vec::<String>::new());
        // The real entry with brackets keeps two names.
        let r = row("PGI-BG-01856");
        assert_eq!(r.names.len(), 2, "{:?}", r.names);
    }

    #[test]
    fn guessed_languages() {
        let cases = [
            ("Latn", "IT", "it"),
            ("Latn", "AT", "de"),
            ("Latn", "GB", "en"),
            ("Latn", "IE", "en"),
            ("Latn", "GR", "el-Latn"),
            ("Latn", "CN", "zh-Latn"),
            ("Latn", "TH", "th-Latn"),
            ("Latn", "BE", "und"),
            ("Latn", "XX", "und"),
            ("Latn", "RS", "sr"),
            ("Grek", "GN", "el"),
            ("Grek", "CY", "el"),
            ("Cyrl", "BG", "bg"),
            ("Cyrl", "RU", "ru"),
            ("Cyrl", "MN", "mn"),
            ("Cyrl", "GN", "bg"),
            ("Hans", "CN", "zh"),
            ("Hant", "TW", "zh"),
            ("Thai", "TH", "th"),
            ("Khmr", "KH", "km"),
            ("Armn", "AM", "hy"),
            ("Deva", "IN", "und"),
        ];
        for (script, country, want) in cases {
            let got = guess_lang(script, country);
            assert_eq!(got, want, "{script} {country}");
            assert!(is_valid_language_tag(&got), "{got}");
        }
    }

    #[test]
    fn broken_entries_are_rejected_with_the_field() {
        let good = serde_json::json!({
            "EA_FileNumber": "PDO-IT-0001", "EA_Name": "Prosciutto di Parma",
            "EA_Type": "Protected Designation of Origin (PDO)", "EA_ProductType": "Food",
            "EA_ProductCategory": "Class 1.2. Meat products", "EA_Country": "Italia",
            "EA_Status": "Registered", "EA_LegalInstrument": "",
            "EA_ApplicationDate": "", "EA_DatePublication": "", "EA_DateRegistration": "21/06/1996"
        });
        let with = |field: &str, value: Value| {
            let mut e = good.clone();
            e[field] = value;
            e
        };
        let doc = Value::Array(vec![
            good.clone(),
            with("EA_DateRegistration", "31/02/1996".into()),
            with("EA_Type", "Trade mark".into()),
            with("EA_Country", "Atlantis".into()),
            with("EA_Status", "Pending".into()),
            with("EA_ProductCategory", "Class 9.9. Nothing".into()),
            with("EA_Name", " / ".into()),
            with("EA_FileNumber", "".into()),
            with("EA_ProductType", "Textile".into()),
            with("EA_ApplicationDate", "1996-06-21".into()),
            with("EA_Name", 42.into()),
            Value::String("not an object".into()),
            with("EA_Name", "x".repeat(301).into()),
        ]);
        let (rows, rejected) = parse_eu_register(&doc.to_string());
        assert_eq!(rows.len(), 1);
        let reasons: Vec<(usize, &str)> = rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        let expected_fields = [
            (2, "EA_DateRegistration: `31/02/1996`"),
            (3, "EA_Type:"),
            (4, "EA_Country: unknown country `Atlantis`"),
            (5, "EA_Status:"),
            (6, "EA_ProductCategory:"),
            (7, "EA_Name: no name"),
            (8, "EA_FileNumber: missing"),
            (9, "EA_ProductType:"),
            (10, "EA_ApplicationDate:"),
            (11, "EA_Name: expected a string"),
            (12, "entry:"),
            (13, "names[0].text:"),
        ];
        assert_eq!(reasons.len(), expected_fields.len(), "{reasons:#?}");
        for ((line, reason), (want_line, want)) in reasons.iter().zip(expected_fields) {
            assert_eq!(*line, want_line);
            assert!(reason.starts_with(want), "{reason} / {want}");
        }
        assert_eq!(rejected[0].file_number.as_deref(), Some("PDO-IT-0001"));
    }

    #[test]
    fn a_document_that_is_not_an_array() {
        for doc in ["{}", "[1, 2", "", "null"] {
            let (rows, rejected) = parse_eu_register(doc);
            assert!(rows.is_empty());
            assert_eq!(rejected.len(), 1, "{doc}");
            assert_eq!(rejected[0].line, 0);
            assert!(
                rejected[0].reason.starts_with("file:"),
                "{}",
                rejected[0].reason
            );
        }
        assert_eq!(parse_eu_register("[]"), (Vec::new(), Vec::new()));
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_dmy("14/06/1991"),
            NaiveDate::from_ymd_opt(1991, 6, 14)
        );
        assert_eq!(parse_dmy("1/6/1991"), NaiveDate::from_ymd_opt(1991, 6, 1));
        for bad in [
            "31/02/2019",
            "14/13/1991",
            "14/06/91",
            "14-06-1991",
            "14/06/1991/1",
            "+1/06/1991",
            "",
            "//",
        ] {
            assert_eq!(parse_dmy(bad), None, "{bad}");
        }
    }

    #[test]
    fn gi_types_product_types_and_statuses() {
        assert_eq!(
            gi_type("Protected Designation of Origin (PDO)"),
            Ok(GiType::Pdo)
        );
        assert_eq!(gi_type("Geographical indication (GI)"), Ok(GiType::Gi));
        assert_eq!(gi_type("TSG"), Ok(GiType::Tsg));
        assert!(gi_type("Appellation (AO)").is_err());
        assert_eq!(product_type("Spirit drink"), Ok(ProductType::Spirit));
        assert_eq!(
            product_type("Aromatised wine"),
            Ok(ProductType::AromatisedWine)
        );
        assert_eq!(status("Applied"), Ok(GiStatus::Filed));
        assert_eq!(status("Rejected"), Ok(GiStatus::Refused));
    }
}
