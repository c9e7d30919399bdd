//! (planatlas) Each word's frequency and its log, in the form a dictionary is built in or the
//! smaller one an image holds.
//!
//! The segmenter reads a word's log frequency for every word it finds at every character. Kept
//! per word, those are 8 bytes for each of the default dictionary's 349,045 words (2.8 MB), and
//! a build of a few hundred measures already reads a number on every page of them. But the
//! dictionary has only 5,087 distinct frequencies: an image gives each word the number of its
//! frequency's class (2 bytes, read where it lies in the program file) and holds each class's
//! frequency and log once, made when the dictionary was loaded. The segmenter reads the very
//! numbers it read before, one step further away.
//!
//! The first change of a word's frequency, or a new word, thaws the classes back into numbers
//! per word (`Weights::words`), as the first change of the trie thaws it into its hash table.

use crate::errors::Error;
use crate::table::Table;
use crate::FxHashMap;

/// A word's frequency in `Words` when it does not fit in 32 bits (the default dictionary's
/// largest is under a million, but `add_word` takes any); kept whole in `large_freqs`.
const LARGE_FREQ: u32 = u32::MAX;

/// How many classes of frequency an image may have: a word's class is a `u16`.
pub(crate) const MAX_CLASSES: usize = 1 << 16;

#[derive(Clone)]
pub(crate) enum Weights {
    /// Per word, by word id: as loading a text dictionary, `add_word` and the like make them.
    Words {
        /// The frequency, or `LARGE_FREQ`.
        freqs: Vec<u32>,
        /// The frequencies that do not fit in `freqs`.
        large_freqs: FxHashMap<u32, usize>,
        /// `ln` of the frequency.
        log_freqs: Vec<f64>,
    },
    /// As an image holds them: each word's class, and each class's frequency and its log.
    Classes {
        class_of: Table<u16>,
        freqs: Vec<usize>,
        log_freqs: Vec<f64>,
    },
}

impl Default for Weights {
    fn default() -> Self {
        Weights::Words {
            freqs: Vec::new(),
            large_freqs: FxHashMap::default(),
            log_freqs: Vec::new(),
        }
    }
}

impl Weights {
    /// How many words.
    pub(crate) fn len(&self) -> usize {
        match self {
            Weights::Words { freqs, .. } => freqs.len(),
            Weights::Classes { class_of, .. } => class_of.get().len(),
        }
    }

    /// The frequency of the word `id`.
    #[inline]
    pub(crate) fn freq(&self, id: usize) -> usize {
        match self {
            Weights::Words { freqs, large_freqs, .. } => match freqs[id] {
                LARGE_FREQ => large_freqs[&(id as u32)],
                freq => freq as usize,
            },
            Weights::Classes { class_of, freqs, .. } => freqs[usize::from(class_of.get()[id])],
        }
    }

    /// The log frequency of the word `id`. (Which form is asked at every word the segmenter
    /// finds; it is always the same, so the branch is always predicted, beside a load from a
    /// place that cannot be.)
    #[inline(always)]
    pub(crate) fn log_freq(&self, id: usize) -> f64 {
        match self {
            Weights::Words { log_freqs, .. } => log_freqs[id],
            Weights::Classes {
                class_of, log_freqs, ..
            } => log_freqs[usize::from(class_of.get()[id])],
        }
    }

    /// Room for `n` more words.
    pub(crate) fn reserve(&mut self, n: usize) {
        let (freqs, _, log_freqs) = self.words();
        freqs.reserve(n);
        log_freqs.reserve(n);
    }

    /// Sets the frequency of the word `id`.
    pub(crate) fn set(&mut self, id: usize, freq: usize) {
        let (freqs, large_freqs, log_freqs) = self.words();
        freqs[id] = packed(large_freqs, id, freq);
        log_freqs[id] = (freq as f64).ln();
    }

    /// Adds a word of frequency `freq`, the next id.
    pub(crate) fn push(&mut self, freq: usize) {
        let (freqs, large_freqs, log_freqs) = self.words();
        let id = freqs.len();
        freqs.push(packed(large_freqs, id, freq));
        log_freqs.push((freq as f64).ln());
    }

    /// The numbers per word, thawed from classes first if they are in that form: every word
    /// gets its class's frequency and log.
    fn words(&mut self) -> (&mut Vec<u32>, &mut FxHashMap<u32, usize>, &mut Vec<f64>) {
        if let Weights::Classes {
            class_of,
            freqs: class_freqs,
            log_freqs: class_logs,
        } = self
        {
            let class_of = class_of.get();
            let mut large_freqs = FxHashMap::default();
            let freqs = (0..class_of.len())
                .map(|id| packed(&mut large_freqs, id, class_freqs[usize::from(class_of[id])]))
                .collect();
            let log_freqs = class_of.iter().map(|&c| class_logs[usize::from(c)]).collect();
            *self = Weights::Words {
                freqs,
                large_freqs,
                log_freqs,
            };
        }
        match self {
            Weights::Words {
                freqs,
                large_freqs,
                log_freqs,
            } => (freqs, large_freqs, log_freqs),
            Weights::Classes { .. } => unreachable!("thawed above"),
        }
    }

    /// The classes an image holds: each word's, and each class's frequency and log, the classes
    /// numbered in the order of their first word. An error beyond `MAX_CLASSES` classes.
    pub(crate) fn classes(&self) -> Result<(Vec<u16>, Vec<usize>, Vec<f64>), Error> {
        let log_freqs = match self {
            Weights::Classes {
                class_of,
                freqs,
                log_freqs,
            } => return Ok((class_of.get().to_vec(), freqs.clone(), log_freqs.clone())),
            Weights::Words { log_freqs, .. } => log_freqs,
        };
        let mut class_by_freq: FxHashMap<usize, u16> = FxHashMap::default();
        let (mut class_of, mut freqs, mut logs) = (Vec::with_capacity(self.len()), Vec::new(), Vec::new());
        for id in 0..self.len() {
            let freq = self.freq(id);
            let class = match class_by_freq.get(&freq) {
                Some(&class) => class,
                None => {
                    let class = u16::try_from(freqs.len()).map_err(|_| {
                        Error::InvalidDictEntry(format!(
                            "dictionary image: more than {MAX_CLASSES} distinct frequencies"
                        ))
                    })?;
                    class_by_freq.insert(freq, class);
                    freqs.push(freq);
                    // Every word of a frequency has the same log (`ln` of it): the first's.
                    logs.push(log_freqs[id]);
                    class
                }
            };
            class_of.push(class);
        }
        Ok((class_of, freqs, logs))
    }

    /// Whether the classes are read where they lie in a static image.
    pub(crate) fn in_image(&self) -> bool {
        matches!(self, Weights::Classes { class_of, .. } if class_of.in_image())
    }
}

/// `freq` as `Words` holds it for the word `id`, kept whole in `large_freqs` when it does not
/// fit.
fn packed(large_freqs: &mut FxHashMap<u32, usize>, id: usize, freq: usize) -> u32 {
    match u32::try_from(freq) {
        Ok(packed) if packed != LARGE_FREQ => {
            if !large_freqs.is_empty() {
                large_freqs.remove(&(id as u32));
            }
            packed
        }
        _ => {
            large_freqs.insert(id as u32, freq);
            LARGE_FREQ
        }
    }
}
