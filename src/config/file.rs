//! The optional settings file, `terroir.toml`, for deployments that keep settings in
//! files. Each key is a setting's environment name without `TERROIR_`, in lower case:
//!
//! ```toml
//! bind = "0.0.0.0:8080"
//! database_url = "postgres://terroir@db/terroir"
//! db_pool_size = 20
//! trusted_proxies = ["10.0.0.5"]
//! ```
//!
//! The file is read before the command line is parsed and fills in only the settings
//! the environment leaves unset, so the environment overrides the file and a flag
//! overrides both. An unknown key is refused, naming it.

use std::path::{Path, PathBuf};

/// Read from the working directory when it exists and no other file is named.
pub const DEFAULT_FILE: &str = "terroir.toml";
/// Names the settings file (as `--config` does); the file must then exist.
pub const FILE_ENV: &str = "TERROIR_CONFIG";
const PREFIX: &str = "TERROIR_";

/// The settings file in use, if any: `--config PATH`, then `TERROIR_CONFIG`, then
/// `./terroir.toml` when it exists. Named files must exist; the default one may not.
pub fn locate(args: &[String]) -> Result<Option<PathBuf>, String> {
    let named = flag_value(args, "--config")
        .or_else(|| std::env::var(FILE_ENV).ok().filter(|v| !v.is_empty()));
    match named {
        Some(path) => {
            let path = PathBuf::from(path);
            if path.is_file() {
                Ok(Some(path))
            } else {
                Err(format!(
                    "the settings file {} does not exist",
                    path.display()
                ))
            }
        }
        None => Ok(Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file())),
    }
}

/// `--flag VALUE` or `--flag=VALUE`, before any `--`.
fn flag_value(args: &[String], flag: &str) -> Option<String> {
    let mut args = args.iter().take_while(|a| a.as_str() != "--");
    while let Some(arg) = args.next() {
        if arg == flag {
            return args.next().cloned();
        }
        if let Some(value) = arg.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// The settings a file holds, as (environment name, value) pairs. `known` lists the
/// environment names the command line accepts.
pub fn parse(text: &str, known: &[String]) -> Result<Vec<(String, String)>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut settings = Vec::new();
    for (key, value) in table {
        let name = format!("{PREFIX}{}", key.to_uppercase());
        if key.to_lowercase() != key || !known.contains(&name) {
            return Err(format!("unknown setting {key:?}"));
        }
        let value = match value {
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| scalar(&key, item))
                .collect::<Result<Vec<_>, String>>()?
                .join(","),
            other => scalar(&key, other)?,
        };
        settings.push((name, value));
    }
    Ok(settings)
}

fn scalar(key: &str, value: toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        other => Err(format!(
            "{key}: a {} is not a setting's value",
            other.type_str()
        )),
    }
}

/// Reads the file and sets, in this process's environment, each of its settings the
/// environment does not already hold. Call it before anything reads the environment
/// and before any thread starts. Returns the names it set.
pub fn apply(path: &Path, known: &[String]) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the settings file {}: {e}", path.display()))?;
    let settings = parse(&text, known).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut applied = Vec::new();
    for (name, value) in settings {
        if std::env::var_os(&name).is_none() {
            std::env::set_var(&name, value);
            applied.push(name);
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        [
            "TERROIR_BIND",
            "TERROIR_DB_POOL_SIZE",
            "TERROIR_TRUSTED_PROXIES",
            "TERROIR_DEMO",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn keys_are_environment_names_in_lower_case() {
        // (In key order.)
        let parsed = parse(
            "bind = \"0.0.0.0:8080\"\ndb_pool_size = 20\ntrusted_proxies = [\"10.0.0.1\", \"10.0.0.2\"]\ndemo = true\n",
            &known(),
        )
        .unwrap();
        assert_eq!(
            parsed,
            vec![
                ("TERROIR_BIND".into(), "0.0.0.0:8080".into()),
                ("TERROIR_DB_POOL_SIZE".into(), "20".into()),
                ("TERROIR_DEMO".into(), "true".into()),
                ("TERROIR_TRUSTED_PROXIES".into(), "10.0.0.1,10.0.0.2".into()),
            ]
        );
    }

    #[test]
    fn unknown_or_malformed_settings_are_refused() {
        let err = parse("bnid = \"x\"", &known()).unwrap_err();
        assert!(err.contains("bnid"), "{err}");
        assert!(parse("BIND = \"x\"", &known()).is_err());
        assert!(parse("bind = ", &known()).is_err());
        assert!(parse("[bind]\nx = 1", &known()).is_err());
    }

    #[test]
    fn the_flag_is_found_in_either_form() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            flag_value(
                &args(&["terroir", "--config", "a.toml", "serve"]),
                "--config"
            ),
            Some("a.toml".into())
        );
        assert_eq!(
            flag_value(&args(&["terroir", "serve", "--config=b.toml"]), "--config"),
            Some("b.toml".into())
        );
        assert_eq!(
            flag_value(&args(&["terroir", "--", "--config=b.toml"]), "--config"),
            None
        );
    }
}
