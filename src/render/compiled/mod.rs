//! The default theme's chapter, section, theme, unit and concept pages and plans' covers,
//! written by Rust code instead of Tera.
//!
//! Four pages in five are chapter and section pages, and Tera spent about 15 % of a build's CPU
//! on them, most of it looking variables up by their dotted paths. When a site renders them
//! with the bundled templates unchanged (`division.html`, `base.html` and the partials they
//! include, [`BUNDLED`]), [`division`] writes the same bytes from the same context; with any of
//! them changed, Tera renders them as before, so a theme's contract is the same either way.
//! Theme pages, a fifth of the HTML of a large site, likewise ([`theme`], [`BUNDLED_THEME`],
//! with `partials/concept_table.html` for those with indicator tables), responsible units'
//! pages ([`unit`], [`BUNDLED_UNIT`]), plans' covers ([`plan`], [`BUNDLED_PLAN`]) and indicator
//! concepts' pages ([`concept`], [`BUNDLED_CONCEPT`]), the largest of those Tera rendered.
//!
//! Each function below follows its template line by line; the comments name the template. A
//! test renders every chapter, section and theme page of the real content and of a synthetic
//! site both ways and compares the bytes: a change to one of these templates must be made here
//! too, or that test fails.

use self::compact::Compact;
use super::pages::alignments::LinkGroup;
use super::pages::division::{DivisionPage, Item, MeasureView};
use super::theme::escape_parts;
use super::views::{Common, Crumb, PlanView, TocEntry};

/// The templates a division page is rendered with, as the default theme has them.
pub(super) const BUNDLED: [(&str, &str); 5] = [
    (
        "base.html",
        include_str!("../../../themes/default/templates/base.html"),
    ),
    (
        "division.html",
        include_str!("../../../themes/default/templates/division.html"),
    ),
    (
        "partials/cite.html",
        include_str!("../../../themes/default/templates/partials/cite.html"),
    ),
    (
        "partials/measure.html",
        include_str!("../../../themes/default/templates/partials/measure.html"),
    ),
    (
        "partials/toc.html",
        include_str!("../../../themes/default/templates/partials/toc.html"),
    ),
];

/// The templates a theme page is rendered with (when it has no indicator tables), as the
/// default theme has them.
pub(super) const BUNDLED_THEME: [(&str, &str); 2] = [
    BUNDLED[0],
    (
        "theme.html",
        include_str!("../../../themes/default/templates/theme.html"),
    ),
];

/// The templates a responsible unit's page is rendered with, as the default theme has them.
pub(super) const BUNDLED_UNIT: [(&str, &str); 2] = [
    BUNDLED[0],
    (
        "unit.html",
        include_str!("../../../themes/default/templates/unit.html"),
    ),
];

/// The templates a plan's cover is rendered with, as the default theme has them.
pub(super) const BUNDLED_PLAN: [(&str, &str); 5] = [
    BUNDLED[0],
    BUNDLED[2],
    BUNDLED[4],
    (
        "plan.html",
        include_str!("../../../themes/default/templates/plan.html"),
    ),
    (
        "partials/cover_head.html",
        include_str!("../../../themes/default/templates/partials/cover_head.html"),
    ),
];

/// The templates an indicator concept's page is rendered with, as the default theme has them;
/// the table is also what theme pages with indicator comparisons include.
pub(super) const BUNDLED_CONCEPT: [(&str, &str); 3] = [
    BUNDLED[0],
    (
        "concept.html",
        include_str!("../../../themes/default/templates/concept.html"),
    ),
    (
        "partials/concept_table.html",
        include_str!("../../../themes/default/templates/partials/concept_table.html"),
    ),
];

/// Whether the theme's templates (name, source) render division pages as [`division`] does:
/// every one of [`BUNDLED`] is there, unchanged.
pub(super) fn renders_divisions(templates: &[(String, String)]) -> bool {
    has_all(templates, &BUNDLED)
}

/// Whether the theme's templates render theme pages as [`theme`] does: every one of
/// [`BUNDLED_THEME`] is there, unchanged.
pub(super) fn renders_themes(templates: &[(String, String)]) -> bool {
    has_all(templates, &BUNDLED_THEME)
}

/// Whether the theme's templates render responsible units' pages as [`unit`] does.
pub(super) fn renders_units(templates: &[(String, String)]) -> bool {
    has_all(templates, &BUNDLED_UNIT)
}

/// Whether the theme's templates render plans' covers as [`plan`] does.
pub(super) fn renders_plans(templates: &[(String, String)]) -> bool {
    has_all(templates, &BUNDLED_PLAN)
}

/// Whether the theme's templates render indicator concepts' pages as [`concept`] does.
pub(super) fn renders_concepts(templates: &[(String, String)]) -> bool {
    has_all(templates, &BUNDLED_CONCEPT)
}

/// Whether the theme's templates render theme pages with indicator tables as [`theme`] does.
pub(super) fn renders_concept_tables(templates: &[(String, String)]) -> bool {
    renders_themes(templates) && has_all(templates, &BUNDLED_CONCEPT[2..])
}

fn has_all(templates: &[(String, String)], bundled: &[(&str, &str)]) -> bool {
    bundled.iter().all(|(name, source)| {
        templates
            .iter()
            .any(|(n, s)| n.as_str() == *name && s.as_str() == *source)
    })
}

/// A page being written: in full, as the templates render it, or minified as it is made
/// ([`Compact`]).
enum Page<'o> {
    Full(&'o mut Vec<u8>),
    Compact(Compact<'o>),
}

impl<'o> Page<'o> {
    /// Writes a page with `write`, in full into `out`.
    fn full(out: &'o mut Vec<u8>, write: impl FnOnce(&mut Self)) {
        write(&mut Page::Full(out));
    }

    /// Writes a page with `write`, minified into `out`; false if it is to be written in full
    /// and minified instead (`out` then holds part of it).
    fn compact(out: &'o mut Vec<u8>, write: impl FnOnce(&mut Self)) -> bool {
        let mut page = Page::Compact(Compact::new(out));
        write(&mut page);
        match page {
            Page::Compact(compact) => compact.finish(),
            Page::Full(_) => unreachable!("made compact above"),
        }
    }

    /// Template text.
    fn lit(&mut self, text: &'static str) {
        match self {
            Page::Full(out) => out.extend_from_slice(text.as_bytes()),
            Page::Compact(compact) => compact.template(text),
        }
    }

    /// `{{ text }}`: escaped, as Tera escapes a string with the theme's escaping.
    fn put(&mut self, text: &str) {
        match self {
            Page::Full(out) => escape_parts(text, |part| out.extend_from_slice(part.as_bytes())),
            Page::Compact(compact) => compact.value(text),
        }
    }

    /// `{{ html | safe }}`.
    fn safe(&mut self, html: &str) {
        match self {
            Page::Full(out) => out.extend_from_slice(html.as_bytes()),
            Page::Compact(compact) => compact.content_html(html),
        }
    }

    /// `{{ number }}`.
    fn number(&mut self, n: usize) {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(n);
        match self {
            Page::Full(out) => out.extend_from_slice(digits.as_bytes()),
            Page::Compact(compact) => compact.value(digits),
        }
    }

    /// `{% for x in items %}…{% if not loop.last %}{{ sep }}{% endif %}{% endfor %}`.
    fn joined<T>(&mut self, items: &[T], sep: &'static str, mut each: impl FnMut(&mut Self, &T)) {
        for (k, item) in items.iter().enumerate() {
            if k > 0 {
                self.lit(sep);
            }
            each(self, item);
        }
    }

    /// `href="{{ root }}{{ url }}"`'s value.
    fn link(&mut self, root: &str, url: &str) {
        self.put(root);
        self.put(url);
    }

    /// `<a href="{{ root }}{{ url }}">{{ title }}</a>`.
    fn anchor(&mut self, root: &str, url: &str, title: &str) {
        self.lit("<a href=\"");
        self.link(root, url);
        self.lit("\">");
        self.put(title);
        self.lit("</a>");
    }
}

/// A chapter's or section's page, as `division.html` renders it.
pub(super) fn division(p: &DivisionPage, out: &mut Vec<u8>) {
    Page::full(out, |page| division_page(page, p));
}

/// [`division`] minified as the minifier would; false if the page is to be written in full
/// and minified instead ([`Compact`]).
pub(super) fn division_compact(p: &DivisionPage, out: &mut Vec<u8>) -> bool {
    Page::compact(out, |page| division_page(page, p))
}

fn division_page(page: &mut Page, p: &DivisionPage) {
    let root = p.common.root.as_str();
    let head = Head {
        common: &p.common,
        title: &p.title,
        plan_title: Some(p.plan.title).filter(|t| !t.is_empty()),
        crumbs: p.crumbs.iter().map(|c| (&*c.title, c.url)).collect(),
    };
    base_head(page, &head, |page| {
        // division.html, block description
        page.put(p.plan.title);
        page.lit(" ");
        page.put(&p.division.full_title);
    });
    // division.html, block layout_class
    page.lit(" with-aside");
    page.lit("\">\n");
    // division.html, block aside
    page.lit("<aside class=\"sidebar\">");
    toc(page, &p.common, &p.plan);
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
    base_foot(page, &p.common);
}

/// What base.html reads of a page besides its content: the keys every page has, its title, the
/// plan it belongs to (`plan.title`, for the printed header) and its breadcrumbs.
struct Head<'p> {
    common: &'p Common<'p>,
    title: &'p str,
    plan_title: Option<&'p str>,
    /// Title and URL of each step.
    crumbs: Vec<(&'p str, &'p str)>,
}

impl<'p> Head<'p> {
    /// The head of a page with no plan, whose breadcrumbs are `crumbs`.
    fn planless(common: &'p Common<'p>, title: &'p str, crumbs: &'p [Crumb]) -> Self {
        Head {
            common,
            title,
            plan_title: None,
            crumbs: crumbs
                .iter()
                .map(|c| (c.title.as_str(), c.url.as_str()))
                .collect(),
        }
    }
}

/// base.html up to the class of the layout's `<div>` (the page's `layout_class` block follows),
/// the page's `description` block written by `description`.
fn base_head(page: &mut Page, head: &Head, description: impl FnOnce(&mut Page)) {
    base_head_with(page, head, description, |_| {});
}

/// [`base_head`] with the page's `head` block written by `head_block`.
fn base_head_with(
    page: &mut Page,
    head: &Head,
    description: impl FnOnce(&mut Page),
    head_block: impl FnOnce(&mut Page),
) {
    let (root, site) = (head.common.root.as_str(), &head.common.site);
    let permalink = head.common.permalink.as_deref();
    page.lit("<!DOCTYPE html>\n<html lang=\"");
    page.put(site.language);
    page.lit("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if !head.title.is_empty() && head.title != site.title {
        page.put(head.title);
        page.lit(" · ");
    }
    page.put(site.title);
    page.lit("</title>\n<meta name=\"description\" content=\"");
    description(page);
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
    head_block(page);
    page.lit("\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n<div class=\"print-head\" data-site=\"");
    page.put(site.title);
    page.lit("\"");
    if let Some(plan_title) = head.plan_title {
        page.lit(" data-plan=\"");
        page.put(plan_title);
        page.lit("\"");
    }
    page.lit("><p>");
    page.put(site.title);
    if let Some(plan_title) = head.plan_title {
        page.lit(" · ");
        page.put(plan_title);
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
    if !head.crumbs.is_empty() {
        page.lit(
            "\n<nav class=\"crumbs wrap\" aria-label=\"当前位置\">\n  <ol>\n    <li><a href=\"",
        );
        page.put(root);
        page.lit("\">首页</a></li>\n    ");
        for (k, (title, url)) in head.crumbs.iter().enumerate() {
            page.lit("<li>");
            if k + 1 == head.crumbs.len() {
                page.lit("<span aria-current=\"page\">");
                page.put(title);
                page.lit("</span>");
            } else {
                page.lit("<a href=\"");
                page.link(root, url);
                page.lit("\">");
                page.put(title);
                page.lit("</a>");
            }
            page.lit("</li>");
        }
        page.lit("\n  </ol>\n</nav>\n");
    }
    page.lit("\n<div class=\"wrap layout");
}

/// base.html from the end of the page's `main` block on.
fn base_foot(page: &mut Page, common: &Common) {
    let (root, site) = (common.root.as_str(), &common.site);
    page.lit("\n</main>\n</div>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <p>");
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
fn toc(page: &mut Page, common: &Common, plan: &PlanView) {
    let (root, url) = (common.root.as_str(), common.url.as_str());
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
        // Joined by hand rather than by `format!`, a tenth of the instructions.
        let url = [p.common.url.as_str(), "#", m.id].concat();
        let label = ["引用举措 ", m.id].concat();
        cite(page, &m.cite, &url, &label);
    }
    page.lit("\n  </header>\n  <div class=\"measure-body\">");
    page.safe(&m.body_html);
    page.lit("</div>\n  <p class=\"measure-meta\">\n    <span class=\"label\">主题</span>");
    for t in &m.themes {
        tag(page, root, t.slug, t.name);
    }
    page.lit("\n    ");
    if !m.units.is_empty() {
        page.lit("<span class=\"label\">责任单位</span>");
        page.joined(&m.units, "；", |page, g| {
            page.lit("<span class=\"unit\">");
            if let Some(side) = g.side.filter(|s| !s.is_empty()) {
                page.lit("<span class=\"side\">");
                page.put(side);
                page.lit("</span>");
            }
            page.joined(&g.names, "、", |page, n| {
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
            });
            page.lit("</span>");
        });
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
        page.joined(list, "、", |page, i| {
            page.lit("<a href=\"");
            page.link(root, i.url);
            page.lit("\" title=\"");
            page.put(i.title);
            page.lit("\">");
            page.put(i.plan);
            page.lit(" ");
            page.put(i.id);
            page.lit("</a>");
        });
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

/// `<a class="tag" href="{{ root }}themes/{{ t.slug }}/">{{ t.name }}</a>`: a link to a
/// theme, as measure.html and theme.html write it.
fn tag(page: &mut Page, root: &str, slug: &str, name: &str) {
    page.lit("<a class=\"tag\" href=\"");
    page.put(root);
    page.lit("themes/");
    page.put(slug);
    page.lit("/\">");
    page.put(name);
    page.lit("</a>");
}

/// measure.html's `takes_up` and `taken_up_by` paragraphs: groups of measures by plan.
fn alignment_links(page: &mut Page, root: &str, groups: &[LinkGroup], label: &'static str) {
    if groups.is_empty() {
        return;
    }
    page.lit("<p class=\"implements\"><span class=\"label\">");
    page.lit(label);
    page.lit("</span>");
    page.joined(groups, "；", |page, g| {
        page.lit("<a href=\"");
        page.link(root, &g.alignment_url);
        page.lit("\">");
        page.put(g.plan);
        page.lit("</a> ");
        page.joined(&g.measures, "、", |page, t| {
            page.lit("<a href=\"");
            page.link(root, t.url);
            page.lit("\" title=\"");
            page.put(t.title);
            page.lit("\">");
            page.put(t.id);
            page.lit("</a>");
        });
    });
    page.lit("</p>");
}

mod compact;
mod concept_page;
mod plan_page;
mod theme_page;
mod unit_page;

pub(super) use self::concept_page::{concept, concept_compact};
pub(super) use self::plan_page::{plan, plan_compact};
pub(super) use self::theme_page::{theme, theme_compact};
pub(super) use self::unit_page::{unit, unit_compact};

#[cfg(test)]
mod concept_tests;
#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;
