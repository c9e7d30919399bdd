//! The open data: `data/plans.json`, `data/measures.json`, `data/indicators.json` and their CSV
//! twins. These files are an interface other tools read; their schema is documented in the
//! README and changes only by adding fields.
//!
//! Layer 6: may use `analyse` and every layer below; not `render`, `search` or `feeds`.

use serde::Serialize;

use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::model::{Date, Level, Observation, ResponsibleUnit, Site};
use crate::output::Sink;

#[derive(Serialize)]
struct PlanRecord<'a> {
    slug: &'a str,
    title: &'a str,
    short_title: &'a str,
    issuers: &'a [String],
    doc_number: Option<&'a str>,
    date_written: Option<Date>,
    date_published: Option<Date>,
    period_start: Option<u16>,
    period_end: Option<u16>,
    outlook_year: Option<u16>,
    level: Level,
    region: &'a str,
    implements: &'a [String],
    parent: Option<&'a str>,
    source_url: Option<&'a str>,
    notes: Option<&'a str>,
    chapters: usize,
    sections: usize,
    measures: usize,
    indicators: usize,
    url: &'a str,
    permalink: String,
}

#[derive(Serialize)]
struct MeasureRecord<'a> {
    id: &'a str,
    plan: &'a str,
    chapter: String,
    section: Option<String>,
    title: &'a str,
    text: &'a str,
    themes: &'a [String],
    units: &'a [ResponsibleUnit],
    url: &'a str,
    permalink: String,
    /// Ids of the measures of implemented plans this one carries out.
    implements: Vec<&'a str>,
    /// Ids of the measures of implementing plans that carry this one out.
    implemented_by: Vec<&'a str>,
    related: &'a [crate::analyse::related::Related],
}

#[derive(Serialize)]
struct IndicatorRecord<'a> {
    id: &'a str,
    plan: &'a str,
    /// The id and title of the table the indicator stands in.
    table: &'a str,
    table_title: &'a str,
    name: &'a str,
    unit: &'a str,
    group: Option<&'a str>,
    attribute: Option<&'a str>,
    concept: Option<&'a str>,
    baseline: &'a Observation,
    target: &'a Observation,
    /// Compound annual growth rate from baseline to target (0.057 = 5.7% a year), for amounts.
    cagr: Option<f64>,
    /// Change in percentage points from baseline to target, for shares.
    change_points: Option<f64>,
    url: String,
    permalink: String,
}

#[derive(Serialize)]
struct ThemeRecord<'a> {
    slug: &'a str,
    name: &'a str,
    definition: &'a str,
    /// Measures carrying the theme, in all plans and per plan (by slug, in site order).
    measures: usize,
    by_plan: std::collections::BTreeMap<&'a str, usize>,
    url: String,
}

#[derive(Serialize)]
struct UnitRecord<'a> {
    name: &'a str,
    side: Option<&'a str>,
    /// Every name the plans use for the unit.
    names: Vec<&'a str>,
    measures: Vec<&'a str>,
    count: usize,
    url: String,
}

/// Makes the open-data files, handing each to `sink` as soon as it is made, so that only one
/// large file is held at a time.
pub fn open_data(site: &Site, analysis: &Analysis, sink: &Sink) -> Result<(), BuildError> {
    let base = &site.config.base_url;
    let plans: Vec<PlanRecord> = site
        .plans
        .iter()
        .map(|p| {
            let m = &p.meta;
            PlanRecord {
                slug: &p.slug,
                title: &m.title,
                short_title: &m.short_title,
                issuers: &m.issuers,
                doc_number: m.doc_number.as_deref(),
                date_written: m.date_written,
                date_published: m.date_published,
                period_start: m.period_start,
                period_end: m.period_end,
                outlook_year: m.outlook_year,
                level: m.level,
                region: &m.region,
                implements: &m.implements,
                parent: m.parent.as_deref(),
                source_url: m.source_url.as_deref(),
                notes: m.notes.as_deref(),
                chapters: p.chapters.len(),
                sections: p.chapters.iter().map(|c| c.sections.len()).sum(),
                measures: p.measures().count(),
                indicators: p.all_indicators().count(),
                url: &p.url,
                permalink: format!("{base}{}", p.url),
            }
        })
        .collect();
    let measures: Vec<MeasureRecord> = analysis
        .measures
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let plan = &site.plans[e.plan];
            let chapter = &plan.chapters[e.chapter];
            let measure = analysis.measure(site, e);
            MeasureRecord {
                id: &measure.id,
                plan: &plan.slug,
                chapter: chapter.division.full_title(),
                section: e.section.map(|s| chapter.sections[s].division.full_title()),
                title: &measure.title,
                text: &measure.text,
                themes: &measure.themes,
                units: &measure.units,
                url: &e.url,
                permalink: format!("{base}{}", e.url),
                implements: analysis
                    .implements
                    .get(&i)
                    .map(|t| analysis.measure(site, &analysis.measures[*t]).id.as_str())
                    .into_iter()
                    .collect(),
                implemented_by: analysis
                    .implemented_by
                    .get(&i)
                    .map(|items| {
                        items
                            .iter()
                            .map(|t| analysis.measure(site, &analysis.measures[*t]).id.as_str())
                            .collect()
                    })
                    .unwrap_or_default(),
                related: &analysis.related[i],
            }
        })
        .collect();
    let mut indicators = Vec::new();
    for plan in &site.plans {
        for (table, ind) in plan.all_indicators() {
            let url = format!("{}#{}", plan.url, ind.id);
            let growth = crate::model::quantity::indicator_growth(ind);
            indicators.push(IndicatorRecord {
                id: &ind.id,
                plan: &plan.slug,
                table: &table.id,
                table_title: &table.title,
                name: &ind.name,
                unit: &ind.unit,
                group: ind.group.as_deref(),
                attribute: ind.attribute.as_deref(),
                concept: ind.concept.as_deref(),
                baseline: &ind.baseline,
                target: &ind.target,
                cagr: match growth {
                    Some(crate::model::quantity::Growth::Cagr(g)) => Some(round4(g)),
                    _ => None,
                },
                change_points: match growth {
                    Some(crate::model::quantity::Growth::Points(p)) => Some(round4(p)),
                    _ => None,
                },
                permalink: format!("{base}{url}"),
                url,
            });
        }
    }

    let themes: Vec<ThemeRecord> = site
        .themes
        .iter()
        .map(|t| ThemeRecord {
            slug: &t.slug,
            name: &t.name,
            definition: &t.definition,
            measures: analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
            by_plan: site
                .plans
                .iter()
                .enumerate()
                .map(|(p, plan)| (plan.slug.as_str(), analysis.theme_count(&t.slug, p)))
                .collect(),
            url: crate::model::urls::theme_url(&t.slug),
        })
        .collect();
    let units: Vec<UnitRecord> = analysis
        .agencies
        .iter()
        .map(|a| UnitRecord {
            name: &a.name,
            side: a.side.as_deref(),
            names: a.names.iter().map(String::as_str).collect(),
            measures: a
                .measures
                .iter()
                .map(|i| analysis.measure(site, &analysis.measures[*i]).id.as_str())
                .collect(),
            count: a.measures.len(),
            url: crate::model::urls::unit_url(&a.key),
        })
        .collect();
    sink.put("data/plans.json".into(), json(&plans)?)?;
    sink.put("data/measures.json".into(), json(&measures)?)?;
    sink.put("data/indicators.json".into(), json(&indicators)?)?;
    sink.put("data/themes.json".into(), json(&themes)?)?;
    sink.put("data/units.json".into(), json(&units)?)?;

    let mut csv_plans = Table::new(&[
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
    ]);
    for p in &plans {
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
    let mut csv_measures = Table::new(&[
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
        "related",
    ]);
    for m in &measures {
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
            m.related
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    let mut csv_indicators = Table::new(&[
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
    ]);
    for i in &indicators {
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
        for o in [i.baseline, i.target] {
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
    let mut csv_themes = Table::new(&["slug", "name", "definition", "measures", "url"]);
    for t in &themes {
        csv_themes.row(vec![
            t.slug.into(),
            t.name.into(),
            t.definition.into(),
            t.measures.to_string(),
            t.url.clone(),
        ]);
    }
    let mut csv_units = Table::new(&["name", "side", "names", "count", "measures", "url"]);
    for u in &units {
        csv_units.row(vec![
            u.name.into(),
            u.side.unwrap_or_default().into(),
            u.names.join("; "),
            u.count.to_string(),
            u.measures.join("; "),
            u.url.clone(),
        ]);
    }
    sink.put("data/themes.csv".into(), csv_themes.finish()?)?;
    sink.put("data/units.csv".into(), csv_units.finish()?)?;
    sink.put("data/plans.csv".into(), csv_plans.finish()?)?;
    sink.put("data/measures.csv".into(), csv_measures.finish()?)?;
    sink.put("data/indicators.csv".into(), csv_indicators.finish()?)?;
    Ok(())
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, BuildError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| BuildError::OpenData(Box::new(e)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A CSV file being written; cells that a spreadsheet would run as a formula are neutralised.
struct Table {
    writer: csv::Writer<Vec<u8>>,
    error: Option<csv::Error>,
}

impl Table {
    fn new(header: &[&str]) -> Table {
        // A BOM makes spreadsheet programs read the file as UTF-8 (Chinese text).
        let mut writer = csv::WriterBuilder::new().from_writer("\u{feff}".as_bytes().to_vec());
        let error = writer.write_record(header).err();
        Table { writer, error }
    }

    fn row(&mut self, cells: Vec<String>) {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralise_formula(&c)).collect();
        if let Err(e) = self.writer.write_record(&cells) {
            self.error.get_or_insert(e);
        }
    }

    fn finish(self) -> Result<Vec<u8>, BuildError> {
        if let Some(e) = self.error {
            return Err(BuildError::OpenData(Box::new(e)));
        }
        self.writer
            .into_inner()
            .map_err(|e| BuildError::OpenData(Box::new(e.into_error())))
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
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["x,y".into(), "say \"hi\"\nthen".into()]);
        let out = String::from_utf8(t.finish().unwrap()).unwrap();
        assert_eq!(out, "\u{feff}a,b\n\"x,y\",\"say \"\"hi\"\"\nthen\"\n");
    }
}
