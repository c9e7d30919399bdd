//! Related lists kept from one build to the next (in `serve`).
//!
//! Every score is a function of the weighed vectors (and so of every measure's words: one new
//! word changes BM25's statistics and with them every vector), of the measures' ids, plans,
//! themes, pins and bans, and of the implementation pairs. Many edits change none of these:
//! most numbers and punctuation marks (where the segmenter cuts the words as before), a
//! responsible unit, a plan's preface, an indicator. Then every
//! list is the previous build's, link for link and score for score, and only the reasons of the
//! links whose texts changed (a reason quotes both texts) are made again.
//!
//! What the lists were computed from is kept as bytes ([`inputs`]) and compared whole, not by a
//! hash: equal bytes are equal inputs.
//!
//! Any other edit computes every list again, but a link's reason is a function of the two
//! texts, of the shared words it reads (in their order) and of whether the link is pinned
//! (`reason.rs`): where all of these are the last build's, so is the reason, and it is taken
//! from there ([`Reasons`]) rather than grown and trimmed again.

use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::reason::{self, Scratch, READ};
use super::space::{Scatter, Space};
use super::{Lexicon, Related, Strategy, Weighed};
use crate::analyse::index::MeasureEntry;
use crate::model::{Measure, Site};

/// The related lists of the previous build, with what they were computed from.
#[derive(Default)]
pub struct ListCache(Mutex<Option<Computed>>);

struct Computed {
    inputs: Vec<u8>,
    /// Each measure's text as the reasons quote it.
    texts: Vec<String>,
    lists: Vec<Vec<Related>>,
    /// What each link's reason was made from, as `lists`.
    keys: Vec<Vec<ReasonKey>>,
    /// The words of that build, by id.
    vocabulary: Vocabulary,
}

impl ListCache {
    fn take(&self) -> Option<Computed> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn keep(&self, computed: Computed) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(computed);
    }
}

/// A build's words by id, in one string.
#[derive(Default)]
struct Vocabulary {
    text: String,
    ends: Vec<u32>,
}

impl Vocabulary {
    fn new(words: &[&str]) -> Self {
        let mut v = Vocabulary {
            text: String::with_capacity(words.iter().map(|w| w.len()).sum()),
            ends: Vec::with_capacity(words.len()),
        };
        for w in words {
            v.text.push_str(w);
            v.ends.push(v.text.len() as u32);
        }
        v
    }

    fn word(&self, id: u32) -> &str {
        let id = id as usize;
        let start = id.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.text[start..self.ends[id] as usize]
    }
}

/// What a link's reason was made from besides its two texts: the words it read, in order (ids
/// in the vocabulary of the build that made it), which of them are instruments, and whether the
/// link is pinned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct ReasonKey {
    words: [u32; READ],
    len: u8,
    instruments: u8,
    pinned: bool,
}

impl ReasonKey {
    pub(super) fn new(space: &Space, read: &[(f64, u32)], pinned: bool) -> Self {
        let mut key = ReasonKey {
            words: [0; READ],
            len: read.len() as u8,
            instruments: 0,
            pinned,
        };
        for (k, (_, t)) in read.iter().enumerate() {
            key.words[k] = *t;
            key.instruments |= u8::from(space.instrument[*t as usize]) << k;
        }
        key
    }
}

/// The last build's reasons, for links made from the same texts and words.
pub(super) struct Reasons<'c> {
    lists: &'c [Vec<Related>],
    keys: &'c [Vec<ReasonKey>],
    vocabulary: &'c Vocabulary,
    /// By measure (this build's index): whether its text is not the one the last build had at
    /// that index.
    changed: Vec<bool>,
}

impl Reasons<'_> {
    /// The reason of the link from `i` to `j` if the last build had that link (by index) made
    /// from the same texts and the words of `key` (ids in `space`).
    pub(super) fn known(&self, i: usize, j: usize, space: &Space, key: &ReasonKey) -> Option<&str> {
        if self.changed.get(i).is_none_or(|c| *c) || self.changed.get(j).is_none_or(|c| *c) {
            return None;
        }
        let list = self.lists.get(i)?;
        let at = list.iter().position(|r| r.index == j)?;
        let last = &self.keys[i][at];
        let same = last.len == key.len
            && last.instruments == key.instruments
            && last.pinned == key.pinned
            && (0..usize::from(key.len))
                .all(|k| self.vocabulary.word(last.words[k]) == space.words[key.words[k] as usize]);
        same.then_some(list[at].reason())
    }
}

/// By measure: whether its text is not `before`'s at that index.
fn changed(texts: &[&str], before: &[String]) -> Vec<bool> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| before.get(i).is_none_or(|b| b != t))
        .collect()
}

/// Appends length-prefixed fields, so that no two different sequences of fields give the same
/// bytes.
#[derive(Default)]
struct Inputs(Vec<u8>);

impl Inputs {
    fn number(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.number(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn texts<S: AsRef<str>>(&mut self, list: &[S]) {
        self.number(list.len());
        for s in list {
            self.text(s.as_ref());
        }
    }
}

/// What every score and every link of the related lists is computed from, but the texts the
/// reasons quote ([`inputs`] writes it as bytes).
#[derive(Clone, Copy)]
pub struct ListInputs<'a> {
    pub site: &'a Site,
    pub entries: &'a [MeasureEntry],
    pub measures: &'a [&'a Measure],
    pub weighed: &'a Weighed<'a>,
    pub lexicon: &'a Lexicon<'a>,
    pub implements: &'a FxHashMap<usize, usize>,
    pub strategy: Strategy,
}

/// `i` as bytes, every field length-prefixed: equal bytes are equal inputs.
fn inputs(i: &ListInputs) -> Vec<u8> {
    let mut out = Inputs::default();
    out.number(i.measures.len());
    out.number(usize::from(i.strategy == Strategy::Shortcut));
    let slugs: Vec<&str> = i.site.themes.iter().map(|t| t.slug.as_str()).collect();
    out.texts(&slugs);
    out.number(i.weighed.words.len());
    for word in &i.weighed.words {
        out.text(word);
        out.number(usize::from(i.lexicon.is_instrument(word)));
    }
    for df in &i.weighed.df {
        out.number(*df);
    }
    for ((entry, m), vector) in i
        .entries
        .iter()
        .zip(i.measures)
        .zip(i.weighed.vectors.iter())
    {
        out.text(&m.id);
        out.number(entry.plan);
        out.text(&i.site.plans[entry.plan].slug);
        out.texts(&m.themes);
        out.texts(&m.related);
        out.texts(&m.not_related);
        out.number(vector.len());
        for (t, w) in vector {
            out.0.extend_from_slice(&t.to_le_bytes());
            out.0.extend_from_slice(&w.to_bits().to_le_bytes());
        }
    }
    let mut pairs: Vec<(usize, usize)> = i.implements.iter().map(|(a, b)| (*a, *b)).collect();
    pairs.sort_unstable();
    out.number(pairs.len());
    for (a, b) in pairs {
        out.number(a);
        out.number(b);
    }
    out.0
}

/// The lists of every measure: the previous build's when `cache` holds them for these inputs
/// (with the reasons of links whose texts changed made again), else those `compute` gives
/// (with the last build's reasons to reuse, if any). `cache` keeps the lists for the next
/// build.
pub(super) fn lists<'s>(
    cache: &ListCache,
    of: &ListInputs,
    texts: &[&str],
    space: impl FnOnce() -> Space<'s>,
    pinned: impl Fn(usize, usize) -> bool + Sync,
    compute: impl FnOnce(Option<&Reasons>) -> (Vec<Vec<Related>>, Vec<Vec<ReasonKey>>),
) -> Vec<Vec<Related>> {
    let inputs = inputs(of);
    let (lists, keys, vocabulary) = match cache.take() {
        Some(kept) if kept.inputs == inputs => {
            let changed = changed(texts, &kept.texts);
            let lists = again(kept.lists, &changed, texts, space, pinned);
            (lists, kept.keys, kept.vocabulary)
        }
        kept => {
            let reasons = kept.as_ref().map(|k| Reasons {
                lists: &k.lists,
                keys: &k.keys,
                vocabulary: &k.vocabulary,
                changed: changed(texts, &k.texts),
            });
            let (lists, keys) = compute(reasons.as_ref());
            (lists, keys, Vocabulary::new(&of.weighed.words))
        }
    };
    use rayon::prelude::*;
    cache.keep(Computed {
        inputs,
        texts: texts.par_iter().map(|t| t.to_string()).collect(),
        lists: lists.par_iter().cloned().collect(),
        keys,
        vocabulary,
    });
    lists
}

/// The kept lists, each link's reason made again where either of its texts changed.
fn again<'s>(
    mut lists: Vec<Vec<Related>>,
    changed: &[bool],
    texts: &[&str],
    space: impl FnOnce() -> Space<'s>,
    pinned: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<Vec<Related>> {
    if !changed.contains(&true) {
        return lists;
    }
    let space = space();
    use rayon::prelude::*;
    // In parallel: an edit of many texts that keeps their words (numbers across a plan) makes
    // many reasons again.
    lists.par_iter_mut().enumerate().for_each_init(
        || (Scatter::new(&space), Scratch::default()),
        |(query, scratch), (i, list)| {
            for link in list.iter_mut() {
                let j = link.index;
                if changed[i] || changed[j] {
                    query.load(&space, i);
                    let read = reason::read_words(&space, query, j, scratch);
                    link.set_reason(&reason::reason_of(
                        &space,
                        read,
                        texts[i],
                        texts[j],
                        pinned(i, j),
                    ));
                }
            }
        },
    );
    lists
}

#[cfg(test)]
mod tests {
    use crate::analyse::{analyse, Analysis, AnalysisCache};
    use crate::content::bundled_site;
    use crate::model::Site;

    /// Changes the text of the measure `id`.
    fn edit(site: &mut Site, id: &str, change: impl FnOnce(&mut String)) {
        let measure = site
            .plans
            .iter_mut()
            .flat_map(|p| &mut p.chapters)
            .flat_map(|c| {
                std::iter::once(&mut c.division)
                    .chain(c.sections.iter_mut().map(|s| &mut s.division))
            })
            .flat_map(|d| &mut d.measures)
            .find(|m| m.id == id)
            .expect("the measure");
        let mut text = measure.text.to_string();
        change(&mut text);
        measure.text = text.into();
    }

    const STALE: &str = "（上次）";

    #[test]
    fn a_reason_is_taken_only_from_the_same_texts_words_order_and_pin() {
        use super::super::lexicon::Lexicon;
        use super::super::Related;
        use super::{ReasonKey, Reasons, Space, Vocabulary, Weighed};
        let glossary = crate::model::glossary::Glossary::default();
        let lexicon = Lexicon::new(&glossary);
        // This build numbers the words otherwise than the last did.
        let weighed = Weighed {
            words: vec!["绿色", "债券", "保险"],
            df: vec![2, 2, 1],
            vectors: [vec![(0, 0.6), (1, 0.8)], vec![(0, 0.8), (1, 0.6)]]
                .into_iter()
                .collect(),
        };
        let space = Space::new(&weighed, &lexicon);
        let key = |words: &[u32], pinned| {
            let read: Vec<(f64, u32)> = words.iter().map(|w| (1.0, *w)).collect();
            ReasonKey::new(&space, &read, pinned)
        };
        let lists = vec![vec![Related::new(1, 0, "b", 0.5, "绿色债券")]];
        // The last build's ids: 绿色 2, 债券 1.
        let keys = vec![vec![key(&[2, 1], false)]];
        let vocabulary = Vocabulary::new(&["保险", "债券", "绿色"]);
        assert_eq!(vocabulary.word(0), "保险");
        let reasons = |changed: Vec<bool>| Reasons {
            lists: &lists,
            keys: &keys,
            vocabulary: &vocabulary,
            changed,
        };
        let same = reasons(vec![false, false]);
        assert_eq!(
            same.known(0, 1, &space, &key(&[0, 1], false)),
            Some("绿色债券")
        );
        // Other words, another order, fewer words, a pin, another link: made again.
        assert_eq!(same.known(0, 1, &space, &key(&[0, 2], false)), None);
        assert_eq!(same.known(0, 1, &space, &key(&[1, 0], false)), None);
        assert_eq!(same.known(0, 1, &space, &key(&[0], false)), None);
        assert_eq!(same.known(0, 1, &space, &key(&[0, 1], true)), None);
        assert_eq!(same.known(1, 0, &space, &key(&[0, 1], false)), None);
        // Either text changed: made again.
        for changed in [vec![true, false], vec![false, true], vec![false]] {
            let r = reasons(changed);
            assert_eq!(r.known(0, 1, &space, &key(&[0, 1], false)), None);
        }
    }

    /// Marks every kept reason, so that a reason made again shows.
    fn mark_kept_reasons(cache: &AnalysisCache) {
        let mut kept = cache.lists.0.lock().unwrap();
        for list in &mut kept.as_mut().expect("lists kept").lists {
            for link in list {
                link.set_reason(STALE);
            }
        }
    }

    /// The measure with the most links, the links to it counted too.
    fn most_linked(analysis: &Analysis) -> usize {
        let mut count = vec![0; analysis.related.len()];
        for (i, list) in analysis.related.iter().enumerate() {
            for link in list {
                count[i] += 1;
                count[link.index] += 1;
            }
        }
        (0..count.len()).max_by_key(|i| count[*i]).unwrap()
    }

    #[test]
    fn an_edit_that_keeps_every_word_keeps_the_lists_and_makes_again_only_its_reasons() {
        let mut site = bundled_site();
        let cache = AnalysisCache::default();
        let first = analyse(&site, Some(&cache));
        let k = most_linked(&first);
        let id = first.measure(&site, &first.measures[k]).id.clone();

        // Digits are no words: every measure's words stay as they were.
        mark_kept_reasons(&cache);
        edit(&mut site, &id, |text| {
            let at = text.find('。').unwrap_or(text.len());
            text.insert_str(at, "（3）");
        });
        let reused = analyse(&site, Some(&cache));
        let exact = analyse(&site, None);
        let mut kept = 0;
        for (i, (got, want)) in reused.related.iter().zip(&exact.related).enumerate() {
            assert_eq!(got.len(), want.len(), "measure {i}");
            for (g, w) in got.iter().zip(want) {
                assert_eq!((g.index, g.score), (w.index, w.score), "measure {i}");
                if i == k || g.index == k {
                    assert_eq!(g.reason(), w.reason(), "link {i} → {}", g.index);
                } else {
                    assert_eq!(g.reason(), STALE, "link {i} → {} was made again", g.index);
                    kept += 1;
                }
            }
        }
        assert!(kept > 0 && !reused.related[k].is_empty());

        // A word changes every vector: every list is computed again, and the reasons of links
        // made from the same texts and words are taken from the last build.
        mark_kept_reasons(&cache);
        edit(&mut site, &id, |text| text.insert_str(0, "绿色债券"));
        let computed = analyse(&site, Some(&cache));
        let exact = analyse(&site, None);
        let mut taken = 0;
        for (i, (got, want)) in computed.related.iter().zip(&exact.related).enumerate() {
            assert_eq!(got.len(), want.len(), "measure {i}");
            for (g, w) in got.iter().zip(want) {
                assert_eq!((g.index, g.score), (w.index, w.score), "measure {i}");
                if g.reason() == STALE {
                    assert!(i != k && g.index != k, "link {i} → {} kept", g.index);
                    taken += 1;
                } else {
                    assert_eq!(g.reason(), w.reason(), "link {i} → {}", g.index);
                }
            }
        }
        assert!(taken > 0);
        // What is taken is what would be made (with a cache of unmarked reasons).
        let cache = AnalysisCache::default();
        analyse(&site, Some(&cache));
        edit(&mut site, &id, |text| text.insert_str(0, "数字人民币"));
        let computed = analyse(&site, Some(&cache));
        assert_eq!(computed.related, analyse(&site, None).related);
    }
}
