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
//! Layer 3: may use `model`, `config`, `output`, `util` and `diagnostics`. Besides this file:
//! [`links`] (the link index of a site), [`sanitize`] (the HTML allow-list) and [`highlight`](mod@highlight)
//! (code highlighting).

pub mod highlight;
pub mod links;
pub mod sanitize;

pub use self::highlight::{highlight, highlight_css, warm_up};
pub use crate::util::text::escape;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{line_col, Diagnostic};
use crate::model::{InternalLink, Markdown};

/// How deep Markdown may nest: block quotes, lists and their items, emphasis, links and boxes
/// each count one level. The bundled plans nest at most a few levels; the limit keeps the
/// recursive steps of rendering (sanitiser, minifier) far from their stack limits.
pub const MAX_NESTING: usize = 32;

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
pub fn fragments(md: &Markdown) -> Vec<Markdown> {
    let mut found = vec![md.clone()];
    let mut k = 0;
    let mut depth = vec![0];
    while k < found.len() {
        if depth[k] < MAX_NESTING {
            let inner = boxes(&found[k]);
            depth.extend(std::iter::repeat_n(depth[k] + 1, inner.len()));
            found.extend(inner);
        }
        k += 1;
    }
    found
}

/// The content of each box directly in `md` (not of boxes inside them).
fn boxes(md: &Markdown) -> Vec<Markdown> {
    let mut found = Vec::new();
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
                        source,
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
    fragments(md).iter().flat_map(fragment_links).collect()
}

fn fragment_links(md: &Markdown) -> Vec<InternalLink> {
    let mut links = Vec::new();
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
                    file: md.file.clone(),
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
                        source: fenced_content(&md.source[range.clone()]),
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
                        source: fenced_content(&md.source[range.clone()]),
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
    check_at(md, 0, &mut found);
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
                            &md.file,
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
                                    &md.file,
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
                                source: fenced_content(&md.source[range.clone()]),
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

/// What rendering Markdown needs from the page it lands on.
pub struct HtmlContext<'a> {
    /// The relative path from the page to the site root (`../../`), prefixed to internal links.
    pub root: &'a str,
    /// Resolves an `@/` path and anchor to a site-relative URL (validated before rendering).
    pub resolve: &'a dyn Fn(&str, Option<&str>) -> Option<String>,
    /// The plan's indicator tables as (id, HTML), for the ```` ```indicators ```` directive.
    pub indicators: &'a [(String, String)],
}

/// Marks where generated HTML (fences: boxes, indicator tables, highlighted code) goes back in
/// after sanitising. Content cannot produce it: every string of every event is stripped of it
/// before rendering ([`without_slot`]), whether it was typed or written as `&#xE000;`.
const SLOT: char = '\u{E000}';

/// Renders Markdown to HTML.
///
/// Everything rendered passes an allow-list (ammonia): text-level and table markup, headings
/// with their id and classes, footnotes and links stay; scripts, styles, event handlers, forms
/// and frames go, and link targets keep to http, https, mailto and relative URLs. The HTML of
/// fences is generated by planatlas (escaped, highlighted, or from the theme) and kept aside
/// while the rest is sanitised.
pub fn to_html(source: &str, ctx: &HtmlContext<'_>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut fence: Option<(String, String)> = None;
    let mut generated: Vec<String> = Vec::new();
    for event in Parser::new_ext(source, options()).map(without_slot) {
        if let Some((info, text)) = fence.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    generated.push(render_fence(info, text, ctx));
                    events.push(Event::Html(
                        format!("{SLOT}{}{SLOT}", generated.len() - 1).into(),
                    ));
                    fence = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                fence = Some((info, String::new()));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                events.push(Event::Start(with_resolved_dest(tag, ctx)))
            }
            // Only an id and classes are kept of a heading's attribute block (anything else was
            // reported when the content was loaded).
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => events.push(Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            })),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = crate::markdown::sanitize::sanitizer()
        .clean(&html)
        .to_string();
    if generated.is_empty() {
        return html;
    }
    // Put the generated HTML back in its slots.
    let mut out =
        String::with_capacity(html.len() + generated.iter().map(String::len).sum::<usize>());
    for (k, part) in html.split(SLOT).enumerate() {
        match (
            k % 2,
            part.parse::<usize>().ok().and_then(|i| generated.get(i)),
        ) {
            (1, Some(g)) => out.push_str(g),
            _ => out.push_str(part),
        }
    }
    out
}

/// Raw HTML without the slot marker, typed or written as a numeric character reference
/// (`&#xE000;`, `&#57344`, `&#x0e000;` …), which the sanitiser would decode into the marker
/// itself. No named reference stands for a private-use character.
fn clean_html(s: CowStr<'_>) -> CowStr<'_> {
    if !s.contains(SLOT) && !s.contains("&#") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(i) = rest.find(['&', SLOT]) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix(SLOT) {
            rest = after;
            continue;
        }
        let len = numeric_reference_len(rest, SLOT as u32);
        if len == 0 {
            out.push('&');
            rest = &rest[1..];
        } else {
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    out.into()
}

/// The length of the numeric character reference at the start of `s` if it stands for
/// `code`, else 0.
fn numeric_reference_len(s: &str, code: u32) -> usize {
    let Some(body) = s.strip_prefix("&#") else {
        return 0;
    };
    let (radix, digits_at) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let digits = s[digits_at..]
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if digits == 0 {
        return 0;
    }
    let text = s[digits_at..digits_at + digits].trim_start_matches('0');
    if u32::from_str_radix(text, radix).ok() != Some(code) {
        return 0;
    }
    let end = digits_at + digits;
    end + usize::from(s[end..].starts_with(';'))
}

/// `event` with the slot marker removed from every string it carries.
fn without_slot(event: Event<'_>) -> Event<'_> {
    fn clean(s: CowStr<'_>) -> CowStr<'_> {
        if s.contains(SLOT) {
            s.replace(SLOT, "").into()
        } else {
            s
        }
    }
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean_html(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean_html(t)),
        Event::InlineMath(t) => Event::InlineMath(clean(t)),
        Event::DisplayMath(t) => Event::DisplayMath(clean(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(clean(t)),
        Event::Start(tag) => Event::Start(match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: clean(dest_url),
                title: clean(title),
                id: clean(id),
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: clean(dest_url),
                title: clean(title),
                id: clean(id),
            },
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => Tag::Heading {
                level,
                id: id.map(clean),
                classes: classes.into_iter().map(clean).collect(),
                attrs: attrs
                    .into_iter()
                    .map(|(k, v)| (clean(k), v.map(clean)))
                    .collect(),
            },
            Tag::FootnoteDefinition(label) => Tag::FootnoteDefinition(clean(label)),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                Tag::CodeBlock(CodeBlockKind::Fenced(clean(info)))
            }
            other => other,
        }),
        other => other,
    }
}

/// A link or image tag with its destination resolved (`@/` paths) or made safe.
fn with_resolved_dest<'a>(tag: Tag<'a>, ctx: &HtmlContext<'_>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: resolve_url(&dest_url, ctx),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: resolve_url(&dest_url, ctx),
            title,
            id,
        },
        other => other,
    }
}

fn resolve_url<'a>(dest: &CowStr<'a>, ctx: &HtmlContext<'_>) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        // Links were validated; an unresolved one here renders as the site root.
        let url = (ctx.resolve)(path, anchor).unwrap_or_default();
        return format!("{}{}", ctx.root, url).into();
    }
    if is_safe_url(dest) {
        dest.clone()
    } else {
        "#".into()
    }
}

/// Links may go to http(s), mailto, or a relative path; `javascript:` and other schemes are
/// dropped.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after the first `/`, `?` or `#` is part of a path, not a scheme.
            let first_sep = lower.find(['/', '?', '#']).unwrap_or(usize::MAX);
            if first_sep < colon {
                return true;
            }
            lower.starts_with("http:")
                || lower.starts_with("https:")
                || lower.starts_with("mailto:")
        }
    }
}

fn render_fence(info: &str, text: &str, ctx: &HtmlContext<'_>) -> String {
    match fence_kind(info) {
        Fence::Box(title) => {
            let mut html = String::from("<aside class=\"box\">");
            let mut inner = to_html(text, ctx);
            if !title.is_empty() {
                html.push_str("<p class=\"box-title\">");
                html.push_str(&escape(title));
                html.push_str("</p>");
                // A table titled like its box needs no second caption.
                inner = inner.replacen(
                    &format!("<figcaption>{}</figcaption>", escape(title)),
                    "",
                    1,
                );
            }
            html.push_str(&inner);
            html.push_str("</aside>");
            html
        }
        Fence::Indicators(id) => ctx
            .indicators
            .iter()
            .find(|(table, _)| id.is_empty() || table == id)
            .map(|(_, html)| html.clone())
            .unwrap_or_default(),
        Fence::Code(lang) => highlight(text, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    static TABLES: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        vec![
            ("main".into(), "<table>T</table>".into()),
            (
                "second".into(),
                "<figure><figcaption>专栏3 指标</figcaption><table>S</table></figure>".into(),
            ),
        ]
    });

    fn ctx<'a>(resolve: &'a dyn Fn(&str, Option<&str>) -> Option<String>) -> HtmlContext<'a> {
        HtmlContext {
            root: "../",
            resolve,
            indicators: &self::TABLES,
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
            file: PathBuf::from("content/x.md"),
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
    fn links_in_boxes_are_found_with_lines() {
        let md = Markdown {
            source: "一。\n\n````box 外\n\n见[甲](@/a.md)。\n\n```box 内\n见[乙](@/b.md)。\n```\n````\n\n- 项\n\n  ```box\n    [丙](@/c.md)\n  ```\n\n```box\n```\n".into(),
            file: PathBuf::from("content/x.md"),
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
    fn html_resolves_links_boxes_and_directives() {
        let resolve = |p: &str, a: Option<&str>| {
            Some(format!(
                "plans/a/x/{}",
                a.map(|a| format!("#{a}")).unwrap_or_default()
            ))
            .filter(|_| p == "plans/a/01-x.md")
        };
        let html = to_html(
            "见[举措](@/plans/a/01-x.md#a-1-1)。\n\n```box 专栏1 标题\n**粗**\n```\n\n```indicators\n```\n",
            &ctx(&resolve),
        );
        assert!(html.contains("href=\"../plans/a/x/#a-1-1\""), "{html}");
        assert!(html.contains("<aside class=\"box\"><p class=\"box-title\">专栏1 标题</p><p><strong>粗</strong></p>\n</aside>"), "{html}");
        assert!(html.contains("<table>T</table>"), "{html}");
        let html = to_html(
            "````box 专栏3 指标\n```indicators second\n```\n````\n",
            &ctx(&resolve),
        );
        assert!(html.contains("<aside class=\"box\"><p class=\"box-title\">专栏3 指标</p><figure><table>S</table></figure></aside>"), "{html}");
    }

    #[test]
    fn text_blocks_with_lines() {
        let md = Markdown {
            source: "第一段**粗**。\n\n````box 专栏1：示例\n| 项目 | 数 |\n|---|---|\n| 甲 | 1 |\n\n说明。\n\n```indicators\n```\n````\n\n- 列表项\n".into(),
            file: PathBuf::from("x.md"),
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
            file: PathBuf::from("x.md"),
            line: 5,
        };
        assert_eq!(
            indicator_directives(&md),
            vec![(7, String::new()), (13, "second".to_string())]
        );
    }

    #[test]
    fn raw_html_keeps_to_the_allow_list_and_bad_schemes_are_dropped() {
        let resolve = |_: &str, _: Option<&str>| None;
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) H<sub>2</sub>O <b onclick=\"alert(2)\">粗</b> <iframe src=\"https://evil.example\"></iframe>\n\n```box 专栏1 示例\n框内\n```\n",
            &ctx(&resolve),
        );
        assert!(
            !html.contains("<script") && !html.contains("alert(1)"),
            "{html}"
        );
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(html.contains("H<sub>2</sub>O"), "{html}");
        assert!(html.contains("<b>粗</b>"), "{html}");
        assert!(
            !html.contains("iframe") && !html.contains("onclick"),
            "{html}"
        );
        // The generated box survives sanitising as generated.
        assert!(html.contains("专栏1") && html.contains("框内"), "{html}");
        assert!(!html.contains('\u{E000}'), "{html}");
        // A slot marker typed into content stays out of the way.
        let html = to_html("a\u{E000}0\u{E000}b <i>c</i>", &ctx(&resolve));
        assert!(html.contains("a0b"), "{html}");
    }

    /// Markdown without raw HTML is sanitised too: a heading attribute block keeps its id and
    /// classes only, whatever else it holds.
    #[test]
    fn markdown_without_raw_html_is_sanitised() {
        let resolve = |_: &str, _: Option<&str>| None;
        let html = to_html(
            "#### 小标题 {#sub-a .note onfocus=alert(1) autofocus style=color:red}\n\n正文[^1]。\n\n[^1]: 注。\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n",
            &ctx(&resolve),
        );
        assert!(
            html.starts_with("<h4 id=\"sub-a\" class=\"note\">小标题</h4>"),
            "{html}"
        );
        assert!(
            !html.contains("onfocus") && !html.contains("autofocus") && !html.contains("color"),
            "{html}"
        );
        // Footnotes and aligned tables keep what pulldown-cmark gives them.
        assert!(html.contains("class=\"footnote-reference\""), "{html}");
        assert!(
            html.contains("<div class=\"footnote-definition\" id=\"1\">"),
            "{html}"
        );
        assert!(
            html.contains("<th style=\"text-align: left\">a</th>"),
            "{html}"
        );
    }

    /// The slot marker cannot come from content: not typed, not as an entity, not in a link
    /// title or inline code.
    #[test]
    fn slot_markers_from_content_are_dropped() {
        let resolve = |_: &str, _: Option<&str>| None;
        let html = to_html(
            "[a](https://e.org \"\u{E000}0\u{E000}\") `\u{E000}0\u{E000}` &#xE000;0&#xE000;\n\n```box 专栏1 框\n内\n```\n",
            &ctx(&resolve),
        );
        assert_eq!(html.matches("专栏1").count(), 1, "{html}");
        assert!(!html.contains('\u{E000}'), "{html}");
    }

    #[test]
    fn slot_references_in_raw_html_are_dropped() {
        let resolve = |_: &str, _: Option<&str>| None;
        for raw in [
            "<span title=\"&#xE000;0&#xE000;\">甲</span>",
            "<span title=\"&#57344;0&#57344\">甲</span>",
            "<div>&#x0e000;0&#X000E000;</div>",
            "<div>\u{E000}0\u{E000}</div>",
        ] {
            let html = to_html(
                &format!("{raw}\n\n```box 专栏1 框\n内\n```\n"),
                &ctx(&resolve),
            );
            assert_eq!(html.matches("专栏1").count(), 1, "{raw}: {html}");
            assert!(!html.contains('\u{E000}'), "{raw}: {html}");
            assert!(!html.contains("title=\"<"), "{raw}: {html}");
        }
        // Other references are left as they are.
        assert_eq!(
            clean_html("&#x4E00;&amp;&#57345;&#".into()).as_ref(),
            "&#x4E00;&amp;&#57345;&#"
        );
    }

    #[test]
    fn heading_attributes_and_nesting_are_checked_with_lines() {
        let md = Markdown {
            source: "一。\n\n#### 甲 {#a .b}\n\n#### 乙 {onclick=x}\n\n> > 丙\n".into(),
            file: PathBuf::from("x.md"),
            line: 10,
        };
        let found: Vec<String> = check(&md).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("x.md:14: heading attribute `onclick=x`"),
            "{found:?}"
        );
        let deep = Markdown {
            source: format!("一。\n\n{} 深\n", ">".repeat(MAX_NESTING + 1)),
            file: PathBuf::from("x.md"),
            line: 1,
        };
        let found: Vec<String> = check(&deep).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("x.md:3: the Markdown is nested"),
            "{found:?}"
        );
    }

    #[test]
    fn toml_is_highlighted_with_classes() {
        let html = highlight("title = \"x\"\n", "toml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html
            .starts_with("<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-toml\">"));
        assert!(highlight("a<b", "nosuchlang").contains("a&lt;b"));
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("https://www.gov.cn/"));
        assert!(is_safe_url("mailto:a@b.c"));
        assert!(is_safe_url("../plans/"));
        assert!(is_safe_url("a/b:c"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
    }
}
