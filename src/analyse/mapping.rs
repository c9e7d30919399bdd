//! Which measure of an implemented plan each measure of an implementing plan carries out.
//!
//! A plan whose `plan.toml` says `implements = ["x"]` usually follows plan x task by task: its
//! groups (sections) repeat the titles of x's tasks. Each section is matched to the measure of x
//! whose title is most alike (character-bigram Dice similarity, at least `MIN_SIMILARITY`; a tie
//! goes to the task nearest in numbering order), and the section's items implement that task.
//! An item's own `implements="id"` attribute overrides the computed match.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analyse::index::{plan_measures, MeasureEntry};
use crate::model::text::strip_enumeration;
use crate::model::{Measure, Site};

/// The least title similarity that counts as a match.
pub const MIN_SIMILARITY: f64 = 0.5;

/// How a link between an item and a task was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The item's section title matches the task's title.
    Title,
    /// An editor's `implements=` attribute.
    Override,
}

/// The mapping between one implementing plan and one plan it implements.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Plan indices.
    pub implementing: usize,
    pub implemented: usize,
    /// Measure index (as in `Analysis::measures`) → the task it implements.
    pub item_task: BTreeMap<usize, (usize, Basis)>,
    /// Task measure index → its implementing items, in reading order.
    pub task_items: BTreeMap<usize, Vec<usize>>,
    /// Measures of the implemented plan, in reading order.
    pub tasks: Vec<usize>,
}

/// The distinct character bigrams of a title, without item markers, punctuation and
/// whitespace, in order: a sorted list, which two titles' comparison walks side by side. (Hashed
/// sets cost a SipHash of every bigram at every comparison: each section of an implementing
/// plan is compared with every task of the implemented one.)
fn bigrams(title: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = strip_enumeration(title)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Dice similarity of two titles' character bigrams, 0 to 1.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    dice(&bigrams(a), &bigrams(b))
}

/// Computes the mappings of every plan that implements another.
pub fn mappings(
    site: &Site,
    entries: &[MeasureEntry],
    measures: &[&Measure],
    by_id: &FxHashMap<String, usize>,
) -> Vec<Mapping> {
    let mut result = Vec::new();
    let slug_index: HashMap<&str, usize> = site
        .plans
        .iter()
        .enumerate()
        .map(|(k, x)| (x.slug.as_str(), k))
        .rev()
        .collect();
    for (p, plan) in site.plans.iter().enumerate() {
        for target in &plan.meta.implements {
            let Some(&q) = slug_index.get(target.as_str()) else {
                continue;
            };
            // A plan's measures by bisection: walking all measures for every implementing plan
            // grew with the number of such plans times the corpus.
            let tasks: Vec<usize> = plan_measures(entries, q).collect();
            let task_titles: Vec<Vec<(char, char)>> = tasks
                .iter()
                .map(|t| bigrams(&measures[*t].heading_or_title()))
                .collect();
            let mut item_task = BTreeMap::new();
            // Items of one section share its title: match each section once.
            let mut section_match: FxHashMap<(usize, Option<usize>), Option<usize>> =
                FxHashMap::default();
            let mut last_position = 0usize;
            for i in plan_measures(entries, p) {
                let e = &entries[i];
                if let Some(id) = measures[i].implements.as_deref() {
                    if let Some(t) = by_id.get(id).filter(|t| entries[**t].plan == q) {
                        item_task.insert(i, (*t, Basis::Override));
                        continue;
                    }
                }
                let matched = *section_match
                    .entry((e.chapter, e.section))
                    .or_insert_with(|| {
                        let chapter = &plan.chapters[e.chapter];
                        let title = match e.section {
                            Some(s) => &chapter.sections[s].division.title,
                            None => &chapter.division.title,
                        };
                        let own = bigrams(title);
                        let best = task_titles
                            .iter()
                            .enumerate()
                            .map(|(k, t)| (dice(&own, t), k))
                            .filter(|(score, _)| *score >= MIN_SIMILARITY)
                            .max_by(|a, b| {
                                a.0.total_cmp(&b.0)
                                    // Equal titles: the task nearest in order after the last match.
                                    .then(
                                        b.1.abs_diff(last_position)
                                            .cmp(&a.1.abs_diff(last_position)),
                                    )
                            })
                            .map(|(_, k)| k);
                        if let Some(k) = best {
                            last_position = k;
                        }
                        best.map(|k| tasks[k])
                    });
                if let Some(t) = matched {
                    item_task.insert(i, (t, Basis::Title));
                }
            }
            let mut task_items: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (item, (task, _)) in &item_task {
                task_items.entry(*task).or_default().push(*item);
            }
            result.push(Mapping {
                implementing: p,
                implemented: q,
                item_task,
                task_items,
                tasks,
            });
        }
    }
    result
}

/// Dice similarity of two sorted lists of distinct bigrams.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sorted lists give the Dice coefficient of the two sets of bigrams, bit for bit.
    #[test]
    fn dice_of_sorted_lists_is_that_of_sets() {
        use std::collections::HashSet;
        let titles = [
            "（一）加快培育法人金融机构。",
            "加快培育法人金融机构，培育法人",
            "金融金融金融",
            "推进金融市场一体化",
            "a",
            "",
            "ABAB abab",
            "成渝地区双城经济圈金融合作",
        ];
        for a in titles {
            for b in titles {
                let set = |t: &str| -> HashSet<(char, char)> { bigrams(t).into_iter().collect() };
                let (sa, sb) = (set(a), set(b));
                let expected = if sa.is_empty() || sb.is_empty() {
                    0.0
                } else {
                    2.0 * sa.intersection(&sb).count() as f64 / (sa.len() + sb.len()) as f64
                };
                assert_eq!(
                    title_similarity(a, b).to_bits(),
                    expected.to_bits(),
                    "{a} {b}"
                );
                let chars: Vec<char> = strip_enumeration(a)
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                let all: HashSet<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
                assert_eq!(sa, all, "{a}: every bigram, once");
            }
        }
    }

    #[test]
    fn similar_titles() {
        assert_eq!(
            title_similarity("（一）加快培育法人金融机构。", "1、加快培育法人金融机构。"),
            1.0
        );
        assert!(title_similarity("（五）推进金融市场一体化。", "5、推进金融市场一体化。") > 0.99);
        assert!(title_similarity("加快培育法人金融机构", "促进成渝地区保险业协同发展") < 0.2);
        assert_eq!(title_similarity("", "x"), 0.0);
    }
}
