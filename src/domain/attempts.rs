//! Which kinds of write a role may attempt at all, decided before a request body is
//! read: a caller who may never write a resource gets 403 whatever it sends, and learns
//! nothing of the body's rules (issue 8, item 9). The answer is derived from
//! `permissions::authorize` itself, asked with the most favourable facts, so the two
//! cannot disagree: when `may_attempt` says no, every concrete action of that kind is
//! refused too.

use super::permissions::{authorize, Action};
use super::role::{Actor, Role};
use super::transition::ActorKind;

/// A kind of write, as a route knows it before reading the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    Offices,
    Programmes,
    /// An office's holidays.
    Calendar,
    Associations,
    Users,
    /// An act in proceedings taken as one of these kinds of actor (which one may depend
    /// on the body, e.g. the lifecycle action named).
    Act(&'static [ActorKind]),
    FileOpposition,
    /// Uphold or reject (the deciding examiner) or withdraw (the filer).
    DecideOpposition,
}

/// Whoever may take some GI lifecycle action (which one the body names).
pub const GI_ACTORS: &[ActorKind] = &[
    ActorKind::ApplicantOrOriginExaminer,
    ActorKind::OriginExaminer,
];

/// Whoever may take some recognition action (which one the body names).
pub const RECOGNITION_ACTORS: &[ActorKind] =
    &[ActorKind::OriginExaminer, ActorKind::PartnerExaminer];

const OFFICE: i64 = 1;
const ASSOCIATION: i64 = 1;

impl Write {
    /// The actions of this kind, with facts as favourable to the caller as can be.
    fn candidates(self) -> Vec<Action> {
        let act = |who| Action::Act {
            who,
            origin_office_id: OFFICE,
            association_id: Some(ASSOCIATION),
            partner_office_id: Some(OFFICE),
        };
        match self {
            Write::Offices => vec![Action::ManageOffices],
            Write::Programmes => vec![Action::ManageProgrammes],
            Write::Calendar => vec![Action::ManageCalendar { office_id: OFFICE }],
            Write::Associations => vec![Action::ManageAssociation { office_id: OFFICE }],
            Write::Users => Role::ALL
                .iter()
                .map(|&role| Action::ManageUser {
                    role,
                    office_id: Some(OFFICE),
                })
                .collect(),
            Write::Act(kinds) => kinds.iter().map(|&who| act(who)).collect(),
            Write::FileOpposition => vec![Action::FileOpposition {
                deciding_office_id: OFFICE,
            }],
            Write::DecideOpposition => vec![
                Action::WithdrawOpposition {
                    filed_by_association_id: Some(ASSOCIATION),
                    deciding_office_id: OFFICE,
                },
                act(ActorKind::OriginExaminer),
                act(ActorKind::PartnerExaminer),
            ],
        }
    }
}

/// Whether some caller of `role` could be allowed a write of this kind.
pub fn may_attempt(role: Role, write: Write) -> bool {
    let favourable = Actor {
        user_id: 0,
        role,
        office_id: Some(OFFICE),
        association_id: Some(ASSOCIATION),
    };
    write
        .candidates()
        .into_iter()
        .any(|action| authorize(Some(&favourable), action).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn roles(write: Write) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|&role| may_attempt(role, write))
            .collect()
    }

    #[test]
    fn who_may_attempt_each_kind_of_write() {
        use ActorKind::*;
        let cases: [(Write, &[Role]); 12] = [
            (Write::Offices, &[Admin]),
            (Write::Calendar, &[Admin, OfficeAdmin]),
            (Write::Programmes, &[Admin]),
            (Write::Associations, &[Admin, OfficeAdmin]),
            (Write::Users, &[Admin, OfficeAdmin]),
            (
                Write::Act(&[ApplicantOrOriginExaminer]),
                &[OfficeAdmin, Examiner, Association],
            ),
            (Write::Act(&[OriginExaminer]), &[OfficeAdmin, Examiner]),
            (Write::Act(&[System]), &[]),
            (Write::Act(GI_ACTORS), &[OfficeAdmin, Examiner, Association]),
            (Write::Act(RECOGNITION_ACTORS), &[OfficeAdmin, Examiner]),
            (Write::FileOpposition, &[OfficeAdmin, Examiner, Association]),
            (
                Write::DecideOpposition,
                &[OfficeAdmin, Examiner, Association],
            ),
        ];
        for (write, expected) in cases {
            assert_eq!(roles(write), expected, "{write:?}");
        }
    }

    #[test]
    fn the_action_lists_hold_every_actions_actor() {
        use crate::domain::gi_status::{gi_action_actor, GiAction};
        use crate::domain::recognition_status::{recognition_action_actor, RecognitionAction};
        for &action in GiAction::ALL {
            assert!(GI_ACTORS.contains(&gi_action_actor(action)), "{action:?}");
        }
        for &action in RecognitionAction::ALL {
            let actor = recognition_action_actor(action);
            assert!(RECOGNITION_ACTORS.contains(&actor), "{action:?}");
        }
    }

    #[test]
    fn auditors_attempt_no_write() {
        for write in [
            Write::Offices,
            Write::Programmes,
            Write::Associations,
            Write::Users,
            Write::Act(ActorKind::ALL),
            Write::FileOpposition,
            Write::DecideOpposition,
        ] {
            assert!(!may_attempt(Auditor, write), "{write:?}");
        }
    }
}
