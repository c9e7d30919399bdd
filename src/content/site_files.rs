//! The site-wide content files: `themes.toml`, `units.toml` and `concepts.toml`.

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
}
