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
