//! Scored candidates for a measure among the measures of one chosen plan.
//!
//! Related measures ([`super::related`]) answer "what in the other plans is like this measure?"
//! and keep the five best across all plans. Aligning two plans asks "what in *this* plan is like
//! it?", with every candidate of that plan above a threshold. [`PlanScorer`] weighs the texts as
//! related measures do (the same words from [`related::segment`](super::related::segment), BM25
//! with the same formula and IDF over the whole corpus, the same score
//! `TEXT_WEIGHT × cosine + THEME_WEIGHT × theme overlap`), and keeps an inverted index whose
//! postings are ordered by plan, so that a query walks only the postings of the chosen plan.
//!
//! Cost: a query reads at most `QUERY_TERMS` posting runs, each cut to the `CHAMPIONS` measures of
//! that plan where the word weighs most, and scores at most `RESCORED` candidates exactly: it is
//! bounded whatever the corpus size, so aligning plans grows linearly with the measures aligned.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::related::{sparse_dot as cosine, theme_overlap, Weighed};

/// The alignment score's weights. Unlike the related measures (where the text alone decides and
/// themes only order), taking up is judged within one pair of plans whose themes are assigned
/// alike, and its threshold was calibrated on this score (see `alignment::MIN_SCORE`).
pub const TEXT_WEIGHT: f64 = 0.7;
pub const THEME_WEIGHT: f64 = 0.3;
use crate::analyse::index::MeasureEntry;
use crate::model::Measure;

/// Words of a measure used to find candidates (its weightiest).
const QUERY_TERMS: usize = 16;
/// Words used by more than this share of all measures are not looked up (they are common).
const MAX_DF_SHARE: f64 = 0.08;
/// Each word's postings within one plan are cut to the measures where it weighs most.
const CHAMPIONS: usize = 200;
/// Candidates (by their partial score over the query words) that are scored exactly.
const RESCORED: usize = 60;

/// A measure of the chosen plan with its similarity to the query measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into `Analysis::measures`.
    pub index: usize,
    /// Cosine of the two BM25 text vectors, 0 to 1.
    pub cosine: f64,
    /// `TEXT_WEIGHT × cosine + THEME_WEIGHT × theme overlap`, as for related measures.
    pub score: f64,
}

/// BM25 vectors of every measure and an inverted index ordered by plan.
pub struct PlanScorer<'a> {
    measures: Vec<&'a Measure>,
    plan_of: Vec<u32>,
    /// Whether measures are listed plan by plan (`plan_of` ascending).
    by_plan: bool,
    /// Each measure's words (ids ascending) with their L2-normalised weights.
    vectors: Vec<Vec<(u32, f32)>>,
    /// For each word, (measure, weight), ordered by the measure's plan, then by measure.
    postings: Vec<Vec<(u32, f32)>>,
    /// How many measures use each word.
    df: Vec<usize>,
    max_df: usize,
}

impl<'a> PlanScorer<'a> {
    /// Indexes the measures' texts as [`super::related::weigh`] weighs what
    /// [`super::related::segment`] made of them (indices as in `entries`).
    pub fn new(
        entries: &[MeasureEntry],
        measures: &[&'a Measure],
        weighed: Weighed,
    ) -> PlanScorer<'a> {
        let Weighed { df, vectors, .. } = weighed;
        let n = vectors.len();
        let plan_of: Vec<u32> = entries.iter().map(|e| e.plan as u32).collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); df.len()];
        for (d, v) in vectors.iter().enumerate() {
            for (t, w) in v {
                postings[*t as usize].push((d as u32, *w));
            }
        }
        postings.par_iter_mut().for_each(|list| {
            list.sort_by_key(|(d, _)| (plan_of[*d as usize], *d));
            cut_to_champions(list, &plan_of);
        });
        PlanScorer {
            measures: measures.to_vec(),
            by_plan: plan_of.is_sorted(),
            plan_of,
            vectors,
            postings,
            df,
            max_df: ((n as f64 * MAX_DF_SHARE).ceil() as usize).max(8),
        }
    }

    /// The measures of plan `plan` that share a weighty word with measure `i`, best first
    /// (score, then id), at most `RESCORED` of them.
    pub fn candidates(&self, i: usize, plan: usize) -> Vec<Candidate> {
        let plan = plan as u32;
        let mut query: Vec<&(u32, f32)> = self.vectors[i]
            .iter()
            .filter(|(t, _)| self.df[*t as usize] <= self.max_df)
            .collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(QUERY_TERMS);
        let mut partial: FxHashMap<usize, f32> = FxHashMap::default();
        // When measures are listed plan by plan (as the analysis lists them), a plan's measures
        // are one run of indices and each posting list (ordered by plan, then measure) is
        // ordered by measure: it is cut to the plan by bisecting on the measure itself, not on
        // its plan read from a table at every step (a random read at a million measures).
        let run = self.by_plan.then(|| {
            let first = self.plan_of.partition_point(|p| *p < plan) as u32;
            let past = self.plan_of.partition_point(|p| *p <= plan) as u32;
            (first, past)
        });
        for (t, w) in query {
            let list = &self.postings[*t as usize];
            let (start, end) = match run {
                Some((first, past)) => (
                    list.partition_point(|(d, _)| *d < first),
                    list.partition_point(|(d, _)| *d < past),
                ),
                None => (
                    list.partition_point(|(d, _)| self.plan_of[*d as usize] < plan),
                    list.partition_point(|(d, _)| self.plan_of[*d as usize] <= plan),
                ),
            };
            for (d, w2) in &list[start..end] {
                let d = *d as usize;
                if d != i {
                    *partial.entry(d).or_default() += w * w2;
                }
            }
        }
        let mut likely: Vec<(usize, f32)> = partial.into_iter().collect();
        likely.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        likely.truncate(RESCORED);
        let mut scored: Vec<Candidate> =
            likely.into_iter().map(|(j, _)| self.score(i, j)).collect();
        scored.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.measures[a.index].id.cmp(&self.measures[b.index].id))
        });
        scored
    }

    /// The similarity of measures `i` and `j`, scored exactly.
    pub fn score(&self, i: usize, j: usize) -> Candidate {
        let cosine = cosine(&self.vectors[i], &self.vectors[j]);
        let themes = theme_overlap(&self.measures[i].themes, &self.measures[j].themes);
        let score = TEXT_WEIGHT * cosine + THEME_WEIGHT * themes;
        Candidate {
            index: j,
            cosine: (cosine * 1000.0).round() / 1000.0,
            score: (score * 1000.0).round() / 1000.0,
        }
    }
}

/// Cuts each plan's run of a posting list (ordered by plan) to the `CHAMPIONS` measures where the
/// word weighs most, keeping the order by plan and measure.
fn cut_to_champions(list: &mut Vec<(u32, f32)>, plan_of: &[u32]) {
    let too_long = list
        .chunk_by(|a, b| plan_of[a.0 as usize] == plan_of[b.0 as usize])
        .any(|run| run.len() > CHAMPIONS);
    if !too_long {
        return;
    }
    let mut kept = Vec::with_capacity(list.len());
    for run in list.chunk_by(|a, b| plan_of[a.0 as usize] == plan_of[b.0 as usize]) {
        let mut run = run.to_vec();
        if run.len() > CHAMPIONS {
            run.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            run.truncate(CHAMPIONS);
            run.sort_by_key(|(d, _)| *d);
        }
        kept.extend(run);
    }
    *list = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn champions_are_cut_per_plan() {
        // Plan 0 has CHAMPIONS + 2 postings, plan 1 has one.
        let n = CHAMPIONS + 3;
        let plan_of: Vec<u32> = (0..n).map(|d| u32::from(d == n - 1)).collect();
        let mut list: Vec<(u32, f32)> = (0..n).map(|d| (d as u32, d as f32)).collect();
        cut_to_champions(&mut list, &plan_of);
        assert_eq!(list.len(), CHAMPIONS + 1);
        // The two lightest of plan 0 are gone; plan 1 keeps its one.
        assert_eq!(list[0].0, 2);
        assert_eq!(list.last().unwrap().0 as usize, n - 1);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0));
    }

    fn measure(id: &str, themes: &[&str]) -> Measure {
        Measure {
            id: id.into(),
            heading: String::new(),
            title: id.into(),
            themes: themes.iter().map(|t| t.to_string()).collect(),
            units: Vec::new(),
            related: Vec::new(),
            not_related: Vec::new(),
            implements: None,
            body: Default::default(),
            text: String::new(),
            file: Default::default(),
            line: 1,
        }
    }

    #[test]
    fn candidates_come_from_the_chosen_plan_only() {
        let measures = [
            measure("a1", &["green"]),
            measure("a2", &["green"]),
            measure("b1", &["green"]),
            measure("b2", &["fintech"]),
            measure("c1", &["green"]),
        ];
        let refs: Vec<&Measure> = measures.iter().collect();
        let docs: Vec<Vec<&str>> = vec![
            vec!["碳排放权", "交易", "绿色信贷"],
            vec!["碳排放权", "交易"],
            vec!["碳排放权", "交易", "绿色信贷", "试点"],
            vec!["绿色信贷", "数字人民币"],
            vec!["碳排放权", "交易", "绿色信贷"],
        ];
        let entries = |plans: [usize; 5]| -> Vec<MeasureEntry> {
            plans
                .iter()
                .enumerate()
                .map(|(index, plan)| MeasureEntry {
                    plan: *plan,
                    chapter: 0,
                    section: None,
                    index,
                    url: String::new(),
                })
                .collect()
        };
        // Measures listed plan by plan are found by their run of indices; listed otherwise, by
        // their plans: the same candidates.
        let mixed = PlanScorer::new(
            &entries([1, 0, 1, 0, 2]),
            &refs,
            crate::analyse::related::weigh(&docs),
        );
        let indices = |found: Vec<Candidate>| found.iter().map(|c| c.index).collect::<Vec<_>>();
        assert_eq!(indices(mixed.candidates(0, 0)), [1, 3]);
        assert_eq!(indices(mixed.candidates(1, 1)), [0, 2]);
        assert!(indices(mixed.candidates(0, 7)).is_empty());
        let entries = entries([0, 0, 1, 1, 2]);
        let scorer = PlanScorer::new(&entries, &refs, crate::analyse::related::weigh(&docs));
        assert!(indices(scorer.candidates(0, 7)).is_empty());
        let found = scorer.candidates(0, 1);
        let ids: Vec<usize> = found.iter().map(|c| c.index).collect();
        // Only plan 1's measures, best first: b1 shares all three words and the theme.
        assert_eq!(ids, [2, 3]);
        assert!(found[0].score > found[1].score && found[0].cosine > found[1].cosine);
        // Scores are symmetric, and a plan's own measures are candidates only when asked for.
        assert_eq!(scorer.score(0, 2).score, scorer.score(2, 0).score);
        assert_eq!(
            scorer
                .candidates(0, 0)
                .iter()
                .map(|c| c.index)
                .collect::<Vec<_>>(),
            [1]
        );
        // The same text in another plan scores 1 (cosine) and full theme overlap.
        let twin = scorer.score(0, 4);
        assert_eq!((twin.cosine, twin.score), (1.0, 1.0));
    }

    #[test]
    fn cosine_of_sorted_vectors() {
        let a = [(1, 0.6), (3, 0.8)];
        let b = [(0, 0.5), (3, 1.0)];
        assert!((cosine(&a, &b) - 0.8).abs() < 1e-6);
    }
}
