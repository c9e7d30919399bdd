//! Splitting a content file into its TOML front matter and its Markdown body.
//!
//! A content file starts with a line `+++`, then TOML, then another `+++` line, then the body.
//! Line numbers are kept so that errors in either part point at the right line of the file.

use crate::diagnostics::Diagnostic;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::toml::parse_toml;
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
