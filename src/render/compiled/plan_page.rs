//! A plan's cover, as `plan.html` renders it in `base.html`, with `partials/cover_head.html`,
//! `partials/toc.html` and `partials/cite.html`.

use super::super::pages::plans::PlanPage;
use super::{base_foot, base_head_with, cite, toc, Head, Page};

/// Writes `p` as `plan.html` renders it.
pub(in crate::render) fn plan(p: &PlanPage, out: &mut Vec<u8>) {
    Page::full(out, |page| plan_page(page, p));
}

/// [`plan`] minified as the minifier would; false if the page is to be written in full and
/// minified instead (`Compact`).
pub(in crate::render) fn plan_compact(p: &PlanPage, out: &mut Vec<u8>) -> bool {
    Page::compact(out, |page| plan_page(page, p))
}

fn plan_page(page: &mut Page, p: &PlanPage) {
    let root = p.common.root.as_str();
    let head = Head {
        plan_title: Some(p.plan.title).filter(|t| !t.is_empty()),
        ..Head::planless(&p.common, p.title, &p.crumbs)
    };
    base_head_with(
        page,
        &head,
        // plan.html, block description
        |page| page.put(p.plan.title),
        // plan.html, block head
        |page| {
            for t in &p.cover.meta_tags {
                page.lit("<meta name=\"");
                page.put(t.name);
                page.lit("\" content=\"");
                page.put(&t.content);
                page.lit("\">");
            }
        },
    );
    // plan.html, block layout_class
    page.lit(" with-aside");
    page.lit("\">\n");
    // plan.html, block aside
    page.lit("<aside class=\"sidebar\">");
    toc(page, &p.common, &p.plan);
    page.lit("</aside>");
    page.lit("\n<main id=\"main\">\n");
    // plan.html, block content
    page.lit("\n<header class=\"plan-cover\">\n  <h1>");
    page.put(p.plan.title);
    page.lit("</h1>\n  ");
    cover_head(page, p);
    page.lit("\n  ");
    if !p.themes.is_empty() {
        page.lit("<p class=\"plan-themes\"><span class=\"label\">主题</span>");
        for t in &p.themes {
            page.lit("<a class=\"tag\" href=\"");
            page.put(root);
            page.lit("themes/");
            page.put(t.slug);
            page.lit("/\">");
            page.put(t.name);
            page.lit(" <span class=\"count\">");
            page.number(t.count);
            page.lit("</span></a>");
        }
        page.lit("</p>");
    }
    page.lit("\n  <p class=\"counts\">");
    page.number(p.plan.toc.len());
    page.lit(" 章 · ");
    page.number(p.measure_count);
    page.lit(" 项举措 ·\n    开放数据：<a href=\"");
    page.put(root);
    page.lit("data/plans.json\">规划</a>、<a href=\"");
    page.put(root);
    page.lit("data/measures.json\">举措</a>、<a href=\"");
    page.put(root);
    page.lit("data/indicators.json\">指标</a>（JSON）</p>\n</header>\n");
    if !p.mappings.is_empty() {
        page.lit("<p class=\"mappings\">");
        page.joined(&p.mappings, " · ", |page, m| {
            page.anchor(root, &m.url, &m.title);
        });
        page.lit("</p>");
    }
    page.lit("\n");
    if !p.alignments.is_empty() {
        page.lit("<p class=\"mappings\"><span class=\"label\">承接对照</span>");
        page.joined(&p.alignments, " · ", |page, a| {
            page.anchor(root, &a.url, &a.title);
        });
        page.lit("</p>");
    }
    page.lit("\n");
    if !p.preamble_html.is_empty() {
        page.lit("<section class=\"preamble\">");
        page.safe(&p.preamble_html);
        page.lit("</section>");
    }
    page.lit("\n<section class=\"contents\">\n  <h2>目录</h2>\n  <ol class=\"toc-full\">\n  ");
    for ch in &p.plan.toc {
        page.lit("\n    <li>");
        page.anchor(root, ch.url, &ch.title);
        page.lit("\n    ");
        let sections = ch.sections.as_deref().unwrap_or_default();
        if !sections.is_empty() {
            page.lit("<ol>");
            for s in sections {
                page.lit("<li>");
                page.anchor(root, s.url, &s.title);
                if let Some(n) = s.measures.filter(|n| *n > 0) {
                    page.lit(" <span class=\"count\">");
                    page.number(n);
                    page.lit(" 项举措</span>");
                }
                page.lit("</li>");
            }
            page.lit("</ol>");
        }
        page.lit("\n    </li>\n  ");
    }
    page.lit("\n  </ol>\n</section>\n");
    if let Some(notes) = p.cover.notes.filter(|n| !n.is_empty()) {
        page.lit("<section class=\"about-text\"><h2>关于本文本</h2><details><summary>本站如何转写这份文件</summary><p>");
        page.put(notes);
        page.lit("</p></details></section>");
    }
    page.lit("\n");
    if !p.indicator_tables.is_empty() {
        page.lit("<section class=\"plan-indicators\">");
        // The heading and the tables as one piece of content HTML, the section's whole
        // content: the same bytes, and what the minified writing takes whole (`Compact`).
        let mut content = String::from("<h2>指标</h2>");
        content.extend(p.indicator_tables.iter().map(String::as_str));
        page.safe(&content);
        page.lit("</section>");
    }
    page.lit("\n");
    if let Some(next) = &p.next {
        page.lit("<nav class=\"pager\" aria-label=\"翻页\"><a class=\"next\" rel=\"next\" href=\"");
        page.link(root, next.url);
        page.lit("\">开始阅读：");
        page.put(&next.title);
        page.lit(" →</a></nav>");
    }
    page.lit("\n");
    base_foot(page, &p.common);
}

/// partials/cover_head.html.
fn cover_head(page: &mut Page, p: &PlanPage) {
    let (root, cover) = (p.common.root.as_str(), &p.cover);
    page.lit("<div class=\"doc-head\">\n  ");
    if !cover.catalogue.is_empty() {
        page.lit("<dl class=\"doc-info\">\n  ");
        for row in &cover.catalogue {
            page.lit("<div><dt>");
            page.put(row.label);
            page.lit("</dt><dd>");
            page.put(&row.value);
            page.lit("</dd></div>");
        }
        page.lit("\n  </dl>");
    }
    page.lit("\n  <p class=\"doc-more\">");
    for row in &cover.others {
        page.lit("<span><span class=\"label\">");
        page.put(row.label);
        page.lit("</span>");
        page.put(&row.value);
        page.lit("</span>");
    }
    if !cover.implements.is_empty() {
        page.lit("<span><span class=\"label\">实施</span>");
        page.joined(&cover.implements, "、", |page, l| {
            page.anchor(root, l.url, &l.title);
        });
        page.lit("</span>");
    }
    if !cover.parent.is_empty() {
        page.lit("<span><span class=\"label\">上位规划</span>");
        for l in &cover.parent {
            page.anchor(root, l.url, &l.title);
        }
        page.lit("</span>");
    }
    page.lit("</p>\n  ");
    if !cover.not_stated.is_empty() {
        page.lit("<p class=\"not-stated\">所据文本未注明");
        page.joined(&cover.not_stated, "、", |page, label| page.put(label));
        page.lit("。</p>");
    }
    page.lit("\n  <p class=\"doc-actions\">");
    if let Some(url) = cover.source_url.filter(|u| !u.is_empty()) {
        page.lit("<a class=\"source-link\" href=\"");
        page.put(url);
        page.lit("\" rel=\"noopener\">官方发布原文</a>");
    }
    page.lit("\n  ");
    cite(page, &cover.cite, p.plan.url, "引用本规划");
    page.lit("</p>\n</div>\n");
}
