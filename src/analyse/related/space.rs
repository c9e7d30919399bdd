//! Measures as BM25-weighted word vectors, and what two of them share.

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;

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

/// A measure's words (ids, ascending) with their weights (L2-normalised), 8 bytes a word:
/// scoring reads the vectors of candidates all over the corpus, so their size is what memory
/// bandwidth pays for.
pub(super) struct Vector {
    pub terms: Vec<(u32, f32)>,
}

/// The vocabulary and every measure's vector.
pub(super) struct Space<'w> {
    pub words: Vec<&'w str>,
    /// By word id: the word is an instrument of the glossary.
    pub instrument: Vec<bool>,
    pub vectors: Vec<Vector>,
}

/// The vocabulary of a corpus of segmented documents (word ids in order of first use), how many
/// documents use each word, and each document's BM25 vector, L2-normalised.
pub(crate) struct Weighed<'w> {
    pub words: Vec<&'w str>,
    pub df: Vec<usize>,
    pub vectors: Vec<Vec<(u32, f32)>>,
}

/// Weighs `docs` by BM25 (k1 = [`BM25_K1`], b = [`BM25_B`]), the idf over all of them.
pub(crate) fn weigh<'w>(docs: &[Vec<&'w str>]) -> Weighed<'w> {
    use rayon::prelude::*;
    let n = docs.len();
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
    let vectors = tf_docs
        .par_iter()
        .zip(docs.par_iter())
        .map(|(tf, doc)| {
            let terms: Vec<(usize, f64)> = tf
                .iter()
                .map(|(t, f)| (*t, bm25_weight(idf[*t], *f, doc.len(), avg_len)))
                .collect();
            let norm = terms.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            let norm = if norm > 0.0 { norm } else { 1.0 };
            terms
                .into_iter()
                .map(|(t, w)| (t as u32, (w / norm) as f32))
                .collect()
        })
        .collect();
    Weighed { words, df, vectors }
}

impl<'w> Space<'w> {
    pub fn new(docs: &[Vec<&'w str>], lexicon: &Lexicon) -> Self {
        let Weighed { words, vectors, .. } = weigh(docs);
        let instrument = words.iter().map(|w| lexicon.is_instrument(w)).collect();
        Space {
            words,
            instrument,
            vectors: vectors.into_iter().map(|terms| Vector { terms }).collect(),
        }
    }

    /// The words measure `b` shares with the measure loaded in `query`, each with the product of
    /// its two weights, in ascending word order, into `out`.
    pub fn shared(&self, query: &Scatter, b: usize, out: &mut Vec<(f64, u32)>) {
        out.clear();
        for (t, w2) in &self.vectors[b].terms {
            let w = query.weights[*t as usize];
            if w != 0.0 {
                out.push((f64::from(w) * f64::from(*w2), *t));
            }
        }
    }

    /// The cosine of the measure loaded in `query` and measure `b`, and whether they share an
    /// instrument.
    pub fn compare(&self, query: &Scatter, b: usize) -> (f64, bool) {
        // Only b's words are read: a word the query lacks weighs 0 there and adds an exact 0.0,
        // so the sum runs over the shared words in ascending order, as a merge of the two lists
        // would, without its unpredictable branches.
        let (mut sum, mut instrument) = (0.0, false);
        for (t, w2) in &self.vectors[b].terms {
            let w = query.weights[*t as usize];
            sum += f64::from(w) * f64::from(*w2);
            instrument |= w != 0.0 && self.instrument[*t as usize];
        }
        (sum, instrument)
    }
}

/// One measure's vector spread over the whole vocabulary (zero elsewhere), so that comparing it
/// with a candidate reads only the candidate's words. One per thread, loaded and cleared per
/// measure.
pub(super) struct Scatter {
    weights: Vec<f32>,
    loaded: usize,
}

impl Scatter {
    pub fn new(space: &Space) -> Self {
        Scatter {
            weights: vec![0.0; space.words.len()],
            loaded: usize::MAX,
        }
    }

    /// Loads measure `a` (and clears the one loaded before).
    pub fn load(&mut self, space: &Space, a: usize) {
        if self.loaded == a {
            return;
        }
        if let Some(v) = space.vectors.get(self.loaded) {
            for (t, _) in &v.terms {
                self.weights[*t as usize] = 0.0;
            }
        }
        for (t, w) in &space.vectors[a].terms {
            self.weights[*t as usize] = *w;
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
    use super::*;
    use crate::model::glossary::Glossary;

    #[test]
    fn cosine_of_sorted_vectors() {
        let glossary = Glossary::default();
        let lexicon = Lexicon::new(&glossary);
        let mut space = Space::new(&[vec!["a"], vec!["b"]], &lexicon);
        space.instrument = vec![false; 4];
        space.vectors = vec![
            Vector {
                terms: vec![(1, 0.6), (3, 0.8)],
            },
            Vector {
                terms: vec![(0, 0.5), (3, 1.0)],
            },
        ];
        space.words = vec!["a", "b", "c", "d"];
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
}
