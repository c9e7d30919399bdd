//! The rules of the related-measures score, each on a two-plan fixture: the text decides and
//! themes only order; a shared instrument of the glossary (under any of its names) is strong
//! evidence and the shown reason; a rules item and the task it implements take no related slot;
//! the glossary's problems are reported with file and line.

use std::fs;
use std::path::Path;

use planatlas::analyse::analyse;
use planatlas::content::load_site;

/// A site (from `planatlas init`) with two plans, `a` (ids `a-1-1-n`) and `b` (`b-1-1-n`), each
/// one section holding the given measures (`heading`, `text`, attributes after the id).
fn two_plans(root: &Path, a: &[(&str, &str, &str)], b: &[(&str, &str, &str)], glossary: &str) {
    let plans = root.join("content/plans");
    let _ = fs::remove_dir_all(plans.join("example-plan"));
    for (slug, prefix, measures, extra) in [("plan-a", "a", a, ""), ("plan-b", "b", b, "")] {
        let dir = plans.join(slug).join("01-tasks");
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            plans.join(slug).join("plan.toml"),
            format!(
                "title = \"{slug} 规划\"\nshort_title = \"{slug}\"\nissuers = [\"某市人民政府\"]\nperiod = [2021, 2025]\nlevel = \"municipality\"\nregion = \"{slug}市\"\n{extra}"
            ),
        )
        .unwrap();
        fs::write(plans.join(slug).join("_index.md"), "+++\n+++\n").unwrap();
        fs::write(
            dir.join("_index.md"),
            "+++\nnumber = \"第一章\"\ntitle = \"主要任务\"\n+++\n",
        )
        .unwrap();
        let mut text = String::from("+++\nnumber = \"第一节\"\ntitle = \"任务\"\n+++\n\n");
        for (k, (heading, body, attrs)) in measures.iter().enumerate() {
            text += &format!(
                "### {heading} {{#{prefix}-1-1-{} {attrs}}}\n\n{body}\n\n",
                k + 1
            );
        }
        fs::write(dir.join("01-tasks.md"), text).unwrap();
    }
    fs::write(root.join("content/glossary.toml"), glossary).unwrap();
}

fn shown_links(root: &Path) -> std::collections::HashMap<String, Vec<(String, String)>> {
    let (site, d) = load_site(root);
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = analyse(&site, None);
    analysis
        .measures
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                analysis.measure(&site, e).id.clone(),
                analysis.related[i]
                    .iter()
                    .map(|r| (r.id().to_string(), r.reason().to_string()))
                    .collect(),
            )
        })
        .collect()
}

const FILLER_A: &[(&str, &str, &str)] = &[
    (
        "加强人才培养。",
        "建设高校培训基地，举办专题讲座和学术交流活动。",
        "themes=\"talent\"",
    ),
    (
        "优化营商环境。",
        "简化审批流程，压缩办理时限，推行一网通办。",
        "themes=\"credit-system\"",
    ),
];
const FILLER_B: &[(&str, &str, &str)] = &[
    (
        "完善基础设施。",
        "建设数据中心和灾备中心，升级支付清算网络。",
        "themes=\"infrastructure\"",
    ),
    (
        "推进乡村振兴。",
        "扩大涉农贷款投放，发展农业保险和农村产权抵押。",
        "themes=\"rural-finance\"",
    ),
];

#[test]
fn themes_order_equal_texts_and_admit_nothing_alone() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let mut a = FILLER_A.to_vec();
    a.push((
        "发展绿色信贷。",
        "引导银行机构扩大绿色信贷投放，支持节能环保产业发展。",
        "themes=\"green-finance\"",
    ));
    a.push((
        "建立风险监测预警机制。",
        "完善地方金融风险监测预警平台，强化监管协同。",
        "themes=\"green-finance\"",
    ));
    let mut b = FILLER_B.to_vec();
    // The same text twice: only the themes tell them apart, and the one sharing the central
    // theme comes first although its id sorts last.
    b.push((
        "扩大绿色信贷。",
        "引导银行机构扩大绿色信贷投放，支持节能环保产业。",
        "themes=\"reform\"",
    ));
    b.push((
        "扩大绿色信贷。",
        "引导银行机构扩大绿色信贷投放，支持节能环保产业。",
        "themes=\"green-finance\"",
    ));
    two_plans(&root, &a, &b, "");
    let related = shown_links(&root);
    let ids: Vec<&str> = related["a-1-1-3"].iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, ["b-1-1-4", "b-1-1-3"], "{:?}", related["a-1-1-3"]);
    // A shared theme with nothing else in common admits nothing.
    assert!(related["a-1-1-4"].is_empty(), "{:?}", related["a-1-1-4"]);
}

#[test]
fn an_instrument_under_two_names_relates_and_is_the_reason() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let mut a = FILLER_A.to_vec();
    a.push((
        "扩大对外开放。",
        "开展合格境外有限合伙人试点，吸引外资股权投资机构落户。",
        "themes=\"cross-border\"",
    ));
    let mut b = FILLER_B.to_vec();
    b.push((
        "推进跨境投融资便利化。",
        "稳步扩大QFLP试点范围，便利境外资金参与本地股权投资。",
        "themes=\"cross-border\"",
    ));
    let glossary = "[[instrument]]\nname = \"QFLP\"\naliases = [\"合格境外有限合伙人\"]\n";
    two_plans(&root, &a, &b, glossary);
    let related = shown_links(&root);
    let shown = &related["a-1-1-3"];
    assert_eq!(
        shown.first().map(|r| r.0.as_str()),
        Some("b-1-1-3"),
        "{shown:?}"
    );
    assert!(
        shown[0].1.starts_with("QFLP"),
        "the reason names the instrument: {shown:?}"
    );
    assert!(
        !shown[0].1.contains("合伙人 ·") && !shown[0].1.contains("有限 ·"),
        "{shown:?}"
    );

    // Without the glossary the two names are different words.
    two_plans(&root, &a, &b, "");
    let without = shown_links(&root);
    let reason = without["a-1-1-3"]
        .first()
        .map(|r| r.1.clone())
        .unwrap_or_default();
    assert!(!reason.contains("QFLP"), "{reason}");
}

#[test]
fn a_rules_item_and_its_task_take_no_related_slot() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let task = (
        "推广转贷应急周转金。",
        "设立转贷应急周转金，为中小微企业续贷提供过桥资金支持。",
        "themes=\"inclusive-finance\"",
    );
    let mut a = FILLER_A.to_vec();
    a.push(task);
    let mut b = FILLER_B.to_vec();
    b.push((
        "用好转贷应急周转金。",
        "扩大转贷应急周转金规模，为中小微企业续贷提供过桥资金。",
        "implements=\"a-1-1-3\" themes=\"inclusive-finance\"",
    ));
    two_plans(&root, &a, &b, "");
    // The plan-level relation that makes b's items implementations of a's tasks.
    let toml = root.join("content/plans/plan-b/plan.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, format!("{text}implements = [\"plan-a\"]\n")).unwrap();
    let related = shown_links(&root);
    assert!(
        !related["b-1-1-3"].iter().any(|r| r.0 == "a-1-1-3"),
        "{:?}",
        related["b-1-1-3"]
    );
    assert!(
        !related["a-1-1-3"].iter().any(|r| r.0 == "b-1-1-3"),
        "{:?}",
        related["a-1-1-3"]
    );

    // The same two measures without the implements relation are related.
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let mut b = FILLER_B.to_vec();
    b.push((
        "用好转贷应急周转金。",
        "扩大转贷应急周转金规模，为中小微企业续贷提供过桥资金。",
        "themes=\"inclusive-finance\"",
    ));
    two_plans(&root, &a, &b, "");
    let related = shown_links(&root);
    assert_eq!(
        related["b-1-1-3"].first().map(|r| r.0.as_str()),
        Some("a-1-1-3")
    );
}

#[test]
fn glossary_problems_are_reported_with_file_and_line() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    fs::write(
        root.join("content/glossary.toml"),
        "words = [\"链\"]\n\n[[instrument]]\nname = \"QFLP\"\naliases = [\"合格境外有限合伙人\"]\n\n[[instrument]]\nname = \"QDLP\"\naliases = [\"合格境外有限合伙人\"]\n",
    )
    .unwrap();
    let out = crate::common::planatlas(&["--root", root.to_str().unwrap(), "check"]);
    assert!(!out.status.success());
    let err = crate::common::stderr(&out);
    assert!(
        err.contains("glossary.toml:1") && err.contains("`链`"),
        "{err}"
    );
    assert!(
        err.contains("glossary.toml:5") && err.contains("both `QFLP` and `QDLP`"),
        "{err}"
    );
    fs::write(
        root.join("content/glossary.toml"),
        "[[instrument]]\nnom = \"QFLP\"\n",
    )
    .unwrap();
    let out = crate::common::planatlas(&["--root", root.to_str().unwrap(), "check"]);
    assert!(!out.status.success());
    assert!(
        crate::common::stderr(&out).contains("glossary.toml"),
        "{}",
        crate::common::stderr(&out)
    );
}

/// Every measure of the real site shows, under it on its page, the related links the analysis
/// made for it, in order: each link's URL, title, plan and reason. Render finds a measure's list
/// by the measure's place in its division's run of measures and reads the linked measures'
/// titles and URLs from copies made in measure order: a list shown under the wrong measure (in a
/// box, after an interlude) or a copy read at the wrong place fails here.
#[test]
fn every_measure_shows_its_own_related_links() {
    let built = crate::common::real_site();
    let (site, d) = load_site(&crate::common::repo());
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = analyse(&site, None);
    let article = regex::Regex::new(r"<article class=measure id=([^ >]+)").unwrap();
    let link = regex::Regex::new(
        r"<li><a href=([^ >]+)>([^<]*)</a> <span class=plan>([^<]*)</span> <span class=reason>([^<]*)</span>",
    )
    .unwrap();
    let text = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let mut links = 0;
    for (i, entry) in analysis.measures.iter().enumerate() {
        let page = entry.url.split('#').next().unwrap_or_default();
        let html = std::str::from_utf8(&built.files[&format!("{page}index.html")]).unwrap();
        let id = &analysis.measure(&site, entry).id;
        // The measure's part of its page: from its article to the next measure's.
        let starts: Vec<_> = article.captures_iter(html).collect();
        let k = starts
            .iter()
            .position(|c| &c[1] == id)
            .unwrap_or_else(|| panic!("{id} is not on {page}"));
        let from = starts[k].get(0).unwrap().start();
        let to = starts
            .get(k + 1)
            .map_or(html.len(), |c| c.get(0).unwrap().start());
        let shown: Vec<[String; 4]> = link
            .captures_iter(&html[from..to])
            .map(|c| [1, 2, 3, 4].map(|n| text(&c[n])))
            .collect();
        let root = "../".repeat(page.matches('/').count());
        let expected: Vec<[String; 4]> = analysis.related[i]
            .iter()
            .map(|r| {
                let target = &analysis.measures[r.index];
                [
                    format!("{root}{}", target.url),
                    analysis.measure(&site, target).title.clone(),
                    site.plans[target.plan].meta.short_title.clone(),
                    r.reason().to_string(),
                ]
            })
            .collect();
        assert_eq!(shown, expected, "{id} on {page}");
        links += shown.len();
    }
    assert!(links > 500, "{links} links");
}
