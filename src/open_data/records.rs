//! The records of the open data, one type per file (`data/plans.json`, `measures.json`,
//! `indicators.json`, `themes.json`, `units.json`), and how each is made from the model and the
//! analysis. Their fields are the files' schema, documented in the README: add fields, never
//! rename or remove one. The CSV twins (`csv.rs`) take their columns from these records.

use rayon::prelude::*;
use serde::Serialize;

use crate::analyse::related::Related;
use crate::analyse::Analysis;
use crate::model::{Date, Level, Observation, ResponsibleUnit, Site};

#[derive(Serialize)]
pub(super) struct PlanRecord<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) short_title: &'a str,
    pub(super) issuers: &'a [String],
    pub(super) doc_number: Option<&'a str>,
    pub(super) date_written: Option<Date>,
    pub(super) date_published: Option<Date>,
    pub(super) period_start: Option<u16>,
    pub(super) period_end: Option<u16>,
    pub(super) outlook_year: Option<u16>,
    pub(super) level: Level,
    pub(super) region: &'a str,
    pub(super) implements: &'a [String],
    pub(super) parent: Option<&'a str>,
    pub(super) source_url: Option<&'a str>,
    pub(super) notes: Option<&'a str>,
    pub(super) index_number: Option<&'a str>,
    pub(super) subject: Option<&'a str>,
    pub(super) chapters: usize,
    pub(super) sections: usize,
    pub(super) measures: usize,
    pub(super) indicators: usize,
    pub(super) url: &'a str,
    /// `None` (JSON `null`) when the site has no base URL.
    pub(super) permalink: Option<String>,
}

#[derive(Serialize)]
pub(super) struct MeasureRecord<'a> {
    pub(super) id: &'a str,
    pub(super) plan: &'a str,
    pub(super) chapter: String,
    pub(super) section: Option<String>,
    pub(super) title: &'a str,
    pub(super) text: &'a str,
    pub(super) themes: &'a [String],
    pub(super) units: &'a [ResponsibleUnit],
    pub(super) url: &'a str,
    /// `None` (JSON `null`) when the site has no base URL.
    pub(super) permalink: Option<String>,
    /// Ids of the measures of implemented plans this one carries out.
    pub(super) implements: Vec<&'a str>,
    /// Ids of the measures of implementing plans that carry this one out.
    pub(super) implemented_by: Vec<&'a str>,
    /// Ids of the measures of upper plans this one takes up (the alignments), best first.
    pub(super) takes_up: Vec<&'a str>,
    /// Ids of the measures of lower plans that take this one up, best first.
    pub(super) taken_up_by: Vec<&'a str>,
    pub(super) related: RelatedLinks<'a>,
}

/// A measure's related links as published, each with the linked measure's id and plan slug.
pub(super) struct RelatedLinks<'a> {
    links: &'a [Related],
    /// Every plan's slug, by index ([`Site::plan_texts`]).
    slugs: &'a [Box<str>],
}

/// One related link in `measures.json`.
#[derive(Serialize)]
struct RelatedRecord<'a> {
    id: &'a str,
    plan: &'a str,
    score: f64,
    reason: &'a str,
}

impl<'a> RelatedLinks<'a> {
    fn records(&self) -> impl Iterator<Item = RelatedRecord<'a>> + '_ {
        self.links.iter().map(|r| RelatedRecord {
            id: r.id(),
            plan: &self.slugs[r.plan()],
            score: r.score,
            reason: r.reason(),
        })
    }

    /// The linked measures' ids, in order.
    pub(super) fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.links.iter().map(Related::id)
    }
}

impl Serialize for RelatedLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.records())
    }
}

#[derive(Serialize)]
pub(super) struct IndicatorRecord<'a> {
    pub(super) id: &'a str,
    pub(super) plan: &'a str,
    /// The id and title of the table the indicator stands in.
    pub(super) table: &'a str,
    pub(super) table_title: &'a str,
    pub(super) name: &'a str,
    pub(super) unit: &'a str,
    pub(super) group: Option<&'a str>,
    pub(super) attribute: Option<&'a str>,
    pub(super) concept: Option<&'a str>,
    /// `None` (JSON `null`) where the source gives no baseline.
    pub(super) baseline: Option<&'a Observation>,
    pub(super) target: &'a Observation,
    /// Compound annual growth rate from baseline to target (0.057 = 5.7% a year), for amounts.
    pub(super) cagr: Option<f64>,
    /// Change in percentage points from baseline to target, for shares.
    pub(super) change_points: Option<f64>,
    pub(super) url: String,
    /// `None` (JSON `null`) when the site has no base URL.
    pub(super) permalink: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ThemeRecord<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    pub(super) definition: &'a str,
    /// Measures carrying the theme, in all plans and per plan (by slug, in site order).
    pub(super) measures: usize,
    pub(super) by_plan: std::collections::BTreeMap<&'a str, usize>,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct UnitRecord<'a> {
    pub(super) name: &'a str,
    pub(super) side: Option<&'a str>,
    /// Every name the plans use for the unit.
    pub(super) names: Vec<&'a str>,
    pub(super) measures: Vec<&'a str>,
    pub(super) count: usize,
    pub(super) url: String,
}

/// The plans, in site order.
pub(super) fn plans(site: &Site) -> Vec<PlanRecord<'_>> {
    site.plans
        .iter()
        .map(|p| {
            let m = &p.meta;
            PlanRecord {
                slug: &p.slug,
                title: &m.title,
                short_title: &m.short_title,
                issuers: &m.issuers,
                doc_number: m.doc_number.as_deref(),
                date_written: m.date_written,
                date_published: m.date_published,
                period_start: m.period_start,
                period_end: m.period_end,
                outlook_year: m.outlook_year,
                level: m.level,
                region: &m.region,
                implements: &m.implements,
                parent: m.parent.as_deref(),
                source_url: m.source_url.as_deref(),
                notes: m.notes.as_deref(),
                index_number: m.index_number.as_deref(),
                subject: m.subject.as_deref(),
                chapters: p.chapters.len(),
                sections: p.chapters.iter().map(|c| c.sections.len()).sum(),
                measures: p.measures().count(),
                indicators: p.all_indicators().count(),
                url: &p.url,
                permalink: site.config.permalink(&p.url),
            }
        })
        .collect()
}

/// The measures, in the order of the analysis (plans in site order, then reading order), with
/// `slugs` every plan's slug as [`Site::plan_texts`] copies them.
pub(super) fn measures<'a>(
    site: &'a Site,
    analysis: &'a Analysis,
    slugs: &'a [Box<str>],
) -> Vec<MeasureRecord<'a>> {
    let ids = |links: Option<&Vec<crate::analyse::alignment::TakeUp>>| -> Vec<&'a str> {
        links
            .into_iter()
            .flatten()
            .map(|l| {
                analysis
                    .measure(site, &analysis.measures[l.index])
                    .id
                    .as_str()
            })
            .collect()
    };
    // On every core: a record copies its chapter's and section's titles and its permalink.
    analysis
        .measures
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let plan = &site.plans[e.plan];
            let chapter = &plan.chapters[e.chapter];
            let measure = analysis.measure(site, e);
            MeasureRecord {
                id: &measure.id,
                plan: &plan.slug,
                chapter: chapter.division.full_title(),
                section: e.section.map(|s| chapter.sections[s].division.full_title()),
                title: &measure.title,
                text: &measure.text,
                themes: &measure.themes,
                units: &measure.units,
                url: &e.url,
                permalink: site.config.permalink(&e.url),
                implements: analysis
                    .implements
                    .get(&i)
                    .map(|t| analysis.measure(site, &analysis.measures[*t]).id.as_str())
                    .into_iter()
                    .collect(),
                implemented_by: analysis
                    .implemented_by
                    .get(&i)
                    .map(|items| {
                        items
                            .iter()
                            .map(|t| analysis.measure(site, &analysis.measures[*t]).id.as_str())
                            .collect()
                    })
                    .unwrap_or_default(),
                takes_up: ids(analysis.alignments.takes_up.get(&i)),
                taken_up_by: ids(analysis.alignments.taken_up_by.get(&i)),
                related: RelatedLinks {
                    links: &analysis.related[i],
                    slugs,
                },
            }
        })
        .collect()
}

/// The indicators, plan by plan, in table order.
pub(super) fn indicators(site: &Site) -> Vec<IndicatorRecord<'_>> {
    let mut indicators = Vec::new();
    for plan in &site.plans {
        for (table, ind) in plan.all_indicators() {
            let url = format!("{}#{}", plan.url, ind.id);
            let growth = crate::model::quantity::indicator_growth(ind);
            indicators.push(IndicatorRecord {
                id: &ind.id,
                plan: &plan.slug,
                table: &table.id,
                table_title: &table.title,
                name: &ind.name,
                unit: &ind.unit,
                group: ind.group.as_deref(),
                attribute: ind.attribute.as_deref(),
                concept: ind.concept.as_deref(),
                baseline: ind.baseline.as_ref(),
                target: &ind.target,
                cagr: match growth {
                    Some(crate::model::quantity::Growth::Cagr(g)) => Some(round4(g)),
                    _ => None,
                },
                change_points: match growth {
                    Some(crate::model::quantity::Growth::Points(p)) => Some(round4(p)),
                    _ => None,
                },
                permalink: site.config.permalink(&url),
                url,
            });
        }
    }
    indicators
}

/// The policy themes, in site order.
pub(super) fn themes<'a>(site: &'a Site, analysis: &Analysis) -> Vec<ThemeRecord<'a>> {
    site.themes
        .iter()
        .map(|t| ThemeRecord {
            slug: &t.slug,
            name: &t.name,
            definition: &t.definition,
            measures: analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
            by_plan: site
                .plans
                .iter()
                .enumerate()
                .map(|(p, plan)| (plan.slug.as_str(), analysis.theme_count(&t.slug, p)))
                .collect(),
            url: crate::model::urls::theme_url(&t.slug),
        })
        .collect()
}

/// The responsible units, in the order of the analysis.
pub(super) fn units<'a>(site: &'a Site, analysis: &'a Analysis) -> Vec<UnitRecord<'a>> {
    analysis
        .agencies
        .iter()
        .map(|a| UnitRecord {
            name: &a.name,
            side: a.side.as_deref(),
            names: a.names.iter().map(String::as_str).collect(),
            measures: a
                .measures
                .iter()
                .map(|i| analysis.measure(site, &analysis.measures[*i]).id.as_str())
                .collect(),
            count: a.measures.len(),
            url: crate::model::urls::unit_url(&a.key),
        })
        .collect()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A related link is published as it was when links held copies of them: the linked
    /// measure's id and its plan's slug, the score and the reason, in that order.
    #[test]
    fn a_related_link_is_published_with_its_id_plan_score_and_reason() {
        let site = crate::content::bundled_site();
        let slugs = site.plan_texts(|p| &p.slug);
        let links = [
            Related::new(3, 1, "sc-3-1-1", 0.25, "数字人民币 · 跨境支付"),
            Related::new(0, 0, "x-1", 0.5, ""),
        ];
        let related = RelatedLinks {
            links: &links,
            slugs: &slugs,
        };
        let (first, second) = (&site.plans[1].slug, &site.plans[0].slug);
        let json = serde_json::to_string_pretty(&related).expect("JSON");
        assert_eq!(
            json,
            format!(
                "[\n  {{\n    \"id\": \"sc-3-1-1\",\n    \"plan\": \"{first}\",\n    \"score\": 0.25,\n    \
                 \"reason\": \"数字人民币 · 跨境支付\"\n  }},\n  {{\n    \"id\": \"x-1\",\n    \
                 \"plan\": \"{second}\",\n    \"score\": 0.5,\n    \"reason\": \"\"\n  }}\n]"
            )
        );
        assert_eq!(related.ids().collect::<Vec<_>>(), ["sc-3-1-1", "x-1"]);
        let none = RelatedLinks {
            links: &[],
            slugs: &slugs,
        };
        assert_eq!(serde_json::to_string_pretty(&none).expect("JSON"), "[]");
    }
}
