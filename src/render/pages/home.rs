//! The pages that orient a reader: the home page, and the index pages of the plans
//! (`plans/`), of the indicator comparisons (`concepts/`) and of the implementation mappings
//! (`mappings/`). Their views are typed: the compiler checks what the templates read.

use serde::Serialize;

use super::super::views::{value, Crumb};
use super::super::*;

/// A plan as a compact card: the facts that identify it, and a line naming those the source
/// does not state (instead of a row of 未注明 for each).
#[derive(Serialize)]
pub(in crate::render) struct PlanCard<'a> {
    title: &'a str,
    url: &'a str,
    /// 发文机关, joined with `、`; empty when the source names none.
    issuers: String,
    doc_number: Option<&'a str>,
    date_written: Option<String>,
    date_published: Option<String>,
    period: Option<String>,
    level: &'static str,
    region: &'a str,
    chapters: usize,
    measures: usize,
    indicators: usize,
    /// Labels of the identifying fields the source does not state, in card order.
    not_stated: Vec<&'static str>,
    /// The plan's row of the theme × plan table in brief: its [`CARD_THEMES`] largest themes.
    themes: Vec<ThemeCount<'a>>,
}

/// How many of a plan's themes its card names.
const CARD_THEMES: usize = 3;

impl<'a> PlanCard<'a> {
    pub(in crate::render) fn new(plan: &'a Plan, themes: Vec<ThemeCount<'a>>) -> Self {
        let m = &plan.meta;
        let period = m.period();
        let given = [
            ("发文机关", !m.issuers.is_empty()),
            ("发文字号", m.doc_number.is_some()),
            ("成文日期", m.date_written.is_some()),
            ("发布日期", m.date_published.is_some()),
            ("规划期", period.is_some()),
        ];
        PlanCard {
            title: &m.title,
            url: &plan.url,
            issuers: m.issuers.join("、"),
            doc_number: m.doc_number.as_deref(),
            date_written: m.date_written.map(|d| d.to_string()),
            date_published: m.date_published.map(|d| d.to_string()),
            period,
            level: m.level.label(),
            region: &m.region,
            chapters: plan.chapters.len(),
            measures: plan.measures().count(),
            indicators: plan.all_indicators().count(),
            not_stated: given
                .iter()
                .filter(|(_, g)| !g)
                .map(|(label, _)| *label)
                .collect(),
            themes,
        }
    }
}

/// A policy theme with the number of its measures.
#[derive(Serialize)]
pub(in crate::render) struct ThemeCount<'a> {
    slug: &'a str,
    name: &'a str,
    count: usize,
}

/// The home page: what the site is, the plans, and where to go from here.
#[derive(Serialize)]
struct Home<'a> {
    title: &'a str,
    plans: Vec<PlanCard<'a>>,
    /// The regions of the plans, each once, in plan order.
    regions: Vec<&'a str>,
    measure_count: usize,
    indicator_count: usize,
    extracts_as_of: Option<String>,
    themes: Vec<ThemeCount<'a>>,
    concept_count: usize,
    mapping_count: usize,
    alignment_count: usize,
    unit_count: usize,
    /// The stand-alone pages (the help page among them).
    pages: Vec<PageLink<'a>>,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct PageLink<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
}

/// `plans/`: every plan as a card.
#[derive(Serialize)]
struct PlansIndex<'a> {
    title: &'static str,
    plans: Vec<PlanCard<'a>>,
    crumbs: [Crumb; 1],
}

/// One indicator concept compared across plans.
#[derive(Serialize)]
struct ConceptEntry<'a> {
    name: &'a str,
    url: String,
    unit: &'a str,
    plans: Vec<&'a str>,
    themes: Vec<ThemeCount<'a>>,
}

/// `concepts/`: the indicators compared across plans.
#[derive(Serialize)]
struct ConceptsIndex<'a> {
    title: &'static str,
    concepts: Vec<ConceptEntry<'a>>,
    crumbs: [Crumb; 1],
}

/// One implementation mapping: a plan that implements another.
#[derive(Serialize)]
struct MappingEntry<'a> {
    title: String,
    url: String,
    implementing: Link<'a>,
    implemented: Link<'a>,
    /// Measures of the implemented plan, and how many of them have implementing items.
    tasks: usize,
    tasks_with_items: usize,
    /// Measures of the implementing plan, and how many of them implement a task.
    items: usize,
    items_matched: usize,
}

/// `mappings/`: every implementation mapping.
#[derive(Serialize)]
struct MappingsIndex<'a> {
    title: &'static str,
    mappings: Vec<MappingEntry<'a>>,
    crumbs: [Crumb; 1],
}

impl Renderer<'_> {
    fn cards(&self) -> Vec<PlanCard<'_>> {
        self.site
            .plans
            .iter()
            .enumerate()
            .map(|(p, plan)| PlanCard::new(plan, self.top_themes(p)))
            .collect()
    }

    /// The themes with most measures in plan `p`, largest first (ties in the themes' order).
    fn top_themes(&self, p: usize) -> Vec<ThemeCount<'_>> {
        let mut themes: Vec<ThemeCount<'_>> = self
            .site
            .themes
            .iter()
            .map(|t| ThemeCount {
                slug: &t.slug,
                name: &t.name,
                count: self.analysis.theme_count(&t.slug, p),
            })
            .filter(|t| t.count > 0)
            .collect();
        // A stable sort keeps the themes' own order among equal counts.
        themes.sort_by_key(|t| std::cmp::Reverse(t.count));
        themes.truncate(CARD_THEMES);
        themes
    }

    pub(in crate::render) fn home(&self) -> Value {
        let mut regions: Vec<&str> = Vec::new();
        for p in &self.site.plans {
            if !p.meta.region.is_empty() && !regions.contains(&p.meta.region.as_str()) {
                regions.push(&p.meta.region);
            }
        }
        value(Home {
            title: &self.site.config.title,
            plans: self.cards(),
            regions,
            measure_count: self.analysis.measures.len(),
            indicator_count: self
                .site
                .plans
                .iter()
                .map(|p| p.all_indicators().count())
                .sum(),
            extracts_as_of: self.site.config.extracts_as_of.map(|d| d.to_string()),
            themes: self
                .site
                .themes
                .iter()
                .map(|t| ThemeCount {
                    slug: &t.slug,
                    name: &t.name,
                    count: self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
                })
                .filter(|t| t.count > 0)
                .collect(),
            concept_count: self.site.concepts.len(),
            mapping_count: self.analysis.mappings.len(),
            alignment_count: self.analysis.alignments.pairs.len(),
            unit_count: self.analysis.agencies.len(),
            pages: self
                .site
                .pages
                .iter()
                .map(|p| PageLink {
                    title: &p.title,
                    url: &p.url,
                    description: p.description.as_deref(),
                })
                .collect(),
        })
    }

    pub(in crate::render) fn plans_index(&self) -> Value {
        value(PlansIndex {
            title: "规划",
            plans: self.cards(),
            crumbs: [Crumb {
                title: "规划".into(),
                url: PLANS_URL.into(),
            }],
        })
    }

    pub(in crate::render) fn concepts_index(&self) -> Value {
        let concepts = self
            .site
            .concepts
            .iter()
            .map(|c| ConceptEntry {
                name: &c.name,
                url: crate::model::urls::concept_url(&c.slug),
                unit: &c.unit,
                plans: self
                    .site
                    .plans_with_concept(&c.slug)
                    .map(|p| p.meta.short_title.as_str())
                    .collect(),
                themes: c
                    .themes
                    .iter()
                    .map(|t| ThemeCount {
                        slug: t,
                        name: self.theme_name(t),
                        count: 0,
                    })
                    .collect(),
            })
            .collect();
        value(ConceptsIndex {
            title: "指标对照",
            concepts,
            crumbs: [Crumb {
                title: "指标对照".into(),
                url: CONCEPTS_URL.into(),
            }],
        })
    }

    pub(in crate::render) fn mappings_index(&self) -> Value {
        let link = |p: usize| {
            let plan = &self.site.plans[p];
            Link {
                title: &plan.meta.short_title,
                url: plan.url.clone(),
            }
        };
        let mappings = self
            .analysis
            .mappings
            .iter()
            .map(|m| MappingEntry {
                title: format!(
                    "{}落实对照",
                    self.site.plans[m.implementing].meta.short_title
                ),
                url: mapping_url(self.site, m),
                implementing: link(m.implementing),
                implemented: link(m.implemented),
                tasks: m.tasks.len(),
                tasks_with_items: m
                    .tasks
                    .iter()
                    .filter(|t| m.task_items.get(t).is_some_and(|i| !i.is_empty()))
                    .count(),
                items: self.analysis.plan_measures(m.implementing).len(),
                items_matched: m.item_task.len(),
            })
            .collect();
        value(MappingsIndex {
            title: "落实对照",
            mappings,
            crumbs: [Crumb {
                title: "落实对照".into(),
                url: MAPPINGS_URL.into(),
            }],
        })
    }
}

/// The index pages' URLs.
pub(in crate::render) const PLANS_URL: &str = "plans/";
pub(in crate::render) const CONCEPTS_URL: &str = "concepts/";
pub(in crate::render) const MAPPINGS_URL: &str = "mappings/";
