//! How well `planatlas import` does on the five official texts, against the hand-made extracts.
//!
//! Leave-one-plan-out: for each seed, a copy of the site without that plan, the seed imported
//! with the hand extract's slug and id prefix (level and region from the hand extract only when
//! the text does not state them), then the copy must build and pass the provenance check, and
//! the import is compared with the hand extract:
//! - headings: the share of the hand extract's chapter and section headings (number and title)
//!   that the import has;
//! - boundaries: the share of hand measures whose opening lies in exactly one imported measure
//!   that holds no other hand measure's opening;
//! - themes: of those, the share whose imported first theme is one of the hand measure's themes;
//! - no two imported measures with the same text.
//!
//! The figures are printed per plan (and in the README); the thresholds asserted are the
//! issue's targets, which the importer reaches on all five.

use std::collections::HashSet;
use std::path::Path;

use planatlas::content::load_site;
use planatlas::import::{import, ImportOptions};
use planatlas::model::{Measure, Plan};
use planatlas::provenance::{check_document, normalise};
use planatlas::BuildOptions;

/// Plan slug, seed prefix, id prefix, and the least headings, boundaries and themes shares
/// asserted (percent).
const PLANS: &[(&str, &str, &str, f64, f64, f64)] = &[
    ("sichuan-finance", "000", "sc", 95.0, 85.0, 60.0),
    ("chengyu-wfc-rules", "001", "wfr", 95.0, 85.0, 60.0),
    ("chengyu-wfc-plan", "002", "wfc", 95.0, 85.0, 60.0),
    ("yongchuan-finance", "003", "yc", 95.0, 85.0, 60.0),
    ("chongqing-finance", "004", "cq", 90.0, 60.0, 60.0),
];

/// Characters of a measure's opening compared.
const OPENING: usize = 16;

fn measures(plan: &Plan) -> Vec<&Measure> {
    plan.chapters
        .iter()
        .flat_map(|c| {
            c.divisions()
                .flat_map(|d| d.measures.iter())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn headings(plan: &Plan) -> Vec<String> {
    plan.chapters
        .iter()
        .flat_map(|c| {
            c.divisions()
                .map(|d| normalise(&format!("{}{}", d.number.as_deref().unwrap_or(""), d.title)))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn seed_path(prefix: &str) -> Option<std::path::PathBuf> {
    let dir = crate::common::repo().join("../shared/seeds");
    std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
}

struct Figures {
    headings: f64,
    boundaries: f64,
    themes: f64,
    duplicates: usize,
    coverage: f64,
    missing: usize,
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        n as f64 * 100.0 / of as f64
    }
}

fn evaluate(hand: &Plan, slug: &str, seed: &Path, id_prefix: &str) -> Figures {
    let site = crate::common::copy_of_site();
    let root = site.path();
    std::fs::remove_dir_all(root.join("content/plans").join(slug)).unwrap();
    let mut o = ImportOptions {
        root: root.to_path_buf(),
        source: seed.to_path_buf(),
        slug: slug.to_string(),
        id_prefix: Some(id_prefix.to_string()),
        level: None,
        region: None,
        force: false,
    };
    if import(&o).is_err() {
        o.level = Some(
            serde_json::to_string(&hand.meta.level)
                .unwrap()
                .trim_matches('"')
                .to_string(),
        );
        o.region = Some(hand.meta.region.clone());
        if let Err(e) = import(&o) {
            panic!("{slug}: import failed: {}", e.report());
        }
    }
    if let Err(e) = planatlas::build_in_memory(&BuildOptions::new(root)) {
        panic!("{slug}: the imported site does not build: {}", e.report());
    }
    let (loaded, _) = load_site(root);
    let loaded = loaded.unwrap();
    let plan = loaded.plans.iter().find(|p| p.slug == slug).unwrap();
    let document = planatlas::source::read(seed).unwrap();
    let report = check_document(plan, &document);

    let found: HashSet<String> = headings(plan).into_iter().collect();
    let hand_headings = headings(hand);
    let headings_found = hand_headings.iter().filter(|h| found.contains(*h)).count();
    if std::env::var_os("IMPORT_EVAL_DEBUG").is_some() {
        for h in hand_headings.iter().filter(|h| !found.contains(*h)) {
            println!("{slug}: heading `{h}` not found");
        }
    }

    let imported: Vec<(String, &Measure)> = measures(plan)
        .into_iter()
        .map(|m| (normalise(&m.text), m))
        .collect();
    let hand_measures = measures(hand);
    let openings: Vec<String> = hand_measures
        .iter()
        .map(|m| normalise(&m.text).chars().take(OPENING).collect())
        .collect();
    let (mut bounded, mut themed) = (0, 0);
    for (i, (opening, hand_m)) in openings.iter().zip(&hand_measures).enumerate() {
        let holders: Vec<&(String, &Measure)> = imported
            .iter()
            .filter(|(t, _)| t.contains(opening.as_str()))
            .collect();
        let debug = std::env::var_os("IMPORT_EVAL_DEBUG").is_some();
        let [(text, m)] = holders.as_slice() else {
            if debug {
                println!(
                    "{slug}: {} opening `{opening}` in {} imported measures",
                    hand_m.id,
                    holders.len()
                );
            }
            continue;
        };
        let others = openings
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o != opening && text.contains(o.as_str()));
        if others {
            if debug {
                println!(
                    "{slug}: {} opening `{opening}` shares {} with another hand measure",
                    hand_m.id, m.id
                );
            }
            continue;
        }
        bounded += 1;
        if m.themes.first().is_some_and(|t| hand_m.themes.contains(t)) {
            themed += 1;
        }
    }
    let mut seen = HashSet::new();
    let duplicates = imported
        .iter()
        .filter(|(t, _)| !seen.insert(t.clone()))
        .count();
    Figures {
        headings: share(headings_found, hand_headings.len()),
        boundaries: share(bounded, hand_measures.len()),
        themes: share(themed, bounded),
        duplicates,
        coverage: report.coverage(),
        missing: report.missing.len(),
    }
}

#[test]
fn import_matches_the_hand_extracts() {
    let (site, _) = load_site(&crate::common::repo());
    let site = site.unwrap();
    let mut failures = Vec::new();
    println!("plan                 headings  boundaries  1st theme  duplicates  coverage  missing");
    for (slug, seed, prefix, min_h, min_b, min_t) in PLANS {
        let Some(path) = seed_path(seed) else {
            println!("{slug}: seed {seed} is absent; skipped");
            continue;
        };
        let hand = site.plans.iter().find(|p| p.slug == *slug).unwrap();
        let f = evaluate(hand, slug, &path, prefix);
        println!(
            "{slug:<20} {:>7.1}%  {:>9.1}%  {:>8.1}%  {:>10}  {:>7.1}%  {:>7}",
            f.headings, f.boundaries, f.themes, f.duplicates, f.coverage, f.missing
        );
        let mut check = |what: &str, value: f64, min: f64| {
            if value < min {
                failures.push(format!("{slug}: {what} {value:.1}% < {min}%"));
            }
        };
        check("headings", f.headings, *min_h);
        check("boundaries", f.boundaries, *min_b);
        check("first theme", f.themes, *min_t);
        check("coverage", f.coverage, 97.0);
        if f.missing > 0 || f.duplicates > 0 {
            failures.push(format!(
                "{slug}: {} blocks not in the source, {} duplicated measures",
                f.missing, f.duplicates
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
