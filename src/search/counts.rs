//! Counting the records' terms into postings, and keeping the counts from one build to the next
//! (in `serve`).
//!
//! A record's counts are a pure function of its title and text. `serve` keeps the last build's
//! records' titles and texts and its postings of term counts: when the records are as many as
//! before and few changed, a rebuild counts only the changed records, old and new, takes their
//! old terms out of the last postings and puts their new ones in, rather than counting every
//! record and filling every list again. Postings are lists in record order, one entry per record
//! holding the term, so patching them gives exactly what filling them gives. (Counts are not
//! kept per record: they take several times the memory of the texts.)

use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::lists::{Coded, Edits, Postings, Records};
use super::records::Record;
use super::tokenize::{count_terms, count_texts, Counted, TermKey};
use super::{part_of, COUNT_BATCH, PARTS};
use crate::diagnostics::BuildError;

/// The postings of every term (record number and term count, in record order, in the map
/// [`part_of`] picks), the ASCII words by their keys, each record's length and the records
/// of each character inside a word (both kinds of list coded small, see `lists.rs`).
#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Counts {
    pub(super) parts: Vec<FxHashMap<TermKey, Postings>>,
    pub(super) words: FxHashMap<TermKey, String>,
    pub(super) lengths: Vec<u32>,
    pub(super) chars: FxHashMap<char, Records>,
}

impl Counts {
    fn new(records: usize) -> Self {
        Counts {
            parts: vec![FxHashMap::default(); PARTS],
            words: FxHashMap::default(),
            lengths: Vec::with_capacity(records),
            chars: FxHashMap::default(),
        }
    }

    /// Adds the records `first..` counted in `counted` (the postings maps filled on all cores).
    fn add(&mut self, first: usize, counted: &[&Counted]) {
        self.parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(part, postings)| {
                for (k, c) in counted.iter().enumerate() {
                    for (key, tf) in c.terms_of_part(part) {
                        postings
                            .entry(*key)
                            .or_default()
                            .push((first + k) as u32, *tf);
                    }
                }
            });
        for (k, c) in counted.iter().enumerate() {
            let doc = (first + k) as u32;
            self.lengths.push(c.length);
            self.add_words(c);
            for ch in &c.chars {
                self.chars.entry(*ch).or_default().push(doc, 0);
            }
        }
    }

    /// A word's text is the first record's to use it (keys are hashes of the words).
    fn add_words(&mut self, c: &Counted) {
        for (term, word) in &c.words {
            self.words.entry(*term).or_insert_with(|| word.clone());
        }
    }

    /// Records counted as `old` now counted as `new` (record, old, new; in rising order of
    /// record). Each list that changes is edited once, for all of its records.
    fn replace(&mut self, changed: &[(u32, &Counted, &Counted)]) {
        let mut terms: Vec<BTreeMap<TermKey, Edits>> = vec![BTreeMap::new(); PARTS];
        let mut chars: BTreeMap<char, Edits> = BTreeMap::new();
        for &(doc, old, new) in changed {
            for (part, edits) in terms.iter_mut().enumerate() {
                let old_terms = old.terms_of_part(part).iter().map(|(key, _)| *key);
                note_edits(
                    edits,
                    doc,
                    old_terms,
                    new.terms_of_part(part).iter().copied(),
                );
            }
            let new_chars = new.chars.iter().map(|ch| (*ch, 0));
            note_edits(&mut chars, doc, old.chars.iter().copied(), new_chars);
            self.lengths[doc as usize] = new.length;
        }
        for (postings, edits) in self.parts.iter_mut().zip(terms) {
            apply_edits(postings, edits);
        }
        apply_edits(&mut self.chars, chars);
    }
}

/// What record `doc` becomes in each list: out of the lists of its `old` keys, in (or its
/// count set) in those of its `new` ones. Records come in rising order, each key once a side.
fn note_edits<K: Ord>(
    edits: &mut BTreeMap<K, Edits>,
    doc: u32,
    old: impl Iterator<Item = K>,
    new: impl Iterator<Item = (K, u32)>,
) {
    for key in old {
        edits.entry(key).or_default().push((doc, None));
    }
    for (key, count) in new {
        let list = edits.entry(key).or_default();
        match list.last_mut() {
            Some((d, to)) if *d == doc => *to = Some(count),
            _ => list.push((doc, Some(count))),
        }
    }
}

/// Edits each list of `lists` named in `edits` once; a list left empty is dropped.
fn apply_edits<K: Hash + Eq + Copy, const COUNTED: bool>(
    lists: &mut FxHashMap<K, Coded<COUNTED>>,
    edits: BTreeMap<K, Edits>,
) {
    for (key, edits) in edits {
        let list = lists.entry(key).or_default();
        list.edit(&edits);
        if list.is_empty() {
            lists.remove(&key);
        }
    }
}

/// What one build keeps for the next, in `serve`: each record's title and text (as
/// [`count_key`] joins them), by record number, and the postings of term counts.
#[derive(Default)]
pub struct CountCache(Mutex<Option<Kept>>);

struct Kept {
    texts: Vec<String>,
    counts: Arc<Counts>,
}

/// A record's title and text, unambiguously joined.
fn count_key(r: &Record) -> String {
    let text = r.text();
    let mut key = String::with_capacity(r.title.len() + text.len() + 8);
    key.push_str(&r.title.len().to_string());
    key.push(':');
    key.push_str(&r.title);
    key.push_str(&text);
    key
}

/// The counts of the record that `key` ([`count_key`]) stands for.
fn count_key_texts(key: &str) -> Counted {
    let (len, rest) = key.split_once(':').unwrap_or(("0", key));
    let len = len.parse::<usize>().unwrap_or(0).min(rest.len());
    let at = (0..=len)
        .rev()
        .find(|i| rest.is_char_boundary(*i))
        .unwrap_or(0);
    count_texts(&rest[..at], &rest[at..])
}

/// Postings are patched when at most one record in this many changed; beyond, filling them
/// again costs less than moving the long lists' entries.
const PATCHED_SHARE: usize = 64;

/// Counts the terms of `records` into postings. With `cache`, when the records are as many as
/// the last build's and few changed, the last postings are patched; the cache keeps this
/// build's texts and postings. `halt` is asked before anything is taken from the cache, and
/// between the batches of a full count (a count stopped there leaves the cache empty).
pub(super) fn count_all(
    records: &[Record],
    cache: Option<&CountCache>,
    halt: &(dyn Fn() -> Result<(), BuildError> + Sync),
) -> Result<Arc<Counts>, BuildError> {
    let Some(cache) = cache else {
        return count_fresh(records, halt).map(Arc::new);
    };
    halt()?;
    // A poisoned lock only means a panic elsewhere: what it holds is whole either way.
    let lock = || cache.0.lock().unwrap_or_else(|e| e.into_inner());
    let kept = lock().take();
    let texts: Vec<String> = records.par_iter().map(count_key).collect();
    let patched = kept.and_then(|kept| patch(kept, records, &texts));
    let counts = match patched {
        Some(counts) => counts,
        None => count_fresh(records, halt)?,
    };
    let counts = Arc::new(counts);
    *lock() = Some(Kept {
        texts,
        counts: Arc::clone(&counts),
    });
    Ok(counts)
}

/// The last postings patched for `records` (whose keys are `texts`), if they are as many as
/// the last build's and few changed.
fn patch(kept: Kept, records: &[Record], texts: &[String]) -> Option<Counts> {
    if kept.texts.len() != texts.len() {
        return None;
    }
    let changed: Vec<usize> = (0..texts.len())
        .into_par_iter()
        .filter(|d| kept.texts[*d] != texts[*d])
        .collect();
    if changed.len() * PATCHED_SHARE > texts.len() {
        return None;
    }
    let recounted: Vec<(Counted, Counted)> = changed
        .par_iter()
        .map(|d| (count_key_texts(&kept.texts[*d]), count_terms(&records[*d])))
        .collect();
    let mut counts = Arc::unwrap_or_clone(kept.counts);
    let edits: Vec<(u32, &Counted, &Counted)> = changed
        .iter()
        .zip(&recounted)
        .map(|(d, (old, new))| (*d as u32, old, new))
        .collect();
    counts.replace(&edits);
    // A word's text is the first record's to use it: where a changed record used the word, or
    // uses it now, that first record is found again (its list's first entry).
    let mut words: Vec<TermKey> = recounted
        .iter()
        .flat_map(|(old, new)| old.words.iter().chain(&new.words))
        .map(|(key, _)| *key)
        .collect();
    words.sort_unstable();
    words.dedup();
    // Unchanged records found first, counted once each.
    let mut others: FxHashMap<usize, Counted> = FxHashMap::default();
    for key in words {
        let first = counts.parts[part_of(key)]
            .get(&key)
            .and_then(|list| list.first());
        let Some(first) = first else {
            counts.words.remove(&key);
            continue;
        };
        let first = first as usize;
        let counted = match changed.binary_search(&first) {
            Ok(at) => &recounted[at].1,
            Err(_) => others
                .entry(first)
                .or_insert_with(|| count_terms(&records[first])),
        };
        if let Some((_, word)) = counted.words.iter().find(|(k, _)| *k == key) {
            counts.words.insert(key, word.clone());
        }
    }
    Some(counts)
}

/// The postings of `records`, counted in batches, in parallel, so that per-record term lists
/// never exist for all at once.
fn count_fresh(
    records: &[Record],
    halt: &(dyn Fn() -> Result<(), BuildError> + Sync),
) -> Result<Counts, BuildError> {
    let mut counts = Counts::new(records.len());
    for (batch, chunk) in records.chunks(COUNT_BATCH).enumerate() {
        halt()?;
        let counted: Vec<Counted> = chunk.par_iter().map(count_terms).collect();
        let counted: Vec<&Counted> = counted.iter().collect();
        counts.add(batch * COUNT_BATCH, &counted);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str, content: &str) -> Record<'static> {
        Record {
            url: String::new(),
            title: title.to_string().into(),
            kind: "举措",
            plan: None,
            place: String::new(),
            themes: Vec::new(),
            content: content.to_string().into(),
            after: None,
        }
    }

    fn go_on() -> Result<(), BuildError> {
        Ok(())
    }

    fn fresh(records: &[Record]) -> Counts {
        Arc::unwrap_or_clone(count_all(records, None, &go_on).unwrap())
    }

    fn many() -> Vec<Record<'static>> {
        (0..200)
            .map(|i| {
                let body = [
                    "推进数字人民币试点",
                    "发展绿色债券",
                    "LPR 改革",
                    "碳排放权交易",
                ];
                text(&format!("举措{i}"), &format!("{}，第{i}条。", body[i % 4]))
            })
            .collect()
    }

    #[test]
    fn counts_kept_from_build_to_build_are_the_counts_of_a_full_count() {
        let mut records = many();
        records[3] = text("数字人民币", "推进数字人民币试点，发展 5G 应用。");
        // The same texts split another way are another record.
        records[4] = text("绿色", "金融");
        records[5] = text("", "绿色金融");
        // A measure's responsible units, after its text.
        records[6].after = Some("市金融局、人民银行".to_string());
        records[7].after = Some(String::new());
        let cache = CountCache::default();
        let count = |records: &[Record]| count_all(records, Some(&cache), &go_on).unwrap();
        assert_eq!(*count(&records), fresh(&records));
        // One changed record of many: patched.
        records[1].content = "发展绿色保险。".into();
        assert_eq!(*count(&records), fresh(&records));
        // Units changed, and added: patched.
        records[6].after = Some("市发展改革委".to_string());
        records[8].after = Some("人民银行重庆营业管理部".to_string());
        assert_eq!(*count(&records), fresh(&records));
        // The texts of two records swapped: each changed.
        records.swap(4, 5);
        assert_eq!(*count(&records), fresh(&records));
        // A record more: counted in full.
        records.push(text("科技金融", "LPR 改革"));
        assert_eq!(*count(&records), fresh(&records));
        // Many changed: counted in full.
        for r in records.iter_mut().take(20) {
            r.content.to_mut().push_str("试点");
        }
        assert_eq!(*count(&records), fresh(&records));

        // A count stopped before it began leaves the cache as it was.
        records[0].content = "停止".into();
        let stop = || Err(BuildError::Superseded);
        assert!(count_all(&records, Some(&cache), &stop).is_err());
        assert!(cache.0.lock().unwrap().is_some());
        assert_eq!(*count(&records), fresh(&records));
    }

    #[test]
    fn a_key_gives_back_its_title_and_text() {
        for (title, content) in [("", ""), ("数字:人民币", "1:2"), ("5G", ""), ("", "碳")] {
            let key = count_key(&text(title, content));
            let want = count_texts(title, content);
            let got = count_key_texts(&key);
            assert_eq!(
                (got.length, &got.chars),
                (want.length, &want.chars),
                "{key}"
            );
            assert_eq!(got.words, want.words, "{key}");
        }
    }

    #[test]
    fn patched_postings_are_the_filled_ones() {
        let mut records = many();
        let cache = CountCache::default();
        count_all(&records, Some(&cache), &go_on).unwrap();
        // Terms taken out, put in, lists emptied and begun, characters and ASCII words: the
        // first record, the last, and one between.
        records[0].content = "新增科技保险 QFLP 试点。".into();
        records[199].title = "碳".into();
        records[57].content = "LPR".into();
        // The longest list, where it is kept.
        let longest = |counts: &Counts| {
            let (key, list) = counts
                .parts
                .iter()
                .flatten()
                .max_by_key(|(k, l)| (l.len(), **k))
                .unwrap();
            (*key, list.as_ptr() as usize)
        };
        let (key, before) = longest(&cache.0.lock().unwrap().as_ref().unwrap().counts);
        let patched = count_all(&records, Some(&cache), &go_on).unwrap();
        assert_eq!(*patched, fresh(&records));
        // Patched, not filled again: the list is where it was.
        let after = patched.parts[part_of(key)][&key].as_ptr() as usize;
        assert_eq!(after, before);
        // Back as it was.
        let restored = many();
        assert_eq!(
            *count_all(&restored, Some(&cache), &go_on).unwrap(),
            fresh(&restored)
        );
    }
}
