//! Small inline SVG charts drawn at build time: no JavaScript, a text alternative on each.
//!
//! Only numbers are drawn. A text target (低于全国平均水平) or a value the source gives as a
//! five-year cumulative figure beside an annual one has no bar; the table shows it as written.

use crate::util::text::escape;

/// One bar: its label (year), value and the value as the source writes it.
pub struct Bar<'a> {
    pub label: String,
    pub value: f64,
    pub raw: &'a str,
}

const BAR_HEIGHT: f64 = 10.0;
const GAP: f64 = 4.0;
const LABEL_WIDTH: f64 = 44.0;

/// Horizontal bars on a shared scale `max`, `width` pixels wide, described by `alt`.
pub fn bars(bars: &[Bar<'_>], max: f64, width: f64, alt: &str) -> String {
    if bars.is_empty() || max <= 0.0 || !max.is_finite() {
        return String::new();
    }
    let height = bars.len() as f64 * (BAR_HEIGHT + GAP);
    let plot = width - LABEL_WIDTH;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{alt}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{alt}</title>",
        alt = escape(alt),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i as f64 * (BAR_HEIGHT + GAP);
        let w = (bar.value.max(0.0) / max * plot).max(1.0);
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" class=\"chart-label\">{label}</text><rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_HEIGHT}\" class=\"bar bar-{i}\"><title>{label}：{raw}</title></rect>",
            ty = y + BAR_HEIGHT - 1.0,
            label = escape(&bar.label),
            raw = escape(bar.raw),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_share_a_scale_and_say_what_they_show() {
        let svg = bars(
            &[
                Bar {
                    label: "2020年".into(),
                    value: 50.0,
                    raw: "50",
                },
                Bar {
                    label: "2025年".into(),
                    value: 100.0,
                    raw: "100",
                },
            ],
            100.0,
            144.0,
            "基期 50，目标 100",
        );
        assert!(
            svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\"基期 50，目标 100\"")
        );
        assert!(svg.contains("<title>基期 50，目标 100</title>"));
        assert!(svg.contains("width=\"50.0\""), "{svg}");
        assert!(svg.contains("width=\"100.0\""), "{svg}");
        assert_eq!(bars(&[], 1.0, 100.0, "x"), "");
    }
}
