//! The full-text search index: a static inverted index that the search page queries in the
//! browser, with no server and no WebAssembly.
//!
//! Records come from the model, not from parsing the rendered pages: one per measure (its
//! anchor, so a hit lands on the measure), plan, chapter and section, theme, indicator, indicator
//! concept and responsible unit.
//!
//! Chinese has no spaces, so the text is indexed as overlapping pairs of characters (the CJK
//! bigrams of Lucene's CJK analyser): a query matches a record holding every pair of the query,
//! which finds any word of two or more characters without a dictionary. Runs of ASCII letters
//! and digits (`5G`, `LPR`, `2025`) are whole terms, lowercased; full-width forms count as ASCII.
//! The tokenizer is written twice, in `tokenize.rs` and in the theme's `search.js`; the two must
//! agree (`tests/testsuite/build_real.rs` checks the index against the browser's queries, and the browser
//! test searches the built site).
//!
//! Layout below `search/` of the output:
//! - `meta.json`: the number of records, shards and records per chunk, and the filter values
//!   (plan, theme, kind) with their counts;
//! - `terms/<shard>.json`: `{term: [doc, weight, doc, weight, …]}` with doc numbers
//!   delta-encoded; a term's shard is its 32-bit FNV-1a hash (over code points) modulo the
//!   power-of-two shard count, so a query fetches only the shards of its terms. Weights are
//!   BM25 term weights (k1 = 1.2, b = 0.75, the title counted three times), scaled to integers,
//!   so the browser only sums `idf × weight`. Filter values are terms too (`#plan:…`,
//!   `#theme:…`, `#kind:…`, a `#` never survives tokenizing) whose lists hold doc deltas only;
//! - `docs/<chunk>.json`: `[url, title, kind, plan, place, text]` per record, fetched only for
//!   the records shown.
//!
//! The whole index is a pure function of the model, written in a fixed order, so builds are
//! byte-identical and an incremental rebuild rewrites only the shards whose bytes changed.
//!
//! Besides this file, which weighs the terms and writes the files: `records.rs` (what is
//! indexed, one record per measure, plan, division, …) and `tokenize.rs` (text to terms).
//!
//! Layer 6: may use `analyse` and every layer below; not `render`, `open_data` or `feeds`.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::model::Site;
use crate::output::Sink;

mod records;
mod tokenize;

use self::records::{records, Record};
use self::tokenize::{count_terms, key_text, shard_hash, Counted, TermKey};

/// Records per `docs/` chunk: a result list of 30 fetches at most 30 small files.
const DOCS_PER_CHUNK: usize = 64;
/// Records counted at once (in parallel).
const COUNT_BATCH: usize = 4096;
/// Target size of a `terms/` shard, to pick the shard count.
const SHARD_BYTES: usize = 48 * 1024;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// How many times a title counts against the body.
const TITLE_WEIGHT: u32 = 3;
/// Kinds of records, in the order the filter lists them.
const KINDS: &[&str] = &["举措", "章节", "规划", "指标", "主题", "责任单位"];

/// Builds the search index, handing each file (below `search/` in the output) to `sink` as
/// soon as it is made.
pub fn search_index(site: &Site, analysis: &Analysis, sink: &Sink) -> Result<(), BuildError> {
    let records = records(site, analysis);
    // Postings in record order, so doc numbers rise within each list; (doc, term count)
    // first, turned into BM25 weights once every record's length is known. Records are counted
    // in batches, in parallel, so that per-record term lists never exist for all at once.
    let mut postings: FxHashMap<TermKey, Vec<u32>> = FxHashMap::default();
    let mut words: FxHashMap<TermKey, String> = FxHashMap::default();
    let mut lengths: Vec<u32> = Vec::with_capacity(records.len());
    for (batch, chunk) in records.chunks(COUNT_BATCH).enumerate() {
        let counted: Vec<Counted> = chunk.par_iter().map(count_terms).collect();
        for (k, c) in counted.into_iter().enumerate() {
            let doc = (batch * COUNT_BATCH + k) as u32;
            lengths.push(c.length);
            for (key, tf) in c.terms {
                let list = postings.entry(key).or_default();
                list.push(doc);
                list.push(tf);
            }
            for (key, word) in c.words {
                words.entry(key).or_insert(word);
            }
        }
    }
    let n = records.len().max(1) as f64;
    let avg_len = lengths.iter().map(|l| f64::from(*l)).sum::<f64>() / n;
    postings.par_iter_mut().for_each(|(_, list)| {
        for pair in list.chunks_mut(2) {
            let norm = K1 * (1.0 - B + B * f64::from(lengths[pair[0] as usize]) / avg_len.max(1.0));
            let tf = f64::from(pair[1]);
            pair[1] = ((100.0 * tf * (K1 + 1.0) / (tf + norm)).round() as u32).max(1);
        }
    });

    // Filter values as terms.
    let mut facets: Vec<(String, Vec<u32>)> = Vec::new();
    let mut facet_counts: Vec<(&str, Vec<(String, usize)>)> = Vec::new();
    for (name, values) in [
        (
            "plan",
            facet_values(&records, |r| r.plan.iter().cloned().collect()),
        ),
        ("theme", facet_values(&records, |r| r.themes.clone())),
        ("kind", facet_values(&records, |r| vec![r.kind.to_string()])),
    ] {
        let mut listed = Vec::new();
        for (value, docs) in values {
            listed.push((value.clone(), docs.len()));
            facets.push((format!("#{name}:{value}"), docs));
        }
        if name == "kind" {
            listed.sort_by_key(|(v, _)| KINDS.iter().position(|k| k == v));
        }
        facet_counts.push((name, listed));
    }

    let total: usize = postings.values().map(|l| l.len() * 4).sum::<usize>()
        + facets.iter().map(|(_, l)| l.len() * 3).sum::<usize>();
    let shards = (total / SHARD_BYTES).clamp(1, 4096).next_power_of_two();
    let mut by_shard: Vec<Vec<(String, Vec<u32>, bool)>> = vec![Vec::new(); shards];
    for (key, list) in postings {
        let term = key_text(key, &words);
        by_shard[shard_hash(&term) as usize & (shards - 1)].push((term, list, true));
    }
    for (term, list) in facets {
        by_shard[shard_hash(&term) as usize & (shards - 1)].push((term, list, false));
    }
    by_shard
        .into_par_iter()
        .enumerate()
        .try_for_each(|(i, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            sink.put(format!("search/terms/{i}.json"), shard_json(&terms))
        })?;
    records
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            let docs: Vec<serde_json::Value> = chunk
                .iter()
                .map(|r| {
                    let plan = r.plan.as_deref().unwrap_or("");
                    serde_json::json!([r.url, r.title, r.kind, plan, r.place, r.content])
                })
                .collect();
            sink.put(
                format!("search/docs/{i}.json"),
                serde_json::to_vec(&docs).unwrap_or_default(),
            )
        })?;
    let facet_json: serde_json::Map<String, serde_json::Value> = facet_counts
        .into_iter()
        .map(|(name, listed)| (name.to_string(), serde_json::json!(listed)))
        .collect();
    let meta = serde_json::json!({
        "version": 1,
        "docs": records.len(),
        "shards": shards,
        "chunk": DOCS_PER_CHUNK,
        "facets": facet_json,
    });
    sink.put(
        "search/meta.json".into(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    )
}

/// Each value of a filter with the records holding it, values in name order.
fn facet_values(
    records: &[Record],
    values: impl Fn(&Record) -> Vec<String>,
) -> Vec<(String, Vec<u32>)> {
    let mut map: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for (doc, r) in records.iter().enumerate() {
        for v in values(r) {
            let list = map.entry(v).or_default();
            if list.last() != Some(&(doc as u32)) {
                list.push(doc as u32);
            }
        }
    }
    map.into_iter().collect()
}

/// One shard as JSON, doc numbers delta-encoded.
fn shard_json(terms: &[(String, Vec<u32>, bool)]) -> Vec<u8> {
    use std::fmt::Write;
    let mut out = String::from("{");
    for (i, (term, list, weighted)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(term).unwrap_or_default());
        out.push_str(":[");
        let mut prev = 0u32;
        let step = if *weighted { 2 } else { 1 };
        for (j, pair) in list.chunks(step).enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", pair[0] - prev);
            prev = pair[0];
            if *weighted {
                let _ = write!(out, ",{}", pair[1]);
            }
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}
