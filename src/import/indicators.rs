//! Indicator tables: a table whose columns are indicator name, unit, baseline and target (and
//! optionally serial number and attribute 预期性/约束性) becomes a table of `indicators.toml`,
//! each value as the source writes it, placed by an ```` ```indicators ```` fence where the
//! table stands. A table that cannot be read so stays a Markdown table.
//!
//! In a text the table is a header line naming the indicator column and two years
//! (`指标 2020年基期值 2025年目标值`) and rows `名称（单位） 基期值 目标值`, columns separated
//! by spaces: such lines are turned into a table first ([`tables_in_text`]).

use std::fmt::Write as _;

use crate::import::numbering::is_space;
use crate::import::outline::{Item, Para};

/// An indicator table found in the source, by the line of the table there.
#[derive(Debug, Clone)]
pub struct IndicatorTable {
    pub id: String,
    pub source_line: usize,
    pub title: String,
    pub rows: Vec<Row>,
    pub years: (Option<u32>, u32),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub unit: String,
    pub group: Option<String>,
    pub baseline: Option<String>,
    pub target: String,
    pub attribute: Option<String>,
}

/// The years a header cell or line names (`2020年基期值` → 2020).
fn years(text: &str) -> Vec<u32> {
    let compact: String = text.chars().filter(|c| !is_space(*c)).collect();
    let chars: Vec<char> = compact.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let s: String = chars[i..i + 4].iter().collect();
        let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let after_digit = chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !before_digit && !after_digit {
            if let Ok(y) = s.parse::<u32>() {
                if (1949..=2100).contains(&y) && chars.get(i + 4) == Some(&'年') {
                    out.push(y);
                    i += 4;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// A value the content loader accepts, as written (spaces inside a number removed).
fn value(raw: &str) -> Option<String> {
    let v: String = raw.chars().filter(|c| !is_space(*c)).collect();
    if v.is_empty() {
        return None;
    }
    let v = if matches!(v.as_str(), "-" | "--" | "—" | "——" | "/" | "－") {
        "—".to_string()
    } else {
        v
    };
    crate::model::indicator::parse_value(&v).ok().map(|_| v)
}

/// `金融业增加值占 GDP 比重(% )` → (`金融业增加值占GDP比重`, `%`).
fn name_unit(text: &str) -> Option<(String, String)> {
    let t = text.trim_matches(is_space);
    let t = t.strip_suffix(')').or_else(|| t.strip_suffix('）'))?;
    let open = t.rfind(['(', '（'])?;
    let name: String = t[..open].chars().filter(|c| !is_space(*c)).collect();
    let unit: String = t[open..]
        .trim_start_matches(['(', '（'])
        .chars()
        .filter(|c| !is_space(*c))
        .collect();
    (!name.is_empty() && !unit.is_empty()).then_some((name, unit))
}

/// A text row: `名称（单位） 9． 18 13． 5` → name, unit and the values.
fn text_row(text: &str) -> Option<(String, String, Vec<String>)> {
    let close = text.rfind([')', '）'])?;
    let close_end = close + text[close..].chars().next()?.len_utf8();
    let (name, unit) = name_unit(&text[..close_end])?;
    // Two rows run together (`…比重(%) 6.9 7.3本外币存款余额(万亿元) …`) are no row.
    if name.contains(['(', '（', ')', '）']) {
        return None;
    }
    // Tokens, a number broken after its point (`9． 18`) joined again, a qualifier (`左右`)
    // kept with the value before it.
    let mut values: Vec<String> = Vec::new();
    let mut open_number = false;
    for tok in text[close_end..].split(is_space).filter(|t| !t.is_empty()) {
        let numeric = tok.starts_with(|c: char| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(c, '【' | '-' | '—' | '－' | '≥' | '约')
        });
        match values.last_mut() {
            Some(last) if open_number || !numeric => last.push_str(tok),
            _ => values.push(tok.to_string()),
        }
        open_number = tok.ends_with(['．', '.']);
    }
    let values: Option<Vec<String>> = values.iter().map(|v| value(v)).collect();
    Some((name, unit, values?))
}

/// Turns indicator tables written as text lines into tables.
pub fn tables_in_text(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut iter = items.into_iter().peekable();
    while let Some(item) = iter.next() {
        let header = match &item {
            Item::Para(p) if p.text.contains("指") && p.text.contains('标') => {
                let y = years(&p.text);
                (y.len() == 2 && p.text.chars().count() <= 40).then_some((p.line, y))
            }
            _ => None,
        };
        let Some((line, y)) = header else {
            out.push(item);
            continue;
        };
        let mut rows = vec![vec![
            "指标".to_string(),
            "单位".to_string(),
            format!("{}年", y[0]),
            format!("{}年", y[1]),
        ]];
        while let Some(Item::Para(p)) = iter.peek() {
            let Some((name, unit, values)) = text_row(&p.text) else {
                break;
            };
            if values.len() != 2 {
                break;
            }
            rows.push(vec![name, unit, values[0].clone(), values[1].clone()]);
            iter.next();
        }
        if rows.len() < 2 {
            out.push(item);
            continue;
        }
        out.push(Item::Table { rows, line });
    }
    out
}

/// Column roles of a header row.
struct Columns {
    name: usize,
    unit: Option<usize>,
    baseline: Option<(usize, u32)>,
    target: (usize, u32),
    attribute: Option<usize>,
}

fn columns(header: &[String]) -> Option<Columns> {
    let find = |keys: &[&str]| {
        header
            .iter()
            .position(|h| keys.iter().any(|k| h.contains(k)))
    };
    let name = find(&["指标", "名称", "项目"])?;
    let unit = find(&["单位"]);
    let attribute = find(&["属性"]);
    let dated: Vec<(usize, u32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| years(h).first().map(|y| (i, *y)))
        .collect();
    let (baseline, target) = match dated.as_slice() {
        [t] => (None, *t),
        [b, t] => (Some(*b), *t),
        _ => return None,
    };
    Some(Columns {
        name,
        unit,
        baseline,
        target,
        attribute,
    })
}

/// Reads a table as indicators, or `None` when it is not one.
pub fn read_table(
    rows: &[Vec<String>],
    line: usize,
    id: String,
    title: String,
) -> Option<IndicatorTable> {
    let header = rows.first()?;
    let cols = columns(header)?;
    let mut out = Vec::new();
    let mut group = None;
    for row in &rows[1..] {
        let cells: Vec<&str> = row.iter().map(|c| c.trim_matches(is_space)).collect();
        let filled: Vec<&&str> = cells.iter().filter(|c| !c.is_empty()).collect();
        if filled.len() == 1 && cells.len() < header.len() {
            group = Some(filled[0].to_string());
            continue;
        }
        let cell = |i: usize| cells.get(i).copied().unwrap_or("");
        let raw_name = cell(cols.name);
        let (name, unit) = match cols.unit {
            Some(u) => (
                raw_name.chars().filter(|c| !is_space(*c)).collect(),
                cell(u).to_string(),
            ),
            None => name_unit(raw_name).unwrap_or_else(|| (raw_name.to_string(), String::new())),
        };
        if name.is_empty() {
            return None;
        }
        let baseline = match cols.baseline {
            Some((b, _)) => Some(value(cell(b))?),
            None => None,
        };
        let target = value(cell(cols.target.0))?;
        let attribute = cols
            .attribute
            .map(|a| cell(a).to_string())
            .filter(|a| matches!(a.as_str(), "预期性" | "约束性"));
        out.push(Row {
            name,
            unit,
            group: group.clone(),
            baseline,
            target,
            attribute,
        });
    }
    (!out.is_empty()).then(|| IndicatorTable {
        id,
        source_line: line,
        title,
        rows: out,
        years: (cols.baseline.map(|b| b.1), cols.target.1),
    })
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `indicators.toml` for the tables, ids `<prefix>-ind-N` across them.
pub fn to_toml(tables: &[IndicatorTable], prefix: &str) -> String {
    let mut s = String::from("# Written by `planatlas import`: values as the source writes them; check names, units and years.\n");
    let mut n = 0;
    for t in tables {
        let _ = write!(
            s,
            "\n[[table]]\nid = {}\ntitle = {}\n",
            toml_str(&t.id),
            toml_str(&t.title)
        );
        for r in &t.rows {
            n += 1;
            let _ = write!(
                s,
                "\n[[table.indicator]]\nid = \"{prefix}-ind-{n}\"\nname = {}\nunit = {}\n",
                toml_str(&r.name),
                toml_str(&r.unit)
            );
            if let Some(g) = &r.group {
                let _ = writeln!(s, "group = {}", toml_str(g));
            }
            if let Some(a) = &r.attribute {
                let _ = writeln!(s, "attribute = {}", toml_str(a));
            }
            if let (Some(b), Some(y)) = (&r.baseline, t.years.0) {
                let _ = writeln!(s, "baseline = {{ year = {y}, value = {} }}", toml_str(b));
            }
            let _ = writeln!(
                s,
                "target = {{ year = {}, value = {} }}",
                t.years.1,
                toml_str(&r.target)
            );
        }
    }
    s
}

/// The title of a table: the short paragraph before it that names indicators, else a default.
pub fn title_before(before: Option<&Para>) -> String {
    before
        .filter(|p| p.text.chars().count() <= 40 && p.text.contains("指标"))
        .map(|p| p.text.clone())
        .unwrap_or_else(|| "主要指标".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rows() {
        let (name, unit, values) =
            text_row("金融业增加值占 GDP 比重(% ) 6． 9 7． 3 左右").unwrap();
        assert_eq!(
            (name.as_str(), unit.as_str()),
            ("金融业增加值占GDP比重", "%")
        );
        assert_eq!(values, vec!["6．9", "7．3左右"]);
        assert!(
            text_row("比重(% ) 6． 9 7． 3 左右本外币存款余额(万亿元) 9． 18 13． 5").is_none()
        );
        assert_eq!(
            years("指　 标 2020 年基期值 2025 年目标值"),
            vec![2020, 2025]
        );
        let rows = vec![
            vec![
                "序号".to_string(),
                "指标".into(),
                "单位".into(),
                "2020年".into(),
                "2025年".into(),
                "属性".into(),
            ],
            vec![
                "1".to_string(),
                "存款余额".into(),
                "万亿元".into(),
                "4.29".into(),
                "6左右".into(),
                "预期性".into(),
            ],
        ];
        let t = read_table(&rows, 3, "main".into(), "主要指标".into()).unwrap();
        assert_eq!(t.rows[0].target, "6左右");
        assert_eq!(t.rows[0].attribute.as_deref(), Some("预期性"));
        assert!(read_table(
            &[vec!["图1 布局示意图".to_string()]],
            1,
            "x".into(),
            "x".into()
        )
        .is_none());
    }
}
