//! Alignments between plans, upper → lower: which measures of the higher plan the lower plan
//! takes up, which it leaves out, and what it adds of its own.
//!
//! The pairs come from plan metadata ([`super::hierarchy`]). Within a pair, a lower measure
//! **takes up** an upper measure when
//!
//! * it implements it (an item's computed or edited `implements`, see [`super::mapping`]), or
//! * the two texts are alike: their related-measures score reaches [`MIN_SCORE`] and their text
//!   cosine [`MIN_COSINE`], or their titles are alike ([`MIN_TITLE_SIMILARITY`]) and the score
//!   reaches [`MIN_TITLE_SCORE`]. Candidates come from the related lists of both measures (so an
//!   editor's `related=` pin counts) and from [`PlanScorer`], which finds every candidate
//!   within the other plan of the pair, beyond the five a related list keeps; an editor's
//!   `not_related=` is respected.
//!
//! An upper measure no lower measure takes up is **left out**; a lower measure that takes up no
//! upper measure is **added locally**. The shares taken up are counted per chapter of the upper
//! plan and per theme. Each measure queries the other plan through that plan's own inverted
//! index ([`PlanIndex`](super::candidates::PlanIndex), both directions), never all pairs of
//! measures: the cost grows linearly with the measures aligned.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::candidates::PlanScorer;
use super::hierarchy::{plan_pairs, PairBasis};
use super::index::{plan_measures, MeasureEntry};
use super::mapping::{title_similarity, Mapping};
use super::related::Related;
use crate::model::{Measure, Site};

/// The least alignment score (`0.7 × cosine + 0.3 × theme overlap`, [`PlanScorer`]) for a text match to
/// count as taking up: above the 0.30 at which related measures are shown, where a link may rest
/// on a broad theme only. Calibrated on the 143 shown links judged by reading
/// (`tests/related_judged.tsv`): of those scoring 0.40 or more, 87% share the same
/// instrument or target, 13% the same broad theme, none is wrong, and they keep 71% of the
/// links that share an instrument; at 0.45 precision is 98% but recall falls to 45%, which would
/// overstate what lower plans leave out twofold. 84% of the implementation mapping's links reach
/// 0.40 by their texts alone. `tests/testsuite/alignments.rs` keeps these figures.
pub const MIN_SCORE: f64 = 0.40;
/// The least text cosine for a text match, whatever the themes (as for related measures).
pub const MIN_COSINE: f64 = 0.12;
/// Two measures whose titles (lead phrases) are alike, by character-bigram Dice similarity as
/// the implementation mapping matches titles, take each other up from a lower score,
/// [`MIN_TITLE_SCORE`]: a plan that repeats the lead phrase above it (推进金融市场一体化 in both)
/// takes it up even in other words (and with few words in common: no least cosine here).
pub const MIN_TITLE_SIMILARITY: f64 = 0.5;
pub const MIN_TITLE_SCORE: f64 = 0.35;

/// Why a lower measure is said to take up an upper one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkBasis {
    /// It implements it (implementation mapping or an editor's `implements=`).
    Implements,
    /// An editor's `related=` pin.
    Pinned,
    /// The texts are alike.
    Text,
    /// The titles are alike, and the texts somewhat.
    Title,
}

/// A lower measure taking up an upper one.
#[derive(Debug, Clone, PartialEq)]
pub struct TakeUp {
    /// Index into `Analysis::measures` (of the lower measure on an upper row, of the upper
    /// measure in [`Alignments::takes_up`]).
    pub index: usize,
    /// The related-measures score of the pair (1 for an editor's pin).
    pub score: f64,
    pub basis: LinkBasis,
}

/// How much of the upper plan's measures of one chapter, or one theme, the lower plan takes up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    /// Upper measures, and how many of them are taken up.
    pub measures: usize,
    pub taken_up: usize,
    /// Lower measures (with this theme), and how many of them are added locally; 0 for chapters.
    pub lower_measures: usize,
    pub added_locally: usize,
}

impl Share {
    /// The share of upper measures taken up, 0 to 1 (0 without measures).
    pub fn ratio(&self) -> f64 {
        if self.measures == 0 {
            0.0
        } else {
            self.taken_up as f64 / self.measures as f64
        }
    }
}

/// One pair of plans aligned.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Plan indices.
    pub upper: usize,
    pub lower: usize,
    pub basis: PairBasis,
    /// Every measure of the upper plan in reading order, with the lower measures that take it
    /// up, best first (see `best_first`).
    pub rows: Vec<(usize, Vec<TakeUp>)>,
    /// Measures of the lower plan that take up at least one upper measure, in reading order.
    pub taking_up: Vec<usize>,
    /// Measures of the lower plan that take up none, in reading order.
    pub added_locally: Vec<usize>,
    /// Per chapter of the upper plan (by index), in order.
    pub chapters: Vec<Share>,
    /// Per theme slug (in `themes.toml` order) carried by a measure of either plan.
    pub themes: Vec<(String, Share)>,
}

impl Alignment {
    /// Upper measures taken up by at least one lower measure.
    pub fn taken_up(&self) -> usize {
        self.rows.iter().filter(|(_, l)| !l.is_empty()).count()
    }

    /// Upper measures no lower measure takes up.
    pub fn left_out(&self) -> usize {
        self.rows.len() - self.taken_up()
    }

    /// The share of upper measures taken up.
    pub fn ratio(&self) -> f64 {
        Share {
            measures: self.rows.len(),
            taken_up: self.taken_up(),
            ..Share::default()
        }
        .ratio()
    }
}

/// Every alignment, with each measure's links across them.
#[derive(Debug, Clone, Default)]
pub struct Alignments {
    pub pairs: Vec<Alignment>,
    /// Upper measure → the lower measures (of every pair) that take it up.
    pub taken_up_by: HashMap<usize, Vec<TakeUp>>,
    /// Lower measure → the upper measures (of every pair) it takes up.
    pub takes_up: HashMap<usize, Vec<TakeUp>>,
}

impl Alignments {
    /// The alignments in which plan `p` is the upper or the lower plan.
    pub fn of_plan(&self, p: usize) -> impl Iterator<Item = (usize, &Alignment)> {
        self.pairs
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.upper == p || a.lower == p)
    }
}

/// What the alignments are computed from.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub entries: &'a [MeasureEntry],
    pub measures: &'a [&'a Measure],
    pub related: &'a [Vec<Related>],
    pub mappings: &'a [Mapping],
    pub scorer: &'a PlanScorer<'a>,
}

/// A pair of plans to align: the upper plan, the lower one (indices into `Site::plans`) and
/// why the one stands above the other.
pub type Pair = (usize, usize, PairBasis);

/// The pairs of plans where one stands above the other; with `plans`, only those in which one
/// of these plans stands.
pub fn pairs(site: &Site, plans: Option<&[usize]>) -> Vec<Pair> {
    let mut pairs = plan_pairs(site.plans.iter().map(|p| (p.slug.as_str(), &p.meta)));
    if let Some(plans) = plans {
        pairs.retain(|(upper, lower, _)| plans.contains(upper) || plans.contains(lower));
    }
    pairs
}

/// Aligns the `pairs` (see [`pairs`]).
pub fn alignments(inputs: &Inputs<'_>, pairs: Vec<Pair>) -> Alignments {
    use rayon::prelude::*;
    let mut result = Alignments::default();
    let aligned: Vec<Alignment> = pairs
        .into_par_iter()
        .map(|pair| align(inputs, pair))
        .collect();
    for alignment in aligned {
        for (u, links) in &alignment.rows {
            for link in links {
                result.taken_up_by.entry(*u).or_default().push(link.clone());
                result.takes_up.entry(link.index).or_default().push(TakeUp {
                    index: *u,
                    ..link.clone()
                });
            }
        }
        result.pairs.push(alignment);
    }
    for list in result.takes_up.values_mut() {
        list.sort_by(|a, b| best_first(a, b, inputs.entries));
    }
    result
}

/// By plan; within a plan implementing links first, then pins, text matches and alike titles;
/// then by score, then in reading order.
fn best_first(a: &TakeUp, b: &TakeUp, entries: &[MeasureEntry]) -> std::cmp::Ordering {
    let plan = |t: &TakeUp| entries[t.index].plan;
    plan(a)
        .cmp(&plan(b))
        .then(a.basis.cmp(&b.basis))
        .then(b.score.total_cmp(&a.score))
        .then(a.index.cmp(&b.index))
}

fn align(inputs: &Inputs<'_>, (upper, lower, basis): Pair) -> Alignment {
    let Inputs {
        site,
        entries,
        measures,
        related,
        mappings,
        scorer,
    } = inputs;
    let banned = |a: usize, b: usize| {
        let names = |x: usize, y: usize| measures[x].not_related.contains(&measures[y].id);
        names(a, b) || names(b, a)
    };
    // (upper, lower) → how the lower measure takes the upper one up, and the score.
    let mut links: BTreeMap<(usize, usize), (LinkBasis, f64)> = BTreeMap::new();
    let mut add = |u: usize, l: usize, link: (LinkBasis, f64)| {
        let slot = links.entry((u, l)).or_insert(link);
        if link.0 < slot.0 || (link.0 == slot.0 && link.1 > slot.1) {
            *slot = link;
        }
    };
    // How a pair passes as a text match, if it does.
    let passes = |i: usize, j: usize, score: f64, cosine: f64| {
        if score >= MIN_SCORE && cosine >= MIN_COSINE {
            Some(LinkBasis::Text)
        } else if score >= MIN_TITLE_SCORE
            && title_similarity(&measures[i].title, &measures[j].title) >= MIN_TITLE_SIMILARITY
        {
            Some(LinkBasis::Title)
        } else {
            None
        }
    };
    for mapping in mappings
        .iter()
        .filter(|m| m.implementing == lower && m.implemented == upper)
    {
        for (item, (task, _)) in &mapping.item_task {
            add(
                *task,
                *item,
                (LinkBasis::Implements, scorer.score(*task, *item).score),
            );
        }
    }
    // Both directions: a query keeps only its likeliest candidates.
    for (from, to) in [(upper, lower), (lower, upper)] {
        // The pair as (upper measure, lower measure).
        let oriented = |i: usize, j: usize| if from == upper { (i, j) } else { (j, i) };
        let to_index = scorer.index(plan_measures(entries, to));
        for i in plan_measures(entries, from) {
            for r in related[i].iter().filter(|r| entries[r.index].plan == to) {
                let pinned = measures[i].related.contains(&measures[r.index].id)
                    || measures[r.index].related.contains(&measures[i].id);
                // The alignment's own score (the related list's score orders a different
                // decision: what to show beside a measure).
                let exact = scorer.score(i, r.index);
                let score = exact.score;
                let (u, l) = oriented(i, r.index);
                if banned(i, r.index) {
                    continue;
                } else if pinned {
                    add(u, l, (LinkBasis::Pinned, 1.0));
                } else if let Some(basis) = passes(i, r.index, score, exact.cosine) {
                    add(u, l, (basis, score));
                }
            }
            for c in scorer.candidates(i, &to_index) {
                if banned(i, c.index) {
                    continue;
                }
                if let Some(basis) = passes(i, c.index, c.score, c.cosine) {
                    let (u, l) = oriented(i, c.index);
                    add(u, l, (basis, c.score));
                }
            }
        }
    }
    // The upper plan's measures are one run: a measure's row is its place in it.
    let upper_measures = plan_measures(entries, upper);
    let first = upper_measures.start;
    let mut rows: Vec<(usize, Vec<TakeUp>)> = upper_measures.map(|u| (u, Vec::new())).collect();
    let mut taking: BTreeSet<usize> = BTreeSet::new();
    for ((u, l), (basis, score)) in links {
        rows[u - first].1.push(TakeUp {
            index: l,
            score,
            basis,
        });
        taking.insert(l);
    }
    for (_, list) in &mut rows {
        list.sort_by(|a, b| best_first(a, b, entries));
    }
    let added_locally: Vec<usize> = plan_measures(entries, lower)
        .filter(|l| !taking.contains(l))
        .collect();
    let mut chapters = vec![Share::default(); site.plans[upper].chapters.len()];
    for (u, list) in &rows {
        let share = &mut chapters[entries[*u].chapter];
        share.measures += 1;
        share.taken_up += usize::from(!list.is_empty());
    }
    let mut by_theme: HashMap<&str, Share> = HashMap::new();
    for (u, list) in &rows {
        for t in &measures[*u].themes {
            let share = by_theme.entry(t).or_default();
            share.measures += 1;
            share.taken_up += usize::from(!list.is_empty());
        }
    }
    for l in plan_measures(entries, lower) {
        for t in &measures[l].themes {
            let share = by_theme.entry(t).or_default();
            share.lower_measures += 1;
            share.added_locally += usize::from(!taking.contains(&l));
        }
    }
    let themes = site
        .themes
        .iter()
        .filter_map(|t| {
            by_theme
                .remove(t.slug.as_str())
                .map(|s| (t.slug.clone(), s))
        })
        .collect();
    Alignment {
        upper,
        lower,
        basis,
        rows,
        taking_up: taking.into_iter().collect(),
        added_locally,
        chapters,
        themes,
    }
}
