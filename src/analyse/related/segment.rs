//! Segmentation: each measure's text into its content words (jieba, keeping the glossary's
//! terms whole, boilerplate words dropped), and the words weighed as they are made.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::dictionary::jieba;
use super::lexicon::Lexicon;
use super::similarity_text;
use super::space::{self, Weighed};
use crate::analyse::stopwords::is_stopword;
use crate::model::Measure;

/// Segmented texts kept from one build to the next (in `serve`): each text with the byte
/// ranges of its words, a glossary term's range marked by its top bit; void when the glossary
/// changes.
#[derive(Default)]
pub struct SegmentCache {
    texts: Mutex<(u64, Segmented)>,
}

/// Each text with its words' byte ranges.
type Segmented = HashMap<String, Ranges>;

/// The byte ranges of a text's words.
type Ranges = Vec<(u32, u32)>;

/// Marks a range that a glossary term matched.
const GLOSSARY_BIT: u32 = 1 << 31;

/// The content words of each measure (slices of its text, or the name of the glossary
/// instrument a term stands for), segmented in parallel, followed by those of its `labels`
/// entry (the title of the section of a measure that has no heading of its own: the plan's own
/// word for what the measure is about). With a cache, only texts the previous build did not
/// segment are segmented, and the cache keeps this build's texts.
pub fn segment<'a>(
    measures: &[&'a Measure],
    labels: &[Option<&'a str>],
    lexicon: &Lexicon<'a>,
    cache: Option<&SegmentCache>,
) -> Vec<Vec<&'a str>> {
    use rayon::prelude::*;
    with_words(measures, labels, lexicon, cache, |words| {
        (0..measures.len())
            .into_par_iter()
            .map(|i| {
                let mut doc = Vec::new();
                words(i, &mut doc);
                doc
            })
            .collect()
    })
}

/// The words of [`segment`], weighed by [`weigh`] as each chunk of measures is segmented:
/// the segmented texts are never all held at once.
pub fn segment_and_weigh<'a>(
    measures: &[&'a Measure],
    labels: &[Option<&'a str>],
    lexicon: &Lexicon<'a>,
    cache: Option<&SegmentCache>,
) -> Weighed<'a> {
    with_words(measures, labels, lexicon, cache, |words| {
        space::weigh_each(measures.len(), words)
    })
}

/// Gives `consume` a function that writes measure `i`'s words (as [`segment`] describes them)
/// into a buffer; with a cache, updates it once `consume` is done.
fn with_words<'a, R>(
    measures: &[&'a Measure],
    labels: &[Option<&'a str>],
    lexicon: &Lexicon<'a>,
    cache: Option<&SegmentCache>,
    consume: impl FnOnce(&(dyn Fn(usize, &mut Vec<&'a str>) + Sync)) -> R,
) -> R {
    use rayon::prelude::*;
    let words = |text: &'a str, ranges: &[(u32, u32)], out: &mut Vec<&'a str>| {
        out.extend(ranges.iter().map(|(a, b)| {
            let word = &text[(a & !GLOSSARY_BIT) as usize..*b as usize];
            if a & GLOSSARY_BIT != 0 {
                lexicon.canonical(word).unwrap_or(word)
            } else {
                word
            }
        }));
    };
    let texts = |i: usize| {
        std::iter::once(similarity_text(measures[i])).chain(labels.get(i).copied().flatten())
    };
    let Some(cache) = cache else {
        // Nothing to keep for a next build: each text's words straight from its ranges, with
        // no list of every text's ranges beside them.
        return consume(&|i, out| {
            for text in texts(i) {
                words(text, &word_ranges(text, lexicon), out);
            }
        });
    };
    let (fingerprint, mut known) =
        std::mem::take(&mut *cache.texts.lock().unwrap_or_else(|e| e.into_inner()));
    if fingerprint != lexicon.fingerprint {
        known.clear();
    }
    // Texts the cache knows are looked up, not copied; only new ones are segmented.
    let fresh: Vec<Vec<Option<Ranges>>> = (0..measures.len())
        .into_par_iter()
        .map(|i| {
            texts(i)
                .map(|text| (!known.contains_key(text)).then(|| word_ranges(text, lexicon)))
                .collect()
        })
        .collect();
    let consumed = consume(&|i, out| {
        for (text, r) in texts(i).zip(&fresh[i]) {
            let ranges = r.as_deref().or_else(|| known.get(text).map(Vec::as_slice));
            words(text, ranges.unwrap_or_default(), out);
        }
    });
    let mut texts_now = 0;
    for (i, r) in fresh.into_iter().enumerate() {
        for (text, r) in texts(i).zip(r) {
            texts_now += 1;
            if let Some(r) = r {
                known.insert(text.to_string(), r);
            }
        }
    }
    // Texts edited away stay until they are as many as the current ones; then the cache
    // keeps only the current texts. Its size stays within twice the corpus's, and a rebuild
    // does not copy every text into a new map.
    if known.len() > 2 * texts_now {
        let current: std::collections::HashSet<&str> =
            (0..measures.len()).flat_map(texts).collect();
        known.retain(|text, _| current.contains(text.as_str()));
    }
    *cache.texts.lock().unwrap_or_else(|e| e.into_inner()) = (lexicon.fingerprint, known);
    consumed
}

/// The byte ranges of a text's content words: glossary terms whole (marked), the text between
/// them cut by jieba.
fn word_ranges(text: &str, lexicon: &Lexicon) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let cut = |from: usize, to: usize, out: &mut Vec<(u32, u32)>| {
        let piece = &text[from..to];
        let base = piece.as_ptr() as usize;
        for w in terms(piece) {
            let start = from + (w.as_ptr() as usize - base);
            out.push((start as u32, (start + w.len()) as u32));
        }
    };
    let mut at = 0;
    for (start, end, _) in lexicon.find(text) {
        cut(at, start, &mut out);
        out.push((start as u32 | GLOSSARY_BIT, end as u32));
        at = end;
    }
    cut(at, text.len(), &mut out);
    out
}

/// The content words of a text, as slices of it.
pub fn terms(text: &str) -> Vec<&str> {
    jieba()
        .cut(text, false)
        .into_iter()
        .map(|token| token.word)
        .filter(|w| {
            w.chars().nth(1).is_some()
                && w.chars().all(is_word_char)
                && !w.chars().all(|c| c.is_ascii_digit())
                && !is_stopword(w)
        })
        .collect()
}

/// Whether `c` is a letter or digit (`char::is_alphanumeric`), with the characters of the
/// measures' texts answered without the Unicode table search it makes for each character
/// beyond ASCII: CJK ideographs at once, CJK punctuation and full-width forms (，、（） and the
/// like, in every text) from a table made once by that same search.
pub(super) fn is_word_char(c: char) -> bool {
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric(),
        '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' => {
            static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
            let at = |c: u32| match c {
                0x3000..=0x303F => (c - 0x3000) as usize,
                _ => 0x40 + (c - 0xFF00) as usize,
            };
            TABLE.get_or_init(|| {
                let mut table = vec![false; 0x40 + 0xF0];
                for c in ('\u{3000}'..='\u{303F}').chain('\u{FF00}'..='\u{FFEF}') {
                    table[at(c as u32)] = c.is_alphanumeric();
                }
                table
            })[at(c as u32)]
        }
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::related::weigh;

    /// A build segments its texts without the cache that `serve` keeps; both give each measure
    /// the same words, whether the cache is cold, warm or kept from a corpus with other texts.
    #[test]
    fn segmenting_with_and_without_the_cache_gives_the_same_words() {
        let site = crate::content::bundled_site();
        let analysis = crate::analyse::analyse(&site, None);
        let measures: Vec<&Measure> = analysis
            .measures
            .iter()
            .map(|e| analysis.measure(&site, e))
            .collect();
        let labels = crate::analyse::labels(&site, &analysis.measures, &measures);
        let lexicon = Lexicon::new(&site.glossary);
        let plain = segment(&measures, &labels, &lexicon, None);
        assert_eq!(plain.len(), measures.len());
        assert!(plain.iter().filter(|d| !d.is_empty()).count() > measures.len() / 2);
        let cache = SegmentCache::default();
        let half = measures.len() / 2;
        let first = segment(&measures[half..], &labels[half..], &lexicon, Some(&cache));
        assert_eq!(first, plain[half..]);
        assert_eq!(segment(&measures, &labels, &lexicon, Some(&cache)), plain);
        assert_eq!(segment(&measures, &labels, &lexicon, Some(&cache)), plain);

        // Weighed as they are segmented (in several chunks: the real plans' 294 measures are
        // more than `MIN_WEIGH_CHUNK`), with or without the cache, the words weigh as the whole
        // segmented corpus does; a cold cache is filled on the way.
        let whole = weigh(&plain);
        let cold = SegmentCache::default();
        for cache in [None, Some(&cache), Some(&cold), Some(&cold)] {
            let fused = segment_and_weigh(&measures, &labels, &lexicon, cache);
            assert_eq!(fused.words, whole.words);
            assert_eq!(fused.df, whole.df);
            assert_eq!(fused.vectors, whole.vectors);
        }
        let filled = cold.texts.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(filled.0, lexicon.fingerprint);
        assert!(filled.1.contains_key(similarity_text(measures[0])));
    }

    #[test]
    fn word_characters_are_letters_and_digits() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric();
            assert_eq!(is_word_char(c), expected, "{c:?}");
        }
    }

    #[test]
    fn boilerplate_is_not_a_term() {
        let t = terms("支持金融机构推动数字人民币试点，加强供应链金融服务。");
        assert!(t.contains(&"数字人民币") || t.contains(&"人民币"), "{t:?}");
        assert!(t.contains(&"试点"), "{t:?}");
        for w in ["支持", "金融机构", "推动", "加强"] {
            assert!(!t.contains(&w), "{w} in {t:?}");
        }
    }
}
