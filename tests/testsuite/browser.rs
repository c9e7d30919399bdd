//! Browser behaviour, checked in Debian's chromium through playwright-core (tests/browser/).
//! `scripts/test` installs both; without them these tests fail and say what to install.

use std::path::Path;
use std::process::Command;

/// One browser test at a time: each starts a site build and chromium, and the machine has two
/// cores; in parallel they would slow each other past the scripts' timeouts.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn require_browser() -> std::path::PathBuf {
    let dir = crate::common::repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed: run `scripts/test` (or `npm ci --prefix tests/browser`)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "chromium is not installed: run `scripts/test` (or `apt-get install chromium`)"
    );
    dir
}

/// Runs a browser script with node; fails the test with its output unless it succeeds.
fn run_script(script: &Path, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Where the browser scripts leave their screenshots.
fn artifacts() -> std::path::PathBuf {
    crate::common::repo().join("target/browser-artifacts")
}

/// Runs a browser script on the real site, served as built at the root of a local server, with
/// the site's address, the artifacts folder and `pages` as its arguments; one browser test at
/// a time.
fn run_on_real_site(script: &str, pages: &[&str]) -> String {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scripts = require_browser();
    let port = crate::common::serve_static(&crate::common::real_site().output);
    let base = format!("http://127.0.0.1:{port}/");
    let artifacts = artifacts();
    let mut args = vec![base.as_str(), artifacts.to_str().unwrap()];
    args.extend(pages);
    run_script(&scripts.join(script), &args)
}

#[test]
fn serve_reloads_the_open_page_and_shows_errors() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scripts = require_browser();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    planatlas::cmd::init::init(&site).unwrap();
    let server = crate::common::start_serve(&site);
    let port = server.port;
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    let url = format!("http://127.0.0.1:{port}/plans/example-plan/tasks/green/");
    let stdout = run_script(
        &scripts.join("live_reload.mjs"),
        &[&url, section.to_str().unwrap()],
    );
    assert_eq!(stdout.matches("ok: ").count(), 4);
}

#[test]
fn pages_fit_phones_and_keep_the_toc_in_view() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scripts = require_browser();
    let port = crate::common::serve_static(&crate::common::real_site().output);
    let pages = [
        "",
        "plans/sichuan-finance/",
        "themes/green-finance/",
        "indicators/",
        "help/",
        "plans/",
        "concepts/",
        "mappings/",
        "plans/sichuan-finance/general-requirements/targets/",
        "plans/sichuan-finance/financial-system/institutions/",
    ];
    let base = format!("http://127.0.0.1:{port}/");
    let args: Vec<&str> = std::iter::once(base.as_str()).chain(pages).collect();
    let stdout = run_script(&scripts.join("layout.mjs"), &args);
    assert_eq!(stdout.matches("ok: ").count(), pages.len() * 2 + 1);
}

#[test]
fn search_finds_chinese_words_phrases_and_indicators() {
    let stdout = run_on_real_site("search.mjs", &[]);
    assert_eq!(stdout.matches("ok: ").count(), 16);
}

#[test]
fn every_page_type_is_clean_accessible_and_navigable() {
    // Pages exactly as built (no live-reload script, whose long poll would keep the network busy).
    let site = crate::common::real_site();
    let unit = {
        let units = std::fs::read_to_string(site.output.join("data/units.json")).unwrap();
        let units: serde_json::Value = serde_json::from_str(&units).unwrap();
        units[0]["url"].as_str().unwrap().to_string()
    };
    let pages = [
        "",
        "plans/sichuan-finance/",
        "plans/sichuan-finance/financial-system/institutions/",
        "plans/chongqing-finance/financial-system/institutions/",
        "plans/",
        "themes/",
        "themes/green-finance/",
        "indicators/",
        "concepts/",
        "concepts/deposits/",
        "units/",
        unit.as_str(),
        "search/?q=绿色金融",
        "mappings/",
        "mappings/chengyu-wfc-rules/",
        "alignments/",
        "alignments/chengyu-wfc-plan/chongqing-finance/",
        "help/",
        "no/such/page/",
    ];
    let shown: Vec<&str> = pages
        .iter()
        .copied()
        .filter(|p| !p.starts_with("no/"))
        .collect();
    let stdout = run_on_real_site("pages.mjs", &shown);
    assert_eq!(stdout.matches("ok: ").count(), (pages.len() - 1) * 4 + 4);
    assert!(
        artifacts().join("home-390-light.png").exists()
            && artifacts().join("home-1280-dark.png").exists()
    );
}

/// The "引用" buttons copy GB/T 7714-style citations of a plan, a chapter, a section, a measure
/// and an indicator with their permalinks (the real content, served under a sub-path; this site
/// has no base_url, so the permalink is the address the page is read at); the cover shows its document head and folded
/// notes; the printout carries site name, plan title and permalink on every page and the measure
/// ids; axe is clean on these pages at 390 and 1280 px in both schemes.
#[test]
fn cite_buttons_copy_citations_and_printouts_carry_the_permalink() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scripts = require_browser();
    // Served under a sub-path (the folder's name), as on a host that holds other sites: the
    // relative links and the permalinks the buttons compute must hold there too.
    let output = &crate::common::real_site().output;
    let port = crate::common::serve_static(output.parent().unwrap());
    let folder = output.file_name().unwrap().to_str().unwrap();
    let base = format!("http://127.0.0.1:{port}/{folder}/");
    let artifacts = artifacts();
    std::fs::create_dir_all(&artifacts).unwrap();
    let cq = "重庆市人民政府. 重庆市金融改革发展“十四五”规划: 渝府发〔2022〕7号[A]. 2022-01-29";
    let chapter = "第四章　构建高质量金融发展体系";
    let section = "第六节　优化金融生态体系";
    let cover = "plans/chongqing-finance/";
    let ch = "plans/chongqing-finance/financial-system/";
    let sec = "plans/chongqing-finance/financial-system/ecosystem/";
    let expected = serde_json::json!({
        cover: {
            ".doc-actions .cite-button": format!("{cq}. {base}{cover}"),
            "#cq-ind-1 .cite-button": format!("{cq}: 指标表“专栏1 “十四五”金融发展主要预期指标”, 指标“金融业增加值占GDP比重”. {base}{cover}#cq-ind-1"),
        },
        ch: { ".page-cite .cite-button": format!("{cq}: {chapter}. {base}{ch}") },
        // On the indicators page too, an indicator's permalink is its row on the plan's cover.
        "indicators/": {
            "#cq-ind-1 .cite-button": format!("{cq}: 指标表“专栏1 “十四五”金融发展主要预期指标”, 指标“金融业增加值占GDP比重”. {base}{cover}#cq-ind-1"),
        },
        sec: {
            ".page-cite .cite-button": format!("{cq}: {chapter}, {section}. {base}{sec}"),
            "#cq-4-6-1 .cite-button": format!("{cq}: {chapter}, {section}, 举措 cq-4-6-1. {base}{sec}#cq-4-6-1"),
        },
        "plans/chengyu-wfc-plan/": {
            ".doc-actions .cite-button": format!("中国人民银行, 国家发展改革委, 财政部, 等. 成渝共建西部金融中心规划[A]. 2021-12-24. {base}plans/chengyu-wfc-plan/"),
        },
        "plans/sichuan-finance/": {
            ".doc-actions .cite-button": format!("四川省“十四五”金融业发展和改革规划[A]. {base}plans/sichuan-finance/"),
        },
    });
    let file = artifacts.join("cite-expected.json");
    std::fs::write(&file, serde_json::to_string_pretty(&expected).unwrap()).unwrap();
    let stdout = run_script(
        &scripts.join("cite.mjs"),
        &[
            &base,
            artifacts.to_str().unwrap(),
            file.to_str().unwrap(),
            // Its long measures, kept whole, left the first page half empty.
            "plans/chengyu-wfc-plan/main-tasks/financial-services/",
        ],
    );
    // 8 copies, cover and sichuan checks, 3 print checks, 6 pages × 4 axe runs.
    assert_eq!(
        stdout.matches("ok: ").count(),
        8 + 2 + 3 + 6 * 4,
        "{stdout}"
    );
}

#[test]
fn phones_get_a_compact_header_toggles_and_readable_tables() {
    let stdout = run_on_real_site("orient.mjs", &[]);
    // Nine header heights, then menu, toc, related, matrix (2), concept, indicators, no-JS, wide.
    assert_eq!(stdout.matches("ok: ").count(), 9 + 9);
    assert!(artifacts().join("orient-home-390.png").exists());
}
