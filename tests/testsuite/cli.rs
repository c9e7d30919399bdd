//! The command line as users run it: init, build, check, serve.

use crate::common::{edit, new_site, planatlas, repo};

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn init_makes_a_site_that_builds() {
    let dir = new_site();
    let site = dir.path().join("site");
    let root = site.to_str().unwrap();
    let check = planatlas(&["--root", root, "check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!site.join("public").exists(), "check writes nothing");

    let out = planatlas(&[
        "--root",
        root,
        "build",
        "--base-url",
        "https://atlas.test/atlas/",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        fs::read_to_string(site.join("public/plans/example-plan/tasks/green/index.html")).unwrap();
    assert!(page.contains("扩大绿色信贷。"));
    assert!(
        page.contains("200以上"),
        "the indicators directive renders the table"
    );
    let help = fs::read_to_string(site.join("public/help/index.html")).unwrap();
    assert!(
        help.contains("hl-"),
        "fenced TOML is highlighted with classes"
    );
    let sitemap = fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://atlas.test/atlas/plans/example-plan/"));
    let feed = fs::read_to_string(site.join("public/atom.xml")).unwrap();
    assert!(
        feed.contains("<updated>2021-06-10T00:00:00Z</updated>")
            && feed.contains("示例市金融业发展规划"),
        "{feed}"
    );

    // --output and --no-minify.
    let other = dir.path().join("elsewhere");
    let out = planatlas(&[
        "--root",
        root,
        "build",
        "--output",
        other.to_str().unwrap(),
        "--no-minify",
    ]);
    assert!(out.status.success());
    let home = fs::read_to_string(other.join("index.html")).unwrap();
    assert!(
        home.contains("<html lang=\"zh-CN\">\n"),
        "unminified output keeps its layout"
    );

    // init refuses a folder that is not empty.
    let again = planatlas(&["init", root]);
    assert!(!again.status.success());
}

/// `init` ships the bundled site's whole theme list (slugs, names, definitions), so that a new
/// plan can be themed from the start; the example plan's themes are among them, and each theme
/// gets its page and its row in the open data.
#[test]
fn init_ships_every_theme_of_the_bundled_site() {
    let themes = |path: &std::path::Path| -> Vec<(String, String, String)> {
        let text = fs::read_to_string(path).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        value["theme"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let field = |k: &str| t[k].as_str().unwrap().to_string();
                (field("slug"), field("name"), field("definition"))
            })
            .collect()
    };
    let bundled =
        themes(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/themes.toml"));
    assert!(bundled.len() >= 20, "the bundled list: {}", bundled.len());

    let dir = new_site();
    let site = dir.path().join("site");
    assert_eq!(themes(&site.join("content/themes.toml")), bundled);
    assert_eq!(
        fs::read_to_string(site.join("content/glossary.toml")).unwrap(),
        fs::read_to_string(crate::common::repo().join("content/glossary.toml")).unwrap(),
        "a new site starts with the bundled instrument glossary"
    );

    let section =
        fs::read_to_string(site.join("content/plans/example-plan/01-tasks/01-green.md")).unwrap();
    for used in ["green-finance", "inclusive-finance"] {
        assert!(section.contains(used), "the example plan uses `{used}`");
        assert!(
            bundled.iter().any(|(slug, _, _)| slug == used),
            "`{used}` is a bundled theme"
        );
    }

    let out = planatlas(&["--root", site.to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("public/data/themes.json")).unwrap())
            .unwrap();
    let slugs: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    for (slug, name, _) in &bundled {
        assert!(
            slugs.contains(&slug.as_str()),
            "`{slug}` in data/themes.json"
        );
        let page = fs::read_to_string(site.join(format!("public/themes/{slug}/index.html")))
            .unwrap_or_else(|e| panic!("themes/{slug}/: {e}"));
        assert!(page.contains(name.as_str()), "themes/{slug}/ names {name}");
    }
}

#[test]
fn check_reports_every_problem_at_once() {
    let dir = new_site();
    let site = dir.path().join("site");
    let plan = site.join("content/plans/example-plan");
    // Unknown theme and duplicate id in one section, an unparseable indicator value, a missing
    // required field and bad TOML in front matter.
    edit(
        &plan.join("01-tasks/01-green.md"),
        "themes=\"green-finance\"}",
        "themes=\"green-financ\"}",
    );
    edit(
        &plan.join("01-tasks/01-green.md"),
        "{#ex-1-1-2",
        "{#ex-1-1-1",
    );
    edit(
        &plan.join("indicators.toml"),
        "value = \"200以上\"",
        "value = \"200亿元\"",
    );
    edit(&plan.join("plan.toml"), "short_title = \"示例规划\"\n", "");
    edit(
        &plan.join("01-tasks/_index.md"),
        "title = \"主要任务\"",
        "title = 主要任务",
    );
    // Broken internal links: a missing anchor and a missing file.
    edit(
        &plan.join("_index.md"),
        "本规划是 planatlas 的示例。",
        "本规划是 planatlas 的[示例](@/plans/example-plan/01-tasks/01-green.md#nope)。\n见[帮助](@/pages/nohelp.md)。",
    );

    let out = planatlas(&["--root", site.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let expected = [
        "error: content/plans/example-plan/01-tasks/01-green.md:9: measure `ex-1-1-1`: unknown theme `green-financ` (hint: did you mean `green-finance`?",
        "error: content/plans/example-plan/01-tasks/01-green.md:13: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9",
        "error: content/plans/example-plan/01-tasks/_index.md:3:9: invalid TOML: string values must be quoted",
        "error: content/plans/example-plan/_index.md:4:17: link to `@/plans/example-plan/01-tasks/01-green.md#nope`: that page has no such anchor",
        "error: content/plans/example-plan/_index.md:5:2: link to `@/pages/nohelp.md`: no such content file",
        "error: content/plans/example-plan/indicators.toml:3: indicator `ex-ind-1`: target value: `200亿元`: the number is followed by `亿元`, which is not a known qualifier",
        "error: content/plans/example-plan/plan.toml:1:1: missing field `short_title` (hint: add the field named in the message)",
        "7 problems in the content; nothing was written",
    ];
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (line, want) in lines.iter().zip(expected) {
        assert!(line.starts_with(want), "got:  {line}\nwant: {want}…");
    }
    assert!(!site.join("public").exists());
}

/// A failure outside the content prints what planatlas was doing on which template, then each
/// cause on its own line, as Tera reported them.
#[test]
fn a_template_that_fails_to_render_is_named_with_its_causes() {
    let dir = new_site();
    let site = dir.path().join("site");
    edit(
        &site.join("themes/default/templates/page.html"),
        "<h1>{{ title }}</h1>",
        "<h1>{{ title }}{{ no_such_value }}</h1>",
    );
    let out = planatlas(&["--root", site.to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: rendering page.html",
            "  caused by: Failed to render 'page.html'",
            "  caused by: Variable `no_such_value` not found in context while rendering 'page.html'",
        ],
        "{stderr}"
    );
    assert!(!site.join("public").exists(), "nothing was written");
}

/// With several templates failing, the error reported is the one of the first page in the
/// render's order (sections come before theme pages), whichever thread failed first; the pages
/// after it are not rendered at all.
#[test]
fn of_several_failing_templates_the_first_page_in_order_is_reported() {
    let dir = new_site();
    let site = dir.path().join("site");
    let templates = site.join("themes/default/templates");
    edit(
        &templates.join("division.html"),
        "{{ division.title }}</h1>",
        "{{ division.title }}{{ no_such_section_value }}</h1>",
    );
    edit(
        &templates.join("theme.html"),
        "<h1>{{ theme.name }}</h1>",
        "<h1>{{ theme.name }}{{ no_such_theme_value }}</h1>",
    );
    for _ in 0..3 {
        let out = planatlas(&["--root", site.to_str().unwrap(), "build"]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(
                "error: rendering division.html
"
            ) && stderr.contains("no_such_section_value")
                && !stderr.contains("no_such_theme_value"),
            "{stderr}"
        );
        assert!(!site.join("public").exists(), "nothing was written");
    }
}

/// An output folder that cannot be made: the message names the path and the action, the OS's
/// reason follows as the cause.
#[test]
fn an_output_folder_that_cannot_be_made_names_the_path_and_the_reason() {
    let dir = new_site();
    let site = dir.path().join("site");
    let file = site.join("notes.txt");
    fs::write(&file, "mine").unwrap();
    let output = file.join("public");
    let out = planatlas(&[
        "--root",
        site.to_str().unwrap(),
        "build",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: resolving {}\n  caused by: Not a directory (os error 20)\n",
            output.display()
        )
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}
/// A minimal HTTP/1.0 GET: (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn poll(port: u16, seen: u64) -> serde_json::Value {
    let (status, _, body) = get(port, &format!("/__planatlas/poll?v={seen}"));
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    // Pages compare it with the one they were served with: a page of an earlier `serve` reloads.
    assert!(json["epoch"].as_u64().is_some_and(|e| e > 0), "{json}");
    json
}

#[test]
fn serve_rebuilds_and_keeps_the_last_good_build() {
    let dir = new_site();
    let site = dir.path().join("site");
    let mut server = crate::common::start_serve(&site);
    let port = server.port;
    let mut first_line = String::new();
    {
        let stdout = server.child.stdout.as_mut().unwrap();
        let mut byte = [0u8; 1];
        while !first_line.contains("Serving") || !first_line.ends_with('\n') {
            assert_eq!(
                stdout.read(&mut byte).unwrap(),
                1,
                "serve said: {first_line}"
            );
            first_line.push(byte[0] as char);
        }
    }
    assert!(first_line.contains("http://127.0.0.1:"), "{first_line}");

    let (status, head, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"));
    assert!(
        body.contains("/__planatlas/poll"),
        "live reload script is injected"
    );
    let (status, _, body) = get(port, "/plans/example-plan");
    assert_eq!(status, 301, "{body}");
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("页面未找到"),
        "unknown paths get the site's 404 page"
    );
    for bad in [
        "/../content/site.toml",
        "/%2e%2e/content/site.toml",
        "/..%2fcontent/site.toml",
    ] {
        assert_eq!(get(port, bad).0, 404, "{bad}");
    }
    let (_, head, _) = get(port, "/data/plans.json");
    assert!(head.contains("content-type: application/json"));
    let version = poll(port, 0)["version"].as_u64().unwrap();

    // Many open pages waiting for a rebuild do not stop the server from serving.
    let waiting: Vec<_> = (0..12)
        .map(|_| std::thread::spawn(move || poll(port, version)))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(get(port, "/themes/").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a page waited behind long polls"
    );

    // A broken edit: the last good build stays served, the error is reported to open pages.
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    edit(&section, "themes=\"green-finance\"}", "themes=\"nope\"}");
    for w in waiting {
        let s = w.join().unwrap();
        assert!(
            s["error"]
                .as_str()
                .unwrap_or_default()
                .contains("unknown theme"),
            "{s}"
        );
    }
    let status = poll(port, version);
    let error = status["error"].as_str().unwrap_or_default();
    assert!(error.contains("unknown theme `nope`"), "{status}");
    let (code, _, body) = get(port, "/plans/example-plan/tasks/green/");
    assert_eq!(code, 200);
    assert!(
        body.contains("扩大绿色信贷。"),
        "the last good build is still served"
    );
    assert!(
        body.contains("unknown theme"),
        "the page carries the error for the overlay"
    );

    // A good edit: rebuilt, error gone, page changed.
    edit(&section, "themes=\"nope\"}", "themes=\"green-finance\"}");
    edit(
        &section,
        "引导银行机构加大绿色信贷投放。",
        "引导银行机构加大绿色信贷投放力度。",
    );
    let mut seen = status["version"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = poll(port, seen);
        seen = s["version"].as_u64().unwrap();
        if s["error"].is_null() {
            break;
        }
        assert!(Instant::now() < deadline, "no good rebuild: {s}");
    }
    let (_, _, body) = get(port, "/plans/example-plan/tasks/green/");
    assert!(body.contains("加大绿色信贷投放力度。"));
}

#[test]
fn serve_shows_errors_before_the_first_good_build() {
    let dir = new_site();
    let site = dir.path().join("site");
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    edit(&section, "themes=\"green-finance\"}", "themes=\"nope\"}");
    let server = crate::common::start_serve(&site);
    let port = server.port;
    let (status, head, body) = get(port, "/");
    assert_eq!(status, 404);
    assert!(head.contains("text/html"));
    assert!(
        body.contains("unknown theme `nope`") && body.contains("/__planatlas/poll"),
        "{body}"
    );
    let seen = poll(port, 0)["version"].as_u64().unwrap();
    edit(&section, "themes=\"nope\"}", "themes=\"green-finance\"}");
    let status = poll(port, seen);
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(get(port, "/").0, 200);
}

#[test]
fn synth_is_deterministic_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::repo();
    let make = |name: &str, seed: &str| {
        let out = dir.path().join(name);
        let o = planatlas(&[
            "--root",
            root.to_str().unwrap(),
            "synth",
            "--plans",
            "3",
            "--measures",
            "20",
            "--out",
            out.to_str().unwrap(),
            "--seed",
            seed,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };
    let a = make("a", "7");
    let b = make("b", "7");
    let c = make("c", "8");
    assert_eq!(
        crate::common::read_tree(&a.join("content")),
        crate::common::read_tree(&b.join("content")),
        "the same seed gives the same corpus"
    );
    assert_ne!(
        crate::common::read_tree(&a.join("content")),
        crate::common::read_tree(&c.join("content"))
    );
    let check = planatlas(&["--root", a.to_str().unwrap(), "check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("3 plans, 60 measures"), "{stdout}");
}

#[test]
fn builds_are_quiet_off_a_terminal_and_silent_with_quiet() {
    let dir = new_site();
    let root = dir.path().join("site");
    let root = root.to_str().unwrap();
    // With a base URL: a build without one warns (builds_without_a_real_base_url_warn_…).
    let out = planatlas(&["--root", root, "build", "--base-url", "https://atlas.test/"]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "no progress lines when standard error is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "one summary line"
    );
    let quiet = planatlas(&["--root", root, "build", "--quiet"]);
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
}

/// `check --timings` times every phase of a build and writes nothing, as `build --timings`
/// times them: the way to time a large corpus without writing its files.
#[test]
fn check_and_build_print_the_same_phases_with_timings() {
    let dir = new_site();
    let site = dir.path().join("site");
    let root = site.to_str().unwrap();
    let phases = |out: &std::process::Output| -> Vec<String> {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("Phases: "))
            .unwrap_or_else(|| panic!("no phases:\n{text}"));
        // Read from /proc: printed where there is one.
        if cfg!(target_os = "linux") {
            assert!(text.contains("Peak memory: "), "{text}");
        }
        // Names may hold a comma ("pages and open data, in parallel"): each ends at its time.
        let time = regex::Regex::new(r"(.+?) \d+\.\d ms(?:, |$)").unwrap();
        let names: Vec<String> = time.captures_iter(line).map(|c| c[1].to_string()).collect();
        assert_eq!(time.replace_all(line, ""), "", "{line}");
        names
    };
    let check = phases(&planatlas(&["--root", root, "check", "--timings"]));
    assert!(!site.join("public").exists(), "check writes nothing");
    let build = phases(&planatlas(&["--root", root, "build", "--timings"]));
    for phase in [
        "load",
        "analyse: related measures",
        "render",
        "search index",
    ] {
        assert!(check.iter().any(|p| p == phase), "{phase}: {check:?}");
    }
    // The build's extra phases are its writing.
    let written: Vec<&String> = build.iter().filter(|p| !check.contains(p)).collect();
    assert!(written.iter().all(|p| p.contains("write")), "{written:?}");
    let untimed = planatlas(&["--root", root, "check"]);
    assert!(!String::from_utf8_lossy(&untimed.stdout).contains("Phases: "));
    // Apart: the same phases, the side-by-side lap named for what it is.
    let apart = phases(&planatlas(&[
        "--root",
        root,
        "check",
        "--timings",
        "--apart",
    ]));
    let lap = "search index, pages and open data, one after another";
    assert!(apart.iter().any(|p| p == lap), "{apart:?}");
    assert_eq!(
        apart.iter().filter(|p| *p != lap).collect::<Vec<_>>(),
        check
            .iter()
            .filter(|p| !p.contains("in parallel"))
            .collect::<Vec<_>>()
    );
    let refused = planatlas(&["--root", root, "check", "--apart"]);
    assert!(!refused.status.success(), "--apart needs --timings");
}

/// Apart, `check --timings` also prints the peak memory of each phase that ran alone: every
/// phase of the analysis and after it, load and validation, none that holds others; each at
/// most the whole run's peak, and the largest of them that peak. Side by side, no phase's.
#[test]
#[cfg(target_os = "linux")]
fn phases_run_apart_print_each_ones_peak_memory() {
    let root = repo();
    let root = root.to_str().unwrap();
    let out = planatlas(&["--root", root, "check", "--timings", "--apart"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mib = |s: &str| -> f64 { s.parse().unwrap_or_else(|_| panic!("{s}: {text}")) };
    let whole = text
        .lines()
        .find_map(|l| l.strip_prefix("Peak memory: "))
        .and_then(|l| l.strip_suffix(" MiB"))
        .map(mib)
        .unwrap_or_else(|| panic!("no peak: {text}"));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("Phases' peak memory: "))
        .unwrap_or_else(|| panic!("no phases' peaks: {text}"));
    let peak = regex::Regex::new(r"(.+?) (\d+\.\d) MiB(?:, |$)").unwrap();
    let peaks: Vec<(String, f64)> = peak
        .captures_iter(line)
        .map(|c| (c[1].to_string(), mib(&c[2])))
        .collect();
    assert_eq!(peak.replace_all(line, ""), "", "{line}");
    let names: Vec<&str> = peaks.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "load",
            "validate",
            "analyse: segmentation and weights",
            "analyse: mappings and units",
            "analyse: related measures",
            "analyse: alignment index",
            "analyse: alignments",
            "render",
            "assemble",
            "search index",
        ]
    );
    for (name, mib) in &peaks {
        // The real content's model and jieba's dictionary are resident in every phase.
        // Sampled and the kernel's own peak are per-CPU counts summed as they stand: a sample
        // may be a little over, the more so the more CPUs.
        assert!(
            *mib > 10.0 && *mib <= whole * 1.02 + 1.0,
            "{name} {mib} MiB, the whole {whole} MiB"
        );
    }
    let largest = peaks.iter().map(|(_, mib)| *mib).fold(0.0, f64::max);
    // The whole run's peak is some phase's: between the readings, only the laps' own steps.
    assert!(largest >= whole * 0.95, "{largest} MiB of {whole} MiB");
    let side_by_side = planatlas(&["--root", root, "check", "--timings"]);
    let text = String::from_utf8_lossy(&side_by_side.stdout);
    assert!(
        text.contains("Peak memory: ") && !text.contains("Phases' peak memory"),
        "{text}"
    );
}

#[test]
fn builds_on_a_terminal_show_phases_and_a_page_count() {
    // `script` (util-linux, in every Debian) runs the build on a pseudo-terminal.
    let dir = new_site();
    let root = dir.path().join("site");
    let command = format!(
        "{} --root {} build",
        env!("CARGO_BIN_EXE_planatlas"),
        root.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("script runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for phase in [
        "load:",
        "validate:",
        "analyse:",
        "pages and open data, in parallel",
    ] {
        assert!(
            text.contains(phase),
            "no {phase} line on a terminal:\n{text}"
        );
    }
    assert!(
        regex::Regex::new(r"render: \d+/\d+ pages")
            .unwrap()
            .is_match(&text),
        "no page count while rendering:\n{text}"
    );
}

/// `base_url`: a build without one, or with a placeholder host, warns and writes nothing that
/// would point at a host that is not the site's (canonical links, sitemap, feed, permalinks in
/// the open data); with a real one, all of them carry it.
#[test]
fn builds_without_a_real_base_url_warn_and_leave_absolute_links_out() {
    let dir = crate::common::new_site();
    let site = dir.path().join("site");
    let root = site.to_str().unwrap();
    let cover = "public/plans/example-plan/index.html";
    for args in [
        vec!["--root", root, "build"],
        vec![
            "--root",
            root,
            "build",
            "--base-url",
            "https://example.org/",
        ],
        vec![
            "--root",
            root,
            "build",
            "--base-url",
            "https://www.example.com/atlas/",
        ],
    ] {
        let out = planatlas(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("warning: ") && stderr.contains("no sitemap.xml or atom.xml"),
            "{args:?}: {stderr}"
        );
        let page = fs::read_to_string(site.join(cover)).unwrap();
        assert!(
            !page.contains("canonical") && !page.contains("example."),
            "{args:?}"
        );
        assert!(!site.join("public/sitemap.xml").exists(), "{args:?}");
        assert!(!site.join("public/atom.xml").exists(), "{args:?}");
        let robots = fs::read_to_string(site.join("public/robots.txt")).unwrap();
        assert!(!robots.contains("Sitemap"), "{args:?}");
        let plans = fs::read_to_string(site.join("public/data/plans.json")).unwrap();
        assert!(plans.contains("\"permalink\": null") || plans.contains("\"permalink\":null"));
        assert!(!plans.contains("example."), "{args:?}");
    }
    let out = planatlas(&[
        "--root",
        root,
        "build",
        "--base-url",
        "https://atlas.test/a/",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("warning"),
        "{stderr}"
    );
    let page = fs::read_to_string(site.join(cover)).unwrap();
    assert!(page.contains("https://atlas.test/a/plans/example-plan/"));
    assert!(site.join("public/sitemap.xml").exists() && site.join("public/atom.xml").exists());
}
