//! Internal links: which content file becomes which page, and which anchors each page has.
//!
//! Content links to content by its file path (`@/plans/<slug>/<NN-chapter>/<MM-section>.md#id`),
//! so that links survive a change of URL scheme. This index answers where such a link goes.

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
                let divisions = std::iter::once(&chapter.division)
                    .chain(chapter.sections.iter().map(|s| &s.division));
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
pub fn heading_ids(md: &Markdown) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(&md.source, crate::markdown::options()).into_offset_iter()
    {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            let line = md.line + line_col(&md.source, range.start).0 - 1;
            found.push((line, id.to_string()));
        }
    }
    found
}
