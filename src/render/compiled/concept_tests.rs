//! Tests of the compiled concept tables: an indicator concept's page and a theme's page with
//! indicator comparisons, hand-made with rows that take every branch of
//! `partials/concept_table.html`, against Tera; and the keys of their context.

use super::tests::{
    assert_as_tera, bundled_templates, collect_paths, hand_made_common, recognises_only,
    theme_page, BASE_KEYS,
};
use super::*;
use crate::model::{Concept, Theme};
use crate::render::pages::indicators::{
    ConceptPage, ConceptRow, ConceptTable, GrowthView, RowPlan,
};
use crate::render::pages::themes::ThemeLink;
use crate::render::views::Crumb;
use crate::render::views::ObservationView;

/// The keys of a row of a concept's table.
pub(super) const ROW_KEYS: [&str; 31] = [
    "plan",
    "plan.short_title",
    "plan.url",
    "id",
    "name",
    "unit",
    "url",
    "baseline",
    "baseline.year",
    "baseline.raw",
    "baseline.value",
    "baseline.text",
    "baseline.qualifier",
    "baseline.cumulative",
    "baseline.given",
    "baseline.absent",
    "target",
    "target.year",
    "target.raw",
    "target.value",
    "target.text",
    "target.qualifier",
    "target.cumulative",
    "target.given",
    "target.absent",
    "baseline_in_unit",
    "target_in_unit",
    "growth",
    "growth.kind",
    "growth.text",
    "chart",
];

/// A value as the source writes it, given or not (`—`), in `year`.
fn observation(raw: &'static str, given: bool, year: Option<u16>) -> ObservationView<'static> {
    ObservationView {
        year,
        raw: Some(raw),
        value: given.then_some(1.5),
        text: None,
        qualifier: None,
        cumulative: false,
        given,
        absent: false,
    }
}

/// Rows taking every branch: no baseline at all, a baseline the source prints as `—`, years or
/// none, values in the concept's unit or none, growth or none, a chart or none, a unit or none;
/// with markup in the texts.
pub(super) fn concept_rows() -> Vec<ConceptRow<'static>> {
    let row = |k: usize| ConceptRow {
        plan: RowPlan {
            short_title: ["甲 <规划>", "乙规划", "丙 & 丁"][k % 3],
            url: "plans/p/",
        },
        id: "i-1",
        name: "金融业增加值 <占比>",
        unit: ["亿元", "", "%"][k % 3],
        url: format!("plans/p/#i-{k}"),
        baseline: match k % 3 {
            0 => ObservationView::of(None),
            1 => observation("—", false, Some(2020)),
            // A year 0 is false to Tera: no year is shown.
            _ => observation("3,000 & 以上", true, Some(0).filter(|_| k > 2)),
        },
        target: if k.is_multiple_of(2) {
            observation("5000", true, Some(2025))
        } else {
            observation("—", false, None)
        },
        baseline_in_unit: (k % 3 == 2).then(|| "3000".to_string()),
        target_in_unit: (k.is_multiple_of(2)).then(|| "5,000 <亿>".to_string()),
        growth: (k.is_multiple_of(2)).then(|| GrowthView {
            kind: "cagr",
            text: "+8.4%/年".to_string(),
        }),
        chart: if k.is_multiple_of(2) {
            "<svg role=\"img\" aria-label=\"a\"><rect width=\"3\"></rect></svg>".to_string()
        } else {
            String::new()
        },
    };
    (0..6).map(row).collect()
}

/// Two concepts' tables for a theme's first page.
pub(super) fn concept_tables() -> Vec<ConceptTable<'static>> {
    vec![
        ConceptTable {
            slug: "gdp",
            name: "金融业 <增加值>",
            unit: "亿元",
            rows: concept_rows(),
        },
        ConceptTable {
            slug: "loans",
            name: "贷款",
            unit: "%",
            rows: Vec::new(),
        },
    ]
}

static CONCEPT: std::sync::LazyLock<Concept> = std::sync::LazyLock::new(|| Concept {
    slug: "gdp".to_string(),
    name: "金融业 <增加值> & 占比".to_string(),
    unit: "亿元".to_string(),
    themes: vec!["green".to_string()],
    line: 1,
});

fn concept_page(full: bool) -> ConceptPage<'static> {
    let url = "concepts/gdp/";
    ConceptPage {
        title: &CONCEPT.name,
        concept: &CONCEPT,
        themes: if full {
            vec![
                ThemeLink {
                    slug: "green",
                    name: "绿色 <金融>",
                },
                ThemeLink {
                    slug: "fintech",
                    name: "金融科技",
                },
            ]
        } else {
            Vec::new()
        },
        rows: if full { concept_rows() } else { Vec::new() },
        crumbs: vec![
            Crumb {
                title: "指标对照".to_string(),
                url: "concepts/".to_string(),
            },
            Crumb {
                title: CONCEPT.name.clone(),
                url: url.to_string(),
            },
        ],
        common: hand_made_common(url, full),
    }
}

#[test]
fn hand_made_concept_pages_are_what_tera_makes_of_the_bundled_templates() {
    let templates = bundled_templates();
    assert!(templates.concepts_compiled && templates.concept_tables_compiled);
    for full in [true, false] {
        let case = format!("{full}");
        assert_as_tera(
            &templates,
            "concept.html",
            &concept_page(full),
            super::concept,
            &case,
        );
    }
    recognises_only(&BUNDLED_CONCEPT, renders_concepts);
    // Theme pages with tables need the table's template as well as the theme's.
    let mut templates: Vec<(String, String)> = BUNDLED_THEME
        .iter()
        .chain(&BUNDLED_CONCEPT[2..])
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    assert!(renders_concept_tables(&templates));
    templates.last_mut().unwrap().1.push(' ');
    assert!(!renders_concept_tables(&templates));
}

#[test]
fn hand_made_theme_pages_with_indicator_tables_are_what_tera_makes() {
    let templates = bundled_templates();
    let theme = Theme {
        slug: "green".to_string(),
        name: "绿色 <金融>".to_string(),
        definition: "碳减排 & \"转型\"金融".to_string(),
    };
    for n in [1, 0] {
        let mut page = theme_page(&theme, n);
        page.indicators = concept_tables();
        let case = format!("page {n}");
        assert_as_tera(&templates, "theme.html", &page, super::theme, &case);
    }
}

/// A theme's own `concept.html` reads the page's context: the keys it had as a JSON tree.
#[test]
fn concept_context_keeps_its_keys() {
    let mut found = std::collections::BTreeSet::new();
    let page = serde_json::to_value(concept_page(true)).unwrap();
    collect_paths(&page, "", &mut found);
    let expected: std::collections::BTreeSet<String> = [
        "title",
        "concept",
        "concept.slug",
        "concept.name",
        "concept.unit",
        "concept.themes",
        "themes",
        "themes[].slug",
        "themes[].name",
        "rows",
    ]
    .into_iter()
    .chain(BASE_KEYS)
    .map(String::from)
    .chain(ROW_KEYS.map(|k| format!("rows[].{k}")))
    .collect();
    assert_eq!(found, expected);
    // No baseline: every key of it null but `absent`; no growth: null, as the JSON tree had it.
    let absent = &page["rows"][0]["baseline"];
    assert_eq!(absent["absent"], true);
    assert_eq!(absent["raw"], serde_json::Value::Null);
    assert_eq!(page["rows"][1]["growth"], serde_json::Value::Null);
}
