//! The build pipeline: load → validate → analyse → render → write.
//!
//! Layer 7: may use every layer below; only this component knows the order of the stages.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use crate::analyse::{analyse_previewing, AnalysisCache, RelatedById};
use crate::config::{normalize_base_url, BuildOptions};
use crate::content::{load_site_cached, LoadCache};
use crate::diagnostics::BuildError;
use crate::markdown::links::LinkIndex;
use crate::model::Site;
use crate::output;
use crate::output::outdir::{self, OutputDir, Policy};
use crate::output::OutputFile;
use crate::output::{Finished, Manifest, Sink, Staging, Swap};
use crate::render::{
    load_templates, load_templates_cached, render_pages, Pages, RenderOptions, TemplateCache,
    Templates,
};
use crate::search::CountCache;
use crate::util::phase::{PeakSampler, Phase};
use crate::validate::validate;

mod produce;
use self::produce::produce;

/// What a build produced, for the summary line and the benchmarks.
#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub plans: usize,
    pub measures: usize,
    pub indicators: usize,
    pub pages: usize,
    /// Of `pages`, those written by Rust code rather than by Tera: chapter, section, theme (but
    /// for those with indicator tables) and unit pages when the theme has the bundled templates
    /// for them.
    pub compiled_pages: usize,
    /// Of `compiled_pages`, those that were written in full and then minified rather than
    /// written minified as they were made (a value or content the minified writing does not
    /// reproduce; see `render::compiled`). Zero when not minifying.
    pub compiled_pages_in_full: usize,
    pub files: usize,
    pub bytes: usize,
    pub phases: Vec<Phase>,
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
/// what the analysis keeps (segmented texts, related lists) and the search index's records'
/// texts with its postings of term counts.
#[derive(Default)]
pub struct BuildCache {
    pub(crate) load: LoadCache,
    pub(crate) analysis: AnalysisCache,
    pub(crate) search: CountCache,
    pub(crate) templates: TemplateCache,
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

/// Builds the site as [`build`] does, but drops every file once it is made: what `planatlas
/// check` runs. Every page, template and open-data file is made, so any error a build would
/// meet is met; nothing is written, and no file is held, so a check needs the memory of a
/// build, not of its output (a million measures make 12 GB of files).
pub fn build_and_discard(options: &BuildOptions) -> Result<BuildStats, BuildError> {
    let sink = Sink::discard();
    let mut stats = run(options, &sink, None)?;
    let finished = sink.finish()?;
    stats.files = finished.manifest.files.len();
    stats.bytes = finished.bytes;
    Ok(stats)
}

/// Builds the site and writes it to the output folder, replacing the previous build only when
/// everything succeeded. Files are written as they are made, into a staging folder.
/// The output folder must be new, empty or an earlier build's (see [`outdir`]); it is locked
/// while the build runs.
pub fn build(options: &BuildOptions) -> Result<BuildStats, BuildError> {
    let out = prepare_output(options)?;
    let checked = load_checked(options, None)?;
    build_full(options, &out, checked, None, None).map(|(stats, _)| stats)
}

/// Checks and locks the output folder of `options`.
fn prepare_output(options: &BuildOptions) -> Result<OutputDir, BuildError> {
    let policy = Policy {
        force: options.force,
        wait: options.wait,
    };
    outdir::prepare(&options.root, &options.output, policy)
}

/// A full build into the output folder. With `kept` (serve's first build), pages are keyed
/// for later live rebuilds and what their previews need is kept.
fn build_full(
    options: &BuildOptions,
    out: &OutputDir,
    checked: Checked,
    cache: Option<&BuildCache>,
    kept: Option<&mut Kept>,
) -> Result<(BuildStats, Manifest), BuildError> {
    let staging =
        Staging::new(&out.dir).map_err(|e| BuildError::io("preparing", &options.output, e))?;
    let sink = Sink::staging(&staging);
    let sink = if kept.is_some() { sink.keyed() } else { sink };
    let mut stats = produce(options, checked, &sink, cache, kept, None)?;
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
    stats.phases.push(Phase::timed("write", start.elapsed()));
    Ok((stats, finished.manifest))
}

/// Rebuilds for `serve`: the first build is a full one; each later one reloads only the plans
/// whose files changed, reuses the segmentation of unchanged texts, renders only the pages
/// whose inputs changed and writes only the files whose bytes changed. The output equals a
/// full build's, byte for byte.
///
/// [`Incremental::rebuild_previewed`] first writes a preview of the plans whose files changed:
/// their pages made from the new content, with their measures' related lists computed as a full
/// build computes them but the other measures' lists of the previous build (computing every
/// list again is most of a large rebuild, and an edit can change every score a little). The
/// exact rebuild follows at once and writes whatever the preview got wrong.
pub struct Incremental {
    options: BuildOptions,
    cache: BuildCache,
    manifest: Option<Manifest>,
    /// The output folder, locked from the first rebuild on for as long as this lives.
    out: Option<OutputDir>,
    /// What previews need of the builds before them.
    kept: Kept,
    /// Set when a newer edit came in (see [`Incremental::stop_when`]).
    stop: Option<Arc<AtomicBool>>,
}

/// What a build keeps for the previews of later rebuilds.
#[derive(Default)]
struct Kept {
    /// The related lists of the last analysis.
    related: Option<RelatedById>,
    /// The key of the templates of the last build that succeeded: a preview with other
    /// templates could write pages before a template error elsewhere stops the rebuild.
    templates: Option<u64>,
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
            kept: Kept::default(),
            stop: None,
        }
    }

    /// While `flag` is set, the exact rebuild that follows a preview stops at its next page or
    /// step, writes nothing more and returns [`BuildError::Superseded`]: `serve` sets it when a
    /// newer edit comes in, so that the newer edit is previewed at once instead of after the
    /// rest of the site. A rebuild without a preview always runs to its end, so that every edit
    /// is shown.
    pub fn stop_when(&mut self, flag: Arc<AtomicBool>) {
        self.stop = Some(flag);
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
        self.kept = Kept::default();
    }

    /// Rebuilds: a full build the first time, a live one against the previous build after.
    pub fn rebuild(&mut self) -> Result<Rebuilt, BuildError> {
        self.rebuild_with(None)
    }

    /// Rebuilds as [`Incremental::rebuild`] does, but when the files of a few plans changed
    /// since the last build that succeeded (a quarter of the plans at most, or one), first
    /// writes a preview of those plans' pages and calls `shown` with it; then the exact
    /// rebuild writes what differs from the preview. There is no preview with templates that
    /// no build has succeeded with yet, so that on content and template errors nothing is
    /// written, as in any rebuild.
    pub fn rebuild_previewed(
        &mut self,
        shown: &mut dyn FnMut(&Rebuilt),
    ) -> Result<Rebuilt, BuildError> {
        self.rebuild_with(Some(shown))
    }

    fn rebuild_with(
        &mut self,
        shown: Option<&mut dyn FnMut(&Rebuilt)>,
    ) -> Result<Rebuilt, BuildError> {
        self.prepare()?;
        let Some(out) = &self.out else {
            unreachable!("the output folder was prepared above")
        };
        let previous = self.manifest.take().filter(|_| out.dir.is_dir());
        // Until the changes are applied nothing is written: on failure the previous build
        // stays the base of the next rebuild.
        let checked = match load_checked(&self.options, Some(&self.cache)) {
            Ok(checked) => checked,
            Err(e) => {
                self.manifest = previous;
                return Err(e);
            }
        };
        let templates = checked.templates.key;
        let Some(mut previous) = previous else {
            let (stats, manifest) = build_full(
                &self.options,
                out,
                checked,
                Some(&self.cache),
                Some(&mut self.kept),
            )?;
            let mut changed: Vec<String> = manifest.files.keys().cloned().collect();
            changed.sort();
            self.manifest = Some(manifest);
            self.succeeded(templates);
            return Ok(Rebuilt {
                rendered: stats.pages,
                stats,
                changed,
            });
        };
        let mut stop = None;
        // What the preview replaced on disk and in the manifest, to take it back if the exact
        // rebuild fails: a failed rebuild writes nothing.
        let mut undo = None;
        if let Some(shown) = shown {
            let preview = preview(&self.options, &checked, &self.cache, &self.kept, &previous);
            let previewed = match preview {
                Ok(previewed) => previewed,
                Err(e) => {
                    self.manifest = Some(previous);
                    return Err(e);
                }
            };
            if let Some((mut stats, finished)) = previewed {
                let rendered = rendered_count(&finished.manifest, &previous);
                let start = Instant::now();
                // If applying fails part-way, the manifest stays unset: the next rebuild is a
                // full one.
                let replaced = output::apply_undoable(&out.dir, &finished)
                    .map_err(|e| BuildError::io("writing", &self.options.output, e))?;
                stats.phases.push(Phase::timed("write", start.elapsed()));
                undo = Some((replaced, previous.merge(finished.manifest)));
                // As after any rebuild, the site's files: a preview never changes them all.
                stats.files = previous.files.len();
                // A preview that changed nothing (an edit of spacing) has nothing to show.
                if !finished.changed.is_empty() {
                    shown(&Rebuilt {
                        stats,
                        changed: finished.changed,
                        rendered,
                    });
                    stop = self.stop.as_deref();
                }
            }
        }
        let sink = Sink::live(&previous);
        let live = produce(
            &self.options,
            checked,
            &sink,
            Some(&self.cache),
            Some(&mut self.kept),
            stop,
        )
        .and_then(|stats| Ok((stats, sink.finish()?)));
        let (mut stats, finished) = match (live, undo) {
            (Ok(done), _) => done,
            // Stopped for a newer edit: the preview stays, the next rebuild goes on from it.
            (Err(e @ BuildError::Superseded), _) | (Err(e), None) => {
                self.manifest = Some(previous);
                return Err(e);
            }
            (Err(e), Some((replaced, entries))) => {
                // If the preview cannot be taken back, the manifest stays unset: the next
                // rebuild is a full one.
                replaced.restore(&out.dir).map_err(|e| {
                    BuildError::io("taking back the preview in", &self.options.output, e)
                })?;
                previous.unmerge(entries);
                self.manifest = Some(previous);
                return Err(e);
            }
        };
        let rendered = rendered_count(&finished.manifest, &previous);
        let start = Instant::now();
        // If applying fails part-way, the manifest stays unset: the next rebuild is a full one.
        output::apply(&out.dir, &finished)
            .map_err(|e| BuildError::io("writing", &self.options.output, e))?;
        stats.files = finished.manifest.files.len();
        stats.bytes = finished.bytes;
        stats.phases.push(Phase::timed("write", start.elapsed()));
        self.manifest = Some(finished.manifest);
        self.succeeded(templates);
        Ok(Rebuilt {
            stats,
            changed: finished.changed,
            rendered,
        })
    }

    /// After a build that succeeded, written and all: later previews count the plans changed
    /// from here, and may use its templates (their key).
    fn succeeded(&mut self, templates: u64) {
        self.cache.load.forget_parsed();
        self.kept.templates = Some(templates);
    }
}

/// How many pages of `manifest` were rendered: those whose key is not the previous build's
/// (the search index's files have keys too; they are not pages).
fn rendered_count(manifest: &Manifest, previous: &Manifest) -> usize {
    manifest
        .files
        .iter()
        .filter(|(path, e)| {
            path.ends_with(".html")
                && e.key.is_some()
                && previous.files.get(*path).and_then(|p| p.key) != e.key
        })
        .count()
}

/// The preview of a live rebuild: the pages of the plans the load parsed afresh, their own
/// measures' related lists computed as in a full build, the other measures' lists those of the
/// previous analysis; `None` when no plan, or more than a quarter of
/// them, changed (then the exact rebuild alone is about as quick).
fn preview(
    options: &BuildOptions,
    checked: &Checked,
    cache: &BuildCache,
    kept: &Kept,
    previous: &Manifest,
) -> Result<Option<(BuildStats, Finished)>, BuildError> {
    let start = Instant::now();
    let site = &checked.site;
    let parsed = cache.load.parsed();
    let plans: Vec<usize> = (0..site.plans.len())
        .filter(|p| parsed.binary_search(&site.plans[*p].slug).is_ok())
        .collect();
    let Some(related) = &kept.related else {
        return Ok(None);
    };
    if plans.is_empty() || plans.len() * 4 > site.plans.len().max(4) {
        return Ok(None);
    }
    // Changed templates could fail on a page the preview does not make, after it wrote its
    // own: no preview until a build with them has succeeded.
    if kept.templates != Some(checked.templates.key) {
        return Ok(None);
    }
    let analysis = analyse_previewing(site, Some(&cache.analysis), related, &plans);
    let mut phases = checked.phases.clone();
    phases.push(Phase::timed("preview: analyse", start.elapsed()));
    phases.extend(analysis.timings.iter().copied());
    let start = Instant::now();
    let sink = Sink::live_part(previous);
    let render = RenderOptions {
        minify: options.minify,
        progress: false,
        pages: Pages::OfPlans(&plans),
        stop: None,
    };
    let rendered = render_pages(
        site,
        &analysis,
        &checked.links,
        &checked.templates,
        render,
        &sink,
    )?;
    phases.push(Phase::timed("preview: render", start.elapsed()));
    let finished = sink.finish()?;
    let stats = BuildStats {
        plans: plans.len(),
        pages: rendered.paths.len(),
        compiled_pages: rendered.compiled,
        compiled_pages_in_full: rendered.compiled_in_full,
        bytes: finished.bytes,
        phases,
        ..BuildStats::default()
    };
    Ok(Some((stats, finished)))
}

fn theme_dir(options: &BuildOptions, site: &Site) -> std::path::PathBuf {
    options.root.join("themes").join(&site.config.theme)
}

/// A site loaded and validated, with its theme's templates and what the later stages need
/// besides.
struct Checked {
    site: Site,
    links: LinkIndex,
    templates: Arc<Templates>,
    warnings: Vec<String>,
    phases: Vec<Phase>,
    /// With the phases apart, what samples each one's peak memory.
    memory: Option<PeakSampler>,
}

/// The pipeline, with every file going to `sink`.
fn run(
    options: &BuildOptions,
    sink: &Sink,
    cache: Option<&BuildCache>,
) -> Result<BuildStats, BuildError> {
    produce(
        options,
        load_checked(options, cache)?,
        sink,
        cache,
        None,
        None,
    )
}

/// The clock of a build's phases: each lap is the time since the previous one, and with
/// `memory`, the process's peak memory since then (only for laps that run alone and hold no
/// other lap).
struct Laps<'a> {
    clock: Instant,
    progress: bool,
    memory: Option<&'a PeakSampler>,
}

impl<'a> Laps<'a> {
    fn new(progress: bool, memory: Option<&'a PeakSampler>) -> Laps<'a> {
        Laps {
            clock: Instant::now(),
            progress,
            memory,
        }
    }

    fn lap(&mut self, name: &'static str, phases: &mut Vec<Phase>) {
        let took = self.clock.elapsed();
        if self.progress {
            eprintln!("  {name}: {} ms", took.as_millis());
        }
        phases.push(Phase::measured(name, took, self.memory));
        self.clock = Instant::now();
    }
}

/// The theme's templates being parsed on a thread of their own, and in which theme; the thread
/// is waited for when this is dropped, so that it does not outlive a build that stops early.
struct EarlyTemplates(Option<std::thread::JoinHandle<(std::path::PathBuf, Loaded)>>);

/// A theme's templates, or why they could not be loaded.
type Loaded = Result<Arc<Templates>, BuildError>;

impl EarlyTemplates {
    /// The templates, if they were parsed in `theme`.
    fn of(mut self, theme: &std::path::Path) -> Option<Loaded> {
        let (parsed, templates) = self.0.take()?.join().ok()?;
        (parsed == theme).then_some(templates)
    }
}

impl Drop for EarlyTemplates {
    fn drop(&mut self) {
        if let Some(parsing) = self.0.take() {
            let _ = parsing.join();
        }
    }
}

/// The theme's templates, taken from `cache` (in `serve`) where they were parsed from the same
/// texts.
fn templates_of(theme: &std::path::Path, cache: Option<&TemplateCache>) -> Loaded {
    match cache {
        Some(cache) => load_templates_cached(theme, cache),
        None => load_templates(theme).map(Arc::new),
    }
}

/// The first stages: load, then validate while the theme's templates are parsed.
fn load_checked(options: &BuildOptions, cache: Option<&BuildCache>) -> Result<Checked, BuildError> {
    // Apart, each phase's memory is sampled. Loading and validation run beside what is started
    // here for the stages after them (the segmenter's dictionary, the templates): their memory
    // counts in the peak of load or of validation, whichever they are read in.
    let memory = options.phases_apart.then(PeakSampler::start).flatten();
    // The segmenter's dictionary takes a moment to load: load it while the content loads. (The
    // syntax set for code blocks loads when the first one is highlighted: most sites have none.)
    std::thread::spawn(crate::analyse::related::warm_up);
    // Tera parses the theme's templates (about 80 M instructions, a fixed cost that weighs on
    // small sites) while the content loads, in the theme `site.toml` names; if the loaded
    // configuration names another, or cannot be read, they are parsed below.
    let site_toml = options.root.join("content/site.toml");
    let template_cache = cache.map(|c| c.templates.clone());
    let early_templates = EarlyTemplates(
        crate::config::SiteConfig::load(&site_toml, &site_toml)
            .ok()
            .map(|config| {
                let theme = options.root.join("themes").join(&config.theme);
                std::thread::spawn(move || {
                    let templates = templates_of(&theme, template_cache.as_ref());
                    (theme, templates)
                })
            }),
    );
    let mut phases = Vec::new();
    let mut laps = Laps::new(options.progress, memory.as_ref());
    let (site, mut diagnostics) = load_site_cached(&options.root, cache.map(|c| &c.load));
    laps.lap("load", &mut phases);
    let Some(mut site) = site else {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    };
    if let Some(url) = &options.base_url {
        site.config.base_url = normalize_base_url(url).map_err(BuildError::BaseUrl)?;
    }
    let warnings = base_url_warnings(&mut site.config);
    let theme = theme_dir(options, &site);
    let (templates, (links, problems)) = rayon::join(
        || {
            early_templates
                .of(&theme)
                .unwrap_or_else(|| templates_of(&theme, cache.map(|c| &c.templates)))
        },
        || {
            let links = LinkIndex::build(&site);
            let problems = validate(&site, &links);
            (links, problems)
        },
    );
    diagnostics.extend(problems);
    laps.lap("validate", &mut phases);
    if !diagnostics.is_empty() {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    }
    let templates = templates?;
    Ok(Checked {
        site,
        links,
        templates,
        warnings,
        phases,
        memory,
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
