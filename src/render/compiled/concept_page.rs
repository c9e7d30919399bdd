//! An indicator concept's page, as `concept.html` renders it in `base.html`, and the comparison
//! table it shares with theme pages, as `partials/concept_table.html` renders it.

use super::super::pages::indicators::{ConceptPage, ConceptRow};
use super::super::views::ObservationView;
use super::{base_foot, base_head, tag, Head, Page};

/// Writes `p` as `concept.html` renders it.
pub(in crate::render) fn concept(p: &ConceptPage, out: &mut Vec<u8>) {
    Page::full(out, |page| concept_page(page, p));
}

/// [`concept`] minified as the minifier would; false if the page is to be written in full and
/// minified instead (`Compact`).
pub(in crate::render) fn concept_compact(p: &ConceptPage, out: &mut Vec<u8>) -> bool {
    Page::compact(out, |page| concept_page(page, p))
}

fn concept_page(page: &mut Page, p: &ConceptPage) {
    let root = p.common.root.as_str();
    let head = Head::planless(&p.common, p.title, &p.crumbs);
    // base.html's own description block.
    base_head(page, &head, |page| page.put(p.common.site.description));
    // No layout_class, no aside.
    page.lit("\">\n");
    page.lit("\n<main id=\"main\">\n");
    // concept.html, block content
    let concept = p.concept;
    page.lit("\n<h1>");
    page.put(&concept.name);
    page.lit("</h1>\n<p class=\"lead\">各规划中的“");
    page.put(&concept.name);
    page.lit("”指标对照。数值按原文列出，并统一换算为");
    page.put(&concept.unit);
    page.lit("比较；年均增速按基期值和目标值推算（比重类指标列出百分点变化）。文字目标和【】五年累计值照原文列出，不作换算。</p>\n");
    if !p.themes.is_empty() {
        page.lit("<p><span class=\"label\">主题</span>");
        for t in &p.themes {
            tag(page, root, t.slug, t.name);
        }
        page.lit("</p>");
    }
    page.lit("\n");
    concept_table(page, root, &concept.unit, &p.rows);
    page.lit("\n");
    base_foot(page, &p.common);
}

/// partials/concept_table.html, with `concept.unit` = `unit` and `rows` set as its includer
/// sets them.
pub(super) fn concept_table(page: &mut Page, root: &str, unit: &str, rows: &[ConceptRow]) {
    page.lit("<div class=\"table-scroll\" tabindex=\"0\">\n<table class=\"concept\">\n<thead><tr>\n  <th scope=\"col\">规划</th><th scope=\"col\">指标（原文）</th><th scope=\"col\">基期</th><th scope=\"col\">目标</th>\n  <th scope=\"col\">基期（");
    page.put(unit);
    page.lit("）</th><th scope=\"col\">目标（");
    page.put(unit);
    page.lit("）</th><th scope=\"col\">隐含年均增速</th><th scope=\"col\">图示（");
    page.put(unit);
    page.lit("，同一比例）</th>\n</tr></thead>\n<tbody>\n");
    for r in rows {
        page.lit("\n<tr>\n  <th scope=\"row\">");
        page.anchor(root, r.plan.url, r.plan.short_title);
        page.lit("</th>\n  <td class=\"name\">");
        page.anchor(root, &r.url, r.name);
        if !r.unit.is_empty() {
            page.lit("（");
            page.put(r.unit);
            page.lit("）");
        }
        page.lit("</td>\n  <td class=\"value baseline\" data-label=\"基期\">");
        if r.baseline.absent {
            page.lit("<span class=\"visually-hidden\">规划未给出基期值</span>");
        } else {
            given_or_dash(page, &r.baseline);
        }
        year(page, &r.baseline);
        page.lit("</td>\n  <td class=\"value target\" data-label=\"目标\">");
        given_or_dash(page, &r.target);
        year(page, &r.target);
        page.lit("</td>\n  <td class=\"value in-unit\" data-label=\"基期（");
        page.put(unit);
        page.lit("）\">");
        // `| default(value="—")`, which Tera applies to a null value too.
        page.put(r.baseline_in_unit.as_deref().unwrap_or("—"));
        page.lit("</td>\n  <td class=\"value in-unit\" data-label=\"目标（");
        page.put(unit);
        page.lit("）\">");
        page.put(r.target_in_unit.as_deref().unwrap_or("—"));
        page.lit("</td>\n  <td class=\"value growth\" data-label=\"隐含年均增速\">");
        match &r.growth {
            Some(g) => page.put(&g.text),
            None => page.lit("—"),
        }
        page.lit("</td>\n  <td class=\"chart-cell\">");
        page.safe(&r.chart);
        page.lit("</td>\n</tr>\n");
    }
    page.lit("\n</tbody>\n</table>\n</div>\n");
}

/// `{% if o.given %}{{ o.raw }}{% else %}—{% endif %}`.
fn given_or_dash(page: &mut Page, o: &ObservationView) {
    match o.raw.filter(|_| o.given) {
        Some(raw) => page.put(raw),
        None => page.lit("—"),
    }
}

/// `{% if o.year %}<span class="year">（{{ o.year }}年）</span>{% endif %}`.
fn year(page: &mut Page, o: &ObservationView) {
    if let Some(y) = o.year.filter(|y| *y != 0) {
        page.lit("<span class=\"year\">（");
        page.number(usize::from(y));
        page.lit("年）</span>");
    }
}
