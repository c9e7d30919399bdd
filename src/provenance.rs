//! The provenance check: does an extract say what the official text says?
//!
//! Both sides are normalised the same way — whitespace and line breaks removed, full-width
//! letters, digits and punctuation folded to their half-width forms, markup, `[bookmark: …]`
//! scrape marks and page numbers (`—21—`) dropped — and then:
//! - every text block of the extract (paragraph, heading, list item, table row, box title; a
//!   measure's heading together with its first paragraph) must occur in the source;
//! - every indicator value that holds a number must occur in the source;
//! - coverage is the share of the source's characters that some extract block (or indicator
//!   name, value, unit or table title) matches, every occurrence counted, so that a scrape's
//!   duplicated passages do not count against the extract;
//! - the source passages of 20 or more characters that nothing matches are listed.
//!
//! The official text may be in any format [`crate::source`] reads ([`check_document`]).

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::markdown::text_blocks;
use crate::model::{Markdown, Plan};
use crate::source::Document;

/// Source passages at least this long (in characters) that the extract leaves out are listed.
pub const MIN_GAP_CHARS: usize = 20;

/// An official text, normalised for comparison, with the source line of each byte.
pub struct Source {
    text: String,
    lines: Vec<u32>,
}

/// A passage of the source that no part of the extract matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// 1-based line in the source file where the passage starts.
    pub line: usize,
    pub text: String,
}

/// The result of checking one plan against its source.
#[derive(Debug)]
pub struct Report {
    pub plan: String,
    /// Extract blocks and indicator values not found in the source.
    pub missing: Vec<Diagnostic>,
    /// Characters of the normalised source, and how many the extract covers.
    pub source_chars: usize,
    pub covered_chars: usize,
    pub gaps: Vec<Gap>,
    /// Extract blocks checked.
    pub blocks: usize,
}

impl Report {
    /// Covered share of the source, in percent.
    pub fn coverage(&self) -> f64 {
        if self.source_chars == 0 {
            return 100.0;
        }
        self.covered_chars as f64 * 100.0 / self.source_chars as f64
    }
}

/// Folds one character for comparison: `None` drops it (whitespace), full-width ASCII forms
/// become half-width, and the ideographic full stop used in numbers (`．`) becomes `.`.
pub fn fold(c: char) -> Option<char> {
    if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
        return None;
    }
    Some(crate::util::text::fullwidth_to_ascii(c))
}

/// Normalises extract text.
pub fn normalise(text: &str) -> String {
    text.chars().filter_map(fold).collect()
}

impl Source {
    /// Reads an official text: plain text, or an HTML page (with or without a Jekyll header).
    pub fn new(raw: &str) -> Source {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let mut text = String::with_capacity(raw.len());
        let mut lines = Vec::with_capacity(raw.len());
        let body_start = crate::source::html::front_matter_len(raw);
        let mut in_tag = false;
        let mut line_no = 1 + raw[..body_start].matches('\n').count() as u32;
        for line in raw[body_start..].split_inclusive('\n') {
            if !is_page_number(line) {
                let cleaned = remove_bookmarks(line);
                let mut chars = cleaned.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    if in_tag {
                        in_tag = c != '>';
                        continue;
                    }
                    if c == '<'
                        && cleaned[i + 1..]
                            .starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!')
                    {
                        in_tag = true;
                        continue;
                    }
                    let c = if c == '&' {
                        match decode_entity(&cleaned[i..]) {
                            Some((decoded, len)) => {
                                for _ in 1..len {
                                    chars.next();
                                }
                                decoded
                            }
                            None => c,
                        }
                    } else {
                        c
                    };
                    if let Some(f) = fold(c) {
                        for _ in 0..f.len_utf8() {
                            lines.push(line_no);
                        }
                        text.push(f);
                    }
                }
            }
            line_no += 1;
        }
        Source { text, lines }
    }

    /// An official text read by [`crate::source`] from a web page, a Word file or a PDF: its
    /// blocks' text with the line each starts on, already free of markup.
    pub fn from_lines(blocks: &[(usize, String)]) -> Source {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (line, block) in blocks {
            for f in block.chars().filter_map(fold) {
                for _ in 0..f.len_utf8() {
                    lines.push(u32::try_from(*line).unwrap_or(u32::MAX));
                }
                text.push(f);
            }
        }
        Source { text, lines }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A line holding nothing but a page number: `—21—`, `- 21 -`, `— 4 —`.
fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| c == '—' || c == '-' || c == '－');
    !inner.is_empty() && inner.len() < t.len() && inner.chars().all(|c| c.is_ascii_digit())
}

/// Drops the `[bookmark: _Toc…]` marks a Word-to-text conversion leaves (the importer drops
/// them as this check does).
pub fn remove_bookmarks(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("[bookmark:") {
        out.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes an HTML entity at the start of `s`: the character and the entity's length in chars.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.find(';').filter(|e| *e <= 10)?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ldquo" => '“',
        "rdquo" => '”',
        "mdash" => '—',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, s[..=end].chars().count()))
}

/// One thing the extract claims the source says.
struct Claim {
    file: PathBuf,
    line: usize,
    text: String,
}

/// The text blocks of a plan in reading order.
fn claims(plan: &Plan) -> Vec<Claim> {
    let mut claims = Vec::new();
    let push_blocks = |md: &Markdown, claims: &mut Vec<Claim>| {
        for (line, text) in text_blocks(md) {
            claims.push(Claim {
                file: md.file.to_path_buf(),
                line,
                text,
            });
        }
    };
    push_blocks(&plan.preamble, &mut claims);
    for chapter in &plan.chapters {
        let divisions = chapter.divisions();
        for d in divisions {
            claims.push(Claim {
                file: d.file.clone(),
                line: 2,
                text: format!("{}{}", d.number.as_deref().unwrap_or(""), d.title),
            });
            push_blocks(&d.intro, &mut claims);
            for interlude in &d.interludes {
                push_blocks(&interlude.body, &mut claims);
            }
            for b in &d.boxes {
                if !b.title.is_empty() {
                    claims.push(Claim {
                        file: b.file.clone(),
                        line: b.line,
                        text: b.title.clone(),
                    });
                }
                push_blocks(&b.intro, &mut claims);
            }
            for m in &d.measures {
                let mut blocks = text_blocks(&m.body).into_iter();
                // The heading and the paragraph under it are one paragraph in the source.
                let first = if m.heading.is_empty() {
                    blocks.next()
                } else {
                    let rest = blocks.next().map(|(_, t)| t).unwrap_or_default();
                    Some((m.line, format!("{}{rest}", m.heading)))
                };
                for (line, text) in first.into_iter().chain(blocks) {
                    claims.push(Claim {
                        file: m.file.to_path_buf(),
                        line,
                        text,
                    });
                }
            }
        }
    }
    claims
}

/// Checks `plan` against its official text `raw` (plain text or an HTML page).
pub fn check_plan(plan: &Plan, raw: &str) -> Report {
    check_source(plan, &Source::new(raw))
}

/// Checks `plan` against an official text in any format [`crate::source`] reads: a text file
/// as it is (as [`check_plan`]), a web page, Word file or PDF by the text of its blocks, so that
/// a page's navigation and furniture do not count as text the extract leaves out.
pub fn check_document(plan: &Plan, document: &Document) -> Report {
    match document.raw_text() {
        Some(raw) => check_plan(plan, raw),
        None => check_source(plan, &Source::from_lines(&document.lines())),
    }
}

/// Checks `plan` against a normalised official text.
pub fn check_source(plan: &Plan, source: &Source) -> Report {
    let text = source.text();
    let mut covered = vec![false; text.len()];
    let mark_all = |needle: &str, covered: &mut Vec<bool>| -> bool {
        if needle.is_empty() {
            return true;
        }
        let mut found = false;
        for (start, m) in text.match_indices(needle) {
            found = true;
            covered[start..start + m.len()]
                .iter_mut()
                .for_each(|b| *b = true);
        }
        found
    };
    let mut missing = Vec::new();
    let all_claims = claims(plan);
    for claim in &all_claims {
        let needle = normalise(&claim.text);
        if !mark_all(&needle, &mut covered) {
            let shown: String = claim.text.chars().take(40).collect();
            missing.push(
                Diagnostic::new(&claim.file, claim.line, format!("not found in the official text: “{shown}…”"))
                    .hint("quote the source verbatim (only line breaks and spacing may differ); correct the text or restore the source's wording"),
            );
        }
    }
    for table in &plan.indicators {
        mark_all(&normalise(&table.title), &mut covered);
        for ind in &table.indicators {
            for t in [Some(&ind.name), ind.group.as_ref(), Some(&ind.unit)]
                .into_iter()
                .flatten()
            {
                mark_all(&normalise(t), &mut covered);
            }
            let observations = [
                ("baseline", ind.baseline.as_ref()),
                ("target", Some(&ind.target)),
            ];
            for (field, obs) in observations
                .into_iter()
                .filter_map(|(f, o)| o.map(|o| (f, o)))
            {
                if obs.value.is_not_given() {
                    continue;
                }
                let raw = normalise(&obs.value.raw);
                let found = mark_all(&raw, &mut covered)
                    || (obs.value.cumulative
                        && mark_all(raw.trim_matches(['【', '】']), &mut covered));
                if !found && obs.value.value.is_some() {
                    missing.push(
                        Diagnostic::new(&table.file, ind.line, format!("indicator `{}`: the {field} value `{}` does not occur in the official text", ind.id, obs.value.raw))
                            .hint("copy the number exactly as the source writes it"),
                    );
                }
            }
        }
    }
    // Coverage and gaps, counted in characters.
    let mut source_chars = 0;
    let mut covered_chars = 0;
    let mut gaps = Vec::new();
    let mut gap_start: Option<usize> = None;
    let close_gap = |start: usize, end: usize, gaps: &mut Vec<Gap>| {
        let passage = &text[start..end];
        if passage.chars().count() >= MIN_GAP_CHARS {
            gaps.push(Gap {
                line: source.lines[start] as usize,
                text: passage.to_string(),
            });
        }
    };
    for (i, _) in text.char_indices() {
        source_chars += 1;
        if covered[i] {
            covered_chars += 1;
            if let Some(start) = gap_start.take() {
                close_gap(start, i, &mut gaps);
            }
        } else if gap_start.is_none() {
            gap_start = Some(i);
        }
    }
    if let Some(start) = gap_start {
        close_gap(start, text.len(), &mut gaps);
    }
    Report {
        plan: plan.slug.clone(),
        missing,
        source_chars,
        covered_chars,
        gaps,
        blocks: all_claims.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(normalise("３３７５． ７５亿元，（一）"), "3375.75亿元,(一)");
        assert_eq!(normalise("2020 年\n末"), "2020年末");
    }

    #[test]
    fn sources_drop_markup_marks_and_page_numbers() {
        let s = Source::new("---\ntitle: x\n---\n<p>第一段&ldquo;甲&rdquo;。</p><p>第二段。</p>\n");
        assert_eq!(s.text(), "第一段“甲”。第二段。");
        assert_eq!(s.lines[0], 4);
        let s = Source::new("[bookmark: _Toc1][bookmark: _Toc2]第一章  总则\n—21—\n正文\n- 3 -\n");
        assert_eq!(s.text(), "第一章总则正文");
        assert_eq!(s.lines[s.text().find("正文").unwrap()], 3);
    }

    #[test]
    fn page_numbers() {
        assert!(is_page_number("—4—\n"));
        assert!(is_page_number(" - 12 - "));
        assert!(!is_page_number("———金融业实力稳步提升。"));
        assert!(!is_page_number("2020"));
    }
}
