//! The views the templates read that all kinds of page share: the site, a plan with its table
//! of contents, a link to a measure, a step of the breadcrumb trail.

use std::borrow::Cow;

use serde::Serialize;

use super::pages::themes::ThemeSummary;
use super::*;

/// A baseline or target as the templates read it; `absent` where the source gives no
/// baseline at all (every other key null or false).
#[derive(Serialize)]
pub(in crate::render) struct ObservationView<'a> {
    pub year: Option<u16>,
    pub raw: Option<&'a str>,
    pub value: Option<f64>,
    pub text: Option<&'a str>,
    pub qualifier: Option<&'a str>,
    pub cumulative: bool,
    pub given: bool,
    pub absent: bool,
}

impl<'a> ObservationView<'a> {
    pub(in crate::render) fn of(o: Option<&'a Observation>) -> Self {
        match o {
            Some(o) => ObservationView {
                year: o.year,
                raw: Some(&o.value.raw),
                value: o.value.value,
                text: o.value.text.as_deref(),
                qualifier: o.value.qualifier.as_deref(),
                cumulative: o.value.cumulative,
                given: !o.value.is_not_given(),
                absent: false,
            },
            None => ObservationView {
                year: None,
                raw: None,
                value: None,
                text: None,
                qualifier: None,
                cumulative: false,
                given: false,
                absent: true,
            },
        }
    }
}

/// The keys every page's context holds besides its own.
#[derive(Serialize)]
pub(in crate::render) struct Common<'a> {
    /// The way from the page to the site's root (`../../`).
    pub root: String,
    /// The page's URL, from the site's root.
    pub url: String,
    pub permalink: Option<String>,
    pub site: SiteView<'a>,
}

/// The site as every page shows it.
#[derive(Serialize)]
pub(in crate::render) struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    /// The stand-alone pages, linked from the site's menu.
    pub pages: Vec<Link<'a>>,
}

/// A typed view as the JSON a page job carries (Tera reads a JSON tree, to which the keys
/// every page has are added).
pub(in crate::render) fn value(view: impl Serialize) -> Value {
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// A step of the breadcrumb trail: the pages above this one, then this one.
#[derive(Serialize)]
pub(in crate::render) struct Crumb {
    pub title: String,
    pub url: String,
}

/// A titled link.
#[derive(Serialize)]
pub(in crate::render) struct Link<'a> {
    pub title: Cow<'a, str>,
    pub url: &'a str,
}

/// A plan as its pages show it, with the table of contents seen from one of them.
#[derive(Serialize)]
pub(in crate::render) struct PlanView<'a> {
    pub slug: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub short_title: &'a str,
    pub toc: Vec<TocEntry<'a>>,
}

/// An entry of a table of contents: a chapter (with `sections`), a section, or a gap standing
/// for the entries a long plan's table leaves out (`gap`, no count).
#[derive(Serialize)]
pub(in crate::render) struct TocEntry<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gap: bool,
    pub title: String,
    pub url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measures: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<TocEntry<'a>>>,
}

/// A chapter's or section's entry in a table of contents, without its sections.
pub(in crate::render) fn toc_entry(d: &Division) -> TocEntry<'_> {
    TocEntry {
        gap: false,
        title: d.full_title(),
        url: &d.url,
        measures: Some(d.measures.len()),
        sections: None,
    }
}

/// A short link to a measure: its heading, or its title where it has none.
#[derive(Serialize)]
pub(in crate::render) struct MeasureLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub heading: &'a str,
    pub url: &'a str,
    pub plan: &'a str,
}

impl<'a> Renderer<'a> {
    /// The keys every page's context holds, for the page at `url` whose way to the site's
    /// root is `root`.
    pub(in crate::render) fn common(&self, root: String, url: String) -> Common<'a> {
        Common {
            permalink: self.site.config.permalink(&url),
            root,
            url,
            site: self.site_view_typed(),
        }
    }

    pub(in crate::render) fn site_view_typed(&self) -> SiteView<'a> {
        let c = &self.site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            pages: self
                .site
                .pages
                .iter()
                .map(|p| Link {
                    title: Cow::Borrowed(&p.title),
                    url: &p.url,
                })
                .collect(),
        }
    }

    pub(in crate::render) fn html(&self, md: &Markdown, root: &str, plan: Option<usize>) -> String {
        let resolve =
            |path: &str, anchor: Option<&str>| self.links.resolve(self.site, path, anchor).ok();
        let ctx = HtmlContext {
            root,
            resolve: &resolve,
            indicators: plan.map_or(&[], |p| self.tables[p].as_slice()),
        };
        markdown::to_html(&md.source, &ctx)
    }

    /// An interlude's HTML, its level-4 sub-heading shown as the page's second level.
    pub(in crate::render) fn interlude_html(
        &self,
        md: &Markdown,
        root: &str,
        plan: usize,
    ) -> String {
        self.html(md, root, Some(plan))
            .replace("<h4", "<h2")
            .replace("</h4>", "</h2>")
    }

    /// A theme's name by its slug; the slug itself for a theme the site does not define.
    pub(in crate::render) fn theme_name<'s>(&self, slug: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.theme_names.get(slug).copied().unwrap_or(slug)
    }

    /// A short link to the measure at `index`.
    pub(in crate::render) fn measure_link_view(&self, index: usize) -> MeasureLink<'a> {
        let entry = &self.analysis.measures[index];
        let m = self.analysis.measure(self.site, entry);
        MeasureLink {
            id: &m.id,
            title: &m.title,
            heading: if m.heading.is_empty() {
                &m.title
            } else {
                &m.heading
            },
            url: &entry.url,
            plan: &self.site.plans[entry.plan].meta.short_title,
        }
    }

    pub(in crate::render) fn theme_summaries(&self) -> Vec<ThemeSummary<'_>> {
        self.site
            .themes
            .iter()
            .map(|t| ThemeSummary {
                slug: &t.slug,
                name: &t.name,
                definition: &t.definition,
                count: self.analysis.by_theme.get(&t.slug).map_or(0, Vec::len),
            })
            .collect()
    }

    /// A plan's table of contents. On the plan's cover (`here` is `None`), and on every page of
    /// a plan with at most [`TOC_FULL`] chapters and sections, it lists them all. Otherwise a
    /// page lists the chapters and the sections of its own chapter within [`TOC_WINDOW`] of
    /// its own, with a gap entry linking to the complete list (the cover for chapters, the
    /// chapter page for sections), so that no page grows with the size of the plan.
    pub(in crate::render) fn toc(
        &self,
        plan: &'a Plan,
        here: Option<(usize, Option<usize>)>,
    ) -> Vec<TocEntry<'a>> {
        let chapter_entry = |c: &'a crate::model::Chapter, sections: Vec<TocEntry<'a>>| TocEntry {
            sections: Some(sections),
            ..toc_entry(&c.division)
        };
        let entries: usize = plan.chapters.iter().map(|c| 1 + c.sections.len()).sum();
        let Some((here_c, here_s)) = here.filter(|_| entries > TOC_FULL) else {
            return plan
                .chapters
                .iter()
                .map(|c| {
                    chapter_entry(
                        c,
                        c.sections.iter().map(|s| toc_entry(&s.division)).collect(),
                    )
                })
                .collect();
        };
        let gap = |title: String, url: &'a str| TocEntry {
            gap: true,
            title,
            url,
            measures: None,
            sections: None,
        };
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
                sections.extend(
                    chapter.sections[shown.clone()]
                        .iter()
                        .map(|s| toc_entry(&s.division)),
                );
                if shown.end < chapter.sections.len() {
                    sections.push(all());
                }
            }
            toc.push(chapter_entry(chapter, sections));
        }
        if chapters.end < plan.chapters.len() {
            toc.push(gap(format!("… 全部 {} 章", plan.chapters.len()), &plan.url));
        }
        toc
    }

    /// A plan as its pages show it, with the table of contents as seen from `here`.
    pub(in crate::render) fn plan_view_typed(
        &self,
        p: usize,
        here: Option<(usize, Option<usize>)>,
    ) -> PlanView<'a> {
        let plan = &self.site.plans[p];
        PlanView {
            slug: &plan.slug,
            url: &plan.url,
            title: &plan.meta.title,
            short_title: &plan.meta.short_title,
            toc: self.toc(plan, here),
        }
    }
}
