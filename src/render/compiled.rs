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

use super::pages::alignments::LinkGroup;
use super::pages::division::{DivisionPage, Item, MeasureView};
use super::theme::escape_parts;
use super::views::TocEntry;

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

/// A page being written.
struct Page<'o> {
    out: &'o mut Vec<u8>,
}

impl Page<'_> {
    /// Template text.
    fn lit(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// `{{ text }}`: escaped, as Tera escapes a string with the theme's escaping.
    fn put(&mut self, text: &str) {
        let out = &mut *self.out;
        escape_parts(text, |part| out.extend_from_slice(part.as_bytes()));
    }

    /// `{{ html | safe }}`.
    fn safe(&mut self, html: &str) {
        self.lit(html);
    }

    /// `{{ number }}`.
    fn number(&mut self, n: usize) {
        use std::io::Write;
        // Writing into a Vec cannot fail.
        let _ = write!(self.out, "{n}");
    }

    /// `href="{{ root }}{{ url }}"`'s value.
    fn link(&mut self, root: &str, url: &str) {
        self.put(root);
        self.put(url);
    }
}

/// A chapter's or section's page, as `division.html` renders it.
pub(super) fn division(p: &DivisionPage, out: &mut Vec<u8>) {
    let page = &mut Page { out };
    let root = p.common.root.as_str();
    base_head(page, p);
    // division.html, block layout_class
    page.lit(" with-aside");
    page.lit("\">\n");
    // division.html, block aside
    page.lit("<aside class=\"sidebar\">");
    toc(page, p);
    page.lit("</aside>");
    page.lit("\n<main id=\"main\">\n");
    // division.html, block content
    page.lit("\n<article class=\"division\">\n  <p class=\"plan-name\"><a href=\"");
    page.link(root, p.plan.url);
    page.lit("\">");
    page.put(p.plan.title);
    page.lit("</a></p>\n  <h1>");
    if let Some(number) = p.division.number.filter(|n| !n.is_empty()) {
        page.lit("<span class=\"number\">");
        page.put(number);
        page.lit("</span> ");
    }
    page.put(p.division.title);
    page.lit("</h1>\n  ");
    if !p.cite.is_empty() {
        page.lit("<p class=\"page-cite\">");
        let label = if p.division.is_chapter {
            "引用本章"
        } else {
            "引用本节"
        };
        cite(page, &p.cite, p.division.url, label);
        page.lit("</p>");
    }
    page.lit("\n  ");
    if !p.intro_html.is_empty() {
        page.lit("<div class=\"intro-text\">");
        page.safe(&p.intro_html);
        page.lit("</div>");
    }
    page.lit("\n  ");
    let level = usize::from(p.measure_level);
    for item in &p.items {
        match item {
            // An empty interlude would fail Tera's rendering (it falls through to
            // `item.measure`, which is missing) and is written as nothing here; the content
            // never makes one: an interlude is a sub-heading.
            Item::InterludeHtml(html) => {
                if !html.is_empty() {
                    page.lit("<div class=\"interlude\">");
                    page.safe(html);
                    page.lit("</div>");
                }
            }
            Item::Box(b) => {
                page.lit("<aside class=\"box box-measures\"");
                if !b.title.is_empty() {
                    page.lit(" aria-label=\"");
                    page.put(b.title);
                    page.lit("\"");
                }
                page.lit(">");
                if !b.title.is_empty() {
                    page.lit("<p class=\"box-title\">");
                    page.put(b.title);
                    page.lit("</p>");
                }
                page.safe(&b.intro_html);
                for m in &b.measures {
                    measure(page, p, m, level);
                }
                page.lit("</aside>");
            }
            Item::Measure(m) => measure(page, p, m, level),
        }
    }
    page.lit("\n  ");
    if !p.sections.is_empty() {
        page.lit("\n  <ol class=\"section-list\">\n    ");
        for s in &p.sections {
            page.lit("<li><a href=\"");
            page.link(root, s.url);
            page.lit("\">");
            page.put(&s.title);
            page.lit("</a>");
            if let Some(n) = s.measures.filter(|n| *n > 0) {
                page.lit(" <span class=\"count\">");
                page.number(n);
                page.lit(" 项举措</span>");
            }
            page.lit("</li>");
        }
        page.lit("\n  </ol>\n  ");
    }
    page.lit("\n</article>\n<nav class=\"pager\" aria-label=\"翻页\">\n  ");
    // `prev` is always there (the plan's cover before its first chapter).
    page.lit("<a class=\"prev\" rel=\"prev\" href=\"");
    page.link(root, p.prev.url);
    page.lit("\">← ");
    page.put(&p.prev.title);
    page.lit("</a>");
    page.lit("\n  ");
    if let Some(next) = &p.next {
        page.lit("<a class=\"next\" rel=\"next\" href=\"");
        page.link(root, next.url);
        page.lit("\">");
        page.put(&next.title);
        page.lit(" →</a>");
    }
    page.lit("\n</nav>\n");
    page.lit("\n</main>\n</div>\n");
    base_foot(page, p);
}

/// base.html up to the class of the layout's `<div>` (the page's `layout_class` block follows),
/// with division.html's `description` block.
fn base_head(page: &mut Page, p: &DivisionPage) {
    let (root, site) = (p.common.root.as_str(), &p.common.site);
    let permalink = p.common.permalink.as_deref();
    page.lit("<!DOCTYPE html>\n<html lang=\"");
    page.put(site.language);
    page.lit("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if !p.title.is_empty() && p.title != site.title {
        page.put(&p.title);
        page.lit(" · ");
    }
    page.put(site.title);
    page.lit("</title>\n<meta name=\"description\" content=\"");
    // division.html, block description
    page.put(p.plan.title);
    page.lit(" ");
    page.put(&p.division.full_title);
    page.lit("\">\n");
    if let Some(permalink) = permalink.filter(|l| !l.is_empty()) {
        page.lit("<link rel=\"canonical\" href=\"");
        page.put(permalink);
        page.lit("\">");
    }
    page.lit("\n<link rel=\"icon\" href=\"data:,\">\n");
    if !site.base_url.is_empty() {
        page.lit("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        page.put(site.title);
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
    page.put(site.title);
    page.lit("\"");
    let plan_title = !p.plan.title.is_empty();
    if plan_title {
        page.lit(" data-plan=\"");
        page.put(p.plan.title);
        page.lit("\"");
    }
    page.lit("><p>");
    page.put(site.title);
    if plan_title {
        page.lit(" · ");
        page.put(p.plan.title);
    }
    page.lit("</p><p class=\"print-permalink\">");
    page.put(permalink.unwrap_or(""));
    page.lit("</p></div>\n<header class=\"site-header\">\n  <div class=\"wrap\">\n    <a class=\"brand\" href=\"");
    page.put(root);
    page.lit("\">");
    page.put(site.title);
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
    for link in &site.pages {
        page.lit("<li><a href=\"");
        page.link(root, link.url);
        page.lit("\">");
        page.put(&link.title);
        page.lit("</a></li>");
    }
    page.lit("\n      </ul>\n    </nav>\n    <form class=\"site-search\" role=\"search\" aria-label=\"全站搜索\" action=\"");
    page.put(root);
    page.lit("search/\" method=\"get\">\n      <label class=\"visually-hidden\" for=\"site-q\">搜索</label>\n      <input id=\"site-q\" type=\"search\" name=\"q\" placeholder=\"搜索举措、指标、单位\" autocomplete=\"off\">\n      <button type=\"submit\">搜索</button>\n    </form>\n  </div>\n</header>\n");
    if !p.crumbs.is_empty() {
        page.lit(
            "\n<nav class=\"crumbs wrap\" aria-label=\"当前位置\">\n  <ol>\n    <li><a href=\"",
        );
        page.put(root);
        page.lit("\">首页</a></li>\n    ");
        for (k, crumb) in p.crumbs.iter().enumerate() {
            page.lit("<li>");
            if k + 1 == p.crumbs.len() {
                page.lit("<span aria-current=\"page\">");
                page.put(&crumb.title);
                page.lit("</span>");
            } else {
                page.lit("<a href=\"");
                page.link(root, crumb.url);
                page.lit("\">");
                page.put(&crumb.title);
                page.lit("</a>");
            }
            page.lit("</li>");
        }
        page.lit("\n  </ol>\n</nav>\n");
    }
    page.lit("\n<div class=\"wrap layout");
}

/// base.html from the footer on.
fn base_foot(page: &mut Page, p: &DivisionPage) {
    let (root, site) = (p.common.root.as_str(), &p.common.site);
    page.lit("<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <p>");
    page.put(site.description);
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
    let feed = !site.base_url.is_empty();
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
        page.put(site.base_url);
        page.lit("\"");
    }
    page.lit("></script>\n<script src=\"");
    page.put(root);
    page.lit("static/nav.js\" defer></script>\n</body>\n</html>\n");
}

/// partials/toc.html.
fn toc(page: &mut Page, p: &DivisionPage) {
    let (root, plan, url) = (p.common.root.as_str(), &p.plan, p.common.url.as_str());
    page.lit("<a class=\"toc-toggle\" href=\"#plan-toc\" data-toggle=\"plan-toc\">目录</a>\n<nav class=\"toc\" id=\"plan-toc\" aria-label=\"");
    page.put(plan.short_title);
    page.lit("目录\">\n  <p class=\"toc-title\"><a href=\"");
    page.link(root, plan.url);
    page.lit("\">");
    page.put(plan.short_title);
    page.lit("</a></p>\n  <ol>\n  ");
    let gap = |page: &mut Page, entry: &TocEntry| {
        page.lit("<li class=\"toc-gap\"><a href=\"");
        page.link(root, entry.url);
        page.lit("\">");
        page.put(&entry.title);
        page.lit("</a></li>");
    };
    // `<li class="current"><a … aria-current="page">` for the page itself.
    let entry = |page: &mut Page, entry: &TocEntry| {
        let here = entry.url == url;
        page.lit("<li");
        if here {
            page.lit(" class=\"current\"");
        }
        page.lit("><a href=\"");
        page.link(root, entry.url);
        page.lit("\"");
        if here {
            page.lit(" aria-current=\"page\"");
        }
        page.lit(">");
        page.put(&entry.title);
        page.lit("</a>");
    };
    for ch in &plan.toc {
        if ch.gap {
            gap(page, ch);
        } else {
            page.lit("\n    ");
            entry(page, ch);
            page.lit("\n    ");
            let sections = ch.sections.as_deref().unwrap_or_default();
            if !sections.is_empty() {
                page.lit("<ol>\n      ");
                for s in sections {
                    if s.gap {
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

/// partials/cite.html, with `cite`, `cite_url` and `cite_label` set as its includer sets them.
fn cite(page: &mut Page, cite: &str, url: &str, label: &str) {
    page.lit("<button type=\"button\" class=\"cite-button\" data-cite=\"");
    page.put(cite);
    page.lit("\" data-url=\"");
    page.put(url);
    page.lit("\" aria-label=\"");
    page.put(label);
    page.lit("\" hidden>");
    if label.starts_with("引用本") {
        page.put(label);
    } else {
        page.lit("引用");
    }
    page.lit("</button>\n");
}

/// partials/measure.html, for the measure `m` at heading level `level`.
fn measure(page: &mut Page, p: &DivisionPage, m: &MeasureView, level: usize) {
    let root = p.common.root.as_str();
    page.lit("<article class=\"measure\" id=\"");
    page.put(m.id);
    page.lit("\" aria-label=\"");
    page.put(m.title);
    page.lit("\">\n  <header class=\"measure-head\">\n    ");
    if !m.heading.is_empty() {
        page.lit("<h");
        page.number(level);
        page.lit(">");
        page.put(m.heading);
        page.lit("</h");
        page.number(level);
        page.lit(">");
    }
    page.lit("\n    <a class=\"anchor\" href=\"#");
    page.put(m.id);
    page.lit("\" data-copy-link title=\"复制本举措链接\" aria-label=\"复制举措 ");
    page.put(m.id);
    page.lit(" 的链接\">#");
    page.put(m.id);
    page.lit("</a>\n    ");
    if !m.cite.is_empty() {
        let url = format!("{}#{}", p.common.url, m.id);
        let label = format!("引用举措 {}", m.id);
        cite(page, &m.cite, &url, &label);
    }
    page.lit("\n  </header>\n  <div class=\"measure-body\">");
    page.safe(&m.body_html);
    page.lit("</div>\n  <p class=\"measure-meta\">\n    <span class=\"label\">主题</span>");
    for t in &m.themes {
        page.lit("<a class=\"tag\" href=\"");
        page.put(root);
        page.lit("themes/");
        page.put(t.slug);
        page.lit("/\">");
        page.put(t.name);
        page.lit("</a>");
    }
    page.lit("\n    ");
    if !m.units.is_empty() {
        page.lit("<span class=\"label\">责任单位</span>");
        for (k, g) in m.units.iter().enumerate() {
            page.lit("<span class=\"unit\">");
            if let Some(side) = g.side.filter(|s| !s.is_empty()) {
                page.lit("<span class=\"side\">");
                page.put(side);
                page.lit("</span>");
            }
            for (j, n) in g.names.iter().enumerate() {
                if let Some(key) = n.key.filter(|k| !k.is_empty()) {
                    page.lit("<a href=\"");
                    page.put(root);
                    page.lit("units/");
                    page.put(key);
                    page.lit("/\">");
                    page.put(n.name);
                    page.lit("</a>");
                } else {
                    page.put(n.name);
                }
                if j + 1 < g.names.len() {
                    page.lit("、");
                }
            }
            page.lit("</span>");
            if k + 1 < m.units.len() {
                page.lit("；");
            }
        }
    }
    page.lit("\n  </p>\n  ");
    if let Some(implements) = &m.implements {
        page.lit("<p class=\"implements\"><span class=\"label\">落实</span><a href=\"");
        page.link(root, implements.url);
        page.lit("\">");
        page.put(implements.plan);
        page.lit(" ");
        page.put(implements.heading);
        page.lit("</a></p>");
    }
    page.lit("\n  ");
    if let Some(list) = m.implemented_by.as_deref().filter(|l| !l.is_empty()) {
        page.lit("<p class=\"implements\"><span class=\"label\">落实条目</span>");
        for (k, i) in list.iter().enumerate() {
            page.lit("<a href=\"");
            page.link(root, i.url);
            page.lit("\" title=\"");
            page.put(i.title);
            page.lit("\">");
            page.put(i.plan);
            page.lit(" ");
            page.put(i.id);
            page.lit("</a>");
            if k + 1 < list.len() {
                page.lit("、");
            }
        }
        page.lit("</p>");
    }
    page.lit("\n  ");
    alignment_links(page, root, &m.takes_up, "承接");
    page.lit("\n  ");
    alignment_links(page, root, &m.taken_up_by, "被承接于");
    page.lit("\n  ");
    if !m.related.is_empty() {
        page.lit("\n  <details class=\"related\">\n    <summary>其他规划中的相关举措<span class=\"count\">（");
        page.number(m.related.len());
        page.lit(" 项）</span></summary>\n    <ol>\n    ");
        for r in &m.related {
            page.lit("<li><a href=\"");
            page.link(root, r.url);
            page.lit("\">");
            page.put(r.title);
            page.lit("</a> <span class=\"plan\">");
            page.put(r.plan);
            page.lit("</span> <span class=\"reason\">");
            page.put(r.reason);
            page.lit("</span></li>");
        }
        page.lit("\n    </ol>\n  </details>\n  ");
    }
    page.lit("\n</article>\n");
}

/// measure.html's `takes_up` and `taken_up_by` paragraphs: groups of measures by plan.
fn alignment_links(page: &mut Page, root: &str, groups: &[LinkGroup], label: &str) {
    if groups.is_empty() {
        return;
    }
    page.lit("<p class=\"implements\"><span class=\"label\">");
    page.lit(label);
    page.lit("</span>");
    for (k, g) in groups.iter().enumerate() {
        page.lit("<a href=\"");
        page.link(root, &g.alignment_url);
        page.lit("\">");
        page.put(g.plan);
        page.lit("</a> ");
        for (j, t) in g.measures.iter().enumerate() {
            page.lit("<a href=\"");
            page.link(root, t.url);
            page.lit("\" title=\"");
            page.put(t.title);
            page.lit("\">");
            page.put(t.id);
            page.lit("</a>");
            if j + 1 < g.measures.len() {
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

    use crate::render::pages::alignments::MeasureRef;
    use crate::render::pages::division::{
        BoxView, Common, DivisionHead, RelatedView, ThemeRef, UnitGroup, UnitName,
    };
    use crate::render::views::{Link, MeasureLink, PlanView, SiteView};
    use std::borrow::Cow;

    fn link<'a>(title: &'a str, url: &'a str) -> Link<'a> {
        Link {
            title: Cow::Borrowed(title),
            url,
        }
    }

    fn toc<'a>(title: &str, url: &'a str, measures: usize) -> TocEntry<'a> {
        TocEntry {
            gap: false,
            title: title.to_string(),
            url,
            measures: Some(measures),
            sections: None,
        }
    }

    fn measure_link<'a>(id: &'a str) -> MeasureLink<'a> {
        MeasureLink {
            id,
            title: "标题 <b>",
            heading: "1. 小标题 & 说明",
            url: "plans/up/c1/#u-1",
            plan: "上级",
        }
    }

    /// A measure with every list filled (`full`), or with everything that may be empty or
    /// missing left so.
    fn measure(id: &str, full: bool) -> MeasureView<'_> {
        let group = || LinkGroup {
            plan: "上级规划",
            alignment_url: "alignments/up/low/".to_string(),
            measures: (0..2)
                .map(|_| MeasureRef {
                    id: "u-1",
                    title: "甲\"乙\"",
                    url: "plans/up/c1/#u-1",
                    plan: "上级",
                })
                .collect(),
        };
        MeasureView {
            id,
            heading: if full {
                "（一）推进 <科技> 金融"
            } else {
                ""
            },
            title: "推进科技金融 & 绿色金融",
            body_html: "<p>正文。</p>".to_string(),
            taken_up_by: if full {
                vec![group(), group()]
            } else {
                Vec::new()
            },
            takes_up: if full { vec![group()] } else { Vec::new() },
            themes: (0..=usize::from(full))
                .map(|_| ThemeRef {
                    slug: "green",
                    name: "绿色金融",
                })
                .collect(),
            units: vec![
                UnitGroup {
                    side: full.then_some("重庆"),
                    names: vec![
                        UnitName {
                            name: "市金融局",
                            key: full.then_some("shi-jin-rong-ju"),
                        },
                        UnitName {
                            name: "人行'重庆'",
                            key: None,
                        },
                    ],
                },
                UnitGroup {
                    side: Some(""),
                    names: vec![UnitName {
                        name: "省财政厅",
                        key: Some(""),
                    }],
                },
            ],
            related: (0..if full { 3 } else { 0 })
                .map(|_| RelatedView {
                    id: "r-1",
                    title: "相关 <举措>",
                    url: "plans/other/c2/#r-1",
                    plan: "其他",
                    reason: "碳排放权 · 绿色信贷",
                    score: 0.5,
                })
                .collect(),
            implements: full.then(|| measure_link("t-1")),
            implemented_by: Some(if full {
                vec![measure_link("i-1"), measure_link("i-2")]
            } else {
                Vec::new()
            }),
            cite: if full {
                "《规划》第一章 举措 m-1".to_string()
            } else {
                String::new()
            },
        }
    }

    /// A chapter's page with every branch of the templates taken one way (`full`) or the other.
    fn page(full: bool) -> DivisionPage<'static> {
        let url = "plans/p/c1/";
        let mut chapter = toc("第一章　总则", url, 2);
        chapter.sections = Some(vec![
            TocEntry {
                gap: true,
                title: "… 本章共 40 节".to_string(),
                url,
                measures: None,
                sections: None,
            },
            toc("第一节", "plans/p/c1/s1/", 0),
        ]);
        let mut other = toc("第二章", "plans/p/c2/", 1);
        other.sections = Some(Vec::new());
        let gap = TocEntry {
            gap: true,
            title: "… 全部 30 章".to_string(),
            url: "plans/p/",
            measures: None,
            sections: None,
        };
        let title = if full { "第一章　总则" } else { "站点" };
        DivisionPage {
            title: title.to_string(),
            cite: if full {
                "《规划 & 方案》第一章".to_string()
            } else {
                String::new()
            },
            division: DivisionHead {
                number: if full { Some("第一章") } else { Some("") },
                title: "总则 <一>",
                full_title: "第一章　总则 <一>".to_string(),
                url,
                is_chapter: full,
            },
            intro_html: if full {
                "<p>导言</p>".to_string()
            } else {
                String::new()
            },
            measure_level: if full { 2 } else { 3 },
            plan: PlanView {
                slug: "p",
                url: "plans/p/",
                title: if full { "某某规划 \"2025\"" } else { "" },
                short_title: "某某规划",
                toc: vec![gap, chapter, other],
            },
            items: vec![
                Item::InterludeHtml("<h2>一、小标题</h2>".to_string()),
                Item::Box(BoxView {
                    title: if full { "专栏1 <重点>" } else { "" },
                    intro_html: if full {
                        "<p>专栏导言</p>".to_string()
                    } else {
                        String::new()
                    },
                    measures: vec![measure("m-1", full), measure("m-2", !full)],
                }),
                Item::Measure(Box::new(measure("m-3", full))),
                Item::Measure(Box::new(measure("m-4", !full))),
            ],
            sections: if full {
                vec![
                    toc("第一节", "plans/p/c1/s1/", 3),
                    toc("第二节", "plans/p/c1/s2/", 0),
                ]
            } else {
                Vec::new()
            },
            prev: link("某某规划", "plans/p/"),
            next: full.then(|| link("第一节", "plans/p/c1/s1/")),
            crumbs: if full {
                vec![link("某某规划", "plans/p/"), link("第一章　总则", url)]
            } else {
                Vec::new()
            },
            common: Common {
                root: "../../../".to_string(),
                url: url.to_string(),
                permalink: full.then(|| format!("https://atlas.test/{url}")),
                site: SiteView {
                    title: "站点",
                    description: "说明 <站点>",
                    language: "zh-CN",
                    base_url: if full { "https://atlas.test/" } else { "" },
                    pages: if full {
                        vec![link("帮助", "help/"), link("关于", "about/")]
                    } else {
                        Vec::new()
                    },
                },
            },
        }
    }

    /// Every branch of the templates, both ways, as Tera renders the bundled templates.
    #[test]
    fn hand_made_pages_are_what_tera_makes_of_the_bundled_templates() {
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let templates = crate::render::load_templates(&theme).unwrap();
        for full in [true, false] {
            let page = page(full);
            let context = tera::Context::from_serialize(&page).unwrap();
            let expected = templates.tera.render("division.html", &context).unwrap();
            let mut out = Vec::new();
            division(&page, &mut out);
            let ours = String::from_utf8(out).unwrap();
            assert!(ours == expected, "full: {full}\n{ours}\n---\n{expected}");
        }
    }

    /// A theme's own `division.html` reads the page's context: its keys are part of the theme
    /// contract (README), the same as when it was a JSON tree.
    #[test]
    fn division_context_keeps_its_keys() {
        fn paths(
            value: &serde_json::Value,
            at: &str,
            out: &mut std::collections::BTreeSet<String>,
        ) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, v) in map {
                        let here = if at.is_empty() {
                            key.clone()
                        } else {
                            format!("{at}.{key}")
                        };
                        out.insert(here.clone());
                        paths(v, &here, out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for v in items {
                        paths(v, &format!("{at}[]"), out);
                    }
                }
                _ => {}
            }
        }
        let mut found = std::collections::BTreeSet::new();
        paths(&serde_json::to_value(page(true)).unwrap(), "", &mut found);
        let measure = [
            "id",
            "heading",
            "title",
            "body_html",
            "cite",
            "themes",
            "themes[].slug",
            "themes[].name",
            "units",
            "units[].side",
            "units[].names",
            "units[].names[].name",
            "units[].names[].key",
            "related",
            "related[].id",
            "related[].title",
            "related[].url",
            "related[].plan",
            "related[].reason",
            "related[].score",
            "implements",
            "implements.id",
            "implements.title",
            "implements.heading",
            "implements.url",
            "implements.plan",
            "implemented_by",
            "implemented_by[].id",
            "implemented_by[].title",
            "implemented_by[].heading",
            "implemented_by[].url",
            "implemented_by[].plan",
            "takes_up",
            "takes_up[].plan",
            "takes_up[].alignment_url",
            "takes_up[].measures",
            "takes_up[].measures[].id",
            "takes_up[].measures[].title",
            "takes_up[].measures[].url",
            "takes_up[].measures[].plan",
            "taken_up_by",
            "taken_up_by[].plan",
            "taken_up_by[].alignment_url",
            "taken_up_by[].measures",
            "taken_up_by[].measures[].id",
            "taken_up_by[].measures[].title",
            "taken_up_by[].measures[].url",
            "taken_up_by[].measures[].plan",
        ];
        let mut expected: std::collections::BTreeSet<String> = [
            "title",
            "cite",
            "intro_html",
            "measure_level",
            "root",
            "url",
            "permalink",
            "division",
            "division.number",
            "division.title",
            "division.full_title",
            "division.url",
            "division.is_chapter",
            "plan",
            "plan.slug",
            "plan.url",
            "plan.title",
            "plan.short_title",
            "plan.toc",
            "plan.toc[].gap",
            "plan.toc[].title",
            "plan.toc[].url",
            "plan.toc[].measures",
            "plan.toc[].sections",
            "plan.toc[].sections[].gap",
            "plan.toc[].sections[].title",
            "plan.toc[].sections[].url",
            "plan.toc[].sections[].measures",
            "items",
            "items[].interlude_html",
            "items[].box",
            "items[].box.title",
            "items[].box.intro_html",
            "items[].box.measures",
            "items[].measure",
            "sections",
            "sections[].title",
            "sections[].url",
            "sections[].measures",
            "prev",
            "prev.title",
            "prev.url",
            "next",
            "next.title",
            "next.url",
            "crumbs",
            "crumbs[].title",
            "crumbs[].url",
            "site",
            "site.title",
            "site.description",
            "site.language",
            "site.base_url",
            "site.pages",
            "site.pages[].title",
            "site.pages[].url",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        for at in ["items[].measure", "items[].box.measures[]"] {
            expected.extend(measure.iter().map(|k| format!("{at}.{k}")));
        }
        assert_eq!(found, expected);
    }
}
