//! Reading official plan texts in the shapes they are published in, into one [`Document`].
//!
//! An official plan comes as plain text (often `pdftotext` output, with page numbers, running
//! headers and lines broken mid-sentence), as a government web page (the article inside
//! navigation and furniture, with a metadata table), as a Word file (DOCX) or as a PDF. [`read`]
//! detects which from the file's content, not its name, decodes it (UTF-8, UTF-16 with a BOM,
//! GBK/GB18030) and gives the same model for all: metadata the page states, a title, and the
//! blocks of text — paragraphs with what the format says about them (heading level, a bold lead
//! phrase) and tables — in reading order, each with the line it starts on.
//!
//! This is the foundation `planatlas import` recognises a plan's structure on, and what
//! `check --source` compares extracts with ([`Document::raw_text`], [`Document::lines`]). It does
//! not recognise chapters, measures or indicators: that is the importer's job.
//!
//! One file per format: [`detect`] (signatures and text encodings), [`text`] (plain and
//! `pdftotext` text), [`html`], [`docx`], [`pdf`].
//!
//! Layer 1: uses [`crate::util`] (bounded file reading) and nothing else of the crate, so that
//! both `provenance` (layer 4) and the command line can use it.

pub mod detect;
pub mod docx;
mod docx_styles;
pub mod html;
mod html_sink;
mod page_text;
pub mod pdf;
pub mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::util::fs::{read_file, ReadError};

/// Source files larger than this are refused: the longest official plans are a few MiB even as
/// Word files with pictures; anything larger is not a plan text, and reading it would only use
/// memory.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// The shape a source came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// Plain text that looks like `pdftotext` output: it has form feeds or page-number lines.
    PdfText,
    /// A web page.
    Html,
    /// A Word file (Office Open XML).
    Docx,
    /// A PDF with a text layer, read through `pdftotext`.
    Pdf,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "plain text",
            Format::PdfText => "text extracted from a PDF",
            Format::Html => "HTML",
            Format::Docx => "Word (DOCX)",
            Format::Pdf => "PDF",
        }
    }
}

/// One block of the source, in reading order.
///
/// `line` is the 1-based line of the source file where the block starts for text and HTML; for
/// a DOCX it is the block's ordinal in the document body (paragraphs and tables counted
/// together), for a PDF the line of `pdftotext`'s output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph {
        /// The paragraph's text, lines joined (CJK without a space, Latin words with one),
        /// indentation and surrounding whitespace removed.
        text: String,
        line: usize,
        /// 1–9 where the format marks a heading: HTML `h1`–`h6`, a DOCX heading style
        /// (`Heading 2`, `标题 2`) or outline level. Plain text has none.
        heading: Option<u8>,
        /// Byte length of a leading bold run (HTML `<strong>`/`<b>`, DOCX bold runs), the
        /// whole text when `all_bold`.
        bold_lead: Option<usize>,
        /// Every visible character of the paragraph is bold.
        all_bold: bool,
        /// The marker a DOCX paragraph's automatic numbering prints before the text (`（一）`,
        /// `1.`), which is not part of `text`; `None` elsewhere.
        marker: Option<String>,
    },
    /// A table: its rows of cell texts. Spanning cells (`colspan`, `gridSpan`, merged rows) are
    /// read as one cell each, so rows may have different lengths.
    Table { rows: Vec<Vec<String>>, line: usize },
}

impl Block {
    /// A plain paragraph: no heading, no bold, no marker.
    pub fn paragraph(text: impl Into<String>, line: usize) -> Block {
        Block::Paragraph {
            text: text.into(),
            line,
            heading: None,
            bold_lead: None,
            all_bold: false,
            marker: None,
        }
    }

    pub fn line(&self) -> usize {
        match self {
            Block::Paragraph { line, .. } | Block::Table { line, .. } => *line,
        }
    }

    /// The block as text: a paragraph's marker and text; a table's cells joined by a tab and
    /// its rows by a newline.
    pub fn text(&self) -> String {
        match self {
            Block::Paragraph { text, marker, .. } => match marker {
                Some(m) => format!("{m}{text}"),
                None => text.clone(),
            },
            Block::Table { rows, .. } => rows
                .iter()
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// An official text as read.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub format: Format,
    /// The encoding the file was decoded from (`UTF-8`, `UTF-16LE`, `GB18030`, `GBK` …); for
    /// DOCX and PDF the encoding of their text (`UTF-8`).
    pub encoding: String,
    /// What the source states about itself, label and value as it writes them: an HTML metadata
    /// table or `<meta>` tags (索引号, 发文机关, 发文字号, 成文日期, 发布日期, 主题分类, 标题 …).
    pub metadata: Vec<(String, String)>,
    /// The title the format marks: HTML `<h1>` or `<title>`, a DOCX paragraph in the Title
    /// style. Plain text has none (the importer finds it in the text).
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// The decoded text of a plain-text source (`Text`, `PdfText`), unchanged.
    pub raw: Option<String>,
}

impl Document {
    /// The decoded text of a plain-text source, as the file has it.
    pub fn raw_text(&self) -> Option<&str> {
        self.raw.as_deref()
    }

    /// The text of every block with the line it starts on: a paragraph per entry, a table a
    /// row per entry (cells joined by a tab), all at the table's line.
    pub fn lines(&self) -> Vec<(usize, String)> {
        let mut out = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            match block {
                Block::Table { rows, line } => {
                    out.extend(rows.iter().map(|r| (*line, r.join("\t"))));
                }
                p => out.push((p.line(), p.text())),
            }
        }
        out
    }

    /// The text of the blocks, one per line (tables a row per line, cells joined by a tab):
    /// what the source says, without the page's furniture, page numbers and running headers.
    pub fn plain_text(&self) -> String {
        self.lines()
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Why a source could not be read; every message names the file and says what to do.
#[derive(Debug)]
pub enum SourceError {
    /// The file system refused, or the path is no regular file.
    Unreadable { path: PathBuf, reason: String },
    /// Larger than [`MAX_SOURCE_BYTES`].
    TooLarge { path: PathBuf },
    /// No bytes, or only whitespace.
    Empty { path: PathBuf },
    /// Not text and none of the formats read: what it looks like.
    NotText { path: PathBuf, what: String },
    /// An OLE compound file: an old `.doc`, or an encrypted Word file.
    OldWord { path: PathBuf },
    /// A ZIP archive that holds no `word/document.xml`: what it seems to be.
    NotDocx { path: PathBuf, what: String },
    /// Text in an encoding that is not UTF-8, UTF-16 (with a BOM) or GB18030/GBK.
    Encoding { path: PathBuf, reason: String },
    /// A DOCX or PDF that is damaged.
    Corrupt {
        path: PathBuf,
        format: Format,
        reason: String,
    },
    /// A password-protected DOCX or PDF.
    Encrypted { path: PathBuf, format: Format },
    /// Reading needs an outside program that is not installed.
    MissingTool {
        path: PathBuf,
        tool: String,
        install: String,
    },
    /// The outside program failed.
    ToolFailed {
        path: PathBuf,
        tool: String,
        reason: String,
    },
    /// A PDF whose pages hold (almost) no text: a scan.
    NoTextLayer { path: PathBuf, pages: usize },
}

impl SourceError {
    pub fn path(&self) -> &Path {
        match self {
            SourceError::Unreadable { path, .. }
            | SourceError::TooLarge { path }
            | SourceError::Empty { path }
            | SourceError::NotText { path, .. }
            | SourceError::OldWord { path }
            | SourceError::NotDocx { path, .. }
            | SourceError::Encoding { path, .. }
            | SourceError::Corrupt { path, .. }
            | SourceError::Encrypted { path, .. }
            | SourceError::MissingTool { path, .. }
            | SourceError::ToolFailed { path, .. }
            | SourceError::NoTextLayer { path, .. } => path,
        }
    }
}

const FORMATS: &str = "plain text (UTF-8, UTF-16 or GBK/GB18030), an HTML page, a Word .docx file or a PDF with a text layer";

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path().display();
        match self {
            SourceError::Unreadable { reason, .. } => write!(
                f,
                "cannot read {p}: {reason}; check the path, and that it is a file you may read"
            ),
            SourceError::TooLarge { .. } => write!(
                f,
                "{p} is larger than {} MiB, too large for a plan text; give the plan's own text ({FORMATS})",
                MAX_SOURCE_BYTES / 1024 / 1024
            ),
            SourceError::Empty { .. } => write!(
                f,
                "{p} is empty (no text in it); give the file that holds the plan's text"
            ),
            SourceError::NotText { what, .. } => write!(
                f,
                "{p} is not a plan text: {what}; give the plan as {FORMATS}"
            ),
            SourceError::OldWord { .. } => write!(
                f,
                "{p} is an encrypted Word file or old .doc — save it as .docx without a password (Word: File › Save As › Word Document; LibreOffice: `soffice --headless --convert-to docx {p}`)"
            ),
            SourceError::NotDocx { what, .. } => write!(
                f,
                "{p} is a ZIP archive but not a Word document (.docx): {what}; give the plan as {FORMATS}"
            ),
            SourceError::Encoding { reason, .. } => write!(
                f,
                "{p}: {reason}; save it as UTF-8 text (for example `iconv -f <encoding> -t UTF-8 {p}`)"
            ),
            SourceError::Corrupt { format, reason, .. } => write!(
                f,
                "{p} is a damaged {} file: {reason}; open it in its program and save it again, or export the plan as text",
                format.name()
            ),
            SourceError::Encrypted { format, .. } => write!(
                f,
                "{p} is a password-protected {} file; save a copy without the password and give that",
                format.name()
            ),
            SourceError::MissingTool { tool, install, .. } => write!(
                f,
                "reading {p} needs {tool}, which is not installed ({install}); or give the plan's text instead"
            ),
            SourceError::ToolFailed { tool, reason, .. } => {
                write!(f, "{tool} could not read {p}: {reason}")
            }
            SourceError::NoTextLayer { pages, .. } => write!(
                f,
                "{p} has no text layer ({pages} page(s) of images, a scan): run OCR on it first (for example `ocrmypdf -l chi_sim {p} out.pdf`) and give the result"
            ),
        }
    }
}

impl std::error::Error for SourceError {}

/// Reads the official text at `path`, whatever its format (detected from the content).
pub fn read(path: &Path) -> Result<Document, SourceError> {
    let bytes = read_bytes(path)?;
    read_bytes_as(path, bytes)
}

/// Reads `bytes`, the content of `path` (named in errors; a PDF is read from the file itself).
pub fn read_bytes_as(path: &Path, bytes: Vec<u8>) -> Result<Document, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty { path: path.into() });
    }
    match detect::sniff(&bytes) {
        detect::Kind::Pdf => pdf::read(path, &bytes),
        detect::Kind::Zip => docx::read(path, &bytes),
        detect::Kind::Ole => Err(SourceError::OldWord { path: path.into() }),
        detect::Kind::Binary(what) => Err(SourceError::NotText {
            path: path.into(),
            what: what.to_string(),
        }),
        detect::Kind::Text => {
            let decoded = detect::decode(path, &bytes)?;
            if decoded.text.trim().is_empty() {
                return Err(SourceError::Empty { path: path.into() });
            }
            if detect::looks_like_html(&decoded.text) {
                Ok(html::read(path, &decoded.text, decoded.encoding))
            } else {
                Ok(text::read(path, decoded.text, decoded.encoding))
            }
        }
    }
}

/// The file's bytes, at most [`MAX_SOURCE_BYTES`]. The path is the user's own choice on the
/// command line, so a symbolic link is followed (content files are not, `util::fs`); what it
/// leads to must be a regular file.
fn read_bytes(path: &Path) -> Result<Vec<u8>, SourceError> {
    let unreadable = |reason: String| SourceError::Unreadable {
        path: path.into(),
        reason,
    };
    let target = std::fs::canonicalize(path).map_err(|e| unreadable(e.to_string()))?;
    read_file(&target, MAX_SOURCE_BYTES).map_err(|e| match e {
        ReadError::TooLarge(_) => SourceError::TooLarge { path: path.into() },
        e => unreadable(e.to_string()),
    })
}

/// Sentence-final punctuation: a line ending with one of these (closing quotes and brackets
/// after it aside) ends a sentence.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》' | '】' | '"')
    });
    t.ends_with(['。', '！', '？', '；', '：', '…', '!', '?', ';', ':', '.'])
}

/// Whether `c` is a CJK character or CJK punctuation (joined without a space).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF | 0x2000..=0x206F)
}

/// Appends `next` to `text` as the continuation of a broken line: CJK text joins without a
/// space, Latin words and numbers with one.
pub(crate) fn join_line(text: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    let last = text.chars().next_back();
    let first = next.chars().next();
    if let (Some(a), Some(b)) = (last, first) {
        if !a.is_whitespace()
            && !is_cjk(a)
            && !is_cjk(b)
            && a.is_alphanumeric()
            && b.is_alphanumeric()
        {
            text.push(' ');
        }
    }
    text.push_str(next);
}

/// A paragraph from its characters and their boldness: whitespace (full-width and no-break
/// spaces too) trimmed at both ends, with its leading bold run and whether all of it is bold.
/// `None` when nothing is left.
pub(crate) fn styled_paragraph(
    chars: &[(char, bool)],
    line: usize,
    heading: Option<u8>,
    marker: Option<String>,
) -> Option<Block> {
    let edge = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}';
    let start = chars.iter().position(|(c, _)| !edge(*c))?;
    let end = chars.iter().rposition(|(c, _)| !edge(*c))? + 1;
    let chars = &chars[start..end];
    let text: String = chars.iter().map(|p| p.0).collect();
    let mut lead = 0;
    for (c, b) in chars {
        if !*b {
            break;
        }
        lead += c.len_utf8();
    }
    let lead = text[..lead].trim_end_matches(edge).len();
    let all_bold = chars.iter().all(|(c, b)| *b || edge(*c));
    let bold_lead = if all_bold {
        Some(text.len())
    } else {
        (lead > 0).then_some(lead)
    };
    Some(Block::Paragraph {
        text,
        line,
        heading,
        bold_lead,
        all_bold,
        marker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_and_joins() {
        assert!(ends_sentence("推动金融机构集聚。"));
        assert!(ends_sentence("他说：“好。”"));
        assert!(ends_sentence("（责任单位：市金融监管局）。"));
        assert!(!ends_sentence("加快建设立足西部、面向东亚"));
        assert!(!ends_sentence("（2021—2025年）"));
        let mut t = String::from("金融业增加值");
        join_line(&mut t, "  3375.75亿元");
        assert_eq!(t, "金融业增加值3375.75亿元");
        let mut t = String::from("the Belt and");
        join_line(&mut t, "Road");
        assert_eq!(t, "the Belt and Road");
    }

    #[test]
    fn bold_leads() {
        let chars: Vec<(char, bool)> = "　推动集聚。支持"
            .chars()
            .enumerate()
            .map(|(i, c)| (c, (1..5).contains(&i)))
            .collect();
        match styled_paragraph(&chars, 7, None, None).unwrap() {
            Block::Paragraph {
                text,
                bold_lead,
                all_bold,
                line,
                ..
            } => {
                assert_eq!(text, "推动集聚。支持");
                assert_eq!(bold_lead, Some("推动集聚".len()));
                assert!(!all_bold);
                assert_eq!(line, 7);
            }
            other => panic!("{other:?}"),
        }
        let all: Vec<(char, bool)> = "一、总体要求 ".chars().map(|c| (c, c != ' ')).collect();
        assert!(matches!(
            styled_paragraph(&all, 1, None, None),
            Some(Block::Paragraph {
                all_bold: true,
                bold_lead: Some(18),
                ..
            })
        ));
        assert_eq!(styled_paragraph(&[(' ', true)], 1, None, None), None);
    }

    #[test]
    fn blocks_as_text() {
        let table = Block::Table {
            rows: vec![
                vec!["指标".into(), "2020年".into()],
                vec!["存款".into(), "9.18".into()],
            ],
            line: 3,
        };
        assert_eq!(table.text(), "指标\t2020年\n存款\t9.18");
        let doc = Document {
            path: "x".into(),
            format: Format::Html,
            encoding: "UTF-8".into(),
            metadata: vec![],
            title: None,
            blocks: vec![Block::paragraph("第一段。", 1), table],
            raw: None,
        };
        assert_eq!(doc.plain_text(), "第一段。\n指标\t2020年\n存款\t9.18");
        assert_eq!(doc.lines()[2], (3, "存款\t9.18".to_string()));
    }
}
