//! Text rules of the model: a measure's short title, item markers, the `units` attribute, slugs.
//!
//! Pure functions of strings, used by the loader and by the analysis alike.

use super::{Measure, ResponsibleUnit};

/// A measure's short title: the heading without its enumeration marker and closing punctuation,
/// or, when the heading has nothing else, the first clause of the text (up to the first `，`,
/// `。` or `；`), whole while it is at most [`TITLE_MAX`] characters and else cut at a word
/// boundary with `…` ([`shorten_at_boundary`]): never in the middle of a phrase.
pub fn measure_title(heading: &str, body_text: &str) -> String {
    const CLOSING: &[char] = &['。', '；', ';', '：', ':', ',', '，', '、'];
    let heading = strip_enumeration(heading.trim()).trim_end_matches(CLOSING);
    if !heading.is_empty() {
        return heading.to_string();
    }
    let first = strip_enumeration(body_text.trim())
        .split(['。', '；', ';', '，', ',', '\n'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(CLOSING);
    shorten_at_boundary(first, TITLE_MAX)
}

/// The longest title drawn from a measure's text that is shown whole.
pub const TITLE_MAX: usize = 40;

/// `text` whole if it has at most `max` characters; else its opening up to the last word
/// boundary within `max` characters, followed by `…`. Chinese has no spaces: a boundary is
/// before an enumeration comma `、` or a conjunction (和、与、及、并), or, failing those, after a
/// closing quotation mark or bracket (which can close a word's inner part, as in 中国（绵阳）科技城).
/// Only without any boundary in the second half of the window is the text cut at `max`
/// characters.
pub fn shorten_at_boundary(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let window = || ((max / 2).max(1)..=max).rev();
    let cut = window()
        .find(|&i| matches!(chars[i], '、' | '和' | '与' | '及' | '并' | ' '))
        .or_else(|| window().find(|&i| matches!(chars[i - 1], '”' | '）' | ')' | '》' | '」')))
        .unwrap_or(max);
    format!("{}…", chars[..cut].iter().collect::<String>())
}

/// Removes a leading item marker: `1、`, `12．`, `3.`, `（一）`, `(十二)`, `一、`, `——`.
pub fn strip_enumeration(text: &str) -> &str {
    const NUMERALS: &str = "0123456789一二三四五六七八九十百零〇";
    let text = text.trim_start_matches(['—', '-']).trim_start();
    if let Some(rest) = text.strip_prefix(['（', '(']) {
        let inner = rest.trim_start_matches(|c| NUMERALS.contains(c));
        if inner.len() < rest.len() {
            if let Some(after) = inner.strip_prefix(['）', ')']) {
                return after.trim_start();
            }
        }
        return text;
    }
    let rest = text.trim_start_matches(|c| NUMERALS.contains(c));
    if rest.len() < text.len() {
        if let Some(after) = rest.strip_prefix(['、', '．', '.']) {
            // `3.5亿元` is a number, not item 3.
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                return after.trim_start();
            }
        }
    }
    text
}

/// Parses `units="重庆:市金融监管局、人行重庆营管部;四川:省地方金融监管局"`.
pub fn parse_units(value: &str) -> Vec<ResponsibleUnit> {
    let mut units = Vec::new();
    for part in value.split([';', '；']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (side, names) = match part.split_once([':', '：']) {
            Some((s, n)) => (Some(s.trim().to_string()), n),
            None => (None, part),
        };
        for name in names
            .split(['、', ',', '，'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            units.push(ResponsibleUnit {
                name: name.to_string(),
                side: side.clone(),
            });
        }
    }
    units
}

/// Slugs for plans, themes, chapters and pages: lowercase ASCII letters, digits and `-`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Measure {
    /// The heading when the measure has a lead phrase, else its title.
    pub fn heading_or_title(&self) -> String {
        let h = strip_enumeration(self.heading.trim());
        if h.is_empty() {
            self.title.clone()
        } else {
            h.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            measure_title("推动金融机构集聚。", "支持"),
            "推动金融机构集聚"
        );
        // No lead phrase: the first clause, whole.
        assert_eq!(
            measure_title("", "建立健全支持金融业发展的政策体系,在金融基础设施建设、重点金融牌照引进培育方面提供政策支持。完善"),
            "建立健全支持金融业发展的政策体系"
        );
        assert_eq!(
            measure_title(
                "",
                "在重庆自贸试验区率先探索跨境金融、贸易投资领域便利化政策创新，推动"
            ),
            "在重庆自贸试验区率先探索跨境金融、贸易投资领域便利化政策创新"
        );
        assert_eq!(measure_title("", "短句。后文"), "短句");
        assert_eq!(
            measure_title("1、加快培育法人金融机构。", "支持"),
            "加快培育法人金融机构"
        );
        assert_eq!(measure_title("(一)加强组织协调。", "坚持"), "加强组织协调");
        assert_eq!(
            measure_title("一、加大“产业集群”金融扶持", ""),
            "加大“产业集群”金融扶持"
        );
        assert_eq!(
            measure_title(
                "12．",
                "支持符合条件的主体在成渝地区依法依规发起设立证券公司。"
            ),
            "支持符合条件的主体在成渝地区依法依规发起设立证券公司"
        );
        // A first clause longer than TITLE_MAX ends at the last word boundary within it.
        assert_eq!(
            measure_title("1．", "支持符合条件的主体在成渝地区依法依规发起设立证券公司、理财公司、保险资产管理公司、公募基金管理公司、消费金融公司等法人金融机构。"),
            "支持符合条件的主体在成渝地区依法依规发起设立证券公司、理财公司、保险资产管理公司…"
        );
        assert_eq!(
            measure_title("", "4.支持重庆股份转让中心、天府（四川）联合股权交易中心建立完善适合科创企业和科技成果转化企业的挂牌交易规则。"),
            "支持重庆股份转让中心、天府（四川）联合股权交易中心建立完善适合科创企业…"
        );
        assert_eq!(measure_title("2020年新出台。", ""), "2020年新出台");
        assert_eq!(measure_title("3.5亿元贷款。", ""), "3.5亿元贷款");
    }

    #[test]
    fn shortening_keeps_words_whole() {
        assert_eq!(shorten_at_boundary("一二三", 3), "一二三");
        // No boundary at all: cut at the limit.
        assert_eq!(shorten_at_boundary("一二三四五六", 4), "一二三四…");
        assert_eq!(shorten_at_boundary("甲乙丙、丁戊己庚", 6), "甲乙丙…");
        assert_eq!(shorten_at_boundary("“甲乙”丙丁戊己庚", 6), "“甲乙”…");
        // An enumeration comma comes before a closing bracket inside a name.
        assert_eq!(
            shorten_at_boundary("推动西部（重庆）科学城、西部（成都）科学城、中国（绵阳）科技城开展科创金融先行先试", 28),
            "推动西部（重庆）科学城、西部（成都）科学城…"
        );
    }

    #[test]
    fn units() {
        let u = parse_units("重庆:市金融监管局、人行重庆营管部;四川:省地方金融监管局");
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].side.as_deref(), Some("重庆"));
        assert_eq!(u[2].name, "省地方金融监管局");
        assert_eq!(parse_units("市发展改革委")[0].side, None);
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("sichuan-finance"));
        assert!(!is_valid_slug("Sichuan"));
        assert!(!is_valid_slug("../x"));
        assert!(!is_valid_slug(""));
    }
}
