//! Lifecycle of a GI's home application and registration (DESIGN §2, GI table).
//!
//! | from | action | to | who |
//! |---|---|---|---|
//! | — | create | `draft` | applicant or origin examiner |
//! | `draft` | `file` | `filed` | applicant or origin examiner |
//! | `filed` | `start_examination` | `under_examination` | origin examiner |
//! | `under_examination` | `publish` | `published` | origin examiner |
//! | `published` | `register` | `registered` | origin examiner |
//! | `under_examination`, `published` | `refuse` | `refused` | origin examiner (grounds) |
//! | `draft`, `filed`, `under_examination`, `published` | `withdraw` | `withdrawn` | applicant or origin examiner |
//! | `registered` | `cancel` | `cancelled` | origin examiner (grounds) |
//! | `refused` | `appeal` | `under_appeal` | applicant or origin examiner (grounds), by the remedy deadline |
//! | `under_appeal` | `appeal_allowed` | `registered` | origin examiner |
//! | `under_appeal` | `appeal_dismissed` | `refused` | origin examiner (grounds) |
//!
//! Only the status is decided here. The other rules of the table are the
//! caller's: `file` assigns `file_number`; `publish` sets
//! `opposition_deadline` (see [`super::legal_dates::opposition_deadline`]);
//! `register` needs the opposition deadline passed
//! ([`super::legal_dates::check_deadline_passed`]) and no pending opposition,
//! and assigns `registration_number`; `cancel` turns every live recognition of
//! the GI into `cancelled_at_origin` in the same transaction
//! ([`super::recognition_status::recognition_system_transition`]).
//! An upheld opposition against a published GI applies [`GiAction::Refuse`].

use super::transition::{names, string_enum, ActorKind, InvalidTransition};

string_enum! {
    /// Status of a GI's home application / registration.
    #[derive(utoipa::ToSchema)]
    pub enum GiStatus: "GI status" {
        /// Being written by the applicant; not public.
        Draft => "draft",
        /// Filed at the origin office; has a `file_number`.
        Filed => "filed",
        /// Under examination by the origin office.
        UnderExamination => "under_examination",
        /// Published for opposition; has an `opposition_deadline`.
        Published => "published",
        /// Registered at home; has a `registration_number`.
        Registered => "registered",
        /// Refused by the origin office; may be appealed until the remedy deadline.
        Refused => "refused",
        /// The refusal is under appeal; the deciding office allows or dismisses it.
        UnderAppeal => "under_appeal",
        /// Withdrawn before registration (terminal).
        Withdrawn => "withdrawn",
        /// Registration cancelled (terminal).
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// An action on a GI, as sent by `POST` to `/api/v1/gis/{id}/actions`.
    /// Creation is not an action (it is `POST /api/v1/gis`).
    #[derive(utoipa::ToSchema)]
    pub enum GiAction: "GI action" {
        /// `draft` → `filed`.
        File => "file",
        /// `filed` → `under_examination`.
        StartExamination => "start_examination",
        /// `under_examination` → `published`.
        Publish => "publish",
        /// `published` → `registered`.
        Register => "register",
        /// `under_examination` | `published` → `refused`.
        Refuse => "refuse",
        /// `draft` … `published` → `withdrawn`.
        Withdraw => "withdraw",
        /// `registered` → `cancelled`.
        Cancel => "cancel",
        /// `refused` → `under_appeal`.
        Appeal => "appeal",
        /// `under_appeal` → `registered`: the registration the decision should have given.
        AppealAllowed => "appeal_allowed",
        /// `under_appeal` → `refused`.
        AppealDismissed => "appeal_dismissed",
    }
}

/// Who may create a GI (in `draft`): the applicant association or an
/// examiner of the origin office.
pub const GI_CREATE_ACTOR: ActorKind = ActorKind::ApplicantOrOriginExaminer;

impl GiStatus {
    /// The status a new GI is created in.
    pub const INITIAL: GiStatus = GiStatus::Draft;

    /// Not terminal: some action can still change the status
    /// (`draft`, `filed`, `under_examination`, `published`, `registered`).
    pub const fn is_live(self) -> bool {
        !self.is_terminal()
    }

    /// No action leaves this status (`withdrawn`, `cancelled`). A refusal may still be
    /// appealed.
    pub const fn is_terminal(self) -> bool {
        matches!(self, GiStatus::Withdrawn | GiStatus::Cancelled)
    }

    /// The application is still being prosecuted and may be withdrawn
    /// (`draft`, `filed`, `under_examination`, `published`).
    pub const fn is_pending(self) -> bool {
        matches!(
            self,
            GiStatus::Draft | GiStatus::Filed | GiStatus::UnderExamination | GiStatus::Published
        )
    }

    /// Protected at home (`registered`): the condition for submitting the GI
    /// to a programme that `requires_origin_registration`.
    pub const fn is_registered(self) -> bool {
        matches!(self, GiStatus::Registered)
    }

    /// Only drafts are hidden from anonymous readers (DESIGN §3).
    pub const fn is_draft(self) -> bool {
        matches!(self, GiStatus::Draft)
    }

    /// Oppositions may be filed against the GI in this status (`published`).
    pub const fn accepts_oppositions(self) -> bool {
        matches!(self, GiStatus::Published)
    }
}

impl GiAction {
    /// `grounds` must be given (`refuse`, `cancel`, `appeal`, `appeal_dismissed`);
    /// optional otherwise.
    pub const fn requires_grounds(self) -> bool {
        matches!(
            self,
            GiAction::Refuse | GiAction::Cancel | GiAction::Appeal | GiAction::AppealDismissed
        )
    }

    /// Who may take the action (see [`gi_action_actor`]).
    pub const fn actor(self) -> ActorKind {
        gi_action_actor(self)
    }
}

/// Who may take a GI action: `file` and `withdraw` by the applicant
/// association or an origin examiner, everything else by an origin examiner
/// only. Data for the permission layer; nothing is checked here.
pub const fn gi_action_actor(action: GiAction) -> ActorKind {
    match action {
        GiAction::File | GiAction::Withdraw | GiAction::Appeal => {
            ActorKind::ApplicantOrOriginExaminer
        }
        GiAction::StartExamination
        | GiAction::Publish
        | GiAction::Register
        | GiAction::Refuse
        | GiAction::Cancel
        | GiAction::AppealAllowed
        | GiAction::AppealDismissed => ActorKind::OriginExaminer,
    }
}

/// The GI table: the status `action` leads to from `from`, if allowed.
const fn target(from: GiStatus, action: GiAction) -> Option<GiStatus> {
    use GiAction as A;
    use GiStatus as S;
    match (from, action) {
        (S::Draft, A::File) => Some(S::Filed),
        (S::Filed, A::StartExamination) => Some(S::UnderExamination),
        (S::UnderExamination, A::Publish) => Some(S::Published),
        (S::Published, A::Register) => Some(S::Registered),
        (S::UnderExamination | S::Published, A::Refuse) => Some(S::Refused),
        (S::Draft | S::Filed | S::UnderExamination | S::Published, A::Withdraw) => {
            Some(S::Withdrawn)
        }
        (S::Registered, A::Cancel) => Some(S::Cancelled),
        (S::Refused, A::Appeal) => Some(S::UnderAppeal),
        (S::UnderAppeal, A::AppealAllowed) => Some(S::Registered),
        (S::UnderAppeal, A::AppealDismissed) => Some(S::Refused),
        _ => None,
    }
}

/// Applies `action` to a GI in status `from`.
///
/// # Errors
/// [`InvalidTransition`] naming the current status and the allowed actions
/// when the GI table of DESIGN §2 has no such row.
pub fn gi_transition(from: GiStatus, action: GiAction) -> Result<GiStatus, InvalidTransition> {
    target(from, action).ok_or_else(|| InvalidTransition {
        entity: "gi",
        status: from.as_str(),
        action: action.as_str(),
        allowed_actions: names(&gi_allowed_actions(from), GiAction::as_str),
    })
}

/// The actions allowed from `from`, in the declaration order of [`GiAction`]
/// (so a draft gives `[file, withdraw]`). Status only: date and opposition
/// preconditions of `register` are checked separately.
pub fn gi_allowed_actions(from: GiStatus) -> Vec<GiAction> {
    GiAction::ALL
        .iter()
        .copied()
        .filter(|&action| target(from, action).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    use GiAction as A;
    use GiStatus as S;

    /// DESIGN §2, GI table, written out row by row independently of `target`.
    const EXPECTED: &[(GiStatus, GiAction, GiStatus)] = &[
        (S::Draft, A::File, S::Filed),
        (S::Filed, A::StartExamination, S::UnderExamination),
        (S::UnderExamination, A::Publish, S::Published),
        (S::Published, A::Register, S::Registered),
        (S::UnderExamination, A::Refuse, S::Refused),
        (S::Published, A::Refuse, S::Refused),
        (S::Draft, A::Withdraw, S::Withdrawn),
        (S::Filed, A::Withdraw, S::Withdrawn),
        (S::UnderExamination, A::Withdraw, S::Withdrawn),
        (S::Published, A::Withdraw, S::Withdrawn),
        (S::Registered, A::Cancel, S::Cancelled),
        (S::Refused, A::Appeal, S::UnderAppeal),
        (S::UnderAppeal, A::AppealAllowed, S::Registered),
        (S::UnderAppeal, A::AppealDismissed, S::Refused),
    ];

    fn expected(from: GiStatus, action: GiAction) -> Option<GiStatus> {
        EXPECTED
            .iter()
            .find(|(f, a, _)| *f == from && *a == action)
            .map(|(_, _, to)| *to)
    }

    #[test]
    fn enums_list_every_variant_once() {
        assert_eq!(GiStatus::ALL.len(), 9);
        assert_eq!(GiAction::ALL.len(), 10);
        for (i, a) in GiStatus::NAMES.iter().enumerate() {
            assert!(!GiStatus::NAMES[i + 1..].contains(a), "{a} repeated");
        }
        for (i, a) in GiAction::NAMES.iter().enumerate() {
            assert!(!GiAction::NAMES[i + 1..].contains(a), "{a} repeated");
        }
    }

    #[test]
    fn every_status_action_pair_matches_the_design_table() {
        let mut allowed = 0;
        for &from in GiStatus::ALL {
            for &action in GiAction::ALL {
                match (expected(from, action), gi_transition(from, action)) {
                    (Some(to), Ok(got)) => {
                        assert_eq!(got, to, "{from} --{action}-->");
                        allowed += 1;
                    }
                    (None, Err(err)) => {
                        assert_eq!(err.entity, "gi");
                        assert_eq!(err.status, from.as_str());
                        assert_eq!(err.action, action.as_str());
                        let want: Vec<String> = GiAction::ALL
                            .iter()
                            .filter(|&&a| expected(from, a).is_some())
                            .map(|a| a.as_str().to_owned())
                            .collect();
                        assert_eq!(err.allowed_actions, want, "{from} --{action}-->");
                    }
                    (want, got) => panic!("{from} --{action}--> expected {want:?}, got {got:?}"),
                }
            }
        }
        assert_eq!(allowed, EXPECTED.len());
    }

    #[test]
    fn allowed_actions_per_status_in_stable_order() {
        let table: [(GiStatus, &[GiAction]); 9] = [
            (S::Draft, &[A::File, A::Withdraw]),
            (S::Filed, &[A::StartExamination, A::Withdraw]),
            (S::UnderExamination, &[A::Publish, A::Refuse, A::Withdraw]),
            (S::Published, &[A::Register, A::Refuse, A::Withdraw]),
            (S::Registered, &[A::Cancel]),
            (S::Refused, &[A::Appeal]),
            (S::UnderAppeal, &[A::AppealAllowed, A::AppealDismissed]),
            (S::Withdrawn, &[]),
            (S::Cancelled, &[]),
        ];
        for (status, actions) in table {
            assert_eq!(gi_allowed_actions(status), actions, "{status}");
        }
    }

    #[test]
    fn draft_publish_gives_the_documented_409_details() {
        let err = gi_transition(S::Draft, A::Publish).unwrap_err();
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({
                "status": "draft",
                "action": "publish",
                "allowed_actions": ["file", "withdraw"]
            })
        );
    }

    #[test]
    fn terminal_statuses_allow_nothing_and_live_ones_something() {
        for &status in GiStatus::ALL {
            assert_eq!(
                gi_allowed_actions(status).is_empty(),
                status.is_terminal(),
                "{status}"
            );
            assert_eq!(status.is_live(), !status.is_terminal(), "{status}");
        }
    }

    #[test]
    fn status_predicates() {
        // (status, live, terminal, pending, registered, draft, accepts oppositions)
        let table = [
            (S::Draft, true, false, true, false, true, false),
            (S::Filed, true, false, true, false, false, false),
            (S::UnderExamination, true, false, true, false, false, false),
            (S::Published, true, false, true, false, false, true),
            (S::Registered, true, false, false, true, false, false),
            (S::Refused, true, false, false, false, false, false),
            (S::UnderAppeal, true, false, false, false, false, false),
            (S::Withdrawn, false, true, false, false, false, false),
            (S::Cancelled, false, true, false, false, false, false),
        ];
        assert_eq!(table.len(), GiStatus::ALL.len());
        for (s, live, terminal, pending, registered, draft, opp) in table {
            assert_eq!(s.is_live(), live, "{s}");
            assert_eq!(s.is_terminal(), terminal, "{s}");
            assert_eq!(s.is_pending(), pending, "{s}");
            assert_eq!(s.is_registered(), registered, "{s}");
            assert_eq!(s.is_draft(), draft, "{s}");
            assert_eq!(s.accepts_oppositions(), opp, "{s}");
        }
        assert_eq!(GiStatus::INITIAL, S::Draft);
    }

    #[test]
    fn withdraw_is_allowed_exactly_while_pending() {
        for &status in GiStatus::ALL {
            assert_eq!(
                gi_transition(status, A::Withdraw).is_ok(),
                status.is_pending(),
                "{status}"
            );
        }
    }

    #[test]
    fn grounds_required_to_refuse_cancel_appeal_and_dismiss() {
        let table = [
            (A::File, false),
            (A::StartExamination, false),
            (A::Publish, false),
            (A::Register, false),
            (A::Refuse, true),
            (A::Withdraw, false),
            (A::Cancel, true),
            (A::Appeal, true),
            (A::AppealAllowed, false),
            (A::AppealDismissed, true),
        ];
        assert_eq!(table.len(), GiAction::ALL.len());
        for (action, required) in table {
            assert_eq!(action.requires_grounds(), required, "{action}");
        }
    }

    #[test]
    fn actors_per_action() {
        let table = [
            (A::File, ActorKind::ApplicantOrOriginExaminer),
            (A::StartExamination, ActorKind::OriginExaminer),
            (A::Publish, ActorKind::OriginExaminer),
            (A::Register, ActorKind::OriginExaminer),
            (A::Refuse, ActorKind::OriginExaminer),
            (A::Withdraw, ActorKind::ApplicantOrOriginExaminer),
            (A::Cancel, ActorKind::OriginExaminer),
            (A::Appeal, ActorKind::ApplicantOrOriginExaminer),
            (A::AppealAllowed, ActorKind::OriginExaminer),
            (A::AppealDismissed, ActorKind::OriginExaminer),
        ];
        assert_eq!(table.len(), GiAction::ALL.len());
        for (action, actor) in table {
            assert_eq!(gi_action_actor(action), actor, "{action}");
            assert_eq!(action.actor(), actor, "{action}");
            assert!(!actor.allows_partner_examiner(), "{action}");
        }
        assert_eq!(GI_CREATE_ACTOR, ActorKind::ApplicantOrOriginExaminer);
    }

    #[test]
    fn wire_strings() {
        let statuses = [
            (S::Draft, "draft"),
            (S::Filed, "filed"),
            (S::UnderExamination, "under_examination"),
            (S::Published, "published"),
            (S::Registered, "registered"),
            (S::Refused, "refused"),
            (S::Withdrawn, "withdrawn"),
            (S::Cancelled, "cancelled"),
            (S::UnderAppeal, "under_appeal"),
        ];
        assert_eq!(statuses.len(), GiStatus::ALL.len());
        for (status, text) in statuses {
            assert_eq!(status.as_str(), text);
            assert_eq!(status.to_string(), text);
            assert_eq!(GiStatus::from_str(text), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<GiStatus>(serde_json::json!(text)).unwrap(),
                status
            );
        }
        let actions = [
            (A::File, "file"),
            (A::StartExamination, "start_examination"),
            (A::Publish, "publish"),
            (A::Register, "register"),
            (A::Refuse, "refuse"),
            (A::Withdraw, "withdraw"),
            (A::Cancel, "cancel"),
            (A::Appeal, "appeal"),
            (A::AppealAllowed, "appeal_allowed"),
            (A::AppealDismissed, "appeal_dismissed"),
        ];
        assert_eq!(actions.len(), GiAction::ALL.len());
        for (action, text) in actions {
            assert_eq!(action.as_str(), text);
            assert_eq!(action.to_string(), text);
            assert_eq!(text.parse::<GiAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<GiAction>(serde_json::json!(text)).unwrap(),
                action
            );
        }
    }

    #[test]
    fn parsing_is_exact_and_names_the_unknown_value() {
        for bad in ["Draft", " draft", "underExamination", "", "create"] {
            let err = bad.parse::<GiStatus>().unwrap_err();
            assert_eq!(err.value, bad);
            assert_eq!(err.kind, "GI status");
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
        let err = "create".parse::<GiAction>().unwrap_err();
        assert_eq!(err.value, "create");
        assert_eq!(err.expected, GiAction::NAMES);
        assert!(err.to_string().starts_with("unknown GI action `create`"));
        assert!(serde_json::from_value::<GiAction>(serde_json::json!("File")).is_err());
        assert!("cancel_at_origin".parse::<GiAction>().is_err());
    }

    #[test]
    fn the_full_happy_path_and_cancellation() {
        let mut status = GiStatus::INITIAL;
        for action in [
            A::File,
            A::StartExamination,
            A::Publish,
            A::Register,
            A::Cancel,
        ] {
            status = gi_transition(status, action).unwrap();
        }
        assert_eq!(status, S::Cancelled);
        assert!(gi_allowed_actions(status).is_empty());
    }
}
