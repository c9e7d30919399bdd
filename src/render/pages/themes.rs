//! The policy-theme pages: the list with its density table, and one paged page per theme.

use serde::Serialize;

use super::super::views::{value, Common, Crumb};
use super::super::*;
use crate::model::Theme;

/// Page `n` of a theme: what `theme.html` reads. Typed, so that
/// [`compiled::theme`](crate::render::compiled) reads it directly; a theme with its own
/// `theme.html` gets it serialized, with the keys it had as a JSON tree.
#[derive(Serialize)]
pub(in crate::render) struct ThemePage<'a> {
    pub title: String,
    pub theme: &'a Theme,
    /// The theme's measures on all its pages.
    pub count: usize,
    /// The indicator comparisons of the theme (first page only), as `partials/concept_table.html`
    /// reads them.
    pub indicators: Vec<super::indicators::ConceptTable<'a>>,
    /// How many measures each plan has in the theme (first page only).
    pub plan_counts: Vec<PlanCount<'a>>,
    /// This page's measures, by plan.
    pub groups: Vec<ThemeGroup<'a>>,
    pub pagination: Option<Pagination>,
    pub crumbs: Vec<Crumb>,
    /// What every page's context holds (`Renderer::page`).
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[derive(Serialize)]
pub(in crate::render) struct ThemePlan<'a> {
    pub slug: &'a str,
    pub short_title: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub(in crate::render) struct PlanCount<'a> {
    pub plan: ThemePlan<'a>,
    pub count: usize,
}

#[derive(Serialize)]
pub(in crate::render) struct ThemeGroup<'a> {
    pub plan: ThemePlan<'a>,
    pub measures: Vec<ThemeMeasure<'a>>,
}

/// A measure in a theme's list: its title, where it stands, its opening words and its other
/// themes.
#[derive(Serialize)]
pub(in crate::render) struct ThemeMeasure<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub excerpt: String,
    pub url: &'a str,
    pub location: String,
    pub themes: Vec<ThemeLink<'a>>,
}

#[derive(Serialize)]
pub(in crate::render) struct ThemeLink<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

/// A theme's paged list: where this page stands, and links to the others (`gap` for the pages
/// the pager leaves out).
#[derive(Serialize)]
pub(in crate::render) struct Pagination {
    pub current: usize,
    pub total: usize,
    /// The first and last measure shown, counted from 1 over all pages.
    pub first: usize,
    pub last: usize,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub(in crate::render) struct PageLink {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gap: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

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

/// `themes/`: what `themes.html` reads.
#[derive(Serialize)]
struct ThemesIndex<'a> {
    title: &'static str,
    matrix: Vec<MatrixRow<'a>>,
    /// How many measures each plan has, in the order of `plans`.
    plan_sizes: Vec<usize>,
    themes: Vec<ThemeSummary<'a>>,
    plans: Vec<PlanHead<'a>>,
    crumbs: [Crumb; 1],
}

/// A theme's row of the matrix: its measures in each plan.
#[derive(Serialize)]
struct MatrixRow<'a> {
    slug: &'a str,
    name: &'a str,
    total: usize,
    cells: Vec<MatrixCell<'a>>,
}

/// A theme's measures in one plan, with the theme page where they begin.
#[derive(Serialize)]
struct MatrixCell<'a> {
    count: usize,
    plan: &'a str,
    url: Option<String>,
    level: u8,
    /// The share of the plan's measures, in whole percent.
    percent: f64,
}

/// A plan as a column head of the matrix.
#[derive(Serialize)]
struct PlanHead<'a> {
    short_title: &'a str,
    url: &'a str,
}

/// A theme, its definition and how many measures it holds.
#[derive(Serialize)]
pub(in crate::render) struct ThemeSummary<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub definition: &'a str,
    pub count: usize,
}

impl<'a> Renderer<'a> {
    /// `themes/`: the matrix of themes by plans, then every theme with its definition.
    pub(in crate::render) fn themes_page(&self) -> Value {
        let plan_sizes: Vec<usize> = self
            .site
            .plans
            .iter()
            .map(|p| p.measures().count())
            .collect();
        let size = self.site.config.theme_page_size;
        let matrix: Vec<MatrixRow> = self
            .site
            .themes
            .iter()
            .map(|t| {
                // The theme page (of its paginated list) where each plan's measures begin.
                let mut starts: HashMap<usize, String> = HashMap::new();
                let listed = self.analysis.by_theme.get(&t.slug);
                for (k, i) in listed.into_iter().flatten().enumerate() {
                    starts
                        .entry(self.analysis.measures[*i].plan)
                        .or_insert_with(|| theme_page_url(&t.slug, k / size + 1));
                }
                let cells = self
                    .site
                    .plans
                    .iter()
                    .enumerate()
                    .map(|(p, plan)| {
                        let count = self.analysis.theme_count(&t.slug, p);
                        let share = if plan_sizes[p] == 0 {
                            0.0
                        } else {
                            count as f64 / plan_sizes[p] as f64
                        };
                        MatrixCell {
                            count,
                            plan: &plan.slug,
                            url: starts.get(&p).map(|u| format!("{u}#plan-{}", plan.slug)),
                            level: density_level(count, share),
                            percent: (share * 100.0).round(),
                        }
                    })
                    .collect();
                MatrixRow {
                    slug: &t.slug,
                    name: &t.name,
                    total: listed.map_or(0, Vec::len),
                    cells,
                }
            })
            .collect();
        value(ThemesIndex {
            title: "政策主题",
            matrix,
            plan_sizes,
            themes: self.theme_summaries(),
            plans: self
                .site
                .plans
                .iter()
                .map(|p| PlanHead {
                    short_title: &p.meta.short_title,
                    url: &p.url,
                })
                .collect(),
            crumbs: [Crumb {
                title: "政策主题".into(),
                url: "themes/".into(),
            }],
        })
    }

    /// Page `n` of a theme: its measures grouped by plan, `theme_page_size` at a time; the
    /// first page also carries the theme's counts per plan and its indicators.
    pub(in crate::render) fn theme_page(
        &self,
        t: usize,
        n: usize,
        common: Common<'a>,
    ) -> ThemePage<'a> {
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
            ThemePlan {
                slug: &plan.slug,
                short_title: &plan.meta.short_title,
                title: &plan.meta.title,
                url: &plan.url,
            }
        };
        // Indices are in reading order, so each plan's measures form one run.
        let groups: Vec<ThemeGroup> = shown
            .chunk_by(|a, b| self.analysis.measures[*a].plan == self.analysis.measures[*b].plan)
            .map(|run| ThemeGroup {
                plan: plan_ref(self.analysis.measures[run[0]].plan),
                measures: run
                    .iter()
                    .map(|i| {
                        let e = &self.analysis.measures[*i];
                        let m = self.analysis.measure(self.site, e);
                        ThemeMeasure {
                            id: &m.id,
                            title: &m.title,
                            excerpt: excerpt(&m.text, 120),
                            url: &e.url,
                            location: self.analysis.location(self.site, e),
                            themes: m
                                .themes
                                .iter()
                                .filter(|s| **s != theme.slug)
                                .map(|s| ThemeLink {
                                    slug: s,
                                    name: self.theme_name(s),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let first = n == 1;
        let plan_counts: Vec<PlanCount> = if first {
            self.analysis
                .theme_by_plan(&theme.slug)
                .into_iter()
                .map(|(p, run)| PlanCount {
                    plan: plan_ref(p),
                    count: run.len(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let indicators = if first {
            self.site
                .concepts
                .iter()
                .filter(|c| c.themes.contains(&theme.slug))
                .map(|c| super::indicators::ConceptTable {
                    slug: &c.slug,
                    name: &c.name,
                    unit: &c.unit,
                    rows: self.concept_rows(c),
                })
                .collect()
        } else {
            Vec::new()
        };
        let link = |k: usize| PageLink {
            gap: false,
            number: Some(k),
            url: Some(theme_page_url(&theme.slug, k)),
        };
        let pagination = (pages > 1).then(|| Pagination {
            current: n,
            total: pages,
            first: (n - 1) * size + 1,
            last: (n - 1) * size + shown.len(),
            prev: (n > 1).then(|| link(n - 1)),
            next: (n < pages).then(|| link(n + 1)),
            pages: pager_numbers(n, pages)
                .into_iter()
                .map(|k| match k {
                    Some(k) => link(k),
                    None => PageLink {
                        gap: true,
                        number: None,
                        url: None,
                    },
                })
                .collect(),
        });
        let mut crumbs = vec![
            Crumb {
                title: "政策主题".into(),
                url: "themes/".into(),
            },
            Crumb {
                title: theme.name.clone(),
                url: crate::model::urls::theme_url(&theme.slug),
            },
        ];
        if !first {
            crumbs.push(Crumb {
                title: format!("第 {n} 页"),
                url: theme_page_url(&theme.slug, n),
            });
        }
        ThemePage {
            title: if first {
                theme.name.clone()
            } else {
                format!("{}（第 {n} 页）", theme.name)
            },
            theme,
            count: all.len(),
            indicators,
            plan_counts,
            groups,
            pagination,
            crumbs,
            common,
        }
    }
}
