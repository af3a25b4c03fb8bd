//! Which kinds of write a role may attempt at all, decided before a request body is
//! read: a caller who may never write a resource gets 403 whatever it sends, and learns
//! nothing of the body's rules (issue 8, item 9). The answer is derived from
//! `permissions::authorize` itself, asked with the most favourable facts, so the two
//! cannot disagree: when `may_attempt` says no, every concrete action of that kind is
//! refused too. On routes that name a record, `may_attempt_on` asks the same question
//! with the record's own facts (its offices and association), read before the body:
//! an examiner of another office learns nothing either.

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
    /// An office's generic terms and earlier trademarks.
    OfficeLists,
    Associations,
    Users,
    /// An act in proceedings taken as one of these kinds of actor (which one may depend
    /// on the body, e.g. the lifecycle action named).
    Act(&'static [ActorKind]),
    FileOpposition,
    /// Uphold or reject (the deciding examiner) or withdraw (the filer).
    DecideOpposition,
    /// A webhook subscription of the caller's office or association.
    Subscriptions,
}

/// Whoever may take some GI lifecycle action (which one the body names).
pub const GI_ACTORS: &[ActorKind] = &[
    ActorKind::ApplicantOrOriginExaminer,
    ActorKind::OriginExaminer,
];

/// The origin's and the partner's examiners: who act in a recognition's proceedings
/// (attach its documents).
pub const RECOGNITION_ACTORS: &[ActorKind] =
    &[ActorKind::OriginExaminer, ActorKind::PartnerExaminer];

/// Whoever may take some recognition action (which one the body names): the examiners,
/// and the GI's association, which may appeal a refusal.
pub const RECOGNITION_ACTION_ACTORS: &[ActorKind] = &[
    ActorKind::ApplicantOrOriginExaminer,
    ActorKind::OriginExaminer,
    ActorKind::PartnerExaminer,
];

/// The facts of the record a write names, as read before its body is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The GI's origin office; for an association, the office it belongs to.
    pub origin_office_id: i64,
    /// The association that applied for the GI.
    pub association_id: Option<i64>,
    /// In the partner phase (a recognition, or an opposition in one), the partner.
    pub partner_office_id: Option<i64>,
    /// For an opposition: the association that filed it.
    pub filed_by_association_id: Option<i64>,
}

impl Target {
    /// The office that decides in this proceeding: the partner in the partner phase.
    fn deciding_office_id(&self) -> i64 {
        self.partner_office_id.unwrap_or(self.origin_office_id)
    }
}

const OFFICE: i64 = 1;
const ASSOCIATION: i64 = 1;

/// Records whose facts favour the caller as much as facts can: one of the caller's own
/// association and office, and one of nobody's (an association opposes another's GI; an
/// examiner withdraws an opposition recorded on an opponent's behalf).
const FAVOURABLE: [Target; 2] = [
    Target {
        origin_office_id: OFFICE,
        association_id: Some(ASSOCIATION),
        partner_office_id: Some(OFFICE),
        filed_by_association_id: Some(ASSOCIATION),
    },
    Target {
        origin_office_id: OFFICE,
        association_id: None,
        partner_office_id: Some(OFFICE),
        filed_by_association_id: None,
    },
];

impl Write {
    /// The actions of this kind on `target`.
    fn candidates(self, target: &Target) -> Vec<Action> {
        let act = |who| Action::Act {
            who,
            origin_office_id: target.origin_office_id,
            association_id: target.association_id,
            partner_office_id: target.partner_office_id,
        };
        match self {
            Write::Offices => vec![Action::ManageOffices],
            Write::Programmes => vec![Action::ManageProgrammes],
            Write::Calendar => vec![Action::ManageCalendar {
                office_id: target.origin_office_id,
            }],
            Write::OfficeLists => vec![Action::ManageOfficeLists {
                office_id: target.origin_office_id,
            }],
            Write::Associations => vec![Action::ManageAssociation {
                office_id: target.origin_office_id,
            }],
            Write::Users => Role::ALL
                .iter()
                .map(|&role| Action::ManageUser {
                    role,
                    office_id: Some(target.origin_office_id),
                })
                .collect(),
            Write::Act(kinds) => kinds.iter().map(|&who| act(who)).collect(),
            Write::FileOpposition => vec![Action::FileOpposition {
                deciding_office_id: target.deciding_office_id(),
                applicant_association_id: target.association_id,
            }],
            Write::Subscriptions => vec![
                Action::ManageSubscription {
                    office_id: Some(target.origin_office_id),
                    association_id: None,
                },
                Action::ManageSubscription {
                    office_id: None,
                    association_id: target.association_id,
                },
            ],
            Write::DecideOpposition => vec![
                Action::WithdrawOpposition {
                    filed_by_association_id: target.filed_by_association_id,
                    deciding_office_id: target.deciding_office_id(),
                },
                act(match target.partner_office_id {
                    Some(_) => ActorKind::PartnerExaminer,
                    None => ActorKind::OriginExaminer,
                }),
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
    FAVOURABLE
        .iter()
        .any(|target| may_attempt_on(&favourable, write, target))
}

/// Whether `actor` could be allowed some write of this kind on the record `target`
/// (which write exactly, the body says).
pub fn may_attempt_on(actor: &Actor, write: Write, target: &Target) -> bool {
    write
        .candidates(target)
        .into_iter()
        .any(|action| authorize(Some(actor), action).is_ok())
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
        let cases: [(Write, &[Role]); 14] = [
            (Write::Subscriptions, &[Admin, OfficeAdmin, Association]),
            (Write::OfficeLists, &[Admin, OfficeAdmin, Examiner]),
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
        use crate::gi_status::{gi_action_actor, GiAction};
        use crate::recognition_status::{recognition_action_actor, RecognitionAction};
        for &action in GiAction::ALL {
            assert!(GI_ACTORS.contains(&gi_action_actor(action)), "{action:?}");
        }
        for &action in RecognitionAction::ALL {
            let actor = recognition_action_actor(action);
            assert!(RECOGNITION_ACTION_ACTORS.contains(&actor), "{action:?}");
        }
    }

    fn examiner(office_id: i64) -> Actor {
        Actor {
            user_id: 9,
            role: Examiner,
            office_id: Some(office_id),
            association_id: None,
        }
    }

    fn association(association_id: i64) -> Actor {
        Actor {
            user_id: 9,
            role: Association,
            office_id: None,
            association_id: Some(association_id),
        }
    }

    const CNIPA: i64 = 10;
    const DIP: i64 = 20;
    const LONGJING: i64 = 7;

    fn home_gi() -> Target {
        Target {
            origin_office_id: CNIPA,
            association_id: Some(LONGJING),
            partner_office_id: None,
            filed_by_association_id: None,
        }
    }

    fn in_thailand() -> Target {
        Target {
            partner_office_id: Some(DIP),
            ..home_gi()
        }
    }

    #[test]
    fn a_record_of_another_office_or_association_is_refused_before_its_body() {
        let gi = home_gi();
        assert!(may_attempt_on(&examiner(CNIPA), Write::Act(GI_ACTORS), &gi));
        assert!(!may_attempt_on(&examiner(DIP), Write::Act(GI_ACTORS), &gi));
        assert!(may_attempt_on(
            &association(LONGJING),
            Write::Act(GI_ACTORS),
            &gi
        ));
        assert!(!may_attempt_on(
            &association(LONGJING + 1),
            Write::Act(GI_ACTORS),
            &gi
        ));
        let recognition = in_thailand();
        for office in [CNIPA, DIP] {
            let act = Write::Act(RECOGNITION_ACTORS);
            assert!(may_attempt_on(&examiner(office), act, &recognition));
        }
        assert!(!may_attempt_on(
            &examiner(30),
            Write::Act(RECOGNITION_ACTORS),
            &recognition
        ));
        let association_of = |office_id| Target {
            origin_office_id: office_id,
            association_id: None,
            partner_office_id: None,
            filed_by_association_id: None,
        };
        let office_admin = Actor {
            role: OfficeAdmin,
            ..examiner(CNIPA)
        };
        assert!(may_attempt_on(
            &office_admin,
            Write::Associations,
            &association_of(CNIPA)
        ));
        assert!(!may_attempt_on(
            &office_admin,
            Write::Associations,
            &association_of(DIP)
        ));
    }

    #[test]
    fn oppositions_are_decided_by_the_deciding_office_and_withdrawn_by_their_filer() {
        let opposition = Target {
            filed_by_association_id: Some(LONGJING + 1),
            ..in_thailand()
        };
        let decide = Write::DecideOpposition;
        assert!(may_attempt_on(&examiner(DIP), decide, &opposition));
        assert!(!may_attempt_on(&examiner(CNIPA), decide, &opposition));
        assert!(may_attempt_on(
            &association(LONGJING + 1),
            decide,
            &opposition
        ));
        assert!(!may_attempt_on(&association(LONGJING), decide, &opposition));
        let at_home = Target {
            filed_by_association_id: Some(LONGJING + 1),
            ..home_gi()
        };
        assert!(may_attempt_on(&examiner(CNIPA), decide, &at_home));
        assert!(!may_attempt_on(&examiner(DIP), decide, &at_home));
        // Any association may oppose; only the deciding office's examiners file for one.
        let file = Write::FileOpposition;
        assert!(may_attempt_on(&association(99), file, &opposition));
        assert!(may_attempt_on(&examiner(DIP), file, &opposition));
        assert!(!may_attempt_on(&examiner(CNIPA), file, &opposition));
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
