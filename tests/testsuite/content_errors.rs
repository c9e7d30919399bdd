//! Malformed content: each case gives one clear error with file, line and a hint; odd but valid
//! encodings (BOM, CRLF) are accepted.

use std::fs;
use std::path::Path;

use planatlas::{BuildError, BuildOptions};

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    dir
}

/// A new site whose example section reads `section_text`.
fn site_with_section(section_text: &str) -> tempfile::TempDir {
    let dir = site();
    fs::write(dir.path().join(SECTION), section_text).unwrap();
    dir
}

/// A built file as text.
fn output(built: &planatlas::build::Built, path: &str) -> String {
    let (_, bytes) = built
        .files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(root: &Path) -> Result<(), Vec<String>> {
    match planatlas::build_in_memory(&BuildOptions::new(root)) {
        Ok(_) => Ok(()),
        Err(BuildError::Content(items)) => Err(items.iter().map(|d| d.to_string()).collect()),
        Err(other) => panic!("not a content error: {other}"),
    }
}

/// Replaces the section file's body and returns the single error it causes.
fn error_for(section_text: &str) -> String {
    let dir = site_with_section(section_text);
    let errors = check(dir.path()).expect_err("the build must fail");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

const FM: &str = "+++\nnumber = \"第一节\"\ntitle = \"发展绿色金融\"\n+++\n\n";

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = site();
    let path = dir.path().join(SECTION);
    let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    check(dir.path()).unwrap();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let page = output(&built, "plans/example-plan/tasks/green/index.html");
    assert!(!page.contains('\r'));
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let dir = site();
    let mut bytes = FM.as_bytes().to_vec();
    bytes.extend_from_slice(b"ok\n\xff\xfe\n");
    fs::write(dir.path().join(SECTION), bytes).unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors, vec![format!("{SECTION}:7: the file is not valid UTF-8 (first invalid byte at offset {}) (hint: save the file as UTF-8)", FM.len() + 3)]);
}

#[test]
fn missing_fence() {
    let e = error_for("number = \"第一节\"\ntitle = \"x\"\n\n正文。\n");
    assert!(
        e.starts_with(&format!(
            "{SECTION}:1: the file does not start with a `+++` line"
        )),
        "{e}"
    );
    let e = error_for("+++\ntitle = \"x\"\n\n正文。\n");
    assert!(e.contains("never closed"), "{e}");
}

#[test]
fn heading_attribute_errors_point_at_the_column() {
    let e = error_for(&format!(
        "{FM}### 扩大绿色信贷。 {{#ex-1 themes=\"green-finance}}\n\n正文。\n"
    ));
    assert!(e.starts_with(&format!("{SECTION}:6:20: bad heading attributes: the value of `themes` opens a quote that is never closed")), "{e}");
    let e = error_for(&format!(
        "{FM}### 扩大绿色信贷。 {{#ex-1 themes=\"green-finance\" colour=red}}\n\n正文。\n"
    ));
    assert!(
        e.starts_with(&format!(
            "{SECTION}:6: measure `ex-1`: unknown attribute `colour`"
        )),
        "{e}"
    );
}

#[test]
fn measure_rules() {
    let e = error_for(&format!(
        "{FM}### 扩大绿色信贷。 {{themes=\"green-finance\"}}\n\n正文。\n"
    ));
    assert!(
        e.starts_with(&format!("{SECTION}:6: the measure heading has no id")),
        "{e}"
    );
    let e = error_for(&format!("{FM}### 扩大绿色信贷。 {{#ex-1}}\n\n正文。\n"));
    assert!(
        e.contains("measure `ex-1` has 0 themes; it needs 1 to 3"),
        "{e}"
    );
    let e = error_for(&format!("{FM}### 扩大。 {{#ex-1 themes=\"green-finance inclusive-finance green-finance inclusive-finance\"}}\n\n正文。\n"));
    assert!(e.contains("has 4 themes"), "{e}");
    let e = error_for(&format!("{FM}### {{#ex-1 themes=\"green-finance\"}}\n\n"));
    assert!(
        e.starts_with(&format!("{SECTION}:6: measure `ex-1` is empty")),
        "{e}"
    );
    let e = error_for(&format!(
        "{FM}### 扩大。 {{#ex 1 themes=\"green-finance\"}}\n\n正文。\n"
    ));
    assert!(e.contains("`1` is not an attribute"), "{e}");
    let e = error_for(&format!(
        "{FM}### 扩大。 {{#../x themes=\"green-finance\"}}\n\n正文。\n"
    ));
    assert!(
        e.contains("measure id `../x` has characters not allowed in URLs"),
        "{e}"
    );
    let e = error_for(&format!("{FM}## 小标题\n\n正文。\n"));
    assert!(
        e.starts_with(&format!("{SECTION}:6:1: a level-2 heading in a plan file")),
        "{e}"
    );
}

#[test]
fn headings_inside_fences_are_text() {
    // In a code block any heading is text; in a box, any but a measure heading (`###`, which
    // makes it a box of measures: tests/testsuite/boxes.rs).
    let dir = site_with_section(&format!("{FM}```box 专栏1 示例\n## 不是标题\n#### 也不是小标题\n```\n\n```text\n### 也不是举措\n```\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n正文。\n"));
    check(dir.path()).unwrap();
}

#[test]
fn plan_metadata_rules() {
    let dir = site();
    let plan = dir.path().join("content/plans/example-plan/plan.toml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replace("outlook_year = 2035", "outlook_year = 20351")
            .replace("date_written = 2021-06-01", "date_written = \"2021-06-01\""),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("plan.toml:5:")
            && errors[0].contains("invalid type")
            && errors[0].contains("datetime"),
        "{errors:#?}"
    );
    fs::write(
        &plan,
        text.replace("outlook_year = 2035", "outlook_year = 20351"),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors, vec!["content/plans/example-plan/plan.toml:8: `outlook_year` has the year 20351, which is not plausible (hint: write a four-digit year between 1949 and 2100)".to_string()]);
    fs::write(
        &plan,
        text.replace("level = \"municipality\"", "level = \"city\""),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert!(
        errors[0].contains("plan.toml:9:") && errors[0].contains("unknown variant `city`"),
        "{errors:#?}"
    );
    fs::write(&plan, format!("{text}implements = [\"no-such-plan\"]\n")).unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert!(
        errors[0].contains("refers to unknown plan `no-such-plan`"),
        "{errors:#?}"
    );
}

#[test]
fn indicator_value_of_the_wrong_type() {
    let dir = site();
    let path = dir
        .path()
        .join("content/plans/example-plan/indicators.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("value = 100", "value = true")).unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("indicators.toml:3: indicator `ex-ind-1`: baseline value: the value is boolean, neither a number nor text"), "{errors:#?}");
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let dir = site();
    let outside = dir.path().join("secret.md");
    fs::write(&outside, format!("{FM}秘密。\n")).unwrap();
    std::os::unix::fs::symlink(
        &outside,
        dir.path()
            .join("content/plans/example-plan/01-tasks/02-link.md"),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("02-link.md: symbolic links are not followed"),
        "{errors:#?}"
    );
}

const TWO_TABLES: &str = r#"[[table]]
id = "main"
title = "主要指标"

[[table.indicator]]
id = "ex-ind-1"
name = "绿色贷款余额"
unit = "亿元"
baseline = { year = 2020, value = 100 }
target = { year = 2025, value = "200以上" }

[[table]]
id = "clusters"
title = "专栏5：产业集群发展目标"

[[table.indicator]]
id = "ex-cluster-1"
name = "汽摩及零部件产业集群"
unit = "亿"
target = { value = "1000" }
"#;

/// A baseline the source does not give is absent: `null` in the JSON, empty CSV cells, an empty
/// cell on the page (no baseline column in a table of targets only); a dash the source prints
/// stays the source's dash.
#[test]
fn a_baseline_the_source_does_not_give_stays_empty() {
    let dir = site();
    fs::write(
        dir.path()
            .join("content/plans/example-plan/indicators.toml"),
        r#"[[table]]
id = "main"
title = "主要指标"

[[table.indicator]]
id = "ex-ind-1"
name = "绿色贷款余额"
unit = "亿元"
baseline = { year = 2020, value = 100 }
target = { year = 2025, value = "200以上" }

[[table.indicator]]
id = "ex-ind-2"
name = "新增社会融资规模"
unit = "亿元"
baseline = { year = 2020, value = "—" }
target = { year = 2025, value = "500" }

[[table.indicator]]
id = "ex-ind-3"
name = "基金规模"
unit = "亿元"
target = { year = 2025, value = "50" }

[[table]]
id = "clusters"
title = "产业集群发展目标"

[[table.indicator]]
id = "ex-cluster-1"
name = "汽摩及零部件产业集群"
unit = "亿"
target = { value = "1000" }
"#,
    )
    .unwrap();
    fs::write(
        dir.path().join(SECTION),
        format!("{FM}```indicators main\n```\n\n```indicators clusters\n```\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n正文。\n"),
    )
    .unwrap();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();

    let data: serde_json::Value =
        serde_json::from_str(&output(&built, "data/indicators.json")).unwrap();
    let by_id = |id: &str| {
        data.as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("ex-ind-3")["baseline"], serde_json::Value::Null);
    assert_eq!(by_id("ex-cluster-1")["baseline"], serde_json::Value::Null);
    assert_eq!(by_id("ex-ind-2")["baseline"]["raw"], "—");
    assert_eq!(by_id("ex-ind-2")["baseline"]["year"], 2020);
    assert_eq!(by_id("ex-ind-1")["baseline"]["value"], 100.0);

    let csv = output(&built, "data/indicators.csv");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    for id in ["ex-ind-3", "ex-cluster-1"] {
        let r = row(id);
        for c in [
            "baseline_year",
            "baseline_raw",
            "baseline_value",
            "baseline_cumulative",
        ] {
            assert_eq!(&r[col(c)], "", "{id}: {c}");
        }
        assert_eq!(&r[col("target_cumulative")], "false", "{id}");
    }
    assert_eq!(&row("ex-ind-2")[col("baseline_raw")], "—");

    let page = output(&built, "plans/example-plan/tasks/green/index.html");
    let (main, clusters) = page.split_once("产业集群发展目标").unwrap();
    // The column heading (the hidden text of an empty cell says 规划未给出基期值).
    let headings =
        |html: &str| html.matches("基期值").count() - html.matches("未给出基期值").count();
    assert_eq!(headings(main), 1, "the main table has a baseline column");
    assert_eq!(
        headings(clusters),
        0,
        "a table of targets only has no baseline column"
    );
    let row_html = |html: &str, id: &str| -> String {
        let start = html
            .find(&format!("id={id}>"))
            .or_else(|| html.find(&format!("id=\"{id}\"")));
        let start = start.unwrap_or_else(|| panic!("no row {id}"));
        // Up to the next row (the minifier drops closing tags).
        let rest = &html[start..];
        rest[..rest[1..].find("<tr").map_or(rest.len(), |i| i + 1)].to_string()
    };
    let r3 = row_html(main, "ex-ind-3");
    assert!(r3.contains("规划未给出基期值") && !r3.contains('—'), "{r3}");
    assert!(
        row_html(main, "ex-ind-2").contains('—'),
        "the source's dash is shown"
    );
}

#[test]
fn several_indicator_tables_placed_by_id() {
    let dir = site();
    fs::write(
        dir.path()
            .join("content/plans/example-plan/indicators.toml"),
        TWO_TABLES,
    )
    .unwrap();
    fs::write(
        dir.path().join(SECTION),
        format!("{FM}````box 专栏5：产业集群发展目标\n```indicators clusters\n```\n````\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n正文。\n"),
    )
    .unwrap();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let page = output(&built, "plans/example-plan/tasks/green/index.html");
    let html = page;
    assert!(
        html.contains("汽摩及零部件产业集群") && !html.contains("绿色贷款余额"),
        "the directive places the named table"
    );
    let cover = output(&built, "plans/example-plan/index.html");
    assert!(
        cover.contains("汽摩及零部件产业集群") && cover.contains("绿色贷款余额"),
        "the cover shows every table"
    );
    let data = output(&built, "data/indicators.json");
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    let cluster = data
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ex-cluster-1")
        .unwrap();
    assert_eq!(cluster["table"], "clusters");
    assert_eq!(cluster["baseline"], serde_json::Value::Null);
    assert_eq!(cluster["target"]["value"], 1000.0);

    fs::write(
        dir.path().join(SECTION),
        format!("{FM}```indicators nosuch\n```\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n正文。\n"),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert_eq!(errors, vec![format!("{SECTION}:6: an ```indicators block names table `nosuch`, which indicators.toml of plan `example-plan` does not have (hint: use one of: main, clusters)")]);

    fs::write(
        dir.path()
            .join("content/plans/example-plan/indicators.toml"),
        format!("title = \"x\"\n{TWO_TABLES}"),
    )
    .unwrap();
    let errors = check(dir.path()).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("indicators.toml:1: indicators.toml must hold either one table")),
        "{errors:#?}"
    );
}

#[test]
fn sub_headings_end_measures_and_stand_between_them() {
    let dir = site_with_section(&format!("{FM}#### 一、扩大信贷\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n正文一。\n\n#### 二、转型\n\n说明。\n\n### 转型。 {{#ex-2 themes=\"green-finance\"}}\n\n正文二。\n"));
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let data = output(&built, "data/measures.json");
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    let texts: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec!["扩大。正文一。", "转型。正文二。"],
        "sub-headings are not measure text"
    );
    let page = output(&built, "plans/example-plan/tasks/green/index.html");
    let html = page;
    let order: Vec<usize> = ["一、扩大信贷", "正文一", "二、转型", "说明。", "正文二"]
        .iter()
        .map(|t| html.find(t).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "reading order kept: {order:?}"
    );
    assert!(html.contains("<h2>二、转型</h2>"), "{html}");
}

#[test]
fn a_theme_page_size_of_zero_is_refused_with_its_line() {
    let dir = site();
    let config = dir.path().join("content/site.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}theme_page_size = 0\n")).unwrap();
    let line = text.lines().count() + 1;
    let errors = check(dir.path()).expect_err("the build must fail");
    assert_eq!(
        errors,
        [format!(
            "content/site.toml:{line}: theme_page_size must be at least 1 (hint: give the number of measures per theme page, e.g. `theme_page_size = 100`)"
        )]
    );
}

#[test]
fn two_unit_names_never_share_a_page() {
    // These two names share a 32-bit FNV-1a hash, the unit page key of old.
    let (a, b) = ("重庆市第996434局", "重庆市第2064160局");
    let dir = site();
    let path = dir.path().join(SECTION);
    let text = fs::read_to_string(&path).unwrap();
    let text = text
        .replacen(
            "themes=\"green-finance\"}",
            &format!("themes=\"green-finance\" units=\"{a}\"}}"),
            1,
        )
        .replacen(
            "themes=\"green-finance inclusive-finance\"}",
            &format!("themes=\"green-finance inclusive-finance\" units=\"{b}\"}}"),
            1,
        );
    fs::write(&path, text).unwrap();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let unit_pages: Vec<String> = built
        .files
        .iter()
        .filter(|(p, _)| {
            p.starts_with("units/") && p.ends_with("/index.html") && p != "units/index.html"
        })
        .map(|(p, bytes)| format!("{p}: {}", String::from_utf8_lossy(bytes).contains(a)))
        .collect();
    assert_eq!(unit_pages.len(), 2, "{unit_pages:#?}");
    let list = output(&built, "units/index.html");
    assert!(list.contains(a) && list.contains(b));
}

/// The theme names a folder of `themes/`; a path that leads elsewhere would publish files from
/// outside the site.
#[test]
fn a_theme_outside_themes_is_refused() {
    for theme in ["../../evil", "/srv/evil", "..", "a/b", ""] {
        let dir = site();
        let config = dir.path().join("content/site.toml");
        let text = fs::read_to_string(&config).unwrap();
        let text = text.replacen("theme = \"default\"", &format!("theme = {theme:?}"), 1);
        assert!(text.contains(&format!("theme = {theme:?}")), "{text}");
        fs::write(&config, text).unwrap();
        let errors = check(dir.path()).expect_err("the build must fail");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].starts_with("content/site.toml:")
                && errors[0].contains(&format!(
                    "theme `{theme}` is not the name of a folder of themes/"
                )),
            "{}",
            errors[0]
        );
    }
}
