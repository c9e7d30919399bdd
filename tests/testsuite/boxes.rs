//! 专栏 boxes whose items are measures (```` ```box ```` with `###` measure headings): the
//! items are measures like any other, the box a titled aside between measures; boxes without
//! measure headings stay as they were.

use std::fs;

use planatlas::{BuildError, BuildOptions};

use crate::common::{built_page, real_site};

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";
const PAGE: &str = "plans/example-plan/tasks/green/index.html";
const FM: &str = "+++\nnumber = \"第一节\"\ntitle = \"发展绿色金融\"\n+++\n\n";

/// The first measure, a box of measures after it, then the second measure.
fn section(box_text: &str) -> String {
    format!(
        "{FM}### 扩大绿色信贷。 {{#ex-1-1-1 themes=\"green-finance\"}}\n\n引导银行机构加大绿色信贷投放。\n\n{box_text}\n### 支持小微企业绿色转型。 {{#ex-1-1-2 themes=\"green-finance inclusive-finance\"}}\n\n见[扩大绿色信贷](@/plans/example-plan/01-tasks/01-green.md#ex-1-1-1)。\n"
    )
}

const BOX: &str = "```box 专栏1：绿色金融行动\n围绕碳达峰开展以下行动：\n\n### 1. {#ex-1-1-3 themes=\"green-finance\" units=\"市金融办\"}\n\n发展碳排放权质押贷款；\n\n### 2. {#ex-1-1-4 themes=\"green-finance insurance\"}\n\n推广环境污染责任保险<script>alert(1)</script>，见[贷款](@/plans/example-plan/01-tasks/01-green.md#ex-1-1-3)。\n```\n";

fn site_with(section_text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    fs::write(dir.path().join(SECTION), section_text).unwrap();
    dir
}

fn errors_for(section_text: &str) -> Vec<String> {
    let dir = site_with(section_text);
    match planatlas::build_in_memory(&BuildOptions::new(dir.path())) {
        Ok(_) => panic!("the build must fail"),
        Err(BuildError::Content(items)) => items.iter().map(|d| d.to_string()).collect(),
        Err(other) => panic!("not a content error: {other}"),
    }
}

#[test]
fn box_items_are_measures_in_an_aside_between_measures() {
    let dir = site_with(&section(BOX));
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let page = built_page(&built, PAGE);
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in {page}"))
    };
    let aside = at("<aside class=\"box box-measures\"");
    let aside_end = aside + page[aside..].find("</aside>").unwrap();
    let inside = &page[aside..aside_end];
    // The aside stands after the first measure's article and before the second's; it keeps
    // the box's title and intro and holds the items with their anchors.
    assert!(at("id=ex-1-1-1") < aside && page[at("id=ex-1-1-1")..aside].contains("</article>"));
    assert!(aside_end < at("id=ex-1-1-2"), "{page}");
    assert!(
        inside.contains("<p class=box-title>专栏1：绿色金融行动"),
        "{inside}"
    );
    assert!(inside.contains("<p>围绕碳达峰开展以下行动："), "{inside}");
    for id in ["ex-1-1-3", "ex-1-1-4"] {
        assert!(
            inside.contains(&format!("class=measure id={id}")),
            "{inside}"
        );
        assert!(inside.contains(&format!("href=#{id}")), "{inside}");
    }
    assert!(inside.contains("<h2>1.</h2>"), "{inside}");
    assert!(inside.contains("市金融办"), "the units are shown: {inside}");
    assert!(
        inside.contains("#ex-1-1-3>贷款</a>"),
        "a link to a box item resolves: {inside}"
    );
    assert!(
        !page.contains("<script>alert"),
        "content markup is sanitised: {page}"
    );
    // The first measure's text ends at the box.
    assert!(!page[at("id=ex-1-1-1")..aside].contains("碳排放权"));

    // Open data: the items are measures with themes and units; the measure before the box
    // does not hold their text.
    let data: serde_json::Value =
        serde_json::from_str(&built_page(&built, "data/measures.json")).unwrap();
    let rows = data.as_array().unwrap();
    let row = |id: &str| {
        rows.iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    assert_eq!(row("ex-1-1-3")["text"], "1.发展碳排放权质押贷款；");
    assert_eq!(row("ex-1-1-3")["units"][0]["name"], "市金融办");
    assert_eq!(
        row("ex-1-1-4")["themes"],
        serde_json::json!(["green-finance", "insurance"])
    );
    assert_eq!(
        row("ex-1-1-1")["text"],
        "扩大绿色信贷。引导银行机构加大绿色信贷投放。"
    );
    let order: Vec<&str> = rows.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["ex-1-1-1", "ex-1-1-3", "ex-1-1-4", "ex-1-1-2"],
        "reading order"
    );
    let csv = built_page(&built, "data/measures.csv");
    assert!(csv.contains("ex-1-1-3"), "{csv}");

    // Search: a record per item, and the box's title and intro in the section's record.
    let docs = search_docs(&built);
    assert!(
        docs.iter().any(|d| d[0].ends_with("#ex-1-1-3")
            && d[5].contains("碳排放权质押贷款")
            && d[4].ends_with("› 专栏1：绿色金融行动")),
        "{docs:?}"
    );
    assert!(
        docs.iter()
            .any(|d| d[0] == "plans/example-plan/tasks/green/" && d[5].contains("围绕碳达峰")),
        "{docs:?}"
    );
    // Theme pages list the items.
    assert!(built_page(&built, "themes/insurance/index.html").contains("#ex-1-1-4"));
}

fn search_docs(built: &planatlas::build::Built) -> Vec<Vec<String>> {
    let meta: serde_json::Value =
        serde_json::from_str(&built_page(built, "search/meta.json")).unwrap();
    let n = meta["docs"].as_u64().unwrap() as usize;
    let chunk = meta["chunk"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for i in 0..n.div_ceil(chunk) {
        let c: Vec<Vec<String>> =
            serde_json::from_str(&built_page(built, &format!("search/docs/{i}.json"))).unwrap();
        docs.extend(c);
    }
    docs
}

#[test]
fn measure_headings_in_a_box_are_checked_like_any() {
    // Lines: the front matter takes 5, the first measure 4 (heading on 6), the fence is on 10.
    let bad_id = BOX.replace("{#ex-1-1-4", "{#../x");
    let e = errors_for(&section(&bad_id));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(&format!(
            "{SECTION}:17: measure id `../x` has characters not allowed in URLs"
        )),
        "{e:#?}"
    );
    let e = errors_for(&section(
        &BOX.replace(" themes=\"green-finance insurance\"", ""),
    ));
    assert!(
        e.len() == 1 && e[0].starts_with(&format!("{SECTION}:17: measure `ex-1-1-4` has 0 themes")),
        "{e:#?}"
    );
    let e = errors_for(&section(&BOX.replace("units=", "unit=")));
    assert!(
        e[0].starts_with(&format!(
            "{SECTION}:13: measure `ex-1-1-3`: unknown attribute `unit`"
        )),
        "{e:#?}"
    );
    let e = errors_for(&section(&BOX.replace("{#ex-1-1-4", "{#ex-1-1-1")));
    assert!(
        e.len() == 1 && e[0].contains("ex-1-1-1") && e[0].contains(":17:"),
        "{e:#?}"
    );
    let e = errors_for(&section(&BOX.replace("### 2.", "## 2.")));
    assert!(
        e.iter()
            .any(|x| x.starts_with(&format!("{SECTION}:17:1: a level-2 heading in a plan file"))),
        "{e:#?}"
    );
    let e = errors_for(&section(&BOX.replace("### 2.", "#### 2.")));
    assert!(
        e.iter().any(|x| x.starts_with(&format!(
            "{SECTION}:17:1: a level-4 sub-heading inside a box of measures"
        ))),
        "{e:#?}"
    );
}

#[test]
fn text_after_a_box_of_measures_is_reported() {
    let e = errors_for(&section(&format!("{BOX}\n\n接着的一段。\n")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(&format!(
            "{SECTION}:23: text after a box of measures, before the next heading"
        )),
        "{e:#?}"
    );
    // Blank lines and a sub-heading after the box are fine.
    let dir = site_with(&section(&format!("{BOX}\n\n#### 二、小标题\n\n说明。\n")));
    planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
}

#[test]
fn a_box_of_measures_in_a_list_item_is_reported() {
    let indented = format!(
        "- 列表项\n\n{}",
        BOX.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    let e = errors_for(&section(&indented));
    assert!(
        e.iter().any(|x| x.starts_with(&format!(
            "{SECTION}:12:1: a box holding measure headings is indented"
        ))),
        "{e:#?}"
    );
}

#[test]
fn a_box_without_measure_headings_stays_in_its_measure() {
    let plain = "```box 专栏1 说明\n**粗体**。碳排放权数据。\n\n#### 框内小标题\n```\n";
    let dir = site_with(&section(plain));
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let page = built_page(&built, PAGE);
    let first = page.find("id=ex-1-1-1").unwrap();
    let second = page.find("id=ex-1-1-2").unwrap();
    let body = &page[first..second];
    assert!(
        body.contains("<aside class=box><p class=box-title>专栏1 说明<p><strong>粗体</strong>。碳排放权数据。<h4>框内小标题</h4></aside></div>"),
        "the box stands in the first measure's body as before: {body}"
    );
    assert!(!page.contains("box-measures"));
    let data = built_page(&built, "data/measures.json");
    assert!(
        !data.contains("碳排放权"),
        "box text is not the measure's text"
    );
}

#[test]
fn real_box_items_are_anchors_inside_their_aside() {
    let files = &real_site().files;
    let page = |name: &str| String::from_utf8_lossy(&files[name]).into_owned();
    for (file, title, ids) in [
        (
            "plans/yongchuan-finance/open-highland/financial-opening/index.html",
            "专栏4：“十四五”时期永川区可试点的资本项目外汇管理改革创新",
            &["yc-4-1-2", "yc-4-1-5", "yc-4-1-8"][..],
        ),
        (
            "plans/chongqing-finance/spatial-layout/one-area-two-groups/index.html",
            "专栏3 金融服务乡村振兴",
            &["cq-3-2-4", "cq-3-2-5", "cq-3-2-6"][..],
        ),
        (
            "plans/chongqing-finance/financial-system/products/index.html",
            "专栏4 金融支持绿色发展",
            &["cq-4-2-12", "cq-4-2-13", "cq-4-2-14"][..],
        ),
        (
            "plans/chongqing-finance/financial-system/ecosystem/index.html",
            "专栏8 设立重庆金融法院",
            &["cq-4-6-5", "cq-4-6-6"][..],
        ),
        (
            "plans/chongqing-finance/safeguards/talent/index.html",
            "专栏11 加快金融人才队伍建设",
            &["cq-6-3-2", "cq-6-3-3", "cq-6-3-4"][..],
        ),
    ] {
        let html = page(file);
        let start = html
            .find(&format!("<p class=box-title>{title}"))
            .unwrap_or_else(|| panic!("no box {title} in {file}"));
        let aside = &html[..start].rfind("<aside").map(|a| &html[a..]).unwrap();
        assert!(
            aside.starts_with("<aside class=\"box box-measures\""),
            "{title}"
        );
        let aside = &aside[..aside.find("</aside>").unwrap()];
        for id in ids {
            assert!(aside.contains(&format!("id={id} ")), "{id} in {title}");
        }
    }
    // Items have related measures where other plans have the same instrument.
    let data: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let related = |id: &str| -> Vec<String> {
        let m = data
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap();
        m["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    // 外债一次性登记 and the joint rules' 外债便利化试点.
    assert!(
        related("yc-4-1-3").contains(&"wfr-5-2-1".to_string()),
        "{:?}",
        related("yc-4-1-3")
    );
    for id in ["yc-4-1-7", "cq-3-2-5", "cq-4-6-6", "cq-6-3-2"] {
        assert!(!related(id).is_empty(), "{id}");
    }
}
