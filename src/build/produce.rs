//! The later stages of a build: analyse, index, render and open data, and in what order they
//! run. By default the search index runs beside the related measures and the render beside the
//! open data, on whichever core is free; with [`BuildOptions::phases_apart`] (`check --timings
//! --apart`) each runs alone, one after another, so that each phase's time is its own cost on
//! all cores rather than its share of cores it had to share (slower in all: for measuring).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{theme_dir, BuildCache, BuildStats, Checked, Kept, Laps};
use crate::analyse::analyse_alongside;
use crate::config::BuildOptions;
use crate::diagnostics::BuildError;
use crate::feeds;
use crate::markdown;
use crate::open_data;
use crate::output::Sink;
use crate::render::{render_pages, static_files, Pages, RenderOptions};
use crate::util::phase::{PeakSampler, Phase};

/// The later stages: analyse, with the search index begun as soon as the analysis knows the
/// responsible units, then render and open data side by side (with `phases_apart`: the search
/// index after the analysis, then render, then open data). With `kept`, what
/// the previews of later rebuilds need is kept there. When `stop` is set, the build stops at
/// its next step or page with [`BuildError::Superseded`].
pub(super) fn produce(
    options: &BuildOptions,
    checked: Checked,
    sink: &Sink,
    cache: Option<&BuildCache>,
    kept: Option<&mut Kept>,
    stop: Option<&AtomicBool>,
) -> Result<BuildStats, BuildError> {
    BuildError::unless_stopped(stop)?;
    let Checked {
        site,
        links,
        templates,
        warnings,
        mut phases,
        memory,
    } = checked;
    // Its laps hold the phases below, which sample their own memory when apart.
    let mut laps = Laps::new(options.progress, None);
    // A failed render fails the build: the search index, the longest of the other two, stops
    // at its next step once the render has failed (the render's error is the one reported).
    let render_failed = AtomicBool::new(false);
    let halt = || {
        BuildError::unless_stopped(stop)?;
        BuildError::unless_stopped(Some(&render_failed))
    };
    // The search index reads no related list: it is made while they are computed, from the
    // moment the analysis knows the responsible units, on whichever core is free. Then pages and
    // open data, at once: they read the same model and do not depend on each other. Apart, each
    // waits for the one before it.
    let apart = options.phases_apart;
    // Apart (the only time there is a sampler), each phase's peak memory, counted from the
    // end of the one before it.
    let memory = memory.as_ref();
    let peak = || memory.map(PeakSampler::phase_peak_kib);
    let searched: OnceLock<Result<Duration, BuildError>> = OnceLock::new();
    let index = |records, recorded: Duration| {
        let start = Instant::now();
        let counts = cache.map(|c| &c.search);
        let result = crate::search::search_index(&site, records, counts, sink, &halt);
        let _ = searched.set(result.map(|()| recorded + start.elapsed()));
    };
    let made = rayon::scope(|scope| {
        let analysis =
            analyse_alongside(&site, cache.map(|c| &c.analysis), memory, &mut |partial| {
                if apart {
                    return;
                }
                // The records are made here, from the analysis as it stands (it goes on after the
                // hook); their time is the search index's.
                let start = Instant::now();
                let records = crate::search::search_records(&site, partial);
                let recorded = start.elapsed();
                let index = &index;
                scope.spawn(move |_| index(records, recorded));
            });
        laps.lap("analyse", &mut phases);
        phases.extend(analysis.timings.iter().copied());
        if let Some(kept) = kept {
            kept.related = Some(analysis.related_by_id(&site));
        }
        // A stop here stops the search index too, at its next step.
        BuildError::unless_stopped(stop)?;
        let mut search_peak = None;
        if apart {
            // The records read nothing the analysis adds after its hook.
            let start = Instant::now();
            let records = crate::search::search_records(&site, &analysis);
            index(records, start.elapsed());
            search_peak = peak();
        }
        let theme_dir = theme_dir(options, &site);
        let render = || {
            let start = Instant::now();
            let options = RenderOptions {
                minify: options.minify,
                progress: options.progress,
                pages: Pages::All,
                stop,
            };
            let rendered = render_pages(&site, &analysis, &links, &templates, options, sink);
            render_failed.store(rendered.is_err(), Ordering::Relaxed);
            rendered.map(|pages| (pages, start.elapsed(), peak()))
        };
        let assemble = || -> Result<(Duration, Option<u64>), BuildError> {
            BuildError::unless_stopped(stop)?;
            let start = Instant::now();
            for (path, bytes) in static_files(&theme_dir.join("static"))? {
                sink.put(path, bytes)?;
            }
            sink.put(
                "static/syntax.css".into(),
                markdown::highlight_css().into_bytes(),
            )?;
            open_data::open_data(&site, &analysis, sink)?;
            Ok((start.elapsed(), peak()))
        };
        let (rendered, assembled) = if apart {
            (render(), assemble())
        } else {
            rayon::join(render, assemble)
        };
        Ok((analysis, rendered, assembled, search_peak))
    });
    // The analysis always calls its hook, so the search index was begun and has set its result
    // (the scope waited for it), or, apart, was made unless the build stopped first (then
    // `made` is that stop); `Superseded` only in case that ever changes.
    let searched = searched.into_inner().unwrap_or(Err(BuildError::Superseded));
    let (analysis, rendered, assembled, search_peak) = made?;
    let ((rendered, render_time, render_peak), ((assemble_time, assemble_peak), search_time)) =
        both(rendered, both(assembled, searched))?;
    let page_paths = rendered.paths;
    laps.lap(
        if apart {
            "search index, pages and open data, one after another"
        } else {
            "pages and open data, in parallel"
        },
        &mut phases,
    );
    let phase = |name, took, peak_kib| Phase {
        name,
        took,
        peak_kib,
    };
    phases.push(phase("render", render_time, render_peak));
    phases.push(phase("assemble", assemble_time, assemble_peak));
    phases.push(phase("search index", search_time, search_peak));
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

    let stats = BuildStats {
        plans: site.plans.len(),
        measures: analysis.measures.len(),
        indicators: site.plans.iter().map(|p| p.all_indicators().count()).sum(),
        pages,
        compiled_pages: rendered.compiled,
        compiled_pages_in_full: rendered.compiled_in_full,
        files: 0,
        bytes: 0,
        phases,
        warnings,
    };
    drop_aside((site, analysis, links, templates));
    Ok(stats)
}

/// Frees `value` on a thread of its own. Freeing the model and the analysis kept one core
/// busy after the last page (0.2 s at 100,000 measures) while the output waited to be
/// committed. A build's process may exit first; the system then reclaims the memory at once.
fn drop_aside<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure, and `value` with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Both results, or the error to report of either ([`BuildError::before`]).
fn both<A, B>(a: Result<A, BuildError>, b: Result<B, BuildError>) -> Result<(A, B), BuildError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(a), Err(b)) => Err(a.before(b)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}
