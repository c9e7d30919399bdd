//! The real site's search index: it answers queries as `search.js` reads it, finding every
//! record that holds the query and only those (the tokenizer itself: `search_tokenizer.rs`).

use std::collections::{BTreeMap, BTreeSet};

use crate::build_real::{built, content_measure_ids};

/// The search index answers a query as `search.js` does: the shard of each term (FNV-1a over
/// code points), delta-decoded postings, records holding every term.
fn search_index_query(files: &BTreeMap<String, Vec<u8>>, terms: &[&str]) -> BTreeSet<usize> {
    let meta: serde_json::Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let mut result: Option<BTreeSet<usize>> = None;
    for term in terms {
        let mut h: u32 = 0x811c_9dc5;
        for c in term.chars() {
            h = (h ^ c as u32).wrapping_mul(16_777_619);
        }
        let shard: serde_json::Value =
            serde_json::from_slice(&files[&format!("search/terms/{}.json", h & (shards - 1))])
                .unwrap();
        let list = shard[*term].as_array().cloned().unwrap_or_default();
        let mut doc = 0;
        let docs: BTreeSet<usize> = list
            .chunks(2)
            .map(|p| {
                doc += p[0].as_u64().unwrap() as usize;
                doc
            })
            .collect();
        result = Some(match result {
            None => docs,
            Some(r) => r.intersection(&docs).copied().collect(),
        });
    }
    result.unwrap_or_default()
}

/// Record numbers from runs `[gap, length, …]` (`src/search/mod.rs`, `runs`).
fn unrun(runs: &[serde_json::Value]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut doc = 0;
    for pair in runs.chunks(2) {
        doc += pair[0].as_u64().unwrap() as usize;
        let len = pair[1].as_u64().unwrap() as usize;
        out.extend(doc..doc + len);
        doc += len;
    }
    out
}

fn search_docs(files: &BTreeMap<String, Vec<u8>>) -> Vec<Vec<String>> {
    let meta: serde_json::Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
    let n = meta["docs"].as_u64().unwrap() as usize;
    let chunk = meta["chunk"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for i in 0..n.div_ceil(chunk) {
        let c: Vec<Vec<String>> =
            serde_json::from_slice(&files[&format!("search/docs/{i}.json")]).unwrap();
        docs.extend(c);
    }
    assert_eq!(docs.len(), n);
    docs
}

#[test]
fn search_index_finds_every_record_holding_the_query() {
    let files = built();
    let docs = search_docs(files);
    // Every record whose text holds the phrase is found, and each found record holds all of
    // the query's character pairs.
    for (query, terms) in [
        ("数字人民币", vec!["数字", "字人", "人民", "民币"]),
        ("绿色金融", vec!["绿色", "色金", "金融"]),
        ("保险密度", vec!["保险", "险密", "密度"]),
    ] {
        let found = search_index_query(files, &terms);
        let holding: BTreeSet<usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d[5].contains(query) || d[1].contains(query))
            .map(|(i, _)| i)
            .collect();
        assert!(!holding.is_empty(), "{query} is in the content");
        assert!(
            holding.is_subset(&found),
            "{query}: records {:?} hold it but are not found",
            holding.difference(&found).collect::<Vec<_>>()
        );
        for i in &found {
            let text = format!("{}\n{}", docs[*i][1], docs[*i][5]);
            assert!(
                terms.iter().all(|t| text.contains(t)),
                "{query}: {i} lacks a term"
            );
        }
    }
    // ASCII words are whole, lowercased terms.
    let found = search_index_query(files, &["qflp"]);
    assert!(!found.is_empty(), "QFLP is indexed as `qflp`");
    assert!(found.iter().all(|i| docs[*i][5].contains("QFLP")));
    // Filters are run lists in facets.json: a plan's measures are the kind 举措 ∩ the plan.
    let facets: serde_json::Value = serde_json::from_slice(&files["search/facets.json"]).unwrap();
    let facet = |name: &str, value: &str| -> BTreeSet<usize> {
        let entry = facets[name]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v[0] == value)
            .unwrap_or_else(|| panic!("no {name} {value} in facets.json"));
        let set = unrun(entry[2].as_array().unwrap());
        assert_eq!(set.len() as u64, entry[1].as_u64().unwrap());
        set
    };
    let measures = facet("kind", "举措");
    assert_eq!(measures.len(), content_measure_ids().len());
    assert!(measures.iter().all(|i| docs[*i][2] == "举措"));
    let chongqing: BTreeSet<usize> = measures
        .intersection(&facet("plan", "重庆金融“十四五”规划"))
        .copied()
        .collect();
    assert!(chongqing
        .iter()
        .all(|i| docs[*i][0].starts_with("plans/chongqing-finance/")));
    assert_eq!(chongqing.len(), 80);
    // A single character: `chars/<code point>.json` lists every record holding it inside a
    // word; with the lone character's own postings, every record holding it.
    let meta: serde_json::Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
    let listed = meta["chars"].as_str().unwrap();
    assert_eq!(
        listed.chars().count(),
        files
            .keys()
            .filter(|p| p.starts_with("search/chars/"))
            .count(),
        "meta.json lists exactly the characters that have a file"
    );
    for c in ['碳', '家', '税'] {
        assert!(listed.contains(c), "{c} is not listed in meta.json");
        let inner = unrun(
            serde_json::from_slice::<serde_json::Value>(
                &files[&format!("search/chars/{:x}.json", c as u32)],
            )
            .unwrap()
            .as_array()
            .unwrap(),
        );
        let lone = search_index_query(files, &[c.to_string().as_str()]);
        let found: BTreeSet<usize> = inner.union(&lone).copied().collect();
        let holding: BTreeSet<usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d[1].contains(c) || d[5].contains(c))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, holding, "{c}");
    }
    // The glossary the browser expands queries with: every instrument with other names.
    let glossary: serde_json::Value =
        serde_json::from_slice(&files["search/glossary.json"]).unwrap();
    let groups = glossary["synonyms"].as_array().unwrap();
    assert!(groups
        .iter()
        .any(|g| g[0] == "数字人民币" && g.as_array().unwrap().iter().any(|n| n == "数字货币")));
    assert!(groups.iter().any(|g| g[0] == "QFLP"
        && g.as_array()
            .unwrap()
            .iter()
            .any(|n| n == "合格境外有限合伙人")));
    assert!(files["search/glossary.json"].len() < 8 * 1024);
    // Every link of the index resolves to a page of the site.
    for d in &docs {
        let path = d[0].split('#').next().unwrap();
        assert!(
            files.contains_key(&format!("{path}index.html")),
            "search record links to {path}, which is not a page"
        );
    }
}
