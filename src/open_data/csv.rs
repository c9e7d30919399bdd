//! The CSV twins of the open-data files: one table per record type, with the columns a
//! spreadsheet reader wants (lists joined by `; `, observations spread over columns), written
//! with a BOM and with cells that would run as formulas neutralised.

use std::io::Write;

use super::records::{IndicatorRecord, MeasureRecord, PlanRecord, ThemeRecord, UnitRecord};
use crate::diagnostics::BuildError;

/// `data/plans.csv`.
pub(super) fn plans(out: &mut dyn Write, plans: &[PlanRecord]) -> Result<(), BuildError> {
    let mut csv_plans = Table::new(
        out,
        &[
            "slug",
            "title",
            "short_title",
            "issuers",
            "doc_number",
            "date_written",
            "date_published",
            "period_start",
            "period_end",
            "outlook_year",
            "level",
            "region",
            "implements",
            "parent",
            "source_url",
            "chapters",
            "sections",
            "measures",
            "indicators",
            "url",
        ],
    );
    for p in plans {
        csv_plans.row(vec![
            p.slug.into(),
            p.title.into(),
            p.short_title.into(),
            p.issuers.join("; "),
            p.doc_number.unwrap_or_default().into(),
            opt(p.date_written),
            opt(p.date_published),
            opt(p.period_start),
            opt(p.period_end),
            opt(p.outlook_year),
            serde_json::to_value(p.level)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            p.region.into(),
            p.implements.join("; "),
            p.parent.unwrap_or_default().into(),
            p.source_url.unwrap_or_default().into(),
            p.chapters.to_string(),
            p.sections.to_string(),
            p.measures.to_string(),
            p.indicators.to_string(),
            p.url.into(),
        ]);
    }
    csv_plans.finish()
}

/// `data/measures.csv`.
pub(super) fn measures(out: &mut dyn Write, measures: &[MeasureRecord]) -> Result<(), BuildError> {
    let mut csv_measures = Table::new(
        out,
        &[
            "id",
            "plan",
            "chapter",
            "section",
            "title",
            "text",
            "themes",
            "units",
            "url",
            "implements",
            "takes_up",
            "taken_up_by",
            "related",
        ],
    );
    for m in measures {
        csv_measures.row(vec![
            m.id.into(),
            m.plan.into(),
            m.chapter.clone(),
            m.section.clone().unwrap_or_default(),
            m.title.into(),
            m.text.into(),
            m.themes.join("; "),
            m.units
                .iter()
                .map(|u| match &u.side {
                    Some(s) => format!("{s}:{}", u.name),
                    None => u.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
            m.url.into(),
            m.implements.join("; "),
            m.takes_up.join("; "),
            m.taken_up_by.join("; "),
            m.related.ids().collect::<Vec<_>>().join("; "),
        ]);
    }
    csv_measures.finish()
}

/// `data/indicators.csv`: baseline and target a column group each.
pub(super) fn indicators(
    out: &mut dyn Write,
    indicators: &[IndicatorRecord],
) -> Result<(), BuildError> {
    let mut csv_indicators = Table::new(
        out,
        &[
            "id",
            "plan",
            "table",
            "table_title",
            "name",
            "unit",
            "group",
            "attribute",
            "concept",
            "baseline_year",
            "baseline_raw",
            "baseline_value",
            "baseline_text",
            "baseline_qualifier",
            "baseline_cumulative",
            "target_year",
            "target_raw",
            "target_value",
            "target_text",
            "target_qualifier",
            "target_cumulative",
            "cagr",
            "change_points",
            "url",
        ],
    );
    for i in indicators {
        let mut row = vec![
            i.id.into(),
            i.plan.into(),
            i.table.into(),
            i.table_title.into(),
            i.name.into(),
            i.unit.into(),
            i.group.unwrap_or_default().into(),
            i.attribute.unwrap_or_default().into(),
            i.concept.unwrap_or_default().into(),
        ];
        for o in [i.baseline, Some(i.target)] {
            // A baseline the source does not give: every cell of its group empty.
            let Some(o) = o else {
                row.extend(std::iter::repeat_n(String::new(), 6));
                continue;
            };
            row.push(opt(o.year));
            row.push(o.value.raw.clone());
            row.push(
                o.value
                    .value
                    .map(crate::model::indicator::format_number)
                    .unwrap_or_default(),
            );
            row.push(o.value.text.clone().unwrap_or_default());
            row.push(o.value.qualifier.clone().unwrap_or_default());
            row.push(o.value.cumulative.to_string());
        }
        row.push(opt(i.cagr));
        row.push(opt(i.change_points));
        row.push(i.url.clone());
        csv_indicators.row(row);
    }
    csv_indicators.finish()
}

/// `data/themes.csv`.
pub(super) fn themes(out: &mut dyn Write, themes: &[ThemeRecord]) -> Result<(), BuildError> {
    let mut csv_themes = Table::new(out, &["slug", "name", "definition", "measures", "url"]);
    for t in themes {
        csv_themes.row(vec![
            t.slug.into(),
            t.name.into(),
            t.definition.into(),
            t.measures.to_string(),
            t.url.clone(),
        ]);
    }
    csv_themes.finish()
}

/// `data/units.csv`.
pub(super) fn units(out: &mut dyn Write, units: &[UnitRecord]) -> Result<(), BuildError> {
    let mut csv_units = Table::new(out, &["name", "side", "names", "count", "measures", "url"]);
    for u in units {
        csv_units.row(vec![
            u.name.into(),
            u.side.unwrap_or_default().into(),
            u.names.join("; "),
            u.count.to_string(),
            u.measures.join("; "),
            u.url.clone(),
        ]);
    }
    csv_units.finish()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV file being written; cells that a spreadsheet would run as a formula are neutralised.
pub(super) struct Table<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    error: Option<csv::Error>,
}

impl<'w> Table<'w> {
    /// A table written to `out`, which a large file streams to (`measures.csv` is 1 GB at
    /// 1,000,000 measures).
    pub(super) fn new(out: &'w mut dyn Write, header: &[&str]) -> Table<'w> {
        // A BOM makes spreadsheet programs read the file as UTF-8 (Chinese text).
        let error = out
            .write_all("\u{feff}".as_bytes())
            .err()
            .map(csv::Error::from);
        let mut writer = csv::WriterBuilder::new().from_writer(out);
        let error = error.or_else(|| writer.write_record(header).err());
        Table { writer, error }
    }

    pub(super) fn row(&mut self, cells: Vec<String>) {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralise_formula(&c)).collect();
        if let Err(e) = self.writer.write_record(&cells) {
            self.error.get_or_insert(e);
        }
    }

    pub(super) fn finish(mut self) -> Result<(), BuildError> {
        if let Some(e) = self.error {
            return Err(BuildError::OpenData(Box::new(e)));
        }
        self.writer
            .flush()
            .map_err(|e| BuildError::OpenData(Box::new(e)))
    }
}

/// Prefixes `'` to a cell that starts like a spreadsheet formula, unless it is a plain number.
///
/// A formula starts with `=`, `+`, `-` or `@`, or their full-width forms `＝ ＋ － ＠` (which
/// spreadsheets with East Asian input accept as well), also after leading whitespace (spaces,
/// tabs, line breaks, the ideographic space), which spreadsheets skip. A cell starting with a tab
/// or carriage return is neutralised whatever follows.
pub fn neutralise_formula(cell: &str) -> String {
    const FORMULA: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    let trimmed = cell.trim_start();
    let starts_like_formula = cell.starts_with(['\t', '\r']) || trimmed.starts_with(FORMULA);
    if starts_like_formula && trimmed.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("-3.5"), "-3.5");
        assert_eq!(neutralise_formula("绿色金融"), "绿色金融");
        assert_eq!(neutralise_formula("＝1+1"), "'＝1+1");
        assert_eq!(
            neutralise_formula(" \u{3000}@SUM(A1)"),
            "' \u{3000}@SUM(A1)"
        );
        assert_eq!(neutralise_formula(" -3.5"), " -3.5");
    }

    #[test]
    fn csv_quotes_fields() {
        let mut bytes = Vec::new();
        let mut t = Table::new(&mut bytes, &["a", "b"]);
        t.row(vec!["x,y".into(), "say \"hi\"\nthen".into()]);
        t.finish().unwrap();
        let out = String::from_utf8(bytes).unwrap();
        assert_eq!(out, "\u{feff}a,b\n\"x,y\",\"say \"\"hi\"\"\nthen\"\n");
    }
}
