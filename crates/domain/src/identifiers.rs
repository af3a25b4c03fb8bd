//! The shapes of identifiers people type: office codes, jurisdictions, usernames.

/// `CNIPA`, `DIP`, `EUIPO`: 2 to 16 capital letters, digits, `-` or `_`, starting with a letter.
pub fn is_office_code(code: &str) -> bool {
    let len = code.len();
    (2..=16).contains(&len)
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Regional jurisdictions that are not ISO 3166-1 countries.
const REGIONAL_JURISDICTIONS: &[&str] = &["EU", "OAPI", "ARIPO", "WO", "GCC", "EAPO", "BX"];

/// ISO 3166-1 alpha-2 codes of existing countries and territories.
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

/// An ISO 3166-1 alpha-2 country code, or a regional code such as `EU`.
pub fn is_jurisdiction(code: &str) -> bool {
    REGIONAL_JURISDICTIONS.contains(&code)
        || (code.len() == 2 && ISO_3166_ALPHA2.split(' ').any(|known| known == code))
}

/// 3 to 64 characters: lower-case letters, digits, `.`, `_`, `-`; starts with a letter or digit.
pub fn is_username(name: &str) -> bool {
    let len = name.len();
    (3..=64).contains(&len)
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// An e-mail address of a plausible shape (the `validator` rule), at most 254 characters.
pub fn is_email(email: &str) -> bool {
    email.chars().count() <= 254 && validator::ValidateEmail::validate_email(&email)
}

/// Adapters for `#[validate(custom(function = …))]`.
pub mod validate {
    use validator::ValidationError;

    fn check(ok: bool, code: &'static str, message: &'static str) -> Result<(), ValidationError> {
        if ok {
            Ok(())
        } else {
            Err(ValidationError::new(code).with_message(message.into()))
        }
    }

    pub fn office_code(code: &str) -> Result<(), ValidationError> {
        check(
            super::is_office_code(code),
            "office_code",
            "must be 2 to 16 capital letters, digits, '-' or '_', starting with a letter",
        )
    }

    pub fn jurisdiction(code: &str) -> Result<(), ValidationError> {
        check(
            super::is_jurisdiction(code),
            "jurisdiction",
            "must be an ISO 3166-1 alpha-2 code (e.g. TH) or a regional code such as EU",
        )
    }

    pub fn username(name: &str) -> Result<(), ValidationError> {
        check(
            super::is_username(name),
            "username",
            "must be 3 to 64 lower-case letters, digits, '.', '_' or '-'",
        )
    }

    /// Text that is not blank.
    pub fn not_blank(text: &str) -> Result<(), ValidationError> {
        check(!text.trim().is_empty(), "blank", "must not be blank")
    }

    /// Every entry a well-formed BCP-47 tag.
    pub fn language_tags(tags: &[String]) -> Result<(), ValidationError> {
        match tags
            .iter()
            .find(|tag| !crate::language_tags::is_valid_language_tag(tag))
        {
            None => Ok(()),
            Some(bad) => Err(ValidationError::new("language_tag")
                .with_message(format!("{bad:?} is not a BCP-47 language tag").into())),
        }
    }

    pub fn email(email: &str) -> Result<(), ValidationError> {
        check(super::is_email(email), "email", "must be an e-mail address")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validator_adapters_refuse_with_their_code() {
        let code = |result: Result<(), validator::ValidationError>| result.err().map(|e| e.code);
        assert_eq!(code(validate::office_code("DIP")), None);
        assert_eq!(
            code(validate::office_code("dip")),
            Some("office_code".into())
        );
        assert_eq!(code(validate::jurisdiction("TH")), None);
        assert_eq!(
            code(validate::jurisdiction("XX")),
            Some("jurisdiction".into())
        );
        assert_eq!(code(validate::username("somchai")), None);
        assert_eq!(code(validate::username("S")), Some("username".into()));
        assert_eq!(code(validate::not_blank(" x ")), None);
        assert_eq!(code(validate::not_blank(" \t")), Some("blank".into()));
        assert_eq!(code(validate::email("a@dip.go.th")), None);
        assert_eq!(code(validate::email("a.dip.go.th")), Some("email".into()));
        let tags = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(code(validate::language_tags(&tags(&[]))), None);
        assert_eq!(
            code(validate::language_tags(&tags(&["th", "zh-Hans"]))),
            None
        );
        let bad = validate::language_tags(&tags(&["th", "not a tag"])).unwrap_err();
        assert_eq!(bad.code, "language_tag");
        assert!(bad.message.unwrap().contains("\"not a tag\""));
    }

    #[test]
    fn office_codes() {
        for ok in ["CNIPA", "DIP", "EUIPO", "OA-PI", "X1"] {
            assert!(is_office_code(ok), "{ok}");
        }
        for bad in [
            "",
            "C",
            "cnipa",
            "1DIP",
            "DIP ",
            "ABCDEFGHIJKLMNOPQ",
            "D'IP",
        ] {
            assert!(!is_office_code(bad), "{bad}");
        }
    }

    #[test]
    fn jurisdictions() {
        for ok in ["TH", "CN", "EU", "FR", "OAPI"] {
            assert!(is_jurisdiction(ok), "{ok}");
        }
        for bad in ["", "th", "XX", "QQ", "THA", "T"] {
            assert!(!is_jurisdiction(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["tea@example.org", "a.b+c@x.co"] {
            assert!(is_email(ok), "{ok}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        for bad in ["", "no-at-sign", "two@@example.org", long.as_str()] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        for ok in ["admin", "somchai", "longjing-assoc", "a.b_c", "007"] {
            assert!(is_username(ok), "{ok}");
        }
        for bad in ["ab", "Admin", "-lead", "with space", "ผู้ใช้", &"a".repeat(65)] {
            assert!(!is_username(bad), "{bad}");
        }
    }
}
