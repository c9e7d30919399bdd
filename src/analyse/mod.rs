//! What is computed across the content before rendering: where each measure lives, which
//! measures each policy theme gathers, and which measures of other plans each one relates to.
//!
//! Nothing here compares all pairs of measures (related measures come from an inverted index,
//! see [`related`]), so the cost grows close to linearly with the corpus.
//!
//! Layer 5: may use `content`, `validate`, `provenance` and every layer below. Besides this
//! file: [`index`] (where a measure stands), [`related`] (related measures) with `stopwords.rs`
//! (the words it drops), [`mapping`] (implementing plans to the plans they implement),
//! [`responsible_units`] (one entry per responsible body), and [`alignment`] (what lower plans
//! take up of the plans above them; pairs from [`hierarchy`], candidates from [`candidates`]).

pub mod alignment;
pub mod candidates;
pub mod hierarchy;
pub mod index;
pub mod mapping;
pub mod related;
pub mod responsible_units;
mod stopwords;
pub mod suggest;

use std::time::Instant;

use rustc_hash::FxHashMap;

use self::alignment::Alignments;
use self::candidates::PlanScorer;
use self::index::MeasureEntry;
use self::mapping::{mappings, Mapping};
use self::related::{
    related_lists, related_rows_of, segment_and_weigh, Lexicon, ListCache, ListInputs, Related,
    SegmentCache, Strategy,
};
use self::responsible_units::{agencies, Agency};
pub use self::suggest::ThemeSuggester;
use crate::model::{Measure, Site};
use crate::util::phase::{PeakSampler, Phase};

/// The results of analysis, read by the renderer and the open-data writer.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every measure of the site in reading order (plans in folder order).
    pub measures: Vec<MeasureEntry>,
    /// For each theme slug, the indices into `measures` of the measures that carry it.
    pub by_theme: FxHashMap<String, Vec<usize>>,
    /// Measure id → index into `measures`.
    pub by_id: FxHashMap<String, usize>,
    /// For each plan (by index), how many of its measures carry each theme.
    pub theme_counts: Vec<FxHashMap<String, usize>>,
    /// For each measure (as in `measures`), its related measures in other plans, best first.
    pub related: Vec<Vec<Related>>,
    /// Implementing plans mapped to the plans they implement.
    pub mappings: Vec<Mapping>,
    /// Measure → the task (measure of an implemented plan) it implements.
    pub implements: FxHashMap<usize, usize>,
    /// Task → the measures that implement it.
    pub implemented_by: FxHashMap<usize, Vec<usize>>,
    /// Responsible units with their measures.
    pub agencies: Vec<Agency>,
    /// What lower plans take up of the plans above them.
    pub alignments: Alignments,
    /// How long the costly steps took (and with a sampler, the most memory each held),
    /// for `build --timings` and the benchmarks.
    pub timings: Vec<Phase>,
}

impl Analysis {
    /// Each measure's related list by its id, for [`analyse_previewing`].
    pub fn related_by_id(&self, site: &Site) -> RelatedById {
        self.measures
            .iter()
            .zip(&self.related)
            .map(|(e, list)| (self.measure(site, e).id.clone(), list.clone()))
            .collect()
    }

    /// The indices of plan `p`'s measures (see [`index::plan_measures`]).
    pub fn plan_measures(&self, p: usize) -> std::ops::Range<usize> {
        index::plan_measures(&self.measures, p)
    }

    /// The indices of the measures of a chapter's own text (`s` is `None`) or of one of its
    /// sections (see [`index::division_measures`]).
    pub fn division_measures(
        &self,
        p: usize,
        c: usize,
        s: Option<usize>,
    ) -> std::ops::Range<usize> {
        index::division_measures(&self.measures, p, c, s)
    }

    /// The id of the measure at `index` (into `measures`).
    pub fn id<'a>(&self, site: &'a Site, index: usize) -> &'a str {
        &self.measure(site, &self.measures[index]).id
    }

    pub fn measure<'a>(&self, site: &'a Site, entry: &MeasureEntry) -> &'a Measure {
        let chapter = &site.plans[entry.plan].chapters[entry.chapter];
        match entry.section {
            Some(s) => &chapter.sections[s].division.measures[entry.index],
            None => &chapter.division.measures[entry.index],
        }
    }

    /// Where a measure stands, for lists: `第三章　… › 第一节　…`, or the chapter alone.
    pub fn location(&self, site: &Site, entry: &MeasureEntry) -> String {
        let chapter = &site.plans[entry.plan].chapters[entry.chapter];
        let (mut place, division) = match entry.section {
            Some(s) => {
                // Joined by hand: see `Division::full_title`.
                let mut place = chapter.division.full_title();
                place.push_str(" › ");
                place.push_str(&chapter.sections[s].division.full_title());
                (place, &chapter.sections[s].division)
            }
            None => (chapter.division.full_title(), &chapter.division),
        };
        // An item of a box of measures: the box's title too.
        if let Some(b) = division
            .boxes
            .iter()
            .find(|b| !b.title.is_empty() && b.measures().contains(&entry.index))
        {
            place.push_str(" › ");
            place.push_str(&b.title);
        }
        place
    }

    /// Count of a theme's measures in plan `plan`.
    pub fn theme_count(&self, theme: &str, plan: usize) -> usize {
        self.theme_counts
            .get(plan)
            .and_then(|counts| counts.get(theme))
            .copied()
            .unwrap_or(0)
    }

    /// A theme's measures (indices into `measures`) split by plan, in plan order.
    pub fn theme_by_plan(&self, theme: &str) -> Vec<(usize, &[usize])> {
        let indices = self.by_theme.get(theme).map(Vec::as_slice).unwrap_or(&[]);
        // Indices are in reading order, so each plan's measures form one run.
        indices
            .chunk_by(|a, b| self.measures[*a].plan == self.measures[*b].plan)
            .map(|run| (self.measures[run[0]].plan, run))
            .collect()
    }
}

/// Related lists by the id of the measure they belong to: what [`analyse_previewing`] shows
/// until the related measures are computed again.
pub type RelatedById = FxHashMap<String, Vec<Related>>;

/// What an analysis keeps for the next, in `serve`: segmented texts, and the related lists
/// with what they were computed from.
#[derive(Default)]
pub struct AnalysisCache {
    segments: SegmentCache,
    lists: ListCache,
}

/// Analyses the site; `cache` keeps what it can between builds (in `serve`).
pub fn analyse(site: &Site, cache: Option<&AnalysisCache>) -> Analysis {
    analyse_with(site, cache, None, None, &mut |_| {})
}

/// Analyses the site as [`analyse`] does, and calls `alongside` with the analysis as far as it
/// is made before the related measures: the measures, their themes, the implementation
/// mappings and the responsible units; the related lists and the alignments are still empty.
/// What needs no more can start there (in `build`, the search index: the related measures are
/// the longest step of the analysis). `alongside` runs while the related lists are computed,
/// on another thread of rayon's pool where one is free. With `memory`, each step's timing has
/// the process's peak memory while it ran: only when nothing runs beside the analysis,
/// `alongside` included.
pub fn analyse_alongside(
    site: &Site,
    cache: Option<&AnalysisCache>,
    memory: Option<&PeakSampler>,
    alongside: &mut (dyn FnMut(&Analysis) + Send),
) -> Analysis {
    analyse_with(site, cache, None, memory, alongside)
}

/// Analyses the site as [`analyse`] does, except for the related lists of the measures outside
/// the plans `fresh` (indices into `Site::plans`): each keeps the list `previous` holds for its
/// id, less the links to measures that are gone. The measures of `fresh` get their lists as a
/// full analysis computes them, and only the alignments of pairs in which a plan of `fresh`
/// stands are made. Computing every list is most of the analysis of a large corpus,
/// and an edit of one text can change every score a little: `serve` shows the edited plans'
/// pages this way first, and the full analysis follows.
pub fn analyse_previewing(
    site: &Site,
    cache: Option<&AnalysisCache>,
    previous: &RelatedById,
    fresh: &[usize],
) -> Analysis {
    analyse_with(site, cache, Some((previous, fresh)), None, &mut |_| {})
}

fn analyse_with(
    site: &Site,
    cache: Option<&AnalysisCache>,
    previous: Option<(&RelatedById, &[usize])>,
    memory: Option<&PeakSampler>,
    alongside: &mut (dyn FnMut(&Analysis) + Send),
) -> Analysis {
    let mut analysis = Analysis {
        theme_counts: vec![FxHashMap::default(); site.plans.len()],
        ..Analysis::default()
    };
    // Sized once: grown by doubling, the table and the ids' map are copied into fresh memory
    // at every step, which at a million measures the kernel maps anew each time.
    let count: usize = site.plans.iter().map(|p| p.measures().count()).sum();
    analysis.measures.reserve_exact(count);
    analysis.by_id.reserve(count);
    for (p, plan) in site.plans.iter().enumerate() {
        for (c, chapter) in plan.chapters.iter().enumerate() {
            let divisions = std::iter::once((None, &chapter.division)).chain(
                chapter
                    .sections
                    .iter()
                    .enumerate()
                    .map(|(s, sec)| (Some(s), &sec.division)),
            );
            for (section, division) in divisions {
                for (index, measure) in division.measures.iter().enumerate() {
                    let n = analysis.measures.len();
                    analysis.measures.push(MeasureEntry {
                        plan: p,
                        chapter: c,
                        section,
                        index,
                        url: [division.url.as_str(), "#", measure.id.as_str()].concat(),
                    });
                    analysis.by_id.entry(measure.id.clone()).or_insert(n);
                    // Looked up before inserted: a theme's name is copied once, not once for
                    // each of its measures.
                    for theme in &measure.themes {
                        match analysis.by_theme.get_mut(theme) {
                            Some(list) => list.push(n),
                            None => {
                                analysis.by_theme.insert(theme.clone(), vec![n]);
                            }
                        }
                        match analysis.theme_counts[p].get_mut(theme) {
                            Some(count) => *count += 1,
                            None => {
                                analysis.theme_counts[p].insert(theme.clone(), 1);
                            }
                        }
                    }
                }
            }
        }
    }
    let measures: Vec<&Measure> = analysis
        .measures
        .iter()
        .map(|e| analysis.measure(site, e))
        .collect();
    let clock = std::cell::Cell::new(Instant::now());
    // A step's memory counts from the end of the step before it: the first's, from the end of
    // validation, with the table of measures above.
    let lap = |name: &'static str, timings: &mut Vec<Phase>| {
        timings.push(Phase::measured(name, clock.get().elapsed(), memory));
        clock.set(Instant::now());
    };
    let lexicon = Lexicon::new(&site.glossary);
    let labels = labels(site, &analysis.measures, &measures);
    // Related measures and the alignment index weigh the same words alike: weighed as they
    // are segmented, the words themselves are never all held.
    let weighed = segment_and_weigh(&measures, &labels, &lexicon, cache.map(|c| &c.segments));
    lap("analyse: segmentation and weights", &mut analysis.timings);
    // The implementation mapping first: a rules item and its task show each other as
    // "implements", so they take no related slot.
    analysis.mappings = mappings(site, &analysis.measures, &measures, &analysis.by_id);
    for m in &analysis.mappings {
        for (item, (task, _)) in &m.item_task {
            analysis.implements.insert(*item, *task);
        }
        for (task, items) in &m.task_items {
            analysis
                .implemented_by
                .entry(*task)
                .or_default()
                .extend(items);
        }
    }
    analysis.agencies = agencies(&analysis.measures, &measures, &site.unit_aliases);
    lap("analyse: mappings and units", &mut analysis.timings);
    // The hook (in `build`, the search records: serial, 0.4 s at 100,000 measures) runs beside
    // the related lists, which read none of what it reads and write nothing
    // it reads: the lists are put in the analysis once both are done. What the hook does is
    // its caller's to time, not the related measures'.
    //
    // The hook is the second closure, the one another thread takes: `build`'s hook spawns the
    // search index, and a job spawned by the first closure lands on this thread's own queue,
    // where `join` runs it before it returns, so that the analysis would wait for the whole
    // search index. Spawned from a stolen second closure, it stays on that thread and runs
    // beside whatever comes after the analysis, as before.
    let ((related, took), ()) = rayon::join(
        || {
            let start = Instant::now();
            let inputs = ListInputs {
                site,
                entries: &analysis.measures,
                measures: &measures,
                weighed: &weighed,
                lexicon: &lexicon,
                implements: &analysis.implements,
                strategy: Strategy::for_size(measures.len()),
            };
            let related = related_of(&inputs, &analysis, previous, cache);
            (related, start.elapsed())
        },
        || alongside(&analysis),
    );
    analysis.related = related;
    analysis
        .timings
        .push(Phase::measured("analyse: related measures", took, memory));
    clock.set(Instant::now());
    // A preview shows the fresh plans' pages only: the pairs of the others can wait.
    let pairs = alignment::pairs(site, previous.map(|(_, fresh)| fresh));
    let scorer = (!pairs.is_empty()).then(|| PlanScorer::new(&measures, weighed));
    lap("analyse: alignment index", &mut analysis.timings);
    if let Some(scorer) = &scorer {
        let inputs = alignment::Inputs {
            site,
            entries: &analysis.measures,
            measures: &measures,
            related: &analysis.related,
            mappings: &analysis.mappings,
            scorer,
        };
        analysis.alignments = alignment::alignments(&inputs, pairs);
    }
    lap("analyse: alignments", &mut analysis.timings);
    analysis
}

/// The related lists: every one computed (with `cache`, the last build's where nothing they
/// are made from changed), or, for a preview (`previous`), those of the fresh plans computed and
/// every other measure's the previous analysis's, less the links to measures that are gone.
fn related_of(
    inputs: &ListInputs,
    analysis: &Analysis,
    previous: Option<(&RelatedById, &[usize])>,
    cache: Option<&AnalysisCache>,
) -> Vec<Vec<Related>> {
    match previous {
        None => related_lists(inputs, cache.map(|c| &c.lists)),
        Some((previous, fresh)) => {
            let rows: Vec<usize> = fresh
                .iter()
                .flat_map(|p| analysis.plan_measures(*p))
                .collect();
            let mut lists: Vec<Vec<Related>> = analysis
                .measures
                .iter()
                .zip(inputs.measures)
                .map(|(entry, m)| {
                    // The fresh plans' lists are computed below.
                    let list = if fresh.contains(&entry.plan) {
                        &[]
                    } else {
                        previous.get(&m.id).map(Vec::as_slice).unwrap_or_default()
                    };
                    list.iter()
                        .filter_map(|r| {
                            let index = *analysis.by_id.get(r.id())?;
                            Some(r.moved(index, analysis.measures[index].plan))
                        })
                        .collect()
                })
                .collect();
            for (i, list) in rows.iter().zip(related_rows_of(inputs, &rows)) {
                lists[*i] = list;
            }
            lists
        }
    }
}

/// For each measure without a heading of its own, its section's title (its chapter's where it
/// has no section): the plan's own word for what the measure is about.
pub fn labels<'a>(
    site: &'a Site,
    entries: &[MeasureEntry],
    measures: &[&Measure],
) -> Vec<Option<&'a str>> {
    entries
        .iter()
        .zip(measures)
        .map(|(e, m)| {
            unlabelled(&m.heading).then(|| {
                let chapter = &site.plans[e.plan].chapters[e.chapter];
                match e.section {
                    Some(s) => chapter.sections[s].division.title.as_str(),
                    None => chapter.division.title.as_str(),
                }
            })
        })
        .collect()
}

/// Whether a measure heading says nothing of its subject: empty, or only the item's number
/// (`48．`, `（二）`, `一、`).
fn unlabelled(heading: &str) -> bool {
    heading
        .chars()
        .filter(|c| c.is_alphabetic() && !"一二三四五六七八九十".contains(*c))
        .count()
        < 2
}
