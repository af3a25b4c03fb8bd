//! What a write asks the audit log to record.

use serde_json::Value;

/// Who did it: a user, or the system (`id` None, `name` "system").
#[derive(Clone, Debug, PartialEq)]
pub struct AuditActor {
    pub id: Option<i64>,
    pub name: String,
    pub office: Option<String>,
}

impl AuditActor {
    pub fn system() -> Self {
        Self {
            id: None,
            name: "system".into(),
            office: None,
        }
    }

    /// Someone not (yet) authenticated, e.g. a failed login, named by what they typed.
    pub fn anonymous(claimed_name: &str) -> Self {
        Self {
            id: None,
            name: claimed_name.to_string(),
            office: None,
        }
    }
}

/// One entry to append. `public` entries form the change feed.
#[derive(Clone, Debug)]
pub struct AuditRecord {
    pub actor: AuditActor,
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<String>,
    pub payload: Value,
    pub public: bool,
}

impl AuditRecord {
    pub fn new(
        actor: &AuditActor,
        action: &'static str,
        entity_type: &'static str,
        entity_id: impl ToString,
        payload: Value,
    ) -> Self {
        Self {
            actor: actor.clone(),
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            payload,
            public: false,
        }
    }

    /// Marks the entry as part of the public change feed.
    pub fn public(mut self) -> Self {
        self.public = true;
        self
    }
}
