//! The dependency rule: a module imports only from layers below its own.
//!
//! Cargo cannot enforce layers inside one crate, so this test reads `src/**/*.rs`, maps each file
//! to the layer of its top-level module (the table of `../shared/design/layout.md`, also in the
//! README's "Architecture"), finds every `crate::<module>` path outside comments and `#[cfg(test)]`
//! items, and fails listing each one that goes to the same or a higher layer. Paths inside one
//! component (`crate::model::…` in `src/model/text.rs`) are allowed. `lib.rs` and `main.rs`
//! stand outside the rule. Grouped imports (`use crate::{a, b}`) are refused, so that every edge
//! is written as a `crate::<module>` path the test can see.

use std::path::Path;

/// The layers, bottom first. A new top-level module must be added here.
const LAYERS: &[&[&str]] = &[
    &["util", "diagnostics"],
    &["config", "output", "source"],
    &["model"],
    &["markdown"],
    &["content", "validate", "provenance"],
    &["analyse"],
    &["render", "search", "open_data", "feeds"],
    &["build", "import"],
    &["serve", "cmd"],
];

/// Files outside the rule: the facade and the binary.
const EXEMPT: &[&str] = &["lib.rs", "main.rs"];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a file below `src/` belongs to: `model/text.rs` → `model`.
fn top_module(rel: &str) -> &str {
    let first = rel.split('/').next().unwrap_or(rel);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The source without comments and without items marked `#[cfg(test)]` (tests may use higher
/// layers to build their fixtures).
fn code_of(text: &str) -> String {
    let code: String = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // The item ends at its `;` (a `use`) or at the brace closing its first `{`.
        let end = match (rest.find(';'), rest.find('{')) {
            (Some(semi), Some(open)) if semi < open => semi + 1,
            (_, Some(open)) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (Some(semi), None) => semi + 1,
            (None, None) => rest.len(),
        };
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The module names that follow `crate::` in `code`, with `"{"` for a grouped import.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `$crate::` and `some_crate::` are not paths of this crate.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if rest.starts_with('{') {
            found.push("{".to_string());
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
    }
    found
}

/// Every import against the rule in `files` (path below `src/`, source text), one line each.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, text) in files {
        if EXEMPT.contains(&rel.as_str()) {
            continue;
        }
        let top = top_module(rel);
        let Some(from) = layer(top) else {
            broken.push(format!(
                "{rel}: module `{top}` is in no layer; add it to LAYERS in tests/layers.rs"
            ));
            continue;
        };
        for target in crate_paths(&code_of(text)) {
            if target == "{" {
                broken.push(format!(
                    "{rel}: write one `use crate::x::…` per module, not `crate::{{…}}`"
                ));
                continue;
            }
            if target == top {
                continue;
            }
            match layer(&target) {
                Some(to) if to >= from => {
                    broken.push(format!("{rel} (layer {from}) -> {target} (layer {to})"))
                }
                Some(_) => {}
                // Items of lib.rs itself (`crate::parse`, re-exports) are the facade's.
                None => {}
            }
        }
    }
    broken
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn modules_import_only_from_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &src, &mut files);
    assert!(
        files.len() > 20,
        "found only {} files under src/",
        files.len()
    );
    let broken = violations(&files);
    assert!(
        broken.is_empty(),
        "imports against the layer rule (a module imports only from layers below its own):\n{}",
        broken.join("\n")
    );
}

/// The checker itself, on a made-up tree: it must see upward, sideways and grouped imports,
/// and let downward and in-component ones pass.
#[test]
fn the_checker_finds_violations() {
    let file = |rel: &str, text: &str| (rel.to_string(), text.to_string());
    let files = vec![
        // Downward, in-component, and the facade: fine.
        file("render/mod.rs", "use crate::model::Site;\nuse crate::render::charts;\n"),
        file("model/text.rs", "use crate::model::Measure;\nuse crate::util::fs;\n"),
        file("lib.rs", "pub use crate::build::build;\n"),
        // Upward, sideways (same layer), grouped, unknown module.
        file("model/mod.rs", "use crate::analyse::Analysis;\n"),
        file("search/mod.rs", "fn f() { crate::render::excerpt(\"x\", 3); }\n"),
        file("build/mod.rs", "use crate::{feeds, markdown};\n"),
        file("newthing.rs", "use crate::model::Site;\n"),
        // Comments, test modules and other crates' paths are not imports.
        file(
            "util/mod.rs",
            "// see crate::build\n//! [`crate::cmd`]\nfn f() { $crate::x; other_crate::y; }\n#[cfg(test)]\nmod tests { use crate::build; fn g() {} }\n",
        ),
        // Code after a test module still counts.
        file(
            "output/mod.rs",
            "#[cfg(test)]\nuse crate::cmd;\n#[cfg(test)]\nmod tests { fn g() { if x {} } }\nuse crate::render::Job;\n",
        ),
    ];
    assert_eq!(
        violations(&files),
        [
            "model/mod.rs (layer 2) -> analyse (layer 5)",
            "search/mod.rs (layer 6) -> render (layer 6)",
            "build/mod.rs: write one `use crate::x::…` per module, not `crate::{…}`",
            "newthing.rs: module `newthing` is in no layer; add it to LAYERS in tests/layers.rs",
            "output/mod.rs (layer 1) -> render (layer 6)",
        ]
    );
}

/// The facade: components that only other components use stay private, so that what binaries,
/// tests, benches and fuzz targets reach is the small public surface `lib.rs` names.
#[test]
fn internal_components_stay_behind_the_facade() {
    let lib = std::fs::read_to_string(crate::common::repo().join("src/lib.rs")).unwrap();
    for internal in [
        "util",
        "output",
        "validate",
        "render",
        "search",
        "open_data",
        "feeds",
    ] {
        assert!(
            lib.lines().any(|l| l.trim() == format!("mod {internal};")),
            "src/lib.rs should declare `mod {internal};` (private)"
        );
        assert!(
            !lib.lines()
                .any(|l| l.trim() == format!("pub mod {internal};")),
            "`{internal}` is internal: reach it through the components that use it"
        );
    }
}
