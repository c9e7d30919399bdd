//! The real site's data views: open data, what each plan keeps of its extract, the
//! implementation mapping, the theme matrix, indicator concepts, responsible units, charts,
//! the theme's weight and theme pagination (the pages and links themselves are checked in
//! `build_real`, the search index in `real_search_index`).

use std::collections::BTreeSet;
use std::fs;

use crate::build_real::{built, text};
use crate::common::*;

#[test]
fn open_data() {
    let files = built();
    let plans: serde_json::Value = serde_json::from_slice(&files["data/plans.json"]).unwrap();
    let sc = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "sichuan-finance")
        .unwrap();
    assert_eq!(sc["chapters"], 7);
    assert_eq!(sc["sections"], 22);
    assert_eq!(sc["measures"], 46);
    assert_eq!(sc["indicators"], 5);
    assert_eq!(sc["doc_number"], serde_json::Value::Null);
    assert_eq!(sc["period_start"], 2021);

    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let m = measures
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "sc-3-1-1")
        .unwrap();
    assert_eq!(m["plan"], "sichuan-finance");
    assert_eq!(m["title"], "推动金融机构集聚");
    assert!(m["text"]
        .as_str()
        .unwrap()
        .starts_with("推动金融机构集聚。支持符合条件的金融机构"));
    assert_eq!(m["themes"], serde_json::json!(["institutions"]));
    assert_eq!(
        m["url"],
        "plans/sichuan-finance/financial-system/institutions/#sc-3-1-1"
    );
    // Related measures: at most five, each in another plan, with a score and a reason.
    let all = measures.as_array().unwrap();
    let plan_of: std::collections::HashMap<&str, &str> = all
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["plan"].as_str().unwrap()))
        .collect();
    let mut links = 0;
    for m in all {
        let related = m["related"].as_array().unwrap();
        assert!(related.len() <= 5);
        for r in related {
            let id = r["id"].as_str().unwrap();
            assert_eq!(
                plan_of.get(id).copied(),
                r["plan"].as_str(),
                "{id} exists, in the plan named"
            );
            assert_ne!(
                r["plan"], m["plan"],
                "{}: related measures are in other plans",
                m["id"]
            );
            assert!(
                r["score"].as_f64().unwrap() > 0.0 && !r["reason"].as_str().unwrap().is_empty()
            );
            links += 1;
        }
    }
    assert!(links > 200, "only {links} related links");
    assert_eq!(m["chapter"], "第三章　优化四川金融体系,推动金融产业发展");

    let indicators: serde_json::Value =
        serde_json::from_slice(&files["data/indicators.json"]).unwrap();
    let i = indicators
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "sc-ind-1")
        .unwrap();
    assert_eq!(i["target"]["value"], 7.3);
    assert_eq!(i["target"]["qualifier"], "左右");
    assert_eq!(i["target"]["year"], 2025);
    assert_eq!(i["baseline"]["value"], 6.9);
    assert_eq!(i["baseline"]["cumulative"], false);

    let csv = String::from_utf8(files["data/measures.csv"].clone()).unwrap();
    assert!(csv.starts_with(
        "\u{feff}id,plan,chapter,section,title,text,themes,units,url,implements,takes_up,taken_up_by,related\n"
    ));
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let json_count = measures.as_array().unwrap().len();
    assert_eq!(
        records.len(),
        json_count,
        "the CSV twin holds the same measures"
    );
    let row = records.iter().find(|r| &r[0] == "sc-3-1-1").unwrap();
    assert_eq!(&row[5], m["text"].as_str().unwrap());
    let home = text(files, "index.html");
    for f in [
        "data/plans.json",
        "data/measures.json",
        "data/indicators.json",
        "data/measures.csv",
    ] {
        assert!(
            attr_values(&home, "href").contains(&f.to_string()),
            "home links {f}"
        );
    }
}

/// What was extracted from each official text: any edit that loses content fails here.
/// (slug, chapters, sections, measures, indicators)
const EXTRACTED: &[(&str, u64, u64, u64, u64)] = &[
    ("chengyu-wfc-plan", 3, 10, 32, 0),
    ("chengyu-wfc-rules", 8, 33, 58, 0),
    ("sichuan-finance", 7, 22, 46, 5),
    ("chongqing-finance", 6, 22, 80, 12),
    ("yongchuan-finance", 11, 24, 78, 30),
];

#[test]
fn every_plan_keeps_what_was_extracted() {
    let files = built();
    let plans: serde_json::Value = serde_json::from_slice(&files["data/plans.json"]).unwrap();
    let plans = plans.as_array().unwrap();
    assert_eq!(plans.len(), EXTRACTED.len());
    for (slug, chapters, sections, measures, indicators) in EXTRACTED {
        let p = plans
            .iter()
            .find(|p| p["slug"] == *slug)
            .unwrap_or_else(|| panic!("{slug} is missing"));
        let got = (
            p["chapters"].as_u64(),
            p["sections"].as_u64(),
            p["measures"].as_u64(),
            p["indicators"].as_u64(),
        );
        assert_eq!(
            got,
            (
                Some(*chapters),
                Some(*sections),
                Some(*measures),
                Some(*indicators)
            ),
            "{slug}: chapters, sections, measures, indicators"
        );
    }
    let by_id = |id: &str| -> serde_json::Value {
        let all: serde_json::Value =
            serde_json::from_slice(&files["data/indicators.json"]).unwrap();
        all.as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no indicator {id}"))
            .clone()
    };
    let value = |id: &str, field: &str| by_id(id)[field]["raw"].as_str().unwrap().to_string();
    // Yongchuan: numbers, the dashes its table prints for a baseline, cumulative values, text
    // targets, groups, attributes.
    assert_eq!(
        (value("yc-ind-1", "baseline"), value("yc-ind-1", "target")),
        ("34.76".into(), "90".into())
    );
    assert_eq!(
        by_id("yc-ind-3")["baseline"]["value"],
        serde_json::Value::Null
    );
    assert_eq!(
        value("yc-ind-3", "baseline"),
        "—",
        "the source prints the dash"
    );
    assert_eq!(by_id("yc-ind-12")["target"]["cumulative"], true);
    assert_eq!(by_id("yc-ind-12")["target"]["value"], 100.0);
    assert_eq!(
        by_id("yc-ind-21")["target"]["text"],
        "不低于各项贷款平均增速"
    );
    assert_eq!(by_id("yc-ind-21")["attribute"], "约束性");
    assert_eq!(by_id("yc-ind-21")["group"], "五、绿色金融");
    assert_eq!(by_id("yc-ind-17")["target"]["value"], 55.0);
    assert_eq!(by_id("yc-cluster-1")["target"]["raw"], "1000");
    assert_eq!(by_id("yc-cluster-1")["table"], "clusters");
    // 专栏5 has no baseline column: no baseline, not a made-up dash.
    assert_eq!(by_id("yc-cluster-1")["baseline"], serde_json::Value::Null);
    // Chongqing: the run-together numbers of 专栏1, split; cumulative values; the text target.
    assert_eq!(
        (value("cq-ind-1", "baseline"), value("cq-ind-1", "target")),
        ("8.9".into(), "9.5".into())
    );
    assert_eq!(
        (value("cq-ind-6", "baseline"), value("cq-ind-6", "target")),
        ("2171".into(), "3500".into())
    );
    assert_eq!(
        (value("cq-ind-11", "baseline"), value("cq-ind-11", "target")),
        ("【134】".into(), "【150】".into())
    );
    assert_eq!(by_id("cq-ind-11")["target"]["cumulative"], true);
    assert_eq!(by_id("cq-ind-12")["baseline"]["value"], 1.48);
    assert_eq!(by_id("cq-ind-12")["target"]["text"], "低于全国平均水平");
    // The implementation rules: responsible units split by side, and the relation to the plan.
    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let m = measures
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "wfr-1-1-1")
        .unwrap();
    let units = m["units"].as_array().unwrap();
    assert!(
        units
            .iter()
            .any(|u| u["name"] == "重庆市金融监管局" && u["side"] == "重庆"),
        "{units:?}"
    );
    assert!(
        units
            .iter()
            .any(|u| u["name"] == "人行成都分行" && u["side"] == "四川"),
        "{units:?}"
    );
    assert!(
        m["text"]
            .as_str()
            .unwrap()
            .contains("（责任单位：重庆市金融监管局"),
        "the sentence stays in the text"
    );
    let rules = plans
        .iter()
        .find(|p| p["slug"] == "chengyu-wfc-rules")
        .unwrap();
    assert_eq!(rules["implements"], serde_json::json!(["chengyu-wfc-plan"]));
    assert_eq!(rules["doc_number"], "渝府办发〔2022〕126号");
    let joint = plans
        .iter()
        .find(|p| p["slug"] == "chengyu-wfc-plan")
        .unwrap();
    assert_eq!(joint["issuers"].as_array().unwrap().len(), 8);
    // Every measure of every plan carries one to three known themes.
    let themes: Vec<String> = measures
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            let t = m["themes"].as_array().unwrap();
            assert!((1..=3).contains(&t.len()), "{}", m["id"]);
            t.iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!themes.is_empty());
}

#[test]
fn implementation_rules_map_to_the_joint_plan() {
    let files = built();
    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let all = measures.as_array().unwrap();
    let get = |id: &str| {
        all.iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let tasks: Vec<&serde_json::Value> = all
        .iter()
        .filter(|m| m["plan"] == "chengyu-wfc-plan")
        .collect();
    assert_eq!(tasks.len(), 32, "28 numbered tasks and 4 safeguards");
    // Every task is handled: it lists its implementing items, or the mapping page marks it.
    let page = text(files, "mappings/chengyu-wfc-rules/index.html");
    let without: Vec<&str> = tasks
        .iter()
        .filter(|t| t["implemented_by"].as_array().unwrap().is_empty())
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        without,
        vec!["wfc-3-0-4"],
        "only 强化监督管理 has no implementing item"
    );
    for t in &tasks {
        let id = t["id"].as_str().unwrap();
        assert!(
            page.contains(&format!("#{id}")),
            "the mapping page lists {id}"
        );
        for item in t["implemented_by"].as_array().unwrap() {
            assert_eq!(
                get(item.as_str().unwrap())["implements"],
                serde_json::json!([id]),
                "both directions agree"
            );
        }
    }
    assert_eq!(
        attr_values(&page, "class")
            .iter()
            .filter(|c| *c == "unmapped")
            .count(),
        1,
        "one task row is marked"
    );
    assert_eq!(
        get("wfr-1-1-1")["implements"],
        serde_json::json!(["wfc-2-1-1"])
    );
    assert_eq!(
        get("wfr-2-3-3")["implements"],
        serde_json::json!(["wfc-2-2-3"])
    );
    assert_eq!(
        get("wfr-6-1-2")["implements"],
        serde_json::json!(["wfc-2-6-1"]),
        "editor override"
    );
    let unmatched: Vec<&str> = all
        .iter()
        .filter(|m| {
            m["plan"] == "chengyu-wfc-rules" && m["implements"].as_array().unwrap().is_empty()
        })
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        unmatched,
        vec!["wfr-7-5-1", "wfr-7-6-1"],
        "国库 and 现金 items have no task in the joint plan"
    );
    // Both plans' pages show the link between item and task.
    let item_page = text(
        files,
        "plans/chengyu-wfc-rules/institutions/legal-person-institutions/index.html",
    );
    assert!(
        item_page.contains("落实")
            && attr_values(&item_page, "href")
                .iter()
                .any(|h| h.ends_with("#wfc-2-1-1"))
    );
    let task_page = text(
        files,
        "plans/chengyu-wfc-plan/main-tasks/institutions/index.html",
    );
    assert!(attr_values(&task_page, "href")
        .iter()
        .any(|h| h.ends_with("#wfr-1-1-1")));
}

#[test]
fn theme_matrix_counts_match_the_measures() {
    let files = built();
    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let all = measures.as_array().unwrap();
    let page = text(files, "themes/index.html");
    let cell_re =
        regex::Regex::new(r#"^(?:<a [^>]*>(\d+)</a>|<span class=?"?zero"?>0</span>|(\d+))$"#)
            .unwrap();
    let plans: Vec<String> = {
        let p: serde_json::Value = serde_json::from_slice(&files["data/plans.json"]).unwrap();
        p.as_array()
            .unwrap()
            .iter()
            .map(|p| p["slug"].as_str().unwrap().to_string())
            .collect()
    };
    let mut rows = 0;
    for (theme, row) in table_rows(&page) {
        let theme = theme.as_str();
        let cells: Vec<usize> = row
            .iter()
            .map(|cell| {
                let c = cell_re
                    .captures(cell)
                    .unwrap_or_else(|| panic!("{theme}: cell {cell}"));
                c.get(1)
                    .or(c.get(2))
                    .map_or(0, |m| m.as_str().parse().unwrap())
            })
            .collect();
        assert_eq!(
            cells.len(),
            plans.len() + 1,
            "{theme}: one cell per plan and a total"
        );
        for (plan, count) in plans.iter().zip(&cells) {
            let expected = all
                .iter()
                .filter(|m| {
                    m["plan"] == plan.as_str()
                        && m["themes"].as_array().unwrap().iter().any(|t| t == theme)
                })
                .count();
            assert_eq!(*count, expected, "{theme} × {plan}");
        }
        let total = all
            .iter()
            .filter(|m| m["themes"].as_array().unwrap().iter().any(|t| t == theme))
            .count();
        assert_eq!(
            cells[plans.len()],
            total,
            "{theme}: the row total is the theme's measure count"
        );
        assert_eq!(cells[..plans.len()].iter().sum::<usize>(), total);
        rows += 1;
    }
    assert_eq!(rows, 23, "one row per theme");
}

#[test]
fn indicator_concepts_compare_plans_in_one_unit() {
    let files = built();
    let indicators: serde_json::Value =
        serde_json::from_slice(&files["data/indicators.json"]).unwrap();
    let get = |id: &str| {
        indicators
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(get("sc-ind-2")["concept"], "deposits");
    // 9.18 → 13.5 万亿元 over 2020–2025: 8.0% a year; 2273.6 → 3000 亿元: 5.7%.
    assert_eq!(get("sc-ind-2")["cagr"], 0.0802);
    assert_eq!(get("sc-ind-4")["cagr"], 0.057);
    // Shares change in percentage points; cumulative and text values are not turned into rates.
    assert_eq!(get("sc-ind-1")["cagr"], serde_json::Value::Null);
    assert_eq!(get("sc-ind-1")["change_points"], 0.4);
    assert_eq!(get("cq-ind-11")["cagr"], serde_json::Value::Null);
    assert_eq!(get("cq-ind-12")["change_points"], serde_json::Value::Null);
    let page = text(files, "concepts/deposits/index.html");
    // Sichuan's 9.18 万亿元 is compared as 91800 亿元 beside Yongchuan's 795.94 亿元.
    for cell in ["9.18", "91800", "135000", "795.94", "+8.0%/年", "+15.0%/年"] {
        assert!(page.contains(cell), "the deposits comparison shows {cell}");
    }
    let npl = text(files, "concepts/npl-ratio/index.html");
    assert!(
        npl.contains("低于全国平均水平") && npl.contains("低于全市平均水平"),
        "text targets shown as text"
    );
    let index = text(files, "indicators/index.html");
    assert!(attr_values(&index, "href")
        .iter()
        .any(|h| h == "../concepts/deposits/"));
    let theme = text(files, "themes/insurance/index.html");
    assert!(
        theme.contains("保险密度") && theme.contains("3078"),
        "a theme page lists its indicators"
    );
}

#[test]
fn responsible_units_have_one_page_each() {
    let files = built();
    let units: serde_json::Value = serde_json::from_slice(&files["data/units.json"]).unwrap();
    let units = units.as_array().unwrap();
    let get = |name: &str| {
        units
            .iter()
            .find(|u| u["name"] == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
    };
    // The short form 市金融监管局 on the Chongqing side is the same body as 重庆市金融监管局.
    let cq = get("重庆市金融监管局");
    assert_eq!(cq["side"], "重庆");
    assert_eq!(
        cq["names"],
        serde_json::json!(["市金融监管局", "重庆市金融监管局"])
    );
    assert_eq!(cq["count"], 43);
    assert!(
        units
            .iter()
            .all(|u| u["name"] != "市金融监管局" && u["name"] != "省财政厅"),
        "short names have no page of their own"
    );
    assert_eq!(get("人行成都分行")["side"], "四川");
    let page = text(files, &format!("{}index.html", cq["url"].as_str().unwrap()));
    assert!(
        page.contains("43 项举措")
            && attr_values(&page, "href")
                .iter()
                .any(|h| h.ends_with("#wfr-1-1-1"))
    );
    let index = text(files, "units/index.html");
    assert!(index.contains("重庆方面") && index.contains("四川方面"));
    // Measures link their units' pages.
    let item = text(
        files,
        "plans/chengyu-wfc-rules/institutions/legal-person-institutions/index.html",
    );
    assert!(attr_values(&item, "href")
        .iter()
        .any(|h| h.ends_with(cq["url"].as_str().unwrap())));
}

#[test]
fn open_data_files_are_valid_and_their_urls_resolve() {
    let files = built();
    let mut anchors: std::collections::HashMap<String, std::collections::HashSet<String>> =
        Default::default();
    let mut checked = 0;
    for name in ["plans", "measures", "indicators", "themes", "units"] {
        let data: serde_json::Value = serde_json::from_slice(&files[&format!("data/{name}.json")])
            .unwrap_or_else(|e| panic!("{name}.json: {e}"));
        assert!(
            files.contains_key(&format!("data/{name}.csv")),
            "{name}.csv"
        );
        for record in data.as_array().unwrap() {
            let url = record["url"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: a record without url"));
            assert!(!url.starts_with('/'), "{url}: relative to the base URL");
            let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
            let file = format!("{path}index.html");
            let html = text(files, &file);
            if !anchor.is_empty() {
                let ids = anchors
                    .entry(file.clone())
                    .or_insert_with(|| attr_values(&html, "id").into_iter().collect());
                assert!(
                    ids.contains(anchor),
                    "{name}: {url} has no anchor in {file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn indicators_are_drawn_only_where_they_are_numbers() {
    let files = built();
    let cover = text(files, "plans/chongqing-finance/index.html");
    let rows = table_rows(&cover);
    let row = |id: &str| -> String {
        rows.iter()
            .find(|(row_id, _)| row_id == id)
            .unwrap_or_else(|| panic!("no row {id}"))
            .1
            .join("")
    };
    let deposits = row("cq-ind-4");
    assert!(
        deposits.contains("<svg")
            && (deposits.contains("role=img") || deposits.contains("role=\"img\"")),
        "{deposits}"
    );
    assert!(
        deposits.contains("本外币存款余额：2020年 4.29万亿元，2025年 6.3万亿元"),
        "the chart has a text alternative: {deposits}"
    );
    assert!(
        !row("cq-ind-12").contains("<svg"),
        "a text target is not drawn"
    );
    // On a concept page the plans share one scale: Sichuan's 3000 亿元 bar is the widest.
    let page = text(files, "concepts/premium-income/index.html");
    let widths: Vec<f64> = regex::Regex::new(r#"<rect [^>]*width=?"?([0-9.]+)"?"#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert_eq!(widths.len(), 6, "two bars for each of three plans");
    let widest = widths.iter().cloned().fold(0.0, f64::max);
    assert_eq!(
        widest, widths[1],
        "Sichuan's target (3000) is the longest bar: {widths:?}"
    );
    assert!(
        (widths[3] / widths[1] - 1600.0 / 3000.0).abs() < 0.01,
        "bars are proportional: {widths:?}"
    );
}

#[test]
fn the_theme_stays_light() {
    let files = built();
    let own: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("static/") && (p.ends_with(".css") || p.ends_with(".js")))
        .map(|(_, b)| b.len())
        .sum();
    assert!(own < 50 * 1024, "the theme's CSS and JS weigh {own} bytes");
    let largest = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| b.len())
        .max()
        .unwrap();
    assert!(
        largest < 150_000,
        "the largest page weighs {largest} bytes (the limit is 150 KB)"
    );
}

#[test]
fn long_theme_lists_are_paginated() {
    let site = copy_of_site();
    let config = site.path().join("content/site.toml");
    let original = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{original}theme_page_size = 11\n")).unwrap();
    let out = site.path().join("public");
    build(site.path(), &out, Some("https://atlas.test/")).unwrap();
    let files = read_tree(&out);
    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let expected: BTreeSet<String> = measures
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["themes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "risk-regulation")
        })
        .map(|m| m["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        expected.len(),
        42,
        "the real content has 42 risk-regulation measures"
    );
    let mut seen = BTreeSet::new();
    for n in 1..=4 {
        let path = if n == 1 {
            "themes/risk-regulation/index.html".to_string()
        } else {
            format!("themes/risk-regulation/page/{n}/index.html")
        };
        let html = text(&files, &path);
        let root = if n == 1 { "../../" } else { "../../../../" };
        let links: Vec<String> = attr_values(&html, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix(root).map(str::to_string))
            // Measure anchors (indicator rows link to `#…-ind-N`).
            .filter(|h| h.starts_with("plans/") && h.contains('#') && !h.contains("-ind-"))
            .collect();
        assert!(links.len() <= 11, "page {n} lists {} measures", links.len());
        seen.extend(links);
        assert!(html.contains("aria-current=page>") || html.contains("aria-current=\"page\""));
        assert_eq!(html.contains("rel=prev"), n > 1, "page {n}: previous link");
        assert_eq!(html.contains("rel=next"), n < 4, "page {n}: next link");
        // Counts per plan and the indicators only on the first page.
        assert_eq!(html.contains("相关指标"), n == 1, "page {n}: indicators");
    }
    assert!(!files.contains_key("themes/risk-regulation/page/5/index.html"));
    assert_eq!(
        seen, expected,
        "the pages together list every measure of the theme once"
    );
    let sitemap = text(&files, "sitemap.xml");
    assert!(sitemap.contains("themes/risk-regulation/page/4/"));
    // The theme matrix links each plan's count to the page where its measures begin.
    let matrix = text(&files, "themes/index.html");
    let mut later_pages = 0;
    for href in attr_values(&matrix, "href") {
        let Some(rest) = href.strip_prefix("../themes/risk-regulation/") else {
            continue;
        };
        let Some((page, anchor)) = rest.split_once('#') else {
            continue; // the row's own link to the theme
        };
        let html = text(&files, &format!("themes/risk-regulation/{page}index.html"));
        assert!(
            html.contains(&format!("id={anchor}>")) || html.contains(&format!("id=\"{anchor}\"")),
            "{href}: no such group on that page"
        );
        later_pages += usize::from(!page.is_empty());
    }
    assert!(later_pages > 0, "some plans begin on a later page");
}

/// `Analysis::plan_measures` finds by bisection exactly the measures a walk over all of them
/// finds, for every plan.
#[test]
fn each_plans_measures_form_one_run() {
    let (site, d) = planatlas::content::load_site(&crate::common::repo());
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = planatlas::analyse::analyse(&site, None);
    for p in 0..site.plans.len() {
        let walked: Vec<usize> = (0..analysis.measures.len())
            .filter(|i| analysis.measures[*i].plan == p)
            .collect();
        assert!(!walked.is_empty());
        assert_eq!(analysis.plan_measures(p).collect::<Vec<_>>(), walked);
    }
    assert!(analysis.plan_measures(site.plans.len()).is_empty());
}

/// A link's anchor is looked up in a set made for the pages that content links to with an
/// anchor, and read from the site for any other page: both ways resolve every link alike.
#[test]
fn links_resolve_alike_through_the_anchor_sets_and_the_site() {
    use planatlas::markdown::links::{LinkError, LinkIndex};
    use planatlas::model::InternalLink;

    let (site, d) = planatlas::content::load_site(&repo());
    assert!(d.is_empty(), "{d:?}");
    let mut linked = site.unwrap();
    let relative = |file: &std::path::Path| {
        let file = file.to_string_lossy().replace('\\', "/");
        file.strip_prefix("content/").unwrap_or(&file).to_string()
    };
    // Every chapter, section and plan cover of the real content, with the ids on it.
    let mut pages: Vec<(String, Vec<String>)> = Vec::new();
    for plan in &linked.plans {
        let indicators = plan.all_indicators().map(|(_, i)| i.id.clone()).collect();
        pages.push((relative(&plan.file), indicators));
        for division in plan.divisions() {
            let ids = division.measures.iter().map(|m| m.id.clone()).collect();
            pages.push((relative(&division.file), ids));
        }
    }
    let bare = LinkIndex::build(&linked);
    linked.links = pages
        .iter()
        .map(|(path, _)| InternalLink {
            path: path.clone(),
            anchor: Some("x".into()),
            file: "content/pages/help.md".into(),
            line: 1,
            column: 1,
        })
        .collect();
    let with_sets = LinkIndex::build(&linked);
    let mut anchors = 0;
    for (path, ids) in &pages {
        for id in ids.iter().map(String::as_str).chain(["nope", ""]) {
            let a = bare.resolve(&linked, path, Some(id));
            assert_eq!(a, with_sets.resolve(&linked, path, Some(id)), "{path}#{id}");
            if ids.iter().any(|i| i == id) {
                assert!(
                    a.as_ref().is_ok_and(|url| url.ends_with(&format!("#{id}"))),
                    "{a:?}"
                );
                anchors += 1;
            } else if id == "nope" {
                assert_eq!(a, Err(LinkError::NoSuchAnchor));
            }
        }
    }
    assert!(
        pages.len() > 50 && anchors > 250,
        "{} pages, {anchors} anchors",
        pages.len()
    );
    assert_eq!(
        with_sets.resolve(&linked, "plans/nope.md", Some("x")),
        Err(LinkError::NoSuchFile)
    );
}
