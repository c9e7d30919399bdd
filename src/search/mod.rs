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
//! The tokenizer is written twice, here and in the theme's `search.js`; the two must agree
//! (`tests/build_real.rs` checks the index against the browser's queries, and the browser test
//! searches the built site).
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
//! Layer 6: may use `analyse` and every layer below; not `render`, `open_data` or `feeds`.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::markdown::plain_text;
use crate::model::Site;
use crate::output::Sink;
use crate::util::hash::{fnv1a32_chars, fnv1a64};

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
/// The longest ASCII word indexed, in characters.
const MAX_WORD: usize = 32;
/// Kinds of records, in the order the filter lists them.
const KINDS: &[&str] = &["举措", "章节", "规划", "指标", "主题", "责任单位"];

/// One search record: a document of the index.
struct Record {
    url: String,
    title: String,
    kind: &'static str,
    plan: Option<String>,
    place: String,
    themes: Vec<String>,
    content: String,
}

fn record(url: String, content: String, title: &str, kind: &'static str) -> Record {
    Record {
        url,
        title: title.to_string(),
        kind,
        plan: None,
        place: String::new(),
        themes: Vec::new(),
        content,
    }
}

impl Record {
    fn plan(mut self, short_title: &str) -> Self {
        self.plan = Some(short_title.to_string());
        self
    }

    fn place(mut self, place: String) -> Self {
        self.place = place;
        self
    }

    fn themes(mut self, names: Vec<String>) -> Self {
        self.themes = names;
        self
    }
}

/// Every record of the site, in a fixed order.
fn records(site: &Site, analysis: &Analysis) -> Vec<Record> {
    let theme_name = |slug: &String| {
        site.themes
            .iter()
            .find(|t| &t.slug == slug)
            .map_or_else(|| slug.clone(), |t| t.name.clone())
    };
    let mut out = Vec::new();
    for entry in &analysis.measures {
        let plan = &site.plans[entry.plan];
        let place = analysis.location(site, entry);
        let m = analysis.measure(site, entry);
        let units: Vec<&str> = m.units.iter().map(|u| u.name.as_str()).collect();
        out.push(
            record(
                entry.url.clone(),
                format!("{}\n{}", m.text, units.join("、")),
                &m.title,
                "举措",
            )
            .plan(&plan.meta.short_title)
            .place(place)
            .themes(m.themes.iter().map(theme_name).collect()),
        );
    }
    for plan in &site.plans {
        out.push(
            record(
                plan.url.clone(),
                format!("{}\n{}", plan.meta.title, plain_text(&plan.preamble.source)),
                &plan.meta.title,
                "规划",
            )
            .plan(&plan.meta.short_title),
        );
        for chapter in &plan.chapters {
            let divisions = chapter.divisions();
            for d in divisions {
                let mut text = d.full_title();
                text.push('\n');
                text.push_str(&plain_text(&d.intro.source));
                for interlude in &d.interludes {
                    text.push('\n');
                    text.push_str(&plain_text(&interlude.body.source));
                }
                out.push(
                    record(d.url.clone(), text, &d.full_title(), "章节")
                        .plan(&plan.meta.short_title),
                );
            }
        }
        for (table, ind) in plan.all_indicators() {
            let text = format!(
                "{} {} {}→{} {}",
                ind.name, ind.unit, ind.baseline.value.raw, ind.target.value.raw, table.title
            );
            let themes: Vec<String> = ind
                .concept
                .as_ref()
                .and_then(|c| site.concepts.iter().find(|x| &x.slug == c))
                .map(|c| c.themes.iter().map(theme_name).collect())
                .unwrap_or_default();
            out.push(
                record(format!("{}#{}", plan.url, ind.id), text, &ind.name, "指标")
                    .plan(&plan.meta.short_title)
                    .place(table.title.clone())
                    .themes(themes),
            );
        }
    }
    for theme in &site.themes {
        out.push(
            record(
                crate::model::urls::theme_url(&theme.slug),
                format!("{}\n{}", theme.name, theme.definition),
                &theme.name,
                "主题",
            )
            .themes(vec![theme.name.clone()]),
        );
    }
    for concept in &site.concepts {
        out.push(
            record(
                crate::model::urls::concept_url(&concept.slug),
                concept.name.clone(),
                &concept.name,
                "指标",
            )
            .themes(concept.themes.iter().map(theme_name).collect()),
        );
    }
    for agency in &analysis.agencies {
        let names: Vec<&str> = agency.names.iter().map(String::as_str).collect();
        out.push(record(
            crate::model::urls::unit_url(&agency.key),
            names.join("、"),
            &agency.name,
            "责任单位",
        ));
    }
    out
}

/// Whether a character is written without spaces between words (Han, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Full-width ASCII as ASCII, ASCII lowercased; everything else unchanged.
fn fold(c: char) -> char {
    crate::util::text::fullwidth_to_ascii(c).to_ascii_lowercase()
}

/// A term as a number, so that counting needs no string per token: a CJK unigram or bigram
/// packs its code points (21 bits each; bit 63 clear), an ASCII word is its 62-bit FNV hash
/// with bit 63 set (the word itself is kept once, for writing).
type TermKey = u64;

fn cjk_key(a: char, b: Option<char>) -> TermKey {
    ((a as u64) << 21) | b.map_or(0, |b| b as u64)
}

fn word_key(word: &str) -> TermKey {
    (1 << 63) | (fnv1a64(word.as_bytes()) >> 2)
}

/// The term a key stands for.
fn key_text(key: TermKey, words: &FxHashMap<TermKey, String>) -> String {
    if key >> 63 == 1 {
        return words.get(&key).cloned().unwrap_or_default();
    }
    let a = char::from_u32((key >> 21) as u32).unwrap_or('\u{fffd}');
    let b = (key & 0x1F_FFFF) as u32;
    let mut s = String::from(a);
    if b != 0 {
        s.push(char::from_u32(b).unwrap_or('\u{fffd}'));
    }
    s
}

/// Splits text into terms, calling `emit` for each: CJK runs give their bigrams (a lone
/// character gives itself), ASCII letter-and-digit runs give the lowercased word.
fn tokenize(text: &str, mut emit: impl FnMut(TermKey, Option<&str>)) {
    let mut prev_cjk: Option<char> = None;
    let mut run_len = 0usize;
    let mut word = String::new();
    let flush_cjk =
        |prev: Option<char>, len: usize, emit: &mut dyn FnMut(TermKey, Option<&str>)| {
            if len == 1 {
                if let Some(p) = prev {
                    emit(cjk_key(p, None), None);
                }
            }
        };
    for raw in text.chars() {
        let c = fold(raw);
        if is_cjk(c) {
            if !word.is_empty() {
                emit_word(&word, &mut emit);
                word.clear();
            }
            if let Some(p) = prev_cjk {
                emit(cjk_key(p, Some(c)), None);
            }
            prev_cjk = Some(c);
            run_len += 1;
        } else {
            flush_cjk(prev_cjk, run_len, &mut emit);
            prev_cjk = None;
            run_len = 0;
            if c.is_ascii_alphanumeric() {
                word.push(c);
            } else if !word.is_empty() {
                emit_word(&word, &mut emit);
                word.clear();
            }
        }
    }
    flush_cjk(prev_cjk, run_len, &mut emit);
    if !word.is_empty() {
        emit_word(&word, &mut emit);
    }
}

fn emit_word(word: &str, emit: &mut impl FnMut(TermKey, Option<&str>)) {
    let word = match word.char_indices().nth(MAX_WORD) {
        Some((at, _)) => &word[..at],
        None => word,
    };
    emit(word_key(word), Some(word));
}

/// The 32-bit FNV-1a hash over code points that picks a term's shard (as in `search.js`).
fn shard_hash(term: &str) -> u32 {
    fnv1a32_chars(term)
}

/// A record's terms with their counts, and its length in terms.
struct Counted {
    terms: Vec<(TermKey, u32)>,
    words: Vec<(TermKey, String)>,
    length: u32,
}

fn count_terms(r: &Record) -> Counted {
    let mut counts: FxHashMap<TermKey, u32> = FxHashMap::default();
    let mut words: Vec<(TermKey, String)> = Vec::new();
    let mut length = 0u32;
    for (text, weight) in [(&r.title, TITLE_WEIGHT), (&r.content, 1)] {
        tokenize(text, |key, word| {
            *counts.entry(key).or_insert(0) += weight;
            length += weight;
            if let Some(w) = word {
                words.push((key, w.to_string()));
            }
        });
    }
    let mut terms: Vec<(TermKey, u32)> = counts.into_iter().collect();
    terms.sort_unstable();
    Counted {
        terms,
        words,
        length,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut words = FxHashMap::default();
        let mut keys = Vec::new();
        tokenize(text, |k, w| {
            if let Some(w) = w {
                words.insert(k, w.to_string());
            }
            keys.push(k);
        });
        keys.iter().map(|k| key_text(*k, &words)).collect()
    }

    #[test]
    fn chinese_is_indexed_as_bigrams_and_ascii_as_words() {
        assert_eq!(terms("数字人民币"), ["数字", "字人", "人民", "民币"]);
        assert_eq!(terms("推进5G应用"), ["推进", "5g", "应用"]);
        assert_eq!(terms("ＬＰＲ改革，税"), ["lpr", "改革", "税"]);
        assert_eq!(terms("“十四五”"), ["十四", "四五"]);
    }

    #[test]
    fn shard_hash_is_fnv1a_over_code_points() {
        assert_eq!(shard_hash(""), 0x811c_9dc5);
        // Fixed values: search.js must compute the same.
        assert_eq!(shard_hash("a"), 0xe40c_292c);
        assert_eq!(shard_hash("金融"), shard_hash("金融"));
    }
}
