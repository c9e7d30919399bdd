//! The build pipeline: load → validate → analyse → render → write.

use std::path::Path;
use std::time::{Duration, Instant};

use walkdir::WalkDir;

use crate::analyse::analyse;
use crate::config::{normalize_base_url, BuildOptions};
use crate::diagnostics::{BuildError, Diagnostic};
use crate::links::LinkIndex;
use crate::load::load_site;
use crate::render::{load_templates, render_pages, OutputFile};
use crate::validate::validate;
use crate::{data, feeds, markdown, output};

/// URL segments the generator uses itself; stand-alone pages may not take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "plans",
    "themes",
    "indicators",
    "data",
    "static",
    "mappings",
    "units",
    "concepts",
    "search",
];

/// What a build produced, for the summary line and the benchmarks.
#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub plans: usize,
    pub measures: usize,
    pub indicators: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub phases: Vec<(&'static str, Duration)>,
}

/// A site built in memory.
pub struct Built {
    pub files: Vec<OutputFile>,
    pub stats: BuildStats,
}

/// Builds the site in memory; nothing is written.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, BuildError> {
    let mut phases = Vec::new();
    let mut clock = Instant::now();
    let progress = options.progress;
    let mut lap = |name: &'static str, phases: &mut Vec<(&'static str, Duration)>| {
        let took = clock.elapsed();
        if progress {
            eprintln!("  {name}: {} ms", took.as_millis());
        }
        phases.push((name, took));
        clock = Instant::now();
    };

    let (site, mut diagnostics) = load_site(&options.root);
    lap("load", &mut phases);
    let Some(mut site) = site else {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    };
    if let Some(url) = &options.base_url {
        site.config.base_url =
            normalize_base_url(url).map_err(|m| BuildError::Other(format!("--base-url: {m}")))?;
    }
    for page in &site.pages {
        if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    &page.file,
                    0,
                    format!("the page name `{}` is used by the site itself", page.slug),
                )
                .hint(format!(
                    "rename the file; reserved names are {}",
                    RESERVED_SLUGS.join(", ")
                )),
            );
        }
    }
    let links = LinkIndex::build(&site);
    diagnostics.extend(validate(&site, &links));
    lap("validate", &mut phases);
    if !diagnostics.is_empty() {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    }

    let analysis = analyse(&site);
    lap("analyse", &mut phases);

    let theme_dir = options.root.join("themes").join(&site.config.theme);
    let tera = load_templates(&theme_dir)?;
    let mut files = render_pages(&site, &analysis, &links, &tera, options.minify)?;
    let mut page_urls: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .map(|(p, _)| p.trim_end_matches("index.html").to_string())
        .collect();
    page_urls.sort();
    let pages = files.len();
    lap("render", &mut phases);

    files.extend(static_files(&theme_dir.join("static"))?);
    files.push((
        "static/syntax.css".into(),
        markdown::highlight_css().into_bytes(),
    ));
    files.extend(data::open_data(&site, &analysis).map_err(BuildError::Other)?);
    lap("assemble", &mut phases);
    files.extend(crate::search::search_index(&site, &analysis));
    lap("search index", &mut phases);
    let base = &site.config.base_url;
    files.push((
        "sitemap.xml".into(),
        feeds::sitemap(base, &page_urls).into_bytes(),
    ));
    files.push(("robots.txt".into(), feeds::robots(base).into_bytes()));
    files.push(("atom.xml".into(), feeds::atom(&site).into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = files.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(BuildError::Other(format!(
            "two outputs would be written to {}",
            w[0].0
        )));
    }

    let stats = BuildStats {
        plans: site.plans.len(),
        measures: analysis.measures.len(),
        indicators: site.plans.iter().map(|p| p.all_indicators().count()).sum(),
        pages,
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len()).sum(),
        phases,
    };
    Ok(Built { files, stats })
}

/// Builds the site and writes it to the output folder, replacing the previous build only when
/// everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildStats, BuildError> {
    let mut built = build_in_memory(options)?;
    let start = Instant::now();
    output::write_site(&options.output, &built.files)
        .map_err(|e| BuildError::Other(format!("writing {}: {e}", options.output.display())))?;
    built.stats.phases.push(("write", start.elapsed()));
    Ok(built.stats)
}

/// The theme's static assets, below `static/` in the output.
fn static_files(dir: &Path) -> Result<Vec<OutputFile>, BuildError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::Other(format!("reading theme assets: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(|e| BuildError::Other(e.to_string()))?
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path())
            .map_err(|e| BuildError::Other(format!("reading {}: {e}", entry.path().display())))?;
        files.push((format!("static/{rel}"), bytes));
    }
    Ok(files)
}
