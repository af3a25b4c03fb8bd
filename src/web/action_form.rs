//! What the desk's action forms share (a recognition's, a GI's): which of the actions a
//! status allows the caller may take — asked of the permission module with the
//! record's own facts, action by action, so that a form is offered only to whom the API
//! would let submit it —, a submitted form's failure, and the form itself with the
//! API's errors next to the field they name.

use maud::{html, Markup};
use serde_json::Value;

use super::forms::field;
use super::layout::Frame;
use super::session::CSRF_FIELD;
use crate::api::caller::Caller;
use crate::domain::attempts::{Target, Write};
use crate::domain::transition::ActorKind;
use crate::error::{AppError, FieldError};

/// `kind` alone, as the permission module's writes name their actors.
fn only(kind: ActorKind) -> &'static [ActorKind] {
    match kind {
        ActorKind::ApplicantOrOriginExaminer => &[ActorKind::ApplicantOrOriginExaminer],
        ActorKind::OriginExaminer => &[ActorKind::OriginExaminer],
        ActorKind::PartnerExaminer => &[ActorKind::PartnerExaminer],
        ActorKind::System => &[ActorKind::System],
    }
}

/// The actions (of those the status allows) that `caller` may take on `target`.
pub fn open_to<A: Copy>(
    caller: &Caller,
    target: &Target,
    allowed: Vec<A>,
    actor_of: impl Fn(A) -> ActorKind,
) -> Vec<A> {
    allowed
        .into_iter()
        .filter(|&a| {
            caller
                .may_attempt_on(Write::Act(only(actor_of(a))), target)
                .is_ok()
        })
        .collect()
}

/// What went wrong with a submitted form: the action, the API's message, its per-field
/// errors and details; and what was typed, to show again.
pub struct Failed {
    pub action: String,
    pub message: String,
    pub code: &'static str,
    pub fields: Vec<FieldError>,
    pub details: Value,
    pub typed: Vec<(String, String)>,
}

impl Failed {
    pub fn of(error: &AppError, action: String, typed: Vec<(String, String)>) -> Self {
        Self {
            action,
            message: error.to_string(),
            code: error.code(),
            fields: match error {
                AppError::Validation(fields) => fields.clone(),
                _ => Vec::new(),
            },
            details: match error {
                AppError::Conflict { details, .. } => details.clone(),
                _ => Value::Null,
            },
            typed,
        }
    }

    /// No failure: a form filled with `typed` (a record's fields, to edit).
    pub fn filled(typed: Vec<(String, String)>) -> Self {
        Self {
            action: String::new(),
            message: String::new(),
            code: "",
            fields: Vec::new(),
            details: Value::Null,
            typed,
        }
    }

    /// What was typed in `name`.
    pub fn typed(&self, name: &str) -> &str {
        field(&self.typed, name).unwrap_or_default()
    }
}

/// Which fields are dates (the rest are text).
fn is_date(field: &str) -> bool {
    matches!(field, "effective_on" | "remedy_deadline")
}

/// The form for `action` posted to `path`, asking for the legal date and `fields`, with
/// `extra` controls before the button.
pub fn action_form(
    frame: &Frame,
    path: &str,
    action: &str,
    fields: &[&str],
    csrf: &str,
    failed: Option<&Failed>,
    extra: Markup,
) -> Markup {
    let names: Vec<&str> = ["effective_on"]
        .into_iter()
        .chain(fields.iter().copied())
        .collect();
    let typed = |name: &str| {
        failed
            .map(|f| f.typed(name))
            .unwrap_or_default()
            .to_string()
    };
    let error_of = |name: &str| {
        failed.and_then(|f| {
            f.fields.iter().find(|e| {
                e.field == name
                    || e.field.starts_with(&format!("{name}."))
                    || e.field.starts_with(&format!("{name}["))
            })
        })
    };
    let general = failed.filter(|f| {
        f.fields.is_empty()
            || !f
                .fields
                .iter()
                .any(|e| names.iter().any(|n| e.field.starts_with(n)))
    });
    html! {
        form.action id=(format!("act-{action}")) method="post" action=(frame.link(path)) {
            h3 { (frame.lang.value("action", action)) }
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            input type="hidden" name="action" value=(action);
            @if let Some(failed) = general {
                p.error role="alert" { (failed.message) }
            }
            @for name in &names {
                @let id = format!("{action}-{name}");
                @let error = error_of(name);
                @let error_id = format!("{id}-error");
                label for=(id) {
                    (frame.lang.value("field", name))
                    @if is_date(name) {
                        input type="date" id=(id) name=(name) value=(typed(name))
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
                    } @else {
                        textarea id=(id) name=(name) rows="2"
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())] { (typed(name)) }
                    }
                }
                @if let Some(error) = error {
                    p.field-error id=(error_id) role="alert" { (error.message) }
                }
            }
            (extra)
            button type="submit" { (frame.lang.value("action", action)) }
        }
    }
}
