//! A text held once and read in two places.
//!
//! A measure's body is Markdown; its plain text is the heading followed by the body without
//! markup. Most bodies are one line of plain text (a paragraph of one line without markup),
//! which is then the plain text's tail: such a body is kept as that part of the plain text
//! rather than as a copy of it (at a million measures, 630 MB of the model's 2 GB).

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A string, or a part of a string shared with other holders. Reads as the `str` it stands for.
#[derive(Clone)]
pub struct SharedText {
    all: Arc<str>,
    start: u32,
    end: u32,
}

impl SharedText {
    /// The part `range` of `all`, sharing it. `None` when `range` is not a slice of `all` (off
    /// its character boundaries, or past its end) or does not fit in 32 bits.
    pub(crate) fn part(all: &Arc<str>, range: Range<usize>) -> Option<SharedText> {
        all.get(range.clone())?;
        Some(SharedText {
            all: Arc::clone(all),
            start: u32::try_from(range.start).ok()?,
            end: u32::try_from(range.end).ok()?,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.all[self.start as usize..self.end as usize]
    }

    fn whole(all: Arc<str>) -> Self {
        // Content files are read up to 8 MiB (`util::fs::MAX_FILE_BYTES`), and every text of
        // the model is made of one.
        let end = u32::try_from(all.len()).expect("a content text is shorter than 4 GiB");
        SharedText { all, start: 0, end }
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText::whole(Arc::from(text))
    }
}

impl From<&str> for SharedText {
    /// Copied once, straight into its shared allocation.
    fn from(text: &str) -> Self {
        SharedText::whole(Arc::from(text))
    }
}

impl Default for SharedText {
    fn default() -> Self {
        SharedText::from(String::new())
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_reads_as_its_slice_and_shares_the_whole() {
        let all: Arc<str> = Arc::from("标题。正文一段");
        let part = SharedText::part(&all, 9..all.len()).expect("a part on boundaries");
        assert_eq!(&*part, "正文一段");
        assert_eq!(Arc::strong_count(&all), 2);
        assert_eq!(part, SharedText::from("正文一段"));
        assert_eq!(format!("{part:?}"), "\"正文一段\"");
    }

    #[test]
    fn a_part_that_is_not_a_slice_is_refused() {
        let all: Arc<str> = Arc::from("标题");
        // Off a character boundary, and past the end.
        assert!(SharedText::part(&all, 1..6).is_none());
        assert!(SharedText::part(&all, 0..7).is_none());
    }
}
