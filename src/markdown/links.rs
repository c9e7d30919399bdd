//! Internal links: which content file becomes which page, and which anchors each page has.
//!
//! Content links to content by its file path (`@/plans/<slug>/<NN-chapter>/<MM-section>.md#id`),
//! so that links survive a change of URL scheme. This index answers where such a link goes.
//!
//! Here in `markdown/` (not `model/`, as the layout document drew it) because it parses Markdown
//! with the same options as the renderer: a pure function of the `Site`, on layer 3.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::line_col;
use crate::model::{Division, Markdown, Site};

/// The page a content path leads to, as its place in the site: the page's URL and the anchors
/// on it are read from there when a link is resolved, not copied (a million measures' ids).
#[derive(Debug, Clone, Copy)]
enum Place {
    /// A plan's cover (its file or preamble): anchored by the plan's indicators.
    Cover { plan: usize },
    /// A chapter (`section` none) or one of its sections: anchored by its measures.
    Division {
        plan: usize,
        chapter: usize,
        section: Option<usize>,
    },
    /// A page of `content/pages/`: no anchors.
    Page { page: usize },
}

impl Place {
    /// The URL of the page, in `site` (the site the index was built from).
    fn url(self, site: &Site) -> Option<&str> {
        Some(match self {
            Place::Cover { plan } => &site.plans.get(plan)?.url,
            Place::Division { .. } => &self.division(site)?.url,
            Place::Page { page } => &site.pages.get(page)?.url,
        })
    }

    fn division(self, site: &Site) -> Option<&Division> {
        let Place::Division {
            plan,
            chapter,
            section,
        } = self
        else {
            return None;
        };
        let chapter = site.plans.get(plan)?.chapters.get(chapter)?;
        match section {
            Some(s) => Some(&chapter.sections.get(s)?.division),
            None => Some(&chapter.division),
        }
    }

    /// The anchors on the page: a cover's indicators, a chapter's or section's measures.
    fn anchors(self, site: &Site) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Place::Cover { plan } => Box::new(
                site.plans
                    .get(plan)
                    .into_iter()
                    .flat_map(|p| p.all_indicators().map(|(_, i)| i.id.as_str())),
            ),
            Place::Division { .. } => Box::new(
                self.division(site)
                    .into_iter()
                    .flat_map(|d| d.measures.iter().map(|m| m.id.as_str())),
            ),
            Place::Page { .. } => Box::new(std::iter::empty()),
        }
    }
}

/// Maps content paths (relative to `content/`) to the pages they lead to.
#[derive(Debug, Default)]
pub struct LinkIndex {
    targets: FxHashMap<String, Place>,
    /// The anchors of each page that a link of the content names with an anchor, so that
    /// resolving many links to one long page does not read its measures each time. Other pages'
    /// anchors are read from the site when asked for.
    anchored: FxHashMap<String, FxHashSet<String>>,
}

/// Why a link does not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkError {
    NoSuchFile,
    NoSuchAnchor,
}

impl LinkIndex {
    pub fn build(site: &Site) -> LinkIndex {
        use rayon::prelude::*;
        // The keys (paths made relative, with `/`) are made on all cores, then inserted in
        // reading order: where two files give the same key, the later one counts.
        let of_plans: Vec<Vec<(String, Place)>> = site
            .plans
            .par_iter()
            .enumerate()
            .map(|(p, plan)| {
                let cover = Place::Cover { plan: p };
                let mut keys = vec![
                    (key(&plan.file), cover),
                    (key(&plan.file.with_file_name("_index.md")), cover),
                ];
                for (c, chapter) in plan.chapters.iter().enumerate() {
                    // The chapter first, then its sections.
                    keys.extend(chapter.divisions().enumerate().map(|(k, d)| {
                        let place = Place::Division {
                            plan: p,
                            chapter: c,
                            section: k.checked_sub(1),
                        };
                        (key(&d.file), place)
                    }));
                }
                keys
            })
            .collect();
        let mut targets = FxHashMap::default();
        targets.reserve(of_plans.iter().map(Vec::len).sum::<usize>() + site.pages.len());
        targets.extend(of_plans.into_iter().flatten());
        let pages = site.pages.iter().enumerate();
        targets.extend(pages.map(|(page, p)| (key(&p.file), Place::Page { page })));
        let mut anchored: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
        for link in site.links.iter().filter(|l| l.anchor.is_some()) {
            if let Some(place) = targets.get(&link.path) {
                anchored
                    .entry(link.path.clone())
                    .or_insert_with(|| place.anchors(site).map(str::to_string).collect());
            }
        }
        LinkIndex { targets, anchored }
    }

    /// The site-relative URL of `path#anchor` in `site` (the site this index was built from).
    pub fn resolve(
        &self,
        site: &Site,
        path: &str,
        anchor: Option<&str>,
    ) -> Result<String, LinkError> {
        let place = *self.targets.get(path).ok_or(LinkError::NoSuchFile)?;
        let url = place.url(site).ok_or(LinkError::NoSuchFile)?;
        let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
            return Ok(url.to_string());
        };
        let anchored = match self.anchored.get(path) {
            Some(anchors) => anchors.contains(anchor),
            None => place.anchors(site).any(|a| a == anchor),
        };
        if anchored {
            Ok(format!("{url}#{anchor}"))
        } else {
            Err(LinkError::NoSuchAnchor)
        }
    }
}

/// A content file's path relative to `content/`, with `/` between its parts.
fn key(file: &std::path::Path) -> String {
    let key = file.to_string_lossy().replace('\\', "/");
    match key.strip_prefix("content/") {
        Some(relative) => relative.to_string(),
        None => key,
    }
}

/// Every heading in `md` that carries an `{#id}`: its file line and the id. Such ids are
/// anchors on the page, beside the measures' ids.
/// Boxes are looked into.
pub fn heading_ids(md: &Markdown) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for md in crate::markdown::fragments(md) {
        // A heading's id is written in braces (`### … {#id}`).
        if !md.source.contains('{') {
            continue;
        }
        for (event, range) in
            Parser::new_ext(&md.source, crate::markdown::options()).into_offset_iter()
        {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                let line = md.line + line_col(&md.source, range.start).0 - 1;
                found.push((line, id.to_string()));
            }
        }
    }
    found
}

/// Where a plain link (not `@/`) inside content leads on the site.
#[derive(Debug, PartialEq, Eq)]
pub enum SitePath {
    /// Not a site path: another site, a scheme (`mailto:`), an anchor on the same page.
    Elsewhere,
    /// Above the site's root folder (`../../..` from a shallow page).
    AboveRoot,
    /// The path below the site root, without query, fragment or leading `/`.
    Path(String),
}

/// Resolves `dest`, linked from the page at `page_url` (`plans/x/tasks/`), on a site served
/// under `base_path` (`/` or `/atlas/`).
pub fn site_path(dest: &str, page_url: &str, base_path: &str) -> SitePath {
    let dest = dest.trim();
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let scheme = dest
        .find(':')
        .is_some_and(|colon| colon < dest.find(['/', '?', '#']).unwrap_or(usize::MAX));
    if path.is_empty() || scheme || dest.starts_with("//") || dest.starts_with("@/") {
        return SitePath::Elsewhere;
    }
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let (mut segments, rest): (Vec<&str>, &str) = match path.strip_prefix('/') {
        Some(rest) => {
            // Written with the base path (`/atlas/plans/…`) or from the domain's root.
            let below_base = base_path
                .strip_prefix('/')
                .filter(|b| !b.is_empty())
                .and_then(|b| rest.strip_prefix(b));
            (Vec::new(), below_base.unwrap_or(rest))
        }
        None => (
            page_url.split('/').filter(|s| !s.is_empty()).collect(),
            &path,
        ),
    };
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return SitePath::AboveRoot;
                }
            }
            s => segments.push(s),
        }
    }
    let mut resolved = segments.join("/");
    let folder = rest.is_empty() || rest.ends_with('/') || rest.ends_with("/.");
    if folder && !resolved.is_empty() {
        resolved.push('/');
    }
    SitePath::Path(resolved)
}

/// The pages and files a build of `site` writes, as far as they are known before rendering:
/// every page of the content exactly, generated sections (`data/`, `static/`, `search/`,
/// `units/`, `mappings/`) by their folder.
pub struct SiteMap<'s> {
    /// Borrowed from the site where it has them (a million measures' sections), made otherwise.
    pages: FxHashSet<Cow<'s, str>>,
    themes: FxHashSet<&'s str>,
}

/// Folders whose files the build writes from the analysis or the theme.
const GENERATED: &[&str] = &["data/", "static/", "search/", "units/", "mappings/"];
/// Files the build writes at the top.
const TOP_FILES: &[&str] = &["atom.xml", "sitemap.xml", "robots.txt", "404.html"];

impl<'s> SiteMap<'s> {
    pub fn new(site: &'s Site) -> SiteMap<'s> {
        let mut pages: FxHashSet<Cow<'s, str>> =
            ["", "themes/", "indicators/", "units/", "search/"]
                .into_iter()
                .map(Cow::Borrowed)
                .collect();
        for plan in &site.plans {
            pages.insert(Cow::Borrowed(&plan.url));
            for chapter in &plan.chapters {
                pages.extend(chapter.divisions().map(|d| Cow::Borrowed(d.url.as_str())));
            }
        }
        pages.extend(site.pages.iter().map(|p| Cow::Borrowed(p.url.as_str())));
        pages.extend(
            site.themes
                .iter()
                .map(|t| Cow::Owned(crate::model::urls::theme_url(&t.slug))),
        );
        pages.extend(
            site.concepts
                .iter()
                .map(|c| Cow::Owned(crate::model::urls::concept_url(&c.slug))),
        );
        SiteMap {
            pages,
            themes: site.themes.iter().map(|t| t.slug.as_str()).collect(),
        }
    }

    /// Whether the build writes something at `path` (as [`site_path`] gives it).
    pub fn has(&self, path: &str) -> bool {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        if self.pages.contains(path)
            || self.pages.contains(format!("{path}/").as_str())
            || TOP_FILES.contains(&path)
            || GENERATED.iter().any(|g| path.starts_with(g))
        {
            return true;
        }
        // Further pages of a theme's list: themes/<slug>/page/<n>/.
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        matches!(parts.as_slice(), ["themes", slug, "page", n]
            if self.themes.contains(*slug) && n.parse::<usize>().is_ok_and(|n| n >= 2))
    }
}

/// Every plain link and image in `md` that leads to a path on this site the build does not
/// write: (file line, column, the link as written, why). Boxes are looked into.
pub fn broken_site_links(
    md: &Markdown,
    page_url: &str,
    base_path: &str,
    map: &SiteMap,
) -> Vec<(usize, usize, String, &'static str)> {
    crate::markdown::fragments(md)
        .iter()
        .flat_map(|md| fragment_site_links(md, page_url, base_path, map))
        .collect()
}

fn fragment_site_links(
    md: &Markdown,
    page_url: &str,
    base_path: &str,
    map: &SiteMap,
) -> Vec<(usize, usize, String, &'static str)> {
    let mut found = Vec::new();
    if !crate::markdown::may_have_link(&md.source) {
        return found;
    }
    for (event, range) in Parser::new_ext(&md.source, crate::markdown::options()).into_offset_iter()
    {
        let dests: Vec<(usize, usize, String)> = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let (line, column) = line_col(&md.source, range.start);
                vec![(line, column, dest_url.to_string())]
            }
            // Raw HTML links and images lead somewhere too (the sanitiser keeps them).
            Event::Html(html) | Event::InlineHtml(html) => {
                let (line, column) = line_col(&md.source, range.start);
                html_link_targets(html)
                    .into_iter()
                    .map(|(offset, dest)| {
                        let before = &html[..offset];
                        match before.rfind('\n') {
                            None => (line, column + before.chars().count(), dest),
                            Some(nl) => (
                                line + before.matches('\n').count(),
                                before[nl + 1..].chars().count() + 1,
                                dest,
                            ),
                        }
                    })
                    .collect()
            }
            _ => continue,
        };
        for (line, column, dest) in dests {
            let why = if dest.contains('\\') && !dest.starts_with("@/") {
                "it has a backslash, which browsers read as `/`"
            } else {
                match site_path(&dest, page_url, base_path) {
                    SitePath::Elsewhere => continue,
                    SitePath::Path(p) if map.has(&p) => continue,
                    SitePath::Path(_) => "the site has no such page or file",
                    SitePath::AboveRoot => "it leads above the site's root folder",
                }
            };
            found.push((md.line + line - 1, column, dest, why));
        }
    }
    found
}

/// The `href` of every `<a>` and the `src` of every `<img>` in a piece of raw HTML, each with
/// the offset of its tag. A small reader of start tags, enough for what content writes: quoted
/// and unquoted values, any case, comments skipped, the common character references decoded.
pub fn html_link_targets(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(k) = html[i..].find('<') {
        let start = i + k;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let name_end = html[start + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |e| start + 1 + e);
        let wanted = match html[start + 1..name_end].to_ascii_lowercase().as_str() {
            "a" => "href",
            "img" => "src",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_end = html[j..]
                .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
                .map_or(html.len(), |e| j + e);
            let attr = &html[j..attr_end];
            j = attr_end;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != b'=' {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| j + 1 + e);
                    let v = &html[(j + 1).min(end)..end];
                    j = (end + 1).min(html.len());
                    v
                }
                _ => {
                    let end = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| j + e);
                    let v = &html[j..end];
                    j = end;
                    v
                }
            };
            if attr.eq_ignore_ascii_case(wanted) {
                found.push((start, decode_references(value)));
            }
        }
        i = j.max(start + 1);
    }
    found
}

fn decode_references(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#92;", "\\")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_raw_html() {
        let found = html_link_targets(
            "<p><!-- <a href=\"/c/\"> --><A class=x HREF = '/a/?x=1&amp;y=2' >a</A>\n<img alt=\"<b>\" src=/b.png/><a title=href>t</a><br>",
        );
        assert_eq!(
            found,
            [(26, "/a/?x=1&y=2".to_string()), (69, "/b.png/".to_string())]
        );
        assert_eq!(html_link_targets("<a href=\"/x"), [(0, "/x".to_string())]);
        assert!(html_link_targets("<a href").is_empty());
        assert!(html_link_targets("a < b <").is_empty());
    }

    #[test]
    fn site_paths() {
        let p = |d: &str| site_path(d, "plans/x/tasks/", "/");
        assert_eq!(p("/plans/x/"), SitePath::Path("plans/x/".into()));
        assert_eq!(p("../missing/"), SitePath::Path("plans/x/missing/".into()));
        assert_eq!(p("green/#a"), SitePath::Path("plans/x/tasks/green/".into()));
        assert_eq!(p("./"), SitePath::Path("plans/x/tasks/".into()));
        assert_eq!(p("../../../"), SitePath::Path(String::new()));
        assert_eq!(p("../../../../"), SitePath::AboveRoot);
        assert_eq!(p("/data/a.csv?x=1"), SitePath::Path("data/a.csv".into()));
        assert_eq!(p("/%E5%B8%AE/"), SitePath::Path("帮/".into()));
        for elsewhere in [
            "https://a.org/",
            "//a.org/x",
            "mailto:a@b.c",
            "#top",
            "@/plans/x.md",
            "",
        ] {
            assert_eq!(p(elsewhere), SitePath::Elsewhere, "{elsewhere}");
        }
        assert_eq!(
            site_path("/atlas/plans/x/", "", "/atlas/"),
            SitePath::Path("plans/x/".into())
        );
    }
}
