//! Why two measures are related, in words a reader understands: the instruments they share,
//! then their shared key phrases, each grown to the longest stretch of text both measures write
//! the same way around it, so that a word the segmenter cut short (有限 and 合伙人 of
//! 合格境外有限合伙人) is shown whole. Terms the segmenter must never cut (区块链) belong in the
//! glossary's `words`.

use super::space::Space;

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
) -> String {
    let mut shared = space.shared(a, b);
    shared.sort_by(|x, y| {
        let (ix, iy) = (
            space.instrument[x.1 as usize],
            space.instrument[y.1 as usize],
        );
        iy.cmp(&ix)
            .then(y.0.total_cmp(&x.0))
            .then(space.words[x.1 as usize].cmp(space.words[y.1 as usize]))
    });
    let a_chars: Vec<char> = text_a.chars().collect();
    let b_chars: Vec<char> = text_b.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    if pinned {
        parts.push("编辑指定".into());
    }
    for (_, term) in shared {
        if parts.len() >= PARTS + usize::from(pinned) {
            break;
        }
        let word = space.words[term as usize];
        let phrase = if space.instrument[term as usize] {
            word.to_string()
        } else {
            grow(word, &a_chars, &b_chars)
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
fn grow(word: &str, a: &[char], b: &[char]) -> String {
    let w: Vec<char> = word.chars().collect();
    let places = |text: &[char]| -> Vec<usize> {
        (0..text.len().saturating_sub(w.len() - 1))
            .filter(|&i| text[i..i + w.len()] == w[..])
            .take(4)
            .collect()
    };
    let joins = |c: char| c.is_alphanumeric();
    let mut best: &[char] = &w;
    for pa in places(a) {
        for pb in places(b) {
            let (mut start_a, mut start_b) = (pa, pb);
            while start_a > 0
                && start_b > 0
                && a[start_a - 1] == b[start_b - 1]
                && joins(a[start_a - 1])
                && pa + w.len() - (start_a - 1) <= LONGEST_PHRASE
            {
                start_a -= 1;
                start_b -= 1;
            }
            let (mut end_a, mut end_b) = (pa + w.len(), pb + w.len());
            while end_a < a.len()
                && end_b < b.len()
                && a[end_a] == b[end_b]
                && joins(a[end_a])
                && end_a + 1 - start_a <= LONGEST_PHRASE
            {
                end_a += 1;
                end_b += 1;
            }
            let mut phrase = &a[start_a..end_a];
            // Trim joining characters the growth took in, but never into the word itself.
            let word_start = pa - start_a;
            let mut lead = 0;
            while lead < word_start && JOINERS.contains(&phrase[lead]) {
                lead += 1;
            }
            // A joiner inside the grown head keeps only what follows it.
            if let Some(k) = phrase[..word_start]
                .iter()
                .rposition(|c| JOINERS.contains(c))
            {
                lead = lead.max(k + 1);
            }
            let word_end = word_start + w.len();
            let mut tail = phrase.len();
            if let Some(k) = phrase[word_end..].iter().position(|c| JOINERS.contains(c)) {
                tail = word_end + k;
            }
            phrase = &phrase[lead..tail];
            let phrase = whole_words(phrase, word_start - lead.min(word_start), w.len());
            if phrase.len() > best.len() {
                best = phrase;
            }
        }
    }
    best.iter().collect()
}

/// `phrase` without what the growth took in at either end that says nothing: a single
/// character that is not a word of its own there (培育法 of 培育法人, 金融科技研 of 金融科技研发)
/// or a verb or function word at its head (提升 of 提升金融监管). The segmenter decides what a word is; the word the
/// phrase grew from (at `word_start`, `word_len` characters) always stays.
fn whole_words(phrase: &[char], word_start: usize, word_len: usize) -> &[char] {
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
        (Some(a), Some(b)) if first < last => &phrase[a.0..b.1],
        _ => &phrase[word_start..word_end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
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

    #[test]
    fn a_word_found_in_one_text_only_stays_as_it_is() {
        assert_eq!(grow("票据", &chars("票据"), &chars("没有")), "票据");
    }
}
