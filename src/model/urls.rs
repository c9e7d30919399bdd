//! The URL scheme of the generated pages that are not content files: each written here once, for
//! the renderer, the link index, the search index and the open data alike. URLs are relative to
//! the site root and end in `/` (the page is `index.html` in that folder).

/// A policy theme's page: `themes/<slug>/`.
pub fn theme_url(slug: &str) -> String {
    format!("themes/{slug}/")
}

/// Page `n` (from 1) of a theme's list: `themes/<slug>/`, then `themes/<slug>/page/<n>/`.
pub fn theme_page_url(slug: &str, n: usize) -> String {
    if n <= 1 {
        theme_url(slug)
    } else {
        format!("themes/{slug}/page/{n}/")
    }
}

/// An indicator concept's page: `concepts/<slug>/`.
pub fn concept_url(slug: &str) -> String {
    format!("concepts/{slug}/")
}

/// A responsible unit's page, by its key: `units/<key>/`.
pub fn unit_url(key: &str) -> String {
    format!("units/{key}/")
}

/// The page of a mapping, by the slug of its implementing plan: `mappings/<slug>/`.
pub fn mapping_url(implementing_plan: &str) -> String {
    format!("mappings/{implementing_plan}/")
}

/// The list of alignments between upper and lower plans.
pub const ALIGNMENTS_URL: &str = "alignments/";

/// The page of the alignment of a lower plan with an upper one: `alignments/<upper>/<lower>/`.
pub fn alignment_url(upper_plan: &str, lower_plan: &str) -> String {
    format!("{ALIGNMENTS_URL}{upper_plan}/{lower_plan}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(theme_page_url("green", 1), "themes/green/");
        assert_eq!(theme_page_url("green", 3), "themes/green/page/3/");
        assert_eq!(concept_url("gdp"), "concepts/gdp/");
        assert_eq!(unit_url("u1"), "units/u1/");
        assert_eq!(mapping_url("cq"), "mappings/cq/");
        assert_eq!(alignment_url("joint", "cq"), "alignments/joint/cq/");
    }
}
