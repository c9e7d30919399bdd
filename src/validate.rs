//! Rules that span files: every reference in the content must point at something that exists,
//! every id must be unique across the site, and no stand-alone page may take a name the site
//! uses itself ([`RESERVED_SLUGS`]).

use std::collections::hash_map::Entry;
use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::indicator_directives;
use crate::markdown::links::{broken_site_links, heading_ids, LinkError, LinkIndex, SiteMap};
use crate::model::{Division, Plan, Site};

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

/// Checks `site` and returns every problem found.
pub fn validate(site: &Site, links: &LinkIndex) -> Diagnostics {
    let mut d = Diagnostics::default();
    reserved_page_names(site, &mut d);
    let theme_slugs: Vec<&str> = site.themes.iter().map(|t| t.slug.as_str()).collect();
    let plan_slugs: Vec<&str> = site.plans.iter().map(|p| p.slug.as_str()).collect();
    let known_themes: HashSet<&str> = theme_slugs.iter().copied().collect();
    let known_plans: HashSet<&str> = plan_slugs.iter().copied().collect();

    // Ids share one namespace: they are anchors and keys in the open data.
    let mut ids = Ids {
        first: FxHashMap::default(),
        known_plans: &known_plans,
    };
    let counted = site.plans.iter().flat_map(|p| {
        let tables = p.indicators.iter().map(|t| t.indicators.len());
        tables.chain(p.divisions().map(|d| d.measures.len()))
    });
    ids.first.reserve(counted.sum());
    for plan in &site.plans {
        for measure in plan.measures() {
            ids.claim(&measure.id, &measure.file, measure.line, &mut d);
            for theme in &measure.themes {
                if !site.themes_unreadable && !known_themes.contains(theme.as_str()) {
                    d.push(
                        Diagnostic::new(
                            &*measure.file,
                            measure.line,
                            format!("measure `{}`: unknown theme `{theme}`", measure.id),
                        )
                        .hint(suggest(
                            theme,
                            &theme_slugs,
                            "content/themes.toml",
                        )),
                    );
                }
            }
        }
        for (table, ind) in plan.all_indicators() {
            ids.claim(&ind.id, &table.file, ind.line, &mut d);
            let Some(slug) = &ind.concept else { continue };
            let Some(concept) = site.concepts.iter().find(|c| &c.slug == slug) else {
                d.push(
                    Diagnostic::new(
                        &table.file,
                        ind.line,
                        format!("indicator `{}`: unknown concept `{slug}`", ind.id),
                    )
                    .hint("use a concept defined in content/concepts.toml, or add it there"),
                );
                continue;
            };
            if crate::model::quantity::convert(1.0, &ind.unit, &concept.unit).is_none() {
                d.push(
                    Diagnostic::new(&table.file, ind.line, format!("indicator `{}`: its unit `{}` cannot be compared with `{}`, the unit of concept `{slug}`", ind.id, ind.unit, concept.unit))
                        .hint("give the indicator the unit the plan writes; units planatlas converts: 万亿元, 亿元, 亿, 万元, 元, 亿美元, 万美元, %, 家, 个, 元/人"),
                );
            }
        }
        for target in plan.meta.implements.iter().chain(plan.meta.parent.iter()) {
            if !known_plans.contains(target.as_str()) || *target == plan.slug {
                d.push(
                    Diagnostic::new(
                        &plan.file,
                        0,
                        format!("plan `{}` refers to unknown plan `{target}`", plan.slug),
                    )
                    .hint(suggest(target, &plan_slugs, "content/plans/")),
                );
            }
        }
    }
    for plan in &site.plans {
        for measure in plan.measures() {
            if let Some(target) = &measure.implements {
                if !ids.first.contains_key(target.as_str()) {
                    d.push(
                        Diagnostic::new(
                            &*measure.file,
                            measure.line,
                            format!(
                                "measure `{}` implements unknown measure `{target}`",
                                measure.id
                            ),
                        )
                        .hint("name a measure of a plan listed in this plan's `implements`"),
                    );
                }
            }
            for other in measure.related.iter().chain(&measure.not_related) {
                if !ids.first.contains_key(other.as_str()) {
                    d.push(
                        Diagnostic::new(&*measure.file, measure.line, format!("measure `{}` names unknown measure `{other}` in related/not_related", measure.id))
                            .hint("use the id of an existing measure"),
                    );
                }
            }
        }
    }
    // Finding directives, ids and links parses Markdown: done for the plans on all cores (the
    // diagnostics are sorted when reported).
    let directives: Vec<Diagnostic> = site
        .plans
        .par_iter()
        .flat_map_iter(unknown_indicator_tables)
        .collect();
    for diagnostic in directives {
        d.push(diagnostic);
    }
    // Ids of sub-headings (`#### … {#id}`) are anchors too: claimed after the measures'
    // and indicators' ids, so that the sub-heading is the one reported, and after the checks
    // of `implements` and `related`, which name measures only.
    // The plan's preamble (its `_index.md`) stands on the cover page beside the indicators.
    let heading_ids: Vec<(&Path, usize, String)> = site
        .plans
        .par_iter()
        .flat_map_iter(|plan| {
            std::iter::once(&plan.preamble).chain(plan.divisions().flat_map(Division::texts))
        })
        .flat_map_iter(|md| {
            heading_ids(md)
                .into_iter()
                .map(|(line, id)| (&*md.file, line, id))
        })
        .collect();
    for (file, line, id) in &heading_ids {
        ids.claim(id, file, *line, &mut d);
    }
    // The pages' headings' ids are checked against the theme's own ids too (claimed ids were
    // checked when first claimed).
    for page in &site.pages {
        for (line, id) in crate::markdown::links::heading_ids(&page.body) {
            if let Some(problem) = ids.theme_id(&id, &page.body.file, line) {
                d.push(problem);
            }
        }
    }
    // Plain links to this site's own paths must lead somewhere, like `@/` links.
    let map = SiteMap::new(site);
    let base_path = site.config.base_path();
    let plan_sources = site.plans.par_iter().flat_map_iter(|plan| {
        std::iter::once((&plan.preamble, plan.url.as_str())).chain(
            plan.divisions()
                .flat_map(|div| div.texts().map(move |md| (md, div.url.as_str()))),
        )
    });
    let page_sources = site.pages.par_iter().map(|p| (&p.body, p.url.as_str()));
    let broken: Vec<_> = plan_sources
        .chain(page_sources)
        .flat_map_iter(|(md, url)| {
            broken_site_links(md, url, &base_path, &map)
                .into_iter()
                .map(move |link| (md, link))
        })
        .collect();
    for (md, (line, column, dest, why)) in broken {
        d.push(
            Diagnostic::new(&*md.file, line, format!("link to `{dest}`: {why}"))
                .column(column)
                .hint("link to content by its file, as @/plans/<slug>/<NN-chapter>/<MM-section>.md, or to a page the site builds"),
        );
    }
    for concept in &site.concepts {
        for theme in &concept.themes {
            if !site.themes_unreadable && !known_themes.contains(theme.as_str()) {
                d.push(
                    Diagnostic::new(
                        "content/concepts.toml",
                        concept.line,
                        format!("concept `{}`: unknown theme `{theme}`", concept.slug),
                    )
                    .hint(suggest(theme, &theme_slugs, "content/themes.toml")),
                );
            }
        }
    }
    for link in &site.links {
        let error = match links.resolve(site, &link.path, link.anchor.as_deref()) {
            Ok(_) => continue,
            Err(LinkError::NoSuchFile) => {
                format!("link to `@/{}`: no such content file", link.path)
            }
            Err(LinkError::NoSuchAnchor) => format!(
                "link to `@/{}#{}`: that page has no such anchor",
                link.path,
                link.anchor.as_deref().unwrap_or_default()
            ),
        };
        d.push(
            Diagnostic::new(&link.file, link.line, error)
                .column(link.column)
                .hint("link to a file below content/ as @/plans/<slug>/<NN-chapter>/<MM-section>.md#<measure-id>"),
        );
    }
    d
}

/// The fixed ids of the default theme's templates (`id="…"`), which content ids must not take.
pub const THEME_IDS: &[&str] = &[
    "alignment-added",
    "alignment-chapters",
    "alignment-themes",
    "main",
    "plan-toc",
    "plans",
    "search-filters",
    "search-more",
    "search-q",
    "search-results",
    "search-status",
    "site-nav",
    "site-q",
];

/// The ```indicators blocks of `plan` that name a table the plan does not have.
fn unknown_indicator_tables(plan: &Plan) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if plan.indicators_unreadable {
        return found;
    }
    let table_ids: Vec<&str> = plan.indicators.iter().map(|t| t.id.as_str()).collect();
    for div in plan.divisions() {
        for md in div.texts() {
            for (line, id) in indicator_directives(md) {
                let known = if id.is_empty() {
                    !table_ids.is_empty()
                } else {
                    table_ids.contains(&id.as_str())
                };
                if !known {
                    found.push(
                        Diagnostic::new(&*md.file, line, format!("an ```indicators block names table `{id}`, which indicators.toml of plan `{}` does not have", plan.slug))
                            .hint(if table_ids.is_empty() { "add indicators.toml to the plan folder, or remove the block".to_string() } else { format!("use one of: {}", table_ids.join(", ")) }),
                    );
                }
            }
        }
    }
    found
}

/// The ids claimed so far, each where it was first used.
struct Ids<'a> {
    first: FxHashMap<&'a str, (&'a Path, usize)>,
    known_plans: &'a HashSet<&'a str>,
}

impl<'a> Ids<'a> {
    /// Records `id` as used at `file:line`, or reports where it was used first. A new id that
    /// the theme uses for its own elements is reported too.
    fn claim(&mut self, id: &'a str, file: &'a Path, line: usize, d: &mut Diagnostics) {
        // One probe of the map a claim (a lookup, then an insert, probed twice: at a million
        // measures each probe is a miss in a table of 40 MB).
        match self.first.entry(id) {
            Entry::Occupied(used) => {
                let (first, first_line) = used.get();
                d.push(
                    Diagnostic::new(file, line, format!("duplicate id `{id}`")).hint(format!(
                        "it is already used at {}:{first_line}; ids must be unique across the site",
                        first.display()
                    )),
                );
            }
            Entry::Vacant(new) => {
                new.insert((file, line));
                if let Some(problem) = self.theme_id(id, file, line) {
                    d.push(problem);
                }
            }
        }
    }

    /// The problem with an id at `file:line` that the theme uses for its own elements: an anchor
    /// of the same name would break its skip link or search box.
    fn theme_id(&self, id: &str, file: &Path, line: usize) -> Option<Diagnostic> {
        let of_a_plan_group = id
            .strip_prefix("plan-")
            .is_some_and(|slug| self.known_plans.contains(slug));
        (THEME_IDS.contains(&id) || of_a_plan_group).then(|| {
            Diagnostic::new(
                file,
                line,
                format!("the id `{id}` is one the theme uses for its own elements"),
            )
            .hint(format!(
                "choose another id; the theme uses: {}, and plan-<plan slug>",
                THEME_IDS.join(", ")
            ))
        })
    }
}

/// A hint naming the closest known name.
fn suggest(name: &str, known: &[&str], place: &str) -> String {
    let best = known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .min()
        .filter(|(dist, _)| *dist <= 3);
    match best {
        Some((_, k)) => format!("did you mean `{k}`? known names are defined in {place}"),
        None => format!("use a name defined in {place}"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Stand-alone pages whose name would collide with a folder of the generated site.
fn reserved_page_names(site: &Site, d: &mut Diagnostics) {
    for page in &site.pages {
        if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            d.push(
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_ids_are_those_of_the_default_theme() {
        let mut found = std::collections::BTreeSet::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for part in text.split(" id=\"").skip(1) {
                let id = part.split('"').next().unwrap();
                if !id.contains("{{") {
                    found.insert(id.to_string());
                }
            }
        }
        let listed: std::collections::BTreeSet<String> =
            THEME_IDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, listed);
    }

    #[test]
    fn suggestions() {
        assert!(
            suggest("green-financ", &["green-finance", "fintech"], "x").contains("`green-finance`")
        );
        assert_eq!(
            suggest("zzzzzzzz", &["fintech"], "x"),
            "use a name defined in x"
        );
    }
}
