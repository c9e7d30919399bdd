//! Citations of a plan and of its parts (chapter, section, measure, indicator), in the manner of
//! GB/T 7714—2015 for a document in a collection (`[A]`): `发文机关. 题名: 发文字号[A]. 日期.`
//! A part adds where it stands: `…[A]. 日期: 第四章　…, 第三节　…, 举措 cq-4-3-5.`
//!
//! Only what the plan's metadata gives is cited: a plan without issuers, 发文字号 or dates is
//! cited without them, never with a made-up stand-in. The permalink is added by whoever knows it
//! ([`with_link`]): the page's JavaScript when the site has no base URL.

use crate::model::PlanMeta;

/// More issuers than this are cited as the first ones and `等` (GB/T 7714—2015, 8.1.2).
const MAX_ISSUERS: usize = 3;

/// `issuer. title: number[A]. date` — the part a plan's and its parts' citations share.
fn core(meta: &PlanMeta) -> String {
    let mut s = String::new();
    let issuers: Vec<&str> = meta
        .issuers
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    if !issuers.is_empty() {
        s.push_str(&issuers[..issuers.len().min(MAX_ISSUERS)].join(", "));
        if issuers.len() > MAX_ISSUERS {
            s.push_str(", 等");
        }
        s.push_str(". ");
    }
    s.push_str(meta.title.trim());
    if let Some(n) = meta
        .doc_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        s.push_str(": ");
        s.push_str(n);
    }
    s.push_str("[A]");
    // The date the document was published, else the date it was signed.
    if let Some(d) = meta.date_published.or(meta.date_written) {
        s.push_str(&format!(". {d}"));
    }
    s
}

/// The citation of a plan: `重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29.`
pub fn plan(meta: &PlanMeta) -> String {
    format!("{}.", core(meta))
}

/// The citation of a part of a plan, `places` from the outside in (chapter, section, measure):
/// `…[A]. 2022-01-29: 第四章　构建现代金融体系, 举措 cq-4-1-1.`
pub fn part<S: AsRef<str>>(meta: &PlanMeta, places: &[S]) -> String {
    let places: Vec<&str> = places
        .iter()
        .map(|p| p.as_ref().trim())
        .filter(|p| !p.is_empty())
        .collect();
    if places.is_empty() {
        return plan(meta);
    }
    format!("{}: {}.", core(meta), places.join(", "))
}

/// How a measure is named in a citation: `举措 cq-4-3-5`.
pub fn measure_place(id: &str) -> String {
    format!("举措 {id}")
}

/// How an indicator is named in a citation: `指标表“…”, 指标“…”`.
pub fn indicator_places(table_title: &str, name: &str) -> Vec<String> {
    let mut places = Vec::new();
    if !table_title.trim().is_empty() {
        places.push(format!("指标表“{}”", table_title.trim()));
    }
    places.push(format!("指标“{}”", name.trim()));
    places
}

/// `<meta name="citation_…">` tags for reference managers (Zotero and Google Scholar read these
/// Highwire Press names), from the same fields as the citation: nothing the plan does not give.
pub fn meta_tags(meta: &PlanMeta) -> Vec<(&'static str, String)> {
    let mut tags = vec![("citation_title", meta.title.trim().to_string())];
    for issuer in meta
        .issuers
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
    {
        tags.push(("citation_author", issuer.to_string()));
    }
    if let Some(d) = meta.date_published.or(meta.date_written) {
        tags.push((
            "citation_publication_date",
            format!("{:04}/{:02}/{:02}", d.year, d.month, d.day),
        ));
    }
    if let Some(n) = meta
        .doc_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        tags.push(("citation_technical_report_number", n.to_string()));
    }
    tags
}

/// The citation followed by the permalink, as it is copied: `… 2022-01-29. https://…/`.
pub fn with_link(citation: &str, permalink: &str) -> String {
    format!("{citation} {permalink}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Level};

    fn meta() -> PlanMeta {
        PlanMeta {
            short_title: "重庆金融“十四五”规划".into(),
            issuers: vec!["重庆市人民政府".into()],
            doc_number: Some("渝府发〔2022〕7号".into()),
            date_written: Some(Date {
                year: 2022,
                month: 1,
                day: 14,
            }),
            date_published: Some(Date {
                year: 2022,
                month: 1,
                day: 29,
            }),
            period_start: Some(2021),
            period_end: Some(2025),
            region: "重庆市".into(),
            ..PlanMeta::new("重庆市金融改革发展“十四五”规划", Level::Municipality)
        }
    }

    #[test]
    fn a_plan_with_every_field() {
        assert_eq!(
            plan(&meta()),
            "重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29."
        );
        assert_eq!(
            with_link(&plan(&meta()), "https://atlas.test/plans/chongqing-finance/"),
            "重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29. https://atlas.test/plans/chongqing-finance/"
        );
    }

    #[test]
    fn fields_not_given_are_left_out_cleanly() {
        let mut m = meta();
        m.date_published = None;
        assert!(plan(&m).ends_with("[A]. 2022-01-14."), "the date written");
        m.date_written = None;
        m.doc_number = None;
        assert_eq!(
            plan(&m),
            "重庆市人民政府. 重庆市金融改革发展“十四五”规划[A]."
        );
        m.issuers = vec![" ".into()];
        assert_eq!(plan(&m), "重庆市金融改革发展“十四五”规划[A].");
        assert_eq!(
            part(
                &m,
                &["第一章　总体要求".to_string(), measure_place("x-1-1")]
            ),
            "重庆市金融改革发展“十四五”规划[A]: 第一章　总体要求, 举措 x-1-1."
        );
    }

    #[test]
    fn meta_tags_name_only_what_is_given() {
        let tags = meta_tags(&meta());
        assert_eq!(
            tags,
            [
                (
                    "citation_title",
                    "重庆市金融改革发展“十四五”规划".to_string()
                ),
                ("citation_author", "重庆市人民政府".to_string()),
                ("citation_publication_date", "2022/01/29".to_string()),
                (
                    "citation_technical_report_number",
                    "渝府发〔2022〕7号".to_string()
                ),
            ]
        );
        let mut m = meta();
        m.issuers.clear();
        m.doc_number = None;
        m.date_published = None;
        m.date_written = None;
        assert_eq!(meta_tags(&m).len(), 1, "the title alone");
    }

    #[test]
    fn more_than_three_issuers_end_with_deng() {
        let mut m = meta();
        m.issuers = ["甲", "乙", "丙", "丁"].map(String::from).to_vec();
        assert!(plan(&m).starts_with("甲, 乙, 丙, 等. "), "{}", plan(&m));
        m.issuers.pop();
        assert!(plan(&m).starts_with("甲, 乙, 丙. "), "{}", plan(&m));
    }

    #[test]
    fn parts_name_chapter_section_and_measure() {
        let places = [
            "第四章　构建现代金融体系".to_string(),
            "第三节　完善金融市场体系".to_string(),
            measure_place("cq-4-3-5"),
        ];
        assert_eq!(
            part(&meta(), &places),
            "重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29: 第四章　构建现代金融体系, 第三节　完善金融市场体系, 举措 cq-4-3-5."
        );
        assert_eq!(part::<String>(&meta(), &[]), plan(&meta()));
        assert_eq!(
            part(&meta(), &indicator_places("主要指标", "金融业增加值")),
            "重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29: 指标表“主要指标”, 指标“金融业增加值”."
        );
    }
}
