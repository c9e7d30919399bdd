//! Related measures in other plans.
//!
//! Each measure's text is segmented into Chinese words (jieba, keeping the glossary's terms
//! whole), boilerplate words are dropped,
//! and the rest are weighted by BM25 (a word that many measures use counts little). Candidates
//! come from an inverted index: a measure is compared only with measures that share one of its
//! weightiest words, words used by a large share of all measures are not looked up, and each
//! word's posting list is cut to the measures where it weighs most, so a measure's candidates
//! cost the same however large the corpus: the whole grows linearly, not with its square.
//!
//! The text decides: a pair is shown when the cosine of the two texts reaches `MIN_COSINE`, or
//! `MIN_COSINE_INSTRUMENT` when they name the same instrument of the glossary
//! (`content/glossary.toml`, where QFLP and 合格境外有限合伙人 are one word). The order is the
//! cosine, plus `INSTRUMENT_BONUS` for a shared instrument, plus at most `THEME_TIE` for shared
//! themes: themes order near-equal candidates, they never admit a pair. A measure and the task it
//! implements already show each other as "implements", so they take no related slot. Editors pin
//! pairs with `related="id …"` and suppress them with `not_related="id …"` (both apply in both
//! directions).
//!
//! Up to `EXACT_UP_TO` measures, every pair that shares a word is scored exactly. Above, the
//! candidates come from the inverted index described above (`Strategy::Shortcut`).

use rustc_hash::FxHashMap;

use self::order::{IdOrder, Key};
use self::postings::Postings;
use self::space::{Prefetch, Scatter, Space};
use self::sums::{Best, Rank, Sums};
use self::themes::ThemeSets;
use crate::analyse::index::{plan_measures, MeasureEntry};
use crate::model::{Measure, Site};

mod dictionary;
pub mod lexicon;
mod order;
mod postings;
mod reason;
mod reuse;
mod segment;
mod space;
mod sums;
mod themes;

use self::dictionary::jieba;
pub use self::dictionary::warm_up;
pub use self::lexicon::Lexicon;
pub use self::reuse::{ListCache, ListInputs};
use self::reuse::{ReasonKey, Reasons};
use self::segment::is_word_char;
pub use self::segment::{segment, segment_and_weigh, terms, SegmentCache};
pub(crate) use self::space::{bm25_idf, bm25_weight, sparse_dot};
pub use self::space::{weigh, Vectors, Weighed};

/// How many related measures a measure shows at most.
pub const MAX_RELATED: usize = 5;
/// The least text similarity a shown pair must have.
pub const MIN_COSINE: f64 = 0.16;
/// The least text similarity of a pair that names the same instrument.
pub const MIN_COSINE_INSTRUMENT: f64 = 0.08;
/// Added to the order of a pair that names the same instrument.
pub const INSTRUMENT_BONUS: f64 = 0.10;
/// Shared themes add at most this to the order of a pair.
pub const THEME_TIE: f64 = 0.03;
/// Corpora up to this many measures are scored exactly, pair by pair.
pub const EXACT_UP_TO: usize = 2_000;
/// Words of a measure used to find candidates (its weightiest).
const QUERY_TERMS: usize = 16;
/// Words used by more than this share of all measures are not looked up (they are common).
const MAX_DF_SHARE: f64 = 0.08;
/// Each word's postings are cut to the measures where it weighs most ("champion lists"), so a
/// query costs the same however large the corpus grows.
const CHAMPIONS: usize = 200;
/// Candidates (by their partial score over the query words) that are scored exactly.
const RESCORED: usize = 60;
/// How many candidates ahead of the one scored its vector's words are asked for (its place
/// in the list of vectors twice as far ahead).
const PREFETCH_AHEAD: usize = 4;

/// The text that speaks for a measure: its verbatim text without the 责任单位 sentence.
fn similarity_text(m: &Measure) -> &str {
    without_units(&m.text)
}

/// A text without its 责任单位 sentence: who carries a measure out says nothing of what it is.
pub(super) fn without_units(text: &str) -> &str {
    match text.find("（责任单位") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// One related measure, as shown and published. The linked measure's id is kept in one
/// allocation with the reason, and its plan as a number: in two Strings of their own they took
/// about 100 bytes a link, 300 MB of a million measures' peak; read from the model by `index`
/// where they are published, each link read them at random places (a million measures' open
/// data took 7.3–9.9 s, not 2.5 s).
#[derive(Clone, PartialEq)]
pub struct Related {
    /// Index into `Analysis::measures`.
    pub index: usize,
    pub score: f64,
    /// Index into `Site::plans`.
    plan: u32,
    /// Where the id ends in `text`.
    id_len: u32,
    /// The linked measure's id, then the reason.
    text: Box<str>,
}

impl Related {
    /// The link to the measure at `index`, whose id is `id`, in the plan at `plan`.
    pub fn new(index: usize, plan: usize, id: &str, score: f64, reason: &str) -> Self {
        Related {
            index,
            score,
            plan: plan_index(plan),
            id_len: u32::try_from(id.len()).expect("an id under 4 GiB"),
            text: [id, reason].concat().into_boxed_str(),
        }
    }

    /// The linked measure's id.
    pub fn id(&self) -> &str {
        &self.text[..self.id_len as usize]
    }

    /// The linked measure's plan, as an index into `Site::plans`.
    pub fn plan(&self) -> usize {
        self.plan as usize
    }

    /// The shared instruments and key phrases, e.g. `数字人民币 · 跨境支付`.
    pub fn reason(&self) -> &str {
        &self.text[self.id_len as usize..]
    }

    /// The same link to the same measure, now at `index` in a plan at `plan` (from one build to
    /// the next, as measures and plans come and go).
    pub fn moved(&self, index: usize, plan: usize) -> Self {
        Related {
            index,
            plan: plan_index(plan),
            ..self.clone()
        }
    }

    /// Gives the link another reason (made again from changed texts).
    pub fn set_reason(&mut self, reason: &str) {
        self.text = [self.id(), reason].concat().into_boxed_str();
    }
}

/// A plan's index as a link keeps it.
fn plan_index(plan: usize) -> u32 {
    u32::try_from(plan).expect("fewer than 2^32 plans")
}

impl std::fmt::Debug for Related {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Related")
            .field("index", &self.index)
            .field("id", &self.id())
            .field("plan", &self.plan)
            .field("score", &self.score)
            .field("reason", &self.reason())
            .finish()
    }
}

/// How candidates are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Every pair of measures that shares a word is scored.
    Exact,
    /// Only each measure's weightiest words are looked up, common words are skipped, posting
    /// lists are cut to their champions and the best candidates rescored: a bounded cost per
    /// measure, so the whole grows linearly.
    Shortcut,
}

impl Strategy {
    /// Exact up to `EXACT_UP_TO` measures, the shortcut above.
    pub fn for_size(measures: usize) -> Self {
        if measures <= EXACT_UP_TO {
            Strategy::Exact
        } else {
            Strategy::Shortcut
        }
    }
}

/// Which lists [`related_index`] computes, and how.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'r> {
    pub strategy: Strategy,
    /// Only the lists of these measures, in this order; `None`: every measure's. A measure's
    /// list depends on the whole corpus and on nothing else of the other measures' lists, so
    /// it is the same either way.
    pub rows: Option<&'r [usize]>,
}

/// Computes the related measures of every measure (indices as in `entries`), or of those
/// `scope` names, from the measures' texts as [`weigh`] weighs what [`segment`] made of them;
/// `implements` holds the pairs (either way round) that already show each other as
/// implementing.
pub fn related_index(
    site: &Site,
    entries: &[MeasureEntry],
    measures: &[&Measure],
    weighed: &Weighed,
    lexicon: &Lexicon,
    implements: &FxHashMap<usize, usize>,
    scope: Scope,
) -> Vec<Vec<Related>> {
    let inputs = ListInputs {
        site,
        entries,
        measures,
        weighed,
        lexicon,
        implements,
        strategy: scope.strategy,
    };
    related_rows(&inputs, scope.rows, None).0
}

/// The lists of the measures `rows` only (in that order), as [`related_lists`] computes them.
pub fn related_rows_of(of: &ListInputs, rows: &[usize]) -> Vec<Vec<Related>> {
    related_rows(of, Some(rows), None).0
}

/// The lists of [`related_index`], each link with what its reason was made from; a reason
/// made from the same as one of `reasons` (the last build's) is that one.
fn related_rows(
    of: &ListInputs,
    rows: Option<&[usize]>,
    reasons: Option<&Reasons>,
) -> (Vec<Vec<Related>>, Vec<Vec<ReasonKey>>) {
    let ListInputs {
        site,
        entries,
        measures,
        weighed,
        lexicon,
        implements,
        strategy,
    } = *of;
    let n = measures.len();
    let space = Space::new(weighed, lexicon);
    // Compact postings (8 bytes an entry): they serve only to pick candidates, which are then
    // scored exactly from the vectors.
    // Only the words of the measures whose lists are computed are looked up: for a few rows
    // (a preview), the others' postings are not made.
    let looked_up: Option<Vec<bool>> = rows.map(|rows| {
        let mut looked_up = vec![false; space.words.len()];
        for i in rows {
            for (t, _) in &space.vectors[*i] {
                looked_up[*t as usize] = true;
            }
        }
        looked_up
    });
    let shortcut = strategy == Strategy::Shortcut;
    let max_df = if shortcut {
        ((n as f64 * MAX_DF_SHARE).ceil() as usize).max(8)
    } else {
        usize::MAX
    };
    let champions = shortcut.then_some(CHAMPIONS);
    // A word used by more than `max_df` measures is never looked up (the query below leaves it
    // out by the same test), so its list is not made: the common words' lists are the longest,
    // and at a million measures they were a third of what was written and then cut.
    let postings = Postings::new(
        space.vectors,
        space.words.len(),
        |t| weighed.df[t as usize] <= max_df && looked_up.as_ref().is_none_or(|l| l[t as usize]),
        champions,
    );
    use rayon::prelude::*;
    let (pins, bans) = pins_and_bans(measures);
    let ids = IdOrder::new(measures);
    // What each measure may not show: editors' bans, and the measure it implements or that
    // implements it (both ways). Looked up once per measure, not per candidate.
    let mut excluded: FxHashMap<usize, Vec<usize>> = bans;
    for (item, task) in implements {
        excluded.entry(*item).or_default().push(*task);
        excluded.entry(*task).or_default().push(*item);
    }
    // The analysis lists measures plan by plan (`index::plan_measures`), so a measure's own plan
    // is one run of indices: a posting is checked against it without reading a table of plans
    // at a random place, one cache miss fewer per posting on a large corpus.
    debug_assert!(entries.is_sorted_by_key(|e| e.plan));
    // Themes as small numbers, packed: comparing them is in the inner loop of scoring.
    let slugs: Vec<&str> = site.themes.iter().map(|t| t.slug.as_str()).collect();
    let themes = ThemeSets::new(&slugs, measures.iter().map(|m| m.themes.as_slice()));
    // The texts the reasons quote, found once.
    let texts: Vec<&str> = measures.iter().map(|m| similarity_text(m)).collect();
    let all: Vec<usize>;
    let rows = match rows {
        Some(rows) => rows,
        None => {
            all = (0..n).collect();
            &all
        }
    };
    // Per-thread sums (`sums.rs`) with the list of touched measures.
    rows.par_iter()
        .map_init(
            || {
                (
                    Sums::new(n),
                    Vec::new(),
                    Vec::new(),
                    Best::new(RESCORED),
                    Scatter::new(&space),
                    reason::Scratch::default(),
                )
            },
            |(sums, touched, candidates, best, query_vector, scratch), &i| {
                query_vector.load(&space, i);
                let mut query: Vec<&(u32, f32)> = space.vectors[i]
                    .iter()
                    // How many measures use the word, not its posting list's length: that list
                    // is already cut to its champions. (The postings above leave out the same
                    // words.)
                    .filter(|(t, _)| weighed.df[*t as usize] <= max_df)
                    .collect();
                if shortcut {
                    query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    query.truncate(QUERY_TERMS);
                }
                let own_run = plan_measures(entries, entries[i].plan);
                let other_plan = |d: usize| !own_run.contains(&d);
                sums.start(query.iter().map(|(t, _)| postings.of(*t).len()).sum());
                for (t, w) in query {
                    sums.add_postings(*w, postings.of(*t), &own_run, touched);
                }
                let pins_i: &[usize] = pins.get(&i).map_or(&[], Vec::as_slice);
                let excluded_i: &[usize] = excluded.get(&i).map_or(&[], Vec::as_slice);
                let pinned = |j: usize| pins_i.contains(&j);
                // Scored exactly, the accumulated dot already is the cosine, in f32: a pair
                // that stays below the lower floor by more than the rounding of that sum can
                // be shown by neither floor and is not compared again. The sum has at most as
                // many terms as the measure has words, each product and each addition of a
                // nonnegative sum at most 1 (two unit vectors, as `weigh` makes them, of
                // positive weights) rounded by half an f32 epsilon.
                let slack = (space.vectors[i].len() as f64 + 2.0) * f64::from(f32::EPSILON);
                let hopeless = if shortcut {
                    f64::NEG_INFINITY
                } else {
                    MIN_COSINE_INSTRUMENT - slack
                };
                let keep = |j: usize, d: f64| {
                    (d >= hopeless || pinned(j)) && !excluded_i.contains(&j) && other_plan(j)
                };
                let candidates: &mut Vec<Rank> = candidates;
                candidates.clear();
                // The shortcut keeps only the likeliest `RESCORED` as it goes (`sums::Best`);
                // the order they come out in is free: the shortcut's lists do not depend on it,
                // and exact scoring orders the candidates below.
                let sums_of = sums.values();
                let mut offer = |rank: Rank| {
                    if shortcut {
                        best.offer(rank);
                    } else {
                        candidates.push(rank);
                    }
                };
                if pins_i.is_empty() && excluded_i.is_empty() {
                    // Most measures have neither pins nor bans: nothing to look up per touched
                    // measure but its sum.
                    for (d, place) in touched.iter() {
                        let sum = sums_of[*place];
                        debug_assert!(other_plan(*d));
                        if f64::from(sum) >= hopeless {
                            offer(Rank::new(*d, sum));
                        }
                    }
                } else {
                    for (d, place) in touched.iter() {
                        let sum = sums_of[*place];
                        // `keep` written out: a touched measure is in another plan (only those
                        // postings were summed).
                        debug_assert!(other_plan(*d));
                        if (f64::from(sum) >= hopeless || pinned(*d)) && !excluded_i.contains(d) {
                            let sum = if pinned(*d) { f32::INFINITY } else { sum };
                            offer(Rank::new(*d, sum));
                        }
                    }
                }
                best.drain_into(candidates);
                // Pinned measures that share no looked-up word, once each (a pair pinned from
                // both sides is in the list twice).
                for p in pins_i {
                    if !touched.iter().any(|(d, _)| d == p)
                        && !candidates.iter().any(|r| r.measure() == *p)
                        && keep(*p, 0.0)
                    {
                        candidates.push(Rank::new(*p, f32::INFINITY));
                    }
                }
                sums.clear(touched);
                touched.clear();
                // The shortcut scores exactly only the likeliest candidates (more than those
                // kept above only with pins).
                if shortcut && candidates.len() > RESCORED {
                    candidates.select_nth_unstable_by(RESCORED - 1, |a, b| b.cmp(a));
                    candidates.truncate(RESCORED);
                }
                // Scored exactly, the sum is the cosine within `slack`, so no candidate can score
                // more than its sum and the most the instrument, the themes and the rounding to
                // thousandths add. Taken from the greatest sum down, once that much is below the
                // fifth best score so far, neither it nor any after it can be among the five
                // shown: they are not compared. (The shortcut's sums are partial, no bound.)
                if !shortcut {
                    candidates.sort_unstable_by(|a, b| b.cmp(a));
                }
                // Candidates' vectors lie all over the corpus: each is asked for a few
                // candidates ahead, its place in the list first, then its words.
                let ahead = |k: usize, stage| {
                    if let Some(rank) = candidates.get(k) {
                        let j = rank.measure();
                        space.prefetch(j, stage);
                        if let Prefetch::Place = stage {
                            themes.prefetch(j);
                            ids.prefetch(j);
                        }
                    }
                };
                for k in 0..2 * PREFETCH_AHEAD {
                    ahead(k, Prefetch::Place);
                }
                for k in 0..PREFETCH_AHEAD {
                    ahead(k, Prefetch::Words);
                }
                let most_added = slack + INSTRUMENT_BONUS + THEME_TIE + 0.001;
                let mut fifth = FifthBest::default();
                // Each with its measure's key by id, read once (the sort below compares them).
                let mut scored: Vec<(Key, f64, bool)> = Vec::new();
                for (k, rank) in candidates.iter().enumerate() {
                    let j = rank.measure();
                    if !shortcut && f64::from(rank.sum()) + most_added < fifth.score() {
                        break;
                    }
                    ahead(k + 2 * PREFETCH_AHEAD, Prefetch::Place);
                    ahead(k + PREFETCH_AHEAD, Prefetch::Words);
                    if pinned(j) {
                        scored.push((ids.key(j), 1.0, true));
                        if !shortcut {
                            fifth.offer(1.0);
                        }
                        continue;
                    }
                    // The exact cosine over all shared words, not only the query words.
                    let (cosine, instrument) = space.compare(query_vector, j);
                    let floor = if instrument {
                        MIN_COSINE_INSTRUMENT
                    } else {
                        MIN_COSINE
                    };
                    if cosine < floor {
                        continue;
                    }
                    let themes = theme_overlap(themes.get(i), themes.get(j));
                    let score = cosine
                        + if instrument { INSTRUMENT_BONUS } else { 0.0 }
                        + THEME_TIE * themes;
                    let score = (score * 1000.0).round() / 1000.0;
                    scored.push((ids.key(j), score, false));
                    if !shortcut {
                        fifth.offer(score);
                    }
                }
                scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| ids.cmp(a.0, b.0)));
                scored.truncate(MAX_RELATED);
                // The links' texts, and where their ids end, lie all over the corpus: all are
                // asked for here, and each is read when its link is made, after the reasons of
                // the links before it.
                for (key, _, _) in &scored {
                    ids.prefetch_id(key.index());
                    crate::util::prefetch::prefetch(texts[key.index()]);
                }
                let mut keys = Vec::with_capacity(scored.len());
                let list = scored
                    .into_iter()
                    .map(|(key, score, pinned)| {
                        let j = key.index();
                        let read = reason::read_words(&space, query_vector, j, scratch);
                        let key = ReasonKey::new(&space, read, pinned);
                        // The last build's reason where it was made from the same words and
                        // texts (in `serve`): the segmenter and the growing of phrases are most
                        // of a reason's cost.
                        let made;
                        let reason = match reasons.and_then(|r| r.known(i, j, &space, &key)) {
                            Some(known) => known,
                            None => {
                                made = reason::reason_of(&space, read, texts[i], texts[j], pinned);
                                made.as_str()
                            }
                        };
                        let link = Related::new(j, entries[j].plan, ids.id(j), score, reason);
                        keys.push(key);
                        link
                    })
                    .collect::<Vec<_>>();
                (list, keys)
            },
        )
        .unzip()
}

/// The measures linked to each measure.
type Links = FxHashMap<usize, Vec<usize>>;

/// Editors' pins (`related="…"`) and bans (`not_related="…"`) of each measure, both ways;
/// few measures have any.
fn pins_and_bans(measures: &[&Measure]) -> (Links, Links) {
    let by_id: FxHashMap<&str, usize> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut pins = Links::default();
    let mut bans = Links::default();
    for (i, m) in measures.iter().enumerate() {
        for (list, target) in [(&m.related, &mut pins), (&m.not_related, &mut bans)] {
            for other in list {
                if let Some(j) = by_id.get(other.as_str()) {
                    target.entry(i).or_default().push(*j);
                    target.entry(*j).or_default().push(i);
                }
            }
        }
    }
    (pins, bans)
}

/// Every measure's related list, as [`related_index`] computes it. With `cache` (in `serve`),
/// the previous build's lists when nothing they were computed from has changed, with the
/// reasons of the links whose texts changed made again (see `reuse.rs`).
pub fn related_lists(of: &ListInputs, cache: Option<&ListCache>) -> Vec<Vec<Related>> {
    let ListInputs {
        measures,
        weighed,
        lexicon,
        ..
    } = *of;
    let compute = |reasons: Option<&Reasons>| related_rows(of, None, reasons);
    let Some(cache) = cache else {
        return compute(None).0;
    };
    let texts: Vec<&str> = measures.iter().map(|m| similarity_text(m)).collect();
    let pins = std::sync::OnceLock::new();
    let pinned = |i: usize, j: usize| {
        let (pins, _) = pins.get_or_init(|| pins_and_bans(measures));
        pins.get(&i).is_some_and(|p: &Vec<usize>| p.contains(&j))
    };
    let space = || Space::new(weighed, lexicon);
    reuse::lists(cache, of, &texts, space, pinned, compute)
}

/// The `MAX_RELATED`th best of the scores offered so far (`-∞` until there are that many).
#[derive(Default)]
struct FifthBest {
    /// The best scores so far, best first, at most `MAX_RELATED`.
    best: Vec<f64>,
}

impl FifthBest {
    fn offer(&mut self, score: f64) {
        let at = self.best.partition_point(|b| *b >= score);
        if at < MAX_RELATED {
            self.best.insert(at, score);
            self.best.truncate(MAX_RELATED);
        }
    }

    fn score(&self) -> f64 {
        if self.best.len() == MAX_RELATED {
            self.best[MAX_RELATED - 1]
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// Overlap of two theme lists: shared themes over the smaller list, the first theme counting
/// double (it is the measure's central one).
pub fn theme_overlap<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let weight = |list: &[T], t: &T| -> f64 {
        if list.first() == Some(t) {
            2.0
        } else {
            1.0
        }
    };
    let shared: f64 = a
        .iter()
        .filter(|t| b.contains(t))
        .map(|t| weight(a, t).max(weight(b, t)))
        .sum();
    // Each list weighs its length plus one (its first theme counts double).
    let total = (a.len().min(b.len()) + 1) as f64;
    (shared / total).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link's id and reason, kept in one string, read back as given, also when one of them is
    /// empty or the id is not ASCII, after its reason is made again and once it has moved.
    #[test]
    fn a_link_reads_back_its_id_and_reason() {
        for (id, reason) in [
            ("sc-3-1-1", "数字人民币 · 跨境支付"),
            ("", "编辑指定"),
            ("措施甲", ""),
        ] {
            let mut link = Related::new(7, 2, id, 0.25, reason);
            assert_eq!(
                (link.index, link.plan(), link.id(), link.reason()),
                (7, 2, id, reason)
            );
            link.set_reason("绿色债券");
            assert_eq!((link.id(), link.reason()), (id, "绿色债券"));
            let moved = link.moved(9, 4);
            assert_eq!((moved.index, moved.plan(), moved.id()), (9, 4, id));
            assert_eq!((moved.reason(), moved.score), ("绿色债券", 0.25));
        }
    }

    #[test]
    fn the_fifth_best_score_is_the_fifth_of_all_offered() {
        let mut state = 0x1234_5678u32;
        for n in 0..40 {
            let mut fifth = FifthBest::default();
            let mut all = Vec::new();
            for _ in 0..n {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                // Few distinct values: ties are common, as among rounded scores.
                let score = f64::from(state >> 29) / 8.0;
                fifth.offer(score);
                all.push(score);
            }
            all.sort_by(|a, b| b.total_cmp(a));
            let expected = all
                .get(MAX_RELATED - 1)
                .copied()
                .unwrap_or(f64::NEG_INFINITY);
            assert_eq!(fifth.score(), expected, "{n} scores");
        }
    }

    #[test]
    fn theme_overlap_weights_the_central_theme() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            theme_overlap(&s(&["green-finance"]), &s(&["green-finance", "reform"])),
            1.0
        );
        assert_eq!(theme_overlap(&s(&["fintech"]), &s(&["green-finance"])), 0.0);
        let partial = theme_overlap(
            &s(&["fintech", "digital-rmb"]),
            &s(&["green-finance", "digital-rmb"]),
        );
        assert!(partial > 0.0 && partial < 1.0, "{partial}");
        assert_eq!(theme_overlap(&[], &s(&["x"])), 0.0);
    }
}
