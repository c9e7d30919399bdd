//! Tests of the compiled plan cover: hand-made covers taking every branch of `plan.html` and
//! `partials/cover_head.html` against Tera, and the keys of the context that themes read.

use super::tests::{
    assert_as_tera, bundled_templates, collect_paths, hand_made_common, link, recognises_only, toc,
    BASE_KEYS,
};
use super::*;
use crate::render::pages::plans::{CoverView, MappingLink, MetaTag, PlanPage, Row, ThemeCount};
use crate::render::views::Crumb;

/// A plan's cover with every optional part there (`full`) or none of them, with markup
/// (`<`, `&`, quotes) in its texts, which Tera escapes.
fn plan_page(full: bool) -> PlanPage<'static> {
    let url = "plans/p-1/";
    let mut chapter = toc("第一章 <总则> & 目标", "plans/p-1/c1/", 3);
    chapter.sections = full.then(|| {
        vec![
            toc("第一节 \"引号\"", "plans/p-1/c1/s1/", 2),
            toc("第二节", "plans/p-1/c1/s2/", 0),
        ]
    });
    let chapters = if full {
        vec![chapter, toc("第二章", "plans/p-1/c2/", 0)]
    } else {
        vec![chapter]
    };
    let row = |label, value: &str| Row {
        label,
        value: value.to_string(),
    };
    PlanPage {
        title: "规划 <一> & 二",
        plan: PlanView {
            slug: "p-1",
            url,
            title: if full { "规划 <一> & 二" } else { "" },
            short_title: "规划'一'",
            toc: chapters,
        },
        cover: CoverView {
            catalogue: if full {
                vec![row("索引号", "11/2024 & <1>"), row("发文机关", "省政府")]
            } else {
                Vec::new()
            },
            others: if full {
                vec![row("规划期", "2021—2025年"), row("层级", "省级")]
            } else {
                vec![row("层级", "省级")]
            },
            not_stated: if full {
                vec!["成文日期", "发文字号"]
            } else {
                Vec::new()
            },
            implements: if full {
                vec![
                    link("上级 <规划>", "plans/up/"),
                    link("另一个", "plans/up2/"),
                ]
            } else {
                Vec::new()
            },
            parent: if full {
                vec![link("国家规划", "plans/nation/")]
            } else {
                Vec::new()
            },
            source_url: full.then_some("https://gov.test/a?b=1&c=\"2\""),
            notes: if full {
                Some("转写 <说明> & 注")
            } else {
                Some("")
            },
            cite: "省政府. 规划 <一>. 2024.".to_string(),
            meta_tags: if full {
                vec![
                    MetaTag {
                        name: "citation_title",
                        content: "规划 \"一\" & <二>".to_string(),
                    },
                    MetaTag {
                        name: "citation_date",
                        content: "2024/01/02".to_string(),
                    },
                ]
            } else {
                Vec::new()
            },
        },
        preamble_html: if full {
            "<p>序言 <em>正文</em></p>\n".to_string()
        } else {
            String::new()
        },
        indicator_tables: if full {
            vec![
                "<table><tr><td>1</td></tr></table>".to_string(),
                "<figure><figcaption>专栏</figcaption><table><tr><td>2</td></tr></table></figure>"
                    .to_string(),
            ]
        } else {
            Vec::new()
        },
        themes: if full {
            vec![
                ThemeCount {
                    slug: "green",
                    name: "绿色 & 金融",
                    count: 12,
                },
                ThemeCount {
                    slug: "fintech",
                    name: "金融科技",
                    count: 1,
                },
            ]
        } else {
            Vec::new()
        },
        measure_count: if full { 15 } else { 0 },
        next: full.then(|| link("第一章 <总则>", "plans/p-1/c1/")),
        mappings: if full {
            vec![
                MappingLink {
                    url: "mappings/a/".to_string(),
                    title: "甲 <落实> 对照".to_string(),
                },
                MappingLink {
                    url: "mappings/b/".to_string(),
                    title: "乙落实对照".to_string(),
                },
            ]
        } else {
            Vec::new()
        },
        alignments: Vec::new(),
        crumbs: vec![Crumb {
            title: "规划'一'".to_string(),
            url: url.to_string(),
        }],
        common: hand_made_common(url, full),
    }
}

#[test]
fn hand_made_plan_covers_are_what_tera_makes_of_the_bundled_templates() {
    let templates = bundled_templates();
    assert!(templates.plans_compiled);
    for full in [true, false] {
        let case = format!("{full}");
        assert_as_tera(
            &templates,
            "plan.html",
            &plan_page(full),
            super::plan,
            &case,
        );
    }
    recognises_only(&BUNDLED_PLAN, renders_plans);
}

/// A theme's own `plan.html` reads the cover's context: the keys it had as a JSON tree.
#[test]
fn plan_context_keeps_its_keys() {
    let mut found = std::collections::BTreeSet::new();
    collect_paths(
        &serde_json::to_value(plan_page(true)).unwrap(),
        "",
        &mut found,
    );
    let plan = ["slug", "url", "title", "short_title", "toc"];
    let toc = ["title", "url", "measures", "sections"];
    let cover = [
        "catalogue",
        "catalogue[].label",
        "catalogue[].value",
        "others",
        "others[].label",
        "others[].value",
        "not_stated",
        "implements",
        "implements[].title",
        "implements[].url",
        "parent",
        "parent[].title",
        "parent[].url",
        "source_url",
        "notes",
        "cite",
        "meta_tags",
        "meta_tags[].name",
        "meta_tags[].content",
    ];
    let expected: std::collections::BTreeSet<String> = [
        "title",
        "preamble_html",
        "indicator_tables",
        "themes",
        "themes[].slug",
        "themes[].name",
        "themes[].count",
        "measure_count",
        "next",
        "next.title",
        "next.url",
        "mappings",
        "mappings[].url",
        "mappings[].title",
        "alignments",
        "plan",
        "cover",
    ]
    .into_iter()
    .map(String::from)
    .chain(plan.iter().map(|k| format!("plan.{k}")))
    .chain(toc.iter().map(|k| format!("plan.toc[].{k}")))
    .chain(toc.iter().map(|k| format!("plan.toc[].sections[].{k}")))
    .chain(cover.iter().map(|k| format!("cover.{k}")))
    .chain(BASE_KEYS.iter().map(|k| k.to_string()))
    .collect();
    let mut missing: Vec<_> = expected.difference(&found).collect();
    missing.retain(|k| !k.starts_with("plan.toc[].sections[].sections"));
    assert!(missing.is_empty(), "missing {missing:?}");
    assert!(
        found.is_subset(&expected),
        "{:?}",
        found.difference(&expected)
    );
    // Nothing there: `next`, `source_url` null, as the JSON tree had them.
    let bare = serde_json::to_value(plan_page(false)).unwrap();
    assert_eq!(bare["next"], serde_json::Value::Null);
    assert_eq!(bare["cover"]["source_url"], serde_json::Value::Null);
}
