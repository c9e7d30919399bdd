//! Government web pages: the article, its metadata, its paragraphs and tables.
//!
//! The page is parsed by html5ever (through scraper's DOM, with the line of each element, see
//! `html_sink`), as a browser would, whatever its errors. Then:
//!
//! - **metadata**: `<meta name=… content=…>` tags (not the technical ones), every table whose
//!   cells are label/value pairs with known labels (索引号, 发文机关, 发文字号, 成文日期,
//!   发布日期, 主题分类, 标题 …, see [`super::page_text::LABELS`]), anywhere in the page, and short
//!   lines made only of `label：value` pairs (`发布日期：2022-01-29 来源：…`). Labels are given
//!   without the spaces pages put between their characters (`索 引 号` → `索引号`), values as
//!   written. None of it becomes a block.
//! - **the article**: the element whose paragraph-like children (`<p>`, headings, list items,
//!   text, `<div>`s with text of their own) hold the most CJK characters outside links. Pages
//!   name it in many ways (`TRS_Editor`, `view`, `zoom`, `article`, `content`, `pages_content`),
//!   so the choice is made by content, not by name. Scripts, styles, `nav`, `header`, `footer`,
//!   `aside`, forms and elements whose class or id names navigation, breadcrumbs, sharing or a
//!   footer are left out. A heading (`h1`–`h3`) just before the article is its title and comes
//!   first.
//! - **paragraphs**: each `<p>`, heading, list item, `<div>` with text of its own, and each line
//!   between `<br>`s is a paragraph; whitespace runs become one space, and none is left between
//!   two CJK characters. A leading `<strong>`/`<b>` (or `font-weight: bold`) run is the
//!   paragraph's `bold_lead`. Furniture lines (打印本页, 关闭窗口, 【字体：大 中 小】, 网站标识码,
//!   分享到, 扫一扫, 相关链接, breadcrumbs `首页 > …`) are dropped.
//! - **tables**: a `<table>` is a [`Block::Table`] of its cells' text (a `colspan` or `rowspan`
//!   cell is one cell: rows may differ in length); a table that only wraps an image and its
//!   caption is a paragraph of the caption; a table used for layout (one cell, a cell holding a
//!   table, or cells of long text) is read as paragraphs.
//! - **title**: the article's first `h1`, else the heading before it, else `<meta
//!   name="ArticleTitle">`, the metadata's 标题, `<title>`, or a Jekyll header's `title:`
//!   (scraped pages saved by a static site generator carry one; it is skipped, line numbers
//!   kept).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::Node;

use super::html_sink;
use super::page_text::{is_furniture, is_label_cell, metadata_pairs};
use super::{is_cjk, join_line, styled_paragraph, Block, Document, Format};

/// Elements never read: not text of the article.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form",
    "select", "button", "input", "textarea", "iframe", "object", "svg", "canvas", "video", "audio",
    "map", "title",
];

/// Elements that make a paragraph of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "center",
    "address",
    "figure",
    "figcaption",
    "ul",
    "ol",
    "dl",
    "td",
    "th",
    "tr",
    "caption",
    "hr",
    "body",
    "html",
];

/// Parts of a class or id that name page furniture.
const FURNITURE_NAMES: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "footer",
    "foot",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "share",
    "copyright",
    "sidebar",
    "toolbar",
    "topbar",
    "banner",
    "search",
    "login",
];

/// The length of a Jekyll front matter block (`---` … `---`) at the start of `text`, or 0.
pub fn front_matter_len(text: &str) -> usize {
    if !text.starts_with("---\n") && !text.starts_with("---\r\n") {
        return 0;
    }
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if n > 0 && line.trim_end() == "---" {
            return offset;
        }
    }
    0
}

fn tag(e: &Element) -> &str {
    e.name()
}

fn is_furniture_element(e: &Element) -> bool {
    if SKIP.contains(&tag(e)) {
        return true;
    }
    let names = e.attr("class").into_iter().chain(e.attr("id"));
    for name in names {
        for part in name
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|p| !p.is_empty())
        {
            if FURNITURE_NAMES.contains(&part.to_ascii_lowercase().as_str()) {
                return true;
            }
        }
    }
    false
}

fn is_bold(e: &Element) -> bool {
    matches!(tag(e), "strong" | "b")
        || e.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("font-weight:bold")
                || s.contains("font-weight:bolder")
                || ["600", "700", "800", "900"]
                    .iter()
                    .any(|w| s.contains(&format!("font-weight:{w}")))
        })
}

/// Reads a decoded web page.
pub fn read(path: &Path, text: &str, encoding: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let front = front_matter_len(text);
    let front_title = text[..front].lines().find_map(|l| {
        l.strip_prefix("title:")
            .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
    });
    // The header's lines are kept as empty lines, so that html5ever counts the page's own.
    let body = format!(
        "{}{}",
        "\n".repeat(text[..front].matches('\n').count()),
        &text[front..]
    );
    let (html, lines) = html_sink::parse(&body);
    let root = html.tree.root();

    let mut order = HashMap::new();
    for (n, node) in root.descendants().enumerate() {
        order.insert(node.id(), n);
    }
    let mut page = Page {
        lines: &lines,
        metadata: Vec::new(),
        taken: HashSet::new(),
    };
    page.head_metadata(root);
    page.scan_metadata(root);

    let container = article(root).unwrap_or(root);
    let mut flow = Flow::new(&page, true);
    // The heading just before the article is its title.
    let inner_h1 = container
        .descendants()
        .find(|n| n.value().as_element().is_some_and(|e| tag(e) == "h1"));
    let mut title = inner_h1.map(|h| text_of(h));
    if inner_h1.is_none() {
        let start = order.get(&container.id()).copied().unwrap_or(0);
        let before = root
            .descendants()
            .filter(|n| order.get(&n.id()).is_some_and(|&o| o < start))
            .filter(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| matches!(tag(e), "h1" | "h2" | "h3"))
                    && !n
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(is_furniture_element))
                    && text_of(*n).chars().any(is_cjk)
            })
            .last();
        if let Some(h) = before {
            flow.walk(h, false);
            flow.flush();
            title = Some(text_of(h));
        }
    }
    if container.id() == root.id() {
        flow.walk(root, false);
    } else {
        for child in container.children() {
            flow.walk(child, false);
        }
    }
    flow.flush();
    let blocks = flow.blocks;
    let meta = |key: &str| {
        page.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let title = title
        .filter(|t| !t.is_empty())
        .or_else(|| meta("ArticleTitle"))
        .or_else(|| meta("标题"))
        .or_else(|| {
            root.descendants()
                .find(|n| n.value().as_element().is_some_and(|e| tag(e) == "title"))
                .map(|t| text_of(t))
                .filter(|t| !t.is_empty())
        })
        .or(front_title);
    Document {
        path: path.into(),
        format: Format::Html,
        encoding: encoding.to_string(),
        metadata: page.metadata,
        title,
        blocks,
        raw: None,
    }
}

/// What is known of the page as a whole.
struct Page<'a> {
    lines: &'a HashMap<NodeId, usize>,
    metadata: Vec<(String, String)>,
    /// Elements read as metadata: not read again as text.
    taken: HashSet<NodeId>,
}

impl Page<'_> {
    fn line(&self, id: NodeId) -> usize {
        self.lines.get(&id).copied().unwrap_or(1)
    }

    fn head_metadata(&mut self, root: NodeRef<'_, Node>) {
        const TECHNICAL: &[&str] = &[
            "viewport",
            "robots",
            "renderer",
            "generator",
            "format-detection",
            "referrer",
            "theme-color",
            "color-scheme",
            "csrf-token",
            "google",
            "googlebot",
        ];
        for node in root.descendants() {
            let Some(e) = node.value().as_element() else {
                continue;
            };
            if tag(e) != "meta" {
                continue;
            }
            let (Some(name), Some(content)) = (e.attr("name"), e.attr("content")) else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if TECHNICAL.contains(&lower.as_str())
                || [
                    "msapplication",
                    "apple-",
                    "twitter:",
                    "og:",
                    "baidu",
                    "360-",
                ]
                .iter()
                .any(|p| lower.starts_with(p))
                || content.trim().is_empty()
            {
                continue;
            }
            self.metadata
                .push((name.trim().to_string(), content.trim().to_string()));
        }
    }

    /// Metadata tables and lines anywhere in the page, in page order.
    fn scan_metadata(&mut self, node: NodeRef<'_, Node>) {
        let Some(e) = node.value().as_element() else {
            for child in node.children() {
                self.scan_metadata(child);
            }
            return;
        };
        if matches!(tag(e), "script" | "style" | "head" | "template") {
            return;
        }
        if tag(e) == "table" {
            let rows = table_rows(node);
            let labels = rows
                .iter()
                .flatten()
                .filter(|c| is_label_cell(c).is_some())
                .count();
            if labels >= 2 {
                for row in &rows {
                    let mut cells = row.iter().peekable();
                    while let Some(cell) = cells.next() {
                        if let Some(label) = is_label_cell(cell) {
                            if let Some(value) = cells.next_if(|v| is_label_cell(v).is_none()) {
                                if !value.is_empty() {
                                    self.metadata.push((label.to_string(), value.clone()));
                                }
                            }
                        } else if let Some(pairs) = metadata_pairs(cell) {
                            self.metadata.extend(pairs);
                        }
                    }
                }
                self.taken.insert(node.id());
                return;
            }
        }
        if matches!(
            tag(e),
            "p" | "div" | "li" | "span" | "td" | "dd" | "dl" | "ul" | "section"
        ) {
            let text = text_of(node);
            if text.chars().count() <= 200 {
                if let Some(pairs) = metadata_pairs(&text).filter(|p| !p.is_empty()) {
                    self.metadata.extend(pairs);
                    self.taken.insert(node.id());
                    return;
                }
            }
        }
        for child in node.children() {
            self.scan_metadata(child);
        }
    }
}

/// The element holding the article: most CJK characters in paragraph-like children.
fn article(root: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
    let mut best: Option<(usize, NodeRef<'_, Node>)> = None;
    for node in root.descendants() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        if is_furniture_element(e)
            || node
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(is_furniture_element))
        {
            continue;
        }
        let mut score = 0;
        for child in node.children() {
            match child.value() {
                Node::Text(t) => score += cjk_count(t),
                Node::Element(c) if is_furniture_element(c) || tag(c) == "a" => {}
                Node::Element(c)
                    if matches!(
                        tag(c),
                        "div"
                            | "section"
                            | "article"
                            | "td"
                            | "table"
                            | "tbody"
                            | "tr"
                            | "ul"
                            | "ol"
                            | "main"
                            | "body"
                            | "center"
                    ) =>
                {
                    score += child
                        .children()
                        .filter_map(|g| g.value().as_text().map(|t| cjk_count(t)))
                        .sum::<usize>();
                }
                Node::Element(_) => score += cjk_outside_links(child),
                _ => {}
            }
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, node));
        }
    }
    best.filter(|(s, _)| *s > 0).map(|(_, n)| n)
}

fn cjk_count(s: &str) -> usize {
    s.chars()
        .filter(|c| is_cjk(*c) && c.is_alphabetic())
        .count()
}

fn cjk_outside_links(node: NodeRef<'_, Node>) -> usize {
    match node.value() {
        Node::Text(t) => cjk_count(t),
        Node::Element(e) if tag(e) == "a" || is_furniture_element(e) => 0,
        Node::Element(_) => node.children().map(cjk_outside_links).sum(),
        _ => 0,
    }
}

/// The text of an element, whitespace collapsed, paragraphs inside it joined as lines are.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let page = Page {
        lines: &HashMap::new(),
        metadata: Vec::new(),
        taken: HashSet::new(),
    };
    let mut flow = Flow::new(&page, false);
    flow.walk(node, false);
    flow.flush();
    let mut text = String::new();
    for b in &flow.blocks {
        join_line(&mut text, &b.text());
    }
    text
}

/// The cell texts of a table's own rows (not those of tables inside it).
fn table_rows(table: NodeRef<'_, Node>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut stack: Vec<NodeRef<'_, Node>> = table.children().collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        match tag(e) {
            "tr" => {
                let cells: Vec<String> = node
                    .children()
                    .filter(|c| {
                        c.value()
                            .as_element()
                            .is_some_and(|e| matches!(tag(e), "td" | "th"))
                    })
                    .map(text_of)
                    .collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    rows.push(cells);
                }
            }
            "thead" | "tbody" | "tfoot" => {
                let mut children: Vec<_> = node.children().collect();
                children.reverse();
                stack.extend(children);
            }
            _ => {}
        }
    }
    rows
}

/// Paragraphs in reading order, from a walk over the article.
struct Flow<'p, 'l> {
    page: &'p Page<'l>,
    /// Whether furniture and metadata lines are dropped (not inside table cells).
    filter: bool,
    blocks: Vec<Block>,
    /// The current paragraph: characters with their boldness.
    chars: Vec<(char, bool)>,
    line: Option<usize>,
    last_line: usize,
    heading: Option<u8>,
}

impl<'p, 'l> Flow<'p, 'l> {
    fn new(page: &'p Page<'l>, filter: bool) -> Self {
        Flow {
            page,
            filter,
            blocks: Vec::new(),
            chars: Vec::new(),
            line: None,
            last_line: 1,
            heading: None,
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>, bold: bool) {
        match node.value() {
            Node::Text(t) => {
                if self.line.is_none() && !t.trim().is_empty() {
                    self.line = Some(self.last_line);
                }
                self.chars.extend(t.chars().map(|c| (c, bold)));
            }
            Node::Element(e) => {
                if self.page.taken.contains(&node.id())
                    || (self.filter && is_furniture_element(e))
                    || SKIP.contains(&tag(e))
                {
                    return;
                }
                self.last_line = self.page.line(node.id());
                let name = tag(e);
                if name == "br" {
                    self.flush();
                    return;
                }
                if name == "table" {
                    self.flush();
                    self.table(node);
                    return;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    self.flush();
                    if let Some(level) = name.strip_prefix('h').and_then(|l| l.parse::<u8>().ok()) {
                        self.heading = Some(level);
                    }
                }
                let bold = bold || is_bold(e);
                for child in node.children() {
                    self.walk(child, bold);
                }
                if block {
                    self.flush();
                }
            }
            _ => {}
        }
    }

    fn table(&mut self, node: NodeRef<'_, Node>) {
        let line = self.page.line(node.id());
        let rows = table_rows(node);
        let has_img = node
            .descendants()
            .any(|n| n.value().as_element().is_some_and(|e| tag(e) == "img"));
        let chars: usize = rows.iter().flatten().map(|c| c.chars().count()).sum();
        let cells: usize = rows.iter().map(Vec::len).sum();
        if has_img && chars <= 200 && rows.len() <= 4 {
            // An image with its caption, laid out in a table: the caption is a paragraph.
            let caption: Vec<&str> = rows
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            if !caption.is_empty() {
                self.push(Block::paragraph(caption.join(" "), line));
            }
            return;
        }
        let nested = node
            .descendants()
            .skip(1)
            .any(|n| n.value().as_element().is_some_and(|e| tag(e) == "table"));
        let long = rows.iter().flatten().any(|c| c.chars().count() > 300);
        if cells <= 1 || nested || long {
            // Layout, not data: its cells are read as the page's flow.
            for row in node.descendants().filter(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| matches!(tag(e), "td" | "th"))
                    && n.ancestors()
                        .find(|a| a.value().as_element().is_some_and(|e| tag(e) == "table"))
                        .is_some_and(|t| t.id() == node.id())
            }) {
                for child in row.children() {
                    self.walk(child, false);
                }
                self.flush();
            }
            return;
        }
        if !rows.is_empty() {
            self.push(Block::Table { rows, line });
        }
    }

    fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Ends the current paragraph.
    fn flush(&mut self) {
        let chars = std::mem::take(&mut self.chars);
        let line = self.line.take().unwrap_or(self.last_line);
        let heading = self.heading.take();
        let Some(block) = styled_paragraph(&collapse(&chars), line, heading, None) else {
            return;
        };
        if self.filter {
            let text = block.text();
            if is_furniture(&text)
                || (text.chars().count() <= 200
                    && metadata_pairs(&text).is_some_and(|p| !p.is_empty()))
            {
                return;
            }
        }
        self.blocks.push(block);
    }
}

/// Collapses HTML whitespace: a run becomes one space, and none is left between two CJK
/// characters (a line break in the page's source is no space in Chinese text).
fn collapse(chars: &[(char, bool)]) -> Vec<(char, bool)> {
    let mut out: Vec<(char, bool)> = Vec::with_capacity(chars.len());
    let mut pending = false;
    for &(c, b) in chars {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            pending = true;
            continue;
        }
        if pending {
            if let Some(&(p, pb)) = out.last() {
                if !(is_cjk(p) && is_cjk(c)) {
                    out.push((' ', b && pb));
                }
            }
            pending = false;
        }
        out.push((c, b));
    }
    out
}
