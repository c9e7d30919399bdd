//! Stand-alone pages under `pages/`.

use super::*;

impl Loader<'_> {
    pub(super) fn load_pages(&mut self, dir: &Path) -> Vec<Page> {
        let mut pages = Vec::new();
        // A site may have no stand-alone pages at all; anything else that keeps the folder
        // from being read is reported.
        if matches!(content_fs::present(dir), Ok(false)) {
            return pages;
        }
        let entries = self
            .list(dir, "stand-alone pages are files content/pages/<slug>.md; remove content/pages if the site has none")
            .unwrap_or_default();
        for entry in entries {
            let entry = entry.path;
            let name = file_name(&entry);
            if is_ignored(&entry) {
                continue;
            }
            let Some(slug) = name.strip_suffix(".md").filter(|s| is_valid_slug(s)) else {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry),
                        0,
                        "a page file must be named <slug>.md",
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, e.g. help.md"),
                );
                continue;
            };
            let slug = slug.to_string();
            let Some(file) = self.read_content_file(&entry) else {
                continue;
            };
            let Some(fm) = self.parse_front_matter::<PageFrontMatter>(&file) else {
                continue;
            };
            let body = self.markdown(
                &file.body,
                &Arc::from(file.display.as_path()),
                file.body_line,
            );
            pages.push(Page {
                url: format!("{slug}/"),
                slug,
                title: fm.title,
                description: fm.description,
                file: file.display,
                body,
            });
        }
        pages
    }
}
