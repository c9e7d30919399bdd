//! Lists of records held while the index is counted: a term's postings (record and term count)
//! and a character's records, each as the gaps between rising record numbers in LEB128 bytes.
//!
//! Every list of every term is held until the last record is counted, and beside the related
//! measures (which are computed at the same time) they made the build's peak: at 1,000,000
//! measures about 1.9 GB of postings and 0.7 GB of characters' records as `u32`s (BENCHMARKS.md,
//! twenty-second round). Gaps are small (a common term is in most records, a rare term's list is
//! short) and counts are mostly 1 to 3, so an entry takes 2 to 3 bytes instead of 8 (4 for a
//! character's record). Lists are only appended to while the index is counted and read once
//! when it is written; `serve` edits a few of them for a changed record, each decoded and coded
//! again once for all the edits of a rebuild.

/// Rising record numbers, each with a count when `COUNTED` (a term's postings), or without (a
/// character's records).
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub(super) struct Coded<const COUNTED: bool> {
    bytes: Vec<u8>,
    /// How many entries the list holds.
    len: u32,
    /// The last entry's record (0 when there is none).
    last: u32,
}

/// A term's postings: (record, term count), in record order.
pub(super) type Postings = Coded<true>;
/// A character's records, in order.
pub(super) type Records = Coded<false>;
/// Edits of a list: each record, in rising order, with what it becomes (see [`Coded::edit`]).
pub(super) type Edits = Vec<(u32, Option<u32>)>;

impl<const COUNTED: bool> Coded<COUNTED> {
    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first entry's record.
    pub fn first(&self) -> Option<u32> {
        self.iter().next().map(|(doc, _)| doc)
    }

    /// The last entry's record.
    pub fn last(&self) -> Option<u32> {
        (self.len > 0).then_some(self.last)
    }

    /// Where the list's bytes are (to tell a list edited in place from one made again).
    #[cfg(test)]
    pub fn as_ptr(&self) -> *const u8 {
        self.bytes.as_ptr()
    }

    /// Appends record `doc` (after every record of the list) with `count` (ignored unless
    /// `COUNTED`).
    pub fn push(&mut self, doc: u32, count: u32) {
        debug_assert!(self.len == 0 || doc > self.last, "records in rising order");
        put(
            &mut self.bytes,
            doc - if self.len == 0 { 0 } else { self.last },
        );
        if COUNTED {
            put(&mut self.bytes, count);
        }
        self.last = doc;
        self.len += 1;
    }

    /// The entries in order: (record, count), the count 0 unless `COUNTED`.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        let mut doc = 0u32;
        (0..self.len).map(move |_| {
            doc += take(&self.bytes, &mut at);
            let count = if COUNTED {
                take(&self.bytes, &mut at)
            } else {
                0
            };
            (doc, count)
        })
    }

    /// Applies `edits` (record and what it becomes, in rising order of record): `None` takes the
    /// record out if it is there, `Some(count)` puts it in or sets its count. The list is
    /// decoded and coded again once, in the bytes it had.
    pub fn edit(&mut self, edits: &[(u32, Option<u32>)]) {
        debug_assert!(
            edits.windows(2).all(|e| e[0].0 < e[1].0),
            "edits in rising order of record"
        );
        let mut entries: Vec<(u32, u32)> = Vec::with_capacity(self.len() + edits.len());
        let mut old = self.iter().peekable();
        for &(doc, to) in edits {
            while let Some(entry) = old.next_if(|(d, _)| *d < doc) {
                entries.push(entry);
            }
            old.next_if(|(d, _)| *d == doc);
            if let Some(count) = to {
                entries.push((doc, count));
            }
        }
        entries.extend(old);
        self.bytes.clear();
        (self.len, self.last) = (0, 0);
        for (doc, count) in entries {
            self.push(doc, count);
        }
    }
}

/// Appends `n` as LEB128: seven bits a byte, low first, the top bit set on all but the last.
fn put(bytes: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        bytes.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// The LEB128 number at `at`, moving `at` past it.
fn take(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::random::XorShift32;

    /// Random lists with gaps and counts of every width LEB128 has (1 to 5 bytes) read back as
    /// they were pushed.
    #[test]
    fn lists_read_back_as_pushed() {
        let mut random = XorShift32::new(0x1234_5678);
        for round in 0..200 {
            let mut want = Vec::new();
            let mut doc = 0u32;
            for k in 0..random.below(60) {
                // Widths by the round: small gaps mostly, and now and then the largest.
                let width = [7, 14, 21, 28, 31][(round + k as usize) % 5];
                let gap = random.below(1 << width.min(20)) << (width - width.min(20));
                let Some(next) = doc.checked_add(if k == 0 { gap } else { gap.max(1) }) else {
                    break;
                };
                doc = next;
                want.push((doc, random.below(u32::MAX)));
            }
            let mut postings = Postings::default();
            let mut records = Records::default();
            for (doc, count) in &want {
                postings.push(*doc, *count);
                records.push(*doc, *count);
            }
            assert_eq!(postings.iter().collect::<Vec<_>>(), want);
            let docs: Vec<(u32, u32)> = want.iter().map(|(d, _)| (*d, 0)).collect();
            assert_eq!(records.iter().collect::<Vec<_>>(), docs);
            assert_eq!((postings.len(), records.len()), (want.len(), want.len()));
            assert_eq!(postings.first(), want.first().map(|(d, _)| *d));
        }
        let mut big = Postings::default();
        big.push(u32::MAX, u32::MAX);
        assert_eq!(big.iter().collect::<Vec<_>>(), [(u32::MAX, u32::MAX)]);
    }

    /// Edits give what editing the entries as a list of pairs gives: records taken out (there
    /// or not), put in (before, between, after the others), counts set, the list emptied.
    #[test]
    fn edits_are_those_of_the_pairs() {
        let mut random = XorShift32::new(0x0bad_cafe);
        for _ in 0..300 {
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            let mut list = Postings::default();
            for doc in 0..40 {
                if random.below(3) == 0 {
                    let count = 1 + random.below(300);
                    pairs.push((doc, count));
                    list.push(doc, count);
                }
            }
            let mut edits: Vec<(u32, Option<u32>)> = Vec::new();
            for doc in 0..45 {
                match random.below(6) {
                    0 => edits.push((doc, None)),
                    1 => edits.push((doc, Some(1 + random.below(200_000)))),
                    _ => {}
                }
            }
            for (doc, to) in &edits {
                let at = pairs.binary_search_by_key(doc, |(d, _)| *d);
                match (at, to) {
                    (Ok(at), None) => {
                        pairs.remove(at);
                    }
                    (Ok(at), Some(count)) => pairs[at].1 = *count,
                    (Err(at), Some(count)) => pairs.insert(at, (*doc, *count)),
                    (Err(_), None) => {}
                }
            }
            list.edit(&edits);
            assert_eq!(list.iter().collect::<Vec<_>>(), pairs);
            // A list edited is the list pushed with its entries.
            let mut pushed = Postings::default();
            for (doc, count) in &pairs {
                pushed.push(*doc, *count);
            }
            assert_eq!(list, pushed);
        }
        let mut list = Postings::default();
        list.push(3, 1);
        list.edit(&[(3, None)]);
        assert!(list.is_empty() && list == Postings::default());
    }
}
