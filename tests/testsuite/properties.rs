//! Property tests: the parsers and the whole build return errors, never panic, on arbitrary
//! front matter, heading attributes, indicator values and Markdown. (The same parsers have
//! cargo-fuzz targets in `fuzz/`; see the README.)

use std::fs;
use std::path::Path;

use planatlas::{BuildError, BuildOptions};
use proptest::prelude::*;

/// Text made of the characters these formats give meaning to, with Chinese and some noise.
fn syntaxy(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[-+#{{}}=\"'\\[\\]()*_`<>!|\\\\/.,:;%~ \\n\\t0-9a-z一二三四五六七八九十亿万元左右以上以下约【】—\u{feff}\u{3000}]{{0,{max}}}"
    ))
    .unwrap()
}

fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        syntaxy(max),
        proptest::collection::vec(any::<char>(), 0..max).prop_map(|v| v.into_iter().collect())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn indicator_values_parse_or_fail_cleanly(raw in any_text(24)) {
        if let Ok(v) = planatlas::parse::parse_value(&raw) {
            if let Some(n) = v.value {
                let _ = planatlas::parse::format_number(n);
            }
        }
    }

    #[test]
    fn heading_attributes_parse_or_fail_cleanly(text in any_text(60), column in 0usize..100) {
        let _ = planatlas::parse::split_heading(&text, column);
        let _ = planatlas::parse::parse_block(&text, column);
    }

    #[test]
    fn front_matter_splits_and_parses_or_fails_cleanly(text in any_text(80)) {
        let text = text.replace("\r\n", "\n");
        let file = Path::new("x.md");
        if let Ok(split) = planatlas::parse::split(file, &text) {
            let _ = planatlas::parse::parse_toml::<toml::Table>(file, split.front_matter, split.front_matter_line);
        }
        let fenced = format!("+++\n{text}\n+++\n");
        if let Ok(split) = planatlas::parse::split(file, &fenced) {
            let _ = planatlas::parse::parse_toml::<toml::Table>(file, split.front_matter, split.front_matter_line);
        }
    }
}

const SECTION: &str = "content/plans/example-plan/01-tasks/01-green.md";

/// A build of the example site with `section` as its section file: a site or content errors,
/// never a panic or another kind of failure.
fn build_with(dir: &Path, section: &str, indicator_value: &str) -> Result<(), TestCaseError> {
    fs::write(dir.join(SECTION), section).unwrap();
    let indicators = dir.join("content/plans/example-plan/indicators.toml");
    let text = fs::read_to_string(&indicators).unwrap();
    let text = regex_lite_replace(&text, indicator_value);
    fs::write(&indicators, text).unwrap();
    match planatlas::build_in_memory(&BuildOptions::new(dir)) {
        Ok(_) | Err(BuildError::Content(_)) => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!("not a content error: {other}"))),
    }
}

/// Puts `value` (as a TOML string) in place of the example indicator's target value.
fn regex_lite_replace(text: &str, value: &str) -> String {
    let start = text.find("target = {").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!(
        "{}target = {{ year = 2025, value = \"{escaped}\" }}{}",
        &text[..start],
        &text[end..]
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn builds_report_errors_instead_of_panicking(
        front in any_text(40),
        heading in any_text(30),
        attrs in syntaxy(30),
        body in any_text(120),
        value in any_text(12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        planatlas::cmd::init::init(dir.path()).unwrap();
        let section = format!("+++\n{front}\n+++\n\n### {heading} {{{attrs}}}\n\n{body}\n");
        build_with(dir.path(), &section, &value)?;
        // And the same text as the body of a well-formed file.
        let section = format!("+++\nnumber = \"第一节\"\ntitle = \"x\"\n+++\n\n### 扩大。 {{#ex-1 themes=\"green-finance\"}}\n\n{body}\n");
        build_with(dir.path(), &section, &value)?;
    }
}
