//! Minifying rendered pages, within the stack the render threads have.
//!
//! minify-html-onepass descends recursively into nested elements; a page nested deeper than a
//! thread's stack allows would abort the whole process, so pages render on threads with a
//! large stack ([`RENDER_STACK`]) and a page nested deeper than [`MAX_MINIFY_DEPTH`] elements
//! goes out as rendered.

use crate::util::scratch;

/// Stack size of the render threads: [`MAX_MINIFY_DEPTH`] levels of the minifier in a debug
/// build with room to spare. It is address space; only the pages a thread touches are used.
pub const RENDER_STACK: usize = 64 << 20;

/// [`minify_in_place`] on a page of its own.
#[cfg(test)]
pub fn minify(mut html: Vec<u8>) -> Vec<u8> {
    minify_in_place(&mut html);
    html
}

thread_local! {
    /// The copy a page is minified in, kept for the thread's next page.
    static COPY: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Minifies the HTML page in `html`; inline CSS and JS are left as written.
pub fn minify_in_place(html: &mut Vec<u8>) {
    // The one-pass minifier of the minify-html project: two and a half times as fast as its
    // full parser on these pages, with output as small (optional closing tags go, which HTML
    // allows). It refuses malformed markup; the page then goes out as rendered.
    let cfg = minify_html_onepass::Cfg {
        minify_css: false,
        minify_js: false,
    };
    // Thousands of levels of raw HTML in the content would overflow the minifier's stack.
    if html_depth(html) > MAX_MINIFY_DEPTH {
        return;
    }
    // Minified in a copy, which a refusal may leave half done: the page is then left as it is.
    let mut copy = scratch::take(&COPY);
    copy.extend_from_slice(html);
    if minify_html_onepass::truncate(&mut copy, &cfg).is_ok() {
        std::mem::swap(html, &mut copy);
    }
    scratch::give_back(&COPY, copy);
}

/// Pages nested deeper than this many elements are not minified. Content Markdown nests at
/// most [`crate::markdown::MAX_NESTING`] levels and the theme adds a few dozen. The minifier
/// takes about 45 KiB of stack per level in a debug build (a 2 MiB stack overflows near 45
/// levels), hence the render threads' [`RENDER_STACK`].
pub const MAX_MINIFY_DEPTH: usize = 512;

/// An upper bound of how deeply the elements of `html` nest: every start tag that is not void
/// or self-closed opens a level, every end tag closes one. Quoted attribute values are skipped,
/// so that a `</` inside one closes nothing. Over-counting (a `<` in a script or a comment, an
/// end tag left out) only makes a page skip minifying.
fn html_depth(html: &[u8]) -> usize {
    depth_walk(html).0
}

/// [`html_depth`]'s walk of `html` from depth 0: the deepest level, the level at the end, and
/// whether the end falls inside a tag (one left without its `>`). Pages written minified as
/// they are made (`compiled/compact/`) add up the walks of the content HTML in them.
pub(super) fn depth_walk(html: &[u8]) -> (usize, usize, bool) {
    const VOID: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr",
    ];
    let (mut depth, mut max, mut in_tag) = (0usize, 0usize, false);
    let mut i = 0;
    // memchr jumps over text and attribute values: this guard reads every byte of every page.
    while let Some(k) = memchr::memchr(b'<', &html[i..]) {
        i += k + 1;
        let closing = html.get(i) == Some(&b'/');
        if !closing && !html.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_start = i + usize::from(closing);
        let name_len = html[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(html.len() - name_start);
        let name = &html[name_start..name_start + name_len];
        // To the tag's `>`, over quoted values.
        i = name_start + name_len;
        let mut end = None;
        while let Some(k) = memchr::memchr3(b'"', b'\'', b'>', &html[i..]) {
            let b = html[i + k];
            i += k + 1;
            if b == b'>' {
                end = Some(i - 1);
                break;
            }
            match memchr::memchr(b, &html[i..]) {
                Some(q) => i += q + 1,
                None => i = html.len(),
            }
        }
        in_tag = end.is_none();
        // Self-closed if the last byte before `>` outside quoted values is `/` (a closing
        // quote counts as a byte outside). A tag left open at the end counts as opening.
        let self_closed = end.is_some_and(|e| {
            html[name_start..e]
                .iter()
                .rev()
                .find(|b| !b.is_ascii_whitespace())
                == Some(&b'/')
        });
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closed && !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            depth += 1;
            max = max.max(depth);
        }
    }
    (max, depth, in_tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup the minifier refuses goes out as rendered, whole (the copy it was minified in,
    /// half done, is not taken), and the next page on the thread minifies as before.
    #[test]
    fn a_refused_page_stays_as_rendered() {
        let refused = b"<div>\n  <p>a</p>\n</span>  <b>x</b>".to_vec();
        assert!(minify_html_onepass::copy(&refused, &minify_html_onepass::Cfg::new()).is_err());
        assert_eq!(minify(refused.clone()), refused);
        let mut page = b"<div>\n  <p>a</p>\n</div>".to_vec();
        minify_in_place(&mut page);
        assert_eq!(page, b"<div><p>a</div>");
        assert_eq!(minify(refused.clone()), refused);
    }

    #[test]
    fn depth_of_html() {
        assert_eq!(html_depth(b"<p>a<br>b<img src=x/><b>c</b></p>"), 2);
        assert_eq!(html_depth(b"<!doctype html><html><body><p>x"), 3);
        assert_eq!(html_depth(b"a < b"), 0);
        // A `</` or `>` inside a quoted value closes nothing.
        assert_eq!(
            html_depth(b"<abbr title=\"</a>\"><abbr title='</a>'><i>x</i></abbr></abbr>"),
            3
        );
        assert_eq!(html_depth(b"<p><x-y a=\"1\"/><br/></p>"), 1);
        // A `/` or `>` inside a quoted value neither closes nor ends the tag; `/ >` closes it.
        assert_eq!(
            html_depth(b"<p title='x/' ><i a=\"b>c\" / ><b>d</b></p>"),
            2
        );
        assert_eq!(html_depth(b"<p><i title=\"open"), 2);
    }

    /// Text, attribute values, entities, stray `<`, whitespace and CJK runs minify as the
    /// released minifier does (the vendored copy copies runs of plain text and of plain
    /// attribute value at once: VENDORED.md). Expected outputs were taken from the unpatched
    /// release.
    #[test]
    fn text_runs_minify_as_released() {
        let cases: &[(&str, &str)] = &[
            (
                "<p>  数字人民币 试点，&amp; 跨境  <b>支付</b>  a < b &lt;c&gt; &#x41;&#66; x< y 一< 二</p>",
                "<p>数字人民币 试点，& 跨境 <b>支付</b> a < b &LTc> AB x< y 一< 二",
            ),
            ("<div>\n  <p>一</p>\n  <p>二 &nbsp; 三</p>\n</div>", "<div><p>一<p>二 \u{a0} 三</div>"),
            ("<pre>  a  b\n  c &lt; d</pre><p>a&amp;b &ampx &amp;lt; &LT;p&gt;</p>", "<pre>  a  b\n  c < d</pre><p>a&b &x &amplt; &LTp>"),
            ("<p>x<!-- c -->y <?pi?> z< </p><p>&lt;/p&gt; &unknown; ok</p>", "<p>xy<?pi?> z<<p>&LT/p> &unknown; ok"),
            (
                "<p><a href=\"a b&amp;c\" title='x\"y' data-x=\"1>2\" class=\" a  b \">一</a><img alt=\"它&#39;s\" src=x.png><a href=a&amp;b title=\"9;\" aria-label=\"数字人民币 试点，跨境&quot;q&quot; 'q'\">二</a><i data-v=\"x&gt;y;1\" id=\" z \"></i></p>",
                "<p><a href=\"a b&c\"title=x\"y data-x=\"1>2\"class=\"a b\">一</a><img alt=它's src=x.png><a href=a&b title=9; aria-label=数字人民币&#32试点，跨境\"q\"&#32'q'>二</a><i data-v=\"x>y;1\"id=\" z \"></i>",
            ),
            ("<ul><li>一 <a href=\"a b\" title='x&amp;y'>链接</a> 二<li>三</ul>", "<ul><li>一 <a href=\"a b\"title=x&y>链接</a> 二<li>三</ul>"),
        ];
        for (input, expected) in cases {
            let got = String::from_utf8(minify(input.as_bytes().to_vec())).unwrap();
            assert_eq!(&got, expected, "{input}");
        }
    }

    /// Attribute values that need no character encoded, and values whose last character is
    /// encoded (the released minifier panicked on the second kind: VENDORED.md), minify as the
    /// release does where it does not panic. Expected outputs were taken from the release.
    #[test]
    fn attribute_values_minify_as_released() {
        let cases: &[(&str, &str)] = &[
            (
                "<p><a href=\"a b\" class=\"tag\" title=\"it's here\">x</a><a title='say \"hi\" now' href=\"#s1-2\">y</a></p>",
                "<p><a href=\"a b\"class=tag title=\"it's here\">x</a><a title='say \"hi\" now'href=#s1-2>y</a>",
            ),
            (
                "<p title=\"'x\" data-a=\"a>b\" data-b=\"&quot;q\" data-c=\"x&#39;\" id=\" z\">x</p>",
                "<p title=\"'x\"data-a=\"a>b\"data-b='\"q'data-c=x' id=\" z\">x",
            ),
            (
                "<form method=\"get\" action=\"/s\"><input type=\"text\" name=\"q\" disabled=\"disabled\"><button type=\"submit\">go</button></form><script type=\"text/javascript\" src=\"x.js\"></script><img alt=\"\" src=\"a.png\"><a href=\"\">e</a>",
                "<form action=/s><input name=q disabled><button>go</button></form><script src=x.js></script><img alt src=a.png><a href>e</a>",
            ),
            (
                "<p title=\"it's &quot;x&quot;>\">x</p>",
                "<p title='it&#39s \"x\">'>x",
            ),
            (
                "<p aria-label=\"数字人民币 试点 &quot;A&quot; 和 'B' \">x</p>",
                "<p aria-label=\"数字人民币 试点 &#34A&#34 和 'B' \">x",
            ),
            // The release panicked on these two (taken from the patched copy).
            ("<p title=\"a'b&quot;c \">x</p>", "<p title=a'b\"c&#32>x"),
            (
                "<ul lang='/&#39;&#34;\t' checked=\"/\">b</ul>",
                "<ul lang=/'\"&#9 checked=/>b</ul>",
            ),
        ];
        for (input, expected) in cases {
            let got = String::from_utf8(minify(input.as_bytes().to_vec())).unwrap();
            assert_eq!(&got, expected, "{input}");
        }
    }

    /// A page nested just within the limit minifies on a render thread's stack; one nested
    /// beyond it is left as rendered, and never aborts.
    #[test]
    fn minify_keeps_to_the_stack() {
        let page = |depth: usize| {
            format!(
                "<!doctype html><html><body>{}x{}</body></html>",
                "<blockquote>".repeat(depth),
                "</blockquote>".repeat(depth)
            )
            .into_bytes()
        };
        let within = page(MAX_MINIFY_DEPTH - 3);
        let beyond = page(100_000);
        let (within_out, beyond_out) = std::thread::Builder::new()
            .stack_size(RENDER_STACK)
            .spawn(move || (minify(within), minify(beyond.clone()) == beyond))
            .unwrap()
            .join()
            .unwrap();
        assert!(within_out.len() < page(MAX_MINIFY_DEPTH - 3).len());
        assert!(beyond_out, "a page too deep goes out as rendered");
    }

    /// The minifier's entity trie (the vendored `proc/entities.rs`, which replaced the release's
    /// static trie: VENDORED.md) is the release's: from the root, every byte leads on in one
    /// exactly when it does in the other, every node stands for the same thing, and both walks
    /// the minifier makes end alike on every name, its cuts and its continuations.
    #[test]
    fn the_entity_trie_is_the_releases() {
        use minify_html_common::gen::entities::{EntityType as Theirs, ENTITY};
        use minify_html_common::pattern::{TrieNode, TrieNodeMatch as TheirMatch};
        use minify_html_onepass::entity_trie::{root, EntityType, Node, TrieNodeMatch};

        fn same_value(theirs: Option<Theirs>, ours: Option<EntityType>) -> bool {
            match (theirs, ours) {
                (None, None)
                | (Some(Theirs::Dec), Some(EntityType::Dec))
                | (Some(Theirs::Hex), Some(EntityType::Hex)) => true,
                (Some(Theirs::Named(a)), Some(EntityType::Named(b))) => a == b,
                _ => false,
            }
        }
        fn walk(theirs: &TrieNode<Theirs>, ours: Node, path: &mut Vec<u8>, names: &mut usize) {
            let at = String::from_utf8_lossy(path).into_owned();
            assert!(same_value(theirs.value, ours.value()), "value of {at:?}");
            *names += usize::from(theirs.value.is_some());
            for c in 0..=255u8 {
                let their_child = theirs
                    .children
                    .get((c as usize).wrapping_sub(theirs.offset))
                    .copied()
                    .flatten();
                match (their_child, ours.child(c)) {
                    (None, None) => {}
                    (Some(t), Some(o)) => {
                        path.push(c);
                        walk(t, o, path, names);
                        path.pop();
                    }
                    (t, o) => panic!("{at:?} then {c}: {} against {}", t.is_some(), o.is_some()),
                }
            }
        }
        let mut names = 0;
        walk(ENTITY, root(), &mut Vec::new(), &mut names);
        // 2,231 names, `&#` with ten digits, `&#x` with 22 hexadecimal digits.
        assert_eq!(names, 2_231 + 10 + 22);

        let mut texts: Vec<Vec<u8>> = Vec::new();
        let list = include_str!("../../vendor/minify-html-onepass/src/proc/entities.txt");
        for name in list.lines().filter_map(|l| l.split(' ').next()) {
            let name = name.as_bytes();
            for cut in 0..=name.len() {
                texts.push(name[..cut].to_vec());
            }
            for tail in [&b";"[..], b"x", b"ere;", b"&amp;", b" "] {
                texts.push([name, tail].concat());
            }
        }
        for text in [
            "&#",
            "&#x",
            "&#X1;",
            "&#1234;",
            "&#x1F600;",
            "&#xG",
            "&",
            "&&amp;",
            "a&b",
        ] {
            texts.push(text.as_bytes().to_vec());
        }
        for text in &texts {
            let shown = String::from_utf8_lossy(text).into_owned();
            let (their_node, their_end) = ENTITY.shortest_matching_prefix(text, 0);
            let (our_node, our_end) = root().shortest_matching_prefix(text, 0);
            assert_eq!(their_end, our_end, "shortest prefix of {shown:?}");
            assert!(same_value(their_node.value, our_node.value()), "{shown:?}");
            match (
                ENTITY.longest_matching_prefix(text),
                root().longest_matching_prefix(text),
            ) {
                (TheirMatch::NotFound { reached: a }, TrieNodeMatch::NotFound { reached: b }) => {
                    assert_eq!(a, b, "{shown:?}")
                }
                (
                    TheirMatch::Found { len: a, value: v },
                    TrieNodeMatch::Found { len: b, value: w },
                ) => assert!(a == b && same_value(Some(v), Some(w)), "{shown:?}"),
                _ => panic!("longest prefix of {shown:?}"),
            }
        }
    }
}
