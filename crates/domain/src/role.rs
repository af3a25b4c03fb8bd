//! The roles of DESIGN §3 and who an authenticated caller is.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    OfficeAdmin,
    Examiner,
    Association,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::OfficeAdmin,
        Role::Examiner,
        Role::Association,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::OfficeAdmin => "office_admin",
            Role::Examiner => "examiner",
            Role::Association => "association",
            Role::Auditor => "auditor",
        }
    }

    /// Office roles act for one office and must name it.
    pub fn requires_office(self) -> bool {
        matches!(self, Role::OfficeAdmin | Role::Examiner)
    }

    pub fn requires_association(self) -> bool {
        self == Role::Association
    }

    /// Admins and auditors belong to no office.
    pub fn has_no_office(self) -> bool {
        matches!(self, Role::Admin | Role::Auditor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?}"))
    }
}

/// An authenticated caller, as the permission rules see it. For an association user,
/// `office_id` is the association's home office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub office_id: Option<i64>,
    pub association_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(role.to_string(), role.as_str());
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert!("superuser".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
    }

    #[test]
    fn office_roles_need_an_office_and_associations_an_association() {
        let office: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.requires_office())
            .collect();
        assert_eq!(office, [Role::OfficeAdmin, Role::Examiner]);
        let association: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.requires_association())
            .collect();
        assert_eq!(association, [Role::Association]);
    }

    #[test]
    fn admins_and_auditors_belong_to_no_office() {
        let without: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.has_no_office())
            .collect();
        assert_eq!(without, [Role::Admin, Role::Auditor]);
    }
}
