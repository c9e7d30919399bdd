//! Editors' slips in plan files that Markdown would silently absorb.
//!
//! A measure heading typed with an invisible or full-width space before its `###`, or with
//! full-width `＃＃＃`, is plain text to CommonMark: the measure would be merged into the one
//! before it and its `{#id …}` block printed as text. Text is verbatim in this project, so such
//! a line is reported rather than guessed at; the loader then reads it as the heading it was
//! meant to be, so that one slip gives one report and no follow-on errors.
//! A heading indented by a tab or four spaces (code to CommonMark) is treated the same way when
//! it carries an `{#id}`; inside a list item, indentation is the item's and only a measure
//! heading (which cannot stand in a list) is reported.

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

/// How `lead` (spaces and tabs) reads in a message: "a tab", "4 spaces".
pub fn describe_indent(lead: &str) -> String {
    let count = |n: usize, what: &str| match n {
        1 => format!("a {what}"),
        n => format!("{n} {what}s"),
    };
    match (lead.matches(' ').count(), lead.matches('\t').count()) {
        (spaces, 0) => count(spaces, "space"),
        (0, tabs) => count(tabs, "tab"),
        _ => "spaces and tabs".to_string(),
    }
}

/// A measure heading or sub-heading with its `{#id …}` block, indented by a tab or four spaces
/// or more: Markdown reads it as code (or as text of the paragraph before), and the measure
/// would be merged into the one before it. Genuine code that is not written like a heading
/// with an id is left alone.
pub fn indented_heading(line: &str) -> Option<HeadingSlip> {
    let rest = line.trim_start_matches([' ', '\t']);
    let lead = &line[..line.len() - rest.len()];
    let width: usize = lead.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    if width < 4 {
        return None;
    }
    let hashes = rest.chars().take_while(|c| *c == '#').count();
    if !(3..=4).contains(&hashes) || !rest[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    stray_attribute_block(rest)?;
    let hashes = "#".repeat(hashes);
    Some(HeadingSlip {
        message: format!(
            "the heading is indented by {}, so Markdown does not read it as a heading",
            describe_indent(lead)
        ),
        hint: if hashes.len() == 3 {
            "remove the indentation: start the line with `###`"
        } else {
            "remove the indentation: start the line with `####`"
        },
        fixed: rest.to_string(),
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
    fn indented_headings() {
        let s = indented_heading("\t### 甲。 {#a-1 themes=\"x\"}").unwrap();
        assert_eq!(s.fixed, "### 甲。 {#a-1 themes=\"x\"}");
        assert!(s.message.contains("by a tab"), "{}", s.message);
        let s = indented_heading("      #### 乙 {#b}").unwrap();
        assert!(s.message.contains("by 6 spaces"), "{}", s.message);
        assert_eq!(indented_heading("   ### 丙 {#c}"), None);
        assert_eq!(indented_heading("    # 代码"), None);
        assert_eq!(indented_heading("    ### 无标识"), None);
        assert_eq!(indented_heading("    let x = {#a}"), None);
        assert_eq!(indented_heading("    ##### 五级 {#e}"), None);
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
