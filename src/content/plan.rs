//! A plan folder: `plan.toml`, its chapters and sections with their numbered slugs, and the
//! load cache per plan folder.

use super::*;

impl Loader<'_> {
    pub(super) fn load_plans(&mut self, dir: &Path) -> Vec<Plan> {
        let mut folders = Vec::new();
        let entries = self
            .list(dir, "a site keeps its plans in content/plans/, one folder per plan; run planatlas in the site's root folder or give it with --root")
            .unwrap_or_default();
        for entry in entries {
            if !entry.file_type.is_dir() {
                if !is_ignored(&entry.path) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            self.display(&entry.path),
                            0,
                            "unexpected file in content/plans/",
                        )
                        .hint("each plan is a folder content/plans/<slug>/ holding plan.toml"),
                    );
                }
                continue;
            }
            folders.push(entry.path);
        }
        // Plans are independent: load them in parallel, each with its own problem list, and
        // merge in folder order so that the result does not depend on scheduling.
        let loads: Vec<PlanLoad> = folders
            .par_iter()
            .map(|folder| self.load_plan_cached(folder))
            .collect();
        if let Some(cache) = self.cache {
            let mut cached = cache.plans.lock().unwrap_or_else(|e| e.into_inner());
            cached.retain(|folder, _| folders.contains(folder));
        }
        let mut plans = Vec::new();
        for (plan, diagnostics, links) in loads {
            self.diagnostics.extend(diagnostics);
            self.links.extend(links);
            plans.extend(plan);
        }
        // Wider plans first (joint before province, municipality, district), then by date.
        plans.sort_by(|a, b| {
            (a.meta.level, a.meta.date_written, &a.slug).cmp(&(
                b.meta.level,
                b.meta.date_written,
                &b.slug,
            ))
        });
        plans
    }

    /// One plan folder, from the cache when its files are unchanged.
    pub(super) fn load_plan_cached(&self, folder: &Path) -> PlanLoad {
        let fingerprint = self.cache.and_then(|_| folder_fingerprint(folder));
        if let (Some(cache), Some(fp)) = (self.cache, fingerprint) {
            let plans = cache.plans.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, load)) = plans.get(folder).filter(|(f, _)| *f == fp) {
                return load.clone();
            }
        }
        let mut sub = Loader {
            root: self.root.clone(),
            diagnostics: Diagnostics::default(),
            links: Vec::new(),
            cache: None,
        };
        let plan = sub.load_plan(folder);
        if let (Some(cache), Some(plan)) = (self.cache, &plan) {
            cache
                .parsed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(plan.slug.clone());
        }
        let load = (plan, sub.diagnostics, sub.links);
        if let (Some(cache), Some(fp)) = (self.cache, fingerprint) {
            cache
                .plans
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(folder.to_path_buf(), (fp, load.clone()));
        }
        load
    }

    pub(super) fn load_plan(&mut self, dir: &Path) -> Option<Plan> {
        let dir_name = file_name(dir);
        let display_dir = self.display(dir);
        if !is_valid_slug(&dir_name) {
            self.diagnostics.push(
                Diagnostic::new(
                    &display_dir,
                    0,
                    format!("plan folder name `{dir_name}` is not a valid slug"),
                )
                .hint("name plan folders with lowercase ASCII letters, digits and `-`"),
            );
            return None;
        }
        let entries = self.list(
            dir,
            "check that planatlas may read the plan folder and every folder in it",
        )?;
        let has = |name: &str| entries.iter().any(|e| file_name(&e.path) == name);
        let plan_toml = dir.join("plan.toml");
        let display = self.display(&plan_toml);
        if !has("plan.toml") {
            self.diagnostics.push(
                Diagnostic::new(&display, 0, "the plan folder has no plan.toml")
                    .hint("add plan.toml with the plan's metadata (see README, content format)"),
            );
            return None;
        }
        let meta = self.load_plan_meta(&plan_toml);
        let preamble = if has("_index.md") {
            self.read_content_file(&dir.join("_index.md"))
                .and_then(|f| {
                    self.parse_front_matter::<EmptyFrontMatter>(&f)?;
                    Some(self.markdown(&f.body, &Arc::from(f.display.as_path()), f.body_line))
                })
                .unwrap_or_default()
        } else {
            Markdown::default()
        };
        let reported = self.diagnostics.len();
        let indicators = if has("indicators.toml") {
            self.load_indicators(&dir.join("indicators.toml"))
        } else {
            Vec::new()
        };
        let indicators_unreadable = indicators.is_empty() && self.diagnostics.len() > reported;
        let url = format!("plans/{dir_name}/");
        let mut chapters = Vec::new();
        let mut slugs = HashMap::new();
        for entry in entries {
            let name = file_name(&entry.path);
            // REVIEW.md is the list `planatlas import` leaves for the editor.
            if matches!(
                name.as_str(),
                "plan.toml" | "indicators.toml" | "_index.md" | "REVIEW.md"
            ) || is_ignored(&entry.path)
            {
                continue;
            }
            let stem = name.strip_suffix(".md").unwrap_or(&name);
            let Some(slug) = self.numbered_slug(&entry.path, stem) else {
                continue;
            };
            let chapter_url = format!("{url}{slug}/");
            if !self.claim_slug(&mut slugs, "chapter", &slug, &entry.path, &chapter_url) {
                continue;
            }
            if entry.file_type.is_dir() {
                chapters.extend(self.load_chapter_folder(&entry.path, slug, chapter_url));
            } else if name.ends_with(".md") {
                // Anything but a regular file is refused when it is read, with its type.
                if let Some(division) = self.load_division(&entry.path, slug, chapter_url) {
                    chapters.push(Chapter {
                        division,
                        sections: Vec::new(),
                    });
                }
            } else {
                self.diagnostics.push(
                    Diagnostic::new(self.display(&entry.path), 0, "unexpected file in a plan folder")
                        .hint("a plan folder holds plan.toml, indicators.toml, _index.md and chapters NN-slug/ or NN-slug.md"),
                );
            }
        }
        // A plan whose metadata failed still goes on to validation, so that problems in its text
        // are reported in the same run; the build fails on the metadata error anyway.
        let meta = meta.unwrap_or_else(|| PlanMeta::new(&dir_name, Level::Province));
        Some(Plan {
            slug: dir_name,
            url,
            meta,
            file: display,
            preamble,
            chapters,
            indicators,
            indicators_unreadable,
        })
    }

    /// A chapter written as a folder: `_index.md` and its section files.
    pub(super) fn load_chapter_folder(
        &mut self,
        dir: &Path,
        slug: String,
        url: String,
    ) -> Option<Chapter> {
        let entries = self.list(dir, "check that planatlas may read the chapter folder")?;
        let index = dir.join("_index.md");
        if !entries.iter().any(|e| e.path == index) {
            self.diagnostics.push(
                Diagnostic::new(self.display(dir), 0, "the chapter folder has no _index.md")
                    .hint("add _index.md with the chapter's `number` and `title` front matter"),
            );
            return None;
        }
        // The sections are read even when _index.md is not, so that their problems show too.
        let division = self.load_division(&index, slug, url.clone());
        let mut sections = Vec::new();
        let mut slugs = HashMap::new();
        for entry in entries {
            let section_name = file_name(&entry.path);
            if section_name == "_index.md" || is_ignored(&entry.path) {
                continue;
            }
            let Some(section_stem) = section_name
                .strip_suffix(".md")
                .filter(|_| !entry.file_type.is_dir())
            else {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.display(&entry.path),
                        0,
                        "unexpected entry in a chapter folder",
                    )
                    .hint("a chapter folder holds _index.md and section files named NN-slug.md"),
                );
                continue;
            };
            let Some(section_slug) = self.numbered_slug(&entry.path, section_stem) else {
                continue;
            };
            let section_url = format!("{url}{section_slug}/");
            if !self.claim_slug(
                &mut slugs,
                "section",
                &section_slug,
                &entry.path,
                &section_url,
            ) {
                continue;
            }
            if let Some(division) = self.load_division(&entry.path, section_slug, section_url) {
                sections.push(Section { division });
            }
        }
        Some(Chapter {
            division: division?,
            sections,
        })
    }

    /// Records that the chapter or section at `path` takes `slug` (and so the page `url`), or
    /// reports the division that took it first; two divisions with one slug would be written
    /// to the same page.
    pub(super) fn claim_slug(
        &mut self,
        taken: &mut HashMap<String, PathBuf>,
        what: &str,
        slug: &str,
        path: &Path,
        url: &str,
    ) -> bool {
        if let Some(first) = taken.get(slug) {
            let first = self.display(first);
            self.diagnostics.push(
                Diagnostic::new(
                    self.display(path),
                    0,
                    format!(
                        "the {what} slug `{slug}` is also taken by {}: both would be written to {url}",
                        first.display()
                    ),
                )
                .hint(format!(
                    "give each {what} its own slug, the part of the name after its number"
                )),
            );
            return false;
        }
        taken.insert(slug.to_string(), path.to_path_buf());
        true
    }

    /// `03-green-finance` → `green-finance`, or a diagnostic.
    pub(super) fn numbered_slug(&mut self, path: &Path, stem: &str) -> Option<String> {
        let slug = stem
            .split_once('-')
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, s)| s.to_string());
        match slug {
            Some(s) if is_valid_slug(&s) => Some(s),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(self.display(path), 0, format!("`{stem}` is not named NN-slug"))
                        .hint("name chapters and sections by their order and a slug of lowercase ASCII letters, digits and `-`, e.g. `03-green-finance`"),
                );
                None
            }
        }
    }

    pub(super) fn load_plan_meta(&mut self, path: &Path) -> Option<PlanMeta> {
        let (raw, text, display) = self.read_toml::<RawPlan>(path)?;
        let line_of =
            |span: std::ops::Range<usize>| crate::diagnostics::line_col(&text, span.start).0;
        let mut problems = Vec::new();
        let mut date = |field: &str,
                        value: Option<toml::Spanned<toml::value::Datetime>>|
         -> Option<Date> {
            let spanned = value?;
            let line = line_of(spanned.span());
            let dt = spanned.into_inner();
            match (dt.date, dt.time) {
                (Some(d), None) if (1949..=2100).contains(&d.year) => Some(Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                }),
                _ => {
                    problems.push(
                        Diagnostic::new(
                            &display,
                            line,
                            format!("`{field}` = {dt} is not a plausible calendar date"),
                        )
                        .hint("write a date without time, between 1949 and 2100, e.g. 2021-12-13"),
                    );
                    None
                }
            }
        };
        let date_written = date("date_written", raw.date_written);
        let date_published = date("date_published", raw.date_published);
        let year = |field: &str, value: i64, line: usize| -> Result<u16, Diagnostic> {
            if (1949..=2100).contains(&value) {
                Ok(value as u16)
            } else {
                Err(Diagnostic::new(
                    &display,
                    line,
                    format!("`{field}` has the year {value}, which is not plausible"),
                )
                .hint("write a four-digit year between 1949 and 2100"))
            }
        };
        let keep = |r: Result<u16, Diagnostic>, problems: &mut Vec<Diagnostic>| match r {
            Ok(y) => Some(y),
            Err(d) => {
                problems.push(d);
                None
            }
        };
        let (period_start, period_end) = match raw.period {
            Some(p) => {
                let line = line_of(p.span());
                let [a, b] = p.into_inner();
                let (a, b) = (
                    keep(year("period", a, line), &mut problems),
                    keep(year("period", b, line), &mut problems),
                );
                if let (Some(a), Some(b)) = (a, b) {
                    if a > b {
                        problems.push(
                            Diagnostic::new(&display, line, "`period` ends before it starts").hint(
                                "write the period as [first year, last year], e.g. [2021, 2025]",
                            ),
                        );
                    }
                }
                (a, b)
            }
            None => (None, None),
        };
        let outlook_year = raw.outlook_year.and_then(|y| {
            let line = line_of(y.span());
            keep(year("outlook_year", y.into_inner(), line), &mut problems)
        });
        // The source link is shown on the plan's pages: only web addresses may go there.
        if let Some(url) = raw.source_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let lower = url.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                let line = crate::util::text::line_of_key(&text, "source_url");
                problems.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("`source_url` = `{url}` is not a web address"),
                    )
                    .hint("give the address where the official text is published, starting with https:// or http://"),
                );
            }
        }
        if raw.title.trim().is_empty() || raw.short_title.trim().is_empty() {
            problems.push(
                Diagnostic::new(&display, 1, "`title` and `short_title` may not be empty")
                    .hint("give the plan's official title and a short name for lists"),
            );
        }
        let failed = !problems.is_empty();
        for p in problems {
            self.diagnostics.push(p);
        }
        if failed {
            return None;
        }
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Some(PlanMeta {
            title: raw.title,
            short_title: raw.short_title,
            issuers: raw.issuers,
            doc_number: non_empty(raw.doc_number),
            date_written,
            date_published,
            period_start,
            period_end,
            outlook_year,
            level: raw.level,
            region: raw.region,
            implements: raw.implements,
            parent: non_empty(raw.parent),
            source_url: non_empty(raw.source_url),
            notes: non_empty(raw.notes),
            index_number: non_empty(raw.index_number),
            subject: non_empty(raw.subject),
        })
    }
}
