//! `planatlas import` on documents written for the purpose, in each format, with structures the
//! five seeds do not have: a plan numbered 一、/（一）/1. without 章, with 责任单位; a Word file
//! whose headings are only bold runs; a page whose table is an image caption. Each import must
//! build and pass the provenance check at once. Bad input is refused with a clear error and
//! nothing written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use planatlas::content::load_site;
use planatlas::import::{import, ImportOptions};
use planatlas::provenance::check_document;
use planatlas::BuildOptions;

fn fixture(name: &str) -> PathBuf {
    crate::common::repo()
        .join("tests/fixtures/import")
        .join(name)
}

fn options(root: &Path, source: &Path, slug: &str) -> ImportOptions {
    ImportOptions {
        root: root.to_path_buf(),
        source: source.to_path_buf(),
        slug: slug.to_string(),
        id_prefix: None,
        level: Some("municipality".into()),
        region: Some("示例市".into()),
        force: false,
    }
}

/// Imports `source` into a new site; the site must build and the plan pass `check --source`.
fn import_and_check(source: &Path, slug: &str) -> (tempfile::TempDir, PathBuf) {
    import_and_check_with(source, slug, 97.0)
}

/// [`import_and_check`] with the least coverage `min`.
fn import_and_check_with(source: &Path, slug: &str, min: f64) -> (tempfile::TempDir, PathBuf) {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    if let Err(e) = import(&options(&root, source, slug)) {
        panic!("import failed: {}", e.report());
    }
    if let Err(e) = planatlas::build_in_memory(&BuildOptions::new(&root)) {
        panic!("the imported plan does not build: {}", e.report());
    }
    let (site, _) = load_site(&root);
    let site = site.unwrap();
    let plan = site.plans.iter().find(|p| p.slug == slug).unwrap();
    let report = check_document(plan, &planatlas::source::read(source).unwrap());
    assert!(report.missing.is_empty(), "{:?}", report.missing);
    assert!(
        report.coverage() >= min,
        "{slug}: coverage {}: {:?}",
        report.coverage(),
        report.gaps
    );
    let plan_dir = root.join("content/plans").join(slug);
    (dir, plan_dir)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// An appendix is prose: its numbered entries a Markdown list, its group headings bold lines,
/// no measures (docs/editing.md section 5).
#[test]
fn an_appendix_becomes_lists() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("with-appendix.txt");
    let mut text = std::fs::read_to_string(fixture("no-chapters.txt")).unwrap();
    text.push_str(
        "附件\n部分政策依据\n一、国家政策文件\n1.国务院办公厅《关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见》\n2.中共中央办公厅、国务院办公厅《关于加强金融服务民营企业的若干意见》\n二、市级部门政策文件\n3.重庆市地方金融监督管理局、重庆市发展和改革委员会、重庆市财政局、重庆市高级人民法院、中国人民银行重庆营业管理部印发《关于进一步优化金融信贷营商环境的意见》的通知\n",
    );
    std::fs::write(&source, text).unwrap();
    let (_dir, plan) = import_and_check(&source, "inclusive-plan");
    let appendix = read(&plan, "04-appendix-1.md");
    assert!(
        appendix.contains("**一、国家政策文件**\n\n- 1\\.国务院办公厅《")
            && appendix.contains("》\n- 2\\.中共中央办公厅")
            && appendix.contains("**二、市级部门政策文件**\n\n- 3\\.重庆市地方金融监督管理局"),
        "{appendix}"
    );
    assert!(
        !appendix.contains("###"),
        "no measures in an appendix: {appendix}"
    );
}

#[test]
fn a_plan_numbered_without_chapters() {
    let (_dir, plan) = import_and_check(&fixture("no-chapters.txt"), "inclusive-plan");
    let toml = read(&plan, "plan.toml");
    assert!(
        toml.contains("title = \"示例市普惠金融发展行动方案（2023—2025年）\""),
        "{toml}"
    );
    assert!(
        toml.contains("issuers = [\"示例市人民政府办公室\"]"),
        "{toml}"
    );
    assert!(
        toml.contains("doc_number = \"示办发〔2023〕5号\""),
        "{toml}"
    );
    assert!(toml.contains("date_written = 2023-03-01"), "{toml}");
    assert!(toml.contains("period = [2023, 2025]"), "{toml}");
    // 一、 chapters, （一） sections, 1. measures with their 责任单位 split at `；`.
    let chapter = read(&plan, "02-chapter-2/_index.md");
    assert!(chapter.contains("number = \"二、\"") && chapter.contains("title = \"重点任务\""));
    let section = read(&plan, "02-chapter-2/01-section-1.md");
    assert!(
        section.contains("title = \"扩大普惠信贷供给。\""),
        "{section}"
    );
    assert!(
        section.contains("### 1.加大首贷支持。 {#ip-2-1-1 themes=")
            && section.contains("units=\"市金融监管局、人行示例中心支行;各区县人民政府\"}"),
        "{section}"
    );
    // The 责任单位 sentence stays in the text.
    assert!(section.contains("（责任单位：市金融监管局、人行示例中心支行；各区县人民政府）"));
    // （一） with text after its lead is a measure of a chapter without sections.
    let safeguards = read(&plan, "03-chapter-3.md");
    assert!(
        safeguards.contains("### （一）加强组织领导。 {#ip-3-0-1"),
        "{safeguards}"
    );
    // The notice stays before the plan; the report lists what to check.
    assert!(read(&plan, "_index.md").contains("示办发〔2023〕5号"));
    let review = read(&plan, "REVIEW.md");
    assert!(
        review.contains("## Suggested themes") && review.contains("`ip-2-1-1`"),
        "{review}"
    );
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn docx(paragraphs: &[&[(&str, bool)]]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|runs| {
            let runs: String = runs
                .iter()
                .map(|(t, b)| {
                    let rpr = if *b { "<w:rPr><w:b/></w:rPr>" } else { "" };
                    format!(r#"<w:r>{rpr}<w:t xml:space="preserve">{t}</w:t></w:r>"#)
                })
                .collect();
            format!("<w:p>{runs}</w:p>")
        })
        .collect();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, text: String| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    put("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string());
    put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string());
    put(
        "word/document.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        ),
    );
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_word_file_whose_headings_are_bold_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.docx");
    std::fs::write(
        &path,
        docx(&[
            &[("为发展绿色金融，制定本规划。", false)],
            &[("总体要求", true)],
            &[(
                "坚持绿色发展理念，完善绿色金融体系，服务碳达峰碳中和目标。",
                false,
            )],
            &[("主要任务", true)],
            &[
                ("扩大绿色信贷。", true),
                ("引导银行机构加大绿色项目信贷投放。", false),
            ],
            &[
                ("发展绿色债券。", true),
                ("支持企业发行绿色债券和碳中和债券。", false),
            ],
        ]),
    )
    .unwrap();
    let (_dir, plan) = import_and_check(&path, "green-plan");
    let first = read(&plan, "01-chapter-1.md");
    assert!(first.contains("title = \"总体要求\""), "{first}");
    let tasks = read(&plan, "02-chapter-2.md");
    assert!(tasks.contains("title = \"主要任务\""), "{tasks}");
    assert!(tasks.contains("### 扩大绿色信贷。 {#gp-2-0-1"), "{tasks}");
    assert!(tasks.contains("### 发展绿色债券。 {#gp-2-0-2"), "{tasks}");
}

#[test]
fn a_page_whose_table_is_an_image_caption() {
    let (_dir, plan) = import_and_check(&fixture("caption-table.html"), "caption-plan");
    assert!(!plan.join("indicators.toml").exists());
    let first = read(&plan, "01-chapter-1.md");
    // The caption stays where the page has it, as it is.
    assert!(
        first.contains("图1 示例区绿色金融空间布局示意图"),
        "{first}"
    );
    let tasks = read(&plan, "02-chapter-2.md");
    assert!(
        tasks.contains("### 扩大绿色信贷投放。 {#cp-2-0-1"),
        "{tasks}"
    );
    // The page's furniture is not part of the plan.
    let all: String = ["_index.md", "01-chapter-1.md", "02-chapter-2.md"]
        .iter()
        .map(|f| read(&plan, f))
        .collect();
    assert!(!all.contains("打印本页") && !all.contains("首页"), "{all}");
}

#[test]
fn the_command_line_imports_and_reports() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let source = fixture("no-chapters.txt");
    let args = [
        "--root",
        root.to_str().unwrap(),
        "import",
        source.to_str().unwrap(),
        "--slug",
        "cli-plan",
        "--level",
        "municipality",
        "--region",
        "示例市",
    ];
    let out = crate::common::planatlas(&args);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 chapters, 4 sections"), "{stdout}");
    assert!(stdout.contains("REVIEW.md"), "{stdout}");
    // Again without --force: refused, the folder left as it was.
    let again = crate::common::planatlas(&args);
    assert!(!again.status.success());
    assert!(crate::common::stderr(&again).contains("--force"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(crate::common::planatlas(&forced).status.success());
}

/// The plan folders of the site at `root`.
fn plans(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join("content/plans"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn bad_input_is_refused_and_nothing_written() {
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    let before = plans(&root);
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("data.bin");
    std::fs::write(&binary, [0u8, 1, 2, 3, 0, 0, 0xff, 0xfe, 7, 0].repeat(50)).unwrap();
    for (source, slug, expect) in [
        (empty.clone(), "ok-slug", "empty"),
        (binary.clone(), "ok-slug", "not a plan text"),
        (
            fixture("no-chapters.txt"),
            "Bad_Slug",
            "not a valid plan slug",
        ),
        (fixture("no-chapters.txt"), "example-plan", "already exists"),
        (dir.path().join("missing.txt"), "ok-slug", "cannot read"),
    ] {
        let err = import(&options(&root, &source, slug)).unwrap_err();
        let message = err.report().to_string();
        assert!(message.contains(expect), "{message}");
        assert_eq!(plans(&root), before, "{message}");
    }
    // Without --level and --region, and an issuer that does not say them: refused, nothing
    // written (never guessed).
    let mut o = options(&root, &fixture("no-chapters.txt"), "ok-slug");
    o.level = None;
    o.region = None;
    let message = import(&o).unwrap_err().report().to_string();
    assert!(
        message.contains("--level") && message.contains("--region"),
        "{message}"
    );
    assert_eq!(plans(&root), before);
}

#[test]
fn indicator_tables_in_text_and_in_a_page() {
    let (_dir, plan) = import_and_check(&fixture("indicators.txt"), "indicator-text");
    let toml = read(&plan, "indicators.toml");
    assert!(
        toml.contains("name = \"金融业增加值占GDP比重\"\nunit = \"%\""),
        "{toml}"
    );
    assert!(
        toml.contains("target = { year = 2025, value = \"7.3左右\" }"),
        "{toml}"
    );
    assert!(toml.contains("value = \"220以上\""), "{toml}");
    let section = read(&plan, "01-chapter-1/01-section-1.md");
    assert!(section.contains("```indicators main\n```"), "{section}");

    // A page this short is mostly its table, whose header row, serial numbers and attributes
    // the provenance check does not count as covered.
    let (_dir, plan) = import_and_check_with(&fixture("indicators.html"), "indicator-page", 75.0);
    let toml = read(&plan, "indicators.toml");
    assert!(toml.contains("name = \"金融业增加值\""), "{toml}");
    assert!(toml.contains("attribute = \"预期性\""), "{toml}");
    assert!(
        toml.contains("baseline = { year = 2020, value = \"—\" }"),
        "{toml}"
    );
    assert!(toml.contains("value = \"【5000】\""), "{toml}");
    let chapter = read(&plan, "01-chapter-1.md");
    assert!(chapter.contains("```indicators main"), "{chapter}");
}

#[test]
fn the_readers_fixtures_import_and_pass() {
    // GBK text: read as what it says, never mojibake in the output.
    let (_dir, plan) = import_and_check(&fixture("gbk-plan.txt"), "gbk-plan");
    assert!(read(&plan, "01-chapter-1.md").contains("title = \"发展基础\""));
    assert!(read(&plan, "plan.toml").contains("period = [2021, 2025]"));
    // pdftotext output with page numbers and a notice; a government page with its furniture.
    // (A page of text around a table: the table's header row and 属性 cells, which the
    // provenance check does not count, are 4% of it.)
    import_and_check_with(&fixture("pdftotext-plan.txt"), "pdf-text-plan", 95.0);
    let (_dir, plan) = import_and_check(&fixture("gov-page.html"), "gov-page-plan");
    let toml = read(&plan, "plan.toml");
    assert!(
        toml.contains("doc_number = \"示府发〔2021〕1号\""),
        "{toml}"
    );
    assert!(toml.contains("date_published = 2021-06-10"), "{toml}");
    assert!(toml.contains("issuers = [\"示例市人民政府\"]"), "{toml}");
    // A PDF, through pdftotext when it is installed.
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
    {
        import_and_check(&fixture("plan.pdf"), "pdf-plan");
    }
    // An encrypted or scanned PDF: the reader's error, nothing written.
    let dir = crate::common::new_site();
    let root = dir.path().join("site");
    for name in ["encrypted.pdf", "scanned.pdf"] {
        let err = import(&options(&root, &fixture(name), "bad-pdf")).unwrap_err();
        assert!(err.report().to_string().contains(name), "{}", err.report());
        assert!(!root.join("content/plans/bad-pdf").exists());
    }
}

#[test]
fn a_page_with_heading_levels_only() {
    let (_dir, plan) = import_and_check(&fixture("heading-levels.html"), "heading-plan");
    assert!(read(&plan, "01-chapter-1.md").contains("title = \"发展基础\""));
    assert!(read(&plan, "02-chapter-2/_index.md").contains("title = \"主要任务\""));
    let section = read(&plan, "02-chapter-2/02-section-2.md");
    assert!(section.contains("title = \"金融市场\""), "{section}");
    assert!(
        section.contains("### 发展资本市场。 {#hp-2-2-1"),
        "{section}"
    );
}
