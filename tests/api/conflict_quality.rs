//! The conflict check measured (issue 13): precision and recall on a labelled set of
//! name pairs (tests/data/conflict_pairs.tsv, written by scripts/conflict_pairs.py): the
//! same names across scripts, spellings and registers, and look-alikes that are not the
//! same GI. A pair is flagged when its score reaches the threshold at which filing and
//! submission report a conflict. BENCHMARKS.md reports the figures.

use std::collections::BTreeMap;

use terroir::domain::conflicts::{compare, NameForms};
use terroir::registry::name_conflicts::REPORT_THRESHOLD;

const PAIRS: &str = include_str!("../data/conflict_pairs.tsv");

#[test]
fn precision_and_recall_reach_nine_tenths_at_the_threshold() {
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pairs = 0;
    for line in PAIRS.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [a, b, conflict, category] = fields[..] else {
            panic!("a pair is four tab-separated fields: {line}");
        };
        pairs += 1;
        let (score, _) = compare(&NameForms::of(a), &NameForms::of(b), false);
        let flagged = score >= REPORT_THRESHOLD;
        match (conflict == "true", flagged) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if (conflict == "true") != flagged {
            misses
                .entry(format!("{category} ({conflict})"))
                .or_default()
                .push(format!("{a} | {b}: {score:.2}"));
        }
    }
    assert!(pairs >= 300, "at least 300 labelled pairs, found {pairs}");
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!(
        "{pairs} pairs: {tp} true positives, {fp} false positives, {fn_} missed, {tn} true \
negatives; precision {precision:.3}, recall {recall:.3} at {REPORT_THRESHOLD}"
    );
    for (category, pairs) in &misses {
        println!("  {category}: {pairs:?}");
    }
    assert!(precision >= 0.9, "precision {precision:.3}: {misses:#?}");
    assert!(recall >= 0.9, "recall {recall:.3}: {misses:#?}");
}
