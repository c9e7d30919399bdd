//! The records of the search index, one per thing a reader may look for: each measure (its
//! anchor, so a hit lands on the measure), plan, chapter and section, indicator, theme,
//! indicator concept and responsible unit, with the text that is indexed and the filter values.
//! Their order is fixed, as doc numbers follow it.
//!
//! A record borrows the texts the site already holds (a measure's text and title, plan titles,
//! theme names) and owns the rest (addresses, which the analysis holds, and the texts made for
//! it): the index is counted while the related measures are computed, when the build holds the
//! most, and copies of every measure's text were a tenth of the peak at 1,000,000 measures.

use std::borrow::Cow;

use crate::analyse::Analysis;
use crate::markdown::plain_text;
use crate::model::Site;

/// One search record: a document of the index.
pub(super) struct Record<'s> {
    pub(super) url: String,
    pub(super) title: Cow<'s, str>,
    pub(super) kind: &'static str,
    pub(super) plan: Option<&'s str>,
    pub(super) place: String,
    pub(super) themes: Vec<&'s str>,
    /// The text, or (with `after`) its first part.
    pub(super) content: Cow<'s, str>,
    /// The rest of the text, after a line break: a measure's responsible units (empty when it
    /// names none). Indexed and written as if it were one text with `content`.
    pub(super) after: Option<String>,
}

fn record<'s>(
    url: String,
    content: impl Into<Cow<'s, str>>,
    title: impl Into<Cow<'s, str>>,
    kind: &'static str,
) -> Record<'s> {
    Record {
        url,
        title: title.into(),
        kind,
        plan: None,
        place: String::new(),
        themes: Vec::new(),
        content: content.into(),
        after: None,
    }
}

impl<'s> Record<'s> {
    fn plan(mut self, short_title: &'s str) -> Self {
        self.plan = Some(short_title);
        self
    }

    fn place(mut self, place: String) -> Self {
        self.place = place;
        self
    }

    fn themes(mut self, names: Vec<&'s str>) -> Self {
        self.themes = names;
        self
    }

    fn after(mut self, after: String) -> Self {
        self.after = Some(after);
        self
    }

    /// The pieces of the text, in order (a line break between them, as the text is written).
    pub(super) fn texts(&self) -> impl Iterator<Item = &str> + Clone {
        std::iter::once(&*self.content).chain(self.after.as_deref())
    }

    /// The whole text, as it is written in the index's `docs/`.
    pub(super) fn text(&self) -> Cow<'_, str> {
        match &self.after {
            None => Cow::Borrowed(&*self.content),
            Some(after) => Cow::Owned(format!("{}\n{}", self.content, after)),
        }
    }
}

/// Every record of the site, in a fixed order.
pub(super) fn records<'s>(site: &'s Site, analysis: &Analysis) -> Vec<Record<'s>> {
    let theme_name = |slug: &'s String| -> &'s str {
        site.themes
            .iter()
            .find(|t| &t.slug == slug)
            .map_or(slug.as_str(), |t| t.name.as_str())
    };
    // Sized at once: grown by doubling, the records (a million at as many measures) were
    // copied into fresh memory several times over.
    let plans: usize = site
        .plans
        .iter()
        .map(|p| 1 + p.divisions().count() + p.all_indicators().count())
        .sum();
    let others = site.themes.len() + site.concepts.len() + analysis.agencies.len();
    let counted = analysis.measures.len() + plans + others;
    let mut out = Vec::with_capacity(counted);
    for entry in &analysis.measures {
        let plan = &site.plans[entry.plan];
        let place = analysis.location(site, entry);
        let m = analysis.measure(site, entry);
        let units: Vec<&str> = m.units.iter().map(|u| u.name.as_str()).collect();
        out.push(
            record(entry.url.clone(), &*m.text, m.title.as_str(), "举措")
                .after(units.join("、"))
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
                plan.meta.title.as_str(),
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
                    record(d.url.clone(), text, d.full_title(), "章节")
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
            let themes: Vec<&str> = ind
                .concept
                .as_ref()
                .and_then(|c| site.concepts.iter().find(|x| &x.slug == c))
                .map(|c| c.themes.iter().map(theme_name).collect())
                .unwrap_or_default();
            out.push(
                record(
                    format!("{}#{}", plan.url, ind.id),
                    text,
                    ind.name.as_str(),
                    "指标",
                )
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
                theme.name.as_str(),
                "主题",
            )
            .themes(vec![theme.name.as_str()]),
        );
    }
    for concept in &site.concepts {
        out.push(
            record(
                crate::model::urls::concept_url(&concept.slug),
                concept.name.as_str(),
                concept.name.as_str(),
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
            agency.name.clone(),
            "责任单位",
        ));
    }
    debug_assert_eq!(out.len(), counted, "records counted ahead");
    out
}
