//! An attribute's value as the minifier writes it.

use minify_html_common::gen::codepoints::{ATTR_QUOTE, DIGIT, WHITESPACE};

use super::AttrType;

/// How the minifier encodes a character of an attribute's value that its delimiter does not
/// allow (no semicolon: one is added only where the next character would extend the entity).
fn encoded(c: u8) -> &'static [u8] {
    match c {
        b'\'' => b"&#39",
        b'"' => b"&#34",
        b'>' => b"&gt",
        b'\t' => b"&#9",
        b'\n' => b"&#10",
        b'\x0c' => b"&#12",
        b'\r' => b"&#13",
        b' ' => b"&#32",
        _ => unreachable!("only quotes, `>` and whitespace are encoded"),
    }
}

/// What [`write_attr_value`] wrote.
pub(super) enum Written {
    /// The value, in the way it ends.
    Value(AttrType),
    /// Nothing: the value was empty (or all whitespace, collapsed): as if there were none.
    Empty,
    /// Nothing: the minifier writes this value in a way not reproduced here.
    Unsure,
}

/// Whether `value` has whitespace or a `>`; eight bytes at a time, since most values are
/// links with neither.
fn has_space_or_gt(value: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut chunks = value.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        // Bytes up to 0x20 (all of HTML's whitespace, and control characters) or equal to
        // `>`, by the classic test for a zero byte; then the exact test on a hit.
        let low = x.wrapping_sub(ONES * 0x21) & !x;
        let gt = x ^ (ONES * u64::from(b'>'));
        let gt = gt.wrapping_sub(ONES) & !gt;
        if (low | gt) & HIGHS != 0 && chunk.iter().any(|&b| WHITESPACE[b] || b == b'>') {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| WHITESPACE[b] || b == b'>')
}

/// Whether collapsing and trimming `value`'s whitespace leaves it as it is: no whitespace at
/// either end, and each run of it a single space.
fn is_collapsed(value: &[u8]) -> bool {
    let ends = |b: Option<&u8>| b.is_some_and(|&b| WHITESPACE[b]);
    if ends(value.first()) || ends(value.last()) {
        return false;
    }
    value
        .windows(2)
        .all(|pair| !WHITESPACE[pair[1]] || pair[1] == b' ' && !WHITESPACE[pair[0]])
}

/// A character of an attribute's value as the minifier classifies it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharType {
    Start,
    Normal,
    Whitespace,
    SingleQuote,
    DoubleQuote,
    Gt,
}

fn char_type(c: u8) -> CharType {
    match c {
        b'"' => CharType::DoubleQuote,
        b'\'' => CharType::SingleQuote,
        b'>' => CharType::Gt,
        c if WHITESPACE[c] => CharType::Whitespace,
        _ => CharType::Normal,
    }
}

/// The delimiter the minifier chooses for a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delimiter {
    Double,
    Single,
    Unquoted,
}

/// Writes `raw` (decoded text, no `&`) as the minifier writes an attribute's value, with its
/// delimiters; whitespace collapsed and trimmed first if `collapse`. None, writing nothing, if
/// the value is then empty. Follows `process_attr_value`: the value at its shortest, the
/// length of each way to delimit it, the shortest (double quotes on a tie, then single),
/// then the characters that way needs encoded.
pub(super) fn write_attr_value(raw: &[u8], collapse: bool, out: &mut Vec<u8>) -> Written {
    // Fast ways for the common values. Nothing to collapse, encode or quote (a link):
    // unquoted, the shortest.
    if !raw.is_empty() && !ATTR_QUOTE[raw[0]] && !has_space_or_gt(raw) {
        out.extend_from_slice(raw);
        return Written::Value(AttrType::Unquoted);
    }
    // No double quote and nothing to collapse (a title): in double quotes, which then encode
    // nothing. Unquoted would encode the whitespace or `>` (at least two bytes more each) or
    // the leading single quote (three more); single quotes tie at best.
    if !raw.is_empty() && memchr::memchr(b'"', raw).is_none() && (!collapse || is_collapsed(raw)) {
        out.push(b'"');
        out.extend_from_slice(raw);
        out.push(b'"');
        return Written::Value(AttrType::Quoted);
    }
    let mut value = Vec::with_capacity(raw.len());
    let (mut double, mut double_len, mut single, mut single_len) = (0, 0, 0, 0);
    let (mut gt, mut gt_len, mut spaces, mut spaces_len) = (0, 0, 0, 0);
    let mut in_whitespace = false;
    let mut last = CharType::Start;
    // Each character, then the end (None).
    for c in raw.iter().copied().map(Some).chain([None]) {
        let typ = c.map(char_type);
        if collapse {
            if typ == Some(CharType::Whitespace) {
                in_whitespace = true;
                continue;
            }
            if in_whitespace && !(last == CharType::Start || typ.is_none()) {
                last = CharType::Whitespace;
                value.push(b' ');
                spaces += 1;
                spaces_len += encoded(b' ').len();
            }
            in_whitespace = false;
        }
        let (Some(c), Some(typ)) = (c, typ) else {
            break;
        };
        value.push(c);
        match typ {
            CharType::Whitespace => {
                spaces += 1;
                spaces_len += encoded(c).len();
            }
            CharType::SingleQuote => {
                single += 1;
                single_len += encoded(c).len();
            }
            CharType::DoubleQuote => {
                double += 1;
                double_len += encoded(c).len();
            }
            CharType::Gt => {
                gt += 1;
                gt_len += encoded(c).len();
            }
            CharType::Normal => {
                // An entity before `;` or a digit needs its semicolon.
                let extends = c == b';' || DIGIT[c];
                match last {
                    CharType::SingleQuote if extends => single_len += 1,
                    CharType::DoubleQuote if extends => double_len += 1,
                    CharType::Gt if c == b';' => gt_len += 1,
                    CharType::Whitespace if extends => spaces_len += 1,
                    _ => {}
                }
            }
            CharType::Start => unreachable!(),
        }
        last = typ;
    }
    if value.is_empty() {
        return Written::Empty;
    }
    let len = value.len();
    let unquoted_len = {
        let first_semicolon = usize::from(value.get(1).is_some_and(|&c| DIGIT[c] || c == b';'));
        let first_cost = match value[0] {
            b'"' | b'\'' => encoded(value[0]).len() + first_semicolon,
            _ => 0,
        };
        let n = len - spaces + spaces_len;
        let n = n - gt + gt_len;
        n - usize::from(first_cost > 0) + first_cost
    };
    let mut best = (Delimiter::Double, len - double + double_len + 2);
    let single_quoted = len - single + single_len + 2;
    if single_quoted < best.1 {
        best = (Delimiter::Single, single_quoted);
    }
    if unquoted_len < best.1 {
        best = (Delimiter::Unquoted, unquoted_len);
    }
    let delimiter = best.0;
    if delimiter == Delimiter::Unquoted && WHITESPACE[value[0]] {
        // The release counts leading whitespace as encoded when it weighs the delimiters, but
        // does not encode it, and its writing from the end then leaves bytes of the value as
        // it was before the value: not reproduced.
        return Written::Unsure;
    }
    let should_encode = |k: usize| {
        let c = value[k];
        match (c, delimiter) {
            (b'>', Delimiter::Unquoted) => true,
            (c, Delimiter::Unquoted) if k == 0 => ATTR_QUOTE[c],
            (c, Delimiter::Unquoted) => WHITESPACE[c],
            (b'\'', Delimiter::Single) => true,
            (b'"', Delimiter::Double) => true,
            _ => false,
        }
    };
    let quote = match delimiter {
        Delimiter::Double => Some(b'"'),
        Delimiter::Single => Some(b'\''),
        Delimiter::Unquoted => None,
    };
    out.extend(quote);
    for k in 0..len {
        if should_encode(k) {
            let entity = encoded(value[k]);
            out.extend_from_slice(entity);
            // The release looks at what it has already written after this character: the
            // next character, or the `&` of its entity.
            if k + 1 < len {
                let next = if should_encode(k + 1) {
                    b'&'
                } else {
                    value[k + 1]
                };
                let numeric = entity.last().is_some_and(u8::is_ascii_digit);
                if next == b';' || DIGIT[next] && numeric {
                    out.push(b';');
                }
            }
        } else {
            out.push(value[k]);
        }
    }
    out.extend(quote);
    Written::Value(match delimiter {
        Delimiter::Unquoted => AttrType::Unquoted,
        _ => AttrType::Quoted,
    })
}
