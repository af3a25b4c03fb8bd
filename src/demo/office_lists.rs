//! The offices' generic terms and earlier trademarks in the demonstration, so that the
//! conflict check has something real to meet: the bare fruit name "Som O" (ส้มโอ), green
//! tea, and a (fictitious) Thai word mark DOI TUNG in class 30 beside กาแฟดอยตุง.

use chrono::NaiveDate;

use super::checked;
use super::data::{CNIPA, DIP};
use super::people::Cast;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::registry::listed_rights::{self, NewTerm, TrademarkEntry, TrademarkStatus};

const TERMS: &[(&str, &str, &str, &str)] = &[
    (DIP, "ส้มโอ", "th", "pomelo: the fruit itself"),
    (
        DIP,
        "Som O",
        "th-Latn",
        "pomelo: the fruit itself, romanised",
    ),
    (CNIPA, "绿茶", "zh", "green tea: a kind of tea, not a place"),
];

pub fn load(conn: &mut AnyConnection, cast: &Cast) -> Result<(), AppError> {
    for (office, term, lang, note) in TERMS {
        listed_rights::add_term(
            conn,
            cast.examiner(office)?,
            office,
            checked(NewTerm {
                term: term.to_string(),
                lang: Some(lang.to_string()),
                note: Some(note.to_string()),
            })?,
        )?;
    }
    let dip = listed_rights::authorize(conn, cast.examiner(DIP)?, DIP)?;
    let marks = [TrademarkEntry {
        number: "TM-DEMO-301234".into(),
        mark: "DOI TUNG".into(),
        classes: vec![30, 43],
        owner: "Doi Tung Trading Co. (fictitious)".into(),
        filed_on: NaiveDate::from_ymd_opt(2001, 3, 4),
        status: TrademarkStatus::Registered,
    }];
    listed_rights::load_trademarks(conn, &cast.examiner(DIP)?.audit, &dip, &marks)?;
    Ok(())
}
