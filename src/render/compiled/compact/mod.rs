//! Compiled pages written minified as they are made, instead of made in full and then minified.
//!
//! The minifier (minify-html-onepass) cost a fifth of a build's instructions, most of it on the
//! chapter, section, theme and unit pages that [`super::division`], [`super::theme`] and
//! [`super::unit`] write. They
//! write a page as the bundled templates' text and the page's values; [`Compact`] reads that
//! stream as the minifier reads a page, and writes what the minifier would write, by the
//! minifier's own rules: minify-html-common's tables of whitespace, optional closing tags and
//! attributes, and the release's choice of quotes and entities for an attribute's value, in
//! the order the minifier applies them. Template text is read once, values are never escaped
//! and decoded again, and content HTML (a measure's text) is minified by the minifier itself as
//! the content of its element ([`minify_html_onepass::copy_content`]).
//!
//! What it does not reproduce, it does not guess. A value with `&` or `<` in text, or `&` in an
//! attribute (the minifier's handling of entities), content HTML that is not all of an
//! element's content, or markup the bundled templates do not have, makes the page
//! [fall back](Compact::finish): it is then written in full and minified as before. The tests
//! hold both ways to the same bytes, on the real content, on synthetic sites and on pages of
//! random values.

use std::cell::Cell;

use minify_html_common::gen::codepoints::{TAG_NAME_CHAR, WHITESPACE};
use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::whitespace::{
    get_whitespace_minification_for_tag, WhitespaceMinification,
};

use self::attr::{write_attr_value, Written};
use self::memo::{Memo, MEMO};
use self::piece::Op;
use crate::render::minify::{depth_walk, MAX_MINIFY_DEPTH};

mod attr;
mod memo;
mod piece;
#[cfg(test)]
mod tests;

/// A tag's or attribute's name, short enough to be copied around and compared as one number
/// (the longest the templates have is `data-copy-link`); a longer one makes the page fall
/// back. The bytes, then the length in the last byte.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name([u8; 16]);

/// Hashed as the one number its bytes make.
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u128(u128::from_ne_bytes(self.0));
    }
}

impl Name {
    const EMPTY: Name = Name([0; 16]);

    fn as_bytes(&self) -> &[u8] {
        &self.0[..usize::from(self.0[15])]
    }

    /// Adds `bytes`, in lowercase; false if the name is then too long.
    fn push(&mut self, bytes: &[u8]) -> bool {
        let len = usize::from(self.0[15]);
        if len + bytes.len() > 15 {
            return false;
        }
        for (k, b) in bytes.iter().enumerate() {
            self.0[len + k] = b.to_ascii_lowercase();
        }
        self.0[15] += bytes.len() as u8;
        true
    }
}

/// What was last written in an element's content (`last_written` in the minifier).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    Tag,
    Text,
}

/// What comes after whitespace being held back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Tag,
    Text,
    End,
}

/// An element whose content is being written (the root, with an empty name, at the bottom).
struct Frame {
    name: Name,
    whitespace: &'static WhitespaceMinification,
    last: Last,
    /// Whitespace read and held back until what follows it decides whether it is written.
    whitespace_skipped: bool,
    /// The closing tag of the last child element, written or left out by what follows it.
    closing: Option<Name>,
    /// Its content was content HTML, minified whole: only its closing tag may follow.
    filled: bool,
}

impl Frame {
    fn new(name: Name, whitespace: &'static WhitespaceMinification) -> Frame {
        Frame {
            name,
            whitespace,
            last: Last::Start,
            whitespace_skipped: false,
            closing: None,
            filled: false,
        }
    }
}

/// How a written attribute ended, which decides whether a space separates the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrType {
    Quoted,
    Unquoted,
    NoValue,
}

/// Where the template text being read stands.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Lex {
    Content,
    /// After a start tag's `<`.
    TagName,
    /// In a start tag, between attributes.
    InTag,
    /// After an attribute's name.
    AttrEnd,
    /// In an attribute's double-quoted value.
    AttrValue,
    /// After `</`.
    EndTag,
}

/// A page being written minified; see the module's documentation.
pub(in crate::render) struct Compact<'o> {
    out: &'o mut Vec<u8>,
    stack: Vec<Frame>,
    lex: Lex,
    /// The name of the tag being read.
    tag: Name,
    attr_name: Name,
    attr_value: Vec<u8>,
    last_attr: Option<AttrType>,
    /// How deeply the page as written in full would nest (`html_depth`'s count): the open
    /// elements, what content HTML left open, and the most of either so far.
    left_open: usize,
    deepest: usize,
    fallback: bool,
    /// This thread's [`Memo`], given back when the page is done.
    memo: Option<Box<Memo>>,
}

impl<'o> Compact<'o> {
    pub(in crate::render) fn new(out: &'o mut Vec<u8>) -> Self {
        Compact {
            out,
            stack: vec![Frame::new(
                Name::EMPTY,
                get_whitespace_minification_for_tag(Namespace::Html, b"", false),
            )],
            lex: Lex::Content,
            tag: Name::EMPTY,
            attr_name: Name::EMPTY,
            attr_value: Vec::new(),
            last_attr: None,
            left_open: 0,
            deepest: 0,
            fallback: false,
            memo: Some(MEMO.with(Cell::take).unwrap_or_default()),
        }
    }

    /// Whether the page was written; false if it fell back and must be written in full and
    /// minified.
    pub(in crate::render) fn finish(mut self) -> bool {
        if self.fallback || self.lex != Lex::Content || self.stack.len() != 1 {
            return false;
        }
        self.resolve_whitespace(Next::End);
        if let Some(closing) = self.stack[0].closing.take() {
            if !self.memo().omit_last(Name::EMPTY, closing) {
                write_closing(self.out, closing);
            }
        }
        self.deepest <= MAX_MINIFY_DEPTH
    }

    fn memo(&mut self) -> &mut Memo {
        self.memo.get_or_insert_with(Default::default)
    }

    fn fall_back(&mut self) {
        self.fallback = true;
    }

    /// Template text: markup and text as the bundled templates have them. Each piece of
    /// template text is read once a thread (for the state it is read in) into [`Op`]s, which
    /// are then replayed: the minifier's decisions depend on what came before, its reading of
    /// the text does not.
    pub(in crate::render) fn template(&mut self, text: &'static str) {
        if self.fallback {
            return;
        }
        let lex = self.lex;
        let piece = self.memo().piece(text, lex);
        for op in piece.ops.iter() {
            match *op {
                Op::Text(bytes) => self.text_run(bytes),
                Op::Whitespace => self.whitespace(),
                Op::Bang(bytes) => {
                    if self.stack.last().expect("the root is never closed").filled {
                        self.fall_back();
                    } else {
                        self.out.extend_from_slice(bytes);
                    }
                }
                Op::Tag(name) => self.tag = name,
                Op::MoreTag(part) => {
                    if !self.tag.push(part) {
                        self.fall_back();
                    }
                }
                Op::StartTag => self.start_tag(),
                Op::AttrName(name) => self.attr_name = name,
                Op::Value(value) => self.attribute(value),
                Op::OpenValue(part) => {
                    self.attr_value.clear();
                    self.attr_value.extend_from_slice(part);
                }
                Op::MoreValue(part) => self.attr_value.extend_from_slice(part),
                Op::CloseValue(part) => {
                    let mut value = std::mem::take(&mut self.attr_value);
                    value.extend_from_slice(part);
                    self.attribute(Some(&value));
                    self.attr_value = value;
                }
                Op::EndStartTag => self.end_start_tag(),
                Op::EndTag => self.end_tag(),
                Op::FallBack => self.fall_back(),
            }
            if self.fallback {
                return;
            }
        }
        self.lex = piece.end;
    }

    /// A value (`{{ value }}`): text, or part of an attribute's value or of a tag's name.
    pub(in crate::render) fn value(&mut self, value: &str) {
        if self.fallback {
            return;
        }
        let bytes = value.as_bytes();
        match self.lex {
            Lex::Content => {
                if memchr::memchr2(b'&', b'<', bytes).is_some() {
                    self.fall_back();
                } else {
                    self.text(bytes);
                }
            }
            Lex::AttrValue => {
                if memchr::memchr(b'&', bytes).is_some() {
                    self.fall_back();
                } else {
                    self.attr_value.extend_from_slice(bytes);
                }
            }
            // `<h{{ level }}>`.
            Lex::TagName | Lex::EndTag => {
                if !bytes.iter().all(|&b| TAG_NAME_CHAR[b]) || !self.tag.push(bytes) {
                    self.fall_back();
                }
            }
            _ => self.fall_back(),
        }
    }

    /// Content HTML (`{{ html | safe }}`), which must be all of the current element's content.
    pub(in crate::render) fn content_html(&mut self, html: &str) {
        if self.fallback || html.is_empty() {
            return;
        }
        let frame = self.stack.last().expect("the root is never closed");
        if self.lex != Lex::Content
            || frame.last != Last::Start
            || frame.whitespace_skipped
            || frame.closing.is_some()
            || frame.filled
            || self.stack.len() == 1
            // Where `copy_content` does not apply (see there); not in the templates.
            || matches!(
                frame.name.as_bytes(),
                b"pre" | b"textarea" | b"script" | b"style" | b"svg"
            )
        {
            self.fall_back();
            return;
        }
        // The page in full nests as deep as the open elements and this HTML's own nesting.
        let (deepest, left_open, in_tag) = depth_walk(html.as_bytes());
        if in_tag {
            self.fall_back();
            return;
        }
        self.deepest = self
            .deepest
            .max(self.stack.len() - 1 + self.left_open + deepest);
        self.left_open += left_open;
        // Past the depth the minifier is given, before it is given this HTML: it descends one
        // call per level, and the page goes out as written anyway.
        if self.deepest > MAX_MINIFY_DEPTH {
            self.fall_back();
            return;
        }
        let cfg = minify_html_onepass::Cfg {
            minify_css: false,
            minify_js: false,
        };
        match minify_html_onepass::copy_content(html.as_bytes(), frame.name.as_bytes(), &cfg) {
            Ok(minified) => {
                self.out.extend_from_slice(&minified);
                self.stack.last_mut().expect("an element").filled = true;
            }
            Err(_) => self.fall_back(),
        }
    }

    /// Text in the current element's content: runs of whitespace and of other bytes.
    fn text(&mut self, mut bytes: &[u8]) {
        while let Some(&first) = bytes.first() {
            let whitespace = WHITESPACE[first];
            let run = bytes
                .iter()
                .position(|&b| WHITESPACE[b] != whitespace)
                .unwrap_or(bytes.len());
            if whitespace {
                self.whitespace();
            } else {
                self.text_run(&bytes[..run]);
            }
            bytes = &bytes[run..];
        }
    }

    /// Whether the current element's text is read as the minifier reads text in the
    /// templates' elements; if not, the page falls back.
    fn in_text(&mut self) -> bool {
        let frame = self.stack.last().expect("the root is never closed");
        let w = frame.whitespace;
        // Whitespace-sensitive elements (`pre`, `code`, `textarea`) and scripts' content
        // are not in the templates; after content HTML, only its element's end tag is.
        if frame.filled
            || !(w.collapse || w.destroy_whole || w.trim)
            || frame.name.as_bytes() == b"script"
        {
            self.fall_back();
            return false;
        }
        true
    }

    /// A run of whitespace in text: held back.
    fn whitespace(&mut self) {
        if self.in_text() {
            self.stack.last_mut().expect("a frame").whitespace_skipped = true;
        }
    }

    /// A run of text without whitespace.
    fn text_run(&mut self, bytes: &[u8]) {
        if !self.in_text() {
            return;
        }
        self.resolve_whitespace(Next::Text);
        let frame = self.stack.last_mut().expect("a frame");
        if let Some(closing) = frame.closing.take() {
            write_closing(self.out, closing);
        }
        frame.last = Last::Text;
        self.out.extend_from_slice(bytes);
    }

    /// Whitespace held back in the current element, written as one space or dropped by what
    /// comes next.
    fn resolve_whitespace(&mut self, next: Next) {
        let frame = self.stack.last_mut().expect("the root is never closed");
        if !frame.whitespace_skipped {
            return;
        }
        frame.whitespace_skipped = false;
        let w = frame.whitespace;
        if w.destroy_whole && frame.last == Last::Tag && next == Next::Tag {
            // Between two tags.
        } else if w.trim && (frame.last == Last::Start || next == Next::End) {
            // Leading or trailing.
        } else if w.collapse {
            if let Some(closing) = frame.closing.take() {
                write_closing(self.out, closing);
            }
            self.out.push(b' ');
            frame.last = Last::Text;
        }
    }

    /// A start tag's name has been read: its `<` and name are written.
    fn start_tag(&mut self) {
        let name = self.tag;
        self.resolve_whitespace(Next::Tag);
        let frame = self.stack.last().expect("the root is never closed");
        let (parent, filled, closing) = (frame.name, frame.filled, frame.closing);
        if filled
            || self.memo().omit_before(parent, name)
            // `pre` and `textarea` keep their descendants' whitespace too, and the minifier
            // treats `svg`'s and `style`'s content otherwise: none is in the templates.
            || matches!(name.as_bytes(), b"svg" | b"style" | b"pre" | b"textarea")
        {
            // A tag that ends its parent, or content the minifier treats otherwise.
            self.fall_back();
            return;
        }
        if let Some(closing) = closing {
            if !self.memo().omit_before(closing, name) {
                write_closing(self.out, closing);
            }
        }
        let frame = self.stack.last_mut().expect("the root is never closed");
        frame.closing = None;
        frame.last = Last::Tag;
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        self.last_attr = None;
    }

    /// One attribute of the start tag being read: `name` (in `attr_name`) with `value`, or
    /// none (`hidden`), as the minifier writes it (`process_attr`, `process_attr_value` and the
    /// erasure in `process_tag`).
    fn attribute(&mut self, value: Option<&[u8]>) {
        let (tag, name) = (self.tag, self.attr_name);
        if tag.as_bytes() == b"script" && name.as_bytes() == b"type" {
            self.fall_back();
            return;
        }
        let cfg = self.memo().attr(tag, name);
        let rollback = self.out.len();
        if self.last_attr != Some(AttrType::Quoted) {
            self.out.push(b' ');
        }
        self.out.extend_from_slice(name.as_bytes());
        let mut typ = AttrType::NoValue;
        let mut written = None;
        if let Some(value) = value {
            if !cfg.is_some_and(|c| c.boolean) {
                let collapse = cfg.is_some_and(|c| c.collapse && c.trim);
                self.out.push(b'=');
                let start = self.out.len();
                match write_attr_value(value, collapse, self.out) {
                    Written::Value(t) => {
                        typ = t;
                        written = Some(start);
                    }
                    // As if there were no value.
                    Written::Empty => {
                        self.out.pop();
                    }
                    Written::Unsure => {
                        self.fall_back();
                        return;
                    }
                }
            }
        }
        let erase = match (written, cfg) {
            (None, Some(c)) => c.redundant_if_empty,
            (Some(start), Some(c)) => c.default_value == Some(&self.out[start..]),
            _ => false,
        };
        if erase {
            self.out.truncate(rollback);
        } else {
            self.last_attr = Some(typ);
        }
    }

    /// A start tag's `>`.
    fn end_start_tag(&mut self) {
        self.out.push(b'>');
        let name = self.tag;
        let (void, whitespace) = self.memo().element(name);
        if void {
            return;
        }
        self.stack.push(Frame::new(name, whitespace));
        self.deepest = self.deepest.max(self.stack.len() - 1 + self.left_open);
    }

    /// An end tag, read whole.
    fn end_tag(&mut self) {
        let name = self.tag;
        if self.stack.len() == 1 || self.stack.last().expect("a frame").name != name {
            // A closing tag that closes nothing open, or another element: the minifier
            // would fail or close them implicitly.
            self.fall_back();
            return;
        }
        if !self.stack.last().expect("a frame").filled {
            self.resolve_whitespace(Next::End);
            if let Some(closing) = self.stack.last_mut().expect("a frame").closing.take() {
                if !self.memo().omit_last(name, closing) {
                    write_closing(self.out, closing);
                }
            }
        }
        self.stack.pop();
        let parent = self.stack.last_mut().expect("the root is never closed");
        parent.closing = Some(name);
        parent.last = Last::Tag;
    }
}

impl Drop for Compact<'_> {
    fn drop(&mut self) {
        if let Some(memo) = self.memo.take() {
            MEMO.with(|cell| cell.set(Some(memo)));
        }
    }
}

fn write_closing(out: &mut Vec<u8>, name: Name) {
    out.extend_from_slice(b"</");
    out.extend_from_slice(name.as_bytes());
    out.push(b'>');
}
