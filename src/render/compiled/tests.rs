//! Tests of the compiled pages: the bundled templates recognised, hand-made pages taking every
//! branch against Tera, and the keys of their context that themes read.

use super::*;

#[test]
fn the_default_theme_is_compiled_and_a_changed_template_is_not() {
    let templates = bundled_templates();
    assert!(templates.divisions_compiled);
    recognises_only(&BUNDLED, renders_divisions);
}

/// `renders` takes the templates `bundled`, and none of them changed or missing.
pub(super) fn recognises_only(bundled: &[(&str, &str)], renders: fn(&[(String, String)]) -> bool) {
    let bundled: Vec<(String, String)> = bundled
        .iter()
        .map(|(name, source)| (name.to_string(), source.to_string()))
        .collect();
    assert!(renders(&bundled));
    for k in 0..bundled.len() {
        let mut changed = bundled.clone();
        changed[k].1.push(' ');
        assert!(!renders(&changed), "{} changed", bundled[k].0);
        let mut missing = bundled.clone();
        missing.remove(k);
        assert!(!renders(&missing), "{} missing", bundled[k].0);
    }
}

use crate::render::pages::alignments::MeasureRef;
use crate::render::pages::division::{
    BoxView, DivisionHead, RelatedView, ThemeRef, UnitGroup, UnitName,
};
use crate::render::views::{Common, Link, MeasureLink, PlanView, SiteView};
use std::borrow::Cow;

pub(super) fn link<'a>(title: &'a str, url: &'a str) -> Link<'a> {
    Link {
        title: Cow::Borrowed(title),
        url,
    }
}

pub(super) fn toc<'a>(title: &str, url: &'a str, measures: usize) -> TocEntry<'a> {
    TocEntry {
        gap: false,
        title: title.to_string(),
        url,
        measures: Some(measures),
        sections: None,
    }
}

/// The keys every hand-made page has: at `url`, `root` from the site's root, on a site with a
/// base URL (and so a permalink) if `hosted`, with the stand-alone `pages`.
pub(super) fn common(
    root: &str,
    url: String,
    hosted: bool,
    pages: Vec<Link<'static>>,
) -> Common<'static> {
    Common {
        root: root.to_string(),
        permalink: hosted.then(|| format!("https://atlas.test/{url}")),
        url,
        site: SiteView {
            title: "站点",
            description: "说明 <站点>",
            language: "zh-CN",
            base_url: if hosted { "https://atlas.test/" } else { "" },
            pages,
        },
    }
}

/// [`common`] for a hand-made page at `url`, two levels down: on a hosted site with a
/// stand-alone page if `full`, else on neither.
pub(super) fn hand_made_common(url: &str, full: bool) -> Common<'static> {
    let pages = if full {
        vec![link("帮助", "help/")]
    } else {
        Vec::new()
    };
    common("../../", url.to_string(), full, pages)
}

fn measure_link<'a>(id: &'a str) -> MeasureLink<'a> {
    MeasureLink {
        id,
        title: "标题 <b>",
        heading: "1. 小标题 & 说明",
        url: "plans/up/c1/#u-1",
        plan: "上级",
    }
}

/// A measure with every list filled (`full`), or with everything that may be empty or
/// missing left so.
fn measure(id: &str, full: bool) -> MeasureView<'_> {
    let group = || LinkGroup {
        plan: "上级规划",
        alignment_url: "alignments/up/low/".to_string(),
        measures: (0..2)
            .map(|_| MeasureRef {
                id: "u-1",
                title: "甲\"乙\"",
                url: "plans/up/c1/#u-1",
                plan: "上级",
            })
            .collect(),
    };
    MeasureView {
        id,
        heading: if full {
            "（一）推进 <科技> 金融"
        } else {
            ""
        },
        title: "推进科技金融 & 绿色金融",
        body_html: "<p>正文。</p>".to_string(),
        taken_up_by: if full {
            vec![group(), group()]
        } else {
            Vec::new()
        },
        takes_up: if full { vec![group()] } else { Vec::new() },
        themes: (0..=usize::from(full))
            .map(|_| ThemeRef {
                slug: "green",
                name: "绿色金融",
            })
            .collect(),
        units: vec![
            UnitGroup {
                side: full.then_some("重庆"),
                names: vec![
                    UnitName {
                        name: "市金融局",
                        key: full.then_some("shi-jin-rong-ju"),
                    },
                    UnitName {
                        name: "人行'重庆'",
                        key: None,
                    },
                ],
            },
            UnitGroup {
                side: Some(""),
                names: vec![UnitName {
                    name: "省财政厅",
                    key: Some(""),
                }],
            },
        ],
        related: (0..if full { 3 } else { 0 })
            .map(|_| RelatedView {
                id: "r-1",
                title: "相关 <举措>",
                url: "plans/other/c2/#r-1",
                plan: "其他",
                reason: "碳排放权 · 绿色信贷",
                score: 0.5,
            })
            .collect(),
        implements: full.then(|| measure_link("t-1")),
        implemented_by: Some(if full {
            vec![measure_link("i-1"), measure_link("i-2")]
        } else {
            Vec::new()
        }),
        cite: if full {
            "《规划》第一章 举措 m-1".to_string()
        } else {
            String::new()
        },
    }
}

/// A chapter's page with every branch of the templates taken one way (`full`) or the other.
pub(super) fn page(full: bool) -> DivisionPage<'static> {
    let url = "plans/p/c1/";
    let mut chapter = toc("第一章　总则", url, 2);
    chapter.sections = Some(vec![
        TocEntry {
            gap: true,
            title: "… 本章共 40 节".to_string(),
            url,
            measures: None,
            sections: None,
        },
        toc("第一节", "plans/p/c1/s1/", 0),
    ]);
    let mut other = toc("第二章", "plans/p/c2/", 1);
    other.sections = Some(Vec::new());
    let gap = TocEntry {
        gap: true,
        title: "… 全部 30 章".to_string(),
        url: "plans/p/",
        measures: None,
        sections: None,
    };
    let title = if full { "第一章　总则" } else { "站点" };
    DivisionPage {
        title: title.to_string(),
        cite: if full {
            "《规划 & 方案》第一章".to_string()
        } else {
            String::new()
        },
        division: DivisionHead {
            number: if full { Some("第一章") } else { Some("") },
            title: "总则 <一>",
            full_title: "第一章　总则 <一>".to_string(),
            url,
            is_chapter: full,
        },
        intro_html: if full {
            "<p>导言</p>".to_string()
        } else {
            String::new()
        },
        measure_level: if full { 2 } else { 3 },
        plan: PlanView {
            slug: "p",
            url: "plans/p/",
            title: if full { "某某规划 \"2025\"" } else { "" },
            short_title: "某某规划",
            toc: vec![gap, chapter, other],
        },
        items: vec![
            Item::InterludeHtml("<h2>一、小标题</h2>".to_string()),
            Item::Box(BoxView {
                title: if full { "专栏1 <重点>" } else { "" },
                intro_html: if full {
                    "<p>专栏导言</p>".to_string()
                } else {
                    String::new()
                },
                measures: vec![measure("m-1", full), measure("m-2", !full)],
            }),
            Item::Measure(Box::new(measure("m-3", full))),
            Item::Measure(Box::new(measure("m-4", !full))),
        ],
        sections: if full {
            vec![
                toc("第一节", "plans/p/c1/s1/", 3),
                toc("第二节", "plans/p/c1/s2/", 0),
            ]
        } else {
            Vec::new()
        },
        prev: link("某某规划", "plans/p/"),
        next: full.then(|| link("第一节", "plans/p/c1/s1/")),
        crumbs: if full {
            vec![link("某某规划", "plans/p/"), link("第一章　总则", url)]
        } else {
            Vec::new()
        },
        common: common(
            "../../../",
            url.to_string(),
            full,
            if full {
                vec![link("帮助", "help/"), link("关于", "about/")]
            } else {
                Vec::new()
            },
        ),
    }
}

/// Every branch of the templates, both ways, as Tera renders the bundled templates.
#[test]
fn hand_made_pages_are_what_tera_makes_of_the_bundled_templates() {
    let templates = bundled_templates();
    for full in [true, false] {
        let page = page(full);
        let case = format!("full: {full}");
        assert_as_tera(&templates, "division.html", &page, division, &case);
    }
}

/// The keys base.html reads: where the page is (`root`, `url`, `permalink`), the breadcrumbs
/// and the site.
pub(super) const BASE_KEYS: [&str; 14] = [
    "root",
    "url",
    "permalink",
    "crumbs",
    "crumbs[].title",
    "crumbs[].url",
    "site",
    "site.title",
    "site.description",
    "site.language",
    "site.base_url",
    "site.pages",
    "site.pages[].title",
    "site.pages[].url",
];

/// Every key path of `value` below `at` (`a.b`, `a[].b`), into `out`.
pub(super) fn collect_paths(
    value: &serde_json::Value,
    at: &str,
    out: &mut std::collections::BTreeSet<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                out.insert(here.clone());
                collect_paths(v, &here, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_paths(v, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

/// A theme's own `division.html` reads the page's context: its keys are part of the theme
/// contract (README), the same as when it was a JSON tree.
#[test]
fn division_context_keeps_its_keys() {
    let mut found = std::collections::BTreeSet::new();
    collect_paths(&serde_json::to_value(page(true)).unwrap(), "", &mut found);
    let measure = [
        "id",
        "heading",
        "title",
        "body_html",
        "cite",
        "themes",
        "themes[].slug",
        "themes[].name",
        "units",
        "units[].side",
        "units[].names",
        "units[].names[].name",
        "units[].names[].key",
        "related",
        "related[].id",
        "related[].title",
        "related[].url",
        "related[].plan",
        "related[].reason",
        "related[].score",
        "implements",
        "implements.id",
        "implements.title",
        "implements.heading",
        "implements.url",
        "implements.plan",
        "implemented_by",
        "implemented_by[].id",
        "implemented_by[].title",
        "implemented_by[].heading",
        "implemented_by[].url",
        "implemented_by[].plan",
        "takes_up",
        "takes_up[].plan",
        "takes_up[].alignment_url",
        "takes_up[].measures",
        "takes_up[].measures[].id",
        "takes_up[].measures[].title",
        "takes_up[].measures[].url",
        "takes_up[].measures[].plan",
        "taken_up_by",
        "taken_up_by[].plan",
        "taken_up_by[].alignment_url",
        "taken_up_by[].measures",
        "taken_up_by[].measures[].id",
        "taken_up_by[].measures[].title",
        "taken_up_by[].measures[].url",
        "taken_up_by[].measures[].plan",
    ];
    let mut expected: std::collections::BTreeSet<String> = [
        "title",
        "cite",
        "intro_html",
        "measure_level",
        "division",
        "division.number",
        "division.title",
        "division.full_title",
        "division.url",
        "division.is_chapter",
        "plan",
        "plan.slug",
        "plan.url",
        "plan.title",
        "plan.short_title",
        "plan.toc",
        "plan.toc[].gap",
        "plan.toc[].title",
        "plan.toc[].url",
        "plan.toc[].measures",
        "plan.toc[].sections",
        "plan.toc[].sections[].gap",
        "plan.toc[].sections[].title",
        "plan.toc[].sections[].url",
        "plan.toc[].sections[].measures",
        "items",
        "items[].interlude_html",
        "items[].box",
        "items[].box.title",
        "items[].box.intro_html",
        "items[].box.measures",
        "items[].measure",
        "sections",
        "sections[].title",
        "sections[].url",
        "sections[].measures",
        "prev",
        "prev.title",
        "prev.url",
        "next",
        "next.title",
        "next.url",
    ]
    .into_iter()
    .chain(BASE_KEYS)
    .map(String::from)
    .collect();
    for at in ["items[].measure", "items[].box.measures[]"] {
        expected.extend(measure.iter().map(|k| format!("{at}.{k}")));
    }
    assert_eq!(found, expected);
}

use crate::model::Theme;
use crate::render::pages::themes::{
    PageLink, Pagination, PlanCount, ThemeGroup, ThemeLink, ThemeMeasure, ThemePage, ThemePlan,
};
use crate::render::views::Crumb;

fn theme_plan(slug: &'static str) -> ThemePlan<'static> {
    ThemePlan {
        slug,
        short_title: "某某 <规划>",
        title: "某某规划 \"2025\"",
        url: "plans/p/",
    }
}

fn page_link(number: usize) -> PageLink {
    PageLink {
        gap: false,
        number: Some(number),
        url: Some(format!("themes/green/page/{number}/")),
    }
}

/// Page `n` of 5 of a theme (`n` 0: a theme with no measures and one page), with plan counts
/// on page 1.
pub(super) fn theme_page(theme: &Theme, n: usize) -> ThemePage<'_> {
    let measure = |others: bool| ThemeMeasure {
        id: "m-1",
        title: "推进 <绿色> 金融 & 转型",
        excerpt: "引导银行机构加大\"绿色\"信贷投放…".to_string(),
        url: "plans/p/c1/#m-1",
        location: "第一章 › 第一节".to_string(),
        themes: if others {
            vec![
                ThemeLink {
                    slug: "fintech",
                    name: "金融科技",
                },
                ThemeLink {
                    slug: "rural",
                    name: "乡村 & 振兴",
                },
            ]
        } else {
            Vec::new()
        },
    };
    let paged = n > 0;
    let url = if n > 1 {
        format!("themes/green/page/{n}/")
    } else {
        "themes/green/".to_string()
    };
    ThemePage {
        title: if n > 1 {
            format!("{}（第 {n} 页）", theme.name)
        } else {
            theme.name.clone()
        },
        theme,
        count: if paged { 450 } else { 0 },
        indicators: Vec::new(),
        plan_counts: if n == 1 {
            vec![
                PlanCount {
                    plan: theme_plan("p"),
                    count: 300,
                },
                PlanCount {
                    plan: theme_plan("q"),
                    count: 150,
                },
            ]
        } else {
            Vec::new()
        },
        groups: if paged {
            vec![
                ThemeGroup {
                    plan: theme_plan("p"),
                    measures: vec![measure(true), measure(false)],
                },
                ThemeGroup {
                    plan: theme_plan("q"),
                    measures: vec![measure(false)],
                },
            ]
        } else {
            Vec::new()
        },
        pagination: paged.then(|| Pagination {
            current: n,
            total: 5,
            first: (n - 1) * 100 + 1,
            last: (n - 1) * 100 + 3,
            prev: (n > 1).then(|| page_link(n - 1)),
            next: (n < 5).then(|| page_link(n + 1)),
            pages: [Some(1), None, Some(n), Some(5)]
                .into_iter()
                .map(|k| match k {
                    Some(k) => page_link(k),
                    None => PageLink {
                        gap: true,
                        number: None,
                        url: None,
                    },
                })
                .collect(),
        }),
        crumbs: vec![
            Crumb {
                title: "政策主题".to_string(),
                url: "themes/".to_string(),
            },
            Crumb {
                title: theme.name.clone(),
                url: "themes/green/".to_string(),
            },
        ],
        common: common("../../", url, paged, vec![link("帮助", "help/")]),
    }
}

/// Every branch of `theme.html`, as Tera renders the bundled templates: the first page with
/// plan counts, middle and last pages of a paged list, and a theme without measures.
#[test]
fn hand_made_theme_pages_are_what_tera_makes_of_the_bundled_templates() {
    let templates = bundled_templates();
    assert!(templates.themes_compiled);
    let theme = Theme {
        slug: "green".to_string(),
        name: "绿色 <金融>".to_string(),
        definition: "碳减排 & \"转型\"金融".to_string(),
    };
    for n in [1, 3, 5, 0] {
        let page = theme_page(&theme, n);
        let case = format!("page {n}");
        assert_as_tera(&templates, "theme.html", &page, super::theme, &case);
    }
    recognises_only(&BUNDLED_THEME, renders_themes);
}

/// A theme's own `theme.html` reads the theme page's context: the keys it had as a JSON tree.
#[test]
fn theme_context_keeps_its_keys() {
    let theme = Theme {
        slug: "green".to_string(),
        name: "绿色金融".to_string(),
        definition: "定义".to_string(),
    };
    let mut found = std::collections::BTreeSet::new();
    for n in [1, 3] {
        let mut page = theme_page(&theme, n);
        page.indicators = super::concept_tests::concept_tables();
        collect_paths(&serde_json::to_value(page).unwrap(), "", &mut found);
    }
    let plan = ["slug", "short_title", "title", "url"];
    let mut expected: std::collections::BTreeSet<String> = [
        "title",
        "theme",
        "theme.slug",
        "theme.name",
        "theme.definition",
        "count",
        "indicators",
        "indicators[].slug",
        "indicators[].name",
        "indicators[].unit",
        "indicators[].rows",
        "plan_counts",
        "plan_counts[].plan",
        "plan_counts[].count",
        "groups",
        "groups[].plan",
        "groups[].measures",
        "groups[].measures[].id",
        "groups[].measures[].title",
        "groups[].measures[].excerpt",
        "groups[].measures[].url",
        "groups[].measures[].location",
        "groups[].measures[].themes",
        "groups[].measures[].themes[].slug",
        "groups[].measures[].themes[].name",
        "pagination",
        "pagination.current",
        "pagination.total",
        "pagination.first",
        "pagination.last",
        "pagination.prev",
        "pagination.prev.number",
        "pagination.prev.url",
        "pagination.next",
        "pagination.next.number",
        "pagination.next.url",
        "pagination.pages",
        "pagination.pages[].number",
        "pagination.pages[].url",
        "pagination.pages[].gap",
    ]
    .into_iter()
    .chain(BASE_KEYS)
    .map(String::from)
    .chain(super::concept_tests::ROW_KEYS.map(|k| format!("indicators[].rows[].{k}")))
    .collect();
    for at in ["plan_counts[].plan", "groups[].plan"] {
        expected.extend(plan.iter().map(|k| format!("{at}.{k}")));
    }
    assert_eq!(found, expected);
    // A page link is a number and a URL, a gap only `gap`, as the JSON tree had them.
    let gap = serde_json::to_value(PageLink {
        gap: true,
        number: None,
        url: None,
    })
    .unwrap();
    assert_eq!(gap, serde_json::json!({ "gap": true }));
    assert_eq!(
        serde_json::to_value(page_link(2)).unwrap(),
        serde_json::json!({ "number": 2, "url": "themes/green/page/2/" })
    );
    // A theme on one page has no pager: `pagination` is null, as the JSON tree had it.
    let single = serde_json::to_value(theme_page(&theme, 0)).unwrap();
    assert_eq!(single["pagination"], serde_json::Value::Null);
}

use crate::render::pages::units::{UnitMeasure, UnitPage, UnitView};

/// A unit's page, with a side and other names (`full`) or without, and with measures or none.
fn unit_page(full: bool, measures: usize) -> UnitPage<'static> {
    let url = "units/shi-jin-rong-ju/";
    UnitPage {
        title: "市金融局 <办>",
        unit: UnitView {
            name: "市金融局 <办>",
            side: if full { Some("重庆 & 四川") } else { None },
            other_names: if full {
                vec!["市金融监管局", "重庆市\"金融\"局"]
            } else {
                Vec::new()
            },
        },
        measures: (0..measures)
            .map(|k| UnitMeasure {
                link: measure_link(["i-1", "i-2", "i-3"][k % 3]),
                excerpt: format!("第{k}项 <摘要> & 说明"),
            })
            .collect(),
        crumbs: vec![
            crate::render::views::Crumb {
                title: "责任单位".to_string(),
                url: "units/".to_string(),
            },
            crate::render::views::Crumb {
                title: "市金融局 <办>".to_string(),
                url: url.to_string(),
            },
        ],
        common: hand_made_common(url, full),
    }
}

/// The bundled theme's templates, loaded as a site loads them.
pub(super) fn bundled_templates() -> crate::render::Templates {
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    crate::render::theme::load_every_template(&theme).unwrap()
}

/// Requires `write` to make of `page` what Tera makes of it with `template` of `templates`.
pub(super) fn assert_as_tera<P: serde::Serialize>(
    templates: &crate::render::Templates,
    template: &str,
    page: &P,
    write: fn(&P, &mut Vec<u8>),
    case: &str,
) {
    let context = tera::Context::from_serialize(page).unwrap();
    let expected = templates.tera.render(template, &context).unwrap();
    let mut out = Vec::new();
    write(page, &mut out);
    let ours = String::from_utf8(out).unwrap();
    assert!(ours == expected, "{case}\n{ours}\n---\n{expected}");
}

#[test]
fn hand_made_unit_pages_are_what_tera_makes_of_the_bundled_templates() {
    let templates = bundled_templates();
    assert!(templates.units_compiled);
    for (full, measures) in [(true, 3), (false, 1), (true, 0), (false, 0)] {
        let page = unit_page(full, measures);
        let case = format!("{full} {measures}");
        assert_as_tera(&templates, "unit.html", &page, super::unit, &case);
    }
    recognises_only(&BUNDLED_UNIT, renders_units);
}

/// A theme's own `unit.html` reads the unit page's context: the keys it had as a JSON tree.
#[test]
fn unit_context_keeps_its_keys() {
    let mut found = std::collections::BTreeSet::new();
    collect_paths(
        &serde_json::to_value(unit_page(true, 2)).unwrap(),
        "",
        &mut found,
    );
    let expected: std::collections::BTreeSet<String> = [
        "title",
        "unit",
        "unit.name",
        "unit.side",
        "unit.other_names",
        "measures",
        "measures[].id",
        "measures[].title",
        "measures[].heading",
        "measures[].url",
        "measures[].plan",
        "measures[].excerpt",
        "crumbs",
        "crumbs[].title",
        "crumbs[].url",
    ]
    .into_iter()
    .chain(BASE_KEYS)
    .map(String::from)
    .collect();
    assert_eq!(found, expected);
    // No side: `unit.side` is null, as the JSON tree had it.
    let single = serde_json::to_value(unit_page(false, 0)).unwrap();
    assert_eq!(single["unit"]["side"], serde_json::Value::Null);
}
