//! Deeply nested content: 700 nested blockquotes, 400 nested lists or 1,300 nested emphasis
//! markers are reported as a content error with file and line, and never abort the process.
//! Nor does an attribute value that the minifier's release panicked on. The binary runs as a
//! child process, so that an abort shows up as a signal in its exit status instead of taking
//! the test harness down with it.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::planatlas;

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";
const ANCHOR: &str = "引导银行机构加大绿色信贷投放。";

/// A new site whose first measure carries `deep` (Markdown) after its text; returns the site
/// and the file line on which `deep` starts.
fn site_with(deep: &str) -> (tempfile::TempDir, usize) {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
    let path = dir.path().join(SECTION);
    let text = fs::read_to_string(&path).unwrap();
    let anchor_line = text.lines().position(|l| l == ANCHOR).unwrap() + 1;
    fs::write(
        &path,
        text.replacen(ANCHOR, &format!("{ANCHOR}\n\n{deep}"), 1),
    )
    .unwrap();
    (dir, anchor_line + 2)
}

fn run(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    planatlas(&all)
}

/// `build` and `check` both exit with status 1 (a content error, not a signal) and report
/// `expected` for the section file.
fn rejected(deep: &str, line_offset: usize) {
    let (dir, line) = site_with(deep);
    let line = line + line_offset;
    let public = dir.path().join("public");
    for args in [
        vec!["build", "--output", public.to_str().unwrap()],
        vec!["check"],
    ] {
        let out = run(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} must fail with a content error, not {:?}:\n{stderr}",
            out.status
        );
        let expected = format!(
            "{SECTION}:{line}: the Markdown is nested more than {} levels deep",
            planatlas::markdown::MAX_NESTING
        );
        assert!(
            stderr.contains(&expected),
            "{args:?}: expected {expected:?} in\n{stderr}"
        );
        assert!(stderr.contains("(hint: "), "{stderr}");
    }
    assert!(!public.exists(), "nothing is published");
}

#[test]
fn seven_hundred_nested_blockquotes_are_a_content_error() {
    rejected(&format!("{} 深\n", ">".repeat(700)), 0);
}

#[test]
fn four_hundred_nested_lists_are_a_content_error() {
    let deep: String = (0..400)
        .map(|i| format!("{}- 项\n", "  ".repeat(i)))
        .collect();
    // The limit is passed on the line of the list that goes one level too deep: each list
    // level opens a list and an item.
    rejected(&deep, planatlas::markdown::MAX_NESTING / 2);
}

#[test]
fn thirteen_hundred_emphasis_markers_are_a_content_error() {
    rejected(&format!("{0}强调{0}\n", "*".repeat(1300)), 0);
}

#[test]
fn boxes_nested_in_boxes_count_towards_the_limit() {
    let levels = planatlas::markdown::MAX_NESTING + 1;
    let mut deep = String::new();
    for k in 0..levels {
        deep.push_str(&format!("{} box 专栏{k}\n", "`".repeat(3 + levels - k)));
    }
    deep.push_str("内容\n");
    for k in (0..levels).rev() {
        deep.push_str(&format!("{}\n", "`".repeat(3 + levels - k)));
    }
    let (dir, _) = site_with(&deep);
    let out = run(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nested more than"), "{stderr}");
}

#[test]
fn nesting_up_to_the_limit_builds() {
    let depth = 10;
    let (dir, _) = site_with(&format!(
        "{} 深\n\n{}\n",
        ">".repeat(depth),
        (0..depth)
            .map(|i| format!("{}- 项", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n")
    ));
    let out = run(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Raw HTML is not Markdown nesting: thousands of nested allowed tags still must not abort
/// rendering or minifying (the page then may go out unminified).
#[test]
fn deeply_nested_raw_html_does_not_abort() {
    let (dir, _) = site_with(&format!(
        "{}深{}\n",
        "<b>".repeat(20_000),
        "</b>".repeat(20_000)
    ));
    let public = dir.path().join("public");
    let out = run(dir.path(), &["build", "--output", public.to_str().unwrap()]);
    assert!(
        out.status.code().is_some(),
        "the process was killed by {:?}",
        out.status
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        fs::read_to_string(public.join("plans/example-plan/tasks/green/index.html")).unwrap();
    assert!(page.contains("深"));
}

/// A link title holding both kinds of quote and ending in a space made the released minifier
/// panic (an index past the end, `vendor/minify-html-onepass/VENDORED.md`), and the whole
/// build with it: the page now minifies, the title kept whole.
#[test]
fn a_link_title_with_both_quotes_minifies() {
    let (dir, _) = site_with(
        "见[说明](https://example.org/a \"a'b\\\"c \")和[附件](https://example.org/b 'x\\'y\"z\t')。",
    );
    let public = dir.path().join("public");
    let out = run(dir.path(), &["build", "--output", public.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        fs::read_to_string(public.join("plans/example-plan/tasks/green/index.html")).unwrap();
    // Unquoted (both quotes are inside), the last character encoded without a semicolon.
    assert!(
        page.contains("<a href=https://example.org/a title=a'b\"c&#32>说明</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=https://example.org/b title=x'y\"z&#9>附件</a>"),
        "{page}"
    );
}
