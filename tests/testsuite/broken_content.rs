//! A catalogue of broken content: each case breaks a fresh site one way and states the exact
//! report (file, line, column where there is one, what is wrong, and a hint), and checks that
//! the previous `public/` stays byte for byte as it was. A final case breaks the site in four
//! ways at once: every problem is reported, sorted by file and line.

use std::fs;
use std::path::Path;

use crate::common::edit_file;
use planatlas::{BuildError, BuildOptions};

const PLAN: &str = "content/plans/example-plan/plan.toml";
const INDICATORS: &str = "content/plans/example-plan/indicators.toml";
const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";
const CHAPTER: &str = "content/plans/example-plan/01-tasks/_index.md";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    planatlas::cmd::init::init(dir.path()).unwrap();
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
    let before = crate::common::read_tree(&public);
    break_it(root);
    let reported: Vec<String> = match planatlas::build(&options) {
        Ok(_) => panic!("the build must fail"),
        Err(BuildError::Content(items)) => items.iter().map(|d| d.to_string()).collect(),
        Err(other) => panic!("not a content error: {other}"),
    };
    assert_eq!(reported, expected);
    assert_eq!(errors(root), expected, "the same report without writing");
    assert!(
        crate::common::read_tree(&public) == before,
        "public/ changed"
    );
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
    // `init` writes the bundled site's theme list: the line is where `green-finance` stands in it.
    let line = include_str!("../../content/themes.toml")
        .lines()
        .position(|l| l == "slug = \"green-finance\"")
        .unwrap()
        + 1;
    let expected = format!(
        "content/themes.toml:{line}:8: invalid TOML: missing opening quote, expected `\"` (hint: fix the TOML syntax at this place: quotes around text, brackets closed, one `key = value` a line)"
    );
    case(
        |r| {
            edit_file(
                r,
                "content/themes.toml",
                "slug = \"green-finance\"",
                "slug = green-finance\"",
            )
        },
        &[expected.as_str()],
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
            crate::common::copy_tree(&r.join("content/plans/example-plan"), &other);
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

/// Runs `f` on another thread and fails if it does not return within a minute: a content file
/// that blocks on open or read must not hang the build.
fn within_a_minute(f: impl FnOnce() + Send + 'static) {
    let (done, wait) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    match wait.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => worker.join().unwrap(),
        // The worker panicked: show its message.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(e) = worker.join() {
                std::panic::resume_unwind(e)
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the build hangs"),
    }
}

/// Replaces the content file `file` by a named pipe.
fn fifo(root: &Path, file: &str) {
    let path = root.join(file);
    fs::remove_file(&path).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn content_plans_missing() {
    case(
        |r| fs::remove_dir_all(r.join("content/plans")).unwrap(),
        &[
            "content/plans: cannot read the folder: No such file or directory (os error 2) (hint: a site keeps its plans in content/plans/, one folder per plan; run planatlas in the site's root folder or give it with --root)",
        ],
    );
}

#[test]
fn content_plans_is_a_file() {
    case(
        |r| {
            fs::remove_dir_all(r.join("content/plans")).unwrap();
            fs::write(r.join("content/plans"), "").unwrap();
        },
        &[
            "content/plans: cannot read the folder: Not a directory (os error 20) (hint: a site keeps its plans in content/plans/, one folder per plan; run planatlas in the site's root folder or give it with --root)",
        ],
    );
}

#[test]
fn content_plans_is_a_symlink_loop() {
    case(
        |r| {
            fs::remove_dir_all(r.join("content/plans")).unwrap();
            std::os::unix::fs::symlink("plans", r.join("content/plans")).unwrap();
        },
        &[
            "content/plans: cannot read the folder: Too many levels of symbolic links (os error 40) (hint: a site keeps its plans in content/plans/, one folder per plan; run planatlas in the site's root folder or give it with --root)",
        ],
    );
}

#[test]
fn content_pages_is_a_file() {
    case(
        |r| {
            fs::remove_dir_all(r.join("content/pages")).unwrap();
            fs::write(r.join("content/pages"), "").unwrap();
        },
        &[
            "content/pages: cannot read the folder: Not a directory (os error 20) (hint: stand-alone pages are files content/pages/<slug>.md; remove content/pages if the site has none)",
        ],
    );
}

#[test]
fn a_named_pipe_where_a_content_file_is_expected() {
    within_a_minute(|| {
        case(
            |r| {
                fifo(r, CHAPTER);
                fifo(r, PLAN);
                fifo(r, SECTION);
            },
            &[
                "content/plans/example-plan/01-tasks/01-green.md: a named pipe (FIFO) is not a regular file (hint: content files must be regular files: replace it by the file itself)",
                "content/plans/example-plan/01-tasks/_index.md: a named pipe (FIFO) is not a regular file (hint: content files must be regular files: replace it by the file itself)",
                "content/plans/example-plan/plan.toml: a named pipe (FIFO) is not a regular file (hint: content files must be regular files: replace it by the file itself)",
            ],
        )
    });
}

#[test]
fn a_socket_where_a_content_file_is_expected() {
    within_a_minute(|| {
        case(
            |r| {
                let path = r.join(INDICATORS);
                fs::remove_file(&path).unwrap();
                // The listener closes at the end of this closure; its socket file stays.
                std::os::unix::net::UnixListener::bind(&path).unwrap();
            },
            &[
                "content/plans/example-plan/indicators.toml: a socket is not a regular file (hint: content files must be regular files: replace it by the file itself)",
            ],
        )
    });
}

/// Runs the `planatlas` binary with `args`. As root, permissions do not stop reads: the
/// binary then runs without the capabilities that bypass them (`setpriv`), so that a folder
/// with mode 000 is unreadable to it as it would be to any other user.
fn planatlas_without_override(args: &[&str]) -> std::process::Output {
    let root_user = fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut command = if root_user {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search",
            env!("CARGO_BIN_EXE_planatlas"),
        ]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_planatlas"))
    };
    command
        .args(args)
        .output()
        .expect("setpriv (util-linux) runs the binary without permission overrides")
}

#[test]
fn unreadable_chapter_and_pages_folders_give_the_os_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site();
    let root = dir.path();
    let public = root.join("public");
    let root_arg = root.to_str().unwrap();
    let first = planatlas_without_override(&["--root", root_arg, "build"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = crate::common::read_tree(&public);
    let locked = [
        root.join("content/plans/example-plan/01-tasks"),
        root.join("content/pages"),
    ];
    for folder in &locked {
        fs::set_permissions(folder, fs::Permissions::from_mode(0o000)).unwrap();
    }
    let out = planatlas_without_override(&["--root", root_arg, "build"]);
    for folder in &locked {
        fs::set_permissions(folder, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    for expected in [
        "content/pages: cannot read the folder: Permission denied (os error 13) (hint: stand-alone pages are files content/pages/<slug>.md; remove content/pages if the site has none)",
        "content/plans/example-plan/01-tasks: cannot read the folder: Permission denied (os error 13) (hint: check that planatlas may read the chapter folder)",
    ] {
        assert!(stderr.contains(expected), "{expected}\nnot in:\n{stderr}");
    }
    assert!(!stderr.contains("has no _index.md"), "{stderr}");
    assert!(
        crate::common::read_tree(&public) == before,
        "public/ changed"
    );
}

#[test]
fn measure_headings_with_a_full_width_space_or_full_width_hashes() {
    case(
        |r| {
            edit_file(r, SECTION, "### 扩大绿色信贷。", "\u{3000}### 扩大绿色信贷。");
            edit_file(r, SECTION, "### 支持小微企业", "＃＃＃ 支持小微企业");
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:9:1: the heading starts with U+3000 (ideographic space) before its `###` (hint: start the line with `###`: delete what stands before it, which an editor may not show)",
            "content/plans/example-plan/01-tasks/01-green.md:13:1: the heading is written with full-width `＃` signs (hint: write the heading with ASCII `#` signs: `### lead phrase {#id themes=\"…\"}`)",
        ],
    );
}

#[test]
fn measure_headings_after_invisible_characters_and_a_stray_attribute_block() {
    case(
        |r| {
            append(
                r,
                CHAPTER,
                "\n\u{a0}### 甲。 {#ex-0-1 themes=\"green-finance\"}\n\n正文。\n\n\u{200b}### 乙。 {#ex-0-2 themes=\"green-finance\"}\n\n正文。\n\n\u{feff}### 丙。 {#ex-0-3 themes=\"green-finance\"}\n\n正文。 {#ex-0-4}\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/_index.md:8:1: the heading starts with U+00A0 (no-break space) before its `###` (hint: start the line with `###`: delete what stands before it, which an editor may not show)",
            "content/plans/example-plan/01-tasks/_index.md:12:1: the heading starts with U+200B (zero-width space) before its `###` (hint: start the line with `###`: delete what stands before it, which an editor may not show)",
            "content/plans/example-plan/01-tasks/_index.md:16:1: the heading starts with U+FEFF (byte order mark) before its `###` (hint: start the line with `###`: delete what stands before it, which an editor may not show)",
            "content/plans/example-plan/01-tasks/_index.md:18:5: the line ends with an attribute block `{#…}` but is not a heading (hint: a measure heading starts the line with `### `; if the block is not meant as one, remove it)",
        ],
    );
}

const OTHER_CHAPTER: &str =
    "+++\nnumber = \"第二章\"\ntitle = \"保障措施\"\n+++\n\n加强组织领导。\n";

#[test]
fn two_chapters_with_the_same_slug() {
    case(
        |r| {
            fs::write(r.join("content/plans/example-plan/02-tasks.md"), OTHER_CHAPTER).unwrap();
        },
        &[
            "content/plans/example-plan/02-tasks.md: the chapter slug `tasks` is also taken by content/plans/example-plan/01-tasks: both would be written to plans/example-plan/tasks/ (hint: give each chapter its own slug, the part of the name after its number)",
        ],
    );
}

#[test]
fn a_chapter_folder_and_a_chapter_file_with_the_same_slug() {
    case(
        |r| {
            fs::write(r.join("content/plans/example-plan/01-tasks.md"), OTHER_CHAPTER).unwrap();
        },
        &[
            "content/plans/example-plan/01-tasks.md: the chapter slug `tasks` is also taken by content/plans/example-plan/01-tasks: both would be written to plans/example-plan/tasks/ (hint: give each chapter its own slug, the part of the name after its number)",
        ],
    );
}

#[test]
fn two_sections_with_the_same_slug() {
    case(
        |r| {
            fs::write(
                r.join("content/plans/example-plan/01-tasks/02-green.md"),
                "+++\nnumber = \"第二节\"\ntitle = \"发展普惠金融\"\n+++\n\n加强普惠金融。\n",
            )
            .unwrap();
        },
        &[
            "content/plans/example-plan/01-tasks/02-green.md: the section slug `green` is also taken by content/plans/example-plan/01-tasks/01-green.md: both would be written to plans/example-plan/tasks/green/ (hint: give each section its own slug, the part of the name after its number)",
        ],
    );
}

#[test]
fn a_sub_heading_id_that_repeats_a_measure_id() {
    case(
        |r| append(r, SECTION, "\n#### 一、小标题 {#ex-1-1-1}\n\n说明。\n"),
        &[
            "content/plans/example-plan/01-tasks/01-green.md:17: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9; ids must be unique across the site)",
        ],
    );
}

#[test]
fn indicator_values_that_are_not_finite_or_too_long() {
    case(
        |r| {
            edit_file(r, INDICATORS, "value = 100", "value = nan");
            edit_file(r, INDICATORS, "200以上", &"9".repeat(400));
        },
        &[
            "content/plans/example-plan/indicators.toml:3: indicator `ex-ind-1`: baseline value: `nan` is not a number a plan can give (hint: write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\")",
            "content/plans/example-plan/indicators.toml:3: indicator `ex-ind-1`: target value: the number is too large: more than 15 digits before the decimal point (hint: write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\")",
        ],
    );
}

#[test]
fn plain_links_to_site_paths_that_do_not_exist() {
    case(
        |r| {
            append(
                r,
                CHAPTER,
                "\n[缺](/plans/example-plan/missing/)、[相对](../missing/)、[越界](../../../../x/)、[图](/static/none/../../nope.png)\n\n\
                 [有](/plans/example-plan/tasks/green/)、[相对有](green/#ex-1-1-1)、[上级](../)、[帮助](/help/)、[页](/plans/example-plan/tasks/green/index.html)、[无斜线](/themes/green-finance)\n\n\
                 [数据](/data/measures.csv)、[样式](/static/style.css)、[搜索](/search/)、[订阅](/atom.xml)、[外](https://example.org/x)、[协议相对](//example.org/)、[本页](#top)、[邮件](mailto:a@example.org)\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/_index.md:8:1: link to `/plans/example-plan/missing/`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
            "content/plans/example-plan/01-tasks/_index.md:8:35: link to `../missing/`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
            "content/plans/example-plan/01-tasks/_index.md:8:53: link to `../../../../x/`: it leads above the site's root folder (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
            "content/plans/example-plan/01-tasks/_index.md:8:74: link to `/static/none/../../nope.png`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
        ],
    );
}

#[test]
fn a_device_where_a_content_file_is_expected() {
    // /dev/zero's twin: it reports a size of 0 and never ends, so reading it whole would
    // exhaust memory. Making a device needs CAP_MKNOD (root, as in CI).
    let probe = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mknod")
        .arg(probe.path().join("zero"))
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mknod is not permitted here (needs CAP_MKNOD)");
        return;
    }
    within_a_minute(|| {
        case(
            |r| {
                let path = r.join(SECTION);
                fs::remove_file(&path).unwrap();
                let status = std::process::Command::new("mknod")
                    .arg(&path)
                    .args(["c", "1", "5"])
                    .status()
                    .unwrap();
                assert!(status.success());
            },
            &[
                "content/plans/example-plan/01-tasks/01-green.md: a device is not a regular file (hint: content files must be regular files: replace it by the file itself)",
            ],
        )
    });
}

#[test]
fn heading_attributes_beyond_id_and_class_and_nesting_too_deep() {
    case(
        |r| {
            append(
                r,
                SECTION,
                &format!(
                    "\n#### 小标题 {{#sub-x onclick=alert(1)}}\n\n{}深\n",
                    "> ".repeat(40)
                ),
            )
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:17: heading attribute `onclick=alert(1)` is not allowed (hint: a heading's {…} block may hold only `#id` and `.class`)",
            "content/plans/example-plan/01-tasks/01-green.md:19: the Markdown is nested more than 32 levels deep (hint: block quotes, lists, emphasis and boxes count a level each; flatten the text)",
        ],
    );
}

#[test]
fn links_inside_a_box_are_checked_like_links_outside() {
    case(
        |r| {
            append(
                r,
                SECTION,
                "\n```box T\n见[甲](@/plans/nope.md#x)与[乙](@/plans/example-plan/01-tasks/01-green.md#nope)和[丙](/plans/missing/)。\n```\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:18:2: link to `@/plans/nope.md`: no such content file (hint: link to a file below content/ as @/plans/<slug>/<NN-chapter>/<MM-section>.md#<measure-id>)",
            "content/plans/example-plan/01-tasks/01-green.md:18:25: link to `@/plans/example-plan/01-tasks/01-green.md#nope`: that page has no such anchor (hint: link to a file below content/ as @/plans/<slug>/<NN-chapter>/<MM-section>.md#<measure-id>)",
            "content/plans/example-plan/01-tasks/01-green.md:18:77: link to `/plans/missing/`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
        ],
    );
}

#[test]
fn links_inside_boxes_and_nested_boxes_resolve() {
    let dir = site();
    append(
        dir.path(),
        SECTION,
        "\n````box 外\n见[甲](@/plans/example-plan/01-tasks/01-green.md#ex-1-1-1)。\n\n```box 内\n见[乙](@/plans/example-plan/01-tasks/_index.md)。\n```\n````\n",
    );
    let built = planatlas::build_in_memory(&BuildOptions::new(dir.path())).unwrap();
    let (_, page) = built
        .files
        .iter()
        .find(|(p, _)| p == "plans/example-plan/tasks/green/index.html")
        .unwrap();
    let page = String::from_utf8_lossy(page);
    assert!(
        page.contains("<p>见<a href=../../../../plans/example-plan/tasks/green/#ex-1-1-1>甲</a>"),
        "{page}"
    );
    assert!(
        page.contains("<p>见<a href=../../../../plans/example-plan/tasks/>乙</a>"),
        "{page}"
    );
}

#[test]
fn a_heading_id_inside_a_box_or_the_plan_preamble_that_repeats_a_measure_id() {
    case(
        |r| {
            append(r, SECTION, "\n```box T\n#### A {#ex-1-1-2}\n```\n");
            append(r, "content/plans/example-plan/_index.md", "\n#### A {#ex-1-1-1}\n");
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:18: duplicate id `ex-1-1-2` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:13; ids must be unique across the site)",
            "content/plans/example-plan/_index.md:6: duplicate id `ex-1-1-1` (hint: it is already used at content/plans/example-plan/01-tasks/01-green.md:9; ids must be unique across the site)",
        ],
    );
}

#[test]
fn a_heading_id_the_theme_uses() {
    case(
        |r| {
            append(r, SECTION, "\n#### 正文 {#main}\n\n```box T\n#### 规划 {#plans}\n```\n");
            append(r, "content/pages/help.md", "\n## 搜索 {#site-q}\n\n## 规划 {#plan-example-plan}\n");
        },
        &[
            "content/pages/help.md:12: the id `site-q` is one the theme uses for its own elements (hint: choose another id; the theme uses: alignment-added, alignment-chapters, alignment-themes, main, plan-toc, plans, search-filters, search-more, search-q, search-results, search-status, site-nav, site-q, and plan-<plan slug>)",
            "content/pages/help.md:14: the id `plan-example-plan` is one the theme uses for its own elements (hint: choose another id; the theme uses: alignment-added, alignment-chapters, alignment-themes, main, plan-toc, plans, search-filters, search-more, search-q, search-results, search-status, site-nav, site-q, and plan-<plan slug>)",
            "content/plans/example-plan/01-tasks/01-green.md:17: the id `main` is one the theme uses for its own elements (hint: choose another id; the theme uses: alignment-added, alignment-chapters, alignment-themes, main, plan-toc, plans, search-filters, search-more, search-q, search-results, search-status, site-nav, site-q, and plan-<plan slug>)",
            "content/plans/example-plan/01-tasks/01-green.md:20: the id `plans` is one the theme uses for its own elements (hint: choose another id; the theme uses: alignment-added, alignment-chapters, alignment-themes, main, plan-toc, plans, search-filters, search-more, search-q, search-results, search-status, site-nav, site-q, and plan-<plan slug>)",
        ],
    );
}
#[test]
fn an_indented_measure_heading() {
    case(
        |r| {
            append(
                r,
                SECTION,
                "\n\n\t### 新举措。 {#ex-1-1-9 themes=\"green-finance\"}\n\n新举措的正文。\n\n    ### 又一举措。 {#ex-1-1-10 themes=\"green-finance\"}\n\n正文。\n\n    # 真正的代码\n    let x = 1;\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:18:1: the heading is indented by a tab, so Markdown does not read it as a heading (hint: remove the indentation: start the line with `###`)",
            "content/plans/example-plan/01-tasks/01-green.md:22:1: the heading is indented by 4 spaces, so Markdown does not read it as a heading (hint: remove the indentation: start the line with `###`)",
        ],
    );
}

#[test]
fn a_measure_heading_inside_a_list_item() {
    // A sub-heading indented as a list item's content is the item's: not reported. A measure
    // heading cannot stand inside a list.
    case(
        |r| {
            append(
                r,
                SECTION,
                "\n1. 第一项\n   #### 项内小标题\n\n   正文。\n2. 第二项\n   ### 新举措。 {#ex-1-1-9 themes=\"green-finance\"}\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/01-green.md:22:1: the measure heading stands inside a list item, indented by 3 spaces (hint: a measure cannot stand in a list: end the list with a blank line and start the heading at the left margin with `###`)",
        ],
    );
}

#[test]
fn raw_html_links_and_backslashes_to_site_paths_that_do_not_exist() {
    case(
        |r| {
            append(
                r,
                CHAPTER,
                "\n见<a href=\"/plans/missing/\">甲</a>与[乙](<\\plans\\missing>)。\n\n<p>\n<img alt=\"x\" src='../nope.png'> <A HREF=/plans/example-plan/>有</A> <a href=\"https://example.org/\">外</a>\n</p>\n",
            )
        },
        &[
            "content/plans/example-plan/01-tasks/_index.md:8:2: link to `/plans/missing/`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
            "content/plans/example-plan/01-tasks/_index.md:8:34: link to `\\plans\\missing`: it has a backslash, which browsers read as `/` (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
            "content/plans/example-plan/01-tasks/_index.md:11:1: link to `../nope.png`: the site has no such page or file (hint: link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds)",
        ],
    );
}
