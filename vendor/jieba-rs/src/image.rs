//! (planatlas) A loaded dictionary as bytes, and back.
//!
//! Building the trie from the text dictionary parses 349,045 lines and inserts each word, about
//! 90 ms on a fast machine, at the start of every process that segments. The image holds what
//! that builds (records, tags, and the trie frozen into a double array, `crate::frozen`) so
//! that a program can make the image once, when it is built, and load it in a fraction of that:
//! the loaded instance has the same words at the same ids, records and tags. A program that
//! includes the image reads the double array, most of it, where it lies
//! (`Jieba::from_static_image`).
//! It segments and tags as the instance the image was made from, with one exception where the
//! features differ: a
//! program built without `default-dict` lacks the HMM tagger's data, so a CJK word that is not
//! in the dictionary is tagged `x` (`Jieba::tag`'s `guess_tag`).
//!
//! The format is private to this copy of the crate: little-endian numbers, after a magic and a
//! version. Loading checks every count, index, code and unit, so a damaged image is an error,
//! never a panic or an endless walk.

use crate::errors::Error;
use crate::frozen::{Frozen, FrozenImage};
use crate::trie::Trie;
use crate::{FxHashMap, Jieba, Record, LARGE_FREQ};

const MAGIC: &[u8; 8] = b"JIEBAIMG";
const VERSION: u32 = 3;

impl Jieba {
    /// This instance's dictionary as an image for [`Jieba::from_image`]. A custom HMM model is
    /// not part of it.
    pub fn to_image(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(10 << 20);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, VERSION);
        put_u64(&mut out, self.total as u64);
        put_u32(&mut out, self.tags.len() as u32);
        for tag in &self.tags {
            put_u32(&mut out, tag.len() as u32);
            out.extend_from_slice(tag.as_bytes());
        }
        put_u32(&mut out, self.records.len() as u32);
        // The log frequencies are not saved: like the total's, they are always `ln` of the
        // frequency (`push_record`, `set_freq`), and computing them again gives the same bits.
        for (id, record) in self.records.iter().enumerate() {
            put_varint(&mut out, self.freq(id) as u64);
            put_varint(&mut out, u64::from(record.tag));
        }
        self.trie.write_image(&mut out);
        out
    }

    /// The instance an image made by [`Jieba::to_image`] holds, without the default HMM model
    /// replaced (as [`Jieba::new`] leaves it).
    pub fn from_image(image: &[u8]) -> Result<Self, Error> {
        Self::read_image(image, FrozenImage::copied)
    }

    /// As [`Jieba::from_image`], for an image that lives as long as the program (one it
    /// includes): the trie's double array and its table of codes, most of the image, are read
    /// where they lie instead of copied, when the image is aligned to 16 bytes on a
    /// little-endian machine (and copied otherwise). Their pages are then the program file's,
    /// clean and shared, not a private copy; checking the array reads them all.
    pub fn from_static_image(image: &'static [u8]) -> Result<Self, Error> {
        Self::read_image(image, FrozenImage::in_place)
    }

    /// Whether the trie's double array is read where it lies in a static image (see
    /// [`Jieba::from_static_image`]), for planatlas's tests.
    #[doc(hidden)]
    pub fn reads_table_in_place(&self) -> bool {
        self.trie.in_image()
    }

    /// The instance an image holds, its trie made by `make_trie` from the image's.
    fn read_image<'a>(
        image: &'a [u8],
        make_trie: impl FnOnce(FrozenImage<'a>) -> Result<Frozen, Error>,
    ) -> Result<Self, Error> {
        let mut r = Reader {
            bytes: image,
            image_len: image.len(),
        };
        if r.take(MAGIC.len())? != MAGIC || r.u32()? != VERSION {
            return Err(invalid("not a dictionary image of this version"));
        }
        let total = r.u64()? as usize;
        let tag_count = r.u32()? as usize;
        let mut tags: Vec<Box<str>> = Vec::with_capacity(tag_count.min(image.len()));
        let mut tag_ids = FxHashMap::default();
        for id in 0..tag_count {
            let len = r.u32()? as usize;
            let tag = std::str::from_utf8(r.take(len)?).map_err(|_| invalid("a tag is not UTF-8"))?;
            tags.push(tag.into());
            tag_ids.insert(Box::from(tag), id as u32);
        }
        let record_count = r.u32()? as usize;
        // Each record takes two bytes at least.
        if record_count.saturating_mul(2) > r.bytes.len() {
            return Err(invalid("fewer records than announced"));
        }
        let mut records = Vec::with_capacity(record_count);
        let mut large_freqs = FxHashMap::default();
        let mut log_freqs = Vec::with_capacity(record_count);
        let mut sum = Some(0usize);
        for id in 0..record_count {
            let freq = usize::try_from(r.varint()?).map_err(|_| invalid("a frequency is too large"))?;
            let tag = r.varint()?;
            if tag >= tags.len() as u64 {
                return Err(invalid("a record's tag is out of range"));
            }
            let packed = match u32::try_from(freq) {
                Ok(packed) if packed != LARGE_FREQ => packed,
                _ => {
                    large_freqs.insert(id as u32, freq);
                    LARGE_FREQ
                }
            };
            records.push(Record { freq: packed, tag: tag as u32 });
            log_freqs.push((freq as f64).ln());
            sum = sum.and_then(|sum| sum.checked_add(freq));
        }
        // The total is the frequencies' sum (`finish_load`); `add_word` subtracts from it.
        if sum != Some(total) {
            return Err(invalid("the total is not the sum of the frequencies"));
        }
        let trie = Frozen::read_image(&mut r, record_count)?;
        if !r.bytes.is_empty() {
            return Err(invalid("bytes after the trie"));
        }
        Ok(Jieba {
            records,
            large_freqs,
            log_freqs,
            tags,
            tag_ids,
            trie: Trie::Frozen(make_trie(trie)?),
            total,
            log_total: (total as f64).ln(),
            hmm_model: None,
        })
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

    /// An unsigned LEB128 number: seven bits a byte, low bits first.
    pub(crate) fn varint(&mut self) -> Result<u64, Error> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(invalid("a number is too long"))
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// How many bytes of the image have been read.
    pub(crate) fn offset(&self) -> usize {
        self.image_len - self.bytes.len()
    }
}

pub(crate) fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

pub(crate) fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(crate) fn invalid(what: &str) -> Error {
    Error::InvalidDictEntry(format!("dictionary image: {what}"))
}
