//! Indicator tables: a table whose columns are indicator name, unit, baseline and target (and
//! optionally serial number and attribute 预期性/约束性) becomes a table of `indicators.toml`,
//! each value as the source writes it. A table that cannot be read so stays a Markdown table.

/// An indicator table found in the source, by the line of the table there.
#[derive(Debug, Clone)]
pub struct IndicatorTable {
    pub id: String,
    pub source_line: usize,
    pub rows: usize,
}
