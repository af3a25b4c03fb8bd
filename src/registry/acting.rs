//! Who is acting: the permission layer's view and the audit log's.

use crate::audit::AuditActor;
use crate::domain::permissions::{authorize, Action, Denied};
use crate::domain::role::Actor;
use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct Acting {
    pub actor: Actor,
    pub audit: AuditActor,
}

impl Acting {
    pub fn authorize(&self, action: Action) -> Result<(), AppError> {
        authorize(Some(&self.actor), action).map_err(|denied| match denied {
            Denied::Unauthenticated => AppError::Unauthorized("authentication required".into()),
            Denied::Forbidden(why) => AppError::forbidden(why),
        })
    }
}
