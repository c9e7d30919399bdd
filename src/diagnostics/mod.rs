//! Content errors as editors see them.
//!
//! Every stage of the pipeline pushes problems into a [`Diagnostics`] list instead of stopping at
//! the first one, so that one `planatlas check` shows an editor everything there is to fix. Each
//! [`Diagnostic`] carries the file (relative to the site root), the line and column where known,
//! what is wrong and how to fix it.
//!
//! A failed command returns a [`BuildError`]: the content's diagnostics, or the first failure
//! outside the content with its cause chain (`error.rs`).
//!
//! Layer 0: imports nothing from the crate; every other layer may use it.

mod error;
pub mod toml;

pub use self::error::{BuildError, Report};

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The problems found so far; a build succeeds only if this stays empty.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems sorted by file, line and column, so that reports are stable and readable.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message, &a.hint)
                .cmp(&(&b.file, b.line, b.column, &b.message, &b.hint))
        });
        self.items.dedup();
        self.items
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column) pair, columns counted in chars.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A path shown relative to `root` when it lies below it.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\n规划x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // '规' and '划' are three bytes each: offset 9 is 'x', column 3.
        assert_eq!(line_col(text, 9), (2, 3));
    }

    #[test]
    fn sorted_by_file_then_line() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new("b.md", 1, "x"));
        d.push(Diagnostic::new("a.md", 9, "y"));
        d.push(Diagnostic::new("a.md", 2, "z"));
        let lines: Vec<String> = d.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines, vec!["a.md:2: z", "a.md:9: y", "b.md:1: x"]);
    }
}
