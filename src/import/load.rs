//! Writing imported rows into the database: offices created as needed, GIs with their
//! names and an `import` event, one audit entry each. Idempotent by file number: a row
//! whose file number is already registered is left as it is.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::partner::{find_origin_gi, is_eu_member, recognise, Link, PartnerTarget};
use super::row::{ImportRow, Rejected};
use crate::audit::{AuditActor, AuditRecord};
use crate::db::{AnyConnection, Database};
use crate::domain::countries;
use crate::domain::gi_status::GiStatus;
use crate::domain::legal_dates::opposition_deadline;
use crate::error::AppError;
use crate::registry::gi_application::{blob_of, store_names};
use crate::registry::record::{audit_record, new_event, record_as, Change};
use crate::store::conflict_index::{self, GiEntries};
use crate::store::deferred_indexes::DeferredIndexes;
use crate::store::gis::{self, NewGi, NewName};
use crate::store::{audit, events, name_index, offices};

/// Rows prepared and written together.
const BATCH: usize = 500;
/// Batches written per transaction. Each commit writes every page the batch changed,
/// and the name indexes (`conflict_forms` by form, the FTS5 trigrams) take a batch's
/// keys all over their pages: 200 commits of 500 rows made a 100,000-GI SQLite import
/// 21 s, 50 commits of 2,000 rows 15 s. The batches stay small so that the rows read
/// ahead do not hold more memory.
const BATCHES_PER_TRANSACTION: usize = 4;
/// The tables a plain import fills, whose indexes an import into an empty SQLite
/// register makes once at the end (store/deferred_indexes.rs).
const FILLED_TABLES: &[&str] = &["gis", "gi_names", "events", "audit_log", "conflict_forms"];
/// The opposition period given to an office the import creates.
const DEFAULT_OPPOSITION_DAYS: i32 = 90;

#[derive(Debug, Default, PartialEq)]
pub struct ImportReport {
    pub imported: usize,
    /// Rows whose file number was already in the register.
    pub unchanged: usize,
    pub offices_created: Vec<String>,
    pub rejected: Vec<Rejected>,
    /// With `--as-partner`: each recognition written, and the GI it recognises.
    pub links: Vec<Link>,
    /// With `--as-partner`: rows that are not the partner's recognitions under the
    /// programme (origin in the EU, or origin office not a party), and why.
    pub skipped: Vec<Rejected>,
}

/// Batches read ahead of the one being written.
const AHEAD: usize = 2;

/// A batch of rows and what can be made of them before the database is touched: for a
/// plain import, each row's search blob and conflict index entries (the name keys,
/// about a quarter of an import's work), made on the reading thread.
struct Batch {
    rows: Vec<ImportRow>,
    /// One per row, or none (an import as a partner makes them as it writes).
    keys: Vec<RowKeys>,
}

struct RowKeys {
    blob: String,
    entries: GiEntries,
}

impl Batch {
    fn prepare(rows: Vec<ImportRow>, with_keys: bool) -> Self {
        let keys = if with_keys {
            rows.iter()
                .map(|row| RowKeys {
                    blob: blob_of(&row.names),
                    entries: GiEntries::of(row.names.iter().map(|n| n.text.as_str())),
                })
                .collect()
        } else {
            Vec::new()
        };
        Self { rows, keys }
    }
}

/// Writes `rows`, given in pieces so that a file can be read as it is written
/// (blocking: call it off the async workers). `progress` is told how many rows are
/// written after each batch (committed when their transaction is).
///
/// Two threads: this one writes batch after batch, [`BATCHES_PER_TRANSACTION`] to a
/// transaction (all of them in one into an empty SQLite register, with the indexes made
/// at the end: store/deferred_indexes.rs), while
/// a second one takes the pieces from `rows` (reading and parsing the file, when `rows`
/// does that) and makes each batch's name keys, at most [`AHEAD`] batches ahead; each
/// written batch goes back to it to be freed where it was allocated. What is written,
/// and in what order, is what one thread doing both would write.
pub fn load<I>(
    db: &Database,
    rows: I,
    source: &str,
    today: NaiveDate,
    partner: Option<&PartnerTarget>,
    progress: &dyn Fn(usize),
) -> Result<ImportReport, AppError>
where
    I: IntoIterator<Item = Vec<ImportRow>>,
    I::IntoIter: Send,
{
    let pieces = rows.into_iter();
    let with_keys = partner.is_none();
    std::thread::scope(|scope| {
        let (ready, batches) = std::sync::mpsc::sync_channel::<Batch>(AHEAD);
        let (spend, spent) = std::sync::mpsc::channel::<Batch>();
        scope.spawn(move || {
            for piece in pieces {
                let mut rows = piece.into_iter();
                loop {
                    // Freed on the thread that allocated them.
                    while let Ok(old) = spent.try_recv() {
                        drop(old);
                    }
                    let batch: Vec<ImportRow> = rows.by_ref().take(BATCH).collect();
                    if batch.is_empty() {
                        break;
                    }
                    if ready.send(Batch::prepare(batch, with_keys)).is_err() {
                        // The writer stopped (an error): nothing more to read.
                        return;
                    }
                }
            }
        });
        // `batches` and `spend` are dropped when this returns, which stops the reader.
        let written = write_batches(db, batches, spend, source, today, partner, progress);
        // The postings of the batches committed, failed or not.
        let merged = db.write_blocking(conflict_index::merge_pending);
        let report = written.and_then(|report| merged.map(|_| report))?;
        if report.imported > 0 {
            // The rows are in and found either way; merged, searches read less.
            if let Err(err) = db.write_blocking(name_index::merge_segments) {
                tracing::warn!("the search index was left in segments after the import: {err}");
            }
        }
        Ok(report)
    })
}

fn write_batches(
    db: &Database,
    batches: std::sync::mpsc::Receiver<Batch>,
    spend: std::sync::mpsc::Sender<Batch>,
    source: &str,
    today: NaiveDate,
    partner: Option<&PartnerTarget>,
    progress: &dyn Fn(usize),
) -> Result<ImportReport, AppError> {
    let mut report = ImportReport::default();
    let mut offices_by_jurisdiction: HashMap<String, (i64, i32)> = HashMap::new();
    let who = AuditActor {
        id: None,
        name: format!("import:{source}"),
        office: None,
    };
    let mut done = 0;
    let mut batches = batches.into_iter().peekable();
    while batches.peek().is_some() {
        let outcome = db.write_blocking(|conn| {
            let deferred = match partner {
                None if !gis::any(conn)? => DeferredIndexes::set_aside(conn, FILLED_TABLES)?,
                _ => None,
            };
            // Into an empty register (SQLite), the whole load is one transaction: its
            // indexes are made once, at the end. Otherwise other writers get their turn
            // between transactions.
            let per_transaction = match deferred {
                Some(_) => usize::MAX,
                None => BATCHES_PER_TRANSACTION,
            };
            let mut part = ImportReport::default();
            for batch in batches.by_ref().take(per_transaction) {
                write_batch(
                    conn,
                    &who,
                    &batch,
                    source,
                    today,
                    partner,
                    &mut offices_by_jurisdiction,
                    &mut part,
                )?;
                done += batch.rows.len();
                progress(done);
                // Back to the reader to be freed (or here, if it has finished); what
                // the report needs of it is counted.
                let _ = spend.send(batch);
            }
            if let Some(deferred) = deferred {
                deferred.restore(conn)?;
            }
            Ok(part)
        });
        let part = match outcome {
            Ok(part) => part,
            Err(err) => {
                // The offices this transaction created were rolled back with it.
                offices_by_jurisdiction.clear();
                return Err(err);
            }
        };
        report.imported += part.imported;
        report.unchanged += part.unchanged;
        report.offices_created.extend(part.offices_created);
        report.rejected.extend(part.rejected);
        report.links.extend(part.links);
        report.skipped.extend(part.skipped);
    }
    Ok(report)
}

/// One batch's rows, within the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn write_batch(
    conn: &mut AnyConnection,
    who: &AuditActor,
    batch: &Batch,
    source: &str,
    today: NaiveDate,
    partner: Option<&PartnerTarget>,
    offices_by_jurisdiction: &mut HashMap<String, (i64, i32)>,
    part: &mut ImportReport,
) -> Result<(), AppError> {
    let Some(target) = partner else {
        return write_rows(
            conn,
            who,
            batch,
            source,
            today,
            offices_by_jurisdiction,
            part,
        );
    };
    for row in &batch.rows {
        match write_partner_row(conn, who, target, row, source, today, part)? {
            Written::Imported => part.imported += 1,
            Written::Unchanged => part.unchanged += 1,
            Written::Rejected(reason) => {
                part.skipped
                    .push(Rejected::new(row.line, Some(&row.file_number), reason))
            }
        }
    }
    Ok(())
}

enum Written {
    Imported,
    Unchanged,
    Rejected(String),
}

/// A row read as the partner's recognition (`--as-partner`): skipped when its origin is
/// in the EU or its origin office is not a party; otherwise linked to the origin
/// office's GI, created there first when it holds none.
fn write_partner_row(
    conn: &mut AnyConnection,
    who: &AuditActor,
    target: &PartnerTarget,
    row: &ImportRow,
    source: &str,
    today: NaiveDate,
    report: &mut ImportReport,
) -> Result<Written, AppError> {
    if is_eu_member(&row.origin_jurisdiction) {
        return Ok(Written::Rejected(format!(
            "not a partner recognition: origin {} is in the EU",
            row.origin_jurisdiction
        )));
    }
    let origin = match &row.origin_office {
        Some(code) => offices::by_code(conn, code)?,
        None => offices::by_jurisdiction(conn, &row.origin_jurisdiction)?,
    };
    let Some(origin) = origin.filter(|o| target.parties.contains(&o.id)) else {
        return Ok(Written::Rejected(format!(
            "not a partner recognition: no office of {} is a party to programme {}",
            row.origin_jurisdiction, target.programme.code
        )));
    };
    if origin.id == target.partner_id {
        return Ok(Written::Rejected(format!(
            "not a partner recognition: {} is the origin office",
            origin.code
        )));
    }
    // A GI found is one the origin office held before this row (by name, or under the
    // file number a plain import gave it): linked, whichever way it was found.
    let (gi_id, linked) = match find_origin_gi(conn, origin.id, row)? {
        Some(id) => (id, true),
        None => {
            let mut offices = HashMap::from([(
                row.origin_jurisdiction.clone(),
                (origin.id, origin.opposition_period_days),
            )]);
            write_row(conn, who, row, source, today, &mut offices, report)?;
            match gis::id_by_file_number(conn, &row.file_number)? {
                Some(id) => (id, false),
                None => return Err(AppError::internal("an imported GI was not found")),
            }
        }
    };
    match recognise(conn, who, target, gi_id, origin.id, row, today)? {
        Some(recognition_id) => {
            report.links.push(Link {
                file_number: row.file_number.clone(),
                recognition_id,
                gi_id,
                origin_office: origin.code.clone(),
                linked,
            });
            Ok(Written::Imported)
        }
        None => Ok(Written::Unchanged),
    }
}

fn write_row(
    conn: &mut AnyConnection,
    who: &AuditActor,
    row: &ImportRow,
    source: &str,
    today: NaiveDate,
    offices_by_jurisdiction: &mut HashMap<String, (i64, i32)>,
    report: &mut ImportReport,
) -> Result<Written, AppError> {
    if gis::id_by_file_number(conn, &row.file_number)?.is_some() {
        return Ok(Written::Unchanged);
    }
    let (office_id, period) = match &row.origin_office {
        Some(code) => match offices::by_code(conn, code)? {
            Some(office) => (office.id, office.opposition_period_days),
            None => {
                return Ok(Written::Rejected(format!(
                    "origin_office: no office has code {code}"
                )))
            }
        },
        None => match offices_by_jurisdiction.get(&row.origin_jurisdiction) {
            Some(found) => *found,
            None => {
                let found = office_for(conn, who, &row.origin_jurisdiction, report)?;
                offices_by_jurisdiction.insert(row.origin_jurisdiction.clone(), found);
                found
            }
        },
    };
    let new = new_gi(row, office_id, period, source, today, blob_of(&row.names));
    let id = gis::insert(conn, &new)?;
    store_names(conn, id, &row.names)?;
    record_as(conn, who, import_change(row, id, source, today))?;
    Ok(Written::Imported)
}

/// Rows of a plain import, all at once: one query finds the file numbers already
/// registered, then the GIs, their names, events and audit entries are each inserted
/// together. Offices, ids, events and the audit chain come out as row-by-row
/// [`write_row`] makes them.
fn write_rows(
    conn: &mut AnyConnection,
    who: &AuditActor,
    batch: &Batch,
    source: &str,
    today: NaiveDate,
    offices_by_jurisdiction: &mut HashMap<String, (i64, i32)>,
    report: &mut ImportReport,
) -> Result<(), AppError> {
    let rows = &batch.rows;
    let file_numbers: Vec<&str> = rows.iter().map(|r| r.file_number.as_str()).collect();
    let present: HashSet<String> = gis::existing_file_numbers(conn, &file_numbers)?
        .into_iter()
        .collect();
    let mut by_code: HashMap<String, Option<(i64, i32)>> = HashMap::new();
    let mut new_gis = Vec::new();
    let mut imported: Vec<(&ImportRow, Option<&RowKeys>)> = Vec::new();
    // The audit entries in the order row-by-row writing makes them: an office the
    // import creates comes before the first GI it holds. `None` is a GI's import entry.
    let mut audit_order: Vec<Option<AuditRecord>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let keys = batch.keys.get(i);
        if present.contains(&row.file_number) {
            report.unchanged += 1;
            continue;
        }
        let (office_id, period) = match &row.origin_office {
            Some(code) => {
                let found = match by_code.get(code) {
                    Some(found) => *found,
                    None => {
                        let found =
                            offices::by_code(conn, code)?.map(|o| (o.id, o.opposition_period_days));
                        by_code.insert(code.clone(), found);
                        found
                    }
                };
                match found {
                    Some(found) => found,
                    None => {
                        report.rejected.push(Rejected::new(
                            row.line,
                            Some(&row.file_number),
                            format!("origin_office: no office has code {code}"),
                        ));
                        continue;
                    }
                }
            }
            None => match offices_by_jurisdiction.get(&row.origin_jurisdiction) {
                Some(found) => *found,
                None => {
                    let (found, created) =
                        office_record(conn, who, &row.origin_jurisdiction, report)?;
                    audit_order.extend(created.map(Some));
                    offices_by_jurisdiction.insert(row.origin_jurisdiction.clone(), found);
                    found
                }
            },
        };
        let blob = match keys {
            Some(keys) => keys.blob.clone(),
            None => blob_of(&row.names),
        };
        new_gis.push(new_gi(row, office_id, period, source, today, blob));
        imported.push((row, keys));
        audit_order.push(None);
    }
    let ids = gis::insert_all(conn, &new_gis)?;
    drop(new_gis);
    let names: Vec<NewName<'_>> = imported
        .iter()
        .zip(&ids)
        .flat_map(|((row, _), &gi_id)| {
            row.names.iter().enumerate().map(move |(i, n)| NewName {
                gi_id,
                position: i as i32,
                text: &n.text,
                lang: &n.lang,
                script: &n.script,
                kind: n.kind.as_str(),
                romanization: n.romanization.as_deref(),
            })
        })
        .collect();
    let made: Option<Vec<(i64, &GiEntries)>> = imported
        .iter()
        .zip(&ids)
        .map(|((_, keys), &gi_id)| keys.map(|k| (gi_id, &k.entries)))
        .collect();
    match made {
        Some(entries) => gis::insert_names_with_entries(conn, &names, &entries)?,
        None => gis::insert_names(conn, &names)?,
    }
    let changes: Vec<Change<'_>> = imported
        .iter()
        .zip(&ids)
        .map(|((row, _), &id)| import_change(row, id, source, today))
        .collect();
    let new_events: Vec<_> = changes.iter().map(|c| new_event(who, c)).collect();
    let event_ids = events::insert_all(conn, &new_events)?;
    let mut gi_entries = changes
        .iter()
        .zip(event_ids)
        .map(|(change, event_id)| audit_record(who, change, event_id));
    let records: Vec<AuditRecord> = audit_order
        .into_iter()
        .filter_map(|slot| slot.or_else(|| gi_entries.next()))
        .collect();
    audit::append_all(conn, records)?;
    report.imported += ids.len();
    Ok(())
}

/// The GI row of an imported record, with `search_blob` (the blob of its names).
fn new_gi(
    row: &ImportRow,
    office_id: i64,
    period: i32,
    source: &str,
    today: NaiveDate,
    search_blob: String,
) -> NewGi {
    let now = Utc::now().naive_utc();
    NewGi {
        file_number: Some(row.file_number.clone()),
        registration_number: None,
        origin_office_id: office_id,
        association_id: None,
        gi_type: row.gi_type.as_str().into(),
        product_type: row.product_type.as_str().into(),
        product_class: row.product_class.clone(),
        nice_class: None,
        area_description: row.area_description.clone().unwrap_or_default(),
        area_geojson: None,
        countries: json!(row.countries).to_string(),
        legal_instrument: row.legal_instrument.clone(),
        status: row.status.as_str().into(),
        filed_on: row.filed_on,
        published_on: row.published_on,
        opposition_deadline: (row.status == GiStatus::Published)
            .then(|| row.published_on.map(|p| opposition_deadline(p, period)))
            .flatten(),
        registered_on: row.registered_on,
        decided_on: (row.status == GiStatus::Refused).then_some(legal_date(row, today)),
        search_blob,
        source: Some(source.to_string()),
        created_at: now,
        updated_at: now,
    }
}

/// The legal date of an import: the latest date the record gives, never after today.
fn legal_date(row: &ImportRow, today: NaiveDate) -> NaiveDate {
    row.registered_on
        .or(row.published_on)
        .or(row.filed_on)
        .unwrap_or(today)
        .min(today)
}

/// The `import` event of GI `id`.
fn import_change<'a>(row: &'a ImportRow, id: i64, source: &str, today: NaiveDate) -> Change<'a> {
    Change {
        entity_type: "gi",
        entity_id: id,
        gi_id: id,
        event_type: "import",
        from_status: None,
        to_status: row.status.as_str(),
        effective_on: legal_date(row, today),
        grounds: None,
        details: json!({ "file_number": row.file_number, "source": source, "line": row.line }),
        public: true,
    }
}

/// The office of a jurisdiction: the first one there, or a new one named after the
/// country (code = the jurisdiction code).
fn office_for(
    conn: &mut AnyConnection,
    who: &AuditActor,
    jurisdiction: &str,
    report: &mut ImportReport,
) -> Result<(i64, i32), AppError> {
    let (found, created) = office_record(conn, who, jurisdiction, report)?;
    if let Some(record) = created {
        audit::append(conn, record)?;
    }
    Ok(found)
}

/// [`office_for`], leaving the audit entry of an office it creates to the caller.
fn office_record(
    conn: &mut AnyConnection,
    who: &AuditActor,
    jurisdiction: &str,
    report: &mut ImportReport,
) -> Result<((i64, i32), Option<AuditRecord>), AppError> {
    if let Some(office) = offices::by_jurisdiction(conn, jurisdiction)? {
        return Ok(((office.id, office.opposition_period_days), None));
    }
    let name = countries::english_name(jurisdiction).unwrap_or(jurisdiction);
    let languages: Vec<&str> = countries::main_language(jurisdiction)
        .map(|(lang, _)| vec![lang])
        .unwrap_or_default();
    let now = Utc::now().naive_utc();
    let office = offices::insert(
        conn,
        &offices::NewOffice {
            code: jurisdiction.to_string(),
            jurisdiction: jurisdiction.to_string(),
            name: format!("{name} (created by import)"),
            opposition_period_days: DEFAULT_OPPOSITION_DAYS,
            languages: json!(languages).to_string(),
            created_at: now,
            updated_at: now,
            time_zone: "UTC".into(),
            weekend: json!(crate::domain::calendar::DEFAULT_WEEKEND).to_string(),
            deadline_rolls_forward: true,
            opposition_period: format!("P{DEFAULT_OPPOSITION_DAYS}D"),
        },
    )?;
    let record = AuditRecord::new(
        who,
        "office.create",
        "office",
        &office.code,
        json!({
            "code": office.code, "jurisdiction": office.jurisdiction, "name": office.name,
        }),
    )
    .public();
    report.offices_created.push(office.code.clone());
    Ok(((office.id, office.opposition_period_days), Some(record)))
}
