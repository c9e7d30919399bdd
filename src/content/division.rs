//! A chapter or section file: its Markdown split into text, measures and interludes.

use super::*;
use crate::model::shared::SharedText;

/// Keys a measure heading may carry.
pub(super) const MEASURE_KEYS: &[&str] =
    &["themes", "units", "related", "not_related", "implements"];

/// A division's body cut into its parts.
pub(super) struct Split {
    pub(super) intro: Markdown,
    pub(super) measures: Vec<Measure>,
    pub(super) interludes: Vec<Interlude>,
    pub(super) boxes: Vec<MeasureBox>,
}

impl Loader<'_> {
    pub(super) fn load_division(
        &mut self,
        path: &Path,
        slug: String,
        url: String,
    ) -> Option<Division> {
        let file = self.read_content_file(path)?;
        // On bad front matter the body is still read, so its problems show in the same run.
        let fm: DivisionFrontMatter =
            self.parse_front_matter(&file)
                .unwrap_or(DivisionFrontMatter {
                    number: None,
                    title: slug.clone(),
                });
        if fm.title.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    &file.display,
                    file.front_matter_line,
                    "`title` may not be empty",
                )
                .hint("give the heading as the plan writes it"),
            );
        }
        let Split {
            intro,
            mut measures,
            interludes,
            boxes,
        } = self.split_measures(&file);
        // Held to the end of the build: a vector grown by doubling has room for half as many
        // measures again on average (180 bytes a measure, 8 % of the model).
        measures.shrink_to_fit();
        Some(Division {
            slug,
            url,
            number: fm.number.filter(|n| !n.is_empty()),
            title: fm.title,
            file: file.display,
            intro,
            measures,
            interludes,
            boxes,
        })
    }

    pub(super) fn markdown(&mut self, source: &str, file: &Arc<Path>, line: usize) -> Markdown {
        let md = Markdown {
            source: source.into(),
            file: Arc::clone(file),
            line,
        };
        self.check_markdown(&md);
        md
    }

    /// Notes the internal links of `md` and reports its problems.
    fn check_markdown(&mut self, md: &Markdown) {
        self.links.extend(internal_links(md));
        for d in crate::markdown::check(md) {
            self.diagnostics.push(d);
        }
    }

    /// A measure's plain text (`heading`, then its body without markup), the length of the
    /// body's part of it, and the body as Markdown, checked: a body that is one line of plain
    /// text is held in the text ([`body_in_text`]), not copied first and dropped.
    fn measure_body(
        &mut self,
        heading: &str,
        source: &str,
        file: &Arc<Path>,
        line: usize,
    ) -> (Arc<str>, usize, Markdown) {
        let body_text = plain_text(source);
        let text: Arc<str> = match (heading.is_empty(), body_text.is_empty()) {
            (true, _) => Arc::from(body_text.as_str()),
            (false, true) => Arc::from(heading),
            (false, false) => Arc::from(format!("{heading}{body_text}")),
        };
        let (source, lead) = body_in_text(source, &text, body_text.len());
        let md = Markdown {
            source,
            file: Arc::clone(file),
            line: line + lead,
        };
        self.check_markdown(&md);
        (text, body_text.len(), md)
    }

    /// Cuts a division's body into its intro, its measures (level-3 headings), the
    /// interludes between them (a level-4 sub-heading with the prose under it) and its boxes
    /// of measures (a ```` ```box ```` fence holding level-3 headings: lifted out of the measure
    /// it stands in, its items measures of their own).
    pub(super) fn split_measures(&mut self, file: &ContentFile) -> Split {
        // One path for every text of the file.
        let display: Arc<Path> = Arc::from(file.display.as_path());
        struct Pending {
            heading: String,
            attrs: crate::content::attrs::HeadingAttrs,
            line: usize,
            body_start: usize,
            /// The attribute block could not be read (already reported): keep the place, skip the measure.
            broken: bool,
        }
        let lines: Vec<&str> = file.body.split_inclusive('\n').collect();
        let mut offsets = Vec::with_capacity(lines.len() + 1);
        let mut offset = 0;
        for l in &lines {
            offsets.push(offset);
            offset += l.len();
        }
        offsets.push(offset);

        /// Where a piece of the body starts: what follows is cut off at the next one.
        enum Cut {
            Measure(Pending),
            /// A level-4 sub-heading, the piece starting at its heading line.
            Interlude,
            /// The opening fence of a box of measures; its intro starts at `body_start`.
            BoxOpen {
                title: String,
                body_start: usize,
            },
            /// The closing fence of a box of measures; nothing but blank lines may follow
            /// it before the next heading.
            BoxClose {
                body_start: usize,
            },
        }
        let mut intro_end = file.body.len();
        let mut pending: Vec<(usize, Cut)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        // Which lines continue a list item, worked out when an indented `#` line asks.
        let mut list_lines: Option<Vec<bool>> = None;
        let mut measure_boxes = measure_boxes(&lines).into_iter().peekable();
        // The closing line of the box of measures being read.
        let mut in_box: Option<usize> = None;
        for (i, line) in lines.iter().enumerate() {
            let file_line = file.body_line + i;
            let trimmed = line.trim_end_matches('\n');
            if in_box == Some(i) {
                in_box = None;
                fence = None;
                ends.push(offsets[i]);
                pending.push((
                    file_line,
                    Cut::BoxClose {
                        body_start: offsets[i + 1],
                    },
                ));
                continue;
            }
            let found = measure_boxes.next_if(|b| b.open == i);
            if found.as_ref().is_some_and(|b| b.indented) {
                self.diagnostics.push(
                    Diagnostic::new(&file.display, file_line, "a box holding measure headings is indented")
                        .column(1)
                        .hint("a box of measures stands between measures, at the left margin: start its fences and its `###` headings at the left margin, outside any list"),
                );
            }
            if let Some(MeasureBoxLines { close, title, .. }) = found.filter(|b| !b.indented) {
                if pending.is_empty() {
                    intro_end = offsets[i];
                } else {
                    ends.push(offsets[i]);
                }
                pending.push((
                    file_line,
                    Cut::BoxOpen {
                        title,
                        body_start: offsets[i + 1],
                    },
                ));
                in_box = Some(close);
                continue;
            }
            if let Some((c, n)) = fence {
                let t = trimmed.trim_start();
                if t.chars().take_while(|x| *x == c).count() >= n
                    && t.trim_start_matches(c).trim().is_empty()
                {
                    fence = None;
                }
                continue;
            }
            let t = trimmed.trim_start();
            if let Some(c) = t.chars().next().filter(|c| *c == '`' || *c == '~') {
                let n = t.chars().take_while(|x| *x == c).count();
                if n >= 3 {
                    fence = Some((c, n));
                    continue;
                }
            }
            // An indented heading inside a list item is the item's: a sub-heading there is
            // fine, a measure heading is not (a measure cannot stand in a list).
            let rest = trimmed.trim_start_matches([' ', '\t']);
            let in_list = rest.len() < trimmed.len()
                && rest.starts_with('#')
                && *list_lines
                    .get_or_insert_with(|| list_item_lines(&file.body, lines.len()))
                    .get(i)
                    .unwrap_or(&false);
            if in_list && rest.chars().take_while(|c| *c == '#').count() != 3 {
                continue;
            }
            let slip = if in_list {
                Some(crate::content::slips::HeadingSlip {
                    message: format!(
                        "the measure heading stands inside a list item, indented by {}",
                        crate::content::slips::describe_indent(&trimmed[..trimmed.len() - rest.len()])
                    ),
                    hint: "a measure cannot stand in a list: end the list with a blank line and start the heading at the left margin with `###`",
                    fixed: rest.to_string(),
                })
            } else {
                crate::content::slips::heading_slip(trimmed)
                    .or_else(|| crate::content::slips::indented_heading(trimmed))
            };
            // A heading typed wrongly is reported, then read as the heading it was meant to be.
            let fixed;
            let trimmed = match slip {
                Some(slip) => {
                    self.diagnostics.push(
                        Diagnostic::new(&file.display, file_line, slip.message)
                            .column(1)
                            .hint(slip.hint),
                    );
                    fixed = slip.fixed;
                    fixed.as_str()
                }
                None => trimmed,
            };
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let after = &trimmed[hashes..];
            if hashes == 0 || hashes > 6 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
                if let Some(column) = crate::content::slips::stray_attribute_block(trimmed) {
                    self.diagnostics.push(
                        Diagnostic::new(&file.display, file_line, "the line ends with an attribute block `{#…}` but is not a heading")
                            .column(column)
                            .hint("a measure heading starts the line with `### `; if the block is not meant as one, remove it"),
                    );
                }
                continue;
            }
            if hashes < 3 {
                self.diagnostics.push(
                    Diagnostic::new(&file.display, file_line, format!("a level-{hashes} heading in a plan file"))
                        .column(1)
                        .hint("chapter and section titles come from the front matter; write a measure as `### lead phrase {#id themes=\"…\"}`"),
                );
                continue;
            }
            if hashes > 4 {
                continue;
            }
            if hashes == 4 && in_box.is_some() {
                self.diagnostics.push(
                    Diagnostic::new(&file.display, file_line, "a level-4 sub-heading inside a box of measures")
                        .column(1)
                        .hint("a box of measures holds its intro and its `###` measures only: put the sub-heading before or after the box, or make its text part of the intro"),
                );
                continue;
            }
            if pending.is_empty() {
                intro_end = offsets[i];
            } else {
                ends.push(offsets[i]);
            }
            if hashes == 4 {
                pending.push((file_line, Cut::Interlude));
                continue;
            }
            match split_heading(after, hashes) {
                Ok((heading, attrs)) => pending.push((
                    file_line,
                    Cut::Measure(Pending {
                        heading,
                        attrs,
                        line: file_line,
                        body_start: offsets[i + 1],
                        broken: false,
                    }),
                )),
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            &file.display,
                            file_line,
                            format!("bad heading attributes: {}", e.message),
                        )
                        .column(e.column)
                        .hint("write the block as {#id themes=\"slug other-slug\"}"),
                    );
                    pending.push((
                        file_line,
                        Cut::Measure(Pending {
                            heading: String::new(),
                            attrs: Default::default(),
                            line: file_line,
                            body_start: offsets[i + 1],
                            broken: true,
                        }),
                    ));
                }
            }
        }
        if fence.is_some() {
            self.diagnostics.push(
                Diagnostic::new(
                    &file.display,
                    file.body_line + lines.len().saturating_sub(1),
                    "a fenced block is never closed",
                )
                .hint("close the ``` block with a line of ```"),
            );
        }
        ends.push(file.body.len());
        let intro_source = &file.body[..intro_end];
        let intro = self.markdown(intro_source, &display, file.body_line);
        let mut measures = Vec::new();
        let mut interludes = Vec::new();
        let mut boxes: Vec<MeasureBox> = Vec::new();
        let starts: Vec<usize> = std::iter::once(intro_end)
            .chain(ends.iter().copied())
            .collect();
        for (((line, cut), end), start) in pending.into_iter().zip(ends).zip(starts) {
            let p = match cut {
                Cut::Measure(p) => p,
                Cut::Interlude => {
                    let body = self.markdown(&file.body[start..end], &display, line);
                    interludes.push(Interlude {
                        before: measures.len(),
                        body,
                    });
                    continue;
                }
                Cut::BoxOpen { title, body_start } => {
                    let source = &file.body[body_start.min(end)..end];
                    let intro = self.markdown(source, &display, line + 1);
                    boxes.push(MeasureBox {
                        title,
                        intro,
                        first: measures.len(),
                        count: 0,
                        file: file.display.clone(),
                        line,
                    });
                    continue;
                }
                Cut::BoxClose { body_start } => {
                    if let Some(b) = boxes.last_mut() {
                        b.count = measures.len() - b.first;
                    }
                    let after = &file.body[body_start.min(end)..end];
                    if let Some(k) = after.lines().position(|l| !l.trim().is_empty()) {
                        self.diagnostics.push(
                            Diagnostic::new(&file.display, line + 1 + k, "text after a box of measures, before the next heading")
                                .hint("a box of measures ends the measure it stands in, so this text belongs to nothing: put it before the box, or give it a heading (`### … {#id themes=\"…\"}` or `#### …`)"),
                        );
                    }
                    continue;
                }
            };
            let body_line = p.line + 1;
            let body_source = &file.body[p.body_start.min(end)..end];
            let body = self.measure_body(&p.heading, body_source, &display, body_line);
            if p.broken {
                continue;
            }
            if let Some(m) = self.measure(&display, p.heading, p.attrs, p.line, body) {
                measures.push(m);
            }
        }
        Split {
            intro,
            measures,
            interludes,
            boxes,
        }
    }

    pub(super) fn measure(
        &mut self,
        file: &Arc<Path>,
        heading: String,
        attrs: crate::content::attrs::HeadingAttrs,
        line: usize,
        // The plain text, the length of the body's part of it, the body (`measure_body`).
        (text, body_len, body): (Arc<str>, usize, Markdown),
    ) -> Option<Measure> {
        let display: &Path = file;
        let mut ok = true;
        let id = match &attrs.id {
            Some(id) if is_valid_id(id) => id.clone(),
            Some(id) => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("measure id `{id}` has characters not allowed in URLs"))
                        .hint("use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. sc-3-1-1"),
                );
                return None;
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, "the measure heading has no id")
                        .hint("end the heading with {#plan-chapter-section-n themes=\"…\"}, e.g. {#sc-3-1-1 themes=\"institutions\"}"),
                );
                return None;
            }
        };
        for (key, _) in &attrs.pairs {
            if !MEASURE_KEYS.contains(&key.as_str()) {
                ok = false;
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!("measure `{id}`: unknown attribute `{key}`"),
                    )
                    .hint(format!(
                        "a measure heading may carry {}",
                        MEASURE_KEYS.join(", ")
                    )),
                );
            }
        }
        let themes = attrs.list("themes");
        if themes.is_empty() || themes.len() > 3 {
            ok = false;
            self.diagnostics.push(
                Diagnostic::new(
                    display,
                    line,
                    format!(
                        "measure `{id}` has {} themes; it needs 1 to 3",
                        themes.len()
                    ),
                )
                .hint("add themes=\"slug\" with one to three slugs from content/themes.toml"),
            );
        }
        let body_text = &text[text.len() - body_len..];
        if text.trim().is_empty() {
            ok = false;
            self.diagnostics.push(
                Diagnostic::new(display, line, format!("measure `{id}` is empty"))
                    .hint("put the measure's text below its heading, or remove the heading"),
            );
        }
        let title = measure_title(&heading, body_text);
        let units = attrs.get("units").map(parse_units).unwrap_or_default();
        if !ok {
            return None;
        }
        Some(Measure {
            id,
            heading,
            title,
            themes,
            units,
            related: attrs.list("related"),
            not_related: attrs.list("not_related"),
            implements: attrs.get("implements").map(str::to_string),
            body,
            text,
            file: Arc::clone(file),
            line,
        })
    }
}

/// The body `source` as the tail of its measure's plain text `text` (whose last `body_len`
/// bytes are the body's plain text) when it is that tail exactly, blank lines around it aside:
/// one line of plain text (a paragraph of one line without markup), held once, with how many
/// lines it starts below `source` (its line is then that line's). Any other body as it is.
fn body_in_text(source: &str, text: &Arc<str>, body_len: usize) -> (SharedText, usize) {
    let trimmed = source.trim_start_matches('\n');
    // Blank lines before and after a paragraph change nothing of what it renders to.
    let lead = source.len() - trimmed.len();
    let trimmed = trimmed.trim_end_matches('\n');
    let tail = text.len() - body_len;
    if body_len > 0 && trimmed == &text[tail..] {
        if let Some(part) = SharedText::part(text, tail..text.len()) {
            return (part, lead);
        }
    }
    (source.into(), 0)
}

/// The opening fence of `line` (its character and length), if it opens a fenced block.
fn fence_open(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Whether `line` closes a fence opened with `n` times `c`.
fn fence_closes(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.trim_start_matches(c).is_empty()
}

/// A box fence holding measure headings, its lines counted from 0.
#[derive(Debug, PartialEq)]
struct MeasureBoxLines {
    open: usize,
    close: usize,
    title: String,
    /// The fence does not start at the left margin (in a list item): reported, then read as
    /// an ordinary box.
    indented: bool,
}

/// The boxes of measures among `lines`: box fences, closed, that hold a level-3 heading outside
/// any fence inside them. Other boxes are read as before: a fenced block the loader skips.
fn measure_boxes(lines: &[&str]) -> Vec<MeasureBoxLines> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches(['\n', '\r']);
        let Some(open) = fence_open(line) else {
            i += 1;
            continue;
        };
        let close = (i + 1..lines.len()).find(|&j| fence_closes(lines[j], open));
        let end = close.unwrap_or(lines.len());
        let info = line.trim_start().trim_start_matches(open.0);
        if let (Some(title), Some(close)) = (crate::markdown::box_title(info), close) {
            let mut inner: Option<(char, usize)> = None;
            let has_measure = lines[i + 1..close].iter().any(|l| {
                if let Some(f) = inner {
                    if fence_closes(l, f) {
                        inner = None;
                    }
                    return false;
                }
                if let Some(f) = fence_open(l) {
                    inner = Some(f);
                    return false;
                }
                let t = l.trim_start_matches([' ', '\t']);
                t.chars().take_while(|c| *c == '#').count() == 3
            });
            if has_measure {
                found.push(MeasureBoxLines {
                    open: i,
                    close,
                    title: title.to_string(),
                    indented: line.starts_with([' ', '\t']),
                });
            }
        }
        i = end + 1;
    }
    found
}

/// For each of the `count` lines of `body`: whether it continues a list item (stands inside
/// one, after the item's first line), as CommonMark reads it.
fn list_item_lines(body: &str, count: usize) -> Vec<bool> {
    let mut inside = vec![false; count];
    // Where each line starts, so that an offset finds its line in log time.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    for (event, range) in
        pulldown_cmark::Parser::new_ext(body, crate::markdown::options()).into_offset_iter()
    {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Item) = event {
            let first = line_of(range.start);
            let last = line_of(range.end.saturating_sub(1).max(range.start));
            for flag in inside.iter_mut().take(last + 1).skip(first + 1) {
                *flag = true;
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        measure_boxes(&lines)
            .into_iter()
            .filter(|b| !b.indented)
            .map(|b| (b.open, b.close, b.title))
            .collect()
    }

    #[test]
    fn boxes_of_measures_are_boxes_with_measure_headings() {
        let text = "正文。\n\n```box 专栏4：标题\n引言。\n\n### 1. {#a-1-1-2 themes=\"x\"}\n\n内容；\n```\n\n```box 专栏5 事实\n**粗**。\n#### 小标题\n```\n";
        assert_eq!(found(text), vec![(2, 8, "专栏4：标题".to_string())]);
        // A `###` inside a fence inside the box, an indented box, an unclosed box, a code
        // block: none is a box of measures.
        assert!(found("````box 专栏1\n```text\n### 代码\n```\n````\n").is_empty());
        assert!(found("  ```box 专栏1\n### 1. {#a}\n  ```\n").is_empty());
        let lines: Vec<&str> = "- 项\n\n  ```box 专栏1\n  ### 1. {#a}\n  ```\n"
            .split_inclusive('\n')
            .collect();
        assert!(measure_boxes(&lines)[0].indented);
        assert!(found("```box 专栏1\n### 1. {#a}\n").is_empty());
        assert!(found("```text\n### 1. {#a}\n```\n").is_empty());
        // The outer fence closes only with as many backticks as it opened with.
        let nested = "````box 专栏1\n```indicators\n```\n\n### 1. {#a}\n\n文字。\n````\n后文。\n";
        assert_eq!(found(nested), vec![(0, 7, "专栏1".to_string())]);
        // A box after another fenced block is still found.
        let after = "```text\n```box 不是\n```\n```box 专栏2\n### 2. {#b}\n```\n";
        assert_eq!(found(after), vec![(3, 5, "专栏2".to_string())]);
    }

    /// Whether `part` lies inside `whole`'s bytes (is held by it, not a copy).
    fn held_in(part: &str, whole: &str) -> bool {
        let (p, w) = (part.as_ptr() as usize, whole.as_ptr() as usize);
        p >= w && p + part.len() <= w + whole.len()
    }

    /// The body `source` of a measure headed `heading`, as the loader makes it: its plain text
    /// and the body kept, held in the text where it can be.
    fn loaded(heading: &str, source: &str) -> (Arc<str>, Markdown, Markdown) {
        let file: Arc<Path> = Path::new("content/plans/x/01-a.md").into();
        let original = Markdown {
            source: source.into(),
            file,
            line: 7,
        };
        let plain = plain_text(&original.source);
        let text: Arc<str> = Arc::from(format!("{heading}{plain}"));
        let (source, lead) = body_in_text(&original.source, &text, plain.len());
        let kept = Markdown {
            source,
            file: Arc::clone(&original.file),
            line: original.line + lead,
        };
        (text, original, kept)
    }

    #[test]
    fn a_body_of_one_plain_line_is_held_as_the_tail_of_its_text() {
        let (text, original, kept) = loaded("一、标题。", "\n正文一段。\n\n");
        assert_eq!(&*kept.source, "正文一段。");
        assert!(held_in(&kept.source, &text));
        // Its first line is that line, past the blank line.
        assert_eq!(kept.line, 8);
        assert_eq!(kept.file, original.file);
        // Markup, two lines or paragraphs, indentation, a heading, an empty body: the body is
        // not its plain text, and is kept as it is.
        for source in [
            "\n**正文**一段。\n",
            "\n正文。\n\n一段。\n",
            "\n正文\n一段。\n",
            "\n    正文一段。\n",
            "\n# 正文\n",
            "\n1. 正文\n",
            "\n正文&amp;一段\n",
            "\n",
        ] {
            let (text, original, kept) = loaded("标题。", source);
            assert_eq!(kept, original, "{source:?}");
            assert!(!held_in(&kept.source, &text), "{source:?}");
        }
    }

    #[test]
    fn a_body_held_in_its_text_renders_cites_and_checks_as_it_did() {
        let resolve = |_: &str, _: Option<&str>| None;
        let ctx = crate::markdown::HtmlContext {
            root: "../",
            resolve: &resolve,
            indicators: &[],
        };
        let lines = |md: &Markdown| -> Vec<(usize, String)> {
            crate::markdown::check(md)
                .into_iter()
                .map(|d| (d.line, d.message))
                .collect()
        };
        for source in [
            "\n支持试点（QFLP）。\n\n",
            "\n\n\n[注] a|b #标签 1) \\a\n",
            "正文。",
        ] {
            let (text, original, kept) = loaded("标题。", source);
            assert!(held_in(&kept.source, &text), "{source:?}");
            assert_eq!(
                crate::markdown::to_html(&kept.source, &ctx),
                crate::markdown::to_html(&original.source, &ctx),
                "{source:?}"
            );
            assert_eq!(
                crate::markdown::text_blocks(&kept),
                crate::markdown::text_blocks(&original),
                "{source:?}"
            );
            assert_eq!(lines(&kept), lines(&original), "{source:?}");
        }
    }

    #[test]
    fn the_real_plans_bodies_are_held_once_where_they_are_their_texts_tails() {
        let site = crate::content::bundled_site();
        let (mut held, mut all) = (0, 0);
        for m in site.plans.iter().flat_map(|p| p.measures()) {
            all += 1;
            let plain = plain_text(&m.body.source);
            let one_plain_line = !plain.is_empty() && m.body.source.trim_matches('\n') == plain;
            assert_eq!(held_in(&m.body.source, &m.text), one_plain_line, "{}", m.id);
            held += usize::from(one_plain_line);
        }
        // Most measures are one line of plain text; some have lists, tables or markup.
        assert!(held * 2 > all, "{held} of {all}");
        assert!(held < all, "{held} of {all}");
    }
}
