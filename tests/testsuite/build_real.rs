//! Builds the real content and checks the output a reader and a crawler get.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;

use crate::common::*;

/// The real site's files, from the build shared by the whole test run.
pub(crate) fn built() -> &'static BTreeMap<String, Vec<u8>> {
    &real_site().files
}

pub(crate) fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing"))
            .clone(),
    )
    .unwrap()
}

/// Measure ids as written in the content files, found independently of the loader.
pub(crate) fn content_measure_ids() -> Vec<String> {
    let re = regex::Regex::new(r"(?m)^### .*\{#([^\s}]+)").unwrap();
    let mut ids = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content/plans")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(entry.path()).unwrap();
            ids.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
        }
    }
    ids
}

#[test]
fn every_chapter_and_section_has_a_page() {
    let files = built();
    let plans = repo().join("content/plans");
    let mut count = 0;
    for plan in fs::read_dir(&plans).unwrap().flatten() {
        let slug = plan.file_name().to_string_lossy().into_owned();
        assert!(
            files.contains_key(&format!("plans/{slug}/index.html")),
            "cover of {slug}"
        );
        for chapter in fs::read_dir(plan.path()).unwrap().flatten() {
            let name = chapter.file_name().to_string_lossy().into_owned();
            let Some((_, chapter_slug)) = name.split_once('-') else {
                continue;
            };
            if chapter.path().is_dir() {
                assert!(
                    files.contains_key(&format!("plans/{slug}/{chapter_slug}/index.html")),
                    "{name}"
                );
                for section in fs::read_dir(chapter.path()).unwrap().flatten() {
                    let sname = section.file_name().to_string_lossy().into_owned();
                    if sname == "_index.md" {
                        continue;
                    }
                    let section_slug = sname
                        .trim_end_matches(".md")
                        .split_once('-')
                        .unwrap()
                        .1
                        .to_string();
                    let page = format!("plans/{slug}/{chapter_slug}/{section_slug}/index.html");
                    assert!(files.contains_key(&page), "missing {page}");
                    count += 1;
                }
            }
        }
    }
    assert!(
        count >= 22,
        "the Sichuan plan alone has 22 sections, found {count}"
    );
}

#[test]
fn every_measure_is_one_anchor() {
    let files = built();
    let ids = content_measure_ids();
    assert!(
        ids.len() >= 46,
        "Sichuan alone has 46 measures, found {}",
        ids.len()
    );
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (path, bytes) in files {
        if path.ends_with(".html") {
            for id in attr_values(&String::from_utf8_lossy(bytes), "id") {
                *seen.entry(id).or_default() += 1;
            }
        }
    }
    for id in &ids {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "measure {id} must be an anchor exactly once on the site"
        );
    }
}

/// Resolves `href` (relative to the page at `page`) to an output file path and an anchor.
pub(crate) fn resolve(page: &str, href: &str) -> (String, Option<String>) {
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if path.is_empty() {
        return (page.to_string(), anchor);
    }
    for seg in path.split('/') {
        match seg {
            ".." => {
                assert!(parts.pop().is_some(), "{page}: link {href} leaves the site");
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if path.ends_with('/') || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    (file, anchor)
}

#[test]
fn every_internal_link_resolves() {
    let files = built();
    let mut anchors: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (path, bytes) in files {
        if path.ends_with(".html") {
            anchors.insert(
                path,
                attr_values(&String::from_utf8_lossy(bytes), "id")
                    .into_iter()
                    .collect(),
            );
        }
    }
    let mut checked = 0;
    for (page, bytes) in files {
        if !page.ends_with(".html") || page == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
            {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{page}: {href} is root-relative and breaks under a sub-path"
            );
            let (file, anchor) = resolve(page, &href);
            assert!(
                files.contains_key(&file),
                "{page}: {href} → {file} does not exist"
            );
            if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                assert!(
                    anchors[file.as_str()].contains(&a),
                    "{page}: {href} → no #{a} in {file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn indicator_table_shows_the_source_numbers() {
    let files = built();
    let cover = text(files, "plans/sichuan-finance/index.html");
    let seed: String = seed("000")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('．', ".");
    // name(unit)baseline target, as the source's table rows read once spaces are gone.
    let rows = [
        ("sc-ind-1", "金融业增加值占GDP比重(%)", "6.9", "7.3左右"),
        ("sc-ind-2", "本外币存款余额(万亿元)", "9.18", "13.5"),
        ("sc-ind-3", "本外币贷款余额(万亿元)", "7.1", "11.5"),
        ("sc-ind-4", "保费收入(亿元)", "2273.6", "3000"),
        ("sc-ind-5", "境内外上市公司(家)", "165", "220"),
    ];
    let html_rows: HashMap<String, Vec<String>> = table_rows(&cover)
        .into_iter()
        .filter(|(id, _)| id.starts_with("sc-ind-"))
        .collect();
    for (id, name_unit, baseline, target) in rows {
        assert!(
            seed.contains(&format!("{name_unit}{baseline}{target}")),
            "the source row {name_unit} reads otherwise"
        );
        let cells = &html_rows[id];
        assert_eq!(&cells[1], baseline, "{id} baseline");
        assert_eq!(&cells[2], target, "{id} target");
    }
    assert!(cover.contains("2020年基期值") && cover.contains("2025年目标值"));
    // The table also stands where the plan places it.
    let targets = text(
        files,
        "plans/sichuan-finance/general-requirements/targets/index.html",
    );
    assert!(targets.contains("7.3左右") && targets.contains("2273.6"));
}

#[test]
fn builds_are_byte_identical() {
    // A second build, into another folder and another process's thread, against the shared one.
    let dir = tempfile::tempdir().unwrap();
    build(&repo(), &dir.path().join("b"), None).unwrap();
    let a = built();
    let b = read_tree(&dir.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
}

/// With the phases run one at a time (`check --timings --apart`) a build makes the same files,
/// byte for byte, as with them side by side, and times each phase on its own.
#[test]
fn phases_run_apart_make_the_same_site() {
    let held = |apart: bool| {
        let mut options = planatlas::BuildOptions::new(repo());
        options.phases_apart = apart;
        planatlas::build_in_memory(&options).unwrap()
    };
    let files = |built: &planatlas::build::Built| -> BTreeMap<String, Vec<u8>> {
        built.files.iter().cloned().collect()
    };
    let (held, side_by_side_built) = (held(true), held(false));
    let (apart, side_by_side) = (files(&held), files(&side_by_side_built));
    let paths = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<BTreeSet<_>>();
    let (a, b) = (paths(&apart), paths(&side_by_side));
    assert!(
        a == b,
        "only apart: {:?}, only side by side: {:?}",
        &a - &b,
        &b - &a
    );
    assert!(a.len() > 200);
    for (path, bytes) in &side_by_side {
        assert!(
            bytes == &apart[path],
            "{path} differs when the phases run apart"
        );
    }
    let phases: Vec<&str> = held.stats.phases.iter().map(|p| p.name).collect();
    for phase in [
        "analyse: related measures",
        "search index",
        "render",
        "assemble",
    ] {
        assert!(phases.contains(&phase), "{phase} in {phases:?}");
    }
    assert!(phases.contains(&"search index, pages and open data, one after another"));
    // Apart, each phase that ran alone has its peak memory (on Linux); a lap that holds others
    // has none, nor has any phase side by side.
    let outer = [
        "analyse",
        "search index, pages and open data, one after another",
    ];
    for phase in &held.stats.phases {
        let alone = !outer.contains(&phase.name);
        assert_eq!(
            phase.peak_kib.is_some(),
            alone && cfg!(target_os = "linux"),
            "{phase:?}"
        );
    }
    let phases = &side_by_side_built.stats.phases;
    assert!(phases.iter().all(|p| p.peak_kib.is_none()), "{phases:?}");
}

/// `planatlas check` makes every file a build makes (so it meets any error a build would) and
/// keeps none of them: the same files and bytes as a build held in memory.
#[test]
fn a_check_makes_every_file_and_keeps_none() {
    let options = planatlas::BuildOptions::new(repo());
    let checked = planatlas::build_and_discard(&options).unwrap();
    let held = planatlas::build_in_memory(&options).unwrap();
    assert_eq!(checked.files, held.files.len());
    assert_eq!(
        checked.bytes,
        held.files.iter().map(|(_, b)| b.len()).sum::<usize>()
    );
    assert_eq!(
        (checked.pages, checked.measures, checked.plans),
        (held.stats.pages, held.stats.measures, held.stats.plans)
    );
    assert!(checked.files > 200 && checked.bytes > 1_000_000);
}

#[test]
fn a_broken_copy_fails_and_keeps_the_previous_output() {
    let site = copy_of_site();
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();
    let before = read_tree(&out);

    let section = site
        .path()
        .join("content/plans/sichuan-finance/03-financial-system/01-institutions.md");
    let text = fs::read_to_string(&section).unwrap();
    fs::write(
        &section,
        text.replacen("themes=\"institutions\"", "themes=\"no-such-theme\"", 1),
    )
    .unwrap();
    let plan = site.path().join("content/plans/sichuan-finance/plan.toml");
    let toml = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        toml.replacen("level = \"province\"", "level = province", 1),
    )
    .unwrap();

    let err = build(site.path(), &out, None).unwrap_err().to_string();
    // Both problems are reported in one run, sorted by file.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("error: content/plans/sichuan-finance/03-financial-system/01-institutions.md:6: measure `sc-3-1-1`: unknown theme `no-such-theme`"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("error: content/plans/sichuan-finance/plan.toml:7:9: invalid TOML: string values must be quoted") && lines[1].contains("invalid TOML"),
        "{err}"
    );
    assert_eq!(lines[2], "2 problems in the content; nothing was written");
    assert_eq!(
        read_tree(&out),
        before,
        "a failed build must leave public/ as it was"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        // The lock file stays beside the output by design; staging folders must not.
        .filter(|n| n.to_string_lossy().starts_with(".public") && n != ".public.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn subpath_hosting() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo(), &out, Some("https://atlas.test/atlas")).unwrap();
    let files = read_tree(&out);
    let sitemap = text(&files, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://atlas.test/atlas/plans/sichuan-finance/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"));
    let not_found = text(&files, "404.html");
    assert!(
        attr_values(&not_found, "href")
            .iter()
            .any(|h| h == "/atlas/static/style.css"),
        "{not_found}"
    );
    let robots = text(&files, "robots.txt");
    assert!(robots.contains("Sitemap: https://atlas.test/atlas/sitemap.xml"));
    assert!(files.contains_key("atom.xml"));
    let cover = text(&files, "plans/sichuan-finance/index.html");
    assert!(
        cover.contains("https://atlas.test/atlas/plans/sichuan-finance/"),
        "canonical link"
    );
    assert!(attr_values(&cover, "href").contains(&"../../static/style.css".to_string()));
}

#[test]
fn pages_are_chinese_and_minified() {
    let files = built();
    let home = text(files, "index.html");
    assert!(
        home.starts_with("<!doctype html><html lang=zh-CN>")
            || home.contains("<html lang=\"zh-CN\">")
            || home.contains("<html lang=zh-CN>"),
        "{}",
        &home[..200]
    );
    assert!(!home.contains("\n  <"), "HTML is minified");
    // The bundled site.toml sets no base_url: no sitemap and no feed (they need absolute URLs),
    // no canonical links; robots.txt names no sitemap.
    for path in ["sitemap.xml", "atom.xml"] {
        assert!(!files.contains_key(path), "{path} without a base_url");
    }
    assert!(!text(files, "robots.txt").contains("Sitemap"));
    assert!(!home.contains("rel=canonical") && !home.contains("atom.xml"));
    for path in [
        "robots.txt",
        "404.html",
        "static/style.css",
        "static/syntax.css",
        "themes/index.html",
        "indicators/index.html",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    // The help page is for readers (fenced code highlighting is tested on `init`'s help page,
    // which shows editors a TOML example).
    let help = text(files, "help/index.html");
    for word in ["怎样读一部规划", "政策主题", "搜索", "开放数据"] {
        assert!(help.contains(word), "the help page explains {word}");
    }
    for file in [
        "plan.toml",
        "indicators.toml",
        "content/",
        "planatlas check",
    ] {
        assert!(
            !help.contains(file),
            "the help page names {file}, which only editors need"
        );
    }
    let style = text(files, "static/style.css");
    assert!(
        style.contains("PingFang SC") && style.contains("Microsoft YaHei"),
        "CJK font stack"
    );
    assert!(style.contains("@media print") && style.contains("prefers-color-scheme: dark"));
    // Nothing is loaded from another host.
    for (path, bytes) in files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for src in attr_values(&html, "src") {
                assert!(!src.contains("://"), "{path} loads {src}");
            }
        }
    }
}

#[test]
fn measure_pages_show_text_themes_and_copy_link() {
    let files = built();
    let page = text(
        files,
        "plans/sichuan-finance/financial-system/institutions/index.html",
    );
    assert!(page.contains("推动金融机构集聚。"));
    assert!(
        page.contains("鼓励设立私募股权投资基金,支持开展私募股权投资基金和创业投资基金创新试点。")
    );
    assert!(page.contains("data-copy-link"));
    assert!(attr_values(&page, "href").contains(&"../../../../themes/institutions/".to_string()));
    // Breadcrumbs and previous/next links.
    assert!(page.contains("aria-label=当前位置") || page.contains("aria-label=\"当前位置\""));
    assert!(attr_values(&page, "rel").contains(&"next".to_string()));
    let theme = text(files, "themes/green-finance/index.html");
    assert!(theme.contains("四川省“十四五”金融业发展和改革规划"));
    assert!(
        attr_values(&theme, "href")
            .iter()
            .any(|h| h.ends_with("#sc-4-3-1")),
        "theme page links its measures"
    );
}

/// The cover of a plan whose source states no issuer, number or dates: no rows of 未注明, one
/// line naming what is not stated; the editors' notes folded under 关于本文本; the citation.
#[test]
fn metadata_not_given_shows_as_one_line() {
    let files = built();
    let cover = text(files, "plans/sichuan-finance/index.html");
    assert!(!cover.contains("未注明</span>"), "no rows of 未注明");
    assert!(
        cover.contains("所据文本未注明发文机关、成文日期、发文字号、发布日期。"),
        "one line names the fields not stated"
    );
    assert!(cover.contains("2021—2025年"));
    let about = regex::Regex::new(
        "<h2>关于本文本</h2><details><summary>[^<]+</summary><p>所据文本未载发文机关",
    )
    .unwrap();
    assert!(about.is_match(&cover), "notes folded under 关于本文本");
    assert!(attr_values(&cover, "data-cite")
        .contains(&"四川省“十四五”金融业发展和改革规划[A].".to_string()));
    // A plan with every catalogue field of its source: the head shows them, nothing is "not stated".
    let cq = text(files, "plans/chongqing-finance/index.html");
    for (label, value) in [
        ("发文机关", "重庆市人民政府"),
        ("成文日期", "2022年1月14日"),
        ("发文字号", "渝府发〔2022〕7号"),
        ("发布日期", "2022年1月29日"),
    ] {
        assert!(cq.contains(&format!("<dt>{label}<dd>{value}<")), "{label}");
    }
    assert!(!cq.contains("class=not-stated"));
    // No maintainer file names on a cover.
    for (path, html) in files
        .iter()
        .filter(|(p, _)| p.starts_with("plans/") && p.matches('/').count() == 2)
    {
        let html = String::from_utf8_lossy(html);
        assert!(!html.contains(".toml") && !html.contains(".md<"), "{path}");
    }
}
