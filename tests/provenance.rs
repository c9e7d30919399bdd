//! Fidelity: the text of each extracted plan, read in order, is the official text.
//!
//! Both sides are compared with all whitespace removed (the scrape's line breaks and spaces are
//! not text), page numbers dropped and `．` in numbers read as `.`. Regions that the content
//! keeps as data instead of text (indicator tables) are named and cut from the source.

mod common;

use planatlas::load::load_site;
use planatlas::markdown::plain_text;

fn normalise_source(text: &str) -> String {
    let page_number = regex::Regex::new(r"^\s*—\d+—\s*$").unwrap();
    text.lines()
        .filter(|l| !page_number.is_match(l))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('．', ".")
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The plan's text in reading order, as the site shows it.
fn content_text(slug: &str) -> String {
    let (site, diagnostics) = load_site(&common::repo());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let site = site.unwrap();
    let plan = site.plans.iter().find(|p| p.slug == slug).unwrap();
    let mut out = plain_text(&plan.preamble.source);
    for chapter in &plan.chapters {
        let divisions =
            std::iter::once(&chapter.division).chain(chapter.sections.iter().map(|s| &s.division));
        for d in divisions {
            out.push_str(d.number.as_deref().unwrap_or(""));
            out.push_str(&d.title);
            out.push_str(&plain_text(&d.intro.source));
            for m in &d.measures {
                out.push_str(&m.text);
            }
        }
    }
    squeeze(&out)
}

fn assert_same(slug: &str, source: &str, content: &str) {
    if source == content {
        return;
    }
    let s: Vec<char> = source.chars().collect();
    let c: Vec<char> = content.chars().collect();
    let at = s
        .iter()
        .zip(&c)
        .position(|(a, b)| a != b)
        .unwrap_or(s.len().min(c.len()));
    let window = |v: &[char]| {
        v[at.saturating_sub(30)..(at + 40).min(v.len())]
            .iter()
            .collect::<String>()
    };
    panic!(
        "{slug}: the content departs from the official text at character {at} (source {} chars, content {} chars)\n source:  …{}…\n content: …{}…",
        s.len(),
        c.len(),
        window(&s),
        window(&c)
    );
}

#[test]
fn sichuan_plan_is_verbatim() {
    let source = normalise_source(&common::seed("000"));
    // The indicator table is data in indicators.toml (checked cell by cell in build_real.rs).
    let table = "“十四五”金融业发展主要指标指标2020年基期值2025年目标值金融业增加值占GDP比重(%)6.97.3左右本外币存款余额(万亿元)9.1813.5本外币贷款余额(万亿元)7.111.5保费收入(亿元)2273.63000境内外上市公司(家)165220";
    assert_eq!(
        source.matches(table).count(),
        1,
        "the table region must stand once in the source"
    );
    let source = source.replace(table, "");
    assert_same("sichuan-finance", &source, &content_text("sichuan-finance"));
}
