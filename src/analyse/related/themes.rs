//! Each measure's themes as small numbers, packed so that scoring a candidate reads one entry of
//! a flat table. Kept as a list per measure, they cost two reads from main memory per candidate
//! that passes the floor on a large corpus (the list's place, then its items): at 100,000
//! measures 58 % of the profile's samples in scoring fell on those two reads, and scoring took
//! 4.7–5.0 s of CPU against 3.1 s with this table.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::util::prefetch::prefetch;

/// How many themes an entry of the table holds; validation allows a measure three.
const INLINE: usize = 3;

/// The themes of every measure (as [`related_index`](super::related_index) numbers them), in
/// their order.
pub(super) struct ThemeSets {
    /// Per measure: how many themes it has, then up to `INLINE` of them.
    packed: Vec<[u16; INLINE + 1]>,
    /// The lists of measures with more themes than fit an entry (none, once validated).
    longer: FxHashMap<usize, Vec<u16>>,
}

impl ThemeSets {
    /// Each measure's themes (`lists`), each numbered by its place in `slugs` (the site's
    /// themes); a theme the site does not list is `u16::MAX`.
    pub fn new<'t>(slugs: &[&str], lists: impl Iterator<Item = &'t [String]>) -> Self {
        let number: HashMap<&str, u16> = slugs
            .iter()
            .enumerate()
            .map(|(k, slug)| (*slug, k as u16))
            .collect();
        let mut longer = FxHashMap::default();
        let packed = lists
            .enumerate()
            .map(|(i, themes)| {
                let list: Vec<u16> = themes
                    .iter()
                    .map(|t| number.get(t.as_str()).copied().unwrap_or(u16::MAX))
                    .collect();
                let mut entry = [0u16; INLINE + 1];
                if list.len() <= INLINE {
                    entry[0] = list.len() as u16;
                    entry[1..=list.len()].copy_from_slice(&list);
                } else {
                    entry[0] = u16::MAX;
                    longer.insert(i, list);
                }
                entry
            })
            .collect();
        ThemeSets { packed, longer }
    }

    /// Measure `i`'s themes, in its order.
    pub fn get(&self, i: usize) -> &[u16] {
        let entry = &self.packed[i];
        match usize::from(entry[0]) {
            n if n <= INLINE => &entry[1..=n],
            _ => self.longer.get(&i).map_or(&[], Vec::as_slice),
        }
    }

    /// Asks for measure `i`'s entry ahead of a [`ThemeSets::get`].
    #[inline(always)]
    pub fn prefetch(&self, i: usize) {
        if let Some(entry) = self.packed.get(i) {
            prefetch(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_reads_back_as_it_was_numbered() {
        let lists: [&[&str]; 5] = [
            &[],
            &["b"],
            &["c", "a", "b"],
            &["d", "x"],
            &["a", "b", "c", "d"],
        ];
        let lists: Vec<Vec<String>> = lists
            .iter()
            .map(|themes| themes.iter().map(|t| t.to_string()).collect())
            .collect();
        let sets = ThemeSets::new(&["a", "b", "c", "d"], lists.iter().map(Vec::as_slice));
        assert_eq!(sets.get(0), &[] as &[u16]);
        assert_eq!(sets.get(1), &[1]);
        assert_eq!(sets.get(2), &[2, 0, 1]);
        assert_eq!(sets.get(3), &[3, u16::MAX]);
        // More themes than an entry holds (validation stops this before any analysis).
        assert_eq!(sets.get(4), &[0, 1, 2, 3]);
        for i in 0..5 {
            sets.prefetch(i);
        }
        sets.prefetch(99);
    }
}
