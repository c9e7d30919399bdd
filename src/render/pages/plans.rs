//! The pages of a plan: plan overview, chapters and sections, stand-alone pages.

use super::super::*;

impl Renderer<'_> {
    pub(in crate::render) fn plan_page(&self, p: usize) -> Value {
        let plan = &self.site.plans[p];
        let root = root_for(&plan.url);
        let mut themes: Vec<(usize, &str)> = self
            .site
            .themes
            .iter()
            .map(|t| (self.analysis.theme_count(&t.slug, p), t.slug.as_str()))
            .filter(|(n, _)| *n > 0)
            .collect();
        themes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let first_page = plan
            .chapters
            .first()
            .map(|c| json!({ "title": c.division.full_title(), "url": c.division.url }));
        json!({
            "title": plan.meta.title,
            "plan": self.plan_view(p),
            "cover": self.cover_view(p),
            "preamble_html": self.html(&plan.preamble, &root, Some(p)),
            "indicator_tables": self.tables[p].iter().map(|(_, html)| html).collect::<Vec<_>>(),
            "themes": themes.iter().map(|(n, slug)| json!({ "slug": slug, "name": self.theme_name(slug), "count": n })).collect::<Vec<_>>(),
            "measure_count": plan.measures().count(),
            "next": first_page,
            "mappings": self.analysis.mappings.iter().filter(|m| m.implementing == p || m.implemented == p).map(|m| json!({
                "url": mapping_url(self.site, m),
                "title": format!("{}落实对照", self.site.plans[m.implementing].meta.short_title),
            })).collect::<Vec<_>>(),
            "alignments": self.plan_alignments(p),
            "crumbs": [{ "title": plan.meta.short_title, "url": plan.url }],
        })
    }

    /// The head of a plan's cover, as a policy library shows a document: the catalogue fields
    /// the source gives (索引号, 主题分类, 发文机关, 成文日期, 发文字号, 发布日期), then the other
    /// fields given, one line naming the fields the source does not state, the official source,
    /// the citation and the editors' notes on the text.
    pub(in crate::render) fn cover_view(&self, p: usize) -> Value {
        let plan = &self.site.plans[p];
        let m = &plan.meta;
        let plan_link = |slug: &String| {
            self.plan_index.get(slug.as_str()).map(|i| {
                let p = &self.site.plans[*i];
                json!({ "title": p.meta.title, "url": p.url })
            })
        };
        let period = m.period();
        let issuers = (!m.issuers.is_empty()).then(|| m.issuers.join("、"));
        let date = |d: Option<crate::model::Date>| {
            d.map(|d| format!("{}年{}月{}日", d.year, d.month, d.day))
        };
        // (label, value, counted as not stated when missing)
        let catalogue: [(&str, Option<String>, bool); 6] = [
            ("索引号", m.index_number.clone(), false),
            ("主题分类", m.subject.clone(), false),
            ("发文机关", issuers, true),
            ("成文日期", date(m.date_written), true),
            ("发文字号", m.doc_number.clone(), true),
            ("发布日期", date(m.date_published), true),
        ];
        let others: [(&str, Option<String>, bool); 4] = [
            ("规划期", period, true),
            (
                "远景目标年",
                m.outlook_year.map(|y| format!("{y}年")),
                false,
            ),
            ("层级", Some(m.level.label().to_string()), false),
            (
                "地区",
                (!m.region.is_empty()).then(|| m.region.clone()),
                false,
            ),
        ];
        let given = |rows: &[(&str, Option<String>, bool)]| {
            rows.iter()
                .filter_map(|(label, v, _)| {
                    v.as_ref().map(|v| json!({ "label": label, "value": v }))
                })
                .collect::<Vec<_>>()
        };
        let not_stated: Vec<&str> = catalogue
            .iter()
            .chain(&others)
            .filter(|(_, v, counted)| *counted && v.is_none())
            .map(|(label, _, _)| *label)
            .collect();
        json!({
            "catalogue": given(&catalogue),
            "others": given(&others),
            "not_stated": not_stated,
            "implements": m.implements.iter().filter_map(plan_link).collect::<Vec<_>>(),
            "parent": m.parent.iter().filter_map(plan_link).collect::<Vec<_>>(),
            "source_url": m.source_url,
            "notes": m.notes,
            "cite": crate::model::cite::plan(m),
            "meta_tags": crate::model::cite::meta_tags(m).into_iter().map(|(name, content)| json!({ "name": name, "content": content })).collect::<Vec<_>>(),
        })
    }

    pub(in crate::render) fn standalone_page(&self, i: usize) -> Value {
        let page = &self.site.pages[i];
        json!({
            "title": page.title,
            "description": page.description,
            "body_html": self.html(&page.body, &root_for(&page.url), None),
            "crumbs": [{ "title": page.title, "url": page.url }],
        })
    }
}
