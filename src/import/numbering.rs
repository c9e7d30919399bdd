//! The numbering schemes of Chinese official documents, read at the start of a paragraph:
//! 第X章, 第X节, 一、, （一）, 1. / 1、 / 1．, （1）, and the 专栏 / 附件 labels.
//!
//! Kept apart from the outline so that the measures and the outline agree on what a marker is.

/// A numbering scheme, from the outermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    Chapter,
    Section,
    Hanzi,
    ParenHanzi,
    Arabic,
    ParenArabic,
}

const HANZI_DIGITS: &str = "一二三四五六七八九十百零〇两";

fn is_hanzi_digit(c: char) -> bool {
    HANZI_DIGITS.contains(c)
}

/// Whitespace as official texts use it: ASCII, full-width (U+3000) and no-break spaces.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// The numbering at the start of `text` and the marker's byte length (the marker as written,
/// `第一章`, `（一）`, `1．`; spaces after it are not part of it).
pub fn numbering(text: &str) -> Option<(Numbering, usize)> {
    let mut chars = text.char_indices().peekable();
    let (_, first) = *chars.peek()?;
    if first == '第' {
        chars.next();
        let mut n = 0;
        while let Some(&(_, c)) = chars.peek() {
            if is_hanzi_digit(c) || c.is_ascii_digit() {
                chars.next();
                n += 1;
            } else {
                break;
            }
        }
        let (i, c) = *chars.peek()?;
        if n == 0 {
            return None;
        }
        return match c {
            '章' => Some((Numbering::Chapter, i + c.len_utf8())),
            '节' => Some((Numbering::Section, i + c.len_utf8())),
            _ => None,
        };
    }
    if matches!(first, '（' | '(') {
        chars.next();
        let mut hanzi = 0;
        let mut digits = 0;
        while let Some(&(_, c)) = chars.peek() {
            if is_hanzi_digit(c) {
                hanzi += 1;
            } else if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                digits += 1;
            } else {
                break;
            }
            chars.next();
        }
        let (i, c) = *chars.peek()?;
        if !matches!(c, '）' | ')') || (hanzi == 0) == (digits == 0) || hanzi + digits > 3 {
            return None;
        }
        let kind = if hanzi > 0 {
            Numbering::ParenHanzi
        } else {
            Numbering::ParenArabic
        };
        return Some((kind, i + c.len_utf8()));
    }
    if is_hanzi_digit(first) {
        let mut n = 0;
        while let Some(&(_, c)) = chars.peek() {
            if is_hanzi_digit(c) {
                chars.next();
                n += 1;
            } else {
                break;
            }
        }
        let (i, c) = *chars.peek()?;
        return (n <= 3 && c == '、').then_some((Numbering::Hanzi, i + c.len_utf8()));
    }
    if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let mut n = 0;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                chars.next();
                n += 1;
            } else {
                break;
            }
        }
        let (i, c) = *chars.peek()?;
        if n > 2 || !matches!(c, '.' | '．' | '、') {
            return None;
        }
        chars.next();
        // `0．81`, `3． 75`: a decimal number, not an item.
        let after = text[i + c.len_utf8()..].trim_start_matches(is_space);
        let next = after.chars().next()?;
        if next.is_ascii_digit() || ('０'..='９').contains(&next) || next == '%' {
            return None;
        }
        return Some((Numbering::Arabic, i + c.len_utf8()));
    }
    None
}

/// `专栏3 …`, `专栏3：…`, `专栏 …`: the title of a box.
pub fn is_box_title(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("专栏") else {
        return false;
    };
    let rest = rest.trim_start_matches(is_space);
    rest.starts_with(|c: char| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || is_hanzi_digit(c)
            || c == '：'
            || c == ':'
    }) && text.chars().count() <= 60
}

/// `附件`, `附件1`, `附录一 …`, `附表2 …`: an appendix begins.
pub fn is_appendix_title(text: &str) -> bool {
    appendix_marker(text).is_some() && text.chars().count() <= 50 && !text.contains('。')
}

/// The byte length of an appendix label with its number (`附录一`, `附件2`).
pub fn appendix_marker(text: &str) -> Option<usize> {
    let label = ["附件", "附录", "附表"]
        .into_iter()
        .find(|l| text.starts_with(l))?;
    let digits: usize = text[label.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || is_hanzi_digit(*c))
        .map(char::len_utf8)
        .sum();
    Some(label.len() + digits)
}

/// A paragraph that only names something: short, no sentence inside it.
pub fn is_title_only(text: &str) -> bool {
    let n = text.chars().count();
    if n == 0 || n > 50 {
        return false;
    }
    let inner = text.trim_end_matches(['。', '；', '：', ';', ':']);
    !inner.contains(['。', '；', ';', '！', '？'])
}

/// Splits `text` after its marker: (marker, rest without the spaces after the marker).
pub fn split_marker(text: &str, len: usize) -> (&str, &str) {
    (&text[..len], text[len..].trim_start_matches(is_space))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(
            numbering("第一章　 规划背景"),
            Some((Numbering::Chapter, 9))
        );
        assert_eq!(
            numbering("第十二节 x").map(|n| n.0),
            Some(Numbering::Section)
        );
        assert_eq!(
            numbering("一、总体要求").map(|n| n.0),
            Some(Numbering::Hanzi)
        );
        assert_eq!(
            numbering("（一）指导思想").map(|n| n.0),
            Some(Numbering::ParenHanzi)
        );
        assert_eq!(
            numbering("(二)基本原则。").map(|n| n.0),
            Some(Numbering::ParenHanzi)
        );
        assert_eq!(numbering("1．支持").map(|n| n.0), Some(Numbering::Arabic));
        assert_eq!(numbering("12、支持").map(|n| n.0), Some(Numbering::Arabic));
        assert_eq!(
            numbering("（3）支持").map(|n| n.0),
            Some(Numbering::ParenArabic)
        );
        assert_eq!(numbering("0．81亿元"), None);
        assert_eq!(numbering("2020年"), None);
        assert_eq!(numbering("第三方评估"), None);
        assert_eq!(numbering("一是加强"), None);
        assert!(is_box_title("专栏3 金融业重点项目"));
        assert!(is_box_title("专栏5：“十四五”时期"));
        assert!(!is_box_title("专栏目录很长"));
        assert!(is_title_only("（一）加快培育法人金融机构。"));
        assert!(!is_title_only("（一）加强组织协调。坚持党的领导。"));
    }
}
