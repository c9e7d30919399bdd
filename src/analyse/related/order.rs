//! Measures' ids, kept together, and their order compared without reading the ids.
//!
//! A related list ranks its candidates by score, and equal scores by id (so that lists do not
//! depend on the order measures were read in). Equal scores are common where plans repeat each
//! other's sentences, and each such comparison read two measures' ids: the measure, its id, the
//! id's bytes, three cache misses a side at a million measures, where they made a tenth of the
//! related measures' time. [`IdOrder`] keeps the first 16 bytes of every id in one array by
//! measure: a candidate's [`Key`] is read once, and decides almost every comparison without a
//! read; ids equal in those bytes are compared whole.
//!
//! Each link then carries its measure's id. Read from the model, that was again three misses
//! a link, anywhere in the corpus's memory; [`IdOrder::id`] reads it from every id written
//! one after another in measure order (at a million measures about 10 MB, and 8 MB of where
//! each ends, beside the keys' 16 MB).

use std::cmp::Ordering;

use crate::model::Measure;

/// The ids of the measures, and their order (see the module).
pub(super) struct IdOrder {
    /// The first 16 bytes of each measure's id as a big-endian number, zero-padded.
    prefixes: Vec<u128>,
    /// Every id, one after another, in measure order.
    text: String,
    /// Where each measure's id ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

/// What a comparison of measure `index` by id reads, read once: its index and its id's prefix.
#[derive(Clone, Copy, Debug)]
pub(super) struct Key {
    index: usize,
    prefix: u128,
}

impl Key {
    /// The measure's index.
    pub(super) fn index(self) -> usize {
        self.index
    }
}

impl IdOrder {
    pub(super) fn new(measures: &[&Measure]) -> IdOrder {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(measures.len());
        let prefixes = measures
            .iter()
            .map(|m| {
                text.push_str(&m.id);
                ends.push(text.len());
                prefix(&m.id)
            })
            .collect();
        IdOrder {
            prefixes,
            text,
            ends,
        }
    }

    /// The id of measure `index`.
    pub(super) fn id(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[index]]
    }

    /// Measure `index`'s key, for [`cmp`](Self::cmp).
    pub(super) fn key(&self, index: usize) -> Key {
        Key {
            index,
            prefix: self.prefixes[index],
        }
    }

    /// Asks for measure `index`'s key ahead of [`key`](Self::key).
    pub(super) fn prefetch(&self, index: usize) {
        if let Some(prefix) = self.prefixes.get(index) {
            crate::util::prefetch::prefetch(prefix);
        }
    }

    /// Asks for where measure `index`'s id ends, ahead of [`id`](Self::id).
    pub(super) fn prefetch_id(&self, index: usize) {
        if let Some(end) = self.ends.get(index) {
            crate::util::prefetch::prefetch(end);
        }
    }

    /// How the id of one key's measure compares with the other's: as the ids themselves.
    pub(super) fn cmp(&self, a: Key, b: Key) -> Ordering {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| self.id(a.index).cmp(self.id(b.index)))
    }
}

/// The first 16 bytes of `id`, zero-padded, as a number that orders as the bytes do. Where two
/// prefixes differ, so do the ids, the same way: at the first differing byte either both ids
/// go on (and differ there), or one has ended and the other goes on after the same bytes (the
/// shorter is less, and so is its padding, unless the other goes on with NUL bytes, which only
/// makes the prefixes equal). Equal prefixes are left to the whole ids.
fn prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::candidates::tests::measure;

    /// Every id reads back, and every pair compares as the ids do: short and long ids, ids
    /// equal in their first 16 bytes, prefixes of each other, NUL bytes, and non-ASCII ids.
    #[test]
    fn compares_as_the_ids() {
        let ids = [
            "",
            "a",
            "a\0",
            "a\0\0b",
            "a0",
            "ab",
            "s72-1-2-1",
            "s72-1-2-10",
            "s72-1-2-2",
            "sc-3-3-1",
            "sc-3-3-1-",
            "cq-finance-12-3-4",
            "cq-finance-12-3-4-a",
            "cq-finance-12-3-5",
            "cq-finance-12-3-40",
            "cq-finance-12-3-4\0",
            "0123456789abcdef",
            "0123456789abcdef0",
            "0123456789abcdeg",
            "川-1",
            "川-2",
            "渝-1",
            "Z",
            "z",
        ];
        let measures: Vec<Measure> = ids.iter().map(|id| measure(id, &[])).collect();
        let refs: Vec<&Measure> = measures.iter().collect();
        let order = IdOrder::new(&refs);
        for a in 0..ids.len() {
            assert_eq!(order.id(a), ids[a]);
            for b in 0..ids.len() {
                assert_eq!(
                    order.cmp(order.key(a), order.key(b)),
                    ids[a].cmp(ids[b]),
                    "{:?} vs {:?}",
                    ids[a],
                    ids[b]
                );
            }
        }
    }
}
