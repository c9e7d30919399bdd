//! The index of measures the analysis and its readers share: where each measure stands.

/// Where a measure stands: its plan, chapter and section, and its URL.
#[derive(Debug, Clone)]
pub struct MeasureEntry {
    pub plan: usize,
    pub chapter: usize,
    pub section: Option<usize>,
    pub index: usize,
    /// Site-relative URL of the measure's page with its anchor: `plans/x/y/z/#id`.
    pub url: String,
}

/// The indices of plan `p`'s measures among `entries`: the analysis lists measures in reading
/// order, plan by plan, so they form one run, found by bisection rather than by a walk over the
/// corpus.
pub fn plan_measures(entries: &[MeasureEntry], p: usize) -> std::ops::Range<usize> {
    let start = entries.partition_point(|e| e.plan < p);
    let end = entries.partition_point(|e| e.plan <= p);
    start..end
}

/// The indices of the measures of plan `p`'s chapter `c` among `entries`: those of section `s`,
/// or with `None` the chapter's own (which come before its sections'). One run, in reading
/// order, found by bisection: a division's page reads its measures' related lists by these
/// indices, not by looking each id up in a map of every id (a miss in a large table each, at a
/// million measures).
pub fn division_measures(
    entries: &[MeasureEntry],
    p: usize,
    c: usize,
    s: Option<usize>,
) -> std::ops::Range<usize> {
    let key = (p, c, s);
    let start = entries.partition_point(|e| (e.plan, e.chapter, e.section) < key);
    let end = start + entries[start..].partition_point(|e| (e.plan, e.chapter, e.section) <= key);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every chapter's own measures and every section's are found as one run, in order, on the
    /// real site (chapters with no measures of their own, sections with none) and in a list
    /// where a division's measures stand first and last.
    #[test]
    fn each_division_finds_its_measures() {
        let site = crate::content::bundled_site();
        let analysis = crate::analyse::analyse(&site, None);
        let mut divisions = 0;
        let mut empty = 0;
        for (p, plan) in site.plans.iter().enumerate() {
            for (c, chapter) in plan.chapters.iter().enumerate() {
                let own = std::iter::once((None, &chapter.division));
                let sections = chapter.sections.iter().enumerate();
                for (s, division) in own.chain(sections.map(|(s, x)| (Some(s), &x.division))) {
                    let run = division_measures(&analysis.measures, p, c, s);
                    assert_eq!(run.len(), division.measures.len(), "{}", division.url);
                    for (k, i) in run.enumerate() {
                        let m = analysis.measure(&site, &analysis.measures[i]);
                        assert!(std::ptr::eq(m, &division.measures[k]), "{}", m.id);
                    }
                    divisions += 1;
                    empty += usize::from(division.measures.is_empty());
                }
            }
        }
        assert!(
            divisions > 50 && empty > 0,
            "{divisions} divisions, {empty} empty"
        );

        let entry = |plan, chapter, section, index| MeasureEntry {
            plan,
            chapter,
            section,
            index,
            url: String::new(),
        };
        let entries = [
            entry(0, 0, None, 0),
            entry(0, 0, None, 1),
            entry(0, 0, Some(0), 0),
            entry(0, 1, Some(1), 0),
            entry(1, 0, None, 0),
            entry(1, 0, Some(0), 0),
            entry(1, 0, Some(0), 1),
        ];
        assert_eq!(division_measures(&entries, 0, 0, None), 0..2);
        assert_eq!(division_measures(&entries, 0, 0, Some(0)), 2..3);
        assert_eq!(division_measures(&entries, 0, 1, None), 3..3);
        assert_eq!(division_measures(&entries, 0, 1, Some(0)), 3..3);
        assert_eq!(division_measures(&entries, 0, 1, Some(1)), 3..4);
        assert_eq!(division_measures(&entries, 1, 0, Some(0)), 5..7);
        assert_eq!(division_measures(&entries, 2, 0, None), 7..7);
    }
}
