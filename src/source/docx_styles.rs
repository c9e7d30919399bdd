//! A Word file's styles (`word/styles.xml`) and list numbering (`word/numbering.xml`): what
//! makes a paragraph a heading, a run bold, and the markers automatic numbering prints.

use std::collections::HashMap;

use roxmltree::{Document as Xml, Node};

/// The WordprocessingML namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The child of `node` named `w:<name>`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name((W, name)))
}

/// The `w:val` attribute of the child `w:<name>` of `node`.
pub fn val<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).and_then(|c| c.attribute((W, "val")))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`) of a property element (`w:rPr`).
pub fn toggle(props: Node<'_, '_>, name: &str) -> Option<bool> {
    let c = child(props, name)?;
    Some(!matches!(
        c.attribute((W, "val")),
        Some("0" | "false" | "off")
    ))
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    bold: Option<bool>,
    num: Option<(String, u8)>,
}

/// The styles of a document, by id.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    default_bold: Option<bool>,
}

impl Styles {
    pub fn parse(xml: &str) -> Result<Styles, String> {
        let doc = Xml::parse(xml).map_err(|e| format!("word/styles.xml: {e}"))?;
        let mut styles = Styles::default();
        for node in doc.root_element().children() {
            if node.has_tag_name((W, "docDefaults")) {
                styles.default_bold = child(node, "rPrDefault")
                    .and_then(|d| child(d, "rPr"))
                    .and_then(|r| toggle(r, "b"));
            }
            if !node.has_tag_name((W, "style")) {
                continue;
            }
            let Some(id) = node.attribute((W, "styleId")) else {
                continue;
            };
            let ppr = child(node, "pPr");
            let style = Style {
                name: val(node, "name").unwrap_or_default().to_string(),
                based_on: val(node, "basedOn").map(String::from),
                outline: ppr
                    .and_then(|p| val(p, "outlineLvl"))
                    .and_then(|v| v.parse::<u8>().ok()),
                bold: child(node, "rPr").and_then(|r| toggle(r, "b")),
                num: ppr.and_then(num_pr),
            };
            styles.styles.insert(id.to_string(), style);
        }
        Ok(styles)
    }

    /// The style and the styles it is based on, nearest first (at most 16: a loop ends there).
    fn chain(&self, id: &str) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let Some(style) = self.styles.get(id) else {
                break;
            };
            out.push(style);
            if out.len() >= 16 {
                break;
            }
            next = style.based_on.as_deref();
        }
        out
    }

    /// The heading level (1–9) a paragraph style gives: its outline level, or a name such as
    /// `heading 2`, `Heading 2`, `标题 2`.
    pub fn heading(&self, id: &str) -> Option<u8> {
        for style in self.chain(id) {
            if let Some(level) = style.outline {
                return (level < 9).then_some(level + 1);
            }
            if let Some(level) = heading_name(&style.name) {
                return Some(level);
            }
        }
        None
    }

    /// Whether a paragraph style is the document's title style (`Title`, `标题`).
    pub fn is_title(&self, id: &str) -> bool {
        self.chain(id)
            .first()
            .is_some_and(|s| matches!(s.name.to_lowercase().as_str(), "title" | "标题"))
    }

    /// Whether a style makes text bold.
    pub fn bold(&self, id: &str) -> Option<bool> {
        self.chain(id).iter().find_map(|s| s.bold)
    }

    pub fn default_bold(&self) -> bool {
        self.default_bold.unwrap_or(false)
    }

    /// The numbering a paragraph style applies.
    pub fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).iter().find_map(|s| s.num.clone())
    }
}

fn heading_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    let n: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&n).then_some(n)
}

/// The `(numId, ilvl)` of a `w:pPr`'s `w:numPr`.
pub fn num_pr(ppr: Node<'_, '_>) -> Option<(String, u8)> {
    let num = child(ppr, "numPr")?;
    let id = val(num, "numId")?.to_string();
    let level = val(num, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
    Some((id, level))
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: String,
    text: String,
}

/// List definitions, and the counters of the lists met so far.
#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → (abstractNumId, start overrides by level)
    nums: HashMap<String, (String, HashMap<u8, i64>)>,
    abstracts: HashMap<String, HashMap<u8, Level>>,
    counters: HashMap<String, [Option<i64>; 9]>,
}

impl Numbering {
    pub fn parse(xml: &str) -> Result<Numbering, String> {
        let doc = Xml::parse(xml).map_err(|e| format!("word/numbering.xml: {e}"))?;
        let mut numbering = Numbering::default();
        for node in doc.root_element().children() {
            if node.has_tag_name((W, "abstractNum")) {
                let Some(id) = node.attribute((W, "abstractNumId")) else {
                    continue;
                };
                let mut levels = HashMap::new();
                for lvl in node.children().filter(|c| c.has_tag_name((W, "lvl"))) {
                    let Some(ilvl) = lvl.attribute((W, "ilvl")).and_then(|v| v.parse().ok()) else {
                        continue;
                    };
                    levels.insert(
                        ilvl,
                        Level {
                            start: val(lvl, "start").and_then(|v| v.parse().ok()).unwrap_or(1),
                            format: val(lvl, "numFmt").unwrap_or("decimal").to_string(),
                            text: val(lvl, "lvlText").unwrap_or_default().to_string(),
                        },
                    );
                }
                numbering.abstracts.insert(id.to_string(), levels);
            } else if node.has_tag_name((W, "num")) {
                let (Some(id), Some(abs)) =
                    (node.attribute((W, "numId")), val(node, "abstractNumId"))
                else {
                    continue;
                };
                let mut starts = HashMap::new();
                for o in node
                    .children()
                    .filter(|c| c.has_tag_name((W, "lvlOverride")))
                {
                    let level = o.attribute((W, "ilvl")).and_then(|v| v.parse().ok());
                    let start = val(o, "startOverride").and_then(|v| v.parse().ok());
                    if let (Some(level), Some(start)) = (level, start) {
                        starts.insert(level, start);
                    }
                }
                numbering
                    .nums
                    .insert(id.to_string(), (abs.to_string(), starts));
            }
        }
        Ok(numbering)
    }

    /// Counts one more item at `level` of list `num` and returns the marker Word prints for it
    /// (`（一）`, `1.`); `None` for bullets, unnumbered levels and unknown lists.
    pub fn next(&mut self, num: &str, level: u8) -> Option<String> {
        let (abs, starts) = self.nums.get(num)?;
        let levels = self.abstracts.get(abs)?;
        let level = level.min(8);
        let def = levels.get(&level)?;
        if matches!(def.format.as_str(), "bullet" | "none") || def.text.is_empty() {
            return None;
        }
        let start_of = |l: u8| {
            starts
                .get(&l)
                .copied()
                .or_else(|| levels.get(&l).map(|d| d.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(num.to_string()).or_insert([None; 9]);
        let l = usize::from(level);
        counters[l] = Some(counters[l].map_or(start_of(level), |n| n + 1));
        for deeper in counters.iter_mut().skip(l + 1) {
            *deeper = None;
        }
        let mut marker = String::new();
        let mut chars = def.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let at = (d as usize).saturating_sub(1).min(8);
                    let n = counters[at].unwrap_or_else(|| start_of(at as u8));
                    let format = levels
                        .get(&(at as u8))
                        .map_or("decimal", |d| d.format.as_str());
                    marker.push_str(&format_number(n, format));
                    continue;
                }
            }
            marker.push(c);
        }
        Some(marker)
    }
}

/// `n` in a Word number format.
pub fn format_number(n: i64, format: &str) -> String {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    const PAREN: &str = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇";
    const STOP: &str = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛";
    let nth = |set: &str| {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| set.chars().nth(i))
            .map_or_else(|| n.to_string(), String::from)
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "ideographDigital" => chinese(n),
        "chineseLegalSimplified" => chinese(n)
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                c => c,
            })
            .collect(),
        "ideographTraditional" => nth("甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => nth("子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => nth(CIRCLED),
        "decimalEnclosedParen" => nth(PAREN),
        "decimalEnclosedFullstop" => nth(STOP),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "upperLetter" | "lowerLetter" => {
            let letter = u8::try_from((n - 1).rem_euclid(26)).unwrap_or(0);
            let c = char::from(b'A' + letter)
                .to_string()
                .repeat(usize::try_from((n - 1) / 26 + 1).unwrap_or(1));
            if format == "lowerLetter" {
                c.to_lowercase()
            } else {
                c
            }
        }
        "upperRoman" | "lowerRoman" => {
            let r = roman(n);
            if format == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        _ => n.to_string(),
    }
}

/// `n` in Chinese numerals as plans number their parts: 一, 十, 十一, 二十一, 一百零一.
pub fn chinese(n: i64) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if !(1..10000).contains(&n) {
        return n.to_string();
    }
    let d = |k: i64| DIGITS[usize::try_from(k).unwrap_or(0)];
    let (th, h, t, u) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
    let mut s = String::new();
    if th > 0 {
        s.push(d(th));
        s.push('千');
    }
    if h > 0 {
        s.push(d(h));
        s.push('百');
    } else if th > 0 && (t > 0 || u > 0) {
        s.push('零');
    }
    if t > 0 {
        if !(t == 1 && n < 20) {
            s.push(d(t));
        }
        s.push('十');
    } else if (th > 0 || h > 0) && u > 0 && !s.ends_with('零') {
        s.push('零');
    }
    if u > 0 {
        s.push(d(u));
    }
    s
}

fn roman(mut n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(11), "十一");
        assert_eq!(chinese(21), "二十一");
        assert_eq!(chinese(101), "一百零一");
        assert_eq!(chinese(110), "一百一十");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
    }

    #[test]
    fn styles_and_lists() {
        let styles = Styles::parse(&format!(
            r#"<w:styles xmlns:w="{W}">
              <w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>
              <w:style w:styleId="a5"><w:name w:val="标题 2"/></w:style>
              <w:style w:styleId="Mine"><w:name w:val="我的标题"/><w:basedOn w:val="Out"/></w:style>
              <w:style w:styleId="Out"><w:name w:val="大纲"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
              <w:style w:styleId="T"><w:name w:val="Title"/></w:style>
            </w:styles>"#
        ))
        .unwrap();
        assert_eq!(styles.heading("1"), Some(1));
        assert_eq!(styles.heading("a5"), Some(2));
        assert_eq!(styles.heading("Mine"), Some(3));
        assert_eq!(styles.bold("Mine"), Some(true));
        assert!(styles.is_title("T"));
        assert_eq!(styles.heading("T"), None);

        let mut n = Numbering::parse(&format!(
            r#"<w:numbering xmlns:w="{W}">
              <w:abstractNum w:abstractNumId="0">
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
                <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
                <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
              </w:abstractNum>
              <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
            </w:numbering>"#
        ))
        .unwrap();
        let got: Vec<_> = [
            (0, "5"),
            (1, "5"),
            (2, "5"),
            (2, "5"),
            (1, "5"),
            (2, "5"),
            (0, "5"),
        ]
        .iter()
        .map(|(l, id)| n.next(id, *l).unwrap())
        .collect();
        assert_eq!(got, ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、"]);
        assert_eq!(n.next("9", 0), None);
    }
}
