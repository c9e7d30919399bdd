//! The records of the search index, one per thing a reader may look for: each measure (its
//! anchor, so a hit lands on the measure), plan, chapter and section, indicator, theme,
//! indicator concept and responsible unit, with the text that is indexed and the filter values.
//! Their order is fixed, as doc numbers follow it.

use crate::analyse::Analysis;
use crate::markdown::plain_text;
use crate::model::Site;

/// One search record: a document of the index.
pub(super) struct Record {
    pub(super) url: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) plan: Option<String>,
    pub(super) place: String,
    pub(super) themes: Vec<String>,
    pub(super) content: String,
}

fn record(url: String, content: String, title: &str, kind: &'static str) -> Record {
    Record {
        url,
        title: title.to_string(),
        kind,
        plan: None,
        place: String::new(),
        themes: Vec::new(),
        content,
    }
}

impl Record {
    fn plan(mut self, short_title: &str) -> Self {
        self.plan = Some(short_title.to_string());
        self
    }

    fn place(mut self, place: String) -> Self {
        self.place = place;
        self
    }

    fn themes(mut self, names: Vec<String>) -> Self {
        self.themes = names;
        self
    }
}

/// Every record of the site, in a fixed order.
pub(super) fn records(site: &Site, analysis: &Analysis) -> Vec<Record> {
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
            let divisions = chapter.divisions();
            for d in divisions {
                let mut text = d.full_title();
                text.push('\n');
                text.push_str(&plain_text(&d.intro.source));
                for interlude in &d.interludes {
                    text.push('\n');
                    text.push_str(&plain_text(&interlude.body.source));
                }
                // A box of measures: its title and intro (its measures have records of their own).
                for b in &d.boxes {
                    text.push('\n');
                    text.push_str(&b.title);
                    text.push('\n');
                    text.push_str(&plain_text(&b.intro.source));
                }
                out.push(
                    record(d.url.clone(), text, &d.full_title(), "章节")
                        .plan(&plan.meta.short_title),
                );
            }
        }
        for (table, ind) in plan.all_indicators() {
            let text = match &ind.baseline {
                Some(b) => format!(
                    "{} {} {}→{} {}",
                    ind.name, ind.unit, b.value.raw, ind.target.value.raw, table.title
                ),
                None => format!(
                    "{} {} {} {}",
                    ind.name, ind.unit, ind.target.value.raw, table.title
                ),
            };
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
                crate::model::urls::theme_url(&theme.slug),
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
                crate::model::urls::concept_url(&concept.slug),
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
            crate::model::urls::unit_url(&agency.key),
            names.join("、"),
            &agency.name,
            "责任单位",
        ));
    }
    out
}
