//! Internal links: which content file becomes which page, and which anchors each page has.
//!
//! Content links to content by its file path (`@/plans/<slug>/<NN-chapter>/<MM-section>.md#id`),
//! so that links survive a change of URL scheme. This index answers where such a link goes.
//!
//! Here in `markdown/` (not `model/`, as the layout document drew it) because it parses Markdown
//! with the same options as the renderer: a pure function of the `Site`, on layer 3.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::line_col;
use crate::model::{Markdown, Site};

/// A page a content path leads to, and the anchors on it.
#[derive(Debug, Default)]
struct Target {
    url: String,
    anchors: HashSet<String>,
}

/// Maps content paths (relative to `content/`) to page URLs and their anchors.
#[derive(Debug, Default)]
pub struct LinkIndex {
    targets: HashMap<String, Target>,
}

/// Why a link does not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkError {
    NoSuchFile,
    NoSuchAnchor,
}

impl LinkIndex {
    pub fn build(site: &Site) -> LinkIndex {
        let mut index = LinkIndex::default();
        for plan in &site.plans {
            let mut cover = Target {
                url: plan.url.clone(),
                anchors: HashSet::new(),
            };
            cover
                .anchors
                .extend(plan.all_indicators().map(|(_, i)| i.id.clone()));
            let cover_anchors = cover.anchors.clone();
            index.insert(&plan.file, cover);
            let preamble = plan.file.with_file_name("_index.md");
            index.insert(
                &preamble,
                Target {
                    url: plan.url.clone(),
                    anchors: cover_anchors,
                },
            );
            for chapter in &plan.chapters {
                let divisions = chapter.divisions();
                for d in divisions {
                    index.insert(
                        &d.file,
                        Target {
                            url: d.url.clone(),
                            anchors: d.measures.iter().map(|m| m.id.clone()).collect(),
                        },
                    );
                }
            }
        }
        for page in &site.pages {
            index.insert(
                &page.file,
                Target {
                    url: page.url.clone(),
                    anchors: HashSet::new(),
                },
            );
        }
        index
    }

    fn insert(&mut self, file: &std::path::Path, target: Target) {
        let key = file.to_string_lossy().replace('\\', "/");
        let key = key.strip_prefix("content/").unwrap_or(&key).to_string();
        self.targets.insert(key, target);
    }

    /// The site-relative URL of `path#anchor`.
    pub fn resolve(&self, path: &str, anchor: Option<&str>) -> Result<String, LinkError> {
        let target = self.targets.get(path).ok_or(LinkError::NoSuchFile)?;
        match anchor {
            None | Some("") => Ok(target.url.clone()),
            Some(a) if target.anchors.contains(a) => Ok(format!("{}#{a}", target.url)),
            Some(_) => Err(LinkError::NoSuchAnchor),
        }
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
pub struct SiteMap {
    pages: HashSet<String>,
    themes: HashSet<String>,
}

/// Folders whose files the build writes from the analysis or the theme.
const GENERATED: &[&str] = &["data/", "static/", "search/", "units/", "mappings/"];
/// Files the build writes at the top.
const TOP_FILES: &[&str] = &["atom.xml", "sitemap.xml", "robots.txt", "404.html"];

impl SiteMap {
    pub fn new(site: &Site) -> SiteMap {
        let mut pages: HashSet<String> = ["", "themes/", "indicators/", "units/", "search/"]
            .into_iter()
            .map(String::from)
            .collect();
        for plan in &site.plans {
            pages.insert(plan.url.clone());
            for chapter in &plan.chapters {
                pages.extend(chapter.divisions().map(|d| d.url.clone()));
            }
        }
        pages.extend(site.pages.iter().map(|p| p.url.clone()));
        pages.extend(
            site.themes
                .iter()
                .map(|t| crate::model::urls::theme_url(&t.slug)),
        );
        pages.extend(
            site.concepts
                .iter()
                .map(|c| crate::model::urls::concept_url(&c.slug)),
        );
        SiteMap {
            pages,
            themes: site.themes.iter().map(|t| t.slug.clone()).collect(),
        }
    }

    /// Whether the build writes something at `path` (as [`site_path`] gives it).
    pub fn has(&self, path: &str) -> bool {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        if self.pages.contains(path)
            || self.pages.contains(&format!("{path}/"))
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
