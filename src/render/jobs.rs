//! The pages a render makes, one job each, and the order they are rendered in.
//!
//! The order changes no page: each job writes its own file, and the paths are sorted before
//! they are used. It decides which error is reported when several pages fail (the first in
//! this order), and what stays in the cache from one page to the next.

use super::Pages;
use crate::analyse::Analysis;
use crate::model::Site;

/// One page to render.
pub(super) enum Job {
    Home,
    /// The index pages of plans, indicator comparisons and implementation mappings.
    PlansIndex,
    ConceptsIndex,
    MappingsIndex,
    Plan(usize),
    Chapter(usize, usize),
    Section(usize, usize, usize),
    Themes,
    /// A theme's page `n` (from 1).
    Theme(usize, usize),
    Indicators,
    Mapping(usize),
    /// The list of alignments, and the alignment of one pair of plans.
    Alignments,
    Alignment(usize),
    Concept(usize),
    Agencies,
    Search,
    Agency(usize),
    Page(usize),
    NotFound,
}

/// The jobs of the pages `selection` asks for, in the order they render: the site's index
/// pages, each plan's cover, chapters and sections in reading order, the theme pages (see
/// [`theme_jobs`]), then the other pages by kind.
pub(super) fn jobs(site: &Site, analysis: &Analysis, selection: Pages) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::PlansIndex,
        Job::ConceptsIndex,
        Job::MappingsIndex,
        Job::Themes,
        Job::Indicators,
        Job::Search,
        Job::NotFound,
    ];
    for (p, plan) in site.plans.iter().enumerate() {
        jobs.push(Job::Plan(p));
        for (c, chapter) in plan.chapters.iter().enumerate() {
            jobs.push(Job::Chapter(p, c));
            jobs.extend((0..chapter.sections.len()).map(|s| Job::Section(p, c, s)));
        }
    }
    jobs.extend(theme_jobs(site, analysis));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..analysis.mappings.len()).map(Job::Mapping));
    jobs.push(Job::Alignments);
    jobs.extend((0..analysis.alignments.pairs.len()).map(Job::Alignment));
    jobs.extend((0..site.concepts.len()).map(Job::Concept));
    jobs.push(Job::Agencies);
    jobs.extend((0..analysis.agencies.len()).map(Job::Agency));
    if selection != Pages::All {
        jobs.retain(|job| match job {
            Job::Plan(p) | Job::Chapter(p, _) | Job::Section(p, _, _) => selection.of_plan(*p),
            _ => false,
        });
    }
    jobs
}

/// Every page of every theme, in the order of the first measure each lists (then of theme and
/// page; a theme without measures has one page, placed as if it listed the first measure): the
/// pages that list the measures of
/// one stretch of the corpus, whichever their themes, render one after another, mostly on one
/// thread, while those measures are still in the cache. Theme by theme, each page read its
/// hundred measures from all over the model, a measure of three themes three times far apart,
/// and at a million measures such reads cost more each than at 100,000 (BENCHMARKS.md,
/// twenty-seventh round).
fn theme_jobs(site: &Site, analysis: &Analysis) -> Vec<Job> {
    // Cut as `theme_page` cuts them (the configuration refuses a size of 0).
    let size = site.config.theme_page_size;
    // (first measure listed, theme, page)
    let mut pages: Vec<(usize, usize, usize)> = Vec::new();
    for (t, theme) in site.themes.iter().enumerate() {
        let listed = analysis
            .by_theme
            .get(&theme.slug)
            .map_or(&[][..], Vec::as_slice);
        pages.push((listed.first().copied().unwrap_or(0), t, 1));
        pages.extend(
            listed
                .chunks(size)
                .enumerate()
                .skip(1)
                .map(|(k, shown)| (shown[0], t, k + 1)),
        );
    }
    pages.sort_unstable();
    pages
        .into_iter()
        .map(|(_, t, n)| Job::Theme(t, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page of every theme is rendered once, an empty theme's one page too, in the order
    /// of the first measure each lists and then of theme; a theme's pages keep their order.
    #[test]
    fn theme_pages_come_in_the_order_of_their_first_measures() {
        let mut site = crate::content::bundled_site();
        site.config.theme_page_size = 3;
        let mut empty = site.themes[0].clone();
        empty.slug = "nothing-listed".into();
        site.themes.push(empty);
        let analysis = crate::analyse::analyse(&site, None);
        let listed = |t: usize| {
            analysis
                .by_theme
                .get(&site.themes[t].slug)
                .map_or(&[][..], Vec::as_slice)
        };
        let jobs: Vec<(usize, usize)> = theme_jobs(&site, &analysis)
            .into_iter()
            .map(|job| match job {
                Job::Theme(t, n) => (t, n),
                _ => panic!("only theme pages"),
            })
            .collect();
        let pages = |t: usize| listed(t).len().div_ceil(3).max(1);
        assert!(
            (0..site.themes.len()).map(pages).sum::<usize>() > 2 * site.themes.len(),
            "themes of several pages"
        );
        for t in 0..site.themes.len() {
            let in_order: Vec<usize> = jobs
                .iter()
                .filter(|(of, _)| *of == t)
                .map(|(_, n)| *n)
                .collect();
            assert_eq!(in_order, (1..=pages(t)).collect::<Vec<_>>(), "theme {t}");
        }
        assert_eq!(jobs.len(), (0..site.themes.len()).map(pages).sum::<usize>());
        // A theme page's first measure; the theme without measures is placed as at measure 0.
        let first = |&(t, n): &(usize, usize)| listed(t).get((n - 1) * 3).copied().unwrap_or(0);
        assert!(jobs
            .windows(2)
            .all(|w| (first(&w[0]), w[0].0) <= (first(&w[1]), w[1].0)));
        let empty = jobs.iter().position(|&(t, _)| t == site.themes.len() - 1);
        assert!(jobs[..empty.unwrap()].iter().all(|page| first(page) == 0));
        let interleaved = jobs.windows(2).filter(|w| w[0].0 != w[1].0).count();
        assert!(interleaved > site.themes.len(), "themes' pages interleave");
    }
}
