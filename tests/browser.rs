//! Browser behaviour, checked in Debian's chromium through playwright-core (tests/browser/).
//! `scripts/test` installs both; without them these tests fail and say what to install.

mod common;

use std::path::Path;
use std::process::Command;

fn require_browser() -> std::path::PathBuf {
    let dir = common::repo().join("tests/browser");
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

#[test]
fn serve_reloads_the_open_page_and_shows_errors() {
    let scripts = require_browser();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    planatlas::init::init(&site).unwrap();
    let server = common::start_serve(&site);
    let port = server.port;
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    let url = format!("http://127.0.0.1:{port}/plans/example-plan/tasks/green/");
    let stdout = run_script(
        &scripts.join("live_reload.mjs"),
        &[&url, section.to_str().unwrap()],
    );
    assert_eq!(stdout.matches("ok: ").count(), 3);
}

#[test]
fn pages_fit_phones_and_keep_the_toc_in_view() {
    let scripts = require_browser();
    let site = common::copy_of_site();
    let server = common::start_serve(site.path());
    let pages = [
        "",
        "plans/sichuan-finance/",
        "themes/green-finance/",
        "indicators/",
        "help/",
        "plans/sichuan-finance/general-requirements/targets/",
        "plans/sichuan-finance/financial-system/institutions/",
    ];
    let base = format!("http://127.0.0.1:{}/", server.port);
    let args: Vec<&str> = std::iter::once(base.as_str()).chain(pages).collect();
    let stdout = run_script(&scripts.join("layout.mjs"), &args);
    assert_eq!(stdout.matches("ok: ").count(), pages.len() * 2 + 1);
}

#[test]
fn search_finds_chinese_words_phrases_and_indicators() {
    let scripts = require_browser();
    let site = common::copy_of_site();
    let server = common::start_serve(site.path());
    let base = format!("http://127.0.0.1:{}/", server.port);
    let stdout = run_script(&scripts.join("search.mjs"), &[&base]);
    assert_eq!(stdout.matches("ok: ").count(), 6);
}
