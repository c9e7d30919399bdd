//! The format readers of `planatlas::source` on fixture files (`tests/fixtures/import/`), and
//! `planatlas check --source` on a plan given as a web page and as a Word file.
//!
//! Self-contained: the DOCX files are built here with the `zip` crate; the PDFs are committed,
//! made by `tests/fixtures/import/make_pdfs.py`. The PDF tests need poppler's `pdftotext`
//! (`scripts/test` installs it); without it they say so and pass, except under `CI=true`,
//! where they fail.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use planatlas::source::{read, Block, Document, Format, SourceError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn texts(doc: &Document) -> Vec<String> {
    doc.blocks.iter().map(Block::text).collect()
}

/// The paragraph whose text starts with `start`.
fn para<'a>(doc: &'a Document, start: &str) -> &'a Block {
    doc.blocks
        .iter()
        .find(|b| matches!(b, Block::Paragraph { text, .. } if text.starts_with(start)))
        .unwrap_or_else(|| panic!("no paragraph starting with {start}: {:#?}", texts(doc)))
}

fn meta<'a>(doc: &'a Document, key: &str) -> Option<&'a str> {
    doc.metadata
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------- plain text

#[test]
fn gbk_text_is_decoded() {
    let doc = read(&fixture("gbk-plan.txt")).unwrap();
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.encoding, "gb18030");
    let t = texts(&doc);
    assert_eq!(t[0], "示例市金融业发展规划（2021—2025年）");
    assert!(t.contains(&"第一章　发展基础".to_string()), "{t:#?}");
    assert!(
        t.contains(
            &"（一）推动金融机构集聚。支持符合条件的金融机构在本市发起设立理财子公司。".to_string()
        ),
        "{t:#?}"
    );
    assert!(doc.raw_text().unwrap().contains("引导银行机构"));
    assert!(!doc.plain_text().contains('\u{fffd}'));
}

#[test]
fn pdftotext_output_is_rebuilt_into_paragraphs() {
    let doc = read(&fixture("pdftotext-plan.txt")).unwrap();
    assert_eq!(doc.format, Format::PdfText);
    let t = texts(&doc);
    // Page numbers and the running header are gone.
    assert!(
        !t.iter()
            .any(|p| p.contains("— 2 —") || p.contains('—') && p.len() < 8),
        "{t:#?}"
    );
    assert!(
        !t.iter().any(|p| p == "示例市金融业发展规划（2021—2025年）"),
        "running header kept: {t:#?}"
    );
    // The notice before the plan stays (the importer decides what it is), its lines joined.
    assert!(
        t.contains(
            &"现将《示例市金融业发展规划（2021—2025年）》印发给你们，请认真贯彻执行。".to_string()
        ),
        "{t:#?}"
    );
    // Lines broken mid-sentence are joined, across a page break too, Latin words with a space.
    assert!(
        t.contains(&"为推动示例市金融业高质量发展，根据《示例市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》，制定本规划。".to_string()),
        "{t:#?}"
    );
    assert!(
        t.iter()
            .any(|p| p.starts_with("金融改革创新深入推进。")
                && p.contains("the Belt and Road 合作项目")),
        "{t:#?}"
    );
    assert!(t.contains(&"第一章 发展基础".to_string()), "{t:#?}");
    assert!(t.contains(&"一、做大做强金融机构".to_string()), "{t:#?}");
    assert!(
        t.contains(&"1.引进境内外金融机构。鼓励外资金融机构设立分支机构。".to_string()),
        "{t:#?}"
    );
    assert!(t.contains(&"专栏1 金融业重点项目".to_string()), "{t:#?}");
    // The column table.
    let table = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table { rows, line } => Some((rows, *line)),
            _ => None,
        })
        .expect("a table");
    assert_eq!(table.0.len(), 4, "{table:#?}");
    assert_eq!(table.0[0], ["指标名称", "单位", "2020年", "2025年", "属性"]);
    assert_eq!(
        table.0[3],
        ["直接融资规模", "亿元", "【300】", "【800】", "预期性"]
    );
    assert_eq!(table.1, 50);
    // Lines are the source's.
    assert_eq!(para(&doc, "第二章").line(), 37);
}

// ---------------------------------------------------------------- HTML

#[test]
fn a_government_page_gives_its_article_and_metadata() {
    let doc = read(&fixture("gov-page.html")).unwrap();
    assert_eq!(doc.format, Format::Html);
    assert_eq!(
        doc.title.as_deref(),
        Some("示例市人民政府关于印发示例市金融业发展规划的通知")
    );
    for (k, v) in [
        ("索引号", "11500000MB1503113U/2021-00001"),
        ("发文机关", "示例市人民政府"),
        ("发文字号", "示府发〔2021〕1号"),
        ("成文日期", "2021年06月01日"),
        ("发布日期", "2021年06月10日"),
        ("主题分类", "财政、金融\\金融"),
        ("标题", "示例市人民政府关于印发示例市金融业发展规划的通知"),
        ("来源", "示例市人民政府办公厅"),
        ("PubDate", "2021-06-10 09:30"),
    ] {
        assert_eq!(meta(&doc, k), Some(v), "{k}: {:#?}", doc.metadata);
    }
    assert_eq!(meta(&doc, "viewport"), None);
    let t = texts(&doc);
    let all = t.join("\n");
    for furniture in [
        "首页",
        "政务公开",
        "打印本页",
        "关闭窗口",
        "字体",
        "分享到",
        "扫一扫",
        "相关链接",
        "网站标识码",
        "版权所有",
        "索引号",
        "索 引 号",
        "统计代码",
        "中国政府网",
        "2021-06-10",
    ] {
        assert!(!all.contains(furniture), "{furniture} kept: {t:#?}");
    }
    // The heading before the article comes first.
    assert!(
        matches!(&doc.blocks[0], Block::Paragraph { heading: Some(1), text, .. } if text.starts_with("示例市人民政府关于印发")),
        "{t:#?}"
    );
    assert_eq!(t[1], "各区县人民政府，市政府各部门，有关单位：");
    assert_eq!(
        t[2],
        "现将《示例市金融业发展规划（2021—2025年）》印发给你们，请认真贯彻执行。"
    );
    // <br> separates lines.
    assert_eq!(t[3], "示例市人民政府");
    assert_eq!(t[4], "2021年6月1日");
    assert!(matches!(
        para(&doc, "第一章"),
        Block::Paragraph {
            heading: Some(2),
            ..
        }
    ));
    // Bold leads, and a line break in the page's source is no space in Chinese.
    match para(&doc, "金融业实力稳步提升") {
        Block::Paragraph {
            text,
            bold_lead,
            all_bold,
            ..
        } => {
            assert_eq!(&text[..bold_lead.unwrap()], "金融业实力稳步提升。");
            assert!(!all_bold);
            assert!(text.contains("1200.5亿元，年均增长"), "{text}");
        }
        _ => unreachable!(),
    }
    match para(&doc, "金融改革创新深入推进") {
        Block::Paragraph {
            text, bold_lead, ..
        } => {
            assert_eq!(&text[..bold_lead.unwrap()], "金融改革创新深入推进")
        }
        _ => unreachable!(),
    }
    match para(&doc, "（一）推动金融机构集聚") {
        Block::Paragraph {
            text, bold_lead, ..
        } => {
            assert_eq!(&text[..bold_lead.unwrap()], "（一）推动金融机构集聚。")
        }
        _ => unreachable!(),
    }
    assert!(matches!(
        para(&doc, "一、总体要求"),
        Block::Paragraph { all_bold: true, .. }
    ));
    assert!(matches!(
        para(&doc, "示例市金融业发展规划"),
        Block::Paragraph { all_bold: true, .. }
    ));
    // The data table, and the image's caption as a paragraph.
    let tables: Vec<&Vec<Vec<String>>> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table { rows, .. } => Some(rows),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1, "{t:#?}");
    assert_eq!(tables[0][0], ["表1　主要指标"]);
    assert_eq!(
        tables[0][2],
        ["金融业增加值", "亿元", "1200.5", "1800左右", "预期性"]
    );
    assert!(
        t.contains(&"图1　示例市金融机构分布示意图".to_string()),
        "{t:#?}"
    );
    // Lines of the page.
    assert_eq!(para(&doc, "各区县人民政府").line(), 29);
    assert_eq!(para(&doc, "第二章").line(), 49);
}

#[test]
fn a_gbk_page_is_decoded_by_its_meta_charset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.htm");
    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><div class=\"zoom\"><p>第一章　总则</p><p>推动金融机构集聚。</p></div></body></html>";
    std::fs::write(&path, encoding_rs::GBK.encode(html).0).unwrap();
    let doc = read(&path).unwrap();
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.encoding, "GBK");
    assert_eq!(texts(&doc), ["第一章　总则", "推动金融机构集聚。"]);
}

// ---------------------------------------------------------------- DOCX

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A DOCX of the given body, styles and numbering, stored (not compressed).
fn docx(body: &str, styles: &str, numbering: Option<&str>) -> Vec<u8> {
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
    put(
        "word/styles.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{styles}</w:styles>"#
        ),
    );
    if let Some(n) = numbering {
        put(
            "word/numbering.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{n}</w:numbering>"#
            ),
        );
    }
    zip.finish().unwrap().into_inner()
}

fn p(style: Option<&str>, runs: &[(&str, bool)]) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
    });
    let runs: String = runs
        .iter()
        .map(|(t, b)| {
            let rpr = if *b { "<w:rPr><w:b/></w:rPr>" } else { "" };
            format!(r#"<w:r>{rpr}<w:t xml:space="preserve">{t}</w:t></w:r>"#)
        })
        .collect();
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn tbl(rows: &[&[&str]]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", p(None, &[(c, false)])))
                .collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
}

const STYLES: &str = r#"
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a4"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Lead"><w:name w:val="要点"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
"#;

const NUMBERING: &str = r#"
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
"#;

/// A Word file of the small plan (the example plan of `planatlas init`) with heading styles and
/// a table; `full` adds a table header, numbered paragraphs and a line break.
fn styled_docx(full: bool) -> Vec<u8> {
    let numbered = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        p(Some("a4"), &[("示例市金融业发展规划", false)]),
        p(None, &[("本规划是 planatlas 的示例。", false)]),
        p(Some("1"), &[("第一章　主要任务", false)]),
        p(None, &[("围绕主要目标，推进以下任务。", false)]),
        p(Some("a3"), &[("第一节　发展绿色金融", false)]),
        p(None, &[("主要指标", false)]),
        if full {
            tbl(&[&["指标", "单位", "2020年", "2025年"], &["绿色贷款余额", "亿元", "100", "200以上"]])
        } else {
            tbl(&[&["绿色贷款余额", "亿元", "100", "200以上"]])
        },
        p(None, &[("扩大绿色信贷。", true), ("引导银行机构加大绿色信贷投放。", false)]),
        // A bold run through a character style, and a deleted run that is not read.
        r#"<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>支持小微企业绿色转型。</w:t></w:r><w:del><w:r><w:delText>删去的字</w:delText></w:r></w:del><w:r><w:t>见扩大绿色信贷。</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let rest = if full {
        [
            numbered("强化组织领导。"),
            numbered("加强监测评估。"),
            r#"<w:p><w:r><w:t>示例市人民政府</w:t></w:r><w:r><w:br/><w:t>2021年6月1日</w:t></w:r></w:p>"#.to_string(),
        ]
        .concat()
    } else {
        String::new()
    };
    let body = body + &rest;
    docx(&body, STYLES, Some(NUMBERING))
}

#[test]
fn a_word_file_gives_headings_bold_leads_tables_and_numbering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.docx");
    std::fs::write(&path, styled_docx(true)).unwrap();
    let doc = read(&path).unwrap();
    assert_eq!(doc.format, Format::Docx);
    assert_eq!(doc.title.as_deref(), Some("示例市金融业发展规划"));
    let t = texts(&doc);
    assert!(
        matches!(
            para(&doc, "第一章"),
            Block::Paragraph {
                heading: Some(1),
                all_bold: true,
                ..
            }
        ),
        "{:#?}",
        doc.blocks
    );
    assert!(matches!(
        para(&doc, "第一节"),
        Block::Paragraph {
            heading: Some(2),
            ..
        }
    ));
    assert!(matches!(
        para(&doc, "本规划"),
        Block::Paragraph {
            heading: None,
            bold_lead: None,
            ..
        }
    ));
    match para(&doc, "扩大绿色信贷") {
        Block::Paragraph {
            text, bold_lead, ..
        } => {
            assert_eq!(&text[..bold_lead.unwrap()], "扩大绿色信贷。")
        }
        _ => unreachable!(),
    }
    assert_eq!(
        t.iter().find(|x| x.starts_with("支持小微")).unwrap(),
        "支持小微企业绿色转型。见扩大绿色信贷。"
    );
    match para(&doc, "支持小微") {
        Block::Paragraph {
            text, bold_lead, ..
        } => {
            assert_eq!(&text[..bold_lead.unwrap()], "支持小微企业绿色转型。")
        }
        _ => unreachable!(),
    }
    assert!(t.contains(&"（一）强化组织领导。".to_string()), "{t:#?}");
    assert!(t.contains(&"（二）加强监测评估。".to_string()), "{t:#?}");
    assert!(
        matches!(para(&doc, "加强监测"), Block::Paragraph { marker: Some(m), .. } if m == "（二）")
    );
    // A line break splits an ordinary paragraph.
    assert!(
        t.ends_with(&["示例市人民政府".to_string(), "2021年6月1日".to_string()]),
        "{t:#?}"
    );
    let rows = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table { rows, line } => Some((rows.clone(), *line)),
            _ => None,
        })
        .unwrap();
    assert_eq!(rows.0[1], ["绿色贷款余额", "亿元", "100", "200以上"]);
    assert_eq!(rows.1, 7, "a DOCX block's line is its ordinal");
}

#[test]
fn a_word_file_with_bold_headings_only() {
    let body = [
        p(None, &[("第一章　发展基础", true)]),
        p(None, &[("一、", true), ("金融业实力稳步提升", true)]),
        p(
            None,
            &[("“十三五”时期，全市金融业增加值达到1200.5亿元。", false)],
        ),
        p(
            Some("Lead"),
            &[
                ("推动金融机构集聚。", true),
                ("支持设立理财子公司。", false),
            ],
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bold.docx");
    std::fs::write(&path, docx(&body, STYLES, None)).unwrap();
    let doc = read(&path).unwrap();
    let heads: Vec<(Option<u8>, bool)> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph {
                heading, all_bold, ..
            } => (*heading, *all_bold),
            _ => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(
        heads,
        [(None, true), (None, true), (None, false), (None, false)]
    );
    assert_eq!(texts(&doc)[1], "一、金融业实力稳步提升");
    assert_eq!(doc.title, None);
}

// ---------------------------------------------------------------- PDF

/// Whether pdftotext is here; under CI it must be.
fn have_pdftotext() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(
            !crate::common::on_ci(),
            "pdftotext is missing under CI: scripts/test installs poppler-utils"
        );
        println!(
            "pdftotext is not installed: PDF reading not tested (apt-get install poppler-utils)"
        );
    }
    ok
}

#[test]
fn a_pdf_with_text_is_read_through_pdftotext() {
    if !have_pdftotext() {
        return;
    }
    let doc = read(&fixture("plan.pdf")).unwrap();
    assert_eq!(doc.format, Format::Pdf);
    let t = texts(&doc);
    assert_eq!(t[0], "示例市金融业发展规划", "{t:#?}");
    assert!(t.contains(&"为推动示例市金融业高质量发展，根据《示例市国民经济和社会发展第十四个五年规划纲要》，制定本规划。规划期为2021—2025年。".to_string()), "{t:#?}");
    // Across the page break, without the header or the page number.
    assert!(t.contains(&"“十三五”时期，全市金融业增加值达到1200.5亿元，年均增长8.2%。金融机构体系日趋完善，金融服务实体经济能力明显增强。".to_string()), "{t:#?}");
    assert!(
        !t.iter()
            .any(|p| p.contains("（2021—2025年）") || p.contains("—1—")),
        "{t:#?}"
    );
    assert!(
        t.contains(&"第二章   主要任务".to_string()) || t.contains(&"第二章 主要任务".to_string()),
        "{t:#?}"
    );
}

#[test]
fn pdfs_without_text_or_with_a_password_are_refused() {
    if !have_pdftotext() {
        return;
    }
    let e = read(&fixture("scanned.pdf")).unwrap_err();
    assert!(matches!(e, SourceError::NoTextLayer { .. }), "{e}");
    assert!(
        e.to_string().contains("scanned.pdf has no text layer"),
        "{e}"
    );
    assert!(e.to_string().contains("OCR"), "{e}");
    let e = read(&fixture("encrypted.pdf")).unwrap_err();
    assert!(matches!(e, SourceError::Encrypted { .. }), "{e}");
    assert!(e.to_string().contains("password-protected PDF"), "{e}");
}

// ---------------------------------------------------------------- check --source

fn planatlas(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The example plan of `planatlas init` as a web page, with a site's furniture around it.
const EXAMPLE_HTML: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例市金融业发展规划_示例市人民政府网</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hd/">互动交流</a></div>
<div class="crumb">首页 &gt; 政务公开 &gt; 规划计划</div>
<table><tr><td>发文机关：</td><td>示例市人民政府</td><td>发文字号：</td><td>示府发〔2021〕1号</td></tr></table>
<div class="view TRS_Editor">
<p>本规划是 planatlas 的示例。</p>
<h2>第一章　主要任务</h2>
<p>围绕主要目标，推进以下任务。</p>
<h3>第一节　发展绿色金融</h3>
<p>主要指标</p>
<table><tr><td>绿色贷款余额（亿元）</td><td>100</td><td>200以上</td></tr></table>
<p><strong>扩大绿色信贷。</strong>引导银行机构加大绿色信贷投放。</p>
<p><strong>支持小微企业绿色转型。</strong>见扩大绿色信贷。</p>
</div>
<div class="footer"><p>【打印本页】【关闭窗口】</p><p>网站标识码：5000000001 示ICP备05000001号 版权所有：示例市人民政府办公厅</p></div>
</body></html>"#;

#[test]
fn check_source_reads_web_pages_and_word_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let (ok, _, err) = planatlas(&["init", root.to_str().unwrap()], &[]);
    assert!(ok, "{err}");
    let html = dir.path().join("plan.html");
    std::fs::write(&html, EXAMPLE_HTML).unwrap();
    let word = dir.path().join("plan.docx");
    std::fs::write(&word, styled_docx(false)).unwrap();
    let coverage = |source: &Path| -> f64 {
        let arg = format!("example-plan={}", source.display());
        let (ok, out, err) = planatlas(
            &[
                "--root",
                root.to_str().unwrap(),
                "check",
                "--source",
                &arg,
                "--min-coverage",
                "80",
            ],
            &[],
        );
        assert!(ok, "{}: {out}{err}", source.display());
        let line = out
            .lines()
            .find(|l| l.starts_with("example-plan: "))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(line.contains(" 0 not found in the source"), "{line}");
        let pct = line
            .split("coverage ")
            .nth(1)
            .and_then(|r| r.split('%').next())
            .unwrap();
        pct.parse().unwrap()
    };
    // The page's navigation, breadcrumb, metadata and footer are not text the plan leaves out.
    let page = coverage(&html);
    assert!(page >= 97.0, "{page}");
    // The Word file's title paragraph is text the extract does not quote (it is plan.toml's
    // title): 10 of 118 characters.
    let docx = coverage(&word);
    assert!((91.0..92.0).contains(&docx), "{docx}");
}

#[test]
fn sources_that_cannot_be_read_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(planatlas(&["init", root.to_str().unwrap()], &[]).0);
    let mut zip_not_docx = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip_not_docx
        .start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip_not_docx.write_all(b"<workbook/>").unwrap();
    let xlsx = zip_not_docx.finish().unwrap().into_inner();
    let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    ole.resize(2048, 0);
    type Case<'a> = (&'a str, Vec<u8>, &'a str, &'a [(&'a str, &'a str)]);
    let cases: Vec<Case> = vec![
        ("empty.txt", Vec::new(), "empty.txt is empty", &[]),
        (
            "blank.txt",
            b" \n\t\r\n  ".to_vec(),
            "blank.txt is empty",
            &[],
        ),
        (
            "binary.txt",
            b"\x00\x01\x02\x03binary\x00data".to_vec(),
            "binary.txt is not a plan text",
            &[],
        ),
        (
            "old.doc",
            ole,
            "old.doc is an encrypted Word file or old .doc — save it as .docx without a password",
            &[],
        ),
        (
            "sheet.docx",
            xlsx,
            "sheet.docx is a ZIP archive but not a Word document (.docx): an Excel workbook",
            &[],
        ),
        (
            "picture.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "picture.txt is not a plan text: a PNG image",
            &[],
        ),
        (
            "latin1.txt",
            b"caf\xe9 \xff\xfe".to_vec(),
            "latin1.txt: it is not UTF-8, UTF-16 or GBK/GB18030 text",
            &[],
        ),
        (
            "plan.pdf",
            std::fs::read(fixture("plan.pdf")).unwrap(),
            "reading ",
            &[("PLANATLAS_PDFTOTEXT", "/nonexistent/pdftotext")],
        ),
    ];
    for (name, bytes, expected, env) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let arg = format!("example-plan={}", path.display());
        let (ok, _, err) = planatlas(
            &["--root", root.to_str().unwrap(), "check", "--source", &arg],
            env,
        );
        assert!(!ok, "{name} accepted");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            err.contains(&path.display().to_string()),
            "{name} not named: {err}"
        );
        if name == "plan.pdf" {
            assert!(
                err.contains("needs pdftotext") && err.contains("apt-get install poppler-utils"),
                "{err}"
            );
        }
    }
    if have_pdftotext() {
        let arg = format!("example-plan={}", fixture("scanned.pdf").display());
        let (ok, _, err) = planatlas(
            &["--root", root.to_str().unwrap(), "check", "--source", &arg],
            &[],
        );
        assert!(!ok);
        assert!(err.contains("scanned.pdf has no text layer"), "{err}");
    }
}

#[test]
fn the_seed_scrapes_are_read_in_their_formats() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        assert!(
            !crate::common::on_ci(),
            "{} missing under CI",
            seeds.display()
        );
        println!("{} is absent; the seeds are not read", seeds.display());
        return;
    }
    let seed = |prefix: &str| {
        let entry = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        read(&entry).unwrap()
    };
    // 000 is pdftotext output with page numbers; 002 a scraped HTML page in a .txt.
    assert_eq!(seed("000").format, Format::PdfText);
    let page = seed("002");
    assert_eq!(page.format, Format::Html);
    assert_eq!(
        page.title.as_deref(),
        Some("央行等部门联合印发《成渝共建西部金融中心规划》")
    );
    assert!(page.blocks.len() > 50, "{}", page.blocks.len());
    assert_eq!(seed("004").format, Format::Text);
}
