//! Citing: the plan cover's document head (索引号, 主题分类, source link where given), the
//! citations the "引用" buttons copy, and the links a site at a sub-path gives them.

use crate::common::{attr_values, build, edit_file, read_tree};

/// A plan.toml that gives every catalogue field: the cover shows them at the top, links the
/// official text, and the "引用" buttons carry the citations built from exactly these fields.
#[test]
fn a_cover_shows_the_catalogue_fields_given_and_links_the_official_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    planatlas::cmd::init::init(root).unwrap();
    edit_file(
        root,
        "content/plans/example-plan/plan.toml",
        "region = \"示例市\"\n",
        "region = \"示例市\"\nindex_number = \"11500000MB0000000X/2021-00001\"\nsubject = \"财政、金融、审计\\\\金融\"\nsource_url = \"https://atlas.test/policy/1.html\"\nnotes = \"据示例市政府网站公开文本转写。\"\n",
    );
    let out = root.join("public");
    build(root, &out, Some("https://atlas.test/atlas/")).unwrap();
    let files = read_tree(&out);
    let cover = String::from_utf8(files["plans/example-plan/index.html"].clone()).unwrap();
    for (label, value) in [
        ("索引号", "11500000MB0000000X/2021-00001"),
        ("主题分类", "财政、金融、审计\\金融"),
        ("发文机关", "示例市人民政府"),
        ("成文日期", "2021年6月1日"),
        ("发文字号", "示府发〔2021〕1号"),
        ("发布日期", "2021年6月10日"),
    ] {
        assert!(
            cover.contains(&format!("<dt>{label}<dd>{value}<")),
            "{label} {value}: {cover}"
        );
    }
    assert!(!cover.contains("not-stated"), "every field is given");
    assert!(attr_values(&cover, "href").contains(&"https://atlas.test/policy/1.html".to_string()));
    assert!(cover.contains("关于本文本") && cover.contains("据示例市政府网站公开文本转写。"));
    let cites = attr_values(&cover, "data-cite");
    assert!(
        cites.contains(
            &"示例市人民政府. 示例市金融业发展规划: 示府发〔2021〕1号[A]. 2021-06-10.".to_string()
        ),
        "{cites:?}"
    );
    assert!(
        cites.iter().any(|c| c == "示例市人民政府. 示例市金融业发展规划: 示府发〔2021〕1号[A]. 2021-06-10: 指标表“主要指标”, 指标“绿色贷款余额”."),
        "{cites:?}"
    );
    // Permalinks take the base URL (the script's data-base); pages link each other relatively,
    // so the site works under /atlas/.
    let scripts = attr_values(&cover, "data-base");
    assert_eq!(scripts, ["https://atlas.test/atlas/"]);
    assert!(attr_values(&cover, "src").contains(&"../../static/cite.js".to_string()));
    assert!(
        cover.contains("https://atlas.test/atlas/plans/example-plan/"),
        "canonical and print permalink"
    );
    let section =
        String::from_utf8(files["plans/example-plan/tasks/green/index.html"].clone()).unwrap();
    let cites = attr_values(&section, "data-cite");
    assert!(
        cites.iter().any(|c| c.starts_with(
            "示例市人民政府. 示例市金融业发展规划: 示府发〔2021〕1号[A]. 2021-06-10: "
        ) && c.ends_with(", 举措 ex-1-1-1.")),
        "{cites:?}"
    );
    // Reference managers read the same fields.
    assert!(
        cover.contains("<meta name=citation_technical_report_number content=示府发〔2021〕1号>")
            || cover.contains(
                "<meta name=\"citation_technical_report_number\" content=\"示府发〔2021〕1号\">"
            ),
        "{cover}"
    );
    assert!(attr_values(&cover, "content").contains(&"2021/06/10".to_string()));
    // The new fields are open data too.
    let plans: serde_json::Value = serde_json::from_slice(&files["data/plans.json"]).unwrap();
    assert_eq!(plans[0]["index_number"], "11500000MB0000000X/2021-00001");
    assert_eq!(
        plans[0]["permalink"],
        "https://atlas.test/atlas/plans/example-plan/"
    );
}
