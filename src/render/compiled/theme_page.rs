//! A theme's page (one page of its paged list), as `theme.html` renders it in `base.html`, with
//! the indicator comparisons of its first page as `partials/concept_table.html` renders them.

use super::super::pages::themes::ThemePage;
use super::concept_page::concept_table;
use super::{base_foot, base_head, tag, Head, Page};

/// Writes `p` as `theme.html` renders it.
pub(in crate::render) fn theme(p: &ThemePage, out: &mut Vec<u8>) {
    Page::full(out, |page| theme_page(page, p));
}

/// [`theme`] minified as the minifier would; false if the page is to be written in full and
/// minified instead (`Compact`).
pub(in crate::render) fn theme_compact(p: &ThemePage, out: &mut Vec<u8>) -> bool {
    Page::compact(out, |page| theme_page(page, p))
}

fn theme_page(page: &mut Page, p: &ThemePage) {
    let root = p.common.root.as_str();
    let head = Head::planless(&p.common, &p.title, &p.crumbs);
    base_head(page, &head, |page| {
        // theme.html, block description
        page.put(&p.theme.name);
        page.lit("：");
        page.put(&p.theme.definition);
    });
    // No layout_class, no aside.
    page.lit("\">\n");
    page.lit("\n<main id=\"main\">\n");
    // theme.html, block content
    page.lit("\n<h1>");
    page.put(&p.theme.name);
    page.lit("</h1>\n<p class=\"lead\">");
    page.put(&p.theme.definition);
    page.lit("</p>\n");
    if !p.plan_counts.is_empty() {
        page.lit("<p class=\"counts\">共 ");
        page.number(p.count);
        page.lit(" 项举措");
        page.lit("：");
        page.joined(&p.plan_counts, "，", |page, g| {
            page.put(g.plan.short_title);
            page.lit(" ");
            page.number(g.count);
            page.lit(" 项");
        });
        page.lit("</p>\n");
    } else if let Some(pagination) = &p.pagination {
        page.lit("<p class=\"counts\">共 ");
        page.number(p.count);
        page.lit(" 项举措，本页为第 ");
        page.number(pagination.first);
        page.lit("–");
        page.number(pagination.last);
        page.lit(" 项</p>");
    }
    page.lit("\n");
    if !p.indicators.is_empty() {
        page.lit("\n<section class=\"theme-indicators\">\n<h2>相关指标</h2>\n");
        for concept in &p.indicators {
            page.lit("<h3><a href=\"");
            page.put(root);
            page.lit("concepts/");
            page.put(concept.slug);
            page.lit("/\">");
            page.put(concept.name);
            page.lit("</a></h3>");
            concept_table(page, root, concept.unit, &concept.rows);
        }
        page.lit("\n</section>\n");
    }
    page.lit("\n");
    for g in &p.groups {
        page.lit("\n<section class=\"theme-group\" id=\"plan-");
        page.put(g.plan.slug);
        page.lit("\">\n  <h2><a href=\"");
        page.link(root, g.plan.url);
        page.lit("\">");
        page.put(g.plan.title);
        page.lit("</a></h2>\n  <ul class=\"measure-list\">\n  ");
        for m in &g.measures {
            page.lit("\n    <li><a href=\"");
            page.link(root, m.url);
            page.lit("\">");
            page.put(m.title);
            page.lit("</a> <span class=\"where\">");
            page.put(&m.location);
            page.lit("</span>\n      <p>");
            page.put(&m.excerpt);
            page.lit("</p>\n      ");
            if !m.themes.is_empty() {
                page.lit("<p class=\"also\">");
                for t in &m.themes {
                    tag(page, root, t.slug, t.name);
                }
                page.lit("</p>");
            }
            page.lit("\n    </li>\n  ");
        }
        page.lit("\n  </ul>\n</section>\n");
    }
    if p.groups.is_empty() {
        page.lit("\n<p>尚无举措归入此主题。</p>\n");
    }
    page.lit("\n");
    if let Some(pagination) = &p.pagination {
        page.lit("\n<nav class=\"pagination\" aria-label=\"分页\">\n  ");
        if let Some(prev) = &pagination.prev {
            page.lit("<a rel=\"prev\" href=\"");
            page.link(root, prev.url.as_deref().unwrap_or(""));
            page.lit("\">上一页</a>");
        }
        page.lit("\n  <ol>");
        for link in &pagination.pages {
            page.lit("<li>");
            match link.number {
                _ if link.gap => page.lit("<span class=\"gap\">…</span>"),
                Some(number) if number == pagination.current => {
                    page.lit("<span aria-current=\"page\">");
                    page.number(number);
                    page.lit("</span>");
                }
                number => {
                    page.lit("<a href=\"");
                    page.link(root, link.url.as_deref().unwrap_or(""));
                    page.lit("\">");
                    if let Some(number) = number {
                        page.number(number);
                    }
                    page.lit("</a>");
                }
            }
            page.lit("</li>");
        }
        page.lit("</ol>\n  ");
        if let Some(next) = &pagination.next {
            page.lit("<a rel=\"next\" href=\"");
            page.link(root, next.url.as_deref().unwrap_or(""));
            page.lit("\">下一页</a>");
        }
        page.lit("\n</nav>\n");
    }
    page.lit("\n");
    base_foot(page, &p.common);
}
