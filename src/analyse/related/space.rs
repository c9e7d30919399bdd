//! Measures as BM25-weighted word vectors, and what two of them share.

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;
use crate::util::prefetch::prefetch;

/// What of a vector [`Space::prefetch`] asks for.
#[derive(Clone, Copy)]
pub(super) enum Prefetch {
    /// Its entry in the list of vectors (where its words are).
    Place,
    /// Its first words.
    Words,
}

pub(crate) const BM25_K1: f64 = 1.2;
pub(crate) const BM25_B: f64 = 0.75;

/// BM25 inverse document frequency of a word used by `df` of `n` documents.
pub(crate) fn bm25_idf(n: usize, df: usize) -> f64 {
    ((n as f64 - df as f64 + 0.5) / (df as f64 + 0.5) + 1.0).ln()
}

/// BM25 weight of a word used `f` times in a document of `len` words, where documents have
/// `avg_len` words on average.
pub(crate) fn bm25_weight(idf: f64, f: usize, len: usize, avg_len: f64) -> f64 {
    let len_norm = 1.0 - BM25_B + BM25_B * len as f64 / avg_len.max(1.0);
    let f = f as f64;
    idf * f * (BM25_K1 + 1.0) / (f + BM25_K1 * len_norm)
}

/// The vocabulary and every measure's vector (word ids ascending, each with its weight,
/// L2-normalised, 8 bytes a word: scoring reads the vectors of candidates all over the corpus,
/// so their size is what memory bandwidth pays for). Borrowed from a [`Weighed`] corpus, which
/// the alignment index reads after the related measures.
pub(super) struct Space<'s> {
    pub words: &'s [&'s str],
    /// By word id: the word is an instrument of the glossary.
    pub instrument: Vec<bool>,
    pub vectors: &'s Vectors,
}

/// The vocabulary of a corpus of segmented documents (word ids in order of first use), how many
/// documents use each word, and each document's BM25 vector, L2-normalised.
pub struct Weighed<'w> {
    pub words: Vec<&'w str>,
    pub df: Vec<usize>,
    pub vectors: Vectors,
}

/// Every document's vector (word ids ascending, each with its weight), one after the other in one
/// array. Scoring reads candidates' vectors all over the corpus: found from a small array of
/// where each begins, a vector costs one scattered read, where a vector of its own (its length
/// and address in one place, its words in another) cost two, and a million small allocations.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    words: Vec<(u32, f32)>,
    /// Where vector `i` begins in `words` (at `i`) and ends (at `i + 1`).
    bounds: Vec<u32>,
}

impl Default for Vectors {
    fn default() -> Self {
        Vectors {
            words: Vec::new(),
            bounds: vec![0],
        }
    }
}

impl Vectors {
    /// How many vectors there are.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Vector `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[(u32, f32)]> {
        (i < self.len()).then(|| &self[i])
    }

    /// The vectors in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[(u32, f32)]> + Clone + '_ {
        self.bounds
            .windows(2)
            .map(|b| &self.words[b[0] as usize..b[1] as usize])
    }

    /// Asks for where vector `i` begins (see [`crate::util::prefetch`]).
    #[inline(always)]
    fn prefetch_bounds(&self, i: usize) {
        if let Some(b) = self.bounds.get(i) {
            prefetch(b);
        }
    }

    /// Asks for vector `i`'s first words.
    #[inline(always)]
    fn prefetch_words(&self, i: usize) {
        if let Some(v) = self.get(i) {
            prefetch(v);
        }
    }

    /// Empty vectors of the given lengths, in order, to be filled in place.
    fn of_lengths(lengths: impl Iterator<Item = usize>) -> Self {
        let mut bounds = vec![0u32];
        let mut end = 0usize;
        for len in lengths {
            end += len;
            bounds.push(bound(end));
        }
        Vectors {
            words: vec![(0, 0.0); end],
            bounds,
        }
    }
}

/// A place in [`Vectors`]'s one array, as stored.
fn bound(end: usize) -> u32 {
    u32::try_from(end).expect("the corpus's vectors hold fewer than 4,294,967,296 words")
}

impl std::ops::Index<usize> for Vectors {
    type Output = [(u32, f32)];

    fn index(&self, i: usize) -> &[(u32, f32)] {
        &self.words[self.bounds[i] as usize..self.bounds[i + 1] as usize]
    }
}

impl FromIterator<Vec<(u32, f32)>> for Vectors {
    fn from_iter<I: IntoIterator<Item = Vec<(u32, f32)>>>(vectors: I) -> Self {
        let mut all = Vectors::default();
        for v in vectors {
            all.words.extend_from_slice(&v);
            all.bounds.push(bound(all.words.len()));
        }
        all
    }
}

/// At least this many documents are numbered (and, in [`weigh_each`], segmented) by one task at
/// a time. Small, so that a small corpus is still segmented on every core: a chunk costs only
/// the joining of its vocabulary.
const MIN_WEIGH_CHUNK: usize = 64;

/// Words numbered in order of first use, with how many documents use each.
#[derive(Default)]
struct Vocabulary<'w> {
    ids: FxHashMap<&'w str, usize>,
    words: Vec<&'w str>,
    df: Vec<usize>,
}

impl<'w> Vocabulary<'w> {
    /// The id of `word`, numbered next if it is new.
    fn id(&mut self, word: &'w str) -> usize {
        *self.ids.entry(word).or_insert_with(|| {
            self.words.push(word);
            self.df.push(0);
            self.words.len() - 1
        })
    }
}

/// One chunk of documents with its words numbered in order of first use within the chunk.
struct Numbered<'w> {
    vocabulary: Vocabulary<'w>,
    /// Each document's (word, count), words in the chunk's numbering, one document after the
    /// other: all are held at once at the peak of the related measures' memory (a list per
    /// document took twice the bytes and a million allocations).
    tf: Vec<(u32, u32)>,
    /// Where each document's entries in `tf` end.
    ends: Vec<u32>,
    /// Each document's number of words, for the length normalisation.
    lengths: Vec<u32>,
}

impl Numbered<'_> {
    /// Each document's (word, count).
    fn docs(&self) -> impl Iterator<Item = &[(u32, u32)]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, end)| &self.tf[start as usize..*end as usize])
    }
}

/// Numbers the words of documents `docs`, each written by `words(i, out)` into a buffer that
/// is reused: the words of a chunk are never all held at once.
fn number<'w>(
    docs: std::ops::Range<usize>,
    words: &(impl Fn(usize, &mut Vec<&'w str>) + Sync),
) -> Numbered<'w> {
    let mut vocabulary = Vocabulary::default();
    let mut doc: Vec<&'w str> = Vec::new();
    let mut ids: Vec<usize> = Vec::new();
    let mut tf: Vec<(u32, u32)> = Vec::new();
    let mut ends = Vec::with_capacity(docs.len());
    let mut lengths = Vec::with_capacity(docs.len());
    for i in docs {
        doc.clear();
        words(i, &mut doc);
        lengths.push(u32::try_from(doc.len()).expect("a document has fewer than 2^32 words"));
        ids.clear();
        ids.extend(doc.iter().map(|w| vocabulary.id(w)));
        ids.sort_unstable();
        let start = tf.len();
        for id in &ids {
            // Fewer words in a chunk than entries, which `ends` holds as `u32`s.
            let word = *id as u32;
            match tf[start..].last_mut() {
                Some((last, count)) if *last == word => *count += 1,
                _ => {
                    tf.push((word, 1));
                    vocabulary.df[*id] += 1;
                }
            }
        }
        ends.push(u32::try_from(tf.len()).expect("a chunk holds fewer than 2^32 words"));
    }
    Numbered {
        vocabulary,
        tf,
        ends,
        lengths,
    }
}

/// Weighs `docs` by BM25 (k1 = [`BM25_K1`], b = [`BM25_B`]), the idf over all of them.
pub fn weigh<'w>(docs: &[Vec<&'w str>]) -> Weighed<'w> {
    weigh_each(docs.len(), |i, out| out.extend_from_slice(&docs[i]))
}

/// Weighs `n` documents as [`weigh`] does, document `i`'s words written by `words(i, out)`
/// when its chunk is numbered: segmented texts can be weighed without holding all their words
/// (at a million measures, 0.7 GB that a build would touch once).
pub fn weigh_each<'w>(n: usize, words: impl Fn(usize, &mut Vec<&'w str>) + Sync) -> Weighed<'w> {
    use rayon::prelude::*;
    // Chunks are numbered on both cores, then their vocabularies joined in chunk order: a word's
    // id is still its place in order of first use over all documents, as numbering them in one
    // pass gives.
    let chunk_len = (n / (4 * rayon::current_num_threads())).max(MIN_WEIGH_CHUNK);
    let chunks: Vec<Numbered> = (0..n.div_ceil(chunk_len))
        .into_par_iter()
        .map(|c| number(c * chunk_len..n.min((c + 1) * chunk_len), &words))
        .collect();
    let mut vocabulary = Vocabulary::default();
    let global: Vec<Vec<usize>> = chunks
        .iter()
        .map(|chunk| {
            let local = &chunk.vocabulary;
            local
                .words
                .iter()
                .zip(&local.df)
                .map(|(w, d)| {
                    let id = vocabulary.id(w);
                    vocabulary.df[id] += d;
                    id
                })
                .collect()
        })
        .collect();
    let Vocabulary { words, df, .. } = vocabulary;
    let total: u64 = chunks
        .iter()
        .flat_map(|c| &c.lengths)
        .map(|l| u64::from(*l))
        .sum();
    let avg_len = total as f64 / n.max(1) as f64;
    let idf: Vec<f64> = df.iter().map(|d| bm25_idf(n, *d)).collect();
    // Each document has one weighed word per distinct word: the vectors' places are known
    // before they are weighed, and each chunk fills its own part of the one array.
    let mut vectors = Vectors::of_lengths(chunks.iter().flat_map(|c| c.docs().map(<[_]>::len)));
    let mut parts: Vec<&mut [(u32, f32)]> = Vec::with_capacity(chunks.len());
    let mut rest = &mut vectors.words[..];
    for chunk in &chunks {
        let len = chunk.tf.len();
        let (part, after) = rest.split_at_mut(len);
        parts.push(part);
        rest = after;
    }
    parts
        .into_par_iter()
        .zip(chunks.par_iter())
        .zip(global.par_iter())
        .for_each(|((part, chunk), global)| {
            let mut terms: Vec<(usize, f64)> = Vec::new();
            let mut at = 0;
            for (tf, len) in chunk.docs().zip(&chunk.lengths) {
                terms.clear();
                terms.extend(tf.iter().map(|(t, f)| {
                    let t = global[*t as usize];
                    (t, bm25_weight(idf[t], *f as usize, *len as usize, avg_len))
                }));
                // Ascending ids, as vectors are kept (and the norm summed in that order).
                terms.sort_unstable_by_key(|(t, _)| *t);
                let norm = terms.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
                let norm = if norm > 0.0 { norm } else { 1.0 };
                for (slot, (t, w)) in part[at..at + terms.len()].iter_mut().zip(&terms) {
                    *slot = (*t as u32, (w / norm) as f32);
                }
                at += terms.len();
            }
        });
    Weighed { words, df, vectors }
}

impl<'s> Space<'s> {
    pub fn new(weighed: &'s Weighed, lexicon: &Lexicon) -> Self {
        Space {
            words: &weighed.words,
            instrument: weighed
                .words
                .iter()
                .map(|w| lexicon.is_instrument(w))
                .collect(),
            vectors: &weighed.vectors,
        }
    }

    /// The words measure `b` shares with the measure loaded in `query`, each with the product of
    /// its two weights, in ascending word order, into `out`.
    pub fn shared(&self, query: &Scatter, b: usize, out: &mut Vec<(f64, u32)>) {
        out.clear();
        for (t, w2) in &self.vectors[b] {
            let w = query.weights[*t as usize];
            if w != 0.0 {
                out.push((f64::from(w) * f64::from(*w2), *t));
            }
        }
    }

    /// Asks for measure `b`'s vector ahead of a [`Space::compare`] with it: its place in the
    /// list of vectors now, and its first words once that has arrived (the rest follow in order,
    /// which the processor fetches by itself).
    #[inline(always)]
    pub fn prefetch(&self, b: usize, stage: Prefetch) {
        match stage {
            Prefetch::Place => self.vectors.prefetch_bounds(b),
            Prefetch::Words => self.vectors.prefetch_words(b),
        }
    }

    /// The cosine of the measure loaded in `query` and measure `b`, and whether they share an
    /// instrument.
    pub fn compare(&self, query: &Scatter, b: usize) -> (f64, bool) {
        // Only b's words are read: a word the query lacks weighs 0 there and adds an exact 0.0,
        // so the sum runs over the shared words in ascending order, as a merge of the two lists
        // would, without its unpredictable branches.
        let words = &self.vectors[b];
        let mut sum = 0.0;
        for (t, w2) in words {
            sum += f64::from(query.weights[*t as usize]) * f64::from(*w2);
        }
        // The query's instruments are few (most measures name none): each is looked for in b's
        // words, ascending, rather than every word of b tested for being one.
        let instrument = query
            .instruments
            .iter()
            .any(|t| words.binary_search_by_key(t, |(u, _)| *u).is_ok());
        (sum, instrument)
    }
}

/// One measure's vector spread over the whole vocabulary (zero elsewhere), so that comparing it
/// with a candidate reads only the candidate's words. One per thread, loaded and cleared per
/// measure.
pub(super) struct Scatter {
    weights: Vec<f32>,
    /// The loaded measure's words (of weight not 0) that are instruments of the glossary.
    instruments: Vec<u32>,
    loaded: usize,
}

impl Scatter {
    pub fn new(space: &Space) -> Self {
        Scatter {
            weights: vec![0.0; space.words.len()],
            instruments: Vec::new(),
            loaded: usize::MAX,
        }
    }

    /// Loads measure `a` (and clears the one loaded before).
    pub fn load(&mut self, space: &Space, a: usize) {
        if self.loaded == a {
            return;
        }
        if let Some(v) = space.vectors.get(self.loaded) {
            for (t, _) in v {
                self.weights[*t as usize] = 0.0;
            }
        }
        self.instruments.clear();
        for (t, w) in &space.vectors[a] {
            self.weights[*t as usize] = *w;
            if *w != 0.0 && space.instrument[*t as usize] {
                self.instruments.push(*t);
            }
        }
        self.loaded = a;
    }
}

/// Dot product of two sparse vectors whose words are in ascending order (the cosine, when both
/// are L2-normalised).
pub(crate) fn sparse_dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::glossary::Glossary;

    #[test]
    fn cosine_of_sorted_vectors() {
        let glossary = Glossary::default();
        let lexicon = Lexicon::new(&glossary);
        let weighed = Weighed {
            words: vec!["a", "b", "c", "d"],
            df: vec![1, 1, 0, 2],
            vectors: [vec![(1, 0.6), (3, 0.8)], vec![(0, 0.5), (3, 1.0)]]
                .into_iter()
                .collect(),
        };
        let space = Space::new(&weighed, &lexicon);
        let mut query = Scatter::new(&space);
        query.load(&space, 0);
        let (cosine, instrument) = space.compare(&query, 1);
        assert!((cosine - 0.8).abs() < 1e-6);
        assert!(!instrument);
        let mut shared = Vec::new();
        space.shared(&query, 1, &mut shared);
        assert_eq!(shared.len(), 1);
        // Loading another measure clears the first.
        query.load(&space, 1);
        let (itself, _) = space.compare(&query, 1);
        assert!((itself - 1.25).abs() < 1e-6, "{itself}");
    }

    /// `weigh` numbers and weighs its documents chunk by chunk on both cores, each chunk
    /// filling its part of one array: on enough documents for several chunks (some empty, words
    /// repeated within one), it gives bit for bit what one pass over the documents gives.
    #[test]
    fn weighing_in_chunks_is_weighing_in_one_pass() {
        let mut random = crate::util::random::XorShift32::new(0x1234_5678);
        let mut next = |m: u32| random.below(m);
        let vocabulary: Vec<String> = (0..400).map(|k| format!("w{k}")).collect();
        let docs: Vec<Vec<&str>> = (0..5 * MIN_WEIGH_CHUNK)
            .map(|_| {
                (0..next(40))
                    .map(|_| {
                        // Skewed: low ids are common, as words are.
                        let k = next(20) * next(20);
                        vocabulary[k as usize].as_str()
                    })
                    .collect()
            })
            .collect();
        let weighed = weigh(&docs);

        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut words: Vec<&str> = Vec::new();
        let mut df: Vec<usize> = Vec::new();
        let mut counts: Vec<std::collections::BTreeMap<usize, usize>> = Vec::new();
        for doc in &docs {
            let mut count = std::collections::BTreeMap::new();
            for w in doc {
                let id = *ids.entry(w).or_insert_with(|| {
                    words.push(w);
                    df.push(0);
                    words.len() - 1
                });
                *count.entry(id).or_insert(0) += 1;
            }
            for id in count.keys() {
                df[*id] += 1;
            }
            counts.push(count);
        }
        let n = docs.len();
        let avg_len = docs.iter().map(Vec::len).sum::<usize>() as f64 / n as f64;
        let expected: Vec<Vec<(u32, u32)>> = counts
            .iter()
            .zip(&docs)
            .map(|(count, doc)| {
                let weights: Vec<(usize, f64)> = count
                    .iter()
                    .map(|(t, f)| (*t, bm25_weight(bm25_idf(n, df[*t]), *f, doc.len(), avg_len)))
                    .collect();
                let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
                let norm = if norm > 0.0 { norm } else { 1.0 };
                weights
                    .iter()
                    .map(|(t, w)| (*t as u32, ((w / norm) as f32).to_bits()))
                    .collect()
            })
            .collect();
        let got: Vec<Vec<(u32, u32)>> = weighed
            .vectors
            .iter()
            .map(|v| v.iter().map(|(t, w)| (*t, w.to_bits())).collect())
            .collect();
        assert_eq!(weighed.words, words);
        assert_eq!(weighed.df, df);
        assert!(got.iter().any(Vec::is_empty) && got.iter().any(|v| v.len() > 20));
        assert_eq!(got, expected);
    }

    /// Vectors built in one array read back as they were given, and `get` stops at the last.
    #[test]
    fn vectors_are_kept_as_given() {
        let given = vec![vec![(1, 0.5)], vec![], vec![(0, 0.25), (7, 1.0)]];
        let vectors: Vectors = given.clone().into_iter().collect();
        assert_eq!(vectors.len(), 3);
        let back: Vec<Vec<(u32, f32)>> = vectors.iter().map(<[_]>::to_vec).collect();
        assert_eq!(back, given);
        assert_eq!(&vectors[2], given[2].as_slice());
        assert_eq!(vectors.get(1), Some(&[][..]));
        assert_eq!(vectors.get(3), None);
        assert_eq!(vectors.get(usize::MAX), None);
        assert!(Vectors::default().is_empty());
    }

    /// Two measures share an instrument when a word of both, of weight not 0 in the query, is
    /// one: on random vectors (zero weights among them), as testing every shared word says.
    #[test]
    fn a_shared_instrument_is_found_as_testing_every_word_finds_it() {
        let mut random = crate::util::random::XorShift32::new(0x9E37_79B9);
        let mut next = |m: u32| random.below(m);
        let words: Vec<&str> = vec!["w"; 60];
        let instrument: Vec<bool> = (0..60).map(|_| next(7) == 0).collect();
        let vectors: Vectors = (0..80)
            .map(|_| {
                let mut v: Vec<(u32, f32)> = (0..next(25))
                    .map(|_| (next(60), if next(9) == 0 { 0.0 } else { 0.5 }))
                    .collect();
                v.sort_by_key(|(t, _)| *t);
                v.dedup_by_key(|(t, _)| *t);
                v
            })
            .collect();
        let space = Space {
            words: &words,
            instrument: instrument.clone(),
            vectors: &vectors,
        };
        let mut query = Scatter::new(&space);
        let (mut shared, mut not) = (0, 0);
        for a in 0..vectors.len() {
            query.load(&space, a);
            // Loaded again: nothing changes (the load is skipped).
            query.load(&space, a);
            for b in 0..vectors.len() {
                let expected = vectors[b].iter().any(|(t, _)| {
                    instrument[*t as usize] && vectors[a].iter().any(|(u, w)| u == t && *w != 0.0)
                });
                let (cosine, found) = space.compare(&query, b);
                assert_eq!(found, expected, "{a} {b}");
                assert_eq!(
                    cosine.to_bits(),
                    sparse_dot(&vectors[a], &vectors[b]).to_bits()
                );
                if expected {
                    shared += 1;
                } else {
                    not += 1;
                }
            }
        }
        assert!(shared > 100 && not > 100, "{shared} {not}");
    }
}
