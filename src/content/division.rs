//! A chapter or section file: its Markdown split into text, measures and interludes.

use super::*;

/// Keys a measure heading may carry.
pub(super) const MEASURE_KEYS: &[&str] =
    &["themes", "units", "related", "not_related", "implements"];

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
        let (intro, measures, interludes) = self.split_measures(&file);
        Some(Division {
            slug,
            url,
            number: fm.number.filter(|n| !n.is_empty()),
            title: fm.title,
            file: file.display,
            intro,
            measures,
            interludes,
        })
    }

    pub(super) fn markdown(&mut self, source: &str, file: &Path, line: usize) -> Markdown {
        let md = Markdown {
            source: source.to_string(),
            file: file.to_path_buf(),
            line,
        };
        self.links.extend(internal_links(&md));
        for d in crate::markdown::check(&md) {
            self.diagnostics.push(d);
        }
        md
    }

    /// Cuts a division's body into its intro, its measures (level-3 headings) and the
    /// interludes between them (a level-4 sub-heading with the prose under it).
    pub(super) fn split_measures(
        &mut self,
        file: &ContentFile,
    ) -> (Markdown, Vec<Measure>, Vec<Interlude>) {
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

        let mut intro_end = file.body.len();
        // Each cut starts a measure (Some) or an interlude (None, starting at its heading line).
        let mut pending: Vec<(usize, Option<Pending>)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        // Which lines continue a list item, worked out when an indented `#` line asks.
        let mut list_lines: Option<Vec<bool>> = None;
        for (i, line) in lines.iter().enumerate() {
            let file_line = file.body_line + i;
            let trimmed = line.trim_end_matches('\n');
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
            if pending.is_empty() {
                intro_end = offsets[i];
            } else {
                ends.push(offsets[i]);
            }
            if hashes == 4 {
                pending.push((file_line, None));
                continue;
            }
            match split_heading(after, hashes) {
                Ok((heading, attrs)) => pending.push((
                    file_line,
                    Some(Pending {
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
                        Some(Pending {
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
        let intro = self.markdown(intro_source, &file.display, file.body_line);
        let mut measures = Vec::new();
        let mut interludes = Vec::new();
        let starts: Vec<usize> = std::iter::once(intro_end)
            .chain(ends.iter().copied())
            .collect();
        for (((line, p), end), start) in pending.into_iter().zip(ends).zip(starts) {
            let Some(p) = p else {
                let body = self.markdown(&file.body[start..end], &file.display, line);
                interludes.push(Interlude {
                    before: measures.len(),
                    body,
                });
                continue;
            };
            let body_line = p.line + 1;
            let body_source = &file.body[p.body_start.min(end)..end];
            let body = self.markdown(body_source, &file.display, body_line);
            if p.broken {
                continue;
            }
            if let Some(m) = self.measure(&file.display, p.heading, p.attrs, p.line, body) {
                measures.push(m);
            }
        }
        (intro, measures, interludes)
    }

    pub(super) fn measure(
        &mut self,
        display: &Path,
        heading: String,
        attrs: crate::content::attrs::HeadingAttrs,
        line: usize,
        body: Markdown,
    ) -> Option<Measure> {
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
        let body_text = plain_text(&body.source);
        let text = match (heading.is_empty(), body_text.is_empty()) {
            (true, _) => body_text.clone(),
            (false, true) => heading.clone(),
            (false, false) => format!("{heading}{body_text}"),
        };
        if text.trim().is_empty() {
            ok = false;
            self.diagnostics.push(
                Diagnostic::new(display, line, format!("measure `{id}` is empty"))
                    .hint("put the measure's text below its heading, or remove the heading"),
            );
        }
        let title = measure_title(&heading, &body_text);
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
            file: display.to_path_buf(),
            line,
        })
    }
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
