//! The site-wide content files: `themes.toml`, `units.toml`, `concepts.toml` and `glossary.toml`.

use super::*;

impl Loader<'_> {
    pub(super) fn load_themes(&mut self, path: &Path) -> Vec<Theme> {
        let Some((file, text, display)) = self.read_toml::<ThemesFile>(path) else {
            return Vec::new();
        };
        let mut themes = Vec::new();
        for spanned in file.theme {
            let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
            let raw = spanned.into_inner();
            if !is_valid_slug(&raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme slug `{}` is not a valid slug", raw.slug),
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, e.g. `green-finance`"),
                );
                continue;
            }
            if raw.name.trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme `{}` has an empty name", raw.slug),
                    )
                    .hint("give the theme's Chinese name, e.g. name = \"绿色金融\""),
                );
            }
            if themes.iter().any(|t: &Theme| t.slug == raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!("theme `{}` is defined twice", raw.slug),
                    )
                    .hint("remove one of the two entries"),
                );
                continue;
            }
            themes.push(Theme {
                slug: raw.slug,
                name: raw.name,
                definition: raw.definition,
            });
        }
        themes
    }

    pub(super) fn load_unit_aliases(&mut self, path: &Path) -> crate::model::aliases::UnitAliases {
        let Some((aliases, _, display)) =
            self.read_toml::<crate::model::aliases::UnitAliases>(path)
        else {
            return Default::default();
        };
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for entry in &aliases.alias {
            for alias in &entry.aliases {
                if let Some(other) = seen.insert(alias, &entry.name) {
                    if other != entry.name {
                        self.diagnostics.push(
                            Diagnostic::new(
                                &display,
                                0,
                                format!(
                                    "the alias `{alias}` is given for both `{other}` and `{}`",
                                    entry.name
                                ),
                            )
                            .hint("an alias names one body: keep it under one entry"),
                        );
                    }
                }
            }
        }
        aliases
    }

    pub(super) fn load_concepts(&mut self, path: &Path) -> Vec<Concept> {
        let Some((file, text, display)) = self.read_toml::<ConceptsFile>(path) else {
            return Vec::new();
        };
        let mut concepts: Vec<Concept> = Vec::new();
        for spanned in file.concept {
            let line = crate::diagnostics::line_col(&text, spanned.span().start).0;
            let raw = spanned.into_inner();
            if !is_valid_slug(&raw.slug) || concepts.iter().any(|c| c.slug == raw.slug) {
                self.diagnostics.push(
                    Diagnostic::new(
                        &display,
                        line,
                        format!(
                            "concept slug `{}` is not a valid slug or is used twice",
                            raw.slug
                        ),
                    )
                    .hint("use lowercase ASCII letters, digits and `-`, once each"),
                );
                continue;
            }
            concepts.push(Concept {
                slug: raw.slug,
                name: raw.name,
                unit: raw.unit,
                themes: raw.themes,
                line,
            });
        }
        concepts
    }

    pub(super) fn load_glossary(&mut self, path: &Path) -> crate::model::glossary::Glossary {
        let Some((glossary, text, display)) =
            self.read_toml::<crate::model::glossary::Glossary>(path)
        else {
            return Default::default();
        };
        // The line of a term's first mention, for messages.
        let line_of = |term: &str| {
            text.find(&format!("\"{term}\""))
                .map(|at| crate::diagnostics::line_col(&text, at).0)
                .unwrap_or(0)
        };
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        let names = glossary
            .instrument
            .iter()
            .flat_map(|i| {
                std::iter::once(&i.name)
                    .chain(&i.aliases)
                    .map(move |n| (n, i.name.as_str()))
            })
            .chain(glossary.words.iter().map(|w| (w, w.as_str())));
        for (term, owner) in names {
            if term.trim() != term || term.chars().count() < 2 {
                self.diagnostics.push(
                    Diagnostic::new(&display, line_of(term), format!("glossary term `{term}` is shorter than two characters or has spaces around it"))
                        .hint("write each name as the plans write it, at least two characters, without surrounding spaces"),
                );
            }
            if let Some(other) = seen.insert(term, owner) {
                let message = if other == owner {
                    format!("glossary term `{term}` is listed twice")
                } else {
                    format!("glossary term `{term}` is given for both `{other}` and `{owner}`")
                };
                self.diagnostics.push(
                    Diagnostic::new(&display, line_of(term), message)
                        .hint("a name stands for one instrument: keep it under one entry, once"),
                );
            }
        }
        glossary
    }
}
