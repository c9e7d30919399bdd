//! Why two measures are related, in words a reader understands: the instruments they share,
//! then their shared key phrases, each grown to the longest stretch of text both measures write
//! the same way around it, so that a word the segmenter cut short (有限 and 合伙人 of
//! 合格境外有限合伙人) is shown whole. Terms the segmenter must never cut (区块链) belong in the
//! glossary's `words`.

use rustc_hash::FxHashMap;

use super::space::{Scatter, Space};

/// What one thread reuses from link to link: buffers, so that a reason costs no allocation but
/// its own text.
#[derive(Default)]
pub(super) struct Scratch {
    shared: Vec<(f64, u32)>,
    first: Vec<(f64, u32)>,
}

thread_local! {
    /// The phrases this thread has trimmed to whole words. The same phrases recur across links
    /// and segmenting is the cost; the answer depends on the phrase alone (the segmenter's
    /// dictionary is built in, and glossary terms never reach it), so each thread keeps one
    /// table for all its links, from build to build in `serve`.
    static TRIMMED: std::cell::RefCell<Trimmed> = Default::default();
}

/// Phrases trimmed to whole words, at most [`MOST_TRIMMED`] of them.
#[derive(Default)]
struct Trimmed {
    /// A grown phrase, where its word starts and its length (as characters appended to the
    /// phrase) → the whole-word range of the phrase, in characters.
    phrases: FxHashMap<String, (usize, usize)>,
    /// The key being looked up, reused from lookup to lookup.
    key: String,
}

impl Trimmed {
    /// [`whole_words`] of the phrase, trimmed once; a full table is replaced by an empty one.
    fn whole_words(&mut self, phrase: &str, word_start: usize, word_len: usize) -> (usize, usize) {
        let key = &mut self.key;
        key.clear();
        key.push_str(phrase);
        key.extend([word_start, word_len].map(|n| char::from_u32(n as u32).unwrap_or('\0')));
        if let Some(range) = self.phrases.get(key.as_str()) {
            return *range;
        }
        if self.phrases.len() >= MOST_TRIMMED {
            // Replaced, not cleared: a cleared table keeps its memory.
            self.phrases = FxHashMap::default();
        }
        let range = whole_words(phrase, word_start, word_len);
        self.phrases.insert(key.clone(), range);
        range
    }
}

/// The most phrases a thread keeps trimmed: about 2 MB per thread.
const MOST_TRIMMED: usize = 1 << 14;

/// At most this many parts in a reason.
const PARTS: usize = 3;
/// At most this many words are read for a reason.
pub(super) const READ: usize = PARTS + 1;
/// A key phrase grows to at most this many characters.
const LONGEST_PHRASE: usize = 12;
/// Characters a key phrase neither starts nor ends with: they join words, they are none.
const JOINERS: &[char] = &[
    '的', '和', '与', '及', '等', '在', '对', '为', '并', '或', '以', '于', '了', '是', '将', '向',
];

/// The shared words a reason of the link from `a` (loaded in `query`) to `b` reads, in the
/// order it reads them: a reason is a function of these words (and whether each is an
/// instrument), of the two texts and of whether the link is pinned, and of nothing else.
pub(super) fn read_words<'s>(
    space: &Space,
    query: &Scatter,
    b: usize,
    scratch: &'s mut Scratch,
) -> &'s [(f64, u32)] {
    let shared = &mut scratch.shared;
    space.shared(query, b, shared);
    // Instruments first, then the weightiest, then by word: a total order, as each word is
    // shared once.
    let before = |x: &(f64, u32), y: &(f64, u32)| {
        let (ix, iy) = (
            space.instrument[x.1 as usize],
            space.instrument[y.1 as usize],
        );
        // The words are compared only on a tie (`then_with`): most pairs differ in weight.
        iy.cmp(&ix)
            .then(y.0.total_cmp(&x.0))
            .then_with(|| space.words[x.1 as usize].cmp(space.words[y.1 as usize]))
            .is_lt()
    };
    // Only the first few are read.
    first_in_order(shared, READ, before, &mut scratch.first);
    &scratch.first
}

/// The reason shown for a link that reads the words `read` ([`read_words`]), from the texts
/// of its two measures as the analysis read them.
pub(super) fn reason_of(
    space: &Space,
    read: &[(f64, u32)],
    text_a: &str,
    text_b: &str,
    pinned: bool,
) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(PARTS + 1);
    if pinned {
        parts.push("编辑指定");
    }
    // The weightiest shared words are enough to find three parts; the rest only cost time.
    for (_, term) in read {
        if parts.len() >= PARTS + usize::from(pinned) {
            break;
        }
        let word = space.words[*term as usize];
        let phrase = if space.instrument[*term as usize] {
            word
        } else {
            grow(word, text_a, text_b)
        };
        if parts.iter().any(|p| holds(p, phrase)) {
            continue;
        }
        // A longer phrase replaces the shorter ones it contains.
        parts.retain(|p| *p == "编辑指定" || !holds(phrase, p));
        parts.push(phrase);
    }
    parts.join(" · ")
}

/// The first `n` of `items` by `before` (a strict total order), in that order, into `out`. They
/// are kept in order as the items go by (a candidate shares about a dozen words with a measure),
/// which gives what ordering them all and taking the first `n` gives, at a smaller cost.
fn first_in_order<T: Copy>(
    items: &[T],
    n: usize,
    before: impl Fn(&T, &T) -> bool,
    out: &mut Vec<T>,
) {
    out.clear();
    if n == 0 {
        return;
    }
    for item in items {
        if out.len() == n && !before(item, &out[n - 1]) {
            continue;
        }
        // A few kept: searched from the front, which the compiler writes out in line.
        let at = out
            .iter()
            .position(|kept| !before(kept, item))
            .unwrap_or(out.len());
        if out.len() == n {
            out.pop();
        }
        out.insert(at, *item);
    }
}

/// `word` grown to the longest run of characters around one of its places in `a` that stands
/// the same around one of its places in `b`, without punctuation and without a joining
/// character at either end: a slice of `a`, or `word` itself.
fn grow<'t>(word: &'t str, a: &'t str, b: &str) -> &'t str {
    let w_len = word.chars().count();
    let joins = super::is_word_char;
    let mut best: Option<(&str, usize)> = None;
    // The first four places in each text, left to right and not overlapping, as
    // `str::match_indices` finds them.
    let finder = Places::new(word);
    let mut in_b = [0usize; 4];
    let mut found_b = 0;
    for (slot, pb) in in_b.iter_mut().zip(finder.iter(b)) {
        *slot = pb;
        found_b += 1;
    }
    for pa in finder.iter(a).take(4) {
        for &pb in &in_b[..found_b] {
            // The characters both texts share before the word (nearest first) and after it,
            // counted and measured in bytes of `a`.
            let (mut head, mut head_bytes) = (0, 0);
            for (x, y) in a[..pa].chars().rev().zip(b[..pb].chars().rev()) {
                if x != y || !joins(x) || head + 1 + w_len > LONGEST_PHRASE {
                    break;
                }
                head += 1;
                head_bytes += x.len_utf8();
            }
            let (mut tail, mut tail_bytes) = (0, 0);
            let word_end = pa + word.len();
            for (x, y) in a[word_end..].chars().zip(b[pb + word.len()..].chars()) {
                if x != y || !joins(x) || head + w_len + tail + 1 > LONGEST_PHRASE {
                    break;
                }
                tail += 1;
                tail_bytes += x.len_utf8();
            }
            if head == 0 && tail == 0 {
                continue;
            }
            // Trim joining characters the growth took in, but never into the word itself: a
            // joiner inside the grown head keeps only what follows it, the first joiner in the
            // tail ends it.
            let head_text = &a[pa - head_bytes..pa];
            let (lead_bytes, lead) = match head_text
                .char_indices()
                .rev()
                .find(|(_, c)| JOINERS.contains(c))
            {
                Some((k, c)) => (k + c.len_utf8(), head_text[..k].chars().count() + 1),
                None => (0, 0),
            };
            let tail_text = &a[word_end..word_end + tail_bytes];
            let tail_keep = tail_text
                .char_indices()
                .find(|(_, c)| JOINERS.contains(c))
                .map_or(tail_bytes, |(k, _)| k);
            let phrase = &a[pa - head_bytes + lead_bytes..word_end + tail_keep];
            let phrase_len = head - lead + w_len + tail_text[..tail_keep].chars().count();
            let best_len = best.map_or(w_len, |(_, len)| len);
            if phrase_len <= best_len {
                continue;
            }
            // Only a phrase that grew needs trimming to whole words (the segmenter is the cost).
            let word_start = head - lead;
            let (from, to) =
                TRIMMED.with_borrow_mut(|trimmed| trimmed.whole_words(phrase, word_start, w_len));
            if to - from > best_len {
                let mut at = phrase.char_indices().map(|(k, _)| k).chain([phrase.len()]);
                let start = at.nth(from).unwrap_or(0);
                let end = at.nth(to - from - 1).unwrap_or(phrase.len());
                best = Some((&phrase[start..end], to - from));
            }
        }
    }
    best.map_or(word, |(phrase, _)| phrase)
}

/// Finds a word's places in a text: the byte offsets `str::match_indices` gives, left to
/// right and not overlapping (a match of whole UTF-8 text always starts on a character
/// boundary, so bytes are compared). The words are a few characters and the texts a few
/// hundred bytes: a search by two of the word's bytes at once (memchr's packed pair, with
/// AVX2) is prepared in a tenth of the instructions of a general substring search (`memmem`,
/// which also prepares for long needles), and what is shorter than one vector is compared
/// byte by byte.
struct Places<'w> {
    word: &'w [u8],
    #[cfg(target_arch = "x86_64")]
    pair: Option<memchr::arch::x86_64::avx2::packedpair::Finder>,
}

impl<'w> Places<'w> {
    /// A finder for `word`, which is not empty.
    fn new(word: &'w str) -> Self {
        let word = word.as_bytes();
        Places {
            word,
            #[cfg(target_arch = "x86_64")]
            pair: memchr::arch::x86_64::avx2::packedpair::Finder::new(word),
        }
    }

    /// The first place at or after byte `from` of `text`.
    fn first(&self, text: &[u8], from: usize) -> Option<usize> {
        let rest = text.get(from..)?;
        if self.word.is_empty() {
            return None;
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(pair) = &self.pair {
            if rest.len() >= pair.min_haystack_len() {
                return pair.find(rest, self.word).map(|p| from + p);
            }
        }
        rest.windows(self.word.len())
            .position(|w| w == self.word)
            .map(|p| from + p)
    }

    fn iter<'s>(&'s self, text: &'s str) -> impl Iterator<Item = usize> + 's {
        let text = text.as_bytes();
        let mut from = 0;
        std::iter::from_fn(move || {
            let at = self.first(text, from)?;
            from = at + self.word.len();
            Some(at)
        })
    }
}

/// Whether `part` holds `phrase`, as `str::contains` answers, comparing bytes: both are a few
/// characters.
fn holds(part: &str, phrase: &str) -> bool {
    phrase.is_empty()
        || part
            .as_bytes()
            .windows(phrase.len())
            .any(|w| w == phrase.as_bytes())
}

/// The range of `phrase` (in characters) without what the growth took in at either end that
/// says nothing: a single character that is not a word of its own there (培育法 of 培育法人,
/// 金融科技研 of 金融科技研发) or a verb or function word at its head (提升 of 提升金融监管).
/// The segmenter decides what a word is; the word the phrase grew from (at `word_start`,
/// `word_len` characters) always stays.
fn whole_words(phrase: &str, word_start: usize, word_len: usize) -> (usize, usize) {
    // Each token's character range, whether it is one character, whether it is a verb, adverb
    // or function word (what a phrase should not start with).
    // A one-character token is trimmed whatever its tag: characters the dictionary does not
    // know are tagged `x` (the segmenter runs without its HMM tagger, vendor/jieba-rs).
    let mut tokens: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut at = 0;
    for token in super::jieba().tag(phrase, false) {
        let len = token.word.chars().count();
        let leading = ["v", "d", "p", "c", "u"]
            .iter()
            .any(|t| token.tag.starts_with(t));
        tokens.push((at, at + len, len == 1, leading));
        at += len;
    }
    let word_end = word_start + word_len;
    let (mut first, mut last) = (0, tokens.len());
    // Verbs and function words go at the head only (提升, 开展); at the tail a verb is often
    // part of a name (金融监管).
    while first < last && (tokens[first].2 || tokens[first].3) && tokens[first].1 <= word_start {
        first += 1;
    }
    while last > first && tokens[last - 1].2 && tokens[last - 1].0 >= word_end {
        last -= 1;
    }
    match (
        tokens.get(first),
        last.checked_sub(1).and_then(|l| tokens.get(l)),
    ) {
        (Some(a), Some(b)) if first < last => (a.0, b.1),
        _ => (word_start, word_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn the_first_in_order_are_those_of_all_ordered() {
        let mut state = 0x9E37_79B9u32;
        for len in [0usize, 1, 3, 4, 5, 12, 40] {
            let items: Vec<u32> = (0..len)
                .map(|k| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    // Distinct items, as shared words are.
                    (state >> 8) * 64 + k as u32
                })
                .collect();
            for n in 0..6 {
                let mut out = vec![7];
                first_in_order(&items, n, |a, b| a > b, &mut out);
                let mut all = items.clone();
                all.sort_unstable_by(|a, b| b.cmp(a));
                all.truncate(n);
                assert_eq!(out, all, "{len} items, first {n}");
            }
        }
    }

    #[test]
    fn places_and_holds_answer_as_the_standard_library() {
        let mut state = 0x2468_ACE1u32;
        let mut next = |n: usize| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 8) as usize % n
        };
        // Few characters, so that words recur, overlap and share their last byte.
        let pick = ["金", "融", "金融", "丑", "a", "aa", "é", "ꀀ", "逢", "逢金"];
        let text = |len: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..len).map(|_| pick[next(pick.len())]).collect()
        };
        for _ in 0..20_000 {
            let word = text(1 + next(3), &mut next);
            // Short texts and texts longer than one vector.
            let hay = text(
                next(12) + if next(2) == 0 { 0 } else { next(80) },
                &mut next,
            );
            let expected: Vec<usize> = hay.match_indices(word.as_str()).map(|(i, _)| i).collect();
            let places = Places::new(&word);
            assert_eq!(
                places.iter(&hay).collect::<Vec<_>>(),
                expected,
                "{word:?} in {hay:?}"
            );
            assert_eq!(
                holds(&hay, &word),
                hay.contains(word.as_str()),
                "{word:?} in {hay:?}"
            );
        }
    }

    #[test]
    fn a_word_cut_short_grows_to_the_shared_phrase() {
        let a = chars("探索开展合格境外有限合伙人（QFLP）试点。");
        let b = chars("支持开展合格境外有限合伙人试点工作。");
        assert_eq!(grow("合伙人", &a, &b), "合格境外有限合伙人");
        let a = chars("支持金融科技研发中心");
        let b = chars("鼓励金融科技研究院");
        assert_eq!(grow("科技", &a, &b), "金融科技");
        let a = chars("进一步提升金融监管能力");
        let b = chars("全面提升金融监管水平");
        assert_eq!(grow("监管", &a, &b), "金融监管");
    }

    #[test]
    fn joining_characters_and_punctuation_stop_the_growth() {
        let a = chars("发展绿色金融的产品");
        let b = chars("创新绿色金融的服务");
        assert_eq!(grow("绿色", &a, &b), "绿色金融");
        let a = chars("数字人民币，试点");
        let b = chars("数字人民币。试点");
        assert_eq!(grow("人民币", &a, &b), "数字人民币");
    }

    /// A phrase is trimmed once per thread, and a full table starts again empty.
    #[test]
    fn trimmed_phrases_are_kept_and_the_table_bounded() {
        let grown = || {
            let a = chars("探索开展合格境外有限合伙人（QFLP）试点。");
            let b = chars("支持开展合格境外有限合伙人试点工作。");
            assert_eq!(grow("合伙人", &a, &b), "合格境外有限合伙人");
        };
        let held = || TRIMMED.with_borrow(|t| t.phrases.len());
        TRIMMED.with_borrow_mut(|t| t.phrases.clear());
        grown();
        let once = held();
        assert!(once >= 1);
        grown();
        assert_eq!(held(), once, "trimmed again");
        TRIMMED.with_borrow_mut(|t| {
            t.phrases.clear();
            for k in 0..MOST_TRIMMED {
                t.phrases.insert(format!("filler {k}"), (0, 0));
            }
        });
        assert_eq!(held(), MOST_TRIMMED);
        grown();
        assert_eq!(held(), once, "a full table starts again");
    }

    #[test]
    fn a_word_found_in_one_text_only_stays_as_it_is() {
        assert_eq!(grow("票据", &chars("票据"), &chars("没有")), "票据");
    }
}
