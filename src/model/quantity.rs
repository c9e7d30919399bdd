//! Units of indicators, and how to compare them: `万亿元` and `亿元` measure the same thing at a
//! factor of 10,000. Each unit maps to a base unit and the factor that converts into it.

/// Units planatlas knows: (unit as plans write it, base unit, factor into the base unit).
const UNITS: &[(&str, &str, f64)] = &[
    ("万亿元", "亿元", 10_000.0),
    ("亿元", "亿元", 1.0),
    ("亿", "亿元", 1.0),
    ("万元", "亿元", 0.0001),
    ("元", "亿元", 0.000_000_01),
    ("亿美元", "亿美元", 1.0),
    ("万美元", "亿美元", 0.0001),
    ("%", "%", 1.0),
    ("％", "%", 1.0),
    ("家", "家", 1.0),
    ("个", "个", 1.0),
    ("元/人", "元/人", 1.0),
];

/// The base unit of `unit` and the factor that converts a value into it; `None` for units
/// planatlas does not know (they compare only with themselves).
pub fn base(unit: &str) -> Option<(&'static str, f64)> {
    let unit = unit.trim();
    UNITS
        .iter()
        .find(|(u, _, _)| *u == unit)
        .map(|(_, b, f)| (*b, *f))
}

/// Converts `value` in `from` into `to`, when both share a base unit.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    if from.trim() == to.trim() {
        return Some(value);
    }
    let (base_from, f_from) = base(from)?;
    let (base_to, f_to) = base(to)?;
    (base_from == base_to).then(|| value * f_from / f_to)
}

/// Growth from a baseline to a target: the compound annual growth rate for amounts, the change in
/// percentage points for shares (a CAGR of a percentage says little).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Growth {
    /// Compound annual growth rate, e.g. 0.08 for 8% a year.
    Cagr(f64),
    /// Change of a share, in percentage points over the period.
    Points(f64),
}

/// The growth implied by two values `years` apart, in `unit`; `None` when it cannot be computed
/// (no years, a non-positive baseline).
pub fn growth(baseline: f64, target: f64, years: i32, unit: &str) -> Option<Growth> {
    if years <= 0 || !baseline.is_finite() || !target.is_finite() {
        return None;
    }
    if base(unit).is_some_and(|(b, _)| b == "%") {
        return Some(Growth::Points(target - baseline));
    }
    // A target of zero would read as shrinking by 100% a year: no rate says more than that.
    if baseline <= 0.0 || target <= 0.0 {
        return None;
    }
    let rate = (target / baseline).powf(1.0 / years as f64) - 1.0;
    rate.is_finite().then_some(Growth::Cagr(rate))
}

/// The growth an indicator's own baseline and target imply, when both are plain numbers (not
/// text, not five-year cumulative values) with years.
pub fn indicator_growth(ind: &crate::model::Indicator) -> Option<Growth> {
    let (b, t) = (ind.baseline.as_ref()?, &ind.target);
    if b.value.cumulative || t.value.cumulative {
        return None;
    }
    let years = i32::from(t.year?) - i32::from(b.year?);
    growth(b.value.value?, t.value.value?, years, &ind.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(convert(9.18, "万亿元", "亿元"), Some(91_800.0));
        assert_eq!(convert(2273.6, "亿元", "亿元"), Some(2273.6));
        assert!((convert(1000.0, "亿", "万亿元").unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(convert(1.0, "亿元", "亿美元"), None);
        assert_eq!(convert(1.0, "家", "亿元"), None);
        assert_eq!(convert(3.0, "件", "件"), Some(3.0));
    }

    #[test]
    fn growth_rates() {
        // 2273.6 → 3000 over five years: 5.70% a year.
        let Some(Growth::Cagr(g)) = growth(2273.6, 3000.0, 5, "亿元") else {
            panic!()
        };
        assert!((g - 0.05701).abs() < 1e-4, "{g}");
        assert_eq!(growth(6.9, 7.3, 5, "%"), Some(Growth::Points(7.3 - 6.9)));
        assert_eq!(growth(0.0, 800.0, 5, "亿元"), None);
        assert_eq!(growth(1.0, 2.0, 0, "亿元"), None);
        // A target of zero or a value that is not finite gives no rate, never -100% or NaN.
        assert_eq!(growth(2273.6, 0.0, 5, "亿元"), None);
        assert_eq!(growth(f64::INFINITY, 5.0, 5, "亿元"), None);
        assert_eq!(growth(5.0, f64::INFINITY, 5, "亿元"), None);
        assert_eq!(growth(f64::NAN, 5.0, 5, "%"), None);
        assert_eq!(growth(1e-300, 1e300, 1, "亿元"), None);
    }
}
