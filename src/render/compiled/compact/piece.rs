//! Template text read into the steps it holds, once a thread for each piece of text.

use minify_html_common::gen::codepoints::{TAG_NAME_CHAR, WHITESPACE};

use super::{Lex, Name};

/// One thing a piece of template text holds, for [`Compact::template`] to replay.
#[derive(Clone, Copy)]
pub(super) enum Op {
    /// Text without whitespace.
    Text(&'static [u8]),
    /// A run of whitespace in text.
    Whitespace,
    /// `<!…>`, written as it is.
    Bang(&'static [u8]),
    /// The name of the tag being read (start or end).
    Tag(Name),
    /// More of the tag's name, after a value (`<h{{ level }}>`).
    MoreTag(&'static [u8]),
    /// The start tag's name is complete.
    StartTag,
    /// The name of an attribute.
    AttrName(Name),
    /// The attribute's whole value, or none: the attribute is complete.
    Value(Option<&'static [u8]>),
    /// The attribute's value, to go on after this text: its value so far.
    OpenValue(&'static [u8]),
    /// More of the value of an attribute.
    MoreValue(&'static [u8]),
    /// The rest of the value of an attribute: the attribute is complete.
    CloseValue(&'static [u8]),
    /// A start tag's `>`.
    EndStartTag,
    /// An end tag's `>`.
    EndTag,
    /// Markup the templates do not have.
    FallBack,
}

/// A piece of template text read in a given state: what it holds, and the state after it.
pub(super) struct Piece {
    pub(super) ops: Box<[Op]>,
    pub(super) end: Lex,
}

/// Reads `text` from the state `lex` into [`Op`]s.
pub(super) fn read_piece(text: &'static str, mut lex: Lex) -> Piece {
    let bytes = text.as_bytes();
    let mut ops = Vec::new();
    // The end of the run of bytes from `i` that `keep` accepts.
    let run = |i: usize, keep: &dyn Fn(u8) -> bool| {
        bytes[i..]
            .iter()
            .position(|&b| !keep(b))
            .map_or(bytes.len(), |k| i + k)
    };
    let mut i = 0;
    while i < bytes.len() {
        i = match lex {
            Lex::Content => {
                let lt = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                let mut j = i;
                while j < lt {
                    let whitespace = WHITESPACE[bytes[j]];
                    let end = run(j, &|b| WHITESPACE[b] == whitespace).min(lt);
                    ops.push(if whitespace {
                        Op::Whitespace
                    } else {
                        Op::Text(&bytes[j..end])
                    });
                    j = end;
                }
                match bytes.get(lt + 1) {
                    _ if lt == bytes.len() => lt,
                    Some(b'/') => {
                        lex = Lex::EndTag;
                        ops.push(Op::Tag(Name::EMPTY));
                        lt + 2
                    }
                    // A comment, which the minifier drops up to its `-->`: not in the templates.
                    Some(b'!') if bytes[lt..].starts_with(b"<!--") => {
                        ops.push(Op::FallBack);
                        bytes.len()
                    }
                    Some(b'!') => match memchr::memchr(b'>', &bytes[lt..]) {
                        // A bang is written as it is and changes nothing around it.
                        Some(k) => {
                            ops.push(Op::Bang(&bytes[lt..lt + k + 1]));
                            lt + k + 1
                        }
                        None => {
                            ops.push(Op::FallBack);
                            bytes.len()
                        }
                    },
                    Some(&b) if b.is_ascii_alphabetic() => {
                        lex = Lex::TagName;
                        ops.push(Op::Tag(Name::EMPTY));
                        lt + 1
                    }
                    // A `<` of text, or one ending the template text: not in the templates.
                    _ => {
                        ops.push(Op::FallBack);
                        bytes.len()
                    }
                }
            }
            Lex::TagName | Lex::EndTag => {
                let end = run(i, &|b| TAG_NAME_CHAR[b]);
                if end > i {
                    // Into the name begun in this text, or after one begun before it.
                    match ops.last_mut() {
                        Some(Op::Tag(name)) => {
                            if !name.push(&bytes[i..end]) {
                                ops.push(Op::FallBack);
                            }
                        }
                        _ => ops.push(Op::MoreTag(&bytes[i..end])),
                    }
                }
                match (lex, bytes.get(end)) {
                    // The name goes on in a value (`<h{{ level }}>`).
                    (_, None) => end,
                    // The byte after the name is read again in the tag.
                    (Lex::TagName, Some(_)) => {
                        ops.push(Op::StartTag);
                        lex = Lex::InTag;
                        end
                    }
                    (_, Some(b'>')) => {
                        ops.push(Op::EndTag);
                        lex = Lex::Content;
                        end + 1
                    }
                    _ => {
                        ops.push(Op::FallBack);
                        bytes.len()
                    }
                }
            }
            Lex::InTag => match bytes[i] {
                b'>' => {
                    ops.push(Op::EndStartTag);
                    lex = Lex::Content;
                    i + 1
                }
                b if WHITESPACE[b] => run(i, &|b| WHITESPACE[b]),
                // `/>`, `=` and quotes where a name belongs: not in the templates.
                b'/' | b'=' | b'"' | b'\'' => {
                    ops.push(Op::FallBack);
                    bytes.len()
                }
                _ => {
                    let end = run(i, &|b| {
                        !WHITESPACE[b] && !matches!(b, b'=' | b'>' | b'/' | b'"' | b'\'')
                    });
                    let mut name = Name::EMPTY;
                    if !name.push(&bytes[i..end]) {
                        ops.push(Op::FallBack);
                        break;
                    }
                    ops.push(Op::AttrName(name));
                    lex = Lex::AttrEnd;
                    end
                }
            },
            Lex::AttrEnd => match bytes[i] {
                // `name="`: the value follows.
                b'=' if bytes.get(i + 1) == Some(&b'"') => {
                    let from = i + 2;
                    match memchr::memchr2(b'"', b'&', &bytes[from..]) {
                        Some(k) if bytes[from + k] == b'"' => {
                            ops.push(Op::Value(Some(&bytes[from..from + k])));
                            lex = Lex::InTag;
                            from + k + 1
                        }
                        Some(_) => {
                            ops.push(Op::FallBack);
                            bytes.len()
                        }
                        None => {
                            ops.push(Op::OpenValue(&bytes[from..]));
                            lex = Lex::AttrValue;
                            bytes.len()
                        }
                    }
                }
                // An attribute without a value; the byte is read again in the tag.
                b if b == b'>' || WHITESPACE[b] => {
                    ops.push(Op::Value(None));
                    lex = Lex::InTag;
                    i
                }
                // Unquoted values and whitespace around `=`: not in the templates.
                _ => {
                    ops.push(Op::FallBack);
                    bytes.len()
                }
            },
            Lex::AttrValue => match memchr::memchr2(b'"', b'&', &bytes[i..]) {
                Some(k) if bytes[i + k] == b'"' => {
                    ops.push(Op::CloseValue(&bytes[i..i + k]));
                    lex = Lex::InTag;
                    i + k + 1
                }
                Some(_) => {
                    ops.push(Op::FallBack);
                    bytes.len()
                }
                None => {
                    ops.push(Op::MoreValue(&bytes[i..]));
                    bytes.len()
                }
            },
        };
    }
    Piece {
        ops: ops.into_boxed_slice(),
        end: lex,
    }
}
