//! Splitting a content file into its TOML front matter and its Markdown body.
//!
//! A content file starts with a line `+++`, then TOML, then another `+++` line, then the body.
//! Line numbers are kept so that errors in either part point at the right line of the file.

use serde::de::DeserializeOwned;

use crate::diagnostics::{line_col, Diagnostic};
use std::path::Path;

/// A content file cut into its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front_matter: &'a str,
    /// 1-based line of the file on which the front matter starts.
    pub front_matter_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` at its `+++` fences. `text` must already have `\n` line endings.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "+++" {
        return Err(Diagnostic::new(file, 1, "the file does not start with a `+++` line")
            .hint("begin the file with `+++`, the TOML front matter (it may be empty), and another `+++` line"));
    }
    let after_open = first_line.len() + 1;
    let rest = text.get(after_open..).unwrap_or("");
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &rest[..offset];
            let body_start = (offset + line.len()).min(rest.len());
            let body = &rest[body_start..];
            let front_matter_line = 2;
            let body_line = front_matter_line + front_matter.matches('\n').count() + 1;
            return Ok(Split {
                front_matter,
                front_matter_line,
                body,
                body_line,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::new(file, 1, "the front matter opened on line 1 is never closed")
            .hint("add a line `+++` after the TOML front matter, before the Markdown body"),
    )
}

/// Parses TOML text that starts on line `first_line` of `file`, mapping errors to file lines.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    toml::from_str::<T>(text).map_err(|e| toml_diagnostic(file, text, first_line, &e))
}

/// Turns a TOML error into a diagnostic pointing at the line of `file` where it happened.
pub fn toml_diagnostic(
    file: &Path,
    text: &str,
    first_line: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let (line, column) = match error.span() {
        Some(span) => line_col(text, span.start),
        None => (1, 0),
    };
    let message = error.message().trim().to_string();
    let hint = if message.contains("must be quoted") {
        "put the text in double quotes, e.g. level = \"province\""
    } else if message.contains("missing field") {
        "add the field named in the message"
    } else if message.contains("unknown field") {
        "remove the field or correct its spelling; the README lists the allowed fields"
    } else if message.contains("invalid type") || message.contains("unknown variant") {
        "give the value the type the README's content format names (text in quotes, numbers bare, dates as YYYY-MM-DD)"
    } else if message.contains("date") || message.contains("time") {
        "write a date as YYYY-MM-DD with a real month (01-12) and day, without quotes"
    } else {
        "fix the TOML syntax at this place: quotes around text, brackets closed, one `key = value` a line"
    };
    // Well-formed TOML with the wrong content says so plainly; only syntax errors are
    // "invalid TOML".
    let content_error = [
        "missing field",
        "unknown field",
        "unknown variant",
        "invalid type",
    ]
    .iter()
    .any(|p| message.starts_with(p));
    Diagnostic::new(
        file,
        first_line + line - 1,
        if content_error {
            message
        } else {
            format!("invalid TOML: {message}")
        },
    )
    .column(column)
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"规划背景\"\n+++\n\n正文。\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.front_matter, "title = \"规划背景\"\n");
        assert_eq!(s.front_matter_line, 2);
        assert_eq!(s.body, "\n正文。\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_front_matter() {
        let s = split(Path::new("a.md"), "+++\n+++\nbody").unwrap();
        assert_eq!(s.front_matter, "");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 3);
    }

    #[test]
    fn missing_opening_fence() {
        let e = split(Path::new("a.md"), "title = 1\n+++\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("does not start with"), "{e}");
    }

    #[test]
    fn missing_closing_fence() {
        let e = split(Path::new("a.md"), "+++\ntitle = 1\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        number: Option<String>,
    }

    #[test]
    fn toml_errors_point_at_file_lines() {
        let text = "+++\nnumber = \"第一章\"\ntitle = 规划\n+++\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let e =
            parse_toml::<Fm>(Path::new("a.md"), s.front_matter, s.front_matter_line).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.starts_with("invalid TOML"), "{e}");
    }

    #[test]
    fn missing_field_is_reported() {
        let e = parse_toml::<Fm>(Path::new("a.md"), "number = \"x\"\n", 2).unwrap_err();
        assert!(e.message.contains("missing field `title`"), "{e}");
        assert_eq!(
            e.hint.as_deref(),
            Some("add the field named in the message")
        );
    }
}
