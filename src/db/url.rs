//! Which database a URL names: a SQLite file or a PostgreSQL server.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or
    /// a bare path is a SQLite file. Any other scheme is refused rather than taken as a path.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("the database URL is empty".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_string()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.contains("://") {
            return Err(format!(
                "unsupported database URL scheme in {:?}",
                redact_password(raw)
            ));
        }
        if path.is_empty() {
            return Err("the SQLite path is empty".into());
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// `text` (an error message, say) with this URL's password, if any, replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let Self::Postgres(url) = self else {
            return text.to_string();
        };
        let mut scrubbed = text.replace(url.as_str(), &redact_password(url));
        for secret in passwords_in(url) {
            // As written in the URL, and as libpq decodes it (`p%40ss` is `p@ss`).
            let decoded = percent_encoding::percent_decode_str(secret).decode_utf8_lossy();
            for form in [secret, decoded.as_ref()] {
                if form.len() >= 3 {
                    scrubbed = scrubbed.replace(form, "***");
                }
            }
        }
        scrubbed
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Shown in logs: a PostgreSQL password is never printed.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => write!(f, "{}", redact_password(url)),
        }
    }
}

/// A URL as it may be shown: the password of its user part and any `password=`
/// parameter replaced by `***`. Anything that is not a URL is returned as it is.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The authority ends at the first '/', '?' or '#'; a password may hold '@' or ':'.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// The passwords a PostgreSQL URL carries: in its user part and in `password=`.
fn passwords_in(url: &str) -> Vec<&str> {
    let mut found = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if let Some((_, password)) = userinfo.split_once(':') {
                found.push(password);
            }
        }
        if let Some((_, query)) = rest.split_once('?') {
            for pair in query.split('&') {
                if let Some((key, value)) = pair.split_once('=') {
                    if key.eq_ignore_ascii_case("password") {
                        found.push(value);
                    }
                }
            }
        }
    }
    found
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_form() {
        assert_eq!(
            DatabaseUrl::parse("./data/terroir.db").unwrap(),
            DatabaseUrl::Sqlite("./data/terroir.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/t.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/t.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:t.db").unwrap(),
            DatabaseUrl::Sqlite("t.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("  ").is_err());
    }

    #[test]
    fn display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://alice:s3cret@db:5432/terroir").unwrap();
        assert_eq!(url.to_string(), "postgres://alice:***@db:5432/terroir");
        for (raw, shown) in [
            ("postgres://bob:p@ss:w0rd@db/t", "postgres://bob:***@db/t"),
            (
                "postgresql://db/t?user=bob&password=s3cret&sslmode=require",
                "postgresql://db/t?user=bob&password=***&sslmode=require",
            ),
            ("postgres://bob@db/t", "postgres://bob@db/t"),
            ("postgres://db/t", "postgres://db/t"),
        ] {
            assert_eq!(redact_password(raw), shown);
        }
        let url = DatabaseUrl::parse("postgres://bob:s3cret@db/t?password=other").unwrap();
        assert_eq!(
            url.scrub(
                "could not connect to postgres://bob:s3cret@db/t?password=other: s3cret other"
            ),
            "could not connect to postgres://bob:***@db/t?password=***: *** ***"
        );
        let encoded = DatabaseUrl::parse("postgres://bob:p%40ss%zz@db/t").unwrap();
        assert_eq!(
            encoded.scrub(r#"invalid percent-encoded token: "p%40ss%zz"; p@ss%zz"#),
            r#"invalid percent-encoded token: "***"; ***"#
        );
        let refused = DatabaseUrl::parse("mysql://carol:s3cret@db/t").unwrap_err();
        assert!(!refused.contains("s3cret"), "{refused}");
    }
}
