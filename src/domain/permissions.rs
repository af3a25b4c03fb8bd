//! Who may do what (DESIGN §3). Every handler asks `authorize` before it acts; nothing
//! else in the code decides permissions.

use super::role::{Actor, Role};

/// Something a caller wants to do, with the facts the decision depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create or amend an office.
    ManageOffices,
    /// Create or amend an association of `office_id`.
    ManageAssociation { office_id: i64 },
    /// Read a user account that belongs to `office_id` (None: admins and auditors).
    ReadUser { office_id: Option<i64> },
    /// Create, amend or deactivate a user with `role` in `office_id`. Amending checks
    /// the account both as it is and as it would become.
    ManageUser { role: Role, office_id: Option<i64> },
    /// Read the audit log and verify its chain.
    ReadAuditLog,
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
    match (actor.role, action) {
        (Role::Admin, _) => Ok(()),

        (Role::Auditor, Action::ReadUser { .. } | Action::ReadAuditLog) => Ok(()),
        (Role::Auditor, _) => Err(Denied::Forbidden("auditors read; they never write")),

        (Role::OfficeAdmin, Action::ManageAssociation { office_id })
            if own_office(Some(office_id)) =>
        {
            Ok(())
        }
        (Role::OfficeAdmin, Action::ManageAssociation { .. }) => Err(Denied::Forbidden(
            "an office administrator manages the associations of its own office only",
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
        (Role::OfficeAdmin, _) => Err(Denied::Forbidden("only an administrator may do this")),

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

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 10,
            role,
            office_id: if role.has_no_office() {
                None
            } else {
                Some(OWN)
            },
            association_id: (role == Role::Association).then_some(5),
        }
    }

    fn allowed(role: Role, action: Action) -> bool {
        authorize(Some(&actor(role)), action).is_ok()
    }

    /// Every action the matrix is checked on, with a label for failure messages.
    fn actions() -> Vec<(&'static str, Action)> {
        let mut all = vec![
            ("manage offices", Action::ManageOffices),
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
            ("read audit log", Action::ReadAuditLog),
        ];
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
        match role {
            Role::Admin => true,
            Role::Auditor => matches!(action, Action::ReadUser { .. } | Action::ReadAuditLog),
            Role::OfficeAdmin => match action {
                Action::ManageAssociation { office_id } => office_id == OWN,
                Action::ReadUser { office_id } => office_id == Some(OWN),
                Action::ManageUser { role, office_id } => {
                    !matches!(role, Role::Admin | Role::Auditor) && office_id == Some(OWN)
                }
                Action::ManageOffices | Action::ReadAuditLog => false,
            },
            Role::Examiner | Role::Association => false,
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
