//! Chapter and section pages: their context as typed views that borrow from the model.
//!
//! Four pages in five are chapter and section pages. Their context is built as structs that
//! borrow the model's text, rather than as a `serde_json` tree that copies every string into a
//! map: [`compiled::division`](crate::render::compiled) reads the structs directly, and a theme
//! that renders these pages with its own templates gets them serialized, with the same keys.

use std::borrow::Cow;

use serde::Serialize;

use super::super::views::{Common, Link, MeasureLink, PlanView, TocEntry};
use super::super::*;
use super::alignments::LinkGroup;

/// A chapter's or section's page: what `division.html` reads.
#[derive(Serialize)]
pub(in crate::render) struct DivisionPage<'a> {
    pub title: String,
    /// The citation of the page.
    pub cite: String,
    pub division: DivisionHead<'a>,
    pub intro_html: String,
    /// The heading level of the page's measures.
    pub measure_level: u8,
    pub plan: PlanView<'a>,
    pub items: Vec<Item<'a>>,
    /// A chapter's sections; empty on a section's page.
    pub sections: Vec<TocEntry<'a>>,
    pub prev: Link<'a>,
    pub next: Option<Link<'a>>,
    pub crumbs: Vec<Link<'a>>,
    /// What every page's context holds (`Renderer::page`).
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[derive(Serialize)]
pub(in crate::render) struct DivisionHead<'a> {
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub full_title: String,
    pub url: &'a str,
    pub is_chapter: bool,
}

/// What stands on a division's page, in order: an interlude (`{"interlude_html": …}`), a box
/// of measures (`{"box": …}`) or a measure (`{"measure": …}`).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub(in crate::render) enum Item<'a> {
    InterludeHtml(String),
    Box(BoxView<'a>),
    Measure(Box<MeasureView<'a>>),
}

#[derive(Serialize)]
pub(in crate::render) struct BoxView<'a> {
    pub title: &'a str,
    pub intro_html: String,
    pub measures: Vec<MeasureView<'a>>,
}

/// A measure as its division's page shows it.
#[derive(Serialize)]
pub(in crate::render) struct MeasureView<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub title: &'a str,
    pub body_html: String,
    pub taken_up_by: Vec<LinkGroup<'a>>,
    pub takes_up: Vec<LinkGroup<'a>>,
    pub themes: Vec<ThemeRef<'a>>,
    pub units: Vec<UnitGroup<'a>>,
    pub related: Vec<RelatedView<'a>>,
    /// The measure it implements, and the measures that implement it.
    pub implements: Option<MeasureLink<'a>>,
    pub implemented_by: Option<Vec<MeasureLink<'a>>>,
    /// Its citation (plan, chapter, section and the measure).
    pub cite: String,
}

#[derive(Serialize)]
pub(in crate::render) struct ThemeRef<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

/// Responsible units of one side (`重庆：A、B`), each with the key of its unit page if it has one.
#[derive(Serialize)]
pub(in crate::render) struct UnitGroup<'a> {
    pub side: Option<&'a str>,
    pub names: Vec<UnitName<'a>>,
}

#[derive(Serialize)]
pub(in crate::render) struct UnitName<'a> {
    pub name: &'a str,
    pub key: Option<&'a str>,
}

/// A related measure as listed under a measure.
#[derive(Serialize)]
pub(in crate::render) struct RelatedView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub plan: &'a str,
    pub reason: &'a str,
    pub score: f64,
}

impl<'r> Renderer<'r> {
    pub(in crate::render) fn division_page(
        &self,
        p: usize,
        c: usize,
        s: Option<usize>,
    ) -> DivisionPage<'r> {
        let site = self.site;
        let plan = &site.plans[p];
        let chapter = &plan.chapters[c];
        let division = match s {
            Some(s) => &chapter.sections[s].division,
            None => &chapter.division,
        };
        let root = root_for(&division.url);
        let link = |d: &'r Division| Link {
            title: Cow::Owned(d.full_title()),
            url: &d.url,
        };
        let plan_link = Link {
            title: Cow::Borrowed(&plan.meta.short_title),
            url: &plan.url,
        };
        // Reading order: a chapter, then its sections, then the next chapter.
        let prev = match s {
            Some(0) => link(&chapter.division),
            Some(k) => link(&chapter.sections[k - 1].division),
            None => match c.checked_sub(1).map(|b| &plan.chapters[b]) {
                Some(before) => link(
                    before
                        .sections
                        .last()
                        .map_or(&before.division, |x| &x.division),
                ),
                None => Link {
                    title: Cow::Borrowed(&plan.meta.short_title),
                    url: &plan.url,
                },
            },
        };
        let next = chapter
            .sections
            .get(s.map_or(0, |k| k + 1))
            .map(|x| link(&x.division))
            .or_else(|| plan.chapters.get(c + 1).map(|x| link(&x.division)));
        let full_title = division.full_title();
        let mut crumbs = vec![plan_link, link(&chapter.division)];
        if s.is_some() {
            crumbs.push(Link {
                title: Cow::Owned(full_title.clone()),
                url: &division.url,
            });
        }
        let sections = if s.is_none() {
            chapter
                .sections
                .iter()
                .map(|s| super::super::views::toc_entry(&s.division))
                .collect()
        } else {
            Vec::new()
        };
        // Where the page stands in the plan, for the citations of the page and its measures.
        let mut places = vec![chapter.division.full_title()];
        if s.is_some() {
            places.push(full_title.clone());
        }
        // The page's measures' indices among all measures, for their related lists: one run.
        let run = self.analysis.division_measures(p, c, s);
        debug_assert_eq!(run.len(), division.measures.len(), "{}", division.url);
        let mut items = self.division_items(division, &root, p, run.start);
        let mut at = places.clone();
        let mut cite = |m: &mut MeasureView| {
            at.push(crate::model::cite::measure_place(m.id));
            m.cite = crate::model::cite::part(&plan.meta, &at);
            at.pop();
        };
        for item in &mut items {
            match item {
                Item::Box(b) => b.measures.iter_mut().for_each(&mut cite),
                Item::Measure(m) => cite(m),
                Item::InterludeHtml(_) => {}
            }
        }
        let url = division.url.clone();
        DivisionPage {
            title: full_title.clone(),
            cite: crate::model::cite::part(&plan.meta, &places),
            division: DivisionHead {
                number: division.number.as_deref(),
                title: &division.title,
                full_title,
                url: &division.url,
                is_chapter: s.is_none(),
            },
            intro_html: self.html(&division.intro, &root, Some(p)),
            // Measures are the page's second level, or its third under sub-headings.
            measure_level: if division.interludes.is_empty() { 2 } else { 3 },
            plan: self.plan_view_typed(p, Some((c, s))),
            items,
            sections,
            prev,
            next,
            crumbs,
            common: self.common(root, url),
        }
    }

    /// The measures of a division in order, with the interludes that stand between them and
    /// the boxes of measures, each holding its measures. `first`: the index of the division's
    /// first measure among all measures (`Analysis::measures`).
    fn division_items(
        &self,
        division: &'r Division,
        root: &str,
        plan: usize,
        first: usize,
    ) -> Vec<Item<'r>> {
        let mut items = Vec::new();
        let mut interludes = division.interludes.iter().peekable();
        let mut boxes = division.boxes.iter().peekable();
        let interlude = |body| Item::InterludeHtml(self.interlude_html(body, root, plan));
        let measure_box = |b: &'r crate::model::MeasureBox| {
            Item::Box(BoxView {
                title: &b.title,
                intro_html: self.html(&b.intro, root, Some(plan)),
                measures: b
                    .measures()
                    .map(|k| self.measure_view(&division.measures[k], root, plan, first + k))
                    .collect(),
            })
        };
        let mut i = 0;
        while i < division.measures.len() {
            while let Some(x) = interludes.next_if(|x| x.before <= i) {
                items.push(interlude(&x.body));
            }
            if let Some(b) = boxes.next_if(|b| b.first <= i) {
                items.push(measure_box(b));
                i = i.max(b.first + b.count);
                continue;
            }
            items.push(Item::Measure(Box::new(self.measure_view(
                &division.measures[i],
                root,
                plan,
                first + i,
            ))));
            i += 1;
        }
        items.extend(interludes.map(|x| interlude(&x.body)));
        items.extend(boxes.map(measure_box));
        items
    }

    /// A measure as its page shows it; its citation is filled in by its page.
    /// `index`: the measure's index among all measures (`Analysis::measures`).
    fn measure_view(
        &self,
        m: &'r Measure,
        root: &str,
        plan: usize,
        index: usize,
    ) -> MeasureView<'r> {
        let (taken_up_by, takes_up) = self.alignment_links(index);
        MeasureView {
            id: &m.id,
            heading: &m.heading,
            title: &m.title,
            body_html: self.html(&m.body, root, Some(plan)),
            taken_up_by,
            takes_up,
            themes: m
                .themes
                .iter()
                .map(|t| ThemeRef {
                    slug: t,
                    name: self.theme_name(t),
                })
                .collect(),
            units: self.unit_groups(&m.units),
            related: self.related_view(index),
            implements: self
                .analysis
                .implements
                .get(&index)
                .map(|t| self.measure_link_view(*t)),
            implemented_by: self
                .analysis
                .implemented_by
                .get(&index)
                .map(|items| items.iter().map(|i| self.measure_link_view(*i)).collect()),
            cite: String::new(),
        }
    }

    /// Responsible units grouped by side, in the order given (`重庆：A、B；四川：C`), each linked
    /// to its unit page.
    fn unit_groups(&self, units: &'r [crate::model::ResponsibleUnit]) -> Vec<UnitGroup<'r>> {
        units
            .chunk_by(|a, b| a.side == b.side)
            .map(|run| UnitGroup {
                side: run[0].side.as_deref(),
                names: run
                    .iter()
                    .map(|u| {
                        let canonical = crate::analyse::responsible_units::canonical(
                            &u.name,
                            u.side.as_deref(),
                            &self.unit_aliases,
                        );
                        UnitName {
                            name: &u.name,
                            key: self.agency_keys.get(&canonical).copied(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// The related measures of the measure at `index`, as shown under it.
    fn related_view(&self, index: usize) -> Vec<RelatedView<'r>> {
        let Some(related) = self.analysis.related.get(index) else {
            return Vec::new();
        };
        related
            .iter()
            .map(|r| {
                let (title, url) = self.cards.get(r.index);
                RelatedView {
                    id: r.id(),
                    title,
                    url,
                    plan: &self.short_titles[r.plan()],
                    reason: r.reason(),
                    score: r.score,
                }
            })
            .collect()
    }
}
