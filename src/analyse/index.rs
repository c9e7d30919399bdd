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
