//! The search tokenizer: how text becomes index terms (CJK bigrams, ASCII words), how terms
//! are counted per record, and which shard a term lives in.
//!
//! This is the one Rust file that must agree with the theme's `static/search.js`
//! (`themes/default/static/search.js`): the index holds the terms made here, the browser looks
//! up the terms `search.js` makes of the query, and a term made differently on one side is
//! never found. Change both together: both are tested against the cases of
//! `tokenize_cases.json`, this file by its unit tests and `search.js` in node
//! (`tests/browser/tokenizer.mjs`).

use rustc_hash::FxHashMap;

use super::records::Record;
use super::TITLE_WEIGHT;
use crate::util::hash::{fnv1a32_chars, fnv1a64};

/// The longest ASCII word indexed, in characters.
const MAX_WORD: usize = 32;

/// Whether a character is written without spaces between words (Han, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Full-width ASCII as ASCII, ASCII lowercased; everything else unchanged.
fn fold(c: char) -> char {
    crate::util::text::fullwidth_to_ascii(c).to_ascii_lowercase()
}

/// A term as a number, so that counting needs no string per token: a CJK unigram or bigram
/// packs its code points (21 bits each; bit 63 clear), an ASCII word is its 62-bit FNV hash
/// with bit 63 set (the word itself is kept once, for writing).
pub(super) type TermKey = u64;

fn cjk_key(a: char, b: Option<char>) -> TermKey {
    ((a as u64) << 21) | b.map_or(0, |b| b as u64)
}

fn word_key(word: &str) -> TermKey {
    (1 << 63) | (fnv1a64(word.as_bytes()) >> 2)
}

/// The term a key stands for.
pub(super) fn key_text(key: TermKey, words: &FxHashMap<TermKey, String>) -> String {
    if key >> 63 == 1 {
        return words.get(&key).cloned().unwrap_or_default();
    }
    let a = char::from_u32((key >> 21) as u32).unwrap_or('\u{fffd}');
    let b = (key & 0x1F_FFFF) as u32;
    let mut s = String::from(a);
    if b != 0 {
        s.push(char::from_u32(b).unwrap_or('\u{fffd}'));
    }
    s
}

/// Splits text into terms, calling `emit` for each: CJK runs give their bigrams (a lone
/// character gives itself), ASCII letter-and-digit runs give the lowercased word.
fn tokenize(text: &str, mut emit: impl FnMut(TermKey, Option<&str>)) {
    let mut prev_cjk: Option<char> = None;
    let mut run_len = 0usize;
    let mut word = String::new();
    let flush_cjk =
        |prev: Option<char>, len: usize, emit: &mut dyn FnMut(TermKey, Option<&str>)| {
            if len == 1 {
                if let Some(p) = prev {
                    emit(cjk_key(p, None), None);
                }
            }
        };
    for raw in text.chars() {
        let c = fold(raw);
        if is_cjk(c) {
            if !word.is_empty() {
                emit_word(&word, &mut emit);
                word.clear();
            }
            if let Some(p) = prev_cjk {
                emit(cjk_key(p, Some(c)), None);
            }
            prev_cjk = Some(c);
            run_len += 1;
        } else {
            flush_cjk(prev_cjk, run_len, &mut emit);
            prev_cjk = None;
            run_len = 0;
            if c.is_ascii_alphanumeric() {
                word.push(c);
            } else if !word.is_empty() {
                emit_word(&word, &mut emit);
                word.clear();
            }
        }
    }
    flush_cjk(prev_cjk, run_len, &mut emit);
    if !word.is_empty() {
        emit_word(&word, &mut emit);
    }
}

fn emit_word(word: &str, emit: &mut impl FnMut(TermKey, Option<&str>)) {
    let word = match word.char_indices().nth(MAX_WORD) {
        Some((at, _)) => &word[..at],
        None => word,
    };
    emit(word_key(word), Some(word));
}

/// The 32-bit FNV-1a hash over code points that picks a term's shard (as in `search.js`).
pub(super) fn shard_hash(term: &str) -> u32 {
    fnv1a32_chars(term)
}

/// A record's terms with their counts, its length in terms, and the CJK characters it holds
/// inside words (runs of two or more), for single-character queries.
pub(super) struct Counted {
    /// Term and count, grouped by the postings map each goes to ([`super::part_of`]).
    terms: Vec<(TermKey, u32)>,
    /// Where each map's group starts in `terms`, and the end.
    part_starts: [u32; super::PARTS + 1],
    pub(super) words: Vec<(TermKey, String)>,
    pub(super) length: u32,
    pub(super) chars: Vec<char>,
}

impl Counted {
    /// The terms whose postings go to map `part`, with their counts.
    pub(super) fn terms_of_part(&self, part: usize) -> &[(TermKey, u32)] {
        &self.terms[self.part_starts[part] as usize..self.part_starts[part + 1] as usize]
    }
}

/// The CJK characters of `text` that stand inside a run of two or more (a lone character is a
/// term of its own already), folded as the tokenizer folds them.
fn inner_chars(text: &str, out: &mut Vec<char>) {
    // Each CJK character goes straight into `out`; a run that ends one character long takes
    // its character back out.
    let mut run = 0;
    for raw in text.chars() {
        let c = fold(raw);
        if is_cjk(c) {
            out.push(c);
            run += 1;
        } else {
            if run == 1 {
                out.pop();
            }
            run = 0;
        }
    }
    if run == 1 {
        out.pop();
    }
}

pub(super) fn count_terms(r: &Record) -> Counted {
    count_pieces(&r.title, r.texts())
}

/// The counts of a record of this title and text.
pub(super) fn count_texts(title: &str, content: &str) -> Counted {
    count_pieces(title, std::iter::once(content))
}

/// The counts of a record of this title and a text in pieces, a line break between each and
/// the next (no term spans a line break, so the pieces are counted one after the other).
fn count_pieces<'t>(title: &str, content: impl Iterator<Item = &'t str> + Clone) -> Counted {
    // Sized at once for about as many terms as the texts can hold (a CJK pair starts every
    // three bytes, an ASCII term takes two with what ends it): grown from empty, the map was
    // rehashed six times a record. The order of its terms is free (see below). The pieces
    // count as the text they make with their line breaks.
    let (bytes, pieces) = content
        .clone()
        .fold((0, 0), |(bytes, pieces), c| (bytes + c.len(), pieces + 1));
    let most = (title.len() + bytes + pieces.max(1) - 1) / 2;
    let mut counts: FxHashMap<TermKey, u32> =
        FxHashMap::with_capacity_and_hasher(most, Default::default());
    let mut words: Vec<(TermKey, String)> = Vec::new();
    let mut length = 0u32;
    let texts = std::iter::once((title, TITLE_WEIGHT)).chain(content.clone().map(|c| (c, 1)));
    for (text, weight) in texts {
        tokenize(text, |key, word| {
            *counts.entry(key).or_insert(0) += weight;
            length += weight;
            if let Some(w) = word {
                words.push((key, w.to_string()));
            }
        });
    }
    // Grouped by postings map, so that the thread filling a map reads only its own terms: by
    // counting, not sorting (a tenth of the instructions). The order within a group is free:
    // each term's postings get one entry per record, in record order, and each shard of the
    // index is sorted by term before it is written.
    let mut part_starts = [0u32; super::PARTS + 1];
    for key in counts.keys() {
        part_starts[super::part_of(*key) + 1] += 1;
    }
    for p in 0..super::PARTS {
        part_starts[p + 1] += part_starts[p];
    }
    let mut next = part_starts;
    let mut terms: Vec<(TermKey, u32)> = vec![(0, 0); counts.len()];
    for (key, count) in counts {
        let at = &mut next[super::part_of(key)];
        terms[*at as usize] = (key, count);
        *at += 1;
    }
    let mut chars = Vec::new();
    inner_chars(title, &mut chars);
    for piece in content {
        inner_chars(piece, &mut chars);
    }
    chars.sort_unstable();
    chars.dedup();
    Counted {
        terms,
        part_starts,
        words,
        length,
        chars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose text comes in two pieces counts as the text they make, joined by a line
    /// break: CJK runs and words that end or start at the break, lone characters beside it.
    #[test]
    fn a_text_in_pieces_counts_as_the_whole() {
        for (content, after) in [
            ("推进数字人民币试点", "市金融局、人民银行"),
            ("发展 LPR", "5G"),
            ("碳", "汇"),
            ("", "科技金融"),
            ("绿色金融", ""),
            ("", ""),
        ] {
            let record = Record {
                url: String::new(),
                title: "标题 QFLP".into(),
                kind: "举措",
                plan: None,
                place: String::new(),
                themes: Vec::new(),
                content: content.into(),
                after: Some(after.to_string()),
            };
            let pieces = count_terms(&record);
            let whole = count_texts(&record.title, &record.text());
            let sorted = |c: &Counted| {
                let mut terms = c.terms.clone();
                terms.sort_unstable();
                terms
            };
            assert_eq!(sorted(&pieces), sorted(&whole), "{content:?} {after:?}");
            assert_eq!(pieces.words, whole.words);
            assert_eq!((pieces.length, &pieces.chars), (whole.length, &whole.chars));
        }
    }

    fn terms(text: &str) -> Vec<String> {
        let mut words = FxHashMap::default();
        let mut keys = Vec::new();
        tokenize(text, |k, w| {
            if let Some(w) = w {
                words.insert(k, w.to_string());
            }
            keys.push(k);
        });
        keys.iter().map(|k| key_text(*k, &words)).collect()
    }

    #[test]
    fn chinese_is_indexed_as_bigrams_and_ascii_as_words() {
        assert_eq!(terms("数字人民币"), ["数字", "字人", "人民", "民币"]);
        assert_eq!(terms("推进5G应用"), ["推进", "5g", "应用"]);
        assert_eq!(terms("ＬＰＲ改革，税"), ["lpr", "改革", "税"]);
        assert_eq!(terms("“十四五”"), ["十四", "四五"]);
    }

    #[derive(serde::Deserialize)]
    struct Cases {
        cases: Vec<Case>,
    }

    #[derive(serde::Deserialize)]
    struct Case {
        text: String,
        terms: Vec<String>,
    }

    /// The cases `search.js` is held to as well (`tests/browser/tokenizer.mjs`): both sides
    /// passing them is what makes a query's terms the index's terms.
    #[test]
    fn the_shared_cases() {
        let fixture: Cases = serde_json::from_str(include_str!("tokenize_cases.json")).unwrap();
        let wrong: Vec<String> = fixture
            .cases
            .iter()
            .filter_map(|c| {
                let got = terms(&c.text);
                (got != c.terms)
                    .then(|| format!("{:?}: expected {:?}, got {got:?}", c.text, c.terms))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The cut at MAX_WORD is pinned in the file: a new MAX_WORD must change it, and
        // search.js with it.
        assert!(fixture
            .cases
            .iter()
            .flat_map(|c| &c.terms)
            .any(|t| t.chars().count() == MAX_WORD));
    }

    #[test]
    fn characters_inside_words_are_listed_once_and_lone_ones_not() {
        let mut out = Vec::new();
        inner_chars("低碳发展，碳。ＱＦＬＰ试点", &mut out);
        assert_eq!(out, ['低', '碳', '发', '展', '试', '点']);
        // A lone character at the very end, after what the list already holds.
        inner_chars("试点，碳", &mut out);
        assert_eq!(out, ['低', '碳', '发', '展', '试', '点', '试', '点']);
        out.clear();
        inner_chars("碳", &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn shard_hash_is_fnv1a_over_code_points() {
        assert_eq!(shard_hash(""), 0x811c_9dc5);
        // Fixed values: search.js must compute the same.
        assert_eq!(shard_hash("a"), 0xe40c_292c);
        assert_eq!(shard_hash("金融"), shard_hash("金融"));
    }
}
