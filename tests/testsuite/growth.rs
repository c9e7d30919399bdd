//! Output grows with the content, not with its square: every page's navigation is bounded,
//! whatever the number of sections in a chapter or of pages of a theme.

use std::fs;
use std::path::Path;

use planatlas::BuildOptions;

const CHAPTER: &str = "content/plans/example-plan/01-tasks";

/// A new site whose one chapter has `sections` sections (the example's plus generated ones,
/// each with one measure).
fn site_with_sections(sections: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    for k in 2..=sections {
        fs::write(
            dir.path().join(CHAPTER).join(format!("{k:05}-s{k}.md")),
            format!(
                "+++\nnumber = \"第{k}节\"\ntitle = \"第{k}个小节的标题\"\n+++\n\n### 举措{k}。 {{#g-{k} themes=\"green-finance\"}}\n\n推进第{k}项工作。\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// Total bytes of the HTML pages and the largest section page.
fn sizes(root: &Path) -> (usize, usize) {
    let built = planatlas::build_in_memory(&BuildOptions::new(root))
        .unwrap_or_else(|e| panic!("the site must build:\n{e}"));
    let html = built.files.iter().filter(|(p, _)| p.ends_with(".html"));
    let total = html.clone().map(|(_, b)| b.len()).sum();
    let largest_section = html
        .filter(|(p, _)| p.starts_with("plans/example-plan/tasks/s"))
        .map(|(_, b)| b.len())
        .max()
        .unwrap();
    (total, largest_section)
}

#[test]
fn sections_of_a_long_chapter_grow_the_site_linearly() {
    let (small, small_page) = sizes(site_with_sections(500).path());
    let (large, large_page) = sizes(site_with_sections(1000).path());
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 2.3,
        "twice the sections made the pages {ratio:.2} times as large ({small} → {large} bytes)"
    );
    assert!(
        large_page < 40_000 && large_page <= small_page + 200,
        "a section page of 1,000 sections weighs {large_page} bytes ({small_page} with 500)"
    );
}

/// A theme with many pages: its pager names a window of pages, the first and the last, not
/// every page.
#[test]
fn the_theme_pager_is_bounded() {
    let dir = site_with_sections(300);
    let site_toml = dir.path().join("content/site.toml");
    let text = fs::read_to_string(&site_toml).unwrap();
    fs::write(&site_toml, format!("{text}theme_page_size = 2\n")).unwrap();
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let page = |name: &str| crate::common::built_page(&built, name);
    let pages = built
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("themes/green-finance/page/"))
        .count()
        + 1;
    assert!(pages > 140, "{pages} pages");
    let pager_links =
        regex::Regex::new(r#"href="?[./]*themes/green-finance/(page/\d+/)?"?"#).unwrap();
    for n in [1, 2, 75, pages - 1, pages] {
        let name = if n == 1 {
            "themes/green-finance/index.html".to_string()
        } else {
            format!("themes/green-finance/page/{n}/index.html")
        };
        let html = page(&name);
        let pager = &html[html.find("class=pagination").expect("a pager")..];
        let pager = &pager[..pager.find("</nav>").unwrap()];
        let links = pager_links.find_iter(pager).count();
        assert!(
            links <= 16,
            "page {n}: the pager has {links} links:\n{pager}"
        );
        // The first and the last page are always reachable.
        assert!(
            pager.contains(&format!("page/{pages}/")) || n == pages,
            "{pager}"
        );
        assert!(
            pager.contains("themes/green-finance/\"")
                || pager.contains("themes/green-finance/>")
                || pager.contains("themes/green-finance/ ")
                || n == 1,
            "page {n}: no link to page 1:\n{pager}"
        );
    }
}
