//! One measure's partial dot products with its candidates, summed posting by posting.
//!
//! A query walks a few thousand postings at most, but their measures lie anywhere in the
//! corpus. A dense table of one sum per measure is the cheapest while it fits the processor's
//! cache; on a million measures it is 4 MB per thread, and every posting waited for memory:
//! summing took 84 µs of CPU per query at 1,000,000 measures against 39 µs at 100,000, for
//! the same number of postings. Above [`DENSE_UP_TO`] measures the sums are kept in a small
//! hash table sized to the query instead. Both give the same sums in the same order: each
//! measure's products are added in posting order, and measures are listed in the order they
//! were first touched.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

/// Above this many measures, a query's sums are kept in a hash table (the dense table would
/// be larger than a quarter of this machine's 1 MiB second-level cache per core).
pub(super) const DENSE_UP_TO: usize = 1 << 16;

/// The sums of one query at a time, reused from query to query.
pub(super) enum Sums {
    /// One sum per measure of the corpus, zero where untouched.
    Dense(Vec<f32>),
    /// Open addressing with linear probing: `keys` holds measure + 1 (0: empty).
    Hashed { keys: Vec<u32>, values: Vec<f32> },
}

impl Sums {
    /// Sums for a corpus of `n` measures.
    pub fn new(n: usize) -> Self {
        if n <= DENSE_UP_TO {
            Sums::Dense(vec![0.0; n])
        } else {
            Sums::Hashed {
                keys: Vec::new(),
                values: Vec::new(),
            }
        }
    }

    /// Starts a query that adds at most `most` products (so touches at most that many
    /// measures). The previous query must have been cleared.
    pub fn start(&mut self, most: usize) {
        if let Sums::Hashed { keys, values } = self {
            // At most half full, so that probes stay short.
            let slots = (2 * most).next_power_of_two().max(16);
            if keys.len() < slots {
                *keys = vec![0; slots];
                *values = vec![0.0; slots];
            }
        }
    }

    /// Adds `w` times each posting's weight to its measure's sum, in posting order, but for the
    /// measures of `skip` (the query's own plan), noting each measure in `touched` (as its place
    /// in the table) the first time its sum leaves zero. The table's kind is decided once a list,
    /// not once a posting: this is the innermost loop of related measures.
    pub fn add_postings(
        &mut self,
        w: f32,
        postings: &[(u32, f32)],
        skip: &Range<usize>,
        touched: &mut Vec<(usize, usize)>,
    ) {
        match self {
            Sums::Dense(sums) => {
                for (d, w2) in postings {
                    let d = *d as usize;
                    if !skip.contains(&d) {
                        let sum = &mut sums[d];
                        if *sum == 0.0 {
                            touched.push((d, d));
                        }
                        *sum += w * w2;
                    }
                }
            }
            Sums::Hashed { keys, values } => {
                let mask = keys.len() - 1;
                let shift = 32 - keys.len().trailing_zeros();
                for (d, w2) in postings {
                    let d = *d as usize;
                    if skip.contains(&d) {
                        continue;
                    }
                    // Open addressing: measure + 1 as the key (0 is empty), its first slot by
                    // Fibonacci hashing (the product's top bits, which depend on all of the
                    // key's), then the next slots.
                    let key = d as u32 + 1;
                    let mut slot = (key.wrapping_mul(0x9E37_79B9) >> shift) as usize;
                    loop {
                        let k = keys[slot];
                        if k == key {
                            break;
                        }
                        if k == 0 {
                            keys[slot] = key;
                            break;
                        }
                        slot = (slot + 1) & mask;
                    }
                    if values[slot] == 0.0 {
                        touched.push((d, slot));
                    }
                    values[slot] += w * w2;
                }
            }
        }
    }

    /// The sums, each at the place [`Sums::add_postings`] noted for its measure.
    pub fn values(&self) -> &[f32] {
        match self {
            Sums::Dense(sums) => sums,
            Sums::Hashed { values, .. } => values,
        }
    }

    /// Empties the table once every touched sum has been read.
    pub fn clear(&mut self, touched: &[(usize, usize)]) {
        match self {
            Sums::Dense(sums) => {
                for (_, d) in touched {
                    sums[*d] = 0.0;
                }
            }
            Sums::Hashed { keys, values } => {
                for (_, slot) in touched {
                    keys[*slot] = 0;
                    values[*slot] = 0.0;
                }
            }
        }
    }
}

/// A candidate as one number that orders as candidates are ranked: the greater sum first (in
/// `f32::total_cmp`'s order), then the lower measure. Selecting the likeliest candidates of a
/// few thousand compares these in one instruction instead of two floats and two indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Rank(u64);

impl Rank {
    pub fn new(measure: usize, sum: f32) -> Self {
        // `total_cmp`'s order as unsigned integers: negative numbers flipped whole, the others
        // above them.
        let bits = sum.to_bits();
        let ordered = if bits >> 31 == 1 {
            !bits
        } else {
            bits | 1 << 31
        };
        Rank(u64::from(ordered) << 32 | u64::from(!(measure as u32)))
    }

    pub fn measure(self) -> usize {
        !(self.0 as u32) as usize
    }

    /// The sum, as it was given.
    pub fn sum(self) -> f32 {
        let ordered = (self.0 >> 32) as u32;
        f32::from_bits(if ordered >> 31 == 1 {
            ordered & !(1 << 31)
        } else {
            !ordered
        })
    }
}

/// The greatest ranks offered, at most `limit` of them, kept as they come: the least kept on top
/// of a heap, so that each of a few thousand offers is compared with that one, not all of them
/// ordered. The same ranks are kept as ordering them all and keeping the first `limit` would
/// keep; they come out in another order.
pub(super) struct Best {
    heap: BinaryHeap<Reverse<Rank>>,
    limit: usize,
}

impl Best {
    pub fn new(limit: usize) -> Self {
        Best {
            heap: BinaryHeap::with_capacity(limit),
            limit,
        }
    }

    /// Inlined: it runs for every touched measure of every query (twelve million times at
    /// 10,000 measures) and most offers are turned away by one comparison; out of line, the
    /// call cost more than the comparison (the compiler inlined it or not from one build to
    /// the next).
    #[inline(always)]
    pub fn offer(&mut self, rank: Rank) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(rank));
        } else if self.heap.peek().is_some_and(|least| rank > least.0) {
            if let Some(mut least) = self.heap.peek_mut() {
                *least = Reverse(rank);
            }
        }
    }

    /// Moves the ranks kept to the end of `out`, leaving none.
    pub fn drain_into(&mut self, out: &mut Vec<Rank>) {
        out.extend(self.heap.drain().map(|Reverse(rank)| rank));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept as they come, the best are those of all offers ordered, whatever their order and
    /// with ranks offered twice.
    #[test]
    fn the_best_are_those_ordering_all_would_keep() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (offers, limit) in [(0, 5), (3, 5), (5, 5), (6, 5), (2_000, 60), (500, 1)] {
            let ranks: Vec<Rank> = (0..offers)
                .map(|_| {
                    let r = next();
                    // Few distinct sums, so many ties on the sum and some whole ranks twice.
                    Rank::new((r % 97) as usize, (r >> 40) as f32 % 11.0)
                })
                .collect();
            let mut best = Best::new(limit);
            for rank in &ranks {
                best.offer(*rank);
            }
            let mut kept = Vec::new();
            best.drain_into(&mut kept);
            kept.sort_unstable_by(|a, b| b.cmp(a));
            let mut all = ranks.clone();
            all.sort_unstable_by(|a, b| b.cmp(a));
            all.truncate(limit);
            assert_eq!(kept, all, "{offers} offers, {limit} kept");
            best.drain_into(&mut kept);
            assert_eq!(kept.len(), all.len(), "drained, none left");
        }
    }

    /// Ranks order candidates as the old comparison did: the greater sum (`total_cmp`) first,
    /// then the lower measure.
    #[test]
    fn ranks_order_as_sums_then_measures() {
        let sums = [
            0.0,
            -0.0,
            1e-30,
            0.25,
            0.25,
            0.5,
            1.0,
            f32::INFINITY,
            f32::MIN_POSITIVE,
            -1.0,
            f32::NEG_INFINITY,
        ];
        let mut candidates: Vec<(usize, f32)> = Vec::new();
        for (k, sum) in sums.iter().enumerate() {
            for measure in [0, 7 * k + 1, 40_000 - k, u32::MAX as usize - 1] {
                candidates.push((measure, *sum));
            }
        }
        let mut by_rank: Vec<(Rank, usize, f32)> = candidates
            .iter()
            .map(|(d, sum)| (Rank::new(*d, *sum), *d, *sum))
            .collect();
        by_rank.sort_unstable_by_key(|r| std::cmp::Reverse(r.0));
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let bits = |d: usize, sum: f32| (d, sum.to_bits());
        let ranked: Vec<_> = by_rank.iter().map(|(_, d, s)| bits(*d, *s)).collect();
        let expected: Vec<_> = candidates.iter().map(|(d, s)| bits(*d, *s)).collect();
        assert_eq!(ranked, expected);
        for (rank, d, sum) in &by_rank {
            assert_eq!(rank.measure(), *d);
            assert_eq!(rank.sum().to_bits(), sum.to_bits());
        }
    }

    /// The same products in the same order give the same sums, listed alike, in both tables,
    /// query after query.
    #[test]
    fn dense_and_hashed_sums_agree() {
        let n = 5000;
        let mut dense = Sums::Dense(vec![0.0; n]);
        let mut hashed = Sums::Hashed {
            keys: Vec::new(),
            values: Vec::new(),
        };
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for query in 0..50 {
            let postings = 1 + next() % 3000;
            let products: Vec<(u32, f32)> = (0..postings)
                .map(|_| {
                    // Few distinct measures in some queries (long probe runs, many repeats).
                    let d = if query % 3 == 0 {
                        next() % 40
                    } else {
                        next() % n
                    };
                    (
                        d as u32,
                        (next() % 1000 + usize::from(query % 5 != 4)) as f32 / 997.0,
                    )
                })
                .collect();
            // Postings given as a few lists, each with its query weight, a plan's run skipped.
            let lists: Vec<(f32, &[(u32, f32)])> = products
                .chunks(1 + next() % 700)
                .map(|list| {
                    (
                        (next() % 1000 + usize::from(query % 5 != 4)) as f32 / 991.0,
                        list,
                    )
                })
                .collect();
            let skip = if query % 2 == 0 {
                let start = next() % n;
                start..start + next() % 500
            } else {
                0..0
            };
            // One measure at a time, in posting order, as summing was first written.
            let mut expected: Vec<(usize, f32)> = Vec::new();
            for (w, list) in &lists {
                for (d, w2) in *list {
                    let d = *d as usize;
                    if skip.contains(&d) {
                        continue;
                    }
                    match expected.iter_mut().find(|(e, _)| *e == d) {
                        Some((_, sum)) => *sum += w * w2,
                        None => expected.push((d, w * w2)),
                    }
                }
            }
            let mut out = Vec::new();
            for sums in [&mut dense, &mut hashed] {
                let mut touched = Vec::new();
                sums.start(products.len());
                for (w, list) in &lists {
                    sums.add_postings(*w, list, &skip, &mut touched);
                }
                let taken: Vec<(usize, u32)> = touched
                    .iter()
                    .map(|(d, place)| (*d, sums.values()[*place].to_bits()))
                    .collect();
                sums.clear(&touched);
                out.push(taken);
            }
            assert_eq!(out[0], out[1], "query {query}");
            assert!(out[0].iter().all(|(d, _)| !skip.contains(d)));
            // Every fifth query has zero products among its own, which note a measure again
            // until its sum leaves zero: the two tables agree on those, and that is all.
            if query % 5 == 4 {
                continue;
            }
            // Listed in the order first touched, each once, with the same bits.
            let expected: Vec<(usize, u32)> = expected
                .iter()
                .map(|(d, sum)| (*d, sum.to_bits()))
                .collect();
            assert_eq!(out[0], expected, "query {query}");
        }
        // Both are empty again.
        let Sums::Dense(sums) = &dense else {
            unreachable!()
        };
        assert!(sums.iter().all(|s| *s == 0.0));
        let Sums::Hashed { keys, values } = &hashed else {
            unreachable!()
        };
        assert!(keys.iter().all(|k| *k == 0) && values.iter().all(|v| *v == 0.0));
    }

    #[test]
    fn a_corpus_above_the_bound_is_hashed() {
        assert!(matches!(Sums::new(DENSE_UP_TO), Sums::Dense(_)));
        assert!(matches!(Sums::new(DENSE_UP_TO + 1), Sums::Hashed { .. }));
    }
}
