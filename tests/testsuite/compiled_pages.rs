//! Chapter and section pages, theme pages, responsible units' pages, plans' covers and
//! indicator concepts' pages are written by Rust code (`render::compiled`) when the theme has the
//! bundled templates for them; these tests hold that code to the templates, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use planatlas::BuildOptions;

use crate::common::{copy_of_site, planatlas, read_tree, repo, stderr};

/// The site at `root` built into `out`, how many pages Rust code wrote rather than Tera, and
/// how many of those it wrote in full and then minified rather than minified as it wrote them.
fn built_counted(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    minify: bool,
) -> (BTreeMap<String, Vec<u8>>, usize, usize) {
    let mut options = BuildOptions::new(root);
    options.output = out.to_path_buf();
    options.base_url = base_url.map(str::to_string);
    options.minify = minify;
    let stats = planatlas::build(&options).unwrap_or_else(|e| panic!("{}", e.report()));
    (
        read_tree(out),
        stats.compiled_pages,
        stats.compiled_pages_in_full,
    )
}

/// The site at `root` built into `out`.
fn built(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    minify: bool,
) -> BTreeMap<String, Vec<u8>> {
    built_counted(root, out, base_url, minify).0
}

/// Builds `root` with its theme as it is, then with a comment added to the templates of the
/// compiled pages (which changes no page, but makes Tera render them again), and requires the same files, minified and not. Returns how many compiled pages
/// were written in full and then minified, out of how many.
fn same_as_tera(root: &Path, base_url: Option<&str>) -> (usize, usize) {
    let mut in_full = (0, 0);
    let out = tempfile::tempdir().unwrap();
    let templates = [
        "division.html",
        "theme.html",
        "unit.html",
        "plan.html",
        "concept.html",
        "partials/concept_table.html",
    ]
    .map(|name| root.join("themes/default/templates").join(name));
    let bundled = templates
        .clone()
        .map(|t| std::fs::read_to_string(t).unwrap());
    for minify in [false, true] {
        let (compiled, by_code, by_code_in_full) =
            built_counted(root, &out.path().join("compiled"), base_url, minify);
        if minify {
            in_full = (by_code_in_full, by_code);
        } else {
            assert_eq!(by_code_in_full, 0, "nothing is minified");
        }
        for (template, bundled) in templates.iter().zip(&bundled) {
            // No newline after it: a partial's text is all included.
            std::fs::write(template, format!("{bundled}{{# rendered by Tera #}}")).unwrap();
        }
        let (tera, by_code_then, _) =
            built_counted(root, &out.path().join("tera"), base_url, minify);
        for (template, bundled) in templates.iter().zip(&bundled) {
            std::fs::write(template, bundled).unwrap();
        }
        // plans/<plan>/<chapter>/index.html and plans/<plan>/<chapter>/<section>/index.html
        let divisions = compiled
            .keys()
            .filter(|path| {
                path.starts_with("plans/")
                    && path.ends_with("index.html")
                    && path.matches('/').count() >= 3
            })
            .count();
        assert!(divisions > 20, "{divisions} chapter and section pages");
        // themes/<theme>/index.html and themes/<theme>/page/<n>/index.html, with indicator
        // tables or not.
        let (themes, with_indicators) = compiled
            .iter()
            .filter(|(path, _)| path.starts_with("themes/") && path.matches('/').count() >= 2)
            .fold((0, 0), |(all, tables), (_, bytes)| {
                let page = String::from_utf8_lossy(bytes);
                let table = page.contains("class=\"theme-indicators\"")
                    || page.contains("class=theme-indicators");
                (all + 1, tables + usize::from(table))
            });
        assert!(themes > with_indicators, "{themes} theme pages");
        assert!(with_indicators > 0, "theme pages with indicator tables");
        // units/<unit>/index.html (not units/index.html, the list).
        let units = compiled
            .keys()
            .filter(|path| path.starts_with("units/") && path.matches('/').count() == 2)
            .count();
        assert!(units > 5, "{units} unit pages");
        // plans/<plan>/index.html (not plans/index.html, the list).
        let plans = compiled
            .keys()
            .filter(|path| {
                path.starts_with("plans/")
                    && path.ends_with("/index.html")
                    && path.matches('/').count() == 2
            })
            .count();
        assert!(plans >= 3, "{plans} plans' covers");
        // concepts/<concept>/index.html (not concepts/index.html, the list).
        let concepts = compiled
            .keys()
            .filter(|path| path.starts_with("concepts/") && path.matches('/').count() == 2)
            .count();
        assert!(concepts > 0, "{concepts} indicator concepts' pages");
        assert_eq!(
            by_code,
            divisions + themes + units + plans + concepts,
            "the bundled theme's pages are compiled"
        );
        assert_eq!(by_code_then, 0, "a changed template is rendered by Tera");
        assert_eq!(
            compiled.keys().collect::<Vec<_>>(),
            tera.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &compiled {
            assert!(
                *bytes == tera[path],
                "{path} (minify {minify}, base URL {base_url:?}) differs from Tera's:\n{}\n---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&tera[path])
            );
        }
    }
    in_full
}

#[test]
fn real_pages_are_what_tera_makes_of_the_bundled_templates() {
    let site = copy_of_site();
    for base_url in [Some("https://atlas.test/sub/"), None] {
        // No value of the real content has `&` or `<`: every compiled page is written
        // minified as it is made (`render/compiled/compact`), and is Tera's page minified.
        let (in_full, compiled) = same_as_tera(site.path(), base_url);
        assert_eq!(in_full, 0, "{in_full} of {compiled} written in full");
    }
}

/// Synthetic plans with their units, implementations and alignments, one of them lengthened
/// past what a table of contents lists whole (30 chapters, 94 sections in the first), so that
/// its pages show the gaps of a windowed table of contents.
#[test]
fn synthetic_pages_are_what_tera_makes_of_the_bundled_templates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let synth = planatlas(&[
        "--root",
        repo().to_str().unwrap(),
        "synth",
        "--plans",
        "3",
        "--measures",
        "40",
        "--out",
        root.to_str().unwrap(),
    ]);
    assert!(synth.status.success(), "{}", stderr(&synth));
    let plan = root.join("content/plans/plan-00000");
    let part = |path: std::path::PathBuf, number: String, title: String| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = format!("+++\nnumber = \"{number}\"\ntitle = \"{title}\"\n+++\n\n说明。\n");
        std::fs::write(path, text).unwrap();
    };
    for c in 6..=30 {
        // Two titles with `&` and `<`, which every page of the plan lists in its table of
        // contents: those pages are written in full and then minified.
        let title = match c {
            7 => "附加章7 R&D".to_string(),
            8 => "附加章8 <试点>".to_string(),
            _ => format!("附加章{c}"),
        };
        part(
            plan.join(format!("{c:02}-chapter-{c}/_index.md")),
            format!("第{c}章"),
            title,
        );
    }
    for s in 5..=94 {
        part(
            plan.join(format!("01-chapter-1/{s:02}-section-{s}.md")),
            format!("第{s}节"),
            format!("附加节{s}"),
        );
    }
    // Theme lists of one measure a page: first, middle and last pages, and gaps in the
    // pager.
    let config = root.join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme_page_size = 1\n{text}")).unwrap();
    let (in_full, compiled) = same_as_tera(&root, Some("https://atlas.test/"));
    assert!(
        in_full > 100 && in_full < compiled,
        "{in_full} of {compiled} written in full"
    );
    let pages = built(&root, &dir.path().join("out"), None, false);
    let paged = pages
        .keys()
        .filter(|path| path.starts_with("themes/") && path.contains("/page/"))
        .count();
    assert!(paged > 10, "{paged} theme pages after the first");
    assert!(
        pages.values().any(|page| {
            let page = String::from_utf8_lossy(page);
            page.contains("class=\"pagination\"") && page.contains("class=\"gap\"")
        }),
        "a pager with gaps"
    );
    let page = String::from_utf8_lossy(&pages["plans/plan-00000/chapter-1/section-50/index.html"]);
    assert!(
        page.contains("… 全部 30 章") && page.contains("… 本章共 94 节"),
        "{page}"
    );
}

/// The plans' indicator tables render on all cores; when the table template fails for every
/// table, the error reported is still the first table's of the first plan that has one, in
/// every run, and nothing is written.
#[test]
fn of_failing_indicator_tables_the_first_plans_is_reported() {
    let dir = copy_of_site();
    let root = dir.path();
    crate::common::edit(
        &root.join("themes/default/templates/partials/indicator_table.html"),
        "<figcaption>{{ table.title }}</figcaption>",
        "<figcaption>{{ throw(message=\"table \" ~ table.title) }}</figcaption>",
    );
    let (site, d) = planatlas::content::load_site(root);
    assert!(d.is_empty(), "{d:?}");
    let tables: Vec<String> = site
        .unwrap()
        .plans
        .iter()
        .flat_map(|p| p.indicators.iter().map(|t| format!("table {}", t.title)))
        .collect();
    // Three plans have a table, each titled differently.
    assert!(tables.len() >= 3, "{tables:?}");
    for _ in 0..3 {
        let out = planatlas(&["--root", root.to_str().unwrap(), "build"]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = stderr(&out);
        assert!(stderr.contains(&format!("{}\n", tables[0])), "{stderr}");
        for other in &tables[1..] {
            assert!(!stderr.contains(&format!("{other}\n")), "{other}: {stderr}");
        }
        assert!(!root.join("public").exists(), "nothing was written");
    }
}
