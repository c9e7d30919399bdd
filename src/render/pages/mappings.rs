//! The mapping pages: an implementing plan next to the plan it implements.

use super::super::*;

/// Where the page of a mapping goes: `mappings/<implementing plan>/`.
pub(in crate::render) fn mapping_url(
    site: &Site,
    mapping: &crate::analyse::mapping::Mapping,
) -> String {
    crate::model::urls::mapping_url(&site.plans[mapping.implementing].slug)
}

impl Renderer<'_> {
    pub(in crate::render) fn mapping_page(&self, k: usize) -> Value {
        let mapping = &self.analysis.mappings[k];
        let implementing = &self.site.plans[mapping.implementing];
        let implemented = &self.site.plans[mapping.implemented];
        let rows: Vec<Value> = mapping
            .tasks
            .iter()
            .map(|t| {
                let items: Vec<Value> = mapping
                    .task_items
                    .get(t)
                    .map(|items| {
                        items
                            .iter()
                            .map(|i| {
                                let mut link = self.measure_link(*i);
                                let basis = mapping.item_task.get(i).map(|(_, b)| *b);
                                link["basis"] = json!(match basis {
                                    Some(crate::analyse::mapping::Basis::Override) => "编辑指定",
                                    _ => "标题对应",
                                });
                                link
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
                json!({ "task": self.measure_link(*t), "location": location, "items": items })
            })
            .collect();
        let unmatched: Vec<Value> = self
            .analysis
            .plan_measures(mapping.implementing)
            .filter(|i| !mapping.item_task.contains_key(i))
            .map(|i| self.measure_link(i))
            .collect();
        let title = format!("{}落实对照", implementing.meta.short_title);
        json!({
            "title": title,
            "implementing": { "title": implementing.meta.title, "short_title": implementing.meta.short_title, "url": implementing.url },
            "implemented": { "title": implemented.meta.title, "short_title": implemented.meta.short_title, "url": implemented.url },
            "rows": rows,
            "tasks_without_items": rows.iter().filter(|r| r["items"].as_array().is_some_and(|a| a.is_empty())).count(),
            "unmatched": unmatched,
            "crumbs": [{ "title": implementing.meta.short_title, "url": implementing.url }, { "title": title, "url": mapping_url(self.site, mapping) }],
        })
    }
}
