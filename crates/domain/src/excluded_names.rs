//! Decisions per name: a protection, a registration or an invalidation may leave some of
//! a GI's names out ("Som O" alone is not protected in Thailand, "Dragon Well tea" is
//! not), each with its reason. Excluding every name is a refusal, not a protection.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A name of the GI, by its id (as listed in the GI's `names`) or its exact text.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum NameRef {
    Id(i64),
    Text(String),
}

/// One name a decision leaves out, as requested.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameExclusion {
    /// The name's id or its exact text.
    pub name: NameRef,
    /// Why the name is left out, e.g. "a generic term for pomelo in Thailand".
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// One name a decision left out, as recorded and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExcludedName {
    pub name_id: i64,
    /// The name's text.
    pub name: String,
    pub reason: String,
}

/// The most names one decision excludes.
pub const MAX_EXCLUSIONS: usize = 50;
const MAX_REASON: usize = 2000;

/// The exclusions `requested` against the GI's `names` (id, text), or the first problem:
/// the field and why. An unknown name, one named twice, a missing reason, or every name
/// (a refusal) is refused.
pub fn resolve(
    names: &[(i64, String)],
    requested: &[NameExclusion],
) -> Result<Vec<ExcludedName>, (String, String)> {
    if requested.len() > MAX_EXCLUSIONS {
        return Err(("excluded_names".into(), format!("at most {MAX_EXCLUSIONS}")));
    }
    let mut out: Vec<ExcludedName> = Vec::with_capacity(requested.len());
    for (i, exclusion) in requested.iter().enumerate() {
        let field = |name: &str| format!("excluded_names[{i}].{name}");
        let found = names.iter().find(|(id, text)| match &exclusion.name {
            NameRef::Id(wanted) => id == wanted,
            NameRef::Text(wanted) => text == wanted,
        });
        let Some((id, text)) = found else {
            let what = match &exclusion.name {
                NameRef::Id(id) => format!("name id {id}"),
                NameRef::Text(text) => format!("`{text}`"),
            };
            let known: Vec<String> = names
                .iter()
                .map(|(id, text)| format!("{id} ({text})"))
                .collect();
            return Err((
                field("name"),
                format!("{what} is not one of this GI's names: {}", known.join(", ")),
            ));
        };
        if out.iter().any(|e| e.name_id == *id) {
            return Err((field("name"), format!("`{text}` is excluded twice")));
        }
        let reason = exclusion
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let Some(reason) = reason else {
            return Err((
                field("reason"),
                format!("is required: say why `{text}` is left out"),
            ));
        };
        if reason.chars().count() > MAX_REASON {
            return Err((field("reason"), format!("at most {MAX_REASON} characters")));
        }
        out.push(ExcludedName {
            name_id: *id,
            name: text.clone(),
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

/// `excluded` added to `earlier` exclusions (a partial invalidation of a protection that
/// already left names out), refused when together they leave no name: a name already
/// excluded cannot be excluded again.
pub fn combine(
    names: &[(i64, String)],
    earlier: &[ExcludedName],
    excluded: Vec<ExcludedName>,
) -> Result<Vec<ExcludedName>, (String, String)> {
    for (i, e) in excluded.iter().enumerate() {
        if earlier.iter().any(|x| x.name_id == e.name_id) {
            return Err((
                format!("excluded_names[{i}].name"),
                format!("`{}` is already excluded", e.name),
            ));
        }
    }
    let all: Vec<ExcludedName> = earlier.iter().cloned().chain(excluded).collect();
    if !names.is_empty()
        && names
            .iter()
            .all(|(id, _)| all.iter().any(|e| e.name_id == *id))
    {
        return Err((
            "excluded_names".into(),
            "exclude every name of the GI: that is a refusal (or an invalidation), not a protection"
                .into(),
        ));
    }
    Ok(all)
}

/// The names left protected: every name of the GI not excluded (by id, or by text for a
/// name whose id changed when the names were rewritten).
pub fn protected_names(names: &[(i64, String)], excluded: &[ExcludedName]) -> Vec<String> {
    names
        .iter()
        .filter(|(id, text)| stays_protected(*id, text, excluded))
        .map(|(_, text)| text.clone())
        .collect()
}

/// Whether the name `id` with `text` is left protected: no exclusion names it, by id or
/// by text.
pub fn stays_protected(id: i64, text: &str, excluded: &[ExcludedName]) -> bool {
    !excluded.iter().any(|e| e.name_id == id || e.name == text)
}

/// As stored: a JSON array, or None when nothing is excluded.
pub fn stored(excluded: &[ExcludedName]) -> Option<String> {
    (!excluded.is_empty()).then(|| serde_json::json!(excluded).to_string())
}

/// The exclusions stored as a JSON array (none when absent).
pub fn parsed(stored: Option<&str>) -> Vec<ExcludedName> {
    stored
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<(i64, String)> {
        vec![
            (7, "ส้มโอทับทิมสยามปากพนัง".to_string()),
            (8, "Som O Thapthim Siam Pak Phanang".to_string()),
            (9, "Som O".to_string()),
        ]
    }

    fn ask(name: NameRef, reason: Option<&str>) -> NameExclusion {
        NameExclusion {
            name,
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn by_id_or_exact_text() {
        let got = resolve(
            &names(),
            &[ask(
                NameRef::Text("Som O".into()),
                Some(" generic for pomelo "),
            )],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![ExcludedName {
                name_id: 9,
                name: "Som O".into(),
                reason: "generic for pomelo".into()
            }]
        );
        assert_eq!(
            resolve(&names(), &[ask(NameRef::Id(9), Some("generic"))]).unwrap(),
            vec![ExcludedName {
                name_id: 9,
                name: "Som O".into(),
                reason: "generic".into()
            }]
        );
        assert_eq!(
            protected_names(&names(), &got),
            vec![
                "ส้มโอทับทิมสยามปากพนัง".to_string(),
                "Som O Thapthim Siam Pak Phanang".to_string()
            ]
        );
    }

    #[test]
    fn unknown_duplicate_and_reasonless_names_are_refused() {
        let cases = [
            (
                vec![ask(NameRef::Text("som o".into()), Some("r"))],
                "excluded_names[0].name",
            ),
            (
                vec![ask(NameRef::Id(10), Some("r"))],
                "excluded_names[0].name",
            ),
            (
                vec![
                    ask(NameRef::Id(9), Some("r")),
                    ask(NameRef::Text("Som O".into()), Some("r")),
                ],
                "excluded_names[1].name",
            ),
            (vec![ask(NameRef::Id(9), None)], "excluded_names[0].reason"),
            (
                vec![ask(NameRef::Id(9), Some("  "))],
                "excluded_names[0].reason",
            ),
        ];
        for (request, field) in cases {
            let (got, _) = resolve(&names(), &request).unwrap_err();
            assert_eq!(got, field, "{request:?}");
        }
    }

    #[test]
    fn at_most_max_exclusions_are_looked_at() {
        let unknown = |n: usize| -> Vec<NameExclusion> {
            (0..n as i64)
                .map(|id| ask(NameRef::Id(100 + id), Some("r")))
                .collect()
        };
        let (field, _) = resolve(&names(), &unknown(MAX_EXCLUSIONS + 1)).unwrap_err();
        assert_eq!(field, "excluded_names");
        let (field, _) = resolve(&names(), &unknown(MAX_EXCLUSIONS)).unwrap_err();
        assert_eq!(field, "excluded_names[0].name");
    }

    #[test]
    fn a_name_whose_id_changed_is_still_excluded_by_its_text() {
        let stale = ExcludedName {
            name_id: 99,
            name: "Som O".into(),
            reason: "generic".into(),
        };
        assert_eq!(
            protected_names(&names(), &[stale]),
            vec![
                "ส้มโอทับทิมสยามปากพนัง".to_string(),
                "Som O Thapthim Siam Pak Phanang".to_string()
            ]
        );
    }

    #[test]
    fn a_reason_may_be_as_long_as_the_limit() {
        let longest = "r".repeat(MAX_REASON);
        assert!(resolve(&names(), &[ask(NameRef::Id(9), Some(&longest))]).is_ok());
        let longer = "r".repeat(MAX_REASON + 1);
        let (field, _) = resolve(&names(), &[ask(NameRef::Id(9), Some(&longer))]).unwrap_err();
        assert_eq!(field, "excluded_names[0].reason");
    }

    #[test]
    fn excluding_every_name_is_a_refusal() {
        let every: Vec<NameExclusion> = [7, 8, 9]
            .into_iter()
            .map(|id| ask(NameRef::Id(id), Some("r")))
            .collect();
        let excluded = resolve(&names(), &every).unwrap();
        let (field, _) = combine(&names(), &[], excluded).unwrap_err();
        assert_eq!(field, "excluded_names");
        // Two now, the third later: still every name.
        let earlier = resolve(&names(), &every[..2]).unwrap();
        let last = resolve(&names(), &every[2..]).unwrap();
        assert!(combine(&names(), &earlier, last).is_err());
        let again = resolve(&names(), &every[..1]).unwrap();
        let (field, _) = combine(&names(), &earlier, again).unwrap_err();
        assert_eq!(field, "excluded_names[0].name");
        // Two of three, or a name of a GI that has one, in one go or in two.
        assert_eq!(
            combine(&names(), &[], earlier.clone()).map(|all| all.len()),
            Ok(2)
        );
        let another = resolve(&names(), &every[1..2]).unwrap();
        assert_eq!(
            combine(&names(), &earlier[..1], another).map(|all| all.len()),
            Ok(2)
        );
        let one = resolve(&names()[2..], &every[2..]).unwrap();
        assert!(combine(&names()[2..], &[], one).is_err());
    }

    #[test]
    fn stored_and_parsed() {
        assert_eq!(stored(&[]), None);
        assert!(parsed(None).is_empty());
        let excluded = resolve(&names(), &[ask(NameRef::Id(9), Some("generic"))]).unwrap();
        assert_eq!(parsed(stored(&excluded).as_deref()), excluded);
    }
}
