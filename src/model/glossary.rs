//! The instrument glossary (`content/glossary.toml`): policy instruments with the other names and
//! abbreviations plans use for them, and words the segmenter must keep whole.
//!
//! The related-measures analysis reads every name of an instrument as the instrument itself (a
//! shared instrument is strong evidence that two measures are about the same thing, and it is
//! the reason shown to readers); `words` only keep terms such as 区块链 in one piece.

use serde::Deserialize;

/// `content/glossary.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    #[serde(default)]
    pub instrument: Vec<Instrument>,
    /// Terms kept whole when texts are cut into words, without being instruments.
    #[serde(default)]
    pub words: Vec<String>,
}

/// One instrument: the name readers see, and the other names of the same thing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Glossary {
    pub fn is_empty(&self) -> bool {
        self.instrument.is_empty() && self.words.is_empty()
    }
}
