//! What the minifier's tables say, and pieces of template text as read, remembered by each
//! render thread.

use std::cell::Cell;
use std::rc::Rc;

use minify_html_common::gen::attrs::{AttributeMinification, ATTRS};
use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::omission::{can_omit_as_before, can_omit_as_last_node};
use minify_html_common::spec::tag::void::VOID_TAGS;
use minify_html_common::spec::tag::whitespace::{
    get_whitespace_minification_for_tag, WhitespaceMinification,
};

use super::piece::{read_piece, Piece};
use super::{Lex, Name};

thread_local! {
    pub(super) static MEMO: Cell<Option<Box<Memo>>> = const { Cell::new(None) };
}

/// What the minifier's tables say of the tags and attributes written, remembered by each
/// render thread. The tables are hash maps keyed by byte strings; a page has hundreds of
/// elements and attributes, of a few dozen names.
#[derive(Default)]
pub(super) struct Memo {
    elements: Cache<(bool, &'static WhitespaceMinification), 256>,
    before: Cache<bool, 256>,
    last: Cache<bool, 256>,
    attrs: Cache<Option<&'static AttributeMinification>, 256>,
    /// Pieces of template text as read, by where the text is and the state it was read in
    /// (an index into `read`).
    pieces: Cache<usize, 1024>,
    read: Vec<Rc<Piece>>,
}

impl Memo {
    /// `text` as read from the state `lex`.
    pub(super) fn piece(&mut self, text: &'static str, lex: Lex) -> Rc<Piece> {
        // The text is static: where it is says what it is.
        let key = (
            text.as_ptr() as usize as u128 | (text.len() as u128) << 64,
            lex as u128,
        );
        if let Some(k) = self.pieces.find(key) {
            return Rc::clone(&self.read[k]);
        }
        let piece = Rc::new(read_piece(text, lex));
        if self.pieces.insert(key, self.read.len()) {
            self.read.push(Rc::clone(&piece));
        }
        piece
    }

    /// Whether `tag` is void, and how whitespace in its content is minified.
    pub(super) fn element(&mut self, tag: Name) -> (bool, &'static WhitespaceMinification) {
        self.elements.get(tag, Name::EMPTY, || {
            (
                VOID_TAGS.contains(tag.as_bytes()),
                get_whitespace_minification_for_tag(Namespace::Html, tag.as_bytes(), false),
            )
        })
    }

    /// Whether `before`'s closing tag may be left out when `after` starts.
    pub(super) fn omit_before(&mut self, before: Name, after: Name) -> bool {
        self.before.get(before, after, || {
            can_omit_as_before(before.as_bytes(), after.as_bytes())
        })
    }

    /// Whether `child`'s closing tag may be left out as the last thing in `parent`.
    pub(super) fn omit_last(&mut self, parent: Name, child: Name) -> bool {
        self.last.get(parent, child, || {
            can_omit_as_last_node(parent.as_bytes(), child.as_bytes())
        })
    }

    pub(super) fn attr(&mut self, tag: Name, attr: Name) -> Option<&'static AttributeMinification> {
        self.attrs.get(tag, attr, || {
            ATTRS.get(Namespace::Html, tag.as_bytes(), attr.as_bytes())
        })
    }
}

/// A small open-addressed map (`SLOTS`, a power of two) from one or two names, or other
/// pairs of numbers, to what a table says of them; past eight probes, the table is asked
/// again.
struct Cache<V, const SLOTS: usize> {
    slots: Vec<Option<((u128, u128), V)>>,
}

impl<V, const SLOTS: usize> Default for Cache<V, SLOTS> {
    fn default() -> Self {
        Cache { slots: Vec::new() }
    }
}

impl<V: Copy, const SLOTS: usize> Cache<V, SLOTS> {
    fn get(&mut self, a: Name, b: Name, make: impl FnOnce() -> V) -> V {
        self.get_key((a.key(), b.key()), make)
    }

    fn get_key(&mut self, key: (u128, u128), make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.find(key) {
            return v;
        }
        let v = make();
        self.insert(key, v);
        v
    }

    /// The slots `key` may be in, in order.
    fn probes(key: (u128, u128)) -> impl Iterator<Item = usize> {
        let mix = |x: u128| (x as u64) ^ ((x >> 64) as u64).rotate_left(23);
        let hash = (mix(key.0) ^ mix(key.1).rotate_left(41)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let first = (hash >> (64 - SLOTS.trailing_zeros())) as usize;
        (0..8).map(move |k| (first + k) % SLOTS)
    }

    fn find(&self, key: (u128, u128)) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        for at in Self::probes(key) {
            match self.slots[at] {
                Some((k, v)) if k == key => return Some(v),
                Some(_) => {}
                None => return None,
            }
        }
        None
    }

    /// Puts `key` in a free slot; false if its eight slots are taken.
    fn insert(&mut self, key: (u128, u128), v: V) -> bool {
        if self.slots.is_empty() {
            self.slots.resize(SLOTS, None);
        }
        for at in Self::probes(key) {
            if self.slots[at].is_none() {
                self.slots[at] = Some((key, v));
                return true;
            }
        }
        false
    }
}
