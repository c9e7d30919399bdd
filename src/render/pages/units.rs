//! The responsible-unit pages: the list and one page per unit.

use serde::Serialize;

use super::super::views::{value, Common, Crumb, MeasureLink};
use super::super::*;

/// `units/`: what `units.html` reads.
#[derive(Serialize)]
struct UnitsIndex<'a> {
    title: &'static str,
    sides: Vec<UnitSide<'a>>,
    crumbs: [Crumb; 1],
}

/// The units of one side (`None`: units the plans name without one), in the analysis's order.
#[derive(Serialize)]
struct UnitSide<'a> {
    side: Option<&'a str>,
    units: Vec<UnitCount<'a>>,
}

/// A unit in the list, with how many measures name it.
#[derive(Serialize)]
struct UnitCount<'a> {
    name: &'a str,
    key: &'a str,
    count: usize,
}

impl<'a> Renderer<'a> {
    /// `units/`: every responsible unit, grouped by the side it stands on.
    pub(in crate::render) fn agencies_page(&self) -> Value {
        let mut sides: Vec<UnitSide> = Vec::new();
        for a in &self.analysis.agencies {
            let view = UnitCount {
                name: &a.name,
                key: &a.key,
                count: a.measures.len(),
            };
            match sides.last_mut() {
                Some(last) if last.side == a.side.as_deref() => last.units.push(view),
                _ => sides.push(UnitSide {
                    side: a.side.as_deref(),
                    units: vec![view],
                }),
            }
        }
        value(UnitsIndex {
            title: "责任单位",
            sides,
            crumbs: [Crumb {
                title: "责任单位".into(),
                url: "units/".into(),
            }],
        })
    }

    /// Unit `k`'s page, with `common` the keys every page has.
    pub(in crate::render) fn agency_page(&self, k: usize, common: Common<'a>) -> UnitPage<'a> {
        let a = &self.analysis.agencies[k];
        let measures = a
            .measures
            .iter()
            .map(|i| UnitMeasure {
                link: self.measure_link_view(*i),
                excerpt: excerpt(
                    &self
                        .analysis
                        .measure(self.site, &self.analysis.measures[*i])
                        .text,
                    100,
                ),
            })
            .collect();
        UnitPage {
            title: &a.name,
            unit: UnitView {
                name: &a.name,
                side: a.side.as_deref(),
                other_names: a
                    .names
                    .iter()
                    .filter(|n| **n != a.name)
                    .map(String::as_str)
                    .collect(),
            },
            measures,
            crumbs: vec![
                Crumb {
                    title: "责任单位".to_string(),
                    url: "units/".to_string(),
                },
                Crumb {
                    title: a.name.clone(),
                    url: crate::model::urls::unit_url(&a.key),
                },
            ],
            common,
        }
    }
}

/// A responsible unit's page: what `unit.html` reads. Typed, so that
/// [`compiled::unit`](crate::render::compiled) reads it directly; a theme with its own
/// `unit.html` gets it serialized, with the keys it had as a JSON tree.
#[derive(Serialize)]
pub(in crate::render) struct UnitPage<'a> {
    pub title: &'a str,
    pub unit: UnitView<'a>,
    pub measures: Vec<UnitMeasure<'a>>,
    pub crumbs: Vec<Crumb>,
    /// What every page's context holds (`Renderer::page`).
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[derive(Serialize)]
pub(in crate::render) struct UnitView<'a> {
    pub name: &'a str,
    /// The side (of the two governments) the unit belongs to, where the plan says.
    pub side: Option<&'a str>,
    /// The other ways the plans write its name.
    pub other_names: Vec<&'a str>,
}

/// A measure the unit is responsible for: the link every list of measures has, and its
/// opening words.
#[derive(Serialize)]
pub(in crate::render) struct UnitMeasure<'a> {
    #[serde(flatten)]
    pub link: MeasureLink<'a>,
    pub excerpt: String,
}
