//! `planatlas import`: from an official text to a draft plan folder that builds.
//!
//! The source is read by [`crate::source`] in whatever format it comes; then, one file per
//! concern: [`dedupe`] (a scrape's repeated paragraphs), [`outline`] (the notice, chapters and
//! sections, on the numbering schemes of [`numbering`]), [`measures`] (lead phrases, items,
//! 责任单位), [`meta`] (the metadata the text states), [`indicators`] (indicator tables),
//! [`themes`] (suggested themes), [`write`] (the files) and [`report`] (what was found and
//! what to check). Nothing is written until every file is made, and then into a temporary
//! folder renamed into place, so a failed import leaves nothing behind.
//!
//! Layer 7: reads the site through `content` to learn themes and ids.

pub mod dedupe;
pub mod indicators;
pub mod measures;
pub mod meta;
pub mod numbering;
pub mod outline;
pub mod report;
pub mod scrape;
pub mod themes;
pub mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::BuildError;
use crate::import::measures::Node;
use crate::import::outline::Item;
pub use crate::import::report::ImportReport;

/// The levels `plan.toml` allows.
pub const LEVELS: &[&str] = &["national", "joint", "province", "municipality", "district"];

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site root (holding `content/`).
    pub root: PathBuf,
    pub source: PathBuf,
    pub slug: String,
    pub id_prefix: Option<String>,
    pub level: Option<String>,
    pub region: Option<String>,
    /// Replace an existing plan folder of that slug.
    pub force: bool,
}

fn setup(msg: String) -> BuildError {
    BuildError::Setup(msg)
}

/// The default id prefix: the initials of the slug's words (`sichuan-finance` → `sf`).
fn default_prefix(slug: &str) -> String {
    let p: String = slug
        .split('-')
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if p.starts_with(|c: char| c.is_ascii_lowercase()) {
        p
    } else {
        format!("p{p}")
    }
}

fn valid_prefix(p: &str) -> bool {
    p.starts_with(|c: char| c.is_ascii_alphabetic())
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Imports `o.source` as the plan `o.slug`; returns what was found.
pub fn import(o: &ImportOptions) -> Result<ImportReport, BuildError> {
    if !crate::model::text::is_valid_slug(&o.slug) {
        return Err(setup(format!(
            "`{}` is not a valid plan slug: use lowercase ASCII letters, digits and `-`, not starting with `-` (for example `chongqing-finance`)",
            o.slug
        )));
    }
    if let Some(l) = &o.level {
        if !LEVELS.contains(&l.as_str()) {
            return Err(setup(format!(
                "--level {l}: the level is one of {}",
                LEVELS.join(", ")
            )));
        }
    }
    let plans = o.root.join("content").join("plans");
    let dir = plans.join(&o.slug);
    if dir.exists() && !o.force {
        return Err(setup(format!(
            "{} already exists; give --force to replace it, or choose another --slug",
            dir.display()
        )));
    }
    let document = crate::source::read(&o.source).map_err(|e| BuildError::Input {
        context: format!("importing {}", o.source.display()),
        source: Box::new(e),
    })?;
    let (site, diagnostics) = crate::content::load_site(&o.root);
    let mut site = site.ok_or_else(|| BuildError::Content(diagnostics.into_sorted()))?;
    // With --force the plan being replaced is no example to learn themes or ids from.
    site.plans.retain(|p| p.slug != o.slug);
    let items = outline::items(&document.blocks);
    let contents = scrape::contents(&items);
    let items = scrape::split_run_ons(items);
    let (items, dropped) = dedupe::dedupe(items);
    let items = indicators::tables_in_text(items);
    let mut tables = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Item::Table { rows, line } = item {
            let id = if tables.is_empty() {
                "main".to_string()
            } else {
                format!("table-{}", tables.len() + 1)
            };
            let before = i.checked_sub(1).and_then(|b| match &items[b] {
                Item::Para(p) => Some(p),
                Item::Table { .. } => None,
            });
            let title = indicators::title_before(before);
            if let Some(t) = indicators::read_table(rows, *line, id, title) {
                tables.push(t);
            }
        }
    }
    // A text without chapters is one chapter, titled by its first line (which the source has).
    let first_line = items
        .iter()
        .find_map(|i| match i {
            Item::Para(p) if p.text.chars().count() <= 60 => Some(p.text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| o.slug.clone());
    let mut outline = outline::outline(items, &first_line, &contents);
    let mut dropped = dropped;
    dropped.extend(dedupe::dedupe_measures(&mut outline));
    let body_head: Vec<Item> = outline
        .chapters
        .first()
        .map(|c| {
            c.div
                .nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Prose(p) => Some(Item::Para(p.clone())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut meta = meta::read(
        &outline.preamble,
        &body_head,
        &document.metadata,
        document.title.as_deref(),
    );
    let (level, region) = meta::level_region(&meta.issuers);
    meta.level = o.level.clone().or(level);
    meta.region = o.region.clone().or(region);
    if meta.title.is_empty() {
        meta.title = o.slug.clone();
    }
    let (Some(_), Some(_)) = (&meta.level, &meta.region) else {
        return Err(setup(format!(
            "{}: the text does not say the plan's level and region (its issuers: {}); give --level ({}) and --region (the place, e.g. 四川省)",
            o.source.display(),
            if meta.issuers.is_empty() { "none stated".to_string() } else { meta.issuers.join("、") },
            LEVELS.join(", ")
        )));
    };
    // Ids are unique across the site: the prefix must be this plan's alone.
    let taken: HashSet<String> = site
        .plans
        .iter()
        .filter(|p| p.slug != o.slug)
        .flat_map(|p| p.chapters.iter())
        .flat_map(|c| {
            c.divisions()
                .flat_map(|d| d.measures.iter().map(|m| m.id.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let clashes = |p: &str| taken.iter().any(|id| id.starts_with(&format!("{p}-")));
    let prefix = match &o.id_prefix {
        Some(p) => {
            if !valid_prefix(p) {
                return Err(setup(format!("--id-prefix {p}: an id prefix starts with an ASCII letter and holds ASCII letters, digits, `-` and `_`")));
            }
            if clashes(p) {
                return Err(setup(format!("--id-prefix {p}: another plan's measures already use ids `{p}-…`; choose another prefix")));
            }
            p.clone()
        }
        None => {
            let base = default_prefix(&o.slug);
            let mut p = base.clone();
            let mut n = 2;
            while clashes(&p) {
                p = format!("{base}{n}");
                n += 1;
            }
            p
        }
    };
    let texts: Vec<String> = outline
        .chapters
        .iter()
        .flat_map(|c| std::iter::once(&c.div).chain(c.sections.iter()))
        .flat_map(|d| d.nodes.iter())
        .flat_map(|n| match n {
            Node::Measure(m) => vec![m.text()],
            Node::Box { measures, .. } => measures.iter().map(|m| m.text()).collect(),
            _ => Vec::new(),
        })
        .collect();
    let suggested = themes::suggest_themes(&site, &texts);
    let indicators_toml = (!tables.is_empty()).then(|| indicators::to_toml(&tables, &prefix));
    let written = write::write(
        &outline,
        &meta,
        &prefix,
        &suggested,
        &tables,
        indicators_toml,
        "",
    );
    let mut report = make_report(
        o,
        &document,
        &outline,
        &meta,
        dropped,
        written.notes,
        written.themes,
    );
    report.indicator_rows = tables.iter().map(|t| t.rows.len()).sum();
    let mut files = written.files;
    files.push((PathBuf::from("REVIEW.md"), report.review()));
    put_in_place(&plans, &dir, &o.slug, &files, o.force)?;
    Ok(report)
}

fn make_report(
    o: &ImportOptions,
    document: &crate::source::Document,
    outline: &outline::Outline,
    meta: &meta::Meta,
    dropped: Vec<usize>,
    notes: Vec<write::Note>,
    themes: Vec<(String, Vec<(String, f64)>)>,
) -> ImportReport {
    let divisions = || {
        outline
            .chapters
            .iter()
            .flat_map(|c| std::iter::once(&c.div).chain(c.sections.iter()))
    };
    let count = |f: &dyn Fn(&Node) -> bool| {
        divisions()
            .flat_map(|d| d.nodes.iter())
            .filter(|n| f(n))
            .count()
    };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut field = |name: &str, there: bool| {
        if there {
            found.push(name.to_string());
        } else {
            missing.push(name.to_string());
        }
    };
    field("title", !meta.title.is_empty());
    field("issuers", !meta.issuers.is_empty());
    field("doc_number", meta.doc_number.is_some());
    field("date_written", meta.date_written.is_some());
    field("date_published", meta.date_published.is_some());
    field("period", meta.period.is_some());
    field("outlook_year", meta.outlook_year.is_some());
    let mut notes = notes;
    notes.insert(
        0,
        write::Note {
            file: "plan.toml".into(),
            line: 3,
            what: "short_title is the full title: shorten it".into(),
        },
    );
    ImportReport {
        slug: o.slug.clone(),
        source: o.source.display().to_string(),
        format: document.format.name().to_string(),
        encoding: document.encoding.clone(),
        chapters: outline.chapters.len(),
        sections: outline.chapters.iter().map(|c| c.sections.len()).sum(),
        measures: count(&|n| matches!(n, Node::Measure(_)))
            + divisions()
                .flat_map(|d| d.nodes.iter())
                .map(|n| match n {
                    Node::Box { measures, .. } => measures.len(),
                    _ => 0,
                })
                .sum::<usize>(),
        boxes: count(&|n| matches!(n, Node::Box { .. })),
        tables: count(&|n| matches!(n, Node::Table { .. })),
        indicator_rows: 0,
        found,
        missing,
        dropped,
        notes,
        themes,
    }
}

/// Writes the files into a hidden folder beside the plan's (which the loader skips) and renames
/// it into place, so that an import that fails halfway leaves no half plan.
fn put_in_place(
    plans: &Path,
    dir: &Path,
    slug: &str,
    files: &[(PathBuf, String)],
    force: bool,
) -> Result<(), BuildError> {
    let tmp = plans.join(format!(".{slug}.import-{}", std::process::id()));
    let result = (|| {
        for (rel, text) in files {
            let path = tmp.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| BuildError::io("creating", parent, e))?;
            }
            std::fs::write(&path, text).map_err(|e| BuildError::io("writing", &path, e))?;
        }
        if force && dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| BuildError::io("replacing", dir, e))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| BuildError::io("writing", dir, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
