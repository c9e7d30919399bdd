//! Indicator values as plans write them: `9.18`, `7.3左右`, `【1000】`, `—`, `低于全国平均水平`.
//!
//! The source's wording is kept in `raw` and shown as written; the parse adds what tools need
//! (a number where there is one, a qualifier, the five-year cumulative marker) without ever
//! turning a text target into a number.

use serde::Serialize;

/// Qualifiers written after a number (7.3左右, 220以上).
const SUFFIX_QUALIFIERS: &[&str] = &[
    "左右",
    "以上",
    "以下",
    "以内",
    "上下",
    "及以上",
    "及以下",
    "以上（含）",
    "(含)",
    "（含）",
];
/// Qualifiers written before a number (约5, 超过100, ≥95).
const PREFIX_QUALIFIERS: &[&str] = &[
    "不低于",
    "不高于",
    "不超过",
    "不少于",
    "超过",
    "高于",
    "低于",
    "达到",
    "约",
    "≥",
    "≤",
    ">",
    "<",
    "＞",
    "＜",
];
/// Ways plans say "no value".
const NOT_GIVEN: &[&str] = &["—", "——", "-", "－", "/", "／", "无"];

/// One parsed value of an indicator (a baseline or a target).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    /// The value as the source writes it.
    pub raw: String,
    /// The number, when the source gives one.
    pub value: Option<f64>,
    /// The source's wording, when the value is text rather than a number.
    pub text: Option<String>,
    /// A qualifier kept beside the number: 左右, 以上, 约 ….
    pub qualifier: Option<String>,
    /// The source marks the value as a five-year cumulative figure (【】).
    pub cumulative: bool,
}

impl IndicatorValue {
    /// Whether the source gives no value at all (`—`).
    pub fn is_not_given(&self) -> bool {
        self.value.is_none() && self.text.is_none()
    }
}

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

/// Parses a value written as text in `indicators.toml`.
pub fn parse_value(raw: &str) -> Result<IndicatorValue, ValueError> {
    let trimmed = raw.trim();
    let mut result = IndicatorValue {
        raw: trimmed.to_string(),
        value: None,
        text: None,
        qualifier: None,
        cumulative: false,
    };
    let mut inner = trimmed;
    if let Some(rest) = inner.strip_prefix('【') {
        let Some(body) = rest.strip_suffix('】') else {
            return Err(ValueError(format!(
                "`{trimmed}` opens 【 but does not end with 】; write a cumulative value as 【1000】"
            )));
        };
        result.cumulative = true;
        inner = body.trim();
    }
    if inner.is_empty() || NOT_GIVEN.contains(&inner) {
        if result.cumulative {
            return Err(ValueError(format!(
                "`{trimmed}` marks an empty value as cumulative"
            )));
        }
        return Ok(result);
    }
    let word = inner.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if matches!(word.as_str(), "nan" | "inf" | "infinity") {
        return Err(ValueError(format!(
            "`{inner}` is not a number a plan can give"
        )));
    }
    let mut prefix = None;
    for q in PREFIX_QUALIFIERS {
        if let Some(rest) = inner.strip_prefix(q) {
            if starts_with_number(rest.trim_start()) {
                prefix = Some(*q);
                inner = rest.trim_start();
                break;
            }
        }
    }
    match split_number(inner) {
        Some((number, rest)) => {
            // Written in digits, a number that is not finite is one too large for a float.
            if !number.is_finite() || number.abs() >= MAX_MAGNITUDE {
                return Err(ValueError(TOO_LARGE.to_string()));
            }
            let rest = rest.trim();
            result.value = Some(number);
            // A percent sign repeats the unit (`55%` in a column of %): the number stands.
            let rest = rest.trim_start_matches(['%', '％']).trim();
            if !rest.is_empty() {
                if prefix.is_some() || !SUFFIX_QUALIFIERS.contains(&rest) {
                    return Err(ValueError(format!(
                        "`{trimmed}`: the number is followed by `{rest}`, which is not a known qualifier ({}); \
                         put the unit in the indicator's `unit`, or write the whole value as text that does not start with a number",
                        SUFFIX_QUALIFIERS[..5].join(", ")
                    )));
                }
                result.qualifier = Some(rest.to_string());
            }
            if let Some(p) = prefix {
                result.qualifier = Some(p.to_string());
            }
        }
        None => {
            result.text = Some(inner.to_string());
        }
    }
    Ok(result)
}

/// Builds a value from a bare TOML number.
pub fn from_number(number: f64) -> IndicatorValue {
    IndicatorValue {
        raw: format_number(number),
        value: Some(number),
        text: None,
        qualifier: None,
        cumulative: false,
    }
}

/// Formats a number without a trailing `.0`, as plans write them.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

fn starts_with_number(s: &str) -> bool {
    split_number(s).is_some()
}

/// Reads a leading decimal number (with optional sign and `,` thousands separators). Full-width
/// digits and signs (`０．５`, `－３`, `１，２３４`), as Chinese editors type them, read as the
/// ASCII ones.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let ascii = |c: char| match c {
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        '．' => Some('.'),
        '，' => Some(','),
        '－' => Some('-'),
        '＋' => Some('+'),
        c if c.is_ascii() => Some(c),
        _ => None,
    };
    // (byte offset in `s`, ASCII equivalent) of each character.
    let chars: Vec<(usize, char)> = s
        .char_indices()
        .map_while(|(i, c)| ascii(c).map(|a| (i, a)))
        .collect();
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let mut end = 0;
    if matches!(at(0), Some('-' | '+')) {
        end += 1;
    }
    let digits_start = end;
    let mut seen_dot = false;
    while let Some(c) = at(end) {
        match c {
            '0'..='9' => end += 1,
            '.' if !seen_dot && at(end + 1).is_some_and(|d| d.is_ascii_digit()) => {
                seen_dot = true;
                end += 1;
            }
            ',' if !seen_dot
                && end > digits_start
                && (1..=3).all(|k| at(end + k).is_some_and(|d| d.is_ascii_digit())) =>
            {
                end += 1
            }
            _ => break,
        }
    }
    if end == digits_start {
        return None;
    }
    let number: String = chars[..end]
        .iter()
        .map(|(_, c)| *c)
        .filter(|c| *c != ',')
        .collect();
    let rest = s.char_indices().nth(end).map_or(s.len(), |(i, _)| i);
    number.parse::<f64>().ok().map(|n| (n, &s[rest..]))
}

/// Plans give figures of at most 15 digits before the decimal point: up to there every whole
/// number is exact as a float, so the open data repeats the figure as written.
const MAX_MAGNITUDE: f64 = 1e15;
const TOO_LARGE: &str = "the number is too large: more than 15 digits before the decimal point";

/// Why `number` cannot be a plan's figure, if it cannot.
fn number_problem(number: f64) -> Option<String> {
    if !number.is_finite() {
        let written = format!("{number}").to_lowercase();
        return Some(format!("`{written}` is not a number a plan can give"));
    }
    (number.abs() >= MAX_MAGNITUDE).then(|| TOO_LARGE.to_string())
}

/// A value from a bare TOML number, or why it cannot be one (not finite, too large).
pub fn checked_number(number: f64) -> Result<IndicatorValue, ValueError> {
    match number_problem(number) {
        Some(problem) => Err(ValueError(problem)),
        None => Ok(from_number(number)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        let v = parse_value("9.18").unwrap();
        assert_eq!(v.value, Some(9.18));
        assert_eq!(v.raw, "9.18");
        assert_eq!(v.qualifier, None);
        assert!(!v.cumulative);
        assert_eq!(parse_value("2273.6").unwrap().value, Some(2273.6));
        assert_eq!(parse_value("1,234.5").unwrap().value, Some(1234.5));
        assert_eq!(parse_value("-3").unwrap().value, Some(-3.0));
    }

    #[test]
    fn qualifiers_are_kept() {
        let v = parse_value("7.3左右").unwrap();
        assert_eq!(v.value, Some(7.3));
        assert_eq!(v.qualifier.as_deref(), Some("左右"));
        assert_eq!(v.raw, "7.3左右");
        let v = parse_value("约5").unwrap();
        assert_eq!((v.value, v.qualifier.as_deref()), (Some(5.0), Some("约")));
        let v = parse_value("≥95").unwrap();
        assert_eq!((v.value, v.qualifier.as_deref()), (Some(95.0), Some("≥")));
        let v = parse_value("220以上").unwrap();
        assert_eq!(v.qualifier.as_deref(), Some("以上"));
    }

    #[test]
    fn percent_signs_repeat_the_unit() {
        let v = parse_value("55%").unwrap();
        assert_eq!(
            (v.value, v.raw.as_str(), v.qualifier.as_deref()),
            (Some(55.0), "55%", None)
        );
        let v = parse_value("6%以上").unwrap();
        assert_eq!((v.value, v.qualifier.as_deref()), (Some(6.0), Some("以上")));
    }

    #[test]
    fn cumulative_values() {
        let v = parse_value("【1000】").unwrap();
        assert!(v.cumulative);
        assert_eq!(v.value, Some(1000.0));
        assert!(parse_value("【1000").is_err());
        assert!(parse_value("【】").is_err());
    }

    #[test]
    fn text_values_stay_text() {
        let v = parse_value("低于全国平均水平").unwrap();
        assert_eq!(v.value, None);
        assert_eq!(v.text.as_deref(), Some("低于全国平均水平"));
        let v = parse_value("不低于各项贷款平均增速").unwrap();
        assert_eq!(v.text.as_deref(), Some("不低于各项贷款平均增速"));
    }

    #[test]
    fn not_given() {
        assert!(parse_value("—").unwrap().is_not_given());
        assert!(parse_value("").unwrap().is_not_given());
    }

    #[test]
    fn unknown_suffix_is_an_error() {
        let e = parse_value("7.3左石").unwrap_err();
        assert!(e.0.contains("`左石`"), "{}", e.0);
        assert!(parse_value("3000亿元").is_err());
    }

    #[test]
    fn numbers_format_without_trailing_zero() {
        assert_eq!(format_number(3000.0), "3000");
        assert_eq!(format_number(9.18), "9.18");
        assert_eq!(from_number(165.0).raw, "165");
    }

    #[test]
    fn not_a_number_and_infinity_are_refused() {
        for raw in [
            "nan",
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "+infinity",
            "【inf】",
        ] {
            let e = parse_value(raw).unwrap_err();
            assert!(
                e.0.contains("is not a number a plan can give"),
                "{raw}: {}",
                e.0
            );
        }
    }

    #[test]
    fn numbers_too_large_to_be_exact_are_refused() {
        let e = parse_value(&"9".repeat(400)).unwrap_err();
        assert!(e.0.contains("too large"), "{}", e.0);
        assert!(parse_value("1234567890123456").is_err());
        assert_eq!(
            parse_value("123456789012345").unwrap().value,
            Some(123456789012345.0)
        );
        assert!(checked_number(f64::INFINITY).is_err());
        assert!(checked_number(f64::NAN).is_err());
        assert!(checked_number(1e300).is_err());
        assert_eq!(checked_number(9.18).unwrap().value, Some(9.18));
    }

    #[test]
    fn full_width_digits_are_read_as_the_number_they_spell() {
        let v = parse_value("０．５").unwrap();
        assert_eq!((v.value, v.raw.as_str()), (Some(0.5), "０．５"));
        let v = parse_value("１，２３４．５左右").unwrap();
        assert_eq!(
            (v.value, v.qualifier.as_deref()),
            (Some(1234.5), Some("左右"))
        );
        assert_eq!(parse_value("－３").unwrap().value, Some(-3.0));
        assert_eq!(parse_value("【１０００】").unwrap().value, Some(1000.0));
        assert_eq!(parse_value("５５％").unwrap().value, Some(55.0));
    }
}
