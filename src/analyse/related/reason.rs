//! Why two measures are related, in words a reader understands: the instruments they share,
//! then their shared key phrases, each grown to the longest stretch of text both measures write
//! the same way around it, so that a word the segmenter cut short (有限 and 合伙人 of
//! 合格境外有限合伙人) is shown whole. Terms the segmenter must never cut (区块链) belong in the
//! glossary's `words`.

use rustc_hash::FxHashMap;

use super::space::Space;

/// Phrases already trimmed to whole words (phrase, where the word starts, its length → the
/// whole-word range): the same phrases recur across links, and segmenting is the cost.
pub(super) type Trimmed = FxHashMap<(Vec<char>, usize, usize), (usize, usize)>;

/// At most this many parts in a reason.
const PARTS: usize = 3;
/// A key phrase grows to at most this many characters.
const LONGEST_PHRASE: usize = 12;
/// Characters a key phrase neither starts nor ends with: they join words, they are none.
const JOINERS: &[char] = &[
    '的', '和', '与', '及', '等', '在', '对', '为', '并', '或', '以', '于', '了', '是', '将', '向',
];

/// The reason shown for the link from measure `a` to measure `b` (texts as the analysis read
/// them).
pub(super) fn reason(
    space: &Space,
    a: usize,
    b: usize,
    text_a: &str,
    text_b: &str,
    pinned: bool,
    trimmed: &mut Trimmed,
) -> String {
    let mut shared = space.shared(a, b);
    let order = |x: &(f64, u32), y: &(f64, u32)| {
        let (ix, iy) = (
            space.instrument[x.1 as usize],
            space.instrument[y.1 as usize],
        );
        iy.cmp(&ix)
            .then(y.0.total_cmp(&x.0))
            .then(space.words[x.1 as usize].cmp(space.words[y.1 as usize]))
    };
    // Only the first few are read: select them, then order them.
    if shared.len() > PARTS + 1 {
        shared.select_nth_unstable_by(PARTS, order);
        shared.truncate(PARTS + 1);
    }
    shared.sort_by(order);
    let mut parts: Vec<String> = Vec::new();
    if pinned {
        parts.push("编辑指定".into());
    }
    // The weightiest shared words are enough to find three parts; the rest only cost time.
    for (_, term) in shared.into_iter().take(PARTS + 1) {
        if parts.len() >= PARTS + usize::from(pinned) {
            break;
        }
        let word = space.words[term as usize];
        let phrase = if space.instrument[term as usize] {
            word.to_string()
        } else {
            grow(word, text_a, text_b, trimmed)
        };
        if parts.iter().any(|p| p.contains(phrase.as_str())) {
            continue;
        }
        // A longer phrase replaces the shorter ones it contains.
        parts.retain(|p| p == "编辑指定" || !phrase.contains(p.as_str()));
        parts.push(phrase);
    }
    parts.join(" · ")
}

/// `word` grown to the longest run of characters around one of its places in `a` that stands
/// the same around one of its places in `b`, without punctuation and without a joining
/// character at either end.
fn grow(word: &str, a: &str, b: &str, trimmed: &mut Trimmed) -> String {
    let w_len = word.chars().count();
    let joins = |c: char| c.is_alphanumeric();
    let mut best: Option<Vec<char>> = None;
    for (pa, _) in a.match_indices(word).take(4) {
        for (pb, _) in b.match_indices(word).take(4) {
            // The characters both texts share before the word (nearest first) and after it.
            let mut head: Vec<char> = Vec::new();
            for (x, y) in a[..pa].chars().rev().zip(b[..pb].chars().rev()) {
                if x != y || !joins(x) || head.len() + 1 + w_len > LONGEST_PHRASE {
                    break;
                }
                head.push(x);
            }
            let mut tail: Vec<char> = Vec::new();
            let (after_a, after_b) = (&a[pa + word.len()..], &b[pb + word.len()..]);
            for (x, y) in after_a.chars().zip(after_b.chars()) {
                if x != y || !joins(x) || head.len() + w_len + tail.len() + 1 > LONGEST_PHRASE {
                    break;
                }
                tail.push(x);
            }
            if head.is_empty() && tail.is_empty() {
                continue;
            }
            head.reverse();
            let word_start = head.len();
            let grown: Vec<char> = head.into_iter().chain(word.chars()).chain(tail).collect();
            // Trim joining characters the growth took in, but never into the word itself.
            let mut lead = 0;
            while lead < word_start && JOINERS.contains(&grown[lead]) {
                lead += 1;
            }
            // A joiner inside the grown head keeps only what follows it.
            if let Some(k) = grown[..word_start]
                .iter()
                .rposition(|c| JOINERS.contains(c))
            {
                lead = lead.max(k + 1);
            }
            let word_end = word_start + w_len;
            let mut tail_end = grown.len();
            if let Some(k) = grown[word_end..].iter().position(|c| JOINERS.contains(c)) {
                tail_end = word_end + k;
            }
            let phrase = &grown[lead..tail_end];
            let best_len = best.as_ref().map_or(w_len, Vec::len);
            if phrase.len() <= best_len {
                continue;
            }
            // Only a phrase that grew needs trimming to whole words (the segmenter is the cost).
            let key = (phrase.to_vec(), word_start - lead, w_len);
            let (from, to) = *trimmed
                .entry(key)
                .or_insert_with_key(|(p, start, len)| whole_words(p, *start, *len));
            if to - from > best_len {
                best = Some(phrase[from..to].to_vec());
            }
        }
    }
    match best {
        Some(chars) => chars.into_iter().collect(),
        None => word.to_string(),
    }
}

/// The range of `phrase` without what the growth took in at either end that says nothing: a single
/// character that is not a word of its own there (培育法 of 培育法人, 金融科技研 of 金融科技研发)
/// or a verb or function word at its head (提升 of 提升金融监管). The segmenter decides what a word is; the word the
/// phrase grew from (at `word_start`, `word_len` characters) always stays.
fn whole_words(phrase: &[char], word_start: usize, word_len: usize) -> (usize, usize) {
    let text: String = phrase.iter().collect();
    // Each token's character range.
    // Each token's character range, whether it is one character, whether it is a verb, adverb
    // or function word (what a phrase should not start with).
    let mut tokens: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut at = 0;
    for token in super::jieba().tag(&text, false) {
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
    fn a_word_cut_short_grows_to_the_shared_phrase() {
        let a = chars("探索开展合格境外有限合伙人（QFLP）试点。");
        let b = chars("支持开展合格境外有限合伙人试点工作。");
        assert_eq!(
            grow("合伙人", &a, &b, &mut Trimmed::default()),
            "合格境外有限合伙人"
        );
        let a = chars("支持金融科技研发中心");
        let b = chars("鼓励金融科技研究院");
        assert_eq!(grow("科技", &a, &b, &mut Trimmed::default()), "金融科技");
        let a = chars("进一步提升金融监管能力");
        let b = chars("全面提升金融监管水平");
        assert_eq!(grow("监管", &a, &b, &mut Trimmed::default()), "金融监管");
    }

    #[test]
    fn joining_characters_and_punctuation_stop_the_growth() {
        let a = chars("发展绿色金融的产品");
        let b = chars("创新绿色金融的服务");
        assert_eq!(grow("绿色", &a, &b, &mut Trimmed::default()), "绿色金融");
        let a = chars("数字人民币，试点");
        let b = chars("数字人民币。试点");
        assert_eq!(
            grow("人民币", &a, &b, &mut Trimmed::default()),
            "数字人民币"
        );
    }

    #[test]
    fn a_word_found_in_one_text_only_stays_as_it_is() {
        assert_eq!(
            grow(
                "票据",
                &chars("票据"),
                &chars("没有"),
                &mut Trimmed::default()
            ),
            "票据"
        );
    }
}
