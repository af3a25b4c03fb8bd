//! The authenticated caller, as an extractor: `Caller` requires a valid bearer token,
//! `MaybeCaller` also admits anonymous requests (but still refuses a bad token).

use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::state::AppState;
use crate::audit::AuditActor;
use crate::db::{AnyConnection, Database};
use crate::domain::attempts::{may_attempt, may_attempt_on, Target, Write};
use crate::domain::permissions::{authorize, Action, Denied};
use crate::domain::role::{Actor, Role};
use crate::error::AppError;
use crate::registry::sessions;

#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    pub username: String,
    pub office_code: Option<String>,
    /// The access token's id and expiry, so that logout can revoke it.
    pub token_id: String,
    pub token_expires_at: i64,
}

impl Caller {
    pub fn audit_actor(&self) -> AuditActor {
        AuditActor {
            id: Some(self.actor.user_id),
            name: self.username.clone(),
            office: self.office_code.clone(),
        }
    }

    pub fn acting(&self) -> crate::registry::acting::Acting {
        crate::registry::acting::Acting {
            actor: self.actor.clone(),
            audit: self.audit_actor(),
        }
    }

    pub fn role(&self) -> Role {
        self.actor.role
    }

    pub fn authorize(&self, action: Action) -> Result<(), AppError> {
        check(Some(self), action)
    }

    /// Refuses, before any body is read, a caller whose role may never write this kind
    /// of resource.
    pub fn may_attempt(&self, write: Write) -> Result<(), AppError> {
        if may_attempt(self.actor.role, write) {
            Ok(())
        } else {
            Err(AppError::forbidden("your role may not do this"))
        }
    }

    /// Refuses, before any body is read, a caller who may not write this kind of
    /// resource on the record that `load` reads (a 404 for a record it may not see).
    pub async fn may_attempt_on_record<L>(
        &self,
        db: &Database,
        write: Write,
        load: L,
    ) -> Result<(), AppError>
    where
        L: FnOnce(&mut AnyConnection, &Actor) -> Result<Target, AppError> + Send + 'static,
    {
        self.may_attempt(write)?;
        let actor = self.actor.clone();
        let target = db.read(move |conn| load(conn, &actor)).await?;
        self.may_attempt_on(write, &target)
    }

    /// Refuses a caller who may not write this kind of resource on the record `target`.
    pub fn may_attempt_on(&self, write: Write, target: &Target) -> Result<(), AppError> {
        if may_attempt_on(&self.actor, write, target) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "this is outside your office's or your association's scope",
            ))
        }
    }
}

/// The one place permission decisions become HTTP errors.
pub fn check(caller: Option<&Caller>, action: Action) -> Result<(), AppError> {
    authorize(caller.map(|c| &c.actor), action).map_err(|denied| match denied {
        Denied::Unauthenticated => AppError::Unauthorized("authentication required".into()),
        Denied::Forbidden(why) => AppError::forbidden(why),
    })
}

fn bearer_token(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| AppError::Unauthorized("malformed Authorization header".into()))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| AppError::Unauthorized("expected a Bearer token".into()))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::Unauthorized("expected a Bearer token".into()));
    }
    Ok(Some(token.trim().to_string()))
}

async fn resolve(req: HttpRequest) -> Result<Option<Caller>, AppError> {
    let Some(token) = bearer_token(&req)? else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("application state missing"))?
        .clone();
    caller_of_token(&state, &token).await.map(Some)
}

/// The caller an access token stands for, if it is valid, unrevoked and its user active
/// (the web pages' session cookie holds one).
pub async fn caller_of_token(state: &AppState, token: &str) -> Result<Caller, AppError> {
    let claims = state.tokens.verify(token)?;
    let user_id = claims
        .user_id()
        .ok_or_else(|| AppError::Unauthorized("invalid access token".into()))?;
    let jti = claims.jti.clone();
    let (found, revoked) = state
        .db
        .read(move |conn| sessions::token_holder(conn, user_id, &jti))
        .await?;
    let refused = || AppError::Unauthorized("the access token is no longer valid".into());
    let (user, office_code) = found.ok_or_else(refused)?;
    if revoked || !user.active || user.token_version != claims.tv {
        return Err(refused());
    }
    let role: Role = user.role.parse().map_err(|_| refused())?;
    Ok(Caller {
        actor: Actor {
            user_id: user.id,
            role,
            office_id: user.office_id,
            association_id: user.association_id,
        },
        username: user.username,
        office_code,
        token_id: claims.jti,
        token_expires_at: claims.exp,
    })
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            resolve(req)
                .await?
                .ok_or_else(|| AppError::Unauthorized("authentication required".into()))
        })
    }
}

/// Anonymous or authenticated; a token that is present but invalid is still a 401.
pub struct MaybeCaller(pub Option<Caller>);

impl MaybeCaller {
    pub fn actor(&self) -> Option<Actor> {
        self.0.as_ref().map(|c| c.actor.clone())
    }
}

impl FromRequest for MaybeCaller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeCaller(resolve(req).await?)) })
    }
}
