//! Scored candidates for a measure among the measures of one chosen plan.
//!
//! Related measures ([`super::related`]) answer "what in the other plans is like this measure?"
//! and keep the five best across all plans. Aligning two plans asks "what in *this* plan is like
//! it?", with every candidate of that plan above a threshold. [`PlanScorer`] weighs the texts as
//! related measures do (the same words from [`related::segment`](super::related::segment), BM25
//! with the same formula and IDF over the whole corpus, the same score
//! `TEXT_WEIGHT × cosine + THEME_WEIGHT × theme overlap`). A query looks up the chosen plan's own
//! inverted index ([`PlanIndex`]), made from that plan's measures alone.
//!
//! Cost: a query reads at most `QUERY_TERMS` posting runs, each cut to the `CHAMPIONS` measures of
//! that plan where the word weighs most, and scores at most `RESCORED` candidates exactly; a
//! plan's index costs what its measures' words do. Both are bounded whatever the corpus size, so
//! aligning plans grows linearly with the measures aligned.

use rustc_hash::FxHashMap;

use super::related::{sparse_dot as cosine, theme_overlap, Vectors, Weighed};

/// The alignment score's weights. Unlike the related measures (where the text alone decides and
/// themes only order), taking up is judged within one pair of plans whose themes are assigned
/// alike, and its threshold was calibrated on this score (see `alignment::MIN_SCORE`).
pub const TEXT_WEIGHT: f64 = 0.7;
pub const THEME_WEIGHT: f64 = 0.3;
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

/// BM25 vectors of every measure, from which [`PlanIndex`]es are made.
pub struct PlanScorer<'a> {
    measures: Vec<&'a Measure>,
    /// Each measure's words (ids ascending) with their L2-normalised weights.
    vectors: Vectors,
    /// How many measures use each word.
    df: Vec<usize>,
    max_df: usize,
}

/// The inverted index of one plan's measures: small enough to stay in the processor's cache
/// while every measure of the other plan of a pair queries it. One inverted index over the
/// whole corpus, cut to a plan by bisection, missed the cache at every step of the bisection at a
/// million measures (its lists of common words reach 8 % of all measures).
pub struct PlanIndex {
    /// (word, measure, weight) for each word of the plan's measures that a query may look up,
    /// by word, then measure; each word's run cut to the `CHAMPIONS` measures where it weighs
    /// most.
    postings: Vec<(u32, u32, f32)>,
}

impl<'a> PlanScorer<'a> {
    /// Keeps the measures' texts as [`super::related::weigh`] weighs what
    /// [`super::related::segment`] made of them (indices as in `measures`).
    pub fn new(measures: &[&'a Measure], weighed: Weighed) -> PlanScorer<'a> {
        let Weighed { df, vectors, .. } = weighed;
        let n = vectors.len();
        PlanScorer {
            measures: measures.to_vec(),
            vectors,
            df,
            max_df: ((n as f64 * MAX_DF_SHARE).ceil() as usize).max(8),
        }
    }

    /// Indexes the measures of one plan (their indices), to query with [`PlanScorer::candidates`].
    pub fn index(&self, plan: impl IntoIterator<Item = usize>) -> PlanIndex {
        let mut postings: Vec<(u32, u32, f32)> = Vec::new();
        for d in plan {
            let words = self.vectors[d].iter();
            let looked_up = words.filter(|(t, _)| self.looked_up(*t));
            postings.extend(looked_up.map(|(t, w)| (*t, d as u32, *w)));
        }
        postings.sort_unstable_by_key(|(t, d, _)| (*t, *d));
        cut_to_champions(&mut postings);
        PlanIndex { postings }
    }

    /// The measures of the `plan` indexed that share a weighty word with measure `i`, best first
    /// (score, then id), at most `RESCORED` of them.
    pub fn candidates(&self, i: usize, plan: &PlanIndex) -> Vec<Candidate> {
        let mut query: Vec<&(u32, f32)> = self.vectors[i]
            .iter()
            .filter(|(t, _)| self.looked_up(*t))
            .collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(QUERY_TERMS);
        let mut partial: FxHashMap<usize, f32> = FxHashMap::default();
        for (t, w) in query {
            let start = plan.postings.partition_point(|(u, _, _)| u < t);
            for (_, d, w2) in plan.postings[start..].iter().take_while(|(u, _, _)| u == t) {
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

    /// Whether word `t` is looked up: it is not used by more than `MAX_DF_SHARE` of all measures.
    fn looked_up(&self, t: u32) -> bool {
        self.df[t as usize] <= self.max_df
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

/// Cuts each word's run of a plan's postings (by word, then measure) to the `CHAMPIONS`
/// measures where the word weighs most, keeping the order by word and measure.
fn cut_to_champions(postings: &mut Vec<(u32, u32, f32)>) {
    let same_word = |a: &(u32, u32, f32), b: &(u32, u32, f32)| a.0 == b.0;
    if !postings
        .chunk_by(same_word)
        .any(|run| run.len() > CHAMPIONS)
    {
        return;
    }
    let mut kept = Vec::with_capacity(postings.len());
    for run in postings.chunk_by(same_word) {
        let mut run = run.to_vec();
        if run.len() > CHAMPIONS {
            run.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
            run.truncate(CHAMPIONS);
            run.sort_by_key(|(_, d, _)| *d);
        }
        kept.extend(run);
    }
    *postings = kept;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn champions_are_cut_per_word() {
        // Word 0 is in CHAMPIONS + 2 measures, word 1 in one.
        let n = CHAMPIONS + 2;
        let mut postings: Vec<(u32, u32, f32)> = (0..n).map(|d| (0, d as u32, d as f32)).collect();
        postings.push((1, 0, 0.5));
        cut_to_champions(&mut postings);
        assert_eq!(postings.len(), CHAMPIONS + 1);
        // The two lightest measures of word 0 are gone; word 1 keeps its one.
        assert_eq!(postings[0], (0, 2, 2.0));
        assert_eq!(postings.last(), Some(&(1, 0, 0.5)));
        assert!(postings
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
    }

    /// A measure with only an id and themes, for tests.
    pub(crate) fn measure(id: &str, themes: &[&str]) -> Measure {
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
            text: std::sync::Arc::from(""),
            file: std::path::Path::new("").into(),
            line: 1,
        }
    }

    #[test]
    fn candidates_come_from_the_indexed_measures_only() {
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
        let scorer = PlanScorer::new(&refs, crate::analyse::related::weigh(&docs));
        let indices = |found: Vec<Candidate>| found.iter().map(|c| c.index).collect::<Vec<_>>();
        // A plan's measures need not be one run of indices.
        assert_eq!(indices(scorer.candidates(0, &scorer.index([3, 1]))), [1, 3]);
        assert_eq!(indices(scorer.candidates(1, &scorer.index([0, 2]))), [0, 2]);
        assert!(indices(scorer.candidates(0, &scorer.index([]))).is_empty());
        let found = scorer.candidates(0, &scorer.index(2..4));
        let ids: Vec<usize> = found.iter().map(|c| c.index).collect();
        // Only the measures indexed (2 and 3), best first: b1 shares all three words and the
        // theme.
        assert_eq!(ids, [2, 3]);
        assert!(found[0].score > found[1].score && found[0].cosine > found[1].cosine);
        // Scores are symmetric, and a measure's own plan gives candidates only when indexed.
        assert_eq!(scorer.score(0, 2).score, scorer.score(2, 0).score);
        assert_eq!(indices(scorer.candidates(0, &scorer.index(0..2))), [1]);
        // The same text in another plan scores 1 (cosine) and full theme overlap.
        let twin = scorer.score(0, 4);
        assert_eq!((twin.cosine, twin.score), (1.0, 1.0));
    }

    #[test]
    fn a_common_word_finds_no_candidates() {
        // 常见 is in all ten measures, above the share of measures a word looked up may have;
        // 稀有 in two of them.
        let measures: Vec<Measure> = (0..10).map(|i| measure(&format!("m{i}"), &[])).collect();
        let refs: Vec<&Measure> = measures.iter().collect();
        let docs: Vec<Vec<&str>> = (0..10)
            .map(|i| {
                if i < 2 {
                    vec!["常见", "稀有"]
                } else {
                    vec!["常见"]
                }
            })
            .collect();
        let scorer = PlanScorer::new(&refs, crate::analyse::related::weigh(&docs));
        let everyone = scorer.index(0..10);
        let found = |i: usize| -> Vec<usize> {
            let found = scorer.candidates(i, &everyone);
            found.iter().map(|c| c.index).collect()
        };
        assert_eq!(found(0), [1]);
        assert!(found(5).is_empty());
        // The word is not indexed either: a plan of the measures with it alone gives nothing.
        assert!(scorer.index(2..10).postings.is_empty());
    }

    #[test]
    fn cosine_of_sorted_vectors() {
        let a = [(1, 0.6), (3, 0.8)];
        let b = [(0, 0.5), (3, 1.0)];
        assert!((cosine(&a, &b) - 0.8).abs() < 1e-6);
    }
}
