//! The default theme's chapter and section pages, written by Rust code instead of Tera.
//!
//! Four pages in five are chapter and section pages, and Tera spent about 15 % of a build's CPU
//! on them, most of it looking variables up by their dotted paths. When a site renders them
//! with the bundled templates unchanged (`division.html`, `base.html` and the partials they
//! include, [`BUNDLED`]), [`division`] writes the same bytes from the same context; with any of
//! them changed, Tera renders them as before, so a theme's contract is the same either way.
//!
//! Each function below follows its template line by line; the comments name the template. A
//! test renders every chapter and section page of the real content and of a synthetic site
//! both ways and compares the bytes: a change to one of these templates must be made here too,
//! or that test fails.

use serde_json::Value;

use super::theme::escape_parts;

/// The templates a division page is rendered with, as the default theme has them.
pub(super) const BUNDLED: [(&str, &str); 5] = [
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "division.html",
        include_str!("../../themes/default/templates/division.html"),
    ),
    (
        "partials/cite.html",
        include_str!("../../themes/default/templates/partials/cite.html"),
    ),
    (
        "partials/measure.html",
        include_str!("../../themes/default/templates/partials/measure.html"),
    ),
    (
        "partials/toc.html",
        include_str!("../../themes/default/templates/partials/toc.html"),
    ),
];

/// Whether the theme's templates (name, source) render division pages as [`division`] does:
/// every one of [`BUNDLED`] is there, unchanged.
pub(super) fn renders_divisions(templates: &[(String, String)]) -> bool {
    BUNDLED.iter().all(|(name, source)| {
        templates
            .iter()
            .any(|(n, s)| n.as_str() == *name && s.as_str() == *source)
    })
}

/// A page being written: the context's values printed as Tera prints them.
struct Page<'o> {
    out: &'o mut Vec<u8>,
}

impl Page<'_> {
    /// Template text.
    fn lit(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// `{{ value }}`: a string escaped, a number or boolean as Tera writes it, null as nothing.
    fn put(&mut self, value: &Value) {
        match value {
            Value::String(s) => self.escaped(s),
            other => self.safe(other),
        }
    }

    /// Text escaped as [`put`](Self::put) escapes a string.
    fn escaped(&mut self, text: &str) {
        let out = &mut *self.out;
        escape_parts(text, |part| out.extend_from_slice(part.as_bytes()));
    }

    /// `{{ value | safe }}`, and any value that is not a string (Tera escapes only strings).
    fn safe(&mut self, value: &Value) {
        use std::io::Write;
        // Writing into a Vec cannot fail.
        let _ = match value {
            Value::String(s) => self.out.write_all(s.as_bytes()),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => write!(self.out, "{i}"),
                (None, Some(u), _) => write!(self.out, "{u}"),
                (None, None, Some(f)) => write!(self.out, "{f}"),
                (None, None, None) => Ok(()),
            },
            Value::Bool(b) => write!(self.out, "{b}"),
            Value::Null => Ok(()),
            Value::Array(items) => {
                self.lit("[");
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        self.lit(", ");
                    }
                    self.safe(item);
                }
                self.lit("]");
                Ok(())
            }
            Value::Object(_) => self.out.write_all(b"[object]"),
        };
    }

    /// `href="{{ root }}{{ url }}"`'s value.
    fn link(&mut self, root: &Value, url: &Value) {
        self.put(root);
        self.put(url);
    }
}

/// Tera's truth: null, false, zero and empty strings, arrays and objects are false; a missing
/// value is null.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i != 0,
            (None, Some(u)) => u != 0,
            (None, None) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        },
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The items of an array; none for anything else.
fn items(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// A chapter's or section's page, as `division.html` renders `context` (the view of
/// `Renderer::division_page` with the keys `Renderer::page` adds).
pub(super) fn division(context: &Value, out: &mut Vec<u8>) {
    let page = &mut Page { out };
    let c = context;
    let (root, site, plan, division) = (&c["root"], &c["site"], &c["plan"], &c["division"]);
    base_head(page, c);
    // division.html, block layout_class
    page.lit(" with-aside");
    page.lit("\">\n");
    // division.html, block aside
    page.lit("<aside class=\"sidebar\">");
    toc(page, c);
    page.lit("</aside>");
    page.lit("\n<main id=\"main\">\n");
    // division.html, block content
    page.lit("\n<article class=\"division\">\n  <p class=\"plan-name\"><a href=\"");
    page.link(root, &plan["url"]);
    page.lit("\">");
    page.put(&plan["title"]);
    page.lit("</a></p>\n  <h1>");
    if truthy(&division["number"]) {
        page.lit("<span class=\"number\">");
        page.put(&division["number"]);
        page.lit("</span> ");
    }
    page.put(&division["title"]);
    page.lit("</h1>\n  ");
    if truthy(&c["cite"]) {
        page.lit("<p class=\"page-cite\">");
        let label = if truthy(&division["is_chapter"]) {
            "引用本章"
        } else {
            "引用本节"
        };
        cite(page, &c["cite"], CiteUrl::Page(&division["url"]), label);
        page.lit("</p>");
    }
    page.lit("\n  ");
    if truthy(&c["intro_html"]) {
        page.lit("<div class=\"intro-text\">");
        page.safe(&c["intro_html"]);
        page.lit("</div>");
    }
    page.lit("\n  ");
    let level = &c["measure_level"];
    for item in items(&c["items"]) {
        if truthy(&item["interlude_html"]) {
            page.lit("<div class=\"interlude\">");
            page.safe(&item["interlude_html"]);
            page.lit("</div>");
        } else if truthy(&item["box"]) {
            let b = &item["box"];
            page.lit("<aside class=\"box box-measures\"");
            if truthy(&b["title"]) {
                page.lit(" aria-label=\"");
                page.put(&b["title"]);
                page.lit("\"");
            }
            page.lit(">");
            if truthy(&b["title"]) {
                page.lit("<p class=\"box-title\">");
                page.put(&b["title"]);
                page.lit("</p>");
            }
            page.safe(&b["intro_html"]);
            for m in items(&b["measures"]) {
                measure(page, c, m, level);
            }
            page.lit("</aside>");
        } else {
            measure(page, c, &item["measure"], level);
        }
    }
    page.lit("\n  ");
    if truthy(&c["sections"]) {
        page.lit("\n  <ol class=\"section-list\">\n    ");
        for s in items(&c["sections"]) {
            page.lit("<li><a href=\"");
            page.link(root, &s["url"]);
            page.lit("\">");
            page.put(&s["title"]);
            page.lit("</a>");
            if s["measures"].as_f64().is_some_and(|n| n > 0.0) {
                page.lit(" <span class=\"count\">");
                page.put(&s["measures"]);
                page.lit(" 项举措</span>");
            }
            page.lit("</li>");
        }
        page.lit("\n  </ol>\n  ");
    }
    page.lit("\n</article>\n<nav class=\"pager\" aria-label=\"翻页\">\n  ");
    if truthy(&c["prev"]) {
        page.lit("<a class=\"prev\" rel=\"prev\" href=\"");
        page.link(root, &c["prev"]["url"]);
        page.lit("\">← ");
        page.put(&c["prev"]["title"]);
        page.lit("</a>");
    }
    page.lit("\n  ");
    if truthy(&c["next"]) {
        page.lit("<a class=\"next\" rel=\"next\" href=\"");
        page.link(root, &c["next"]["url"]);
        page.lit("\">");
        page.put(&c["next"]["title"]);
        page.lit(" →</a>");
    }
    page.lit("\n</nav>\n");
    page.lit("\n</main>\n</div>\n");
    base_foot(page, root, site);
}

/// base.html up to the class of the layout's `<div>` (the page's `layout_class` block follows),
/// with division.html's `description` block.
fn base_head(page: &mut Page, c: &Value) {
    let (root, site, plan) = (&c["root"], &c["site"], &c["plan"]);
    page.lit("<!DOCTYPE html>\n<html lang=\"");
    page.put(&site["language"]);
    page.lit("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if truthy(&c["title"]) && c["title"] != site["title"] {
        page.put(&c["title"]);
        page.lit(" · ");
    }
    page.put(&site["title"]);
    page.lit("</title>\n<meta name=\"description\" content=\"");
    // division.html, block description
    page.put(&plan["title"]);
    page.lit(" ");
    page.put(&c["division"]["full_title"]);
    page.lit("\">\n");
    if truthy(&c["permalink"]) {
        page.lit("<link rel=\"canonical\" href=\"");
        page.put(&c["permalink"]);
        page.lit("\">");
    }
    page.lit("\n<link rel=\"icon\" href=\"data:,\">\n");
    if truthy(&site["base_url"]) {
        page.lit("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        page.put(&site["title"]);
        page.lit("\" href=\"");
        page.put(root);
        page.lit("atom.xml\">");
    }
    page.lit("\n<link rel=\"stylesheet\" href=\"");
    page.put(root);
    page.lit("static/style.css\">\n<link rel=\"stylesheet\" href=\"");
    page.put(root);
    page.lit("static/syntax.css\">\n");
    page.lit("\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n<div class=\"print-head\" data-site=\"");
    page.put(&site["title"]);
    page.lit("\"");
    let plan_title = truthy(&plan["title"]);
    if plan_title {
        page.lit(" data-plan=\"");
        page.put(&plan["title"]);
        page.lit("\"");
    }
    page.lit("><p>");
    page.put(&site["title"]);
    if plan_title {
        page.lit(" · ");
        page.put(&plan["title"]);
    }
    page.lit("</p><p class=\"print-permalink\">");
    page.put(&c["permalink"]);
    page.lit("</p></div>\n<header class=\"site-header\">\n  <div class=\"wrap\">\n    <a class=\"brand\" href=\"");
    page.put(root);
    page.lit("\">");
    page.put(&site["title"]);
    page.lit("</a>\n    <a class=\"menu-toggle\" href=\"#site-nav\" data-toggle=\"site-nav\">菜单</a>\n    <nav class=\"site-nav\" id=\"site-nav\" aria-label=\"网站导航\">\n      <ul>\n");
    for (url, name) in [
        ("plans/", "规划"),
        ("themes/", "政策主题"),
        ("indicators/", "规划指标"),
        ("concepts/", "指标对照"),
        ("mappings/", "落实对照"),
        ("alignments/", "承接对照"),
        ("units/", "责任单位"),
    ] {
        page.lit("        <li><a href=\"");
        page.put(root);
        page.lit(url);
        page.lit("\">");
        page.lit(name);
        page.lit("</a></li>\n");
    }
    page.lit("        ");
    for p in items(&site["pages"]) {
        page.lit("<li><a href=\"");
        page.link(root, &p["url"]);
        page.lit("\">");
        page.put(&p["title"]);
        page.lit("</a></li>");
    }
    page.lit("\n      </ul>\n    </nav>\n    <form class=\"site-search\" role=\"search\" aria-label=\"全站搜索\" action=\"");
    page.put(root);
    page.lit("search/\" method=\"get\">\n      <label class=\"visually-hidden\" for=\"site-q\">搜索</label>\n      <input id=\"site-q\" type=\"search\" name=\"q\" placeholder=\"搜索举措、指标、单位\" autocomplete=\"off\">\n      <button type=\"submit\">搜索</button>\n    </form>\n  </div>\n</header>\n");
    if truthy(&c["crumbs"]) {
        page.lit(
            "\n<nav class=\"crumbs wrap\" aria-label=\"当前位置\">\n  <ol>\n    <li><a href=\"",
        );
        page.put(root);
        page.lit("\">首页</a></li>\n    ");
        let crumbs = items(&c["crumbs"]);
        for (k, crumb) in crumbs.iter().enumerate() {
            page.lit("<li>");
            if k + 1 == crumbs.len() {
                page.lit("<span aria-current=\"page\">");
                page.put(&crumb["title"]);
                page.lit("</span>");
            } else {
                page.lit("<a href=\"");
                page.link(root, &crumb["url"]);
                page.lit("\">");
                page.put(&crumb["title"]);
                page.lit("</a>");
            }
            page.lit("</li>");
        }
        page.lit("\n  </ol>\n</nav>\n");
    }
    page.lit("\n<div class=\"wrap layout");
}

/// base.html from the footer on.
fn base_foot(page: &mut Page, root: &Value, site: &Value) {
    page.lit("<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <p>");
    page.put(&site["description"]);
    page.lit("</p>\n    <p>开放数据：");
    for (file, name) in [
        ("plans.json", "plans.json"),
        ("measures.json", "measures.json"),
        ("indicators.json", "indicators.json"),
        ("plans.csv", "CSV"),
    ] {
        if file != "plans.json" {
            page.lit(" · ");
        }
        page.lit("<a href=\"");
        page.put(root);
        page.lit("data/");
        page.lit(file);
        page.lit("\">");
        page.lit(name);
        page.lit("</a>");
    }
    let feed = truthy(&site["base_url"]);
    if feed {
        page.lit(" · <a href=\"");
        page.put(root);
        page.lit("atom.xml\">Atom</a>");
    }
    page.lit("</p>\n  </div>\n</footer>\n<script src=\"");
    page.put(root);
    page.lit("static/site.js\" defer></script>\n<script src=\"");
    page.put(root);
    page.lit("static/cite.js\" defer");
    if feed {
        page.lit(" data-base=\"");
        page.put(&site["base_url"]);
        page.lit("\"");
    }
    page.lit("></script>\n<script src=\"");
    page.put(root);
    page.lit("static/nav.js\" defer></script>\n</body>\n</html>\n");
}

/// partials/toc.html.
fn toc(page: &mut Page, c: &Value) {
    let (root, plan, url) = (&c["root"], &c["plan"], &c["url"]);
    page.lit("<a class=\"toc-toggle\" href=\"#plan-toc\" data-toggle=\"plan-toc\">目录</a>\n<nav class=\"toc\" id=\"plan-toc\" aria-label=\"");
    page.put(&plan["short_title"]);
    page.lit("目录\">\n  <p class=\"toc-title\"><a href=\"");
    page.link(root, &plan["url"]);
    page.lit("\">");
    page.put(&plan["short_title"]);
    page.lit("</a></p>\n  <ol>\n  ");
    let gap = |page: &mut Page, entry: &Value| {
        page.lit("<li class=\"toc-gap\"><a href=\"");
        page.link(root, &entry["url"]);
        page.lit("\">");
        page.put(&entry["title"]);
        page.lit("</a></li>");
    };
    // `<li class="current"><a … aria-current="page">` for the page itself.
    let entry = |page: &mut Page, entry: &Value| {
        let here = entry["url"] == *url;
        page.lit("<li");
        if here {
            page.lit(" class=\"current\"");
        }
        page.lit("><a href=\"");
        page.link(root, &entry["url"]);
        page.lit("\"");
        if here {
            page.lit(" aria-current=\"page\"");
        }
        page.lit(">");
        page.put(&entry["title"]);
        page.lit("</a>");
    };
    for ch in items(&plan["toc"]) {
        if truthy(&ch["gap"]) {
            gap(page, ch);
        } else {
            page.lit("\n    ");
            entry(page, ch);
            page.lit("\n    ");
            if truthy(&ch["sections"]) {
                page.lit("<ol>\n      ");
                for s in items(&ch["sections"]) {
                    if truthy(&s["gap"]) {
                        gap(page, s);
                    } else {
                        entry(page, s);
                        page.lit("</li>");
                    }
                }
                page.lit("\n    </ol>");
            }
            page.lit("\n    </li>");
        }
        page.lit("\n  ");
    }
    page.lit("\n  </ol>\n</nav>\n");
}

/// Where a citation button's permalink points.
enum CiteUrl<'v> {
    /// The page's own URL.
    Page(&'v Value),
    /// A measure on the page: `url ~ "#" ~ id`.
    Measure(&'v Value, &'v Value),
}

/// partials/cite.html, with `cite`, `cite_url` and `cite_label` set as its includer sets them.
fn cite(page: &mut Page, cite: &Value, url: CiteUrl, label: &str) {
    page.lit("<button type=\"button\" class=\"cite-button\" data-cite=\"");
    page.put(cite);
    page.lit("\" data-url=\"");
    match url {
        CiteUrl::Page(url) => page.put(url),
        CiteUrl::Measure(url, id) => {
            // A concatenation is a string, escaped as a whole: the same as each part escaped.
            page.safe_concat(url, id);
        }
    }
    page.lit("\" aria-label=\"");
    page.escaped(label);
    page.lit("\" hidden>");
    if label.starts_with("引用本") {
        page.escaped(label);
    } else {
        page.lit("引用");
    }
    page.lit("</button>\n");
}

impl Page<'_> {
    /// `{{ url ~ "#" ~ id }}`: Tera joins the values as text, then escapes the string.
    fn safe_concat(&mut self, url: &Value, id: &Value) {
        let mut joined = Vec::new();
        Page { out: &mut joined }.safe(url);
        joined.push(b'#');
        Page { out: &mut joined }.safe(id);
        self.escaped(&String::from_utf8_lossy(&joined));
    }
}

/// partials/measure.html, for the measure `m` at heading level `level`.
fn measure(page: &mut Page, c: &Value, m: &Value, level: &Value) {
    let root = &c["root"];
    page.lit("<article class=\"measure\" id=\"");
    page.put(&m["id"]);
    page.lit("\" aria-label=\"");
    page.put(&m["title"]);
    page.lit("\">\n  <header class=\"measure-head\">\n    ");
    if truthy(&m["heading"]) {
        page.lit("<h");
        page.put(level);
        page.lit(">");
        page.put(&m["heading"]);
        page.lit("</h");
        page.put(level);
        page.lit(">");
    }
    page.lit("\n    <a class=\"anchor\" href=\"#");
    page.put(&m["id"]);
    page.lit("\" data-copy-link title=\"复制本举措链接\" aria-label=\"复制举措 ");
    page.put(&m["id"]);
    page.lit(" 的链接\">#");
    page.put(&m["id"]);
    page.lit("</a>\n    ");
    if truthy(&m["cite"]) {
        let mut label = String::from("引用举措 ");
        let mut id = Vec::new();
        Page { out: &mut id }.safe(&m["id"]);
        label.push_str(&String::from_utf8_lossy(&id));
        cite(
            page,
            &m["cite"],
            CiteUrl::Measure(&c["url"], &m["id"]),
            &label,
        );
    }
    page.lit("\n  </header>\n  <div class=\"measure-body\">");
    page.safe(&m["body_html"]);
    page.lit("</div>\n  <p class=\"measure-meta\">\n    <span class=\"label\">主题</span>");
    for t in items(&m["themes"]) {
        page.lit("<a class=\"tag\" href=\"");
        page.put(root);
        page.lit("themes/");
        page.put(&t["slug"]);
        page.lit("/\">");
        page.put(&t["name"]);
        page.lit("</a>");
    }
    page.lit("\n    ");
    if truthy(&m["units"]) {
        page.lit("<span class=\"label\">责任单位</span>");
        let groups = items(&m["units"]);
        for (k, g) in groups.iter().enumerate() {
            page.lit("<span class=\"unit\">");
            if truthy(&g["side"]) {
                page.lit("<span class=\"side\">");
                page.put(&g["side"]);
                page.lit("</span>");
            }
            let names = items(&g["names"]);
            for (j, n) in names.iter().enumerate() {
                if truthy(&n["key"]) {
                    page.lit("<a href=\"");
                    page.put(root);
                    page.lit("units/");
                    page.put(&n["key"]);
                    page.lit("/\">");
                    page.put(&n["name"]);
                    page.lit("</a>");
                } else {
                    page.put(&n["name"]);
                }
                if j + 1 < names.len() {
                    page.lit("、");
                }
            }
            page.lit("</span>");
            if k + 1 < groups.len() {
                page.lit("；");
            }
        }
    }
    page.lit("\n  </p>\n  ");
    let implements = &m["implements"];
    if truthy(implements) {
        page.lit("<p class=\"implements\"><span class=\"label\">落实</span><a href=\"");
        page.link(root, &implements["url"]);
        page.lit("\">");
        page.put(&implements["plan"]);
        page.lit(" ");
        page.put(&implements["heading"]);
        page.lit("</a></p>");
    }
    page.lit("\n  ");
    if truthy(&m["implemented_by"]) {
        page.lit("<p class=\"implements\"><span class=\"label\">落实条目</span>");
        let list = items(&m["implemented_by"]);
        for (k, i) in list.iter().enumerate() {
            page.lit("<a href=\"");
            page.link(root, &i["url"]);
            page.lit("\" title=\"");
            page.put(&i["title"]);
            page.lit("\">");
            page.put(&i["plan"]);
            page.lit(" ");
            page.put(&i["id"]);
            page.lit("</a>");
            if k + 1 < list.len() {
                page.lit("、");
            }
        }
        page.lit("</p>");
    }
    page.lit("\n  ");
    alignment_links(page, root, &m["takes_up"], "承接");
    page.lit("\n  ");
    alignment_links(page, root, &m["taken_up_by"], "被承接于");
    page.lit("\n  ");
    let related = items(&m["related"]);
    if !related.is_empty() {
        page.lit("\n  <details class=\"related\">\n    <summary>其他规划中的相关举措<span class=\"count\">（");
        page.safe(&Value::from(related.len()));
        page.lit(" 项）</span></summary>\n    <ol>\n    ");
        for r in related {
            page.lit("<li><a href=\"");
            page.link(root, &r["url"]);
            page.lit("\">");
            page.put(&r["title"]);
            page.lit("</a> <span class=\"plan\">");
            page.put(&r["plan"]);
            page.lit("</span> <span class=\"reason\">");
            page.put(&r["reason"]);
            page.lit("</span></li>");
        }
        page.lit("\n    </ol>\n  </details>\n  ");
    }
    page.lit("\n</article>\n");
}

/// measure.html's `takes_up` and `taken_up_by` paragraphs: groups of measures by plan.
fn alignment_links(page: &mut Page, root: &Value, groups: &Value, label: &str) {
    if !truthy(groups) {
        return;
    }
    page.lit("<p class=\"implements\"><span class=\"label\">");
    page.lit(label);
    page.lit("</span>");
    let groups = items(groups);
    for (k, g) in groups.iter().enumerate() {
        page.lit("<a href=\"");
        page.link(root, &g["alignment_url"]);
        page.lit("\">");
        page.put(&g["plan"]);
        page.lit("</a> ");
        let measures = items(&g["measures"]);
        for (j, t) in measures.iter().enumerate() {
            page.lit("<a href=\"");
            page.link(root, &t["url"]);
            page.lit("\" title=\"");
            page.put(&t["title"]);
            page.lit("\">");
            page.put(&t["id"]);
            page.lit("</a>");
            if j + 1 < measures.len() {
                page.lit("、");
            }
        }
        if k + 1 < groups.len() {
            page.lit("；");
        }
    }
    page.lit("</p>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_compiled_and_a_changed_template_is_not() {
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let templates = crate::render::load_templates(&theme).unwrap();
        assert!(templates.divisions_compiled);
        let bundled: Vec<(String, String)> = BUNDLED
            .iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        assert!(renders_divisions(&bundled));
        for k in 0..bundled.len() {
            let mut changed = bundled.clone();
            changed[k].1.push(' ');
            assert!(!renders_divisions(&changed), "{} changed", bundled[k].0);
            let mut missing = bundled.clone();
            missing.remove(k);
            assert!(!renders_divisions(&missing), "{} missing", bundled[k].0);
        }
    }

    /// `put` and `truthy` against Tera itself, with the theme's escaping.
    #[test]
    fn values_print_and_test_as_in_tera() {
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(crate::render::theme::escape_html);
        tera.add_raw_template("v.html", "{{ v }}|{% if v %}true{% else %}false{% endif %}")
            .unwrap();
        for value in [
            serde_json::json!("<a href='x'>&\"/</a> 金融"),
            serde_json::json!(""),
            serde_json::json!(3),
            serde_json::json!(0),
            serde_json::json!(-2),
            serde_json::json!(0.5),
            serde_json::json!(0.0),
            serde_json::json!(u64::MAX),
            serde_json::json!(true),
            serde_json::json!(false),
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!(["a<", 1]),
            serde_json::json!({}),
            serde_json::json!({ "a": null }),
        ] {
            let mut context = tera::Context::new();
            context.insert("v", &value);
            let expected = tera.render("v.html", &context).unwrap();
            let mut out = Vec::new();
            Page { out: &mut out }.put(&value);
            let ours = format!("{}|{}", String::from_utf8(out).unwrap(), truthy(&value));
            assert_eq!(ours, expected, "{value}");
        }
    }
}
