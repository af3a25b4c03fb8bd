//! Lifecycle of an opposition against a published GI (home phase) or a
//! published recognition (partner phase), DESIGN §1 and §2.
//!
//! | from | action | to | who |
//! |---|---|---|---|
//! | — | file | `pending` | anyone who may file oppositions, on or before the deadline |
//! | `pending` | `uphold` | `upheld` | examiner of the deciding office (grounds) |
//! | `pending` | `reject` | `rejected` | examiner of the deciding office (grounds) |
//! | `pending` | `withdraw` | `withdrawn` | the filer, or an examiner of the deciding office |
//! | `pending` | `settle` | `settled` | examiner of the deciding office (earlier right and terms) |
//!
//! The deciding office is the GI's origin office for an opposition against a
//! GI and the recognition's partner office for one against a recognition.
//! An upheld opposition refuses its target ([`OppositionAction::refuses_target`]);
//! a rejected, withdrawn or settled one lets the proceeding go on (a settlement by
//! coexistence lists the earlier right among those the protection coexists with). A pending
//! opposition blocks `register` / `protect` ([`OppositionStatus::is_pending`]).

use super::gi_status::GiAction;
use super::recognition_status::RecognitionAction;
use super::transition::{names, string_enum, InvalidTransition};

string_enum! {
    /// Status of an opposition.
    #[derive(utoipa::ToSchema)]
    pub enum OppositionStatus: "opposition status" {
        /// Filed, awaiting decision; blocks registration / protection.
        Pending => "pending",
        /// Upheld: the target is refused (terminal).
        Upheld => "upheld",
        /// Rejected: the proceeding goes on (terminal).
        Rejected => "rejected",
        /// Withdrawn by the opponent (terminal).
        Withdrawn => "withdrawn",
        /// Settled by coexistence with the opponent's earlier right (terminal): the
        /// proceeding goes on.
        Settled => "settled",
    }
}

string_enum! {
    /// An action on an opposition, as sent by `POST` to
    /// `/api/v1/oppositions/{id}/actions`. Filing is not an action.
    #[derive(utoipa::ToSchema)]
    pub enum OppositionAction: "opposition action" {
        /// `pending` → `upheld`.
        Uphold => "uphold",
        /// `pending` → `rejected`.
        Reject => "reject",
        /// `pending` → `withdrawn`.
        Withdraw => "withdraw",
        /// `pending` → `settled`: coexistence with an earlier right, on stated terms.
        Settle => "settle",
    }
}

string_enum! {
    /// Who may take an opposition action. Data for the permission layer.
    pub enum OppositionActor: "opposition actor" {
        /// An examiner of the deciding office (origin office for a GI,
        /// partner office for a recognition).
        DecidingExaminer => "deciding_examiner",
        /// The user who filed the opposition, or an examiner of the deciding
        /// office.
        FilerOrDecidingExaminer => "filer_or_deciding_examiner",
    }
}

impl OppositionStatus {
    /// The status an opposition is filed in.
    pub const INITIAL: OppositionStatus = OppositionStatus::Pending;

    /// Awaiting decision (`pending`): blocks registration / protection.
    pub const fn is_pending(self) -> bool {
        matches!(self, OppositionStatus::Pending)
    }

    /// Decided or withdrawn: no action leaves this status.
    pub const fn is_terminal(self) -> bool {
        !self.is_pending()
    }
}

impl OppositionAction {
    /// `grounds` (the opposition's `decision_grounds`) must be given:
    /// `uphold` and `reject`; optional for `withdraw`.
    pub const fn requires_grounds(self) -> bool {
        matches!(self, OppositionAction::Uphold | OppositionAction::Reject)
    }

    /// Who may take the action.
    pub const fn actor(self) -> OppositionActor {
        match self {
            OppositionAction::Uphold | OppositionAction::Reject | OppositionAction::Settle => {
                OppositionActor::DecidingExaminer
            }
            OppositionAction::Withdraw => OppositionActor::FilerOrDecidingExaminer,
        }
    }

    /// The action refuses the GI or recognition it targets (`uphold`).
    pub const fn refuses_target(self) -> bool {
        matches!(self, OppositionAction::Uphold)
    }

    /// The GI action to apply to a GI target in the same transaction, if any
    /// (`uphold` → [`GiAction::Refuse`]).
    pub const fn gi_consequence(self) -> Option<GiAction> {
        if self.refuses_target() {
            Some(GiAction::Refuse)
        } else {
            None
        }
    }

    /// The recognition action to apply to a recognition target in the same
    /// transaction, if any (`uphold` → [`RecognitionAction::Refuse`]).
    pub const fn recognition_consequence(self) -> Option<RecognitionAction> {
        if self.refuses_target() {
            Some(RecognitionAction::Refuse)
        } else {
            None
        }
    }
}

const fn target(from: OppositionStatus, action: OppositionAction) -> Option<OppositionStatus> {
    match (from, action) {
        (OppositionStatus::Pending, OppositionAction::Uphold) => Some(OppositionStatus::Upheld),
        (OppositionStatus::Pending, OppositionAction::Reject) => Some(OppositionStatus::Rejected),
        (OppositionStatus::Pending, OppositionAction::Withdraw) => {
            Some(OppositionStatus::Withdrawn)
        }
        (OppositionStatus::Pending, OppositionAction::Settle) => Some(OppositionStatus::Settled),
        _ => None,
    }
}

/// Applies `action` to an opposition in status `from` (only `pending` moves).
///
/// # Errors
/// [`InvalidTransition`] naming the current status and the allowed actions.
pub fn opposition_transition(
    from: OppositionStatus,
    action: OppositionAction,
) -> Result<OppositionStatus, InvalidTransition> {
    target(from, action).ok_or_else(|| InvalidTransition {
        entity: "opposition",
        status: from.as_str(),
        action: action.as_str(),
        allowed_actions: names(&opposition_allowed_actions(from), OppositionAction::as_str),
    })
}

/// The actions allowed from `from`, in declaration order.
pub fn opposition_allowed_actions(from: OppositionStatus) -> Vec<OppositionAction> {
    OppositionAction::ALL
        .iter()
        .copied()
        .filter(|&action| target(from, action).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use OppositionAction as A;
    use OppositionStatus as S;

    const EXPECTED: &[(OppositionStatus, OppositionAction, OppositionStatus)] = &[
        (S::Pending, A::Uphold, S::Upheld),
        (S::Pending, A::Reject, S::Rejected),
        (S::Pending, A::Withdraw, S::Withdrawn),
        (S::Pending, A::Settle, S::Settled),
    ];

    fn expected(from: OppositionStatus, action: OppositionAction) -> Option<OppositionStatus> {
        EXPECTED
            .iter()
            .find(|(f, a, _)| *f == from && *a == action)
            .map(|(_, _, to)| *to)
    }

    #[test]
    fn every_status_action_pair_matches_the_table() {
        assert_eq!(OppositionStatus::ALL.len(), 5);
        assert_eq!(OppositionAction::ALL.len(), 4);
        let mut allowed = 0;
        for &from in OppositionStatus::ALL {
            for &action in OppositionAction::ALL {
                match (expected(from, action), opposition_transition(from, action)) {
                    (Some(to), Ok(got)) => {
                        assert_eq!(got, to, "{from} --{action}-->");
                        allowed += 1;
                    }
                    (None, Err(err)) => {
                        assert_eq!(err.entity, "opposition");
                        assert_eq!(err.status, from.as_str());
                        assert_eq!(err.action, action.as_str());
                        assert!(err.allowed_actions.is_empty(), "{from} --{action}-->");
                    }
                    (want, got) => panic!("{from} --{action}--> expected {want:?}, got {got:?}"),
                }
            }
        }
        assert_eq!(allowed, EXPECTED.len());
    }

    #[test]
    fn allowed_actions_per_status() {
        let table: [(OppositionStatus, &[OppositionAction]); 5] = [
            (S::Pending, &[A::Uphold, A::Reject, A::Withdraw, A::Settle]),
            (S::Settled, &[]),
            (S::Upheld, &[]),
            (S::Rejected, &[]),
            (S::Withdrawn, &[]),
        ];
        for (status, actions) in table {
            assert_eq!(opposition_allowed_actions(status), actions, "{status}");
            assert_eq!(status.is_terminal(), actions.is_empty(), "{status}");
            assert_eq!(status.is_pending(), !actions.is_empty(), "{status}");
        }
        assert_eq!(OppositionStatus::INITIAL, S::Pending);
    }

    #[test]
    fn decided_opposition_gives_409_details() {
        let err = opposition_transition(S::Rejected, A::Uphold).unwrap_err();
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"status": "rejected", "action": "uphold", "allowed_actions": []})
        );
    }

    #[test]
    fn grounds_actors_and_consequences() {
        // (action, grounds required, actor, refuses target)
        let table = [
            (A::Uphold, true, OppositionActor::DecidingExaminer, true),
            (A::Reject, true, OppositionActor::DecidingExaminer, false),
            (
                A::Withdraw,
                false,
                OppositionActor::FilerOrDecidingExaminer,
                false,
            ),
            (A::Settle, false, OppositionActor::DecidingExaminer, false),
        ];
        assert_eq!(table.len(), OppositionAction::ALL.len());
        for (action, grounds, actor, refuses) in table {
            assert_eq!(action.requires_grounds(), grounds, "{action}");
            assert_eq!(action.actor(), actor, "{action}");
            assert_eq!(action.refuses_target(), refuses, "{action}");
            assert_eq!(
                action.gi_consequence(),
                refuses.then_some(GiAction::Refuse),
                "{action}"
            );
            assert_eq!(
                action.recognition_consequence(),
                refuses.then_some(RecognitionAction::Refuse),
                "{action}"
            );
        }
    }

    #[test]
    fn upholding_refuses_a_published_target() {
        use super::super::gi_status::{gi_transition, GiStatus};
        use super::super::recognition_status::{recognition_transition, RecognitionStatus};
        let gi_action = A::Uphold.gi_consequence().unwrap();
        assert_eq!(
            gi_transition(GiStatus::Published, gi_action),
            Ok(GiStatus::Refused)
        );
        let rec_action = A::Uphold.recognition_consequence().unwrap();
        assert_eq!(
            recognition_transition(RecognitionStatus::Published, rec_action),
            Ok(RecognitionStatus::Refused)
        );
    }

    #[test]
    fn wire_strings() {
        let statuses = [
            (S::Pending, "pending"),
            (S::Upheld, "upheld"),
            (S::Rejected, "rejected"),
            (S::Withdrawn, "withdrawn"),
            (S::Settled, "settled"),
        ];
        for (status, text) in statuses {
            assert_eq!(status.as_str(), text);
            assert_eq!(text.parse::<OppositionStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<OppositionStatus>(serde_json::json!(text)).unwrap(),
                status
            );
        }
        let actions = [
            (A::Uphold, "uphold"),
            (A::Reject, "reject"),
            (A::Withdraw, "withdraw"),
            (A::Settle, "settle"),
        ];
        for (action, text) in actions {
            assert_eq!(action.as_str(), text);
            assert_eq!(text.parse::<OppositionAction>(), Ok(action));
            assert_eq!(serde_json::to_value(action).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<OppositionAction>(serde_json::json!(text)).unwrap(),
                action
            );
        }
        assert_eq!(
            OppositionActor::FilerOrDecidingExaminer.as_str(),
            "filer_or_deciding_examiner"
        );
        let err = "approve".parse::<OppositionAction>().unwrap_err();
        assert_eq!(err.value, "approve");
        assert_eq!(
            err.to_string(),
            "unknown opposition action `approve` (expected one of: uphold, reject, withdraw, settle)"
        );
    }
}
