//! Markdown of the content: plain text and links at load time, HTML at render time.
//!
//! Two fenced-block directives extend CommonMark without new syntax:
//! ```` ```box 专栏1 标题 ```` renders its content (Markdown) as a titled aside, as the plans set
//! their 专栏 boxes; ```` ```indicators ```` marks where the plan's indicator table stands.
//! Other fenced blocks are highlighted by syntect with CSS classes. All rendered HTML but that of
//! fences is sanitised to an allow-list (see [`to_html`] and [`crate::markdown::sanitize`]). Links written
//! `@/path.md#anchor` point at other content files and are resolved to page URLs. At load time,
//! [`check`] reports nesting too deep to render and heading attributes other than id and class.
//!
//! Layer 3: may use `model`, `config`, `output`, `util` and `diagnostics`. Besides this file
//! (reading Markdown at load time): `html.rs` (rendering, with its sanitising and URL rules),
//! [`links`] (the link index of a site), [`sanitize`] (the HTML allow-list) and
//! [`highlight`](mod@highlight) (code highlighting).

pub mod highlight;
mod html;
pub mod links;
pub mod sanitize;

pub use self::highlight::{highlight, highlight_css};
pub use self::html::{is_safe_url, to_html, HtmlContext};
pub use crate::util::text::escape;

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{line_col, Diagnostic};
use crate::model::{InternalLink, Markdown};

/// How deep Markdown may nest: block quotes, lists and their items, emphasis, links and boxes
/// each count one level. The bundled plans nest at most a few levels; the limit keeps the
/// recursive steps of rendering (sanitiser, minifier) far from their stack limits.
pub const MAX_NESTING: usize = 32;

/// Whether `source` may hold a fenced block (a box, a directive): it cannot without a fence's
/// three backticks or tildes. Most measure texts have none, and are not parsed to find out.
pub(crate) fn may_have_fence(source: &str) -> bool {
    // One vectorised pass over the bytes for either character: `str::contains` with a string
    // ran the two-way searcher over the whole text twice, for every text several times a build
    // (4 % of the instructions up to the related measures at 10,000 measures, in
    // `TwoWaySearcher::next`).
    let bytes = source.as_bytes();
    memchr::memchr2_iter(b'`', b'~', bytes)
        .any(|i| bytes.get(i + 1) == Some(&bytes[i]) && bytes.get(i + 2) == Some(&bytes[i]))
}

/// Whether `source` may hold a link: links are written with brackets (`[…](…)`, `[…][…]`,
/// `![…](…)`), as autolinks (`<…>`) or as raw HTML; without `[` or `<` there is none.
pub(crate) fn may_have_link(source: &str) -> bool {
    // Bytes, not characters: both are ASCII, and memchr does not decode the (mostly CJK) text.
    memchr::memchr2(b'[', b'<', source.as_bytes()).is_some()
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The kind of a fenced block, by its info string.
enum Fence<'a> {
    Box(&'a str),
    /// The indicator table with this id (empty: the plan's first table).
    Indicators(&'a str),
    Code(&'a str),
}

fn fence_kind(info: &str) -> Fence<'_> {
    let info = info.trim();
    let (word, rest) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
    match word {
        "box" => Fence::Box(rest.trim()),
        "indicators" => Fence::Indicators(rest.trim()),
        lang => Fence::Code(lang),
    }
}

/// The title of a box fence (`box 专栏4：…` gives `专栏4：…`), or `None` for other fences.
pub fn box_title(info: &str) -> Option<&str> {
    match fence_kind(info) {
        Fence::Box(title) => Some(title),
        _ => None,
    }
}

/// The text of `source` without markup: paragraphs end with `\n`; boxes and directives are left
/// out (they are not part of the surrounding text).
pub fn plain_text(source: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                skip = !matches!(fence_kind(&info), Fence::Code(_));
            }
            Event::End(TagEnd::CodeBlock) => {
                if !skip {
                    out.push('\n');
                }
                skip = false;
            }
            Event::Text(t) | Event::Code(t) if !skip => out.push_str(&t),
            Event::SoftBreak
                if out
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric()) =>
            {
                out.push(' ')
            }
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableRow,
            ) if !out.ends_with('\n') && !out.is_empty() => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push('\t'),
            _ => {}
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// `md` and the content of every box in it, boxes in boxes too (to [`MAX_NESTING`] levels),
/// each with the file line it starts on: box content is Markdown of its own, which a parse of
/// `md` sees only as the text of a fenced block. The content is taken as rendering takes it
/// (the fence's indentation removed), so links and ids found here are those on the page.
pub fn fragments(md: &Markdown) -> Vec<Cow<'_, Markdown>> {
    // `md` itself is borrowed: most texts have no box, and this runs for every text of the site
    // several times a build.
    let mut found = vec![Cow::Borrowed(md)];
    let mut k = 0;
    let mut depth = vec![0];
    while k < found.len() {
        if depth[k] < MAX_NESTING {
            let inner = boxes(&found[k]);
            depth.extend(std::iter::repeat_n(depth[k] + 1, inner.len()));
            found.extend(inner.into_iter().map(Cow::Owned));
        }
        k += 1;
    }
    found
}

/// The content of each box directly in `md` (not of boxes inside them).
fn boxes(md: &Markdown) -> Vec<Markdown> {
    let mut found = Vec::new();
    // No fence, no box: most texts are not parsed.
    if !may_have_fence(&md.source) {
        return found;
    }
    // The box being read: its content so far and the file line of its first content line.
    let mut current: Option<(String, Option<usize>)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(&md.source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                if let CodeBlockKind::Fenced(info) = kind {
                    if let Fence::Box(_) = fence_kind(&info) {
                        current = Some((String::new(), None));
                    }
                }
            }
            Event::Text(t) if in_code => {
                if let Some((text, line)) = current.as_mut() {
                    line.get_or_insert_with(|| md.line + line_col(&md.source, range.start).0 - 1);
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                if let Some((source, Some(line))) = current.take() {
                    found.push(Markdown {
                        source: source.into(),
                        file: md.file.clone(),
                        line,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// Every `@/…` link in `md`, boxes included, with its position in the content file.
pub fn internal_links(md: &Markdown) -> Vec<InternalLink> {
    fragments(md)
        .iter()
        .flat_map(|md| fragment_links(md))
        .collect()
}

fn fragment_links(md: &Markdown) -> Vec<InternalLink> {
    let mut links = Vec::new();
    // A destination that starts with `@` holds one as written or as an entity (`&#64;`):
    // without a link and one of these, the text has no `@/` link, and most need no parse.
    if !may_have_link(&md.source) || memchr::memchr2(b'@', b'&', md.source.as_bytes()).is_none() {
        return links;
    }
    for (event, range) in Parser::new_ext(&md.source, options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            if let Some(target) = dest_url.strip_prefix("@/") {
                let (line, column) = line_col(&md.source, range.start);
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p.to_string(), Some(a.to_string())),
                    None => (target.to_string(), None),
                };
                links.push(InternalLink {
                    path,
                    anchor,
                    file: md.file.to_path_buf(),
                    line: md.line + line - 1,
                    column,
                });
            }
        }
    }
    links
}

/// Every ```` ```indicators [id] ```` directive in `md`: its file line and the table id it names
/// (empty for the plan's first table).
pub fn indicator_directives(md: &Markdown) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    if !may_have_fence(&md.source) {
        return found;
    }
    for (event, range) in Parser::new_ext(&md.source, options()).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            match fence_kind(&info) {
                Fence::Indicators(id) => found.push((
                    md.line + line_col(&md.source, range.start).0 - 1,
                    id.to_string(),
                )),
                // Directives may stand inside a box: look into its content too.
                Fence::Box(_) => {
                    let inner_start = md.source[range.clone()]
                        .find('\n')
                        .map_or(range.start, |i| range.start + i + 1);
                    let inner = Markdown {
                        source: fenced_content(&md.source[range.clone()]).into(),
                        file: md.file.clone(),
                        line: md.line + line_col(&md.source, inner_start).0 - 1,
                    };
                    found.extend(indicator_directives(&inner));
                }
                Fence::Code(_) => {}
            }
        }
    }
    found
}

/// The lines between a fenced block's opening and closing fence.
fn fenced_content(block: &str) -> String {
    let mut lines: Vec<&str> = block.lines().skip(1).collect();
    if lines
        .last()
        .is_some_and(|l| l.trim_start().starts_with(['`', '~']))
    {
        lines.pop();
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The text blocks of `md` as the reader sees them — paragraphs, headings, list items, table
/// rows, and the title and blocks of each box — each with the file line it starts on. Code and
/// directives are left out. This is what the provenance check looks for in the official text.
pub fn text_blocks(md: &Markdown) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut skip_code = false;
    let line_at = |offset: usize| md.line + line_col(&md.source, offset).0 - 1;
    for (event, range) in Parser::new_ext(&md.source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                if let Fence::Box(title) = fence_kind(&info) {
                    if !title.is_empty() {
                        blocks.push((line_at(range.start), title.to_string()));
                    }
                    let inner_start = md.source[range.clone()]
                        .find('\n')
                        .map_or(range.start, |i| range.start + i + 1);
                    let inner = Markdown {
                        source: fenced_content(&md.source[range.clone()]).into(),
                        file: md.file.clone(),
                        line: line_at(inner_start),
                    };
                    blocks.extend(text_blocks(&inner));
                }
                skip_code = true;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => skip_code = true,
            Event::End(TagEnd::CodeBlock) => skip_code = false,
            Event::Start(
                Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableRow | Tag::TableHead,
            ) if current.is_none() => current = Some((line_at(range.start), String::new())),
            Event::Text(t) | Event::Code(t) if !skip_code => {
                current
                    .get_or_insert_with(|| (line_at(range.start), String::new()))
                    .1
                    .push_str(&t);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => {
                if let Some((line, text)) = current.take() {
                    if !text.trim().is_empty() {
                        blocks.push((line, text));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((line, text)) = current.take().filter(|(_, t)| !t.trim().is_empty()) {
        blocks.push((line, text));
    }
    blocks
}

/// Problems in `md` that only its Markdown structure shows, each with its file line:
/// nesting deeper than [`MAX_NESTING`], and heading attribute blocks (`{#id .class key=value}`)
/// with anything but an id and classes. Boxes are looked into, their depth counting on.
pub fn check(md: &Markdown) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // One line of plain text is one paragraph, with no heading, fence or nesting to report
    // (`html::plain_line`): most measures' texts, not parsed.
    if html::plain_line(&md.source).is_none() {
        check_at(md, 0, &mut found);
    }
    found
}

fn check_at(md: &Markdown, outer_depth: usize, found: &mut Vec<Diagnostic>) {
    let line_at = |offset: usize| md.line + line_col(&md.source, offset).0 - 1;
    let mut depth = outer_depth;
    for (event, range) in Parser::new_ext(&md.source, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > MAX_NESTING {
                    found.push(
                        Diagnostic::new(
                            &*md.file,
                            line_at(range.start),
                            format!("the Markdown is nested more than {MAX_NESTING} levels deep"),
                        )
                        .hint("block quotes, lists, emphasis and boxes count a level each; flatten the text"),
                    );
                    // One report per fragment: the rest is as deep or the same mistake.
                    return;
                }
                match tag {
                    Tag::Heading { attrs, .. } => {
                        for (key, value) in attrs {
                            let written = match value {
                                Some(v) => format!("{key}={v}"),
                                None => key.to_string(),
                            };
                            found.push(
                                Diagnostic::new(
                                    &*md.file,
                                    line_at(range.start),
                                    format!("heading attribute `{written}` is not allowed"),
                                )
                                .hint("a heading's {…} block may hold only `#id` and `.class`"),
                            );
                        }
                    }
                    Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                        if let Fence::Box(_) = fence_kind(&info) {
                            let inner_start = md.source[range.clone()]
                                .find('\n')
                                .map_or(range.start, |i| range.start + i + 1);
                            let inner = Markdown {
                                source: fenced_content(&md.source[range.clone()]).into(),
                                file: md.file.clone(),
                                line: line_at(inner_start),
                            };
                            let before = found.len();
                            check_at(&inner, depth, found);
                            if found[before..]
                                .iter()
                                .any(|d| d.message.starts_with("the Markdown is nested"))
                            {
                                return;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_three_backticks_or_tildes_anywhere() {
        let texts = [
            "",
            "`",
            "``",
            "```",
            "~~~",
            "~~",
            "`~`",
            "~`~~",
            "a``b`",
            "a``~`c",
            "文本```box",
            "x\n~~~~",
            "``",
            "``\n`",
            "金``",
            "金~~~",
            "```金",
            "~~金~",
            "`` ``",
            "``~~``",
        ];
        for text in texts {
            let expected = text.contains("```") || text.contains("~~~");
            assert_eq!(may_have_fence(text), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_text_drops_markup_and_boxes() {
        let md = "**西部金融中心建设成效显著**。持续推进。\n\n第二段。\n\n```box 专栏1 重点项目\n内容\n```\n";
        assert_eq!(
            plain_text(md),
            "西部金融中心建设成效显著。持续推进。\n第二段。"
        );
    }

    #[test]
    fn links_are_found_with_lines() {
        let md = Markdown {
            source: "一。\n\n见[举措](@/plans/a/01-x.md#a-1-1)。\n".into(),
            file: std::path::Path::new("content/x.md").into(),
            line: 10,
        };
        let links = internal_links(&md);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].path, "plans/a/01-x.md");
        assert_eq!(links[0].anchor.as_deref(), Some("a-1-1"));
        assert_eq!(links[0].line, 12);
        assert_eq!(links[0].column, 2);
    }

    #[test]
    fn links_written_every_way_are_found_and_texts_without_any_are_not_parsed() {
        let links = |source: &str| -> Vec<String> {
            let md = Markdown {
                source: source.into(),
                file: std::path::Path::new("content/x.md").into(),
                line: 1,
            };
            internal_links(&md).into_iter().map(|l| l.path).collect()
        };
        assert_eq!(links("见[甲][r]。\n\n[r]: @/a.md\n"), ["a.md"]);
        // An entity for `@` in the destination: no `@` in the text, but a link all the same.
        assert_eq!(
            links("见[甲](&#64;/b.md)和[乙](&#x40;/c.md)。"),
            ["b.md", "c.md"]
        );
        assert_eq!(links("见[甲](&commat;/d.md)。"), ["d.md"]);
        assert!(links("见 @/a.md，无括号。").is_empty());
        assert!(links("见[甲](b.md)。").is_empty());
    }

    #[test]
    fn links_in_boxes_are_found_with_lines() {
        let md = Markdown {
            source: "一。\n\n````box 外\n\n见[甲](@/a.md)。\n\n```box 内\n见[乙](@/b.md)。\n```\n````\n\n- 项\n\n  ```box\n    [丙](@/c.md)\n  ```\n\n```box\n```\n".into(),
            file: std::path::Path::new("content/x.md").into(),
            line: 10,
        };
        let mut found: Vec<(String, usize)> = internal_links(&md)
            .into_iter()
            .map(|l| (l.path, l.line))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("a.md".into(), 14),
                ("b.md".into(), 17),
                ("c.md".into(), 24)
            ]
        );
    }

    #[test]
    fn text_blocks_with_lines() {
        let md = Markdown {
            source: "第一段**粗**。\n\n````box 专栏1：示例\n| 项目 | 数 |\n|---|---|\n| 甲 | 1 |\n\n说明。\n\n```indicators\n```\n````\n\n- 列表项\n".into(),
            file: std::path::Path::new("x.md").into(),
            line: 10,
        };
        let blocks = text_blocks(&md);
        let expected: Vec<(usize, String)> = [
            (10, "第一段粗。"),
            (12, "专栏1：示例"),
            (13, "项目数"),
            (15, "甲1"),
            (17, "说明。"),
            (23, "列表项"),
        ]
        .iter()
        .map(|(l, t)| (*l, t.to_string()))
        .collect();
        assert_eq!(blocks, expected);
    }

    #[test]
    fn directives_are_found_in_boxes_with_lines() {
        let md = Markdown {
            source: "正文。\n\n```indicators\n```\n\n````box 专栏3\n说明。\n\n```indicators second\n```\n````\n".into(),
            file: std::path::Path::new("x.md").into(),
            line: 5,
        };
        assert_eq!(
            indicator_directives(&md),
            vec![(7, String::new()), (13, "second".to_string())]
        );
    }

    #[test]
    fn heading_attributes_and_nesting_are_checked_with_lines() {
        let md = Markdown {
            source: "一。\n\n#### 甲 {#a .b}\n\n#### 乙 {onclick=x}\n\n> > 丙\n".into(),
            file: std::path::Path::new("x.md").into(),
            line: 10,
        };
        let found: Vec<String> = check(&md).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("x.md:14: heading attribute `onclick=x`"),
            "{found:?}"
        );
        let deep = Markdown {
            source: format!("一。\n\n{} 深\n", ">".repeat(MAX_NESTING + 1)).into(),
            file: std::path::Path::new("x.md").into(),
            line: 1,
        };
        let found: Vec<String> = check(&deep).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("x.md:3: the Markdown is nested"),
            "{found:?}"
        );
    }
}
