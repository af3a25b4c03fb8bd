//! Settings, from the environment and the command line (see `terroir --help`).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::db::{DatabaseUrl, PoolSettings};

pub mod file;
pub mod show;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The SQLite file's name in the data folder when no database URL is given.
pub const DEFAULT_SQLITE_FILE: &str = "terroir.db";

/// Where the data lives. Shared by every subcommand.
#[derive(Clone, Debug, Args)]
pub struct StorageArgs {
    /// A SQLite file (a path or sqlite://PATH) or a PostgreSQL URL (postgres://…).
    /// Default: terroir.db in the data folder.
    #[arg(
        long,
        env = "TERROIR_DATABASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<String>,

    /// The folder that holds the generated JWT secret and, unless TERROIR_DATABASE_URL
    /// says otherwise, the SQLite file terroir.db.
    #[arg(
        long,
        env = "TERROIR_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Most connections the read pool opens (writes have their own: 1 on SQLite, 2 on
    /// PostgreSQL).
    #[arg(
        long,
        env = "TERROIR_DB_POOL_SIZE",
        default_value_t = 10,
        global = true
    )]
    pub db_pool_size: u32,

    /// Seconds a request waits for a free connection before it gets 503.
    #[arg(
        long,
        env = "TERROIR_DB_TIMEOUT_SECS",
        default_value_t = 5,
        global = true
    )]
    pub db_timeout_secs: u64,
}

impl StorageArgs {
    /// The database the settings name: TERROIR_DATABASE_URL, or terroir.db in the data
    /// folder.
    pub fn database_url(&self) -> Result<DatabaseUrl, String> {
        match &self.database_url {
            Some(raw) => DatabaseUrl::parse(raw),
            None => Ok(DatabaseUrl::Sqlite(self.data_dir.join(DEFAULT_SQLITE_FILE))),
        }
    }

    pub fn pool_settings(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.db_pool_size.max(1),
            checkout_timeout: Duration::from_secs(self.db_timeout_secs.max(1)),
        }
    }
}

/// How the server runs.
#[derive(Clone, Debug, Args)]
pub struct ServerArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "TERROIR_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The JWT signing secret (32 bytes or more). Generated and kept in the data
    /// folder when unset.
    #[arg(long, env = "TERROIR_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// The Ed25519 key exports and the audit head are signed with, as PKCS#8 PEM (what
    /// `openssl genpkey -algorithm ed25519` writes). Generated and kept in the data
    /// folder when unset. Give every instance of one registry the same key.
    #[arg(long, env = "TERROIR_SIGNING_KEY", hide_env_values = true)]
    pub signing_key: Option<String>,

    /// The first administrator's password, used only when there are no users yet.
    #[arg(long, env = "TERROIR_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Seconds an access token lives.
    #[arg(long, env = "TERROIR_ACCESS_TOKEN_TTL_SECS", default_value_t = 900)]
    pub access_token_ttl_secs: i64,

    /// Days a refresh token lives.
    #[arg(long, env = "TERROIR_REFRESH_TOKEN_TTL_DAYS", default_value_t = 14)]
    pub refresh_token_ttl_days: i64,

    /// Failed logins allowed per client address and per username within the window.
    #[arg(long, env = "TERROIR_LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub login_max_failures: usize,

    /// The login throttling window, in seconds.
    #[arg(long, env = "TERROIR_LOGIN_WINDOW_SECS", default_value_t = 900)]
    pub login_window_secs: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "TERROIR_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Largest document (a specification, a decision letter…) accepted, in bytes.
    #[arg(long, env = "TERROIR_MAX_DOCUMENT_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_document_bytes: usize,

    /// Memory for the views of GIs kept between reads, in MiB (0: none). Each read still
    /// asks the database whether the GI changed, so instances never serve stale views.
    #[arg(long, env = "TERROIR_READ_CACHE_MB", default_value_t = 32)]
    pub read_cache_mb: usize,

    /// Keep the views reads build in the database too (table `gi_read_views`), shared by
    /// every instance and kept across restarts; off, every instance builds its own.
    #[arg(long, env = "TERROIR_STORED_VIEWS", default_value_t = true, action = clap::ArgAction::Set)]
    pub stored_views: bool,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "TERROIR_WORKERS")]
    pub workers: Option<usize>,

    /// Seconds between two tacit-protection sweeps (0: never; `terroir sweep` runs one).
    #[arg(long, env = "TERROIR_SWEEP_INTERVAL_SECS", default_value_t = 3600)]
    pub sweep_interval_secs: u64,

    /// A bearer token /metrics requires (`Authorization: Bearer TOKEN`); unset, /metrics
    /// is open to whoever reaches the listen address.
    #[arg(long, env = "TERROIR_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated):
    /// a request from one of them is throttled by the client address the proxy reports.
    #[arg(long, env = "TERROIR_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Deliver webhooks to loopback, private and link-local addresses too (a receiver
    /// on the registry's own network). Off by default: such URLs are refused.
    #[arg(long, env = "TERROIR_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private: bool,

    /// Seconds one webhook delivery attempt may take.
    #[arg(long, env = "TERROIR_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_timeout_secs: u64,

    /// Seconds before the first retry of a failed webhook delivery; each further retry
    /// waits twice as long (at most an hour).
    #[arg(long, env = "TERROIR_WEBHOOK_FIRST_RETRY_SECS", default_value_t = 30)]
    pub webhook_first_retry_secs: u64,

    /// Seconds after a change during which its delivery is retried before it is marked
    /// failed.
    #[arg(long, env = "TERROIR_WEBHOOK_RETRY_FOR_SECS", default_value_t = 86_400)]
    pub webhook_retry_for_secs: u64,

    /// Milliseconds between two looks for due webhook deliveries (0: this instance
    /// delivers none).
    #[arg(long, env = "TERROIR_WEBHOOK_POLL_MILLIS", default_value_t = 500)]
    pub webhook_poll_millis: u64,

    /// Load the demonstration data first when the database is empty.
    #[arg(long)]
    pub demo: bool,
}

impl Default for ServerArgs {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            jwt_secret: None,
            signing_key: None,
            admin_password: None,
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 14,
            login_max_failures: 5,
            login_window_secs: 900,
            max_body_bytes: 2 * 1024 * 1024,
            max_document_bytes: 20 * 1024 * 1024,
            read_cache_mb: 32,
            stored_views: true,
            workers: None,
            sweep_interval_secs: 3600,
            metrics_token: None,
            trusted_proxies: Vec::new(),
            webhook_allow_private: false,
            webhook_timeout_secs: 10,
            webhook_first_retry_secs: 30,
            webhook_retry_for_secs: 86_400,
            webhook_poll_millis: 500,
            demo: false,
        }
    }
}

impl ServerArgs {
    /// The settings `serve` would take from the environment alone, for when the
    /// command line names no subcommand.
    pub fn from_env() -> Result<Self, clap::Error> {
        use clap::FromArgMatches;
        let command = Self::augment_args(clap::Command::new("serve"));
        Self::from_arg_matches(&command.try_get_matches_from(["serve"])?)
    }

    pub fn webhooks(&self) -> crate::webhooks::WebhookSettings {
        crate::webhooks::WebhookSettings {
            allow_private: self.webhook_allow_private,
            timeout: Duration::from_secs(self.webhook_timeout_secs.max(1)),
            first_retry: Duration::from_secs(self.webhook_first_retry_secs.max(1)),
            retry_for: Duration::from_secs(self.webhook_retry_for_secs),
            poll: Duration::from_millis(self.webhook_poll_millis),
        }
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.login_window_secs)
    }
}
