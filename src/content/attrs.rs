//! The attribute block that ends a measure heading: `### 标题 {#sc-3-1-1 themes="a b"}`.
//!
//! pulldown-cmark parses heading attributes too, but without quoted values and without telling
//! what went wrong, so planatlas reads the block itself and hands pulldown-cmark the bare heading.
//! Syntax: whitespace-separated tokens, each `#id`, `.class`, `key=value` or `key="value"`.

use std::fmt;

/// The parsed attribute block of one heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadingAttrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// `key=value` pairs in the order written.
    pub pairs: Vec<(String, String)>,
}

impl HeadingAttrs {
    /// The value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` split into a list at whitespace and commas.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key).map(split_list).unwrap_or_default()
    }
}

/// Splits a list value written as `a b`, `a,b` or `a, b`.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A problem in an attribute block; `column` is 1-based in chars within the heading line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrError {
    pub column: usize,
    pub message: String,
}

impl fmt::Display for AttrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Splits a heading's text (after the `###`) into its visible text and its attribute block.
///
/// Returns the text without the block and the parsed attributes (empty when there is no block).
/// A block is a `{…}` at the very end of the line; braces elsewhere are text.
/// `column_offset` is the column (0-based, in chars) at which `text` starts in its line.
pub fn split_heading(
    text: &str,
    column_offset: usize,
) -> Result<(String, HeadingAttrs), AttrError> {
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') {
        return Ok((trimmed.trim().to_string(), HeadingAttrs::default()));
    }
    let Some(open) = find_block_start(trimmed) else {
        return Err(AttrError {
            column: column_offset + trimmed.chars().count(),
            message: "the heading ends with `}` but has no matching `{`".into(),
        });
    };
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let inner_column = column_offset + trimmed[..open].chars().count() + 2;
    let attrs = parse_block(inner, inner_column)?;
    Ok((trimmed[..open].trim().to_string(), attrs))
}

/// The byte index of the `{` that opens the final block, skipping braces inside quotes.
fn find_block_start(text: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut start = None;
    for (i, c) in text.char_indices() {
        match c {
            '"' if start.is_some() => in_quote = !in_quote,
            '{' if !in_quote => start = Some(i),
            _ => {}
        }
    }
    start
}

/// Parses the inside of a `{…}` block. `column` is the 1-based column of its first char.
pub fn parse_block(inner: &str, column: usize) -> Result<HeadingAttrs, AttrError> {
    let mut attrs = HeadingAttrs::default();
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let token_start = i;
        let err = |message: String| AttrError {
            column: column + token_start,
            message,
        };
        match chars[i] {
            '#' | '.' => {
                let sigil = chars[i];
                i += 1;
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if name.is_empty() {
                    return Err(err(format!("`{sigil}` must be followed by a name")));
                }
                if sigil == '#' {
                    if attrs.id.is_some() {
                        return Err(err("a heading can have only one `#id`".into()));
                    }
                    attrs.id = Some(name);
                } else {
                    attrs.classes.push(name);
                }
            }
            _ => {
                let start = i;
                while i < chars.len() && chars[i] != '=' && !chars[i].is_whitespace() {
                    i += 1;
                }
                let key: String = chars[start..i].iter().collect();
                if i >= chars.len() || chars[i] != '=' {
                    return Err(err(format!(
                        "`{key}` is not an attribute: write `#id`, `.class` or `key=\"value\"`"
                    )));
                }
                if key.is_empty() {
                    return Err(err("`=` needs a key before it".into()));
                }
                i += 1;
                let value = if i < chars.len() && chars[i] == '"' {
                    i += 1;
                    let start = i;
                    while i < chars.len() && chars[i] != '"' {
                        i += 1;
                    }
                    if i >= chars.len() {
                        return Err(err(format!(
                            "the value of `{key}` opens a quote that is never closed"
                        )));
                    }
                    let v: String = chars[start..i].iter().collect();
                    i += 1;
                    v
                } else {
                    let start = i;
                    while i < chars.len() && !chars[i].is_whitespace() {
                        i += 1;
                    }
                    chars[start..i].iter().collect()
                };
                if attrs.pairs.iter().any(|(k, _)| *k == key) {
                    return Err(err(format!("`{key}` is given twice")));
                }
                attrs.pairs.push((key, value));
            }
        }
    }
    Ok(attrs)
}

/// Whether `id` may serve as a URL fragment and a file name: ASCII letters, digits, `-`, `_`,
/// starting with a letter.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_heading() {
        let (text, a) = split_heading(
            " 推动金融机构集聚。 {#sc-3-1-1 themes=\"institutions fintech\"}",
            3,
        )
        .unwrap();
        assert_eq!(text, "推动金融机构集聚。");
        assert_eq!(a.id.as_deref(), Some("sc-3-1-1"));
        assert_eq!(a.list("themes"), vec!["institutions", "fintech"]);
    }

    #[test]
    fn unquoted_and_comma_lists_and_classes() {
        let (_, a) = split_heading("x {#a .note themes=a,b related=\"c, d\"}", 0).unwrap();
        assert_eq!(a.classes, vec!["note"]);
        assert_eq!(a.list("themes"), vec!["a", "b"]);
        assert_eq!(a.list("related"), vec!["c", "d"]);
    }

    #[test]
    fn empty_heading_text() {
        let (text, a) = split_heading(" {#sc-7-2-1 themes=\"policy-support\"}", 3).unwrap();
        assert_eq!(text, "");
        assert_eq!(a.id.as_deref(), Some("sc-7-2-1"));
    }

    #[test]
    fn no_block() {
        let (text, a) = split_heading(" 标题 ", 3).unwrap();
        assert_eq!(text, "标题");
        assert_eq!(a, HeadingAttrs::default());
    }

    #[test]
    fn braces_in_quotes() {
        let (_, a) = split_heading("t {#a note=\"{x}\"}", 0).unwrap();
        assert_eq!(a.get("note"), Some("{x}"));
    }

    #[test]
    fn unclosed_quote_is_an_error_with_column() {
        let e = split_heading("标题 {#a themes=\"x}", 4).unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        // "### " is 4 chars, "标题 " 3 more, "{" one more: the block starts at column 9,
        // `#a ` takes 3: `themes` starts at column 12.
        assert_eq!(e.column, 12);
    }

    #[test]
    fn stray_word_is_an_error() {
        let e = split_heading("t {#a themes}", 0).unwrap_err();
        assert!(e.message.contains("`themes` is not an attribute"), "{e}");
    }

    #[test]
    fn duplicates_are_errors() {
        assert!(split_heading("t {#a #b}", 0).is_err());
        assert!(split_heading("t {themes=a themes=b}", 0).is_err());
        assert!(split_heading("t {# x}", 0).is_err());
    }

    #[test]
    fn id_rules() {
        assert!(is_valid_id("sc-3-1-1"));
        assert!(is_valid_id("a_b"));
        assert!(!is_valid_id("3-1"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("规划"));
        assert!(!is_valid_id(""));
    }
}
