//! Plain text and `pdftotext` output: paragraphs rebuilt from lines.
//!
//! Text extracted from a PDF carries the page: page numbers (`—3—`, `- 3 -`, `第3页 共20页`, a
//! lone number between form feeds), running headers and footers, form feeds, lines broken at the
//! right margin in mid-sentence, indentation, and tables as columns of cells. This reader drops
//! the page and rebuilds the paragraphs:
//!
//! - page-number lines and form feeds go; a short line repeated at 3 or more page breaks is a
//!   running header or footer and goes too (only where it stands at a page break);
//! - 3 or more consecutive lines that split into the same number (3 or more) of cells at runs of
//!   two or more spaces or at tabs are a column table ([`Block::Table`]);
//! - a blank line, an indented line (full-width spaces `　　`, two or more spaces, a tab) and a
//!   line that starts a heading or numbered item (第X章, 第X节, 一、, （一）, 1., 1、, （1）, ①,
//!   专栏, 附件) start a paragraph;
//! - otherwise a line continues the paragraph of the line before when that line was broken in
//!   mid-sentence. Text wrapped at a margin (most lines about as wide as the widest) is judged
//!   by width: a line that reaches the margin (within 15%) continues, whatever its last
//!   character (sentences end at the margin as often as anywhere), unless it ends a sentence and
//!   the next line opens with a short sentence as a lead phrase does (`发展地方金融组织。引导…`)
//!   or is a short title (`主要指标`);
//!   a line well short of the margin ends its paragraph; in between a line continues unless it
//!   ends with sentence-final punctuation (。！？；：… and a
//!   closing quote or bracket after them). Text that is not wrapped (a paragraph per line, as
//!   Word and web pages save it) keeps each line as a paragraph.
//! - Where nearly every line is followed by one blank line (double-spaced extracts), single
//!   blank lines are spacing, not paragraph breaks; blank lines at a page break never are.
//!
//! Lines join CJK without a space and Latin words with one ([`super::join_line`]).

use std::path::Path;

use super::{ends_sentence, join_line, Block, Document, Format};

/// Reads decoded plain text: `Text`, or `PdfText` when it carries pages (form feeds, or page
/// number lines).
pub fn read(path: &Path, text: String, encoding: &str) -> Document {
    let (blocks, pdf_like) = blocks(&text);
    Document {
        path: path.into(),
        format: if pdf_like {
            Format::PdfText
        } else {
            Format::Text
        },
        encoding: encoding.to_string(),
        metadata: Vec::new(),
        title: None,
        blocks,
        raw: Some(text),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Blank,
    /// A page number, running header or footer: dropped.
    Page,
}

#[derive(Debug)]
struct Line<'a> {
    no: usize,
    text: &'a str,
    kind: Kind,
    /// A form feed comes before this line.
    new_page: bool,
}

/// The blocks of `text`, and whether it looks like `pdftotext` output.
pub fn blocks(text: &str) -> (Vec<Block>, bool) {
    let mut lines = split_lines(text);
    let has_ff = lines.iter().any(|l| l.new_page);
    mark_page_numbers(&mut lines, has_ff);
    let numbers = lines.iter().filter(|l| l.kind == Kind::Page).count();
    let pdf_like = has_ff || numbers >= 2;
    let breaks = page_breaks(&lines);
    mark_running_lines(&mut lines, &breaks);
    (build(&lines), pdf_like)
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut new_page = false;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A form feed splits its line: what follows is on the next page. The empty pieces
        // beside it are no lines of the text.
        let pieces: Vec<&str> = raw.split('\x0c').collect();
        let n = pieces.len();
        for (j, part) in pieces.into_iter().enumerate() {
            if j > 0 {
                new_page = true;
            }
            if n > 1 && part.trim().is_empty() {
                continue;
            }
            let kind = if part.trim().is_empty() {
                Kind::Blank
            } else {
                Kind::Text
            };
            out.push(Line {
                no: i + 1,
                text: part,
                kind,
                new_page,
            });
            new_page = false;
        }
    }
    out
}

/// A page-number line: `—3—`, `— 3 —`, `- 3 -`, `－3－`, `第3页`, `第 3 页 共 20 页`,
/// `3 / 20`.
pub fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return false;
    }
    let dashes = |c: char| matches!(c, '—' | '-' | '－' | '–' | '―' | '·' | '~' | '～');
    let inner = t.trim_matches(dashes);
    if inner.len() < t.len() && is_number(inner) && t.starts_with(dashes) && t.ends_with(dashes) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        if let Some((n, after)) = rest.split_once('页') {
            let after = after.trim_start_matches(['，', ',', '/', '／']);
            return is_number(n)
                && (after.is_empty()
                    || after
                        .strip_prefix('共')
                        .and_then(|a| a.strip_suffix('页'))
                        .is_some_and(is_number));
        }
    }
    if let Some((a, b)) = t.split_once(['/', '／']) {
        return is_number(a) && is_number(b);
    }
    false
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// Marks page-number lines; with form feeds, also a lone number that is the first or last line
/// of a page.
fn mark_page_numbers(lines: &mut [Line<'_>], has_ff: bool) {
    for l in lines.iter_mut() {
        if l.kind == Kind::Text && is_page_number(l.text) {
            l.kind = Kind::Page;
        }
    }
    if !has_ff {
        return;
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain((0..lines.len()).filter(|&i| lines[i].new_page))
        .collect();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let text: Vec<usize> = (start..end)
            .filter(|&i| lines[i].kind == Kind::Text)
            .collect();
        for i in [text.first(), text.last()].into_iter().flatten() {
            if is_number(lines[*i].text.trim()) {
                lines[*i].kind = Kind::Page;
            }
        }
    }
}

/// Indexes of the lines at which a page break happens: page-number lines and lines after a
/// form feed, one per break (a page number followed by a form feed is one break).
fn page_breaks(lines: &[Line<'_>]) -> Vec<usize> {
    let mut breaks: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        if !(lines[i].new_page || lines[i].kind == Kind::Page) {
            continue;
        }
        let same = breaks.last().is_some_and(|&b| {
            (b + 1..i).all(|j| lines[j].kind != Kind::Text) && lines[b].kind == Kind::Page
        });
        if !same {
            breaks.push(i);
        }
    }
    breaks
}

/// Drops running headers and footers: a short line found at 3 or more page boundaries (within
/// two text lines before or after a page break, or at the start or end of the text).
fn mark_running_lines(lines: &mut [Line<'_>], breaks: &[usize]) {
    use std::collections::HashMap;
    let key = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let texts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Text)
        .collect();
    let mut zones: Vec<Vec<usize>> = Vec::new();
    zones.push(texts.iter().take(2).copied().collect());
    for &at in breaks {
        let before = (0..at)
            .rev()
            .filter(|&i| lines[i].kind == Kind::Text)
            .take(2);
        let start = if lines[at].kind == Kind::Page {
            at + 1
        } else {
            at
        };
        let after = (start..lines.len())
            .filter(|&i| lines[i].kind == Kind::Text)
            .take(2);
        zones.push(before.chain(after).collect());
    }
    zones.push(texts.iter().rev().take(2).copied().collect());
    // A page number on the last page makes the end zone twice: count it once.
    for zone in zones.iter_mut() {
        zone.sort_unstable();
    }
    zones.dedup();
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, zone) in zones.iter().enumerate() {
        for &i in zone {
            let k = key(lines[i].text);
            if k.chars().count() <= 40 {
                let at = seen.entry(k).or_default();
                if at.last() != Some(&n) {
                    at.push(n);
                }
            }
        }
    }
    for i in zones.into_iter().flatten() {
        if seen.get(&key(lines[i].text)).is_some_and(|z| z.len() >= 3) {
            lines[i].kind = Kind::Page;
        }
    }
}

/// Display width of `s` in columns: CJK and full-width forms count two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

fn indent_width(s: &str) -> usize {
    let body = s.trim_start();
    width(&s[..s.len() - body.len()]) + s[..s.len() - body.len()].matches('\t').count() * 3
}

/// Whether a line opens with a short sentence (2–16 characters up to 。！？), the way a lead
/// phrase opens a paragraph (`推动金融机构集聚。支持…`): after a line that reached the margin
/// and ended a sentence, such a line starts a paragraph.
fn opens_with_lead(line: &str) -> bool {
    let t = line.trim_start();
    t.chars()
        .position(|c| matches!(c, '。' | '！' | '？'))
        .is_some_and(|n| (2..=16).contains(&n))
}

/// Whether a line stands alone as a title (`主要指标`): well short of the margin, ending no
/// sentence, not a bracketed note (`（责任单位：…）` closes the paragraph it follows).
fn is_title(line: &str, wrap: Option<usize>) -> bool {
    let t = line.trim();
    wrap.is_some_and(|margin| width(t) * 2 < margin)
        && !ends_sentence(t)
        && !t.starts_with(['（', '('])
}

/// Whether a line starts a chapter or section heading: 第X章, 第X节, 第X篇, 第X部分.
fn starts_heading(line: &str) -> bool {
    let numeral =
        |c: char| "一二三四五六七八九十百零〇两".contains(c) || c.is_ascii_digit() || c == ' ';
    line.trim_start().strip_prefix('第').is_some_and(|after| {
        let rest = after.trim_start_matches(numeral);
        rest.len() < after.len()
            && ["章", "节", "篇", "部分"]
                .iter()
                .any(|u| rest.starts_with(u))
    })
}

/// Whether a line starts a heading or numbered item: 第X章/节/篇/部分/条, 一、, （一）, 1., 1、,
/// （1）, ①, 专栏, 附件/附表/附录.
pub fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    let numeral = |c: char| "一二三四五六七八九十百零〇两".contains(c);
    if let Some(after) = t.strip_prefix('第') {
        let rest = after.trim_start_matches(|c: char| numeral(c) || c.is_ascii_digit() || c == ' ');
        if rest.len() < after.len()
            && ["章", "节", "篇", "部分", "条"]
                .iter()
                .any(|u| rest.starts_with(u))
        {
            return true;
        }
    }
    let after_numeral = t.trim_start_matches(numeral);
    if after_numeral.len() < t.len() && after_numeral.starts_with(['、', '．']) {
        return true;
    }
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        let inner = rest.trim_start_matches(|c: char| numeral(c) || c.is_ascii_digit());
        if inner.len() < rest.len()
            && rest.len() - inner.len() <= 9
            && inner.starts_with(['）', ')'])
        {
            return true;
        }
    }
    let digits = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let n = t.len() - digits.len();
    if (1..=3).contains(&n) && !t.starts_with('0') {
        let mut rest = digits.chars();
        // `1.加强` and `1. 加强`, not `1.5亿元` or a scrape's `3． 75`.
        let after_stop = |stop: char| {
            let after = &digits[stop.len_utf8()..];
            let next = after.trim_start_matches(' ').chars().next();
            !next.is_some_and(|c| c.is_ascii_digit() || c == '．')
        };
        match rest.next() {
            Some('、' | '）' | ')') => return true,
            Some(stop @ ('.' | '．')) if after_stop(stop) => return true,
            _ => {}
        }
    }
    if t.starts_with(|c: char| {
        ('\u{2460}'..='\u{249B}').contains(&c) || ('\u{3220}'..='\u{3229}').contains(&c)
    }) {
        return true;
    }
    ["专栏", "附件", "附表", "附录"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// The cells of a line of a column table: split at tabs and at runs of two or more spaces.
fn cells(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let t = line.trim();
    let mut start = 0;
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let gap = if c == '\t' {
            true
        } else if c == ' ' || c == '\u{3000}' {
            chars
                .peek()
                .is_some_and(|(_, n)| matches!(n, ' ' | '\u{3000}' | '\t'))
        } else {
            false
        };
        if gap {
            out.push(&t[start..i]);
            let mut end = i + c.len_utf8();
            while let Some((j, n)) = chars.peek() {
                if matches!(n, ' ' | '\u{3000}' | '\t') {
                    end = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            start = end;
        }
    }
    out.push(&t[start..]);
    out.retain(|c| !c.is_empty());
    out
}

/// How the text is wrapped: the margin (in columns) most lines reach, if most do.
fn wrap_width(lines: &[Line<'_>]) -> Option<usize> {
    let widths: Vec<usize> = lines
        .iter()
        .filter(|l| l.kind == Kind::Text)
        .map(|l| width(l.text.trim_end()))
        .filter(|w| *w >= 16)
        .collect();
    if widths.len() < 4 {
        return None;
    }
    let texts = lines.iter().filter(|l| l.kind == Kind::Text).count();
    let mut best = (0usize, 0usize);
    for &w in &widths {
        let count = widths.iter().filter(|&&x| x + 6 > w && x <= w).count();
        if count > best.1 || (count == best.1 && w > best.0) {
            best = (w, count);
        }
    }
    (best.1 * 10 >= texts * 3 && best.1 >= 3).then_some(best.0)
}

/// Whether most text lines are followed by exactly one blank line.
fn double_spaced(lines: &[Line<'_>]) -> bool {
    let texts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Text)
        .collect();
    let spaced = texts
        .iter()
        .filter(|&&i| {
            lines.get(i + 1).is_some_and(|l| l.kind == Kind::Blank)
                && lines.get(i + 2).is_some_and(|l| l.kind != Kind::Blank)
        })
        .count();
    texts.len() >= 4 && spaced * 10 >= texts.len() * 6
}

/// The blocks: tables found first, then paragraphs rebuilt from the remaining lines.
fn build(lines: &[Line<'_>]) -> Vec<Block> {
    let double = double_spaced(lines);
    let wrap = wrap_width(lines);
    // Blank lines that separate paragraphs: not the spacing of a double-spaced text, and not
    // the blank lines around a page break (a paragraph goes on over a page).
    let mut separates = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == Kind::Text {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].kind != Kind::Text {
            i += 1;
        }
        let run = &lines[start..i];
        let blanks = run.iter().filter(|l| l.kind == Kind::Blank).count();
        let page = run.iter().any(|l| l.kind == Kind::Page || l.new_page)
            || lines.get(i).is_some_and(|l| l.new_page);
        separates[start] = !page && blanks >= if double { 2 } else { 1 };
    }
    let base_indent = {
        let mut counts = std::collections::HashMap::new();
        for l in lines.iter().filter(|l| l.kind == Kind::Text) {
            *counts.entry(indent_width(l.text)).or_insert(0usize) += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(w, n)| (*n, std::cmp::Reverse(*w)))
            .map_or(0, |(w, _)| w)
    };
    let texts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Text)
        .collect();
    let table_rows = find_tables(lines, &texts, double);

    let mut blocks = Vec::new();
    let mut para: Option<(String, usize)> = None;
    let mut prev_ends = true;
    // The line before reached the margin and ended a sentence.
    let mut prev_full_stop = false;
    // Lines so far of a paragraph that is a chapter or section heading, else 0.
    let mut heading_lines = 0;
    let mut k = 0;
    let flush = |para: &mut Option<(String, usize)>, blocks: &mut Vec<Block>| {
        if let Some((text, line)) = para.take() {
            blocks.push(Block::paragraph(text, line));
        }
    };
    let mut last = None;
    while k < texts.len() {
        let i = texts[k];
        if let Some(&n) = table_rows.get(&i) {
            flush(&mut para, &mut blocks);
            let rows: Vec<Vec<String>> = texts[k..k + n]
                .iter()
                .map(|&j| cells(lines[j].text).into_iter().map(String::from).collect())
                .collect();
            blocks.push(Block::Table {
                rows,
                line: lines[i].no,
            });
            k += n;
            prev_ends = true;
            last = texts.get(k - 1).copied();
            continue;
        }
        let line = lines[i].text;
        let separated = last.is_some_and(|p| (p + 1..i).any(|j| separates[j]));
        let indented =
            line.starts_with(['\u{3000}', '\t']) || indent_width(line) >= base_indent + 2;
        let w = width(line.trim_end());
        // Within 15% of the margin: half-width digits and spaces make full lines uneven.
        let full = wrap.is_some_and(|margin| w * 20 >= margin * 17);
        // A chapter or section heading that reaches the margin goes on to a second line only
        // if that line is its short tail (`一、…，增强金融创新活力` / `和综合服务能力`); a full
        // line after it is the first line of the text under it.
        let after_heading = heading_lines == 2 || (heading_lines == 1 && full);
        let starts = para.is_none()
            || separated
            || indented
            || prev_ends
            || after_heading
            || (prev_full_stop && (opens_with_lead(line) || is_title(line, wrap)))
            || starts_item(line);
        if starts {
            flush(&mut para, &mut blocks);
            para = Some((line.trim().to_string(), lines[i].no));
            heading_lines = usize::from(starts_heading(line));
        } else if let Some((text, _)) = para.as_mut() {
            join_line(text, line);
            if heading_lines > 0 {
                heading_lines += 1;
            }
        }
        prev_full_stop = full && ends_sentence(line);
        prev_ends = match wrap {
            None => true,
            Some(_) if full => false,
            Some(margin) if w * 4 < margin * 3 => true,
            Some(_) => ends_sentence(line),
        };
        last = Some(i);
        k += 1;
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Column tables: the index in `lines` of the first line of each, with its number of rows.
fn find_tables(
    lines: &[Line<'_>],
    texts: &[usize],
    double: bool,
) -> std::collections::HashMap<usize, usize> {
    let mut found = std::collections::HashMap::new();
    let adjacent = |a: usize, b: usize| {
        let blanks = (a + 1..b).filter(|&j| lines[j].kind == Kind::Blank).count();
        b == a + 1 || (double && blanks <= 1) || (a + 1..b).all(|j| lines[j].kind == Kind::Page)
    };
    let mut k = 0;
    while k < texts.len() {
        let n = cells(lines[texts[k]].text).len();
        let mut end = k;
        if n >= 3 {
            while end + 1 < texts.len()
                && adjacent(texts[end], texts[end + 1])
                && cells(lines[texts[end + 1]].text).len() == n
            {
                end += 1;
            }
        }
        let rows = end - k + 1;
        if n >= 3 && rows >= 3 {
            found.insert(texts[k], rows);
            k = end + 1;
        } else {
            k += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        blocks(text).0.iter().map(|b| b.text()).collect()
    }

    #[test]
    fn page_numbers() {
        for yes in [
            "—3—",
            "— 3 —",
            "- 3 -",
            "－3－",
            "第3页",
            "第 3 页 共 20 页",
            " —21— \n",
            "3/20",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in [
            "第三章",
            "2020",
            "———金融业实力稳步提升。",
            "第3页内容",
            "-",
        ] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn items() {
        for yes in [
            "第一章　总则",
            "第 3 节 市场",
            "一、总体要求",
            "（一）指导思想",
            "(12) 项",
            "1.加强",
            "1、加强",
            "12．推动",
            "（1）推动",
            "①推动",
            "专栏1 重点项目",
            "附件：名单",
            "　　二、任务",
        ] {
            assert!(starts_item(yes), "{yes}");
        }
        for no in [
            "第三方评估",
            "1.5亿元",
            "2020年",
            "一是加强",
            "（责任单位：市金融局）",
            "十分重要",
        ] {
            assert!(!starts_item(no), "{no}");
        }
    }

    #[test]
    fn unwrapped_text_keeps_a_paragraph_per_line() {
        let t = "一、金融综合实力稳步提升\n“十三五”时期，永川区实施三年行动计划。\n永川区金融机构数量大幅增长\n";
        assert_eq!(
            texts(t),
            [
                "一、金融综合实力稳步提升",
                "“十三五”时期，永川区实施三年行动计划。",
                "永川区金融机构数量大幅增长"
            ]
        );
        let (_, pdf) = blocks(t);
        assert!(!pdf);
    }

    /// Wrapped at 20 columns (10 CJK characters), as pdftotext gives it.
    const WRAPPED: &str = "\
第一章　总体要求\n\
\u{3000}\u{3000}推动金融机构集聚。支持\n\
符合条件的金融机构在川发\n\
起设立理财子公司。鼓励外\n\
资机构设立分支机构。\n\
\u{3000}\u{3000}发展绿色金融。引导银\n\
行机构加大绿色信贷投放，\n\
到2025年余额达到3000亿\n\
元以上。信贷结构持续优化\n\
—2—\n\
\x0c四川省金融业发展规划\n\
，风险可控。\n";

    #[test]
    fn wrapped_lines_are_joined_and_pages_dropped() {
        let t = WRAPPED.replace("\x0c四川省金融业发展规划\n", "\x0c");
        assert_eq!(
            texts(&t),
            [
                "第一章　总体要求",
                "推动金融机构集聚。支持符合条件的金融机构在川发起设立理财子公司。鼓励外资机构设立分支机构。",
                "发展绿色金融。引导银行机构加大绿色信贷投放，到2025年余额达到3000亿元以上。信贷结构持续优化，风险可控。",
            ]
        );
        let (b, pdf) = blocks(&t);
        assert!(pdf);
        assert_eq!(b[1].line(), 2);
        assert_eq!(b[2].line(), 6);
    }

    #[test]
    fn a_full_line_ending_a_sentence_goes_on_unless_a_lead_phrase_follows() {
        // Wrapped at 24 columns; the second line ends a sentence at the margin.
        let t = "金融业增加值达到一千亿元\n年均增长百分之八点二。\n金融机构体系日趋完善，服\n务能力明显增强。\n发展地方金融组织。引导地\n方金融组织回归本源。\n";
        assert_eq!(
            texts(t),
            [
                "金融业增加值达到一千亿元年均增长百分之八点二。金融机构体系日趋完善，服务能力明显增强。",
                "发展地方金融组织。引导地方金融组织回归本源。",
            ]
        );
        assert!(opens_with_lead("发展地方金融组织。引导"));
        assert!(!opens_with_lead("金融机构体系日趋完善，服"));
    }

    #[test]
    fn running_headers_at_three_breaks_go() {
        let mut t = String::new();
        for n in 1..=4 {
            t.push_str("四川省金融业发展规划\n");
            t.push_str(&format!("\u{3000}\u{3000}正文第{n}段，写满了这一行的文字内容\n接着写下去的第{n}段第二行文字。\n"));
            t.push_str(&format!("- {n} -\n\x0c"));
        }
        let b = texts(&t);
        assert_eq!(b.len(), 4, "{b:?}");
        assert!(b.iter().all(|p| p.starts_with("正文第")), "{b:?}");
        // Seen at two breaks only: kept.
        let t2 = t.replacen("四川省金融业发展规划\n", "", 2);
        assert!(texts(&t2).iter().any(|p| p == "四川省金融业发展规划"));
    }

    #[test]
    fn double_spaced_text_and_width() {
        // Every line followed by a blank line: the blank lines are spacing.
        let t = "“十三五”时期,在省委、省政府正确领导下,我省金融产业规\n\n模不断壮大。2020 年,全省实现金融业增加值 3375． 75 亿\n\n元,是 2015 年的 1． 8 倍,金融业增加值占比达到 6． 9% 。 \n\n截至 2020 年末,存款余额 9． 18 万亿元。\n\n西部金融中心建设成效显著。 持续推进改革。\n\n第二节 面临形势\n\n";
        let b = texts(t);
        assert_eq!(b.len(), 3, "{b:#?}");
        assert!(b[0].ends_with("存款余额 9． 18 万亿元。"), "{}", b[0]);
        assert_eq!(b[1], "西部金融中心建设成效显著。 持续推进改革。");
        assert_eq!(b[2], "第二节 面临形势");
    }

    #[test]
    fn column_tables() {
        let t = "主要指标\n指标名称    单位    2020年    2025年\n金融业增加值    亿元    3375.75    4500\n存款余额    万亿元    9.18    12以上\n\n下一段。\n";
        let (b, _) = blocks(t);
        assert_eq!(b.len(), 3, "{b:#?}");
        match &b[1] {
            Block::Table { rows, line } => {
                assert_eq!(*line, 2);
                assert_eq!(rows.len(), 3);
                assert_eq!(rows[2], ["存款余额", "万亿元", "9.18", "12以上"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(cells("a\tb  c　　d e"), ["a", "b", "c", "d e"]);
    }
}
