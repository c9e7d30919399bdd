//! The full-text search index, built with Pagefind used as a library.
//!
//! Records come from the model, not from parsing the rendered pages: one per measure (its
//! anchor, so a hit lands on the measure), chapter and section, theme, indicator, indicator
//! concept and responsible unit. Each carries the plan, theme and kind as Pagefind filters, and
//! a title, plan and location as metadata for the result list. Pagefind segments Chinese with its
//! `extended` feature; its output (index, wasm, and `pagefind.js`) goes below `pagefind/`.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::analyse::Analysis;
use crate::markdown::plain_text;
use crate::model::Site;
use crate::render::OutputFile;

/// Pagefind's language for the records: Chinese, segmented.
const LANGUAGE: &str = "zh-cn";

/// One search record.
struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

fn record(url: String, content: String, title: &str, kind: &str) -> Record {
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), title.to_string());
    meta.insert("kind".to_string(), kind.to_string());
    let mut filters = BTreeMap::new();
    filters.insert("kind".to_string(), vec![kind.to_string()]);
    Record {
        url,
        content,
        meta,
        filters,
    }
}

impl Record {
    fn plan(mut self, short_title: &str) -> Self {
        self.meta.insert("plan".into(), short_title.to_string());
        self.filters
            .insert("plan".into(), vec![short_title.to_string()]);
        self
    }

    fn place(mut self, place: String) -> Self {
        self.meta.insert("place".into(), place);
        self
    }

    fn themes(mut self, names: Vec<String>) -> Self {
        if !names.is_empty() {
            self.filters.insert("theme".into(), names);
        }
        self
    }
}

/// Every record of the site, in a fixed order.
fn records(site: &Site, analysis: &Analysis) -> Vec<Record> {
    let theme_name = |slug: &String| {
        site.themes
            .iter()
            .find(|t| &t.slug == slug)
            .map_or_else(|| slug.clone(), |t| t.name.clone())
    };
    let mut out = Vec::new();
    for entry in &analysis.measures {
        let plan = &site.plans[entry.plan];
        let place = analysis.location(site, entry);
        let m = analysis.measure(site, entry);
        let units: Vec<&str> = m.units.iter().map(|u| u.name.as_str()).collect();
        out.push(
            record(
                entry.url.clone(),
                format!("{}\n{}", m.text, units.join("、")),
                &m.title,
                "举措",
            )
            .plan(&plan.meta.short_title)
            .place(place)
            .themes(m.themes.iter().map(theme_name).collect()),
        );
    }
    for plan in &site.plans {
        out.push(
            record(
                plan.url.clone(),
                format!("{}\n{}", plan.meta.title, plain_text(&plan.preamble.source)),
                &plan.meta.title,
                "规划",
            )
            .plan(&plan.meta.short_title),
        );
        for chapter in &plan.chapters {
            let divisions = std::iter::once(&chapter.division)
                .chain(chapter.sections.iter().map(|s| &s.division));
            for d in divisions {
                let mut text = d.full_title();
                text.push('\n');
                text.push_str(&plain_text(&d.intro.source));
                for interlude in &d.interludes {
                    text.push('\n');
                    text.push_str(&plain_text(&interlude.body.source));
                }
                out.push(
                    record(d.url.clone(), text, &d.full_title(), "章节")
                        .plan(&plan.meta.short_title),
                );
            }
        }
        for (table, ind) in plan.all_indicators() {
            let text = format!(
                "{} {} {}→{} {}",
                ind.name, ind.unit, ind.baseline.value.raw, ind.target.value.raw, table.title
            );
            let themes: Vec<String> = ind
                .concept
                .as_ref()
                .and_then(|c| site.concepts.iter().find(|x| &x.slug == c))
                .map(|c| c.themes.iter().map(theme_name).collect())
                .unwrap_or_default();
            out.push(
                record(format!("{}#{}", plan.url, ind.id), text, &ind.name, "指标")
                    .plan(&plan.meta.short_title)
                    .place(table.title.clone())
                    .themes(themes),
            );
        }
    }
    for theme in &site.themes {
        out.push(
            record(
                format!("themes/{}/", theme.slug),
                format!("{}\n{}", theme.name, theme.definition),
                &theme.name,
                "主题",
            )
            .themes(vec![theme.name.clone()]),
        );
    }
    for concept in &site.concepts {
        out.push(
            record(
                format!("concepts/{}/", concept.slug),
                concept.name.clone(),
                &concept.name,
                "指标",
            )
            .themes(concept.themes.iter().map(theme_name).collect()),
        );
    }
    for agency in &analysis.agencies {
        let names: Vec<&str> = agency.names.iter().map(String::as_str).collect();
        out.push(record(
            format!("units/{}/", agency.key),
            names.join("、"),
            &agency.name,
            "责任单位",
        ));
    }
    out
}

/// Builds the search index; the files go below `pagefind/` in the output.
pub fn search_index(site: &Site, analysis: &Analysis) -> Result<Vec<OutputFile>, String> {
    let records = records(site, analysis);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("search index: cannot start its runtime: {e}"))?;
    runtime.block_on(async move {
        let config = PagefindServiceConfig::builder()
            .force_language(LANGUAGE.to_string())
            .keep_index_url(false)
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e}"))?;
        for r in records {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    LANGUAGE.to_string(),
                    Some(r.meta),
                    Some(r.filters),
                    None,
                )
                .await
                .map_err(|e| format!("search index: {e}"))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))?;
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (
                    format!("pagefind/{}", name.trim_start_matches('/')),
                    f.contents,
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}
