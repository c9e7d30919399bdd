//! What orients a reader (issue 15 §1, §3), checked in the real site's HTML: the home page, the
//! index pages, the header on every page, folded related measures, measure titles. How these
//! behave in a browser (header height, toggles, tables on a phone) is in `browser.rs`.

use crate::build_real::{built, text};

/// Text of `html` with tags removed, for checks on what a reader sees.
fn visible(html: &str) -> String {
    let tags = regex::Regex::new(r"(?s)<script.*?</script>|<[^>]*>").unwrap();
    tags.replace_all(html, "").into_owned()
}

#[test]
fn home_says_what_the_site_holds_and_lists_the_plans_as_cards() {
    let files = built();
    let home = text(files, "index.html");
    let seen = visible(&home);
    // What the site is, whose plans, and that the texts are the official texts, with the date.
    for words in [
        "收录成渝地区、四川省、重庆市、重庆市永川区的 5 部规划",
        "正文照录各规划的官方文本，文字未作改动",
        "文本摘录截至 2026-12-01",
    ] {
        assert!(seen.contains(words), "the home page says {words}");
    }
    // Every plan as a card: title, issuer, 发文字号, dates, period, level, counts.
    assert_eq!(home.matches("card plan-card").count(), 5);
    for words in [
        "重庆市金融改革发展“十四五”规划",
        "重庆市人民政府",
        "渝府发〔2022〕7号",
        "2022-01-29",
        "2021—2025年",
        "直辖市级",
        "6 章 · 80 项举措 · 12 项指标",
        // Its largest themes: the plan's row of the theme × plan table in brief.
        "主要主题风险防范与监管 13",
    ] {
        assert!(seen.contains(words), "a plan card shows {words}");
    }
    // No rows of 未注明: one line per card names what the source does not state.
    assert!(
        !seen.contains("未注明"),
        "the home page shows rows of 未注明"
    );
    assert!(seen.contains("原文未载发文机关、发文字号、成文日期、发布日期。"));
    assert!(seen.contains("原文未载发文字号、规划期。"));
    // The Chongqing plan states them all: its card has no such line.
    assert_eq!(home.matches("class=not-stated>").count(), 4);
    // Editorial notes and what only maintainers need stay off the home page.
    for word in [
        "抓取稿",
        "转载页",
        "indicators.toml",
        "plan.toml",
        "sc-3-1-1",
    ] {
        assert!(!seen.contains(word), "the home page shows {word}");
    }
    // Entry points: themes (with the theme × plan table), indicators, comparisons, search.
    for href in [
        "themes/",
        "themes/green-finance/",
        "indicators/",
        "concepts/",
        "mappings/",
        "alignments/",
        "search/",
        "help/",
    ] {
        assert!(
            home.contains(&format!("href={href}>")) || home.contains(&format!("href=\"{href}\"")),
            "the home page links {href}"
        );
    }
}

#[test]
fn plans_concepts_and_mappings_have_index_pages() {
    let files = built();
    let plans = text(files, "plans/index.html");
    for slug in [
        "sichuan-finance",
        "chengyu-wfc-rules",
        "chengyu-wfc-plan",
        "yongchuan-finance",
        "chongqing-finance",
    ] {
        assert!(plans.contains(&format!("{slug}/")), "plans/ lists {slug}");
    }
    assert_eq!(plans.matches("card plan-card").count(), 5);
    let concepts = text(files, "concepts/index.html");
    for slug in ["deposits", "loans"] {
        assert!(
            concepts.contains(&format!("{slug}/")),
            "concepts/ lists {slug}"
        );
    }
    assert!(visible(&concepts).contains("存款余额"));
    let mappings = text(files, "mappings/index.html");
    assert!(mappings.contains("chengyu-wfc-rules/"));
    assert!(visible(&mappings).contains("成渝西部金融中心联合实施细则落实对照"));
    // The sitemap lists them too (the bundled site has no base_url, so it has no sitemap: build
    // it with one).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    crate::common::build(&crate::common::repo(), &out, Some("https://atlas.test/")).unwrap();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for url in ["/plans/</loc>", "/concepts/</loc>", "/mappings/</loc>"] {
        assert!(sitemap.contains(url), "the sitemap lists {url}");
    }
}

#[test]
fn every_page_has_the_compact_header_and_plan_pages_a_toc_button() {
    let files = built();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains("class=menu-toggle") && html.contains("data-toggle=site-nav"),
            "{path} has no menu button"
        );
        for nav in ["plans/", "concepts/", "mappings/", "themes/", "indicators/"] {
            assert!(
                html.contains(&format!("{nav}>")),
                "{path}: the menu lacks {nav}"
            );
        }
        assert!(
            html.contains("static/nav.js"),
            "{path} does not load nav.js"
        );
    }
    let section = text(
        files,
        "plans/sichuan-finance/financial-system/institutions/index.html",
    );
    assert!(section.contains("data-toggle=plan-toc") && section.contains("id=plan-toc"));
}

#[test]
fn related_measures_are_folded_and_say_how_many() {
    let files = built();
    let page = text(
        files,
        "plans/sichuan-finance/financial-system/institutions/index.html",
    );
    let summary = regex::Regex::new(r"<details class=related>\s*<summary>其他规划中的相关举措<span class=count>（(\d+) 项）</span></summary>\s*<ol>(.*?)</ol>").unwrap();
    let mut blocks = 0;
    for c in summary.captures_iter(&page) {
        let said: usize = c[1].parse().unwrap();
        assert_eq!(
            said,
            c[2].matches("<li>").count(),
            "the summary counts the links"
        );
        blocks += 1;
    }
    assert!(blocks > 0, "no folded related block found");
    assert!(!page.contains("<details class=related open"));
}

#[test]
fn measure_titles_are_not_cut_mid_phrase() {
    let files = built();
    let measures: serde_json::Value = serde_json::from_slice(&files["data/measures.json"]).unwrap();
    let measures = measures.as_array().unwrap();
    let cut: Vec<&str> = measures
        .iter()
        .filter_map(|m| m["title"].as_str())
        .filter(|t| t.ends_with('…'))
        .collect();
    // Before the first-clause rule, 85 of the 294 titles ended in "…".
    assert!(cut.len() <= 15, "{} titles are cut: {cut:?}", cut.len());
    for m in measures {
        let title = m["title"].as_str().unwrap();
        let Some(shown) = title.strip_suffix('…') else {
            continue;
        };
        let text = m["text"].as_str().unwrap();
        let at = text
            .find(shown)
            .unwrap_or_else(|| panic!("{title} is not taken from the text"));
        let next = text[at + shown.len()..].chars().next().unwrap();
        let last = shown.chars().last().unwrap();
        assert!(
            "、和与及并 ".contains(next) || "”）)》」".contains(last),
            "{title} is cut inside a phrase (next character {next})"
        );
    }
}

#[test]
fn without_extracts_as_of_the_home_page_names_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    planatlas::cmd::init::init(&site).unwrap();
    let out = dir.path().join("public");
    crate::common::build(&site, &out, None).unwrap();
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(visible(&home).contains("正文照录各规划的官方文本"));
    assert!(!home.contains("摘录截至"), "a date the site does not give");
    // The index pages exist on a new site too, so that the navigation never leads to a 404.
    for page in [
        "plans/index.html",
        "concepts/index.html",
        "mappings/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
}
