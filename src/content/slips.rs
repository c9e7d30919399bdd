//! Editors' slips in plan files that Markdown would silently absorb.
//!
//! A measure heading typed with an invisible or full-width space before its `###`, or with
//! full-width `＃＃＃`, is plain text to CommonMark: the measure would be merged into the one
//! before it and its `{#id …}` block printed as text. Text is verbatim in this project, so such
//! a line is reported rather than guessed at; the loader then reads it as the heading it was
//! meant to be, so that one slip gives one report and no follow-on errors.

/// A heading typed with something before its `#` signs, or with full-width signs.
#[derive(Debug, PartialEq, Eq)]
pub struct HeadingSlip {
    pub message: String,
    pub hint: &'static str,
    /// The line as it was meant: ASCII `#` signs at the start.
    pub fixed: String,
}

/// Characters that may stand unseen before a heading's `#` signs.
fn is_stray_space(c: char) -> bool {
    (c.is_whitespace() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

fn char_name(c: char) -> String {
    let name = match c {
        '\u{3000}' => "ideographic space",
        '\u{a0}' => "no-break space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "byte order mark",
        '\u{202f}' => "narrow no-break space",
        _ => "a space character",
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

/// The slip in `line`, if it is a heading typed wrongly.
pub fn heading_slip(line: &str) -> Option<HeadingSlip> {
    let rest = line.trim_start_matches(is_stray_space);
    let lead = &line[..line.len() - rest.len()];
    let signs: String = rest
        .chars()
        .take_while(|c| matches!(c, '#' | '＃'))
        .collect();
    let count = signs.chars().count();
    if count == 0 || count > 6 {
        return None;
    }
    let after = &rest[signs.len()..];
    let after = match after.strip_prefix('\u{3000}') {
        Some(a) => format!(" {a}"),
        None if after.is_empty() || after.starts_with([' ', '\t']) => after.to_string(),
        None => return None,
    };
    let hashes = "#".repeat(count);
    let fixed = format!("{hashes}{after}");
    let message = if lead.is_empty() {
        if !signs.contains('＃') {
            return None;
        }
        "the heading is written with full-width `＃` signs".to_string()
    } else if let Some(c) = lead.chars().find(|c| *c != ' ') {
        format!(
            "the heading starts with {} before its `{hashes}`",
            char_name(c)
        )
    } else if lead.len() < 4 {
        // CommonMark reads this as a heading too, but inside the measure before it.
        format!(
            "the heading starts with {} space{} before its `{hashes}`",
            lead.len(),
            if lead.len() == 1 { "" } else { "s" }
        )
    } else {
        // Four spaces make a code block: text, as the editor wrote it.
        return None;
    };
    let hint = if lead.is_empty() {
        "write the heading with ASCII `#` signs: `### lead phrase {#id themes=\"…\"}`"
    } else {
        "start the line with `###`: delete what stands before it, which an editor may not show"
    };
    Some(HeadingSlip {
        message,
        hint,
        fixed,
    })
}

/// The 1-based column of an `{#id …}` block that ends a line which is not a heading.
pub fn stray_attribute_block(line: &str) -> Option<usize> {
    // An indented line may be code, where such text is literal.
    if line.starts_with("    ") || line.starts_with('\t') {
        return None;
    }
    let body = line.trim_end().strip_suffix('}')?;
    let start = body.rfind("{#")?;
    let inner = &body[start + 2..];
    if inner.contains(['{', '}']) || !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(line[..start].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_full_width_characters_before_a_heading() {
        let s = heading_slip("\u{3000}### 甲。 {#a-1 themes=\"x\"}").unwrap();
        assert_eq!(s.fixed, "### 甲。 {#a-1 themes=\"x\"}");
        assert!(
            s.message.contains("U+3000 (ideographic space)"),
            "{}",
            s.message
        );
        let s = heading_slip("＃＃＃　甲。").unwrap();
        assert_eq!(s.fixed, "### 甲。");
        assert!(s.message.contains("full-width"));
        assert_eq!(heading_slip("\u{feff}#### 乙").unwrap().fixed, "#### 乙");
        assert_eq!(heading_slip("  ### 丙").unwrap().fixed, "### 丙");
    }

    #[test]
    fn what_is_not_a_slip() {
        assert_eq!(heading_slip("### 甲"), None);
        assert_eq!(heading_slip("正文 ### 甲"), None);
        assert_eq!(heading_slip("    ### code"), None);
        assert_eq!(heading_slip("#hashtag"), None);
        assert_eq!(heading_slip("\u{3000}正文"), None);
        assert_eq!(heading_slip("＃1"), None);
    }

    #[test]
    fn attribute_blocks_at_the_end_of_text() {
        assert_eq!(stray_attribute_block("正文。 {#ex-0-4}"), Some(5));
        assert_eq!(stray_attribute_block("正文 {#ex themes=\"a\"}  "), Some(4));
        assert_eq!(stray_attribute_block("正文 {x}"), None);
        assert_eq!(stray_attribute_block("    code {#a}"), None);
        assert_eq!(stray_attribute_block("集合 {#}"), None);
    }
}
