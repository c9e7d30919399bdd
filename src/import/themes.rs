//! Suggested themes for imported measures: `analyse::suggest::ThemeSuggester`, learned from the
//! measures already tagged in the site (and the themes' definitions, so that a site without
//! tagged measures still gets suggestions). Everything goes through [`suggest_themes`], the one
//! place the importer asks for themes.

use crate::analyse::suggest::ThemeSuggester;
use crate::model::Site;

/// 1–3 theme slugs for each text, best first, with their scores.
pub fn suggest_themes(site: &Site, texts: &[String]) -> Vec<Vec<(String, f64)>> {
    let suggester = ThemeSuggester::new(site);
    texts.iter().map(|t| suggester.suggest(t)).collect()
}
