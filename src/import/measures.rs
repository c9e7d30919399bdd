//! Measures: which paragraphs of a division are measures (举措), where each begins and ends,
//! its heading and its responsible units.
//!
//! A measure begins at a paragraph that opens with a lead phrase (a short first sentence, or a
//! bold run on a page or in a Word file) or with an item marker (`1.`, `1、`, `（1）`, `（一）`
//! followed by text). Its heading is the marker and lead exactly as written, so that heading
//! plus text is the source's paragraph. Paragraphs without either that follow a measure continue
//! it; those before the first measure are the division's intro. A numbered title on its own line
//! heads the paragraph under it, unless that paragraph opens with a lead phrase: then the title
//! is a measure without text and each lead paragraph a measure after it. A division without any lead or
//! marker has its paragraphs as measures without a heading: the report asks the editor which of
//! them are prose.

use crate::import::numbering::{is_box_title, is_space, is_title_only, numbering, Numbering};
use crate::import::outline::{Item, Para};

/// A lead phrase is a first sentence of at most this many characters.
const MAX_LEAD_CHARS: usize = 30;

#[derive(Debug, Clone)]
pub struct MeasureDraft {
    /// Marker and lead phrase as written (may be empty).
    pub heading: String,
    /// The paragraphs after the heading: the rest of the first, then the ones that continue it.
    pub paras: Vec<String>,
    pub line: usize,
    /// 责任单位 as the text splits them at `；`.
    pub units: Vec<String>,
}

impl MeasureDraft {
    /// The measure's whole text, for theme suggestion and duplicate checks.
    pub fn text(&self) -> String {
        let mut t = self.heading.clone();
        for p in &self.paras {
            t.push_str(p);
        }
        t
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    Prose(Para),
    Measure(MeasureDraft),
    /// A sub-heading between measures (`####`).
    Sub(Para),
    /// A 专栏 box: its title line and what the box holds. A box whose items are numbered
    /// (`1.`, `（1）`), after an intro of unnumbered lines, lists actions: `measures` are the
    /// items and the first `intro` of `items` its intro; otherwise `measures` is empty.
    Box {
        title: String,
        line: usize,
        items: Vec<Item>,
        intro: usize,
        measures: Vec<MeasureDraft>,
    },
    Table {
        rows: Vec<Vec<String>>,
        line: usize,
    },
}

/// Where the heading of a measure ends in `p`, if `p` begins a measure.
fn heading_end(p: &Para) -> Option<usize> {
    let text = p.text.as_str();
    let marker = match numbering(text) {
        Some((Numbering::Chapter | Numbering::Section, _)) => return None,
        Some((_, len)) => Some(len),
        None => None,
    };
    let after_marker = marker.unwrap_or(0);
    let mut end = None;
    if let Some(b) = p.bold_lead.filter(|_| !p.all_bold) {
        if b > after_marker || (marker.is_none() && b > 0) {
            end = Some(extend_punct(text, b));
        }
    }
    if end.is_none() {
        let rest = &text[after_marker..];
        if let Some(stop) = rest.find('。') {
            let lead = &rest[..stop];
            if lead.chars().count() <= MAX_LEAD_CHARS && !lead.contains(['；', ';']) {
                end = Some(after_marker + stop + '。'.len_utf8());
            }
        }
    }
    let end = end.or(marker)?;
    let body = text[end..].trim_matches(is_space);
    (!body.is_empty()).then_some(end)
}

/// Moves `at` past closing punctuation right after a bold lead (`推动集聚`**。**).
fn extend_punct(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if matches!(c, '。' | '：' | ':' | '；' | '.' | '．') {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

/// The 责任单位 at the end of a paragraph, split at `；`.
pub fn responsible_units(text: &str) -> Vec<String> {
    let t = text.trim_end_matches(|c: char| is_space(c) || c == '。');
    let Some(inner) = t.strip_suffix('）').or_else(|| t.strip_suffix(')')) else {
        return Vec::new();
    };
    let open = match inner.rfind(['（', '(']) {
        Some(o) => o,
        None => return Vec::new(),
    };
    let inside = &inner[open..];
    let inside = inside.trim_start_matches(['（', '(']);
    let Some((label, names)) = inside.split_once(['：', ':']) else {
        return Vec::new();
    };
    if !matches!(
        label.trim(),
        "责任单位" | "牵头单位" | "责任部门" | "牵头部门" | "责任主体"
    ) {
        return Vec::new();
    }
    names
        .split(['；', ';'])
        .map(|s| s.trim_matches(is_space).replace('"', ""))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A 专栏 box holds the short lines and numbered items after its title; a long paragraph
/// without a number, a heading or another box ends it.
fn continues_box(item: &Item) -> bool {
    match item {
        Item::Table { .. } => true,
        Item::Para(p) => {
            if is_box_title(&p.text) {
                return false;
            }
            match numbering(&p.text) {
                Some((Numbering::Arabic | Numbering::ParenArabic, _)) => true,
                Some(_) => false,
                None => p.text.chars().count() <= 80,
            }
        }
    }
}

/// A box's measures when it lists actions (two or more numbered paragraphs, `1.`, `（1）`,
/// after unnumbered ones, and no table), with the number of intro items before them.
fn box_measures(items: &[Item]) -> (usize, Vec<MeasureDraft>) {
    let mut intro = 0;
    let mut measures = Vec::new();
    for item in items {
        let Item::Para(p) = item else {
            return (0, Vec::new());
        };
        match numbering(&p.text) {
            Some((Numbering::Arabic | Numbering::ParenArabic, len)) => {
                let end = heading_end(p).unwrap_or(len);
                let body = p.text[end..].trim_matches(is_space).to_string();
                measures.push(MeasureDraft {
                    heading: p.text[..end].trim_matches(is_space).to_string(),
                    units: responsible_units(&body),
                    paras: vec![body],
                    line: p.line,
                });
            }
            None if measures.is_empty() => intro += 1,
            _ => return (0, Vec::new()),
        }
    }
    if measures.len() < 2 {
        return (0, Vec::new());
    }
    (intro, measures)
}

/// The nodes of a division. `leaf`: the division has no sections under it (its unmarked
/// paragraphs may be measures). Returns the nodes and whether its paragraphs were unmarked.
pub fn divide(items: Vec<Item>, leaf: bool) -> (Vec<Node>, bool) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut iter = items.into_iter().peekable();
    while let Some(item) = iter.next() {
        let p = match item {
            Item::Table { rows, line } => {
                nodes.push(Node::Table { rows, line });
                continue;
            }
            Item::Para(p) => p,
        };
        if is_box_title(&p.text) {
            let mut inner = Vec::new();
            while let Some(next) = iter.peek() {
                if !continues_box(next) {
                    break;
                }
                if let Some(n) = iter.next() {
                    inner.push(n);
                }
            }
            let (intro, measures) = box_measures(&inner);
            nodes.push(Node::Box {
                title: p.text,
                line: p.line,
                items: inner,
                intro,
                measures,
            });
            continue;
        }
        let numbered = numbering(&p.text).is_some();
        if (numbered || p.all_bold || p.heading.is_some()) && is_title_only(&p.text) {
            // A numbered title over plain paragraphs heads them as one measure (the title on
            // its own line, the text on the next); over items or other titles it is a
            // sub-heading.
            let over_text = numbered
                && matches!(iter.peek(), Some(Item::Para(next))
                    if numbering(&next.text).is_none()
                        && !is_box_title(&next.text)
                        && !is_title_only(&next.text));
            let over_lead = over_text
                && matches!(iter.peek(), Some(Item::Para(next)) if heading_end(next).is_some());
            if over_lead {
                // Lead-phrase paragraphs under the title are tasks of their own (docs/editing.md
                // section 2): the title is a measure with no text, and each lead paragraph
                // begins a measure after it.
                nodes.push(Node::Measure(MeasureDraft {
                    heading: p.text,
                    paras: Vec::new(),
                    line: p.line,
                    units: Vec::new(),
                }));
            } else if over_text {
                // The paragraph under the title is the measure's text; the ones after it
                // continue it or begin measures.
                nodes.push(Node::Measure(headed_measure(p, iter.next())));
            } else {
                nodes.push(Node::Sub(p));
            }
            continue;
        }
        // A lead phrase alone on its line (a scrape breaks lines anywhere) leads the paragraph
        // after it.
        let lone_lead = p.text.ends_with('。')
            && p.text.chars().count() <= MAX_LEAD_CHARS
            && p.text.matches('。').count() == 1
            && !p.text.contains(['，', ','])
            && matches!(iter.peek(), Some(Item::Para(next))
                if numbering(&next.text).is_none()
                    && !is_box_title(&next.text)
                    && !is_title_only(&next.text));
        if lone_lead {
            nodes.push(Node::Measure(headed_measure(p, iter.next())));
            continue;
        }
        if let Some(end) = heading_end(&p) {
            let body = p.text[end..].trim_matches(is_space).to_string();
            let units = responsible_units(&body);
            nodes.push(Node::Measure(MeasureDraft {
                heading: p.text[..end].trim_matches(is_space).to_string(),
                paras: vec![body],
                line: p.line,
                units,
            }));
            continue;
        }
        match nodes.last_mut() {
            Some(Node::Measure(m)) => {
                let units = responsible_units(&p.text);
                if !units.is_empty() {
                    m.units = units;
                }
                m.paras.push(p.text);
            }
            _ => nodes.push(Node::Prose(p)),
        }
    }
    // Only a heading may follow a box of measures (the loader reports other text there): a box
    // followed by text stays a box of plain items.
    for k in 1..nodes.len() {
        if matches!(nodes[k], Node::Prose(_) | Node::Table { .. }) {
            if let Node::Box { measures, .. } = &mut nodes[k - 1] {
                measures.clear();
            }
        }
    }
    let has_measure = nodes.iter().any(|n| matches!(n, Node::Measure(_)));
    if has_measure || !leaf {
        return (nodes, false);
    }
    let mut unmarked = false;
    let nodes = nodes
        .into_iter()
        .map(|n| match n {
            Node::Prose(p) => {
                unmarked = true;
                let units = responsible_units(&p.text);
                Node::Measure(MeasureDraft {
                    heading: String::new(),
                    paras: vec![p.text],
                    line: p.line,
                    units,
                })
            }
            other => other,
        })
        .collect();
    (nodes, unmarked)
}

/// A measure headed by `title` (a numbered title or a lone lead phrase on its own line) whose
/// text is the paragraph after it.
fn headed_measure(title: Para, next: Option<Item>) -> MeasureDraft {
    let first = match next {
        Some(Item::Para(next)) => next.text,
        _ => String::new(),
    };
    let units = responsible_units(&first);
    MeasureDraft {
        heading: title.text,
        paras: vec![first],
        line: title.line,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Para {
        Para {
            text: text.into(),
            line: 1,
            bold_lead: None,
            all_bold: false,
            heading: None,
        }
    }

    #[test]
    fn leads_and_markers() {
        let p = para("推动金融机构集聚。支持符合条件的金融机构。");
        assert_eq!(&p.text[..heading_end(&p).unwrap()], "推动金融机构集聚。");
        let p = para("1．支持符合条件的主体在成渝地区依法依规发起设立证券公司、理财公司、保险资产管理公司。鼓励。");
        assert_eq!(&p.text[..heading_end(&p).unwrap()], "1．");
        let p = para("“十三五”时期，在省委、省政府正确领导下，我省金融产业规模不断壮大。");
        assert_eq!(heading_end(&p), None);
        let mut p = para("推动集聚。支持");
        p.bold_lead = Some("推动集聚".len());
        assert_eq!(&p.text[..heading_end(&p).unwrap()], "推动集聚。");
    }

    #[test]
    fn lead_paragraphs_under_a_numbered_title_are_measures_of_their_own() {
        let items =
            |texts: &[&str]| -> Vec<Item> { texts.iter().map(|t| Item::Para(para(t))).collect() };
        let headings = |nodes: &[Node]| -> Vec<(String, usize)> {
            nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Measure(m) => Some((m.heading.clone(), m.paras.len())),
                    _ => None,
                })
                .collect()
        };
        // Yongchuan's 三、 over two lead-phrase paragraphs: the title stands alone.
        let (nodes, _) = divide(
            items(&[
                "三、推动“保险+产业”纵深发展",
                "促进保险业与现代都市农业融合发展。发挥中国移动“12582农信通”等综合服务平台作用，引导各类保险机构为农户、农产品提供定制保险服务。",
                "促进软件与信息技术服务业、大数据产业与保险业深度融合发展。围绕电子信息产业，支持电子信息企业与保险机构合作。",
            ]),
            false,
        );
        assert_eq!(
            headings(&nodes),
            vec![
                ("三、推动“保险+产业”纵深发展".to_string(), 0),
                ("促进保险业与现代都市农业融合发展。".to_string(), 1),
                (
                    "促进软件与信息技术服务业、大数据产业与保险业深度融合发展。".to_string(),
                    1
                ),
            ]
        );
        // Over a paragraph without a lead, the title heads it.
        let (nodes, _) = divide(
            items(&[
                "一、加大“产业集群”金融扶持",
                "扶持培育行业龙头企业，加强政银企联动，综合运用财政贴息等政策，对符合条件的重点企业给予贷款贴息补助。支持企业债券市场融资。",
            ]),
            false,
        );
        assert_eq!(
            headings(&nodes),
            vec![("一、加大“产业集群”金融扶持".to_string(), 1)]
        );
    }

    #[test]
    fn units() {
        assert_eq!(
            responsible_units("推进改革。（责任单位：重庆市金融监管局、市财政局；四川省地方金融监管局，成都市政府）"),
            vec!["重庆市金融监管局、市财政局", "四川省地方金融监管局，成都市政府"]
        );
        assert!(responsible_units("推进改革（试点）。").is_empty());
    }
}
