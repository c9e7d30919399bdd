//! Fidelity: every extract against its official text in `../shared/seeds/`.
//!
//! `corpus_matches_the_official_texts` runs the provenance check (`planatlas check --source`) on
//! all five plans: no extract block may be missing from its source, and coverage may not fall
//! below the floor recorded here (measured when the plans were extracted), so that an edit that
//! loses text fails. `sichuan_plan_is_verbatim` is stricter still for the Sichuan plan: its whole
//! text, read in order, equals the source.

use planatlas::content::load_site;
use planatlas::markdown::plain_text;
use planatlas::model::Site;
use planatlas::provenance::check_plan;

/// Plan slug, seed file prefix, least coverage in percent.
const CORPUS: &[(&str, &str, f64)] = &[
    ("sichuan-finance", "000", 99.5),
    ("chengyu-wfc-rules", "001", 99.5),
    ("chengyu-wfc-plan", "002", 98.5),
    ("yongchuan-finance", "003", 97.0),
    ("chongqing-finance", "004", 97.0),
];

fn site() -> Site {
    let (site, diagnostics) = load_site(&crate::common::repo());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    site.unwrap()
}

#[test]
fn corpus_matches_the_official_texts() {
    let seeds = crate::common::repo().join("../shared/seeds");
    if !seeds.is_dir() {
        println!(
            "provenance: {} is absent; nothing to compare",
            seeds.display()
        );
        return;
    }
    let site = site();
    let mut failures = Vec::new();
    for (slug, prefix, floor) in CORPUS {
        let plan = site
            .plans
            .iter()
            .find(|p| p.slug == *slug)
            .unwrap_or_else(|| panic!("no plan {slug}"));
        let report = check_plan(plan, &crate::common::seed(prefix));
        println!(
            "provenance: {slug}: {} blocks, {} not found, coverage {:.2}% of {} characters, {} passages of 20+ characters left out",
            report.blocks,
            report.missing.len(),
            report.coverage(),
            report.source_chars,
            report.gaps.len()
        );
        for gap in &report.gaps {
            println!("    left out (line {}): {}", gap.line, gap.text);
        }
        failures.extend(report.missing.iter().map(|d| d.to_string()));
        if report.coverage() < *floor {
            failures.push(format!(
                "{slug}: coverage {:.2}% fell below {floor}%",
                report.coverage()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

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
fn content_text(site: &Site, slug: &str) -> String {
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

#[test]
fn sichuan_plan_is_verbatim() {
    let source = normalise_source(&crate::common::seed("000"));
    // The indicator table is data in indicators.toml (checked cell by cell in build_real.rs).
    let table = "“十四五”金融业发展主要指标指标2020年基期值2025年目标值金融业增加值占GDP比重(%)6.97.3左右本外币存款余额(万亿元)9.1813.5本外币贷款余额(万亿元)7.111.5保费收入(亿元)2273.63000境内外上市公司(家)165220";
    assert_eq!(
        source.matches(table).count(),
        1,
        "the table region must stand once in the source"
    );
    let source = source.replace(table, "");
    let content = content_text(&site(), "sichuan-finance");
    if source != content {
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
        panic!("the content departs from the official text at character {at}\n source:  …{}…\n content: …{}…", window(&s), window(&c));
    }
}
