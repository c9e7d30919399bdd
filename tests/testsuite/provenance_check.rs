//! The provenance check itself, on small fixtures: what it finds, what it measures.

use std::fs;
use std::path::Path;
use std::process::Command;

use planatlas::content::load_site;
use planatlas::provenance::check_plan;

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";

/// The official text the `init` example plan is made from, as a scrape would give it.
const SOURCE: &str = "示例市金融业发展规划\n\n本规划是 planatlas 的示例。\n—2—\n第一章　主要任务\n围绕主要目标，推进以下任务。\n第一节　发展绿色金融\n主要指标\n绿色贷款余额（亿元）　１００　200以上\n扩大绿色信贷。引导银行机构加大绿色信贷投放。\n支持小微企业绿色转型。见扩大绿色信贷。\n本段文字在摘录中没有出现，长度超过二十个字符，应当列为遗漏。\n";

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    dir
}

fn report(root: &Path, source: &str) -> planatlas::provenance::Report {
    let (site, d) = load_site(root);
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    check_plan(&site.plans[0], source)
}

#[test]
fn a_faithful_extract_is_found_and_gaps_are_listed() {
    let dir = example();
    let r = report(dir.path(), SOURCE);
    assert!(r.missing.is_empty(), "{:#?}", r.missing);
    assert_eq!(r.gaps.len(), 1, "{:#?}", r.gaps);
    assert_eq!(r.gaps[0].line, 12);
    assert!(r.gaps[0].text.starts_with("本段文字在摘录中没有出现"));
    assert!(
        r.coverage() > 70.0 && r.coverage() < 90.0,
        "{}",
        r.coverage()
    );
}

#[test]
fn a_changed_word_is_reported_with_file_and_line() {
    let dir = example();
    let path = dir.path().join(SECTION);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "引导银行机构加大绿色信贷投放。",
            "引导银行机构大力加大绿色信贷投放。",
        ),
    )
    .unwrap();
    let r = report(dir.path(), SOURCE);
    assert_eq!(r.missing.len(), 1, "{:#?}", r.missing);
    let m = r.missing[0].to_string();
    assert!(
        m.starts_with(&format!(
            "{SECTION}:9: not found in the official text: “扩大绿色信贷。引导银行机构大力加大"
        )),
        "{m}"
    );
}

#[test]
fn indicator_numbers_must_occur_in_the_source() {
    let dir = example();
    let r = report(dir.path(), &SOURCE.replace("200以上", "300以上"));
    assert_eq!(r.missing.len(), 1, "{:#?}", r.missing);
    assert!(r.missing[0].to_string().contains("indicators.toml:3: indicator `ex-ind-1`: the target value `200以上` does not occur in the official text"), "{}", r.missing[0]);
}

#[test]
fn html_sources_and_full_width_forms_compare_equal() {
    let dir = example();
    let html = format!(
        "---\nlayout: post\n---\n{}",
        SOURCE
            .lines()
            .map(|l| format!("<p>{}</p>", l.replace("200", "２００")))
            .collect::<String>()
    );
    let r = report(dir.path(), &html);
    assert!(r.missing.is_empty(), "{:#?}", r.missing);
}

#[test]
fn the_cli_reports_and_fails() {
    let dir = example();
    let source = dir.path().join("source.txt");
    fs::write(&source, SOURCE).unwrap();
    let arg = format!("example-plan={}", source.display());
    let run = |min: &str| {
        Command::new(env!("CARGO_BIN_EXE_planatlas"))
            .args([
                "--root",
                dir.path().to_str().unwrap(),
                "check",
                "--source",
                &arg,
                "--min-coverage",
                min,
            ])
            .output()
            .unwrap()
    };
    let out = run("50");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("example-plan: ") && stdout.contains("0 not found in the source; coverage"),
        "{stdout}"
    );
    assert!(
        stdout.contains("left out (") && stdout.contains(":12): 本段文字"),
        "{stdout}"
    );
    let out = run("97");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("less than 97%"));
    let bad = Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args([
            "--root",
            dir.path().to_str().unwrap(),
            "check",
            "--source",
            "no-such-plan=x",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("there is no plan `no-such-plan`"));
}
