//! A catalogue of broken content: each case breaks a fresh site one way and states the exact
//! report (file, line, column where there is one, what is wrong, and a hint), and checks that
//! the previous `public/` stays byte for byte as it was. A final case breaks the site in four
//! ways at once: every problem is reported, sorted by file and line.

mod common;

use std::fs;
use std::path::Path;

use common::edit_file;
use planatlas::{BuildError, BuildOptions};

const PLAN: &str = "content/plans/example-plan/plan.toml";
const INDICATORS: &str = "content/plans/example-plan/indicators.toml";
const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";
const CHAPTER: &str = "content/plans/example-plan/01-tasks/_index.md";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::init::init(dir.path()).unwrap();
    dir
}

fn append(root: &Path, file: &str, more: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}{more}")).unwrap();
}

fn errors(root: &Path) -> Vec<String> {
    match planatlas::build_in_memory(&BuildOptions::new(root)) {
        Ok(_) => panic!("the build must fail"),
        Err(BuildError::Content(items)) => items.iter().map(|d| d.to_string()).collect(),
        Err(other) => panic!("not a content error: {other}"),
    }
}

/// Builds a fresh site, breaks it with `break_it`, and checks the full report of the next
/// build and that the first build's output is still there, byte for byte.
fn case(break_it: impl FnOnce(&Path), expected: &[&str]) {
    let dir = site();
    let root = dir.path();
    let public = root.join("public");
    let mut options = BuildOptions::new(root);
    options.output = public.clone();
    planatlas::build(&options).unwrap();
    let before = common::read_tree(&public);
    break_it(root);
    let reported: Vec<String> = match planatlas::build(&options) {
        Ok(_) => panic!("the build must fail"),
        Err(BuildError::Content(items)) => items.iter().map(|d| d.to_string()).collect(),
        Err(other) => panic!("not a content error: {other}"),
    };
    assert_eq!(reported, expected);
    assert_eq!(errors(root), expected, "the same report without writing");
    assert!(common::read_tree(&public) == before, "public/ changed");
}

#[test]
fn malformed_toml_in_front_matter() {
    case(
        |r| {
            edit_file(
                r,
                SECTION,
                "title = \"发展绿色金融\"",
                "title = \"发展绿色金融",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:3:16: invalid TOML: invalid basic string, expected `\"` (hint: fix the TOML syntax at this place: quotes around text, brackets closed, one `key = value` a line)",
        ],
    );
}

#[test]
fn malformed_toml_in_plan_toml() {
    case(
        |r| edit_file(r, PLAN, "level = \"municipality\"", "level = municipality"),
        &[
            "content/plans/example-plan/plan.toml:9:9: invalid TOML: string values must be quoted, expected literal string (hint: put the text in double quotes, e.g. level = \"province\")",
        ],
    );
}

#[test]
fn malformed_toml_in_indicators_toml() {
    case(
        |r| edit_file(r, INDICATORS, "[[indicator]]", "[[indicator]"),
        &[
            "content/plans/example-plan/indicators.toml:3:13: invalid TOML: unclosed array table, expected `]` (hint: fix the TOML syntax at this place: quotes around text, brackets closed, one `key = value` a line)",
        ],
    );
}

#[test]
fn malformed_toml_in_themes_toml() {
    case(
        |r| {
            edit_file(
                r,
                "content/themes.toml",
                "slug = \"green-finance\"",
                "slug = green-finance\"",
            )
        },
        &[
            "content/themes.toml:2:8: invalid TOML: missing opening quote, expected `\"` (hint: fix the TOML syntax at this place: quotes around text, brackets closed, one `key = value` a line)",
        ],
    );
}

#[test]
fn a_missing_required_field() {
    case(
        |r| edit_file(r, PLAN, "short_title = \"示例规划\"\n", ""),
        &[
            "content/plans/example-plan/plan.toml:1:1: missing field `short_title` (hint: add the field named in the message)",
        ],
    );
}

#[test]
fn a_date_that_is_no_date() {
    case(
        |r| {
            edit_file(
                r,
                PLAN,
                "date_published = 2021-06-10",
                "date_published = 2021-13-40",
            )
        },
        &[
            "content/plans/example-plan/plan.toml:6:18: invalid TOML: invalid date, expected month between 01 and 12 (hint: write a date as YYYY-MM-DD with a real month (01-12) and day, without quotes)",
        ],
    );
}

#[test]
fn a_year_of_20251() {
    case(
        |r| edit_file(r, PLAN, "period = [2021, 2025]", "period = [2021, 20251]"),
        &[
            "content/plans/example-plan/plan.toml:7: `period` has the year 20251, which is not plausible (hint: write a four-digit year between 1949 and 2100)",
        ],
    );
}

#[test]
fn unknown_theme_plan_and_relation_target() {
    case(
        |r| {
            edit_file(
                r,
                SECTION,
                "themes=\"green-finance\"}",
                "themes=\"green-financ\" related=\"ex-9-9-9\"}",
            );
            append(r, PLAN, "implements = [\"no-such-plan\"]\n");
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:9: measure `ex-1-1-1` names unknown measure `ex-9-9-9` in related/not_related (hint: use the id of an existing measure)",
            "content/plans/example-plan/01-tasks/01-green.md:9: measure `ex-1-1-1`: unknown theme `green-financ` (hint: did you mean `green-finance`? known names are defined in content/themes.toml)",
            "content/plans/example-plan/plan.toml: plan `example-plan` refers to unknown plan `no-such-plan` (hint: use a name defined in content/plans/)",
        ],
    );
}

#[test]
fn duplicate_measure_ids_within_and_across_plans() {
    case(
        |r| {
            edit_file(r, SECTION, "{#ex-1-1-2 ", "{#ex-1-1-1 ");
            let other = r.join("content/plans/other-plan");
            common::copy_tree(&r.join("content/plans/example-plan"), &other);
            edit_file(
                r,
                "content/plans/other-plan/plan.toml",
                "short_title = \"示例规划\"",
                "short_title = \"另一规划\"",
            );
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:13: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9; ids must be unique across the site)",
            "content/plans/other-plan/01-tasks/01-green.md:9: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9; ids must be unique across the site)",
            "content/plans/other-plan/01-tasks/01-green.md:13: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9; ids must be unique across the site)",
            "content/plans/other-plan/indicators.toml:3: duplicate id `ex-ind-1` (hint: it is already used at content/plans/example-plan/indicators.toml:3; ids must be unique across the site)",
        ],
    );
}

#[test]
fn ids_with_spaces_or_characters_not_allowed_in_urls() {
    case(|r| edit_file(r, SECTION, "{#ex-1-1-2 ", "{#ex/1?2 "), &[
            "content/plans/example-plan/01-tasks/01-green.md:13: measure id `ex/1?2` has characters not allowed in URLs (hint: use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. sc-3-1-1)",
        ]);
}

#[test]
fn an_indicator_value_neither_number_nor_text() {
    case(
        |r| edit_file(r, INDICATORS, "value = 100", "value = [100]"),
        &[
            "content/plans/example-plan/indicators.toml:3: indicator `ex-ind-1`: baseline value: the value is array, neither a number nor text (hint: write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\")",
        ],
    );
}

#[test]
fn internal_links_to_a_missing_page_or_anchor() {
    case(
        |r| {
            edit_file(r, SECTION, "01-green.md#ex-1-1-1", "01-green.md#ex-1-1-7");
            append(
                r,
                CHAPTER,
                "\n见[别处](@/plans/example-plan/09-none.md)。\n",
            );
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:15:2: link to `@/plans/example-plan/01-tasks/01-green.md#ex-1-1-7`: that page has no such anchor (hint: link to a file below content/ as @/plans/<slug>/<NN-chapter>/<MM-section>.md#<measure-id>)",
            "content/plans/example-plan/01-tasks/_index.md:8:2: link to `@/plans/example-plan/09-none.md`: no such content file (hint: link to a file below content/ as @/plans/<slug>/<NN-chapter>/<MM-section>.md#<measure-id>)",
        ],
    );
}

#[test]
fn an_empty_measure() {
    case(
        |r| {
            edit_file(r, SECTION, "### 支持小微企业绿色转型。 {", "### {");
            edit_file(
                r,
                SECTION,
                "见[扩大绿色信贷](@/plans/example-plan/01-tasks/01-green.md#ex-1-1-1)。",
                "",
            );
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:13: measure `ex-1-1-2` is empty (hint: put the measure's text below its heading, or remove the heading)",
        ],
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it_whole() {
    case(
        |r| {
            let path = r.join(SECTION);
            let mut text = fs::read_to_string(&path).unwrap();
            let line = "扩大绿色信贷投放。".repeat(200) + "\n";
            while text.len() < 50 * 1024 * 1024 {
                text.push_str(&line);
            }
            fs::write(&path, text).unwrap();
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md: the file has 52433266 bytes, more than the limit of 8388608 (hint: split the content into several files)",
        ],
    );
}

#[test]
fn a_plan_folder_that_tries_to_escape_the_output() {
    case(
        |r| {
            let plans = r.join("content/plans");
            fs::rename(plans.join("example-plan"), plans.join("..example")).unwrap();
        },
        &[
            "content/plans/..example: plan folder name `..example` is not a valid slug (hint: name plan folders with lowercase ASCII letters, digits and `-`)",
        ],
    );
}

#[test]
fn many_problems_at_once_are_all_reported_sorted_by_file_and_line() {
    case(
        |r| {
            edit_file(r, INDICATORS, "value = 100", "value = [100]");
            edit_file(r, SECTION, "themes=\"green-finance\"}", "themes=\"green-financ\"}");
            edit_file(r, SECTION, "{#ex-1-1-2 ", "{#ex/1?2 ");
            edit_file(r, PLAN, "period = [2021, 2025]", "period = [2021, 20251]");
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:9: measure `ex-1-1-1`: unknown theme `green-financ` (hint: did you mean `green-finance`? known names are defined in content/themes.toml)",
            "content/plans/example-plan/01-tasks/01-green.md:13: measure id `ex/1?2` has characters not allowed in URLs (hint: use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. sc-3-1-1)",
            "content/plans/example-plan/indicators.toml:3: indicator `ex-ind-1`: baseline value: the value is array, neither a number nor text (hint: write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\")",
            "content/plans/example-plan/plan.toml:7: `period` has the year 20251, which is not plausible (hint: write a four-digit year between 1949 and 2100)",
        ],
    );
}
