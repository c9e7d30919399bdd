//! The plan's outline: where the notice ends and the plan begins, its chapters and sections, and
//! the items of each division.
//!
//! Chapters are 第X章 with 第X节 sections when the plan numbers them so; a plan without 章
//! numbers its chapters 一、 and its sections （一）; a page or Word file without either may mark
//! them as heading levels. Everything before the first chapter is the preamble (the notice and
//! the plan's opening paragraph), kept verbatim in the plan's `_index.md`. 附件 appendices are
//! chapters of their own.

use crate::import::measures::{divide, Node};
use crate::import::numbering::{
    appendix_marker, is_appendix_title, is_space, is_title_only, numbering, Numbering,
};
use crate::source::Block;

/// A paragraph of the source, cleaned of scrape marks.
#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    pub line: usize,
    /// Byte length of a bold run at its start (HTML `<strong>`, DOCX bold).
    pub bold_lead: Option<usize>,
    pub all_bold: bool,
    pub heading: Option<u8>,
}

/// A paragraph or a table, in reading order.
#[derive(Debug, Clone)]
pub enum Item {
    Para(Para),
    Table { rows: Vec<Vec<String>>, line: usize },
}

impl Item {
    pub fn line(&self) -> usize {
        match self {
            Item::Para(p) => p.line,
            Item::Table { line, .. } => *line,
        }
    }
}

/// A chapter or a section: its numbering, title and content.
#[derive(Debug, Clone)]
pub struct Div {
    pub number: Option<String>,
    pub title: String,
    pub line: usize,
    pub nodes: Vec<Node>,
    /// Its paragraphs had no lead phrase or marker, so each became a measure of its own.
    pub unmarked: bool,
}

#[derive(Debug, Clone)]
pub struct ChapterDraft {
    pub div: Div,
    pub sections: Vec<Div>,
    pub appendix: bool,
}

/// How the plan numbers its chapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// 第X章 / 第X节.
    Chapters,
    /// 一、 / （一）.
    Hanzi,
    /// Heading levels of a page or Word file.
    Headings,
    /// Paragraphs all in bold, the only headings some Word files and pages have.
    Bold,
    /// Nothing recognisable: the whole text is one chapter.
    Flat,
}

#[derive(Debug)]
pub struct Outline {
    pub preamble: Vec<Item>,
    pub chapters: Vec<ChapterDraft>,
    pub scheme: Scheme,
}

/// The items of a document: `[bookmark: …]` marks removed, empty paragraphs dropped.
pub fn items(blocks: &[Block]) -> Vec<Item> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Paragraph {
                line,
                heading,
                bold_lead,
                all_bold,
                ..
            } => {
                let full = block.text();
                let marker_len = full.len() - block_text_len(block);
                let cleaned = remove_tags(&crate::provenance::remove_bookmarks(&full));
                let removed = full.len() - cleaned.len();
                let text = cleaned.trim_matches(is_space).replace(['\n', '\r'], "");
                if text.is_empty() {
                    continue;
                }
                // A bold run is only trusted when nothing was removed before it.
                let bold_lead = bold_lead
                    .filter(|_| removed == 0)
                    .map(|b| b + marker_len)
                    .filter(|b| *b <= text.len() && text.is_char_boundary(*b));
                out.push(Item::Para(Para {
                    text,
                    line: *line,
                    bold_lead,
                    all_bold: *all_bold,
                    heading: *heading,
                }));
            }
            Block::Table { rows, line } => {
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| crate::provenance::remove_bookmarks(c).trim().to_string())
                            .collect()
                    })
                    .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
                    .collect();
                if !rows.is_empty() {
                    out.push(Item::Table { rows, line: *line });
                }
            }
        }
    }
    out
}

fn block_text_len(block: &Block) -> usize {
    match block {
        Block::Paragraph { text, .. } => text.len(),
        Block::Table { .. } => 0,
    }
}

/// Drops markup left in a text (`<BR>` in a scrape): the provenance check reads it as markup,
/// not text.
pub fn remove_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if is_tag => {
                out.push_str(&rest[..at]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..=at]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The level a paragraph stands at under `scheme`: 1 a chapter, 2 a section, 0 an appendix.
fn level(p: &Para, scheme: Scheme, min_heading: u8) -> Option<u8> {
    if is_appendix_title(&p.text) {
        return Some(0);
    }
    match scheme {
        Scheme::Chapters => match numbering(&p.text) {
            Some((Numbering::Chapter, _)) if p.text.chars().count() <= 60 => Some(1),
            Some((Numbering::Section, _)) if p.text.chars().count() <= 60 => Some(2),
            _ => None,
        },
        Scheme::Hanzi => match numbering(&p.text) {
            Some((Numbering::Hanzi, _)) if is_title_only(&p.text) => Some(1),
            Some((Numbering::ParenHanzi, _)) if is_title_only(&p.text) => Some(2),
            _ => None,
        },
        Scheme::Headings => match p.heading {
            Some(h) if h == min_heading => Some(1),
            Some(h) if h == min_heading + 1 => Some(2),
            _ => None,
        },
        Scheme::Bold => (p.all_bold && is_title_only(&p.text)).then_some(1),
        Scheme::Flat => None,
    }
}

fn choose_scheme(items: &[Item]) -> (Scheme, u8) {
    let paras = || {
        items.iter().filter_map(|i| match i {
            Item::Para(p) => Some(p),
            Item::Table { .. } => None,
        })
    };
    let count = |kind: Numbering, title: bool| {
        paras()
            .filter(|p| {
                numbering(&p.text).is_some_and(|n| n.0 == kind)
                    && (!title || is_title_only(&p.text))
            })
            .count()
    };
    if count(Numbering::Chapter, false) >= 2 {
        return (Scheme::Chapters, 0);
    }
    if count(Numbering::Hanzi, true) >= 2 {
        return (Scheme::Hanzi, 0);
    }
    // Heading levels, below the plan's title (an `h1` or the Title style used once).
    let mut levels: Vec<u8> = paras().filter_map(|p| p.heading).collect();
    levels.sort_unstable();
    let mut min = None;
    for l in levels.iter().copied() {
        if levels.iter().filter(|x| **x == l).count() >= 2 {
            min = Some(l);
            break;
        }
    }
    if let Some(m) = min {
        return (Scheme::Headings, m);
    }
    let bold = paras()
        .filter(|p| p.all_bold && is_title_only(&p.text))
        .count();
    if bold >= 2 {
        return (Scheme::Bold, 0);
    }
    (Scheme::Flat, 0)
}

fn normalised(text: &str) -> String {
    text.chars().filter(|c| !is_space(*c)).collect()
}

/// Splits the items into the preamble and the chapters.
pub fn outline(items: Vec<Item>, plan_title: &str, contents: &[String]) -> Outline {
    let (scheme, min_heading) = choose_scheme(&items);
    let levels: Vec<Option<u8>> = items
        .iter()
        .map(|i| match i {
            Item::Para(p) => level(p, scheme, min_heading),
            Item::Table { .. } => None,
        })
        .collect();
    let text_of = |i: usize| match &items[i] {
        Item::Para(p) => normalised(&p.text),
        Item::Table { .. } => String::new(),
    };
    // The plan begins at its first chapter. A table of contents is a run of headings with no
    // text between them: the plan then begins where its first entry is met again.
    let first = levels.iter().position(|l| *l == Some(1));
    let start = match first {
        Some(f) => {
            let run_end = (f..items.len())
                .find(|&j| levels[j].is_none())
                .unwrap_or(items.len());
            let text = text_of(f);
            if run_end > f + 1 {
                (run_end..items.len())
                    .find(|&j| levels[j] == Some(1) && text_of(j) == text)
                    .unwrap_or(f)
            } else {
                f
            }
        }
        None => items.len(),
    };
    let mut items = items;
    let body: Vec<Item> = items.split_off(start.min(items.len()));
    let body_levels = &levels[start.min(levels.len())..];
    let preamble = items;
    if scheme == Scheme::Flat || body.is_empty() {
        let line = preamble.first().map(Item::line).unwrap_or(1);
        let (nodes, unmarked) = divide(preamble, true);
        return Outline {
            preamble: Vec::new(),
            chapters: vec![ChapterDraft {
                div: Div {
                    number: None,
                    title: plan_title.to_string(),
                    line,
                    nodes,
                    unmarked,
                },
                sections: Vec::new(),
                appendix: false,
            }],
            scheme: Scheme::Flat,
        };
    }
    // Divisions with their items; a heading met again (a scrape repeats passages, a table of
    // contents lists them first) continues the division it named.
    let mut chapters: Vec<ChapterDraft> = Vec::new();
    let mut chapter_items: Vec<Vec<Item>> = Vec::new();
    let mut section_items: Vec<Vec<Vec<Item>>> = Vec::new();
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    // A table of contents gives the outline first, in its order: a scrape may have lost
    // headings from the text, or hold them out of order.
    if matches!(scheme, Scheme::Chapters | Scheme::Hanzi) {
        for entry in contents {
            let (number, title) = split_title(entry, scheme);
            let div = Div {
                number,
                title,
                line: start_line(&body),
                nodes: Vec::new(),
                unmarked: false,
            };
            let key = normalised(entry);
            match numbering(entry) {
                Some((Numbering::Chapter | Numbering::Hanzi, _)) => {
                    chapters.push(ChapterDraft {
                        div,
                        sections: Vec::new(),
                        appendix: false,
                    });
                    chapter_items.push(Vec::new());
                    section_items.push(Vec::new());
                    keys.push((key, Vec::new()));
                }
                _ => {
                    if let Some(c) = chapters.len().checked_sub(1) {
                        chapters[c].sections.push(div);
                        section_items[c].push(Vec::new());
                        keys[c].1.push(key);
                    }
                }
            }
        }
    }
    let mut current: Option<(usize, Option<usize>)> = None;
    let mut in_appendix = false;
    let mut body_iter = body.into_iter().zip(body_levels.iter().copied()).peekable();
    while let Some((item, lvl)) = body_iter.next() {
        // `附录一` alone on its line, its title on the next.
        let item = match item {
            Item::Para(mut p)
                if lvl == Some(0) && appendix_marker(&p.text) == Some(p.text.len()) =>
            {
                if let Some((Item::Para(next), None)) = body_iter.peek() {
                    if is_title_only(&next.text) && numbering(&next.text).is_none() {
                        p.text = format!("{}\u{3000}{}", p.text, next.text);
                        body_iter.next();
                    }
                }
                Item::Para(p)
            }
            other => other,
        };
        let (para, l) = match (&item, lvl) {
            (Item::Para(p), Some(l)) if !(in_appendix && l != 0) => (p.clone(), l),
            _ => {
                match current {
                    Some((c, None)) => chapter_items[c].push(item),
                    Some((c, Some(s))) => section_items[c][s].push(item),
                    None => {}
                }
                continue;
            }
        };
        let key = normalised(&para.text);
        let (number, title) = split_title(&para.text, scheme);
        let div = Div {
            number,
            title,
            line: para.line,
            nodes: Vec::new(),
            unmarked: false,
        };
        if l <= 1 {
            in_appendix = l == 0;
            let c = match keys.iter().position(|(k, _)| *k == key) {
                Some(c) => c,
                None => {
                    chapters.push(ChapterDraft {
                        div,
                        sections: Vec::new(),
                        appendix: l == 0,
                    });
                    chapter_items.push(Vec::new());
                    section_items.push(Vec::new());
                    keys.push((key, Vec::new()));
                    chapters.len() - 1
                }
            };
            current = Some((c, None));
            continue;
        }
        let here = current.map(|(c, _)| c);
        let found = here
            .and_then(|c| keys[c].1.iter().position(|k| *k == key).map(|s| (c, s)))
            .or_else(|| {
                let mut all = keys.iter().enumerate().flat_map(|(c, (_, ss))| {
                    ss.iter()
                        .enumerate()
                        .filter(|(_, k)| **k == key)
                        .map(move |(s, _)| (c, s))
                });
                match (all.next(), all.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                }
            });
        match found {
            Some((c, s)) => current = Some((c, Some(s))),
            None => {
                if let Some(c) = here {
                    chapters[c].sections.push(div);
                    section_items[c].push(Vec::new());
                    keys[c].1.push(key);
                    current = Some((c, Some(chapters[c].sections.len() - 1)));
                }
            }
        }
    }
    for (c, ch) in chapters.iter_mut().enumerate() {
        let leaf = ch.sections.is_empty();
        let (nodes, unmarked) = divide(std::mem::take(&mut chapter_items[c]), leaf);
        ch.div.nodes = nodes;
        ch.div.unmarked = unmarked;
        for (s, sec) in ch.sections.iter_mut().enumerate() {
            let (nodes, unmarked) = divide(std::mem::take(&mut section_items[c][s]), true);
            sec.nodes = nodes;
            sec.unmarked = unmarked;
        }
    }
    Outline {
        preamble,
        chapters,
        scheme,
    }
}

fn start_line(body: &[Item]) -> usize {
    body.first().map(Item::line).unwrap_or(1)
}

/// A heading's numbering and title: `第一章　规划背景` → (`第一章`, `规划背景`).
fn split_title(text: &str, scheme: Scheme) -> (Option<String>, String) {
    if let Some(len) = appendix_marker(text) {
        let rest = text[len..].trim_matches(|c| is_space(c) || c == '：' || c == ':');
        if !rest.is_empty() {
            return (Some(text[..len].to_string()), rest.to_string());
        }
    }
    if !matches!(scheme, Scheme::Headings | Scheme::Bold) {
        if let Some((_, len)) = numbering(text) {
            let rest = text[len..].trim_matches(is_space);
            if !rest.is_empty() {
                return (Some(text[..len].to_string()), rest.to_string());
            }
        }
    }
    (None, text.to_string())
}
