//! The pages of a plan: plan overview, chapters and sections, stand-alone pages.

use std::borrow::Cow;

use serde::Serialize;

use super::super::views::{value, Common, Crumb, Link, PlanView};
use super::super::*;
use super::alignments::PairView;

/// A stand-alone page: what `page.html` reads.
#[derive(Serialize)]
struct StandalonePage<'a> {
    title: &'a str,
    description: Option<&'a str>,
    body_html: String,
    crumbs: [Crumb; 1],
}

impl<'a> Renderer<'a> {
    /// Plan `p`'s cover, with `common` the keys every page has.
    pub(in crate::render) fn plan_page(&self, p: usize, common: Common<'a>) -> PlanPage<'a> {
        let plan = &self.site.plans[p];
        let mut themes: Vec<(usize, &str)> = self
            .site
            .themes
            .iter()
            .map(|t| (self.analysis.theme_count(&t.slug, p), t.slug.as_str()))
            .filter(|(n, _)| *n > 0)
            .collect();
        themes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let next = plan.chapters.first().map(|c| Link {
            title: Cow::Owned(c.division.full_title()),
            url: &c.division.url,
        });
        PlanPage {
            title: &plan.meta.title,
            plan: self.plan_view_typed(p, None),
            cover: self.cover_view(p),
            preamble_html: self.html(&plan.preamble, &common.root, Some(p)),
            // Copied: the tables belong to the renderer, the page to the site.
            indicator_tables: self.tables[p]
                .iter()
                .map(|(_, html)| html.clone())
                .collect(),
            themes: themes
                .iter()
                .map(|(count, slug)| ThemeCount {
                    slug,
                    name: self.theme_name(slug),
                    count: *count,
                })
                .collect(),
            measure_count: plan.measures().count(),
            next,
            mappings: self
                .analysis
                .mappings
                .iter()
                .filter(|m| m.implementing == p || m.implemented == p)
                .map(|m| MappingLink {
                    url: mapping_url(self.site, m),
                    title: format!(
                        "{}落实对照",
                        self.site.plans[m.implementing].meta.short_title
                    ),
                })
                .collect(),
            alignments: self.plan_alignments(p),
            crumbs: vec![Crumb {
                title: plan.meta.short_title.clone(),
                url: plan.url.clone(),
            }],
            common,
        }
    }

    /// The head of a plan's cover, as a policy library shows a document: the catalogue fields
    /// the source gives (索引号, 主题分类, 发文机关, 成文日期, 发文字号, 发布日期), then the other
    /// fields given, one line naming the fields the source does not state, the official source,
    /// the citation and the editors' notes on the text.
    fn cover_view(&self, p: usize) -> CoverView<'a> {
        let plan = &self.site.plans[p];
        let m = &plan.meta;
        let plan_link = |slug: &String| {
            self.plan_index.get(slug.as_str()).map(|i| {
                let p = &self.site.plans[*i];
                Link {
                    title: Cow::Borrowed(p.meta.title.as_str()),
                    url: p.url.as_str(),
                }
            })
        };
        let period = m.period();
        let issuers = (!m.issuers.is_empty()).then(|| m.issuers.join("、"));
        let date = |d: Option<crate::model::Date>| {
            d.map(|d| format!("{}年{}月{}日", d.year, d.month, d.day))
        };
        // (label, value, counted as not stated when missing)
        let catalogue: [(&'static str, Option<String>, bool); 6] = [
            ("索引号", m.index_number.clone(), false),
            ("主题分类", m.subject.clone(), false),
            ("发文机关", issuers, true),
            ("成文日期", date(m.date_written), true),
            ("发文字号", m.doc_number.clone(), true),
            ("发布日期", date(m.date_published), true),
        ];
        let others: [(&'static str, Option<String>, bool); 4] = [
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
        let not_stated: Vec<&'static str> = catalogue
            .iter()
            .chain(&others)
            .filter(|(_, v, counted)| *counted && v.is_none())
            .map(|(label, _, _)| *label)
            .collect();
        // The fields given, in order.
        fn given<const N: usize>(rows: [(&'static str, Option<String>, bool); N]) -> Vec<Row> {
            rows.into_iter()
                .filter_map(|(label, value, _)| value.map(|value| Row { label, value }))
                .collect()
        }
        CoverView {
            catalogue: given(catalogue),
            others: given(others),
            not_stated,
            implements: m.implements.iter().filter_map(plan_link).collect(),
            parent: m.parent.iter().filter_map(plan_link).collect(),
            source_url: m.source_url.as_deref(),
            notes: m.notes.as_deref(),
            cite: crate::model::cite::plan(m),
            meta_tags: crate::model::cite::meta_tags(m)
                .into_iter()
                .map(|(name, content)| MetaTag { name, content })
                .collect(),
        }
    }

    /// A stand-alone page (`content/pages/`): its title, description and body.
    pub(in crate::render) fn standalone_page(&self, i: usize) -> Value {
        let page = &self.site.pages[i];
        value(StandalonePage {
            title: &page.title,
            description: page.description.as_deref(),
            body_html: self.html(&page.body, &root_for(&page.url), None),
            crumbs: [Crumb {
                title: page.title.clone(),
                url: page.url.clone(),
            }],
        })
    }
}

/// A plan's cover: what `plan.html` reads. Typed, so that
/// [`compiled::plan`](crate::render::compiled) reads it directly; a theme with its own
/// `plan.html` gets it serialized, with the keys it had as a JSON tree.
#[derive(Serialize)]
pub(in crate::render) struct PlanPage<'a> {
    pub title: &'a str,
    pub plan: PlanView<'a>,
    pub cover: CoverView<'a>,
    pub preamble_html: String,
    pub indicator_tables: Vec<String>,
    pub themes: Vec<ThemeCount<'a>>,
    pub measure_count: usize,
    /// The plan's first chapter, where reading starts.
    pub next: Option<Link<'a>>,
    pub mappings: Vec<MappingLink>,
    pub alignments: Vec<PairView<'a>>,
    pub crumbs: Vec<Crumb>,
    /// What every page's context holds (`Renderer::page`).
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// The head of a plan's cover (`partials/cover_head.html`) and its `<meta>` tags.
#[derive(Serialize)]
pub(in crate::render) struct CoverView<'a> {
    pub catalogue: Vec<Row>,
    pub others: Vec<Row>,
    /// The labels of the fields the source does not state.
    pub not_stated: Vec<&'static str>,
    pub implements: Vec<Link<'a>>,
    pub parent: Vec<Link<'a>>,
    pub source_url: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub cite: String,
    pub meta_tags: Vec<MetaTag>,
}

/// A field of a plan's catalogue.
#[derive(Serialize)]
pub(in crate::render) struct Row {
    pub label: &'static str,
    pub value: String,
}

/// A `<meta name content>` tag of a plan's cover (citation metadata).
#[derive(Serialize)]
pub(in crate::render) struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

/// A theme of the plan with how many of its measures have it.
#[derive(Serialize)]
pub(in crate::render) struct ThemeCount<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub count: usize,
}

/// A link to one of the plan's implementation mappings.
#[derive(Serialize)]
pub(in crate::render) struct MappingLink {
    pub url: String,
    pub title: String,
}
