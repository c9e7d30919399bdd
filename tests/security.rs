//! Hostile content: script payloads in titles, measure text, metadata, theme names and
//! indicator text never reach the public site as markup, links keep to safe schemes, and the
//! open data carries the payloads as data (JSON escaped, CSV quoted and neutralised against
//! formula injection).

mod common;

use std::fs;

use common::edit_file;
use planatlas::BuildOptions;

const PAYLOAD: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(2)>";
const SVG: &str = "<svg onload=alert(3)>";
const QUOTE: &str = "\"'><b onmouseover=alert(4)>";

/// A new site with payloads in every kind of field an editor writes.
fn hostile_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::init::init(dir.path()).unwrap();
    let root = dir.path();
    let toml = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    edit_file(
        root,
        "content/plans/example-plan/plan.toml",
        "title = \"示例市金融业发展规划\"",
        &format!(
            "title = \"示例规划{}\"\nnotes = \"{}\"",
            toml(PAYLOAD),
            toml(QUOTE)
        ),
    );
    edit_file(
        root,
        "content/themes.toml",
        "name = \"绿色金融\"",
        &format!("name = \"绿色金融{}\"", toml(SVG)),
    );
    edit_file(
        root,
        "content/plans/example-plan/indicators.toml",
        "name = \"绿色贷款余额\"",
        &format!("name = \"绿色贷款余额{}\"", toml(IMG)),
    );
    edit_file(
        root,
        "content/plans/example-plan/indicators.toml",
        "value = \"200以上\"",
        &format!("value = \"显著提高{}\"", toml(QUOTE)),
    );
    let section = "content/plans/example-plan/01-tasks/01-green.md";
    edit_file(
        root,
        section,
        "### 扩大绿色信贷。",
        &format!("### 扩大绿色信贷{}。", IMG.replace('<', "&lt;")),
    );
    edit_file(
        root,
        section,
        "引导银行机构加大绿色信贷投放。",
        &format!(
            "引导银行机构加大绿色信贷投放。{PAYLOAD}{IMG}<sup>2</sup><span style=\"color:red\" onclick=\"alert(8)\">红</span>\n\n<a href=\"javascript:alert(6)\">点此</a>、[链接](javascript:alert(7))、[数据](data:text/html,{PAYLOAD})、[资料](https://example.org/a?b=1&c=2)、[联系](mailto:office@example.org)。\n\n=HYPERLINK(\"http://evil.example\",\"x\"),\"逗号\"\n第二行"
        ),
    );
    dir
}

#[test]
fn payloads_never_become_markup_and_links_keep_to_safe_schemes() {
    let dir = hostile_site();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path()))
        .unwrap_or_else(|e| panic!("the hostile site must still build:\n{e}"));
    let quoted = regex::Regex::new(r#"="[^"]*"|='[^']*'"#).unwrap();
    let handler = regex::Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    let script = regex::Regex::new(r"(?i)<script[\s>]").unwrap();
    // URLs of real tags (escaped payload text has no real `<`).
    let href = regex::Regex::new(
        r#"(?i)<[a-z][a-z0-9]*\s[^<>]*?\b(?:href|src|action)=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#,
    )
    .unwrap();
    let mut pages = 0;
    for (path, bytes) in &built.files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(bytes);
        // Inside a quoted attribute value `<` is text, not markup (the minifier leaves it
        // unescaped there): look at everything else.
        let outside = quoted.replace_all(&html, "=\"\"").into_owned();
        // A real `<` in what is left opens a tag; payload text is escaped (`&lt;`, `&LT`).
        for re in [&handler, &script] {
            for m in re.find_iter(&outside) {
                let at = m.start();
                if outside[at..].starts_with("<script src=") {
                    continue; // the theme's own scripts
                }
                let from = outside[..at]
                    .char_indices()
                    .rev()
                    .nth(80)
                    .map_or(0, |(i, _)| i);
                let to = outside[at..]
                    .char_indices()
                    .nth(60)
                    .map_or(outside.len(), |(i, _)| at + i);
                panic!(
                    "{path} carries markup from content: …{}…",
                    &outside[from..to]
                );
            }
        }
        // (`<img src=x onerror=…>` in raw HTML becomes a harmless `<img src=x>`.)
        for payload in ["<script>alert", "<svg onload", "<b onmouseover"] {
            assert!(
                !outside.contains(payload),
                "{path} carries {payload:?} as markup"
            );
        }
        for c in href.captures_iter(&html) {
            let url = c.get(1).or(c.get(2)).or(c.get(3)).unwrap().as_str();
            let lower = url.to_ascii_lowercase();
            assert!(
                !lower.starts_with("javascript:")
                    && !lower.starts_with("data:text")
                    && !lower.starts_with("vbscript:"),
                "{path} links to {url}"
            );
        }
    }
    assert!(pages > 5);
    // The payloads are still there, as text a reader can see.
    let section = built
        .files
        .iter()
        .find(|(p, _)| p == "plans/example-plan/tasks/green/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    // Raw HTML keeps to the allow-list: <sup> stays, scripts, handlers and styles go.
    assert!(section.contains("<sup>2</sup>"), "{section}");
    assert!(section.contains("<span>红</span>"), "{section}");
    let body_start = section.find("measure-body").unwrap();
    let body = &section[body_start..body_start + section[body_start..].find("</div>").unwrap()];
    assert!(
        !body.contains("alert(1)") && !body.contains("alert(8)"),
        "{body}"
    );
    assert!(!section.contains("style="), "{section}");
    // Unsafe link targets are dropped; the link text stays.
    assert!(section.contains("<a href=#>链接</a>") || section.contains("<a href=\"#\">链接</a>"));
    // Safe links stay links.
    assert!(
        section.contains("https://example.org/a?b=1&amp;c=2")
            || section.contains("https://example.org/a?b=1&c=2")
    );
    assert!(section.contains("mailto:office@example.org"));
}

#[test]
fn open_data_carries_payloads_as_data() {
    let dir = hostile_site();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let file = |name: &str| {
        built
            .files
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // JSON: the text comes back exactly, quotes and newlines included.
    let measures: serde_json::Value = serde_json::from_slice(&file("data/measures.json")).unwrap();
    let text = measures[0]["text"].as_str().unwrap();
    // The plain text of a measure leaves raw HTML tags out.
    assert!(
        text.contains("alert(1)") && !text.contains("<script"),
        "{text}"
    );
    assert!(
        text.contains("=HYPERLINK(\"http://evil.example\",\"x\"),\"逗号\""),
        "{text}"
    );
    let plans: serde_json::Value = serde_json::from_slice(&file("data/plans.json")).unwrap();
    assert_eq!(plans[0]["notes"], QUOTE);

    // CSV: one record per measure whatever the text holds; a cell a spreadsheet would run as a
    // formula starts with an apostrophe.
    let csv_bytes = file("data/measures.csv");
    let mut reader = csv::ReaderBuilder::new().from_reader(&csv_bytes[3..]); // after the BOM
    let headers = reader.headers().unwrap().clone();
    let text_col = headers.iter().position(|h| h == "text").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(
        rows.len(),
        2,
        "quotes, commas and newlines stay inside their cells"
    );
    assert_eq!(
        &rows[0][text_col], text,
        "the CSV cell holds the same text as the JSON"
    );

    let indicators_csv = file("data/indicators.csv");
    let mut indicators = csv::ReaderBuilder::new().from_reader(&indicators_csv[3..]);
    let headers = indicators.headers().unwrap().clone();
    let row = indicators.records().next().unwrap().unwrap();
    let name = &row[headers.iter().position(|h| h == "name").unwrap()];
    assert!(name.ends_with(IMG), "{name}");
    for (h, cell) in headers.iter().zip(row.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "{h}: {cell} would run as a formula"
        );
    }
}

/// Cells starting with `=`, `+`, `-` or `@` get an apostrophe, unless they are plain numbers
/// (a change of `-3.5` points stays a number a spreadsheet can sum; it runs nothing).
#[test]
fn formula_cells_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::init::init(dir.path()).unwrap();
    let root = dir.path();
    let region = regex::Regex::new(r#"region = "[^"]*""#).unwrap();
    for start in ["=1+1", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "-3.5"] {
        let path = root.join("content/plans/example-plan/plan.toml");
        let text = fs::read_to_string(&path).unwrap();
        let text = region
            .replace(&text, format!("region = \"{start}\"").as_str())
            .into_owned();
        fs::write(&path, text).unwrap();
        let built = planatlas::build_in_memory(&BuildOptions::new(root)).unwrap();
        let csv_bytes = &built
            .files
            .iter()
            .find(|(p, _)| p == "data/plans.csv")
            .unwrap()
            .1;
        let mut reader = csv::ReaderBuilder::new().from_reader(&csv_bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let cell = &row[headers.iter().position(|h| h == "region").unwrap()];
        if start.parse::<f64>().is_ok() {
            assert_eq!(cell, start, "a plain number stays a number");
        } else {
            assert_eq!(cell, format!("'{start}"), "{start} is neutralised");
        }
    }
}

#[test]
fn a_source_url_that_is_no_web_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::init::init(dir.path()).unwrap();
    let plan = "content/plans/example-plan/plan.toml";
    edit_file(
        dir.path(),
        plan,
        "region = \"示例市\"",
        "region = \"示例市\"\nsource_url = \"javascript:alert(5)\"",
    );
    let line = fs::read_to_string(dir.path().join(plan))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("source_url"))
        .unwrap()
        + 1;
    match planatlas::build_in_memory(&BuildOptions::new(dir.path())) {
        Err(planatlas::BuildError::Content(items)) => {
            let messages: Vec<String> = items.iter().map(|d| d.to_string()).collect();
            assert_eq!(
                messages,
                [format!("{plan}:{line}: `source_url` = `javascript:alert(5)` is not a web address (hint: give the address where the official text is published, starting with https:// or http://)")]
            );
        }
        other => panic!("expected a content error, got {:?}", other.map(|b| b.stats)),
    }
}
