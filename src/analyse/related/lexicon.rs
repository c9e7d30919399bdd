//! The glossary as the segmenter and the scorer use it: every name of an instrument (and every
//! word to keep whole) is found in a text in one pass, read as one word, and every name of the
//! same instrument as the same word.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::glossary::Glossary;

/// The glossary compiled for matching.
pub struct Lexicon<'a> {
    matcher: Option<AhoCorasick>,
    /// By pattern number: the word the term stands for (the instrument's name, or the word).
    targets: Vec<&'a str>,
    /// Any spelling (lowercased) → its target, for texts segmented in an earlier build.
    by_term: FxHashMap<String, &'a str>,
    /// The instruments' names (the words their terms stand for), asked of every word of the
    /// vocabulary.
    instruments: FxHashSet<&'a str>,
    /// Changes whenever the glossary does: segmentations cached under another glossary are void.
    pub(super) fingerprint: u64,
}

impl<'a> Lexicon<'a> {
    pub fn new(glossary: &'a Glossary) -> Self {
        let mut patterns: Vec<&'a str> = Vec::new();
        let mut targets = Vec::new();
        for instrument in &glossary.instrument {
            for term in std::iter::once(&instrument.name).chain(&instrument.aliases) {
                patterns.push(term);
                targets.push(instrument.name.as_str());
            }
        }
        for word in &glossary.words {
            patterns.push(word);
            targets.push(word.as_str());
        }
        let fingerprint = patterns
            .iter()
            .fold(crate::util::hash::FNV64_OFFSET, |h, p| {
                crate::util::hash::fnv1a64_from(h, p.as_bytes()) ^ 0xff
            });
        let by_term = patterns
            .iter()
            .zip(&targets)
            .map(|(p, t)| (p.to_ascii_lowercase(), *t))
            .collect();
        // Leftmost-longest: 碳排放权交易 wins over 碳排放权 where both are listed. ASCII case is
        // ignored (REITs, REITS).
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&patterns)
                .expect("glossary terms are plain strings")
        });
        let instruments = glossary
            .instrument
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        Lexicon {
            matcher,
            instruments,
            targets,
            by_term,
            fingerprint,
        }
    }

    /// The glossary terms in `text`, left to right, not overlapping: byte ranges and the word
    /// each stands for.
    pub(super) fn find(&self, text: &str) -> Vec<(usize, usize, &'a str)> {
        match &self.matcher {
            Some(m) => m
                .find_iter(text)
                .map(|m| (m.start(), m.end(), self.targets[m.pattern().as_usize()]))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The word a glossary term found in a text by an earlier build stands for.
    pub(super) fn canonical(&self, found: &str) -> Option<&'a str> {
        self.by_term.get(&found.to_ascii_lowercase()).copied()
    }

    /// Whether `word` (a canonical word) is an instrument's name.
    pub(super) fn is_instrument(&self, word: &str) -> bool {
        self.instruments.contains(word)
    }
}
