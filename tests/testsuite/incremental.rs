//! Incremental rebuilds (as `serve` does them) give the same output as a full build, byte for
//! byte, after each edit of a sequence, and do less work than a full build.

use std::fs;
use std::path::Path;

use crate::common::*;
use planatlas::build::{Incremental, Rebuilt};
use planatlas::config::BuildOptions;

const SECTION: &str = "content/plans/sichuan-finance/03-financial-system/01-institutions.md";
const INDICATORS: &str = "content/plans/sichuan-finance/indicators.toml";

/// Rebuilds incrementally and checks the output against a full build of the same content.
fn rebuild_and_compare(root: &Path, builder: &mut Incremental, what: &str) -> Rebuilt {
    let rebuilt = builder
        .rebuild()
        .unwrap_or_else(|e| panic!("{what}: rebuild failed:\n{e}"));
    let full = root.join("full");
    build(root, &full, None).unwrap();
    let expected = read_tree(&full);
    let got = read_tree(&root.join("public"));
    let differing: Vec<&String> = expected
        .keys()
        .chain(got.keys())
        .filter(|p| expected.get(*p) != got.get(*p))
        .collect();
    assert!(
        differing.is_empty(),
        "{what}: the incremental output differs from a full build in {differing:?}"
    );
    rebuilt
}

fn changed(rebuilt: &Rebuilt, path: &str) -> bool {
    rebuilt.changed.iter().any(|p| p == path)
}

#[test]
fn incremental_rebuilds_equal_full_builds_through_a_sequence_of_edits() {
    let site = copy_of_site();
    let root = site.path();
    let mut builder = Incremental::new(BuildOptions::new(root));
    let first = builder.rebuild().unwrap();
    let pages = first.stats.pages;
    let section_page = "plans/sichuan-finance/financial-system/institutions/index.html";

    // Nothing changed: nothing is rendered or written.
    let same = rebuild_and_compare(root, &mut builder, "no edit");
    assert_eq!(same.rendered, 0);
    assert!(same.changed.is_empty(), "{:?}", same.changed);

    // A measure's text.
    edit_file(
        root,
        SECTION,
        "合理布局重点金融牌照",
        "合理布局重点金融牌照（测试）",
    );
    let r = rebuild_and_compare(root, &mut builder, "text change");
    assert!(changed(&r, section_page));
    assert!(changed(&r, "data/measures.json"));
    assert!(r.changed.iter().any(|p| p.starts_with("search/docs/")));
    assert!(
        r.rendered < pages / 2,
        "a text change rendered {} of {pages} pages",
        r.rendered
    );
    assert!(!changed(&r, "plans/yongchuan-finance/index.html"));

    // A measure's themes: its theme pages change too.
    edit_file(
        root,
        SECTION,
        "{#sc-3-1-1 themes=\"institutions\"}",
        "{#sc-3-1-1 themes=\"institutions green-finance\"}",
    );
    let r = rebuild_and_compare(root, &mut builder, "theme change");
    assert!(changed(&r, "themes/green-finance/index.html"));
    assert!(changed(&r, "themes/index.html"));

    // A new measure.
    let path = root.join(SECTION);
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n### 测试新增举措。 {#sc-3-1-99 themes=\"fintech\"}\n\n推动金融科技创新应用试点。\n",
    );
    fs::write(&path, text).unwrap();
    let r = rebuild_and_compare(root, &mut builder, "new measure");
    assert!(changed(&r, section_page));
    assert!(changed(&r, "themes/fintech/index.html"));

    // A deleted measure (the one just added, and one of the original ones).
    let text = fs::read_to_string(&path).unwrap();
    let cut = text.find("\n### 测试新增举措").unwrap();
    fs::write(&path, &text[..cut + 1]).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("### 发展地方金融组织").unwrap();
    fs::write(&path, &text[..start]).unwrap();
    let r = rebuild_and_compare(root, &mut builder, "deleted measure");
    assert!(changed(&r, section_page));

    // An indicator's target.
    edit_file(root, INDICATORS, "value = \"13.5\"", "value = \"13.6\"");
    let r = rebuild_and_compare(root, &mut builder, "indicator change");
    assert!(changed(&r, "plans/sichuan-finance/index.html"));
    assert!(changed(&r, "data/indicators.json"));

    // A broken edit fails, writes nothing, and the next good edit builds.
    let before = read_tree(&root.join("public"));
    edit_file(root, INDICATORS, "value = \"13.6\"", "value = 13.6x");
    assert!(builder.rebuild().is_err());
    assert_eq!(read_tree(&root.join("public")), before);
    edit_file(root, INDICATORS, "value = 13.6x", "value = \"13.7\"");
    rebuild_and_compare(root, &mut builder, "repaired indicator");
}
