//! The earlier rights a refusal, an invalidation or an opposition rests on: a trademark
//! with its number and classes, another GI, a generic term, a plant variety or an
//! animal breed — structured, so that a partner reads what conflicts and where.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EarlierRightKind {
    Trademark,
    Gi,
    GenericTerm,
    PlantVariety,
    AnimalBreed,
    Other,
}

/// One earlier right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlierRight {
    pub kind: EarlierRightKind,
    /// The registration or application number (required for a trademark).
    #[schema(min_length = 1, max_length = 100)]
    pub number: Option<String>,
    /// Where it has effect: an ISO 3166-1 country code or an office code.
    #[schema(min_length = 1, max_length = 20)]
    pub territory: Option<String>,
    #[schema(min_length = 1, max_length = 300)]
    pub owner: Option<String>,
    /// Nice classes, 1 to 45.
    #[serde(default)]
    #[schema(max_items = 45)]
    pub classes: Vec<u8>,
    #[schema(min_length = 1, max_length = 2000)]
    pub description: Option<String>,
}

/// The first problem [`check`] found in a list of earlier rights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidEarlierRights {
    /// The field, relative to the request: `earlier_rights[2].number`.
    pub field: String,
    pub why: String,
}

/// `rights` checked, as stored (a JSON array), or None when there are none.
pub fn checked_json(
    rights: Option<&[EarlierRight]>,
) -> Result<Option<String>, InvalidEarlierRights> {
    match rights {
        None | Some([]) => Ok(None),
        Some(rights) => {
            check(rights).map_err(|(field, why)| InvalidEarlierRights { field, why })?;
            Ok(Some(serde_json::json!(rights).to_string()))
        }
    }
}

/// The rights stored as a JSON array.
pub fn parsed(stored: Option<&str>) -> Option<Vec<EarlierRight>> {
    stored.and_then(|json| serde_json::from_str(json).ok())
}

/// The most earlier rights one decision names.
pub const MAX_EARLIER_RIGHTS: usize = 50;

/// The first problem with `rights`: the field (relative to the list) and why.
pub fn check(rights: &[EarlierRight]) -> Result<(), (String, String)> {
    if rights.len() > MAX_EARLIER_RIGHTS {
        return Err((
            "earlier_rights".into(),
            format!("at most {MAX_EARLIER_RIGHTS}"),
        ));
    }
    for (i, right) in rights.iter().enumerate() {
        let field = |name: &str| format!("earlier_rights[{i}].{name}");
        let text = |value: &Option<String>, max: usize| {
            value
                .as_ref()
                .is_some_and(|v| v.trim().is_empty() || v.chars().count() > max)
        };
        if right.kind == EarlierRightKind::Trademark && right.number.is_none() {
            return Err((
                field("number"),
                "is required for a trademark: its registration or application number".into(),
            ));
        }
        for (name, value, max) in [
            ("number", &right.number, 100),
            ("territory", &right.territory, 20),
            ("owner", &right.owner, 300),
            ("description", &right.description, 2000),
        ] {
            if text(value, max) {
                return Err((field(name), format!("must be 1 to {max} characters")));
            }
        }
        if let Some(class) = right.classes.iter().find(|c| !(1..=45).contains(*c)) {
            return Err((
                field("classes"),
                format!("{class} is not a Nice class (1 to 45)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trademark(number: Option<&str>, classes: Vec<u8>) -> EarlierRight {
        EarlierRight {
            kind: EarlierRightKind::Trademark,
            number: number.map(str::to_string),
            territory: Some("TH".into()),
            owner: Some("Siam Baijiu Importers Co., Ltd.".into()),
            classes,
            description: None,
        }
    }

    #[test]
    fn checked_rights_are_stored_as_a_json_array_and_none_as_nothing() {
        assert_eq!(checked_json(None), Ok(None));
        assert_eq!(checked_json(Some(&[])), Ok(None));
        let rights = [trademark(Some("TH 181112345"), vec![33])];
        let json = checked_json(Some(&rights)).unwrap().unwrap();
        assert_eq!(parsed(Some(&json)), Some(rights.to_vec()));
        assert_eq!(
            checked_json(Some(&[trademark(None, vec![33])])),
            Err(InvalidEarlierRights {
                field: "earlier_rights[0].number".into(),
                why: "is required for a trademark: its registration or application number".into(),
            })
        );
    }

    #[test]
    fn limits_are_inclusive() {
        let most = vec![trademark(Some("1"), vec![30]); MAX_EARLIER_RIGHTS];
        assert_eq!(check(&most), Ok(()));
        let too_many = vec![trademark(Some("1"), vec![30]); MAX_EARLIER_RIGHTS + 1];
        assert_eq!(check(&too_many).unwrap_err().0, "earlier_rights");
        assert_eq!(
            check(&[trademark(Some(&"9".repeat(100)), vec![30])]),
            Ok(())
        );
        assert_eq!(
            check(&[trademark(Some(&"9".repeat(101)), vec![30])])
                .unwrap_err()
                .0,
            "earlier_rights[0].number"
        );
    }

    #[test]
    fn a_trademark_needs_its_number_and_real_classes() {
        assert_eq!(check(&[trademark(Some("TH 181112345"), vec![33])]), Ok(()));
        assert_eq!(
            check(&[trademark(None, vec![33])]).unwrap_err().0,
            "earlier_rights[0].number"
        );
        assert_eq!(
            check(&[trademark(Some("1"), vec![46])]).unwrap_err().0,
            "earlier_rights[0].classes"
        );
        let generic = EarlierRight {
            kind: EarlierRightKind::GenericTerm,
            number: None,
            territory: Some("TH".into()),
            owner: None,
            classes: vec![],
            description: Some("'Som O' is the common name of pomelo".into()),
        };
        assert_eq!(check(std::slice::from_ref(&generic)), Ok(()));
        let blank = EarlierRight {
            owner: Some(" ".into()),
            ..generic
        };
        assert_eq!(
            check(&[trademark(Some("2"), vec![30]), blank])
                .unwrap_err()
                .0,
            "earlier_rights[1].owner"
        );
    }
}
