//! What the minifier's tables say, and pieces of template text as read, remembered by each
//! render thread.

use std::cell::Cell;
use std::rc::Rc;

use rustc_hash::FxHashMap;

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
/// elements and attributes, of a few dozen names, and each name here is one small number.
/// Every key comes from the bundled templates' static text, so the maps stay small.
#[derive(Default)]
pub(super) struct Memo {
    elements: FxHashMap<Name, (bool, &'static WhitespaceMinification)>,
    before: FxHashMap<(Name, Name), bool>,
    last: FxHashMap<(Name, Name), bool>,
    attrs: FxHashMap<(Name, Name), Option<&'static AttributeMinification>>,
    /// Pieces of template text as read, by where the text is and the state it was read in.
    pieces: FxHashMap<(usize, usize, Lex), Rc<Piece>>,
}

impl Memo {
    /// `text` as read from the state `lex`.
    pub(super) fn piece(&mut self, text: &'static str, lex: Lex) -> Rc<Piece> {
        // The text is static: where it is says what it is.
        let key = (text.as_ptr() as usize, text.len(), lex);
        Rc::clone(
            self.pieces
                .entry(key)
                .or_insert_with(|| Rc::new(read_piece(text, lex))),
        )
    }

    /// Whether `tag` is void, and how whitespace in its content is minified.
    pub(super) fn element(&mut self, tag: Name) -> (bool, &'static WhitespaceMinification) {
        *self.elements.entry(tag).or_insert_with(|| {
            (
                VOID_TAGS.contains(tag.as_bytes()),
                get_whitespace_minification_for_tag(Namespace::Html, tag.as_bytes(), false),
            )
        })
    }

    /// Whether `before`'s closing tag may be left out when `after` starts.
    pub(super) fn omit_before(&mut self, before: Name, after: Name) -> bool {
        *self
            .before
            .entry((before, after))
            .or_insert_with(|| can_omit_as_before(before.as_bytes(), after.as_bytes()))
    }

    /// Whether `child`'s closing tag may be left out as the last thing in `parent`.
    pub(super) fn omit_last(&mut self, parent: Name, child: Name) -> bool {
        *self
            .last
            .entry((parent, child))
            .or_insert_with(|| can_omit_as_last_node(parent.as_bytes(), child.as_bytes()))
    }

    pub(super) fn attr(&mut self, tag: Name, attr: Name) -> Option<&'static AttributeMinification> {
        *self
            .attrs
            .entry((tag, attr))
            .or_insert_with(|| ATTRS.get(Namespace::Html, tag.as_bytes(), attr.as_bytes()))
    }
}
