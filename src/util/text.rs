//! Text helpers used across the layers: HTML escaping, truncation to a number of characters,
//! full-width ASCII forms folded to ASCII, the line of a TOML key.

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Where the character after the first `max` characters of `text` starts, if there is one.
/// Counts the bytes that start a character rather than decoding each one: a theme page cuts
/// the text of each of its measures (two million cuts at a million measures).
pub fn char_boundary(text: &str, max: usize) -> Option<usize> {
    // A byte starts a character unless it is a continuation byte (`0b10xx_xxxx`).
    text.bytes()
        .enumerate()
        .filter(|(_, b)| b & 0xC0 != 0x80)
        .nth(max)
        .map(|(i, _)| i)
}

/// A full-width ASCII form (`Ａ`, `５`, `．`, U+FF01–U+FF5E) as its ASCII character; any other
/// character unchanged.
pub fn fullwidth_to_ascii(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The 1-based line of `text` on which the TOML key `key` is set (`key = …`), or 0: where a
/// value that parsed but is not allowed is reported.
pub fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(char_boundary("一二三四", 2), Some(6));
        assert_eq!(char_boundary("一二", 2), None);
        assert_eq!(char_boundary("", 0), None);
        assert_eq!(char_boundary("a", 0), Some(0));
        // One, two, three and four bytes a character, cut at every place.
        let text = "aé一😀b";
        for max in 0..7 {
            let expected = text.char_indices().nth(max).map(|(cut, _)| cut);
            assert_eq!(char_boundary(text, max), expected, "{max}");
        }
        assert_eq!(fullwidth_to_ascii('Ａ'), 'A');
        assert_eq!(fullwidth_to_ascii('．'), '.');
        assert_eq!(fullwidth_to_ascii('金'), '金');
    }
}
