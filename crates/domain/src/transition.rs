//! Types shared by every lifecycle of the domain (GI, recognition, opposition):
//! the refused-transition error, the unknown-value parse error, who may take an
//! action, and the macro that gives every lifecycle enum the same string form.
//!
//! Everything here is pure: no I/O, no clock, no database.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A transition the lifecycle table does not allow.
///
/// The HTTP layer answers it with 409 and
/// `{"status": "draft", "allowed_actions": ["file", "withdraw"]}` in the error
/// details; serialising this value gives exactly those fields plus the
/// `action` that was attempted (`entity` is not serialised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error(
    "{entity} in status `{status}` does not allow action `{action}` (allowed: {})",
    list_or_none(.allowed_actions)
)]
pub struct InvalidTransition {
    /// `"gi"`, `"recognition"` or `"opposition"`.
    #[serde(skip)]
    pub entity: &'static str,
    /// The current status, as its wire string (e.g. `"draft"`).
    pub status: &'static str,
    /// The action that was attempted, as its wire string.
    pub action: &'static str,
    /// Actions the current status allows, in the lifecycle's stable order.
    pub allowed_actions: Vec<String>,
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// A string that names none of the values of a lifecycle enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}` (expected one of: {})", .expected.join(", "))]
pub struct UnknownValue {
    /// What was being parsed, e.g. `"GI action"`.
    pub kind: &'static str,
    /// The offending input, verbatim.
    pub value: String,
    /// Every accepted value, in declaration order.
    pub expected: &'static [&'static str],
}

/// Who may take a lifecycle action. This is data for the permission layer,
/// which maps it onto roles and offices; nothing here checks a caller.
///
/// "Examiner" means a user acting for the office concerned: an `examiner` or
/// an `office_admin` of that office (DESIGN §3: an office admin may do all an
/// examiner of its office may do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// The applicant association (its own GIs only) or an examiner of the
    /// GI's origin office.
    ApplicantOrOriginExaminer,
    /// An examiner of the GI's origin office only.
    OriginExaminer,
    /// An examiner of the recognition's partner office only.
    PartnerExaminer,
    /// Only the system itself (cascades and sweeps), never a request.
    System,
}

impl ActorKind {
    /// Every value, in declaration order.
    pub const ALL: &'static [ActorKind] = &[
        ActorKind::ApplicantOrOriginExaminer,
        ActorKind::OriginExaminer,
        ActorKind::PartnerExaminer,
        ActorKind::System,
    ];

    /// The wire string (`snake_case`, same as serde).
    pub const fn as_str(self) -> &'static str {
        match self {
            ActorKind::ApplicantOrOriginExaminer => "applicant_or_origin_examiner",
            ActorKind::OriginExaminer => "origin_examiner",
            ActorKind::PartnerExaminer => "partner_examiner",
            ActorKind::System => "system",
        }
    }

    /// The applicant association may act.
    pub const fn allows_applicant(self) -> bool {
        matches!(self, ActorKind::ApplicantOrOriginExaminer)
    }

    /// An examiner of the GI's origin office may act.
    pub const fn allows_origin_examiner(self) -> bool {
        matches!(
            self,
            ActorKind::ApplicantOrOriginExaminer | ActorKind::OriginExaminer
        )
    }

    /// An examiner of the recognition's partner office may act.
    pub const fn allows_partner_examiner(self) -> bool {
        matches!(self, ActorKind::PartnerExaminer)
    }

    /// No user may act: only the system.
    pub const fn is_system_only(self) -> bool {
        matches!(self, ActorKind::System)
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Defines a fieldless enum whose wire form is a fixed `snake_case` string, used
/// identically by serde, `as_str`, `Display` and `FromStr` (exact,
/// case-sensitive match; the error names the unknown value). Invoke it only
/// from modules that are siblings of `transition` (it names
/// `super::transition::UnknownValue`).
macro_rules! string_enum {
    (
        $(#[$enum_meta:meta])*
        $vis:vis enum $name:ident : $kind:literal {
            $( $(#[$var_meta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$enum_meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize,
        )]
        // Every wire name is the variant's snake_case; said once more at the container so
        // that derives reading attributes literally (utoipa's ToSchema) see it too.
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $( $(#[$var_meta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order (the stable order used for
            /// allowed-action lists).
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// Every wire string, in declaration order.
            pub const NAMES: &'static [&'static str] = &[ $( $text, )+ ];

            /// The wire string (`snake_case`, same as serde).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = super::transition::UnknownValue;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err(super::transition::UnknownValue {
                        kind: $kind,
                        value: s.to_owned(),
                        expected: $name::NAMES,
                    }),
                }
            }
        }
    };
}
pub(crate) use string_enum;

/// Wire strings of a list of actions, for [`InvalidTransition::allowed_actions`].
pub(crate) fn names<T: Copy>(items: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
    items.iter().map(|&item| as_str(item).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_transition_serialises_to_the_409_details_shape() {
        let err = InvalidTransition {
            entity: "gi",
            status: "draft",
            action: "publish",
            allowed_actions: vec!["file".to_owned(), "withdraw".to_owned()],
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "status": "draft",
                "action": "publish",
                "allowed_actions": ["file", "withdraw"]
            })
        );
        assert_eq!(
            err.to_string(),
            "gi in status `draft` does not allow action `publish` (allowed: file, withdraw)"
        );
    }

    #[test]
    fn invalid_transition_message_says_none_when_nothing_is_allowed() {
        let err = InvalidTransition {
            entity: "gi",
            status: "withdrawn",
            action: "file",
            allowed_actions: vec![],
        };
        assert!(err.to_string().ends_with("(allowed: none)"), "{err}");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["allowed_actions"], serde_json::json!([]));
    }

    #[test]
    fn unknown_value_names_the_value_and_the_choices() {
        let err = UnknownValue {
            kind: "GI action",
            value: "explode".to_owned(),
            expected: &["file", "withdraw"],
        };
        assert_eq!(
            err.to_string(),
            "unknown GI action `explode` (expected one of: file, withdraw)"
        );
    }

    #[test]
    fn actor_kind_wire_strings_match_serde() {
        for &kind in ActorKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::Value::String(kind.as_str().to_owned()));
            let back: ActorKind = serde_json::from_value(json).unwrap();
            assert_eq!(back, kind);
            assert_eq!(kind.to_string(), kind.as_str());
        }
    }

    #[test]
    fn actor_kind_predicates() {
        // (kind, applicant, origin examiner, partner examiner, system only)
        let expected = [
            (
                ActorKind::ApplicantOrOriginExaminer,
                true,
                true,
                false,
                false,
            ),
            (ActorKind::OriginExaminer, false, true, false, false),
            (ActorKind::PartnerExaminer, false, false, true, false),
            (ActorKind::System, false, false, false, true),
        ];
        assert_eq!(expected.len(), ActorKind::ALL.len());
        for (kind, applicant, origin, partner, system) in expected {
            assert_eq!(kind.allows_applicant(), applicant, "{kind}");
            assert_eq!(kind.allows_origin_examiner(), origin, "{kind}");
            assert_eq!(kind.allows_partner_examiner(), partner, "{kind}");
            assert_eq!(kind.is_system_only(), system, "{kind}");
        }
    }
}
