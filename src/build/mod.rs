//! The build pipeline: load → validate → analyse → render → write.
//!
//! Layer 7: may use every layer below; only this component knows the order of the stages.

use std::time::{Duration, Instant};

use crate::analyse::analyse;
use crate::analyse::related::SegmentCache;
use crate::config::{normalize_base_url, BuildOptions};
use crate::content::{load_site_cached, LoadCache};
use crate::diagnostics::BuildError;
use crate::feeds;
use crate::markdown;
use crate::markdown::links::LinkIndex;
use crate::open_data;
use crate::output;
use crate::output::outdir::{self, OutputDir, Policy};
use crate::output::OutputFile;
use crate::output::{Finished, Manifest, Sink, Staging, Swap};
use crate::render::{load_templates, render_pages, static_files};
use crate::validate::validate;

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
    /// What the build did not do and why (no base URL: no sitemap, no feed), for the command
    /// to print.
    pub warnings: Vec<String>,
}

/// A site built in memory.
pub struct Built {
    pub files: Vec<OutputFile>,
    pub stats: BuildStats,
}

/// What one build keeps for the next, in `serve`: parsed plans by the content of their files,
/// segmented measure texts, and the manifest of the output.
#[derive(Default)]
pub struct BuildCache {
    pub(crate) load: LoadCache,
    pub(crate) segments: SegmentCache,
}

/// Builds the site in memory; nothing is written.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, BuildError> {
    let sink = Sink::memory();
    let mut stats = run(options, &sink, None)?;
    let finished = sink.finish()?;
    stats.files = finished.files.len();
    stats.bytes = finished.bytes;
    Ok(Built {
        files: finished.files,
        stats,
    })
}

/// Builds the site and writes it to the output folder, replacing the previous build only when
/// everything succeeded. Files are written as they are made, into a staging folder.
/// The output folder must be new, empty or an earlier build's (see [`outdir`]); it is locked
/// while the build runs.
pub fn build(options: &BuildOptions) -> Result<BuildStats, BuildError> {
    let out = prepare_output(options)?;
    build_full(options, &out, None, false).map(|(stats, _)| stats)
}

/// Checks and locks the output folder of `options`.
fn prepare_output(options: &BuildOptions) -> Result<OutputDir, BuildError> {
    let policy = Policy {
        force: options.force,
        wait: options.wait,
    };
    outdir::prepare(&options.root, &options.output, policy)
}

fn build_full(
    options: &BuildOptions,
    out: &OutputDir,
    cache: Option<&BuildCache>,
    keyed: bool,
) -> Result<(BuildStats, Manifest), BuildError> {
    let staging =
        Staging::new(&out.dir).map_err(|e| BuildError::io("preparing", &options.output, e))?;
    let sink = Sink::staging(&staging);
    let sink = if keyed { sink.keyed() } else { sink };
    let mut stats = run(options, &sink, cache)?;
    let start = Instant::now();
    let finished = sink.finish()?;
    let swap = staging
        .commit()
        .map_err(|e| BuildError::io("writing", &options.output, e))?;
    if swap == Swap::InPlace {
        eprintln!(
            "warning: {} cannot be renamed (a mount point?): its files were updated one by one, \
             so the change was not atomic",
            options.output.display()
        );
    }
    stats.files = finished.manifest.files.len();
    stats.bytes = finished.bytes;
    stats.phases.push(("write", start.elapsed()));
    Ok((stats, finished.manifest))
}

/// Rebuilds for `serve`: the first build is a full one; each later one reloads only the plans
/// whose files changed, reuses the segmentation of unchanged texts, renders only the pages
/// whose inputs changed and writes only the files whose bytes changed. The output equals a
/// full build's, byte for byte.
pub struct Incremental {
    options: BuildOptions,
    cache: BuildCache,
    manifest: Option<Manifest>,
    /// The output folder, locked from the first rebuild on for as long as this lives.
    out: Option<OutputDir>,
}

/// What one incremental rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    pub stats: BuildStats,
    /// Output paths written or removed, in path order (every path on a full build).
    pub changed: Vec<String>,
    /// Pages rendered (the others were unchanged).
    pub rendered: usize,
}

impl Incremental {
    pub fn new(options: BuildOptions) -> Incremental {
        Incremental {
            options,
            cache: BuildCache::default(),
            manifest: None,
            out: None,
        }
    }

    /// Checks and locks the output folder (done by the first rebuild otherwise): `serve` calls
    /// it before anything else, so that a folder it may not write stops it at once.
    pub fn prepare(&mut self) -> Result<(), BuildError> {
        if self.out.is_none() {
            self.out = Some(prepare_output(&self.options)?);
        }
        Ok(())
    }

    /// Forgets the caches and the previous build, keeping the output folder and its lock: the
    /// next rebuild is a full one (after a rebuild panicked and may have left them half made).
    pub fn reset(&mut self) {
        self.cache = BuildCache::default();
        self.manifest = None;
    }

    pub fn rebuild(&mut self) -> Result<Rebuilt, BuildError> {
        self.prepare()?;
        let Some(out) = &self.out else {
            unreachable!("the output folder was prepared above")
        };
        let Some(previous) = self.manifest.take().filter(|_| out.dir.is_dir()) else {
            let (stats, manifest) = build_full(&self.options, out, Some(&self.cache), true)?;
            let mut changed: Vec<String> = manifest.files.keys().cloned().collect();
            changed.sort();
            self.manifest = Some(manifest);
            return Ok(Rebuilt {
                rendered: stats.pages,
                stats,
                changed,
            });
        };
        // Until the changes are applied nothing is written: on failure the previous build
        // stays the base of the next rebuild.
        let (mut stats, finished) = match self.run_live(&previous) {
            Ok(done) => done,
            Err(e) => {
                self.manifest = Some(previous);
                return Err(e);
            }
        };
        let rendered = finished
            .manifest
            .files
            .iter()
            .filter(|(path, e)| {
                e.key.is_some() && previous.files.get(*path).and_then(|p| p.key) != e.key
            })
            .count();
        let start = Instant::now();
        // If applying fails part-way, the manifest stays unset: the next rebuild is a full one.
        output::apply(&out.dir, &finished)
            .map_err(|e| BuildError::io("writing", &self.options.output, e))?;
        stats.files = finished.manifest.files.len();
        stats.bytes = finished.bytes;
        stats.phases.push(("write", start.elapsed()));
        self.manifest = Some(finished.manifest);
        Ok(Rebuilt {
            stats,
            changed: finished.changed,
            rendered,
        })
    }

    /// Builds against `previous` in memory: what changed, not yet written.
    fn run_live(&self, previous: &Manifest) -> Result<(BuildStats, Finished), BuildError> {
        let sink = Sink::live(previous);
        let stats = run(&self.options, &sink, Some(&self.cache))?;
        Ok((stats, sink.finish()?))
    }
}

/// The pipeline, with every file going to `sink`.
fn run(
    options: &BuildOptions,
    sink: &Sink,
    cache: Option<&BuildCache>,
) -> Result<BuildStats, BuildError> {
    // The segmenter's dictionary and the syntax set take a moment to load: load them while
    // the content loads.
    std::thread::spawn(crate::analyse::related::warm_up);
    std::thread::spawn(markdown::warm_up);
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

    let (site, mut diagnostics) = load_site_cached(&options.root, cache.map(|c| &c.load));
    lap("load", &mut phases);
    let Some(mut site) = site else {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    };
    if let Some(url) = &options.base_url {
        site.config.base_url = normalize_base_url(url).map_err(BuildError::BaseUrl)?;
    }
    let warnings = base_url_warnings(&mut site.config);
    let links = LinkIndex::build(&site);
    diagnostics.extend(validate(&site, &links));
    lap("validate", &mut phases);
    if !diagnostics.is_empty() {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    }

    let analysis = analyse(&site, cache.map(|c| &c.segments));
    lap("analyse", &mut phases);
    phases.extend(analysis.timings.iter().copied());

    let theme_dir = options.root.join("themes").join(&site.config.theme);
    let templates = load_templates(&theme_dir)?;
    // Pages on one side, open data and the search index on the other: they read the same
    // model and do not depend on each other, and their sequential steps overlap this way.
    let timed = |f: &dyn Fn() -> Result<(), BuildError>| {
        let start = Instant::now();
        f().map(|()| start.elapsed())
    };
    let (rendered, others) = rayon::join(
        || {
            let start = Instant::now();
            let progress = options.progress;
            render_pages(
                &site,
                &analysis,
                &links,
                &templates,
                options.minify,
                sink,
                progress,
            )
            .map(|paths| (paths, start.elapsed()))
        },
        || -> Result<(Duration, Duration), BuildError> {
            let assemble = timed(&|| {
                for (path, bytes) in static_files(&theme_dir.join("static"))? {
                    sink.put(path, bytes)?;
                }
                sink.put(
                    "static/syntax.css".into(),
                    markdown::highlight_css().into_bytes(),
                )?;
                open_data::open_data(&site, &analysis, sink)
            })?;
            let search = timed(&|| crate::search::search_index(&site, &analysis, sink))?;
            Ok((assemble, search))
        },
    );
    let (page_paths, render_time) = rendered?;
    let (assemble_time, search_time) = others?;
    lap(
        "render, open data and search index, in parallel",
        &mut phases,
    );
    phases.push(("render", render_time));
    phases.push(("assemble", assemble_time));
    phases.push(("search index", search_time));
    let mut page_urls: Vec<String> = page_paths
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect();
    page_urls.sort();
    let pages = page_paths.len();
    let base = &site.config.base_url;
    // A sitemap and a feed hold absolute URLs only: without a base URL there are none to write.
    if !base.is_empty() {
        sink.put(
            "sitemap.xml".into(),
            feeds::sitemap(base, &page_urls).into_bytes(),
        )?;
        sink.put("atom.xml".into(), feeds::atom(&site).into_bytes())?;
    }
    sink.put("robots.txt".into(), feeds::robots(base).into_bytes())?;

    Ok(BuildStats {
        plans: site.plans.len(),
        measures: analysis.measures.len(),
        indicators: site.plans.iter().map(|p| p.all_indicators().count()).sum(),
        pages,
        files: 0,
        bytes: 0,
        phases,
        warnings,
    })
}

/// Clears a placeholder base URL (`https://example.org/`) and says what a site without one
/// lacks: permalinks, canonical links, the sitemap and the feed must never point at a host
/// that is not the site's.
fn base_url_warnings(config: &mut crate::config::SiteConfig) -> Vec<String> {
    const LACKS: &str =
        "pages carry no canonical link, citations take the address the page is read at, \
         and no sitemap.xml or atom.xml is written; set base_url in content/site.toml, or pass \
         --base-url, to the address the site is published at";
    if config.base_url.is_empty() {
        return vec![format!("warning: no base_url is set: {LACKS}")];
    }
    if crate::config::is_placeholder(&config.base_url) {
        let url = std::mem::take(&mut config.base_url);
        return vec![format!(
            "warning: base_url `{url}` is a placeholder host (reserved for examples), not the site's address: {LACKS}"
        )];
    }
    Vec::new()
}
