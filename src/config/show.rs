//! `terroir config`: the effective settings, in the settings file's own syntax, with
//! every secret masked.

use std::fmt::Write;
use std::path::Path;

use super::{LogFormat, ServerArgs, StorageArgs};

const MASK: &str = "\"***\"";

/// The effective settings, one `key = value` line each; a secret shows as `"***"` and
/// an unset optional setting as a comment saying what happens instead.
pub fn effective(
    storage: &StorageArgs,
    server: &ServerArgs,
    log_format: LogFormat,
    file: Option<&Path>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# settings file: {}",
        file.map_or("none".to_string(), |p| p.display().to_string())
    );
    let database = match storage.database_url() {
        Ok(url) => quote(&url.to_string()),
        Err(err) => format!("# invalid: {err}"),
    };
    let mut line = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    line("database_url", database);
    line("data_dir", quote(&storage.data_dir.display().to_string()));
    line("db_pool_size", storage.db_pool_size.to_string());
    line("db_timeout_secs", storage.db_timeout_secs.to_string());
    line(
        "log_format",
        quote(match log_format {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }),
    );
    line("bind", quote(&server.bind.to_string()));
    line(
        "access_token_ttl_secs",
        server.access_token_ttl_secs.to_string(),
    );
    line(
        "refresh_token_ttl_days",
        server.refresh_token_ttl_days.to_string(),
    );
    line("login_max_failures", server.login_max_failures.to_string());
    line("login_window_secs", server.login_window_secs.to_string());
    line("max_body_bytes", server.max_body_bytes.to_string());
    line("max_document_bytes", server.max_document_bytes.to_string());
    line("read_cache_mb", server.read_cache_mb.to_string());
    line("stored_views", server.stored_views.to_string());
    line(
        "sweep_interval_secs",
        server.sweep_interval_secs.to_string(),
    );
    line(
        "webhook_allow_private",
        server.webhook_allow_private.to_string(),
    );
    line(
        "webhook_timeout_secs",
        server.webhook_timeout_secs.to_string(),
    );
    line(
        "webhook_first_retry_secs",
        server.webhook_first_retry_secs.to_string(),
    );
    line(
        "webhook_retry_for_secs",
        server.webhook_retry_for_secs.to_string(),
    );
    line(
        "webhook_poll_millis",
        server.webhook_poll_millis.to_string(),
    );
    line(
        "trusted_proxies",
        format!(
            "[{}]",
            server
                .trusted_proxies
                .iter()
                .map(|ip| quote(&ip.to_string()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let secret_file = storage.data_dir.join(crate::auth::secret::SECRET_FILE);
    let optional = [
        (
            "workers",
            server.workers.map(|w| w.to_string()),
            "one per core".to_string(),
        ),
        (
            "jwt_secret",
            server.jwt_secret.as_ref().map(|_| MASK.to_string()),
            format!("generated once and kept in {}", secret_file.display()),
        ),
        (
            "signing_key",
            server.signing_key.as_ref().map(|_| MASK.to_string()),
            format!(
                "generated once and kept in {}",
                storage
                    .data_dir
                    .join(crate::signing::keyring::KEY_FILE)
                    .display()
            ),
        ),
        (
            "admin_password",
            server.admin_password.as_ref().map(|_| MASK.to_string()),
            "generated and printed on first start".to_string(),
        ),
        (
            "metrics_token",
            server.metrics_token.as_ref().map(|_| MASK.to_string()),
            "/metrics is open".to_string(),
        ),
    ];
    for (key, value, otherwise) in optional {
        match value {
            Some(value) => {
                let _ = writeln!(out, "{key} = {value}");
            }
            None => {
                let _ = writeln!(out, "# {key}: unset ({otherwise})");
            }
        }
    }
    out
}

/// A TOML basic string (JSON's escapes are all valid TOML escapes).
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_the_file_is_named() {
        let storage = StorageArgs {
            database_url: Some("postgres://terroir:hunter2-db@db:5432/terroir".into()),
            data_dir: "/var/lib/terroir".into(),
            db_pool_size: 20,
            db_timeout_secs: 5,
        };
        let server = ServerArgs {
            jwt_secret: Some("s".repeat(40)),
            admin_password: Some("hunter2-admin-password".into()),
            metrics_token: Some("hunter2-metrics".into()),
            trusted_proxies: vec!["10.0.0.5".parse().unwrap()],
            ..ServerArgs::default()
        };
        let shown = effective(
            &storage,
            &server,
            LogFormat::Json,
            Some(Path::new("/etc/terroir/terroir.toml")),
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(&"s".repeat(40)), "{shown}");
        assert!(shown.contains("# settings file: /etc/terroir/terroir.toml"));
        assert!(shown.contains("database_url = \"postgres://terroir:***@db:5432/terroir\""));
        assert!(shown.contains("jwt_secret = \"***\""));
        assert!(shown.contains("trusted_proxies = [\"10.0.0.5\"]"));
        assert!(shown.contains("db_pool_size = 20"));
        assert!(shown.contains("log_format = \"json\""));
        // What it prints reads back as a settings file.
        let table: toml::Table = shown.parse().unwrap();
        assert_eq!(table["bind"].as_str(), Some("127.0.0.1:8080"));
    }

    #[test]
    fn the_default_database_lives_in_the_data_folder() {
        let storage = StorageArgs {
            database_url: None,
            data_dir: "/srv/t".into(),
            db_pool_size: 10,
            db_timeout_secs: 5,
        };
        let shown = effective(&storage, &ServerArgs::default(), LogFormat::Text, None);
        assert!(
            shown.contains("database_url = \"sqlite:///srv/t/terroir.db\""),
            "{shown}"
        );
        assert!(
            shown.contains("# jwt_secret: unset (generated once and kept in /srv/t/jwt-secret)")
        );
        assert!(shown.contains("# settings file: none"));
    }
}
