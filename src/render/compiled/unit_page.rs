//! A responsible unit's page, as `unit.html` renders it in `base.html`.

use super::super::pages::units::UnitPage;
use super::{base_foot, base_head, Head, Page};

/// Writes `p` as `unit.html` renders it.
pub(in crate::render) fn unit(p: &UnitPage, out: &mut Vec<u8>) {
    Page::full(out, |page| unit_page(page, p));
}

/// [`unit`] minified as the minifier would; false if the page is to be written in full and
/// minified instead (`Compact`).
pub(in crate::render) fn unit_compact(p: &UnitPage, out: &mut Vec<u8>) -> bool {
    Page::compact(out, |page| unit_page(page, p))
}

fn unit_page(page: &mut Page, p: &UnitPage) {
    let root = p.common.root.as_str();
    let head = Head::planless(&p.common, p.title, &p.crumbs);
    // base.html's own description block.
    base_head(page, &head, |page| page.put(p.common.site.description));
    // No layout_class, no aside.
    page.lit("\">\n");
    page.lit("\n<main id=\"main\">\n");
    // unit.html, block content
    page.lit("\n<h1>");
    page.put(p.unit.name);
    page.lit("</h1>\n<p class=\"lead\">");
    if let Some(side) = p.unit.side.filter(|s| !s.is_empty()) {
        page.put(side);
        page.lit("方面责任单位，");
    }
    page.lit("负责 ");
    page.number(p.measures.len());
    page.lit(" 项举措。");
    if !p.unit.other_names.is_empty() {
        page.lit("规划中也写作：");
        page.joined(&p.unit.other_names, "、", |page, name| page.put(name));
        page.lit("。");
    }
    page.lit("</p>\n<ul class=\"measure-list\">\n");
    for m in &p.measures {
        page.lit("\n  <li><a href=\"");
        page.link(root, m.link.url);
        page.lit("\">");
        page.put(m.link.heading);
        page.lit("</a> <span class=\"where\">");
        page.put(m.link.plan);
        page.lit(" · ");
        page.put(m.link.id);
        page.lit("</span>\n    <p>");
        page.put(&m.excerpt);
        page.lit("</p></li>\n");
    }
    page.lit("\n</ul>\n");
    base_foot(page, &p.common);
}
