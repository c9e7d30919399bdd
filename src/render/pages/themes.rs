//! The policy-theme pages: the list with its density table, and one paged page per theme.

use super::super::*;

/// Shading step (0–5) of a matrix cell by the share of the plan's measures it holds.
pub(in crate::render) fn density_level(count: usize, share: f64) -> u8 {
    match (count, share) {
        (0, _) => 0,
        (_, s) if s < 0.05 => 1,
        (_, s) if s < 0.10 => 2,
        (_, s) if s < 0.20 => 3,
        (_, s) if s < 0.30 => 4,
        _ => 5,
    }
}

impl Renderer<'_> {
    pub(in crate::render) fn themes_page(&self) -> Value {
        let plan_sizes: Vec<usize> = self
            .site
            .plans
            .iter()
            .map(|p| p.measures().count())
            .collect();
        let matrix: Vec<Value> = self
            .site
            .themes
            .iter()
            .map(|t| {
                // The theme page (of its paginated list) where each plan's measures begin.
                let size = self.site.config.theme_page_size;
                let mut starts: HashMap<usize, String> = HashMap::new();
                for (k, i) in self.analysis.by_theme.get(&t.slug).into_iter().flatten().enumerate() {
                    starts
                        .entry(self.analysis.measures[*i].plan)
                        .or_insert_with(|| theme_page_url(&t.slug, k / size + 1));
                }
                let cells: Vec<Value> = self
                    .site
                    .plans
                    .iter()
                    .enumerate()
                    .map(|(p, plan)| {
                        let count = self.analysis.theme_count(&t.slug, p);
                        let share = if plan_sizes[p] == 0 { 0.0 } else { count as f64 / plan_sizes[p] as f64 };
                        let url = starts.get(&p).map(|u| format!("{u}#plan-{}", plan.slug));
                        json!({ "count": count, "plan": plan.slug, "url": url, "level": density_level(count, share), "percent": (share * 100.0).round() })
                    })
                    .collect();
                json!({
                    "slug": t.slug,
                    "name": t.name,
                    "total": self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
                    "cells": cells,
                })
            })
            .collect();
        json!({
            "title": "政策主题",
            "matrix": matrix,
            "plan_sizes": plan_sizes,
            "themes": self.theme_summaries(),
            "plans": self.site.plans.iter().map(|p| json!({ "short_title": p.meta.short_title, "url": p.url })).collect::<Vec<_>>(),
            "crumbs": [{ "title": "政策主题", "url": "themes/" }],
        })
    }

    /// Page `n` of a theme: its measures grouped by plan, `theme_page_size` at a time; the
    /// first page also carries the theme's counts per plan and its indicators.
    pub(in crate::render) fn theme_page(&self, t: usize, n: usize) -> Value {
        let theme = &self.site.themes[t];
        let size = self.site.config.theme_page_size;
        let all = self
            .analysis
            .by_theme
            .get(&theme.slug)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let pages = all.len().div_ceil(size).max(1);
        let shown = all
            .get((n - 1) * size..(n * size).min(all.len()))
            .unwrap_or(&[]);
        let plan_ref = |p: usize| {
            let plan = &self.site.plans[p];
            json!({ "slug": plan.slug, "short_title": plan.meta.short_title, "title": plan.meta.title, "url": plan.url })
        };
        // Indices are in reading order, so each plan's measures form one run.
        let groups: Vec<Value> = shown
            .chunk_by(|a, b| self.analysis.measures[*a].plan == self.analysis.measures[*b].plan)
            .map(|run| {
                let measures: Vec<Value> = run
                    .iter()
                    .map(|i| {
                        let e = &self.analysis.measures[*i];
                        let m = self.analysis.measure(self.site, e);
                        let other_themes: Vec<Value> = m
                            .themes
                            .iter()
                            .filter(|s| **s != theme.slug)
                            .map(|s| json!({ "slug": s, "name": self.theme_name(s) }))
                            .collect();
                        json!({
                            "id": m.id,
                            "title": m.title,
                            "excerpt": excerpt(&m.text, 120),
                            "url": e.url,
                            "location": self.analysis.location(self.site, e),
                            "themes": other_themes,
                        })
                    })
                    .collect();
                let mut group = json!({});
                group["plan"] = plan_ref(self.analysis.measures[run[0]].plan);
                group["measures"] = Value::Array(measures);
                group
            })
            .collect();
        let first = n == 1;
        let plan_counts: Vec<Value> = if first {
            self.analysis
                .theme_by_plan(&theme.slug)
                .into_iter()
                .map(|(p, run)| json!({ "plan": plan_ref(p), "count": run.len() }))
                .collect()
        } else {
            Vec::new()
        };
        let indicators: Vec<Value> = if first {
            self.site
                .concepts
                .iter()
                .filter(|c| c.themes.contains(&theme.slug))
                .map(|c| json!({ "slug": c.slug, "name": c.name, "unit": c.unit, "rows": self.concept_rows(c) }))
                .collect()
        } else {
            Vec::new()
        };
        let link = |k: usize| json!({ "number": k, "url": theme_page_url(&theme.slug, k) });
        let pagination = (pages > 1).then(|| {
            json!({
                "current": n,
                "total": pages,
                "first": (n - 1) * size + 1,
                "last": (n - 1) * size + shown.len(),
                "prev": (n > 1).then(|| link(n - 1)),
                "next": (n < pages).then(|| link(n + 1)),
                "pages": pager_numbers(n, pages).into_iter().map(|k| match k {
                    Some(k) => link(k),
                    None => json!({ "gap": true }),
                }).collect::<Vec<_>>(),
            })
        });
        let mut crumbs = vec![
            json!({ "title": "政策主题", "url": "themes/" }),
            json!({ "title": theme.name, "url": crate::model::urls::theme_url(&theme.slug) }),
        ];
        if !first {
            crumbs.push(
                json!({ "title": format!("第 {n} 页"), "url": theme_page_url(&theme.slug, n) }),
            );
        }
        let mut view = json!({
            "title": if first { theme.name.clone() } else { format!("{}（第 {n} 页）", theme.name) },
            "theme": theme,
            "count": all.len(),
        });
        // Moved in, not copied value by value as `json!` would.
        view["indicators"] = Value::Array(indicators);
        view["plan_counts"] = Value::Array(plan_counts);
        view["groups"] = Value::Array(groups);
        view["pagination"] = pagination.unwrap_or(Value::Null);
        view["crumbs"] = Value::Array(crumbs);
        view
    }
}
