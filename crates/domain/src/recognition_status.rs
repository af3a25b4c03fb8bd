//! Lifecycle of a recognition: the protection of one GI in one partner
//! territory under one programme (DESIGN §2, recognition table).
//!
//! | from | action | to | who |
//! |---|---|---|---|
//! | — | submit | `submitted` | origin examiner |
//! | `submitted` | `start_examination` | `under_examination` | partner examiner |
//! | `under_examination` | `publish` | `published` | partner examiner |
//! | `published` | `protect` | `protected` | partner examiner |
//! | `submitted`, `under_examination`, `published` | `refuse` | `refused` | partner examiner (grounds) |
//! | `refused` | `withdraw_refusal` | `protected` | partner examiner |
//! | `protected` | `invalidate` | `invalidated` | partner examiner (grounds) |
//! | `refused` | `appeal` | `under_appeal` | association or origin examiner (grounds), by the remedy deadline |
//! | `under_appeal` | `appeal_allowed` | `protected` | partner examiner |
//! | `under_appeal` | `appeal_dismissed` | `refused` | partner examiner (grounds) |
//! | live | `withdraw` | `withdrawn` | origin examiner |
//! | live | `cancel_at_origin` | `cancelled_at_origin` | system |
//! | `submitted`, `under_examination` | `tacit_protection` | `protected` | system |
//!
//! **Live** means `submitted`, `under_examination`, `published` or
//! `protected`. `refused` is *not* live: a refusal is the partner's decision
//! that ends the proceeding, so the origin cannot withdraw a refused
//! recognition and cancelling the GI at origin leaves a refused recognition
//! `refused` (the legal record of the refusal is kept as it was). `refused`
//! is not terminal either: the partner may still `withdraw_refusal`. The
//! service must then check that the GI is still `registered` when the
//! programme `requires_origin_registration`, since that is not a status rule.
//!
//! The two system transitions are a separate enum,
//! [`RecognitionSystemAction`], so that a request can never name them:
//! [`RecognitionAction`]'s `FromStr`/serde reject `cancel_at_origin` and
//! `tacit_protection`.
//!
//! Only the status is decided here. The caller keeps the other rules:
//! `submit` needs the GI `registered` if the programme requires it and sets
//! `decision_deadline`; `publish` sets `opposition_deadline` from the
//! *partner* office's period; `protect` needs that deadline passed and no
//! pending opposition; `tacit_protection` runs only once the decision
//! deadline has passed and the programme has `tacit_protection`
//! (see [`super::legal_dates`]). An upheld opposition against a published
//! recognition applies [`RecognitionAction::Refuse`].

use super::transition::{names, string_enum, ActorKind, InvalidTransition};

string_enum! {
    /// Status of a recognition in a partner territory.
    #[derive(utoipa::ToSchema)]
    pub enum RecognitionStatus: "recognition status" {
        /// Submitted by the origin office; has a `decision_deadline`.
        Submitted => "submitted",
        /// Under examination by the partner office.
        UnderExamination => "under_examination",
        /// Published by the partner office for opposition.
        Published => "published",
        /// Protected in the partner territory (possibly with limitations).
        Protected => "protected",
        /// Refused by the partner office (fully or partially); the refusal
        /// may be withdrawn.
        Refused => "refused",
        /// The refusal is under appeal; the partner office allows or dismisses it.
        UnderAppeal => "under_appeal",
        /// Protection invalidated by the partner office (terminal).
        Invalidated => "invalidated",
        /// Withdrawn by the origin office (terminal).
        Withdrawn => "withdrawn",
        /// The GI was cancelled at origin (terminal).
        CancelledAtOrigin => "cancelled_at_origin",
    }
}

string_enum! {
    /// An action a user may request on a recognition, as sent by `POST` to
    /// `/api/v1/recognitions/{id}/actions`. Submission is not an action (it is
    /// `POST /api/v1/recognitions`).
    #[derive(utoipa::ToSchema)]
    pub enum RecognitionAction: "recognition action" {
        /// `submitted` → `under_examination`.
        StartExamination => "start_examination",
        /// `under_examination` → `published`.
        Publish => "publish",
        /// `published` → `protected`.
        Protect => "protect",
        /// `submitted` | `under_examination` | `published` → `refused`.
        Refuse => "refuse",
        /// `refused` → `protected`.
        WithdrawRefusal => "withdraw_refusal",
        /// `protected` → `invalidated`.
        Invalidate => "invalidate",
        /// live → `withdrawn`.
        Withdraw => "withdraw",
        /// `refused` → `under_appeal`.
        Appeal => "appeal",
        /// `under_appeal` → `protected`: the protection the decision should have given.
        AppealAllowed => "appeal_allowed",
        /// `under_appeal` → `refused`.
        AppealDismissed => "appeal_dismissed",
    }
}

string_enum! {
    /// A transition only the system performs; its wire string is the event
    /// `type` recorded for it.
    pub enum RecognitionSystemAction: "recognition system action" {
        /// live → `cancelled_at_origin`, when the GI is cancelled at origin
        /// (in the same transaction as the GI's `cancel`).
        CancelAtOrigin => "cancel_at_origin",
        /// `submitted` | `under_examination` → `protected`, when the decision
        /// deadline has passed under a programme with `tacit_protection`.
        TacitProtection => "tacit_protection",
    }
}

/// Who may submit a GI to a programme (create a recognition in `submitted`):
/// an examiner of the GI's origin office.
pub const RECOGNITION_SUBMIT_ACTOR: ActorKind = ActorKind::OriginExaminer;

impl RecognitionStatus {
    /// The status a new recognition is created in.
    pub const INITIAL: RecognitionStatus = RecognitionStatus::Submitted;

    /// `submitted`, `under_examination`, `published`, `protected`: the states
    /// from which the origin may `withdraw` and which a cancellation at
    /// origin turns into `cancelled_at_origin`. Not `refused` (see the module
    /// documentation).
    pub const fn is_live(self) -> bool {
        matches!(
            self,
            RecognitionStatus::Submitted
                | RecognitionStatus::UnderExamination
                | RecognitionStatus::Published
                | RecognitionStatus::Protected
        )
    }

    /// No transition leaves this status (`invalidated`, `withdrawn`,
    /// `cancelled_at_origin`).
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            RecognitionStatus::Invalidated
                | RecognitionStatus::Withdrawn
                | RecognitionStatus::CancelledAtOrigin
        )
    }

    /// The GI is protected in the partner territory (`protected`).
    pub const fn is_protected(self) -> bool {
        matches!(self, RecognitionStatus::Protected)
    }

    /// The partner office has yet to decide (`submitted`,
    /// `under_examination`, `published`): what the partner's work list shows.
    pub const fn awaits_partner_decision(self) -> bool {
        matches!(
            self,
            RecognitionStatus::Submitted
                | RecognitionStatus::UnderExamination
                | RecognitionStatus::Published
        )
    }

    /// Tacit protection may apply once the decision deadline has passed
    /// (`submitted`, `under_examination`).
    pub const fn is_tacit_protection_eligible(self) -> bool {
        matches!(
            self,
            RecognitionStatus::Submitted | RecognitionStatus::UnderExamination
        )
    }

    /// Oppositions may be filed against the recognition (`published`).
    pub const fn accepts_oppositions(self) -> bool {
        matches!(self, RecognitionStatus::Published)
    }
}

impl RecognitionAction {
    /// `grounds` must be given (`refuse`, `invalidate`, `appeal`, `appeal_dismissed`);
    /// optional otherwise.
    pub const fn requires_grounds(self) -> bool {
        matches!(
            self,
            RecognitionAction::Refuse
                | RecognitionAction::Invalidate
                | RecognitionAction::Appeal
                | RecognitionAction::AppealDismissed
        )
    }

    /// The decision may leave some of the GI's names out (`excluded_names`): a
    /// protection, or an invalidation of some names only.
    pub const fn decides_per_name(self) -> bool {
        matches!(
            self,
            RecognitionAction::Protect
                | RecognitionAction::WithdrawRefusal
                | RecognitionAction::Invalidate
                | RecognitionAction::AppealAllowed
        )
    }

    /// Who may take the action (see [`recognition_action_actor`]).
    pub const fn actor(self) -> ActorKind {
        recognition_action_actor(self)
    }
}

impl RecognitionSystemAction {
    /// Always [`ActorKind::System`].
    pub const fn actor(self) -> ActorKind {
        ActorKind::System
    }

    /// System transitions carry no grounds of their own (the cascade records
    /// the GI cancellation's grounds if the caller wishes).
    pub const fn requires_grounds(self) -> bool {
        false
    }
}

/// Who may take a recognition action: `withdraw` by an origin examiner, `appeal`
/// by the GI's association or an origin examiner, every other action by a
/// partner examiner. Data for the permission layer.
pub const fn recognition_action_actor(action: RecognitionAction) -> ActorKind {
    match action {
        RecognitionAction::Withdraw => ActorKind::OriginExaminer,
        RecognitionAction::Appeal => ActorKind::ApplicantOrOriginExaminer,
        RecognitionAction::StartExamination
        | RecognitionAction::Publish
        | RecognitionAction::Protect
        | RecognitionAction::Refuse
        | RecognitionAction::WithdrawRefusal
        | RecognitionAction::Invalidate
        | RecognitionAction::AppealAllowed
        | RecognitionAction::AppealDismissed => ActorKind::PartnerExaminer,
    }
}

/// The recognition table for user actions.
const fn target(from: RecognitionStatus, action: RecognitionAction) -> Option<RecognitionStatus> {
    use RecognitionAction as A;
    use RecognitionStatus as S;
    match (from, action) {
        (S::Submitted, A::StartExamination) => Some(S::UnderExamination),
        (S::UnderExamination, A::Publish) => Some(S::Published),
        (S::Published, A::Protect) => Some(S::Protected),
        (S::Submitted | S::UnderExamination | S::Published, A::Refuse) => Some(S::Refused),
        (S::Refused, A::WithdrawRefusal) => Some(S::Protected),
        (S::Protected, A::Invalidate) => Some(S::Invalidated),
        (S::Refused, A::Appeal) => Some(S::UnderAppeal),
        (S::UnderAppeal, A::AppealAllowed) => Some(S::Protected),
        (S::UnderAppeal, A::AppealDismissed) => Some(S::Refused),
        (_, A::Withdraw) if from.is_live() => Some(S::Withdrawn),
        _ => None,
    }
}

/// The recognition table for system transitions.
const fn system_target(
    from: RecognitionStatus,
    action: RecognitionSystemAction,
) -> Option<RecognitionStatus> {
    match action {
        RecognitionSystemAction::CancelAtOrigin if from.is_live() => {
            Some(RecognitionStatus::CancelledAtOrigin)
        }
        RecognitionSystemAction::TacitProtection if from.is_tacit_protection_eligible() => {
            Some(RecognitionStatus::Protected)
        }
        _ => None,
    }
}

/// Applies a user `action` to a recognition in status `from`.
///
/// # Errors
/// [`InvalidTransition`] naming the current status and the allowed user
/// actions when the recognition table of DESIGN §2 has no such row.
pub fn recognition_transition(
    from: RecognitionStatus,
    action: RecognitionAction,
) -> Result<RecognitionStatus, InvalidTransition> {
    target(from, action).ok_or_else(|| InvalidTransition {
        entity: "recognition",
        status: from.as_str(),
        action: action.as_str(),
        allowed_actions: names(
            &recognition_allowed_actions(from),
            RecognitionAction::as_str,
        ),
    })
}

/// The user actions allowed from `from`, in the declaration order of
/// [`RecognitionAction`]. Status only: the date and opposition preconditions
/// of `protect` are checked separately. System transitions are never listed.
pub fn recognition_allowed_actions(from: RecognitionStatus) -> Vec<RecognitionAction> {
    RecognitionAction::ALL
        .iter()
        .copied()
        .filter(|&action| target(from, action).is_some())
        .collect()
}

/// Applies a system transition to a recognition in status `from`.
///
/// The GI-cancellation cascade should select only recognitions for which
/// [`RecognitionStatus::is_live`] holds; the tacit-protection sweep only
/// those for which [`RecognitionStatus::is_tacit_protection_eligible`] holds
/// (and re-check the status inside its transaction, so that several
/// instances sweeping at once each apply a transition at most once).
///
/// # Errors
/// [`InvalidTransition`] naming the current status; its `allowed_actions`
/// are the *system* actions allowed from it.
pub fn recognition_system_transition(
    from: RecognitionStatus,
    action: RecognitionSystemAction,
) -> Result<RecognitionStatus, InvalidTransition> {
    system_target(from, action).ok_or_else(|| InvalidTransition {
        entity: "recognition",
        status: from.as_str(),
        action: action.as_str(),
        allowed_actions: names(
            &recognition_allowed_system_actions(from),
            RecognitionSystemAction::as_str,
        ),
    })
}

/// The system transitions allowed from `from`, in declaration order.
pub fn recognition_allowed_system_actions(from: RecognitionStatus) -> Vec<RecognitionSystemAction> {
    RecognitionSystemAction::ALL
        .iter()
        .copied()
        .filter(|&action| system_target(from, action).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    use RecognitionAction as A;
    use RecognitionStatus as S;
    use RecognitionSystemAction as Sys;

    /// DESIGN §2, recognition table, user actions, written out row by row.
    const EXPECTED: &[(RecognitionStatus, RecognitionAction, RecognitionStatus)] = &[
        (S::Submitted, A::StartExamination, S::UnderExamination),
        (S::UnderExamination, A::Publish, S::Published),
        (S::Published, A::Protect, S::Protected),
        (S::Submitted, A::Refuse, S::Refused),
        (S::UnderExamination, A::Refuse, S::Refused),
        (S::Published, A::Refuse, S::Refused),
        (S::Refused, A::WithdrawRefusal, S::Protected),
        (S::Protected, A::Invalidate, S::Invalidated),
        (S::Refused, A::Appeal, S::UnderAppeal),
        (S::UnderAppeal, A::AppealAllowed, S::Protected),
        (S::UnderAppeal, A::AppealDismissed, S::Refused),
        (S::Submitted, A::Withdraw, S::Withdrawn),
        (S::UnderExamination, A::Withdraw, S::Withdrawn),
        (S::Published, A::Withdraw, S::Withdrawn),
        (S::Protected, A::Withdraw, S::Withdrawn),
    ];

    /// DESIGN §2, recognition table, system rows.
    const EXPECTED_SYSTEM: &[(
        RecognitionStatus,
        RecognitionSystemAction,
        RecognitionStatus,
    )] = &[
        (S::Submitted, Sys::CancelAtOrigin, S::CancelledAtOrigin),
        (
            S::UnderExamination,
            Sys::CancelAtOrigin,
            S::CancelledAtOrigin,
        ),
        (S::Published, Sys::CancelAtOrigin, S::CancelledAtOrigin),
        (S::Protected, Sys::CancelAtOrigin, S::CancelledAtOrigin),
        (S::Submitted, Sys::TacitProtection, S::Protected),
        (S::UnderExamination, Sys::TacitProtection, S::Protected),
    ];

    fn expected(from: RecognitionStatus, action: RecognitionAction) -> Option<RecognitionStatus> {
        EXPECTED
            .iter()
            .find(|(f, a, _)| *f == from && *a == action)
            .map(|(_, _, to)| *to)
    }

    fn expected_system(
        from: RecognitionStatus,
        action: RecognitionSystemAction,
    ) -> Option<RecognitionStatus> {
        EXPECTED_SYSTEM
            .iter()
            .find(|(f, a, _)| *f == from && *a == action)
            .map(|(_, _, to)| *to)
    }

    #[test]
    fn enums_list_every_variant() {
        assert_eq!(RecognitionStatus::ALL.len(), 9);
        assert_eq!(RecognitionAction::ALL.len(), 10);
        assert_eq!(RecognitionSystemAction::ALL.len(), 2);
    }

    #[test]
    fn every_status_action_pair_matches_the_design_table() {
        let mut allowed = 0;
        for &from in RecognitionStatus::ALL {
            for &action in RecognitionAction::ALL {
                match (expected(from, action), recognition_transition(from, action)) {
                    (Some(to), Ok(got)) => {
                        assert_eq!(got, to, "{from} --{action}-->");
                        allowed += 1;
                    }
                    (None, Err(err)) => {
                        assert_eq!(err.entity, "recognition");
                        assert_eq!(err.status, from.as_str());
                        assert_eq!(err.action, action.as_str());
                        let want: Vec<String> = RecognitionAction::ALL
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
    fn every_status_system_action_pair_matches_the_design_table() {
        let mut allowed = 0;
        for &from in RecognitionStatus::ALL {
            for &action in RecognitionSystemAction::ALL {
                match (
                    expected_system(from, action),
                    recognition_system_transition(from, action),
                ) {
                    (Some(to), Ok(got)) => {
                        assert_eq!(got, to, "{from} --{action}-->");
                        allowed += 1;
                    }
                    (None, Err(err)) => {
                        assert_eq!(err.status, from.as_str());
                        assert_eq!(err.action, action.as_str());
                        let want: Vec<String> = RecognitionSystemAction::ALL
                            .iter()
                            .filter(|&&a| expected_system(from, a).is_some())
                            .map(|a| a.as_str().to_owned())
                            .collect();
                        assert_eq!(err.allowed_actions, want, "{from} --{action}-->");
                    }
                    (want, got) => panic!("{from} --{action}--> expected {want:?}, got {got:?}"),
                }
            }
        }
        assert_eq!(allowed, EXPECTED_SYSTEM.len());
    }

    #[test]
    fn allowed_actions_per_status_in_stable_order() {
        let table: [(
            RecognitionStatus,
            &[RecognitionAction],
            &[RecognitionSystemAction],
        ); 9] = [
            (
                S::Submitted,
                &[A::StartExamination, A::Refuse, A::Withdraw],
                &[Sys::CancelAtOrigin, Sys::TacitProtection],
            ),
            (
                S::UnderExamination,
                &[A::Publish, A::Refuse, A::Withdraw],
                &[Sys::CancelAtOrigin, Sys::TacitProtection],
            ),
            (
                S::Published,
                &[A::Protect, A::Refuse, A::Withdraw],
                &[Sys::CancelAtOrigin],
            ),
            (
                S::Protected,
                &[A::Invalidate, A::Withdraw],
                &[Sys::CancelAtOrigin],
            ),
            (S::Refused, &[A::WithdrawRefusal, A::Appeal], &[]),
            (S::UnderAppeal, &[A::AppealAllowed, A::AppealDismissed], &[]),
            (S::Invalidated, &[], &[]),
            (S::Withdrawn, &[], &[]),
            (S::CancelledAtOrigin, &[], &[]),
        ];
        for (status, actions, system) in table {
            assert_eq!(recognition_allowed_actions(status), actions, "{status}");
            assert_eq!(
                recognition_allowed_system_actions(status),
                system,
                "{status}"
            );
        }
    }

    #[test]
    fn refused_is_not_live_and_cannot_be_withdrawn_or_cancelled_at_origin() {
        assert!(!S::Refused.is_live());
        assert!(!S::Refused.is_terminal());
        let err = recognition_transition(S::Refused, A::Withdraw).unwrap_err();
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({
                "status": "refused",
                "action": "withdraw",
                "allowed_actions": ["withdraw_refusal", "appeal"]
            })
        );
        assert!(recognition_system_transition(S::Refused, Sys::CancelAtOrigin).is_err());
    }

    #[test]
    fn withdraw_and_cancel_at_origin_follow_is_live() {
        for &status in RecognitionStatus::ALL {
            assert_eq!(
                recognition_transition(status, A::Withdraw).is_ok(),
                status.is_live(),
                "{status}"
            );
            assert_eq!(
                recognition_system_transition(status, Sys::CancelAtOrigin).is_ok(),
                status.is_live(),
                "{status}"
            );
        }
    }

    #[test]
    fn terminal_statuses_allow_nothing() {
        for &status in RecognitionStatus::ALL {
            let nothing = recognition_allowed_actions(status).is_empty()
                && recognition_allowed_system_actions(status).is_empty();
            assert_eq!(nothing, status.is_terminal(), "{status}");
        }
    }

    #[test]
    fn status_predicates() {
        // (status, live, terminal, protected, awaits partner, tacit eligible, oppositions)
        let table = [
            (S::Submitted, true, false, false, true, true, false),
            (S::UnderExamination, true, false, false, true, true, false),
            (S::Published, true, false, false, true, false, true),
            (S::Protected, true, false, true, false, false, false),
            (S::Refused, false, false, false, false, false, false),
            (S::UnderAppeal, false, false, false, false, false, false),
            (S::Invalidated, false, true, false, false, false, false),
            (S::Withdrawn, false, true, false, false, false, false),
            (
                S::CancelledAtOrigin,
                false,
                true,
                false,
                false,
                false,
                false,
            ),
        ];
        assert_eq!(table.len(), RecognitionStatus::ALL.len());
        for (s, live, terminal, protected, awaits, tacit, opp) in table {
            assert_eq!(s.is_live(), live, "{s}");
            assert_eq!(s.is_terminal(), terminal, "{s}");
            assert_eq!(s.is_protected(), protected, "{s}");
            assert_eq!(s.awaits_partner_decision(), awaits, "{s}");
            assert_eq!(s.is_tacit_protection_eligible(), tacit, "{s}");
            assert_eq!(s.accepts_oppositions(), opp, "{s}");
        }
        assert_eq!(RecognitionStatus::INITIAL, S::Submitted);
    }

    #[test]
    fn grounds_required_for_refuse_and_invalidate_only() {
        let table = [
            (A::StartExamination, false),
            (A::Publish, false),
            (A::Protect, false),
            (A::Refuse, true),
            (A::WithdrawRefusal, false),
            (A::Invalidate, true),
            (A::Withdraw, false),
            (A::Appeal, true),
            (A::AppealAllowed, false),
            (A::AppealDismissed, true),
        ];
        assert_eq!(table.len(), RecognitionAction::ALL.len());
        for (action, required) in table {
            assert_eq!(action.requires_grounds(), required, "{action}");
        }
        for &action in RecognitionSystemAction::ALL {
            assert!(!action.requires_grounds(), "{action}");
        }
    }

    #[test]
    fn only_decisions_that_protect_or_invalidate_may_leave_names_out() {
        let table = [
            (A::StartExamination, false),
            (A::Publish, false),
            (A::Protect, true),
            (A::Refuse, false),
            (A::WithdrawRefusal, true),
            (A::Invalidate, true),
            (A::Withdraw, false),
            (A::Appeal, false),
            (A::AppealAllowed, true),
            (A::AppealDismissed, false),
        ];
        assert_eq!(table.len(), RecognitionAction::ALL.len());
        for (action, per_name) in table {
            assert_eq!(action.decides_per_name(), per_name, "{action}");
        }
    }

    #[test]
    fn actors_per_action() {
        let table = [
            (A::StartExamination, ActorKind::PartnerExaminer),
            (A::Publish, ActorKind::PartnerExaminer),
            (A::Protect, ActorKind::PartnerExaminer),
            (A::Refuse, ActorKind::PartnerExaminer),
            (A::WithdrawRefusal, ActorKind::PartnerExaminer),
            (A::Invalidate, ActorKind::PartnerExaminer),
            (A::Withdraw, ActorKind::OriginExaminer),
            (A::Appeal, ActorKind::ApplicantOrOriginExaminer),
            (A::AppealAllowed, ActorKind::PartnerExaminer),
            (A::AppealDismissed, ActorKind::PartnerExaminer),
        ];
        assert_eq!(table.len(), RecognitionAction::ALL.len());
        for (action, actor) in table {
            assert_eq!(recognition_action_actor(action), actor, "{action}");
            assert_eq!(action.actor(), actor, "{action}");
            // Only an appeal is the association's to lodge.
            assert_eq!(actor.allows_applicant(), action == A::Appeal, "{action}");
        }
        for &action in RecognitionSystemAction::ALL {
            assert_eq!(action.actor(), ActorKind::System);
        }
        assert_eq!(RECOGNITION_SUBMIT_ACTOR, ActorKind::OriginExaminer);
    }

    #[test]
    fn wire_strings() {
        let statuses = [
            (S::Submitted, "submitted"),
            (S::UnderExamination, "under_examination"),
            (S::Published, "published"),
            (S::Protected, "protected"),
            (S::Refused, "refused"),
            (S::Invalidated, "invalidated"),
            (S::Withdrawn, "withdrawn"),
            (S::CancelledAtOrigin, "cancelled_at_origin"),
            (S::UnderAppeal, "under_appeal"),
        ];
        assert_eq!(statuses.len(), RecognitionStatus::ALL.len());
        for (status, text) in statuses {
            assert_eq!(status.as_str(), text);
            assert_eq!(status.to_string(), text);
            assert_eq!(RecognitionStatus::from_str(text), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<RecognitionStatus>(serde_json::json!(text)).unwrap(),
                status
            );
        }
        let actions = [
            (A::StartExamination, "start_examination"),
            (A::Publish, "publish"),
            (A::Protect, "protect"),
            (A::Refuse, "refuse"),
            (A::WithdrawRefusal, "withdraw_refusal"),
            (A::Invalidate, "invalidate"),
            (A::Withdraw, "withdraw"),
            (A::Appeal, "appeal"),
            (A::AppealAllowed, "appeal_allowed"),
            (A::AppealDismissed, "appeal_dismissed"),
        ];
        assert_eq!(actions.len(), RecognitionAction::ALL.len());
        for (action, text) in actions {
            assert_eq!(action.as_str(), text);
            assert_eq!(text.parse::<RecognitionAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<RecognitionAction>(serde_json::json!(text)).unwrap(),
                action
            );
        }
        let system = [
            (Sys::CancelAtOrigin, "cancel_at_origin"),
            (Sys::TacitProtection, "tacit_protection"),
        ];
        for (action, text) in system {
            assert_eq!(action.as_str(), text);
            assert_eq!(text.parse::<RecognitionSystemAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), text);
        }
    }

    #[test]
    fn requests_cannot_name_system_actions() {
        for text in ["cancel_at_origin", "tacit_protection", "submit", "Protect"] {
            let err = text.parse::<RecognitionAction>().unwrap_err();
            assert_eq!(err.value, text);
            assert_eq!(err.kind, "recognition action");
            assert!(err.to_string().contains(&format!("`{text}`")), "{err}");
            assert!(
                serde_json::from_value::<RecognitionAction>(serde_json::json!(text)).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn paths_through_the_lifecycle() {
        let mut s = RecognitionStatus::INITIAL;
        for a in [
            A::StartExamination,
            A::Publish,
            A::Refuse,
            A::WithdrawRefusal,
        ] {
            s = recognition_transition(s, a).unwrap();
        }
        assert_eq!(s, S::Protected);
        let s = recognition_system_transition(s, Sys::CancelAtOrigin).unwrap();
        assert_eq!(s, S::CancelledAtOrigin);
        let tacit = recognition_system_transition(S::UnderExamination, Sys::TacitProtection);
        assert_eq!(tacit, Ok(S::Protected));
        assert!(recognition_system_transition(S::Published, Sys::TacitProtection).is_err());
    }
}
