//! `validator` adapters shared by several request bodies.

use validator::ValidationError;

/// Every entry a well-formed BCP-47 tag.
pub fn valid_language_tags(tags: &[String]) -> Result<(), ValidationError> {
    match tags
        .iter()
        .find(|tag| !crate::domain::language_tags::is_valid_language_tag(tag))
    {
        None => Ok(()),
        Some(bad) => Err(ValidationError::new("language_tag")
            .with_message(format!("{bad:?} is not a BCP-47 language tag").into())),
    }
}

/// An e-mail address of a plausible shape (the `validator` rule, with a length cap).
pub fn valid_email(email: &str) -> Result<(), ValidationError> {
    if email.chars().count() <= 254 && validator::ValidateEmail::validate_email(&email) {
        Ok(())
    } else {
        Err(ValidationError::new("email").with_message("must be an e-mail address".into()))
    }
}
