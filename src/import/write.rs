//! The plan folder as files: `plan.toml`, `_index.md`, `NN-chapter-N/` folders with their
//! `_index.md` and `NN-section-N.md` files (or `NN-chapter-N.md` for a chapter without
//! sections), `indicators.toml`. Text is escaped so that Markdown renders it verbatim: the
//! provenance check compares the rendered text with the source.
//!
//! Chapter and section slugs are positional (`chapter-3`, `section-2`, `appendix-1`): the
//! titles are Chinese, and a slug made from them would need a transliteration the editor would
//! only have to correct; the editor renames the folders when the plan is reviewed.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::import::indicators::IndicatorTable;
use crate::import::measures::{MeasureDraft, Node};
use crate::import::meta::Meta;
use crate::import::numbering::{numbering, Numbering};
use crate::import::outline::{Div, Item, Outline, Para};

/// A place the editor should look at: a file of the plan (relative to the plan folder), its
/// line, and what to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: String,
    pub line: usize,
    pub what: String,
}

/// The measure ids with their suggested themes, in reading order.
pub struct Written {
    pub files: Vec<(PathBuf, String)>,
    pub notes: Vec<Note>,
    pub themes: Vec<(String, Vec<(String, f64)>)>,
}

/// Escapes text so that Markdown shows it as it is: inline markup characters always, block
/// markers at the start of a line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '`'
                | '~'
                | '|'
                | '&'
                | '{'
                | '}'
                | '#'
                | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line starting `-`, `+`, `=` or `1.`/`1)` followed by a space would be a list or a rule.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// Whether `heading` reads the same typed after `###` as rendered.
fn heading_safe(heading: &str) -> bool {
    !heading.contains([
        '\\', '*', '_', '[', ']', '<', '>', '`', '~', '|', '&', '{', '}', '#', '!', '"',
    ])
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text being written, with the line the next write starts on.
struct Out {
    text: String,
}

impl Out {
    fn new() -> Out {
        Out {
            text: String::new(),
        }
    }
    fn line(&self) -> usize {
        self.text.matches('\n').count() + 1
    }
    fn para(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push_str("\n\n");
    }
}

fn front_matter(div: &Div) -> String {
    let mut s = String::from("+++\n");
    if let Some(n) = &div.number {
        let _ = writeln!(s, "number = {}", toml_str(n));
    }
    let _ = writeln!(s, "title = {}", toml_str(&div.title));
    s.push_str("+++\n\n");
    s
}

fn table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut s = String::new();
    for (i, row) in rows.iter().enumerate() {
        s.push('|');
        for c in 0..width {
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            let _ = write!(s, " {} |", escape(cell).replace('\n', " "));
        }
        s.push('\n');
        if i == 0 {
            s.push('|');
            for _ in 0..width {
                s.push_str(" --- |");
            }
            s.push('\n');
        }
    }
    s.trim_end().to_string()
}

pub struct Writer<'a> {
    pub prefix: &'a str,
    pub themes: &'a [Vec<(String, f64)>],
    pub tables: &'a [IndicatorTable],
    pub next_theme: usize,
    pub notes: Vec<Note>,
    pub ids: Vec<(String, Vec<(String, f64)>)>,
    /// The division being written has no sections under it.
    pub leaf: bool,
    /// The division being written is an appendix (附录, 附件): prose, its numbered entries a list.
    pub appendix: bool,
}

impl Writer<'_> {
    fn measure(&mut self, out: &mut Out, id: &str, m: &MeasureDraft) {
        let themes = self
            .themes
            .get(self.next_theme)
            .cloned()
            .unwrap_or_default();
        self.next_theme += 1;
        let slugs: Vec<&str> = themes.iter().map(|t| t.0.as_str()).collect();
        let mut attrs = format!("#{id} themes=\"{}\"", slugs.join(" "));
        if !m.units.is_empty() {
            let _ = write!(attrs, " units=\"{}\"", m.units.join(";"));
        }
        // The loader keeps a heading's text as typed, escapes and all, and the provenance check
        // compares it so: a lead that needs escaping goes into the text instead.
        let plain = heading_safe(&m.heading);
        let heading = if m.heading.is_empty() || !plain {
            String::new()
        } else {
            format!("{} ", m.heading)
        };
        out.para(&format!("### {heading}{{{attrs}}}"));
        let mut paras = m.paras.clone();
        if !plain {
            match paras.first_mut() {
                Some(first) => first.insert_str(0, &m.heading),
                None => paras.push(m.heading.clone()),
            }
        }
        for p in paras.iter().filter(|p| !p.is_empty()) {
            out.para(&escape(p));
        }
        self.ids.push((id.to_string(), themes));
    }

    fn items(&mut self, out: &mut Out, items: &[Item]) {
        for item in items {
            match item {
                Item::Para(p) => out.para(&escape(&p.text)),
                Item::Table { rows, .. } => out.para(&table(rows)),
            }
        }
    }

    fn table_or_indicators(
        &mut self,
        out: &mut Out,
        file: &str,
        rows: &[Vec<String>],
        line: usize,
    ) {
        if let Some(t) = self.tables.iter().find(|t| t.source_line == line) {
            out.para(&format!("```indicators {}\n```", t.id));
        } else {
            self.notes.push(Note {
                file: file.to_string(),
                line: out.line(),
                what: "a table that is not an indicator table, kept as a Markdown table: check its rows and columns against the source".into(),
            });
            out.para(&table(rows));
        }
    }

    /// The body of a division: its nodes, measures numbered `<prefix>-<chapter>-<section>-<n>`.
    fn nodes(&mut self, out: &mut Out, file: &str, div: &Div, chapter: usize, section: usize) {
        let mut n = 0;
        if div.nodes.is_empty() && (section > 0 || self.leaf) {
            self.notes.push(Note {
                file: file.to_string(),
                line: out.line(),
                what: "no text under this heading (it may stand only in the table of contents, or its text elsewhere in a scrambled source)".into(),
            });
        }
        if div.unmarked && !self.appendix {
            self.notes.push(Note {
                file: file.to_string(),
                line: out.line(),
                what: "no lead phrase or item number here: each paragraph became a measure without a heading; make prose of those that are not measures".into(),
            });
        }
        // The previous node was an entry of an appendix's list.
        let mut in_list = false;
        for node in &div.nodes {
            if self.appendix {
                if let Some(entry) = self.appendix_entry(node) {
                    if in_list {
                        out.text.pop(); // a tight list: no blank line between entries
                    }
                    out.para(&format!("- {}", escape(&entry)));
                    in_list = true;
                    continue;
                }
                in_list = false;
                if let Node::Sub(p) = node {
                    // A group heading of the list (一、国家政策文件).
                    out.para(&format!("**{}**", escape(&p.text)));
                    continue;
                }
                if let Node::Measure(m) = node {
                    // Appendices are prose: the text stays, without id or themes.
                    self.next_theme += 1;
                    let first = format!("{}{}", m.heading, m.paras.first().map_or("", |p| p));
                    for p in std::iter::once(&first).chain(m.paras.iter().skip(1)) {
                        if !p.is_empty() {
                            out.para(&escape(p));
                        }
                    }
                    continue;
                }
            }
            match node {
                Node::Prose(p) => out.para(&prose(p)),
                Node::Sub(p) => out.para(&format!("#### {}", escape(&p.text))),
                Node::Measure(m) => {
                    n += 1;
                    let id = format!("{}-{chapter}-{section}-{n}", self.prefix);
                    self.measure(out, &id, m);
                }
                Node::Table { rows, line } => self.table_or_indicators(out, file, rows, *line),
                Node::Box {
                    title,
                    items,
                    intro,
                    measures,
                    ..
                } => {
                    let items = if measures.is_empty() {
                        &items[..]
                    } else {
                        &items[..*intro]
                    };
                    let plain = !title.contains('`') && !title.contains('\n');
                    self.notes.push(Note {
                        file: file.to_string(),
                        line: out.line(),
                        what: format!("box “{title}”: check where it ends (the box ends at the first long paragraph without a number)"),
                    });
                    if plain {
                        let mut inner = Out::new();
                        for item in items {
                            match item {
                                Item::Para(p) => inner.para(&escape(&p.text)),
                                Item::Table { rows, line } => {
                                    self.table_or_indicators(&mut inner, file, rows, *line)
                                }
                            }
                        }
                        // A box that lists actions holds them as measures (docs/editing.md
                        // section 5), numbered on with the division's.
                        if !measures.is_empty() {
                            self.notes.push(Note {
                                file: file.to_string(),
                                line: out.line(),
                                what: format!("box “{title}”: its numbered items became measures; if they state facts rather than actions, make them plain paragraphs"),
                            });
                        }
                        for m in measures {
                            n += 1;
                            let id = format!("{}-{chapter}-{section}-{n}", self.prefix);
                            self.measure(&mut inner, &id, m);
                        }
                        let body = inner.text.trim_end().to_string();
                        let fence = if body.contains("```") { "````" } else { "```" };
                        out.para(&format!("{fence}box {title}\n{body}\n{fence}"));
                    } else {
                        out.para(&format!("#### {}", escape(title)));
                        self.items(out, items);
                        for m in measures {
                            n += 1;
                            let id = format!("{}-{chapter}-{section}-{n}", self.prefix);
                            self.measure(out, &id, m);
                        }
                    }
                }
            }
        }
    }
}

impl Writer<'_> {
    /// An entry of an appendix's list (`1.国务院办公厅《……》`, `17．成都银行永川支行`): a numbered
    /// line, which the measure rules read as a sub-heading when short and as a measure headed by
    /// its number when long. Appendices have no measures (docs/editing.md section 5); the
    /// measure's suggested themes are passed over.
    fn appendix_entry(&mut self, node: &Node) -> Option<String> {
        let arabic = |t: &str| {
            matches!(
                numbering(t),
                Some((Numbering::Arabic | Numbering::ParenArabic, _))
            )
        };
        match node {
            Node::Sub(p) if arabic(&p.text) => Some(p.text.clone()),
            Node::Measure(m) if m.paras.len() <= 1 => {
                let entry = format!("{}{}", m.heading, m.paras.concat());
                if !arabic(&entry) {
                    return None;
                }
                self.next_theme += 1;
                Some(entry)
            }
            _ => None,
        }
    }
}

fn prose(p: &Para) -> String {
    escape(&p.text)
}

fn plan_toml(meta: &Meta, notes: &str) -> String {
    let mut s =
        String::from("# Written by `planatlas import`; check every field against the source.\n");
    let _ = writeln!(s, "title = {}", toml_str(&meta.title));
    let _ = writeln!(s, "short_title = {}", toml_str(&meta.title));
    let issuers: Vec<String> = meta.issuers.iter().map(|i| toml_str(i)).collect();
    let _ = writeln!(s, "issuers = [{}]", issuers.join(", "));
    if let Some(d) = &meta.doc_number {
        let _ = writeln!(s, "doc_number = {}", toml_str(d));
    }
    if let Some(d) = &meta.date_written {
        let _ = writeln!(s, "date_written = {d}");
    }
    if let Some(d) = &meta.date_published {
        let _ = writeln!(s, "date_published = {d}");
    }
    if let Some((a, b)) = meta.period {
        let _ = writeln!(s, "period = [{a}, {b}]");
    }
    if let Some(y) = meta.outlook_year {
        let _ = writeln!(s, "outlook_year = {y}");
    }
    let _ = writeln!(
        s,
        "level = {}",
        toml_str(meta.level.as_deref().unwrap_or(""))
    );
    let _ = writeln!(
        s,
        "region = {}",
        toml_str(meta.region.as_deref().unwrap_or(""))
    );
    if !notes.is_empty() {
        let _ = writeln!(s, "notes = {}", toml_str(notes));
    }
    s
}

/// Every file of the plan folder, relative to it.
pub fn write(
    outline: &Outline,
    meta: &Meta,
    prefix: &str,
    themes: &[Vec<(String, f64)>],
    tables: &[IndicatorTable],
    indicators_toml: Option<String>,
    notes: &str,
) -> Written {
    let mut w = Writer {
        prefix,
        themes,
        tables,
        next_theme: 0,
        notes: Vec::new(),
        ids: Vec::new(),
        leaf: false,
        appendix: false,
    };
    let mut files = Vec::new();
    files.push((PathBuf::from("plan.toml"), plan_toml(meta, notes)));
    if let Some(t) = indicators_toml {
        files.push((PathBuf::from("indicators.toml"), t));
    }
    let mut index = Out::new();
    index.text.push_str("+++\n+++\n\n");
    for item in &outline.preamble {
        match item {
            Item::Para(p) => index.para(&prose(p)),
            Item::Table { rows, line } => {
                w.table_or_indicators(&mut index, "_index.md", rows, *line)
            }
        }
    }
    files.push((
        PathBuf::from("_index.md"),
        index.text.trim_end().to_string() + "\n",
    ));
    let (mut chapter_n, mut appendix_n) = (0, 0);
    for (ci, ch) in outline.chapters.iter().enumerate() {
        let slug = if ch.appendix {
            appendix_n += 1;
            format!("appendix-{appendix_n}")
        } else {
            chapter_n += 1;
            format!("chapter-{chapter_n}")
        };
        let stem = format!("{:02}-{slug}", ci + 1);
        w.leaf = ch.sections.is_empty();
        w.appendix = ch.appendix;
        let chapter = ci + 1;
        if ch.sections.is_empty() {
            let file = format!("{stem}.md");
            let mut out = Out::new();
            out.text.push_str(&front_matter(&ch.div));
            w.nodes(&mut out, &file, &ch.div, chapter, 0);
            files.push((PathBuf::from(&file), out.text.trim_end().to_string() + "\n"));
            continue;
        }
        let file = format!("{stem}/_index.md");
        let mut out = Out::new();
        out.text.push_str(&front_matter(&ch.div));
        w.nodes(&mut out, &file, &ch.div, chapter, 0);
        files.push((PathBuf::from(&file), out.text.trim_end().to_string() + "\n"));
        for (si, s) in ch.sections.iter().enumerate() {
            let file = format!("{stem}/{:02}-section-{}.md", si + 1, si + 1);
            let mut out = Out::new();
            out.text.push_str(&front_matter(s));
            w.nodes(&mut out, &file, s, chapter, si + 1);
            files.push((PathBuf::from(&file), out.text.trim_end().to_string() + "\n"));
        }
    }
    Written {
        files,
        notes: w.notes,
        themes: w.ids,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("a*b_c"), "a\\*b\\_c");
        assert_eq!(escape("1. 支持"), "1\\. 支持");
        assert_eq!(escape("- 一"), "\\- 一");
        assert_eq!(escape("#标签"), "\\#标签");
    }
}
