//! Pages written minified as they are made, held to what the minifier makes of them written in
//! full: hand-made pages, attributes of random values, and random pages of the elements,
//! attributes, whitespace and values the minifier treats in particular ways.

use super::super::Page;
use crate::render::minify::{minify, MAX_MINIFY_DEPTH, RENDER_STACK};

/// One step of writing a page, as `compiled/` takes them.
#[derive(Clone, Debug)]
enum Call {
    Lit(&'static str),
    Put(String),
    Safe(String),
    Number(usize),
}

/// The page `calls` write, minified as it is made (None if it fell back) and in full, then
/// minified.
fn both_ways(calls: &[Call]) -> (Option<Vec<u8>>, Vec<u8>) {
    let write = |page: &mut Page| {
        for call in calls {
            match call {
                Call::Lit(text) => page.lit(text),
                Call::Put(value) => page.put(value),
                Call::Safe(html) => page.safe(html),
                Call::Number(n) => page.number(*n),
            }
        }
    };
    let mut compact = Vec::new();
    let done = Page::compact(&mut compact, write);
    let mut full = Vec::new();
    Page::full(&mut full, write);
    (done.then_some(compact), minify(full))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small random number generator (xorshift), seeded, so that a failure repeats.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `max` pieces of `alphabet`.
    fn string(&mut self, alphabet: &[&str], max: usize) -> String {
        (0..self.below(max + 1))
            .map(|_| *self.pick(alphabet))
            .collect()
    }
}

/// Characters the minifier treats in particular ways in text and attribute values: each kind
/// of whitespace, both quotes, `>`, `;` and digits after an encoded character, `=`, and the
/// two that make a page fall back (`&`, `<`).
const ALPHABET: [&str; 19] = [
    "a", "Z", "0", "7", " ", " ", "  ", "\t", "\n", "\r", "\u{c}", "\"", "'", ">", ";", "中", "=",
    "&", "<",
];

/// Random values of attributes of every kind the tables distinguish (collapsed and trimmed,
/// a default to erase, boolean, redundant when empty, none of these) against the minifier.
#[test]
fn attribute_values_are_written_as_the_minifier_writes_them() {
    let attributes = [
        ("div", "title"),
        ("div", "class"),
        ("button", "type"),
        ("form", "method"),
        ("input", "hidden"),
        ("script", "defer"),
        ("a", "href"),
        ("input", "value"),
        ("td", "colspan"),
        ("div", "data-x"),
    ];
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut written = 0;
    for _ in 0..20_000 {
        let (tag, name) = *random.pick(&attributes);
        let value = random.string(&ALPHABET, 6);
        // Sometimes the value the table calls its default.
        let value = match random.below(8) {
            0 => "submit".to_string(),
            1 => "get".to_string(),
            _ => value,
        };
        let open: &'static str =
            Box::leak(format!("<html><body><{tag} {name}=\"").into_boxed_str());
        let content = match tag {
            "input" => String::new(),
            "script" => "</script>".to_string(),
            _ => format!("t</{tag}>"),
        };
        let close: &'static str =
            Box::leak(format!("\" id=\"x\">{content}</body></html>").into_boxed_str());
        let calls = [Call::Lit(open), Call::Put(value.clone()), Call::Lit(close)];
        let (compact, expected) = both_ways(&calls);
        if let Some(compact) = compact {
            assert_eq!(text(&compact), text(&expected), "{tag} {name}={value:?}");
            written += 1;
        } else {
            // `&`, or whitespace first in a value left unquoted (`write_attr_value`).
            let unquoted = expected.windows(name.len() + 2).any(|w| {
                w.starts_with(name.as_bytes())
                    && w[name.len()] == b'='
                    && w[name.len() + 1] != b'"'
                    && w[name.len() + 1] != b'\''
            });
            assert!(
                value.contains('&') || unquoted,
                "{tag} {name}={value:?} fell back"
            );
        }
    }
    assert!(written > 15_000, "{written} of 20,000 written minified");
}

/// What template text may hold in an attribute's value.
const VALUE_TEXT: [&str; 8] = ["a", "0", " ", "\n", "'", ">", ";", "中"];

/// Elements of every whitespace class, with optional closing tags, void and boolean; an
/// element's attributes and whether it holds content HTML.
const ELEMENTS: [&str; 24] = [
    "div", "p", "a", "span", "li", "ol", "ul", "h2", "section", "article", "aside", "nav",
    "details", "summary", "button", "label", "input", "br", "em", "dl", "dt", "dd", "title",
    "main",
];
const ATTRIBUTES: [&str; 12] = [
    "class",
    "href",
    "title",
    "id",
    "type",
    "method",
    "hidden",
    "aria-label",
    "data-x",
    "rel",
    "value",
    "defer",
];
/// Content HTML as Markdown makes it, and some it does not: unclosed and stray tags, entities,
/// whitespace at the ends, nesting.
const CONTENT: [&str; 12] = [
    "<p>正文。</p>",
    "<p>a</p>\n<p>b</p>\n",
    "  <p>a<p>b  ",
    "<ul>\n<li>x</li>\n<li>y <em>z</em></li>\n</ul>",
    "a &amp; b &lt;c&gt; &quot;",
    "<h3>小标题</h3><p>x</p>",
    "<p>x</div><div>y",
    "</p>",
    "<pre><code>  a\n  b</code></pre>",
    "<p><a href=\"u\" title=\"a b\">x</a></p>",
    "<span>open",
    "text only",
];

/// Writes a random element (and what it holds, to `depth` levels) into `calls`.
fn element(random: &mut Random, calls: &mut Vec<Call>, depth: usize) {
    let lit =
        |calls: &mut Vec<Call>, s: String| calls.push(Call::Lit(Box::leak(s.into_boxed_str())));
    let tag = *random.pick(&ELEMENTS);
    // `<h2>` as `<h{{ level }}>` sometimes, as measure.html writes its heading.
    let split_name = tag == "h2" && random.below(2) == 0;
    if split_name {
        lit(calls, "<h".to_string());
        calls.push(Call::Number(2));
    } else {
        lit(calls, format!("<{tag}"));
    }
    for _ in 0..random.below(4) {
        let name = *random.pick(&ATTRIBUTES);
        match random.below(4) {
            0 => lit(calls, format!(" {name}")),
            // Template text never has a double quote in a value.
            1 => lit(
                calls,
                format!(" {name}=\"{}\"", random.string(&VALUE_TEXT, 4)),
            ),
            _ => {
                lit(calls, format!(" {name}=\""));
                calls.push(Call::Put(random.string(&ALPHABET, 5)));
                lit(calls, "\"".to_string());
            }
        }
    }
    lit(calls, ">".to_string());
    if matches!(tag, "input" | "br") {
        return;
    }
    if tag == "div" && random.below(3) == 0 {
        calls.push(Call::Safe(random.pick(&CONTENT).to_string()));
    } else {
        for _ in 0..random.below(4) {
            match random.below(5) {
                0 => lit(calls, random.string(&[" ", "\n  ", "\t"], 2)),
                1 => calls.push(Call::Put(random.string(&ALPHABET, 6))),
                2 => lit(calls, random.string(&ALPHABET[..16], 4)),
                3 => calls.push(Call::Number(random.below(1000))),
                _ if depth > 0 => element(random, calls, depth - 1),
                _ => {}
            }
        }
    }
    if split_name {
        lit(calls, "</h".to_string());
        calls.push(Call::Number(2));
        lit(calls, ">".to_string());
    } else {
        lit(calls, format!("</{tag}>"));
    }
    if random.below(2) == 0 {
        lit(calls, random.string(&[" ", "\n", "\n  "], 2));
    }
}

/// Joins runs of template text at random, so that pieces begin and end in every state.
fn join_some(random: &mut Random, calls: Vec<Call>) -> Vec<Call> {
    let mut joined: Vec<Call> = Vec::new();
    for call in calls {
        match (joined.last_mut(), call) {
            (Some(Call::Lit(last)), Call::Lit(text)) if random.below(2) == 0 => {
                *last = Box::leak(format!("{last}{text}").into_boxed_str());
            }
            (_, call) => joined.push(call),
        }
    }
    joined
}

#[test]
fn random_pages_are_written_as_the_minifier_writes_them() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let (mut written, mut pages) = (0, 0);
    for _ in 0..3_000 {
        let mut calls = vec![Call::Lit("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n")];
        if random.below(2) == 0 {
            calls.push(Call::Lit("<meta charset=\"utf-8\">\n<title>"));
            calls.push(Call::Put(random.string(&ALPHABET, 5)));
            calls.push(Call::Lit("</title>\n"));
        }
        calls.push(Call::Lit("</head>\n<body>\n"));
        for _ in 0..1 + random.below(4) {
            element(&mut random, &mut calls, 3);
        }
        calls.push(Call::Lit("</body>\n</html>\n"));
        let calls = join_some(&mut random, calls);
        let (compact, expected) = both_ways(&calls);
        pages += 1;
        if let Some(compact) = compact {
            assert!(
                compact == expected,
                "{calls:#?}\n{}\n---\n{}",
                text(&compact),
                text(&expected)
            );
            written += 1;
        }
    }
    // Most pages hold a value with `&` or `<` somewhere, or markup the minifier closes on its
    // own; a good share must still be written minified for the test to say anything.
    assert!(written * 3 > pages, "{written} of {pages} written minified");
}

/// The bundled templates' pages, hand-made with every branch taken, have `<` and `&` in their
/// values: they fall back (the real content's pages are written minified, and compared with
/// Tera's minified, in `tests/testsuite/compiled_pages.rs`).
#[test]
fn hand_made_pages_with_markup_in_values_fall_back() {
    use crate::render::compiled::tests::{page, theme_page};
    for full in [true, false] {
        assert!(!super::super::division_compact(
            &page(full),
            &mut Vec::new()
        ));
    }
    let theme = crate::model::Theme {
        slug: "green".to_string(),
        name: "绿色金融".to_string(),
        definition: "碳减排 \"转型\" 金融".to_string(),
    };
    for n in [1, 3, 5, 0] {
        assert!(!super::super::theme_compact(
            &theme_page(&theme, n),
            &mut Vec::new()
        ));
    }
}

/// A page nested as deep as the minifier goes is written minified; one level deeper, it falls
/// back and goes out as written (so does the minifier's page).
#[test]
fn content_nested_past_the_minifiers_depth_falls_back() {
    let page = |levels: usize| {
        let html = format!("{}x{}", "<i>".repeat(levels), "</i>".repeat(levels));
        vec![
            Call::Lit("<html><body><div class=\"c\">"),
            Call::Safe(html),
            Call::Lit("</div></body></html>"),
        ]
    };
    // html, body and div are three levels.
    let within = page(MAX_MINIFY_DEPTH - 3);
    let beyond = page(MAX_MINIFY_DEPTH - 2);
    let (within, beyond) = std::thread::Builder::new()
        .stack_size(RENDER_STACK)
        .spawn(move || (both_ways(&within), both_ways(&beyond)))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(within.0.as_deref(), Some(&within.1[..]));
    assert!(within.1.starts_with(b"<html><body><div class=c><i><i>"));
    assert_eq!(beyond.0, None);
    assert!(beyond.1.starts_with(b"<html><body><div class=\"c\">"));
}

/// Content HTML far past the minifier's depth falls back before the minifier sees it: given
/// to it, its recursion would overflow the render thread's stack and abort the build.
#[test]
fn content_far_past_the_minifiers_depth_is_not_minified() {
    let levels = 300_000;
    let calls = vec![
        Call::Lit("<html><body><div class=\"c\">"),
        Call::Safe(format!(
            "{}x{}",
            "<span>".repeat(levels),
            "</span>".repeat(levels)
        )),
        Call::Lit("</div></body></html>"),
    ];
    let (compact, full) = std::thread::Builder::new()
        .stack_size(RENDER_STACK)
        .spawn(move || both_ways(&calls))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(compact, None);
    assert!(full.starts_with(b"<html><body><div class=\"c\"><span><span>"));
}

/// Template text the minifier treats otherwise (a comment, whitespace kept inside `pre`)
/// falls back.
#[test]
fn comments_and_preformatted_template_text_fall_back() {
    for template in [
        "<html><body><div><!-- note --> a</div></body></html>",
        "<html><body><pre><span> a  b </span></pre></body></html>",
        "<html><body><textarea> a </textarea></body></html>",
    ] {
        let (compact, _) = both_ways(&[Call::Lit(template)]);
        assert_eq!(compact, None, "{template}");
    }
}
