//! Who may do what (DESIGN §3). Every handler asks `authorize` before it acts; nothing
//! else in the code decides permissions.

use super::role::{Actor, Role};
use super::transition::ActorKind;

/// Something a caller wants to do, with the facts the decision depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create or amend an office.
    ManageOffices,
    /// Create or amend a mutual-recognition programme.
    ManageProgrammes,
    /// Set the holidays of `office_id`.
    ManageCalendar { office_id: i64 },
    /// Create or amend an association of `office_id`.
    ManageAssociation { office_id: i64 },
    /// Keep the generic terms and earlier trademarks of `office_id` (its examiners and
    /// office administrators).
    ManageOfficeLists { office_id: i64 },
    /// Read a user account that belongs to `office_id` (None: admins and auditors).
    ReadUser { office_id: Option<i64> },
    /// Create, amend or deactivate a user with `role` in `office_id`. Amending checks
    /// the account both as it is and as it would become.
    ManageUser { role: Role, office_id: Option<i64> },
    /// Read the audit log and verify its chain.
    ReadAuditLog,
    /// Make or cancel a webhook subscription of an office (its office administrator, for
    /// its partner systems) or of an association (its users, for its own GIs).
    ManageSubscription {
        office_id: Option<i64>,
        association_id: Option<i64>,
    },
    /// Read such a subscription and its delivery log (its owner, auditors, admins).
    ReadSubscription {
        office_id: Option<i64>,
        association_id: Option<i64>,
    },
    /// Act in a GI's proceedings as `who` says may: apply for and edit a draft, take a
    /// lifecycle action, propose or decide an amendment, decide an opposition. The GI
    /// comes from `origin_office_id`, applied for by `association_id`; in the partner
    /// phase `partner_office_id` is the office deciding.
    Act {
        who: ActorKind,
        origin_office_id: i64,
        association_id: Option<i64>,
        partner_office_id: Option<i64>,
    },
    /// File an opposition in a proceeding that `deciding_office_id` decides, of a GI
    /// applied for by `applicant_association_id`: any other association (as opponent;
    /// an association has no standing against its own GI), or an examiner of that office
    /// on an opponent's behalf.
    FileOpposition {
        deciding_office_id: i64,
        applicant_association_id: Option<i64>,
    },
    /// Withdraw an opposition: only the association that filed it; an examiner of the
    /// deciding office records the withdrawal of an opposition it recorded on a named
    /// opponent's behalf (none filed by an association).
    WithdrawOpposition {
        filed_by_association_id: Option<i64>,
        deciding_office_id: i64,
    },
}

/// Which drafts a reader may see, besides every GI that is not a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftScope {
    All,
    None,
    OfOffice(i64),
    OfAssociation(i64),
}

/// Drafts are seen by their association, their origin office, auditors and admins.
pub fn draft_scope(actor: Option<&Actor>) -> DraftScope {
    match actor {
        None => DraftScope::None,
        Some(actor) => match actor.role {
            Role::Admin | Role::Auditor => DraftScope::All,
            Role::OfficeAdmin | Role::Examiner => actor
                .office_id
                .map_or(DraftScope::None, DraftScope::OfOffice),
            Role::Association => actor
                .association_id
                .map_or(DraftScope::None, DraftScope::OfAssociation),
        },
    }
}

pub fn can_see_draft(
    actor: Option<&Actor>,
    origin_office_id: i64,
    association_id: Option<i64>,
) -> bool {
    match draft_scope(actor) {
        DraftScope::All => true,
        DraftScope::None => false,
        DraftScope::OfOffice(office) => office == origin_office_id,
        DraftScope::OfAssociation(association) => Some(association) == association_id,
    }
}

/// An examiner or office admin acting for `office_id`.
fn examines_for(actor: &Actor, office_id: Option<i64>) -> bool {
    matches!(actor.role, Role::Examiner | Role::OfficeAdmin)
        && office_id.is_some()
        && actor.office_id == office_id
}

fn act(actor: &Actor, action: Action) -> Result<(), Denied> {
    let allowed = match action {
        Action::Act {
            who,
            origin_office_id,
            association_id,
            partner_office_id,
        } => match who {
            ActorKind::ApplicantOrOriginExaminer => {
                (actor.role == Role::Association
                    && actor.association_id.is_some()
                    && actor.association_id == association_id)
                    || examines_for(actor, Some(origin_office_id))
            }
            ActorKind::OriginExaminer => examines_for(actor, Some(origin_office_id)),
            ActorKind::PartnerExaminer => examines_for(actor, partner_office_id),
            ActorKind::System => false,
        },
        Action::FileOpposition {
            deciding_office_id,
            applicant_association_id,
        } => {
            (actor.role == Role::Association
                && actor.association_id.is_some()
                && actor.association_id != applicant_association_id)
                || examines_for(actor, Some(deciding_office_id))
        }
        Action::WithdrawOpposition {
            filed_by_association_id,
            deciding_office_id,
        } => match filed_by_association_id {
            Some(_) => {
                actor.role == Role::Association && actor.association_id == filed_by_association_id
            }
            None => examines_for(actor, Some(deciding_office_id)),
        },
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden(
            "this is outside your office's or your association's scope",
        ))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denied {
    /// No credentials: 401.
    Unauthenticated,
    /// Credentials that do not allow this: 403, with the reason.
    Forbidden(&'static str),
}

pub fn authorize(actor: Option<&Actor>, action: Action) -> Result<(), Denied> {
    let Some(actor) = actor else {
        return Err(Denied::Unauthenticated);
    };
    let own_office = |office_id: Option<i64>| office_id.is_some() && office_id == actor.office_id;
    if matches!(
        action,
        Action::Act { .. } | Action::FileOpposition { .. } | Action::WithdrawOpposition { .. }
    ) {
        // Legal acts in proceedings belong to examiners and applicants, never to admins
        // or auditors.
        return act(actor, action);
    }
    match (actor.role, action) {
        (Role::Admin, _) => Ok(()),

        (
            Role::Auditor,
            Action::ReadUser { .. } | Action::ReadAuditLog | Action::ReadSubscription { .. },
        ) => Ok(()),
        (Role::Auditor, _) => Err(Denied::Forbidden("auditors read; they never write")),

        (Role::OfficeAdmin, Action::ManageAssociation { office_id })
            if own_office(Some(office_id)) =>
        {
            Ok(())
        }
        (Role::OfficeAdmin, Action::ManageAssociation { .. }) => Err(Denied::Forbidden(
            "an office administrator manages the associations of its own office only",
        )),
        (Role::OfficeAdmin | Role::Examiner, Action::ManageOfficeLists { office_id })
            if own_office(Some(office_id)) =>
        {
            Ok(())
        }
        (Role::OfficeAdmin | Role::Examiner, Action::ManageOfficeLists { .. }) => Err(
            Denied::Forbidden("an office keeps its own generic terms and trademarks only"),
        ),
        (Role::OfficeAdmin, Action::ManageCalendar { office_id })
            if own_office(Some(office_id)) =>
        {
            Ok(())
        }
        (Role::OfficeAdmin, Action::ManageCalendar { .. }) => Err(Denied::Forbidden(
            "an office administrator manages the calendar of its own office only",
        )),
        (Role::OfficeAdmin, Action::ReadUser { office_id }) if own_office(office_id) => Ok(()),
        (
            Role::OfficeAdmin,
            Action::ManageUser {
                role: Role::Admin | Role::Auditor,
                ..
            },
        ) => Err(Denied::Forbidden(
            "an office administrator cannot create or manage administrators or auditors",
        )),
        (Role::OfficeAdmin, Action::ManageUser { office_id, .. }) if own_office(office_id) => {
            Ok(())
        }
        (Role::OfficeAdmin, Action::ReadUser { .. } | Action::ManageUser { .. }) => Err(
            Denied::Forbidden("an office administrator manages the users of its own office only"),
        ),
        (
            Role::OfficeAdmin,
            Action::ManageSubscription { office_id, .. }
            | Action::ReadSubscription { office_id, .. },
        ) if own_office(office_id) => Ok(()),
        (
            Role::OfficeAdmin,
            Action::ManageSubscription { .. } | Action::ReadSubscription { .. },
        ) => Err(Denied::Forbidden(
            "an office administrator manages the subscriptions of its own office only",
        )),
        (Role::OfficeAdmin, _) => Err(Denied::Forbidden("only an administrator may do this")),

        (
            Role::Association,
            Action::ManageSubscription { association_id, .. }
            | Action::ReadSubscription { association_id, .. },
        ) if association_id.is_some() && association_id == actor.association_id => Ok(()),

        (Role::Examiner | Role::Association, _) => {
            Err(Denied::Forbidden("this role may not do this"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: i64 = 1;
    const OTHER: i64 = 2;
    const OWN_ASSOCIATION: i64 = 5;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 10,
            role,
            office_id: if role.has_no_office() {
                None
            } else {
                Some(OWN)
            },
            association_id: (role == Role::Association).then_some(OWN_ASSOCIATION),
        }
    }

    fn allowed(role: Role, action: Action) -> bool {
        authorize(Some(&actor(role)), action).is_ok()
    }

    /// Every action the matrix is checked on, with a label for failure messages.
    fn actions() -> Vec<(&'static str, Action)> {
        let mut all = vec![
            ("manage offices", Action::ManageOffices),
            ("manage programmes", Action::ManageProgrammes),
            (
                "manage own association",
                Action::ManageAssociation { office_id: OWN },
            ),
            (
                "manage other association",
                Action::ManageAssociation { office_id: OTHER },
            ),
            (
                "read own-office user",
                Action::ReadUser {
                    office_id: Some(OWN),
                },
            ),
            (
                "read other-office user",
                Action::ReadUser {
                    office_id: Some(OTHER),
                },
            ),
            ("read officeless user", Action::ReadUser { office_id: None }),
            (
                "manage own office's calendar",
                Action::ManageCalendar { office_id: OWN },
            ),
            (
                "manage other office's calendar",
                Action::ManageCalendar { office_id: OTHER },
            ),
            (
                "manage own office's lists",
                Action::ManageOfficeLists { office_id: OWN },
            ),
            (
                "manage other office's lists",
                Action::ManageOfficeLists { office_id: OTHER },
            ),
            ("read audit log", Action::ReadAuditLog),
            (
                "manage own office's subscription",
                Action::ManageSubscription {
                    office_id: Some(OWN),
                    association_id: None,
                },
            ),
            (
                "manage other office's subscription",
                Action::ManageSubscription {
                    office_id: Some(OTHER),
                    association_id: None,
                },
            ),
            (
                "manage own association's subscription",
                Action::ManageSubscription {
                    office_id: None,
                    association_id: Some(OWN_ASSOCIATION),
                },
            ),
            (
                "manage other association's subscription",
                Action::ManageSubscription {
                    office_id: None,
                    association_id: Some(99),
                },
            ),
            (
                "read own office's subscription",
                Action::ReadSubscription {
                    office_id: Some(OWN),
                    association_id: None,
                },
            ),
            (
                "read other association's subscription",
                Action::ReadSubscription {
                    office_id: None,
                    association_id: Some(99),
                },
            ),
            (
                "read own association's subscription",
                Action::ReadSubscription {
                    office_id: None,
                    association_id: Some(OWN_ASSOCIATION),
                },
            ),
            (
                "file opposition in own office",
                Action::FileOpposition {
                    deciding_office_id: OWN,
                    applicant_association_id: Some(99),
                },
            ),
            (
                "file opposition in other office",
                Action::FileOpposition {
                    deciding_office_id: OTHER,
                    applicant_association_id: None,
                },
            ),
            (
                "file opposition against own association's GI in own office",
                Action::FileOpposition {
                    deciding_office_id: OWN,
                    applicant_association_id: Some(OWN_ASSOCIATION),
                },
            ),
            (
                "file opposition against own association's GI in other office",
                Action::FileOpposition {
                    deciding_office_id: OTHER,
                    applicant_association_id: Some(OWN_ASSOCIATION),
                },
            ),
        ];
        for who in ActorKind::ALL {
            for (office_label, office) in [("own", OWN), ("other", OTHER)] {
                for (assoc_label, association) in [
                    ("own", Some(OWN_ASSOCIATION)),
                    ("other", Some(99)),
                    ("no", None),
                ] {
                    let origin: &'static str = Box::leak(
                        format!(
                            "{who:?} on GI of {office_label} office, {assoc_label} association"
                        )
                        .into_boxed_str(),
                    );
                    all.push((
                        origin,
                        Action::Act {
                            who: *who,
                            origin_office_id: office,
                            association_id: association,
                            partner_office_id: None,
                        },
                    ));
                    let partner: &'static str = Box::leak(
                        format!(
                            "{who:?} as partner {office_label} office, {assoc_label} association"
                        )
                        .into_boxed_str(),
                    );
                    all.push((
                        partner,
                        Action::Act {
                            who: *who,
                            origin_office_id: OTHER + 1,
                            association_id: association,
                            partner_office_id: Some(office),
                        },
                    ));
                }
            }
        }
        for (label, filer) in [
            ("own", Some(OWN_ASSOCIATION)),
            ("other", Some(99)),
            ("nobody", None),
        ] {
            for (office_label, office) in [("own", OWN), ("other", OTHER)] {
                let name: &'static str = Box::leak(
                    format!("withdraw opposition of {label} association in {office_label} office")
                        .into_boxed_str(),
                );
                all.push((
                    name,
                    Action::WithdrawOpposition {
                        filed_by_association_id: filer,
                        deciding_office_id: office,
                    },
                ));
            }
        }
        for role in Role::ALL {
            for (label, office_id) in [("own", Some(OWN)), ("other", Some(OTHER)), ("no", None)] {
                let name: &'static str =
                    Box::leak(format!("manage {role} user of {label} office").into_boxed_str());
                all.push((name, Action::ManageUser { role, office_id }));
            }
        }
        all
    }

    /// The whole role × action matrix, spelled out: what each role may do.
    fn expected(role: Role, action: Action) -> bool {
        let examiner = matches!(role, Role::Examiner | Role::OfficeAdmin);
        match action {
            Action::Act {
                who,
                origin_office_id,
                association_id,
                partner_office_id,
            } => {
                return match who {
                    ActorKind::ApplicantOrOriginExaminer => {
                        (role == Role::Association && association_id == Some(OWN_ASSOCIATION))
                            || (examiner && origin_office_id == OWN)
                    }
                    ActorKind::OriginExaminer => examiner && origin_office_id == OWN,
                    ActorKind::PartnerExaminer => examiner && partner_office_id == Some(OWN),
                    ActorKind::System => false,
                };
            }
            Action::FileOpposition {
                deciding_office_id,
                applicant_association_id,
            } => {
                return (role == Role::Association
                    && applicant_association_id != Some(OWN_ASSOCIATION))
                    || (examiner && deciding_office_id == OWN);
            }
            Action::WithdrawOpposition {
                filed_by_association_id,
                deciding_office_id,
            } => {
                return (role == Role::Association
                    && filed_by_association_id == Some(OWN_ASSOCIATION))
                    || (examiner
                        && filed_by_association_id.is_none()
                        && deciding_office_id == OWN);
            }
            _ => {}
        }
        match role {
            Role::Admin => true,
            Role::Auditor => matches!(
                action,
                Action::ReadUser { .. } | Action::ReadAuditLog | Action::ReadSubscription { .. }
            ),
            Role::OfficeAdmin => match action {
                Action::ManageSubscription { office_id, .. }
                | Action::ReadSubscription { office_id, .. } => office_id == Some(OWN),
                Action::ManageAssociation { office_id }
                | Action::ManageCalendar { office_id }
                | Action::ManageOfficeLists { office_id } => office_id == OWN,
                Action::ReadUser { office_id } => office_id == Some(OWN),
                Action::ManageUser { role, office_id } => {
                    !matches!(role, Role::Admin | Role::Auditor) && office_id == Some(OWN)
                }
                _ => false,
            },
            Role::Association => match action {
                Action::ManageSubscription { association_id, .. }
                | Action::ReadSubscription { association_id, .. } => {
                    association_id == Some(OWN_ASSOCIATION)
                }
                _ => false,
            },
            Role::Examiner => action == Action::ManageOfficeLists { office_id: OWN },
        }
    }

    #[test]
    fn the_whole_matrix() {
        for role in Role::ALL {
            for (label, action) in actions() {
                assert_eq!(
                    allowed(role, action),
                    expected(role, action),
                    "{role} / {label}"
                );
            }
        }
    }

    #[test]
    fn anonymous_is_unauthenticated_for_everything() {
        for (_, action) in actions() {
            assert_eq!(authorize(None, action), Err(Denied::Unauthenticated));
        }
    }

    #[test]
    fn drafts_are_seen_by_their_association_office_auditors_and_admins() {
        for role in Role::ALL {
            let a = actor(role);
            let own_office = can_see_draft(Some(&a), OWN, Some(99));
            let own_association = can_see_draft(Some(&a), OTHER, Some(OWN_ASSOCIATION));
            let stranger = can_see_draft(Some(&a), OTHER, Some(99));
            let (office, association, other) = match role {
                Role::Admin | Role::Auditor => (true, true, true),
                Role::OfficeAdmin | Role::Examiner => (true, false, false),
                Role::Association => (false, true, false),
            };
            assert_eq!(
                (own_office, own_association, stranger),
                (office, association, other),
                "{role}"
            );
        }
        assert!(!can_see_draft(None, OWN, Some(OWN_ASSOCIATION)));
    }

    #[test]
    fn office_admin_without_office_manages_nobody() {
        let mut orphan = actor(Role::OfficeAdmin);
        orphan.office_id = None;
        let action = Action::ManageUser {
            role: Role::Examiner,
            office_id: None,
        };
        assert!(authorize(Some(&orphan), action).is_err());
        assert!(authorize(Some(&orphan), Action::ReadUser { office_id: None }).is_err());
    }
}
