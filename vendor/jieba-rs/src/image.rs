//! (planatlas) A loaded dictionary as bytes, and back.
//!
//! Building the trie from the text dictionary parses 349,045 lines and inserts each word, about
//! 90 ms on a fast machine, at the start of every process that segments. The image holds what
//! that builds (the tags; each word's class of frequency and tag, and each class's frequency and
//! log, `crate::weights`; the trie frozen into a double array, `crate::frozen`) so that a
//! program can make the image once, when it is built, and load it in a fraction of that: the
//! loaded instance has the same words at the same ids, with the same frequencies, logs and
//! tags. A program that includes the image reads the double array and the words' columns, most
//! of it, where they lie (`Jieba::from_static_image`).
//! It segments and tags as the instance the image was made from, with one exception where the
//! features differ: a
//! program built without `default-dict` lacks the HMM tagger's data, so a CJK word that is not
//! in the dictionary is tagged `x` (`Jieba::tag`'s `guess_tag`).
//!
//! The format is private to this copy of the crate: little-endian numbers, after a magic and a
//! version; each table starts at a multiple of 16 bytes. Loading checks every count, index,
//! class, tag, code and unit, so a damaged image is an error, never a panic or an endless walk.

use crate::errors::Error;
use crate::frozen::{Frozen, FrozenImage};
use crate::table::{cast, Table};
use crate::trie::Trie;
use crate::weights::{Weights, MAX_CLASSES};
use crate::{FxHashMap, Jieba, MAX_TAGS};

const MAGIC: &[u8; 8] = b"JIEBAIMG";
const VERSION: u32 = 4;

/// Where the tables of an image start: a multiple of this many bytes.
pub(crate) const ALIGN: usize = 16;

impl Jieba {
    /// This instance's dictionary as an image for [`Jieba::from_image`]. A custom HMM model is
    /// not part of it. An error if the dictionary has more than 65,536 distinct frequencies
    /// (the default one has 5,087).
    pub fn to_image(&self) -> Result<Vec<u8>, Error> {
        let (class_of, class_freqs, class_logs) = self.weights.classes()?;
        let mut out = Vec::with_capacity(12 << 20);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, VERSION);
        put_u64(&mut out, self.total as u64);
        // The log total and the classes' logs as loading the dictionary made them (`ln` of the
        // total and of each frequency), so that the program segments with the very numbers the
        // dictionary was loaded with, whatever `ln` the machine it runs on has.
        out.extend_from_slice(&self.log_total.to_le_bytes());
        put_u32(&mut out, self.tags.len() as u32);
        for tag in &self.tags {
            put_u32(&mut out, tag.len() as u32);
            out.extend_from_slice(tag.as_bytes());
        }
        put_u32(&mut out, class_of.len() as u32);
        put_u32(&mut out, class_freqs.len() as u32);
        for &freq in &class_freqs {
            put_u64(&mut out, freq as u64);
        }
        pad(&mut out);
        for &log_freq in &class_logs {
            out.extend_from_slice(&log_freq.to_le_bytes());
        }
        // The columns as they lie in memory, so that a program reads them in place.
        pad(&mut out);
        for &class in &class_of {
            out.extend_from_slice(&class.to_le_bytes());
        }
        pad(&mut out);
        for &tag in self.word_tags.get() {
            out.extend_from_slice(&tag.to_le_bytes());
        }
        self.trie.write_image(&mut out);
        Ok(out)
    }

    /// The instance an image made by [`Jieba::to_image`] holds, without the default HMM model
    /// replaced (as [`Jieba::new`] leaves it).
    pub fn from_image(image: &[u8]) -> Result<Self, Error> {
        Self::read_image(image, |trie, columns| Ok((FrozenImage::copied(trie)?, columns.copied())))
    }

    /// As [`Jieba::from_image`], for an image that lives as long as the program (one it
    /// includes): the trie's double array and its table of codes, and each word's class of
    /// frequency and tag, most of the image, are read where they lie instead of copied, when the
    /// image is aligned to 16 bytes on a little-endian machine (and copied otherwise). Their
    /// pages are then the program file's, clean and shared, not a private copy; checking them
    /// reads them all.
    pub fn from_static_image(image: &'static [u8]) -> Result<Self, Error> {
        Self::read_image(image, |trie, columns| Ok((FrozenImage::in_place(trie)?, columns.in_place())))
    }

    /// Whether the trie's double array and the words' columns are read where they lie in a
    /// static image (see [`Jieba::from_static_image`]), for planatlas's tests.
    #[doc(hidden)]
    pub fn reads_table_in_place(&self) -> bool {
        self.trie.in_image() && self.weights.in_image() && self.word_tags.in_image()
    }

    /// The instance an image holds, its trie and columns made by `make` from the image's, then
    /// checked.
    fn read_image<'a>(
        image: &'a [u8],
        make: impl FnOnce(FrozenImage<'a>, ColumnsImage<'a>) -> Result<(Frozen, Columns), Error>,
    ) -> Result<Self, Error> {
        let mut r = Reader {
            bytes: image,
            image_len: image.len(),
        };
        if r.take(MAGIC.len())? != MAGIC || r.u32()? != VERSION {
            return Err(invalid("not a dictionary image of this version"));
        }
        let total = r.u64()? as usize;
        // Any number segments without a panic, as any log frequency does.
        let log_total = f64::from_bits(r.u64()?);
        let tag_count = r.u32()? as usize;
        if tag_count > MAX_TAGS {
            return Err(invalid("more tags than a dictionary may have"));
        }
        let mut tags: Vec<Box<str>> = Vec::with_capacity(tag_count.min(image.len()));
        let mut tag_ids = FxHashMap::default();
        for id in 0..tag_count {
            let len = r.u32()? as usize;
            let tag = std::str::from_utf8(r.take(len)?).map_err(|_| invalid("a tag is not UTF-8"))?;
            tags.push(tag.into());
            tag_ids.insert(Box::from(tag), id as u16);
        }
        let words = r.u32()? as usize;
        let classes = r.u32()? as usize;
        // The columns take 4 bytes a word, a class 16.
        let needed = words.checked_mul(4).and_then(|n| n.checked_add(classes.checked_mul(16)?));
        if classes > MAX_CLASSES || needed.is_none_or(|needed| needed > r.remaining()) {
            return Err(invalid("more words or classes than the image holds"));
        }
        let mut class_freqs = Vec::with_capacity(classes);
        for _ in 0..classes {
            class_freqs.push(usize::try_from(r.u64()?).map_err(|_| invalid("a frequency is too large"))?);
        }
        r.padding("the log frequencies")?;
        let class_logs: Vec<f64> = r
            .take(classes * 8)?
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect();
        r.padding("the classes")?;
        let class_of = r.take(words * 2)?;
        r.padding("the tags")?;
        let word_tags = r.take(words * 2)?;
        let trie = Frozen::read_image(&mut r, words)?;
        if !r.bytes.is_empty() {
            return Err(invalid("bytes after the trie"));
        }
        let (trie, Columns { class_of, word_tags }) = make(trie, ColumnsImage { class_of, word_tags })?;
        // Every class and tag in range, and the frequencies add up to the total (`finish_load`;
        // `add_word` subtracts from it). The log frequencies are taken as they are: any number
        // segments without a panic.
        let mut sum = Some(0usize);
        for &class in class_of.get() {
            let freq = class_freqs.get(usize::from(class)).ok_or_else(|| invalid("a word's class is out of range"))?;
            sum = sum.and_then(|sum| sum.checked_add(*freq));
        }
        if sum != Some(total) {
            return Err(invalid("the total is not the sum of the frequencies"));
        }
        if word_tags.get().iter().any(|&tag| usize::from(tag) >= tag_count) {
            return Err(invalid("a word's tag is out of range"));
        }
        Ok(Jieba {
            weights: Weights::Classes {
                class_of,
                freqs: class_freqs,
                log_freqs: class_logs,
            },
            word_tags,
            tags,
            tag_ids,
            trie: Trie::Frozen(trie),
            total,
            log_total,
            hmm_model: None,
        })
    }
}

/// The words' columns of an image (each word's class of frequency and its tag), still as its
/// bytes.
pub(crate) struct ColumnsImage<'a> {
    class_of: &'a [u8],
    word_tags: &'a [u8],
}

/// The words' columns, made from an image.
pub(crate) struct Columns {
    class_of: Table<u16>,
    word_tags: Table<u16>,
}

impl ColumnsImage<'_> {
    /// The columns copied out of the image.
    fn copied(self) -> Columns {
        let column = |bytes: &[u8]| {
            let column: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes(b.try_into().expect("2 bytes")))
                .collect();
            Table::Owned(column)
        };
        Columns {
            class_of: column(self.class_of),
            word_tags: column(self.word_tags),
        }
    }
}

impl ColumnsImage<'static> {
    /// The columns where they lie in a static image when its bytes can be read as such (a
    /// little-endian machine, the columns aligned), copied otherwise.
    fn in_place(self) -> Columns {
        match (cast::<u16>(self.class_of), cast::<u16>(self.word_tags)) {
            (Some(class_of), Some(word_tags)) => Columns {
                class_of: Table::Image(class_of),
                word_tags: Table::Image(word_tags),
            },
            _ => self.copied(),
        }
    }
}

/// Reads the numbers of an image in order.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    /// The length of the whole image.
    image_len: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.bytes.len() {
            return Err(invalid("the image ends early"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// Zero bytes up to the next multiple of `ALIGN`, before `what`.
    pub(crate) fn padding(&mut self, what: &str) -> Result<(), Error> {
        let padding = (ALIGN - self.offset() % ALIGN) % ALIGN;
        if self.take(padding)?.iter().any(|&b| b != 0) {
            return Err(invalid(&format!("the padding before {what} is not zero")));
        }
        Ok(())
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// How many bytes of the image have been read.
    fn offset(&self) -> usize {
        self.image_len - self.bytes.len()
    }
}

/// Zero bytes up to the next multiple of `ALIGN`.
pub(crate) fn pad(out: &mut Vec<u8>) {
    while out.len() % ALIGN != 0 {
        out.push(0);
    }
}

pub(crate) fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

pub(crate) fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

pub(crate) fn invalid(what: &str) -> Error {
    Error::InvalidDictEntry(format!("dictionary image: {what}"))
}
