//! A plan's `indicators.toml`: tables of indicators and their observations.

use super::*;

impl Loader<'_> {
    pub(super) fn load_indicators(&mut self, path: &Path) -> Vec<IndicatorTable> {
        let Some((file, text, display)) = self.read_toml::<IndicatorsFile>(path) else {
            return Vec::new();
        };
        let mut raw_tables: Vec<(String, String, usize, Vec<toml::Spanned<RawIndicator>>)> =
            Vec::new();
        match (file.title, file.table.is_empty()) {
            (Some(title), true) => raw_tables.push(("main".into(), title, 1, file.indicator)),
            (None, false) if file.indicator.is_empty() => {
                for t in file.table {
                    let line = crate::diagnostics::line_col(&text, t.span().start).0;
                    let t = t.into_inner();
                    raw_tables.push((t.id, t.title, line, t.indicator));
                }
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(&display, 1, "indicators.toml must hold either one table (`title` and [[indicator]]) or several ([[table]] with `id`, `title` and [[table.indicator]])")
                        .hint("move the indicators under [[table]] entries, or remove the [[table]] entries"),
                );
                return Vec::new();
            }
        }
        let mut tables: Vec<IndicatorTable> = Vec::new();
        for (id, title, line, raw_indicators) in raw_tables {
            if !is_valid_id(&id) || tables.iter().any(|t| t.id == id) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("table id `{id}` is not valid or is used twice"),
                    )
                    .hint("give each [[table]] its own id of ASCII letters, digits, `-` and `_`"),
                );
                continue;
            }
            let indicators = raw_indicators
                .into_iter()
                .filter_map(|spanned| {
                    let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
                    self.indicator(&display, line, spanned.into_inner())
                })
                .collect();
            tables.push(IndicatorTable {
                id,
                title,
                file: display.clone(),
                indicators,
            });
        }
        tables
    }

    pub(super) fn indicator(
        &mut self,
        display: &Path,
        line: usize,
        raw: RawIndicator,
    ) -> Option<Indicator> {
        if !is_valid_id(&raw.id) {
            self.diagnostics.push(
                Diagnostic::new(
                    display,
                    line,
                    format!("indicator id `{}` is not a valid id", raw.id),
                )
                .hint("use ASCII letters, digits, `-` and `_`, starting with a letter"),
            );
            return None;
        }
        if let Some(attribute) = &raw.attribute {
            if !matches!(attribute.as_str(), "预期性" | "约束性") {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("indicator `{}`: attribute `{attribute}` is neither 预期性 nor 约束性", raw.id))
                        .hint("write attribute = \"预期性\" or \"约束性\", or leave it out where the plan gives none"),
                );
            }
        }
        // A baseline the source does not give stays absent: no placeholder is made up for it.
        let baseline = raw
            .baseline
            .map(|b| self.observation(display, line, &raw.id, "baseline", b));
        let target = self.observation(display, line, &raw.id, "target", raw.target);
        let baseline = match baseline {
            Some(None) => return None,
            given => given.flatten(),
        };
        Some(Indicator {
            id: raw.id,
            name: raw.name,
            unit: raw.unit,
            group: raw.group.filter(|g| !g.is_empty()),
            attribute: raw.attribute,
            concept: raw.concept.filter(|c| !c.is_empty()),
            baseline,
            target: target?,
            note: raw.note.filter(|n| !n.is_empty()),
            line,
        })
    }

    pub(super) fn observation(
        &mut self,
        display: &Path,
        line: usize,
        id: &str,
        field: &str,
        raw: RawObservation,
    ) -> Option<Observation> {
        let year = match raw.year {
            Some(y) if (1949..=2100).contains(&y) => Some(y as u16),
            Some(y) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!("indicator `{id}`: {field} year {y} is not plausible"),
                    )
                    .hint("write a four-digit year between 1949 and 2100"),
                );
                return None;
            }
            None => None,
        };
        let value: Result<IndicatorValue, String> = match raw.value {
            toml::Value::String(s) => indicator::parse_value(&s).map_err(|e| e.0),
            toml::Value::Integer(i) => indicator::checked_number(i as f64).map_err(|e| e.0),
            toml::Value::Float(f) => indicator::checked_number(f).map_err(|e| e.0),
            other => Err(format!(
                "the value is {}, neither a number nor text",
                other.type_str()
            )),
        };
        match value {
            Ok(value) => Some(Observation { year, value }),
            Err(message) => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("indicator `{id}`: {field} value: {message}"))
                        .hint("write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\""),
                );
                None
            }
        }
    }
}
