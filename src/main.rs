//! The `terroir` command: parses the command line and calls the library.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use terroir::auth::password::{check_policy, hash_password};
use terroir::config::{LogFormat, ServerArgs, StorageArgs};
use terroir::domain::role::Role;
use terroir::startup::{open_and_migrate, open_database, open_existing_database, Application};
use terroir::store::planner_statistics;

#[derive(Parser)]
#[command(
    name = "terroir",
    version,
    about = "A registry for the mutual recognition of geographical indications between IP offices.",
    long_about = "A registry for the mutual recognition of geographical indications (GIs) between IP \
offices. Runs on a SQLite file (the default, ./data/terroir.db) or on PostgreSQL \
(TERROIR_DATABASE_URL=postgres://…). Without a subcommand it serves the HTTP API."
)]
struct Cli {
    #[command(flatten)]
    storage: StorageArgs,

    /// A settings file (TOML; keys are the TERROIR_ names in lower case, without the
    /// prefix). Default: ./terroir.toml when it exists. The environment and flags
    /// override it.
    #[arg(long, env = "TERROIR_CONFIG", global = true)]
    config: Option<std::path::PathBuf>,

    /// Log lines as text or as JSON.
    #[arg(long, env = "TERROIR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default): runs pending migrations, creates the first
    /// admin if there are no users, then listens on TERROIR_BIND until SIGINT/SIGTERM.
    Serve(ServerArgs),
    /// Apply pending database migrations, say which, and exit.
    Migrate,
    /// Print the effective settings (settings file, environment, flags, defaults) in
    /// the settings file's syntax, secrets masked.
    Config(ServerArgs),
    /// Manage user accounts from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage offices' holidays.
    #[command(subcommand)]
    Holidays(HolidaysCommand),
    /// Print the OpenAPI document (YAML), as checked in at openapi.yaml.
    Openapi,
    /// Load a register file into the database: the EU register snapshot, or Terroir's
    /// JSON-lines or CSV format (docs/import-format.md). Offices are created as needed;
    /// a GI whose file number is already registered is left unchanged, so a second run
    /// changes nothing. Rejected rows are reported with their line and reason.
    Import {
        /// The register file.
        file: std::path::PathBuf,
        /// eu-register, jsonl or csv (detected from the content when absent).
        #[arg(long)]
        format: Option<String>,
        /// Read entries from outside the EU as this partner office's recognitions of the
        /// origin office's GI (linked to the GI it already holds, created otherwise);
        /// needs --programme. Entries from the EU are skipped.
        #[arg(long, requires = "programme")]
        as_partner: Option<String>,
        /// The programme the partner's recognitions are under (with --as-partner).
        #[arg(long, requires = "as_partner")]
        programme: Option<String>,
    },
    /// Export recognitions as they stood on a date, like GET /api/v1/exports/recognitions:
    /// the export is recorded and audited, and its SHA-256 printed. With --replay ID,
    /// write again the bytes of export ID (like GET /api/v1/exports/{id}/replay).
    Export {
        /// csv, json or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The date the list is as of (YYYY-MM-DD; default today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// The moment the list is as known at (RFC 3339; default now): only events
        /// recorded by then count.
        #[arg(long)]
        known_at: Option<chrono::DateTime<chrono::Utc>>,
        /// Replay the recorded export with this id: its query, as of its date and as
        /// known at its moment, checked against its recorded SHA-256.
        #[arg(long, conflicts_with_all = ["as_of", "known_at", "programme", "partner", "origin", "status", "bom"])]
        replay: Option<i64>,
        /// Only this programme (code).
        #[arg(long)]
        programme: Option<String>,
        /// Only this partner office (code).
        #[arg(long)]
        partner: Option<String>,
        /// Only GIs of this origin office (code).
        #[arg(long)]
        origin: Option<String>,
        /// Only this status on the date.
        #[arg(long)]
        status: Option<String>,
        /// CSV: begin with a UTF-8 byte-order mark.
        #[arg(long)]
        bom: bool,
        /// The signing key (PKCS#8 PEM), as for `serve`; else the data folder's.
        #[arg(long, env = "TERROIR_SIGNING_KEY", hide_env_values = true)]
        signing_key: Option<String>,
        /// Where to write it.
        #[arg(long, short)]
        out: std::path::PathBuf,
    },
    /// The registry's signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// An office's earlier trademarks, for the conflict check.
    #[command(subcommand)]
    Trademarks(TrademarksCommand),
    /// Check offline that FILE is exactly what the registry signed: an export with the
    /// `X-Signature` it came with and the public key from GET /api/v1/keys. Exits 0 and
    /// names the key when it verifies, 1 otherwise. Needs no database.
    VerifyExport {
        /// The exported file, as received.
        file: std::path::PathBuf,
        /// The signature: its base64 text, or a file holding it (or its 64 raw bytes).
        #[arg(long)]
        signature: String,
        /// The public key, SubjectPublicKeyInfo PEM (the `public_key_pem` of GET /api/v1/keys).
        #[arg(long)]
        key: std::path::PathBuf,
    },
    /// Write a consistent copy of the SQLite registry to FILE while it serves
    /// (VACUUM INTO). PostgreSQL: use pg_dump (see the README).
    Backup {
        /// Where to write the copy; must not exist.
        file: std::path::PathBuf,
    },
    /// Put a backup back as the registry (TERROIR_DATABASE_URL, which must not exist
    /// yet), refusing a copy whose audit chain does not verify.
    Restore {
        /// A file written by `terroir backup`.
        file: std::path::PathBuf,
    },
    /// Run the tacit-protection sweep once: protect every recognition whose decision
    /// period ended without a decision, in programmes with tacit protection.
    Sweep,
    /// Load the CN–TH demonstration into an empty database and print its users
    /// (passwords generated, or all TERROIR_DEMO_PASSWORD when set).
    Demo,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from TERROIR_NEW_USER_PASSWORD, or
    /// generated and printed when that is unset.
    Add {
        /// Login name: 3–64 lower-case letters, digits, '.', '_' or '-'.
        username: String,
        /// admin or auditor (office users are created through the API, by their office admin).
        #[arg(long, default_value = "admin")]
        role: String,
        /// The name shown to others.
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum HolidaysCommand {
    /// Add the holidays of an iCalendar file (.ics, as government holiday calendars
    /// ship) to an office: each event's days, yearly where it says RRULE:FREQ=YEARLY.
    Import {
        /// The office's code.
        code: String,
        /// The .ics file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum TrademarksCommand {
    /// Load an office's trademarks from a CSV file with the header
    /// `number,mark,classes,owner,filed_on,status` (classes separated by `;`); a number
    /// loaded before is replaced. Rejected lines are reported with their reasons.
    Import {
        /// The office's code.
        code: String,
        /// The CSV file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// List every key the registry has signed with (id, creation, retirement).
    List,
    /// Sign from now on with a new key from the data folder: the old one is retired (it
    /// stays listed, so what it signed still verifies) and its private half destroyed.
    /// Running servers pick the new key up with their next signature.
    Rotate {
        /// Set when the key is configured rather than kept in the data folder: rotate
        /// it by configuring a new one.
        #[arg(long, env = "TERROIR_SIGNING_KEY", hide_env_values = true)]
        signing_key: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the whole hash chain; exits 0 when it verifies, 1 naming the first
    /// broken entry otherwise.
    Verify,
}

fn main() -> ExitCode {
    // The settings file fills in what the environment leaves unset, before clap reads
    // the environment; flags then override both.
    let settings_file = match settings_file() {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let cli = Cli::parse();
    terroir::telemetry::init(cli.log_format);
    let command = match cli.command {
        Some(command) => command,
        None => match ServerArgs::from_env() {
            Ok(server) => Command::Serve(server),
            Err(err) => err.exit(),
        },
    };
    let result = match command {
        Command::Config(server) => {
            print!(
                "{}",
                terroir::config::show::effective(
                    &cli.storage,
                    &server,
                    cli.log_format,
                    settings_file.as_deref()
                )
            );
            Ok(())
        }
        Command::Serve(server) => actix_web::rt::System::new().block_on(serve(cli.storage, server)),
        Command::Openapi => terroir::api::docs::openapi_yaml().map(|yaml| print!("{yaml}")),
        Command::VerifyExport {
            file,
            signature,
            key,
        } => terroir::signing::offline::verify_export(&file, &signature, &key)
            .map(|kid| println!("ok: {} was signed by {kid}", file.display())),
        command => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))
            .and_then(|runtime| runtime.block_on(run(cli.storage, command))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Applies the settings file, if any, to this process's environment; returns its path.
fn settings_file() -> Result<Option<std::path::PathBuf>, String> {
    use clap::CommandFactory;
    use terroir::config::file;
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = file::locate(&args)? else {
        return Ok(None);
    };
    let mut known = Vec::new();
    env_names(&Cli::command(), &mut known);
    known.retain(|name| name != file::FILE_ENV);
    file::apply(&path, &known)?;
    Ok(Some(path))
}

/// Every environment variable the command line reads, in every subcommand.
fn env_names(command: &clap::Command, names: &mut Vec<String>) {
    for arg in command.get_arguments() {
        if let Some(name) = arg.get_env().and_then(|n| n.to_str()) {
            if !names.iter().any(|known| known == name) {
                names.push(name.to_string());
            }
        }
    }
    for sub in command.get_subcommands() {
        env_names(sub, names);
    }
}

async fn serve(storage: StorageArgs, server: ServerArgs) -> Result<(), String> {
    if server.demo {
        let db = open_database(&storage, Duration::from_secs(30)).await?;
        let password = std::env::var(terroir::demo::PASSWORD_ENV).ok();
        let today = chrono::Utc::now().date_naive();
        let loaded = tokio::task::spawn_blocking(move || {
            terroir::demo::load_demo_if_empty(&db, today, password.as_deref())
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        match loaded {
            Some(report) => report.print(),
            None => tracing::info!("the database already holds GIs; --demo loads nothing"),
        }
    }
    let bind = server.bind;
    let app = Application::build(storage.clone(), server).await?;
    let database = storage.database_url()?;
    tracing::info!(%bind, port = app.port(), %database, "serving");
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn run(storage: StorageArgs, command: Command) -> Result<(), String> {
    // These two work on files, and restore on a registry that does not exist yet.
    match command {
        Command::Backup { file } => return backup(&storage, file).await,
        Command::Restore { file } => return restore(&storage, file).await,
        _ => {}
    }
    let patience = Duration::from_secs(10);
    // Commands that read or extend a registry never create one where there is none.
    let (db, applied) = match command {
        Command::Migrate | Command::Import { .. } | Command::Demo => {
            open_and_migrate(&storage, patience).await?
        }
        _ => (
            open_existing_database(&storage, patience).await?,
            Vec::new(),
        ),
    };
    tokio::task::spawn_blocking(move || match command {
        Command::Migrate => {
            let database = storage.database_url()?;
            if applied.is_empty() {
                println!("{database}: no pending migrations; the schema is up to date");
            } else {
                println!("{database}: applied {} migration(s):", applied.len());
                for version in &applied {
                    println!("  {version}");
                }
            }
            Ok(())
        }
        Command::User(UserCommand::Add {
            username,
            role,
            display_name,
        }) => add_user(&db, &username, &role, display_name),
        Command::Audit(AuditCommand::Verify) => {
            let report = db
                .read_blocking(terroir::store::audit_anchors::verify)
                .map_err(|e| e.to_string())?;
            match report.first_broken {
                None => {
                    println!(
                        "ok: {} entries verify; head hash {}",
                        report.entries,
                        report.head_hash.unwrap_or_else(|| "(empty log)".into())
                    );
                    Ok(())
                }
                Some(broken) => Err(format!(
                    "the audit chain does not verify at entry {}: {}",
                    broken.seq, broken.reason
                )),
            }
        }
        Command::Holidays(HolidaysCommand::Import { code, file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let holidays = terroir::domain::icalendar::read_holidays(&text)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let added = db
                .write_blocking(move |conn| {
                    terroir::registry::holidays::import(conn, &code, &holidays)
                })
                .map_err(|e| e.to_string())?;
            println!("{added} holiday(s) imported from {}", file.display());
            Ok(())
        }
        Command::Sweep => {
            let now = chrono::Utc::now();
            let report = db
                .write_blocking(|conn| {
                    terroir::registry::recognition_lifecycle::sweep_tacit_protection(conn, now)
                })
                .map_err(|e| e.to_string())?;
            println!(
                "tacit protection: {} recognition(s) protected {:?}",
                report.protected.len(),
                report.protected
            );
            Ok(())
        }
        Command::Import {
            file,
            format,
            as_partner,
            programme,
        } => import(
            &db,
            &file,
            format.as_deref(),
            as_partner.as_deref().zip(programme.as_deref()),
        ),
        Command::Demo => {
            let password = std::env::var(terroir::demo::PASSWORD_ENV).ok();
            let today = chrono::Utc::now().date_naive();
            terroir::demo::load_demo(&db, today, password.as_deref())
                .map_err(|e| e.to_string())?
                .print();
            Ok(())
        }
        Command::Export {
            replay: Some(id),
            out,
            ..
        } => replay_export(&db, id, &out),
        Command::Export {
            format,
            as_of,
            known_at,
            replay: None,
            programme,
            partner,
            origin,
            status,
            bom,
            signing_key,
            out,
        } => {
            let query = terroir::export::ExportQuery {
                format: format.parse()?,
                programme,
                partner,
                origin,
                status: status
                    .map(|s| {
                        s.parse()
                            .map_err(|e: terroir::domain::transition::UnknownValue| e.to_string())
                    })
                    .transpose()?,
                as_of,
                known_at,
                bom: bom.then_some(true),
            };
            let signer = terroir::signing::keyring::Signer::open(
                &db,
                signing_key.as_deref(),
                &storage.data_dir,
            )?;
            export(&db, &signer, &query, &out)
        }
        Command::Trademarks(TrademarksCommand::Import { code, file }) => {
            let reader = std::fs::File::open(&file)
                .map(std::io::BufReader::new)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let done = terroir::import::trademarks::import(&db, &code, reader)?;
            refresh_statistics(&db, planner_statistics::TRADEMARK_TABLES)?;
            println!(
                "{} trademark(s) loaded into {code} ({} new; {} in all); {} line(s) rejected",
                done.loaded, done.new, done.total, done.rejected_count
            );
            for (line, reason) in &done.rejected {
                println!("  line {line}: {reason}");
            }
            Ok(())
        }
        Command::Keys(KeysCommand::List) => {
            let keys = db
                .read_blocking(terroir::signing::keyring::public_keys)
                .map_err(|e| e.to_string())?;
            for key in keys {
                let retired = key
                    .retired_at
                    .map(|at| format!("retired {}", terroir::utc::format(at)))
                    .unwrap_or_else(|| "in use".into());
                println!(
                    "{}  {}  created {}  {retired}",
                    key.kid,
                    key.alg,
                    terroir::utc::format(key.created_at)
                );
            }
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate { signing_key }) => {
            if signing_key.is_some() {
                return Err(
                    "the signing key is configured (TERROIR_SIGNING_KEY): rotate it by \
configuring a new one on every instance"
                        .into(),
                );
            }
            let who = terroir::audit::AuditActor {
                id: None,
                name: "command-line".into(),
                office: None,
            };
            let rotation = terroir::signing::keyring::rotate(&db, &storage.data_dir, &who)?;
            println!(
                "signing with {} from now on; {} retired (still listed, so what it signed \
still verifies)",
                rotation.created, rotation.retired
            );
            Ok(())
        }
        Command::Serve(_)
        | Command::VerifyExport { .. }
        | Command::Openapi
        | Command::Config(_)
        | Command::Backup { .. }
        | Command::Restore { .. } => Ok(()),
    })
    .await
    .map_err(|e| e.to_string())?
}

fn add_user(
    db: &terroir::db::Database,
    username: &str,
    role: &str,
    display_name: Option<String>,
) -> Result<(), String> {
    let role: Role = role.parse()?;
    if !role.has_no_office() {
        return Err(format!(
            "role {role} belongs to an office or association: create it through the API"
        ));
    }
    if !terroir::domain::identifiers::is_username(username) {
        return Err("the username must be 3–64 lower-case letters, digits, '.', '_' or '-'".into());
    }
    let (password, generated) = match std::env::var("TERROIR_NEW_USER_PASSWORD") {
        Ok(password) => (password, false),
        Err(_) => (terroir::auth::password::generate_password(), true),
    };
    check_policy(username, &password).map_err(|e| match e {
        terroir::error::AppError::Validation(fields) => format!(
            "the password was refused: it {}",
            fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => other.to_string(),
    })?;
    let password_hash = hash_password(&password).map_err(|e| e.to_string())?;
    let id =
        terroir::auth::bootstrap::create_account(db, username, display_name, role, password_hash)
            .map_err(|e| e.to_string())?;
    println!("created user {username} (id {id}, role {role})");
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

fn import(
    db: &terroir::db::Database,
    file: &std::path::Path,
    format: Option<&str>,
    as_partner: Option<(&str, &str)>,
) -> Result<(), String> {
    use terroir::import::{detect_format, load, parse, partner::PartnerTarget, Format};
    let target = match as_partner {
        Some((partner, programme)) => Some(
            db.write_blocking(|conn| {
                PartnerTarget::resolve(conn, partner, programme, chrono::Utc::now())
            })
            .map_err(|e| match e {
                terroir::error::AppError::Validation(fields) => fields
                    .iter()
                    .map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            })?,
        ),
        None => None,
    };
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", file.display());
    let open = || {
        std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .map_err(cannot_read)
    };
    // Checked whole before anything is written, as when the file was read into memory.
    let lines = terroir::import::stream::count_utf8_lines(open()?).map_err(cannot_read)?;
    let format: Format = match format {
        Some(name) => name.parse()?,
        None => detect_format(&first_text(open()?).map_err(cannot_read)?),
    };
    let bar = indicatif::ProgressBar::new(lines as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} GIs {elapsed_precise}")
            .map_err(|e| e.to_string())?,
    );
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| format.to_string());
    // A partner's import is dated on the partner's local date; a home import (rows of
    // several origin offices) on the UTC date.
    let now = chrono::Utc::now();
    let today = match &target {
        Some(t) => db
            .read_blocking(|conn| terroir::registry::calendars::today_at(conn, t.partner_id, now))
            .map_err(|e| e.to_string())?,
        None => now.date_naive(),
    };
    let progress = |done| bar.set_position(done as u64);
    let (report, mut rejected) = if format == Format::JsonLines {
        // Read and written piece by piece: memory stays flat whatever the file's size.
        let mut pieces = terroir::import::stream::JsonLinesPieces::new(open()?);
        let report = load::load(
            db,
            pieces.by_ref(),
            &source,
            today,
            target.as_ref(),
            &progress,
        )
        .map_err(|e| e.to_string())?;
        if let Some(e) = pieces.error {
            return Err(cannot_read(e));
        }
        (report, pieces.rejected)
    } else {
        let content = std::fs::read_to_string(file).map_err(cannot_read)?;
        let (rows, rejected) = parse(&content, format);
        drop(content);
        bar.set_length(rows.len() as u64);
        let report = load::load(db, [rows], &source, today, target.as_ref(), &progress)
            .map_err(|e| e.to_string())?;
        (report, rejected)
    };
    bar.finish();
    refresh_statistics(db, planner_statistics::REGISTER_TABLES)?;
    rejected.extend(report.rejected);
    rejected.sort_by_key(|r| r.line);
    for row in &rejected {
        eprintln!("rejected {row}");
    }
    for row in &report.skipped {
        eprintln!("skipped {row}");
    }
    if let Some(target) = &target {
        for link in &report.links {
            println!(
                "{} -> recognition {} by {} under {} of GI {} at {} ({})",
                link.file_number,
                link.recognition_id,
                target.partner_code,
                target.programme.code,
                link.gi_id,
                link.origin_office,
                if link.linked { "linked" } else { "created" }
            );
        }
        println!(
            "as partner {} under {}: {} recognitions ({} linked to existing GIs), {} skipped",
            target.partner_code,
            target.programme.code,
            report.links.len(),
            report.links.iter().filter(|l| l.linked).count(),
            report.skipped.len()
        );
    }
    println!(
        "{format}: {} imported, {} already present, {} rejected; offices created: {}",
        report.imported,
        report.unchanged,
        rejected.len(),
        if report.offices_created.is_empty() {
            "none".to_string()
        } else {
            report.offices_created.join(", ")
        }
    );
    Ok(())
}

/// After a bulk load: the planner's statistics of what it filled (store/planner_statistics.rs).
fn refresh_statistics(db: &terroir::db::Database, tables: &[&str]) -> Result<(), String> {
    let mut conn = db.connection().map_err(|e| e.to_string())?;
    planner_statistics::refresh(&mut conn, tables).map_err(|e| e.to_string())
}

/// The start of a file, up to its first non-blank character: enough to tell its format.
fn first_text(reader: impl std::io::BufRead) -> std::io::Result<String> {
    let mut text = String::new();
    for line in reader.lines() {
        let line = line?;
        let found = !line.trim_start_matches('\u{FEFF}').trim().is_empty();
        text.push_str(&line);
        text.push('\n');
        if found {
            break;
        }
    }
    Ok(text)
}

fn export(
    db: &terroir::db::Database,
    signer: &terroir::signing::keyring::Signer,
    query: &terroir::export::ExportQuery,
    out: &std::path::Path,
) -> Result<(), String> {
    use terroir::export::{issue::issue, session};
    let who = terroir::audit::AuditActor {
        id: None,
        name: "command-line".into(),
        office: None,
    };
    // Today for the partner (or origin) office the query names, else UTC.
    let now = chrono::Utc::now();
    let today = db
        .read_blocking(|conn| {
            let about = terroir::registry::calendars::office_of_filters(
                conn,
                query.partner.as_deref(),
                query.origin.as_deref(),
            )?;
            terroir::registry::calendars::reader_today(conn, None, about, now)
        })
        .map_err(|e| e.to_string())?;
    let mut session = session::start(db, query, who, today, now).map_err(|e| e.to_string())?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(out)
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} rows {elapsed_precise}")
            .map_err(|e| e.to_string())?,
    );
    let issued = issue(db, signer, &mut session, file, &|rows| {
        bar.set_position(rows as u64)
    })
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    println!(
        "export {}: {} rows as of {} written to {}\nsha256 {}\nsignature {} (key {})",
        session.id,
        session.rows,
        session.as_of,
        out.display(),
        issued.body.sha256,
        issued.signed.signature,
        issued.signed.kid
    );
    Ok(())
}

fn replay_export(db: &terroir::db::Database, id: i64, out: &std::path::Path) -> Result<(), String> {
    let record = db
        .read_blocking(|conn| terroir::store::exports::by_id(conn, id))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no export {id}"))?;
    let mut spooled =
        terroir::export::replay::replay_to_file(db, &record).map_err(|e| match e {
            terroir::error::AppError::ReplayMismatch {
                recorded, replayed, ..
            } => format!(
                "the replay of export {id} does not give the recorded bytes \
             (recorded sha256 {recorded}, replayed {replayed})"
            ),
            other => other.to_string(),
        })?;
    let mut file =
        std::fs::File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    std::io::copy(&mut spooled.file, &mut file).map_err(|e| e.to_string())?;
    println!(
        "export {id} replayed: {} rows as of {} written to {}\nsha256 {}",
        spooled.rows,
        record.as_of,
        out.display(),
        spooled.sha256
    );
    Ok(())
}

async fn backup(storage: &StorageArgs, file: std::path::PathBuf) -> Result<(), String> {
    let url = storage.database_url()?;
    let report = tokio::task::spawn_blocking(move || {
        let report = terroir::registry::backup::backup(&url, &file)?;
        Ok::<_, String>((file, report))
    })
    .await
    .map_err(|e| e.to_string())??;
    let (file, report) = report;
    println!(
        "backup written to {}: {} audit entries; head hash {}",
        file.display(),
        report.entries,
        report.head_hash.unwrap_or_else(|| "(empty log)".into())
    );
    Ok(())
}

async fn restore(storage: &StorageArgs, file: std::path::PathBuf) -> Result<(), String> {
    let url = storage.database_url()?;
    let shown = url.to_string();
    let report =
        tokio::task::spawn_blocking(move || terroir::registry::backup::restore(&file, &url))
            .await
            .map_err(|e| e.to_string())??;
    println!(
        "restored into {shown}: {} audit entries verify; head hash {}",
        report.entries,
        report.head_hash.unwrap_or_else(|| "(empty log)".into())
    );
    Ok(())
}
