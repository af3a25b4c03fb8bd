//! Writing imported rows into the database: offices created as needed, GIs with their
//! names and an `import` event, one audit entry each. Idempotent by file number: a row
//! whose file number is already registered is left as it is.

use std::collections::HashMap;

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
use crate::registry::record::{record_as, Change};
use crate::store::gis::{self, NewGi};
use crate::store::{audit, offices};

/// Rows written per transaction.
const BATCH: usize = 500;
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

/// Writes `rows` (blocking: call it off the async workers). `progress` is told how
/// many rows are done after each batch.
pub fn load(
    db: &Database,
    rows: Vec<ImportRow>,
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
    for batch in rows.chunks(BATCH) {
        let outcome = db.write_blocking(|conn| {
            let mut part = ImportReport::default();
            for row in batch {
                if let Some(target) = partner {
                    match write_partner_row(conn, &who, target, row, source, today, &mut part)? {
                        Written::Imported => part.imported += 1,
                        Written::Unchanged => part.unchanged += 1,
                        Written::Rejected(reason) => part.skipped.push(Rejected::new(
                            row.line,
                            Some(&row.file_number),
                            reason,
                        )),
                    }
                    continue;
                }
                match write_row(
                    conn,
                    &who,
                    row,
                    source,
                    today,
                    &mut offices_by_jurisdiction,
                    &mut part,
                )? {
                    Written::Imported => part.imported += 1,
                    Written::Unchanged => part.unchanged += 1,
                    Written::Rejected(reason) => {
                        part.rejected
                            .push(Rejected::new(row.line, Some(&row.file_number), reason))
                    }
                }
            }
            Ok(part)
        });
        let part = match outcome {
            Ok(part) => part,
            Err(err) => {
                // The offices this batch created were rolled back with it.
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
        done += batch.len();
        progress(done);
    }
    Ok(report)
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
    let (gi_id, linked) = match find_origin_gi(conn, origin.id, row)? {
        Some(id) => (
            id,
            gis::id_by_file_number(conn, &row.file_number)? != Some(id),
        ),
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
    let legal_date = row
        .registered_on
        .or(row.published_on)
        .or(row.filed_on)
        .unwrap_or(today)
        .min(today);
    let now = Utc::now().naive_utc();
    let id = gis::insert(
        conn,
        &NewGi {
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
            decided_on: (row.status == GiStatus::Refused).then_some(legal_date),
            search_blob: blob_of(&row.names),
            source: Some(source.to_string()),
            created_at: now,
            updated_at: now,
        },
    )?;
    store_names(conn, id, &row.names)?;
    record_as(
        conn,
        who,
        Change {
            entity_type: "gi",
            entity_id: id,
            gi_id: id,
            event_type: "import",
            from_status: None,
            to_status: row.status.as_str(),
            effective_on: legal_date,
            grounds: None,
            details: json!({ "file_number": row.file_number, "source": source, "line": row.line }),
            public: true,
        },
    )?;
    Ok(Written::Imported)
}

/// The office of a jurisdiction: the first one there, or a new one named after the
/// country (code = the jurisdiction code).
fn office_for(
    conn: &mut AnyConnection,
    who: &AuditActor,
    jurisdiction: &str,
    report: &mut ImportReport,
) -> Result<(i64, i32), AppError> {
    if let Some(office) = offices::by_jurisdiction(conn, jurisdiction)? {
        return Ok((office.id, office.opposition_period_days));
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
    audit::append(
        conn,
        AuditRecord::new(
            who,
            "office.create",
            "office",
            &office.code,
            json!({
                "code": office.code, "jurisdiction": office.jurisdiction, "name": office.name,
            }),
        )
        .public(),
    )?;
    report.offices_created.push(office.code.clone());
    Ok((office.id, office.opposition_period_days))
}
