//! The names webhook subscribers choose events by, and how a subscription's patterns
//! match them.
//!
//! Every event has one specific name, `<family>.<what happened>` (`recognition.refuse`,
//! `gi.register`, `specification.approved`), and, when it moved a GI or a recognition to
//! another status, also `<family>.status_changed`. A pattern is a name, a family with
//! `.*` (`recognition.*`), or `*`.

/// The specific names, by family.
const GI: &[&str] = &[
    "create",
    "import",
    "file",
    "start_examination",
    "publish",
    "register",
    "refuse",
    "withdraw",
    "cancel",
    "appeal",
    "appeal_allowed",
    "appeal_dismissed",
    "opposition_filed",
    "opposition_upheld",
    "opposition_rejected",
    "opposition_withdrawn",
    "opposition_settled",
    "status_changed",
];
const RECOGNITION: &[&str] = &[
    "submit",
    "start_examination",
    "publish",
    "protect",
    "refuse",
    "withdraw_refusal",
    "invalidate",
    "withdraw",
    "tacit_protection",
    "cancelled_at_origin",
    "appeal",
    "appeal_allowed",
    "appeal_dismissed",
    "opposition_filed",
    "opposition_upheld",
    "opposition_rejected",
    "opposition_withdrawn",
    "opposition_settled",
    "status_changed",
];
const SPECIFICATION: &[&str] = &["proposed", "approved", "rejected"];

const FAMILIES: &[(&str, &[&str])] = &[
    ("gi", GI),
    ("recognition", RECOGNITION),
    ("specification", SPECIFICATION),
];

/// The most patterns one subscription holds.
pub const MAX_PATTERNS: usize = 50;

/// The names of one event: the specific one first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventNames {
    pub specific: String,
    pub status_changed: Option<String>,
}

impl EventNames {
    /// The names of an event of `entity_type` (`gi`, `recognition`) of type `event_type`.
    pub fn of(
        entity_type: &str,
        event_type: &str,
        from_status: Option<&str>,
        to_status: &str,
    ) -> Self {
        let specific = match event_type.strip_prefix("amendment_") {
            Some(what) if entity_type == "gi" => format!("specification.{what}"),
            _ => format!("{entity_type}.{event_type}"),
        };
        let moved = from_status.is_some_and(|from| from != to_status);
        Self {
            specific,
            status_changed: moved.then(|| format!("{entity_type}.status_changed")),
        }
    }

    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.specific.as_str()).chain(self.status_changed.as_deref())
    }
}

/// Why a pattern is not one a subscription may hold.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    if pattern == "*" {
        return Ok(());
    }
    let known = || {
        FAMILIES
            .iter()
            .map(|(family, _)| format!("{family}.*"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((family, name)) = pattern.split_once('.') else {
        return Err(format!(
            "`{pattern}` is not an event name: use e.g. recognition.refuse, {}, or *",
            known()
        ));
    };
    let Some((_, names)) = FAMILIES.iter().find(|(f, _)| *f == family) else {
        return Err(format!(
            "`{family}` is not an event family: use one of {}",
            known()
        ));
    };
    if name == "*" || names.contains(&name) {
        Ok(())
    } else {
        Err(format!(
            "`{pattern}` is not an event: {family} events are {}",
            names.join(", ")
        ))
    }
}

/// Whether any of `patterns` selects an event with these names.
pub fn selects(patterns: &[String], names: &EventNames) -> bool {
    patterns.iter().any(|pattern| {
        names.all().any(|name| {
            pattern == "*"
                || pattern == name
                || pattern
                    .strip_suffix(".*")
                    .is_some_and(|family| name.split_once('.').map(|(f, _)| f) == Some(family))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gi_status::GiAction;
    use crate::recognition_status::{RecognitionAction, RecognitionSystemAction};

    fn patterns(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn names_say_the_family_the_change_and_a_status_change() {
        let refusal = EventNames::of("recognition", "refuse", Some("published"), "refused");
        assert_eq!(refusal.specific, "recognition.refuse");
        assert_eq!(
            refusal.status_changed.as_deref(),
            Some("recognition.status_changed")
        );
        let approved = EventNames::of("gi", "amendment_approved", Some("registered"), "registered");
        assert_eq!(approved.specific, "specification.approved");
        assert_eq!(approved.status_changed, None);
        // Only a GI's amendments are its specification's.
        let other = EventNames::of("recognition", "amendment_noted", None, "protected");
        assert_eq!(other.specific, "recognition.amendment_noted");
        let created = EventNames::of("gi", "create", None, "draft");
        assert_eq!(created.specific, "gi.create");
        assert_eq!(
            created.status_changed, None,
            "a creation is no change of status"
        );
    }

    #[test]
    fn a_pattern_is_a_name_a_family_or_everything() {
        let refusal = EventNames::of("recognition", "refuse", Some("published"), "refused");
        let filed = EventNames::of("gi", "opposition_filed", Some("published"), "published");
        assert!(selects(&patterns(&["*"]), &filed));
        assert!(selects(&patterns(&["recognition.*"]), &refusal));
        assert!(!selects(&patterns(&["recognition.*"]), &filed));
        assert!(selects(&patterns(&["recognition.refuse"]), &refusal));
        assert!(!selects(&patterns(&["recognition.protect"]), &refusal));
        assert!(selects(
            &patterns(&["recognition.status_changed"]),
            &refusal
        ));
        assert!(!selects(&patterns(&["gi.status_changed"]), &filed));
        assert!(
            !selects(&patterns(&["gi"]), &filed),
            "a bare family is no pattern"
        );
        assert!(!selects(&patterns(&[]), &filed));
        assert!(
            !selects(&patterns(&["recog.*"]), &refusal),
            "a family is matched whole, not by prefix"
        );
    }

    #[test]
    fn unknown_patterns_are_refused_with_the_known_ones() {
        for good in [
            "*",
            "gi.*",
            "recognition.tacit_protection",
            "specification.approved",
        ] {
            assert_eq!(check_pattern(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "recognition",
            "recognition.nothing",
            "trademark.*",
            "gi.**",
            "*.*",
        ] {
            let why = check_pattern(bad).unwrap_err();
            assert!(why.contains('`') || why.contains("use"), "{bad}: {why}");
        }
    }

    #[test]
    fn every_action_has_a_name() {
        for action in RecognitionAction::ALL {
            assert!(RECOGNITION.contains(&action.as_str()), "{action:?}");
        }
        for action in RecognitionSystemAction::ALL {
            if *action != RecognitionSystemAction::CancelAtOrigin {
                assert!(RECOGNITION.contains(&action.as_str()), "{action:?}");
            }
        }
        for action in GiAction::ALL {
            assert!(GI.contains(&action.as_str()), "{action:?}");
        }
    }
}
