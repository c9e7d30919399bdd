//! Word files (DOCX: a ZIP archive of XML parts).
//!
//! The main part (`word/document.xml`, or where `_rels/.rels` points) is read in order:
//!
//! - each `w:p` is a paragraph. Its heading level comes from the paragraph's own outline level
//!   or its style, resolved through `word/styles.xml` and the styles it is based on (`Heading 1`…
//!   `Heading 9`, `标题 1`…, or a style with an outline level); a paragraph in the `Title` style
//!   gives the document's title. Runs are bold by `w:b` in the run, its character style, the
//!   paragraph's style or the document defaults, in that order; the leading bold run is the
//!   paragraph's `bold_lead`. Automatic numbering (`w:numPr`, in the paragraph or its style) is
//!   counted through `word/numbering.xml` and its printed marker (`（一）`, `1.`) given as the
//!   paragraph's `marker`. A line break (`w:br`, `w:cr`) inside a paragraph that is no heading
//!   splits it into paragraphs; in a heading it joins the lines.
//! - each `w:tbl` is a [`Block::Table`] of its cells' text (a cell's paragraphs and nested
//!   tables joined; `gridSpan` and `vMerge` ignored, so a merged cell is one cell, and the cells
//!   it covers are absent or empty). A table of a single cell (how Word users draw a box) is read
//!   as the paragraphs in it.
//! - content controls (`w:sdt`), insertions, hyperlinks and smart tags are read through; deleted
//!   text, field codes, drawings and text boxes are not.
//!
//! A block's `line` is its ordinal in the body (paragraphs and tables counted together,
//! 1-based; the paragraphs of a split paragraph share one), as a DOCX has no lines.

use std::io::{Cursor, Read};
use std::path::Path;

use roxmltree::Node;

use super::docx_styles::{child, num_pr, toggle, val, Numbering, Styles, W};
use super::{join_line, styled_paragraph, Block, Document, Format, SourceError, MAX_SOURCE_BYTES};
use crate::util::fs::read_limited;

/// Reads a ZIP archive that should be a Word document.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Document, SourceError> {
    let corrupt = |reason: String| SourceError::Corrupt {
        path: path.into(),
        format: Format::Docx,
        reason,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let main = main_part(path, &mut zip)?.unwrap_or_else(|| "word/document.xml".to_string());
    if !names.contains(&main) {
        return Err(SourceError::NotDocx {
            path: path.into(),
            what: what_zip(&names, &mut zip),
        });
    }
    let document = part(path, &mut zip, &main)?.unwrap_or_default();
    let styles = match part(path, &mut zip, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml).map_err(corrupt)?,
        None => Styles::default(),
    };
    let numbering = match part(path, &mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml).map_err(corrupt)?,
        None => Numbering::default(),
    };
    let xml = roxmltree::Document::parse(&document).map_err(|e| corrupt(format!("{main}: {e}")))?;
    let body = child(xml.root_element(), "body")
        .ok_or_else(|| corrupt(format!("{main} has no w:body")))?;
    let mut reader = Reader {
        styles,
        numbering,
        blocks: Vec::new(),
        ordinal: 0,
        title: None,
    };
    reader.body(body);
    Ok(Document {
        path: path.into(),
        format: Format::Docx,
        encoding: "UTF-8".to_string(),
        metadata: Vec::new(),
        title: reader.title,
        blocks: reader.blocks,
        raw: None,
    })
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// A part of the archive as text, `None` when it is absent; bounded, so that a ZIP bomb cannot
/// exhaust memory.
fn part(path: &Path, zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, SourceError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err(SourceError::Encrypted {
                path: path.into(),
                format: Format::Docx,
            })
        }
        Err(e) => return Err(corrupt(path, format!("{name}: {e}"))),
    };
    let bytes =
        read_limited(entry, MAX_SOURCE_BYTES).map_err(|e| corrupt(path, format!("{name}: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| corrupt(path, format!("{name} is not UTF-8")))?;
    Ok(Some(text))
}

fn corrupt(path: &Path, reason: String) -> SourceError {
    SourceError::Corrupt {
        path: path.into(),
        format: Format::Docx,
        reason,
    }
}

/// The main document part named in `_rels/.rels`, if any.
fn main_part(path: &Path, zip: &mut Zip<'_>) -> Result<Option<String>, SourceError> {
    let Some(rels) = part(path, zip, "_rels/.rels")? else {
        return Ok(None);
    };
    let Ok(xml) = roxmltree::Document::parse(&rels) else {
        return Ok(None);
    };
    Ok(xml
        .descendants()
        .find(|n| {
            n.attribute("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|n| n.attribute("Target"))
        .map(|t| t.trim_start_matches('/').to_string()))
}

/// What a ZIP archive that is no Word document seems to be.
fn what_zip(names: &[String], zip: &mut Zip<'_>) -> String {
    let has = |p: &str| names.iter().any(|n| n.starts_with(p));
    if has("xl/") {
        "an Excel workbook (.xlsx)".to_string()
    } else if has("ppt/") {
        "a PowerPoint presentation (.pptx)".to_string()
    } else if has("mimetype") {
        let mut kind = String::new();
        if let Ok(mut m) = zip.by_name("mimetype") {
            let _ = m.by_ref().take(200).read_to_string(&mut kind);
        }
        if kind.contains("opendocument.text") {
            "an OpenDocument text (.odt); save it as .docx".to_string()
        } else {
            format!("a {} file", kind.trim())
        }
    } else {
        format!("it holds no word/document.xml ({} files)", names.len())
    }
}

struct Reader {
    styles: Styles,
    numbering: Numbering,
    blocks: Vec<Block>,
    ordinal: usize,
    title: Option<String>,
}

/// A run's text with its boldness, or a line break.
enum Piece {
    Char(char, bool),
    Break,
}

impl Reader {
    fn body(&mut self, node: Node<'_, '_>) {
        for c in node.children().filter(Node::is_element) {
            if c.tag_name().namespace() != Some(W) {
                continue;
            }
            match c.tag_name().name() {
                "p" => {
                    self.ordinal += 1;
                    let blocks = self.paragraph(c, self.ordinal);
                    self.blocks.extend(blocks);
                }
                "tbl" => {
                    self.ordinal += 1;
                    self.table(c);
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.body(content);
                    }
                }
                "customXml" | "ins" | "moveTo" | "smartTag" => self.body(c),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node<'_, '_>, line: usize) -> Vec<Block> {
        let ppr = child(p, "pPr");
        let style = ppr.and_then(|pp| val(pp, "pStyle")).unwrap_or("");
        let outline = ppr
            .and_then(|pp| val(pp, "outlineLvl"))
            .and_then(|v| v.parse::<u8>().ok());
        let heading = match outline {
            Some(l) => (l < 9).then_some(l + 1),
            None => self.styles.heading(style),
        };
        let para_bold = self
            .styles
            .bold(style)
            .unwrap_or(self.styles.default_bold());
        let mut pieces = Vec::new();
        self.runs(p, para_bold, &mut pieces);
        let numbering = ppr
            .and_then(num_pr)
            .or_else(|| self.styles.numbering(style))
            .filter(|(id, _)| id != "0");
        let mut marker = numbering.and_then(|(id, level)| self.numbering.next(&id, level));

        let mut lines: Vec<Vec<(char, bool)>> = vec![Vec::new()];
        for piece in pieces {
            match piece {
                Piece::Char(c, b) => {
                    if let Some(l) = lines.last_mut() {
                        l.push((c, b));
                    }
                }
                Piece::Break if heading.is_some() => {}
                Piece::Break => lines.push(Vec::new()),
            }
        }
        let mut out = Vec::new();
        for chars in lines {
            if let Some(block) = styled_paragraph(&chars, line, heading, marker.take()) {
                out.push(block);
            }
        }
        if self.title.is_none() && self.styles.is_title(style) {
            self.title = out.first().map(Block::text);
        }
        out
    }

    /// The characters of the runs under `node`, each with its boldness.
    fn runs(&self, node: Node<'_, '_>, para_bold: bool, out: &mut Vec<Piece>) {
        for c in node.children().filter(Node::is_element) {
            if c.tag_name().namespace() != Some(W) {
                continue;
            }
            match c.tag_name().name() {
                "r" => self.run(c, para_bold, out),
                "hyperlink" | "ins" | "smartTag" | "customXml" | "fldSimple" | "moveTo" | "bdo"
                | "dir" => self.runs(c, para_bold, out),
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.runs(content, para_bold, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&self, r: Node<'_, '_>, para_bold: bool, out: &mut Vec<Piece>) {
        let rpr = child(r, "rPr");
        let bold = rpr
            .and_then(|p| toggle(p, "b"))
            .or_else(|| {
                rpr.and_then(|p| val(p, "rStyle"))
                    .and_then(|s| self.styles.bold(s))
            })
            .unwrap_or(para_bold);
        for c in r.children().filter(Node::is_element) {
            if c.tag_name().namespace() != Some(W) {
                continue;
            }
            match c.tag_name().name() {
                "t" => out.extend(
                    c.text()
                        .unwrap_or("")
                        .chars()
                        .map(|ch| Piece::Char(ch, bold)),
                ),
                "tab" => out.push(Piece::Char('\t', bold)),
                "noBreakHyphen" => out.push(Piece::Char('-', bold)),
                "br" if !matches!(c.attribute((W, "type")), Some("page" | "column")) => {
                    out.push(Piece::Break)
                }
                "cr" => out.push(Piece::Break),
                _ => {}
            }
        }
    }

    fn table(&mut self, tbl: Node<'_, '_>) {
        let line = self.ordinal;
        let rows: Vec<Node<'_, '_>> = tbl
            .children()
            .filter(|c| c.has_tag_name((W, "tr")))
            .collect();
        let cells: Vec<Vec<Node<'_, '_>>> = rows
            .iter()
            .map(|r| r.children().filter(|c| c.has_tag_name((W, "tc"))).collect())
            .collect();
        if cells.iter().map(Vec::len).sum::<usize>() == 1 {
            // A box drawn as a one-cell table: its paragraphs are the document's.
            if let Some(cell) = cells.iter().flatten().next() {
                self.body(*cell);
            }
            return;
        }
        let mut out = Vec::new();
        for row in cells {
            let texts: Vec<String> = row.iter().map(|c| self.cell_text(*c)).collect();
            if texts.iter().any(|t| !t.is_empty()) {
                out.push(texts);
            }
        }
        if !out.is_empty() {
            self.blocks.push(Block::Table { rows: out, line });
        }
    }

    /// A cell's paragraphs and nested tables as one text.
    fn cell_text(&mut self, cell: Node<'_, '_>) -> String {
        let mut text = String::new();
        for c in cell.descendants().filter(|c| c.has_tag_name((W, "p"))) {
            for block in self.paragraph(c, self.ordinal) {
                join_line(&mut text, &block.text());
            }
        }
        text
    }
}
