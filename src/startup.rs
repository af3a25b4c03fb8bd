//! Builds the application: database, migrations, first admin, secret, HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::ConnectionType;
use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpMessage, HttpServer};
use futures_util::FutureExt;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::docs::ApiDoc;
use crate::api::fallback::{json_envelope, not_found};
use crate::api::json::BodyLimit;
use crate::api::request_span::RequestSpan;
use crate::api::routes::{self, RouteTable, DOCS_PATH, OPENAPI_PATH};
use crate::api::state::AppState;
use crate::api::{request_guard, security_headers};
use crate::auth::bootstrap::{ensure_admin, Bootstrap};
use crate::auth::hashing::PasswordHashers;
use crate::auth::rate_limit::LoginLimiter;
use crate::auth::secret;
use crate::auth::tokens::TokenKeys;
use crate::clock::Clock;
use crate::config::{ServerArgs, StorageArgs};
use crate::db::{migrations, write_transaction, Database, DatabaseUrl};
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::registry::read_cache::ReadCache;
use crate::registry::view_writer::ViewWriter;
use crate::shutdown::{stop_on_signal, Draining};
use crate::signing::keyring::Signer;
use crate::store::{conflict_index, search_keys};

pub struct Application {
    port: u16,
    server: Server,
    db: Database,
    draining: Draining,
    clock: Clock,
}

/// Opens the database and brings its schema up to date, waiting up to `patience` for a
/// database that is not up yet.
pub async fn open_database(storage: &StorageArgs, patience: Duration) -> Result<Database, String> {
    open_and_migrate(storage, patience).await.map(|(db, _)| db)
}

/// `open_database` for commands that read a registry: a SQLite file that does not
/// exist, or a database (either backend) that holds no registry, is an error naming
/// it, never a new empty registry that would verify as "ok: 0 entries".
pub async fn open_existing_database(
    storage: &StorageArgs,
    patience: Duration,
) -> Result<Database, String> {
    if let DatabaseUrl::Sqlite(path) = storage.database_url()? {
        if !path.is_file() {
            return Err(format!(
                "no database at {}: set TERROIR_DATABASE_URL or TERROIR_DATA_DIR to the registry's, \
or create one with `terroir migrate`",
                path.display()
            ));
        }
    }
    open_migrating(storage, patience, true)
        .await
        .map(|(db, _)| db)
}

/// Opens the database and applies the pending migrations; returns the versions applied.
pub async fn open_and_migrate(
    storage: &StorageArgs,
    patience: Duration,
) -> Result<(Database, Vec<String>), String> {
    open_migrating(storage, patience, false).await
}

/// `open_and_migrate`; with `existing`, a database without a registry in it is refused
/// before anything is written.
async fn open_migrating(
    storage: &StorageArgs,
    patience: Duration,
    existing: bool,
) -> Result<(Database, Vec<String>), String> {
    let url = storage.database_url()?;
    let settings = storage.pool_settings();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        loop {
            let attempt = Database::open(&url, &settings).and_then(|db| {
                let mut conn = db.connection()?;
                if existing && !migrations::holds_a_registry(&mut conn)? {
                    return Ok(None);
                }
                let applied = migrations::run_pending(&mut conn)?;
                let rekeyed = search_keys::rekey_if_stale(&mut conn)?;
                if rekeyed > 0 {
                    tracing::info!(rekeyed, "made the GIs' search keys again");
                }
                let indexed = conflict_index::rebuild_if_stale(&mut conn)?;
                if indexed > 0 {
                    tracing::info!(indexed, "made the conflict index again");
                }
                let merged = write_transaction(&mut conn, conflict_index::merge_pending)?;
                if merged > 0 {
                    tracing::info!(merged, "merged the postings an import left pending");
                }
                drop(conn);
                Ok(Some((db, applied)))
            });
            match attempt {
                Ok(None) => {
                    return Err(format!(
                        "no registry in the database {url}: it holds no Terroir tables; set \
TERROIR_DATABASE_URL to the registry's, or create one with `terroir migrate`"
                    ))
                }
                Ok(Some((db, applied))) => {
                    if !applied.is_empty() {
                        tracing::info!(database = %url, ?applied, "applied migrations");
                    }
                    return Ok((db, applied));
                }
                Err(AppError::Unavailable(why)) if started.elapsed() < patience => {
                    let why = url.scrub(&why);
                    tracing::warn!(%why, database = %url, "database not reachable yet; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                }
                Err(err) => return Err(url.scrub(&format!("cannot open {url}: {err} {err:?}"))),
            }
        }
    })
    .await
    .map_err(|e| e.to_string())?
}

impl Application {
    pub async fn build(storage: StorageArgs, server: ServerArgs) -> Result<Self, String> {
        let db = open_database(&storage, Duration::from_secs(30)).await?;
        let secret = secret::load_or_create(server.jwt_secret.as_deref(), &storage.data_dir)?;
        let tokens = TokenKeys::new(&secret, server.access_token_ttl_secs)?;
        let signer_db = db.clone();
        let (signing_key, data_dir) = (server.signing_key.clone(), storage.data_dir.clone());
        let signer = tokio::task::spawn_blocking(move || {
            Signer::open(&signer_db, signing_key.as_deref(), &data_dir)
        })
        .await
        .map_err(|e| e.to_string())??;

        let admin_db = db.clone();
        let admin_password = server.admin_password.clone();
        let bootstrap =
            tokio::task::spawn_blocking(move || ensure_admin(&admin_db, admin_password.as_deref()))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
        match bootstrap {
            Bootstrap::NotNeeded => {}
            Bootstrap::PasswordIgnored => tracing::warn!(
                "TERROIR_ADMIN_PASSWORD is set but ignored: this database already has users \
(it only sets the first admin's password on an empty database); log in with the existing \
password, or use a new TERROIR_DATA_DIR for a fresh registry"
            ),
            Bootstrap::Created => tracing::info!("created user admin with TERROIR_ADMIN_PASSWORD"),
            Bootstrap::CreatedWithPassword(password) => {
                // Printed once, on the terminal, never logged.
                println!(
                    "\nCreated the first administrator.\n  username: admin\n  password: {password}\nKeep it now: it is not shown again.\n"
                );
            }
        }

        let clock = Clock::default();
        let view_writer = if server.stored_views {
            ViewWriter::spawn(db.clone())
                .map_err(|e| format!("cannot start the view writer: {e}"))?
        } else {
            ViewWriter::disabled()
        };
        let state = web::Data::new(AppState {
            db: db.clone(),
            clock: clock.clone(),
            tokens,
            login_limiter: LoginLimiter::new(server.login_max_failures, server.login_window()),
            hashers: PasswordHashers::per_core().map_err(|e| e.to_string())?,
            refresh_ttl: chrono::Duration::days(server.refresh_token_ttl_days),
            metrics: Metrics::default(),
            metrics_token: server.metrics_token.clone(),
            trusted_proxies: server.trusted_proxies.clone(),
            max_document_bytes: server.max_document_bytes,
            webhook_allow_private: server.webhook_allow_private,
            signer: std::sync::Arc::new(signer),
            read_cache: std::sync::Arc::new(ReadCache::new(server.read_cache_mb << 20)),
            view_writer,
        });
        crate::webhooks::worker::spawn(db.clone(), server.webhooks())?;
        if server.sweep_interval_secs > 0 {
            spawn_sweeper(
                db.clone(),
                clock.clone(),
                Duration::from_secs(server.sweep_interval_secs),
            );
        }
        let listener = TcpListener::bind(server.bind)
            .map_err(|e| format!("cannot bind {}: {e}", server.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let routes = web::Data::new(RouteTable::from_openapi());
        let openapi = ApiDoc::openapi();
        let body_limit = BodyLimit(server.max_body_bytes);
        let draining = Draining::default();
        let draining_app = web::Data::new(draining.clone());

        let blocking_threads = storage.pool_settings().max_connections as usize + 1;
        let mut http = HttpServer::new(move || {
            let draining = draining_app.clone();
            App::new()
                .app_data(state.clone())
                .app_data(draining_app.clone())
                .app_data(routes.clone())
                .app_data(body_limit)
                .app_data(path_config())
                .configure(crate::api::configure)
                .configure(crate::web::configure)
                .service(
                    SwaggerUi::new(DOCS_PATH)
                        .url(OPENAPI_PATH, openapi.clone())
                        .config(swagger_config()),
                )
                .service(web::redirect("/docs", "/docs/"))
                .default_service(web::to(not_found))
                .wrap_fn(request_guard::check)
                .wrap_fn(|req, srv| srv.call(req).then(crate::web::session::set_renewed_cookies))
                .wrap(ErrorHandlers::new().default_handler(json_envelope))
                .wrap_fn(|req, srv| srv.call(req).then(security_headers::apply))
                .wrap_fn(move |req, srv| {
                    let draining = draining.is_set();
                    let request_id = req.extensions().get::<RequestId>().copied();
                    let state = req.app_data::<web::Data<AppState>>().cloned();
                    let method = req.method().to_string();
                    let started = std::time::Instant::now();
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        let route = routes::route_label(res.request());
                        let status = res.status().as_u16();
                        let elapsed = started.elapsed();
                        if let Some(state) = state {
                            state.metrics.record(&method, &route, status, elapsed);
                        }
                        // The access log line, inside the request's span (so with its id).
                        tracing::info!(%method, %route, status, elapsed_ms = elapsed.as_millis() as u64, "request");
                        if draining {
                            // Stopping: the client closes after this answer.
                            res.response_mut()
                                .head_mut()
                                .set_connection_type(ConnectionType::Close);
                        }
                        if let Some(id) = request_id {
                            if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
                                res.headers_mut()
                                    .insert(HeaderName::from_static("x-request-id"), value);
                            }
                        }
                        Ok(res)
                    }
                })
                .wrap(TracingLogger::<RequestSpan>::new())
        })
        .shutdown_timeout(10)
        // Requests wait for a database connection in the async queue, not as parked
        // threads: each worker's blocking pool is no larger than the connection pool
        // (plus the SQLite writer). Password hashing has its own threads.
        .worker_max_blocking_threads(blocking_threads)
        // Signals are ours (`shutdown.rs`): actix's would drop requests already read.
        .disable_signals();
        if let Some(workers) = server.workers {
            http = http.workers(workers.max(1));
        }
        let server = http
            .listen(listener)
            .map_err(|e| format!("cannot listen: {e}"))?
            .run();
        Ok(Self {
            port,
            server,
            db,
            draining,
            clock,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The clock the server reads "now" from (tests fix it).
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    pub fn database(&self) -> Database {
        self.db.clone()
    }

    /// Serves until SIGINT or SIGTERM, then answers every request it has read
    /// (`shutdown.rs`) and stops.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        stop_on_signal(self.server.handle(), self.draining);
        self.server.await
    }

    pub fn into_server(self) -> Server {
        self.server
    }
}

/// Runs the tacit-protection sweep now and then every `interval`, for as long as the
/// server runs. Several instances may sweep at once: each change happens once.
fn spawn_sweeper(db: Database, clock: Clock, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        loop {
            ticks.tick().await;
            let now = clock.now();
            match db
                .write(move |conn| {
                    crate::registry::recognition_lifecycle::sweep_tacit_protection(conn, now)
                })
                .await
            {
                Ok(report) if !report.protected.is_empty() => {
                    tracing::info!(protected = ?report.protected, "tacit protection sweep")
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "tacit protection sweep failed; will retry"),
            }
        }
    });
}

/// Swagger UI as served: no call to the public validator (the docs work offline and
/// within the documentation page's Content-Security-Policy).
fn swagger_config() -> utoipa_swagger_ui::Config<'static> {
    utoipa_swagger_ui::Config::from(OPENAPI_PATH).validator_url("none")
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, req| {
        AppError::NotFound(format!("no such resource: {}", req.path())).into()
    })
}
