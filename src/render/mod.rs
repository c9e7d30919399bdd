//! Rendering the model into HTML pages with the theme's Tera templates.
//!
//! The renderer reads the model and the analysis; it never reads content files. Each page is an
//! independent job, so pages render in parallel; the job list is built in a fixed order, so the
//! output does not depend on scheduling.
//!
//! Layer 6: may use `analyse` and every layer below; not `search`, `open_data` or `feeds`. Only
//! this component reads `themes/`. Besides this file: [`charts`] (SVG bar charts) and
//! [`minify`](mod@minify) (the HTML minifier and its depth guard).

pub mod charts;
pub mod minify;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde_json::{json, Value};
use tera::Tera;
use walkdir::WalkDir;

use self::minify::minify;
use crate::analyse::Analysis;
use crate::diagnostics::BuildError;
use crate::markdown::links::LinkIndex;
use crate::markdown::{self, HtmlContext};
use crate::model::{
    Division, Indicator, IndicatorTable, Markdown, Measure, Observation, Plan, Site,
};
use crate::output::Sink;

/// Up to this many plans are named in every page's navigation; more get one link to the list.
const NAV_PLANS: usize = 8;

/// The theme's templates, with a key of their sources (a page's output depends on them).
pub struct Templates {
    pub tera: Tera,
    pub key: u64,
}

/// Loads every template of the theme at `theme_dir` (its `templates/` folder).
pub fn load_templates(theme_dir: &Path) -> Result<Templates, BuildError> {
    let dir = theme_dir.join("templates");
    if !dir.is_dir() {
        return Err(BuildError::Other(format!(
            "the theme has no templates folder {}; run `planatlas init` for a site with the default theme",
            dir.display()
        )));
    }
    let mut templates = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::Other(format!("cannot read the theme: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .map_err(|e| BuildError::Other(e.to_string()))?
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| BuildError::Other(format!("cannot read template {name}: {e}")))?;
        templates.push((name, text));
    }
    let mut hasher = key_hasher();
    templates.hash(&mut hasher);
    let key = hasher.finish();
    let mut tera = Tera::default();
    // Tera's get_env would let a theme print any environment variable (a CI secret) into
    // every page; a theme gets its values from site.toml instead.
    tera.register_function(
        "get_env",
        |_: &HashMap<String, Value>| -> tera::Result<Value> {
            Err(tera::Error::msg(
                "get_env is not available: themes cannot read environment variables; put the value in content/site.toml",
            ))
        },
    );
    tera.add_raw_templates(templates)
        .map_err(|e| BuildError::Other(format!("template error: {}", error_chain(&e))))?;
    Ok(Templates { tera, key })
}

#[allow(deprecated)]
fn key_hasher() -> std::hash::SipHasher {
    std::hash::SipHasher::new()
}

/// Feeds serialized JSON into a hasher without building the string.
struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key of everything a page is made from: the templates, the minify setting, the template
/// and the page's whole context (which holds every value the template can read).
fn page_key(templates: u64, minify: bool, template: &str, context: &Value) -> u64 {
    let mut hasher = key_hasher();
    (templates, minify, template).hash(&mut hasher);
    // Serializing a Value to a writer cannot fail.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), context);
    hasher.finish()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// One page to render.
enum Job {
    Home,
    Plan(usize),
    Chapter(usize, usize),
    Section(usize, usize, usize),
    Themes,
    /// A theme's page `n` (from 1).
    Theme(usize, usize),
    Indicators,
    Mapping(usize),
    Concept(usize),
    Agencies,
    Search,
    Agency(usize),
    Page(usize),
    NotFound,
}

/// Everything rendering needs, shared by all jobs.
struct Renderer<'a> {
    site: &'a Site,
    analysis: &'a Analysis,
    links: &'a LinkIndex,
    tera: &'a Tera,
    minify: bool,
    /// Each plan's indicator tables as (table id, HTML).
    tables: Vec<Vec<(String, String)>>,
    theme_names: HashMap<&'a str, &'a str>,
    /// Canonical name of every alias of a responsible unit, and each canonical name's page key.
    unit_aliases: HashMap<String, String>,
    agency_keys: HashMap<String, String>,
    plan_index: HashMap<&'a str, usize>,
}

/// Renders every HTML page of the site into `sink`; returns the pages' paths in job order.
/// With a keyed sink, each page carries the key of its context, so that an incremental rebuild
/// renders only the pages whose inputs changed.
pub fn render_pages(
    site: &Site,
    analysis: &Analysis,
    links: &LinkIndex,
    templates: &Templates,
    minify: bool,
    sink: &Sink,
    progress: bool,
) -> Result<Vec<String>, BuildError> {
    let mut renderer = Renderer {
        site,
        analysis,
        links,
        tera: &templates.tera,
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
            .map(|a| (a.name.clone(), a.key.clone()))
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
    renderer.tables = site
        .plans
        .iter()
        .map(|p| {
            p.indicators
                .iter()
                .map(|t| {
                    let html = renderer.render_template(
                        "partials/indicator_table.html",
                        &json!({ "table": table_view(t) }),
                    )?;
                    Ok((t.id.clone(), html))
                })
                .collect::<Result<Vec<_>, BuildError>>()
        })
        .collect::<Result<_, _>>()?;

    let mut jobs = vec![
        Job::Home,
        Job::Themes,
        Job::Indicators,
        Job::Search,
        Job::NotFound,
    ];
    for (p, plan) in site.plans.iter().enumerate() {
        jobs.push(Job::Plan(p));
        for (c, chapter) in plan.chapters.iter().enumerate() {
            jobs.push(Job::Chapter(p, c));
            jobs.extend((0..chapter.sections.len()).map(|s| Job::Section(p, c, s)));
        }
    }
    for (t, theme) in site.themes.iter().enumerate() {
        let count = analysis.by_theme.get(&theme.slug).map_or(0, Vec::len);
        let pages = count.div_ceil(site.config.theme_page_size).max(1);
        jobs.extend((1..=pages).map(|n| Job::Theme(t, n)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..analysis.mappings.len()).map(Job::Mapping));
    jobs.extend((0..site.concepts.len()).map(Job::Concept));
    jobs.push(Job::Agencies);
    jobs.extend((0..analysis.agencies.len()).map(Job::Agency));

    // A live count on a terminal: rendering is the longest phase of a large build.
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("  render: {pos}/{len} pages {wide_bar}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let render_all = || {
        jobs.par_iter()
            .map(|job| {
                let (path, template, context) = renderer.page(job);
                let key = sink
                    .is_keyed()
                    .then(|| page_key(templates.key, minify, template, &context));
                sink.put_made(path.clone(), key, || {
                    renderer.render_page(template, context)
                })?;
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                Ok(path)
            })
            .collect()
    };
    let paths = match render_pool() {
        Some(pool) => pool.install(render_all),
        None => render_all(),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    paths
}

/// The threads pages render on; `None` if they cannot be started (then pages render on
/// rayon's global pool, with the smaller default stacks).
fn render_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(crate::render::minify::RENDER_STACK)
            .thread_name(|i| format!("render-{i}"))
            .build()
            .ok()
    })
    .as_ref()
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

/// Where page `n` of a theme's list lives: `themes/<slug>/`, then `themes/<slug>/page/<n>/`.
fn theme_page_url(slug: &str, n: usize) -> String {
    if n <= 1 {
        format!("themes/{slug}/")
    } else {
        format!("themes/{slug}/page/{n}/")
    }
}

/// `../../` for a page at `a/b/`; empty for the home page.
fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

impl Renderer<'_> {
    fn render_template(&self, name: &str, context: &Value) -> Result<String, BuildError> {
        let ctx = tera::Context::from_value(context.clone())
            .map_err(|e| BuildError::Other(format!("template context: {e}")))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| BuildError::Other(format!("rendering {name}: {}", error_chain(&e))))
    }

    /// A page's output path, template and context.
    fn page(&self, job: &Job) -> (String, &'static str, Value) {
        let (url, template, mut context) = match *job {
            Job::Home => (String::new(), "index.html", self.home()),
            Job::Plan(p) => {
                let plan = &self.site.plans[p];
                (plan.url.clone(), "plan.html", self.plan_page(p))
            }
            Job::Chapter(p, c) => {
                let d = &self.site.plans[p].chapters[c].division;
                (
                    d.url.clone(),
                    "division.html",
                    self.division_page(p, c, None),
                )
            }
            Job::Section(p, c, s) => {
                let d = &self.site.plans[p].chapters[c].sections[s].division;
                (
                    d.url.clone(),
                    "division.html",
                    self.division_page(p, c, Some(s)),
                )
            }
            Job::Themes => ("themes/".into(), "themes.html", self.themes_page()),
            Job::Theme(t, n) => (
                theme_page_url(&self.site.themes[t].slug, n),
                "theme.html",
                self.theme_page(t, n),
            ),
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
                json!({ "title": "搜索", "crumbs": [{ "title": "搜索", "url": "search/" }] }),
            ),
            Job::Agency(k) => (
                format!("units/{}/", self.analysis.agencies[k].key),
                "unit.html",
                self.agency_page(k),
            ),
            Job::Concept(c) => (
                format!("concepts/{}/", self.site.concepts[c].slug),
                "concept.html",
                self.concept_page(c),
            ),
            Job::Mapping(k) => (
                mapping_url(self.site, &self.analysis.mappings[k]),
                "mapping.html",
                self.mapping_page(k),
            ),
            Job::NotFound => (
                "404.html".into(),
                "404.html",
                json!({ "title": "页面未找到" }),
            ),
        };
        let root = if matches!(job, Job::NotFound) {
            // The 404 page is served at any depth: its links must not be relative.
            self.site.config.base_path()
        } else {
            root_for(&url)
        };
        if let Value::Object(map) = &mut context {
            map.insert("root".into(), json!(root));
            map.insert("url".into(), json!(url));
            map.insert(
                "permalink".into(),
                json!(format!("{}{}", self.site.config.base_url, url)),
            );
            map.insert("site".into(), self.site_view());
        }
        let path = if url.ends_with(".html") {
            url
        } else {
            format!("{url}index.html")
        };
        (path, template, context)
    }

    fn render_page(&self, template: &str, context: Value) -> Result<Vec<u8>, BuildError> {
        let ctx = tera::Context::from_value(context)
            .map_err(|e| BuildError::Other(format!("template context: {e}")))?;
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| BuildError::Other(format!("rendering {template}: {}", error_chain(&e))))?;
        Ok(if self.minify {
            minify(html.into_bytes())
        } else {
            html.into_bytes()
        })
    }

    fn site_view(&self) -> Value {
        let c = &self.site.config;
        json!({
            "title": c.title,
            "description": c.description,
            "language": c.language,
            "base_url": c.base_url,
            // Every page's navigation names the plans only while they are few; a library of
            // hundreds would make every page grow with it.
            "plans": if self.site.plans.len() <= NAV_PLANS {
                self.site.plans.iter().map(|p| json!({
                    "short_title": p.meta.short_title, "title": p.meta.title, "url": p.url,
                })).collect::<Vec<_>>()
            } else {
                Vec::new()
            },
            "pages": self.site.pages.iter().map(|p| json!({ "title": p.title, "url": p.url })).collect::<Vec<_>>(),
        })
    }

    fn html(&self, md: &Markdown, root: &str, plan: Option<usize>) -> String {
        let resolve = |path: &str, anchor: Option<&str>| self.links.resolve(path, anchor).ok();
        let ctx = HtmlContext {
            root,
            resolve: &resolve,
            indicators: plan.map_or(&[], |p| self.tables[p].as_slice()),
        };
        markdown::to_html(&md.source, &ctx)
    }

    fn theme_name(&self, slug: &str) -> String {
        self.theme_names
            .get(slug)
            .copied()
            .unwrap_or(slug)
            .to_string()
    }

    fn measure_view(&self, m: &Measure, root: &str, plan: usize) -> Value {
        json!({
            "id": m.id,
            "heading": m.heading,
            "title": m.title,
            "themes": m.themes.iter().map(|t| json!({ "slug": t, "name": self.theme_name(t) })).collect::<Vec<_>>(),
            "units": self.unit_groups(&m.units),
            "body_html": self.html(&m.body, root, Some(plan)),
            "related": self.related_view(m),
            "implements": self.analysis.by_id.get(&m.id).and_then(|i| self.analysis.implements.get(i)).map(|t| self.measure_link(*t)),
            "implemented_by": self.analysis.by_id.get(&m.id).and_then(|i| self.analysis.implemented_by.get(i)).map(|items| items.iter().map(|i| self.measure_link(*i)).collect::<Vec<_>>()),
        })
    }

    /// A short link to the measure at `index`.
    fn measure_link(&self, index: usize) -> Value {
        let entry = &self.analysis.measures[index];
        let m = self.analysis.measure(self.site, entry);
        json!({
            "id": m.id,
            "title": m.title,
            "heading": if m.heading.is_empty() { m.title.clone() } else { m.heading.clone() },
            "url": entry.url,
            "plan": self.site.plans[entry.plan].meta.short_title,
        })
    }

    /// Every indicator joined to `concept`, plan by plan, with values in the concept's unit.
    fn concept_rows(&self, concept: &crate::model::Concept) -> Vec<Value> {
        let mut rows = Vec::new();
        // Values in the concept's unit, for a shared scale across plans.
        let mut drawn: Vec<(usize, Vec<DrawnValue>)> = Vec::new();
        for plan in &self.site.plans {
            for (_, ind) in plan
                .all_indicators()
                .filter(|(_, i)| i.concept.as_deref() == Some(concept.slug.as_str()))
            {
                let in_unit = |o: &crate::model::Observation| {
                    if o.value.cumulative {
                        return None;
                    }
                    o.value
                        .value
                        .and_then(|v| crate::model::quantity::convert(v, &ind.unit, &concept.unit))
                };
                let growth = match crate::model::quantity::indicator_growth(ind) {
                    Some(crate::model::quantity::Growth::Cagr(g)) => {
                        json!({ "kind": "cagr", "text": format!("{:+.1}%/年", g * 100.0) })
                    }
                    Some(crate::model::quantity::Growth::Points(p)) => {
                        json!({ "kind": "points", "text": format!("{p:+.1}个百分点") })
                    }
                    None => Value::Null,
                };
                let bars: Vec<(String, f64, String)> =
                    [(&ind.baseline, "基期"), (&ind.target, "目标")]
                        .into_iter()
                        .filter_map(|(o, label)| {
                            in_unit(o).map(|v| (year_label(o, label), v, format_amount(v)))
                        })
                        .collect();
                drawn.push((rows.len(), bars));
                rows.push(json!({
                    "plan": { "short_title": plan.meta.short_title, "url": plan.url },
                    "id": ind.id,
                    "name": ind.name,
                    "unit": ind.unit,
                    "url": format!("{}#{}", plan.url, ind.id),
                    "baseline": observation_view(&ind.baseline),
                    "target": observation_view(&ind.target),
                    "baseline_in_unit": in_unit(&ind.baseline).map(format_amount),
                    "target_in_unit": in_unit(&ind.target).map(format_amount),
                    "growth": growth,
                }));
            }
        }
        let max = drawn
            .iter()
            .flat_map(|(_, bars)| bars.iter().map(|b| b.1))
            .fold(0.0_f64, f64::max);
        for (row, bars) in drawn {
            let plan = rows[row]["plan"]["short_title"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let alt = format!(
                "{plan}：{}",
                bars.iter()
                    .map(|(label, _, shown)| format!("{label} {shown}{}", concept.unit))
                    .collect::<Vec<_>>()
                    .join("，")
            );
            let chart_bars: Vec<crate::render::charts::Bar<'_>> = bars
                .iter()
                .map(|(label, v, shown)| crate::render::charts::Bar {
                    label: label.clone(),
                    value: *v,
                    raw: shown,
                })
                .collect();
            rows[row]["chart"] = json!(crate::render::charts::bars(&chart_bars, max, 200.0, &alt));
        }
        rows
    }

    /// Responsible units grouped by side, in the order given (`重庆：A、B；四川：C`), each linked
    /// to its unit page.
    fn unit_groups(&self, units: &[crate::model::ResponsibleUnit]) -> Vec<Value> {
        units
            .chunk_by(|a, b| a.side == b.side)
            .map(|run| {
                let names: Vec<Value> = run
                    .iter()
                    .map(|u| {
                        let canonical = crate::analyse::responsible_units::canonical(
                            &u.name,
                            u.side.as_deref(),
                            &self.unit_aliases,
                        );
                        json!({ "name": u.name, "key": self.agency_keys.get(&canonical) })
                    })
                    .collect();
                json!({ "side": run[0].side, "names": names })
            })
            .collect()
    }

    fn agencies_page(&self) -> Value {
        let mut sides: Vec<(Option<String>, Vec<Value>)> = Vec::new();
        for a in &self.analysis.agencies {
            let view = json!({ "name": a.name, "key": a.key, "count": a.measures.len() });
            match sides.last_mut() {
                Some((side, list)) if *side == a.side => list.push(view),
                _ => sides.push((a.side.clone(), vec![view])),
            }
        }
        json!({
            "title": "责任单位",
            "sides": sides.into_iter().map(|(side, units)| json!({ "side": side, "units": units })).collect::<Vec<_>>(),
            "crumbs": [{ "title": "责任单位", "url": "units/" }],
        })
    }

    fn agency_page(&self, k: usize) -> Value {
        let a = &self.analysis.agencies[k];
        let measures: Vec<Value> = a
            .measures
            .iter()
            .map(|i| {
                let mut link = self.measure_link(*i);
                link["excerpt"] = json!(excerpt(
                    &self
                        .analysis
                        .measure(self.site, &self.analysis.measures[*i])
                        .text,
                    100
                ));
                link
            })
            .collect();
        let other_names: Vec<&String> = a.names.iter().filter(|n| **n != a.name).collect();
        json!({
            "title": a.name,
            "unit": { "name": a.name, "side": a.side, "other_names": other_names },
            "measures": measures,
            "crumbs": [{ "title": "责任单位", "url": "units/" }, { "title": a.name, "url": format!("units/{}/", a.key) }],
        })
    }

    fn concept_page(&self, c: usize) -> Value {
        let concept = &self.site.concepts[c];
        json!({
            "title": concept.name,
            "concept": concept,
            "themes": concept.themes.iter().map(|t| json!({ "slug": t, "name": self.theme_name(t) })).collect::<Vec<_>>(),
            "rows": self.concept_rows(concept),
            "crumbs": [{ "title": "规划指标", "url": "indicators/" }, { "title": concept.name, "url": format!("concepts/{}/", concept.slug) }],
        })
    }

    fn mapping_page(&self, k: usize) -> Value {
        let mapping = &self.analysis.mappings[k];
        let implementing = &self.site.plans[mapping.implementing];
        let implemented = &self.site.plans[mapping.implemented];
        let rows: Vec<Value> = mapping
            .tasks
            .iter()
            .map(|t| {
                let items: Vec<Value> = mapping
                    .task_items
                    .get(t)
                    .map(|items| {
                        items
                            .iter()
                            .map(|i| {
                                let mut link = self.measure_link(*i);
                                let basis = mapping.item_task.get(i).map(|(_, b)| *b);
                                link["basis"] = json!(match basis {
                                    Some(crate::analyse::mapping::Basis::Override) => "编辑指定",
                                    _ => "标题对应",
                                });
                                link
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let entry = &self.analysis.measures[*t];
                let chapter = &implemented.chapters[entry.chapter];
                let location = match entry.section {
                    Some(s) => chapter.sections[s].division.full_title(),
                    None => chapter.division.full_title(),
                };
                json!({ "task": self.measure_link(*t), "location": location, "items": items })
            })
            .collect();
        let unmatched: Vec<Value> = (0..self.analysis.measures.len())
            .filter(|i| {
                self.analysis.measures[*i].plan == mapping.implementing
                    && !mapping.item_task.contains_key(i)
            })
            .map(|i| self.measure_link(i))
            .collect();
        let title = format!("{}落实对照", implementing.meta.short_title);
        json!({
            "title": title,
            "implementing": { "title": implementing.meta.title, "short_title": implementing.meta.short_title, "url": implementing.url },
            "implemented": { "title": implemented.meta.title, "short_title": implemented.meta.short_title, "url": implemented.url },
            "rows": rows,
            "tasks_without_items": rows.iter().filter(|r| r["items"].as_array().is_some_and(|a| a.is_empty())).count(),
            "unmatched": unmatched,
            "crumbs": [{ "title": implementing.meta.short_title, "url": implementing.url }, { "title": title, "url": mapping_url(self.site, mapping) }],
        })
    }

    /// The related measures of `m`, as shown under it.
    fn related_view(&self, m: &Measure) -> Vec<Value> {
        let Some(i) = self.analysis.by_id.get(&m.id) else {
            return Vec::new();
        };
        self.analysis.related[*i]
            .iter()
            .map(|r| {
                let entry = &self.analysis.measures[r.index];
                let other = self.analysis.measure(self.site, entry);
                json!({
                    "id": r.id,
                    "title": other.title,
                    "url": entry.url,
                    "plan": self.site.plans[entry.plan].meta.short_title,
                    "reason": r.reason,
                    "score": r.score,
                })
            })
            .collect()
    }

    fn home(&self) -> Value {
        let plans: Vec<Value> = (0..self.site.plans.len())
            .map(|p| self.plan_summary(p))
            .collect();
        json!({
            "title": self.site.config.title,
            "plans": plans,
            "themes": self.theme_summaries(),
            "measure_count": self.analysis.measures.len(),
        })
    }

    fn plan_summary(&self, p: usize) -> Value {
        let plan = &self.site.plans[p];
        let mut view = plan_basics(plan);
        view["meta"] = json!(meta_rows(plan, self));
        view["chapters"] = json!(plan.chapters.len());
        view["measures"] = json!(plan.measures().count());
        view["indicators"] = json!(plan.all_indicators().count());
        view
    }

    fn theme_summaries(&self) -> Vec<Value> {
        self.site
            .themes
            .iter()
            .map(|t| {
                json!({
                    "slug": t.slug,
                    "name": t.name,
                    "definition": t.definition,
                    "count": self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
                })
            })
            .collect()
    }

    /// A plan's table of contents. On the plan's cover (`here` is `None`), and on every page of
    /// a plan with at most [`TOC_FULL`] chapters and sections, it lists them all. Otherwise a
    /// page lists the chapters and the sections of its own chapter within [`TOC_WINDOW`] of
    /// its own, with a gap entry linking to the complete list (the cover for chapters, the
    /// chapter page for sections), so that no page grows with the size of the plan.
    fn toc(&self, plan: &Plan, here: Option<(usize, Option<usize>)>) -> Vec<Value> {
        let section = |s: &crate::model::Section| {
            json!({
                "title": s.division.full_title(),
                "url": s.division.url,
                "measures": s.division.measures.len(),
            })
        };
        let entries: usize = plan.chapters.iter().map(|c| 1 + c.sections.len()).sum();
        let Some((here_c, here_s)) = here.filter(|_| entries > TOC_FULL) else {
            return plan
                .chapters
                .iter()
                .map(|c| {
                    json!({
                        "title": c.division.full_title(),
                        "url": c.division.url,
                        "measures": c.division.measures.len(),
                        "sections": c.sections.iter().map(section).collect::<Vec<_>>(),
                    })
                })
                .collect();
        };
        let gap = |title: String, url: &str| json!({ "gap": true, "title": title, "url": url });
        let chapters = window(plan.chapters.len(), here_c);
        let mut toc = Vec::new();
        if chapters.start > 0 {
            toc.push(gap(format!("… 全部 {} 章", plan.chapters.len()), &plan.url));
        }
        for c in chapters.clone() {
            let chapter = &plan.chapters[c];
            let mut sections = Vec::new();
            if c == here_c {
                let shown = window(chapter.sections.len(), here_s.unwrap_or(0));
                let all = || {
                    gap(
                        format!("… 本章共 {} 节", chapter.sections.len()),
                        &chapter.division.url,
                    )
                };
                if shown.start > 0 {
                    sections.push(all());
                }
                sections.extend(chapter.sections[shown.clone()].iter().map(section));
                if shown.end < chapter.sections.len() {
                    sections.push(all());
                }
            }
            toc.push(json!({
                "title": chapter.division.full_title(),
                "url": chapter.division.url,
                "measures": chapter.division.measures.len(),
                "sections": sections,
            }));
        }
        if chapters.end < plan.chapters.len() {
            toc.push(gap(format!("… 全部 {} 章", plan.chapters.len()), &plan.url));
        }
        toc
    }

    /// A plan as its pages show it, with the table of contents as seen from `here`.
    fn plan_view_at(&self, p: usize, here: Option<(usize, Option<usize>)>) -> Value {
        let plan = &self.site.plans[p];
        let mut view = plan_basics(plan);
        view["toc"] = json!(self.toc(plan, here));
        view
    }

    fn plan_view(&self, p: usize) -> Value {
        self.plan_view_at(p, None)
    }

    fn plan_page(&self, p: usize) -> Value {
        let plan = &self.site.plans[p];
        let root = root_for(&plan.url);
        let mut themes: Vec<(usize, &str)> = self
            .site
            .themes
            .iter()
            .map(|t| (self.analysis.theme_count(&t.slug, p), t.slug.as_str()))
            .filter(|(n, _)| *n > 0)
            .collect();
        themes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let first_page = plan
            .chapters
            .first()
            .map(|c| json!({ "title": c.division.full_title(), "url": c.division.url }));
        json!({
            "title": plan.meta.title,
            "plan": self.plan_view(p),
            "meta": meta_rows(plan, self),
            "preamble_html": self.html(&plan.preamble, &root, Some(p)),
            "indicator_tables": self.tables[p].iter().map(|(_, html)| html).collect::<Vec<_>>(),
            "themes": themes.iter().map(|(n, slug)| json!({ "slug": slug, "name": self.theme_name(slug), "count": n })).collect::<Vec<_>>(),
            "measure_count": plan.measures().count(),
            "next": first_page,
            "mappings": self.analysis.mappings.iter().filter(|m| m.implementing == p || m.implemented == p).map(|m| json!({
                "url": mapping_url(self.site, m),
                "title": format!("{}落实对照", self.site.plans[m.implementing].meta.short_title),
            })).collect::<Vec<_>>(),
            "crumbs": [{ "title": plan.meta.short_title, "url": plan.url }],
        })
    }

    fn division_page(&self, p: usize, c: usize, s: Option<usize>) -> Value {
        let plan = &self.site.plans[p];
        let chapter = &plan.chapters[c];
        let division = match s {
            Some(s) => &chapter.sections[s].division,
            None => &chapter.division,
        };
        let root = root_for(&division.url);
        let link = |d: &Division| json!({ "title": d.full_title(), "url": d.url });
        // Reading order: a chapter, then its sections, then the next chapter.
        let prev = match s {
            Some(0) => link(&chapter.division),
            Some(k) => link(&chapter.sections[k - 1].division),
            None => match c.checked_sub(1).map(|b| &plan.chapters[b]) {
                Some(before) => link(
                    before
                        .sections
                        .last()
                        .map_or(&before.division, |x| &x.division),
                ),
                None => json!({ "title": plan.meta.short_title, "url": plan.url }),
            },
        };
        let next = chapter
            .sections
            .get(s.map_or(0, |k| k + 1))
            .map(|x| link(&x.division))
            .or_else(|| plan.chapters.get(c + 1).map(|x| link(&x.division)));
        let mut crumbs = vec![
            json!({ "title": plan.meta.short_title, "url": plan.url }),
            json!({ "title": chapter.division.full_title(), "url": chapter.division.url }),
        ];
        if s.is_some() {
            crumbs.push(json!({ "title": division.full_title(), "url": division.url }));
        }
        let sections: Vec<Value> = if s.is_none() {
            chapter
                .sections
                .iter()
                .map(|s| json!({ "title": s.division.full_title(), "url": s.division.url, "measures": s.division.measures.len() }))
                .collect()
        } else {
            Vec::new()
        };
        json!({
            "title": division.full_title(),
            "plan": self.plan_view_at(p, Some((c, s))),
            "division": {
                "number": division.number,
                "title": division.title,
                "full_title": division.full_title(),
                "url": division.url,
                "is_chapter": s.is_none(),
            },
            "intro_html": self.html(&division.intro, &root, Some(p)),
            "items": self.division_items(division, &root, p),
            // Measures are the page's second level, or its third under sub-headings.
            "measure_level": if division.interludes.is_empty() { 2 } else { 3 },
            "sections": sections,
            "prev": prev,
            "next": next,
            "crumbs": crumbs,
        })
    }

    /// The measures of a division in order, with the interludes that stand between them.
    fn division_items(&self, division: &Division, root: &str, plan: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut interludes = division.interludes.iter().peekable();
        for (i, m) in division.measures.iter().enumerate() {
            while let Some(interlude) = interludes.next_if(|x| x.before <= i) {
                items.push(
                    json!({ "interlude_html": self.interlude_html(&interlude.body, root, plan) }),
                );
            }
            items.push(json!({ "measure": self.measure_view(m, root, plan) }));
        }
        for interlude in interludes {
            items.push(
                json!({ "interlude_html": self.interlude_html(&interlude.body, root, plan) }),
            );
        }
        items
    }

    /// An interlude's HTML, its level-4 sub-heading shown as the page's second level.
    fn interlude_html(&self, md: &Markdown, root: &str, plan: usize) -> String {
        self.html(md, root, Some(plan))
            .replace("<h4", "<h2")
            .replace("</h4>", "</h2>")
    }

    fn themes_page(&self) -> Value {
        let plan_sizes: Vec<usize> = self
            .site
            .plans
            .iter()
            .map(|p| p.measures().count())
            .collect();
        let matrix: Vec<Value> = self
            .site
            .themes
            .iter()
            .map(|t| {
                // The theme page (of its paginated list) where each plan's measures begin.
                let size = self.site.config.theme_page_size;
                let mut starts: HashMap<usize, String> = HashMap::new();
                for (k, i) in self.analysis.by_theme.get(&t.slug).into_iter().flatten().enumerate() {
                    starts
                        .entry(self.analysis.measures[*i].plan)
                        .or_insert_with(|| theme_page_url(&t.slug, k / size + 1));
                }
                let cells: Vec<Value> = self
                    .site
                    .plans
                    .iter()
                    .enumerate()
                    .map(|(p, plan)| {
                        let count = self.analysis.theme_count(&t.slug, p);
                        let share = if plan_sizes[p] == 0 { 0.0 } else { count as f64 / plan_sizes[p] as f64 };
                        let url = starts.get(&p).map(|u| format!("{u}#plan-{}", plan.slug));
                        json!({ "count": count, "plan": plan.slug, "url": url, "level": density_level(count, share), "percent": (share * 100.0).round() })
                    })
                    .collect();
                json!({
                    "slug": t.slug,
                    "name": t.name,
                    "total": self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
                    "cells": cells,
                })
            })
            .collect();
        json!({
            "title": "政策主题",
            "matrix": matrix,
            "plan_sizes": plan_sizes,
            "themes": self.theme_summaries(),
            "plans": self.site.plans.iter().map(|p| json!({ "short_title": p.meta.short_title, "url": p.url })).collect::<Vec<_>>(),
            "crumbs": [{ "title": "政策主题", "url": "themes/" }],
        })
    }

    /// Page `n` of a theme: its measures grouped by plan, `theme_page_size` at a time; the
    /// first page also carries the theme's counts per plan and its indicators.
    fn theme_page(&self, t: usize, n: usize) -> Value {
        let theme = &self.site.themes[t];
        let size = self.site.config.theme_page_size;
        let all = self
            .analysis
            .by_theme
            .get(&theme.slug)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let pages = all.len().div_ceil(size).max(1);
        let shown = all
            .get((n - 1) * size..(n * size).min(all.len()))
            .unwrap_or(&[]);
        let plan_ref = |p: usize| {
            let plan = &self.site.plans[p];
            json!({ "slug": plan.slug, "short_title": plan.meta.short_title, "title": plan.meta.title, "url": plan.url })
        };
        // Indices are in reading order, so each plan's measures form one run.
        let groups: Vec<Value> = shown
            .chunk_by(|a, b| self.analysis.measures[*a].plan == self.analysis.measures[*b].plan)
            .map(|run| {
                let measures: Vec<Value> = run
                    .iter()
                    .map(|i| {
                        let e = &self.analysis.measures[*i];
                        let m = self.analysis.measure(self.site, e);
                        let other_themes: Vec<Value> = m
                            .themes
                            .iter()
                            .filter(|s| **s != theme.slug)
                            .map(|s| json!({ "slug": s, "name": self.theme_name(s) }))
                            .collect();
                        json!({
                            "id": m.id,
                            "title": m.title,
                            "excerpt": excerpt(&m.text, 120),
                            "url": e.url,
                            "location": self.analysis.location(self.site, e),
                            "themes": other_themes,
                        })
                    })
                    .collect();
                json!({ "plan": plan_ref(self.analysis.measures[run[0]].plan), "measures": measures })
            })
            .collect();
        let first = n == 1;
        let plan_counts: Vec<Value> = if first {
            self.analysis
                .theme_by_plan(&theme.slug)
                .into_iter()
                .map(|(p, run)| json!({ "plan": plan_ref(p), "count": run.len() }))
                .collect()
        } else {
            Vec::new()
        };
        let indicators: Vec<Value> = if first {
            self.site
                .concepts
                .iter()
                .filter(|c| c.themes.contains(&theme.slug))
                .map(|c| json!({ "slug": c.slug, "name": c.name, "unit": c.unit, "rows": self.concept_rows(c) }))
                .collect()
        } else {
            Vec::new()
        };
        let link = |k: usize| json!({ "number": k, "url": theme_page_url(&theme.slug, k) });
        let pagination = (pages > 1).then(|| {
            json!({
                "current": n,
                "total": pages,
                "first": (n - 1) * size + 1,
                "last": (n - 1) * size + shown.len(),
                "prev": (n > 1).then(|| link(n - 1)),
                "next": (n < pages).then(|| link(n + 1)),
                "pages": pager_numbers(n, pages).into_iter().map(|k| match k {
                    Some(k) => link(k),
                    None => json!({ "gap": true }),
                }).collect::<Vec<_>>(),
            })
        });
        let mut crumbs = vec![
            json!({ "title": "政策主题", "url": "themes/" }),
            json!({ "title": theme.name, "url": format!("themes/{}/", theme.slug) }),
        ];
        if !first {
            crumbs.push(
                json!({ "title": format!("第 {n} 页"), "url": theme_page_url(&theme.slug, n) }),
            );
        }
        json!({
            "title": if first { theme.name.clone() } else { format!("{}（第 {n} 页）", theme.name) },
            "theme": theme,
            "indicators": indicators,
            "count": all.len(),
            "plan_counts": plan_counts,
            "groups": groups,
            "pagination": pagination,
            "crumbs": crumbs,
        })
    }

    fn indicators_page(&self) -> Value {
        let tables: Vec<Value> = self
            .site
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.indicators.is_empty())
            .map(|(i, p)| json!({
                "plan": { "short_title": p.meta.short_title, "title": p.meta.title, "url": p.url },
                "html": self.tables[i].iter().map(|(_, html)| html.as_str()).collect::<String>(),
            }))
            .collect();
        let concepts: Vec<Value> = self
            .site
            .concepts
            .iter()
            .map(|c| {
                let plans: Vec<&str> = self
                    .site
                    .plans
                    .iter()
                    .filter(|p| {
                        p.all_indicators()
                            .any(|(_, i)| i.concept.as_deref() == Some(c.slug.as_str()))
                    })
                    .map(|p| p.meta.short_title.as_str())
                    .collect();
                json!({ "slug": c.slug, "name": c.name, "unit": c.unit, "plans": plans })
            })
            .collect();
        json!({
            "title": "规划指标",
            "concepts": concepts,
            "tables": tables,
            "crumbs": [{ "title": "规划指标", "url": "indicators/" }],
        })
    }

    fn standalone_page(&self, i: usize) -> Value {
        let page = &self.site.pages[i];
        json!({
            "title": page.title,
            "description": page.description,
            "body_html": self.html(&page.body, &root_for(&page.url), None),
            "crumbs": [{ "title": page.title, "url": page.url }],
        })
    }
}

/// Where the page of a mapping goes: `mappings/<implementing plan>/`.
pub fn mapping_url(site: &Site, mapping: &crate::analyse::mapping::Mapping) -> String {
    format!("mappings/{}/", site.plans[mapping.implementing].slug)
}

/// An amount for display: at most two decimals, no trailing zeros.
fn format_amount(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    crate::model::indicator::format_number(rounded)
}

/// Shading step (0–5) of a matrix cell by the share of the plan's measures it holds.
fn density_level(count: usize, share: f64) -> u8 {
    match (count, share) {
        (0, _) => 0,
        (_, s) if s < 0.05 => 1,
        (_, s) if s < 0.10 => 2,
        (_, s) if s < 0.20 => 3,
        (_, s) if s < 0.30 => 4,
        _ => 5,
    }
}

/// What every view of a plan shows.
fn plan_basics(plan: &Plan) -> Value {
    json!({
        "slug": plan.slug,
        "url": plan.url,
        "title": plan.meta.title,
        "short_title": plan.meta.short_title,
    })
}

/// The metadata block of a plan: label and value, `null` where the source gives none.
fn meta_rows(plan: &Plan, r: &Renderer<'_>) -> Vec<Value> {
    let m = &plan.meta;
    let plan_link = |slug: &String| {
        r.plan_index.get(slug.as_str()).map(|i| {
            let p = &r.site.plans[*i];
            json!({ "title": p.meta.short_title, "url": p.url })
        })
    };
    let period = match (m.period_start, m.period_end) {
        (Some(a), Some(b)) => Some(format!("{a}—{b}年")),
        _ => None,
    };
    vec![
        json!({ "label": "发文机关", "value": (!m.issuers.is_empty()).then(|| m.issuers.join("、")) }),
        json!({ "label": "发文字号", "value": m.doc_number }),
        json!({ "label": "成文日期", "value": m.date_written.map(|d| d.to_string()) }),
        json!({ "label": "发布日期", "value": m.date_published.map(|d| d.to_string()) }),
        json!({ "label": "规划期", "value": period }),
        json!({ "label": "远景目标年", "value": m.outlook_year.map(|y| format!("{y}年")) }),
        json!({ "label": "层级", "value": m.level.label() }),
        json!({ "label": "地区", "value": (!m.region.is_empty()).then_some(&m.region) }),
        json!({ "label": "实施", "links": m.implements.iter().filter_map(plan_link).collect::<Vec<_>>(), "optional": true }),
        json!({ "label": "上位规划", "links": m.parent.iter().filter_map(plan_link).collect::<Vec<_>>(), "optional": true }),
        json!({ "label": "官方来源", "href": m.source_url }),
        json!({ "label": "说明", "value": m.notes, "optional": true }),
    ]
}

fn observation_view(o: &Observation) -> Value {
    json!({
        "year": o.year,
        "raw": o.value.raw,
        "value": o.value.value,
        "text": o.value.text,
        "qualifier": o.value.qualifier,
        "cumulative": o.value.cumulative,
        "given": !o.value.is_not_given(),
    })
}

/// The view of an indicator table: rows with group headers where the group changes.
fn table_view(t: &IndicatorTable) -> Value {
    let same_year = |f: fn(&Indicator) -> Option<u16>| {
        let first = t.indicators.first().and_then(f);
        t.indicators
            .iter()
            .all(|i| f(i) == first)
            .then_some(first)
            .flatten()
    };
    let baseline_year = same_year(|i| i.baseline.year);
    let target_year = same_year(|i| i.target.year);
    let has_attribute = t.indicators.iter().any(|i| i.attribute.is_some());
    let charts: Vec<String> = t.indicators.iter().map(indicator_chart).collect();
    let has_chart = charts.iter().any(|c| !c.is_empty());
    let mut rows = Vec::new();
    let mut group: Option<&str> = None;
    for (ind, chart) in t.indicators.iter().zip(charts) {
        if ind.group.is_some() && ind.group.as_deref() != group {
            group = ind.group.as_deref();
            rows.push(json!({ "group": group }));
        }
        rows.push(json!({
            "id": ind.id,
            "name": ind.name,
            "unit": ind.unit,
            "attribute": ind.attribute,
            "note": ind.note,
            "baseline": observation_view(&ind.baseline),
            "target": observation_view(&ind.target),
            "show_years": baseline_year.is_none() || target_year.is_none(),
            "chart": chart,
        }));
    }
    json!({
        "title": t.title,
        "rows": rows,
        "has_chart": has_chart,
        "columns": 4 + usize::from(has_attribute) + usize::from(has_chart),
        "has_attribute": has_attribute,
        "has_cumulative": t.indicators.iter().any(|i| i.baseline.value.cumulative || i.target.value.cumulative),
        "baseline_year": baseline_year,
        "target_year": target_year,
    })
}

/// A value drawn on a concept chart: its label, amount in the concept's unit, and as shown.
type DrawnValue = (String, f64, String);

/// Year label of an observation: `2020年`, or 基期/目标 where the source gives no year.
fn year_label(o: &Observation, fallback: &str) -> String {
    o.year
        .map_or_else(|| fallback.to_string(), |y| format!("{y}年"))
}

/// Baseline and target of an indicator as two bars, when both are numbers of the same kind
/// (both annual or both five-year cumulative); otherwise nothing is drawn.
fn indicator_chart(ind: &Indicator) -> String {
    let (b, t) = (&ind.baseline.value, &ind.target.value);
    let (Some(bv), Some(tv)) = (b.value, t.value) else {
        return String::new();
    };
    if b.cumulative != t.cumulative {
        return String::new();
    }
    let alt = format!(
        "{}：{} {}{}，{} {}{}",
        ind.name,
        year_label(&ind.baseline, "基期"),
        b.raw,
        ind.unit,
        year_label(&ind.target, "目标"),
        t.raw,
        ind.unit
    );
    crate::render::charts::bars(
        &[
            crate::render::charts::Bar {
                label: year_label(&ind.baseline, "基期"),
                value: bv,
                raw: &b.raw,
            },
            crate::render::charts::Bar {
                label: year_label(&ind.target, "目标"),
                value: tv,
                raw: &t.raw,
            },
        ],
        bv.max(tv),
        150.0,
        &alt,
    )
}

/// The first `max` characters of `text`, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let chars: Vec<char> = flat.chars().collect();
    if chars.len() <= max {
        flat
    } else {
        format!("{}…", chars[..max].iter().collect::<String>())
    }
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
    }
}
