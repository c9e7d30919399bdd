//! What a file is, from its first bytes, and the encoding of a text file.
//!
//! Formats are told by their content, never only by the name: a `.txt` that is really a saved
//! web page is read as HTML, a `.doc` that is really a DOCX as a DOCX. Text is decoded from
//! UTF-8 (a BOM dropped), UTF-16 with a BOM, an encoding an HTML page declares
//! (`<meta charset=gbk>`), or else GB18030 (of which GBK and GB2312 are subsets); text that
//! none of these decode cleanly is refused with the reason, never shown as mojibake.

use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::SourceError;

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    /// A ZIP archive (a DOCX is one).
    Zip,
    /// An OLE compound file: an old `.doc`, `.xls`, or an encrypted Office file.
    Ole,
    /// A known binary format, named.
    Binary(&'static str),
    /// Anything else: to be decoded as text.
    Text,
}

/// Signatures of binary files someone might give by mistake, with their names.
const BINARY: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\0", "a TIFF image"),
    (b"MM\0*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"{\\rtf", "an RTF document (save it as .docx or text)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
];

/// What `bytes` is, by signature. A PDF's header may follow a little junk (the PDF reference
/// allows it within the first 1024 bytes).
pub fn sniff(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Kind::Zip;
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Kind::Ole;
    }
    for (sig, name) in BINARY {
        if bytes.starts_with(sig) {
            return Kind::Binary(name);
        }
    }
    Kind::Text
}

/// Decoded text and the name of its encoding.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a text file; refuses binary content and text that no supported encoding reads.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, SourceError> {
    let refuse = |reason: String| SourceError::Encoding {
        path: path.into(),
        reason,
    };
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        let text = std::str::from_utf8(rest).map_err(|e| {
            refuse(format!(
                "it starts with a UTF-8 byte-order mark but is not UTF-8 ({e})"
            ))
        })?;
        (text.to_string(), "UTF-8")
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let enc = if bytes[0] == 0xff { UTF_16LE } else { UTF_16BE };
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(refuse(format!(
                "it is marked as {} but is not valid {0}",
                enc.name()
            )));
        }
        (text.into_owned(), enc.name())
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        // Valid UTF-8 wins over a page's own `<meta charset>`: scraped pages are often saved
        // as UTF-8 with the declaration of the original GBK page left in, and long Chinese text
        // in GBK is practically never valid UTF-8 by chance.
        (text.to_string(), "UTF-8")
    } else {
        if bytes.contains(&0) {
            return Err(binary(path));
        }
        let declared = declared_charset(bytes);
        let enc = declared.unwrap_or(GB18030);
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(refuse(match declared {
                Some(enc) => format!(
                    "it declares the encoding {} but is not valid {0}",
                    enc.name()
                ),
                None => "it is not UTF-8, UTF-16 or GBK/GB18030 text".to_string(),
            }));
        }
        (text.into_owned(), enc.name())
    };
    if text.contains('\0') || control_share(&text) > 0.01 {
        return Err(binary(path));
    }
    Ok(Decoded { text, encoding })
}

fn binary(path: &Path) -> SourceError {
    SourceError::NotText {
        path: path.into(),
        what: "it holds binary data (NUL or control bytes), not text — if it is UTF-16 text without a byte-order mark, save it as UTF-8".to_string(),
    }
}

/// The share of control characters other than tab, line feed, carriage return and form feed
/// (`pdftotext` ends each page with one): text has (almost) none, binary data many.
fn control_share(text: &str) -> f64 {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(1 << 16) {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\u{85}') {
            control += 1;
        }
    }
    control as f64 / total.max(1) as f64
}

/// The encoding an HTML page declares in its first 4 KiB (`<meta charset="gbk">`, or
/// `content="text/html; charset=gb2312"`), if `encoding_rs` knows it. Only consulted for bytes
/// that are not UTF-8.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let value: Vec<u8> = lower[at..]
        .iter()
        .copied()
        .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        .collect();
    let enc = Encoding::for_label(&value)?;
    // A page that says UTF-8 but is not: fall back to GB18030, the likely truth for Chinese
    // government pages.
    (enc != encoding_rs::UTF_8).then_some(enc)
}

/// Whether decoded text is an HTML page: it starts (after a BOM, whitespace, a Jekyll header and
/// comments) with `<!doctype html` or `<html`, or has `<p`, `<div` or `<body` tags in its first
/// few KiB.
pub fn looks_like_html(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    let front = super::html::front_matter_len(rest);
    rest = rest[front..].trim_start();
    while let Some(after) = rest.strip_prefix("<!--") {
        rest = match after.find("-->") {
            Some(end) => after[end + 3..].trim_start(),
            None => "",
        };
    }
    let start: String = rest
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return true;
    }
    let mut end = rest.len().min(8192);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let head = rest[..end].to_ascii_lowercase();
    ["<p>", "<p ", "<div", "<body"]
        .iter()
        .any(|t| head.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_ok(bytes: &[u8]) -> (String, &'static str) {
        let d = decode(Path::new("x.txt"), bytes).unwrap();
        (d.text, d.encoding)
    }

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(sniff(b"\r\n%PDF-1.4"), Kind::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0"), Kind::Ole);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Kind::Binary("a PNG image"));
        assert_eq!(sniff("第一章".as_bytes()), Kind::Text);
    }

    #[test]
    fn encodings() {
        assert_eq!(
            decode_ok("\u{feff}规划".as_bytes()),
            ("规划".into(), "UTF-8")
        );
        let (gbk, _, _) = GB18030.encode("四川省金融业发展规划。第一章");
        assert_eq!(
            decode_ok(&gbk),
            ("四川省金融业发展规划。第一章".into(), "gb18030")
        );
        let mut le = vec![0xff, 0xfe];
        for u in "规划\n".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(decode_ok(&le), ("规划\n".into(), "UTF-16LE"));
        let mut be = vec![0xfe, 0xff];
        for u in "规划".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode_ok(&be).0, "规划");
        // A declared GBK page is decoded as GBK (encoding_rs's GBK decoder reads GB18030).
        let mut page = b"<html><head><meta charset=\"gbk\"></head><body><p>".to_vec();
        page.extend_from_slice(&GB18030.encode("金融").0);
        assert_eq!(decode_ok(&page).1, "GBK");
    }

    #[test]
    fn refusals() {
        // Not GB18030 either: a lone lead byte at the end.
        let e = decode(Path::new("a.txt"), b"abc\x81").err().unwrap();
        assert!(matches!(e, SourceError::Encoding { .. }), "{e}");
        assert!(e.to_string().contains("a.txt"), "{e}");
        let e = decode(Path::new("b.txt"), b"ab\0cd\0").err().unwrap();
        assert!(matches!(e, SourceError::NotText { .. }), "{e}");
        let e = decode(Path::new("c.txt"), b"\x01\x02\x03\x04abc")
            .err()
            .unwrap();
        assert!(matches!(e, SourceError::NotText { .. }), "{e}");
    }

    #[test]
    fn html_is_told_from_text() {
        assert!(looks_like_html(
            "\u{feff}  <!-- saved --><!DOCTYPE html><html>"
        ));
        assert!(looks_like_html("<HTML><body>"));
        assert!(looks_like_html("---\ntitle: x\n---\n<p>第一段</p>"));
        assert!(looks_like_html(
            "标题\n<div class=\"TRS_Editor\">正文</div>"
        ));
        assert!(!looks_like_html("第一章 总则\n当 a<b 且 p>q 时"));
        assert!(!looks_like_html("<pre>"));
    }
}
