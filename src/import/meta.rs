//! The plan's metadata as the text states it: title, 发文机关, 发文字号, 成文日期, 发布日期,
//! period and outlook year; level and region from the command line or the issuer's own name.
//! A field the text does not state stays empty: nothing is guessed.

use crate::import::numbering::is_space;
use crate::import::outline::Item;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: String,
    pub issuers: Vec<String>,
    pub doc_number: Option<String>,
    pub date_written: Option<String>,
    pub date_published: Option<String>,
    pub period: Option<(u32, u32)>,
    pub outlook_year: Option<u32>,
    pub level: Option<String>,
    pub region: Option<String>,
}

fn paras(items: &[Item]) -> impl DoubleEndedIterator<Item = &str> {
    items.iter().filter_map(|i| match i {
        Item::Para(p) => Some(p.text.as_str()),
        Item::Table { .. } => None,
    })
}

/// Reads the metadata from the preamble (the notice), the page's metadata table and the title
/// the format marks.
pub fn read(
    preamble: &[Item],
    body_head: &[Item],
    page_meta: &[(String, String)],
    page_title: Option<&str>,
) -> Meta {
    let mut m = Meta::default();
    let notice: String = paras(preamble).collect::<Vec<_>>().join("\n");
    let meta_value = |labels: &[&str]| {
        page_meta
            .iter()
            .find(|(k, _)| labels.iter().any(|l| k.contains(l)))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    m.title = title(&notice, preamble, page_title, meta_value(&["标题", "名称"]));
    m.doc_number = meta_value(&["发文字号", "文号"])
        .or_else(|| doc_number(&notice))
        .map(|s| s.chars().filter(|c| !is_space(*c)).collect());
    m.date_published = meta_value(&["发布日期", "发布时间"])
        .and_then(|v| date(&v))
        .or_else(|| labelled_date(&notice, "发布日期"));
    m.date_written = meta_value(&["成文日期"])
        .and_then(|v| date(&v))
        .or_else(|| signature_date(preamble));
    m.issuers = match meta_value(&["发文机关", "发布机构"]) {
        Some(v) => split_names(&v),
        None => signature_issuers(preamble),
    };
    if m.issuers.is_empty() || m.date_written.is_none() {
        if let Some((issuer, date)) = inline_signature(preamble) {
            if m.issuers.is_empty() {
                m.issuers = vec![issuer];
            }
            m.date_written = m.date_written.or(Some(date));
        }
    }
    let head: String = paras(body_head).take(3).collect::<Vec<_>>().join("\n");
    m.period = period(&m.title)
        .or_else(|| period(&notice))
        .or_else(|| period(&head));
    m.outlook_year = outlook(&notice).or_else(|| outlook(&head));
    m
}

fn title(
    notice: &str,
    preamble: &[Item],
    page_title: Option<&str>,
    meta_title: Option<String>,
) -> String {
    // 《…》 in the notice names the plan it issues (印发); elsewhere it cites another document.
    for para in notice.lines().filter(|l| l.contains("印发")) {
        if let Some(open) = para.find('《') {
            if let Some(close) = para[open..].find('》') {
                let t = &para[open + '《'.len_utf8()..open + close];
                if !t.is_empty() && t.chars().count() <= 60 {
                    return t.to_string();
                }
            }
        }
    }
    // Else the last short line of the preamble that names a plan.
    let kinds = ["规划", "细则", "方案", "纲要", "意见", "计划"];
    if let Some(t) = paras(preamble).rev().find(|t| {
        t.chars().count() <= 50 && !t.contains(['。', '，']) && kinds.iter().any(|k| t.contains(k))
    }) {
        return t.trim_matches(is_space).to_string();
    }
    meta_title
        .or_else(|| page_title.map(str::to_string))
        .unwrap_or_default()
}

/// `渝府发〔2022〕7号`, with full- or half-width brackets.
fn doc_number(text: &str) -> Option<String> {
    for (i, c) in text.char_indices() {
        if !matches!(c, '〔' | '[' | '［' | '【') {
            continue;
        }
        let after = &text[i + c.len_utf8()..];
        let year: String = after.chars().take_while(char::is_ascii_digit).collect();
        if year.len() != 4 {
            continue;
        }
        let rest = &after[4..];
        let Some(close) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '〕' | ']' | '］' | '】'))
        else {
            continue;
        };
        let rest = &rest[close.len_utf8()..];
        let num: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if num.is_empty() || !rest[num.len()..].starts_with('号') {
            continue;
        }
        let before: String = text[..i]
            .chars()
            .rev()
            .take_while(|c| is_ideograph(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // An issuer's code is a few characters (`渝府发`, `永川府办发`); a title run into it
        // (`…的通知渝府发`) is not part of it.
        let before = match before.rfind(['知', '的', '见', '》']) {
            Some(i) => before[i + 3..].to_string(),
            None => before,
        };
        if before.is_empty() || before.chars().count() > 8 {
            continue;
        }
        return Some(format!("{before}{c}{year}{close}{num}号"));
    }
    None
}

/// `2022年1月14日`, `2022 年 12 月 14 日` or `2022-01-29` as a TOML date.
pub fn date(text: &str) -> Option<String> {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    let (y, mo, d) = match nums.as_slice() {
        [y, mo, d] => (*y, *mo, *d),
        _ => return None,
    };
    ((1949..=2100).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{mo:02}-{d:02}"))
}

/// Every `YYYY年M月D日` in `text`, as written (spaces removed).
fn dates_in(text: &str) -> Vec<String> {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    let mut out = Vec::new();
    let mut rest = t.as_str();
    while let Some(at) = rest.find('年') {
        let before: String = rest[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let after = &rest[at + '年'.len_utf8()..];
        if before.len() == 4 {
            if let Some(end) = after.find('日') {
                let mid = &after[..end];
                if mid.len() <= 8 && mid.contains('月') {
                    let y: String = before.chars().rev().collect();
                    out.push(format!("{y}年{mid}日"));
                }
            }
        }
        rest = after;
    }
    out
}

/// The date under the signature: the first short paragraph of the notice that holds a date.
fn signature_date(preamble: &[Item]) -> Option<String> {
    paras(preamble)
        .filter(|t| t.chars().count() <= 60)
        .flat_map(dates_in)
        .find_map(|d| date(&d))
}

/// `发布日期:2022-01-29`.
fn labelled_date(text: &str, label: &str) -> Option<String> {
    let at = text.find(label)?;
    let rest = text[at + label.len()..].trim_start_matches([':', '：', ' ']);
    let value: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '年' | '月' | '日' | '/'))
        .collect();
    date(&value.replace('/', "-"))
}

/// Names of organs: what ends like one.
fn is_organ(name: &str) -> bool {
    const ENDS: &[&str] = &[
        "人民政府",
        "办公厅",
        "办公室",
        "委员会",
        "银行",
        "局",
        "部",
        "厅",
        "委",
        "会",
        "政府",
    ];
    let n = name.chars().count();
    (2..=24).contains(&n) && ENDS.iter().any(|e| name.ends_with(e))
}

fn split_names(text: &str) -> Vec<String> {
    text.split(|c: char| is_space(c) || matches!(c, '、' | '，' | ',' | ';' | '；'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The issuers signed above the date: the short lines of organ names just before it.
fn signature_issuers(preamble: &[Item]) -> Vec<String> {
    let texts: Vec<&str> = paras(preamble).collect();
    let Some(at) = texts
        .iter()
        .position(|t| t.chars().count() <= 60 && !dates_in(t).is_empty())
    else {
        return Vec::new();
    };
    let mut names = Vec::new();
    // A date line that carries the signature in front of it (a scrape joins them).
    if let Some(first) = dates_in(texts[at]).first() {
        let compact: String = texts[at].chars().filter(|c| !is_space(*c)).collect();
        if let Some(i) = compact.find(first.as_str()) {
            let head = &compact[..i];
            if is_organ(head) {
                names.push(head.to_string());
            }
        }
    }
    let mut lines = Vec::new();
    for t in texts[..at].iter().rev() {
        // A signature joined to the sentence before it (text reflowed by an extractor).
        let tail = t.rsplit_once('。').map_or(*t, |(_, tail)| tail);
        let parts = split_names(tail);
        if parts.is_empty() || !parts.iter().all(|p| is_organ(p)) {
            break;
        }
        lines.push(parts);
        if tail.len() < t.len() {
            break;
        }
    }
    for parts in lines.into_iter().rev() {
        names.extend(parts);
    }
    names
}

/// A signature run into the text around it, as a scrape leaves it: `…改善。重庆市人民政府
/// 2022年1月14日（此件公开发布）…` → the one issuer and the date.
fn inline_signature(preamble: &[Item]) -> Option<(String, String)> {
    for t in paras(preamble) {
        let compact: String = t.chars().filter(|c| !is_space(*c)).collect();
        for d in dates_in(&compact) {
            let Some(at) = compact.find(d.as_str()) else {
                continue;
            };
            let head = &compact[..at];
            let start = head.rfind(['。', '；', '）', '：', '》']).map_or(0, |i| {
                i + head[i..].chars().next().map_or(0, char::len_utf8)
            });
            let name = &head[start..];
            // One organ: the name ends like one and holds no second government in it.
            if is_organ(name) && name.matches("政府").count() <= 1 {
                if let Some(date) = date(&d) {
                    return Some((name.to_string(), date));
                }
            }
        }
    }
    None
}

/// `（2021—2025年）`, `2021-2025`.
fn period(text: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 9 <= chars.len() {
        let year = |from: usize| -> Option<u32> {
            let s: String = chars.get(from..from + 4)?.iter().collect();
            (s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
        };
        if let Some(a) = year(i) {
            if i == 0 || !chars[i - 1].is_ascii_digit() {
                let mut j = i + 4;
                while j < chars.len() && (is_space(chars[j]) || chars[j] == '年') {
                    j += 1;
                }
                let dash = j;
                while j < chars.len()
                    && matches!(chars[j], '—' | '–' | '-' | '－' | '~' | '至' | '到')
                {
                    j += 1;
                }
                while j < chars.len() && is_space(chars[j]) {
                    j += 1;
                }
                if j > dash {
                    if let Some(b) = year(j) {
                        if (1949..=2100).contains(&a) && a < b && b - a <= 15 {
                            return Some((a, b));
                        }
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// `展望至2035年`, `展望到2035年`.
fn outlook(text: &str) -> Option<u32> {
    for key in ["展望至", "展望到"] {
        if let Some(at) = text.find(key) {
            let y: String = text[at + key.len()..]
                .chars()
                .filter(|c| !is_space(*c))
                .take(4)
                .collect();
            if let Ok(y) = y.parse::<u32>() {
                if (1949..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

/// Level and region from the issuers' own names: one government (or its office) of a
/// province, a municipality directly under the central government or a district.
pub fn level_region(issuers: &[String]) -> (Option<String>, Option<String>) {
    const MUNICIPALITIES: &[&str] = &["北京市", "天津市", "上海市", "重庆市"];
    let mut found: Vec<(String, String)> = Vec::new();
    for name in issuers {
        let Some(at) = name.find("人民政府") else {
            return (None, None);
        };
        let place = &name[..at];
        let level = if let Some(m) = MUNICIPALITIES.iter().find(|m| place.starts_with(*m)) {
            if place.len() > m.len() && (place.ends_with('区') || place.ends_with('县')) {
                "district"
            } else if place == *m {
                "municipality"
            } else {
                return (None, None);
            }
        } else if place.ends_with('省') || place.ends_with("自治区") {
            "province"
        } else {
            return (None, None);
        };
        found.push((level.to_string(), place.to_string()));
    }
    match found.as_slice() {
        [(l, r)] => (Some(l.clone()), Some(r.clone())),
        [(l, r), rest @ ..] if rest.iter().all(|(l2, r2)| l2 == l && r2 == r) => {
            (Some(l.clone()), Some(r.clone()))
        }
        [_, _, ..] if found.iter().all(|(l, _)| l != "district") => (Some("joint".into()), None),
        _ => (None, None),
    }
}

fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(
            doc_number("文号 渝府发〔2022〕7号 各区县"),
            Some("渝府发〔2022〕7号".into())
        );
        assert_eq!(
            doc_number("川办发[2021]12号"),
            Some("川办发[2021]12号".into())
        );
        assert_eq!(date("2022 年 12 月 14 日"), Some("2022-12-14".into()));
        assert_eq!(date("2022-01-29"), Some("2022-01-29".into()));
        assert_eq!(period("规划（2021—2025年）"), Some((2021, 2025)));
        assert_eq!(period("实施期限为 2021—2025 年。"), Some((2021, 2025)));
        assert_eq!(outlook("规划期为2021—2025年，展望至2035年。"), Some(2035));
        assert_eq!(
            level_region(&["四川省人民政府".into()]),
            (Some("province".into()), Some("四川省".into()))
        );
        assert_eq!(
            level_region(&["重庆市永川区人民政府办公室".into()]),
            (Some("district".into()), Some("重庆市永川区".into()))
        );
        assert_eq!(level_region(&["中国人民银行".into()]), (None, None));
    }
}
