//! The inverted index of the related measures: for each word, the measures that use it, with
//! the word's weight in each.
//!
//! All words' postings lie in one array, word after word, found from a small array of where
//! each word's begin: a query reads a word's postings in one run, and a million measures'
//! index is two allocations, not one per word.

use super::space::Vectors;

/// Each word's postings (measure, weight), in measure order or, cut to champions, heaviest
/// first.
pub(super) struct Postings {
    entries: Vec<(u32, f32)>,
    /// Where word `t`'s postings begin (at `t`) and end (at `t + 1`).
    bounds: Vec<u32>,
}

impl Postings {
    /// The postings of the `words` words of `vectors` that `looked_up` marks (all of them
    /// without it). With `champions`, each word's are cut to the measures where it weighs most,
    /// at most that many, heaviest first, then by measure.
    pub fn new(
        vectors: &Vectors,
        words: usize,
        looked_up: Option<&[bool]>,
        champions: Option<usize>,
    ) -> Self {
        let wanted = |t: u32| looked_up.is_none_or(|l| l[t as usize]);
        // Counted first, so that each word's run has its place before it is filled.
        let mut bounds = vec![0u32; words + 1];
        for v in vectors.iter() {
            for (t, _) in v {
                if wanted(*t) {
                    bounds[*t as usize + 1] += 1;
                }
            }
        }
        for t in 0..words {
            bounds[t + 1] += bounds[t];
        }
        let mut next = bounds.clone();
        let mut entries = vec![(0u32, 0f32); bounds[words] as usize];
        for (d, v) in vectors.iter().enumerate() {
            for (t, w) in v {
                if wanted(*t) {
                    let at = &mut next[*t as usize];
                    entries[*at as usize] = (d as u32, *w);
                    *at += 1;
                }
            }
        }
        let mut postings = Postings { entries, bounds };
        if let Some(champions) = champions {
            postings.cut(champions);
        }
        postings
    }

    /// Word `t`'s postings.
    #[inline]
    pub fn of(&self, t: u32) -> &[(u32, f32)] {
        let t = t as usize;
        &self.entries[self.bounds[t] as usize..self.bounds[t + 1] as usize]
    }

    /// Cuts each word's postings to its `champions` heaviest, heaviest first, then moves the
    /// runs together.
    fn cut(&mut self, champions: usize) {
        use rayon::prelude::*;
        // Heaviest first, then by measure: a total order (a measure is in a list once), so
        // selecting the champions and then ordering them gives what ordering the whole list
        // and cutting it gives, without ordering the long lists of common words.
        let heaviest = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut runs: Vec<&mut [(u32, f32)]> = Vec::with_capacity(self.bounds.len() - 1);
        let mut rest = &mut self.entries[..];
        for b in self.bounds.windows(2) {
            let (run, after) = rest.split_at_mut((b[1] - b[0]) as usize);
            if run.len() > champions {
                runs.push(run);
            }
            rest = after;
        }
        runs.par_iter_mut().for_each(|list| {
            list.select_nth_unstable_by(champions - 1, heaviest);
            list[..champions].sort_unstable_by(heaviest);
        });
        let mut end = 0;
        for t in 0..self.bounds.len() - 1 {
            let (start, len) = (
                self.bounds[t] as usize,
                (self.bounds[t + 1] - self.bounds[t]) as usize,
            );
            let len = len.min(champions);
            self.entries.copy_within(start..start + len, end);
            self.bounds[t] = end as u32;
            end += len;
        }
        *self.bounds.last_mut().expect("one bound more than words") = end as u32;
        self.entries.truncate(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word's postings are what listing every vector's words gives, in measure order; cut,
    /// a list longer than the champions is what ordering it heaviest first and keeping its head
    /// gives, and a shorter one stays in measure order (as the related measures always cut
    /// them): with and without a choice of words, on random vectors with tied weights and with
    /// both long and short lists.
    #[test]
    fn postings_are_the_vectors_turned_round() {
        let mut random = crate::util::random::XorShift32::new(0x2545_F491);
        let mut next = |m: u32| random.below(m);
        // Words below `common` are drawn three times in four, so their lists are long, the
        // others' short.
        let (words, common) = (60, 20);
        let vectors: Vectors = (0..500)
            .map(|_| {
                let mut v: Vec<(u32, f32)> = (0..next(12))
                    .map(|_| {
                        let t = if next(4) == 0 {
                            common + next(words - common)
                        } else {
                            next(common)
                        };
                        // A few weights only, so that ties between measures are many.
                        (t, (1 + next(4)) as f32 / 4.0)
                    })
                    .collect();
                v.sort_by_key(|(t, _)| *t);
                v.dedup_by_key(|(t, _)| *t);
                v
            })
            .collect();
        let looked_up: Vec<bool> = (0..words).map(|_| next(3) != 0).collect();
        let champions = 30;
        for choice in [None, Some(looked_up.as_slice())] {
            for cut in [None, Some(champions)] {
                let postings = Postings::new(&vectors, words as usize, choice, cut);
                let (mut long, mut short) = (0, 0);
                for t in 0..words {
                    let mut expected: Vec<(u32, f32)> = Vec::new();
                    if choice.is_none_or(|c| c[t as usize]) {
                        for (d, v) in vectors.iter().enumerate() {
                            if let Some((_, w)) = v.iter().find(|(u, _)| *u == t) {
                                expected.push((d as u32, *w));
                            }
                        }
                    }
                    if expected.len() > champions {
                        long += 1;
                        if cut.is_some() {
                            expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                            expected.truncate(champions);
                        }
                    } else if expected.len() > 1 {
                        short += 1;
                    }
                    assert_eq!(postings.of(t), expected.as_slice(), "word {t}");
                }
                assert!(long > 10, "{long} words with more postings than champions");
                assert!(short > 10, "{short} words with 2 to {champions} postings");
            }
        }
    }

    #[test]
    fn no_vectors_no_postings() {
        let postings = Postings::new(&Vectors::default(), 3, None, Some(2));
        assert!((0..3).all(|t| postings.of(t).is_empty()));
    }
}
