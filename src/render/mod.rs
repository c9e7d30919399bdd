//! Rendering the model into HTML pages with the theme's Tera templates.
//!
//! The renderer reads the model and the analysis; it never reads content files. Each page is an
//! independent job, so pages render in parallel; the job list is built in a fixed order, so the
//! output does not depend on scheduling.
//!
//! Layer 6: may use `analyse` and every layer below; not `search`, `open_data` or `feeds`. Only
//! this component reads `themes/`. This file holds `struct Renderer` and the rendering of one
//! page; the `Renderer` methods are spread, as several `impl` blocks, over `views.rs` (the JSON
//! views all pages share) and `pages/` (one file per kind of page). Besides: `jobs.rs` (which
//! pages, in what order), `cards.rs` (what related links show of their measures), `theme.rs`
//! (templates and static files), `key.rs` (page keys), [`charts`] (SVG bar charts) and
//! [`minify`](mod@minify) (the HTML minifier and its depth guard).

mod cards;
pub mod charts;
mod compiled;
mod jobs;
mod key;
pub mod minify;
mod pages;
mod theme;
mod views;

pub use self::theme::{
    load_templates, load_templates_cached, static_files, TemplateCache, Templates,
};

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use tera::Tera;
use walkdir::WalkDir;

use self::cards::LinkCards;
use self::jobs::Job;
use self::key::page_key;
use self::minify::minify_in_place;
use self::pages::division::DivisionPage;
use self::pages::home::{CONCEPTS_URL, MAPPINGS_URL, PLANS_URL};
use self::pages::indicators::table_view;
use self::pages::indicators::ConceptPage;
use self::pages::mappings::mapping_url;
use self::pages::plans::PlanPage;
use self::pages::themes::ThemePage;
use self::pages::units::UnitPage;
use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::markdown::links::LinkIndex;
use crate::markdown::{self, HtmlContext};
use crate::model::urls::theme_page_url;
use crate::model::{
    Division, Indicator, IndicatorTable, Markdown, Measure, Observation, Plan, Site,
};
use crate::output::Sink;
use crate::util::hash::key_hasher;

/// Everything rendering needs, shared by all jobs.
struct Renderer<'a> {
    site: &'a Site,
    analysis: &'a Analysis,
    links: &'a LinkIndex,
    tera: &'a Tera,
    /// Chapter and section pages are written by [`compiled::division`], not by Tera.
    divisions_compiled: bool,
    /// Theme pages without indicator tables are written by [`compiled::theme`].
    themes_compiled: bool,
    /// Responsible units' pages are written by [`compiled::unit`].
    units_compiled: bool,
    /// Plans' covers are written by [`compiled::plan`].
    plans_compiled: bool,
    /// Indicator concepts' pages are written by [`compiled::concept`].
    concepts_compiled: bool,
    /// Theme pages with indicator tables are written by [`compiled::theme`] too.
    concept_tables_compiled: bool,
    /// How many pages [`compiled::division`], [`compiled::theme`] and [`compiled::unit`] wrote.
    compiled: AtomicUsize,
    /// How many of them, when minifying, were written in full and minified rather than
    /// written minified.
    compiled_in_full: AtomicUsize,
    minify: bool,
    /// Each plan's indicator tables as (table id, HTML).
    tables: Vec<Vec<(String, String)>>,
    /// Each theme's name by its slug: looked up for every other theme of every measure a theme
    /// page lists, so hashed with Fx (short keys).
    theme_names: FxHashMap<&'a str, &'a str>,
    /// Canonical name of every alias of a responsible unit, and each canonical name's page key.
    unit_aliases: HashMap<String, String>,
    agency_keys: FxHashMap<String, &'a str>,
    plan_index: HashMap<&'a str, usize>,
    /// Every plan's short title, by index ([`Site::plan_texts`]), for the related links.
    short_titles: &'a [Box<str>],
    /// Every measure's title and URL, for the related links.
    cards: &'a LinkCards,
}

/// How [`render_pages`] renders.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'s> {
    pub minify: bool,
    /// Show a progress bar on the terminal.
    pub progress: bool,
    pub pages: Pages<'s>,
    /// When this is set, rendering stops with [`BuildError::Superseded`] (see `serve`).
    pub stop: Option<&'s AtomicBool>,
}

/// Which pages [`render_pages`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages<'s> {
    All,
    /// Only the pages of these plans (indices into `Site::plans`): cover, chapters, sections.
    OfPlans(&'s [usize]),
}

impl Pages<'_> {
    /// Whether the pages of plan `p` are made.
    fn of_plan(self, p: usize) -> bool {
        match self {
            Pages::All => true,
            Pages::OfPlans(plans) => plans.contains(&p),
        }
    }
}

/// The pages [`render_pages`] made.
#[derive(Debug)]
pub struct Rendered {
    /// Their paths, in job order.
    pub paths: Vec<String>,
    /// How many of them were written by Rust code rather than by Tera (`compiled/`).
    pub compiled: usize,
    /// How many of those, when minifying, were written in full and then minified, rather than
    /// written minified (`compiled/compact/`).
    pub compiled_in_full: usize,
}

/// Renders the HTML pages of the site into `sink`.
/// With a keyed sink, each page carries the key of its context, so that an incremental rebuild
/// renders only the pages whose inputs changed.
pub fn render_pages(
    site: &Site,
    analysis: &Analysis,
    links: &LinkIndex,
    templates: &Templates,
    options: RenderOptions,
    sink: &Sink,
) -> Result<Rendered, BuildError> {
    let RenderOptions {
        minify,
        progress,
        pages: selection,
        stop,
    } = options;
    let short_titles = site.plan_texts(|p| &p.meta.short_title);
    let cards = LinkCards::new(site, analysis);
    let mut renderer = Renderer {
        short_titles: &short_titles,
        cards: &cards,
        site,
        analysis,
        links,
        tera: &templates.tera,
        divisions_compiled: templates.divisions_compiled,
        themes_compiled: templates.themes_compiled,
        units_compiled: templates.units_compiled,
        plans_compiled: templates.plans_compiled,
        concepts_compiled: templates.concepts_compiled,
        concept_tables_compiled: templates.concept_tables_compiled,
        compiled: AtomicUsize::new(0),
        compiled_in_full: AtomicUsize::new(0),
        minify,
        tables: Vec::new(),
        unit_aliases: site
            .unit_aliases
            .alias
            .iter()
            .flat_map(|a| a.aliases.iter().map(move |x| (x.clone(), a.name.clone())))
            .collect(),
        agency_keys: analysis
            .agencies
            .iter()
            .map(|a| (a.name.clone(), a.key.as_str()))
            .collect(),
        theme_names: site
            .themes
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect(),
        plan_index: site
            .plans
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.as_str(), i))
            .collect(),
    };
    BuildError::unless_stopped(stop)?;
    // Only the selected plans' pages use their tables. Rendered on all cores (at a million
    // measures 50,000 tables took 0.7 s on one), each plan's in order; the error reported is
    // the first plan's, as one after another.
    let render_tables = || -> Vec<Result<Vec<_>, BuildError>> {
        site.plans
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                p.indicators
                    .iter()
                    .filter(|_| selection.of_plan(i))
                    .map(|t| {
                        #[derive(serde::Serialize)]
                        struct Partial<'a> {
                            table: pages::indicators::TableView<'a>,
                        }
                        let table = table_view(t, p);
                        let html = renderer
                            .render_template("partials/indicator_table.html", &Partial { table })?;
                        Ok((t.id.clone(), html))
                    })
                    .collect::<Result<Vec<_>, BuildError>>()
            })
            .collect()
    };
    let tables = on_render_threads(render_tables);
    renderer.tables = tables.into_iter().collect::<Result<_, _>>()?;

    let jobs = jobs::jobs(site, analysis, selection);

    // A live count on a terminal: rendering is the longest phase of a large build.
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("  render: {pos}/{len} pages {wide_bar}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    // The first job, in job order, that failed for real. The error reported is the first in
    // job order, so a later job cannot change it and is not rendered: a template that fails on
    // every page fails at once, not after rendering the whole site.
    let failed = AtomicUsize::new(usize::MAX);
    let render_one = |i: usize, job: &Job| -> Result<String, BuildError> {
        BuildError::unless_stopped(stop)?;
        let (path, template, context) = renderer.page(job);
        let key = sink
            .is_keyed()
            .then(|| page_key(templates.key, minify, template, &context));
        sink.put_made(path.clone(), key, |html| {
            renderer.render_page(template, context, html)
        })
        .inspect_err(|e| {
            if !matches!(e, BuildError::Superseded) {
                failed.fetch_min(i, Ordering::Relaxed);
            }
        })?;
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        Ok(path)
    };
    // `None`: not rendered, as a job before it failed.
    let render_all = || -> Vec<Result<Option<String>, BuildError>> {
        // Small pieces: a piece runs on one thread, and pages differ in cost (a theme page
        // holds a hundred measures). rayon's own split made about four pieces, and one thread
        // rendered the last of them alone (2 s of 15 s at 100,000 measures).
        jobs.par_iter()
            .enumerate()
            .with_max_len(RENDER_PIECE)
            .map(|(i, job)| {
                if i > failed.load(Ordering::Relaxed) {
                    return Ok(None);
                }
                render_one(i, job).map(Some)
            })
            .collect()
    };
    let results = on_render_threads(render_all);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // Every page before the first failure is tried (pages fail fast once stopped), so that the
    // error reported is the first in job order, and a real one before a stop.
    let mut paths = Vec::with_capacity(results.len());
    let mut error: Option<BuildError> = None;
    for result in results {
        match result {
            Ok(Some(path)) => paths.push(path),
            Ok(None) => {}
            Err(e) => {
                error = Some(match error.take() {
                    Some(first) => first.before(e),
                    None => e,
                })
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(Rendered {
            paths,
            compiled: renderer.compiled.into_inner(),
            compiled_in_full: renderer.compiled_in_full.into_inner(),
        }),
    }
}

/// At most this many pages in one piece of the parallel render.
const RENDER_PIECE: usize = 4;

/// Runs `work` on the threads pages render on, started once; if they cannot be started, on
/// rayon's global pool, with the smaller default stacks.
fn on_render_threads<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(crate::render::minify::RENDER_STACK)
            .thread_name(|i| format!("render-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// A plan with at most this many chapters and sections lists them all on every page.
const TOC_FULL: usize = 100;

/// How many chapters, and sections of the current chapter, a long plan's table of contents
/// shows on either side of the current one.
const TOC_WINDOW: usize = 10;

/// The indices within [`TOC_WINDOW`] of `here` among `len`.
fn window(len: usize, here: usize) -> std::ops::Range<usize> {
    here.saturating_sub(TOC_WINDOW)..(here + TOC_WINDOW + 1).min(len)
}

/// How many pages a theme's pager names on either side of the current page.
const PAGER_WINDOW: usize = 3;

/// The page numbers a pager shows on page `n` of `pages`: the first, the last, and those
/// within [`PAGER_WINDOW`] of `n`; `None` marks a gap. All pages while they are few.
fn pager_numbers(n: usize, pages: usize) -> Vec<Option<usize>> {
    let mut shown = Vec::new();
    for k in 1..=pages {
        if k == 1 || k == pages || k.abs_diff(n) <= PAGER_WINDOW {
            shown.push(Some(k));
        } else if shown.last().is_some_and(Option::is_some) {
            shown.push(None);
        }
    }
    shown
}

/// `../../` for a page at `a/b/`; empty for the home page.
fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

impl<'a> Renderer<'a> {
    fn render_template(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, BuildError> {
        let error = |source| BuildError::Template {
            name: name.to_string(),
            source,
        };
        let ctx = tera::Context::from_serialize(context).map_err(error)?;
        self.tera.render(name, &ctx).map_err(error)
    }

    /// A page's output path, template and context.
    fn page(&self, job: &Job) -> (String, &'static str, Context<'a>) {
        let (url, template, mut context) = match *job {
            Job::Home => (String::new(), "index.html", self.home()),
            Job::PlansIndex => (PLANS_URL.into(), "plans.html", self.plans_index()),
            Job::ConceptsIndex => (CONCEPTS_URL.into(), "concepts.html", self.concepts_index()),
            Job::MappingsIndex => (MAPPINGS_URL.into(), "mappings.html", self.mappings_index()),
            Job::Plan(p) => {
                let url = self.site.plans[p].url.clone();
                let page = self.plan_page(p, self.common(root_for(&url), url));
                let path = output_path(page.common.url.clone());
                return (path, "plan.html", Context::Plan(Box::new(page)));
            }
            Job::Chapter(p, c) => return self.division(self.division_page(p, c, None)),
            Job::Section(p, c, s) => return self.division(self.division_page(p, c, Some(s))),
            Job::Themes => ("themes/".into(), "themes.html", self.themes_page()),
            Job::Theme(t, n) => {
                let url = theme_page_url(&self.site.themes[t].slug, n);
                let page = self.theme_page(t, n, self.common(root_for(&url), url));
                let path = output_path(page.common.url.clone());
                return (path, "theme.html", Context::Theme(Box::new(page)));
            }
            Job::Indicators => (
                "indicators/".into(),
                "indicators.html",
                self.indicators_page(),
            ),
            Job::Page(i) => {
                let page = &self.site.pages[i];
                (page.url.clone(), "page.html", self.standalone_page(i))
            }
            Job::Agencies => ("units/".into(), "units.html", self.agencies_page()),
            Job::Search => (
                "search/".into(),
                "search.html",
                titled("搜索", Some("search/")),
            ),
            Job::Agency(k) => {
                let url = crate::model::urls::unit_url(&self.analysis.agencies[k].key);
                let page = self.agency_page(k, self.common(root_for(&url), url));
                let path = output_path(page.common.url.clone());
                return (path, "unit.html", Context::Unit(Box::new(page)));
            }
            Job::Concept(c) => {
                let url = crate::model::urls::concept_url(&self.site.concepts[c].slug);
                let page = self.concept_page(c, self.common(root_for(&url), url));
                let path = output_path(page.common.url.clone());
                return (path, "concept.html", Context::Concept(Box::new(page)));
            }
            Job::Mapping(k) => (
                mapping_url(self.site, &self.analysis.mappings[k]),
                "mapping.html",
                self.mapping_page(k),
            ),
            Job::Alignments => (
                crate::model::urls::ALIGNMENTS_URL.into(),
                "alignments.html",
                self.alignments_page(),
            ),
            Job::Alignment(k) => (
                self.alignment_page_url(k),
                "alignment.html",
                self.alignment_page(k),
            ),
            Job::NotFound => ("404.html".into(), "404.html", titled("页面未找到", None)),
        };
        let root = if matches!(job, Job::NotFound) {
            // The 404 page is served at any depth: its links must not be relative.
            self.site.config.base_path()
        } else {
            root_for(&url)
        };
        let path = output_path(url.clone());
        if let (Value::Object(map), Ok(Value::Object(common))) =
            (&mut context, serde_json::to_value(self.common(root, url)))
        {
            map.extend(common);
        }
        (path, template, Context::Json(context))
    }

    /// A chapter's or section's page, as [`page`](Self::page) gives it.
    fn division(&self, page: DivisionPage<'a>) -> (String, &'static str, Context<'a>) {
        let path = output_path(page.common.url.clone());
        (path, "division.html", Context::Division(Box::new(page)))
    }

    /// Writes the page into `html` (empty), minified unless the build says not to.
    fn render_page(
        &self,
        template: &str,
        context: Context,
        html: &mut Vec<u8>,
    ) -> Result<(), BuildError> {
        let error = |source| BuildError::Template {
            name: template.to_string(),
            source,
        };
        // A page written by Rust code (`compiled/`): minified as it is written, or in full and
        // then minified as Tera's pages are where that is not done (`compiled/compact/`).
        let compiled = |html: &mut Vec<u8>,
                        full: &dyn Fn(&mut Vec<u8>),
                        compact: &dyn Fn(&mut Vec<u8>) -> bool| {
            self.compiled.fetch_add(1, Ordering::Relaxed);
            if self.minify {
                if compact(html) {
                    return Ok(());
                }
                self.compiled_in_full.fetch_add(1, Ordering::Relaxed);
                html.clear();
            }
            full(html);
            if self.minify {
                minify_in_place(html);
            }
            Ok(())
        };
        let ctx = match context {
            Context::Division(page) if self.divisions_compiled => {
                return compiled(html, &|html| compiled::division(&page, html), &|html| {
                    compiled::division_compact(&page, html)
                });
            }
            Context::Division(page) => tera::Context::from_serialize(&*page),
            // The indicator tables need `partials/concept_table.html` as bundled too.
            Context::Theme(page)
                if self.themes_compiled
                    && (page.indicators.is_empty() || self.concept_tables_compiled) =>
            {
                return compiled(html, &|html| compiled::theme(&page, html), &|html| {
                    compiled::theme_compact(&page, html)
                });
            }
            Context::Theme(page) => tera::Context::from_serialize(&*page),
            Context::Unit(page) if self.units_compiled => {
                return compiled(html, &|html| compiled::unit(&page, html), &|html| {
                    compiled::unit_compact(&page, html)
                });
            }
            Context::Unit(page) => tera::Context::from_serialize(&*page),
            Context::Plan(page) if self.plans_compiled => {
                return compiled(html, &|html| compiled::plan(&page, html), &|html| {
                    compiled::plan_compact(&page, html)
                });
            }
            Context::Plan(page) => tera::Context::from_serialize(&*page),
            Context::Concept(page) if self.concepts_compiled => {
                return compiled(html, &|html| compiled::concept(&page, html), &|html| {
                    compiled::concept_compact(&page, html)
                });
            }
            Context::Concept(page) => tera::Context::from_serialize(&*page),
            Context::Json(value) => tera::Context::from_value(value),
        }
        .map_err(error)?;
        // Into bytes directly: `render` would check the whole page is UTF-8 to make a String,
        // which the minifier turns back into bytes (templates and values are strings, so the
        // output is UTF-8 anyway).
        self.tera
            .render_to(template, &ctx, &mut *html)
            .map_err(error)?;
        if self.minify {
            minify_in_place(html);
        }
        Ok(())
    }
}

/// A page's context: the typed view of a chapter's or section's page, of a theme's page or of a
/// responsible unit's page, or a JSON tree.
enum Context<'a> {
    Division(Box<DivisionPage<'a>>),
    Theme(Box<ThemePage<'a>>),
    Unit(Box<UnitPage<'a>>),
    Plan(Box<PlanPage<'a>>),
    Concept(Box<ConceptPage<'a>>),
    Json(Value),
}

impl serde::Serialize for Context<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Context::Division(page) => page.serialize(serializer),
            Context::Theme(page) => page.serialize(serializer),
            Context::Unit(page) => page.serialize(serializer),
            Context::Plan(page) => page.serialize(serializer),
            Context::Concept(page) => page.serialize(serializer),
            Context::Json(value) => value.serialize(serializer),
        }
    }
}

/// A page that has only its title (the search page, whose results the browser makes, and the
/// 404 page), with a crumb to `url` where it has one.
fn titled(title: &'static str, url: Option<&'static str>) -> Value {
    #[derive(serde::Serialize)]
    struct Titled {
        title: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        crumbs: Vec<views::Crumb>,
    }
    let crumbs = url
        .map(|url| views::Crumb {
            title: title.into(),
            url: url.into(),
        })
        .into_iter()
        .collect();
    views::value(Titled { title, crumbs })
}

/// The file a page at `url` is written to.
fn output_path(url: String) -> String {
    if url.ends_with(".html") {
        url
    } else {
        format!("{url}index.html")
    }
}

/// A value drawn on a concept chart: its label, amount in the concept's unit, and as shown.
type DrawnValue = (String, f64, String);

/// The first `max` characters of `text`, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    // Cut first: a newline is one character, as the space that replaces it. Written in one
    // String: each listed measure of a theme or unit page has one.
    let cut = crate::util::text::char_boundary(text, max);
    let head = &text[..cut.unwrap_or(text.len())];
    let mut out = String::with_capacity(head.len() + "…".len());
    for (i, line) in head.split('\n').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line);
    }
    if cut.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(root_for(""), "");
        assert_eq!(root_for("themes/"), "../");
        assert_eq!(root_for("plans/a/b/c/"), "../../../../");
    }

    #[test]
    fn pagers_and_windows() {
        let all: Vec<Option<usize>> = (1..=9).map(Some).collect();
        assert_eq!(pager_numbers(5, 9), all);
        assert_eq!(
            pager_numbers(1, 100),
            [Some(1), Some(2), Some(3), Some(4), None, Some(100)]
        );
        assert_eq!(
            pager_numbers(50, 100),
            [
                Some(1),
                None,
                Some(47),
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                Some(53),
                None,
                Some(100)
            ]
        );
        assert_eq!(window(5, 2), 0..5);
        assert_eq!(window(3000, 1500), 1490..1511);
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt("一二三\n四", 10), "一二三 四");
        assert_eq!(excerpt("一二三四", 2), "一二…");
        assert_eq!(excerpt("一\n\n二\n", 10), "一  二 ");
        assert_eq!(excerpt("一\n二", 2), "一 …");
        assert_eq!(excerpt("", 2), "");
    }
}
