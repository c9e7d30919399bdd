//! Loading `content/` into the site model.
//!
//! Layout read here:
//! - `site.toml`, `themes.toml`;
//! - `plans/<slug>/plan.toml`, optional `indicators.toml` and `_index.md` (text before the first
//!   chapter); chapters as `NN-slug/_index.md` with sections `NN-slug/MM-slug.md`, or as a single
//!   file `NN-slug.md` when a chapter has no sections;
//! - `pages/<slug>.md`, stand-alone pages.
//!
//! Problems are collected, not thrown: loading goes on past a bad file so that one run reports
//! everything. Cross-file rules (unknown themes, duplicate ids, links) are the validator's.
//!
//! Layer 4: may use `markdown`, `model`, `config`, `output`, `util` and `diagnostics`. Only this
//! component reads `content/` (`config` reads `site.toml` through `util::fs`). Besides this file:
//! [`frontmatter`] (splitting a file into TOML and Markdown), [`attrs`] (heading attribute
//! blocks) and [`slips`] (recognising near-miss markup).

pub mod attrs;
mod division;
mod files;
pub mod frontmatter;
mod indicators;
mod pages;
mod plan;
mod site_files;
pub mod slips;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use serde::Deserialize;

use self::attrs::{is_valid_id, split_heading};
use self::files::{file_name, is_ignored};
use crate::config::SiteConfig;
use crate::diagnostics::toml::parse_toml;
use crate::diagnostics::{relative_to, Diagnostic, Diagnostics};
use crate::markdown::{internal_links, plain_text};
use crate::model::indicator::{self, IndicatorValue};
use crate::model::text::{is_valid_slug, measure_title, parse_units};
use crate::model::*;
use crate::util::fs::{self as content_fs, Entry, ReadError};

pub use crate::util::fs::MAX_FILE_BYTES;

/// Loads the site under `root` (the folder holding `content/`).
pub fn load_site(root: &Path) -> (Option<Site>, Diagnostics) {
    load_site_cached(root, None)
}

/// The site this repository ships (its `content/`), for tests: it loads without a problem.
#[cfg(test)]
pub(crate) fn bundled_site() -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, diagnostics) = load_site(root);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    site.expect("the bundled site loads")
}

/// A plan as loaded: the plan (if it loaded), its problems and its internal links.
type PlanLoad = (Option<Plan>, Diagnostics, Vec<InternalLink>);

/// Plans loaded by a previous build (in `serve`), each with a hash of its folder's files: a
/// plan whose files did not change is not parsed again.
#[derive(Default)]
pub struct LoadCache {
    plans: Mutex<HashMap<PathBuf, (u64, PlanLoad)>>,
    /// Slugs of the plans parsed afresh (their files changed, or they are new) since
    /// [`LoadCache::forget_parsed`] was last called.
    parsed: Mutex<Vec<String>>,
}

impl LoadCache {
    /// Slugs of the plans loads with this cache parsed afresh since the last
    /// [`LoadCache::forget_parsed`], sorted, each once: the plans whose files changed since
    /// then, and new plans.
    pub fn parsed(&self) -> Vec<String> {
        let mut slugs = self
            .parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        slugs.sort();
        slugs.dedup();
        slugs
    }

    /// Starts a new count for [`LoadCache::parsed`] (after a build that succeeded: edits
    /// made while builds failed still count).
    pub fn forget_parsed(&self) {
        self.parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// A hash of the names and bytes of every file below a plan folder. Bytes rather than
/// modification times: two saves within the file system's clock tick must not look the same.
/// `None` when anything below the folder cannot be read: such a plan is loaded afresh, so that
/// the loader reports the problem.
fn folder_fingerprint(dir: &Path) -> Option<u64> {
    let mut h = crate::util::hash::key_hasher();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.ok()?;
        entry.path().hash(&mut h);
        entry.file_type().is_symlink().hash(&mut h);
        if entry.file_type().is_file() {
            content_fs::read_file(entry.path(), MAX_FILE_BYTES)
                .ok()?
                .hash(&mut h);
        }
    }
    Some(h.finish())
}

/// Loads the site like [`load_site`], reusing the unchanged plans of `cache`.
pub fn load_site_cached(root: &Path, cache: Option<&LoadCache>) -> (Option<Site>, Diagnostics) {
    let mut loader = Loader {
        root: root.to_path_buf(),
        diagnostics: Diagnostics::default(),
        links: Vec::new(),
        cache,
    };
    let content = root.join("content");
    let config = match SiteConfig::load(
        &content.join("site.toml"),
        &loader.display(&content.join("site.toml")),
    ) {
        Ok(c) => Some(c),
        Err(d) => {
            loader.diagnostics.push(d);
            None
        }
    };
    let reported = loader.diagnostics.len();
    let themes = loader.load_themes(&content.join("themes.toml"));
    let themes_unreadable = themes.is_empty() && loader.diagnostics.len() > reported;
    let concepts = {
        let path = content.join("concepts.toml");
        if loader.present(&path) {
            loader.load_concepts(&path)
        } else {
            Vec::new()
        }
    };
    let unit_aliases = {
        let path = content.join("units.toml");
        if loader.present(&path) {
            loader.load_unit_aliases(&path)
        } else {
            Default::default()
        }
    };
    let glossary = {
        let path = content.join("glossary.toml");
        if loader.present(&path) {
            loader.load_glossary(&path)
        } else {
            Default::default()
        }
    };
    let plans = loader.load_plans(&content.join("plans"));
    let pages = loader.load_pages(&content.join("pages"));
    let site = config.map(|config| Site {
        config,
        themes,
        concepts,
        unit_aliases,
        glossary,
        plans,
        pages,
        links: std::mem::take(&mut loader.links),
        themes_unreadable,
    });
    (site, loader.diagnostics)
}

struct Loader<'c> {
    root: PathBuf,
    diagnostics: Diagnostics,
    links: Vec<InternalLink>,
    cache: Option<&'c LoadCache>,
}

/// A content file read into text with its front matter split off.
struct ContentFile {
    display: PathBuf,
    front_matter: String,
    front_matter_line: usize,
    body: String,
    body_line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemesFile {
    #[serde(default)]
    theme: Vec<toml::Spanned<RawTheme>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    slug: String,
    name: String,
    definition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptsFile {
    #[serde(default)]
    concept: Vec<toml::Spanned<RawConcept>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    slug: String,
    name: String,
    unit: String,
    #[serde(default)]
    themes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    title: String,
    short_title: String,
    #[serde(default)]
    issuers: Vec<String>,
    doc_number: Option<String>,
    date_written: Option<toml::Spanned<toml::value::Datetime>>,
    date_published: Option<toml::Spanned<toml::value::Datetime>>,
    period: Option<toml::Spanned<[i64; 2]>>,
    outlook_year: Option<toml::Spanned<i64>>,
    level: Level,
    region: String,
    #[serde(default)]
    implements: Vec<String>,
    parent: Option<String>,
    source_url: Option<String>,
    notes: Option<String>,
    index_number: Option<String>,
    subject: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DivisionFrontMatter {
    number: Option<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyFrontMatter {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    title: String,
    description: Option<String>,
}

/// `indicators.toml`: one table (`title` and `[[indicator]]`), or several (`[[table]]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    title: Option<String>,
    #[serde(default)]
    indicator: Vec<toml::Spanned<RawIndicator>>,
    #[serde(default)]
    table: Vec<toml::Spanned<RawTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    id: String,
    title: String,
    #[serde(default)]
    indicator: Vec<toml::Spanned<RawIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    name: String,
    #[serde(default)]
    unit: String,
    group: Option<String>,
    attribute: Option<String>,
    concept: Option<String>,
    baseline: Option<RawObservation>,
    target: RawObservation,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObservation {
    year: Option<i64>,
    value: toml::Value,
}

impl Loader<'_> {
    fn display(&self, path: &Path) -> PathBuf {
        relative_to(path, &self.root)
    }
}
