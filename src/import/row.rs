//! The importer's common record, whatever the source format, and the checks
//! every record passes before it is handed on.

use chrono::NaiveDate;

use crate::domain::gi::{GiName, GiType, NameKind, ProductType};
use crate::domain::gi_status::GiStatus;
use crate::domain::identifiers::{is_jurisdiction, is_office_code};
use crate::domain::language_tags::is_valid_language_tag;
use crate::domain::name_text::{check_visible, script_fits};
use crate::domain::names::char_len;
use crate::domain::product_class::{fits_product_type, is_known_product_class};
use crate::domain::scripts::is_known_script;

/// Longest file number, in characters.
pub const MAX_FILE_NUMBER_CHARS: usize = 64;
/// Longest name text, in characters.
pub const MAX_NAME_CHARS: usize = 300;
/// Most names per GI.
pub const MAX_NAMES: usize = 50;
/// Longest romanisation system name (`pinyin`, `rtgs`), in characters.
pub const MAX_ROMANIZATION_CHARS: usize = 32;
/// Longest legal instrument reference, in characters.
pub const MAX_LEGAL_INSTRUMENT_CHARS: usize = 1_000;
/// Longest area description, in characters.
pub const MAX_AREA_DESCRIPTION_CHARS: usize = 10_000;
/// Most countries per GI.
pub const MAX_COUNTRIES: usize = 30;

/// One GI read from a register file, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// Where it came from: the 1-based line (JSON lines, CSV) or the 1-based
    /// entry index (EU register JSON array).
    pub line: usize,
    /// The idempotency key: unique in a file, kept whole (`PGI-NL+BE+DE-01994`).
    pub file_number: String,
    /// ISO 3166-1 alpha-2 (or a regional code such as `EU`) of the origin: the
    /// first of `countries`.
    pub origin_jurisdiction: String,
    /// The origin office's code, when the source names one (our formats);
    /// `None` for the EU register.
    pub origin_office: Option<String>,
    /// Every country of the GI, the origin first; several-country GIs are kept whole.
    pub countries: Vec<String>,
    pub gi_type: GiType,
    pub product_type: ProductType,
    /// A known code of `domain::product_class` that fits `product_type`.
    pub product_class: String,
    /// At least one `original`; every script an ISO 15924 code, every lang a
    /// valid BCP-47 tag (`und` when unknown).
    pub names: Vec<GiName>,
    pub status: GiStatus,
    pub filed_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
    pub area_description: Option<String>,
}

/// A record that could not be imported, and why. `reason` starts with the
/// field at fault (`gi_type: unknown GI type …`, `EA_DateRegistration: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// As [`ImportRow::line`]; `0` when the whole file is at fault (e.g. not JSON).
    pub line: usize,
    /// The record's file number, when it could be read.
    pub file_number: Option<String>,
    pub reason: String,
}

impl Rejected {
    pub fn new(line: usize, file_number: Option<&str>, reason: impl Into<String>) -> Self {
        Rejected {
            line,
            file_number: file_number
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file_number {
            Some(number) => write!(f, "line {} ({number}): {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

impl ImportRow {
    /// Checks the invariants every imported row keeps, whatever its source;
    /// the error names the field (`names[1].lang: …`). The field names are those
    /// of our own format.
    pub fn validate(&self) -> Result<(), String> {
        check_file_number(&self.file_number)?;
        if let Some(office) = &self.origin_office {
            if !is_office_code(office) {
                return Err(format!(
                    "origin_office: `{office}` is not an office code \
                     (2 to 16 capital letters, digits, '-' or '_')"
                ));
            }
        }
        if !is_jurisdiction(&self.origin_jurisdiction) {
            return Err(format!(
                "origin_jurisdiction: `{}` is not an ISO 3166-1 alpha-2 code",
                self.origin_jurisdiction
            ));
        }
        check_countries(&self.countries, &self.origin_jurisdiction)?;
        check_product_class(&self.product_class, self.product_type)?;
        check_names(&self.names)?;
        check_text(
            "legal_instrument",
            self.legal_instrument.as_deref(),
            MAX_LEGAL_INSTRUMENT_CHARS,
        )?;
        check_text(
            "area_description",
            self.area_description.as_deref(),
            MAX_AREA_DESCRIPTION_CHARS,
        )?;
        if self.status == GiStatus::Draft {
            return Err(
                "status: `draft` cannot be imported (a GI with a file number has been filed)"
                    .to_owned(),
            );
        }
        Ok(())
    }
}

fn check_file_number(number: &str) -> Result<(), String> {
    if number.trim().is_empty() {
        return Err("file_number: must not be empty".to_owned());
    }
    if number.trim() != number {
        return Err("file_number: must not start or end with spaces".to_owned());
    }
    if char_len(number) > MAX_FILE_NUMBER_CHARS {
        return Err(format!(
            "file_number: longer than {MAX_FILE_NUMBER_CHARS} characters"
        ));
    }
    if number.chars().any(char::is_control) {
        return Err("file_number: contains a control character".to_owned());
    }
    Ok(())
}

fn check_countries(countries: &[String], origin: &str) -> Result<(), String> {
    if countries.is_empty() {
        return Err("countries: must not be empty".to_owned());
    }
    if countries.len() > MAX_COUNTRIES {
        return Err(format!("countries: more than {MAX_COUNTRIES}"));
    }
    for (i, country) in countries.iter().enumerate() {
        if !is_jurisdiction(country) {
            return Err(format!(
                "countries[{i}]: `{country}` is not an ISO 3166-1 alpha-2 code"
            ));
        }
        if countries[..i].contains(country) {
            return Err(format!("countries[{i}]: `{country}` repeated"));
        }
    }
    if countries[0] != origin {
        return Err(format!(
            "countries: must start with origin_jurisdiction `{origin}`"
        ));
    }
    Ok(())
}

fn check_product_class(code: &str, product_type: ProductType) -> Result<(), String> {
    if !is_known_product_class(code) {
        return Err(format!("product_class: unknown product class `{code}`"));
    }
    if !fits_product_type(code, product_type) {
        return Err(format!(
            "product_class: `{code}` is not a class for product_type `{product_type}`"
        ));
    }
    Ok(())
}

fn check_names(names: &[GiName]) -> Result<(), String> {
    if names.len() > MAX_NAMES {
        return Err(format!("names: more than {MAX_NAMES}"));
    }
    for (i, name) in names.iter().enumerate() {
        if name.text.trim().is_empty() {
            return Err(format!("names[{i}].text: must not be blank"));
        }
        if char_len(&name.text) > MAX_NAME_CHARS {
            return Err(format!(
                "names[{i}].text: longer than {MAX_NAME_CHARS} characters"
            ));
        }
        if name.text.chars().any(char::is_control) {
            return Err(format!("names[{i}].text: contains a control character"));
        }
        check_visible(&name.text).map_err(|why| format!("names[{i}].text: {why}"))?;
        if !is_valid_language_tag(&name.lang) {
            return Err(format!(
                "names[{i}].lang: `{}` is not a valid BCP-47 language tag",
                name.lang
            ));
        }
        if !is_known_script(&name.script) {
            return Err(format!(
                "names[{i}].script: `{}` is not an ISO 15924 script code",
                name.script
            ));
        }
        script_fits(&name.text, &name.script).map_err(|why| format!("names[{i}].script: {why}"))?;
        if let Some(romanization) = &name.romanization {
            let ok = (1..=MAX_ROMANIZATION_CHARS).contains(&romanization.len())
                && romanization
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(format!(
                    "names[{i}].romanization: `{romanization}` must be 1 to \
                     {MAX_ROMANIZATION_CHARS} lower-case letters, digits or '-'"
                ));
            }
        }
        if names[..i]
            .iter()
            .any(|n| n.text == name.text && n.lang == name.lang)
        {
            return Err(format!(
                "names[{i}]: `{}` ({}) repeated",
                name.text, name.lang
            ));
        }
    }
    if !names.iter().any(|n| n.kind == NameKind::Original) {
        return Err("names: at least one name of kind `original` is required".to_owned());
    }
    Ok(())
}

fn check_text(field: &str, text: Option<&str>, max: usize) -> Result<(), String> {
    let Some(text) = text else { return Ok(()) };
    if text.trim().is_empty() {
        return Err(format!("{field}: must not be blank (leave it out instead)"));
    }
    if char_len(text) > max {
        return Err(format!("{field}: longer than {max} characters"));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> ImportRow {
        ImportRow {
            line: 1,
            file_number: "CN-GI-2026-000123".to_owned(),
            origin_jurisdiction: "CN".to_owned(),
            origin_office: Some("CNIPA".to_owned()),
            countries: vec!["CN".to_owned()],
            gi_type: GiType::Pdo,
            product_type: ProductType::Food,
            product_class: "1.8".to_owned(),
            names: vec![
                GiName {
                    text: "龙井茶".to_owned(),
                    lang: "zh".to_owned(),
                    script: "Hans".to_owned(),
                    kind: NameKind::Original,
                    romanization: None,
                },
                GiName {
                    text: "Longjing cha".to_owned(),
                    lang: "zh-Latn".to_owned(),
                    script: "Latn".to_owned(),
                    kind: NameKind::Transliteration,
                    romanization: Some("pinyin".to_owned()),
                },
            ],
            status: GiStatus::Registered,
            filed_on: NaiveDate::from_ymd_opt(2020, 1, 2),
            published_on: None,
            registered_on: NaiveDate::from_ymd_opt(2021, 3, 1),
            legal_instrument: None,
            area_description: Some("West Lake district, Hangzhou, Zhejiang".to_owned()),
        }
    }

    fn invalid(change: impl FnOnce(&mut ImportRow)) -> String {
        let mut row = sample();
        change(&mut row);
        row.validate().unwrap_err()
    }

    #[test]
    fn the_sample_is_valid() {
        assert_eq!(sample().validate(), Ok(()));
    }

    #[test]
    fn each_rule_names_its_field() {
        type Change = Box<dyn FnOnce(&mut ImportRow)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|r| r.file_number = " ".into()), "file_number:"),
            (Box::new(|r| r.file_number = "x".repeat(65)), "file_number:"),
            (
                Box::new(|r| r.origin_office = Some("cnipa".into())),
                "origin_office:",
            ),
            (
                Box::new(|r| r.origin_jurisdiction = "XX".into()),
                "origin_jurisdiction:",
            ),
            (Box::new(|r| r.countries = vec![]), "countries:"),
            (Box::new(|r| r.countries = vec!["TH".into()]), "countries:"),
            (Box::new(|r| r.countries.push("CN".into())), "countries[1]:"),
            (
                Box::new(|r| r.product_class = "9.9".into()),
                "product_class:",
            ),
            (
                Box::new(|r| r.product_class = "wine".into()),
                "product_class:",
            ),
            (
                Box::new(|r| r.names[0].text = "x".repeat(301)),
                "names[0].text:",
            ),
            (
                Box::new(|r| r.names[1].lang = "zz-Hans".into()),
                "names[1].lang:",
            ),
            (
                Box::new(|r| r.names[1].script = "Xxxx".into()),
                "names[1].script:",
            ),
            (
                Box::new(|r| r.names[1].text = "\u{200B}\u{200D}".into()),
                "names[1].text:",
            ),
            (
                Box::new(|r| r.names[1].text = "Long\u{202E}jing".into()),
                "names[1].text:",
            ),
            (
                Box::new(|r| r.names[1].script = "Hans".into()),
                "names[1].script:",
            ),
            (
                Box::new(|r| r.names[0].script = "Latn".into()),
                "names[0].script:",
            ),
            (
                Box::new(|r| r.names[1].romanization = Some("Pin Yin".into())),
                "names[1].romanization:",
            ),
            (Box::new(|r| r.names[0].kind = NameKind::Synonym), "names:"),
            (Box::new(|r| r.names.truncate(0)), "names:"),
            (
                Box::new(|r| r.legal_instrument = Some("".into())),
                "legal_instrument:",
            ),
            (
                Box::new(|r| r.area_description = Some("x".repeat(10_001))),
                "area_description:",
            ),
            (Box::new(|r| r.status = GiStatus::Draft), "status:"),
        ];
        for (change, field) in cases {
            let reason = invalid(change);
            assert!(reason.starts_with(field), "{reason} / {field}");
        }
        // 300 characters (not bytes) is fine.
        let mut row = sample();
        row.names[0].text = "龙".repeat(300);
        assert_eq!(row.validate(), Ok(()));
    }

    #[test]
    fn rejected_displays_line_and_file_number() {
        let r = Rejected::new(3, Some(" X-1 "), "gi_type: bad");
        assert_eq!(r.file_number.as_deref(), Some("X-1"));
        assert_eq!(r.to_string(), "line 3 (X-1): gi_type: bad");
        assert_eq!(Rejected::new(0, Some(""), "bad").to_string(), "line 0: bad");
    }
}
