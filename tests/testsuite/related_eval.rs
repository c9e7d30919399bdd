//! Quality of the related measures, measured against an evaluation set made by reading the plans
//! (`tests/related_gold.toml`): precision among the links shown (of the shown links the set
//! judges, the share it calls related) and recall of the related pairs within the top five.

use std::collections::HashSet;

use planatlas::analyse::analyse;
use planatlas::content::load_site;
use serde::Deserialize;

#[derive(Deserialize)]
struct Pair {
    a: String,
    b: String,
}

#[derive(Deserialize)]
struct Gold {
    related: Vec<Pair>,
    unrelated: Vec<Pair>,
}

fn key(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

#[test]
fn related_measures_meet_precision_and_recall() {
    let gold: Gold = toml::from_str(
        &std::fs::read_to_string(crate::common::repo().join("tests/related_gold.toml")).unwrap(),
    )
    .unwrap();
    assert!(
        gold.related.len() >= 40 && gold.unrelated.len() >= 15,
        "the evaluation set is too small"
    );
    let (site, d) = load_site(&crate::common::repo());
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = analyse(&site, None);

    let mut shown: HashSet<(String, String)> = HashSet::new();
    for (i, entry) in analysis.measures.iter().enumerate() {
        let id = &analysis.measure(&site, entry).id;
        for r in &analysis.related[i] {
            shown.insert(key(id, &r.id));
        }
    }
    let related: HashSet<(String, String)> = gold.related.iter().map(|p| key(&p.a, &p.b)).collect();
    let unrelated: HashSet<(String, String)> =
        gold.unrelated.iter().map(|p| key(&p.a, &p.b)).collect();
    for pair in related.iter().chain(&unrelated) {
        assert!(
            analysis.by_id.contains_key(&pair.0) && analysis.by_id.contains_key(&pair.1),
            "{pair:?} names an unknown measure"
        );
    }

    let true_positives = related.iter().filter(|p| shown.contains(*p)).count();
    let false_positives: Vec<_> = unrelated.iter().filter(|p| shown.contains(*p)).collect();
    let judged = true_positives + false_positives.len();
    let precision = if judged == 0 {
        0.0
    } else {
        true_positives as f64 / judged as f64
    };
    let recall = true_positives as f64 / related.len() as f64;
    println!(
        "related measures: precision {precision:.3} ({true_positives} of {judged} judged links shown), recall {recall:.3} ({true_positives} of {} gold pairs in the top {})",
        related.len(),
        planatlas::analyse::related::MAX_RELATED
    );
    for p in &false_positives {
        println!("  shown but unrelated: {} – {}", p.0, p.1);
    }
    for p in related.iter().filter(|p| !shown.contains(*p)) {
        println!("  missed: {} – {}", p.0, p.1);
    }
    assert!(precision >= 0.8, "precision {precision:.3} is below 0.8");
    assert!(recall >= 0.7, "recall {recall:.3} is below 0.7");
}

#[test]
fn editors_pin_and_suppress_related_measures() {
    let site_dir = crate::common::copy_of_site();
    let path = site_dir
        .path()
        .join("content/plans/sichuan-finance/03-financial-system/03-fintech.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("{#sc-3-3-2 "));
    // wfc-2-4-3 is sc-3-3-2's best match by text; yc-9-1-1 (组织领导) is unrelated by text.
    std::fs::write(
        &path,
        text.replacen(
            "{#sc-3-3-2 ",
            "{#sc-3-3-2 not_related=\"wfc-2-4-3\" related=\"yc-9-1-1\" ",
            1,
        ),
    )
    .unwrap();
    let (site, d) = load_site(site_dir.path());
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = analyse(&site, None);
    let shown = |id: &str| -> Vec<String> {
        analysis.related[analysis.by_id[id]]
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    let sc = shown("sc-3-3-2");
    assert!(!sc.contains(&"wfc-2-4-3".to_string()), "{sc:?}");
    assert_eq!(
        sc.first().map(String::as_str),
        Some("yc-9-1-1"),
        "a pinned measure comes first: {sc:?}"
    );
    let pinned = &analysis.related[analysis.by_id["sc-3-3-2"]][0];
    assert!(pinned.reason.starts_with("编辑指定"), "{}", pinned.reason);
    // Both apply in both directions.
    assert!(!shown("wfc-2-4-3").contains(&"sc-3-3-2".to_string()));
    assert!(shown("yc-9-1-1").contains(&"sc-3-3-2".to_string()));
}
