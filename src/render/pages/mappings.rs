//! The mapping pages: an implementing plan next to the plan it implements.

use serde::Serialize;

use super::super::views::{value, Crumb, MeasureLink};
use super::super::*;
use super::indicators::PlanTitles;

/// Where the page of a mapping goes: `mappings/<implementing plan>/`.
pub(in crate::render) fn mapping_url(
    site: &Site,
    mapping: &crate::analyse::mapping::Mapping,
) -> String {
    crate::model::urls::mapping_url(&site.plans[mapping.implementing].slug)
}

/// A mapping's page: what `mapping.html` reads.
#[derive(Serialize)]
struct MappingPage<'a> {
    title: String,
    implementing: PlanTitles<'a>,
    implemented: PlanTitles<'a>,
    rows: Vec<MappingRow<'a>>,
    tasks_without_items: usize,
    /// The implementing plan's measures that take up no task.
    unmatched: Vec<MeasureLink<'a>>,
    crumbs: [Crumb; 2],
}

/// A task of the implemented plan, where it stands, and the items that take it up.
#[derive(Serialize)]
struct MappingRow<'a> {
    task: MeasureLink<'a>,
    location: String,
    items: Vec<MappingItem<'a>>,
}

/// An item of the implementing plan, with why it is matched to its task.
#[derive(Serialize)]
struct MappingItem<'a> {
    #[serde(flatten)]
    link: MeasureLink<'a>,
    basis: &'static str,
}

impl<'a> Renderer<'a> {
    /// The page of mapping `k`: each task of the implemented plan with the items that take it
    /// up, then the items that take up none.
    pub(in crate::render) fn mapping_page(&self, k: usize) -> Value {
        let mapping = &self.analysis.mappings[k];
        let implementing = &self.site.plans[mapping.implementing];
        let implemented = &self.site.plans[mapping.implemented];
        let rows: Vec<MappingRow> = mapping
            .tasks
            .iter()
            .map(|t| {
                let items = mapping
                    .task_items
                    .get(t)
                    .map(|items| {
                        items
                            .iter()
                            .map(|i| MappingItem {
                                link: self.measure_link_view(*i),
                                basis: match mapping.item_task.get(i).map(|(_, b)| *b) {
                                    Some(crate::analyse::mapping::Basis::Override) => "编辑指定",
                                    _ => "标题对应",
                                },
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let entry = &self.analysis.measures[*t];
                let chapter = &implemented.chapters[entry.chapter];
                let location = match entry.section {
                    Some(s) => chapter.sections[s].division.full_title(),
                    None => chapter.division.full_title(),
                };
                MappingRow {
                    task: self.measure_link_view(*t),
                    location,
                    items,
                }
            })
            .collect();
        let unmatched = self
            .analysis
            .plan_measures(mapping.implementing)
            .filter(|i| !mapping.item_task.contains_key(i))
            .map(|i| self.measure_link_view(i))
            .collect();
        let title = format!("{}落实对照", implementing.meta.short_title);
        let titles = |p: &'a crate::model::Plan| PlanTitles {
            short_title: &p.meta.short_title,
            title: &p.meta.title,
            url: &p.url,
        };
        let crumbs = [
            Crumb {
                title: implementing.meta.short_title.clone(),
                url: implementing.url.clone(),
            },
            Crumb {
                title: title.clone(),
                url: mapping_url(self.site, mapping),
            },
        ];
        value(MappingPage {
            title,
            implementing: titles(implementing),
            implemented: titles(implemented),
            tasks_without_items: rows.iter().filter(|r| r.items.is_empty()).count(),
            rows,
            unmatched,
            crumbs,
        })
    }
}
