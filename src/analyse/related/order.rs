//! Measures in the order of their ids, compared without reading the ids.
//!
//! A related list ranks its candidates by score, and equal scores by id (so that lists do not
//! depend on the order measures were read in). Equal scores are common where plans repeat each
//! other's sentences, and each such comparison read two measures' ids: the measure, its id, the
//! id's bytes, three cache misses a side at a million measures, where they made a tenth of the
//! related measures' time. [`IdOrder`] keeps the first 16 bytes of every id in one array by
//! measure, which decides almost every comparison in one read; ids equal in those bytes are
//! compared whole.

use std::cmp::Ordering;

use crate::model::Measure;

/// The order of measures by id (see the module).
pub(super) struct IdOrder<'a> {
    /// The first 16 bytes of each measure's id as a big-endian number, zero-padded.
    prefixes: Vec<u128>,
    measures: &'a [&'a Measure],
}

impl<'a> IdOrder<'a> {
    pub(super) fn new(measures: &'a [&'a Measure]) -> IdOrder<'a> {
        IdOrder {
            prefixes: measures.iter().map(|m| prefix(&m.id)).collect(),
            measures,
        }
    }

    /// How the id of measure `a` compares with that of measure `b`: as the ids themselves.
    pub(super) fn cmp(&self, a: usize, b: usize) -> Ordering {
        self.prefixes[a]
            .cmp(&self.prefixes[b])
            .then_with(|| self.measures[a].id.cmp(&self.measures[b].id))
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

    /// Every pair compares as the ids do: short and long ids, ids equal in their first 16
    /// bytes, prefixes of each other, NUL bytes, and non-ASCII ids.
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
            for b in 0..ids.len() {
                assert_eq!(
                    order.cmp(a, b),
                    ids[a].cmp(ids[b]),
                    "{:?} vs {:?}",
                    ids[a],
                    ids[b]
                );
            }
        }
    }
}
