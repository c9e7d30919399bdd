//! TOML errors as content diagnostics: the line and column of `file` where parsing failed, with a
//! hint an editor can act on. Here, below `config` and `content`, because both read TOML.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::{line_col, Diagnostic};

/// Parses TOML text that starts on line `first_line` of `file`, mapping errors to file lines.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    ::toml::from_str::<T>(text).map_err(|e| toml_diagnostic(file, text, first_line, &e))
}

/// Turns a TOML error into a diagnostic pointing at the line of `file` where it happened.
pub fn toml_diagnostic(
    file: &Path,
    text: &str,
    first_line: usize,
    error: &::toml::de::Error,
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
