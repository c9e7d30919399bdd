//! The `terms/` shards: each term's postings, by the shard its hash picks, weighed (BM25) as
//! they are written out.
//!
//! A shard's lists are weighed while its JSON is written, number by number, with room made
//! for the whole shard beforehand: no list of weights is held, and the buffer is not grown by
//! copies.
//! At 1,000,000 measures a common term's list holds hundreds of thousands of records, and
//! both (a weighed copy of every list of a shard, and a buffer doubled up to the shard's size)
//! made fresh memory the kernel had to map on every shard: a quarter of the search index's page
//! faults (BENCHMARKS.md, twenty-fourth round).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use super::digits;
use super::lists::Postings;
use super::tokenize::{key_text, shard_hash, TermKey};

/// Target size of a shard, to pick the shard count.
const SHARD_BYTES: usize = 48 * 1024;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The shard count for lists of `postings` entries in all: a power of two, so that a term's
/// shard is its hash masked.
pub(super) fn shard_count(postings: usize) -> usize {
    // A posting was two `u32`s (record, count) when the shard size was chosen.
    (postings * 8 / SHARD_BYTES)
        .clamp(1, 4096)
        .next_power_of_two()
}

/// A shard's terms, each with its postings (term counts).
pub(super) type Unweighed = Vec<(String, Postings)>;

/// Each term of `postings` with its postings, by the shard it goes to. Each shard's terms are
/// sorted before it is written: the order they come in is free.
pub(super) fn shard_terms(
    postings: &mut dyn Iterator<Item = (TermKey, Postings)>,
    shards: usize,
    words: &FxHashMap<TermKey, String>,
) -> Vec<Unweighed> {
    let mut by_shard = vec![Vec::new(); shards];
    for (key, list) in postings {
        let term = key_text(key, words);
        by_shard[shard_hash(&term) as usize & (shards - 1)].push((term, list));
    }
    by_shard
}

/// One shard, its terms in order, weighed from the records' lengths and their mean. What it
/// hashes to (its file's key in `serve`) is what its JSON is written from: the terms and their
/// weighed lists.
pub(super) struct Shard<'a> {
    pub terms: &'a [(String, Postings)],
    pub lengths: &'a [u32],
    pub avg_len: f64,
}

impl Shard<'_> {
    /// A list's (record, weight) pairs, in record order.
    fn weighed<'p>(&'p self, postings: &'p Postings) -> impl Iterator<Item = (u32, u32)> + 'p {
        postings
            .iter()
            .map(|(doc, tf)| (doc, weight(tf, self.lengths[doc as usize], self.avg_len)))
    }

    /// Writes the shard as JSON into `out`: `{term: [doc delta, weight, …], …}`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.reserve(self.json_bound());
        let mut number = itoa::Buffer::new();
        out.push(b'{');
        for (i, (term, postings)) in self.terms.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Writing into a `Vec` cannot fail.
            let _ = serde_json::to_writer(&mut *out, term);
            out.extend_from_slice(b":[");
            let mut prev = 0u32;
            for (j, (doc, weight)) in self.weighed(postings).enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(number.format(doc - prev).as_bytes());
                out.push(b',');
                out.extend_from_slice(number.format(weight).as_bytes());
                prev = doc;
            }
            out.push(b']');
        }
        out.push(b'}');
    }

    /// At least the length of what [`Shard::write_json`] writes: per term its text escaped at
    /// worst (six bytes a byte, `\u00XX`), its quotes, colon, brackets and the comma before it,
    /// and its list's pairs, each a weight of at most three digits (a weight is below 220), two
    /// commas and a gap. The `n` gaps of a list add up to its last record `r`, so together they
    /// have at most `n × (digits(⌈r / n⌉) + 1)` digits (the digits of a number grow as its
    /// logarithm, and a sum of logarithms with a fixed sum of numbers is largest when the
    /// numbers are equal).
    fn json_bound(&self) -> usize {
        2 + self
            .terms
            .iter()
            .map(|(term, postings)| {
                let n = postings.len();
                let last = postings.last().unwrap_or(0);
                let gap = last.div_ceil(n.max(1) as u32);
                term.len() * 6 + 6 + n * (digits(gap) + 1 + 3 + 2)
            })
            .sum::<usize>()
    }
}

impl Hash for Shard<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for (term, postings) in self.terms {
            term.hash(state);
            state.write_usize(postings.len());
            for (doc, weight) in self.weighed(postings) {
                state.write_u32(doc);
                state.write_u32(weight);
            }
        }
    }
}

/// A term count's BM25 weight in a record of `length` (the title counted three times), where
/// records are `avg_len` long on average, scaled to an integer (at least 1).
fn weight(tf: u32, length: u32, avg_len: f64) -> u32 {
    let norm = K1 * (1.0 - B + B * f64::from(length) / avg_len.max(1.0));
    let tf = f64::from(tf);
    ((100.0 * tf * (K1 + 1.0) / (tf + norm)).round() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(pairs: &[(u32, u32)]) -> Postings {
        let mut list = Postings::default();
        for &(doc, tf) in pairs {
            list.push(doc, tf);
        }
        list
    }

    #[test]
    fn lists_are_weighed_and_delta_encoded() {
        let terms = vec![
            ("a".to_string(), postings(&[(3, 1), (5, 4)])),
            ("b\"".to_string(), postings(&[(0, 2)])),
        ];
        let lengths = [40, 0, 0, 10, 0, 10];
        let shard = Shard {
            terms: &terms,
            lengths: &lengths,
            avg_len: 10.0,
        };
        // tf 1 in a record of mean length: 100 × 2.2 / 2.2; tf 4: 100 × 4 × 2.2 / 5.2; tf 2
        // in a record four times as long: norm 1.2 × (0.25 + 3) = 3.9, 100 × 2 × 2.2 / 5.9.
        let mut json = Vec::new();
        shard.write_json(&mut json);
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"a":[3,100,2,169],"b\"":[0,75]}"#
        );
    }

    /// The worst case of each part of the bound at once: terms of control characters (six
    /// bytes each when escaped), several terms (a comma between them), weights of three digits
    /// (records of length 0), gaps alternating between one and two digits. The bound is met
    /// and is not loose by more than the gaps' slack.
    #[test]
    fn the_bound_holds_at_its_worst_case() {
        let pairs: Vec<(u32, u32)> = (0..50u32).map(|i| (i * 11 / 2 + 1, 30)).collect();
        let lengths = vec![0u32; 300];
        let terms: Vec<(String, Postings)> = ["\u{1}\u{2}", "\u{7f}x", "\u{1f}"]
            .iter()
            .map(|t| (t.to_string(), postings(&pairs)))
            .collect();
        let shard = Shard {
            terms: &terms,
            lengths: &lengths,
            avg_len: 50.0,
        };
        let mut json = Vec::new();
        shard.write_json(&mut json);
        let text = String::from_utf8(json.clone()).unwrap();
        assert!(text.starts_with(r#"{"\u0001\u0002":[1,"#), "{text}");
        assert!(json.len() <= shard.json_bound());
        assert!(
            shard.json_bound() - json.len() < 3 * 50 * 2,
            "{}",
            json.len()
        );
    }

    /// The buffer a shard is written into is sized for it: never too small, whatever the gaps
    /// (one to seven digits) and the weights.
    #[test]
    fn a_shard_is_written_within_its_bound() {
        let mut rng = crate::util::random::XorShift32::new(7);
        let records = 1 << 22;
        let lengths: Vec<u32> = (0..records).map(|_| rng.below(200)).collect();
        for round in 0..300 {
            let mut doc = 0u32;
            let mut pairs = Vec::new();
            for _ in 0..rng.below(40) {
                let width = rng.below(7);
                doc += 1 + rng.below(10u32.pow(width));
                if doc >= records {
                    break;
                }
                pairs.push((doc, 1 + rng.below(30)));
            }
            let terms = vec![("词\u{1}".to_string(), postings(&pairs))];
            let shard = Shard {
                terms: &terms,
                lengths: &lengths,
                avg_len: 1.0 + rng.below(100) as f64,
            };
            let mut json = Vec::new();
            shard.write_json(&mut json);
            assert!(json.len() <= shard.json_bound(), "round {round}");
            let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(value["词\u{1}"].as_array().unwrap().len(), 2 * pairs.len());
        }
    }
}
