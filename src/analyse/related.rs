//! Related measures in other plans.
//!
//! Each measure's text is segmented into Chinese words (jieba), boilerplate words are dropped,
//! and the rest are weighted by BM25 (a word that many measures use counts little). Candidates
//! come from an inverted index: a measure is compared only with measures that share one of its
//! weightiest words, words used by a large share of all measures are not looked up, and each
//! word's posting list is cut to the measures where it weighs most, so a measure's candidates
//! cost the same however large the corpus: the whole grows linearly, not with its square.
//!
//! The score of a pair is `TEXT_WEIGHT × cosine(text vectors) + THEME_WEIGHT × overlap(themes)`.
//! A pair is shown only when the score reaches `MIN_SCORE` and the texts share enough words
//! (`MIN_COSINE`), so a measure with nothing really related shows nothing. Editors pin pairs with
//! `related="id …"` and suppress them with `not_related="id …"` (both apply in both directions).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::stopwords::STOPWORDS;
use crate::analyse::index::MeasureEntry;
use crate::model::{Measure, Site};

/// How many related measures a measure shows at most.
pub const MAX_RELATED: usize = 5;
pub const TEXT_WEIGHT: f64 = 0.7;
pub const THEME_WEIGHT: f64 = 0.3;
/// The least score a shown pair must reach.
pub const MIN_SCORE: f64 = 0.30;
/// The least text similarity a shown pair must have, whatever its themes.
pub const MIN_COSINE: f64 = 0.12;
/// Words of a measure used to find candidates (its weightiest).
const QUERY_TERMS: usize = 16;
/// Posting lists longer than this share of all measures are not walked (the words are common).
const MAX_DF_SHARE: f64 = 0.08;
/// Each word's postings are cut to the measures where it weighs most ("champion lists"), so a
/// query costs the same however large the corpus grows.
const CHAMPIONS: usize = 200;
/// Candidates (by their partial score over the query words) that are scored exactly.
const RESCORED: usize = 60;
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Loads the segmenter's dictionary now (it takes a moment), e.g. on a background thread.
pub fn warm_up() {
    jieba();
}

/// The text that speaks for a measure: its verbatim text without the 责任单位 sentence.
fn similarity_text(m: &Measure) -> &str {
    without_units(&m.text)
}

/// A text without its 责任单位 sentence: who carries a measure out says nothing of what it is.
pub(super) fn without_units(text: &str) -> &str {
    match text.find("（责任单位") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// BM25 inverse document frequency of a word used by `df` of `n` documents.
pub(super) fn bm25_idf(n: usize, df: usize) -> f64 {
    ((n as f64 - df as f64 + 0.5) / (df as f64 + 0.5) + 1.0).ln()
}

/// BM25 weight of a word used `f` times in a document of `len` words, where documents have
/// `avg_len` words on average.
pub(super) fn bm25_weight(idf: f64, f: usize, len: usize, avg_len: f64) -> f64 {
    let len_norm = 1.0 - BM25_B + BM25_B * len as f64 / avg_len.max(1.0);
    let f = f as f64;
    idf * f * (BM25_K1 + 1.0) / (f + BM25_K1 * len_norm)
}

/// Segmented texts kept from one build to the next (in `serve`): each text with the byte
/// ranges of its words.
#[derive(Default)]
pub struct SegmentCache {
    texts: Mutex<HashMap<String, Vec<(u32, u32)>>>,
}

/// The content words of each measure (slices of its text), segmented in parallel; with a
/// cache, only texts the previous build did not segment are segmented, and the cache keeps
/// this build's texts.
pub fn segment<'a>(measures: &[&'a Measure], cache: Option<&SegmentCache>) -> Vec<Vec<&'a str>> {
    use rayon::prelude::*;
    let Some(cache) = cache else {
        return measures
            .par_iter()
            .map(|m| terms(similarity_text(m)))
            .collect();
    };
    let mut previous = std::mem::take(&mut *cache.texts.lock().unwrap_or_else(|e| e.into_inner()));
    let docs: Vec<Vec<&str>> = measures
        .par_iter()
        .map(|m| {
            let text = similarity_text(m);
            match previous.get(text) {
                Some(ranges) => ranges
                    .iter()
                    .map(|(a, b)| &text[*a as usize..*b as usize])
                    .collect(),
                None => terms(text),
            }
        })
        .collect();
    previous.clear();
    for (m, words) in measures.iter().zip(&docs) {
        let text = similarity_text(m);
        let base = text.as_ptr() as usize;
        let ranges = words
            .iter()
            .map(|w| {
                let start = w.as_ptr() as usize - base;
                (start as u32, (start + w.len()) as u32)
            })
            .collect();
        previous.insert(text.to_string(), ranges);
    }
    *cache.texts.lock().unwrap_or_else(|e| e.into_inner()) = previous;
    docs
}

/// The content words of a text, as slices of it.
pub fn terms(text: &str) -> Vec<&str> {
    jieba()
        .cut(text, false)
        .into_iter()
        .map(|token| token.word)
        .filter(|w| {
            let chars = w.chars().count();
            chars >= 2
                && w.chars().all(|c| c.is_alphanumeric())
                && !w.chars().all(|c| c.is_ascii_digit())
                && !STOPWORDS.contains(w)
        })
        .collect()
}

/// One related measure, as shown and published.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Related {
    /// Index into `Analysis::measures`.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub plan: String,
    pub score: f64,
    /// Shared themes and key words, e.g. `数字人民币 · 试点`.
    pub reason: String,
}

/// A measure's words (ids, ascending) with their weights (L2-normalised), 8 bytes a word:
/// rescoring reads the vectors of candidates all over the corpus, so their size is what
/// memory bandwidth pays for.
struct Vector {
    terms: Vec<(u32, f32)>,
}

/// Computes the related measures of every measure (indices as in `entries`).
pub fn related_index(
    site: &Site,
    entries: &[MeasureEntry],
    measures: &[&Measure],
    docs: &[Vec<&str>],
) -> Vec<Vec<Related>> {
    let n = measures.len();
    let mut vocabulary: FxHashMap<&str, usize> = FxHashMap::default();
    let mut words: Vec<&str> = Vec::new();
    let mut df: Vec<usize> = Vec::new();
    let mut tf_docs: Vec<Vec<(usize, usize)>> = Vec::with_capacity(n);
    let mut ids: Vec<usize> = Vec::new();
    for doc in docs {
        ids.clear();
        ids.extend(doc.iter().map(|w| {
            *vocabulary.entry(w).or_insert_with(|| {
                words.push(w);
                df.push(0);
                words.len() - 1
            })
        }));
        ids.sort_unstable();
        let mut tf: Vec<(usize, usize)> = Vec::new();
        for id in &ids {
            match tf.last_mut() {
                Some((last, count)) if last == id => *count += 1,
                _ => {
                    tf.push((*id, 1));
                    df[*id] += 1;
                }
            }
        }
        tf_docs.push(tf);
    }
    let avg_len = docs.iter().map(Vec::len).sum::<usize>() as f64 / n.max(1) as f64;
    let idf: Vec<f64> = df.iter().map(|d| bm25_idf(n, *d)).collect();
    let vectors: Vec<Vector> = tf_docs
        .par_iter()
        .zip(docs.par_iter())
        .map(|(tf, doc)| {
            let terms: Vec<(usize, f64)> = tf
                .iter()
                .map(|(t, f)| (*t, bm25_weight(idf[*t], *f, doc.len(), avg_len)))
                .collect();
            let norm = terms.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            let norm = if norm > 0.0 { norm } else { 1.0 };
            Vector {
                terms: terms
                    .into_iter()
                    .map(|(t, w)| (t as u32, (w / norm) as f32))
                    .collect(),
            }
        })
        .collect();
    // Compact postings (8 bytes an entry): they serve only to pick candidates, which are then
    // scored exactly from the vectors.
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); words.len()];
    for (d, v) in vectors.iter().enumerate() {
        for (t, w) in &v.terms {
            postings[*t as usize].push((d as u32, *w));
        }
    }
    let max_df = ((n as f64 * MAX_DF_SHARE).ceil() as usize).max(8);
    for list in &mut postings {
        if list.len() > CHAMPIONS {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(CHAMPIONS);
        }
    }
    let by_id: FxHashMap<&str, usize> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    // Editors' pins and bans, both ways; few measures have any.
    let mut pins: FxHashMap<usize, HashSet<usize>> = FxHashMap::default();
    let mut bans: FxHashMap<usize, HashSet<usize>> = FxHashMap::default();
    for (i, m) in measures.iter().enumerate() {
        for (list, target) in [(&m.related, &mut pins), (&m.not_related, &mut bans)] {
            for other in list {
                if let Some(j) = by_id.get(other.as_str()) {
                    target.entry(i).or_default().insert(*j);
                    target.entry(*j).or_default().insert(i);
                }
            }
        }
    }
    let pinned = |i: usize, j: usize| pins.get(&i).is_some_and(|p| p.contains(&j));
    let banned = |i: usize, j: usize| bans.get(&i).is_some_and(|b| b.contains(&j));
    let theme_names: HashMap<&str, &str> = site
        .themes
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str()))
        .collect();

    // Dense per-thread accumulators with the list of touched measures: no hashing in the
    // innermost loop, and plans looked up in a compact array.
    let plan_of: Vec<u32> = entries.iter().map(|e| e.plan as u32).collect();
    // Themes as small numbers: comparing them is the inner loop of rescoring.
    let theme_number: HashMap<&str, u16> = site
        .themes
        .iter()
        .enumerate()
        .map(|(k, t)| (t.slug.as_str(), k as u16))
        .collect();
    let theme_ids: Vec<Vec<u16>> = measures
        .iter()
        .map(|m| {
            m.themes
                .iter()
                .map(|t| theme_number.get(t.as_str()).copied().unwrap_or(u16::MAX))
                .collect()
        })
        .collect();
    use rayon::prelude::*;
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; n], Vec::<usize>::new()),
            |(acc, touched), i| {
                let v = &vectors[i];
                let mut query: Vec<&(u32, f32)> = v
                    .terms
                    .iter()
                    .filter(|(t, _)| postings[*t as usize].len() <= max_df)
                    .collect();
                query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                query.truncate(QUERY_TERMS);
                let own_plan = plan_of[i];
                for (t, w) in query {
                    for (d, w2) in &postings[*t as usize] {
                        let d = *d as usize;
                        if plan_of[d] != own_plan {
                            if acc[d] == 0.0 {
                                touched.push(d);
                            }
                            acc[d] += w * w2;
                        }
                    }
                }
                let mut dot: Vec<(usize, f64)> =
                    touched.iter().map(|d| (*d, f64::from(acc[*d]))).collect();
                for d in touched.drain(..) {
                    acc[d] = 0.0;
                }
                for p in pins.get(&i).into_iter().flatten() {
                    if !dot.iter().any(|(d, _)| d == p) {
                        dot.push((*p, 0.0));
                    }
                }
                // Score exactly only the likeliest candidates: the cost per measure stays bounded.
                let mut candidates: Vec<(usize, f64)> = dot
                    .into_iter()
                    .filter(|(j, _)| !banned(i, *j) && plan_of[*j] != own_plan)
                    .map(|(j, d)| (j, if pinned(i, j) { f64::INFINITY } else { d }))
                    .collect();
                if candidates.len() > RESCORED {
                    candidates.select_nth_unstable_by(RESCORED - 1, |a, b| {
                        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                    });
                    candidates.truncate(RESCORED);
                }
                let mut scored: Vec<(usize, f64, bool)> = candidates
                    .into_iter()
                    .filter_map(|(j, _)| {
                        // The exact cosine over all shared words, not only the query words.
                        let cosine = cosine(&vectors[i], &vectors[j]);
                        let themes = theme_overlap(&theme_ids[i], &theme_ids[j]);
                        let score = TEXT_WEIGHT * cosine + THEME_WEIGHT * themes;
                        let pinned = pinned(i, j);
                        if pinned {
                            Some((j, 1.0, true))
                        } else if score < MIN_SCORE || cosine < MIN_COSINE {
                            None
                        } else {
                            Some((j, (score * 1000.0).round() / 1000.0, false))
                        }
                    })
                    .collect();
                scored.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then_with(|| measures[a.0].id.cmp(&measures[b.0].id))
                });
                scored.truncate(MAX_RELATED);
                scored
                    .into_iter()
                    .map(|(j, score, pinned)| Related {
                        index: j,
                        id: measures[j].id.clone(),
                        plan: site.plans[entries[j].plan].slug.clone(),
                        score,
                        reason: reason(
                            measures[i],
                            measures[j],
                            &vectors[i],
                            &vectors[j],
                            &words,
                            &theme_names,
                            pinned,
                        ),
                    })
                    .collect::<Vec<_>>()
            },
        )
        .collect()
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    // Both term lists are sorted by term id: merge them.
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].0.cmp(&b.terms[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += f64::from(a.terms[i].1) * f64::from(b.terms[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Overlap of two theme lists: shared themes over the smaller list, the first theme counting
/// double (it is the measure's central one).
pub fn theme_overlap<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let weight = |list: &[T], t: &T| -> f64 {
        if list.first() == Some(t) {
            2.0
        } else {
            1.0
        }
    };
    let shared: f64 = a
        .iter()
        .filter(|t| b.contains(t))
        .map(|t| weight(a, t).max(weight(b, t)))
        .sum();
    // Each list weighs its length plus one (its first theme counts double).
    let total = (a.len().min(b.len()) + 1) as f64;
    (shared / total).min(1.0)
}

#[allow(clippy::too_many_arguments)]
fn reason(
    a: &Measure,
    b: &Measure,
    va: &Vector,
    vb: &Vector,
    words: &[&str],
    theme_names: &HashMap<&str, &str>,
    pinned: bool,
) -> String {
    let mut parts: Vec<String> = a
        .themes
        .iter()
        .filter(|t| b.themes.contains(t))
        .map(|t| {
            theme_names
                .get(t.as_str())
                .copied()
                .unwrap_or(t)
                .to_string()
        })
        .collect();
    // Both term lists are sorted by term id: merge them.
    let mut shared: Vec<(f64, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < va.terms.len() && j < vb.terms.len() {
        match va.terms[i].0.cmp(&vb.terms[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared.push((
                    f64::from(va.terms[i].1) * f64::from(vb.terms[j].1),
                    words[va.terms[i].0 as usize],
                ));
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
    // Two key words, each saying something the themes do not already say.
    let mut added = 0;
    for (_, w) in shared {
        if added == 2 {
            break;
        }
        if !parts
            .iter()
            .any(|p| p.contains(w) || w.contains(p.as_str()))
        {
            parts.push(w.to_string());
            added += 1;
        }
    }
    if pinned {
        parts.insert(0, "编辑指定".into());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_is_not_a_term() {
        let t = terms("支持金融机构推动数字人民币试点，加强供应链金融服务。");
        assert!(t.contains(&"数字人民币") || t.contains(&"人民币"), "{t:?}");
        assert!(t.contains(&"试点"), "{t:?}");
        for w in ["支持", "金融机构", "推动", "加强"] {
            assert!(!t.contains(&w), "{w} in {t:?}");
        }
    }

    #[test]
    fn theme_overlap_weights_the_central_theme() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            theme_overlap(&s(&["green-finance"]), &s(&["green-finance", "reform"])),
            1.0
        );
        assert_eq!(theme_overlap(&s(&["fintech"]), &s(&["green-finance"])), 0.0);
        let partial = theme_overlap(
            &s(&["fintech", "digital-rmb"]),
            &s(&["green-finance", "digital-rmb"]),
        );
        assert!(partial > 0.0 && partial < 1.0, "{partial}");
        assert_eq!(theme_overlap(&[], &s(&["x"])), 0.0);
    }

    #[test]
    fn cosine_of_sorted_vectors() {
        let a = Vector {
            terms: vec![(1, 0.6), (3, 0.8)],
        };
        let b = Vector {
            terms: vec![(0, 0.5), (3, 1.0)],
        };
        assert!((cosine(&a, &b) - 0.8).abs() < 1e-6);
    }
}
