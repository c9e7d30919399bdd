//! Incremental rebuilds (as `serve` does them) give the same output as a full build, byte for
//! byte, after each edit of a sequence, and do less work than a full build.

use std::collections::BTreeMap;
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

    // A number in a measure's text: digits are no words, so every related list is the last
    // build's and only the reasons that quote the text are made again.
    edit_file(
        root,
        SECTION,
        "合理布局重点金融牌照（测试）",
        "合理布局重点金融牌照（测试2026）",
    );
    let r = rebuild_and_compare(root, &mut builder, "number change");
    assert!(changed(&r, section_page));

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

/// A preview as shown: what it reported and the output folder's files at that moment.
type Preview = (Rebuilt, BTreeMap<String, Vec<u8>>);

/// One previewed rebuild (as `serve` runs them): what the preview wrote and the files on disk
/// when it was shown, then the exact rebuild's output compared with a full build.
fn previewed_and_compare(
    root: &Path,
    builder: &mut Incremental,
    what: &str,
) -> (Option<Preview>, Rebuilt) {
    let mut preview = None;
    let out = root.join("public");
    let mut shown = |p: &Rebuilt| {
        assert!(preview.is_none(), "{what}: one preview per rebuild");
        preview = Some((
            Rebuilt {
                stats: p.stats.clone(),
                changed: p.changed.clone(),
                rendered: p.rendered,
            },
            read_tree(&out),
        ));
    };
    let rebuilt = builder
        .rebuild_previewed(&mut shown)
        .unwrap_or_else(|e| panic!("{what}: rebuild failed:\n{e}"));
    let full = root.join("full");
    build(root, &full, None).unwrap();
    assert_eq!(
        read_tree(&full),
        read_tree(&out),
        "{what}: after the preview, the output equals a full build"
    );
    (preview, rebuilt)
}

#[test]
fn previews_show_the_edited_plan_first_and_the_exact_rebuild_follows() {
    let site = copy_of_site();
    let root = site.path();
    let mut builder = Incremental::new(BuildOptions::new(root));
    let first = builder.rebuild().unwrap();
    let section_page = "plans/sichuan-finance/financial-system/institutions/index.html";
    let page =
        |tree: &BTreeMap<String, Vec<u8>>| String::from_utf8(tree[section_page].clone()).unwrap();

    // A measure's text, with a word that changes its vector and so related scores.
    edit_file(
        root,
        SECTION,
        "合理布局重点金融牌照",
        "合理布局重点金融牌照和绿色债券承销资格",
    );
    let (preview, exact) = previewed_and_compare(root, &mut builder, "text change");
    let (preview, on_disk) = preview.expect("an edit of one plan is previewed");
    assert!(
        page(&on_disk).contains("绿色债券承销资格"),
        "the preview shows the edit"
    );
    assert!(preview.changed.iter().any(|p| p == section_page));
    assert!(
        preview
            .changed
            .iter()
            .all(|p| p.starts_with("plans/sichuan-finance/")),
        "only the edited plan's pages are previewed: {:?}",
        preview.changed
    );
    assert_eq!(preview.stats.plans, 1);
    assert!(preview.rendered >= 1 && preview.rendered < first.stats.pages / 4);
    // Files the preview leaves to the exact rebuild are not yet written.
    assert!(!on_disk["data/measures.json"]
        .windows("绿色债券承销资格".len())
        .any(|w| w == "绿色债券承销资格".as_bytes()));
    assert!(exact.changed.iter().any(|p| p == "data/measures.json"));
    // The edited plan's own related lists were computed exactly for the preview; only an
    // alignment with another plan could still change its pages, and here none does: the exact
    // rebuild leaves them as the preview wrote them.
    assert!(exact.rendered < first.stats.pages / 2);
    assert!(
        !exact
            .changed
            .iter()
            .any(|p| p.starts_with("plans/sichuan-finance/")),
        "{:?}",
        exact.changed
    );

    // An edit outside the plans: nothing to preview.
    edit_file(root, "content/themes.toml", "name = \"", "name = \"·");
    let (preview, exact) = previewed_and_compare(root, &mut builder, "themes file");
    assert!(preview.is_none(), "no plan changed, no preview");
    assert!(!exact.changed.is_empty());

    // A broken edit: no preview, nothing written, the error as without a preview.
    let before = read_tree(&root.join("public"));
    edit_file(root, INDICATORS, "value = \"13.5\"", "value = 13.5x");
    let mut called = false;
    assert!(builder.rebuild_previewed(&mut |_| called = true).is_err());
    assert!(!called);
    assert_eq!(read_tree(&root.join("public")), before);

    // The repair is previewed and built.
    edit_file(root, INDICATORS, "value = 13.5x", "value = \"13.6\"");
    let (preview, _) = previewed_and_compare(root, &mut builder, "repaired indicator");
    let (_, on_disk) = preview.expect("the repaired plan is previewed");
    let cover = String::from_utf8(on_disk["plans/sichuan-finance/index.html"].clone()).unwrap();
    assert!(cover.contains("13.6"));
}

/// A plan gone since the last build moves every later plan (and its measures) to a smaller
/// index: the kept links find their measures by id, and each names its measure's plan now.
#[test]
fn a_preview_after_a_plan_is_gone_links_each_measure_in_its_plan_now() {
    use planatlas::analyse::{analyse, analyse_previewing};
    let (site, _) = planatlas::content::load_site(&repo());
    let site = site.unwrap();
    let before = analyse(&site, None);
    let previous = before.related_by_id(&site);
    let mut fewer = site.clone();
    let gone = fewer.plans.remove(0).slug;
    let preview = analyse_previewing(&fewer, None, &previous, &[]);
    let (mut links, mut moved) = (0, 0);
    for (i, list) in preview.related.iter().enumerate() {
        let was = before.by_id[preview.id(&fewer, i)];
        for r in list {
            assert_eq!(
                r.id(),
                preview.id(&fewer, r.index),
                "id of link {i} → {}",
                r.index
            );
            let plan = preview.measures[r.index].plan;
            assert_eq!(r.plan(), plan, "plan of {}", r.id());
            assert_ne!(fewer.plans[r.plan()].slug, gone);
            let old = before.related[was]
                .iter()
                .find(|o| o.id() == r.id())
                .unwrap();
            moved += usize::from(old.plan() != r.plan());
            links += 1;
        }
    }
    assert!(links > 100, "{links} links kept");
    assert!(moved > 0, "no link's plan moved");
}

#[test]
fn a_preview_computes_the_edited_plans_lists_and_keeps_the_others_by_measure_id() {
    use planatlas::analyse::{analyse, analyse_previewing};
    let site = copy_of_site();
    let root = site.path();
    let (loaded, _) = planatlas::content::load_site(root);
    let loaded = loaded.unwrap();
    let exact = analyse(&loaded, None);
    let previous = exact.related_by_id(&loaded);
    let same = analyse_previewing(&loaded, None, &previous, &[]);
    assert_eq!(
        same.related, exact.related,
        "unchanged content, unchanged lists"
    );

    // A measure removed (and the ones after it renumbered in the index), a word added to
    // another: the edited plan's lists are those of a full analysis; the other lists drop
    // links to the removed measure and otherwise point at the same measures as before.
    let text = fs::read_to_string(root.join(SECTION)).unwrap();
    let start = text.find("### 发展地方金融组织").unwrap();
    let end = start + text[start..].find("\n### ").unwrap() + 1;
    let text = format!("{}{}", &text[..start], &text[end..]).replace(
        "合理布局重点金融牌照",
        "合理布局重点金融牌照和绿色债券承销资格",
    );
    fs::write(root.join(SECTION), text).unwrap();
    let (edited, _) = planatlas::content::load_site(root);
    let edited = edited.unwrap();
    let edited_plan = edited
        .plans
        .iter()
        .position(|p| p.slug == "sichuan-finance")
        .unwrap();
    let preview = analyse_previewing(&edited, None, &previous, &[edited_plan]);
    let full = analyse(&edited, None);
    let mut named_the_removed = 0;
    let mut differs_from_full = 0;
    for (i, list) in preview.related.iter().enumerate() {
        let id = preview.id(&edited, i);
        if preview.measures[i].plan == edited_plan {
            assert_eq!(list, &full.related[i], "{id}: as in a full analysis");
            continue;
        }
        differs_from_full += usize::from(list != &full.related[i]);
        let before: Vec<&str> = previous[id]
            .iter()
            .map(|r| r.id())
            .filter(|r| *r != "sc-3-1-3")
            .collect();
        named_the_removed += usize::from(before.len() < previous[id].len());
        let now: Vec<&str> = list.iter().map(|r| r.id()).collect();
        assert_eq!(now, before, "{id}");
        for r in list {
            assert_eq!(preview.id(&edited, r.index), r.id(), "index of {}", r.id());
            assert_eq!(
                r.plan(),
                preview.measures[r.index].plan,
                "plan of {}",
                r.id()
            );
        }
    }
    assert!(named_the_removed > 0, "some list named the removed measure");
    assert!(
        differs_from_full > 0,
        "the other plans' lists are the previous ones, not recomputed"
    );
}

/// Whether a previewed rebuild showed a preview, and whether it succeeded.
fn previewed(builder: &mut Incremental) -> (bool, bool) {
    let mut shown = false;
    let ok = builder.rebuild_previewed(&mut |_| shown = true).is_ok();
    (shown, ok)
}

#[test]
fn no_preview_before_changed_templates_have_built_and_edits_made_while_broken_still_count() {
    let site = copy_of_site();
    let root = site.path();
    let mut builder = Incremental::new(BuildOptions::new(root));
    builder.rebuild().unwrap();
    let out = root.join("public");

    // A template error on a page no preview makes, with a plan edit: a preview would write the
    // plan's pages before the rebuild fails. Nothing is written.
    let before = read_tree(&out);
    edit_file(
        root,
        "themes/default/templates/index.html",
        "{% block content %}",
        "{% block content %}{{ no_such_variable }}",
    );
    edit_file(
        root,
        SECTION,
        "合理布局重点金融牌照",
        "合理布局重点金融牌照（一）",
    );
    assert_eq!(previewed(&mut builder), (false, false));
    assert_eq!(read_tree(&out), before);
    // Still no preview while the templates have not built.
    edit_file(root, SECTION, "（一）", "（二）");
    assert_eq!(previewed(&mut builder), (false, false));
    assert_eq!(read_tree(&out), before);
    // Repaired: the templates are the last good build's again, and the edit is previewed.
    edit_file(
        root,
        "themes/default/templates/index.html",
        "{{ no_such_variable }}",
        "",
    );
    let (preview, _) = previewed_and_compare(root, &mut builder, "repaired template");
    assert!(preview.is_some());

    // A plan edited while another file breaks the build: when the build is repaired without
    // touching the plan again, the plan's edit is still previewed.
    edit_file(root, SECTION, "（二）", "（三）");
    edit_file(root, "content/themes.toml", "[[theme]]", "[[theme]");
    assert_eq!(previewed(&mut builder), (false, false));
    edit_file(root, "content/themes.toml", "[[theme]", "[[theme]]");
    let (preview, _) = previewed_and_compare(root, &mut builder, "repaired themes file");
    let (preview, on_disk) = preview.expect("the plan edited while the build failed");
    assert_eq!(preview.stats.plans, 1);
    let section = "plans/sichuan-finance/financial-system/institutions/index.html";
    assert!(String::from_utf8_lossy(&on_disk[section]).contains("合理布局重点金融牌照（三）"));
}

#[test]
fn the_exact_rebuild_stops_for_a_newer_edit_once_its_preview_is_shown() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let site = copy_of_site();
    let root = site.path();
    let out = root.join("public");
    let mut builder = Incremental::new(BuildOptions::new(root));
    // As if a newer edit were always waiting.
    let newer = Arc::new(AtomicBool::new(true));
    builder.stop_when(Arc::clone(&newer));
    builder.rebuild().expect("a first build is never stopped");

    edit_file(
        root,
        SECTION,
        "合理布局重点金融牌照",
        "合理布局重点金融牌照（一）",
    );
    let before = read_tree(&out);
    let mut shown = false;
    let stopped = builder.rebuild_previewed(&mut |_| shown = true);
    assert!(
        matches!(stopped, Err(planatlas::BuildError::Superseded)),
        "{stopped:?}"
    );
    assert!(shown, "stopped only after the preview was shown");
    // What the preview wrote, and nothing else.
    let after = read_tree(&out);
    let written: Vec<&String> = after
        .keys()
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(!written.is_empty());
    assert!(
        written
            .iter()
            .all(|p| p.starts_with("plans/sichuan-finance/")),
        "{written:?}"
    );

    // A rebuild without a preview is never stopped.
    edit_file(root, SECTION, "（一）", "（二）");
    rebuild_and_compare(root, &mut builder, "rebuild without a preview");

    // Once no newer edit waits, the previewed rebuild runs to its end.
    newer.store(false, Ordering::Relaxed);
    edit_file(root, SECTION, "（二）", "（三）");
    let (preview, _) = previewed_and_compare(root, &mut builder, "no newer edit");
    assert!(preview.is_some());
}

#[test]
fn a_preview_is_taken_back_when_the_exact_rebuild_fails() {
    let site = copy_of_site();
    let root = site.path();
    // A theme page fails on a measure title holding 出错; the section pages the preview makes
    // do not: templates a build succeeded with, failing on new content.
    edit_file(
        root,
        "themes/default/templates/theme.html",
        "  {% for m in g.measures %}",
        "  {% for m in g.measures %}{% if m.title is containing(\"出错\") %}{{ no_such_variable }}{% endif %}",
    );
    let out = root.join("public");
    let mut builder = Incremental::new(BuildOptions::new(root));
    builder.rebuild().unwrap();
    let before = read_tree(&out);

    edit_file(
        root,
        SECTION,
        "### 推动金融机构集聚。",
        "### 推动金融机构集聚（出错）。",
    );
    let mut shown = None;
    let failed = builder.rebuild_previewed(&mut |_| shown = Some(read_tree(&out)));
    let error = failed
        .expect_err("the theme page fails")
        .report()
        .to_string();
    assert!(error.contains("theme.html"), "{error}");
    let shown = shown.expect("the preview was shown before the exact rebuild failed");
    let section = "plans/sichuan-finance/financial-system/institutions/index.html";
    assert!(String::from_utf8_lossy(&shown[section]).contains("出错"));
    assert_eq!(read_tree(&out), before, "the preview was taken back");

    // The repair builds, and equals a full build.
    edit_file(
        root,
        SECTION,
        "### 推动金融机构集聚（出错）。",
        "### 推动金融机构集聚（改）。",
    );
    previewed_and_compare(root, &mut builder, "repaired title");
}
