//! PDFs with a text layer, read through poppler's `pdftotext`.
//!
//! `pdftotext -layout -enc UTF-8 FILE -` (Debian package `poppler-utils`) reads Chinese PDFs
//! well, including the CID fonts government documents use, and `-layout` keeps table columns
//! apart; its output is then read as PDF text by [`super::text`] (page numbers, running headers
//! and broken lines handled there). A block's `line` is its line in that output.
//!
//! Not read: a PDF without a text layer (a scan: (almost) no text on its pages) is refused with
//! a pointer to OCR; a password-protected one is refused; without `pdftotext` the error says
//! how to install it. `PLANATLAS_PDFTOTEXT` names another `pdftotext` program.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{text, Document, Format, SourceError, MAX_SOURCE_BYTES};
use crate::util::fs::read_limited;

/// The environment variable that names the `pdftotext` program to run.
pub const TOOL_ENV: &str = "PLANATLAS_PDFTOTEXT";

/// Fewer visible characters than this per page: no text layer.
const MIN_CHARS_PER_PAGE: usize = 10;

pub fn read(path: &Path, bytes: &[u8]) -> Result<Document, SourceError> {
    let tool = std::env::var_os(TOOL_ENV).unwrap_or_else(|| "pdftotext".into());
    // An absolute path, so that a file named `-x.pdf` is not read as an option.
    let file = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut child = Command::new(&tool)
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::MissingTool {
                path: path.into(),
                tool: "pdftotext".to_string(),
                install:
                    "Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler"
                        .to_string(),
            },
            _ => SourceError::ToolFailed {
                path: path.into(),
                tool: tool.to_string_lossy().into_owned(),
                reason: e.to_string(),
            },
        })?;
    // Standard error is drained on its own thread: a PDF full of syntax errors fills the pipe,
    // and pdftotext would block on it while this thread waits for standard output.
    let stderr = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = s.by_ref().take(1 << 20).read_to_string(&mut text);
            text
        })
    });
    let out = child
        .stdout
        .take()
        .map(|s| read_limited(s, MAX_SOURCE_BYTES))
        .transpose();
    let status = child.wait();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    let failed = |reason: String| SourceError::ToolFailed {
        path: path.into(),
        tool: "pdftotext".to_string(),
        reason,
    };
    let encrypted = stderr.contains("password")
        || stderr.contains("Copying of text from this document is not allowed");
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            if encrypted || has_encrypt_dictionary(bytes) {
                return Err(SourceError::Encrypted {
                    path: path.into(),
                    format: Format::Pdf,
                });
            }
            let said = stderr.lines().last().unwrap_or("").trim().to_string();
            return Err(if said.is_empty() {
                failed(s.to_string())
            } else {
                failed(said)
            });
        }
        Err(e) => return Err(failed(e.to_string())),
    }
    let out = out.map_err(|e| failed(e.to_string()))?.unwrap_or_default();
    let text = String::from_utf8_lossy(&out).into_owned();
    let pages = text.trim_end().matches('\x0c').count() + 1;
    let visible = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\x0c')
        .count();
    if visible < MIN_CHARS_PER_PAGE * pages {
        return Err(SourceError::NoTextLayer {
            path: path.into(),
            pages,
        });
    }
    let (blocks, _) = text::blocks(&text);
    Ok(Document {
        path: path.into(),
        format: Format::Pdf,
        encoding: "UTF-8".to_string(),
        metadata: Vec::new(),
        title: None,
        blocks,
        raw: None,
    })
}

/// Whether the PDF's trailer names an encryption dictionary.
fn has_encrypt_dictionary(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}
