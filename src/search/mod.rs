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
//! A single character (碳) is a term only where it stands alone; to find it inside words as
//! well, each character's records are listed in a file of its own (`chars/`), which the browser
//! ranks after the whole-word hits.
//!
//! Layout below `search/` of the output:
//! - `meta.json`: the number of records, shards and records per chunk, and the characters
//!   that have a `chars/` file;
//! - `terms/<shard>.json`: `{term: [doc, weight, doc, weight, …]}` with doc numbers
//!   delta-encoded; a term's shard is its 32-bit FNV-1a hash (over code points) modulo the
//!   power-of-two shard count, so a query fetches only the shards of its terms. Weights are
//!   BM25 term weights (k1 = 1.2, b = 0.75, the title counted three times), scaled to integers,
//!   so the browser only sums `idf × weight`;
//! - `chars/<code point in hex>.json`: the records holding a CJK character inside a run of two
//!   or more, as runs `[gap, length, …]` (see `runs`);
//! - `facets.json`: the filter values (plan, kind, theme) with their site-wide counts; plans and
//!   kinds with their records as runs, themes as a column `themes/<n>.json` of one fixed-width
//!   number per record (its set of themes in `themeSets`), so that the browser counts a query's
//!   hits per value (see `facets_json`);
//! - `glossary.json`: the glossary's instruments with their other names (a query naming one
//!   also searches the others), its words, and the themes' names and pages, which a query with
//!   no exact match suggests;
//! - `docs/<chunk>.json`: `[url, title, kind, plan, place, text]` per record, fetched only for
//!   the records shown.
//!
//! The budget (measured in BENCHMARKS.md, "Search index"): a query fetches `meta.json`,
//! `facets.json` and `glossary.json` once, the shard of each term, one `chars/` file per single
//! character, the theme column chunks its hits fall in and one `docs/` chunk of 8 records per result
//! shown (at most 30 at a time).
//!
//! The whole index is a pure function of the model, written in a fixed order, so builds are
//! byte-identical and an incremental rebuild rewrites only the shards whose bytes changed.
//!
//! Besides this file, which writes the files: `records.rs` (what is indexed, one record per
//! measure, plan, division, …), `tokenize.rs` (text to terms), `counts.rs` (terms counted into
//! postings, and kept in `serve`), `lists.rs` (the postings and characters' records, coded
//! small while they are held) and `shards.rs` (the postings by shard, weighed as they are
//! written).
//!
//! Layer 6: may use `analyse` and every layer below; not `render`, `open_data` or `feeds`.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::model::Site;
use crate::output::Sink;

mod counts;
mod lists;
mod records;
mod shards;
mod tokenize;

use self::counts::count_all;
pub use self::counts::CountCache;
use self::lists::Postings;

use self::records::{records, Record};
use self::shards::{shard_count, shard_terms, Shard, Unweighed};
use self::tokenize::TermKey;

/// Records per `docs/` chunk: a result list of 30 fetches at most 30 files, so a chunk holds
/// few records (about 5 KB), or the texts of records never shown make most of a query's
/// download (64 a chunk made 1.4 MB of the 1.6 MB a query fetched at 10,000 measures).
const DOCS_PER_CHUNK: usize = 8;
/// Records per chunk of the theme column (`themes/<n>.json`).
const THEME_CHUNK: usize = 8192;
/// Records counted at once (in parallel). A batch's term lists are all held until it is added
/// to the postings: 1,024 records (about 6 MB) touch 12 % fewer fresh pages in a whole build of
/// 100,000 measures than 4,096 did.
const COUNT_BATCH: usize = 1024;
/// The maps postings are counted into, one term's in one of them (see [`part_of`]).
const PARTS: usize = 8;

/// Which of the [`PARTS`] maps holds a term's postings: the top bits of a multiplicative hash
/// (a term key packs code points, whose low bits are alike).
fn part_of(key: TermKey) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PARTS.trailing_zeros())) as usize
}

/// How many times a title counts against the body.
const TITLE_WEIGHT: u32 = 3;
/// Kinds of records, in the order the filter lists them.
const KINDS: &[&str] = &["举措", "章节", "规划", "指标", "主题", "责任单位"];

/// What the search index holds: a record per measure, plan, division, theme, indicator,
/// concept and responsible unit, in a fixed order.
pub struct SearchRecords<'s>(Vec<Record<'s>>);

/// The site's records. They read the measures, their places and the responsible units of
/// `analysis`, not its related lists or alignments: `build` makes them as soon as the units are
/// known and indexes them while the related measures are computed.
pub fn search_records<'s>(site: &'s Site, analysis: &Analysis) -> SearchRecords<'s> {
    SearchRecords(records(site, analysis))
}

/// Builds the search index of `records`, handing each file (below `search/` in the output) to
/// `sink` as soon as it is made. `halt` is asked between its steps: once it gives an error (the
/// build was superseded, or its pages failed) the index stops with that error and writes no
/// more. With `counts` (in `serve`), the last build's postings of term counts are patched where
/// few records changed (see `counts.rs`).
pub fn search_index(
    site: &Site,
    SearchRecords(records): SearchRecords,
    counts: Option<&CountCache>,
    sink: &Sink,
    halt: &(dyn Fn() -> Result<(), BuildError> + Sync),
) -> Result<(), BuildError> {
    let mut counts = count_all(&records, counts, halt)?;
    let n = records.len().max(1) as f64;
    let avg_len = counts.lengths.iter().map(|l| f64::from(*l)).sum::<f64>() / n;
    halt()?;
    let facets = facets_json(&records);
    facets
        .record_sets
        .par_chunks(THEME_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            sink.put(
                format!("search/themes/{i}.json"),
                serde_json::to_vec(&facets.theme_column(chunk)).unwrap_or_default(),
            )
        })?;

    let total: usize = counts
        .parts
        .iter()
        .flat_map(|postings| postings.values())
        .map(|l| l.len())
        .sum::<usize>();
    let shards = shard_count(total);
    // Counts no cache keeps are moved to their shards; counts kept for the next build (in
    // `serve`) are copied.
    let owned = Arc::get_mut(&mut counts).map(|c| std::mem::take(&mut c.parts));
    let counts = &*counts;
    let shard = |postings: &mut dyn Iterator<Item = (TermKey, Postings)>| {
        shard_terms(postings, shards, &counts.words)
    };
    let sharded: Vec<Vec<Unweighed>> = match owned {
        Some(parts) => parts
            .into_par_iter()
            .map(|postings| shard(&mut postings.into_iter()))
            .collect(),
        None => counts
            .parts
            .par_iter()
            .map(|postings| shard(&mut postings.iter().map(|(k, l)| (*k, l.clone()))))
            .collect(),
    };
    let mut by_shard: Vec<Unweighed> = vec![Vec::new(); shards];
    for part in sharded {
        for (all, some) in by_shard.iter_mut().zip(part) {
            all.extend(some);
        }
    }
    // Characters inside words, for single-character queries: a file per character (its
    // code point in hex), so that such a query fetches the one list it needs.
    // The characters that have a file, in meta.json: the browser asks for no file that is not
    // there (a 404 is an error in the console).
    halt()?;
    let mut listed: Vec<char> = counts.chars.keys().copied().collect();
    listed.sort_unstable();
    let listed: String = listed.into_iter().collect();
    counts.chars.par_iter().try_for_each(|(c, docs)| {
        let runs = runs(docs.iter().map(|(doc, _)| doc));
        sink.put_made(
            format!("search/chars/{:x}.json", *c as u32),
            file_key(sink, &runs),
            |out| {
                numbers_json(&runs, out);
                Ok(())
            },
        )
    })?;
    halt()?;
    by_shard
        .into_par_iter()
        .enumerate()
        .try_for_each(|(i, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let shard = Shard {
                terms: &terms,
                lengths: &counts.lengths,
                avg_len,
            };
            sink.put_made(
                format!("search/terms/{i}.json"),
                file_key(sink, &shard),
                |out| {
                    shard.write_json(out);
                    Ok(())
                },
            )
        })?;
    halt()?;
    records
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            // Each record as the array the browser reads, written from the record's own
            // strings (not copied into a `serde_json::Value` first).
            let docs: Vec<DocRow> = chunk
                .iter()
                .map(|r| {
                    let plan = r.plan.unwrap_or("");
                    (&*r.url, &*r.title, r.kind, plan, &*r.place, r.text())
                })
                .collect();
            sink.put_made(
                format!("search/docs/{i}.json"),
                file_key(sink, &docs),
                |out| {
                    // Strings and numbers only: writing them cannot fail.
                    if serde_json::to_writer(&mut *out, &docs).is_err() {
                        out.clear();
                    }
                    Ok(())
                },
            )
        })?;
    let meta = serde_json::json!({
        "version": 2,
        "chars": listed,
        "docs": records.len(),
        "shards": shards,
        "chunk": DOCS_PER_CHUNK,
    });
    sink.put(
        "search/meta.json".into(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    )?;
    sink.put(
        "search/facets.json".into(),
        serde_json::to_vec(&facets.json).unwrap_or_default(),
    )?;
    sink.put(
        "search/glossary.json".into(),
        serde_json::to_vec(&glossary_json(site)).unwrap_or_default(),
    )
}

/// The key of a file of the index made from `value` alone, when `sink` keeps keys (`serve`):
/// a rebuild then keeps the file if `value` is the last build's, without writing it out again
/// and hashing its bytes. Of the 2,200 files of the index at 10,000 measures an edit changes a
/// few (the edited record's `docs/` chunk and characters, and the shards of its terms), or,
/// when it changes the records' mean length, the shards whose rounded weights moved.
/// `None` in a plain build, which hashes nothing.
fn file_key(sink: &Sink, value: &impl std::hash::Hash) -> Option<u64> {
    sink.is_keyed().then(|| crate::util::hash::key_of(value))
}

/// The filters: `facets.json` and what writes the theme column.
struct Facets {
    json: serde_json::Map<String, serde_json::Value>,
    /// Each record's theme set: its number in `themeSets`.
    record_sets: Vec<usize>,
    width: usize,
}

/// The digits of the theme column: a record's theme set is its number in this base.
const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Each filter value with its site-wide count. Plans and kinds cover long stretches of
/// consecutive records (a plan's measures), so their records are listed as runs. Themes do
/// not (neighbouring measures have other themes), so a record's themes are instead written in
/// a column (`themes/<n>.json`, `THEME_CHUNK` records each): one fixed-width number per
/// record, standing for a set of themes listed once in `themeSets`. A query fetches the
/// chunks its hits fall in, to count them by theme.
fn facets_json(records: &[Record]) -> Facets {
    let mut json = serde_json::Map::new();
    for (name, values) in [
        (
            "plan",
            facet_values(records, |r| r.plan.iter().map(|p| p.to_string()).collect()),
        ),
        ("kind", facet_values(records, |r| vec![r.kind.to_string()])),
    ] {
        let mut listed = values;
        if name == "kind" {
            listed.sort_by_key(|(v, _)| KINDS.iter().position(|k| k == v));
        }
        let listed: Vec<serde_json::Value> = listed
            .into_iter()
            .map(|(value, docs)| serde_json::json!([value, docs.len(), runs(docs.iter().copied())]))
            .collect();
        json.insert(name.to_string(), serde_json::Value::Array(listed));
    }
    let theme_values = facet_values(records, |r| {
        r.themes.iter().map(|t| t.to_string()).collect()
    });
    let themes: FxHashMap<String, usize> = theme_values
        .iter()
        .enumerate()
        .map(|(i, (v, _))| (v.clone(), i))
        .collect();
    let mut sets: FxHashMap<Vec<usize>, usize> = FxHashMap::default();
    let mut listed_sets: Vec<Vec<usize>> = Vec::new();
    let record_sets: Vec<usize> = records
        .iter()
        .map(|r| {
            let set = theme_set(&themes, r);
            *sets.entry(set).or_insert_with_key(|set| {
                listed_sets.push(set.clone());
                listed_sets.len() - 1
            })
        })
        .collect();
    let mut width = 1;
    while DIGITS.len().pow(width as u32) < listed_sets.len() {
        width += 1;
    }
    json.insert(
        "theme".into(),
        serde_json::json!(theme_values
            .iter()
            .map(|(v, docs)| serde_json::json!([v, docs.len()]))
            .collect::<Vec<_>>()),
    );
    json.insert("themeSets".into(), serde_json::json!(listed_sets));
    json.insert("themeWidth".into(), serde_json::json!(width));
    json.insert("themeChunk".into(), serde_json::json!(THEME_CHUNK));
    Facets {
        json,
        record_sets,
        width,
    }
}

fn theme_set(themes: &FxHashMap<String, usize>, r: &Record) -> Vec<usize> {
    let mut set: Vec<usize> = r
        .themes
        .iter()
        .filter_map(|t| themes.get(*t).copied())
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

impl Facets {
    /// One chunk of the theme column: each record's set number, `width` digits.
    fn theme_column(&self, record_sets: &[usize]) -> String {
        let mut out = String::with_capacity(record_sets.len() * self.width);
        let mut digits = vec![b'0'; self.width];
        for &set in record_sets {
            let mut n = set;
            for d in digits.iter_mut().rev() {
                *d = DIGITS[n % DIGITS.len()];
                n /= DIGITS.len();
            }
            out.extend(digits.iter().map(|&b| b as char));
        }
        out
    }
}

/// Rising record numbers as runs: `[gap, length, gap, length, …]`, each gap counted from the
/// end of the run before (from 0 for the first). Filters and characters cover long stretches
/// of consecutive records (a plan's measures, a common character), which this keeps small.
fn runs(docs: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut out = Vec::new();
    // The run being read: its first record and its length.
    let mut run: Option<(u32, u32)> = None;
    let mut end = 0u32;
    for doc in docs {
        match &mut run {
            Some((start, len)) if doc == *start + *len => *len += 1,
            _ => {
                if let Some((start, len)) = run {
                    out.extend([start - end, len]);
                    end = start + len;
                }
                run = Some((doc, 1));
            }
        }
    }
    if let Some((start, len)) = run {
        out.extend([start - end, len]);
    }
    out
}

/// How many decimal digits `n` has.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Numbers as a JSON array, written into `out` (room made for them at once).
fn numbers_json(numbers: &[u32], out: &mut Vec<u8>) {
    let commas = numbers.len().saturating_sub(1);
    out.reserve(2 + commas + numbers.iter().map(|n| digits(*n)).sum::<usize>());
    let mut number = itoa::Buffer::new();
    out.push(b'[');
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(number.format(*n).as_bytes());
    }
    out.push(b']');
}

/// What the browser needs of the glossary and the themes at query time (`glossary.json`):
/// each instrument's names (any one found in a query also searches the others), the words
/// kept whole, and the themes' names and pages, which a query with no exact match suggests.
fn glossary_json(site: &Site) -> serde_json::Value {
    let synonyms: Vec<Vec<&str>> = site
        .glossary
        .instrument
        .iter()
        .filter(|i| !i.aliases.is_empty())
        .map(|i| {
            std::iter::once(i.name.as_str())
                .chain(i.aliases.iter().map(String::as_str))
                .collect()
        })
        .collect();
    let terms: Vec<&str> = site
        .glossary
        .instrument
        .iter()
        .map(|i| i.name.as_str())
        .chain(site.glossary.words.iter().map(String::as_str))
        .collect();
    let themes: Vec<[String; 2]> = site
        .themes
        .iter()
        .map(|t| [t.name.clone(), crate::model::urls::theme_url(&t.slug)])
        .collect();
    serde_json::json!({"synonyms": synonyms, "terms": terms, "themes": themes})
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

/// A record as the browser reads it from `docs/`: url, title, kind, plan, place, text.
type DocRow<'r> = (
    &'r str,
    &'r str,
    &'r str,
    &'r str,
    &'r str,
    std::borrow::Cow<'r, str>,
);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn rec<'a>(plan: &'a str, kind: &'static str, themes: &[&'a str]) -> Record<'a> {
        Record {
            url: String::new(),
            title: "".into(),
            kind,
            plan: Some(plan),
            place: String::new(),
            themes: themes.to_vec(),
            content: "".into(),
            after: None,
        }
    }

    /// The browser reads a record's themes from the column as `search.js` does: its number
    /// in base 64 at `width` digits, an index into `themeSets`, whose entries index `theme`.
    #[test]
    fn the_theme_column_gives_each_record_its_themes() {
        let records = vec![
            rec("甲", "举措", &["绿色金融", "保险"]),
            rec("甲", "举措", &[]),
            rec("乙", "章节", &["保险"]),
            rec("乙", "举措", &["保险", "绿色金融"]),
        ];
        let facets = facets_json(&records);
        let column = facets.theme_column(&facets.record_sets);
        let width = facets.json["themeWidth"].as_u64().unwrap() as usize;
        assert_eq!(column.len(), records.len() * width);
        let names: Vec<&str> = facets.json["theme"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[0].as_str().unwrap())
            .collect();
        for (i, r) in records.iter().enumerate() {
            let n = column[i * width..(i + 1) * width].bytes().fold(0, |n, b| {
                n * 64 + DIGITS.iter().position(|d| *d == b).unwrap()
            });
            let mut got: Vec<&str> = facets.json["themeSets"][n]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| names[t.as_u64().unwrap() as usize])
                .collect();
            let mut want: Vec<&str> = r.themes.clone();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "record {i}");
        }
        // Plans and kinds as runs, with their counts.
        assert_eq!(
            facets.json["plan"],
            serde_json::json!([["乙", 2, [2, 2]], ["甲", 2, [0, 2]]])
        );
        assert_eq!(
            facets.json["kind"][0],
            serde_json::json!(["举措", 3, [0, 2, 1, 1]])
        );
    }

    /// The bundled site, analysed.
    fn bundled() -> (Site, Analysis) {
        let site = crate::content::bundled_site();
        let analysis = crate::analyse::analyse(&site, None);
        (site, analysis)
    }

    /// The search files of `site`, made into `sink` from its records (the first measure's text
    /// with `extra` after it).
    fn index_into((site, analysis): &(Site, Analysis), sink: &Sink, extra: &str) {
        let SearchRecords(mut records) = search_records(site, analysis);
        assert_eq!(records[0].kind, "举措");
        // After the measure's responsible units, the end of its text.
        records[0].after.get_or_insert_default().push_str(extra);
        search_index(site, SearchRecords(records), None, sink, &|| Ok(())).unwrap();
    }

    /// In `serve` (a keyed sink) the index's files carry the key of what they are made from:
    /// a rebuild keeps those made from the same as before and writes the others, and what it
    /// gives is what a build from scratch gives. A plain build keys none.
    #[test]
    fn a_rebuild_keeps_the_index_files_made_from_the_same() {
        let site = bundled();
        let files = |finished: crate::output::Finished| -> BTreeMap<String, Vec<u8>> {
            finished.files.into_iter().collect()
        };
        let plain = Sink::memory();
        index_into(&site, &plain, "");
        let plain = plain.finish().unwrap();
        assert!(plain.manifest.files.values().all(|e| e.key.is_none()));

        let first = Sink::memory().keyed();
        index_into(&site, &first, "");
        let first = first.finish().unwrap();
        let keyed = |dir: &str| {
            let mut files = first
                .manifest
                .files
                .iter()
                .filter(|(p, _)| p.starts_with(dir));
            files.clone().next().is_some() && files.all(|(_, e)| e.key.is_some())
        };
        assert!(keyed("search/docs/") && keyed("search/terms/") && keyed("search/chars/"));
        let manifest = first.manifest.clone();
        let mut files_then = files(first);

        let same = Sink::live(&manifest);
        index_into(&site, &same, "");
        assert_eq!(same.finish().unwrap().changed, Vec::<String>::new());

        // New words for the first record, long enough to move the records' mean length and
        // with it the rounded weights of other records' terms: its chunk of docs alone among
        // the chunks is written, shards of other terms too, and the last build's files with the
        // rebuild's written over them are the files of a build from scratch, byte for byte (a
        // key that left out what a file is made from would keep a stale file here).
        let extra = "鲲鹏展翅".repeat(500);
        let edited = Sink::live(&manifest);
        index_into(&site, &edited, &extra);
        let edited = edited.finish().unwrap();
        let docs: Vec<&String> = edited
            .changed
            .iter()
            .filter(|p| p.starts_with("search/docs/"))
            .collect();
        assert_eq!(docs, ["search/docs/0.json"]);
        let written: Vec<&String> = edited
            .changed
            .iter()
            .filter(|p| p.starts_with("search/terms/"))
            .collect();
        assert!(written.len() > 4, "{written:?}");
        for path in &edited.changed {
            files_then.remove(path);
        }
        files_then.extend(files(edited));
        let scratch = Sink::memory();
        index_into(&site, &scratch, &extra);
        assert!(files_then == files(scratch.finish().unwrap()));
    }

    #[test]
    fn record_lists_are_written_as_runs() {
        assert_eq!(runs([]), Vec::<u32>::new());
        assert_eq!(runs([0, 1, 2, 7, 9, 10]), [0, 3, 4, 1, 1, 2]);
        assert_eq!(runs([5]), [5, 1]);
        assert_eq!(runs([0, 2, 3, 4]), [0, 1, 1, 3]);
        let json = |numbers: &[u32]| {
            let mut out = Vec::new();
            numbers_json(numbers, &mut out);
            out
        };
        assert_eq!(
            json(&runs([0, 1, 2, 7, 9, 10, 12_345_678])),
            b"[0,3,4,1,1,2,12345667,1]"
        );
        assert_eq!(json(&[]), b"[]");
        for n in [0, 9, 10, 99, 100, 4_294_967_295] {
            assert_eq!(digits(n), n.to_string().len());
        }
    }
}
