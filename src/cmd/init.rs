//! `planatlas init DIR`: a new site with the default theme, the bundled site's themes
//! (`content/themes.toml`, all of them), the instrument glossary (`content/glossary.toml`) and
//! one small example plan.

use std::fs;
use std::path::Path;

use crate::diagnostics::BuildError;

/// The default theme, built into the binary so that `init` works from anywhere.
const THEME_FILES: &[(&str, &str)] = &[
    (
        "templates/base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/plans.html",
        include_str!("../../themes/default/templates/plans.html"),
    ),
    (
        "templates/concepts.html",
        include_str!("../../themes/default/templates/concepts.html"),
    ),
    (
        "templates/mappings.html",
        include_str!("../../themes/default/templates/mappings.html"),
    ),
    (
        "templates/partials/plan_card.html",
        include_str!("../../themes/default/templates/partials/plan_card.html"),
    ),
    (
        "templates/plan.html",
        include_str!("../../themes/default/templates/plan.html"),
    ),
    (
        "templates/division.html",
        include_str!("../../themes/default/templates/division.html"),
    ),
    (
        "templates/themes.html",
        include_str!("../../themes/default/templates/themes.html"),
    ),
    (
        "templates/theme.html",
        include_str!("../../themes/default/templates/theme.html"),
    ),
    (
        "templates/indicators.html",
        include_str!("../../themes/default/templates/indicators.html"),
    ),
    (
        "templates/page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "templates/units.html",
        include_str!("../../themes/default/templates/units.html"),
    ),
    (
        "templates/unit.html",
        include_str!("../../themes/default/templates/unit.html"),
    ),
    (
        "templates/concept.html",
        include_str!("../../themes/default/templates/concept.html"),
    ),
    (
        "templates/partials/concept_table.html",
        include_str!("../../themes/default/templates/partials/concept_table.html"),
    ),
    (
        "templates/mapping.html",
        include_str!("../../themes/default/templates/mapping.html"),
    ),
    (
        "templates/alignments.html",
        include_str!("../../themes/default/templates/alignments.html"),
    ),
    (
        "templates/alignment.html",
        include_str!("../../themes/default/templates/alignment.html"),
    ),
    (
        "templates/404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/partials/indicator_table.html",
        include_str!("../../themes/default/templates/partials/indicator_table.html"),
    ),
    (
        "templates/partials/measure.html",
        include_str!("../../themes/default/templates/partials/measure.html"),
    ),
    (
        "templates/partials/toc.html",
        include_str!("../../themes/default/templates/partials/toc.html"),
    ),
    (
        "static/style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "static/site.js",
        include_str!("../../themes/default/static/site.js"),
    ),
    (
        "static/nav.js",
        include_str!("../../themes/default/static/nav.js"),
    ),
    (
        "static/search.js",
        include_str!("../../themes/default/static/search.js"),
    ),
    (
        "static/cite.js",
        include_str!("../../themes/default/static/cite.js"),
    ),
    (
        "templates/partials/cite.html",
        include_str!("../../themes/default/templates/partials/cite.html"),
    ),
    (
        "templates/partials/cover_head.html",
        include_str!("../../themes/default/templates/partials/cover_head.html"),
    ),
];

const EXAMPLE_FILES: &[(&str, &str)] = &[
    (
        "content/site.toml",
        r#"title = "示例规划图谱"
description = "用 planatlas 生成的规划网站"
language = "zh-CN"
# The address the site is published at, e.g. "https://<your-domain>/atlas/". Without it the
# build warns and writes no canonical links, sitemap or feed (serve needs none).
# base_url = ""
theme = "default"
"#,
    ),
    (
        "content/themes.toml",
        // The bundled site's full list, so that a new plan can be themed from the start; one
        // file, so that the two never drift (tests/testsuite/cli.rs checks it).
        include_str!("../../content/themes.toml"),
    ),
    (
        "content/glossary.toml",
        // The bundled instrument glossary, for the same reason.
        include_str!("../../content/glossary.toml"),
    ),
    (
        "content/plans/example-plan/plan.toml",
        r#"title = "示例市金融业发展规划"
short_title = "示例规划"
issuers = ["示例市人民政府"]
doc_number = "示府发〔2021〕1号"
date_written = 2021-06-01
date_published = 2021-06-10
period = [2021, 2025]
outlook_year = 2035
level = "municipality"
region = "示例市"
"#,
    ),
    (
        "content/plans/example-plan/indicators.toml",
        r#"title = "主要指标"

[[indicator]]
id = "ex-ind-1"
name = "绿色贷款余额"
unit = "亿元"
attribute = "预期性"
baseline = { year = 2020, value = 100 }
target = { year = 2025, value = "200以上" }
"#,
    ),
    (
        "content/plans/example-plan/_index.md",
        "+++\n+++\n\n本规划是 planatlas 的示例。\n",
    ),
    (
        "content/plans/example-plan/01-tasks/_index.md",
        "+++\nnumber = \"第一章\"\ntitle = \"主要任务\"\n+++\n\n围绕主要目标，推进以下任务。\n",
    ),
    (
        "content/plans/example-plan/01-tasks/01-green.md",
        r#"+++
number = "第一节"
title = "发展绿色金融"
+++

```indicators
```

### 扩大绿色信贷。 {#ex-1-1-1 themes="green-finance"}

引导银行机构加大绿色信贷投放。

### 支持小微企业绿色转型。 {#ex-1-1-2 themes="green-finance inclusive-finance"}

见[扩大绿色信贷](@/plans/example-plan/01-tasks/01-green.md#ex-1-1-1)。
"#,
    ),
    (
        "content/pages/help.md",
        "+++\ntitle = \"帮助\"\n+++\n\n一个举措写作：\n\n```toml\n# plan.toml\ntitle = \"示例市金融业发展规划\"\n```\n",
    ),
];

/// Writes a new site into `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), BuildError> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| BuildError::io("reading", dir, e))?
            .next()
            .is_some()
    {
        return Err(BuildError::Setup(format!(
            "{} exists and is not empty; choose a new folder",
            dir.display()
        )));
    }
    let theme_root = Path::new("themes/default");
    let files = THEME_FILES
        .iter()
        .map(|(p, t)| (theme_root.join(p), *t))
        .chain(
            EXAMPLE_FILES
                .iter()
                .map(|(p, t)| (Path::new(p).to_path_buf(), *t)),
        );
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| BuildError::io("creating", parent, e))?;
        }
        fs::write(&target, text).map_err(|e| BuildError::io("writing", &target, e))?;
    }
    let gitignore = dir.join(".gitignore");
    fs::write(&gitignore, "/public\n/.public.*\n")
        .map_err(|e| BuildError::io("writing", &gitignore, e))?;
    Ok(())
}
