//! The JSON views the templates read, shared by all kinds of page: the site, a plan, a
//! measure, the table of contents.

use super::*;

/// What every view of a plan shows.
pub(in crate::render) fn plan_basics(plan: &Plan) -> Value {
    json!({
        "slug": plan.slug,
        "url": plan.url,
        "title": plan.meta.title,
        "short_title": plan.meta.short_title,
    })
}

/// A baseline for the templates: `absent` where the source gives none (shown as an empty cell,
/// unlike a baseline the source prints as `—`).
pub(in crate::render) fn baseline_view(o: Option<&Observation>) -> Value {
    match o {
        Some(o) => observation_view(o),
        None => json!({
            "year": null, "raw": null, "value": null, "text": null, "qualifier": null,
            "cumulative": false, "given": false, "absent": true,
        }),
    }
}

pub(in crate::render) fn observation_view(o: &Observation) -> Value {
    json!({
        "year": o.year,
        "raw": o.value.raw,
        "value": o.value.value,
        "text": o.value.text,
        "qualifier": o.value.qualifier,
        "cumulative": o.value.cumulative,
        "given": !o.value.is_not_given(),
        "absent": false,
    })
}

impl Renderer<'_> {
    pub(in crate::render) fn site_view(&self) -> Value {
        let c = &self.site.config;
        json!({
            "title": c.title,
            "description": c.description,
            "language": c.language,
            "base_url": c.base_url,
            "pages": self.site.pages.iter().map(|p| json!({ "title": p.title, "url": p.url })).collect::<Vec<_>>(),
        })
    }

    pub(in crate::render) fn html(&self, md: &Markdown, root: &str, plan: Option<usize>) -> String {
        let resolve = |path: &str, anchor: Option<&str>| self.links.resolve(path, anchor).ok();
        let ctx = HtmlContext {
            root,
            resolve: &resolve,
            indicators: plan.map_or(&[], |p| self.tables[p].as_slice()),
        };
        markdown::to_html(&md.source, &ctx)
    }

    /// An interlude's HTML, its level-4 sub-heading shown as the page's second level.
    pub(in crate::render) fn interlude_html(
        &self,
        md: &Markdown,
        root: &str,
        plan: usize,
    ) -> String {
        self.html(md, root, Some(plan))
            .replace("<h4", "<h2")
            .replace("</h4>", "</h2>")
    }

    pub(in crate::render) fn theme_name(&self, slug: &str) -> String {
        self.theme_names
            .get(slug)
            .copied()
            .unwrap_or(slug)
            .to_string()
    }

    pub(in crate::render) fn measure_view(&self, m: &Measure, root: &str, plan: usize) -> Value {
        let (taken_up_by, takes_up) = self
            .analysis
            .by_id
            .get(&m.id)
            .map(|i| self.alignment_links(*i))
            .unwrap_or_default();
        let mut view = json!({
            "id": m.id,
            "heading": m.heading,
            "title": m.title,
            "body_html": self.html(&m.body, root, Some(plan)),
            "taken_up_by": taken_up_by,
            "takes_up": takes_up,
        });
        // Views built here are moved in: `json!` would copy each one, value by value.
        view["themes"] = Value::Array(
            m.themes
                .iter()
                .map(|t| json!({ "slug": t, "name": self.theme_name(t) }))
                .collect(),
        );
        view["units"] = Value::Array(self.unit_groups(&m.units));
        view["related"] = Value::Array(self.related_view(m));
        let index = self.analysis.by_id.get(&m.id);
        view["implements"] = index
            .and_then(|i| self.analysis.implements.get(i))
            .map_or(Value::Null, |t| self.measure_link(*t));
        view["implemented_by"] = index
            .and_then(|i| self.analysis.implemented_by.get(i))
            .map_or(Value::Null, |items| {
                Value::Array(items.iter().map(|i| self.measure_link(*i)).collect())
            });
        view
    }

    /// A short link to the measure at `index`.
    pub(in crate::render) fn measure_link(&self, index: usize) -> Value {
        let entry = &self.analysis.measures[index];
        let m = self.analysis.measure(self.site, entry);
        json!({
            "id": m.id,
            "title": m.title,
            "heading": if m.heading.is_empty() { m.title.clone() } else { m.heading.clone() },
            "url": entry.url,
            "plan": self.site.plans[entry.plan].meta.short_title,
        })
    }

    /// Responsible units grouped by side, in the order given (`重庆：A、B；四川：C`), each linked
    /// to its unit page.
    pub(in crate::render) fn unit_groups(
        &self,
        units: &[crate::model::ResponsibleUnit],
    ) -> Vec<Value> {
        units
            .chunk_by(|a, b| a.side == b.side)
            .map(|run| {
                let names: Vec<Value> = run
                    .iter()
                    .map(|u| {
                        let canonical = crate::analyse::responsible_units::canonical(
                            &u.name,
                            u.side.as_deref(),
                            &self.unit_aliases,
                        );
                        json!({ "name": u.name, "key": self.agency_keys.get(&canonical) })
                    })
                    .collect();
                let mut group = json!({ "side": run[0].side });
                group["names"] = Value::Array(names);
                group
            })
            .collect()
    }

    /// The related measures of `m`, as shown under it.
    pub(in crate::render) fn related_view(&self, m: &Measure) -> Vec<Value> {
        let Some(i) = self.analysis.by_id.get(&m.id) else {
            return Vec::new();
        };
        self.analysis.related[*i]
            .iter()
            .map(|r| {
                let entry = &self.analysis.measures[r.index];
                let other = self.analysis.measure(self.site, entry);
                json!({
                    "id": r.id,
                    "title": other.title,
                    "url": entry.url,
                    "plan": self.site.plans[entry.plan].meta.short_title,
                    "reason": r.reason,
                    "score": r.score,
                })
            })
            .collect()
    }

    pub(in crate::render) fn theme_summaries(&self) -> Vec<Value> {
        self.site
            .themes
            .iter()
            .map(|t| {
                json!({
                    "slug": t.slug,
                    "name": t.name,
                    "definition": t.definition,
                    "count": self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
                })
            })
            .collect()
    }

    /// A plan's table of contents. On the plan's cover (`here` is `None`), and on every page of
    /// a plan with at most [`TOC_FULL`] chapters and sections, it lists them all. Otherwise a
    /// page lists the chapters and the sections of its own chapter within [`TOC_WINDOW`] of
    /// its own, with a gap entry linking to the complete list (the cover for chapters, the
    /// chapter page for sections), so that no page grows with the size of the plan.
    pub(in crate::render) fn toc(
        &self,
        plan: &Plan,
        here: Option<(usize, Option<usize>)>,
    ) -> Vec<Value> {
        let section = |s: &crate::model::Section| {
            json!({
                "title": s.division.full_title(),
                "url": s.division.url,
                "measures": s.division.measures.len(),
            })
        };
        let entries: usize = plan.chapters.iter().map(|c| 1 + c.sections.len()).sum();
        let Some((here_c, here_s)) = here.filter(|_| entries > TOC_FULL) else {
            return plan
                .chapters
                .iter()
                .map(|c| {
                    let mut entry = json!({
                        "title": c.division.full_title(),
                        "url": c.division.url,
                        "measures": c.division.measures.len(),
                    });
                    entry["sections"] = Value::Array(c.sections.iter().map(section).collect());
                    entry
                })
                .collect();
        };
        let gap = |title: String, url: &str| json!({ "gap": true, "title": title, "url": url });
        let chapters = window(plan.chapters.len(), here_c);
        let mut toc = Vec::new();
        if chapters.start > 0 {
            toc.push(gap(format!("… 全部 {} 章", plan.chapters.len()), &plan.url));
        }
        for c in chapters.clone() {
            let chapter = &plan.chapters[c];
            let mut sections = Vec::new();
            if c == here_c {
                let shown = window(chapter.sections.len(), here_s.unwrap_or(0));
                let all = || {
                    gap(
                        format!("… 本章共 {} 节", chapter.sections.len()),
                        &chapter.division.url,
                    )
                };
                if shown.start > 0 {
                    sections.push(all());
                }
                sections.extend(chapter.sections[shown.clone()].iter().map(section));
                if shown.end < chapter.sections.len() {
                    sections.push(all());
                }
            }
            let mut entry = json!({
                "title": chapter.division.full_title(),
                "url": chapter.division.url,
                "measures": chapter.division.measures.len(),
            });
            entry["sections"] = Value::Array(sections);
            toc.push(entry);
        }
        if chapters.end < plan.chapters.len() {
            toc.push(gap(format!("… 全部 {} 章", plan.chapters.len()), &plan.url));
        }
        toc
    }

    /// A plan as its pages show it, with the table of contents as seen from `here`.
    pub(in crate::render) fn plan_view_at(
        &self,
        p: usize,
        here: Option<(usize, Option<usize>)>,
    ) -> Value {
        let plan = &self.site.plans[p];
        let mut view = plan_basics(plan);
        view["toc"] = Value::Array(self.toc(plan, here));
        view
    }

    pub(in crate::render) fn plan_view(&self, p: usize) -> Value {
        self.plan_view_at(p, None)
    }
}
