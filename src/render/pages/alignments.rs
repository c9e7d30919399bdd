//! The alignment pages: `alignments/` lists the pairs of upper and lower plans, and
//! `alignments/<upper>/<lower>/` shows, chapter by chapter, which measures of the upper plan the
//! lower plan takes up, the shares per chapter and theme, and what the lower plan adds.
//! Also the two lines of a measure's block that link it to the measures it takes up, or that take
//! it up. Views are typed: each struct below is what its template reads.

use serde::Serialize;

use super::super::views::Crumb;
use super::super::*;
use crate::analyse::alignment::{Alignment, LinkBasis, Share, TakeUp, MIN_SCORE, MIN_TITLE_SCORE};
use crate::model::urls::{alignment_url, ALIGNMENTS_URL};

/// A plan as the alignment pages name it.
#[derive(Serialize)]
pub(in crate::render) struct PlanRef<'a> {
    slug: &'a str,
    title: &'a str,
    short_title: &'a str,
    url: &'a str,
    level: &'static str,
    region: &'a str,
}

/// A link to a measure.
#[derive(Serialize)]
pub(in crate::render) struct MeasureRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    /// The short title of its plan.
    pub plan: &'a str,
}

/// Measures of one other plan that a measure takes up, or that take it up, with the page of
/// the pair's alignment.
#[derive(Serialize)]
pub(in crate::render) struct LinkGroup<'a> {
    pub plan: &'a str,
    pub alignment_url: String,
    pub measures: Vec<MeasureRef<'a>>,
}

/// A lower measure taking up an upper one, on an alignment page.
#[derive(Serialize)]
struct TakerView<'a> {
    measure: MeasureRef<'a>,
    /// How the link was found, as shown: the score to two places for a text match, `标题相近 0.37`
    /// for alike titles, `落实` or `编辑指定`.
    note: String,
}

/// An upper measure with the lower measures that take it up.
#[derive(Serialize)]
struct RowView<'a> {
    measure: MeasureRef<'a>,
    takers: Vec<TakerView<'a>>,
}

/// Counts with the share they make, as shown: `22/32`, `69%`.
#[derive(Serialize)]
struct ShareView {
    measures: usize,
    taken_up: usize,
    percent: u32,
    lower_measures: usize,
    added_locally: usize,
}

impl From<&Share> for ShareView {
    fn from(s: &Share) -> ShareView {
        ShareView {
            measures: s.measures,
            taken_up: s.taken_up,
            percent: (s.ratio() * 100.0).round() as u32,
            lower_measures: s.lower_measures,
            added_locally: s.added_locally,
        }
    }
}

/// A chapter of the upper plan with its measures.
#[derive(Serialize)]
struct ChapterView<'a> {
    title: String,
    url: &'a str,
    share: ShareView,
    /// The chapter's own measures, then each section's, in reading order.
    groups: Vec<GroupView<'a>>,
}

/// The measures of a chapter that stand in one section (or in the chapter itself: no title).
#[derive(Serialize)]
struct GroupView<'a> {
    title: Option<String>,
    url: &'a str,
    share: ShareView,
    rows: Vec<RowView<'a>>,
}

#[derive(Serialize)]
struct ThemeView<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    share: ShareView,
}

/// A lower measure added locally, with where it stands.
#[derive(Serialize)]
struct AddedView<'a> {
    measure: MeasureRef<'a>,
    location: String,
}

/// The totals of one pair.
#[derive(Serialize)]
struct Totals {
    upper_measures: usize,
    taken_up: usize,
    left_out: usize,
    percent: u32,
    lower_measures: usize,
    taking_up: usize,
    added_locally: usize,
}

/// The first crumb of every alignment page.
fn alignments_crumb() -> Crumb {
    Crumb {
        title: ALIGNMENTS_TITLE.into(),
        url: ALIGNMENTS_URL.into(),
    }
}

/// The title of the list of alignments.
const ALIGNMENTS_TITLE: &str = "上下级规划承接对照";

/// `alignments/<upper>/<lower>/`.
#[derive(Serialize)]
struct AlignmentPage<'a> {
    title: String,
    upper: PlanRef<'a>,
    lower: PlanRef<'a>,
    basis: &'static str,
    /// The lower plan was written before the upper one: the page shows agreement, not transmission.
    lower_is_earlier: bool,
    /// The least score of a text match, as shown: `0.40`.
    min_score: String,
    min_title_score: String,
    totals: Totals,
    chapters: Vec<ChapterView<'a>>,
    themes: Vec<ThemeView<'a>>,
    added_locally: Vec<AddedView<'a>>,
    crumbs: Vec<Crumb>,
}

/// One pair in the list of alignments, and on a plan's cover.
#[derive(Serialize)]
pub(in crate::render) struct PairView<'a> {
    pub url: String,
    pub title: String,
    upper: PlanRef<'a>,
    lower: PlanRef<'a>,
    basis: &'static str,
    totals: Totals,
}

/// `alignments/`.
#[derive(Serialize)]
struct AlignmentsPage<'a> {
    title: &'static str,
    pairs: Vec<PairView<'a>>,
    /// The least score of a text match, as shown: `0.40`.
    min_score: String,
    min_title_score: String,
    crumbs: Vec<Crumb>,
}

/// The title of a pair's page.
fn pair_title(upper: &Plan, lower: &Plan) -> String {
    format!(
        "{}承接{}对照",
        lower.meta.short_title, upper.meta.short_title
    )
}

fn totals(a: &Alignment) -> Totals {
    Totals {
        upper_measures: a.rows.len(),
        taken_up: a.taken_up(),
        left_out: a.left_out(),
        percent: (a.ratio() * 100.0).round() as u32,
        lower_measures: a.taking_up.len() + a.added_locally.len(),
        taking_up: a.taking_up.len(),
        added_locally: a.added_locally.len(),
    }
}

impl<'r> Renderer<'r> {
    fn plan_ref(&self, p: usize) -> PlanRef<'r> {
        let plan = &self.site.plans[p];
        PlanRef {
            slug: &plan.slug,
            title: &plan.meta.title,
            short_title: &plan.meta.short_title,
            url: &plan.url,
            level: plan.meta.level.label(),
            region: &plan.meta.region,
        }
    }

    pub(in crate::render) fn measure_ref(&self, index: usize) -> MeasureRef<'r> {
        let entry = &self.analysis.measures[index];
        let m = self.analysis.measure(self.site, entry);
        MeasureRef {
            id: &m.id,
            title: &m.title,
            url: &entry.url,
            plan: &self.site.plans[entry.plan].meta.short_title,
        }
    }

    /// The pair at `k` as listed.
    pub(in crate::render) fn pair_view(&self, k: usize) -> PairView<'r> {
        let a = &self.analysis.alignments.pairs[k];
        let (upper, lower) = (&self.site.plans[a.upper], &self.site.plans[a.lower]);
        PairView {
            url: alignment_url(&upper.slug, &lower.slug),
            title: pair_title(upper, lower),
            upper: self.plan_ref(a.upper),
            lower: self.plan_ref(a.lower),
            basis: a.basis.label(),
            totals: totals(a),
        }
    }

    /// Where the page of the pair at `k` goes.
    pub(in crate::render) fn alignment_page_url(&self, k: usize) -> String {
        let a = &self.analysis.alignments.pairs[k];
        alignment_url(
            &self.site.plans[a.upper].slug,
            &self.site.plans[a.lower].slug,
        )
    }

    pub(in crate::render) fn alignments_page(&self) -> Value {
        let page = AlignmentsPage {
            title: ALIGNMENTS_TITLE,
            pairs: (0..self.analysis.alignments.pairs.len())
                .map(|k| self.pair_view(k))
                .collect(),
            min_score: format!("{MIN_SCORE:.2}"),
            min_title_score: format!("{MIN_TITLE_SCORE:.2}"),
            crumbs: vec![alignments_crumb()],
        };
        to_value(&page)
    }

    pub(in crate::render) fn alignment_page(&self, k: usize) -> Value {
        let a = &self.analysis.alignments.pairs[k];
        let (upper, lower) = (&self.site.plans[a.upper], &self.site.plans[a.lower]);
        let mut chapters: Vec<ChapterView> = upper
            .chapters
            .iter()
            .zip(&a.chapters)
            .map(|(c, share)| ChapterView {
                title: c.division.full_title(),
                url: &c.division.url,
                share: share.into(),
                groups: Vec::new(),
            })
            .collect();
        for (u, takers) in &a.rows {
            let entry = &self.analysis.measures[*u];
            let chapter = &mut chapters[entry.chapter];
            let groups = &mut chapter.groups;
            // Rows come in reading order: a new group starts where the section changes.
            let section = entry
                .section
                .map(|s| &upper.chapters[entry.chapter].sections[s]);
            let title = section.map(|s| s.division.full_title());
            if groups.last().is_none_or(|g| g.title != title) {
                groups.push(GroupView {
                    title,
                    url: section.map_or(chapter.url, |s| &s.division.url),
                    share: ShareView::from(&Share::default()),
                    rows: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("pushed above");
            group.share.measures += 1;
            group.share.taken_up += usize::from(!takers.is_empty());
            group.rows.push(RowView {
                measure: self.measure_ref(*u),
                takers: takers
                    .iter()
                    .map(|t| TakerView {
                        measure: self.measure_ref(t.index),
                        note: note(t),
                    })
                    .collect(),
            });
        }
        chapters.retain(|c| !c.groups.is_empty());
        for group in chapters.iter_mut().flat_map(|c| &mut c.groups) {
            let share = Share {
                measures: group.share.measures,
                taken_up: group.share.taken_up,
                ..Share::default()
            };
            group.share = ShareView::from(&share);
        }
        let themes = a
            .themes
            .iter()
            .map(|(slug, share)| ThemeView {
                slug,
                name: self.theme_name(slug),
                url: crate::model::urls::theme_url(slug),
                share: share.into(),
            })
            .collect();
        let added_locally = a
            .added_locally
            .iter()
            .map(|l| AddedView {
                measure: self.measure_ref(*l),
                location: self
                    .analysis
                    .location(self.site, &self.analysis.measures[*l]),
            })
            .collect();
        let title = pair_title(upper, lower);
        let earlier = matches!(
            (lower.meta.date_written, upper.meta.date_written),
            (Some(l), Some(u)) if l < u
        );
        let page = AlignmentPage {
            title: title.clone(),
            upper: self.plan_ref(a.upper),
            lower: self.plan_ref(a.lower),
            basis: a.basis.label(),
            lower_is_earlier: earlier,
            min_score: format!("{MIN_SCORE:.2}"),
            min_title_score: format!("{MIN_TITLE_SCORE:.2}"),
            totals: totals(a),
            chapters,
            themes,
            added_locally,
            crumbs: vec![
                alignments_crumb(),
                Crumb {
                    title,
                    url: self.alignment_page_url(k),
                },
            ],
        };
        to_value(&page)
    }

    /// A measure's links to the measures of lower plans that take it up (`taken_up_by`) and of
    /// upper plans it takes up (`takes_up`), grouped by plan, without those already shown as
    /// implementing.
    pub(in crate::render) fn alignment_links(
        &self,
        i: usize,
    ) -> (Vec<LinkGroup<'r>>, Vec<LinkGroup<'r>>) {
        let alignments = &self.analysis.alignments;
        let implemented_by = self.analysis.implemented_by.get(&i);
        let implements = self.analysis.implements.get(&i);
        let own_plan = self.analysis.measures[i].plan;
        let groups = |list: Option<&Vec<TakeUp>>, shown: &dyn Fn(usize) -> bool, upper: bool| {
            let kept: Vec<&TakeUp> = list
                .into_iter()
                .flatten()
                .filter(|t| !shown(t.index))
                .collect();
            kept.chunk_by(|a, b| {
                self.analysis.measures[a.index].plan == self.analysis.measures[b.index].plan
            })
            .map(|run| {
                let other = self.analysis.measures[run[0].index].plan;
                let (u, l) = if upper {
                    (own_plan, other)
                } else {
                    (other, own_plan)
                };
                LinkGroup {
                    plan: &self.site.plans[other].meta.short_title,
                    alignment_url: alignment_url(
                        &self.site.plans[u].slug,
                        &self.site.plans[l].slug,
                    ),
                    measures: run.iter().map(|t| self.measure_ref(t.index)).collect(),
                }
            })
            .collect::<Vec<_>>()
        };
        let taken_up_by = groups(
            alignments.taken_up_by.get(&i),
            &|j| implemented_by.is_some_and(|items| items.contains(&j)),
            true,
        );
        let takes_up = groups(
            alignments.takes_up.get(&i),
            &|j| implements == Some(&j),
            false,
        );
        (taken_up_by, takes_up)
    }

    /// The pairs a plan's cover links to.
    pub(in crate::render) fn plan_alignments(&self, p: usize) -> Vec<PairView<'r>> {
        self.analysis
            .alignments
            .of_plan(p)
            .map(|(k, _)| self.pair_view(k))
            .collect()
    }
}

fn note(t: &TakeUp) -> String {
    match t.basis {
        LinkBasis::Implements => "落实".into(),
        LinkBasis::Pinned => "编辑指定".into(),
        LinkBasis::Text => format!("{:.2}", t.score),
        LinkBasis::Title => format!("标题相近 {:.2}", t.score),
    }
}

/// A typed view as the template context (a JSON object).
pub(in crate::render) fn to_value<T: Serialize>(view: &T) -> Value {
    serde_json::to_value(view).unwrap_or_else(|_| json!({}))
}
