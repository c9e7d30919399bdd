//! The allow-list every fragment of rendered Markdown passes (ammonia), see
//! [`crate::markdown::to_html`].

use std::sync::OnceLock;

/// The allow-list of everything rendered from content: what pulldown-cmark emits for the
/// Markdown planatlas enables (headings with id and class, tables with their alignment,
/// footnotes, links and images) and the text-level markup an editor may write as raw HTML.
pub fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags([
            "a",
            "abbr",
            "b",
            "blockquote",
            "br",
            "caption",
            "cite",
            "code",
            "dd",
            "del",
            "div",
            "dl",
            "dt",
            "em",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "i",
            "ins",
            "li",
            "mark",
            "ol",
            "p",
            "pre",
            "q",
            "s",
            "small",
            "span",
            "strong",
            "sub",
            "sup",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "tr",
            "u",
            "ul",
            "img",
        ])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("td", ["colspan", "rowspan", "style"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope", "style"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        // A table cell keeps the alignment a Markdown table gives it, and no other style.
        .attribute_filter(|_, attr, value| match attr {
            "style" if !ALIGNMENTS.contains(&value) => None,
            _ => Some(value.into()),
        });
        for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            b.add_tag_attributes(h, ["id", "class"]);
        }
        b
    })
}

/// The `style` pulldown-cmark gives the cells of an aligned table column.
const ALIGNMENTS: &[&str] = &[
    "text-align: left",
    "text-align: center",
    "text-align: right",
];
