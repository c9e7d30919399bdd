//! Hostile content: script payloads in titles, measure text, metadata, theme names and
//! indicator text never reach the public site as markup, links keep to safe schemes, and the
//! open data carries the payloads as data (JSON escaped, CSV quoted and neutralised against
//! formula injection).

use std::fs;

use crate::common::edit_file;
use planatlas::BuildOptions;

const PAYLOAD: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=https://example.org/x.png onerror=alert(2)>";
const SVG: &str = "<svg onload=alert(3)>";
const QUOTE: &str = "\"'><b onmouseover=alert(4)>";

/// A new site with payloads in every kind of field an editor writes.
fn hostile_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
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
        // (`<img src=… onerror=…>` in raw HTML becomes a harmless `<img src=…>`.)
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
    planatlas::cmd::init::init(dir.path()).unwrap();
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
    planatlas::cmd::init::init(dir.path()).unwrap();
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

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";
const CHAPTER: &str = "content/plans/example-plan/01-tasks/_index.md";
const PLAN_INTRO: &str = "content/plans/example-plan/_index.md";
const PAGE: &str = "content/pages/help.md";

fn append(root: &std::path::Path, file: &str, more: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}{more}")).unwrap();
}

/// The 1-based line of `file` that holds `needle`.
fn line_of(root: &std::path::Path, file: &str, needle: &str) -> usize {
    fs::read_to_string(root.join(file))
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{file} has no {needle}"))
        + 1
}

fn content_errors(root: &std::path::Path) -> Vec<String> {
    match planatlas::build_in_memory(&BuildOptions::new(root)) {
        Ok(_) => panic!("the build must fail"),
        Err(planatlas::BuildError::Content(items)) => items.iter().map(|d| d.to_string()).collect(),
        Err(other) => panic!("not a content error: {other}"),
    }
}

/// A heading attribute block may carry an id and classes and nothing else, wherever a heading
/// stands: sub-headings, boxes, intros, pages, measure headings. Anything else is reported
/// with file and line, together with the other problems.
#[test]
fn heading_attributes_other_than_id_and_class_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    let root = dir.path();
    append(
        root,
        SECTION,
        "\n#### 小标题 {#sub-a .note onfocus=alert(1) autofocus}\n\n说明。\n\n```box 专栏1 示例\n##### 框内 {style=color:red}\n\n框内文字。\n```\n",
    );
    append(root, CHAPTER, "\n#### 导语 {onmouseover=alert(2)}\n");
    append(root, PLAN_INTRO, "\n#### 引言 {data-x=1}\n");
    append(root, PAGE, "\n## 说明 {#ok onclick=alert(3)}\n");
    edit_file(
        root,
        SECTION,
        "{#ex-1-1-2 themes=\"green-finance inclusive-finance\"}",
        "{#ex-1-1-2 themes=\"green-finance inclusive-finance\" onfocus=\"alert(4)\"}",
    );
    let hint = "(hint: a heading's {…} block may hold only `#id` and `.class`)";
    let mut expected = vec![
        format!(
            "{PAGE}:{}: heading attribute `onclick=alert(3)` is not allowed {hint}",
            line_of(root, PAGE, "## 说明")
        ),
        format!(
            "{PLAN_INTRO}:{}: heading attribute `data-x=1` is not allowed {hint}",
            line_of(root, PLAN_INTRO, "#### 引言")
        ),
        format!(
            "{CHAPTER}:{}: heading attribute `onmouseover=alert(2)` is not allowed {hint}",
            line_of(root, CHAPTER, "#### 导语")
        ),
        format!(
            "{SECTION}:{}: measure `ex-1-1-2`: unknown attribute `onfocus` (hint: a measure heading may carry themes, units, related, not_related, implements)",
            line_of(root, SECTION, "{#ex-1-1-2")
        ),
    ];
    let sub = line_of(root, SECTION, "#### 小标题");
    expected.push(format!(
        "{SECTION}:{sub}: heading attribute `onfocus=alert(1)` is not allowed {hint}"
    ));
    expected.push(format!(
        "{SECTION}:{sub}: heading attribute `autofocus` is not allowed {hint}"
    ));
    expected.push(format!(
        "{SECTION}:{}: heading attribute `style=color:red` is not allowed {hint}",
        line_of(root, SECTION, "##### 框内")
    ));
    let mut reported = content_errors(root);
    reported.sort();
    expected.sort();
    assert_eq!(reported, expected);
}

/// Raw HTML, unsafe links and the renderer's internal slot marker in every place Markdown is
/// rendered (plan intro, chapter intro, sub-heading and its prose, box, measure, page) come
/// out as allowed markup or text; generated HTML appears only where the content put a box.
#[test]
fn markdown_in_every_place_is_sanitised_and_slots_cannot_be_smuggled() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    let root = dir.path();
    let evil = "<img src=https://example.org/x.png onerror=alert(9)><script>alert(9)</script>[链](javascript:alert(9)) <a href=\"javascript:alert(9)\" onclick=\"alert(9)\">甲</a><span style=\"color:red\">乙</span>";
    // `\u{E000}0\u{E000}` is how the renderer marks where the first box goes back in.
    let slot = "\u{E000}0\u{E000}";
    let smuggle = format!(
        "[题](https://example.org \"{slot}\") `{slot}` &#xE000;0&#xE000; ![图](https://example.org/x.png \"{slot}\")"
    );
    append(root, PLAN_INTRO, &format!("\n{evil}\n\n{smuggle}\n"));
    append(root, CHAPTER, &format!("\n{evil}\n\n{smuggle}\n"));
    append(
        root,
        PAGE,
        &format!("\n{evil}\n\n{smuggle}\n\n```box 专栏九 帮助框\n框\n```\n"),
    );
    append(
        root,
        SECTION,
        &format!("\n{evil}\n\n{smuggle}\n\n```box 专栏九 示例框\n{evil}\n\n{smuggle}\n```\n\n#### 小标题{evil}\n\n{evil}\n\n{smuggle}\n"),
    );
    let built = planatlas::build_in_memory(&BuildOptions::new(root))
        .unwrap_or_else(|e| panic!("the site must build:\n{e}"));
    let page = |name: &str| crate::common::built_page(&built, name);
    let tags = regex::Regex::new(r"<[a-zA-Z][^<>]*>").unwrap();
    for name in [
        "plans/example-plan/index.html",
        "plans/example-plan/tasks/index.html",
        "plans/example-plan/tasks/green/index.html",
        "help/index.html",
    ] {
        let html = page(name);
        // Markup from content: nothing but escaped text carries the payload.
        for tag in tags.find_iter(&html) {
            let tag = tag.as_str();
            assert!(
                !tag.contains("alert(9)")
                    && !tag.contains("javascript:")
                    && !tag.contains("style=")
                    && !tag.to_ascii_lowercase().contains(" on"),
                "{name}: {tag}"
            );
        }
        assert!(!html.contains("<script>alert"), "{name}");
        assert!(!html.contains('\u{E000}'), "{name} carries the slot marker");
        // Each box's HTML stands once, where its fence is.
        assert!(
            html.matches("专栏九").count() <= 1,
            "{name}: generated HTML was copied into a link title, code or text: {html}"
        );
        // Allowed markup stays.
        assert!(html.contains("<span>乙</span>"), "{name}");
    }
    assert_eq!(page("help/index.html").matches("专栏九").count(), 1);
    assert_eq!(
        page("plans/example-plan/tasks/green/index.html")
            .matches("专栏九")
            .count(),
        1
    );
}

/// Tera's `get_env` would let a theme print a CI secret into every page: it is replaced by a
/// function that fails the build.
#[test]
fn themes_cannot_read_environment_variables() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    let root = dir.path();
    let secret = "s3cr3t-token-value";
    // SAFETY: no other test of this binary reads or writes this variable.
    unsafe { std::env::set_var("PLANATLAS_TEST_SECRET", secret) };
    edit_file(
        root,
        "themes/default/templates/page.html",
        "<h1>{{ title }}</h1>",
        "<h1>{{ title }}{{ get_env(name=\"PLANATLAS_TEST_SECRET\", default=\"\") }}</h1>",
    );
    match planatlas::build_in_memory(&BuildOptions::new(root)) {
        Ok(built) => {
            for (path, bytes) in &built.files {
                assert!(
                    !String::from_utf8_lossy(bytes).contains(secret),
                    "{path} carries the secret"
                );
            }
            panic!("a theme calling get_env must fail the build");
        }
        Err(e) => {
            // The template's name on top; Tera's reason (naming get_env) among the causes.
            let message = e.report().to_string();
            assert!(
                message.starts_with("error: rendering page.html\n"),
                "{message}"
            );
            assert!(
                message.contains("\n  caused by: get_env is not available"),
                "{message}"
            );
            assert!(!message.contains(secret), "{message}");
        }
    }
}

/// Spreadsheets also run formulas written with full-width signs or after leading whitespace.
#[test]
fn full_width_and_indented_formulas_are_neutralised() {
    for cell in [
        "＝1+1",
        "＋1",
        "－2+3",
        "＠SUM(A1)",
        " =1+1",
        "\t=1+1",
        "\u{3000}=1+1",
        "  @SUM(A1)",
        "\n-2+3",
    ] {
        assert_eq!(
            planatlas::neutralise_formula(cell),
            format!("'{cell}"),
            "{cell:?}"
        );
    }
    for cell in ["-3.5", "绿色金融", " 3", "a=b"] {
        assert_eq!(planatlas::neutralise_formula(cell), cell, "{cell:?}");
    }
}

/// Characters XML 1.0 does not allow (controls, U+FFFE, U+FFFF) are left out of the feed and
/// the sitemap, so that both stay well-formed.
#[test]
fn feeds_stay_well_formed_xml() {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    let root = dir.path();
    edit_file(
        root,
        "content/plans/example-plan/plan.toml",
        "title = \"示例市金融业发展规划\"",
        "title = \"示例\\u0001市\\u000B金融\\u001F业\\uFFFE发展\\uFFFF规划\\u0008\"",
    );
    edit_file(
        root,
        "content/site.toml",
        "title = \"示例规划图谱\"",
        "title = \"示例\\u0000规划\\u0007图谱\"",
    );
    let mut options = BuildOptions::new(root);
    options.base_url = Some("https://atlas.test/".into());
    let built = planatlas::build_in_memory(&options)
        .unwrap_or_else(|e| panic!("the site must build:\n{e}"));
    for name in ["atom.xml", "sitemap.xml"] {
        let xml = built
            .files
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .unwrap();
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{name} is not well-formed: {e}\n{xml}");
        }
    }
    let atom = built
        .files
        .iter()
        .find(|(p, _)| p == "atom.xml")
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    assert!(
        atom.contains("<title>示例市金融业发展规划</title>"),
        "{atom}"
    );
}
