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
    /// The postings of those of the `words` words of `vectors` that are `wanted` (the others'
    /// lists are empty). With `champions`, each word's are cut to the measures where it weighs
    /// most, at most that many, heaviest first, then by measure.
    pub fn new(
        vectors: &Vectors,
        words: usize,
        wanted: impl Fn(u32) -> bool,
        champions: Option<usize>,
    ) -> Self {
        // Counted first, so that each word's run has its place before it is filled.
        let mut counts = vec![0u32; words];
        for v in vectors.iter() {
            for (t, _) in v {
                if wanted(*t) {
                    counts[*t as usize] += 1;
                }
            }
        }
        // A list longer than the champions gets room for at most twice their number, not for
        // all its postings: when the room is full it is cut to the champions so far, and a
        // posting that would not be among them is not written. A million measures' lists were
        // 26 million postings, 211 MB written only to be cut to 445,000; now at most twice
        // that. (Never more room than postings: the bounds fit where the postings' count does.)
        let long = |count: u32| champions.filter(|c| count as usize > *c);
        let mut bounds = Vec::with_capacity(words + 1);
        let mut end = 0u32;
        bounds.push(end);
        for count in &counts {
            end += long(*count).map_or(*count, |c| (*count).min(2 * c as u32));
            bounds.push(end);
        }
        let mut next = bounds[..words].to_vec();
        let mut entries = vec![(0u32, 0f32); end as usize];
        // A long list's worst champion at its last cut (none before its first): a posting
        // that is not heavier can never be one.
        let mut worst: Vec<Option<(u32, f32)>> = vec![None; words];
        for (d, v) in vectors.iter().enumerate() {
            for (t, w) in v {
                if !wanted(*t) {
                    continue;
                }
                let (t, posting) = (*t as usize, (d as u32, *w));
                let beaten = |worst: Option<(u32, f32)>| {
                    worst.is_some_and(|worst| heaviest(&posting, &worst).is_ge())
                };
                if beaten(worst[t]) {
                    continue;
                }
                if next[t] == bounds[t + 1] {
                    // Only a long list's room fills before every posting is in.
                    let c = long(counts[t]).expect("a full room is a long list's");
                    let run = &mut entries[bounds[t] as usize..next[t] as usize];
                    run.select_nth_unstable_by(c - 1, heaviest);
                    worst[t] = Some(run[c - 1]);
                    next[t] = bounds[t] + c as u32;
                    if beaten(worst[t]) {
                        continue;
                    }
                }
                entries[next[t] as usize] = posting;
                next[t] += 1;
            }
        }
        let mut postings = Postings { entries, bounds };
        postings.close(&next, |t| long(counts[t]));
        postings
    }

    /// Word `t`'s postings.
    #[inline]
    pub fn of(&self, t: u32) -> &[(u32, f32)] {
        let t = t as usize;
        &self.entries[self.bounds[t] as usize..self.bounds[t + 1] as usize]
    }

    /// Ends each word's run where `ends` says it was filled to, the `long` ones (which name how
    /// many champions they keep) cut to their champions, heaviest first, and moves the runs
    /// together.
    fn close(&mut self, ends: &[u32], long: impl Fn(usize) -> Option<usize>) {
        use rayon::prelude::*;
        let mut runs: Vec<(&mut [(u32, f32)], usize)> = Vec::new();
        let mut rest = &mut self.entries[..];
        for (t, b) in self.bounds.windows(2).enumerate() {
            let (room, after) = rest.split_at_mut((b[1] - b[0]) as usize);
            if let Some(c) = long(t) {
                runs.push((&mut room[..(ends[t] - b[0]) as usize], c));
            }
            rest = after;
        }
        runs.par_iter_mut().for_each(|(list, c)| {
            list.select_nth_unstable_by(*c - 1, heaviest);
            list[..*c].sort_unstable_by(heaviest);
        });
        let mut end = 0;
        for (t, filled) in ends.iter().enumerate() {
            let start = self.bounds[t] as usize;
            let len = long(t).unwrap_or(*filled as usize - start);
            self.entries.copy_within(start..start + len, end);
            self.bounds[t] = end as u32;
            end += len;
        }
        *self.bounds.last_mut().expect("one bound more than words") = end as u32;
        self.entries.truncate(end);
    }
}

/// Heaviest first, then by measure: a total order (a measure is in a list once), so selecting
/// the champions and then ordering them gives what ordering the whole list and cutting it
/// gives, without ordering long lists; and a posting that is not heavier than a list's worst
/// champion so far is behind at least that many, and can never be one.
fn heaviest(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word's postings are what listing every vector's words gives, in measure order; cut,
    /// a list longer than the champions is what ordering it heaviest first and keeping its head
    /// gives, and a shorter one stays in measure order (as the related measures always cut
    /// them): with and without a choice of words, on random vectors with tied weights and with
    /// long lists (many longer than twice the champions, so cut while they are read) and short.
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
                let wanted = |t: u32| choice.is_none_or(|c| c[t as usize]);
                let postings = Postings::new(&vectors, words as usize, wanted, cut);
                let (mut long, mut short, mut cut_while_read) = (0, 0, 0);
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
                        // Longer than the room a long list is given: cut as it was read.
                        cut_while_read += usize::from(expected.len() > 2 * champions);
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
                assert!(cut_while_read > 5, "{cut_while_read} words cut while read");
            }
        }
    }

    /// Lists at every edge of the room a long list is given (twice the champions): one more
    /// than the champions (cut only at the end), one less than the room, the room exactly,
    /// one more than the room (cut at its last posting) and five times the champions (cut
    /// again and again), each with tied weights, as ordering every list whole and keeping its
    /// head gives.
    #[test]
    fn lists_at_the_edges_of_their_room() {
        let champions = 4;
        let lengths = [
            champions + 1,
            2 * champions - 1,
            2 * champions,
            2 * champions + 1,
            5 * champions,
        ];
        let mut random = crate::util::random::XorShift32::new(0x1234_5678);
        let documents = 5 * champions;
        // Word `t` is in the first `lengths[t]` documents, in an order of weights the random
        // numbers decide (three weights only, so ties are many).
        let vectors: Vectors = (0..documents)
            .map(|d| {
                lengths
                    .iter()
                    .enumerate()
                    .filter(|(_, len)| d < **len)
                    .map(|(t, _)| (t as u32, (1 + random.below(3)) as f32 / 3.0))
                    .collect::<Vec<_>>()
            })
            .collect();
        let postings = Postings::new(&vectors, lengths.len(), |_| true, Some(champions));
        for (t, len) in lengths.iter().enumerate() {
            let mut whole: Vec<(u32, f32)> = (0..*len)
                .map(|d| {
                    let v = &vectors[d];
                    let (_, w) = v.iter().find(|(u, _)| *u == t as u32).expect("the word");
                    (d as u32, *w)
                })
                .collect();
            whole.sort_by(heaviest);
            whole.truncate(champions);
            assert_eq!(postings.of(t as u32), whole.as_slice(), "a list of {len}");
        }
    }

    #[test]
    fn no_vectors_no_postings() {
        let postings = Postings::new(&Vectors::default(), 3, |_| true, Some(2));
        assert!((0..3).all(|t| postings.of(t).is_empty()));
    }
}
