//! (planatlas) The dictionary's trie frozen into a double array, the form a dictionary image
//! holds and a program reads where it lies.
//!
//! The hash table of `trie.rs` is made for inserting: a node is a hash slot of 16 bytes, and
//! the table is kept under three quarters full, so jieba's default dictionary (486,341 occupied
//! slots) took a table of 2^20 slots, 16.8 MB, every page of which a segmenter touches. A
//! trie that is only read fits in a double array: the children of the state at `s` lie at
//! `base[s] + code(c)` for their characters `c`, and a unit belongs to `s` when its `check` is
//! `s`. A unit is 12 bytes and the array is three quarters full (498,114 states in 667,655
//! units), so the same dictionary takes 8.0 MB. One step is still one load at a place that
//! cannot be predicted, as a hash probe was, with no hashing, no probing past other keys, and
//! no filters to test.
//!
//! Codes number the characters by how many edges they label, most first, and the widest nodes
//! are placed first, so that the many nodes with one or two children fill the gaps they leave.
//! A character of the Basic Multilingual Plane finds its code in a table of 65,536; the few
//! others in a sorted list.
//!
//! The first change (`Trie::built`) thaws the array back into the hash table: every word at
//! its id, which segments as before, each node added once from its parent.

use crate::errors::Error;
use crate::image::{invalid, pad, put_u32, put_u64, Reader, ALIGN};
use crate::table::{cast, Plain, Table};
use crate::trie::{CharTrie, Placed, MAX_NODES, NO_WORD};

/// The `check` of a unit that belongs to no state (and of the root, which has no parent).
const FREE: u32 = u32::MAX;
/// Characters whose code is found in the direct table.
const BMP: usize = 0x1_0000;

/// One state of the double array.
#[derive(Clone, Copy)]
#[repr(C)]
struct Unit {
    /// Where this state's children start: the child on code `c` is at `base + c`.
    base: u32,
    /// The state this one is a child of; `FREE` for a unit of no state.
    check: u32,
    /// The word that ends here, or `NO_WORD`.
    word_id: i32,
}

const UNIT_BYTES: usize = std::mem::size_of::<Unit>();
const _: () = assert!(UNIT_BYTES == 12 && ALIGN % std::mem::align_of::<Unit>() == 0);

const EMPTY_UNIT: Unit = Unit {
    base: 0,
    check: FREE,
    word_id: NO_WORD,
};

#[derive(Clone)]
pub(crate) struct Frozen {
    units: Table<Unit>,
    /// The code of each character below U+10000; 0: it is on no edge.
    bmp: Table<u32>,
    /// `(character, code)` of the others, by character.
    astral: Vec<(u32, u32)>,
}

impl Frozen {
    #[inline(always)]
    fn code(&self, ch: char) -> u32 {
        let c = ch as usize;
        if c < BMP {
            self.bmp.get()[c]
        } else {
            self.astral
                .binary_search_by_key(&(ch as u32), |&(c, _)| c)
                .map_or(0, |i| self.astral[i].1)
        }
    }

    /// The child of the state at `state` (its unit `unit`) on `ch`: its place and unit.
    #[inline(always)]
    fn child<'u>(&self, units: &'u [Unit], state: u32, unit: &Unit, ch: char) -> Option<(u32, &'u Unit)> {
        let code = self.code(ch);
        if code == 0 {
            return None;
        }
        let at = unit.base.wrapping_add(code);
        match units.get(at as usize) {
            Some(child) if child.check == state => Some((at, child)),
            _ => None,
        }
    }

    /// The id of `word`, if it is in the dictionary.
    pub(crate) fn get(&self, word: &str) -> Option<i32> {
        if word.is_empty() {
            return None;
        }
        let units = self.units.get();
        let (mut state, mut unit) = (0u32, &units[0]);
        for ch in word.chars() {
            (state, unit) = self.child(units, state, unit, ch)?;
        }
        (unit.word_id != NO_WORD).then_some(unit.word_id)
    }

    /// As `CharTrie::for_each_prefix_at_every_char`: `emit(char_index, end_index, word_id)` for
    /// every dictionary word starting at every character, position by position, shortest first.
    #[inline]
    pub(crate) fn for_each_prefix_at_every_char(&self, chars: &[(u32, char)], mut emit: impl FnMut(usize, usize, i32)) {
        // As in the hash table's walk: the unit the second character of a position a few steps
        // ahead will need is touched now, so that it is in cache when the walk arrives.
        const LOOKAHEAD: usize = 3;
        let units = self.units.get();
        let root = &units[0];
        let n = chars.len();
        for pos in 0..n {
            if let Some(&[(_, c1), (_, c2)]) = chars.get(pos + LOOKAHEAD..pos + LOOKAHEAD + 2)
                && let Some((_, first)) = self.child(units, 0, root, c1)
            {
                let at = first.base.wrapping_add(self.code(c2)) as usize;
                if let Some(unit) = units.get(at) {
                    std::hint::black_box(unit.check);
                }
            }
            let Some((mut state, mut unit)) = self.child(units, 0, root, chars[pos].1) else {
                continue;
            };
            let mut next = pos + 1;
            loop {
                if unit.word_id != NO_WORD {
                    emit(pos, next, unit.word_id);
                }
                let Some(&(_, ch)) = chars.get(next) else {
                    break;
                };
                let Some(child) = self.child(units, state, unit, ch) else {
                    break;
                };
                (state, unit) = child;
                next += 1;
            }
        }
    }

    /// Whether the array is a static image's, read where it lies.
    pub(crate) fn in_image(&self) -> bool {
        matches!(self.units, Table::Image(_))
    }

    /// The hash table holding the same words at the same ids.
    pub(crate) fn thaw(&self) -> CharTrie {
        let units = self.units.get();
        let mut chars = vec!['\0'; self.code_count() + 1];
        for (c, &code) in self.bmp.get().iter().enumerate() {
            if code != 0 {
                chars[code as usize] = char::from_u32(c as u32).unwrap_or('\0');
            }
        }
        for &(c, code) in &self.astral {
            chars[code as usize] = char::from_u32(c).unwrap_or('\0');
        }
        // Each state's children, by one pass over the array (a counting sort by parent).
        let states = units.iter().enumerate().filter(|(_, u)| u.check != FREE);
        let starts = starts_by_parent(states.clone().map(|(_, u)| u.check as usize), units.len());
        let mut children = vec![0u32; starts[units.len()]];
        let mut fill = starts.clone();
        for (at, u) in states {
            children[fill[u.check as usize]] = at as u32;
            fill[u.check as usize] += 1;
        }
        let mut trie = CharTrie::new();
        // Room for every node (`reserve` counts 1.5 a word), so the table is not rehashed on the way.
        trie.reserve(children.len() * 2 / 3 + 1);
        // Depth first, each state added once under its parent.
        let mut stack: Vec<(u32, Placed)> = vec![(0, CharTrie::root_node())];
        while let Some((state, placed)) = stack.pop() {
            let base = units[state as usize].base;
            for &child in &children[starts[state as usize]..starts[state as usize + 1]] {
                // The character the walk takes to `child` (a damaged image that passed the
                // checks may hold none: the thawed word then holds U+0000 there, never a panic).
                let code = child.wrapping_sub(base) as usize;
                let ch = chars.get(code).copied().unwrap_or('\0');
                let next = trie.add_child(&placed, ch, units[child as usize].word_id);
                stack.push((child, next));
            }
        }
        trie
    }

    fn code_count(&self) -> usize {
        let bmp = self.bmp.get().iter().copied().max().unwrap_or(0);
        let astral = self.astral.iter().map(|&(_, code)| code).max().unwrap_or(0);
        bmp.max(astral) as usize
    }

    /// Freezes the words of `trie`: `edges` are its transitions `(parent node, character,
    /// child node, word id)`, the root being node 0.
    pub(crate) fn from_edges(mut edges: Vec<(u32, char, u32, i32)>, nodes: usize) -> Self {
        // Codes: the characters by how many edges they label, most first, then by character.
        let mut counts: std::collections::HashMap<char, u32> = std::collections::HashMap::new();
        for &(_, ch, _, _) in &edges {
            *counts.entry(ch).or_default() += 1;
        }
        let mut by_count: Vec<(char, u32)> = counts.into_iter().collect();
        by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut bmp = vec![0u32; BMP];
        let mut astral = Vec::new();
        for (k, &(ch, _)) in by_count.iter().enumerate() {
            let code = k as u32 + 1;
            if (ch as usize) < BMP {
                bmp[ch as usize] = code;
            } else {
                astral.push((ch as u32, code));
            }
        }
        astral.sort_unstable();
        let code_of = |ch: char| {
            if (ch as usize) < BMP {
                bmp[ch as usize]
            } else {
                astral[astral.binary_search_by_key(&(ch as u32), |&(c, _)| c).expect("coded above")].1
            }
        };
        // Each node's children by code.
        edges.sort_unstable_by_key(|&(parent, ch, _, _)| (parent, code_of(ch)));
        let starts = starts_by_parent(edges.iter().map(|&(parent, ..)| parent as usize), nodes);
        let mut places = Places::default();
        // The widest nodes first, while the array is empty: the many nodes of one or two
        // children then fill the gaps between their children.
        let mut order: Vec<u32> = (0..nodes as u32).filter(|&n| starts[n as usize + 1] > starts[n as usize]).collect();
        order.sort_by_key(|&n| std::cmp::Reverse(starts[n as usize + 1] - starts[n as usize]));
        let mut bases = vec![0u32; nodes];
        let mut codes: Vec<u32> = Vec::new();
        for node in order {
            let kids = &edges[starts[node as usize]..starts[node as usize + 1]];
            codes.clear();
            codes.extend(kids.iter().map(|&(_, ch, _, _)| code_of(ch)));
            let first = codes[0] as usize;
            let mut at = places.free_from(first);
            let base = loop {
                let base = at - first;
                if codes[1..].iter().all(|&c| places.is_free(base + c as usize)) {
                    break base;
                }
                at = places.free_from(at + 1);
            };
            bases[node as usize] = base as u32;
            for &code in &codes {
                places.take(base + code as usize);
            }
        }
        // Then each node at its place, from the root down; the array ends at its last state.
        let mut units = vec![EMPTY_UNIT; places.len()];
        let mut queue = std::collections::VecDeque::from([(0u32, 0u32)]);
        while let Some((node, place)) = queue.pop_front() {
            let base = bases[node as usize];
            units[place as usize].base = base;
            for &(_, ch, child, word_id) in &edges[starts[node as usize]..starts[node as usize + 1]] {
                let at = base + code_of(ch);
                units[at as usize] = Unit {
                    base: 0,
                    check: place,
                    word_id,
                };
                queue.push_back((child, at));
            }
        }
        Frozen {
            units: Table::Owned(units),
            bmp: Table::Owned(bmp),
            astral,
        }
    }

    /// Appends the array to an image: the other characters' codes, then the direct code table
    /// and the units, each from a multiple of 16 bytes, as they lie in memory.
    pub(crate) fn write_image(&self, out: &mut Vec<u8>) {
        put_u32(out, self.astral.len() as u32);
        for &(c, code) in &self.astral {
            put_u32(out, c);
            put_u32(out, code);
        }
        let units = self.units.get();
        put_u64(out, units.len() as u64);
        pad(out);
        for &code in self.bmp.get() {
            put_u32(out, code);
        }
        for u in units {
            put_u32(out, u.base);
            put_u32(out, u.check);
            put_u32(out, u.word_id as u32);
        }
    }

    /// Reads what [`Frozen::write_image`] wrote, for a dictionary of `words` words, the tables
    /// still as bytes.
    pub(crate) fn read_image<'a>(r: &mut Reader<'a>, words: usize) -> Result<FrozenImage<'a>, Error> {
        let astral_count = r.u32()? as usize;
        if astral_count.saturating_mul(8) > r.remaining() {
            return Err(invalid("fewer character codes than announced"));
        }
        let mut astral = Vec::with_capacity(astral_count);
        for _ in 0..astral_count {
            astral.push((r.u32()?, r.u32()?));
        }
        let unit_count = r.u64()? as usize;
        if unit_count == 0 || unit_count.saturating_mul(UNIT_BYTES) > r.remaining() {
            return Err(invalid("the double array's size is out of range"));
        }
        r.padding("the code table")?;
        let bmp = r.take(BMP * 4)?;
        let units = r.take(unit_count * UNIT_BYTES)?;
        Ok(FrozenImage {
            astral,
            bmp,
            units,
            words,
        })
    }
}

/// Where the children of each of `n` parents start in a list of them ordered by parent (the
/// last entry is the list's length), from each child's parent.
fn starts_by_parent(parents: impl Iterator<Item = usize>, n: usize) -> Vec<usize> {
    let mut starts = vec![0usize; n + 1];
    for parent in parents {
        starts[parent + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    starts
}

/// The places of the array taken so far, the root's (0) from the start, and for each place
/// the first free place at or after it (union-find with halved paths), so that the search for
/// a base skips filled stretches at once. Places past the end are free.
struct Places {
    used: Vec<bool>,
    next_free: Vec<u32>,
}

impl Default for Places {
    fn default() -> Self {
        Places {
            used: vec![true],
            next_free: vec![1],
        }
    }
}

impl Places {
    fn is_free(&self, at: usize) -> bool {
        !self.used.get(at).copied().unwrap_or(false)
    }

    /// The first free place at or after `at`.
    fn free_from(&mut self, mut at: usize) -> usize {
        loop {
            let Some(&next) = self.next_free.get(at) else {
                return at;
            };
            let next = next as usize;
            if next == at {
                return at;
            }
            if let Some(&further) = self.next_free.get(next) {
                self.next_free[at] = further;
            }
            at = next;
        }
    }

    fn take(&mut self, at: usize) {
        if at >= self.used.len() {
            let len = self.used.len();
            self.next_free.extend(len as u32..=at as u32);
            self.used.resize(at + 1, false);
        }
        self.used[at] = true;
        self.next_free[at] = at as u32 + 1;
    }

    /// Up to the last place taken.
    fn len(&self) -> usize {
        self.used.len()
    }
}

/// A double array read from an image, its tables still as the image's bytes.
pub(crate) struct FrozenImage<'a> {
    astral: Vec<(u32, u32)>,
    bmp: &'a [u8],
    units: &'a [u8],
    words: usize,
}

impl<'a> FrozenImage<'a> {
    /// The array, its tables copied out of the image.
    pub(crate) fn copied(self) -> Result<Frozen, Error> {
        let word = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        let bmp: Vec<u32> = self.bmp.chunks_exact(4).map(|b| word(b, 0)).collect();
        let units: Vec<Unit> = self
            .units
            .chunks_exact(UNIT_BYTES)
            .map(|b| Unit {
                base: word(b, 0),
                check: word(b, 4),
                word_id: word(b, 8) as i32,
            })
            .collect();
        self.checked(Table::Owned(bmp), Table::Owned(units))
    }

    /// Every code, character and unit in range: a damaged image is an error, never a panic.
    /// (A walk always ends: each step takes a character.)
    fn checked(self, bmp: Table<u32>, units: Table<Unit>) -> Result<Frozen, Error> {
        let codes = BMP + self.astral.len();
        if bmp.get().iter().any(|&c| c as usize > codes) {
            return Err(invalid("a character's code is out of range"));
        }
        let sorted = self.astral.windows(2).all(|w| w[0].0 < w[1].0);
        if !sorted
            || self
                .astral
                .iter()
                .any(|&(c, code)| (c as usize) < BMP || char::from_u32(c).is_none() || code == 0 || code as usize > codes)
        {
            return Err(invalid("a character beyond U+FFFF is out of range or order"));
        }
        let list = units.get();
        // The root has no parent: were it its own child, `thaw` would never end. More units
        // than the hash table numbers nodes could not be thawed.
        if list.len() > MAX_NODES as usize
            || list[0].check != FREE
            || list
                .iter()
                .any(|u| !crate::trie::word_ok(u.word_id, self.words) || (u.check != FREE && u.check as usize >= list.len()))
        {
            return Err(invalid("a unit of the double array is out of range"));
        }
        Ok(Frozen {
            units,
            bmp,
            astral: self.astral,
        })
    }
}

impl FrozenImage<'static> {
    /// The array, its tables used where they lie in a static image when the bytes can be read
    /// as such (a little-endian machine, the tables aligned), copied otherwise. Checked as
    /// [`FrozenImage::copied`] checks it.
    pub(crate) fn in_place(self) -> Result<Frozen, Error> {
        match (cast::<u32>(self.bmp), cast::<Unit>(self.units)) {
            (Some(bmp), Some(units)) => self.checked(Table::Image(bmp), Table::Image(units)),
            _ => self.copied(),
        }
    }
}

// SAFETY: `repr(C)`, three 32-bit integers, 12 bytes, no padding; any bits are a value.
unsafe impl Plain for Unit {}
