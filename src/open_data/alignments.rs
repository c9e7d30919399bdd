//! `data/alignments.json` and `data/alignments.csv`: for each pair of upper and lower plans,
//! which measures of the upper plan the lower one takes up, the shares per chapter and theme,
//! and the lower plan's measures added locally (see `analyse::alignment`). The records are the
//! schema, documented in the README: add fields, never rename or remove one.

use std::io::Write;

use serde::Serialize;

use super::csv::Table;
use crate::analyse::alignment::{Alignment, LinkBasis, Share, MIN_SCORE, MIN_TITLE_SCORE};
use crate::analyse::hierarchy::PairBasis;
use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::model::Site;

#[derive(Serialize)]
pub(super) struct AlignmentRecord<'a> {
    upper: &'a str,
    lower: &'a str,
    basis: PairBasis,
    /// The least related-measures score of a text match, and of one between alike titles.
    min_score: f64,
    min_title_score: f64,
    upper_measures: usize,
    taken_up: usize,
    left_out: usize,
    /// Taken up over upper measures, 0 to 1.
    share: f64,
    lower_measures: usize,
    taking_up: usize,
    added_locally: usize,
    /// Every measure of the upper plan, in reading order.
    measures: Vec<UpperRecord<'a>>,
    /// Ids of the lower plan's measures added locally, in reading order.
    added_locally_measures: Vec<&'a str>,
    chapters: Vec<ChapterShare>,
    themes: Vec<ThemeShare<'a>>,
    url: String,
    /// `None` (JSON `null`) when the site has no base URL.
    permalink: Option<String>,
}

#[derive(Serialize)]
struct UpperRecord<'a> {
    id: &'a str,
    chapter: String,
    /// The lower measures that take it up, best first; empty when it is left out.
    taken_up_by: Vec<LinkRecord<'a>>,
}

#[derive(Serialize)]
struct LinkRecord<'a> {
    id: &'a str,
    score: f64,
    basis: LinkBasis,
}

#[derive(Serialize)]
struct ChapterShare {
    chapter: String,
    measures: usize,
    taken_up: usize,
    share: f64,
}

#[derive(Serialize)]
struct ThemeShare<'a> {
    theme: &'a str,
    measures: usize,
    taken_up: usize,
    share: f64,
    lower_measures: usize,
    added_locally: usize,
}

fn share(s: &Share) -> f64 {
    (s.ratio() * 10_000.0).round() / 10_000.0
}

/// The alignments, in the order of the analysis (upper plans by rank).
pub(super) fn records<'a>(site: &'a Site, analysis: &'a Analysis) -> Vec<AlignmentRecord<'a>> {
    let id = |i: usize| analysis.measure(site, &analysis.measures[i]).id.as_str();
    analysis
        .alignments
        .pairs
        .iter()
        .map(|a: &Alignment| {
            let (upper, lower) = (&site.plans[a.upper], &site.plans[a.lower]);
            let url = crate::model::urls::alignment_url(&upper.slug, &lower.slug);
            AlignmentRecord {
                upper: &upper.slug,
                lower: &lower.slug,
                basis: a.basis,
                min_score: MIN_SCORE,
                min_title_score: MIN_TITLE_SCORE,
                upper_measures: a.rows.len(),
                taken_up: a.taken_up(),
                left_out: a.left_out(),
                share: (a.ratio() * 10_000.0).round() / 10_000.0,
                lower_measures: a.taking_up.len() + a.added_locally.len(),
                taking_up: a.taking_up.len(),
                added_locally: a.added_locally.len(),
                measures: a
                    .rows
                    .iter()
                    .map(|(u, takers)| UpperRecord {
                        id: id(*u),
                        chapter: upper.chapters[analysis.measures[*u].chapter]
                            .division
                            .full_title(),
                        taken_up_by: takers
                            .iter()
                            .map(|t| LinkRecord {
                                id: id(t.index),
                                score: t.score,
                                basis: t.basis,
                            })
                            .collect(),
                    })
                    .collect(),
                added_locally_measures: a.added_locally.iter().map(|l| id(*l)).collect(),
                chapters: upper
                    .chapters
                    .iter()
                    .zip(&a.chapters)
                    .filter(|(_, s)| s.measures > 0)
                    .map(|(c, s)| ChapterShare {
                        chapter: c.division.full_title(),
                        measures: s.measures,
                        taken_up: s.taken_up,
                        share: share(s),
                    })
                    .collect(),
                themes: a
                    .themes
                    .iter()
                    .map(|(theme, s)| ThemeShare {
                        theme,
                        measures: s.measures,
                        taken_up: s.taken_up,
                        share: share(s),
                        lower_measures: s.lower_measures,
                        added_locally: s.added_locally,
                    })
                    .collect(),
                permalink: site.config.permalink(&url),
                url,
            }
        })
        .collect()
}

/// `data/alignments.csv`: one row per link (`taken_up`), per upper measure no lower measure
/// takes up (`left_out`) and per lower measure added locally (`added_locally`).
pub(super) fn csv(out: &mut dyn Write, records: &[AlignmentRecord]) -> Result<(), BuildError> {
    let mut table = Table::new(
        out,
        &[
            "upper_plan",
            "lower_plan",
            "status",
            "upper_measure",
            "upper_chapter",
            "lower_measure",
            "score",
            "basis",
        ],
    );
    let basis = |b: LinkBasis| {
        serde_json::to_value(b)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    };
    for r in records {
        for m in &r.measures {
            if m.taken_up_by.is_empty() {
                table.row(vec![
                    r.upper.into(),
                    r.lower.into(),
                    "left_out".into(),
                    m.id.into(),
                    m.chapter.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            for t in &m.taken_up_by {
                table.row(vec![
                    r.upper.into(),
                    r.lower.into(),
                    "taken_up".into(),
                    m.id.into(),
                    m.chapter.clone(),
                    t.id.into(),
                    t.score.to_string(),
                    basis(t.basis),
                ]);
            }
        }
        for l in &r.added_locally_measures {
            table.row(vec![
                r.upper.into(),
                r.lower.into(),
                "added_locally".into(),
                String::new(),
                String::new(),
                (*l).into(),
                String::new(),
                String::new(),
            ]);
        }
    }
    table.finish()
}
