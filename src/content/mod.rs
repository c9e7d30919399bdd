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
pub mod frontmatter;
pub mod slips;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use serde::Deserialize;

use self::attrs::{is_valid_id, split_heading};
use crate::config::SiteConfig;
use crate::diagnostics::toml::parse_toml;
use crate::diagnostics::{relative_to, Diagnostic, Diagnostics};
use crate::markdown::{internal_links, plain_text};
use crate::model::indicator::{self, IndicatorValue};
use crate::model::text::{is_valid_slug, measure_title, parse_units};
use crate::model::*;
use crate::util::fs::{self as content_fs, Entry, ReadError};

pub use crate::util::fs::MAX_FILE_BYTES;

/// Keys a measure heading may carry.
const MEASURE_KEYS: &[&str] = &["themes", "units", "related", "not_related", "implements"];

/// Loads the site under `root` (the folder holding `content/`).
pub fn load_site(root: &Path) -> (Option<Site>, Diagnostics) {
    load_site_cached(root, None)
}

/// A plan as loaded: the plan (if it loaded), its problems and its internal links.
type PlanLoad = (Option<Plan>, Diagnostics, Vec<InternalLink>);

/// Plans loaded by a previous build (in `serve`), each with a hash of its folder's files: a
/// plan whose files did not change is not parsed again.
#[derive(Default)]
pub struct LoadCache {
    plans: Mutex<HashMap<PathBuf, (u64, PlanLoad)>>,
}

/// A hash of the names and bytes of every file below a plan folder. Bytes rather than
/// modification times: two saves within the file system's clock tick must not look the same.
/// `None` when anything below the folder cannot be read: such a plan is loaded afresh, so that
/// the loader reports the problem.
fn folder_fingerprint(dir: &Path) -> Option<u64> {
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
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
    let plans = loader.load_plans(&content.join("plans"));
    let pages = loader.load_pages(&content.join("pages"));
    let site = config.map(|config| Site {
        config,
        themes,
        concepts,
        unit_aliases,
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

    /// Whether an optional file is there; a failure other than absence (permissions, a file
    /// where a folder should be) is reported, and the file is left out.
    fn present(&mut self, path: &Path) -> bool {
        match content_fs::present(path) {
            Ok(there) => there,
            Err(e) => {
                self.diagnostics
                    .push(read_error(self.display(path), ReadError::Io(e)));
                false
            }
        }
    }

    /// The entries of `dir` sorted by name, or `None` (reported, with `hint`) when the folder
    /// cannot be read. Symbolic links and entries whose type cannot be read are reported and
    /// left out.
    fn list(&mut self, dir: &Path, hint: &str) -> Option<Vec<Entry>> {
        let listing = match content_fs::list(dir) {
            Ok(l) => l,
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::new(self.display(dir), 0, format!("cannot read the folder: {e}"))
                        .hint(hint),
                );
                return None;
            }
        };
        for (path, e) in listing.errors {
            let message = match &path {
                Some(_) => format!("cannot read the entry's type: {e}"),
                None => format!("cannot list the folder completely: {e}"),
            };
            let path = path.unwrap_or_else(|| dir.to_path_buf());
            self.diagnostics
                .push(Diagnostic::new(self.display(&path), 0, message).hint(hint));
        }
        let mut entries = Vec::new();
        for entry in listing.entries {
            if entry.file_type.is_symlink() {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry.path),
                        0,
                        "symbolic links are not followed in content",
                    )
                    .hint("replace the link by the file or folder itself"),
                );
            } else {
                entries.push(entry);
            }
        }
        Some(entries)
    }

    /// Reads a text file: refuses symlinks, anything but a regular file, oversized files and
    /// invalid UTF-8; accepts a BOM and CRLF line endings.
    fn read_text(&mut self, path: &Path) -> Option<String> {
        let display = self.display(path);
        let bytes = match content_fs::read_file(path, MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(e) => {
                self.diagnostics.push(read_error(display, e));
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                Some(text.replace("\r\n", "\n"))
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..offset]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!(
                            "the file is not valid UTF-8 (first invalid byte at offset {offset})"
                        ),
                    )
                    .hint("save the file as UTF-8"),
                );
                None
            }
        }
    }

    fn read_content_file(&mut self, path: &Path) -> Option<ContentFile> {
        let text = self.read_text(path)?;
        let display = self.display(path);
        match frontmatter::split(&display, &text) {
            Ok(s) => Some(ContentFile {
                front_matter: s.front_matter.to_string(),
                front_matter_line: s.front_matter_line,
                body: s.body.to_string(),
                body_line: s.body_line,
                display,
            }),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn parse_front_matter<T: serde::de::DeserializeOwned>(
        &mut self,
        file: &ContentFile,
    ) -> Option<T> {
        match parse_toml(&file.display, &file.front_matter, file.front_matter_line) {
            Ok(v) => Some(v),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Reads and parses a TOML file; problems are reported and give `None`. Returns the parsed
    /// value, the text (for line numbers of spans) and the path as shown in messages.
    fn read_toml<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &Path,
    ) -> Option<(T, String, PathBuf)> {
        let display = self.display(path);
        let text = self.read_text(path)?;
        match parse_toml(&display, &text, 1) {
            Ok(value) => Some((value, text, display)),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn load_themes(&mut self, path: &Path) -> Vec<Theme> {
        let Some((file, text, display)) = self.read_toml::<ThemesFile>(path) else {
            return Vec::new();
        };
        let mut themes = Vec::new();
        for spanned in file.theme {
            let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
            let raw = spanned.into_inner();
            if !is_valid_slug(&raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme slug `{}` is not a valid slug", raw.slug),
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, e.g. `green-finance`"),
                );
                continue;
            }
            if raw.name.trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme `{}` has an empty name", raw.slug),
                    )
                    .hint("give the theme's Chinese name, e.g. name = \"绿色金融\""),
                );
            }
            if themes.iter().any(|t: &Theme| t.slug == raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme `{}` is defined twice", raw.slug),
                    )
                    .hint("remove one of the two entries"),
                );
                continue;
            }
            themes.push(Theme {
                slug: raw.slug,
                name: raw.name,
                definition: raw.definition,
            });
        }
        themes
    }

    fn load_unit_aliases(&mut self, path: &Path) -> crate::model::aliases::UnitAliases {
        let Some((aliases, _, display)) =
            self.read_toml::<crate::model::aliases::UnitAliases>(path)
        else {
            return Default::default();
        };
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for entry in &aliases.alias {
            for alias in &entry.aliases {
                if let Some(other) = seen.insert(alias, &entry.name) {
                    if other != entry.name {
                        self.diagnostics.push(
                            Diagnostic::new(
                                &display,
                                0,
                                format!(
                                    "the alias `{alias}` is given for both `{other}` and `{}`",
                                    entry.name
                                ),
                            )
                            .hint("an alias names one body: keep it under one entry"),
                        );
                    }
                }
            }
        }
        aliases
    }

    fn load_concepts(&mut self, path: &Path) -> Vec<Concept> {
        let Some((file, text, display)) = self.read_toml::<ConceptsFile>(path) else {
            return Vec::new();
        };
        let mut concepts: Vec<Concept> = Vec::new();
        for spanned in file.concept {
            let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
            let raw = spanned.into_inner();
            if !is_valid_slug(&raw.slug) || concepts.iter().any(|c| c.slug == raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!(
                            "concept slug `{}` is not a valid slug or is used twice",
                            raw.slug
                        ),
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, once each"),
                );
                continue;
            }
            concepts.push(Concept {
                slug: raw.slug,
                name: raw.name,
                unit: raw.unit,
                themes: raw.themes,
                line,
            });
        }
        concepts
    }

    fn load_plans(&mut self, dir: &Path) -> Vec<Plan> {
        let mut folders = Vec::new();
        let entries = self
            .list(dir, "a site keeps its plans in content/plans/, one folder per plan; run planatlas in the site's root folder or give it with --root")
            .unwrap_or_default();
        for entry in entries {
            if !entry.file_type.is_dir() {
                if !is_ignored(&entry.path) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            self.display(&entry.path),
                            0,
                            "unexpected file in content/plans/",
                        )
                        .hint("each plan is a folder content/plans/<slug>/ holding plan.toml"),
                    );
                }
                continue;
            }
            folders.push(entry.path);
        }
        // Plans are independent: load them in parallel, each with its own problem list, and
        // merge in folder order so that the result does not depend on scheduling.
        let loads: Vec<PlanLoad> = folders
            .par_iter()
            .map(|folder| self.load_plan_cached(folder))
            .collect();
        if let Some(cache) = self.cache {
            let mut cached = cache.plans.lock().unwrap_or_else(|e| e.into_inner());
            cached.retain(|folder, _| folders.contains(folder));
        }
        let mut plans = Vec::new();
        for (plan, diagnostics, links) in loads {
            self.diagnostics.extend(diagnostics);
            self.links.extend(links);
            plans.extend(plan);
        }
        // Wider plans first (joint before province, municipality, district), then by date.
        plans.sort_by(|a, b| {
            (a.meta.level, a.meta.date_written, &a.slug).cmp(&(
                b.meta.level,
                b.meta.date_written,
                &b.slug,
            ))
        });
        plans
    }

    /// One plan folder, from the cache when its files are unchanged.
    fn load_plan_cached(&self, folder: &Path) -> PlanLoad {
        let fingerprint = self.cache.and_then(|_| folder_fingerprint(folder));
        if let (Some(cache), Some(fp)) = (self.cache, fingerprint) {
            let plans = cache.plans.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, load)) = plans.get(folder).filter(|(f, _)| *f == fp) {
                return load.clone();
            }
        }
        let mut sub = Loader {
            root: self.root.clone(),
            diagnostics: Diagnostics::default(),
            links: Vec::new(),
            cache: None,
        };
        let plan = sub.load_plan(folder);
        let load = (plan, sub.diagnostics, sub.links);
        if let (Some(cache), Some(fp)) = (self.cache, fingerprint) {
            cache
                .plans
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(folder.to_path_buf(), (fp, load.clone()));
        }
        load
    }

    fn load_plan(&mut self, dir: &Path) -> Option<Plan> {
        let dir_name = file_name(dir);
        let display_dir = self.display(dir);
        if !is_valid_slug(&dir_name) {
            self.diagnostics.push(
                Diagnostic::new(
                    &display_dir,
                    0,
                    format!("plan folder name `{dir_name}` is not a valid slug"),
                )
                .hint("name plan folders with lowercase ASCII letters, digits and `-`"),
            );
            return None;
        }
        let entries = self.list(
            dir,
            "check that planatlas may read the plan folder and every folder in it",
        )?;
        let has = |name: &str| entries.iter().any(|e| file_name(&e.path) == name);
        let plan_toml = dir.join("plan.toml");
        let display = self.display(&plan_toml);
        if !has("plan.toml") {
            self.diagnostics.push(
                Diagnostic::new(&display, 0, "the plan folder has no plan.toml")
                    .hint("add plan.toml with the plan's metadata (see README, content format)"),
            );
            return None;
        }
        let meta = self.load_plan_meta(&plan_toml);
        let preamble = if has("_index.md") {
            self.read_content_file(&dir.join("_index.md"))
                .and_then(|f| {
                    self.parse_front_matter::<EmptyFrontMatter>(&f)?;
                    Some(self.markdown(&f.body, &f.display, f.body_line))
                })
                .unwrap_or_default()
        } else {
            Markdown::default()
        };
        let reported = self.diagnostics.len();
        let indicators = if has("indicators.toml") {
            self.load_indicators(&dir.join("indicators.toml"))
        } else {
            Vec::new()
        };
        let indicators_unreadable = indicators.is_empty() && self.diagnostics.len() > reported;
        let url = format!("plans/{dir_name}/");
        let mut chapters = Vec::new();
        let mut slugs = HashMap::new();
        for entry in entries {
            let name = file_name(&entry.path);
            if matches!(name.as_str(), "plan.toml" | "indicators.toml" | "_index.md")
                || is_ignored(&entry.path)
            {
                continue;
            }
            let stem = name.strip_suffix(".md").unwrap_or(&name);
            let Some(slug) = self.numbered_slug(&entry.path, stem) else {
                continue;
            };
            let chapter_url = format!("{url}{slug}/");
            if !self.claim_slug(&mut slugs, "chapter", &slug, &entry.path, &chapter_url) {
                continue;
            }
            if entry.file_type.is_dir() {
                chapters.extend(self.load_chapter_folder(&entry.path, slug, chapter_url));
            } else if name.ends_with(".md") {
                // Anything but a regular file is refused when it is read, with its type.
                if let Some(division) = self.load_division(&entry.path, slug, chapter_url) {
                    chapters.push(Chapter {
                        division,
                        sections: Vec::new(),
                    });
                }
            } else {
                self.diagnostics.push(
                    Diagnostic::new(self.display(&entry.path), 0, "unexpected file in a plan folder")
                        .hint("a plan folder holds plan.toml, indicators.toml, _index.md and chapters NN-slug/ or NN-slug.md"),
                );
            }
        }
        // A plan whose metadata failed still goes on to validation, so that problems in its text
        // are reported in the same run; the build fails on the metadata error anyway.
        let meta = meta.unwrap_or_else(|| placeholder_meta(&dir_name));
        Some(Plan {
            slug: dir_name,
            url,
            meta,
            file: display,
            preamble,
            chapters,
            indicators,
            indicators_unreadable,
        })
    }

    /// A chapter written as a folder: `_index.md` and its section files.
    fn load_chapter_folder(&mut self, dir: &Path, slug: String, url: String) -> Option<Chapter> {
        let entries = self.list(dir, "check that planatlas may read the chapter folder")?;
        let index = dir.join("_index.md");
        if !entries.iter().any(|e| e.path == index) {
            self.diagnostics.push(
                Diagnostic::new(self.display(dir), 0, "the chapter folder has no _index.md")
                    .hint("add _index.md with the chapter's `number` and `title` front matter"),
            );
            return None;
        }
        // The sections are read even when _index.md is not, so that their problems show too.
        let division = self.load_division(&index, slug, url.clone());
        let mut sections = Vec::new();
        let mut slugs = HashMap::new();
        for entry in entries {
            let section_name = file_name(&entry.path);
            if section_name == "_index.md" || is_ignored(&entry.path) {
                continue;
            }
            let Some(section_stem) = section_name
                .strip_suffix(".md")
                .filter(|_| !entry.file_type.is_dir())
            else {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry.path),
                        0,
                        "unexpected entry in a chapter folder",
                    )
                    .hint("a chapter folder holds _index.md and section files named NN-slug.md"),
                );
                continue;
            };
            let Some(section_slug) = self.numbered_slug(&entry.path, section_stem) else {
                continue;
            };
            let section_url = format!("{url}{section_slug}/");
            if !self.claim_slug(
                &mut slugs,
                "section",
                &section_slug,
                &entry.path,
                &section_url,
            ) {
                continue;
            }
            if let Some(division) = self.load_division(&entry.path, section_slug, section_url) {
                sections.push(Section { division });
            }
        }
        Some(Chapter {
            division: division?,
            sections,
        })
    }

    /// Records that the chapter or section at `path` takes `slug` (and so the page `url`), or
    /// reports the division that took it first; two divisions with one slug would be written
    /// to the same page.
    fn claim_slug(
        &mut self,
        taken: &mut HashMap<String, PathBuf>,
        what: &str,
        slug: &str,
        path: &Path,
        url: &str,
    ) -> bool {
        if let Some(first) = taken.get(slug) {
            let first = self.display(first);
            self.diagnostics.push(
                Diagnostic::new(
                    self.display(path),
                    0,
                    format!(
                        "the {what} slug `{slug}` is also taken by {}: both would be written to {url}",
                        first.display()
                    ),
                )
                .hint(format!(
                    "give each {what} its own slug, the part of the name after its number"
                )),
            );
            return false;
        }
        taken.insert(slug.to_string(), path.to_path_buf());
        true
    }

    /// `03-green-finance` → `green-finance`, or a diagnostic.
    fn numbered_slug(&mut self, path: &Path, stem: &str) -> Option<String> {
        let slug = stem
            .split_once('-')
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, s)| s.to_string());
        match slug {
            Some(s) if is_valid_slug(&s) => Some(s),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(self.display(path), 0, format!("`{stem}` is not named NN-slug"))
                        .hint("name chapters and sections by their order and a slug of lowercase ASCII letters, digits and `-`, e.g. `03-green-finance`"),
                );
                None
            }
        }
    }

    fn load_plan_meta(&mut self, path: &Path) -> Option<PlanMeta> {
        let (raw, text, display) = self.read_toml::<RawPlan>(path)?;
        let line_of =
            |span: std::ops::Range<usize>| crate::diagnostics::line_col(&text, span.start).0;
        let mut problems = Vec::new();
        let mut date = |field: &str,
                        value: Option<toml::Spanned<toml::value::Datetime>>|
         -> Option<Date> {
            let spanned = value?;
            let line = line_of(spanned.span());
            let dt = spanned.into_inner();
            match (dt.date, dt.time) {
                (Some(d), None) if (1949..=2100).contains(&d.year) => Some(Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                }),
                _ => {
                    problems.push(
                        Diagnostic::new(
                            &display,
                            line,
                            format!("`{field}` = {dt} is not a plausible calendar date"),
                        )
                        .hint("write a date without time, between 1949 and 2100, e.g. 2021-12-13"),
                    );
                    None
                }
            }
        };
        let date_written = date("date_written", raw.date_written);
        let date_published = date("date_published", raw.date_published);
        let year = |field: &str, value: i64, line: usize| -> Result<u16, Diagnostic> {
            if (1949..=2100).contains(&value) {
                Ok(value as u16)
            } else {
                Err(Diagnostic::new(
                    &display,
                    line,
                    format!("`{field}` has the year {value}, which is not plausible"),
                )
                .hint("write a four-digit year between 1949 and 2100"))
            }
        };
        let keep = |r: Result<u16, Diagnostic>, problems: &mut Vec<Diagnostic>| match r {
            Ok(y) => Some(y),
            Err(d) => {
                problems.push(d);
                None
            }
        };
        let (period_start, period_end) = match raw.period {
            Some(p) => {
                let line = line_of(p.span());
                let [a, b] = p.into_inner();
                let (a, b) = (
                    keep(year("period", a, line), &mut problems),
                    keep(year("period", b, line), &mut problems),
                );
                if let (Some(a), Some(b)) = (a, b) {
                    if a > b {
                        problems.push(
                            Diagnostic::new(&display, line, "`period` ends before it starts").hint(
                                "write the period as [first year, last year], e.g. [2021, 2025]",
                            ),
                        );
                    }
                }
                (a, b)
            }
            None => (None, None),
        };
        let outlook_year = raw.outlook_year.and_then(|y| {
            let line = line_of(y.span());
            keep(year("outlook_year", y.into_inner(), line), &mut problems)
        });
        // The source link is shown on the plan's pages: only web addresses may go there.
        if let Some(url) = raw.source_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let lower = url.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("source_url"))
                    .map_or(0, |i| i + 1);
                problems.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("`source_url` = `{url}` is not a web address"),
                    )
                    .hint("give the address where the official text is published, starting with https:// or http://"),
                );
            }
        }
        if raw.title.trim().is_empty() || raw.short_title.trim().is_empty() {
            problems.push(
                Diagnostic::new(&display, 1, "`title` and `short_title` may not be empty")
                    .hint("give the plan's official title and a short name for lists"),
            );
        }
        let failed = !problems.is_empty();
        for p in problems {
            self.diagnostics.push(p);
        }
        if failed {
            return None;
        }
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Some(PlanMeta {
            title: raw.title,
            short_title: raw.short_title,
            issuers: raw.issuers,
            doc_number: non_empty(raw.doc_number),
            date_written,
            date_published,
            period_start,
            period_end,
            outlook_year,
            level: raw.level,
            region: raw.region,
            implements: raw.implements,
            parent: non_empty(raw.parent),
            source_url: non_empty(raw.source_url),
            notes: non_empty(raw.notes),
        })
    }

    fn load_indicators(&mut self, path: &Path) -> Vec<IndicatorTable> {
        let Some((file, text, display)) = self.read_toml::<IndicatorsFile>(path) else {
            return Vec::new();
        };
        let mut raw_tables: Vec<(String, String, usize, Vec<toml::Spanned<RawIndicator>>)> =
            Vec::new();
        match (file.title, file.table.is_empty()) {
            (Some(title), true) => raw_tables.push(("main".into(), title, 1, file.indicator)),
            (None, false) if file.indicator.is_empty() => {
                for t in file.table {
                    let line = crate::diagnostics::line_col(&text, t.span().start).0;
                    let t = t.into_inner();
                    raw_tables.push((t.id, t.title, line, t.indicator));
                }
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(&display, 1, "indicators.toml must hold either one table (`title` and [[indicator]]) or several ([[table]] with `id`, `title` and [[table.indicator]])")
                        .hint("move the indicators under [[table]] entries, or remove the [[table]] entries"),
                );
                return Vec::new();
            }
        }
        let mut tables: Vec<IndicatorTable> = Vec::new();
        for (id, title, line, raw_indicators) in raw_tables {
            if !is_valid_id(&id) || tables.iter().any(|t| t.id == id) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("table id `{id}` is not valid or is used twice"),
                    )
                    .hint("give each [[table]] its own id of ASCII letters, digits, `-` and `_`"),
                );
                continue;
            }
            let indicators = raw_indicators
                .into_iter()
                .filter_map(|spanned| {
                    let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
                    self.indicator(&display, line, spanned.into_inner())
                })
                .collect();
            tables.push(IndicatorTable {
                id,
                title,
                file: display.clone(),
                indicators,
            });
        }
        tables
    }

    fn indicator(&mut self, display: &Path, line: usize, raw: RawIndicator) -> Option<Indicator> {
        if !is_valid_id(&raw.id) {
            self.diagnostics.push(
                Diagnostic::new(
                    display,
                    line,
                    format!("indicator id `{}` is not a valid id", raw.id),
                )
                .hint("use ASCII letters, digits, `-` and `_`, starting with a letter"),
            );
            return None;
        }
        if let Some(attribute) = &raw.attribute {
            if !matches!(attribute.as_str(), "预期性" | "约束性") {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("indicator `{}`: attribute `{attribute}` is neither 预期性 nor 约束性", raw.id))
                        .hint("write attribute = \"预期性\" or \"约束性\", or leave it out where the plan gives none"),
                );
            }
        }
        let baseline = match raw.baseline {
            Some(b) => self.observation(display, line, &raw.id, "baseline", b),
            None => Some(Observation {
                year: None,
                value: indicator::not_given(),
            }),
        };
        let target = self.observation(display, line, &raw.id, "target", raw.target);
        Some(Indicator {
            id: raw.id,
            name: raw.name,
            unit: raw.unit,
            group: raw.group.filter(|g| !g.is_empty()),
            attribute: raw.attribute,
            concept: raw.concept.filter(|c| !c.is_empty()),
            baseline: baseline?,
            target: target?,
            note: raw.note.filter(|n| !n.is_empty()),
            line,
        })
    }

    fn observation(
        &mut self,
        display: &Path,
        line: usize,
        id: &str,
        field: &str,
        raw: RawObservation,
    ) -> Option<Observation> {
        let year = match raw.year {
            Some(y) if (1949..=2100).contains(&y) => Some(y as u16),
            Some(y) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!("indicator `{id}`: {field} year {y} is not plausible"),
                    )
                    .hint("write a four-digit year between 1949 and 2100"),
                );
                return None;
            }
            None => None,
        };
        let value: Result<IndicatorValue, String> = match raw.value {
            toml::Value::String(s) => indicator::parse_value(&s).map_err(|e| e.0),
            toml::Value::Integer(i) => indicator::checked_number(i as f64).map_err(|e| e.0),
            toml::Value::Float(f) => indicator::checked_number(f).map_err(|e| e.0),
            other => Err(format!(
                "the value is {}, neither a number nor text",
                other.type_str()
            )),
        };
        match value {
            Ok(value) => Some(Observation { year, value }),
            Err(message) => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("indicator `{id}`: {field} value: {message}"))
                        .hint("write the value as the plan does: a number (9.18), text in quotes (\"7.3左右\", \"【1000】\", \"低于全国平均水平\") or \"—\""),
                );
                None
            }
        }
    }

    fn load_division(&mut self, path: &Path, slug: String, url: String) -> Option<Division> {
        let file = self.read_content_file(path)?;
        // On bad front matter the body is still read, so its problems show in the same run.
        let fm: DivisionFrontMatter =
            self.parse_front_matter(&file)
                .unwrap_or(DivisionFrontMatter {
                    number: None,
                    title: slug.clone(),
                });
        if fm.title.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    &file.display,
                    file.front_matter_line,
                    "`title` may not be empty",
                )
                .hint("give the heading as the plan writes it"),
            );
        }
        let (intro, measures, interludes) = self.split_measures(&file);
        Some(Division {
            slug,
            url,
            number: fm.number.filter(|n| !n.is_empty()),
            title: fm.title,
            file: file.display,
            intro,
            measures,
            interludes,
        })
    }

    fn markdown(&mut self, source: &str, file: &Path, line: usize) -> Markdown {
        let md = Markdown {
            source: source.to_string(),
            file: file.to_path_buf(),
            line,
        };
        self.links.extend(internal_links(&md));
        for d in crate::markdown::check(&md) {
            self.diagnostics.push(d);
        }
        md
    }

    /// Cuts a division's body into its intro, its measures (level-3 headings) and the
    /// interludes between them (a level-4 sub-heading with the prose under it).
    fn split_measures(&mut self, file: &ContentFile) -> (Markdown, Vec<Measure>, Vec<Interlude>) {
        struct Pending {
            heading: String,
            attrs: crate::content::attrs::HeadingAttrs,
            line: usize,
            body_start: usize,
            /// The attribute block could not be read (already reported): keep the place, skip the measure.
            broken: bool,
        }
        let lines: Vec<&str> = file.body.split_inclusive('\n').collect();
        let mut offsets = Vec::with_capacity(lines.len() + 1);
        let mut offset = 0;
        for l in &lines {
            offsets.push(offset);
            offset += l.len();
        }
        offsets.push(offset);

        let mut intro_end = file.body.len();
        // Each cut starts a measure (Some) or an interlude (None, starting at its heading line).
        let mut pending: Vec<(usize, Option<Pending>)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        for (i, line) in lines.iter().enumerate() {
            let file_line = file.body_line + i;
            let trimmed = line.trim_end_matches('\n');
            if let Some((c, n)) = fence {
                let t = trimmed.trim_start();
                if t.chars().take_while(|x| *x == c).count() >= n
                    && t.trim_start_matches(c).trim().is_empty()
                {
                    fence = None;
                }
                continue;
            }
            let t = trimmed.trim_start();
            if let Some(c) = t.chars().next().filter(|c| *c == '`' || *c == '~') {
                let n = t.chars().take_while(|x| *x == c).count();
                if n >= 3 {
                    fence = Some((c, n));
                    continue;
                }
            }
            // A heading typed wrongly is reported, then read as the heading it was meant to be.
            let fixed;
            let trimmed = match crate::content::slips::heading_slip(trimmed) {
                Some(slip) => {
                    self.diagnostics.push(
                        Diagnostic::new(&file.display, file_line, slip.message)
                            .column(1)
                            .hint(slip.hint),
                    );
                    fixed = slip.fixed;
                    fixed.as_str()
                }
                None => trimmed,
            };
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let after = &trimmed[hashes..];
            if hashes == 0 || hashes > 6 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
                if let Some(column) = crate::content::slips::stray_attribute_block(trimmed) {
                    self.diagnostics.push(
                        Diagnostic::new(&file.display, file_line, "the line ends with an attribute block `{#…}` but is not a heading")
                            .column(column)
                            .hint("a measure heading starts the line with `### `; if the block is not meant as one, remove it"),
                    );
                }
                continue;
            }
            if hashes < 3 {
                self.diagnostics.push(
                    Diagnostic::new(&file.display, file_line, format!("a level-{hashes} heading in a plan file"))
                        .column(1)
                        .hint("chapter and section titles come from the front matter; write a measure as `### lead phrase {#id themes=\"…\"}`"),
                );
                continue;
            }
            if hashes > 4 {
                continue;
            }
            if pending.is_empty() {
                intro_end = offsets[i];
            } else {
                ends.push(offsets[i]);
            }
            if hashes == 4 {
                pending.push((file_line, None));
                continue;
            }
            match split_heading(after, hashes) {
                Ok((heading, attrs)) => pending.push((
                    file_line,
                    Some(Pending {
                        heading,
                        attrs,
                        line: file_line,
                        body_start: offsets[i + 1],
                        broken: false,
                    }),
                )),
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            &file.display,
                            file_line,
                            format!("bad heading attributes: {}", e.message),
                        )
                        .column(e.column)
                        .hint("write the block as {#id themes=\"slug other-slug\"}"),
                    );
                    pending.push((
                        file_line,
                        Some(Pending {
                            heading: String::new(),
                            attrs: Default::default(),
                            line: file_line,
                            body_start: offsets[i + 1],
                            broken: true,
                        }),
                    ));
                }
            }
        }
        if fence.is_some() {
            self.diagnostics.push(
                Diagnostic::new(
                    &file.display,
                    file.body_line + lines.len().saturating_sub(1),
                    "a fenced block is never closed",
                )
                .hint("close the ``` block with a line of ```"),
            );
        }
        ends.push(file.body.len());
        let intro_source = &file.body[..intro_end];
        let intro = self.markdown(intro_source, &file.display, file.body_line);
        let mut measures = Vec::new();
        let mut interludes = Vec::new();
        let starts: Vec<usize> = std::iter::once(intro_end)
            .chain(ends.iter().copied())
            .collect();
        for (((line, p), end), start) in pending.into_iter().zip(ends).zip(starts) {
            let Some(p) = p else {
                let body = self.markdown(&file.body[start..end], &file.display, line);
                interludes.push(Interlude {
                    before: measures.len(),
                    body,
                });
                continue;
            };
            let body_line = p.line + 1;
            let body_source = &file.body[p.body_start.min(end)..end];
            let body = self.markdown(body_source, &file.display, body_line);
            if p.broken {
                continue;
            }
            if let Some(m) = self.measure(&file.display, p.heading, p.attrs, p.line, body) {
                measures.push(m);
            }
        }
        (intro, measures, interludes)
    }

    fn measure(
        &mut self,
        display: &Path,
        heading: String,
        attrs: crate::content::attrs::HeadingAttrs,
        line: usize,
        body: Markdown,
    ) -> Option<Measure> {
        let mut ok = true;
        let id = match &attrs.id {
            Some(id) if is_valid_id(id) => id.clone(),
            Some(id) => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, format!("measure id `{id}` has characters not allowed in URLs"))
                        .hint("use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. sc-3-1-1"),
                );
                return None;
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::new(display, line, "the measure heading has no id")
                        .hint("end the heading with {#plan-chapter-section-n themes=\"…\"}, e.g. {#sc-3-1-1 themes=\"institutions\"}"),
                );
                return None;
            }
        };
        for (key, _) in &attrs.pairs {
            if !MEASURE_KEYS.contains(&key.as_str()) {
                ok = false;
                self.diagnostics.push(
                    Diagnostic::new(
                        display,
                        line,
                        format!("measure `{id}`: unknown attribute `{key}`"),
                    )
                    .hint(format!(
                        "a measure heading may carry {}",
                        MEASURE_KEYS.join(", ")
                    )),
                );
            }
        }
        let themes = attrs.list("themes");
        if themes.is_empty() || themes.len() > 3 {
            ok = false;
            self.diagnostics.push(
                Diagnostic::new(
                    display,
                    line,
                    format!(
                        "measure `{id}` has {} themes; it needs 1 to 3",
                        themes.len()
                    ),
                )
                .hint("add themes=\"slug\" with one to three slugs from content/themes.toml"),
            );
        }
        let body_text = plain_text(&body.source);
        let text = match (heading.is_empty(), body_text.is_empty()) {
            (true, _) => body_text.clone(),
            (false, true) => heading.clone(),
            (false, false) => format!("{heading}{body_text}"),
        };
        if text.trim().is_empty() {
            ok = false;
            self.diagnostics.push(
                Diagnostic::new(display, line, format!("measure `{id}` is empty"))
                    .hint("put the measure's text below its heading, or remove the heading"),
            );
        }
        let title = measure_title(&heading, &body_text);
        let units = attrs.get("units").map(parse_units).unwrap_or_default();
        if !ok {
            return None;
        }
        Some(Measure {
            id,
            heading,
            title,
            themes,
            units,
            related: attrs.list("related"),
            not_related: attrs.list("not_related"),
            implements: attrs.get("implements").map(str::to_string),
            body,
            text,
            file: display.to_path_buf(),
            line,
        })
    }

    fn load_pages(&mut self, dir: &Path) -> Vec<Page> {
        let mut pages = Vec::new();
        // A site may have no stand-alone pages at all; anything else that keeps the folder
        // from being read is reported.
        if matches!(content_fs::present(dir), Ok(false)) {
            return pages;
        }
        let entries = self
            .list(dir, "stand-alone pages are files content/pages/<slug>.md; remove content/pages if the site has none")
            .unwrap_or_default();
        for entry in entries {
            let entry = entry.path;
            let name = file_name(&entry);
            if is_ignored(&entry) {
                continue;
            }
            let Some(slug) = name.strip_suffix(".md").filter(|s| is_valid_slug(s)) else {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry),
                        0,
                        "a page file must be named <slug>.md",
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, e.g. help.md"),
                );
                continue;
            };
            let slug = slug.to_string();
            let Some(file) = self.read_content_file(&entry) else {
                continue;
            };
            let Some(fm) = self.parse_front_matter::<PageFrontMatter>(&file) else {
                continue;
            };
            let body = self.markdown(&file.body, &file.display, file.body_line);
            pages.push(Page {
                url: format!("{slug}/"),
                slug,
                title: fm.title,
                description: fm.description,
                file: file.display,
                body,
            });
        }
        pages
    }
}

/// The report for a content file that could not be read.
fn read_error(display: PathBuf, error: ReadError) -> Diagnostic {
    match error {
        ReadError::Io(e) => Diagnostic::new(display, 0, format!("cannot read the file: {e}")),
        ReadError::Symlink => {
            Diagnostic::new(display, 0, "symbolic links are not followed in content")
                .hint("replace the link by the file itself")
        }
        ReadError::NotRegular(what) => {
            Diagnostic::new(display, 0, format!("{what} is not a regular file"))
                .hint("content files must be regular files: replace it by the file itself")
        }
        ReadError::TooLarge(Some(bytes)) => Diagnostic::new(
            display,
            0,
            format!("the file has {bytes} bytes, more than the limit of {MAX_FILE_BYTES}"),
        )
        .hint("split the content into several files"),
        ReadError::TooLarge(None) => Diagnostic::new(
            display,
            0,
            format!("the file grew past the limit of {MAX_FILE_BYTES} bytes while it was read"),
        )
        .hint("split the content into several files"),
    }
}

fn placeholder_meta(slug: &str) -> PlanMeta {
    PlanMeta {
        title: slug.to_string(),
        short_title: slug.to_string(),
        issuers: Vec::new(),
        doc_number: None,
        date_written: None,
        date_published: None,
        period_start: None,
        period_end: None,
        outlook_year: None,
        level: Level::Province,
        region: String::new(),
        implements: Vec::new(),
        parent: None,
        source_url: None,
        notes: None,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Editor and OS leftovers that are not content.
fn is_ignored(path: &Path) -> bool {
    let name = file_name(path);
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}
