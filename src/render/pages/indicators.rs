//! The indicator pages: all indicators, and one page per indicator concept, with tables and charts.

use serde::Serialize;

use super::super::views::{value, Common, Crumb, ObservationView};
use super::super::*;
use super::themes::ThemeLink;

/// An indicator table as `partials/indicator_table.html` reads it.
#[derive(Serialize)]
pub(in crate::render) struct TableView<'a> {
    title: &'a str,
    rows: Vec<TableRow<'a>>,
    has_chart: bool,
    /// How many columns the table has: name, baseline, target, unit, attribute, chart as there
    /// are.
    columns: usize,
    has_baseline: bool,
    has_attribute: bool,
    has_cumulative: bool,
    /// The year of every baseline, when all give the same one (then the column head says it).
    baseline_year: Option<u16>,
    target_year: Option<u16>,
}

/// A row of an indicator table: a group's header, or an indicator.
#[derive(Serialize)]
#[serde(untagged)]
enum TableRow<'a> {
    Group { group: &'a str },
    Indicator(Box<IndicatorRow<'a>>),
}

/// An indicator in its table.
#[derive(Serialize)]
struct IndicatorRow<'a> {
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    attribute: Option<&'a str>,
    note: Option<&'a str>,
    baseline: ObservationView<'a>,
    target: ObservationView<'a>,
    /// Whether each value shows its year: not all baselines or not all targets share one.
    show_years: bool,
    chart: String,
    /// Cited where the plan's cover shows it.
    cite: String,
    href: String,
}

/// The view of an indicator table: rows with group headers where the group changes.
pub(in crate::render) fn table_view<'a>(
    t: &'a IndicatorTable,
    plan: &'a crate::model::Plan,
) -> TableView<'a> {
    let same_year = |f: fn(&Indicator) -> Option<u16>| {
        let first = t.indicators.first().and_then(f);
        t.indicators
            .iter()
            .all(|i| f(i) == first)
            .then_some(first)
            .flatten()
    };
    let baseline_year = same_year(|i| i.baseline.as_ref().and_then(|b| b.year));
    // A table of targets only (the source gives no baseline in any row) has no baseline column.
    let has_baseline = t.indicators.iter().any(|i| i.baseline.is_some());
    let target_year = same_year(|i| i.target.year);
    let has_attribute = t.indicators.iter().any(|i| i.attribute.is_some());
    let charts: Vec<String> = t.indicators.iter().map(indicator_chart).collect();
    let has_chart = charts.iter().any(|c| !c.is_empty());
    let mut rows = Vec::new();
    let mut group: Option<&str> = None;
    for (ind, chart) in t.indicators.iter().zip(charts) {
        if let Some(new) = ind.group.as_deref().filter(|g| Some(*g) != group) {
            group = Some(new);
            rows.push(TableRow::Group { group: new });
        }
        rows.push(TableRow::Indicator(Box::new(IndicatorRow {
            id: &ind.id,
            name: &ind.name,
            unit: &ind.unit,
            attribute: ind.attribute.as_deref(),
            note: ind.note.as_deref(),
            baseline: ObservationView::of(ind.baseline.as_ref()),
            target: ObservationView::of(Some(&ind.target)),
            show_years: baseline_year.is_none() || target_year.is_none(),
            chart,
            cite: crate::model::cite::part(
                &plan.meta,
                &crate::model::cite::indicator_places(&t.title, &ind.name),
            ),
            href: format!("{}#{}", plan.url, ind.id),
        })));
    }
    TableView {
        title: &t.title,
        rows,
        has_chart,
        columns: 3
            + usize::from(has_baseline)
            + usize::from(has_attribute)
            + usize::from(has_chart),
        has_baseline,
        has_attribute,
        has_cumulative: t.indicators.iter().any(|i| {
            i.baseline.as_ref().is_some_and(|b| b.value.cumulative) || i.target.value.cumulative
        }),
        baseline_year,
        target_year,
    }
}

/// Year label of an observation: `2020年`, or 基期/目标 where the source gives no year.
pub(in crate::render) fn year_label(o: &Observation, fallback: &str) -> String {
    o.year
        .map_or_else(|| fallback.to_string(), |y| format!("{y}年"))
}

/// Baseline and target of an indicator as two bars, when both are numbers of the same kind
/// (both annual or both five-year cumulative); otherwise nothing is drawn.
pub(in crate::render) fn indicator_chart(ind: &Indicator) -> String {
    let Some(baseline) = &ind.baseline else {
        return String::new();
    };
    let (b, t) = (&baseline.value, &ind.target.value);
    let (Some(bv), Some(tv)) = (b.value, t.value) else {
        return String::new();
    };
    if b.cumulative != t.cumulative {
        return String::new();
    }
    let alt = format!(
        "{}：{} {}{}，{} {}{}",
        ind.name,
        year_label(baseline, "基期"),
        b.raw,
        ind.unit,
        year_label(&ind.target, "目标"),
        t.raw,
        ind.unit
    );
    crate::render::charts::bars(
        &[
            crate::render::charts::Bar {
                label: year_label(baseline, "基期"),
                value: bv,
                raw: &b.raw,
            },
            crate::render::charts::Bar {
                label: year_label(&ind.target, "目标"),
                value: tv,
                raw: &t.raw,
            },
        ],
        bv.max(tv),
        150.0,
        &alt,
    )
}

/// An amount for display: at most two decimals, no trailing zeros.
pub(in crate::render) fn format_amount(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    crate::model::indicator::format_number(rounded)
}

/// `indicators/`: what `indicators.html` reads.
#[derive(Serialize)]
struct IndicatorsIndex<'a> {
    title: &'static str,
    concepts: Vec<ConceptEntry<'a>>,
    tables: Vec<PlanTables<'a>>,
    crumbs: [Crumb; 1],
}

/// An indicator concept in the list, with the plans that have an indicator of it.
#[derive(Serialize)]
struct ConceptEntry<'a> {
    slug: &'a str,
    name: &'a str,
    unit: &'a str,
    plans: Vec<&'a str>,
}

/// A plan's indicator tables, rendered.
#[derive(Serialize)]
struct PlanTables<'a> {
    plan: PlanTitles<'a>,
    html: String,
}

/// A plan's titles and where its cover is.
#[derive(Serialize)]
pub(in crate::render) struct PlanTitles<'a> {
    pub short_title: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

impl<'a> Renderer<'a> {
    /// `indicators/`: the indicator concepts, then every plan's indicator tables.
    pub(in crate::render) fn indicators_page(&self) -> Value {
        let tables = self
            .site
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.indicators.is_empty())
            .map(|(i, p)| PlanTables {
                plan: PlanTitles {
                    short_title: &p.meta.short_title,
                    title: &p.meta.title,
                    url: &p.url,
                },
                html: self.tables[i]
                    .iter()
                    .map(|(_, html)| html.as_str())
                    .collect(),
            })
            .collect();
        let concepts = self
            .site
            .concepts
            .iter()
            .map(|c| ConceptEntry {
                slug: &c.slug,
                name: &c.name,
                unit: &c.unit,
                plans: self
                    .site
                    .plans_with_concept(&c.slug)
                    .map(|p| p.meta.short_title.as_str())
                    .collect(),
            })
            .collect();
        value(IndicatorsIndex {
            title: "规划指标",
            concepts,
            tables,
            crumbs: [Crumb {
                title: "规划指标".into(),
                url: "indicators/".into(),
            }],
        })
    }

    /// Concept `c`'s page, with `common` the keys every page has.
    pub(in crate::render) fn concept_page(&self, c: usize, common: Common<'a>) -> ConceptPage<'a> {
        let concept = &self.site.concepts[c];
        ConceptPage {
            title: &concept.name,
            concept,
            themes: concept
                .themes
                .iter()
                .map(|t| ThemeLink {
                    slug: t,
                    name: self.theme_name(t),
                })
                .collect(),
            rows: self.concept_rows(concept),
            crumbs: vec![
                Crumb {
                    title: "指标对照".to_string(),
                    url: super::home::CONCEPTS_URL.to_string(),
                },
                Crumb {
                    title: concept.name.clone(),
                    url: crate::model::urls::concept_url(&concept.slug),
                },
            ],
            common,
        }
    }

    /// Every indicator joined to `concept`, plan by plan, with values in the concept's unit.
    pub(in crate::render) fn concept_rows(
        &self,
        concept: &'a crate::model::Concept,
    ) -> Vec<ConceptRow<'a>> {
        let mut rows = Vec::new();
        // Values in the concept's unit, for a shared scale across plans.
        let mut drawn: Vec<Vec<DrawnValue>> = Vec::new();
        for plan in &self.site.plans {
            for (_, ind) in plan
                .all_indicators()
                .filter(|(_, i)| i.concept.as_deref() == Some(concept.slug.as_str()))
            {
                let in_unit = |o: &crate::model::Observation| {
                    if o.value.cumulative {
                        return None;
                    }
                    o.value
                        .value
                        .and_then(|v| crate::model::quantity::convert(v, &ind.unit, &concept.unit))
                };
                let growth = match crate::model::quantity::indicator_growth(ind) {
                    Some(crate::model::quantity::Growth::Cagr(g)) => Some(GrowthView {
                        kind: "cagr",
                        text: format!("{:+.1}%/年", g * 100.0),
                    }),
                    Some(crate::model::quantity::Growth::Points(p)) => Some(GrowthView {
                        kind: "points",
                        text: format!("{p:+.1}个百分点"),
                    }),
                    None => None,
                };
                let bars: Vec<(String, f64, String)> =
                    [(ind.baseline.as_ref(), "基期"), (Some(&ind.target), "目标")]
                        .into_iter()
                        .filter_map(|(o, label)| {
                            let o = o?;
                            in_unit(o).map(|v| (year_label(o, label), v, format_amount(v)))
                        })
                        .collect();
                drawn.push(bars);
                rows.push(ConceptRow {
                    plan: RowPlan {
                        short_title: &plan.meta.short_title,
                        url: &plan.url,
                    },
                    id: &ind.id,
                    name: &ind.name,
                    unit: &ind.unit,
                    url: format!("{}#{}", plan.url, ind.id),
                    baseline: ObservationView::of(ind.baseline.as_ref()),
                    target: ObservationView::of(Some(&ind.target)),
                    baseline_in_unit: ind.baseline.as_ref().and_then(in_unit).map(format_amount),
                    target_in_unit: in_unit(&ind.target).map(format_amount),
                    growth,
                    chart: String::new(),
                });
            }
        }
        let max = drawn
            .iter()
            .flat_map(|bars| bars.iter().map(|b| b.1))
            .fold(0.0_f64, f64::max);
        for (row, bars) in rows.iter_mut().zip(drawn) {
            let alt = format!(
                "{}：{}",
                row.plan.short_title,
                bars.iter()
                    .map(|(label, _, shown)| format!("{label} {shown}{}", concept.unit))
                    .collect::<Vec<_>>()
                    .join("，")
            );
            let chart_bars: Vec<crate::render::charts::Bar<'_>> = bars
                .iter()
                .map(|(label, v, shown)| crate::render::charts::Bar {
                    label: label.clone(),
                    value: *v,
                    raw: shown,
                })
                .collect();
            row.chart = crate::render::charts::bars(&chart_bars, max, 200.0, &alt);
        }
        rows
    }
}

/// An indicator concept's page: what `concept.html` reads. Typed, so that
/// [`compiled::concept`](crate::render::compiled) reads it directly; a theme with its own
/// `concept.html` gets it serialized, with the keys it had as a JSON tree.
#[derive(Serialize)]
pub(in crate::render) struct ConceptPage<'a> {
    pub title: &'a str,
    pub concept: &'a crate::model::Concept,
    pub themes: Vec<ThemeLink<'a>>,
    pub rows: Vec<ConceptRow<'a>>,
    pub crumbs: Vec<Crumb>,
    /// What every page's context holds (`Renderer::page`).
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// A concept's comparison as a theme's page shows it (`partials/concept_table.html`).
#[derive(Serialize)]
pub(in crate::render) struct ConceptTable<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub rows: Vec<ConceptRow<'a>>,
}

/// One plan's indicator in a concept's comparison, with its values in the concept's unit.
#[derive(Serialize)]
pub(in crate::render) struct ConceptRow<'a> {
    pub plan: RowPlan<'a>,
    pub id: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub url: String,
    pub baseline: ObservationView<'a>,
    pub target: ObservationView<'a>,
    pub baseline_in_unit: Option<String>,
    pub target_in_unit: Option<String>,
    pub growth: Option<GrowthView>,
    /// The bars of its values, on the scale shared by the table (SVG; empty without values).
    pub chart: String,
}

#[derive(Serialize)]
pub(in crate::render) struct RowPlan<'a> {
    pub short_title: &'a str,
    pub url: &'a str,
}

/// The implied yearly growth (`cagr`) or change in points (`points`), as shown.
#[derive(Serialize)]
pub(in crate::render) struct GrowthView {
    pub kind: &'static str,
    pub text: String,
}
