//! The conflict index (issue 13): the check finds its candidates by lookups, and must
//! find exactly what comparing the name with every live GI's names finds.

use chrono::Utc;
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::json;
use terroir::db::{AnyConnection, Database};
use terroir::demo::load_demo;
use terroir::domain::conflicts::{compare, NameForms};
use terroir::domain::names::search_blob;
use terroir::registry::conflicts::{check, LIVE};
use terroir::store::conflict_index::{self, Reading};
use terroir::store::conflicts::live_among;
use terroir::store::gis::names_of;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::import::{run_ok, EU_REGISTER};
use crate::register::{act_ok, application, create_gi_id, expect, world, FILED_ON};

both_backends!(
    the_index_finds_what_a_scan_of_every_name_finds,
    the_index_follows_edits_of_names,
    an_import_writes_the_index_and_blobs_its_names_make,
    postings_an_import_left_pending_are_merged_at_the_next_start,
);

/// (GI id, score in thousandths, reasons, name) of every candidate, in GI id order.
type Found = Vec<(i64, i64, String, String)>;

/// The reference: every live GI's names compared with the name, as the check did before
/// it had an index.
fn scan(conn: &mut AnyConnection, all: &[(i64, String, NameForms, bool)], name: &str) -> Found {
    let query = NameForms::of(name);
    let live: Vec<i64> = {
        let ids: Vec<i64> = all.iter().map(|(id, ..)| *id).collect();
        let mut live = Vec::new();
        for chunk in ids.chunks(500) {
            live.extend(
                live_among(conn, LIVE, chunk)
                    .unwrap()
                    .into_iter()
                    .map(|g| g.id),
            );
        }
        live
    };
    let mut best: std::collections::BTreeMap<i64, (f64, Vec<String>, String)> = Default::default();
    for (gi_id, text, forms, translation) in all {
        if live.binary_search(gi_id).is_err() {
            continue;
        }
        let (score, reasons) = compare(&query, forms, *translation);
        if reasons.is_empty() {
            continue;
        }
        let entry = best
            .entry(*gi_id)
            .or_insert((0.0, Vec::new(), String::new()));
        if score > entry.0 {
            let reasons = reasons
                .iter()
                .map(|r| serde_json::to_string(r).unwrap())
                .collect();
            *entry = (score, reasons, text.clone());
        }
    }
    best.into_iter()
        .map(|(id, (score, reasons, text))| {
            (id, (score * 1000.0).round() as i64, reasons.join(","), text)
        })
        .collect()
}

fn indexed(conn: &mut AnyConnection, name: &str) -> Found {
    let mut found: Found = check(conn, name, None, None, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|c| {
            let reasons: Vec<String> = c
                .reasons
                .iter()
                .map(|r| serde_json::to_string(r).unwrap())
                .collect();
            (
                c.gi_id.unwrap(),
                (c.score * 1000.0).round() as i64,
                reasons.join(","),
                c.name,
            )
        })
        .collect();
    found.sort();
    found
}

/// How many posting lists hold another number of postings than their kept length.
fn lists_of_wrong_length(db: &Database) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        wrong: i64,
    }
    db.read_blocking(|conn| {
        Ok(diesel::sql_query(
            "SELECT count(*) AS wrong FROM \
             (SELECT gram, count(*) AS postings FROM conflict_trigrams GROUP BY gram) counted \
             FULL JOIN (SELECT * FROM conflict_gram_postings WHERE postings <> 0) kept \
             ON kept.gram = counted.gram \
             WHERE kept.postings IS NULL OR counted.postings IS NULL \
             OR kept.postings <> counted.postings",
        )
        .get_result::<Count>(conn)?
        .wrong)
    })
    .unwrap()
}

/// The candidates of each query.
fn candidates_of(db: &Database, queries: &[String]) -> Vec<Vec<i64>> {
    db.read_blocking(|conn| {
        queries
            .iter()
            .map(|q| conflict_index::candidates(conn, &NameForms::of(q)))
            .collect()
    })
    .unwrap()
}

/// Every name of every GI with its forms and whether it is a translation.
fn every_name(db: &Database) -> Vec<(i64, String, NameForms, bool)> {
    db.read_blocking(|conn| {
        let ids: Vec<i64> = (1..=20_000).collect();
        let mut all = Vec::new();
        for chunk in ids.chunks(1_000) {
            for row in names_of(conn, chunk)? {
                let forms = NameForms::of(&row.text);
                all.push((row.gi_id, row.text, forms, row.kind == "translation"));
            }
        }
        Ok(all)
    })
    .unwrap()
}

/// The names asked about: some names of the register as they are, cut short, with a
/// letter changed, in capitals, and names across scripts.
fn queries(all: &[(i64, String, NameForms, bool)]) -> Vec<String> {
    let mut out: Vec<String> = [
        "龍井",
        "龙井茶",
        "Longjing",
        "Lung Ching",
        "Phetchaboon",
        "ขาวหอมมะลิ",
        "Doi Tung",
        "Kafae Doi Tung",
        "Parma",
        "Prosciutto di Parma",
        "Champagne",
        "Roquefort",
        "Feta",
        "Gorgonzola",
        "Rioja",
        "Porto",
        "Jamón",
        "Mozzarella",
        "Bordeaux",
        "Chianti",
        "Tokaji",
        "Cognac",
        "Scotch",
        "Queso",
        "Olio",
        "Miel",
        "Café de Colombia",
        "Aceto",
        "Kalamata",
        "Szegedi",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (_, text, ..) in all.iter().step_by(97) {
        let chars: Vec<char> = text.chars().collect();
        out.push(text.clone());
        out.push(text.to_uppercase());
        if chars.len() > 4 {
            out.push(chars[..chars.len() - 2].iter().collect());
            let mut changed = chars.clone();
            changed[chars.len() / 2] = 'x';
            out.push(changed.into_iter().collect());
            out.push(chars[1..].iter().collect());
        }
    }
    out
}

async fn the_index_finds_what_a_scan_of_every_name_finds(app: TestApp) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        load_demo(&db, Utc::now().date_naive(), Some("pw-for-tests"))
    })
    .await
    .unwrap()
    .unwrap();
    run_ok(&app, &["import", EU_REGISTER]);
    let db = app.database();
    let (queries, found_some) = tokio::task::spawn_blocking(move || {
        assert_eq!(lists_of_wrong_length(&db), 0, "after the import");
        let all = every_name(&db);
        assert!(all.len() > 3_700, "{} names", all.len());
        let queries = queries(&all);
        let mut found_some = 0;
        let compare_all = |db: &Database, found_some: &mut usize| {
            for q in &queries {
                let (by_index, by_scan) = db
                    .read_blocking(|conn| Ok((indexed(conn, q), scan(conn, &all, q))))
                    .unwrap();
                assert_eq!(by_index, by_scan, "{q}");
                *found_some += usize::from(!by_scan.is_empty());
                // The posting lists read other ways (no list outside the prefix and the
                // prefix never read past its bands; every list and the prefix read to
                // the widest band) give the same candidates.
                let forms = NameForms::of(q);
                let (usual, by_bands) = db
                    .read_blocking(|conn| {
                        let usual = conflict_index::candidates(conn, &forms)?;
                        let by_bands =
                            [(0, 0), (i64::MAX, i64::MAX)].map(|(short, per_candidate)| {
                                let reading = Reading {
                                    short,
                                    per_candidate,
                                };
                                conflict_index::candidates_reading(conn, &forms, reading)
                            });
                        Ok((usual, by_bands))
                    })
                    .unwrap();
                for found in by_bands {
                    assert_eq!(found.unwrap(), usual, "{q}");
                }
            }
        };
        compare_all(&db, &mut found_some);

        // The lists' lengths as kept only rank them: wrong ones give the same
        // candidates.
        let before: Vec<Vec<i64>> = candidates_of(&db, &queries);
        db.write_blocking(|conn| {
            diesel::sql_query(
                "UPDATE conflict_gram_postings SET postings = (postings * 7919) % 101",
            )
            .execute(conn)?;
            Ok(())
        })
        .unwrap();
        assert_eq!(candidates_of(&db, &queries), before);

        // A database from before the index: emptied and marked unmade, it is made
        // again from the names, and finds the same.
        db.write_blocking(|conn| {
            diesel::sql_query("DELETE FROM conflict_trigrams").execute(conn)?;
            diesel::sql_query("DELETE FROM conflict_forms").execute(conn)?;
            diesel::sql_query("UPDATE conflict_index_version SET version = 0").execute(conn)?;
            Ok(())
        })
        .unwrap();
        let gone = db
            .read_blocking(|conn| Ok(indexed(conn, "Roquefort")))
            .unwrap();
        assert!(gone.is_empty(), "{gone:?}");
        let mut conn = db.connection().unwrap();
        let made = conflict_index::rebuild_if_stale(&mut conn).unwrap();
        assert!(made > 3_700, "{made}");
        assert_eq!(conflict_index::rebuild_if_stale(&mut conn).unwrap(), 0);
        drop(conn);
        compare_all(&db, &mut found_some);
        (queries, found_some)
    })
    .await
    .unwrap();
    // The comparison means something only if most queries find GIs.
    assert!(
        found_some * 10 >= queries.len() * 2 * 8,
        "{found_some} of {} found something",
        queries.len() * 2
    );
}

async fn the_index_follows_edits_of_names(app: TestApp) {
    let w = world(&app).await;
    let names = |text: &str| json!([{"text": text, "lang": "de", "kind": "original"}]);
    let id = create_gi_id(
        &app,
        &w.cn_assoc,
        application("CNIPA", Some(w.cn_association), names("Quokkaberg Honig")),
    )
    .await;
    let edited = app
        .client
        .patch(app.url(&format!("/api/v1/gis/{id}")))
        .bearer_auth(&w.cn_assoc)
        .header("If-Match", "\"1\"")
        .json(&json!({"names": names("Wombatstein Honig")}))
        .send()
        .await
        .unwrap();
    expect(edited, 200).await;
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;

    let db = app.database();
    let (old, new, near) = tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| {
            Ok((
                indexed(conn, "Quokkaberg Honig"),
                indexed(conn, "Wombatstein Honig"),
                indexed(conn, "Wombatstain Honig"),
            ))
        })
        .unwrap()
    })
    .await
    .unwrap();
    assert!(old.is_empty(), "{old:?}");
    let db = app.database();
    let wrong = tokio::task::spawn_blocking(move || lists_of_wrong_length(&db))
        .await
        .unwrap();
    assert_eq!(wrong, 0, "lengths kept through the edits");
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].0, id);
    assert_eq!(new[0].2, "\"identical\"");
    assert_eq!(near.len(), 1, "{near:?}");
    assert!(near[0].2.contains("similar_spelling"), "{near:?}");
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct FormRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    gi_id: i64,
    #[diesel(sql_type = Text)]
    form: String,
    #[diesel(sql_type = Bool)]
    phonetic: bool,
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PostingRow {
    #[diesel(sql_type = BigInt)]
    gi_id: i64,
    #[diesel(sql_type = Text)]
    form: String,
    #[diesel(sql_type = Text)]
    gram: String,
    #[diesel(sql_type = Integer)]
    trigrams: i32,
}

/// The conflict index: its forms in id order, and every posting by the GI and form it
/// names (sorted).
fn index_of(db: &Database) -> (Vec<FormRow>, Vec<PostingRow>) {
    db.read_blocking(|conn| {
        let forms: Vec<FormRow> =
            diesel::sql_query("SELECT id, gi_id, form, phonetic FROM conflict_forms ORDER BY id")
                .load(conn)?;
        let mut postings: Vec<PostingRow> = diesel::sql_query(
            "SELECT f.gi_id, f.form, t.gram, t.trigrams FROM conflict_trigrams t \
             JOIN conflict_forms f ON f.id = t.form_id",
        )
        .load(conn)?;
        postings.sort();
        Ok((forms, postings))
    })
    .unwrap()
}

/// The import makes each GI's name keys and index entries ahead of its writes (on
/// another thread, store/conflict_index.rs `GiEntries`) and inserts them in statements
/// of a fixed number of rows: what it writes is what the index made again from the
/// stored names holds, with the forms in the same order, and each search blob is the
/// blob of the GI's names.
async fn an_import_writes_the_index_and_blobs_its_names_make(app: TestApp) {
    run_ok(&app, &["import", EU_REGISTER]);
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        let (forms, postings) = index_of(&db);
        assert!(forms.len() > 3_715 * 2, "{} forms", forms.len());
        assert!(
            postings.len() > forms.len() * 5,
            "{} postings",
            postings.len()
        );
        // Forms in the order the index is made in: by GI, its forms then its codes,
        // each sorted.
        let mut ordered: Vec<&FormRow> = forms.iter().collect();
        ordered.sort_by(|a, b| (a.gi_id, a.phonetic, &a.form).cmp(&(b.gi_id, b.phonetic, &b.form)));
        assert!(ordered.iter().zip(&forms).all(|(a, b)| a.id == b.id));

        let blobs: Vec<(i64, String, String)> = db
            .read_blocking(|conn| {
                #[derive(QueryableByName)]
                struct Blob {
                    #[diesel(sql_type = BigInt)]
                    id: i64,
                    #[diesel(sql_type = Text)]
                    search_blob: String,
                }
                let blobs: Vec<Blob> =
                    diesel::sql_query("SELECT id, search_blob FROM gis ORDER BY id").load(conn)?;
                let ids: Vec<i64> = blobs.iter().map(|b| b.id).collect();
                let mut names: std::collections::BTreeMap<i64, Vec<(i32, String)>> =
                    Default::default();
                for chunk in ids.chunks(1_000) {
                    for row in names_of(conn, chunk)? {
                        names
                            .entry(row.gi_id)
                            .or_default()
                            .push((row.position, row.text));
                    }
                }
                Ok(blobs
                    .into_iter()
                    .map(|b| {
                        let mut texts = names.remove(&b.id).unwrap_or_default();
                        texts.sort();
                        let texts: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
                        (b.id, b.search_blob, search_blob(&texts))
                    })
                    .collect())
            })
            .unwrap();
        assert_eq!(blobs.len(), 3_715);
        for (id, stored, made) in &blobs {
            assert_eq!(stored, made, "GI {id}");
        }

        db.write_blocking(|conn| {
            diesel::sql_query("DELETE FROM conflict_trigrams").execute(conn)?;
            diesel::sql_query("DELETE FROM conflict_forms").execute(conn)?;
            diesel::sql_query("UPDATE conflict_index_version SET version = 0").execute(conn)?;
            Ok(())
        })
        .unwrap();
        let mut conn = db.connection().unwrap();
        conflict_index::rebuild_if_stale(&mut conn).unwrap();
        drop(conn);
        let (made_forms, made_postings) = index_of(&db);
        let key = |f: &FormRow| (f.gi_id, f.phonetic, f.form.clone());
        assert_eq!(
            forms.iter().map(key).collect::<Vec<_>>(),
            made_forms.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(postings, made_postings);
    })
    .await
    .unwrap();
}

/// A count that `sql` selects as `n`.
fn count(db: &Database, sql: &'static str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    db.read_blocking(|conn| Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n))
        .unwrap()
}

const PENDING: &str = "SELECT count(*) AS n FROM conflict_postings_pending";

/// An import sets its postings aside and merges them into the lists, in key order, when
/// it ends (store/conflict_index.rs `merge_pending`). One that stopped before its merge
/// leaves its batches committed with their postings pending: the next start merges
/// them and counts their lengths, and a GI whose entries are removed in between (its
/// names edited) leaves none of its postings behind.
async fn postings_an_import_left_pending_are_merged_at_the_next_start(app: TestApp) {
    run_ok(&app, &["import", EU_REGISTER]);
    let db = app.database();
    let (forms, postings, last) = tokio::task::spawn_blocking(move || {
        assert_eq!(count(&db, PENDING), 0, "the import merged its postings");
        let (forms, postings) = index_of(&db);
        // What an import stopped before its merge leaves: the postings of the GIs
        // after the 3,000th set aside, their lists' lengths without them.
        db.write_blocking(|conn| {
            for statement in [
                "INSERT INTO conflict_postings_pending (gram, form_id, trigrams) \
                 SELECT t.gram, t.form_id, t.trigrams FROM conflict_trigrams t \
                 JOIN conflict_forms f ON f.id = t.form_id WHERE f.gi_id > 3000",
                "DELETE FROM conflict_trigrams WHERE form_id IN \
                 (SELECT id FROM conflict_forms WHERE gi_id > 3000)",
                "UPDATE conflict_gram_postings SET postings = (SELECT count(*) \
                 FROM conflict_trigrams t WHERE t.gram = conflict_gram_postings.gram)",
            ] {
                diesel::sql_query(statement).execute(conn)?;
            }
            Ok(())
        })
        .unwrap();
        let last = forms.iter().map(|f| f.gi_id).max().unwrap();
        db.write_blocking(|conn| conflict_index::remove(conn, last))
            .unwrap();
        assert!(count(&db, PENDING) > 1_000);
        assert_eq!(
            count(
                &db,
                "SELECT count(*) AS n FROM conflict_postings_pending \
                 WHERE form_id NOT IN (SELECT id FROM conflict_forms)"
            ),
            0,
            "the removed GI's pending postings went with its forms"
        );
        assert_eq!(lists_of_wrong_length(&db), 0);
        (forms, postings, last)
    })
    .await
    .unwrap();

    app.second_server(|_| {}).await;

    let db = app.database();
    tokio::task::spawn_blocking(move || {
        assert_eq!(count(&db, PENDING), 0, "merged at start");
        assert_eq!(lists_of_wrong_length(&db), 0, "lengths counted");
        let (now_forms, now_postings) = index_of(&db);
        let kept_forms: Vec<&FormRow> = forms.iter().filter(|f| f.gi_id != last).collect();
        assert_eq!(now_forms.iter().collect::<Vec<_>>(), kept_forms);
        let kept: Vec<&PostingRow> = postings.iter().filter(|p| p.gi_id != last).collect();
        assert!(kept.len() < postings.len());
        assert_eq!(now_postings.iter().collect::<Vec<_>>(), kept);
    })
    .await
    .unwrap();
}
